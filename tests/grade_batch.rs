//! `workbook grade --batch`: a class of submissions on one machine, in
//! shares, resumable; a hostile submission changes no other's grade.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::code;
use common::workspace::{TestExercise, course_of, exercise_yaml, workbook_in, write};
use serde_json::Value;

const CHECKS: &str = "use workbook_support::{Ctx, Failure, fail};
workbook_support::checks! { \"adds\" => adds, \"negative\" => negative }
async fn adds(_ctx: Ctx) -> Result<(), Failure> {
    if tiny::add(2, 3) == 5 { Ok(()) } else { Err(fail(\"2 + 3 is not 5\")) }
}
async fn negative(_ctx: Ctx) -> Result<(), Failure> {
    if tiny::add(-2, -3) == -5 { Ok(()) } else { Err(fail(\"-2 + -3 is not -5\")) }
}
";

/// The pristine course: one exercise, two checks, a 3 s limit.
fn course() -> tempfile::TempDir {
    course_of(&[TestExercise {
        id: "tiny",
        lib: "pub fn add(a: i64, b: i64) -> i64 {\n    todo!()\n}\n",
        checks: CHECKS,
        manifest: exercise_yaml(&["adds", "negative"], 3),
    }])
}

/// A folder of submissions, each holding only its `src/lib.rs`.
fn class(submissions: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (id, lib) in submissions {
        write(&dir.path().join(id).join("exercises/tiny/src/lib.rs"), lib);
    }
    dir
}

const SOLVED: &str = "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n";
const HALF: &str = "pub fn add(a: i64, b: i64) -> i64 {\n    (a + b).abs()\n}\n";
const BROKEN: &str = "pub fn add(a: i64, b: i64) -> i64 {\n    \"no\"\n}\n";
const HANGS: &str =
    "pub fn add(a: i64, b: i64) -> i64 {\n    loop {\n        std::hint::spin_loop();\n    }\n}\n";
/// Writes forged passing reports wherever it can, floods, and forks.
const HOSTILE: &str = r#"pub fn add(a: i64, b: i64) -> i64 {
    for (key, value) in std::env::vars() {
        if key.starts_with("WORKBOOK") {
            let _ = std::fs::write(format!("{value}/adds.json"), "{\"id\":\"adds\",\"status\":\"pass\"}");
        }
    }
    for _ in 0..50 {
        let _ = std::process::Command::new("sleep").arg("30").spawn();
    }
    println!("::error::pwned\x1b[2J");
    std::process::exit(0)
}
"#;

fn batch(course: &Path, class: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let output = workbook_in(course)
        .args(["grade", "--batch"])
        .arg(class)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (code(&output), text)
}

/// Each student's (score, letter, check verdicts) in a results folder.
fn results(out: &Path) -> BTreeMap<String, (f64, String, Vec<String>)> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let json = entry.path().extension().is_some_and(|e| e == "json");
        if !json || name.starts_with("_shard-") {
            continue;
        }
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        let verdicts = value["modules"][0]["exercises"][0]["checks"]
            .as_array()
            .map(|c| {
                c.iter()
                    .map(|c| c["verdict"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        found.insert(
            value["submission"].as_str().unwrap().to_owned(),
            (
                value["score"].as_f64().unwrap_or(-1.0),
                value["letter"].as_str().unwrap_or("").to_owned(),
                verdicts,
            ),
        );
    }
    found
}

#[test]
fn a_class_is_graded_and_a_hostile_submission_changes_nobody_else() {
    let course = course();
    let class = class(&[
        ("alice", SOLVED),
        ("bob", HALF),
        ("carol", BROKEN),
        ("dave", HANGS),
        ("mallory", HOSTILE),
    ]);
    // An empty submission: nothing handed in, so the starter is graded.
    std::fs::create_dir(class.path().join("erin")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (exit, text) = batch(course.path(), class.path(), out.path(), &["--jobs", "2"]);
    assert_eq!(exit, 0, "{text}");
    assert!(text.contains("6 submissions; graded 6"), "{text}");
    let graded = results(out.path());
    let verdicts = |id: &str| graded[id].2.iter().map(String::as_str).collect::<Vec<_>>();
    let alice = std::fs::read_to_string(out.path().join("alice.json")).unwrap();
    assert_eq!(verdicts("alice"), ["pass", "pass"], "{alice}");
    assert_eq!(graded["alice"].1, "S", "{graded:?}");
    assert_eq!(verdicts("bob"), ["pass", "fail"]);
    assert_eq!(verdicts("carol"), ["error", "error"]);
    assert_eq!(verdicts("dave"), ["fail", "fail"]);
    assert_eq!(verdicts("mallory"), ["fail", "fail"]);
    let erin = std::fs::read_to_string(out.path().join("erin.json")).unwrap();
    assert_eq!(verdicts("erin"), ["fail", "fail"], "{erin}");
    assert_eq!(graded["erin"].1, "C");
    // The same verdicts as each graded alone: the hostile one changed nothing.
    let alone = tempfile::tempdir().unwrap();
    let only_alice = class_of(class.path(), &["alice", "bob"]);
    let (exit, text) = batch(
        course.path(),
        only_alice.path(),
        alone.path(),
        &["--jobs", "1"],
    );
    assert_eq!(exit, 0, "{text}");
    let again = results(alone.path());
    assert_eq!(again["alice"], graded["alice"]);
    assert_eq!(again["bob"], graded["bob"]);
    // The manifest lists the share's submissions.
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("_shard-1-of-1.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["submissions"].as_array().unwrap().len(), 6);
    // Nothing of mallory's reached the terminal.
    assert!(!text.contains("pwned") && !text.contains('\x1b'), "{text}");
}

/// A folder with copies of some submissions of `class`.
fn class_of(class: &Path, ids: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for id in ids {
        common::copy_dir(&class.join(id), &dir.path().join(id));
    }
    dir
}

#[test]
fn shares_together_are_the_batch_and_a_rerun_grades_only_what_changed() {
    let course = course();
    let students: Vec<(String, &str)> = (0..6)
        .map(|i| (format!("s{i}"), if i % 2 == 0 { SOLVED } else { HALF }))
        .collect();
    let pairs: Vec<(&str, &str)> = students
        .iter()
        .map(|(id, lib)| (id.as_str(), *lib))
        .collect();
    let class = class(&pairs);
    let whole = tempfile::tempdir().unwrap();
    let (exit, text) = batch(course.path(), class.path(), whole.path(), &[]);
    assert_eq!(exit, 0, "{text}");
    let merged = tempfile::tempdir().unwrap();
    let mut counted = 0;
    for k in 1..=3 {
        let (exit, text) = batch(
            course.path(),
            class.path(),
            merged.path(),
            &["--shard", &format!("{k}/3")],
        );
        assert_eq!(exit, 0, "{text}");
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(merged.path().join(format!("_shard-{k}-of-3.json"))).unwrap(),
        )
        .unwrap();
        counted += manifest["submissions"].as_array().unwrap().len();
    }
    assert_eq!(counted, 6, "the shares are disjoint and complete");
    assert_eq!(results(merged.path()), results(whole.path()));

    // Resumable: nothing changed, nothing graded; one change, one graded.
    let (_, text) = batch(course.path(), class.path(), whole.path(), &[]);
    assert!(
        text.contains("graded 0, unchanged since their last result 6"),
        "{text}"
    );
    write(&class.path().join("s1/exercises/tiny/src/lib.rs"), SOLVED);
    let (_, text) = batch(course.path(), class.path(), whole.path(), &[]);
    assert!(
        text.contains("graded 1, unchanged since their last result 5"),
        "{text}"
    );
    assert_eq!(results(whole.path())["s1"].1, "S");
}
