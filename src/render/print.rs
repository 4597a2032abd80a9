//! The printable one-pager (`briefings/<slug>/print.html`): what goes on it, how big the type
//! is, and how it is laid out, decided here so that it fits one sheet of paper.
//!
//! A 7-minute briefing prints all its sections as numbered boxes. The other formats print
//! their summary, audience and key points (the first paragraph or list of each section), or
//! the sections that the front matter's `print` field names. The items go into one or two
//! columns, split so that the columns are about as tall as each other, and the type steps down
//! from 11 pt to a floor of 8 pt until the estimate (see `estimate`) fits the sheet.
//!
//! What does not fit even at 8 pt is never dropped silently: trailing key points are left out
//! and listed by title ("Also in the full briefing"), the longest boxes are cut short with an
//! ellipsis and "Continues in the full briefing", and `print_warnings` reports it. The sheet
//! itself is one page tall in print.css and cannot spill onto a second sheet; if the estimate
//! were ever wrong, print.css shows a notice where the text is cut, and `briefing check
//! --print` measures every one-pager in a real browser.

pub mod estimate;

use serde::Serialize;

use crate::config::{Config, Paper};
use crate::diagnostics::Diagnostic;
use crate::model::{Briefing, BlockKind, DateView, Format, Site};
use estimate::Run;

use super::views::{FormatView, ThemeLink};

/// The type sizes, in points, from the largest to the floor, in quarter points so that the
/// text fills the sheet. A one-pager gets the first that
/// fits; print.css has a `density-N` class for each (N counts from 1).
pub const STEPS: [f32; 13] = [11.0, 10.75, 10.5, 10.25, 10.0, 9.75, 9.5, 9.25, 9.0, 8.75, 8.5, 8.25, 8.0];
pub const FLOOR_PT: f32 = 8.0;
const MM_PER_PT: f32 = 25.4 / 72.0;

/// The page and the fixed parts of the sheet, in millimetres. print.css gets these numbers
/// from here (see `Geometry::css`), so the estimate and the stylesheet cannot disagree.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Geometry {
    pub paper: &'static str,
    pub page_width: f32,
    pub page_height: f32,
    pub margin_x: f32,
    pub margin_y: f32,
    /// The sheet: the page inside its margins, less a millimetre so that rounding in the
    /// browser can never push it onto a second page.
    pub sheet_width: f32,
    pub sheet_height: f32,
    pub column_gap: f32,
    pub box_gap: f32,
    pub box_pad_x: f32,
    pub box_pad_y: f32,
    pub box_border: f32,
    /// An item that flows (key points, chosen sections) has a rule above it, then this much
    /// space (the rule included).
    pub rule_pad: f32,
    /// The header band: partnership line, title, and the format and date at the side.
    pub header_meta_width: f32,
    pub header_gap: f32,
    /// The footer (web address, themes, QR code) has a fixed height, with or without a code.
    pub footer_height: f32,
    pub footer_height_no_qr: f32,
    pub qr_size: f32,
    /// The strip at the bottom of the body that hides the "text continues" notice while the
    /// text fits (see print.css).
    pub notice_height: f32,
}

/// Point sizes and line heights of the header, in print.css too.
const PARTNERSHIP_PT: f32 = 8.5;
const TITLE_PT: f32 = 16.0;
const TITLE_LINE_HEIGHT: f32 = 1.1;
const META_PT: f32 = 8.5;
const HEADER_PAD: f32 = 2.0;
const HEADER_RULE: f32 = 0.8;
/// A box's number and title, in em of the box's text.
/// A box's number: a square badge `NUMBER_SIZE_EM` of its own type (`NUMBER_FONT_EM`) high and
/// at least as wide, with `NUMBER_PAD_EM` either side of the digits, then a gap before the title.
const NUMBER_FONT_EM: f32 = 1.5;
const NUMBER_SIZE_EM: f32 = 1.4;
const NUMBER_PAD_EM: f32 = 0.2;
const NUMBER_GAP_EM: f32 = 0.45;
/// The badge's height in em of the box's text.
const NUMBER_EM: f32 = NUMBER_FONT_EM * NUMBER_SIZE_EM;
const BOX_TITLE_EM: f32 = 1.05;
const BOX_TITLE_LINE_HEIGHT: f32 = 1.15;
const BOX_HEAD_GAP_EM: f32 = 0.25;
/// The summary's size, in em.
const SUMMARY_EM: f32 = 1.15;
const LEAD_GAP_EM: f32 = 0.6;
/// "Continues in the full briefing" and "Also in the full briefing", in em.
const NOTE_EM: f32 = 0.9;
/// What the estimate keeps in hand for what it cannot know (a browser's own rounding).
const SAFETY: f32 = 0.985;

impl Geometry {
    pub fn new(paper: Paper) -> Geometry {
        let (page_width, page_height, name) = match paper {
            Paper::A4 => (210.0, 297.0, "A4"),
            Paper::Letter => (215.9, 279.4, "letter"),
        };
        let (margin_x, margin_y) = (10.0, 10.0);
        Geometry {
            paper: name,
            page_width,
            page_height,
            margin_x,
            margin_y,
            sheet_width: page_width - 2.0 * margin_x,
            sheet_height: page_height - 2.0 * margin_y - 1.0,
            column_gap: 3.5,
            box_gap: 2.2,
            box_pad_x: 2.2,
            box_pad_y: 1.6,
            box_border: 0.35,
            rule_pad: 1.6,
            header_meta_width: 44.0,
            header_gap: 3.0,
            footer_height: 21.0,
            footer_height_no_qr: 12.0,
            qr_size: 19.0,
            notice_height: 5.0,
        }
    }

    fn column_width(&self, columns: usize) -> f32 {
        let n = columns.max(1) as f32;
        (self.sheet_width - (n - 1.0) * self.column_gap) / n
    }

}

/// How the one-pager lays out its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A 7-minute briefing: every section in a numbered box.
    Boxes,
    /// Summary, audience and the first paragraph or list of each section.
    KeyPoints,
    /// The sections named by the front matter's `print` field, whole.
    Chosen,
}

/// One numbered item on the one-pager: a section, whole or its key point.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into the briefing's sections.
    pub section: usize,
    /// The byte range of the section's HTML that is printed.
    pub html: std::ops::Range<usize>,
    /// Shown only up to this many lines (`-webkit-line-clamp`), then "Continues in the full
    /// briefing". None: shown whole.
    pub clamp: Option<usize>,
}

/// What goes on a briefing's one-pager and how, decided from the amount of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub layout: Layout,
    /// Index into `STEPS`.
    pub step: usize,
    /// The items, column by column.
    pub columns: Vec<Vec<Item>>,
    /// Sections whose key point did not fit (KeyPoints only), listed by title instead.
    pub left_out: Vec<usize>,
    /// Roughly how many words of the promised text are not on the sheet: 0 when all fits.
    pub words_over: usize,
    /// The estimated height of the items and notes, and the room for them, in mm.
    pub used: f32,
    pub room: f32,
}

impl Plan {
    pub fn font_pt(&self) -> f32 {
        STEPS[self.step]
    }

    pub fn fits(&self) -> bool {
        self.words_over == 0
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.columns.iter().flatten()
    }
}

/// Plans the one-pager of `b` on the site's paper.
pub fn plan(b: &Briefing, config: &Config) -> Plan {
    let g = Geometry::new(config.paper);
    let layout = match b.format {
        Format::SevenMinute if b.print.is_empty() => Layout::Boxes,
        _ if !b.print.is_empty() => Layout::Chosen,
        _ => Layout::KeyPoints,
    };
    let candidates: Vec<Candidate> = match layout {
        Layout::Boxes => (0..b.sections.len()).map(|i| Candidate::whole(b, i)).collect(),
        Layout::Chosen => b
            .print
            .iter()
            .filter_map(|anchor| b.sections.iter().position(|s| &s.anchor == anchor))
            .map(|i| Candidate::whole(b, i))
            .collect(),
        Layout::KeyPoints => (0..b.sections.len()).filter_map(|i| Candidate::key_point(b, i)).collect(),
    };
    let has_qr = config.base_url.is_some();
    let page = Page { g, b, layout, has_qr };
    // The largest type at which everything fits.
    for step in 0..STEPS.len() {
        let (columns, used, room) = page.arrange(&candidates, step, None, &[]);
        if std::env::var_os("BRIEFING_DEBUG_ITEMS").is_some() { eprintln!("STEP {} {step} used={used:.1} room={room:.1}", b.slug); }
        if used <= room {
            return Plan { layout, step, columns, left_out: Vec::new(), words_over: 0, used, room };
        }
    }
    let floor = STEPS.len() - 1;
    match layout {
        Layout::KeyPoints => page.fewer_key_points(&candidates, floor),
        Layout::Boxes | Layout::Chosen => page.clamped(&candidates, floor),
    }
}

/// A section that may go on the sheet, with its text's runs for the estimate.
struct Candidate {
    section: usize,
    html: std::ops::Range<usize>,
    runs: Vec<Run>,
    title_words: Vec<(f32, bool)>,
}

impl Candidate {
    fn whole(b: &Briefing, i: usize) -> Candidate {
        let body = &b.sections[i].body;
        Candidate::new(b, i, 0..body.html.len())
    }

    /// The first paragraph or list of section `i`, with the list that follows when the
    /// paragraph introduces it ("Three questions help:"). None for a section without either.
    fn key_point(b: &Briefing, i: usize) -> Option<Candidate> {
        let body = &b.sections[i].body;
        let first = body.blocks.iter().position(|bl| bl.kind != BlockKind::Other)?;
        let mut range = body.blocks[first].html.clone();
        if body.blocks[first].kind == BlockKind::Paragraph {
            let text = body.block_html(&body.blocks[first]).trim_end();
            let introduces = text.strip_suffix("</p>").is_some_and(|t| t.trim_end().ends_with(':'));
            if let Some(next) = body.blocks.get(first + 1).filter(|n| introduces && n.kind == BlockKind::List) {
                range.end = next.html.end;
            }
        }
        Some(Candidate::new(b, i, range))
    }

    fn new(b: &Briefing, i: usize, html: std::ops::Range<usize>) -> Candidate {
        let section = &b.sections[i];
        let title_html = format!("<p><strong>{}</strong></p>", crate::source::markdown::escape_html(&section.title));
        let title_words = match estimate::runs(&title_html).pop() {
            Some(Run::Text { words, .. }) => words,
            _ => Vec::new(),
        };
        let runs = estimate::runs(&section.body.html[html.clone()]);
        Candidate { section: i, html, runs, title_words }
    }

    fn words(&self) -> usize {
        self.runs.iter().map(Run::words).sum()
    }
}

/// What the height of a one-pager depends on.
struct Page<'a> {
    g: Geometry,
    b: &'a Briefing,
    layout: Layout,
    has_qr: bool,
}

impl Page<'_> {
    /// Lays out `candidates` at type step `step`, each cut to `clamp` lines when given, with
    /// a note listing `left_out`. Returns the columns, the height they need and the room
    /// there is, in mm.
    fn arrange(&self, candidates: &[Candidate], step: usize, clamp: Option<usize>, left_out: &[usize]) -> (Vec<Vec<Item>>, f32, f32) {
        let font = STEPS[step] * MM_PER_PT;
        let ncols = self.columns_for(candidates.len());
        let text_width = self.text_width(ncols);
        let (mut items, heights): (Vec<Item>, Vec<f32>) = candidates
            .iter()
            .map(|c| {
                let (body, lines) = body_height(&c.runs, text_width, font, clamp);
                let clamp = clamp.filter(|&n| lines > n);
                let height = self.item_chrome(c, text_width, font, clamp.is_some()) + body;
                if std::env::var_os("BRIEFING_DEBUG_ITEMS").is_some() {
                    eprintln!("ITEM {} step={step} {} chrome={:.1} body={:.1} lines={lines} width={text_width:.1}", self.b.slug, c.section, self.item_chrome(c, text_width, font, clamp.is_some()), body);
                }
                (Item { section: c.section, html: c.html.clone(), clamp }, height)
            })
            .unzip();
        let (columns, used_items) = if self.layout == Layout::Boxes {
            // Boxes stay whole, in columns split where they balance best.
            let split = balanced_split(&heights, ncols);
            let column_height = |r: std::ops::Range<usize>| {
                heights[r.clone()].iter().sum::<f32>() + r.len().saturating_sub(1) as f32 * self.g.box_gap
            };
            let used = column_height(0..split).max(column_height(split..heights.len()));
            let second = items.split_off(split);
            (if second.is_empty() { vec![items] } else { vec![items, second] }, used)
        } else {
            // Items flow through the columns, which the browser balances: each column takes
            // half, give or take what cannot be split (a heading kept with two lines, a row).
            let total: f32 = heights.iter().sum();
            let used = if ncols > 1 { total / ncols as f32 + self.flow_slack(candidates, text_width, font) } else { total };
            (vec![items], used)
        };
        let used = used_items + self.notes_height(left_out, font);
        (columns, used, self.room(font) * SAFETY)
    }

    fn columns_for(&self, n: usize) -> usize {
        match self.layout {
            Layout::Boxes if n <= 2 => 1,
            _ => 2,
        }
    }

    /// The width of an item's text with `ncols` columns: boxes have borders and padding.
    fn text_width(&self, ncols: usize) -> f32 {
        let column = self.g.column_width(ncols);
        match self.layout {
            Layout::Boxes => column - 2.0 * (self.g.box_pad_x + self.g.box_border),
            _ => column,
        }
    }

    /// How much taller than half the items two balanced columns may be. The browser breaks
    /// columns between lines and blocks, but not inside a heading kept with the two lines after
    /// it, a table row or an image; with such units up to `u` tall, the first column holds at
    /// least `h - u` of its height `h`, so `h` is at most half the total plus `u / 2`. One
    /// line more covers rounding.
    fn flow_slack(&self, candidates: &[Candidate], width: f32, font: f32) -> f32 {
        let head = (NUMBER_EM + BOX_HEAD_GAP_EM + 2.0 * estimate::LINE_HEIGHT) * font + self.g.rule_pad;
        let unsplittable = candidates
            .iter()
            .flat_map(|c| &c.runs)
            .filter(|r| matches!(r, Run::Row { .. } | Run::Image))
            .map(|r| r.height(width, font));
        unsplittable.fold(head, f32::max) / 2.0 + estimate::LINE_HEIGHT * font
    }

    /// The height of an item without its text: border and padding (or the rule above an item
    /// that flows), number and title, and the "continues" line when it is cut short.
    fn item_chrome(&self, c: &Candidate, text_width: f32, font: f32, clamped: bool) -> f32 {
        let digits = self.b.sections[c.section].number.to_string().len() as f32;
        let digits_width = NUMBER_FONT_EM * (0.556 * digits + 2.0 * NUMBER_PAD_EM);
        let number_width = digits_width.max(NUMBER_EM) + NUMBER_GAP_EM;
        let title_width = (text_width / font - number_width) / BOX_TITLE_EM;
        let title_lines = estimate::wrap(&c.title_words, title_width).max(1) as f32;
        let head = (title_lines * BOX_TITLE_EM * BOX_TITLE_LINE_HEIGHT).max(NUMBER_EM) + BOX_HEAD_GAP_EM;
        let note = if clamped { NOTE_EM * estimate::LINE_HEIGHT + 0.2 } else { 0.0 };
        let frame = match self.layout {
            Layout::Boxes => 2.0 * (self.g.box_pad_y + self.g.box_border),
            _ => self.g.rule_pad + self.g.box_gap,
        };
        frame + (head + note) * font
    }

    /// Notes under the items: "Also in the full briefing: ...".
    fn notes_height(&self, left_out: &[usize], font: f32) -> f32 {
        if left_out.is_empty() {
            return 0.0;
        }
        let html = format!("<p><strong>Also in the full briefing:</strong> {}</p>", self.left_out_text(left_out));
        let width = self.g.sheet_width / (font * NOTE_EM);
        let lines: usize = estimate::runs(&html)
            .iter()
            .map(|r| match r {
                Run::Text { words, .. } => estimate::wrap(words, width),
                _ => 0,
            })
            .sum();
        self.g.box_gap + lines as f32 * estimate::LINE_HEIGHT * NOTE_EM * font
    }

    fn left_out_text(&self, left_out: &[usize]) -> String {
        let titles: Vec<String> = left_out.iter().map(|&i| format!("{} {}", self.b.sections[i].number, self.b.sections[i].title)).collect();
        crate::source::markdown::escape_html(&titles.join("; "))
    }

    /// The height there is for the items at font size `font` (mm): the sheet less the
    /// header, the footer, the notice strip and, for key points, the summary and audience.
    fn room(&self, font: f32) -> f32 {
        let g = &self.g;
        let footer = if self.has_qr { g.footer_height } else { g.footer_height_no_qr };
        g.sheet_height - self.header_height() - footer - g.notice_height - self.lead_height(font)
    }

    fn header_height(&self) -> f32 {
        let g = &self.g;
        let title_html = format!("<h1>{}</h1>", crate::source::markdown::escape_html(&self.b.title));
        let title_width = (g.sheet_width - g.header_meta_width) / (TITLE_PT * MM_PER_PT);
        let title_lines = match estimate::runs(&title_html).first() {
            Some(Run::Text { words, .. }) => estimate::wrap(words, title_width).max(1),
            _ => 1,
        } as f32;
        let left = PARTNERSHIP_PT * MM_PER_PT * estimate::LINE_HEIGHT + title_lines * TITLE_PT * MM_PER_PT * TITLE_LINE_HEIGHT;
        let right = 3.0 * META_PT * MM_PER_PT * estimate::LINE_HEIGHT;
        left.max(right) + HEADER_PAD + HEADER_RULE + g.header_gap
    }

    /// The summary and audience above the key points or chosen sections.
    fn lead_height(&self, font: f32) -> f32 {
        if self.layout == Layout::Boxes {
            return 0.0;
        }
        let mut height = 0.0;
        if let Some(summary) = &self.b.summary {
            let html = format!("<p>{}</p>", crate::source::markdown::escape_html(summary));
            height += text_height(&html, self.g.sheet_width, font * SUMMARY_EM);
        }
        if let Some(audience) = &self.b.audience {
            let html = format!("<p><strong>Who it is for:</strong> {}</p>", crate::source::markdown::escape_html(audience));
            height += text_height(&html, self.g.sheet_width, font);
        }
        if height > 0.0 {
            height += LEAD_GAP_EM * font;
        }
        height
    }

    /// At the floor size, the key points that fit, in order; the rest are listed by title.
    fn fewer_key_points(&self, candidates: &[Candidate], step: usize) -> Plan {
        for keep in (1..candidates.len()).rev() {
            let left_out: Vec<usize> = candidates[keep..].iter().map(|c| c.section).collect();
            let (columns, used, room) = self.arrange(&candidates[..keep], step, None, &left_out);
            if used <= room {
                let words_over = candidates[keep..].iter().map(Candidate::words).sum::<usize>().max(1);
                return Plan { layout: self.layout, step, columns, left_out, words_over, used, room };
            }
        }
        // Not even the first key point fits whole: cut it short.
        let left_out: Vec<usize> = candidates.iter().skip(1).map(|c| c.section).collect();
        let mut plan = self.clamped(&candidates[..candidates.len().min(1)], step);
        plan.words_over += candidates.iter().skip(1).map(Candidate::words).sum::<usize>();
        plan.left_out = left_out;
        plan
    }

    /// At the floor size, every box cut to the most lines at which all fit (the longest boxes
    /// are cut; shorter ones stay whole).
    fn clamped(&self, candidates: &[Candidate], step: usize) -> Plan {
        let font = STEPS[step] * MM_PER_PT;
        let text_width = self.text_width(self.columns_for(candidates.len()));
        let lines: Vec<usize> = candidates.iter().map(|c| body_height(&c.runs, text_width, font, None).1).collect();
        // The room boxes take grows with the lines they may have: search for the most that fit.
        let (mut lo, mut hi) = (1, lines.iter().copied().max().unwrap_or(1).max(1));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let (_, used, room) = self.arrange(candidates, step, Some(mid), &[]);
            if used <= room {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let (columns, used, room) = self.arrange(candidates, step, Some(lo), &[]);
        let words_over: usize = candidates
            .iter()
            .zip(&lines)
            .map(|(c, &n)| c.words() * n.saturating_sub(lo) / n.max(1))
            .sum();
        Plan { layout: self.layout, step, columns, left_out: Vec::new(), words_over: words_over.max(1), used, room }
    }
}

/// The height of `runs` in a column `width` mm wide at `font` mm, cut after `clamp` lines
/// when given, and the number of lines they have in all. Tables and images count no lines
/// (as `-webkit-line-clamp` counts them) but take their height.
fn body_height(runs: &[Run], width: f32, font: f32, clamp: Option<usize>) -> (f32, usize) {
    let mut height = 0.0;
    let mut lines = 0;
    let limit = clamp.unwrap_or(usize::MAX);
    for run in runs {
        let run_lines = match run {
            Run::Text { words, breaks, indent, scale, .. } => {
                estimate::wrap(words, ((width / font - indent) / scale).max(1.0)) + breaks
            }
            Run::Code { .. } => {
                let h = run.height(width, font);
                (h / (font * estimate::LINE_HEIGHT * 0.85)).floor() as usize
            }
            Run::Row { .. } | Run::Image => 0,
        };
        if lines < limit {
            let shown = run_lines.min(limit - lines);
            if shown == run_lines {
                height += run.height(width, font);
            } else {
                let scale = match run {
                    Run::Text { scale, .. } => *scale,
                    _ => 0.85,
                };
                height += shown as f32 * estimate::LINE_HEIGHT * scale * font;
            }
        }
        lines += run_lines;
    }
    // The last block of an item has no space after it (`.prose > :last-child` in print.css),
    // but a list's last item keeps its own.
    if let (None, Some(Run::Text { gap, .. })) = (clamp, runs.last()) {
        height -= (gap - estimate::ITEM_GAP).max(0.0) * font;
    }
    (height, lines)
}

fn text_height(html: &str, width: f32, font: f32) -> f32 {
    estimate::runs(html).iter().map(|r| r.height(width, font)).sum()
}

/// Where to split items of `heights` into `columns` (1 or 2) columns so that the taller
/// column is as short as can be; on a tie the first column takes more (7 boxes: 4 and 3).
fn balanced_split(heights: &[f32], columns: usize) -> usize {
    if columns < 2 || heights.len() < 2 {
        return heights.len();
    }
    let total: f32 = heights.iter().sum();
    let mut best = (f32::INFINITY, heights.len());
    let mut first = 0.0;
    for (split, h) in heights.iter().enumerate().take(heights.len() - 1) {
        first += h;
        let taller = first.max(total - first);
        if taller < best.0 - 0.01 || (taller <= best.0 + 0.01 && split + 1 > best.1) {
            best = (taller.min(best.0), split + 1);
        }
    }
    best.1
}

/// The web address of a briefing: absolute with base_url, else relative to the site root.
pub fn web_address(b: &Briefing, config: &Config) -> String {
    match &config.base_url {
        Some(base) => format!("{base}briefings/{}/", b.slug),
        None => format!("briefings/{}/index.html", b.slug),
    }
}

/// A QR code of `address` as inline SVG, or None when it cannot be encoded (too long).
pub fn qr_svg(address: &str) -> Option<String> {
    let code = qrcode::QrCode::new(address.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(false)
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen("<svg ", "<svg class=\"qr\" aria-hidden=\"true\" focusable=\"false\" ", 1))
}

/// Warnings for one-pagers that cannot hold all they promise, from the estimate.
pub fn print_warnings(site: &Site) -> Vec<Diagnostic> {
    site.briefings
        .iter()
        .filter_map(|b| {
            let plan = plan(b, &site.config);
            (!plan.fits()).then(|| overflow_warning(b, &plan, &site.config))
        })
        .collect()
}

fn overflow_warning(b: &Briefing, plan: &Plan, config: &Config) -> Diagnostic {
    let paper = Geometry::new(config.paper).paper;
    let titles = |sections: &mut dyn Iterator<Item = usize>| -> String {
        sections.map(|i| format!("{} ({})", b.sections[i].number, b.sections[i].title)).collect::<Vec<_>>().join(", ")
    };
    let (what, help) = match plan.layout {
        Layout::KeyPoints => (
            format!("the key points of {} do not fit on its one-pager", titles(&mut plan.left_out.iter().copied())),
            format!(
                "the one-pager lists them as \"Also in the full briefing\"; to print them, shorten the first paragraph or list of each section by about {} words in all, or choose the sections to print with print = [\"anchor\", ...] in the front matter",
                plan.words_over
            ),
        ),
        Layout::Boxes | Layout::Chosen => (
            format!(
                "sections {} do not fit on the one-pager whole",
                titles(&mut plan.items().filter(|i| i.clamp.is_some()).map(|i| i.section))
            ),
            format!(
                "they are cut short with \"Continues in the full briefing\"; cut about {} words from them{}",
                plan.words_over,
                if plan.layout == Layout::Chosen { ", or name fewer sections in print = [...]" } else { "" }
            ),
        ),
    };
    Diagnostic::warning("print-overflow", format!("{what}, even at {FLOOR_PT} pt on {paper} paper"))
        .in_file(&b.source)
        .help(help)
}

/// The address of the link that `measuring_html` puts at the end of the sheet.
pub const MEASURE_URI: &str = "https://measure.invalid/end-of-sheet";

/// A one-pager's HTML made to measure itself when printed: the sheet no longer cuts its text
/// off at one page but runs on, and a link marks where it ends, so that the PDF says how far
/// past the foot of the first page the text would go (see `overflow_mm`).
pub fn measuring_html(html: &str) -> String {
    const STYLE: &str = "<style>@media print { .sheet, .body { height: auto !important; max-height: none !important; overflow: visible !important; } \
        .cut-notice { display: none !important; } * { break-inside: auto !important; break-before: auto !important; break-after: auto !important; } } \
        .measure-end { display: block; margin: 0; font-size: 2pt; line-height: 1; }</style>";
    let marker = format!("<p class=\"measure-end\"><a href=\"{MEASURE_URI}\">.</a></p>");
    let with_style = match html.rfind("</head>") {
        Some(i) => format!("{}{STYLE}{}", &html[..i], &html[i..]),
        None => format!("{STYLE}{html}"),
    };
    match with_style.rfind("</body>") {
        Some(i) => format!("{}{marker}{}", &with_style[..i], &with_style[i..]),
        None => format!("{with_style}{marker}"),
    }
}

/// How far (mm) the text of a one-pager printed from `measuring_html` runs past the foot of
/// its sheet (negative: room to spare), from the PDF's page count and where the end marker
/// is on its last page. None when the PDF has no marker (a template without `</body>`...).
pub fn overflow_mm(paper: Paper, pages: usize, marker_top_pt: f32, page_height_pt: f32) -> f32 {
    let g = Geometry::new(paper);
    let per_page = g.page_height - 2.0 * g.margin_y;
    let on_last_page = (page_height_pt - marker_top_pt) * MM_PER_PT - g.margin_y;
    pages.saturating_sub(1) as f32 * per_page + on_last_page - g.sheet_height
}

/// Roughly how many words take `height` mm on a one-pager planned as `plan`.
pub fn words_in_height(plan: &Plan, paper: Paper, height: f32) -> usize {
    let g = Geometry::new(paper);
    let font = plan.font_pt() * MM_PER_PT;
    let boxes = plan.layout == Layout::Boxes;
    let ncols = if boxes { plan.columns.len().max(1) } else { 2 };
    let column = g.column_width(ncols);
    // An average English word with its space is about 2.9 em of Arial.
    let words_per_line = column / (2.9 * font);
    let lines = height.max(0.0) / (estimate::LINE_HEIGHT * font);
    let columns_cut = if boxes { 1.0 } else { ncols as f32 };
    (lines * words_per_line * columns_cut).ceil() as usize
}

/// Everything print.html shows.
#[derive(Serialize)]
pub struct PrintView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub partnership: &'a str,
    pub format: FormatView,
    pub published: DateView,
    pub updated: Option<DateView>,
    /// Shown above key points and chosen sections; a 7-minute briefing's boxes speak for
    /// themselves.
    pub summary: Option<&'a str>,
    pub audience: Option<&'a str>,
    pub layout: Layout,
    /// 1 (largest type) to `STEPS.len()` (the floor): the `density-N` class.
    pub density: usize,
    pub font_pt: f32,
    pub columns: Vec<Vec<PrintItem<'a>>>,
    pub left_out: Vec<SectionRef<'a>>,
    /// The web address of the full briefing, as printed, and as a link.
    pub address: String,
    pub address_href: String,
    pub qr: Option<String>,
    pub themes: Vec<ThemeLink<'a>>,
    /// The PDF beside the page, when `--pdf` builds one.
    pub pdf: Option<String>,
}

#[derive(Serialize)]
pub struct PrintItem<'a> {
    pub number: usize,
    pub title: &'a str,
    pub anchor: &'a str,
    pub html: &'a str,
    pub clamp: Option<usize>,
}

#[derive(Serialize)]
pub struct SectionRef<'a> {
    pub number: usize,
    pub title: &'a str,
    pub anchor: &'a str,
}

impl<'a> PrintView<'a> {
    pub fn new(site: &'a Site, index: usize, pdf: bool) -> Self {
        let b = &site.briefings[index];
        let plan = plan(b, &site.config);
        let columns = plan
            .columns
            .iter()
            .map(|column| {
                column
                    .iter()
                    .map(|item| {
                        let s = &b.sections[item.section];
                        PrintItem { number: s.number, title: &s.title, anchor: &s.anchor, html: &s.body.html[item.html.clone()], clamp: item.clamp }
                    })
                    .collect()
            })
            .collect();
        let left_out = plan
            .left_out
            .iter()
            .map(|&i| SectionRef { number: b.sections[i].number, title: &b.sections[i].title, anchor: &b.sections[i].anchor })
            .collect();
        let address = web_address(b, &site.config);
        let boxes = plan.layout == Layout::Boxes;
        PrintView {
            slug: &b.slug,
            title: &b.title,
            partnership: &b.partnership,
            format: b.format.into(),
            published: b.published.into(),
            updated: b.updated.map(DateView::from),
            summary: b.summary.as_deref().filter(|_| !boxes),
            audience: b.audience.as_deref().filter(|_| !boxes),
            layout: plan.layout,
            density: plan.step + 1,
            font_pt: plan.font_pt(),
            columns,
            left_out,
            qr: site.config.base_url.as_ref().and_then(|_| qr_svg(&address)),
            address_href: if site.config.base_url.is_some() { address.clone() } else { "index.html".into() },
            address,
            themes: b.themes.iter().map(|t| ThemeLink::new(site, t)).collect(),
            pdf: pdf.then(|| format!("{}.pdf", b.slug)),
        }
    }
}

/// The numbers print.css needs: the geometry and the type steps, and the accent colour with
/// a colour for text on it.
#[derive(Serialize)]
pub struct CssView {
    pub g: Geometry,
    pub steps: Vec<f32>,
    pub accent: String,
    pub on_accent: &'static str,
}

impl CssView {
    pub fn new(config: &Config) -> Self {
        CssView { g: Geometry::new(config.paper), steps: STEPS.to_vec(), accent: config.accent.clone(), on_accent: text_on(&config.accent) }
    }
}

/// White or near-black, whichever reads better on `#rrggbb` (WCAG contrast: white when it
/// gives at least 4.5:1, which a dark accent does).
fn text_on(background: &str) -> &'static str {
    let channel = |i: usize| {
        let c = f32::from(u8::from_str_radix(background.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    if 1.05 / (luminance + 0.05) >= 4.5 {
        "#ffffff"
    } else {
        "#111111"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_columns_evenly_first_column_taller_on_a_tie() {
        assert_eq!(balanced_split(&[1.0; 7], 2), 4);
        assert_eq!(balanced_split(&[1.0; 6], 2), 3);
        assert_eq!(balanced_split(&[1.0; 8], 2), 4);
        assert_eq!(balanced_split(&[5.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2), 1);
        assert_eq!(balanced_split(&[1.0, 1.0, 1.0], 1), 3);
    }

    #[test]
    fn text_on_the_accent_is_readable() {
        assert_eq!(text_on("#1d4f91"), "#ffffff");
        assert_eq!(text_on("#ffdd00"), "#111111");
        assert_eq!(text_on("#767676"), "#ffffff");
    }

    #[test]
    fn qr_code_is_inline_svg_without_an_xml_declaration() {
        let svg = qr_svg("https://briefings.example/briefings/child-3/").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
    }
}
