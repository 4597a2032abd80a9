//! The handouts, typeset for real and read back with poppler (`pdfinfo`, `pdftotext`,
//! `pdfimages`): every example briefing and a set of stress briefings (a 7-minute briefing at
//! the 7-minute limit of words, one with eight sections, a 9,000-word guidance document, a
//! wide table with a long unbroken address, sections chosen with `print = [...]`), on A4 and
//! on Letter. Each handout is one tagged page of the site's paper with the title, every
//! section (printed, or named after "Also in the full briefing"), the themes, the logo, and
//! the web address only when the site has one. Action plans and the training pack likewise;
//! and the cache, `--no-pdf` and `--no-cache`.
//!
//! Needs poppler-utils: without it the tests that read PDFs print SKIPPED, unless
//! BRIEFING_REQUIRE_BROWSER=1 (CI), which makes a missing tool a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::browser::{pdf_pages, skip_or_fail, which};

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

/// A clean folder under cargo's per-target temporary folder: it outlives the test, so that
/// the PDFs of a failure can be looked at.
fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("handouts").join(name);
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

/// The facet the example briefings give (`age = "Adults"`): a site that copies them declares it.
const EXAMPLE_FACETS: &str = "\n[facets.age]\nvalues = [\"Children\", \"Adults\", \"All ages\"]\n";

/// A site with the example briefings and themes and the stress briefings, on `paper`.
fn stress_site(dir: &Path, site_toml: &str) {
    let repo = crate::common::repo_root();
    copy_dir(&repo.join("briefings"), &dir.join("briefings"));
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    std::fs::write(dir.join("site.toml"), format!("{site_toml}{EXAMPLE_FACETS}")).unwrap();
    for (name, source, _) in stress_briefings() {
        std::fs::write(dir.join("briefings").join(name), source).unwrap();
    }
}

pub(super) fn pdf_text(pdf: &Path) -> String {
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

/// Poppler's tools, or false after reporting SKIPPED (or failing, in CI).
pub(super) fn poppler(what: &str) -> bool {
    if ["pdfinfo", "pdftotext", "pdfimages", "pdffonts"].iter().any(|t| which(t).is_none()) {
        skip_or_fail(what, "no pdfinfo, pdftotext or pdfimages (install poppler-utils)");
        return false;
    }
    true
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(crate::common::briefing_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BRIEFING_TODAY", "2025-06-01")
        .stdin(Stdio::null())
        .output()
        .expect("the briefing binary runs")
}

/// A one-pixel PNG, for a logo.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02,
    0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x90, 0xf5, 0x9f, 0x08, 0x00, 0x01, 0x8a, 0x00,
    0xfe, 0x07, 0xf1, 0x37, 0x65, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `pdfinfo`'s value for `key`.
fn info(pdf: &Path, key: &str) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.strip_prefix(&format!("{key}:")).map(|v| v.trim().to_string())).unwrap_or_default()
}

/// How many raster images a PDF holds (the PNG logo, pictures), from `pdfimages -list`.
fn images(pdf: &Path) -> usize {
    let out = Command::new("pdfimages").arg("-list").arg(pdf).output().expect("pdfimages runs");
    String::from_utf8_lossy(&out.stdout).lines().skip(2).filter(|l| !l.trim().is_empty()).count()
}

/// How high `pdftotext -bbox` makes a word of Noto Sans, per point of type: its ascender and
/// descender (1.069 + 0.293 em). 11 pt text is 15 pt high.
const WORD_BOX: f64 = 1.362;

/// The median height of the words of a PDF in points (`pdftotext -bbox`): about the type
/// size times `WORD_BOX`.
fn median_word_height(pdf: &Path) -> f64 {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |w: &str, name: &str| -> f64 { w.split(&format!("{name}=\"")).nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse().ok()).unwrap_or(0.0) };
    let mut heights: Vec<f64> = html.split("<word ").skip(1).map(|w| attr(w, "yMax") - attr(w, "yMin")).filter(|h| *h > 0.0).collect();
    heights.sort_by(f64::total_cmp);
    heights.get(heights.len() / 2).copied().unwrap_or(0.0)
}

/// The titles of a briefing's themes, as its page lists them.
fn themes_on_page(page: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let Some(list) = html.split("aria-labelledby=\"themes-label\">").nth(1).and_then(|l| l.split("</ul>").next()) else { return Vec::new() };
    list.split("\">").skip(1).filter_map(|part| part.split("</a>").next()).map(|t| t.replace("&amp;", "&")).collect()
}

/// Builds the site in `dir` and checks every briefing's handout on `paper` ("A4" or "Letter"),
/// with the web address (`base`) or without.
fn build_and_check_handouts(dir: &Path, paper: &str, base: Option<&str>) {
    let out = run(dir, &["build", "--output", "out"]);
    let report = format!("{}{}", crate::common::stdout(&out), crate::common::stderr(&out));
    assert!(out.status.success(), "build failed:\n{report}");
    // The stress briefing's nine columns of long words cannot print legibly in half a sheet.
    assert!(report.contains("the handout: a table of 9 columns is too wide to print legibly"), "{report}");
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
        let mut fail = |why: String| failures.push(format!("{slug}: {why} ({})", pdf.display()));
        if !std::fs::read(&pdf).unwrap_or_default().starts_with(b"%PDF-") {
            fail("not a PDF".into());
            continue;
        }
        if pdf_pages(&pdf) != Some(1) {
            fail(format!("{:?} pages, not 1", pdf_pages(&pdf)));
        }
        if info(&pdf, "Tagged") != "yes" {
            fail("not tagged".into());
        }
        let size = info(&pdf, "Page size");
        let right_size = size.contains(&format!("({paper})")) || (paper == "Letter" && size.starts_with("612 x 792"));
        if !right_size {
            fail(format!("the page is {}, not {paper}", info(&pdf, "Page size")));
        }
        if normalise(&info(&pdf, "Title")) != normalise(&title) {
            fail(format!("the document title is `{}`", info(&pdf, "Title")));
        }
        let text = pdf_text(&pdf);
        for wanted in std::iter::once(title.clone()).chain(headings) {
            if !text.contains(&normalise(&wanted)) {
                fail(format!("`{wanted}` is neither printed nor listed as left out"));
            }
        }
        // Themes by slug or title: compared without case, spaces or hyphens.
        let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        let themes_line = letters(text.split("Themes:").last().unwrap_or(""));
        for theme in themes_on_page(&dir.join("out/briefings").join(&slug).join("index.html")) {
            if !themes_line.contains(&letters(&theme)) {
                fail(format!("the theme `{theme}` is not in the footer"));
            }
        }
        match base {
            Some(base) if !text.contains(&format!("{base}briefings/{slug}/")) => fail("no web address".into()),
            None if text.contains("Read the full briefing") || text.contains(&format!("briefings/{slug}")) => fail("an address that means nothing on paper".into()),
            _ => {}
        }
        if images(&pdf) == 0 {
            fail("no logo".into());
        }
        let height = median_word_height(&pdf);
        if !(8.0 * WORD_BOX - 0.1..=11.0 * WORD_BOX + 0.1).contains(&height) {
            fail(format!("words {height:.1} pt high: the type is not between 8 and 11 pt"));
        }
    }
    assert!(failures.is_empty(), "{}\nbuild said:\n{report}", failures.join("\n"));
}

/// A site with the example briefings and themes, the stress briefings and a PNG logo.
fn handout_site(name: &str, site_toml: &str) -> PathBuf {
    let dir = work_dir(name);
    stress_site(&dir, &format!("{site_toml}logo = \"logo.png\"\n"));
    std::fs::write(dir.join("logo.png"), PNG).unwrap();
    dir
}

#[test]
fn every_handout_is_one_tagged_a4_sheet_with_the_address() {
    let what = "every_handout_is_one_tagged_a4_sheet_with_the_address";
    if !poppler(what) {
        return;
    }
    let dir = handout_site("a4", "title = \"Stress test\"\nbase_url = \"https://briefings.example/\"\n");
    build_and_check_handouts(&dir, "A4", Some("https://briefings.example/"));
}

#[test]
fn every_handout_is_one_tagged_letter_sheet_without_an_address() {
    let what = "every_handout_is_one_tagged_letter_sheet_without_an_address";
    if !poppler(what) {
        return;
    }
    let dir = handout_site("letter", "title = \"Stress test\"\npaper = \"Letter\"\n");
    build_and_check_handouts(&dir, "Letter", None);
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

/// Every 7-minute briefing has an action plan: one page headed with its title and date, with
/// room for the team, the date and who attended, its own reflective questions, an actions
/// table and where to return it.
#[test]
fn seven_minute_briefings_have_an_action_plan_with_their_questions() {
    let what = "seven_minute_briefings_have_an_action_plan_with_their_questions";
    if !poppler(what) {
        return;
    }
    let dir = work_dir("action-plan");
    copy_dir(&crate::common::repo_root().join("briefings"), &dir.join("briefings"));
    copy_dir(&crate::common::repo_root().join("themes"), &dir.join("themes"));
    std::fs::write(dir.join("site.toml"), format!("action_plan_return = \"learning@eastmere.example by the end of the month\"\n{EXAMPLE_FACETS}")).unwrap();
    let out = run(&dir, &["build", "--output", "out"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let plan = dir.join("out/briefings/child-r-seven-minute/child-r-seven-minute-action-plan.pdf");
    assert_eq!(pdf_pages(&plan), Some(1));
    assert_eq!(info(&plan, "Tagged"), "yes");
    let text = pdf_text(&plan);
    let source = std::fs::read_to_string(dir.join("briefings/child-r-seven-minute.md")).unwrap();
    let asked: Vec<String> = questions_section(&source).lines().filter_map(|l| l.split_once(". ").filter(|(n, _)| n.parse::<u32>().is_ok()).map(|(_, q)| normalise(q))).collect();
    assert!(asked.len() >= 3, "{asked:?}");
    for wanted in ["Child R", "Team", "Who attended", "Action", "Who", "By when", "learning@eastmere.example"].iter().map(|s| s.to_string()).chain(asked) {
        assert!(text.contains(&wanted), "`{wanted}` is not on the action plan:\n{text}");
    }
    // A practitioner briefing gets none unless it asks for one.
    assert!(!dir.join("out/briefings/child-m-practitioner-briefing/child-m-practitioner-briefing-action-plan.pdf").exists());

    // Questions too long for one sheet: the plan keeps to it, and the build says what it left out.
    let long = format!("{}?", ["what did the team notice about the family and the help they were offered"; 7].join(", and "));
    let questions: Vec<String> = (1..=10).map(|n| format!("{n}. {long}")).collect();
    let source = source.replace(questions_section(&source), &format!("\n{}\n", questions.join("\n")));
    std::fs::write(dir.join("briefings/child-r-seven-minute.md"), source).unwrap();
    let out = run(&dir, &["build", "--output", "out"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert_eq!(pdf_pages(&plan), Some(1));
    let err = crate::common::stderr(&out);
    assert!(err.contains("warning[print-overflow]: the action plan leaves out") && err.contains("question 10: the questions"), "{err}");
}

/// The text of a source's "Questions for reflection" section, after its heading.
fn questions_section(source: &str) -> &str {
    source.split("## Questions for reflection").nth(1).unwrap().split("\n## ").next().unwrap()
}

/// The example site's training pack: a cover with its contents, then each briefing's handout
/// and action plan, one to a page, numbered.
#[test]
fn a_training_pack_is_a_cover_and_each_handout_and_action_plan_numbered() {
    let what = "a_training_pack_is_a_cover_and_each_handout_and_action_plan_numbered";
    if !poppler(what) {
        return;
    }
    let dir = work_dir("pack");
    for folder in ["briefings", "themes", "packs", "images"] {
        copy_dir(&crate::common::repo_root().join(folder), &dir.join(folder));
    }
    std::fs::copy(crate::common::repo_root().join("site.toml"), dir.join("site.toml")).unwrap();
    let out = run(&dir, &["build", "--output", "out"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let pdf = dir.join("out/packs/neglect-team-session/neglect-team-session.pdf");
    let page = std::fs::read_to_string(dir.join("out/packs/neglect-team-session/index.html")).unwrap();
    let briefings = page.matches("class=\"card ").count();
    assert!(briefings >= 2, "{page}");
    assert_eq!(pdf_pages(&pdf), Some(1 + 2 * briefings as u32), "a cover, then a handout and an action plan each");
    let text = pdf_text(&pdf);
    for wanted in ["Neglect: a team learning session", "Contents", "Child R: neglect behind a tidy front room", &format!("Page 1 of {}", 1 + 2 * briefings)] {
        assert!(text.contains(wanted), "`{wanted}` is not in the pack:\n{text}");
    }
    assert!(page.contains("href=\"neglect-team-session.pdf\"") && page.contains("PDF, "), "the pack's page offers its PDF: {page}");
    let home = std::fs::read_to_string(dir.join("out/index.html")).unwrap();
    assert!(home.contains("href=\"packs/neglect-team-session/index.html\""), "the home page lists the pack");
    let child_r = std::fs::read_to_string(dir.join("out/briefings/child-r-seven-minute/index.html")).unwrap();
    assert!(child_r.contains("href=\"../../packs/neglect-team-session/index.html\""), "each briefing in it links the pack");
}

/// A pack that names a briefing or theme the site does not have is an error with its line
/// and the nearest name.
#[test]
fn a_pack_naming_what_the_site_lacks_is_an_error_with_a_suggestion() {
    let site = crate::common::Site::new();
    site.write("briefings/child-a.md", crate::common::briefing("title = \"Child A\"\npublished = 2024-05-01\nthemes = [\"neglect\"]", "## One\n\nText.\n"));
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat it is.\n");
    site.write("packs/session.toml", "title = \"Session\"\nbriefings = [\"child-b\"]\nthemes = [\"neglet\"]\n");
    let out = site.run(&["build", "--no-pdf"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("packs/session.toml:2:") && err.contains("a briefing `child-b`") && err.contains("did you mean \"child-a\"?"), "{err}");
    assert!(err.contains("packs/session.toml:3:") && err.contains("did you mean \"neglect\"?"), "{err}");

    // A draft named in a pack was "a briefing the site does not have" (help: name it by its
    // file name, which it was); a pack whose theme no briefing has yet printed an empty cover.
    site.write("briefings/child-b.md", crate::common::briefing("title = \"Child B\"\npublished = 2024-05-01\ndraft = true", "## One\n\nText.\n"));
    site.write("themes/self-neglect.md", "+++\ntitle = \"Self-neglect\"\n+++\nWhat it is.\n");
    site.write("packs/session.toml", "title = \"Session\"\nbriefings = [\"child-b\"]\n");
    site.write("packs/later.toml", "title = \"Later\"\nthemes = [\"self-neglect\"]\n");
    let err = crate::common::stderr(&site.run(&["build", "--no-pdf"]));
    assert!(err.contains("error[unknown-pack-entry]: the training pack names `child-b`, which is a draft and is not published"), "{err}");
    assert!(err.contains("warning[empty-pack]: the training pack holds no briefings: no published briefing has the theme `self-neglect`\n--> packs/later.toml"), "{err}");
    let out = site.run(&["build", "--no-pdf", "--drafts"]);
    assert!(out.status.success(), "with --drafts the draft is in the pack: {}", crate::common::stderr(&out));
}

/// PDFs come from the site's cache when nothing they show changed, byte for byte, even into
/// an empty output folder; `--no-cache` neither reads nor writes it; `--no-pdf` makes none
/// and the pages offer none.
#[test]
fn handouts_are_cached_deterministic_and_optional() {
    let site = crate::common::Site::new();
    site.write("site.toml", "title = \"T\"\n");
    for slug in ["child-a", "child-b"] {
        site.write(&format!("briefings/{slug}.md"), crate::common::briefing(&format!("title = \"{slug}\"\npublished = 2024-05-01"), "## One\n\nSome text.\n"));
    }
    let cached = |site: &crate::common::Site| -> Vec<String> {
        let dir = crate::common::pdf_cache_folder(site.path());
        let mut names: Vec<String> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
        names.sort();
        names
    };
    assert!(site.run(&["build", "--output", "one"]).status.success());
    let first = cached(&site);
    assert_eq!(first.iter().filter(|n| n.ends_with(".pdf")).count(), 4, "two handouts and two action plans: {first:?}");
    assert!(site.run(&["build", "--output", "two"]).status.success());
    assert_eq!(cached(&site), first, "nothing new was typeset");
    for pdf in ["briefings/child-a/child-a.pdf", "briefings/child-b/child-b-action-plan.pdf"] {
        assert_eq!(site.read_bytes(&format!("one/{pdf}")), site.read_bytes(&format!("two/{pdf}")), "{pdf}");
    }
    site.write("briefings/child-a.md", crate::common::briefing("title = \"child-a\"\npublished = 2024-05-01", "## One\n\nOther text.\n"));
    assert!(site.run(&["build", "--output", "three"]).status.success());
    let now = cached(&site);
    assert_eq!(now.len(), first.len(), "the old handout of child-a was forgotten: {now:?}");
    assert_eq!(now.iter().filter(|n| first.contains(n)).count(), first.len() - 2, "only child-a's handout changed (the action plan shows no text)");
    std::fs::remove_dir_all(site.path().join(".briefing-cache")).unwrap();
    assert!(site.run(&["build", "--output", "four", "--no-cache"]).status.success());
    assert!(!site.exists(".briefing-cache"), "--no-cache writes no cache");
    assert_eq!(site.read_bytes("four/briefings/child-b/child-b.pdf"), site.read_bytes("one/briefings/child-b/child-b.pdf"), "the same bytes, typeset afresh");
    let out = site.run(&["build", "--output", "five", "--no-pdf"]);
    assert!(crate::common::stdout(&out).contains("pages into"), "{}", crate::common::stdout(&out));
    assert!(!site.exists("five/briefings/child-a/child-a.pdf"));
    assert!(!site.read("five/briefings/child-a/index.html").contains(".pdf"), "no PDF is offered");
    assert!(site.read("one/briefings/child-a/index.html").contains("Download the handout</a> <span class=\"muted\">(PDF, "));
}

/// A build links the cached PDFs into its output instead of writing them again (making a
/// new file was most of a warm build's time on a disk); a PDF that another program changes in
/// place under the output, which changes the cache's file with it, is made again, never
/// published as it was changed.
#[test]
fn cached_pdfs_are_linked_and_one_changed_in_place_is_made_again() {
    use std::io::Write;
    let site = crate::common::Site::new();
    site.write("site.toml", "title = \"T\"\n");
    site.write("briefings/child-a.md", crate::common::briefing("title = \"Child A\"\npublished = 2024-05-01", "## One\n\nSome text.\n"));
    let pdf = "briefings/child-a/child-a.pdf";
    assert!(site.run(&["build", "--output", "one"]).status.success());
    assert!(site.run(&["build", "--output", "two"]).status.success());
    let good = site.read_bytes(&format!("two/{pdf}"));
    assert_eq!(good, site.read_bytes(&format!("one/{pdf}")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = |path: &std::path::Path| std::fs::metadata(path).unwrap().ino();
        let cache = crate::common::pdf_cache_folder(site.path());
        let linked = std::fs::read_dir(&cache).unwrap().flatten().any(|e| inode(&e.path()) == inode(&site.path().join("two").join(pdf)));
        assert!(linked, "the handout in the output is the cache's file");
    }
    let mut file = std::fs::OpenOptions::new().append(true).open(site.path().join("two").join(pdf)).unwrap();
    file.write_all(b"\n% changed by another program\n").unwrap();
    drop(file);
    let out = site.run(&["build", "--output", "three"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert_eq!(site.read_bytes(&format!("three/{pdf}")), good, "the changed PDF was typeset again");
}

/// Issue 16, 12c: a section whose heading has no words (`##` alone) that does not fit was
/// named `""` in the warning and was an empty line on the sheet; it is "Section N" in both.
#[test]
fn an_untitled_section_left_out_is_named_by_its_number() {
    let site = crate::common::Site::new();
    site.write("site.toml", "title = \"Untitled\"\n");
    let parts: String = (1..=6).map(|i| format!("## Part {i}\n\n{}\n\n", text(450, i))).collect();
    site.write("briefings/u.md", format!("{}Intro.\n\n{parts}##\n\n{}\n", front("Untitled", "7-minute", ""), text(900, 7)));
    let out = run(site.path(), &["build"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    let warning = err.lines().find(|l| l.contains("print-overflow")).unwrap_or_else(|| panic!("no print-overflow warning:\n{err}"));
    assert!(warning.contains("\"Section 7\"") && !warning.contains("\"\""), "{warning}");
    if poppler("an_untitled_section_left_out_is_named_by_its_number") {
        let sheet = pdf_text(&site.path().join("output/briefings/u/u.pdf"));
        let also = sheet.split("Also in the full briefing").nth(1).unwrap_or_else(|| panic!("no list of what is left out:\n{sheet}"));
        assert!(also.contains("Section 7"), "{sheet}");
    }
}
