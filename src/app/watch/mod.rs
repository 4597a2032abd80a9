//! `briefing watch`: build, then rebuild whenever a source changes, until Ctrl-C.
//!
//! Three parts, each usable alone:
//! - `Session` rebuilds: it works out again only what a change can have reached (see
//!   `pipeline::Kept`: changed sources are read and parsed again, and only the pages whose
//!   content changed are rendered again) and, only when all of that succeeded, writes the
//!   output files whose bytes changed and deletes those whose source is gone. A build with
//!   errors never touches the output folder. The first build of a session, and any build after
//!   a write went wrong or the output folder went missing, replaces the folder whole through a
//!   staging folder, like `briefing build`.
//! - `Watcher` turns file events into batches of changed paths. Event kinds are not trusted
//!   to say what changed (editors save in too many ways: in place, temporary file renamed
//!   over, delete then create); a batch only says "something under these paths changed", and
//!   the session then looks at the file system itself. The kinds only say when a save is over
//!   (`batch`). Editors' swap and backup files are filtered out here.
//! - `run` strings them together and stops cleanly on Ctrl-C.

mod batch;
mod session;
mod watcher;

use std::path::PathBuf;

use crate::core::diagnostics::Diagnostic;
use crate::pipeline::BuildOptions;
pub use session::{RebuildReport, Session};
pub use watcher::{relevant, Next, Stopper, Watcher, POLL_INTERVAL, WATCHED_DIRS};

/// What `run` tells its caller to show.
pub enum Notice<'a> {
    /// A line to show as it is.
    Info(String),
    /// A warning about watching itself (not about the sources).
    Warning(String),
    /// A rebuild finished: its diagnostics and its one-line report.
    Rebuilt(&'a RebuildReport),
    /// The first build is done and changes are being watched: what is watched, and how to stop.
    Watching(String),
}

/// `briefing watch` (and the watching half of `serve`): builds, then rebuilds after every
/// change until Ctrl-C. `after` sees each report once it is shown (serve tells browsers), and
/// may return a warning to show. Errs only when watching cannot start at all.
pub fn run(
    options: &BuildOptions,
    poll: bool,
    show: &mut dyn FnMut(Notice),
    after: &mut dyn FnMut(&RebuildReport) -> Option<String>,
) -> Result<(), Diagnostic> {
    let mut session = Session::new(options.clone())?;
    // Watch before the first build, so that a save during it is not missed.
    let mut watcher = Watcher::start(&options.root, poll)?;
    let stopper = watcher.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        show(Notice::Warning(format!("Ctrl-C may not stop briefing cleanly: {e}")));
    }
    let mut rebuild = |paths: &[PathBuf], watcher: &mut Watcher, show: &mut dyn FnMut(Notice)| {
        let report = session.rebuild(paths);
        watcher.watch_files(session.site_files());
        show(Notice::Rebuilt(&report));
        if let Some(warning) = after(&report) {
            show(Notice::Warning(warning));
        }
    };
    rebuild(&[], &mut watcher, show);
    show(Notice::Watching(watcher.describe()));
    loop {
        match watcher.wait() {
            Next::Stop => break,
            Next::Trouble(t) => show(Notice::Warning(format!("The file watcher reported a problem: {t}"))),
            Next::Changed(paths) => rebuild(&paths, &mut watcher, show),
        }
    }
    show(Notice::Info("Stopped.".to_string()));
    Ok(())
}

