//! `briefing build`: the pipeline's build, and with `--pdf` each one-pager printed to PDF by
//! a browser into the site before it is swapped in.

use std::path::PathBuf;

use super::print;
use crate::pipeline::{self, BuildOptions, Outcome, Status};

/// Builds the site; with `pdf`, also prints each one-pager to `briefings/<slug>/<slug>.pdf`
/// with `browser` (else `BRIEFING_BROWSER`, else one found on PATH).
pub fn build(options: &BuildOptions, pdf: bool, browser: Option<PathBuf>) -> Outcome {
    if !pdf {
        return pipeline::build(options);
    }
    // Find the browser first: a build that cannot make its PDFs fails before doing any work.
    let browser = match print::browser::find_browser(browser.as_deref()) {
        Ok(browser) => browser,
        Err(d) => return Outcome::failed(Status::IoError, d),
    };
    let extra = |site: &crate::model::Site, staging: &std::path::Path| {
        print::write_pdfs(site, staging, &browser).map(|warnings| (site.briefings.len(), warnings))
    };
    pipeline::build_with(options, Some(&extra))
}
