//! `briefing check`: everything a build does, writing nothing, and then every link and
//! anchor of the rendered pages; with `--external` also links to other sites, and with
//! `--print` every one-pager printed in a browser.

use std::path::PathBuf;
use std::time::Instant;

use super::external::{self, HostReport};
use super::{linkcheck, print};
use crate::pipeline::{self, Outcome, PrepareOptions, Status};

/// What `briefing check` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Also print every one-pager in a browser and warn about each that spills off its sheet.
    pub print: bool,
    /// The browser to print with; else `BRIEFING_BROWSER`, else one found on PATH.
    pub browser: Option<PathBuf>,
    /// Also ask other sites whether the pages the site links to still answer (`--external`).
    pub external: Option<external::Limits>,
    /// Warnings fail the check as errors do.
    pub deny_warnings: bool,
}

/// What a check found: its outcome, and with `--external` what each other site answered.
pub struct Checked {
    /// The check's status, diagnostics and counts.
    pub outcome: Outcome,
    /// With `--external`: what each other site answered.
    pub hosts: Vec<HostReport>,
}

/// Validates everything a build would and every link of the rendered site, writing nothing.
pub fn check(options: &CheckOptions) -> Checked {
    let started = Instant::now();
    let browser = match options.print.then(|| print::browser::find_browser(options.browser.as_deref())).transpose() {
        Ok(browser) => browser,
        Err(d) => return Checked { outcome: Outcome::failed(Status::IoError, d), hosts: Vec::new() },
    };
    let (rendered, mut diags) = pipeline::prepare(PrepareOptions { root: &options.root, drafts: false, link_pdfs: false }, None);
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
        match print::measure(&r.site, &r.files, &r.copies, browser) {
            Ok(warnings) => diags.extend(warnings),
            Err(d) => {
                diags.push(d);
                status = Status::IoError;
            }
        }
    }
    let mut stats = rendered.map(|r| r.stats).unwrap_or_default();
    stats.elapsed = started.elapsed();
    let mut outcome = Outcome { status, diagnostics: diags.sorted(), stats };
    if options.deny_warnings {
        outcome.deny_warnings();
    }
    Checked { outcome, hosts }
}
