//! The search index: a script file (`assets/search-index.js`) that assigns the index to a
//! global, so that it loads from disk (`file://`, where fetching JSON is not allowed) as well
//! as from any host. The page script loads it on first use only.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use serde::Serialize;

use super::OutputFile;
use crate::core::dates::DateView;
use crate::core::paths::briefing_url;
use crate::model::{Briefing, Site};

/// Words too common to help find a briefing.
const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "but", "can", "could", "did", "does", "for", "from", "had", "has",
    "have", "her", "his", "how", "into", "its", "may", "more", "not", "our", "she", "should", "than", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "was", "were", "what", "when", "where", "which", "who",
    "will", "with", "would", "you", "your",
];

#[derive(Serialize, Hash)]
struct Entry<'a> {
    /// Title, URL (relative to the root), summary, theme titles, format and date shown in results.
    t: &'a str,
    u: String,
    s: &'a str,
    h: Vec<&'a str>,
    f: &'static str,
    d: String,
    /// The distinct words of the text, space-separated, for prefix matching.
    w: String,
}

/// The search index of every briefing of `site`.
pub fn index(site: &Site) -> OutputFile {
    // `</` cannot end a script element early even in a file of its own, but keep it safe to
    // inline: escape it as JSON allows.
    let entry_json = |b: &Briefing| serde_json::to_string(&entry(site, b, words(b))).expect("an entry serialises").replace("</", "<\\/");
    let entries: Vec<String> = site.briefings.par_iter().map(entry_json).collect();
    // The same JSON as the list serialised whole, written once into one buffer (at 10,000
    // briefings the index is 11 MB: each copy of it counts towards the build's peak memory).
    let (head, tail) = ("window.BRIEFING_SEARCH_INDEX = [", "];\n");
    let mut js = String::with_capacity(head.len() + entries.iter().map(|e| e.len() + 1).sum::<usize>() + tail.len());
    js.push_str(head);
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            js.push(',');
        }
        js.push_str(e);
    }
    js.push_str(tail);
    OutputFile { path: "assets/search-index.js".into(), contents: js.into_bytes() }
}

fn entry<'a>(site: &'a Site, b: &'a Briefing, words: String) -> Entry<'a> {
    Entry {
        t: &b.title,
        u: briefing_url(&b.slug),
        s: b.summary.as_deref().unwrap_or(""),
        h: b.themes.iter().map(|t| site.theme(t).map_or(t.as_str(), |t| t.title.as_str())).collect(),
        f: b.format.label(),
        d: DateView::from(b.published).text,
        w: words,
    }
}

/// Distinct lowercase words of three letters or more, sorted, without stop words.
fn words(b: &Briefing) -> String {
    let texts = std::iter::once(b.intro.text.as_str()).chain(b.sections.iter().flat_map(|s| [s.title.as_str(), s.body.text.as_str()]));
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
    use super::*;
    use crate::site::fixtures::briefing;

    /// Distinct words of three letters or more, lower-cased (ASCII or not), sorted, from the
    /// introduction, section titles and texts, without stop words.
    #[test]
    fn words_are_distinct_lower_case_and_without_stop_words() {
        let b = briefing(
            "b1",
            &[],
            "The child and the Carer's neglect; NEGLECT again.",
            &[("Über die Fassade", "Their façade: why it was missed, and by whom (7 years)."), ("Next", "")],
        );
        // Sorted byte by byte, as the index has always been: "über" after every ASCII word.
        assert_eq!(words(&b), "again carer child die fassade façade missed neglect next whom why years über");
    }
}
