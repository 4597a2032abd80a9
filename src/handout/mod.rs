//! Handouts typeset in-process: a briefing's one-pager, its action plan and training packs,
//! as tagged PDFs made with Typst as a library (issue 17). Plain data in (`Handout`,
//! `ActionPlan`, `Pack`, `Assets`), PDF bytes and facts out (`Typeset`): this module knows
//! nothing of the rest of the crate, so the caller maps its briefings and site.toml onto
//! these types.
//!
//! Each document is one Typst compile: the templates (`*.typ` beside this file) read the
//! content as JSON data, measure it with Typst's own layout and choose the type size and what
//! to leave out themselves, and report what they chose as metadata. Content never becomes
//! Typst markup, so nothing in a source can inject Typst code.
//!
//! Typst is behind the default cargo feature `handout`; without it (the fuzz targets) the
//! functions return `HandoutError::Disabled`, and only the plain types and the Markdown
//! conversion remain.

pub mod content;
pub mod limits;
pub mod model;

#[cfg(feature = "handout")]
mod engine;
#[cfg(feature = "handout")]
mod images;
#[cfg(feature = "handout")]
mod payload;
#[cfg(feature = "handout")]
mod qr;
#[cfg(feature = "handout")]
mod sentences;
#[cfg(feature = "handout")]
mod world;

pub use content::blocks_from_markdown;
pub use model::*;

pub use limits::{cut_short, pack_cut_short, plan_cut_short, Cut};

/// The type sizes a handout chooses from, largest first (points).
#[cfg(feature = "handout")]
pub use payload::SIZES;

/// What a PDF made by this engine depends on besides its data: this version of briefing and
/// the templates' text. A cache of PDFs keys each by these too.
pub const ENGINE: [&str; 8] = [
    env!("CARGO_PKG_VERSION"),
    include_str!("main.typ"),
    include_str!("common.typ"),
    include_str!("pieces.typ"),
    include_str!("handout.typ"),
    include_str!("plan-parts.typ"),
    include_str!("plan.typ"),
    include_str!("cover.typ"),
];

/// The logo's bytes as handouts print it: a PNG larger than a handout needs is scaled down
/// (see `images::logo_for_print`); anything else is as it was.
pub fn logo_for_print(bytes: Vec<u8>) -> Vec<u8> {
    #[cfg(feature = "handout")]
    {
        images::logo_for_print(&bytes).unwrap_or(bytes)
    }
    #[cfg(not(feature = "handout"))]
    {
        bytes
    }
}

/// Whether `file` (site.toml's `print_font`) holds a font the handouts can print with
/// (always, without the engine: nothing is printed).
pub fn is_font(file: &std::sync::Arc<[u8]>) -> bool {
    #[cfg(feature = "handout")]
    {
        world::fonts_with(file).is_some()
    }
    #[cfg(not(feature = "handout"))]
    {
        let _ = file;
        true
    }
}

/// A briefing's one-pager: one sheet of `assets.paper`.
pub fn handout_pdf(h: &Handout, assets: &Assets) -> Result<Typeset, HandoutError> {
    #[cfg(feature = "handout")]
    {
        let mut b = payload::Builder::new(assets);
        let sheet = b.handout(h, None);
        let payload = b.payload(&h.title, &h.partnership, &h.language, None, vec![sheet]);
        engine::run(payload, b.files, b.notes)
    }
    #[cfg(not(feature = "handout"))]
    {
        let _ = (h, assets);
        Err(HandoutError::Disabled)
    }
}

/// A briefing's action plan: one sheet to fill in and return.
pub fn action_plan_pdf(plan: &ActionPlan, assets: &Assets) -> Result<Typeset, HandoutError> {
    #[cfg(feature = "handout")]
    {
        let mut b = payload::Builder::new(assets);
        let sheet = b.plan(plan, None);
        let title = format!("Action plan: {}", plan.title);
        let payload = b.payload(&title, &plan.partnership, &plan.language, None, vec![sheet]);
        engine::run(payload, b.files, b.notes)
    }
    #[cfg(not(feature = "handout"))]
    {
        let _ = (plan, assets);
        Err(HandoutError::Disabled)
    }
}

/// A training pack: a cover with contents, then each handout (and action plan) on its own
/// page, numbered in the footer.
pub fn pack_pdf(pack: &Pack, assets: &Assets) -> Result<Typeset, HandoutError> {
    #[cfg(feature = "handout")]
    {
        let mut b = payload::Builder::new(assets);
        let (cover, sheets) = payload::pack_sheets(&mut b, pack);
        let payload = b.payload(&pack.title, &pack.partnership, &pack.language, Some(cover), sheets);
        engine::run(payload, b.files, b.notes)
    }
    #[cfg(not(feature = "handout"))]
    {
        let _ = (pack, assets);
        Err(HandoutError::Disabled)
    }
}

#[cfg(feature = "handout")]
#[doc(hidden)]
pub mod testing;

#[cfg(all(test, feature = "handout"))]
mod tests;

#[cfg(all(test, not(feature = "handout")))]
mod disabled {
    use super::*;

    /// Without Typst, every document is refused with `Disabled`, so the caller can say why.
    #[test]
    fn without_the_feature_every_pdf_is_refused() {
        let pack = Pack { title: "t".into(), partnership: "p".into(), intro: None, entries: vec![], left_out: 0, language: "en".into() };
        assert_eq!(pack_pdf(&pack, &Assets::default()).unwrap_err(), HandoutError::Disabled);
    }
}
