//! Structure that the source does not mark: headings without heading styles, a 7-minute
//! briefing's seven numbered boxes, the title, and heading levels as the site wants them.
//!
//! Word files often have no heading styles: a heading is then a short paragraph that is
//! wholly bold, or larger than the body text, or numbered ("1. Background") and followed by
//! body text. A 7-minute briefing is often a page of seven numbered boxes (table cells or
//! text boxes): those become seven sections in the order of their numbers.

use super::doc::{plain_text, Block, Document, Inline, List, Para, Style, Table};

/// What shaping found, for the format guess and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Where the title came from: "the Title style", "the first heading", ...
    pub title_from: Option<&'static str>,
    /// Sections that were numbered in the source (boxes or "1. Background").
    pub numbered_sections: usize,
    /// Sections made from numbered boxes.
    pub boxes: usize,
}

/// A heading written no longer than this is a heading; longer is a sentence.
const MAX_HEADING_WORDS: usize = 12;
const MAX_HEADING_CHARS: usize = 90;

/// Shapes `doc` in place: numbered boxes into sections, pseudo-headings into headings, the
/// title out of the blocks, heading levels from 1 without gaps, text boxes unwrapped.
pub fn shape(doc: &mut Document) -> Shape {
    let mut shape = Shape::default();
    if doc.title.is_some() {
        shape.title_from = Some("the Title style");
    }
    shape.boxes = numbered_boxes(&mut doc.blocks);
    unwrap_boxes(&mut doc.blocks);
    if shape.boxes == 0 && !doc.blocks.iter().any(|b| matches!(b, Block::Heading { .. })) {
        pseudo_headings(&mut doc.blocks);
    }
    shape.numbered_sections = strip_numbers(&mut doc.blocks).max(shape.boxes);
    if doc.title.is_none() {
        if let Some(title) = take_title(&mut doc.blocks) {
            doc.title = Some(title);
            shape.title_from = Some("the first heading");
        }
    }
    normalise_levels(&mut doc.blocks);
    shape
}

/// "3. Background" or "3 Background" or "3" as (3, "Background"); `None` for other text and
/// for "7 minute briefing".
pub fn numbered(text: &str) -> Option<(u32, &str)> {
    let text = text.trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return None;
    }
    let number: u32 = text[..digits].parse().ok()?;
    let rest = &text[digits..];
    let rest = rest.strip_prefix(['.', ')', ':']).unwrap_or(rest);
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let rest = rest.trim();
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("minute") || lower.starts_with("min ") || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((number, rest))
}

/// A box: where it is (block index, and cell for tables) and its blocks.
struct Candidate {
    block: usize,
    number: u32,
    title: Vec<Inline>,
    body: Vec<Block>,
}

/// Finds numbered boxes (text boxes and table cells) numbered 1 to N (5 to 9 of them, each
/// once) and makes them sections, in number order, after the other text. Returns N, or 0
/// when the document is not laid out in boxes.
fn numbered_boxes(blocks: &mut Vec<Block>) -> usize {
    let mut candidates = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Boxed(inner) => candidates.extend(as_box(i, inner)),
            Block::Table(table) => candidates.extend(table.rows.iter().flatten().filter_map(|cell| as_box(i, cell))),
            _ => {}
        }
    }
    let mut numbers: Vec<u32> = candidates.iter().map(|c| c.number).collect();
    numbers.sort_unstable();
    let n = numbers.len();
    if !(5..=9).contains(&n) || numbers.iter().enumerate().any(|(i, &k)| k != i as u32 + 1) {
        return 0;
    }
    let holders: Vec<usize> = candidates.iter().map(|c| c.block).collect();
    let mut intro = Vec::new();
    let mut trailing = Vec::new();
    let last_holder = *holders.iter().max().unwrap_or(&0);
    for (i, block) in std::mem::take(blocks).into_iter().enumerate() {
        if holders.contains(&i) {
            intro.extend(leftovers(block));
        } else if i > last_holder {
            trailing.push(block);
        } else {
            intro.push(block);
        }
    }
    candidates.sort_by_key(|c| c.number);
    *blocks = intro;
    for c in candidates {
        blocks.push(Block::Heading { level: 1, text: c.title });
        blocks.extend(c.body.into_iter().map(demote));
    }
    blocks.extend(trailing);
    n
}

/// The blocks of a box, if it starts with a number and a title ("1. Background", or "1" then
/// "Background" as the next paragraph).
fn as_box(block: usize, inner: &[Block]) -> Option<Candidate> {
    let (first, rest) = inner.split_first()?;
    let inlines = match first {
        Block::Paragraph(p) => &p.inlines,
        Block::Heading { text, .. } => text,
        _ => return None,
    };
    let text = plain_text(inlines);
    let (number, title) = numbered(&text)?;
    if title.is_empty() {
        let (Block::Paragraph(Para { inlines, .. }) | Block::Heading { text: inlines, .. }) = rest.first()? else { return None };
        if !short(&plain_text(inlines)) {
            return None;
        }
        return Some(Candidate { block, number, title: unstyled(inlines), body: rest[1..].to_vec() });
    }
    short(title).then(|| Candidate { block, number, title: vec![Inline::text(title)], body: rest.to_vec() })
}

/// What a box-holding block keeps besides its boxes: a table's other cells, as paragraphs.
fn leftovers(block: Block) -> Vec<Block> {
    match block {
        Block::Table(Table { rows, .. }) => rows.into_iter().flatten().filter(|cell| as_box(0, cell).is_none()).flatten().collect(),
        Block::Boxed(inner) if as_box(0, &inner).is_none() => inner,
        _ => Vec::new(),
    }
}

/// Headings inside a box become its subsections.
fn demote(block: Block) -> Block {
    match block {
        Block::Heading { level, text } => Block::Heading { level: level.max(1) + 1, text },
        other => other,
    }
}

fn unwrap_boxes(blocks: &mut Vec<Block>) {
    let mut out = Vec::with_capacity(blocks.len());
    for block in std::mem::take(blocks) {
        match block {
            Block::Boxed(mut inner) => {
                unwrap_boxes(&mut inner);
                out.extend(inner);
            }
            other => out.push(other),
        }
    }
    *blocks = out;
}

fn short(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.chars().count() <= MAX_HEADING_CHARS && text.split_whitespace().count() <= MAX_HEADING_WORDS
}

/// A paragraph that could be a heading by its words: short, and not a sentence.
fn heading_like(text: &str) -> bool {
    let text = text.trim_end();
    let question = text.ends_with('?') && text.split_whitespace().count() <= 8;
    short(text) && (question || !text.ends_with(['.', ',', ';', '?', '!']))
}

/// The text of a block if it is body text: a paragraph, list or table.
fn is_body(block: Option<&Block>) -> bool {
    matches!(block, Some(Block::Paragraph(_) | Block::List(_) | Block::Table(_)))
}

/// Which kind of pseudo-heading a paragraph is; larger sizes rank first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    Larger(std::cmp::Reverse<u32>),
    BoldOrNumbered,
}

/// Short bold, larger or numbered paragraphs followed by body text become headings (the
/// largest first in rank), and one-item numbered lists between paragraphs ("1. Background"
/// numbered by Word) too, when there are at least two of them.
fn pseudo_headings(blocks: &mut [Block]) {
    let body = body_size(blocks);
    let mut weights: Vec<Option<Weight>> = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let next_is_body = is_body(blocks.get(i + 1));
        let weight = match block {
            Block::Paragraph(p) if heading_like(&plain_text(&p.inlines)) => {
                let text = plain_text(&p.inlines);
                match (p.size, body) {
                    (Some(size), Some(body)) if size >= body + 2 => Some(Weight::Larger(std::cmp::Reverse(size))),
                    _ if (p.bold || numbered(&text).is_some_and(|(_, t)| !t.is_empty())) && next_is_body => Some(Weight::BoldOrNumbered),
                    _ => None,
                }
            }
            Block::List(list) if numbered_item(list).is_some() && matches!(blocks.get(i + 1), Some(Block::Paragraph(_))) => Some(Weight::BoldOrNumbered),
            _ => None,
        };
        weights.push(weight);
    }
    let list_headings = blocks.iter().zip(&weights).filter(|(b, w)| matches!(b, Block::List(_)) && w.is_some()).count();
    let mut ranks: Vec<Weight> = weights.iter().flatten().copied().collect();
    ranks.sort();
    ranks.dedup();
    for (block, weight) in blocks.iter_mut().zip(weights) {
        let Some(weight) = weight else { continue };
        let level = ranks.iter().position(|w| *w == weight).unwrap_or(0).min(2) as u8 + 1;
        let text = match block {
            Block::Paragraph(p) => unstyled(&p.inlines),
            Block::List(list) if list_headings >= 2 => match numbered_item(list) {
                Some(inlines) => {
                    let mut text = vec![Inline::text(format!("{}. ", list.start))];
                    text.extend(unstyled(inlines));
                    text
                }
                None => continue,
            },
            _ => continue,
        };
        *block = Block::Heading { level, text };
    }
}

/// The inlines of a one-item ordered list whose item is one short paragraph.
fn numbered_item(list: &List) -> Option<&Vec<Inline>> {
    match list.items.as_slice() {
        [item] if list.ordered => match item.as_slice() {
            [Block::Paragraph(p)] if heading_like(&plain_text(&p.inlines)) => Some(&p.inlines),
            _ => None,
        },
        _ => None,
    }
}

/// The size (half-points) of most of the body text: paragraphs weighted by their length.
fn body_size(blocks: &[Block]) -> Option<u32> {
    let mut by_size: Vec<(u32, usize)> = Vec::new();
    for block in blocks {
        if let Block::Paragraph(p) = block {
            if let Some(size) = p.size {
                let len = plain_text(&p.inlines).len();
                match by_size.iter_mut().find(|(s, _)| *s == size) {
                    Some(entry) => entry.1 += len,
                    None => by_size.push((size, len)),
                }
            }
        }
    }
    by_size.into_iter().max_by_key(|&(size, len)| (len, std::cmp::Reverse(size))).map(|(size, _)| size)
}

/// Inlines without bold (a heading is bold already), and without a leading space.
fn unstyled(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text, style } => Inline::Text { text: text.clone(), style: Style { bold: false, italic: style.italic } },
            other => other.clone(),
        })
        .collect()
}

/// Takes "1. " off numbered headings (the site numbers sections itself); returns how many
/// top-level headings were numbered.
fn strip_numbers(blocks: &mut [Block]) -> usize {
    let mut count = 0;
    for block in blocks {
        let Block::Heading { level, text } = block else { continue };
        let Some(Inline::Text { text: first, .. }) = text.first_mut() else { continue };
        let Some((_, rest)) = numbered(first).filter(|(_, rest)| !rest.is_empty()) else { continue };
        let digits = first.trim_start().len() - first.trim_start().trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if first.trim_start()[digits..].starts_with(['.', ')', ':', ' ']) {
            *first = rest.to_string();
            count += usize::from(*level == 1);
        }
    }
    count
}

/// The first heading, when it comes before any text and no other heading is as high: it is
/// the document's title.
fn take_title(blocks: &mut Vec<Block>) -> Option<String> {
    let first = blocks.iter().position(|b| matches!(b, Block::Heading { .. }))?;
    let Block::Heading { level, text } = &blocks[first] else { return None };
    let before_text = blocks[..first].iter().all(|b| matches!(b, Block::Heading { .. }));
    let later = || blocks[first + 1..].iter().filter_map(|b| if let Block::Heading { level, .. } = b { Some(*level) } else { None });
    // With no heading after it, a lone heading is as likely a section as a title.
    let highest = later().next().is_some() && later().all(|l| l > *level);
    if !before_text || !highest {
        return None;
    }
    let title = plain_text(text).trim().to_string();
    blocks.remove(first);
    Some(title).filter(|t| !t.is_empty())
}

/// Heading levels from 1 (the site's `##`) without gaps between the levels used.
fn normalise_levels(blocks: &mut [Block]) {
    let mut levels: Vec<u8> = blocks.iter().filter_map(|b| if let Block::Heading { level, .. } = b { Some(*level) } else { None }).collect();
    levels.sort_unstable();
    levels.dedup();
    for block in blocks {
        if let Block::Heading { level, .. } = block {
            *level = levels.iter().position(|l| l == level).unwrap_or(0).min(2) as u8 + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_from_box_and_heading_text() {
        assert_eq!(numbered("1. Background"), Some((1, "Background")));
        assert_eq!(numbered("7) Further information"), Some((7, "Further information")));
        assert_eq!(numbered("3"), Some((3, "")));
        assert_eq!(numbered("2 Why it matters"), Some((2, "Why it matters")));
        assert_eq!(numbered("7 minute briefing"), None);
        assert_eq!(numbered("2024 review"), None);
        assert_eq!(numbered("12ft"), None);
    }

    fn para(text: &str, bold: bool, size: u32) -> Block {
        Block::Paragraph(Para { inlines: vec![Inline::Text { text: text.into(), style: Style { bold, italic: false } }], bold, size: Some(size) })
    }

    #[test]
    fn bold_and_larger_lines_become_headings_and_the_first_the_title() {
        let body = "A longer paragraph of body text that runs on for a sentence or two.";
        let mut doc = Document {
            blocks: vec![para("Child Q: a briefing", true, 36), para("Background", true, 22), para(body, false, 22), para("Learning", true, 22), para(body, false, 22)],
            ..Document::default()
        };
        let shape = shape(&mut doc);
        assert_eq!(doc.title.as_deref(), Some("Child Q: a briefing"));
        assert_eq!(shape.title_from, Some("the first heading"));
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 1, .. }), "{:?}", doc.blocks[0]);
        assert!(matches!(&doc.blocks[2], Block::Heading { level: 1, .. }));
    }
}
