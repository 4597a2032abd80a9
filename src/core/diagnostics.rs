//! Errors and warnings about a site's sources: what is wrong, where (file, line, column, the
//! line itself) and what to do about it. Every stage reports through these plain values; only
//! the command line decides how to show them.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use rayon::slice::ParallelSliceMut;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// How bad a problem is: errors stop a build, warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice on writing, listed by `check`.
    Note,
    /// Something to fix; the build goes on.
    Warning,
    /// Something broken; nothing is written.
    Error,
}

/// The place in a source file that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters to mark (at least one).
    pub len: usize,
    /// The source line, without its line ending. A very long line (a pasted blob of text) is
    /// cut to the part around the span, so that messages and memory stay small.
    pub source_line: String,
    /// The column at which `source_line` starts: 1, unless a long line was cut.
    pub source_column: usize,
}

/// How much of a long line a span keeps before the marked text, in bytes (and twice that
/// after its start): messages show no more than a terminal's width of a line anyway.
const LINE_CONTEXT: usize = 100;

impl Span {
    /// The span of byte range `range` within `text` (clamped to the line it starts on).
    pub fn locate(text: &str, range: Range<usize>) -> Span {
        let line_start = text[..range.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        Span { line: text[..line_start].matches('\n').count() + 1, ..Span::locate_in_line(text, range) }
    }

    /// Like `locate`, but leaves `line` at 0 for the caller to fill in.
    fn locate_in_line(text: &str, range: Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        Span::within_line(text, line_start, start..range.end)
    }

    /// The span of `range` on the line that starts at byte `line_start`, with `line` left at 0.
    fn within_line(text: &str, line_start: usize, range: Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.clamp(line_start, text.len()));
        let column = text[line_start..start].chars().count() + 1;
        Span::at_column(text, line_start, column, range)
    }

    /// Like `within_line`, when the 1-based `column` of `range.start` is known: costs a bounded
    /// window, however long the line is.
    fn at_column(text: &str, line_start: usize, column: usize, range: Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.clamp(line_start, text.len()));
        let window_end = floor_char_boundary(text, (start + LINE_CONTEXT * 2).min(text.len()));
        let line_end = text[start..window_end].find('\n').map_or(window_end, |i| start + i);
        let end = floor_char_boundary(text, range.end.clamp(start, line_end));
        let window_start = ceil_char_boundary(text, start.saturating_sub(LINE_CONTEXT).max(line_start));
        Span {
            line: 0,
            column,
            len: text[start..end].chars().count().max(1),
            source_line: text[window_start..line_end].trim_end_matches('\r').to_string(),
            source_column: column - text[window_start..start].chars().count(),
        }
    }

    /// The span of a whole 1-based line of `text`.
    pub fn line(text: &str, line: usize) -> Span {
        let start = line_offset(text, line);
        let len = text[start..].find('\n').unwrap_or(text.len() - start);
        Span::locate(text, start..start + len)
    }
}

/// Byte offset where 1-based `line` begins (the end of the text when there are fewer lines).
pub fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
}

/// Finds spans for offsets that mostly come in increasing order, counting lines only once:
/// a parse that reports many positions stays linear in the size of the file. Going back costs
/// the distance gone back, never a fresh count from the start.
pub struct LineCursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    /// Where the line holding `pos` starts, and the characters from there to `pos`.
    line_start: usize,
    chars_in: usize,
}

impl<'a> LineCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        LineCursor { text, pos: 0, line: 1, line_start: 0, chars_in: 0 }
    }

    /// The 1-based line of byte `offset`.
    pub fn line(&mut self, offset: usize) -> usize {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let bytes = self.text.as_bytes();
        if offset >= self.pos {
            let skipped = &bytes[self.pos..offset];
            match skipped.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    self.line += skipped.iter().filter(|&&b| b == b'\n').count();
                    self.line_start = self.pos + last + 1;
                    self.chars_in = self.text[self.line_start..offset].chars().count();
                }
                None => self.chars_in += self.text[self.pos..offset].chars().count(),
            }
        } else if offset >= self.line_start {
            self.chars_in -= self.text[offset..self.pos].chars().count();
        } else {
            self.line -= bytes[offset..self.pos].iter().filter(|&&b| b == b'\n').count();
            self.line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            self.chars_in = self.text[self.line_start..offset].chars().count();
        }
        self.pos = offset;
        self.line
    }

    /// The span of byte range `range` of the text.
    pub fn span(&mut self, range: Range<usize>) -> Span {
        let line = self.line(range.start);
        Span { line, ..Span::at_column(self.text, self.line_start, self.chars_in + 1, range) }
    }
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem. Behind a pointer, so that the many `Result<_, Diagnostic>` of the stages stay
/// small; shared (changed only through a copy of its own), so that the diagnostics `watch`
/// keeps with each briefing's analysis are handed to every rebuild without copying them: a
/// large site has tens of thousands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic(Arc<Details>);

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// What a `Diagnostic` says; read its fields through the diagnostic (`d.code`, `d.span`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Details {
    /// How bad it is.
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem (for JSON output and allow lists).
    pub code: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// Where in the file, when it is about a place in it.
    pub span: Option<Span>,
    /// What to do about it.
    pub help: Option<String>,
    /// How many more like it (same file, code and severity, later in the file) were left out
    /// where they were found: set on the first that a report sums up rather than shows (the
    /// one after `MAX_PER_FILE_AND_CODE`), which then stands for them all.
    #[serde(skip)]
    pub more: usize,
}

impl std::ops::Deref for Diagnostic {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut Details {
        Arc::make_mut(&mut self.0)
    }
}

impl Diagnostic {
    /// A problem of any severity.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic(Arc::new(Details { severity, code, message: message.into(), file: None, span: None, help: None, more: 0 }))
    }

    /// An error: something broken, which stops the build.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning: something to fix, which does not stop the build.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// About `file` (relative to the site root where possible).
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at byte range `range` of `text`, the contents of the file.
    pub fn at(mut self, text: &str, range: Range<usize>) -> Self {
        self.span = Some(Span::locate(text, range));
        self
    }

    /// At `span` of its file.
    pub fn at_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// What to do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        let mut out = self.file.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
        if let Some(span) = &self.span {
            out.push_str(&format!(":{}:{}", span.line, span.column));
        }
        out
    }

    /// Renders in the style of the Rust compiler, with colour when `styled`.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let path = self.file.as_ref().map(|f| f.display().to_string());
        let mut group = Group::with_title(level.primary_title(&self.message).id(self.code));
        // A long line that was cut: the snippet shows the part kept, after an ellipsis, and
        // the real position goes into the `-->` line, which annotate-snippets would otherwise
        // work out from the cut line.
        let cut = self.span.as_ref().filter(|s| s.source_column > 1 && path.is_some());
        let shown = match (&self.span, cut) {
            (Some(span), Some(_)) => format!("…{}", span.source_line),
            (Some(span), None) => span.source_line.clone(),
            _ => String::new(),
        };
        match (&self.span, &path) {
            (Some(span), Some(path)) => {
                let skip = span.column.saturating_sub(span.source_column) + usize::from(cut.is_some());
                let start: usize = shown.chars().take(skip).map(char::len_utf8).sum();
                let len: usize = shown[start..].chars().take(span.len).map(char::len_utf8).sum();
                let snippet = Snippet::source(shown.as_str())
                    .line_start(span.line)
                    .annotation(AnnotationKind::Primary.span(start..start + len));
                group = group.element(if cut.is_some() { snippet } else { snippet.path(path.as_str()) });
            }
            (None, Some(path)) => group = group.element(Origin::path(path.as_str())),
            _ => {}
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        let out = renderer.render(&[group]).to_string();
        match (cut, &path) {
            (Some(span), Some(path)) => with_location(&out, path, span, styled),
            _ => out,
        }
    }
}

/// `rendered` with a `--> file:line:column` line after its title, as annotate-snippets draws it.
fn with_location(rendered: &str, path: &str, span: &Span, styled: bool) -> String {
    let (title, rest) = rendered.split_once('\n').unwrap_or((rendered, ""));
    let indent = " ".repeat(span.line.to_string().len());
    let style = annotate_snippets::renderer::DEFAULT_LINE_NUM_STYLE;
    let arrow = if styled { format!("{}-->{}", style.render(), style.render_reset()) } else { "-->".to_string() };
    format!("{title}\n{indent}{arrow} {path}:{}:{}\n{rest}", span.line, span.column)
}

/// One diagnostic as a line of JSON (`--format json`), for editors and CI. Fields are always
/// present; those that do not apply are `null`. Lines and columns are 1-based, columns count
/// characters; `end_column` is one past the last marked character.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_column: Option<usize>,
    source_line: Option<&'a str>,
    help: Option<&'a str>,
}

impl Diagnostic {
    /// One line of JSON (without the newline); see `JsonDiagnostic`.
    pub fn to_json(&self) -> String {
        let span = self.span.as_ref();
        let json = JsonDiagnostic {
            kind: "diagnostic",
            severity: self.severity,
            code: self.code,
            message: &self.message,
            file: self.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            end_column: span.map(|s| s.column + s.len),
            source_line: span.map(|s| s.source_line.as_str()),
            help: self.help.as_deref(),
        };
        serde_json::to_string(&json).expect("a diagnostic always serialises")
    }
}

/// How many diagnostics of one kind a file reports before the rest are summed up in one line:
/// a pasted blob with ten thousand bare links needs one message, not ten thousand.
pub const MAX_PER_FILE_AND_CODE: usize = 20;

/// Warnings and notes that a site or a briefing has switched off (`allow` lists). Errors are
/// never switched off: they mean the input is broken.
#[derive(Debug, Default, Clone)]
struct AllowRules {
    /// From site.toml: everywhere.
    site: Vec<String>,
    /// From a briefing's front matter: its file, or its whole bundle folder.
    places: Vec<(PathBuf, Vec<String>)>,
}

impl AllowRules {
    fn permits(&self, d: &Diagnostic) -> bool {
        if d.is_error() {
            return true;
        }
        let allowed = |codes: &[String]| codes.iter().any(|c| c == d.code);
        if allowed(&self.site) {
            return false;
        }
        let Some(file) = &d.file else { return true };
        !self.places.iter().any(|(place, codes)| file.starts_with(place) && allowed(codes))
    }
}

/// All the diagnostics of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    allow: AllowRules,
}

impl Diagnostics {
    /// An empty collection with nothing switched off.
    pub fn new() -> Self {
        Self::default()
    }

    /// Switches off warnings and notes with these codes everywhere (site.toml's `[check] allow`),
    /// including those already reported.
    pub fn allow_everywhere(&mut self, codes: &[String]) {
        self.allow.site.extend(codes.iter().cloned());
        self.reapply();
    }

    /// Switches off warnings and notes with these codes in `place`: a file, or a folder and
    /// everything in it (a briefing's `allow` list), including those already reported.
    pub fn allow_in(&mut self, place: &Path, codes: &[String]) {
        if !codes.is_empty() {
            self.allow.places.push((place.to_path_buf(), codes.to_vec()));
            self.reapply();
        }
    }

    fn reapply(&mut self) {
        let allow = &self.allow;
        self.items.retain(|d| allow.permits(d));
    }

    /// Adds `d`, unless an allow list switched its code off where it is.
    pub fn push(&mut self, d: Diagnostic) {
        if self.allow.permits(&d) {
            self.items.push(d);
        }
    }

    /// Adds each of `ds` (see `push`).
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// Whether any error was reported.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many of `severity` were reported.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then line and column, so that parallel stages report deterministically;
    /// past `MAX_PER_FILE_AND_CODE` of one code in one file, the rest become one summary line.
    pub fn sorted(self) -> Vec<Diagnostic> {
        let ranks = file_ranks(&self.items);
        // Sorted by keys beside the diagnostics, which are looked into only for a tie: a large
        // site has tens of thousands, and comparing them where they lie missed the cache.
        // The position breaks the last ties, so the order is as a stable sort's.
        type Key = (usize, Option<(usize, usize)>, Severity, usize);
        let mut keys: Vec<Key> =
            self.items.iter().zip(ranks).enumerate().map(|(i, (d, rank))| (rank, d.span.as_ref().map(|s| (s.line, s.column)), d.severity, i)).collect();
        let messages = |a: usize, b: usize| self.items[a].message.cmp(&self.items[b].message);
        keys.par_sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| messages(a.3, b.3)).then(a.3.cmp(&b.3)));
        let mut slots: Vec<Option<Diagnostic>> = self.items.into_iter().map(Some).collect();
        let mut items: Vec<(usize, Diagnostic)> = keys.into_iter().map(|(rank, _, _, i)| (rank, slots[i].take().expect("each once"))).collect();
        items.dedup_by(|a, b| a.1 == b.1);
        cap_repeats(items)
    }

    /// The diagnostics so far, in the order reported.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The rank of each diagnostic's file among the files of `items` in order. Paths compare and
/// hash component by component, slow over the tens of thousands of notes of a large site,
/// sorted on every rebuild `watch` makes: each file is ranked once, found again by its bytes.
fn file_ranks(items: &[Diagnostic]) -> Vec<usize> {
    let mut seen: FxHashMap<Option<&[u8]>, usize> = FxHashMap::default();
    let mut files: Vec<&Option<PathBuf>> = Vec::new();
    let mut last: Option<(Option<&[u8]>, usize)> = None;
    let mut found = Vec::with_capacity(items.len());
    for d in items {
        let bytes = d.file.as_ref().map(|p| p.as_os_str().as_encoded_bytes());
        // A file's diagnostics mostly come one after another: the last one is asked first.
        let at = match last {
            Some((file, at)) if file == bytes => at,
            _ => *seen.entry(bytes).or_insert_with(|| {
                files.push(&d.file);
                files.len() - 1
            }),
        };
        last = Some((bytes, at));
        found.push(at);
    }
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[a].cmp(files[b]));
    let mut rank = vec![0; files.len()];
    for (i, &file) in order.iter().enumerate() {
        rank[file] = i;
    }
    found.into_iter().map(|at| rank[at]).collect()
}

/// `items` (each with its file's rank), with at most `MAX_PER_FILE_AND_CODE` of one code in one
/// file and a summary line for the rest.
fn cap_repeats(items: Vec<(usize, Diagnostic)>) -> Vec<Diagnostic> {
    type Key = (usize, &'static str, Severity);
    let mut seen: FxHashMap<Key, (usize, Option<usize>)> = FxHashMap::default();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(items.len());
    for (file, d) in items {
        let (count, summary_at) = seen.entry((file, d.code, d.severity)).or_default();
        *count += 1 + d.more;
        if *count <= MAX_PER_FILE_AND_CODE {
            out.push(d);
        } else if summary_at.is_none() {
            // Stands where the first hidden one would have, and is worded once the count is known.
            *summary_at = Some(out.len());
            let mut summary = d;
            summary.span = None;
            out.push(summary);
        }
    }
    for (count, summary_at) in seen.into_values() {
        if let Some(i) = summary_at {
            out[i].message = format!("and {} more like this in this file", count - MAX_PER_FILE_AND_CODE);
        }
    }
    out
}

/// Whether a report shows in full the diagnostic that comes `nth` (from 0, in the order of the
/// file) among those of one code in one file: the rest are summed up in one line (see
/// `MAX_PER_FILE_AND_CODE`), so a costly suggestion is searched for only when this is true.
/// Searched for every broken link, it made a page of N broken links cost N².
pub fn shown_in_full(nth: usize) -> bool {
    nth < MAX_PER_FILE_AND_CODE
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(&word.to_lowercase(), c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
