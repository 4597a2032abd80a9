//! `briefing`: a static site generator for safeguarding partnership briefings.
//!
//! Data flows one way: load (find files) -> parse (front matter, Markdown) -> model (the
//! `Site`, its cross-reference) -> render (Tera) -> write (staging folder, swapped in whole).
//! Each stage is a plain function over plain data; this module strings them together.

pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod highlight;
pub mod linkcheck;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod site;
pub mod source;
pub mod xref;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use diagnostics::{Diagnostic, Diagnostics};
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
    pub elapsed: Duration,
}

/// What a build or check did: its diagnostics in a stable order, and counts.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

/// The rendered site, ready to write.
struct Rendered {
    files: Vec<OutputFile>,
    copies: Vec<Copy>,
    stats: Stats,
}

/// Builds the site and, when it has no errors, replaces the output folder with it.
pub fn build(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let output = options.output_dir();
    if let Err(d) = output::check_target(&options.root, &output) {
        return Outcome { status: Status::IoError, diagnostics: vec![d], stats: Stats::default() };
    }
    let (rendered, diags) = prepare(&options.root, options.drafts);
    let mut diagnostics = diags.sorted();
    let Some(mut rendered) = rendered else {
        return Outcome { status: Status::ContentErrors, diagnostics, stats: Stats::default() };
    };
    if let Err(e) = output::write(&output, &rendered.files, &rendered.copies) {
        diagnostics.push(
            Diagnostic::error("write-failed", format!("could not write the site to {}: {e}", output.display()))
                .help("check that the folder is writable and the disk is not full; the previous site was left as it was"),
        );
        return Outcome { status: Status::IoError, diagnostics, stats: rendered.stats };
    }
    rendered.stats.elapsed = started.elapsed();
    Outcome { status: Status::Ok, diagnostics, stats: rendered.stats }
}

/// Validates everything a build would, and every link of the rendered site, writing nothing.
pub fn check(root: &Path) -> Outcome {
    let started = Instant::now();
    let (rendered, mut diags) = prepare(root, false);
    if let Some(r) = &rendered {
        diags.extend(linkcheck::check(&r.files, &r.copies));
    }
    let status = if rendered.is_some() && !diags.has_errors() { Status::Ok } else { Status::ContentErrors };
    let diagnostics = diags.sorted();
    let mut stats = rendered.map(|r| r.stats).unwrap_or_default();
    stats.elapsed = started.elapsed();
    Outcome { status, diagnostics, stats }
}

/// Load, parse, model and render: everything but writing. `None` when there were errors.
fn prepare(root: &Path, drafts: bool) -> (Option<Rendered>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let (site, drafts_skipped) = match load(root, drafts, &mut diags) {
        Some(loaded) => loaded,
        None => return (None, diags),
    };
    diags.extend(checks::run(&site, today()));
    let templates = match render::Templates::load(root) {
        Ok(t) => t,
        Err(e) => {
            diags.extend(e);
            return (None, diags);
        }
    };
    let files = match render::render_site(&site, &templates) {
        Ok((files, notes)) => {
            diags.extend(notes);
            files
        }
        Err(e) => {
            diags.extend(e);
            return (None, diags);
        }
    };
    let (copies, copy_diags) = output::bundle_copies(&site);
    diags.extend(copy_diags);
    if diags.has_errors() {
        return (None, diags);
    }
    let stats = Stats {
        briefings: site.briefings.len(),
        drafts_skipped,
        themes: site.themes.len(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        elapsed: Duration::ZERO,
    };
    (Some(Rendered { files, copies, stats }), diags)
}

/// Reads and parses every source into the site model. `None` when there were errors.
pub fn load(root: &Path, drafts: bool, diags: &mut Diagnostics) -> Option<(Site, usize)> {
    let config = match config::load(root) {
        Ok(config) => Some(config),
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
    let (sources, found) = source::find_sources(root);
    diags.extend(found);
    let config = config?;
    let (briefings, themes) = parse_all(&sources, &config, diags);
    if diags.has_errors() {
        return None;
    }
    let total = briefings.len();
    let (site, model_diags) = site::assemble(config, briefings, themes, drafts);
    diags.extend(model_diags);
    let skipped = total - site.briefings.len();
    (!diags.has_errors()).then_some((site, skipped))
}

/// Parses every source in parallel.
fn parse_all(sources: &[SourceFile], config: &config::Config, diags: &mut Diagnostics) -> (Vec<model::Briefing>, Vec<model::Theme>) {
    let results: Vec<_> = sources
        .par_iter()
        .map(|s| match s.kind {
            Kind::Briefing => {
                let (b, d) = source::briefing::parse(s, config);
                (b.map(Parsed::Briefing), d)
            }
            Kind::Theme => {
                let (t, d) = source::theme::parse(s);
                (t.map(Parsed::Theme), d)
            }
        })
        .collect();
    let mut briefings = Vec::new();
    let mut themes = Vec::new();
    for (parsed, d) in results {
        diags.extend(d);
        match parsed {
            Some(Parsed::Briefing(b)) => briefings.push(b),
            Some(Parsed::Theme(t)) => themes.push(t),
            None => {}
        }
    }
    (briefings, themes)
}

enum Parsed {
    Briefing(model::Briefing),
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
