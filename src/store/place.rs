//! Where the progress store lives, and what happens when that place cannot be
//! written or disappears while workbook runs.
//!
//! - **Read-only.** When the store's folder cannot be written (a read-only
//!   course, a folder the student does not own), the store is copied — or,
//!   when there is none yet, created — in a private temp folder. Everything
//!   reads as usual and a run can even record as usual, but nothing outlives
//!   the run; the student is told so once ([`Notice::NotSaved`]).
//! - **Deleted mid-run.** An open `SQLite` file that is deleted keeps working
//!   on its own, unlinked copy, so whatever is written after the deletion
//!   would vanish silently. Before each write the store's file is compared
//!   with the one opened: when it is gone, the open copy is written back to
//!   its place (`VACUUM INTO`) with everything recorded so far
//!   ([`Notice::Restored`]); when it was moved aside by `progress
//!   --start-over`, or replaced by another workbook process, the new file is
//!   opened instead.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::STORE_FILE;
use crate::course::paths::{FileAction, failed};

/// Something the student should know about where progress goes; commands
/// show these (see [`crate::screens::notice`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The store's folder cannot be written: this run's progress is kept in a
    /// temp copy and lost at its end.
    NotSaved {
        /// The folder that cannot be written.
        dir: PathBuf,
        /// Why: permission denied, or a read-only file system.
        reason: std::io::ErrorKind,
    },
    /// The store's file was deleted during the run and was written back from
    /// the open copy, with everything recorded so far.
    Restored {
        /// The store's file.
        path: PathBuf,
    },
}

/// Which file a path names right now: device and inode, so a file deleted
/// and created again is told apart from the one opened. `None` when there is
/// no file.
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Some((0, 0))
    }
}

/// Whether the file known as `identity` now sits beside `path` as a backup
/// made by `progress --start-over` (`progress.db.<stamp>.bak`).
pub(super) fn moved_aside(path: &Path, identity: Option<(u64, u64)>) -> bool {
    let (Some(dir), Some(identity)) = (path.parent(), identity) else {
        return false;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with(&format!("{STORE_FILE}."))
            && name.ends_with(".bak")
            && super::place::identity(&entry.path()) == Some(identity)
    })
}

/// A private temp folder holding a copy of the store, removed when dropped.
#[derive(Debug)]
pub(super) struct TempCopy {
    dir: PathBuf,
}

impl TempCopy {
    /// Makes a fresh private folder and copies the store at `path` into it,
    /// with its write-ahead log, when there is one.
    pub(super) fn of(path: &Path) -> std::io::Result<TempCopy> {
        let copy = TempCopy { dir: fresh_dir()? };
        for suffix in ["", "-wal"] {
            let from = PathBuf::from(format!("{}{suffix}", path.display()));
            if from.is_file() {
                let to = copy.dir.join(format!("{STORE_FILE}{suffix}"));
                std::fs::copy(&from, &to).map_err(|e| failed(e, FileAction::Read, &from))?;
            }
        }
        Ok(copy)
    }

    /// The folder holding the copy.
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new folder under the system's temp folder that only this user can read.
fn fresh_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for attempt in 0..100u32 {
        let dir = base.join(format!(
            "workbook-progress-{}-{stamp}-{attempt}",
            std::process::id()
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => {
                return Err(failed(error, FileAction::Create, &dir));
            }
        }
    }
    Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temp_copy_holds_the_store_and_goes_away() {
        let source = tempfile::tempdir().unwrap();
        let path = source.path().join(STORE_FILE);
        std::fs::write(&path, b"db").unwrap();
        std::fs::write(source.path().join(format!("{STORE_FILE}-wal")), b"wal").unwrap();
        let copy = TempCopy::of(&path).unwrap();
        let dir = copy.dir().to_path_buf();
        assert_eq!(std::fs::read(dir.join(STORE_FILE)).unwrap(), b"db");
        assert_eq!(
            std::fs::read(dir.join(format!("{STORE_FILE}-wal"))).unwrap(),
            b"wal"
        );
        drop(copy);
        assert!(!dir.exists());
    }

    #[test]
    fn a_backup_made_by_starting_over_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        std::fs::write(&path, b"db").unwrap();
        let known = identity(&path);
        assert!(!moved_aside(&path, known), "still in place");
        std::fs::rename(&path, dir.path().join(format!("{STORE_FILE}.123.bak"))).unwrap();
        assert_eq!(identity(&path), None);
        assert!(moved_aside(&path, known));
        std::fs::write(&path, b"new").unwrap();
        assert!(!moved_aside(&path, identity(&path)));
    }
}
