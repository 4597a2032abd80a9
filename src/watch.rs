//! `briefing watch`: build, then rebuild whenever a source changes, until Ctrl-C.
//!
//! Three parts, each usable alone:
//! - `Session` rebuilds: it works out again only what a change can have reached
//!   (`incremental`: changed sources are read and parsed again, and only the pages whose
//!   content changed are rendered again) and, only when all of that succeeded, writes the
//!   output files whose bytes changed and deletes those whose source is gone. A build with errors never touches the output folder. The first build of a session,
//!   and any build after a write went wrong or the output folder went missing, replaces the
//!   folder whole through a staging folder, like `briefing build`.
//! - `Watcher` turns file events into batches of changed paths. Event kinds are not trusted
//!   (editors save in too many ways: in place, temporary file renamed over, delete then
//!   create); a batch only says "something under these paths changed", and the session then
//!   looks at the file system itself. Editors' swap and backup files are filtered out here.
//! - `run` strings them together and stops cleanly on Ctrl-C.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache};
use xxhash_rust::xxh3::xxh3_128;

use crate::diagnostics::{Diagnostic, Severity};
use crate::incremental::{Memo, ParseCache, SourceChanges, WriteStats, Written};
use crate::output;
use crate::{BuildOptions, Status};

/// The folders and file a site is built from, relative to its root.
pub const WATCHED_DIRS: [&str; 3] = [crate::source::BRIEFINGS_DIR, crate::source::THEMES_DIR, crate::render::TEMPLATES_DIR];
pub const SETTINGS_FILE: &str = "site.toml";

/// How long a path must be quiet before its events are handed on: one save makes a burst of
/// events within a millisecond or two. Every millisecond here is one the officer waits (the
/// debouncer looks a quarter of this apart, so a batch comes 10 to 13 ms after the save). A
/// save written so slowly that it is read half-written only shows an error until its last
/// event, which rebuilds again; the output is left as it was meanwhile.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// After a batch arrives, how long to wait for stragglers before rebuilding.
const SETTLE: Duration = Duration::from_millis(5);
/// How often the polling watcher looks at the files. It compares their contents, not only
/// their modification times, which it only has to the second: two saves within one second
/// would otherwise look like one. That reads every source each time, hence not more often.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A site being watched: what the last rebuild parsed and wrote.
pub struct Session {
    options: BuildOptions,
    output: PathBuf,
    /// What the last rebuilds worked out; `memo.pages` matches what `written` records.
    memo: Memo,
    /// What is in the output folder, as far as this session knows; `None` until the first
    /// good build, and after a write failed part-way.
    written: Option<Written>,
    /// A hash of site.toml and of each file in templates/, to say which of them changed.
    settings: BTreeMap<PathBuf, u128>,
    /// The last rebuild's warnings and notes, to tell whether they are news.
    warnings: Vec<Diagnostic>,
    builds: u64,
    good_builds: u64,
}

/// What one rebuild did, for its one-line report and for live reload.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    /// Rebuilds so far in this session, this one included.
    pub build: u64,
    /// Good rebuilds that changed the output, so far: a page shown from an earlier one is out of date.
    pub good_build: u64,
    pub first: bool,
    pub status: Status,
    /// Errors and warnings, sorted; printed above the report line.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings are the same as the last rebuild's: not worth printing again.
    pub warnings_repeated: bool,
    /// What changed, as "briefings/child-3.md changed".
    pub changes: Vec<String>,
    pub sources: SourceChanges,
    pub briefings: usize,
    pub themes: usize,
    pub pages: usize,
    /// The pages rendered again, sorted (the others were left as they were: nothing they
    /// show changed).
    pub rendered: Vec<String>,
    pub write: WriteStats,
    pub output: PathBuf,
    pub elapsed: Duration,
}

impl Session {
    /// A session for the site `options` names; refuses an output folder that a build must not
    /// replace (see `output::check_target`).
    pub fn new(options: BuildOptions) -> Result<Session, Diagnostic> {
        let output = options.output_dir();
        output::check_target(&options.root, &output)?;
        Ok(Session { options, output, memo: Memo::default(), written: None, settings: BTreeMap::new(), warnings: Vec::new(), builds: 0, good_builds: 0 })
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Builds the site again. `hints` are the paths (relative to the root, or absolute) that
    /// events said changed: they say what changed, and the session reads those again, and any
    /// other source whose size or modification time changed. An empty list means "anything
    /// may have changed": every source is read again.
    pub fn rebuild(&mut self, hints: &[PathBuf]) -> RebuildReport {
        let started = Instant::now();
        self.builds += 1;
        // Someone may have deleted or replaced the output folder since: then write it whole,
        // and so render every page.
        if !self.output.join(output::MARKER).is_file() {
            self.written = None;
        }
        if self.written.is_none() {
            self.memo.pages.clear();
        }
        self.memo.texts.expect(&self.options.root, hints);
        let (rendered, diags) = crate::prepare(&self.options.root, self.options.drafts, false, Some(&mut self.memo));
        // Lines for messages come from the texts this rebuild parsed, not from the disk, where
        // a file may have been saved again since.
        let (root, texts) = (&self.options.root, &self.memo.texts);
        let diagnostics = diags.finish(|file| texts.text(file).map(str::to_string).or_else(|| crate::source_text(root, file)));
        let mut report = RebuildReport {
            build: self.builds,
            good_build: self.good_builds,
            first: self.builds == 1,
            status: Status::ContentErrors,
            diagnostics,
            warnings_repeated: false,
            changes: Vec::new(),
            sources: self.memo.parse.changes().clone(),
            briefings: 0,
            themes: 0,
            pages: 0,
            rendered: Vec::new(),
            write: WriteStats::default(),
            output: self.output.clone(),
            elapsed: Duration::ZERO,
        };
        let settings = settings_files(&self.options.root);
        report.changes = describe(&self.options.root, &self.memo.parse, &self.settings, &settings, hints);
        self.settings = settings;
        if let Some(mut rendered) = rendered {
            report.briefings = rendered.stats.briefings;
            report.themes = rendered.stats.themes;
            report.pages = rendered.stats.pages;
            report.rendered = rendered.files.iter().filter(|f| f.path.ends_with(".html")).map(|f| f.path.clone()).collect();
            report.rendered.sort();
            match self.write(&rendered) {
                Ok(stats) => {
                    self.memo.pages = std::mem::take(&mut rendered.keys);
                    report.status = Status::Ok;
                    if !stats.written.is_empty() || !stats.removed.is_empty() {
                        self.good_builds += 1;
                    }
                    report.good_build = self.good_builds;
                    report.write = stats;
                }
                Err(d) => {
                    self.memo.pages.clear();
                    report.status = Status::IoError;
                    report.diagnostics.push(d);
                }
            }
            // Freeing a model of a thousand briefings takes milliseconds that the report, and
            // the next save, need not wait for.
            rayon::spawn(move || drop(rendered));
        }
        let warnings: Vec<Diagnostic> = report.diagnostics.iter().filter(|d| d.severity != Severity::Error).cloned().collect();
        report.warnings_repeated = !report.first && !warnings.is_empty() && warnings == self.warnings;
        self.warnings = warnings;
        report.elapsed = started.elapsed();
        report
    }

    fn write(&mut self, rendered: &crate::Rendered) -> Result<WriteStats, Diagnostic> {
        let failed = |e: std::io::Error| {
            Diagnostic::error("write-failed", format!("could not write the site to {}: {e}", self.output.display()))
                .help("check that the folder is writable and the disk is not full; the next save tries again")
        };
        match self.written.take() {
            Some(mut written) => {
                if !self.output.join(output::MARKER).is_file() {
                    // Deleted while this rebuild ran, which left out the pages already there.
                    return Err(failed(std::io::Error::other("the folder went missing during the rebuild")));
                }
                let stats = written.update(&self.output, &rendered.files, &rendered.paths, &rendered.copies).map_err(failed)?;
                self.written = Some(written);
                Ok(stats)
            }
            None => {
                output::check_target(&self.options.root, &self.output)?;
                let (written, stats) = Written::write_all(&self.output, &rendered.files, &rendered.copies).map_err(failed)?;
                self.written = Some(written);
                Ok(stats)
            }
        }
    }
}

/// site.toml and the files in templates/, each with a hash of its bytes.
fn settings_files(root: &Path) -> BTreeMap<PathBuf, u128> {
    let templates = std::fs::read_dir(root.join(crate::render::TEMPLATES_DIR)).into_iter().flatten().flatten();
    let paths = templates.filter(|e| !crate::source::is_ignored_name(&e.file_name().to_string_lossy())).map(|e| e.path());
    std::iter::once(root.join(SETTINGS_FILE))
        .chain(paths)
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.strip_prefix(root).unwrap_or(&p).to_path_buf(), xxh3_128(&bytes)))
        })
        .collect()
}

/// "briefings/a.md changed", "themes/b.md added", "site.toml changed", "briefings/c/chart.png
/// saved": sources as the parse cache saw them, settings and templates by their hashes, and
/// any other file that events named (attachments).
fn describe(
    root: &Path,
    cache: &ParseCache,
    old_settings: &BTreeMap<PathBuf, u128>,
    settings: &BTreeMap<PathBuf, u128>,
    hints: &[PathBuf],
) -> Vec<String> {
    let show = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let sources = cache.changes();
    let mut out: Vec<String> = Vec::new();
    for (paths, what) in [(&sources.changed, "changed"), (&sources.added, "added"), (&sources.removed, "removed")] {
        out.extend(paths.iter().map(|p| format!("{} {what}", show(p))));
    }
    for (path, hash) in settings {
        match old_settings.get(path) {
            None => out.push(format!("{} added", show(path))),
            Some(old) if old != hash => out.push(format!("{} changed", show(path))),
            Some(_) => {}
        }
    }
    out.extend(old_settings.keys().filter(|p| !settings.contains_key(*p)).map(|p| format!("{} removed", show(p))));
    let mut hints: Vec<&Path> = hints.iter().map(|h| h.strip_prefix(root).unwrap_or(h)).collect();
    hints.sort();
    hints.dedup();
    for hint in hints {
        // Sources that were read, settings and templates are compared above; folders are not files.
        let told = cache.knows(hint)
            || sources.removed.iter().any(|r| r == hint)
            || hint == Path::new(SETTINGS_FILE)
            || hint.starts_with(crate::render::TEMPLATES_DIR)
            || root.join(hint).is_dir();
        if !told {
            out.push(format!("{} {}", show(hint), if root.join(hint).exists() { "saved" } else { "removed" }));
        }
    }
    out
}

impl RebuildReport {
    /// The one line printed after each rebuild (its diagnostics are printed above it).
    pub fn summary(&self) -> String {
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let mut notes = Vec::new();
        if errors > 0 {
            notes.push(format!("{errors} error{}", plural(errors)));
        }
        if warnings > 0 {
            let again = if self.warnings_repeated { ", as before" } else { "" };
            notes.push(format!("{warnings} warning{}{again}", plural(warnings)));
        }
        let notes = if notes.is_empty() { String::new() } else { format!("; {}", notes.join(", ")) };
        let took = millis(self.elapsed);
        let output = self.output.display();
        if self.first {
            return match self.status {
                Status::Ok => format!(
                    "Built {} briefing{}, {} theme{}, {} pages into {output} in {took}{notes}",
                    self.briefings,
                    plural(self.briefings),
                    self.themes,
                    plural(self.themes),
                    self.pages
                ),
                _ => format!("Build failed in {took}{notes}. {output} was left as it was; fix the problem and save to build again."),
            };
        }
        let what = self.what_changed();
        match self.status {
            Status::Ok => format!("Rebuilt in {took} ({what}): {}{notes}", self.what_was_written()),
            Status::ContentErrors => format!("Rebuild failed in {took} ({what}){notes}. {output} was left as it was."),
            Status::IoError => format!("Rebuild failed in {took} ({what}){notes}: {output} could not be written. The next save writes it whole again."),
        }
    }

    /// Errors only: what the browser overlay shows.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    fn what_changed(&self) -> String {
        match self.changes.len() {
            0 => "nothing changed".to_string(),
            1..=3 => self.changes.join(", "),
            n => format!("{} and {} more", self.changes[..2].join(", "), n - 2),
        }
    }

    fn what_was_written(&self) -> String {
        let w = &self.write;
        if w.full {
            return format!("the whole site ({} pages) written", self.pages);
        }
        let list = |paths: &[String]| match paths.len() {
            0..=3 => paths.join(", "),
            n => format!("{} and {} more", paths[..2].join(", "), n - 2),
        };
        let rendered = format!("{} of {} pages rendered again", self.rendered.len(), self.pages);
        match (w.written.len(), w.removed.len()) {
            (0, 0) => format!("{rendered}, no file changed"),
            (n, 0) => format!("{rendered}, {n} file{} updated: {}", plural(n), list(&w.written)),
            (0, r) => format!("{rendered}, {r} file{} removed: {}", plural(r), list(&w.removed)),
            (n, r) => format!("{rendered}, {n} file{} updated: {}; {r} removed: {}", plural(n), list(&w.written), list(&w.removed)),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn millis(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// What the watcher hands on.
enum Message {
    /// Paths that events named (absolute).
    Changed(Vec<PathBuf>),
    /// Events were lost: look at everything.
    Rescan,
    Trouble(String),
    Stop,
}

/// What `Watcher::wait` returns.
pub enum Next {
    /// Paths under the site root (relative to it) that may have changed; an empty list means
    /// "look at everything" (the event queue overflowed).
    Changed(Vec<PathBuf>),
    /// The watcher reported a problem; it keeps watching.
    Trouble(String),
    Stop,
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        };
    }
}

/// Watches a site's sources and hands on batches of changed paths.
pub struct Watcher {
    backend: Backend,
    rx: Receiver<Message>,
    tx: Sender<Message>,
    /// Canonical, so that event paths (which start with the watched path) compare.
    root: PathBuf,
    /// Why native events are not used, when polling.
    fallback: Option<String>,
    poll: bool,
}

/// Stops a `Watcher` from another thread (the Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

impl Watcher {
    /// Starts watching the site at `root`: native file events unless `poll`, falling back to
    /// polling when they cannot be had (no inotify watches left, an unsupported file system).
    pub fn start(root: &Path, poll: bool) -> Result<Watcher, Diagnostic> {
        let root = root.canonicalize().map_err(|e| {
            Diagnostic::error("cannot-watch", format!("cannot watch {}: {e}", root.display())).help("check that the site folder exists")
        })?;
        let (tx, rx) = channel();
        let mut fallback = None;
        if !poll {
            match Self::native(&root, tx.clone()) {
                Ok(backend) => return Ok(Watcher { backend, rx, tx, root, fallback, poll: false }),
                Err(e) => fallback = Some(e.to_string()),
            }
        }
        let backend = Self::polling(&root, tx.clone()).map_err(|e| {
            Diagnostic::error("cannot-watch", format!("cannot watch {} for changes: {e}", root.display()))
                .help("check that you can read the site folder; `briefing build` still works")
        })?;
        Ok(Watcher { backend, rx, tx, root, fallback, poll: true })
    }

    fn native(root: &Path, tx: Sender<Message>) -> notify::Result<Backend> {
        let debouncer = new_debouncer_opt(DEBOUNCE, None, handler(tx), RecommendedCache::new(), notify::Config::default())?;
        let mut backend = Backend::Native(debouncer);
        watch_all(&mut backend, root)?;
        Ok(backend)
    }

    fn polling(root: &Path, tx: Sender<Message>) -> notify::Result<Backend> {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
        let debouncer = new_debouncer_opt(DEBOUNCE, None, handler(tx), NoCache, config)?;
        let mut backend = Backend::Poll(debouncer);
        watch_all(&mut backend, root)?;
        Ok(backend)
    }

    /// One line for the user: what is watched, and how.
    pub fn describe(&self) -> String {
        let how = match (&self.fallback, self.poll) {
            (Some(why), _) => format!(" by looking every second, because file events are not available here ({why})"),
            (None, true) => " by looking every second".to_string(),
            (None, false) => String::new(),
        };
        format!("Watching briefings/, themes/, templates/ and site.toml for changes{how}. Press Ctrl-C to stop.")
    }

    pub fn is_polling(&self) -> bool {
        self.poll
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Waits for the next batch of relevant changes. Events for files that are not sources
    /// (editors' temporary files, the output folder) are dropped here, so they never cause a
    /// rebuild; events that arrive while a rebuild runs fold into the next batch.
    pub fn wait(&mut self) -> Next {
        loop {
            let Ok(first) = self.rx.recv() else { return Next::Stop };
            let mut messages = vec![first];
            loop {
                match self.rx.recv_timeout(SETTLE) {
                    Ok(m) => messages.push(m),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stop,
                }
            }
            let mut paths = Vec::new();
            let mut rescan = false;
            let mut trouble = Vec::new();
            for m in messages {
                match m {
                    Message::Stop => return Next::Stop,
                    Message::Trouble(t) => trouble.push(t),
                    Message::Rescan => rescan = true,
                    Message::Changed(p) => paths.extend(p),
                }
            }
            self.rewatch(&paths);
            let mut relevant: Vec<PathBuf> = paths.iter().filter_map(|p| relevant(&self.root, p)).collect();
            relevant.sort();
            relevant.dedup();
            if rescan || !relevant.is_empty() {
                return Next::Changed(if rescan { Vec::new() } else { relevant });
            }
            if !trouble.is_empty() {
                return Next::Trouble(trouble.join("; "));
            }
        }
    }

    /// A watched folder that was created, deleted or renamed is watched afresh: a watch on a
    /// deleted folder is gone, and one on a renamed folder follows it to its new name.
    fn rewatch(&mut self, paths: &[PathBuf]) {
        for dir in WATCHED_DIRS {
            let dir = self.root.join(dir);
            if paths.contains(&dir) {
                self.backend.unwatch(&dir);
                if dir.is_dir() {
                    if let Err(e) = self.backend.watch(&dir, RecursiveMode::Recursive) {
                        let _ = self.tx.send(Message::Trouble(format!("cannot watch {}: {e}", dir.display())));
                    }
                }
            }
        }
    }
}

/// Watches the root itself (not its subfolders: `output/` is there) for site.toml and for the
/// source folders coming and going, and each source folder that exists, with all inside it.
fn watch_all(backend: &mut Backend, root: &Path) -> notify::Result<()> {
    backend.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let dir = root.join(dir);
        if dir.is_dir() {
            backend.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

fn handler(tx: Sender<Message>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let message = match result {
            // The kernel's event queue overflowed: events were lost.
            Ok(events) if events.iter().any(|e| e.need_rescan()) => Message::Rescan,
            Ok(events) => {
                // Opening and reading a file is no change (and every rebuild reads them all).
                let paths: Vec<PathBuf> = events.into_iter().filter(|e| !is_read(&e.event.kind)).flat_map(|e| e.event.paths).collect();
                if paths.is_empty() {
                    return;
                }
                Message::Changed(paths)
            }
            Err(errors) => Message::Trouble(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")),
        };
        let _ = tx.send(message);
    }
}

fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
}

/// `path` relative to `root` when a change there can change the site: site.toml, or anything
/// under briefings/, themes/ or templates/ that is not an editor's swap, backup or temporary
/// file (nor inside a hidden folder).
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut names = rel.components().map(|c| match c {
        Component::Normal(name) => Some(name.to_string_lossy()),
        _ => None,
    });
    let top = names.next()??;
    let is_settings = top == SETTINGS_FILE && rel.components().count() == 1;
    if !is_settings && !WATCHED_DIRS.contains(&top.as_ref()) {
        return None;
    }
    for name in names {
        if crate::source::is_ignored_name(&name?) {
            return None;
        }
    }
    Some(rel.to_path_buf())
}

/// What `run` tells its caller to show.
pub enum Notice<'a> {
    Info(String),
    Warning(String),
    Rebuilt(&'a RebuildReport),
}

/// `briefing watch` (and the watching half of `serve`): builds, then rebuilds after every
/// change until Ctrl-C. `after` sees each report once it is shown (serve tells browsers), and
/// may return a warning to show. Errs only when watching cannot start at all.
pub fn run(
    options: &BuildOptions,
    poll: bool,
    show: &mut dyn FnMut(Notice),
    after: &mut dyn FnMut(&RebuildReport) -> Option<String>,
) -> Result<(), Diagnostic> {
    let mut session = Session::new(options.clone())?;
    // Watch before the first build, so that a save during it is not missed.
    let mut watcher = Watcher::start(&options.root, poll)?;
    let stopper = watcher.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        show(Notice::Warning(format!("Ctrl-C may not stop briefing cleanly: {e}")));
    }
    let mut rebuild = |paths: &[PathBuf], show: &mut dyn FnMut(Notice)| {
        let report = session.rebuild(paths);
        show(Notice::Rebuilt(&report));
        if let Some(warning) = after(&report) {
            show(Notice::Warning(warning));
        }
    };
    rebuild(&[], show);
    show(Notice::Info(watcher.describe()));
    loop {
        match watcher.wait() {
            Next::Stop => break,
            Next::Trouble(t) => show(Notice::Warning(format!("The file watcher reported a problem: {t}"))),
            Next::Changed(paths) => rebuild(&paths, show),
        }
    }
    show(Notice::Info("Stopped.".to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        let yes = ["site.toml", "briefings/a.md", "briefings/b/index.md", "briefings/b/chart.png", "themes/t.md", "templates/base.html", "briefings"];
        for p in yes {
            assert_eq!(relevant(root, &root.join(p)), Some(PathBuf::from(p)), "{p}");
        }
        let no = [
            "output/index.html",
            "output.staging-1",
            "notes.txt",
            "briefings/.a.md.swp",
            "briefings/a.md~",
            "briefings/#a.md#",
            "briefings/.#a.md",
            "briefings/a.md.tmp",
            "briefings/a.md___jb_tmp___",
            "briefings/.git/HEAD",
        ];
        for p in no {
            assert_eq!(relevant(root, &root.join(p)), None, "{p}");
        }
        assert_eq!(relevant(root, Path::new("/elsewhere/site.toml")), None);
    }
}
