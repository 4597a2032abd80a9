//! Page keys, for `watch`: a hash of everything a page shows. A page whose key is the one it
//! was written with is not rendered again (see `incremental`).
//!
//! Most pages are keyed from the model, which costs far less than making their views: a
//! briefing's own content is its fingerprint (its source text and the settings), and what a
//! page shows of a briefing elsewhere (its title, date, format, summary, themes) is its card.
//! A page kind with no key here is keyed by its whole template context, which is always right
//! but costs the view. `tests/watch.rs` holds every rebuild to equal a full build, so a key
//! that leaves out something its page shows fails there.

use std::hash::Hash;

use rayon::prelude::*;
use tera::Context;
use xxhash_rust::xxh3::Xxh3;

use super::listings::Browse;
use super::views::{BriefingView, Card};
use super::{Page, Templates};
use crate::incremental::{self, PageKeys};
use crate::model::Site;

pub(super) struct Keys<'a> {
    /// The key of each page as it was written last.
    pub previous: &'a PageKeys,
    /// What every page depends on: the templates, the settings and whether PDFs are linked.
    site: u128,
    /// The key of each briefing's card, by index.
    cards: Vec<u128>,
    /// The key of the home page's ways in (`Browse`), shown on every listing.
    browse: u128,
    /// The key of the sitemap: every page's path and each briefing's date.
    sitemap: u128,
}

impl<'a> Keys<'a> {
    /// `paths`: the path of every page.
    pub fn new(site: &Site, templates: &Templates, pdf: bool, paths: &[String], previous: &'a PageKeys) -> Keys<'a> {
        let dates: Vec<_> = site.briefings.iter().map(|b| b.updated.unwrap_or(b.published)).collect();
        Keys {
            previous,
            site: incremental::combine(&[templates.fingerprint, incremental::settings_hash(&site.config), pdf as u128]),
            cards: site.briefings.par_iter().map(|b| incremental::hash_view(&Card::new(site, b))).collect(),
            browse: incremental::hash_view(&Browse::new(site)),
            sitemap: incremental::hash_view(&(paths, dates)),
        }
    }

    /// The key of `page` from the model, for the kinds of page that have one.
    pub fn quick(&self, page: Page, site: &Site) -> Option<u128> {
        let mut h = Xxh3::new();
        self.site.hash(&mut h);
        std::mem::discriminant(&page).hash(&mut h);
        match page {
            Page::Briefing(i) => {
                (site.briefings[i].fingerprint, self.cards[i]).hash(&mut h);
                BriefingView::related(site, i).hash(&mut h);
            }
            Page::Print(i) => (site.briefings[i].fingerprint, self.cards[i]).hash(&mut h),
            // Listings show cards (a format's or year's, keyed here by all of them), the home
            // page also its ways in; the 404 and accessibility pages only the settings.
            Page::Home | Page::Format(_) | Page::Year(_) => {
                (page, &self.cards, self.browse).hash(&mut h);
            }
            Page::NotFound | Page::Accessibility | Page::Robots => {}
            Page::Sitemap => self.sitemap.hash(&mut h),
            // The newest briefings' cards, and the date of the newest change.
            Page::Feed => (&self.cards[..site.briefings.len().min(super::feeds::FEED_ENTRIES)], super::feeds::updated(site)).hash(&mut h),
            Page::Theme(i) => self.theme(site, i, &mut h),
            Page::ThemeIndex => return None,
        }
        Some(h.digest128())
    }

    /// A theme page shows the theme, the cards of the briefings tagged with it, excerpts of the
    /// sections that mention it with their titles, and the names of its related themes.
    fn theme(&self, site: &Site, i: usize, h: &mut Xxh3) {
        let (theme, refs) = (&site.themes[i], &site.theme_refs[i]);
        (&theme.slug, &theme.title, &theme.description.html).hash(h);
        theme.aliases.iter().for_each(|a| a.name.hash(h));
        refs.tagged.iter().for_each(|&b| self.cards[b].hash(h));
        // The excerpts themselves, not the fingerprints of the briefings they are from: most
        // saves leave every excerpt as it was, and theme pages are costly to render.
        for m in &refs.mentions {
            let section = m.section.map(|s| &site.briefings[m.briefing].sections[s]);
            (self.cards[m.briefing], section.map(|s| (s.number, &s.title, &s.anchor)), m).hash(h);
        }
        let name = |t: usize| (&site.themes[t].slug, &site.themes[t].title);
        refs.declared.iter().for_each(|&t| name(t).hash(h));
        refs.co_occurring.iter().for_each(|c| (name(c.theme), c.briefings).hash(h));
    }

    /// The key of a page from its whole template context; returns the context unchanged.
    pub fn of_context(&self, context: Context) -> (u128, Context) {
        let json = context.into_json();
        let key = incremental::combine(&[self.site, incremental::hash_of(&json)]);
        (key, Context::from_value(json).expect("a context is an object"))
    }
}
