//! Any bytes as a bundle's SVG file: the cleaner ends, and what it writes is clean (cleaning
//! it again takes nothing out).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    briefing::fuzzing::svg_clean(data);
});
