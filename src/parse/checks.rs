//! Checks on the Markdown of a body, made while `markdown` reads its events (it hands
//! every event here as it goes, so nothing is parsed twice): images without alt text, vague
//! link text, headings that skip a level, paths that climb out of the site, raw HTML that the
//! sanitiser removes, and sentence lengths (plain English).

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::links::{is_relative_path, link_target};
use super::sanitize;
use super::sentences::{Sentences, HIGH_AVERAGE_WORDS, LONG_SENTENCE_WORDS};
use crate::core::codes;
use crate::core::diagnostics::{Diagnostic, LineCursor, Severity, MAX_PER_FILE_AND_CODE};

/// Link texts that say nothing about where a link goes (compared without case or punctuation).
const VAGUE_LINK_TEXTS: &[&str] = &["click here", "here", "link", "this link", "click this link", "click", "read more", "more"];

/// Pages are two folders below the site root (briefings/<slug>/, themes/<slug>/): a relative
/// path may climb that far and no further.
const PAGE_DEPTH: i32 = 2;

/// What to do about an address the URL policy refused (`url_policy`).
pub const URL_HELP: &str = "addresses may be web pages (https://...), email addresses (mailto:), phone numbers (tel:) or files of the site; \
    a javascript: or data: address can run code in readers' browsers, so it was taken out (the text is kept)";

/// How much of a long sentence a note marks.
const OPENING_BYTES: usize = 40;

pub struct BodyChecks<'a> {
    file: &'a Path,
    text: &'a str,
    /// Where the body starts in `text`: event ranges are relative to it.
    base: usize,
    lines: LineCursor<'a>,
    check_html: bool,
    /// The level of the last heading; the page title is level 1.
    last_heading: usize,
    /// Inside a heading or code block, text is not running prose.
    not_prose: usize,
    link: Option<Pending>,
    image: Option<Pending>,
    html_block: Option<(usize, String)>,
    sentences: Sentences,
    diagnostics: Vec<Diagnostic>,
}

/// A link or image being read: where it starts, its text so far, and its address.
struct Pending {
    start: usize,
    text: String,
    dest: String,
    autolink: bool,
}

impl<'a> BodyChecks<'a> {
    /// Checks for the body at `text[base..]`; `check_html` is false when the site allows
    /// unsafe HTML (only refused addresses are removed, so only they are warned about).
    pub fn new(file: &'a Path, text: &'a str, base: usize, check_html: bool) -> Self {
        BodyChecks {
            file,
            text,
            base,
            lines: LineCursor::new(text),
            check_html,
            last_heading: 1,
            not_prose: 0,
            link: None,
            image: None,
            html_block: None,
            sentences: Sentences::default(),
            diagnostics: Vec::new(),
        }
    }

    pub fn observe(&mut self, event: &Event<'_>, range: Range<usize>) {
        let at = self.base + range.start..self.base + range.end;
        match event {
            Event::Start(tag) => self.start(tag, at),
            Event::End(end) => self.end(end),
            Event::Text(t) | Event::Code(t) => self.text(t, at.start),
            Event::Html(t) => match &mut self.html_block {
                Some((_, block)) => block.push_str(t),
                None => self.raw_html(t, at.start),
            },
            Event::InlineHtml(t) => self.raw_html(t, at.start),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, at: Range<usize>) {
        if !is_inline(tag) {
            self.sentences.end_sentence();
        }
        match tag {
            Tag::Heading { level, .. } => {
                let level = *level as usize;
                if level > self.last_heading + 1 {
                    let hashes = |n: usize| "#".repeat(n);
                    let message = if self.last_heading == 1 {
                        format!("this {} heading comes before any {} heading: a level is skipped", hashes(level), hashes(2))
                    } else {
                        format!("this {} heading follows a {} heading: a level is skipped", hashes(level), hashes(self.last_heading))
                    };
                    self.warn("heading-skip", at, message, format!(
                        "use {} here: screen reader users move around a page by heading levels, and a gap suggests something is missing",
                        hashes(self.last_heading + 1)
                    ));
                }
                self.last_heading = level;
                self.not_prose += 1;
            }
            Tag::CodeBlock(_) => self.not_prose += 1,
            Tag::HtmlBlock => self.html_block = Some((at.start, String::new())),
            Tag::Link { link_type, dest_url, .. } => {
                self.check_path(dest_url, at.clone());
                let autolink = matches!(link_type, LinkType::Autolink);
                self.link = Some(Pending { start: at.start, text: String::new(), dest: dest_url.to_string(), autolink });
            }
            Tag::Image { dest_url, .. } => {
                self.check_path(dest_url, at.clone());
                self.image = Some(Pending { start: at.start, text: String::new(), dest: dest_url.to_string(), autolink: false });
            }
            _ => {}
        }
    }

    fn end(&mut self, end: &TagEnd) {
        match end {
            TagEnd::Heading(_) | TagEnd::CodeBlock => self.not_prose = self.not_prose.saturating_sub(1),
            TagEnd::HtmlBlock => {
                if let Some((start, block)) = self.html_block.take() {
                    self.raw_html(&block, start);
                }
            }
            TagEnd::Image => {
                if let Some(image) = self.image.take() {
                    if image.text.trim().is_empty() {
                        let at = image.start..image.start + 2 + image.dest.len();
                        self.warn("missing-alt-text", at, "this image has no alt text".into(),
                            "describe what the image shows between the brackets, like ![A flow chart of the escalation steps](steps.png); people who cannot see it hear that instead");
                    }
                }
            }
            TagEnd::Link => {
                if let Some(link) = self.link.take() {
                    if let Some(why) = vague_link(&link) {
                        let at = link.start..link.start + link.text.len() + 2;
                        self.warn("vague-link-text", at, format!("the link text {why}"),
                            "say where the link goes, like [the multi-agency escalation policy](https://...): screen reader users often hear links out of context");
                    }
                    if is_placeholder(&link.dest) {
                        let shown = if link.dest.trim().is_empty() { "an empty address".to_string() } else { format!("`{}`", link.dest.trim()) };
                        let at = link.start..link.start + link.text.len() + 2;
                        self.warn("placeholder-link", at, format!("this link goes nowhere yet: its address is {shown}, a placeholder"),
                            "put the real address between the brackets, like [the escalation policy](https://www.example.gov.uk/escalation), or take the link out and keep its text");
                    }
                }
            }
            _ => {}
        }
        if !is_inline_end(end) {
            self.sentences.end_sentence();
        }
    }

    fn text(&mut self, text: &str, at: usize) {
        for pending in [&mut self.link, &mut self.image].into_iter().flatten() {
            pending.text.push_str(text);
        }
        if self.not_prose == 0 && self.image.is_none() {
            self.sentences.text(text, at);
        }
    }

    /// Warns about what the sanitiser will remove from a raw HTML fragment starting at `at`:
    /// only refused addresses when the site allows unsafe HTML.
    fn raw_html(&mut self, fragment: &str, at: usize) {
        let mut line_start = at;
        let mut line = 1;
        let mut search_from = at;
        for removal in sanitize::inspect(fragment, !self.check_html) {
            while line < removal.line {
                match self.text[line_start..].find('\n') {
                    Some(i) => line_start += i + 1,
                    None => break,
                }
                line += 1;
                search_from = line_start;
            }
            let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
            let found = find_ignoring_case(&self.text[search_from..line_end], &removal.needle).map(|i| search_from + i);
            let range = match found {
                Some(i) => {
                    search_from = i + removal.needle.len();
                    i..search_from
                }
                None => line_start..line_end,
            };
            let help = match removal.code {
                "unsafe-url" => URL_HELP,
                _ => "it was left out of the page, so it cannot run code in readers' browsers; if your site needs embeds, set allow_unsafe_html = true in site.toml",
            };
            self.warn(removal.code, range, removal.message, help);
        }
    }

    fn check_path(&mut self, dest: &str, at: Range<usize>) {
        if leaves_site(dest) {
            self.warn("path-leaves-site", at, format!("the path `{dest}` climbs out of the site with ../"),
                "put the file in the briefing's bundle folder (briefings/<slug>/) and link to it by its name, or use a full web address");
        }
    }

    fn warn(&mut self, code: &'static str, at: Range<usize>, message: String, help: impl Into<String>) {
        let severity = codes::find(code).map_or(Severity::Warning, |c| c.severity);
        let span = self.lines.span(at);
        self.diagnostics.push(Diagnostic::new(severity, code, message).in_file(self.file).at_span(span).help(help));
    }

    /// The diagnostics found, with the sentence notes.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.sentences.end_sentence();
        let sentences = std::mem::take(&mut self.sentences);
        let average = sentences.average();
        // A report shows the first few in full and sums up the rest, for which the first left
        // out stands: a file can have thousands, each a message and a place to find.
        let made = sentences.long.len().min(MAX_PER_FILE_AND_CODE + 1);
        for long in &sentences.long[..made] {
            // Mark the opening words: enough to find the sentence, not a line of carets.
            let opening = long.range.start..long.range.end.min(long.range.start + OPENING_BYTES);
            self.warn(
                "long-sentence",
                opening,
                format!("this sentence has {} words (sentences here average {average})", long.words),
                format!("sentences of over {LONG_SENTENCE_WORDS} words are hard to follow: split it, or turn a list of points into bullet points"),
            );
        }
        if made > MAX_PER_FILE_AND_CODE {
            self.diagnostics.last_mut().expect("just made").more = sentences.long.len() - made;
        }
        // The average on its own only when it is high: the long sentences carry it otherwise.
        if average > HIGH_AVERAGE_WORDS {
            let long = match sentences.long.len() {
                0 => String::new(),
                1 => format!("; 1 sentence is over {LONG_SENTENCE_WORDS} words"),
                n => format!("; {n} sentences are over {LONG_SENTENCE_WORDS} words"),
            };
            self.diagnostics.push(
                Diagnostic::new(Severity::Note, "sentence-length", format!("sentences average {average} words{long}"))
                    .in_file(self.file)
                    .help(format!("GOV.UK style: aim for an average of 15 to 20 words, and keep every sentence under {LONG_SENTENCE_WORDS}")),
            );
        }
        self.diagnostics
    }
}

/// Addresses left as placeholders when a briefing was drafted: `#`, nothing, a bare `http://`
/// or `https://`, or example.com, which by design is nobody's site.
fn is_placeholder(dest: &str) -> bool {
    let dest = dest.trim().to_ascii_lowercase();
    let host = dest.strip_prefix("https://").or_else(|| dest.strip_prefix("http://")).unwrap_or(&dest);
    let host = host.split(['/', '?', '#']).next().unwrap_or_default();
    matches!(dest.as_str(), "" | "#" | "http://" | "https://") || matches!(host, "example.com" | "www.example.com")
}

/// Why a link's text says nothing about where it goes, if it does not.
fn vague_link(link: &Pending) -> Option<String> {
    let text = link.text.trim();
    if link.dest.starts_with("mailto:") || text.contains('@') && !text.contains('/') {
        return None;
    }
    let bare = text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    if VAGUE_LINK_TEXTS.contains(&bare.as_str()) {
        return Some(format!("\"{text}\" does not say where the link goes"));
    }
    let lower = text.to_lowercase();
    if link.autolink || lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return Some("is a bare web address, which screen readers read out letter by letter".into());
    }
    None
}

/// Whether a relative path climbs above the site root from a page two folders down.
pub fn leaves_site(dest: &str) -> bool {
    let dest = dest.trim();
    if !is_relative_path(dest) || link_target(dest).is_some() {
        return false;
    }
    let path = dest.split(['?', '#']).next().unwrap_or("");
    let mut depth = PAGE_DEPTH;
    for part in path.split(['/', '\\']) {
        match part {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } | Tag::Superscript | Tag::Subscript
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image | TagEnd::Superscript | TagEnd::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostics::Span;

    fn run(markdown: &str) -> Vec<Diagnostic> {
        let mut checks = BodyChecks::new(Path::new("b.md"), markdown, 0, true);
        for (event, range) in pulldown_cmark::Parser::new_ext(markdown, super::super::markdown::options()).into_offset_iter() {
            checks.observe(&event, range);
        }
        checks.finish()
    }

    fn codes(markdown: &str) -> Vec<&'static str> {
        run(markdown).iter().map(|d| d.code).collect()
    }

    #[test]
    fn alt_text() {
        assert_eq!(codes("## A\n\n![](x.png)\n"), ["missing-alt-text"]);
        assert_eq!(codes("## A\n\n![A chart](x.png)\n"), Vec::<&str>::new());
    }

    #[test]
    fn placeholder_links() {
        for bad in ["[the policy](#)", "[the policy]()", "[the policy](https://)", "[the policy](http://example.com/x)", "[the policy](https://www.example.com)"] {
            assert_eq!(codes(&format!("## A\n\nSee {bad}\n")), ["placeholder-link"], "{bad}");
        }
        for good in ["[the policy](https://www.example.gov.uk/x)", "[the policy](#what-was-the-learning)", "[the policy](https://example.community/)"] {
            assert_eq!(codes(&format!("## A\n\nSee {good}\n")), Vec::<&str>::new(), "{good}");
        }
    }

    #[test]
    fn link_text() {
        for bad in ["[click here](https://a.example)", "[Here.](https://a.example)", "[link](x.html)", "<https://a.example/x>", "[https://a.example](https://a.example)"] {
            assert_eq!(codes(&format!("## A\n\nSee {bad}\n")), ["vague-link-text"], "{bad}");
        }
        for good in ["[the escalation policy](https://a.example)", "<someone@example.org>", "[where to get help](#here)"] {
            assert_eq!(codes(&format!("## A\n\nSee {good}\n")), Vec::<&str>::new(), "{good}");
        }
    }

    #[test]
    fn heading_levels() {
        let found = run("Intro\n\n### Too deep\n\n## A\n\n### B\n\n#### C\n\n## D\n\n#### E\n");
        let lines: Vec<_> = found.iter().map(|d| (d.code, d.span.as_ref().unwrap().line)).collect();
        assert_eq!(lines, [("heading-skip", 3), ("heading-skip", 13)]);
    }

    #[test]
    fn paths_out_of_the_site() {
        assert!(leaves_site("../../../etc/passwd"));
        assert!(leaves_site("../../../../etc/passwd"));
        assert!(leaves_site("a/../../../../x.png"));
        assert!(!leaves_site("../../assets/style.css"));
        assert!(!leaves_site("photo.png"));
        assert!(!leaves_site("https://a.example/../../../x"));
        assert!(!leaves_site("../../../etc/passwd.md"), "links to sources are checked as links");
        assert_eq!(codes("## A\n\n![A file](../../../../etc/passwd)\n"), ["path-leaves-site"]);
    }

    #[test]
    fn long_sentences_are_notes_with_their_lines() {
        let long = "word ".repeat(35);
        let found = run(&format!("## A\n\nShort one. Two more. Three more.\n\nThis one is long: {long}end.\n"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].code, found[0].severity), ("long-sentence", Severity::Note));
        assert_eq!(found[0].span.as_ref().unwrap().line, 5);
        assert_eq!(found[0].message, "this sentence has 40 words (sentences here average 12)");
        assert_eq!(codes("## A\n\nShort. Sentences. Only here.\n"), Vec::<&str>::new());
    }

    /// Past the number a report shows, one stands for the rest, and the report's summary
    /// counts them all, as if each had been made.
    #[test]
    fn long_sentences_past_those_a_report_shows_are_counted_not_made() {
        let long = format!("{}end.", "word ".repeat(35));
        let mut found = run(&format!("## A\n\n{}", format!("{long}\n\n").repeat(MAX_PER_FILE_AND_CODE + 5)));
        found.retain(|d| d.code == "long-sentence");
        assert_eq!(found.len(), MAX_PER_FILE_AND_CODE + 1, "{found:#?}");
        assert_eq!(found.iter().map(|d| d.more).collect::<Vec<_>>(), [vec![0; MAX_PER_FILE_AND_CODE], vec![4]].concat());
        let mut diags = crate::core::diagnostics::Diagnostics::new();
        diags.extend(found);
        let sorted = diags.sorted();
        assert_eq!(sorted.len(), MAX_PER_FILE_AND_CODE + 1);
        assert_eq!(sorted[MAX_PER_FILE_AND_CODE].message, "and 5 more like this in this file");
        assert_eq!(sorted[MAX_PER_FILE_AND_CODE - 1].span.as_ref().unwrap().line, 2 * MAX_PER_FILE_AND_CODE + 1);
    }

    #[test]
    fn a_high_average_is_a_note_of_its_own() {
        let sentence = format!("{}end.", "word ".repeat(24));
        let found = run(&format!("## A\n\n{sentence} {sentence}\n"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "sentence-length");
        assert_eq!(found[0].message, "sentences average 25 words");
        assert!(found[0].span.is_none(), "it is about the whole file");
    }

    #[test]
    fn removed_html_is_reported_on_its_line() {
        let text = "## A\n\n<div>\n<p>x</p>\n<script>alert(1)</script>\n</div>\n\nText <span onmouseover=\"x()\">y</span>.\n";
        let found = run(text);
        let at: Vec<_> = found.iter().map(|d| (d.code, d.span.clone().unwrap())).collect();
        assert_eq!(at.len(), 2, "{found:#?}");
        assert_eq!(at[0].1.line, 5);
        assert_eq!(at[0].1.column, 1);
        assert_eq!(at[1].1.line, 8);
        assert_eq!(at[1].1, Span { column: 12, len: 11, ..Span::line(text, 8) });
    }
}
