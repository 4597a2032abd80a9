//! `briefing import`: every fixture in tests/fixtures/import/ imported, its Markdown's structure
//! asserted and the result built; hostile files refused; the example site's briefings exported
//! to Word (pandoc) and imported back with the same sections; and the real binary on a
//! throwaway site (writes, never overwrites, writes nothing on failure, reports, JSON lines).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use briefing::import::{self, ImportError, ImportOptions, Imported, SiteInfo};

fn repo() -> PathBuf {
    crate::common::repo_root()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn options() -> ImportOptions {
    ImportOptions { root: repo(), format: None, slug: None, today: time::macros::date!(2026 - 01 - 15) }
}

/// Imports a file with the example site's partnership and themes.
fn import_path(path: &Path) -> Result<Imported, ImportError> {
    let site = SiteInfo::load(&repo()).expect("the example site loads");
    import::import_with(path, &options(), &site)
}

fn import_ok(name: &str) -> Imported {
    import_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn import_err(name: &str) -> ImportError {
    match import_path(&fixture(name)) {
        Ok(done) => panic!("{name} imported: {}", done.text),
        Err(e) => e,
    }
}

/// The body of an imported source, after its front matter.
fn body(imported: &Imported) -> &str {
    imported.text.splitn(3, "+++\n").nth(2).expect("front matter between +++ lines")
}

/// The `## ` headings of a Markdown source, in order.
fn sections(markdown: &str) -> Vec<String> {
    markdown.lines().filter_map(|l| l.strip_prefix("## ")).map(|s| s.trim().to_string()).collect()
}

fn codes(imported: &Imported) -> Vec<&'static str> {
    imported.report.left.iter().map(|f| f.code).collect()
}

/// Builds the imported briefing (as a single file: pictures are checked on disk by the CLI
/// tests) with the example site's themes; returns its page. Fails on any error.
fn build(imported: &Imported) -> String {
    let source = imported.text.replace("draft = true", "draft = false");
    let path = format!("briefings/{}.md", imported.slug);
    let source = if imported.pictures.is_empty() { source } else { source.replace("](picture-", "](https://example.org/picture-") };
    // The example site's themes by their names only (their descriptions link to briefings).
    let themes: Vec<(String, String)> = SiteInfo::load(&repo())
        .unwrap()
        .themes
        .into_iter()
        .map(|t| {
            let mut front = toml::Table::new();
            front.insert("title".into(), t.title.into());
            front.insert("aliases".into(), t.aliases.into());
            (format!("themes/{}.md", t.slug), format!("+++\n{}+++\nA theme.\n", toml::to_string(&front).unwrap()))
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("site.toml", "title = \"Test\"\npartnership = \"Eastmere Safeguarding Partnership\"\n"), (&path, &source)];
    files.extend(themes.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let (out, diags) = briefing::build_in_memory(&files);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{} does not build: {errors:#?}\n{source}", imported.slug);
    let page = format!("briefings/{}/index.html", imported.slug);
    let file = out.iter().find(|f| f.path == page).unwrap_or_else(|| panic!("no {page}"));
    String::from_utf8(file.contents.to_vec()).unwrap()
}

#[test]
fn heading_styles_become_title_sections_and_subsections() {
    let done = import_ok("heading-styles.docx");
    let md = body(&done);
    assert_eq!(done.report.title, "Baby Rowan: practitioner learning briefing");
    assert_eq!(done.report.title_from, "the Title style");
    assert_eq!(sections(md), ["Who should read this", "How the review was done", "Overview of learning", "Recommendations"]);
    assert!(md.contains("\n### Conversations with the family\n"), "{md}");
    assert!(md.contains("record **who lives in the home** and *ask again* at"), "{md}");
    assert!(md.contains("\u{201c}quotes\u{201d} and a\u{a0}non-breaking"), "smart quotes and nbsp kept: {md}");
    assert!(!md.contains("\n\n\n"), "spacing paragraphs dropped");
    assert!(done.text.contains("format = \"practitioner\"\n") && done.text.contains("published = 2023-06-14\n") && done.text.contains("draft = true\n"));
    assert!(done.text.contains("partnership = \"Eastmere Safeguarding Partnership\"\n"));
    assert!(done.text.contains("themes = [\"early-help\"]"), "{}", done.text);
    assert!(codes(&done).contains(&"check-published"));
    let page = build(&done);
    assert!(page.contains("<strong>who lives in the home</strong>") && page.contains("Conversations with the family</h3>"), "{page}");
}

#[test]
fn bold_and_larger_paragraphs_are_headings() {
    let done = import_ok("bold-headings.docx");
    assert_eq!(done.report.title, "Seven minute briefing: the Birch family");
    assert_eq!(sections(body(&done)), ["Background", "Why it matters", "What was the learning?", "What you can do"]);
    assert_eq!(done.report.format, "7-minute");
    assert!(codes(&done).contains(&"section-count"), "four sections of a 7-minute briefing are flagged");
    assert_eq!(done.report.themes, ["neglect"]);
    build(&done);
}

#[test]
fn numbered_paragraphs_are_sections_without_their_numbers() {
    let done = import_ok("numbered-headings.docx");
    assert_eq!(done.report.title, "Learning from Child Juniper");
    assert_eq!(done.report.title_from, "the document properties");
    assert_eq!(sections(body(&done)).len(), 7);
    assert_eq!(sections(body(&done))[0], "Background");
    assert_eq!((done.report.format.as_str(), done.report.format_reason.as_str()), ("7-minute", "it has seven numbered sections"));
    build(&done);
}

const SEVEN: [&str; 7] = ["Background", "Why it matters", "What was the learning?", "What can we consider?", "What you can do", "Questions for reflection", "Further information"];

#[test]
fn seven_numbered_table_boxes_are_seven_sections() {
    let done = import_ok("seven-boxes.docx");
    let md = body(&done);
    assert_eq!(sections(md), SEVEN);
    assert!(md.contains("## Background\n\nBox 1 text."), "{md}");
    assert!(md.find("Northvale Safeguarding Partnership").unwrap() < md.find("## Background").unwrap(), "the other cell is introduction");
    assert_eq!(done.report.format, "7-minute");
    assert!(build(&done).contains("Box 7 text."));
}

#[test]
fn text_boxes_are_read_once_in_number_order() {
    let done = import_ok("text-boxes.docx");
    let md = body(&done);
    assert_eq!(sections(md), SEVEN, "boxes anchored out of order come out in number order: {md}");
    assert_eq!(md.matches("Box 2 says").count(), 1, "the VML fallback copy is not read as well");
    assert!(md.contains("Contact the learning team"), "an unnumbered box is kept");
    assert!(codes(&done).contains(&"text-boxes"));
    build(&done);
}

#[test]
fn nested_lists_bullets_numbers_and_restarts() {
    let done = import_ok("lists.docx");
    let md = body(&done);
    assert!(md.contains("- Ask who lives in the home\n  - Including visitors who stay over\n    - And anyone who looks after the baby\n- Record what you were told"), "{md}");
    assert!(md.contains("1. Speak to the family\n   1. Alone if you can\n   2. With an interpreter if needed\n2. Talk to your supervisor"), "{md}");
    assert!(md.contains("Then, later:\n\n3. Share your concern"), "numbering continues after a paragraph: {md}");
    assert!(md.contains("## A new list\n\n1. Starts again at one\n2. And goes on to two"), "a restart starts at one: {md}");
    let page = build(&done);
    assert!(page.contains("<ol start=\"3\">") && page.matches("<ul>").count() >= 3, "{page}");
}

#[test]
fn tables_keep_header_rows_and_flag_merged_cells() {
    let done = import_ok("table.docx");
    let md = body(&done);
    assert!(md.contains("| Agency | Action | By |\n| --- | --- | --- |\n"), "{md}");
    assert!(md.contains("Share call-outs \\| daily"), "a pipe in a cell is escaped: {md}");
    assert!(codes(&done).contains(&"merged-cells"));
    assert!(!codes(&done).contains(&"table-header"), "Word marked the header row");
    let page = build(&done);
    assert!(page.contains("<th>Agency</th>") && page.contains("Share call-outs | daily"), "{page}");
}

#[test]
fn footnotes_and_endnotes_become_markdown_notes() {
    let done = import_ok("notes.docx");
    let md = body(&done);
    assert!(md.contains("most at risk.[^1] Agencies must share.[^2]"), "{md}");
    assert!(md.contains("led it.[^3] Again:[^1]"), "a note referred to twice keeps its number: {md}");
    assert!(md.contains("[^1]: Figures from the partnership annual report.") && md.contains("[^3]: The review was completed in 2023."), "{md}");
    assert!(!md.contains("separator"));
    let page = build(&done);
    assert!(page.contains("Working Together guidance, chapter 4."), "{page}");
}

#[test]
fn pictures_are_saved_with_their_alt_text_or_a_placeholder() {
    let done = import_ok("pictures.docx");
    let md = body(&done);
    assert!(md.contains("![Four steps, from talking to the worker to the partnership's escalation panel](picture-1.png)"), "{md}");
    assert!(md.contains(&format!("![{}](picture-2.png)", import::PLACEHOLDER_ALT)), "{md}");
    assert_eq!(done.pictures.len(), 2);
    assert!(done.pictures.iter().all(|(_, bytes)| bytes.starts_with(b"\x89PNG")));
    let alt = done.report.left.iter().find(|f| f.code == "missing-alt-text").expect("a warning for the picture without alt text");
    assert!(alt.message.contains("picture-2.png"), "{}", alt.message);
    assert!(build(&done).contains("alt=\"Four steps"));
}

#[test]
fn hyperlink_fields_relationship_links_and_no_contents_list() {
    let done = import_ok("hyperlinks.docx");
    let md = body(&done);
    assert!(md.contains("[the escalation policy](https://www.example.org/escalation-policy)"), "{md}");
    assert!(md.contains("[the training page](https://www.example.org/training?a=1&b=2)"), "{md}");
    assert!(md.contains("[email the team](mailto:learning@example.org)"), "{md}");
    assert!(!md.contains("Contents line"), "a TOC field's text is dropped: {md}");
    build(&done);
}

#[test]
fn tracked_insertions_are_kept_deletions_dropped_with_a_note() {
    let done = import_ok("tracked-changes.docx");
    let md = body(&done);
    assert!(md.contains("The health visitor and the school nurse saw the family. Agreed text stays."), "{md}");
    assert!(!md.contains("old wording"));
    assert!(codes(&done).contains(&"tracked-changes"));
    build(&done);
}

#[test]
fn hidden_text_is_left_out_with_a_note() {
    // Hidden directly, by a character style and by a paragraph style (a template's guidance),
    // and a heading wholly hidden; a run that unhides what its style hides stays.
    let done = import_ok("hidden-text.docx");
    let md = body(&done);
    for gone in ["Robin Example", "ask the school", "Delete this guidance", "Notes for the panel"] {
        assert!(!done.text.contains(gone), "{gone}: {}", done.text);
    }
    assert!(md.contains("Child D moved school. The plan went with them."), "{md}");
    assert!(md.contains("The panel met twice. It was reviewed."), "{md}");
    assert_eq!(sections(md), ["What happened"]);
    assert!(codes(&done).contains(&"hidden-text"), "{:?}", codes(&done));
    build(&done);
}

#[test]
fn template_placeholders_are_left_out_with_a_note() {
    let done = import_ok("placeholders.docx");
    let md = body(&done);
    assert!(!md.contains("Click or tap"), "{md}");
    assert!(md.contains("The family moved area twice in a year."), "a filled-in control is text: {md}");
    assert!(md.contains("Date of the review:") && md.contains(" (to be confirmed)."), "the paragraph around an empty control stays: {md}");
    assert!(codes(&done).contains(&"placeholders"), "{:?}", codes(&done));
    build(&done);
}

#[test]
fn embedded_html_parts_are_read_in_place_and_others_named() {
    let done = import_ok("alt-chunk.docx");
    let md = body(&done);
    assert!(md.contains("Written in Word.\n\n## Embedded heading\n\nWritten by another program and embedded."), "{md}");
    assert!(codes(&done).contains(&"embedded-parts"), "the RTF part is named as left out: {:?}", codes(&done));
    build(&done);
}

#[test]
fn comments_are_dropped_with_a_note() {
    let done = import_ok("comment.docx");
    assert!(!done.text.contains("anonymous enough"));
    assert!(body(&done).contains("The family lived in a rented flat."));
    assert!(codes(&done).contains(&"comments-dropped"));
    build(&done);
}

#[test]
fn hostile_and_broken_files_are_clear_errors() {
    for (name, code) in [
        ("zip-bomb.docx", "hostile-file"),
        ("dot-dot-entry.docx", "hostile-file"),
        ("billion-laughs.docx", "hostile-file"),
        ("truncated.docx", "damaged-file"),
        ("password-protected.docx", "protected-file"),
    ] {
        let started = std::time::Instant::now();
        let e = import_err(name);
        assert_eq!(e.code, code, "{name}: {e:?}");
        assert!(e.file.ends_with(name) && !e.help.is_empty(), "{name}: the error names the file and says what to do");
        assert!(started.elapsed().as_secs() < 20, "{name} took {:?}", started.elapsed());
    }
    assert_eq!(import_path(&repo().join("Cargo.toml")).unwrap_err().code, "unsupported-file");
}

/// A named pipe given to import was opened, and the import waited for a writer for ever.
#[cfg(unix)]
#[test]
fn a_pipe_or_a_folder_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("briefing.txt");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs").success());
    let (sender, receiver) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || sender.send(import_path(&path).map(|_| ()).map_err(|e| e.code)));
    let got = receiver.recv_timeout(std::time::Duration::from_secs(10));
    if got.is_err() {
        // Let the stuck import go before failing.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
    }
    assert_eq!(got.expect("import waited on the pipe"), Err("unreadable-file"));
    assert_eq!(import_path(dir.path()).unwrap_err().code, "unreadable-file");
}

#[test]
fn html_pages_give_their_main_content_only() {
    let done = import_ok("old-site-page.html");
    let md = body(&done);
    assert_eq!(done.report.title, "Child Willow: thematic review briefing");
    assert_eq!(done.report.format, "thematic");
    assert_eq!(sections(md), ["What did we learn?", "What does this mean for practice?"]);
    for absent in ["newsletter", "News", "not content", "\u{a9}", "color"] {
        assert!(!md.contains(absent), "{absent} is not main content: {md}");
    }
    assert!(md.contains("*did not attend*") && md.contains("[whole pattern of neglect](https://www.example.org/neglect-toolkit)"), "{md}");
    assert!(md.contains("- Ask the family what gets in the way\n  - Transport"), "{md}");
    assert!(codes(&done).contains(&"pictures-dropped"));
    assert!(done.report.themes.contains(&"neglect".to_string()) && done.report.themes.contains(&"was-not-brought".to_string()), "{:?}", done.report.themes);
    build(&done);
}

#[test]
fn plain_text_headings_by_the_same_rules() {
    let done = import_ok("email-text.txt");
    let md = body(&done);
    assert_eq!(done.report.title, "Seven minute briefing: Child Aspen");
    assert_eq!(sections(md), ["Background", "Why it matters", "What was the learning?", "What you can do"]);
    assert!(md.contains("Aspen was nine when her school raised concerns about her attendance"), "wrapped lines are joined: {md}");
    assert!(md.contains("- Agencies held pieces of the picture\n- Nobody asked"), "{md}");
    build(&done);
}

/// The example site's briefings, exported to Word by pandoc (roundtrip/make.sh), come back
/// with their titles and sections, and build.
#[test]
fn example_briefings_round_trip_through_word() {
    let fold = |s: &str| s.replace(['\u{2019}', '\u{2018}'], "'").replace(['\u{201c}', '\u{201d}'], "\"");
    let dir = fixture("roundtrip");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "docx") {
            continue;
        }
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(repo().join(format!("briefings/{slug}.md")))
            .or_else(|_| std::fs::read_to_string(repo().join(format!("briefings/{slug}/index.md"))))
            .unwrap();
        let done = import_path(&path).unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        let expected: Vec<String> = sections(&original).iter().map(|s| fold(s)).collect();
        let got: Vec<String> = done.report.sections.iter().map(|s| fold(s)).collect();
        assert_eq!(got, expected, "{slug}");
        assert!(original.contains(&format!("title = \"{}\"", fold(&done.report.title))) || original.contains(&done.report.title), "{slug}: {}", done.report.title);
        if original.contains("[^1]") {
            assert!(body(&done).contains("[^1]: "), "{slug}: footnotes come back");
        }
        build(&done);
        seen += 1;
    }
    assert!(seen >= 8, "only {seen} round-trip files");
}

// ------------------------------------------------------------------- the command line

/// A throwaway site with one theme.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("briefings")).unwrap();
    std::fs::create_dir_all(dir.path().join("themes")).unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Test\"\npartnership = \"Testshire Partnership\"\n").unwrap();
    std::fs::write(dir.path().join("themes/neglect.md"), "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n").unwrap();
    dir
}

fn run(site: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing")).args(args).arg("--root").arg(site).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn cli_writes_a_draft_that_checks_and_never_overwrites() {
    let site = site();
    let docx = fixture("bold-headings.docx");
    let out = run(site.path(), &["import", docx.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for line in ["wrote briefings/seven-minute-briefing-the-birch-family.md", "format: 7-minute", "    1. Background", "themes suggested: neglect", "left for you to check", "run `briefing check`"] {
        assert!(stdout.contains(line), "report lacks {line:?}:\n{stdout}");
    }
    let written = site.path().join("briefings/seven-minute-briefing-the-birch-family.md");
    let before = std::fs::read_to_string(&written).unwrap();
    assert!(before.contains("partnership = \"Testshire Partnership\""));
    let check = Command::new(env!("CARGO_BIN_EXE_briefing")).args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));

    let again = run(site.path(), &["import", docx.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("briefings/seven-minute-briefing-the-birch-family.md already exists"), "{}", text(&again.stderr));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), before, "the existing briefing is untouched");

    let renamed = run(site.path(), &["import", docx.to_str().unwrap(), "--slug", "birch-family"]);
    assert_eq!(renamed.status.code(), Some(0), "{}", text(&renamed.stderr));
    assert!(site.path().join("briefings/birch-family.md").exists());
}

#[test]
fn cli_writes_nothing_when_a_file_fails() {
    let site = site();
    let before = files(site.path());
    for bad in ["truncated.docx", "zip-bomb.docx", "password-protected.docx"] {
        let out = run(site.path(), &["import", fixture(bad).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(bad) && stderr.contains("help:"), "{stderr}");
    }
    assert_eq!(files(site.path()), before, "nothing written, no temporary folder left");
    let missing = run(site.path(), &["import", "no-such-file.docx"]);
    assert_eq!(missing.status.code(), Some(2));
    let two = run(site.path(), &["import", "a.docx", "b.docx", "--slug", "x"]);
    assert_eq!(two.status.code(), Some(2));
}

#[test]
fn cli_bundles_pictures_and_reports_json_lines() {
    let site = site();
    let good = fixture("pictures.docx");
    let bad = fixture("billion-laughs.docx");
    let out = run(site.path(), &["import", good.to_str().unwrap(), bad.to_str().unwrap(), "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1), "one of two failed");
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0]["type"], "imported");
    assert_eq!(lines[0]["written"], "briefings/escalation-in-pictures/index.md");
    assert!(lines[0]["left"].as_array().unwrap().iter().any(|f| f["code"] == "missing-alt-text"));
    assert_eq!((lines[1]["type"].as_str(), lines[1]["code"].as_str()), (Some("error"), Some("hostile-file")));
    assert_eq!(lines[2], serde_json::json!({"type": "summary", "command": "import", "status": "content-errors", "imported": 1, "failed": 1}));
    let bundle = site.path().join("briefings/escalation-in-pictures");
    assert_eq!(files(&bundle), ["index.md", "picture-1.png", "picture-2.png"]);
    assert!(!files(&site.path().join("briefings")).iter().any(|f| f.starts_with(".import")), "no temporary folder left");
    let check = Command::new(env!("CARGO_BIN_EXE_briefing")).args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "the bundle's pictures are found: {}", text(&check.stderr));
}
