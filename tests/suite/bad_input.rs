//! Bad input of every kind, which must give a diagnostic or be processed in bounded time,
//! never a panic, and never read or write outside the site and output folders.

use serde_json::Value;

use super::check::{assert_no_file_contains, good_body, good_front, json, line_of, listing, one, run, site_alone};
use crate::common::Site;

fn error_codes(site: &Site) -> Vec<String> {
    let (diagnostics, _, _) = json(site, &[]);
    diagnostics.iter().filter(|d| d["severity"] == "error").map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_huge_file_is_refused_without_reading_it_all() {
    let site = one(good_front(), &good_body());
    let big = format!("+++\ntitle = \"Big\"\npublished = 2025-01-01\n+++\n{}", "x".repeat(50 * 1024 * 1024));
    site.write("briefings/huge.md", big);
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let d = &diagnostics[0];
    assert_eq!((&d["code"], &d["file"]), (&Value::from("file-too-large"), &Value::from("briefings/huge.md")));
    assert!(d["message"].as_str().unwrap().contains("52.4 MB"), "{d}");
}

#[test]
fn a_megabyte_line_is_processed_with_short_messages() {
    let line = format!("{}[here](https://a.example) {}", "word ".repeat(200_000), "[link](https://b.example) ".repeat(5000));
    let site = one(good_front(), &format!("{}\n{line}\n", good_body()));
    let out = run(&site, &["check"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert!(out.stderr.len() < 100_000, "messages stay short: {} bytes", out.stderr.len());
    let err = crate::common::stderr(&out);
    assert!(err.contains("more like this in this file"), "repeats are summed up");
    let line_no = line_of(&site.read("briefings/child-a.md"), "word word");
    assert!(err.contains(&format!("--> briefings/child-a.md:{line_no}:1000001")), "the true column of a cut line is shown");
    let out = run(&site, &["check", "--format", "json"]);
    assert!(crate::common::stdout(&out).lines().all(|l| l.len() < 2000));
}

#[test]
fn thousands_of_levels_of_nesting_are_processed() {
    for (slug, body) in [
        ("lists", format!("{}x\n", "- ".repeat(10_000))),
        ("quotes", format!("{} deep\n", ">".repeat(10_000))),
        ("mixed", format!("{}x\n", "> - ".repeat(5_000))),
        ("html", format!("{}x{}\n", "<div>".repeat(10_000), "</div>".repeat(10_000))),
        ("emphasis", format!("{}x{}\n", "*".repeat(20_000), "*".repeat(20_000))),
        ("brackets", "[".repeat(100_000)),
    ] {
        let site = one(good_front(), &format!("{}\n{body}", good_body()));
        let out = run(&site, &["build"]);
        assert!(out.status.success(), "{slug}: {}", crate::common::stderr(&out));
        assert!(site.exists("output/briefings/child-a/index.html"), "{slug}");
    }
}

#[test]
fn a_front_matter_that_never_closes() {
    let site = one(good_front(), &good_body());
    site.write("briefings/open.md", "+++\ntitle = \"Open\"\npublished = 2025-01-01\n\n## Background\n\nText.\n");
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!((&diagnostics[0]["code"], diagnostics[0]["line"].as_u64()), (&Value::from("unclosed-front-matter"), Some(1)));
    assert!(diagnostics[0]["help"].as_str().unwrap().contains("+++"));
}

#[test]
fn binary_and_undecodable_files() {
    let site = one(good_front(), &good_body());
    site.write("briefings/picture.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    site.write("briefings/latin1.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n");
    site.write("briefings/photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let by_file = |file: &str| diagnostics.iter().find(|d| d["file"] == file).unwrap_or_else(|| panic!("{file}: {diagnostics:?}"));
    assert_eq!(by_file("briefings/picture.md")["code"], "binary-file");
    let latin1 = by_file("briefings/latin1.md");
    assert_eq!((&latin1["code"], latin1["line"].as_u64(), latin1["column"].as_u64()), (&Value::from("invalid-utf8"), Some(2), Some(13)));
    assert_eq!(by_file("briefings/photo.png")["code"], "not-a-source");
}

/// Notepad long saved "Unicode" as UTF-16: such a briefing was "a binary file" and such a
/// site.toml "invalid utf-8 sequence of 1 bytes from index 0". With its byte order mark it
/// is read as the text it is. And an empty pack was told how a briefing starts.
#[test]
fn utf16_files_with_a_byte_order_mark_are_read_and_an_empty_pack_is_told_what_a_pack_holds() {
    let utf16 = |text: &str, little: bool| -> Vec<u8> {
        let mut bytes = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        bytes.extend(text.encode_utf16().flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() }));
        bytes
    };
    let site = one(good_front(), &good_body());
    let settings = site.read("site.toml");
    site.write("site.toml", utf16(&format!("title = \"Café briefings\"\n{settings}"), false));
    site.write("briefings/child-b.md", utf16(&crate::common::briefing(&good_front().replace("Child A", "Child B: a café"), &good_body()), true));
    let out = run(&site, &["build", "--no-pdf"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let page = site.read("output/briefings/child-b/index.html");
    assert!(page.contains("Child B: a café") && page.contains("Café briefings"), "{page}");

    site.write("packs/empty.toml", "");
    let (diagnostics, _, _) = json(&site, &[]);
    let empty = diagnostics.iter().find(|d| d["file"] == "packs/empty.toml").expect("the empty pack");
    assert_eq!(empty["code"], "empty-file");
    assert!(empty["help"].as_str().unwrap().starts_with("a training pack needs a title"), "{empty}");
}

#[test]
fn unreadable_files() {
    // Root reads any file whatever its permissions, so there is nothing to test as root.
    if running_as_root() {
        eprintln!("SKIPPED unreadable_files: running as root, where file permissions do not stop reading");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let site = one(good_front(), &good_body());
    site.write("briefings/locked.md", crate::common::briefing(good_front(), &good_body()));
    let path = site.path().join("briefings/locked.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let codes = error_codes(&site);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(codes, ["unreadable-file"]);
}

fn running_as_root() -> bool {
    // The owner of a file we just made is who we run as.
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::metadata(dir.path()).unwrap().uid() == 0
}

#[test]
fn symbolic_links_are_never_followed() {
    use std::os::unix::fs::symlink;
    let site = one(good_front(), &good_body());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), crate::common::briefing(good_front(), "SECRET-OUTSIDE-TEXT\n")).unwrap();
    std::fs::write(outside.path().join("secret.png"), "SECRET-OUTSIDE-BYTES").unwrap();
    symlink(outside.path().join("secret.md"), site.path().join("briefings/leaves.md")).unwrap();
    symlink("loop.md", site.path().join("briefings/loop.md")).unwrap();
    site.write("briefings/bundle/index.md", crate::common::briefing(good_front(), &good_body()));
    symlink(outside.path().join("secret.png"), site.path().join("briefings/bundle/photo.png")).unwrap();
    symlink("..", site.path().join("briefings/bundle/up")).unwrap();
    symlink(outside.path(), site.path().join("briefings/bundle/away")).unwrap();
    let (diagnostics, _, out) = json(&site, &[]);
    assert!(out.status.success(), "{diagnostics:?}");
    let skipped: Vec<&str> = diagnostics.iter().filter(|d| d["code"] == "symlink-skipped").map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["briefings/bundle/away", "briefings/bundle/photo.png", "briefings/bundle/up", "briefings/leaves.md", "briefings/loop.md"]);
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert_no_file_contains(&site.path().join("output"), "SECRET-OUTSIDE");

    // A linked briefings/ folder is not followed either.
    let linked = Site::new();
    symlink(site.path().join("briefings"), linked.path().join("briefings")).unwrap();
    let (diagnostics, summary, _) = json(&linked, &[]);
    assert_eq!(diagnostics[0]["code"], "symlink-skipped");
    assert_eq!(summary["briefings"], 0);
}

#[test]
fn file_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let site = one(good_front(), &good_body());
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(site.path().join("briefings").join(name), crate::common::briefing(good_front(), &good_body())).unwrap();
    site.write("briefings/bundle/index.md", crate::common::briefing(good_front(), &good_body()));
    std::fs::write(site.path().join("briefings/bundle").join(std::ffi::OsStr::from_bytes(b"ph\xf6to.png")), "png").unwrap();
    let (diagnostics, _, out) = json(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let bad = diagnostics.iter().find(|d| d["code"] == "bad-slug").expect("bad-slug");
    assert!(bad["file"].as_str().unwrap().starts_with("briefings/caf"), "{bad}");
    assert!(bad["help"].as_str().unwrap().contains("rename it to"), "{bad}");
    std::fs::remove_file(site.path().join("briefings").join(name)).unwrap();
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
}

#[test]
fn nothing_a_source_says_reaches_outside_the_site() {
    let body = format!(
        "{}\nSee [passwords](../../etc/passwd.md), [more](../../../../../etc/passwd.md#root) and ![x](/etc/passwd).\n",
        good_body()
    );
    let (_work, site) = site_alone(&crate::common::briefing(good_front(), &body));
    let parent_before = listing(site.path().parent().unwrap());
    assert_eq!(error_codes(&site), ["broken-link", "broken-link"]);
    let out = run(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.exists("output"), "a failed build writes nothing");
    assert_eq!(listing(site.path().parent().unwrap()), parent_before);

    // The one-pager's sections are named by anchor, and only this briefing's anchors count.
    let front = format!("{}\nprint = [\"../../etc/passwd\"]", good_front());
    assert_eq!(error_codes(&one(&front, &good_body())), ["unknown-print-section"]);

    // The logo is copied into the site, so it must come from inside it.
    let site = one(good_front(), &good_body());
    site.write("site.toml", "logo = \"../../../etc/passwd\"\n");
    let (diagnostics, _, _) = json(&site, &[]);
    assert_eq!((&diagnostics[0]["code"], diagnostics[0]["line"].as_u64()), (&Value::from("invalid-value"), Some(1)));
}

/// A briefing's file name of 245 letters is allowed by the file system, but its action plan's
/// name is not: the build failed at writing with "File name too long", naming no file.
#[test]
fn a_file_name_too_long_to_publish_is_an_error_naming_it() {
    let site = one(good_front(), &good_body());
    let long = "a".repeat(245);
    std::fs::rename(site.path().join("briefings/child-a.md"), site.path().join(format!("briefings/{long}.md"))).unwrap();
    let (diagnostics, _, _) = json(&site, &[]);
    let d = &diagnostics[0];
    assert_eq!((&d["code"], &d["file"]), (&Value::from("bad-slug"), &Value::from(format!("briefings/{long}.md"))), "{diagnostics:#?}");
    assert!(d["help"].as_str().unwrap().contains(&format!("`{}.md`", "a".repeat(60))), "{d}");
    let out = run(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.exists("output"), "a failed build writes nothing");
}
