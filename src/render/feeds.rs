//! Files for machines rather than readers: sitemap.xml and the Atom feed (which need absolute
//! addresses, so only exist when site.toml has base_url) and robots.txt.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::views::{Card, SiteView};
use super::Page;
use crate::core::dates::DateView;
use crate::core::diagnostics::{Diagnostic, Severity};
use crate::core::paths::{briefing_url, SEARCH_URL};
use crate::model::Site;

/// How many of the newest briefings the feed carries.
pub const FEED_ENTRIES: usize = 20;

#[derive(Serialize)]
struct SitemapPage {
    path: String,
    lastmod: Option<String>,
}

/// The feed pages of the site: robots.txt, and sitemap.xml and feed.xml when the site has a
/// web address (see `note`).
pub(super) fn pages(site: &Site) -> impl Iterator<Item = Page> {
    let addressed = site.config.base_url.is_some().then_some([Page::Sitemap, Page::Feed]);
    std::iter::once(Page::Robots).chain(addressed.into_iter().flatten())
}

/// Why sitemap.xml and feed.xml are missing, when they are.
pub(super) fn note(site: &Site) -> Option<Diagnostic> {
    site.config.base_url.is_none().then(|| {
        Diagnostic::new(Severity::Note, "no-base-url", "sitemap.xml and feed.xml were not written, and handouts carry no web address or QR code: they need the site's web address")
            .in_file(crate::config::FILE_NAME)
            .help("add base_url = \"https://your-site.example/briefings/\" to site.toml to publish them")
    })
}

/// robots.txt. The feed pages name no PDFs: each sees the site as a build without `--pdf`
/// does.
pub(super) fn robots(site: &Site, context: &mut Context) -> &'static str {
    context.insert("site", &SiteView::new(site));
    "robots.txt"
}

/// The sitemap of a site of the pages at `paths`.
pub(super) fn sitemap(site: &Site, paths: &[String], context: &mut Context) -> &'static str {
    context.insert("site", &SiteView::new(site));
    context.insert("pages", &sitemap_pages(site, paths));
    "sitemap.xml"
}

/// The Atom feed of the newest briefings.
pub(super) fn feed(site: &Site, context: &mut Context) -> &'static str {
    let cards: Vec<Card> = site.briefings.iter().take(FEED_ENTRIES).map(|b| Card::new(site, b)).collect();
    context.insert("site", &SiteView::new(site));
    context.insert("briefings", &cards);
    context.insert("updated", &updated(site).map_or_else(|| "1970-01-01".to_string(), |d| DateView::from(d).iso));
    "feed.xml"
}

/// When the site last changed: its newest publication or update.
pub(super) fn updated(site: &Site) -> Option<time::Date> {
    site.briefings.iter().map(|b| b.updated.unwrap_or(b.published)).max()
}

/// Every HTML page but the 404 page and the search page (which shows nothing without a
/// query), in path order, with a date for briefing pages.
fn sitemap_pages(site: &Site, paths: &[String]) -> Vec<SitemapPage> {
    let dates: HashMap<String, time::Date> = site.briefings.iter().map(|b| (briefing_url(&b.slug), b.updated.unwrap_or(b.published))).collect();
    let mut out: Vec<SitemapPage> = paths
        .iter()
        .filter(|path| path.ends_with(".html") && *path != "404.html" && *path != SEARCH_URL)
        .map(|path| SitemapPage {
            // Directory addresses are what search engines should show, not index.html.
            path: path.strip_suffix("index.html").unwrap_or(path).to_string(),
            lastmod: dates.get(path).map(|&d| DateView::from(d).iso),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
