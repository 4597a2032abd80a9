//! Calendar dates: reading them from TOML (front matter and site.toml), showing them, and
//! today's date. One parser for every date the site reads: the `time` crate's.

use std::path::Path;

use serde::Serialize;
use time::macros::format_description;
use time::{Date, Month};
use toml::{Spanned, Value};

use super::diagnostics::Diagnostic;

/// `2024-05-01`: four digits of year, two of month, two of day.
pub fn parse_iso(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// A date written as a TOML date (`2024-05-01`) or, forgivingly, as a quoted one.
/// `offset` is where the TOML starts in `text` (the whole file), to point errors at the value.
pub fn from_toml(file: &Path, text: &str, offset: usize, key: &str, value: &Spanned<Value>) -> Result<Date, Diagnostic> {
    let span = value.span();
    let date = match value.get_ref() {
        Value::Datetime(dt) => dt.date.and_then(|d| Date::from_calendar_date(i32::from(d.year), Month::try_from(d.month).ok()?, d.day).ok()),
        Value::String(s) => parse_iso(s.trim()),
        _ => None,
    };
    date.ok_or_else(|| {
        Diagnostic::error("bad-date", format!("`{key}` is not a date"))
            .in_file(file)
            .at(text, offset + span.start..offset + span.end)
            .help(format!("write the date as year-month-day, like {key} = 2024-05-01"))
    })
}

/// Today's date, for review dates. `BRIEFING_TODAY=2026-01-31` pins it (for tests and for
/// checking a site as of a future date).
pub fn today() -> Date {
    std::env::var("BRIEFING_TODAY").ok().and_then(|s| parse_iso(&s)).unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// Things a template shows about a date.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct DateView {
    /// `2024-05-01`, for `<time datetime>`.
    pub iso: String,
    /// `1 May 2024`, GOV.UK style.
    pub text: String,
    /// The year, for listings by year.
    pub year: i32,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        DateView {
            iso: format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day()),
            text: format!("{} {} {}", date.day(), date.month(), date.year()),
            year: date.year(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_from_toml_values_and_quoted_strings() {
        let text = "published = 2024-02-30\n";
        let value: Spanned<Value> = Spanned::new(4..14, Value::String("2024-05-01".into()));
        assert!(from_toml(Path::new("a.md"), text, 0, "published", &value).is_ok());
        let bad: Spanned<Value> = Spanned::new(12..22, Value::String("2024-02-30".into()));
        let err = from_toml(Path::new("a.md"), text, 0, "published", &bad).unwrap_err();
        assert_eq!(err.span.as_ref().unwrap().column, 13);
    }

    #[test]
    fn only_year_month_day_with_leading_zeros_is_a_date() {
        assert_eq!(parse_iso("2024-05-01").map(|d| d.day()), Some(1));
        for bad in ["2024-5-1", "24-05-01", "2024/05/01", "01-05-2024", "2024-05-01x", ""] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
