//! Printing one-pagers to PDF with an installed Chromium, Chrome or Edge, run headless
//! (`--print-to-pdf`): for `briefing build --pdf`, and for `briefing check --print`, which
//! measures whether each one-pager really fits its sheet.
//!
//! The browser is the one named by `--browser`, else by `BRIEFING_BROWSER`, else the first of
//! the usual names found on PATH. Each run gets a fresh profile folder and no header or footer
//! (which Chromium otherwise prints: date, title, address, page numbers). Success is judged by
//! the exit code and the PDF written, never by the browser's stderr, which is noisy even when
//! all is well.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::core::diagnostics::Diagnostic;

/// The environment variable that names the browser when `--browser` does not.
pub const BROWSER_ENV: &str = "BRIEFING_BROWSER";

/// Chromium-family browsers, in order of preference, looked up on PATH.
const BROWSER_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"];

/// Flags for every run: headless, no sandbox (CI and containers run as root, where Chromium's
/// sandbox refuses to start), no GPU, and no background traffic (updates, sync), so that
/// printing needs no network.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
];

/// How long one page may take to print before the browser is stopped.
const TIMEOUT: Duration = Duration::from_secs(90);

/// How many browsers print at once: each is a few processes and a few hundred megabytes.
pub const PARALLEL: usize = 2;

/// The browser to print with, or an error that says how to install or name one.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    let (named, how) = match explicit {
        Some(path) => (Some(path.as_os_str().to_os_string()), "--browser".to_string()),
        None => (std::env::var_os(BROWSER_ENV).filter(|v| !v.is_empty()), BROWSER_ENV.to_string()),
    };
    if let Some(name) = named {
        return which(Path::new(&name)).ok_or_else(|| {
            Diagnostic::error("no-browser", format!("{how} names {}, which is not a program that can be run", Path::new(&name).display()))
                .help(format!("give the full path of Chromium, Chrome or Edge to {how} (for example /usr/bin/chromium), or leave {how} out to look for one on PATH"))
        });
    }
    BROWSER_NAMES.iter().find_map(|name| which(Path::new(name))).ok_or_else(|| {
        Diagnostic::error("no-browser", "printing PDFs needs Chromium, Chrome or Edge, and none was found on PATH")
            .help(format!(
                "install one (on Debian or Ubuntu: sudo apt-get install chromium), or give the path of one with --browser PATH or the {BROWSER_ENV} environment variable"
            ))
    })
}

/// `name` as an executable file: itself when it is a path, else found on PATH.
fn which(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 {
        return is_executable(name).then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// A page to print, and where its PDF goes.
#[derive(Debug, Clone)]
pub struct Job {
    /// The page to print.
    pub html: PathBuf,
    /// Where to write its PDF.
    pub pdf: PathBuf,
}

/// A printed PDF's bytes, or why printing failed.
pub type Printed = Result<Vec<u8>, String>;

/// Prints every job with `browser`, `PARALLEL` at a time. Returns, in the order of `jobs`,
/// each PDF's bytes or why it failed.
pub fn print_all(browser: &Path, jobs: &[Job]) -> Vec<Printed> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Printed>>> = Mutex::new(vec![None; jobs.len()]);
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(jobs.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let result = print_one(browser, &job.html, &job.pdf);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not printed".into())))
        .collect()
}

/// Prints `html` to `pdf` and returns the PDF's bytes.
pub fn print_one(browser: &Path, html: &Path, pdf: &Path) -> Printed {
    let profile = tempfile::Builder::new()
        .prefix("briefing-browser-")
        .tempdir()
        .map_err(|e| format!("could not make a profile folder for the browser: {e}"))?;
    let html = std::path::absolute(html).map_err(|e| e.to_string())?;
    let pdf = std::path::absolute(pdf).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&pdf);
    let mut child = Command::new(browser)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&html))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", browser.display()))?;
    // Read stderr on a thread, so that a chatty browser cannot fill the pipe and stall.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{} did not finish printing within {} s", browser.display(), TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(format!("lost track of {}: {e}", browser.display())),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    let last_lines = || stderr.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    if !status.success() {
        return Err(format!("{} failed ({status}); it said:\n{}", browser.display(), last_lines()));
    }
    match std::fs::read(&pdf) {
        Ok(bytes) if bytes.starts_with(b"%PDF-") => Ok(bytes),
        _ => Err(format!("{} wrote no PDF; it said:\n{}", browser.display(), last_lines())),
    }
}

/// A `file://` URL for an absolute path, percent-encoding all but unreserved characters.
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    let text = path.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        url.push('/');
    }
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`, the page tree).
pub fn page_count(pdf: &[u8]) -> usize {
    let mut count = 0;
    for (i, _) in find_all(pdf, b"/Type") {
        let rest = skip_space(&pdf[i + 5..]);
        if rest.starts_with(b"/Page") && !rest[5..].first().is_some_and(|c| c.is_ascii_alphanumeric()) {
            count += 1;
        }
    }
    count
}

/// The rectangle `[x1 y1 x2 y2]` (points, from the bottom left of its page) of the first link
/// annotation in `pdf` whose address starts with `uri`. Chromium writes annotations
/// uncompressed, which is what makes this simple.
pub fn link_rect(pdf: &[u8], uri: &str) -> Option<[f64; 4]> {
    let needle = format!("/URI ({uri}");
    let at = find_all(pdf, needle.as_bytes()).next()?.0;
    // The annotation's object starts at the last "obj" before its address.
    let object = pdf[..at].windows(3).rposition(|w| w == b"obj")?;
    let rect_at = object + pdf[object..at].windows(5).rposition(|w| w == b"/Rect")?;
    let rest = &pdf[rect_at + 5..at];
    let open = rest.iter().position(|&c| c == b'[')?;
    let close = rest.iter().position(|&c| c == b']')?;
    let numbers: Vec<f64> =
        std::str::from_utf8(&rest[open + 1..close]).ok()?.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    numbers.try_into().ok()
}

/// The height of the first page's media box, in points.
pub fn page_height(pdf: &[u8]) -> Option<f64> {
    let at = find_all(pdf, b"/MediaBox").next()?.0;
    let rest = &pdf[at + 9..];
    let open = rest.iter().position(|&c| c == b'[')?;
    let close = rest.iter().position(|&c| c == b']')?;
    let numbers: Vec<f64> =
        std::str::from_utf8(&rest[open + 1..close]).ok()?.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    Some(numbers.get(3)? - numbers.get(1)?)
}

fn find_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = (usize, ())> + 'a {
    haystack.windows(needle.len()).enumerate().filter(move |(_, w)| *w == needle).map(|(i, _)| (i, ()))
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>>\nendobj\n2 0 obj\n<</Type /Page\n/MediaBox [0 0 594.96 841.92]>>\nendobj\n3 0 obj\n<</Type/Page>>\nendobj\n4 0 obj\n<</Type /Annot\n/Subtype /Link\n/Rect [54 395.5 60 406.9]\n/A <</Type /Action\n/S /URI\n/URI (https://measure.invalid/end)>>>>\nendobj\n";

    #[test]
    fn counts_pages_not_the_page_tree() {
        assert_eq!(page_count(PDF), 2);
    }

    #[test]
    fn finds_a_link_and_the_page_height() {
        assert_eq!(link_rect(PDF, "https://measure.invalid/"), Some([54.0, 395.5, 60.0, 406.9]));
        assert_eq!(link_rect(PDF, "https://elsewhere/"), None);
        assert_eq!(page_height(PDF), Some(841.92));
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/c#d.html")), "file:///tmp/a%20b/c%23d.html");
    }

    #[test]
    fn a_named_browser_that_does_not_exist_is_an_error_that_says_so() {
        let err = find_browser(Some(Path::new("/nowhere/chromium"))).unwrap_err();
        assert_eq!(err.code, "no-browser");
        assert!(err.message.contains("/nowhere/chromium"), "{}", err.message);
    }
}
