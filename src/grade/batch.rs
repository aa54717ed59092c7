//! `workbook grade --batch DIR --out OUT`: a whole class on one machine, or
//! one share of it (`--shard K/N`) on one of N CI runners.
//!
//! Each subfolder of DIR is a submission, named by the student's id. At most
//! `--jobs` are graded at once; each in its own copy of the pristine course,
//! its own scratch databases (one Postgres server for the batch) and its own
//! sandbox, which hides the batch folder too, so no submission sees another.
//! Builds share the course's target folder (dependencies are compiled once);
//! each grading builds in a lasting folder of its own with versions of its
//! own (see `grade::workspace`), so gradings at once never overwrite each
//! other's binaries, and the next submission in that folder rebuilds only
//! what differs.
//!
//! Results: `OUT/<id>.json` per submission (the JSON report; a submission
//! that could not be graded gets a result with `status: error`), written as
//! each finishes, so memory stays flat; `OUT/<id>.fingerprint` makes the batch
//! resumable (an unchanged submission already graded is skipped); and
//! `OUT/_shard-K-of-N.json` lists the share's submissions for the gradebook.

mod fingerprint;
mod shard;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use workbook_support::Backend;

use crate::cli::{ReportFormat, Shard};
use crate::config::Config;
use crate::course::Course;
use crate::error::Error;
use crate::lang::Lang;
use crate::runner::events::silent;
use crate::runner::postgres::{Databases, Server};

use super::{Options, report};

pub use shard::{file_stem, shard_of};

/// How a batch goes.
pub struct Batch<'a> {
    /// The pristine course.
    pub course: &'a Course,
    /// The folder of submissions.
    pub dir: &'a Path,
    /// The results folder.
    pub out: &'a Path,
    /// Gradings at once.
    pub jobs: usize,
    /// The share to grade (1 of 1: all).
    pub shard: Shard,
    /// Options every grading shares (backend, sandbox).
    pub options: Options,
    /// Whether to draw the progress line.
    pub progress: bool,
}

/// What a batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Submissions in this share.
    pub total: usize,
    /// Graded now.
    pub graded: usize,
    /// Skipped: unchanged since their result was written.
    pub unchanged: usize,
    /// Could not be graded at all (a result with `status: error` was written).
    pub failed: Vec<String>,
}

/// The submissions in `dir` (subfolders, sorted by id) that belong to `shard`.
pub fn submissions(dir: &Path, shard: Shard) -> Result<Vec<(String, PathBuf)>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        crate::course::paths::failed(e, crate::course::paths::FileAction::Read, dir)
    })?;
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let id = e.file_name().to_str()?.to_owned();
            (!id.starts_with('.')).then(|| (id, e.path()))
        })
        .filter(|(id, _)| shard_of(id, shard.count) == shard.index)
        .collect();
    found.sort();
    Ok(found)
}

impl Batch<'_> {
    /// Grades the share; results go to `out` as each submission finishes.
    pub async fn run(self, config: &Config) -> Result<Outcome, Error> {
        std::fs::create_dir_all(self.out).map_err(|e| {
            crate::course::paths::failed(e, crate::course::paths::FileAction::Create, self.out)
        })?;
        let all = submissions(self.dir, self.shard)?;
        let course_print = fingerprint::course(self.course);
        let mut outcome = Outcome {
            total: all.len(),
            ..Outcome::default()
        };
        let mut todo = Vec::new();
        for (id, path) in &all {
            let print = fingerprint::submission(path, &course_print);
            if fingerprint::unchanged(self.out, id, &print) {
                outcome.unchanged += 1;
            } else {
                todo.push((id.clone(), path.clone(), print));
            }
        }
        let needs_postgres = self.course.exercises.iter().any(|e| {
            e.backends.first() == Some(&Backend::Postgres)
                || (self.options.backend == Backend::Postgres
                    && e.backends.contains(&Backend::Postgres))
        });
        let server = if needs_postgres && !todo.is_empty() {
            Some(Server::start().await.map_err(Error::Postgres)?)
        } else {
            None
        };
        let databases = server.as_ref().map(|s| Arc::new(Databases::new(s)));
        let line = Arc::new(Line::new(self.progress, config.lang, todo.len()));
        let semaphore = Arc::new(Semaphore::new(self.jobs.max(1)));
        let course = Arc::new(self.course.clone());
        let config = Arc::new(config.clone());
        let out = Arc::new(self.out.to_path_buf());
        let batch_dir = std::fs::canonicalize(self.dir).unwrap_or_else(|_| self.dir.to_path_buf());
        let results_dir =
            std::fs::canonicalize(self.out).unwrap_or_else(|_| self.out.to_path_buf());
        let mut tasks = tokio::task::JoinSet::new();
        let mut names = std::collections::HashMap::new();
        for (id, path, print) in todo {
            let permit = semaphore
                .clone()
                .acquire_owned()
                .await
                .expect("never closed");
            let mut options = self.options.clone();
            options.databases.clone_from(&databases);
            options.progress = silent();
            // The other submissions and the grades written so far.
            options.hide.push(batch_dir.clone());
            options.hide.push(results_dir.clone());
            let (course, config, out, line) =
                (course.clone(), config.clone(), out.clone(), line.clone());
            line.started(&id);
            let name = id.clone();
            let task = tasks.spawn(async move {
                let graded = grade_one(&course, &id, &path, &config, &options).await;
                drop(permit);
                let ok = graded.is_ok();
                let written = write_result(&out, &id, &print, graded, config.lang);
                line.finished(&id);
                (id, ok, written)
            });
            names.insert(task.id(), name);
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((_, true, written)) => {
                    written?;
                    outcome.graded += 1;
                }
                Ok((id, false, written)) => {
                    written?;
                    outcome.failed.push(id);
                }
                // A grading task that panicked: its submission has no result,
                // and the run says so (the others are unaffected).
                Err(e) => outcome
                    .failed
                    .push(names.get(&e.id()).cloned().unwrap_or_default()),
            }
        }
        line.clear();
        write_manifest(self.out, self.shard, &all)?;
        if let Some(databases) = databases {
            databases.drop_all().await;
        }
        drop(server);
        Ok(outcome)
    }
}

/// Grades one submission; an error is the submission's, not the batch's.
async fn grade_one(
    course: &Course,
    id: &str,
    path: &Path,
    config: &Config,
    options: &Options,
) -> Result<super::Grade, Error> {
    let mut graded = super::grade(course, Some(path), config, options).await?;
    graded.submission = workbook_support::sanitize::inline(id);
    Ok(graded)
}

/// Writes `OUT/<id>.json` (and its fingerprint, only for a real grade, so a
/// failure is tried again next time).
fn write_result(
    out: &Path,
    id: &str,
    print: &str,
    graded: Result<super::Grade, Error>,
    lang: Lang,
) -> Result<(), Error> {
    let stem = file_stem(id);
    let file = out.join(format!("{stem}.json"));
    let (text, keep_print) = match graded {
        Ok(grade) => (report::render(&grade, ReportFormat::Json, lang), true),
        Err(error) => (error_result(id, &error.render(lang)), false),
    };
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| {
            Error::from(crate::course::paths::failed(
                e,
                crate::course::paths::FileAction::Write,
                path,
            ))
        })
    };
    write(&file, &text)?;
    let print_file = out.join(format!("{stem}.fingerprint"));
    if keep_print {
        write(&print_file, print)?;
    } else {
        let _ = std::fs::remove_file(print_file);
    }
    Ok(())
}

/// The result of a submission that could not be graded at all.
fn error_result(id: &str, message: &str) -> String {
    let value = serde_json::json!({
        "format_version": super::model::GRADE_FORMAT,
        "version": 3,
        "status": "error",
        "message": workbook_support::sanitize::capped(&workbook_support::sanitize::text(message), 2_000),
        "submission": workbook_support::sanitize::inline(id),
        "tests": [],
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// `OUT/_shard-K-of-N.json`: which submissions this share holds.
fn write_manifest(out: &Path, shard: Shard, all: &[(String, PathBuf)]) -> Result<(), Error> {
    let value = serde_json::json!({
        "format_version": 1,
        "shard": shard.index,
        "of": shard.count,
        "submissions": all.iter().map(|(id, _)| workbook_support::sanitize::inline(id)).collect::<Vec<_>>(),
    });
    let file = out.join(format!("_shard-{}-of-{}.json", shard.index, shard.count));
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n",
    )
    .map_err(|e| {
        Error::from(crate::course::paths::failed(
            e,
            crate::course::paths::FileAction::Write,
            &file,
        ))
    })
}

/// The batch's progress line: how many are done, which are being graded, and
/// an estimate of the time left from the average so far.
struct Line {
    enabled: bool,
    lang: Lang,
    total: usize,
    started: Instant,
    state: std::sync::Mutex<(usize, Vec<String>)>,
}

impl Line {
    fn new(enabled: bool, lang: Lang, total: usize) -> Line {
        Line {
            enabled,
            lang,
            total,
            started: Instant::now(),
            state: std::sync::Mutex::new((0, Vec::new())),
        }
    }

    fn started(&self, id: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.1.push(workbook_support::sanitize::inline(id));
        }
        self.draw();
    }

    fn finished(&self, id: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.0 += 1;
            let shown = workbook_support::sanitize::inline(id);
            state.1.retain(|s| *s != shown);
        }
        self.draw();
    }

    fn draw(&self) {
        if !self.enabled {
            return;
        }
        let Ok(state) = self.state.lock() else {
            return;
        };
        let (done, current) = (&state.0, &state.1);
        let left = if *done > 0 {
            // Whole seconds: the counts are small, the estimate is rough anyway.
            let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let per = elapsed / u64::try_from(*done).unwrap_or(1);
            let secs = per * u64::try_from(self.total - done).unwrap_or(0) / 1000;
            self.lang.pick(
                format!(" · ~{secs} s left"),
                format!(" · осталось ~{secs} с"),
            )
        } else {
            String::new()
        };
        let label = self.lang.pick("Grading", "Оценка");
        eprint!(
            "\r\x1b[2K{label} {} {done}/{} {}{left}",
            crate::style::bar(*done, self.total, 20),
            self.total,
            current.join(", ")
        );
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}
