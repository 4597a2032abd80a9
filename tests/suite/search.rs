//! Site search, driven in headless Chromium over file:// (see tests/browser/search.cjs), and
//! the index and search page the build writes for it.

use std::process::Command;

use crate::common::browser;

/// The example site, built into a fresh folder without handouts.
fn built_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let build = crate::common::run(&crate::common::repo_root(), &["build", "--no-pdf", "--output", out.to_str().unwrap()]);
    assert!(build.status.success(), "{}", crate::common::stderr(&build));
    (dir, out)
}

/// A misspelling, a stem, a title (ranked first), excerpts with the matched words marked, from
/// a page two folders deep and from the search page, all over file://; and without JavaScript,
/// the page's plain message.
#[test]
fn search_finds_misspellings_stems_and_titles_with_marked_excerpts() {
    let (Some(node), Some(_tools)) = (browser::find_node(), browser::node_tools_dir()) else {
        return browser::skip_or_fail("search_finds_misspellings_stems_and_titles_with_marked_excerpts", "node or tests/node_modules is missing");
    };
    if browser::find_chromium().is_none() {
        return browser::skip_or_fail("search_finds_misspellings_stems_and_titles_with_marked_excerpts", "no Chromium found");
    }
    let (_dir, out) = built_example();
    let run = Command::new(node).arg(crate::common::repo_root().join("tests/browser/search.cjs")).arg(&out).output().expect("node runs");
    let (stdout, stderr) = (crate::common::stdout(&run), crate::common::stderr(&run));
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("\"Child R\" ranked first"), "{stdout}");
}

/// The page script's matching and ranking on a small index (tests/browser/search_rank.cjs):
/// fields in order, short words in titles, families, one typo, stems, prefixes, excerpts.
#[test]
fn search_script_matches_and_ranks() {
    let Some(node) = browser::find_node() else {
        return browser::skip_or_fail("search_script_matches_and_ranks", "node is missing");
    };
    let run = Command::new(node).arg(crate::common::repo_root().join("tests/browser/search_rank.cjs")).output().expect("node runs");
    let (stdout, stderr) = (crate::common::stdout(&run), crate::common::stderr(&run));
    assert!(run.status.success() && stdout.contains("as expected"), "{stdout}{stderr}");
}

/// The index is a script (it loads from disk), holds the vocabulary in stemmed families and
/// each section's first sentences; the search page is left out of the sitemap and says, without
/// script, where else to look.
#[test]
fn the_index_carries_families_and_excerpts_and_the_page_works_without_script() {
    let (_dir, out) = built_example();
    let index = std::fs::read_to_string(out.join("assets/search-index.js")).unwrap();
    let json = index.strip_prefix("window.BRIEFING_SEARCH_INDEX = ").and_then(|j| j.strip_suffix(";\n")).expect("a script that assigns the index");
    let index: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let families: Vec<&str> = index["v"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let family = |word: &str| families.iter().find(|f| f.split('|').nth(1).unwrap().split(' ').any(|w| w == word)).copied();
    assert_eq!(family("curious"), family("curiosity"), "one family");
    assert!(family("neglect").is_some_and(|f| f.starts_with("neglect|")), "{:?}", family("neglect"));
    let mr_h = index["e"].as_array().unwrap().iter().find(|e| e["t"].as_str().unwrap().starts_with("Mr H")).expect("Mr H is indexed");
    let excerpts: Vec<&str> = mr_h["p"].as_array().unwrap().iter().map(|p| p[2].as_str().unwrap()).collect();
    assert!(excerpts.iter().any(|e| e.starts_with("Self-neglect is the most common concern")), "{excerpts:?}");

    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(page.contains("id=\"search-results\""), "the results list");
    let noscript = &page[page.find("<noscript>").expect("a message for browsers without script")..page.find("</noscript>").unwrap()];
    assert!(noscript.contains("Search needs JavaScript") && noscript.contains("href=\"../themes/index.html\"") && noscript.contains("href=\"../formats/"), "{noscript}");
    let briefing = std::fs::read_to_string(out.join("briefings/child-r-seven-minute/index.html")).unwrap();
    assert!(briefing.contains("action=\"../../search/index.html\""), "the header's search box leads to the search page");
    assert!(!briefing.contains("search.js"), "only the search page loads the search script");
}
