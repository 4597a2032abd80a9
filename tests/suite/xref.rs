//! The cross-reference end to end: fixture sites built in memory (and with the real binary
//! for its messages and the browser), and assertions on exactly which briefing and section
//! appear under which theme, the A to Z, related briefings, listings, the home page's filter
//! and the errors and warnings about themes.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use crate::common::browser::{find_chromium, find_node, node_tools_dir, skip_or_fail};
use crate::common::{briefing, Site};

/// Five themes and four briefings whose cross-references are known exactly:
///
/// - alpha (2025) is tagged trauma-informed practice and supervision; it mentions Think Family
///   in its introduction, neglect ("chronic neglect", across a line break) in Background,
///   self-neglect ("hoarding") and Think Family ("whole-family approach") in Practice, and
///   neglect only inside words, code, an inline code span and link addresses in What we learned.
/// - beta (2024) is tagged trauma-informed practice, neglect and think family, and mentions
///   supervision in One.
/// - gamma (2023) is tagged "chronic neglect", an alias of neglect.
/// - delta (2022) is tagged supervision.
fn fixture() -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Test briefings\"\npartnership = \"Testshire Partnership\"\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\naliases = [\"chronic neglect\"]\nrelated = [\"think family\"]\n+++\nWhat neglect means.\n");
    site.write("themes/self-neglect.md", "+++\ntitle = \"Self-neglect\"\naliases = [\"hoarding\"]\n+++\nWhen adults cannot look after themselves.\n");
    site.write("themes/think-family.md", "+++\ntitle = \"Think Family\"\naliases = [\"whole family approach\"]\n+++\nNobody lives alone.\n");
    site.write("themes/trauma-informed-practice.md", "+++\ntitle = \"Trauma-informed practice\"\n+++\nWhat has happened to you?\n");
    site.write("themes/supervision.md", "+++\ntitle = \"Supervision\"\n+++\nTime to think.\n");
    site.write(
        "briefings/alpha.md",
        briefing(
            "title = \"Alpha\"\npublished = 2025-01-10\nthemes = [\"Trauma Informed Practice\", \"supervision\"]",
            "An introduction about Think Family.\n\n\
             ## Background\n\nThe family had lived with chronic\nneglect for years.\n\n\
             ## What we learned\n\nNobody was neglectful; nothing went unneglected.\n\n\
             ```\nneglect\n```\n\n\
             Search for `neglect` or see [the guide](https://example.org/neglect) and <https://example.org/neglect>.\n\n\
             ## Practice\n\nHoarding was the concern, so we took a whole-family approach. Supervision helped.\n",
        ),
    );
    site.write(
        "briefings/beta.md",
        briefing(
            "title = \"Beta\"\nformat = \"practitioner\"\npublished = 2024-03-01\nthemes = [\"trauma-informed-practice\", \"Neglect\", \"think-family\"]",
            "## One\n\nSupervision made the difference.\n",
        ),
    );
    site.write("briefings/gamma.md", briefing("title = \"Gamma\"\npublished = 2023-06-01\nthemes = [\"Chronic Neglect\"]", "## Only\n\nNothing to add.\n"));
    site.write("briefings/delta.md", briefing("title = \"Delta\"\npublished = 2022-01-01\nthemes = [\"supervision\"]", "## Only\n\nQuiet.\n"));
    site
}

/// The fixture built into its folder by the real binary.
fn built() -> Site {
    let site = fixture();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    site
}

/// The fixture built in memory: the text of each output file by its path.
fn pages() -> BTreeMap<String, String> {
    let site = fixture();
    let sources: Vec<(String, String)> = ["site.toml", "themes/neglect.md", "themes/self-neglect.md", "themes/think-family.md", "themes/trauma-informed-practice.md", "themes/supervision.md", "briefings/alpha.md", "briefings/beta.md", "briefings/gamma.md", "briefings/delta.md"]
        .iter()
        .map(|path| (path.to_string(), site.read(path)))
        .collect();
    let pairs: Vec<(&str, &str)> = sources.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let (files, diags) = briefing::build_in_memory(&pairs);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    files.into_iter().map(|f| (f.path, String::from_utf8(f.contents.to_vec()).unwrap())).collect()
}

/// The part of `html` from the element labelled by `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("aria-labelledby=\"{id}\"")).unwrap_or_else(|| panic!("no section {id} in:\n{html}"));
    let end = html[start..].find("</section>").map_or(html.len(), |i| start + i);
    &html[start..end]
}

/// The links to briefing pages in `html`, in order, without the `../../briefings/` prefix.
fn briefing_links(html: &str) -> Vec<&str> {
    html.split("href=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).filter_map(|href| href.strip_prefix("../../briefings/")).collect()
}

#[test]
fn theme_pages_list_tagged_briefings_then_the_sections_that_mention_them() {
    let pages = pages();
    let neglect = pages["themes/neglect/index.html"].clone();
    assert_eq!(briefing_links(section(&neglect, "tagged-title")), ["beta/index.html", "gamma/index.html"], "tagged, newest first; the alias lands on neglect");
    assert_eq!(
        briefing_links(section(&neglect, "mentioned-title")),
        ["alpha/index.html", "alpha/index.html#background"],
        "only the mention across a line break: not inside words, code or link addresses"
    );
    assert!(neglect.contains("The family had lived with <mark>chronic neglect</mark> for years."), "{neglect}");

    let family = pages["themes/think-family/index.html"].clone();
    assert_eq!(briefing_links(section(&family, "tagged-title")), ["beta/index.html"]);
    assert_eq!(
        briefing_links(section(&family, "mentioned-title")),
        ["alpha/index.html", "alpha/index.html", "alpha/index.html#practice"],
        "the briefing, then its introduction and its Practice section"
    );
    assert!(family.contains("<a href=\"../../briefings/alpha/index.html\">Introduction</a>"), "{family}");
    assert!(family.contains("<mark>whole-family approach</mark>"), "{family}");

    let self_neglect = pages["themes/self-neglect/index.html"].clone();
    assert!(self_neglect.contains("No briefing is tagged with this theme yet."));
    assert_eq!(briefing_links(section(&self_neglect, "mentioned-title")), ["alpha/index.html", "alpha/index.html#practice"]);

    let supervision = pages["themes/supervision/index.html"].clone();
    assert_eq!(briefing_links(section(&supervision, "tagged-title")), ["alpha/index.html", "delta/index.html"]);
    assert_eq!(
        briefing_links(section(&supervision, "mentioned-title")),
        ["beta/index.html", "beta/index.html#one"],
        "alpha also says Supervision, but it is tagged with it: listed once, as tagged"
    );

    let trauma = pages["themes/trauma-informed-practice/index.html"].clone();
    assert_eq!(briefing_links(section(&trauma, "tagged-title")), ["alpha/index.html", "beta/index.html"], "\"Trauma Informed Practice\" lands on the theme");
    assert!(!trauma.contains("mentioned-title"), "no mentions, no empty section");
}

#[test]
fn theme_pages_show_declared_and_co_occurring_themes() {
    let pages = pages();
    let neglect = pages["themes/neglect/index.html"].clone();
    let related = section(&neglect, "related-themes-title");
    let declared = related.find("themes/think-family/").unwrap();
    let often = related.find("Often in the same briefings").unwrap();
    assert!(declared < often, "{related}");
    // beta links neglect (tag) with trauma-informed practice (tag) and supervision (mention);
    // alpha mentions neglect beside its tags trauma-informed practice and supervision.
    let co: Vec<&str> = related[often..].split("href=\"../../themes/").skip(1).map(|r| &r[..r.find('/').unwrap()]).collect();
    assert_eq!(co, ["trauma-informed-practice", "supervision", "self-neglect"], "{related}");
    assert!(related.contains("Trauma-informed practice</a> <span class=\"muted\">(in 2 briefings)</span>"), "{related}");
}

#[test]
fn the_a_to_z_lists_themes_with_counts_and_aliases_as_see_entries() {
    let pages = pages();
    let index = pages["themes/index.html"].clone();
    let letters: Vec<&str> = section_list(&index, "<nav class=\"letters\"", "</nav>").split("href=\"#").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
    assert_eq!(letters, ["letter-c", "letter-h", "letter-n", "letter-s", "letter-t", "letter-w"], "only letters with entries");
    let az = section_list(&index, "<section class=\"az-letter\"", "</main>");
    let entries: Vec<&str> = az.split("<li>").skip(1).map(|li| &li[..li.find("</li>").unwrap()]).collect();
    let names: Vec<String> = entries.iter().map(|e| strip_tags(e)).collect();
    assert_eq!(
        names,
        [
            "chronic neglect, see Neglect",
            "hoarding, see Self-neglect",
            "Neglect tagged in 2 briefings, mentioned in 1 more",
            "Self-neglect mentioned in 1 briefing",
            "Supervision tagged in 2 briefings, mentioned in 1 more",
            "Think Family tagged in 1 briefing, mentioned in 1 more",
            "Trauma-informed practice tagged in 2 briefings",
            "whole family approach, see Think Family",
        ]
    );
    assert!(index.contains("chronic neglect, <em>see</em> <a href=\"../themes/neglect/index.html\">Neglect</a>"), "{index}");
    assert!(index.contains("aria-current=\"page\">Themes</a>"), "the nav marks the index as the current page");
}

fn section_list<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap();
    &html[start..start + html[start..].find(to).unwrap()]
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn related_briefings_rank_tags_above_mentions_and_name_the_shared_themes() {
    let pages = pages();
    let alpha = pages["briefings/alpha/index.html"].clone();
    let related = section(&alpha, "related-title");
    // beta: trauma-informed practice tagged by both (4), neglect, think family and supervision
    // tagged by one and mentioned by the other (2 each): 10. delta: supervision tagged by both:
    // 4. gamma: neglect mentioned by alpha, tagged by gamma: 2.
    assert_eq!(briefing_links(related), ["beta/index.html", "delta/index.html", "gamma/index.html"], "{related}");
    assert!(related.contains("Beta</a> <span class=\"muted\">(shared themes: Trauma-informed practice, Neglect, Supervision, Think Family)</span>"), "{related}");
    let themes = section_list(&alpha, "<ul class=\"tags\" aria-labelledby=\"themes-label\">", "</ul>");
    assert!(themes.contains("themes/trauma-informed-practice/index.html\">Trauma-informed practice</a>"), "the page lists its themes: {themes}");
}

#[test]
fn listings_by_format_and_year_and_plain_links_to_them_from_the_home_page() {
    let pages = pages();
    let home = pages["index.html"].clone();
    for link in ["themes/index.html", "formats/7-minute/index.html", "formats/practitioner/index.html", "years/2025/index.html", "years/2022/index.html"] {
        assert!(home.contains(&format!("href=\"{link}\"")), "home lacks a link to {link}");
        assert!(pages.contains_key(link), "{link} is not built");
    }
    assert!(!pages.keys().any(|p| p.starts_with("formats/guidance")), "no empty listings");
    let practitioner = pages["formats/practitioner/index.html"].clone();
    assert_eq!(briefing_links(&practitioner), ["beta/index.html"]);
    let seven = pages["formats/7-minute/index.html"].clone();
    assert_eq!(briefing_links(&seven), ["alpha/index.html", "gamma/index.html", "delta/index.html"]);
    let year = pages["years/2024/index.html"].clone();
    assert!(year.contains("<h1>Briefings published in 2024</h1>"));
    assert_eq!(briefing_links(&year), ["beta/index.html"]);
    assert!(home.contains("data-themes=\"trauma-informed-practice neglect think-family\""), "cards carry what the filter needs");
    assert!(home.contains("<details class=\"filter-bar\" id=\"filter-bar\" hidden>"), "without a script the filter stays out of the way");
}

#[test]
fn output_is_deterministic() {
    let site = fixture();
    assert!(site.run(&["build", "--output", "one"]).status.success());
    assert!(site.run(&["build", "--output", "two"]).status.success());
    for page in ["index.html", "themes/index.html", "themes/neglect/index.html", "themes/supervision/index.html", "briefings/alpha/index.html"] {
        assert_eq!(site.read(&format!("one/{page}")), site.read(&format!("two/{page}")), "{page}");
    }
}

#[test]
fn an_undefined_theme_gets_a_page_and_a_warning() {
    let site = fixture();
    site.write("briefings/epsilon.md", briefing("title = \"Epsilon\"\npublished = 2021-01-01\nthemes = [\"Coercive control\"]", "## Only\n\nText.\n"));
    let out = site.run(&["check"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning[undefined-theme]") && err.contains("briefings/epsilon.md:4:"), "{err}");
    assert!(err.contains("add themes/coercive-control.md"), "{err}");
    assert!(site.run(&["build"]).status.success());
    let page = site.read("output/themes/coercive-control/index.html");
    assert!(page.contains("<h1>Coercive control</h1>"));
    assert!(page.contains("There is no description of this theme yet."));
    assert_eq!(briefing_links(section(&page, "tagged-title")), ["epsilon/index.html"]);
}

/// Builds the fixture with `file` replaced by `contents`, and returns stderr of the failure.
fn error_with(file: &str, contents: &str) -> String {
    let site = fixture();
    site.write(file, contents);
    let out = site.run(&["build"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!site.exists("output"));
    err
}

#[test]
fn a_related_theme_that_does_not_exist_is_an_error() {
    let err = error_with("themes/neglect.md", "+++\ntitle = \"Neglect\"\nrelated = [\"think family\", \"think-famly\"]\naliases = [\"chronic neglect\"]\n+++\nText.\n");
    for expected in ["error[unknown-related-theme]", "`think-famly`", "themes/neglect.md:3:28", "did you mean \"think-family\"?"] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
}

#[test]
fn an_alias_two_themes_claim_is_an_error() {
    let err = error_with("themes/self-neglect.md", "+++\ntitle = \"Self-neglect\"\naliases = [\"hoarding\", \"Chronic Neglect\"]\n+++\nText.\n");
    for expected in ["error[duplicate-theme-name]", "the alias `Chronic Neglect` is also the alias of the theme in themes/neglect.md", "themes/self-neglect.md:3:24", "one theme only"] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
}

#[test]
fn an_alias_that_is_another_themes_name_is_an_error() {
    let err = error_with("themes/supervision.md", "+++\ntitle = \"Supervision\"\naliases = [\"Think-Family\"]\n+++\nText.\n");
    for expected in ["error[duplicate-theme-name]", "the alias `Think-Family` is also the file name of the theme in themes/think-family.md", "themes/supervision.md:3:"] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
    let err = error_with("themes/supervision.md", "+++\ntitle = \"Neglect\"\n+++\nText.\n");
    assert!(err.contains("the title `Neglect` is also the file name of the theme in themes/neglect.md"), "{err}");
}

#[test]
fn the_home_page_filters_instantly_with_javascript_and_lists_everything_without() {
    let what = "the_home_page_filters_instantly_with_javascript_and_lists_everything_without";
    let Some(node) = find_node() else { return skip_or_fail(what, "no `node` on PATH") };
    if node_tools_dir().is_none() {
        return skip_or_fail(what, "tests/node_modules lacks playwright-core (run `npm ci --prefix tests`)");
    }
    let Some(browser) = find_chromium() else { return skip_or_fail(what, "no Chromium or Chrome") };
    let site = built();
    let scenarios = r#"[
        {"choose": {"filter-theme": "neglect"}},
        {"choose": {"filter-theme": "supervision", "filter-year": "2022"}},
        {"choose": {"filter-format": "practitioner", "filter-year": "2025"}},
        {"query": "?format=7-minute&year=2023"},
        {"choose": {}}
    ]"#;
    let out = Command::new(node)
        .arg(crate::common::repo_root().join("tests/browser/filter.cjs"))
        .arg(site.path().join("output"))
        .arg(scenarios)
        .env("BRIEFING_BROWSER", &browser)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    if out.status.code() == Some(2) {
        return skip_or_fail(what, &format!("filter.cjs could not set up: {}", crate::common::stderr(&out)));
    }
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).expect("filter.cjs prints JSON");
    let shown = |i: usize| -> Vec<String> {
        results[i]["shown"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().trim_start_matches("briefings/").to_string()).collect()
    };
    let all = ["alpha/index.html", "beta/index.html", "gamma/index.html", "delta/index.html"];
    assert_eq!(shown(0), ["beta/index.html", "gamma/index.html"], "{results}");
    assert_eq!(results[0]["status"], "2 briefings shown");
    assert_eq!(results[0]["role"], "status", "the count is announced by a live region");
    assert_eq!(results[0]["form"], true);
    assert_eq!(shown(1), ["delta/index.html"]);
    assert_eq!(results[1]["status"], "1 briefing shown");
    assert!(shown(2).is_empty());
    assert_eq!(results[2]["status"], "0 briefings shown");
    assert_eq!(shown(3), ["gamma/index.html"], "a filter in the address is applied on load");
    assert_eq!(shown(4), all);
    let plain = &results[5];
    assert_eq!(plain["form"], false, "without JavaScript the filter form is hidden");
    assert_eq!(shown(5), all);
    assert!(results.as_array().unwrap().iter().all(|r| r["errors"].as_array().unwrap().is_empty()), "script errors: {results}");
}

/// Issue 16, item 5: a card shown on each of a briefing's theme pages names its first 12
/// themes and "and N more"; all N on each of N pages made the output grow with N².
#[test]
fn a_card_on_a_theme_page_names_twelve_themes_and_counts_the_rest() {
    let site = Site::new();
    site.write("site.toml", "title = \"Many themes\"\n");
    let names: Vec<String> = (1..=15).map(|i| format!("\"theme {i:02}\"")).collect();
    site.write(
        "briefings/wide.md",
        briefing(&format!("title = \"Wide\"\nformat = \"guidance\"\npublished = 2024-05-01\nthemes = [{}]", names.join(", ")), "## One\n\nText.\n"),
    );
    let out = site.run(&["build", "--no-pdf"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let theme_page = site.read("output/themes/theme-01/index.html");
    let card = theme_page.split("aria-label=\"Key learning themes of Wide\"").nth(1).expect("the card's themes").split("</ul>").next().unwrap();
    assert_eq!(card.matches("<a href=").count(), 12, "{card}");
    assert!(card.contains("Theme 12") && !card.contains("Theme 13") && card.contains("<li>and 3 more</li>"), "{card}");
    let page = site.read("output/briefings/wide/index.html");
    assert!((1..=15).all(|i| page.contains(&format!("Theme {i:02}"))), "the briefing's own page lists them all");
    let home = site.read("output/index.html");
    assert!(home.contains("Theme 15") && !home.contains("more</li>"), "listings show every theme");
}
