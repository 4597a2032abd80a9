//! Plain English for the TOML mistakes that people who are not programmers make most: a date
//! written the way letters are dated, Word's curly quotes, text without quotes, and one piece
//! of text where a list belongs. Each explanation writes the line out as it should be.

use std::ops::Range;

use super::dates;

/// What went wrong on a line, said plainly, and the line written correctly.
pub struct Explained {
    /// What is wrong, in a sentence.
    pub message: String,
    /// What to do, with the corrected line.
    pub help: String,
    /// The value (or the line) to point at, as a byte range of the TOML.
    pub range: Range<usize>,
}

/// Quotation marks that word processors type instead of straight ones.
const CURLY: &[char] = &['“', '”', '„', '‘', '’', '‚'];

/// Explains the syntax error that the TOML reader found at byte `at` of `toml`, when the line
/// holds one of the common mistakes.
pub fn syntax(toml: &str, at: usize) -> Option<Explained> {
    let at = at.min(toml.len());
    let start = toml[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = toml[start..].find('\n').map_or(toml.len(), |i| start + i);
    let line = toml[start..end].trim_end_matches('\r');
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value_start = start + key_len(line) + (value.len() - value.trim_start().len());
    let value = value.trim();
    let range = value_start..value_start + value.len();
    if key.is_empty() || value.is_empty() {
        return None;
    }
    if value.contains(CURLY) {
        return Some(Explained {
            message: format!("the value of `{key}` is in curly quotes (“ ” or ‘ ’), which are not read as quotes"),
            help: format!("use straight quotes (\"), as a plain text editor types them: {key} = {}", straighten(value)),
            range,
        });
    }
    if let Some(date) = dates::other_form(value) {
        return Some(Explained {
            message: format!("`{key}` is a date written in a form that is not read"),
            help: format!("write dates as 2026-03-14 (year-month-day): {key} = {}", dates::DateView::from(date).iso),
            range,
        });
    }
    let bare = !value.starts_with(['"', '\'', '[', '{']) && !value.starts_with(|c: char| c.is_ascii_digit()) && !["true", "false"].contains(&value);
    bare.then(|| Explained {
        message: format!("the text of `{key}` needs quotes around it"),
        help: format!("put text between straight double quotes: {key} = \"{}\"", value.replace('"', "\\\"")),
        range,
    })
}

/// Explains a value of the wrong type at `span` of `toml`, given the TOML reader's message:
/// one piece of text where a list belongs is written out as the list.
pub fn wrong_type(toml: &str, span: Range<usize>, reader: &str) -> Option<Explained> {
    let value = toml.get(span.clone())?.trim();
    if !reader.contains("sequence") || !value.starts_with(['"', '\'']) {
        return None;
    }
    let line_start = toml[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let key = toml[line_start..span.start].trim().trim_end_matches('=').trim();
    let inner = value.trim_matches(['"', '\'']);
    let items: Vec<String> = inner
        .split([',', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| format!("\"{}\"", item.replace('"', "\\\"")))
        .collect();
    Some(Explained {
        message: format!("`{key}` should be a list, but it is one piece of text"),
        help: format!("write a list in square brackets, each item in its own quotes: {key} = [{}]", items.join(", ")),
        range: span,
    })
}

/// Bytes from the start of `line` to just after its `=`.
fn key_len(line: &str) -> usize {
    line.find('=').map_or(0, |i| i + 1)
}

/// `value` with curly quotes made straight: double ones always, single ones where they open
/// or close the value (an apostrophe inside it stays as it is).
fn straighten(value: &str) -> String {
    let mut out: String = value.chars().map(|c| if matches!(c, '“' | '”' | '„') { '"' } else { c }).collect();
    for (open, close) in [('‘', '’'), ('‚', '’'), ('’', '’')] {
        if out.starts_with(open) && out.ends_with(close) && out.chars().count() > 1 {
            let inner = &out[open.len_utf8()..out.len() - close.len_utf8()];
            out = format!("\"{}\"", inner.replace('"', "\\\""));
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_for(line: &str) -> String {
        syntax(line, line.find('=').unwrap() + 2).map(|e| e.help).unwrap_or_default()
    }

    #[test]
    fn common_mistakes_are_written_out_correctly() {
        assert_eq!(help_for("published = 14/03/2026"), "write dates as 2026-03-14 (year-month-day): published = 2026-03-14");
        assert_eq!(help_for("updated = 14 March 2026"), "write dates as 2026-03-14 (year-month-day): updated = 2026-03-14");
        assert_eq!(help_for("title = “Child A’s story”"), "use straight quotes (\"), as a plain text editor types them: title = \"Child A’s story\"");
        assert_eq!(help_for("title = ‘Child A’"), "use straight quotes (\"), as a plain text editor types them: title = \"Child A\"");
        assert_eq!(help_for("summary = Learning from a review"), "put text between straight double quotes: summary = \"Learning from a review\"");
        assert_eq!(help_for("draft = true"), "");
    }

    #[test]
    fn text_where_a_list_belongs_becomes_the_list() {
        let toml = "title = \"A\"\nthemes = \"neglect, supervision\"\n";
        let start = toml.find("\"neglect").unwrap();
        let explained = wrong_type(toml, start..toml.len() - 1, "invalid type: string \"neglect, supervision\", expected a sequence").unwrap();
        assert_eq!(explained.help, "write a list in square brackets, each item in its own quotes: themes = [\"neglect\", \"supervision\"]");
        assert!(explained.message.starts_with("`themes` should be a list"));
    }
}
