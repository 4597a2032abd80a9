//! SVG files of a briefing's bundle, cleaned before they are published: an SVG opened on its
//! own runs its scripts with the site's origin, so scripts, event handlers (`on*`), foreign
//! objects (HTML inside the picture), external references (`href`, `xlink:href`, `url()` to
//! other files or sites, `<use>` of another file), processing instructions and DOCTYPEs (with
//! the entities they could define) are taken out.
//!
//! The file is read as a stream of XML events (quick-xml) and written again with an allow-list
//! of what may pass, never edited as text: whatever the markup's spelling (prefixes, case,
//! entities, CDATA), what is written is exactly what was checked. A file that is not
//! well-formed XML is refused whole rather than guessed at.

use std::collections::BTreeSet;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer, XmlVersion};

use super::url_policy::{self, UrlUse};
use crate::core::text::{is_xml_forbidden, strip_xml_forbidden};

/// Elements taken out with everything inside them, by local name (any prefix, any case):
/// script, HTML inside the picture, embeds, and HTML elements that act on the page.
const REMOVED_ELEMENTS: &[&str] = &[
    "script", "foreignobject", "iframe", "frame", "embed", "object", "applet", "handler", "listener", "audio", "video", "canvas",
    "html", "body", "meta", "link", "base", "form",
];

/// UTF-8's byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Deeper than any real drawing; a hostile file must not make the cleaner's stack grow.
const MAX_DEPTH: usize = 512;

/// An SVG after cleaning: its bytes, and what was taken out, each once, for a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The SVG as it is published.
    pub svg: Vec<u8>,
    /// What was taken out, in words ("the event handler onload", "a <script> element").
    pub removed: BTreeSet<String>,
}

/// Cleans an SVG file's bytes; an error says, in plain words, why it cannot be read.
pub fn clean(bytes: &[u8]) -> Result<Cleaned, String> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| format!("it is not UTF-8 text (at byte {})", e.valid_up_to()))?;
    // Characters XML 1.0 forbids make the file no XML at all; what is written has none.
    let text = strip_xml_forbidden(text);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut cleaner = Cleaner { writer: Writer::new(Vec::with_capacity(text.len())), removed: BTreeSet::new(), open: 0, skipping: 0, style: None };
    loop {
        let event = reader.read_event().map_err(|e| format!("it is not well-formed XML (near byte {}): {e}", reader.error_position()))?;
        if matches!(event, Event::Eof) {
            break;
        }
        cleaner.event(event)?;
    }
    if cleaner.open + cleaner.skipping != 0 {
        return Err("it is not well-formed XML: an element is never closed".into());
    }
    let mut svg = cleaner.writer.into_inner();
    // A byte order mark left first (one of several, or after what was taken out) would be
    // read as the file's own mark the next time, and taken out then: none is written.
    while svg.starts_with(BOM) {
        svg.drain(..BOM.len());
    }
    Ok(Cleaned { svg, removed: cleaner.removed })
}

struct Cleaner {
    writer: Writer<Vec<u8>>,
    removed: BTreeSet<String>,
    /// Elements open and written.
    open: usize,
    /// How deep inside a removed element the reader is (0: outside any).
    skipping: usize,
    /// Inside a `<style>` element: its text so far, checked whole when it ends (character
    /// references and CDATA could otherwise split `url(` across events).
    style: Option<String>,
}

impl Cleaner {
    fn event(&mut self, event: Event<'_>) -> Result<(), String> {
        if self.open + self.skipping > MAX_DEPTH {
            return Err(format!("its elements are nested over {MAX_DEPTH} deep"));
        }
        match event {
            Event::Start(start) if self.skipping > 0 || self.is_removed(&start) => {
                self.skipping += 1;
                Ok(())
            }
            Event::Empty(start) if self.skipping > 0 || self.is_removed(&start) => Ok(()),
            Event::End(_) if self.skipping > 0 => {
                self.skipping -= 1;
                Ok(())
            }
            _ if self.skipping > 0 => Ok(()),
            Event::End(end) => {
                self.open = self.open.saturating_sub(1);
                if let Some(css) = self.style.take() {
                    self.end_style(&css)?;
                }
                self.write(Event::End(end))
            }
            Event::Start(start) => {
                let clean = self.clean_start(&start)?;
                if local_name(start.name().as_ref()) == "style" {
                    self.style = Some(String::new());
                }
                self.open += 1;
                self.write(Event::Start(clean))
            }
            Event::Empty(start) => {
                let clean = self.clean_start(&start)?;
                self.write(Event::Empty(clean))
            }
            other if self.style.is_some() => {
                self.style_content(other);
                Ok(())
            }
            Event::PI(_) => self.remove("a processing instruction (<?...?>)"),
            Event::DocType(_) => self.remove("a DOCTYPE (with any entities it defines)"),
            Event::GeneralRef(reference) if !is_predefined(&reference) => self.remove(&format!("a reference to the entity &{};", &*reference)),
            other => self.write(other),
        }
    }

    fn write(&mut self, event: Event<'_>) -> Result<(), String> {
        self.writer.write_event(event).map_err(|e| format!("it could not be written again: {e}"))
    }

    fn remove(&mut self, what: &str) -> Result<(), String> {
        self.removed.insert(what.to_string());
        Ok(())
    }

    /// Adds what `event` says to the text of the `<style>` element being read.
    fn style_content(&mut self, event: Event<'_>) {
        let Some(css) = self.style.as_mut() else { return };
        match event {
            Event::Text(text) => css.push_str(&text.xml10_content()),
            Event::CData(data) => css.push_str(&data),
            Event::GeneralRef(reference) => match resolve(&reference) {
                Some(c) => css.push(c),
                None => {
                    self.removed.insert(format!("a reference to the entity &{};", &*reference));
                }
            },
            // Comments and the like inside a style sheet are not part of it.
            _ => {}
        }
    }

    /// Writes the text of a `<style>` element, unless it loads other files or runs script.
    fn end_style(&mut self, css: &str) -> Result<(), String> {
        if css_is_unsafe(css) {
            return self.remove("a style sheet that loads other files or runs script");
        }
        if css.is_empty() {
            return Ok(());
        }
        self.write(Event::Text(BytesText::new(css)))
    }

    /// Whether `start` is an element taken out whole; notes it if so.
    fn is_removed(&mut self, start: &BytesStart<'_>) -> bool {
        let name = local_name(start.name().as_ref());
        // Animation can set an address or a handler after the file is cleaned.
        let animates_link = matches!(name.as_str(), "set" | "animate" | "animatemotion" | "animatetransform" | "animatecolor")
            && start.attributes().flatten().any(|a| {
                local_name(a.key.as_ref()) == "attributename" && {
                    let target = local_name(&a.value);
                    target == "href" || target.starts_with("on") || target == "style"
                }
            });
        // Only text belongs inside a style sheet.
        let removed = REMOVED_ELEMENTS.contains(&name.as_str()) || animates_link || self.style.is_some();
        if removed {
            self.removed.insert(format!("a <{}> element", start.name().as_ref()));
        }
        removed
    }

    /// `start` with only the attributes that are safe, each written again from its value (never
    /// copied as it was spelt), so what is written reads back as exactly what was checked.
    fn clean_start(&mut self, start: &BytesStart<'_>) -> Result<BytesStart<'static>, String> {
        let name = start.name().as_ref().to_string();
        if !is_xml_name(&name) {
            return Err(format!("it is not well-formed XML: <{name}> is not an element name"));
        }
        let element = local_name(&name);
        let mut clean = BytesStart::new(name);
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| format!("it is not well-formed XML: {e}"))?;
            let key = attribute.key.as_ref();
            if !is_xml_name(key) {
                return Err(format!("it is not well-formed XML: {key} is not an attribute name"));
            }
            // The value as it will be written (references resolved, characters XML forbids
            // dropped) is the one checked: `java&#5;script:` must be seen as `javascript:`.
            let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) else {
                self.removed.insert(format!("the attribute {key}, which uses an entity it does not define"));
                continue;
            };
            let value = strip_xml_forbidden(&value);
            match unsafe_attribute(&element, key, &value) {
                Some(why) => {
                    self.removed.insert(why);
                }
                None => clean.push_attribute(Attribute { key: attribute.key, value: escape_attribute(&value).into() }),
            }
        }
        Ok(clean)
    }
}

/// Whether `name` is an XML name: a letter, `_` or `:` (or any character beyond ASCII) first,
/// then also digits, `-` and `.`. Quick-xml reads a tag up to the first space, quotes included.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':' || !c.is_ascii())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.') || !c.is_ascii())
}

/// An attribute's value as it is written between double quotes. Tabs and line breaks are
/// written as references: a reader turns the characters themselves into spaces.
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Why an attribute must go, if it must: an event handler, an address that is not a part of
/// this picture (`#id`) or, on `<a>`, a link the URL policy allows, a style that loads files.
fn unsafe_attribute(element: &str, key: &str, value: &str) -> Option<String> {
    let name = local_name(key);
    if name.starts_with("on") {
        return Some(format!("the event handler {key}"));
    }
    let reference = || Some(format!("the reference {key}=\"{value}\" to another file or site"));
    if key.eq_ignore_ascii_case("xml:base") {
        return reference();
    }
    if name == "href" {
        let local = value.trim().starts_with('#');
        let link = element == "a" && url_policy::check(value, UrlUse::Link).is_ok();
        let picture = matches!(element, "image" | "feimage") && value.trim_start().to_ascii_lowercase().starts_with("data:") && url_policy::check(value, UrlUse::Image).is_ok();
        return (!(local || link || picture)).then(reference).flatten();
    }
    if url_policy::check_attribute(element, &name, value).is_err() {
        return Some(format!("the address {key}=\"{value}\""));
    }
    if css_is_unsafe(value) {
        return Some(format!("the attribute {key}, which loads another file or runs script"));
    }
    None
}

/// Whether CSS (a style sheet, a `style` attribute, a `fill="url(...)"`) could load another
/// file or run script: a `url()` that is not `#id` in this picture, `@import`, `expression()`,
/// a script address, or any backslash (a CSS escape can spell any of these).
fn css_is_unsafe(css: &str) -> bool {
    let lower: String = css.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    if lower.contains('\\') || ["@import", "expression(", "javascript:", "vbscript:", "-moz-binding", "behavior:"].iter().any(|s| lower.contains(s)) {
        return true;
    }
    lower.match_indices("url(").any(|(at, _)| !lower[at + 4..].trim_start_matches(['"', '\'']).starts_with('#'))
}

/// The name without its prefix (`xlink:href` is `href`), in lowercase.
fn local_name(name: &str) -> String {
    name.rsplit(':').next().unwrap_or_default().to_ascii_lowercase()
}

/// Whether a reference is one XML defines without a DOCTYPE: a character or one of five names.
fn is_predefined(reference: &BytesRef<'_>) -> bool {
    resolve(reference).is_some()
}

/// The character a predefined reference stands for.
fn resolve(reference: &BytesRef<'_>) -> Option<char> {
    if reference.is_char_ref() {
        return reference.resolve_char_ref().ok().flatten().filter(|c| !is_xml_forbidden(*c));
    }
    match &**reference {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://evil.example/x.css"?>
<!DOCTYPE svg [<!ENTITY boom "<script>alert(0)</script>">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" onload="alert(1)">
  <script>alert(2)</script>
  <svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(3)</svg:script>
  <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(4)"/></body></foreignObject>
  <use xlink:href="https://evil.example/sprites.svg#icon"/>
  <use href="#dot"/>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <a href="javascript:alert(5)"><text>five</text></a>
  <a xlink:href="https://example.org/ok"><text>fine</text></a>
  <rect id="dot" fill="url(https://evil.example/p.svg#g)" style="fill: red" OnClick="alert(6)" width="1" height="1"/>
  <circle fill="url(#grad)" r="1"/>
  <style>rect { fill: u&#114;l(https://evil.example/x) }</style>
  <style><![CDATA[circle { fill: blue }]]></style>
  <set attributeName="href" to="javascript:alert(7)"/>
  <text>&boom; &amp; &#65;</text>
</svg>
"##;

    #[test]
    fn scripts_handlers_foreign_objects_and_external_references_are_taken_out() {
        let cleaned = clean(EVIL.as_bytes()).unwrap();
        let svg = String::from_utf8(cleaned.svg.clone()).unwrap();
        for gone in ["alert", "evil.example", "script", "foreignObject", "onload", "onerror", "OnClick", "DOCTYPE", "ENTITY", "boom", "xml-stylesheet"] {
            assert!(!svg.contains(gone), "{gone} in {svg}");
        }
        for kept in ["<use href=\"#dot\"/>", "fill=\"url(#grad)\"", "style=\"fill: red\"", "https://example.org/ok", "<text>five</text>", "circle { fill: blue }", "&amp; &#65;", "<?xml version=\"1.0\""] {
            assert!(svg.contains(kept), "{kept} not in {svg}");
        }
        let removed: Vec<&str> = cleaned.removed.iter().map(String::as_str).collect();
        for what in ["the event handler onload", "a <script> element", "a <foreignObject> element", "a DOCTYPE (with any entities it defines)", "a reference to the entity &boom;"] {
            assert!(removed.contains(&what), "{what} not in {removed:?}");
        }
        // What is written is itself clean: cleaning again changes nothing.
        let again = clean(&cleaned.svg).unwrap();
        assert_eq!(again.svg, cleaned.svg);
        assert!(again.removed.is_empty(), "{:?}", again.removed);
    }

    #[test]
    fn a_clean_drawing_is_kept_as_it_was() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>A &amp; B</title><g fill=\"#1d4f91\"><rect width=\"4\" height=\"4\"/></g></svg>";
        let cleaned = clean(svg.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(cleaned.svg).unwrap(), svg);
        assert!(cleaned.removed.is_empty());
    }

    #[test]
    fn what_is_not_xml_is_refused() {
        for bad in ["<svg><g></svg>", "<svg>", "<svg onload=alert(1)>", "<svg></g>"] {
            assert!(clean(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert_eq!(clean("<svg>&#x110000;&#0;&#1;</svg>".as_bytes()).unwrap().svg, b"<svg></svg>");
        assert_eq!(clean("<svg>a\u{1}b\u{FFFE}</svg>".as_bytes()).unwrap().svg, b"<svg>ab</svg>");
        assert!(clean(b"\xff\xfe<\x00s\x00").is_err());
        // A quote in a tag's name once made the reader take the next tags as attributes.
        assert!(clean(br#"<svg><used)" r="1"/><set attributeName="href2 to="x"/></svg>"#).is_err());
        assert!(clean(br#"<svg><g a="1" a="2"/></svg>"#).is_err());
        assert_eq!(clean(b"<svg id=\"a&#5;b\"/>").unwrap().svg, b"<svg id=\"ab\"/>");
        assert_eq!(clean(b"<svg id=\"a&#13;b\tc\"/>").unwrap().svg, b"<svg id=\"a&#13;b c\"/>");
        // A forbidden character cannot hide a script address from the check.
        let hidden = clean(b"<svg><a href=\"java&#5;script:alert(1)\"><text>x</text></a></svg>").unwrap();
        assert!(!String::from_utf8_lossy(&hidden.svg).contains("script:"), "{hidden:?}");
        // Only the first byte order mark is the file's; none is written.
        assert_eq!(clean(b"\xEF\xBB\xBF\xEF\xBB\xBF<?pi?>\xEF\xBB\xBF<svg/>").unwrap().svg, b"<svg/>");
        let deep = "<g>".repeat(MAX_DEPTH + 2) + &"</g>".repeat(MAX_DEPTH + 2);
        assert!(clean(deep.as_bytes()).is_err());
    }
}
