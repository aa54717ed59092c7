//! Copies of the course: what `dev verify` runs the solutions and fixtures in,
//! and what `grade` installs a submission into. Plain files only: a link is
//! followed when it stays inside the course and refused otherwise, so a copy
//! never reads or writes outside the course.

use std::io;
use std::path::{Path, PathBuf};

use super::paths::{self, FileAction, failed};

/// The manifest with `-<suffix>` added to its package version.
pub fn with_version_suffix(manifest: &str, suffix: &str) -> String {
    let mut in_package = false;
    let mut out = String::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        }
        if in_package && trimmed.starts_with("version") && trimmed.ends_with('"') {
            out.push_str(line.trim_end().trim_end_matches('"'));
            out.push('-');
            out.push_str(suffix);
            out.push_str("\"\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Copies the course at `root` (resolved) to `to`. Links are followed when they
/// lead to something inside the course, so the copy holds plain files; any
/// other link stops the copy with a message that names it, since the copy must
/// not read or write outside the course. `keep` is asked about every path
/// (relative to the course root) before it is copied.
pub fn copy_tree(root: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    let walk = Walk { root, keep };
    walk.folder(root, to, &mut vec![root.to_path_buf()])
}

/// One copy in progress.
struct Walk<'a> {
    root: &'a Path,
    keep: &'a dyn Fn(&Path) -> bool,
}

/// Copies the folder `from` (resolved) to `to`; `open` holds the resolved
/// folders being copied around it, so a link back to one of them (which would
/// copy forever) is caught.
impl Walk<'_> {
    fn folder(&self, from: &Path, to: &Path, open: &mut Vec<PathBuf>) -> io::Result<()> {
        let root = self.root;
        std::fs::create_dir_all(to).map_err(|e| failed(e, FileAction::Create, to))?;
        let entries = std::fs::read_dir(from).map_err(|e| failed(e, FileAction::Read, from))?;
        for entry in entries {
            let entry = entry.map_err(|e| failed(e, FileAction::Read, from))?;
            let name = entry.file_name();
            if matches!(name.to_str(), Some("target" | ".git" | ".workbook")) {
                continue;
            }
            let path = entry.path();
            // `from` is resolved and inside `root`, so the relative path is too.
            let relative = to_relative(root, from).join(&name);
            if !(self.keep)(&relative) {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(|e| failed(e, FileAction::Read, &path))?;
            let source = if kind.is_symlink() {
                linked(root, &path, open)?
            } else {
                path
            };
            if source.is_dir() {
                open.push(source.clone());
                self.folder(&source, &to.join(&name), open)?;
                open.pop();
            } else {
                paths::copy(&source, &to.join(&name))?;
            }
        }
        Ok(())
    }
}

/// Where `from` is inside `root`.
fn to_relative(root: &Path, from: &Path) -> PathBuf {
    from.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where the link at `path` in the course at `root` leads, if that is inside
/// the course and not one of the `open` folders being copied.
fn linked(root: &Path, path: &Path, open: &[PathBuf]) -> io::Result<PathBuf> {
    let shown = path.strip_prefix(root).unwrap_or(path).display();
    let target = std::fs::read_link(path).unwrap_or_default();
    let refused = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "cannot copy the course: {shown} is a link to {}, {what}",
                target.display()
            ),
        )
    };
    let Ok(resolved) = std::fs::canonicalize(path) else {
        return Err(refused("which does not exist"));
    };
    if !resolved.starts_with(root) {
        return Err(refused("outside the course folder"));
    }
    if open.contains(&resolved) {
        return Err(refused("a folder that holds the link itself"));
    }
    Ok(resolved)
}

/// A temp folder removed on drop (kept small: no extra dependency for it).
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty folder `workbook-<what>-<pid>-<time>` in the temp folder.
    pub fn new(what: &str) -> io::Result<TempDir> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("workbook-{what}-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| failed(e, FileAction::Create, &path))?;
        Ok(TempDir(path))
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_copy_gets_its_own_version() {
        let text =
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(
            super::with_version_suffix(text, "verify"),
            "[package]\nname = \"x\"\nversion = \"0.1.0-verify\"\n[dependencies]\nversion = \"1\"\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_course_copy_follows_links_only_inside_the_course() {
        use std::os::unix::fs::symlink;

        let outer = tempfile::tempdir().unwrap();
        let course = outer.path().join("course");
        std::fs::create_dir_all(course.join("shared")).unwrap();
        std::fs::write(course.join("shared/lib.rs"), "// shared\n").unwrap();
        std::fs::create_dir_all(course.join("exercises/x")).unwrap();
        symlink("../../shared", course.join("exercises/x/src")).unwrap();
        let root = std::fs::canonicalize(&course).unwrap();
        let copy = outer.path().join("copy");
        super::copy_tree(&root, &copy, &|_| true).unwrap();
        let copied = copy.join("exercises/x/src/lib.rs");
        assert_eq!(std::fs::read_to_string(&copied).unwrap(), "// shared\n");
        assert!(!copy.join("exercises/x/src").is_symlink());

        for (link, target, says) in [
            (
                "exercises/x/out",
                outer.path().to_path_buf(),
                "outside the course folder",
            ),
            (
                "exercises/x/gone",
                course.join("nothing"),
                "which does not exist",
            ),
            (
                "exercises/x/loop",
                course.join("exercises"),
                "a folder that holds the link itself",
            ),
            // Around two links: `shared/back` to `exercises/x`, whose `src` leads to `shared`.
            (
                "shared/back",
                course.join("exercises/x"),
                "a folder that holds the link itself",
            ),
        ] {
            symlink(&target, course.join(link)).unwrap();
            let error = super::copy_tree(&root, &outer.path().join("again"), &|_| true)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(" is a link to ") && error.contains(says),
                "{link}: {error}"
            );
            if !link.starts_with("shared") {
                assert!(error.contains(&format!("{link} is a link to")), "{error}");
            }
            std::fs::remove_file(course.join(link)).unwrap();
        }
    }
}
