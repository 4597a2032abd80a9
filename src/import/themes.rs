//! Suggested themes: every theme of the site whose title or alias the imported text
//! mentions, most mentioned first, found with the same matcher as the theme index.
//!
//! The importer sees themes as plain data (`ThemeNames`). The two functions at the end are
//! the only places that reach into the rest of the crate (the theme parser and the mention
//! matcher), so that moving those modules means changing two paths here.

use std::path::Path;

/// At most this many themes are suggested: a briefing tagged with more says little.
pub const MAX_SUGGESTED: usize = 8;

/// A theme as the importer needs it: its slug and the names a text may use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeNames {
    /// Its file name without `.md`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its other names.
    pub aliases: Vec<String>,
}

/// The slugs of the themes `text` mentions, most mentions first (ties by slug), at most
/// `MAX_SUGGESTED`. `text` has one block (paragraph, list item, cell) a line.
pub fn suggest(themes: &[ThemeNames], text: &str) -> Vec<String> {
    if themes.is_empty() {
        return Vec::new();
    }
    let counts = mention_counts(themes, text);
    let mut found: Vec<(usize, &str)> = counts.iter().zip(themes).filter(|(n, _)| **n > 0).map(|(n, t)| (*n, t.slug.as_str())).collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    found.into_iter().take(MAX_SUGGESTED).map(|(_, slug)| slug.to_string()).collect()
}

/// The adapter to the crate's mention matcher: how often `text` mentions each theme (in the
/// order of `themes`), by the rules of the theme index (whole words, any case, the longest
/// name where names overlap, never across blocks).
fn mention_counts(themes: &[ThemeNames], text: &str) -> Vec<usize> {
    use crate::core::diagnostics::Span;
    use crate::model::{Theme, ThemeName};
    use crate::site::mentions::{Matcher, Prepared};
    let name = |name: &str| ThemeName { name: name.to_string(), span: Span::locate(name, 0..name.len()) };
    let model: Vec<Theme> = themes
        .iter()
        .map(|t| Theme {
            slug: t.slug.clone(),
            title: t.title.clone(),
            title_span: None,
            aliases: t.aliases.iter().map(|a| name(a)).collect(),
            related: Vec::new(),
            description: String::new(),
            links: Vec::new(),
            external_links: Vec::new(),
            source: None,
        })
        .collect();
    let mut counts = vec![0; themes.len()];
    for found in Matcher::new(&model).find(&Prepared::new(text)) {
        counts[found.theme] += 1;
    }
    counts
}

/// The adapter to the crate's theme parser: every theme file in the site at `root`
/// (`themes/<slug>.md`), in slug order. Files that do not parse are left out: `briefing
/// check` reports them.
pub fn site_themes(root: &Path) -> Vec<ThemeNames> {
    use crate::core::paths::{is_ignored_name, THEMES_DIR};
    use crate::core::text::is_valid_slug;
    use crate::load::{read_source, Kind, SourceFile};
    use crate::parse::theme;
    let config = crate::config::load(root).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(root.join(THEMES_DIR)) else { return Vec::new() };
    let mut themes: Vec<ThemeNames> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let slug = name.strip_suffix(".md").filter(|s| is_valid_slug(s) && !is_ignored_name(&name))?.to_string();
            let rel = Path::new(THEMES_DIR).join(&name);
            let text = read_source(&entry.path(), &rel).ok()?;
            let source = SourceFile { kind: Kind::Theme, slug: slug.clone(), path: rel, bundle: None, text };
            let parsed = theme::parse(&source, &config).0?;
            Some(ThemeNames { slug, title: parsed.title, aliases: parsed.aliases.into_iter().map(|a| a.name).collect() })
        })
        .collect();
    themes.sort_by(|a, b| a.slug.cmp(&b.slug));
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(slug: &str, title: &str, aliases: &[&str]) -> ThemeNames {
        ThemeNames { slug: slug.into(), title: title.into(), aliases: aliases.iter().map(|a| a.to_string()).collect() }
    }

    #[test]
    fn most_mentioned_first_longest_name_wins() {
        let themes = [theme("neglect", "Neglect", &[]), theme("self-neglect", "Self-neglect", &[]), theme("think-family", "Think Family", &["whole family"])];
        let text = "Self neglect was missed.\nThe whole-family view and think family.\nNeglect of the home.\nneglectful is not a mention\nSELF-NEGLECT again";
        assert_eq!(suggest(&themes, text), ["self-neglect", "think-family", "neglect"]);
        assert!(suggest(&themes, "nothing here").is_empty());
    }

    #[test]
    fn at_most_eight() {
        let themes: Vec<ThemeNames> = (0..12).map(|i| theme(&format!("t{i}"), &format!("topic{i}"), &[])).collect();
        let text: String = (0..12).map(|i| format!("topic{i}\n")).collect();
        assert_eq!(suggest(&themes, &text).len(), MAX_SUGGESTED);
    }
}
