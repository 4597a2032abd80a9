//! Issue 16, item 11: a title holding U+0001, U+000B, U+000C or U+FFFE made a feed that is not
//! well-formed XML, while build and check exited 0. Such characters are taken out where they
//! are read (a warning on their line) and never reach any XML file the build writes.

use super::check::{good_body, json, line_of, run};
use crate::common::{briefing, Site};

/// A front matter value with every kind of character XML 1.0 forbids, as TOML escapes (TOML
/// itself refuses raw control characters) and one raw.
const HOSTILE: &str = "A\\u0001 title\\u000B with\\u000C controls\\uFFFE and \u{FFFF}more";

fn site() -> (Site, String) {
    let site = Site::new();
    site.write("site.toml", "base_url = \"https://briefings.example/\"\ntitle = \"Briefings\\u0002 of Testshire\"\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\\u0003\"\naliases = [\"chronic\\u001F neglect\"]\n+++\nWhat neglect means.\n");
    let front = format!(
        "title = \"{HOSTILE}\"\nformat = \"7-minute\"\npublished = 2025-01-10\nreview_due = 2026-01-10\nthemes = [\"neglect\"]\nsummary = \"Sum\\u0008mary\"\npartnership = \"Part\\u000Enership\""
    );
    let text = briefing(&front, &good_body());
    site.write("briefings/child-a.md", &text);
    (site, text)
}

#[test]
fn characters_xml_forbids_never_reach_the_feed_or_sitemap() {
    let (site, text) = site();
    let (diagnostics, summary, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:#?}");
    assert_eq!(summary["errors"], 0);
    let warned: Vec<(&str, u64)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "forbidden-character")
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    for expected in [
        ("briefings/child-a.md", line_of(&text, "title =")),
        ("briefings/child-a.md", line_of(&text, "summary =")),
        ("briefings/child-a.md", line_of(&text, "partnership =")),
        ("themes/neglect.md", 2),
        ("themes/neglect.md", 3),
        ("site.toml", 2),
    ] {
        assert!(warned.contains(&expected), "no warning at {expected:?}: {warned:?}");
    }

    let out = run(&site, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::common::stderr(&out));
    assert!(crate::common::stderr(&out).contains("forbidden-character") || crate::common::stderr(&out).contains("control characters"), "the build warns");
    for file in ["feed.xml", "sitemap.xml"] {
        let xml = site.read(&format!("output/{file}"));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}\n{xml:?}"));
        assert!(xml.chars().all(|c| !forbidden(c)), "{file}: {xml:?}");
        if file == "feed.xml" {
            let titles: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
            assert_eq!(titles, ["Briefings of Testshire", "A title with controls and more"]);
        }
    }
    for page in ["output/index.html", "output/briefings/child-a/index.html"] {
        assert!(site.read(page).chars().all(|c| !forbidden(c)), "{page}");
    }
}

fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The parser this test relies on refuses what the issue found, so the test can fail.
#[test]
fn the_xml_parser_refuses_forbidden_characters() {
    for c in ['\u{1}', '\u{B}', '\u{C}', '\u{FFFE}'] {
        assert!(roxmltree::Document::parse(&format!("<feed><title>a{c}b</title></feed>")).is_err(), "{c:?}");
    }
}
