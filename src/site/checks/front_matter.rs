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
            "add review_due = 2026-05-01 (say) to the front matter, so `briefing check` reminds you when it is due",
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
