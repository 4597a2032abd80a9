//! What a handout costs: a document is laid out once (Typst lays a document out again
//! whenever something it measured is found in the finished pages, see pieces.typ, which
//! doubled the cost of every handout; counted here with Typst's own timing events), and the
//! sizes a sheet measures are predicted without skipping the largest that fits.

use std::sync::Mutex;

use super::documents::plan;
use super::*;
use crate::handout::engine::{self, Files};
use crate::handout::payload::{pack_sheets, Builder, Payload};
use crate::handout::payload::Sheet;
use crate::handout::testing::{fixture, generated, ALL};

/// Typst's timing is global: one test at a time records.
static TIMING: Mutex<()> = Mutex::new(());

/// The layout passes compiling `payload` takes.
fn passes(mut payload: Payload, files: &Files) -> usize {
    let _only = TIMING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    typst_timing::enable();
    // The events of this thread are told apart from other tests' by a marker scope.
    let marker = typst_timing::TimingScope::new("briefing: layout passes");
    let compiled = engine::compile(&mut payload, files, &mut Vec::new());
    drop(marker);
    typst_timing::disable();
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0)).expect("timing events");
    compiled.expect("the document compiles");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&json).expect("timing JSON");
    let thread = &events.iter().find(|e| e["name"] == "briefing: layout passes").expect("the marker")["tid"];
    let named = |e: &&serde_json::Value| e["name"].as_str().is_some_and(|n| n.starts_with("iter ("));
    events.iter().filter(|e| e["tid"] == *thread && e["ph"] == "B").filter(named).count()
}

/// The payload of one sheet that `make` adds, and its files.
fn one_sheet(assets: &Assets, make: impl FnOnce(&mut Builder) -> Sheet) -> (Payload, Files) {
    let mut b = Builder::new(assets);
    let sheet = make(&mut b);
    let payload = b.payload("t", "p", "en-GB", None, vec![sheet]);
    (payload, b.files)
}

fn logo() -> Assets<'static> {
    let logo = Logo { bytes: include_bytes!("fixtures/logo.svg").to_vec(), kind: LogoKind::Svg, alt: "Westmoor logo".into() };
    Assets { logo: Some(logo), ..Assets::default() }
}

#[test]
fn every_kind_of_sheet_is_laid_out_in_one_pass() {
    let assets = logo();
    let mut slow = Vec::new();
    for name in ALL {
        let (payload, files) = one_sheet(&assets, |b| b.handout(&fixture(name), None));
        let n = passes(payload, &files);
        if n != 1 {
            slow.push(format!("{name}: {n} passes"));
        }
    }
    let (payload, files) = one_sheet(&assets, |b| b.plan(&plan(4), None));
    let n = passes(payload, &files);
    if n != 1 {
        slow.push(format!("action plan: {n} passes"));
    }
    assert!(slow.is_empty(), "each further pass lays the whole document out again: {slow:?}");
}

#[test]
fn a_pack_of_every_sheet_is_laid_out_in_one_pass() {
    let assets = logo();
    let entries = ALL.iter().map(|name| PackEntry { handout: fixture(name), action_plan: Some(plan(4)) }).collect();
    let pack = Pack { title: "Every sheet".into(), partnership: "Westmoor".into(), intro: Some("All of them.".into()), entries, left_out: 0, language: "en-GB".into() };
    let mut b = Builder::new(&assets);
    let (cover, sheets) = pack_sheets(&mut b, &pack);
    assert_eq!(passes(b.payload(&pack.title, &pack.partnership, &pack.language, Some(cover), sheets), &b.files), 1);
}

/// The type sizes, for payloads that allow only one of them.
static LADDER: [f64; 13] = crate::handout::SIZES;

/// The facts of typesetting `h` with only `sizes` to choose from.
fn typeset_with(h: &Handout, sizes: &'static [f64]) -> PageFacts {
    let (mut payload, files) = one_sheet(&Assets::default(), |b| b.handout(h, None));
    payload.sizes = sizes;
    let (_, facts) = engine::compile(&mut payload, &files, &mut Vec::new()).expect("the handout compiles");
    facts.into_iter().next().expect("the sheet's facts")
}

/// The size chosen is the largest that fits: allowed only the next size up, the same sheet
/// no longer fits as it was (it leaves something out, or prints a summary instead of the
/// whole). The sizes measured are predicted, so a prediction that skipped a size that fits
/// would fail here.
#[test]
fn the_type_size_chosen_is_the_largest_that_fits() {
    // The fixtures, and shapes that land between the largest and smallest sizes: boxes and
    // whole texts of several lengths, and 8,400 words of guidance (key points at level 1).
    let shapes = [("seven-minute", 7, 90), ("seven-minute", 7, 120), ("practitioner", 5, 140), ("practitioner", 6, 170), ("guidance", 14, 600)];
    let handouts = ALL.iter().map(|name| fixture(name)).chain(shapes.map(|(f, n, w)| generated(&format!("{f}-{n}x{w}"), f, n, w)));
    let mut checked = 0;
    for h in handouts {
        let chosen = typeset_with(&h, &LADDER);
        // A sheet that leaves sections out does so at the smallest size, by design.
        let Some(up) = LADDER.iter().rposition(|&s| s > chosen.size).filter(|_| chosen.left_out.is_empty()) else { continue };
        // A summary chooses how much of each section first and then the size: only one under
        // 9 pt (where it keeps each section's key point alone) is a choice of size alone.
        if chosen.mode.as_deref() == Some("key") && chosen.size >= 9.0 {
            continue;
        }
        let larger = typeset_with(&h, &LADDER[up..=up]);
        let worse = !larger.left_out.is_empty() || larger.mode != chosen.mode;
        assert!(worse, "{}: chosen {} pt ({:?}), yet it fits at {} pt: {larger:?}", h.slug, chosen.size, chosen.mode, LADDER[up]);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} handouts were below the largest size");
}
