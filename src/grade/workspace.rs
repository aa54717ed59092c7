//! Where a grading builds and runs: a folder that stays the same from one
//! grading of the same submission (or of the same batch slot) to the next,
//! so cargo rebuilds only what changed.
//!
//! The graded copy is first put together in a fresh staging folder (the
//! pristine course, the student's files, the versions of its own), then
//! synchronised into the lasting folder file by file: a file whose content
//! is unchanged is left alone (its modification time too), every changed
//! file is written now, so it is newer than any earlier build, and files
//! that are no longer wanted are removed. Cargo, which compares modification
//! times, then sees exactly the files whose content changed: the same rule
//! as editing in place, never a stale binary.
//!
//! One grading at a time uses a lasting folder (a lock file beside it); a
//! second one at the same moment gets a fresh folder of its own.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::model::Style;
use crate::course::copy::TempDir;
use crate::course::paths;

/// The most lasting folders per course: gradings at once beyond this many
/// get fresh folders (and build from scratch).
const SLOTS: usize = 64;

/// The folder a grading builds in.
pub struct Workspace {
    dir: PathBuf,
    slot: String,
    /// Held while the lasting folder is in use.
    _lock: Option<File>,
    /// A fresh folder when every lasting one is busy; removed on drop.
    _fresh: Option<TempDir>,
}

impl Workspace {
    /// A lasting folder for grading the course at `pristine` that no other
    /// grading is using now (the first free of its slots), or a fresh one.
    pub fn acquire(pristine: &Path) -> io::Result<Workspace> {
        let digest = Sha256::digest(pristine.as_os_str().as_encoded_bytes());
        let course = digest[..6].iter().fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        });
        let temp = std::env::temp_dir();
        for slot in 1..=SLOTS {
            let name = format!("workbook-grade-{course}-{slot}");
            let lock = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(temp.join(format!("{name}.lock")));
            if let Ok(lock) = lock
                && lock.try_lock().is_ok()
            {
                let dir = temp.join(&name);
                std::fs::create_dir_all(&dir)
                    .map_err(|e| paths::failed(e, paths::FileAction::Create, &dir))?;
                return Ok(Workspace {
                    dir,
                    slot: format!("grade-{slot}"),
                    _lock: Some(lock),
                    _fresh: None,
                });
            }
        }
        let fresh = TempDir::new("grade")?;
        let stamp = fresh.path().file_name().map_or_else(String::new, |n| {
            n.to_string_lossy()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "")
        });
        Ok(Workspace {
            dir: fresh.path().to_path_buf(),
            slot: format!("grade-{stamp}"),
            _lock: None,
            _fresh: Some(fresh),
        })
    }

    /// The version suffix the crates of this folder build under: cargo names
    /// a workspace member's artifacts by its path within the workspace, so
    /// each folder needs versions of its own in the shared target folder.
    pub fn version_suffix(&self) -> &str {
        &self.slot
    }

    /// Makes the folder hold exactly the files of `staging`.
    pub fn fill(&self, staging: &Path) -> io::Result<()> {
        sync(staging, &self.dir)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The style measured when the graded files last had the content that
    /// `key` digests, if this folder remembers it.
    pub fn remembered_style(&self, key: &str) -> Option<Style> {
        let text = std::fs::read_to_string(self.dir.join(NOTES).join("style.json")).ok()?;
        let (noted, style): (String, Style) = serde_json::from_str(&text).ok()?;
        (noted == key).then_some(style)
    }

    /// Remembers the style measured for `key`.
    pub fn remember_style(&self, key: &str, style: &Style) {
        let notes = self.dir.join(NOTES);
        if std::fs::create_dir_all(&notes).is_ok()
            && let Ok(text) = serde_json::to_string(&(key, style))
        {
            let _ = std::fs::write(notes.join("style.json"), text);
        }
    }
}

/// A digest of everything style depends on: every file under `exercises/` in
/// the staging folder (the student's files and the crates around them).
pub fn style_key(staging: &Path) -> String {
    let mut all = BTreeSet::new();
    let _ = files(staging, Path::new("exercises"), &mut all);
    let mut hash = Sha256::new();
    for relative in all {
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(staging.join(&relative)).unwrap_or_default());
        hash.update([0]);
    }
    hash.finalize().iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The folder of the workspace's own notes (kept by the sync): the build
/// cache of `runner::build`, the lock file the course came with, style.
const NOTES: &str = crate::store::STORE_DIR;

/// Makes `to` hold exactly the files of `from`, writing only what differs.
/// Two exceptions keep the build cache useful: the notes folder stays, and
/// `Cargo.lock` (which cargo rewrites for the copy's own versions) is only
/// replaced when the course's own lock file changed.
fn sync(from: &Path, to: &Path) -> io::Result<()> {
    let mut wanted = BTreeSet::new();
    files(from, Path::new(""), &mut wanted)?;
    let lock = Path::new("Cargo.lock");
    if wanted.remove(lock) {
        let course_lock = std::fs::read(from.join(lock)).unwrap_or_default();
        let noted = to.join(NOTES).join("course-Cargo.lock");
        let same = std::fs::read(&noted).is_ok_and(|b| b == course_lock) && to.join(lock).is_file();
        if !same {
            std::fs::create_dir_all(to.join(NOTES))
                .map_err(|e| paths::failed(e, paths::FileAction::Create, to))?;
            std::fs::write(to.join(lock), &course_lock)
                .map_err(|e| paths::failed(e, paths::FileAction::Write, to))?;
            std::fs::write(&noted, &course_lock)
                .map_err(|e| paths::failed(e, paths::FileAction::Write, &noted))?;
        }
    }
    for relative in &wanted {
        let source = from.join(relative);
        let target = to.join(relative);
        let bytes = std::fs::read(&source)
            .map_err(|e| paths::failed(e, paths::FileAction::Read, &source))?;
        // A link or folder where a file should be is replaced.
        let meta = std::fs::symlink_metadata(&target);
        if meta.as_ref().is_ok_and(std::fs::Metadata::is_file)
            && std::fs::read(&target).is_ok_and(|b| b == bytes)
        {
            continue;
        }
        if meta.is_ok() {
            remove(&target);
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| paths::failed(e, paths::FileAction::Create, dir))?;
        }
        std::fs::write(&target, &bytes)
            .map_err(|e| paths::failed(e, paths::FileAction::Write, &target))?;
    }
    let mut present = BTreeSet::new();
    files(to, Path::new(""), &mut present)?;
    for stale in present.difference(&wanted) {
        if stale.starts_with(NOTES) || stale == lock {
            continue;
        }
        remove(&to.join(stale));
    }
    Ok(())
}

fn remove(path: &Path) {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_dir_all(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// Every file (and link) under `root/relative`, relative to `root`; folders
/// are walked, links never followed.
fn files(root: &Path, relative: &Path, out: &mut BTreeSet<PathBuf>) -> io::Result<()> {
    let dir = root.join(relative);
    let entries =
        std::fs::read_dir(&dir).map_err(|e| paths::failed(e, paths::FileAction::Read, &dir))?;
    for entry in entries.flatten() {
        let path = relative.join(entry.file_name());
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => files(root, &path, out)?,
            Ok(_) => {
                out.insert(path);
            }
            Err(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn only_changed_files_are_written_and_stale_ones_go() {
        let base = tempfile::tempdir().unwrap();
        let (stage, lasting) = (base.path().join("stage"), base.path().join("lasting"));
        write(&stage.join("a/same.rs"), "same");
        write(&stage.join("a/changes.rs"), "one");
        write(&stage.join("gone.rs"), "x");
        sync(&stage, &lasting).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for file in ["a/same.rs", "a/changes.rs"] {
            File::options()
                .write(true)
                .open(lasting.join(file))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        write(&stage.join("a/changes.rs"), "two");
        std::fs::remove_file(stage.join("gone.rs")).unwrap();
        sync(&stage, &lasting).unwrap();
        let modified = |file: &str| {
            std::fs::metadata(lasting.join(file))
                .unwrap()
                .modified()
                .unwrap()
        };
        assert_eq!(
            modified("a/same.rs"),
            old,
            "unchanged content keeps its time"
        );
        assert!(
            modified("a/changes.rs") > old,
            "changed content is newer than any build"
        );
        assert_eq!(
            std::fs::read_to_string(lasting.join("a/changes.rs")).unwrap(),
            "two"
        );
        assert!(!lasting.join("gone.rs").exists());
    }

    #[test]
    fn gradings_at_once_get_folders_and_versions_of_their_own() {
        let course = tempfile::tempdir().unwrap();
        let first = Workspace::acquire(course.path()).unwrap();
        let second = Workspace::acquire(course.path()).unwrap();
        assert_ne!(first.path(), second.path());
        assert_ne!(first.version_suffix(), second.version_suffix());
        let kept = first.path().to_path_buf();
        drop(first);
        let again = Workspace::acquire(course.path()).unwrap();
        assert_eq!(again.path(), kept, "a freed folder is used again");
    }
}
