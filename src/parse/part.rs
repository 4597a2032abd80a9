//! One part of a page (the introduction, a section, a footnote) as the Markdown pass gathers
//! it: its events, its prose, and where raw HTML is; rendered block by block.

use pulldown_cmark::{Event, Tag};

use crate::model::{Block, BlockKind, Body};

/// Events and plain text gathered for one part of the page.
#[derive(Default)]
pub(super) struct Part<'a> {
    pub events: Vec<Event<'a>>,
    /// The prose, for theme mentions (see `model::Prose`).
    pub text: String,
    /// Words a reader reads that are left out of `text`: code and link addresses.
    other_words: usize,
    /// Where in `events` the source put raw HTML, which is sanitised unless the site allows it.
    pub raw_events: Vec<usize>,
}

impl Part<'_> {
    pub fn words(&self) -> usize {
        crate::core::words::count(&self.text) + self.other_words
    }

    /// Counts `words` for reading time but keeps them out of the prose, leaving `separator`
    /// in their place.
    pub fn push_not_prose(&mut self, words: &str, separator: char) {
        self.other_words += crate::core::words::count(words);
        self.text.push(separator);
    }

    /// Renders the part one top-level block at a time, so that the one-pager can pick blocks
    /// out of it (its first paragraph or list) without parsing HTML. The HTML is the same as
    /// rendering all events at once: pulldown-cmark ends every block with a newline. A block
    /// holding raw HTML from the source is sanitised whole, unless `keep_unsafe_html` (then only
    /// its refused addresses go): whole, since an inline `<abbr>` and its `</abbr>` are separate
    /// events.
    /// Also returns its prose.
    pub fn render(mut self, keep_unsafe_html: bool) -> (Body, String) {
        let mut text = std::mem::take(&mut self.text);
        text.shrink_to_fit();
        let (html, blocks) = self.render_blocks(keep_unsafe_html);
        (Body::new(html, &blocks), text)
    }

    /// The HTML of `render`, and its blocks.
    pub fn render_blocks(self, keep_unsafe_html: bool) -> (String, Vec<Block>) {
        let mut html = String::new();
        let mut blocks = Vec::new();
        let mut raw = self.raw_events.iter().peekable();
        let mut events = self.events.into_iter().enumerate();
        while let Some((first_at, first)) = events.next() {
            let kind = match &first {
                Event::Start(Tag::Paragraph) => BlockKind::Paragraph,
                Event::Start(Tag::List(_)) => BlockKind::List,
                _ => BlockKind::Other,
            };
            let mut block = vec![first];
            let mut last_at = first_at;
            let mut depth = block_depth_change(&block[0]);
            while depth > 0 {
                let Some((at, event)) = events.next() else { break };
                depth += block_depth_change(&event);
                block.push(event);
                last_at = at;
            }
            let mut has_raw_html = false;
            while raw.next_if(|&&at| at <= last_at).is_some() {
                has_raw_html = true;
            }
            let start = html.len();
            if has_raw_html {
                let mut unsafe_html = String::new();
                pulldown_cmark::html::push_html(&mut unsafe_html, block.into_iter());
                // Even HTML kept as written loses the addresses the URL policy refuses.
                match keep_unsafe_html {
                    false => html.push_str(&super::sanitize::clean(&unsafe_html)),
                    true => html.push_str(super::sanitize::scrub_urls(&unsafe_html).as_deref().unwrap_or(&unsafe_html)),
                }
            } else {
                pulldown_cmark::html::push_html(&mut html, block.into_iter());
            }
            blocks.push(Block { kind, html: start..html.len() });
        }
        html.shrink_to_fit();
        (html, blocks)
    }
}

fn block_depth_change(event: &Event<'_>) -> i32 {
    match event {
        Event::Start(_) => 1,
        Event::End(_) => -1,
        _ => 0,
    }
}

