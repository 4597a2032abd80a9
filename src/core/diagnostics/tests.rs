//! Unit tests of diagnostics: locating, rendering, sorting and suggestions.

use super::*;

/// Sorted by file (as paths sort: `a/b.md` before `a-c.md`), then line; files found in
/// any order, their diagnostics interleaved; past the cap, one summary a file and code.
#[test]
fn sorted_by_file_then_line_and_capped_per_file_and_code() {
    let mut diags = Diagnostics::new();
    let at = |file: &str, line: usize, code: &'static str| {
        Diagnostic::warning(code, format!("{code} at {line}")).in_file(file).at_span(Span::line("x\n".repeat(40).as_str(), line))
    };
    for line in (1..=MAX_PER_FILE_AND_CODE + 3).rev() {
        diags.push(at("a-c.md", line, "one"));
        diags.push(at("a/b.md", line, "one"));
    }
    diags.push(at("a/b.md", 5, "two"));
    diags.push(Diagnostic::warning("no-summary", "no file"));
    diags.push(at("a/b.md", 5, "two"));
    let sorted = diags.sorted();
    let files: Vec<Option<&str>> = sorted.iter().map(|d| d.file.as_ref().map(|f| f.to_str().unwrap())).collect();
    let first_other = files.iter().position(|f| *f == Some("a-c.md")).unwrap();
    assert_eq!(files[0], None, "no file first");
    assert!(files[1..first_other].iter().all(|f| *f == Some("a/b.md")) && files[first_other..].iter().all(|f| *f == Some("a-c.md")), "{files:?}");
    let b: Vec<&str> = sorted[1..first_other].iter().map(|d| d.message.as_str()).collect();
    assert_eq!(b.len(), MAX_PER_FILE_AND_CODE + 2, "twenty of `one`, its summary, `two` once: {b:?}");
    assert_eq!((b[0], b[4], b[5]), ("one at 1", "one at 5", "two at 5"), "by line, the duplicate dropped");
    assert_eq!(*b.last().unwrap(), "and 3 more like this in this file");
    assert_eq!(sorted.len() - first_other, MAX_PER_FILE_AND_CODE + 1);
}

#[test]
fn locates_line_and_column() {
    let text = "one\ntwo three\nfour";
    let span = Span::locate(text, 8..13);
    assert_eq!((span.line, span.column, span.len), (2, 5, 5));
    assert_eq!(span.source_line, "two three");
}

#[test]
fn line_cursor_agrees_with_locate() {
    let text = "a\nbé\nccc\ndddd\n€ ab";
    let mut cursor = LineCursor::new(text);
    for range in [0..1, 6..7, 2..3, 13..15, 8..9, 18..20, 9..10, 20..21, 0..1, 22..23] {
        assert_eq!(cursor.span(range.clone()), Span::locate(text, range));
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "é = 1\nrévïew = 2";
    let span = Span::locate(text, text.find('=').unwrap()..text.find('=').unwrap() + 1);
    assert_eq!((span.line, span.column), (1, 3));
}

#[test]
fn render_shows_file_line_and_help() {
    let text = "+++\ntitle = \"x\"\nreview_dew = 2026-01-01\n+++\n";
    let start = text.find("review_dew").unwrap();
    let d = Diagnostic::error("unknown-key", "unknown key `review_dew`")
        .in_file("briefings/a.md")
        .at(text, start..start + 10)
        .help("did you mean `review_due`?");
    let out = d.render(false);
    assert!(out.contains("briefings/a.md:3:1"), "{out}");
    assert!(out.contains("review_dew = 2026-01-01"), "{out}");
    assert!(out.contains("did you mean `review_due`?"), "{out}");
}

#[test]
fn a_cut_long_line_still_shows_the_true_position() {
    let text = format!("{}[here](x)", "word ".repeat(100_000));
    let start = text.find("[here]").unwrap();
    let d = Diagnostic::warning("vague-link-text", "vague").in_file("a.md").at(&text, start..start + 6);
    let span = d.span.as_ref().unwrap();
    assert_eq!((span.line, span.column, span.len), (1, 500_001, 6));
    assert!(span.source_line.len() <= 3 * LINE_CONTEXT, "{}", span.source_line.len());
    let out = d.render(false);
    assert!(out.contains("--> a.md:1:500001"), "{out}");
    assert!(out.contains("…") && out.contains("^^^^^^"), "{out}");
    assert!(out.len() < 1000, "{out}");
    let json = d.to_json();
    assert!(json.len() < 1000 && json.contains("\"column\":500001"), "{json}");
}

#[test]
fn suggests_near_misses_only() {
    let keys = ["title", "review_due", "published"];
    assert_eq!(did_you_mean("review_dew", keys), Some("review_due"));
    assert_eq!(did_you_mean("colour", keys), None);
}
