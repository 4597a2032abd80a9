//! Filling a new folder with the site's files from many threads at once, making each folder
//! on the way once: a `create_dir_all` for every file costs a `stat` for each level of its
//! path and a failed `mkdir`, which on a disk (not a memory file system) is most of the
//! kernel time of a build.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::OutputFile;
use crate::site::attachments::Copy;

/// A folder being filled (a build's staging folder). Safe to share between threads.
pub struct Folder {
    dir: PathBuf,
    /// The folders inside `dir` made so far, relative to it.
    made: Mutex<HashSet<PathBuf>>,
}

impl Folder {
    /// `dir` must exist and is taken to be empty.
    pub fn new(dir: &Path) -> Folder {
        Folder { dir: dir.to_path_buf(), made: Mutex::new(HashSet::new()) }
    }

    /// Writes `file` in one write call, making the folders on its path first.
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        self.make_parent(Path::new(&file.path))?;
        std::fs::write(self.dir.join(&file.path), &file.contents)
    }

    /// Copies each attachment into place.
    pub fn copy_all(&self, copies: &[Copy]) -> io::Result<()> {
        copies.par_iter().try_for_each(|c| {
            self.make_parent(Path::new(&c.to))?;
            super::copy_file(c, &self.dir.join(&c.to))
        })
    }

    fn make_parent(&self, rel: &Path) -> io::Result<()> {
        match rel.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => self.make(parent),
            _ => Ok(()),
        }
    }

    /// Makes the folder `rel` and those above it, each only the first time it is asked for.
    fn make(&self, rel: &Path) -> io::Result<()> {
        if self.made.lock().expect("no thread panics holding it").contains(rel) {
            return Ok(());
        }
        self.make_parent(rel)?;
        match std::fs::create_dir(self.dir.join(rel)) {
            // Another thread made it between the look-up and here.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            other => other?,
        }
        self.made.lock().expect("no thread panics holding it").insert(rel.to_path_buf());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_land_in_nested_folders_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let files: Vec<OutputFile> = (0..200)
            .map(|i| OutputFile { path: format!("a/b{}/c/page{i}.html", i % 7), contents: format!("{i}").into_bytes() })
            .collect();
        files.par_iter().try_for_each(|f| folder.write(f)).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("a/b3/c/page10.html")).unwrap(), "10");
        // a, 7 of a/bN and 7 of a/bN/c.
        assert_eq!(folder.made.lock().unwrap().len(), 15);
    }

    #[test]
    fn a_file_where_a_folder_belongs_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "a file").unwrap();
        let folder = Folder::new(dir.path());
        let page = OutputFile { path: "a/index.html".into(), contents: b"x".to_vec() };
        assert!(folder.write(&page).is_err());
    }
}
