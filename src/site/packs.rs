//! Training packs: the briefings each names, by slug, and those of the themes it names, each
//! name checked, with the nearest one suggested when it leads nowhere.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::themes::SiteThemes;
use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic};
use crate::model::{Briefing, Pack, ThemeName};

/// The most briefings a pack holds. A pack is printed for one session; a pack of common
/// themes on a large site would otherwise gather hundreds of briefings into one PDF of a
/// thousand pages, which takes a minute and over a gigabyte of memory to typeset.
pub const MOST_BRIEFINGS: usize = 100;

/// Fills in each pack's `briefings` (indices into `briefings`, which are in site order), and
/// an error for each name that is no briefing or theme of the site, or a draft (`drafts`, left
/// out of this build); a warning for a pack left with no briefings, and for one that asks for
/// more than [`MOST_BRIEFINGS`] (it keeps the first: those it names, then the newest).
pub fn resolve(packs: &mut [Pack], briefings: &[Arc<Briefing>], themes: &SiteThemes, refs: &[Vec<usize>], drafts: &[String]) -> Vec<Diagnostic> {
    let names = Names {
        by_slug: briefings.iter().enumerate().map(|(i, b)| (b.slug.as_str(), i)).collect(),
        drafts: drafts.iter().map(String::as_str).collect(),
        themes,
        refs,
    };
    let mut diags = Vec::new();
    for pack in packs.iter_mut() {
        let (mut members, errors) = names.members(pack);
        let ok = errors.is_empty();
        diags.extend(errors);
        if members.is_empty() && ok {
            diags.push(empty(pack));
        }
        if members.len() > MOST_BRIEFINGS {
            pack.left_out = members.len() - MOST_BRIEFINGS;
            members.truncate(MOST_BRIEFINGS);
            diags.push(too_large(pack));
        }
        pack.briefings = members;
    }
    diags
}

/// What a pack's names are looked up in.
struct Names<'a> {
    by_slug: HashMap<&'a str, usize>,
    drafts: HashSet<&'a str>,
    themes: &'a SiteThemes,
    /// Each theme's tagged briefings, newest first.
    refs: &'a [Vec<usize>],
}

/// A name of a pack that leads nowhere.
enum Miss<'a> {
    Draft(&'a ThemeName, &'a str),
    Briefing(&'a ThemeName),
    Theme(&'a ThemeName),
}

impl Names<'_> {
    /// The briefings `pack` names, in order, then those of its themes, each once; and an error
    /// for each name that leads nowhere.
    fn members(&self, pack: &Pack) -> (Vec<usize>, Vec<Diagnostic>) {
        let mut members: Vec<usize> = Vec::new();
        let mut misses = Vec::new();
        for name in &pack.briefing_names {
            let slug = name.name.trim_end_matches(".md");
            match self.by_slug.get(slug) {
                Some(&i) => members.push(i),
                None if self.drafts.contains(slug) => misses.push(Miss::Draft(name, slug)),
                None => misses.push(Miss::Briefing(name)),
            }
        }
        for name in &pack.theme_names {
            match self.themes.resolve(&name.name).and_then(|slug| self.themes.position(slug)) {
                Some(t) => members.extend(&self.refs[t]),
                None => misses.push(Miss::Theme(name)),
            }
        }
        let mut seen = HashSet::new();
        members.retain(|i| seen.insert(*i));
        (members, self.errors(pack, misses))
    }

    /// The errors for `misses`, with the nearest name for those a report shows in full (the
    /// first by place in the file, see `shown_in_full`): searched for each of a pack's
    /// thousands of wrong names, it took seconds.
    fn errors(&self, pack: &Pack, mut misses: Vec<Miss<'_>>) -> Vec<Diagnostic> {
        let at = |m: &Miss| {
            let (Miss::Draft(name, _) | Miss::Briefing(name) | Miss::Theme(name)) = m;
            (name.span.line, name.span.column)
        };
        misses.sort_by_key(at);
        let themes = || self.themes.themes.iter().map(|t| t.slug.as_str());
        let errors = misses.into_iter().enumerate().map(|(nth, miss)| {
            let full = shown_in_full(nth);
            match miss {
                Miss::Draft(name, slug) => draft(pack, name, slug),
                Miss::Briefing(name) => unknown(pack, name, "briefing", full.then(|| did_you_mean(&name.name, self.by_slug.keys().copied())).flatten()),
                Miss::Theme(name) => unknown(pack, name, "theme", full.then(|| did_you_mean(&name.name, themes())).flatten()),
            }
        });
        errors.collect()
    }
}

/// A pack that names a draft: as a link to one, an error, since the pack would print without it.
fn draft(pack: &Pack, name: &ThemeName, slug: &str) -> Diagnostic {
    Diagnostic::error("unknown-pack-entry", format!("the training pack names `{slug}`, which is a draft and is not published"))
        .in_file(&pack.source)
        .at_span(name.span.clone())
        .help("publish it (draft = false in its front matter), take it out of the pack, or preview with --drafts")
}

/// A pack whose themes no published briefing has yet: its PDF would be a cover with empty
/// contents, and a trainer might print it.
fn empty(pack: &Pack) -> Diagnostic {
    let themes: Vec<String> = pack.theme_names.iter().map(|t| format!("`{}`", t.name)).collect();
    Diagnostic::warning("empty-pack", format!("the training pack holds no briefings: no published briefing has the theme {}", themes.join(" or ")))
        .in_file(&pack.source)
        .help("tag briefings with the theme, name briefings in briefings = [...], or take the pack out until it has some: its PDF is a cover with nothing in it")
}

/// A pack that asks for more briefings than one session can use.
fn too_large(pack: &Pack) -> Diagnostic {
    let asked = MOST_BRIEFINGS + pack.left_out;
    Diagnostic::warning(
        "pack-too-large",
        format!("the training pack asks for {asked} briefings; it holds the first {MOST_BRIEFINGS} (those it names, then the newest with its themes) and leaves out {}", pack.left_out),
    )
    .in_file(&pack.source)
    .help("a pack is printed for one session: name fewer or narrower themes, or list the briefings it should hold in briefings = [...]; its cover and page say how many it leaves out")
}

fn unknown(pack: &Pack, name: &ThemeName, what: &str, near: Option<&str>) -> Diagnostic {
    let help = match near {
        Some(near) => format!("did you mean \"{near}\"?"),
        None if what == "briefing" => "name a briefing by its file name without .md, such as \"child-r-seven-minute\"".to_string(),
        None => "name a theme by its file name without .md, its title or an alias".to_string(),
    };
    Diagnostic::error("unknown-pack-entry", format!("the training pack names a {what} `{}` that the site does not have", name.name))
        .in_file(&pack.source)
        .at_span(name.span.clone())
        .help(help)
}
