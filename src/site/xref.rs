//! The cross-reference: which briefings are tagged with and mention each theme
//! (`mentions`), and which briefings and themes go together (`related`).

use std::sync::Arc;

use super::mentions::PlaceMention;
use super::related;
use super::themes::{resolve_related, ThemeIndex};
use crate::core::diagnostics::Diagnostic;
use crate::model::{Briefing, Mention, Related, Theme, ThemeRefs};

/// The whole cross-reference of a site: what `Site::related` and `Site::theme_refs` hold.
pub struct CrossReference {
    pub related: Vec<Vec<Related>>,
    pub themes: Vec<ThemeRefs>,
}

/// Works out tags, mentions and relations. `briefings` are in site order (newest first) with
/// their themes resolved; `themes` are sorted by slug and include those without a file.
/// `mentions[i]` are the places where `briefings[i]` mentions a theme it is not tagged with
/// (see `analyse`). `memo`: the related lists of the last rebuild (`watch`).
pub fn cross_reference(briefings: &[Arc<Briefing>], themes: &[Theme], mentions: Vec<Vec<PlaceMention>>, memo: Option<&mut related::RelatedMemo>) -> (CrossReference, Vec<Diagnostic>) {
    let position = |slug: &String| themes.binary_search_by(|t| t.slug.cmp(slug)).ok();
    let tags: Vec<Vec<usize>> = briefings.iter().map(|b| b.themes.iter().filter_map(position).collect()).collect();
    let found = mentions;
    let (declared, diags) = resolve_related(themes, &ThemeIndex::new(themes));

    let mut refs = vec![ThemeRefs::default(); themes.len()];
    let mut links: Vec<related::Links> = Vec::with_capacity(briefings.len());
    for (i, (tags, found)) in tags.iter().zip(found).enumerate() {
        let mut linked: related::Links = tags.iter().map(|&t| (t, related::TAG_WEIGHT)).collect();
        for &t in tags {
            refs[t].tagged.push(i);
        }
        for m in found {
            let theme = &mut refs[m.theme];
            if theme.mentions.last().is_none_or(|last| last.briefing != i) {
                theme.mentioned_in += 1;
                linked.push((m.theme, related::MENTION_WEIGHT));
            }
            theme.mentions.push(Mention { briefing: i, section: m.section, excerpt: m.excerpt });
        }
        linked.sort_unstable();
        links.push(linked);
    }
    // Kept until the build ends: without the spare room they grew into.
    for theme in &mut refs {
        theme.tagged.shrink_to_fit();
        theme.mentions.shrink_to_fit();
    }
    let co_occurring = related::co_occurring(themes, &links, &declared);
    for ((theme, declared), co) in refs.iter_mut().zip(declared).zip(co_occurring) {
        theme.declared = declared;
        theme.co_occurring = co;
    }
    let related = related::briefings_kept(briefings, &links, themes, memo);
    (CrossReference { related, themes: refs }, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixtures::{parsed, theme};
    use crate::site::mentions::Matcher;

    #[test]
    fn cross_reference_separates_tags_from_mentions() {
        let themes = vec![theme("neglect", "Neglect", &[]), theme("think-family", "Think family", &[])];
        let parsed = [
            parsed("a", &["neglect"], "Neglect here is tagged.", &[("One", "We think family."), ("Two", "Think family again.")]),
            parsed("b", &[], "", &[("Only", "Neglect and think family.")]),
        ];
        let matcher = Matcher::new(&themes);
        let mentions = parsed.iter().map(|p| matcher.briefing_mentions(&p.briefing, &p.prose, if p.briefing.themes.is_empty() { &[] } else { &[0] })).collect();
        let briefings: Vec<Arc<Briefing>> = parsed.into_iter().map(|p| p.briefing).map(Arc::new).collect();
        let (xref, diags) = cross_reference(&briefings, &themes, mentions, None);
        assert!(diags.is_empty());
        let neglect = &xref.themes[0];
        assert_eq!(neglect.tagged, [0]);
        let places: Vec<_> = neglect.mentions.iter().map(|m| (m.briefing, m.section)).collect();
        assert_eq!(places, [(1, Some(0))]);
        let family = &xref.themes[1];
        let places: Vec<_> = family.mentions.iter().map(|m| (m.briefing, m.section)).collect();
        assert_eq!(places, [(0, Some(0)), (0, Some(1)), (1, Some(0))]);
        assert_eq!((family.tagged.len(), family.mentioned_in), (0, 2));
        // a: neglect tagged (2), think family mentioned (1); b: both mentioned (1 each).
        assert_eq!(xref.related[0][0].score, 2 + 1);
        let shared: Vec<&str> = xref.related[0][0].shared.iter().map(|&t| themes[t].slug.as_str()).collect();
        assert_eq!(shared, ["neglect", "think-family"]);
        assert_eq!(neglect.co_occurring[0].briefings, 2);
    }
}
