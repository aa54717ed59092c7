//! The help around an exercise: hint tiers shown again, reset that asks
//! first and keeps a readable backup, and restoring that backup.

mod common;

use std::path::{Path, PathBuf};

use common::{code, course, workbook};

/// The base course with `ex-one` given three hint tiers and starter,
/// reference and student copies of `src/lib.rs`.
fn exercise_course() -> tempfile::TempDir {
    let dir = course(None);
    let exercise = dir.path().join("exercises/ex-one");
    let metadata = exercise.join("exercise.yaml");
    let text = std::fs::read_to_string(&metadata).unwrap().replace(
        "hints:\n  - en: Look again.\n    ru: Посмотрите ещё раз.\n",
        "hints:\n  - {en: First tier., ru: Первый уровень.}\n  - {en: Second tier., ru: Второй уровень.}\n  - {en: Third tier., ru: Третий уровень.}\n",
    );
    assert!(text.contains("Third tier."), "{text}");
    std::fs::write(&metadata, text).unwrap();
    for (folder, text) in [
        ("starter", "// starter\n"),
        ("solution", "// solution\n"),
        ("", "// mine\n"),
    ] {
        let src = exercise.join(folder).join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), text).unwrap();
    }
    dir
}

fn output(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = workbook(dir).args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (code(&output), text)
}

#[test]
fn earlier_hint_tiers_can_be_shown_again() {
    let dir = exercise_course();
    let path = dir.path();
    // Nothing seen yet: --all shows the first tier.
    let (status, text) = output(path, &["--lang", "en", "hint", "ex-one", "--all"]);
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("Hint 1 of 3") && text.contains("First tier."),
        "{text}"
    );
    let (_, text) = output(path, &["--lang", "en", "hint", "ex-one"]);
    assert!(
        text.contains("Hint 2 of 3") && text.contains("Second tier."),
        "{text}"
    );
    // Tier 1 again, without moving on.
    let (status, text) = output(path, &["--lang", "ru", "hint", "ex-one", "--tier", "1"]);
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("Подсказка 1 из 3") && !text.contains("Второй"),
        "{text}"
    );
    // Every tier seen, in order.
    let (_, text) = output(path, &["--lang", "en", "hint", "ex-one", "--all"]);
    let (first, second) = (
        text.find("First tier.").unwrap(),
        text.find("Second tier.").unwrap(),
    );
    assert!(first < second && !text.contains("Third tier."), "{text}");
    // Tiers open one at a time: tier 3 is the next one, tier 4 does not exist.
    let (status, text) = output(path, &["--lang", "ru", "hint", "ex-one", "--tier", "4"]);
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("подсказки с 1 по 3"), "{text}");
    let (status, text) = output(path, &["--lang", "en", "hint", "ex-one", "--tier", "3"]);
    assert_eq!(status, 0, "{text}");
    assert!(text.contains("That is the last hint"), "{text}");
}

#[test]
fn hints_open_one_at_a_time() {
    let dir = exercise_course();
    let (status, text) = output(
        dir.path(),
        &["--lang", "en", "hint", "ex-one", "--tier", "3"],
    );
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("you have seen 0 of 3 hints"), "{text}");
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(".workbook/backups"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn reset_asks_first_keeps_a_readable_backup_and_restores_it() {
    let dir = exercise_course();
    let path = dir.path();
    let mine = path.join("exercises/ex-one/src/lib.rs");
    // Without a terminal to ask in, reset needs --yes and changes nothing.
    let (status, text) = output(path, &["--lang", "ru", "reset", "ex-one"]);
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("добавьте --yes"), "{text}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "// mine\n");
    assert!(backups(path).is_empty());

    let (status, text) = output(path, &["--lang", "en", "reset", "ex-one", "--yes"]);
    assert_eq!(status, 0, "{text}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "// starter\n");
    let kept = backups(path);
    assert_eq!(kept.len(), 1);
    let name = kept[0].file_name().unwrap().to_string_lossy().into_owned();
    // `ex-one-2026-11-23_14-05-09-utc`: the exercise and when.
    let stamp = name.strip_prefix("ex-one-").unwrap();
    assert!(
        stamp.len() == 23 && stamp.ends_with("-utc") && stamp.as_bytes()[10] == b'_',
        "{name}"
    );
    assert!(
        text.contains(&name) && text.contains("workbook reset ex-one --restore"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(kept[0].join("src/lib.rs")).unwrap(),
        "// mine\n"
    );

    // Restoring puts the student's version back, and keeps the starter it replaces.
    std::fs::write(&mine, "// started again\n").unwrap();
    let (status, text) = output(path, &["--lang", "ru", "reset", "ex-one", "--restore"]);
    assert_eq!(status, 0, "{text}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "// mine\n");
    assert!(
        text.contains("Ваша версия ex-one из") && text.contains("сохранён в"),
        "{text}"
    );
    let kept = backups(path);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept.iter()
            .any(|b| std::fs::read_to_string(b.join("src/lib.rs")).unwrap() == "// started again\n"),
        "{kept:?}"
    );
}

#[test]
fn restore_without_a_backup_says_how_to_make_one() {
    let dir = exercise_course();
    let (status, text) = output(
        dir.path(),
        &["--lang", "en", "reset", "ex-one", "--restore"],
    );
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("ex-one has no backup yet"), "{text}");
}
