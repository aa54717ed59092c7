//! What a run reports while it works. The runner only emits events; reporters
//! (the progress line on a terminal, nothing at all in a pipe) decide what to
//! show, so no runner code writes to the terminal.

use std::sync::Arc;

use workbook_support::report::Status;

/// One thing that happened during a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// Cargo finished compiling a unit (a crate).
    Compiled {
        /// Units compiled so far.
        count: usize,
        /// How many units the previous build of this course compiled, if known.
        estimate: Option<usize>,
        /// The unit's name.
        unit: &'a str,
    },
    /// The build is over (successfully or not).
    Built,
    /// One check finished.
    CheckFinished {
        /// The exercise.
        exercise: &'a str,
        /// The check.
        check: &'a str,
        /// How it ended.
        status: Status,
        /// Checks finished so far.
        done: usize,
        /// Checks in the run.
        total: usize,
    },
    /// Every check finished.
    Finished,
}

/// Receives a run's events; called from the runner's tasks, so it must be
/// cheap and thread-safe.
pub type Reporter = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// A reporter that ignores everything (pipes, tests, nested runs).
pub fn silent() -> Reporter {
    Arc::new(|_| {})
}
