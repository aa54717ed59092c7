//! Fingerprints that make a batch resumable: a submission already graded is
//! skipped when neither it nor the course nor the grader changed since.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::course::Course;

/// The most files hashed in one folder tree.
const MAX_FILES: usize = 20_000;
/// The largest file hashed by content (larger ones by size only).
const MAX_CONTENT: u64 = 4 * 1024 * 1024;

/// What grading depends on in the course: the grader's version, the
/// manifest, the quiz banks and the exercise crates (checks, support crate).
pub fn course(course: &Course) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in [
        "course.yaml",
        "Cargo.toml",
        "Cargo.lock",
        "quiz",
        "exercises",
        "lessons",
    ] {
        tree(&mut hash, &course.root, Path::new(part), &mut 0);
    }
    hex(&hash.finalize())
}

/// Everything in the submission at `dir` (its editable files, answers and
/// anything that counts as tampering), with the course's fingerprint.
pub fn submission(dir: &Path, course_print: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(course_print.as_bytes());
    tree(&mut hash, dir, Path::new(""), &mut 0);
    hex(&hash.finalize())
}

/// Whether `out` holds a result for `id` made from exactly `print`.
pub fn unchanged(out: &Path, id: &str, print: &str) -> bool {
    let stem = super::file_stem(id);
    out.join(format!("{stem}.json")).is_file()
        && std::fs::read_to_string(out.join(format!("{stem}.fingerprint")))
            .is_ok_and(|p| p == print)
}

/// Hashes the tree at `root/relative`: paths, kinds and contents, in name
/// order; links are hashed as their target text, never followed.
fn tree(hash: &mut Sha256, root: &Path, relative: &Path, count: &mut usize) {
    let path = root.join(relative);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return;
    };
    *count += 1;
    if *count > MAX_FILES {
        return;
    }
    hash.update(relative.to_string_lossy().as_bytes());
    hash.update([0]);
    if meta.is_file() {
        hash.update(meta.len().to_le_bytes());
        if meta.len() <= MAX_CONTENT
            && let Ok(bytes) = std::fs::read(&path)
        {
            hash.update(&bytes);
        }
    } else if meta.file_type().is_symlink() {
        hash.update(b"link:");
        hash.update(
            std::fs::read_link(&path)
                .unwrap_or_default()
                .to_string_lossy()
                .as_bytes(),
        );
    } else if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            return;
        };
        let mut names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for name in names {
            if matches!(name.to_str(), Some("target" | ".git" | ".workbook")) {
                continue;
            }
            tree(hash, root, &relative.join(name), count);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
