//! File events turned into batches of changed paths under a site's root.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::batch::{effect, presence, Burst, Effect};
use crate::core::diagnostics::Diagnostic;
use crate::core::paths::{is_ignored_name, BRIEFINGS_DIR, CONFIG_FILE, PACKS_DIR, TEMPLATES_DIR, THEMES_DIR};

/// The folders a site is built from, relative to its root (with site.toml).
pub const WATCHED_DIRS: [&str; 4] = [BRIEFINGS_DIR, THEMES_DIR, TEMPLATES_DIR, PACKS_DIR];

/// How often the polling watcher looks at the files. It compares their contents, not only
/// their modification times, which it only has to the second: two saves within one second
/// would otherwise look like one. That reads every source each time, hence not more often.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// What the file watcher's thread hands on.
enum Message {
    Event(notify::Result<notify::Event>),
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
    /// Ctrl-C, or the stopper was used.
    Stop,
}

/// Watches a site's sources and hands on batches of changed paths.
pub struct Watcher {
    backend: Box<dyn notify::Watcher + Send>,
    rx: Receiver<Message>,
    tx: Sender<Message>,
    /// Canonical, so that event paths (which start with the watched path) compare.
    root: PathBuf,
    /// Why native events are not used, when polling.
    fallback: Option<String>,
    poll: bool,
    /// The site's own files outside the watched folders (the logo, the print font), relative
    /// to the root, and the folders watched (not recursively) for them.
    files: Vec<PathBuf>,
    file_dirs: Vec<PathBuf>,
}

/// Stops a `Watcher` from another thread (the Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    /// Makes the watcher's `wait` return `Next::Stop`.
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
                Ok(backend) => return Ok(Watcher { backend, rx, tx, root, fallback, poll: false, files: Vec::new(), file_dirs: Vec::new() }),
                Err(e) => fallback = Some(e.to_string()),
            }
        }
        let backend = Self::polling(&root, tx.clone()).map_err(|e| {
            Diagnostic::error("cannot-watch", format!("cannot watch {} for changes: {e}", root.display()))
                .help("check that you can read the site folder; `briefing build` still works")
        })?;
        Ok(Watcher { backend, rx, tx, root, fallback, poll: true, files: Vec::new(), file_dirs: Vec::new() })
    }

    fn native(root: &Path, tx: Sender<Message>) -> notify::Result<Box<dyn notify::Watcher + Send>> {
        let mut backend = Box::new(RecommendedWatcher::new(handler(tx), notify::Config::default())?);
        watch_all(backend.as_mut(), root)?;
        Ok(backend)
    }

    fn polling(root: &Path, tx: Sender<Message>) -> notify::Result<Box<dyn notify::Watcher + Send>> {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
        let mut backend = Box::new(PollWatcher::new(handler(tx), config)?);
        watch_all(backend.as_mut(), root)?;
        Ok(backend)
    }

    /// One line for the user: what is watched, and how.
    pub fn describe(&self) -> String {
        let how = match (&self.fallback, self.poll) {
            (Some(why), _) => format!(" by looking every second, because file events are not available here ({why})"),
            (None, true) => " by looking every second".to_string(),
            (None, false) => String::new(),
        };
        let mut watched: Vec<String> = ["briefings/", "themes/", "packs/", "templates/", "site.toml"].map(String::from).into();
        watched.extend(self.files.iter().map(|f| f.to_string_lossy().replace('\\', "/")));
        let last = watched.pop().unwrap_or_default();
        format!("Watching {} and {last} for changes{how}. Press Ctrl-C to stop.", watched.join(", "))
    }

    /// Watches `files` too (relative to the root: the logo and the print font that site.toml
    /// names), in place of the files given before. A folder of theirs not made yet is not
    /// watched; its making is a change (see `relevant`), after which it is.
    pub fn watch_files(&mut self, files: Vec<PathBuf>) {
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter(|f| !WATCHED_DIRS.iter().any(|d| f.starts_with(d)))
            .filter_map(|f| self.root.join(f).parent().map(Path::to_path_buf))
            .filter(|dir| *dir != self.root && dir.is_dir())
            .collect();
        dirs.sort();
        dirs.dedup();
        for gone in self.file_dirs.iter().filter(|d| !dirs.contains(d)) {
            let _ = self.backend.unwatch(gone);
        }
        for dir in dirs.iter().filter(|d| !self.file_dirs.contains(d)) {
            if let Err(e) = self.backend.watch(dir, RecursiveMode::NonRecursive) {
                let _ = self.tx.send(Message::Trouble(format!("cannot watch {}: {e}", dir.display())));
            }
        }
        (self.files, self.file_dirs) = (files, dirs);
    }

    /// `path` relative to the root when a change there can change the site (see `relevant`),
    /// or it is one of the files given to `watch_files` or a folder on the way to one.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let named = |rel: &&Path| !rel.as_os_str().is_empty() && self.files.iter().any(|f| f.starts_with(rel));
        relevant(&self.root, path).or_else(|| path.strip_prefix(&self.root).ok().filter(named).map(Path::to_path_buf))
    }

    /// Whether it looks at the files every second rather than taking file events.
    pub fn is_polling(&self) -> bool {
        self.poll
    }

    /// A handle that stops `wait` from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Waits for the next batch of relevant changes (see `batch` for when a burst of events
    /// is over). Events for files that are not sources (editors' temporary files, the output
    /// folder) are dropped here, so they never cause a rebuild; events that arrive while a
    /// rebuild runs fold into the next batch.
    pub fn wait(&mut self) -> Next {
        loop {
            let mut burst = Burst::default();
            loop {
                let next = match burst.wait(Instant::now()) {
                    None => self.rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(time) => self.rx.recv_timeout(time),
                };
                match next {
                    Ok(Message::Event(event)) => self.take(&mut burst, event),
                    Ok(Message::Trouble(t)) => burst.add_other(false, Some(t), Instant::now()),
                    Err(RecvTimeoutError::Timeout) => break,
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return Next::Stop,
                }
            }
            let (rescan, trouble) = (burst.rescan, std::mem::take(&mut burst.trouble));
            let paths = burst.into_paths();
            self.rewatch(&paths);
            let mut relevant: Vec<PathBuf> = paths.iter().filter_map(|p| self.relevant(p)).collect();
            relevant.sort();
            if rescan || !relevant.is_empty() {
                return Next::Changed(if rescan { Vec::new() } else { relevant });
            }
            if !trouble.is_empty() {
                return Next::Trouble(trouble.join("; "));
            }
        }
    }

    /// Adds an event's sources to the burst: of a rename with both names, the first is the
    /// file renamed away (and named by an event of its own before).
    fn take(&self, burst: &mut Burst, event: notify::Result<notify::Event>) {
        let now = Instant::now();
        match event {
            Err(e) => burst.add_other(false, Some(e.to_string()), now),
            Ok(event) if event.need_rescan() => burst.add_other(true, None, now),
            Ok(event) => {
                let last = event.paths.len().saturating_sub(1);
                for (i, path) in event.paths.into_iter().enumerate() {
                    if self.relevant(&path).is_some() {
                        let (effect, presence) = if i < last { (Effect::Unsettled, Some(false)) } else { (effect(&event.kind), presence(&event.kind)) };
                        burst.add(path, effect, presence, now);
                    }
                }
            }
        }
    }

    /// A watched folder that was created, deleted or renamed is watched afresh: a watch on a
    /// deleted folder is gone, and one on a renamed folder follows it to its new name.
    fn rewatch(&mut self, paths: &[PathBuf]) {
        for dir in WATCHED_DIRS {
            let dir = self.root.join(dir);
            if paths.contains(&dir) {
                let _ = self.backend.unwatch(&dir);
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
fn watch_all(backend: &mut dyn notify::Watcher, root: &Path) -> notify::Result<()> {
    backend.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let dir = root.join(dir);
        if dir.is_dir() {
            backend.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Hands each event on, but for opening and reading a file, which is no change (and every
/// rebuild reads every source).
fn handler(tx: Sender<Message>) -> impl FnMut(notify::Result<notify::Event>) + Send + 'static {
    move |event: notify::Result<notify::Event>| {
        if !matches!(&event, Ok(e) if effect(&e.kind) == Effect::Read && !e.need_rescan()) {
            let _ = tx.send(Message::Event(event));
        }
    }
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
    let is_settings = top == CONFIG_FILE && rel.components().count() == 1;
    if !is_settings && !WATCHED_DIRS.contains(&top.as_ref()) {
        return None;
    }
    for name in names {
        if is_ignored_name(&name?) {
            return None;
        }
    }
    Some(rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        let yes = ["site.toml", "briefings/a.md", "briefings/b/index.md", "briefings/b/chart.png", "themes/t.md", "templates/base.html", "packs/p.toml", "briefings"];
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

