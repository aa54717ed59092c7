//! `workbook check`: build the exercises, run their checks against scratch
//! databases, show and record the results.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use workbook_support::Backend;
use workbook_support::sandbox::Sandbox;

use crate::cli::{CheckArgs, Format};
use crate::config::Config;
use crate::course::{Course, Exercise};
use crate::error::{Error, IdKind};
use crate::exit;
use crate::runner::postgres::{Databases, Server};
use crate::runner::summary::{CHECK_FORMAT, CheckDocument, RunSummary};
use crate::runner::{self, ExerciseRun, RunOptions};
use crate::screens::check::render;
use crate::store::Store;

pub(super) async fn run(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let backend = args.db.backend();
    let exercises = select(course, &args.exercises)?;
    let (targets, skipped): (Vec<&Exercise>, Vec<&Exercise>) = exercises
        .into_iter()
        .partition(|e| e.backends.contains(&backend));
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
    let options = run_options(args.sandbox)?;
    let work = check(course, &targets, backend, config, &options);
    tokio::pin!(work);
    let runs = tokio::select! {
        result = &mut work => result?,
        stop = workbook_support::signals::interrupted() => return Err(Error::Interrupted(stop)),
    };

    crate::record::check_runs(store, course, &runs).await?;
    let summary = RunSummary::new(course, &runs);
    match args.format {
        Format::Human => write!(out, "{}", render(course, &runs, lang))?,
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&CheckDocument {
                format_version: CHECK_FORMAT,
                runs: &runs,
                summary: &summary,
            })
            .unwrap_or_default()
        )?,
    }
    Ok(if summary.all_passed() {
        exit::OK
    } else {
        exit::NOT_PASSED
    })
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
                    IdKind::Exercise,
                    id,
                    course.exercises.iter().map(|e| e.id.as_str()),
                )
            })
        })
        .collect()
}

/// The run options asked for: with `--sandbox`, a working bubblewrap or an
/// error that says how to get one.
fn run_options(sandbox: bool) -> Result<RunOptions, Error> {
    if !sandbox {
        return Ok(RunOptions::default());
    }
    let sandbox = Sandbox::detect().map_err(Error::Sandbox)?;
    Ok(RunOptions {
        sandbox: Some(sandbox),
        ..RunOptions::default()
    })
}

async fn check(
    course: &Course,
    exercises: &[&Exercise],
    backend: Backend,
    config: &Config,
    options: &RunOptions,
) -> Result<Vec<ExerciseRun>, Error> {
    let targets = runner::targets(&course.root, exercises);
    let show_progress = std::io::stderr().is_terminal();
    let server = if backend == Backend::Postgres {
        Some(Server::start().await.map_err(Error::Postgres)?)
    } else {
        None
    };
    let databases = server.as_ref().map(|s| Arc::new(Databases::new(s)));
    let guard = DropDatabases(databases.clone());
    let runs = runner::check_with(
        &course.root,
        None,
        &targets,
        backend,
        databases,
        &crate::screens::progress_line::reporter(show_progress, config.lang),
        options,
    )
    .await?;
    drop(guard);
    drop(server);
    Ok(runs)
}

/// Drops any check database still there when the run ends or is interrupted.
pub(super) struct DropDatabases(pub(super) Option<Arc<Databases>>);

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
