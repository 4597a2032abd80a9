//! The printable one-pagers, printed for real: every example briefing and a set of stress
//! briefings (a 7-minute briefing at the 7-minute limit of words, one with eight sections, a
//! 9,000-word guidance document, a wide table with a long unbroken address, sections chosen with
//! `print = [...]`), built with `briefing build --pdf` on A4 and on Letter paper. Each PDF must
//! be one page holding the title and every section heading that the layout promises, and
//! `briefing check --print` must find that no one-pager runs past its sheet.
//!
//! Needs Chromium and poppler-utils (pdfinfo, pdftotext): without them the tests print SKIPPED,
//! unless BRIEFING_REQUIRE_BROWSER=1 (CI), which makes a missing tool a failure.


use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::browser::{find_chromium, pdf_pages, skip_or_fail, which};

/// Sentences for generated text: the vocabulary and sentence lengths of real briefings.
const SENTENCES: &[&str] = &[
    "The health visitor saw the baby at home twice, but the visits were short and focused on feeding.",
    "Nobody asked who else lived in the house or who looked after the children at night.",
    "Records were kept in separate systems, and each agency held a small part of the picture.",
    "The school noticed that attendance had fallen and that the child often arrived hungry.",
    "A referral was made, but it described the concern as low level and was closed within a week.",
    "Practitioners told the review that they felt unable to challenge a decision made by another agency.",
    "The mother said that she had asked for help more than once and had been given a leaflet.",
    "Supervision focused on caseload numbers rather than on what was happening for the child.",
    "When the family moved, the new GP practice did not receive the safeguarding information in time.",
    "Professional curiosity means looking beyond what is presented and checking what you are told.",
    "Think about who is in the household and what part each adult plays in the child's care.",
    "Record what you see and hear, and what the child says in their own words.",
    "Share information early: it is not shared until someone has received it and understood it.",
    "Use the escalation procedure when you disagree with a decision that affects a child's safety.",
    "Ask the child what a normal day is like, from the moment they wake up until they go to bed.",
    "Check whether the plan is making a difference to the child's daily life, not only whether tasks are done.",
];

/// `words` words of text cut from the sentences, starting at sentence `seed`, ending with a full stop.
fn text(words: usize, seed: usize) -> String {
    let all: Vec<&str> = SENTENCES.iter().cycle().skip(seed % SENTENCES.len()).flat_map(|s| s.split_whitespace()).take(words).collect();
    let mut out = all.join(" ");
    if !out.ends_with('.') {
        out = out.trim_end_matches([',', ':', ';']).to_string();
        out.push('.');
    }
    out
}

/// Words as `briefing` counts them: whitespace-separated runs with a letter or digit.
fn count_words(markdown_text: &str) -> usize {
    markdown_text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

fn front(title: &str, format: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nformat = \"{format}\"\npublished = 2025-03-01\naudience = \"Everyone who works with children, young people and families\"\nsummary = \"{}\"\nthemes = [\"professional curiosity\", \"information sharing\"]\n{extra}+++\n",
        text(30, 3)
    )
}

/// A 7-minute briefing of exactly `7 * 200` words (the limit at the default reading speed),
/// with the paragraphs, lists and quotation of a real one.
fn seven_minute_at_the_limit() -> String {
    let titles = ["Background", "Why it matters", "What was the learning?", "What can we consider?", "What can you do right now?", "Questions for reflection", "Further information"];
    let heading_words: usize = titles.iter().map(|t| count_words(t)).sum();
    // Words for each section's text, with the headings making up 1,400 in all.
    let mut budget = [235, 190, 250, 210, 200, 140, 0];
    budget[6] = 1400 - heading_words - budget.iter().sum::<usize>();
    let bodies = [
        format!("{}\n\n{}\n\n{}", text(budget[0] / 3, 0), text(budget[0] / 3, 4), text(budget[0] - 2 * (budget[0] / 3), 8)),
        format!("{}\n\n{}", text(budget[1] / 2, 1), text(budget[1] - budget[1] / 2, 9)),
        (0..5).map(|i| format!("- **{}** {}", text(3, i), text((budget[2] - 20) / 5 - 3, i + 5))).collect::<Vec<_>>().join("\n")
            + &format!("\n\n> {}", text(budget[2] - 5 * ((budget[2] - 20) / 5), 12)),
        format!("{}\n\n", text(40, 2)) + &(1..=4).map(|i| format!("{i}. {}", text((budget[3] - 40) / 4, i))).collect::<Vec<_>>().join("\n")
            + &format!("\n\n{}", text(budget[3] - 40 - 4 * ((budget[3] - 40) / 4), 6)),
        (0..6).map(|i| format!("- {}", text(budget[4] / 6, i + 3))).collect::<Vec<_>>().join("\n") + &format!("\n- {}", text(budget[4] - 6 * (budget[4] / 6), 1)),
        (1..=5).map(|i| format!("{i}. {}", text(budget[5] / 5, i + 7))).collect::<Vec<_>>().join("\n"),
        format!("- [{}](https://www.example.org/a)\n- [{}](https://www.example.org/b)\n\n{}", text(8, 4), text(8, 5), text(budget[6] - 16, 11)),
    ];
    let mut out = front("A 7-minute briefing at the limit of seven minutes", "7-minute", "");
    for (title, body) in titles.iter().zip(&bodies) {
        out.push_str(&format!("\n## {title}\n\n{body}\n"));
    }
    out
}

fn eight_sections() -> String {
    let mut out = front("Eight sections: a 7-minute briefing that needed one more", "7-minute", "");
    for i in 0..8 {
        let body = if i % 2 == 0 { text(110, i) } else { (0..4).map(|k| format!("- {}", text(25, i + k))).collect::<Vec<_>>().join("\n") };
        out.push_str(&format!("\n## Section {} of the eight\n\n{body}\n", i + 1));
    }
    out
}

/// A guidance document of about 9,000 words: sixteen sections with subsections and lists.
fn long_guidance() -> String {
    let mut out = front("Working together: a long guidance document for every agency", "guidance", "");
    out.push_str(&format!("\n{}\n", text(80, 0)));
    for i in 0..16 {
        out.push_str(&format!("\n## Part {}: {}\n\n{}\n", i + 1, text(4, i).trim_end_matches('.'), text(70, i)));
        for k in 0..3 {
            out.push_str(&format!("\n### Subsection {}.{}\n\n{}\n\n", i + 1, k + 1, text(90, i + k)));
            out.push_str(&(0..4).map(|n| format!("- {}", text(18, i + k + n))).collect::<Vec<_>>().join("\n"));
            out.push('\n');
        }
    }
    out
}

/// A table nine columns wide, and an address far too long for a line.
fn wide_table() -> String {
    let mut out = front("A wide table and a long address", "practitioner", "");
    let header = (1..=9).map(|i| format!("Agency response column {i}")).collect::<Vec<_>>().join(" | ");
    let rule = ["---"; 9].join(" | ");
    let rows: Vec<String> = (0..5).map(|r| (0..9).map(|c| text(4 + (r + c) % 5, r + c).trim_end_matches('.').to_string()).collect::<Vec<_>>().join(" | ")).collect();
    out.push_str(&format!("\n## What each agency did\n\n| {header} |\n| {rule} |\n| {} |\n\n{}\n", rows.join(" |\n| "), text(60, 2)));
    out.push_str("\n## Where to read more\n\nThe procedure is at <https://www.eastmere-safeguarding.example/documents/2025/procedures/escalation/professional-challenge-and-resolution-of-professional-differences-procedure-version-4-final-approved-by-the-partnership-board.pdf> and applies to every agency.\n");
    out.push_str(&format!("\n## What you can do\n\n{}\n", (0..5).map(|i| format!("- {}", text(20, i))).collect::<Vec<_>>().join("\n")));
    out
}

/// A practitioner briefing that prints two chosen sections, each too long for half a sheet.
fn chosen_sections() -> String {
    let mut out = front("Chosen sections that are too long to print whole", "practitioner", "print = [\"overview-of-learning\", \"recommendations\"]\n");
    out.push_str(&format!("\n## Who should read this\n\n{}\n", text(60, 1)));
    out.push_str(&format!("\n## Overview of learning\n\n{}\n", (0..14).map(|i| format!("- **{}** {}", text(3, i), text(70, i + 2))).collect::<Vec<_>>().join("\n")));
    out.push_str(&format!("\n## Recommendations\n\n{}\n", (1..=12).map(|i| format!("{i}. {}", text(60, i))).collect::<Vec<_>>().join("\n")));
    out
}

/// The stress briefings: file name, source, and the section headings their one-pager promises
/// (None: every `##` heading).
fn stress_briefings() -> Vec<(&'static str, String, Option<Vec<&'static str>>)> {
    vec![
        ("at-the-limit.md", seven_minute_at_the_limit(), None),
        ("eight-sections.md", eight_sections(), None),
        ("long-guidance.md", long_guidance(), None),
        ("wide-table.md", wide_table(), None),
        ("chosen-sections.md", chosen_sections(), Some(vec!["Overview of learning", "Recommendations"])),
    ]
}

/// The tools these tests need, or None after reporting SKIPPED (or failing, in CI).
fn tools(what: &str) -> Option<PathBuf> {
    let Some(browser) = find_chromium() else {
        skip_or_fail(what, "no Chromium or Chrome (install chromium or set BRIEFING_BROWSER)");
        return None;
    };
    if which("pdfinfo").is_none() || which("pdftotext").is_none() {
        skip_or_fail(what, "no pdfinfo or pdftotext (install poppler-utils)");
        return None;
    }
    Some(browser)
}

/// A clean folder under cargo's per-target temporary folder: it outlives the test, so that
/// the PDFs of a failure can be looked at.
fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("print").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A site with the example briefings and themes and the stress briefings, on `paper`.
fn stress_site(dir: &Path, site_toml: &str) {
    let repo = crate::common::repo_root();
    copy_dir(&repo.join("briefings"), &dir.join("briefings"));
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    std::fs::write(dir.join("site.toml"), site_toml).unwrap();
    for (name, source, _) in stress_briefings() {
        std::fs::write(dir.join("briefings").join(name), source).unwrap();
    }
}

fn run_with(dir: &Path, args: &[&str], browser: &Path) -> Output {
    Command::new(crate::common::briefing_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BRIEFING_BROWSER", browser)
        .env("BRIEFING_TODAY", "2025-06-01")
        .stdin(Stdio::null())
        .output()
        .expect("the briefing binary runs")
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}: {}", pdf.display(), crate::common::stderr(&out));
    normalise(&String::from_utf8_lossy(&out.stdout))
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title and the section headings of a briefing source, as text.
fn title_and_headings(source: &str) -> (String, Vec<String>) {
    let title = source
        .lines()
        .find_map(|l| l.strip_prefix("title = \""))
        .and_then(|t| t.strip_suffix('"'))
        .expect("a title")
        .replace("\\\"", "\"");
    let headings = source.lines().filter_map(|l| l.strip_prefix("## ")).map(|h| h.trim().to_string()).collect();
    (title, headings)
}

/// Builds the site in `dir` with `--pdf` and checks every briefing's PDF.
fn build_and_check_pdfs(dir: &Path, browser: &Path) {
    let out = run_with(dir, &["build", "--pdf", "--output", "out"], browser);
    let report = format!("{}{}", crate::common::stdout(&out), crate::common::stderr(&out));
    assert!(out.status.success(), "build --pdf failed:\n{report}");
    let promised: Vec<(&str, Option<Vec<&str>>)> = stress_briefings().into_iter().map(|(n, _, p)| (n, p)).collect();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(dir.join("briefings")).unwrap() {
        let path = entry.unwrap().path();
        let (slug, source_path) = if path.is_dir() {
            (path.file_name().unwrap().to_string_lossy().into_owned(), path.join("index.md"))
        } else {
            (path.file_stem().unwrap().to_string_lossy().into_owned(), path.clone())
        };
        let source = std::fs::read_to_string(&source_path).unwrap();
        let (title, mut headings) = title_and_headings(&source);
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some((_, Some(chosen))) = promised.iter().find(|(n, _)| *n == file_name) {
            headings = chosen.iter().map(|h| h.to_string()).collect();
        }
        let pdf = dir.join("out/briefings").join(&slug).join(format!("{slug}.pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_default();
        if !bytes.starts_with(b"%PDF-") {
            failures.push(format!("{slug}: {} is not a PDF", pdf.display()));
            continue;
        }
        match pdf_pages(&pdf) {
            Some(1) => {}
            other => failures.push(format!("{slug}: {other:?} pages, not 1 ({})", pdf.display())),
        }
        let text = pdf_text(&pdf);
        for wanted in std::iter::once(title).chain(headings) {
            if !text.contains(&normalise(&wanted)) {
                failures.push(format!("{slug}: `{wanted}` is not in the text of {}", pdf.display()));
            }
        }
        if text.contains("The text is cut short") {
            failures.push(format!("{slug}: the one-pager shows the cut-short notice ({})", pdf.display()));
        }
    }
    assert!(failures.is_empty(), "{}\nbuild said:\n{report}", failures.join("\n"));
}

#[test]
fn every_one_pager_prints_on_one_a4_sheet() {
    let Some(browser) = tools("every_one_pager_prints_on_one_a4_sheet") else { return };
    let dir = work_dir("a4");
    stress_site(&dir, "title = \"Test\"\npartnership = \"Eastmere Safeguarding Partnership\"\nbase_url = \"https://briefings.eastmere.example/\"\npaper = \"A4\"\n");
    build_and_check_pdfs(&dir, &browser);
    // The page links its one-pager and the PDF; the one-pager draws a QR code of the address.
    let page = std::fs::read_to_string(dir.join("out/briefings/at-the-limit/index.html")).unwrap();
    assert!(page.contains("href=\"print.html\"") && page.contains("href=\"at-the-limit.pdf\""), "{page}");
    let one_pager = std::fs::read_to_string(dir.join("out/briefings/at-the-limit/print.html")).unwrap();
    assert!(one_pager.contains("<svg class=\"qr\"") && one_pager.contains("https://briefings.eastmere.example/briefings/at-the-limit/"));
}

#[test]
fn every_one_pager_prints_on_one_letter_sheet() {
    let Some(browser) = tools("every_one_pager_prints_on_one_letter_sheet") else { return };
    let dir = work_dir("letter");
    // No base_url: no QR code, and the address is the page's relative path.
    stress_site(&dir, "title = \"Test\"\npartnership = \"Eastmere Safeguarding Partnership\"\npaper = \"Letter\"\n");
    build_and_check_pdfs(&dir, &browser);
    let one_pager = std::fs::read_to_string(dir.join("out/briefings/at-the-limit/print.html")).unwrap();
    assert!(!one_pager.contains("<svg"), "no QR code without base_url");
    let css = std::fs::read_to_string(dir.join("out/assets/print.css")).unwrap();
    assert!(css.contains("size: Letter"), "the sheet is Letter paper");
}

/// `check --print` measures each one-pager in the browser, and names the one that spills
/// (here made to spill by a site stylesheet that sets its key points in large type), and the
/// printed sheet says that its text is cut short instead of spilling onto a second page.
#[test]
fn check_print_names_the_one_pager_that_spills() {
    let Some(browser) = tools("check_print_names_the_one_pager_that_spills") else { return };
    let dir = work_dir("spill");
    let repo = crate::common::repo_root();
    std::fs::create_dir_all(dir.join("briefings")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("briefings/eight-sections.md"), eight_sections()).unwrap();
    std::fs::write(dir.join("briefings/long-guidance.md"), long_guidance()).unwrap();
    let css = std::fs::read_to_string(repo.join("templates/print.css")).unwrap();
    std::fs::write(dir.join("templates/print.css"), css + "\n.layout-key-points .body { font-size: 14pt !important; }\n").unwrap();
    let out = run_with(&dir, &["check", "--print"], &browser);
    let report = crate::common::stderr(&out);
    assert!(out.status.success(), "check --print failed:\n{report}");
    let spills: Vec<&str> = report.split("\n\n").filter(|d| d.contains("printed in a browser")).collect();
    assert_eq!(spills.len(), 1, "{report}");
    assert!(spills[0].contains("briefings/long-guidance.md") && spills[0].contains("cut about"), "{report}");
    let out = run_with(&dir, &["build", "--pdf", "--output", "out"], &browser);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let pdf = dir.join("out/briefings/long-guidance/long-guidance.pdf");
    assert_eq!(pdf_pages(&pdf), Some(1));
    assert!(pdf_text(&pdf).contains("The text is cut short here"), "the sheet says so");
    let fitting = dir.join("out/briefings/eight-sections/eight-sections.pdf");
    assert!(!pdf_text(&fitting).contains("The text is cut short"));
}

/// A PATH with the usual tools but no browser.
fn path_without_browsers(dir: &Path) -> std::ffi::OsString {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::env::join_paths([bin]).unwrap()
}

#[test]
fn pdf_without_a_browser_fails_and_says_how_to_get_one() {
    let site = crate::common::Site::new();
    site.write("briefings/one.md", crate::common::briefing("title = \"One\"\nformat = \"practitioner\"\npublished = 2025-01-01", "## A\n\nText.\n"));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let page = site.read("output/briefings/one/index.html");
    assert!(page.contains("href=\"print.html\"") && !page.contains("one.pdf"), "no PDF link without --pdf");
    let briefing = |args: &[&str], env: &[(&str, &std::ffi::OsStr)]| {
        let mut command = Command::new(crate::common::briefing_bin());
        command.args(args).current_dir(site.path()).env("NO_COLOR", "1").env_remove("BRIEFING_BROWSER");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    // Named but missing.
    let missing = std::ffi::OsStr::new("/nonexistent/chromium");
    let out = briefing(&["build", "--pdf"], &[("BRIEFING_BROWSER", missing)]);
    assert_eq!(out.status.code(), Some(2), "{}", crate::common::stderr(&out));
    assert!(crate::common::stderr(&out).contains("BRIEFING_BROWSER names /nonexistent/chromium"), "{}", crate::common::stderr(&out));
    // None on PATH.
    let path = path_without_browsers(site.path());
    for args in [&["build", "--pdf"][..], &["check", "--print"][..]] {
        let out = briefing(args, &[("PATH", &path)]);
        let err = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("apt-get install chromium") && err.contains("--browser"), "{args:?}: {err}");
    }
    // A browser that fails: the build fails and the last good site stays.
    let out = briefing(&["build", "--pdf", "--browser", "/bin/false"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", crate::common::stderr(&out));
    assert!(crate::common::stderr(&out).contains("could not print the one-pager to one.pdf"), "{}", crate::common::stderr(&out));
    assert_eq!(site.read("output/briefings/one/index.html"), page, "the previous site is untouched");
    assert!(!site.exists("output/briefings/one/one.pdf"));
}

#[test]
fn the_stress_briefings_are_what_they_claim() {
    let limit = seven_minute_at_the_limit();
    let body = limit.split("+++").nth(2).unwrap();
    let text: String = body.lines().map(|l| l.trim_start_matches(['#', '-', '>', ' ']).trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(". ")).collect::<Vec<_>>().join(" ");
    let text = text.replace("**", "").replace("](https://www.example.org/a)", "").replace("](https://www.example.org/b)", "").replace('[', "");
    assert_eq!(count_words(&text), 1400);
    let guidance = long_guidance();
    assert!((8500..9500).contains(&count_words(&guidance)), "{}", count_words(&guidance));
    let site = crate::common::Site::new();
    for (name, source, _) in stress_briefings() {
        site.write(&format!("briefings/{name}"), source);
    }
    let out = site.run(&["check"]);
    let report = crate::common::stderr(&out);
    assert!(out.status.success(), "{report}");
    assert!(!report.contains("too-long"), "the limit is not exceeded:\n{report}");
    assert!(report.contains("has 8 sections"), "{report}");
}
