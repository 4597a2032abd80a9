//! The commands, on top of the pipeline: `build` (with PDFs printed by a browser), `check`
//! (with link checking), `watch` and `serve`, `import` (from Word) and `new` (scaffolding).

pub mod build;
pub mod check;
pub mod external;
pub mod import;
mod linkcheck;
pub mod print;
pub mod scaffold;
pub mod serve;
pub mod watch;
