//! The shape of a briefing: how many sections, how long, and sections that are empty or
//! share a title.

use std::collections::HashMap;

use super::finding;
use crate::core::diagnostics::Diagnostic;
use crate::core::text::{normalise, plural};
use crate::model::{Briefing, Format};

/// A 7-minute briefing has seven sections.
pub const SEVEN_MINUTE_SECTIONS: usize = 7;
pub const SEVEN_MINUTES: usize = 7;
/// A section of a 7-minute briefing is read in about a minute; past a minute and a half of
/// reading it is "far over" and worth splitting or cutting.
pub const SECTION_LIMIT_TENTHS_OF_A_MINUTE: usize = 15;

pub fn check(b: &Briefing, wpm: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if b.format == Format::SevenMinute {
        seven_minute(b, wpm, &mut out);
    }
    sections(b, &mut out);
    out
}

fn seven_minute(b: &Briefing, wpm: usize, out: &mut Vec<Diagnostic>) {
    let at = b.spans.format.as_ref().or(b.spans.start.as_ref());
    if b.sections.len() != SEVEN_MINUTE_SECTIONS {
        out.push(finding(
            b,
            "section-count",
            at,
            format!("this 7-minute briefing has {} section{}, not {SEVEN_MINUTE_SECTIONS}", b.sections.len(), plural(b.sections.len())),
            "that is fine if intended: the page and one-pager lay out the sections there are; start each with ##",
        ));
    }
    let limit = SEVEN_MINUTES * wpm;
    if b.words > limit {
        out.push(finding(
            b,
            "too-long",
            at,
            format!("this 7-minute briefing takes {} minutes to read ({} words)", b.reading_minutes(wpm as u32), b.words),
            format!("cut {} words to bring it within seven minutes at {wpm} words a minute", b.words - limit),
        ));
    }
    let section_limit = wpm * SECTION_LIMIT_TENTHS_OF_A_MINUTE / 10;
    for s in b.sections.iter() {
        let words = s.words;
        if words > section_limit {
            out.push(finding(
                b,
                "section-too-long",
                Some(&s.heading),
                format!("section {} takes about {:.1} minutes to read ({words} words); each should take about one", s.number, words as f64 / wpm as f64),
                format!("cut it to about {wpm} words, or move detail to a linked page or the one-pager's further information"),
            ));
        }
    }
}

fn sections(b: &Briefing, out: &mut Vec<Diagnostic>) {
    let mut titles: HashMap<String, usize> = HashMap::new();
    for s in b.sections.iter() {
        if s.blank {
            out.push(finding(
                b,
                "empty-section",
                Some(&s.heading),
                format!("the section \"{}\" has nothing under its heading", s.title),
                "write the section, or remove the heading until there is something to say",
            ));
        }
        let key = normalise(&s.title);
        match titles.get(&key) {
            Some(&first) => out.push(finding(
                b,
                "duplicate-section-title",
                Some(&s.heading),
                format!("two sections are called \"{}\" (sections {first} and {})", s.title, s.number),
                "give each section its own title, so readers and screen reader users can tell them apart",
            )),
            None => {
                titles.insert(key, s.number);
            }
        }
    }
}
