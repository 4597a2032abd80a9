//! `briefing check --external`: do the pages on other sites that briefings, themes and templates
//! link to still answer? Off by default: without `--external` a check makes no network request.
//! What fails is a warning, not an error, since the web is flaky; each points at the line of
//! the source that has the address, so that the officer can fix it there.

mod fetch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use fetch::Limits;
use fetch::Answer;

use super::linkcheck::{attribute_values, decode_entities};
use crate::core::diagnostics::{Diagnostic, Severity, Span};
use crate::model::Site;
use crate::parse::links::web_address;
use crate::render::OutputFile;

/// How long one request may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long all the requests together may take: what is not asked by then is a note.
pub const TOTAL_TIME: Duration = Duration::from_secs(120);

/// Where a web address is written.
struct Place {
    url: String,
    file: PathBuf,
    span: Span,
    /// Found in a rendered page, not in the Markdown of a source: a template, site.toml or
    /// raw HTML put it there.
    in_page: bool,
}

/// What the check found on one site, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostReport {
    /// The site, as `host[:port]`.
    pub host: String,
    /// Different addresses on the site.
    pub addresses: usize,
    /// Addresses that answered with an error or not at all.
    pub broken: usize,
    /// Not asked, or the site asked for fewer requests.
    pub unchecked: usize,
}

/// Asks about every web address that `site`'s sources and rendered `files` link to, except
/// those under the site's own `base_url` (pages of this build, which may not be published yet).
pub fn check(site: &Site, files: &[OutputFile], limits: &Limits) -> (Vec<Diagnostic>, Vec<HostReport>) {
    let places = places(site, files);
    let mut urls: Vec<String> = places.iter().map(|p| p.url.clone()).collect();
    urls.sort();
    urls.dedup();
    let answers = fetch::check_all(&urls, limits);
    let diagnostics = places.iter().filter_map(|p| diagnostic(p, answers.get(&p.url)?, limits)).collect();
    (diagnostics, hosts(&urls, &answers))
}

/// Every place a web address is written: each link in the Markdown of briefings and themes,
/// then, once each, addresses that only the rendered pages have.
fn places(site: &Site, files: &[OutputFile]) -> Vec<Place> {
    let sources = site.briefings.iter().map(|b| (&b.source, &b.external_links[..]));
    let themes = site.themes.iter().filter_map(|t| Some((t.source.as_ref()?, &t.external_links[..])));
    let mut places: Vec<Place> = sources
        .chain(themes)
        .flat_map(|(file, links)| links.iter().map(|l| Place { url: l.url.clone(), file: file.clone(), span: l.span.clone(), in_page: false }))
        .collect();
    let mut seen: HashSet<String> = places.iter().map(|p| p.url.clone()).collect();
    let mut pages: Vec<&OutputFile> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for page in pages {
        let Ok(html) = std::str::from_utf8(&page.contents) else { continue };
        for (offset, value) in attribute_values(html, "href").chain(attribute_values(html, "src")) {
            let url = decode_entities(value);
            if web_address(&url).is_some() && seen.insert(url.clone()) {
                let span = Span::locate(html, offset..offset + value.len());
                places.push(Place { url, file: format!("output/{}", page.path).into(), span, in_page: true });
            }
        }
    }
    let own = site.config.base_url.as_deref();
    places.retain(|p| own.is_none_or(|own| !p.url.starts_with(own)));
    places
}

/// The warning or note for an address at `place`, unless it is fine.
fn diagnostic(place: &Place, answer: &Answer, limits: &Limits) -> Option<Diagnostic> {
    const MOVED: &str = "the page may have moved; find its new address or remove the link";
    const LATER: &str = "this may pass: check again later, and if it stays, find the page's new address or remove the link";
    let url = &place.url;
    let (d, help) = match answer {
        Answer::Fine => return None,
        Answer::Status(status @ (401 | 403)) => (
            broken(format!("the link to {url} is refused ({})", status_text(*status))),
            "open the link in a browser: if the page shows there, the site turns away automatic checks and the link is fine; if it asks you to log in, readers may not be able to see it",
        ),
        Answer::Status(status) if *status >= 500 => (broken(format!("the link to {url} answers {}: the site has a problem", status_text(*status))), LATER),
        Answer::Status(status) => (broken(format!("the link to {url} answers {}", status_text(*status))), MOVED),
        Answer::NoSuchHost => (
            broken(format!("the link to {url} names a site that could not be found")),
            "check the address for typing mistakes; if it is right, the site may have closed: find where the page went or remove the link",
        ),
        Answer::TimedOut => (broken(format!("the link to {url} did not answer within {} s", limits.timeout.as_secs_f64())), LATER),
        Answer::Unreachable(why) => (broken(format!("the link to {url} could not be reached: {why}")), LATER),
        Answer::Failed(why) => (broken(format!("the link to {url} does not lead to a page: {why}")), MOVED),
        Answer::RateLimited => (
            unchecked(format!("the link to {url} was not checked: the site asked for fewer requests (429 Too Many Requests)")),
            "the page is probably fine; check again later, or open it in a browser",
        ),
        Answer::NotAsked(why) => (unchecked(format!("the link to {url} was not checked: {why}")), "check again later, or open it in a browser"),
    };
    let help = if place.in_page {
        format!("{help}. The address is not in the Markdown of a briefing: it comes from a template in templates/, site.toml, or HTML written in a briefing, so change it there")
    } else {
        help.to_string()
    };
    Some(d.in_file(&place.file).at_span(place.span.clone()).help(help))
}

fn broken(message: String) -> Diagnostic {
    Diagnostic::warning("broken-external-link", message)
}

fn unchecked(message: String) -> Diagnostic {
    Diagnostic::new(Severity::Note, "external-link-unchecked", message)
}

/// "404 Not Found", or the number alone for a status without a standard name.
fn status_text(status: u16) -> String {
    match ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The answers counted by site, in the order of the sites' names.
fn hosts(urls: &[String], answers: &HashMap<String, Answer>) -> Vec<HostReport> {
    let mut hosts: BTreeMap<String, HostReport> = BTreeMap::new();
    for url in urls {
        let host = fetch::host(url);
        let report = hosts.entry(host.clone()).or_insert(HostReport { host, addresses: 0, broken: 0, unchecked: 0 });
        report.addresses += 1;
        match answers.get(url) {
            Some(Answer::Fine) | None => {}
            Some(Answer::RateLimited | Answer::NotAsked(_)) => report.unchecked += 1,
            Some(_) => report.broken += 1,
        }
    }
    hosts.into_values().collect()
}
