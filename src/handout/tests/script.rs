//! Tests that run a Typst script of their own against the handout templates (`split`,
//! `least`): the templates' world with the script as its main file.

use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime, Duration, Label, Selector};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::{LazyHash, PicoStr};
use typst::{Library, World};
use typst_layout::PagedDocument;

use crate::handout::world::{default_fonts, HandoutWorld};

/// The templates' world with a test's own main file (see `run_script`).
struct ScriptWorld {
    templates: HandoutWorld,
    main: Source,
}

impl World for ScriptWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.templates.library()
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.templates.book()
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { self.templates.source(id) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.templates.file(id)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.templates.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Compiles `script` (as the main file at `path`) against the templates with `data` at
/// /data.json, and reads back the values it records as metadata labelled `label`.
pub(super) fn run_script<T: serde::de::DeserializeOwned>(path: &str, script: &str, data: Vec<u8>, label: &str) -> Vec<T> {
    let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid path")).intern();
    let world = ScriptWorld {
        templates: HandoutWorld { fonts: default_fonts(), data: Bytes::new(data), logo: None, images: Vec::new() },
        main: Source::new(id, script.to_string()),
    };
    let doc = typst::compile::<PagedDocument>(&world).output.expect("the test document compiles");
    let label = Label::new(PicoStr::intern(label)).expect("a label");
    doc.introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| content.to_packed::<MetadataElem>())
        .map(|meta| serde_json::from_value(serde_json::to_value(&meta.value).expect("a value")).expect("a recorded value"))
        .collect()
}
