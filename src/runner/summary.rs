//! Points and pass/fail of a run, decided in one place. Points come from the
//! course (a check earns its `exercise.yaml` points when it passes, nothing
//! otherwise); a report never decides them. Every screen, the JSON output,
//! the exit code and the progress store read them from here.

use serde::Serialize;
use workbook_support::Backend;
use workbook_support::report::Status;

use super::{ExerciseRun, Outcome};
use crate::course::{Course, Exercise};

/// The version of `check --format json`; bumped on any incompatible change.
pub const CHECK_FORMAT: u32 = 1;

/// Points and checks, earned and possible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max_points: u32,
    /// Checks passed.
    pub passed: usize,
    /// Checks in all.
    pub checks: usize,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.points += other.points;
        self.max_points += other.max_points;
        self.passed += other.passed;
        self.checks += other.checks;
    }

    /// Whether every check passed.
    pub fn all_passed(&self) -> bool {
        self.passed == self.checks
    }
}

/// One exercise's totals on one backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExerciseTotals {
    /// The exercise id.
    pub exercise: String,
    /// The backend.
    pub backend: Backend,
    /// Its totals.
    #[serde(flatten)]
    pub totals: Totals,
    /// Whether it compiled.
    pub compiled: bool,
}

/// The totals of a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// Each exercise run, in run order.
    pub exercises: Vec<ExerciseTotals>,
    /// Everything together.
    pub totals: Totals,
}

/// The points a check earns: its course points when it passed.
pub fn check_points(points: u32, status: Status) -> u32 {
    if status == Status::Pass { points } else { 0 }
}

/// The totals of one exercise's run; checks the run lacks count as failed.
pub fn exercise_totals(exercise: &Exercise, run: &ExerciseRun) -> ExerciseTotals {
    let mut totals = Totals {
        max_points: exercise.checks.iter().map(|c| c.points).sum(),
        checks: exercise.checks.len(),
        ..Totals::default()
    };
    if let Outcome::Checked { checks } = &run.outcome {
        for check in &exercise.checks {
            if let Some(report) = checks.iter().find(|r| r.id == check.id) {
                totals.points += check_points(check.points, report.status);
                totals.passed += usize::from(report.status == Status::Pass);
            }
        }
    }
    ExerciseTotals {
        exercise: exercise.id.clone(),
        backend: run.backend,
        totals,
        compiled: matches!(run.outcome, Outcome::Checked { .. }),
    }
}

impl RunSummary {
    /// The summary of `runs` of exercises of `course`.
    pub fn new(course: &Course, runs: &[ExerciseRun]) -> RunSummary {
        let mut summary = RunSummary::default();
        for run in runs {
            if let Some(exercise) = course.exercise(&run.exercise) {
                let totals = exercise_totals(exercise, run);
                summary.totals.add(totals.totals);
                summary.exercises.push(totals);
            }
        }
        summary
    }

    /// The totals of one exercise run.
    pub fn of(&self, exercise: &str, backend: Backend) -> Option<&ExerciseTotals> {
        self.exercises
            .iter()
            .find(|e| e.exercise == exercise && e.backend == backend)
    }

    /// Whether every check of every exercise run passed.
    pub fn all_passed(&self) -> bool {
        self.exercises
            .iter()
            .all(|e| e.compiled && e.totals.all_passed())
    }
}

/// `check --format json`: the runs and their totals, versioned.
#[derive(Debug, Serialize)]
pub struct CheckDocument<'a> {
    /// [`CHECK_FORMAT`].
    pub format_version: u32,
    /// Each exercise run, with every check's report.
    pub runs: &'a [ExerciseRun],
    /// Points and checks per exercise and overall.
    pub summary: &'a RunSummary,
}
