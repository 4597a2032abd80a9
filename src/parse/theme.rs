//! A learning theme source (`themes/<slug>.md`) into a `Theme`.

use serde::Deserialize;
use toml::Spanned;

use super::front_matter;
use super::markdown::{self, Input};
use crate::config::Config;
use crate::core::diagnostics::{Diagnostic, LineCursor};
use crate::core::text::escape_html;
use crate::core::toml_doc::TomlDoc;
use crate::load::SourceFile;
use crate::model::{Theme, ThemeName};

pub const KNOWN_KEYS: &[&str] = &["title", "aliases", "related"];

/// Spans are kept so that errors about names (an alias two themes claim, a `related` entry
/// that leads nowhere) can point at the line.
#[derive(Deserialize)]
struct RawTheme {
    title: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

pub fn parse(source: &SourceFile, config: &Config) -> (Option<Theme>, Vec<Diagnostic>) {
    let file = source.path.as_path();
    let text = &*source.text;
    let parts = match front_matter::split(file, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    let doc = TomlDoc { file, text, range: parts.front_matter.clone(), what: "theme's front matter" };
    let (raw, warnings): (RawTheme, _) = match doc.parse(KNOWN_KEYS) {
        Ok(parsed) => (parsed.value, parsed.warnings),
        Err(diags) => return (None, diags),
    };
    let Some(title) = raw.title.filter(|t| !t.get_ref().trim().is_empty()) else {
        let d = Diagnostic::error("missing-key", "the theme has no `title`")
            .in_file(file)
            .at(text, 0..3)
            .help("add a line such as title = \"Professional curiosity\" between the +++ lines");
        return (None, vec![d]);
    };
    let body = markdown::parse(&Input { file, text, body: parts.body, unsafe_html: config.allow_unsafe_html, checks: true });
    let mut description = body.bodies.intro.html;
    for (section, part) in body.sections.iter().zip(&body.bodies.sections) {
        // A theme's description has no numbered sections: keep any ## headings as plain text.
        description.push_str(&format!("<h2>{}</h2>\n{}", escape_html(&section.title), part.html));
    }
    let base = parts.front_matter.start;
    let mut cursor = LineCursor::new(text);
    let title = located(&mut cursor, base, title);
    let aliases = raw.aliases.into_iter().map(|a| located(&mut cursor, base, a)).filter(|a| !a.name.is_empty()).collect();
    let related = raw.related.into_iter().map(|r| located(&mut cursor, base, r)).filter(|r| !r.name.is_empty()).collect();
    let theme = Theme {
        slug: source.slug.clone(),
        title: title.name,
        title_span: Some(title.span),
        aliases,
        related,
        description,
        links: body.links,
        external_links: body.external_links,
        source: Some(source.path.clone()),
    };
    (Some(theme), warnings.into_iter().chain(body.diagnostics).collect())
}

/// A name from the front matter (which starts at byte `base`), trimmed, with its place.
fn located(cursor: &mut LineCursor<'_>, base: usize, value: Spanned<String>) -> ThemeName {
    let span = value.span();
    let span = cursor.span(base + span.start..base + span.end);
    ThemeName { name: value.into_inner().trim().to_string(), span }
}
