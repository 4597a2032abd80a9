//! Markdown bodies: one pass over pulldown-cmark's events splits the body at `##` headings into
//! an introduction and numbered sections, gives every heading a stable anchor, numbers the
//! footnotes across the whole page, rewrites links between sources into links between pages,
//! highlights fenced code, and keeps each part's plain text for word counts and theme mentions.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::checks::BodyChecks;
use super::links::{attachment_path, link_target, web_address};
use super::part::Part;
use super::url_policy::{self, UrlUse};
use crate::core::diagnostics::{did_you_mean, shown_in_full, Diagnostic, LineCursor, Span};
use crate::core::paths::{briefing_url, theme_url};
use crate::core::words;
use crate::core::text::is_reading_list;
use crate::model::{Attachment, Bodies, ExternalLink, Footnote, InternalLink, LinkTarget, Prose, Section, Subheading, ASIDE_END, ASIDE_START};

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
    /// Make the checks on the Markdown (alt text, link text, sentences...) and count its words:
    /// not when the body is parsed again only to render it.
    pub checks: bool,
}

/// A body, split and rendered.
#[derive(Debug, Default)]
pub struct Document {
    pub sections: Vec<Section>,
    pub bodies: Bodies,
    pub prose: Prose,
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
    let mut checks = input.checks.then(|| BodyChecks::new(input.file, input.text, input.body.start, !input.unsafe_html));
    let mut builder = Builder::new(input);
    // The checks see every event, including those a heading or code block takes in one go.
    let observe = |(event, range): &(Event<'_>, Range<usize>)| {
        if let Some(checks) = checks.as_mut() {
            checks.observe(event, range.clone());
        }
    };
    let mut events = Parser::new_ext(markdown, options()).into_offset_iter().inspect(observe);
    while let Some((event, range)) = events.next() {
        builder.event(event, range, &mut events);
    }
    drop(events);
    let mut document = builder.finish();
    document.diagnostics.extend(checks.map(BodyChecks::finish).unwrap_or_default());
    document
}

struct SectionHead {
    /// Where its heading and its text (after the heading) start in the body.
    heading_start: usize,
    start: usize,
    /// The labels of the footnotes it refers to.
    notes: Vec<String>,
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
    /// For each anchor base, the number to try next: a page of N equal titles then numbers
    /// them in N steps, not N² (every number below it is known to be taken).
    anchor_next: HashMap<String, usize>,
    intro: Part<'a>,
    sections: Vec<(SectionHead, Part<'a>)>,
    /// The label of the footnote definition being read, if any.
    in_footnote: Option<String>,
    footnote_numbers: HashMap<String, usize>,
    /// The last section whose `notes` took each label: a section with N notes then checks
    /// each in one step, not by reading its list.
    noted_in: HashMap<String, usize>,
    footnote_refs: Vec<usize>,
    footnote_parts: HashMap<usize, Part<'a>>,
    /// Where each footnote's definition is in the body, by label.
    footnote_sources: HashMap<String, Range<usize>>,
    links: Vec<InternalLink>,
    attachments: Vec<Attachment>,
    external_links: Vec<ExternalLink>,
    /// Tables so far, to label each one's scrolling region.
    tables: usize,
    /// Inside `<https://...>`, whose text is an address.
    in_autolink: bool,
    /// Inside the text of a link, which the prose marks as an aside (see `model::ASIDE_START`).
    in_link_text: bool,
    /// The level of the heading of the reading list ("### Useful links") the text is in, which
    /// the prose marks as an aside until the next heading of that level or higher.
    reading_list: Option<HeadingLevel>,
    /// For each link and image open now, whether the URL policy refused its address (its
    /// start and end are then left out, and its text kept).
    refused: Vec<bool>,
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
            anchor_next: HashMap::new(),
            intro: Part::default(),
            sections: Vec::new(),
            in_footnote: None,
            footnote_numbers: HashMap::new(),
            noted_in: HashMap::new(),
            footnote_refs: Vec::new(),
            footnote_parts: HashMap::new(),
            footnote_sources: HashMap::new(),
            links: Vec::new(),
            attachments: Vec::new(),
            external_links: Vec::new(),
            tables: 0,
            in_autolink: false,
            in_link_text: false,
            reading_list: None,
            refused: Vec::new(),
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
                let html = super::highlight::code_block(&code, lang);
                let part = self.part();
                part.push_not_prose(&code, '\n');
                part.events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote_number(&label);
                self.in_footnote = Some(label.to_string());
                self.footnote_sources.entry(label.to_string()).or_insert(range);
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
                let Some(other) = self.inline(other, range) else { return };
                let in_autolink = self.in_autolink;
                let mark = self.link_text_mark(&other);
                let part = self.part();
                part.text.extend(mark);
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

    /// The mark that starts or ends a link's text in the prose, when `event` starts or ends a
    /// link that has text of its own (not `<https://...>`).
    fn link_text_mark(&mut self, event: &Event<'a>) -> Option<char> {
        match event {
            Event::Start(Tag::Link { .. }) if !self.in_autolink => {
                self.in_link_text = true;
                Some(ASIDE_START)
            }
            Event::End(TagEnd::Link) if self.in_link_text => {
                self.in_link_text = false;
                Some(ASIDE_END)
            }
            _ => None,
        }
    }

    /// Rewrites the events that change wherever they occur: links, images and footnote
    /// references. `None` for the start or end of a link or image whose address is refused.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>) -> Option<Event<'a>> {
        Some(match event {
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                self.allowed(&dest_url, UrlUse::Image, range.clone())?;
                self.attachment(&dest_url, range);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                // The text of <https://...> is its address, which is not prose.
                self.in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.allowed(&dest_url, UrlUse::Link, range.clone())?;
                let dest_url = self.link(dest_url, range);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_autolink &= !matches!(event, Event::End(TagEnd::Link));
                if self.refused.pop() == Some(true) {
                    return None;
                }
                event
            }
            Event::FootnoteReference(label) => {
                let number = self.footnote_number(&label);
                let section = self.sections.len();
                if let (None, Some((head, _))) = (&self.in_footnote, self.sections.last_mut()) {
                    if self.noted_in.insert(label.to_string(), section) != Some(section) {
                        head.notes.push(label.to_string());
                    }
                }
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
        })
    }

    /// Whether the URL policy allows `dest` as `usage`; a refused one is a warning at `range`
    /// (the link or image is then left out, its text kept). Either way a link or image is now
    /// open, to be closed by `inline`.
    fn allowed(&mut self, dest: &str, usage: UrlUse, range: Range<usize>) -> Option<()> {
        let refusal = url_policy::check(dest, usage).err();
        self.refused.push(refusal.is_some());
        let Some(refusal) = refusal else { return Some(()) };
        let at = self.input.body.start + range.start;
        let what = if usage == UrlUse::Image { "image" } else { "link" };
        self.diagnostics.push(
            Diagnostic::warning("unsafe-url", format!("this {what} to {} was taken out, its text kept", refusal.address()))
                .in_file(self.input.file)
                .at_span(self.lines.span(at..self.input.body.start + range.end))
                .help(super::checks::URL_HELP),
        );
        None
    }

    fn heading(&mut self, level: HeadingLevel, inner: Vec<(Event<'a>, Range<usize>)>, range: Range<usize>) {
        let title = plain_text(inner.iter().map(|(e, _)| e));
        let anchor = self.unique_anchor(&title);
        let at = self.input.body.start + range.start;
        if self.reading_list.is_some_and(|open| level <= open) {
            self.reading_list = None;
            self.part().text.push(ASIDE_END);
        }
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
            let head = SectionHead { heading_start: range.start, start: range.end, notes: Vec::new(), title, anchor, line: span.line, span, subheadings: Vec::new() };
            self.sections.push((head, Part::default()));
            return;
        }
        if level == HeadingLevel::H3 {
            if let Some((head, _)) = self.sections.last_mut() {
                head.subheadings.push(Subheading { title: title.clone(), anchor: anchor.clone() });
            }
        }
        let raw_html = inner.iter().any(|(e, _)| is_raw_html(e));
        let inner: Vec<Event<'a>> = inner.into_iter().filter_map(|(e, r)| self.inline(e, r)).collect();
        let starts_reading_list = self.reading_list.is_none() && self.in_footnote.is_none() && is_reading_list(&title);
        if starts_reading_list {
            self.reading_list = Some(level);
        }
        let part = self.part();
        if raw_html {
            part.raw_events.push(part.events.len());
        }
        part.text.extend(starts_reading_list.then_some(ASIDE_START));
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
        if self.anchors.insert(base.clone()) {
            return base;
        }
        let mut n = self.anchor_next.get(&base).copied().unwrap_or(2);
        let mut anchor = format!("{base}-{n}");
        while !self.anchors.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        self.anchor_next.insert(base, n + 1);
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
            // Pages of briefings and themes are two folders below the root.
            LinkTarget::Briefing { slug, anchor: Some(anchor) } => format!("../../{}#{anchor}", briefing_url(slug)),
            LinkTarget::Briefing { slug, anchor: None } => format!("../../{}", briefing_url(slug)),
            LinkTarget::Theme { slug } => format!("../../{}", theme_url(slug)),
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
        let mut broken = 0;
        for (anchor, span) in std::mem::take(&mut self.local_links) {
            if self.anchors.contains(&anchor) || self.html_ids.contains(&anchor) || is_footnote_anchor(&anchor) {
                continue;
            }
            let headings = self.anchors.iter().filter(|a| !RESERVED_ANCHORS.contains(&a.as_str()));
            let near = if shown_in_full(broken) { did_you_mean(&anchor, headings.map(String::as_str)) } else { None };
            broken += 1;
            let help = match near {
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
        // Words are counted for reading times, which a body parsed again only to render it
        // (without checks) already has: counting is a fifth of that parse.
        let counts = self.input.checks;
        let count = |title: &str, part: &Part| if counts { words::count(title) + part.words() } else { 0 };
        let mut words = count("", &self.intro);
        let mut bodies = Bodies::default();
        let mut prose = Prose::default();
        let mut sections = Vec::with_capacity(self.sections.len());
        let markdown = &self.input.text[self.input.body.clone()];
        for (i, (head, _)) in self.sections.iter().enumerate() {
            let end = self.sections.get(i + 1).map_or(markdown.len(), |(next, _)| next.heading_start);
            let mut text = markdown[head.start..end.max(head.start)].to_string();
            // The definitions of the notes it refers to, so that its references are read as
            // references, not as text.
            for range in head.notes.iter().filter_map(|label| self.footnote_sources.get(label)) {
                text.push_str("\n\n");
                text.push_str(&markdown[range.clone()]);
            }
            bodies.markdown.push(text);
        }
        for (i, (head, part)) in std::mem::take(&mut self.sections).into_iter().enumerate() {
            let section_words = count(&head.title, &part);
            words += section_words;
            let (body, text) = part.render(keep);
            sections.push(Section {
                number: i + 1,
                title: head.title,
                anchor: head.anchor,
                blank: body.is_blank(),
                subheadings: head.subheadings,
                line: head.line,
                heading: head.span,
                words: section_words,
            });
            bodies.sections.push(body);
            prose.sections.push(text);
        }
        let mut footnotes: Vec<Footnote> = self
            .footnote_parts
            .into_iter()
            .map(|(number, part)| {
                words += count("", &part);
                Footnote { number, html: part.render_blocks(keep).0, references: self.footnote_refs[number - 1] }
            })
            .collect();
        footnotes.sort_by_key(|f| f.number);
        bodies.footnotes = footnotes;
        (bodies.intro, prose.intro) = self.intro.render(keep);
        Document {
            sections,
            bodies,
            prose,
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

#[cfg(test)]
mod tests;
