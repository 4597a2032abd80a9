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
        let written = match value.get_ref() {
            Value::String(s) => s.as_str(),
            _ => "",
        };
        Diagnostic::error("bad-date", format!("`{key}` is not a date written as year-month-day"))
            .in_file(file)
            .at(text, offset + span.start..offset + span.end)
            .help(date_help(key, written))
    })
}

/// How to write `key`'s date: the one `written` means, when that can be worked out.
pub fn date_help(key: &str, written: &str) -> String {
    match other_form(written) {
        Some(date) => format!("write dates as 2026-03-14 (year-month-day), without quotes: {key} = {}", DateView::from(date).iso),
        None => format!("write dates as 2026-03-14 (year-month-day), without quotes, like {key} = 2026-03-14"),
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A date written in one of the other ways people write dates: `14/03/2026`, `14-03-2026`,
/// `14.3.26`, `2026/03/14`, `2026-3-14`, `14 March 2026`, `14th Mar 2026`, `March 14, 2026`.
/// Numbers are read day first (as in the UK) unless that cannot be a date and month first can.
pub fn other_form(text: &str) -> Option<Date> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'' || c == '“' || c == '”').to_lowercase();
    let parts: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts[..] else { return None };
    let number = |p: &str| p.trim_end_matches(|c: char| c.is_alphabetic()).parse::<u32>().ok().filter(|_| p.starts_with(|c: char| c.is_ascii_digit()));
    let month = |p: &str| MONTHS.iter().position(|m| p.len() >= 3 && p.starts_with(m)).map(|i| i as u32 + 1);
    let year = |p: &str| p.parse::<i32>().ok().filter(|_| p.len() == 4 || p.len() == 2).map(|y| if y < 100 { 2000 + y } else { y });
    let date = |y: i32, m: u32, d: u32| Date::from_calendar_date(y, Month::try_from(u8::try_from(m).ok()?).ok()?, u8::try_from(d).ok()?).ok();
    if let (Some(d), Some(m), Some(y)) = (number(a), month(b), year(c)) {
        return date(y, m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (month(a), number(b), year(c)) {
        return date(y, m, d);
    }
    let (a, b) = (number(a)?, number(b)?);
    if parts[0].len() == 4 {
        return date(year(parts[0])?, b, number(c)?);
    }
    let y = year(c)?;
    date(y, b, a).or_else(|| date(y, a, b))
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
    fn dates_in_other_forms_are_worked_out() {
        let iso = |t: &str| other_form(t).map(|d| DateView::from(d).iso);
        for (written, meant) in [
            ("14/03/2026", "2026-03-14"),
            ("\"14-3-26\"", "2026-03-14"),
            ("14.03.2026", "2026-03-14"),
            ("03/14/2026", "2026-03-14"),
            ("2026/03/14", "2026-03-14"),
            ("2026-3-14", "2026-03-14"),
            ("14 March 2026", "2026-03-14"),
            ("14th Mar 2026", "2026-03-14"),
            ("March 14, 2026", "2026-03-14"),
        ] {
            assert_eq!(iso(written).as_deref(), Some(meant), "{written}");
        }
        for nonsense in ["32/13/2026", "soon", "14 Smarch 2026", "1/2"] {
            assert_eq!(iso(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn only_year_month_day_with_leading_zeros_is_a_date() {
        assert_eq!(parse_iso("2024-05-01").map(|d| d.day()), Some(1));
        for bad in ["2024-5-1", "24-05-01", "2024/05/01", "01-05-2024", "2024-05-01x", ""] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
