//! Which theme a name means (slug, title or alias, however written): briefings' `themes`
//! resolved to theme slugs, themes' `related` to themes, and names two themes claim.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::mentions::Matcher;
use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic};
use crate::core::hash;
use crate::core::text::{normalise, suggest_slug};
use crate::model::{Briefing, Theme};

/// Every name a theme answers to (slug, title, aliases), normalised, to its slug.
pub struct ThemeIndex {
    by_name: FxHashMap<String, String>,
}

impl ThemeIndex {
    pub fn new(themes: &[Theme]) -> ThemeIndex {
        let mut index = ThemeIndex { by_name: FxHashMap::default() };
        for theme in themes {
            index.insert(theme);
        }
        index
    }

    /// Adds `theme`'s names; a name an earlier theme already answers to stays with it.
    pub fn insert(&mut self, theme: &Theme) {
        for name in [&theme.slug, &theme.title].into_iter().chain(theme.aliases.iter().map(|a| &a.name)) {
            self.by_name.entry(normalise(name)).or_insert_with(|| theme.slug.clone());
        }
    }

    pub fn resolve(&self, name: &str) -> Option<&str> {
        self.by_name.get(&normalise(name)).map(String::as_str)
    }
}

/// Every theme of the site, sorted by slug: those with a file, and one made from its name
/// for each theme that briefings name but no file defines (so it still has an index entry);
/// with what resolves any name of a theme and finds the names in text.
pub struct SiteThemes {
    pub themes: Vec<Theme>,
    index: ThemeIndex,
    matcher: OnceLock<Matcher>,
    /// See `key`: made once, as every briefing's analysis is looked up by it.
    key: u128,
}

impl SiteThemes {
    /// `named`: the theme names that the site's briefings give, in site order (an undefined
    /// theme is titled the way the first briefing to name it writes it).
    pub fn new<'a>(mut themes: Vec<Theme>, named: impl IntoIterator<Item = &'a str>) -> SiteThemes {
        let mut index = ThemeIndex::new(&themes);
        // Each name once: a thousand briefings name the same few dozen themes, and resolving
        // a name normalises it afresh.
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for name in named.into_iter().filter(|name| seen.insert(name)) {
            if index.resolve(name).is_none() {
                let theme = undefined_theme(&suggest_slug(name), name);
                index.insert(&theme);
                themes.push(theme);
            }
        }
        themes.sort_by(|a, b| a.slug.cmp(&b.slug));
        let names: Vec<(&str, &str, Vec<&str>)> = themes.iter().map(|t| (t.slug.as_str(), t.title.as_str(), t.aliases.iter().map(|a| a.name.as_str()).collect())).collect();
        let key = hash::of(&names);
        SiteThemes { themes, index, matcher: OnceLock::new(), key }
    }

    /// The slugs of the themes a briefing names, in order, without repeats; a name that no
    /// theme answers to is left out (`new` was not given it).
    pub fn tags(&self, b: &Briefing) -> Vec<String> {
        let mut slugs: Vec<String> = Vec::new();
        for slug in b.theme_names.iter().filter_map(|n| self.index.resolve(&n.name)) {
            if !slugs.iter().any(|s| s == slug) {
                slugs.push(slug.to_string());
            }
        }
        slugs
    }

    /// The slug of the theme that answers to `name` (its slug, title or an alias, in any
    /// spelling).
    pub fn resolve(&self, name: &str) -> Option<&str> {
        self.index.resolve(name)
    }

    /// The index in `themes` of the theme with this slug.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.themes.binary_search_by(|t| t.slug.as_str().cmp(slug)).ok()
    }

    /// Finds every theme's title and aliases in text; made on first use.
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| Matcher::new(&self.themes))
    }

    /// A hash of every name of every theme and its place in the list: what the tags and
    /// mentions of a briefing depend on besides the briefing.
    pub fn key(&self) -> u128 {
        self.key
    }
}

/// A warning where a briefing names a theme that has no file, at the first briefing (in site
/// order) to name each; an error wherever the name is a likely misspelling of a theme that has
/// one (a misspelt tag would otherwise quietly make a page of its own).
pub fn undefined_themes(briefings: &[Arc<Briefing>], themes: &SiteThemes) -> Vec<Diagnostic> {
    let mut warned: HashSet<&str> = HashSet::new();
    let mut diags = Vec::new();
    // The same names recur from briefing to briefing: each is resolved, and compared with
    // the defined themes, once.
    let mut verdicts: FxHashMap<&str, Option<(&str, Option<&str>)>> = FxHashMap::default();
    let verdict = |name: &str| {
        let slug = themes.index.resolve(name)?;
        let undefined = themes.position(slug).is_some_and(|i| themes.themes[i].source.is_none());
        undefined.then(|| (slug, near_defined_theme(name, &themes.themes)))
    };
    for b in briefings {
        for name in &b.theme_names {
            let Some((slug, near)) = *verdicts.entry(name.name.as_str()).or_insert_with(|| verdict(&name.name)) else { continue };
            if let Some(near) = near {
                diags.push(
                    Diagnostic::error("misspelt-theme", format!("the theme `{}` is not one of the site's themes", name.name))
                        .in_file(&b.source)
                        .at_span(name.span.clone())
                        .help(format!("did you mean `{near}`? Correct the spelling; if `{}` really is a new theme, add themes/{slug}.md to describe it", name.name)),
                );
            } else if warned.insert(slug) {
                diags.push(
                    Diagnostic::warning("undefined-theme", format!("the theme `{}` has no definition", name.name))
                        .in_file(&b.source)
                        .at_span(name.span.clone())
                        .help(format!("add themes/{slug}.md to describe it (a title, and a paragraph on what it means)")),
                );
            }
        }
    }
    diags
}

/// The name (slug, title or alias) of a theme with a file that `name` is a likely misspelling
/// of: within two edits, ignoring case and punctuation (one edit for names under six letters,
/// none under four, so that short names such as CSE and CCE stay distinct themes).
fn near_defined_theme<'a>(name: &str, themes: &'a [Theme]) -> Option<&'a str> {
    let wanted = normalise(name);
    let allowed = match wanted.chars().count() {
        0..=3 => return None,
        4..=5 => 1,
        _ => 2,
    };
    themes
        .iter()
        .filter(|t| t.source.is_some())
        .flat_map(|t| [t.slug.as_str(), t.title.as_str()].into_iter().chain(t.aliases.iter().map(|a| a.name.as_str())))
        .map(|candidate| (strsim::damerau_levenshtein(&wanted, &normalise(candidate)), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Every name a theme answers to must lead to that theme alone: a title or alias that is also
/// another theme's file name, title or alias is an error, reported where the later theme (by
/// slug) writes it. `themes` are the defined themes, sorted by slug.
pub fn check_names(themes: &[&Theme]) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, (usize, &str)> = HashMap::new();
    for (i, theme) in themes.iter().enumerate() {
        owners.entry(normalise(&theme.slug)).or_insert((i, "file name"));
    }
    let mut diags = Vec::new();
    for (i, theme) in themes.iter().enumerate() {
        let title = (("title", &theme.title), theme.title_span.as_ref());
        let aliases = theme.aliases.iter().map(|a| (("alias", &a.name), Some(&a.span)));
        for ((kind, name), span) in std::iter::once(title).chain(aliases) {
            let key = normalise(name);
            match owners.get(&key) {
                Some(&(owner, _)) if owner == i => {}
                Some(&(owner, owner_kind)) => {
                    let other = &themes[owner];
                    let other_file = other.source.as_ref().map_or_else(|| other.slug.clone(), |p| p.display().to_string());
                    let mut d = Diagnostic::error(
                        "duplicate-theme-name",
                        format!("the {kind} `{name}` is also the {owner_kind} of the theme in {other_file}"),
                    )
                    .help("a name can lead to one theme only: take it out of one of the two files (case, spaces and hyphens do not make names different)");
                    if let Some(file) = &theme.source {
                        d = d.in_file(file);
                    }
                    if let Some(span) = span {
                        d = d.at_span(span.clone());
                    }
                    diags.push(d);
                }
                None if key.is_empty() => {}
                None => {
                    owners.insert(key, (i, kind));
                }
            }
        }
    }
    diags
}

/// Each theme's declared `related` themes as indexes into `themes` (by slug, title or alias),
/// and an error for each entry that names no theme. A theme that only briefings name (with
/// no file) still has a page, so it may be named.
pub(super) fn resolve_related(themes: &[Theme], index: &ThemeIndex) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let position = |slug: &str| themes.binary_search_by(|t| t.slug.as_str().cmp(slug)).ok();
    let mut diags = Vec::new();
    let declared = themes
        .iter()
        .enumerate()
        .map(|(i, theme)| {
            let mut related = Vec::new();
            let mut seen = HashSet::new();
            let mut unknown = 0;
            for name in &theme.related {
                match index.resolve(&name.name).and_then(position) {
                    Some(j) if j == i || !seen.insert(j) => {}
                    Some(j) => related.push(j),
                    None => {
                        // Searched only where a report shows the error in full.
                        let near = if shown_in_full(unknown) { did_you_mean(&name.name, themes.iter().map(|t| t.slug.as_str())) } else { None };
                        unknown += 1;
                        let help = match near {
                            Some(near) => format!("did you mean \"{near}\"? (name a theme by its file name without .md, its title or an alias)"),
                            None => format!("add themes/{}.md to describe it, or name an existing theme by its file name without .md", suggest_slug(&name.name)),
                        };
                        let d = Diagnostic::error("unknown-related-theme", format!("`related` names a theme `{}` that does not exist", name.name))
                            .at_span(name.span.clone())
                            .help(help);
                        diags.push(match &theme.source {
                            Some(file) => d.in_file(file),
                            None => d,
                        });
                    }
                }
            }
            related
        })
        .collect();
    (declared, diags)
}

fn undefined_theme(slug: &str, name: &str) -> Theme {
    let mut title = name.to_string();
    if let Some(first) = title.get(..1) {
        title.replace_range(..1, &first.to_uppercase());
    }
    Theme {
        slug: slug.to_string(),
        title,
        title_span: None,
        aliases: Vec::new(),
        related: Vec::new(),
        description: String::new(),
        links: Vec::new(),
        external_links: Vec::new(),
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixtures::{name, theme};

    #[test]
    fn names_resolve_by_slug_title_or_alias_in_any_spelling() {
        let themes = [theme("think-family", "Think family", &["whole family"]), theme("neglect", "Neglect", &[])];
        let index = ThemeIndex::new(&themes);
        for name in ["think-family", "Think Family", "THINK  family!", "Whole-Family"] {
            assert_eq!(index.resolve(name), Some("think-family"), "{name}");
        }
        assert_eq!(index.resolve("family"), None);
    }

    /// A misspelling is an error wherever it is written; a theme without a file is a warning
    /// at the first briefing to name it (each name is looked at once, however often it recurs).
    #[test]
    fn misspellings_are_errors_at_each_use_and_undefined_themes_warned_once() {
        let mut neglect = theme("neglect", "Neglect", &[]);
        neglect.source = Some("themes/neglect.md".into());
        let briefings: Vec<Arc<Briefing>> = ["a", "b"].iter().map(|slug| crate::site::fixtures::parsed(slug, &["neglcet", "Unheard-of theme"], "", &[]).briefing).map(Arc::new).collect();
        let themes = SiteThemes::new(vec![neglect], briefings.iter().flat_map(|b| b.theme_names.iter().map(|n| n.name.as_str())));
        let found: Vec<(&str, String)> = undefined_themes(&briefings, &themes).iter().map(|d| (d.code, d.file.as_ref().unwrap().display().to_string())).collect();
        assert_eq!(found, [("misspelt-theme", "briefings/a.md".to_string()), ("undefined-theme", "briefings/a.md".to_string()), ("misspelt-theme", "briefings/b.md".to_string())]);
    }

    #[test]
    fn a_name_two_themes_claim_is_an_error_at_the_later_one() {
        let mut themes = [
            theme("curiosity", "Professional curiosity", &["respectful uncertainty"]),
            theme("neglect", "Neglect", &["Respectful-Uncertainty", "Curiosity", "neglect"]),
        ];
        themes[1].title_span = Some(name("Neglect").span);
        let diags = check_names(&themes.iter().collect::<Vec<_>>());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the alias `Respectful-Uncertainty` is also the alias of the theme in themes/curiosity.md",
                "the alias `Curiosity` is also the file name of the theme in themes/curiosity.md",
            ]
        );
        assert!(diags.iter().all(|d| d.file.as_deref() == Some(std::path::Path::new("themes/neglect.md")) && d.span.is_some()));
    }

    #[test]
    fn related_entries_resolve_by_any_name_and_unknown_ones_are_errors() {
        let mut themes = vec![theme("neglect", "Neglect", &[]), theme("think-family", "Think family", &["whole family"])];
        themes[0].related = vec![name("Whole Family"), name("neglect"), name("think-famly"), name("coercive control")];
        let (declared, diags) = resolve_related(&themes, &ThemeIndex::new(&themes));
        assert_eq!(declared, [vec![1], vec![]]);
        let helps: Vec<&str> = diags.iter().map(|d| d.help.as_deref().unwrap()).collect();
        assert_eq!(diags.len(), 2);
        assert!(helps[0].starts_with("did you mean \"think-family\"?"), "{helps:?}");
        assert!(helps[1].starts_with("add themes/coercive-control.md"), "{helps:?}");
    }

    #[test]
    fn near_misses_of_defined_themes_are_found_within_two_edits() {
        let themes = [theme("neglect", "Neglect", &[]), theme("professional-curiosity", "Professional curiosity", &["curiosity"]), theme("cce", "CCE", &[])];
        assert_eq!(near_defined_theme("neglcet", &themes), Some("neglect"));
        assert_eq!(near_defined_theme("Profesional Curiosity", &themes), Some("professional-curiosity"));
        assert_eq!(near_defined_theme("CURIOSTY", &themes), Some("curiosity"));
        assert_eq!(near_defined_theme("CSE", &themes), None, "short names are not guessed at");
        assert_eq!(near_defined_theme("coercive control", &themes), None);
    }
}
