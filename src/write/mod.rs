//! The write stage. A build writes into a fresh staging folder beside the output folder and
//! swaps it in only once everything is written, so a failed build leaves the last good site
//! untouched and a good one leaves no stale pages. Only folders that `briefing` wrote (they
//! carry a marker file) or empty ones are ever replaced, and only one `briefing` at a time
//! writes a given output folder (`lock`).

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diagnostics::Diagnostic;
use crate::core::paths::{BRIEFINGS_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::render::OutputFile;
use crate::site::attachments::Copy;

mod folder;
mod lock;
mod swap;
mod update;

pub use folder::Folder;
pub use lock::OutputLock;
pub use swap::Replaced;
pub use update::{UpdateError, WriteStats, Written};

/// The file that marks a folder as written by `briefing build`, and so safe to replace.
pub const MARKER: &str = ".briefing-output";
const MARKER_TEXT: &str = "This folder is written by `briefing build` and replaced whole by the next build.\n";

/// Refuses an output folder whose replacement could destroy someone's work: the site itself or
/// a folder above it, a source folder, the file system root or home, a symbolic link (the
/// folder it points to would be replaced), a mount point, or a non-empty folder that
/// `briefing` did not write.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Err(Diagnostic::error("unsafe-output", format!("refusing to write the site to {}: {why}", output.display()))
            .help("choose a new or empty folder with --output, such as --output output"))
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let target = absolute(output);
    if target.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    if std::env::var_os("HOME").is_some_and(|home| Path::new(&home) == target) {
        return refuse("it is your home folder".into());
    }
    if root.starts_with(&target) {
        return refuse("it holds the site's sources, which a build would replace".into());
    }
    for dir in [BRIEFINGS_DIR, THEMES_DIR, TEMPLATES_DIR] {
        if target.starts_with(root.join(dir)) {
            return refuse(format!("it is inside the site's {dir}/ folder"));
        }
    }
    replaceable(&target).map_err(|why| refuse(why).unwrap_err())
}

/// Why the folder at `target` (as `absolute` gives it) cannot be replaced by a build, if it
/// cannot. Checked before a build and again once it holds the output's lock.
fn replaceable(target: &Path) -> Result<(), String> {
    let Ok(meta) = std::fs::symlink_metadata(target) else { return Ok(()) };
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link, and a build would replace the folder it points to (name that folder itself if it is empty or was written by briefing)".into());
    }
    if !meta.is_dir() {
        return Err("it is a file, not a folder".into());
    }
    if is_mount_point(target, &meta) {
        return Err(format!(
            "it is a mount point (a disk or network share is attached there), which a build cannot replace; write into a new folder inside it instead, such as --output {}",
            target.join("site").display()
        ));
    }
    if is_ours_or_empty(target) {
        Ok(())
    } else {
        Err(format!("it is not empty and was not written by briefing (it has no {MARKER} file)"))
    }
}

/// A folder with a different device from its parent's is a mount point: renaming or replacing
/// it fails ("Device or resource busy").
#[cfg(unix)]
fn is_mount_point(dir: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = dir.parent().and_then(|p| std::fs::metadata(p).ok());
    parent.is_some_and(|p| p.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &std::fs::Metadata) -> bool {
    false
}

/// `path` made absolute, with `.` and `..` resolved and links in the folders above it
/// followed; its own name is kept as written, so that a symbolic link there is seen (and
/// refused), never followed.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => resolved(parent).join(name),
        _ => resolved(&path),
    }
}

/// `path` with `.`, `..` and links resolved through whatever part of it exists.
fn resolved(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

fn is_ours_or_empty(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// The error for a site that could not be written to `output`, with advice that fits the
/// cause, and `then` (what became of the output: "the previous site was left as it was").
pub fn write_failed(output: &Path, e: &io::Error, then: &str) -> Diagnostic {
    Diagnostic::error("write-failed", format!("could not write the site to {}: {e}", output.display())).help(format!("{}; {then}", advice(e)))
}

/// What to do about a failed write, by its cause, for someone who is not a programmer.
fn advice(e: &io::Error) -> &'static str {
    use io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded | FileTooLarge => "the disk is full: free some space, then build again",
        PermissionDenied | ReadOnlyFilesystem => "you may not write there: choose a folder you can write to with --output, or ask whoever manages that folder",
        ResourceBusy => "the folder is in use: it may be a mount point (a disk or share attached there) or open in another program; close that program, or write into a new folder inside it with --output",
        CrossesDevices => "the output folder is on a different disk from the folder that holds it (a mount point); write into a new folder inside it with --output",
        _ => "check that the folder is writable and the disk is not full",
    }
}

/// Writes `files` and `copies` into the folder `dir`.
fn fill(dir: &Path, files: &[OutputFile], copies: &[Copy]) -> io::Result<()> {
    let folder = Folder::new(dir);
    files.par_iter().try_for_each(|f| folder.write(f))?;
    folder.copy_all(copies)
}

/// Replaces `output` with a folder that `fill` fills, holding the output's lock throughout (a
/// second `briefing` writing the same folder waits): see `replace_locked`.
pub fn replace<E: From<io::Error>>(output: &Path, fill: impl FnOnce(&Path) -> Result<(), E>) -> Result<Replaced, E> {
    let mut lock = OutputLock::acquire(output)?;
    replace_locked(&mut lock, fill)
}

/// Replaces the locked output folder with a folder that `fill` fills: `fill` writes into a
/// fresh staging folder beside it (marked as ours, and recorded in the lock file), which is
/// swapped in only when `fill` succeeded. When it fails, the staging folder is removed and the
/// output is left as it was. `Ok` means the new site is in place (see `Replaced` for what was
/// left behind).
pub fn replace_locked<E: From<io::Error>>(lock: &mut OutputLock, fill: impl FnOnce(&Path) -> Result<(), E>) -> Result<Replaced, E> {
    let output = lock.output().to_path_buf();
    // Checked before the build too; again here, as the folder may have changed while it waited.
    replaceable(&output).map_err(|why| io::Error::other(format!("{} cannot be replaced: {why}", output.display())))?;
    let staging = lock.reserve("staging")?;
    let result = start_staging(&staging)
        .map_err(E::from)
        .and_then(|()| fill(&staging))
        .and_then(|()| swap::swap_in(lock, &staging, &output).map_err(E::from));
    if result.is_err() && staging.join(MARKER).is_file() && swap::remove_ours(&staging).is_ok() {
        lock.forget(&staging);
    }
    result
}

fn start_staging(staging: &Path) -> io::Result<()> {
    std::fs::create_dir(staging)?;
    std::fs::write(staging.join(MARKER), MARKER_TEXT)
}

/// Writes one attachment to `to`: its cleaned bytes when it has them, else the file itself,
/// never through a symbolic link (one put in its place after the site was read included).
pub fn copy_file(c: &Copy, to: &Path) -> io::Result<()> {
    if let Some(bytes) = &c.contents {
        return std::fs::write(to, bytes);
    }
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", c.from.display()));
    let mut from = crate::load::open_no_follow(&c.from).map_err(named)?;
    io::copy(&mut from, &mut std::fs::File::create(to)?).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes().to_vec())
    }

    /// Writes `files` into a staging folder beside `output`, then swaps it in.
    fn write(output: &Path, files: &[OutputFile]) -> io::Result<Replaced> {
        replace(output, |staging| fill(staging, files, &[]))
    }

    #[test]
    fn a_build_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write(&out, &[file("a/index.html", "one"), file("b/index.html", "old")]).unwrap();
        write(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("b").exists(), "stale pages are gone");
        assert!(out.join(MARKER).is_file());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["output"], "no staging or old folders are left behind");
    }

    #[test]
    fn a_failed_fill_leaves_the_previous_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write(&out, &[file("a/index.html", "good")]).unwrap();
        let result = replace(&out, |staging| {
            Folder::new(staging).write(&file("a/index.html", "new"))?;
            assert_eq!(std::fs::read_to_string(staging.join("a/index.html")).unwrap(), "new");
            Err(io::Error::other("the PDFs failed"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "good");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["output"], "the staging folder is gone");
    }

    #[test]
    fn refuses_dangerous_targets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("briefings")).unwrap();
        std::fs::create_dir_all(dir.path().join("documents")).unwrap();
        std::fs::write(dir.path().join("documents/cv.docx"), "mine").unwrap();
        for bad in [root.clone(), dir.path().to_path_buf(), root.join("briefings"), root.join("briefings/x"), dir.path().join("documents"), PathBuf::from("/")] {
            assert!(check_target(&root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_target(&root, &root.join("output")).is_ok());
        assert!(check_target(&root, &root.join("x/../output")).is_ok());
        assert!(check_target(&root, &root.join("briefings/../briefings")).is_err());
        std::fs::create_dir_all(dir.path().join("empty")).unwrap();
        assert!(check_target(&root, &dir.path().join("empty")).is_ok());
    }

    /// Issue 16, item 12: a symbolic link to an empty folder was followed, and that folder
    /// replaced. The link is refused however it is written.
    #[cfg(unix)]
    #[test]
    fn refuses_a_symbolic_link_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("briefings")).unwrap();
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("empty"), dir.path().join("link")).unwrap();
        for given in ["link", "link/", "./link", "empty/../link"] {
            let err = check_target(&root, &dir.path().join(given)).expect_err(given);
            assert!(err.message.contains("symbolic link"), "{given}: {}", err.message);
        }
        assert!(check_target(&root, &dir.path().join("link/inside")).is_ok(), "a folder inside the linked one is fine");
    }

    /// Issue 16, item 12: "Device or resource busy" (a mount point) and "Invalid cross-device
    /// link" were met with advice about disk space.
    #[test]
    fn failures_get_advice_that_fits_their_cause() {
        let help = |kind: io::ErrorKind| write_failed(Path::new("out"), &io::Error::from(kind), "then").help.clone().unwrap();
        assert!(help(io::ErrorKind::ResourceBusy).contains("mount point") && !help(io::ErrorKind::ResourceBusy).contains("disk is"));
        assert!(help(io::ErrorKind::CrossesDevices).contains("different disk"));
        assert!(help(io::ErrorKind::StorageFull).contains("disk is full"));
        assert!(help(io::ErrorKind::PermissionDenied).contains("may not write"));
        assert!(help(io::ErrorKind::Other).ends_with("; then"));
    }
}
