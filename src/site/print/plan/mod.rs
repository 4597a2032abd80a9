//! Planning a one-pager: which items go on it (whole sections, or key points), in which
//! columns, at which type size, and what is cut short or left out when even the floor size
//! cannot hold it all. Every choice rests on the estimate of heights in `estimate`.

use std::cell::RefCell;
use std::rc::Rc;

use super::estimate::{self, line_height, Run};
use super::{Geometry, MM_PER_PT, TYPE};
use crate::config::Config;
use crate::model::print::{Item, Layout, Plan, STEPS};
use crate::model::{Bodies, Briefing, Format};

const PARTNERSHIP_PT: f64 = TYPE.partnership_pt;
const TITLE_PT: f64 = TYPE.title_pt;
const TITLE_LINE_HEIGHT: f64 = TYPE.title_line_height;
const HEADER_LINE_HEIGHT: f64 = TYPE.header_line_height;
const META_PT: f64 = TYPE.meta_pt;
const HEADER_PAD: f64 = TYPE.header_pad;
const HEADER_RULE: f64 = TYPE.header_rule;
const NUMBER_FONT_EM: f64 = TYPE.number_font;
const NUMBER_PAD_EM: f64 = TYPE.number_pad;
const NUMBER_GAP_EM: f64 = TYPE.number_gap;
/// The badge's height in em of the item's text.
const NUMBER_EM: f64 = TYPE.number_font * TYPE.number_size;
const BOX_TITLE_EM: f64 = TYPE.item_title;
const BOX_TITLE_LINE_HEIGHT: f64 = TYPE.item_title_line_height;
const BOX_HEAD_GAP_EM: f64 = TYPE.item_head_gap;
const SUMMARY_EM: f64 = TYPE.summary;
const LEAD_GAP_EM: f64 = TYPE.lead_gap;
const NOTE_EM: f64 = TYPE.note;
/// What the estimate keeps in hand for what it cannot know (a browser's own rounding).
const SAFETY: f64 = 0.995;

/// Plans the one-pager of `b`, whose text is `bodies`, on the site's paper.
pub fn plan(b: &Briefing, bodies: &Bodies, config: &Config) -> Plan {
    let g = Geometry::new(config.paper);
    let layout = match b.format {
        Format::SevenMinute if b.print.is_empty() => Layout::Boxes,
        _ if !b.print.is_empty() => Layout::Chosen,
        _ => Layout::KeyPoints,
    };
    let candidates: Vec<Candidate> = match layout {
        Layout::Boxes => (0..b.sections.len()).map(|i| Candidate::whole(b, bodies, i)).collect(),
        Layout::Chosen => b
            .print
            .iter()
            .filter_map(|anchor| b.sections.iter().position(|s| &s.anchor == anchor))
            .map(|i| Candidate::whole(b, bodies, i))
            .collect(),
        Layout::KeyPoints => (0..b.sections.len()).filter_map(|i| Candidate::key_point(b, bodies, i)).collect(),
    };
    let has_qr = config.base_url.is_some();
    let fixed = Fixed::new(&g, b, layout);
    let page = Page { g, b, layout, has_qr, flows: layout != Layout::Boxes, fixed: &fixed };
    // Sections without a key point are listed by title.
    let printed: Vec<usize> = candidates.iter().map(|c| c.section).collect();
    let unprinted: Vec<usize> =
        if layout == Layout::KeyPoints { (0..b.sections.len()).filter(|i| !printed.contains(i)).collect() } else { Vec::new() };
    let none = vec![None; candidates.len()];
    // The largest type at which everything fits: smaller type never takes more room, so
    // search the steps by halves.
    let fits = |step: usize| {
        let (_, used, room) = page.arrange(&candidates, step, &none, &unprinted);
        used <= room
    };
    let floor = STEPS.len() - 1;
    if fits(floor) {
        let (mut lo, mut hi) = (0, floor);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if fits(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let (columns, used, room) = page.arrange(&candidates, lo, &none, &unprinted);
        return Plan { layout, flows: page.flows, step: lo, columns, left_out: unprinted, dropped: Vec::new(), words_over: 0, used, room };
    }
    match layout {
        Layout::KeyPoints => page.fewer_key_points(&candidates, floor, &unprinted),
        Layout::Chosen => page.clamped(&candidates, floor),
        Layout::Boxes => {
            // Boxes that are too long to stay whole may break from one column to the next.
            let flowing = Page { flows: true, ..page };
            let (columns, used, room) = flowing.arrange(&candidates, floor, &none, &[]);
            if used <= room && candidates.len() > 2 {
                return Plan { layout, flows: true, step: floor, columns, left_out: Vec::new(), dropped: Vec::new(), words_over: 0, used, room };
            }
            page.clamped(&candidates, floor)
        }
    }
}

/// A piece of the items that flow through two columns that a column break cannot split.
struct Atom {
    height: f64,
    /// Whether the columns may break after it.
    break_after: bool,
    /// Whether it is inside an item (a box broken there is framed on both sides).
    inside: bool,
}

/// A section that may go on the sheet, with its text's runs for the estimate.
struct Candidate {
    section: usize,
    html: std::ops::Range<usize>,
    runs: Vec<Run>,
    title_words: Vec<(f64, bool)>,
    /// The runs as last set (see `set`), and the width and type size, as bits, they were set at.
    kept: RefCell<Option<KeptSet>>,
}

/// Runs as set at a width and type size (as bits).
type KeptSet = ((u64, u64), Rc<[Set]>);

/// One run set in a column at one type size: the lines it takes (as `-webkit-line-clamp`
/// counts them: none for tables and images) and its whole height in mm.
#[derive(Clone, Copy)]
struct Set {
    lines: usize,
    height: f64,
}

impl Candidate {
    fn whole(b: &Briefing, bodies: &Bodies, i: usize) -> Candidate {
        let html = &bodies.sections[i].html;
        Candidate::new(b, i, html, 0..html.len())
    }

    /// The first paragraph or list of section `i`, with the list that follows when the
    /// paragraph introduces it ("Three questions help:"). None for a section without either.
    fn key_point(b: &Briefing, bodies: &Bodies, i: usize) -> Option<Candidate> {
        let body = &bodies.sections[i];
        let range = body.lead.clone()?;
        Some(Candidate::new(b, i, &body.html, range))
    }

    /// `html` is section `i`'s HTML; `range` the part of it that is printed.
    fn new(b: &Briefing, i: usize, html: &str, range: std::ops::Range<usize>) -> Candidate {
        let section = &b.sections[i];
        let title_html = format!("<p><strong>{}</strong></p>", crate::core::text::escape_html(&section.title));
        let title_words = match estimate::runs(&title_html).pop() {
            Some(Run::Text { words, .. }) => words,
            _ => Vec::new(),
        };
        let runs = estimate::runs(&html[range.clone()]);
        Candidate { section: i, html: range, runs, title_words, kept: RefCell::default() }
    }

    /// Its runs set in a column `width` mm wide at `font` mm. A plan asks for the same width
    /// and size many times over (an item, then its pieces for the columns, then each cut
    /// tried), and wrapping every word again each time was most of a plan's cost: the last
    /// one asked for is kept.
    fn set(&self, width: f64, font: f64) -> Rc<[Set]> {
        let key = (width.to_bits(), font.to_bits());
        let mut kept = self.kept.borrow_mut();
        if let Some((_, set)) = kept.as_ref().filter(|(k, _)| *k == key) {
            return Rc::clone(set);
        }
        let lh = line_height(font);
        let set: Rc<[Set]> = self
            .runs
            .iter()
            .map(|run| {
                let (height, text_lines) = run.set(width, font, lh);
                let lines = match (run, text_lines) {
                    (_, Some(lines)) => lines,
                    (Run::Code { .. }, None) => (height / (font * lh * estimate::SPACING.code_scale)).floor() as usize,
                    _ => 0,
                };
                Set { lines, height }
            })
            .collect();
        *kept = Some((key, Rc::clone(&set)));
        set
    }

    /// The height of its text in a column `width` mm wide at `font` mm, cut after `clamp`
    /// lines when given, and the number of lines it has in all.
    fn body_height(&self, width: f64, font: f64, clamp: Option<usize>) -> (f64, usize) {
        body_height(&self.runs, &self.set(width, font), font, clamp)
    }

    fn words(&self) -> usize {
        self.runs.iter().map(Run::words).sum()
    }
}

/// The parts of a one-pager's height that do not depend on its items: worked out once.
struct Fixed {
    /// The header band, in mm.
    header: f64,
    /// The summary (its runs set at `SUMMARY_EM`) and the audience, above key points and
    /// chosen sections.
    summary: Vec<Run>,
    audience: Vec<Run>,
}

impl Fixed {
    fn new(g: &Geometry, b: &Briefing, layout: Layout) -> Fixed {
        let escape = crate::core::text::escape_html;
        let title_width = (g.sheet_width - g.header_meta_width - g.header_meta_gap) / (TITLE_PT * MM_PER_PT);
        let title_lines = match estimate::runs(&format!("<h1>{}</h1>", escape(&b.title))).first() {
            Some(Run::Text { words, .. }) => estimate::wrap(words, title_width).max(1),
            _ => 1,
        } as f64;
        let left = PARTNERSHIP_PT * MM_PER_PT * HEADER_LINE_HEIGHT + title_lines * TITLE_PT * MM_PER_PT * TITLE_LINE_HEIGHT;
        let meta_lines = if b.updated.is_some() { 3.0 } else { 2.0 };
        let right = meta_lines * META_PT * MM_PER_PT * HEADER_LINE_HEIGHT;
        let header = left.max(right) + HEADER_PAD + HEADER_RULE + g.header_gap;
        let lead = layout != Layout::Boxes;
        let summary = match b.summary.as_deref().filter(|_| lead) {
            // Bold, as print.css sets it.
            Some(text) => estimate::runs(&format!("<p><strong>{}</strong></p>", escape(text))),
            None => Vec::new(),
        };
        let audience = match b.audience.as_deref().filter(|_| lead) {
            Some(text) => estimate::runs(&format!("<p><strong>Who it is for:</strong> {}</p>", escape(text))),
            None => Vec::new(),
        };
        Fixed { header, summary, audience }
    }
}

/// What the height of a one-pager depends on.
#[derive(Clone, Copy)]
struct Page<'a> {
    g: Geometry,
    b: &'a Briefing,
    layout: Layout,
    has_qr: bool,
    /// The items flow through two balanced columns, and may break from one to the next
    /// (always for key points and chosen sections; boxes only when they fit no other way).
    flows: bool,
    fixed: &'a Fixed,
}

impl Page<'_> {
    /// Lays out `candidates` at type step `step`, each cut to its `clamps` lines when given,
    /// with a note listing `left_out`. Returns the columns, the height they need and the room
    /// there is, in mm.
    fn arrange(&self, candidates: &[Candidate], step: usize, clamps: &[Option<usize>], left_out: &[usize]) -> (Vec<Vec<Item>>, f64, f64) {
        let font = STEPS[step] * MM_PER_PT;
        let width = self.text_width(self.columns_for(candidates.len()));
        let (mut items, heights): (Vec<Item>, Vec<f64>) =
            candidates.iter().zip(clamps).map(|(c, &clamp)| self.item(c, width, font, clamp)).unzip();
        let (columns, used_items) = if !self.flows {
            // Boxes stay whole, in columns split where they balance best whole.
            let split = if clamps.iter().all(Option::is_none) {
                balanced_split(&heights, self.columns_for(candidates.len()))
            } else {
                self.split(candidates, width, font)
            };
            let used = self.column_height(&heights[..split]).max(self.column_height(&heights[split..]));
            let second = items.split_off(split);
            (if second.is_empty() { vec![items] } else { vec![items, second] }, used)
        } else {
            // Items flow through the columns, which the browser balances.
            (vec![items], self.flow_height(candidates, clamps, width, font))
        };
        let used = used_items + self.notes_height(left_out, font);
        (columns, used, self.room(font) * SAFETY)
    }

    /// An item and its height, cut to `clamp` lines when it has more.
    fn item(&self, c: &Candidate, width: f64, font: f64, clamp: Option<usize>) -> (Item, f64) {
        let (body, lines) = c.body_height(width, font, clamp);
        let clamp = clamp.filter(|&n| lines > n);
        let height = self.item_chrome(c, width, font, clamp.is_some()) + body;
        (Item { section: c.section, html: c.html.clone(), clamp }, height)
    }

    /// Where the boxes split into two columns: where they balance best whole.
    fn split(&self, candidates: &[Candidate], width: f64, font: f64) -> usize {
        let heights: Vec<f64> = candidates.iter().map(|c| self.item(c, width, font, None).1).collect();
        balanced_split(&heights, self.columns_for(candidates.len()))
    }

    fn column_height(&self, heights: &[f64]) -> f64 {
        heights.iter().sum::<f64>() + heights.len().saturating_sub(1) as f64 * self.g.box_gap
    }

    fn columns_for(&self, n: usize) -> usize {
        match self.layout {
            Layout::Boxes if n <= 2 => 1,
            _ => 2,
        }
    }

    /// The width of an item's text with `ncols` columns: boxes have borders and padding.
    fn text_width(&self, ncols: usize) -> f64 {
        let column = self.g.column_width(ncols);
        match self.layout {
            Layout::Boxes => column - 2.0 * (self.g.box_pad_x + self.g.box_border),
            _ => column,
        }
    }

    /// The height of two balanced columns that `candidates` (cut to `clamps` lines) flow
    /// through, found the way the browser balances columns: the shortest height at which the
    /// first column, broken at the last place it may break, leaves no more than fits the second.
    fn flow_height(&self, candidates: &[Candidate], clamps: &[Option<usize>], width: f64, font: f64) -> f64 {
        let mut atoms: Vec<Atom> = candidates.iter().zip(clamps).flat_map(|(c, &clamp)| self.atoms(c, width, font, clamp)).collect();
        // The last item has no space after it (`.flow .item:last-child` in print.css).
        if let Some(last) = atoms.last_mut() {
            last.height -= self.g.box_gap;
        }
        let total: f64 = atoms.iter().map(|a| a.height).sum();
        // A box broken between the columns has its border and padding on both parts.
        let frame = if self.layout == Layout::Boxes { 2.0 * (self.g.box_pad_y + self.g.box_border) } else { 0.0 };
        let fits = |h: f64| {
            let (mut filled, mut first, mut inside) = (0.0, 0.0, false);
            for atom in &atoms {
                filled += atom.height;
                if filled + if atom.inside { frame } else { 0.0 } > h {
                    break;
                }
                if atom.break_after {
                    (first, inside) = (filled, atom.inside);
                }
            }
            total - first + if inside { frame } else { 0.0 } <= h
        };
        let (mut lo, mut hi) = (total / 2.0, total + frame);
        while hi - lo > 0.1 {
            let mid = (lo + hi) / 2.0;
            if fits(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }

    /// An item as pieces that a column break cannot split: its heading with the frame above
    /// (kept with what follows), each line of its text (a paragraph keeps at least two lines
    /// at either side of a break), each table row or image; a text cut short is one piece.
    fn atoms(&self, c: &Candidate, width: f64, font: f64, clamp: Option<usize>) -> Vec<Atom> {
        let (item, height) = self.item(c, width, font, clamp);
        let (body, _) = c.body_height(width, font, item.clamp);
        let chrome = height - body;
        let mut atoms = vec![Atom { height: chrome, break_after: false, inside: true }];
        if item.clamp.is_some() {
            atoms.push(Atom { height: body, break_after: true, inside: true });
        } else {
            let lh = line_height(font);
            for (run, set) in c.runs.iter().zip(c.set(width, font).iter()) {
                match run {
                    Run::Text { scale, gap, .. } => {
                        let n = set.lines;
                        for k in 1..=n {
                            let extra = if k == n { gap * font } else { 0.0 };
                            atoms.push(Atom { height: lh * scale * font + extra, break_after: k == n || (k >= 2 && n - k >= 2), inside: true });
                        }
                    }
                    _ => atoms.push(Atom { height: set.height, break_after: true, inside: true }),
                }
            }
        }
        // A break after the item's last piece is between items.
        if let Some(last) = atoms.last_mut() {
            last.inside = false;
        }
        atoms
    }

    /// The height of an item without its text: border and padding (or the rule above an item
    /// that flows), number and title, and the "continues" line when it is cut short.
    fn item_chrome(&self, c: &Candidate, text_width: f64, font: f64, clamped: bool) -> f64 {
        let digits = self.b.sections[c.section].number.to_string().len() as f64;
        let digits_width = NUMBER_FONT_EM * (0.556 * digits + 2.0 * NUMBER_PAD_EM);
        let number_width = digits_width.max(NUMBER_EM) + NUMBER_GAP_EM;
        let title_width = (text_width / font - number_width) / BOX_TITLE_EM;
        let title_lines = estimate::wrap(&c.title_words, title_width).max(1) as f64;
        let head = (title_lines * BOX_TITLE_EM * BOX_TITLE_LINE_HEIGHT).max(NUMBER_EM) + BOX_HEAD_GAP_EM;
        let note = if clamped { NOTE_EM * line_height(font) + 0.2 } else { 0.0 };
        let frame = match (self.layout, self.flows) {
            (Layout::Boxes, false) => 2.0 * (self.g.box_pad_y + self.g.box_border),
            (Layout::Boxes, true) => 2.0 * (self.g.box_pad_y + self.g.box_border) + self.g.box_gap,
            _ => self.g.rule_pad + self.g.box_gap,
        };
        frame + (head + note) * font
    }

    /// Notes under the items: "Also in the full briefing: ...".
    fn notes_height(&self, left_out: &[usize], font: f64) -> f64 {
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
        self.g.box_gap + lines as f64 * line_height(font) * NOTE_EM * font
    }

    fn left_out_text(&self, left_out: &[usize]) -> String {
        let titles: Vec<String> = left_out.iter().map(|&i| format!("{} {}", self.b.sections[i].number, self.b.sections[i].title)).collect();
        crate::core::text::escape_html(&titles.join("; "))
    }

    /// The height there is for the items at font size `font` (mm): the sheet less the
    /// header, the footer and, for key points, the summary and audience.
    fn room(&self, font: f64) -> f64 {
        let g = &self.g;
        let footer = if self.has_qr { g.footer_height } else { g.footer_height_no_qr };
        g.sheet_height - self.fixed.header - footer - self.lead_height(font)
    }

    /// The summary and audience above the key points or chosen sections.
    fn lead_height(&self, font: f64) -> f64 {
        let (width, lh) = (self.g.sheet_width, line_height(font));
        let summary: f64 = self.fixed.summary.iter().map(|r| r.height(width, font * SUMMARY_EM, lh)).sum();
        let audience: f64 = self.fixed.audience.iter().map(|r| r.height(width, font, lh)).sum();
        let height = summary + audience;
        if height > 0.0 {
            height + LEAD_GAP_EM * font
        } else {
            0.0
        }
    }

    /// At the floor size, the key points that fit, in order; the rest are listed by title.
    fn fewer_key_points(&self, candidates: &[Candidate], step: usize, unprinted: &[usize]) -> Plan {
        let listed = |keep: usize| {
            let mut left_out: Vec<usize> = unprinted.iter().copied().chain(candidates[keep..].iter().map(|c| c.section)).collect();
            left_out.sort_unstable();
            left_out
        };
        for keep in (1..candidates.len()).rev() {
            let left_out = listed(keep);
            let (columns, used, room) = self.arrange(&candidates[..keep], step, &vec![None; keep], &left_out);
            if used <= room {
                let dropped = candidates[keep..].iter().map(|c| c.section).collect();
                let words_over = candidates[keep..].iter().map(Candidate::words).sum::<usize>().max(1);
                return Plan { layout: self.layout, flows: self.flows, step, columns, left_out, dropped, words_over, used, room };
            }
        }
        // Not even the first key point fits whole: cut it short.
        let first = candidates.len().min(1);
        let mut plan = self.clamped(&candidates[..first], step);
        plan.words_over += candidates[first..].iter().map(Candidate::words).sum::<usize>();
        plan.dropped = candidates[first..].iter().map(|c| c.section).collect();
        plan.left_out = listed(first);
        plan
    }

    /// At the floor size, items cut short to the most lines at which they fit: boxes column
    /// by column (the longest boxes of a column are cut, shorter ones stay whole), split
    /// between the columns where the fewest words are cut; items that flow all alike.
    fn clamped(&self, candidates: &[Candidate], step: usize) -> Plan {
        let font = STEPS[step] * MM_PER_PT;
        let width = self.text_width(self.columns_for(candidates.len()));
        let room = self.room(font) * SAFETY;
        let splits: Vec<usize> = match (self.flows, self.columns_for(candidates.len())) {
            (false, 2) => (1..candidates.len()).collect(),
            _ => vec![candidates.len()],
        };
        let best = splits
            .into_iter()
            .map(|split| {
                let mut clamps = self.clamps(&candidates[..split], width, font, room);
                clamps.extend(self.clamps(&candidates[split..], width, font, room));
                (self.words_cut(candidates, &clamps, width, font), split, clamps)
            })
            .min_by_key(|(words, _, _)| *words);
        let (words_over, split, clamps) = best.unwrap_or((0, 0, Vec::new()));
        let (mut items, heights): (Vec<Item>, Vec<f64>) =
            candidates.iter().zip(&clamps).map(|(c, &clamp)| self.item(c, width, font, clamp)).unzip();
        let (columns, used) = if !self.flows {
            let used = self.column_height(&heights[..split]).max(self.column_height(&heights[split..]));
            let second = items.split_off(split);
            (if second.is_empty() { vec![items] } else { vec![items, second] }, used)
        } else {
            (vec![items], self.flow_height(candidates, &clamps, width, font))
        };
        Plan { layout: self.layout, flows: self.flows, step, columns, left_out: Vec::new(), dropped: Vec::new(), words_over: words_over.max(1), used, room }
    }

    /// The most lines the items of one column (or all items that flow) may keep to fit
    /// `room`: the same for all, so that only the longest are cut.
    fn clamps(&self, candidates: &[Candidate], width: f64, font: f64, room: f64) -> Vec<Option<usize>> {
        let fits = |cap: usize| {
            let heights: Vec<f64> = candidates.iter().map(|c| self.item(c, width, font, Some(cap)).1).collect();
            let used = match self.flows {
                false => self.column_height(&heights),
                true => self.flow_height(candidates, &vec![Some(cap); candidates.len()], width, font),
            };
            used <= room
        };
        let most = candidates.iter().map(|c| c.body_height(width, font, None).1).max().unwrap_or(1);
        if fits(most) {
            return vec![None; candidates.len()];
        }
        // The height grows with the lines allowed: search for the most that fit.
        let (mut lo, mut hi) = (1, most);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        vec![Some(lo); candidates.len()]
    }

    /// Roughly how many words cutting items to `clamps` lines leaves out.
    fn words_cut(&self, candidates: &[Candidate], clamps: &[Option<usize>], width: f64, font: f64) -> usize {
        candidates
            .iter()
            .zip(clamps)
            .map(|(c, cap)| {
                let lines = c.body_height(width, font, None).1;
                c.words() * lines.saturating_sub(cap.unwrap_or(lines)) / lines.max(1)
            })
            .sum()
    }
}

/// The height of `runs`, `set` at `font` mm, cut after `clamp` lines when given, and the
/// number of lines they have in all. Tables and images count no lines (as
/// `-webkit-line-clamp` counts them) but take their height.
fn body_height(runs: &[Run], set: &[Set], font: f64, clamp: Option<usize>) -> (f64, usize) {
    let mut height = 0.0;
    let mut lines = 0;
    let limit = clamp.unwrap_or(usize::MAX);
    let lh = line_height(font);
    for (run, &Set { lines: run_lines, height: run_height }) in runs.iter().zip(set) {
        if lines < limit {
            let shown = run_lines.min(limit - lines);
            if shown == run_lines {
                height += run_height;
            } else {
                let scale = match run {
                    Run::Text { scale, .. } => *scale,
                    _ => estimate::SPACING.code_scale,
                };
                height += shown as f64 * lh * scale * font;
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

/// Where to split items of `heights` into `columns` (1 or 2) columns so that the taller
/// column is as short as can be; on a tie the first column takes more (7 boxes: 4 and 3).
fn balanced_split(heights: &[f64], columns: usize) -> usize {
    if columns < 2 || heights.len() < 2 {
        return heights.len();
    }
    let total: f64 = heights.iter().sum();
    let mut best = (f64::INFINITY, heights.len());
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


#[cfg(test)]
mod tests;
