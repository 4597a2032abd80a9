//! Pieces: what listings show of a briefing (its card, its mentions of a theme), each rendered
//! from a template of its own and handed to the listing's template as HTML (see `cards`).
//!
//! `watch` keeps the pieces it rendered, by a hash of the template's name and everything the
//! template was given, so a rebuild renders again only the pieces whose data changed: a save
//! that changes one briefing renders its own cards, not the thousand others of the home page,
//! the format and year pages and every theme page. Like page keys, the key is the template's
//! whole input, so it cannot leave out anything a piece shows. A `build` keeps nothing.

use std::collections::HashMap;
use std::hash::Hash;
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
}

impl PieceMemo {
    /// Before a render: drops the pieces that neither of the last two renders used (a watch
    /// rebuild may render twice, pages first and PDFs after), so the memo holds about one
    /// site's worth.
    pub fn next_render(&self) {
        let now = self.render.fetch_add(1, Ordering::Relaxed) + 1;
        self.lock().retain(|_, (_, used)| *used + 2 >= now);
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

/// One piece from `template`, given `view` (whose fields are the template's variables):
/// from the memo when the templates keep one and have rendered the same before. The key is
/// the view's `Hash`, derived like its `Serialize` from every field the template can see:
/// hashing it serialises nothing and copies nothing.
pub fn render_piece<V: Serialize + Hash>(templates: &Templates, template: &str, view: &V) -> Result<String, Diagnostic> {
    let render = || {
        let context = Context::from_serialize(view).map_err(|e| super::templates::template_error(&e))?;
        templates.render(template, &context)
    };
    let Some(memo) = templates.pieces() else { return render() };
    let key = hash::of(&(template, view));
    if let Some(html) = memo.get(key) {
        return Ok(html);
    }
    let html = render()?;
    memo.put(key, &html);
    Ok(html)
}

/// The pieces for `items`, in order, rendered in parallel.
pub fn render_pieces<T: Sync, V: Serialize + Hash>(templates: &Templates, template: &str, items: &[T], view: impl Fn(&T) -> V + Sync) -> Result<Vec<String>, Diagnostic> {
    items.par_iter().map(|item| render_piece(templates, template, &view(item))).collect()
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
        assert!(kept(&memo), "used by the render before last (pages, then PDFs)");
        memo.next_render();
        assert!(!kept(&memo), "unused by the last two renders");
    }

    #[test]
    fn the_same_view_renders_the_same_piece_from_the_memo() {
        #[derive(Serialize, Hash)]
        struct View<'a> {
            accent: &'a str,
        }
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
