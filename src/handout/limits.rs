//! How much a sheet prints: of each text (a longer one is cut at a word and ends with "…")
//! and of a picture's pixels. Plain functions of the data (no Typst), so that the build can
//! warn about what a sheet cuts whether or not it typesets, and from the cache as well.

use super::model::{ActionPlan, Handout, Pack};

/// The most pixels a picture on a sheet may have: a 50-megapixel photograph prints well; more
/// costs the memory of decoding it (4 bytes a pixel) for nothing a printer can show.
pub const MAX_PIXELS: usize = 50_000_000;

/// The width and height of a PNG, JPEG, GIF or WebP picture, read from its first bytes (so
/// before anything decodes it).
pub fn pixel_size(bytes: &[u8]) -> Option<(usize, usize)> {
    imagesize::blob_size(bytes).ok().map(|size| (size.width, size.height))
}

/// The width and height of a picture with more than `MAX_PIXELS`; `None` for any other.
pub fn too_many_pixels(bytes: &[u8]) -> Option<(usize, usize)> {
    pixel_size(bytes).filter(|(w, h)| w.saturating_mul(*h) > MAX_PIXELS)
}

/// The most of a title a sheet prints, in characters (a briefing's, an action plan's, a pack's).
pub const MAX_TITLE: usize = 300;
/// The most of the partnership's name (site.toml refuses a longer one; a briefing's front
/// matter may still give one).
pub const MAX_PARTNERSHIP: usize = 200;
/// The most of "Who it is for".
pub const MAX_AUDIENCE: usize = 400;
/// The most of a briefing's summary.
pub const MAX_SUMMARY: usize = 600;
/// The most of a section's heading.
pub const MAX_SECTION_TITLE: usize = 200;
/// The most of an action plan's question.
pub const MAX_QUESTION: usize = 600;
/// The most of a pack's intro, on its cover.
pub const MAX_INTRO: usize = 1500;
/// An action plan holds at most this many questions, each with room to write.
pub const MAX_QUESTIONS: usize = 10;

/// A text a sheet prints cut short: what it is ("the title"), its length and the most that
/// prints, in characters.
pub type Cut = (String, usize, usize);

fn cut_if_long(cuts: &mut Vec<Cut>, what: String, text: &str, max: usize) {
    let n = text.chars().count();
    if n > max {
        cuts.push((what, n, max));
    }
}

/// What handout `h` prints cut short.
pub fn cut_short(h: &Handout) -> Vec<Cut> {
    let mut cuts = Vec::new();
    cut_if_long(&mut cuts, "the title".into(), &h.title, MAX_TITLE);
    cut_if_long(&mut cuts, "the partnership".into(), &h.partnership, MAX_PARTNERSHIP);
    cut_if_long(&mut cuts, "the audience".into(), h.audience.as_deref().unwrap_or(""), MAX_AUDIENCE);
    cut_if_long(&mut cuts, "the summary".into(), h.summary.as_deref().unwrap_or(""), MAX_SUMMARY);
    for s in &h.sections {
        cut_if_long(&mut cuts, format!("the heading of section {}", s.number), &s.title, MAX_SECTION_TITLE);
    }
    cuts
}

/// What the cover of `pack` prints cut short (its sheets are its briefings' handouts, whose
/// builds warn about theirs).
pub fn pack_cut_short(pack: &Pack) -> Vec<Cut> {
    let mut cuts = Vec::new();
    cut_if_long(&mut cuts, "the title".into(), &pack.title, MAX_TITLE);
    cut_if_long(&mut cuts, "the intro".into(), pack.intro.as_deref().unwrap_or(""), MAX_INTRO);
    cuts
}

/// What action plan `plan` prints cut short (of the questions it has room for).
pub fn plan_cut_short(plan: &ActionPlan) -> Vec<Cut> {
    let mut cuts = Vec::new();
    cut_if_long(&mut cuts, "the title".into(), &plan.title, MAX_TITLE);
    for (i, q) in plan.questions.iter().take(MAX_QUESTIONS).enumerate() {
        cut_if_long(&mut cuts, format!("question {}", i + 1), q, MAX_QUESTION);
    }
    cuts
}
