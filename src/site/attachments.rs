//! A briefing bundle's attachments: every file beside its `index.md` is copied next to its
//! page, and every file its text links to or shows must be among them.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic};
use crate::core::paths::{briefing_folder, is_ignored_name};
use crate::model::{Briefing, Site};

/// A file to copy into the output (a bundle's image, the logo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub from: PathBuf,
    pub to: String,
}

/// Names in a briefing's output folder that the build writes itself.
const RESERVED_IN_BUNDLE: &[&str] = &["index.html"];

/// Whether the build writes a file of this name (relative to the bundle) beside the page of
/// the briefing `slug`: its page and its handouts.
fn written_by_build(slug: &str, name: &str) -> bool {
    RESERVED_IN_BUNDLE.contains(&name) || name == format!("{slug}.pdf") || name == format!("{slug}-action-plan.pdf")
}

/// The files of each briefing bundle (everything beside `index.md`, except editor leftovers),
/// to copy next to its page. Symbolic links are not followed, so nothing outside the site is read.
pub fn bundle_copies(site: &Site) -> (Vec<Copy>, Vec<Diagnostic>) {
    let mut copies = Vec::new();
    let mut diags = Vec::new();
    for b in &site.briefings {
        let files = match &b.bundle {
            Some(bundle) => bundle_files(b, bundle, &mut diags),
            None => Vec::new(),
        };
        diags.extend(missing_attachments(b, &files));
        copies.extend(files);
    }
    (copies, diags)
}

fn bundle_files(b: &Briefing, bundle: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Copy> {
    let mut copies = Vec::new();
    let walker = WalkDir::new(bundle).min_depth(1).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker.flatten() {
        let rel = entry.path().strip_prefix(bundle).expect("walkdir stays inside its root");
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::warning("symlink-skipped", format!("{} is a symbolic link; it was not copied", rel_str))
                    .in_file(b.source.parent().unwrap_or(&b.source).join(rel))
                    .help("copy the file into the bundle folder instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() || rel_str == "index.md" {
            continue;
        }
        if written_by_build(&b.slug, &rel_str) {
            diags.push(
                Diagnostic::warning("reserved-name", format!("{rel_str} in the bundle was not copied: the build writes that file"))
                    .in_file(b.source.parent().unwrap_or(&b.source).join(rel))
                    .help("rename the file"),
            );
            continue;
        }
        copies.push(Copy { from: entry.path().to_path_buf(), to: format!("{}{rel_str}", briefing_folder(&b.slug)) });
    }
    copies
}

/// Every file a briefing links to or shows beside itself must be in its bundle, or the page
/// would have a broken link or a missing image.
fn missing_attachments(b: &Briefing, files: &[Copy]) -> Vec<Diagnostic> {
    let folder = briefing_folder(&b.slug);
    let present: Vec<&str> = files.iter().filter_map(|c| c.to.strip_prefix(&folder)).collect();
    let known: std::collections::HashSet<&str> = present.iter().copied().collect();
    let written = |path: &str| written_by_build(&b.slug, path);
    b.attachments
        .iter()
        .filter(|a| !known.contains(a.path.as_str()) && !written(&a.path))
        .enumerate()
        .map(|(nth, a)| {
            let (message, help) = match &b.bundle {
                Some(_) => (
                    format!("the attachment `{}` is not in the briefing's folder", a.path),
                    // Searched only where a report shows the error in full.
                    match did_you_mean(&a.path, present.iter().copied().filter(|_| shown_in_full(nth))) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("put {} in briefings/{}/, beside index.md", a.path, b.slug),
                    },
                ),
                None => (
                    format!("the attachment `{}` cannot be found: only a briefing in its own folder has attachments", a.path),
                    format!("move this briefing to briefings/{0}/index.md and put {1} beside it in briefings/{0}/", b.slug, a.path),
                ),
            };
            Diagnostic::error("missing-attachment", message).in_file(&b.source).at_span(a.span.clone()).help(help)
        })
        .collect()
}

