//! One writer at a time for each output folder, and proof of whose folders lie beside it.
//!
//! A build (for its whole render, write and swap) and `watch` (while it writes a rebuild) hold
//! a lock on `.<name>.briefing-lock`, a file beside the output folder `<name>`. Another
//! `briefing` writing the same folder waits for it, saying so once. While it holds the lock, a
//! build records in that file its process id and the name of each folder it makes beside the
//! output (its staging folder, the previous site on its way out) before making it. The lock
//! is free again only when its holder ended, finished or killed, so the folders named there
//! belong to nobody alive: the next holder removes them (when they still carry the marker, or
//! are empty), and nothing else. A user's `output.old-2025-12-01/` is never named there, so
//! never touched. When the holder is done and left nothing behind, it deletes the lock file.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file is deleted when its holder is done (on Unix, where a waiter can tell that the
/// file it locked was deleted meanwhile, and open the new one). Elsewhere it is kept.
const REMOVE_WHEN_DONE: bool = cfg!(unix);

/// An output folder's lock, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
    /// The output folder: absolute, with the folders above it resolved (its own name as given).
    output: PathBuf,
    /// The folders beside the output that this holder, or a holder before it that is gone,
    /// made and has not removed: file names in the output's parent.
    made: Vec<String>,
    /// False where the file system cannot lock files: then no folder is removed as a leftover,
    /// since its owner may be alive.
    locked: bool,
}

impl OutputLock {
    /// Locks the output folder `output`, waiting while another `briefing` writes it (a line on
    /// standard error says so, once: the wait begins before there is any outcome to report),
    /// then removes the folders that an earlier holder, now gone, made beside it.
    pub fn acquire(output: &Path) -> io::Result<OutputLock> {
        Self::acquire_with(output, &mut |message| eprintln!("{message}"))
    }

    /// `acquire`, telling `on_wait` (once) when it has to wait.
    pub fn acquire_with(output: &Path, on_wait: &mut dyn FnMut(&str)) -> io::Result<OutputLock> {
        let output = super::absolute(output);
        let (parent, name) = split(&output)?;
        std::fs::create_dir_all(parent)?;
        let path = parent.join(format!(".{name}.briefing-lock"));
        let mut said = false;
        loop {
            let mut file = File::options().read(true).write(true).create(true).truncate(false).open(&path)?;
            let locked = match file.try_lock() {
                Ok(()) => true,
                Err(TryLockError::WouldBlock) => {
                    if !said {
                        said = true;
                        on_wait(&waiting(&mut file, &output));
                    }
                    file.lock()?;
                    true
                }
                Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => false,
                Err(TryLockError::Error(e)) => return Err(e),
            };
            // The holder deletes the file as it finishes: a waiter that then got the lock holds
            // a file no longer there, and must lock the one there now.
            if !locked || same_file(&file, &path) {
                let made = if locked { recorded(&mut file, &name) } else { Vec::new() };
                let mut lock = OutputLock { file, path, output, made, locked };
                lock.remove_leftovers();
                return Ok(lock);
            }
        }
    }

    /// The output folder: absolute, the folders above it resolved, its own name as given.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// A new name beside the output for a folder of `kind` ("staging", "old") that the caller
    /// is about to make, recorded in the lock file first so that it is removed should this
    /// process die before removing it itself.
    pub(super) fn reserve(&mut self, kind: &str) -> io::Result<PathBuf> {
        let (parent, name) = split(&self.output)?;
        let pid = std::process::id();
        let path = (0..)
            .map(|n| parent.join(format!("{name}.{kind}-{pid}-{n}")))
            .find(|p| std::fs::symlink_metadata(p).is_err())
            .expect("some number is free");
        self.made.push(file_name(&path));
        self.save()?;
        Ok(path)
    }

    /// `path`, made by `reserve`, is gone: no longer recorded.
    pub(super) fn forget(&mut self, path: &Path) {
        let name = file_name(path);
        self.made.retain(|m| *m != name);
        let _ = self.save();
    }

    /// Removes the folders an earlier holder recorded and left: those that still exist, are
    /// folders (not links) and carry the marker, or are empty (a holder killed between making
    /// its staging folder and marking it). Those that cannot be removed stay recorded.
    fn remove_leftovers(&mut self) {
        if !self.locked {
            return;
        }
        let Some(parent) = self.output.parent().map(Path::to_path_buf) else { return };
        self.made.retain(|name| {
            let dir = parent.join(name);
            let ours = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) && super::is_ours_or_empty(&dir);
            ours && super::swap::remove_ours(&dir).is_err()
        });
        let _ = self.save();
    }

    /// Writes the lock file: this process's id, then each folder recorded. Written over the old
    /// record in one write and only then cut to length, so that a kill at any point leaves
    /// every name still recorded (at worst twice, or with a cut-off copy of one).
    fn save(&mut self) -> io::Result<()> {
        let mut text = format!("pid {}\n", std::process::id());
        for name in &self.made {
            text.push_str(&format!("made {name}\n"));
        }
        self.file.rewind()?;
        self.file.write_all(text.as_bytes())?;
        self.file.set_len(text.len() as u64)
    }
}

impl Drop for OutputLock {
    /// Deletes the lock file when no folder it records is left (else keeps the record for the
    /// next holder), then closes it, which frees the lock.
    fn drop(&mut self) {
        if let Some(parent) = self.output.parent().map(Path::to_path_buf) {
            self.made.retain(|name| std::fs::symlink_metadata(parent.join(name)).is_ok());
        }
        if self.locked && self.made.is_empty() && REMOVE_WHEN_DONE {
            let _ = std::fs::remove_file(&self.path);
        } else if self.locked {
            let _ = self.save();
        }
    }
}

/// The output's parent folder and its name.
fn split(output: &Path) -> io::Result<(&Path, String)> {
    match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) => Ok((parent, name.to_string_lossy().into_owned())),
        _ => Err(io::Error::other(format!("{} has no parent folder to write beside", output.display()))),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// What to say while waiting: who holds the lock, when its file says.
fn waiting(file: &mut File, output: &Path) -> String {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let pid = text.lines().find_map(|l| l.strip_prefix("pid ")).and_then(|p| p.trim().parse::<u32>().ok());
    let who = pid.map(|p| format!(" (process {p})")).unwrap_or_default();
    format!("Another briefing{who} is writing the site to {}: waiting for it to finish.", output.display())
}

/// The folder names recorded in the lock file: only names of the kinds `reserve` makes for
/// this output, so that a damaged or hand-edited file cannot name any other folder.
fn recorded(file: &mut File, name: &str) -> Vec<String> {
    let mut text = String::new();
    if file.rewind().is_err() || file.read_to_string(&mut text).is_err() {
        return Vec::new();
    }
    let ours = |m: &str| {
        let kinds = [format!("{name}.staging-"), format!("{name}.old-")];
        kinds.iter().any(|k| m.starts_with(k.as_str())) && !m.contains(['/', '\\']) && m != "." && m != ".."
    };
    text.lines().filter_map(|l| l.strip_prefix("made ")).filter(|m| ours(m)).map(str::to_string).collect()
}

/// Is the open `file` the one at `path`?
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// Elsewhere the lock file is never deleted, so the file locked is the one there.
#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::MARKER;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    /// A second lock on the same folder waits, and is told so once, with the holder's pid.
    #[test]
    fn a_second_holder_waits_and_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let first = OutputLock::acquire(&out).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let mut told = Vec::new();
            let lock = OutputLock::acquire_with(&out, &mut |m| told.push(m.to_string())).unwrap();
            tx.send(()).unwrap();
            drop(lock);
            told
        });
        assert!(rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "it did not wait");
        drop(first);
        let told = waiter.join().unwrap();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains(&format!("process {}", std::process::id())) && told[0].contains("output"), "{told:?}");
        assert_eq!(names(dir.path()), Vec::<String>::new(), "the lock file is deleted when done");
    }

    /// A folder recorded by a holder that is gone is removed by the next; a folder of the same
    /// kind of name that no holder recorded is not, marker or not.
    #[test]
    fn only_recorded_folders_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let staging = lock.reserve("staging").unwrap();
        std::fs::create_dir_all(staging.join("briefings")).unwrap();
        std::fs::write(staging.join(MARKER), "x").unwrap();
        std::fs::write(staging.join("briefings/a.html"), "x").unwrap();
        // Killed between making its staging folder and marking it: empty, and recorded.
        let unmarked = lock.reserve("staging").unwrap();
        std::fs::create_dir(&unmarked).unwrap();
        for mine in ["output.old-2025-12-01", "output.staging-1-0"] {
            std::fs::create_dir(dir.path().join(mine)).unwrap();
            std::fs::write(dir.path().join(mine).join(MARKER), "x").unwrap();
        }
        // As if the process died: the lock is freed without its holder tidying up.
        let OutputLock { file, .. } = &lock;
        let _ = file.unlock();
        std::mem::forget(lock);

        let again = OutputLock::acquire(&out).unwrap();
        assert!(!staging.exists() && !unmarked.exists(), "the dead holder's staging folders are removed");
        drop(again);
        assert_eq!(names(dir.path()), ["output.old-2025-12-01", "output.staging-1-0"]);
    }

    /// Names in a lock file that are not this output's staging or old folders are ignored.
    #[test]
    fn a_damaged_record_names_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".output.briefing-lock");
        std::fs::write(&path, "pid 1\nmade ../etc\nmade notes\nmade output.staging-1/x\nmade output.staging-7-0\nmade other.old-1-0\n").unwrap();
        let mut file = File::options().read(true).write(true).open(&path).unwrap();
        assert_eq!(recorded(&mut file, "output"), ["output.staging-7-0"]);
    }
}
