//! `word/numbering.xml`: whether a list paragraph is a bullet or a number, and which number.
//!
//! Word keeps list formats in abstract numberings, and each list (`w:num`) points at one. Lists
//! that share an abstract numbering continue its count; "Restart numbering" makes a new
//! `w:num` with a start override, which starts the count again the first time it is used.
//! Items at a level reset the counts of the levels below them.

use std::collections::{HashMap, HashSet};

use super::xml::Element;

const LEVELS: usize = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Level {
    ordered: bool,
    start: u32,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    /// Start overrides by level.
    restarts: Vec<(u8, u32)>,
}

#[derive(Debug, Default)]
pub struct Numbering {
    nums: HashMap<String, Num>,
    abstracts: HashMap<String, [Option<Level>; LEVELS]>,
}

/// One numbered or bulleted paragraph as Word would show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub ordered: bool,
    /// Its number (1 for bullets).
    pub number: u32,
    pub level: u8,
    /// Which list format it belongs to: a change of format starts a new list.
    pub list: usize,
}

/// The running counts of a document, kept while its paragraphs are read in order.
#[derive(Debug, Default)]
pub struct Counters {
    counts: HashMap<String, [Option<u32>; LEVELS]>,
    seen: HashSet<String>,
    ids: HashMap<String, usize>,
}

impl Numbering {
    pub fn parse(root: &Element) -> Numbering {
        let mut numbering = Numbering::default();
        for abs in root.children_named("abstractNum") {
            let Some(id) = abs.attr("abstractNumId") else { continue };
            let mut levels = [None; LEVELS];
            for lvl in abs.children_named("lvl") {
                let Some(i) = lvl.attr("ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < LEVELS) else { continue };
                let format = lvl.val("numFmt").unwrap_or("decimal");
                let start = lvl.val("start").and_then(|v| v.parse().ok()).unwrap_or(1);
                levels[i] = Some(Level { ordered: !matches!(format, "bullet" | "none"), start });
            }
            numbering.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children_named("num") {
            let (Some(id), Some(abs)) = (num.attr("numId"), num.val("abstractNumId")) else { continue };
            let restarts = num
                .children_named("lvlOverride")
                .filter_map(|o| Some((o.attr("ilvl")?.parse().ok()?, o.val("startOverride")?.parse().ok()?)))
                .collect();
            numbering.nums.insert(id.to_string(), Num { abstract_id: abs.to_string(), restarts });
        }
        numbering
    }

    /// The next item of list `num_id` at `level`, counting it. `None` for `numId` 0 (Word's
    /// "no numbering") and for lists numbering.xml does not define.
    pub fn next(&self, counters: &mut Counters, num_id: &str, level: u8) -> Option<Item> {
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let at = usize::from(level).min(LEVELS - 1);
        let format = levels[at].unwrap_or(Level { ordered: false, start: 1 });
        let counts = counters.counts.entry(num.abstract_id.clone()).or_insert([None; LEVELS]);
        if counters.seen.insert(num_id.to_string()) {
            for &(l, start) in &num.restarts {
                if let Some(slot) = counts.get_mut(usize::from(l)) {
                    *slot = Some(start.saturating_sub(1));
                }
            }
        }
        let number = counts[at].map_or(format.start, |n| n + 1);
        counts[at] = Some(number);
        counts[at + 1..].iter_mut().for_each(|c| *c = None);
        let next_id = counters.ids.len();
        let list = *counters.ids.entry(num.abstract_id.clone()).or_insert(next_id);
        Some(Item { ordered: format.ordered, number, level: at as u8, list })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbering() -> Numbering {
        let xml = br#"<w:numbering xmlns:w="w">
            <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>
              <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
            <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            </w:numbering>"#;
        Numbering::parse(&super::super::xml::parse(xml, "numbering").unwrap())
    }

    #[test]
    fn counts_continue_across_lists_and_restart_on_overrides() {
        let n = numbering();
        let mut c = Counters::default();
        let numbers: Vec<(bool, u32)> = [("3", 0), ("3", 1), ("3", 0), ("3", 0), ("4", 0), ("4", 0), ("0", 0)]
            .iter()
            .filter_map(|(id, l)| n.next(&mut c, id, *l))
            .map(|i| (i.ordered, i.number))
            .collect();
        assert_eq!(numbers, [(true, 1), (false, 1), (true, 2), (true, 3), (true, 1), (true, 2)]);
    }
}
