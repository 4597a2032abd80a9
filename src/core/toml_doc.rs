//! TOML documents (front matter, site.toml) read with diagnostics that point into the file:
//! malformed TOML, unknown keys with "did you mean", and wrongly typed values. Characters that
//! XML 1.0 forbids (`"\u0001"`, `"\uFFFE"`) are taken out of every text value as it is read,
//! each with a warning: titles and summaries go into the feed and the sitemap, which would not
//! be XML with them.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::diagnostics::{did_you_mean, Diagnostic};
use super::toml_help;
use super::text::strip_xml_forbidden;

/// A document's values, and the warnings about characters taken out of them.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The values.
    pub value: T,
    /// One `forbidden-character` warning for each text value that lost characters.
    pub warnings: Vec<Diagnostic>,
}

/// A TOML document embedded in a file: `text[range]` is the TOML, `text` the whole file.
pub struct TomlDoc<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub range: Range<usize>,
    /// What the document is, for messages: "front matter", "site.toml".
    pub what: &'a str,
}

impl TomlDoc<'_> {
    fn toml(&self) -> &str {
        &self.text[self.range.clone()]
    }

    fn diag_at(&self, code: &'static str, message: String, span: Option<Range<usize>>) -> Diagnostic {
        let base = self.range.start;
        let span = span.unwrap_or(0..0);
        Diagnostic::error(code, message)
            .in_file(self.file)
            .at(self.text, base + span.start..base + span.end)
    }

    /// Parses into `T`, first rejecting any top-level key not in `known` (all of them at once,
    /// each with a suggestion), so that a misspelt key never silently does nothing.
    pub fn parse<T: DeserializeOwned>(&self, known: &[&str]) -> Result<Parsed<T>, Vec<Diagnostic>> {
        self.parse_with_tables(known, &[])
    }

    /// Like `parse`, and the keys inside each table named in `tables` (`[check]`, or
    /// `facets.*` for every `[facets.<name>]`) must be among the keys listed for it.
    pub fn parse_with_tables<T: DeserializeOwned>(&self, known: &[&str], tables: &[(&str, &[&str])]) -> Result<Parsed<T>, Vec<Diagnostic>> {
        let mut table = toml::de::DeTable::parse(self.toml()).map_err(|e| vec![self.syntax_error(e.message(), e.span())])?;
        let mut unknown = self.unknown_keys(table.get_ref(), known, None);
        for (key, value) in table.get_ref() {
            let name = key.get_ref().as_ref();
            let toml::de::DeValue::Table(inner) = value.get_ref() else { continue };
            for (path, keys) in tables {
                if *path == name {
                    unknown.extend(self.unknown_keys(inner, keys, Some((name, known))));
                } else if path.strip_suffix(".*") == Some(name) {
                    for (sub, value) in inner {
                        if let toml::de::DeValue::Table(leaf) = value.get_ref() {
                            let place = format!("{name}.{}", sub.get_ref().as_ref());
                            unknown.extend(self.unknown_keys(leaf, keys, Some((&place, known))));
                        }
                    }
                }
            }
        }
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let mut warnings = Vec::new();
        for (_, value) in table.get_mut().iter_mut() {
            self.strip_forbidden(value, &mut warnings);
        }
        let value = T::deserialize(toml::de::Deserializer::from(table)).map_err(|e| vec![self.type_error(e.message(), e.span())])?;
        Ok(Parsed { value, warnings })
    }

    /// A line the TOML reader could not read: the common mistakes in plain English with the
    /// line written out correctly, anything else in the reader's words after a plain sentence.
    fn syntax_error(&self, reader: &str, span: Option<Range<usize>>) -> Diagnostic {
        let at = span.as_ref().map_or(0, |s| s.start);
        match toml_help::syntax(self.toml(), at) {
            Some(e) => self.diag_at("malformed-toml", format!("the {} cannot be read: {}", self.what, e.message), Some(e.range)).help(e.help),
            None => self
                .diag_at("malformed-toml", format!("the {} cannot be read here (the TOML reader says: {})", self.what, first_line(reader)), span)
                .help("text values need straight double quotes (title = \"Child A\"), dates look like 2026-03-14, lists look like [\"a\", \"b\"]"),
        }
    }

    /// A value of the wrong type (text where a list belongs, a number where text does).
    fn type_error(&self, reader: &str, span: Option<Range<usize>>) -> Diagnostic {
        match span.clone().and_then(|s| toml_help::wrong_type(self.toml(), s, reader)) {
            Some(e) => self.diag_at("invalid-value", format!("in the {}: {}", self.what, e.message), Some(e.range)).help(e.help),
            None => self
                .diag_at("invalid-value", format!("a value in the {} is of the wrong kind (the TOML reader says: {})", self.what, first_line(reader)), span)
                .help("check the value's type: text in double quotes, dates as 2026-03-14, true or false, lists in [ ]"),
        }
    }

    /// Takes the characters XML 1.0 forbids out of every text in `value`, with a warning at each.
    fn strip_forbidden(&self, value: &mut toml::Spanned<toml::de::DeValue<'_>>, warnings: &mut Vec<Diagnostic>) {
        let span = value.span();
        match value.get_mut() {
            toml::de::DeValue::String(text) => {
                let stripped = strip_xml_forbidden(text);
                if let std::borrow::Cow::Owned(stripped) = stripped {
                    *text = stripped.into();
                    let base = self.range.start;
                    warnings.push(
                        Diagnostic::warning("forbidden-character", "this text holds control characters (or U+FFFE, U+FFFF) that no page or feed may carry; they were taken out")
                            .in_file(self.file)
                            .at(self.text, base + span.start..base + span.end)
                            .help("delete the \\u escapes (or the invisible characters pasted with the text) from the value"),
                    );
                }
            }
            toml::de::DeValue::Array(items) => items.iter_mut().for_each(|item| self.strip_forbidden(item, warnings)),
            toml::de::DeValue::Table(table) => table.iter_mut().for_each(|(_, item)| self.strip_forbidden(item, warnings)),
            _ => {}
        }
    }

    /// An error for each key of `table` not in `known`, with a suggestion. `inside` names the
    /// table (`check`, `facets.age`) with the document's top-level keys, for a key that belongs
    /// at the top but was written below a `[table]` line, which makes it the table's.
    fn unknown_keys(&self, table: &toml::de::DeTable<'_>, known: &[&str], inside: Option<(&str, &[&str])>) -> Vec<Diagnostic> {
        table
            .iter()
            .filter(|(key, _)| !known.contains(&key.get_ref().as_ref()))
            .map(|(key, _)| {
                let name = key.get_ref().as_ref();
                let place = inside.map_or(String::new(), |(table, _)| format!("[{table}] table of the "));
                let help = match (inside, did_you_mean(name, known.iter().copied())) {
                    (Some((table, top)), _) if top.contains(&name) => format!(
                        "`{name}` belongs at the top of the file: move its line above the `[{table}]` line, since every line below a [table] line belongs to that table"
                    ),
                    (_, Some(near)) => format!("did you mean `{near}`?"),
                    (_, None) => format!("the keys allowed here are: {}", known.join(", ")),
                };
                self.diag_at("unknown-key", format!("unknown key `{name}` in the {place}{}", self.what), Some(key.span()))
                    .help(help)
            })
            .collect()
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Doc {
        title: String,
    }

    fn doc(text: &str) -> TomlDoc<'_> {
        TomlDoc { file: Path::new("a.md"), text, range: 4..text.len(), what: "front matter" }
    }

    #[test]
    fn unknown_keys_are_all_reported_with_suggestions() {
        let text = "+++\ntitle = \"x\"\ntitel = \"y\"\nzzz = 1\n";
        let errs = doc(text).parse::<Doc>(&["title", "summary"]).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].span.as_ref().unwrap().line, 3);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `title`?"));
        assert!(errs[1].help.as_deref().unwrap().contains("title, summary"));
    }

    #[test]
    fn malformed_toml_points_at_the_line() {
        let text = "+++\ntitle = \"x\"\nsummary = unquoted words\n";
        let errs = doc(text).parse::<Doc>(&["title", "summary"]).unwrap_err();
        assert_eq!(errs[0].code, "malformed-toml");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 3);
    }

    #[test]
    fn a_valid_document_parses() {
        let text = "+++\ntitle = \"Neglect\"\n";
        assert_eq!(doc(text).parse::<Doc>(&["title"]).unwrap().value.title, "Neglect");
    }

    /// Issue 16: a title with `\u0001` made a feed that is not XML.
    #[test]
    fn characters_xml_forbids_are_taken_out_with_a_warning_at_their_line() {
        let text = "+++\ntitle = \"A\\u0001B\\u000BC\\u000CD\\uFFFEE\\uFFFF\"\nsummary = \"fine\\ttab\"\n";
        let parsed = doc(text).parse::<Doc>(&["title", "summary"]).unwrap();
        assert_eq!(parsed.value.title, "ABCDE");
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].code, "forbidden-character");
        assert_eq!(parsed.warnings[0].span.as_ref().unwrap().line, 2);
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let text = "+++\ntitle = 3\n";
        let errs = doc(text).parse::<Doc>(&["title"]).unwrap_err();
        assert_eq!(errs[0].code, "invalid-value");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
    }
}
