//! Links and images in Markdown: which are web addresses, which name a file beside the
//! briefing, and which point at another source (`other.md`, `../themes/x.md`).

use crate::model::LinkTarget;

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

    #[test]
    fn other_links_are_left_alone() {
        for dest in ["https://example.org/a.md", "/abs.md", "#anchor", "mailto:x@example.org", "picture.png"] {
            assert_eq!(link_target(dest), None, "{dest}");
        }
    }
}
