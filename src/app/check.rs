//! `briefing check`: everything a build does, writing nothing (handouts are typeset too, to
//! tell which do not fit), and then every link and anchor of the rendered pages; with
//! `--external` also links to other sites.

use std::path::PathBuf;
use std::time::Instant;

use super::external::{self, HostReport};
use super::linkcheck;
use crate::pipeline::{self, Outcome, PrepareOptions, Status};

/// What `briefing check` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Typeset the handouts afresh (not from the site's cache) to check each: one page, and
    /// what it leaves out.
    pub print: bool,
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
    let prepare = PrepareOptions { root: &options.root, drafts: false, pdf: true, cache: !options.print, defer: false };
    let (rendered, mut diags) = pipeline::prepare(prepare, None);
    let mut hosts = Vec::new();
    if let Some(r) = &rendered {
        diags.extend(linkcheck::check(&r.files, &r.copies));
        if let Some(limits) = &options.external {
            let (found, asked) = external::check(&r.site, &r.files, limits);
            diags.extend(found);
            hosts = asked;
        }
    }
    let status = if rendered.is_some() && !diags.has_errors() { Status::Ok } else { Status::ContentErrors };
    let mut stats = rendered.map(|r| r.stats).unwrap_or_default();
    stats.elapsed = started.elapsed();
    let mut outcome = Outcome { status, diagnostics: diags.sorted(), stats };
    if options.deny_warnings {
        outcome.deny_warnings();
    }
    Checked { outcome, hosts }
}
