//! Site search, driven in headless Chromium over file:// (see tests/browser/search.cjs).


use std::process::Command;

use crate::common::browser;

#[test]
fn search_finds_a_briefing_by_a_word_in_its_text() {
    let (Some(node), Some(_tools)) = (browser::find_node(), browser::node_tools_dir()) else {
        return browser::skip_or_fail("search_finds_a_briefing_by_a_word_in_its_text", "node or tests/node_modules is missing");
    };
    if browser::find_chromium().is_none() {
        return browser::skip_or_fail("search_finds_a_briefing_by_a_word_in_its_text", "no Chromium found");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let build = crate::common::run(&crate::common::repo_root(), &["build", "--output", out.to_str().unwrap()]);
    assert!(build.status.success(), "{}", crate::common::stderr(&build));

    // "hoarding" appears in the text of the self-neglect briefing, not in its title; the search
    // runs from a page two folders deep to prove result links are relative to each page.
    let index = std::fs::read_to_string(out.join("assets/search-index.js")).unwrap();
    assert!(index.contains("hoarding"), "the word is indexed");
    let page = out.join("briefings/child-r-seven-minute/index.html");
    let title = "Mr H";
    let run = Command::new(node)
        .arg(crate::common::repo_root().join("tests/browser/search.cjs"))
        .args([page.to_str().unwrap(), "hoarding", title])
        .output()
        .expect("node runs");
    let (stdout, stderr) = (crate::common::stdout(&run), crate::common::stderr(&run));
    assert!(run.status.success(), "{stdout}{stderr}");
}
