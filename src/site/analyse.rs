//! What the site works out from each briefing's text as soon as the briefing is parsed, so
//! that the text itself need not be kept: the themes it is tagged with, where it mentions
//! others, and the checks of the briefing on its own.

use std::sync::Arc;

use time::Date;

use super::mentions::PlaceMention;
use super::themes::SiteThemes;
use super::checks;
use crate::config::Config;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::model::Briefing;
use crate::parse::ParsedBriefing;

/// A briefing, with what its text gave.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// With its `themes` resolved.
    pub briefing: Arc<Briefing>,
    /// Where it mentions themes it is not tagged with.
    pub mentions: Vec<PlaceMention>,
    /// The checks of the briefing on its own (dates, shape, length).
    pub diagnostics: Vec<Diagnostic>,
}

/// What a briefing of a site with `themes` is made from as of `today`, besides its source and
/// the settings (its `fingerprint`): `Briefing::made_from`.
pub fn made_from(fingerprint: u128, themes: &SiteThemes, today: Date) -> u128 {
    hash::of(&(fingerprint, themes.key(), today))
}

/// Analyses a parsed briefing of a site with `themes`, as of `today`.
pub fn analyse(parsed: &ParsedBriefing, themes: &SiteThemes, config: &Config, today: Date) -> Analysed {
    let mut briefing = parsed.briefing.clone();
    briefing.made_from = made_from(briefing.fingerprint, themes, today);
    briefing.themes = themes.tags(&briefing);
    let tagged: Vec<usize> = briefing.themes.iter().filter_map(|slug| themes.position(slug)).collect();
    let mentions = themes.matcher().briefing_mentions(&briefing, &parsed.prose, &tagged);
    let diagnostics = checks::briefing(&briefing, config, today);
    Analysed { briefing: Arc::new(briefing), mentions, diagnostics }
}
