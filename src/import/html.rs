//! A web page saved from a partnership's old site: its main content only.
//!
//! html5ever's tokenizer (already used to inspect raw HTML) reads the page; a small tree is
//! built with the implied end tags pages rely on (`<p>`, `<li>`, `<td>` left open). The main
//! content is `<main>`, else `<article>`, else the element that holds the most paragraph
//! text; navigation, headers, footers, forms and scripts are never read, nor is what the page
//! hides (the `hidden` attribute, or `display: none` in its `style`).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use super::doc::{Block, Document, Finding, Inline, List, Para, Style, Table};
use crate::core::text::plural;

#[derive(Debug, Default)]
struct Node {
    name: String,
    href: Option<String>,
    /// Not shown by the page: `hidden`, or an inline style of `display: none` or
    /// `visibility: hidden`.
    hidden: bool,
    children: Vec<Child>,
}

impl Node {
    /// Never read as the briefing's text.
    fn skipped(&self) -> bool {
        self.hidden || SKIPPED.contains(&self.name.as_str())
    }
}

/// Whether a start tag's attributes hide the element.
fn hides(attrs: &[html5ever::Attribute]) -> bool {
    attrs.iter().any(|a| match &*a.name.local {
        "hidden" => true,
        "style" => {
            let style: String = a.value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            style.split(';').any(|d| d.starts_with("display:none") || d.starts_with("visibility:hidden"))
        }
        _ => false,
    })
}

#[derive(Debug)]
enum Child {
    Node(Node),
    Text(String),
}

/// Never content: their text is not the briefing's.
const SKIPPED: &[&str] = &["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "button", "iframe", "select", "head", "title", "dialog"];
const VOID: &[&str] = &["br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param", "source", "track", "wbr"];
/// Start tags that close an open paragraph.
const BLOCKS: &[&str] = &["p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "blockquote", "figure", "header", "footer", "nav", "aside", "form", "hr", "pre", "dl"];
const MAX_DEPTH: usize = 200;

pub fn read(html: &str) -> Document {
    let root = parse(html);
    let mut doc = Document::default();
    let main = find(&root, "main").or_else(|| find(&root, "article")).unwrap_or_else(|| densest(&root).unwrap_or(&root));
    let mut reader = Reader { pictures: 0, hidden: 0 };
    doc.blocks = reader.blocks(main);
    if let Some(pos) = doc.blocks.iter().position(|b| matches!(b, Block::Heading { level: 1, .. })) {
        if let Block::Heading { text, .. } = doc.blocks.remove(pos) {
            doc.title = Some(super::doc::plain_text(&text).trim().to_string()).filter(|t| !t.is_empty());
        }
    }
    if doc.title.is_none() {
        doc.properties.title = find(&root, "title").map(|t| collapse(&text_of(t))).filter(|t| !t.is_empty());
    }
    if reader.pictures > 0 {
        doc.findings.push(Finding::new("pictures-dropped", format!("{} picture{} on the page were left out: save them and add them to the briefing's folder", reader.pictures, plural(reader.pictures))));
    }
    if reader.hidden > 0 {
        let n = reader.hidden;
        doc.findings.push(Finding::new("hidden-text", format!("{n} hidden part{} of the page left out, as a browser shows it: if any should be published, copy it in", plural(n))));
    }
    doc
}

/// The blocks of a whole page, headings and all: an HTML part a Word file embeds
/// (`w:altChunk`), which is content in its place rather than a page to find the content in.
pub fn blocks_of(html: &str) -> Vec<Block> {
    let root = parse(html);
    let body = find(&root, "body").unwrap_or(&root);
    Reader { pictures: 0, hidden: 0 }.blocks(body)
}

fn parse(html: &str) -> Node {
    let builder = Builder { stack: RefCell::new(vec![Node { name: "#root".into(), ..Node::default() }]) };
    let tokenizer = Tokenizer::new(builder, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut stack = tokenizer.sink.stack.into_inner();
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().unwrap_or_default()
}

struct Builder {
    stack: RefCell<Vec<Node>>,
}

impl TokenSink for Builder {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut stack = self.stack.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                implied_ends(&mut stack, &name);
                let href = tag.attrs.iter().find(|a| &*a.name.local == "href").map(|a| a.value.to_string());
                let node = Node { name: name.clone(), href, hidden: hides(&tag.attrs), children: Vec::new() };
                if VOID.contains(&name.as_str()) || tag.self_closing || stack.len() > MAX_DEPTH {
                    push_child(&mut stack, Child::Node(node));
                } else {
                    stack.push(node);
                }
                return match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => TokenSinkResult::Continue,
                };
            }
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if let Some(open) = stack.iter().rposition(|n| n.name == name).filter(|&i| i > 0) {
                    while stack.len() > open {
                        close_top(&mut stack);
                    }
                }
            }
            Token::CharacterTokens(text) => push_text(&mut stack, &text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The end tags HTML lets pages leave out, closed when the next element starts.
fn implied_ends(stack: &mut Vec<Node>, name: &str) {
    let close_while = |stack: &mut Vec<Node>, open: &[&str], stop: &[&str]| {
        if let Some(i) = stack.iter().rposition(|n| open.contains(&n.name.as_str()) || stop.contains(&n.name.as_str())) {
            if open.contains(&stack[i].name.as_str()) && i > 0 {
                while stack.len() > i {
                    close_top(stack);
                }
            }
        }
    };
    if BLOCKS.contains(&name) || name == "li" {
        close_while(stack, &["p"], &["div", "td", "th", "li", "body", "section", "article", "main", "blockquote"]);
    }
    match name {
        "li" => close_while(stack, &["li"], &["ul", "ol"]),
        "tr" => close_while(stack, &["tr"], &["table"]),
        "td" | "th" => close_while(stack, &["td", "th"], &["tr", "table"]),
        _ => {}
    }
}

fn close_top(stack: &mut Vec<Node>) {
    if let Some(node) = stack.pop() {
        push_child(stack, Child::Node(node));
    }
}

fn push_child(stack: &mut [Node], child: Child) {
    if let Some(top) = stack.last_mut() {
        top.children.push(child);
    }
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(top) = stack.last_mut() {
        match top.children.last_mut() {
            Some(Child::Text(t)) => t.push_str(text),
            _ => top.children.push(Child::Text(text.to_string())),
        }
    }
}

fn find<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    node.children.iter().find_map(|c| match c {
        Child::Node(n) if n.name == name => Some(n),
        Child::Node(n) if !n.skipped() || name == "title" => find(n, name),
        _ => None,
    })
}

/// The element whose own paragraphs hold the most text: the content block of a page with
/// no `<main>` or `<article>`.
fn densest(root: &Node) -> Option<&Node> {
    let mut best: Option<(usize, &Node)> = None;
    visit(root, &mut |node| {
        let score: usize = node.children.iter().map(|c| if let Child::Node(n) = c { if n.name == "p" { text_of(n).len() } else { 0 } } else { 0 }).sum();
        if score > best.map_or(0, |(s, _)| s) {
            best = Some((score, node));
        }
    });
    best.map(|(_, n)| n)
}

fn visit<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node)) {
    f(node);
    for c in &node.children {
        if let Child::Node(n) = c {
            if !n.skipped() {
                visit(n, f);
            }
        }
    }
}

fn text_of(node: &Node) -> String {
    let mut out = String::new();
    for c in &node.children {
        match c {
            Child::Text(t) => out.push_str(t),
            Child::Node(n) if !n.skipped() => out.push_str(&text_of(n)),
            Child::Node(_) => {}
        }
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Reader {
    pictures: usize,
    /// Hidden elements with text, left out.
    hidden: usize,
}

impl Reader {
    fn count_hidden(&mut self, n: &Node) {
        if n.hidden && !SKIPPED.contains(&n.name.as_str()) && !text_of(n).trim().is_empty() {
            self.hidden += 1;
        }
    }

    /// The blocks of a container; loose text and inline elements between blocks make
    /// paragraphs.
    fn blocks(&mut self, node: &Node) -> Vec<Block> {
        let mut out = Vec::new();
        let mut loose = Vec::new();
        for child in &node.children {
            match child {
                Child::Node(n) if is_block(&n.name) => {
                    paragraph(std::mem::take(&mut loose), &mut out);
                    self.block(n, &mut out);
                }
                other => self.inline(other, Style::default(), &mut loose),
            }
        }
        paragraph(loose, &mut out);
        out
    }

    fn block(&mut self, n: &Node, out: &mut Vec<Block>) {
        match n.name.as_str() {
            _ if n.skipped() => self.count_hidden(n),
            "p" | "pre" | "dt" | "dd" | "figcaption" => paragraph(self.inlines(n, Style::default()), out),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = n.name[1..].parse().unwrap_or(2);
                let text = self.inlines(n, Style::default());
                if !super::doc::is_empty(&text) {
                    out.push(Block::Heading { level, text: trim(text) });
                }
            }
            "ul" | "ol" => {
                let items: Vec<Vec<Block>> = n.children.iter().filter_map(|c| if let Child::Node(li) = c { Some(li) } else { None }).filter(|li| li.name == "li").map(|li| self.blocks(li)).filter(|b| !b.is_empty()).collect();
                if !items.is_empty() {
                    out.push(Block::List(List { ordered: n.name == "ol", start: 1, items }));
                }
            }
            "table" => out.push(self.table(n)),
            "hr" => {}
            _ => out.extend(self.blocks(n)),
        }
    }

    fn table(&mut self, n: &Node) -> Block {
        let mut rows = Vec::new();
        let mut header = false;
        visit(n, &mut |node| {
            if node.name == "tr" {
                rows.push(node);
            }
        });
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, tr)| {
                let cells: Vec<&Node> = tr.children.iter().filter_map(|c| if let Child::Node(n) = c { Some(n) } else { None }).filter(|c| c.name == "td" || c.name == "th").collect();
                header |= i == 0 && cells.iter().all(|c| c.name == "th");
                cells.into_iter().map(|c| self.blocks(c)).collect()
            })
            .collect();
        Block::Table(Table { header, rows, merged: false })
    }

    fn inlines(&mut self, n: &Node, style: Style) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in &n.children {
            self.inline(child, style, &mut out);
        }
        out
    }

    fn inline(&mut self, child: &Child, style: Style, out: &mut Vec<Inline>) {
        let n = match child {
            Child::Text(t) => {
                let text: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let lead = if t.starts_with(char::is_whitespace) && !text.is_empty() { " " } else { "" };
                let trail = if t.ends_with(char::is_whitespace) && !text.is_empty() { " " } else { "" };
                let text = if text.is_empty() && !t.is_empty() { " ".to_string() } else { format!("{lead}{text}{trail}") };
                out.push(Inline::Text { text, style });
                return;
            }
            Child::Node(n) => n,
        };
        match n.name.as_str() {
            _ if n.skipped() => self.count_hidden(n),
            "br" => out.push(Inline::Break),
            "img" => self.pictures += 1,
            "strong" | "b" => out.extend(self.inlines(n, Style { bold: true, ..style })),
            "em" | "i" | "cite" => out.extend(self.inlines(n, Style { italic: true, ..style })),
            "a" => {
                let children = self.inlines(n, style);
                match n.href.as_deref().filter(|h| h.starts_with("http://") || h.starts_with("https://") || h.starts_with("mailto:")) {
                    Some(href) => out.push(Inline::Link { href: href.to_string(), children }),
                    None => out.extend(children),
                }
            }
            _ => out.extend(self.inlines(n, style)),
        }
    }
}

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name) || matches!(name, "li" | "dt" | "dd" | "figcaption" | "details" | "summary" | "center" | "tr" | "td" | "th" | "tbody" | "thead")
}

fn paragraph(inlines: Vec<Inline>, out: &mut Vec<Block>) {
    if !super::doc::is_empty(&inlines) {
        let bold = inlines.iter().all(|i| matches!(i, Inline::Text { style, text } if style.bold || text.trim().is_empty()));
        out.push(Block::Paragraph(Para { inlines: trim(inlines), bold, size: None }));
    }
}

/// Inlines without white space at their ends.
fn trim(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_content_only_with_implied_end_tags() {
        let html = "<html><head><title>Old site</title><script>var x = '<p>no</p>';</script></head><body><nav><ul><li>Home</ul></nav>\
            <main><h1>Child Z</h1><p>Intro <b>bold</b> and <a href='https://example.org'>a link</a>.<h2>Background</h2><p>One<p>Two\
            <ul><li>first<li>second</ul><table><tr><th>A<th>B<tr><td>1<td>2</table></main><footer>Contact us</footer></body></html>";
        let doc = read(html);
        assert_eq!(doc.title.as_deref(), Some("Child Z"));
        let kinds: Vec<&str> = doc.blocks.iter().map(|b| match b { Block::Heading { .. } => "h", Block::Paragraph(_) => "p", Block::List(_) => "l", Block::Table(_) => "t", Block::Boxed(_) => "b" }).collect();
        assert_eq!(kinds, ["p", "h", "p", "p", "l", "t"]);
        let mut text = String::new();
        super::super::doc::blocks_text(&doc.blocks, &mut text);
        assert!(!text.contains("Home") && !text.contains("Contact") && !text.contains("no"), "{text}");
        assert!(matches!(&doc.blocks[5], Block::Table(t) if t.header && t.rows.len() == 2));
    }

    #[test]
    fn without_main_the_densest_block_is_read() {
        let html = "<body><div class=menu><p>Menu</p></div><div id=content><h2>Learning</h2><p>A long paragraph of the briefing's text.</p><p>Another paragraph.</p></div></body>";
        let doc = read(html);
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 2, .. }), "{:?}", doc.blocks);
        assert_eq!(doc.blocks.len(), 3);
    }

    #[test]
    fn what_the_page_hides_is_left_out_and_counted() {
        let html = "<main><h2>Learning</h2><p>Shown text.<span hidden> (full name: Robin Example)</span> More shown.</p>\
            <div style=\"color: red; DISPLAY : None\"><p>Draft note for editors.</p></div><p style=\"visibility:hidden\">Kept back.</p>\
            <p style=\"display:block\">Shown too.</p><div hidden></div></main>";
        let doc = read(html);
        let text = format!("{:?}", doc.blocks);
        for gone in ["Robin", "Draft note", "Kept back"] {
            assert!(!text.contains(gone), "{gone}: {text}");
        }
        for kept in ["Shown text.", "More shown.", "Shown too."] {
            assert!(text.contains(kept), "{kept}: {text}");
        }
        let hidden: Vec<_> = doc.findings.iter().filter(|f| f.code == "hidden-text").map(|f| f.message.clone()).collect();
        assert_eq!(hidden, ["3 hidden parts of the page left out, as a browser shows it: if any should be published, copy it in"]);
    }
}
