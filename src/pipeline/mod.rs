//! The pipeline: load -> parse -> site -> render -> write, strung together. `build` writes a
//! site, `prepare` renders one in memory (for `check` and `watch`), and `build_in_memory`
//! builds from texts with no disk at all (for fuzzing and tests). Each stage is a plain
//! function over plain data; this module only calls them in order and gathers what they
//! report.

mod cache;
mod memory;
mod sources;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::core::dates::today;
use crate::core::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::core::paths::BRIEFINGS_DIR;
use crate::load::{self, Candidate, Kind};
use crate::model::{Bodies, Site};
use crate::render::{self, BodySource, OutputFile, PageKeys, RenderError, Templates};
use crate::site::attachments::{self, Copy};
use crate::write;
use sources::{Input, Modelled};

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
}

impl BuildOptions {
    /// The options for the site at `root`, written to `root/output`, drafts left out.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions { root: root.into(), output: None, drafts: false, deny_warnings: false }
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
    /// One-pagers printed to PDF.
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

/// What a build adds to the staging folder once the pages are written there, before it is
/// swapped in: `Ok` with how many files it added and its warnings, `Err` with the errors that
/// must stop the build. (`app::print` prints PDFs of the one-pagers this way.)
pub type Extra<'a> = &'a (dyn Fn(&Site, &Path) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> + Sync);

/// Builds the site and, when it has no errors, replaces the output folder with it.
pub fn build(options: &BuildOptions) -> Outcome {
    build_with(options, None)
}

/// `build`, with `extra` files added to the site before it is swapped in; pages then link to
/// the PDFs of their one-pagers.
pub fn build_with(options: &BuildOptions, extra: Option<Extra>) -> Outcome {
    let started = Instant::now();
    let output = options.output_dir();
    if let Err(d) = write::check_target(&options.root, &output) {
        return Outcome::failed(Status::IoError, d);
    }
    let mut diags = Diagnostics::new();
    let ready = ready(&options.root, options.drafts, None, &mut diags);
    let denied = options.deny_warnings && diags.count(Severity::Warning) > 0;
    let Some(ready) = ready.filter(|_| !denied) else {
        return Outcome { status: Status::ContentErrors, diagnostics: diags.sorted(), stats: Stats::default() };
    };
    let mut stats = ready.stats.clone();
    // Pages go to the staging folder as they are rendered: the site is never all in memory.
    let written = write::replace(&output, |staging| {
        let sink = |file: OutputFile| write::write_file(staging, &file);
        let bodies = |i: usize| ready.bodies(i);
        let (files, notes) = render::render_site(&ready.site, &ready.templates, extra.is_some(), None, &bodies, &sink)?;
        diags.extend(notes);
        stats.pages = count_pages(&files.paths);
        write::copy_all(staging, &ready.copies)?;
        if let Some(extra) = extra {
            let (added, warnings) = extra(&ready.site, staging).map_err(WriteError::Extra)?;
            stats.pdfs = added;
            diags.extend(warnings);
        }
        Ok(())
    });
    let status = match written {
        Ok(()) => Status::Ok,
        Err(WriteError::Template(errors)) => {
            diags.extend(errors);
            Status::ContentErrors
        }
        Err(WriteError::Io(e)) => {
            diags.push(
                Diagnostic::error("write-failed", format!("could not write the site to {}: {e}", output.display()))
                    .help("check that the folder is writable and the disk is not full; the previous site was left as it was"),
            );
            Status::IoError
        }
        Err(WriteError::Extra(errors)) => {
            diags.extend(errors);
            Status::IoError
        }
    };
    stats.elapsed = started.elapsed();
    Outcome { status, diagnostics: diags.sorted(), stats }
}

/// Why writing the site failed.
enum WriteError {
    Io(std::io::Error),
    /// A template failed while the pages were being written.
    Template(Vec<Diagnostic>),
    /// The extra files could not be made.
    Extra(Vec<Diagnostic>),
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
    /// Counts so far (pages are counted when rendered).
    pub stats: Stats,
    /// Where each briefing's text comes from when its pages are rendered.
    text: Text,
}

/// Where the text of each briefing is, for rendering.
enum Text {
    /// Kept, in the site's order (`watch`, builds in memory).
    Kept(Vec<Arc<Bodies>>),
    /// To be parsed again from the site at this root with these settings (a build).
    Again(PathBuf, Box<Config>),
}

impl Ready {
    /// The text of briefing `i` of the site.
    pub fn bodies(&self, i: usize) -> Result<Arc<Bodies>, Diagnostic> {
        match &self.text {
            Text::Kept(bodies) => Ok(bodies[i].clone()),
            Text::Again(root, config) => {
                let b = &self.site.briefings[i];
                let candidate = Candidate { kind: Kind::Briefing, slug: b.slug.clone(), path: b.source.clone(), bundle: b.bundle.clone() };
                sources::bodies_again(config, &|c| read_from(root, c), &candidate, b.fingerprint)
            }
        }
    }
}

/// A source's text, read from the site at `root`.
fn read_from(root: &Path, c: &Candidate) -> Result<String, Diagnostic> {
    load::read_source(&root.join(&c.path), &c.path)
}

/// Load, parse, model, check, and find the templates and attachments. `None` when there were
/// errors. `watch` passes what it kept from the last rebuild, so that only what a save
/// changed is read, parsed and analysed again.
pub fn ready(root: &Path, drafts: bool, kept: Option<&mut Kept>, diags: &mut Diagnostics) -> Option<Ready> {
    let config = config::load(root).map_err(|e| diags.extend(e)).ok();
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
    let input = Input { config: &config, drafts, today: today(), read: &read, keep_bodies: kept.is_some() };
    let (modelled, templates) = match kept {
        Some(kept) => {
            let modelled = sources::model(&input, candidates, Some(&mut kept.sources), diags);
            let templates = Templates::load_kept(root, kept.templates.as_ref()).inspect(|t| kept.templates = Some(t.clone()));
            (modelled, templates)
        }
        None => (sources::model(&input, candidates, None, diags), Templates::load(root).map(Arc::new)),
    };
    let templates = templates.map_err(|e| diags.extend(e)).ok();
    let Modelled { site, drafts_skipped, bodies } = modelled?;
    let (copies, copy_diags) = attachments::bundle_copies(&site);
    diags.extend(copy_diags);
    if diags.has_errors() {
        return None;
    }
    let stats = Stats { briefings: site.briefings.len(), drafts_skipped, themes: site.themes.len(), ..Stats::default() };
    let text = if input.keep_bodies { Text::Kept(bodies) } else { Text::Again(root.to_path_buf(), Box::new(config.clone())) };
    Some(Ready { site, templates: templates?, copies, stats, text })
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
}

/// What `prepare` is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct PrepareOptions<'a> {
    pub root: &'a Path,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    /// The pages link to PDFs of their one-pagers.
    pub link_pdfs: bool,
}

/// Everything but writing: the site rendered in memory, files sorted by path. `None` when
/// there were errors. With `kept`, see `ready`; a page whose key is in `kept.pages` is not
/// rendered again.
pub fn prepare(options: PrepareOptions, mut kept: Option<&mut Kept>) -> (Option<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(ready) = ready(options.root, options.drafts, kept.as_deref_mut(), &mut diags) else {
        return (None, diags);
    };
    let bodies = |i: usize| ready.bodies(i);
    let (files, rendered) = render_in_memory(&ready.site, &ready.templates, options.link_pdfs, kept.map(|k| &k.pages), &bodies);
    let Ready { site, copies, mut stats, .. } = ready;
    match rendered {
        Ok((render::SiteFiles { paths, keys }, notes)) => {
            diags.extend(notes);
            stats.pages = count_pages(&paths);
            (Some(Rendered { site, files, paths, keys, copies, stats }), diags)
        }
        Err(e) => {
            diags.extend(e);
            (None, diags)
        }
    }
}

type Files = (Vec<OutputFile>, Result<(render::SiteFiles, Vec<Diagnostic>), Vec<Diagnostic>>);

/// `render::render_site` into a list of files, sorted by path.
fn render_in_memory(site: &Site, templates: &Templates, link_pdfs: bool, previous: Option<&PageKeys>, bodies: BodySource) -> Files {
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |file: OutputFile| {
        files.lock().expect("no thread panics holding it").push(file);
        Ok(())
    };
    let rendered = render::render_site(site, templates, link_pdfs, previous, bodies, &sink).map_err(|e| match e {
        RenderError::Template(d) => d,
        // The list above takes every file; kept as an error rather than a panic all the same.
        RenderError::Write(e) => vec![Diagnostic::error("write-failed", e.to_string())],
    });
    let mut files = files.into_inner().expect("no thread panics holding it");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, rendered)
}

