//! The parse stage: each source's TOML front matter and Markdown body become a model value
//! (`Briefing` or `Theme`), in one pass over the Markdown that also sanitises raw HTML,
//! holds every address to the URL policy, highlights code and makes the checks that need the Markdown itself.

pub(crate) mod briefing;
pub use briefing::Named;
mod checks;
mod facets;
mod front_matter;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod pack;
mod part;
pub(crate) mod sanitize;
pub(crate) mod search;
mod sentences;
pub mod svg;
pub mod url_policy;
pub(crate) mod theme;

use std::sync::Arc;

use crate::config::Config;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::load::{Kind, SourceFile};
use crate::model::{Bodies, Briefing, Pack, Prose, Theme};

/// One source, parsed.
#[derive(Debug, Clone)]
pub enum Parsed {
    Briefing(Box<ParsedBriefing>),
    Theme(Box<Theme>),
    Pack(Box<Pack>),
}

/// A briefing as parsed: the model of it, its rendered text (shared: `watch` keeps it, and
/// rendering reads it), and its prose.
#[derive(Debug, Clone)]
pub struct ParsedBriefing {
    pub briefing: Briefing,
    pub bodies: Arc<Bodies>,
    pub prose: Prose,
}

/// A parsed source (none when it has errors) and the problems found in it.
pub type ParseResult = (Option<Parsed>, Vec<Diagnostic>);

/// A hash of all a briefing is parsed from: its path, bundle, text and the settings.
pub fn fingerprint(source: &SourceFile, config: &Config) -> u128 {
    hash::of(&(&source.path, &source.bundle, &source.text, config))
}

/// Parses one source (see `fingerprint`).
pub fn parse(source: &SourceFile, config: &Config) -> ParseResult {
    match source.kind {
        Kind::Briefing => {
            let (parsed, d) = briefing::parse(source, config);
            let fingerprint = fingerprint(source, config);
            let stamped = |mut p: ParsedBriefing| {
                p.briefing.fingerprint = fingerprint;
                Parsed::Briefing(Box::new(p))
            };
            (parsed.map(stamped), d)
        }
        Kind::Theme => {
            let (t, d) = theme::parse(source, config);
            (t.map(|t| Parsed::Theme(Box::new(t))), d)
        }
        Kind::Pack => {
            let (p, d) = pack::parse(source);
            (p.map(|p| Parsed::Pack(Box::new(p))), d)
        }
    }
}
