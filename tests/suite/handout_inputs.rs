//! Handouts made from awkward input, end to end: a site's own font (and a file that is no
//! font), a section written as one wall of text, and a picture that refers to another site.
//! See handouts.rs for the tools needed.

use std::process::Command;

use super::handouts::{pdf_text, poppler};
use crate::common::{briefing, Site};

/// `print_font`: the handouts print in the site's own font, and a file that holds no font is
/// an error at site.toml, which `check` and `build --no-pdf` report too (before, each handout
/// carried a note and was printed in Noto Sans).
#[test]
fn handouts_print_in_the_site_font_and_a_file_that_is_no_font_is_an_error() {
    let what = "handouts_print_in_the_site_font_and_a_file_that_is_no_font_is_an_error";
    if !poppler(what) {
        return;
    }
    let site = Site::new();
    site.write("briefings/child-a.md", briefing("title = \"Child A\"\npublished = 2024-05-01", "## One\n\nText.\n"));
    site.write("site.toml", "print_font = \"fonts/own.otf\"\n");
    let font = typst_assets::fonts().next().expect("Typst's fonts: Libertinus Serif first");
    std::fs::create_dir_all(site.path().join("fonts")).unwrap();
    std::fs::write(site.path().join("fonts/own.otf"), font).unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let fonts = Command::new("pdffonts").arg(site.path().join("output/briefings/child-a/child-a.pdf")).output().expect("pdffonts runs");
    assert!(String::from_utf8_lossy(&fonts.stdout).contains("LibertinusSerif"), "{}", String::from_utf8_lossy(&fonts.stdout));

    std::fs::write(site.path().join("fonts/own.otf"), &font[..font.len() / 50]).unwrap();
    for args in [&["check"][..], &["build", "--no-pdf", "--output", "elsewhere"]] {
        let out = site.run(args);
        let err = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("error[unreadable-file]: cannot use the print_font fonts/own.otf") && err.contains("--> site.toml"), "{args:?}: {err}");
    }
    assert!(!site.exists("elsewhere"), "nothing is published");
}

/// A font with Chinese, Japanese or Korean letters is 15 to 20 MB: a print font over 8 MB was
/// refused, with help to put it in the site folder, where it was. Fonts up to 64 MB are read; a
/// logo over 8 MB is refused with help to save a smaller copy.
#[test]
fn a_large_print_font_is_read_and_a_large_logo_refused_with_the_reason() {
    let site = Site::new();
    site.write("briefings/child-a.md", briefing("title = \"Child A\"\npublished = 2024-05-01", "## One\n\nText.\n"));
    let mut font = typst_assets::fonts().next().expect("Typst's fonts").to_vec();
    // Bytes after the tables, which a font's table directory never reaches.
    font.resize(9 * 1024 * 1024, 0);
    site.write("fonts/large.otf", &font);
    site.write("site.toml", "print_font = \"fonts/large.otf\"\n");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));

    let drawing = "<rect x=\"1\" y=\"1\" width=\"8\" height=\"8\"/>\n".repeat(250_000);
    site.write("images/logo.svg", format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">{drawing}</svg>"));
    site.write("site.toml", "logo = \"images/logo.svg\"\n");
    let out = site.run(&["check"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot use the logo images/logo.svg: it is over 8 MB") && err.contains("help: save a smaller copy"), "{err}");
}

/// A PNG logo of 1,600 by 1,600 pixels that does not compress (7.7 MB) made every handout
/// 7.7 MB: a site of 300 briefings was 3.1 GB. Handouts carry it scaled to what they print.
#[test]
fn a_large_png_logo_is_scaled_down_for_the_handouts() {
    let site = Site::new();
    site.write("briefings/child-a.md", briefing("title = \"Child A\"\npublished = 2024-05-01", "## One\n\nText.\n"));
    let noise = image::RgbImage::from_fn(1600, 1600, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(2_246_822_519)).wrapping_mul(3_266_489_917);
        image::Rgb([(n >> 24) as u8, (n >> 16) as u8, (n >> 8) as u8])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    noise.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    assert!(png.len() > 7_000_000, "{} bytes", png.len());
    site.write("images/logo.png", &png);
    site.write("site.toml", "logo = \"images/logo.png\"\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let pdf = std::fs::metadata(site.path().join("output/briefings/child-a/child-a.pdf")).unwrap().len();
    assert!(pdf < 700_000, "the handout is {pdf} bytes");
    assert_eq!(std::fs::read(site.path().join("output/assets/logo.png")).map(|b| b.len()).ok(), Some(png.len()), "the site's own copy is as it was");
}

/// A section written as one paragraph of 3,000 words (pasted from Word): too tall for the sheet
/// even at 8 pt, it was left out whole, and the sheet was blank but for its header. Its
/// first sentences now print, under the banner that says the sheet is a summary.
#[test]
fn a_wall_of_text_prints_its_first_sentences_as_a_summary() {
    let what = "a_wall_of_text_prints_its_first_sentences_as_a_summary";
    if !poppler(what) {
        return;
    }
    let sentence = |i: usize| format!("In week {i} the health visitor saw the baby at home and noted that the house was cold.");
    let wall: Vec<String> = (1..=170).map(sentence).collect();
    let site = Site::new();
    site.write("briefings/wall.md", briefing("title = \"Wall of text\"\nformat = \"practitioner\"\npublished = 2024-05-01", &format!("## What happened\n\n{}\n", wall.join(" "))));
    let out = site.run(&["build"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("print-overflow"), "the section is printed in part, not left out: {err}");
    let text = pdf_text(&site.path().join("output/briefings/wall/wall.pdf"));
    assert!(text.contains("A summary.") && text.contains(&sentence(1)) && text.contains(&sentence(20)), "{text}");
    assert!(!text.contains(&sentence(170)), "the sheet holds only part of it: {text}");
}

/// A bundle's SVG that refers to another site: the page shows it cleaned, but the handout
/// read the file as it was, which Typst refuses, and left the picture out with a note.
#[test]
fn a_bundle_svg_prints_cleaned_as_the_page_shows_it() {
    let what = "a_bundle_svg_prints_cleaned_as_the_page_shows_it";
    if !poppler(what) {
        return;
    }
    let site = Site::new();
    let body = "## What happened\n\nThe steps the team took.\n\n![The steps](steps.svg)\n\nWhat came next.\n";
    site.write("briefings/steps/index.md", briefing("title = \"Steps\"\nformat = \"practitioner\"\npublished = 2024-05-01", body));
    site.write(
        "briefings/steps/steps.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 80\" width=\"200\" height=\"80\"><image href=\"https://tracker.example/p.png\" width=\"1\" height=\"1\"/><text x=\"10\" y=\"25\" font-size=\"12\">STEPONE</text></svg>",
    );
    let out = site.run(&["build"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success() && err.contains("warning[unsafe-svg]"), "{err}");
    assert!(!err.contains("could not be read"), "{err}");
    let text = pdf_text(&site.path().join("output/briefings/steps/steps.pdf"));
    assert!(text.contains("STEPONE") && !text.contains("Image left out"), "{text}");
}

/// Text in a script the fonts do not have (Chinese here) and emoji printed as rows of empty
/// boxes, and the build said only, in a note, that the PDF was not PDF/UA-1. It now warns at
/// the section's heading, naming the characters, and a warm build (from the cache) still does.
#[test]
fn characters_the_fonts_lack_are_a_warning_at_their_section() {
    let site = Site::new();
    let body = "## Background\n\nText.\n\n## Help in other languages\n\nAsk for help in Chinese: 中文帮助 😀\n";
    site.write("briefings/child-a.md", briefing("title = \"Child A\"\npublished = 2024-05-01", body));
    for run in ["cold", "warm"] {
        let out = site.run(&["build"]);
        let err = crate::common::stderr(&out);
        assert!(out.status.success(), "{run}: {err}");
        let warning = "warning[unprintable-text]: the handout prints 中 文 帮 助 😀 as empty boxes, first in \"Help in other languages\": its fonts have no letters for them (and so it is not PDF/UA-1)";
        assert!(err.contains(warning), "{run}: {err}");
        assert!(err.contains("--> briefings/child-a.md:9:1"), "{run}: at the heading: {err}");
        assert!(!err.contains("handout-note"), "{run}: the warning says it all: {err}");
    }
}

/// A title, audience, summary or heading longer than the sheet prints was cut at a word with
/// "…", and the build said nothing; it now warns, naming each and its length.
#[test]
fn texts_a_sheet_cuts_short_are_a_warning() {
    let site = Site::new();
    let title = "A very long title about the review ".repeat(12);
    let summary = "The summary keeps going with detail about what happened. ".repeat(12);
    let front = format!("title = \"{}\"\nformat = \"7-minute\"\npublished = 2024-05-01\nsummary = \"{}\"", title.trim(), summary.trim());
    let questions = format!("## Questions for reflection\n\n- {}\n- Is a short one fine?\n", "How would you know? ".repeat(40).trim());
    site.write("briefings/long.md", briefing(&front, &format!("## Background\n\nText.\n\n{questions}")));
    let out = site.run(&["build"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    let handout = "warning[print-overflow]: the handout cuts the title (419 characters) to 300, the summary (683 characters) to 600, ending each with \"…\"";
    assert!(err.contains(handout), "{err}");
    let plan = "warning[print-overflow]: the action plan cuts the title (419 characters) to 300, question 1 (799 characters) to 600, ending each with \"…\"";
    assert!(err.contains(plan), "{err}");
    let partner = format!("title = \"Partner\"\nformat = \"practitioner\"\npublished = 2024-05-01\npartnership = \"{}\"", "Westmoor ".repeat(28).trim());
    site.write("briefings/partner.md", briefing(&partner, "## Background\n\nText.\n"));
    let err = crate::common::stderr(&site.run(&["build"]));
    assert!(err.contains("the handout cuts the partnership (251 characters) to 200, ending it with \"…\"\n--> briefings/partner.md"), "{err}");
    site.write("packs/session.toml", format!("title = \"Session\"\nintro = \"{}\"\nbriefings = [\"long\"]\n", "An intro sentence. ".repeat(100).trim()));
    let err = crate::common::stderr(&site.run(&["build"]));
    assert!(err.contains("warning[print-overflow]: the training pack's cover cuts the intro (1899 characters) to 1500, ending it with \"…\"\n--> packs/session.toml"), "{err}");
    let short = Site::new();
    short.write("briefings/short.md", briefing("title = \"Short\"\nformat = \"7-minute\"\npublished = 2024-05-01", "## Background\n\nText.\n"));
    let err = crate::common::stderr(&short.run(&["build"]));
    assert!(!err.contains("print-overflow"), "{err}");
}

/// A pack of common themes on a large site gathered every briefing with them: 350 briefings,
/// a PDF of 867 pages that took a minute and 1.6 GB of memory to typeset. A pack holds at
/// most 100 (those it names, then the newest with its themes); the build warns, and its page
/// says how many it leaves out.
#[test]
fn a_pack_that_asks_for_too_many_briefings_holds_the_first_hundred_and_says_so() {
    let site = Site::new();
    for i in 0..101u16 {
        let day = time::Date::from_ordinal_date(2020, 1 + i).unwrap();
        let front = format!("title = \"Child {i:03}\"\npublished = {day}\nthemes = [\"neglect\"]");
        site.write(&format!("briefings/child-{i:03}.md"), briefing(&front, "## One\n\nText.\n"));
    }
    site.write("packs/everything.toml", "title = \"Everything\"\nbriefings = [\"child-000\"]\nthemes = [\"neglect\"]\n");
    let out = site.run(&["build", "--no-pdf"]);
    let err = crate::common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning[pack-too-large]: the training pack asks for 101 briefings; it holds the first 100 (those it names, then the newest with its themes) and leaves out 1\n--> packs/everything.toml"), "{err}");
    let page = std::fs::read_to_string(site.path().join("output/packs/everything/index.html")).unwrap();
    assert!(page.contains("<strong>Not in this pack:</strong> 1 more briefing it asks for. A pack holds at most 100"), "{page}");
    let holds = |slug: &str| page.contains(&format!("briefings/{slug}/index.html\""));
    assert!(holds("child-000") && holds("child-100") && holds("child-002"), "the one it names, then the newest");
    assert!(!holds("child-001"), "the oldest of its theme is left out");
}

/// A pack of many wrong names: the report shows the first 20 errors by place in the file, each
/// with its suggestion (a theme written above the briefings too), and sums up the rest; only
/// those shown are searched for a suggestion (see large_inputs.rs).
#[test]
fn a_pack_of_many_wrong_names_suggests_for_those_shown() {
    let site = Site::new();
    site.write("briefings/child-a.md", briefing("title = \"Child A\"\npublished = 2024-05-01\nthemes = [\"neglect\"]", "## One\n\nText.\n"));
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat it is.\n");
    let names: Vec<String> = (0..30).map(|i| format!("\"child-{i}\"")).collect();
    site.write("packs/p.toml", format!("title = \"P\"\nthemes = [\"neglet\"]\nbriefings = [{}]\n", names.join(", ")));
    let out = site.run(&["build", "--no-pdf"]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a theme `neglet` that the site does not have\n --> packs/p.toml:2:11") && err.contains("did you mean \"neglect\"?"), "{err}");
    assert_eq!(err.matches("did you mean \"child-a\"?").count(), 19, "each briefing name shown (child-0 to child-18) is near child-a: {err}");
    assert!(err.contains("and 11 more like this in this file"), "{err}");
}
