//! What authors are told (issue 19): a misspelt theme is an error with a suggestion,
//! placeholder links and briefings without a summary or audience are warnings, and the
//! TOML mistakes people make in front matter and site.toml get plain English with the line
//! written out correctly. Each through the real binary.

use serde_json::Value;

use super::check::{good_body, good_front, json, line_of, one, run, run_as_of, site};
use crate::common::{briefing, stderr};

/// The diagnostics of `check --format json` with this code.
fn with_code(site: &crate::common::Site, code: &str) -> Vec<Value> {
    json(site, &[]).0.into_iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn a_misspelt_theme_is_an_error_that_suggests_the_theme_and_makes_no_page() {
    let front = good_front().replace("[\"neglect\"]", "[\"neglcet\", \"Neglekt\"]");
    let site = one(&front, &good_body());
    let errors = with_code(&site, "misspelt-theme");
    assert_eq!(errors.len(), 2, "{errors:?}");
    for e in &errors {
        assert_eq!(e["severity"], "error");
        assert!(e["help"].as_str().unwrap().starts_with("did you mean `neglect`?"), "{e}");
        assert_eq!(e["line"].as_u64(), Some(6));
    }
    let out = run(&site, &["build", "--no-pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("error[misspelt-theme]: the theme `neglcet` is not one of the site's themes"), "{text}");
    assert!(text.contains("--> briefings/child-a.md:6:11") && text.contains("did you mean `neglect`?"), "{text}");
    assert!(!site.exists("output/themes/neglcet"), "no page is made for the misspelling");
    // A title or an alias, in any case, is near enough too; a name far from every theme is a
    // new theme (a warning), as before.
    site.write("themes/curiosity.md", "+++\ntitle = \"Professional curiosity\"\naliases = [\"respectful uncertainty\"]\n+++\nText.\n");
    let front = good_front().replace("[\"neglect\"]", "[\"PROFESIONAL curiosity\", \"respectful uncertinty\", \"coercive control\"]");
    site.write("briefings/child-a.md", briefing(&front, &good_body()));
    let (diagnostics, _, _) = json(&site, &[]);
    let found: Vec<(&str, &str)> = diagnostics.iter().map(|d| (d["code"].as_str().unwrap(), d["help"].as_str().unwrap_or(""))).collect();
    assert!(found.contains(&("misspelt-theme", "did you mean `Professional curiosity`? Correct the spelling; if `PROFESIONAL curiosity` really is a new theme, add themes/profesional-curiosity.md to describe it")), "{found:?}");
    assert!(found.iter().any(|(code, help)| *code == "misspelt-theme" && help.starts_with("did you mean `respectful uncertainty`?")), "{found:?}");
    assert!(found.iter().any(|(code, _)| *code == "undefined-theme"), "{found:?}");
}

#[test]
fn placeholder_links_are_warnings_at_their_lines() {
    let links = ["[the policy](#)", "[the procedure]()", "[the review](https://)", "[the toolkit](http://example.com/toolkit)", "[the form](https://www.example.com)"];
    let mut body = good_body();
    for link in links {
        body.push_str(&format!("\nRead {link} today.\n"));
    }
    body.push_str("\nRead [the learning](#what-was-the-learning) and [the guidance](https://www.example.org/guidance).\n");
    let text = briefing(good_front(), &body);
    let site = site(&[("child-a", text.clone())]);
    let lines: Vec<u64> = with_code(&site, "placeholder-link").iter().map(|d| d["line"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = links.iter().map(|l| line_of(&text, l)).collect();
    assert_eq!(lines, expected);
    let out = run(&site, &["check"]);
    assert_eq!(out.status.code(), Some(0), "warnings, not errors");
    let shown = stderr(&out);
    assert!(shown.contains(&format!("--> briefings/child-a.md:{}:6", expected[0])), "{shown}");
    assert!(shown.contains("this link goes nowhere yet: its address is `#`, a placeholder"), "{shown}");
}

#[test]
fn published_briefings_need_a_summary_and_an_audience() {
    let front = good_front().replace("summary = \"What Child A's review found.\"", "summary = \"  \"").replace("\naudience = \"Everyone who works with children\"", "");
    let text = briefing(&front, &good_body());
    let site = site(&[("child-a", text.clone())]);
    let summary = with_code(&site, "no-summary");
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert_eq!(summary[0]["line"].as_u64(), Some(line_of(&text, "summary =")));
    let audience = with_code(&site, "no-audience");
    assert_eq!((audience.len(), audience[0]["line"].as_u64()), (1, Some(1)), "{audience:?}");
    // Drafts are not published yet; and the checks switch off like the others.
    site.write("briefings/child-a.md", briefing(&format!("{front}\ndraft = true"), &good_body()));
    assert!(with_code(&site, "no-summary").is_empty() && with_code(&site, "no-audience").is_empty());
    site.write("briefings/child-a.md", &text);
    site.write("site.toml", "base_url = \"https://briefings.example/\"\n[check]\nallow = [\"no-summary\", \"no-audience\"]\n");
    assert!(with_code(&site, "no-summary").is_empty() && with_code(&site, "no-audience").is_empty());
}

/// `check`'s terminal output for a briefing whose front matter has `line` in place of its
/// `published` line.
fn told_about(line: &str) -> String {
    let front = good_front().replace("published = 2025-01-10", line);
    let out = run(&one(&front, &good_body()), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn dates_in_other_forms_are_explained_with_the_date_written_out() {
    for written in ["published = 14/03/2026", "published = \"14/03/2026\"", "published = 14 March 2026", "published = 2026-3-14"] {
        let text = told_about(written);
        assert!(text.contains("write dates as 2026-03-14 (year-month-day)"), "{written}: {text}");
        assert!(text.contains("published = 2026-03-14"), "{written}: {text}");
        assert!(text.contains("--> briefings/child-a.md:4:13"), "{written}: {text}");
        assert!(!text.contains("expected"), "no parser words when the mistake is known: {text}");
    }
    // site.toml is read the same way.
    let site = one(good_front(), &good_body());
    site.write("site.toml", "title = \"Briefings\"\naccessibility_reviewed = 1/11/2026\n");
    let text = stderr(&run(&site, &["check"]));
    assert!(text.contains("--> site.toml:2:26") && text.contains("accessibility_reviewed = 2026-11-01"), "{text}");
}

#[test]
fn curly_quotes_bare_text_and_text_for_a_list_are_explained_with_the_line_fixed() {
    let text = told_about("published = 2025-01-10\npartnership = “Eastmere Partnership”");
    assert!(text.contains("use straight quotes") && text.contains("partnership = \"Eastmere Partnership\""), "{text}");
    let text = told_about("published = 2025-01-10\npartnership = Eastmere Partnership");
    assert!(text.contains("put text between straight double quotes: partnership = \"Eastmere Partnership\""), "{text}");
    let front = good_front().replace("themes = [\"neglect\"]", "themes = \"neglect, supervision\"");
    let text = stderr(&run(&one(&front, &good_body()), &["check"]));
    assert!(text.contains("`themes` should be a list"), "{text}");
    assert!(text.contains("themes = [\"neglect\", \"supervision\"]"), "{text}");
    assert!(!text.contains("expected a sequence"), "{text}");
}

#[test]
fn other_toml_errors_keep_the_readers_words_after_a_plain_sentence() {
    let text = told_about("published = 2025-01-10 2025-01-11");
    assert!(text.contains("the front matter cannot be read here (the TOML reader says: "), "{text}");
    let site = one(&good_front().replace("published = 2025-01-10", "published = 2025-01-10\ndraft = 3"), &good_body());
    let text = stderr(&run(&site, &["check"]));
    assert!(text.contains("a value in the front matter is of the wrong kind (the TOML reader says: "), "{text}");
}

#[test]
fn a_missing_review_date_suggests_one_after_today() {
    let front = good_front().replace("review_due = 2026-01-10\n", "");
    let site = one(&front, &good_body());
    let out = run_as_of(site.path(), &["check", "--format", "json"], None);
    let note = crate::common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|d| d["code"] == "no-review-date")
        .expect("a no-review-date note");
    let help = note["help"].as_str().unwrap();
    let suggested = help.split_whitespace().find(|w| w.len() == 10 && w.as_bytes()[4] == b'-').expect("a date in the help");
    let today = time::OffsetDateTime::now_utc().date();
    let suggested = time::Date::parse(suggested, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
    assert!(suggested > today, "{help}");
}
