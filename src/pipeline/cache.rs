//! What `watch` keeps from one rebuild to the next, each a memo of a pure function keyed by
//! all of its inputs, so that none can go stale: the parse of each source (by its text and the
//! settings), the analysis of each briefing (by what it was parsed from, every theme's names
//! and the date), the templates (by their text), and the key of each page as written (see
//! `render`). None of it is needed for a correct build: an empty `Kept` gives the same site,
//! only slower.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::handouts::HandoutMemo;
use super::sources::{First, Input};
use crate::core::diagnostics::{Diagnostic, Diagnostics};
use crate::core::hash;
use crate::load::{Candidate, FileStamp};
use crate::parse::{self, Named, ParseResult, Parsed};
use super::Rendered;
use crate::render::{self, PageKeys, Templates};
use crate::site::{Analysed, RelatedMemo};

/// What `watch` keeps between rebuilds.
#[derive(Default)]
pub struct Kept {
    pub sources: SourceCache,
    pub templates: Option<Arc<Templates>>,
    /// Each briefing's handouts.
    pub handouts: HandoutMemo,
    /// The key of each page as it is in the output folder now; empty when the output must be
    /// written whole.
    pub pages: PageKeys,
    /// The search index as last made: a pass that writes the pages first shows it until a
    /// pass after it makes it again (see `PrepareOptions::defer`).
    pub index: Option<Bytes>,
}

impl Kept {
    /// Remembers `rendered` as written: its pages' keys and its search index.
    pub fn wrote(&mut self, rendered: &mut Rendered) {
        self.pages = std::mem::take(&mut rendered.keys);
        if let Some(index) = rendered.files.iter().find(|f| f.path == render::search::INDEX) {
            self.index = Some(index.contents.clone());
        }
    }
}

/// The parse of each source from the previous rebuild, by path, and the analysis of each
/// briefing. A source is read again when an event named it (or a folder above it) or its size
/// or modification time changed, and parsed again when its text or the settings changed. (A
/// change that keeps both the size and the time to the nanosecond, with no event, is the one
/// thing this would miss.)
#[derive(Default)]
pub struct SourceCache {
    root: PathBuf,
    // FxHash: both hold every source and are made again on every save.
    entries: FxHashMap<PathBuf, Entry>,
    analyses: FxHashMap<u128, Arc<Analysed>>,
    /// The related briefings last worked out.
    pub(super) related: RelatedMemo,
    /// Paths (relative to the root) that events named since the last rebuild; `None`: any
    /// source may have changed.
    named: Option<Vec<PathBuf>>,
    /// Sources that were there at the last rebuild but could not be read (an editor's
    /// half-written, empty file, say): when they read again they changed, not arrived.
    unreadable: FxHashSet<PathBuf>,
    changes: SourceChanges,
}

#[derive(Clone)]
struct Entry {
    stamp: Option<FileStamp>,
    /// A hash of the text, and of the settings it was parsed with.
    text: u128,
    settings: u128,
    parsed: Arc<ParseResult>,
    /// What a briefing's front matter names (see `Named`), made once with its parse.
    named: Option<Arc<Named>>,
}

/// Which sources the last rebuild found added, changed or removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceChanges {
    /// Sources that are new since the last rebuild.
    pub added: Vec<PathBuf>,
    /// Sources whose text changed.
    pub changed: Vec<PathBuf>,
    /// Sources that are gone.
    pub removed: Vec<PathBuf>,
    /// How many sources were parsed again (all of them when the settings changed).
    pub parsed: usize,
}

/// What looking at one source found: its entry, and whether it was parsed again (with the
/// text hash it had before, if it was known).
type Looked = (PathBuf, Entry, Option<Option<u128>>);

/// What looking at the source at a path found: what `look` found, or why it could not read it.
type Outcome = (PathBuf, Result<Looked, Diagnostic>);

impl SourceCache {
    /// Before a rebuild of the site at `root`: the paths that events named, relative to the
    /// root or absolute. An empty list means "anything may have changed": every source is read
    /// again.
    pub fn expect(&mut self, root: &Path, named: &[PathBuf]) {
        self.root = root.to_path_buf();
        self.named = (!named.is_empty()).then(|| named.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).collect());
    }

    /// The first pass (see `sources`), with every source parsed: from the cache when it
    /// cannot have changed.
    pub(super) fn first_pass(&mut self, input: &Input, themes: Vec<Candidate>, briefings: Vec<Candidate>, diags: &mut Diagnostics) -> (Vec<ParseResult>, Vec<First>) {
        let settings = hash::of(input.config);
        let this = &*self;
        let look = |c: &Candidate| (c.path.clone(), this.look(input, c, settings));
        let themes: Vec<Outcome> = themes.par_iter().map(look).collect();
        let briefings: Vec<(Candidate, Outcome)> = briefings.into_par_iter().map(|c| {
            let looked = look(&c);
            (c, looked)
        }).collect();
        let mut changes = SourceChanges::default();
        let mut unreadable = FxHashSet::default();
        let mut entries = FxHashMap::with_capacity_and_hasher(themes.len() + briefings.len(), Default::default());
        let mut keep = |(path, looked): Outcome, diags: &mut Diagnostics| -> Option<Entry> {
            let (path, entry, fresh) = match looked {
                Ok(looked) => looked,
                Err(d) => {
                    diags.push(d);
                    unreadable.insert(path);
                    return None;
                }
            };
            if let Some(before) = fresh {
                changes.parsed += 1;
                match before {
                    None if this.unreadable.contains(&path) => changes.changed.push(path.clone()),
                    None => changes.added.push(path.clone()),
                    Some(text) if text != entry.text => changes.changed.push(path.clone()),
                    Some(_) => {}
                }
            }
            entries.insert(path, entry.clone());
            Some(entry)
        };
        let themes: Vec<ParseResult> = themes.into_iter().filter_map(|l| keep(l, diags)).map(|e| (*e.parsed).clone()).collect();
        let mut firsts = Vec::with_capacity(briefings.len());
        for (candidate, looked) in briefings {
            if let Some(entry) = keep(looked, diags) {
                firsts.push(First { candidate, text: entry.text, named: entry.named, parsed: Some(entry.parsed), source: None });
            }
        }
        // One that cannot be read is still there: its error says what is wrong with it. One
        // that could not be read last time and is gone now was removed.
        let before = self.entries.keys().chain(&self.unreadable);
        changes.removed = before.filter(|p| !entries.contains_key(*p) && !unreadable.contains(*p)).cloned().collect();
        changes.removed.sort();
        self.entries = entries;
        self.unreadable = unreadable;
        self.changes = changes;
        self.named = Some(Vec::new());
        (themes, firsts)
    }

    /// The source `c`, from the cache when it cannot have changed.
    fn look(&self, input: &Input, c: &Candidate, settings: u128) -> Result<Looked, Diagnostic> {
        // Taken before reading: a change made while reading shows as a new stamp next time.
        let stamp = FileStamp::of(&self.root.join(&c.path));
        let old = self.entries.get(&c.path).filter(|e| e.settings == settings);
        let named = self.named.as_ref().is_none_or(|named| named.iter().any(|n| c.path.starts_with(n)));
        if let Some(entry) = old.filter(|e| !named && stamp.is_some() && e.stamp == stamp) {
            return Ok((c.path.clone(), entry.clone(), None));
        }
        let text = (input.read)(c)?;
        let text_hash = hash::of(&text);
        if let Some(entry) = old.filter(|e| e.text == text_hash) {
            return Ok((c.path.clone(), Entry { stamp, ..entry.clone() }, None));
        }
        let before = self.entries.get(&c.path).map(|e| e.text);
        let parsed = Arc::new(parse::parse(&c.clone().with_text(text), input.config));
        let named = match &parsed.0 {
            Some(Parsed::Briefing(b)) => Some(Arc::new(Named::of(&b.briefing))),
            _ => None,
        };
        Ok((c.path.clone(), Entry { stamp, text: text_hash, settings, parsed, named }, Some(before)))
    }

    /// The analysis kept under `key`.
    pub(super) fn analysis(&self, key: u128) -> Option<Arc<Analysed>> {
        self.analyses.get(&key).cloned()
    }

    /// Keeps these analyses, and forgets the others.
    pub(super) fn keep_analyses(&mut self, analyses: impl Iterator<Item = (u128, Arc<Analysed>)>) {
        self.analyses = analyses.collect();
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
