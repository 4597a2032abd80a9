//! The parse stage: each source's TOML front matter and Markdown body become a model value
//! (`Briefing` or `Theme`), in one pass over the Markdown that also sanitises raw HTML,
//! highlights code and makes the checks that need the Markdown itself.

pub(crate) mod briefing;
mod checks;
mod front_matter;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod markdown;
mod part;
pub(crate) mod sanitize;
mod sentences;
pub(crate) mod theme;

use crate::config::Config;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::load::{Kind, SourceFile};
use crate::model::{Briefing, Theme};

/// One source, parsed.
#[derive(Debug, Clone)]
pub enum Parsed {
    Briefing(Box<Briefing>),
    Theme(Box<Theme>),
}

/// A parsed source (none when it has errors) and the problems found in it.
pub type ParseResult = (Option<Parsed>, Vec<Diagnostic>);

/// Parses one source. A briefing's `fingerprint` is a hash of all it was parsed from: its
/// path, bundle, text and the settings.
pub fn parse(source: &SourceFile, config: &Config) -> ParseResult {
    match source.kind {
        Kind::Briefing => {
            let (b, d) = briefing::parse(source, config);
            let fingerprint = hash::of(&(&source.path, &source.bundle, &source.text, config));
            (b.map(|b| Parsed::Briefing(Box::new(Briefing { fingerprint, ..b }))), d)
        }
        Kind::Theme => {
            let (t, d) = theme::parse(source, config);
            (t.map(|t| Parsed::Theme(Box::new(t))), d)
        }
    }
}
