//! Puts a grading run's findings together into one [`Grade`]: points come
//! from the pristine course (never from a check's report), messages are
//! sanitised, failures get their remedy, and the rubric gives the letter.

use std::collections::BTreeMap;

use workbook_support::Backend;
use workbook_support::report::Status;
use workbook_support::sanitize;

use crate::course::Course;
use crate::course::exercise::Exercise;
use crate::course::text::Text;
use crate::runner::{ExerciseRun, Outcome};

use super::model::{
    CheckGrade, ExerciseGrade, GRADE_FORMAT, Grade, ModuleGrade, QuizGrade, Style, Tampering,
    Verdict,
};
use super::remedy;
use super::rubric::{self, Measured};

/// Compiler errors kept per exercise.
const MAX_COMPILE_ERRORS: usize = 5;
/// Characters kept of a student-originated message.
const MAX_MESSAGE: usize = 2_000;

/// What a grading run found.
pub struct Parts<'a> {
    /// The pristine course.
    pub course: &'a Course,
    /// What was graded.
    pub submission: String,
    /// The database asked for.
    pub backend: Backend,
    /// Each exercise's run.
    pub runs: Vec<ExerciseRun>,
    /// Each module's quiz, by module id.
    pub quizzes: BTreeMap<String, QuizGrade>,
    /// Style.
    pub style: Style,
    /// Tampering and integrity findings.
    pub tampering: Vec<Tampering>,
}

impl Parts<'_> {
    /// The grade.
    pub fn grade(self) -> Grade {
        let course = self.course;
        let mut modules = Vec::new();
        for module in course.modules() {
            let exercises: Vec<ExerciseGrade> = module
                .exercises
                .iter()
                .filter_map(|id| course.exercise(id))
                .map(|e| exercise_grade(course, e, self.runs.iter().find(|r| r.exercise == e.id)))
                .collect();
            let quiz = self.quizzes.get(&module.id).cloned();
            let points = sum_points(&exercises);
            modules.push(ModuleGrade {
                id: module.id.clone(),
                title: module.title.clone(),
                score: rubric::module_score(
                    &course.manifest.rubric,
                    points,
                    quiz.as_ref().map(|q| q.percent),
                ),
                exercises,
                quiz,
            });
        }
        let all: Vec<&ExerciseGrade> = modules.iter().flat_map(|m| &m.exercises).collect();
        let points = all
            .iter()
            .fold((0, 0), |(e, p), x| (e + x.points, p + x.max_points));
        let quizzes: Vec<f64> = modules
            .iter()
            .filter_map(|m| m.quiz.as_ref())
            .map(|q| q.percent)
            .collect();
        let all_green = all
            .iter()
            .all(|e| e.compiled && e.checks.iter().all(|c| c.verdict == Verdict::Pass));
        let style_percent = rubric::style_percent(
            self.style.measured,
            self.style.unformatted.len(),
            self.style.warnings.len(),
        );
        let scored = rubric::score(
            &course.manifest.rubric,
            &Measured {
                points,
                quiz: (quizzes.iter().sum(), quizzes.len()),
                style: style_percent,
                all_green,
                style_clean: self.style.is_clean(),
            },
        );
        Grade {
            format_version: GRADE_FORMAT,
            course: course.manifest.title.clone(),
            submission: self.submission,
            backend: self.backend,
            score: scored.total,
            letter: scored.letter,
            capped: scored.capped,
            parts: scored.parts,
            modules,
            style: self.style,
            tampering: self.tampering,
        }
    }
}

fn sum_points(exercises: &[ExerciseGrade]) -> (u32, u32) {
    exercises
        .iter()
        .fold((0, 0), |(e, p), x| (e + x.points, p + x.max_points))
}

/// One exercise's grade from its run (none: it was not run, which earns nothing).
fn exercise_grade(
    course: &Course,
    exercise: &Exercise,
    run: Option<&ExerciseRun>,
) -> ExerciseGrade {
    let reports = match run.map(|r| &r.outcome) {
        Some(Outcome::Checked { checks }) => Some(checks),
        _ => None,
    };
    let compile_errors = match run.map(|r| &r.outcome) {
        Some(Outcome::CompileError { errors }) => errors
            .iter()
            .take(MAX_COMPILE_ERRORS)
            .map(|e| crate::runner::CompileError {
                file: sanitize::inline(&e.file),
                line: e.line,
                column: e.column,
                message: sanitize::inline(&e.message),
                rendered: sanitize::tail(&e.rendered, 40, MAX_MESSAGE),
            })
            .collect(),
        _ => Vec::new(),
    };
    let checks: Vec<CheckGrade> = exercise
        .checks
        .iter()
        .map(|check| {
            let report = reports.and_then(|r| r.iter().find(|c| c.id == check.id));
            let verdict = match report.map(|r| r.status) {
                Some(Status::Pass) => Verdict::Pass,
                Some(Status::Fail) => Verdict::Fail,
                Some(Status::Error) | None => Verdict::Error,
            };
            let message = match report {
                Some(r) if verdict != Verdict::Pass => {
                    let en = sanitize::capped(&sanitize::text(&r.message), MAX_MESSAGE);
                    let ru = r.message_ru.as_deref().map_or_else(
                        || en.clone(),
                        |m| sanitize::capped(&sanitize::text(m), MAX_MESSAGE),
                    );
                    Text::new(en, ru)
                }
                Some(_) => Text::new("", ""),
                None if run.is_none() => Text::new("not run", "не запускалась"),
                None => Text::new(
                    "not run: the exercise does not compile",
                    "не запускалась: упражнение не компилируется",
                ),
            };
            CheckGrade {
                id: check.id.clone(),
                title: check.title.clone(),
                verdict,
                // The course decides points; a report only says pass or not.
                points: if verdict == Verdict::Pass {
                    check.points
                } else {
                    0
                },
                max_points: check.points,
                message,
                evidence: report
                    .map(|r| {
                        r.evidence
                            .iter()
                            .take(20)
                            .map(|e| sanitize::capped(&sanitize::inline(e), 300))
                            .collect()
                    })
                    .unwrap_or_default(),
                remedy: (verdict != Verdict::Pass)
                    .then(|| remedy::for_check(course, &exercise.id, &check.id))
                    .flatten(),
            }
        })
        .collect();
    ExerciseGrade {
        id: exercise.id.clone(),
        title: exercise.title.clone(),
        points: checks.iter().map(|c| c.points).sum(),
        max_points: checks.iter().map(|c| c.max_points).sum(),
        compiled: reports.is_some(),
        compile_errors,
        checks,
    }
}
