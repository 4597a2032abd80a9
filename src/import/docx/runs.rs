//! The inside of a Word paragraph: runs of text with bold and italic, hyperlinks (relationship
//! links and `HYPERLINK` fields), note references, pictures, and text boxes (whose text is
//! handed back to be placed after the paragraph). Tracked insertions are kept and deletions
//! dropped; comment marks are counted and dropped, and so are hidden text and placeholders.

use super::body::{is_placeholder, Reader};
use super::styles::{run_look, Look};
use super::xml::Element;
use crate::import::doc::{Block, Inline, Picture, Style};

/// A field (`w:fldChar` begin ... separate ... end) that is open while runs are read; fields
/// can span runs and paragraphs, and nest.
#[derive(Debug, Default)]
pub struct Field {
    instruction: String,
    /// Past `separate`: its runs are the field's shown result.
    showing: bool,
    /// A HYPERLINK field's address and the text shown so far.
    link: Option<(String, Vec<Inline>)>,
    /// A contents list (TOC): the site makes its own, so its text is dropped.
    dropped: bool,
}

/// What a paragraph's runs give: its inlines, the text boxes anchored in it, and whether
/// every character is bold and the largest size used.
#[derive(Debug, Default)]
pub struct Runs {
    pub inlines: Vec<Inline>,
    pub boxes: Vec<Block>,
    pub all_bold: bool,
    pub any_text: bool,
    pub size: Option<u32>,
}

impl Reader<'_> {
    /// Reads the runs of paragraph `p`, whose style gives `look`.
    pub fn runs(&mut self, p: &Element, look: &Look) -> Runs {
        let mut runs = Runs { all_bold: true, ..Runs::default() };
        self.content(p, look, &mut runs);
        // A link field still open at the paragraph's end keeps its text in this paragraph.
        for field in &mut self.fields {
            if let Some((href, children)) = field.link.as_mut().filter(|(_, c)| !c.is_empty()) {
                runs.inlines.push(Inline::Link { href: href.clone(), children: std::mem::take(children) });
            }
        }
        runs
    }

    fn content(&mut self, parent: &Element, look: &Look, out: &mut Runs) {
        for e in parent.elements() {
            match e.name.as_str() {
                "r" => self.run(e, look, out),
                "hyperlink" => self.hyperlink(e, look, out),
                "fldSimple" => self.simple_field(e, look, out),
                "ins" | "moveTo" => {
                    self.counts.insertions += 1;
                    self.content(e, look, out);
                }
                "del" | "moveFrom" => self.counts.deletions += 1,
                "sdt" if is_placeholder(e) => self.counts.placeholders += 1,
                "smartTag" | "customXml" | "sdt" | "sdtContent" | "dir" | "bdo" => self.content(e, look, out),
                "commentRangeStart" => self.counts.comment_marks += 1,
                "oMath" | "oMathPara" => self.emit(Inline::text(e.text()), out),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Element, para: &Look, out: &mut Runs) {
        let own = run_look(r.child("rPr"));
        let char_style = r.child("rPr").and_then(|p| p.val("rStyle")).map(|id| self.styles.look(id)).unwrap_or_default();
        let bold = own.bold.or(char_style.bold).or(para.bold).unwrap_or(false);
        let italic = own.italic.or(char_style.italic).or(para.italic).unwrap_or(false);
        let size = own.size.or(char_style.size).or(para.size).or(self.styles.default_size);
        let style = Style { bold, italic };
        if own.hidden.or(char_style.hidden).or(para.hidden).unwrap_or(false) {
            return self.hidden_run(r, out);
        }
        for e in r.elements() {
            match e.name.as_str() {
                "t" => {
                    let text = e.text();
                    if !text.trim().is_empty() && !self.hidden() {
                        out.all_bold &= bold;
                        out.any_text = true;
                        out.size = out.size.max(size);
                    }
                    self.emit(Inline::Text { text, style }, out);
                }
                "tab" | "ptab" => self.emit(Inline::Text { text: " ".into(), style }, out),
                "noBreakHyphen" => self.emit(Inline::Text { text: "\u{2011}".into(), style }, out),
                "br" if !matches!(e.attr("type"), Some("page" | "column")) => self.emit(Inline::Break, out),
                "cr" => self.emit(Inline::Break, out),
                "footnoteReference" => self.note_reference(e, "footnote", out),
                "endnoteReference" => self.note_reference(e, "endnote", out),
                "fldChar" => self.field_char(e, out),
                "instrText" => self.field_instruction(e),
                "drawing" | "pict" | "object" => self.graphic(e, out),
                "AlternateContent" => {
                    let choice = e.child("Choice").or_else(|| e.child("Fallback"));
                    if let Some(choice) = choice {
                        choice.elements().for_each(|g| self.graphic(g, out));
                    }
                }
                _ => {}
            }
        }
    }

    /// A run Word hides (a note to self, a name kept back, a template's guidance) is left out,
    /// as Word shows the document, and counted. Its field marks still open and close fields.
    fn hidden_run(&mut self, r: &Element, out: &mut Runs) {
        let mut shown = false;
        for e in r.elements() {
            match e.name.as_str() {
                "fldChar" => self.field_char(e, out),
                "instrText" => self.field_instruction(e),
                "t" => shown |= !e.text().trim().is_empty(),
                "drawing" | "pict" | "object" | "AlternateContent" => shown = true,
                _ => {}
            }
        }
        if shown && !self.hidden() {
            self.counts.hidden_runs += 1;
        }
    }

    /// Text inside a field's instruction or a dropped field is not shown.
    fn hidden(&self) -> bool {
        self.fields.iter().any(|f| !f.showing || f.dropped)
    }

    /// Adds an inline to the paragraph, or to the link an open HYPERLINK field is showing.
    fn emit(&mut self, inline: Inline, out: &mut Runs) {
        if self.hidden() {
            return;
        }
        match self.fields.iter_mut().rev().find_map(|f| f.link.as_mut()) {
            Some((_, children)) => children.push(inline),
            None => out.inlines.push(inline),
        }
    }

    fn field_char(&mut self, e: &Element, out: &mut Runs) {
        match e.attr("fldCharType") {
            Some("begin") => self.fields.push(Field::default()),
            Some("separate") => {
                if let Some(field) = self.fields.last_mut() {
                    field.showing = true;
                    let (href, dropped) = field_meaning(&field.instruction);
                    field.link = href.map(|h| (h, Vec::new()));
                    field.dropped = dropped;
                }
            }
            Some("end") => {
                if let Some(field) = self.fields.pop() {
                    if let Some((href, children)) = field.link.filter(|(_, c)| !c.is_empty()) {
                        self.counts.field_links += 1;
                        self.emit(Inline::Link { href, children }, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// A field's instruction (`HYPERLINK "..."`), which may come in several runs.
    fn field_instruction(&mut self, e: &Element) {
        if let Some(field) = self.fields.last_mut().filter(|f| !f.showing) {
            field.instruction.push_str(&e.text());
        }
    }

    /// `<w:fldSimple w:instr="HYPERLINK &quot;...&quot;">` with its shown runs inside.
    fn simple_field(&mut self, e: &Element, look: &Look, out: &mut Runs) {
        let (href, dropped) = field_meaning(e.attr("instr").unwrap_or(""));
        if dropped {
            return;
        }
        let mut inner = Runs { all_bold: true, ..Runs::default() };
        self.content(e, look, &mut inner);
        merge_looks(out, &inner);
        match href {
            Some(href) => {
                self.counts.field_links += 1;
                self.emit(Inline::Link { href, children: inner.inlines }, out);
            }
            None => inner.inlines.into_iter().for_each(|i| self.emit(i, out)),
        }
        out.boxes.extend(inner.boxes);
    }

    /// `<w:hyperlink r:id>` (an address in the relationships) or `w:anchor` (a bookmark in
    /// the document, which has no page to lead to: its text is kept without the link).
    fn hyperlink(&mut self, e: &Element, look: &Look, out: &mut Runs) {
        let mut inner = Runs { all_bold: true, ..Runs::default() };
        self.content(e, look, &mut inner);
        merge_looks(out, &inner);
        out.boxes.extend(std::mem::take(&mut inner.boxes));
        let href = e.attr("id").and_then(|id| self.rels.get(id)).filter(|r| r.external).map(|r| r.target.clone());
        match href.and_then(|h| usable_address(&h)) {
            Some(href) => self.emit(Inline::Link { href, children: inner.inlines }, out),
            None => inner.inlines.into_iter().for_each(|i| self.emit(i, out)),
        }
    }

    fn note_reference(&mut self, e: &Element, kind: &'static str, out: &mut Runs) {
        let Some(id) = e.attr("id") else { return };
        if let Some(index) = self.note(kind, id) {
            self.emit(Inline::Note(index), out);
        }
    }

    /// A drawing, VML picture or embedded object: its pictures become inlines and its text
    /// boxes blocks to place after the paragraph.
    fn graphic(&mut self, g: &Element, out: &mut Runs) {
        if self.hidden() {
            return;
        }
        if g.name == "object" {
            self.findings_note("embedded-object", "an embedded object (a chart, spreadsheet or the like) was left out: add it as a picture or a link");
        }
        let mut boxes = Vec::new();
        text_boxes(g, &mut boxes);
        for content in boxes {
            self.counts.text_boxes += 1;
            let blocks = self.blocks(content);
            out.boxes.push(Block::Boxed(blocks));
        }
        let default_alt = g.find("docPr").and_then(|d| d.attr("descr")).map(str::to_string);
        let mut pictures = Vec::new();
        pictures_in(g, None, &mut pictures);
        for (rel, alt) in pictures {
            let alt = alt.or_else(|| default_alt.clone()).filter(|a| !a.trim().is_empty());
            if let Some(index) = self.picture(&rel, alt) {
                self.emit(Inline::Picture(index), out);
            }
        }
    }

    /// Adds the picture of relationship `rel` to the document; `None` (with a finding) when
    /// the file holds no such picture.
    fn picture(&mut self, rel: &str, alt: Option<String>) -> Option<usize> {
        let target = self.rels.get(rel).filter(|r| !r.external).map(|r| r.target.clone());
        let bytes = target.as_deref().and_then(|t| self.package.part(&resolve_target(t)));
        let (Some(target), Some(bytes)) = (target, bytes) else {
            self.findings_note("missing-picture", "a picture linked from outside the file, or missing from it, was left out");
            return None;
        };
        let extension = target.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_else(|| "png".into());
        self.doc.pictures.push(Picture { extension, bytes: bytes.to_vec(), alt });
        Some(self.doc.pictures.len() - 1)
    }
}

/// Keeps the paragraph's bold and size facts true when runs come from inside a link or field.
fn merge_looks(out: &mut Runs, inner: &Runs) {
    out.all_bold &= inner.all_bold || !inner.any_text;
    out.any_text |= inner.any_text;
    out.size = out.size.max(inner.size);
}

/// The outermost text box contents inside `e` (a text box's own text boxes are read with it).
fn text_boxes<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
    for child in e.elements() {
        if child.name == "txbxContent" {
            out.push(child);
        } else {
            text_boxes(child, out);
        }
    }
}

/// Every picture in a drawing (`a:blip r:embed`) or VML shape (`v:imagedata r:id`), with the
/// alt text of the shape that holds it, outside text boxes.
fn pictures_in(e: &Element, alt: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
    let own_alt = e.child("cNvPr").or_else(|| e.child("nvPicPr").and_then(|n| n.child("cNvPr"))).and_then(|c| c.attr("descr"));
    let alt = own_alt.or(alt).or_else(|| (e.name == "shape").then(|| e.attr("alt")).flatten());
    for child in e.elements() {
        match child.name.as_str() {
            "txbxContent" => {}
            "blip" => out.extend(child.attr("embed").map(|r| (r.to_string(), alt.map(str::to_string)))),
            "imagedata" => out.extend(child.attr("id").map(|r| (r.to_string(), alt.map(str::to_string)))),
            _ => pictures_in(child, alt, out),
        }
    }
}

/// A relationship target (relative to `word/`, or absolute in the package) as a part name.
pub fn resolve_target(target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { vec!["word"] };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// What a field instruction means here: a link address (HYPERLINK), or that its result is
/// dropped (a contents list).
fn field_meaning(instruction: &str) -> (Option<String>, bool) {
    let mut words = instruction.split_whitespace();
    match words.next().map(str::to_ascii_uppercase).as_deref() {
        Some("HYPERLINK") => {
            let rest = instruction.trim_start().get("HYPERLINK".len()..).unwrap_or("");
            let address = rest.split('"').nth(1).map(str::to_string).or_else(|| rest.split_whitespace().find(|w| !w.starts_with('\\')).map(str::to_string));
            (address.and_then(|a| usable_address(&a)), false)
        }
        Some("TOC") => (None, true),
        _ => (None, false),
    }
}

/// Web and email addresses are kept as links; anything else (a file on someone's computer, a
/// bookmark) is not a link a reader could follow.
fn usable_address(href: &str) -> Option<String> {
    let lower = href.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")).then(|| href.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_instructions() {
        assert_eq!(field_meaning(r#" HYPERLINK "https://example.org/a b" \o "tip" "#), (Some("https://example.org/a b".into()), false));
        assert_eq!(field_meaning(r"HYPERLINK https://example.org"), (Some("https://example.org".into()), false));
        assert_eq!(field_meaning(r#"HYPERLINK \l "_Toc1""#), (None, false));
        assert_eq!(field_meaning(r#"TOC \o "1-3" \h"#), (None, true));
        assert_eq!(field_meaning("PAGE"), (None, false));
    }

    #[test]
    fn targets_resolve_inside_the_package() {
        assert_eq!(resolve_target("media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve_target("../media/x.png"), "media/x.png");
        assert_eq!(resolve_target("/word/media/y.png"), "word/media/y.png");
    }
}
