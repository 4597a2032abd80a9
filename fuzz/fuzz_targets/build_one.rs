//! The whole build of a one-briefing site, in memory: load, parse, model, checks, render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    briefing::fuzzing::build_one(data);
});
