//! workbook's own grade document, for programs: a superset of the Exercism
//! test-runner results, version 3
//! (<https://exercism.org/docs/building/tooling/test-runners/interface>), so
//! that a tool that reads those reads this too. Its fields come first
//! (`version`, `status`, `message`, `tests`); workbook's follow (the score,
//! the letter, the parts, every module in full, style, tampering), marked by
//! `format_version` ([`GRADE_FORMAT`](crate::grade::model::GRADE_FORMAT)).
//! Keys are always in the same order. Test names are in English; messages
//! are in the language asked for.

use std::fmt::Write as _;

use serde::Serialize;
use workbook_support::{Backend, sanitize};

use super::{check_message, check_name, exercises};
use crate::cli::Letter;
use crate::course::text::Text;
use crate::grade::model::{
    Capped, CheckGrade, ExerciseGrade, Grade, ModuleGrade, Parts, Style, Tampering, Verdict,
};
use crate::lang::Lang;

/// Exercism's limit on a test's `output`, in characters.
pub(super) const OUTPUT_CHARS: usize = 500;

/// The document.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    tests: Vec<Test>,
    format_version: u32,
    score: f64,
    max_score: u32,
    letter: Letter,
    capped: Option<Capped>,
    parts: &'a Parts,
    modules: &'a [ModuleGrade],
    style: &'a Style,
    tampering: &'a [Tampering],
    course: &'a Text,
    submission: &'a str,
    backend: Backend,
}

/// The run as a whole, as Exercism says it.
#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Status {
    /// Every check is green.
    Pass,
    /// Some check is not.
    Fail,
    /// Nothing could run: no exercise built.
    Error,
}

/// One check, as an Exercism test.
#[derive(Serialize)]
struct Test {
    name: String,
    status: Verdict,
    message: Option<String>,
    output: Option<String>,
    task_id: usize,
    score: u32,
    max_score: u32,
}

/// The document, pretty-printed, with a final newline.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let status = status(grade);
    let document = Document {
        version: 3,
        message: (status == Status::Error).then(|| error_message(grade, lang)),
        status,
        tests: tests(grade, lang),
        format_version: grade.format_version,
        score: grade.score,
        max_score: 100,
        letter: grade.letter,
        capped: grade.capped,
        parts: &grade.parts,
        modules: &grade.modules,
        style: &grade.style,
        tampering: &grade.tampering,
        course: &grade.course,
        submission: &grade.submission,
        backend: grade.backend,
    };
    // Plain data with string keys: serialising it cannot fail.
    serde_json::to_string_pretty(&document).expect("a grade serialises") + "\n"
}

/// `error` when there are exercises and none of them ran (none compiled, or
/// every check of those that did could not run); else `pass` or `fail`.
fn status(grade: &Grade) -> Status {
    let ran = |e: &ExerciseGrade| {
        e.compiled && (e.checks.is_empty() || e.checks.iter().any(|c| c.verdict != Verdict::Error))
    };
    let mut all = exercises(grade).map(|(_, _, e)| e).peekable();
    if all.peek().is_some() && !all.any(ran) {
        Status::Error
    } else if grade.all_green() {
        Status::Pass
    } else {
        Status::Fail
    }
}

/// Why nothing ran: the first compiler error of each exercise.
fn error_message(grade: &Grade, lang: Lang) -> String {
    let mut message = lang
        .pick(
            "Nothing could be run: no exercise compiled.",
            "Ничего не удалось запустить: ни одно упражнение не скомпилировалось.",
        )
        .to_owned();
    for (_, _, exercise) in exercises(grade) {
        if let Some(error) = exercise.compile_errors.first() {
            let _ = write!(
                message,
                "\n{}: {}:{}:{}: {}",
                exercise.id,
                sanitize::inline(&error.file),
                error.line,
                error.column,
                sanitize::inline(&error.message)
            );
        }
    }
    message
}

fn tests(grade: &Grade, lang: Lang) -> Vec<Test> {
    let mut tests = Vec::new();
    for (task_id, _, exercise) in exercises(grade) {
        for check in &exercise.checks {
            tests.push(Test {
                name: check_name(exercise, check),
                status: check.verdict,
                message: (check.verdict != Verdict::Pass)
                    .then(|| sanitize::text(check_message(check, lang))),
                output: output(exercise, check),
                task_id,
                score: check.points,
                max_score: check.max_points,
            });
        }
        if !exercise.compiled && exercise.checks.is_empty() {
            // No check to carry the failure: the build is the test.
            tests.push(Test {
                name: format!("{} › build", exercise.id),
                status: Verdict::Error,
                message: Some(
                    lang.pick(
                        "the exercise does not compile",
                        "упражнение не компилируется",
                    )
                    .to_owned(),
                ),
                output: compiler_output(exercise),
                task_id,
                score: 0,
                max_score: exercise.max_points,
            });
        }
    }
    tests
}

/// What the student's side printed for a check: the compiler's errors when
/// the exercise did not build, else the check's evidence.
fn output(exercise: &ExerciseGrade, check: &CheckGrade) -> Option<String> {
    if !exercise.compiled {
        return compiler_output(exercise);
    }
    (!check.evidence.is_empty()).then(|| capped(&check.evidence.join("\n")))
}

fn compiler_output(exercise: &ExerciseGrade) -> Option<String> {
    let rendered: Vec<&str> = exercise
        .compile_errors
        .iter()
        .map(|e| e.rendered.as_str())
        .collect();
    (!rendered.is_empty()).then(|| capped(&rendered.join("\n")))
}

/// `text` sanitised and cut to at most [`OUTPUT_CHARS`] characters,
/// truncation notice included.
pub(super) fn capped(text: &str) -> String {
    let mut limit = OUTPUT_CHARS;
    loop {
        let out = sanitize::capped(text, limit);
        let length = out.chars().count();
        if length <= OUTPUT_CHARS || limit == 0 {
            return out;
        }
        // The notice (and an escape never split) ran over: keep less.
        limit = limit.saturating_sub(length - OUTPUT_CHARS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::report::sample;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::grade(), Lang::En));
    }

    #[test]
    fn status_is_pass_fail_or_error() {
        let mut grade = sample::grade();
        assert_eq!(status(&grade), Status::Fail);
        for module in &mut grade.modules {
            for exercise in &mut module.exercises {
                exercise.compiled = false;
            }
        }
        assert_eq!(status(&grade), Status::Error);
        let out: serde_json::Value = serde_json::from_str(&render(&grade, Lang::En)).unwrap();
        assert_eq!(out["status"], "error");
        assert!(
            out["message"]
                .as_str()
                .unwrap()
                .contains("transfer: exercises/transfer/src/lib.rs:14:9: mismatched types")
        );
        let mut grade = sample::grade();
        for module in &mut grade.modules {
            for exercise in &mut module.exercises {
                exercise.compiled = true;
                for check in &mut exercise.checks {
                    check.verdict = Verdict::Pass;
                }
            }
        }
        assert_eq!(status(&grade), Status::Pass);
        let out: serde_json::Value = serde_json::from_str(&render(&grade, Lang::En)).unwrap();
        assert!(out.get("message").is_none());
    }

    #[test]
    fn output_stays_within_500_characters() {
        for text in ["x".repeat(10_000), "\x1b".repeat(10_000), "ё".repeat(499)] {
            let out = capped(&text);
            assert!(
                out.chars().count() <= OUTPUT_CHARS,
                "{}",
                out.chars().count()
            );
        }
        assert_eq!(capped("short"), "short");
        let out = capped(&"x".repeat(600));
        assert!(
            out.starts_with("xxx") && out.ends_with(" символов: 157]"),
            "{out}"
        );
    }

    #[test]
    fn hostile_text_stays_inside_its_strings() {
        let out = render(&sample::hostile(), Lang::En);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let test = &value["tests"][7];
        assert_eq!(
            test["name"],
            "eager-tags › no-n-plus-one: Tags load in one query"
        );
        assert!(test["message"].as_str().unwrap().contains("<script>"));
        assert!(!out.contains('\x1b'));
    }
}
