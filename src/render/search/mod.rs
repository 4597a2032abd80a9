//! The search index: a script file (`assets/search-index.js`) that assigns the index to a
//! global, so that it loads from disk (`file://`, where fetching JSON is not allowed) as well
//! as from any host. Only the search page loads it.
//!
//! It holds the site's vocabulary (every word, in families that one search finds together:
//! see `vocabulary`), the stop words the index leaves out, and for each briefing what a result
//! shows (title, summary, themes, format, date) and what it is found by: for the introduction
//! and each section, its anchor, heading, first sentences (the excerpt) and the families of
//! its words. Families are numbers, delta-coded: a section's words cost a few bytes each.

mod vocabulary;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::OutputFile;
use crate::core::dates::DateView;
use crate::core::paths::briefing_url;
use crate::model::{Briefing, Site};
use crate::parse::search::{search_words, STOP_WORDS};
use vocabulary::Vocabulary;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title, URL (relative to the root), summary, theme titles, format and date shown in results.
    t: &'a str,
    u: String,
    s: &'a str,
    h: Vec<&'a str>,
    f: &'static str,
    d: String,
    /// Its values of the site's facets ("Adults"): found as themes are.
    v: Vec<&'a str>,
    /// The parts of its text that have any.
    p: Vec<Part<'a>>,
}

/// One part of a briefing's text (serialised as an array): the anchor and heading of its
/// section (empty for the introduction), its excerpt, and the families of its words that no
/// part before it has, ascending, each as the difference from the one before.
#[derive(Serialize)]
struct Part<'a>(&'a str, &'a str, &'a str, Vec<u32>);

/// What the index holds besides the entries: the stop words, and the families of words, each
/// as its stems, `|` and its words.
#[derive(Serialize)]
struct Head {
    stop: String,
    v: Vec<String>,
}

/// Where the index goes.
pub const INDEX: &str = "assets/search-index.js";

/// The search index of every briefing of `site`.
pub fn index(site: &Site) -> OutputFile {
    let heads: Vec<String> = site.briefings.par_iter().map(|b| search_words(shown(site, b).into_iter())).collect();
    let vocabulary = Vocabulary::new(site_words(site, &heads));
    let head = Head { stop: STOP_WORDS.join(" "), v: vocabulary.families.iter().zip(&vocabulary.stems).map(|(words, stems)| format!("{}|{}", stems.join(" "), words.join(" "))).collect() };
    let entries: Vec<String> = site.briefings.par_iter().map(|b| json(&entry(site, b, &vocabulary))).collect();
    let head = json(&head);
    // One buffer of the right size: for a large site the index is megabytes, and each copy of
    // it counts towards peak memory.
    let (open, close) = ("window.BRIEFING_SEARCH_INDEX = ", "]};\n");
    let mut js = String::with_capacity(open.len() + head.len() + 6 + entries.iter().map(|e| e.len() + 1).sum::<usize>() + close.len());
    js.push_str(open);
    js.push_str(head.strip_suffix('}').expect("an object"));
    js.push_str(",\"e\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            js.push(',');
        }
        js.push_str(e);
    }
    js.push_str(close);
    OutputFile::new(INDEX, js.into_bytes())
}

/// `value` as JSON. `</` cannot end a script element early even in a file of its own, but
/// keep it safe to inline: escape it as JSON allows.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("index values serialise").replace("</", "<\\/")
}

/// What a result shows of a briefing and is found by besides its text: title, summary and
/// theme titles.
fn shown<'a>(site: &'a Site, b: &'a Briefing) -> Vec<&'a str> {
    let mut texts = vec![b.title.as_str(), b.summary.as_deref().unwrap_or("")];
    texts.extend(theme_titles(site, b));
    texts.extend(facet_values(site, b));
    texts
}

fn facet_values<'a>(site: &'a Site, b: &'a Briefing) -> impl Iterator<Item = &'a str> {
    b.facets.iter().map(|f| site.config.facets[f.facet].values[f.value].as_str())
}

fn theme_titles<'a>(site: &'a Site, b: &'a Briefing) -> impl Iterator<Item = &'a str> {
    b.themes.iter().map(|t| site.theme(t).map_or(t.as_str(), |t| t.title.as_str()))
}

/// Every distinct word of the site: of what results show (`heads`, one for each briefing) and
/// of each part of each briefing's text. Gathered into a set per thread, not a list of every
/// word of every briefing, which for a large site would be millions of entries.
fn site_words<'a>(site: &'a Site, heads: &'a [String]) -> Vec<&'a str> {
    let words_of = |(b, head): (&'a Arc<Briefing>, &'a String)| std::iter::once(head.as_str()).chain(b.search.iter().map(|p| p.words.as_str())).flat_map(|w| w.split(' ')).filter(|w| !w.is_empty());
    site.briefings
        .par_iter()
        .zip(heads)
        .fold(FxHashSet::default, |mut set, pair| {
            set.extend(words_of(pair));
            set
        })
        .reduce(FxHashSet::default, |mut a, b| {
            a.extend(b);
            a
        })
        .into_iter()
        .collect()
}

fn entry<'a>(site: &'a Site, b: &'a Briefing, vocabulary: &Vocabulary) -> Entry<'a> {
    let anchors = std::iter::once(("", "")).chain(b.sections.iter().map(|s| (s.anchor.as_str(), s.title.as_str())));
    // A family is listed only in the first part that has it (as each word is, by the parse):
    // the briefing is found by it all the same, and that part is where its excerpt comes
    // from. Most words of a briefing recur from section to section, so this keeps the index
    // near the size of one list a briefing.
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let parts = anchors
        .zip(b.search.iter())
        .filter(|(_, part)| !part.words.is_empty() || !part.excerpt.is_empty())
        .map(|((anchor, heading), part)| {
            let families = vocabulary.families_of(&part.words).into_iter().filter(|f| seen.insert(*f)).collect();
            Part(anchor, heading, &part.excerpt, deltas(families))
        })
        .collect();
    Entry {
        t: &b.title,
        u: briefing_url(&b.slug),
        s: b.summary.as_deref().unwrap_or(""),
        h: theme_titles(site, b).collect(),
        f: b.format.label(),
        d: DateView::from(b.published).text,
        v: facet_values(site, b).collect(),
        p: parts,
    }
}

/// Ascending numbers as the first and then the difference from each to the next: small
/// numbers, short in JSON.
fn deltas(ascending: Vec<u32>) -> Vec<u32> {
    let mut previous = 0;
    ascending
        .into_iter()
        .map(|n| {
            let d = n - previous;
            previous = n;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// Each number after the first is the step from the one before.
    #[test]
    fn families_are_delta_coded() {
        assert_eq!(super::deltas(vec![3, 4, 10, 200]), vec![3, 1, 6, 190]);
        assert_eq!(super::deltas(vec![]), Vec::<u32>::new());
    }
}
