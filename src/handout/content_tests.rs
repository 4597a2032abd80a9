use super::*;

fn text(t: &str) -> Inline {
    Inline::Text { text: t.into() }
}

#[test]
fn paragraphs_and_inlines() {
    let blocks = blocks_from_markdown("Some **strong** and *soft* `code` ~~gone~~ [link](https://x.example/a) here.\nNext line  \nbroken.");
    let [Block::Paragraph { inlines }] = blocks.as_slice() else { panic!("{blocks:?}") };
    assert_eq!(inlines[0], text("Some "));
    assert_eq!(inlines[1], Inline::Strong { inlines: vec![text("strong")] });
    assert_eq!(inlines[3], Inline::Emphasis { inlines: vec![text("soft")] });
    assert_eq!(inlines[5], Inline::Code { text: "code".into() });
    assert_eq!(inlines[7], Inline::Strike { inlines: vec![text("gone")] });
    assert_eq!(inlines[9], Inline::Link { inlines: vec![text("link")], target: "https://x.example/a".into() });
    assert_eq!(inlines[10], text(" here. Next line"));
    assert_eq!(inlines[11], Inline::Break);
    assert_eq!(plain_text(inlines), "Some strong and soft code gone link here. Next line broken.");
}

#[test]
fn lists_nest_and_keep_their_start_and_ticks() {
    let blocks = blocks_from_markdown("3. three\n4. four\n   - inner\n\n- [ ] to do\n- [x] done\n");
    let Block::List { ordered: true, start: 3, items } = &blocks[0] else { panic!("{blocks:?}") };
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[1].blocks[1], Block::List { ordered: false, .. }), "{items:?}");
    let Block::List { ordered: false, items, .. } = &blocks[1] else { panic!("{blocks:?}") };
    assert_eq!(items[0].checked, Some(false));
    assert_eq!(items[1].checked, Some(true));
    assert_eq!(items[1].blocks, vec![Block::Paragraph { inlines: vec![text("done")] }]);
}

#[test]
fn quotes_tables_code_headings_rules() {
    let md = "> quoted\n\n| A | B |\n|---|---|\n| 1 | *2* |\n\n```rust\nfn x() {}\n```\n\n### Sub\n\n---\n";
    let blocks = blocks_from_markdown(md);
    assert!(matches!(&blocks[0], Block::Quote { blocks } if blocks.len() == 1));
    let Block::Table { header, rows, .. } = &blocks[1] else { panic!("{blocks:?}") };
    assert_eq!(header, &vec![vec![text("A")], vec![text("B")]]);
    assert_eq!(rows[0][1], vec![Inline::Emphasis { inlines: vec![text("2")] }]);
    assert_eq!(blocks[2], Block::Code { text: "fn x() {}".into() });
    assert_eq!(blocks[3], Block::Heading { level: 3, inlines: vec![text("Sub")] });
    assert_eq!(blocks[4], Block::Rule);
}

#[test]
fn images_become_blocks_after_their_paragraph() {
    let blocks = blocks_from_markdown("See ![A flow chart](chart.svg) below.\n\n![Alone](a.png)");
    assert_eq!(blocks[0], Block::Paragraph { inlines: vec![text("See  below.")] });
    assert_eq!(blocks[1], Block::Image { path: "chart.svg".into(), alt: "A flow chart".into() });
    assert_eq!(blocks[2], Block::Image { path: "a.png".into(), alt: "Alone".into() });
    assert_eq!(blocks.len(), 3);
}

#[test]
fn footnotes_keep_the_reference_and_drop_the_note() {
    let blocks = blocks_from_markdown("Claim.[^1]\n\n[^1]: The source.\n");
    assert_eq!(blocks, vec![Block::Paragraph { inlines: vec![text("Claim."), Inline::FootnoteRef { label: "1".into() }] }]);
}

#[test]
fn raw_html_becomes_its_text() {
    let blocks = blocks_from_markdown("<div class=\"x\"><script>alert(1)</script><p>Kept &amp; shown</p><!-- gone --></div>\n\nA <abbr title=\"t\">CSE</abbr> risk<br>next");
    assert_eq!(blocks[0], Block::Paragraph { inlines: vec![text("Kept & shown")] });
    assert_eq!(blocks[1], Block::Paragraph { inlines: vec![text("A CSE risk"), Inline::Break, text("next")] });
}

#[test]
fn hostile_nesting_is_flattened_not_recursed() {
    let deep_quotes = ">".repeat(5_000) + " deep";
    let blocks = blocks_from_markdown(&deep_quotes);
    fn depth(blocks: &[Block]) -> usize {
        blocks.iter().map(|b| match b {
            Block::Quote { blocks } => 1 + depth(blocks),
            Block::List { items, .. } => 1 + items.iter().map(|i| depth(&i.blocks)).max().unwrap_or(0),
            _ => 0,
        }).max().unwrap_or(0)
    }
    assert!(depth(&blocks) <= MAX_BLOCK_DEPTH, "{}", depth(&blocks));
    let text_of = |b: &[Block]| format!("{b:?}");
    assert!(text_of(&blocks).contains("deep"));
    let deep_lists: String = (0..400).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect();
    let blocks = blocks_from_markdown(&deep_lists);
    assert!(depth(&blocks) <= MAX_BLOCK_DEPTH);
    assert!(text_of(&blocks).contains("item 399"));
    let deep_emphasis = format!("{}x{}", "*_".repeat(200), "_*".repeat(200));
    assert!(!blocks_from_markdown(&deep_emphasis).is_empty());
}

#[test]
fn strip_tags_handles_unclosed_and_entities() {
    assert_eq!(strip_tags("a <b>b</b> &lt;c&gt; &unknown; <i"), "a b <c> &unknown; ");
    assert_eq!(strip_tags("<STYLE>p{}</style>x"), "x");
}

#[test]
fn the_lead_is_the_first_paragraph_or_list_and_the_list_it_introduces() {
    let blocks = blocks_from_markdown("### Sub\n\nWhat to do:\n\n- one\n- two\n\nMore.");
    assert_eq!(lead(&blocks), vec![1, 2]);
    let blocks = blocks_from_markdown("First.\n\n- a list that is not introduced\n");
    assert_eq!(lead(&blocks), vec![0]);
    let blocks = blocks_from_markdown("| a |\n|---|\n| b |\n");
    assert!(lead(&blocks).is_empty());
    assert_eq!(words(&blocks_from_markdown("One two.\n\n- three four\n\n> five")), 5);
}

#[test]
fn plain_text_reaches_the_templates_as_a_bare_string() {
    // common.typ's `inlines` reads a string as plain text and a dictionary by its `kind`.
    let blocks = blocks_from_markdown("Some **#set page(height: 1cm)** [a](https://x.example/).");
    let json = serde_json::to_value(&blocks).expect("blocks as JSON");
    let expected = serde_json::json!([{ "kind": "paragraph", "inlines": [
        "Some ",
        { "kind": "strong", "inlines": ["#set page(height: 1cm)"] },
        " ",
        { "kind": "link", "inlines": ["a"], "target": "https://x.example/" },
        ".",
    ] }]);
    assert_eq!(json, expected);
}
