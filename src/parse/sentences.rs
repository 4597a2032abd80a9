//! Plain English (GOV.UK style): sentence lengths. Text arrives in pieces with their offsets
//! in the source, in order, and each word is looked at once, so a briefing of any size costs
//! one pass.

use std::borrow::Cow;
use std::ops::Range;

/// GOV.UK: "keep sentences to 25 words or fewer"; over 30 words a sentence is hard for most
/// readers. An average above 20 words is worth a note.
pub const LONG_SENTENCE_WORDS: usize = 30;
pub const HIGH_AVERAGE_WORDS: usize = 20;

/// Words ending in a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &["e.g.", "i.e.", "etc.", "eg.", "ie.", "dr.", "mr.", "mrs.", "ms.", "no.", "st.", "vs.", "cf.", "approx."];

/// A sentence over the limit: where it is in the source and how many words it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongSentence {
    pub range: Range<usize>,
    pub words: usize,
}

/// Counts sentences and their words as text is fed in.
#[derive(Debug, Default)]
pub struct Sentences {
    /// Words in the sentence being read, and where it started and has got to.
    words: usize,
    start: usize,
    end: usize,
    pub sentences: usize,
    pub total_words: usize,
    pub long: Vec<LongSentence>,
}

impl Sentences {
    /// Feeds a piece of running text that starts at byte `offset` of the source.
    pub fn text(&mut self, text: &str, offset: usize) {
        for (i, word) in crate::core::words::with_offsets(text) {
            if !crate::core::words::has_alphanumeric(word) {
                // A stop after a footnote mark or a link arrives on its own: "carer[^1]. Much".
                if ends_sentence(word) {
                    self.end_sentence();
                }
                continue;
            }
            if self.words == 0 {
                self.start = offset + i;
            }
            self.words += 1;
            self.end = offset + i + word.len();
            if ends_sentence(word) {
                self.end_sentence();
            }
        }
    }

    /// The end of a paragraph, list item, table cell or heading: a sentence ends there too.
    pub fn end_sentence(&mut self) {
        if self.words == 0 {
            return;
        }
        self.sentences += 1;
        self.total_words += self.words;
        if self.words > LONG_SENTENCE_WORDS {
            self.long.push(LongSentence { range: self.start..self.end, words: self.words });
        }
        self.words = 0;
    }

    /// Average words a sentence, rounded to the nearest whole word.
    pub fn average(&self) -> usize {
        (self.total_words + self.sentences / 2).checked_div(self.sentences).unwrap_or(0)
    }
}

fn ends_sentence(word: &str) -> bool {
    let bare = word.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
    let Some(last) = bare.chars().last() else { return false };
    if last == '?' || last == '!' {
        return true;
    }
    if last != '.' {
        return false;
    }
    // Most words that end a sentence are in lower case already: those are not copied.
    let lower: Cow<str> = match bare.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        true => Cow::Owned(bare.to_lowercase()),
        false => Cow::Borrowed(bare),
    };
    // "A." and "J." are initials; "1." is a list number or a section number.
    let stem = &lower[..lower.len() - 1];
    !(ABBREVIATIONS.contains(&lower.as_ref()) || stem.chars().count() == 1 || stem.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sentences_and_finds_long_ones() {
        let mut s = Sentences::default();
        let long = "word ".repeat(31);
        let text = format!("Short one. Another, e.g. this one? {}end.", long);
        s.text(&text, 100);
        s.end_sentence();
        assert_eq!(s.sentences, 3);
        assert_eq!(s.long.len(), 1);
        assert_eq!(s.long[0].words, 32);
        assert_eq!(s.long[0].range.start, 100 + text.find("word").unwrap());
        assert_eq!(s.average(), 13);
    }

    #[test]
    fn sentence_ends_and_abbreviations() {
        for (word, ends) in [("child.", true), ("Child.", true), ("e.g.", false), ("E.G.", false), ("J.", false), ("1.", false), ("well?\u{201d}", true), ("caf\u{c9}.", true), ("\u{c9}.", false), ("Mrs.", false), ("word", false)] {
            assert_eq!(ends_sentence(word), ends, "{word}");
        }
    }

    #[test]
    fn block_ends_close_sentences() {
        let mut s = Sentences::default();
        s.text("A heading without a stop", 0);
        s.end_sentence();
        s.end_sentence();
        s.text("Next", 30);
        s.end_sentence();
        assert_eq!(s.sentences, 2);
    }
}
