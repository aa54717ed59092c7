//! `workbook grade`: the rubric over a pristine course. The student's
//! editable files are installed into a copy of the pristine course (anything
//! else they changed is reported as tampering and ignored; the reference
//! solutions are not in the copy), the checks run there, each module's quiz
//! answers are re-scored against the pristine bank, style is measured on the
//! editable files only, and everything becomes one [`model::Grade`] that
//! every report format renders. Nothing is written into the course.

mod assemble;
pub mod batch;
mod integrity;
pub mod model;
mod quiz;
mod remedy;
pub mod report;
pub mod rubric;
mod style;
mod submission;
mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use workbook_support::Backend;
use workbook_support::sandbox::Sandbox;

use crate::config::Config;
use crate::course::copy::{TempDir, copy_tree, with_version_suffix};
use crate::course::text::Text;
use crate::course::{Course, Exercise, paths};
use crate::error::Error;
use crate::runner::events::Reporter;
use crate::runner::postgres::{Databases, Server};
use crate::runner::{self, ExerciseRun, Outcome, RunOptions};

pub use model::Grade;

/// How a grading run goes.
#[derive(Clone)]
pub struct Options {
    /// The database each exercise runs on when it supports it (else its first one).
    pub backend: Backend,
    /// The sandbox for check processes, when one is used.
    pub sandbox: Option<Sandbox>,
    /// Progress on the terminal.
    pub progress: Reporter,
    /// A Postgres server's databases to use (a batch shares one server);
    /// without them, a server is started when an exercise needs one.
    pub databases: Option<Arc<Databases>>,
    /// More folders the sandbox hides (a batch's other submissions).
    pub hide: Vec<PathBuf>,
}

impl Options {
    /// Options for one grading on `backend`.
    pub fn new(backend: Backend, sandbox: Option<Sandbox>, progress: Reporter) -> Options {
        Options {
            backend,
            sandbox,
            progress,
            databases: None,
            hide: Vec::new(),
        }
    }
}

/// Grades the submission at `submission` (or, without one, the course's
/// working copy) against the pristine course `course`.
pub async fn grade(
    course: &Course,
    submission: Option<&Path>,
    config: &Config,
    options: &Options,
) -> Result<Grade, Error> {
    let pristine = std::fs::canonicalize(&course.root)
        .map_err(|e| paths::failed(e, paths::FileAction::Open, &course.root))?;
    let source = match submission {
        Some(dir) => std::fs::canonicalize(dir)
            .map_err(|e| paths::failed(e, paths::FileAction::Open, dir))?,
        None => pristine.clone(),
    };
    let tampering = if submission.is_some() {
        // A student edition differs from the course by design (sealed keys):
        // a file as the export writes it is not tampering.
        submission::tampering(course, &pristine, &source, &|relative| {
            crate::export::exported_bytes(course, relative)
                .ok()
                .flatten()
        })
    } else {
        Vec::new()
    };
    // The graded copy is put together in a staging folder, then synchronised
    // into a lasting folder no other grading uses now, so cargo rebuilds only
    // what changed since that folder's last grading.
    let staging = TempDir::new("grade-stage")?;
    copy_tree(&pristine, staging.path(), &|relative| {
        !submission::author_only(relative) && relative != Path::new("quiz/answers")
    })?;
    let installed = submission::install(&course.exercises, &source, staging.path())?;
    let workspace = workspace::Workspace::acquire(&pristine)?;
    give_own_version(staging.path(), workspace.version_suffix())?;
    workspace.fill(staging.path())?;
    let copy = &workspace;
    let integrity = integrity_findings(course, &pristine, copy.path(), submission.is_some());
    let target_dir = runner::build::target_dir(&pristine);
    let mut hide = vec![pristine.clone(), source.clone()];
    hide.extend(options.hide.iter().cloned());
    // A folder inside another hidden one is hidden already (and bubblewrap
    // could not mount over it once its parent is gone).
    let all = hide.clone();
    hide.retain(|path| {
        !all.iter()
            .any(|other| other != path && path.starts_with(other))
    });
    hide.dedup();
    let runs = run_checks(course, copy.path(), &target_dir, &hide, options).await?;
    let compiled: Vec<String> = runs
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Checked { .. }))
        .map(|r| r.exercise.clone())
        .collect();
    // Style depends only on the files: a grading of the same files in this
    // folder reuses what rustfmt and clippy said (they take a second or two).
    let key = format!(
        "{}:{}",
        workspace::style_key(staging.path()),
        compiled.join(",")
    );
    // Style judges the student's own code: starter code they did not touch
    // earns nothing.
    let yours = changed_from_starter(&pristine, staging.path(), &installed, submission.is_none());
    let style = if yours.is_empty() {
        model::Style {
            problem: Some(Text::new(
                "nothing of yours to judge yet: every editable file is still the starter code",
                "пока нечего оценивать: все редактируемые файлы — ещё исходная заготовка",
            )),
            ..model::Style::default()
        }
    } else if let Some(style) = copy.remembered_style(&key) {
        style
    } else {
        let style = style::measure(copy.path(), &target_dir, &yours, &compiled).await;
        if style.measured {
            copy.remember_style(&key, &style);
        }
        style
    };
    let quizzes = course
        .modules()
        .iter()
        .filter_map(|m| quiz::grade(course, m, &source, config).map(|q| (m.id.clone(), q)))
        .collect();
    let label = match submission {
        Some(dir) => dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        None => "working copy".to_owned(),
    };
    Ok(assemble::Parts {
        course,
        submission: workbook_support::sanitize::inline(&label),
        backend: options.backend,
        runs,
        quizzes,
        style,
        tampering: tampering.into_iter().chain(integrity).collect(),
    }
    .grade())
}

/// The installed files (relative to the course root) whose content differs
/// from the starter: `exercises/<id>/starter/…` where the course keeps one,
/// else, for a submission, the pristine course's own file. In a working copy
/// without a kept starter, every file counts as the student's.
fn changed_from_starter(
    pristine: &Path,
    staging: &Path,
    installed: &[PathBuf],
    working_copy: bool,
) -> Vec<PathBuf> {
    installed
        .iter()
        .filter(|relative| {
            let mut parts = relative.components();
            let (Some(_), Some(id)) = (parts.next(), parts.next()) else {
                return true;
            };
            let rest: PathBuf = parts.collect();
            let kept = pristine
                .join("exercises")
                .join(id)
                .join("starter")
                .join(&rest);
            let starter = if kept.is_file() {
                kept
            } else if working_copy {
                return true;
            } else {
                pristine.join(relative)
            };
            std::fs::read(staging.join(relative)).ok() != std::fs::read(starter).ok()
        })
        .cloned()
        .collect()
}

/// Gives every crate of `exercises/` in the copy at `root` the version suffix
/// of its workspace (the support crate too).
fn give_own_version(root: &Path, suffix: &str) -> Result<(), Error> {
    // Every crate of `exercises/`, the support crate too: gradings running
    // at once must not rebuild each other's copy of it.
    let crates = std::fs::read_dir(root.join("exercises"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default();
    for folder in crates {
        let manifest = folder.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        std::fs::write(&manifest, with_version_suffix(&text, suffix))
            .map_err(|e| paths::failed(e, paths::FileAction::Write, &manifest))?;
    }
    Ok(())
}

/// Copies of the solution and includes from outside the editable paths, in
/// the installed files. A working copy has no starter to compare with, so
/// only includes are looked for there.
fn integrity_findings(
    course: &Course,
    pristine: &Path,
    copy: &Path,
    has_starter: bool,
) -> Vec<model::Tampering> {
    let mut found = Vec::new();
    for exercise in &course.exercises {
        let folder = Path::new("exercises").join(&exercise.id);
        for relative in &exercise.editable {
            let Ok(submitted) = std::fs::read_to_string(copy.join(&folder).join(relative)) else {
                continue;
            };
            let shown = folder.join(relative).to_string_lossy().replace('\\', "/");
            let solution =
                std::fs::read_to_string(pristine.join(&folder).join("solution").join(relative));
            let starter = std::fs::read_to_string(pristine.join(&folder).join(relative));
            if has_starter
                && let (Ok(solution), Ok(starter)) = (solution, starter)
                && integrity::copies_solution(&submitted, &solution, &starter)
            {
                found.push(model::Tampering {
                    path: shown.clone(),
                    kind: model::TamperKind::CopiesSolution,
                });
            }
            if Path::new(relative).extension().is_some_and(|e| e == "rs")
                && !integrity::includes_outside(Path::new(relative), &submitted, &exercise.editable)
                    .is_empty()
            {
                found.push(model::Tampering {
                    path: shown,
                    kind: model::TamperKind::IncludesOutside,
                });
            }
        }
    }
    found
}

/// Every exercise's checks in the copy at `root`, each on the chosen backend
/// if it runs there, else on the first it declares.
async fn run_checks(
    course: &Course,
    root: &Path,
    target_dir: &Path,
    hide: &[PathBuf],
    options: &Options,
) -> Result<Vec<ExerciseRun>, Error> {
    let on = |e: &Exercise| {
        if e.backends.contains(&options.backend) {
            options.backend
        } else {
            e.backends.first().copied().unwrap_or(options.backend)
        }
    };
    let needs_postgres = course.exercises.iter().any(|e| on(e) == Backend::Postgres);
    let server = if needs_postgres && options.databases.is_none() {
        Some(Server::start().await.map_err(Error::Postgres)?)
    } else {
        None
    };
    let own = server.as_ref().map(|s| Arc::new(Databases::new(s)));
    let databases = own.clone().or_else(|| options.databases.clone());
    let run_options = RunOptions {
        sandbox: options.sandbox.clone(),
        hide: hide.to_vec(),
        seed: None,
        // The workspace's crates build under its own versions.
        reuse: runner::build::Reuse::OwnVersions,
    };
    let mut runs = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let exercises: Vec<&Exercise> = course
            .exercises
            .iter()
            .filter(|e| on(e) == backend)
            .collect();
        if exercises.is_empty() {
            continue;
        }
        let targets = runner::targets(root, &exercises);
        let db = if backend == Backend::Postgres {
            databases.clone()
        } else {
            None
        };
        runs.extend(
            runner::check_with(
                root,
                Some(target_dir),
                &targets,
                backend,
                db,
                &options.progress,
                &run_options,
            )
            .await?,
        );
    }
    // Only databases of a server this grading started; a shared server's
    // databases are each dropped after their check.
    if let Some(own) = own {
        own.drop_all().await;
    }
    drop(server);
    Ok(runs)
}
