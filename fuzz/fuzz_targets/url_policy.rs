//! Any bytes as an address, and as raw HTML around it: the URL policy never allows an address a
//! browser would run as script, and raw HTML scrubbed of refused addresses holds none.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    briefing::fuzzing::url_policy(data);
});
