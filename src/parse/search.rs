//! What the search index holds of a briefing's text, worked out while the text is at hand:
//! each part's distinct words (the introduction's, then each section's) and its first
//! sentences for the excerpt under a result.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use crate::core::words;
use crate::model::SearchPart;

/// Words too common to help find a briefing. The index carries this list, so that the page
/// script knows which words of a query it will not find.
pub const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "but", "can", "could", "did", "does", "for", "from", "had", "has",
    "have", "her", "his", "how", "into", "its", "may", "more", "not", "our", "she", "should", "than", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "was", "were", "what", "when", "where", "which", "who",
    "will", "with", "would", "you", "your",
];

/// Distinct lowercase words of three letters or more, sorted, without stop words.
pub fn search_words<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    Seen::new().fresh(texts).join(" ")
}

/// `STOP_WORDS` as a set, made once: a briefing's words are looked up in it.
fn stop_words() -> &'static FxHashSet<&'static str> {
    static STOP: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// The words seen so far in the texts of one briefing, so that each is listed once.
struct Seen {
    // FxHash: SipHash's protection against crafted collisions is not needed for the words of
    // one briefing, and hashing every word was the costliest part of the index.
    words: FxHashSet<String>,
    /// A word lowercased, reused from one word to the next.
    lower: String,
}

impl Seen {
    /// Nothing seen yet.
    fn new() -> Seen {
        Seen { words: FxHashSet::default(), lower: String::new() }
    }

    /// The words of three letters or more in `texts`, lowercased, that were not seen before,
    /// sorted.
    fn fresh<'a>(&mut self, texts: impl Iterator<Item = &'a str>) -> Vec<String> {
        let mut fresh = Vec::new();
        for word in texts.flat_map(words::alphanumeric_runs) {
            if word.len() < 3 || word.chars().nth(2).is_none() {
                continue;
            }
            // Most words are lowercase already: those are looked up as they are.
            let word = if !word.bytes().any(|c| c.is_ascii_uppercase() || !c.is_ascii()) {
                word
            } else {
                self.lower.clear();
                if word.is_ascii() {
                    self.lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    // str::to_lowercase knows rules char by char lowercasing does not (final sigma).
                    self.lower.push_str(&word.to_lowercase());
                }
                self.lower.as_str()
            };
            if self.words.contains(word) {
                continue;
            }
            // A stop word is noted as seen, so that its next use costs one look-up.
            self.words.insert(word.to_string());
            if !stop_words().contains(word) {
                fresh.push(word.to_string());
            }
        }
        fresh.sort_unstable();
        fresh
    }
}

/// An excerpt aims at this many characters: one or two sentences, a line or two under a result.
/// Every section of every briefing has one in the index, so this sets most of its size.
const EXCERPT_CHARS: usize = 150;

/// The search parts of a briefing: its introduction, then each section with its heading.
/// `sections`: each section's title and prose.
///
/// A part lists only the words no part before it has: the index lists each word once a
/// briefing, in the first part that has it (where its excerpt comes from), and the model keeps
/// no more than that of every briefing of the site.
pub fn search_parts<'a>(intro: &str, sections: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<SearchPart> {
    let mut seen = Seen::new();
    let intro = SearchPart { words: seen.fresh(std::iter::once(intro)).join(" "), excerpt: excerpt(intro) };
    let sections: Vec<SearchPart> =
        sections.map(|(title, prose)| SearchPart { words: seen.fresh([title, prose].into_iter()).join(" "), excerpt: excerpt(prose) }).collect();
    std::iter::once(intro).chain(sections).collect()
}

/// The first sentences of `prose` (blocks one a line), whole, up to about `EXCERPT_CHARS`
/// characters: at least the first sentence, cut at a word with "…" only when that alone is
/// longer.
pub fn excerpt(prose: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for sentence in prose.lines().flat_map(sentences) {
        let len = sentence.chars().count();
        if chars > 0 && chars + 1 + len > EXCERPT_CHARS {
            break;
        }
        if chars > 0 {
            out.push(' ');
        }
        out.push_str(sentence);
        chars += len + usize::from(chars > 0);
        // A block without a full stop (a list item, a heading) runs into the next one: mark
        // where it ends.
        if !sentence.ends_with(['.', '!', '?', ':', ';']) {
            out.push(';');
            chars += 1;
        }
    }
    let out = out.trim_end_matches(';');
    if out.chars().count() <= EXCERPT_CHARS {
        return out.to_string();
    }
    // One long sentence: cut at the last space before the limit.
    let cut: String = out.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end_matches([',', ';', ':', ' ']);
    format!("{cut}…")
}

/// The sentences of one block of prose: each ends at ". ", "? " or "! " before a capital
/// letter or a digit, or at the block's end.
fn sentences(block: &str) -> impl Iterator<Item = &str> {
    let block = block.trim();
    let mut rest = block;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (1..bytes.len().saturating_sub(1))
            .find(|&i| matches!(bytes[i - 1], b'.' | b'?' | b'!') && bytes[i] == b' ' && rest[i + 1..].starts_with(|c: char| c.is_uppercase() || c.is_numeric()))
            .unwrap_or(rest.len());
        let (sentence, tail) = rest.split_at(end);
        rest = tail.trim_start();
        Some(sentence.trim_end())
    })
}

#[cfg(test)]
mod tests {
    /// Distinct words of three letters or more, lower-cased (ASCII or not), sorted, without
    /// stop words.
    #[test]
    fn words_are_distinct_lower_case_and_without_stop_words() {
        let texts = ["The child and the Carer's neglect; NEGLECT again.", "Über die Fassade", "Their façade: why it was missed, and by whom (7 years).", "Next", ""];
        // Sorted byte by byte, as the index has always been: "über" after every ASCII word.
        assert_eq!(super::search_words(texts.into_iter()), "again carer child die fassade façade missed neglect next whom why years über");
    }

    /// Whole sentences up to the limit; block ends marked; "e.g. the" does not end a sentence.
    #[test]
    fn an_excerpt_is_the_first_whole_sentences() {
        let prose = "Ask who lives there, e.g. the new partner. Check what you are told. Then write it down so that the next worker who visits the family knows it too, and can act on it without asking again.\nA second block.\n";
        assert_eq!(super::excerpt(prose), "Ask who lives there, e.g. the new partner. Check what you are told.");
        assert_eq!(super::excerpt("Three questions help:\nWho lives here\nWho visits\n"), "Three questions help: Who lives here; Who visits");
        assert_eq!(super::excerpt(""), "");
    }

    /// A first sentence over the limit is cut at a word, and says so.
    #[test]
    fn a_long_first_sentence_is_cut_at_a_word() {
        let prose = "word ".repeat(60);
        let excerpt = super::excerpt(&prose);
        assert!(excerpt.ends_with("word…"), "{excerpt}");
        assert!(excerpt.chars().count() <= super::EXCERPT_CHARS + 1, "{excerpt}");
    }

    /// The introduction first, then each section, whose words include its heading's.
    #[test]
    fn parts_are_the_introduction_then_each_section() {
        let parts = super::search_parts("Intro text here.", [("Background", "Neglect at home."), ("Neglect", "Home again; more text.")].into_iter());
        assert_eq!(parts.len(), 3);
        assert_eq!((parts[0].words.as_str(), parts[0].excerpt.as_str()), ("here intro text", "Intro text here."));
        assert_eq!((parts[1].words.as_str(), parts[1].excerpt.as_str()), ("background home neglect", "Neglect at home."));
        // Only the words no part before it has.
        assert_eq!((parts[2].words.as_str(), parts[2].excerpt.as_str()), ("again", "Home again; more text."));
    }
}
