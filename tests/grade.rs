//! `workbook grade` end to end, with the real binary: submissions of the
//! shipped course (starter as-is, solved, tampered with, broken) graded
//! against the pristine repository, and a hanging one on a small course.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::workspace::{TestExercise, course_of, exercise_yaml, repo, workbook_in, write};
use common::{code, copy_dir};
use serde_json::Value;

/// Grading runs build the graded copy's exercises under one version in the
/// shared target folder; two at once would overwrite each other's binaries.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A submission of the shipped course as a student has it: the content and
/// the exercise crates, without the authors' folders; with the reference
/// solutions installed when `solved`.
fn submission(solved: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo();
    for file in ["course.yaml", "Cargo.toml"] {
        std::fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    for folder in ["lessons", "quiz"] {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    let _ = std::fs::remove_dir_all(dir.path().join("quiz/answers"));
    for entry in std::fs::read_dir(root.join("exercises")).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let to = dir.path().join("exercises").join(entry.file_name());
        copy_dir(&entry.path(), &to);
        for author in ["solution", "mistakes", "variants", "target"] {
            let _ = std::fs::remove_dir_all(to.join(author));
        }
        if solved && entry.path().join("solution/src/lib.rs").exists() {
            std::fs::copy(
                entry.path().join("solution/src/lib.rs"),
                to.join("src/lib.rs"),
            )
            .unwrap();
        }
    }
    dir
}

/// Right answers for every question of every shipped quiz, drawn with seed 1.
fn right_answers(dir: &Path) {
    let course = workbook::course::Course::load(&repo()).unwrap();
    // Regex answers are patterns, not answers: these match them.
    let regex_answers = BTreeMap::from([
        ("fetch-optional", "fetch_optional"),
        (
            "runtime-panic",
            "Cannot start a runtime from within a runtime",
        ),
    ]);
    for module in course.modules() {
        let Some(bank) = course.bank_of(module) else {
            continue;
        };
        let raw: serde_yaml::Value = serde_yaml::from_str(
            &std::fs::read_to_string(repo().join(format!("quiz/{}.yaml", bank.id))).unwrap(),
        )
        .unwrap();
        let attempt = workbook::quiz::Attempt::draw(bank, 1);
        let mut answers = serde_yaml::Mapping::new();
        for drawn in &attempt.questions {
            let id = drawn.question.id.as_str();
            let q = raw["questions"]
                .as_sequence()
                .unwrap()
                .iter()
                .find(|q| q["id"].as_str() == Some(id))
                .unwrap();
            let answer = match q["type"].as_str().unwrap() {
                "single" | "multiple" | "true_false" => q["correct"].clone(),
                "short" => serde_yaml::Value::from(regex_answers.get(id).map_or_else(
                    || q["answers"][0].as_str().unwrap().to_owned(),
                    |a| (*a).to_owned(),
                )),
                "order" => serde_yaml::Value::Sequence(
                    q["options"]
                        .as_sequence()
                        .unwrap()
                        .iter()
                        .map(|o| o["id"].clone())
                        .collect(),
                ),
                "fill" => {
                    let mut blanks = serde_yaml::Mapping::new();
                    for blank in q["blanks"].as_sequence().unwrap() {
                        blanks.insert(blank["id"].clone(), blank["answers"][0].clone());
                    }
                    serde_yaml::Value::Mapping(blanks)
                }
                other => panic!("question type {other}"),
            };
            answers.insert(id.into(), answer);
        }
        let file = serde_yaml::to_string(&serde_yaml::Value::Mapping(
            serde_yaml::Mapping::from_iter([
                ("format_version".into(), 1.into()),
                ("module".into(), module.id.clone().into()),
                ("seed".into(), 1.into()),
                ("answers".into(), serde_yaml::Value::Mapping(answers)),
            ]),
        ))
        .unwrap();
        write(&dir.join(format!("quiz/answers/{}.yaml", module.id)), &file);
    }
}

/// Grades `submission` against the repository's course; returns the exit
/// code, the JSON report and the human report.
fn grade(submission: &Path, extra: &[&str]) -> (i32, Value, String) {
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let json = submission.join("grade.json");
    let output = workbook_in(submission)
        .arg("--course")
        .arg(repo())
        .args(["grade", "--submission"])
        .arg(submission)
        .arg("--format")
        .arg("human")
        .arg("--format")
        .arg(format!("json={}", json.display()))
        .args(extra)
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&output.stdout).into_owned();
    let report = std::fs::read_to_string(&json).unwrap_or_else(|_| {
        panic!(
            "no JSON report; exit {:?}\n{human}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code(&output), serde_json::from_str(&report).unwrap(), human)
}

fn checks(report: &Value) -> Vec<&Value> {
    report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["exercises"].as_array().unwrap())
        .flat_map(|e| e["checks"].as_array().unwrap())
        .collect()
}

fn tampering(report: &Value) -> Vec<(String, String)> {
    report["tampering"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["path"].as_str().unwrap().to_owned(),
                t["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_fresh_clone_gets_c_with_every_failure_linked_to_its_lesson_step() {
    let dir = submission(false);
    let (exit, report, human) = grade(dir.path(), &[]);
    assert_eq!(exit, 1, "{human}");
    assert_eq!(report["letter"], "C", "{human}");
    assert!(tampering(&report).is_empty(), "{:?}", tampering(&report));
    let failing: Vec<&Value> = checks(&report)
        .into_iter()
        .filter(|c| c["verdict"] != "pass")
        .collect();
    assert!(!failing.is_empty());
    for check in &failing {
        let command = check["remedy"]["command"]
            .as_str()
            .unwrap_or_else(|| panic!("no remedy: {check}"));
        // The command works as printed.
        let args: Vec<&str> = command.split(' ').skip(1).collect();
        let opened = workbook_in(&repo()).args(&args).output().unwrap();
        assert_eq!(
            code(&opened),
            0,
            "{command}: {}",
            String::from_utf8_lossy(&opened.stderr)
        );
    }
    // No answers files: each quiz scores 0 and says how to take it.
    for module in report["modules"].as_array().unwrap() {
        let quiz = &module["quiz"];
        assert_eq!(quiz["percent"], 0.0);
        assert!(
            quiz["problem"]["en"]
                .as_str()
                .unwrap()
                .contains("workbook quiz"),
            "{quiz}"
        );
    }
}

#[test]
fn the_reference_solutions_and_right_answers_get_s() {
    let dir = submission(true);
    right_answers(dir.path());
    let (exit, report, human) = grade(dir.path(), &[]);
    assert_eq!(report["letter"], "S", "{human}\n{report:#}");
    assert_eq!(exit, 0);
    assert!(
        (report["score"].as_f64().unwrap() - 100.0).abs() < 1e-9,
        "{human}"
    );
    assert!(checks(&report).iter().all(|c| c["verdict"] == "pass"));
    assert!(
        report["style"]["measured"].as_bool().unwrap(),
        "{}",
        report["style"]
    );
}

#[test]
fn tampering_is_reported_and_changes_nothing() {
    let dir = submission(false);
    let root = dir.path();
    // A check file that passes everything, more points, an extra and a missing file.
    write(
        &root.join("exercises/eager-tags/tests/checks.rs"),
        "fn main() { println!(\"all good\"); }\n",
    );
    let manifest = root.join("exercises/eager-tags/exercise.yaml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("points: ", "points: 50 #");
    write(&manifest, &text);
    write(
        &root.join("exercises/eager-tags/tests/extra.rs"),
        "// mine\n",
    );
    std::fs::remove_file(root.join("exercises/founditem-schema/tests/checks.rs")).unwrap();
    // The reference solution borrowed by path, and copied outright.
    let lib = root.join("exercises/eager-tags/src/lib.rs");
    write(
        &lib,
        "#[path = \"../solution/src/lib.rs\"]\nmod answer;\npub use answer::*;\n",
    );
    let solution =
        std::fs::read_to_string(repo().join("exercises/founditem-schema/solution/src/lib.rs"))
            .unwrap();
    write(
        &root.join("exercises/founditem-schema/src/lib.rs"),
        &format!("// my own work\n{}", solution.replace("    ", "  ")),
    );
    // A malformed answers file.
    write(&root.join("quiz/answers/async-basics.yaml"), "answers: [\n");

    let (_, report, human) = grade(root, &[]);
    let found = tampering(&report);
    for (path, kind) in [
        ("exercises/eager-tags/tests/checks.rs", "modified"),
        ("exercises/eager-tags/exercise.yaml", "modified"),
        ("exercises/eager-tags/tests/extra.rs", "added"),
        ("exercises/founditem-schema/tests/checks.rs", "removed"),
        ("exercises/eager-tags/src/lib.rs", "includes_outside"),
        ("exercises/founditem-schema/src/lib.rs", "copies_solution"),
    ] {
        assert!(
            found.contains(&(path.to_owned(), kind.to_owned())),
            "{path} {kind} not in {found:?}\n{human}"
        );
    }
    // No effect: the pristine points, and the borrowed solution does not build
    // (the graded copy has no solutions).
    let eager = &report["modules"][1]["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "eager-tags")
        .unwrap()
        .clone();
    let pristine = workbook::course::Course::load(&repo()).unwrap();
    let max: u32 = pristine
        .exercise("eager-tags")
        .unwrap()
        .checks
        .iter()
        .map(|c| c.points)
        .sum();
    assert_eq!(eager["max_points"], max);
    assert_eq!(eager["points"], 0, "{eager:#}");
    assert_eq!(eager["compiled"], false);
    // The copied solution still passes its checks: copying is reported, not guessed at.
    let quiz = &report["modules"][0]["quiz"];
    assert!(
        quiz["problem"]["en"]
            .as_str()
            .unwrap()
            .contains("cannot be scored"),
        "{quiz}"
    );
}

#[test]
fn one_broken_exercise_does_not_stop_the_others() {
    let dir = submission(true);
    write(
        &dir.path().join("exercises/eager-tags/src/lib.rs"),
        "pub fn broken() -> u32 { \"no\" }\n",
    );
    let (_, report, human) = grade(dir.path(), &[]);
    let exercises: Vec<&Value> = report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["exercises"].as_array().unwrap())
        .collect();
    let by_id = |id: &str| *exercises.iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(by_id("eager-tags")["compiled"], false, "{human}");
    assert!(
        !by_id("eager-tags")["compile_errors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        by_id("founditem-schema")["points"],
        by_id("founditem-schema")["max_points"],
        "{human}"
    );
}

/// A small course whose one exercise hangs: its checks are failed by the time
/// limit, and a course without quizzes gives the quiz's weight to the rest.
#[test]
fn a_hanging_submission_is_graded_as_failed() {
    let course = course_of(&[TestExercise {
        id: "hangs",
        lib: "pub fn answer() -> u32 { 42 }\n",
        checks: "use workbook_support::{Ctx, Failure, fail};\nworkbook_support::checks! { \"fine\" => fine, \"waits\" => waits }\nasync fn fine(_ctx: Ctx) -> Result<(), Failure> { if hangs::answer() == 42 { Ok(()) } else { Err(fail(\"not 42\")) } }\nasync fn waits(_ctx: Ctx) -> Result<(), Failure> { let _ = hangs::answer(); Ok(()) }\n",
        manifest: exercise_yaml(&["fine", "waits"], 2),
    }]);
    let submission = tempfile::tempdir().unwrap();
    write(
        &submission.path().join("exercises/hangs/src/lib.rs"),
        "pub fn answer() -> u32 { loop { std::hint::spin_loop(); } }\n",
    );
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = workbook_in(course.path())
        .args(["grade", "--format", "json", "--submission"])
        .arg(submission.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(code(&output), 1);
    let verdicts: Vec<&str> = checks(&report)
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["fail", "fail"], "{report:#}");
    // They ran and were stopped: it compiled, and the time limit says so.
    assert_eq!(
        report["modules"][0]["exercises"][0]["compiled"], true,
        "{report:#}"
    );
    let message = checks(&report)[0]["message"]["en"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("did not finish within 2 s"), "{message}");
    assert_eq!(report["letter"], "C");
    assert!(report["modules"][0]["quiz"].is_null());
    // The submission has no course files: each is reported missing, none used.
    let removed: Vec<PathBuf> = tampering(&report)
        .into_iter()
        .filter(|(_, kind)| kind == "removed")
        .map(|(path, _)| PathBuf::from(path))
        .collect();
    assert!(
        removed.contains(&PathBuf::from("exercises/hangs/tests/checks.rs")),
        "{removed:?}"
    );
}

/// `workbook progress` shows the numbers and the letter that `grade` gave
/// the working copy, and says when they are out of date.
#[test]
fn progress_shows_the_grade_of_the_working_copy() {
    let course = course_of(&[TestExercise {
        id: "simple",
        // Formatted as rustfmt would: style is clean.
        lib: "pub fn answer() -> u32 {\n    42\n}\n",
        checks: "use workbook_support::{Ctx, Failure, fail};\nworkbook_support::checks! { \"right\" => right, \"wrong\" => wrong }\nasync fn right(_ctx: Ctx) -> Result<(), Failure> { if simple::answer() == 42 { Ok(()) } else { Err(fail(\"not 42\")) } }\nasync fn wrong(_ctx: Ctx) -> Result<(), Failure> { if simple::answer() == 43 { Ok(()) } else { Err(fail(\"not 43\")) } }\n",
        manifest: exercise_yaml(&["right", "wrong"], 10),
    }]);
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = workbook_in(course.path())
        .args(["grade", "--format", "json", "--require", "a"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    // Half the points, no quiz in this course, clean style: 0.7/0.8·50 + 0.1/0.8·100.
    assert_eq!(report["score"], 56.25, "{report:#}");
    assert_eq!(report["letter"], "C");
    assert_eq!(code(&output), 1, "below --require A");
    let progress = workbook_in(course.path()).arg("progress").output().unwrap();
    let text = String::from_utf8_lossy(&progress.stdout);
    assert!(text.contains("Grade: C · 56.25 of 100"), "{text}");
    assert!(!text.contains("run `workbook grade` again"), "{text}");
    // Checks run since: the grade is out of date, and progress says so.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let check = workbook_in(course.path())
        .args(["check", "simple"])
        .output()
        .unwrap();
    assert_eq!(code(&check), 1);
    let progress = workbook_in(course.path())
        .args(["--lang", "ru", "progress"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&progress.stdout);
    assert!(text.contains("Оценка: C · 56.25 из 100"), "{text}");
    assert!(
        text.contains("запустите `workbook grade` ещё раз"),
        "{text}"
    );
}

/// A student's clone of the student edition, graded against the full course:
/// the edition's own changes (sealed keys, withheld solutions, its workflow)
/// are not tampering; what the student did is graded as usual.
#[test]
fn a_student_edition_is_graded_against_the_full_course() {
    let outer = tempfile::tempdir().unwrap();
    let edition = outer.path().join("alice");
    let export = workbook_in(&repo())
        .args(["dev", "export"])
        .arg(&edition)
        .output()
        .unwrap();
    assert_eq!(
        code(&export),
        0,
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let solution =
        std::fs::read_to_string(repo().join("exercises/founditem-schema/solution/src/lib.rs"))
            .unwrap();
    write(
        &edition.join("exercises/founditem-schema/src/lib.rs"),
        &solution,
    );
    let (_, report, human) = grade(&edition, &[]);
    assert_eq!(
        tampering(&report),
        [(
            "exercises/founditem-schema/src/lib.rs".to_owned(),
            "copies_solution".to_owned()
        )],
        "{human}"
    );
    let exercise = report["modules"][1]["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "founditem-schema")
        .unwrap()
        .clone();
    assert_eq!(exercise["points"], exercise["max_points"], "{human}");
}
