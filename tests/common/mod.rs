//! Helpers shared by the integration tests: course copies in temp folders and
//! the real `workbook` binary with a clean environment.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod workspace;

/// The folder of test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a folder recursively, leaving out `.workbook/`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == ".workbook" {
            continue;
        }
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temp copy of the base fixture course, with `overlay` (a folder of files
/// that replace or add to the base) applied.
pub fn course(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("base"), dir.path());
    if let Some(overlay) = overlay {
        copy_dir(overlay, dir.path());
    }
    dir
}

/// A temp copy of the shipped course (the repository's own content).
pub fn shipped_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("course.yaml"), dir.path().join("course.yaml")).unwrap();
    for folder in ["lessons", "quiz", "exercises"] {
        if root.join(folder).is_dir() {
            copy_dir(&root.join(folder), &dir.path().join(folder));
        }
    }
    dir
}

/// The real binary, run in `dir`, with the language and colour environment
/// cleared and `--color never`.
pub fn workbook(dir: &Path) -> Command {
    let mut cmd = workbook_coloured(dir);
    cmd.arg("--color").arg("never");
    cmd
}

/// The real binary with a clean environment and no `--color` flag.
pub fn workbook_coloured(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.current_dir(dir)
        .env_remove("WORKBOOK_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    cmd
}

/// Runs a command and renders what it did: exit code, stdout and stderr, with
/// the temp folder replaced by `[COURSE]`.
pub fn run(cmd: &mut Command, dir: &Path) -> String {
    let output = cmd.output().unwrap();
    render(&output, dir)
}

/// Renders an output for a snapshot.
pub fn render(output: &Output, dir: &Path) -> String {
    let redact = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        let dir = dir.to_string_lossy();
        let canonical = dir_canonical(dir.as_ref());
        text.replace(&canonical, "[COURSE]")
            .replace(dir.as_ref(), "[COURSE]")
    };
    let mut out = format!(
        "exit: {}\n",
        output
            .status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string())
    );
    let stdout = redact(&output.stdout);
    let stderr = redact(&output.stderr);
    if !stdout.is_empty() {
        out.push_str("--- stdout\n");
        out.push_str(&stdout);
    }
    if !stderr.is_empty() {
        out.push_str("--- stderr\n");
        out.push_str(&stderr);
    }
    out
}

fn dir_canonical(dir: &str) -> String {
    std::fs::canonicalize(dir).map_or_else(|_| dir.to_owned(), |p| p.to_string_lossy().into_owned())
}

/// The exit code of a finished command.
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// rexpect reads the terminal byte by byte as Latin-1; expected text is
/// encoded the same way so that Cyrillic and arrows match.
pub fn latin1(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Waits for `text` on a pseudo-terminal's screen.
pub fn expect(p: &mut rexpect::session::PtySession, text: &str) {
    if let Err(error) = p.exp_string(&latin1(text)) {
        panic!("expected {text:?} on the screen: {error}");
    }
}

/// Types keys; the session's writer is line-buffered, so flush every time.
pub fn key(p: &mut rexpect::session::PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}
