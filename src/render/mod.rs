//! The render stage: the site model becomes the files of `output/`, each page from a Tera
//! template (see `templates`) and a view of the model made for it (`views`). Pages are
//! rendered in parallel and handed to a sink as soon as each is made.
//!
//! `watch` passes the key of each page as it last wrote it: a hash of the page's template and
//! its whole context (a listing's cards and mentions by their keys, see `pieces`). A page whose
//! key is unchanged is not rendered again. The key is derived from what the template sees, so
//! it cannot leave out anything a page shows.

pub(crate) mod cards;
pub(crate) mod feeds;
pub(crate) mod listings;
pub(crate) mod packs;
pub(crate) mod pieces;
pub(crate) mod search;
pub(crate) mod templates;
pub(crate) mod themes;
pub(crate) mod views;

use std::collections::HashSet;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::core::dates::DateView;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::core::paths::{briefing_url, format_url, pack_url, theme_url, year_url, SEARCH_URL, THEME_INDEX_URL};
use crate::model::{Bodies, Format, Site};
pub use templates::Templates;
use pieces::Want;
use views::{BriefingView, SiteView};

/// A file to write, at a `/`-separated path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where it goes, relative to the output folder.
    pub path: String,
    /// Its bytes: shared, so a file kept from one rebuild to the next is not copied.
    pub contents: bytes::Bytes,
    /// A file that holds exactly these bytes and is never changed in place (a cached PDF): a
    /// writer filling a new folder may link it there instead of writing them.
    pub same_as: Option<std::path::PathBuf>,
}

impl OutputFile {
    /// A file of `contents` at `path`, written as it is.
    pub fn new(path: impl Into<String>, contents: Vec<u8>) -> OutputFile {
        OutputFile { path: path.into(), contents: contents.into(), same_as: None }
    }
}

/// The key of each page (a hash of its template and context) by its output path. FxHash:
/// every page is looked up in it, and it is made again, on every save.
pub type PageKeys = rustc_hash::FxHashMap<String, u128>;

/// The pages as last written (`watch`): a page whose key is the one there is not rendered again.
#[derive(Clone, Copy)]
pub struct Previous<'a> {
    pub keys: &'a PageKeys,
    pub pass: Pass<'a>,
}

/// What a `watch` pass makes. A save is written in steps: the pages first, then, rendering
/// the same site again, what takes longer to make: the handouts, then the search index.
#[derive(Clone, Copy)]
pub enum Pass<'a> {
    /// Every page whose key changed, and the assets.
    Whole,
    /// Every page whose key changed and the assets, but the search index as it was last made
    /// (these bytes): the `Index` pass after makes it again.
    Pages { index: &'a Bytes },
    /// The same site again, for the downloads of these briefings (by index) and of its packs
    /// (their handouts were deferred, and are now made): no other page can have changed, so
    /// only theirs are keyed and rendered again (the others unless they have no key).
    Downloads(&'a HashSet<usize>),
    /// The same site again, for its search index alone.
    Index,
}

/// One page to render.
#[derive(Debug, Clone, Copy, Hash)]
enum Page {
    Home,
    Briefing(usize),
    NotFound,
    Accessibility,
    Search,
    ThemeIndex,
    Theme(usize),
    Format(Format),
    Year(i32),
    /// The listing of a value of a facet: indexes into `Config::facets` and its values.
    Facet(usize, usize),
    /// A training pack's page.
    Pack(usize),
    Robots,
    Sitemap,
    Feed,
}

impl Page {
    /// Whether the page lists many briefings (and so its view is large).
    fn lists_briefings(self) -> bool {
        matches!(self, Page::Home | Page::ThemeIndex | Page::Theme(_) | Page::Format(_) | Page::Year(_) | Page::Facet(..))
    }

    /// Whether the page shows pieces (cards, mentions: see `pieces`), whose keys can stand for
    /// them in its key.
    fn has_pieces(self) -> bool {
        self.lists_briefings() || matches!(self, Page::Pack(_))
    }

    /// Whether the page offers files made elsewhere (handouts, a pack's PDF) to download:
    /// the only pages given them (see `Texts`).
    fn offers_downloads(self) -> bool {
        matches!(self, Page::Briefing(_) | Page::Pack(_))
    }
}

/// What rendering made, besides the files it handed to the sink.
pub struct SiteFiles {
    /// The path of every file of the site, rendered this time or not, in no special order.
    pub paths: Vec<String>,
    /// The key of every page, when rendering with the keys of a previous rendering.
    pub keys: PageKeys,
}

/// Where rendered files go as soon as each is made, so that a build never holds the whole
/// site in memory: the staging folder for `build`, a list for `check` and `watch`.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> io::Result<()> + Sync);

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// A template failed: the site's to fix.
    Template(Vec<Diagnostic>),
    /// The sink could not take a file.
    Write(io::Error),
}

/// Files made elsewhere for a page (a briefing's handouts, a pack's PDF), which the page links
/// to and which go out with it.
#[derive(Debug, Clone, Default)]
pub struct Attached {
    /// The files to write beside the page.
    pub files: Vec<OutputFile>,
    /// What the page offers to download, in order.
    pub downloads: Vec<Download>,
    /// What making those files found (warnings and notes).
    pub diagnostics: Vec<Diagnostic>,
}

/// What rendering a briefing's page needs besides the site: its text, and its handouts.
pub struct BriefingText {
    pub bodies: Arc<Bodies>,
    pub attached: Attached,
}

/// What rendering needs from outside the site model: each briefing's text (kept, or for a
/// large site read back from a temporary file or parsed again) and its handouts typeset.
pub trait Texts: Sync {
    /// Briefing `i` (an index into `Site::briefings`): its text and handouts.
    fn briefing(&self, i: usize) -> Result<BriefingText, Diagnostic>;
    /// Pack `p` (an index into `Site::packs`): its PDF.
    fn pack(&self, p: usize) -> Result<Attached, Diagnostic>;
}

/// A file a briefing's page offers to download, beside the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Download {
    /// What it is: "handout", "action plan".
    pub what: &'static str,
    /// Its file name, relative to the page.
    pub url: String,
    pub bytes: usize,
}

/// Renders every page and asset of the site into `sink`, taking each briefing's text and the
/// PDFs from `texts`. Also returns notes and warnings about what was left out. With
/// `previous` (`watch`), a page whose key is the one there is not rendered again.
pub fn render_site(site: &Site, templates: &Templates, previous: Option<Previous>, texts: &dyn Texts, sink: Sink) -> Result<(SiteFiles, Vec<Diagnostic>), RenderError> {
    let pages: Vec<Page> = std::iter::once(Page::Home)
        .chain(listings::pages(site))
        .chain(themes::pages(site))
        .chain([Page::NotFound, Page::Accessibility, Page::Search])
        .chain(feeds::pages(site))
        .chain((0..site.packs.len()).map(Page::Pack))
        .collect();
    let briefing_pages = (0..site.briefings.len()).map(Page::Briefing);
    let paths: Vec<String> = pages.iter().copied().chain(briefing_pages).map(|page| page_path(page, site)).collect();
    let job = Job { site, site_view: SiteView::new(site), templates, previous, paths: &paths };
    // A pass that renders the same site again renders no new piece: the pieces of the render
    // before it are still the ones to keep.
    let same_site = matches!(previous.map(|p| p.pass), Some(Pass::Downloads(_) | Pass::Index));
    if let Some(memo) = templates.pieces().filter(|_| !same_site) {
        memo.next_render();
    }
    let hand_on = |mut made: Made| -> Result<Made, RenderError> {
        made.file.take().map_or(Ok(()), sink).map_err(RenderError::Write)?;
        Ok(made)
    };
    let failed = |d: Diagnostic| RenderError::Template(vec![d]);
    // A page, and the files made for it.
    let with = |page: Page, text: Option<&Bodies>, attached: Attached| -> Result<Vec<Made>, RenderError> {
        let mut made = match job.as_it_was(page) {
            Some(made) => made,
            None => job.render(page, text, &attached.downloads).map_err(failed)?,
        };
        made.notes = attached.diagnostics;
        let files = attached.files.into_iter().map(|file| Made { path: file.path.clone(), key: None, file: Some(file), notes: Vec::new() });
        std::iter::once(made).chain(files).map(hand_on).collect()
    };
    let render = |&page: &Page| -> Result<Vec<Made>, RenderError> {
        match page {
            // Its PDF is in the site whether or not the page is rendered again.
            Page::Pack(p) => with(page, None, texts.pack(p).map_err(failed)?),
            _ => match job.as_it_was(page) {
                Some(made) => Ok(vec![made]),
                None => with(page, None, Attached::default()),
            },
        }
    };
    let render_briefing = |i: usize| -> Result<Vec<Made>, RenderError> {
        let text = texts.briefing(i).map_err(failed)?;
        with(Page::Briefing(i), Some(&text.bodies), text.attached)
    };
    // A page that lists briefings holds its rendered cards (or a theme's mentions) and then
    // itself: some megabytes each for a large site. A build renders listings one at a time
    // (each one's cards in parallel), beside the pages of single briefings (in parallel) and
    // the assets, so that at most one of them is in memory at once. A `watch` rebuild renders
    // only those whose key changed, in parallel: a title change reaches dozens of them.
    let (lists, singles): (Vec<Page>, Vec<Page>) = pages.iter().partition(|page| page.lists_briefings());
    let lists = || -> Vec<_> {
        match previous {
            Some(p) if !p.keys.is_empty() => lists.par_iter().map(render).collect(),
            _ => lists.iter().map(render).collect(),
        }
    };
    let (mut made, (singles, assets)): (Vec<_>, (Vec<_>, _)) = rayon::join(
        lists,
        || {
            let singles = || singles.par_iter().map(render).chain((0..site.briefings.len()).into_par_iter().map(render_briefing)).collect();
            rayon::join(singles, || match previous.map(|p| p.pass) {
                Some(Pass::Downloads(_)) => Ok(Vec::new()),
                Some(Pass::Index) => Ok(vec![search::index(site)]),
                Some(Pass::Pages { index }) => assets(site, templates, Some(index)),
                _ => assets(site, templates, None),
            })
        },
    );
    made.extend(singles);
    let mut out = SiteFiles { paths: Vec::with_capacity(paths.len() + 8), keys: PageKeys::default() };
    let mut errors = Vec::new();
    let mut notes: Vec<Diagnostic> = feeds::note(site).into_iter().collect();
    for result in made {
        match result {
            Ok(made) => {
                for made in made {
                    out.keys.extend(made.key.map(|key| (made.path.clone(), key)));
                    out.paths.push(made.path);
                    notes.extend(made.notes);
                }
            }
            Err(RenderError::Template(e)) => errors.extend(e),
            Err(RenderError::Write(e)) => return Err(RenderError::Write(e)),
        }
    }
    // Assets are always rendered (and written only when their bytes change), except by the
    // passes that render the same site again: the same site makes the same assets, but for
    // the search index, which the `Index` pass makes.
    out.paths.extend(ASSETS.iter().map(|a| a.to_string()));
    match assets {
        Ok(files) => {
            files.into_iter().try_for_each(sink).map_err(RenderError::Write)?;
        }
        Err(e) => errors.push(e),
    }
    if errors.is_empty() {
        Ok((out, notes))
    } else {
        errors.dedup();
        Err(RenderError::Template(errors))
    }
}

/// One page (or a file made for one): rendered, or only keyed when its key is unchanged;
/// with what making it found.
struct Made {
    path: String,
    key: Option<u128>,
    file: Option<OutputFile>,
    notes: Vec<Diagnostic>,
}

/// What rendering any page needs.
struct Job<'a> {
    site: &'a Site,
    site_view: SiteView<'a>,
    templates: &'a Templates,
    /// The keys of the pages as last written, to leave unchanged ones alone.
    previous: Option<Previous<'a>>,
    /// The path of every page, for the sitemap.
    paths: &'a [String],
}

impl Job<'_> {
    /// `page` left as it was, without working out its key, when the same site is rendered
    /// again only for downloads and it offers none of those, or for the search index.
    fn as_it_was(&self, page: Page) -> Option<Made> {
        let previous = self.previous?;
        let may_change = match (previous.pass, page) {
            (Pass::Whole | Pass::Pages { .. }, _) => return None,
            (Pass::Index, _) => false,
            (Pass::Downloads(changed), Page::Briefing(i)) => changed.contains(&i),
            (Pass::Downloads(_), _) => page.offers_downloads(),
        };
        if may_change {
            return None;
        }
        let path = page_path(page, self.site);
        let key = *previous.keys.get(&path)?;
        Some(Made { path, key: Some(key), file: None, notes: Vec::new() })
    }

    /// Renders `page` (with its briefing's text, for a briefing's pages), unless its key says
    /// it is unchanged.
    fn render(&self, page: Page, text: Option<&Bodies>, downloads: &[Download]) -> Result<Made, Diagnostic> {
        let path = page_path(page, self.site);
        let context = |want| page_context(page, self.site, &self.site_view, self.templates, self.paths, text, downloads, want);
        // A page is keyed with its pieces' keys in place of their HTML, and so made again
        // with their HTML when it must be rendered.
        let keyed_apart = self.previous.is_some() && page.has_pieces();
        let made = |key, file| Made { path: path.clone(), key, file, notes: Vec::new() };
        let mut given = None;
        let key = match self.previous {
            Some(previous) => {
                let key = match self.briefing_key(page, text, downloads) {
                    Some(key) => key,
                    None => {
                        let (template, mut input) = context(if keyed_apart { Want::Keys } else { Want::Html })?;
                        let key = self.key(template, &mut input);
                        given = (!keyed_apart).then_some((template, input));
                        key
                    }
                };
                if previous.keys.get(&path) == Some(&key) {
                    return Ok(made(Some(key), None));
                }
                Some(key)
            }
            None => None,
        };
        let (template, input) = match given {
            Some(given) => given,
            None => context(Want::Html)?,
        };
        let context = match input {
            Input::Context(context) => context,
            Input::Briefing(page) => Context::from_serialize(&page).map_err(|e| templates::template_error(&e))?,
        };
        let mut html = self.templates.render(template, &context)?;
        // The last guard of every XML file (feed, sitemap): whatever a template or a value
        // brought in, no character XML 1.0 forbids is written.
        if path.ends_with(".xml") {
            html = crate::core::text::strip_xml_forbidden(&html).into_owned();
        }
        Ok(made(key, Some(OutputFile::new(path.clone(), html.into_bytes()))))
    }

    /// The key of a page: its template, the templates' text and everything it is given: its
    /// whole context, or a briefing page's view (by its derived `Hash`, which covers every
    /// field the template sees, without serialising a thousand pages to compare them).
    fn key(&self, template: &str, input: &mut Input) -> u128 {
        let given = match input {
            Input::Briefing(page) => hash::of(page),
            Input::Context(context) => {
                let json = std::mem::take(context).into_json();
                let key = hash::of_json(&json);
                *context = Context::from_value(json).expect("a context is an object");
                key
            }
        };
        hash::of(&(self.templates.fingerprint, template, given))
    }

    /// The key of a briefing's page, from its view's key (see `BriefingView::key`) rather
    /// than its whole view. `None` for other pages, and without the briefing's text (then
    /// making its context says what is wrong).
    fn briefing_key(&self, page: Page, text: Option<&Bodies>, downloads: &[Download]) -> Option<u128> {
        let (Page::Briefing(i), Some(text)) = (page, text) else { return None };
        let view = BriefingView::key(self.site, i, text, downloads, self.templates.pieces());
        Some(hash::of(&(self.templates.fingerprint, BRIEFING_TEMPLATE, &self.site_view, BRIEFING_ROOT, view)))
    }
}

/// What a page is rendered from.
enum Input<'a> {
    Context(Context),
    /// A briefing's page: the most numerous, kept as its view until it must be rendered.
    Briefing(Box<BriefingPage<'a>>),
}

const BRIEFING_TEMPLATE: &str = "briefing.html";
/// The way back to the site root from a briefing's page.
const BRIEFING_ROOT: &str = "../../";

/// What `briefing.html` sees.
#[derive(Serialize, Hash)]
struct BriefingPage<'a> {
    site: &'a SiteView<'a>,
    root: &'static str,
    nav: &'static str,
    b: BriefingView<'a>,
}

/// Where a page goes in the output.
fn page_path(page: Page, site: &Site) -> String {
    match page {
        Page::Home => "index.html".to_string(),
        Page::Briefing(i) => briefing_url(&site.briefings[i].slug),
        Page::NotFound => "404.html".to_string(),
        Page::Accessibility => "accessibility/index.html".to_string(),
        Page::Search => SEARCH_URL.to_string(),
        Page::ThemeIndex => THEME_INDEX_URL.to_string(),
        Page::Theme(i) => theme_url(&site.themes[i].slug),
        Page::Format(format) => format_url(format.slug()),
        Page::Year(year) => year_url(year),
        Page::Facet(f, v) => listings::facet_value_url(&site.config.facets[f], v),
        Page::Pack(p) => pack_url(&site.packs[p].slug),
        Page::Robots => "robots.txt".to_string(),
        Page::Sitemap => "sitemap.xml".to_string(),
        Page::Feed => "feed.xml".to_string(),
    }
}

/// A page's template and context. `paths`: the path of every page; `text`: the text of the
/// briefing, for a briefing's page.
#[allow(clippy::too_many_arguments)]
fn page_context<'a>(page: Page, site: &'a Site, site_view: &'a SiteView, templates: &Templates, paths: &[String], text: Option<&'a Bodies>, downloads: &'a [Download], want: Want) -> Result<(&'static str, Input<'a>), Diagnostic> {
    let text = || text.ok_or_else(|| Diagnostic::error("internal", format!("no text was given for the page {}", page_path(page, site))));
    let mut context = Context::new();
    context.insert("site", site_view);
    let template = match page {
        Page::Home => {
            let all: Vec<usize> = (0..site.briefings.len()).collect();
            context.insert("root", "");
            context.insert("nav", "briefings");
            insert_owned(&mut context, "cards", cards::render(site, templates, &all, "", cards::Level::Two, want)?.into_value());
            context.insert("browse", &listings::Browse::new(site));
            context.insert("packs", &packs::links(site));
            "index.html"
        }
        Page::Briefing(i) => {
            let b = BriefingView::new(site, i, text()?, downloads);
            return Ok((BRIEFING_TEMPLATE, Input::Briefing(Box::new(BriefingPage { site: site_view, root: BRIEFING_ROOT, nav: "", b }))));
        }
        Page::NotFound => {
            // Hosts serve this page at any depth, so relative links cannot work: it uses the
            // site's address when there is one, and otherwise assumes the domain's root.
            context.insert("root", site.config.base_url.as_deref().unwrap_or("/"));
            context.insert("nav", "");
            // Its own styles inline, so that it is readable wherever the host serves it.
            context.insert("inline_css", &stylesheet(site, templates)?);
            "404.html"
        }
        Page::Accessibility => {
            context.insert("root", "../");
            context.insert("nav", "");
            context.insert("reviewed", &site.config.accessibility_reviewed.map(DateView::from));
            "accessibility.html"
        }
        Page::Search => {
            context.insert("root", "../");
            context.insert("nav", "search");
            context.insert("browse", &listings::Browse::new(site));
            "search.html"
        }
        Page::ThemeIndex => themes::index_page(site, &mut context),
        Page::Theme(i) => themes::theme_page(site, templates, i, want, &mut context)?,
        Page::Format(format) => listings::format_page(site, templates, format, want, &mut context)?,
        Page::Year(year) => listings::year_page(site, templates, year, want, &mut context)?,
        Page::Facet(f, v) => listings::facet_page(site, templates, f, v, want, &mut context)?,
        Page::Pack(p) => packs::pack_page(site, templates, p, downloads, want, &mut context)?,
        Page::Robots => feeds::robots(site, &mut context),
        Page::Sitemap => feeds::sitemap(site, paths, &mut context),
        Page::Feed => feeds::feed(site, &mut context),
    };
    Ok((template, Input::Context(context)))
}

/// Puts `value` in `context` under `key` without copying it. `Context::insert` serialises its
/// argument, copying every string: a listing's cards or a theme's mentions, megabytes for a
/// large site, would be held twice until the copy is made.
fn insert_owned(context: &mut Context, key: &str, value: tera::Value) {
    let mut map = tera::Map::new();
    map.insert(key.to_string(), value);
    context.extend(Context::from_value(tera::Value::Object(map)).expect("an object makes a context"));
}

fn stylesheet(site: &Site, templates: &Templates) -> Result<String, Diagnostic> {
    let mut context = Context::new();
    context.insert("accent", &site.config.accent);
    templates.render("style.css", &context)
}

/// The files `assets` makes.
const ASSETS: [&str; 5] = ["assets/style.css", "assets/highlight.css", "assets/search.js", search::INDEX, "assets/filter.js"];

/// The assets, with the search index as `index` when given (see `Pass::Pages`).
fn assets(site: &Site, templates: &Templates, index: Option<&Bytes>) -> Result<Vec<OutputFile>, Diagnostic> {
    let css = stylesheet(site, templates)?;
    let files = vec![
        OutputFile::new(ASSETS[0], css.into_bytes()),
        OutputFile::new(ASSETS[1], crate::parse::highlight::stylesheet().as_bytes().to_vec()),
        OutputFile::new(ASSETS[2], templates.render("search.js", &Context::new())?.into_bytes()),
        index.map_or_else(|| search::index(site), |bytes| OutputFile { path: search::INDEX.to_string(), contents: bytes.clone(), same_as: None }),
        OutputFile::new(ASSETS[4], templates.render("filter.js", &Context::new())?.into_bytes()),
    ];
    debug_assert!(files.iter().map(|f| f.path.as_str()).eq(ASSETS));
    Ok(files)
}
