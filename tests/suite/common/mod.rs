//! Helpers shared by the integration tests: running the real binary on fixture sites.

pub mod browser;
pub mod child;

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
