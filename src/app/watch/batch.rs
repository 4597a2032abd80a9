//! When a burst of file events is handed on as one batch.
//!
//! Event kinds never say what to rebuild (the session looks at the files themselves); they only
//! say how soon the burst is over. A source whose last event was its writer closing it or a
//! file renamed into its place is whole, so once every source in the burst is, a short wait for
//! the save's other files is enough. A source last created, written, renamed away or deleted
//! may be half-made (an editor between its steps), so the burst waits for a quiet spell.
//! A file that came and went within the burst (`sed -i`'s temporary file) is no change, and
//! holds nothing up.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::EventKind;

/// How long the sources must be quiet when one of them may be half-made. One save makes its
/// events within a millisecond or two, but a busy machine can pause the editor between
/// truncating a file and writing it for tens of milliseconds (a watcher that waited 10 ms
/// read empty files on a loaded test machine). Only saves still in progress and deletions
/// wait this long: a save whose writer closed its files goes after `SETTLE`. A save written
/// more slowly still is read half-written and shows an error until its last event, which
/// rebuilds again; the output is left as it was meanwhile.
pub const QUIET: Duration = Duration::from_millis(100);
/// How long to wait for the other files of a save once every source in the burst is whole
/// (vim sets the file's permissions just after closing it; "save all" writes several files).
pub const SETTLE: Duration = Duration::from_millis(3);
/// The longest a burst is held: a file written without pause (a log kept under `briefings/`)
/// must not hold back the rebuilds of the rest.
pub const LONGEST: Duration = Duration::from_millis(500);

/// What one event says about the file it names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// The file is whole: its writer closed it, or it was renamed into place.
    Whole,
    /// The file may be half-made: created, written, renamed away, deleted.
    Unsettled,
    /// Its permissions or times changed: no more and no less whole than before.
    Neither,
    /// Opened or read: not a change at all (every rebuild reads every source).
    Read,
}

/// What an event of `kind` says about the file it names (the last path, for a rename with
/// both: the file renamed away was already named by its own event).
pub fn effect(kind: &EventKind) -> Effect {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Effect::Whole,
        EventKind::Access(_) => Effect::Read,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => Effect::Whole,
        EventKind::Modify(ModifyKind::Metadata(_)) => Effect::Neither,
        _ => Effect::Unsettled,
    }
}

/// Whether an event of `kind` says the file it names (the last path, for a rename with both)
/// is there now (`Some(true)`: created, renamed into place) or gone (`Some(false)`).
pub fn presence(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => Some(true),
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => Some(false),
        _ => None,
    }
}

/// What the events of a burst said of one source.
struct Seen {
    whole: bool,
    /// Its first event made it.
    made: bool,
    /// Its last event that said so left it gone.
    gone: bool,
}

impl Seen {
    fn came_and_went(&self) -> bool {
        self.made && self.gone
    }
}

/// The events gathered since the last batch was handed on.
#[derive(Default)]
pub struct Burst {
    /// Each source named (absolute path), and what its events said.
    sources: HashMap<PathBuf, Seen>,
    /// Events were lost: everything must be looked at.
    pub rescan: bool,
    /// Problems the watcher reported.
    pub trouble: Vec<String>,
    started: Option<Instant>,
}

impl Burst {
    /// Takes in an event of `effect` naming `path`, a source, at `now`, which says the file
    /// is there or gone (`presence`) or neither.
    pub fn add(&mut self, path: PathBuf, effect: Effect, presence: Option<bool>, now: Instant) {
        if effect == Effect::Read {
            return;
        }
        self.start(now);
        let seen = self.sources.entry(path).or_insert(Seen { whole: false, made: presence == Some(true), gone: false });
        match effect {
            Effect::Whole => seen.whole = true,
            Effect::Unsettled => seen.whole = false,
            Effect::Neither | Effect::Read => {}
        }
        if let Some(there) = presence {
            seen.gone = !there;
        }
    }

    /// Takes in lost events (`rescan`) or a problem.
    pub fn add_other(&mut self, rescan: bool, trouble: Option<String>, now: Instant) {
        self.start(now);
        self.rescan |= rescan;
        self.trouble.extend(trouble);
    }

    fn start(&mut self, now: Instant) {
        self.started.get_or_insert(now);
    }

    /// How long to wait for another event before handing the burst on (no more events in that
    /// time ends it); `None` while there is nothing to hand on, so wait for as long as it takes.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        let started = self.started?;
        let settled = !self.rescan && self.sources.values().all(|seen| seen.whole || seen.came_and_went());
        let quiet = if settled { SETTLE } else { QUIET };
        Some(quiet.min(LONGEST.saturating_sub(now.duration_since(started))))
    }

    /// The sources named, in no particular order, but those that came and went within it.
    pub fn into_paths(self) -> Vec<PathBuf> {
        self.sources.into_iter().filter(|(_, seen)| !seen.came_and_went()).map(|(path, _)| path).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};

    fn burst(events: &[(&str, EventKind)]) -> Burst {
        let mut burst = Burst::default();
        let now = Instant::now();
        for (path, kind) in events {
            burst.add(PathBuf::from(path), effect(kind), presence(kind), now);
        }
        burst
    }

    const CLOSED: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const WRITTEN: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CREATED: EventKind = EventKind::Create(CreateKind::File);
    const AWAY: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::From));
    const INTO: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::To));
    const PERMISSIONS: EventKind = EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions));
    const OPENED: EventKind = EventKind::Access(AccessKind::Open(AccessMode::Any));

    #[test]
    fn nothing_gathered_waits_for_as_long_as_it_takes() {
        let opened = burst(&[("a.md", OPENED)]);
        assert_eq!(opened.wait(Instant::now()), None);
    }

    #[test]
    fn a_file_written_in_place_and_closed_is_handed_on_after_a_short_settle() {
        let saved = burst(&[("a.md", WRITTEN), ("a.md", WRITTEN), ("a.md", PERMISSIONS), ("a.md", CLOSED), ("a.md", PERMISSIONS)]);
        assert_eq!(saved.wait(Instant::now()), Some(SETTLE));
        let renamed_over = burst(&[("a.md", AWAY), ("a.md", INTO)]);
        assert_eq!(renamed_over.wait(Instant::now()), Some(SETTLE));
    }

    #[test]
    fn a_file_that_may_be_half_made_waits_for_quiet() {
        // Vim: the original renamed away, a new one created and still being written.
        let vim = burst(&[("a.md", AWAY), ("a.md", CREATED), ("a.md", WRITTEN)]);
        assert_eq!(vim.wait(Instant::now()), Some(QUIET));
        let deleted = burst(&[("a.md", CLOSED), ("a.md", EventKind::Remove(RemoveKind::File))]);
        assert_eq!(deleted.wait(Instant::now()), Some(QUIET));
        // One whole file does not hurry another that is not.
        let two = burst(&[("a.md", CLOSED), ("b.md", WRITTEN)]);
        assert_eq!(two.wait(Instant::now()), Some(QUIET));
        let chmod = burst(&[("a.md", PERMISSIONS)]);
        assert_eq!(chmod.wait(Instant::now()), Some(QUIET));
        let mut lost = burst(&[("a.md", CLOSED)]);
        lost.add_other(true, None, Instant::now());
        assert_eq!(lost.wait(Instant::now()), Some(QUIET));
    }

    #[test]
    fn a_file_that_came_and_went_is_no_change() {
        // sed -i: a temporary file written, then renamed over the source.
        let sed = burst(&[("sedX", CREATED), ("sedX", WRITTEN), ("sedX", CLOSED), ("sedX", AWAY), ("a.md", INTO)]);
        assert_eq!(sed.wait(Instant::now()), Some(SETTLE), "nothing in it is half-made");
        assert_eq!(sed.into_paths(), [PathBuf::from("a.md")]);
        // Vim: the source renamed away, then made again; and a source deleted.
        let vim = burst(&[("a.md", AWAY), ("a.md", CREATED), ("a.md", CLOSED), ("b.md", EventKind::Remove(RemoveKind::File))]);
        let mut paths = vim.into_paths();
        paths.sort();
        assert_eq!(paths, [PathBuf::from("a.md"), PathBuf::from("b.md")]);
    }

    #[test]
    fn a_burst_is_never_held_longer_than_the_longest() {
        let start = Instant::now();
        let mut burst = Burst::default();
        burst.add(PathBuf::from("log.md"), Effect::Unsettled, None, start);
        assert_eq!(burst.wait(start + LONGEST - Duration::from_millis(4)), Some(Duration::from_millis(4)));
        assert_eq!(burst.wait(start + LONGEST * 2), Some(Duration::ZERO));
    }
}
