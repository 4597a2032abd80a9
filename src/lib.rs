//! `briefing`: a static site generator for safeguarding partnership briefings.
//!
//! Data flows one way, and so do the imports: `core` (diagnostics, text, paths, dates) ->
//! `config` -> `model` -> `load` -> `parse` -> `site` -> `render` -> `handout` -> `import` ->
//! `write` -> `pipeline` -> `app` (the commands). Each folder uses only those before it; ARCHITECTURE.md
//! is the map.
//!
//! The public API is small: `build` and `check` a site, `build_in_memory` for tests and
//! fuzzing, and the commands in `app`.

#![warn(missing_docs)]

pub mod app;
pub(crate) mod config;
pub mod core;
pub mod fuzzing;
pub mod handout;
pub mod import;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod pipeline;
pub(crate) mod render;
pub(crate) mod site;
pub(crate) mod write;

pub use app::check::{check, CheckOptions};
pub use core::dates::today;
pub use model::Format;
pub use pipeline::{build, build_in_memory, BuildOptions, Keep, Outcome, Stats, Status};
pub use render::OutputFile;
