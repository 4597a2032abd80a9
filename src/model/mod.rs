//! The site as plain data: briefings, their sections, themes, and what the site stage works
//! out from them (the cross-reference). No I/O happens here, and nothing
//! here holds a later stage's caches.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::config::Config;
use crate::core::diagnostics::Span;
use crate::core::text::normalise;

/// The four publication formats. The format sets the expected shape, the checks and the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Seven numbered sections, each about a minute's reading.
    SevenMinute,
    /// Learning from a Child Safeguarding Practice Review.
    Practitioner,
    /// Several numbered learning themes.
    Thematic,
    /// A longer document with a contents list.
    Guidance,
}

impl Format {
    /// Every format, in the order listings show them.
    pub const ALL: [Format; 4] =
        [Format::SevenMinute, Format::Practitioner, Format::Thematic, Format::Guidance];

    /// The name used in front matter, URLs and CSS classes.
    pub fn slug(self) -> &'static str {
        match self {
            Format::SevenMinute => "7-minute",
            Format::Practitioner => "practitioner",
            Format::Thematic => "thematic",
            Format::Guidance => "guidance",
        }
    }

    /// The name shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Format::SevenMinute => "7-minute briefing",
            Format::Practitioner => "Practitioner learning briefing",
            Format::Thematic => "Thematic review briefing",
            Format::Guidance => "Guidance",
        }
    }

    /// The format a front matter's `format` names (any case or punctuation).
    pub fn from_slug(name: &str) -> Option<Format> {
        let wanted = normalise(name);
        Format::ALL.into_iter().find(|f| normalise(f.slug()) == wanted)
    }
}

/// The rendered text of a briefing: its introduction, sections and notes as HTML. Kept apart
/// from the `Briefing`, since it is most of a briefing's size: a build works out what it
/// needs from it (mentions, the one-pager's plan) as each briefing is parsed, and keeps it for
/// rendering only as far as `pipeline::Keep` allows (else in a temporary file, or parsed
/// again), so that the bodies of a large site are never in memory at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Bodies {
    pub intro: Body,
    /// Index-aligned with `Briefing::sections`.
    pub sections: Vec<Body>,
    pub footnotes: Vec<Footnote>,
    /// The Markdown of each section as written (after its heading), for the handout, which
    /// typesets it itself.
    pub markdown: Vec<String>,
}

impl Bodies {
    /// About how many bytes of memory it holds: its HTML and Markdown.
    pub fn bytes(&self) -> usize {
        let html = std::iter::once(&self.intro).chain(&self.sections).map(|b| b.html.len()).sum::<usize>();
        html + self.footnotes.iter().map(|f| f.html.len()).sum::<usize>() + self.markdown.iter().map(String::len).sum::<usize>()
    }
}

/// What a reader reads of a briefing as prose, part by part: no code (blocks or spans) and no
/// link addresses, so that a theme's name in a code sample or a URL is not taken for a mention
/// of it. Each block (paragraph, list item, table cell, heading) ends with a line break, and
/// there are no others: a mention never runs from one block into the next. Asides (link text,
/// reading lists) are between `ASIDE_START` and `ASIDE_END`.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    pub intro: String,
    /// Index-aligned with `Briefing::sections`.
    pub sections: Vec<String>,
}

/// Marks the start of an aside in `Prose`: the text of a link, or a subsection that lists
/// further reading ("### Useful links"). A theme named there ("the [neglect strategy](...)")
/// is the title of another document, not a mention of the theme. A private-use character,
/// which no text has.
pub const ASIDE_START: char = '\u{E000}';
/// Marks the end of an aside in `Prose` (an aside still open ends with its part).
pub const ASIDE_END: char = '\u{E001}';

/// A rendered run of Markdown: a section, the introduction.
#[derive(Debug, Clone, Default, Hash, Serialize, Deserialize)]
pub struct Body {
    pub html: String,
    /// The byte range in `html` of its first paragraph or list, running on through the list
    /// after a paragraph that introduces one ("Three questions help:"): what the one-pager
    /// prints as the section's key point. `None` when it has neither.
    pub lead: Option<Range<usize>>,
}

impl Body {
    /// `blocks`: the top-level blocks of `html`, in order.
    pub fn new(html: String, blocks: &[Block]) -> Body {
        let lead = lead(&html, blocks);
        Body { html, lead }
    }

    /// Whether the body shows nothing: its HTML is empty or all white space.
    pub fn is_blank(&self) -> bool {
        self.html.trim().is_empty()
    }
}

/// See `Body::lead`.
fn lead(html: &str, blocks: &[Block]) -> Option<Range<usize>> {
    let first = blocks.iter().position(|b| b.kind != BlockKind::Other)?;
    let mut range = blocks[first].html.clone();
    if blocks[first].kind == BlockKind::Paragraph {
        let text = html[range.clone()].trim_end();
        let introduces = text.strip_suffix("</p>").is_some_and(|t| t.trim_end().ends_with(':'));
        if let Some(next) = blocks.get(first + 1).filter(|n| introduces && n.kind == BlockKind::List) {
            range.end = next.html.end;
        }
    }
    Some(range)
}

/// One top-level block (a paragraph, a list, a table...) of a rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Its byte range in `Body::html`.
    pub html: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    List,
    Other,
}

/// A `###` heading inside a section, for the contents list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subheading {
    pub title: String,
    pub anchor: String,
}

/// One `##` section of a briefing.
#[derive(Debug, Clone)]
pub struct Section {
    /// 1-based, in order.
    pub number: usize,
    pub title: String,
    /// The `id` of the section: a slug of its title, unique within the page.
    pub anchor: String,
    /// Nothing under its heading.
    pub blank: bool,
    pub subheadings: Vec<Subheading>,
    /// The line of the heading in the source file.
    pub line: usize,
    /// The heading in the source file, for messages about the section.
    pub heading: Span,
    /// Words read in this section (its title, prose and code), for reading times.
    pub words: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Footnote {
    pub number: usize,
    /// Rendered HTML of the note, without the back-link.
    pub html: String,
    /// How many times the note is referenced (each reference gets its own back-link).
    pub references: usize,
}

/// What a relative link to another source (`other.md`, `../themes/x.md`) points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    Briefing { slug: String, anchor: Option<String> },
    Theme { slug: String },
}

/// A link between sources, kept so that the site stage can check that its target exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub target: LinkTarget,
    pub span: Span,
}

/// A relative link or image that names a file beside the briefing (`diagram.svg`,
/// `files/plan.pdf`), kept so that the write stage can check the bundle has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Decoded, relative to the briefing's folder.
    pub path: String,
    pub span: Span,
}

/// A link or image on another site (`https://...`), kept for `briefing check --external`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// The address as the page links to it (see `markdown::web_address`).
    pub url: String,
    pub span: Span,
}

/// A theme's name as a source writes it, before resolution: in a briefing's `themes`, a
/// theme's `title`, `aliases` or `related`.
#[derive(Debug, Clone)]
pub struct ThemeName {
    pub name: String,
    /// Where the front matter names it.
    pub span: Span,
}

/// What the search index holds of one part of a briefing's text: the introduction, or a
/// section with its heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPart {
    /// Its distinct words of three letters or more that no part before it has: lowercase,
    /// sorted, space-separated, without stop words.
    pub words: String,
    /// Its first sentences, for the excerpt under a search result.
    pub excerpt: String,
}

#[derive(Debug, Clone)]
pub struct Briefing {
    pub slug: String,
    /// Relative to the site root, for messages.
    pub source: PathBuf,
    /// For a bundle (`briefings/<slug>/index.md`): the folder, whose other files are copied.
    pub bundle: Option<PathBuf>,
    pub title: String,
    pub format: Format,
    pub partnership: String,
    pub published: Date,
    pub updated: Option<Date>,
    pub review_due: Option<Date>,
    pub audience: Option<String>,
    pub summary: Option<String>,
    pub theme_names: Vec<ThemeName>,
    /// The value it gives each facet of the site that it names (see `config::Facet`).
    pub facets: Vec<FacetValue>,
    /// Theme slugs after resolution, in the order the front matter names them, no repeats.
    pub themes: Vec<String>,
    pub draft: bool,
    /// Section anchors chosen for the one-pager.
    pub print: Vec<String>,
    /// Whether it gets an action plan to fill in: `action_plan` in its front matter, else
    /// every 7-minute briefing.
    pub action_plan: bool,
    /// The `##` sections, without their text (see `Bodies`).
    pub sections: Vec<Section>,
    pub links: Vec<InternalLink>,
    pub attachments: Vec<Attachment>,
    pub external_links: Vec<ExternalLink>,
    pub words: usize,
    /// What the search index holds of its text (the text itself is not kept): the
    /// introduction first, then each section. Shared: `watch` keeps each briefing's analysis
    /// and hands the site a copy on every rebuild, and this is most of a briefing's size.
    pub search: std::sync::Arc<[SearchPart]>,
    /// Codes of the checks this briefing switches off (its `allow` list).
    pub allow: Vec<String>,
    /// Where front matter values are, for messages about them.
    pub spans: FrontMatterSpans,
    /// A hash of what this briefing was parsed from (its path, text and the site settings):
    /// two briefings with the same fingerprint are the same parse, and a build that parses a
    /// briefing again to render it checks that it finds the same.
    pub fingerprint: u128,
    /// A hash of everything this briefing was made from, once analysed: its fingerprint, every
    /// name of every theme and the date (`site::made_from`). All a listing shows of one
    /// briefing (its card, its mentions of a theme) is made from these alone, so this key
    /// stands for it. 0 until analysed.
    pub made_from: u128,
}

/// A briefing's value of one of the site's facets: indexes into `Config::facets` and that
/// facet's `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FacetValue {
    pub facet: usize,
    pub value: usize,
}

/// Where a briefing's front matter values are in its source (`None` when a key is absent).
#[derive(Debug, Clone, Default)]
pub struct FrontMatterSpans {
    /// The opening `+++` line: where messages about the briefing as a whole point.
    pub start: Option<Span>,
    pub title: Option<Span>,
    pub format: Option<Span>,
    pub published: Option<Span>,
    pub updated: Option<Span>,
    pub review_due: Option<Span>,
    pub summary: Option<Span>,
    pub audience: Option<Span>,
}

impl Briefing {
    /// Minutes to read at `wpm` words a minute, rounded up, at least one.
    pub fn reading_minutes(&self, wpm: u32) -> usize {
        self.words.div_ceil(wpm.max(1) as usize).max(1)
    }

    /// The date its review was due, once that date is before `today`.
    pub fn review_overdue(&self, today: Date) -> Option<Date> {
        self.review_due.filter(|&due| due < today)
    }

    /// Whether the page gets a contents list: long briefings and those with subsections.
    pub fn wants_contents(&self) -> bool {
        self.sections.len() > 7 || self.sections.iter().any(|s| !s.subheadings.is_empty())
    }
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub slug: String,
    pub title: String,
    /// Where the title is written; `None` for a theme without a file.
    pub title_span: Option<Span>,
    pub aliases: Vec<ThemeName>,
    /// Related themes as declared, by slug, title or alias (`ThemeRefs::declared` has them
    /// resolved).
    pub related: Vec<ThemeName>,
    /// What the theme means: its text as HTML; empty for a theme without a file.
    pub description: String,
    pub links: Vec<InternalLink>,
    pub external_links: Vec<ExternalLink>,
    /// `None` for a theme that briefings name but that has no definition file.
    pub source: Option<PathBuf>,
}

/// A training pack (`packs/<slug>.toml`): briefings gathered for a session, printed as one PDF.
#[derive(Debug, Clone)]
pub struct Pack {
    pub slug: String,
    /// Relative to the site root, for messages.
    pub source: PathBuf,
    pub title: String,
    /// A paragraph for its page and its cover.
    pub intro: Option<String>,
    /// The briefings it names, by slug, as written.
    pub briefing_names: Vec<ThemeName>,
    /// The themes whose briefings it takes, as written.
    pub theme_names: Vec<ThemeName>,
    /// Each briefing's action plan after its handout.
    pub action_plans: bool,
    /// Its briefings (indices into `Site::briefings`): those it names, in order, then those
    /// of the themes it names, newest first; each once, and at most `site::packs::MOST_BRIEFINGS`.
    /// Filled in when the site is assembled.
    pub briefings: Vec<usize>,
    /// How many more briefings it asks for than it holds (see `briefings`).
    pub left_out: usize,
}

/// Another briefing that shares learning with a briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Index into `Site::briefings`.
    pub briefing: usize,
    /// How strongly they are related: see `xref::related`.
    pub score: u32,
    /// The themes both are linked to (tagged or mentioning), strongest first: indices into
    /// `Site::themes` (numbers, not slugs: 10,000 briefings have some 200,000 of them).
    pub shared: Vec<usize>,
}

/// A run of text around a mention of a theme, for the theme page. Made by `new` and not
/// changed after; shared when copied (`watch` keeps each briefing's analysis, and a site is
/// made from copies of them on every save: tens of thousands of excerpts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt(std::sync::Arc<ExcerptText>);

/// What an `Excerpt` shows.
#[derive(Debug, PartialEq, Eq)]
pub struct ExcerptText {
    pub text: String,
    /// Byte ranges of `text` that are the theme's names, to highlight. A boxed slice: most
    /// excerpts have one, and a vector collected from a filter has room for four.
    pub marks: Box<[Range<usize>]>,
    /// Whether text was cut before and after the excerpt (to show an ellipsis).
    pub cut_before: bool,
    pub cut_after: bool,
    /// A hash of the fields above, made once: `watch` keys every theme page by its excerpts
    /// on every save, and hashing their text again was most of that.
    key: u128,
}

impl Excerpt {
    pub fn new(text: String, marks: Box<[Range<usize>]>, cut_before: bool, cut_after: bool) -> Excerpt {
        let key = crate::core::hash::of(&(&text, &marks, cut_before, cut_after));
        Excerpt(std::sync::Arc::new(ExcerptText { text, marks, cut_before, cut_after, key }))
    }
}

impl std::ops::Deref for Excerpt {
    type Target = ExcerptText;

    fn deref(&self) -> &ExcerptText {
        &self.0
    }
}

impl Hash for Excerpt {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.key.hash(state);
    }
}

/// A section of a briefing that mentions a theme it is not tagged with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    /// Index into `Site::briefings`.
    pub briefing: usize,
    /// Index into the briefing's sections; `None` for its introduction.
    pub section: Option<usize>,
    pub excerpt: Excerpt,
}

/// A theme that occurs in the same briefings as another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoOccurrence {
    /// Index into `Site::themes`.
    pub theme: usize,
    /// How many briefings link to both (by tag or mention).
    pub briefings: usize,
}

/// The cross-reference of one theme, index-aligned with `Site::themes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeRefs {
    /// The briefings tagged with it (indexes into `Site::briefings`), newest first.
    pub tagged: Vec<usize>,
    /// The sections of other briefings that mention it, newest briefing first, in page order.
    pub mentions: Vec<Mention>,
    /// How many briefings mention it (one briefing may do so in several sections).
    pub mentioned_in: usize,
    /// Its declared related themes (indexes into `Site::themes`), in the order declared.
    pub declared: Vec<usize>,
    /// The other themes that most often occur with it, most first, declared ones left out.
    pub co_occurring: Vec<CoOccurrence>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Newest first; ties by title, then slug. Shared with `watch`'s memo of each briefing's
    /// analysis, which a save otherwise copied whole into the site, a thousand at a time.
    pub briefings: Vec<Arc<Briefing>>,
    /// By slug.
    pub themes: Vec<Theme>,
    /// The index in `themes` of each slug: every theme of every card is looked up by it.
    pub theme_index: FxHashMap<String, usize>,
    /// `related[i]` are the related briefings of `briefings[i]`, best first.
    pub related: Vec<Vec<Related>>,
    /// `theme_refs[i]` is the cross-reference of `themes[i]`.
    pub theme_refs: Vec<ThemeRefs>,
    /// The training packs, by slug.
    pub packs: Vec<Pack>,
    /// The date the site was built for, against which review dates are read.
    pub today: Date,
}

impl Site {
    /// What briefing `b` says of its review, as site.toml words it ("Review overdue since 1
    /// June 2025"): `None` while it is not overdue, or when the site hides review status.
    pub fn review_status(&self, b: &Briefing) -> Option<String> {
        let due = b.review_overdue(self.today).filter(|_| self.config.show_review_status)?;
        Some(self.config.review_overdue_text.replace("{date}", &crate::core::dates::DateView::from(due).text))
    }

    pub fn theme(&self, slug: &str) -> Option<&Theme> {
        self.theme_index.get(slug).map(|&i| &self.themes[i])
    }
}
