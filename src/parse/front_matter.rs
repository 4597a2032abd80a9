//! Splitting a source into its `+++` TOML front matter and its Markdown body.

use std::ops::Range;
use std::path::Path;

use crate::core::diagnostics::Diagnostic;

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
        assert_eq!(err.span.as_ref().unwrap().line, 1);
    }

    #[test]
    fn yaml_front_matter_gets_a_specific_hint() {
        let err = split(Path::new("a.md"), "---\ntitle: x\n---\n").unwrap_err();
        assert!(err.message.contains("YAML"));
    }
}
