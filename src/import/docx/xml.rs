//! A small element tree over quick-xml's events, for the parts of a Word file.
//!
//! Names are kept without their prefix (`w:p` is `p`): Word always uses the same prefixes,
//! and no part the importer reads has two elements of one local name that mean different
//! things where it looks. A DOCTYPE is refused outright: Word never writes one, and it is
//! how entity-expansion attacks ("billion laughs") begin. Only the five predefined entities
//! and character references are read; nesting is limited so that a hostile file cannot
//! exhaust the stack of the code that walks the tree.

use quick_xml::events::Event;
use quick_xml::XmlVersion;

use super::super::Failure;

/// Deeper than any real document (tables in tables in text boxes are a few dozen levels).
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of the attribute with this local name (`val` finds `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first descendant (depth first) with this name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// `child(name)`'s `val` attribute: the way Word writes most properties.
    pub fn val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("val"))
    }

    /// A Word on/off property (`<w:b/>`, `<w:b w:val="0"/>`): `None` when it is not there.
    pub fn toggle(&self, name: &str) -> Option<bool> {
        self.child(name).map(|c| !matches!(c.attr("val"), Some("0" | "false" | "off")))
    }

    /// All the text inside, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.push_text(out),
            }
        }
    }
}

/// Parses one part (`part` names it in errors) into its root element.
pub fn parse(bytes: &[u8], part: &str) -> Result<Element, Failure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| damaged(part, "it is not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().map_err(|e| damaged(part, &e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(entities(part)),
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(damaged(part, "it is nested too deeply"));
                }
                stack.push(element(&start, part)?);
            }
            Event::Empty(start) => {
                let e = element(&start, part)?;
                push_child(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                let done = stack.pop().filter(|_| !stack.is_empty()).ok_or_else(|| damaged(part, "an element closes twice"))?;
                push_child(&mut stack, Node::Element(done));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name).ok_or_else(|| entities(part))?.to_string()
                    }
                    Err(e) => return Err(damaged(part, &e.to_string())),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(damaged(part, "it ends before all its elements are closed"));
    }
    let root = stack.pop().unwrap_or_default();
    let first = root.children.into_iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    first.ok_or_else(|| damaged(part, "it is empty"))
}

fn element(start: &quick_xml::events::BytesStart<'_>, part: &str) -> Result<Element, Failure> {
    let name = local(start.name().local_name().as_ref());
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| damaged(part, &e.to_string()))?;
        let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|_| entities(part))?;
        attrs.push((local(attr.key.local_name().as_ref()), value.into_owned()));
    }
    Ok(Element { name, attrs, children: Vec::new() })
}

fn local(name: &str) -> String {
    name.to_string()
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        match top.children.last_mut() {
            Some(Node::Text(t)) => t.push_str(text),
            _ => top.children.push(Node::Text(text.to_string())),
        }
    }
}

fn damaged(part: &str, why: &str) -> Failure {
    Failure::damaged(format!("its part {part} cannot be read ({why})"))
}

fn entities(part: &str) -> Failure {
    Failure::new(
        "hostile-file",
        format!("its part {part} declares its own XML entities, which Word never writes (a way to make a file expand to gigabytes)"),
        "open the file in Word and save it again as a new .docx, or copy its text into a new document",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_text_and_entities() {
        let root = parse(br#"<?xml version="1.0"?><w:p xmlns:w="x"><w:r><w:t xml:space="preserve">a &amp; b &#8217;</w:t></w:r><w:b w:val="0"/></w:p>"#, "t").unwrap();
        assert_eq!(root.name, "p");
        assert_eq!(root.text(), "a & b \u{2019}");
        assert_eq!(root.toggle("b"), Some(false));
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>"#;
        assert_eq!(parse(bomb, "t").unwrap_err().code, "hostile-file");
        assert_eq!(parse(b"<l>&lol;</l>", "t").unwrap_err().code, "hostile-file");
        assert_eq!(parse(b"<l><m></l>", "t").unwrap_err().code, "damaged-file");
        let deep = "<a>".repeat(1000);
        assert_eq!(parse(deep.as_bytes(), "t").unwrap_err().code, "damaged-file");
    }
}
