//! The process exit codes, documented in one place.

/// Everything went as asked.
pub const OK: u8 = 0;
/// The command ran, but the student's work did not pass (checks failed, quiz below
/// the pass mark, a blank answered wrongly in scripted mode).
pub const NOT_PASSED: u8 = 1;
/// Bad usage or bad course content: an unknown flag or id, a YAML error.
pub const USAGE: u8 = 2;
/// The environment is in the way: unreadable files, a damaged progress store,
/// a missing database server.
pub const ENVIRONMENT: u8 = 3;

/// The run was interrupted with Ctrl-C (the shell's convention, 128 + SIGINT).
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (`kill`, `timeout`, a cancelled CI job): 128 + 15.
pub const TERMINATED: u8 = 143;
/// The terminal closed (SIGHUP): 128 + 1.
pub const HANGUP: u8 = 129;

/// The exit codes as shown at the end of `workbook --help`.
pub const HELP: &str = "\
Exit codes:
  0    ok
  1    not passed (failed checks, a quiz below the pass mark, a wrong answer)
  2    usage or course content error
  3    environment problem (unreadable files, damaged progress store, no database)
  129  the terminal closed (SIGHUP)
  130  interrupted (Ctrl-C)
  143  stopped (SIGTERM)";
