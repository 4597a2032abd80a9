//! Plain text (from an email or a PDF) and Markdown into the document model.
//!
//! Plain text: paragraphs are separated by blank lines and their lines joined (PDF and email
//! text is wrapped); lines starting with a bullet or a number make lists. A short line on its
//! own that is not a sentence is marked as standing out, as bold does in Word, so that the
//! heading rules find it. Markdown is read with pulldown-cmark, so its headings, emphasis,
//! links, lists and tables carry over.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::doc::{Block, Document, Finding, Inline, List, Para, Style, Table};

const BULLETS: &[&str] = &["- ", "* ", "\u{2022} ", "\u{2022}\t", "\u{25e6} ", "\u{2013} ", "\u{25aa} "];

pub fn read_plain(text: &str) -> Document {
    let mut blocks = Vec::new();
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for chunk in text.split("\n\n") {
        let lines: Vec<&str> = chunk.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        paragraph_lines(&lines, &mut blocks);
    }
    mark_standing_out(&mut blocks);
    title_line(&mut blocks);
    Document { blocks, ..Document::default() }
}

/// One blank-line-separated chunk: runs of bullet or numbered lines become lists, other
/// lines a paragraph.
fn paragraph_lines(lines: &[&str], blocks: &mut Vec<Block>) {
    let mut prose: Vec<&str> = Vec::new();
    let mut list: Option<List> = None;
    let listable = lines.len() > 1;
    for line in lines {
        let item = bullet(line).map(|t| (false, 1, t)).or_else(|| numbered_line(line).filter(|_| listable).map(|(n, t)| (true, n, t)));
        match item {
            Some((ordered, number, text)) => {
                flush_prose(&mut prose, blocks);
                let para = vec![Block::Paragraph(Para::plain(vec![Inline::text(text)]))];
                match list.as_mut().filter(|l| l.ordered == ordered) {
                    Some(l) => l.items.push(para),
                    None => {
                        close_list(list.take(), blocks);
                        list = Some(List { ordered, start: number, items: vec![para] });
                    }
                }
            }
            None if list.is_some() && line.starts_with(char::is_lowercase) => {
                // A wrapped list item continues on the next line.
                if let Some(Block::Paragraph(p)) = list.as_mut().and_then(|l| l.items.last_mut()).and_then(|i| i.last_mut()) {
                    p.inlines.push(Inline::text(format!(" {line}")));
                }
            }
            None => {
                close_list(list.take(), blocks);
                prose.push(line);
            }
        }
    }
    close_list(list.take(), blocks);
    flush_prose(&mut prose, blocks);
}

/// Adds a finished list; a single numbered line ("1. Background" with text or bullets under
/// it) is a numbered heading, not a list, and stays a paragraph for the heading rules.
fn close_list(list: Option<List>, blocks: &mut Vec<Block>) {
    match list {
        Some(l) if l.ordered && l.items.len() == 1 => {
            let text = super::doc::blocks_text_of(&l.items[0]);
            blocks.push(Block::Paragraph(Para::plain(vec![Inline::text(format!("{}. {}", l.start, text.trim()))])));
        }
        other => blocks.extend(other.map(Block::List)),
    }
}

fn flush_prose(prose: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    if !prose.is_empty() {
        blocks.push(Block::Paragraph(Para::plain(vec![Inline::text(prose.join(" "))])));
        prose.clear();
    }
}

fn bullet(line: &str) -> Option<&str> {
    BULLETS.iter().find_map(|b| line.strip_prefix(b)).map(str::trim).filter(|t| !t.is_empty())
}

/// "3. Text" or "3) Text" as (3, "Text").
fn numbered_line(line: &str) -> Option<(u32, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = line[digits..].strip_prefix(['.', ')'])?;
    rest.starts_with(' ').then(|| (line[..digits].parse().ok(), rest.trim())).and_then(|(n, t)| Some((n?, t)))
}

/// A one-line paragraph that is short and not a sentence, followed by more text, stands out
/// the way a bold line does in Word.
fn mark_standing_out(blocks: &mut [Block]) {
    for i in 0..blocks.len() {
        let followed = i + 1 < blocks.len();
        if let Block::Paragraph(p) = &mut blocks[i] {
            let text = super::doc::plain_text(&p.inlines);
            let words = text.split_whitespace().count();
            p.bold = followed && words <= 10 && !text.trim_end().ends_with(['.', ',', ';', ':']);
        }
    }
}

/// Text has no sizes, but its first line, standing out on its own, is the title line: it is
/// given a larger size than the rest so that the heading rules rank it above the headings.
fn title_line(blocks: &mut [Block]) {
    let first_stands_out = matches!(blocks.first(), Some(Block::Paragraph(p)) if p.bold);
    for (i, block) in blocks.iter_mut().enumerate() {
        if let Block::Paragraph(p) = block {
            p.size = Some(if i == 0 && first_stands_out { BODY_SIZE + 8 } else { BODY_SIZE });
        }
    }
}

/// The size text paragraphs are given (Word's 11 pt, in half-points).
const BODY_SIZE: u32 = 22;

/// Markdown through pulldown-cmark: headings, paragraphs, emphasis, links, lists and tables.
pub fn read_markdown(text: &str) -> Document {
    let mut reader = MarkdownReader::default();
    for event in Parser::new_ext(text, crate::parse::markdown::options()) {
        reader.event(event);
    }
    let mut doc = Document { blocks: reader.stack.pop().unwrap_or_default(), ..Document::default() };
    if reader.dropped {
        doc.findings.push(Finding::new("pictures-dropped", "pictures and footnotes in the Markdown were left out: add them again"));
    }
    doc
}

#[derive(Default)]
struct MarkdownReader {
    /// Open block containers: the document, list items, table cells.
    stack: Vec<Vec<Block>>,
    lists: Vec<List>,
    tables: Vec<Table>,
    inlines: Vec<Inline>,
    links: Vec<(String, Vec<Inline>)>,
    style: Style,
    dropped: bool,
}

impl MarkdownReader {
    fn event(&mut self, event: Event<'_>) {
        if self.stack.is_empty() {
            self.stack.push(Vec::new());
        }
        match event {
            Event::Start(Tag::Strong) => self.style.bold = true,
            Event::End(TagEnd::Strong) => self.style.bold = false,
            Event::Start(Tag::Emphasis) => self.style.italic = true,
            Event::End(TagEnd::Emphasis) => self.style.italic = false,
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push((dest_url.to_string(), std::mem::take(&mut self.inlines))),
            Event::End(TagEnd::Link) => {
                if let Some((href, outer)) = self.links.pop() {
                    let children = std::mem::replace(&mut self.inlines, outer);
                    self.inlines.push(Inline::Link { href, children });
                }
            }
            Event::Text(t) | Event::Code(t) => self.inlines.push(Inline::Text { text: t.to_string(), style: self.style }),
            Event::SoftBreak => self.inlines.push(Inline::text(" ")),
            Event::HardBreak => self.inlines.push(Inline::Break),
            Event::End(TagEnd::Heading(level)) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                let text = std::mem::take(&mut self.inlines);
                self.push(Block::Heading { level, text });
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock) => self.end_paragraph(),
            Event::Start(Tag::List(start)) => {
                self.end_paragraph();
                self.lists.push(List { ordered: start.is_some(), start: start.unwrap_or(1) as u32, items: Vec::new() });
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(list) = self.lists.pop() {
                    self.push(Block::List(list));
                }
            }
            Event::Start(Tag::Item | Tag::TableCell) => self.stack.push(Vec::new()),
            Event::End(TagEnd::Item) => {
                self.end_paragraph();
                let item = self.pop();
                if let Some(list) = self.lists.last_mut() {
                    list.items.push(item);
                }
            }
            Event::Start(Tag::Table(_)) => self.tables.push(Table { header: true, rows: Vec::new(), merged: false }),
            Event::Start(Tag::TableHead | Tag::TableRow) => self.tables.iter_mut().last().into_iter().for_each(|t| t.rows.push(Vec::new())),
            Event::End(TagEnd::TableCell) => {
                self.end_paragraph();
                let cell = self.pop();
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(cell);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(table) = self.tables.pop() {
                    self.push(Block::Table(table));
                }
            }
            Event::Start(Tag::Image { .. } | Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => self.dropped = true,
            _ => {}
        }
    }

    /// Ends the paragraph being read (tight list items have no paragraph events).
    fn end_paragraph(&mut self) {
        let inlines = std::mem::take(&mut self.inlines);
        if !super::doc::is_empty(&inlines) {
            let bold = inlines.iter().all(|i| matches!(i, Inline::Text { style, text } if style.bold || text.trim().is_empty()));
            self.push(Block::Paragraph(Para { inlines, bold, size: None }));
        }
    }

    fn push(&mut self, block: Block) {
        if let Some(top) = self.stack.last_mut() {
            top.push(block);
        }
    }

    fn pop(&mut self) -> Vec<Block> {
        if self.stack.len() > 1 {
            self.stack.pop().unwrap_or_default()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_paragraphs_lists_and_standing_out_lines() {
        let doc = read_plain("Background\n\nThe family moved\nthree times.\n\nWhat helps:\n- asking\n- checking again\n1. one\n2. two\n");
        assert!(matches!(&doc.blocks[0], Block::Paragraph(p) if p.bold));
        assert!(matches!(&doc.blocks[1], Block::Paragraph(p) if super::super::doc::plain_text(&p.inlines) == "The family moved three times."));
        assert!(matches!(&doc.blocks[3], Block::List(l) if !l.ordered && l.items.len() == 2));
        assert!(matches!(&doc.blocks[4], Block::List(l) if l.ordered && l.items.len() == 2));
    }

    #[test]
    fn markdown_keeps_its_structure() {
        let doc = read_markdown("# Title\n\n## One\n\nSome **bold** and [a link](https://example.org).\n\n- a\n  - b\n\n| h | i |\n|---|---|\n| c | d |\n");
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 1, .. }));
        assert!(matches!(&doc.blocks[2], Block::Paragraph(p) if p.inlines.iter().any(|i| matches!(i, Inline::Link { .. }))));
        let Block::List(list) = &doc.blocks[3] else { panic!("{:?}", doc.blocks[3]) };
        assert!(matches!(&list.items[0][1], Block::List(_)));
        assert!(matches!(&doc.blocks[4], Block::Table(t) if t.rows.len() == 2));
    }
}
