//! Cards: how listings (the home page, a format's or year's page, a theme's tagged briefings)
//! show a briefing. Each card is rendered from `card.html` on its own and handed to the
//! listing's template as HTML. A listing's context then holds a string per briefing instead
//! of a tree of JSON values per briefing (far larger for the home page of a large site), and
//! the cards of one listing render in parallel; `watch` keeps them from one rebuild to the
//! next, and a build for the other pages that show them (see `pieces`).

use serde::Serialize;

use super::pieces::{render_piece_with, PieceMemo, Pieces, Want};
use super::views::Card;
use super::Templates;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::model::Site;

pub const TEMPLATE: &str = "card.html";
/// How many of a briefing's themes its card on a theme page names; "and N more" stands for
/// the rest (the briefing's own page lists them all).
pub const THEMES_ON_THEME_PAGES: usize = 12;

/// The heading level of a card: a listing's cards are its sections (`h2`); a theme page's sit
/// under its own "Briefings on this theme" (`h3`), and name only the briefing's first themes.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    Two = 2,
    Three = 3,
}

/// What `card.html` sees.
#[derive(Serialize)]
struct CardPiece<'a> {
    b: Card<'a>,
    root: &'a str,
    level: u8,
}

/// The cards of the briefings at `indices` (into `site.briefings`), in that order, for a page
/// whose way back to the site root is `root`, as `want` asks.
pub fn render(site: &Site, templates: &Templates, indices: &[usize], root: &str, level: Level, want: Want) -> Result<Pieces, Diagnostic> {
    let themes = match level {
        Level::Two => usize::MAX,
        Level::Three => THEMES_ON_THEME_PAGES,
    };
    let card = |i: usize| Card::with_themes(site, &site.briefings[i], themes);
    // The key is everything `card.html` sees: the card, the way to the root and the heading
    // level. When the templates keep pieces, the card's view is hashed only the first time
    // it is made from what it is (its briefing alone: see `Briefing::made_from`), so that a
    // save makes and hashes the cards of the briefings it changed, not a thousand.
    let key = |&i: &usize| {
        let hash_card = || hash::of(&card(i));
        let card = PieceMemo::briefing_view_hash(templates.pieces(), site.briefings[i].made_from, (TEMPLATE, themes), hash_card);
        hash::of(&(TEMPLATE, card, root, level as u8))
    };
    Pieces::make(templates, indices, want, key, |&i| render_piece_with(templates, TEMPLATE, || key(&i), || CardPiece { b: card(i), root, level: level as u8 }))
}
