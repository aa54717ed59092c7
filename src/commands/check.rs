//! `workbook check`: build the exercises, run their checks against scratch
//! databases, show and record the results.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use workbook_support::Backend;
use workbook_support::report::Status;

use crate::cli::{CheckArgs, Db, Format};
use crate::config::Config;
use crate::course::exercise::Backend as DeclaredBackend;
use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::exit;
use crate::runner::build::build;
use crate::runner::execute::{Job, run_all};
use crate::runner::postgres::{Databases, Server};
use crate::runner::{ExerciseRun, Outcome, Target};
use crate::screens::check::render;
use crate::store::{CheckRun, CheckStatus, Store};

pub(super) async fn run(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let backend = match args.db {
        Db::Sqlite => Backend::Sqlite,
        Db::Postgres => Backend::Postgres,
    };
    let exercises = select(course, &args.exercises)?;
    let (targets, skipped): (Vec<&Exercise>, Vec<&Exercise>) = exercises
        .into_iter()
        .partition(|e| e.backends.iter().any(|b| same(*b, backend)));
    for exercise in &skipped {
        writeln!(
            out,
            "{}",
            lang.pick(
                format!("{}: skipped, it does not run on {backend}", exercise.id),
                format!("{}: пропущено, не запускается на {backend}", exercise.id),
            )
        )?;
    }
    if targets.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick("Nothing to check.", "Проверять нечего.")
        )?;
        return Ok(exit::OK);
    }

    // Ctrl-C stops everything: child processes die with their handles, and the
    // databases and the throwaway server are cleaned up below.
    let work = check(course, &targets, backend, config);
    tokio::pin!(work);
    let runs = tokio::select! {
        result = &mut work => result?,
        _ = tokio::signal::ctrl_c() => return Err(Error::Interrupted),
    };

    record(store, course, &runs).await?;
    match args.format {
        Format::Human => write!(out, "{}", render(course, &runs, lang))?,
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&runs).unwrap_or_default()
        )?,
    }
    Ok(if runs.iter().all(ExerciseRun::passed) {
        exit::OK
    } else {
        exit::NOT_PASSED
    })
}

fn same(declared: DeclaredBackend, backend: Backend) -> bool {
    matches!(
        (declared, backend),
        (DeclaredBackend::Sqlite, Backend::Sqlite) | (DeclaredBackend::Postgres, Backend::Postgres)
    )
}

/// The exercises named (all of them when none is).
fn select<'a>(course: &'a Course, ids: &[String]) -> Result<Vec<&'a Exercise>, Error> {
    if ids.is_empty() {
        return Ok(course.exercises.iter().collect());
    }
    ids.iter()
        .map(|id| {
            course.exercise(id).ok_or_else(|| {
                Error::unknown(
                    "exercise",
                    id,
                    course.exercises.iter().map(|e| e.id.as_str()),
                )
            })
        })
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

async fn check(
    course: &Course,
    exercises: &[&Exercise],
    backend: Backend,
    config: &Config,
) -> Result<Vec<ExerciseRun>, Error> {
    let targets: Vec<Arc<Target>> = exercises
        .iter()
        .map(|e| {
            Arc::new(Target {
                id: e.id.clone(),
                dir: canonical(&course.root.join("exercises").join(&e.id)),
                checks: e.checks.iter().map(|c| c.id.clone()).collect(),
                points: e.checks.iter().map(|c| c.points).collect(),
                time_limit: Duration::from_secs(u64::from(e.time_limit_secs)),
            })
        })
        .collect();
    let packages: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let show_progress = std::io::stderr().is_terminal();
    let lang = config.lang;
    let mut compiled = 0;
    let built = build(&course.root, &packages, |unit| {
        compiled += 1;
        if show_progress {
            eprint!(
                "\r\x1b[2K{} {compiled}: {unit}",
                lang.pick("Compiling", "Сборка")
            );
        }
    })
    .await?;
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    if let Some(failure) = built.cargo_failure {
        return Err(Error::Build(failure));
    }
    let mut jobs = Vec::new();
    for target in &targets {
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
    let server = if backend == Backend::Postgres && !jobs.is_empty() {
        Some(Server::start().await.map_err(Error::Postgres)?)
    } else {
        None
    };
    let databases = server.as_ref().map(|s| Arc::new(Databases::new(s)));
    let guard = DropDatabases(databases.clone());
    let parallel = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let results = run_all(jobs, databases.clone(), parallel, move |done, total| {
        if show_progress {
            eprint!(
                "\r\x1b[2K{} {done}/{total}",
                lang.pick("Checks", "Проверки")
            );
        }
    })
    .await;
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    drop(guard);
    drop(server);

    Ok(targets
        .iter()
        .map(|target| {
            let outcome = match built.errors.get(&target.dir) {
                Some(errors) if !built.binaries.contains_key(&target.dir) => {
                    Outcome::CompileError {
                        errors: errors.clone(),
                    }
                }
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

/// Drops any check database still there when the run ends or is interrupted.
struct DropDatabases(Option<Arc<Databases>>);

impl Drop for DropDatabases {
    fn drop(&mut self) {
        if let Some(databases) = self.0.take() {
            // Dropping needs async IO; a fresh thread with its own runtime works
            // even while this runtime is shutting down.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(databases.drop_all());
                }
            })
            .join();
        }
    }
}

async fn record(store: &Store, course: &Course, runs: &[ExerciseRun]) -> Result<(), Error> {
    for run in runs {
        match &run.outcome {
            Outcome::Checked { checks } => {
                for report in checks {
                    store
                        .record_check_run(&CheckRun {
                            exercise: &run.exercise,
                            check: &report.id,
                            backend: run.backend.name(),
                            status: match report.status {
                                Status::Pass => CheckStatus::Pass,
                                Status::Fail => CheckStatus::Fail,
                                Status::Error => CheckStatus::Error,
                            },
                            points: report.points,
                            max_points: report.max_points,
                            message: &report.message,
                        })
                        .await?;
                }
            }
            Outcome::CompileError { .. } => {
                if let Some(exercise) = course.exercise(&run.exercise) {
                    for check in &exercise.checks {
                        store
                            .record_check_run(&CheckRun {
                                exercise: &run.exercise,
                                check: &check.id,
                                backend: run.backend.name(),
                                status: CheckStatus::Error,
                                points: 0,
                                max_points: check.points,
                                message: "does not compile",
                            })
                            .await?;
                    }
                }
            }
        }
    }
    Ok(())
}
