//! Compiling a document: the data is serialised to JSON at `/data.json`, Typst lays the
//! templates out (one compile, which measures and chooses inside), the facts the templates
//! record come back through the introspector, and the document is exported as a tagged PDF
//! (PDF/UA-1 when the validator accepts it).

use std::sync::Arc;

use typst::diag::SourceDiagnostic;
use typst::foundations::{Bytes, Label, Selector, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::model::{HandoutError, PageFacts, Typeset, MAX_UNPRINTABLE};
use super::payload::Payload;
use super::world::{default_fonts, fonts_with, HandoutWorld};

/// Typst's memoisation would grow with every distinct handout: every `EVICT_EVERY` compiles,
/// the results not used in the last `CACHE_AGE` evictions are dropped. Not after every
/// compile: an eviction walks every cache, however little it drops.
const EVICT_EVERY: usize = 4;
const CACHE_AGE: usize = 2;

/// The binary parts of a document: the logo and the image slots.
#[derive(Default)]
pub struct Files {
    pub logo: Option<Vec<u8>>,
    pub images: Vec<Vec<u8>>,
    /// The site's own font file.
    pub font: Option<Arc<[u8]>>,
}

/// The stack of a typesetting thread. Typst's layout recurses deeply (far more in an
/// unoptimised build), more than a thread's default stack holds.
const STACK: usize = 64 << 20;

/// Typesets `payload` and exports it. `notes` collects what the caller may warn about.
///
/// Runs on the typesetting pool (see `pool`) while the calling thread waits, and a panic in
/// Typst becomes an error.
pub fn run(payload: Payload, files: Files, notes: Vec<String>) -> Result<Typeset, HandoutError> {
    let stopped = || HandoutError::Typeset("the typesetter stopped unexpectedly".into());
    let Some(pool) = pool() else {
        return Err(HandoutError::Typeset("could not start the typesetter's threads".into()));
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    pool.spawn(move || {
        let typeset = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| typeset(payload, &files, notes)));
        // The caller waits for this; it cannot have gone.
        let _ = sender.send(typeset);
    });
    receiver.recv().map_err(|_| stopped())?.unwrap_or_else(|_| Err(stopped()))
}

/// The threads compiles run on: a rayon pool of its own, with large stacks.
///
/// Typst's PDF export hands work to rayon and waits for it; on a worker of this pool, that
/// wait runs the work itself. The caller (often a worker of the build's pool) blocks on a
/// channel instead: a compile on a plain thread joined by a worker of the build's pool
/// deadlocked once every worker held one, and `ThreadPool::install` from the build's pool
/// let the waiting worker start other briefings on its own small stack, nesting until it
/// overflowed.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new().stack_size(STACK).thread_name(|i| format!("typeset-{i}")).build().ok()
    })
    .as_ref()
}

fn typeset(mut payload: Payload, files: &Files, mut notes: Vec<String>) -> Result<Typeset, HandoutError> {
    let (doc, facts) = compile(&mut payload, files, &mut notes)?;
    let unprintable = unprintable(&doc);
    let (pdf, pdf_ua) = export(&doc, &payload.document.title, !unprintable.is_empty(), &mut notes)?;
    static COMPILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if COMPILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
        typst::comemo::evict(CACHE_AGE);
    }
    let left_out = facts.iter().flat_map(|f| f.left_out.iter().cloned()).collect();
    let size_pt = facts.iter().filter(|f| f.kind == "handout").map(|f| f.size).fold(f64::NAN, f64::min);
    let size_pt = if size_pt.is_nan() { facts.first().map_or(0.0, |f| f.size) } else { size_pt };
    Ok(Typeset { pdf, pages: doc.pages().len(), size_pt, left_out, pdf_ua, notes, page_facts: facts, unprintable })
}

/// The characters of `doc` that no font has a letter for. Typst prints each as glyph 0, an
/// empty box: text in a script the fonts do not cover (Arabic, Chinese, emoji) is on the
/// sheet as a row of boxes, and nothing else says so.
fn unprintable(doc: &PagedDocument) -> Vec<char> {
    let mut found = Vec::new();
    for page in doc.pages() {
        boxes_in(&page.frame, &mut found);
    }
    found
}

fn boxes_in(frame: &Frame, found: &mut Vec<char>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => boxes_in(&group.frame, found),
            FrameItem::Text(text) => {
                let missing = text.glyphs.iter().filter(|g| g.id == 0).flat_map(|g| text.text[g.range()].chars());
                for c in missing.filter(|c| !c.is_whitespace() && !c.is_control()) {
                    // One more than are named, to tell "and others".
                    if found.len() <= MAX_UNPRINTABLE && !found.contains(&c) {
                        found.push(c);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Lays the document out and reads the facts its pages record.
pub fn compile(payload: &mut Payload, files: &Files, notes: &mut Vec<String>) -> Result<(PagedDocument, Vec<PageFacts>), HandoutError> {
    let fonts = match &files.font {
        Some(file) => fonts_with(file).unwrap_or_else(|| {
            notes.push("print_font holds no font that can be read: using Noto Sans".into());
            default_fonts()
        }),
        None => default_fonts(),
    };
    payload.font = fonts.family.clone();
    let data = serde_json::to_vec(&payload).map_err(|e| HandoutError::Typeset(e.to_string()))?;
    let mut world = HandoutWorld {
        fonts: fonts.clone(),
        data: Bytes::new(data),
        logo: files.logo.clone().map(Bytes::new),
        images: files.images.iter().cloned().map(Bytes::new).collect(),
    };
    let doc = match typst::compile::<PagedDocument>(&world).output {
        Ok(doc) => doc,
        // A logo or image Typst cannot decode fails the whole compile: try once more without
        // them, rather than printing no handout at all.
        Err(errors) if world.logo.is_some() || !world.images.is_empty() => {
            notes.push(format!("the logo or an image could not be read ({}): printed without them", describe(&errors)));
            payload.strip_pictures();
            world.data = Bytes::new(serde_json::to_vec(&payload).map_err(|e| HandoutError::Typeset(e.to_string()))?);
            world.logo = None;
            world.images.clear();
            typst::compile::<PagedDocument>(&world).output.map_err(|e| HandoutError::Typeset(describe(&e)))?
        }
        Err(errors) => return Err(HandoutError::Typeset(describe(&errors))),
    };
    let facts = read_facts(&doc);
    notes.extend(read_notes(&doc));
    Ok((doc, facts))
}

/// The facts recorded with `metadata(..) <handout-facts>`, in page order.
fn read_facts(doc: &PagedDocument) -> Vec<PageFacts> {
    labelled(doc, "handout-facts").filter_map(|value| serde_json::to_value(value).ok()).filter_map(|value| serde_json::from_value(value).ok()).collect()
}

/// What the templates say the printed sheets leave out (`metadata("...") <handout-note>`):
/// a table too wide to print, say.
fn read_notes(doc: &PagedDocument) -> Vec<String> {
    let mut notes: Vec<String> = labelled(doc, "handout-note").filter_map(|value| value.cast::<typst::foundations::Str>().ok()).map(|text| text.to_string()).collect();
    notes.dedup();
    notes
}

/// The values of the `metadata` the templates record with `label`, in document order.
fn labelled(doc: &PagedDocument, label: &str) -> impl Iterator<Item = typst::foundations::Value> {
    let found = Label::new(PicoStr::intern(label)).map(|label| doc.introspector().query(&Selector::Label(label)));
    found.into_iter().flatten().filter_map(|content| content.to_packed::<MetadataElem>().map(|meta| meta.value.clone()))
}

/// The PDF: PDF/UA-1 when the validator accepts the document, else a plain tagged PDF (a
/// handout is never refused for that). No timestamp: the same input gives the same bytes.
/// With `boxes` (characters no font has), the validator's refusal of them is not noted: the
/// build warns about them already (`unprintable`).
fn export(doc: &PagedDocument, ident: &str, boxes: bool, notes: &mut Vec<String>) -> Result<(Vec<u8>, bool), HandoutError> {
    let options = |standards: PdfStandards| PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("briefing".into())),
        timestamp: None,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    if let Ok(ua) = PdfStandards::new(&[PdfStandard::Ua_1]) {
        match typst_pdf::pdf(doc, &options(ua)) {
            Ok(pdf) => return Ok((pdf, true)),
            Err(errors) if boxes && errors.iter().all(|e| e.message.contains("could not be displayed")) => {}
            Err(errors) => notes.push(format!("not PDF/UA-1 ({}): written as a tagged PDF", describe(&errors))),
        }
    }
    let pdf = typst_pdf::pdf(doc, &options(PdfStandards::default())).map_err(|e| HandoutError::Export(describe(&e)))?;
    Ok((pdf, false))
}

/// Typst's messages, joined.
fn describe(errors: &[SourceDiagnostic]) -> String {
    let mut messages: Vec<String> = errors.iter().take(3).map(|e| e.message.to_string()).collect();
    if errors.len() > 3 {
        messages.push(format!("and {} more", errors.len() - 3));
    }
    messages.join("; ")
}
