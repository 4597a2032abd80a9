//! Writing only what changed, for `watch`: the hash of each file written and the stamp of
//! each attachment copied, so that a rebuild rewrites the files whose bytes changed and
//! deletes those no longer part of the site.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;
use crate::core::hash;
use crate::load::FileStamp;
use crate::site::attachments::Copy;

/// What `watch` has written into the output folder: a hash of each file, and for each copied
/// attachment where it came from and that file's size and modification time.
#[derive(Debug, Default)]
pub struct Written {
    files: HashMap<String, u128>,
    copies: HashMap<String, Stamp>,
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

/// What a write did, for the rebuild line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Output paths written (created or replaced), sorted.
    pub written: Vec<String>,
    /// Output paths deleted because their source is gone, sorted.
    pub removed: Vec<String>,
    /// The whole output folder was replaced through a staging folder.
    pub full: bool,
}

impl Written {
    /// Writes the whole site through a staging folder (`write::write`: all or nothing) and
    /// records what it wrote.
    pub fn write_all(output: &Path, files: &[OutputFile], copies: &[Copy]) -> io::Result<(Written, WriteStats)> {
        super::write(output, files, copies)?;
        let written = Written {
            files: files.par_iter().map(|f| (f.path.clone(), hash::of(&f.contents[..]))).collect(),
            copies: copies.iter().map(|c| (c.to.clone(), Stamp::of(c))).collect(),
        };
        let mut paths: Vec<String> = files.iter().map(|f| f.path.clone()).chain(copies.iter().map(|c| c.to.clone())).collect();
        paths.sort();
        Ok((written, WriteStats { written: paths, removed: Vec::new(), full: true }))
    }

    /// Brings an output folder that holds what `self` records up to date with a site of the
    /// files at `paths`, of which `files` were rendered (the others are as they were written
    /// last), and `copies`: writes the files whose bytes (or attachments whose source)
    /// changed, each by writing a temporary file and renaming it over the old one, so no
    /// reader ever sees half a file, and deletes the files that are no longer part of the
    /// site. On an error the folder may hold a mix of old and new files: the caller then
    /// forgets this record and writes the next good build whole.
    pub fn update(&mut self, output: &Path, files: &[OutputFile], paths: &[String], copies: &[Copy]) -> io::Result<WriteStats> {
        let hashed: Vec<(&OutputFile, u128)> = files.par_iter().map(|f| (f, hash::of(&f.contents[..]))).collect();
        let stamped: Vec<(&Copy, Stamp)> = copies.iter().map(|c| (c, Stamp::of(c))).collect();
        let changed_files: Vec<&(&OutputFile, u128)> = hashed.iter().filter(|(f, h)| self.files.get(&f.path) != Some(h)).collect();
        let changed_copies: Vec<&(&Copy, Stamp)> = stamped.iter().filter(|(c, s)| self.copies.get(&c.to) != Some(s)).collect();
        changed_files.par_iter().try_for_each(|(f, _)| replace_file(&output.join(&f.path), |tmp| std::fs::write(tmp, &f.contents)))?;
        changed_copies.par_iter().try_for_each(|(c, _)| replace_file(&output.join(&c.to), |tmp| std::fs::copy(&c.from, tmp).map(drop)))?;

        let mut written: Vec<String> = changed_files.iter().map(|(f, _)| f.path.clone()).chain(changed_copies.iter().map(|(c, _)| c.to.clone())).collect();
        written.sort();
        let mut files: HashMap<String, u128> = hashed.iter().map(|(f, h)| (f.path.clone(), *h)).collect();
        for path in paths {
            if let (false, Some(&h)) = (files.contains_key(path), self.files.get(path)) {
                files.insert(path.clone(), h);
            }
        }
        let copies: HashMap<String, Stamp> = stamped.into_iter().map(|(c, s)| (c.to.clone(), s)).collect();
        let mut removed: Vec<String> =
            self.files.keys().chain(self.copies.keys()).filter(|p| !files.contains_key(*p) && !copies.contains_key(*p)).cloned().collect();
        removed.sort();
        removed.dedup();
        for path in &removed {
            remove_file_and_empty_folders(output, path)?;
        }
        *self = Written { files, copies };
        Ok(WriteStats { written, removed, full: false })
    }
}

/// Replaces `path` with a file that `fill` writes at a temporary name beside it.
fn replace_file(path: &Path, fill: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::other(format!("{} is not a file path", path.display())));
    };
    std::fs::create_dir_all(dir)?;
    // A hidden name: `serve` never serves it, and a crash leaves nothing that looks like a page.
    let tmp = dir.join(format!(".{}.briefing-new", name.to_string_lossy()));
    let result = fill(&tmp).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
    use std::time::SystemTime;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: text.as_bytes().to_vec() }
    }

    fn mtime(path: &Path) -> SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn only_changed_files_are_written_and_gone_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let (mut written, stats) = Written::write_all(&out, &[file("index.html", "home"), file("briefings/a/index.html", "a")], &[]).unwrap();
        assert!(stats.full);
        let before = mtime(&out.join("index.html"));
        let stats = written
            .update(&out, &[file("briefings/b/index.html", "b")], &["index.html".into(), "briefings/b/index.html".into()], &[])
            .unwrap();
        assert_eq!(stats.written, ["briefings/b/index.html"]);
        assert_eq!(stats.removed, ["briefings/a/index.html"]);
        assert_eq!(mtime(&out.join("index.html")), before, "an unchanged file is not rewritten");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "home", "a page not rendered again is kept");
        assert!(!out.join("briefings/a").exists(), "the emptied folder is removed");
        assert_eq!(std::fs::read_to_string(out.join("briefings/b/index.html")).unwrap(), "b");
        assert!(out.join(super::super::MARKER).is_file());
        let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".briefing-new"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
