//! What the front matter says: review and publication dates, and themes.

use time::{Date, Duration};

use super::finding;
use crate::core::dates::DateView;
use crate::core::diagnostics::Diagnostic;
use crate::model::Briefing;

/// `review_due` this close is worth a warning, so the review can be planned.
pub const REVIEW_SOON_DAYS: i64 = 30;

pub fn check(b: &Briefing, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let s = &b.spans;
    let text = |date: Date| DateView::from(date).text;
    match b.review_due {
        Some(due) if due < today => out.push(finding(
            b,
            "review-overdue",
            s.review_due.as_ref(),
            format!("this briefing was due for review on {}", text(due)),
            "review it, then set review_due to the next review date (and updated to today)",
        )),
        Some(due) if due <= today + Duration::days(REVIEW_SOON_DAYS) => out.push(finding(
            b,
            "review-due-soon",
            s.review_due.as_ref(),
            format!("this briefing is due for review on {}, within {REVIEW_SOON_DAYS} days", text(due)),
            "plan the review now; afterwards set review_due to the next review date",
        )),
        Some(_) => {}
        None => out.push(finding(
            b,
            "no-review-date",
            s.start.as_ref(),
            "this briefing has no review date".into(),
            format!(
                "add review_due = {} (say, a year from today) to the front matter, so `briefing check` reminds you when it is due",
                DateView::from(today + Duration::days(365)).iso
            ),
        )),
    }
    if b.published > today && !b.draft {
        out.push(finding(
            b,
            "future-published",
            s.published.as_ref(),
            format!("this briefing is published on {}, which is in the future", text(b.published)),
            "correct the date, or set draft = true until it is ready",
        ));
    }
    if let Some(updated) = b.updated.filter(|&u| u < b.published) {
        out.push(finding(
            b,
            "updated-before-published",
            s.updated.as_ref(),
            format!("updated ({}) is before published ({})", text(updated), text(b.published)),
            "updated is the date of the last change, so it comes after published; correct one of them",
        ));
    }
    if !b.draft {
        out.extend(described(b));
    }
    if b.theme_names.is_empty() {
        out.push(finding(
            b,
            "no-themes",
            s.start.as_ref(),
            "this briefing has no themes, so it is missing from the theme index".into(),
            "add themes = [\"professional curiosity\", \"think family\"] (say) to the front matter",
        ));
    }
    out
}

/// Warnings for a published briefing without a summary (what listings, the feed and search
/// show of it) or an audience (who should read it).
fn described(b: &Briefing) -> Vec<Diagnostic> {
    let s = &b.spans;
    let mut out = Vec::new();
    if b.summary.is_none() {
        out.push(finding(
            b,
            "no-summary",
            s.summary.as_ref().or(s.start.as_ref()),
            "this briefing has no summary".into(),
            "write one or two sentences on what it is about, like summary = \"Learning from a review of ...\": the home page, search and the feed show it",
        ));
    }
    if b.audience.is_none() {
        out.push(finding(
            b,
            "no-audience",
            s.audience.as_ref().or(s.start.as_ref()),
            "this briefing does not say who it is for".into(),
            "add audience = \"Everyone who works with children and families\" (say): readers look for it to decide whether the briefing is for them",
        ));
    }
    out
}
