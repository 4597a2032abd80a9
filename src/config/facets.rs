//! `[facets.<name>]` tables of site.toml: ways of sorting briefings that a site declares
//! (who a briefing is about, which board published it), each with a title and its values.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Facet, FILE_NAME, RESERVED_FACET_NAMES};
use crate::core::diagnostics::Diagnostic;
use crate::core::text::{is_valid_slug, MAX_NAME_SLUG};

/// The keys of a `[facets.<name>]` table; any other is an `unknown-key` error.
pub(super) const KEYS: &[&str] = &["title", "values"];

/// One `[facets.<name>]` table as written (its keys checked against `KEYS` before it is read).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFacet {
    title: Option<String>,
    #[serde(default)]
    values: Vec<Spanned<String>>,
}

/// The facets of `facets` in the order site.toml declares them, and an error for each
/// problem (`text` is the whole of site.toml, to point at it).
pub(super) fn read(text: &str, facets: BTreeMap<String, Spanned<RawFacet>>) -> (Vec<Facet>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut error = |span: std::ops::Range<usize>, message: String, help: String| {
        errors.push(Diagnostic::error("invalid-value", message).in_file(FILE_NAME).at(text, span).help(help));
    };
    let mut declared: Vec<(String, Spanned<RawFacet>)> = facets.into_iter().collect();
    declared.sort_by_key(|(_, f)| f.span().start);
    let mut out = Vec::new();
    for (key, raw) in declared {
        let span = raw.span();
        if !is_valid_slug(&key) || key.len() > MAX_NAME_SLUG {
            error(span.clone(), format!("the facet name `{key}` is not a simple name"), format!("name facets in a word or two of lowercase letters, digits and hyphens (at most {MAX_NAME_SLUG}), like [facets.age]: the name is the front matter key and the folder of the facet's pages"));
            continue;
        }
        if RESERVED_FACET_NAMES.contains(&key.as_str()) {
            error(span.clone(), format!("a facet cannot be called `{key}`: briefing already uses that name"), "choose another name, like [facets.age] or [facets.board]".into());
            continue;
        }
        let raw = raw.into_inner();
        let mut values: Vec<String> = Vec::new();
        for value in raw.values {
            let name = value.get_ref().trim();
            let slug = Facet::value_slug(name);
            let no_letters = !name.chars().any(char::is_alphanumeric);
            if no_letters || values.iter().any(|v| Facet::value_slug(v) == slug) {
                error(value.span(), format!("the facet `{key}` has an empty or repeated value `{name}`"), "give each value once, with at least one letter or digit in it".into());
            } else if slug.len() > MAX_NAME_SLUG {
                error(value.span(), format!("a value of the facet `{key}` is too long ({} characters) to name its page", name.chars().count()), format!("give each value in a few words: at most {MAX_NAME_SLUG} characters"));
            } else {
                values.push(name.to_string());
            }
        }
        if values.is_empty() {
            error(span, format!("the facet `{key}` has no values"), format!("list the values a briefing may choose, like values = [\"Children\", \"Adults\"] under [facets.{key}]"));
            continue;
        }
        let title = raw.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).unwrap_or_else(|| capitalised(&key));
        out.push(Facet { key, title, values });
    }
    (out, errors)
}

/// `age` as a title: `Age`.
fn capitalised(key: &str) -> String {
    let words = key.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::config::parse;

    #[test]
    fn facets_keep_their_order_and_values() {
        let config = parse("[facets.age]\ntitle = \"Who it is about\"\nvalues = [\"Children\", \"Adults\", \"All ages\"]\n[facets.board]\nvalues = [\"North\"]\n").unwrap();
        assert_eq!(config.facets.len(), 2);
        assert_eq!((config.facets[0].key.as_str(), config.facets[0].title.as_str()), ("age", "Who it is about"));
        assert_eq!(config.facets[0].values, ["Children", "Adults", "All ages"]);
        assert_eq!(config.facets[1].title, "Board");
        assert_eq!(config.facets[0].find("all-ages"), Some(2));
    }

    #[test]
    fn bad_facets_are_errors_with_their_line() {
        let errs = parse("title = \"T\"\n[facets.themes]\nvalues = [\"A\"]\n").unwrap_err();
        assert!(errs[0].message.contains("cannot be called `themes`"), "{:?}", errs[0]);
        let errs = parse("[facets.age]\nvalues = [\"Adults\", \"adults\", \"--\"]\n").unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
        // Each value names a folder of pages: a name too long for one is refused.
        let errs = parse(&format!("[facets.age]\nvalues = [\"Adults\", \"{}\"]\n", "adult ".repeat(30))).unwrap_err();
        assert!(errs[0].message.contains("too long (179 characters)") && errs[0].span.as_ref().unwrap().column == 21, "{errs:?}");
        let errs = parse(&format!("[facets.{}]\nvalues = [\"A\"]\n", "a".repeat(101))).unwrap_err();
        assert!(errs[0].help.as_deref().unwrap().contains("at most 100"), "{errs:?}");
        let errs = parse("[facets.age]\nvaleus = [\"Adults\"]\n").unwrap_err();
        assert_eq!((errs[0].code, errs[0].help.as_deref()), ("unknown-key", Some("did you mean `values`?")), "{errs:?}");
        assert!(errs[0].message.contains("`valeus` in the [facets.age] table"), "{:?}", errs[0]);
    }

    /// A site setting added at the end of a site.toml whose last table is a facet became the
    /// facet's, and the error spoke of the value's type.
    #[test]
    fn a_site_setting_below_a_table_is_told_to_move_up() {
        for table in ["facets.age", "check"] {
            let errs = parse(&format!("title = \"T\"\n[{table}]\nprint_font = \"fonts/ours.ttf\"\n")).unwrap_err();
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert_eq!((errs[0].code, errs[0].span.as_ref().unwrap().line), ("unknown-key", 3));
            let help = errs[0].help.as_deref().unwrap();
            assert!(help.contains(&format!("move its line above the `[{table}]` line")), "{help}");
        }
    }
}
