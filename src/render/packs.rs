//! Training packs: each pack's page (`packs/<slug>/index.html`: what it is for, its PDF, and
//! the briefings in it), and the links to packs from the home page and each briefing's page.

use serde::Serialize;
use tera::Context;

use super::views::DownloadView;
use super::pieces::Want;
use super::{cards, Download, Templates};
use crate::core::diagnostics::Diagnostic;
use crate::core::paths::pack_url;
use crate::core::text::count;
use crate::model::Site;
use crate::site::packs::MOST_BRIEFINGS;

/// A link to a pack, with how many briefings it holds.
#[derive(Serialize, Hash)]
pub struct PackLink<'a> {
    pub title: &'a str,
    pub url: String,
    /// "4 briefings".
    pub size: String,
}

/// Every pack of the site, for the home page.
pub fn links(site: &Site) -> Vec<PackLink<'_>> {
    (0..site.packs.len()).map(|p| link(site, p)).collect()
}

/// The packs that hold briefing `i`, for its page.
pub fn holding(site: &Site, i: usize) -> Vec<PackLink<'_>> {
    (0..site.packs.len()).filter(|&p| site.packs[p].briefings.contains(&i)).map(|p| link(site, p)).collect()
}

fn link(site: &Site, p: usize) -> PackLink<'_> {
    let pack = &site.packs[p];
    PackLink { title: &pack.title, url: pack_url(&pack.slug), size: count(pack.briefings.len(), "briefing") }
}

/// Pack `p`'s page, offering `downloads` (its PDF): fills `context` (its cards as `want`
/// asks), returns the template.
pub(super) fn pack_page(site: &Site, templates: &Templates, p: usize, downloads: &[Download], want: Want, context: &mut Context) -> Result<&'static str, Diagnostic> {
    let pack = &site.packs[p];
    let root = "../../";
    context.insert("root", root);
    context.insert("nav", "");
    context.insert("pack", &PackView {
        title: &pack.title,
        intro: pack.intro.as_deref(),
        size: count(pack.briefings.len(), "briefing"),
        action_plans: pack.action_plans,
        left_out: pack.left_out,
        most: MOST_BRIEFINGS,
        downloads: downloads.iter().map(DownloadView::new).collect(),
    });
    super::insert_owned(context, "cards", cards::render(site, templates, &pack.briefings, root, cards::Level::Two, want)?.into_value());
    Ok("pack.html")
}

#[derive(Serialize)]
struct PackView<'a> {
    title: &'a str,
    intro: Option<&'a str>,
    size: String,
    action_plans: bool,
    /// How many more briefings it asks for than a pack holds (`most`).
    left_out: usize,
    most: usize,
    downloads: Vec<DownloadView<'a>>,
}
