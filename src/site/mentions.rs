//! Mentions: the places in a briefing's prose where a theme's title or one of its aliases
//! appears.
//!
//! One Aho-Corasick automaton holds every title and alias of every theme, so each section is
//! read once whatever the number of themes. The text and the names are folded the same way
//! first (lower case, each run of white space as one space, soft hyphens dropped, hyphens as
//! spaces, curly apostrophes as straight ones), so "Self-neglect" matches "self neglect"
//! across a line break. A match counts only on word boundaries, never inside a longer word or
//! a web address, and never from one block (paragraph, list item, table cell) into the next.
//! The automaton reports the leftmost-longest match, so where names overlap ("neglect" and
//! "self-neglect") the longer one wins and the shorter is not also counted.
//!
//! A name in a link's text ("read the [neglect strategy](...)") or in a section that lists
//! further reading ("Further information", "Useful links") is the title of another document,
//! not a briefing's own words about the theme: neither counts as a mention.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, Match, MatchKind, StartKind};

use crate::core::text::is_reading_list;
use crate::model::{Briefing, Excerpt, Prose, Theme, ASIDE_END, ASIDE_START};

/// About how many bytes of text an excerpt shows on each side of the words it is about.
const EXCERPT_CONTEXT: usize = 60;

/// Every title and alias of a set of themes, ready to find in any text.
pub struct Matcher {
    automaton: AhoCorasick,
    /// `owners[p]` is the theme (index into the themes given to `new`) of pattern `p`.
    owners: Vec<usize>,
}

/// One theme name found in a `Prepared` text: `range` is in its `display` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub theme: usize,
    pub range: Range<usize>,
}

/// A mention of a theme in one place of a briefing, before the site numbers the briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    pub theme: usize,
    /// Index into the briefing's sections; `None` for the introduction.
    pub section: Option<usize>,
    pub excerpt: Excerpt,
}

impl Matcher {
    pub fn new(themes: &[Theme]) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        for (i, theme) in themes.iter().enumerate() {
            for name in std::iter::once(&theme.title).chain(theme.aliases.iter().map(|a| &a.name)) {
                let folded = Prepared::new(name).folded;
                // Two themes with one name is an error reported by `check_names`; here the
                // first keeps it, so that a build that goes on to report errors stays sane.
                if !folded.is_empty() && !patterns.contains(&folded) {
                    patterns.push(folded);
                    owners.push(i);
                }
            }
        }
        Matcher { automaton: automaton(&patterns), owners }
    }

    /// Every theme name in `text`, in order, not overlapping, on word boundaries.
    pub fn find(&self, text: &Prepared) -> Vec<Found> {
        let hay = text.folded.as_str();
        let mut found = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let Some(candidate) = self.automaton.find(Input::new(hay).span(at..hay.len())) else { break };
            match self.on_boundaries(hay, candidate) {
                Some(m) if text.in_aside(text.display_range(m.range())) => at = m.end(),
                Some(m) => {
                    found.push(Found { theme: self.owners[m.pattern().as_usize()], range: text.display_range(m.range()) });
                    at = m.end();
                }
                None => at = end_of_word(hay, candidate.start() + 1),
            }
        }
        found
    }

    /// `m` if it is whole words, else the longest shorter name at the same place that is
    /// ("neglect" in "neglect screenings" when "neglect screening" is also a name).
    fn on_boundaries(&self, hay: &str, mut m: Match) -> Option<Match> {
        if !starts_word(hay, m.start()) || in_address(hay, m.start()) {
            return None;
        }
        loop {
            if ends_word(hay, m.end()) {
                return Some(m);
            }
            let shorter = Input::new(hay).span(m.start()..m.end() - 1).anchored(Anchored::Yes);
            m = self.automaton.find(shorter)?;
        }
    }

    /// The themes each place of `briefing` (its introduction, then each section's title and
    /// text) mentions, in page order, one mention per theme and place, each with an excerpt
    /// around its first occurrence. Themes in `tagged` (indexes) are left out: the briefing
    /// is listed under those already.
    pub fn briefing_mentions(&self, briefing: &Briefing, prose: &Prose, tagged: &[usize]) -> Vec<PlaceMention> {
        let intro = (None, vec![prose.intro.as_str()]);
        let sections = briefing.sections.iter().zip(&prose.sections).enumerate();
        let sections = sections.filter(|(_, (s, _))| !is_reading_list(&s.title)).map(|(i, (s, p))| (Some(i), vec![s.title.as_str(), p.as_str()]));
        let mut out = Vec::new();
        for (section, pieces) in std::iter::once(intro).chain(sections) {
            // Sets and groups by theme, so that a place naming N themes costs N, not N².
            let mut seen: HashSet<usize> = tagged.iter().copied().collect();
            for piece in pieces {
                let text = Prepared::new(piece);
                let found = self.find(&text);
                let mut by_theme: HashMap<usize, Vec<Range<usize>>> = HashMap::new();
                for f in &found {
                    by_theme.entry(f.theme).or_default().push(f.range.clone());
                }
                for f in &found {
                    if seen.insert(f.theme) {
                        out.push(PlaceMention { theme: f.theme, section, excerpt: excerpt(&text.display, f.range.clone(), &by_theme[&f.theme]) });
                    }
                }
            }
        }
        out
    }
}

/// The automaton for `patterns` (folded names): a DFA unless the names are very many. The
/// crate would choose a slower NFA past about 100 names (60 themes with their aliases have
/// twice that), and a DFA reads text in about half the work. Past `DFA_NAME_BYTES` of names
/// the crate chooses, so that a DFA stays small (a test measures it at the limit).
fn automaton(patterns: &[String]) -> AhoCorasick {
    let dfa = patterns.iter().map(String::len).sum::<usize>() <= DFA_NAME_BYTES;
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Both)
        .kind(dfa.then_some(AhoCorasickKind::DFA))
        .build(patterns)
        .expect("theme names are short literal strings, well within the automaton's limits")
}

/// Up to this many bytes of names in all, `automaton` makes a DFA.
const DFA_NAME_BYTES: usize = 20_000;

/// A text as excerpts show it (`display`: white space collapsed, invisible characters
/// dropped) and as the automaton reads it (`folded`), with the way back from one to the other.
/// In both, blocks are separated by a line break (`BLOCK_END`), words by one space.
pub struct Prepared {
    pub display: String,
    folded: String,
    /// `origin[i]` is the byte of `display` that byte `i` of `folded` comes from; one more
    /// entry maps the end of `folded` to the end of `display`. `None` while the two line up
    /// byte for byte, as they do unless folding changed a character's length (a curly
    /// apostrophe, a few letters' lower case): most texts never need the table.
    origin: Option<Vec<u32>>,
    /// The byte ranges of `display` that are asides: the text of links, reading lists.
    asides: Vec<Range<usize>>,
}

impl Prepared {
    pub fn new(text: &str) -> Prepared {
        let (display, asides) = collapse(text);
        if display.is_ascii() {
            // The common case, in one pass and with no table: ASCII folds byte for byte.
            let folded = display.bytes().map(|b| if b == b'-' { b' ' } else { b.to_ascii_lowercase() }).collect();
            let folded = String::from_utf8(folded).expect("ASCII folds to ASCII");
            return Prepared { display, folded, origin: None, asides };
        }
        let mut p = Prepared { folded: String::with_capacity(display.len()), display: String::new(), origin: None, asides };
        for (at, c) in display.char_indices() {
            p.fold(at, c);
        }
        if let Some(origin) = &mut p.origin {
            origin.push(display.len() as u32);
        }
        p.display = display;
        p
    }

    /// Adds the folded form of `c`, which is at byte `at` of the display text.
    fn fold(&mut self, at: usize, c: char) {
        match c {
            '-' | '\u{2010}' | '\u{2011}' => self.folded.push(' '),
            '\u{2018}' | '\u{2019}' | '\u{2bc}' => self.folded.push('\''),
            c => self.folded.extend(c.to_lowercase()),
        }
        let end = at + c.len_utf8();
        if self.origin.is_none() && self.folded.len() != end {
            // Until now each byte of `folded` came from the same byte of `display`.
            self.origin = Some((0..at as u32).collect());
        }
        if let Some(origin) = &mut self.origin {
            origin.resize(self.folded.len(), at as u32);
        }
    }

    /// Whether `range` (of `display`) overlaps an aside.
    fn in_aside(&self, range: Range<usize>) -> bool {
        self.asides.iter().any(|l| l.start < range.end && range.start < l.end)
    }

    fn display_range(&self, folded: Range<usize>) -> Range<usize> {
        match &self.origin {
            Some(origin) => origin[folded.start] as usize..origin[folded.end] as usize,
            None => folded,
        }
    }
}

/// What `Body::text` ends each block with.
const BLOCK_END: char = '\n';

/// `text` with invisible characters dropped, one space between words and one `BLOCK_END`
/// between blocks, and nothing before the first word or after the last; and where in it the
/// asides are (link text and reading lists, between `ASIDE_START` and `ASIDE_END`, which are
/// dropped).
///
/// One pass, copying each run of ASCII letters and punctuation whole and decoding only
/// characters outside ASCII: this reads all of every briefing's prose, and splitting it into
/// blocks and words first cost twice as much.
fn collapse(text: &str) -> (String, Vec<Range<usize>>) {
    /// White space `c` read after `out`: the gap becomes a space, or a block end for a line
    /// break (which no space replaces); none before the first word.
    fn space(out: &str, gap: &mut Option<char>, c: char) {
        if !out.is_empty() && *gap != Some(BLOCK_END) {
            *gap = Some(if c == BLOCK_END { BLOCK_END } else { ' ' });
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut asides = Vec::new();
    // Asides nest (a link in a reading list): the outermost one counts.
    let mut aside_start = 0;
    let mut depth = 0usize;
    // What goes before the next character that is shown.
    let mut gap: Option<char> = None;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if crate::core::words::is_space(b) {
                space(&out, &mut gap, char::from(b));
                at += 1;
                continue;
            }
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii() && !crate::core::words::is_space(bytes[at]) {
                at += 1;
            }
            out.extend(gap.take());
            out.push_str(&text[start..at]);
            continue;
        }
        let c = text[at..].chars().next().expect("`at` is at a character");
        at += c.len_utf8();
        if c == ASIDE_START {
            if depth == 0 {
                aside_start = out.len();
            }
            depth += 1;
            continue;
        }
        if c == ASIDE_END && depth > 0 {
            depth -= 1;
            if depth == 0 {
                asides.push(aside_start..out.len());
            }
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space(&out, &mut gap, c);
        } else {
            out.extend(gap.take());
            out.push(c);
        }
    }
    // An aside still open runs to the end (a reading list that ends its section).
    if depth > 0 {
        asides.push(aside_start..out.len());
    }
    (out, asides)
}

/// Characters that show nothing and may sit inside a word (pasted from Word or the web):
/// the soft hyphen, zero-width spaces and joiners, the word joiner, the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether a match starting at `at` does not start inside a word.
fn starts_word(hay: &str, at: usize) -> bool {
    let first = hay[at..].chars().next();
    let before = hay[..at].chars().next_back();
    !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char))
}

/// Whether a match ending at `at` does not end inside a word.
fn ends_word(hay: &str, at: usize) -> bool {
    let last = hay[..at].chars().next_back();
    let after = hay[at..].chars().next();
    !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char))
}

/// Whether byte `at` is inside a web or email address written out in the text.
fn in_address(hay: &str, at: usize) -> bool {
    let start = hay[..at].rfind([' ', BLOCK_END]).map_or(0, |i| i + 1);
    let end = hay[at..].find([' ', BLOCK_END]).map_or(hay.len(), |i| at + i);
    let token = &hay[start..end];
    token.contains("://") || token.starts_with("www.") || token.contains('@')
}

/// The first byte at or after `from` that is not inside the word there: where a name that
/// is whole words could next start.
fn end_of_word(hay: &str, from: usize) -> usize {
    let mut at = from.min(hay.len());
    while !hay.is_char_boundary(at) {
        at += 1;
    }
    at + hay[at..].find(|c: char| !is_word_char(c)).unwrap_or(hay.len() - at)
}

/// About `EXCERPT_CONTEXT` bytes of `text` either side of `hit`, within its block, cut at
/// spaces, with the ranges in `marks` that fall inside it.
///
/// It looks for the ends of the block only as far as the context reaches: a paragraph of N
/// mentions then costs N, where looking back to its start for each cost N².
fn excerpt(text: &str, hit: Range<usize>, marks: &[Range<usize>]) -> Excerpt {
    let reach_back = floor_boundary(text, hit.start.saturating_sub(EXCERPT_CONTEXT));
    let reach_on = floor_boundary(text, (hit.end + EXCERPT_CONTEXT).min(text.len()));
    // Where the block starts and ends when within reach (a block end right at the edge
    // included); else it goes on past the reach.
    let bytes = text.as_bytes();
    let end_byte = BLOCK_END as u8;
    let look_back = reach_back.saturating_sub(1);
    let block_start = bytes[look_back..hit.start].iter().rposition(|&b| b == end_byte).map(|i| look_back + i + 1);
    let block_end = bytes[hit.end..(reach_on + 1).min(text.len())].iter().position(|&b| b == end_byte).map(|i| hit.end + i);
    let cut_before = block_start.map_or(reach_back > 0, |b| reach_back > b);
    let cut_after = block_end.map_or(reach_on < text.len(), |b| reach_on < b);
    let mut start = block_start.map_or(reach_back, |b| b.max(reach_back));
    if cut_before {
        start = text[start..hit.start].find(' ').map_or(hit.start, |i| start + i + 1);
    }
    let mut end = block_end.map_or(reach_on, |b| b.min(reach_on));
    if cut_after {
        end = text[hit.end..end].rfind(' ').map_or(hit.end, |i| hit.end + i);
    }
    let kept = marks.iter().filter(|m| m.start >= start && m.end <= end).map(|m| m.start - start..m.end - start).collect();
    Excerpt::new(text[start..end].to_string(), kept, cut_before, cut_after)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixtures::{parsed, theme};

    /// Made-up names (each a number spelt in syllables, two to a word), `bytes` of them.
    fn made_up_names(bytes: usize) -> Vec<String> {
        let syllables = ["ka", "lo", "mer", "tis", "ven", "dra", "pol", "sun", "ith", "ro"];
        let mut names = Vec::new();
        let mut total = 0;
        for i in 1_000usize.. {
            let spelt: Vec<&str> = i.to_string().bytes().map(|d| syllables[usize::from(d - b'0')]).collect();
            let name = spelt.chunks(2).map(|w| w.concat()).collect::<Vec<_>>().join(" ");
            if total + name.len() > bytes {
                break;
            }
            total += name.len();
            names.push(name);
        }
        names
    }

    #[test]
    fn names_in_link_text_and_reading_lists_are_not_mentions() {
        let themes = [theme("neglect", "Neglect", &[])];
        let matcher = Matcher::new(&themes);
        let linked = "Read the \u{E000}Neglect strategy\u{E001} first.\nNeglect was missed.\n";
        let b = parsed("a", &[], "", &[("Background", linked), ("Further information", "The neglect toolkit.\n"), ("Want to learn more?", "Neglect guidance.\n")]);
        let found = matcher.briefing_mentions(&b.briefing, &b.prose, &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].excerpt.text, "Neglect was missed.");
        assert!(is_reading_list("Useful links and resources") && is_reading_list("References") && !is_reading_list("What can we learn?"));
    }

    /// The one-pass collapse gives what splitting into blocks and words gave.
    #[test]
    fn collapse_as_blocks_and_words() {
        let reference = |text: &str| {
            let mut out = String::new();
            let mut gap = None;
            for block in text.split(BLOCK_END) {
                for word in block.split_whitespace() {
                    let word: String = word.chars().filter(|&c| !is_invisible(c)).collect();
                    if word.is_empty() {
                        continue;
                    }
                    if let Some(gap) = gap.take().filter(|_| !out.is_empty()) {
                        out.push(gap);
                    }
                    out.push_str(&word);
                    gap = Some(' ');
                }
                if !out.is_empty() {
                    gap = Some(BLOCK_END);
                }
            }
            out
        };
        let pieces = ["", "a", "Self-neglect", " ", "\n", "\r\n", "\t", "\u{a0}", "\u{ad}", "\u{200b}", "caf\u{e9}", "\u{2019}s", "  \n "];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "x", "\n", " \u{200b} "] {
                        let text = format!("{a}{b}{c}{d}{b}");
                        assert_eq!(collapse(&text).0, reference(&text), "{text:?}");
                    }
                }
            }
        }
    }

    /// At the limit the automaton is still a DFA, and it stays small; past it the crate
    /// chooses (an NFA, for this many names).
    #[test]
    fn a_dfa_up_to_the_limit_and_small_there() {
        let at_limit = made_up_names(DFA_NAME_BYTES);
        assert!(at_limit.len() > 1_000, "{}", at_limit.len());
        let dfa = automaton(&at_limit);
        assert_eq!(dfa.kind(), AhoCorasickKind::DFA);
        assert!(dfa.memory_usage() < 4 << 20, "{} bytes", dfa.memory_usage());
        let past = made_up_names(2 * DFA_NAME_BYTES);
        assert_ne!(automaton(&past).kind(), AhoCorasickKind::DFA);
        // A site's own few names get a DFA too.
        assert_eq!(automaton(&["neglect".to_string(), "self neglect".to_string()]).kind(), AhoCorasickKind::DFA);
    }

    fn themes() -> Vec<Theme> {
        vec![
            theme("neglect", "Neglect", &["chronic neglect"]),
            theme("self-neglect", "Self-neglect", &["hoarding"]),
            theme("think-family", "Think Family", &["whole family approach"]),
            theme("lived-experience", "Lived experience of the child", &["child's lived experience", "voice of the child"]),
            theme("was-not-brought", "Was not brought", &[]),
        ]
    }

    /// (theme title, matched display text) for each name found in `text`.
    fn found(text: &str) -> Vec<(String, String)> {
        let themes = themes();
        let matcher = Matcher::new(&themes);
        let prepared = Prepared::new(text);
        matcher.find(&prepared).into_iter().map(|f| (themes[f.theme].title.clone(), prepared.display[f.range].to_string())).collect()
    }

    fn titles(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn finds_titles_and_aliases_in_any_case() {
        assert_eq!(
            found("NEGLECT, then Hoarding and the Voice of the Child."),
            [("Neglect".into(), "NEGLECT".into()), ("Self-neglect".into(), "Hoarding".into()), ("Lived experience of the child".into(), "Voice of the Child".into())]
        );
    }

    #[test]
    fn never_inside_another_word() {
        assert!(titles("neglectful parenting, unneglected, hoardings").is_empty());
        assert!(titles("thinkfamily was not broughtx").is_empty());
    }

    #[test]
    fn across_line_breaks_runs_of_spaces_and_soft_hyphens() {
        assert_eq!(titles("we must think \t  family"), ["Think Family"]);
        assert_eq!(titles("was not\u{ad} bro\u{ad}ught"), ["Was not brought"]);
        assert_eq!(titles("think \u{200b} family"), ["Think Family"]);
        assert_eq!(found("The Child\u{2019}s lived experience. Neglect.")[1].1, "Neglect", "offsets survive a change of length");
        assert_eq!(found("the whole\u{a0}family \r approach")[0].1, "whole family approach");
    }

    #[test]
    fn hyphens_and_spaces_are_one_and_the_longest_name_wins() {
        assert_eq!(titles("self neglect and self-neglect"), ["Self-neglect", "Self-neglect"]);
        assert_eq!(titles("chronic neglect"), ["Neglect"]);
        assert_eq!(found("chronic neglect")[0].1, "chronic neglect");
        assert_eq!(titles("the whole-family approach"), ["Think Family"]);
    }

    #[test]
    fn a_shorter_name_at_the_same_place_still_counts() {
        let themes = vec![theme("neglect", "Neglect", &["neglect screening"])];
        let matcher = Matcher::new(&themes);
        let text = Prepared::new("neglect screenings were done; neglect screening too");
        let ranges: Vec<&str> = matcher.find(&text).iter().map(|f| &text.display[f.range.clone()]).collect();
        assert_eq!(ranges, ["neglect", "neglect screening"]);
    }

    #[test]
    fn never_from_one_block_into_the_next() {
        assert!(titles("we think\nfamily matters").is_empty());
        assert_eq!(titles("we think \n\n neglect"), ["Neglect"]);
        let text = Prepared::new("First paragraph.\nThe neglect was plain.\nLast one.");
        let e = excerpt(&text.display, 4 + 17..11 + 17, &[]);
        assert_eq!((e.text.as_str(), e.cut_before, e.cut_after), ("The neglect was plain.", false, false));
    }

    #[test]
    fn curly_apostrophes_match_straight_ones() {
        assert_eq!(titles("the child\u{2019}s lived experience"), ["Lived experience of the child"]);
    }

    #[test]
    fn not_in_web_or_email_addresses() {
        assert!(titles("see https://example.org/neglect-guide or www.neglect.org.uk or neglect@example.org").is_empty());
        assert_eq!(titles("(neglect)"), ["Neglect"]);
    }

    #[test]
    fn excerpts_are_those_of_the_whole_block_search() {
        // The search for the block's ends that `excerpt` replaced, which looked at the whole text.
        fn whole(text: &str, hit: Range<usize>) -> (String, bool, bool) {
            let block_start = text[..hit.start].rfind(BLOCK_END).map_or(0, |i| i + 1);
            let block_end = text[hit.end..].find(BLOCK_END).map_or(text.len(), |i| hit.end + i);
            let mut start = floor_boundary(text, hit.start.saturating_sub(EXCERPT_CONTEXT).max(block_start));
            if start > block_start {
                start = text[start..hit.start].find(' ').map_or(hit.start, |i| start + i + 1);
            }
            let mut end = floor_boundary(text, (hit.end + EXCERPT_CONTEXT).min(block_end));
            if end < block_end {
                end = text[hit.end..end].rfind(' ').map_or(hit.end, |i| hit.end + i);
            }
            (text[start..end].to_string(), start > block_start, end < block_end)
        }
        let words = ["neglect", "é", "a", "think family", "\n", "ünïcode wörds", "x"];
        for (k, sep) in (1..12).zip([" ", "", " ", "\n", " "].into_iter().cycle()) {
            let text: String = (0..400).map(|i| words[(i * k + i / 3) % words.len()]).collect::<Vec<_>>().join(sep);
            for (at, _) in text.match_indices("neglect") {
                let e = excerpt(&text, at..at + 7, &[]);
                assert_eq!((e.text.clone(), e.cut_before, e.cut_after), whole(&text, at..at + 7), "{k} at {at}");
            }
        }
    }

    #[test]
    fn excerpts_cut_at_spaces_and_mark_every_occurrence() {
        let text = "a ".repeat(50) + "neglect is neglect" + &" b".repeat(50);
        let prepared = Prepared::new(&text);
        let f = Matcher::new(&themes()).find(&prepared);
        let marks: Vec<_> = f.iter().map(|f| f.range.clone()).collect();
        let e = excerpt(&prepared.display, marks[0].clone(), &marks);
        assert!(e.cut_before && e.cut_after);
        assert!(e.text.starts_with("a ") && e.text.ends_with(" b"), "{}", e.text);
        assert_eq!(e.marks.len(), 2);
        assert!(e.marks.iter().all(|m| &e.text[m.clone()] == "neglect"));
        let short = excerpt("neglect", 0..7, std::slice::from_ref(&(0..7)));
        assert_eq!((short.text.as_str(), short.cut_before, short.cut_after), ("neglect", false, false));
    }

    #[test]
    fn one_mention_per_theme_and_place_leaving_out_tagged_themes() {
        let themes = themes();
        let matcher = Matcher::new(&themes);
        let p = parsed("b", &[], "Neglect and hoarding.", &[("Think family", "Neglect, neglect and think family again.")]);
        let mentions = matcher.briefing_mentions(&p.briefing, &p.prose, &[1]);
        let got: Vec<(Option<usize>, &str)> = mentions.iter().map(|m| (m.section, themes[m.theme].title.as_str())).collect();
        assert_eq!(got, [(None, "Neglect"), (Some(0), "Think Family"), (Some(0), "Neglect")]);
        assert_eq!(mentions[2].excerpt.marks.len(), 2);
    }
}
