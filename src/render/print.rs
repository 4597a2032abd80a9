//! The printable one-pager's page (`briefings/<slug>/print.html`) and its stylesheet, drawn
//! from the plan the site stage made (`site::print`).

use serde::Serialize;

use super::qr;
use super::views::{FormatView, ThemeLink};
use crate::config::Config;
use crate::core::dates::DateView;
use crate::core::paths::briefing_address;
use crate::model::print::{Layout, STEPS};
use crate::model::{Bodies, Site};
use crate::site::print::estimate::{self, line_height};
use crate::site::print::{Geometry, Typography, MM_PER_PT, TYPE};

/// A QR code of `address` as inline SVG, or None when it cannot be encoded (too long).
pub fn qr_svg(address: &str) -> Option<String> {
    let (modules, width) = qr::encode(address.as_bytes())?;
    Some(qr::svg(&modules, width, r#"class="qr" aria-hidden="true" focusable="false" "#))
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
    /// The one-pager of briefing `index`, whose text is `bodies`.
    pub fn new(site: &'a Site, index: usize, bodies: &Bodies, pdf: bool) -> Self {
        let b = &site.briefings[index];
        let plan = &site.print_plans[index];
        let columns = plan
            .columns
            .iter()
            .map(|column| {
                column
                    .iter()
                    .map(|item| {
                        let s = &b.sections[item.section];
                        let html = printable(&bodies.sections[item.section].html[item.html.clone()]).into_owned();
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
        let address = briefing_address(site.config.base_url.as_deref(), &b.slug);
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
