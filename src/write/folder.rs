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

    /// Writes `file` in one write call, making the folders on its path first; or links the
    /// file it is the same as, when it has one and the file system allows: a warm build's
    /// PDFs then cost the folder a name each, not a new file on the disk.
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        self.make_parent(Path::new(&file.path))?;
        let to = self.dir.join(&file.path);
        if file.same_as.as_ref().is_some_and(|from| std::fs::hard_link(from, &to).is_ok()) {
            return Ok(());
        }
        std::fs::write(to, &file.contents)
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
    fn a_file_the_same_as_another_is_linked_or_else_written() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.pdf");
        std::fs::write(&kept, b"%PDF kept").unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let folder = Folder::new(&dir.path().join("out"));
        let linked = OutputFile { same_as: Some(kept.clone()), ..OutputFile::new("a/one.pdf", b"%PDF kept".to_vec()) };
        let gone = OutputFile { same_as: Some(dir.path().join("gone.pdf")), ..OutputFile::new("a/two.pdf", b"%PDF two".to_vec()) };
        folder.write(&linked).unwrap();
        folder.write(&gone).unwrap();
        assert_eq!(std::fs::read(dir.path().join("out/a/two.pdf")).unwrap(), b"%PDF two", "written when there is nothing to link");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
            assert_eq!(ino(&dir.path().join("out/a/one.pdf")), ino(&kept), "linked, not copied");
        }
    }

    #[test]
    fn files_land_in_nested_folders_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let files: Vec<OutputFile> = (0..200)
            .map(|i| OutputFile::new(format!("a/b{}/c/page{i}.html", i % 7), format!("{i}").into_bytes()))
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
        let page = OutputFile::new("a/index.html", b"x".to_vec());
        assert!(folder.write(&page).is_err());
    }
}
