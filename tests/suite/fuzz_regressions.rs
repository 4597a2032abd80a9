//! The fuzz targets' code (src/fuzzing.rs) over the seed corpus and every input that once made
//! a target crash or hang (fuzz/regressions/<target>/), so `cargo test` keeps them fixed
//! without cargo-fuzz. Each input must finish within a time bound, not just without a panic.

use std::path::Path;
use std::time::{Duration, Instant};

/// Generous for a debug build on a loaded machine; a hang would take far longer.
const BOUND: Duration = Duration::from_secs(20);

/// Every fuzz target, by its folder in fuzz/corpus/ and fuzz/regressions/.
const TARGETS: [&str; 4] = ["parse_source", "build_one", "url_policy", "svg_clean"];

fn inputs(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(folder);
    let mut found = Vec::new();
    for target in TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else { continue };
        for entry in entries.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')) {
            let name = format!("{target}/{}", entry.file_name().to_string_lossy());
            found.push((name, std::fs::read(entry.path()).expect("readable input")));
        }
    }
    found.sort();
    found
}

fn run_all(folder: &str) -> usize {
    let inputs = inputs(folder);
    for (name, data) in &inputs {
        let started = Instant::now();
        match name.split('/').next() {
            Some("parse_source") => briefing::fuzzing::parse_source(data),
            Some("build_one") => briefing::fuzzing::build_one(data),
            Some("url_policy") => briefing::fuzzing::url_policy(data),
            _ => briefing::fuzzing::svg_clean(data),
        }
        assert!(started.elapsed() < BOUND, "{folder}/{name} took {:?}", started.elapsed());
    }
    inputs.len()
}

#[test]
fn seed_corpus_runs_through_every_target() {
    assert!(run_all("corpus") >= 20, "the seed corpus is in fuzz/corpus/");
}

#[test]
fn inputs_that_once_failed_stay_fixed() {
    run_all("regressions");
}
