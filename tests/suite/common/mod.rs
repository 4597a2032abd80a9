//! Helpers shared by the integration tests: running the real binary on fixture sites.

pub mod browser;
pub mod child;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml, briefings/ and themes/ live).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `briefing` binary that cargo built for this test run.
pub fn briefing_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_briefing"))
}

/// Runs `briefing` with `args` in `cwd` and returns its output.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(briefing_bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the briefing binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A throwaway site folder: write files into it with `write`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        Site { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel` inside the site, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel))
            .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// The bytes of the file at `rel`.
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.dir.path().join(rel).exists()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), args)
    }
}

/// A minimal valid briefing source with the given front-matter lines and body.
pub fn briefing(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

/// Every file under `dir` (hidden ones too, so the marker is compared) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// The names in the folder `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The file that builds into `output` lock while they write it: `.<name>.briefing-lock`
/// beside it.
/// The folder of the PDF cache's entries in the site at `root` (`.briefing-cache/pdf-v3`:
/// its name changes with what an entry holds), once a build has made it.
pub fn pdf_cache_folder(root: &Path) -> PathBuf {
    let cache = root.join(".briefing-cache");
    let folders: Vec<PathBuf> = std::fs::read_dir(&cache).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert_eq!(folders.len(), 1, "one layout's folder in {}: {folders:?}", cache.display());
    folders[0].clone()
}

pub fn lock_path(output: &Path) -> PathBuf {
    let name = output.file_name().unwrap().to_string_lossy();
    output.with_file_name(format!(".{name}.briefing-lock"))
}

/// Are the tests running as root (who may delete and write anything)?
#[cfg(unix)]
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
