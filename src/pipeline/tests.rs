//! `watch`'s two passes over one save, driven through `prepare` and `finish`.

use super::*;

fn briefing(body: &str) -> String {
    format!("+++\ntitle = \"Alpha\"\nformat = \"practitioner\"\npublished = 2024-05-01\nthemes = [\"neglect\"]\n+++\nIntroduction.\n\n## Background\n\n{body}\n")
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

    let (downloads, _) = finish(pages, &kept, &Then::Downloads(Deferred::new())).expect("the pages pass deferred");
    let downloads = downloads.expect("the site renders");
    assert!(downloads.files.is_empty(), "nothing to make: {:?}", downloads.files.iter().map(|f| &f.path).collect::<Vec<_>>());
    let (rest, _) = finish(downloads, &kept, &Then::Index).expect("the downloads pass can be finished");
    let rest = rest.expect("the site renders");
    assert!(file(&rest, index).is_some_and(|i| i.contains("zebrafish")), "the index pass makes the new index");
    assert!(!rest.files.iter().any(|f| f.path.ends_with(".html")), "and no page: {:?}", rest.files.iter().map(|f| &f.path).collect::<Vec<_>>());
}

/// With handouts, the changed briefing's PDF is written by a pass of its own, before the
/// search index is made: the PDF comes sooner, and the index after it.
#[test]
fn the_deferred_handouts_are_made_before_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.toml"), "title = \"T\"\npartnership = \"P\"\n").unwrap();
    std::fs::create_dir_all(root.join("briefings")).unwrap();
    std::fs::write(root.join("briefings/alpha.md"), briefing("Plain words.")).unwrap();
    let mut kept = Kept::default();
    let options = |defer| PrepareOptions { root, drafts: false, pdf: true, cache: false, defer };
    let (index, pdf) = (render::search::INDEX, "briefings/alpha/alpha.pdf");

    let mut first = prepare(options(false), Some(&mut kept)).0.expect("the site builds");
    let pdf_of = |r: &Rendered| r.files.iter().find(|f| f.path == pdf).map(|f| f.contents.clone());
    let before = pdf_of(&first).expect("a PDF");
    kept.wrote(&mut first);
    std::fs::write(root.join("briefings/alpha.md"), briefing("Zebrafish words.")).unwrap();
    kept.sources.expect(root, &[]);
    let mut pages = prepare(options(true), Some(&mut kept)).0.expect("the site builds");
    assert!(pdf_of(&pages) == Some(before.clone()), "the pages pass shows the last PDF");
    kept.wrote(&mut pages);
    let deferred = kept.handouts.take_deferred();
    assert!(deferred.contains("alpha"), "{deferred:?}");

    let mut downloads = finish(pages, &kept, &Then::Downloads(deferred)).unwrap().0.expect("the site renders");
    assert!(pdf_of(&downloads).is_some_and(|new| new != before), "the downloads pass makes the new PDF");
    assert!(!has(&downloads, index), "and leaves the index");
    kept.wrote(&mut downloads);
    let rest = finish(downloads, &kept, &Then::Index).unwrap().0.expect("the site renders");
    assert!(file(&rest, index).is_some_and(|i| i.contains("zebrafish")), "the index pass makes the new index");
}

/// The passes that render the same site again for its downloads and index keep the pieces
/// (cards) of the save: a later save that shows them all again renders none of them afresh.
#[test]
fn the_passes_after_the_pages_keep_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.toml"), "title = \"T\"\npartnership = \"P\"\n").unwrap();
    std::fs::create_dir_all(root.join("briefings")).unwrap();
    for slug in ["alpha", "beta", "gamma"] {
        std::fs::write(root.join(format!("briefings/{slug}.md")), briefing(&format!("About {slug}."))).unwrap();
    }
    let mut kept = Kept::default();
    let options = |defer| PrepareOptions { root, drafts: false, pdf: false, cache: false, defer };
    let mut first = prepare(options(false), Some(&mut kept)).0.expect("the site builds");
    kept.wrote(&mut first);
    let pieces = |kept: &Kept| kept.templates.as_ref().and_then(|t| t.pieces()).expect("watch keeps pieces").len();
    let made = pieces(&kept);
    assert!(made >= 3, "a card a briefing at least: {made}");
    // Two saves, each in its passes, that change no card.
    for words in ["Zebrafish words.", "Other words."] {
        std::fs::write(root.join("briefings/alpha.md"), briefing(words)).unwrap();
        kept.sources.expect(root, &[]);
        let mut rendered = prepare(options(true), Some(&mut kept)).0.expect("the site builds");
        kept.wrote(&mut rendered);
        for then in [Then::Downloads(Deferred::new()), Then::Index] {
            rendered = finish(rendered, &kept, &then).unwrap().0.expect("the site renders");
            kept.wrote(&mut rendered);
        }
    }
    assert_eq!(pieces(&kept), made, "the cards are kept");
}
