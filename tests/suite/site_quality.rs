//! Quality gates for the example site as a reader gets it: valid HTML (the W3C Nu checker),
//! and WCAG 2.2 AA accessibility, reflow and no third-party requests in a real browser
//! (tests/browser/a11y.cjs: axe-core in Chromium, light and dark colour schemes).
//!
//! The tools come from outside cargo: Java, Node with `npm ci --prefix tests`, Chromium.
//! Without them these tests print SKIPPED and pass, unless BRIEFING_REQUIRE_BROWSER=1 (CI),
//! which turns a missing tool into a failure. See tests/common/browser.rs.


use crate::common::browser::{find_chromium, find_java, find_node, node_tools_dir, skip_or_fail, vnu_jar};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Builds the example site (the repository's own briefings/ and themes/) once per test
/// process with the real binary, and returns the output folder or the build's error.
///
/// The output goes under cargo's per-target temporary folder rather than /tmp: it outlives
/// the test process, so a failing page can be opened and inspected, and nothing leaks into
/// /tmp (a static TempDir is never dropped). The folder is ours and is cleared before each
/// build, so `--output` never points at something that is not a previous output.
fn built_site() -> &'static Result<PathBuf, String> {
    static SITE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site_quality");
        if work.exists() {
            std::fs::remove_dir_all(&work)
                .map_err(|e| format!("clearing {}: {e}", work.display()))?;
        }
        std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
        let out = work.join("out");
        let root = crate::common::repo_root();
        let result = crate::common::run(
            &work,
            &[
                "build",
                "--root",
                root.to_str().expect("the repository path is UTF-8"),
                "--output",
                out.to_str().expect("the target path is UTF-8"),
            ],
        );
        if !result.status.success() {
            return Err(format!(
                "`briefing build --root {} --output {}` failed with {}\nstdout:\n{}\nstderr:\n{}",
                root.display(),
                out.display(),
                result.status,
                crate::common::stdout(&result),
                crate::common::stderr(&result)
            ));
        }
        if !out.join("index.html").is_file() {
            return Err(format!("the build succeeded but wrote no {}/index.html", out.display()));
        }
        Ok(out)
    })
}

fn site_or_panic() -> &'static Path {
    match built_site() {
        Ok(out) => out,
        Err(e) => panic!("{e}"),
    }
}

/// Makes absolute paths under `out` relative in a tool's messages, so failures read as
/// `briefings/child-3/index.html` rather than a long temporary path.
fn relative_to(text: &str, out: &Path) -> String {
    let dir = out.display().to_string();
    text.replace(&format!("file:{dir}/"), "")
        .replace(&format!("{dir}/"), "")
}

/// The example site's `base_url` from site.toml, if any. A plain line scan rather than a TOML
/// parser: the test needs one string and should not depend on the generator's config types.
fn example_base_url() -> Option<String> {
    let text = std::fs::read_to_string(crate::common::repo_root().join("site.toml")).ok()?;
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "base_url").then(|| value.trim().trim_matches(['"', '\'']).to_string())
    })
}

#[test]
fn example_site_is_valid_html() {
    let what = "example_site_is_valid_html";
    let Some(java) = find_java() else {
        return skip_or_fail(what, "no `java` (install default-jre-headless)");
    };
    let Some(jar) = vnu_jar() else {
        return skip_or_fail(what, "tests/node_modules lacks vnu-jar (run `npm ci --prefix tests`)");
    };
    let out = site_or_panic();
    // One JVM for the whole folder: about 2 s of start-up, then fast.
    let result = Command::new(java)
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .expect("java runs");
    assert!(
        result.status.success(),
        "the Nu HTML checker found errors in the example site (built in {}):\n{}{}",
        out.display(),
        relative_to(&crate::common::stderr(&result), out),
        relative_to(&crate::common::stdout(&result), out),
    );
}

#[test]
fn example_site_passes_axe_and_reflow() {
    let what = "example_site_passes_axe_and_reflow";
    let Some(node) = find_node() else {
        return skip_or_fail(what, "no `node` on PATH");
    };
    if node_tools_dir().is_none() {
        return skip_or_fail(
            what,
            "tests/node_modules lacks axe-core or playwright-core (run `npm ci --prefix tests`)",
        );
    }
    let Some(browser) = find_chromium() else {
        return skip_or_fail(what, "no Chromium or Chrome (install chromium or set BRIEFING_BROWSER)");
    };
    let out = site_or_panic();
    let script = crate::common::repo_root().join("tests/browser/a11y.cjs");
    // The script is told which browser to use, so it and find_chromium() always agree, and the
    // site's own address, which 404.html may use (it is served at any depth).
    let mut command = Command::new(node);
    command.arg(&script);
    if let Some(base_url) = example_base_url().filter(|u| !u.is_empty()) {
        command.arg("--base-url").arg(base_url);
    }
    let result = command
        .arg(out)
        .env("BRIEFING_BROWSER", &browser)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    let report = format!("{}{}", crate::common::stdout(&result), crate::common::stderr(&result));
    match result.status.code() {
        Some(0) => {}
        // 2: the script could not set up (the browser would not start, a module is missing):
        // a machine problem rather than a site problem.
        Some(2) => skip_or_fail(what, &format!("a11y.cjs could not set up:\n{report}")),
        _ => panic!(
            "accessibility problems in the example site (built in {}), one a line \
             (page: rule: description (nodes)):\n{report}",
            out.display()
        ),
    }
}
