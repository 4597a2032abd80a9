//! The core pipeline end to end: the real binary on fixture sites and on the example site.


use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{briefing, Site};

const GOOD: &str = "title = \"Child A\"\nformat = \"7-minute\"\npublished = 2024-05-01\nsummary = \"What we learned.\"\naudience = \"Everyone\"\nthemes = [\"Neglect\"]";

fn good_site() -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Test briefings\"\npartnership = \"Testshire Partnership\"\n");
    site.write("briefings/child-a.md", briefing(GOOD, "Intro words.\n\n## Background\n\nSee [the other one](child-b.md#what-happened).\n\n## Learning\n\nText.[^1]\n\n[^1]: A note.\n"));
    site.write(
        "briefings/child-b.md",
        briefing("title = \"Child B\"\nformat = \"practitioner\"\npublished = 2025-02-03\nupdated = 2025-03-01\nthemes = [\"neglect\"]", "## What happened\n\nStuff.\n"),
    );
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn builds_pages_and_an_index_newest_first() {
    let site = good_site();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let summary = crate::common::stdout(&out);
    // 12 pages (the search page among them), a handout for each briefing and an action plan
    // for the 7-minute one.
    assert!(summary.starts_with("Built 2 briefings, 1 theme, 12 pages and 3 PDFs"), "{summary}");
    for pdf in ["child-a/child-a.pdf", "child-a/child-a-action-plan.pdf", "child-b/child-b.pdf"] {
        assert!(site.read_bytes(&format!("output/briefings/{pdf}")).starts_with(b"%PDF-"), "{pdf}");
    }

    let index = site.read("output/index.html");
    let (b, a) = (index.find("Child B").unwrap(), index.find("Child A").unwrap());
    assert!(b < a, "newest first");
    for expected in ["href=\"briefings/child-a/index.html\"", "7-minute briefing", "1 May 2024", "What we learned.", "1 minute read", "href=\"themes/neglect/index.html\""] {
        assert!(index.contains(expected), "index lacks {expected}");
    }

    let page = site.read("output/briefings/child-a/index.html");
    for expected in [
        "<html lang=\"en-GB\">",
        "<h1>Child A</h1>",
        "Testshire Partnership",
        "<time datetime=\"2024-05-01\">1 May 2024</time>",
        "Everyone",
        "<h2 id=\"background\"><span class=\"section-number\">1</span> Background</h2>",
        "<h2 id=\"learning\"><span class=\"section-number\">2</span> Learning</h2>",
        "href=\"../../briefings/child-b/index.html#what-happened\"",
        "href=\"../../assets/style.css\"",
        "href=\"../../themes/neglect/index.html\"",
        "<li id=\"fn-1\">",
        "<a class=\"skip-link\" href=\"#main\">",
        "<main id=\"main\"",
    ] {
        assert!(page.contains(expected), "page lacks {expected}");
    }
    assert_eq!(page.matches("<h1").count(), 1);
    assert!(site.read("output/briefings/child-b/index.html").contains("<time datetime=\"2025-03-01\">1 March 2025</time>"));
    assert!(site.exists("output/assets/style.css"));
}

#[test]
fn output_is_byte_identical_across_builds() {
    let site = good_site();
    assert!(site.run(&["build", "--output", "one"]).status.success());
    assert!(site.run(&["build", "--output", "two"]).status.success());
    let (one, two) = (tree(&site.path().join("one")), tree(&site.path().join("two")));
    assert!(one.len() > 4);
    assert_eq!(one, two);
}

#[test]
fn every_link_and_asset_in_the_output_is_relative() {
    let site = good_site();
    assert!(site.run(&["build"]).status.success());
    for (path, bytes) in tree(&site.path().join("output")) {
        if path == "404.html" {
            continue; // served at any depth, so it cannot use relative links: see its own test
        }
        let html = String::from_utf8_lossy(&bytes);
        for attr in ["href=\"", "src=\""] {
            for value in html.split(attr).skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
                let external = value.starts_with("https://") || value.starts_with("mailto:");
                assert!(!value.starts_with('/') && (external || !value.contains("://")), "{path}: {attr}{value}");
                assert!(!external, "{path} requests {value} from outside the site");
            }
        }
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = good_site();
    site.write("briefings/child-c.md", briefing("title = \"Child C\"\npublished = 2024-01-01\ndraft = true", "## One\n"));
    let out = site.run(&["build"]);
    assert!(crate::common::stdout(&out).contains("1 draft left out"), "{}", crate::common::stdout(&out));
    assert!(!site.exists("output/briefings/child-c/index.html"));
    assert!(site.run(&["build", "--drafts"]).status.success());
    assert!(site.exists("output/briefings/child-c/index.html"));
}

#[test]
fn a_successful_build_replaces_the_output_whole() {
    let site = good_site();
    assert!(site.run(&["build"]).status.success());
    std::fs::remove_file(site.path().join("briefings/child-a.md")).unwrap();
    site.write("briefings/child-b.md", briefing("title = \"Child B\"\npublished = 2025-02-03", "## What happened\n"));
    assert!(site.run(&["build"]).status.success());
    assert!(!site.exists("output/briefings/child-a"), "no stale page of a deleted briefing");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = good_site();
    assert!(site.run(&["build"]).status.success());
    let before = tree(&site.path().join("output"));
    site.write("briefings/child-a.md", "+++\ntitle = \"Child A\npublished = 2024-05-01\n+++\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::common::stderr(&out).contains("was left as it was"));
    assert_eq!(tree(&site.path().join("output")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().contains("output.")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_output_folders_it_must_not_replace() {
    let site = good_site();
    site.write("mine/report.docx", "precious");
    for target in [".", "briefings", "themes", "mine", ".."] {
        let out = site.run(&["build", "--output", target]);
        assert_eq!(out.status.code(), Some(2), "--output {target}");
        assert!(crate::common::stderr(&out).contains("refusing to write the site"), "{}", crate::common::stderr(&out));
    }
    assert_eq!(site.read("mine/report.docx"), "precious");
    assert!(site.exists("briefings/child-a.md"));
}

#[test]
fn bundles_carry_their_attachments() {
    let site = good_site();
    site.write("briefings/child-d/index.md", briefing("title = \"Child D\"\npublished = 2024-01-01", "## One\n\n![A timeline of events](timeline.svg)\n"));
    site.write("briefings/child-d/timeline.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("briefings/child-d/.timeline.svg.swp", "junk");
    assert!(site.run(&["build"]).status.success());
    assert!(site.read("output/briefings/child-d/index.html").contains("src=\"timeline.svg\""));
    assert!(site.exists("output/briefings/child-d/timeline.svg"));
    assert!(!site.exists("output/briefings/child-d/.timeline.svg.swp"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = good_site();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert!(crate::common::stdout(&out).contains("Checked 2 briefings and 1 theme"));
    assert!(!site.exists("output"));
    site.write("briefings/child-a.md", briefing("title = \"A\"\npublished = 2024-05-01\nformat = \"7-minutes\"", ""));
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::common::stderr(&out).contains("did you mean format = \"7-minute\"?"));
    assert!(!site.exists("output"));
}

#[test]
fn bad_inputs_get_file_line_and_a_fix() {
    let cases: &[(&str, &[u8], &[&str])] = &[
        ("briefings/a.md", b"+++\ntitle = \"A\npublished = 2024-05-01\n+++\n", &["error[malformed-toml]", "briefings/a.md:2:", "double quotes"]),
        ("briefings/a.md", b"+++\ntitle = \"A\"\npublished = 2024-05-01\nreview_dew = 2026-01-01\n+++\n", &["error[unknown-key]", "briefings/a.md:4:1", "review_dew = 2026-01-01", "did you mean `review_due`?"]),
        ("briefings/a.md", b"+++\npublished = 2024-05-01\n+++\n", &["error[missing-key]", "no `title`", "briefings/a.md:1:1"]),
        ("briefings/a.md", b"+++\ntitle = \"A\"\npublished = \"1 May 2024\"\n+++\n", &["error[bad-date]", "briefings/a.md:3:13", "2024-05-01"]),
        ("briefings/a.md", b"+++\ntitle = \"A\"\npublished = 2024-05-01\nformat = \"briefing\"\n+++\n", &["error[unknown-format]", "briefings/a.md:4:10", "\"7-minute\", \"practitioner\", \"thematic\", \"guidance\""]),
        ("briefings/a.md", b"+++\ntitle = \"Caf\xe9\"\npublished = 2024-05-01\n+++\n", &["error[invalid-utf8]", "briefings/a.md:2:13", "UTF-8"]),
        ("briefings/a.md", b"  \n", &["error[empty-file]", "briefing new"]),
        ("briefings/a.md", b"+++\ntitle = \"A\"\n## Background\n", &["error[unclosed-front-matter]", "briefings/a.md:1:1"]),
        ("briefings/a.md", b"## Background\n", &["error[missing-front-matter]", "+++"]),
        ("briefings/Child_A.md", b"+++\ntitle = \"A\"\npublished = 2024-05-01\n+++\n", &["error[bad-slug]", "rename it to `child-a.md`"]),
        ("briefings/a.md", b"+++\ntitle = \"A\"\npublished = 2024-05-01\n+++\nSee [b](missing-one.md).\n", &["error[broken-link]", "briefings/a.md:5:5", "does not exist"]),
        ("site.toml", b"titel = \"x\"\n", &["error[unknown-key]", "site.toml:1:1", "did you mean `title`?"]),
    ];
    for (file, source, expected) in cases {
        let site = Site::new();
        site.write("briefings/ok.md", briefing("title = \"OK\"\npublished = 2024-01-01", "## One\n"));
        site.write(file, source);
        let out = site.run(&["build"]);
        let err = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        for e in *expected {
            assert!(err.contains(e), "{file}: expected {e:?} in:\n{err}");
        }
        assert!(!site.exists("output"));
    }
}

#[test]
fn duplicate_slugs_are_an_error() {
    let site = Site::new();
    site.write("briefings/a.md", briefing("title = \"A\"\npublished = 2024-05-01", ""));
    site.write("briefings/a/index.md", briefing("title = \"A again\"\npublished = 2024-05-01", ""));
    let err = error_for_site(&site);
    assert!(err.contains("error[duplicate-slug]"), "{err}");
    assert!(err.contains("briefings/a.md") && err.contains("briefings/a/index.md"), "both files are named: {err}");
}

fn error_for_site(site: &Site) -> String {
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    crate::common::stderr(&out)
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = Site::new();
    site.write("briefings/a.md", "+++\ntitle = \"A\"\npublished = 2024-05-01\nsumary = \"x\"\n+++\n");
    site.write("briefings/b.md", "+++\npublished = 2024-05-01\n+++\n");
    site.write("briefings/c.md", "");
    let err = error_for_site(&site);
    for e in ["briefings/a.md:4:1", "briefings/b.md:1:1", "briefings/c.md"] {
        assert!(err.contains(e), "{e} missing from:\n{err}");
    }
    assert!(err.contains("Build failed: 3 errors"), "{err}");
}

#[test]
fn a_site_without_briefings_folder_says_how_to_fix_it() {
    let site = Site::new();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::common::stderr(&out).contains("--root"));
}

#[test]
fn new_writes_a_draft_with_the_format_headings_and_never_overwrites() {
    let site = good_site();
    let out = site.run(&["new", "Child E: a case of neglect", "--format", "practitioner"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let text = site.read("briefings/child-e-a-case-of-neglect.md");
    assert!(text.contains("title = \"Child E: a case of neglect\""));
    assert!(text.contains("format = \"practitioner\""));
    assert!(text.contains("## Overview of learning") && text.contains("## Recommendations"));
    assert!(text.contains("draft = true"));
    assert!(site.run(&["check"]).status.success(), "the new briefing is valid");

    site.write("briefings/child-e-a-case-of-neglect.md", "my words");
    let again = site.run(&["new", "Child E: a case of neglect"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(crate::common::stderr(&again).contains("already exists"));
    assert_eq!(site.read("briefings/child-e-a-case-of-neglect.md"), "my words");

    let bad = site.run(&["new", "X", "--format", "memo"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(crate::common::stderr(&bad).contains("7-minute, practitioner, thematic, guidance"));
}

/// Issue 16: `new` pasted the title into the front matter, so a quote and a line break in it
/// ended the string and could set `draft = false`; and an empty title made a file `briefing.md`.
#[test]
fn new_writes_any_title_as_valid_front_matter_and_refuses_an_empty_one() {
    let site = good_site();
    for (title, kept) in [("Evil\"\\ndraft = false", "Evil\"\\ndraft = false"), ("Odd\"\ndraft = false", "Odd\" draft = false")] {
        let out = site.run(&["new", title]);
        assert!(out.status.success(), "{}", crate::common::stderr(&out));
        let written = crate::common::stdout(&out) + &crate::common::stderr(&out);
        let rel = written.split_whitespace().find(|w| w.starts_with("briefings/")).expect("the path written").to_string();
        let text = site.read(&rel);
        let front = text.strip_prefix("+++\n").and_then(|t| t.split("\n+++\n").next()).expect("front matter");
        let table: toml::Table = toml::from_str(front).unwrap_or_else(|e| panic!("{e}\n{front}"));
        assert_eq!(table["title"].as_str(), Some(kept), "{front}");
        assert_eq!(table["draft"].as_bool(), Some(true), "{front}");
    }
    for empty in ["", "  \t ", "\n"] {
        let out = site.run(&["new", empty]);
        assert_eq!(out.status.code(), Some(2), "{empty:?}");
        assert!(crate::common::stderr(&out).contains("the title is empty"), "{}", crate::common::stderr(&out));
    }
    assert!(!site.exists("briefings/briefing.md"));

    // A 300-letter title made a 600-byte file name, which no file system takes.
    let long = "é".repeat(300);
    let out = site.run(&["new", &long]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let slug = "e".repeat(60);
    let text = site.read(&format!("briefings/{slug}.md"));
    assert!(text.contains(&format!("title = \"{long}\"")), "the title is kept whole: {text}");
}

#[test]
fn the_example_site_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = crate::common::run(&crate::common::repo_root(), &["build", "--output", out_dir.to_str().unwrap()]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("error"), "{err}");
    let briefings = std::fs::read_dir(crate::common::repo_root().join("briefings")).unwrap().count();
    assert!(briefings >= 8);
    assert_eq!(std::fs::read_dir(out_dir.join("briefings")).unwrap().count(), briefings);
    let guidance = std::fs::read_to_string(out_dir.join("briefings/professional-curiosity-guidance/index.html")).unwrap();
    assert!(guidance.contains("<nav class=\"contents\""), "the long guidance has a contents list");
    assert!(guidance.contains("<td><ol>"), "raw HTML from Word survives");
}

/// A site whose sources are too large to keep in memory puts each briefing's HTML in a
/// temporary file until it renders it (or, without one, reads and parses it again), and one
/// whose HTML outgrows what a build keeps does so for the briefings past it: the example site
/// built each way is the same, file for file, as built keeping it all.
#[test]
fn a_site_built_without_keeping_its_text_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let build = |name: &str, keep: briefing::Keep| {
        let output = dir.path().join(name);
        let options = briefing::BuildOptions { output: Some(output.clone()), pdf: false, keep, ..briefing::BuildOptions::new(crate::common::repo_root()) };
        let outcome = briefing::build(&options);
        assert_eq!(outcome.status, briefing::Status::Ok, "{:#?}", outcome.diagnostics);
        crate::common::snapshot(&output)
    };
    let kept = build("kept", briefing::Keep { sources: u64::MAX, html: u64::MAX, spill: false });
    assert!(kept.keys().filter(|p| p.ends_with(".html")).count() > 40, "{:?}", kept.keys());
    let spilled = build("spilled", briefing::Keep { sources: 0, html: u64::MAX, spill: true });
    assert!(kept == spilled, "the pages differ when each briefing's HTML waits in a temporary file");
    let again = build("again", briefing::Keep { sources: 0, html: u64::MAX, spill: false });
    assert!(kept == again, "the pages differ when each briefing is parsed again to render it");
    // About half the example briefings' HTML (the long guidance alone is a fifth of it).
    for spill in [true, false] {
        let some = build("some", briefing::Keep { sources: u64::MAX, html: 60_000, spill });
        assert!(kept == some, "the pages differ when only some briefings' HTML is kept (spill: {spill})");
    }
}

#[test]
fn check_finds_broken_links_made_by_a_site_template() {
    let site = good_site();
    assert!(site.run(&["check"]).status.success(), "the built-in templates link correctly");
    let base = std::fs::read_to_string(crate::common::repo_root().join("templates/base.html")).unwrap();
    site.write("templates/base.html", base.replace("</footer>", "<p><a href=\"{{ root | safe }}contact/index.html\">Contact us</a></p>\n</footer>"));
    let out = site.run(&["check"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[broken-output-link]") && err.contains("contact/index.html"), "{err}");
    assert!(err.contains("output/index.html:"), "names the page and line: {err}");
}

#[test]
fn missing_attachments_are_errors_naming_file_and_line() {
    let site = good_site();
    site.write(
        "briefings/child-d/index.md",
        briefing("title = \"Child D\"\npublished = 2024-01-01", "## One\n\n![A timeline](timline.svg)\n\nRead [the plan](files/safety%20plan.pdf), [online](https://example.org/x.pdf) and [the handout](child-d.pdf).\n"),
    );
    site.write("briefings/child-d/timeline.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("briefings/child-d/files/safety plan.pdf", "%PDF-1.4");
    site.write("briefings/child-e.md", briefing("title = \"Child E\"\npublished = 2024-01-01", "## One\n\nSee [the chart](chart.png).\n"));
    let out = site.run(&["build"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[missing-attachment]") && err.contains("briefings/child-d/index.md:7:1"), "{err}");
    assert!(err.contains("did you mean `timeline.svg`?"), "{err}");
    assert!(err.contains("briefings/child-e.md:7:5") && err.contains("move this briefing to briefings/child-e/index.md"), "{err}");
    assert_eq!(err.matches("error[missing-attachment]").count(), 2, "the PDF (with %20), the web link and the handout are fine: {err}");
    assert!(!site.exists("output"));

    std::fs::remove_file(site.path().join("briefings/child-e.md")).unwrap();
    std::fs::rename(site.path().join("briefings/child-d/timeline.svg"), site.path().join("briefings/child-d/timline.svg")).unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert!(site.exists("output/briefings/child-d/files/safety plan.pdf"));
}

#[test]
fn a_build_counts_writing_advice_and_check_lists_it() {
    let site = good_site();
    let long = "This sentence about the family and the many professionals who visited them over several months keeps going on and on well past the point where a reader can hold it all in mind at once.";
    site.write("briefings/child-b.md", briefing("title = \"Child B\"\nformat = \"practitioner\"\npublished = 2025-02-03\nreview_due = 2030-01-01\nthemes = [\"neglect\"]", &format!("## What happened\n\n{long}\n")));
    let build = site.run(&["build"]);
    assert!(build.status.success(), "{}", crate::common::stderr(&build));
    assert!(!crate::common::stderr(&build).contains("long-sentence"), "{}", crate::common::stderr(&build));
    assert!(crate::common::stdout(&build).contains("(`briefing check` lists 2 notes on writing)"), "{}", crate::common::stdout(&build));
    let check = site.run(&["check", "--verbose"]);
    assert!(crate::common::stderr(&check).contains("note[long-sentence]") && crate::common::stderr(&check).contains("briefings/child-b.md:10:"), "{}", crate::common::stderr(&check));
}

/// The example site's build and `check` say the same, in the same order, run after run: the
/// diagnostics are gathered on several threads and sorted before they are printed.
#[test]
fn the_example_sites_messages_are_the_same_each_run() {
    let dir = tempfile::tempdir().unwrap();
    let build = |name: &str| {
        let out_dir = dir.path().join(name);
        let out = std::process::Command::new(crate::common::briefing_bin())
            .current_dir(crate::common::repo_root())
            .args(["build", "--no-pdf", "--output", out_dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::common::stderr(&out));
        crate::common::stderr(&out).lines().filter(|l| !l.starts_with("Built ")).collect::<Vec<_>>().join("\n")
    };
    let first = build("one");
    assert!(first.contains("warning"), "the example site has warnings to compare: {first}");
    assert_eq!(first, build("two"));
    let check = || {
        let out = std::process::Command::new(crate::common::briefing_bin())
            .current_dir(crate::common::repo_root())
            .args(["check", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::common::stderr(&out));
        // One JSON object a line; the summary's time differs from run to run.
        let lines: Vec<serde_json::Value> = crate::common::stdout(&out)
            .lines()
            .map(|line| {
                let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
                value.as_object_mut().unwrap().remove("seconds");
                value
            })
            .collect();
        assert!(lines.len() > 10, "the example site's notes and the summary");
        lines
    };
    assert_eq!(check(), check());
}

#[test]
fn a_sites_card_template_changes_every_listing() {
    let site = good_site();
    site.write("templates/card.html", "<li class=\"own-card\"><h{{ level }}><a href=\"{{ root | safe }}{{ b.url | safe }}\">{{ b.title }}</a></h{{ level }}></li>\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let home = site.read("output/index.html");
    assert!(home.contains("<li class=\"own-card\"><h2><a href=\"briefings/child-a/index.html\">Child A</a></h2></li>"), "{home}");
    assert!(home.contains("2 briefings, newest first"), "the home page counts its cards");
    let format = site.read("output/formats/7-minute/index.html");
    assert!(format.contains("<h2><a href=\"../../briefings/child-a/index.html\">Child A</a></h2>"), "{format}");
    let theme = site.read("output/themes/neglect/index.html");
    assert!(theme.contains("<li class=\"own-card\"><h3><a href=\"../../briefings/child-b/index.html\">"), "{theme}");
    assert!(!format.contains("class=\"card ") && !theme.contains("class=\"card "), "no built-in card is left");
}
