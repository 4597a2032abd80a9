//! The words of a briefing that the search index lists: each distinct word of its text once.

use rustc_hash::FxHashSet;

/// Words too common to help find a briefing.
const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "but", "can", "could", "did", "does", "for", "from", "had", "has",
    "have", "her", "his", "how", "into", "its", "may", "more", "not", "our", "she", "should", "than", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "was", "were", "what", "when", "where", "which", "who",
    "will", "with", "would", "you", "your",
];

/// Distinct lowercase words of three letters or more, sorted, without stop words.
pub fn search_words<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    // Most words repeat, and most are lowercase already: those are looked up as they are, the
    // others lowercased into one buffer, and a word is copied only the first time it is seen.
    // FxHash: SipHash's protection against crafted collisions is not needed for the words of
    // one briefing, and hashing every word was the costliest part of the index.
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut lower = String::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.len() < 3 || word.chars().nth(2).is_none() {
                continue;
            }
            let word = if !word.bytes().any(|c| c.is_ascii_uppercase() || !c.is_ascii()) {
                word
            } else {
                lower.clear();
                if word.is_ascii() {
                    lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    // str::to_lowercase knows rules char by char lowercasing does not (final sigma).
                    lower.push_str(&word.to_lowercase());
                }
                lower.as_str()
            };
            if !seen.contains(word) {
                seen.insert(word.to_string());
            }
        }
    }
    // Once here rather than for each new word above: that was a string comparison with
    // every stop word for each of a briefing's thousand or so distinct words.
    for stop in STOP_WORDS {
        seen.remove(*stop);
    }
    let mut words: Vec<String> = seen.into_iter().collect();
    words.sort_unstable();
    words.join(" ")
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
}
