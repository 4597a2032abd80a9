//! Markdown bodies: one pass over pulldown-cmark's events splits the body at `##` headings into
//! an introduction and numbered sections, gives every heading a stable anchor, numbers the
//! footnotes across the whole page, rewrites links between sources into links between pages,
//! highlights fenced code, and keeps each part's plain text for word counts and theme mentions.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::checks::body::BodyChecks;
use crate::diagnostics::{Diagnostic, LineCursor, Span};
use crate::model::{Attachment, Block, BlockKind, Body, ExternalLink, Footnote, InternalLink, LinkTarget, Section, Subheading};

/// Anchors the page templates use for their own parts, which sections must not take (theme
/// descriptions are Markdown too, shown on theme pages).
const RESERVED_ANCHORS: &[&str] = &[
    "main", "top", "contents", "contents-title", "footnotes", "footnotes-title", "related", "related-title", "themes-label",
    "tagged-title", "mentioned-title", "related-themes-title",
];

/// Where a body lives: `text[body]` is the Markdown, `text` the whole file (for positions).
pub struct Input<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub body: Range<usize>,
    /// Keep raw HTML as written (site.toml's `allow_unsafe_html`) instead of sanitising it.
    pub unsafe_html: bool,
}

/// A body, split and rendered.
#[derive(Debug, Default)]
pub struct Document {
    pub intro: Body,
    pub sections: Vec<Section>,
    pub footnotes: Vec<Footnote>,
    pub links: Vec<InternalLink>,
    pub attachments: Vec<Attachment>,
    pub external_links: Vec<ExternalLink>,
    pub words: usize,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

pub fn parse(input: &Input<'_>) -> Document {
    let markdown = &input.text[input.body.clone()];
    let mut checks = BodyChecks::new(input.file, input.text, input.body.start, !input.unsafe_html);
    let mut builder = Builder::new(input);
    // The checks see every event, including those a heading or code block takes in one go.
    let mut events = Parser::new_ext(markdown, options()).into_offset_iter().inspect(|(event, range)| checks.observe(event, range.clone()));
    while let Some((event, range)) = events.next() {
        builder.event(event, range, &mut events);
    }
    drop(events);
    let mut document = builder.finish();
    document.diagnostics.extend(checks.finish());
    document
}

/// Events and plain text gathered for one part of the page.
#[derive(Default)]
struct Part<'a> {
    events: Vec<Event<'a>>,
    /// The prose, for theme mentions (see `Body::text`).
    text: String,
    /// Words a reader reads that are left out of `text`: code and link addresses.
    other_words: usize,
    /// Where in `events` the source put raw HTML, which is sanitised unless the site allows it.
    raw_events: Vec<usize>,
}

impl Part<'_> {
    fn words(&self) -> usize {
        crate::words::count(&self.text) + self.other_words
    }

    /// Counts `words` for reading time but keeps them out of the prose, leaving `separator`
    /// in their place.
    fn push_not_prose(&mut self, words: &str, separator: char) {
        self.other_words += crate::words::count(words);
        self.text.push(separator);
    }

    /// Renders the part one top-level block at a time, so that the one-pager can pick blocks
    /// out of it (its first paragraph or list) without parsing HTML. The HTML is the same as
    /// rendering all events at once: pulldown-cmark ends every block with a newline. A block
    /// holding raw HTML from the source is sanitised whole, unless `keep_unsafe_html`: whole,
    /// since an inline `<abbr>` and its `</abbr>` are separate events.
    fn render(mut self, keep_unsafe_html: bool) -> Body {
        let text = std::mem::take(&mut self.text);
        let (html, blocks) = self.render_blocks(keep_unsafe_html);
        Body::new(&html, &text, &blocks)
    }

    /// The HTML of `render`, and its blocks.
    fn render_blocks(self, keep_unsafe_html: bool) -> (String, Vec<Block>) {
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
            if has_raw_html && !keep_unsafe_html {
                let mut unsafe_html = String::new();
                pulldown_cmark::html::push_html(&mut unsafe_html, block.into_iter());
                html.push_str(&super::sanitize::clean(&unsafe_html));
            } else {
                pulldown_cmark::html::push_html(&mut html, block.into_iter());
            }
            blocks.push(Block { kind, html: start..html.len() });
        }
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

struct SectionHead {
    title: String,
    anchor: String,
    line: usize,
    span: Span,
    subheadings: Vec<Subheading>,
}

struct Builder<'i, 'a> {
    input: &'i Input<'a>,
    lines: LineCursor<'a>,
    anchors: HashSet<String>,
    intro: Part<'a>,
    sections: Vec<(SectionHead, Part<'a>)>,
    /// The label of the footnote definition being read, if any.
    in_footnote: Option<String>,
    footnote_numbers: HashMap<String, usize>,
    footnote_refs: Vec<usize>,
    footnote_parts: HashMap<usize, Part<'a>>,
    links: Vec<InternalLink>,
    attachments: Vec<Attachment>,
    external_links: Vec<ExternalLink>,
    /// Tables so far, to label each one's scrolling region.
    tables: usize,
    /// Inside `<https://...>`, whose text is an address.
    in_autolink: bool,
    /// Links to anchors of this page (`#what-was-the-learning`), checked once all are known.
    local_links: Vec<(String, Span)>,
    /// `id`s given in raw HTML, which links may point at too.
    html_ids: HashSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl<'i, 'a> Builder<'i, 'a> {
    fn new(input: &'i Input<'a>) -> Self {
        Builder {
            input,
            lines: LineCursor::new(input.text),
            anchors: RESERVED_ANCHORS.iter().map(|s| s.to_string()).collect(),
            intro: Part::default(),
            sections: Vec::new(),
            in_footnote: None,
            footnote_numbers: HashMap::new(),
            footnote_refs: Vec::new(),
            footnote_parts: HashMap::new(),
            links: Vec::new(),
            attachments: Vec::new(),
            external_links: Vec::new(),
            tables: 0,
            in_autolink: false,
            local_links: Vec::new(),
            html_ids: HashSet::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The part that events go to now: a footnote, the current section, or the introduction.
    fn part(&mut self) -> &mut Part<'a> {
        if let Some(label) = &self.in_footnote {
            let number = self.footnote_numbers[label];
            return self.footnote_parts.entry(number).or_default();
        }
        match self.sections.last_mut() {
            Some((_, part)) => part,
            None => &mut self.intro,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>, events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let inner = take_inner(events);
                self.heading(level, inner, range);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let code: String = take_inner(events)
                    .into_iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(t.into_string()),
                        _ => None,
                    })
                    .collect();
                let lang = match &kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    pulldown_cmark::CodeBlockKind::Indented => "",
                };
                let html = crate::highlight::code_block(&code, lang);
                let part = self.part();
                part.push_not_prose(&code, '\n');
                part.events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote_number(&label);
                self.in_footnote = Some(label.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => self.in_footnote = None,
            Event::Start(Tag::Table(alignments)) => {
                // A wide table scrolls inside its own region rather than making the page
                // scroll sideways at 320 px (WCAG 1.4.10); the region is focusable so that
                // keyboard users can scroll it (WCAG 2.1.1).
                self.tables += 1;
                let open = format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\">\n", self.tables);
                let part = self.part();
                part.events.push(Event::Html(open.into()));
                part.events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                let part = self.part();
                part.events.push(Event::End(TagEnd::Table));
                part.events.push(Event::Html("</div>\n".into()));
                part.text.push('\n');
            }
            other => {
                let raw_html = is_raw_html(&other);
                if let Event::Html(html) | Event::InlineHtml(html) = &other {
                    self.html_ids.extend(html_ids(html).map(str::to_string));
                }
                let other = self.inline(other, range);
                let in_autolink = self.in_autolink;
                let part = self.part();
                if raw_html {
                    part.raw_events.push(part.events.len());
                }
                match &other {
                    Event::Code(code) => part.push_not_prose(code, ' '),
                    Event::Text(url) if in_autolink => part.push_not_prose(url, ' '),
                    _ => push_text(&mut part.text, &other),
                }
                part.events.push(other);
            }
        }
    }

    /// Rewrites the events that change wherever they occur: links and footnote references.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>) -> Event<'a> {
        match event {
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                self.attachment(&dest_url, range);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                // The text of <https://...> is its address, which is not prose.
                self.in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let dest_url = self.link(dest_url, range);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Link) => {
                self.in_autolink = false;
                event
            }
            Event::FootnoteReference(label) => {
                let number = self.footnote_number(&label);
                self.footnote_refs[number - 1] += 1;
                let count = self.footnote_refs[number - 1];
                let id = if count == 1 { format!("fnref-{number}") } else { format!("fnref-{number}-{count}") };
                Event::InlineHtml(
                    format!("<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{id}\" aria-describedby=\"footnotes-title\">{number}</a></sup>")
                        .into(),
                )
            }
            // A disabled checkbox has no label and does nothing on a page; a box that prints,
            // with its state in words for screen readers, serves readers and trainers better.
            Event::TaskListMarker(done) => Event::InlineHtml(
                if done {
                    "<span class=\"task-box\" aria-hidden=\"true\">\u{2611}</span><span class=\"visually-hidden\">Done: </span>"
                } else {
                    "<span class=\"task-box\" aria-hidden=\"true\">\u{2610}</span><span class=\"visually-hidden\">Not done: </span>"
                }
                .into(),
            ),
            other => other,
        }
    }

    fn heading(&mut self, level: HeadingLevel, inner: Vec<(Event<'a>, Range<usize>)>, range: Range<usize>) {
        let title = plain_text(inner.iter().map(|(e, _)| e));
        let anchor = self.unique_anchor(&title);
        let at = self.input.body.start + range.start;
        if level <= HeadingLevel::H2 && self.in_footnote.is_none() {
            if level == HeadingLevel::H1 {
                self.diagnostics.push(
                    Diagnostic::warning("h1-in-body", "a # heading in the text; it was treated as a ## section")
                        .in_file(self.input.file)
                        .at_span(self.lines.span(at..at + 1))
                        .help("the title comes from the front matter; start sections with ## and subsections with ###"),
                );
            }
            let span = self.lines.span(at..at + range.len());
            let head = SectionHead { title, anchor, line: span.line, span, subheadings: Vec::new() };
            self.sections.push((head, Part::default()));
            return;
        }
        if level == HeadingLevel::H3 {
            if let Some((head, _)) = self.sections.last_mut() {
                head.subheadings.push(Subheading { title: title.clone(), anchor: anchor.clone() });
            }
        }
        let raw_html = inner.iter().any(|(e, _)| is_raw_html(e));
        let inner: Vec<Event<'a>> = inner.into_iter().map(|(e, r)| self.inline(e, r)).collect();
        let part = self.part();
        if raw_html {
            part.raw_events.push(part.events.len());
        }
        part.text.push_str(&title);
        part.text.push('\n');
        part.events.push(Event::Start(Tag::Heading { level, id: Some(anchor.into()), classes: vec![], attrs: vec![] }));
        part.events.extend(inner);
        part.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// A slug of `title` not yet used on this page.
    fn unique_anchor(&mut self, title: &str) -> String {
        let base = match slug::slugify(title) {
            s if s.is_empty() => "section".to_string(),
            s if s.starts_with(|c: char| c.is_ascii_digit()) => format!("s-{s}"),
            s => s,
        };
        let mut anchor = base.clone();
        let mut n = 2;
        while !self.anchors.insert(anchor.clone()) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        anchor
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        if let Some(&n) = self.footnote_numbers.get(label) {
            return n;
        }
        self.footnote_refs.push(0);
        let n = self.footnote_refs.len();
        self.footnote_numbers.insert(label.to_string(), n);
        n
    }

    /// Turns a link to another source into a link to its page, and remembers it for checking.
    fn link(&mut self, dest: CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
        let at = self.input.body.start + range.start;
        if let Some(anchor) = dest.strip_prefix('#').filter(|a| !a.is_empty()) {
            let span = self.lines.span(at..self.input.body.start + range.end);
            self.local_links.push((anchor.to_string(), span));
            return dest;
        }
        let Some(target) = link_target(&dest) else {
            self.attachment(&dest, range);
            return dest;
        };
        let span = self.lines.span(at..self.input.body.start + range.end);
        let href = match &target {
            LinkTarget::Briefing { slug, anchor: Some(anchor) } => format!("../../briefings/{slug}/index.html#{anchor}"),
            LinkTarget::Briefing { slug, anchor: None } => format!("../../briefings/{slug}/index.html"),
            LinkTarget::Theme { slug } => format!("../../themes/{slug}/index.html"),
        };
        self.links.push(InternalLink { target, span });
        href.into()
    }

    /// Remembers a relative link or image that names a file, for the write stage to check, and
    /// one on another site, for `check --external`.
    fn attachment(&mut self, dest: &str, range: Range<usize>) {
        let base = self.input.body.start;
        if let Some(url) = web_address(dest) {
            let span = self.lines.span(base + range.start..base + range.end);
            self.external_links.push(ExternalLink { url, span });
        }
        if let Some(path) = attachment_path(dest) {
            let span = self.lines.span(base + range.start..base + range.end);
            self.attachments.push(Attachment { path, span });
        }
    }

    /// Links to anchors this page does not have are errors, like links to missing pages.
    fn check_local_links(&mut self) {
        for (anchor, span) in std::mem::take(&mut self.local_links) {
            if self.anchors.contains(&anchor) || self.html_ids.contains(&anchor) || is_footnote_anchor(&anchor) {
                continue;
            }
            let headings = self.anchors.iter().filter(|a| !RESERVED_ANCHORS.contains(&a.as_str()));
            let help = match crate::diagnostics::did_you_mean(&anchor, headings.map(String::as_str)) {
                Some(near) => format!("did you mean #{near}?"),
                None => "a section's anchor is its title in lowercase with hyphens, like #what-was-the-learning".to_string(),
            };
            self.diagnostics.push(
                Diagnostic::error("broken-link", format!("this links to `#{anchor}`, which is not a section of this page"))
                    .in_file(self.input.file)
                    .at_span(span)
                    .help(help),
            );
        }
    }

    fn finish(mut self) -> Document {
        self.check_local_links();
        let keep = self.input.unsafe_html;
        let mut words = self.intro.words();
        let sections: Vec<Section> = std::mem::take(&mut self.sections)
            .into_iter()
            .enumerate()
            .map(|(i, (head, part))| {
                let section_words = crate::words::count(&head.title) + part.words();
                words += section_words;
                Section {
                    number: i + 1,
                    title: head.title,
                    anchor: head.anchor,
                    body: part.render(keep),
                    subheadings: head.subheadings,
                    line: head.line,
                    heading: head.span,
                    words: section_words,
                }
            })
            .collect();
        let mut footnotes: Vec<Footnote> = self
            .footnote_parts
            .into_iter()
            .map(|(number, part)| {
                words += part.words();
                Footnote { number, html: crate::packed::Packed::new(&part.render_blocks(keep).0), references: self.footnote_refs[number - 1] }
            })
            .collect();
        footnotes.sort_by_key(|f| f.number);
        Document {
            intro: self.intro.render(keep),
            sections,
            footnotes,
            links: self.links,
            attachments: self.attachments,
            external_links: self.external_links,
            words,
            diagnostics: self.diagnostics,
        }
    }
}

/// The values of `id="..."` attributes in raw HTML (a rough scan: enough to accept links to
/// them, never used to change the page).
fn html_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("id=").filter_map(move |(i, _)| {
        let rest = &html[i + 3..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        rest[1..].split(quote).next()
    })
}

/// The anchors footnotes get: `fn-2`, `fnref-2`, `fnref-2-3`.
fn is_footnote_anchor(anchor: &str) -> bool {
    let rest = anchor.strip_prefix("fnref-").or_else(|| anchor.strip_prefix("fn-"));
    rest.is_some_and(|r| !r.is_empty() && r.split('-').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
}

fn is_raw_html(event: &Event<'_>) -> bool {
    matches!(event, Event::Html(_) | Event::InlineHtml(_))
}

/// The events up to the end of the element just started (its `End` is consumed, not returned).
fn take_inner<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    let mut depth = 1;
    let mut inner = Vec::new();
    for (event, range) in events.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        inner.push((event, range));
    }
    inner
}

fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut text = String::new();
    for event in events {
        push_text(&mut text, event);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds what a reader sees of `event` to `text`, with a space wherever words are separated
/// and a line break where a block (paragraph, list item, table cell, heading) ends.
fn push_text(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::End(end) if !is_inline_end(end) => text.push('\n'),
        _ => {}
    }
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image | TagEnd::Superscript | TagEnd::Subscript
    )
}

/// `text` with `<`, `>`, `&` and quotes escaped for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Whether `dest` starts with a scheme (`https:`, `mailto:`, `data:`): a colon before the
/// first slash. Links with one are not ours to resolve.
pub fn has_scheme(dest: &str) -> bool {
    dest.split('/').next().is_some_and(|first| first.contains(':'))
}

/// The address a page links to for `dest` when it is on another site (`http:` or `https:`):
/// percent-encoded as pulldown-cmark writes it into the page, so that it matches the page's
/// `href` and is a valid request address.
pub fn web_address(dest: &str) -> Option<String> {
    let scheme = dest.split_once("://")?.0;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let mut href = String::with_capacity(dest.len());
    pulldown_cmark_escape::escape_href(&mut href, dest).expect("writing to a String cannot fail");
    Some(href.replace("&amp;", "&").replace("&#x27;", "'"))
}

/// Whether `dest` is a path relative to the page: not a web address, an absolute path or an
/// anchor on the page itself.
pub fn is_relative_path(dest: &str) -> bool {
    !(dest.starts_with('/') || dest.starts_with('#') || has_scheme(dest))
}

/// The decoded file path a relative link or image names, if it names one: not a web address,
/// an absolute path, an anchor on this page, or a path that climbs out (a separate warning).
pub fn attachment_path(dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if !is_relative_path(dest) || path.is_empty() || path.split('/').any(|part| part == "..") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    Some(decoded.trim_start_matches("./").to_string())
}

/// What a relative link to a `.md` source points at; `None` for any other link.
pub fn link_target(dest: &str) -> Option<LinkTarget> {
    if !is_relative_path(dest) {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let file = parts.last()?.strip_suffix(".md")?;
    let slug = if file == "index" { parts.iter().rev().nth(1)?.to_string() } else { file.to_string() };
    let is_theme = parts.len() >= 2 && parts[parts.len() - 2] == "themes";
    Some(if is_theme {
        LinkTarget::Theme { slug }
    } else {
        LinkTarget::Briefing { slug, anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(markdown: &str) -> Document {
        let input = Input { file: Path::new("b.md"), text: markdown, body: 0..markdown.len(), unsafe_html: false };
        parse(&input)
    }

    #[test]
    fn splits_intro_and_numbered_sections() {
        let d = doc("Intro text.\n\n## Background\n\nOne.\n\n## What was the learning?\n\nTwo.\n");
        assert!(d.intro.html.unpack().contains("Intro text."));
        assert_eq!(d.sections.len(), 2);
        assert_eq!((d.sections[1].number, d.sections[1].anchor.as_str()), (2, "what-was-the-learning"));
        assert_eq!(d.sections[1].line, 7);
        assert!(d.sections[0].body.html.unpack().contains("<p>One.</p>"));
        assert!(!d.sections[0].body.html.unpack().contains("Two"));
    }

    #[test]
    fn anchors_are_unique_and_never_reserved() {
        let d = doc("## Notes\n## Notes\n## Contents\n### Notes\n## 2024 review\n");
        let anchors: Vec<_> = d.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["notes", "notes-2", "contents-2", "s-2024-review"]);
        assert_eq!(d.sections[2].subheadings[0].anchor, "notes-3");
        assert!(d.sections[2].body.html.unpack().contains("<h3 id=\"notes-3\">Notes</h3>"));
    }

    #[test]
    fn footnotes_are_numbered_across_sections() {
        let d = doc("## A\n\nFirst[^x] and again[^x].\n\n## B\n\nSecond[^y].\n\n[^y]: Why.\n[^x]: Because.\n");
        assert!(d.sections[0].body.html.unpack().contains("href=\"#fn-1\" id=\"fnref-1\""));
        assert!(d.sections[0].body.html.unpack().contains("id=\"fnref-1-2\""));
        assert!(d.sections[1].body.html.unpack().contains("href=\"#fn-2\""));
        assert_eq!(d.footnotes.len(), 2);
        assert!(d.footnotes[0].html.unpack().contains("Because."));
        assert_eq!(d.footnotes[0].references, 2);
        assert!(!d.sections[1].body.html.unpack().contains("Because."));
    }

    #[test]
    fn links_between_sources_become_page_links() {
        let d = doc("## A\n\nSee [the other](other-one.md#what-was-the-learning), [bundle](../b/index.md) and [a theme](../themes/neglect.md).\n");
        let html = &d.sections[0].body.html.unpack();
        assert!(html.contains("href=\"../../briefings/other-one/index.html#what-was-the-learning\""), "{html}");
        assert!(html.contains("href=\"../../briefings/b/index.html\""), "{html}");
        assert!(html.contains("href=\"../../themes/neglect/index.html\""), "{html}");
        assert_eq!(d.links.len(), 3);
        assert_eq!(d.links[0].span.line, 3);
    }

    #[test]
    fn links_within_the_page_must_land() {
        let d = doc("## What was the learning?\n\n[a](#what-was-the-learning) [b](#fn-1) [c](#top) [d](#box)\n\n<div id=\"box\">x</div>\n\n[e](#what-was-the-lerning) [f](#)\n");
        let errors: Vec<_> = d.diagnostics.iter().filter(|d| d.code == "broken-link").collect();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean #what-was-the-learning?"));
        assert_eq!(errors[0].span.as_ref().unwrap().line, 7);
    }

    #[test]
    fn web_links_and_images_are_kept_with_their_place() {
        let d = doc("## A\n\n[a](https://example.org/a?x=1&y=caf\u{e9}) <https://example.org/b>\n\n![c](HTTP://example.org/c.png) [d](mailto:x@example.org) [e](other.md)\n");
        let found: Vec<(&str, usize)> = d.external_links.iter().map(|l| (l.url.as_str(), l.span.line)).collect();
        assert_eq!(found, [("https://example.org/a?x=1&y=caf%C3%A9", 3), ("https://example.org/b", 3), ("HTTP://example.org/c.png", 5)]);
        assert!(d.sections[0].body.html.unpack().contains("href=\"https://example.org/a?x=1&amp;y=caf%C3%A9\""), "the address is the page's href");
    }

    #[test]
    fn other_links_are_left_alone() {
        for dest in ["https://example.org/a.md", "/abs.md", "#anchor", "mailto:x@example.org", "picture.png"] {
            assert_eq!(link_target(dest), None, "{dest}");
        }
    }

    #[test]
    fn words_count_text_not_markup() {
        let d = doc("Two words.\n\n## Three more words\n\n- a **bold** claim\n\n| x | y |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(d.words, 2 + 3 + 3 + 4);
    }

    #[test]
    fn code_and_link_addresses_count_as_words_but_are_not_prose() {
        let d = doc("## A\n\nSee `neglect` and <https://example.org/neglect> or [the guide](https://example.org/x).\n\n```\nneglect here\n```\n");
        let text = &d.sections[0].body.text.unpack();
        assert!(!text.contains("neglect"), "{text}");
        assert!(text.contains("the guide"), "{text}");
        assert_eq!(d.words, 1 + 7 + 2);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let d = doc("## A\n\n```python\ntitle = \"x\"\n```\n");
        let html = &d.sections[0].body.html.unpack();
        assert!(html.contains("<pre class=\"code\""), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn tables_scroll_in_a_labelled_focusable_region() {
        let d = doc("## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n");
        let html = &d.sections[0].body.html.unpack();
        assert!(html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"), "{html}");
        assert!(html.contains("aria-label=\"Table 2\""), "{html}");
        assert_eq!(html.matches("</table>\n</div>").count(), 2, "{html}");
    }

    #[test]
    fn task_list_items_say_their_state_in_words() {
        let d = doc("## A\n\n- [ ] Read it\n- [x] Discuss it\n");
        let html = &d.sections[0].body.html.unpack();
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("Not done: </span>Read it"), "{html}");
        assert!(html.contains("Done: </span>Discuss it"), "{html}");
    }

    #[test]
    fn raw_html_passes_through() {
        let d = doc("## A\n\n<table><tr><td><ol><li>x</li></ol></td></tr></table>\n");
        assert!(d.sections[0].body.html.unpack().contains("<td><ol><li>x</li></ol></td>"));
    }

    #[test]
    fn raw_html_is_sanitised_block_by_block() {
        let d = doc("## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee <abbr title=\"Safeguarding Adults Review\">SAR</abbr><script>x()</script> and **more**.\n\n- a\n- b\n");
        let body = &d.sections[0].body;
        let html = body.html.unpack();
        assert!(html.contains("<abbr title=\"Safeguarding Adults Review\">SAR</abbr> and <strong>more</strong>"), "{}", html);
        assert!(!html.contains("script") && !html.contains("x()"), "{}", html);
        assert!(html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"), "the table's region is untouched: {}", html);
        let lead = &html[body.lead.clone().unwrap()];
        assert_eq!(lead, "<p>See <abbr title=\"Safeguarding Adults Review\">SAR</abbr> and <strong>more</strong>.</p>\n", "the lead is where the sanitised paragraph is");
    }

    #[test]
    fn blocks_split_the_html_at_top_level() {
        let md = "## A\n\nLead-in:\n\n- one\n  - nested\n\n  more\n- two\n\n> quote\n\n***\n\n| x |\n|---|\n| 1 |\n\nEnd.\n";
        let d = doc(md);
        let body = &d.sections[0].body;
        let html = body.html.unpack();
        let mut whole = String::new();
        pulldown_cmark::html::push_html(&mut whole, Parser::new_ext(&md[5..], options()));
        assert_eq!(html.replace("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n", "").replace("</table>\n</div>\n", "</table>\n"), whole, "rendering block by block changes nothing");
        // The paragraph introduces the list, so the lead runs through the list, nested and all.
        let lead = &html[body.lead.clone().unwrap()];
        assert!(lead.starts_with("<p>Lead-in:</p>\n<ul>") && lead.ends_with("</ul>\n") && lead.contains("nested") && lead.contains("two"), "{lead}");
        // The quotation, the rule and the table (with the region it scrolls in) are other blocks.
        let d = doc("## A\n\n> quote\n\n***\n\n| x |\n|---|\n| 1 |\n\nEnd:\n\n> not a list\n");
        let body = &d.sections[0].body;
        assert_eq!(&body.html.unpack()[body.lead.clone().unwrap()], "<p>End:</p>\n", "only a list continues a lead");
        assert_eq!(doc("## A\n\n> only a quote\n").sections[0].body.lead, None);
    }

    #[test]
    fn h1_in_body_is_a_section_with_a_warning() {
        let d = doc("# Oops\n\ntext\n");
        assert_eq!(d.sections.len(), 1);
        assert_eq!(d.diagnostics[0].code, "h1-in-body");
    }
}
