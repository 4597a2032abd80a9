//! The plain data a handout, an action plan and a training pack are made from, and what the
//! engine reports back. Nothing here knows about Typst or about the rest of the site: the
//! caller fills these in from a briefing and site.toml, and the engine (`super::engine`)
//! turns them into PDFs. They are serialised to JSON and read by the templates as data.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A rich-text block of a section, made from its Markdown by `content::blocks_from_markdown`.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A sub-heading inside a section (`###` and below; `level` as written).
    Heading {
        /// 3 for `###`, and so on.
        level: u8,
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered.
        ordered: bool,
        /// The first number, for a numbered list.
        start: u64,
        /// Its items.
        items: Vec<ListItem>,
    },
    /// A quotation.
    Quote {
        /// What it quotes.
        blocks: Vec<Block>,
    },
    /// A table.
    Table {
        /// The header row's cells.
        header: Vec<Vec<Inline>>,
        /// The other rows, cell by cell.
        rows: Vec<Vec<Vec<Inline>>>,
        /// Each column's longest word in the header and in the body, which the sheet checks
        /// its column is wide enough for. Worked out when the sheet's data is made.
        #[serde(default)]
        longest: Vec<(String, String)>,
    },
    /// A code block.
    Code {
        /// The code, as written.
        text: String,
    },
    /// An image: `path` as written in the Markdown, resolved through `Assets::images`.
    Image {
        /// Its path.
        path: String,
        /// Its alternative text.
        alt: String,
    },
    /// A thematic break (`***`).
    Rule,
}

/// One item of a list, with a tick box when it is a task (`- [ ]`, `- [x]`).
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct ListItem {
    /// What the item says.
    pub blocks: Vec<Block>,
    /// For a task (`- [ ]`), whether it is done.
    pub checked: Option<bool>,
}

/// Inline text. Everything is data: the templates print `text` literally. Plain text, most
/// of a section, is written as a bare JSON string (the rest as objects with a `kind`): the
/// templates read every piece of it as a Typst value, and a string costs less than a dictionary.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    /// Bold.
    Strong {
        /// What is bold.
        inlines: Vec<Inline>,
    },
    /// Italics.
    Emphasis {
        /// What is in italics.
        inlines: Vec<Inline>,
    },
    /// Struck through.
    Strike {
        /// What is struck through.
        inlines: Vec<Inline>,
    },
    /// Code in a line.
    Code {
        /// The code.
        text: String,
    },
    /// The link's text is printed; the target is kept (a live link when it is absolute).
    Link {
        /// Its text.
        inlines: Vec<Inline>,
        /// Where it goes.
        target: String,
    },
    /// A line break.
    Break,
    /// A footnote reference; the notes are not on the sheet, so it prints nothing.
    FootnoteRef {
        /// The note's label.
        label: String,
    },
    /// Plain text (last: serde wants a variant without a `kind` after those with one).
    #[serde(untagged, serialize_with = "bare_text")]
    Text {
        /// The text.
        text: String,
    },
}

/// `Inline::Text` as a bare string.
fn bare_text<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(text)
}

/// The kind of briefing, which decides the handout's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandoutFormat {
    /// Numbered boxes, one a section.
    SevenMinute,
    /// A practitioner learning briefing.
    Practitioner,
    /// A thematic review briefing.
    Thematic,
    /// Guidance.
    Guidance,
}

/// One section of a briefing (a `##` heading and what follows it).
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct HandoutSection {
    /// 1-based.
    pub number: usize,
    /// Its heading.
    pub title: String,
    /// Its anchor on the briefing's page.
    pub anchor: String,
    /// Its text.
    pub blocks: Vec<Block>,
}

/// Everything a briefing's one-pager shows, as display text.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct Handout {
    /// The briefing's slug: names it to `Assets::images` (its bundle's images).
    pub slug: String,
    /// The briefing's title.
    pub title: String,
    /// Who publishes it.
    pub partnership: String,
    /// Its format, which sets the layout.
    pub format: HandoutFormat,
    /// The format as readers know it, e.g. "7-minute briefing".
    pub format_label: String,
    /// Display dates, e.g. "1 May 2024".
    pub published: String,
    /// The date of its last change, if any.
    pub updated: Option<String>,
    /// e.g. "Review overdue since 1 June 2025".
    pub review_status: Option<String>,
    /// Who it is for.
    pub audience: Option<String>,
    /// One or two sentences on what it is about.
    pub summary: Option<String>,
    /// Display titles of all the briefing's themes (the footer prints them all).
    pub themes: Vec<String>,
    /// The full briefing's absolute address, only when the site has `base_url`: then the
    /// sheet prints it with a QR code; without it, neither.
    pub url: Option<String>,
    /// Its `##` sections.
    pub sections: Vec<HandoutSection>,
    /// Anchors of the sections chosen for the one-pager (front matter `print`); empty: the
    /// format's default.
    pub print: Vec<String>,
    /// A BCP 47 tag such as "en-GB": the PDF's language.
    pub language: String,
    /// Some of the briefing's text was left off before it reached the handout (the sections
    /// after the thirtieth, the end of a very long section): the sheet is then a summary,
    /// never the whole text.
    pub shortened: bool,
}

/// The "7-minute briefing action plan" a team fills in and returns (issue 17).
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct ActionPlan {
    /// The briefing's title.
    pub title: String,
    /// Who publishes it.
    pub partnership: String,
    /// The briefing's date, as display text.
    pub published: String,
    /// The reflective questions, each printed with room to write.
    pub questions: Vec<String>,
    /// Where to return the filled-in plan (site.toml `action_plan_return`).
    pub return_to: Option<String>,
    /// A BCP 47 tag such as "en-GB".
    pub language: String,
}

/// One sheet (or two) of a training pack: a handout and, when asked, its action plan.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct PackEntry {
    /// The briefing's one-pager.
    pub handout: Handout,
    /// Its action plan, when the pack asks for them.
    pub action_plan: Option<ActionPlan>,
}

/// A training pack: a cover with contents, then each briefing's sheets.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct Pack {
    /// The pack's title.
    pub title: String,
    /// Who publishes it.
    pub partnership: String,
    /// A paragraph for the cover.
    pub intro: Option<String>,
    /// The briefings, in order.
    pub entries: Vec<PackEntry>,
    /// How many more briefings it asked for than it holds (a pack holds a limited number):
    /// the cover says so.
    pub left_out: usize,
    /// A BCP 47 tag such as "en-GB".
    pub language: String,
}

/// The site's paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    #[default]
    /// 210 × 297 mm.
    A4,
    /// 8.5 × 11 inches.
    Letter,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// The kinds of logo file the engine takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogoKind {
    /// An SVG file.
    Svg,
    /// A PNG file.
    Png,
}

/// The site's logo: the file's bytes, its kind and its alternative text.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// SVG or PNG.
    pub kind: LogoKind,
    /// What it says, for screen readers.
    pub alt: String,
}

/// Resolves an image of the briefing with slug `slug` (first argument), its path as written in
/// a section's Markdown (second), to the image file's bytes. None: not found, and the sheet
/// notes that it is left out.
pub type ImageResolver<'a> = dyn Fn(&str, &str) -> Option<Vec<u8>> + Sync + 'a;

/// What the engine needs besides the content: the paper, the logo, the site's own font and
/// the images of the briefing's bundle.
pub struct Assets<'a> {
    /// The paper to typeset on.
    pub paper: Paper,
    /// The site's logo.
    pub logo: Option<Logo>,
    /// The bytes of site.toml's `print_font` (TrueType or OpenType): used instead of Noto Sans.
    /// Shared: every PDF of a build has the same, and a font with Chinese letters is 20 MB.
    pub font: Option<Arc<[u8]>>,
    /// The images a section shows.
    pub images: &'a ImageResolver<'a>,
}

impl Default for Assets<'_> {
    fn default() -> Self {
        Assets { paper: Paper::A4, logo: None, font: None, images: &|_, _| None }
    }
}

/// A typeset PDF and the facts the caller reports or checks.
#[derive(Debug, Clone)]
pub struct Typeset {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// The body's type size in points (the smallest, in a pack).
    pub size_pt: f64,
    /// Titles of the sections or key points not printed (listed on the sheet after "Also in
    /// the full briefing:").
    pub left_out: Vec<String>,
    /// True when the PDF claims PDF/UA-1; false when it is a plain tagged PDF because the
    /// validator refused (see `notes`).
    pub pdf_ua: bool,
    /// Things the caller may want to warn about: images left out, the UA fallback, a bad
    /// logo or font file.
    pub notes: Vec<String>,
    /// What each page's template reported, in page order.
    pub page_facts: Vec<PageFacts>,
    /// Characters no font has a letter for, which print as empty boxes, in the order they
    /// first appear: at most `MAX_UNPRINTABLE` and one more, which says there are others.
    pub unprintable: Vec<char>,
}

/// How many of the characters no font has a `Typeset` names: enough to tell the script.
pub const MAX_UNPRINTABLE: usize = 12;

/// What a template reports about the page it made (its `<handout-facts>` metadata).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PageFacts {
    /// "handout", "plan" or "cover".
    pub kind: String,
    /// The body's type size in points.
    pub size: f64,
    #[serde(rename = "left-out", default)]
    /// Titles of what a page left out.
    pub left_out: Vec<String>,
    /// How a handout's body was chosen: "boxes" (7-minute), "whole", "key" (key points),
    /// "chosen" (the `print` sections).
    #[serde(default)]
    pub mode: Option<String>,
    /// The share of the two columns' height left empty (a handout).
    #[serde(default)]
    pub empty: Option<f64>,
    /// How many type sizes the handout measured its content at (each a layout of it).
    #[serde(default)]
    pub tries: Option<u32>,
}

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoutError {
    /// Built without the `handout` feature.
    Disabled,
    /// Typst refused the document (a bug in a template, or content it cannot typeset).
    Typeset(String),
    /// The PDF export failed.
    Export(String),
}

impl std::fmt::Display for HandoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandoutError::Disabled => write!(f, "this build of briefing has no PDF handouts (the `handout` feature is off)"),
            HandoutError::Typeset(why) => write!(f, "typesetting the handout failed: {why}"),
            HandoutError::Export(why) => write!(f, "writing the handout's PDF failed: {why}"),
        }
    }
}

impl std::error::Error for HandoutError {}
