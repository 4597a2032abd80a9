//! What keeps `watch` quick: every stage that a save can leave unchanged remembers its
//! results between rebuilds, keyed by a hash of exactly what they were made from.
//!
//! - Parsing: a source is parsed again only when its text or the settings changed
//!   (`ParseCache`), and the parse carries a `fingerprint` of both.
//! - Theme mentions, content checks and search-index words are worked out again only for
//!   briefings whose fingerprint (or the themes, or the settings) changed (`Keyed`).
//! - Pages: each page has a key, a hash of everything it shows (see `render::keys`); a
//!   page whose key is the one it had when it was last written is not rendered at all.
//! - Writing: only files whose bytes changed are written (`Written`).
//!
//! The model itself (themes resolved, related briefings) is rebuilt whole each time: it is
//! cheap, and it is what tells which pages a change reached (the related list of another
//! briefing, a theme page, the home page). `tests/watch.rs` holds every rebuild to be
//! byte-identical to a full build.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::{self, Copy, OutputFile};
use crate::source::SourceFile;
use crate::Parsed;

/// What `watch` remembers between rebuilds (none of it is needed for a correct build: an
/// empty `Memo` gives the same site, only slower).
#[derive(Default)]
pub struct Memo {
    pub texts: KeptTexts,
    pub parse: ParseCache,
    /// Theme mentions and related briefings.
    pub xref: crate::xref::XrefMemo,
    /// The content checks of each briefing.
    pub checks: Keyed<Vec<Diagnostic>>,
    /// The search-index entry of each briefing, as JSON.
    pub search: Keyed<String>,
    /// The templates as last parsed.
    pub templates: Option<std::sync::Arc<crate::render::Templates>>,
    /// The key of each page (see `render::keys`) as it is in the output folder now. Empty
    /// when the output must be written whole.
    pub pages: PageKeys,
}

/// The text of each source as last read, with the size and modification time it had then.
/// A source is read again when either changed or when a file event named it (or a folder
/// above it): a change that keeps both the size and the time to the nanosecond, with no event,
/// is the one thing this would miss.
#[derive(Default)]
pub struct KeptTexts {
    texts: HashMap<PathBuf, (FileStamp, Arc<str>)>,
    /// Paths (relative to the root) that events named since the last rebuild.
    named: Vec<PathBuf>,
}

impl KeptTexts {
    /// Before a rebuild: the paths that events named, relative to the root or absolute. An
    /// empty list means "anything may have changed": every source is read again.
    pub fn expect(&mut self, root: &Path, named: &[PathBuf]) {
        if named.is_empty() {
            self.texts.clear();
        }
        self.named = named.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).collect();
    }

    /// The kept text of the source at `rel` (from the root), if it cannot have changed: no
    /// event named it, and its `stamp` now is the one it had when it was read.
    pub fn reuse(&self, rel: &Path, stamp: Option<FileStamp>) -> Option<Arc<str>> {
        if self.named.iter().any(|n| rel.starts_with(n)) {
            return None;
        }
        let (kept, text) = self.texts.get(rel)?;
        (Some(*kept) == stamp).then(|| text.clone())
    }

    /// The text of the source at `rel` as the last rebuild read it (for the lines of its
    /// messages: see `Diagnostics::finish`).
    pub fn text(&self, rel: &Path) -> Option<&str> {
        self.texts.get(rel).map(|(_, text)| &**text)
    }

    /// After reading: keeps the text of every source with its stamp from before it was read,
    /// and forgets sources that are gone.
    pub fn keep(&mut self, sources: &[SourceFile], stamps: &[Option<FileStamp>]) {
        self.texts = sources
            .iter()
            .zip(stamps)
            .filter_map(|(s, stamp)| Some((s.path.clone(), ((*stamp)?, s.text.clone()))))
            .collect();
        self.named.clear();
    }
}

/// A file's size and modification time: what `watch` compares to tell whether a file it read
/// or copied before has changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: SystemTime,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp { len: meta.len(), modified: meta.modified().ok()? })
    }
}

/// The key of each page by its output path.
pub type PageKeys = HashMap<String, u128>;

/// Results by a hash of their inputs, kept from one rebuild to the next. Each `get_all` keeps
/// only the entries it used, so the memo never holds more than one site's worth.
pub struct Keyed<V> {
    entries: HashMap<u128, V>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed { entries: HashMap::new() }
    }
}

impl<V: Clone + Send + Sync> Keyed<V> {
    /// The value for each item: remembered when its key was seen last time, else computed
    /// (in parallel).
    pub fn get_all<T: Sync>(&mut self, items: &[T], key: impl Fn(&T) -> u128 + Sync, compute: impl Fn(&T) -> V + Sync) -> Vec<V> {
        let found: Vec<(u128, V)> = items
            .par_iter()
            .map(|item| {
                let k = key(item);
                (k, self.entries.get(&k).cloned().unwrap_or_else(|| compute(item)))
            })
            .collect();
        self.entries = found.iter().map(|(k, v)| (*k, v.clone())).collect();
        found.into_iter().map(|(_, v)| v).collect()
    }
}

/// `Keyed::get_all` when there is a memo, else `compute` for each item in parallel.
pub fn each<T: Sync, V: Clone + Send + Sync>(
    memo: Option<&mut Keyed<V>>,
    items: &[T],
    key: impl Fn(&T) -> u128 + Sync,
    compute: impl Fn(&T) -> V + Sync,
) -> Vec<V> {
    match memo {
        Some(memo) => memo.get_all(items, key, compute),
        None => items.par_iter().map(&compute).collect(),
    }
}

/// `compute()`, or the value kept in `slot` when it was computed from inputs with the same
/// `key()`; with no slot (no memo), just `compute()`.
pub fn kept<V: Clone>(slot: Option<&mut Option<(u128, V)>>, key: impl FnOnce() -> u128, compute: impl FnOnce() -> V) -> V {
    let Some(slot) = slot else { return compute() };
    let key = key();
    match slot {
        Some((kept, value)) if *kept == key => value.clone(),
        _ => {
            let value = compute();
            *slot = Some((key, value.clone()));
            value
        }
    }
}

/// A hash of a value's JSON form: two values with the same hash show the same thing.
pub fn hash_of<T: Serialize + ?Sized>(value: &T) -> u128 {
    let mut writer = HashWriter(Xxh3::new());
    serde_json::to_writer(&mut writer, value).expect("views serialise");
    writer.0.digest128()
}

/// A hash of a view by its `Hash`: the same fields as its JSON (views derive both, so neither
/// leaves out a field the other has), without the cost of writing the JSON.
pub fn hash_view<T: std::hash::Hash + ?Sized>(view: &T) -> u128 {
    let mut h = Xxh3::new();
    view.hash(&mut h);
    h.digest128()
}

/// Hashes of several parts, combined in order.
pub fn combine(parts: &[u128]) -> u128 {
    let mut h = Xxh3::new();
    for part in parts {
        h.update(&part.to_le_bytes());
    }
    h.digest128()
}

/// A hash of the site settings, which feed into parsing, checks and every page. Their debug
/// form shows every field, and no hash outlives the process.
pub fn settings_hash(config: &Config) -> u128 {
    xxh3_128(format!("{config:?}").as_bytes())
}

struct HashWriter(Xxh3);

impl io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A parsed source and the problems found in it.
pub type ParseResult = (Option<Parsed>, Vec<Diagnostic>);

/// The parse of each source from the previous rebuild, by path. Parsing is a pure function of
/// the source (path, bundle folder, text) and the site settings, so an entry is reused exactly
/// when both hash the same.
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<PathBuf, Entry>,
    changes: SourceChanges,
}

struct Entry {
    /// The text it was parsed from: a rebuild that hands over the same (kept) text needs no
    /// hash to know it is unchanged.
    source: Arc<str>,
    text: u128,
    settings: u128,
    result: ParseResult,
}

/// Which sources the last `ParseCache::parse` found added, changed or removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceChanges {
    pub added: Vec<PathBuf>,
    pub changed: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    /// How many sources were parsed again (all of them when the settings changed).
    pub parsed: usize,
}

impl ParseCache {
    /// Parses `sources`, reusing the previous result of each one whose text and settings are
    /// unchanged, and forgets sources that are gone.
    pub fn parse(&mut self, sources: &[SourceFile], config: &Config, parse: fn(&SourceFile, &Config) -> ParseResult) -> Vec<ParseResult> {
        // The settings feed into parsing (the default partnership, for one).
        let settings = settings_hash(config);
        let fresh: Vec<Option<Entry>> = sources
            .par_iter()
            .map(|s| {
                let old = self.entries.get(&s.path).filter(|old| old.settings == settings);
                if old.is_some_and(|old| Arc::ptr_eq(&old.source, &s.text)) {
                    return None;
                }
                let text = text_hash(s);
                match old {
                    Some(old) if old.text == text => None,
                    _ => Some(Entry { source: s.text.clone(), text, settings, result: stamped(parse(s, config), combine(&[text, settings])) }),
                }
            })
            .collect();
        let mut changes = SourceChanges::default();
        let mut entries = HashMap::with_capacity(sources.len());
        for (s, fresh) in sources.iter().zip(fresh) {
            let old = self.entries.remove(&s.path);
            let entry = match (fresh, old) {
                (None, Some(old)) => old,
                (Some(new), old) => {
                    changes.parsed += 1;
                    match old {
                        None => changes.added.push(s.path.clone()),
                        Some(old) if old.text != new.text => changes.changed.push(s.path.clone()),
                        Some(_) => {}
                    }
                    new
                }
                (None, None) => unreachable!("a source is reused only when it was cached"),
            };
            entries.insert(s.path.clone(), entry);
        }
        changes.removed = std::mem::take(&mut self.entries).into_keys().collect();
        changes.removed.sort();
        self.entries = entries;
        self.changes = changes;
        sources.par_iter().map(|s| self.entries[&s.path].result.clone()).collect()
    }

    /// Whether the last `parse` had a source at `path` (relative to the root).
    pub fn knows(&self, path: &Path) -> bool {
        self.entries.contains_key(path)
    }

    /// What the last `parse` found changed.
    pub fn changes(&self) -> &SourceChanges {
        &self.changes
    }
}

/// The fingerprint of the briefing that `s` parses to, with `settings` from `settings_hash`.
pub fn fingerprint(s: &SourceFile, settings: u128) -> u128 {
    combine(&[text_hash(s), settings])
}

/// `result` with its briefing's fingerprint set.
pub fn stamped(mut result: ParseResult, fingerprint: u128) -> ParseResult {
    if let Some(Parsed::Briefing(b)) = &mut result.0 {
        b.fingerprint = fingerprint;
    }
    result
}

fn text_hash(s: &SourceFile) -> u128 {
    let mut h = Xxh3::new();
    h.update(s.path.to_string_lossy().as_bytes());
    h.update(&[0]);
    if let Some(bundle) = &s.bundle {
        h.update(bundle.to_string_lossy().as_bytes());
    }
    h.update(&[0]);
    h.update(s.text.as_bytes());
    h.digest128()
}

/// What `watch` has written into the output folder: a hash of each file, and for each copied
/// attachment where it came from and that file's size and modification time.
#[derive(Debug, Default)]
pub struct Written {
    files: HashMap<String, u128>,
    copies: HashMap<String, Stamp>,
}

/// A copied attachment: where it came from, and that file's stamp (`None` when it could not
/// be read; the copy then fails and reports it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    from: PathBuf,
    file: Option<FileStamp>,
}

impl Stamp {
    fn of(copy: &Copy) -> Stamp {
        Stamp { from: copy.from.clone(), file: FileStamp::of(&copy.from) }
    }
}

/// What a write did, for the rebuild line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Output paths written (created or replaced), sorted.
    pub written: Vec<String>,
    /// Output paths deleted because their source is gone, sorted.
    pub removed: Vec<String>,
    /// The whole output folder was replaced through a staging folder.
    pub full: bool,
}

impl Written {
    /// Writes the whole site through a staging folder (`output::write`: all or nothing) and
    /// records what it wrote.
    pub fn write_all(output: &Path, files: &[OutputFile], copies: &[Copy]) -> io::Result<(Written, WriteStats)> {
        output::write(output, files, copies)?;
        let written = Written {
            files: files.par_iter().map(|f| (f.path.clone(), xxh3_128(&f.contents))).collect(),
            copies: copies.iter().map(|c| (c.to.clone(), Stamp::of(c))).collect(),
        };
        let mut paths: Vec<String> = files.iter().map(|f| f.path.clone()).chain(copies.iter().map(|c| c.to.clone())).collect();
        paths.sort();
        Ok((written, WriteStats { written: paths, removed: Vec::new(), full: true }))
    }

    /// Brings an output folder that holds what `self` records up to date with a site of the
    /// files at `paths`, of which `files` were rendered (the others are as they were written
    /// last), and `copies`: writes the files whose bytes (or attachments whose source)
    /// changed, each by writing a temporary file and renaming it over the old one, so no
    /// reader ever sees half a file, and deletes the files that are no longer part of the
    /// site. On an error the folder may hold a mix of old and new files: the caller then
    /// forgets this record and writes the next good build whole.
    pub fn update(&mut self, output: &Path, files: &[OutputFile], paths: &[String], copies: &[Copy]) -> io::Result<WriteStats> {
        let hashed: Vec<(&OutputFile, u128)> = files.par_iter().map(|f| (f, xxh3_128(&f.contents))).collect();
        let stamped: Vec<(&Copy, Stamp)> = copies.iter().map(|c| (c, Stamp::of(c))).collect();
        let changed_files: Vec<&(&OutputFile, u128)> = hashed.iter().filter(|(f, h)| self.files.get(&f.path) != Some(h)).collect();
        let changed_copies: Vec<&(&Copy, Stamp)> = stamped.iter().filter(|(c, s)| self.copies.get(&c.to) != Some(s)).collect();
        changed_files.par_iter().try_for_each(|(f, _)| replace_file(&output.join(&f.path), |tmp| std::fs::write(tmp, &f.contents)))?;
        changed_copies.par_iter().try_for_each(|(c, _)| replace_file(&output.join(&c.to), |tmp| std::fs::copy(&c.from, tmp).map(drop)))?;

        let mut written: Vec<String> = changed_files.iter().map(|(f, _)| f.path.clone()).chain(changed_copies.iter().map(|(c, _)| c.to.clone())).collect();
        written.sort();
        let mut files: HashMap<String, u128> = hashed.iter().map(|(f, h)| (f.path.clone(), *h)).collect();
        for path in paths {
            if let (false, Some(&h)) = (files.contains_key(path), self.files.get(path)) {
                files.insert(path.clone(), h);
            }
        }
        let copies: HashMap<String, Stamp> = stamped.into_iter().map(|(c, s)| (c.to.clone(), s)).collect();
        let mut removed: Vec<String> =
            self.files.keys().chain(self.copies.keys()).filter(|p| !files.contains_key(*p) && !copies.contains_key(*p)).cloned().collect();
        removed.sort();
        removed.dedup();
        for path in &removed {
            remove_file_and_empty_folders(output, path)?;
        }
        *self = Written { files, copies };
        Ok(WriteStats { written, removed, full: false })
    }
}

/// Replaces `path` with a file that `fill` writes at a temporary name beside it.
fn replace_file(path: &Path, fill: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::other(format!("{} is not a file path", path.display())));
    };
    std::fs::create_dir_all(dir)?;
    // A hidden name: `serve` never serves it, and a crash leaves nothing that looks like a page.
    let tmp = dir.join(format!(".{}.briefing-new", name.to_string_lossy()));
    let result = fill(&tmp).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Deletes `output/rel` and then each folder above it that is left empty, up to `output`.
fn remove_file_and_empty_folders(output: &Path, rel: &str) -> io::Result<()> {
    let path = output.join(rel);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == output || !d.starts_with(output) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: text.as_bytes().to_vec() }
    }

    fn mtime(path: &Path) -> SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn only_changed_files_are_written_and_gone_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let (mut written, stats) = Written::write_all(&out, &[file("index.html", "home"), file("briefings/a/index.html", "a")], &[]).unwrap();
        assert!(stats.full);
        let before = mtime(&out.join("index.html"));
        let stats = written
            .update(&out, &[file("briefings/b/index.html", "b")], &["index.html".into(), "briefings/b/index.html".into()], &[])
            .unwrap();
        assert_eq!(stats.written, ["briefings/b/index.html"]);
        assert_eq!(stats.removed, ["briefings/a/index.html"]);
        assert_eq!(mtime(&out.join("index.html")), before, "an unchanged file is not rewritten");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "home", "a page not rendered again is kept");
        assert!(!out.join("briefings/a").exists(), "the emptied folder is removed");
        assert_eq!(std::fs::read_to_string(out.join("briefings/b/index.html")).unwrap(), "b");
        assert!(out.join(output::MARKER).is_file());
        let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".briefing-new"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_kept_value_is_computed_again_only_for_new_inputs() {
        let computed = std::cell::Cell::new(0);
        let compute = || {
            computed.set(computed.get() + 1);
            computed.get()
        };
        let mut slot = None;
        assert_eq!(kept(Some(&mut slot), || 1, compute), 1);
        assert_eq!(kept(Some(&mut slot), || 1, compute), 1, "same inputs: kept");
        assert_eq!(kept(Some(&mut slot), || 2, compute), 2, "new inputs: computed");
        assert_eq!(kept(None, || 2, compute), 3, "no memo: always computed");
    }

    #[test]
    fn kept_texts_are_read_again_when_named_or_stamped_anew() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("briefings/a.md");
        let abs = dir.path().join(rel);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(&abs, "first").unwrap();
        let source = SourceFile { kind: crate::source::Kind::Briefing, slug: "a".into(), path: rel.into(), bundle: None, text: "first".into() };
        let mut kept = KeptTexts::default();
        kept.keep(&[source], &[FileStamp::of(&abs)]);
        kept.expect(dir.path(), &[dir.path().join("briefings/other.md")]);
        assert_eq!(kept.reuse(rel, FileStamp::of(&abs)).as_deref(), Some("first"), "unchanged and not named");
        kept.expect(dir.path(), &[PathBuf::from("briefings")]);
        assert_eq!(kept.reuse(rel, FileStamp::of(&abs)), None, "its folder was named");
        kept.expect(dir.path(), &[PathBuf::from("themes/t.md")]);
        std::fs::write(&abs, "second, longer").unwrap();
        assert_eq!(kept.reuse(rel, FileStamp::of(&abs)), None, "its size changed");
        kept.expect(dir.path(), &[]);
        assert_eq!(kept.reuse(rel, FileStamp::of(&abs)), None, "no names: anything may have changed");
    }

    #[test]
    fn the_cache_reparses_only_what_changed() {
        fn count(_: &SourceFile, _: &Config) -> ParseResult {
            (None, Vec::new())
        }
        let source = |path: &str, text: &str| SourceFile {
            kind: crate::source::Kind::Theme,
            slug: "t".into(),
            path: PathBuf::from(path),
            bundle: None,
            text: text.into(),
        };
        let config = Config::default();
        let mut cache = ParseCache::default();
        cache.parse(&[source("themes/a.md", "a"), source("themes/b.md", "b")], &config, count);
        assert_eq!(cache.changes().parsed, 2);
        cache.parse(&[source("themes/a.md", "a2"), source("themes/c.md", "c")], &config, count);
        let changes = cache.changes();
        assert_eq!(changes.changed, [PathBuf::from("themes/a.md")]);
        assert_eq!(changes.added, [PathBuf::from("themes/c.md")]);
        assert_eq!(changes.removed, [PathBuf::from("themes/b.md")]);
        assert_eq!(changes.parsed, 2);
        cache.parse(&[source("themes/a.md", "a2"), source("themes/c.md", "c")], &config, count);
        assert_eq!(cache.changes(), &SourceChanges::default());
    }
}
