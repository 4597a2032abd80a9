//! The small document model every reader produces and the Markdown writer reads: only what a
//! briefing can hold (headings, paragraphs with bold, italic and links, lists, tables,
//! pictures and notes), so that each reader decides once what to keep.

/// A document as read from Word, HTML or text, before it becomes a briefing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The text of the paragraph styled Title (Word) or the page's `<h1>`, if any.
    pub title: Option<String>,
    /// Title and created date from the file's own properties (Word's docProps/core.xml).
    pub properties: Properties,
    pub blocks: Vec<Block>,
    /// Footnotes, then endnotes, in the order the text refers to them; `Inline::Note(i)` is
    /// `notes[i]`.
    pub notes: Vec<Vec<Block>>,
    /// `Inline::Picture(i)` is `pictures[i]`.
    pub pictures: Vec<Picture>,
    /// What the reader dropped or changed that a person should know about.
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    pub title: Option<String>,
    pub created: Option<time::Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is the largest heading in the source (it becomes `##`).
    Heading { level: u8, text: Vec<Inline> },
    Paragraph(Para),
    List(List),
    Table(Table),
    /// The contents of a text box or shape, where it is anchored; the heuristics turn
    /// numbered boxes into sections and unwrap the rest.
    Boxed(Vec<Block>),
}

/// A paragraph with what the heading heuristics need to know about its looks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub inlines: Vec<Inline>,
    /// Every character of it is bold.
    pub bold: bool,
    /// Its largest font size in half-points, when the source says (Word, HTML headings).
    pub size: Option<u32>,
}

impl Para {
    pub fn plain(inlines: Vec<Inline>) -> Para {
        Para { inlines, bold: false, size: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub ordered: bool,
    /// The number of the first item (ordered lists).
    pub start: u32,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The first row is a header row (Word's "repeat as header row", HTML's `<th>` row).
    pub header: bool,
    /// Rows of cells; each cell's blocks, flattened to one line when written.
    pub rows: Vec<Vec<Vec<Block>>>,
    /// Some cells spanned several columns or rows and were flattened.
    pub merged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text { text: String, style: Style },
    Link { href: String, children: Vec<Inline> },
    /// A manual line break inside a paragraph.
    Break,
    /// A reference to `Document::notes[i]`.
    Note(usize),
    /// `Document::pictures[i]`.
    Picture(usize),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Inline {
        Inline::Text { text: text.into(), style: Style::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file name's extension in lower case (`png`, `jpeg`, ...).
    pub extension: String,
    pub bytes: Vec<u8>,
    /// The alt text written in the source; `None` when there was none.
    pub alt: Option<String>,
}

/// Something the reader found that a person should look at: the code names it in JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
}

impl Finding {
    pub fn new(code: &'static str, message: impl Into<String>) -> Finding {
        Finding { code, message: message.into() }
    }
}

/// The plain text of some inlines, as a reader reads it (no Markdown).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Link { children, .. } => push_plain(children, out),
            Inline::Break => out.push(' '),
            Inline::Note(_) | Inline::Picture(_) => {}
        }
    }
}

/// The plain text of some blocks, one line a block: for theme mentions, summaries and
/// format words.
pub fn blocks_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading { text, .. } => push_line(&plain_text(text), out),
            Block::Paragraph(p) => push_line(&plain_text(&p.inlines), out),
            Block::List(list) => list.items.iter().for_each(|item| blocks_text(item, out)),
            Block::Table(table) => table.rows.iter().flatten().for_each(|cell| blocks_text(cell, out)),
            Block::Boxed(inner) => blocks_text(inner, out),
        }
    }
}

/// `blocks_text` as a new string.
pub fn blocks_text_of(blocks: &[Block]) -> String {
    let mut out = String::new();
    blocks_text(blocks, &mut out);
    out
}

fn push_line(line: &str, out: &mut String) {
    out.push_str(line.trim());
    out.push('\n');
}

/// True when a paragraph holds nothing a reader would see (spacing paragraphs).
pub fn is_empty(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text { text, .. } => text.trim().is_empty(),
        Inline::Break => true,
        Inline::Link { children, .. } => is_empty(children),
        Inline::Note(_) | Inline::Picture(_) => false,
    })
}
