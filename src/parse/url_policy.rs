//! The one URL policy: every address a page carries, from Markdown (links, autolinks,
//! reference definitions, images) or from raw HTML (`href`, `src`, `srcset`, `action`, ...),
//! is checked here, whether or not the site allows unsafe HTML. Allowed are `http:`, `https:`,
//! `mailto:`, `tel:` and relative addresses; `data:` only for an image, and only a raster one
//! (an SVG or an HTML page in a `data:` address can carry script).
//!
//! The scheme is read as a browser reads it, and then some: character references are decoded
//! (`java&#x09;script:`), every space and control character is dropped (browsers drop tabs
//! and line breaks anywhere in an address, and spaces at its ends), and case is ignored
//! (`JaVaScRiPt:`). Reading more into an address than a browser would can only refuse a
//! harmless one, never let a harmful one through.

/// Schemes a link or image may use.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The image types a `data:` address may hold: raster images, which cannot run script.
const RASTER_IMAGES: &[&str] = &["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/avif", "image/bmp"];

/// Attributes of raw HTML whose values are addresses (SVG's `xlink:href` too). `srcset` and
/// `ping` hold several, each checked.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "cite", "ping", "data", "background", "longdesc",
    "lowsrc", "dynsrc", "manifest", "codebase", "icon", "usemap", "itemtype", "archive", "classid", "profile",
];

/// What an address is used for: only images may be `data:` addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// A link, a form's action, a media source: anything a browser may navigate to or run.
    Link,
    /// An image to show (`![..](..)`, `<img src>`, `<img srcset>`).
    Image,
}

/// Why an address was refused: its scheme, as it reads once cleaned (`javascript`,
/// `data:text/html`), for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The scheme, lowercase, with the media type for a `data:` address.
    pub scheme: String,
}

impl Refusal {
    /// `a javascript: address`, `a data:text/html address`, for messages.
    pub fn address(&self) -> String {
        format!("a {}{} address", self.scheme, if self.scheme.contains(':') { "" } else { ":" })
    }
}

/// Checks one address used as `usage`.
pub fn check(url: &str, usage: UrlUse) -> Result<(), Refusal> {
    let cleaned = cleaned(url);
    let Some((scheme, rest)) = split_scheme(&cleaned) else { return Ok(()) };
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        return Ok(());
    }
    if scheme == "data" {
        let media_type = rest.split([';', ',']).next().unwrap_or("");
        if usage == UrlUse::Image && RASTER_IMAGES.contains(&media_type) {
            return Ok(());
        }
        return Err(Refusal { scheme: format!("data:{}", if media_type.is_empty() { "text/plain" } else { media_type }) });
    }
    Err(Refusal { scheme })
}

/// Checks the value of the attribute `attribute` of the HTML element `element`: `Ok` for an
/// attribute that holds no address.
pub fn check_attribute(element: &str, attribute: &str, value: &str) -> Result<(), Refusal> {
    let attribute = attribute.to_ascii_lowercase();
    if !URL_ATTRIBUTES.contains(&attribute.as_str()) {
        return Ok(());
    }
    let usage = if element.eq_ignore_ascii_case("img") && matches!(attribute.as_str(), "src" | "srcset") { UrlUse::Image } else { UrlUse::Link };
    match attribute.as_str() {
        "srcset" => srcset_urls(value).try_for_each(|url| check(url, usage)),
        "ping" | "archive" => value.split_ascii_whitespace().try_for_each(|url| check(url, usage)),
        _ => check(value, usage),
    }
}

/// The address with character references decoded, spaces and control characters dropped
/// and letters in lowercase: enough to read its scheme as a browser would.
fn cleaned(url: &str) -> String {
    decode_references(url).chars().filter(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(*c)).flat_map(char::to_lowercase).collect()
}

/// Characters that show as nothing (zero-width spaces and joiners, the byte order mark), which
/// could hide inside a scheme from a reader of the source.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// The scheme (before the first `:`) and the rest, if the address starts with one. A scheme
/// is a letter followed by letters, digits, `+`, `-` and `.`; anything else before the colon
/// makes the address relative (`a/b:c`, `?x:y`), as in a browser.
fn split_scheme(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))).then(|| (scheme.to_string(), rest))
}

/// `text` with numeric character references (`&#106;`, `&#x6A`, with or without the `;`) and
/// the named ones that can spell part of a scheme (`&colon;`, `&Tab;`, `&NewLine;`...)
/// decoded. Anything else is left as written.
fn decode_references(text: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("colon;", ':'), ("tab;", '\t'), ("newline;", '\n'), ("nbsp;", ' '), ("plus;", '+'), ("period;", '.'), ("hyphen;", '-'),
        ("dash;", '-'), ("sol;", '/'), ("amp;", '&'), ("num;", '#'), ("quest;", '?'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some((c, used)) = numeric_reference(rest) {
            out.push(c);
            rest = &rest[used..];
        } else if let Some((name, c)) = NAMED.iter().find(|(name, _)| rest.get(..name.len()).is_some_and(|r| r.eq_ignore_ascii_case(name))) {
            out.push(*c);
            rest = &rest[name.len()..];
        } else {
            out.push('&');
        }
    }
    out.push_str(rest);
    out
}

/// The character of a numeric reference at the start of `text` (just after its `&`), and how
/// many bytes it took. An invalid code point reads as U+FFFD, as in a browser.
fn numeric_reference(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix('#')?;
    let (radix, digits_at) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits = &text[digits_at..];
    let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
    if len == 0 {
        return None;
    }
    // Leading zeros are allowed in any number; a value too long for u32 is not a character.
    let value = u32::from_str_radix(digits[..len].trim_start_matches('0'), radix).ok().or_else(|| digits[..len].bytes().all(|b| b == b'0').then_some(0));
    let c = value.and_then(char::from_u32).unwrap_or('\u{FFFD}');
    let semicolon = usize::from(digits[len..].starts_with(';'));
    Some((c, digits_at + len + semicolon))
}

/// The addresses of a `srcset` (`a.png 1x, data:image/png;base64,AAAA 2x`), as a browser
/// splits it: an address runs to the next space (a comma inside it, as in `data:`, is part of
/// it), then descriptors run to the next comma.
fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = value;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        let descriptors_end = if rest[..end].ends_with(',') { end } else { rest[end..].find(',').map_or(rest.len(), |i| end + i) };
        rest = &rest[descriptors_end..];
        Some(url)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str, usage: UrlUse) -> Option<String> {
        check(url, usage).err().map(|r| r.scheme)
    }

    #[test]
    fn script_addresses_are_refused_however_they_are_spelt() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java&#x09;script:alert(1)",
            "java&#9;script:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A&#x61vascript:alert(1)",
            "javascript&colon;alert(1)",
            "java\u{0}script:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\u{200B}script:alert(1)",
            "&#0000106avascript:alert(1)",
        ] {
            assert_eq!(refused(url, UrlUse::Link).as_deref(), Some("javascript"), "{url:?}");
            assert_eq!(refused(url, UrlUse::Image).as_deref(), Some("javascript"), "{url:?}");
        }
        assert_eq!(refused("VBScript:msgbox(1)", UrlUse::Link).as_deref(), Some("vbscript"));
        assert_eq!(refused("file:///etc/passwd", UrlUse::Link).as_deref(), Some("file"));
    }

    #[test]
    fn data_addresses_only_for_raster_images() {
        assert_eq!(refused("data:text/html,<script>alert(1)</script>", UrlUse::Link).as_deref(), Some("data:text/html"));
        assert_eq!(refused("data:text/html;base64,PHNjcmlwdD4=", UrlUse::Image).as_deref(), Some("data:text/html"));
        assert_eq!(refused("data:image/png;base64,AAAA", UrlUse::Link).as_deref(), Some("data:image/png"));
        assert_eq!(refused("data:image/svg+xml,<svg onload=alert(1)>", UrlUse::Image).as_deref(), Some("data:image/svg+xml"));
        assert_eq!(refused("data:,hello", UrlUse::Image).as_deref(), Some("data:text/plain"));
        for ok in ["data:image/png;base64,AAAA", "DATA:Image/JPEG;base64,AAAA", "data:image/gif,GIF89a"] {
            assert_eq!(refused(ok, UrlUse::Image), None, "{ok}");
        }
    }

    #[test]
    fn ordinary_addresses_pass() {
        for ok in [
            "https://www.gov.uk/guidance",
            "HTTP://example.org",
            "mailto:team@example.org",
            "tel:+441234567890",
            "child-r.md#learning",
            "../../themes/neglect/",
            "#what-was-the-learning",
            "/absolute/path",
            "//example.org/x",
            "files/plan.pdf",
            "a/b:c",
            "?q=a:b",
            "",
        ] {
            assert_eq!(refused(ok, UrlUse::Link), None, "{ok}");
        }
    }

    #[test]
    fn attributes_that_hold_addresses() {
        assert!(check_attribute("a", "HREF", "javascript:x").is_err());
        assert!(check_attribute("form", "action", "javascript:x").is_err());
        assert!(check_attribute("button", "formaction", "JAVASCRIPT:x").is_err());
        assert!(check_attribute("video", "poster", "data:text/html,x").is_err());
        assert!(check_attribute("use", "xlink:href", "javascript:x").is_err());
        assert!(check_attribute("img", "srcset", "a.png 1x, javascript:x 2x").is_err());
        assert!(check_attribute("img", "srcset", "data:image/png;base64,AA,BB 1x, b.png 2x").is_ok());
        assert!(check_attribute("source", "srcset", "data:image/png;base64,AA 1x").is_err());
        assert!(check_attribute("img", "src", "data:image/png;base64,AA").is_ok());
        assert!(check_attribute("a", "title", "javascript:x").is_ok());
        assert_eq!(srcset_urls(" a.png 1x,b.png, c.png 480w ,,d.png").collect::<Vec<_>>(), ["a.png", "b.png", "c.png", "d.png"]);
    }

    #[test]
    fn references_decode_as_in_a_browser() {
        assert_eq!(decode_references("a&#x3A;b&#58c&amp;d&unknown;&#;&#xZZ"), "a:b:c&d&unknown;&#;&#xZZ");
        assert_eq!(decode_references("&#99999999999999999999;&#x110000;"), "\u{FFFD}\u{FFFD}");
    }
}
