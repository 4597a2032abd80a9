//! Tests of the Markdown pass: splitting, anchors, footnotes, links, blocks.

use super::*;

fn doc(markdown: &str) -> Document {
    let input = Input { file: Path::new("b.md"), text: markdown, body: 0..markdown.len(), unsafe_html: false, checks: true };
    parse(&input)
}

#[test]
fn splits_intro_and_numbered_sections() {
    let d = doc("Intro text.\n\n## Background\n\nOne.\n\n## What was the learning?\n\nTwo.\n");
    assert!(d.bodies.intro.html.contains("Intro text."));
    assert_eq!(d.sections.len(), 2);
    assert_eq!((d.sections[1].number, d.sections[1].anchor.as_str()), (2, "what-was-the-learning"));
    assert_eq!(d.sections[1].line, 7);
    assert!(d.bodies.sections[0].html.contains("<p>One.</p>"));
    assert!(!d.bodies.sections[0].html.contains("Two"));
}

#[test]
fn anchors_are_unique_and_never_reserved() {
    let d = doc("## Notes\n## Notes\n## Contents\n### Notes\n## 2024 review\n");
    let anchors: Vec<_> = d.sections.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(anchors, ["notes", "notes-2", "contents-2", "s-2024-review"]);
    assert_eq!(d.sections[2].subheadings[0].anchor, "notes-3");
    assert!(d.bodies.sections[2].html.contains("<h3 id=\"notes-3\">Notes</h3>"));
}

#[test]
fn equal_titles_get_the_lowest_free_number_as_before() {
    let d = doc("## Notes\n## Notes 3\n## Notes\n## Notes\n## Notes 5\n## Notes\n## Notes-4\n## Notes\n");
    let anchors: Vec<_> = d.sections.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(anchors, ["notes", "notes-3", "notes-2", "notes-4", "notes-5", "notes-6", "notes-4-2", "notes-7"]);
}

#[test]
fn footnotes_are_numbered_across_sections() {
    let d = doc("## A\n\nFirst[^x] and again[^x].\n\n## B\n\nSecond[^y].\n\n[^y]: Why.\n[^x]: Because.\n");
    assert!(d.bodies.sections[0].html.contains("href=\"#fn-1\" id=\"fnref-1\""));
    assert!(d.bodies.sections[0].html.contains("id=\"fnref-1-2\""));
    assert!(d.bodies.sections[1].html.contains("href=\"#fn-2\""));
    assert_eq!(d.bodies.footnotes.len(), 2);
    assert!(d.bodies.footnotes[0].html.contains("Because."));
    assert_eq!(d.bodies.footnotes[0].references, 2);
    assert!(!d.bodies.sections[1].html.contains("Because."));
}

#[test]
fn links_between_sources_become_page_links() {
    let d = doc("## A\n\nSee [the other](other-one.md#what-was-the-learning), [bundle](../b/index.md) and [a theme](../themes/neglect.md).\n");
    let html = &d.bodies.sections[0].html;
    assert!(html.contains("href=\"../../briefings/other-one/index.html#what-was-the-learning\""), "{html}");
    assert!(html.contains("href=\"../../briefings/b/index.html\""), "{html}");
    assert!(html.contains("href=\"../../themes/neglect/index.html\""), "{html}");
    assert_eq!(d.links.len(), 3);
    assert_eq!(d.links[0].span.line, 3);
}

#[test]
fn links_within_the_page_must_land() {
    let d = doc("## What was the learning?\n\n[a](#what-was-the-learning) [b](#fn-1) [c](#top) [d](#box)\n\n<div id=\"box\">x</div>\n\n[e](#what-was-the-lerning) [f](#)\n");
    let errors: Vec<_> = d.diagnostics.iter().filter(|d| d.code == "broken-link").collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean #what-was-the-learning?"));
    assert_eq!(errors[0].span.as_ref().unwrap().line, 7);
}

#[test]
fn web_links_and_images_are_kept_with_their_place() {
    let d = doc("## A\n\n[a](https://example.org/a?x=1&y=caf\u{e9}) <https://example.org/b>\n\n![c](HTTP://example.org/c.png) [d](mailto:x@example.org) [e](other.md)\n");
    let found: Vec<(&str, usize)> = d.external_links.iter().map(|l| (l.url.as_str(), l.span.line)).collect();
    assert_eq!(found, [("https://example.org/a?x=1&y=caf%C3%A9", 3), ("https://example.org/b", 3), ("HTTP://example.org/c.png", 5)]);
    assert!(d.bodies.sections[0].html.contains("href=\"https://example.org/a?x=1&amp;y=caf%C3%A9\""), "the address is the page's href");
}

#[test]
fn words_count_text_not_markup() {
    let d = doc("Two words.\n\n## Three more words\n\n- a **bold** claim\n\n| x | y |\n|---|---|\n| 1 | 2 |\n");
    assert_eq!(d.words, 2 + 3 + 3 + 4);
}

#[test]
fn code_and_link_addresses_count_as_words_but_are_not_prose() {
    let d = doc("## A\n\nSee `neglect` and <https://example.org/neglect> or [the guide](https://example.org/x).\n\n```\nneglect here\n```\n");
    let text = &d.prose.sections[0];
    assert!(!text.contains("neglect"), "{text}");
    assert!(text.contains("the guide"), "{text}");
    assert_eq!(d.words, 1 + 7 + 2);
}

#[test]
fn link_text_and_reading_lists_are_asides_in_the_prose() {
    let d = doc("## A\n\nSee [the guide](https://example.org/x) now.\n\n### Useful links\n\n- [Toolkit](t.pdf)\n- Strategy\n\n### Next steps\n\nAct.\n\n## Further information\n\n### More\n\nText.\n");
    let (start, end) = (ASIDE_START.to_string(), ASIDE_END.to_string());
    let text = &d.prose.sections[0];
    assert!(text.contains(&format!("See {start}the guide{end} now.")), "{text:?}");
    assert!(text.contains(&format!("{start}Useful links\n{start}Toolkit{end}\nStrategy\n\n{end}Next steps\nAct.")), "{text:?}");
    assert_eq!(text.matches(ASIDE_START).count(), text.matches(ASIDE_END).count(), "{text:?}");
    assert!(!d.prose.sections[1].contains(ASIDE_START), "a ## reading list is left out by its title: {:?}", d.prose.sections[1]);
}

#[test]
fn code_is_highlighted_with_classes() {
    let d = doc("## A\n\n```python\ntitle = \"x\"\n```\n");
    let html = &d.bodies.sections[0].html;
    assert!(html.contains("<pre class=\"code\""), "{html}");
    assert!(html.contains("class=\"hl-"), "{html}");
    assert!(!html.contains("style="), "{html}");
}

#[test]
fn tables_scroll_in_a_labelled_focusable_region() {
    let d = doc("## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n");
    let html = &d.bodies.sections[0].html;
    assert!(html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"), "{html}");
    assert!(html.contains("aria-label=\"Table 2\""), "{html}");
    assert_eq!(html.matches("</table>\n</div>").count(), 2, "{html}");
}

#[test]
fn task_list_items_say_their_state_in_words() {
    let d = doc("## A\n\n- [ ] Read it\n- [x] Discuss it\n");
    let html = &d.bodies.sections[0].html;
    assert!(!html.contains("<input"), "{html}");
    assert!(html.contains("Not done: </span>Read it"), "{html}");
    assert!(html.contains("Done: </span>Discuss it"), "{html}");
}

#[test]
fn raw_html_passes_through() {
    let d = doc("## A\n\n<table><tr><td><ol><li>x</li></ol></td></tr></table>\n");
    assert!(d.bodies.sections[0].html.contains("<td><ol><li>x</li></ol></td>"));
}

#[test]
fn raw_html_is_sanitised_block_by_block() {
    let d = doc("## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee <abbr title=\"Safeguarding Adults Review\">SAR</abbr><script>x()</script> and **more**.\n\n- a\n- b\n");
    let body = &d.bodies.sections[0];
    let html = &body.html;
    assert!(html.contains("<abbr title=\"Safeguarding Adults Review\">SAR</abbr> and <strong>more</strong>"), "{}", html);
    assert!(!html.contains("script") && !html.contains("x()"), "{}", html);
    assert!(html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"), "the table's region is untouched: {}", html);
    let lead = &html[body.lead.clone().unwrap()];
    assert_eq!(lead, "<p>See <abbr title=\"Safeguarding Adults Review\">SAR</abbr> and <strong>more</strong>.</p>\n", "the lead is where the sanitised paragraph is");
}

#[test]
fn blocks_split_the_html_at_top_level() {
    let md = "## A\n\nLead-in:\n\n- one\n  - nested\n\n  more\n- two\n\n> quote\n\n***\n\n| x |\n|---|\n| 1 |\n\nEnd.\n";
    let d = doc(md);
    let body = &d.bodies.sections[0];
    let html = &body.html;
    let mut whole = String::new();
    pulldown_cmark::html::push_html(&mut whole, Parser::new_ext(&md[5..], options()));
    assert_eq!(html.replace("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n", "").replace("</table>\n</div>\n", "</table>\n"), whole, "rendering block by block changes nothing");
    // The paragraph introduces the list, so the lead runs through the list, nested and all.
    let lead = &html[body.lead.clone().unwrap()];
    assert!(lead.starts_with("<p>Lead-in:</p>\n<ul>") && lead.ends_with("</ul>\n") && lead.contains("nested") && lead.contains("two"), "{lead}");
    // The quotation, the rule and the table (with the region it scrolls in) are other blocks.
    let d = doc("## A\n\n> quote\n\n***\n\n| x |\n|---|\n| 1 |\n\nEnd:\n\n> not a list\n");
    let body = &d.bodies.sections[0];
    assert_eq!(&body.html[body.lead.clone().unwrap()], "<p>End:</p>\n", "only a list continues a lead");
    assert_eq!(doc("## A\n\n> only a quote\n").bodies.sections[0].lead, None);
}

#[test]
fn h1_in_body_is_a_section_with_a_warning() {
    let d = doc("# Oops\n\ntext\n");
    assert_eq!(d.sections.len(), 1);
    assert_eq!(d.diagnostics[0].code, "h1-in-body");
}

#[test]
fn each_section_keeps_its_markdown_for_the_handout() {
    let d = doc("Intro.\n\n## One\n\nFirst *text*.\n\n## Two\n\n- a\n- b\n");
    assert_eq!(d.bodies.markdown, ["\nFirst *text*.\n\n", "\n- a\n- b\n"]);
    let d = doc("## One\n\nA note[^n].\n\n## Two\n\nNone.\n\n[^n]: The note.\n");
    assert!(d.bodies.markdown[0].ends_with("[^n]: The note.\n"), "{:?}", d.bodies.markdown[0]);
    assert!(!d.bodies.markdown[1].contains("[^n]: The note.\n\n[^n]"), "a section gets only the notes it refers to");
}

/// Issue 16: Markdown links and images reached `href` and `src` as written, whatever their
/// scheme; now the URL policy takes them out (text kept), each with a warning on its line.
#[test]
fn script_addresses_in_markdown_are_taken_out_with_their_text_kept() {
    let markdown = "[one](javascript:alert(1)) [two](JaVaScRiPt:alert(2))\n\
        [three](java&#x09;script:alert(3)) <javascript:alert(4)>\n\
        [five][evil] ![six](data:text/html,x) ![seven](vbscript:x)\n\
        [eight](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.org) ![pic](data:image/png;base64,AAAA)\n\
        [![nested](javascript:in)](https://example.org/out) [mail](mailto:a@example.org)\n\n\
        [evil]: <  javascript:alert(5)>\n";
    for unsafe_html in [false, true] {
        let input = Input { file: Path::new("b.md"), text: markdown, body: 0..markdown.len(), unsafe_html, checks: true };
        let d = parse(&input);
        let html = &d.bodies.intro.html;
        for gone in ["=\"javascript", "=\"vbscript", "=\"data:text", "=\"java"] {
            assert!(!html.to_lowercase().contains(gone), "{gone} in {html}");
        }
        assert_eq!(html.matches("<a ").count() + html.matches("<img ").count(), 4, "{html}");
        for kept in ["one", "two", "three", "five", "six", "seven", "eight", "nested", "href=\"https://example.org\"", "src=\"data:image/png;base64,AAAA\"", "href=\"mailto:a@example.org\"", "href=\"https://example.org/out\""] {
            assert!(html.contains(kept), "{kept} not in {html}");
        }
        let lines: Vec<usize> = d.diagnostics.iter().filter(|d| d.code == "unsafe-url").map(|d| d.span.as_ref().unwrap().line).collect();
        assert_eq!(lines, [1, 1, 2, 2, 3, 3, 3, 4, 5], "{:#?}", d.diagnostics);
    }
}
