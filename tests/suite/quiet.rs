//! Quiet commands (issue 19): `serve` starts with a few lines and the address last; `check`
//! shows errors first, then warnings, then one line a kind of note, and its summary last,
//! while `--format json` still lists everything. Measured on the example site.

use std::path::Path;
use std::time::Duration;

use super::check::{good_body, good_front, json, run, run_in, site};
use crate::common::child::Running;
use crate::common::{briefing, repo_root, stderr, stdout, Site};

/// A copy of the example site (its sources only), to serve without touching the repository.
fn example_site() -> Site {
    let site = Site::new();
    let root = repo_root();
    for entry in ["site.toml", "briefings", "themes", "packs", "images"] {
        copy(&root.join(entry), &site.path().join(entry));
    }
    site
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in walkdir::WalkDir::new(from).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), target).unwrap();
        }
    } else if from.is_file() {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn serve_starts_with_a_summary_line_and_the_address_last() {
    let site = example_site();
    let server = Running::start(site.path(), &["serve", "--root", ".", "--port", "0", "--no-pdf"]);
    let (at, address) = server.wait_for_line(0, Duration::from_secs(240), "with the address", |l| l.starts_with("Serving the site at "));
    let lines = server.lines();
    assert!(at <= 3, "{at} lines before the address:\n{}", server.transcript());
    assert!(lines[..at].iter().any(|l| l.starts_with("Built ")) && lines[at - 1].starts_with("Watching"), "the address comes last:\n{}", server.transcript());
    let built = lines.iter().find(|l| l.starts_with("Built ")).unwrap_or_else(|| panic!("{}", server.transcript()));
    assert!(built.contains("warning") && built.contains("notes (`briefing check` lists them)"), "{built}");
    assert!(address.starts_with("Serving the site at http://127.0.0.1:"), "{address}");
    // The notes and warnings are counted, not listed.
    assert!(!server.stderr().contains("note["), "{}", server.stderr());
    assert!(!server.stderr().contains("warning["), "{}", server.stderr());
}

#[test]
fn check_on_the_example_site_is_short_and_groups_notes_by_kind() {
    let out = run_in(&repo_root(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stderr(&out);
    assert!(shown.lines().count() <= 60, "{} lines:\n{shown}", shown.lines().count());
    let note_lines: Vec<&str> = shown.lines().filter(|l| l.starts_with("note[")).collect();
    assert!(note_lines.iter().any(|l| l.starts_with("note[long-sentence]: a sentence of over 30 words (") && l.ends_with(" found)")), "{shown}");
    let mut codes: Vec<&str> = note_lines.iter().map(|l| l.split(']').next().unwrap()).collect();
    let kinds = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), kinds, "one line a kind of note: {shown}");
    assert!(shown.contains("`briefing check --verbose` lists each note"), "{shown}");
    let summary = stdout(&out);
    assert!(summary.trim_end().lines().last().unwrap().starts_with("Checked 9 briefings"), "{summary}");

    let verbose = stderr(&run_in(&repo_root(), &["check", "--verbose"]));
    let long = verbose.lines().filter(|l| l.starts_with("note[long-sentence]")).count();
    assert!(long > 1, "--verbose lists every note: {verbose}");
    // JSON lists every one, as before.
    let (diagnostics, summary, _) = json_of(&repo_root());
    let notes = diagnostics.iter().filter(|d| d["severity"] == "note").count();
    assert_eq!(Some(notes as u64), summary["notes"].as_u64());
    assert_eq!(diagnostics.iter().filter(|d| d["code"] == "long-sentence").count(), long);
}

fn json_of(dir: &Path) -> (Vec<serde_json::Value>, serde_json::Value, std::process::Output) {
    let out = run_in(dir, &["check", "--format", "json"]);
    let mut lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary = lines.pop().unwrap();
    (lines, summary, out)
}

#[test]
fn check_shows_errors_then_warnings_then_notes_then_the_summary() {
    let long = "This sentence keeps going with one more clause and then another clause and yet another clause so that it runs on for well over thirty words in the very end of it all.";
    let body = good_body().replacen("A short sentence about this.", &format!("{long} See [the plan](missing-one.md) and [the policy](#)."), 1);
    let site = site(&[("child-a", briefing(good_front(), &body))]);
    let out = run(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = stderr(&out);
    let first = |prefix: &str| shown.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {shown}"));
    assert!(first("error[broken-link]") < first("warning[placeholder-link]"), "{shown}");
    assert!(first("warning[placeholder-link]") < first("note[long-sentence]"), "{shown}");
    assert!(stdout(&out).is_empty(), "a failed check's summary is on stderr, last: {}", stdout(&out));
    assert!(shown.trim_end().lines().last().unwrap().starts_with("Check failed: 1 error, 1 warning, 1 note"), "{shown}");
    assert_eq!(json(&site, &[]).0.len(), 3);
}
