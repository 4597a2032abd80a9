//! The printable one-pager (`briefings/<slug>/print.html`): what goes on it, how big the type
//! is, and how it is laid out, decided here so that it fits one sheet of paper.
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

pub mod estimate;
pub mod plan;
pub mod qr;

pub use plan::{plan, plan_of, Item, Layout, Plan, PlanMemo};

use serde::Serialize;

use crate::config::{Config, Paper};
use crate::diagnostics::Diagnostic;
use crate::model::{Briefing, DateView, Site};
use estimate::line_height;

use super::views::{FormatView, ThemeLink};

/// The type sizes, in points, from the largest to the floor, in quarter points so that the
/// text fills the sheet. A one-pager gets the first that fits; print.css has a `density-N`
/// class for each (N counts from 1).
pub const STEPS: [f64; 13] = [11.0, 10.75, 10.5, 10.25, 10.0, 9.75, 9.5, 9.25, 9.0, 8.75, 8.5, 8.25, 8.0];
pub const FLOOR_PT: f64 = 8.0;
const MM_PER_PT: f64 = 25.4 / 72.0;

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

/// The web address of a briefing: absolute with base_url, else relative to the site root.
pub fn web_address(b: &Briefing, config: &Config) -> String {
    match &config.base_url {
        Some(base) => format!("{base}briefings/{}/", b.slug),
        None => format!("briefings/{}/index.html", b.slug),
    }
}

/// A QR code of `address` as inline SVG, or None when it cannot be encoded (too long).
pub fn qr_svg(address: &str) -> Option<String> {
    let (modules, width) = qr::encode(address.as_bytes())?;
    Some(qr::svg(&modules, width, r#"class="qr" aria-hidden="true" focusable="false" "#))
}

/// The warning for `b`'s one-pager, if it cannot hold all it promises.
pub fn print_warning(b: &Briefing, config: &Config) -> Option<Diagnostic> {
    let plan = plan_of(b, config);
    (!plan.fits()).then(|| overflow_warning(b, &plan, config))
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
    pub flows: bool,
    /// 1 (largest type) to `STEPS.len()` (the floor): the `density-N` class.
    pub density: usize,
    pub font_pt: f64,
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
    pub html: String,
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
        let plan = plan_of(b, &site.config);
        let columns = plan
            .columns
            .iter()
            .map(|column| {
                column
                    .iter()
                    .map(|item| {
                        let s = &b.sections[item.section];
                        let html = printable(&s.body.html.unpack()[item.html.clone()]).into_owned();
                        PrintItem { number: s.number, title: &s.title, anchor: &s.anchor, html, clamp: item.clamp }
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
            flows: plan.flows,
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

/// A section's HTML as the one-pager shows it: without footnote references (the notes are
/// not on the sheet), and with links within the page pointing into the full briefing.
fn printable(html: &str) -> std::borrow::Cow<'_, str> {
    const REFERENCE: &str = "<sup class=\"footnote-ref\">";
    if !html.contains(REFERENCE) && !html.contains("href=\"#") {
        return html.into();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(REFERENCE) {
        out.push_str(&rest[..start]);
        rest = match rest[start..].find("</sup>") {
            Some(end) => &rest[start + end + "</sup>".len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out.replace("href=\"#", "href=\"index.html#").into()
}

/// The numbers print.css needs: the geometry and the type steps, and the accent colour with
/// a colour for text on it.
#[derive(Serialize)]
pub struct CssView {
    pub g: Geometry,
    pub t: Typography,
    pub s: estimate::Spacing,
    /// Each type size in points, and its line height.
    pub steps: Vec<(f64, f64)>,
    pub accent: String,
    pub on_accent: &'static str,
}

impl CssView {
    pub fn new(config: &Config) -> Self {
        CssView { g: Geometry::new(config.paper), t: TYPE, s: estimate::SPACING, steps: STEPS.iter().map(|&pt| (pt, line_height(pt * MM_PER_PT))).collect(), accent: config.accent.clone(), on_accent: text_on(&config.accent) }
    }
}

/// White or near-black, whichever reads better on `#rrggbb` (WCAG contrast: white when it
/// gives at least 4.5:1, which a dark accent does).
fn text_on(background: &str) -> &'static str {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(background.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
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
    fn printed_sections_drop_footnote_references_and_link_into_the_full_briefing() {
        let html = "<p>Babies<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" aria-describedby=\"footnotes-title\">1</a></sup> and <a href=\"#background\">more</a>.</p>\n";
        assert_eq!(printable(html), "<p>Babies and <a href=\"index.html#background\">more</a>.</p>\n");
        assert!(matches!(printable("<p>plain</p>"), std::borrow::Cow::Borrowed(_)));
    }

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
