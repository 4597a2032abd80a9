//! The search index: a script file (`assets/search-index.js`) that assigns the index to a
//! global, so that it loads from disk (`file://`, where fetching JSON is not allowed) as well
//! as from any host. The page script loads it on first use only.

use std::collections::BTreeSet;

use serde::Serialize;

use super::views::briefing_url;
use crate::model::{Briefing, Site};
use crate::output::OutputFile;

/// Words too common to help find a briefing.
const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "but", "can", "could", "did", "does", "for", "from", "had", "has",
    "have", "her", "his", "how", "into", "its", "may", "more", "not", "our", "she", "should", "than", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "was", "were", "what", "when", "where", "which", "who",
    "will", "with", "would", "you", "your",
];

#[derive(Serialize)]
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

pub fn index(site: &Site) -> OutputFile {
    let entries: Vec<Entry> = site.briefings.iter().map(|b| entry(site, b)).collect();
    let json = serde_json::to_string(&entries).expect("the index serialises");
    // `</` cannot end a script element early even in a file of its own, but keep it safe to
    // inline: escape it as JSON allows.
    let json = json.replace("</", "<\\/");
    OutputFile { path: "assets/search-index.js".into(), contents: format!("window.BRIEFING_SEARCH_INDEX = {json};\n").into_bytes() }
}

fn entry<'a>(site: &'a Site, b: &'a Briefing) -> Entry<'a> {
    Entry {
        t: &b.title,
        u: briefing_url(&b.slug),
        s: b.summary.as_deref().unwrap_or(""),
        h: b.themes.iter().map(|t| site.theme(t).map_or(t.as_str(), |t| t.title.as_str())).collect(),
        f: b.format.label(),
        d: crate::model::DateView::from(b.published).text,
        w: words(b),
    }
}

/// Distinct lowercase words of three letters or more, in order, without stop words.
fn words(b: &Briefing) -> String {
    let texts = std::iter::once(b.intro.text.as_str()).chain(b.sections.iter().flat_map(|s| [s.title.as_str(), s.body.text.as_str()]));
    let mut set = BTreeSet::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 3 {
                let word = word.to_lowercase();
                if !STOP_WORDS.contains(&word.as_str()) {
                    set.insert(word);
                }
            }
        }
    }
    set.into_iter().collect::<Vec<_>>().join(" ")
}
