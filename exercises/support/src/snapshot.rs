//! Comparing text with a committed reference snapshot in insta's file format.
//!
//! While checks grade, nothing is ever written: a mismatch fails with a
//! unified diff in the message. Exercise authors set `WORKBOOK_BLESS=1` with the
//! reference solution in place to (re)write the snapshots; the files can also be
//! reviewed with `cargo insta`.

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::failure::{Failure, fail};

/// The snapshot file of `name` in an exercise.
pub fn path(exercise_dir: &Path, name: &str) -> PathBuf {
    exercise_dir.join("snapshots").join(format!("{name}.snap"))
}

/// The content of an insta snapshot file (everything after its header).
pub fn content(file_text: &str) -> &str {
    let body = file_text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n").map(|(_, body)| body));
    body.unwrap_or(file_text).trim_end()
}

/// Whether authors asked to rewrite snapshots.
pub fn blessing() -> bool {
    std::env::var("WORKBOOK_BLESS").is_ok_and(|v| v == "1")
}

/// Compares `actual` with the snapshot `name`; `what` names it for the student
/// in English and Russian.
pub fn compare(
    exercise_dir: &Path,
    name: &str,
    what: [&str; 2],
    actual: &str,
) -> Result<(), Failure> {
    let [what, what_ru] = what;
    let file = path(exercise_dir, name);
    let actual = actual.trim_end();
    if blessing() {
        let text = format!("---\nsource: {name}\nexpression: {what}\n---\n{actual}\n");
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot write {}: {e}", file.display())))?;
        }
        return std::fs::write(&file, text)
            .map_err(|e| fail(format!("cannot write {}: {e}", file.display())));
    }
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Err(fail(format!(
            "the reference snapshot {} is missing; the exercise is incomplete (authors: run with WORKBOOK_BLESS=1)",
            file.display()
        )));
    };
    let expected = content(&text);
    if expected == actual {
        return Ok(());
    }
    let diff = TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "yours")
        .to_string();
    Err(fail(format!(
        "{what} differs from the reference (- expected, + yours):"
    ))
    .ru(format!(
        "{what_ru} отличается от эталона (- ожидалось, + у вас):"
    ))
    .evidence(diff.trim_end().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_insta_files() {
        assert_eq!(
            content("---\nsource: x\nexpression: y\n---\ntable a\n  column id integer\n"),
            "table a\n  column id integer"
        );
        assert_eq!(content("plain\n"), "plain");
    }

    #[test]
    fn a_mismatch_shows_a_diff_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("workbook-snap-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("snapshots")).unwrap();
        std::fs::write(
            path(&dir, "s"),
            "---\nsource: s\nexpression: s\n---\na\nb\nc\n",
        )
        .unwrap();
        assert!(compare(&dir, "s", ["the schema", "схема"], "a\nb\nc\n").is_ok());
        let failure = compare(&dir, "s", ["the schema", "схема"], "a\nB\nc").unwrap_err();
        assert!(failure.message.contains("the schema differs"), "{failure}");
        assert!(failure.evidence[0].contains("-b\n+B"), "{failure}");
        let entries = std::fs::read_dir(dir.join("snapshots")).unwrap().count();
        assert_eq!(entries, 1, "no pending snapshot files");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
