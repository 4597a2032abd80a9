//! Checks every internal link and asset reference of the rendered site, in memory: each
//! `href` and `src` must name a file the build writes (or copies) and, when it has a
//! `#fragment`, an `id` in that page. Source links are already checked against the model;
//! this also catches links made by templates, including a site's own overrides.

use std::collections::{HashMap, HashSet};

use crate::core::diagnostics::{Diagnostic, LineCursor};
use crate::parse::links::has_scheme;
use crate::render::OutputFile;
use crate::site::attachments::Copy;

/// Pages that hosts serve at any address, whose links are absolute by design.
const ANY_DEPTH: &[&str] = &["404.html"];

pub fn check(files: &[OutputFile], copies: &[Copy]) -> Vec<Diagnostic> {
    let pages: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| Some((f.path.as_str(), std::str::from_utf8(&f.contents).ok()?)))
        .collect();
    let existing: HashSet<&str> = files.iter().map(|f| f.path.as_str()).chain(copies.iter().map(|c| c.to.as_str())).collect();
    let ids: HashMap<&str, HashSet<&str>> = pages.iter().map(|(path, html)| (*path, attribute_values(html, "id").map(|(_, v)| v).collect())).collect();
    let mut diags = Vec::new();
    for (page, html) in pages.iter().filter(|(p, _)| !ANY_DEPTH.contains(p)) {
        for attr in ["href", "src"] {
            // Moves on from the last broken link instead of counting lines from the top for
            // each: a page of N broken links costs N, not N².
            let mut lines = LineCursor::new(html);
            for (offset, value) in attribute_values(html, attr) {
                if let Some(problem) = broken(page, value, &existing, &ids) {
                    diags.push(
                        Diagnostic::error("broken-output-link", format!("the page {page} links to `{value}`, {problem}"))
                            .in_file(format!("output/{page}"))
                            .at_span(lines.span(offset..offset + value.len()))
                            .help("if the link comes from a briefing, fix it there; if from a template in templates/, fix the template"),
                    );
                }
            }
        }
    }
    diags
}

/// Why `value`, found on `page`, is broken; `None` when it is fine or not ours to check.
fn broken(page: &str, value: &str, existing: &HashSet<&str>, ids: &HashMap<&str, HashSet<&str>>) -> Option<String> {
    let value = decode_entities(value);
    if value.is_empty() || value.starts_with("//") || has_scheme(&value) {
        return None; // external (https:, mailto:, data:) or protocol-relative
    }
    let (path, fragment) = value.split_once('#').map_or((value.as_str(), None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or(path);
    let target = if path.is_empty() {
        page.to_string()
    } else {
        if path.starts_with('/') {
            return Some("an absolute path, which breaks under a sub-path and from disk".into());
        }
        match resolve(page, path) {
            Some(target) => target,
            None => return Some("which points outside the site".into()),
        }
    };
    if !existing.contains(target.as_str()) {
        return Some(format!("but the site has no {target}"));
    }
    match (fragment, ids.get(target.as_str())) {
        (Some(fragment), Some(page_ids)) if !fragment.is_empty() && !page_ids.contains(fragment) => {
            Some(format!("but {target} has no element with id \"{fragment}\""))
        }
        _ => None,
    }
}

/// `path` relative to the folder of `page`, as a path from the site root (a folder gets its
/// index.html); `None` when it climbs above the root.
fn resolve(page: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut target = parts.join("/");
    if path.ends_with('/') || target.is_empty() {
        target.push_str(if target.is_empty() { "index.html" } else { "/index.html" });
    }
    Some(target)
}

/// The byte offset and value of every `name="value"` attribute in `html`.
pub(crate) fn attribute_values<'h>(html: &'h str, name: &str) -> impl Iterator<Item = (usize, &'h str)> + 'h {
    let needle = format!(" {name}=\"");
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + html[from..].find(&needle)? + needle.len();
        let end = start + html[start..].find('"')?;
        from = end;
        Some((start, &html[start..end]))
    })
}

/// Templates escape attribute values; links compare unescaped.
pub(crate) fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/").replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::new(path, html.as_bytes().to_vec())
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("briefings/a/index.html", "../../themes/x/index.html").as_deref(), Some("themes/x/index.html"));
        assert_eq!(resolve("index.html", "briefings/a/").as_deref(), Some("briefings/a/index.html"));
        assert_eq!(resolve("index.html", "../secret"), None);
    }

    #[test]
    fn reports_missing_pages_anchors_and_escapes() {
        let files = [
            page("index.html", "<a href=\"a/index.html#two\">x</a>\n<a href=\"a/index.html#one\">y</a>\n<img src=\"pic.png\">\n<a href=\"../up.html\">z</a>\n<a href=\"https://example.org/\">e</a>\n<a href=\"/abs.html\">a</a>"),
            page("a/index.html", "<h2 id=\"one\">One</h2><a href=\"#one\">self</a><a href=\"#nowhere\">bad</a><a href=\"../index.html\">home</a>"),
        ];
        let diags = check(&files, &[]);
        let messages: Vec<String> = diags.iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
        let has = |location: &str, text: &str| messages.iter().any(|m| m.starts_with(location) && m.contains(text));
        assert_eq!(diags.len(), 5, "{messages:#?}");
        assert!(has("output/index.html:1:10", "no element with id \"two\""), "{messages:#?}");
        assert!(has("output/index.html:3:11", "the site has no pic.png"), "{messages:#?}");
        assert!(has("output/index.html:4:10", "outside the site"), "{messages:#?}");
        assert!(has("output/index.html:6:10", "absolute path"), "{messages:#?}");
        assert!(has("output/a/index.html:1:", "\"nowhere\""), "{messages:#?}");
        let copies = [Copy::file("x".into(), "pic.png".into())];
        assert_eq!(check(&files, &copies).len(), 4, "a copied attachment counts as existing");
    }
}
