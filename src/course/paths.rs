//! Where the workbook may read and write an exercise's files.
//!
//! The `editable` paths of an `exercise.yaml` decide which files `reset`,
//! `solution` and `dev verify` copy over, so they are checked twice. As written
//! ([`editable_problem`]): relative, inside the exercise, and not one of the files
//! that decide the verdict or the build (the checks, the snapshots, the
//! reference solution, `Cargo.toml`…). On disk, right before a file is touched
//! ([`inside`]): every part of the path that exists is followed, links included,
//! and must stay inside the folder, so a link a student plants in place of
//! `src/lib.rs` cannot make the workbook write anywhere else.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The parts of an exercise folder a student must not edit: what decides the
/// verdict (checks, snapshots, metadata) or the build (manifest, build script,
/// cargo configuration), and the copies the workbook restores from.
const PROTECTED: [(&str, &str); 10] = [
    ("tests", "the protected checks"),
    ("snapshots", "the checks' snapshots"),
    ("solution", "the reference solution"),
    ("starter", "the starter copy"),
    ("exercise.yaml", "the exercise's metadata"),
    ("Cargo.toml", "the crate's manifest"),
    ("Cargo.lock", "the crate's lock file"),
    ("build.rs", "the crate's build script"),
    (".cargo", "cargo's configuration"),
    ("target", "the build output"),
];

/// What is wrong with an editable path as written in `exercise.yaml`, if
/// anything, as a lowercase sentence fragment.
pub fn editable_problem(path: &str) -> Option<String> {
    const LIKE: &str = "like `src/lib.rs`";
    if path.is_empty() {
        return Some(format!(
            "an editable path cannot be empty; name a file in the exercise, {LIKE}"
        ));
    }
    if path.contains('\\') {
        return Some(format!(
            "`{path}` contains `\\`; separate folders with `/`, {LIKE}"
        ));
    }
    let has_drive = path.len() > 1 && path.as_bytes()[1] == b':';
    if path.starts_with('/') || Path::new(path).is_absolute() || has_drive {
        return Some(format!(
            "`{path}` is an absolute path; editable paths are relative to the exercise folder, {LIKE}"
        ));
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts.contains(&"..") {
        return Some(format!(
            "`{path}` leaves the exercise folder through `..`; editable files are inside it, {LIKE}"
        ));
    }
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        return Some(format!(
            "`{path}` has an empty or `.` part; write the path plainly, {LIKE}"
        ));
    }
    let first = parts[0];
    let (name, what) = PROTECTED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(first))?;
    let place = if parts.len() > 1 {
        format!("`{path}` is inside `{name}/`, {what}")
    } else {
        format!("`{path}` is {what}")
    };
    Some(format!("{place}; a student must not edit it"))
}

/// Why a path was refused: the path and what is wrong with it.
#[derive(Debug)]
struct Refused {
    path: PathBuf,
    reason: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot use {}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for Refused {}

fn refuse(path: PathBuf, reason: impl Into<String>) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        Refused {
            path,
            reason: reason.into(),
        },
    )
}

/// What is wrong, for an error from [`inside`], without the path it names
/// (for messages that name the file already); any other error as it reads.
pub fn reason(error: &io::Error) -> String {
    error
        .get_ref()
        .and_then(|e| e.downcast_ref::<Refused>())
        .map_or_else(|| error.to_string(), |r| r.reason.clone())
}

/// `dir/relative`, once it is sure to stay inside `dir`: `relative` passes
/// [`editable_problem`], and every part of it that exists on disk, followed
/// through links, resolves inside `dir` (a link whose target is missing is
/// refused too, since writing through it would create that target). The path
/// is returned as joined, not resolved, so messages show it as the course does.
pub fn inside(dir: &Path, relative: &str) -> io::Result<PathBuf> {
    let joined = dir.join(relative);
    if let Some(problem) = editable_problem(relative) {
        return Err(refuse(joined, problem));
    }
    let root = std::fs::canonicalize(dir).map_err(|e| failed(e, FileAction::Open, dir))?;
    let mut at = dir.to_path_buf();
    for part in Path::new(relative).components() {
        let Component::Normal(part) = part else {
            return Err(refuse(joined, "not a plain relative path"));
        };
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            // Nothing there yet: what gets created below is an ordinary folder or file.
            break;
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        let link = if at == joined {
            "it".to_owned()
        } else {
            let folder = at.strip_prefix(dir).unwrap_or(&at);
            format!("its folder `{}`", folder.display())
        };
        let target = std::fs::read_link(&at).unwrap_or_default();
        let Ok(resolved) = std::fs::canonicalize(&at) else {
            return Err(refuse(
                joined,
                format!(
                    "{link} is a link to {}, which does not exist",
                    target.display()
                ),
            ));
        };
        let Ok(within) = resolved.strip_prefix(&root) else {
            return Err(refuse(
                joined,
                format!(
                    "{link} is a link to {}, outside {}",
                    resolved.display(),
                    dir.display()
                ),
            ));
        };
        // A link inside the folder must not lead to a protected file either.
        let within = within.to_string_lossy().replace('\\', "/");
        if let Some(problem) = (!within.is_empty())
            .then(|| editable_problem(&within))
            .flatten()
        {
            return Err(refuse(joined, format!("{link} is a link: {problem}")));
        }
    }
    Ok(joined)
}

/// What was being done to a path when an I/O error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Reading a file or listing a folder.
    Read,
    /// Writing a file.
    Write,
    /// Creating a file or folder.
    Create,
    /// Opening a file or folder (following it to where it really is).
    Open,
    /// Moving or renaming.
    Move,
}

impl FileAction {
    /// `cannot read`, in English.
    pub fn cannot(self) -> &'static str {
        match self {
            FileAction::Read => "cannot read",
            FileAction::Write => "cannot write",
            FileAction::Create => "cannot create",
            FileAction::Open => "cannot open",
            FileAction::Move => "cannot move",
        }
    }
}

/// An I/O error with the path it happened on and what was being done, kept
/// typed inside an [`io::Error`] so the message can be shown in the student's
/// language ([`crate::error::Error::File`]).
#[derive(Debug)]
pub struct PathError {
    /// What was being done.
    pub action: FileAction,
    /// The file or folder.
    pub path: PathBuf,
    /// What the system said.
    pub source: io::Error,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.action.cannot(),
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for PathError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// An I/O error that names its path and what was being done, typed:
/// `cannot read /x/y: No such file or directory` in English.
pub fn failed(error: io::Error, action: FileAction, path: &Path) -> io::Error {
    let kind = error.kind();
    // Already named (a nested helper failed): keep the innermost, most precise path.
    if error
        .get_ref()
        .is_some_and(<dyn std::error::Error + Send + Sync>::is::<PathError>)
    {
        return error;
    }
    io::Error::new(
        kind,
        PathError {
            action,
            path: path.to_path_buf(),
            source: error,
        },
    )
}

/// An I/O error that names its path: `cannot read /x/y: No such file or
/// directory`. The message is English only; prefer [`failed`].
pub fn with_path(error: &io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("{action} {}: {error}", path.display()),
    )
}

/// Copies a file, creating the folders it goes into; errors name both paths.
pub fn copy(from: &Path, to: &Path) -> io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| failed(e, FileAction::Create, dir))?;
    }
    // Reading the source is what usually fails (it is missing); name it, and
    // the target when the source is fine.
    std::fs::copy(from, to).map(|_| ()).map_err(|e| {
        let action = if from.is_file() {
            FileAction::Write
        } else {
            FileAction::Read
        };
        failed(e, action, if from.is_file() { to } else { from })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_are_editable() {
        for path in [
            "src/lib.rs",
            "src/queries/found.sql",
            "migrations/001.sql",
            "lib.rs",
        ] {
            assert_eq!(editable_problem(path), None, "{path}");
        }
    }

    #[test]
    fn paths_out_of_the_exercise_are_refused() {
        for (path, says) in [
            ("/etc/passwd", "absolute"),
            ("C:/x.rs", "absolute"),
            ("../other/src/lib.rs", "`..`"),
            ("src/../../x", "`..`"),
            ("src\\lib.rs", "`\\`"),
            ("", "empty"),
            ("./src/lib.rs", "`.` part"),
            ("src//lib.rs", "empty or"),
        ] {
            let problem = editable_problem(path).unwrap_or_default();
            assert!(problem.contains(says), "{path}: {problem}");
        }
    }

    #[test]
    fn the_files_that_decide_the_verdict_are_refused() {
        assert_eq!(
            editable_problem("tests/checks.rs").as_deref(),
            Some(
                "`tests/checks.rs` is inside `tests/`, the protected checks; a student must not edit it"
            )
        );
        assert_eq!(
            editable_problem("exercise.yaml").as_deref(),
            Some("`exercise.yaml` is the exercise's metadata; a student must not edit it")
        );
        for path in [
            "Cargo.toml",
            "cargo.toml",
            "snapshots/a.snap",
            "solution/src/lib.rs",
            "starter/src/lib.rs",
            "Tests/checks.rs",
            "build.rs",
            ".cargo/config.toml",
        ] {
            assert!(editable_problem(path).is_some(), "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("precious.txt");
        std::fs::write(&target, "keep me").unwrap();
        let exercise = tempfile::tempdir().unwrap();
        let dir = exercise.path();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("tests")).unwrap();

        std::os::unix::fs::symlink(&target, dir.join("src/lib.rs")).unwrap();
        let error = inside(dir, "src/lib.rs").unwrap_err().to_string();
        assert!(
            error.contains("is a link to") && error.contains("outside"),
            "{error}"
        );

        std::os::unix::fs::symlink(outside.path(), dir.join("linked")).unwrap();
        assert!(inside(dir, "linked/precious.txt").is_err());

        std::os::unix::fs::symlink(outside.path().join("gone"), dir.join("src/gone.rs")).unwrap();
        let error = inside(dir, "src/gone.rs").unwrap_err().to_string();
        assert!(error.contains("does not exist"), "{error}");

        std::os::unix::fs::symlink(dir.join("tests/checks.rs"), dir.join("src/sneaky.rs")).unwrap();
        std::fs::write(dir.join("tests/checks.rs"), "").unwrap();
        let error = inside(dir, "src/sneaky.rs").unwrap_err().to_string();
        assert!(error.contains("protected checks"), "{error}");

        std::fs::write(dir.join("src/real.rs"), "").unwrap();
        assert_eq!(inside(dir, "src/real.rs").unwrap(), dir.join("src/real.rs"));
        assert_eq!(
            inside(dir, "src/new/file.rs").unwrap(),
            dir.join("src/new/file.rs")
        );
        assert!(inside(dir, "/etc/passwd").is_err());
        assert!(inside(dir, "../x").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }
}
