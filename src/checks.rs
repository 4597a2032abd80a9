//! Content checks: problems that do not stop a build but that an officer should know about.

use time::Date;

use crate::diagnostics::Diagnostic;
use crate::model::{Briefing, Format, Site};

/// A 7-minute briefing has seven sections.
pub const SEVEN_MINUTE_SECTIONS: usize = 7;
pub const SEVEN_MINUTES: usize = 7;

/// Checks every briefing of `site` as of `today`.
pub fn run(site: &Site, today: Date) -> Vec<Diagnostic> {
    let wpm = site.config.reading_wpm as usize;
    let mut out: Vec<Diagnostic> = site.briefings.iter().flat_map(|b| check_briefing(b, wpm, today)).collect();
    out.extend(crate::render::print::print_warnings(site));
    out
}

fn check_briefing(b: &Briefing, wpm: usize, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let warn = |code, message: String, help: String| Diagnostic::warning(code, message).in_file(&b.source).help(help);
    if b.format == Format::SevenMinute {
        if b.sections.len() != SEVEN_MINUTE_SECTIONS {
            out.push(warn(
                "section-count",
                format!("this 7-minute briefing has {} sections, not {SEVEN_MINUTE_SECTIONS}", b.sections.len()),
                "that is fine if intended: the page and one-pager lay out the sections there are; start each with ##".into(),
            ));
        }
        let limit = SEVEN_MINUTES * wpm;
        if b.words > limit {
            out.push(warn(
                "too-long",
                format!("this 7-minute briefing takes {} minutes to read ({} words)", b.reading_minutes(wpm as u32), b.words),
                format!("cut {} words to bring it within seven minutes at {wpm} words a minute", b.words - limit),
            ));
        }
    }
    if let Some(due) = b.review_due {
        if due < today {
            out.push(warn(
                "review-overdue",
                format!("this briefing was due for review on {}", crate::model::DateView::from(due).text),
                "review it, then set review_due to the next review date (and updated to today)".into(),
            ));
        }
    }
    out
}
