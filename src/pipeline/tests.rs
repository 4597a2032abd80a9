//! `watch`'s passes over one save, driven through `prepare` and `finish`.

use std::path::Path;

use super::*;

fn briefing(body: &str) -> String {
    format!("+++\ntitle = \"Alpha\"\nformat = \"practitioner\"\npublished = 2024-05-01\nthemes = [\"neglect\"]\n+++\nIntroduction.\n\n## Background\n\n{body}\n")
}

/// A site of the briefings `slugs`, each about itself.
fn site(slugs: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"T\"\npartnership = \"P\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("briefings")).unwrap();
    for slug in slugs {
        save(dir.path(), slug, &format!("About {slug}."));
    }
    dir
}

fn save(root: &Path, slug: &str, body: &str) {
    std::fs::write(root.join(format!("briefings/{slug}.md")), briefing(body)).unwrap();
}

fn options(root: &Path, pdf: bool, defer: bool) -> PrepareOptions<'_> {
    PrepareOptions { root, drafts: false, pdf, cache: false, defer }
}

/// `prepare` after a save, with what changed expected anywhere.
fn prepare_again(root: &Path, pdf: bool, defer: bool, kept: &mut Kept) -> Rendered {
    kept.sources.expect(root, &[]);
    let mut rendered = prepare(options(root, pdf, defer), Some(kept)).0.expect("the site builds");
    kept.wrote(&mut rendered);
    rendered
}

/// `finish` as watch does it: the rendering written and remembered.
fn finish_with(rendered: Rendered, kept: &mut Kept, then: Then) -> Rendered {
    let mut rendered = finish(rendered, kept, &then).expect("the pass before deferred").0.expect("the site renders");
    kept.wrote(&mut rendered);
    rendered
}

fn file<'a>(rendered: &'a Rendered, path: &str) -> Option<&'a str> {
    rendered.files.iter().find(|f| f.path == path).map(|f| std::str::from_utf8(&f.contents).expect("text"))
}

fn has(rendered: &Rendered, path: &str) -> bool {
    rendered.files.iter().any(|f| f.path == path)
}

/// A pass that writes the pages first shows the search index as last made; the pass for the
/// deferred downloads leaves it as it is, and the pass after makes the new one (and renders no
/// page again).
#[test]
fn the_pages_pass_keeps_the_last_search_index_and_the_next_pass_makes_it() {
    let dir = site(&["alpha"]);
    let root = dir.path();
    let mut kept = Kept::default();
    let index = render::search::INDEX;
    let first = prepare_again(root, false, false, &mut kept);
    let before = file(&first, index).expect("a whole pass makes the index").to_string();

    save(root, "alpha", "Zebrafish words.");
    let pages = prepare_again(root, false, true, &mut kept);
    assert!(file(&pages, "briefings/alpha/index.html").is_some_and(|p| p.contains("Zebrafish")));
    assert_eq!(file(&pages, index), Some(before.as_str()), "the pages pass shows the last index");
    let downloads = finish_with(pages, &mut kept, Then::Downloads(Deferred::new()));
    assert!(downloads.files.is_empty(), "nothing to make: {:?}", downloads.files.iter().map(|f| &f.path).collect::<Vec<_>>());
    let rest = finish_with(downloads, &mut kept, Then::Index);
    assert!(file(&rest, index).is_some_and(|i| i.contains("zebrafish")), "the index pass makes the new index");
    assert!(!rest.files.iter().any(|f| f.path.ends_with(".html")), "and no page: {:?}", rest.files.iter().map(|f| &f.path).collect::<Vec<_>>());
}

/// With handouts, the changed briefing's PDF is written by a pass of its own, before the
/// search index is made: the PDF comes sooner, and the index after it.
#[test]
fn the_deferred_handouts_are_made_before_the_search_index() {
    let dir = site(&["alpha"]);
    let root = dir.path();
    let mut kept = Kept::default();
    let (index, pdf) = (render::search::INDEX, "briefings/alpha/alpha.pdf");
    let pdf_of = |r: &Rendered| r.files.iter().find(|f| f.path == pdf).map(|f| f.contents.clone());
    let before = pdf_of(&prepare_again(root, true, false, &mut kept)).expect("a PDF");

    save(root, "alpha", "Zebrafish words.");
    let pages = prepare_again(root, true, true, &mut kept);
    assert!(pdf_of(&pages) == Some(before.clone()), "the pages pass shows the last PDF");
    let deferred = kept.handouts.take_deferred();
    assert!(deferred.contains("alpha"), "{deferred:?}");
    let downloads = finish_with(pages, &mut kept, Then::Downloads(deferred));
    assert!(pdf_of(&downloads).is_some_and(|new| new != before), "the downloads pass makes the new PDF");
    assert!(!has(&downloads, index), "and leaves the index");
    let rest = finish_with(downloads, &mut kept, Then::Index);
    assert!(file(&rest, index).is_some_and(|i| i.contains("zebrafish")), "the index pass makes the new index");
}

/// The pieces (cards) of a site are kept through saves that change none of them, each in its
/// passes (the passes that render the same site again must not count as renders): a later
/// save that shows them all again renders none of them afresh.
#[test]
fn the_passes_after_the_pages_keep_the_cards() {
    let dir = site(&["alpha", "beta", "gamma"]);
    let root = dir.path();
    let mut kept = Kept::default();
    prepare_again(root, false, false, &mut kept);
    let pieces = |kept: &Kept| kept.templates.as_ref().and_then(|t| t.pieces()).expect("watch keeps pieces").len();
    let made = pieces(&kept);
    assert!(made >= 3, "a card a briefing at least: {made}");
    // Saves, each in its passes, that change no card.
    for words in ["Zebrafish words.", "Other words.", "More words.", "Last words."] {
        save(root, "alpha", words);
        let pages = prepare_again(root, false, true, &mut kept);
        let downloads = finish_with(pages, &mut kept, Then::Downloads(Deferred::new()));
        finish_with(downloads, &mut kept, Then::Index);
    }
    assert_eq!(pieces(&kept), made, "the cards are kept");
}
