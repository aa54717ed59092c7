//! A submission against the pristine course: which of its files grading
//! takes (each exercise's editable paths, the quiz answers files), and every
//! other difference, reported as tampering and otherwise ignored.
//!
//! Submissions are untrusted: links are never followed (a link where a file
//! should be is itself a difference, and is not installed), files are read up
//! to a size cap, and the walk stops after a fixed number of entries.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::course::{Course, Exercise, paths};

use super::model::{TamperKind, Tampering};

/// The largest file taken from a submission (an editable file, an answers file).
pub const MAX_FILE: u64 = 1024 * 1024;
/// The most entries walked in a submission before the rest is reported as one notice.
const MAX_ENTRIES: usize = 20_000;

/// Folders inside an exercise that belong to authors: never taken from a
/// submission, never installed into the graded copy.
pub const AUTHOR_FOLDERS: [&str; 3] = ["solution", "mistakes", "variants"];

/// Folders and files no comparison looks at: build output, version control,
/// the progress store, and the lock file cargo rewrites on its own.
fn ignored(relative: &Path) -> bool {
    let mut parts = relative.components();
    let first = parts.next();
    let named = |c: Option<Component<'_>>, names: &[&str]| {
        c.and_then(|c| c.as_os_str().to_str())
            .is_some_and(|n| names.contains(&n))
    };
    if relative
        .components()
        .any(|c| named(Some(c), &["target", ".git", ".workbook"]))
    {
        return true;
    }
    if named(first, &["quiz"]) && named(parts.next(), &["answers"]) {
        return true;
    }
    false
}

/// Whether grading compares `relative` with the course: the course's content
/// and the exercise crates (checks, manifests, the support crate), but not
/// the tool's own sources, which grading never uses from a submission.
fn compared(relative: &Path) -> bool {
    let Some(first) = relative.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    match first.as_ref() {
        "course.yaml" | "Cargo.toml" | "lessons" | "quiz" => relative != Path::new("quiz/answers"),
        // The crates inside `exercises/`, not the authors' notes beside them.
        "exercises" => relative.components().count() >= 3 && !author_only(relative),
        _ => false,
    }
}

/// Whether the folder `relative`, though not compared itself, holds compared
/// paths: a top-level folder, or a crate folder inside `exercises/`.
fn holds_compared(relative: &Path) -> bool {
    let depth = relative.components().count();
    depth == 1 || (depth == 2 && relative.starts_with("exercises"))
}

/// Whether `relative` is inside an exercise's author-only folder.
pub fn author_only(relative: &Path) -> bool {
    let parts: Vec<_> = relative.components().take(3).collect();
    parts.len() == 3
        && parts[0].as_os_str() == "exercises"
        && parts[2]
            .as_os_str()
            .to_str()
            .is_some_and(|n| AUTHOR_FOLDERS.contains(&n))
}

/// The editable paths of every exercise, relative to the course root.
pub fn editable_paths(course: &Course) -> BTreeSet<PathBuf> {
    course
        .exercises
        .iter()
        .flat_map(|e| {
            e.editable
                .iter()
                .map(move |p| Path::new("exercises").join(&e.id).join(p))
        })
        .collect()
}

/// A regular file of the submission, read whole if it is at most [`MAX_FILE`];
/// `None` when it is missing, a link, a folder or too large.
pub fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_FILE {
        return None;
    }
    std::fs::read(path).ok()
}

/// Copies each exercise's editable files from `source` into the course copy
/// at `copy`; a file the submission lacks (or holds as a link, or too large)
/// stays the starter. Returns the paths installed.
pub fn install(exercises: &[Exercise], source: &Path, copy: &Path) -> io::Result<Vec<PathBuf>> {
    let mut installed = Vec::new();
    for exercise in exercises {
        let from = source.join("exercises").join(&exercise.id);
        let to = copy.join("exercises").join(&exercise.id);
        for relative in &exercise.editable {
            // `inside` refuses paths that climb out or pass through links.
            let Ok(from) = paths::inside(&from, relative) else {
                continue;
            };
            let Some(bytes) = read_regular(&from) else {
                continue;
            };
            let target = paths::inside(&to, relative)?;
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| paths::failed(e, paths::FileAction::Create, dir))?;
            }
            std::fs::write(&target, bytes)
                .map_err(|e| paths::failed(e, paths::FileAction::Write, &target))?;
            installed.push(Path::new("exercises").join(&exercise.id).join(relative));
        }
    }
    Ok(installed)
}

/// What differs between the pristine course at `pristine` and the submission
/// at `source`, outside the editable paths. `expected` may give another
/// acceptable content for a path (the student edition's form of a file).
pub fn tampering(
    course: &Course,
    pristine: &Path,
    source: &Path,
    expected: &dyn Fn(&Path) -> Option<Vec<u8>>,
) -> Vec<Tampering> {
    let editable = editable_paths(course);
    let skip =
        |relative: &Path| ignored(relative) || !compared(relative) || editable.contains(relative);
    let mut theirs = Listing::default();
    theirs.walk(source, Path::new(""), &skip);
    let mut ours = Listing::default();
    ours.walk(pristine, Path::new(""), &skip);
    let mut found = Vec::new();
    for (relative, kind) in &theirs.entries {
        let shown = relative.to_string_lossy().replace('\\', "/");
        if !ours.entries.contains_key(relative) {
            found.push(Tampering {
                path: shown,
                kind: TamperKind::Added,
            });
            continue;
        }
        let same = *kind == EntryKind::File && {
            let mine = std::fs::read(pristine.join(relative)).ok();
            let submitted = read_regular(&source.join(relative));
            submitted.is_some() && (submitted == mine || submitted == expected(relative))
        };
        if !same && *kind != EntryKind::Folder {
            found.push(Tampering {
                path: shown,
                kind: TamperKind::Modified,
            });
        }
    }
    for (relative, kind) in &ours.entries {
        if *kind == EntryKind::File && !theirs.entries.contains_key(relative) {
            found.push(Tampering {
                path: relative.to_string_lossy().replace('\\', "/"),
                kind: TamperKind::Removed,
            });
        }
    }
    if theirs.truncated {
        found.push(Tampering {
            path: format!("(more than {MAX_ENTRIES} files: the rest was not compared)"),
            kind: TamperKind::Added,
        });
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// What an entry is, without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Folder,
    /// A link or anything else: never read.
    Other,
}

/// Entries under a folder, relative to it, links not followed.
#[derive(Debug, Default)]
struct Listing {
    entries: BTreeMap<PathBuf, EntryKind>,
    truncated: bool,
}

impl Listing {
    fn walk(&mut self, root: &Path, relative: &Path, skip: &dyn Fn(&Path) -> bool) {
        let Ok(read) = std::fs::read_dir(root.join(relative)) else {
            return;
        };
        let mut names: Vec<_> = read.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for name in names {
            if self.entries.len() >= MAX_ENTRIES {
                self.truncated = true;
                return;
            }
            let path = relative.join(&name);
            let Ok(meta) = std::fs::symlink_metadata(root.join(&path)) else {
                continue;
            };
            let kind = if meta.is_dir() {
                EntryKind::Folder
            } else if meta.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            // Folders above compared paths (`exercises`) are walked, not listed.
            if kind == EntryKind::Folder {
                if !ignored(&path) && (compared(&path) || holds_compared(&path)) {
                    if compared(&path) && !skip(&path) {
                        self.entries.insert(path.clone(), kind);
                    }
                    self.walk(root, &path, skip);
                }
                continue;
            }
            if !skip(&path) {
                self.entries.insert(path, kind);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_compared() {
        assert!(compared(Path::new("course.yaml")));
        assert!(compared(Path::new("lessons/a.yaml")));
        assert!(compared(Path::new("quiz/m.yaml")));
        assert!(compared(Path::new("exercises/x/tests/checks.rs")));
        assert!(compared(Path::new("exercises/support/src/lib.rs")));
        assert!(!compared(Path::new("exercises/x/solution/src/lib.rs")));
        assert!(!compared(Path::new("src/main.rs")));
        assert!(!compared(Path::new("README.md")));
        assert!(!compared(Path::new("exercises/README.md")));
        assert!(ignored(Path::new("quiz/answers/m.yaml")));
        assert!(ignored(Path::new("exercises/x/target/debug/foo")));
        assert!(author_only(Path::new("exercises/x/mistakes/a/src/lib.rs")));
        assert!(!author_only(Path::new("exercises/x/src/lib.rs")));
    }
}
