//! The integration tests, as one crate: the real binary on fixture sites and on the example
//! site, the library's public API, and the browser checks (Chromium, the W3C checker, axe).
//! Helpers shared by several modules are in `common`.

mod common;

mod architecture;
mod authors;
mod bad_input;
mod build;
mod check;
mod concurrency;
mod crawl;
mod external;
mod foreign_files;
mod fuzz_regressions;
mod import;
mod init;
mod large_inputs;
mod handout_inputs;
mod handouts;
mod output_safety;
mod quiet;
mod readers;
mod search;
mod serve;
mod site_files;
mod site_quality;
mod url_policy;
mod watch;
mod xml_safety;
mod xref;
