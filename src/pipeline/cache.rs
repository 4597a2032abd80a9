//! What `watch` keeps from one rebuild to the next, each a memo of a pure function keyed by
//! all of its inputs, so that none can go stale: the parse of each source (by its text and the
//! settings), the mentions in each briefing (see `site::MentionMemo`), the templates (by
//! their text), and the key of each page as written (see `render`). None of it is needed for
//! a correct build: an empty `Kept` gives the same site, only slower.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::core::diagnostics::Diagnostics;
use crate::core::hash;
use crate::load::{self, Candidate, FileStamp};
use crate::parse::{self, ParseResult};
use crate::render::{PageKeys, Templates};
use crate::site::MentionMemo;

/// What `watch` keeps between rebuilds.
#[derive(Default)]
pub struct Kept {
    pub sources: SourceCache,
    pub mentions: MentionMemo,
    pub templates: Option<Arc<Templates>>,
    /// The key of each page as it is in the output folder now; empty when the output must be
    /// written whole.
    pub pages: PageKeys,
}

/// The parse of each source from the previous rebuild, by path. A source is read again when
/// an event named it (or a folder above it) or its size or modification time changed, and
/// parsed again when its text or the settings changed. (A change that keeps both the size and
/// the time to the nanosecond, with no event, is the one thing this would miss.)
#[derive(Default)]
pub struct SourceCache {
    entries: HashMap<PathBuf, Entry>,
    /// Paths (relative to the root) that events named since the last rebuild; `None`: any
    /// source may have changed.
    named: Option<Vec<PathBuf>>,
    changes: SourceChanges,
}

#[derive(Clone)]
struct Entry {
    stamp: Option<FileStamp>,
    /// A hash of the text, and of the settings it was parsed with.
    text: u128,
    settings: u128,
    /// `None` when site.toml had errors and the source was only read.
    result: Option<ParseResult>,
}

/// Which sources the last rebuild found added, changed or removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceChanges {
    pub added: Vec<PathBuf>,
    pub changed: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    /// How many sources were parsed again (all of them when the settings changed).
    pub parsed: usize,
}

/// What looking at one source found.
enum Looked {
    /// As the cache has it.
    Same(Entry),
    /// Read (and parsed, with settings) again; the entry it had before, if any.
    Fresh { entry: Entry, before: Option<u128> },
}

impl SourceCache {
    /// Before a rebuild: the paths that events named, relative to the root or absolute. An
    /// empty list means "anything may have changed": every source is read again.
    pub fn expect(&mut self, root: &Path, named: &[PathBuf]) {
        self.named = (!named.is_empty()).then(|| named.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).collect());
    }

    /// Reads and parses the sources under `root` that may have changed, and hands back the
    /// parse of every source; with no `config` (site.toml has errors) sources are only read.
    pub(super) fn load(&mut self, root: &Path, config: Option<&Config>, diags: &mut Diagnostics) -> Vec<ParseResult> {
        let settings = config.map_or(0, hash::of);
        let (looked, found) = load::each_source(root, |c| self.look(root, c, config, settings));
        diags.extend(found);
        let mut changes = SourceChanges::default();
        let mut entries = HashMap::with_capacity(looked.len());
        let mut results = Vec::with_capacity(looked.len());
        for (path, looked) in looked {
            let entry = match looked {
                Looked::Same(entry) => entry,
                Looked::Fresh { entry, before } => {
                    changes.parsed += usize::from(entry.result.is_some());
                    match before {
                        None => changes.added.push(path.clone()),
                        Some(text) if text != entry.text => changes.changed.push(path.clone()),
                        Some(_) => {}
                    }
                    entry
                }
            };
            results.extend(entry.result.clone());
            entries.insert(path, entry);
        }
        changes.removed = self.entries.keys().filter(|p| !entries.contains_key(*p)).cloned().collect();
        changes.removed.sort();
        self.entries = entries;
        self.changes = changes;
        self.named = Some(Vec::new());
        results
    }

    /// The source `c`, from the cache when it cannot have changed.
    fn look(&self, root: &Path, c: Candidate, config: Option<&Config>, settings: u128) -> Result<(PathBuf, Looked), crate::core::diagnostics::Diagnostic> {
        let abs = root.join(&c.path);
        // Taken before reading: a change made while reading shows as a new stamp next time.
        let stamp = FileStamp::of(&abs);
        let old = self.entries.get(&c.path);
        let named = self.named.as_ref().is_none_or(|named| named.iter().any(|n| c.path.starts_with(n)));
        let usable = |e: &&Entry| e.settings == settings && e.result.is_some() == config.is_some();
        if let Some(entry) = old.filter(|e| !named && e.stamp == stamp && stamp.is_some()).filter(usable) {
            return Ok((c.path, Looked::Same(entry.clone())));
        }
        let text = load::read_source(&abs, &c.path)?;
        let text_hash = hash::of(&text);
        if let Some(entry) = old.filter(|e| e.text == text_hash).filter(usable) {
            return Ok((c.path, Looked::Same(Entry { stamp, ..entry.clone() })));
        }
        let path = c.path.clone();
        let result = config.map(|config| parse::parse(&c.with_text(text), config));
        let entry = Entry { stamp, text: text_hash, settings, result };
        Ok((path, Looked::Fresh { entry, before: old.map(|e| e.text) }))
    }

    /// Whether the last rebuild had a source at `path` (relative to the root).
    pub fn knows(&self, path: &Path) -> bool {
        self.entries.contains_key(path)
    }

    /// What the last rebuild found changed.
    pub fn changes(&self) -> &SourceChanges {
        &self.changes
    }
}
