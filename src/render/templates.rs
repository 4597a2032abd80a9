//! The templates: Tera, built into the binary and overridable by files of the same name in
//! the site's `templates/` folder, parsed once per build.

use std::path::Path;
use std::sync::Arc;

use tera::{Context, Tera};

use super::pieces::PieceMemo;
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::core::paths::TEMPLATES_DIR;
use crate::core::text::escape_html;

/// The built-in templates and assets, by the name a site's override would have.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("briefing.html", include_str!("../../templates/briefing.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("accessibility.html", include_str!("../../templates/accessibility.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("search.js", include_str!("../../templates/search.js")),
    ("card.html", include_str!("../../templates/card.html")),
    ("mention.html", include_str!("../../templates/mention.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("listing.html", include_str!("../../templates/listing.html")),
    ("pack.html", include_str!("../../templates/pack.html")),
    ("filter.js", include_str!("../../templates/filter.js")),
];

/// The templates of a site, parsed once.
pub struct Templates {
    tera: Tera,
    /// A hash of every template's source: pages made with other templates differ.
    pub fingerprint: u128,
    /// The pieces these templates rendered, kept for the next render (`watch`), or a build's
    /// cards, kept for the other pages they are on.
    pieces: Option<PieceMemo>,
}

impl Templates {
    /// The built-in templates, with any of the same name in `root/templates/` instead.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        Templates::from_sources(Templates::read(root)?)
    }

    /// `load`, reusing `kept` when the templates' text is the same (`watch`: parsing them
    /// is a tenth of a rebuild), with the pieces they rendered.
    pub fn load_kept(root: &Path, kept: Option<&Arc<Templates>>) -> Result<Arc<Templates>, Vec<Diagnostic>> {
        let sources = Templates::read(root)?;
        match kept {
            Some(templates) if templates.fingerprint == hash::of(&sources) => Ok(templates.clone()),
            _ => Templates::from_sources(sources).map(|t| Arc::new(t.keeping_pieces())),
        }
    }

    /// The text of each template, by name. A site's templates are read only from inside the
    /// site: a `templates/` folder or a template that is a symbolic link is an error.
    fn read(root: &Path) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String)> = BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
        let mut errors = Vec::new();
        let dir = root.join(TEMPLATES_DIR);
        match std::fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(vec![crate::load::symlink_refused(Path::new(TEMPLATES_DIR))]),
            Ok(meta) if meta.is_dir() => {}
            _ => return Ok(sources),
        }
        for (name, _) in BUILTIN {
            let path = dir.join(name);
            // Any kind of file but a folder, so that a link is refused rather than skipped.
            if std::fs::symlink_metadata(&path).is_err() || path.is_dir() {
                continue;
            }
            let rel = Path::new(TEMPLATES_DIR).join(name);
            match crate::load::read_source(&path, &rel) {
                Ok(text) => sources.iter_mut().filter(|(n, _)| n == name).for_each(|(_, s)| *s = text.clone()),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(sources)
    }

    /// The built-in templates alone.
    pub fn builtin() -> Result<Templates, Vec<Diagnostic>> {
        Templates::from_sources(BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect())
    }

    fn from_sources(sources: Vec<(String, String)>) -> Result<Templates, Vec<Diagnostic>> {
        let fingerprint = hash::of(&sources);
        let mut tera = Tera::default();
        tera.add_raw_templates(sources).map_err(|e| vec![template_error(&e)])?;
        tera.set_escape_fn(escape_html);
        tera.autoescape_on(vec![".html", ".xml"]);
        Ok(Templates { tera, fingerprint, pieces: None })
    }

    /// These templates, keeping the pieces they render for the next render (see `pieces`).
    pub fn keeping_pieces(self) -> Templates {
        Templates { pieces: Some(PieceMemo::default()), ..self }
    }

    /// These templates, keeping the cards they render for the other pages of the same build
    /// (see `PieceMemo::only`).
    pub fn keeping_cards(self) -> Templates {
        Templates { pieces: Some(PieceMemo::only(super::cards::TEMPLATE)), ..self }
    }

    /// The pieces kept, if these templates keep them.
    pub fn pieces(&self) -> Option<&PieceMemo> {
        self.pieces.as_ref()
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| template_error(&e))
    }
}

/// A Tera error with its causes (the useful part is often in the chain).
pub(super) fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Diagnostic::error("template", message.replace('\n', " "))
        .in_file(TEMPLATES_DIR)
        .help("fix the template named above, or delete your copy in templates/ to use the built-in one")
}

