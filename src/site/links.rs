//! Links between sources (`other.md#section`, `../themes/x.md`): each must land on a
//! published page, and on a section of it when it names one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic};
use crate::model::{Briefing, InternalLink, LinkTarget, Theme};

/// Every link between sources must land on a published page (and section, when it names one).
pub(super) fn check_links(briefings: &[Arc<Briefing>], themes: &[Theme], drafts: &[String]) -> Vec<Diagnostic> {
    let anchors: HashMap<&str, Vec<&str>> = briefings
        .iter()
        .map(|b| {
            let sections = b.sections.iter().flat_map(|s| std::iter::once(s.anchor.as_str()).chain(s.subheadings.iter().map(|h| h.anchor.as_str())));
            (b.slug.as_str(), sections.collect())
        })
        .collect();
    let sources = briefings.iter().map(|b| (&b.source, &b.links[..])).chain(themes.iter().filter_map(|t| Some((t.source.as_ref()?, &t.links[..]))));
    let targets = Targets {
        anchors,
        themes: themes.iter().map(|t| t.slug.as_str()).collect(),
        drafts: drafts.iter().map(String::as_str).collect(),
    };
    let mut diags = Vec::new();
    for (file, links) in sources {
        let mut found = 0;
        for link in links {
            if let Some((message, help)) = broken(link, &targets, shown_in_full(found)) {
                found += 1;
                diags.push(Diagnostic::error("broken-link", message).in_file(file).at_span(link.span.clone()).help(help));
            }
        }
    }
    diags
}

/// What links may land on, looked up by name.
struct Targets<'a> {
    /// Each published briefing's anchors, by slug.
    anchors: HashMap<&'a str, Vec<&'a str>>,
    themes: HashSet<&'a str>,
    drafts: HashSet<&'a str>,
}

/// How many of a briefing's sections a broken link's help lists when none is near.
const SECTIONS_LISTED: usize = 10;

/// The message and help for `link` when it is broken. `suggest`: search for the nearest name
/// (only for the diagnostics a report shows in full, see `shown_in_full`).
fn broken(link: &InternalLink, targets: &Targets, suggest: bool) -> Option<(String, String)> {
    let Targets { anchors, themes, drafts } = targets;
    match &link.target {
        LinkTarget::Briefing { slug, .. } if drafts.contains(slug.as_str()) => Some((
            format!("this links to `{slug}`, which is a draft and is not published"),
            format!("publish it (draft = false in briefings/{slug}.md), remove the link, or preview with --drafts"),
        )),
        LinkTarget::Briefing { slug, anchor } => match anchors.get(slug.as_str()) {
            None => {
                let near = if suggest { did_you_mean(slug, sorted(anchors.keys().copied())) } else { None };
                Some((
                    format!("this links to a briefing `{slug}` that does not exist"),
                    near.map_or("link to a briefing by its file name, like [text](other-briefing.md)".to_string(), |n| format!("did you mean {n}.md?")),
                ))
            }
            Some(sections) => {
                let anchor = anchor.as_deref()?;
                if sections.contains(&anchor) {
                    return None;
                }
                let near = if suggest { did_you_mean(anchor, sections.iter().copied()) } else { None };
                Some((
                    format!("this links to a section `#{anchor}` that the briefing `{slug}` does not have"),
                    near.map_or_else(|| format!("its sections are: {}", listed(sections)), |n| format!("did you mean #{n}?")),
                ))
            }
        },
        LinkTarget::Theme { slug } if themes.contains(slug.as_str()) => None,
        LinkTarget::Theme { slug } => Some((
            format!("this links to a theme `{slug}` that does not exist"),
            format!("add themes/{slug}.md, or link to an existing theme"),
        )),
    }
}

/// `names` in order, so that a tie between suggestions never depends on hashing.
fn sorted<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names
}

/// The first `SECTIONS_LISTED` of `sections`, and how many more there are.
fn listed(sections: &[&str]) -> String {
    let mut list = sections.iter().take(SECTIONS_LISTED).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ");
    if sections.len() > SECTIONS_LISTED {
        list.push_str(&format!(" and {} more", sections.len() - SECTIONS_LISTED));
    }
    list
}
