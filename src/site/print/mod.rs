//! Planning the printable one-pager (`briefings/<slug>/print.html`): what goes on it, how big
//! the type is, and how it is laid out, decided here so that it fits one sheet of paper.
//!
//! A 7-minute briefing prints all its sections as numbered boxes. The other formats print
//! their summary, audience and key points (the first paragraph or list of each section), or
//! the sections that the front matter's `print` field names. Boxes stay whole in one or two
//! columns split where they balance best; other items flow through two balanced columns (and
//! so do boxes that fit no other way). The type steps down from 11 pt to a floor of 8 pt until
//! the estimate (see `estimate`) fits the sheet.
//!
//! What does not fit even at 8 pt is never dropped silently: trailing key points are left out
//! and listed by title ("Also in the full briefing"), the longest boxes are cut short with an
//! ellipsis and "Continues in the full briefing", and `print_warning` reports it. The sheet
//! itself is one page tall in print.css and cannot spill onto a second sheet; if the estimate
//! were ever wrong, print.css shows a notice where the text is cut, and `briefing check
//! --print` measures every one-pager in a real browser.

pub(crate) mod estimate;
mod plan;

pub use plan::plan;

use serde::Serialize;

use crate::config::{Config, Paper};
use crate::core::diagnostics::Diagnostic;
use crate::model::print::{Layout, Plan, FLOOR_PT};
use crate::model::Briefing;
use estimate::line_height;

pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// The page and the fixed parts of the sheet, in millimetres. print.css gets these numbers
/// from here (see `CssView`), so the estimate and the stylesheet cannot disagree.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Geometry {
    pub paper: &'static str,
    pub page_width: f64,
    pub page_height: f64,
    pub margin_x: f64,
    pub margin_y: f64,
    /// The sheet: the page inside its margins, less a millimetre so that rounding in the
    /// browser can never push it onto a second page.
    pub sheet_width: f64,
    pub sheet_height: f64,
    pub column_gap: f64,
    pub box_gap: f64,
    pub box_pad_x: f64,
    pub box_pad_y: f64,
    pub box_border: f64,
    /// An item that flows (key points, chosen sections) has a rule above it, then this much
    /// space (the rule included).
    pub rule_pad: f64,
    /// The header band: partnership line, title, and the format and date at the side.
    pub header_meta_width: f64,
    pub header_meta_gap: f64,
    pub header_gap: f64,
    /// The footer (web address, themes, QR code) has a fixed height, with or without a code.
    pub footer_height: f64,
    pub footer_height_no_qr: f64,
    pub qr_size: f64,
    /// The notice that shows over the foot of the body if its text runs past it (print.css).
    pub notice_height: f64,
}

/// The sizes of the header and of the parts of an item, which print.css gets from here:
/// points for the header, em of the item's text for the rest.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Typography {
    pub partnership_pt: f64,
    pub title_pt: f64,
    pub title_line_height: f64,
    pub meta_pt: f64,
    /// The line height of the partnership and of the format and dates.
    pub header_line_height: f64,
    /// Space under the header's text and the thickness of its rule, in mm.
    pub header_pad: f64,
    pub header_rule: f64,
    /// An item's number: a badge `number_size` of its own type (`number_font`) high and at
    /// least as wide, with `number_pad` either side of the digits, then a gap before the title.
    pub number_font: f64,
    pub number_size: f64,
    pub number_pad: f64,
    pub number_gap: f64,
    pub item_title: f64,
    pub item_title_line_height: f64,
    /// Space between an item's heading and its text.
    pub item_head_gap: f64,
    pub summary: f64,
    /// Space under the summary and audience.
    pub lead_gap: f64,
    /// "Continues in the full briefing", "Also in the full briefing".
    pub note: f64,
}

pub const TYPE: Typography = Typography {
    partnership_pt: 8.5,
    title_pt: 15.0,
    title_line_height: 1.1,
    meta_pt: 8.5,
    header_line_height: 1.15,
    header_pad: 1.5,
    header_rule: 0.8,
    number_font: 1.25,
    number_size: 1.2,
    number_pad: 0.2,
    number_gap: 0.45,
    item_title: 1.05,
    item_title_line_height: 1.15,
    item_head_gap: 0.15,
    summary: 1.15,
    lead_gap: 0.5,
    note: 0.9,
};

impl Geometry {
    pub fn new(paper: Paper) -> Geometry {
        // Margins as narrow as office printers print reliably: 7 mm on A4, a quarter of an inch
        // on Letter (which is shorter).
        let (page_width, page_height, name, margin_x, margin_y) = match paper {
            Paper::A4 => (210.0, 297.0, "A4", 8.0, 7.0),
            // CSS keywords ignore case: `size: Letter` is the Letter size.
            Paper::Letter => (215.9, 279.4, "Letter", 6.35, 6.35),
        };
        Geometry {
            paper: name,
            page_width,
            page_height,
            margin_x,
            margin_y,
            sheet_width: page_width - 2.0 * margin_x,
            sheet_height: page_height - 2.0 * margin_y - 1.0,
            column_gap: 3.0,
            box_gap: 1.8,
            box_pad_x: 1.7,
            box_pad_y: 1.1,
            box_border: 0.35,
            rule_pad: 1.6,
            header_meta_width: 44.0,
            header_meta_gap: 4.0,
            header_gap: 2.5,
            footer_height: 15.0,
            footer_height_no_qr: 10.0,
            qr_size: 13.0,
            notice_height: 5.0,
        }
    }

    fn column_width(&self, columns: usize) -> f64 {
        let n = columns.max(1) as f64;
        (self.sheet_width - (n - 1.0) * self.column_gap) / n
    }
}

/// The warning for `b`'s one-pager, if it cannot hold all it promises.
pub fn print_warning(b: &Briefing, plan: &Plan, config: &Config) -> Option<Diagnostic> {
    (!plan.fits()).then(|| overflow_warning(b, plan, config))
}

fn overflow_warning(b: &Briefing, plan: &Plan, config: &Config) -> Diagnostic {
    let paper = Geometry::new(config.paper).paper;
    let titles = |sections: &mut dyn Iterator<Item = usize>| -> String {
        sections.map(|i| format!("{} ({})", b.sections[i].number, b.sections[i].title)).collect::<Vec<_>>().join(", ")
    };
    let (what, help) = match plan.layout {
        Layout::KeyPoints => (
            format!("the key points of {} {} not fit on its one-pager", titles(&mut plan.dropped.iter().copied()), if plan.dropped.len() == 1 { "does" } else { "do" }),
            format!(
                "the one-pager lists them as \"Also in the full briefing\"; to print them, shorten the first paragraph or list of each section by about {} words in all, or choose the sections to print with print = [\"anchor\", ...] in the front matter",
                plan.words_over
            ),
        ),
        Layout::Boxes | Layout::Chosen => (
            {
                let cut: Vec<usize> = plan.items().filter(|i| i.clamp.is_some()).map(|i| i.section).collect();
                let (noun, verb) = if cut.len() == 1 { ("section", "does") } else { ("sections", "do") };
                format!("{noun} {} {verb} not fit on the one-pager whole", titles(&mut cut.into_iter()))
            },
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

/// Roughly how many words take `height` mm on a one-pager planned as `plan`.
pub fn words_in_height(plan: &Plan, paper: Paper, height: f64) -> usize {
    let g = Geometry::new(paper);
    let font = plan.font_pt() * MM_PER_PT;
    let ncols = if plan.flows { 2 } else { plan.columns.len().max(1) };
    let column = g.column_width(ncols);
    // An average English word with its space is about 2.9 em of Arial.
    let words_per_line = column / (2.9 * font);
    let lines = height.max(0.0) / (line_height(font) * font);
    // Text cut from balanced columns comes off both.
    let columns_cut = if plan.flows { 2.0 } else { 1.0 };
    (lines * words_per_line * columns_cut).ceil() as usize
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
/// is on its last page.
pub fn overflow_mm(paper: Paper, pages: usize, marker_top_pt: f64, page_height_pt: f64) -> f64 {
    let g = Geometry::new(paper);
    let per_page = g.page_height - 2.0 * g.margin_y;
    let on_last_page = (page_height_pt - marker_top_pt) * MM_PER_PT - g.margin_y;
    pages.saturating_sub(1) as f64 * per_page + on_last_page - g.sheet_height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measuring_html_unclips_the_sheet_and_marks_its_end() {
        let html = measuring_html("<html><head><title>t</title></head><body><div class=\"sheet\"></div></body></html>");
        assert!(html.contains("overflow: visible !important"));
        let marker = html.find(MEASURE_URI).unwrap();
        assert!(marker > html.find("class=\"sheet\"").unwrap() && marker < html.find("</body>").unwrap());
        assert!(html.find("<style>").unwrap() < html.find("</head>").unwrap());
    }

    #[test]
    fn overflow_is_measured_from_the_end_mark() {
        let g = Geometry::new(Paper::A4);
        let page_pt = g.page_height / MM_PER_PT;
        // The end mark exactly at the foot of the sheet on the first page: no overflow.
        let foot_pt = page_pt - (g.margin_y + g.sheet_height) / MM_PER_PT;
        assert!(overflow_mm(Paper::A4, 1, foot_pt, page_pt).abs() < 1e-6);
        // 10 mm into a second page.
        let second_pt = page_pt - (g.margin_y + 10.0) / MM_PER_PT;
        let over = overflow_mm(Paper::A4, 2, second_pt, page_pt);
        assert!((over - (g.page_height - 2.0 * g.margin_y + 10.0 - g.sheet_height)).abs() < 1e-6, "{over}");
    }
}
