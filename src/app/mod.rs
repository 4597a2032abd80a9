//! The commands, on top of the pipeline: `build`, `check` (with link checking), `watch` and `serve`, `import` (from Word) and `new` (scaffolding).

pub mod check;
pub mod external;
pub mod import;
mod linkcheck;
pub mod scaffold;
pub mod serve;
pub mod watch;
