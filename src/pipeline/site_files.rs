//! The files of a site that are neither sources nor templates, checked when the site is
//! loaded: the logo (published cleaned, see `site::attachments::logo`) and the print font.

use std::path::Path;
use std::sync::Arc;

use crate::config;
use crate::core::diagnostics::Diagnostic;
use crate::load;
use crate::render;
use crate::site::attachments::{self, Copy};

/// The logo at `rel` as published (see `attachments::logo`), with a warning when something
/// was taken out of it.
pub(super) fn logo_copy(root: &Path, rel: &str) -> Result<(Copy, Option<Diagnostic>), Diagnostic> {
    let bytes = load::read_site_file(root, rel, load::SiteFile::Logo)?;
    let (bytes, removed) = attachments::logo(rel, bytes).map_err(|why| {
        Diagnostic::error("unreadable-file", format!("cannot use the logo {rel}: {why}"))
            .in_file(config::FILE_NAME)
            .help("save the logo again from a drawing program as SVG or PNG, and give its path in site.toml")
    })?;
    // As for pictures on a sheet: each handout decodes the logo whole. (A logo a few thousand
    // pixels across, needless but harmless, built before and still does.)
    if let Some((w, h)) = crate::handout::limits::too_many_pixels(&bytes) {
        return Err(Diagnostic::error("unreadable-file", format!("the logo {rel} is {w} by {h} pixels, far more than a logo needs"))
            .in_file(config::FILE_NAME)
            .help("save a copy at most 2,000 pixels across (every page shows it, and every handout decodes it), or use the SVG"));
    }
    let warning = (!removed.is_empty()).then(|| {
        Diagnostic::warning("unsafe-svg", format!("the logo {rel}: {} taken out of the picture", removed.join(", ")))
            .in_file(config::FILE_NAME)
            .help("an SVG opened on its own runs its scripts on the site, so they are taken out; the drawing itself is kept")
    });
    let copy = Copy { from: root.join(rel), to: render::views::logo_asset(rel), contents: Some(bytes.into()) };
    Ok((copy, warning))
}

/// The print font at `rel`, or why it cannot be used: read and checked with the site, not
/// only when handouts are made, so that `check` and `build --no-pdf` say so too; the handouts
/// share these bytes.
pub(super) fn print_font(root: &Path, rel: &str) -> Result<Arc<[u8]>, Diagnostic> {
    match load::read_site_file(root, rel, load::SiteFile::PrintFont).map(Arc::from) {
        Ok(bytes) if crate::handout::is_font(&bytes) => Ok(bytes),
        Ok(_) => Err(
            Diagnostic::error("unreadable-file", format!("cannot use the print_font {rel}: it holds no font that can be read and draws letters (the file may be cut short, or not a font)"))
                .in_file(config::FILE_NAME)
                .help("give the path of a TrueType or OpenType font file (.ttf or .otf), or take the print_font line out to print in Noto Sans"),
        ),
        Err(d) => Err(d),
    }
}
