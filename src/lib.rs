//! `briefing`: a static site generator for safeguarding partnership briefings.
//!
//! Data flows one way: load (find files) -> parse (front matter, Markdown) -> model (the
//! `Site`, its cross-reference) -> render (Tera) -> write (staging folder, swapped in whole).
//! Each stage is a plain function over plain data; this module strings them together.

pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod external;
pub mod fuzzing;
pub mod highlight;
pub mod import;
pub mod incremental;
pub mod linkcheck;
pub mod model;
pub mod output;
pub mod packed;
pub mod pdf;
pub mod printing;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod watch;
pub mod words;
pub mod xref;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use diagnostics::{Diagnostic, Diagnostics};
use incremental::{Memo, PageKeys};
use model::Site;
use output::{Copy, OutputFile};
use source::{Kind, SourceFile};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with site.toml, briefings/, themes/).
    pub root: PathBuf,
    /// Where to write; `root/output` when not given.
    pub output: Option<PathBuf>,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    /// Also print each briefing's one-pager to `briefings/<slug>/<slug>.pdf`.
    pub pdf: bool,
    /// The browser to print with; else `BRIEFING_BROWSER`, else one found on PATH.
    pub browser: Option<PathBuf>,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Also print every one-pager in a browser and warn about each that spills off its sheet.
    pub print: bool,
    /// The browser to print with; else `BRIEFING_BROWSER`, else one found on PATH.
    pub browser: Option<PathBuf>,
    /// Also ask other sites whether the pages the site links to still answer (`--external`).
    pub external: Option<external::Limits>,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("output"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// The sources have errors: exit code 1.
    ContentErrors,
    /// Reading or writing failed, or the output folder is unsafe: exit code 2.
    IoError,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub briefings: usize,
    pub drafts_skipped: usize,
    pub themes: usize,
    pub pages: usize,
    /// One-pagers printed to PDF (`--pdf`).
    pub pdfs: usize,
    pub elapsed: Duration,
    /// What `check --external` found, site by site.
    pub external: Vec<external::HostReport>,
}

/// What a build or check did: its diagnostics in a stable order, and counts.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Outcome {
    pub fn count(&self, severity: diagnostics::Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// `--deny-warnings` for a check: warnings fail it as errors do.
    pub fn deny_warnings(&mut self) {
        if self.status == Status::Ok && self.count(diagnostics::Severity::Warning) > 0 {
            self.status = Status::ContentErrors;
        }
    }
}

/// The rendered site, ready to write.
pub struct Rendered {
    pub site: Site,
    /// The files rendered: all of them, except pages that `Memo::pages` says are unchanged.
    pub files: Vec<OutputFile>,
    /// The path of every file of the site, rendered this time or not.
    pub paths: Vec<String>,
    /// The key of every page, when rendering with a memo (see `render::keys`).
    pub keys: PageKeys,
    pub copies: Vec<Copy>,
    pub stats: Stats,
}

/// Builds the site and, when it has no errors, replaces the output folder with it.
pub fn build(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let output = options.output_dir();
    let failed = |d: Diagnostic| Outcome { status: Status::IoError, diagnostics: vec![d], stats: Stats::default() };
    if let Err(d) = output::check_target(&options.root, &output) {
        return failed(d);
    }
    // Find the browser first: a build that cannot make its PDFs fails before doing any work.
    let browser = match options.pdf.then(|| pdf::find_browser(options.browser.as_deref())).transpose() {
        Ok(browser) => browser,
        Err(d) => return failed(d),
    };
    let mut diags = Diagnostics::new();
    let ready = ready(&options.root, options.drafts, None, &mut diags);
    let denied = options.deny_warnings && diags.count(diagnostics::Severity::Warning) > 0;
    let Some(ready) = ready.filter(|_| !denied) else {
        return Outcome { status: Status::ContentErrors, diagnostics: finished(diags, &options.root), stats: Stats::default() };
    };
    let mut stats = ready.stats.clone();
    // Pages go to the staging folder as they are rendered: the site is never all in memory.
    let written = output::replace(&output, |staging| {
        let sink = |file: OutputFile| output::write_file(staging, &file);
        let (files, notes) = render::render_site(&ready.site, &ready.templates, options.pdf, None, &sink)?;
        diags.extend(notes);
        stats.pages = count_pages(&files.paths);
        output::copy_all(staging, &ready.copies)?;
        if let Some(browser) = &browser {
            diags.extend(printing::write_pdfs(&ready.site, staging, browser).map_err(WriteError::Pdf)?);
            stats.pdfs = ready.site.briefings.len();
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
        Err(WriteError::Pdf(errors)) => {
            diags.extend(errors);
            Status::IoError
        }
    };
    stats.elapsed = started.elapsed();
    Outcome { status, diagnostics: finished(diags, &options.root), stats }
}

/// The diagnostics in order, with the source lines of spans that the model kept without them
/// (`Briefing::detach_spans`) read again from the site at `root`.
pub(crate) fn finished(diags: Diagnostics, root: &Path) -> Vec<Diagnostic> {
    diags.finish(|file| source_text(root, file))
}

/// The text of the source at `file` (relative to `root`), read again.
pub(crate) fn source_text(root: &Path, file: &Path) -> Option<String> {
    source::read_source(&root.join(file), file).ok()
}

/// Why writing the site failed.
enum WriteError {
    Io(std::io::Error),
    /// A template failed while the pages were being written.
    Template(Vec<Diagnostic>),
    /// Printing the PDFs failed (only with `--pdf`).
    Pdf(Vec<Diagnostic>),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<render::RenderError> for WriteError {
    fn from(e: render::RenderError) -> Self {
        match e {
            render::RenderError::Template(d) => WriteError::Template(d),
            render::RenderError::Write(e) => WriteError::Io(e),
        }
    }
}

fn count_pages(paths: &[String]) -> usize {
    paths.iter().filter(|p| p.ends_with(".html")).count()
}

/// Validates everything a build would, and every link of the rendered site, writing nothing.
pub fn check(root: &Path) -> Outcome {
    check_with(root, &CheckOptions::default())
}

/// Validates everything a build would, writes nothing, and with `print` also prints every
/// one-pager in a browser to see that it fits its sheet.
pub fn check_with(root: &Path, options: &CheckOptions) -> Outcome {
    let started = Instant::now();
    let browser = match options.print.then(|| pdf::find_browser(options.browser.as_deref())).transpose() {
        Ok(browser) => browser,
        Err(d) => return Outcome { status: Status::IoError, diagnostics: vec![d], stats: Stats::default() },
    };
    let (rendered, mut diags) = prepare(root, false, false, None);
    let mut hosts = Vec::new();
    if let Some(r) = &rendered {
        diags.extend(linkcheck::check(&r.files, &r.copies));
        if let Some(limits) = &options.external {
            let (found, asked) = external::check(&r.site, &r.files, limits);
            diags.extend(found);
            hosts = asked;
        }
    }
    let mut status = if rendered.is_some() && !diags.has_errors() { Status::Ok } else { Status::ContentErrors };
    if let (Some(r), Some(browser)) = (&rendered, &browser) {
        match printing::measure(&r.site, &r.files, &r.copies, browser) {
            Ok(warnings) => diags.extend(warnings),
            Err(d) => {
                diags.push(d);
                status = Status::IoError;
            }
        }
    }
    let mut stats = rendered.map(|r| r.stats).unwrap_or_default();
    stats.elapsed = started.elapsed();
    stats.external = hosts;
    Outcome { status, diagnostics: finished(diags, root), stats }
}

/// A site loaded, modelled and checked, with its templates and attachments: ready to render.
pub struct Ready {
    pub site: Site,
    pub templates: Arc<render::Templates>,
    pub copies: Vec<Copy>,
    /// Counts so far (pages are counted when rendered).
    pub stats: Stats,
}

/// Load, parse, model, check, and find the templates and attachments. `None` when there were
/// errors. `watch` passes a memo so that only what a save changed is worked out again (see
/// `incremental`).
pub fn ready(root: &Path, drafts: bool, mut memo: Option<&mut Memo>, diags: &mut Diagnostics) -> Option<Ready> {
    let (site, drafts_skipped) = load_with(root, drafts, memo.as_deref_mut(), diags)?;
    diags.extend(checks::run(&site, today(), memo.as_deref_mut().map(|m| &mut m.checks)));
    let templates = match memo {
        Some(memo) => render::Templates::load_kept(root, &mut memo.templates),
        None => render::Templates::load(root).map(Arc::new),
    };
    let templates = templates.map_err(|e| diags.extend(e)).ok();
    let (copies, copy_diags) = output::bundle_copies(&site);
    diags.extend(copy_diags);
    if diags.has_errors() {
        return None;
    }
    let stats = Stats { briefings: site.briefings.len(), drafts_skipped, themes: site.themes.len(), ..Stats::default() };
    Some(Ready { site, templates: templates?, copies, stats })
}

/// Everything but writing: the site rendered in memory. `None` when there were errors.
/// `pdf`: the pages link to the PDFs that the build will print. With a `memo`, see `ready`
/// and `render::render_site`.
pub fn prepare(root: &Path, drafts: bool, pdf: bool, mut memo: Option<&mut Memo>) -> (Option<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(Ready { site, templates, copies, mut stats }) = ready(root, drafts, memo.as_deref_mut(), &mut diags) else {
        return (None, diags);
    };
    let (files, rendered) = render_in_memory(&site, &templates, pdf, memo);
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

/// `render::render_site` into a list of files, sorted by path.
fn render_in_memory(
    site: &Site,
    templates: &render::Templates,
    pdf: bool,
    memo: Option<&mut Memo>,
) -> (Vec<OutputFile>, Result<(render::SiteFiles, Vec<Diagnostic>), Vec<Diagnostic>>) {
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |file: OutputFile| {
        files.lock().expect("no thread panics holding it").push(file);
        Ok(())
    };
    let rendered = render::render_site(site, templates, pdf, memo, &sink).map_err(|e| match e {
        render::RenderError::Template(d) => d,
        // The list above takes every file; kept as an error rather than a panic all the same.
        render::RenderError::Write(e) => vec![Diagnostic::error("write-failed", e.to_string())],
    });
    let mut files = files.into_inner().expect("no thread panics holding it");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, rendered)
}

/// The whole pipeline but the disk: builds a site from `(path, text)` pairs (`site.toml`,
/// `briefings/<slug>.md`, `briefings/<slug>/index.md`, `themes/<slug>.md`; other paths are
/// ignored) with the built-in templates, and returns the files it would write (none when
/// there are errors) and every diagnostic. For fuzzing and for tests of the whole pipeline.
pub fn build_in_memory(files: &[(&str, &str)]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new();
    let config = match files.iter().find(|(path, _)| *path == config::FILE_NAME) {
        Some((_, text)) => config::parse(text),
        None => Ok(config::Config::default()),
    };
    let config = match config {
        Ok(config) => {
            diags.allow_everywhere(&config.allow);
            config
        }
        Err(e) => {
            diags.extend(e);
            return (Vec::new(), diags.sorted());
        }
    };
    // Spans kept by the model lose their lines (`Briefing::detach_spans`): these are the texts
    // to read them again from.
    let text_of = |file: &Path| {
        let (path, text) = files.iter().find(|(path, _)| Path::new(path) == file)?;
        Some(source::from_memory(path, text)?.ok()?.text.to_string())
    };
    let sources: Vec<SourceFile> = files
        .iter()
        .filter_map(|(path, text)| source::from_memory(path, text))
        .filter_map(|source| source.map_err(|d| diags.push(d)).ok())
        .collect();
    let Some((site, _)) = model(config, sources, false, None, &mut diags) else {
        return (Vec::new(), diags.finish(text_of));
    };
    diags.extend(checks::run(&site, today(), None));
    let templates = render::Templates::builtin().expect("the built-in templates parse");
    let (files, rendered) = render_in_memory(&site, &templates, false, None);
    if let Err(e) = rendered {
        diags.extend(e);
    }
    let files = if diags.has_errors() { Vec::new() } else { files };
    (files, diags.finish(text_of))
}

/// Reads and parses every source into the site model. `None` when there were errors.
pub fn load(root: &Path, drafts: bool, diags: &mut Diagnostics) -> Option<(Site, usize)> {
    load_with(root, drafts, None, diags)
}

/// `load`, reusing what `memo` remembers of every source it has seen with the same text.
pub fn load_with(root: &Path, drafts: bool, memo: Option<&mut Memo>, diags: &mut Diagnostics) -> Option<(Site, usize)> {
    let config = match config::load(root) {
        Ok(config) => {
            diags.allow_everywhere(&config.allow);
            Some(config)
        }
        Err(e) => {
            diags.extend(e);
            None
        }
    };
    if !root.join(source::BRIEFINGS_DIR).is_dir() {
        diags.push(
            Diagnostic::error("no-briefings", format!("there is no {}/ folder in {}", source::BRIEFINGS_DIR, root.display()))
                .help("run briefing in a site folder (one with a briefings/ folder), or name one with --root"),
        );
        return None;
    }
    let Some(memo) = memo else { return load_streaming(root, config, drafts, diags) };
    let (sources, found) = source::find_sources(root, Some(&mut memo.texts));
    diags.extend(found);
    model(config?, sources, drafts, Some(memo), diags)
}

/// `load` without a memo (a build): each source is parsed as soon as it is read, so that the
/// texts of all the sources are never in memory at once. With no `config` (site.toml has
/// errors) the sources are only read, for their own errors.
fn load_streaming(root: &Path, config: Option<config::Config>, drafts: bool, diags: &mut Diagnostics) -> Option<(Site, usize)> {
    let settings = config.as_ref().map(incremental::settings_hash);
    let parse = |s: SourceFile| Some(parse_stamped(&s, config.as_ref()?, settings?));
    let (results, found) = source::read_each(root, parse);
    diags.extend(found);
    let (briefings, themes) = gather(results.into_iter().flatten(), diags);
    assemble(config?, briefings, themes, drafts, None, diags)
}

/// Parses sources (only the changed ones when there is a memo) and assembles the site model.
/// `None` when there were errors.
fn model(config: config::Config, sources: Vec<SourceFile>, drafts: bool, mut memo: Option<&mut Memo>, diags: &mut Diagnostics) -> Option<(Site, usize)> {
    let (briefings, themes) = parse_all(sources, &config, memo.as_mut().map(|m| &mut m.parse), diags);
    assemble(config, briefings, themes, drafts, memo.map(|m| &mut m.xref), diags)
}

/// The model of parsed sources, unless they (or it) have errors.
fn assemble(
    config: config::Config,
    briefings: Vec<model::Briefing>,
    themes: Vec<model::Theme>,
    drafts: bool,
    xref: Option<&mut xref::XrefMemo>,
    diags: &mut Diagnostics,
) -> Option<(Site, usize)> {
    if diags.has_errors() {
        return None;
    }
    let total = briefings.len();
    let (site, model_diags) = site::assemble(config, briefings, themes, drafts, xref);
    diags.extend(model_diags);
    let skipped = total - site.briefings.len();
    (!diags.has_errors()).then_some((site, skipped))
}

/// Parses every source in parallel (only the changed ones when there is a cache).
fn parse_all(
    sources: Vec<SourceFile>,
    config: &config::Config,
    cache: Option<&mut incremental::ParseCache>,
    diags: &mut Diagnostics,
) -> (Vec<model::Briefing>, Vec<model::Theme>) {
    let results = match cache {
        Some(cache) => cache.parse(&sources, config, parse_one),
        None => {
            let settings = incremental::settings_hash(config);
            sources.into_par_iter().map(|s| parse_stamped(&s, config, settings)).collect()
        }
    };
    gather(results, diags)
}

/// The briefings and themes of parse results, their problems into `diags`.
fn gather(results: impl IntoIterator<Item = incremental::ParseResult>, diags: &mut Diagnostics) -> (Vec<model::Briefing>, Vec<model::Theme>) {
    let mut briefings = Vec::new();
    let mut themes = Vec::new();
    for (parsed, d) in results {
        if let Some(Parsed::Briefing(b)) = &parsed {
            // A bundle's allow list covers the files beside its index.md too.
            let place = if b.bundle.is_some() { b.source.parent().unwrap_or(&b.source) } else { &b.source };
            diags.allow_in(place, &b.allow);
        }
        diags.extend(d);
        match parsed {
            Some(Parsed::Briefing(b)) => briefings.push(*b),
            Some(Parsed::Theme(t)) => themes.push(t),
            None => {}
        }
    }
    // Kept until the build ends: a grown vector has up to twice the room it needs (a briefing
    // is nearly a kilobyte before its sections).
    briefings.shrink_to_fit();
    (briefings, themes)
}

/// `parse_one`, with the briefing's fingerprint set; `settings` is `settings_hash(config)`.
fn parse_stamped(s: &SourceFile, config: &config::Config, settings: u128) -> incremental::ParseResult {
    incremental::stamped(parse_one(s, config), incremental::fingerprint(s, settings))
}

fn parse_one(s: &SourceFile, config: &config::Config) -> (Option<Parsed>, Vec<Diagnostic>) {
    match s.kind {
        Kind::Briefing => {
            let (b, d) = source::briefing::parse(s, config);
            // The parse's own messages have their lines; later stages' get theirs from `finished`.
            let detached = |mut b: model::Briefing| {
                b.detach_spans();
                Parsed::Briefing(Box::new(b))
            };
            (b.map(detached), d)
        }
        Kind::Theme => {
            let (t, d) = source::theme::parse(s, config);
            (t.map(Parsed::Theme), d)
        }
    }
}

/// One source, parsed.
#[derive(Debug, Clone)]
pub enum Parsed {
    Briefing(Box<model::Briefing>),
    Theme(model::Theme),
}

/// Today's date, for review dates. `BRIEFING_TODAY=2026-01-31` pins it (for tests and for
/// checking a site as of a future date).
pub fn today() -> time::Date {
    std::env::var("BRIEFING_TODAY")
        .ok()
        .and_then(|s| time::Date::parse(&s, time::macros::format_description!("[year]-[month]-[day]")).ok())
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

#[cfg(test)]
mod tests {
    #[test]
    fn building_in_memory_reads_kept_spans_lines_from_the_given_texts() {
        // A BOM, which reading a source strips, must not shift the line read again.
        let page = "\u{feff}+++\ntitle = \"A\"\nformat = \"guidance\"\npublished = 2024-05-01\n+++\nIntro.\n\n## One\n\nSee [b](missing-one.md) now.\n";
        let (files, diags) = super::build_in_memory(&[("briefings/a.md", page)]);
        assert!(files.is_empty());
        let broken = diags.iter().find(|d| d.code == "broken-link").expect("a broken link");
        let span = broken.span.as_ref().unwrap();
        assert_eq!((span.line, span.source_line.as_str()), (10, "See [b](missing-one.md) now."));
    }
}
