//! The blocks of a Word document (the body, a table cell, a text box or a note): paragraphs
//! with their heading level, lists grouped from numbered paragraphs, and tables.

use std::collections::HashMap;

use super::numbering::{Counters, Item, Numbering};
use super::package::Package;
use super::runs::{resolve_target, Field};
use super::styles::{numbering, Styles};
use super::xml::Element;
use crate::import::doc::{is_empty, Block, Document, Finding, Inline, List, Para, Table};

/// One relationship of a part: where an `r:id` leads.
#[derive(Debug, Clone)]
pub struct Rel {
    pub target: String,
    pub external: bool,
}

pub type Rels = HashMap<String, Rel>;

/// What was met that a person should know about, counted while reading.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub insertions: usize,
    pub deletions: usize,
    pub comment_marks: usize,
    /// Runs of hidden text left out.
    pub hidden_runs: usize,
    /// Content controls still showing their placeholder text, left out.
    pub placeholders: usize,
    /// Embedded parts (`w:altChunk`) that are not HTML, left out.
    pub embedded_left_out: usize,
    pub text_boxes: usize,
    pub field_links: usize,
}

/// The notes parts and their relationships: footnotes and endnotes by id.
#[derive(Default)]
pub struct Notes {
    pub footnotes: HashMap<String, Element>,
    pub endnotes: HashMap<String, Element>,
    pub footnote_rels: Rels,
    pub endnote_rels: Rels,
}

/// Reads blocks from one document's parts, keeping the state that runs across paragraphs:
/// list counts, open fields, notes already numbered.
pub struct Reader<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub package: &'a Package,
    pub rels: &'a Rels,
    pub notes: &'a Notes,
    pub counters: Counters,
    pub fields: Vec<Field>,
    pub counts: Counts,
    pub doc: Document,
    note_index: HashMap<(&'static str, String), usize>,
}

/// A content control (`w:sdt`) that shows Word's grey placeholder text ("Click or tap here to
/// enter text."): a template's blank, not the briefing's text.
pub fn is_placeholder(sdt: &Element) -> bool {
    sdt.child("sdtPr").and_then(|p| p.toggle("showingPlcHdr")).unwrap_or(false)
}

/// A paragraph on its way to becoming a block: list items are grouped after a container's
/// paragraphs are all read.
enum Piece {
    Block(Block),
    Item(Item, Para),
}

impl<'a> Reader<'a> {
    pub fn new(styles: &'a Styles, numbering: &'a Numbering, package: &'a Package, rels: &'a Rels, notes: &'a Notes) -> Reader<'a> {
        Reader {
            styles,
            numbering,
            package,
            rels,
            notes,
            counters: Counters::default(),
            fields: Vec::new(),
            counts: Counts::default(),
            doc: Document::default(),
            note_index: HashMap::new(),
        }
    }

    /// The blocks of a container element, in order.
    pub fn blocks(&mut self, container: &Element) -> Vec<Block> {
        let mut pieces = Vec::new();
        self.pieces(container, &mut pieces);
        group(pieces)
    }

    fn pieces(&mut self, container: &Element, out: &mut Vec<Piece>) {
        for e in container.elements() {
            match e.name.as_str() {
                "p" => self.paragraph(e, out),
                "tbl" => {
                    let table = self.table(e);
                    out.push(Piece::Block(table));
                }
                "sdt" if is_placeholder(e) => self.counts.placeholders += 1,
                "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" => self.pieces(e, out),
                "altChunk" => self.alt_chunk(e, out),
                "del" | "moveFrom" => self.counts.deletions += 1,
                _ => {}
            }
        }
    }

    /// A part shown in place (`w:altChunk`), as programs that write Word files embed HTML; Word
    /// converts it when it saves. An HTML part is read in place; another kind is counted.
    fn alt_chunk(&mut self, e: &Element, out: &mut Vec<Piece>) {
        let part = e.attr("id").and_then(|id| self.rels.get(id)).filter(|r| !r.external).map(|r| resolve_target(&r.target));
        let html = part.filter(|p| [".htm", ".html", ".xhtml"].iter().any(|x| p.to_ascii_lowercase().ends_with(x)));
        match html.as_deref().and_then(|p| self.package.part(p)) {
            Some(bytes) => out.extend(crate::import::html::blocks_of(&String::from_utf8_lossy(bytes)).into_iter().map(Piece::Block)),
            None => self.counts.embedded_left_out += 1,
        }
    }

    fn paragraph(&mut self, p: &Element, out: &mut Vec<Piece>) {
        let ppr = p.child("pPr");
        let look = ppr.and_then(|x| x.val("pStyle")).map(|id| self.styles.look(id)).unwrap_or_default();
        let heading = look.heading.or_else(|| ppr.and_then(|x| x.val("outlineLvl")).and_then(|v| v.parse::<u8>().ok()).filter(|l| *l < 9).map(|l| l + 1));
        let runs = self.runs(p, &look);
        let inlines = tidy_breaks(runs.inlines);
        let boxes = runs.boxes;
        if !is_empty(&inlines) {
            let para = Para { inlines, bold: runs.any_text && runs.all_bold, size: runs.size };
            let list = ppr.and_then(numbering).or(look.numbering.clone()).filter(|(id, _)| id != "0");
            match (heading, list) {
                (Some(0), _) if self.doc.title.is_none() => self.doc.title = Some(crate::import::doc::plain_text(&para.inlines).trim().to_string()),
                (Some(level), _) if level > 0 => out.push(Piece::Block(Block::Heading { level, text: para.inlines })),
                (_, Some((id, level))) => match self.numbering.next(&mut self.counters, &id, level) {
                    Some(item) => out.push(Piece::Item(item, para)),
                    None => out.push(Piece::Block(Block::Paragraph(para))),
                },
                _ => out.push(Piece::Block(Block::Paragraph(para))),
            }
        }
        out.extend(boxes.into_iter().map(Piece::Block));
    }

    fn table(&mut self, tbl: &Element) -> Block {
        let mut table = Table { header: false, rows: Vec::new(), merged: false };
        for (i, tr) in tbl.children_named("tr").enumerate() {
            if i == 0 {
                table.header = tr.child("trPr").and_then(|p| p.child("tblHeader")).is_some();
            }
            let mut row = Vec::new();
            for tc in tr.children_named("tc") {
                let pr = tc.child("tcPr");
                let span: usize = pr.and_then(|p| p.val("gridSpan")).and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                let vmerge = pr.and_then(|p| p.child("vMerge"));
                let continues = vmerge.is_some_and(|v| v.attr("val").is_none_or(|v| v == "continue"));
                table.merged |= span > 1 || vmerge.is_some();
                let blocks = self.blocks(tc);
                row.push(if continues { Vec::new() } else { blocks });
                row.extend(std::iter::repeat_with(Vec::new).take(span - 1));
            }
            table.rows.push(row);
        }
        Block::Table(table)
    }

    /// The index in `doc.notes` of footnote or endnote `id`, reading it the first time.
    pub fn note(&mut self, kind: &'static str, id: &str) -> Option<usize> {
        if let Some(&i) = self.note_index.get(&(kind, id.to_string())) {
            return Some(i);
        }
        let notes = self.notes;
        let (element, rels) = match kind {
            "footnote" => (notes.footnotes.get(id)?, &notes.footnote_rels),
            _ => (notes.endnotes.get(id)?, &notes.endnote_rels),
        };
        let index = self.doc.notes.len();
        self.doc.notes.push(Vec::new());
        self.note_index.insert((kind, id.to_string()), index);
        let saved = std::mem::replace(&mut self.rels, rels);
        let fields = std::mem::take(&mut self.fields);
        let blocks = self.blocks(element);
        self.fields = fields;
        self.rels = saved;
        self.doc.notes[index] = blocks;
        Some(index)
    }

    /// Records something left for a person, once per code.
    pub fn findings_note(&mut self, code: &'static str, message: &str) {
        if !self.doc.findings.iter().any(|f| f.code == code) {
            self.doc.findings.push(Finding::new(code, message));
        }
    }
}

/// Drops line breaks used for spacing: at the start or end of a paragraph, and repeats.
fn tidy_breaks(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let blank_so_far = is_empty(&out);
        let after_break = matches!(out.last(), Some(Inline::Break));
        if matches!(inline, Inline::Break) && (blank_so_far || after_break) {
            continue;
        }
        out.push(inline);
    }
    while matches!(out.last(), Some(Inline::Break)) || matches!(out.last(), Some(Inline::Text { text, .. }) if text.trim().is_empty()) {
        out.pop();
    }
    out
}

/// Turns runs of list items into (nested) lists.
fn group(pieces: Vec<Piece>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut items: Vec<(Item, Para)> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Item(item, para) => items.push((item, para)),
            Piece::Block(block) => {
                flush(&mut items, &mut out);
                out.push(block);
            }
        }
    }
    flush(&mut items, &mut out);
    out
}

fn flush(items: &mut Vec<(Item, Para)>, out: &mut Vec<Block>) {
    let mut iter = std::mem::take(items).into_iter().peekable();
    while let Some((first, _)) = iter.peek() {
        let level = first.level;
        out.extend(lists(&mut iter, level).into_iter().map(Block::List));
    }
}

/// The lists at `level` from the items that follow, with deeper items nested in the item
/// before them. A change of bullet or number, of list, or a restart begins a new list.
fn lists(items: &mut std::iter::Peekable<std::vec::IntoIter<(Item, Para)>>, level: u8) -> Vec<List> {
    let mut lists: Vec<List> = Vec::new();
    let mut last: Option<Item> = None;
    while let Some((item, _)) = items.peek() {
        if item.level < level {
            break;
        }
        let (item, para) = items.next().expect("peeked");
        let continues = last.is_some_and(|l| l.ordered == item.ordered && l.list == item.list && (!item.ordered || item.number == l.number + 1));
        if !continues || lists.is_empty() {
            lists.push(List { ordered: item.ordered, start: item.number, items: Vec::new() });
        }
        let mut blocks = vec![Block::Paragraph(para)];
        if let Some((next, _)) = items.peek() {
            if next.level > level {
                let deeper = next.level;
                blocks.extend(lists_below(items, deeper));
            }
        }
        lists.last_mut().expect("pushed").items.push(blocks);
        last = Some(item);
    }
    lists
}

fn lists_below(items: &mut std::iter::Peekable<std::vec::IntoIter<(Item, Para)>>, level: u8) -> Vec<Block> {
    lists(items, level).into_iter().map(Block::List).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(level: u8, ordered: bool, number: u32) -> Piece {
        Piece::Item(Item { ordered, number, level, list: 0 }, Para::plain(vec![Inline::text(format!("{level}-{number}"))]))
    }

    #[test]
    fn items_nest_by_level_and_restarts_split_lists() {
        let blocks = group(vec![item(0, true, 1), item(1, false, 1), item(1, false, 1), item(0, true, 2), item(0, true, 1)]);
        assert_eq!(blocks.len(), 2, "a restart begins a second list: {blocks:#?}");
        let Block::List(first) = &blocks[0] else { panic!() };
        assert_eq!((first.ordered, first.start, first.items.len()), (true, 1, 2));
        let Block::List(nested) = &first.items[0][1] else { panic!("nested list") };
        assert_eq!((nested.ordered, nested.items.len()), (false, 2));
    }

    #[test]
    fn spacing_breaks_are_dropped() {
        let t = |s: &str| Inline::text(s);
        let tidy = tidy_breaks(vec![Inline::Break, t("a"), Inline::Break, Inline::Break, t("b"), Inline::Break, t(" ")]);
        assert_eq!(tidy, vec![t("a"), Inline::Break, t("b")]);
    }
}
