//! `briefing import FILE...`: each file imported into the site as a draft briefing (see
//! `crate::import`), with a report for each, or JSON lines.

use std::path::{Path, PathBuf};

use crate::import::{self, report, ImportError, ImportOptions, SiteInfo};
use crate::model::Format;

/// What `briefing import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportCommand {
    /// The files to import.
    pub files: Vec<PathBuf>,
    /// The site folder.
    pub root: PathBuf,
    /// The format when a file gives no clue (`--format`).
    pub format: Option<Format>,
    /// The slug for the one file given (`--slug`).
    pub slug: Option<String>,
    /// JSON lines instead of reports.
    pub json: bool,
}

/// A line for the person importing: to standard output, or to standard error.
pub enum Line {
    /// A report or summary.
    Out(String),
    /// A file that could not be imported.
    Err(String),
}

/// Imports each file, showing a report (or JSON line) for each as it goes; returns the exit
/// code: 2 for a usage, site or disk problem, 1 when a file could not be imported, else 0.
pub fn run(command: &ImportCommand, today: time::Date, show: &mut dyn FnMut(Line)) -> u8 {
    let fail = |e: &ImportError, show: &mut dyn FnMut(Line)| show(if command.json { Line::Out(e.json()) } else { Line::Err(e.human()) });
    if command.slug.is_some() && command.files.len() > 1 {
        let e = ImportError::new("usage", "--slug names one briefing, but several files were given", "import the files one at a time to give each a --slug");
        fail(&e, show);
        return 2;
    }
    let site = match SiteInfo::load(&command.root) {
        Ok(site) => site,
        Err(e) => {
            fail(&e, show);
            return 2;
        }
    };
    let options = ImportOptions { root: command.root.clone(), format: command.format, slug: command.slug.clone(), today };
    let (mut imported, mut worst) = (0, 0u8);
    for file in &command.files {
        match import_one(file, &options, &site) {
            Ok(done) => show(Line::Out(if command.json { done.report.json() } else { done.report.human() })),
            Err(e) => {
                fail(&e, show);
                worst = worst.max(e.exit_code());
                continue;
            }
        }
        imported += 1;
    }
    let status = match worst {
        0 => "ok",
        1 => "content-errors",
        _ => "io-error",
    };
    if command.json {
        show(Line::Out(report::summary_json(imported, command.files.len() - imported, status)));
    } else if imported > 0 {
        show(Line::Out(report::CHECK_HINT.to_string()));
    }
    worst
}

/// Imports and writes one file.
fn import_one(file: &Path, options: &ImportOptions, site: &SiteInfo) -> Result<import::Imported, ImportError> {
    let mut done = import::import_with(file, options, site)?;
    let written = import::write(&options.root, &done).map_err(|e| ImportError { file: file.to_path_buf(), ..e })?;
    done.report.written = Some(written.display().to_string());
    Ok(done)
}
