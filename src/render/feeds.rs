//! Files for machines rather than readers: sitemap.xml and the Atom feed (which need absolute
//! addresses, so only exist when site.toml has base_url) and robots.txt.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::views::{briefing_url, Card, SiteView};
use super::Templates;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{DateView, Site};
use crate::output::OutputFile;

/// How many of the newest briefings the feed carries.
pub const FEED_ENTRIES: usize = 20;

#[derive(Serialize)]
struct SitemapPage {
    path: String,
    lastmod: Option<String>,
}

/// sitemap.xml, feed.xml and robots.txt for a site of the pages at `paths`; a note when the
/// first two had to be left out.
pub fn render(site: &Site, templates: &Templates, paths: &[String]) -> Result<(Vec<OutputFile>, Option<Diagnostic>), Diagnostic> {
    let mut context = Context::new();
    context.insert("site", &SiteView::new(site));
    let robots = templates.render("robots.txt", &context)?;
    let mut files = vec![OutputFile { path: "robots.txt".into(), contents: robots.into_bytes() }];
    if site.config.base_url.is_none() {
        let note = Diagnostic::new(Severity::Note, "no-base-url", "sitemap.xml and feed.xml were not written: they need the site's web address")
            .in_file(crate::config::FILE_NAME)
            .help("add base_url = \"https://your-site.example/briefings/\" to site.toml to publish them");
        return Ok((files, Some(note)));
    }
    context.insert("pages", &sitemap_pages(site, paths));
    files.push(OutputFile { path: "sitemap.xml".into(), contents: templates.render("sitemap.xml", &context)?.into_bytes() });

    let cards: Vec<Card> = site.briefings.iter().take(FEED_ENTRIES).map(|b| Card::new(site, b)).collect();
    let updated = site.briefings.iter().map(|b| b.updated.unwrap_or(b.published)).max();
    context.insert("briefings", &cards);
    context.insert("updated", &updated.map_or_else(|| "1970-01-01".to_string(), |d| DateView::from(d).iso));
    files.push(OutputFile { path: "feed.xml".into(), contents: templates.render("feed.xml", &context)?.into_bytes() });
    Ok((files, None))
}

/// Every HTML page but the 404 page, in path order, with a date for briefing pages.
fn sitemap_pages(site: &Site, paths: &[String]) -> Vec<SitemapPage> {
    let dates: HashMap<String, time::Date> = site.briefings.iter().map(|b| (briefing_url(&b.slug), b.updated.unwrap_or(b.published))).collect();
    let mut out: Vec<SitemapPage> = paths
        .iter()
        .filter(|path| path.ends_with(".html") && *path != "404.html")
        .map(|path| SitemapPage {
            // Directory addresses are what search engines should show, not index.html.
            path: path.strip_suffix("index.html").unwrap_or(path).to_string(),
            lastmod: dates.get(path).map(|&d| DateView::from(d).iso),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
