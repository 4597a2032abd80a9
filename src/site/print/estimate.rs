//! How tall a piece of rendered HTML will be on the one-pager, without a browser.
//!
//! The one-pager sets its text in Arial or a font with the same widths (Liberation Sans,
//! Helvetica, Nimbus Sans: see templates/print.css), so the width of every character is known
//! from Helvetica's published metrics, and lines can be broken here the way the browser breaks
//! them (greedily, at spaces and after hyphens). print.css takes its spacing from `SPACING`.
//! `briefing check --print` measures in a real browser what this estimates.

/// The spacing of the one-pager's text, in em of the text unless named otherwise. print.css
/// gets these values from here (see `print::CssView`), so the two cannot disagree.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Spacing {
    /// CSS `line-height` at the largest and the smallest type size: the leading shrinks with
    /// the type, from generous at 11 pt to Arial's own at the 8 pt floor (see `line_height`).
    pub line_height_max: f64,
    pub line_height_min: f64,
    /// Space after a paragraph, list or table (`margin-bottom`).
    pub block_gap: f64,
    /// Space after a list item.
    pub item_gap: f64,
    /// Indent of a list (`padding-left`).
    pub list_indent: f64,
    /// Indent of a quotation (its border and padding).
    pub quote_indent: f64,
    /// Font size of tables and code, relative to the text.
    pub table_scale: f64,
    pub code_scale: f64,
    /// Padding of a table cell on each side, and of a row (top and bottom together), in em of
    /// the table's text.
    pub cell_pad_x: f64,
    pub cell_pad_y: f64,
    /// Space above a subheading (below it: a third of this).
    pub subheading_gap: f64,
    /// The tallest an image may be, in mm.
    pub image_max_mm: f64,
}

pub const SPACING: Spacing = Spacing {
    line_height_max: 1.25,
    line_height_min: 1.08,
    block_gap: 0.22,
    item_gap: 0.1,
    list_indent: 1.1,
    quote_indent: 0.7,
    table_scale: 0.9,
    code_scale: 0.85,
    cell_pad_x: 0.3,
    cell_pad_y: 0.3,
    subheading_gap: 0.4,
    image_max_mm: 30.0,
};

/// The type sizes between which the leading shrinks, in mm.
const LARGEST_MM: f64 = 11.0 * 25.4 / 72.0;
const SMALLEST_MM: f64 = 8.0 * 25.4 / 72.0;

/// The CSS `line-height` of text `font_mm` big, rounded to a thousandth as the stylesheet has it.
pub fn line_height(font_mm: f64) -> f64 {
    let t = ((font_mm - SMALLEST_MM) / (LARGEST_MM - SMALLEST_MM)).clamp(0.0, 1.0);
    let lh = SPACING.line_height_min + t * (SPACING.line_height_max - SPACING.line_height_min);
    (lh * 1000.0).round() / 1000.0
}

pub const ITEM_GAP: f64 = SPACING.item_gap;
pub const IMAGE_MAX_MM: f64 = SPACING.image_max_mm;
const BLOCK_GAP: f64 = SPACING.block_gap;
const LIST_INDENT: f64 = SPACING.list_indent;
const QUOTE_INDENT: f64 = SPACING.quote_indent;
const TABLE_SCALE: f64 = SPACING.table_scale;
const CODE_SCALE: f64 = SPACING.code_scale;
const CELL_PAD_X: f64 = SPACING.cell_pad_x;
const CELL_PAD_Y: f64 = SPACING.cell_pad_y;
const SUBHEADING_GAP: f64 = SPACING.subheading_gap;

/// Advance widths of Helvetica (= Arial = Liberation Sans), regular and bold, for the printable
/// ASCII characters 32..=126, in 1/1000 em.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, //
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, //
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, //
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, //
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, //
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, //
];

/// The width of `c` in em.
pub fn char_width(c: char, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let units = match c {
        ' '..='~' => table[c as usize - 32],
        '\u{2018}' | '\u{2019}' | '\u{201a}' => 222,
        '\u{201c}' | '\u{201d}' | '\u{201e}' => 333,
        '\u{2013}' => 556,
        '\u{2014}' | '\u{2026}' => 1000,
        '\u{a0}' => 278,
        // Accented letters and most other scripts' letters are about as wide as an average
        // letter; CJK characters are a full em.
        c if (c as u32) >= 0x2e80 => 1000,
        _ => 600,
    };
    f64::from(units) / 1000.0
}

/// A run of text that the browser lays out as lines of its own: a paragraph, a list item's
/// text, a heading, a table row.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text {
        /// Word widths in em, and whether a space follows each word (a hyphen ends a word
        /// without one: the browser may break a line after it).
        words: Vec<(f64, bool)>,
        /// Forced line breaks (`<br>`).
        breaks: usize,
        indent: f64,
        scale: f64,
        /// Space after the run, in em.
        gap: f64,
    },
    /// A table row: each cell's words; cells share the width equally.
    Row { cells: Vec<Vec<(f64, bool)>>, indent: f64 },
    /// Preformatted lines, each wrapped on its own.
    Code { lines: Vec<f64>, indent: f64 },
    Image,
}

impl Run {
    /// The height of the run in mm, set in a column `width_mm` wide at `font_mm` (the font
    /// size in mm) with line height `lh`.
    pub fn height(&self, width_mm: f64, font_mm: f64, lh: f64) -> f64 {
        self.set(width_mm, font_mm, lh).0
    }

    /// `height`, and for text the lines it takes (None for other runs): wrapping is the
    /// costly part, and a caller that wants both should not wrap twice.
    pub fn set(&self, width_mm: f64, font_mm: f64, lh: f64) -> (f64, Option<usize>) {
        let em_width = |indent: f64, scale: f64| ((width_mm / font_mm - indent) / scale).max(1.0);
        let height = match self {
            Run::Text { words, breaks, indent, scale, gap } => {
                let lines = wrap(words, em_width(*indent, *scale)) + breaks;
                return ((lines as f64 * lh * scale + gap) * font_mm, Some(lines));
            }
            Run::Row { cells, indent } => {
                let table_width = em_width(*indent, TABLE_SCALE);
                let cell_width = (table_width / cells.len().max(1) as f64 - 2.0 * CELL_PAD_X).max(1.0);
                let lines = cells.iter().map(|c| wrap(c, cell_width)).max().unwrap_or(1).max(1);
                (lines as f64 * lh + CELL_PAD_Y) * TABLE_SCALE * font_mm
            }
            Run::Code { lines, indent } => {
                let width = em_width(*indent, CODE_SCALE);
                let count: usize = lines.iter().map(|w| (w / width).ceil().max(1.0) as usize).sum();
                (count as f64 * lh * CODE_SCALE + BLOCK_GAP) * font_mm
            }
            Run::Image => IMAGE_MAX_MM + BLOCK_GAP * font_mm,
        };
        (height, None)
    }

    /// How many words the run has (for "cut about N words").
    pub fn words(&self) -> usize {
        match self {
            Run::Text { words, .. } => words.len(),
            Run::Row { cells, .. } => cells.iter().map(Vec::len).sum(),
            Run::Code { lines, .. } => lines.len(),
            Run::Image => 0,
        }
    }
}

/// The number of lines `words` take in a line `width` em wide, breaking as a browser does:
/// greedily, and anywhere inside a word too long for a line (`overflow-wrap: anywhere`).
pub fn wrap(words: &[(f64, bool)], width: f64) -> usize {
    let space = char_width(' ', false);
    let mut lines = 1;
    let mut used = 0.0;
    for &(word, spaced) in words {
        if used > 0.0 && used + word > width {
            lines += 1;
            used = 0.0;
        }
        if word > width {
            lines += (word / width).ceil() as usize - 1;
            used = word % width;
        } else {
            used += word;
        }
        if spaced {
            used += space;
        }
    }
    if words.is_empty() {
        0
    } else {
        lines
    }
}

/// The runs of an HTML fragment as pulldown-cmark writes it (and as most hand-written HTML
/// is): a small scanner over tags, not a full HTML parser. Unknown tags are treated as inline.
pub fn runs(html: &str) -> Vec<Run> {
    let mut scanner = Scanner::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        scanner.text(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        scanner.tag(&rest[lt + 1..lt + gt]);
        rest = &rest[lt + gt + 1..];
    }
    scanner.text(rest);
    scanner.flush(0.0);
    scanner.runs
}

#[derive(Default)]
struct Scanner {
    runs: Vec<Run>,
    /// Words of the text being gathered, and the word being built.
    words: Vec<(f64, bool)>,
    word: f64,
    breaks: usize,
    bold: usize,
    lists: usize,
    quotes: usize,
    heading: bool,
    /// Inside `<pre>`: the text, kept whole to count its lines.
    pre: Option<String>,
    /// Inside a table row: the cells so far.
    row: Option<Vec<Vec<(f64, bool)>>>,
    in_cell: bool,
    /// Inside `<script>` or `<style>`: text that is not shown.
    hidden: bool,
}

impl Scanner {
    fn indent(&self) -> f64 {
        self.lists as f64 * LIST_INDENT + self.quotes as f64 * QUOTE_INDENT
    }

    fn text(&mut self, text: &str) {
        if self.hidden || text.is_empty() {
            return;
        }
        if let Some(pre) = &mut self.pre {
            pre.push_str(&decode(text));
            return;
        }
        let bold = self.bold > 0 || self.heading;
        for c in decode(text).chars() {
            if c.is_whitespace() {
                self.end_word(true);
            } else {
                self.word += char_width(c, bold);
                if c == '-' || c == '\u{2013}' || c == '\u{2014}' {
                    self.end_word(false);
                }
            }
        }
    }

    fn end_word(&mut self, spaced: bool) {
        if self.word > 0.0 {
            self.words.push((self.word, spaced));
            self.word = 0.0;
        } else if spaced {
            if let Some(last) = self.words.last_mut() {
                last.1 = true;
            }
        }
    }

    /// Ends the text gathered so far as a run, followed by `gap` em.
    fn flush(&mut self, gap: f64) {
        self.end_word(true);
        if self.words.is_empty() && self.breaks == 0 {
            self.add_gap(gap);
            return;
        }
        let words = std::mem::take(&mut self.words);
        if self.in_cell {
            // A cell's text waits for the end of its row.
            if let Some(row) = &mut self.row {
                match row.last_mut() {
                    Some(cell) => cell.extend(words),
                    None => row.push(words),
                }
            }
            self.breaks = 0;
            return;
        }
        let scale = 1.0;
        self.runs.push(Run::Text { words, breaks: std::mem::take(&mut self.breaks), indent: self.indent(), scale, gap });
    }

    /// Adds space below the last run (the end of a list after its last item, say).
    fn add_gap(&mut self, gap: f64) {
        if let Some(Run::Text { gap: last, .. }) = self.runs.last_mut() {
            *last = last.max(gap);
        }
    }

    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("script" | "style", _) => self.hidden = !closing,
            ("strong" | "b", false) => self.bold += 1,
            ("strong" | "b", true) => self.bold = self.bold.saturating_sub(1),
            ("br", _) => {
                self.end_word(true);
                self.breaks += 1;
            }
            ("p" | "div" | "dt" | "dd" | "figcaption" | "summary", false) => self.flush(0.0),
            ("p" | "div" | "dt" | "dd" | "figcaption" | "summary", true) => self.flush(BLOCK_GAP),
            ("li", false) => self.flush(0.0),
            ("li", true) => self.flush(ITEM_GAP),
            ("ul" | "ol" | "dl", false) => {
                self.flush(0.0);
                self.lists += 1;
            }
            ("ul" | "ol" | "dl", true) => {
                self.flush(ITEM_GAP);
                self.lists = self.lists.saturating_sub(1);
                self.add_gap(BLOCK_GAP);
            }
            ("blockquote", false) => {
                self.flush(0.0);
                self.quotes += 1;
            }
            ("blockquote", true) => {
                self.flush(BLOCK_GAP);
                self.quotes = self.quotes.saturating_sub(1);
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.flush(0.0);
                self.add_gap(SUBHEADING_GAP);
                self.heading = true;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.flush(SUBHEADING_GAP / 3.0);
                self.heading = false;
            }
            ("pre", false) => {
                self.flush(0.0);
                self.pre = Some(String::new());
            }
            ("pre", true) => {
                if let Some(text) = self.pre.take() {
                    let lines = text.trim_end_matches('\n').lines().map(|l| l.chars().count() as f64 * 0.6).collect();
                    self.runs.push(Run::Code { lines, indent: self.indent() });
                }
            }
            ("tr", false) => {
                self.flush(0.0);
                self.row = Some(Vec::new());
            }
            ("tr", true) => {
                if let Some(cells) = self.row.take() {
                    self.runs.push(Run::Row { cells, indent: self.indent() });
                }
            }
            ("td" | "th", false) => {
                self.end_word(true);
                if name == "th" {
                    self.bold += 1;
                }
                if let Some(row) = &mut self.row {
                    row.push(Vec::new());
                }
                self.in_cell = true;
            }
            ("td" | "th", true) => {
                self.flush(0.0);
                self.in_cell = false;
                if name == "th" {
                    self.bold = self.bold.saturating_sub(1);
                }
            }
            ("table", true) => {
                self.row = None;
                self.in_cell = false;
                self.add_gap(BLOCK_GAP);
            }
            ("img" | "svg" | "video" | "iframe", false) => {
                self.flush(0.0);
                self.runs.push(Run::Image);
            }
            ("hr", _) => self.add_gap(1.0),
            _ => {}
        }
    }
}

/// `text` with its character references decoded, as far as widths care: a named or numeric
/// reference is one character.
fn decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        match after.find(';').filter(|&semi| semi <= 10 && after[1..semi].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')) {
            Some(semi) => {
                out.push(match &after[1..semi] {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "nbsp" => '\u{a0}',
                    _ => 'n',
                });
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_lines(runs: &[Run], width: f64) -> Vec<usize> {
        runs.iter()
            .map(|r| match r {
                Run::Text { words, breaks, .. } => wrap(words, width) + breaks,
                _ => 0,
            })
            .collect()
    }

    #[test]
    fn leading_shrinks_with_the_type() {
        assert_eq!(line_height(SMALLEST_MM), SPACING.line_height_min);
        assert_eq!(line_height(LARGEST_MM), SPACING.line_height_max);
        assert_eq!(line_height(1.0), SPACING.line_height_min, "never below the floor's");
        let middle = line_height((SMALLEST_MM + LARGEST_MM) / 2.0);
        assert!(middle > SPACING.line_height_min && middle < SPACING.line_height_max);
    }

    #[test]
    fn wraps_greedily_at_spaces() {
        // "aaaa" is 4 x 0.556 = 2.224 em; with a space 2.502.
        let words = vec![(2.224, true); 4];
        assert_eq!(wrap(&words, 5.0), 2);
        assert_eq!(wrap(&words, 4.8), 2);
        assert_eq!(wrap(&words, 4.7), 4);
        assert_eq!(wrap(&[], 10.0), 0);
        // A word too long for a line breaks anywhere.
        assert_eq!(wrap(&[(25.0, false)], 10.0), 3);
    }

    #[test]
    fn finds_the_runs_of_paragraphs_lists_and_tables() {
        let html = "<p>One <strong>two</strong> three.</p>\n<ul>\n<li>a<br>b</li>\n<li>\n<p>loose</p>\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n<table><thead><tr><th>x</th><th>y</th></tr></thead><tbody>\n<tr><td>1 2 3</td><td></td></tr>\n</tbody></table>\n<pre><code>a\nb\n</code></pre>\n<p>A &amp; B</p>";
        let runs = runs(html);
        assert_eq!(runs.len(), 8, "{runs:#?}");
        assert_eq!(text_lines(&runs, 100.0), [1, 2, 1, 1, 0, 0, 0, 1]);
        let Run::Text { indent, .. } = &runs[3] else { panic!() };
        assert_eq!(*indent, 2.0 * LIST_INDENT, "a nested item is indented twice");
        let Run::Row { cells, .. } = &runs[5] else { panic!() };
        assert_eq!(cells.iter().map(Vec::len).collect::<Vec<_>>(), [3, 0]);
        let Run::Code { lines, .. } = &runs[6] else { panic!() };
        assert_eq!(lines.len(), 2);
        let Run::Text { words, .. } = &runs[7] else { panic!() };
        assert_eq!(words.len(), 3, "&amp; is one character, one word");
        assert!(runs[0].words() == 3);
    }

    #[test]
    fn bold_text_is_wider() {
        let plain = runs("<p>bold words</p>");
        let bold = runs("<p><strong>bold words</strong></p>");
        let width = |r: &Run| match r {
            Run::Text { words, .. } => words.iter().map(|w| w.0).sum::<f64>(),
            _ => 0.0,
        };
        assert!(width(&bold[0]) > width(&plain[0]));
    }

    #[test]
    fn long_urls_break_and_hyphens_allow_breaks() {
        let runs = runs("<p>https://example.org/a/very/long/path well-known</p>");
        let Run::Text { words, .. } = &runs[0] else { panic!() };
        assert_eq!(words.len(), 3, "a URL is one word; a hyphen ends one: {words:?}");
        assert_eq!((words[0].1, words[1].1), (true, false));
        assert_eq!(wrap(words, 10.0), 1 + (words[0].0 / 10.0).ceil() as usize, "the URL breaks anywhere");
    }
}
