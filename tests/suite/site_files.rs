//! The files a static host and search engines use: sitemap, feed, robots.txt, the 404 page,
//! and the accessibility statement.


use crate::common::{briefing, Site};

fn site(base_url: Option<&str>) -> Site {
    let site = Site::new();
    let mut config = String::from("title = \"Test briefings\"\npartnership = \"Testshire Partnership\"\ncontact = \"help@testshire.example\"\naccessibility_reviewed = 2026-10-01\n");
    if let Some(url) = base_url {
        config.push_str(&format!("base_url = \"{url}\"\n"));
    }
    site.write("site.toml", config);
    site.write("briefings/old-one.md", briefing("title = \"Old & wise\"\npublished = 2023-01-02\nsummary = \"An <old> one.\"\nthemes = [\"neglect\"]", "## One\n"));
    site.write("briefings/new-one.md", briefing("title = \"New one\"\npublished = 2025-06-07\nupdated = 2025-08-09", "## One\n"));
    site
}

#[test]
fn with_base_url_the_sitemap_and_feed_are_well_formed_and_absolute() {
    let site = site(Some("https://example.org/safeguarding"));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));

    let sitemap = site.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is well-formed XML");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://example.org/safeguarding/"), "{locs:?}");
    assert!(locs.contains(&"https://example.org/safeguarding/briefings/new-one/"), "{locs:?}");
    assert!(locs.contains(&"https://example.org/safeguarding/accessibility/"), "{locs:?}");
    assert!(!locs.iter().any(|l| l.contains("404")), "{locs:?}");
    assert!(sitemap.contains("<lastmod>2025-08-09</lastmod>"), "the updated date");

    let feed = site.read("output/feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml is well-formed XML");
    let titles: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
    assert_eq!(titles, ["Test briefings", "New one", "Old & wise"], "newest first, text unescaped by the parser");
    let summary = doc.descendants().find(|n| n.has_tag_name("summary")).unwrap();
    assert_eq!(summary.text(), Some("An <old> one."));
    assert!(feed.contains("<updated>2025-08-09T00:00:00Z</updated>"));

    assert!(site.read("output/robots.txt").contains("Sitemap: https://example.org/safeguarding/sitemap.xml"));
    let page = site.read("output/index.html");
    assert!(page.contains("type=\"application/atom+xml\""), "pages advertise the feed");
}

#[test]
fn without_base_url_they_are_skipped_with_a_reason() {
    let site = site(None);
    let out = site.run(&["build"]);
    assert!(out.status.success());
    assert!(!site.exists("output/sitemap.xml") && !site.exists("output/feed.xml"));
    let err = crate::common::stderr(&out);
    assert!(err.contains("sitemap.xml and feed.xml were not written") && err.contains("base_url"), "{err}");
    assert!(site.read("output/robots.txt").starts_with("User-agent: *"));
    assert!(!site.read("output/robots.txt").contains("Sitemap"));
}

#[test]
fn the_404_page_works_at_any_depth() {
    let with = site(Some("https://example.org/safeguarding/"));
    assert!(with.run(&["build"]).status.success());
    let page = with.read("output/404.html");
    assert!(page.contains("<h1>Page not found</h1>"));
    assert!(page.contains("<style>") && !page.contains("assets/style.css"), "styles inline: readable at any address");
    assert!(page.contains("href=\"https://example.org/safeguarding/index.html\""), "absolute with base_url");

    let without = site(None);
    assert!(without.run(&["build"]).status.success());
    assert!(without.read("output/404.html").contains("href=\"/index.html\""), "root-relative without base_url");
}

#[test]
fn the_accessibility_statement_comes_from_site_toml() {
    let site = site(None);
    assert!(site.run(&["build"]).status.success());
    let page = site.read("output/accessibility/index.html");
    assert!(page.contains("<h1>Accessibility statement</h1>"));
    assert!(page.contains("Testshire Partnership"));
    assert!(page.contains("href=\"mailto:help@testshire.example\""));
    assert!(page.contains("<time datetime=\"2026-10-01\">1 October 2026</time>"));
    assert!(page.contains("href=\"../assets/style.css\""));
    assert!(site.read("output/index.html").contains("href=\"accessibility/index.html\""), "every page links it");
}

#[test]
fn bad_contact_and_review_date_are_errors_with_lines() {
    let site = Site::new();
    site.write("site.toml", "contact = \"call reception\"\naccessibility_reviewed = \"last year\"\n");
    site.write("briefings/a.md", briefing("title = \"A\"\npublished = 2024-01-01", ""));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = crate::common::stderr(&out);
    assert!(err.contains("site.toml:1:11") && err.contains("not an email address"), "{err}");
    assert!(err.contains("site.toml:2:26") && err.contains("is not a date"), "{err}");
}
