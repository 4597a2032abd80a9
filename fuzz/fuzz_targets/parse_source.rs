//! One briefing's source (front matter + Markdown) through the parser, in memory: whatever
//! the bytes, parsing ends with a briefing or diagnostics, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    briefing::fuzzing::parse_source(data);
});
