//! `site.toml`: the site's settings. Every key is optional; a missing file means defaults.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::core::diagnostics::Diagnostic;
use crate::core::toml_doc::TomlDoc;

mod facets;

pub use crate::core::paths::CONFIG_FILE as FILE_NAME;

pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "partnership",
    "base_url",
    "language",
    "paper",
    "logo",
    "logo_alt",
    "print_font",
    "action_plan_questions",
    "action_plan_return",
    "accent",
    "reading_wpm",
    "contact",
    "accessibility_reviewed",
    "allow_unsafe_html",
    "show_review_status",
    "review_overdue_text",
    "facets",
    "check",
];

/// Names a facet cannot take: the front matter's own keys, the folders a build writes (a
/// facet's pages go in a folder of its name) and the names of the home page's other filters
/// (`?theme=neglect`). A test in `parse::briefing` keeps the front matter's keys here.
pub const RESERVED_FACET_NAMES: &[&str] = &[
    "title", "format", "partnership", "published", "updated", "review_due", "audience", "summary", "themes", "draft",
    "print", "action_plan", "allow", "briefings", "formats", "years", "packs", "assets", "accessibility", "theme", "year",
];

/// What a briefing past its `review_due` shows, unless site.toml says otherwise.
pub const DEFAULT_REVIEW_OVERDUE_TEXT: &str = "Review overdue since {date}";

/// Keys of the `[check]` table.
const CHECK_KEYS: &[&str] = &["allow"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    A4,
    Letter,
}

/// The settings; `Hash` covers every field, since parsing and every page depend on them.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    pub title: String,
    pub partnership: String,
    /// With a trailing slash. Absent: no sitemap or feed, since they need absolute addresses.
    pub base_url: Option<String>,
    pub language: String,
    pub paper: Paper,
    /// A path relative to the site root (SVG or PNG), copied into `assets/`: on every page's
    /// header and every handout.
    pub logo: Option<String>,
    /// What the logo says, for screen readers; the partnership's name by default.
    pub logo_alt: Option<String>,
    /// A font file (TrueType or OpenType) relative to the site root, for handouts instead of
    /// the built-in Noto Sans.
    pub print_font: Option<String>,
    /// The partnership's standard reflective questions, for the action plan of a briefing
    /// that has no section of questions.
    pub action_plan_questions: Vec<String>,
    /// Where teams return a filled-in action plan (an address, or an email).
    pub action_plan_return: Option<String>,
    /// A `#rrggbb` colour for the header band.
    pub accent: String,
    pub reading_wpm: u32,
    /// An email address for readers, shown in the accessibility statement.
    pub contact: Option<String>,
    /// When the accessibility statement was last reviewed.
    pub accessibility_reviewed: Option<time::Date>,
    /// Keep raw HTML (scripts, embeds) as written instead of sanitising it.
    pub allow_unsafe_html: bool,
    /// Codes of the checks switched off for the whole site (`[check] allow`).
    pub allow: Vec<String>,
    /// Whether a briefing past its `review_due` says so on its page, card and handout.
    pub show_review_status: bool,
    /// What it says: `{date}` is replaced by the `review_due` date ("1 June 2025").
    pub review_overdue_text: String,
    /// The site's facets (`[facets.age]`), in the order site.toml declares them.
    pub facets: Vec<Facet>,
}

/// A way of sorting briefings that a site declares: `[facets.age]` with a `title` and the
/// `values` a briefing may give it (`age = "Adults"`). Each value gets a listing page.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Facet {
    /// The front matter key and the folder of its pages: `age`.
    pub key: String,
    /// What readers see: "Who it is about".
    pub title: String,
    /// The values as written in site.toml, in its order.
    pub values: Vec<String>,
}

impl Facet {
    /// The folder of a value's listing page under the facet's folder: `adults`.
    pub fn value_slug(value: &str) -> String {
        crate::core::text::suggest_slug(value)
    }

    /// The index of the value `wanted` names, ignoring case and punctuation.
    pub fn find(&self, wanted: &str) -> Option<usize> {
        let wanted = crate::core::text::normalise(wanted);
        self.values.iter().position(|v| crate::core::text::normalise(v) == wanted)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Safeguarding briefings".into(),
            partnership: "Safeguarding Partnership".into(),
            base_url: None,
            language: "en-GB".into(),
            paper: Paper::A4,
            logo: None,
            logo_alt: None,
            print_font: None,
            action_plan_questions: DEFAULT_QUESTIONS.iter().map(|q| q.to_string()).collect(),
            action_plan_return: None,
            accent: "#1d4f91".into(),
            reading_wpm: 200,
            contact: None,
            accessibility_reviewed: None,
            allow_unsafe_html: false,
            allow: Vec::new(),
            show_review_status: true,
            review_overdue_text: DEFAULT_REVIEW_OVERDUE_TEXT.into(),
            facets: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct RawConfig {
    title: Option<String>,
    partnership: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    paper: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    logo_alt: Option<String>,
    print_font: Option<Spanned<String>>,
    action_plan_questions: Option<Vec<String>>,
    action_plan_return: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    reading_wpm: Option<Spanned<i64>>,
    contact: Option<Spanned<String>>,
    accessibility_reviewed: Option<Spanned<toml::Value>>,
    allow_unsafe_html: Option<bool>,
    show_review_status: Option<bool>,
    review_overdue_text: Option<Spanned<String>>,
    facets: Option<std::collections::BTreeMap<String, Spanned<facets::RawFacet>>>,
    check: Option<RawCheck>,
}

#[derive(Deserialize)]
struct RawCheck {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

/// Reads `root/site.toml`, or the defaults when there is none.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    load_reporting(root).map(|(config, _)| config)
}

/// `load`, with the warnings about the file (characters taken out of its values).
pub fn load_reporting(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok((Config::default(), Vec::new()));
    }
    let unreadable = |why: String| {
        vec![Diagnostic::error("unreadable-file", format!("cannot read {FILE_NAME}: {why}"))
            .in_file(FILE_NAME)
            .help("save site.toml as UTF-8 text (in Notepad: Save As, then Encoding: UTF-8)")]
    };
    // Like every file of the site, never read through a symbolic link.
    let bytes = crate::core::files::read_no_follow(&path, crate::core::files::MAX_SOURCE_BYTES).map_err(|e| match crate::core::files::is_symlink_refusal(&e) {
        true => vec![crate::core::files::symlink_refused(Path::new(FILE_NAME))],
        false => unreadable(e.to_string()),
    })?;
    let text = match crate::core::text::utf16_with_bom(&bytes) {
        Some(text) => text,
        None => String::from_utf8(bytes).map_err(|e| unreadable(format!("it is not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())))?,
    };
    parse_reporting(&text)
}

/// Parses and validates the text of a `site.toml` (the tests' way in).
#[cfg(test)]
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    parse_reporting(text).map(|(config, _)| config)
}

/// `parse`, with the warnings about the file (characters taken out of its values).
pub fn parse_reporting(text: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let doc = TomlDoc { file: Path::new(FILE_NAME), text, range: 0..text.len(), what: FILE_NAME };
    let parsed = doc.parse_with_tables(KNOWN_KEYS, &[("check", CHECK_KEYS), ("facets.*", facets::KEYS)])?;
    let (raw, warnings): (RawConfig, _) = (parsed.value, parsed.warnings);
    let mut errors = Vec::new();
    let mut bad = |span: std::ops::Range<usize>, message: String, help: &str| {
        errors.push(
            Diagnostic::error("invalid-value", message)
                .in_file(FILE_NAME)
                .at(text, span)
                .help(help.to_string()),
        )
    };
    let mut config = Config::default();
    if let Some(title) = raw.title {
        config.title = title;
    }
    if let Some(partnership) = raw.partnership {
        match partnership.get_ref().chars().count() {
            n if n > MAX_PARTNERSHIP => bad(
                partnership.span(),
                format!("partnership is {n} characters long"),
                &format!("it heads every page, handout and action plan: keep it within {MAX_PARTNERSHIP} characters, the partnership's name"),
            ),
            _ => config.partnership = partnership.into_inner(),
        }
    }
    if let Some(url) = raw.base_url {
        let value = url.get_ref().trim();
        match base_url(value) {
            Ok(address) => config.base_url = Some(address),
            Err(why) => bad(url.span(), format!("base_url `{value}` is not a web address: {why}"), "write the full address, like base_url = \"https://example.org/briefings/\""),
        }
    }
    if let Some(language) = raw.language {
        let value = language.get_ref();
        if is_language_tag(value) {
            config.language = value.clone();
        } else {
            bad(language.span(), format!("language `{value}` is not a language tag"), "use a tag like \"en-GB\" or \"cy\"");
        }
    }
    if let Some(paper) = raw.paper {
        match paper.get_ref().to_ascii_lowercase().as_str() {
            "a4" => config.paper = Paper::A4,
            "letter" => config.paper = Paper::Letter,
            other => bad(paper.span(), format!("paper `{other}` is not a paper size briefing knows"), "use paper = \"A4\" or paper = \"Letter\""),
        }
    }
    if let Some(logo) = raw.logo {
        let lower = logo.get_ref().to_ascii_lowercase();
        match inside_site(logo.get_ref()) {
            true if !(lower.ends_with(".svg") || lower.ends_with(".png")) => {
                bad(logo.span(), format!("logo `{}` is not an SVG or PNG file", logo.get_ref()), "use an .svg or .png logo; save other pictures as PNG first")
            }
            true => config.logo = Some(logo.into_inner()),
            false => bad(logo.span(), format!("logo `{}` is outside the site folder", logo.get_ref()), "put the logo in the site folder and give its path from there, like logo = \"images/logo.svg\""),
        }
    }
    config.logo_alt = raw.logo_alt.map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
    if let Some(font) = raw.print_font {
        match inside_site(font.get_ref()) {
            true => config.print_font = Some(font.into_inner()),
            false => bad(font.span(), format!("print_font `{}` is outside the site folder", font.get_ref()), "put the font file in the site folder and give its path from there, like print_font = \"fonts/Arial.ttf\""),
        }
    }
    if let Some(questions) = raw.action_plan_questions {
        config.action_plan_questions = questions.into_iter().map(|q| q.trim().to_string()).filter(|q| !q.is_empty()).collect();
    }
    if let Some(place) = raw.action_plan_return {
        match place.get_ref().trim() {
            p if p.chars().count() > MAX_RETURN_TEXT => bad(
                place.span(),
                format!("action_plan_return is {} characters long", p.chars().count()),
                &format!("it is printed at the foot of every action plan, in a few lines: keep it within {MAX_RETURN_TEXT} characters, like action_plan_return = \"learning@example.org, within four weeks of the session\""),
            ),
            "" => {}
            p => config.action_plan_return = Some(p.to_string()),
        }
    }
    if let Some(accent) = raw.accent {
        match normalise_colour(accent.get_ref()) {
            Some(colour) if contrast_with_white(&colour) >= MIN_CONTRAST => config.accent = colour,
            Some(colour) => bad(
                accent.span(),
                format!("white text on the accent {colour} has a contrast of {:.1}:1; WCAG AA needs {MIN_CONTRAST}:1", contrast_with_white(&colour)),
                &format!("use a darker colour: {} is your colour darkened just enough", darken_until_legible(&colour)),
            ),
            None => bad(accent.span(), format!("accent `{}` is not a colour", accent.get_ref()), "write a hex colour like accent = \"#1d4f91\""),
        }
    }
    if let Some(wpm) = raw.reading_wpm {
        match u32::try_from(*wpm.get_ref()) {
            Ok(n @ 50..=1000) => config.reading_wpm = n,
            _ => bad(wpm.span(), format!("reading_wpm {} is not a reading speed", wpm.get_ref()), "use a number of words a minute between 50 and 1000; 200 is usual"),
        }
    }
    if let Some(contact) = raw.contact {
        let value = contact.get_ref().trim();
        if value.contains('@') && !value.contains(char::is_whitespace) {
            config.contact = Some(value.to_string());
        } else {
            bad(contact.span(), format!("contact `{value}` is not an email address"), "write the address readers can email, like contact = \"comms@example.org\"");
        }
    }
    if let Some(reviewed) = raw.accessibility_reviewed {
        match crate::core::dates::from_toml(Path::new(FILE_NAME), text, 0, "accessibility_reviewed", &reviewed) {
            Ok(date) => config.accessibility_reviewed = Some(date),
            Err(d) => errors.push(d),
        }
    }
    config.allow_unsafe_html = raw.allow_unsafe_html.unwrap_or(false);
    config.show_review_status = raw.show_review_status.unwrap_or(true);
    if let Some(wording) = raw.review_overdue_text {
        match wording.get_ref().trim() {
            w if w.chars().count() > MAX_REVIEW_TEXT => errors.push(
                Diagnostic::error("invalid-value", format!("review_overdue_text is {} characters long", w.chars().count()))
                    .in_file(FILE_NAME)
                    .at(text, wording.span())
                    .help(format!("it is one short line on every overdue briefing's page and handout: keep it within {MAX_REVIEW_TEXT} characters, like \"Review overdue since {{date}}\"")),
            ),
            w if w.contains("{date}") => config.review_overdue_text = w.to_string(),
            w => errors.push(
                Diagnostic::error("invalid-value", format!("review_overdue_text `{w}` does not say where the date goes"))
                    .in_file(FILE_NAME)
                    .at(text, wording.span())
                    .help("put {date} where the review date belongs, like review_overdue_text = \"Review overdue since {date}\""),
            ),
        }
    }
    if let Some(facets) = raw.facets {
        let (read, facet_errors) = facets::read(text, facets);
        config.facets = read;
        errors.extend(facet_errors);
    }
    if let Some(check) = raw.check {
        let (allow, unknown) = crate::core::codes::allow_list(&check.allow, Path::new(FILE_NAME), text, 0);
        config.allow = allow;
        errors.extend(unknown);
    }
    if errors.is_empty() {
        Ok((config, warnings))
    } else {
        Err(errors)
    }
}

/// The reflective questions of an action plan when a briefing has none of its own and
/// site.toml does not name the partnership's.
pub const DEFAULT_QUESTIONS: [&str; 3] = [
    "What did this briefing make you think about in your own practice?",
    "What will you do differently, and what would help you to do it?",
    "Who else needs to know about this learning, and how will you tell them?",
];

/// The accent is the background of white text (the header band, section numbers).
const MIN_CONTRAST: f64 = 4.5;

fn rgb(colour: &str) -> [f64; 3] {
    let channel = |i: usize| u8::from_str_radix(&colour[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0) as f64 / 255.0;
    [channel(0), channel(1), channel(2)]
}

/// The WCAG contrast ratio of white against `#rrggbb`.
fn contrast_with_white(colour: &str) -> f64 {
    let linear = |c: f64| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    let [r, g, b] = rgb(colour).map(linear);
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    1.05 / (luminance + 0.05)
}

/// `colour` scaled towards black until white text on it passes AA.
fn darken_until_legible(colour: &str) -> String {
    let [r, g, b] = rgb(colour);
    (0..=100)
        .map(|step| 1.0 - step as f64 / 100.0)
        .map(|k| format!("#{:02x}{:02x}{:02x}", (r * k * 255.0).round() as u8, (g * k * 255.0).round() as u8, (b * k * 255.0).round() as u8))
        .find(|c| contrast_with_white(c) >= MIN_CONTRAST)
        .unwrap_or_else(|| "#000000".into())
}

/// A relative path that stays inside the folder it is relative to (no `..`, not absolute).
fn inside_site(path: &str) -> bool {
    let path = Path::new(path);
    path.components().all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir))
}

/// A BCP 47 tag as pages and PDFs need one: a language of two or three letters (`en`, `cy`),
/// then subtags of one to eight letters or digits (`GB`, `Hans`). Screen readers choose a
/// voice by it, so `english` or `x` is refused rather than published.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|part| (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `#abc` or `#aabbcc` (any case) as lowercase `#aabbcc`.
fn normalise_colour(value: &str) -> Option<String> {
    let hex = value.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!("#{}", hex.chars().flat_map(|c| [c, c]).collect::<String>().to_ascii_lowercase())),
        _ => None,
    }
}

/// The longest `review_overdue_text` (a handout prints no more of it).
const MAX_REVIEW_TEXT: usize = 120;
/// The longest partnership name: what a sheet prints of it (handout::limits says the same).
const MAX_PARTNERSHIP: usize = 200;
/// The most `action_plan_return` may say: what the foot of an action plan holds in full.
const MAX_RETURN_TEXT: usize = 400;

/// `base_url` as the pages, the feed and the handouts give it (ending in `/`), or why it
/// cannot be one: it is printed as a QR code on every handout, where a typo cannot be mended.
fn base_url(value: &str) -> Result<String, String> {
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || "\"'<>`{}|\\^".contains(*c)) {
        let what = if c.is_whitespace() { "a space".to_string() } else { format!("`{c}`") };
        return Err(format!("it holds {what}, which a web address cannot"));
    }
    let url = url::Url::parse(value).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => "it does not start with https://".to_string(),
        url::ParseError::EmptyHost => "it names no site after https://".to_string(),
        e => format!("it cannot be read as one ({e})"),
    })?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err("it does not start with https://".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it names no site after https://".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it holds a ? or a #, which would land in the middle of every page's address".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it holds a user name or password".into());
    }
    Ok(format!("{}/", url.as_str().trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_missing_keys() {
        let config = parse("title = \"T\"\n").unwrap();
        assert_eq!(config.title, "T");
        assert_eq!(config.language, "en-GB");
        assert_eq!(config.reading_wpm, 200);
        assert_eq!(config.paper, Paper::A4);
    }

    #[test]
    fn normalises_values() {
        let config = parse("base_url = \"https://x.example/a\"\npaper = \"letter\"\naccent = \"#03A\"\n").unwrap();
        assert_eq!(config.base_url.as_deref(), Some("https://x.example/a/"));
        assert_eq!(config.paper, Paper::Letter);
        assert_eq!(config.accent, "#0033aa");
    }

    #[test]
    fn partnership_is_a_name_every_sheet_prints_whole() {
        assert_eq!(parse("partnership = \"Eastmere Safeguarding Partnership\"\n").unwrap().partnership, "Eastmere Safeguarding Partnership");
        let errs = parse(&format!("title = \"T\"\npartnership = \"{}\"\n", "Eastmere ".repeat(30))).unwrap_err();
        assert!(errs[0].message.contains("partnership is 270 characters long"), "{errs:?}");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
    }

    #[test]
    fn action_plan_return_fits_the_foot_of_the_sheet() {
        let fits = "learning@example.org, within four weeks of the session ".repeat(7);
        assert_eq!(parse(&format!("action_plan_return = \"{fits}\"\n")).unwrap().action_plan_return.as_deref(), Some(fits.trim()));
        let errs = parse(&format!("title = \"T\"\naction_plan_return = \"{}\"\n", fits.repeat(2))).unwrap_err();
        assert!(errs[0].message.contains("action_plan_return is 769 characters long"), "{errs:?}");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
        assert_eq!(parse("action_plan_return = \"  \"\n").unwrap().action_plan_return, None);
    }

    /// Five thousand `{date}`s made an 80 KB line on every overdue briefing's page.
    #[test]
    fn review_overdue_text_is_one_short_line() {
        assert!(parse(&format!("review_overdue_text = \"{}\"\n", "x".repeat(110) + " {date}")).is_ok());
        let errs = parse(&format!("review_overdue_text = \"{}\"\n", "{date} ".repeat(5000))).unwrap_err();
        assert!(errs[0].message.contains("34999 characters"), "{errs:?}");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 1);
    }

    /// Only the start was checked: a space, a quote or a query went into the feed, the sitemap
    /// and every handout's printed QR code.
    #[test]
    fn base_url_is_a_web_address_or_an_error_saying_why() {
        for (good, kept) in [
            ("https://Briefings.Example/a", "https://briefings.example/a/"),
            ("http://localhost:8000", "http://localhost:8000/"),
            ("https://x.example/learning/briefings/", "https://x.example/learning/briefings/"),
        ] {
            assert_eq!(parse(&format!("base_url = \"{good}\"\n")).unwrap().base_url.as_deref(), Some(kept), "{good}");
        }
        for (bad, why) in [
            ("https://x.example /", "a space"),
            ("https://x.example/a\\\"b/", "`\"`"),
            ("https://x.example/<x>/", "`<`"),
            ("https://", "names no site"),
            ("https://x..example:99999/", "cannot be read as one"),
            ("https://x.example/?page=1", "a ? or a #"),
            ("https://x.example/#top", "a ? or a #"),
            ("https://me:secret@x.example/", "user name or password"),
            ("ftp://x.example/", "https://"),
            ("x.example", "https://"),
        ] {
            let errs = parse(&format!("base_url = \"{bad}\"\n")).unwrap_err();
            assert_eq!((errs.len(), errs[0].span.as_ref().unwrap().line), (1, 1), "{bad}");
            assert!(errs[0].message.contains(why), "{bad}: {}", errs[0].message);
        }
    }

    #[test]
    fn rejects_bad_values_with_their_line() {
        let errs = parse("title = \"T\"\npaper = \"A3\"\nreading_wpm = 0\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
        assert!(errs[1].message.contains("reading_wpm"));
    }

    /// `language = "english"` (or "x") was published as the pages' and PDFs' `lang`, which
    /// screen readers choose their voice by.
    #[test]
    fn language_is_a_tag_screen_readers_know() {
        for good in ["en", "en-GB", "EN-gb", "cy", "zh-Hans-CN", "ast"] {
            assert_eq!(parse(&format!("language = \"{good}\"\n")).unwrap().language, good);
        }
        for bad in ["english", "x", "en_GB", "", "e1-GB", "en--GB", "en-GBRITAIN1"] {
            let errs = parse(&format!("title = \"T\"\nlanguage = \"{bad}\"\n")).unwrap_err();
            assert!(errs[0].message.contains("is not a language tag"), "{bad}: {errs:?}");
            assert_eq!(errs[0].span.as_ref().unwrap().line, 2, "{bad}");
        }
    }

    #[test]
    fn an_accent_too_light_for_white_text_is_refused_with_a_darker_suggestion() {
        let errs = parse("accent = \"#ffcc00\"\n").unwrap_err();
        assert!(errs[0].message.contains("contrast of 1.5:1"), "{}", errs[0].message);
        let help = errs[0].help.clone().unwrap();
        let suggestion = &help[help.find('#').unwrap()..help.find('#').unwrap() + 7];
        assert!(contrast_with_white(suggestion) >= MIN_CONTRAST);
        assert!(parse(&format!("accent = \"{suggestion}\"\n")).is_ok());
        assert!((contrast_with_white("#000000") - 21.0).abs() < 0.01);
    }

    #[test]
    fn check_table_and_unsafe_html() {
        let config = parse("allow_unsafe_html = true\n[check]\nallow = [\"no-review-date\", \"long-sentence\"]\n").unwrap();
        assert!(config.allow_unsafe_html);
        assert_eq!(config.allow, ["no-review-date", "long-sentence"]);
        let errs = parse("[check]\nalow = []\n").unwrap_err();
        assert_eq!((errs[0].code, errs[0].help.as_deref()), ("unknown-key", Some("did you mean `allow`?")));
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
        let errs = parse("[check]\nallow = [\"too-lng\", \"broken-link\"]\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].code, errs[0].help.as_deref()), ("unknown-check", Some("did you mean \"too-long\"?")));
        assert!(errs[1].help.as_deref().unwrap().starts_with("errors cannot be switched off"), "{:?}", errs[1].help);
        assert_eq!(errs[1].span.as_ref().unwrap().column, 21);
    }

    #[test]
    fn logo_stays_inside_the_site() {
        assert!(parse("logo = \"images/logo.svg\"\n").is_ok());
        for bad in ["../logo.svg", "/etc/passwd", "images/../../x.svg"] {
            assert!(parse(&format!("logo = \"{bad}\"\n")).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let errs = parse("titel = \"T\"\n").unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `title`?"));
    }
}
