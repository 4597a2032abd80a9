//! The site stage: parsed briefings and themes become a `Site`. As each briefing is parsed,
//! `analyse` works out what needs its text (tags, mentions, its own checks); `assemble` then puts the briefings in order, checks the links between them and
//! the names of the themes, and works out the cross-reference (which briefings a theme is on,
//! related briefings and themes).

pub(crate) mod analyse;
pub(crate) mod attachments;
mod checks;
#[cfg(test)]
pub(crate) mod fixtures;
mod links;
pub(crate) mod packs;
pub(crate) mod mentions;
mod related;
pub(crate) mod themes;
mod xref;

use crate::config::Config;
use crate::core::diagnostics::Diagnostic;
use crate::model::{Pack, Site};
pub use analyse::{analyse, made_from, Analysed};
pub use related::RelatedMemo;
pub use themes::SiteThemes;

/// Assembles the site of the briefings `analysed` with `themes` (given the theme names of
/// those briefings) and training `packs`. `drafts`: the slugs of the drafts left out, which
/// links must not lead to. `today`: the date against which review dates are read. `related`:
/// the related lists of the last rebuild, which `watch` keeps.
pub fn assemble(config: Config, mut analysed: Vec<Analysed>, themes: SiteThemes, mut packs: Vec<Pack>, drafts: &[String], today: time::Date, related: Option<&mut RelatedMemo>) -> (Site, Vec<Diagnostic>) {
    analysed.sort_by(|a, b| {
        let (a, b) = (&a.briefing, &b.briefing);
        b.published.cmp(&a.published).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug))
    });
    let mut diags = Vec::new();
    let mut briefings = Vec::with_capacity(analysed.len());
    let mut mentions = Vec::with_capacity(analysed.len());
    for a in analysed {
        diags.extend(a.diagnostics);
        briefings.push(a.briefing);
        mentions.push(a.mentions);
    }
    let defined: Vec<&_> = themes.themes.iter().filter(|t| t.source.is_some()).collect();
    diags.extend(themes::check_names(&defined));
    // The checks beside the cross-reference: each takes a few milliseconds of a `watch` save.
    let ((theme_diags, link_diags), (xref, xref_diags)) = rayon::join(
        || (themes::undefined_themes(&briefings, &themes), links::check_links(&briefings, &themes.themes, drafts)),
        || xref::cross_reference(&briefings, &themes.themes, mentions, related),
    );
    diags.extend(theme_diags);
    diags.extend(link_diags);
    diags.extend(xref_diags);
    packs.sort_by(|a, b| a.slug.cmp(&b.slug));
    let tagged: Vec<Vec<usize>> = xref.themes.iter().map(|r| r.tagged.clone()).collect();
    diags.extend(packs::resolve(&mut packs, &briefings, &themes, &tagged, drafts));
    let theme_index = themes.themes.iter().enumerate().map(|(i, t)| (t.slug.clone(), i)).collect();
    let site = Site { config, briefings, themes: themes.themes, theme_index, related: xref.related, theme_refs: xref.themes, packs, today };
    (site, diags)
}
