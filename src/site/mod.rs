//! The site stage: parsed briefings and themes become a `Site`, with drafts left out, themes
//! resolved, links between sources checked, the cross-reference worked out (tags, mentions,
//! related briefings and themes), each one-pager planned, and the site-wide checks made.

pub(crate) mod attachments;
pub(crate) mod checks;
#[cfg(test)]
pub(crate) mod fixtures;
mod links;
pub(crate) mod mentions;
pub(crate) mod print;
mod related;
pub(crate) mod themes;
pub(crate) mod xref;

use rayon::prelude::*;

use crate::config::Config;
use crate::core::diagnostics::Diagnostic;
use crate::model::{Briefing, Site, Theme};
pub use xref::MentionMemo;

/// Assembles the site from its parsed sources. `memo`: what `watch` remembers of the mentions
/// (see `MentionMemo`).
pub fn assemble(config: Config, mut briefings: Vec<Briefing>, mut themes: Vec<Theme>, include_drafts: bool, memo: Option<&mut MentionMemo>) -> (Site, Vec<Diagnostic>) {
    let drafts: Vec<String> = briefings.iter().filter(|b| b.draft && !include_drafts).map(|b| b.slug.clone()).collect();
    briefings.retain(|b| include_drafts || !b.draft);
    briefings.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug)));
    themes.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut diags = themes::check_names(&themes);
    diags.extend(themes::resolve_themes(&mut briefings, &mut themes));
    diags.extend(links::check_links(&briefings, &themes, &drafts));
    let (xref, xref_diags) = xref::cross_reference(&briefings, &themes, memo);
    diags.extend(xref_diags);
    let print_plans = briefings.par_iter().map(|b| print::plan(b, &config)).collect();
    (Site { config, briefings, themes, related: xref.related, theme_refs: xref.themes, print_plans }, diags)
}
