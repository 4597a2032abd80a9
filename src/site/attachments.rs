//! A briefing bundle's attachments: every file beside its `index.md` is copied next to its
//! page, and every file its text links to or shows must be among them. A bundle file runs on
//! the site's own origin when opened, so unless `allow_unsafe_html` is set, an SVG is cleaned
//! of script (`parse::svg`) and a web page (`.html` and the like) is not published at all.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic};
use crate::core::paths::{briefing_folder, is_ignored_name};
use crate::load::MAX_SOURCE_BYTES;
use crate::model::{Briefing, Site};
use crate::parse::svg;

/// A file to copy into the output (a bundle's image, the logo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The file in the site.
    pub from: PathBuf,
    /// Its path in the output.
    pub to: String,
    /// What to write instead of the file's own bytes (a cleaned SVG).
    pub contents: Option<Arc<[u8]>>,
}

impl Copy {
    /// A file copied as it is.
    pub fn file(from: PathBuf, to: String) -> Copy {
        Copy { from, to, contents: None }
    }
}

/// Extensions of files a browser opens as a page that can run script (and SVG compressed, which
/// cannot be cleaned): published only with `allow_unsafe_html`.
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "mht", "mhtml", "hta", "svgz"];

/// What the build makes of a bundle file.
enum Attachment {
    /// Copied as it is.
    Plain,
    /// Published with these bytes (a cleaned SVG); what was taken out, for a warning.
    Cleaned(Vec<u8>, Vec<String>),
    /// Not published, for this reason.
    Refused(String),
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
        let (files, refused) = match &b.bundle {
            Some(bundle) => bundle_files(b, bundle, site.config.allow_unsafe_html, &mut diags),
            None => (Vec::new(), Vec::new()),
        };
        diags.extend(missing_attachments(b, &files, &refused));
        copies.extend(files);
    }
    (copies, diags)
}

/// The files of one bundle to copy, and the names of those refused.
fn bundle_files(b: &Briefing, bundle: &Path, unsafe_html: bool, diags: &mut Vec<Diagnostic>) -> (Vec<Copy>, Vec<String>) {
    let mut copies = Vec::new();
    let mut refused = Vec::new();
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
        let to = format!("{}{rel_str}", briefing_folder(&b.slug));
        let file = b.source.parent().unwrap_or(&b.source).join(rel);
        match attachment(entry.path(), &rel_str, unsafe_html) {
            Attachment::Plain => copies.push(Copy::file(entry.path().to_path_buf(), to)),
            Attachment::Cleaned(bytes, removed) => {
                if !removed.is_empty() {
                    diags.push(
                        Diagnostic::warning("unsafe-svg", format!("{rel_str}: {} taken out of the picture", removed.join(", ")))
                            .in_file(&file)
                            .help("an SVG opened on its own runs its scripts on the site, so they are taken out; the drawing itself is kept"),
                    );
                }
                copies.push(Copy { from: entry.path().to_path_buf(), to, contents: Some(bytes.into()) });
            }
            Attachment::Refused(why) => {
                diags.push(
                    Diagnostic::warning("unsafe-attachment", format!("{rel_str} was not published: {why}"))
                        .in_file(&file)
                        .help("publish it as a PDF, or link to it where it lives on another site; if the site's authors are trusted to publish pages, set allow_unsafe_html = true in site.toml"),
                );
                refused.push(rel_str);
            }
        }
    }
    (copies, refused)
}

/// The site's logo (`logo` in site.toml, at `rel`) as the pages show it and the handouts print
/// it, from the file's `bytes`, with what was taken out of it: the file is published beside
/// the pages, where opened on its own an SVG would run its scripts on the site, so an SVG is
/// cleaned as a bundle's is (whatever `allow_unsafe_html` says: a logo needs no script). Err:
/// why it cannot be used.
pub fn logo(rel: &str, bytes: Vec<u8>) -> Result<(Vec<u8>, Vec<String>), String> {
    if rel.to_ascii_lowercase().ends_with(".png") {
        return match bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            true => Ok((bytes, Vec::new())),
            false => Err("it is not a PNG file, whatever its name says".into()),
        };
    }
    let cleaned = svg::clean(&bytes).map_err(|why| format!("it cannot be read as an SVG picture: {why}"))?;
    Ok((cleaned.svg, cleaned.removed.into_iter().collect()))
}

/// What to do with the bundle file at `path` (`rel` within its bundle).
fn attachment(path: &Path, rel: &str, unsafe_html: bool) -> Attachment {
    let extension = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if unsafe_html {
        return Attachment::Plain;
    }
    if PAGE_EXTENSIONS.contains(&extension.as_str()) {
        return Attachment::Refused("a web page in a bundle could run script on the site, as if the site had written it".into());
    }
    if extension != "svg" {
        return Attachment::Plain;
    }
    let bytes = match crate::load::read_no_follow(path, MAX_SOURCE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => return Attachment::Refused(format!("it could not be read to take any script out of it ({e})")),
    };
    match svg::clean(&bytes) {
        Ok(cleaned) => Attachment::Cleaned(cleaned.svg, cleaned.removed.into_iter().collect()),
        Err(why) => Attachment::Refused(format!("it could not be checked for script, since {why}")),
    }
}

/// Every file a briefing links to or shows beside itself must be in its bundle, or the page
/// would have a broken link or a missing image.
fn missing_attachments(b: &Briefing, files: &[Copy], refused: &[String]) -> Vec<Diagnostic> {
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
                Some(_) if refused.contains(&a.path) => (
                    format!("the attachment `{}` is not published (see the warning about it), so this link would lead nowhere", a.path),
                    "link to a PDF of it instead, or to where it lives on another site".to_string(),
                ),
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

