//! Running exercise checks: one cargo build for everything asked for, then
//! every check in its own process against its own scratch database, in
//! parallel up to the number of cores, each under its time limit.
//!
//! The runner produces results and emits [`events`] while it works; it never
//! writes to the terminal. [`summary::RunSummary`] decides points and
//! pass/fail once; `screens::check` renders the results, `screens::progress_line`
//! draws the progress, `commands::check` records them. Check processes report through sealed
//! JSON files (see `workbook_support::seal`); a check that ends without a
//! report whose seal verifies (it called `process::exit`, aborted, was killed,
//! or something else wrote the file) is a failure, never a pass. Points come
//! from the course, never from a report.

pub mod build;
pub mod events;
pub mod execute;
pub mod postgres;
pub mod summary;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use workbook_support::Backend;
use workbook_support::report::CheckReport;

use crate::course::Exercise;
use crate::error::Error;
use build::build;
use events::{Event, Reporter};
pub use execute::RunOptions;
use execute::{Job, run_all};
use postgres::Databases;

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
    /// Whether the student may edit its `Cargo.toml` (add dependencies).
    pub manifest_editable: bool,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The run targets of `exercises`, inside the course (or a copy of it) at `root`.
pub fn targets(root: &Path, exercises: &[&Exercise]) -> Vec<Arc<Target>> {
    exercises
        .iter()
        .map(|e| {
            Arc::new(Target {
                id: e.id.clone(),
                dir: canonical(&root.join("exercises").join(&e.id)),
                checks: e.checks.iter().map(|c| c.id.clone()).collect(),
                points: e.checks.iter().map(|c| c.points).collect(),
                time_limit: Duration::from_secs(u64::from(e.time_limit_secs)),
                manifest_editable: e.editable.iter().any(|p| p == "Cargo.toml"),
            })
        })
        .collect()
}

/// Builds the targets in one cargo invocation and runs all their checks on
/// `backend` (Postgres databases come from `databases`), without a sandbox.
pub async fn check(
    root: &Path,
    target_dir: Option<&Path>,
    targets: &[Arc<Target>],
    backend: Backend,
    databases: Option<Arc<Databases>>,
    reporter: &Reporter,
) -> Result<Vec<ExerciseRun>, Error> {
    check_with(
        root,
        target_dir,
        targets,
        backend,
        databases,
        reporter,
        &RunOptions::default(),
    )
    .await
}

/// [`check`], with check processes run as `options` say.
pub async fn check_with(
    root: &Path,
    target_dir: Option<&Path>,
    targets: &[Arc<Target>],
    backend: Backend,
    databases: Option<Arc<Databases>>,
    reporter: &Reporter,
    options: &RunOptions,
) -> Result<Vec<ExerciseRun>, Error> {
    let packages: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let mut count = 0;
    let estimate = if target_dir.is_none() {
        build::estimate_units(root)
    } else {
        None
    };
    let built = build(root, &packages, target_dir, options.reuse, |unit| {
        count += 1;
        reporter(&Event::Compiled {
            count,
            estimate,
            unit,
        });
    })
    .await;
    reporter(&Event::Built);
    let built = built?;
    if let Some(failure) = built.cargo_failure {
        return Err(Error::Build(failure));
    }
    let mut jobs = Vec::new();
    for target in targets {
        if let Some(binary) = built.binaries.get(&target.dir) {
            for check in &target.checks {
                jobs.push(Job {
                    target: target.clone(),
                    backend,
                    check: check.clone(),
                    binary: binary.clone(),
                });
            }
        }
    }
    let parallel = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let results = run_all(jobs, root, databases, options, parallel, reporter.clone()).await;
    reporter(&Event::Finished);
    Ok(targets
        .iter()
        .map(|target| {
            let outcome = match built.errors.get(&target.dir) {
                Some(errors) if !built.binaries.contains_key(&target.dir) => {
                    Outcome::CompileError {
                        errors: errors.iter().map(|e| for_target(e, target)).collect(),
                    }
                }
                // Neither built nor an error of its own: a dependency failed.
                None if !built.binaries.contains_key(&target.dir) => Outcome::CompileError {
                    errors: vec![CompileError {
                        file: format!("exercises/{}/Cargo.toml", target.id),
                        line: 0,
                        column: 0,
                        message: "not built: cargo stopped before it (see the errors above)"
                            .to_owned(),
                        rendered: String::new(),
                    }],
                },
                _ => {
                    let mut checks: Vec<_> = results
                        .iter()
                        .filter(|(job, _)| job.target.id == target.id)
                        .map(|(_, r)| r.clone())
                        .collect();
                    checks.sort_by_key(|r| target.checks.iter().position(|c| c == &r.id));
                    Outcome::Checked { checks }
                }
            };
            ExerciseRun {
                exercise: target.id.clone(),
                backend,
                outcome,
            }
        })
        .collect())
}

/// The compiler's advice, fitted to what the student may change: where the
/// exercise's `Cargo.toml` is fixed, "use `cargo add tokio`" would send them to
/// a file the grader ignores, so it becomes advice they can follow.
fn for_target(error: &CompileError, target: &Target) -> CompileError {
    if target.manifest_editable || !error.rendered.contains("cargo add") {
        return error.clone();
    }
    let rendered = error
        .rendered
        .lines()
        .map(|line| {
            if line.contains("cargo add") {
                let indent = &line[..line.len() - line.trim_start().len()];
                format!(
                    "{indent}= note: this exercise's Cargo.toml is fixed: use the crates it already depends on (see its [dependencies]) / Cargo.toml упражнения менять нельзя: используйте крейты, от которых оно уже зависит"
                )
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    CompileError {
        rendered,
        ..error.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(manifest_editable: bool) -> Target {
        Target {
            id: "x".into(),
            dir: PathBuf::from("/x"),
            checks: vec![],
            time_limit: Duration::from_secs(1),
            points: vec![],
            manifest_editable,
        }
    }

    #[test]
    fn cargo_add_advice_is_replaced_where_cargo_toml_is_fixed() {
        let error = CompileError {
            file: "src/lib.rs".into(),
            line: 3,
            column: 5,
            message: "failed to resolve".into(),
            rendered: "error[E0433]: failed to resolve\n  |\n  = help: if you wanted to use a crate named `tokio`, use `cargo add tokio` to add it to your `Cargo.toml`".into(),
        };
        let fitted = for_target(&error, &target(false));
        assert!(
            !fitted.rendered.contains("cargo add"),
            "{}",
            fitted.rendered
        );
        assert!(
            fitted
                .rendered
                .contains("  = note: this exercise's Cargo.toml is fixed")
        );
        assert_eq!(for_target(&error, &target(true)).rendered, error.rendered);
    }
}
