//! The two jobs that print one-pagers through a browser (see `browser`): `briefing build --pdf`
//! writes `briefings/<slug>/<slug>.pdf` into the staging folder before it is swapped in, and
//! `briefing check --print` prints every one-pager, made to run on past its sheet, into a
//! temporary folder and measures how far past the foot of the sheet its text goes.

use std::path::Path;

pub mod browser;

use browser::Job;
use crate::core::diagnostics::Diagnostic;
use crate::core::paths::print_url;
use crate::model::Site;
use crate::render::OutputFile;
use crate::site::attachments::Copy;
use crate::site::print;

/// The PDF of a briefing's one-pager, beside its page.
pub fn pdf_path(slug: &str) -> String {
    format!("briefings/{slug}/{slug}.pdf")
}

/// Prints the one-pager of every briefing of `site` from the written site in `staging` to its
/// PDF. Err: the errors that must stop the build (no PDF may be missing from a site built with
/// `--pdf`); Ok: warnings.
pub fn write_pdfs(site: &Site, staging: &Path, browser: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for b in &site.briefings {
        let pdf = staging.join(pdf_path(&b.slug));
        if pdf.exists() {
            errors.push(
                Diagnostic::error("pdf-name-taken", format!("the bundle has a file named {}.pdf, which briefing build --pdf writes", b.slug))
                    .in_file(&b.source)
                    .help("rename that file in the bundle folder (and the links to it), or build without --pdf"),
            );
        }
        jobs.push(Job { html: staging.join(print_url(&b.slug)), pdf });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    for (b, result) in site.briefings.iter().zip(browser::print_all(browser, &jobs)) {
        match result {
            Ok(bytes) => match browser::page_count(&bytes) {
                1 => {}
                n => warnings.push(
                    Diagnostic::warning("pdf-pages", format!("the PDF of this briefing's one-pager has {n} pages, not one"))
                        .in_file(&b.source)
                        .help("a template in templates/ may have changed the one-pager's layout; run briefing check --print to see what spills"),
                ),
            },
            Err(why) => errors.push(
                Diagnostic::error("pdf-failed", format!("could not print the one-pager to {}.pdf: {why}", b.slug))
                    .in_file(&b.source)
                    .help("check that the browser runs on this machine, or name another with --browser; the previous site was left as it was"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(errors)
    }
}

/// Prints every one-pager of `site` (rendered as `files`, with `copies`) made to run on past
/// its sheet, and warns about each whose text goes past the foot of the sheet, with roughly
/// how many words would have to go. Err: printing itself failed.
pub fn measure(site: &Site, files: &[OutputFile], copies: &[Copy], browser: &Path) -> Result<Vec<Diagnostic>, Diagnostic> {
    let failed = |why: String| {
        Diagnostic::error("print-check-failed", format!("could not print the one-pagers to measure them: {why}"))
            .help("check that the browser runs on this machine, or name another with --browser")
    };
    let dir = tempfile::Builder::new().prefix("briefing-print-check-").tempdir().map_err(|e| failed(e.to_string()))?;
    write_for_measuring(dir.path(), files, copies).map_err(|e| failed(format!("writing to {}: {e}", dir.path().display())))?;
    let jobs: Vec<Job> = site
        .briefings
        .iter()
        .map(|b| Job { html: dir.path().join(print_url(&b.slug)), pdf: dir.path().join(pdf_path(&b.slug)) })
        .collect();
    let paper = site.config.paper;
    let paper_name = print::Geometry::new(paper).paper;
    let mut warnings = Vec::new();
    for (i, (b, result)) in site.briefings.iter().zip(browser::print_all(browser, &jobs)).enumerate() {
        let bytes = result.map_err(|why| failed(format!("{}: {why}", b.slug)))?;
        let pages = browser::page_count(&bytes);
        let (Some(rect), Some(height)) = (browser::link_rect(&bytes, print::MEASURE_URI), browser::page_height(&bytes)) else {
            return Err(failed(format!("{}: the printed one-pager has no end mark (does templates/print.html end with </body>?)", b.slug)));
        };
        let over = print::overflow_mm(paper, pages, rect[3], height);
        // Half a millimetre is the browser's rounding, not text that is cut off.
        if over > 0.5 {
            let plan = &site.print_plans[i];
            let words = print::words_in_height(plan, paper, over).max(1);
            warnings.push(
                Diagnostic::warning(
                    "print-overflow",
                    format!("printed in a browser, this briefing's one-pager runs {:.0} mm past the foot of its {paper_name} sheet, where a notice now says that the text is cut short", over.max(1.0)),
                )
                .in_file(&b.source)
                .help(format!("cut about {words} words from what the one-pager shows (see briefings/{}/print.html), or choose what it shows with print = [...] in the front matter", b.slug)),
            );
        }
    }
    Ok(warnings)
}

/// Writes what the one-pagers need into `dir` (themselves, made to measure themselves, the
/// assets and the bundles' files), and not the other pages.
fn write_for_measuring(dir: &Path, files: &[OutputFile], copies: &[Copy]) -> std::io::Result<()> {
    for f in files.iter().filter(|f| f.path.ends_with("/print.html") || f.path.starts_with("assets/")) {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if f.path.ends_with("/print.html") {
            std::fs::write(path, print::measuring_html(&String::from_utf8_lossy(&f.contents)))?;
        } else {
            std::fs::write(path, &f.contents)?;
        }
    }
    for c in copies {
        let to = dir.join(&c.to);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&c.from, to)?;
    }
    Ok(())
}
