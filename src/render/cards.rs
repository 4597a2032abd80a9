//! Cards: how listings (the home page, a format's or year's page, a theme's tagged briefings)
//! show a briefing. Each card is rendered from `card.html` on its own and handed to the
//! listing's template as HTML. A listing's context then holds a string per briefing instead
//! of a tree of JSON values per briefing (far larger for the home page of a large site), and
//! the cards of one listing render in parallel.

use super::views::Card;
use super::Templates;
use crate::core::diagnostics::Diagnostic;
use crate::model::Site;

pub const TEMPLATE: &str = "card.html";

/// The heading level of a card: a listing's cards are its sections (`h2`); a theme page's sit
/// under its own "Briefings on this theme" (`h3`).
#[derive(Debug, Clone, Copy)]
pub enum Level {
    Two = 2,
    Three = 3,
}

/// The cards of the briefings at `indices` (into `site.briefings`), in that order, for a page
/// whose way back to the site root is `root`.
pub fn render(site: &Site, templates: &Templates, indices: &[usize], root: &str, level: Level) -> Result<Vec<String>, Diagnostic> {
    super::render_pieces(templates, TEMPLATE, indices, |&i, context| {
        context.insert("b", &Card::new(site, &site.briefings[i]));
        context.insert("root", root);
        context.insert("level", &(level as u8));
    })
}
