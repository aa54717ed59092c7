//! The signals that end a run early — Ctrl-C, `kill`/`timeout`/a cancelled CI
//! job, a closed terminal — all handled alike: clean up, then exit with the
//! shell's code for that signal.

use std::fmt;

/// A signal that asks the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM (`kill`, `timeout`, a cancelled CI job).
    Terminate,
    /// SIGHUP (the terminal closed).
    Hangup,
}

impl Stop {
    /// The exit code a shell reports for it: 128 + the signal number.
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
            Stop::Hangup => 129,
        }
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
            Stop::Hangup => "SIGHUP",
        })
    }
}

/// Waits for the first of SIGINT, SIGTERM and SIGHUP. Until this is first
/// called the signals keep their default action; from then on they are caught
/// for the life of the process (tokio's handlers stay installed), so call it
/// where the run can clean up.
pub async fn interrupted() -> Stop {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        // Without handlers the default actions apply; never report a signal.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => Stop::Interrupt,
        _ = term.recv() => Stop::Terminate,
        _ = hup.recv() => Stop::Hangup,
    }
}
