//! Builds that meet (issue 16, items 1, 2 and 7): two `briefing build`s into one output
//! folder, a build while `watch` runs, a build that another holds the lock against, and the
//! folders left beside the output, by a killed build or by the user. Waits are bounded polls;
//! the random delays between two builds are printed with their seed when a round fails.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::common::child::{poll, Running};
use crate::common::{lock_path, names_in, snapshot, Site};

/// A fresh debug-build process on a busy machine.
const STARTS: Duration = Duration::from_secs(60);
/// How long a change may take to show up in `watch`.
const SHOWS_UP: Duration = Duration::from_secs(10);
/// Long enough to be sure that a process waiting for the lock did not go on.
const QUIET: Duration = Duration::from_millis(1500);

fn briefing(title: &str, extra: &str) -> String {
    crate::common::briefing(
        &format!("title = \"{title}\"\nformat = \"practitioner\"\npublished = 2024-05-01\nsummary = \"About {title}.\"\nthemes = [\"neglect\"]{extra}"),
        &format!("Introduction to {title}.\n\n## Background\n\n{}\n\n## What we learned\n\nLook, listen and ask.\n", "Words about the family. ".repeat(40)),
    )
}

/// 120 briefings and a draft: big enough that two builds overlap, and the draft makes a
/// build with `--drafts` differ from one without.
fn fixture() -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Test briefings\"\npartnership = \"Test Safeguarding Partnership\"\nbase_url = \"https://example.org/briefings/\"\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    for i in 0..120 {
        site.write(&format!("briefings/review-{i:02}.md"), briefing(&format!("Review {i:02}"), ""));
    }
    site.write("briefings/draft-review.md", briefing("Draft review", "\ndraft = true"));
    site
}

/// A build of `site` into `output`, with `--drafts` when `drafts`, started now.
fn start_build(site: &Site, output: &Path, drafts: bool) -> Running {
    // No PDFs: these tests are about the output folder, and 120 handouts take long in a debug build.
    let mut args = vec!["build", "--no-pdf", "--root", ".", "--output", output.to_str().unwrap()];
    if drafts {
        args.push("--drafts");
    }
    Running::start(site.path(), &args)
}

fn finish(mut build: Running, what: &str) {
    let status = build.wait_exit(STARTS).unwrap_or_else(|| panic!("{what} did not finish\n{}", build.transcript()));
    assert!(status.success(), "{what} failed\n{}", build.transcript());
}

/// Milliseconds from a small xorshift generator (no crate for one test's delays).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Issue 16, item 1: each build's clean-up deleted the other's staging folder; both exited 0
/// with hundreds of files missing, and once the marker went. Ten rounds, one build with the
/// drafts and one without, the second started after a random delay: both succeed, and the
/// output is always exactly one of the two sites, marker and all, with nothing left beside it.
#[test]
fn two_builds_into_one_output_always_leave_one_builds_site() {
    let site = fixture();
    let refs = tempfile::tempdir().unwrap();
    let (plain_out, drafts_out) = (refs.path().join("plain"), refs.path().join("drafts"));
    finish(start_build(&site, &plain_out, false), "the reference build");
    finish(start_build(&site, &drafts_out, true), "the reference build with drafts");
    let (plain, drafts) = (snapshot(&plain_out), snapshot(&drafts_out));
    assert!(plain != drafts && plain.contains_key(".briefing-output"));

    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("output");
    let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut state = seed;
    for round in 0..10 {
        let delay = Duration::from_millis(next(&mut state) % 100);
        let first_drafts = round % 2 == 1;
        let first = start_build(&site, &out, first_drafts);
        std::thread::sleep(delay);
        let second = start_build(&site, &out, !first_drafts);
        let context = format!("round {round}, delay {delay:?}, seed {seed}");
        finish(first, &format!("the first build ({context})"));
        finish(second, &format!("the second build ({context})"));
        let got = snapshot(&out);
        assert!(got.contains_key(".briefing-output"), "the marker was lost ({context})");
        assert!(got == plain || got == drafts, "the output is not one build's site ({context}): {} files, {} or {} expected", got.len(), plain.len(), drafts.len());
        assert_eq!(names_in(shared.path()), ["output"], "something was left beside the output ({context})");
    }
}

/// A build that finds another writing the folder waits for it, says so once on stderr (with
/// the other's process id), and then builds.
#[test]
fn a_build_waits_while_another_writes_the_folder_and_says_so() {
    let site = fixture();
    let out = site.path().join("output");
    finish(start_build(&site, &out, false), "the first build");
    let before = snapshot(&out);

    // Another briefing holds the lock, as a build does while it writes.
    let mut held = File::options().read(true).write(true).create(true).truncate(false).open(lock_path(&out)).unwrap();
    held.lock().unwrap();
    std::io::Write::write_all(&mut held, b"pid 4242\n").unwrap();
    site.write("briefings/review-00.md", briefing("Review zero, renamed", ""));
    let mut build = start_build(&site, &out, false);
    build.wait_for_stderr(STARTS, &["Another briefing", "4242", "waiting"]);
    std::thread::sleep(QUIET);
    assert!(build.is_alive(), "it went on while the folder was locked\n{}", build.transcript());
    assert!(snapshot(&out) == before, "it wrote while the folder was locked");

    drop(held);
    let status = build.wait_exit(STARTS).expect("it builds once the lock is free");
    assert!(status.success(), "{}", build.transcript());
    assert!(site.read("output/index.html").contains("Review zero, renamed"));
    assert_eq!(build.stderr().matches("Another briefing").count(), 1, "said once\n{}", build.transcript());
    assert!(!lock_path(&out).exists(), "the lock file is removed when the build is done");
}

/// Issue 16, item 2: folders beside the output named like a build's leftovers, holding a copy
/// of the marker and the user's notes, are the user's: a build never deletes them.
#[test]
fn folders_beside_the_output_that_briefing_did_not_make_are_kept() {
    let site = fixture();
    finish(start_build(&site, &site.path().join("output"), false), "the first build");
    for folder in ["output.old-2025-12-01", "output.staging-before-redesign"] {
        site.write(&format!("{folder}/.briefing-output"), std::fs::read(site.path().join("output/.briefing-output")).unwrap());
        site.write(&format!("{folder}/notes.txt"), "my notes on the redesign");
    }
    finish(start_build(&site, &site.path().join("output"), false), "the second build");
    for folder in ["output.old-2025-12-01", "output.staging-before-redesign"] {
        assert_eq!(site.read(&format!("{folder}/notes.txt")), "my notes on the redesign", "{folder} was touched");
    }
}

/// Folders beside `output` whose names say a build made them.
fn leftovers(dir: &Path) -> Vec<String> {
    names_in(dir).into_iter().filter(|n| n.starts_with("output.staging-") || n.starts_with("output.old-")).collect()
}

/// What held, and must keep holding: a build killed part-way leaves its staging folder (and
/// its lock file); the next build proves it is dead (the lock is free) and removes it.
#[test]
fn a_killed_builds_folders_are_removed_by_the_next_build() {
    let site = fixture();
    let out = site.path().join("output");
    finish(start_build(&site, &out, false), "the first build");
    let mut killed = false;
    for _ in 0..10 {
        let build = start_build(&site, &out, false);
        let started = poll(STARTS, || (!leftovers(site.path()).is_empty()).then_some(()));
        drop(build); // SIGKILL
        if started.is_some() && !leftovers(site.path()).is_empty() {
            killed = true;
            break;
        }
    }
    assert!(killed, "no build was caught part-way");
    // Caught at any point: before its staging folder is marked, while it is filled, or while
    // the previous site is deleted.
    let killed_at = format!("left {:?}, lock file {:?}", leftovers(site.path()), std::fs::read_to_string(lock_path(&out)).unwrap_or_default());
    finish(start_build(&site, &out, false), "the build after the killed one");
    assert_eq!(leftovers(site.path()), Vec::<String>::new(), "killed with {killed_at}");
    assert!(!lock_path(&out).exists());
    assert!(out.join(".briefing-output").is_file());
}

fn start_watch(site: &Site) -> Running {
    let watch = Running::start(site.path(), &["watch", "--no-pdf", "--root", "."]);
    watch.wait_for_line(0, STARTS, "saying it watches", |l| l.starts_with("Watching"));
    assert!(watch.rebuild_lines()[0].starts_with("Built "), "{}", watch.transcript());
    watch
}

/// Issue 16, item 7: a build while `watch` runs replaced the folder under it, and watch went
/// on writing only what it thought had changed, leaving the build's pages (here, the draft's)
/// in place. A build is not kept waiting by a watch that is not writing, and watch's next
/// rebuild notices and writes the site whole: the output equals a full build.
#[test]
fn a_build_while_watch_runs_is_noticed_by_watch() {
    let site = fixture();
    let watch = start_watch(&site);
    let out = site.path().join("output");
    let seen = watch.rebuild_lines().len();

    finish(start_build(&site, &out, true), "a build with the drafts while watch runs");
    assert!(out.join("briefings/draft-review/index.html").is_file());

    site.write("briefings/review-01.md", briefing("Review one, saved in watch", ""));
    let line = watch.wait_for_rebuild(seen, SHOWS_UP);
    assert!(line.starts_with("Rebuilt "), "{line}\n{}", watch.transcript());
    let full = tempfile::tempdir().unwrap();
    finish(start_build(&site, &full.path().join("output"), false), "a full build");
    let (watched, built) = (snapshot(&out), snapshot(&full.path().join("output")));
    let stale: Vec<&String> = watched.keys().filter(|k| built.get(*k) != watched.get(*k)).collect();
    let missing: Vec<&String> = built.keys().filter(|k| !watched.contains_key(*k)).collect();
    assert!(stale.is_empty() && missing.is_empty(), "watch left {stale:?} stale and {missing:?} missing\n{line}");
}

/// `watch` takes the same lock while it writes a rebuild: while another briefing writes the
/// folder, watch waits, says so, and then writes.
#[test]
fn watch_waits_while_another_writes_the_folder() {
    let site = fixture();
    let watch = start_watch(&site);
    let out = site.path().join("output");
    let before = snapshot(&out);
    let held = File::options().read(true).write(true).create(true).truncate(false).open(lock_path(&out)).unwrap();
    held.lock().unwrap();
    site.write("briefings/review-02.md", briefing("Review two, saved while locked", ""));
    watch.wait_for_stderr(SHOWS_UP, &["Another briefing", "waiting"]);
    std::thread::sleep(QUIET);
    assert!(snapshot(&out) == before, "watch wrote while the folder was locked");
    drop(held);
    let found = poll(SHOWS_UP, || std::fs::read_to_string(out.join("index.html")).ok().filter(|s| s.contains("Review two, saved while locked")));
    assert!(found.is_some(), "watch did not write once the lock was free\n{}", watch.transcript());
}
