//! A document is laid out once. Typst lays a document out again whenever something it
//! measured is found in the finished pages (see pieces.typ), which doubled the cost of every
//! handout; this counts the layout passes with Typst's own timing events.

use std::sync::Mutex;

use super::documents::plan;
use super::*;
use crate::handout::engine::{self, Files};
use crate::handout::payload::{pack_sheets, Builder, Payload};
use crate::handout::testing::{fixture, ALL};

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

fn logo() -> Assets<'static> {
    let logo = Logo { bytes: include_bytes!("fixtures/logo.svg").to_vec(), kind: LogoKind::Svg, alt: "Westmoor logo".into() };
    Assets { logo: Some(logo), ..Assets::default() }
}

#[test]
fn every_kind_of_sheet_is_laid_out_in_one_pass() {
    let assets = logo();
    let mut slow = Vec::new();
    for name in ALL {
        let mut b = Builder::new(&assets);
        let sheet = b.handout(&fixture(name), None);
        let n = passes(b.payload("t", "p", "en-GB", None, vec![sheet]), &b.files);
        if n != 1 {
            slow.push(format!("{name}: {n} passes"));
        }
    }
    let mut b = Builder::new(&assets);
    let sheet = b.plan(&plan(4), None);
    let n = passes(b.payload("t", "p", "en-GB", None, vec![sheet]), &b.files);
    if n != 1 {
        slow.push(format!("action plan: {n} passes"));
    }
    assert!(slow.is_empty(), "each further pass lays the whole document out again: {slow:?}");
}

#[test]
fn a_pack_of_every_sheet_is_laid_out_in_one_pass() {
    let assets = logo();
    let entries = ALL.iter().map(|name| PackEntry { handout: fixture(name), action_plan: Some(plan(4)) }).collect();
    let pack = Pack { title: "Every sheet".into(), partnership: "Westmoor".into(), intro: Some("All of them.".into()), entries, language: "en-GB".into() };
    let mut b = Builder::new(&assets);
    let (cover, sheets) = pack_sheets(&mut b, &pack);
    assert_eq!(passes(b.payload(&pack.title, &pack.partnership, &pack.language, Some(cover), sheets), &b.files), 1);
}
