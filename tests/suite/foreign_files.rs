//! Issue 16, items 4 and 9: files of a site that the build reads or publishes besides the
//! sources. Templates (and the logo, and bundle files) are never read through a symbolic link
//! out of the site; a bundle's SVG is cleaned of script and its web pages are not published,
//! unless `allow_unsafe_html` is set. The logo is always cleaned.

use serde_json::Value;

use super::check::{assert_no_file_contains, good_body, good_front, json, run, walk};
use crate::common::{briefing, Site};

fn site() -> Site {
    let site = Site::new();
    site.write("site.toml", "base_url = \"https://briefings.example/\"\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site.write("briefings/child-a.md", briefing(good_front(), &good_body()));
    site
}

fn diagnostics_with(site: &Site, code: &str) -> Vec<Value> {
    json(site, &[]).0.into_iter().filter(|d| d["code"] == code).collect()
}

/// A file outside every site, whose text must never be published.
fn secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET-FROM-OUTSIDE\n").unwrap();
    std::fs::write(outside.path().join("base.html"), "SECRET-FROM-OUTSIDE {{ page_title }}").unwrap();
    outside
}

#[test]
fn a_template_that_links_out_of_the_site_is_refused() {
    use std::os::unix::fs::symlink;
    let site = site();
    // The issue's probe: /etc/passwd published as robots.txt.
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    symlink("/etc/passwd", site.path().join("templates/robots.txt")).unwrap();
    let refused = diagnostics_with(&site, "symlink-refused");
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0]["file"], "templates/robots.txt");
    assert_eq!(refused[0]["severity"], "error");
    let out = run(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", crate::common::stderr(&out));
    assert!(crate::common::stderr(&out).contains("templates/robots.txt"), "{}", crate::common::stderr(&out));
    assert!(!site.exists("output"), "nothing is published");

    // A good build first: the failed one leaves it as it was, with nothing of the file.
    std::fs::remove_file(site.path().join("templates/robots.txt")).unwrap();
    assert!(run(&site, &["build"]).status.success());
    let before = crate::common::snapshot(&site.path().join("output"));
    let outside = secret();
    symlink(outside.path().join("secret.txt"), site.path().join("templates/robots.txt")).unwrap();
    assert_eq!(run(&site, &["build"]).status.code(), Some(1));
    assert_eq!(crate::common::snapshot(&site.path().join("output")), before);
    assert_no_file_contains(&site.path().join("output"), "SECRET-FROM-OUTSIDE");
}

#[test]
fn a_templates_folder_or_logo_that_links_out_is_refused() {
    use std::os::unix::fs::symlink;
    let outside = secret();
    let site = site();
    symlink(outside.path(), site.path().join("templates")).unwrap();
    let refused = diagnostics_with(&site, "symlink-refused");
    assert_eq!(refused.iter().map(|d| d["file"].as_str().unwrap()).collect::<Vec<_>>(), ["templates"]);
    assert_eq!(run(&site, &["build"]).status.code(), Some(1));
    assert!(!site.exists("output"));

    let site = self::site();
    symlink(outside.path().join("secret.txt"), site.path().join("logo.svg")).unwrap();
    site.write("site.toml", "base_url = \"https://briefings.example/\"\nlogo = \"logo.svg\"\n");
    let refused = diagnostics_with(&site, "symlink-refused");
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert!(refused[0]["message"].as_str().unwrap().contains("logo.svg"), "{refused:#?}");
    assert_eq!(run(&site, &["build"]).status.code(), Some(1));
    assert!(!site.exists("output"));
}

/// An SVG with every way of running script that the issue names, and some it does not.
const EVIL_SVG: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [<!ENTITY x "<script>alert('entity')</script>">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50" onload="alert('onload')">
  <title>Escalation steps</title>
  <script type="text/javascript">alert('script')</script>
  <foreignObject width="100" height="50"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert('foreign')"/></div></foreignObject>
  <use xlink:href="https://tracker.example/sprites.svg#step"/>
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
  <a href="javascript:alert('link')"><text x="5" y="20" onclick="alert('click')">Step 1</text></a>
  <rect x="5" y="30" width="40" height="10" fill="url(https://tracker.example/p.svg#g)" style="stroke: black"/>
  <text x="50" y="40">&x;Step 2</text>
</svg>
"##;

const EXTRA_HTML: &str = "<!doctype html><title>Extra</title><script>alert(document.cookie)</script><p>More.</p>\n";

fn bundle_site(settings: &str) -> Site {
    let site = site();
    site.write("site.toml", format!("base_url = \"https://briefings.example/\"\n{settings}"));
    std::fs::remove_file(site.path().join("briefings/child-a.md")).unwrap();
    let body = good_body().replace("What happened to Child A, in brief.", "What happened to Child A.\n\n![The escalation steps](evil.svg)");
    site.write("briefings/child-a/index.md", briefing(good_front(), &body));
    site.write("briefings/child-a/evil.svg", EVIL_SVG);
    site.write("briefings/child-a/extra.html", EXTRA_HTML);
    site.write("briefings/child-a/extra.XHTML", EXTRA_HTML);
    site
}

#[test]
fn a_bundle_svg_is_cleaned_and_its_web_pages_are_not_published() {
    let site = bundle_site("");
    let (diagnostics, summary, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:#?}");
    assert_eq!(summary["errors"], 0);
    let svg_warning = diagnostics.iter().find(|d| d["code"] == "unsafe-svg").expect("an unsafe-svg warning");
    assert_eq!(svg_warning["file"], "briefings/child-a/evil.svg");
    for what in ["onload", "<script>", "<foreignObject>", "DOCTYPE", "href"] {
        assert!(svg_warning["message"].as_str().unwrap().contains(what), "{what} not named: {svg_warning}");
    }
    let pages: Vec<&str> = diagnostics.iter().filter(|d| d["code"] == "unsafe-attachment").map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(pages, ["briefings/child-a/extra.XHTML", "briefings/child-a/extra.html"]);

    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let output = site.path().join("output");
    assert!(!site.exists("output/briefings/child-a/extra.html") && !site.exists("output/briefings/child-a/extra.XHTML"));
    let svg = site.read("output/briefings/child-a/evil.svg");
    let doc = roxmltree::Document::parse(&svg).expect("the cleaned SVG is well-formed XML");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        assert!(!["script", "foreignobject"].contains(&name.as_str()), "<{name}> in {svg}");
        for a in node.attributes() {
            assert!(!a.name().to_ascii_lowercase().starts_with("on"), "{} in {svg}", a.name());
            assert!(!a.value().contains("tracker.example") && !a.value().contains("javascript"), "{}={} in {svg}", a.name(), a.value());
        }
    }
    assert!(svg.contains("Escalation steps") && svg.contains("Step 1") && svg.contains("Step 2") && svg.contains("stroke: black"), "the drawing is kept: {svg}");
    for path in walk(&output) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        assert!(!text.contains("alert("), "{} holds script", path.display());
    }
}

#[test]
fn a_link_to_a_web_page_that_is_not_published_is_an_error() {
    let site = bundle_site("");
    let text = site.read("briefings/child-a/index.md").replace("## Background\n", "## Background\n\nSee [the extra page](extra.html).\n");
    site.write("briefings/child-a/index.md", &text);
    let errors: Vec<Value> = json(&site, &[]).0.into_iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["code"], "missing-attachment");
    assert!(errors[0]["message"].as_str().unwrap().contains("extra.html` is not published"), "{errors:#?}");
}

#[test]
fn allow_unsafe_html_publishes_bundle_files_as_they_are() {
    let site = bundle_site("allow_unsafe_html = true\n");
    let (diagnostics, _, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:#?}");
    assert!(!diagnostics.iter().any(|d| d["code"] == "unsafe-svg" || d["code"] == "unsafe-attachment"), "{diagnostics:#?}");
    assert!(run(&site, &["build"]).status.success());
    assert_eq!(site.read("output/briefings/child-a/extra.html"), EXTRA_HTML);
    assert_eq!(site.read("output/briefings/child-a/evil.svg"), EVIL_SVG);
}

#[test]
fn an_svg_that_is_not_xml_is_not_published() {
    let site = bundle_site("");
    site.write("briefings/child-a/index.md", briefing(good_front(), &good_body()));
    site.write("briefings/child-a/evil.svg", "<svg onload=alert(1)><script>alert(2)</script>");
    let (diagnostics, _, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:#?}");
    let refused: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "unsafe-attachment" && d["file"] == "briefings/child-a/evil.svg").collect();
    assert_eq!(refused.len(), 1, "{diagnostics:#?}");
    assert!(refused[0]["message"].as_str().unwrap().contains("well-formed"), "{refused:#?}");
}

/// The logo was published as it was: an SVG logo opened on its own ran its scripts on the
/// site. It is now cleaned as a bundle's SVG is, even with `allow_unsafe_html`; the handouts
/// print the cleaned drawing; a logo that is no picture of its kind is an error.
#[test]
fn a_logo_svg_is_cleaned_and_a_logo_that_is_no_picture_is_refused() {
    let site = site();
    site.write("site.toml", "base_url = \"https://briefings.example/\"\nlogo = \"logo.svg\"\nallow_unsafe_html = true\n");
    site.write("logo.svg", EVIL_SVG);
    let warned = diagnostics_with(&site, "unsafe-svg");
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0]["file"], "site.toml");
    for what in ["logo.svg", "onload", "<script>", "href"] {
        assert!(warned[0]["message"].as_str().unwrap().contains(what), "{what} not named: {}", warned[0]);
    }
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert!(!crate::common::stderr(&out).contains("handout-note"), "the cleaned logo prints: {}", crate::common::stderr(&out));
    let logo = site.read("output/assets/logo.svg");
    roxmltree::Document::parse(&logo).expect("the cleaned logo is well-formed XML");
    assert!(logo.contains("Step 1") && !logo.contains("alert(") && !logo.contains("tracker.example"), "{logo}");

    // A PNG of 20,000 by 20,000 pixels (its first bytes say so): every handout decoded it.
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge.extend(20_000u32.to_be_bytes().into_iter().chain(20_000u32.to_be_bytes()).chain([8, 2, 0, 0, 0, 0, 0, 0, 0]));
    let cases = [("logo.svg", &b"<svg onload=alert(1)>"[..], "well-formed"), ("logo.png", b"<svg/>", "not a PNG"), ("logo.png", &huge, "20000 by 20000 pixels")];
    for (name, text, why) in cases {
        let site = self::site();
        site.write("site.toml", format!("base_url = \"https://briefings.example/\"\nlogo = \"{name}\"\n"));
        site.write(name, text);
        let refused = diagnostics_with(&site, "unreadable-file");
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert!(refused[0]["message"].as_str().unwrap().contains(why), "{refused:#?}");
        assert_eq!(run(&site, &["build"]).status.code(), Some(1));
        assert!(!site.exists("output"), "nothing is published");
    }
}

/// A cache folder linked to another folder (a link committed to the site's repository) made
/// the build write PDFs there and prune, so delete, every other file in it.
#[cfg(unix)]
#[test]
fn a_cache_folder_linked_out_of_the_site_is_refused_and_what_is_there_is_kept() {
    let outside = secret();
    let site = site();
    assert!(run(&site, &["build"]).status.success(), "a build makes the cache's folder");
    let folder = crate::common::pdf_cache_folder(site.path());
    std::fs::remove_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(outside.path(), &folder).unwrap();
    let out = run(&site, &["build"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let name = folder.file_name().unwrap().to_string_lossy();
    assert!(err.contains(&format!("error[symlink-refused]: .briefing-cache/{name} is a symbolic link")), "{err}");
    assert!(run(&site, &["build", "--no-cache"]).status.success(), "--no-cache does without it");
    let mut left: Vec<String> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["base.html", "secret.txt"], "the folder linked to is as it was");
}

/// A build never reads through a linked `briefings/` folder, but `new`, `import` and `init`
/// wrote through one, into whatever folder it led to.
#[cfg(unix)]
#[test]
fn new_import_and_init_never_write_through_a_linked_folder() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::new();
    site.write("site.toml", "title = \"T\"\n");
    std::os::unix::fs::symlink(outside.path(), site.path().join("briefings")).unwrap();
    site.write("notes.txt", "A title\n\nSome text.\n");
    for args in [&["new", "Child T"][..], &["import", "notes.txt"]] {
        let out = run(&site, args);
        let err = crate::common::stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.contains("briefings is a symbolic link; briefing never writes through one"), "{args:?}: {err}");
    }
    let fresh = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), fresh.path().join("themes")).unwrap();
    let out = crate::common::run(fresh.path(), &["init"]);
    assert!(crate::common::stderr(&out).contains("themes is a symbolic link"), "{}", crate::common::stderr(&out));
    assert_eq!(std::fs::read_dir(fresh.path()).unwrap().count(), 1, "init wrote nothing: only the link is there");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "nothing was written through the links");
}
