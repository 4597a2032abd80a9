//! The commands, on top of the pipeline: `build`, `check` (with link checking), `watch` and `serve`, `import` (from Word), `new` (scaffolding) and `init` (a new site).

pub mod check;
pub mod external;
pub mod import;
pub mod init;
mod linkcheck;
pub mod scaffold;
pub mod serve;
pub mod watch;
