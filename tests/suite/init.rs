//! `briefing init` (issue 19): a fresh folder becomes a site that builds without errors; a
//! second `init` refuses and changes nothing.

use super::check::run_in;
use crate::common::{snapshot, stderr, stdout, Site};

#[test]
fn init_starts_a_site_that_builds_and_never_overwrites() {
    let parent = Site::new();
    let out = run_in(parent.path(), &["init", "partnership-site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = parent.path().join("partnership-site");
    for file in ["site.toml", ".gitignore", "briefings/sample-child-j.md", "themes/neglect.md", "themes/professional-curiosity.md"] {
        assert!(dir.join(file).is_file(), "{file} missing; {}", stdout(&out));
    }
    assert!(stdout(&out).contains("wrote site.toml"), "{}", stdout(&out));
    let settings = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    for key in ["title", "partnership", "base_url", "paper", "accent", "reading_wpm", "contact", "allow_unsafe_html", "[check]"] {
        assert!(settings.contains(key), "site.toml has no {key}");
    }
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignored.contains("/output") && ignored.contains("/.briefing-cache"), "{ignored}");

    let built = run_in(&dir, &["build"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(!stderr(&built).contains("error"), "{}", stderr(&built));
    assert!(stdout(&built).starts_with("Built 1 briefing, 6 themes"), "{}", stdout(&built));
    assert!(dir.join("output/briefings/sample-child-j/index.html").is_file());
    let checked = run_in(&dir, &["check", "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_str(stdout(&checked).lines().last().unwrap()).unwrap();
    assert_eq!((summary["errors"].as_u64(), summary["warnings"].as_u64()), (Some(0), Some(0)), "{}", stdout(&checked));

    std::fs::write(dir.join("themes/neglect.md"), "+++\ntitle = \"Neglect, our words\"\n+++\nOurs.\n").unwrap();
    let before = snapshot(&dir);
    let again = run_in(&dir, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    let told = stderr(&again);
    assert!(told.contains("site.toml already exists") && told.contains("nothing was changed"), "{told}");
    assert_eq!(snapshot(&dir), before, "a second init changed files");
}

#[test]
fn init_keeps_files_already_in_the_folder() {
    let site = Site::new();
    site.write(".gitignore", "notes/\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nOur own words.\n");
    let out = run_in(site.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(site.read(".gitignore"), "notes/\n");
    assert_eq!(site.read("themes/neglect.md"), "+++\ntitle = \"Neglect\"\n+++\nOur own words.\n");
    assert!(stdout(&out).contains("kept .gitignore as it was"), "{}", stdout(&out));
    assert!(site.exists("site.toml") && site.exists("themes/supervision.md"));
}
