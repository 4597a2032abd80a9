//! One-pagers: every fixture on both papers, the chosen sizes, what is left out, the logo,
//! the address and QR code, images, fonts, hostile text and determinism.

use super::*;
use crate::handout::testing::{fixture, parse, ALL};

const LOGO_PNG: &[u8] = include_bytes!("fixtures/logo.png");
const LOGO_SVG: &[u8] = include_bytes!("fixtures/logo.svg");

fn render(h: &Handout, assets: &Assets) -> Typeset {
    handout_pdf(h, assets).unwrap_or_else(|e| panic!("{}: {e}", h.slug))
}

#[test]
fn every_fixture_is_one_tagged_page_with_every_title_on_a4_and_letter() {
    for paper in [Paper::A4, Paper::Letter] {
        let assets = Assets { paper, ..Assets::default() };
        for name in ALL {
            let h = fixture(name);
            let t = render(&h, &assets);
            assert!(t.pdf_ua, "{name} on {paper:?} should be PDF/UA-1: {:?}", t.notes);
            assert_handout(&h, &t, paper);
        }
    }
}

#[test]
fn type_size_and_what_is_left_out_follow_the_content() {
    let a4 = Assets::default();
    // Short: the largest type, all boxes.
    let t = render(&fixture("seven-minute"), &a4);
    assert_eq!((t.size_pt, t.page_facts[0].mode.as_deref()), (11.0, Some("boxes")));
    assert!(t.left_out.is_empty());
    // 1,400 words of boxes: the smallest type, and what does not fit is listed.
    let t = render(&fixture("seven-minute-1400"), &a4);
    assert_eq!(t.size_pt, 8.0);
    assert!(!t.left_out.is_empty(), "{:?}", t.page_facts);
    let read = assert_handout(&fixture("seven-minute-1400"), &t, Paper::A4);
    if let Some(read) = read {
        assert!(read.text.contains("Also in the full briefing:"));
    }
    // A short practitioner briefing prints whole; a thematic review and 8,400 words of
    // guidance print key points, and say so, with every section represented.
    assert_eq!(render(&fixture("practitioner"), &a4).page_facts[0].mode.as_deref(), Some("whole"));
    for name in ["thematic", "guidance-long"] {
        let h = fixture(name);
        let t = render(&h, &a4);
        assert_eq!(t.page_facts[0].mode.as_deref(), Some("key"), "{name}");
        assert!(t.left_out.is_empty(), "{name}: {:?}", t.left_out);
        assert!(t.page_facts[0].empty.unwrap() < 0.2, "{name}: a summary fills the sheet: {:?}", t.page_facts);
        if let Some(read) = assert_handout(&h, &t, Paper::A4) {
            assert!(read.text.contains("A summary. This sheet gives the key points"), "{name}");
            assert!(read.text.contains("What do you know about where the young people") || name != "thematic");
        }
    }
}

/// Guidance written as walls of text (each part one paragraph of 600 words, as pasted from
/// Word) printed a blank sheet: each paragraph was too tall for a column even at 8 pt, and a
/// sheet never cuts a block. Cut at sentence ends, each part's first sentences are its key
/// point, and the sheet fills.
#[test]
fn walls_of_text_print_their_first_sentences_and_fill_the_sheet() {
    let mut h = fixture("guidance-long");
    for s in &mut h.sections {
        let text = crate::handout::content::plain_text(&s.blocks.iter().flat_map(|b| match b {
            Block::Paragraph { inlines } => inlines.clone(),
            _ => Vec::new(),
        }).collect::<Vec<_>>());
        s.blocks = vec![Block::Paragraph { inlines: vec![Inline::Text { text }] }];
    }
    let t = render(&h, &Assets::default());
    assert_eq!(t.page_facts[0].mode.as_deref(), Some("key"));
    assert!(t.left_out.len() < h.sections.len() / 2, "{:?}", t.left_out);
    assert!(t.page_facts[0].empty.unwrap() < 0.2, "a summary fills the sheet: {:?}", t.page_facts);
    if let Some(read) = assert_handout(&h, &t, Paper::A4) {
        assert!(read.text.contains("What this part covers, in short"), "{}", read.text);
    }
}

#[test]
fn sections_chosen_by_print_are_printed_whole_and_the_rest_listed() {
    let mut h = fixture("thematic");
    h.print = vec!["reflective-questions".into(), "finding-3-places-not-only-people".into()];
    let t = render(&h, &Assets::default());
    assert_eq!(t.page_facts[0].mode.as_deref(), Some("chosen"));
    assert_eq!(t.left_out.len(), h.sections.len() - 2, "{:?}", t.left_out);
    if let Some(read) = assert_handout(&h, &t, Paper::A4) {
        assert!(read.text.contains("What happens in your service when a young person at risk turns eighteen?"));
    }
}

#[test]
fn the_logo_is_on_the_sheet_with_its_alt_text() {
    for (bytes, kind) in [(LOGO_PNG, LogoKind::Png), (LOGO_SVG, LogoKind::Svg)] {
        let logo = Logo { bytes: bytes.to_vec(), kind, alt: "Westmoor partnership logo".into() };
        let t = render(&fixture("seven-minute"), &Assets { logo: Some(logo), ..Assets::default() });
        assert!(t.notes.is_empty(), "{:?}", t.notes);
        assert!(t.pdf_ua);
        let Some(structure) = poppler("pdfinfo", &["-struct"], &t.pdf, "logo alt text") else { return };
        assert!(structure.contains("Figure"), "the logo is a figure in the structure tree: {structure}");
        if kind == LogoKind::Png {
            let Some(images) = poppler("pdfimages", &["-list"], &t.pdf, "logo image") else { return };
            assert!(images.lines().count() >= 3, "one raster image, the logo: {images}");
        }
    }
    let wrong = Logo { bytes: b"not a picture".to_vec(), kind: LogoKind::Png, alt: "x".into() };
    let t = render(&fixture("seven-minute"), &Assets { logo: Some(wrong), ..Assets::default() });
    assert!(t.notes.iter().any(|n| n.contains("logo")), "{:?}", t.notes);
}

#[test]
fn a_header_full_to_its_limits_keeps_to_one_page_and_prints_whole() {
    // The header band's side is measured once and capped at a third of the band: with a
    // logo, the longest review status the payload keeps (120 characters) and a long
    // partnership name, the title still has room and everything prints.
    let mut h = fixture("practitioner");
    h.review_status = Some("Review overdue since 1 March 2024: the named reviewer has left and a new one is still to be found by the board".into());
    h.partnership = "The Westmoor, Eastmere and Northby Joint Safeguarding Children and Adults Partnership Board".into();
    let logo = Logo { bytes: LOGO_SVG.to_vec(), kind: LogoKind::Svg, alt: "Partnership logo".into() };
    let t = render(&h, &Assets { logo: Some(logo), ..Assets::default() });
    let Some(read) = assert_handout(&h, &t, Paper::A4) else { return };
    for whole in [h.review_status.as_deref().unwrap_or_default(), &h.partnership.to_uppercase()] {
        assert!(holds(&read.text, whole), "{whole:?} not printed whole:\n{}", read.text);
    }
}

#[test]
fn the_address_and_qr_code_appear_only_with_a_url() {
    let mut h = fixture("practitioner");
    let t = render(&h, &Assets::default());
    if let Some(read) = read(&t.pdf, "no address") {
        assert!(!read.text.contains("Read the full briefing"), "{}", read.text);
        assert!(!read.text.contains("http"), "{}", read.text);
    }
    h.url = Some("https://briefings.example.org/briefings/working-with-fathers/".into());
    let with = render(&h, &Assets::default());
    assert!(with.pdf.len() > t.pdf.len(), "the QR code adds to the PDF");
    if let Some(read) = assert_handout(&h, &with, Paper::A4) {
        assert!(read.text.contains("Read the full briefing: https://briefings.example.org/briefings/working-with-fathers/"), "{}", read.text);
        let themes = collapse("Themes: Fathers and male carers · Think family · Professional curiosity");
        assert!(read.text.contains(&themes), "the themes in full: {}", read.text);
    }
}

#[test]
fn hostile_text_prints_literally() {
    let h = fixture("hostile");
    let t = render(&h, &Assets::default());
    let Some(read) = assert_handout(&h, &t, Paper::A4) else { return };
    for literal in [
        "#set page(height: 1cm) $x^2$ *bold* ] \\ @ref #import \"/data.json\": * <label>",
        "#panic(\"in a paragraph\") and #{ 1 + 1 } and $ x $ and \\ and ] and @label and .",
        "#import \"/common.typ\": *",
        "#panic(\"code block\")",
        "#datetime.today()",
        "#theme]",
        "#[cell]",
    ] {
        assert!(holds(&read.text, literal), "{literal:?} not printed literally:\n{}", read.text);
    }
}

/// Text no font has a letter for prints as a row of empty boxes: the typeset says which
/// characters, and never those the fonts draw (symbols DejaVu has, accents, invisible marks).
#[test]
fn characters_no_font_has_are_named() {
    let h = parse(
        "scripts",
        "title: Scripts\n---\n## Help in other languages\n\nPomoc po polsku. 中文帮助 and 😀, with ✓ → ≥ ½ ★ ❤\u{fe0f} café and zero\u{200b}width.\n",
    );
    let t = render(&h, &Assets::default());
    assert_eq!(t.unprintable, ['中', '文', '帮', '助', '😀']);
    assert!(render(&fixture("hostile"), &Assets::default()).unprintable.is_empty());
    let many: String = ('\u{4e00}'..'\u{4e40}').collect();
    let t = render(&parse("many", &format!("title: Many\n---\n## One\n\n{many}\n")), &Assets::default());
    assert_eq!(t.unprintable.len(), MAX_UNPRINTABLE + 1, "a bounded list, and a sign of more");
}

/// A table whose words were wider than its columns printed them over the next column, and
/// nothing said so. Too wide even at 8 pt, it is left out with a note; too wide only at the
/// larger sizes, the sheet prints it at a size where it fits.
#[test]
fn tables_too_wide_for_their_columns_never_overlap() {
    let table = |columns: usize, word: &str| {
        let row = |r: usize| format!("|{}\n", (0..columns).map(|c| format!(" {word}{r}{c} |")).collect::<String>());
        format!("{}|{}\n{}{}", row(0), "---|".repeat(columns), row(1), row(2))
    };
    let sheet = |columns: usize, word: &str| parse("table", &format!("title: Tables\n---\n## Agencies\n\n{}\n## Second\n\nMore text.\n", table(columns, word)));
    let h = sheet(30, "value");
    let t = render(&h, &Assets::default());
    assert_eq!(t.notes, ["a table of 30 columns is too wide to print legibly, even at the smallest type: the handout says it is in the full briefing"]);
    assert_eq!(t.size_pt, 11.0, "what is left out takes no room");
    if let Some(read) = assert_handout(&h, &t, Paper::A4) {
        assert!(holds(&read.text, "A table of 30 columns, too wide to print legibly") && !read.text.contains("value11"), "{}", read.text);
    }
    let h = sheet(3, "Responsibilities");
    let t = render(&h, &Assets::default());
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    assert!(t.size_pt < 11.0, "at 11 pt its words are wider than its columns: {}", t.size_pt);
    if let Some(read) = assert_handout(&h, &t, Paper::A4) {
        assert!(read.text.contains("Responsibilities22"), "{}", read.text);
    }
}

#[test]
fn images_print_legibly_or_are_left_out_with_a_note() {
    let mut h = fixture("practitioner");
    let md = "A diagram:\n\n![Referral then assessment](legible.svg)\n\n![Thirty steps](detailed.svg)\n\n![Missing](missing.png)\n";
    h.sections[0].blocks.extend(blocks_from_markdown(md));
    let resolve = |_: &str, path: &str| match path {
        "legible.svg" => Some(include_bytes!("fixtures/diagram-legible.svg").to_vec()),
        "detailed.svg" => Some(include_bytes!("fixtures/diagram-detailed.svg").to_vec()),
        _ => None,
    };
    let t = render(&h, &Assets { images: &resolve, ..Assets::default() });
    assert!(t.notes.iter().any(|n| n.contains("missing.png")), "{:?}", t.notes);
    assert!(t.notes.iter().any(|n| n.starts_with("the picture detailed.svg is too detailed to print legibly")), "the build is told: {:?}", t.notes);
    let Some(read) = assert_handout(&h, &t, Paper::A4) else { return };
    assert!(read.text.contains("Diagram left out, too detailed to print legibly (in the full briefing): Thirty steps"), "{}", read.text);
    assert!(read.text.contains("Image left out (in the full briefing): Missing"));
    assert!(!read.text.contains("Referral then assessment"), "the legible diagram is printed, not noted");
}

/// The start of a PNG of `w` by `h` pixels: all a reader of its size looks at.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(w.to_be_bytes().into_iter().chain(h.to_be_bytes()).chain([8, 2, 0, 0, 0, 0, 0, 0, 0]));
    png
}

/// A scan of 20,000 by 20,000 pixels (a 1 MB file) took 1.2 GB of memory to decode for the
/// sheet; such a picture is left out, with a note, before anything decodes it.
#[test]
fn a_picture_of_too_many_pixels_is_left_out_before_it_is_decoded() {
    let mut h = fixture("practitioner");
    h.sections[0].blocks.extend(blocks_from_markdown("![A scan](scan.png)\n\n![A photo](photo.png)\n"));
    let resolve = |_: &str, path: &str| match path {
        "scan.png" => Some(png_header(20_000, 20_000)),
        _ => Some(LOGO_PNG.to_vec()),
    };
    let t = render(&h, &Assets { images: &resolve, ..Assets::default() });
    assert_eq!(
        t.notes,
        ["image scan.png is 20000 by 20000 pixels, too large to print: left out of the handout (a copy under 50 million pixels prints)"],
        "the other picture prints"
    );
}

#[test]
fn a_sites_own_font_is_embedded_and_a_bad_one_noted() {
    let h = fixture("seven-minute");
    // Any font file other than Noto Sans: Typst's own Libertinus Serif.
    let serif = typst_assets::fonts().find(|f| f.len() > 4 && String::from_utf8_lossy(f).contains("LibertinusSerif-Regular"));
    let own = Assets { font: serif.map(Into::into), ..Assets::default() };
    assert!(own.font.is_some(), "Libertinus Serif Regular among typst-assets' fonts");
    let t = render(&h, &own);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    if let Some(fonts) = poppler("pdffonts", &[], &t.pdf, "own font") {
        assert!(fonts.contains("LibertinusSerif-Regular"), "{fonts}");
    }
    let bad = Assets { font: Some(b"not a font"[..].into()), ..Assets::default() };
    let t = render(&h, &bad);
    assert!(t.notes.iter().any(|n| n.contains("print_font")), "{:?}", t.notes);
    assert_handout(&h, &t, Paper::A4);
}

#[test]
fn the_same_handout_gives_the_same_bytes() {
    let mut h = fixture("thematic");
    h.url = Some("https://briefings.example.org/briefings/outside-the-home/".into());
    let logo = Logo { bytes: LOGO_PNG.to_vec(), kind: LogoKind::Png, alt: "Logo".into() };
    let assets = Assets { logo: Some(logo), ..Assets::default() };
    let (a, b) = (render(&h, &assets).pdf, render(&h, &assets).pdf);
    assert!(a == b, "two runs differ");
    h.title.push('!');
    assert!(render(&h, &assets).pdf != a);
}

#[test]
fn empty_and_odd_handouts_still_make_one_page() {
    let mut h = fixture("practitioner");
    h.sections.clear();
    h.themes.clear();
    h.summary = None;
    h.audience = None;
    h.language = "not a language tag".into();
    h.url = Some(format!("https://briefings.example.org/{}/", "long-path-segment".repeat(12)));
    let t = render(&h, &Assets::default());
    assert_eq!(t.pages, 1);
    if let Some(read) = read(&t.pdf, "empty handout") {
        // pdftotext joins a line that ends in a hyphen to the next without it.
        let unhyphen = |t: &str| squash(t).replace('-', "");
        assert!(unhyphen(&read.text).contains(&unhyphen(h.url.as_deref().unwrap())), "the long address is printed whole: {}", read.text);
    }
    let mut h = fixture("seven-minute");
    for s in &mut h.sections {
        s.blocks.clear();
    }
    assert_handout(&h, &render(&h, &Assets::default()), Paper::A4);
}
