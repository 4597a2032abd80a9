//! Tests of the handout engine: they typeset the fixtures (`testing.rs`, `fixtures/`) and
//! read the PDFs back with poppler (`pdfinfo`, `pdftotext`, `pdfimages`, `pdffonts`). Without
//! poppler the checks that need it are skipped with a visible `SKIPPED` line, unless
//! `BRIEFING_REQUIRE_BROWSER=1` is set (as CI does), when they fail instead.

mod documents;
mod least;
mod measured;
mod passes;
mod render;
mod script;
mod split;

use std::io::Write;
use std::process::Command;

use super::*;

/// What poppler reads from a PDF.
pub struct Read {
    /// `pdfinfo` output.
    pub info: String,
    /// `pdftotext` output, whitespace collapsed and zero-width spaces removed.
    pub text: String,
}

impl Read {
    /// The "Page size:" line's width and height in points.
    pub fn page_size(&self) -> (f64, f64) {
        let line = self.info.lines().find_map(|l| l.strip_prefix("Page size:")).expect("pdfinfo gives a page size");
        let numbers: Vec<f64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        (numbers[0], numbers[1])
    }

    pub fn field(&self, name: &str) -> String {
        self.info.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':'))).unwrap_or("").trim().to_string()
    }
}

fn required() -> bool {
    matches!(std::env::var("BRIEFING_REQUIRE_BROWSER").as_deref().map(str::trim), Ok("1" | "true" | "yes"))
}

/// Runs poppler's `tool` on `pdf` (written to a temporary file) with `args`; None (after a
/// `SKIPPED` line) when the tool is missing and not required.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8], what: &str) -> Option<String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("handout.pdf");
    std::fs::write(&path, pdf).expect("writing the PDF");
    match Command::new(tool).args(args).arg(&path).args(if tool == "pdftotext" { &["-"][..] } else { &[][..] }).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("{tool} failed on {what}: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) if required() => panic!("{what} needs poppler's {tool} ({e}); BRIEFING_REQUIRE_BROWSER=1 is set, so this fails: install poppler-utils"),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "SKIPPED {what}: poppler's {tool} is not installed ({e}) (set BRIEFING_REQUIRE_BROWSER=1 to make this fail)");
            None
        }
    }
}

/// `pdfinfo` and `pdftotext` of `pdf`, or None when skipped.
pub fn read(pdf: &[u8], what: &str) -> Option<Read> {
    let info = poppler("pdfinfo", &[], pdf, what)?;
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf, what)?;
    Some(Read { info, text: collapse(&text) })
}

/// `text` with every run of whitespace one space, and no zero-width spaces.
pub fn collapse(text: &str) -> String {
    text.replace('\u{200b}', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` without any whitespace: what a line break in the PDF cannot change.
pub fn squash(text: &str) -> String {
    text.replace('\u{200b}', "").split_whitespace().collect()
}

/// Does `haystack` hold `needle`, whatever lines it was broken into?
pub fn holds(haystack: &str, needle: &str) -> bool {
    squash(haystack).contains(&squash(needle))
}

/// The one-page checks every handout passes: one tagged page of `paper`, every section title
/// printed or listed after "Also in the full briefing:", the type size in range.
pub fn assert_handout(h: &Handout, t: &Typeset, paper: Paper) -> Option<Read> {
    let what = format!("handout {} on {paper:?}", h.slug);
    assert_eq!(t.pages, 1, "{what}: {:?}", t.page_facts);
    assert!((8.0..=11.0).contains(&t.size_pt), "{what}: size {}", t.size_pt);
    let facts = &t.page_facts[0];
    // The sections `print` leaves out are the author's choice, not for want of room.
    if !t.left_out.is_empty() && facts.mode.as_deref() != Some("chosen") {
        let empty = facts.empty.unwrap_or(1.0);
        assert!(empty <= 0.2, "{what}: {:.0}% of the columns empty while {:?} is left out", empty * 100.0, t.left_out);
    }
    let read = read(&t.pdf, &what)?;
    assert_eq!(read.field("Pages"), "1", "{what}");
    assert_eq!(read.field("Tagged"), "yes", "{what}");
    let (w, hgt) = read.page_size();
    let (ew, eh) = match paper {
        Paper::A4 => (595.276, 841.89),
        Paper::Letter => (612.0, 792.0),
    };
    assert!((w - ew).abs() < 0.5 && (hgt - eh).abs() < 0.5, "{what}: page {w} x {hgt}");
    let (printed, listed) = match read.text.split_once("Also in the full briefing:") {
        Some((body, list)) => (body.to_string(), list.to_string()),
        None => (read.text.clone(), String::new()),
    };
    for s in &h.sections {
        let title = &s.title;
        if t.left_out.contains(title) {
            assert!(holds(&listed, title), "{what}: {title:?} left out but not listed: {listed}");
        } else {
            assert!(holds(&printed, title), "{what}: section {title:?} neither printed nor listed:\n{}", read.text);
        }
    }
    assert!(holds(&read.text, &h.title), "{what}: title {:?} missing:\n{}", h.title, read.text);
    Some(read)
}
