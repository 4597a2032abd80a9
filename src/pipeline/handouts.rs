//! Each briefing's handout (and action plan), typeset by `handout` (Typst, in-process) from
//! the briefing's model and text, as `briefings/<slug>/<slug>.pdf` and
//! `<slug>-action-plan.pdf`. What a sheet shows is made into plain data here; the PDFs are
//! kept in the site's cache folder (see `pdf_cache`) by a hash of that data, so a briefing
//! whose handout shows nothing new is never typeset again, even into an empty output folder.

use std::path::{Path, PathBuf};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::pdf_cache::{Cached, PdfCache};
use crate::config::{Config, Paper};
use crate::core::dates::DateView;
use crate::core::diagnostics::{Diagnostic, Severity};
use crate::core::hash;
use crate::core::paths::{briefing_address, briefing_folder, pack_folder};
use crate::handout::{self, content, ActionPlan, Assets, Block, Handout, HandoutFormat, HandoutSection, ImageResolver, Inline, Logo, LogoKind, PackEntry};
use crate::model::{Bodies, Briefing, Format, Section, Site};
use crate::parse::links::attachment_path;
use crate::render::{Attached, Download, OutputFile};

/// What `watch` keeps of each briefing's handouts between rebuilds, by a hash of everything
/// they are made from (see `Printer::briefing_key`), so that a save typesets only the handouts
/// of the briefing it changed.
#[derive(Default)]
pub struct HandoutMemo {
    kept: Mutex<HashMap<u128, Attached>>,
    used: Mutex<HashSet<u128>>,
    /// The PDFs last made for each briefing and pack, by slug: what a rebuild that writes its
    /// pages before typesetting (`Printer::deferring`) shows until the new ones are made.
    last: Mutex<HashMap<String, Attached>>,
    /// What a deferring rebuild showed last PDFs for that needs new ones.
    deferred: Mutex<Deferred>,
}

/// What a rebuild that deferred typesetting left to make: the slugs of briefings, and
/// `packs/<slug>` for packs.
pub type Deferred = HashSet<String>;

impl HandoutMemo {
    /// What the last deferring rebuild left to typeset (and forgets it).
    pub fn take_deferred(&self) -> Deferred {
        std::mem::take(&mut *self.deferred.lock().expect("no thread panics holding it"))
    }

    /// Forgets the handouts the last rebuild did not use.
    pub(super) fn prune(&self) {
        let used = std::mem::take(&mut *self.used.lock().expect("no thread panics holding it"));
        self.kept.lock().expect("no thread panics holding it").retain(|key, _| used.contains(key));
    }
}

/// What a printer with a memo does for a briefing or pack whose PDFs the memo does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Typesets them.
    Typeset,
    /// Gives the last ones made for it and records it (`HandoutMemo::take_deferred`): `watch`
    /// writes the pages first, the new PDFs right after.
    Defer,
    /// Gives the last ones made for it: they are the newest (the pass after the PDFs were
    /// made, for the search index).
    Last,
}

/// Typesets the handouts of one site.
pub(crate) struct Printer<'a> {
    site: &'a Site,
    /// The site folder, for bundle images (none for a site built in memory).
    root: Option<&'a Path>,
    logo: Option<Logo>,
    font: Option<Arc<[u8]>>,
    cache: Option<PdfCache>,
    /// A hash of what every PDF depends on besides its own data: the engine, the paper, the
    /// logo and the font.
    settings: u128,
    memo: Option<&'a HandoutMemo>,
    /// What to do where the memo has no PDFs for what a briefing or pack now shows.
    missing: Missing,
    /// Each briefing's index by slug, for the images a handout asks for by slug.
    by_slug: HashMap<&'a str, usize>,
}

impl<'a> Printer<'a> {
    /// A printer for `site` at `root`, with `logo` as the site publishes it and `font` (site.toml's
    /// `print_font`), both read and checked when the site was loaded; with `cache`, PDFs are kept
    /// in `root/.briefing-cache/`.
    pub fn new(site: &'a Site, root: Option<&'a Path>, logo: Option<&[u8]>, font: Option<Arc<[u8]>>, cache: bool, memo: Option<&'a HandoutMemo>) -> Result<Printer<'a>, Vec<Diagnostic>> {
        let config = &site.config;
        let logo = logo.map(|bytes| {
            let png = config.logo.as_deref().is_some_and(|l| l.to_ascii_lowercase().ends_with(".png"));
            Logo {
                kind: if png { LogoKind::Png } else { LogoKind::Svg },
                alt: config.logo_alt.clone().unwrap_or_else(|| config.partnership.clone()),
                bytes: if png { handout::logo_for_print(bytes.to_vec()) } else { bytes.to_vec() },
            }
        });
        let settings = hash::of(&(handout::ENGINE, config.paper == Paper::A4, logo.as_ref().map(|l| (&l.bytes, &l.alt)), &font));
        let cache = root.filter(|_| cache).map(PdfCache::open).transpose().map_err(|d| vec![d])?;
        let by_slug = site.briefings.iter().enumerate().map(|(i, b)| (b.slug.as_str(), i)).collect();
        Ok(Printer { site, root, logo, font, cache, settings, memo, by_slug, missing: Missing::Typeset })
    }

    /// This printer, doing `missing` where the memo has no PDFs for what a briefing or pack now
    /// shows; only with a memo (without one, it typesets).
    pub fn when_missing(self, missing: Missing) -> Printer<'a> {
        let missing = if self.memo.is_some() { missing } else { Missing::Typeset };
        Printer { missing, ..self }
    }

    /// Records that `name` (a briefing's slug, `packs/<slug>`) needs new PDFs, when this
    /// printer defers them (see `HandoutMemo::take_deferred`).
    fn defer(&self, memo: &HandoutMemo, name: &str) {
        if self.missing == Missing::Defer {
            memo.deferred.lock().expect("no thread panics holding it").insert(name.to_string());
        }
    }

    /// The PDFs of briefing `i`, whose text is `bodies`: kept from the last rebuild when
    /// nothing they are made from changed.
    pub fn briefing(&self, i: usize, bodies: &Bodies) -> Result<Attached, Diagnostic> {
        let Some(memo) = self.memo else { return self.make_briefing(i, bodies) };
        let key = self.briefing_key(i);
        memo.used.lock().expect("no thread panics holding it").insert(key);
        let slug = &self.site.briefings[i].slug;
        if let Some(kept) = memo.kept.lock().expect("no thread panics holding it").get(&key) {
            return Ok(kept.clone());
        }
        if self.missing != Missing::Typeset {
            self.defer(memo, slug);
            return Ok(memo.last.lock().expect("no thread panics holding it").get(slug).cloned().unwrap_or_default());
        }
        let made = self.make_briefing(i, bodies)?;
        memo.kept.lock().expect("no thread panics holding it").insert(key, made.clone());
        memo.last.lock().expect("no thread panics holding it").insert(slug.clone(), made.clone());
        Ok(made)
    }

    /// A hash of everything briefing `i`'s handouts are made from: its source and the
    /// settings (its fingerprint), the titles of its themes, the files of its bundle, and
    /// what every PDF depends on.
    fn briefing_key(&self, i: usize) -> u128 {
        let b = &self.site.briefings[i];
        let themes: Vec<&str> = b.themes.iter().map(|slug| self.site.theme(slug).map_or(slug.as_str(), |t| t.title.as_str())).collect();
        hash::of(&(self.settings, b.fingerprint, themes, self.image_hashes(b)))
    }

    fn make_briefing(&self, i: usize, bodies: &Bodies) -> Result<Attached, Diagnostic> {
        let b = &self.site.briefings[i];
        let mut printed = Attached::default();
        let images = |slug: &str, path: &str| self.image(slug, path);
        let sheet = handout_of(self.site, i, bodies);
        let done = self.typeset(&b.source, self.key(b, &sheet), || handout::handout_pdf(&sheet, &self.assets(&images)))?;
        printed.diagnostics.extend(cut_short(&b.source, "handout", &handout::cut_short(&sheet)));
        // Sections the front matter's `print` does not choose are left out on purpose.
        let chosen = |title: &String| b.print.is_empty() || b.sections.iter().any(|s| &sheet_title(s) == title && b.print.contains(&s.anchor));
        let missed: Vec<String> = done.left_out.iter().filter(|t| chosen(t)).cloned().collect();
        if !missed.is_empty() {
            printed.diagnostics.push(left_out(b, &missed, &self.site.config));
        }
        report(&mut printed, b, "handout", &done);
        printed.diagnostics.extend(unprintable(b, bodies, "handout", &done.unprintable));
        self.add(&mut printed, b, "handout", format!("{}.pdf", b.slug), done);
        if b.action_plan {
            let plan = action_plan_of(self.site, i, bodies);
            let done = self.typeset(&b.source, self.key(b, &plan), || handout::action_plan_pdf(&plan, &self.assets(&images)))?;
            printed.diagnostics.extend(cut_short(&b.source, "action plan", &handout::plan_cut_short(&plan)));
            if !done.left_out.is_empty() {
                printed.diagnostics.push(questions_left_out(b, &done.left_out));
            }
            report(&mut printed, b, "action plan", &done);
            printed.diagnostics.extend(unprintable(b, bodies, "action plan", &done.unprintable));
            self.add(&mut printed, b, "action plan", format!("{}-action-plan.pdf", b.slug), done);
        }
        Ok(printed)
    }

    fn assets<'b>(&'b self, images: &'b ImageResolver<'b>) -> Assets<'b> {
        let paper = match self.site.config.paper {
            Paper::A4 => handout::Paper::A4,
            Paper::Letter => handout::Paper::Letter,
        };
        Assets { paper, logo: self.logo.clone(), font: self.font.clone(), images }
    }

    /// An image a section shows: a file of the briefing's bundle, never outside it.
    fn image(&self, slug: &str, path: &str) -> Option<Vec<u8>> {
        let b = &self.site.briefings[*self.by_slug.get(slug)?];
        let (root, bundle) = (self.root?, b.bundle.as_ref()?);
        let file = root.join(bundle).join(attachment_path(path)?);
        let bytes = crate::load::read_no_follow(&file, crate::load::MAX_SOURCE_BYTES).ok()?;
        // An SVG prints as the page shows it, cleaned (see site::attachments): Typst refuses
        // one that refers to other files or sites, and the sheet would leave it out.
        match path.to_ascii_lowercase().ends_with(".svg") {
            true => crate::parse::svg::clean(&bytes).ok().map(|cleaned| cleaned.svg),
            false => Some(bytes),
        }
    }

    /// The key of a PDF of briefing `b` made from `data`: the data, and the files of its
    /// bundle, which the data may show as images.
    fn key(&self, b: &Briefing, data: &impl std::hash::Hash) -> u128 {
        hash::of(&(data, self.image_hashes(b)))
    }

    /// The PDF made by `make` (about the source `file`), whose data hashes to `data`: from the
    /// cache when it has it.
    fn typeset(&self, file: &Path, data: u128, make: impl FnOnce() -> Result<handout::Typeset, handout::HandoutError>) -> Result<Cached, Diagnostic> {
        let key = hash::of(&(self.settings, data));
        if let Some(cached) = self.cache.as_ref().and_then(|c| c.get(key)) {
            return Ok(cached);
        }
        let typeset = make().map_err(|e| {
            Diagnostic::error("handout-failed", format!("could not make the handout: {e}"))
                .in_file(file)
                .help("this is a fault in briefing, not in your text: please report it with this file attached")
        })?;
        let mut cached = Cached {
            pdf: typeset.pdf,
            pages: typeset.pages,
            left_out: typeset.left_out,
            notes: typeset.notes,
            unprintable: typeset.unprintable,
            ..Cached::default()
        };
        if let Some(cache) = &self.cache {
            cache.put(key, &mut cached);
        }
        Ok(cached)
    }

    /// Hashes of the bundle's files, which a section may show as images.
    fn image_hashes(&self, b: &Briefing) -> Vec<u128> {
        let (Some(root), Some(bundle)) = (self.root, &b.bundle) else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(root.join(bundle)) else { return Vec::new() };
        // Only what `image` would read: files, not links.
        let mut files: Vec<PathBuf> = entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file())).map(|e| e.path()).collect();
        files.sort();
        files.iter().map(|p| hash::of(&(p.file_name(), crate::load::read_no_follow(p, crate::load::MAX_SOURCE_BYTES).unwrap_or_default()))).collect()
    }

    fn add(&self, printed: &mut Attached, b: &Briefing, what: &'static str, name: String, done: Cached) {
        printed.downloads.push(Download { what, url: name.clone(), bytes: done.pdf.len() });
        printed.files.push(OutputFile { path: format!("{}{name}", briefing_folder(&b.slug)), contents: done.pdf.into(), same_as: done.file });
    }

    /// The PDF of pack `p`: a cover, then each of its briefings' handouts (and action plans);
    /// `bodies` gives each briefing's text.
    pub fn pack(&self, p: usize, bodies: &dyn Fn(usize) -> Result<Arc<Bodies>, Diagnostic>) -> Result<Attached, Diagnostic> {
        let pack = &self.site.packs[p];
        let last_key = format!("packs/{}", pack.slug);
        if let Some(memo) = self.memo.filter(|_| self.missing != Missing::Typeset) {
            if let Some(last) = memo.last.lock().expect("no thread panics holding it").get(&last_key) {
                // Its briefings' text may have changed: the pass after this one makes it again.
                self.defer(memo, &last_key);
                return Ok(last.clone());
            }
        }
        let config = &self.site.config;
        let mut entries = Vec::with_capacity(pack.briefings.len());
        for &i in &pack.briefings {
            let text = bodies(i)?;
            let action_plan = pack.action_plans.then(|| action_plan_of(self.site, i, &text));
            entries.push(PackEntry { handout: handout_of(self.site, i, &text), action_plan });
        }
        let data = handout::Pack { title: pack.title.clone(), partnership: config.partnership.clone(), intro: pack.intro.clone(), entries, left_out: pack.left_out, language: config.language.clone() };
        let images = |slug: &str, path: &str| self.image(slug, path);
        let key = hash::of(&(&data, pack.briefings.iter().map(|&i| self.image_hashes(&self.site.briefings[i])).collect::<Vec<_>>()));
        let done = self.typeset(&pack.source, key, || handout::pack_pdf(&data, &self.assets(&images)))?;
        let name = format!("{}.pdf", pack.slug);
        let mut attached = Attached::default();
        attached.diagnostics.extend(cut_short(&pack.source, "training pack's cover", &handout::pack_cut_short(&data)));
        attached.downloads.push(Download { what: "training pack", url: name.clone(), bytes: done.pdf.len() });
        attached.files.push(OutputFile { path: format!("{}{name}", pack_folder(&pack.slug)), contents: done.pdf.into(), same_as: done.file });
        if let Some(memo) = self.memo {
            memo.last.lock().expect("no thread panics holding it").insert(last_key, attached.clone());
        }
        Ok(attached)
    }

    /// After a build that typeset every handout: forget the cached PDFs it did not use.
    pub fn prune(&self) {
        if let Some(cache) = &self.cache {
            cache.prune();
        }
    }
}

/// At most this many sections reach a handout: one sheet never holds more, and the rest are
/// named in one line ("and 40 more sections"), so that a huge briefing costs no more to
/// typeset than a sheet can show.
const MAX_SECTIONS: usize = 30;

/// At most this many words of a section reach a handout, in whole blocks (more than a whole
/// sheet holds: a longer section is never printed whole).
const MAX_SECTION_WORDS: usize = 1_600;

/// A section's title on the sheet: "Section 3" for one whose heading has no words (`##` alone,
/// or only an image), which would otherwise be an empty line under "Also in the full
/// briefing" and an empty name in the warning about it.
fn sheet_title(s: &Section) -> String {
    if s.title.trim().is_empty() {
        format!("Section {}", s.number)
    } else {
        s.title.clone()
    }
}

/// What briefing `i`'s one-pager shows.
fn handout_of(site: &Site, i: usize, bodies: &Bodies) -> Handout {
    let b = &site.briefings[i];
    let config = &site.config;
    let shown = if b.sections.len() > MAX_SECTIONS { MAX_SECTIONS - 1 } else { b.sections.len() };
    let mut shortened = shown < b.sections.len();
    let mut sections: Vec<HandoutSection> = b
        .sections
        .iter()
        .zip(&bodies.markdown)
        .take(shown)
        .map(|(s, md)| {
            let blocks = content::blocks_from_markdown(md);
            let words = content::words(&blocks);
            let blocks = bounded(blocks);
            shortened |= content::words(&blocks) < words;
            HandoutSection { number: s.number, title: sheet_title(s), anchor: s.anchor.clone(), blocks }
        })
        .collect();
    if shown < b.sections.len() {
        let rest = b.sections.len() - shown;
        let title = format!("and {rest} more sections");
        sections.push(HandoutSection { number: shown + 1, title, anchor: b.sections[shown].anchor.clone(), blocks: Vec::new() });
    }
    Handout {
        slug: b.slug.clone(),
        title: b.title.clone(),
        partnership: b.partnership.clone(),
        format: match b.format {
            Format::SevenMinute => HandoutFormat::SevenMinute,
            Format::Practitioner => HandoutFormat::Practitioner,
            Format::Thematic => HandoutFormat::Thematic,
            Format::Guidance => HandoutFormat::Guidance,
        },
        format_label: b.format.label().to_string(),
        published: DateView::from(b.published).text,
        updated: b.updated.map(|d| DateView::from(d).text),
        review_status: site.review_status(b),
        audience: b.audience.clone(),
        summary: b.summary.clone(),
        themes: b.themes.iter().map(|slug| site.theme(slug).map_or_else(|| slug.clone(), |t| t.title.clone())).collect(),
        url: config.base_url.as_deref().map(|base| briefing_address(Some(base), &b.slug)),
        sections,
        print: b.print.clone(),
        language: config.language.clone(),
        shortened,
    }
}

/// `blocks` up to `MAX_SECTION_WORDS` words, in whole blocks; a first block longer than
/// that (a pasted wall of text, a list of thousands of items) is shortened, since it is
/// never printed whole.
fn bounded(mut blocks: Vec<Block>) -> Vec<Block> {
    let mut words = 0;
    let keep = blocks.iter().position(|block| {
        words += content::words(std::slice::from_ref(block));
        words > MAX_SECTION_WORDS
    });
    match keep {
        Some(0) => {
            let first = shorten(blocks.swap_remove(0));
            vec![first]
        }
        Some(keep) => {
            blocks.truncate(keep);
            blocks
        }
        None => blocks,
    }
}

/// A block cut down to about `MAX_SECTION_WORDS` words.
fn shorten(block: Block) -> Block {
    match block {
        Block::List { ordered, start, mut items } => {
            let mut words = 0;
            let keep = items.iter().position(|item| {
                words += content::words(&item.blocks);
                words > MAX_SECTION_WORDS
            });
            if let Some(keep) = keep {
                items.truncate(keep.max(1));
            }
            if let Some(first) = items.first_mut() {
                first.blocks = bounded(std::mem::take(&mut first.blocks));
            }
            Block::List { ordered, start, items }
        }
        Block::Table { header, mut rows, longest } => {
            rows.truncate(MAX_SECTION_WORDS / 10);
            Block::Table { header, rows, longest }
        }
        Block::Quote { blocks } => Block::Quote { blocks: bounded(blocks) },
        Block::Code { text } => Block::Code { text: text.lines().take(MAX_SECTION_WORDS / 10).collect::<Vec<_>>().join("\n") },
        other => {
            let text = block_text(&other);
            let cut: Vec<&str> = text.split_whitespace().take(MAX_SECTION_WORDS).collect();
            Block::Paragraph { inlines: vec![Inline::Text { text: format!("{} …", cut.join(" ")) }] }
        }
    }
}

/// The action plan of briefing `i`: its own reflective questions (the section whose title
/// speaks of questions or reflection), else the partnership's.
fn action_plan_of(site: &Site, i: usize, bodies: &Bodies) -> ActionPlan {
    let b = &site.briefings[i];
    let config = &site.config;
    let asks = |title: &str| {
        let t = title.to_lowercase();
        t.contains("question") || t.contains("reflect")
    };
    let own = b.sections.iter().zip(&bodies.markdown).find(|(s, _)| asks(&s.title)).map(|(_, md)| questions(&content::blocks_from_markdown(md)));
    ActionPlan {
        title: b.title.clone(),
        partnership: b.partnership.clone(),
        published: DateView::from(b.published).text,
        questions: own.filter(|q| !q.is_empty()).unwrap_or_else(|| config.action_plan_questions.clone()),
        return_to: config.action_plan_return.clone(),
        language: config.language.clone(),
    }
}

/// The questions a section asks: its list items, or else its paragraphs.
fn questions(blocks: &[Block]) -> Vec<String> {
    let items: Vec<String> = blocks
        .iter()
        .flat_map(|block| match block {
            Block::List { items, .. } => items.iter().map(|item| item.blocks.iter().map(block_text).collect::<Vec<_>>().join(" ")).collect(),
            _ => Vec::new(),
        })
        .collect();
    let paragraphs = || blocks.iter().filter(|b| matches!(b, Block::Paragraph { .. })).map(block_text).collect();
    let found: Vec<String> = if items.is_empty() { paragraphs() } else { items };
    found.into_iter().map(|q| q.trim().to_string()).filter(|q| !q.is_empty()).collect()
}

fn block_text(block: &Block) -> String {
    match block {
        Block::Paragraph { inlines } | Block::Heading { inlines, .. } => content::plain_text(inlines),
        _ => String::new(),
    }
}

/// The warning for a one-pager that leaves sections out.
fn left_out(b: &Briefing, titles: &[String], config: &Config) -> Diagnostic {
    let paper = match config.paper {
        Paper::A4 => "A4",
        Paper::Letter => "Letter",
    };
    let list = titles.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
    let (noun, verb) = if titles.len() == 1 { ("section", "does") } else { ("sections", "do") };
    Diagnostic::warning("print-overflow", format!("the {noun} {list} {verb} not fit on the one-pager, even at 8 pt on {paper} paper"))
        .in_file(&b.source)
        .help("the handout lists them under \"Also in the full briefing\"; to print them, shorten the sections, or choose the sections to print with print = [\"anchor\", ...] in the front matter")
}

/// The warning for an action plan whose questions do not all fit its sheet.
fn questions_left_out(b: &Briefing, left: &[String]) -> Diagnostic {
    Diagnostic::warning("print-overflow", format!("the action plan leaves out {}: the questions do not all fit on its sheet, even at 8 pt", left.join(", ")))
        .in_file(&b.source)
        .help("the sheet says how many questions it has room for; to print them all, shorten the questions (the list in the briefing's reflective section, or action_plan_questions in site.toml)")
}

/// The warning for texts a PDF made from the source `file` (its `what`) prints cut short.
fn cut_short(file: &Path, what: &str, cuts: &[handout::Cut]) -> Option<Diagnostic> {
    if cuts.is_empty() {
        return None;
    }
    let list: Vec<String> = cuts.iter().map(|(field, n, max)| format!("{field} ({n} characters) to {max}")).collect();
    Some(
        Diagnostic::warning("print-overflow", format!("the {what} cuts {}, ending {} with \"…\"", list.join(", "), if cuts.len() == 1 { "it" } else { "each" }))
            .in_file(file)
            .help("shorten to print in full on paper: the web page shows the whole text"),
    )
}

/// The warning for the characters a PDF of briefing `b` prints as empty boxes (`chars`), at
/// the heading of the first section that has one. A row of boxes on paper is worse than a
/// section left out, so this is a warning, not a note.
fn unprintable(b: &Briefing, bodies: &Bodies, what: &str, chars: &[char]) -> Option<Diagnostic> {
    if chars.is_empty() {
        return None;
    }
    let has = |text: &str| chars.iter().any(|c| text.contains(*c));
    let section = b.sections.iter().zip(&bodies.markdown).find(|(s, markdown)| has(&s.title) || has(markdown)).map(|(s, _)| s);
    let mut shown: Vec<String> = chars.iter().take(handout::MAX_UNPRINTABLE).map(char::to_string).collect();
    if chars.len() > handout::MAX_UNPRINTABLE {
        shown.push("and others".into());
    }
    let place = section.map_or(String::new(), |s| format!(", first in \"{}\"", s.title));
    let warning = Diagnostic::warning("unprintable-text", format!("the {what} prints {} as empty boxes{place}: its fonts have no letters for them (and so it is not PDF/UA-1)", shown.join(" ")))
        .in_file(&b.source)
        .help("set print_font in site.toml to a font file that has them (handouts then use it, and Noto Sans for letters it lacks), or choose the sections to print with print = [\"anchor\", ...] in the front matter");
    Some(match section {
        Some(s) => warning.at_span(s.heading.clone()),
        None => warning,
    })
}

/// The notes on PDF `done` of briefing `b` (its `what`: "handout", "action plan"), and a
/// warning when it is not one page.
fn report(printed: &mut Attached, b: &Briefing, what: &str, done: &Cached) {
    printed.diagnostics.extend(done.notes.iter().map(|note| {
        Diagnostic::new(Severity::Note, "handout-note", format!("the {what}: {note}")).in_file(&b.source).help("the rest of it is as usual; see the note for what to change")
    }));
    if done.pages != 1 {
        printed.diagnostics.push(
            Diagnostic::warning("pdf-pages", format!("the {what} of this briefing has {} pages, not one", done.pages))
                .in_file(&b.source)
                .help("this is a fault in briefing's handout layout: please report it with this briefing attached"),
        );
    }
}
