//! A training pack (`packs/<slug>.toml`): plain TOML, no Markdown.
//!
//! ```toml
//! title = "Neglect: a team session"
//! intro = "Four briefings on neglect for a two-hour session."
//! briefings = ["child-r-seven-minute", "baby-t-unseen-men"]
//! themes = ["neglect"]
//! action_plans = true
//! ```

use serde::Deserialize;
use toml::Spanned;

use crate::core::diagnostics::{Diagnostic, LineCursor};
use crate::core::toml_doc::TomlDoc;
use crate::load::SourceFile;
use crate::model::{Pack, ThemeName};

const KNOWN_KEYS: &[&str] = &["title", "intro", "briefings", "themes", "action_plans"];

#[derive(Deserialize)]
struct RawPack {
    title: Option<Spanned<String>>,
    intro: Option<String>,
    #[serde(default)]
    briefings: Vec<Spanned<String>>,
    #[serde(default)]
    themes: Vec<Spanned<String>>,
    #[serde(default)]
    action_plans: bool,
}

/// Parses one pack; the names it gives are checked when the site is assembled.
pub fn parse(source: &SourceFile) -> (Option<Pack>, Vec<Diagnostic>) {
    let file = source.path.as_path();
    let text = source.text.as_str();
    let doc = TomlDoc { file, text, range: 0..text.len(), what: "training pack" };
    let (raw, warnings): (RawPack, _) = match doc.parse(KNOWN_KEYS) {
        Ok(parsed) => (parsed.value, parsed.warnings),
        Err(diags) => return (None, diags),
    };
    let error = |message: &str, help: &str| Diagnostic::error("missing-key", message.to_string()).in_file(file).at(text, 0..0).help(help.to_string());
    let Some(title) = raw.title.map(Spanned::into_inner).filter(|t| !t.trim().is_empty()) else {
        return (None, vec![error("the training pack has no `title`", "add a line such as title = \"Neglect: a team session\"")])
    };
    if raw.briefings.is_empty() && raw.themes.is_empty() {
        let help = "name briefings by their file name (briefings = [\"child-r-seven-minute\"]) or themes (themes = [\"neglect\"])";
        return (None, vec![error("the training pack names no briefings and no themes", help)]);
    }
    let mut cursor = LineCursor::new(text);
    let mut names = |list: Vec<Spanned<String>>| -> Vec<ThemeName> {
        list.into_iter().map(|n| ThemeName { span: cursor.span(n.span()), name: n.into_inner().trim().to_string() }).filter(|n| !n.name.is_empty()).collect()
    };
    let pack = Pack {
        slug: source.slug.clone(),
        source: source.path.clone(),
        title: title.trim().to_string(),
        intro: raw.intro.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()),
        briefing_names: names(raw.briefings),
        theme_names: names(raw.themes),
        action_plans: raw.action_plans,
        briefings: Vec::new(),
        left_out: 0,
    };
    (Some(pack), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Kind;

    fn pack(text: &str) -> (Option<Pack>, Vec<Diagnostic>) {
        parse(&SourceFile { kind: Kind::Pack, slug: "p".into(), path: "packs/p.toml".into(), bundle: None, text: text.into() })
    }

    #[test]
    fn a_pack_names_briefings_and_themes_with_their_places() {
        let (p, diags) = pack("title = \"Session\"\nbriefings = [\"a\", \"b\"]\nthemes = [\"Neglect\"]\naction_plans = true\n");
        assert!(diags.is_empty(), "{diags:?}");
        let p = p.unwrap();
        assert_eq!(p.briefing_names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!((p.theme_names[0].name.as_str(), p.theme_names[0].span.line), ("Neglect", 3));
        assert!(p.action_plans);
    }

    #[test]
    fn a_pack_needs_a_title_and_something_in_it_and_known_keys() {
        assert_eq!(pack("briefings = [\"a\"]\n").1[0].code, "missing-key");
        assert_eq!(pack("title = \"T\"\n").1[0].code, "missing-key");
        let (_, diags) = pack("title = \"T\"\nbriefing = [\"a\"]\n");
        assert_eq!((diags[0].code, diags[0].help.as_deref()), ("unknown-key", Some("did you mean `briefings`?")));
    }
}
