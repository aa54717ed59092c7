//! What the pilot exercises say to a student who made a typical mistake: the
//! real checks on a real build, with each mistake fixture in place and a fixed
//! data seed, in both languages. The messages must name what is wrong (which
//! rows, which constraint) and what to do, before any diff.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::workspace::{TestExercise, course_of, repo, workbook_in, write};

/// A course holding one pilot exercise as shipped, its lesson link pointed at
/// the fixture lesson.
fn pilot_course(id: &str) -> tempfile::TempDir {
    let pilot = repo().join("exercises").join(id);
    let read = |path: &str| std::fs::read_to_string(pilot.join(path)).unwrap();
    let manifest = read("exercise.yaml")
        .lines()
        .map(|line| {
            if line.starts_with("practises:") {
                "practises: basics#fill".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let lib = read("src/lib.rs");
    let checks = read("tests/checks.rs");
    let dir = course_of(&[TestExercise {
        id,
        lib: &lib,
        checks: &checks,
        manifest,
    }]);
    for entry in std::fs::read_dir(pilot.join("snapshots"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        write(
            &dir.path()
                .join("exercises")
                .join(id)
                .join("snapshots")
                .join(entry.file_name()),
            &text,
        );
    }
    dir
}

/// Each mistake's messages, in `lang`, with the data seed fixed.
fn messages(dir: &Path, id: &str, mistakes: &[&str], lang: &str) -> String {
    let mut out = String::new();
    for mistake in mistakes {
        let source = repo()
            .join("exercises")
            .join(id)
            .join("mistakes")
            .join(mistake)
            .join("src/lib.rs");
        write(
            &dir.join("exercises").join(id).join("src/lib.rs"),
            &std::fs::read_to_string(source).unwrap(),
        );
        let output = workbook_in(dir)
            .env("WORKBOOK_SEED", "7")
            .args(["--lang", lang, "check", id])
            .output()
            .unwrap();
        let _ = writeln!(out, "=== mistake {mistake}");
        out.push_str(&String::from_utf8_lossy(&output.stdout));
        out.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    out
}

#[test]
fn eager_tags_mistakes_are_explained() {
    let dir = pilot_course("eager-tags");
    let mistakes = [
        "inner-join",
        "join-duplicates",
        "no-order-by",
        "tags-by-id",
        "not-option",
        "own-pool",
    ];
    for lang in ["en", "ru"] {
        insta::assert_snapshot!(
            format!("eager-tags-{lang}"),
            messages(dir.path(), "eager-tags", &mistakes, lang)
        );
    }
}

#[test]
fn founditem_schema_mistakes_are_explained() {
    let dir = pilot_course("founditem-schema");
    let mistakes = [
        "no-primary-key",
        "one-column-key",
        "no-cascade",
        "no-foreign-keys",
    ];
    for lang in ["en", "ru"] {
        insta::assert_snapshot!(
            format!("founditem-schema-{lang}"),
            messages(dir.path(), "founditem-schema", &mistakes, lang)
        );
    }
}
