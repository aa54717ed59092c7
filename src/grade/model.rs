//! What a grading run found, as one value: the input of every report format
//! (human, JSON, `JUnit`, Markdown, GitHub annotations, Gradescope). Built once
//! by `grade::grade`; the formats only render it, they decide nothing.

use serde::{Deserialize, Serialize};

use crate::cli::Letter;
use crate::course::text::Text;
use workbook_support::Backend;

/// The version of the grade JSON document; bumped on any incompatible change.
pub const GRADE_FORMAT: u32 = 1;

/// The result of grading one submission.
#[derive(Debug, Clone, Serialize)]
pub struct Grade {
    /// [`GRADE_FORMAT`].
    pub format_version: u32,
    /// The course's title.
    pub course: Text,
    /// What was graded: the submission folder's name, or `working copy`.
    pub submission: String,
    /// The database the checks ran on.
    pub backend: Backend,
    /// The total, 0–100, two decimals.
    pub score: f64,
    /// The letter from the rubric.
    pub letter: Letter,
    /// Why the letter is not S although the score reaches it, if so.
    pub capped: Option<Capped>,
    /// The three parts of the rubric and what each contributes.
    pub parts: Parts,
    /// Each module, in course order.
    pub modules: Vec<ModuleGrade>,
    /// rustfmt and clippy on the student's editable files.
    pub style: Style,
    /// Differences from the pristine course outside what students may edit.
    pub tampering: Vec<Tampering>,
}

/// Why the score reaches S but the letter is A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capped {
    /// Some check is not green.
    FailingChecks,
    /// rustfmt or clippy found something.
    StyleNotClean,
    /// Both.
    FailingChecksAndStyle,
}

/// The rubric's parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Parts {
    /// Exercise checks, by points (partial credit).
    pub exercises: Part,
    /// Quiz scores.
    pub quiz: Part,
    /// Clean style.
    pub style: Part,
}

/// One part of the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Part {
    /// The part's weight, in percent of the total.
    pub weight: u32,
    /// How much of the part was earned, 0–100.
    pub percent: f64,
    /// What it adds to the total: `weight × percent / 100`.
    pub contributes: f64,
}

/// One module's grade.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleGrade {
    /// The module id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// The module's score, 0–100: its exercises and quiz, weighted as the rubric weighs them.
    pub score: f64,
    /// Its exercises.
    pub exercises: Vec<ExerciseGrade>,
    /// Its quiz, if it has one.
    pub quiz: Option<QuizGrade>,
}

/// One exercise's grade.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseGrade {
    /// The exercise id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// Points earned.
    pub points: u32,
    /// Points possible (from the pristine course).
    pub max_points: u32,
    /// Whether it compiled.
    pub compiled: bool,
    /// The first compiler errors, when it did not.
    pub compile_errors: Vec<crate::runner::CompileError>,
    /// Each check, in `exercise.yaml` order.
    pub checks: Vec<CheckGrade>,
}

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Green.
    Pass,
    /// The work is wrong.
    Fail,
    /// It could not run: no build, a time-out, a crash.
    Error,
}

/// One check's grade.
#[derive(Debug, Clone, Serialize)]
pub struct CheckGrade {
    /// The check id.
    pub id: String,
    /// What it proves.
    pub title: Text,
    /// How it ended.
    pub verdict: Verdict,
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max_points: u32,
    /// What went wrong (sanitised student-originated text), in both languages; empty on a pass.
    pub message: Text,
    /// Supporting detail (sanitised).
    pub evidence: Vec<String>,
    /// Where the course teaches what this check proves.
    pub remedy: Option<Remedy>,
}

/// A lesson step to go back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remedy {
    /// The lesson id.
    pub lesson: String,
    /// The step id.
    pub step: String,
    /// The step's title.
    pub title: Text,
    /// The command that opens it: `workbook lesson ID --step S`.
    pub command: String,
}

/// One module's quiz, re-scored against the pristine bank.
#[derive(Debug, Clone, Serialize)]
pub struct QuizGrade {
    /// The bank id.
    pub bank: String,
    /// Where the answers file is, relative to the course root.
    pub file: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max: f64,
    /// `score / max`, 0–100.
    pub percent: f64,
    /// The pass mark, in percent.
    pub pass_percent: u32,
    /// Whether it reaches the pass mark.
    pub passed: bool,
    /// Why nothing could be scored: no answers file, or a malformed one.
    pub problem: Option<Text>,
    /// Question ids answered wrongly or not at all, each with the step that teaches it.
    pub missed: Vec<MissedQuestion>,
}

/// A quiz question not fully earned.
#[derive(Debug, Clone, Serialize)]
pub struct MissedQuestion {
    /// The question id.
    pub id: String,
    /// Where it is taught.
    pub remedy: Option<Remedy>,
}

/// rustfmt and clippy on the student's editable Rust files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Style {
    /// Whether style could be measured at all (the tools ran).
    pub measured: bool,
    /// Files (relative to the course root) rustfmt would change.
    pub unformatted: Vec<String>,
    /// Clippy warnings in the editable files.
    pub warnings: Vec<StyleWarning>,
    /// Why style was not measured, if it was not.
    pub problem: Option<Text>,
}

impl Style {
    /// Nothing to complain about.
    pub fn is_clean(&self) -> bool {
        self.measured && self.unformatted.is_empty() && self.warnings.is_empty()
    }
}

/// One clippy warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StyleWarning {
    /// The file, relative to the course root.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// The lint (`clippy::needless_return`).
    pub lint: String,
    /// Its one-line message.
    pub message: String,
}

/// A difference from the pristine course that grading ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tampering {
    /// The path, relative to the course root.
    pub path: String,
    /// What kind of difference.
    pub kind: TamperKind,
}

/// Kinds of tampering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TamperKind {
    /// A protected file differs from the course's.
    Modified,
    /// A protected file of the course is missing.
    Removed,
    /// A file the course does not have, outside the editable paths.
    Added,
    /// An editable file is the reference solution (same text, normalised).
    CopiesSolution,
    /// An editable file pulls in code from outside the editable paths
    /// (`#[path = …]`, `include!`, `include_str!`).
    IncludesOutside,
}

impl Grade {
    /// Every check of every exercise, with its exercise and module.
    pub fn checks(&self) -> impl Iterator<Item = (&ModuleGrade, &ExerciseGrade, &CheckGrade)> {
        self.modules.iter().flat_map(|m| {
            m.exercises
                .iter()
                .flat_map(move |e| e.checks.iter().map(move |c| (m, e, c)))
        })
    }

    /// Whether every check is green.
    pub fn all_green(&self) -> bool {
        self.checks().all(|(_, _, c)| c.verdict == Verdict::Pass)
    }
}
