//! What readers see (issue 19): facets, review status, tables that scroll in their own box,
//! theme pages without mentions from link text and reading lists, and the home page with
//! its newest briefings on the first screen. The real binary builds fixture sites (and the
//! example site); tests/browser/readers.cjs measures the pages in Chromium.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::common::browser::{find_chromium, find_node, node_tools_dir, skip_or_fail, which};
use crate::common::{briefing, stderr, Site};

const SITE_TOML: &str = "title = \"Northvale briefings\"\npartnership = \"Northvale Safeguarding Partnership\"\nbase_url = \"https://northvale.example/\"\n\n[facets.age]\ntitle = \"Who it is about\"\nvalues = [\"Children\", \"Adults\", \"All ages\"]\n";

/// The date the fixture is built on: Mr P's review, due on 1 June 2025, is overdue.
const TODAY: &str = "2026-01-15";

/// A table whose cells hold long words, wider than a phone.
const TABLE: &str = "| Agency | Responsibility | Escalation |\n| --- | --- | --- |\n| Safeguarding partnership | Commissioning independent reviewers | Accountability arrangements |\n| Neighbourhood policing | Multi-agency information-sharing | Professional disagreement |\n";

fn fixture() -> Site {
    let site = Site::new();
    site.write("site.toml", SITE_TOML);
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhen a child's basic needs are not met.\n");
    site.write("themes/self-neglect.md", "+++\ntitle = \"Self-neglect\"\n+++\nWhen an adult does not look after themselves.\n");
    site.write(
        "briefings/mr-p.md",
        briefing(
            "title = \"Mr P: the locked door\"\nformat = \"practitioner\"\npublished = 2024-06-01\nreview_due = 2025-06-01\nage = \"Adults\"\nsummary = \"Learning from a review about a man who stopped answering his door.\"\nthemes = [\"self-neglect\"]",
            &format!("## Background\n\nMr P lived alone. His neighbours noticed signs of neglect in the garden.\n\n## Who did what\n\n{TABLE}\n## Further information\n\n- The Northvale neglect strategy\n- [Neglect toolkit for practitioners](https://northvale.example/toolkit)\n"),
        ),
    );
    site.write(
        "briefings/child-q.md",
        briefing(
            "title = \"Child Q: a quiet classroom\"\npublished = 2025-09-01\nreview_due = 2030-01-01\nage = \"children\"\nthemes = [\"neglect\"]",
            "## Background\n\nRead the [self-neglect protocol](https://northvale.example/protocol) for adults.\n\n## What was the learning\n\nSchools saw the signs first.\n",
        ),
    );
    site.write(
        "briefings/all-of-us.md",
        briefing("title = \"All of us: challenge\"\npublished = 2025-10-01\nage = \"All ages\"\nthemes = [\"neglect\"]", "## Background\n\nEveryone can challenge.\n"),
    );
    site
}

/// Runs `briefing` in `site` on the fixture's date.
fn run_on(site: &Site, args: &[&str]) -> Output {
    Command::new(crate::common::briefing_bin())
        .args(args)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .env("BRIEFING_TODAY", TODAY)
        .stdin(Stdio::null())
        .output()
        .expect("the briefing binary runs")
}

/// The fixture, built once (with its handouts) for the tests that only read it.
fn built() -> &'static Site {
    static BUILT: OnceLock<Site> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = fixture();
        let out = run_on(&site, &["build"]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        site
    })
}

#[test]
fn each_facet_value_gets_a_page_a_filter_a_card_line_and_a_search_field() {
    let site = built();
    let adults = site.read("output/age/adults/index.html");
    assert!(adults.contains("<h1>Who it is about: Adults</h1>"), "{adults}");
    assert!(adults.contains("Mr P: the locked door") && !adults.contains("Child Q"), "{adults}");
    assert!(site.read("output/age/children/index.html").contains("Child Q: a quiet classroom"));
    assert!(site.exists("output/age/all-ages/index.html"));
    let home = site.read("output/index.html");
    assert!(home.contains("<select id=\"filter-age\" name=\"age\" data-filter=\"facet-age\">"), "{home}");
    assert!(home.contains("<option value=\"adults\">Adults (1)</option>"), "{home}");
    assert!(home.contains("data-facet-age=\"children\""), "a value is matched whatever its case");
    assert!(home.contains("<p class=\"card-facet\">Who it is about: <a href=\"age/adults/index.html\">Adults</a></p>"), "{home}");
    assert!(home.contains("<a href=\"age/adults/index.html\">Adults</a> (1)"), "the browse links list the value's page");
    let page = site.read("output/briefings/mr-p/index.html");
    assert!(page.contains("<dt>Who it is about</dt><dd><a href=\"../../age/adults/index.html\">Adults</a></dd>"), "{page}");
    let index = site.read("output/assets/search-index.js");
    assert!(index.contains("\"v\":[\"Adults\"]"), "{index}");
}

#[test]
fn a_site_without_facets_has_no_facet_pages_or_filters() {
    let site = fixture();
    site.write("site.toml", "title = \"Northvale briefings\"\n");
    for b in ["mr-p", "child-q", "all-of-us"] {
        let text = site.read(&format!("briefings/{b}.md"));
        let text: Vec<&str> = text.lines().filter(|l| !l.starts_with("age = ")).collect();
        site.write(&format!("briefings/{b}.md"), text.join("\n") + "\n");
    }
    let out = run_on(&site, &["build", "--no-pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.exists("output/age"));
    let home = site.read("output/index.html");
    assert!(!home.contains("data-facet") && !home.contains("card-facet"), "{home}");
}

#[test]
fn a_facet_value_not_in_the_list_is_an_error_with_file_line_and_did_you_mean() {
    let site = fixture();
    let text = site.read("briefings/mr-p.md").replace("age = \"Adults\"", "age = \"Adlts\"");
    site.write("briefings/mr-p.md", text);
    let out = run_on(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in ["error[unknown-facet-value]", "`Adlts` is not a value of the facet `age` (Who it is about)", "briefings/mr-p.md:6:7", "did you mean age = \"Adults\"?"] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
    let text = site.read("briefings/mr-p.md").replace("age = \"Adlts\"", "age = [\"Adults\"]");
    site.write("briefings/mr-p.md", text);
    let err = stderr(&run_on(&site, &["check"]));
    assert!(err.contains("`age` must be one of its values, in double quotes") && err.contains("briefings/mr-p.md:6:"), "{err}");
}

#[test]
fn an_unknown_key_is_still_an_error_unless_it_names_a_facet() {
    let site = fixture();
    let text = site.read("briefings/child-q.md").replace("age = \"children\"", "audiense = \"Schools\"\nage = \"children\"");
    site.write("briefings/child-q.md", text);
    let err = stderr(&run_on(&site, &["check"]));
    assert!(err.contains("error[unknown-key]") && err.contains("unknown key `audiense`") && err.contains("did you mean `audience`?"), "{err}");
    assert!(!err.contains("unknown key `age`"), "a facet's key is known: {err}");
    let out = run_on(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_facet_in_site_toml_is_an_error_naming_the_line() {
    let site = fixture();
    site.write("site.toml", format!("{SITE_TOML}\n[facets.themes]\nvalues = [\"A\"]\n"));
    let out = run_on(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("a facet cannot be called `themes`") && err.contains("site.toml:"), "{err}");
}

#[test]
fn an_overdue_review_shows_on_the_page_the_card_and_the_handout() {
    let site = built();
    let wording = "Review overdue since 1 June 2025";
    let page = site.read("output/briefings/mr-p/index.html");
    assert!(page.contains(&format!("<p class=\"review-status\">{wording}</p>")), "{page}");
    let home = site.read("output/index.html");
    assert_eq!(home.matches(wording).count(), 1, "only Mr P's card: {home}");
    assert!(!site.read("output/briefings/child-q/index.html").contains("review-status"));
    let Some(pdftotext) = which("pdftotext") else { return skip_or_fail("an_overdue_review_shows_on_the_handout", "no pdftotext (apt-get install poppler-utils)") };
    let pdf = site.path().join("output/briefings/mr-p/mr-p.pdf");
    let out = Command::new(pdftotext).arg(&pdf).arg("-").output().expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(wording), "the handout says {text:?}");
}

#[test]
fn review_status_wording_is_set_in_site_toml_and_can_be_hidden_without_changing_sitemap_or_feed() {
    let site = fixture();
    site.write("site.toml", format!("review_overdue_text = \"Due for review since {{date}}\"\n{SITE_TOML}"));
    assert!(run_on(&site, &["build", "--no-pdf"]).status.success());
    assert!(site.read("output/briefings/mr-p/index.html").contains("Due for review since 1 June 2025"));
    let (sitemap, feed) = (site.read("output/sitemap.xml"), site.read("output/feed.xml"));
    site.write("site.toml", format!("show_review_status = false\n{SITE_TOML}"));
    assert!(run_on(&site, &["build", "--no-pdf"]).status.success());
    assert!(!site.read("output/briefings/mr-p/index.html").contains("review-status"));
    assert!(!site.read("output/index.html").contains("review-status"));
    assert_eq!((site.read("output/sitemap.xml"), site.read("output/feed.xml")), (sitemap, feed));
    site.write("site.toml", format!("review_overdue_text = \"Overdue\"\n{SITE_TOML}"));
    let err = stderr(&run_on(&site, &["check"]));
    assert!(err.contains("does not say where the date goes") && err.contains("site.toml:1:"), "{err}");
}

#[test]
fn theme_pages_leave_out_names_in_link_text_and_reading_lists() {
    let site = built();
    let neglect = site.read("output/themes/neglect/index.html");
    assert!(neglect.contains("signs of <mark>neglect</mark> in the garden"), "a mention in the text is listed: {neglect}");
    assert!(!neglect.contains("neglect strategy") && !neglect.contains("toolkit"), "a reading list is not: {neglect}");
    let self_neglect = site.read("output/themes/self-neglect/index.html");
    assert!(!self_neglect.contains("protocol"), "a link's text is not: {self_neglect}");
}

#[test]
fn cards_label_their_themes_as_key_learning_themes() {
    let home = built().read("output/index.html");
    assert!(home.contains("<p class=\"card-label\">Key learning themes:</p>\n<ul class=\"tags\" aria-label=\"Key learning themes of Mr P: the locked door\">"), "{home}");
}

/// Runs tests/browser/readers.cjs on the site in `dir` with `request`; `None` after skipping.
fn measure(what: &str, dir: &Path, request: &str) -> Option<serde_json::Value> {
    let Some(node) = find_node() else {
        skip_or_fail(what, "no `node` on PATH");
        return None;
    };
    if node_tools_dir().is_none() {
        skip_or_fail(what, "tests/node_modules lacks playwright-core (run `npm ci --prefix tests`)");
        return None;
    }
    let Some(browser) = find_chromium() else {
        skip_or_fail(what, "no Chromium or Chrome");
        return None;
    };
    let out = Command::new(node)
        .arg(crate::common::repo_root().join("tests/browser/readers.cjs"))
        .arg(dir)
        .arg(request)
        .env("BRIEFING_BROWSER", &browser)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    if out.status.code() == Some(2) {
        skip_or_fail(what, &format!("readers.cjs could not set up: {}", stderr(&out)));
        return None;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    Some(serde_json::from_slice(&out.stdout).expect("readers.cjs prints JSON"))
}

#[test]
fn the_example_sites_newest_briefings_are_on_the_first_screen() {
    let site = Site::new();
    let root = crate::common::repo_root();
    let out_dir = site.path().join("out");
    let out = crate::common::run(site.path(), &["build", "--no-pdf", "--root", root.to_str().unwrap(), "--output", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let Some(seen) = measure("the_example_sites_newest_briefings_are_on_the_first_screen", &out_dir, r#"{"home": [[1366, 768], [360, 640]]}"#) else { return };
    let laptop = &seen["home"][0];
    let phone = &seen["home"][1];
    assert!(laptop["firstCardTop"].as_f64().unwrap() < 600.0, "at 1366x768 the first card starts {} px down", laptop["firstCardTop"]);
    // The card's heading (some 60 px) is on the first screen of a phone, not only its border.
    assert!(phone["firstCardTop"].as_f64().unwrap() + 60.0 < 640.0, "at 360x640 the first card starts {} px down", phone["firstCardTop"]);
    assert_eq!(laptop["titleInMain"], 0, "the site's title is not repeated under the header");
}

#[test]
fn a_wide_table_scrolls_in_its_own_box_at_360_px_and_no_word_breaks() {
    let site = built();
    let request = r#"{"table": {"page": "briefings/mr-p/index.html", "width": 360}}"#;
    let Some(seen) = measure("a_wide_table_scrolls_in_its_own_box_at_360_px_and_no_word_breaks", &site.path().join("output"), request) else { return };
    let table = &seen["table"];
    assert_eq!(table["found"], true, "{seen}");
    assert_eq!(table["pageScrolls"], false, "the page itself must not scroll sideways: {seen}");
    assert_eq!(table["boxScrolls"], true, "the table's box scrolls: {seen}");
    assert_eq!((&table["focusable"], &table["role"]), (&serde_json::json!(true), &serde_json::json!("region")), "keyboard users can scroll it: {seen}");
    assert!(table["label"].as_str().is_some_and(|l| !l.is_empty()), "{seen}");
    assert_eq!(table["broken"], serde_json::json!([]), "words broken over lines: {seen}");
}

#[test]
fn the_facet_filter_and_review_status_in_a_browser() {
    let site = built();
    let request = r#"{"filter": {"select": "filter-age", "value": "adults"}, "text": ["index.html", "briefings/mr-p/index.html", "age/children/index.html"]}"#;
    let Some(seen) = measure("the_facet_filter_and_review_status_in_a_browser", &site.path().join("output"), request) else { return };
    assert_eq!(seen["filter"]["shown"], serde_json::json!(["briefings/mr-p/index.html"]), "{seen}");
    assert_eq!(seen["filter"]["status"], "1 briefing shown");
    let text = |page: &str| seen["text"][page].as_str().unwrap().to_string();
    assert!(text("index.html").contains("Review overdue since 1 June 2025"), "{seen}");
    assert!(text("briefings/mr-p/index.html").contains("Review overdue since 1 June 2025"), "{seen}");
    assert!(text("age/children/index.html").contains("Child Q: a quiet classroom") && !text("age/children/index.html").contains("Mr P"), "{seen}");
}
