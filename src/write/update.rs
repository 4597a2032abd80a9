//! Writing only what changed, for `watch`: the hash of each file written and the stamp of
//! each attachment copied, so that a rebuild rewrites the files whose bytes changed and
//! deletes those no longer part of the site. An update is all or nothing as far as the file
//! system allows: every changed file is first written beside its place under a temporary
//! name, and only when all of them were written are they renamed into place.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::lock::OutputLock;
use super::MARKER;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::load::FileStamp;
use crate::render::OutputFile;
use crate::site::attachments::Copy;

/// What `watch` has written into the output folder: a hash of each file, for each copied
/// attachment where it came from and that file's size and modification time, and which
/// folder it wrote them into.
#[derive(Debug, Default)]
pub struct Written {
    // FxHash: these maps hold every file of the site and are made again on every save.
    files: FxHashMap<String, u128>,
    /// The bytes of each file that is the same as one kept elsewhere (a cached PDF, see
    /// `OutputFile::same_as`), held so that the next update, given the very same bytes, need
    /// not hash them again: bytes are never changed in place, and while held their memory
    /// cannot be given to other bytes.
    shared: FxHashMap<String, bytes::Bytes>,
    copies: FxHashMap<String, Stamp>,
    /// The output folder as this record left it; another build replacing the folder changes it.
    folder: Option<Identity>,
}

/// A copied attachment: where it came from, and that file's stamp (`None` when it could not
/// be read; the copy then fails and reports it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    from: PathBuf,
    file: Option<FileStamp>,
}

impl Stamp {
    fn of(copy: &Copy) -> Stamp {
        Stamp { from: copy.from.clone(), file: FileStamp::of(&copy.from) }
    }
}

/// Which output folder this is, and which build made it: the folder's and the marker's file
/// ids (device and inode, on Unix) and the marker's modification time. Every build swaps in a
/// new folder with a new marker; an update in place changes neither.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    folder: Option<(u64, u64)>,
    marker: Option<(u64, u64)>,
    marked: Option<SystemTime>,
}

impl Identity {
    fn of(output: &Path) -> Option<Identity> {
        let folder = std::fs::symlink_metadata(output).ok()?;
        let marker = std::fs::symlink_metadata(output.join(MARKER)).ok()?;
        Some(Identity { folder: file_id(&folder), marker: file_id(&marker), marked: marker.modified().ok() })
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// What a write did, for the rebuild line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Output paths written (created or replaced), sorted.
    pub written: Vec<String>,
    /// Output paths deleted because their source is gone, sorted.
    pub removed: Vec<String>,
    /// The whole output folder was replaced through a staging folder.
    pub full: bool,
    /// What the write warns about (the previous site that could not be deleted).
    pub warnings: Vec<Diagnostic>,
}

/// Why an update failed, and what it left.
#[derive(Debug)]
pub struct UpdateError {
    pub error: io::Error,
    /// No file was put in place (the failure came while writing them aside): the output
    /// folder holds the previous rebuild whole, and the record still describes it. Otherwise
    /// some files are new and some old, and the record must be forgotten.
    pub untouched: bool,
}

/// One file of an update: a page's bytes, or an attachment to copy.
enum Change<'a> {
    File(&'a OutputFile),
    Copy(&'a Copy),
}

impl Change<'_> {
    fn path(&self) -> &str {
        match self {
            Change::File(f) => &f.path,
            Change::Copy(c) => &c.to,
        }
    }

    fn fill(&self, tmp: &Path) -> io::Result<()> {
        match self {
            Change::File(f) => std::fs::write(tmp, &f.contents),
            Change::Copy(c) => super::copy_file(c, tmp),
        }
    }
}

impl Written {
    /// Replaces the whole locked output folder through a staging folder (`write::write`: all
    /// or nothing) and records what it wrote.
    pub fn write_all(lock: &mut OutputLock, files: &[OutputFile], copies: &[Copy]) -> io::Result<(Written, WriteStats)> {
        let replaced = super::replace_locked(lock, |staging| super::fill(staging, files, copies))?;
        let written = Written {
            files: files.par_iter().map(|f| (f.path.clone(), hash::of(&f.contents[..]))).collect(),
            shared: shared(files.iter()),
            copies: copies.iter().map(|c| (c.to.clone(), Stamp::of(c))).collect(),
            folder: Identity::of(lock.output()),
        };
        let mut paths: Vec<String> = files.iter().map(|f| f.path.clone()).chain(copies.iter().map(|c| c.to.clone())).collect();
        paths.sort();
        let warnings = replaced.warning(lock.output()).into_iter().collect();
        Ok((written, WriteStats { written: paths, removed: Vec::new(), full: true, warnings }))
    }

    /// The hash of `file`: the one recorded for it when these very bytes were written last.
    fn hash(&self, file: &OutputFile) -> u128 {
        let same = |kept: &bytes::Bytes| kept.as_ptr() == file.contents.as_ptr() && kept.len() == file.contents.len();
        match (self.shared.get(&file.path), self.files.get(&file.path)) {
            (Some(kept), Some(&hash)) if same(kept) => hash,
            _ => hash::of(&file.contents[..]),
        }
    }

    /// Is `output` still the folder this record describes? Not when another build replaced
    /// it (or someone deleted it) since.
    pub fn is_current(&self, output: &Path) -> bool {
        self.folder.is_some() && Identity::of(output) == self.folder
    }

    /// Brings the locked output folder, which holds what `self` records, up to date with a
    /// site of the files at `paths`, of which `files` were rendered (the others are as they
    /// were written last), and `copies`: writes the files whose bytes (or attachments whose
    /// source) changed and deletes the files that are no longer part of the site. Each changed
    /// file is first written aside under a hidden temporary name; only when all were written
    /// are they renamed into place (so no reader ever sees half a file, and a full disk leaves
    /// the previous rebuild whole: `UpdateError::untouched`).
    pub fn update(&mut self, lock: &OutputLock, files: &[OutputFile], paths: &[String], copies: &[Copy]) -> Result<WriteStats, UpdateError> {
        let output = lock.output();
        let hashed: Vec<(&OutputFile, u128)> = files.par_iter().map(|f| (f, self.hash(f))).collect();
        let stamped: Vec<(&Copy, Stamp)> = copies.iter().map(|c| (c, Stamp::of(c))).collect();
        let changes: Vec<Change> = hashed
            .iter()
            .filter(|(f, h)| self.files.get(&f.path) != Some(h))
            .map(|(f, _)| Change::File(f))
            .chain(stamped.iter().filter(|(c, s)| self.copies.get(&c.to) != Some(s)).map(|(c, _)| Change::Copy(c)))
            .collect();
        put_in_place(output, &changes)?;

        let mut written: Vec<String> = changes.iter().map(|c| c.path().to_string()).collect();
        written.sort();
        let mut files: FxHashMap<String, u128> = hashed.iter().map(|(f, h)| (f.path.clone(), *h)).collect();
        for path in paths {
            if let (false, Some(&h)) = (files.contains_key(path), self.files.get(path)) {
                files.insert(path.clone(), h);
            }
        }
        let copies: FxHashMap<String, Stamp> = stamped.into_iter().map(|(c, s)| (c.to.clone(), s)).collect();
        let mut removed: Vec<String> =
            self.files.keys().chain(self.copies.keys()).filter(|p| !files.contains_key(*p) && !copies.contains_key(*p)).cloned().collect();
        removed.sort();
        removed.dedup();
        for path in &removed {
            remove_file_and_empty_folders(output, path).map_err(|error| UpdateError { error, untouched: false })?;
        }
        *self = Written { files, shared: shared(hashed.iter().map(|(f, _)| *f)), copies, folder: Identity::of(output) };
        Ok(WriteStats { written, removed, full: false, warnings: Vec::new() })
    }
}

/// The bytes of the files among `files` that are the same as one kept elsewhere.
fn shared<'a>(files: impl Iterator<Item = &'a OutputFile>) -> FxHashMap<String, bytes::Bytes> {
    files.filter(|f| f.same_as.is_some()).map(|f| (f.path.clone(), f.contents.clone())).collect()
}

/// Writes each change aside (all of them, in parallel), then, only when every one was
/// written, renames each into its place. On a failure the files written aside are deleted.
fn put_in_place(output: &Path, changes: &[Change]) -> Result<(), UpdateError> {
    let staged: Vec<io::Result<String>> = changes.par_iter().map(|c| write_aside(output, c)).collect();
    if let Some(i) = staged.iter().position(Result::is_err) {
        for tmp in staged.iter().flatten() {
            let _ = remove_file_and_empty_folders(output, tmp);
        }
        let error = staged.into_iter().nth(i).and_then(Result::err).expect("an error at i");
        return Err(UpdateError { error, untouched: true });
    }
    let staged: Vec<String> = staged.into_iter().flatten().collect();
    for (i, (change, tmp)) in changes.iter().zip(&staged).enumerate() {
        if let Err(error) = std::fs::rename(output.join(tmp), output.join(change.path())) {
            for tmp in &staged[i..] {
                let _ = remove_file_and_empty_folders(output, tmp);
            }
            return Err(UpdateError { error, untouched: i == 0 });
        }
    }
    Ok(())
}

/// Writes `change` beside its place in `output`, under a hidden temporary name (`serve` never
/// serves it, and a crash leaves nothing that looks like a page); returns that name, relative
/// to `output`.
fn write_aside(output: &Path, change: &Change) -> io::Result<String> {
    let rel = change.path();
    let tmp = match rel.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/.{name}.briefing-new"),
        None => format!(".{rel}.briefing-new"),
    };
    let path = output.join(&tmp);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    match change.fill(&path) {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = remove_file_and_empty_folders(output, &tmp);
            Err(e)
        }
    }
}

/// Deletes `output/rel` and then each folder above it that is left empty, up to `output`.
fn remove_file_and_empty_folders(output: &Path, rel: &str) -> io::Result<()> {
    let path = output.join(rel);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == output || !d.starts_with(output) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes().to_vec())
    }

    fn mtime(path: &Path) -> SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    fn hidden_leftovers(out: &Path) -> Vec<PathBuf> {
        let found = walkdir::WalkDir::new(out).into_iter().flatten();
        found.filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".briefing-new")).map(|e| e.into_path()).collect()
    }

    #[test]
    fn only_changed_files_are_written_and_gone_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let (mut written, stats) = Written::write_all(&mut lock, &[file("index.html", "home"), file("briefings/a/index.html", "a")], &[]).unwrap();
        assert!(stats.full && stats.warnings.is_empty());
        let before = mtime(&out.join("index.html"));
        let stats = written
            .update(&lock, &[file("briefings/b/index.html", "b")], &["index.html".into(), "briefings/b/index.html".into()], &[])
            .unwrap();
        assert_eq!(stats.written, ["briefings/b/index.html"]);
        assert_eq!(stats.removed, ["briefings/a/index.html"]);
        assert_eq!(mtime(&out.join("index.html")), before, "an unchanged file is not rewritten");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "home", "a page not rendered again is kept");
        assert!(!out.join("briefings/a").exists(), "the emptied folder is removed");
        assert_eq!(std::fs::read_to_string(out.join("briefings/b/index.html")).unwrap(), "b");
        assert!(out.join(MARKER).is_file());
        assert!(hidden_leftovers(&out).is_empty());
        assert!(written.is_current(&out));
    }

    /// A file kept elsewhere (a cached PDF) given again as the very same bytes is known
    /// unchanged without hashing them; other bytes at its path are written, even of its length.
    #[test]
    fn a_shared_file_is_written_when_its_bytes_change() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let pdf = |text: &str| OutputFile { same_as: Some(dir.path().join("cache.pdf")), ..file("a/a.pdf", text) };
        let first = pdf("%PDF one");
        let (mut written, _) = Written::write_all(&mut lock, std::slice::from_ref(&first), &[]).unwrap();
        let paths = ["a/a.pdf".to_string()];
        let stats = written.update(&lock, std::slice::from_ref(&first), &paths, &[]).unwrap();
        assert!(stats.written.is_empty(), "the same bytes: {stats:?}");
        let stats = written.update(&lock, &[pdf("%PDF two")], &paths, &[]).unwrap();
        assert_eq!(stats.written, ["a/a.pdf"]);
        assert_eq!(std::fs::read_to_string(out.join("a/a.pdf")).unwrap(), "%PDF two");
        let stats = written.update(&lock, &[pdf("%PDF two")], &paths, &[]).unwrap();
        assert!(stats.written.is_empty(), "other bytes, the same as written: {stats:?}");
    }

    /// Issue 16, item 8: a rebuild that could write only some of its files (a full disk) left
    /// a mix of new and old pages. Now nothing is put in place unless everything was written,
    /// and the record still describes the folder.
    #[test]
    fn an_update_that_cannot_write_every_file_changes_none() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let old: Vec<OutputFile> = (0..40).map(|i| file(&format!("p{i:02}/index.html"), "old")).collect();
        let (mut written, _) = Written::write_all(&mut lock, &old, &[]).unwrap();
        // Where the last page must first be written there is a folder: writing it fails.
        std::fs::create_dir(out.join("p39/.index.html.briefing-new")).unwrap();
        let mut new: Vec<OutputFile> = (0..40).map(|i| file(&format!("p{i:02}/index.html"), "new")).collect();
        new.push(file("added/index.html", "new"));
        let paths: Vec<String> = new.iter().map(|f| f.path.clone()).collect();
        let err = written.update(&lock, &new, &paths, &[]).unwrap_err();
        assert!(err.untouched, "{err:?}");
        for f in &old {
            assert_eq!(std::fs::read_to_string(out.join(&f.path)).unwrap(), "old", "{} was changed", f.path);
        }
        assert!(!out.join("added").exists(), "the new page's folder is removed again");
        assert!(hidden_leftovers(&out).is_empty());

        // The record still holds: once the obstacle is gone, the same update succeeds.
        std::fs::remove_dir(out.join("p39/.index.html.briefing-new")).unwrap();
        let stats = written.update(&lock, &new, &paths, &[]).unwrap();
        assert_eq!(stats.written.len(), 41);
        assert!(new.iter().all(|f| std::fs::read_to_string(out.join(&f.path)).unwrap() == "new"));
    }

    /// Issue 16, item 7: a build that replaced the folder under `watch` went unnoticed. The
    /// record knows the folder it wrote.
    #[test]
    fn a_folder_replaced_by_another_build_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let mut lock = OutputLock::acquire(&out).unwrap();
        let (written, _) = Written::write_all(&mut lock, &[file("index.html", "watch")], &[]).unwrap();
        assert!(written.is_current(&out));
        // Another build, the same bytes.
        super::super::replace_locked(&mut lock, |staging| super::super::fill(staging, &[file("index.html", "watch")], &[])).unwrap();
        assert!(!written.is_current(&out));
        drop(lock);
        std::fs::remove_dir_all(&out).unwrap();
        assert!(!written.is_current(&out));
    }
}
