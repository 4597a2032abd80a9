//! The cross-reference: which theme a name means (slug, title or alias, however written), and
//! which briefings share learning with which.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Body, Briefing, Related, Theme};
use crate::source::suggest_slug;

/// How many related briefings a briefing page lists.
pub const MAX_RELATED: usize = 5;

/// A name with case, spacing, hyphens and punctuation removed: "Think-Family", "think family"
/// and "THINK FAMILY!" are the same name.
pub fn normalise(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Every name a theme answers to (slug, title, aliases), normalised, to its slug.
pub struct ThemeIndex {
    by_name: HashMap<String, String>,
}

impl ThemeIndex {
    pub fn new(themes: &[Theme]) -> ThemeIndex {
        let mut by_name = HashMap::new();
        for theme in themes {
            for name in std::iter::once(&theme.slug).chain([&theme.title]).chain(&theme.aliases) {
                by_name.entry(normalise(name)).or_insert_with(|| theme.slug.clone());
            }
        }
        ThemeIndex { by_name }
    }

    pub fn resolve(&self, name: &str) -> Option<&str> {
        self.by_name.get(&normalise(name)).map(String::as_str)
    }
}

/// Fills in each briefing's `themes` with theme slugs. A name that matches no theme file gets
/// a theme made from the name (so it still has an index entry) and one warning.
pub fn resolve_themes(briefings: &mut [Briefing], themes: &mut Vec<Theme>) -> Vec<Diagnostic> {
    let mut index = ThemeIndex::new(themes);
    let mut diags = Vec::new();
    for briefing in briefings.iter_mut() {
        let mut slugs: Vec<String> = Vec::new();
        for name in &briefing.theme_names {
            let slug = match index.resolve(&name.name) {
                Some(slug) => slug.to_string(),
                None => {
                    let slug = suggest_slug(&name.name);
                    diags.push(
                        Diagnostic::warning("undefined-theme", format!("the theme `{}` has no definition", name.name))
                            .in_file(&briefing.source)
                            .at_span(name.span.clone())
                            .help(format!("add themes/{slug}.md to describe it (a title, and a paragraph on what it means)")),
                    );
                    themes.push(undefined_theme(&slug, &name.name));
                    index = ThemeIndex::new(themes);
                    slug
                }
            };
            if !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
        briefing.themes = slugs;
    }
    themes.sort_by(|a, b| a.slug.cmp(&b.slug));
    diags
}

fn undefined_theme(slug: &str, name: &str) -> Theme {
    let mut title = name.to_string();
    if let Some(first) = title.get(..1) {
        title.replace_range(..1, &first.to_uppercase());
    }
    Theme {
        slug: slug.to_string(),
        title,
        aliases: Vec::new(),
        related: Vec::new(),
        description: Body::default(),
        links: Vec::new(),
        source: None,
    }
}

/// For each briefing, the others that share its themes, most shared first (ties by title, then
/// slug), at most `MAX_RELATED`. Goes through an inverted index (theme to briefings), so the
/// cost follows the number of shared tags, not the square of the number of briefings.
pub fn related(briefings: &[Briefing]) -> Vec<Vec<Related>> {
    let mut tagged: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, b) in briefings.iter().enumerate() {
        for theme in &b.themes {
            tagged.entry(theme).or_default().push(i);
        }
    }
    briefings
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut shared: HashMap<usize, Vec<String>> = HashMap::new();
            for theme in &b.themes {
                for &j in tagged.get(theme.as_str()).into_iter().flatten().filter(|&&j| j != i) {
                    shared.entry(j).or_default().push(theme.clone());
                }
            }
            let mut ranked: Vec<Related> = shared.into_iter().map(|(briefing, shared)| Related { briefing, shared }).collect();
            ranked.sort_by(|x, y| {
                let (bx, by) = (&briefings[x.briefing], &briefings[y.briefing]);
                y.shared.len().cmp(&x.shared.len()).then_with(|| bx.title.cmp(&by.title)).then_with(|| bx.slug.cmp(&by.slug))
            });
            ranked.truncate(MAX_RELATED);
            ranked
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(slug: &str, title: &str, aliases: &[&str]) -> Theme {
        Theme { aliases: aliases.iter().map(|a| a.to_string()).collect(), ..undefined_theme(slug, title) }
    }

    #[test]
    fn names_resolve_by_slug_title_or_alias_in_any_spelling() {
        let themes = [theme("think-family", "Think family", &["whole family"]), theme("neglect", "Neglect", &[])];
        let index = ThemeIndex::new(&themes);
        for name in ["think-family", "Think Family", "THINK  family!", "Whole-Family"] {
            assert_eq!(index.resolve(name), Some("think-family"), "{name}");
        }
        assert_eq!(index.resolve("family"), None);
    }
}
