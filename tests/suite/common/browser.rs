//! Finding and driving the outside tools that the browser-based tests need: a Chromium or
//! Chrome, Java (for the Nu HTML checker), Node with the npm packages in tests/node_modules,
//! and poppler's `pdfinfo`.
//!
//! None of these is a Rust dependency, so a developer without them must still be able to run
//! `cargo test`: the tests that need them are skipped with a visible `SKIPPED` line. CI sets
//! `BRIEFING_REQUIRE_BROWSER=1` (see `.ci/run`), and then a missing tool fails the test instead,
//! so a broken CI machine cannot pass by skipping everything.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Names of Chromium-family browsers, in order of preference, looked up on PATH.
const BROWSER_NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
];

/// `name` on PATH as an executable file, or `name` itself when it is a path to one.
pub fn which(name: impl AsRef<OsStr>) -> Option<PathBuf> {
    let name = Path::new(name.as_ref());
    if name.components().count() > 1 {
        return is_executable(name).then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// The Chromium or Chrome to test with: `$BRIEFING_BROWSER` (a path or a name on PATH) when
/// set, else the first of chromium, chromium-browser, google-chrome, microsoft-edge on PATH,
/// else Debian's /usr/bin/chromium (for a PATH without /usr/bin). None when there is none: the
/// caller skips or fails with [`skip_or_fail`]. A BRIEFING_BROWSER that names nothing gives
/// None too, rather than silently testing another browser than the one asked for.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("BRIEFING_BROWSER").filter(|v| !v.is_empty()) {
        return which(chosen);
    }
    BROWSER_NAMES
        .iter()
        .find_map(which)
        .or_else(|| which("/usr/bin/chromium"))
}

/// Java for the Nu HTML checker: `$JAVA_HOME/bin/java`, else `java` on PATH.
pub fn find_java() -> Option<PathBuf> {
    std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin").join("java"))
        .filter(|java| is_executable(java))
        .or_else(|| which("java"))
}

/// Node, to run the scripts in tests/browser/.
pub fn find_node() -> Option<PathBuf> {
    which("node").or_else(|| which("nodejs"))
}

/// True when the browser tests must run (`BRIEFING_REQUIRE_BROWSER=1`, as CI sets it): a
/// missing tool is then a failure, not a skip.
pub fn browser_required() -> bool {
    matches!(
        std::env::var("BRIEFING_REQUIRE_BROWSER").as_deref().map(str::trim),
        Ok("1" | "true" | "yes")
    )
}

/// tests/node_modules when `npm ci --prefix tests` has installed all three packages the
/// browser tests use (vnu-jar, axe-core, playwright-core); None otherwise. Checks the files
/// that are actually used, so a half-finished install counts as missing.
pub fn node_tools_dir() -> Option<PathBuf> {
    let dir = super::repo_root().join("tests").join("node_modules");
    let needed = [
        "vnu-jar/build/dist/vnu.jar",
        "axe-core/axe.min.js",
        "playwright-core/package.json",
    ];
    needed.iter().all(|f| dir.join(f).is_file()).then_some(dir)
}

/// The Nu HTML checker's jar inside tests/node_modules, when installed.
pub fn vnu_jar() -> Option<PathBuf> {
    node_tools_dir().map(|d| d.join("vnu-jar/build/dist/vnu.jar"))
}

/// Call when a test cannot run because `what` needs a tool that is missing (`why`).
///
/// Not required (a developer machine): prints `SKIPPED <what>: <why> (...)` and returns, and
/// the caller returns too. The line goes straight to the process's stderr, not through
/// `eprintln!`, because the test harness captures `eprintln!` of passing tests and a skip
/// must be visible. Required (CI, `BRIEFING_REQUIRE_BROWSER=1`): panics with the reason.
pub fn skip_or_fail(what: &str, why: &str) {
    if browser_required() {
        panic!(
            "{what} cannot run: {why}. BRIEFING_REQUIRE_BROWSER=1 is set, so this is a failure: \
             install the tool (see .ci/run: chromium, poppler-utils, a JRE, `npm ci --prefix tests`) \
             or unset BRIEFING_REQUIRE_BROWSER to skip"
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {what}: {why} (set BRIEFING_REQUIRE_BROWSER=1 to make this fail)"
    );
}

/// The number of pages in `pdf`, from poppler's `pdfinfo` (`Pages: N`). None when pdfinfo is
/// missing or cannot read the file; callers treat a missing pdfinfo like a missing browser.
pub fn pdf_pages(pdf: &Path) -> Option<u32> {
    let out = Command::new(which("pdfinfo")?)
        .arg(pdf)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}
