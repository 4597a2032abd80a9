//! `briefing import`: Word (`.docx`), HTML and plain text files become draft briefings.
//!
//! One way, in three steps: a reader (`docx`, `html`, `text`) makes a small document model
//! (`doc`); `heuristics` finds the structure the source did not mark; `markdown` writes the
//! briefing source. `write` puts it in the site without ever replacing a file, and `report`
//! says what was found and what is left for a person.

pub(crate) mod doc;
pub(crate) mod docx;
mod frontmatter;
pub(crate) mod heuristics;
mod html;
pub(crate) mod markdown;
pub(crate) mod report;
mod text;
pub(crate) mod themes;
mod write;

use std::path::{Path, PathBuf};

use crate::model::Format;

pub use self::report::Report;
pub use self::themes::ThemeNames;
pub use self::markdown::PLACEHOLDER_ALT;
pub use self::write::write;

/// What `import_file` needs besides the file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (with `briefings/`, `themes/` and `site.toml`).
    pub root: PathBuf,
    /// The format when the text gives no clue (`--format`); 7-minute if `None`.
    pub format: Option<Format>,
    /// The slug to use instead of one made from the title (`--slug`).
    pub slug: Option<String>,
    /// The date to publish under when the file has no created date.
    pub today: time::Date,
}

/// What a site gives every import: its partnership and themes, read once for many files.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    /// `site.toml`'s partnership, when it names one.
    pub partnership: Option<String>,
    /// The site's themes, to suggest those a text mentions.
    pub themes: Vec<ThemeNames>,
}

impl SiteInfo {
    /// Reads `root/site.toml` and `root/themes/`; a broken site.toml is an error, since the
    /// draft could not be built anyway.
    pub fn load(root: &Path) -> Result<SiteInfo, ImportError> {
        let config = crate::config::load(root).map_err(|diags| {
            let first = diags.first().map(|d| d.message.clone()).unwrap_or_default();
            ImportError::new("bad-site", format!("site.toml has a problem: {first}"), "run `briefing check` to see it, fix it, then import again")
                .in_file(root.join(crate::config::FILE_NAME))
        })?;
        let default = crate::config::Config::default().partnership;
        let partnership = Some(config.partnership).filter(|p| *p != default && !p.trim().is_empty());
        Ok(SiteInfo { partnership, themes: themes::site_themes(root) })
    }
}

/// One imported file, ready to write: the briefing's source, its pictures and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The briefing's slug (its file or folder name).
    pub slug: String,
    /// The briefing source: front matter and Markdown.
    pub text: String,
    /// File names (`picture-1.png`) and bytes, written beside `index.md`.
    pub pictures: Vec<(String, Vec<u8>)>,
    /// What was found and what is left for a person.
    pub report: Report,
}

/// Why a file could not be imported, in words for the person importing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file the problem is about (the source, or the briefing that already exists).
    pub file: PathBuf,
    /// A stable name for JSON output (`damaged-file`, `already-exists`, ...).
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// The readers' name for an error that does not know its file yet.
pub(crate) type Failure = ImportError;

impl ImportError {
    /// An error with its code, what went wrong and what to do.
    pub fn new(code: &'static str, message: impl Into<String>, help: impl Into<String>) -> ImportError {
        ImportError { file: PathBuf::new(), code, message: message.into(), help: help.into() }
    }

    pub(crate) fn damaged(why: String) -> ImportError {
        ImportError::new(
            "damaged-file",
            why,
            "open it in Word; if Word offers to repair it, do so, then Save As a new .docx and import that",
        )
    }

    /// About `file`.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> ImportError {
        self.file = file.into();
        self
    }

    /// 2 for usage, file-system and site problems; 1 for a file whose content could not be
    /// imported (the same split as the other commands).
    pub fn exit_code(&self) -> u8 {
        match self.code {
            "unreadable-file" | "write-failed" | "bad-slug" | "bad-site" | "no-briefings" => 2,
            _ => 1,
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// The largest file read: more than any Word file of text and pictures.
const MAX_INPUT_BYTES: u64 = docx::MAX_TOTAL_BYTES;

/// Imports one file, reading the site's settings and themes first.
pub fn import_file(path: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let site = SiteInfo::load(&options.root)?;
    import_with(path, options, &site)
}

/// Imports one file with the site's settings and themes already read.
pub fn import_with(path: &Path, options: &ImportOptions, site: &SiteInfo) -> Result<Imported, ImportError> {
    let bytes = read_input(path)?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("briefing");
    import_bytes(&bytes, &extension, stem, options, site).map_err(|e| e.in_file(path)).map(|mut imported| {
        imported.report.source = path.display().to_string();
        imported
    })
}

/// Imports the bytes of a file of kind `extension` (`docx`, `html`, `txt`, `md`); `stem` (the
/// file name without extension) is the title of last resort.
pub fn import_bytes(bytes: &[u8], extension: &str, stem: &str, options: &ImportOptions, site: &SiteInfo) -> Result<Imported, ImportError> {
    let mut doc = match extension {
        "docx" | "docm" | "dotx" => docx::read(bytes)?,
        "html" | "htm" | "xhtml" => html::read(&decode(bytes)?),
        "md" | "markdown" => text::read_markdown(&decode(bytes)?),
        "txt" | "text" => text::read_plain(&decode(bytes)?),
        "doc" | "rtf" | "odt" | "pdf" | "pages" => return Err(other_format(extension)),
        _ => return Err(other_format(extension)),
    };
    let shape = heuristics::shape(&mut doc);
    frontmatter::finish(doc, &shape, stem, options, site)
}

/// Reads the input within the size limit.
fn read_input(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        ImportError::new("unreadable-file", format!("cannot read it: {e}"), "check the file name, and that you have permission to read it").in_file(path)
    };
    // Opening a named pipe waits for a writer, for ever; a device never ends.
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(ImportError::new("unreadable-file", "it is not a file (a folder, a device or a pipe)", "name a Word, web page or text file").in_file(path));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError::new("file-too-large", format!("it is over {} MB", MAX_INPUT_BYTES >> 20), "a briefing is far smaller: save its text without large attachments").in_file(path));
    }
    Ok(bytes)
}

/// Text files as UTF-8 (with or without a byte-order mark), or Windows-1252 as Word and
/// older web pages save them.
fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") || bytes.contains(&0) {
        return Err(ImportError::new("not-text", "it is not a text file", "import Word files with the .docx extension; save other files as plain text (.txt)"));
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    })
}

/// A Windows-1252 byte as a character: Latin-1, but for the smart quotes, dashes and the
/// like that Windows puts in 0x80 to 0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
        '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

/// The error for a file of a kind the importer does not read.
fn other_format(extension: &str) -> ImportError {
    let help = match extension {
        "doc" | "rtf" | "odt" | "pages" => "open it in Word (or your word processor) and Save As a Word Document (.docx), then import that file",
        "pdf" => "copy the text from the PDF into a plain text file (.txt), or import the Word file the PDF was made from",
        _ => "import Word (.docx), web page (.html) or text (.txt, .md) files",
    };
    let shown = if extension.is_empty() { "files without an extension".to_string() } else { format!(".{extension} files") };
    ImportError::new("unsupported-file", format!("{shown} cannot be imported"), help)
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_in_windows_1252_keeps_its_smart_quotes() {
        assert_eq!(super::decode(b"\x93Was not brought\x94 \x96 \xa35").unwrap(), "\u{201c}Was not brought\u{201d} \u{2013} \u{a3}5");
        assert_eq!(super::decode("caf\u{e9}".as_bytes()).unwrap(), "caf\u{e9}");
        assert_eq!(super::decode(b"PK\x03\x04").unwrap_err().code, "not-text");
    }
}
