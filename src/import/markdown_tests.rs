use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::*;
use crate::import::doc::{Para, Picture};

/// The text, strong and emphasis events pulldown-cmark reads from `markdown`, as a string
/// with `{b}`/`{/b}` and `{i}`/`{/i}` marks (HTML tags count as the same marks).
fn read_back(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, crate::parse::markdown::options()) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::Start(Tag::Strong) => out.push_str("{b}"),
            Event::End(TagEnd::Strong) => out.push_str("{/b}"),
            Event::Start(Tag::Emphasis) => out.push_str("{i}"),
            Event::End(TagEnd::Emphasis) => out.push_str("{/i}"),
            Event::InlineHtml(h) => out.push_str(match h.as_ref() {
                "<strong>" => "{b}",
                "</strong>" => "{/b}",
                "<em>" => "{i}",
                "</em>" => "{/i}",
                other => other,
            }),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            other => out.push_str(&format!("{{{other:?}}}")),
        }
    }
    out
}

fn doc_of(inlines: Vec<Inline>) -> Document {
    Document { blocks: vec![Block::Paragraph(Para::plain(inlines))], ..Document::default() }
}

fn text(t: &str, bold: bool, italic: bool) -> Inline {
    Inline::Text { text: t.into(), style: Style { bold, italic } }
}

#[test]
fn markdown_syntax_in_text_reads_back_as_the_same_text() {
    let samples = [
        "# not a heading",
        "1. not a list",
        "12) nor this",
        "- nor this + that",
        "> not a quote",
        "*stars* and _underscores_ and `ticks` and [brackets](x) and ![bang](y)",
        "<b>tags</b> &amp; entities &#169; and a \\ backslash",
        "~~strike~~ | pipe | and [^1] a note",
        "===",
        "[link]: https://example.org",
        "    four spaces",
        "```",
        "a_b_c 2*3*4 C# f(x) 50% \"quoted\" \u{201c}curly\u{201d} \u{a0}nbsp",
    ];
    for sample in samples {
        let written = body(&doc_of(vec![Inline::text(sample)]), &[]);
        assert_eq!(read_back(&written), sample.trim_start(), "{sample:?} was written as {written:?}");
    }
}

#[test]
fn every_ascii_punctuation_pair_reads_back() {
    let punct: Vec<char> = (33u8..127).map(char::from).filter(char::is_ascii_punctuation).collect();
    for a in &punct {
        for b in &punct {
            let sample = format!("{a}{b}x{a}{b} y{b}{a}");
            let written = body(&doc_of(vec![Inline::text(sample.clone())]), &[]);
            assert_eq!(read_back(&written), sample, "written as {written:?}");
        }
    }
}

#[test]
fn bold_and_italic_survive_awkward_neighbours() {
    let cases: Vec<(Vec<Inline>, &str)> = vec![
        (vec![text("plain ", false, false), text("bold", true, false), text(" end", false, false)], "plain {b}bold{/b} end"),
        (vec![text("word", false, false), text("\"quoted\"", true, false), text("tail", false, false)], "word{b}\"quoted\"{/b}tail"),
        (vec![text("a", false, true), text("b", true, false)], "{i}a{/i}{b}b{/b}"),
        (vec![text(" lead and trail ", true, false)], "{b}lead and trail{/b}"),
        (vec![text("both", true, true), text(".", false, false)], "{b}{i}both{/i}{/b}."),
        (vec![text("*star*", true, false)], "{b}*star*{/b}"),
        (vec![text("x", false, false), text("(y)", false, true), text("z", false, false)], "x{i}(y){/i}z"),
    ];
    for (inlines, expected) in cases {
        let written = body(&doc_of(inlines), &[]);
        let got = read_back(&written);
        let got = got.replace("{i}{b}", "{b}{i}").replace("{/b}{/i}", "{/i}{/b}");
        assert_eq!(got, expected, "written as {written:?}");
    }
}

#[test]
fn lists_tables_links_notes_and_pictures() {
    let item = |t: &str| vec![Block::Paragraph(Para::plain(vec![Inline::text(t)]))];
    let nested = List { ordered: true, start: 3, items: vec![item("three"), item("four")] };
    let mut outer = item("top");
    outer.push(Block::List(nested));
    let doc = Document {
        blocks: vec![
            Block::List(List { ordered: false, start: 1, items: vec![outer, item("second")] }),
            Block::List(List { ordered: true, start: 1, items: vec![item("again")] }),
            Block::Table(Table { header: true, rows: vec![vec![item("a|b"), item("c")], vec![item("d")]], merged: false }),
            Block::Paragraph(Para::plain(vec![
                Inline::Link { href: "https://example.org/a (b)".into(), children: vec![Inline::text("the guide")] },
                Inline::Note(0),
                Inline::Picture(0),
            ])),
        ],
        notes: vec![vec![Block::Paragraph(Para::plain(vec![Inline::text("A note.")])), Block::Paragraph(Para::plain(vec![Inline::text("More.")]))]],
        pictures: vec![Picture { extension: "png".into(), bytes: vec![], alt: None }],
        ..Document::default()
    };
    let md = body(&doc, &["picture-1.png".into()]);
    assert!(md.contains("- top\n\n  3. three\n  4. four\n- second"), "{md}");
    assert!(md.contains("\n1) again"), "an adjacent list changes delimiter: {md}");
    assert!(md.contains("| a\\|b | c |\n| --- | --- |\n| d |  |"), "{md}");
    assert!(md.contains("[the guide](https://example.org/a%20%28b%29)[^1]![Picture: describe what it shows](picture-1.png)"), "{md}");
    assert!(md.contains("[^1]: A note.\n\n    More."), "{md}");
}

#[test]
fn front_matter_is_toml() {
    let front = FrontMatter {
        title: "Child \"Q\" \\ a review".into(),
        format: "7-minute".into(),
        partnership: Some("Eastmere".into()),
        published: toml_date(time::macros::date!(2024 - 03 - 02)),
        summary: None,
        themes: vec!["neglect".into()],
        draft: true,
    };
    let text = source(&front, &Document::default(), &[]);
    assert!(text.starts_with("+++\ntitle = "), "{text}");
    assert!(text.contains("published = 2024-03-02\n"), "{text}");
    let inner = text.trim_start_matches("+++\n").split("+++").next().unwrap();
    let value: toml::Table = toml::from_str(inner).unwrap();
    assert_eq!(value["title"].as_str(), Some("Child \"Q\" \\ a review"));
    assert_eq!(value["draft"].as_bool(), Some(true));
}
