//! A briefing's one-pager as planned (`site::print` plans it; the print page and the
//! print-overflow check read the plan): which sections go on the sheet, where, and at which
//! type size.

use serde::Serialize;

/// The type sizes, in points, from the largest to the floor, in quarter points so that the
/// text fills the sheet. A one-pager gets the first that fits; print.css has a `density-N`
/// class for each (N counts from 1).
pub const STEPS: [f64; 13] = [11.0, 10.75, 10.5, 10.25, 10.0, 9.75, 9.5, 9.25, 9.0, 8.75, 8.5, 8.25, 8.0];
pub const FLOOR_PT: f64 = 8.0;

/// How the one-pager lays out its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A 7-minute briefing: every section in a numbered box.
    Boxes,
    /// Summary, audience and the first paragraph or list of each section.
    KeyPoints,
    /// The sections named by the front matter's `print` field, whole.
    Chosen,
}

/// One numbered item on the one-pager: a section, whole or its key point.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into the briefing's sections.
    pub section: usize,
    /// The byte range of the section's HTML that is printed.
    pub html: std::ops::Range<usize>,
    /// Shown only up to this many lines (`-webkit-line-clamp`), then "Continues in the full
    /// briefing". None: shown whole.
    pub clamp: Option<usize>,
}

/// What goes on a briefing's one-pager and how, decided from the amount of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub layout: Layout,
    /// The items flow through two balanced columns (one list in `columns`), rather than
    /// staying whole in columns of their own.
    pub flows: bool,
    /// Index into `STEPS`.
    pub step: usize,
    /// The items, column by column (one list for items that flow through the columns).
    pub columns: Vec<Vec<Item>>,
    /// Sections not on the sheet (key points only), listed by title instead: those without a
    /// paragraph or list, and those that did not fit.
    pub left_out: Vec<usize>,
    /// The sections among `left_out` that did not fit.
    pub dropped: Vec<usize>,
    /// Roughly how many words of the promised text are not on the sheet: 0 when all fits.
    pub words_over: usize,
    /// The estimated height of the items and notes, and the room for them, in mm.
    pub used: f64,
    pub room: f64,
}

impl Plan {
    pub fn font_pt(&self) -> f64 {
        STEPS[self.step]
    }

    pub fn fits(&self) -> bool {
        self.words_over == 0
    }

    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.columns.iter().flatten()
    }
}
