//! The pipeline: load -> parse -> site -> render -> write, strung together. `build` writes a
//! site, `prepare` renders one in memory (for `check` and `watch`), and `build_in_memory`
//! builds from texts with no disk at all (for fuzzing and tests). Each stage is a plain
//! function over plain data; this module only calls them in order and gathers what they
//! report.

mod cache;
mod handouts;
mod memory;
mod pdf_cache;
mod sources;
mod site_files;
mod spill;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config;
use crate::core::dates::today;
use crate::core::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::core::paths::BRIEFINGS_DIR;
use crate::load::{self, Candidate, Kind};
use crate::model::{Bodies, Site};
use crate::render::{self, Attached, BriefingText, OutputFile, PageKeys, Pass, Previous, RenderError, Templates, Texts};
pub use handouts::Deferred;
use handouts::{HandoutMemo, Missing, Printer};
use crate::site::attachments::{self, Copy};
use crate::write;
use sources::{Budget, Input, Modelled, Text};
use spill::Spill;

pub use cache::{Kept, SourceCache, SourceChanges};
pub use memory::build_in_memory;

/// What `briefing build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with site.toml, briefings/, themes/).
    pub root: PathBuf,
    /// Where to write; `root/output` when not given.
    pub output: Option<PathBuf>,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
    /// Typeset each briefing's handout (and action plan) to PDF (`--no-pdf` turns it off).
    pub pdf: bool,
    /// Reuse the PDFs kept in the site's `.briefing-cache/` (`--no-cache` turns it off).
    pub cache: bool,
    /// How much of the briefings' text to keep in memory from reading to rendering.
    pub keep: Keep,
}

impl BuildOptions {
    /// The options for the site at `root`, written to `root/output`, drafts left out, with
    /// handouts from the cache.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions { root: root.into(), output: None, drafts: false, deny_warnings: false, pdf: true, cache: true, keep: Keep::default() }
    }

    /// Where the site is written: `output`, else `root/output`.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("output"))
    }
}

/// How a run ended, which sets the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success: exit code 0.
    Ok,
    /// The sources have errors (or warnings, when they are denied): exit code 1.
    ContentErrors,
    /// Reading or writing failed, or the output folder is unsafe: exit code 2.
    IoError,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Briefings built (drafts left out unless asked for).
    pub briefings: usize,
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// Themes, with and without a file.
    pub themes: usize,
    /// HTML pages written.
    pub pages: usize,
    /// PDFs written (handouts and action plans).
    pub pdfs: usize,
    /// How long the run took.
    pub elapsed: Duration,
}

/// What a build or check did: its diagnostics in a stable order, and counts.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How the run ended.
    pub status: Status,
    /// Every error, warning and note, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts for the summary line.
    pub stats: Stats,
}

impl Outcome {
    /// An outcome with one diagnostic: a run that could not start.
    pub fn failed(status: Status, d: Diagnostic) -> Outcome {
        Outcome { status, diagnostics: vec![d], stats: Stats::default() }
    }

    /// How many diagnostics of `severity` there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// `--deny-warnings`: warnings fail the run as errors do.
    pub fn deny_warnings(&mut self) {
        if self.status == Status::Ok && self.count(Severity::Warning) > 0 {
            self.status = Status::ContentErrors;
        }
    }
}

/// Builds the site and, when it has no errors, replaces the output folder with it. From the
/// start of rendering to the swap it holds the output folder's lock (`write::OutputLock`):
/// another build into the same folder waits for it, and says so.
pub fn build(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let output = options.output_dir();
    if let Err(d) = write::check_target(&options.root, &output) {
        return Outcome::failed(Status::IoError, d);
    }
    let mut diags = Diagnostics::new();
    let ready = ready(&options.root, options.drafts, None, options.keep, &mut diags);
    let denied = options.deny_warnings && diags.count(Severity::Warning) > 0;
    let Some(ready) = ready.filter(|_| !denied) else {
        return Outcome { status: Status::ContentErrors, diagnostics: diags.sorted(), stats: Stats::default() };
    };
    let printer = match ready.printer(options.pdf, options.cache, None) {
        Ok(printer) => printer,
        Err(errors) => {
            diags.extend(errors);
            return Outcome { status: Status::ContentErrors, diagnostics: diags.sorted(), stats: Stats::default() };
        }
    };
    let mut stats = ready.stats.clone();
    // Pages go to the staging folder as they are rendered: the site is never all in memory.
    let written = write::replace(&output, |staging| {
        let folder = write::Folder::new(staging);
        let sink = |file: OutputFile| folder.write(&file);
        let texts = SiteTexts { ready: &ready, printer: printer.as_ref() };
        let (files, notes) = render::render_site(&ready.site, &ready.templates, None, &texts, &sink)?;
        diags.extend(notes);
        stats.pages = count_pages(&files.paths);
        stats.pdfs = files.paths.iter().filter(|p| p.ends_with(".pdf")).count();
        folder.copy_all(&ready.copies).map_err(WriteError::Io)
    });
    if written.is_ok() && diags.count(Severity::Error) == 0 {
        // Only a complete build knows every PDF the site still needs.
        printer.iter().for_each(Printer::prune);
    }
    let status = match written {
        Ok(replaced) => {
            diags.extend(replaced.warning(&output));
            Status::Ok
        }
        Err(WriteError::Template(errors)) => {
            diags.extend(errors);
            Status::ContentErrors
        }
        Err(WriteError::Io(e)) => {
            diags.push(write::write_failed(&output, &e, "the previous site was left as it was"));
            Status::IoError
        }
    };
    drop(printer);
    // Freeing the model and every briefing's text (millions of allocations at 1,000
    // briefings) took a twentieth of a build, on one thread, while the command was done:
    // another frees them while the diagnostics are sorted and printed (as `watch` does).
    rayon::spawn(move || drop(ready));
    stats.elapsed = started.elapsed();
    Outcome { status, diagnostics: diags.sorted(), stats }
}

/// Why writing the site failed.
enum WriteError {
    Io(std::io::Error),
    /// A template (or a briefing's handout) failed while the pages were being written.
    Template(Vec<Diagnostic>),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<RenderError> for WriteError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Template(d) => WriteError::Template(d),
            RenderError::Write(e) => WriteError::Io(e),
        }
    }
}

fn count_pages(paths: &[String]) -> usize {
    paths.iter().filter(|p| p.ends_with(".html")).count()
}

/// A site loaded, modelled and checked, with its templates and attachments: ready to render.
pub struct Ready {
    pub site: Site,
    pub templates: Arc<Templates>,
    pub copies: Vec<Copy>,
    /// site.toml's `print_font`, read and checked when the site was loaded.
    font: Option<Arc<[u8]>>,
    /// Counts so far (pages are counted when rendered).
    pub stats: Stats,
    /// Where each briefing's text is, in the site's order: kept, in `spill`, or to be parsed
    /// again (with the site's settings) when its pages are rendered.
    text: Vec<Text>,
    spill: Spill,
    /// The site folder.
    root: PathBuf,
}

/// What rendering a site needs besides its model: each briefing's text, and with a `printer`
/// the handouts and packs typeset.
struct SiteTexts<'a> {
    ready: &'a Ready,
    printer: Option<&'a Printer<'a>>,
}

impl Texts for SiteTexts<'_> {
    fn briefing(&self, i: usize) -> Result<BriefingText, Diagnostic> {
        let bodies = self.ready.bodies(i)?;
        let attached = self.printer.map(|p| p.briefing(i, &bodies)).transpose()?.unwrap_or_default();
        Ok(BriefingText { bodies, attached })
    }

    fn pack(&self, p: usize) -> Result<Attached, Diagnostic> {
        let bodies = |i: usize| self.ready.bodies(i);
        Ok(self.printer.map(|printer| printer.pack(p, &bodies)).transpose()?.unwrap_or_default())
    }
}

impl Ready {
    /// What typesets the site's handouts, when there are to be any (`pdf`), reusing the PDFs
    /// in the site's cache unless `cache` is false.
    fn printer<'a>(&'a self, pdf: bool, cache: bool, memo: Option<&'a HandoutMemo>) -> Result<Option<Printer<'a>>, Vec<Diagnostic>> {
        if !pdf {
            return Ok(None);
        }
        // The logo prints as it is published: its copy holds it read and cleaned.
        let logo = self.site.config.logo.as_deref().map(render::views::logo_asset);
        let logo = self.copies.iter().find(|c| Some(&c.to) == logo.as_ref()).and_then(|c| c.contents.as_deref());
        Printer::new(&self.site, Some(&self.root), logo, self.font.clone(), cache, memo).map(Some)
    }

    /// The text of briefing `i` of the site.
    pub fn bodies(&self, i: usize) -> Result<Arc<Bodies>, Diagnostic> {
        match self.text.get(i) {
            Some(Text::Kept(bodies)) => return Ok(bodies.clone()),
            Some(Text::Spilled(at)) => {
                if let Some(bodies) = self.spill.get(*at) {
                    return Ok(Arc::new(bodies));
                }
            }
            _ => {}
        }
        let b = &self.site.briefings[i];
        let candidate = Candidate { kind: Kind::Briefing, slug: b.slug.clone(), path: b.source.clone(), bundle: b.bundle.clone() };
        sources::bodies_again(&self.site.config, &|c| read_from(&self.root, c), &candidate, b.fingerprint)
    }
}

/// How much of the briefings' text a build keeps in memory. Keeping all of a large site's
/// text would make its peak memory follow the text instead of the model (10,000 briefings are
/// 145 MB of Markdown); the HTML not kept waits in a temporary file for rendering.
#[derive(Debug, Clone, Copy)]
pub struct Keep {
    /// Each briefing's text is kept between the passes, and its HTML at all, only when the
    /// site's sources come to at most this many bytes.
    pub sources: u64,
    /// The HTML (with the Markdown the handouts need) kept for rendering stops at this many
    /// bytes; the briefings past it wait in a temporary file. A briefing's HTML is about
    /// twice its Markdown, a hostile one (a list nested a million deep) eleven times.
    pub html: u64,
    /// Whether the HTML not kept goes to a temporary file; else (or when that cannot be
    /// written) each such briefing is read and parsed again to render it.
    pub spill: bool,
}

impl Default for Keep {
    fn default() -> Keep {
        Keep { sources: 64 << 20, html: 128 << 20, spill: true }
    }
}

/// Whether the sources `candidates` of the site at `root` come to at most `limit` bytes (a
/// file that cannot be measured counts as too large: reading it will say why).
fn fits_in_memory(root: &Path, candidates: &[Candidate], limit: u64) -> bool {
    let mut total = 0u64;
    candidates.iter().all(|c| {
        total = total.saturating_add(std::fs::symlink_metadata(root.join(&c.path)).map_or(u64::MAX, |m| m.len()));
        total <= limit
    })
}

/// A source's text, read from the site at `root`.
fn read_from(root: &Path, c: &Candidate) -> Result<String, Diagnostic> {
    load::read_source(&root.join(&c.path), &c.path)
}

/// Load, parse, model, check, and find the templates and attachments. `None` when there were
/// errors. `watch` passes what it kept from the last rebuild, so that only what a save
/// changed is read, parsed and analysed again. Each briefing's text is kept for rendering
/// with `kept`, or as far as `keep` allows.
pub fn ready(root: &Path, drafts: bool, kept: Option<&mut Kept>, keep: Keep, diags: &mut Diagnostics) -> Option<Ready> {
    let config = match config::load_reporting(root) {
        Ok((config, warnings)) => {
            diags.extend(warnings);
            Some(config)
        }
        Err(e) => {
            diags.extend(e);
            None
        }
    };
    if let Some(config) = &config {
        diags.allow_everywhere(&config.allow);
    }
    if !root.join(BRIEFINGS_DIR).is_dir() {
        diags.push(
            Diagnostic::error("no-briefings", format!("there is no {BRIEFINGS_DIR}/ folder in {}", root.display()))
                .help("run briefing in a site folder (one with a briefings/ folder), or name one with --root"),
        );
        return None;
    }
    let Some(config) = config else {
        // The sources are still read, for their own errors.
        let (_, found) = load::each_source(root, |c| read_from(root, &c).map(drop));
        diags.extend(found);
        return None;
    };
    let (candidates, found) = load::candidates(root);
    diags.extend(found);
    let read = |c: &Candidate| read_from(root, c);
    let keep_text = kept.is_some() || fits_in_memory(root, &candidates, keep.sources);
    // `watch` keeps every briefing's HTML: a save renders only the pages it changed.
    let keep_html = Budget::new(if kept.is_some() {
        usize::MAX
    } else if keep_text {
        usize::try_from(keep.html).unwrap_or(usize::MAX)
    } else {
        0
    });
    // `watch` keeps it all; the file is made only when a briefing goes to it.
    let spill = Spill::default();
    let spill_to = (kept.is_none() && keep.spill).then_some(&spill);
    let input = Input { config: &config, drafts, today: today(), read: &read, keep_text, keep_html: &keep_html, spill: spill_to };
    let (modelled, templates) = match kept {
        Some(kept) => {
            let modelled = sources::model(&input, candidates, Some(&mut kept.sources), diags);
            let templates = Templates::load_kept(root, kept.templates.as_ref()).inspect(|t| kept.templates = Some(t.clone()));
            (modelled, templates)
        }
        None => (sources::model(&input, candidates, None, diags), Templates::load(root).map(|t| Arc::new(t.keeping_cards()))),
    };
    let templates = templates.map_err(|e| diags.extend(e)).ok();
    let Modelled { site, drafts_skipped, text } = modelled?;
    let (mut copies, copy_diags) = attachments::bundle_copies(&site);
    diags.extend(copy_diags);
    if let Some(logo) = &site.config.logo {
        match site_files::logo_copy(root, logo) {
            Ok((copy, warning)) => {
                copies.push(copy);
                diags.extend(warning);
            }
            Err(d) => diags.push(d),
        }
    }
    let font = site.config.print_font.as_deref().and_then(|rel| site_files::print_font(root, rel).map_err(|d| diags.push(d)).ok());
    if diags.has_errors() {
        return None;
    }
    let stats = Stats { briefings: site.briefings.len(), drafts_skipped, themes: site.themes.len(), ..Stats::default() };
    Some(Ready { site, templates: templates?, copies, font, stats, text, spill, root: root.to_path_buf() })
}

/// A site rendered in memory.
pub struct Rendered {
    pub site: Site,
    /// The files rendered: all of them, except pages whose key was unchanged.
    pub files: Vec<OutputFile>,
    /// The path of every file of the site, rendered this time or not.
    pub paths: Vec<String>,
    /// The key of every page, when rendering with the keys of the pages written last.
    pub keys: PageKeys,
    pub copies: Vec<Copy>,
    pub stats: Stats,
    /// When it is to be rendered again for what it deferred (see `finish`): what that needs.
    again: Option<Again>,
}

impl Rendered {
    /// Whether `finish` can render it again: it deferred something (a site rendered whole
    /// deferred nothing, and is finished as it is).
    pub fn deferred(&self) -> bool {
        self.again.is_some()
    }
}

/// What a site rendered deferring its handouts and search index needs to be rendered again,
/// besides what `Rendered` holds.
struct Again {
    templates: Arc<Templates>,
    font: Option<Arc<[u8]>>,
    text: Vec<Text>,
    spill: Spill,
    root: PathBuf,
    /// What loading and modelling the site found: a rendering's diagnostics begin with them.
    found: Diagnostics,
    /// As `PrepareOptions` had them.
    drafts: bool,
    pdf: bool,
    cache: bool,
}

/// What `prepare` is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct PrepareOptions<'a> {
    pub root: &'a Path,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    /// Typeset each briefing's handouts.
    pub pdf: bool,
    /// Reuse the PDFs in the site's cache.
    pub cache: bool,
    /// Write the pages first (`watch`, with a rebuild kept in `Kept`): typeset no new handout,
    /// showing the PDFs last made for a briefing where what its handout shows changed, and
    /// keep the search index as last made; `finish` makes both right after.
    pub defer: bool,
}

/// Everything but writing: the site rendered in memory, files sorted by path. `None` when
/// there were errors. With `kept`, see `ready`; a page whose key is in `kept.pages` is not
/// rendered again.
pub fn prepare(options: PrepareOptions, mut kept: Option<&mut Kept>) -> (Option<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(ready) = ready(options.root, options.drafts, kept.as_deref_mut(), Keep::default(), &mut diags) else {
        return (None, diags);
    };
    let previous = kept.as_deref().map(|k| {
        let pass = match &k.index {
            Some(index) if options.defer => Pass::Pages { index },
            _ => Pass::Whole,
        };
        Previous { keys: &k.pages, pass }
    });
    render_ready(ready, diags, options, kept.as_deref(), previous, options.defer)
}

/// What `finish` makes of a site that `prepare` rendered deferring (`defer`), in this order.
pub enum Then {
    /// The handouts it deferred (see `HandoutMemo::take_deferred`), and the pages that offer
    /// them; rendered so, the site can be finished again.
    Downloads(Deferred),
    /// The search index.
    Index,
}

/// Renders again a site that `prepare` rendered deferring its handouts and search index
/// (`defer`), making what `then` says now: the same model, so nothing is read, parsed or
/// worked out again. `None` when it was not rendered so (then `prepare` it again).
pub fn finish(rendered: Rendered, kept: &Kept, then: &Then) -> Option<(Option<Rendered>, Diagnostics)> {
    let Rendered { site, copies, stats, again: Some(again), .. } = rendered else { return None };
    let Again { templates, font, text, spill, root, found, drafts, pdf, cache } = again;
    let options = PrepareOptions { root: &root.clone(), drafts, pdf, cache, defer: false };
    let ready = Ready { site, templates, copies, font, stats, text, spill, root };
    // The same site and templates: only the search index and the pages offering the deferred
    // handouts can differ.
    let changed: HashSet<usize>;
    let pass = match then {
        Then::Downloads(deferred) => {
            changed = ready.site.briefings.iter().enumerate().filter(|(_, b)| deferred.contains(&b.slug)).map(|(i, _)| i).collect();
            Pass::Downloads(&changed)
        }
        Then::Index => Pass::Index,
    };
    let previous = Previous { keys: &kept.pages, pass };
    let again = matches!(then, Then::Downloads(_));
    Some(render_ready(ready, found, options, Some(kept), Some(previous), again))
}

/// The second half of `prepare`: renders a site made ready; with `again`, keeps what
/// `finish` needs to render it again.
fn render_ready(ready: Ready, mut diags: Diagnostics, options: PrepareOptions, kept: Option<&Kept>, previous: Option<Previous>, again: bool) -> (Option<Rendered>, Diagnostics) {
    let printer = match ready.printer(options.pdf, options.cache, kept.map(|k| &k.handouts)) {
        Ok(printer) => printer.map(|p| p.when_missing(missing(options.defer, previous))),
        Err(errors) => {
            diags.extend(errors);
            return (None, diags);
        }
    };
    let texts = SiteTexts { ready: &ready, printer: printer.as_ref() };
    let (files, rendered) = render_in_memory(&ready.site, &ready.templates, previous, &texts);
    drop(printer);
    if let Some(kept) = kept {
        kept.handouts.prune();
    }
    let found = again.then(|| diags.clone());
    let Ready { site, copies, font, mut stats, templates, text, spill, root } = ready;
    let again = found.map(|found| Again { templates, font, text, spill, root, found, drafts: options.drafts, pdf: options.pdf, cache: options.cache });
    match rendered {
        Ok((render::SiteFiles { paths, keys }, notes)) => {
            diags.extend(notes);
            stats.pages = count_pages(&paths);
            (Some(Rendered { site, files, paths, keys, copies, stats, again }), diags)
        }
        Err(e) => {
            diags.extend(e);
            (None, diags)
        }
    }
}

/// What the printer of a render does for handouts it has no PDFs for (see `Missing`).
fn missing(defer: bool, previous: Option<Previous>) -> Missing {
    match previous.map(|p| p.pass) {
        _ if defer => Missing::Defer,
        Some(Pass::Index) => Missing::Last,
        _ => Missing::Typeset,
    }
}

type Files = (Vec<OutputFile>, Result<(render::SiteFiles, Vec<Diagnostic>), Vec<Diagnostic>>);

/// `render::render_site` into a list of files, sorted by path.
fn render_in_memory(site: &Site, templates: &Templates, previous: Option<Previous>, texts: &dyn Texts) -> Files {
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |file: OutputFile| {
        files.lock().expect("no thread panics holding it").push(file);
        Ok(())
    };
    let rendered = render::render_site(site, templates, previous, texts, &sink).map_err(|e| match e {
        RenderError::Template(d) => d,
        // The list above takes every file; kept as an error rather than a panic all the same.
        RenderError::Write(e) => vec![Diagnostic::error("write-failed", e.to_string())],
    });
    let mut files = files.into_inner().expect("no thread panics holding it");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, rendered)
}

#[cfg(test)]
mod tests;
