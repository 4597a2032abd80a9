//! Links between sources (`other.md#section`, `../themes/x.md`): each must land on a
//! published page, and on a section of it when it names one.

use std::collections::HashMap;

use crate::core::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Briefing, InternalLink, LinkTarget, Theme};

/// Every link between sources must land on a published page (and section, when it names one).
pub(super) fn check_links(briefings: &[Briefing], themes: &[Theme], drafts: &[String]) -> Vec<Diagnostic> {
    let anchors: HashMap<&str, Vec<&str>> = briefings
        .iter()
        .map(|b| {
            let sections = b.sections.iter().flat_map(|s| std::iter::once(s.anchor.as_str()).chain(s.subheadings.iter().map(|h| h.anchor.as_str())));
            (b.slug.as_str(), sections.collect())
        })
        .collect();
    let sources = briefings.iter().map(|b| (&b.source, &b.links[..])).chain(themes.iter().filter_map(|t| Some((t.source.as_ref()?, &t.links[..]))));
    let mut diags = Vec::new();
    for (file, links) in sources {
        for link in links {
            if let Some((message, help)) = broken(link, &anchors, themes, drafts) {
                diags.push(Diagnostic::error("broken-link", message).in_file(file).at_span(link.span.clone()).help(help));
            }
        }
    }
    diags
}

fn broken(link: &InternalLink, anchors: &HashMap<&str, Vec<&str>>, themes: &[Theme], drafts: &[String]) -> Option<(String, String)> {
    match &link.target {
        LinkTarget::Briefing { slug, .. } if drafts.contains(slug) => Some((
            format!("this links to `{slug}`, which is a draft and is not published"),
            format!("publish it (draft = false in briefings/{slug}.md), remove the link, or preview with --drafts"),
        )),
        LinkTarget::Briefing { slug, anchor } => match anchors.get(slug.as_str()) {
            None => {
                let near = did_you_mean(slug, anchors.keys().copied());
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
                let near = did_you_mean(anchor, sections.iter().copied());
                Some((
                    format!("this links to a section `#{anchor}` that the briefing `{slug}` does not have"),
                    near.map_or_else(|| format!("its sections are: {}", sections.join(", ")), |n| format!("did you mean #{n}?")),
                ))
            }
        },
        LinkTarget::Theme { slug } if themes.iter().any(|t| &t.slug == slug) => None,
        LinkTarget::Theme { slug } => Some((
            format!("this links to a theme `{slug}` that does not exist"),
            format!("add themes/{slug}.md, or link to an existing theme"),
        )),
    }
}
