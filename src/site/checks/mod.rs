//! Checks of each briefing on its own: problems that do not stop a build but that an officer
//! should know about (dates, the shape and length of each briefing, whether its one-pager
//! fits). Each is a warning or note with a code from `core::codes`. Checks on the Markdown
//! itself run while it is parsed (`parse::checks`), and those across briefings (links, theme
//! names) when the site is assembled.

mod front_matter;
mod shape;

use time::Date;

use crate::config::Config;
use crate::core::codes;
use crate::core::diagnostics::{Diagnostic, Severity, Span};
use crate::model::Briefing;

/// The checks of one briefing as of `today`, and whether its one-pager fits its sheet.
pub(super) fn briefing(b: &Briefing, config: &Config, today: Date) -> Vec<Diagnostic> {
    let mut out = shape::check(b, config.reading_wpm as usize);
    out.extend(front_matter::check(b, today));
    out
}

/// A warning or note (as `CHECKS` lists it) about `b`, at `span` when there is one.
fn finding(b: &Briefing, code: &'static str, span: Option<&Span>, message: String, help: impl Into<String>) -> Diagnostic {
    debug_assert!(codes::find(code).is_some(), "{code} is not in CHECKS");
    let d = Diagnostic::new(codes::find(code).map_or(Severity::Warning, |c| c.severity), code, message).in_file(&b.source).help(help);
    match span {
        Some(span) => d.at_span(span.clone()),
        None => d,
    }
}
