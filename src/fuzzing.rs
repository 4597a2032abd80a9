//! What the fuzz targets (fuzz/fuzz_targets/) run, here so that `cargo test` runs the same
//! code over the seed corpus and every input that once crashed (tests/fuzz_regressions.rs).

use std::path::PathBuf;

use crate::config::Config;
use crate::load::{Kind, SourceFile};

/// A theme for the briefing under test to name, so theme resolution has something to find.
const THEME: &str = "+++\ntitle = \"Neglect\"\naliases = [\"chronic neglect\"]\nrelated = [\"think-family\"]\n+++\nWhat neglect means.\n";

/// Parses `data` as one briefing (front matter and Markdown), with raw HTML sanitised and,
/// when the first byte is odd, kept as written.
pub fn parse_source(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let config = Config { allow_unsafe_html: data.first().is_some_and(|b| b % 2 == 1), ..Config::default() };
    let file = SourceFile { kind: Kind::Briefing, slug: "fuzz".into(), path: PathBuf::from("briefings/fuzz.md"), bundle: None, text: text.into() };
    let _ = crate::parse::parse(&file, &config);
}

/// Builds a site of one briefing, `data`, and one theme, in memory.
pub fn build_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::pipeline::build_in_memory(&[("briefings/fuzz.md", &text), ("themes/neglect.md", THEME)]);
}
