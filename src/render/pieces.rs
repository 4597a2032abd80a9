//! Pieces: what listings show of a briefing (its card, its mentions of a theme), each rendered
//! from a template of its own and handed to the listing's template as HTML (see `cards`).
//!
//! `watch` keeps the pieces it rendered, by a hash of the template's name and everything the
//! template was given (or everything that is made from), so a rebuild renders again only the
//! pieces whose data changed: a save that changes one briefing renders its own cards, not the
//! thousand others of the home page, the format and year pages and every theme page. Like page
//! keys, the key covers the template's whole input, so it cannot leave out anything a piece
//! shows. A `build` keeps its cards alone, for the other pages of the same build that show them
//! (`PieceMemo::only`).
//!
//! A listing asked only whether it changed (`Want::Keys`) is given its pieces' keys instead of
//! their HTML: its own key is then made from theirs, with no HTML rendered, copied or hashed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::Templates;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;

/// Pieces rendered by the last renders, by key, with the render that last used each.
#[derive(Default)]
pub struct PieceMemo {
    pieces: Mutex<HashMap<u128, (String, u64)>>,
    render: AtomicU64,
    /// The hashes of views, by a hash of all they are made from, with the render that last
    /// used each: a briefing's card is on a dozen pages (the home page, its format's and
    /// year's, each of its themes'), and a save, which changes one briefing, should make and
    /// hash that briefing's views only.
    views: Mutex<HashMap<u128, (u128, u64)>>,
    /// The one template whose pieces it keeps, when not all: a build keeps its cards alone,
    /// as each is on a dozen pages (the home page, its format's and year's, each of its
    /// themes') and the same on all its theme pages, while a theme's mentions are on one.
    only: Option<&'static str>,
}

impl PieceMemo {
    /// A memo that keeps the pieces of `template` alone.
    pub fn only(template: &'static str) -> PieceMemo {
        PieceMemo { only: Some(template), ..PieceMemo::default() }
    }

    /// Whether it keeps the pieces made from `template`.
    fn keeps(&self, template: &str) -> bool {
        self.only.is_none_or(|only| only == template)
    }

    /// Before a render of a new site (not before the passes that render the same site again
    /// for its downloads or search index): drops the pieces that neither of the last two
    /// renders used, so the memo holds about one site's worth, and so the views' hashes.
    pub fn next_render(&self) {
        let now = self.render.fetch_add(1, Ordering::Relaxed) + 1;
        self.lock().retain(|_, (_, used)| *used + 2 >= now);
        self.views().retain(|_, (_, used)| *used + 2 >= now);
    }

    /// The hash of the view made from what `made_from` is a hash of: made by `hash` the first
    /// time, then kept as long as renders use it.
    fn view_hash(&self, made_from: u128, hash: impl FnOnce() -> u128) -> u128 {
        let now = self.render.load(Ordering::Relaxed);
        if let Some((known, used)) = self.views().get_mut(&made_from) {
            *used = now;
            return *known;
        }
        let made = hash();
        self.views().insert(made_from, (made, now));
        made
    }

    /// The hash of a view of one briefing, `what` view it is (its template, and whatever else
    /// picks it), made by `hash`: kept in `memo`, when there is one, by the briefing's
    /// `made_from` (all a view of one briefing is made from). A briefing never analysed
    /// (`made_from` 0: a test's) has nothing to go by, and its view is hashed each time.
    pub fn briefing_view_hash(memo: Option<&PieceMemo>, made_from: u128, what: impl std::hash::Hash, hash: impl FnOnce() -> u128) -> u128 {
        match memo {
            Some(memo) if made_from != 0 => memo.view_hash(hash::of(&(what, made_from)), hash),
            _ => hash(),
        }
    }

    fn views(&self) -> std::sync::MutexGuard<'_, HashMap<u128, (u128, u64)>> {
        self.views.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks the pieces of `keys` used by this render, as a page that only asked for its
    /// pieces' keys (and so was unchanged) would otherwise leave them to be dropped: when it
    /// does change, most of its pieces are the same, and should still be here.
    fn touch(&self, keys: &[u128]) {
        let now = self.render.load(Ordering::Relaxed);
        let mut pieces = self.lock();
        for key in keys {
            if let Some((_, used)) = pieces.get_mut(key) {
                *used = now;
            }
        }
    }

    /// How many pieces it holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn get(&self, key: u128) -> Option<String> {
        let now = self.render.load(Ordering::Relaxed);
        self.lock().get_mut(&key).map(|(html, used)| {
            *used = now;
            html.clone()
        })
    }

    fn put(&self, key: u128, html: &str) {
        let now = self.render.load(Ordering::Relaxed);
        self.lock().insert(key, (html.to_string(), now));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u128, (String, u64)>> {
        // A panic while holding it leaves a map that is still whole.
        self.pieces.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What a page asks of its pieces: their HTML, to render it; or their keys alone, to tell
/// whether it changed (see `Pieces`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Html,
    Keys,
}

/// A page's pieces as it asked for them: their HTML, in order, or one hash of all their keys
/// (each of which covers all its piece shows).
pub enum Pieces {
    Html(Vec<String>),
    Keys(u128),
}

impl Pieces {
    /// The pieces as a template value: the HTML moved in, not copied; the keys as a string
    /// (a context is only keyed, never rendered, with them).
    pub fn into_value(self) -> tera::Value {
        match self {
            Pieces::Html(html) => tera::Value::Array(html.into_iter().map(tera::Value::String).collect()),
            Pieces::Keys(key) => tera::Value::String(format!("{key:032x}")),
        }
    }

    /// The pieces for `items` as `want` asks, each with its key from `key`, rendered by
    /// `render` (in parallel, in order). Asked for keys, the pieces kept for them in the
    /// templates' memo are kept on (see `PieceMemo::touch`).
    pub fn make<T: Sync>(templates: &Templates, items: &[T], want: Want, key: impl Fn(&T) -> u128 + Sync, render: impl Fn(&T) -> Result<String, Diagnostic> + Sync) -> Result<Pieces, Diagnostic> {
        match want {
            Want::Html => items.par_iter().map(&render).collect::<Result<_, _>>().map(Pieces::Html),
            Want::Keys => {
                let keys: Vec<u128> = items.par_iter().map(&key).collect();
                if let Some(memo) = templates.pieces() {
                    memo.touch(&keys);
                }
                Ok(Pieces::Keys(hash::of(&keys)))
            }
        }
    }
}

/// One piece from `template`, given the view `view` makes (whose fields are the template's
/// variables): from the memo when the templates keep one and have rendered the same before.
/// The view is made only when the piece is rendered, and its key by `key` only when the
/// templates keep pieces. The key must cover all the view shows (the view's derived `Hash`,
/// or what the view is made from): nothing is serialised or copied to make it.
pub fn render_piece_with<V: Serialize>(templates: &Templates, template: &str, key: impl FnOnce() -> u128, view: impl FnOnce() -> V) -> Result<String, Diagnostic> {
    let render = |view: V| {
        let context = Context::from_serialize(view).map_err(|e| super::templates::template_error(&e))?;
        templates.render(template, &context)
    };
    let Some(memo) = templates.pieces().filter(|memo| memo.keeps(template)) else { return render(view()) };
    let key = key();
    if let Some(html) = memo.get(key) {
        return Ok(html);
    }
    let html = render(view())?;
    memo.put(key, &html);
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_piece_is_given_back_for_its_key_only_and_dropped_once_unused() {
        let memo = PieceMemo::default();
        memo.next_render();
        memo.put(1, "<p>One</p>");
        assert_eq!(memo.get(1).as_deref(), Some("<p>One</p>"));
        assert_eq!(memo.get(2), None);
        let kept = |memo: &PieceMemo| memo.lock().contains_key(&1);
        memo.next_render();
        assert!(kept(&memo), "used by the last render");
        memo.next_render();
        assert!(kept(&memo), "used by the render before last");
        memo.next_render();
        assert!(!kept(&memo), "unused by the last two renders");
    }

    /// A page asked only for its pieces' keys keeps its pieces in the memo: many renders
    /// later, when the page changes, they are still there.
    #[test]
    fn pieces_asked_for_by_their_keys_are_kept() {
        let templates = Templates::builtin().unwrap().keeping_pieces();
        let memo = templates.pieces().unwrap();
        memo.next_render();
        memo.put(1, "<p>One</p>");
        memo.put(2, "<p>Two</p>");
        for _ in 0..5 {
            memo.next_render();
            Pieces::make(&templates, &[1u128], Want::Keys, |&n| n, |_| panic!("rendered")).unwrap();
        }
        assert!(memo.lock().contains_key(&1), "its key was asked for in every render");
        assert!(!memo.lock().contains_key(&2), "no page asked for it");
    }

    /// A view's hash is made once for what it is made from, and kept while renders use it.
    #[test]
    fn a_view_hash_is_made_once_and_kept_while_used() {
        let memo = PieceMemo::default();
        memo.next_render();
        assert_eq!(memo.view_hash(1, || 7), 7);
        assert_eq!(memo.view_hash(1, || 8), 7, "kept within the render");
        assert_eq!(memo.view_hash(2, || 9), 9, "made from something else, another view");
        memo.next_render();
        assert_eq!(memo.view_hash(1, || 8), 7, "kept by the next render, which uses it");
        memo.next_render();
        memo.next_render();
        assert_eq!(memo.view_hash(1, || 8), 7, "used by the render before last");
        assert_eq!(memo.view_hash(2, || 10), 10, "unused by the last two renders: made again");
    }

    /// Asked for keys, a page gets one hash of its pieces' keys, in order: it changes when any
    /// piece's key does, and nothing is rendered.
    #[test]
    fn pieces_asked_for_keys_are_hashed_in_order_not_rendered() {
        let render = |n: &u128| -> Result<String, Diagnostic> { Ok(format!("<p>{n}</p>")) };
        let templates = Templates::builtin().unwrap();
        let keys = |items: &[u128]| match Pieces::make(&templates, items, Want::Keys, |&n| n, |_| panic!("rendered")).unwrap() {
            Pieces::Keys(key) => key,
            Pieces::Html(_) => panic!("HTML given for keys"),
        };
        assert_eq!(keys(&[1, 2, 3]), keys(&[1, 2, 3]));
        assert_ne!(keys(&[1, 2, 3]), keys(&[1, 2, 4]), "one piece changed");
        assert_ne!(keys(&[1, 2, 3]), keys(&[2, 1, 3]), "the same pieces in another order");
        let Pieces::Html(html) = Pieces::make(&templates, &[1, 2], Want::Html, |_| panic!("keyed"), render).unwrap() else { panic!("keys given for HTML") };
        assert_eq!(html, ["<p>1</p>", "<p>2</p>"]);
    }

    /// A build's memo keeps its cards, not the pieces of other templates.
    #[test]
    fn a_memo_for_one_template_keeps_its_pieces_alone() {
        #[derive(Serialize)]
        struct View<'a> {
            accent: &'a str,
        }
        let templates = Templates::builtin().unwrap().keeping_cards();
        let memo = templates.pieces().unwrap();
        memo.next_render();
        let css = render_piece_with(&templates, "style.css", || 7, || View { accent: "#123456" }).unwrap();
        assert!(css.contains("#123456"));
        assert_eq!(memo.len(), 0, "not a card: rendered, not kept");
        memo.put(1, "<article>kept</article>");
        let card = render_piece_with(&templates, super::super::cards::TEMPLATE, || 1, || -> View { panic!("rendered again") }).unwrap();
        assert_eq!(card, "<article>kept</article>");
    }

    #[test]
    fn the_same_view_renders_the_same_piece_from_the_memo() {
        #[derive(Serialize, Hash)]
        struct View<'a> {
            accent: &'a str,
        }
        // The view's own hash as its key.
        let render_piece = |templates: &Templates, template: &str, view: &View| render_piece_with(templates, template, || hash::of(&(template, view)), || view);
        let templates = Templates::builtin().unwrap().keeping_pieces();
        let memo = templates.pieces().unwrap();
        memo.next_render();
        let first = render_piece(&templates, "style.css", &View { accent: "#123456" }).unwrap();
        assert!(first.contains("#123456"));
        assert_eq!(memo.lock().len(), 1);
        // A different input is a different piece, never the kept one.
        let other = render_piece(&templates, "style.css", &View { accent: "#654321" }).unwrap();
        assert!(other.contains("#654321") && !other.contains("#123456"));
        assert_eq!(render_piece(&templates, "style.css", &View { accent: "#123456" }).unwrap(), first);
        assert_eq!(memo.lock().len(), 2);
        // Without a memo (a build), nothing is kept.
        let plain = Templates::builtin().unwrap();
        assert!(plain.pieces().is_none());
    }
}
