//! The grade as `JUnit` XML, for CI test dashboards (GitLab, Jenkins, GitHub
//! test-report actions) that show test suites, cases and failures: one suite
//! per exercise (named by its id) with one case per check, a `quiz` suite with
//! one case per module quiz, and a `style` suite with one case per finding
//! (or one passing case when clean). Every suite carries the grade's `score`
//! and `letter` as properties. Written with `quick-junit`; messages are in
//! the language asked for.

use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use workbook_support::sanitize;

use super::{check_message, exercises, letter, number};
use crate::grade::model::{CheckGrade, ExerciseGrade, Grade, QuizGrade, Verdict};
use crate::lang::Lang;

/// The most characters of compiler output kept in a suite's `system-err`.
const COMPILER_CHARS: usize = 8_000;

/// The XML document.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let mut report = Report::new("workbook grade");
    for (_, _, exercise) in exercises(grade) {
        report.add_test_suite(exercise_suite(grade, exercise, lang));
    }
    let quizzes: Vec<(&str, &QuizGrade)> = grade
        .modules
        .iter()
        .filter_map(|m| m.quiz.as_ref().map(|q| (m.id.as_str(), q)))
        .collect();
    if !quizzes.is_empty() {
        let mut suite = suite(grade, "quiz");
        for (module, quiz) in quizzes {
            suite.add_test_case(quiz_case(module, quiz, lang));
        }
        report.add_test_suite(suite);
    }
    report.add_test_suite(style_suite(grade, lang));
    // Writing to a String only fails on a bug in quick-junit.
    report.to_string().expect("JUnit XML serialises")
}

/// A suite with the grade's properties.
fn suite(grade: &Grade, name: &str) -> TestSuite {
    let mut suite = TestSuite::new(name);
    suite.add_property(Property::new("score", number(grade.score, Lang::En)));
    suite.add_property(Property::new("max_score", "100"));
    suite.add_property(Property::new("letter", letter(grade.letter)));
    suite
}

fn exercise_suite(grade: &Grade, exercise: &ExerciseGrade, lang: Lang) -> TestSuite {
    let mut suite = suite(grade, &exercise.id);
    suite.add_property(Property::new("points", exercise.points.to_string()));
    suite.add_property(Property::new("max_points", exercise.max_points.to_string()));
    for check in &exercise.checks {
        suite.add_test_case(check_case(exercise, check, lang));
    }
    if !exercise.compiled {
        let rendered: Vec<&str> = exercise
            .compile_errors
            .iter()
            .map(|e| e.rendered.as_str())
            .collect();
        suite.set_system_err(sanitize::capped(&rendered.join("\n"), COMPILER_CHARS));
        if exercise.checks.is_empty() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(lang.pick(
                "the exercise does not compile",
                "упражнение не компилируется",
            ));
            let mut case = TestCase::new("build", status);
            case.set_classname(&exercise.id);
            suite.add_test_case(case);
        }
    }
    suite
}

fn check_case(exercise: &ExerciseGrade, check: &CheckGrade, lang: Lang) -> TestCase {
    let kind = match check.verdict {
        Verdict::Pass => None,
        Verdict::Fail => Some(NonSuccessKind::Failure),
        Verdict::Error => Some(NonSuccessKind::Error),
    };
    let status = match kind {
        None => TestCaseStatus::success(),
        Some(kind) => {
            let message = check_message(check, lang);
            let mut status = TestCaseStatus::non_success(kind);
            status.set_message(sanitize::inline(message));
            let mut description = sanitize::text(message);
            for evidence in &check.evidence {
                let _ = write!(description, "\n{}", sanitize::text(evidence));
            }
            if let Some(remedy) = &check.remedy {
                let _ = write!(
                    description,
                    "\n{} {}",
                    lang.pick("review:", "повторите:"),
                    remedy.command
                );
            }
            status.set_description(description);
            status
        }
    };
    let mut case = TestCase::new(&check.id, status);
    case.set_classname(&exercise.id);
    case
}

fn quiz_case(module: &str, quiz: &QuizGrade, lang: Lang) -> TestCase {
    let status = if quiz.passed {
        TestCaseStatus::success()
    } else {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let message = match &quiz.problem {
            Some(problem) => problem.get(lang).to_owned(),
            None => lang.pick(
                format!(
                    "{} %, below the pass mark of {} %",
                    number(quiz.percent, lang),
                    quiz.pass_percent
                ),
                format!(
                    "{} %, ниже порога в {} %",
                    number(quiz.percent, lang),
                    quiz.pass_percent
                ),
            ),
        };
        status.set_message(message);
        status
    };
    let mut case = TestCase::new(module, status);
    case.set_classname("quiz");
    case
}

fn style_suite(grade: &Grade, lang: Lang) -> TestSuite {
    let mut suite = suite(grade, "style");
    let style = &grade.style;
    let mut add = |name: String, message: Option<String>| {
        let status = match message {
            None => TestCaseStatus::success(),
            Some(message) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(message);
                status
            }
        };
        let mut case = TestCase::new(name, status);
        case.set_classname("style");
        suite.add_test_case(case);
    };
    if !style.measured {
        let problem = style
            .problem
            .as_ref()
            .map(|p| sanitize::inline(p.get(lang)))
            .unwrap_or_default();
        add("measured".to_owned(), Some(problem));
    } else if style.is_clean() {
        add("clean".to_owned(), None);
    }
    for file in &style.unformatted {
        let message = lang.pick(
            "rustfmt would reformat this file",
            "rustfmt переформатирует этот файл",
        );
        add(
            format!("rustfmt {}", sanitize::inline(file)),
            Some(message.to_owned()),
        );
    }
    for warning in &style.warnings {
        add(
            format!(
                "{} {}:{}",
                warning.lint,
                sanitize::inline(&warning.file),
                warning.line
            ),
            Some(sanitize::inline(&warning.message)),
        );
    }
    suite
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
    fn hostile_text_is_escaped_for_xml() {
        let out = render(&sample::hostile(), Lang::En);
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(!out.contains('\x1b'), "{out}");
    }
}
