//! A briefing source (front matter + Markdown body) into a `Briefing`.


use serde::Deserialize;
use toml::{Spanned, Value};

use super::front_matter::{self, Parts};
use super::markdown::{self, Input};
use crate::config::Config;
use crate::core::codes::allow_list;
use crate::core::dates;
use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic, LineCursor, Span};
use crate::core::text::{suggest_slug, MAX_NAME_SLUG};
use crate::core::toml_doc::TomlDoc;
use crate::load::SourceFile;
use super::search::search_parts;
use super::ParsedBriefing;
use crate::model::{Bodies, Briefing, Format, FrontMatterSpans, Section, ThemeName};

pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "format",
    "partnership",
    "published",
    "updated",
    "review_due",
    "audience",
    "summary",
    "themes",
    "draft",
    "print",
    "action_plan",
    "allow",
];

#[derive(Deserialize)]
struct RawMeta {
    title: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    partnership: Option<String>,
    published: Option<Spanned<Value>>,
    updated: Option<Spanned<Value>>,
    review_due: Option<Spanned<Value>>,
    audience: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    themes: Vec<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    print: Vec<Spanned<String>>,
    action_plan: Option<bool>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

/// Parses one briefing. Returns it when it has no errors, and every problem found either way.
pub fn parse(source: &SourceFile, config: &Config) -> (Option<ParsedBriefing>, Vec<Diagnostic>) {
    let file = source.path.as_path();
    let text = &*source.text;
    let parts = match front_matter::split(file, text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    let doc = TomlDoc { file, text, range: parts.front_matter.clone(), what: "front matter" };
    // A key that names one of the site's facets is a key of the front matter too.
    let known: Vec<&str> = KNOWN_KEYS.iter().copied().chain(config.facets.iter().map(|f| f.key.as_str())).collect();
    let (raw, warnings): (RawMeta, _) = match doc.parse(&known) {
        Ok(parsed) => (parsed.value, parsed.warnings),
        Err(diags) => return (None, diags),
    };
    let (allow, mut diags) = allow_list(&raw.allow, file, text, parts.front_matter.start);
    diags.extend(warnings);
    let body = markdown::parse(&Input { file, text, body: parts.body.clone(), unsafe_html: config.allow_unsafe_html, checks: true });
    diags.extend(body.diagnostics);
    let mut meta = Meta { source, parts: &parts, diags: &mut diags };
    let facets = super::facets::values(&mut meta, config);
    let briefing = meta.briefing(raw, config, body.sections, body.words).map(|b| Briefing { facets, ..b });
    // The checks this briefing switches off, for what it reports itself (later stages
    // filter by the `allow` the briefing carries).
    diags.retain(|d| d.is_error() || !allow.iter().any(|code| code == d.code));
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let (bodies, prose) = (body.bodies, body.prose);
    let parsed = briefing.map(|b| {
        let search = search_parts(&prose.intro, b.sections.iter().zip(&prose.sections).map(|(s, p)| (s.title.as_str(), p.as_str())));
        let briefing = Briefing { allow, links: body.links, attachments: body.attachments, external_links: body.external_links, search: search.into(), ..b };
        ParsedBriefing { briefing, bodies: bodies.into(), prose }
    });
    (parsed, diags)
}

/// The rendered text of a briefing source, parsed again only to render it (no front matter
/// values, no checks): `None` when it has no front matter.
pub fn bodies(source: &SourceFile, config: &Config) -> Option<Bodies> {
    let file = source.path.as_path();
    let parts = front_matter::split(file, &source.text).ok()?;
    let input = Input { file, text: &source.text, body: parts.body, unsafe_html: config.allow_unsafe_html, checks: false };
    Some(markdown::parse(&input).bodies)
}

/// What a briefing's front matter says of its themes, with what puts the briefing in its place
/// in the site: the site needs every briefing's theme names before it can look for mentions
/// of them in any one briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub draft: bool,
    pub title: String,
    pub published: Option<time::Date>,
    /// The names, trimmed, empty ones left out.
    pub themes: Vec<String>,
}

impl Named {
    /// Read from the front matter alone; `None` when it cannot be read (the full parse reports
    /// why).
    pub fn read(text: &str) -> Option<Named> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            title: String,
            published: Option<Spanned<Value>>,
            #[serde(default)]
            themes: Vec<String>,
        }
        let parts = front_matter::split(std::path::Path::new(""), text).ok()?;
        let raw: Raw = toml::from_str(&text[parts.front_matter.clone()]).ok()?;
        let published = raw.published.and_then(|p| dates::from_toml(std::path::Path::new(""), text, parts.front_matter.start, "published", &p).ok());
        let themes = raw.themes.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        Some(Named { draft: raw.draft, title: raw.title.trim().to_string(), published, themes })
    }

    /// What a parsed briefing says.
    pub fn of(b: &Briefing) -> Named {
        Named { draft: b.draft, title: b.title.clone(), published: Some(b.published), themes: b.theme_names.iter().map(|t| t.name.clone()).collect() }
    }
}

/// Validation of the front matter's values, with errors pointing at them.
pub(super) struct Meta<'a> {
    pub(super) source: &'a SourceFile,
    pub(super) parts: &'a Parts,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Meta<'_> {
    pub(super) fn error_at(&mut self, code: &'static str, message: String, span: std::ops::Range<usize>, help: String) {
        let base = self.parts.front_matter.start;
        self.diags.push(
            Diagnostic::error(code, message)
                .in_file(&self.source.path)
                .at(&self.source.text, base + span.start..base + span.end)
                .help(help),
        );
    }

    /// An error about a missing key, pointing at the opening `+++`.
    fn missing(&mut self, key: &str, example: &str) {
        self.diags.push(
            Diagnostic::error("missing-key", format!("the front matter has no `{key}`"))
                .in_file(&self.source.path)
                .at(&self.source.text, 0..3)
                .help(format!("add a line such as {key} = {example} between the +++ lines")),
        );
    }

    fn date(&mut self, key: &str, value: Option<Spanned<Value>>) -> Option<time::Date> {
        let value = value?;
        let file = &self.source.path;
        match dates::from_toml(file, &self.source.text, self.parts.front_matter.start, key, &value) {
            Ok(date) => Some(date),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn format(&mut self, value: Option<Spanned<String>>) -> Option<Format> {
        let Some(value) = value else { return Some(Format::SevenMinute) };
        if let Some(format) = Format::from_slug(value.get_ref()) {
            return Some(format);
        }
        let names = Format::ALL.map(Format::slug);
        let help = match did_you_mean(value.get_ref(), names) {
            Some(near) => format!("did you mean format = \"{near}\"?"),
            None => format!("use one of: {}", names.map(|n| format!("\"{n}\"")).join(", ")),
        };
        self.error_at("unknown-format", format!("unknown format `{}`", value.get_ref()), value.span(), help);
        None
    }

    fn briefing(mut self, raw: RawMeta, config: &Config, sections: Vec<Section>, words: usize) -> Option<Briefing> {
        let spans = self.spans(&raw);
        let title = match raw.title {
            Some(t) if !t.get_ref().trim().is_empty() => Some(t.get_ref().trim().to_string()),
            Some(t) => {
                self.error_at("missing-key", "the title is empty".into(), t.span(), "write the briefing's title between the quotes".into());
                None
            }
            None => {
                self.missing("title", "\"Learning from the review of Child A\"");
                None
            }
        };
        let format = self.format(raw.format);
        if raw.published.is_none() {
            self.missing("published", "2024-05-01");
        }
        let published = self.date("published", raw.published);
        let updated = self.date("updated", raw.updated);
        let review_due = self.date("review_due", raw.review_due);
        let print = self.print_anchors(raw.print, &sections);
        let mut cursor = LineCursor::new(&self.source.text);
        let base = self.parts.front_matter.start;

        // A theme named only here gets a page in a folder of its name: a name with no letters
        // would share the page of every other such name ("!!!" and "???"), and a long one
        // would pass a file name's limit.
        for t in &raw.themes {
            let name = t.get_ref().trim();
            let why = if !name.is_empty() && !name.chars().any(char::is_alphanumeric) {
                "has no letters or digits to name its page".to_string()
            } else if suggest_slug(name).len() > MAX_NAME_SLUG {
                format!("is too long ({} characters) to name its page", name.chars().count())
            } else {
                continue;
            };
            let help = format!("name a theme in a few words, such as \"professional curiosity\": at most {MAX_NAME_SLUG} characters");
            self.error_at("bad-theme-name", format!("this theme's name {why}"), t.span(), help);
        }
        let theme_names = raw
            .themes
            .iter()
            .map(|t| ThemeName { name: t.get_ref().trim().to_string(), span: cursor.span(base + t.span().start..base + t.span().end) })
            .filter(|t| !t.name.is_empty())
            .collect();
        Some(Briefing {
            slug: self.source.slug.clone(),
            source: self.source.path.clone(),
            bundle: self.source.bundle.clone(),
            title: title?,
            format: format?,
            partnership: raw.partnership.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| config.partnership.clone()),
            published: published?,
            updated,
            review_due,
            audience: raw.audience.map(Spanned::into_inner).filter(|a| !a.trim().is_empty()),
            summary: raw.summary.map(Spanned::into_inner).filter(|s| !s.trim().is_empty()),
            theme_names,
            facets: Vec::new(),
            themes: Vec::new(),
            draft: raw.draft,
            print,
            action_plan: raw.action_plan.unwrap_or(format == Some(Format::SevenMinute)),
            sections,
            links: Vec::new(),
            attachments: Vec::new(),
            external_links: Vec::new(),
            words,
            search: Default::default(),
            allow: Vec::new(),
            spans,
            fingerprint: 0,
            made_from: 0,
        })
    }

    /// Where the values that checks point at are.
    fn spans(&self, raw: &RawMeta) -> FrontMatterSpans {
        let text = &self.source.text;
        let base = self.parts.front_matter.start;
        let mut cursor = LineCursor::new(text);
        let mut span_of = |span: std::ops::Range<usize>| cursor.span(base + span.start..base + span.end);
        FrontMatterSpans {
            start: Some(Span::line(text, 1)),
            title: raw.title.as_ref().map(|v| span_of(v.span())),
            format: raw.format.as_ref().map(|v| span_of(v.span())),
            published: raw.published.as_ref().map(|v| span_of(v.span())),
            updated: raw.updated.as_ref().map(|v| span_of(v.span())),
            review_due: raw.review_due.as_ref().map(|v| span_of(v.span())),
            summary: raw.summary.as_ref().map(|v| span_of(v.span())),
            audience: raw.audience.as_ref().map(|v| span_of(v.span())),
        }
    }

    /// The `print` list must name sections of this briefing, by anchor.
    fn print_anchors(&mut self, print: Vec<Spanned<String>>, sections: &[Section]) -> Vec<String> {
        let anchors: Vec<&str> = sections.iter().map(|s| s.anchor.as_str()).collect();
        let known: std::collections::HashSet<&str> = anchors.iter().copied().collect();
        let mut out = Vec::new();
        let mut unknown = 0;
        for entry in print {
            let wanted = entry.get_ref().trim().trim_start_matches('#');
            if known.contains(wanted) {
                out.push(wanted.to_string());
                continue;
            }
            // Searched only where a report shows the error in full (see `shown_in_full`).
            let near = if shown_in_full(unknown) { did_you_mean(wanted, anchors.iter().copied()) } else { None };
            unknown += 1;
            let help = match near {
                Some(near) => format!("did you mean \"{near}\"?"),
                None if anchors.is_empty() => "this briefing has no ## sections to choose from".to_string(),
                None if anchors.len() > 10 => format!("the sections of this briefing are: {} and {} more", anchors[..10].join(", "), anchors.len() - 10),
                None => format!("the sections of this briefing are: {}", anchors.join(", ")),
            };
            self.error_at("unknown-print-section", format!("`print` names a section `{wanted}` that this briefing does not have"), entry.span(), help);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(text: &str) -> SourceFile {
        SourceFile { kind: crate::load::Kind::Briefing, slug: "b".into(), path: PathBuf::from("briefings/b.md"), bundle: None, text: text.into() }
    }

    fn parse_text(text: &str) -> (Option<Briefing>, Vec<Diagnostic>) {
        let (parsed, diags) = parse(&source(text), &Config::default());
        (parsed.map(|p| p.briefing), diags)
    }

    #[test]
    fn theme_names_are_read_from_the_front_matter_alone_as_the_full_parse_reads_them() {
        let text = "+++\ntitle = \" A \"\npublished = 2024-05-01\ndraft = true\nthemes = [\" Neglect \", \"\", \"think family\"]\nunknown = 1\n+++\n## A\n";
        let named = Named::read(text).unwrap();
        assert_eq!((named.draft, named.title.as_str(), named.themes.clone()), (true, "A", vec!["Neglect".to_string(), "think family".to_string()]));
        assert_eq!(named.published.map(|d| d.year()), Some(2024));
        let good = text.replace("unknown = 1\n", "");
        assert_eq!(Some(Named::of(&parse_text(&good).0.unwrap())), Named::read(&good));
        assert_eq!(Named::read("+++\nthemes = \"neglect\"\n+++\n"), None);
        assert_eq!(Named::read("no front matter"), None);
    }

    /// An undefined theme's page is named after it: a name of 300 characters made a folder
    /// name no file system takes, and the build failed at writing, naming nothing.
    #[test]
    fn a_theme_name_too_long_or_with_no_letters_for_its_page_is_an_error_at_it() {
        let long = "theme ".repeat(20);
        let text = format!("+++\ntitle = \"A\"\npublished = 2024-05-01\nthemes = [\"neglect\", \"{long}\"]\n+++\n## A\n");
        let diags = parse_text(&text).1;
        assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["bad-theme-name"], "{diags:?}");
        assert_eq!((diags[0].span.as_ref().unwrap().line, diags[0].span.as_ref().unwrap().column), (4, 22));
        let fine = format!("+++\ntitle = \"A\"\npublished = 2024-05-01\nthemes = [\"{}\"]\n+++\n## A\n", "theme ".repeat(16));
        assert!(parse_text(&fine).1.is_empty(), "95 characters are a long name, not too long");
        // "!!!", "???" and ".." all made the page themes/briefing/, the first taking the others.
        let marks = "+++\ntitle = \"A\"\npublished = 2024-05-01\nthemes = [\"!!!\", \"neglect\", \"..\", \"\"]\n+++\n## A\n";
        let diags = parse_text(marks).1;
        assert_eq!(diags.iter().map(|d| (d.code, d.span.as_ref().unwrap().column)).collect::<Vec<_>>(), [("bad-theme-name", 11), ("bad-theme-name", 29)], "{diags:?}");
        assert!(diags[0].message.contains("no letters or digits"), "{diags:?}");
    }

    #[test]
    fn a_complete_briefing() {
        let (b, diags) = parse_text("+++\ntitle = \"Child A\"\nformat = \"practitioner\"\npublished = 2024-05-01\nthemes = [\"Neglect\", \"think family\"]\nprint = [\"background\"]\n+++\nIntro.\n\n## Background\n\nText here.\n");
        assert!(diags.is_empty(), "{diags:?}");
        let b = b.unwrap();
        assert_eq!(b.title, "Child A");
        assert_eq!(b.format, Format::Practitioner);
        assert_eq!(b.partnership, Config::default().partnership);
        assert_eq!(b.theme_names[1].name, "think family");
        assert_eq!(b.theme_names[1].span.line, 5);
        assert_eq!(b.sections[0].line, 10);
        assert_eq!(b.print, ["background"]);
    }

    #[test]
    fn all_front_matter_errors_are_reported_together() {
        let (b, diags) = parse_text("+++\nformat = \"7-minutes\"\nupdated = \"2024-13-01\"\nprint = [\"nowhere\"]\n+++\n## Background\n");
        assert!(b.is_none());
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"unknown-format"), "{codes:?}");
        assert_eq!(diags.iter().filter(|d| d.code == "missing-key").count(), 2, "{codes:?}");
        assert!(codes.contains(&"unknown-print-section"), "{codes:?}");
        assert!(codes.contains(&"bad-date"), "{codes:?}");
        let format = diags.iter().find(|d| d.code == "unknown-format").unwrap();
        assert_eq!(format.help.as_deref(), Some("did you mean format = \"7-minute\"?"));
        assert_eq!(format.span.as_ref().unwrap().line, 2);
    }

    #[test]
    fn every_front_matter_key_is_a_name_no_facet_may_take() {
        for key in KNOWN_KEYS {
            assert!(crate::config::RESERVED_FACET_NAMES.contains(key), "{key}");
        }
    }

    #[test]
    fn facet_values_are_read_and_checked() {
        let config = crate::config::parse("[facets.age]\ntitle = \"Who it is about\"\nvalues = [\"Children\", \"Adults\"]\n").unwrap();
        let text = |age: &str| format!("+++\ntitle = \"A\"\npublished = 2024-05-01\nage = {age}\n+++\n## A\n");
        let (parsed, diags) = parse(&source(&text("\"adults\"")), &config);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(parsed.unwrap().briefing.facets, [crate::model::FacetValue { facet: 0, value: 1 }]);
        let (parsed, diags) = parse(&source(&text("\"Adutls\"")), &config);
        assert!(parsed.is_none());
        assert_eq!((diags[0].code, diags[0].span.as_ref().unwrap().line), ("unknown-facet-value", 4));
        assert!(diags[0].help.as_deref().unwrap().starts_with("did you mean age = \"Adults\"?"), "{:?}", diags[0].help);
        let (_, diags) = parse(&source(&text("\"Adults\"")), &Config::default());
        assert_eq!(diags[0].code, "unknown-key", "without the facet, the key is unknown");
    }

    #[test]
    fn quoted_dates_are_accepted() {
        let (b, diags) = parse_text("+++\ntitle = \"A\"\npublished = \"2024-05-01\"\n+++\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(b.unwrap().published.year(), 2024);
    }
}
