//! The document model as a briefing source: TOML front matter (serialised by the `toml`
//! crate, never pasted together) and a CommonMark body.
//!
//! Text is escaped so that it reads back as the same text: every character Markdown could
//! take as syntax (`*`, `_`, `[`, `` ` ``, `<`, `~`, `\`, an entity's `&`, and at a line's
//! start `#`, `>`, `-`, `+`, `=` and "1.") gets a backslash. Bold and italic are written
//! `**` and `*` where CommonMark's flanking rules let the delimiters work, and as `<strong>`
//! and `<em>` where they would not (bold text that starts with a quote mark inside a word).

use serde::Serialize;

use super::doc::{Block, Document, Inline, List, Style, Table};

/// The front matter of an imported briefing, in the order it is written.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnership: Option<String>,
    pub published: toml::value::Datetime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub themes: Vec<String>,
    pub draft: bool,
}

/// A date as TOML writes a local date (`published = 2024-03-02`).
pub fn toml_date(date: time::Date) -> toml::value::Datetime {
    let date = toml::value::Date { year: date.year() as u16, month: date.month() as u8, day: date.day() };
    toml::value::Datetime { date: Some(date), time: None, offset: None }
}

/// The whole source: front matter between `+++` lines, then the body.
pub fn source(front: &FrontMatter, doc: &Document, pictures: &[String]) -> String {
    let toml = toml::to_string(front).expect("front matter of strings, a date and a list serialises");
    format!("+++\n{toml}+++\n\n{}", body(doc, pictures))
}

/// The body: blocks separated by blank lines, then the notes. `pictures[i]` is the file name
/// of `doc.pictures[i]`.
pub fn body(doc: &Document, pictures: &[String]) -> String {
    let writer = Writer { doc, pictures };
    let mut out = writer.blocks(&doc.blocks);
    for (i, note) in doc.notes.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        let text = writer.blocks(note);
        out.push_str(&format!("\n[^{}]: {}\n", i + 1, indent(text.trim_end(), 4)));
    }
    out
}

struct Writer<'a> {
    doc: &'a Document,
    pictures: &'a [String],
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut alternate = false;
        let mut after_list = false;
        for block in blocks {
            let text = match block {
                Block::Heading { level, text } => {
                    let hashes = "#".repeat(usize::from(*level).clamp(1, 5) + 1);
                    // A heading is bold already: bold in Word's heading style says nothing more.
                    let text: Vec<Inline> = text.iter().map(unbold).collect();
                    format!("{hashes} {}", self.inlines(&text, false).replace('#', "\\#"))
                }
                Block::Paragraph(p) => self.paragraph(&p.inlines),
                Block::List(list) => {
                    alternate = after_list && !alternate;
                    self.list(list, alternate)
                }
                Block::Table(table) => self.table(table),
                Block::Boxed(inner) => self.blocks(inner),
            };
            after_list = matches!(block, Block::List(_));
            if text.trim().is_empty() {
                continue;
            }
            out.push_str(text.trim_end());
            out.push_str("\n\n");
        }
        out
    }

    /// A paragraph, with what would start a block at a line's start escaped.
    fn paragraph(&self, inlines: &[Inline]) -> String {
        let text = self.inlines(inlines, false);
        text.split(HARD_BREAK).map(escape_line_start).collect::<Vec<_>>().join(HARD_BREAK)
    }

    fn list(&self, list: &List, alternate: bool) -> String {
        let mut out = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            let marker = match (list.ordered, alternate) {
                (true, false) => format!("{}.", list.start as usize + i),
                (true, true) => format!("{})", list.start as usize + i),
                (false, false) => "-".to_string(),
                (false, true) => "*".to_string(),
            };
            let mut text = String::new();
            let mut nested_alternate = false;
            let mut previous_list = false;
            for block in item {
                let (piece, separator) = match block {
                    Block::List(inner) => {
                        nested_alternate = previous_list && !nested_alternate;
                        // Only a list starting at 1 may interrupt a paragraph.
                        let sep = if inner.ordered && inner.start != 1 { "\n\n" } else { "\n" };
                        (self.list(inner, nested_alternate), sep)
                    }
                    Block::Paragraph(p) => (self.paragraph(&p.inlines), "\n\n"),
                    other => (self.blocks(std::slice::from_ref(other)).trim_end().to_string(), "\n\n"),
                };
                previous_list = matches!(block, Block::List(_));
                if !text.is_empty() {
                    text.push_str(separator);
                }
                text.push_str(&piece);
            }
            out.push(format!("{marker} {}", indent(&text, marker.len() + 1)));
        }
        out.join("\n")
    }

    fn table(&self, table: &Table) -> String {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut lines = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|cell| self.cell(cell)).collect();
            cells.resize(columns, String::new());
            lines.push(format!("| {} |", cells.join(" | ")));
            if i == 0 {
                lines.push(format!("|{}", " --- |".repeat(columns)));
            }
        }
        lines.join("\n")
    }

    /// A table cell's blocks on one line: paragraphs and list items joined with `<br>`.
    fn cell(&self, blocks: &[Block]) -> String {
        let mut parts = Vec::new();
        self.cell_parts(blocks, &mut parts);
        parts.retain(|p| !p.trim().is_empty());
        parts.join("<br>")
    }

    fn cell_parts(&self, blocks: &[Block], parts: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Heading { text, .. } => parts.push(self.inlines(text, true)),
                Block::Paragraph(p) => parts.push(self.inlines(&p.inlines, true)),
                Block::List(list) => {
                    for (i, item) in list.items.iter().enumerate() {
                        let mut inner = Vec::new();
                        self.cell_parts(item, &mut inner);
                        let marker = if list.ordered { format!("{}\\. ", list.start as usize + i) } else { "\u{2022} ".to_string() };
                        parts.push(format!("{marker}{}", inner.join(" ")));
                    }
                }
                Block::Table(t) => t.rows.iter().flatten().for_each(|c| self.cell_parts(c, parts)),
                Block::Boxed(inner) => self.cell_parts(inner, parts),
            }
        }
    }

    /// Inlines as Markdown; `table` escapes `|` and writes breaks as `<br>`.
    fn inlines(&self, inlines: &[Inline], table: bool) -> String {
        let pieces = self.pieces(inlines, table);
        let mut out = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Raw(text) => out.push_str(text),
                Piece::Styled { style, lead, content, trail } => {
                    out.push_str(lead);
                    let next = if trail.is_empty() { pieces.get(i + 1).and_then(Piece::first_char) } else { trail.chars().next() };
                    let markdown = delimiters_work(out.chars().last(), content, next);
                    let (open, close) = delimiters(*style, markdown);
                    out.push_str(&format!("{open}{content}{close}{trail}"));
                }
            }
        }
        out
    }

    fn pieces(&self, inlines: &[Inline], table: bool) -> Vec<Piece> {
        let mut pieces = Vec::new();
        for inline in merge_texts(inlines) {
            let piece = match inline {
                Inline::Text { text, style } => styled(&text, style, table),
                Inline::Link { href, children } => {
                    let mut label = self.inlines(&children, table);
                    if label.trim().is_empty() {
                        label = escape(&href, table);
                    }
                    Piece::Raw(format!("[{label}]({})", destination(&href)))
                }
                Inline::Break => Piece::Raw(if table { "<br>".into() } else { HARD_BREAK.into() }),
                Inline::Note(i) if self.doc.notes.get(i).is_some_and(|n| !n.is_empty()) => Piece::Raw(format!("[^{}]", i + 1)),
                Inline::Note(_) => continue,
                Inline::Picture(i) => {
                    let alt = self.doc.pictures.get(i).and_then(|p| p.alt.clone()).unwrap_or_else(|| PLACEHOLDER_ALT.to_string());
                    let name = self.pictures.get(i).cloned().unwrap_or_default();
                    Piece::Raw(format!("![{}]({})", escape(alt.trim(), table), destination(&name)))
                }
            };
            pieces.push(piece);
        }
        pieces
    }
}

fn unbold(inline: &Inline) -> Inline {
    match inline {
        Inline::Text { text, style } => Inline::Text { text: text.clone(), style: Style { bold: false, ..*style } },
        Inline::Link { href, children } => Inline::Link { href: href.clone(), children: children.iter().map(unbold).collect() },
        other => other.clone(),
    }
}

/// The alt text of a picture that had none in Word; the report asks for a real one.
pub const PLACEHOLDER_ALT: &str = "Picture: describe what it shows";

const HARD_BREAK: &str = "\\\n";

/// A piece of a paragraph: Markdown ready to write, or styled text whose delimiters depend on
/// what is around it.
enum Piece {
    Raw(String),
    Styled { style: Style, lead: String, content: String, trail: String },
}

impl Piece {
    fn first_char(&self) -> Option<char> {
        match self {
            Piece::Raw(text) => text.chars().next(),
            Piece::Styled { lead, .. } => lead.chars().next().or(Some('*')),
        }
    }
}

fn styled(text: &str, style: Style, table: bool) -> Piece {
    let trimmed = text.trim();
    if style == Style::default() || trimmed.is_empty() {
        return Piece::Raw(escape(text, table));
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    Piece::Styled { style, lead: escape(lead, table), content: escape(trimmed, table), trail: escape(trail, table) }
}

/// Adjacent text inlines of one style as one, so that `**bold**` is not split into pieces.
fn merge_texts(inlines: &[Inline]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        if let (Some(Inline::Text { text: last, style: s1 }), Inline::Text { text, style: s2 }) = (out.last_mut(), inline) {
            if s1 == s2 || text.trim().is_empty() {
                last.push_str(text);
                continue;
            }
        }
        out.push(inline.clone());
    }
    out
}

/// Whether `*` delimiters around `content` (escaped, trimmed) open and close by CommonMark's
/// rules, with `before` and `after` the characters next to them.
fn delimiters_work(before: Option<char>, content: &str, after: Option<char>) -> bool {
    let (Some(first), Some(last)) = (content.chars().next(), content.chars().last()) else { return false };
    let loose = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || punctuation(c));
    let opens = !punctuation(first) || loose(before);
    let closes = !punctuation(last) || loose(after);
    // A `*` next to the delimiters would join their run.
    opens && closes && before != Some('*') && after != Some('*') && !content.ends_with('\\')
}

/// CommonMark counts Unicode punctuation and symbols; anything neither letter, digit nor
/// space is taken as punctuation, which at worst writes `<strong>` where `**` would do.
fn punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

fn delimiters(style: Style, markdown: bool) -> (&'static str, &'static str) {
    match (style.bold, style.italic, markdown) {
        (true, true, true) => ("***", "***"),
        (true, false, true) => ("**", "**"),
        (false, true, true) => ("*", "*"),
        (true, true, false) => ("<strong><em>", "</em></strong>"),
        (true, false, false) => ("<strong>", "</strong>"),
        (false, true, false) => ("<em>", "</em>"),
        (false, false, _) => ("", ""),
    }
}

/// Text with every character that inline Markdown could read as syntax escaped.
pub fn escape(text: &str, table: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '|' if table => out.push_str("\\|"),
            '&' if chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => out.push_str("\\&"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes what would make a line start a heading, quote, list or setext underline.
fn escape_line_start(line: &str) -> String {
    let line = line.trim_start();
    if line.starts_with(['#', '>', '-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=9).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// A link destination with the characters that would end or break it percent-encoded.
fn destination(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '|' => out.push_str("%7C"),
            '`' => out.push_str("%60"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Every line after the first indented by `width` spaces (blank lines stay empty).
fn indent(text: &str, width: usize) -> String {
    let pad = " ".repeat(width);
    let mut lines = text.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
