//! Isolation of check processes with bubblewrap (`bwrap`).
//!
//! A sandboxed check sees the machine read-only, with the course folder
//! hidden except its own exercise (and in that, not the reference solution,
//! the checks' sources or the mistake fixtures); it can write only its scratch
//! folder; it has no network (only a loopback of its own) unless its Postgres
//! server is reached over TCP; it lives in its own PID namespace, so that
//! nothing it starts outlives it, and in a new session, so that it cannot push
//! keys into the terminal. The environment is reduced by the supervisor, not
//! here.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Folders inside an exercise that a check process never needs to see.
pub const HIDDEN_IN_EXERCISE: [&str; 5] = ["solution", "tests", "mistakes", "variants", "target"];

/// A bubblewrap that was found to work on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    bwrap: PathBuf,
}

/// Why no sandbox can be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxError {
    /// `bwrap` is not installed.
    Missing,
    /// `bwrap` is installed but cannot make a sandbox here (e.g. user
    /// namespaces are disabled); its own words.
    Broken(String),
}

impl std::fmt::Display for SandboxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SandboxError::Missing => f.write_str(
                "bubblewrap (`bwrap`) is not installed: install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`) to isolate check processes",
            ),
            SandboxError::Broken(why) => write!(f, "bubblewrap cannot make a sandbox here: {why}"),
        }
    }
}

impl std::error::Error for SandboxError {}

/// What one sandboxed check may see and touch.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    /// The course (or submission copy) root: hidden, except `exercise_dir`.
    pub course_root: PathBuf,
    /// The exercise folder, visible read-only (without [`HIDDEN_IN_EXERCISE`]).
    pub exercise_dir: PathBuf,
    /// The check binary, visible read-only.
    pub binary: PathBuf,
    /// The only writable folder.
    pub scratch_dir: PathBuf,
    /// More folders to hide entirely (e.g. other submissions of a batch).
    pub hide: Vec<PathBuf>,
    /// Folders to show read-only (e.g. a Postgres socket folder).
    pub show: Vec<PathBuf>,
    /// Keep the machine's network (a Postgres server reached over TCP).
    pub network: bool,
}

impl Sandbox {
    /// Finds `bwrap` on `PATH` and makes sure it can build a sandbox.
    pub fn detect() -> Result<Sandbox, SandboxError> {
        let bwrap = find_on_path("bwrap").ok_or(SandboxError::Missing)?;
        let probe = Command::new(&bwrap)
            .args([
                "--unshare-pid",
                "--unshare-net",
                "--die-with-parent",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "true",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| SandboxError::Broken(e.to_string()))?;
        if probe.status.success() {
            Ok(Sandbox { bwrap })
        } else {
            Err(SandboxError::Broken(
                String::from_utf8_lossy(&probe.stderr).trim().to_owned(),
            ))
        }
    }

    /// The program to run in place of the check binary.
    pub fn program(&self) -> &Path {
        &self.bwrap
    }

    /// `bwrap`'s arguments for `confinement`, up to and including `--`; the
    /// check binary and its arguments follow.
    pub fn args(&self, c: &Confinement) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        let mut push = |words: &[&std::ffi::OsStr]| {
            args.extend(words.iter().map(|w| (*w).to_owned()));
        };
        push(&[
            "--die-with-parent".as_ref(),
            "--new-session".as_ref(),
            "--unshare-pid".as_ref(),
            "--unshare-ipc".as_ref(),
            "--unshare-uts".as_ref(),
            "--unshare-cgroup-try".as_ref(),
        ]);
        if !c.network {
            push(&["--unshare-net".as_ref()]);
        }
        push(&[
            "--ro-bind".as_ref(),
            "/".as_ref(),
            "/".as_ref(),
            "--dev".as_ref(),
            "/dev".as_ref(),
            "--proc".as_ref(),
            "/proc".as_ref(),
            "--tmpfs".as_ref(),
            "/tmp".as_ref(),
        ]);
        // Later mounts cover earlier ones: hide the course, then show the
        // exercise, then hide what the exercise must not reveal.
        let mut covered: Vec<PathBuf> = Vec::new();
        for hidden in std::iter::once(&c.course_root).chain(&c.hide) {
            if hidden.is_dir() {
                push(&["--tmpfs".as_ref(), hidden.as_os_str()]);
                covered.push(hidden.clone());
            }
        }
        push(&[
            "--ro-bind".as_ref(),
            c.exercise_dir.as_os_str(),
            c.exercise_dir.as_os_str(),
        ]);
        for name in HIDDEN_IN_EXERCISE {
            let inner = c.exercise_dir.join(name);
            if inner.is_dir() {
                push(&["--tmpfs".as_ref(), inner.as_os_str()]);
                covered.push(inner);
            }
        }
        for shown in &c.show {
            push(&["--ro-bind".as_ref(), shown.as_os_str(), shown.as_os_str()]);
        }
        push(&[
            "--ro-bind".as_ref(),
            c.binary.as_os_str(),
            c.binary.as_os_str(),
            "--bind".as_ref(),
            c.scratch_dir.as_os_str(),
            c.scratch_dir.as_os_str(),
        ]);
        // The empty folders that hide things are read-only too, once every
        // mount point inside them exists: writes there would only fill memory.
        for hidden in &covered {
            push(&["--remount-ro".as_ref(), hidden.as_os_str()]);
        }
        push(&[
            "--chdir".as_ref(),
            c.exercise_dir.as_os_str(),
            "--".as_ref(),
            c.binary.as_os_str(),
        ]);
        args
    }
}

/// The first executable called `name` on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The folder of a Postgres unix socket named in a URL (`host=/dir` or a
/// percent-encoded path as the host), if it is one.
pub fn socket_folder(url: &str) -> Option<PathBuf> {
    let query_host = url.split_once('?').and_then(|(_, query)| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("host="))
            .map(percent_decode)
    });
    let authority_host = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?']).next().unwrap_or(""))
        .map(|auth| auth.rsplit('@').next().unwrap_or(""))
        // `%2Ftmp%2Fsock:5432`: the port only names the socket file.
        .map(|host| match host.rsplit_once(':') {
            Some((path, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                path
            }
            _ => host,
        })
        .map(percent_decode);
    [query_host, authority_host]
        .into_iter()
        .flatten()
        .find(|h| h.starts_with('/'))
        .map(PathBuf::from)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_folders_are_found_in_either_spelling() {
        assert_eq!(
            socket_folder("postgres://u:p@/db?host=/tmp/wb-pg/sock"),
            Some(PathBuf::from("/tmp/wb-pg/sock"))
        );
        assert_eq!(
            socket_folder("postgres://u:p@%2Ftmp%2Fsock/db"),
            Some(PathBuf::from("/tmp/sock"))
        );
        assert_eq!(
            socket_folder("postgres://u:p@%2Ftmp%2Fwb%2Dpg%2Fsocket:5432/db?sslmode=prefer"),
            Some(PathBuf::from("/tmp/wb-pg/socket"))
        );
        assert_eq!(socket_folder("postgres://u:p@localhost:5432/db"), None);
    }
}
