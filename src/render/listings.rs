//! Listings of briefings by format (`formats/<format>/index.html`), by year
//! (`years/<year>/index.html`) and by each value of the site's facets
//! (`<facet>/<value>/index.html`), and the home page's ways in to them: plain links that work
//! without JavaScript, and the options of its instant filter.

use serde::Serialize;
use tera::Context;

use super::pieces::Want;
use super::{cards, Page, Templates};
use crate::core::diagnostics::Diagnostic;
use crate::config::Facet;
use crate::core::paths::{facet_url, format_url, theme_url, year_url};
use crate::core::text::count;
use crate::model::{Briefing, Format, Site};

/// The listing pages to render: one per format and per year that has briefings.
pub(super) fn pages(site: &Site) -> impl Iterator<Item = Page> {
    let formats = formats(site).into_iter().map(|(f, _)| Page::Format(f));
    let facet_values = facet_values(site).into_iter().map(|(f, v, _)| Page::Facet(f, v));
    formats.chain(years(site).into_iter().map(|(y, _)| Page::Year(y))).chain(facet_values)
}

/// Each value of each facet that briefings give, as (facet, value, how many), in site.toml's
/// order.
fn facet_values(site: &Site) -> Vec<(usize, usize, usize)> {
    let mut counts: Vec<Vec<usize>> = site.config.facets.iter().map(|f| vec![0; f.values.len()]).collect();
    for v in site.briefings.iter().flat_map(|b| &b.facets) {
        counts[v.facet][v.value] += 1;
    }
    let mut out = Vec::new();
    for (f, values) in counts.iter().enumerate() {
        out.extend(values.iter().enumerate().filter(|(_, &n)| n > 0).map(|(v, &n)| (f, v, n)));
    }
    out
}

/// Where a facet's value is listed.
pub(super) fn facet_value_url(facet: &Facet, value: usize) -> String {
    facet_url(&facet.key, &Facet::value_slug(&facet.values[value]))
}

/// The listing of the briefings that give facet `f` the value `v`: fills `context` (its cards
/// as `want` asks), returns the template.
pub(super) fn facet_page(site: &Site, templates: &Templates, f: usize, v: usize, want: Want, context: &mut Context) -> Result<&'static str, Diagnostic> {
    let facet = &site.config.facets[f];
    let heading = format!("{}: {}", facet.title, facet.values[v]);
    let wanted = crate::model::FacetValue { facet: f, value: v };
    listing(site, templates, &heading, |b| b.facets.contains(&wanted), want, context)?;
    Ok("listing.html")
}

/// Formats that have briefings, in the usual order, with how many.
fn formats(site: &Site) -> Vec<(Format, usize)> {
    Format::ALL
        .into_iter()
        .map(|f| (f, site.briefings.iter().filter(|b| b.format == f).count()))
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// Years that have briefings, newest first, with how many.
fn years(site: &Site) -> Vec<(i32, usize)> {
    let mut years: Vec<(i32, usize)> = Vec::new();
    // Briefings are newest first, so each year's are together.
    for b in &site.briefings {
        match years.last_mut() {
            Some((year, n)) if *year == b.published.year() => *n += 1,
            _ => years.push((b.published.year(), 1)),
        }
    }
    years
}

/// What a format's listing calls its briefings.
fn format_heading(format: Format) -> &'static str {
    match format {
        Format::SevenMinute => "7-minute briefings",
        Format::Practitioner => "Practitioner learning briefings",
        Format::Thematic => "Thematic review briefings",
        Format::Guidance => "Guidance",
    }
}

/// A format's listing, at `format_url`: fills `context`, returns the template.
pub(super) fn format_page(site: &Site, templates: &Templates, format: Format, want: Want, context: &mut Context) -> Result<&'static str, Diagnostic> {
    listing(site, templates, format_heading(format), |b| b.format == format, want, context)?;
    Ok("listing.html")
}

/// A year's listing, at `year_url`: fills `context`, returns the template.
pub(super) fn year_page(site: &Site, templates: &Templates, year: i32, want: Want, context: &mut Context) -> Result<&'static str, Diagnostic> {
    listing(site, templates, &format!("Briefings published in {year}"), |b| b.published.year() == year, want, context)?;
    Ok("listing.html")
}

fn listing(site: &Site, templates: &Templates, heading: &str, keep: impl Fn(&Briefing) -> bool, want: Want, context: &mut Context) -> Result<(), Diagnostic> {
    let listed: Vec<usize> = (0..site.briefings.len()).filter(|&i| keep(&site.briefings[i])).collect();
    let root = "../../";
    context.insert("root", root);
    context.insert("nav", "");
    context.insert("heading", heading);
    context.insert("lede", &format!("{}, newest first.", count(listed.len(), "briefing")));
    super::insert_owned(context, "cards", cards::render(site, templates, &listed, root, cards::Level::Two, want)?.into_value());
    Ok(())
}

/// The home page's ways to narrow the list.
#[derive(Serialize, Hash)]
pub struct Browse {
    /// Themes that briefings are tagged with, by title.
    pub themes: Vec<Choice>,
    pub formats: Vec<Choice>,
    pub years: Vec<Choice>,
    /// The site's facets, each with its values that briefings give.
    pub facets: Vec<FacetChoices>,
}

/// One facet's ways to narrow the list.
#[derive(Serialize, Hash)]
pub struct FacetChoices {
    /// Its key: the filter's name (`age`), and `data-facet-age` on each card.
    pub key: String,
    pub title: String,
    pub choices: Vec<Choice>,
}

/// One way to narrow the list: its value for the filter, its name, its static page.
#[derive(Serialize, Hash)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub url: String,
    pub count: usize,
}

impl Browse {
    pub fn new(site: &Site) -> Self {
        let mut themes: Vec<Choice> = site
            .themes
            .iter()
            .zip(&site.theme_refs)
            .filter(|(_, refs)| !refs.tagged.is_empty())
            .map(|(t, refs)| Choice { value: t.slug.clone(), label: t.title.clone(), url: theme_url(&t.slug), count: refs.tagged.len() })
            .collect();
        themes.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));
        let formats = formats(site)
            .into_iter()
            .map(|(f, count)| Choice { value: f.slug().to_string(), label: format_heading(f).to_string(), url: format_url(f.slug()), count })
            .collect();
        let years = years(site).into_iter().map(|(y, count)| Choice { value: y.to_string(), label: y.to_string(), url: year_url(y), count }).collect();
        let mut facets: Vec<FacetChoices> = site.config.facets.iter().map(|f| FacetChoices { key: f.key.clone(), title: f.title.clone(), choices: Vec::new() }).collect();
        for (f, v, count) in facet_values(site) {
            let facet = &site.config.facets[f];
            let value = &facet.values[v];
            facets[f].choices.push(Choice { value: Facet::value_slug(value), label: value.clone(), url: facet_value_url(facet, v), count });
        }
        facets.retain(|f| !f.choices.is_empty());
        Browse { themes, formats, years, facets }
    }
}
