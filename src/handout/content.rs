//! A section's Markdown as the small rich-text tree (`Block`, `Inline`) the handout templates
//! print. Raw HTML becomes its text with the tags stripped; footnote definitions are dropped
//! (the notes are not on the sheet). Nesting deeper than the templates can take (lists or
//! quotes in quotes, emphasis in emphasis) is flattened into the enclosing level, so hostile
//! Markdown can neither overflow the stack here nor Typst's call depth.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::model::{Block, Inline, ListItem};

/// Lists and quotes nested deeper than this are flattened into their parent.
const MAX_BLOCK_DEPTH: usize = 5;
/// Strong, emphasis, strikethrough and links nested deeper than this are flattened.
const MAX_INLINE_DEPTH: usize = 8;

/// The blocks of `md` (pulldown-cmark with tables, footnotes, strikethrough and task lists).
pub fn blocks_from_markdown(md: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut builder = Builder { stack: vec![Frame::Blocks { kind: Container::Root, blocks: Vec::new(), flat: false }] };
    for event in Parser::new_ext(md, options) {
        builder.event(event);
    }
    while builder.stack.len() > 1 {
        builder.close();
    }
    match builder.stack.pop() {
        Some(Frame::Blocks { blocks, .. }) => blocks,
        _ => Vec::new(),
    }
}

/// The plain text of `inlines` (image alt text, tests, word counts).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(&mut out, inlines);
    out
}

fn push_plain(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { inlines } | Inline::Emphasis { inlines } | Inline::Strike { inlines } | Inline::Link { inlines, .. } => {
                push_plain(out, inlines)
            }
            Inline::Break => out.push(' '),
            Inline::FootnoteRef { .. } => {}
        }
    }
}

/// The key point of a section (indices into `blocks`): its first paragraph or list, and when
/// that is a paragraph ending in ':', the list it introduces. Empty when it has neither.
pub fn lead(blocks: &[Block]) -> Vec<usize> {
    let Some(first) = blocks.iter().position(|b| matches!(b, Block::Paragraph { .. } | Block::List { .. })) else {
        return Vec::new();
    };
    let introduces = match &blocks[first] {
        Block::Paragraph { inlines } => plain_text(inlines).trim_end().ends_with(':'),
        _ => false,
    };
    match blocks.get(first + 1) {
        Some(Block::List { .. }) if introduces => vec![first, first + 1],
        _ => vec![first],
    }
}

/// How many words `blocks` hold (all their text, at any depth).
pub fn words(blocks: &[Block]) -> usize {
    let count = |inlines: &[Inline]| plain_text(inlines).split_whitespace().count();
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => count(inlines),
            Block::List { items, .. } => items.iter().map(|i| words(&i.blocks)).sum(),
            Block::Quote { blocks } => words(blocks),
            Block::Table { header, rows, .. } => header.iter().chain(rows.iter().flatten()).map(|c| count(c)).sum(),
            Block::Code { text } => text.split_whitespace().count(),
            Block::Image { alt, .. } => alt.split_whitespace().count(),
            Block::Rule => 0,
        })
        .sum()
}

/// What a block-holding frame becomes when it closes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Container {
    Root,
    Quote,
    Item { checked: Option<bool> },
    /// A footnote definition: dropped.
    Footnote,
}

/// What an inline-holding frame becomes when it closes.
#[derive(Debug, Clone, PartialEq)]
enum Span {
    Paragraph,
    Heading(u8),
    Cell,
    Strong,
    Emphasis,
    Strike,
    Link(String),
    Image(String),
    /// Superscript, subscript and the like: its text joins the parent's.
    Plain,
}

/// One open element while the events are read.
enum Frame {
    Blocks { kind: Container, blocks: Vec<Block>, flat: bool },
    List { ordered: bool, start: u64, items: Vec<ListItem>, flat: bool },
    Table { header: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>>, row: Vec<Vec<Inline>>, in_head: bool },
    Inlines { kind: Span, inlines: Vec<Inline>, images: Vec<Block>, flat: bool },
    Text { code: bool, text: String },
}

struct Builder {
    stack: Vec<Frame>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.open(tag),
            Event::End(TagEnd::TableHead) => self.end_row(true),
            Event::End(TagEnd::TableRow) => self.end_row(false),
            Event::End(_) => self.close(),
            Event::Text(text) => self.text(&text),
            Event::Code(text) => self.inline(Inline::Code { text: text.into_string() }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
            Event::Html(html) => self.text(&html),
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::FootnoteReference(label) => self.inline(Inline::FootnoteRef { label: label.into_string() }),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::Break),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(checked) => {
                if let Some(Frame::Blocks { kind: Container::Item { checked: c }, .. }) = self.stack.last_mut() {
                    *c = Some(checked);
                }
            }
        }
    }

    fn block_depth(&self) -> usize {
        self.stack.iter().filter(|f| matches!(f, Frame::List { .. } | Frame::Blocks { kind: Container::Quote, .. })).count()
    }

    fn inline_depth(&self) -> usize {
        self.stack.iter().filter(|f| matches!(f, Frame::Inlines { .. })).count()
    }

    fn open(&mut self, tag: Tag<'_>) {
        let deep = self.block_depth() >= MAX_BLOCK_DEPTH;
        let inlines = |kind| Frame::Inlines { kind, inlines: Vec::new(), images: Vec::new(), flat: false };
        let frame = match tag {
            Tag::Paragraph => inlines(Span::Paragraph),
            Tag::Heading { level, .. } => inlines(Span::Heading(level as u8)),
            Tag::TableCell => inlines(Span::Cell),
            Tag::Strong => inlines(Span::Strong),
            Tag::Emphasis => inlines(Span::Emphasis),
            Tag::Strikethrough => inlines(Span::Strike),
            Tag::Link { dest_url, .. } => inlines(Span::Link(dest_url.into_string())),
            Tag::Image { dest_url, .. } => inlines(Span::Image(dest_url.into_string())),
            Tag::BlockQuote(_) => Frame::Blocks { kind: Container::Quote, blocks: Vec::new(), flat: deep },
            Tag::Item => Frame::Blocks { kind: Container::Item { checked: None }, blocks: Vec::new(), flat: false },
            Tag::FootnoteDefinition(_) => Frame::Blocks { kind: Container::Footnote, blocks: Vec::new(), flat: false },
            Tag::List(start) => Frame::List { ordered: start.is_some(), start: start.unwrap_or(1), items: Vec::new(), flat: deep },
            Tag::Table(_) => Frame::Table { header: Vec::new(), rows: Vec::new(), row: Vec::new(), in_head: false },
            Tag::TableHead => {
                if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
                    *in_head = true;
                }
                return;
            }
            Tag::TableRow => return,
            Tag::CodeBlock(_) => Frame::Text { code: true, text: String::new() },
            Tag::HtmlBlock => Frame::Text { code: false, text: String::new() },
            _ => inlines(Span::Plain),
        };
        let frame = match frame {
            Frame::Inlines { kind, inlines, images, .. } => {
                let nests = matches!(kind, Span::Strong | Span::Emphasis | Span::Strike | Span::Link(_));
                let flat = nests && self.inline_depth() >= MAX_INLINE_DEPTH;
                Frame::Inlines { kind, inlines, images, flat }
            }
            other => other,
        };
        self.stack.push(frame);
    }

    /// Closes the innermost open element and hands what it made to its parent.
    fn close(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        match self.stack.pop() {
            Some(Frame::Blocks { kind, blocks, flat }) => self.close_blocks(kind, blocks, flat),
            Some(Frame::List { ordered, start, items, flat }) => {
                if flat || items.is_empty() {
                    items.into_iter().for_each(|item| self.blocks(item.blocks));
                } else {
                    self.block(Block::List { ordered, start, items });
                }
            }
            Some(Frame::Table { header, rows, .. }) => self.block(Block::Table { header, rows, longest: Vec::new() }),
            Some(Frame::Inlines { kind, inlines, images, flat }) => self.close_inlines(kind, inlines, images, flat),
            Some(Frame::Text { code: true, text }) => self.block(Block::Code { text: text.trim_end_matches('\n').to_string() }),
            Some(Frame::Text { code: false, text }) => {
                let text = strip_tags(&text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    self.block(Block::Paragraph { inlines: vec![Inline::Text { text }] });
                }
            }
            None => {}
        }
    }

    fn close_blocks(&mut self, kind: Container, blocks: Vec<Block>, flat: bool) {
        match kind {
            Container::Root | Container::Footnote => {}
            Container::Quote if flat => self.blocks(blocks),
            Container::Quote => self.block(Block::Quote { blocks }),
            Container::Item { checked } => {
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(ListItem { blocks, checked });
                } else {
                    self.blocks(blocks);
                }
            }
        }
    }

    fn close_inlines(&mut self, kind: Span, inlines: Vec<Inline>, images: Vec<Block>, flat: bool) {
        let has_text = !plain_text(&inlines).trim().is_empty();
        match kind {
            Span::Paragraph => {
                if has_text {
                    self.block(Block::Paragraph { inlines: trim(inlines) });
                }
                self.blocks(images);
            }
            Span::Heading(level) => {
                if has_text {
                    self.block(Block::Heading { level, inlines: trim(inlines) });
                }
                self.blocks(images);
            }
            Span::Cell => {
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.push(trim(inlines));
                }
            }
            Span::Image(path) => self.image(path, plain_text(&inlines)),
            Span::Plain => inlines.into_iter().for_each(|i| self.inline(i)),
            _ if flat => inlines.into_iter().for_each(|i| self.inline(i)),
            Span::Strong => self.inline(Inline::Strong { inlines }),
            Span::Emphasis => self.inline(Inline::Emphasis { inlines }),
            Span::Strike => self.inline(Inline::Strike { inlines }),
            Span::Link(target) => self.inline(Inline::Link { inlines, target }),
        }
    }

    /// An image goes after the paragraph it is in (as a block of its own); inside a heading
    /// or a table cell only its alternative text is printed.
    fn image(&mut self, path: String, alt: String) {
        let paragraph = self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Inlines { kind: Span::Paragraph, images, .. } => Some(images),
            _ => None,
        });
        match paragraph {
            Some(images) => images.push(Block::Image { path, alt }),
            None if !alt.is_empty() => self.inline(Inline::Text { text: alt }),
            None => {}
        }
    }

    fn end_row(&mut self, head: bool) {
        if let Some(Frame::Table { header, rows, row, in_head }) = self.stack.last_mut() {
            let cells = std::mem::take(row);
            if head {
                *header = cells;
                *in_head = false;
            } else {
                rows.push(cells);
            }
        }
    }

    /// Adds `block` to the innermost frame that holds blocks.
    fn block(&mut self, block: Block) {
        for frame in self.stack.iter_mut().rev() {
            if let Frame::Blocks { blocks, .. } = frame {
                blocks.push(block);
                return;
            }
        }
    }

    fn blocks(&mut self, blocks: Vec<Block>) {
        blocks.into_iter().for_each(|b| self.block(b));
    }

    /// Adds `inline` to the innermost open span, or a paragraph of its own (text directly in
    /// a tight list item arrives without a paragraph).
    fn inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Inlines { inlines, .. }) => push_inline(inlines, inline),
            Some(Frame::Text { text, .. }) => {
                if let Inline::Text { text: t } | Inline::Code { text: t } = &inline {
                    text.push_str(t);
                }
            }
            Some(Frame::Blocks { .. }) => {
                if let Some(Frame::Blocks { blocks, .. }) = self.stack.last_mut() {
                    if let Some(Block::Paragraph { inlines }) = blocks.last_mut().filter(|_| !matches!(inline, Inline::Break)) {
                        push_inline(inlines, inline);
                        return;
                    }
                }
                if !matches!(inline, Inline::Break) {
                    self.block(Block::Paragraph { inlines: vec![inline] });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Frame::Text { text: t, .. }) = self.stack.last_mut() {
            t.push_str(text);
            return;
        }
        self.inline(Inline::Text { text: text.to_string() });
    }

    fn inline_html(&mut self, html: &str) {
        let lower = html.trim().to_ascii_lowercase();
        if lower.starts_with("<br") {
            self.inline(Inline::Break);
            return;
        }
        let text = strip_tags(html);
        if !text.is_empty() {
            self.text(&text);
        }
    }
}

/// Appends `inline`, merging it into the last text run when both are text.
fn push_inline(inlines: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text { text: last }), Inline::Text { text }) = (inlines.last_mut(), &inline) {
        last.push_str(text);
        return;
    }
    inlines.push(inline);
}

/// Without the spaces at either end of a paragraph (left by stripped HTML or breaks).
fn trim(mut inlines: Vec<Inline>) -> Vec<Inline> {
    while matches!(inlines.last(), Some(Inline::Break)) {
        inlines.pop();
    }
    if let Some(Inline::Text { text }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    inlines
}

/// The text of an HTML fragment: tags, comments, scripts and styles removed, the common
/// entities decoded.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if lower.starts_with("<script") || lower.starts_with("<style") {
            let close = if lower.starts_with("<script") { "</script" } else { "</style" };
            rest.to_ascii_lowercase().find(close).and_then(|i| rest[i..].find('>').map(|j| i + j + 1))
        } else {
            rest.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) => rest = &rest[end..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    const NAMED: [(&str, &str); 6] = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", "\u{a0}")];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        for (name, value) in NAMED {
            if let Some(after) = rest.strip_prefix(name) {
                out.push_str(value);
                rest = after;
                continue 'outer;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
