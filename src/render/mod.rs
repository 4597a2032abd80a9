//! The render stage: the site model becomes the files of `output/`. Templates are Tera, built
//! into the binary and overridable by files of the same name in the site's `templates/`;
//! they are parsed once per build and pages are rendered in parallel.

pub mod cards;
pub mod feeds;
mod keys;
pub mod listings;
pub mod print;
pub mod search;
pub mod themes;
pub mod views;

use std::io;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::incremental::{self, Memo, PageKeys};
use crate::model::{Format, Site};
use crate::output::OutputFile;
use keys::Keys;
use views::{BriefingView, SiteView};

/// The built-in templates and assets, by the name a site's override would have.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("briefing.html", include_str!("../../templates/briefing.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("accessibility.html", include_str!("../../templates/accessibility.html")),
    ("print.html", include_str!("../../templates/print.html")),
    ("print.css", include_str!("../../templates/print.css")),
    ("style.css", include_str!("../../templates/style.css")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("search.js", include_str!("../../templates/search.js")),
    ("card.html", include_str!("../../templates/card.html")),
    ("mention.html", include_str!("../../templates/mention.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("listing.html", include_str!("../../templates/listing.html")),
    ("filter.js", include_str!("../../templates/filter.js")),
];

pub const TEMPLATES_DIR: &str = "templates";

pub struct Templates {
    tera: Tera,
    /// A hash of every template's source: pages made with other templates differ.
    fingerprint: u128,
}

impl Templates {
    /// The built-in templates, with any of the same name in `root/templates/` instead.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        Templates::from_sources(Templates::read(root)?)
    }

    /// `load`, reusing `kept` when the templates' text is the same (`watch`: parsing them
    /// is a tenth of a rebuild).
    pub fn load_kept(root: &Path, kept: &mut Option<Arc<Templates>>) -> Result<Arc<Templates>, Vec<Diagnostic>> {
        let sources = Templates::read(root)?;
        match kept {
            Some(templates) if templates.fingerprint == incremental::hash_of(&sources) => Ok(templates.clone()),
            _ => {
                let templates = Arc::new(Templates::from_sources(sources)?);
                *kept = Some(templates.clone());
                Ok(templates)
            }
        }
    }

    /// The text of each template, by name.
    fn read(root: &Path) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String)> = BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
        let mut errors = Vec::new();
        let dir = root.join(TEMPLATES_DIR);
        if dir.is_dir() {
            for (name, _) in BUILTIN {
                let path = dir.join(name);
                if !path.is_file() {
                    continue;
                }
                let rel = Path::new(TEMPLATES_DIR).join(name);
                match crate::source::read_source(&path, &rel) {
                    Ok(text) => sources.iter_mut().filter(|(n, _)| n == name).for_each(|(_, s)| *s = text.clone()),
                    Err(d) => errors.push(d),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(sources)
    }

    /// The built-in templates alone.
    pub fn builtin() -> Result<Templates, Vec<Diagnostic>> {
        Templates::from_sources(BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect())
    }

    fn from_sources(sources: Vec<(String, String)>) -> Result<Templates, Vec<Diagnostic>> {
        let fingerprint = incremental::hash_of(&sources);
        let mut tera = Tera::default();
        tera.add_raw_templates(sources).map_err(|e| vec![template_error(&e)])?;
        tera.set_escape_fn(crate::source::markdown::escape_html);
        tera.autoescape_on(vec![".html", ".xml"]);
        Ok(Templates { tera, fingerprint })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| template_error(&e))
    }
}

/// A Tera error with its causes (the useful part is often in the chain).
fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Diagnostic::error("template", message.replace('\n', " "))
        .in_file(TEMPLATES_DIR)
        .help("fix the template named above, or delete your copy in templates/ to use the built-in one")
}

/// One page to render.
#[derive(Debug, Clone, Copy, Hash)]
enum Page {
    Home,
    Briefing(usize),
    NotFound,
    Accessibility,
    ThemeIndex,
    Theme(usize),
    Format(Format),
    Year(i32),
    /// A briefing's printable one-pager.
    Print(usize),
    Robots,
    Sitemap,
    Feed,
}

impl Page {
    /// Whether the page lists many briefings (and so its view is large).
    fn lists_briefings(self) -> bool {
        matches!(self, Page::Home | Page::ThemeIndex | Page::Theme(_) | Page::Format(_) | Page::Year(_))
    }
}

/// What rendering made, besides the files it handed to the sink.
pub struct SiteFiles {
    /// The path of every file of the site, rendered this time or not, in no special order.
    pub paths: Vec<String>,
    /// The key of every page (see `keys`), when rendering with a memo.
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

/// Renders every page and asset of the site into `sink`. Also returns notes about what was
/// left out. `pdf`: the build also prints each one-pager to `briefings/<slug>/<slug>.pdf`, so
/// pages link to it. With a `memo` (`watch`), a page whose key is the one in `memo.pages` is
/// not rendered again.
pub fn render_site(site: &Site, templates: &Templates, pdf: bool, memo: Option<&mut Memo>, sink: Sink) -> Result<(SiteFiles, Vec<Diagnostic>), RenderError> {
    let pages: Vec<Page> = std::iter::once(Page::Home)
        .chain(listings::pages(site))
        .chain(themes::pages(site))
        .chain([Page::NotFound, Page::Accessibility])
        .chain(feeds::pages(site))
        .chain((0..site.briefings.len()).map(Page::Briefing))
        .chain((0..site.briefings.len()).map(Page::Print))
        .collect();
    let paths: Vec<String> = pages.iter().map(|&page| page_path(page, site)).collect();
    let (previous, search) = match memo {
        Some(memo) => (Some(&memo.pages), Some(&mut memo.search)),
        None => (None, None),
    };
    let job = Job {
        site,
        site_view: SiteView { pdf, ..SiteView::new(site) },
        templates,
        keys: previous.map(|previous| Keys::new(site, templates, pdf, &paths, previous)),
        paths: &paths,
    };
    let render = |(&page, path): (&Page, &String)| -> Result<Made, RenderError> {
        let mut made = job.render(page, path).map_err(|d| RenderError::Template(vec![d]))?;
        made.file.take().map_or(Ok(()), sink).map_err(RenderError::Write)?;
        Ok(made)
    };
    // A page that lists briefings holds its rendered cards (or a theme's mentions) and then
    // itself: 20 to 26 MB for the home page or a near-universal theme's page at 10,000
    // briefings. Listings are rendered one at a time (each one's cards in parallel), beside
    // the pages of single briefings (in parallel) and the assets (the search index reads every
    // briefing's text), so that at most one of them is in memory at once.
    let (lists, singles): (Vec<_>, Vec<_>) = pages.iter().zip(&paths).partition(|(page, _)| page.lists_briefings());
    let (mut made, (singles, assets)): (Vec<_>, (Vec<_>, _)) = rayon::join(
        || lists.into_iter().map(render).collect(),
        || rayon::join(|| singles.into_par_iter().map(render).collect(), || assets(site, templates, search)),
    );
    made.extend(singles);
    let mut out = SiteFiles { paths: Vec::with_capacity(made.len() + 8), keys: PageKeys::new() };
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok(made) => {
                out.keys.extend(made.key.map(|key| (made.path.clone(), key)));
                out.paths.push(made.path);
            }
            Err(RenderError::Template(e)) => errors.extend(e),
            Err(RenderError::Write(e)) => return Err(RenderError::Write(e)),
        }
    }
    // Assets are always rendered (and written only when their bytes change).
    match assets {
        Ok(files) => {
            out.paths.extend(files.iter().map(|f| f.path.clone()));
            files.into_iter().try_for_each(sink).map_err(RenderError::Write)?;
        }
        Err(e) => errors.push(e),
    }
    let notes = feeds::note(site).into_iter().collect();
    if errors.is_empty() {
        Ok((out, notes))
    } else {
        errors.dedup();
        Err(RenderError::Template(errors))
    }
}

/// One page: rendered, or only keyed when its key is unchanged.
struct Made {
    path: String,
    key: Option<u128>,
    file: Option<OutputFile>,
}

/// What rendering any page needs.
struct Job<'a> {
    site: &'a Site,
    site_view: SiteView<'a>,
    templates: &'a Templates,
    /// With a memo: the keys of pages, to leave unchanged ones alone.
    keys: Option<Keys<'a>>,
    /// The path of every page, for the sitemap.
    paths: &'a [String],
}

impl Job<'_> {
    /// Renders `page`, which goes at `path`, unless its key says it is unchanged.
    fn render(&self, page: Page, path: &str) -> Result<Made, Diagnostic> {
        let keys = self.keys.as_ref();
        let unchanged = |key: Option<u128>| keys.is_some_and(|k| key.is_some() && k.previous.get(path) == key.as_ref());
        let made = |key, file| Made { path: path.to_string(), key, file };
        // Most pages are keyed from the model, without making their views (for briefing pages
        // and one-pagers, most of their cost: the layout and the QR code).
        let quick = keys.and_then(|k| k.quick(page, self.site));
        if unchanged(quick) {
            return Ok(made(quick, None));
        }
        let (template, context) = self.context(page)?;
        let (key, context) = match keys {
            Some(k) if quick.is_none() => {
                let (key, context) = k.of_context(context);
                (Some(key), context)
            }
            _ => (quick, context),
        };
        if unchanged(key) {
            return Ok(made(key, None));
        }
        let html = self.templates.render(template, &context)?;
        Ok(made(key, Some(OutputFile { path: path.to_string(), contents: html.into_bytes() })))
    }

    fn context(&self, page: Page) -> Result<(&'static str, Context), Diagnostic> {
        page_context(page, self.site, &self.site_view, self.templates, self.paths)
    }
}

/// Where a page goes in the output.
fn page_path(page: Page, site: &Site) -> String {
    match page {
        Page::Home => "index.html".to_string(),
        Page::Briefing(i) => views::briefing_url(&site.briefings[i].slug),
        Page::NotFound => "404.html".to_string(),
        Page::Accessibility => "accessibility/index.html".to_string(),
        Page::ThemeIndex => themes::INDEX_PATH.to_string(),
        Page::Theme(i) => views::theme_url(&site.themes[i].slug),
        Page::Format(format) => listings::format_url(format),
        Page::Year(year) => listings::year_url(year),
        Page::Print(i) => views::print_url(&site.briefings[i].slug),
        Page::Robots => "robots.txt".to_string(),
        Page::Sitemap => "sitemap.xml".to_string(),
        Page::Feed => "feed.xml".to_string(),
    }
}

/// A page's template and context. `paths`: the path of every page.
fn page_context(page: Page, site: &Site, site_view: &SiteView, templates: &Templates, paths: &[String]) -> Result<(&'static str, Context), Diagnostic> {
    let mut context = Context::new();
    context.insert("site", site_view);
    let template = match page {
        Page::Home => {
            let all: Vec<usize> = (0..site.briefings.len()).collect();
            context.insert("root", "");
            context.insert("nav", "briefings");
            insert_owned(&mut context, "cards", html_list(cards::render(site, templates, &all, "", cards::Level::Two)?));
            context.insert("browse", &listings::Browse::new(site));
            "index.html"
        }
        Page::Briefing(i) => {
            context.insert("root", "../../");
            context.insert("nav", "");
            context.insert("b", &BriefingView::new(site, i));
            "briefing.html"
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
            context.insert("reviewed", &site.config.accessibility_reviewed.map(crate::model::DateView::from));
            "accessibility.html"
        }
        Page::ThemeIndex => themes::index_page(site, &mut context),
        Page::Theme(i) => themes::theme_page(site, templates, i, &mut context)?,
        Page::Format(format) => listings::format_page(site, templates, format, &mut context)?,
        Page::Year(year) => listings::year_page(site, templates, year, &mut context)?,
        Page::Print(i) => {
            context.insert("root", "../../");
            context.insert("paper", print::Geometry::new(site.config.paper).paper);
            context.insert("p", &print::PrintView::new(site, i, site_view.pdf));
            "print.html"
        }
        Page::Robots => feeds::robots(site, &mut context),
        Page::Sitemap => feeds::sitemap(site, paths, &mut context),
        Page::Feed => feeds::feed(site, &mut context),
    };
    Ok((template, context))
}

/// Puts `value` in `context` under `key` without copying it. `Context::insert` serialises its
/// argument, copying every string: for a listing's cards or a theme's mentions, ten megabytes
/// at 10,000 briefings, held twice until the copy is made.
fn insert_owned(context: &mut Context, key: &str, value: tera::Value) {
    let mut map = tera::Map::new();
    map.insert(key.to_string(), value);
    context.extend(Context::from_value(tera::Value::Object(map)).expect("an object makes a context"));
}

/// Renders `template` once for each of `items`, in parallel, each with the small context that
/// `fill` makes: the pieces (cards, a theme's mentions) that listings get as HTML.
fn render_pieces<T: Sync>(templates: &Templates, template: &str, items: &[T], fill: impl Fn(&T, &mut Context) + Sync) -> Result<Vec<String>, Diagnostic> {
    items
        .par_iter()
        .map(|item| {
            let mut context = Context::new();
            fill(item, &mut context);
            templates.render(template, &context)
        })
        .collect()
}

/// Rendered pieces of a page (cards, mentions) as a template value: moved, not copied.
fn html_list(pieces: Vec<String>) -> tera::Value {
    tera::Value::Array(pieces.into_iter().map(tera::Value::String).collect())
}

fn stylesheet(site: &Site, templates: &Templates) -> Result<String, Diagnostic> {
    let mut context = Context::new();
    context.insert("accent", &site.config.accent);
    templates.render("style.css", &context)
}

fn assets(site: &Site, templates: &Templates, search: Option<&mut incremental::Keyed<String>>) -> Result<Vec<OutputFile>, Diagnostic> {
    let css = stylesheet(site, templates)?;
    let print_css = templates.render("print.css", &Context::from_serialize(print::CssView::new(&site.config)).map_err(|e| template_error(&e))?)?;
    Ok(vec![
        OutputFile { path: "assets/style.css".into(), contents: css.into_bytes() },
        OutputFile { path: "assets/print.css".into(), contents: print_css.into_bytes() },
        OutputFile { path: "assets/highlight.css".into(), contents: crate::highlight::stylesheet().as_bytes().to_vec() },
        OutputFile { path: "assets/search.js".into(), contents: templates.render("search.js", &Context::new())?.into_bytes() },
        search::index(site, search),
        OutputFile { path: "assets/filter.js".into(), contents: templates.render("filter.js", &Context::new())?.into_bytes() },
    ])
}
