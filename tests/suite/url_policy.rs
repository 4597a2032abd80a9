//! Issue 16, item 3: every address a page carries, from Markdown or raw HTML, goes through one
//! URL policy (http, https, mailto, tel, relative; `data:` only for raster images), with or
//! without `allow_unsafe_html`. The real binary builds a briefing holding every form of script
//! address; the built pages are read with an HTML tokenizer, as a browser reads them, and no
//! address attribute may carry a script scheme.

use std::cell::RefCell;
use std::path::Path;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use super::check::{good_body, good_front, json, line_of, run, walk};
use crate::common::Site;

/// Markdown links and images, one form a line (the line is what the warning names).
const MARKDOWN: &[&str] = &[
    "Inline [one](javascript:alert(1)) here.",
    "Mixed case [two](JaVaScRiPt:alert(2)) here.",
    "A tab as a reference [three](java&#x09;script:alert(3)) here.",
    "Spaces first [four](<  javascript:alert(4)>) here.",
    "An autolink <javascript:alert(5)> here.",
    "A reference [six][evil] here.",
    "An image ![seven](javascript:alert(7)) here.",
    "A page as an image ![eight](data:text/html,<script>alert(8)</script>) here.",
    "Visual Basic [nine](vbscript:msgbox(9)) here.",
    "A page as a link [ten](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=) here.",
    "A picture as a link [eleven](data:image/png;base64,iVBORw0KGgo=) here.",
];

/// Raw HTML with script addresses in every attribute that holds one.
const HTML: &[&str] = &[
    "<p><a href=\"javascript:alert(21)\">twenty-one</a></p>",
    "<p><a href=JaVaScRiPt:alert(22)>twenty-two</a></p>",
    "<p><a href=\"java&#x09;script:alert(23)\">twenty-three</a></p>",
    "<p><img src=\"javascript:alert(24)\" srcset=\"ok.png 1x, javascript:alert(24) 2x\" alt=\"twenty-four\"></p>",
    "<form action=\"javascript:alert(25)\"><button formaction=\"JAVASCRIPT:alert(25)\">twenty-five</button></form>",
    "<video poster=\"javascript:alert(26)\" src=\"vbscript:x\"></video>",
    "<svg><a xlink:href=\"javascript:alert(27)\"><text>twenty-seven</text></a></svg>",
    "<p><a href=\"  &#106;avascript:alert(28)\">twenty-eight</a></p>",
];

/// What stays: ordinary addresses and a raster image in a `data:` address.
const KEPT: &str = "Fine: [web](https://example.org/a), [mail](mailto:team@example.org), [phone](tel:+441234567890), \
    [section](#background) and ![a dot](data:image/png;base64,iVBORw0KGgo=).";

/// A briefing with `lines`, one a paragraph, after its sections.
fn source(lines: &[&str], end: &str) -> String {
    let mut body = good_body();
    for line in lines {
        body.push_str(&format!("\n{line}\n"));
    }
    body.push_str(end);
    crate::common::briefing(good_front(), &body)
}

/// Every attribute of every start tag in `html`, read as a browser's tokenizer reads it.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    struct Sink(RefCell<Vec<(String, String, String)>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                if tag.kind == TagKind::StartTag {
                    for a in &tag.attrs {
                        self.0.borrow_mut().push((tag.name.to_string(), a.name.local.to_string(), a.value.to_string()));
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// An address attribute (or any part of a `srcset`) whose scheme could run code: as a browser
/// reads the scheme (no spaces or control characters, any case).
fn dangerous(element: &str, attribute: &str, value: &str) -> bool {
    const ADDRESS: &[&str] = &["href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "cite", "ping", "data", "background"];
    if !ADDRESS.contains(&attribute) {
        return false;
    }
    let squeezed: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
    let picture = element == "img" && attribute == "src" && squeezed.starts_with("data:image/png");
    ["javascript:", "vbscript:", "data:"].iter().any(|s| squeezed.contains(s)) && !picture
}

fn assert_pages_are_clean(output: &Path) {
    let mut pages = 0;
    for path in walk(output).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        pages += 1;
        let html = std::fs::read_to_string(&path).unwrap();
        for (element, attribute, value) in attributes(&html) {
            assert!(!dangerous(&element, &attribute, &value), "{}: <{element} {attribute}=\"{value}\">", path.display());
        }
    }
    assert!(pages > 3, "pages were built");
}

/// A site of one briefing, `text`, with `allow_unsafe_html` as given. (The Markdown forms and
/// the HTML forms each get a site: in one file, warnings past 20 of a kind are only counted.)
fn site_of(text: &str, unsafe_html: bool) -> Site {
    let site = Site::new();
    let settings = if unsafe_html { "allow_unsafe_html = true\n" } else { "" };
    site.write("site.toml", format!("base_url = \"https://briefings.example/\"\n{settings}"));
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site.write("briefings/child-a.md", text);
    site
}

/// Checks and builds `text`: it is a good build, every line of `forms` has a warning of one
/// of `codes`, and the pages carry no script address. Returns the briefing's page.
fn check_and_build(text: &str, forms: &[&str], codes: &[&str], unsafe_html: bool) -> String {
    let site = site_of(text, unsafe_html);
    let (diagnostics, summary, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:#?}");
    assert_eq!(summary["errors"], 0);
    let warned: Vec<u64> = diagnostics.iter().filter(|d| codes.contains(&d["code"].as_str().unwrap())).map(|d| d["line"].as_u64().expect("a line")).collect();
    for form in forms {
        let needle = form.find(['[', '<', '!']).filter(|i| *i > 0).map_or(*form, |i| &form[..i]);
        assert!(warned.contains(&line_of(text, needle)), "no {codes:?} warning for {form:?}: {diagnostics:#?}");
    }
    if let Some(fine) = text.find("Fine: ") {
        assert!(!warned.contains(&line_of(text, &text[fine..fine + 6])), "{diagnostics:#?}");
    }
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert_pages_are_clean(&site.path().join("output"));
    site.read("output/briefings/child-a/index.html")
}

fn check_site(unsafe_html: bool) {
    let markdown = source(MARKDOWN, &format!("\n{KEPT}\n\n[evil]: JavaScript:alert(6)\n"));
    let page = check_and_build(&markdown, MARKDOWN, &["unsafe-url"], unsafe_html);
    for text in ["one", "two", "three", "four", "javascript:alert(5)", "six", "seven", "eight", "nine", "ten", "eleven"] {
        assert!(page.contains(&format!(">{text}<")) || page.contains(&format!(" {text} ")), "the text {text:?} was kept:\n{page}");
    }
    for kept in ["href=\"https://example.org/a\"", "href=\"mailto:team@example.org\"", "href=\"tel:+441234567890\"", "href=\"#background\"", "src=\"data:image/png;base64,iVBORw0KGgo=\""] {
        assert!(page.contains(kept), "{kept} was kept");
    }
    // Raw HTML: unsafe-url, or unsafe-html where the sanitiser drops the whole attribute.
    let html = source(HTML, "");
    let page = check_and_build(&html, HTML, &["unsafe-url", "unsafe-html"], unsafe_html);
    for text in ["twenty-one", "twenty-two", "twenty-three", "twenty-eight"] {
        assert!(page.contains(&format!(">{text}<")), "the text {text:?} was kept:\n{page}");
    }
    if unsafe_html {
        assert!(page.contains("<form>") && page.contains("<video>"), "the rest of the HTML is kept as written:\n{page}");
    }
}

#[test]
fn script_addresses_never_reach_a_page() {
    check_site(false);
}

/// `allow_unsafe_html` keeps scripts and embeds as written, but not script addresses.
#[test]
fn allow_unsafe_html_does_not_reopen_script_addresses() {
    check_site(true);
}

/// The checker of this test finds what it must: a page with a script address fails it.
#[test]
fn the_page_checker_can_fail() {
    assert!(dangerous("a", "href", " Java\tScript:x"));
    assert!(dangerous("img", "srcset", "a.png 1x, javascript:x 2x"));
    assert!(dangerous("img", "src", "data:text/html,x"));
    assert!(!dangerous("img", "src", "data:image/png;base64,AA"));
    assert_eq!(attributes("<a href=JaVaScRiPt:x title='t'>")[0], ("a".to_string(), "href".to_string(), "JaVaScRiPt:x".to_string()));
}
