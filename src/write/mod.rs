//! The write stage. A build writes into a fresh staging folder beside the output folder and
//! swaps it in only once everything is written, so a failed build leaves the last good site
//! untouched and a good one leaves no stale pages. Only folders that `briefing` wrote (they
//! carry a marker file) or empty ones are ever replaced.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diagnostics::Diagnostic;
use crate::core::paths::{BRIEFINGS_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::render::OutputFile;
use crate::site::attachments::Copy;

mod update;

pub use update::{WriteStats, Written};

/// The file that marks a folder as written by `briefing build`, and so safe to replace.
pub const MARKER: &str = ".briefing-output";
const MARKER_TEXT: &str = "This folder is written by `briefing build` and replaced whole by the next build.\n";

/// Refuses an output folder whose replacement could destroy someone's work: the site itself or
/// a folder above it, a source folder, the file system root or home, or a non-empty folder
/// that `briefing` did not write.
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
    match std::fs::symlink_metadata(&target) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => refuse("it is a symbolic link".into()),
        Ok(meta) if !meta.is_dir() => refuse("it is a file, not a folder".into()),
        Ok(_) if is_ours_or_empty(&target) => Ok(()),
        Ok(_) => refuse(format!("it is not empty and was not written by briefing (it has no {MARKER} file)")),
    }
}

/// `path` made absolute, with `.` and `..` resolved through whatever part of it exists.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
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

/// Writes `files` and `copies` into a staging folder beside `output`, then swaps it in.
pub fn write(output: &Path, files: &[OutputFile], copies: &[Copy]) -> io::Result<()> {
    replace(output, |staging| {
        files.par_iter().try_for_each(|f| write_file(staging, f))?;
        copy_all(staging, copies)
    })
}

/// Replaces `output` with a folder that `fill` fills: `fill` writes into a fresh staging folder
/// beside `output` (marked as ours), which is swapped in only when `fill` succeeded. When it
/// fails, the staging folder is removed and the output is left as it was.
pub fn replace<E: From<io::Error>>(output: &Path, fill: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E> {
    let output = absolute(output);
    let (parent, name) = match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) => (parent.to_path_buf(), name.to_string_lossy().into_owned()),
        _ => return Err(io::Error::other("the output folder needs a parent folder").into()),
    };
    std::fs::create_dir_all(&parent)?;
    let pid = std::process::id();
    let staging = parent.join(format!("{name}.staging-{pid}"));
    remove_leftovers(&parent, &name);
    let result = start_staging(&staging)
        .map_err(E::from)
        .and_then(|()| fill(&staging))
        .and_then(|()| swap_in(&staging, &output, &parent.join(format!("{name}.old-{pid}"))).map_err(E::from));
    if result.is_err() && staging.join(MARKER).is_file() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn start_staging(staging: &Path) -> io::Result<()> {
    std::fs::create_dir(staging)?;
    std::fs::write(staging.join(MARKER), MARKER_TEXT)
}

/// Writes `file` into the folder `dir`, making the folders on its path. Safe to call from
/// several threads at once.
pub fn write_file(dir: &Path, file: &OutputFile) -> io::Result<()> {
    let path = dir.join(&file.path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, &file.contents)
}

/// Copies each attachment into the folder `dir`.
pub fn copy_all(dir: &Path, copies: &[Copy]) -> io::Result<()> {
    copies.par_iter().try_for_each(|c| {
        let to = dir.join(&c.to);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&c.from, to).map(drop)
    })
}

fn swap_in(staging: &Path, output: &Path, old: &Path) -> io::Result<()> {
    if output.exists() {
        std::fs::rename(output, old)?;
        if let Err(e) = std::fs::rename(staging, output) {
            // Put the last good site back before reporting.
            let _ = std::fs::rename(old, output);
            return Err(e);
        }
        remove_tree(old)
    } else {
        std::fs::rename(staging, output)
    }
}

/// `std::fs::remove_dir_all`, with the entries of each folder removed in parallel (deleting
/// the previous site is the last step of a build, and its thousands of files add up). Like
/// `remove_dir_all` it never follows a symbolic link: a link is removed, not what it points to
/// (`DirEntry::file_type` does not follow links).
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| match entry.file_type()?.is_dir() {
        true => remove_tree(&entry.path()),
        false => std::fs::remove_file(entry.path()),
    })?;
    std::fs::remove_dir(dir)
}

/// Staging and old folders left by a build that was killed part-way (ours only: marked).
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let leftover = [".staging-", ".old-"].iter().any(|infix| file_name.starts_with(&format!("{name}{infix}")));
        if leftover && entry.path().join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: text.as_bytes().to_vec() }
    }

    /// The whole tree goes, and a link inside it is removed without touching what it
    /// points to.
    #[cfg(unix)]
    #[test]
    fn removing_a_tree_does_not_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "mine").unwrap();
        let tree = dir.path().join("old");
        for sub in ["briefings/a", "briefings/b/files", "assets"] {
            std::fs::create_dir_all(tree.join(sub)).unwrap();
            std::fs::write(tree.join(sub).join("index.html"), "x").unwrap();
        }
        std::os::unix::fs::symlink(&outside, tree.join("briefings/link")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep.txt"), tree.join("assets/file-link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_build_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write(&out, &[file("a/index.html", "one"), file("b/index.html", "old")], &[]).unwrap();
        write(&out, &[file("a/index.html", "two")], &[]).unwrap();
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
        write(&out, &[file("a/index.html", "good")], &[]).unwrap();
        let result = replace(&out, |staging| {
            write_file(staging, &file("a/index.html", "new"))?;
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
}
