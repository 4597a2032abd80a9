//! Raw HTML in sources is sanitised (ammonia): scripts, embeds, event handlers, inline
//! `<style>` and `javascript:`/`data:` addresses (other than images) are removed, so a page
//! pasted from elsewhere cannot run code in readers' browsers. `allow_unsafe_html = true` in
//! site.toml turns this off, for sites whose authors want embeds.
//!
//! Every address in raw HTML goes through the one URL policy (`url_policy`), with or without
//! `allow_unsafe_html`: with it, `scrub_urls` drops the attributes it refuses and keeps the rest
//! as written.
//!
//! Two halves share one policy (`policy()`): `clean` sanitises the rendered HTML of each
//! top-level block (paragraph, list, table, HTML block) that has raw HTML in it (the whole
//! block, since an inline `<abbr>` and its `</abbr>` arrive as separate events), and `inspect`
//! reads each raw fragment as written (html5ever's tokenizer, with line numbers) and says what
//! `clean` will remove, for the warnings. Raw HTML that wraps Markdown across blank lines
//! (`<details>`, blank line, text, blank line, `</details>`) is cleaned block by block, so such a
//! wrapper is closed where its first block ends: safe, and the text is kept.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::Builder;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use super::url_policy;

/// Attributes allowed on any tag: our own markup uses id, class, role, tabindex and aria-*;
/// `style` is reduced to the properties below (pulldown-cmark aligns table cells with it).
const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "role", "dir", "tabindex", "style"];
const GENERIC_PREFIXES: &[&str] = &["aria-", "data-"];
const STYLE_PROPERTIES: &[&str] = &["text-align"];

/// The one sanitising policy, built once.
fn policy() -> &'static Builder<'static> {
    static POLICY: OnceLock<Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let mut b = Builder::default();
        b.add_tag_attributes("img", ["loading"])
            .add_generic_attributes(GENERIC_ATTRIBUTES)
            .add_generic_attribute_prefixes(GENERIC_PREFIXES)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .url_schemes(["http", "https", "mailto", "tel", "data"].into_iter().collect())
            .attribute_filter(|element, attribute, value| url_policy::check_attribute(element, attribute, value).is_ok().then(|| value.into()))
            // Keep links as written: rel="noopener noreferrer" is for target=_blank, which we remove.
            .link_rel(None);
        b
    })
}

/// `html` (the rendered HTML of part of a page) with everything unsafe removed.
pub fn clean(html: &str) -> String {
    policy().clean(html).to_string()
}

/// Something in a raw HTML fragment that `clean` removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// `unsafe-url` for an address the URL policy refuses, `unsafe-html` for the rest.
    pub code: &'static str,
    /// 1-based line within the fragment.
    pub line: usize,
    /// The tag or attribute as written, to find it on the line.
    pub needle: String,
    pub message: String,
}

/// What `clean` would remove from a raw HTML fragment, as written in the source; with
/// `urls_only` (the site allows unsafe HTML), only the addresses the URL policy refuses.
pub fn inspect(fragment: &str, urls_only: bool) -> Vec<Removal> {
    let sink = Inspector { urls_only, found: RefCell::new(Vec::new()) };
    tokenize(fragment, sink).found.into_inner()
}

/// Runs html5ever's tokenizer over `fragment` into `sink`, and returns the sink.
fn tokenize<S: TokenSink>(fragment: &str, sink: S) -> S {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

/// How the tokenizer must read what follows a start tag: the content of `<script>` and the
/// like is text, as a browser reads it, not tags.
fn content_state(name: &str) -> TokenSinkResult<()> {
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

struct Inspector {
    urls_only: bool,
    found: RefCell<Vec<Removal>>,
}

impl TokenSink for Inspector {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let line = line as usize;
        let mut found = self.found.borrow_mut();
        if let Some(message) = removed_tag(name).filter(|_| !self.urls_only) {
            found.push(Removal { code: "unsafe-html", line, needle: format!("<{name}"), message });
        } else {
            for attr in &tag.attrs {
                let attribute: &str = &attr.name.local;
                let removed = if self.urls_only { refused_url(name, attribute, &attr.value) } else { removed_attribute(name, attribute, &attr.value) };
                if let Some((code, message)) = removed {
                    found.push(Removal { code, line, needle: attribute.to_string(), message });
                }
            }
        }
        content_state(name)
    }
}

/// `html` with every attribute whose address the URL policy refuses taken out, and nothing
/// else changed (for sites with `allow_unsafe_html`); `None` when nothing had to go, so the
/// HTML stays byte for byte as written.
pub fn scrub_urls(html: &str) -> Option<String> {
    if inspect(html, true).is_empty() {
        return None;
    }
    let sink = Scrubber { out: RefCell::new(String::with_capacity(html.len())), raw_text: RefCell::new(None) };
    Some(tokenize(html, sink).out.into_inner())
}

/// Writes the tokens back out as HTML, without the refused attributes.
struct Scrubber {
    out: RefCell<String>,
    /// Inside `<script>`, `<style>` and the like (by name), whose text is written as it is.
    raw_text: RefCell<Option<String>>,
}

impl TokenSink for Scrubber {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.out.borrow_mut();
        match token {
            Token::TagToken(tag) => return self.tag(&mut out, &tag),
            Token::CharacterTokens(text) if self.raw_text.borrow().is_some() => out.push_str(&text),
            Token::CharacterTokens(text) => {
                pulldown_cmark_escape::escape_html_body_text(&mut *out, &text).expect("writing to a String cannot fail");
            }
            Token::CommentToken(text) => {
                out.push_str("<!--");
                out.push_str(&text);
                out.push_str("-->");
            }
            Token::DoctypeToken(doctype) => {
                out.push_str("<!DOCTYPE ");
                out.push_str(doctype.name.as_deref().unwrap_or("html"));
                out.push('>');
            }
            Token::NullCharacterToken | Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

impl Scrubber {
    fn tag(&self, out: &mut String, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if tag.kind == TagKind::EndTag {
            if self.raw_text.borrow().as_deref() == Some(name) {
                *self.raw_text.borrow_mut() = None;
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
            return TokenSinkResult::Continue;
        }
        out.push('<');
        out.push_str(name);
        for attr in tag.attrs.iter().filter(|a| url_policy::check_attribute(name, &a.name.local, &a.value).is_ok()) {
            out.push(' ');
            out.push_str(&attr.name.local);
            out.push_str("=\"");
            pulldown_cmark_escape::escape_html(&mut *out, &attr.value).expect("writing to a String cannot fail");
            out.push('"');
        }
        out.push_str(if tag.self_closing { " />" } else { ">" });
        let state = content_state(name);
        if !matches!(state, TokenSinkResult::Continue) {
            *self.raw_text.borrow_mut() = Some(name.to_string());
        }
        state
    }
}

fn removed_tag(name: &str) -> Option<String> {
    let policy = policy();
    if policy.clone_tags().contains(name) {
        return None;
    }
    Some(if policy.clone_clean_content_tags().contains(name) {
        format!("a <{name}> element was removed, with its content")
    } else if matches!(name, "iframe" | "object" | "embed" | "frame" | "frameset" | "applet") {
        format!("an embedded <{name}> was removed")
    } else {
        format!("the <{name}> tag was removed (its text was kept)")
    })
}

/// The code and message for an attribute `clean` removes.
fn removed_attribute(tag: &str, attribute: &str, value: &str) -> Option<(&'static str, String)> {
    let policy = policy();
    let allowed = GENERIC_ATTRIBUTES.contains(&attribute)
        || policy.clone_generic_attributes().contains(attribute)
        || GENERIC_PREFIXES.iter().any(|p| attribute.starts_with(p))
        || policy.clone_tag_attributes().get(tag).is_some_and(|a| a.contains(attribute));
    if !allowed {
        let message = if attribute.starts_with("on") {
            format!("the event handler {attribute}=\"...\" on <{tag}> was removed")
        } else {
            format!("the {attribute} attribute on <{tag}> was removed")
        };
        return Some(("unsafe-html", message));
    }
    if attribute == "style" {
        let kept: HashSet<&str> = STYLE_PROPERTIES.iter().copied().collect();
        let dropped = value.split(';').filter_map(|d| d.split(':').next()).map(str::trim).any(|p| !p.is_empty() && !kept.contains(p));
        return dropped.then(|| ("unsafe-html", format!("inline styles on <{tag}> were removed (the site's stylesheet styles every page)")));
    }
    refused_url(tag, attribute, value)
}

/// The code and message for an attribute whose address the URL policy refuses.
fn refused_url(tag: &str, attribute: &str, value: &str) -> Option<(&'static str, String)> {
    let refusal = url_policy::check_attribute(tag, attribute, value).err()?;
    Some(("unsafe-url", format!("{} in {attribute} on <{tag}> was removed", refusal.address())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_embeds_and_bad_urls() {
        let html = "<p onclick=\"x()\">Hi<script>alert(1)</script></p>\n<iframe src=\"https://e.example\"></iframe>\n<a href=\"javascript:alert(1)\">a</a><img src=\"data:image/png;base64,AAAA\" alt=\"x\"><a href=\"data:text/html,hi\">b</a><style>p{}</style>";
        let out = clean(html);
        for gone in ["onclick", "script", "alert", "iframe", "javascript", "data:text", "style"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(out.contains("data:image/png"), "{out}");
        let found = inspect(html, false);
        let lines: Vec<usize> = found.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 1, 2, 3, 3, 3], "{found:#?}");
        let codes: Vec<&str> = found.iter().map(|r| r.code).collect();
        assert_eq!(codes, ["unsafe-html", "unsafe-html", "unsafe-html", "unsafe-url", "unsafe-url", "unsafe-html"]);
        assert!(found[0].message.contains("onclick"));
        assert!(found[1].message.contains("<script>"));
        assert!(found[2].message.contains("<iframe>"));
        assert!(found[3].message.contains("javascript:"));
        assert!(found[4].message.contains("data:"));
        assert!(found[5].message.contains("<style>"));
    }

    #[test]
    fn keeps_accessible_tables_and_our_own_markup() {
        let html = "<table>\n<caption>C</caption>\n<thead><tr><th scope=\"col\" style=\"text-align: left\">A</th></tr></thead>\n<tbody><tr><td><ol><li>x</li></ol></td></tr></tbody></table>\n<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" aria-describedby=\"footnotes-title\">1</a></sup><span class=\"task-box\" aria-hidden=\"true\">x</span><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\"></div><abbr title=\"Safeguarding Adults Review\">SAR</abbr>";
        assert_eq!(inspect(html, false), []);
        let out = clean(html);
        for kept in ["<caption>C</caption>", "<th scope=\"col\" style=\"text-align:left\">", "<td><ol><li>x</li></ol></td>", "aria-describedby=\"footnotes-title\"", "id=\"fnref-1\"", "<span class=\"task-box\" aria-hidden=\"true\">", "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">", "<abbr title="] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn script_content_is_not_read_as_tags() {
        assert_eq!(inspect("<script>if (a <b onclick=1) {}</script>", false).len(), 1);
    }

    /// Issue 16: the URL policy holds in raw HTML too, however the scheme is spelt, and the
    /// sanitiser no longer lets through schemes other than http, https, mailto and tel.
    #[test]
    fn every_address_attribute_goes_through_the_url_policy() {
        let html = "<a href=\"JaVaScRiPt:alert(1)\">a</a><a href=\"java&#x09;script:alert(1)\">b</a><a href=\"  javascript:x\">c</a>\
            <a href=\"vbscript:x\">d</a><a href=\"ftp://example.org\">e</a><img src=\"data:image/svg+xml,x\" alt=\"f\">\
            <a href=\"https://example.org\">g</a><a href=\"mailto:a@example.org\">h</a>";
        let out = clean(html);
        for gone in ["script:", "ftp:", "svg+xml"] {
            assert!(!out.to_lowercase().contains(gone), "{gone} in {out}");
        }
        assert!(out.contains("https://example.org") && out.contains("mailto:a@example.org"), "{out}");
        let found = inspect(html, false);
        assert_eq!(found.iter().filter(|r| r.code == "unsafe-url").count(), 6, "{found:#?}");
    }

    /// With `allow_unsafe_html` everything else stays as written, but script addresses go.
    #[test]
    fn scrubbing_takes_out_only_refused_addresses() {
        let kept = "<script>if (a < b && c) { x(\"<a href='javascript:y'>\") }</script>\n<iframe src=\"https://e.example\"></iframe>";
        assert_eq!(scrub_urls(kept), None);
        assert_eq!(inspect(kept, true), []);
        let html = "<p onclick=\"go()\">A &amp; B <a href=\"javascript:alert(1)\" title=\"t\">x</a><!-- note --></p>\
            <form action=\"JAVASCRIPT:x\"><button formaction=\"javascript:y\">b</button></form>\
            <video poster=\"data:text/html,x\"></video><svg><a xlink:href=\"javascript:z\">s</a></svg><img srcset=\"a.png 1x, javascript:q 2x\" alt=\"\">\
            <script>var s = '<b>' </script>";
        let out = scrub_urls(html).expect("something to take out");
        assert!(!out.to_lowercase().contains("javascript:") && !out.contains("data:text"), "{out}");
        for kept in ["onclick=\"go()\"", "A &amp; B", "title=\"t\"", "<!-- note -->", "<script>var s = '<b>' </script>", "alt=\"\""] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
        assert_eq!(inspect(html, true).len(), 6, "{:#?}", inspect(html, true));
    }
}
