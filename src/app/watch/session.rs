//! A site being watched: each rebuild reads and parses only what changed, renders only the
//! pages whose context changed, and writes only the files whose bytes changed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::core::hash;
use crate::core::paths::{is_ignored_name, CONFIG_FILE, TEMPLATES_DIR};
use crate::core::text::plural;
use crate::pipeline::{self, BuildOptions, Kept, PrepareOptions, Rendered, SourceCache, SourceChanges, Status, Then};
use crate::write::{self, OutputLock, UpdateError, WriteStats, Written};

/// A site being watched: what the last rebuild parsed and wrote.
pub struct Session {
    options: BuildOptions,
    output: PathBuf,
    /// What the last rebuilds worked out; `kept.pages` matches what `written` records.
    kept: Kept,
    /// What is in the output folder, as far as this session knows; `None` until the first
    /// good build, and after a write failed part-way.
    written: Option<Written>,
    /// A hash of site.toml, of each file in templates/ and of the logo and print font, to say
    /// which of them changed.
    settings: BTreeMap<PathBuf, u128>,
    /// The files site.toml names (the logo, the print font), there or not yet.
    named: Vec<PathBuf>,
    /// The last rebuild's warnings and notes (see `news_key`), to tell which are news.
    warnings: HashSet<u128>,
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
    /// The first build of the session.
    pub first: bool,
    /// How the rebuild ended.
    pub status: Status,
    /// Errors and warnings, sorted; printed above the report line.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings are the same as the last rebuild's: not worth printing again.
    pub warnings_repeated: bool,
    /// The warnings and notes that the last rebuild did not have (all of them on the first):
    /// a save in a site with thousands of warnings prints the ones it caused, not all again.
    pub new_warnings: Vec<Diagnostic>,
    /// What changed, as "briefings/child-3.md changed".
    pub changes: Vec<String>,
    /// Which sources were added, changed or removed.
    pub sources: SourceChanges,
    /// Briefings in the site as rebuilt.
    pub briefings: usize,
    /// Themes in the site as rebuilt.
    pub themes: usize,
    /// HTML pages in the site as rebuilt.
    pub pages: usize,
    /// The pages rendered again, sorted (the others were left as they were: nothing they
    /// show changed).
    pub rendered: Vec<String>,
    /// What was written to the output folder.
    pub write: WriteStats,
    /// A rebuild that failed left the output folder as the last good rebuild wrote it (always
    /// so for errors in the sources; for a failed write, when no file had been put in place).
    pub left_as_it_was: bool,
    /// The output folder.
    pub output: PathBuf,
    /// How long the rebuild took.
    pub elapsed: Duration,
}

impl Session {
    /// A session for the site `options` names; refuses an output folder that a build must not
    /// replace (see `write::check_target`).
    pub fn new(options: BuildOptions) -> Result<Session, Diagnostic> {
        let output = options.output_dir();
        write::check_target(&options.root, &output)?;
        Ok(Session { options, output, kept: Kept::default(), written: None, settings: BTreeMap::new(), named: Vec::new(), warnings: HashSet::new(), builds: 0, good_builds: 0 })
    }

    /// What the session builds.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The files site.toml names (the logo, the print font) as the last rebuild read it,
    /// relative to the root, whether they are there yet or not: a change to one changes the
    /// site.
    pub fn site_files(&self) -> Vec<PathBuf> {
        self.named.clone()
    }

    /// The output folder it writes.
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
        // PDFs and the search index take longer than pages: once there is a site to update,
        // write the pages first (showing each changed briefing's last PDFs and the last search
        // index), then make and write the new PDFs, then the new index.
        let defer = self.written.is_some();
        let good_before = self.good_builds;
        let (mut report, mut found, mut rendered) = self.pass(hints, How::Fresh { defer });
        let deferred = self.kept.handouts.take_deferred();
        let then = (!deferred.is_empty()).then_some(Then::Downloads(deferred)).into_iter().chain([Then::Index]);
        for then in then.filter(|_| defer) {
            // A pass that found the output folder replaced rendered the site whole: nothing is
            // left to make.
            let Some(before) = rendered.take().filter(|r| report.status == Status::Ok && r.deferred()) else { break };
            let (next, found_next, after) = self.pass(hints, How::Finish(Box::new(before), then));
            (rendered, found) = (after, found_next);
            report = report.followed_by(next);
            // One save is one good rebuild, however many passes wrote it.
            self.good_builds = self.good_builds.min(good_before + 1);
            report.good_build = self.good_builds;
        }
        // Freeing a model of a thousand briefings takes milliseconds that the report, and the
        // next save, need not wait for.
        if let Some(rendered) = rendered {
            rayon::spawn(move || drop(rendered));
        }
        // What the last pass found (each pass finds all of it again), sorted once the files
        // are written: a site with thousands of warnings took milliseconds a pass, which the
        // pages and PDFs need not wait for. Then what writing found.
        let wrote = std::mem::take(&mut report.diagnostics);
        report.diagnostics = found.sorted();
        report.diagnostics.extend(wrote);
        let keyed: Vec<(u128, &Diagnostic)> = report.diagnostics.iter().filter(|d| d.severity != Severity::Error).map(|d| (news_key(d), d)).collect();
        let new_warnings = keyed.iter().filter(|(key, _)| !self.warnings.contains(key)).map(|(_, d)| (*d).clone()).collect();
        let warnings: HashSet<u128> = keyed.into_iter().map(|(key, _)| key).collect();
        report.new_warnings = new_warnings;
        report.warnings_repeated = !report.first && !warnings.is_empty() && report.new_warnings.is_empty() && warnings.len() == self.warnings.len();
        self.warnings = warnings;
        report.elapsed = started.elapsed();
        report
    }

    /// One rebuild: prepare (see `How`), write, report. Gives back what loading and rendering
    /// found (unsorted: see `rebuild`) apart from the report, which holds only what writing
    /// found, and what it rendered, for a pass that finishes it.
    fn pass(&mut self, hints: &[PathBuf], how: How) -> (RebuildReport, Diagnostics, Option<Rendered>) {
        // Another build (in another terminal, an editor's task) may have replaced the output
        // folder since, or someone deleted it: then this session's record of it is wrong, so
        // write it whole, and so render every page.
        if !self.written.as_ref().is_some_and(|w| w.is_current(&self.output)) {
            self.written = None;
        }
        if self.written.is_none() {
            self.kept.pages.clear();
        }
        let root = self.options.root.clone();
        let defer = matches!(how, How::Fresh { defer: true });
        let prepare = PrepareOptions { root: &root, drafts: self.options.drafts, pdf: self.options.pdf, cache: self.options.cache, defer };
        // A pass that makes only what the pass before left (PDFs, the search index) cannot
        // write a folder whole: then the site is rendered again whole.
        let finished = match how {
            How::Finish(rendered, then) if self.written.is_some() => pipeline::finish(*rendered, &self.kept, &then),
            _ => None,
        };
        // A pass that finishes handouts reads nothing again: the changes are the first pass's.
        let fresh = finished.is_none();
        let (mut rendered, diags) = finished.unwrap_or_else(|| {
            self.kept.sources.expect(&self.options.root, hints);
            pipeline::prepare(prepare, Some(&mut self.kept))
        });
        let mut report = RebuildReport {
            build: self.builds,
            good_build: self.good_builds,
            first: self.builds == 1,
            status: Status::ContentErrors,
            diagnostics: Vec::new(),
            warnings_repeated: false,
            new_warnings: Vec::new(),
            changes: Vec::new(),
            sources: if fresh { self.kept.sources.changes().clone() } else { SourceChanges::default() },
            briefings: 0,
            themes: 0,
            pages: 0,
            rendered: Vec::new(),
            write: WriteStats::default(),
            left_as_it_was: true,
            output: self.output.clone(),
            elapsed: Duration::ZERO,
        };
        if fresh {
            self.named = named_files(&self.options.root);
            let settings = settings_files(&self.options.root, &self.named);
            report.changes = describe(&self.options.root, &self.kept.sources, &self.settings, &settings, hints);
            self.settings = settings;
        }
        let mut wrote = rendered.as_ref().map(|r| self.write(r));
        if let Some(Err(Failure::Replaced)) = wrote {
            // Another build replaced the folder while this rebuild rendered only the pages that
            // changed: render every page (no source is parsed again) and write the folder whole.
            self.kept.pages.clear();
            rendered = pipeline::prepare(prepare, Some(&mut self.kept)).0;
            wrote = rendered.as_ref().map(|r| self.write(r));
        }
        let (Some(mut rendered), Some(wrote)) = (rendered, wrote) else { return (report, diags, None) };
        report.briefings = rendered.stats.briefings;
        report.themes = rendered.stats.themes;
        report.pages = rendered.stats.pages;
        report.rendered = rendered.files.iter().filter(|f| f.path.ends_with(".html")).map(|f| f.path.clone()).collect();
        report.rendered.sort();
        match wrote {
            Ok(stats) => {
                self.kept.wrote(&mut rendered);
                report.status = Status::Ok;
                if !stats.written.is_empty() || !stats.removed.is_empty() {
                    self.good_builds += 1;
                }
                report.good_build = self.good_builds;
                report.diagnostics.extend(stats.warnings.iter().cloned());
                report.write = stats;
            }
            Err(failure) => {
                self.kept.pages.clear();
                report.status = Status::IoError;
                let (d, untouched) = match failure {
                    Failure::Io(d, untouched) => (d, untouched),
                    Failure::Replaced => (replaced_twice(&self.output), false),
                };
                report.left_as_it_was = untouched;
                report.diagnostics.push(d);
            }
        }
        (report, diags, Some(rendered))
    }

    /// Writes a rebuild, holding the output folder's lock while it does (a `build` into the
    /// same folder waits meanwhile, and this waits for one). Updates the folder in place when
    /// it is still the one this session last wrote; else replaces it whole, which needs every
    /// page (`Failure::Replaced` when only some were rendered).
    fn write(&mut self, rendered: &Rendered) -> Result<WriteStats, Failure> {
        const KEPT: &str = "it was left as it was; the next save tries again";
        let failed = |e: &std::io::Error, then: &str| write::write_failed(&self.output, e, then);
        let mut lock = OutputLock::acquire(&self.output).map_err(|e| Failure::Io(failed(&e, KEPT), true))?;
        match self.written.take() {
            Some(mut written) if written.is_current(&self.output) => match written.update(&lock, &rendered.files, &rendered.paths, &rendered.copies) {
                Ok(stats) => {
                    self.written = Some(written);
                    Ok(stats)
                }
                Err(UpdateError { error, untouched: true }) => {
                    let d = failed(&error, KEPT);
                    self.written = Some(written);
                    Err(Failure::Io(d, true))
                }
                Err(UpdateError { error, .. }) => Err(Failure::Io(failed(&error, "some of its pages may be out of date; the next save writes it whole again"), false)),
            },
            // Replaced or deleted since this rebuild began.
            Some(_) if rendered.files.len() < rendered.paths.len() => Err(Failure::Replaced),
            _ => {
                write::check_target(&self.options.root, &self.output).map_err(|d| Failure::Io(d, true))?;
                let (written, stats) = Written::write_all(&mut lock, &rendered.files, &rendered.copies).map_err(|e| Failure::Io(failed(&e, KEPT), true))?;
                self.written = Some(written);
                Ok(stats)
            }
        }
    }
}

/// How a pass gets the site it writes.
enum How {
    /// Reads what changed and renders what that reached; with `defer`, typesets no new
    /// handout and keeps the last search index (the pages are written first, the PDFs and
    /// then the index by passes right after).
    Fresh { defer: bool },
    /// Renders again the site of the pass before, typesetting the handouts it deferred or
    /// making its search index.
    Finish(Box<Rendered>, Then),
}

/// Why writing a rebuild failed.
enum Failure {
    /// The output folder was replaced (or deleted) after this rebuild began, which rendered
    /// only the pages that changed: not enough to write the folder whole.
    Replaced,
    /// Writing failed: what to report, and whether the folder was left as it was.
    Io(Diagnostic, bool),
}

/// The error when the output folder was replaced under a rebuild twice in a row.
fn replaced_twice(output: &Path) -> Diagnostic {
    Diagnostic::error("write-failed", format!("{} was replaced by another build while this rebuild was writing it", output.display()))
        .help("it holds that build's site; the next save writes it whole again")
}

/// The files site.toml names: the logo and the print font (none when it cannot be read).
fn named_files(root: &Path) -> Vec<PathBuf> {
    crate::config::load(root).ok().into_iter().flat_map(|c| [c.logo, c.print_font]).flatten().map(PathBuf::from).collect()
}

/// site.toml, the files in templates/ and the `named` files, each that can be read with a
/// hash of its bytes.
fn settings_files(root: &Path, named: &[PathBuf]) -> BTreeMap<PathBuf, u128> {
    let templates = std::fs::read_dir(root.join(TEMPLATES_DIR)).into_iter().flatten().flatten();
    let paths = templates.filter(|e| !is_ignored_name(&e.file_name().to_string_lossy())).map(|e| e.path());
    std::iter::once(root.join(CONFIG_FILE))
        .chain(paths)
        .chain(named.iter().map(|rel| root.join(rel)))
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.strip_prefix(root).unwrap_or(&p).to_path_buf(), hash::of(&bytes)))
        })
        .collect()
}

/// "briefings/a.md changed", "themes/b.md added", "site.toml changed", "briefings/c/chart.png
/// saved": sources as the parse cache saw them, settings and templates by their hashes, and
/// any other file that events named (attachments).
fn describe(
    root: &Path,
    cache: &SourceCache,
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
            || settings.contains_key(hint)
            || old_settings.contains_key(hint)
            || hint.starts_with(TEMPLATES_DIR)
            || root.join(hint).is_dir();
        if !told {
            out.push(format!("{} {}", show(hint), if root.join(hint).exists() { "saved" } else { "removed" }));
        }
    }
    out
}

impl RebuildReport {
    /// A rebuild whose pages this one wrote and whose PDFs `then` wrote: the diagnostics, the
    /// site and the outcome are `then`'s; what changed, was rendered and was written is both.
    fn followed_by(self, then: RebuildReport) -> RebuildReport {
        let union = |mut a: Vec<String>, b: Vec<String>| {
            a.extend(b);
            a.sort();
            a.dedup();
            a
        };
        let write = WriteStats {
            written: union(self.write.written, then.write.written),
            removed: union(self.write.removed, then.write.removed),
            full: self.write.full || then.write.full,
            warnings: then.write.warnings,
        };
        // A save that landed while the pages were written is read by the second pass: its
        // changes are part of this rebuild too.
        let mut sources = self.sources;
        sources.added.extend(then.sources.added);
        sources.changed.extend(then.sources.changed);
        sources.removed.extend(then.sources.removed);
        sources.parsed += then.sources.parsed;
        RebuildReport { changes: union(self.changes, then.changes), sources, rendered: union(self.rendered, then.rendered), write, ..then }
    }

    /// The one line printed after each rebuild (its diagnostics are printed above it).
    pub fn summary(&self) -> String {
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let mut notes = Vec::new();
        if errors > 0 {
            notes.push(format!("{errors} error{}", plural(errors)));
        }
        if warnings > 0 {
            let new = self.new_warnings.iter().filter(|d| d.severity == Severity::Warning).count();
            let again = match new {
                _ if self.warnings_repeated => ", as before".to_string(),
                0 => String::new(),
                new if self.first || new == warnings => String::new(),
                new => format!(", {new} new"),
            };
            notes.push(format!("{warnings} warning{}{again}", plural(warnings)));
        }
        // At start, advice is counted, not listed: the address and the first save's report
        // stay in view, and `check` lists it all.
        let advice = self.count(Severity::Note);
        if self.first && advice > 0 {
            notes.push(format!("{advice} note{}", plural(advice)));
        }
        if self.first && warnings + advice > 0 {
            if let Some(last) = notes.last_mut() {
                last.push_str(" (`briefing check` lists them)");
            }
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
            Status::IoError if self.left_as_it_was => {
                format!("Rebuild failed in {took} ({what}){notes}: {output} could not be written, and was left as it was. Save again to try again.")
            }
            Status::IoError => format!(
                "Rebuild failed in {took} ({what}){notes}: {output} could not be written, and some of its pages may be out of date. The next save writes it whole again."
            ),
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

fn millis(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// What identifies a warning from one rebuild to the next: what it says and where, but not
/// its line, which moves when text above it changes.
fn news_key(d: &Diagnostic) -> u128 {
    hash::of(&(d.severity, d.code, &d.message, &d.file))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pass after the pages (here the search index's) that finds the output folder replaced
    /// by another build writes the whole site, assets and all, not only what it was to make.
    #[test]
    fn a_later_pass_that_finds_the_folder_replaced_writes_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.toml"), "title = \"T\"\npartnership = \"P\"\n").unwrap();
        std::fs::create_dir_all(root.join("briefings")).unwrap();
        let briefing = |body: &str| format!("+++\ntitle = \"Alpha\"\npublished = 2024-05-01\n+++\n## One\n\n{body}\n");
        std::fs::write(root.join("briefings/alpha.md"), briefing("First words.")).unwrap();
        let mut session = Session::new(BuildOptions { pdf: false, ..BuildOptions::new(root) }).unwrap();
        assert_eq!(session.rebuild(&[]).status, Status::Ok);

        std::fs::write(root.join("briefings/alpha.md"), briefing("Zebrafish words.")).unwrap();
        let (report, found, pages) = session.pass(&[], How::Fresh { defer: true });
        assert_eq!(report.status, Status::Ok, "{:?}", found.sorted());
        std::fs::remove_dir_all(session.output()).unwrap();
        let (report, found, whole) = session.pass(&[], How::Finish(Box::new(pages.expect("rendered")), Then::Index));
        assert_eq!(report.status, Status::Ok, "{:?}", found.sorted());
        assert!(!whole.expect("rendered").deferred(), "rendered whole, it leaves nothing to a pass after it");
        let out = session.output().to_path_buf();
        for file in ["assets/style.css", "briefings/alpha/index.html", "index.html"] {
            assert!(out.join(file).is_file(), "{file} is missing");
        }
        assert!(std::fs::read_to_string(out.join("assets/search-index.js")).unwrap().contains("zebrafish"));
    }
}
