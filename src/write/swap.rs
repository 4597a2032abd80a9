//! Putting a finished staging folder in the output folder's place, and deleting the previous
//! site. On Linux the two folders trade places in one step (`renameat2` with
//! `RENAME_EXCHANGE`): at every instant there is a whole site at the output path, a kill at
//! any point leaves either the old site or the new one there, and the swap either happened or
//! did not. Elsewhere (or on a file system that cannot exchange), the output is renamed
//! aside, the staging folder renamed into its place, and the first rename undone if the
//! second fails. Once the new site is in place the build has succeeded: failing to delete the
//! previous site afterwards is a warning that names the folder left behind, never an error.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::lock::OutputLock;
use super::MARKER;
use crate::core::diagnostics::Diagnostic;

/// What replacing the output left behind.
#[derive(Debug, Default)]
pub struct Replaced {
    /// The previous site, in place, and why it could not be deleted: the new site is in place
    /// all the same.
    pub left_behind: Option<(PathBuf, io::Error)>,
}

impl Replaced {
    /// The warning to show when the previous site was left behind.
    pub fn warning(&self, output: &Path) -> Option<Diagnostic> {
        let (old, e) = self.left_behind.as_ref()?;
        Some(
            Diagnostic::warning(
                "old-site-left",
                format!("the new site is in {}, but the previous one could not be deleted from {}: {e}", output.display(), old.display()),
            )
            .help(format!("delete {} yourself when you can (the next build also tries); the new site is complete", old.display())),
        )
    }
}

/// Puts `staging` (a finished site beside `output`) in the place of `output`, then deletes
/// the previous site. An error means the swap did not happen: the output is as it was.
pub(super) fn swap_in(lock: &mut OutputLock, staging: &Path, output: &Path) -> io::Result<Replaced> {
    swap_in_with(lock, staging, output, exchange, remove_ours)
}

/// `swap_in`, with the exchange and the removal as arguments, so that tests can make either fail.
fn swap_in_with(
    lock: &mut OutputLock,
    staging: &Path,
    output: &Path,
    exchange: fn(&Path, &Path) -> io::Result<()>,
    remove: fn(&Path) -> io::Result<()>,
) -> io::Result<Replaced> {
    if std::fs::symlink_metadata(output).is_err() {
        return std::fs::rename(staging, output).map(|()| Replaced::default());
    }
    let old = match exchange(staging, output) {
        // The previous site is now where the staging folder was.
        Ok(()) => staging.to_path_buf(),
        Err(e) if !cannot_exchange(&e) => return Err(e),
        Err(_) => {
            let old = lock.reserve("old")?;
            std::fs::rename(output, &old)?;
            if let Err(e) = std::fs::rename(staging, output) {
                // Put the last good site back before reporting.
                let _ = std::fs::rename(&old, output);
                return Err(e);
            }
            old
        }
    };
    match remove(&old) {
        Ok(()) => {
            lock.forget(&old);
            Ok(Replaced::default())
        }
        // It stays recorded in the lock file: a later build removes it if it can.
        Err(e) => Ok(Replaced { left_behind: Some((old, e)) }),
    }
}

/// Swaps the folders `a` and `b` in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The system or file system cannot exchange two folders (an old kernel, some network and
/// FUSE file systems): rename them in turn instead.
fn cannot_exchange(e: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == io::ErrorKind::Unsupported || (cfg!(target_os = "linux") && matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP)))
}

/// Deletes a folder that a build made or swapped out: everything in it, then the marker, then
/// the folder, so that while any of it is left it still says whose it is. Like
/// `std::fs::remove_dir_all` it never follows a symbolic link: a link is removed, not what it
/// points to (`DirEntry::file_type` does not follow links).
pub(super) fn remove_ours(dir: &Path) -> io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().filter(|e| e.file_name() != MARKER).try_for_each(|e| remove_entry(&e.path(), e.file_type()?.is_dir()))?;
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// `std::fs::remove_dir_all`, with the entries of each folder removed in parallel (deleting
/// the previous site is the last step of a build, and its thousands of files add up).
fn remove_entry(path: &Path, is_dir: bool) -> io::Result<()> {
    if !is_dir {
        return std::fs::remove_file(path);
    }
    let entries = std::fs::read_dir(path)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| remove_entry(&e.path(), e.file_type()?.is_dir()))?;
    std::fs::remove_dir(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir.join("briefings")).unwrap();
        std::fs::write(dir.join(MARKER), "x").unwrap();
        std::fs::write(dir.join("briefings/index.html"), text).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
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
        std::fs::write(tree.join(MARKER), "x").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("briefings/link")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep.txt"), tree.join("assets/file-link")).unwrap();
        remove_ours(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "mine");
    }

    /// Issue 16, item 6: the new site is in place, the previous one could not be deleted: a
    /// success that names the folder left behind (still marked, still recorded), by exchange
    /// and by the two renames alike.
    #[test]
    fn a_previous_site_that_cannot_be_deleted_is_left_behind_after_a_good_swap() {
        let fails = |_: &Path| Err(io::Error::from(io::ErrorKind::PermissionDenied));
        let no_exchange = |_: &Path, _: &Path| Err(io::Error::from(io::ErrorKind::Unsupported));
        for exchange in [exchange, no_exchange] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("output");
            site(&out, "old");
            let mut lock = OutputLock::acquire(&out).unwrap();
            let staging = lock.reserve("staging").unwrap();
            site(&staging, "new");
            let replaced = swap_in_with(&mut lock, &staging, &out, exchange, fails).unwrap();
            assert_eq!(std::fs::read_to_string(out.join("briefings/index.html")).unwrap(), "new");
            let (old, _) = replaced.left_behind.as_ref().expect("the old site is left behind");
            assert_eq!(std::fs::read_to_string(old.join("briefings/index.html")).unwrap(), "old");
            let warning = replaced.warning(&out).unwrap();
            assert!(warning.message.contains(&old.display().to_string()), "{warning:?}");
            drop(lock);
            assert!(names(dir.path()).contains(&".output.briefing-lock".to_string()), "the folder left behind stays recorded");
        }
    }

    /// When the second rename fails, the previous site is put back.
    #[test]
    fn a_failed_swap_leaves_the_previous_site() {
        let no_exchange = |_: &Path, _: &Path| Err(io::Error::from(io::ErrorKind::Unsupported));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        site(&out, "old");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let missing = dir.path().join("output.staging-1-0");
        assert!(swap_in_with(&mut lock, &missing, &out, no_exchange, remove_ours).is_err());
        assert_eq!(std::fs::read_to_string(out.join("briefings/index.html")).unwrap(), "old");
        drop(lock);
        assert_eq!(names(dir.path()), ["output"]);
    }
}
