//! Tests of the one-pager plan: layouts, type steps, what is cut and left out.

use super::*;
use crate::config::Paper;
use crate::core::diagnostics::Diagnostic;
use crate::load::{Kind, SourceFile};
use crate::parse::ParsedBriefing;

fn briefing(front: &str, body: &str) -> ParsedBriefing {
    let text = format!("+++\ntitle = \"A briefing\"\npublished = 2025-01-01\n{front}\n+++\n{body}");
    let file = SourceFile { kind: Kind::Briefing, slug: "a-briefing".into(), path: "briefings/a-briefing.md".into(), bundle: None, text };
    let (b, diags) = crate::parse::briefing::parse(&file, &Config::default());
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:?}");
    b.unwrap()
}

/// `n` sections of `words` words each, as paragraphs of about 60 words.
fn sections(n: usize, words: usize) -> String {
    let sentence = "Practitioners should record who lives in the household and who cares for the child.";
    let pool: Vec<&str> = sentence.split(' ').cycle().take(words).collect();
    let body: Vec<String> = pool.chunks(60).map(|c| c.join(" ") + ".").collect();
    (1..=n).map(|i| format!("## Section {i}\n\n{}\n\n", body.join("\n\n"))).collect()
}

fn a4() -> Config {
    Config::default()
}

/// A candidate keeps its runs as last set, for that width and size only: asked for
/// another, it sets them afresh, and the same as a new candidate would.
#[test]
fn a_candidate_sets_its_runs_afresh_for_each_width_and_size() {
    let b = briefing("format = \"practitioner\"", &sections(1, 240));
    let c = Candidate::whole(&b.briefing, &b.bodies, 0);
    let lines = |set: &[Set]| set.iter().map(|s| s.lines).sum::<usize>();
    let wide = lines(&c.set(80.0, 3.5));
    let narrow = lines(&c.set(40.0, 3.5));
    let larger = lines(&c.set(80.0, 5.0));
    assert!(narrow > wide && larger > wide, "{wide} {narrow} {larger}");
    assert_eq!(lines(&c.set(80.0, 3.5)), wide);
    assert_eq!(lines(&Candidate::whole(&b.briefing, &b.bodies, 0).set(40.0, 3.5)), narrow);
    assert_eq!(c.body_height(40.0, 3.5, None).1, narrow);
}

#[test]
fn a_short_seven_minute_briefing_gets_large_type_in_whole_boxes() {
    let b = briefing("format = \"7-minute\"", &sections(7, 40));
    let plan = plan(&b.briefing, &b.bodies, &a4());
    assert_eq!((plan.layout, plan.step, plan.flows), (Layout::Boxes, 0, false));
    assert!(plan.fits() && plan.used <= plan.room);
    let counts: Vec<usize> = plan.columns.iter().map(Vec::len).collect();
    assert_eq!(counts, [4, 3], "seven equal boxes: four and three");
    let printed: Vec<usize> = plan.items().map(|i| i.section).collect();
    assert_eq!(printed, (0..7).collect::<Vec<_>>(), "every section, in order");
}

#[test]
fn the_type_steps_down_as_the_text_grows() {
    let steps: Vec<usize> = [60, 110, 160, 190].iter().map(|&w| { let b = briefing("format = \"7-minute\"", &sections(7, w)); plan(&b.briefing, &b.bodies, &a4()) }.step).collect();
    assert!(steps.windows(2).all(|w| w[0] <= w[1]), "{steps:?}");
    assert!(steps[0] < steps[3], "{steps:?}");
}

#[test]
fn letter_paper_never_gets_larger_type_than_a4() {
    let b = briefing("format = \"7-minute\"", &sections(7, 150));
    let letter = Config { paper: Paper::Letter, ..Config::default() };
    assert!(plan(&b.briefing, &b.bodies, &letter).step >= plan(&b.briefing, &b.bodies, &a4()).step);
}

#[test]
fn too_long_a_seven_minute_briefing_is_cut_short_with_a_warning() {
    let b = briefing("format = \"7-minute\"", &sections(7, 400));
    let plan = plan(&b.briefing, &b.bodies, &a4());
    assert_eq!(plan.font_pt(), crate::model::print::FLOOR_PT);
    assert!(!plan.fits() && plan.words_over > 500, "{}", plan.words_over);
    assert!(plan.items().any(|i| i.clamp.is_some()));
    assert_eq!(plan.items().count(), 7, "no box is dropped, only cut short");
    let warning = super::super::print_warning(&b.briefing, &plan, &a4()).expect("a warning");
    assert_eq!(warning.code, "print-overflow");
    assert_eq!(warning.file.as_deref(), Some(std::path::Path::new("briefings/a-briefing.md")));
    assert!(warning.help.as_deref().unwrap().contains("cut about"), "{:?}", warning.help);
}

#[test]
fn key_points_are_the_first_paragraph_or_list_of_each_section() {
    let body = "Intro.\n\n## One\n\nFirst paragraph.\n\nSecond paragraph.\n\n## Two\n\nThree questions help:\n\n- a\n- b\n\nAfter.\n\n## Three\n\n| x |\n|---|\n| 1 |\n\n## Four\n\n- only a list\n";
    let b = briefing("format = \"practitioner\"\nsummary = \"S.\"", body);
    let plan = plan(&b.briefing, &b.bodies, &a4());
    assert_eq!(plan.layout, Layout::KeyPoints);
    let printed: Vec<String> = plan.items().map(|i| b.bodies.sections[i.section].html[i.html.clone()].to_string()).collect();
    assert_eq!(printed, ["<p>First paragraph.</p>\n", "<p>Three questions help:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", "<ul>\n<li>only a list</li>\n</ul>\n"]);
    assert_eq!(plan.left_out, [2], "a section with only a table is listed by title");
    assert!(plan.dropped.is_empty() && plan.fits(), "that is not text that did not fit");
}

#[test]
fn key_points_that_do_not_fit_are_listed_and_warned_about() {
    let b = briefing("format = \"guidance\"", &sections(30, 180));
    let plan = plan(&b.briefing, &b.bodies, &a4());
    assert!(!plan.dropped.is_empty() && !plan.fits());
    assert_eq!(plan.left_out, plan.dropped);
    let last_printed = plan.items().map(|i| i.section).max().unwrap();
    assert!(plan.dropped.iter().all(|&d| d > last_printed), "the first key points stay, in order");
}

#[test]
fn the_print_field_chooses_whole_sections() {
    let body = "## One\n\nA.\n\nB.\n\n## Two\n\nC.\n\n## Three\n\nD.\n\nE.\n";
    let b = briefing("format = \"7-minute\"\nprint = [\"three\", \"one\"]", body);
    let plan = plan(&b.briefing, &b.bodies, &a4());
    assert_eq!(plan.layout, Layout::Chosen);
    let printed: Vec<(usize, String)> = plan.items().map(|i| (i.section, b.bodies.sections[i.section].html[i.html.clone()].to_string())).collect();
    assert_eq!(printed, [(2, "<p>D.</p>\n<p>E.</p>\n".to_string()), (0, "<p>A.</p>\n<p>B.</p>\n".to_string())]);
}

#[test]
fn splits_columns_evenly_first_column_taller_on_a_tie() {
    assert_eq!(balanced_split(&[1.0; 7], 2), 4);
    assert_eq!(balanced_split(&[1.0; 6], 2), 3);
    assert_eq!(balanced_split(&[1.0; 8], 2), 4);
    assert_eq!(balanced_split(&[5.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2), 1);
    assert_eq!(balanced_split(&[1.0, 1.0, 1.0], 1), 3);
}
