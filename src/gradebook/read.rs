//! Reading the RESULTS named on the command line: files, and folders of
//! `*.json` files (not recursive), in a stable order: the arguments as given,
//! each folder's files by name. A file is read only when it is a regular
//! file of at most [`MAX_FILE_BYTES`], and never more than that many bytes,
//! so a FIFO, a device or a file that grows cannot hang or exhaust the
//! gradebook. A path reached twice (the same folder given twice) is read once.

use std::collections::HashSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::notice::{FileProblem, Notice};
use super::result::{self, Document};

/// The largest result file read: 8 MiB (a real one is a few KiB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One file read and understood.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it was read from.
    pub file: PathBuf,
    /// What it holds.
    pub document: Document,
    /// The SHA-256 of its bytes, to tell identical duplicates.
    pub digest: [u8; 32],
}

/// Reads every path: files as they are, folders' `*.json` files. Files that
/// cannot be used become [`Notice::Unreadable`] in `notices`.
pub fn read_all(paths: &[PathBuf], notices: &mut Vec<Notice>) -> Vec<Loaded> {
    let mut seen = HashSet::new();
    let mut loaded = Vec::new();
    for path in paths {
        let files = match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => match folder(path) {
                Ok(files) => files,
                Err(error) => {
                    notices.push(unreadable(path, FileProblem::Io(error.to_string())));
                    continue;
                }
            },
            _ => vec![path.clone()],
        };
        for file in files {
            // A path that cannot be canonicalised is reported by `read_one`.
            let key = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if !seen.insert(key) {
                continue;
            }
            match read_one(&file) {
                Ok(one) => loaded.push(one),
                Err(problem) => notices.push(unreadable(&file, problem)),
            }
        }
    }
    loaded
}

/// A folder's `*.json` entries, sorted by name.
fn folder(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let is_json = Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

fn read_one(file: &Path) -> Result<Loaded, FileProblem> {
    let meta = fs::metadata(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FileProblem::NotFound,
        _ => FileProblem::Io(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(FileProblem::NotAFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge(meta.len()));
    }
    let mut bytes = Vec::new();
    fs::File::open(file)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| FileProblem::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // It grew while being read.
        return Err(FileProblem::TooLarge(bytes.len() as u64));
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let document = result::parse(&bytes, &stem)?;
    Ok(Loaded {
        file: file.to_path_buf(),
        document,
        digest: Sha256::digest(&bytes).into(),
    })
}

fn unreadable(file: &Path, problem: FileProblem) -> Notice {
    Notice::Unreadable {
        file: file.to_path_buf(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_read_flat_sorted_and_once() {
        let dir = tempfile::tempdir().unwrap();
        let result = |id: &str| {
            format!(r#"{{"format_version": 1, "submission": "{id}", "score": 50, "letter": "C"}}"#)
        };
        fs::write(dir.path().join("b.json"), result("b")).unwrap();
        fs::write(dir.path().join("a.json"), result("a")).unwrap();
        fs::write(dir.path().join("notes.txt"), "not read").unwrap();
        fs::create_dir(dir.path().join("deeper")).unwrap();
        fs::write(dir.path().join("deeper/c.json"), result("c")).unwrap();
        let mut notices = Vec::new();
        let paths = [dir.path().to_path_buf(), dir.path().join("a.json")];
        let loaded = read_all(&paths, &mut notices);
        let names: Vec<_> = loaded.iter().map(|l| l.file.file_name().unwrap()).collect();
        assert_eq!(names, ["a.json", "b.json"]);
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn a_large_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.json");
        let file = fs::File::create(&big).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let mut notices = Vec::new();
        assert!(read_all(std::slice::from_ref(&big), &mut notices).is_empty());
        assert_eq!(
            notices,
            [Notice::Unreadable {
                file: big,
                problem: FileProblem::TooLarge(MAX_FILE_BYTES + 1)
            }]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let mut notices = Vec::new();
        assert!(read_all(&[dir.path().to_path_buf()], &mut notices).is_empty());
        assert!(matches!(
            &notices[..],
            [Notice::Unreadable {
                problem: FileProblem::NotAFile,
                ..
            }]
        ));
    }
}
