//! Word (`.docx`) files into the document model, with `zip` and `quick-xml` (Cargo.toml says
//! why not docx-rs): the package is opened within limits (`package`), each XML part read into
//! a small tree (`xml`), and the body walked with what styles.xml, numbering.xml, the notes,
//! the relationships and docProps/core.xml say (`body`, `runs`).

mod body;
mod numbering;
mod package;
mod runs;
mod styles;
mod xml;

pub use package::MAX_TOTAL_BYTES;

use std::collections::HashMap;

use self::body::{Notes, Reader, Rel, Rels};
use self::package::Package;
use self::xml::Element;
use super::doc::{Document, Finding, Properties};
use crate::core::text::plural;
use super::Failure;

/// Reads a Word file's bytes into a document.
pub fn read(bytes: &[u8]) -> Result<Document, Failure> {
    let package = Package::open(bytes)?;
    let main = main_part_name(&package)?;
    let document = parse_part(&package, &main)?.ok_or_else(|| Failure::damaged(format!("it has no {main}")))?;
    let body = document.child("body").ok_or_else(|| Failure::damaged("its text (the document body) is missing".to_string()))?;
    let styles = parse_part(&package, "word/styles.xml")?.map(|s| styles::Styles::parse(&s)).unwrap_or_default();
    let numbering = parse_part(&package, "word/numbering.xml")?.map(|n| numbering::Numbering::parse(&n)).unwrap_or_default();
    let rels = rels(&package, &main)?;
    let notes = notes(&package)?;
    let mut reader = Reader::new(&styles, &numbering, &package, &rels, &notes);
    let blocks = reader.blocks(body);
    let counts = reader.counts;
    let mut doc = reader.doc;
    doc.blocks = blocks;
    doc.properties = properties(&package)?;
    let comments = parse_part(&package, "word/comments.xml")?.map_or(0, |c| c.children_named("comment").count());
    report_counts(&mut doc.findings, counts, comments);
    Ok(doc)
}

/// The main document part: `word/document.xml`, or wherever `_rels/.rels` says it is.
fn main_part_name(package: &Package) -> Result<String, Failure> {
    let root_rels = parse_part(package, "_rels/.rels")?;
    let named = root_rels.as_ref().and_then(|r| {
        r.children_named("Relationship")
            .find(|rel| rel.attr("Type").is_some_and(|t| t.ends_with("/officeDocument")))
            .and_then(|rel| rel.attr("Target"))
            .map(|t| t.trim_start_matches('/').to_string())
    });
    let name = named.unwrap_or_else(|| "word/document.xml".to_string());
    if package.part(&name).is_none() {
        return Err(Failure::new(
            "not-a-word-file",
            "it is a zip file but not a Word document (it has no word/document.xml)",
            "open it in Word and use Save As > Word Document (.docx), then import that file",
        ));
    }
    Ok(name)
}

fn parse_part(package: &Package, name: &str) -> Result<Option<Element>, Failure> {
    package.part(name).map(|bytes| xml::parse(bytes, name)).transpose()
}

/// The relationships of part `name` (`word/document.xml` -> `word/_rels/document.xml.rels`).
fn rels(package: &Package, name: &str) -> Result<Rels, Failure> {
    let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
    let rels_name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
    let Some(root) = parse_part(package, &rels_name)? else { return Ok(HashMap::new()) };
    Ok(root
        .children_named("Relationship")
        .filter_map(|r| {
            let rel = Rel { target: r.attr("Target")?.to_string(), external: r.attr("TargetMode") == Some("External") };
            Some((r.attr("Id")?.to_string(), rel))
        })
        .collect())
}

/// Footnotes and endnotes by id, without Word's separator notes.
fn notes(package: &Package) -> Result<Notes, Failure> {
    let by_id = |root: Option<Element>, name: &str| -> HashMap<String, Element> {
        root.map(|r| {
            r.children_named(name)
                .filter(|n| n.attr("type").is_none_or(|t| t == "normal"))
                .filter_map(|n| Some((n.attr("id")?.to_string(), n.clone())))
                .collect()
        })
        .unwrap_or_default()
    };
    Ok(Notes {
        footnotes: by_id(parse_part(package, "word/footnotes.xml")?, "footnote"),
        endnotes: by_id(parse_part(package, "word/endnotes.xml")?, "endnote"),
        footnote_rels: rels(package, "word/footnotes.xml")?,
        endnote_rels: rels(package, "word/endnotes.xml")?,
    })
}

/// Title and created date from `docProps/core.xml`.
fn properties(package: &Package) -> Result<Properties, Failure> {
    let Some(core) = parse_part(package, "docProps/core.xml")? else { return Ok(Properties::default()) };
    let title = core.child("title").map(|t| t.text().trim().to_string()).filter(|t| !t.is_empty());
    let created = core.child("created").and_then(|c| parse_date(c.text().trim()));
    Ok(Properties { title, created })
}

/// The date of an ISO 8601 timestamp (`2024-03-02T09:30:00Z`).
fn parse_date(text: &str) -> Option<time::Date> {
    let mut parts = text.get(..10)?.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    // Word writes 1601 or 1900 for "never set"; a briefing from then is not a briefing.
    (date.year() >= 1990).then_some(date)
}

fn report_counts(findings: &mut Vec<Finding>, counts: body::Counts, comments: usize) {
    // Each note only when there is something to say.
    let mut note = |n: usize, code: &'static str, message: String| {
        if n > 0 {
            findings.push(Finding::new(code, message));
        }
    };
    let (ins, del) = (counts.insertions, counts.deletions);
    note(
        ins + del,
        "tracked-changes",
        format!("the file had tracked changes: {ins} insertion{} kept and {del} deletion{} dropped, as if all were accepted; check the text reads as agreed", plural(ins), plural(del)),
    );
    let n = comments.max(counts.comment_marks);
    note(n, "comments-dropped", format!("{n} comment{} dropped: read them in Word before publishing", plural(n)));
    let n = counts.hidden_runs;
    note(n, "hidden-text", format!("{n} piece{} of hidden text left out, as Word shows the document: if any should be published, unhide it in Word and import again", plural(n)));
    let n = counts.placeholders;
    note(n, "placeholders", format!("{n} content control{} still showing Word's placeholder text (\"Click or tap here to enter text.\") left out: fill in any that should say something", plural(n)));
    let n = counts.embedded_left_out;
    let were = if n == 1 { "was" } else { "were" };
    note(n, "embedded-parts", format!("{n} part{} embedded by the program that wrote the file (not Word) could not be read and {were} left out: open the file in Word, save it, and import it again", plural(n)));
    let n = counts.text_boxes;
    let boxes = if n == 1 { "" } else { "es" };
    note(n, "text-boxes", format!("text from {n} text box{boxes} or shape{} was kept (numbered boxes in number order, others where they are anchored): check the order reads well", plural(n)));
}
