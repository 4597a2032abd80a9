//! The site's cache of typeset PDFs: `.briefing-cache/pdf/<key>.pdf` with what the engine
//! reported beside it (`<key>.json`), the key a hash of everything the PDF was made from.
//! Typesetting is most of the cost of a build with handouts; a PDF whose key is here is
//! reused, so an unchanged briefing is never typeset again, even into an empty output folder.
//! Entries are written whole (a temporary file renamed into place), so a build killed
//! part-way or two builds at once never leave half an entry; an entry that cannot be read is
//! simply made again.
//!
//! A build links each entry's PDF into its new output folder (see `write::Folder`), so the
//! output and the cache share the file. Nothing of briefing's ever changes a file in place,
//! but another program might change one under `output/`: each entry records the hash of its
//! PDF, and an entry whose PDF no longer has it is made again, never published.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::core::diagnostics::Diagnostic;
use crate::core::files::open_no_follow;

/// The folder of the cache in a site; version control should ignore it.
pub const CACHE_DIR: &str = ".briefing-cache";

/// The cache's folder in `CACHE_DIR`. Entries of another layout are never read, and a build
/// deletes their folder: raise this when what an entry holds changes.
const LAYOUT: &str = "pdf-v3";

/// A typeset PDF and the facts a build reports about it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cached {
    #[serde(skip)]
    pub pdf: Vec<u8>,
    /// The cache's file of `pdf`, once it is in the cache.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// The hash of `pdf` when it was kept.
    #[serde(default)]
    pub pdf_hash: u64,
    pub pages: usize,
    pub left_out: Vec<String>,
    pub notes: Vec<String>,
    /// Characters no font of the PDF has, printed as empty boxes.
    pub unprintable: Vec<char>,
}

/// The PDF cache of one site.
pub struct PdfCache {
    dir: PathBuf,
    /// The keys used by this build, so that `prune` keeps them.
    used: Mutex<HashSet<u128>>,
}

impl PdfCache {
    /// The cache of the site at `root`.
    pub fn new(root: &Path) -> PdfCache {
        PdfCache { dir: root.join(CACHE_DIR).join(LAYOUT), used: Mutex::new(HashSet::new()) }
    }

    /// The cache of the site at `root`, refused when its folder (or the one inside it) is a
    /// symbolic link: a build prunes the cache, so through a link to another folder it would
    /// delete that folder's files.
    pub fn open(root: &Path) -> Result<PdfCache, Diagnostic> {
        for rel in [PathBuf::from(CACHE_DIR), Path::new(CACHE_DIR).join(LAYOUT)] {
            if std::fs::symlink_metadata(root.join(&rel)).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Diagnostic::error("symlink-refused", format!("{} is a symbolic link; briefing never writes through one, so the cache of handouts was not used", rel.display()))
                    .in_file(&rel)
                    .help("delete the link: the cache is made again by the next build (or build with --no-cache)"));
            }
        }
        Ok(PdfCache::new(root))
    }

    /// The entry for `key`, if there is a whole one whose PDF is as it was kept.
    pub fn get(&self, key: u128) -> Option<Cached> {
        self.used.lock().expect("no thread panics holding it").insert(key);
        let (pdf, facts) = self.paths(key);
        let mut cached: Cached = serde_json::from_slice(&read_entry(&facts)?).ok()?;
        cached.pdf = read_entry(&pdf)?;
        if xxh3_64(&cached.pdf) != cached.pdf_hash {
            return None;
        }
        cached.file = Some(pdf);
        Some(cached)
    }

    /// Keeps `cached` under `key`, and notes its file there. A cache that cannot be written
    /// only makes later builds slower, so failures are ignored.
    pub fn put(&self, key: u128, cached: &mut Cached) {
        self.used.lock().expect("no thread panics holding it").insert(key);
        let (pdf, facts) = self.paths(key);
        let write = |path: &Path, bytes: &[u8]| -> std::io::Result<()> {
            let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
            std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)).inspect_err(|_| drop(std::fs::remove_file(&tmp)))
        };
        cached.pdf_hash = xxh3_64(&cached.pdf);
        let facts_json = serde_json::to_vec(cached).expect("facts serialise");
        // The PDF first: an entry is whole once its facts are there.
        let kept = std::fs::create_dir_all(&self.dir).and_then(|()| write(&pdf, &cached.pdf)).and_then(|()| write(&facts, &facts_json));
        cached.file = kept.is_ok().then_some(pdf);
    }

    /// Removes the entries this build did not use, and temporary files left by a write that
    /// failed (a full disk) or a build that was killed: its own, and any other build's once
    /// it is older than a build takes.
    pub fn prune(&self) {
        self.prune_old_layouts();
        let used = self.used.lock().expect("no thread panics holding it");
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let own = format!(".tmp-{}", std::process::id());
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = name.split('.').next().and_then(|hex| u128::from_str_radix(hex, 16).ok());
            let stale = name.ends_with(&own) || (name.contains(".tmp-") && age(&entry) > STALE_AFTER);
            if stale || key.is_none_or(|key| !used.contains(&key)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Removes the folders of earlier layouts (`pdf-v2` ...), which no build reads again. Only
    /// the link itself goes when one is a symbolic link.
    fn prune_old_layouts(&self) {
        let Some(Ok(entries)) = self.dir.parent().map(std::fs::read_dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("pdf-v") && name != LAYOUT {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    fn paths(&self, key: u128) -> (PathBuf, PathBuf) {
        (self.dir.join(format!("{key:032x}.pdf")), self.dir.join(format!("{key:032x}.json")))
    }
}

/// Another build's temporary file older than this was left by a write that failed or a build
/// that was killed: no build takes this long to write one file.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// How long ago the file of `entry` was last written (nothing, when that cannot be read).
fn age(entry: &std::fs::DirEntry) -> std::time::Duration {
    entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).unwrap_or_default()
}

/// A file of an entry; never through a symbolic link, since the PDF may be published (and
/// linked into the output) as it is.
fn read_entry(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    open_no_follow(path).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_read_back_whole_and_pruned_when_unused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(dir.path());
        let mut entry = Cached { pdf: b"%PDF-1.7 test".to_vec(), pages: 1, left_out: vec!["Background".into()], ..Cached::default() };
        assert!(cache.get(7).is_none());
        cache.put(7, &mut entry);
        assert_eq!(entry.file.as_deref(), Some(cache.paths(7).0.as_path()));
        let back = cache.get(7).unwrap();
        assert_eq!((back.pdf, back.pages, back.left_out), (entry.pdf.clone(), 1, entry.left_out.clone()));
        std::fs::remove_file(cache.paths(7).1).unwrap();
        assert!(cache.get(7).is_none(), "a PDF without its facts is not an entry");
        cache.put(8, &mut entry);
        let later = PdfCache::new(dir.path());
        later.put(9, &mut entry);
        let old = dir.path().join(CACHE_DIR).join("pdf-v2");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("0.pdf"), b"an entry of the last version").unwrap();
        std::fs::write(dir.path().join(CACHE_DIR).join("notes.txt"), b"not the cache's").unwrap();
        later.prune();
        assert!(later.get(9).is_some() && later.get(8).is_none(), "only what the build used is kept");
        assert!(!old.exists(), "an earlier layout's folder is deleted");
        assert!(dir.path().join(CACHE_DIR).join("notes.txt").exists());
    }

    /// On a full disk every write left its temporary file behind, and `prune` kept those of
    /// the entries the build used, for good.
    #[test]
    fn temporary_files_left_behind_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(dir.path());
        let mut entry = Cached { pdf: b"%PDF-1.7 test".to_vec(), pages: 1, ..Cached::default() };
        cache.put(7, &mut entry);
        let (pdf, _) = cache.paths(7);
        let left = |pid: &str| pdf.with_extension(format!("tmp-{pid}"));
        std::fs::write(left(&std::process::id().to_string()), b"%PDF-1.7 te").unwrap();
        std::fs::write(left("1"), b"another build's, just now").unwrap();
        std::fs::write(left("2"), b"another build's, long ago").unwrap();
        let long_ago = std::time::SystemTime::now() - STALE_AFTER * 2;
        std::fs::File::options().write(true).open(left("2")).unwrap().set_modified(long_ago).unwrap();
        cache.prune();
        let mut names: Vec<String> = std::fs::read_dir(&cache.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let key = format!("{:032x}", 7);
        assert_eq!(names, [format!("{key}.json"), format!("{key}.pdf"), format!("{key}.tmp-1")]);
    }

    /// A cache folder linked to another folder made the build write its PDFs there and prune
    /// (delete) every other file in it.
    #[cfg(unix)]
    #[test]
    fn a_cache_folder_that_is_a_symbolic_link_is_refused() {
        for linked in [CACHE_DIR.to_string(), format!("{CACHE_DIR}/{LAYOUT}")] {
            let dir = tempfile::tempdir().unwrap();
            let elsewhere = tempfile::tempdir().unwrap();
            if linked != CACHE_DIR {
                std::fs::create_dir_all(dir.path().join(CACHE_DIR)).unwrap();
            }
            std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(&linked)).unwrap();
            let refused = PdfCache::open(dir.path()).err().unwrap_or_else(|| panic!("{linked} was used"));
            assert_eq!(refused.code, "symlink-refused");
            assert!(refused.message.starts_with(&format!("{linked} is a symbolic link")), "{}", refused.message);
        }
        assert!(PdfCache::open(tempfile::tempdir().unwrap().path()).is_ok(), "no cache folder yet");
    }

    /// An entry's PDF is published as it is, and linked into the output: one that is a
    /// symbolic link (to whatever file, with facts that match it) is not an entry.
    #[cfg(unix)]
    #[test]
    fn an_entry_through_a_symbolic_link_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PdfCache::new(dir.path());
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, b"not for publishing").unwrap();
        let mut entry = Cached { pdf: b"not for publishing".to_vec(), pages: 1, ..Cached::default() };
        cache.put(7, &mut entry);
        assert!(cache.get(7).is_some());
        let (pdf, _) = cache.paths(7);
        std::fs::remove_file(&pdf).unwrap();
        std::os::unix::fs::symlink(&secret, &pdf).unwrap();
        assert!(cache.get(7).is_none(), "the link was followed");
    }
}
