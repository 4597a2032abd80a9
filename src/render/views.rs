//! What templates see: serialisable views of the model, with display strings and relative
//! URLs worked out once here rather than in template logic.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::core::hash;
use crate::core::dates::DateView;
use crate::core::paths::{briefing_url, facet_url, theme_url};
use crate::core::text::plural;
use super::packs::PackLink;
use super::pieces::PieceMemo;
use super::Download;
use crate::model::{Bodies, Briefing, Format, Site};

#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub partnership: &'a str,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// The logo's address from the site root (`assets/logo.svg`), when there is one.
    pub logo: Option<String>,
    /// What the logo says.
    pub logo_alt: &'a str,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            partnership: &c.partnership,
            language: &c.language,
            base_url: c.base_url.as_deref(),
            contact: c.contact.as_deref(),
            logo: c.logo.as_deref().map(logo_asset),
            logo_alt: c.logo_alt.as_deref().unwrap_or(&c.partnership),
        }
    }
}

/// Where the site's logo goes in the output: `assets/logo.svg` or `assets/logo.png`.
pub fn logo_asset(logo: &str) -> String {
    let extension = if logo.to_ascii_lowercase().ends_with(".png") { "png" } else { "svg" };
    format!("assets/logo.{extension}")
}

#[derive(Serialize, Hash)]
pub struct FormatView {
    pub slug: &'static str,
    pub label: &'static str,
}

impl From<Format> for FormatView {
    fn from(f: Format) -> Self {
        FormatView { slug: f.slug(), label: f.label() }
    }
}

#[derive(Serialize, Hash)]
pub struct ThemeLink<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
}

impl<'a> ThemeLink<'a> {
    pub fn new(site: &'a Site, slug: &'a str) -> Self {
        let title = site.theme(slug).map_or(slug, |t| t.title.as_str());
        ThemeLink { slug, title, url: theme_url(slug) }
    }
}

/// A briefing as listings show it.
#[derive(Serialize, Hash)]
pub struct Card<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub format: FormatView,
    pub published: DateView,
    pub updated: Option<DateView>,
    pub summary: Option<&'a str>,
    pub audience: Option<&'a str>,
    pub minutes: usize,
    pub reading_time: String,
    pub themes: Vec<ThemeLink<'a>>,
    /// Its value of each facet of the site that it gives one.
    pub facets: Vec<FacetLink<'a>>,
    /// "Review overdue since 1 June 2025", as site.toml words it, once `review_due` has passed.
    pub review_status: Option<String>,
    /// Themes left out of `themes` (see `Card::with_themes`).
    pub more_themes: usize,
}

/// A briefing's value of a facet, linked to the value's listing.
#[derive(Serialize, Hash)]
pub struct FacetLink<'a> {
    /// The facet's key (`age`), as the home page's filter names it.
    pub key: &'a str,
    /// The facet's title: "Who it is about".
    pub title: &'a str,
    pub value: &'a str,
    /// The value's slug, for the filter.
    pub slug: String,
    pub url: String,
}

impl<'a> FacetLink<'a> {
    pub fn new(site: &'a Site, v: crate::model::FacetValue) -> Self {
        let facet = &site.config.facets[v.facet];
        let value = &facet.values[v.value];
        let slug = crate::config::Facet::value_slug(value);
        FacetLink { key: &facet.key, title: &facet.title, value, url: facet_url(&facet.key, &slug), slug }
    }
}

impl<'a> Card<'a> {
    pub fn new(site: &'a Site, b: &'a Briefing) -> Self {
        Card::with_themes(site, b, usize::MAX)
    }

    /// The card naming the briefing's first `max` themes only, and the count of the rest:
    /// where a card is shown once for each of its themes (theme pages), all of them would make
    /// the work and the output grow with the square of a briefing's themes.
    pub fn with_themes(site: &'a Site, b: &'a Briefing, max: usize) -> Self {
        let minutes = b.reading_minutes(site.config.reading_wpm);
        Card {
            slug: &b.slug,
            title: &b.title,
            url: briefing_url(&b.slug),
            format: b.format.into(),
            published: b.published.into(),
            updated: b.updated.map(DateView::from),
            summary: b.summary.as_deref(),
            audience: b.audience.as_deref(),
            minutes,
            reading_time: format!("{minutes} minute{} read", plural(minutes)),
            themes: b.themes.iter().take(max).map(|t| ThemeLink::new(site, t)).collect(),
            more_themes: b.themes.len().saturating_sub(max),
            facets: b.facets.iter().map(|&v| FacetLink::new(site, v)).collect(),
            review_status: site.review_status(b),
        }
    }
}

#[derive(Serialize, Hash)]
pub struct SubheadingView<'a> {
    pub title: &'a str,
    pub anchor: &'a str,
}

/// HTML parsed from a briefing's source: serialised as it is, and hashed as nothing. The page
/// that shows it hashes the source's fingerprint instead (`BriefingView::source`), which
/// stands for all of it (the same fingerprint, the same parse), so that keying a thousand
/// pages in `watch` does not read a thousand pages of HTML.
#[derive(Serialize, Clone, Copy)]
#[serde(transparent)]
pub struct ParsedHtml<'a>(pub &'a str);

impl Hash for ParsedHtml<'_> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

#[derive(Serialize, Hash)]
pub struct SectionView<'a> {
    pub number: usize,
    pub title: &'a str,
    pub anchor: &'a str,
    pub html: ParsedHtml<'a>,
    pub subheadings: Vec<SubheadingView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct FootnoteView<'a> {
    pub number: usize,
    pub html: ParsedHtml<'a>,
    /// The ids of the references to this note, for back-links.
    pub backrefs: Vec<String>,
}

#[derive(Serialize, Hash)]
pub struct RelatedView<'a> {
    pub title: &'a str,
    pub url: String,
    pub shared: Vec<&'a str>,
}

/// Everything a briefing page shows.
#[derive(Serialize, Hash)]
pub struct BriefingView<'a> {
    #[serde(flatten)]
    pub card: Card<'a>,
    pub partnership: &'a str,
    pub intro: ParsedHtml<'a>,
    pub sections: Vec<SectionView<'a>>,
    pub footnotes: Vec<FootnoteView<'a>>,
    pub contents: bool,
    pub related: Vec<RelatedView<'a>>,
    /// Its handout and action plan, to download.
    pub downloads: Vec<DownloadView<'a>>,
    /// The training packs that hold it.
    pub packs: Vec<PackLink<'a>>,
    /// The fingerprint of its source, which its `ParsedHtml` is made from: hashed in their place.
    #[serde(skip)]
    pub source: u128,
}

/// A file to download, as GOV.UK shows an attachment: "Download the handout (PDF, 120 KB)".
#[derive(Serialize, Hash)]
pub struct DownloadView<'a> {
    pub label: String,
    pub url: &'a str,
    /// "PDF, 120 KB".
    pub details: String,
}

impl<'a> DownloadView<'a> {
    pub fn new(d: &'a Download) -> Self {
        DownloadView { label: format!("Download the {}", d.what), url: &d.url, details: format!("PDF, {}", file_size(d.bytes)) }
    }
}

/// A file's size as readers read it: "950 bytes", "120 KB", "1.2 MB".
pub fn file_size(bytes: usize) -> String {
    match bytes {
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{} KB", (bytes + 500) / 1000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

impl<'a> BriefingView<'a> {
    /// The page of briefing `index`, whose text is `bodies`, offering `downloads`.
    pub fn new(site: &'a Site, index: usize, bodies: &'a Bodies, downloads: &'a [Download]) -> Self {
        BriefingView {
            related: BriefingView::related(site, index),
            downloads: downloads.iter().map(DownloadView::new).collect(),
            packs: super::packs::holding(site, index),
            ..BriefingView::alone(site, index, bodies)
        }
    }

    /// A hash of all the page of briefing `index` (its text `bodies`, offering `downloads`)
    /// shows, for `watch`, which keys a thousand of them on every save. What the page shows
    /// of the briefing alone is hashed only the first time it is made from what it is
    /// (`Briefing::made_from`), when `memo` keeps hashes; what it shows of other briefings,
    /// packs and its downloads each time.
    pub fn key(site: &Site, index: usize, bodies: &Bodies, downloads: &[Download], memo: Option<&PieceMemo>) -> u128 {
        let alone = || hash::of(&BriefingView::alone(site, index, bodies));
        let alone = PieceMemo::briefing_view_hash(memo, site.briefings[index].made_from, "briefing page", alone);
        hash::of(&(alone, BriefingView::related(site, index), super::packs::holding(site, index), downloads))
    }

    /// The page of briefing `index` as the briefing alone makes it: without related
    /// briefings, packs or downloads.
    fn alone(site: &'a Site, index: usize, bodies: &'a Bodies) -> Self {
        let b = &site.briefings[index];
        let sections = b
            .sections
            .iter()
            .zip(&bodies.sections)
            .map(|(s, body)| SectionView {
                number: s.number,
                title: &s.title,
                anchor: &s.anchor,
                html: ParsedHtml(&body.html),
                subheadings: s.subheadings.iter().map(|h| SubheadingView { title: &h.title, anchor: &h.anchor }).collect(),
            })
            .collect();
        let footnotes = bodies
            .footnotes
            .iter()
            .map(|f| FootnoteView {
                number: f.number,
                html: ParsedHtml(&f.html),
                backrefs: (1..=f.references)
                    .map(|k| if k == 1 { format!("fnref-{}", f.number) } else { format!("fnref-{}-{k}", f.number) })
                    .collect(),
            })
            .collect();
        BriefingView {
            card: Card::new(site, b),
            partnership: &b.partnership,
            intro: ParsedHtml(&bodies.intro.html),
            sections,
            footnotes,
            contents: b.wants_contents(),
            related: Vec::new(),
            downloads: Vec::new(),
            packs: Vec::new(),
            source: b.fingerprint,
        }
    }

    /// The briefings related to briefing `index`, as its page lists them.
    pub fn related(site: &'a Site, index: usize) -> Vec<RelatedView<'a>> {
        site.related[index]
            .iter()
            .map(|r| {
                let other = &site.briefings[r.briefing];
                RelatedView {
                    title: &other.title,
                    url: briefing_url(&other.slug),
                    shared: r.shared.iter().map(|&t| site.themes[t].title.as_str()).collect(),
                }
            })
            .collect()
    }
}
