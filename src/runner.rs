//! Running exercise checks: one cargo build for everything asked for, then
//! every check in its own process against its own scratch database, in
//! parallel up to the number of cores, each under its time limit.
//!
//! The runner produces results; `screens::check` renders them and
//! `commands::check` records them. Check processes report through JSON files
//! (see `workbook_support::report`); a check that ends without reporting
//! (it called `process::exit`, aborted, or was killed) is a failure, never a pass.

pub mod build;
pub mod execute;
pub mod postgres;

use std::path::PathBuf;

use workbook_support::Backend;
use workbook_support::report::CheckReport;

/// One compiler error, located and in the compiler's words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CompileError {
    /// The file, relative to the course root.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The one-line message (`mismatched types`).
    pub message: String,
    /// The compiler's full rendering, with the code excerpt (colour removed).
    pub rendered: String,
}

/// What happened to one exercise on one backend.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExerciseRun {
    /// The exercise id.
    pub exercise: String,
    /// The backend.
    pub backend: Backend,
    /// How it went.
    pub outcome: Outcome,
}

/// The outcome of one exercise run.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// It compiled and its checks ran.
    Checked {
        /// One report per check, in `exercise.yaml` order.
        checks: Vec<CheckReport>,
    },
    /// It does not compile.
    CompileError {
        /// The errors.
        errors: Vec<CompileError>,
    },
}

impl ExerciseRun {
    /// Points earned and possible (a compile error earns nothing).
    pub fn points(&self, max_points: u32) -> (u32, u32) {
        match &self.outcome {
            Outcome::Checked { checks } => (
                checks.iter().map(|c| c.points).sum(),
                checks.iter().map(|c| c.max_points).sum(),
            ),
            Outcome::CompileError { .. } => (0, max_points),
        }
    }

    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Outcome::Checked { checks } if checks.iter().all(|c| c.status == workbook_support::report::Status::Pass))
    }
}

/// An exercise to run: its id, folder, check ids and time limit.
#[derive(Debug, Clone)]
pub struct Target {
    /// The exercise id.
    pub id: String,
    /// The exercise's folder.
    pub dir: PathBuf,
    /// Its check ids, in order.
    pub checks: Vec<String>,
    /// Its time limit per check.
    pub time_limit: std::time::Duration,
    /// Its points per check, in order.
    pub points: Vec<u32>,
}
