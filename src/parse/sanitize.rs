//! Raw HTML in sources is sanitised (ammonia): scripts, embeds, event handlers, inline
//! `<style>` and `javascript:`/`data:` addresses (other than images) are removed, so a page
//! pasted from elsewhere cannot run code in readers' browsers. `allow_unsafe_html = true` in
//! site.toml turns this off, for sites whose authors want embeds.
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
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

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
            .add_url_schemes(["data"])
            .attribute_filter(|element, attribute, value| {
                (!is_forbidden_data_url(element, attribute, value)).then(|| value.into())
            })
            // Keep links as written: rel="noopener noreferrer" is for target=_blank, which we remove.
            .link_rel(None);
        b
    })
}

/// `data:` addresses may carry a whole page or script; only images in `<img src>` are kept.
fn is_forbidden_data_url(element: &str, attribute: &str, value: &str) -> bool {
    let value = value.trim_start().to_ascii_lowercase();
    value.starts_with("data:") && !(element == "img" && attribute == "src" && value.starts_with("data:image/"))
}

/// `html` (the rendered HTML of part of a page) with everything unsafe removed.
pub fn clean(html: &str) -> String {
    policy().clean(html).to_string()
}

/// Something in a raw HTML fragment that `clean` removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// 1-based line within the fragment.
    pub line: usize,
    /// The tag or attribute as written, to find it on the line.
    pub needle: String,
    pub message: String,
}

/// What `clean` would remove from a raw HTML fragment, as written in the source.
pub fn inspect(fragment: &str) -> Vec<Removal> {
    let sink = Inspector { found: RefCell::new(Vec::new()) };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

struct Inspector {
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
        if let Some(message) = removed_tag(name) {
            found.push(Removal { line, needle: format!("<{name}"), message });
        } else {
            for attr in &tag.attrs {
                let attribute: &str = &attr.name.local;
                if let Some(message) = removed_attribute(name, attribute, &attr.value) {
                    found.push(Removal { line, needle: attribute.to_string(), message });
                }
            }
        }
        // Read the content of these as the browser would, not as tags.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
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

fn removed_attribute(tag: &str, attribute: &str, value: &str) -> Option<String> {
    let policy = policy();
    let allowed = GENERIC_ATTRIBUTES.contains(&attribute)
        || policy.clone_generic_attributes().contains(attribute)
        || GENERIC_PREFIXES.iter().any(|p| attribute.starts_with(p))
        || policy.clone_tag_attributes().get(tag).is_some_and(|a| a.contains(attribute));
    if !allowed {
        return Some(if attribute.starts_with("on") {
            format!("the event handler {attribute}=\"...\" on <{tag}> was removed")
        } else {
            format!("the {attribute} attribute on <{tag}> was removed")
        });
    }
    if attribute == "style" {
        let kept: HashSet<&str> = STYLE_PROPERTIES.iter().copied().collect();
        let dropped = value.split(';').filter_map(|d| d.split(':').next()).map(str::trim).any(|p| !p.is_empty() && !kept.contains(p));
        return dropped.then(|| format!("inline styles on <{tag}> were removed (the site's stylesheet styles every page)"));
    }
    if !matches!(attribute, "href" | "src" | "cite" | "xlink:href" | "action" | "formaction" | "poster" | "ping") {
        return None;
    }
    if is_forbidden_data_url(tag, attribute, value) {
        return Some(format!("a data: address in {attribute} on <{tag}> was removed"));
    }
    let scheme = ammonia::url::Url::parse(value.trim()).ok().map(|u| u.scheme().to_string())?;
    (!policy.clone_url_schemes().contains(scheme.as_str()))
        .then(|| format!("a {scheme}: address in {attribute} on <{tag}> was removed"))
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
        let found = inspect(html);
        let lines: Vec<usize> = found.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 1, 2, 3, 3, 3], "{found:#?}");
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
        assert_eq!(inspect(html), []);
        let out = clean(html);
        for kept in ["<caption>C</caption>", "<th scope=\"col\" style=\"text-align:left\">", "<td><ol><li>x</li></ol></td>", "aria-describedby=\"footnotes-title\"", "id=\"fnref-1\"", "<span class=\"task-box\" aria-hidden=\"true\">", "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">", "<abbr title="] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn script_content_is_not_read_as_tags() {
        assert_eq!(inspect("<script>if (a <b onclick=1) {}</script>").len(), 1);
    }
}
