//! The grade as Gradescope's autograder `results.json`
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>), which
//! Gradescope reads from `/autograder/results/` and shows the student: the
//! total as `score` (it overrides the sum of the tests), a short summary as
//! `output`, and one test per check, per module quiz and for style, each
//! with its own points. Everything visible; text in the language asked for.

use std::fmt::Write as _;

use serde::Serialize;
use workbook_support::sanitize;

use super::{capped_reason, check_message, exercises, letter, number, parts};
use crate::grade::model::{CheckGrade, ExerciseGrade, Grade, ModuleGrade, QuizGrade, Verdict};
use crate::lang::Lang;

/// The most characters of student-originated text in one test's output.
const OUTPUT_CHARS: usize = 4_000;

/// The file.
#[derive(Serialize)]
struct Results {
    score: f64,
    output: String,
    stdout_visibility: &'static str,
    tests: Vec<Test>,
}

/// One test.
#[derive(Serialize)]
struct Test {
    name: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    visibility: &'static str,
}

impl Test {
    fn new(name: String, score: f64, max_score: f64, passed: bool, output: String) -> Test {
        Test {
            name,
            score,
            max_score,
            status: if passed { "passed" } else { "failed" },
            output,
            visibility: "visible",
        }
    }
}

/// `results.json`, pretty-printed, with a final newline.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let mut tests = Vec::new();
    for (_, _, exercise) in exercises(grade) {
        for check in &exercise.checks {
            tests.push(Test::new(
                format!("{} › {}: {}", exercise.id, check.id, check.title.get(lang)),
                f64::from(check.points),
                f64::from(check.max_points),
                check.verdict == Verdict::Pass,
                check_output(exercise, check, lang),
            ));
        }
    }
    for module in &grade.modules {
        if let Some(quiz) = &module.quiz {
            tests.push(quiz_test(module, quiz, lang));
        }
    }
    tests.push(style_test(grade, lang));
    let results = Results {
        score: grade.score,
        output: summary(grade, lang),
        stdout_visibility: "visible",
        tests,
    };
    // Plain data with string keys: serialising it cannot fail.
    serde_json::to_string_pretty(&results).expect("results serialise") + "\n"
}

/// The letter, the total, why it is capped, the parts, ignored changes.
fn summary(grade: &Grade, lang: Lang) -> String {
    let (letter, score) = (letter(grade.letter), number(grade.score, lang));
    let mut lines = vec![lang.pick(
        format!("Grade {letter}: {score} of 100"),
        format!("Оценка {letter}: {score} из 100"),
    )];
    if let Some(capped) = grade.capped {
        lines.push(format!(
            "{}: {}",
            lang.pick("At most A", "Не выше A"),
            capped_reason(capped, lang)
        ));
    }
    for (name, part) in parts(grade, lang) {
        lines.push(format!(
            "{name}: {} % × {} % = {}",
            number(part.percent, lang),
            part.weight,
            number(part.contributes, lang)
        ));
    }
    if !grade.tampering.is_empty() {
        lines.push(
            lang.pick(
                "Changes outside your files, ignored when grading:",
                "Изменения вне ваших файлов, при оценке не учтены:",
            )
            .to_owned(),
        );
        for change in &grade.tampering {
            lines.push(format!(
                "  {}: {}",
                sanitize::inline(&change.path),
                super::tamper_words(change.kind, lang)
            ));
        }
    }
    lines.join("\n")
}

/// A check's message, evidence (or the compiler's errors, when the
/// exercise did not build) and remedy; empty when it passed.
fn check_output(exercise: &ExerciseGrade, check: &CheckGrade, lang: Lang) -> String {
    if check.verdict == Verdict::Pass {
        return String::new();
    }
    let mut text = check_message(check, lang).to_owned();
    let details = exercise
        .compile_errors
        .iter()
        .map(|e| e.rendered.trim_end());
    for detail in check.evidence.iter().map(String::as_str).chain(details) {
        text.push('\n');
        text.push_str(detail);
    }
    let mut out = sanitize::capped(&text, OUTPUT_CHARS);
    if let Some(remedy) = &check.remedy {
        let _ = write!(
            out,
            "\n{} {}",
            lang.pick("Review:", "Повторите:"),
            remedy.command
        );
    }
    out
}

fn quiz_test(module: &ModuleGrade, quiz: &QuizGrade, lang: Lang) -> Test {
    let mut output = match &quiz.problem {
        Some(problem) => problem.get(lang).to_owned(),
        None => format!(
            "{} % ({} {} %)",
            number(quiz.percent, lang),
            lang.pick("pass mark", "порог"),
            quiz.pass_percent
        ),
    };
    for missed in &quiz.missed {
        let _ = write!(output, "\n{}", missed.id);
        if let Some(remedy) = &missed.remedy {
            let _ = write!(output, " → {}", remedy.command);
        }
    }
    Test::new(
        format!("{} › {}", lang.pick("quiz", "квиз"), module.id),
        quiz.score,
        quiz.max,
        quiz.passed,
        output,
    )
}

fn style_test(grade: &Grade, lang: Lang) -> Test {
    let style = &grade.style;
    let mut lines = Vec::new();
    if !style.measured {
        let problem = style
            .problem
            .as_ref()
            .map(|p| sanitize::inline(p.get(lang)))
            .unwrap_or_default();
        lines.push(format!(
            "{}: {problem}",
            lang.pick("not measured", "не измерен")
        ));
    }
    for file in &style.unformatted {
        lines.push(format!(
            "{} {}",
            lang.pick("rustfmt would reformat", "rustfmt переформатирует"),
            sanitize::inline(file)
        ));
    }
    for warning in &style.warnings {
        lines.push(format!(
            "{}:{}: {}: {}",
            sanitize::inline(&warning.file),
            warning.line,
            sanitize::inline(&warning.lint),
            sanitize::inline(&warning.message)
        ));
    }
    Test::new(
        lang.pick("style", "стиль").to_owned(),
        grade.parts.style.percent,
        100.0,
        style.is_clean(),
        lines.join("\n"),
    )
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
    fn the_fields_gradescope_reads() {
        let out: serde_json::Value =
            serde_json::from_str(&render(&sample::grade(), Lang::Ru)).unwrap();
        assert_eq!(out["score"], 54.0);
        assert_eq!(out["stdout_visibility"], "visible");
        let tests = out["tests"].as_array().unwrap();
        // 8 checks, 2 quizzes, style.
        assert_eq!(tests.len(), 11);
        for test in tests {
            assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
            assert_eq!(test["visibility"], "visible");
            assert!(test["score"].as_f64().unwrap() <= test["max_score"].as_f64().unwrap());
        }
        assert_eq!(tests[9]["name"], "квиз › relations-performance");
    }
}
