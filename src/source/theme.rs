//! A learning theme source (`themes/<slug>.md`) into a `Theme`.

use serde::Deserialize;

use super::front_matter;
use super::markdown::{self, Input};
use super::toml_doc::TomlDoc;
use super::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::model::Theme;

pub const KNOWN_KEYS: &[&str] = &["title", "aliases", "related"];

#[derive(Deserialize)]
struct RawTheme {
    title: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
}

pub fn parse(source: &SourceFile) -> (Option<Theme>, Vec<Diagnostic>) {
    let file = source.path.as_path();
    let text = source.text.as_str();
    let parts = match front_matter::split(file, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    let doc = TomlDoc { file, text, range: parts.front_matter.clone(), what: "theme's front matter" };
    let raw: RawTheme = match doc.parse(KNOWN_KEYS) {
        Ok(raw) => raw,
        Err(diags) => return (None, diags),
    };
    let Some(title) = raw.title.filter(|t| !t.trim().is_empty()) else {
        let d = Diagnostic::error("missing-key", "the theme has no `title`")
            .in_file(file)
            .at(text, 0..3)
            .help("add a line such as title = \"Professional curiosity\" between the +++ lines");
        return (None, vec![d]);
    };
    let body = markdown::parse(&Input { file, text, body: parts.body });
    let mut description = body.intro;
    for section in body.sections {
        // A theme's description has no numbered sections: keep any ## headings as plain text.
        description.html.push_str(&format!("<h2>{}</h2>\n{}", markdown::escape_html(&section.title), section.body.html));
        description.text.push_str(&section.body.text);
    }
    let theme = Theme {
        slug: source.slug.clone(),
        title: title.trim().to_string(),
        aliases: raw.aliases.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        related: raw.related.into_iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect(),
        description,
        links: body.links,
        source: Some(source.path.clone()),
    };
    (Some(theme), body.diagnostics)
}
