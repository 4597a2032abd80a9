//! Splitting a source into its `+++` TOML front matter and its Markdown body, and reading the
//! values that need more than serde: dates.

use std::ops::Range;
use std::path::Path;

use time::{Date, Month};
use toml::{Spanned, Value};

use crate::diagnostics::Diagnostic;

/// Where the parts of a source are, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
    /// The 1-based line on which the body starts.
    pub body_line: usize,
}

/// Finds the `+++` fences. The opening one must be the first line.
pub fn split(file: &Path, text: &str) -> Result<Parts, Diagnostic> {
    let mut lines = line_ranges(text);
    let first = lines.next().unwrap_or(0..0);
    let first_line = text[first.clone()].trim_end();
    if first_line != "+++" {
        let (message, help) = if first_line == "---" {
            (
                "front matter between --- lines (YAML) is not supported".to_string(),
                "use TOML between +++ lines: replace both --- lines with +++ and write values as key = \"value\"",
            )
        } else {
            (
                "the file does not start with front matter".to_string(),
                "start the file with a line +++, then settings such as title = \"...\" and published = 2024-05-01, then another +++ line",
            )
        };
        return Err(Diagnostic::error("missing-front-matter", message).in_file(file).at(text, first).help(help));
    }
    for (number, line) in lines.enumerate() {
        if text[line.clone()].trim_end() == "+++" {
            let body_start = (line.end + 1).min(text.len());
            return Ok(Parts { front_matter: first.end + 1..line.start, body: body_start..text.len(), body_line: number + 3 });
        }
    }
    Err(Diagnostic::error("unclosed-front-matter", "the front matter never closes")
        .in_file(file)
        .at(text, first)
        .help("add a line with just +++ after the last setting, before the text of the briefing"))
}

/// Byte ranges of each line, without the line ending.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = start..end;
        start = end + 1;
        Some(line)
    })
}

/// A date written as a TOML date (`2024-05-01`) or, forgivingly, as a quoted one.
/// `offset` is where the front matter starts in `text`, to point errors at the value.
pub fn date(file: &Path, text: &str, offset: usize, key: &str, value: &Spanned<Value>) -> Result<Date, Diagnostic> {
    let span = value.span();
    let parts = match value.get_ref() {
        Value::Datetime(dt) => dt.date.map(|d| (i32::from(d.year), d.month, d.day)),
        Value::String(s) => parse_iso_date(s.trim()),
        _ => None,
    };
    parts
        .and_then(|(y, m, d)| Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok())
        .ok_or_else(|| {
            Diagnostic::error("bad-date", format!("`{key}` is not a date"))
                .in_file(file)
                .at(text, offset + span.start..offset + span.end)
                .help(format!("write the date as year-month-day, like {key} = 2024-05-01"))
        })
}

fn parse_iso_date(s: &str) -> Option<(i32, u8, u8)> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\n## One\n";
        let parts = split(Path::new("a.md"), text).unwrap();
        assert_eq!(&text[parts.front_matter.clone()], "title = \"x\"\n");
        assert_eq!(&text[parts.body.clone()], "## One\n");
        assert_eq!(parts.body_line, 4);
    }

    #[test]
    fn handles_crlf_and_empty_body() {
        let text = "+++\r\ntitle = \"x\"\r\n+++";
        let parts = split(Path::new("a.md"), text).unwrap();
        assert_eq!(parts.body, text.len()..text.len());
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let err = split(Path::new("a.md"), "+++\ntitle = \"x\"\n## One\n").unwrap_err();
        assert_eq!(err.code, "unclosed-front-matter");
        assert_eq!(err.span.unwrap().line, 1);
    }

    #[test]
    fn yaml_front_matter_gets_a_specific_hint() {
        let err = split(Path::new("a.md"), "---\ntitle: x\n---\n").unwrap_err();
        assert!(err.message.contains("YAML"));
    }

    #[test]
    fn dates() {
        let text = "published = 2024-02-30\n";
        let value: Spanned<Value> = Spanned::new(4..14, Value::String("2024-05-01".into()));
        assert!(date(Path::new("a.md"), text, 0, "published", &value).is_ok());
        let bad: Spanned<Value> = Spanned::new(12..22, Value::String("2024-02-30".into()));
        let err = date(Path::new("a.md"), text, 0, "published", &bad).unwrap_err();
        assert_eq!(err.span.unwrap().column, 13);
    }
}
