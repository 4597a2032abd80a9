//! `watch`'s two passes over one save, driven through `prepare` and `finish`.

use super::*;

fn briefing(body: &str) -> String {
    format!("+++\ntitle = \"Alpha\"\nformat = \"practitioner\"\npublished = 2024-05-01\nthemes = [\"neglect\"]\n+++\nIntroduction.\n\n## Background\n\n{body}\n")
}

fn file<'a>(rendered: &'a Rendered, path: &str) -> Option<&'a str> {
    rendered.files.iter().find(|f| f.path == path).map(|f| std::str::from_utf8(&f.contents).expect("text"))
}

/// A pass that writes the pages first shows the search index as last made, and the pass after
/// it makes the new one (and renders no page again).
#[test]
fn the_pages_pass_keeps_the_last_search_index_and_the_next_pass_makes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.toml"), "title = \"T\"\npartnership = \"P\"\n").unwrap();
    std::fs::create_dir_all(root.join("briefings")).unwrap();
    std::fs::write(root.join("briefings/alpha.md"), briefing("Plain words.")).unwrap();
    let mut kept = Kept::default();
    let options = |defer| PrepareOptions { root, drafts: false, pdf: false, cache: false, defer };
    let index = render::search::INDEX;

    let (first, _) = prepare(options(false), Some(&mut kept));
    let mut first = first.expect("the site builds");
    let before = file(&first, index).expect("a whole pass makes the index").to_string();
    kept.wrote(&mut first);

    std::fs::write(root.join("briefings/alpha.md"), briefing("Zebrafish words.")).unwrap();
    kept.sources.expect(root, &[]);
    let (pages, _) = prepare(options(true), Some(&mut kept));
    let mut pages = pages.expect("the site builds");
    assert!(file(&pages, "briefings/alpha/index.html").is_some_and(|p| p.contains("Zebrafish")));
    assert_eq!(file(&pages, index), Some(before.as_str()), "the pages pass shows the last index");
    kept.wrote(&mut pages);

    let (rest, _) = finish(pages, &kept, &Deferred::new()).expect("the pages pass deferred the index");
    let rest = rest.expect("the site renders");
    assert!(file(&rest, index).is_some_and(|i| i.contains("zebrafish")), "the next pass makes the new index");
    assert!(!rest.files.iter().any(|f| f.path.ends_with(".html")), "and no page: {:?}", rest.files.iter().map(|f| &f.path).collect::<Vec<_>>());
}
