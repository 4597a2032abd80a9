//! `briefing watch` as a user meets it: the real binary on a temporary site, real file events,
//! each way editors save, and the output checked on disk. Waits are bounded polls, never
//! sleeps used as assertions; the only fixed wait is the one that proves an absence (no
//! rebuild after an editor's temporary file), and a later save then checks what it saw.


use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::child::{poll, Running};
use crate::common::Site;

/// How long a change may take to show up. It takes about 200 ms; the margin is for a loaded
/// machine running a debug build.
const SHOWS_UP: Duration = Duration::from_secs(8);
/// The first build of a fresh process, debug build, busy machine.
const STARTS: Duration = Duration::from_secs(30);
/// How long to wait to be sure that something did not happen: well over the watcher's
/// debounce (25 ms) and settle (10 ms) times and a rebuild of this small site.
const QUIET: Duration = Duration::from_millis(1500);

fn briefing(title: &str, themes: &str, body: &str) -> String {
    crate::common::briefing(
        &format!("title = \"{title}\"\nformat = \"practitioner\"\npublished = 2024-05-01\nsummary = \"About {title}.\"\naudience = \"Everyone\"\nthemes = [{themes}]"),
        &format!("Introduction to {title}.\n\n## Background\n\n{body}\n\n## What we learned\n\nLook, listen and ask.\n"),
    )
}

/// A small site: two briefings sharing a theme (so each is related to the other), one of them
/// a bundle with an attachment, and the theme's definition.
fn fixture() -> Site {
    let site = Site::new();
    // With a web address, so that the sitemap and the feed are written (and kept up to date).
    site.write("site.toml", "title = \"Test briefings\"\npartnership = \"Test Safeguarding Partnership\"\nbase_url = \"https://example.org/briefings/\"\n");
    site.write("briefings/alpha.md", briefing("Alpha review", "\"neglect\"", "Alpha's background."));
    site.write("briefings/beta/index.md", briefing("Beta review", "\"neglect\"", "Beta's background. ![Chart](chart.png)"));
    site.write("briefings/beta/chart.png", b"\x89PNG\r\n\x1a\nnot really a chart");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site
}

fn start_watch(site: &Site, extra: &[&str]) -> Running {
    let mut args = vec!["watch", "--root", "."];
    args.extend_from_slice(extra);
    let watch = Running::start(site.path(), &args);
    watch.wait_for_line(0, STARTS, "saying it watches", |l| l.starts_with("Watching"));
    assert!(watch.rebuild_lines()[0].starts_with("Built "), "{}", watch.transcript());
    watch
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Waits until the file at `rel` in the site contains `text`.
fn wait_for_text(site: &Site, watch: &Running, rel: &str, text: &str) {
    let path = site.path().join(rel);
    let found = poll(SHOWS_UP, || std::fs::read_to_string(&path).ok().filter(|s| s.contains(text)));
    assert!(found.is_some(), "{rel} never showed {text:?}\n{}", watch.transcript());
}

fn wait_until(watch: &Running, what: &str, check: impl Fn() -> bool) {
    assert!(poll(SHOWS_UP, || check().then_some(())).is_some(), "{what} did not happen\n{}", watch.transcript());
}

#[test]
fn every_way_of_saving_shows_up() {
    let site = fixture();
    let watch = start_watch(&site, &[]);
    let page = "output/briefings/alpha/index.html";

    // Written in place.
    site.write("briefings/alpha.md", briefing("Alpha in place", "\"neglect\"", "x"));
    wait_for_text(&site, &watch, page, "Alpha in place");
    wait_for_text(&site, &watch, "output/index.html", "Alpha in place");
    // The related list on the other briefing's page names it too.
    wait_for_text(&site, &watch, "output/briefings/beta/index.html", "Alpha in place");

    // A temporary file renamed over the source (most editors' "safe write").
    site.write("briefings/alpha.md.tmp", briefing("Alpha renamed over", "\"neglect\"", "x"));
    std::fs::rename(site.path().join("briefings/alpha.md.tmp"), site.path().join("briefings/alpha.md")).unwrap();
    wait_for_text(&site, &watch, page, "Alpha renamed over");

    // Deleted, then created again.
    std::fs::remove_file(site.path().join("briefings/alpha.md")).unwrap();
    site.write("briefings/alpha.md", briefing("Alpha recreated", "\"neglect\"", "x"));
    wait_for_text(&site, &watch, page, "Alpha recreated");

    // Vim's way: a backup copy, the original renamed away, a new file written, the backup deleted.
    let dir = site.path().join("briefings");
    std::fs::rename(dir.join("alpha.md"), dir.join("alpha.md~")).unwrap();
    site.write("briefings/alpha.md", briefing("Alpha by vim", "\"neglect\"", "x"));
    std::fs::remove_file(dir.join("alpha.md~")).unwrap();
    wait_for_text(&site, &watch, page, "Alpha by vim");

    // A theme's definition changes the pages that show the theme.
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect of children\"\n+++\nWhat neglect means.\n");
    wait_for_text(&site, &watch, page, "Neglect of children");

    // Each rebuild says what changed and what it wrote (the line comes just after the files).
    // A save made while the last rebuild typesets its PDFs is taken in by that rebuild, whose
    // line then names both changes.
    watch.wait_for_line(0, SHOWS_UP, "about the theme", |l| l.starts_with("Rebuilt ") && l.contains("themes/neglect.md changed"));
    let lines = watch.rebuild_lines();
    assert!(lines.iter().any(|l| l.starts_with("Rebuilt ") && l.contains("(briefings/alpha.md changed)") && l.contains(" files updated: ")), "{lines:#?}");
}

#[test]
fn editors_temporary_files_trigger_no_rebuild() {
    let site = fixture();
    std::fs::create_dir(site.path().join("templates")).unwrap();
    let watch = start_watch(&site, &[]);
    let before = snapshot(&site.path().join("output"));
    let seen = watch.rebuild_lines().len();

    let droppings = [
        "briefings/.alpha.md.swp",
        "briefings/.alpha.md.swx",
        "briefings/alpha.md~",
        "briefings/#alpha.md#",
        "briefings/.#alpha.md",
        "briefings/alpha.md.tmp",
        "briefings/alpha.md___jb_tmp___",
        "briefings/alpha.md___jb_old___",
        "briefings/beta/.chart.png.swp",
        "themes/neglect.md~",
        "templates/.base.html.swp",
    ];
    for rel in droppings {
        site.write(rel, "half-written text");
    }
    for rel in droppings {
        std::fs::remove_file(site.path().join(rel)).unwrap();
    }
    std::thread::sleep(QUIET);
    assert_eq!(watch.rebuild_lines().len(), seen, "a temporary file caused a rebuild\n{}", watch.transcript());
    assert!(snapshot(&site.path().join("output")) == before, "the output changed");

    // The watcher still works, and its next rebuild is about the real save only.
    site.write("briefings/alpha.md", briefing("Alpha saved", "\"neglect\"", "x"));
    let line = watch.wait_for_rebuild(seen, SHOWS_UP);
    assert!(line.starts_with("Rebuilt ") && line.contains("(briefings/alpha.md changed)"), "{line}");
}

#[test]
fn one_save_that_makes_many_events_is_one_rebuild() {
    let site = fixture();
    let watch = start_watch(&site, &[]);
    let seen = watch.rebuild_lines().len();
    // Some editors write in several steps: truncate, write in pieces, set the time.
    let path = site.path().join("briefings/alpha.md");
    let text = briefing("Alpha in pieces", "\"neglect\"", &"Many words. ".repeat(200));
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&path).unwrap();
        for chunk in text.as_bytes().chunks(64) {
            file.write_all(chunk).unwrap();
            file.flush().unwrap();
        }
        file.set_modified(std::time::SystemTime::now()).unwrap();
    }
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Alpha in pieces");
    std::thread::sleep(QUIET);
    let lines = watch.rebuild_lines();
    assert_eq!(lines.len(), seen + 1, "one save, one rebuild: {:#?}", &lines[seen..]);
}

#[test]
fn a_save_paused_between_truncating_and_writing_is_one_rebuild() {
    let site = fixture();
    let watch = start_watch(&site, &[]);
    let seen = watch.rebuild_lines().len();
    // An editor (or a busy machine) pausing between its steps: the file is empty meanwhile.
    {
        use std::io::Write;
        let mut file = std::fs::File::create(site.path().join("briefings/alpha.md")).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        file.write_all(briefing("Alpha after a pause", "\"neglect\"", "x").as_bytes()).unwrap();
    }
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Alpha after a pause");
    std::thread::sleep(QUIET);
    let lines = watch.rebuild_lines();
    assert_eq!(lines.len(), seen + 1, "one save, one rebuild, never one of an empty file: {:#?}", &lines[seen..]);
    assert!(lines[seen].starts_with("Rebuilt ") && lines[seen].contains("(briefings/alpha.md changed)"), "{}", lines[seen]);
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_the_next_good_save_recovers() {
    let site = fixture();
    let mut watch = start_watch(&site, &[]);
    let output = site.path().join("output");
    let before = snapshot(&output);
    let seen = watch.rebuild_lines().len();

    // A misspelt key in the front matter: an error with file, line and a fix.
    site.write("briefings/alpha.md", briefing("Alpha broken", "\"neglect\"", "x").replace("format =", "fromat ="));
    let line = watch.wait_for_rebuild(seen, SHOWS_UP);
    assert!(line.starts_with("Rebuild failed") && line.contains("1 error") && line.contains("left as it was"), "{line}");
    watch.wait_for_stderr(SHOWS_UP, &["briefings/alpha.md:3:1", "did you mean `format`"]);
    assert!(watch.is_alive(), "the watcher died on a broken source");
    assert!(snapshot(&output) == before, "a failed build changed the output");

    // A file that is not text at all, in a new bundle: still an error, still alive.
    site.write("briefings/gamma/index.md", b"\x00\x01\x02binary");
    let line = watch.wait_for_rebuild(seen + 1, SHOWS_UP);
    assert!(line.starts_with("Rebuild failed"), "{line}");
    assert!(watch.is_alive());
    assert!(snapshot(&output) == before, "a failed build changed the output");

    std::fs::remove_dir_all(site.path().join("briefings/gamma")).unwrap();
    site.write("briefings/alpha.md", briefing("Alpha fixed", "\"neglect\"", "x"));
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Alpha fixed");
    let last = watch.wait_for_line(0, SHOWS_UP, "saying it rebuilt", |l| l.starts_with("Rebuilt "));
    assert!(last.1.contains("briefings/alpha.md changed"), "{}", last.1);
}

#[test]
fn folders_renamed_deleted_and_created_and_the_result_equals_a_full_build() {
    let site = fixture();
    let watch = start_watch(&site, &[]);
    let out = site.path().join("output");

    // A new bundle folder, created with files in it.
    std::fs::create_dir(site.path().join("briefings/gamma")).unwrap();
    site.write("briefings/gamma/index.md", briefing("Gamma review", "\"neglect\"", "Gamma. ![Plan](plan.png)"));
    site.write("briefings/gamma/plan.png", b"\x89PNG\r\n\x1a\nplan");
    wait_until(&watch, "the new bundle is built", || out.join("briefings/gamma/index.html").is_file() && out.join("briefings/gamma/plan.png").is_file());
    wait_for_text(&site, &watch, "output/index.html", "Gamma review");

    // The bundle folder renamed: its pages move.
    std::fs::rename(site.path().join("briefings/gamma"), site.path().join("briefings/delta")).unwrap();
    wait_until(&watch, "the renamed bundle moves", || {
        out.join("briefings/delta/index.html").is_file() && out.join("briefings/delta/plan.png").is_file() && !out.join("briefings/gamma").exists()
    });

    // An attachment changed on its own.
    site.write("briefings/delta/plan.png", b"\x89PNG\r\n\x1a\nnew plan");
    wait_until(&watch, "the attachment is copied again", || std::fs::read(out.join("briefings/delta/plan.png")).is_ok_and(|b| b.ends_with(b"new plan")));

    // The bundle folder deleted: its pages go, and so do the links to it.
    std::fs::remove_dir_all(site.path().join("briefings/delta")).unwrap();
    wait_until(&watch, "the deleted bundle's pages go", || !out.join("briefings/delta").exists());
    wait_until(&watch, "the home page forgets it", || std::fs::read_to_string(out.join("index.html")).is_ok_and(|s| !s.contains("Gamma review")));

    // The whole themes folder deleted, then created again: still watched.
    std::fs::remove_dir_all(site.path().join("themes")).unwrap();
    watch.wait_for_line(0, SHOWS_UP, "about the removed theme", |l| l.contains("themes/neglect.md removed"));
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect again\"\n+++\nBack.\n");
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Neglect again");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect once more\"\n+++\nBack.\n");
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Neglect once more");

    // After all that, the output is exactly what a fresh build makes.
    let full = tempfile::tempdir().unwrap();
    let full_out = full.path().join("out");
    let result = site.run(&["build", "--root", ".", "--output", full_out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", crate::common::stderr(&result));
    let (watched, built) = (snapshot(&out), snapshot(&full_out));
    assert_eq!(watched.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &built {
        assert!(watched[path] == *bytes, "{path} differs from a full build");
    }
}

#[test]
fn template_and_settings_changes_rebuild_every_page() {
    let site = fixture();
    let watch = start_watch(&site, &[]);
    let pages = ["output/index.html", "output/briefings/alpha/index.html", "output/briefings/beta/index.html"];

    site.write("site.toml", "title = \"Renamed briefings\"\npartnership = \"Test Safeguarding Partnership\"\n");
    for page in pages {
        wait_for_text(&site, &watch, page, "Renamed briefings");
    }

    let base = std::fs::read_to_string(crate::common::repo_root().join("templates/base.html")).unwrap();
    site.write("templates/base.html", base.replace("</footer>", "<p>Local footer note</p></footer>"));
    for page in pages {
        wait_for_text(&site, &watch, page, "Local footer note");
    }
    // Saved while the settings' rebuild was still typesetting, the template can be part of it.
    watch.wait_for_line(0, SHOWS_UP, "about the template", |l| l.starts_with("Rebuilt ") && l.contains("templates/base.html added)"));

    // A broken template is an error like any other, and deleting it brings back the built-in one.
    site.write("templates/base.html", "{% block main %}");
    let line = poll(SHOWS_UP, || watch.rebuild_lines().into_iter().find(|l| l.starts_with("Rebuild failed")));
    assert!(line.is_some(), "{}", watch.transcript());
    std::fs::remove_file(site.path().join("templates/base.html")).unwrap();
    wait_until(&watch, "the built-in template is back", || {
        std::fs::read_to_string(site.path().join(pages[0])).is_ok_and(|s| !s.contains("Local footer note"))
    });
}

/// The logo lives outside the watched folders (images/ here): replacing it while `watch` ran
/// changed nothing until the next restart.
#[test]
fn a_new_logo_is_published_and_printed_on_save() {
    let site = fixture();
    let settings = site.read("site.toml");
    site.write("site.toml", format!("{settings}logo = \"images/logo.svg\"\n"));
    site.write("images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"90\" height=\"30\"><text y=\"20\">FIRSTMARK</text></svg>");
    let watch = start_watch(&site, &[]);
    assert!(watch.lines().iter().any(|l| l.starts_with("Watching") && l.contains("site.toml and images/logo.svg")), "{}", watch.transcript());
    site.write("images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"90\" height=\"30\"><text y=\"20\">NEWMARK</text></svg>");
    wait_for_text(&site, &watch, "output/assets/logo.svg", "NEWMARK");
    watch.wait_for_line(0, SHOWS_UP, "about the logo", |l| l.starts_with("Rebuilt ") && l.contains("(images/logo.svg changed)"));
    // Poppler reads the logo's text in the handout (CI has it; see tests/suite/handouts.rs).
    if crate::common::browser::which("pdftotext").is_some() {
        let handout = site.path().join("output/briefings/alpha/alpha.pdf");
        let text = || std::process::Command::new("pdftotext").arg(&handout).arg("-").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        wait_until(&watch, "the handout printed with the new logo", || text().is_ok_and(|t| t.contains("NEWMARK")));
    }

    // A logo named before it is there, in a folder not made yet: the build fails until both
    // are made, then the logo is published.
    site.write("site.toml", format!("{settings}logo = \"art/mark.svg\"\n"));
    watch.wait_for_line(0, SHOWS_UP, "the failed rebuild", |l| l.starts_with("Rebuild failed"));
    std::fs::create_dir(site.path().join("art")).unwrap();
    let failed = || watch.rebuild_lines().iter().filter(|l| l.starts_with("Rebuild failed")).count();
    wait_until(&watch, "a rebuild for the new folder", || failed() >= 2);
    site.write("art/mark.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"90\" height=\"30\"><text y=\"20\">ARTMARK</text></svg>");
    wait_for_text(&site, &watch, "output/assets/logo.svg", "ARTMARK");
}

#[test]
fn polling_sees_changes_too() {
    let site = fixture();
    let watch = start_watch(&site, &["--poll"]);
    assert!(watch.lines().iter().any(|l| l.starts_with("Watching") && l.contains("every second")), "{}", watch.transcript());
    site.write("briefings/alpha.md", briefing("Alpha polled", "\"neglect\"", "x"));
    wait_for_text(&site, &watch, "output/briefings/alpha/index.html", "Alpha polled");
    std::fs::rename(site.path().join("briefings/beta"), site.path().join("briefings/epsilon")).unwrap();
    wait_until(&watch, "the renamed bundle moves", || site.path().join("output/briefings/epsilon/chart.png").is_file());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = fixture();
    let mut watch = start_watch(&site, &[]);
    let status = watch.interrupt(Duration::from_secs(5)).expect("it stops within 5 s of Ctrl-C");
    assert!(status.success(), "{status:?}\n{}", watch.transcript());
    assert!(watch.lines().iter().any(|l| l == "Stopped."), "{}", watch.transcript());
    let names: Vec<String> = std::fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!names.iter().any(|n| n.contains(".staging-") || n.contains(".old-")), "{names:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = fixture();
    site.write("output/my-notes.txt", "someone's work");
    let mut watch = Running::start(site.path(), &["watch", "--root", "."]);
    let status = watch.wait_exit(STARTS).expect("it stops at once");
    assert_eq!(status.code(), Some(2), "{}", watch.transcript());
    assert!(watch.stderr().contains("refusing to write the site"), "{}", watch.transcript());
    assert_eq!(site.read("output/my-notes.txt"), "someone's work");
}

/// The library's rebuild session, driven without file events: after every kind of change
/// its output equals a fresh full build, and a failed rebuild leaves the output alone.
#[test]
fn a_session_always_matches_a_full_build() {
    use briefing::app::watch::Session;
    use briefing::BuildOptions;

    let site = fixture();
    let options = BuildOptions::new(site.path());
    let mut session = Session::new(options).unwrap();
    let out = site.path().join("output");
    let full = tempfile::tempdir().unwrap();
    let check = |session: &mut Session, what: &str| {
        let report = session.rebuild(&[]);
        assert_eq!(report.status, briefing::Status::Ok, "{what}: {:#?}", report.diagnostics);
        let full_out = full.path().join("out");
        let built = briefing::build(&BuildOptions { output: Some(full_out.clone()), ..BuildOptions::new(site.path()) });
        assert_eq!(built.status, briefing::Status::Ok);
        assert!(snapshot(&out) == snapshot(&full_out), "{what}: the session's output differs from a full build");
        report
    };

    let first = check(&mut session, "first build");
    assert!(first.write.full);
    assert_eq!(first.rendered.len(), first.pages, "the first build renders every page");
    let report = check(&mut session, "no change");
    assert!(report.write.written.is_empty() && report.write.removed.is_empty(), "{report:#?}");
    assert!(report.rendered.is_empty(), "nothing changed, so no page is rendered: {:?}", report.rendered);

    site.write("briefings/alpha.md", briefing("Alpha review", "\"neglect\"", "Alpha's background, told again."));
    let report = check(&mut session, "a briefing's text");
    assert_eq!(report.sources.parsed, 1, "only the changed source is parsed again");
    let alpha = ["briefings/alpha/index.html"];
    assert!(alpha.iter().all(|p| report.rendered.contains(&p.to_string())), "{:?}", report.rendered);
    assert!(report.write.written.contains(&"briefings/alpha/alpha.pdf".to_string()), "alpha's handout shows its text: {:?}", report.write.written);
    assert!(!report.rendered.iter().any(|p| p.starts_with("briefings/beta/")), "beta shows nothing of alpha's text: {:?}", report.rendered);
    assert!(!report.write.written.iter().any(|p| p == "feed.xml" || p == "sitemap.xml"), "{:?}", report.write.written);

    // Events name the files they saw change; another that changed is still seen by its size
    // and time.
    site.write("briefings/alpha.md", briefing("Alpha review", "\"neglect\"", "Alpha's background, told a third time."));
    let report = session.rebuild(&[PathBuf::from("themes/neglect.md")]);
    assert!(report.rendered.contains(&"briefings/alpha/index.html".to_string()), "{:?}", report.rendered);
    check(&mut session, "after a change that no event named");

    site.write("briefings/alpha.md", briefing("Alpha retitled", "\"neglect\"", "x"));
    let report = check(&mut session, "a title");
    assert_eq!(report.sources.changed, [Path::new("briefings/alpha.md")]);
    assert_eq!(report.sources.parsed, 1, "only the changed source is parsed again");
    assert!(report.write.written.contains(&"briefings/beta/index.html".to_string()), "beta lists alpha as related");
    assert!(report.write.written.contains(&"feed.xml".to_string()), "the feed shows titles: {:?}", report.write.written);
    for page in alpha.iter().chain(&["briefings/beta/index.html", "index.html", "themes/neglect/index.html"]) {
        assert!(report.rendered.contains(&page.to_string()), "{page} shows alpha's title: {:?}", report.rendered);
    }
    assert!(!report.write.written.contains(&"briefings/beta/beta.pdf".to_string()), "beta's handout does not: {:?}", report.write.written);

    site.write("briefings/gamma.md", briefing("Gamma", "\"neglect\", \"supervision\"", "x"));
    let report = check(&mut session, "a new briefing with a theme that has no definition");
    assert!(report.write.written.contains(&"sitemap.xml".to_string()), "the sitemap lists the new page: {:?}", report.write.written);
    assert!(!report.warnings_repeated && report.summary().ends_with("; 1 warning"), "{}", report.summary());
    let report = check(&mut session, "no change, the same warning");
    assert!(report.warnings_repeated && report.summary().ends_with("; 1 warning, as before"), "{}", report.summary());
    // A save that brings a warning: only that one is news, however many there were before.
    site.write("briefings/gamma.md", briefing("Gamma", "\"neglect\", \"supervision\", \"escalation\"", "x"));
    let report = check(&mut session, "a second theme with no definition");
    assert!(report.summary().ends_with("; 2 warnings, 1 new"), "{}", report.summary());
    let news: Vec<&str> = report.new_warnings.iter().map(|d| d.message.as_str()).collect();
    assert!(news.len() == 1 && news[0].contains("escalation"), "{news:?}");
    site.write("themes/supervision.md", "+++\ntitle = \"Supervision\"\n+++\nTime to think.\n");
    check(&mut session, "a new theme");
    site.write("themes/supervision.md", "+++\ntitle = \"Reflective supervision\"\n+++\nTime to think.\n");
    let report = check(&mut session, "a theme's title");
    // Only the pages that show the theme's title are rendered again: alpha is not tagged
    // with it, and shares only neglect with gamma.
    assert!(report.rendered.contains(&"briefings/gamma/index.html".to_string()), "{:?}", report.rendered);
    assert!(!report.rendered.contains(&"briefings/alpha/index.html".to_string()), "{:?}", report.rendered);
    // A training pack: the pages of the briefings it holds link to it by its title.
    site.write("packs/induction.toml", "title = \"Induction\"\nintro = \"For new starters.\"\nbriefings = [\"alpha\"]\n");
    let report = check(&mut session, "a new pack");
    assert!(report.rendered.contains(&"briefings/alpha/index.html".to_string()), "alpha's page links to its pack: {:?}", report.rendered);
    site.write("packs/induction.toml", "title = \"Induction for all\"\nintro = \"For new starters.\"\nbriefings = [\"alpha\"]\n");
    check(&mut session, "a pack's title");
    std::fs::remove_dir_all(site.path().join("briefings/beta")).unwrap();
    let report = check(&mut session, "a deleted bundle");
    assert!(report.write.removed.contains(&"briefings/beta/chart.png".to_string()), "{report:#?}");
    site.write("site.toml", "title = \"New title\"\n");
    let report = check(&mut session, "the settings");
    assert_eq!(report.sources.parsed, 5, "new settings parse everything again (two briefings, two themes, the pack)");
    assert_eq!(report.rendered.len(), report.pages, "new settings render every page again");
    assert!(report.changes.contains(&"site.toml changed".to_string()), "{:?}", report.changes);
    let base = std::fs::read_to_string(crate::common::repo_root().join("templates/base.html")).unwrap();
    site.write("templates/base.html", base.replace("</footer>", "<p>Local note</p></footer>"));
    let report = check(&mut session, "a template");
    assert_eq!(report.rendered.len(), report.pages, "a new template renders every page again");

    // A facet: its value's page comes and goes with the briefings that give it.
    site.write("site.toml", "title = \"New title\"\n[facets.age]\nvalues = [\"Children\", \"Adults\"]\n");
    site.write("briefings/alpha.md", briefing("Alpha retitled", "\"neglect\"", "x").replacen("format =", "age = \"Adults\"\nformat =", 1));
    let report = check(&mut session, "a facet declared and given");
    assert!(report.write.written.contains(&"age/adults/index.html".to_string()), "{:?}", report.write.written);
    site.write("briefings/alpha.md", briefing("Alpha retitled", "\"neglect\"", "x").replacen("format =", "age = \"Children\"\nformat =", 1));
    let report = check(&mut session, "a facet value changed");
    assert!(report.write.removed.contains(&"age/adults/index.html".to_string()), "{report:#?}");
    assert!(report.rendered.contains(&"index.html".to_string()), "the home page's card and filter show it: {:?}", report.rendered);

    let before = snapshot(&out);
    site.write("briefings/gamma.md", "+++\ntitle = \"Unclosed\n+++\n");
    let report = session.rebuild(&[]);
    assert_eq!(report.status, briefing::Status::ContentErrors);
    assert!(report.errors().next().is_some_and(|d| d.file.as_deref() == Some(Path::new("briefings/gamma.md"))));
    assert!(snapshot(&out) == before, "a failed rebuild changed the output");
    site.write("briefings/gamma.md", briefing("Gamma fixed", "\"neglect\"", "x"));
    check(&mut session, "the fix");

    // Someone deletes the output folder: the next rebuild writes it whole.
    std::fs::remove_dir_all(&out).unwrap();
    let report = check(&mut session, "a deleted output folder");
    assert!(report.write.full);
}

/// A save's handout is typeset after its page is written, by a pass that renders the same
/// site again for its downloads only: the page then offers the new PDF at its own size, and
/// the site is what a full build makes.
#[test]
fn a_handout_made_after_its_page_is_offered_at_its_own_size() {
    use briefing::app::watch::Session;
    use briefing::BuildOptions;

    let site = fixture();
    let mut session = Session::new(BuildOptions::new(site.path())).unwrap();
    assert_eq!(session.rebuild(&[]).status, briefing::Status::Ok);
    let sentence = "Each visit was recorded, but nobody read the records side by side, so the pattern of missed meals and late arrivals at school stayed hidden for a year. ";
    site.write("briefings/alpha.md", briefing("Alpha review", "\"neglect\"", &sentence.repeat(12)));
    let report = session.rebuild(&[]);
    assert_eq!(report.status, briefing::Status::Ok, "{:#?}", report.diagnostics);
    let pdf = site.path().join("output/briefings/alpha/alpha.pdf");
    assert!(report.write.written.contains(&"briefings/alpha/alpha.pdf".to_string()), "{:?}", report.write.written);
    let kb = (std::fs::metadata(&pdf).unwrap().len() + 500) / 1000;
    let page = site.read("output/briefings/alpha/index.html");
    assert!(page.contains(&format!("PDF, {kb} KB")), "the page offers the PDF as made ({kb} KB): {}", page.lines().filter(|l| l.contains("PDF")).collect::<Vec<_>>().join("\n"));
    assert_eq!(report.sources.parsed, 1, "the changes are counted once, not once a pass");
    let full = tempfile::tempdir().unwrap();
    let built = briefing::build(&BuildOptions { output: Some(full.path().join("out")), ..BuildOptions::new(site.path()) });
    assert_eq!(built.status, briefing::Status::Ok);
    assert!(snapshot(&site.path().join("output")) == snapshot(&full.path().join("out")), "the session's output differs from a full build");
}

/// Without PDFs too, a save's pages are written first and its search index right after, by
/// the same rebuild: the index finds the new word, and the site is what a full build makes.
#[test]
fn a_session_without_pdfs_updates_its_search_index() {
    use briefing::app::watch::Session;
    use briefing::BuildOptions;

    let site = fixture();
    let options = || BuildOptions { pdf: false, ..BuildOptions::new(site.path()) };
    let mut session = Session::new(options()).unwrap();
    assert_eq!(session.rebuild(&[]).status, briefing::Status::Ok);
    site.write("briefings/alpha.md", briefing("Alpha review", "\"neglect\"", "A zebrafish in the garden."));
    let report = session.rebuild(&[]);
    assert_eq!(report.status, briefing::Status::Ok, "{:#?}", report.diagnostics);
    assert!(report.write.written.contains(&"assets/search-index.js".to_string()), "{:?}", report.write.written);
    assert!(site.read("output/assets/search-index.js").contains("zebrafish"));
    let full = tempfile::tempdir().unwrap();
    let built = briefing::build(&BuildOptions { output: Some(full.path().join("out")), ..options() });
    assert_eq!(built.status, briefing::Status::Ok);
    assert!(snapshot(&site.path().join("output")) == snapshot(&full.path().join("out")), "the session's output differs from a full build");
}

/// Messages from a rebuild show the source lines of spans the model keeps without them.
#[test]
fn a_sessions_messages_show_their_source_lines() {
    use briefing::app::watch::Session;
    use briefing::BuildOptions;

    let site = fixture();
    site.write("briefings/alpha.md", briefing("Alpha", "\"neglect\"", "See [the plan](no-such-briefing.md) first."));
    let options = BuildOptions::new(site.path());
    let mut session = Session::new(options).unwrap();
    for build in ["first build", "rebuild"] {
        let report = session.rebuild(&[]);
        let broken = report.diagnostics.iter().find(|d| d.code == "broken-link").unwrap_or_else(|| panic!("{build}: {:#?}", report.diagnostics));
        assert!(broken.span.as_ref().unwrap().source_line.contains("See [the plan](no-such-briefing.md) first."), "{build}: {broken:#?}");
    }
}

/// An editor that empties a file before writing it can be caught half-way: that rebuild fails
/// on an empty file, and the next says the file changed. It was there all along: neither
/// "removed" nor "added" (a CI run once read "briefings/alpha.md added").
#[test]
fn a_source_read_half_written_changed_and_was_never_removed_or_added() {
    use briefing::app::watch::Session;
    use briefing::BuildOptions;

    let site = fixture();
    let mut session = Session::new(BuildOptions { pdf: false, ..BuildOptions::new(site.path()) }).unwrap();
    assert_eq!(session.rebuild(&[]).status, briefing::Status::Ok);
    site.write("briefings/alpha.md", "");
    let half = session.rebuild(&[]);
    assert!(half.diagnostics.iter().any(|d| d.code == "empty-file"), "{:#?}", half.diagnostics);
    assert!(half.sources.removed.is_empty() && half.sources.added.is_empty(), "{:?}", half.sources);
    site.write("briefings/alpha.md", briefing("Alpha whole", "\"neglect\"", "x"));
    let whole = session.rebuild(&[]);
    assert_eq!(whole.status, briefing::Status::Ok, "{:#?}", whole.diagnostics);
    assert_eq!(whole.sources.changed, vec![std::path::PathBuf::from("briefings/alpha.md")], "{:?}", whole.sources);
    assert!(whole.sources.added.is_empty(), "{:?}", whole.sources);
    assert!(whole.summary().contains("briefings/alpha.md changed"), "{}", whole.summary());

    // One deleted while it could not be read is removed all the same.
    site.write("briefings/alpha.md", "");
    assert!(session.rebuild(&[]).sources.removed.is_empty());
    std::fs::remove_file(site.path().join("briefings/alpha.md")).unwrap();
    let gone = session.rebuild(&[]);
    assert_eq!(gone.sources.removed, vec![std::path::PathBuf::from("briefings/alpha.md")], "{:?}", gone.sources);
}
