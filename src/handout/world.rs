//! The Typst `World` the handouts compile in: the templates (compiled into the binary), the
//! data of one document at a fixed virtual path, the logo and images in fixed slots, and the
//! fonts. Typst interns every file path in a global 16-bit table that never shrinks, so the
//! paths are a fixed set made once (`Ids`) and reused by every compile; the standard library
//! and the default fonts are built once too and shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::layout::Abs;
use typst::text::{Font, FontBook, FontVariations};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// How many images one document can embed (the rest are left out with a note).
pub const IMAGE_SLOTS: usize = 64;

/// The templates, each at its own virtual path; the main file first.
const TEMPLATES: [(&str, &str); 7] = [
    ("/main.typ", include_str!("main.typ")),
    ("/common.typ", include_str!("common.typ")),
    ("/pieces.typ", include_str!("pieces.typ")),
    ("/handout.typ", include_str!("handout.typ")),
    ("/plan-parts.typ", include_str!("plan-parts.typ")),
    ("/plan.typ", include_str!("plan.typ")),
    ("/cover.typ", include_str!("cover.typ")),
];

/// The templates whose second copy, under /probe, makes what a sheet measures (see
/// pieces.typ): the same text at another path, so that nothing measured is printed.
const PROBED: [&str; 4] = ["/common.typ", "/pieces.typ", "/plan-parts.typ", "/cover.typ"];

/// The fixed virtual paths, interned once.
struct Ids {
    sources: Vec<Source>,
    by_id: HashMap<FileId, Slot>,
}

/// What a file id stands for.
#[derive(Clone, Copy)]
enum Slot {
    Source(usize),
    Data,
    Logo,
    Image(usize),
}

fn intern(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a fixed, valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The ids and the parsed templates, made on first use.
fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut by_id = HashMap::new();
        let probes = TEMPLATES.iter().filter(|(path, _)| PROBED.contains(path)).map(|(path, text)| (format!("/probe{path}"), *text));
        let sources: Vec<Source> = TEMPLATES
            .iter()
            .map(|(path, text)| (path.to_string(), *text))
            .chain(probes)
            .enumerate()
            .map(|(i, (path, text))| {
                let id = intern(&path);
                by_id.insert(id, Slot::Source(i));
                Source::new(id, text.to_string())
            })
            .collect();
        let data = intern("/data.json");
        let logo = intern("/logo");
        by_id.insert(data, Slot::Data);
        by_id.insert(logo, Slot::Logo);
        for i in 0..IMAGE_SLOTS {
            by_id.insert(intern(&image_path(i)), Slot::Image(i));
        }
        Ids { sources, by_id }
    })
}

/// The virtual path of image slot `i`, as the templates name it.
pub fn image_path(i: usize) -> String {
    format!("/img/{i}")
}

/// Typst's standard library, built once.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// A set of fonts and their book; `family` is the body text's family name.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    pub family: String,
}

impl Fonts {
    fn new(mut fonts: Vec<Font>, family: String) -> Fonts {
        // Typst's own fonts: only DejaVu Sans Mono (code, and symbols Noto Sans lacks).
        fonts.extend(
            typst_assets::fonts()
                .flat_map(|data| Font::iter(Bytes::new(data)))
                .filter(|f| f.info().family == "DejaVu Sans Mono"),
        );
        Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts, family }
    }
}

/// Noto Sans (shipped in the binary) and DejaVu Sans Mono, made once.
pub fn default_fonts() -> Arc<Fonts> {
    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let noto = [notosans::REGULAR_TTF, notosans::BOLD_TTF, notosans::ITALIC_TTF, notosans::BOLD_ITALIC_TTF];
            let fonts = noto.into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect();
            Arc::new(Fonts::new(fonts, "Noto Sans".into()))
        })
        .clone()
}

/// The fonts with a site's own font file first (its family becomes the body text's), or
/// None when the file holds no font Typst can read that draws letters. The last one made is
/// kept, since a site has one `print_font`: found again by the file's place in memory (a build
/// shares one copy among its PDFs), else by its hash.
pub fn fonts_with(file: &Arc<[u8]>) -> Option<Arc<Fonts>> {
    type Last = Option<(Arc<[u8]>, u64, Option<Arc<Fonts>>)>;
    static LAST: Mutex<Last> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, _, fonts)) = last.as_ref().filter(|(bytes, _, _)| Arc::ptr_eq(bytes, file)) {
        return fonts.clone();
    }
    let hash = xxhash_rust::xxh3::xxh3_64(file);
    if let Some((bytes, _, fonts)) = last.as_mut().filter(|(_, h, _)| *h == hash) {
        // Another copy of the same file (the next build's): found by its place from now on.
        *bytes = file.clone();
        return fonts.clone();
    }
    let fonts = read_fonts(file);
    *last = Some((file.clone(), hash, fonts.clone()));
    fonts
}

fn read_fonts(file: &[u8]) -> Option<Arc<Fonts>> {
    let own: Vec<Font> = Font::iter(Bytes::new(file.to_vec())).filter(draws_letters).collect();
    let family = own.first()?.info().family.clone();
    let base = default_fonts();
    Some(Arc::new(Fonts::new(own.into_iter().chain(base.fonts.iter().take(4).cloned()).collect(), family)))
}

/// Whether `font` draws letters: a file cut short still maps characters to glyphs, which
/// would print blank for want of their outlines.
fn draws_letters(font: &Font) -> bool {
    let instance = font.clone().instantiate(font.info().variant, Abs::pt(10.0), &FontVariations::default());
    let face = instance.ttf();
    "Aa0".chars().all(|c| face.glyph_index(c).is_some_and(|glyph| face.glyph_bounding_box(glyph).is_some()))
}

/// One document's world: its data, logo, images and fonts.
pub struct HandoutWorld {
    pub fonts: Arc<Fonts>,
    pub data: Bytes,
    pub logo: Option<Bytes>,
    pub images: Vec<Bytes>,
}

impl World for HandoutWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        ids().sources[0].id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match ids().by_id.get(&id) {
            Some(Slot::Source(i)) => Ok(ids().sources[*i].clone()),
            Some(_) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let found = match ids().by_id.get(&id) {
            Some(Slot::Source(i)) => Some(Bytes::from_string(ids().sources[*i].clone())),
            Some(Slot::Data) => Some(self.data.clone()),
            Some(Slot::Logo) => self.logo.clone(),
            Some(Slot::Image(i)) => self.images.get(*i).cloned(),
            None => None,
        };
        found.ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// No clock: a handout must be the same whenever it is made.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(format!("{:?}", id.get()).into())
}
