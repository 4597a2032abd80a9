//! The JSON the templates read (`/data.json`): the content, made safe to set (very long
//! words get break opportunities, header fields a sane length), with what the templates
//! cannot work out themselves: each section's key point, which sections `print` chose,
//! whether to try the whole text, the QR code, and which image slot holds which image.

use std::collections::BTreeMap;

use serde::Serialize;

use super::content::{lead, plain_text, words};
use super::engine::Files;
use super::images::{format_of, svg_min_width, ImageInfo};
use super::limits::{too_many_pixels, MAX_AUDIENCE, MAX_INTRO, MAX_PARTNERSHIP, MAX_QUESTION, MAX_QUESTIONS, MAX_SECTION_TITLE, MAX_SUMMARY, MAX_TITLE};
use super::model::{ActionPlan, Assets, Block, Handout, Inline, LogoKind, Pack};
use super::qr;
use super::sentences;
use super::world::{image_path, IMAGE_SLOTS};

/// The type sizes a handout may use, largest first, in quarter points.
pub const SIZES: [f64; 13] = [11.0, 10.75, 10.5, 10.25, 10.0, 9.75, 9.5, 9.25, 9.0, 8.75, 8.5, 8.25, 8.0];
/// The page margin, in millimetres, on every side (office printers print to about 5 mm).
pub const MARGIN_MM: f64 = 10.0;
/// Above this many words a briefing cannot fit one sheet even at 8 pt, so the whole text is
/// not even tried (it would only cost a measurement).
const WHOLE_WORDS: usize = 1_800;

/// A run of this many characters without a space gets break opportunities.
const LONG_WORD: usize = 30;

#[derive(Debug, Clone, Serialize)]
pub struct Payload {
    pub document: DocInfo,
    pub lang: String,
    pub region: Option<String>,
    /// The body text's font family (set by the engine from the fonts it loads).
    pub font: String,
    pub page: Geometry,
    pub logo: Option<LogoInfo>,
    pub sizes: &'static [f64],
    /// How many pages the document has (pack page numbers say "of N").
    pub pages: usize,
    pub cover: Option<Cover>,
    pub sheets: Vec<Sheet>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    pub title: String,
    pub author: String,
}

/// The area inside the margins, and the margin, in millimetres.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    pub margin: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogoInfo {
    pub path: &'static str,
    pub format: &'static str,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub title: String,
    pub partnership: String,
    pub intro: Option<String>,
    pub contents: Vec<ContentsLine>,
    /// How many briefings the pack asked for and left out (see `Pack::left_out`).
    pub left_out: usize,
    /// How many it holds: when it left some out, the most a pack holds.
    pub held: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentsLine {
    pub title: String,
    pub kind: &'static str,
    pub page: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Sheet {
    /// Boxed: a handout's sheet is far larger than an action plan's.
    Handout(Box<HandoutSheet>),
    Plan(PlanSheet),
}

#[derive(Debug, Clone, Serialize)]
pub struct HandoutSheet {
    #[serde(flatten)]
    pub handout: Handout,
    /// The QR code of `url`, as SVG.
    pub qr: Option<String>,
    /// `url` as printed: breakable when it is too long for a line.
    pub url_text: Option<String>,
    /// Image paths as written, to their slots.
    pub images: BTreeMap<String, ImageInfo>,
    /// Each section's key point (indices into its blocks).
    pub keys: Vec<Vec<usize>>,
    /// Each section's words, and its key point's: the templates' first guess at a size.
    pub words: Vec<usize>,
    pub key_words: Vec<usize>,
    /// The words of each block of each section (the fill skips blocks too long to fit).
    pub block_words: Vec<Vec<usize>>,
    /// The sections `print` chose (indices), in order.
    pub chosen: Vec<usize>,
    pub try_whole: bool,
    /// The page number in a pack.
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSheet {
    #[serde(flatten)]
    pub plan: ActionPlan,
    pub page: Option<usize>,
}

impl Payload {
    /// Without logo and images (after Typst could not decode one of them).
    pub fn strip_pictures(&mut self) {
        self.logo = None;
        for sheet in &mut self.sheets {
            if let Sheet::Handout(h) = sheet {
                h.images.clear();
            }
        }
    }
}

/// What a payload is made with: the files and the notes gathered on the way.
pub struct Builder<'a> {
    assets: &'a Assets<'a>,
    pub files: Files,
    pub notes: Vec<String>,
}

impl<'a> Builder<'a> {
    pub fn new(assets: &'a Assets<'a>) -> Builder<'a> {
        Builder { assets, files: Files { font: assets.font.clone(), ..Files::default() }, notes: Vec::new() }
    }

    /// The payload of a document titled `title`, in `language`, of `sheets`.
    pub fn payload(&mut self, title: &str, author: &str, language: &str, cover: Option<Cover>, sheets: Vec<Sheet>) -> Payload {
        let (width, height) = self.assets.paper.size_mm();
        let (lang, region) = language_parts(language);
        Payload {
            document: DocInfo { title: title.to_string(), author: author.to_string() },
            lang,
            region,
            font: String::new(),
            page: Geometry { width: width - 2.0 * MARGIN_MM, height: height - 2.0 * MARGIN_MM, margin: MARGIN_MM },
            logo: self.logo(),
            sizes: &SIZES,
            pages: sheets.len() + usize::from(cover.is_some()),
            cover,
            sheets,
        }
    }

    fn logo(&mut self) -> Option<LogoInfo> {
        let logo = self.assets.logo.as_ref()?;
        let expected = match logo.kind {
            LogoKind::Svg => "svg",
            LogoKind::Png => "png",
        };
        if format_of(&logo.bytes) != Some(expected) {
            self.notes.push(format!("the logo is not a {} file: handouts are printed without it", expected.to_uppercase()));
            return None;
        }
        self.files.logo = Some(logo.bytes.clone());
        Some(LogoInfo { path: "/logo", format: expected, alt: clip(&logo.alt, 200) })
    }

    /// A handout's sheet, numbered `page` in a pack.
    pub fn handout(&mut self, h: &Handout, page: Option<usize>) -> Sheet {
        let mut handout = safe_handout(h);
        let mut keys: Vec<Vec<usize>> = Vec::with_capacity(handout.sections.len());
        for section in &mut handout.sections {
            let (blocks, key) = items_apart(std::mem::take(&mut section.blocks));
            section.blocks = blocks;
            keys.push(key);
        }
        let words: Vec<usize> = handout.sections.iter().map(|s| words(&s.blocks)).collect();
        let block_words: Vec<Vec<usize>> = handout.sections.iter().map(|s| s.blocks.iter().map(words_in).collect()).collect();
        let key_words = block_words.iter().zip(&keys).map(|(w, k)| k.iter().map(|&b| w[b]).sum()).collect();
        let chosen = handout.sections.iter().enumerate().filter(|(_, s)| h.print.contains(&s.anchor)).map(|(i, _)| i).collect();
        let try_whole = !h.shortened && words.iter().sum::<usize>() <= WHOLE_WORDS;
        let qr = handout.url.as_deref().and_then(qr_svg);
        let url_text = handout.url.as_deref().map(address_text);
        if handout.url.is_some() && qr.is_none() {
            self.notes.push("the address is too long for a QR code: printed without one".into());
        }
        let mut images = BTreeMap::new();
        for section in &handout.sections {
            self.images(&h.slug, &section.blocks, &mut images);
        }
        handout.print.clear();
        Sheet::Handout(Box::new(HandoutSheet { handout, qr, url_text, images, keys, words, key_words, block_words, chosen, try_whole, page }))
    }

    /// An action plan's sheet.
    pub fn plan(&mut self, plan: &ActionPlan, page: Option<usize>) -> Sheet {
        let mut plan = plan.clone();
        plan.title = soften(&clip(&plan.title, MAX_TITLE));
        if plan.questions.len() > MAX_QUESTIONS {
            self.notes.push(format!("there is room for {MAX_QUESTIONS} questions: the other {} are left out", plan.questions.len() - MAX_QUESTIONS));
        }
        plan.questions = plan.questions.iter().take(MAX_QUESTIONS).map(|q| soften(&clip(q, MAX_QUESTION))).collect();
        plan.return_to = plan.return_to.as_deref().map(|r| soften(&clip(r, 400)));
        Sheet::Plan(PlanSheet { plan, page })
    }

    /// Fills image slots for the images in `blocks` (at any depth).
    fn images(&mut self, slug: &str, blocks: &[Block], map: &mut BTreeMap<String, ImageInfo>) {
        for block in blocks {
            match block {
                Block::Image { path, .. } if !map.contains_key(path) => {
                    if let Some(info) = self.image(slug, path) {
                        map.insert(path.clone(), info);
                    }
                }
                Block::Quote { blocks } => self.images(slug, blocks, map),
                Block::List { items, .. } => items.iter().for_each(|i| self.images(slug, &i.blocks, map)),
                _ => {}
            }
        }
    }

    fn image(&mut self, slug: &str, path: &str) -> Option<ImageInfo> {
        let Some(bytes) = (self.assets.images)(slug, path) else {
            self.notes.push(format!("image {path} not found: left out of the handout"));
            return None;
        };
        let Some(format) = format_of(&bytes) else {
            self.notes.push(format!("image {path} is not a PNG, JPEG, GIF, WebP or SVG file: left out of the handout"));
            return None;
        };
        if self.files.images.len() >= IMAGE_SLOTS {
            self.notes.push(format!("image {path}: more than {IMAGE_SLOTS} images in one PDF, left out"));
            return None;
        }
        if let Some((w, h)) = too_many_pixels(&bytes) {
            self.notes.push(format!("image {path} is {w} by {h} pixels, too large to print: left out of the handout (a copy under 50 million pixels prints)"));
            return None;
        }
        let min_width = (format == "svg").then(|| svg_min_width(&String::from_utf8_lossy(&bytes))).flatten();
        self.files.images.push(bytes);
        Some(ImageInfo { path: image_path(self.files.images.len() - 1), format, min_width })
    }
}

fn words_in(block: &Block) -> usize {
    words(std::slice::from_ref(block))
}

/// The pack's cover and sheets: cover page 1, then each handout and its action plan.
pub fn pack_sheets(b: &mut Builder<'_>, pack: &Pack) -> (Cover, Vec<Sheet>) {
    let mut sheets = Vec::new();
    let mut contents = Vec::new();
    for entry in &pack.entries {
        let page = sheets.len() + 2;
        contents.push(ContentsLine { title: soften(&clip(&entry.handout.title, 300)), kind: "handout", page });
        sheets.push(b.handout(&entry.handout, Some(page)));
        if let Some(plan) = &entry.action_plan {
            contents.push(ContentsLine { title: soften(&clip(&plan.title, 300)), kind: "action plan", page: page + 1 });
            sheets.push(b.plan(plan, Some(page + 1)));
        }
    }
    let cover = Cover {
        title: soften(&clip(&pack.title, MAX_TITLE)),
        partnership: clip(&pack.partnership, MAX_PARTNERSHIP),
        intro: pack.intro.as_deref().map(|i| soften(&clip(i, MAX_INTRO))),
        contents,
        left_out: pack.left_out,
        held: pack.entries.len(),
    };
    (cover, sheets)
}

/// "en-GB" as Typst's language ("en") and region ("GB"); English when it is not a tag.
fn language_parts(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("").to_ascii_lowercase();
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return ("en".into(), Some("GB".into()));
    }
    let region = parts.next().map(str::to_ascii_uppercase).filter(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()));
    (lang, region)
}

/// A QR code of `url` as SVG, with a quiet zone of two modules.
fn qr_svg(url: &str) -> Option<String> {
    let (modules, width) = qr::encode(url.as_bytes())?;
    let svg = qr::svg(&modules, width, "");
    Some(svg.replacen(&format!("viewBox=\"0 0 {width} {width}\""), &format!("viewBox=\"-2 -2 {w} {w}\"", w = width + 4), 1))
}

/// A section's blocks with each list of several items made a list of one item each (numbered
/// on), and its key point (see `content::lead`) in the new blocks: a list's first item. A
/// sheet can then print a long list in part, a box run on between items, and a summary grow
/// item by item, where a list as one block would be printed whole or not at all.
fn items_apart(blocks: Vec<Block>) -> (Vec<Block>, Vec<usize>) {
    let key = lead(&blocks);
    let mut out = Vec::with_capacity(blocks.len());
    let mut new_key = Vec::new();
    for (i, block) in blocks.into_iter().enumerate() {
        if key.contains(&i) {
            new_key.push(out.len());
        }
        match block {
            Block::List { ordered, start, items } if items.len() > 1 => {
                for (k, item) in items.into_iter().enumerate() {
                    out.push(Block::List { ordered, start: start + k as u64, items: vec![item] });
                }
            }
            Block::Paragraph { inlines } => out.extend(sentences::runs(inlines).into_iter().map(|inlines| Block::Paragraph { inlines })),
            other => out.push(other),
        }
    }
    (out, new_key)
}

/// The handout with header fields of a sane length and long words breakable.
fn safe_handout(h: &Handout) -> Handout {
    let mut h = h.clone();
    h.title = soften(&clip(&h.title, MAX_TITLE));
    h.partnership = clip(&h.partnership, MAX_PARTNERSHIP);
    h.format_label = clip(&h.format_label, 60);
    h.published = clip(&h.published, 60);
    h.updated = h.updated.as_deref().map(|u| clip(u, 60));
    h.review_status = h.review_status.as_deref().map(|r| clip(r, 120));
    h.audience = h.audience.as_deref().map(|a| soften(&clip(a, MAX_AUDIENCE)));
    h.summary = h.summary.as_deref().map(|s| soften(&clip(s, MAX_SUMMARY)));
    h.themes = h.themes.iter().map(|t| soften(&clip(t, 120))).collect();
    for section in &mut h.sections {
        section.title = soften(&clip(&section.title, MAX_SECTION_TITLE));
        soften_blocks(&mut section.blocks);
    }
    h
}

fn soften_blocks(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => soften_inlines(inlines),
            Block::List { items, .. } => items.iter_mut().for_each(|i| soften_blocks(&mut i.blocks)),
            Block::Quote { blocks } => soften_blocks(blocks),
            Block::Table { header, rows, longest } => {
                header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|c| soften_inlines(c));
                *longest = longest_words(header, rows);
            }
            Block::Code { text } => *text = soften(text),
            Block::Image { alt, .. } => *alt = clip(alt, 300),
            Block::Rule => {}
        }
    }
}

/// Each column's longest word (the longest run of characters a line cannot break: between
/// spaces, or the zero-width spaces `soften` puts in long runs) in the header and in the body.
fn longest_words(header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> Vec<(String, String)> {
    let columns = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
    let longest = |cells: &mut dyn Iterator<Item = &Vec<Inline>>| {
        let mut best = String::new();
        for cell in cells {
            // Formatting inside a word ("**Confid**entiality") is no place to break a line.
            let text = plain_text(cell);
            for word in text.split(|c: char| c.is_whitespace() || c == '\u{200b}') {
                if word.chars().count() > best.chars().count() {
                    best = word.to_string();
                }
            }
        }
        best
    };
    (0..columns).map(|i| (longest(&mut header.get(i).into_iter()), longest(&mut rows.iter().filter_map(|r| r.get(i))))).collect()
}

fn soften_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => *text = soften(text),
            Inline::Strong { inlines } | Inline::Emphasis { inlines } | Inline::Strike { inlines } | Inline::Link { inlines, .. } => {
                soften_inlines(inlines)
            }
            Inline::Break | Inline::FootnoteRef { .. } => {}
        }
    }
}

/// `text` with a zero-width space every 20 characters of a run of more than `LONG_WORD`
/// characters without a space: a long address or a hostile string wraps instead of running
/// off the column.
pub fn soften(text: &str) -> String {
    if text.len() <= LONG_WORD {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.chars().count() <= LONG_WORD {
            out.push_str(word);
            continue;
        }
        for (n, c) in word.chars().enumerate() {
            if n > 0 && n % 20 == 0 {
                out.push('\u{200b}');
            }
            out.push(c);
        }
    }
    out
}

/// A web address as printed: as it is when it fits a line of the footer, so that it can be
/// copied from the PDF whole; else with a zero-width space after each `/`, where it may wrap.
fn address_text(url: &str) -> String {
    if url.chars().count() <= ADDRESS_FITS {
        return url.to_string();
    }
    url.replace('/', "/\u{200b}").replace("/\u{200b}/\u{200b}", "//")
}

/// About how many characters of an address fit one line of the footer.
const ADDRESS_FITS: usize = 90;

/// At most `max` characters, cut at a space with an ellipsis when longer.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    /// A table's columns are checked against their longest words: a word is broken only
    /// where a line can break (a space, a line break, the zero-width spaces of `soften`),
    /// never where its formatting changes.
    #[test]
    fn a_columns_longest_word_runs_across_formatting() {
        let header = vec![vec![text("Who")], vec![text("What they do")]];
        let glued = vec![Inline::Strong { inlines: vec![text("Confid")] }, text("entiality matters")];
        let rows = vec![vec![vec![text("School nurse")], glued], vec![vec![text("Police"), Inline::Break, text("officer")]]];
        let longest = longest_words(&header, &rows);
        assert_eq!(longest, [("Who".to_string(), "officer".to_string()), ("What".to_string(), "Confidentiality".to_string())]);
        assert_eq!(longest_words(&[], &[vec![vec![text(&soften(&"x".repeat(50)))]]])[0].1.chars().count(), 20);
    }
}
