//! What the fuzz targets (fuzz/fuzz_targets/) run, here so that `cargo test` runs the same
//! code over the seed corpus and every input that once crashed (tests/fuzz_regressions.rs).

use std::path::PathBuf;

use crate::config::Config;
use crate::load::{Kind, SourceFile};

/// A theme for the briefing under test to name, so theme resolution has something to find.
const THEME: &str = "+++\ntitle = \"Neglect\"\naliases = [\"chronic neglect\"]\nrelated = [\"think-family\"]\n+++\nWhat neglect means.\n";

/// Parses `data` as one briefing (front matter and Markdown), with raw HTML sanitised and,
/// when the first byte is odd, kept as written.
pub fn parse_source(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let config = Config { allow_unsafe_html: data.first().is_some_and(|b| b % 2 == 1), ..Config::default() };
    let file = SourceFile { kind: Kind::Briefing, slug: "fuzz".into(), path: PathBuf::from("briefings/fuzz.md"), bundle: None, text: text.into() };
    let _ = crate::parse::parse(&file, &config);
}

/// Builds a site of one briefing, `data`, and one theme, in memory.
pub fn build_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::pipeline::build_in_memory(&[("briefings/fuzz.md", &text), ("themes/neglect.md", THEME)]);
}

/// Holds the URL policy to what a browser would run: `data` as an address (as a link and as an
/// image) and as raw HTML around it. Panics if an address the policy allows would run script
/// in a browser, or if raw HTML scrubbed of refused addresses still holds one.
pub fn url_policy(data: &[u8]) {
    use crate::parse::url_policy::{check, UrlUse};
    let text = String::from_utf8_lossy(data);
    for usage in [UrlUse::Link, UrlUse::Image] {
        if check(&text, usage).is_ok() {
            assert!(!runs_script(&browser_scheme(&text), usage), "the policy allowed {text:?} as {usage:?}");
        }
    }
    let _ = crate::parse::url_policy::check_attribute("img", "srcset", &text);
    for html in [text.to_string(), format!("<a href=\"{text}\">x</a><img src='{text}' srcset=\"{text}\">")] {
        let scrubbed = crate::parse::sanitize::scrub_urls(&html).unwrap_or(html);
        assert!(crate::parse::sanitize::inspect(&scrubbed, true).is_empty(), "a refused address is left in {scrubbed:?}");
    }
}

/// The scheme of `url` as a browser's URL parser reads it: spaces and control characters off
/// both ends, tabs and line breaks out of the middle, in lowercase (what `url_policy` must
/// never be more lenient than).
fn browser_scheme(url: &str) -> String {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let squeezed: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((scheme, rest)) = squeezed.split_once(':') else { return String::new() };
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid {
        return String::new();
    }
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "data" => format!("data:{}", rest.split([';', ',']).next().unwrap_or("").to_ascii_lowercase()),
        _ => scheme,
    }
}

/// Whether a browser could run script from an address of this scheme used as `usage`. (An
/// image never runs script from a `data:` address, even an SVG one; the policy is stricter.)
fn runs_script(scheme: &str, usage: crate::parse::url_policy::UrlUse) -> bool {
    match scheme {
        "javascript" | "vbscript" | "livescript" => true,
        s => s.starts_with("data:") && usage == crate::parse::url_policy::UrlUse::Link,
    }
}

/// Cleans `data` as an SVG file: whatever the bytes, the cleaner ends, and what it writes is
/// clean (cleaning it again takes nothing out and changes nothing).
pub fn svg_clean(data: &[u8]) {
    let Ok(cleaned) = crate::parse::svg::clean(data) else { return };
    let again = crate::parse::svg::clean(&cleaned.svg).expect("what the cleaner writes is well-formed");
    assert!(again.removed.is_empty(), "cleaning twice took out {:?} from {:?}", again.removed, String::from_utf8_lossy(&cleaned.svg));
    assert_eq!(again.svg, cleaned.svg, "cleaning is not stable");
}
