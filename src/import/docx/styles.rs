//! `word/styles.xml`: which paragraph styles are headings (Title, Heading 1 to 9, or any style
//! with an outline level), and the bold, italic, size, hiding and numbering a style gives its
//! text, following `basedOn` chains.

use std::collections::HashMap;

use super::xml::Element;

/// What a style (with the styles it is based on) says about its paragraphs or runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Look {
    /// 0 for Title, 1 to 9 for headings.
    pub heading: Option<u8>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    /// Half-points, as Word writes `w:sz`.
    pub size: Option<u32>,
    /// Hidden text (`w:vanish`): Word does not show it, so it is not imported.
    pub hidden: Option<bool>,
    /// A list style's numbering: (`numId`, level).
    pub numbering: Option<(String, u8)>,
}

#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Raw>,
    /// The document's default run size (`w:docDefaults`), in half-points.
    pub default_size: Option<u32>,
}

#[derive(Debug, Default, Clone)]
struct Raw {
    name: String,
    based_on: Option<String>,
    look: Look,
}

/// How many `basedOn` steps are followed: real chains are a few long; this stops cycles.
const MAX_CHAIN: usize = 16;

impl Styles {
    pub fn parse(root: &Element) -> Styles {
        let mut styles = Styles::default();
        if let Some(defaults) = root.child("docDefaults") {
            styles.default_size = defaults.find("rPr").and_then(|r| r.val("sz")).and_then(|v| v.parse().ok());
        }
        for style in root.children_named("style") {
            let Some(id) = style.attr("styleId") else { continue };
            let name = style.val("name").unwrap_or(id).to_string();
            let mut look = run_look(style.child("rPr"));
            let ppr = style.child("pPr");
            look.heading = heading_of_name(&name).or_else(|| ppr.and_then(outline_level));
            look.numbering = ppr.and_then(numbering);
            styles.by_id.insert(id.to_string(), Raw { name, based_on: style.val("basedOn").map(str::to_string), look });
        }
        styles
    }

    /// The look of style `id` with what its `basedOn` chain adds. A style that styles.xml
    /// does not define still counts as a heading by its id (`Heading2`, `Title`).
    pub fn look(&self, id: &str) -> Look {
        let mut look = Look { heading: heading_of_name(id), ..Look::default() };
        let mut next = Some(id);
        for _ in 0..MAX_CHAIN {
            let Some(raw) = next.and_then(|id| self.by_id.get(id)) else { break };
            let own = &raw.look;
            if next == Some(id) {
                look.heading = own.heading.or_else(|| heading_of_name(&raw.name));
            }
            look.bold = look.bold.or(own.bold);
            look.italic = look.italic.or(own.italic);
            look.size = look.size.or(own.size);
            look.hidden = look.hidden.or(own.hidden);
            look.numbering = look.numbering.clone().or_else(|| own.numbering.clone());
            next = raw.based_on.as_deref();
        }
        look
    }
}

/// Bold, italic, size and hiding from a `w:rPr`.
pub fn run_look(rpr: Option<&Element>) -> Look {
    let Some(rpr) = rpr else { return Look::default() };
    Look {
        bold: rpr.toggle("b"),
        italic: rpr.toggle("i"),
        size: rpr.val("sz").and_then(|v| v.parse().ok()),
        hidden: rpr.toggle("vanish"),
        ..Look::default()
    }
}

/// "Title" is 0, "heading 2" (or the id `Heading2`) is 2.
fn heading_of_name(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase().replace(' ', "");
    if lower == "title" {
        return Some(0);
    }
    let level: u8 = lower.strip_prefix("heading")?.parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// `w:outlineLvl` (0-based, 9 means body text) as a heading level.
fn outline_level(ppr: &Element) -> Option<u8> {
    let level: u8 = ppr.val("outlineLvl")?.parse().ok()?;
    (level < 9).then_some(level + 1)
}

/// A `w:numPr` in paragraph properties: (`numId`, level).
pub fn numbering(ppr: &Element) -> Option<(String, u8)> {
    let num = ppr.child("numPr")?;
    let id = num.val("numId")?.to_string();
    let level = num.val("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
    Some((id, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_follow_names_ids_and_chains() {
        let xml = br#"<w:styles xmlns:w="w"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
            <w:style w:styleId="Kop1"><w:name w:val="heading 1"/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
            <w:style w:styleId="Mine"><w:name w:val="My heading"/><w:basedOn w:val="Kop1"/></w:style>
            <w:style w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style></w:styles>"#;
        let styles = Styles::parse(&super::super::xml::parse(xml, "styles").unwrap());
        assert_eq!(styles.default_size, Some(22));
        assert_eq!(styles.look("Kop1").heading, Some(1));
        let mine = styles.look("Mine");
        assert_eq!((mine.heading, mine.bold, mine.size), (None, Some(true), Some(32)));
        assert_eq!(styles.look("Heading3").heading, Some(3));
        assert_eq!(styles.look("Title").heading, Some(0));
        assert_eq!(styles.look("Loop").heading, None);
    }
}
