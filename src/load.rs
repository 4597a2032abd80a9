//! The load stage: find the source files of a site (walkdir) and read them safely, refusing
//! huge, binary, undecodable and empty files and never following a symbolic link.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::core::diagnostics::{Diagnostic, Span};
use crate::core::paths::{is_ignored_name, TEMPLATES_DIR};
pub use crate::core::paths::{BRIEFINGS_DIR, PACKS_DIR, THEMES_DIR};
use crate::core::text::{is_valid_slug, suggest_file_slug, suggest_slug, utf16_with_bom};

pub use crate::core::files::{is_symlink_refusal, open_no_follow, read_no_follow, symlink_refused, MAX_SOURCE_BYTES};

/// The longest slug a source may have: the longest file name the build makes of it,
/// `<slug>-action-plan.pdf`, stays within the 255 bytes file systems allow.
const MAX_SLUG_BYTES: usize = 200;

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `briefings/<slug>.md` or `briefings/<slug>/index.md`.
    Briefing,
    /// `themes/<slug>.md`.
    Theme,
    /// A training pack, `packs/<slug>.toml`.
    Pack,
}

impl Kind {
    /// How the name of a source file of this kind ends.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pack => ".toml",
            _ => ".md",
        }
    }
}

/// One source file, read and decoded, not yet parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: Kind,
    pub slug: String,
    /// Relative to the site root: what messages show.
    pub path: PathBuf,
    /// For a briefing bundle, the absolute path of its folder.
    pub bundle: Option<PathBuf>,
    pub text: String,
}

/// Every source under `root`, found in a stable order and handed to `each` in parallel (which
/// reads it, or finds it unchanged), with the problems met. A build parses each source as soon
/// as it is read, so that the texts of all the sources are never in memory at once.
pub fn each_source<T: Send>(root: &Path, each: impl Fn(Candidate) -> Result<T, Diagnostic> + Sync) -> (Vec<T>, Vec<Diagnostic>) {
    let (candidates, mut diags) = candidates(root);
    let results: Vec<Result<T, Diagnostic>> = candidates.into_par_iter().map(&each).collect();
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(value) => out.push(value),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

/// The sources under `root`, not yet read, in a stable order, and the problems with their
/// names.
pub fn candidates(root: &Path) -> (Vec<Candidate>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut candidates = Vec::new();
    for (kind, dir) in [(Kind::Briefing, BRIEFINGS_DIR), (Kind::Theme, THEMES_DIR), (Kind::Pack, PACKS_DIR)] {
        candidates.extend(list_candidates(root, dir, kind, &mut diags));
    }
    report_duplicate_slugs(&candidates, &mut diags);
    (candidates, diags)
}

/// A source found but not yet read.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub kind: Kind,
    pub slug: String,
    /// Relative to the site root.
    pub path: PathBuf,
    /// For a briefing bundle, the absolute path of its folder.
    pub bundle: Option<PathBuf>,
}

impl Candidate {
    /// The source, once its `text` is read.
    pub fn with_text(self, text: String) -> SourceFile {
        SourceFile { kind: self.kind, slug: self.slug, path: self.path, bundle: self.bundle, text }
    }
}

/// The entries directly inside `root/dir` that are sources: `<slug>.md` files and, for
/// briefings, `<slug>/index.md` bundles.
fn list_candidates(root: &Path, dir: &str, kind: Kind, diags: &mut Vec<Diagnostic>) -> Vec<Candidate> {
    let folder = root.join(dir);
    if !folder.is_dir() {
        return Vec::new();
    }
    if folder.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        // It may lead anywhere on the disk: a site reads only what is inside its folder.
        diags.push(
            Diagnostic::warning("symlink-skipped", format!("{dir}/ is a symbolic link; it was not followed, so its files were not read"))
                .in_file(dir)
                .help(format!("move the {dir}/ folder into the site folder instead of linking to it")),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(&folder).min_depth(1).max_depth(1).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diags.push(Diagnostic::error("unreadable-file", format!("cannot read {dir}/: {e}")).in_file(dir));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = Path::new(dir).join(entry.file_name());
        if is_ignored_name(&name) {
            continue;
        }
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::warning("symlink-skipped", format!("{} is a symbolic link; it was not followed", rel.display()))
                    .in_file(&rel)
                    .help("copy the file into the site folder instead of linking to it"),
            );
            continue;
        }
        let file_type = entry.file_type();
        let (stem, bundle) = if file_type.is_dir() && kind == Kind::Briefing {
            if !entry.path().join("index.md").is_file() {
                diags.push(
                    Diagnostic::warning("not-a-bundle", format!("folder {} has no index.md, so it is not a briefing", rel.display()))
                        .in_file(&rel)
                        .help("a briefing bundle is a folder with the briefing in index.md and its images beside it"),
                );
                continue;
            }
            (name.clone(), Some(entry.path().to_path_buf()))
        } else if let Some(stem) = name.strip_suffix(kind.extension()).filter(|_| file_type.is_file()) {
            (stem.to_string(), None)
        } else {
            let (what, help) = match kind {
                Kind::Pack => ("a training pack (.toml) file", format!("only .toml files are read from {dir}/")),
                _ => ("a Markdown (.md) file", format!("only .md files are read from {dir}/; put images beside a briefing in a bundle folder")),
            };
            diags.push(Diagnostic::warning("not-a-source", format!("{} is not {what}; it was ignored", rel.display())).in_file(&rel).help(help));
            continue;
        };
        let path = if bundle.is_some() { rel.join("index.md") } else { rel.clone() };
        if !is_valid_slug(&stem) {
            diags.push(
                Diagnostic::error("bad-slug", format!("`{stem}` cannot be used as a web address"))
                    .in_file(&rel)
                    .help(format!(
                        "names of briefings, themes and packs use lowercase letters, digits and hyphens: rename it to `{}`",
                        suggest_slug(&stem) + if bundle.is_some() { "" } else { kind.extension() }
                    )),
            );
            continue;
        }
        if stem.len() > MAX_SLUG_BYTES {
            diags.push(
                Diagnostic::error("bad-slug", format!("the name `{stem}` is too long for a web address ({} characters)", stem.len()))
                    .in_file(&rel)
                    .help(format!(
                        "the files published under it (`{stem}-action-plan.pdf`) would pass the file system's limit of 255 characters: rename it to at most {MAX_SLUG_BYTES}, such as `{}`",
                        suggest_file_slug(&stem) + if bundle.is_some() { "" } else { kind.extension() }
                    )),
            );
            continue;
        }
        out.push(Candidate { kind, slug: stem, path, bundle });
    }
    out
}

fn report_duplicate_slugs(candidates: &[Candidate], diags: &mut Vec<Diagnostic>) {
    // By slug, the first candidate with it: looking back through the list for each one would
    // be quadratic in the number of briefings.
    let mut first: HashMap<(Kind, &str), &Candidate> = HashMap::with_capacity(candidates.len());
    for a in candidates {
        if let Some(b) = first.get(&(a.kind, a.slug.as_str())) {
            diags.push(
                Diagnostic::error("duplicate-slug", format!("{} and {} are both the briefing `{}`", b.path.display(), a.path.display(), a.slug))
                    .in_file(&a.path)
                    .help("keep one of them: a briefing is either <slug>.md or <slug>/index.md, not both"),
            );
        } else {
            first.insert((a.kind, a.slug.as_str()), a);
        }
    }
}

/// A source given as text rather than read from disk (`build_in_memory`): `None` for a path
/// that is not a source, an error for a bad name or text that no file could hold.
pub fn from_memory(path: &str, text: &str) -> Option<Result<SourceFile, Diagnostic>> {
    let parts: Vec<&str> = path.split('/').collect();
    let (kind, name) = match parts.as_slice() {
        [BRIEFINGS_DIR, file] => (Kind::Briefing, file.strip_suffix(".md")?),
        [BRIEFINGS_DIR, folder, "index.md"] => (Kind::Briefing, *folder),
        [THEMES_DIR, file] => (Kind::Theme, file.strip_suffix(".md")?),
        [PACKS_DIR, file] => (Kind::Pack, file.strip_suffix(".toml")?),
        _ => return None,
    };
    let rel = PathBuf::from(path);
    if !is_valid_slug(name) || is_ignored_name(name) {
        return Some(Err(Diagnostic::error("bad-slug", format!("`{name}` cannot be used as a web address")).in_file(&rel)));
    }
    let source = check_size(text.len() as u64, &rel).and_then(|()| decode(text.as_bytes(), &rel));
    // A bundle in memory has no folder of attachments: nothing beside it is copied.
    Some(source.map(|text| SourceFile { kind, slug: name.to_string(), path: rel, bundle: None, text }))
}

fn check_size(size: u64, rel: &Path) -> Result<(), Diagnostic> {
    if size > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            format!("{} is {:.1} MB; a source may be at most {} MB", rel.display(), size as f64 / 1e6, MAX_SOURCE_BYTES / 1024 / 1024),
        )
        .in_file(rel)
        .help("split it into several briefings, and keep large attachments out of the text"));
    }
    Ok(())
}

/// Reads a source or template as UTF-8 text, refusing huge, binary, undecodable and empty
/// files, and a symbolic link (`symlink-refused`): a file of the site is read only from inside it.
pub fn read_source(abs: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::error("unreadable-file", format!("cannot read {}: {e}", rel.display()))
            .in_file(rel)
            .help("check that the file exists and that you have permission to read it")
    };
    let file = open_no_follow(abs).map_err(|e| if is_symlink_refusal(&e) { symlink_refused(rel) } else { unreadable(e) })?;
    check_size(file.metadata().map_err(unreadable)?.len(), rel)?;
    // Read no more than the limit, even if the file grew since it was measured.
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    check_size(bytes.len() as u64, rel)?;
    decode(&bytes, rel)
}

/// A file site.toml names besides the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFile {
    Logo,
    PrintFont,
}

impl SiteFile {
    /// Its key in site.toml, which messages name it by.
    fn key(self) -> &'static str {
        match self {
            SiteFile::Logo => "logo",
            SiteFile::PrintFont => "print_font",
        }
    }

    /// The most bytes it may have. A font with Chinese, Japanese or Korean letters is 15 to
    /// 20 MB (the handouts embed only the letters they print); a logo is on every page.
    fn limit(self) -> u64 {
        match self {
            SiteFile::Logo => MAX_SOURCE_BYTES,
            SiteFile::PrintFont => 64 * 1024 * 1024,
        }
    }

    fn too_large_help(self) -> &'static str {
        match self {
            SiteFile::Logo => "save a smaller copy: a logo is on every page and handout and rarely needs more than a few hundred KB (an SVG, or a PNG at most 2,000 pixels across)",
            SiteFile::PrintFont => "use the font file of one weight (Regular), not a collection of the whole family",
        }
    }
}

/// A file the settings name, read as bytes: never through a symbolic link, and at most its
/// limit (`SiteFile::limit`).
pub fn read_site_file(root: &Path, rel: &str, file: SiteFile) -> Result<Vec<u8>, Diagnostic> {
    let path = root.join(rel);
    let what = file.key();
    let refuse_as = |code: &'static str, why: String, help: String| Diagnostic::error(code, format!("cannot use the {what} {rel}: {why}")).in_file(crate::core::paths::CONFIG_FILE).help(help);
    let elsewhere = || format!("put the {what} in the site folder (not a link to elsewhere) and give its path from there in site.toml");
    let refuse = |why: String| refuse_as("unreadable-file", why, elsewhere());
    let meta = std::fs::symlink_metadata(&path).map_err(|e| refuse(e.to_string()))?;
    if !meta.file_type().is_symlink() && !meta.is_file() {
        return Err(refuse("it is not a file".into()));
    }
    read_no_follow(&path, file.limit()).map_err(|e| match e.kind() {
        _ if is_symlink_refusal(&e) => refuse_as("symlink-refused", e.to_string(), elsewhere()),
        std::io::ErrorKind::FileTooLarge => refuse_as("unreadable-file", e.to_string(), file.too_large_help().to_string()),
        _ => refuse(e.to_string()),
    })
}

/// Source bytes as text (UTF-8, or UTF-16 with its byte order mark), refusing binary,
/// undecodable and empty files.
fn decode(bytes: &[u8], rel: &Path) -> Result<String, Diagnostic> {
    if let Some(text) = utf16_with_bom(bytes) {
        return decode(text.as_bytes(), rel);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let binary = || {
        Diagnostic::error("binary-file", format!("{} looks like a binary file, not text", rel.display()))
            .in_file(rel)
            .help("briefings are plain text: save it from your editor as Markdown or plain text")
    };
    // A NUL byte means binary (an image, a Word file renamed .md) before it means bad UTF-8.
    let nul = bytes.iter().position(|&b| b == 0);
    let text = match (std::str::from_utf8(bytes), nul) {
        (Ok(text), Some(nul)) => return Err(binary().at(text, nul..nul + 1)),
        (Err(_), Some(_)) => return Err(binary()),
        (Err(e), None) => return Err(not_utf8(rel, bytes, e.valid_up_to())),
        (Ok(text), None) => text,
    };
    if text.trim().is_empty() {
        let help = match rel.components().next().map(|c| c.as_os_str().to_string_lossy()) {
            Some(dir) if dir == PACKS_DIR => "a training pack needs a title and what it holds: title = \"Neglect: a team session\" and briefings = [\"child-r\"] or themes = [\"neglect\"]",
            Some(dir) if dir == THEMES_DIR => "a theme starts with its title between +++ lines (title = \"Neglect\"), then a paragraph on what it means",
            Some(dir) if dir == TEMPLATES_DIR => "delete the empty template: the built-in one of that name is used instead",
            _ => "a briefing starts with its settings between +++ lines; `briefing new \"Title\"` writes one to start from",
        };
        return Err(Diagnostic::error("empty-file", format!("{} is empty", rel.display())).in_file(rel).help(help));
    }
    Ok(text.to_string())
}

fn not_utf8(rel: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let column = valid[line_start..].chars().count() + 1;
    // Show at most a little of the line on each side: a binary file has no real lines.
    let mut shown_start = valid_up_to.saturating_sub(60).max(line_start);
    while !valid.is_char_boundary(shown_start) {
        shown_start += 1;
    }
    let shown_end = bytes[valid_up_to..].iter().take(60).position(|&b| b == b'\n').map_or((valid_up_to + 60).min(bytes.len()), |i| valid_up_to + i);
    let span = Span {
        line: valid.matches('\n').count() + 1,
        column,
        len: 1,
        source_line: String::from_utf8_lossy(&bytes[shown_start..shown_end]).trim_end().to_string(),
        source_column: column - valid[shown_start..].chars().count(),
    };
    Diagnostic::error("invalid-utf8", format!("{} is not UTF-8 text", rel.display()))
        .in_file(rel)
        .at_span(span)
        .help("save the file as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8); in Notepad: Encoding > UTF-8)")
}

/// A file's size and modification time: what `watch` compares to tell whether a file it read
/// or copied before has changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: SystemTime,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp { len: meta.len(), modified: meta.modified().ok()? })
    }
}
