//! The search index: a script file (`assets/search-index.js`) that assigns the index to a
//! global, so that it loads from disk (`file://`, where fetching JSON is not allowed) as well
//! as from any host. The page script loads it on first use only.

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use crate::core::dates::DateView;
use crate::core::paths::briefing_url;
use crate::model::{Briefing, Site};

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
    w: &'a str,
    /// Its values of the site's facets ("Adults"), so that a search finds them.
    v: Vec<&'a str>,
}

/// The search index of every briefing of `site`.
pub fn index(site: &Site) -> OutputFile {
    // `</` cannot end a script element early even in a file of its own, but keep it safe to
    // inline: escape it as JSON allows.
    let entry_json = |b: &Briefing| serde_json::to_string(&entry(site, b)).expect("an entry serialises").replace("</", "<\\/");
    let entries: Vec<String> = site.briefings.par_iter().map(entry_json).collect();
    // The same JSON as the list serialised whole, written once into one buffer: for a large
    // site the index is megabytes, and each copy of it counts towards peak memory.
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

fn entry<'a>(site: &'a Site, b: &'a Briefing) -> Entry<'a> {
    Entry {
        t: &b.title,
        u: briefing_url(&b.slug),
        s: b.summary.as_deref().unwrap_or(""),
        h: b.themes.iter().map(|t| site.theme(t).map_or(t.as_str(), |t| t.title.as_str())).collect(),
        f: b.format.label(),
        d: DateView::from(b.published).text,
        w: &b.search_words,
        v: b.facets.iter().map(|f| site.config.facets[f.facet].values[f.value].as_str()).collect(),
    }
}
