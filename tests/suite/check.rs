//! `briefing check` and the diagnostics of `build`: each content check fires on a fixture that
//! has the problem and stays quiet on one that does not; JSON output; --deny-warnings; allow
//! lists. (Bad input is in `bad_input`.)

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::Site;
use serde_json::Value;

/// Every run is as of this date, so review and publication dates behave the same on any day.
const TODAY: &str = "2025-06-01";

/// How long any run may take, however hostile the input: generous for a debug build on a
/// loaded machine, far below what a hang or a quadratic blow-up would take.
const BOUND: Duration = Duration::from_secs(60);

/// Runs `briefing` in `dir` with `args` as of `TODAY`, killing it and failing the test past
/// `BOUND`.
pub(super) fn run_in(dir: &Path, args: &[&str]) -> Output {
    run_as_of(dir, args, Some(TODAY))
}

/// `run_in` as of `today`, or of the real date.
pub(super) fn run_as_of(dir: &Path, args: &[&str], today: Option<&str>) -> Output {
    let mut command = Command::new(crate::common::briefing_bin());
    command.args(args).current_dir(dir).env("NO_COLOR", "1").env_remove("BRIEFING_TODAY");
    if let Some(today) = today {
        command.env("BRIEFING_TODAY", today);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the briefing binary runs");
    let started = Instant::now();
    // Read the pipes on threads so a chatty run cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!("`briefing {}` did not finish within {BOUND:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output { status, stdout: out.join().unwrap().unwrap(), stderr: err.join().unwrap().unwrap() };
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "`briefing {}` crashed ({}):\n{}",
        args.join(" "),
        output.status,
        crate::common::stderr(&output)
    );
    output
}

pub(super) fn run(site: &Site, args: &[&str]) -> Output {
    run_in(site.path(), args)
}

/// A 7-minute briefing that every check is happy with, as of `TODAY`.
pub(super) fn good_front() -> &'static str {
    "title = \"Child A\"\nformat = \"7-minute\"\npublished = 2025-01-10\nreview_due = 2026-01-10\nthemes = [\"neglect\"]\nsummary = \"What Child A's review found.\"\naudience = \"Everyone who works with children\""
}

const SECTION_TITLES: [&str; 7] =
    ["Background", "Why it matters", "What was the learning?", "What can we consider?", "What can you do?", "Questions for reflection", "Further information"];

pub(super) fn good_body() -> String {
    let mut body = String::from("What happened to Child A, in brief.\n");
    for title in SECTION_TITLES {
        body.push_str(&format!("\n## {title}\n\nA short sentence about this. Another one follows it.\n"));
    }
    body
}

/// Settings every fixture site has: with a web address, so that the sitemap's note is quiet.
const SITE_TOML: &str = "base_url = \"https://briefings.example/\"\n";

/// A site with the neglect theme defined and the given briefings.
pub(super) fn site(briefings: &[(&str, String)]) -> Site {
    let site = Site::new();
    site.write("site.toml", SITE_TOML);
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    for (slug, text) in briefings {
        site.write(&format!("briefings/{slug}.md"), text);
    }
    site
}

pub(super) fn one(front: &str, body: &str) -> Site {
    site(&[("child-a", crate::common::briefing(front, body))])
}

/// The diagnostics of `check --format json` (and the summary, last).
pub(super) fn json(site: &Site, args: &[&str]) -> (Vec<Value>, Value, Output) {
    let out = run(site, &[&["check", "--format", "json"], args].concat());
    let mut lines: Vec<Value> = crate::common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let summary = lines.pop().expect("a summary line");
    assert_eq!(summary["type"], "summary", "{summary}");
    (lines, summary, out)
}

/// `(code, line)` of every diagnostic `check` reports.
pub(super) fn found(site: &Site) -> Vec<(String, Option<u64>)> {
    json(site, &[]).0.iter().map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64())).collect()
}

pub(super) fn codes(site: &Site) -> Vec<String> {
    found(site).into_iter().map(|(code, _)| code).collect()
}

pub(super) fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in text"));
    text[..at].matches('\n').count() as u64 + 1
}

/// `(code, line)` for a briefing whose full text is `text`, with the line found by `needle`.
pub(super) fn expect_at(site: &Site, code: &str, text: &str, needle: &str) {
    let found = found(site);
    let line = line_of(text, needle);
    assert!(found.contains(&(code.to_string(), Some(line))), "expected {code} at line {line}, got {found:?}");
}

pub(super) fn sentences(words: usize) -> String {
    // Five-word sentences, so the plain English notes stay quiet.
    (0..words / 5).map(|_| "This is a short sentence.").collect::<Vec<_>>().join(" ")
}

#[test]
fn a_well_kept_briefing_is_quiet() {
    let site = one(good_front(), &good_body());
    let (diagnostics, summary, out) = json(&site, &[]);
    assert_eq!(diagnostics, Vec::<Value>::new());
    assert_eq!(summary["warnings"], 0);
    assert!(out.status.success());
}

#[test]
fn section_count() {
    let text = crate::common::briefing(good_front(), &good_body().replace("\n## Further information\n", "\n"));
    let site = site(&[("child-a", text.clone())]);
    expect_at(&site, "section-count", &text, "format =");
    let practitioner = good_front().replace("7-minute", "practitioner");
    assert!(!codes(&one(&practitioner, &good_body().replace("\n## Further information\n", "\n"))).contains(&"section-count".into()));
}

#[test]
fn too_long_says_by_how_many_words() {
    let body = good_body().replace("A short sentence about this. Another one follows it.", &sentences(215));
    let site = one(good_front(), &body);
    let (diagnostics, _, _) = json(&site, &[]);
    let too_long = diagnostics.iter().find(|d| d["code"] == "too-long").expect("too-long fires");
    let words: usize = too_long["message"].as_str().unwrap().split('(').nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(too_long["help"].as_str().unwrap().contains(&format!("cut {} words", words - 1400)), "{too_long}");
    assert!(!codes(&one(good_front(), &good_body())).contains(&"too-long".into()));
}

#[test]
fn a_section_far_over_a_minute() {
    let body = good_body().replacen("A short sentence about this. Another one follows it.", &sentences(400), 1);
    let text = crate::common::briefing(good_front(), &body);
    let site = site(&[("child-a", text.clone())]);
    expect_at(&site, "section-too-long", &text, "## Background");
    assert_eq!(found(&site).iter().filter(|(c, _)| c == "section-too-long").count(), 1);
    let practitioner = good_front().replace("7-minute", "practitioner");
    assert!(!codes(&one(&practitioner, &body)).contains(&"section-too-long".into()));
}

#[test]
fn review_dates() {
    for (due, code) in [("2025-05-31", Some("review-overdue")), ("2025-06-20", Some("review-due-soon")), ("2025-08-01", None)] {
        let front = good_front().replace("2026-01-10", due);
        let text = crate::common::briefing(&front, &good_body());
        let site = site(&[("child-a", text.clone())]);
        match code {
            Some(code) => expect_at(&site, code, &text, "review_due"),
            None => assert_eq!(codes(&site), Vec::<String>::new(), "{due}"),
        }
    }
    let front = good_front().replace("review_due = 2026-01-10\n", "");
    let (diagnostics, _, out) = json(&one(&front, &good_body()), &[]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!((&diagnostics[0]["code"], &diagnostics[0]["severity"]), (&"no-review-date".into(), &"note".into()));
    assert!(out.status.success());
}

#[test]
fn publication_dates() {
    let future = good_front().replace("published = 2025-01-10", "published = 2025-07-01");
    let text = crate::common::briefing(&future, &good_body());
    let site = site(&[("child-a", text.clone())]);
    expect_at(&site, "future-published", &text, "published");
    // A draft may be dated ahead: it is previewed with --drafts, and is not published yet.
    let draft = crate::common::briefing(&format!("{future}\ndraft = true"), &good_body());
    let site = site_one(&draft);
    let out = run(&site, &["build", "--drafts", "--format", "json"]);
    assert!(!crate::common::stdout(&out).contains("future-published"), "{}", crate::common::stdout(&out));
    let before = good_front().replace("themes", "updated = 2025-01-01\nthemes");
    let text = crate::common::briefing(&before, &good_body());
    expect_at(&site_one(&text), "updated-before-published", &text, "updated");
}

pub(super) fn site_one(text: &str) -> Site {
    site(&[("child-a", text.to_string())])
}

#[test]
fn themes() {
    let text = crate::common::briefing(&good_front().replace("[\"neglect\"]", "[\"neglect\", \"coercive control\"]"), &good_body());
    expect_at(&site_one(&text), "undefined-theme", &text, "themes");
    let text = crate::common::briefing(&good_front().replace("themes = [\"neglect\"]", "themes = []"), &good_body());
    expect_at(&site_one(&text), "no-themes", &text, "+++");
}

#[test]
fn images_need_alt_text() {
    let body = good_body().replace("Another one follows it.", "Another one follows it.\n\n![](chart.png)\n\n![A chart of referrals by month](chart.png)");
    let text = crate::common::briefing(good_front(), &body);
    let site = site_one(&text);
    expect_at(&site, "missing-alt-text", &text, "![](chart.png)");
    assert_eq!(found(&site).iter().filter(|(c, _)| c == "missing-alt-text").count(), 7, "one a section, and never the described image");
}

#[test]
fn vague_link_text() {
    let body = good_body()
        + "\nRead [click here](https://a.example/policy).\nRead [here](https://a.example/policy).\nThe [link](https://a.example/policy).\nSee <https://a.example/policy>.\nSee [https://a.example](https://a.example).\n\nRead [the escalation policy](https://a.example/policy) or write to <help@a.example>.\n";
    let text = crate::common::briefing(good_front(), &body);
    let site = site_one(&text);
    let lines: Vec<u64> = found(&site).into_iter().filter(|(c, _)| c == "vague-link-text").map(|(_, l)| l.unwrap()).collect();
    let expected: Vec<u64> = ["[click here]", "[here]", "[link]", "<https://a.example/policy>", "[https://a.example]"].iter().map(|n| line_of(&text, n)).collect();
    assert_eq!(lines, expected);
}

#[test]
fn heading_levels_empty_and_duplicate_sections() {
    let body = good_body()
        .replace("## Why it matters\n\nA short sentence about this. Another one follows it.\n", "## Why it matters\n")
        .replace("## What can you do?", "## Background")
        .replace("## Questions for reflection\n", "## Questions for reflection\n\n#### Deeper\n\nText here.\n");
    let text = crate::common::briefing(good_front(), &body);
    let site = site_one(&text);
    expect_at(&site, "empty-section", &text, "## Why it matters");
    let second_background = text.rfind("## Background").unwrap();
    let line = text[..second_background].matches('\n').count() as u64 + 1;
    assert!(found(&site).contains(&("duplicate-section-title".into(), Some(line))), "{:?}", found(&site));
    expect_at(&site, "heading-skip", &text, "#### Deeper");
    assert_eq!(codes(&one(good_front(), &good_body().replace("Another one follows it.", "Another one follows it.\n\n### A subsection\n\nText.")))
        .iter().filter(|c| *c == "heading-skip").count(), 0);
}

#[test]
fn broken_links_are_errors() {
    let target = crate::common::briefing(good_front(), &good_body());
    for (link, help) in [
        ("[the other](chld-a.md)", "did you mean child-a.md?"),
        ("[the other](child-a.md#what-was-the-lerning)", "did you mean #what-was-the-learning?"),
        ("[a theme](../themes/neglet.md)", "add themes/neglet.md"),
        ("[here on this page](#background-2)", "did you mean #background?"),
    ] {
        let text = crate::common::briefing(good_front(), &format!("{}\nSee {link}.\n", good_body()));
        let site = site(&[("child-a", target.clone()), ("child-c", text.clone())]);
        let (diagnostics, summary, out) = json(&site, &[]);
        let broken = diagnostics.iter().find(|d| d["code"] == "broken-link").unwrap_or_else(|| panic!("{link}: {diagnostics:?}"));
        assert_eq!(broken["severity"], "error");
        assert_eq!(broken["line"].as_u64(), Some(line_of(&text, link)), "{link}");
        assert!(broken["help"].as_str().unwrap().contains(help), "{link}: {broken}");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(summary["status"], "content-errors");
    }
    let text = crate::common::briefing(good_front(), &format!("{}\nSee [the other](child-a.md#what-was-the-learning), [the theme](../themes/neglect.md) and [why](#why-it-matters).\n", good_body()));
    let site = site(&[("child-a", target), ("child-c", text)]);
    assert_eq!(codes(&site), Vec::<String>::new());
}

#[test]
fn plain_english_notes_point_at_long_sentences() {
    let long = format!("This sentence goes on {} and on.", "and on ".repeat(15));
    let body = good_body().replacen("Another one follows it.", &format!("Another one follows it.\n\n{long}"), 1);
    let text = crate::common::briefing(good_front(), &body);
    let site = site_one(&text);
    let (diagnostics, summary, out) = json(&site, &[]);
    let long_note = diagnostics.iter().find(|d| d["code"] == "long-sentence").expect("long-sentence");
    assert_eq!(long_note["severity"], "note");
    assert_eq!(long_note["line"].as_u64(), Some(line_of(&text, "This sentence goes on")));
    assert_eq!(long_note["message"], "this sentence has 36 words (sentences here average 7)");
    assert_eq!(summary["notes"], 1);
    assert!(out.status.success(), "notes never fail a check");

    let wordy = format!("{}end.", "word ".repeat(22));
    let body = good_body().replace("A short sentence about this. Another one follows it.", &format!("{wordy} {wordy}"));
    let (diagnostics, _, _) = json(&one(good_front(), &body), &[]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["sentence-length"]);
    assert_eq!(diagnostics[0]["message"], "sentences average 22 words");
}

#[test]
fn raw_html_is_sanitised_with_a_warning_for_each_removal() {
    let html = "<div onclick=\"steal()\">\n<script>alert('x')</script>\n<iframe src=\"https://video.example/embed\"></iframe>\n<style>body { display: none }</style>\n</div>\n\n<a href=\"javascript:alert(1)\">Report</a> and <a href=\"data:text/html,hi\">this</a> and <img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"A dot\">\n";
    let body = good_body().replace("## Background\n", &format!("## Background\n\n{html}"));
    let text = crate::common::briefing(good_front(), &body);
    let site = site_one(&text);
    let lines: Vec<(String, u64)> = found(&site).into_iter().filter(|(c, _)| c.starts_with("unsafe-")).map(|(c, l)| (c, l.unwrap())).collect();
    let expected = [("unsafe-html", "onclick"), ("unsafe-html", "<script>"), ("unsafe-html", "<iframe"), ("unsafe-html", "<style>"), ("unsafe-url", "javascript:"), ("unsafe-url", "data:text")];
    assert_eq!(lines, expected.map(|(c, n)| (c.to_string(), line_of(&text, n))), "addresses are unsafe-url (the URL policy), the rest unsafe-html");
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    // The briefing's own content: the page around it has the site's search script.
    let page = article(&site.read("output/briefings/child-a/index.html"));
    for gone in ["onclick", "<script", "alert(", "<iframe", "display: none", "javascript:", "data:text"] {
        assert!(!page.contains(gone), "{gone} survived");
    }
    assert!(page.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"A dot\">"), "images may be data: addresses");

    site.write("site.toml", format!("{SITE_TOML}allow_unsafe_html = true\n"));
    assert!(!codes(&site).contains(&"unsafe-html".into()));
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let page = article(&site.read("output/briefings/child-a/index.html"));
    for kept in ["onclick=\"steal()\"", "<script>alert('x')</script>", "<iframe src=\"https://video.example/embed\">"] {
        assert!(page.contains(kept), "{kept} was removed although the site allows it");
    }
}

#[test]
fn paths_that_climb_out_of_the_site_are_warned_and_never_followed() {
    let body = good_body().replace("Another one follows it.", "Another one follows it.\n\n![The password file](../../../../etc/passwd)");
    let text = crate::common::briefing(good_front(), &body);
    let (_work, site) = site_alone(&text);
    expect_at(&site, "path-leaves-site", &text, "../../../../etc/passwd");
    let parent_before = listing(site.path().parent().unwrap());
    let out = run(&site, &["build"]);
    assert!(out.status.success());
    assert_eq!(listing(site.path().parent().unwrap()), parent_before, "nothing was written beside the site");
    assert_no_file_contains(&site.path().join("output"), "root:");
}

pub(super) fn article(page: &str) -> String {
    let start = page.find("<article").expect("an article");
    let end = page.find("</article>").expect("an article end");
    page[start..end].to_string()
}

/// A site of one briefing in a folder of its own, so that anything written beside the site
/// shows in a listing of that folder (the system's temporary folder is shared).
pub(super) fn site_alone(text: &str) -> (tempfile::TempDir, Site) {
    let work = tempfile::tempdir().unwrap();
    let site = Site { dir: tempfile::tempdir_in(work.path()).unwrap() };
    site.write("site.toml", SITE_TOML);
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site.write("briefings/child-a.md", text);
    (work, site)
}

pub(super) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

pub(super) fn assert_no_file_contains(dir: &Path, needle: &str) {
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(!String::from_utf8_lossy(&bytes).contains(needle), "{} holds {needle}", entry.display());
    }
}

pub(super) fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let meta = entry.path().symlink_metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out
}

#[test]
fn the_example_site_has_no_errors_and_few_warnings() {
    // As of the real date: what a new user sees.
    let out = run_as_of(&crate::common::repo_root(), &["check", "--format", "json"], None);
    assert!(out.status.success(), "{}", crate::common::stdout(&out));
    let summary: Value = serde_json::from_str(crate::common::stdout(&out).lines().last().unwrap()).unwrap();
    assert_eq!(summary["errors"], 0);
    assert!(summary["warnings"].as_u64().unwrap() <= 5, "keep the demo's warnings few: {summary}");
}

#[test]
fn the_example_guidance_table_survives_sanitising() {
    let work = tempfile::tempdir().unwrap();
    let out_dir = work.path().join("out");
    let root = crate::common::repo_root();
    let out = run_in(work.path(), &["build", "--root", root.to_str().unwrap(), "--output", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let page = std::fs::read_to_string(out_dir.join("briefings/professional-curiosity-guidance/index.html")).unwrap();
    let source = std::fs::read_to_string(root.join("briefings/professional-curiosity-guidance.md")).unwrap();
    for kept in ["<caption>Prompts for home visits, by area of focus</caption>", "<th scope=\"col\">Area</th>", "<td><ol><li>Is the home warm, and is there food?</li>"] {
        assert!(source.contains(kept), "the example still has {kept}");
        assert!(page.contains(kept), "{kept} did not survive");
    }
}

// --- Output formats and exit codes ------------------------------------------------------

fn warned_and_noted() -> Site {
    let front = good_front().replace("review_due = 2026-01-10\n", "");
    let body = good_body().replace("Another one follows it.", "Another one follows it. Read [here](https://a.example/x).");
    one(&front, &body)
}

#[test]
fn human_output_names_file_line_column_and_what_to_do() {
    let site = warned_and_noted();
    let out = run(&site, &["check"]);
    let err = crate::common::stderr(&out);
    let text = site.read("briefings/child-a.md");
    let line = line_of(&text, "[here]");
    let column = text.lines().nth(line as usize - 1).unwrap().find("[here]").unwrap() + 1;
    assert!(err.contains(&format!("warning[vague-link-text]: the link text \"here\" does not say where the link goes\n  --> briefings/child-a.md:{line}:{column}")), "{err}");
    assert!(err.contains("Read [here](https://a.example/x)."), "{err}");
    assert!(err.contains("= help: say where the link goes"), "{err}");
    assert!(err.contains("note[no-review-date]"), "{err}");
    assert!(!err.contains('\x1b'), "no colour when NO_COLOR is set or stderr is not a terminal");
    assert!(crate::common::stdout(&out).contains("Checked 1 briefing and 1 theme: 7 warnings, 1 note"), "{}", crate::common::stdout(&out));
    assert!(out.status.success());
}

#[test]
fn json_output_is_one_object_a_line_with_a_summary() {
    let site = warned_and_noted();
    for command in ["check", "build"] {
        let out = run(&site, &[command, "--format", "json"]);
        assert_eq!(crate::common::stderr(&out), "", "JSON mode writes nothing else");
        let lines: Vec<Value> = crate::common::stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let (summary, diagnostics) = lines.split_last().unwrap();
        for d in diagnostics {
            assert_eq!(d["type"], "diagnostic");
            for field in ["severity", "code", "message", "file", "line", "column", "end_column", "source_line", "help"] {
                assert!(d.get(field).is_some(), "{field} missing from {d}");
            }
        }
        let link = diagnostics.iter().find(|d| d["code"] == "vague-link-text").unwrap();
        assert_eq!(link["file"], "briefings/child-a.md");
        assert_eq!(link["end_column"].as_u64().unwrap() - link["column"].as_u64().unwrap(), "[here]".len() as u64);
        assert!(link["source_line"].as_str().unwrap().contains("[here]"));
        let count = |sev: &str| diagnostics.iter().filter(|d| d["severity"] == sev).count();
        assert_eq!((summary["errors"].as_u64(), summary["warnings"].as_u64(), summary["notes"].as_u64()), (Some(0), Some(count("warning") as u64), Some(count("note") as u64)));
        assert_eq!((&summary["command"], &summary["status"]), (&Value::from(command), &Value::from("ok")));
        assert!(out.status.success());
    }
}

#[test]
fn deny_warnings_fails_on_warnings_only() {
    let site = warned_and_noted();
    let out = run(&site, &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::common::stderr(&out).contains("Check failed: 7 warnings, 1 note (--deny-warnings makes warnings fail)"), "{}", crate::common::stderr(&out));
    let out = run(&site, &["build", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.exists("output"), "a denied build writes nothing");
    let out = run(&site, &["build"]);
    assert!(out.status.success() && site.exists("output/index.html"));

    let notes_only = one(&good_front().replace("review_due = 2026-01-10\n", ""), &good_body());
    assert_eq!(run(&notes_only, &["check", "--deny-warnings"]).status.code(), Some(0), "notes are not warnings");
    let (_, summary, out) = json(&site, &["--deny-warnings"]);
    assert_eq!((out.status.code(), &summary["status"]), (Some(1), &Value::from("content-errors")));
}

// --- Allow lists ------------------------------------------------------------------------

#[test]
fn site_toml_switches_checks_off_everywhere() {
    let site = warned_and_noted();
    site.write("site.toml", format!("{SITE_TOML}[check]\nallow = [\"vague-link-text\", \"no-review-date\"]\n"));
    assert_eq!(codes(&site), Vec::<String>::new());
}

#[test]
fn a_briefing_switches_checks_off_for_itself_only() {
    // One check found while reading the Markdown, one found on the assembled site.
    let themeless = good_front().replace("themes = [\"neglect\"]", "themes = []");
    let front = format!("{themeless}\nallow = [\"vague-link-text\", \"no-themes\"]");
    let body = good_body().replace("Another one follows it.", "Another one follows it. Read [here](https://a.example/x).");
    let site = site(&[("child-a", crate::common::briefing(&front, &body)), ("child-b", crate::common::briefing(&themeless, &body))]);
    let (diagnostics, _, _) = json(&site, &[]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"no-themes") && codes.contains(&"vague-link-text"), "{codes:?}");
    assert!(diagnostics.iter().all(|d| d["file"] == "briefings/child-b.md"), "{diagnostics:?}");
}

#[test]
fn allow_lists_name_real_checks_and_never_errors() {
    let site = one(&format!("{}\nallow = [\"vague-link-txt\", \"broken-link\"]", good_front()), &format!("{}\n[x](nowhere.md)\n", good_body()));
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let unknown: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "unknown-check").collect();
    assert_eq!(unknown.len(), 2, "{diagnostics:?}");
    assert_eq!(unknown[0]["help"], "did you mean \"vague-link-text\"?");
    assert!(unknown[1]["help"].as_str().unwrap().starts_with("errors cannot be switched off"));
    assert_eq!(unknown[1]["line"].as_u64(), Some(9));

    let site = one(good_front(), &good_body());
    site.write("site.toml", format!("{SITE_TOML}[check]\nalow = [\"too-long\"]\n"));
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!((&diagnostics[0]["code"], &diagnostics[0]["help"]), (&Value::from("unknown-key"), &Value::from("did you mean `allow`?")));
}

/// Every warning and note the code can make has a code in `checks::CHECKS` (so it can be
/// switched off), and the README lists every one of them.
#[test]
fn every_warning_and_note_can_be_switched_off_and_is_documented() {
    let known: Vec<&str> = briefing::core::codes::CHECKS.iter().map(|c| c.code).collect();
    let src = crate::common::repo_root().join("src");
    for file in walk(&src).into_iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for marker in ["Diagnostic::warning(\"", "Severity::Warning, \"", "Severity::Note, \""] {
            for (at, _) in text.match_indices(marker) {
                let code = text[at + marker.len()..].split('"').next().unwrap();
                assert!(known.contains(&code), "{}: `{code}` is not in checks::CHECKS", file.display());
            }
        }
    }
    let readme = std::fs::read_to_string(crate::common::repo_root().join("README.md")).unwrap();
    for code in known {
        assert!(readme.contains(&format!("`{code}`")), "README.md does not list `{code}`");
    }
}

/// Colour only on a terminal, and never with NO_COLOR: run under `script`, which gives the
/// command a pseudo-terminal.
#[test]
fn colour_on_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED colour_on_a_terminal_unless_no_color: util-linux `script` is not installed");
        return;
    }
    let site = warned_and_noted();
    let on_terminal = |no_color: Option<&str>| {
        let mut command = Command::new("script");
        command.args(["-qec", &format!("{} check", crate::common::briefing_bin().display()), "/dev/null"]);
        command.current_dir(site.path()).env("BRIEFING_TODAY", TODAY).env_remove("NO_COLOR").stdin(Stdio::null());
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let out = command.output().expect("script runs");
        crate::common::stdout(&out)
    };
    let coloured = on_terminal(None);
    assert!(coloured.contains("\x1b[") && coloured.contains("vague-link-text"), "{coloured:?}");
    let plain = on_terminal(Some("1"));
    assert!(!plain.contains('\x1b') && plain.contains("warning[vague-link-text]"), "{plain:?}");
}

#[test]
fn messages_about_spans_kept_past_parsing_show_their_lines() {
    // The model keeps these spans without their lines (less memory for big sites); the
    // lines are read again for the messages: a front matter date (a check), a theme name
    // (the cross-reference) and a link (the site's link check) all point at theirs.
    let line_of = |diagnostics: &[Value], code: &str| {
        let d = diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"));
        d["source_line"].as_str().unwrap().to_string()
    };
    let front = good_front().replace("review_due = 2026-01-10", "review_due = 2020-02-02").replace("[\"neglect\"]", "[\"neglect\", \"Unheard-of theme\"]");
    let (diagnostics, _, _) = json(&one(&front, &good_body()), &[]);
    assert_eq!(line_of(&diagnostics, "review-overdue"), "review_due = 2020-02-02");
    assert_eq!(line_of(&diagnostics, "undefined-theme"), "themes = [\"neglect\", \"Unheard-of theme\"]");
    let body = good_body().replacen("A short sentence about this.", "See [the other](missing-one.md) here.", 1);
    let site = one(good_front(), &body);
    let (diagnostics, _, _) = json(&site, &[]);
    assert_eq!(line_of(&diagnostics, "broken-link"), "See [the other](missing-one.md) here. Another one follows it.");
    let text = crate::common::stderr(&run(&site, &["check"]));
    assert!(text.contains("| See [the other](missing-one.md) here."), "the terminal shows the line too: {text}");
}
