//! The exercise half of `workbook dev verify`: every exercise is complete, its
//! starter compiles and fails, its reference solution passes every check on
//! every backend it declares, and solutions are clippy-clean.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use workbook_support::Backend;
use workbook_support::report::Status;

use crate::course::copy::{TempDir, copy_tree, with_version_suffix};
use crate::course::paths::{FileAction, failed};
use crate::course::{Course, Exercise, paths};
use crate::error::Error;
use crate::runner::build::{Reuse, build};
use crate::runner::events::Reporter;
use crate::runner::postgres::{Databases, Server};
use crate::runner::{self, Outcome, RunOptions};

/// What the exercise checks found: lines that passed and problems.
#[derive(Debug, Default)]
pub struct Findings {
    /// What holds, one line each.
    pub passed: Vec<String>,
    /// What does not.
    pub problems: Vec<String>,
}

/// The package name in a `Cargo.toml`'s `[package]` table.
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(value) = line
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix('='))
        {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// Files and layout, without building anything.
fn structure(course: &Course, exercise: &Exercise, findings: &mut Findings) {
    let dir = course.root.join("exercises").join(&exercise.id);
    let id = &exercise.id;
    match std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .as_deref()
        .and_then(package_name)
    {
        Some(name) if &name == id => {}
        Some(name) => findings.problems.push(format!(
            "{id}: the crate is named `{name}`; name it `{id}` like its folder"
        )),
        None => findings
            .problems
            .push(format!("{id}: no Cargo.toml with a [package] name")),
    }
    if !dir.join("tests/checks.rs").is_file() {
        findings
            .problems
            .push(format!("{id}: no protected checks in tests/checks.rs"));
    }
    for path in &exercise.editable {
        for (copy, what) in [
            ("", "editable file"),
            ("starter", "starter copy"),
            ("solution", "reference solution"),
        ] {
            let base = if copy.is_empty() {
                dir.clone()
            } else {
                dir.join(copy)
            };
            let shown = if copy.is_empty() {
                path.clone()
            } else {
                format!("{copy}/{path}")
            };
            let missing = || format!("{id}: the {what} {shown} is missing");
            if !base.is_dir() {
                findings.problems.push(missing());
                continue;
            }
            match paths::inside(&base, path) {
                Ok(file) if file.is_file() => {}
                Ok(file) if file.exists() => findings
                    .problems
                    .push(format!("{id}: the {what} {shown} is not a file")),
                Ok(_) => findings.problems.push(missing()),
                Err(error) => findings.problems.push(format!(
                    "{id}: the {what} {shown}: {}",
                    paths::reason(&error)
                )),
            }
        }
        let (working, starter) = (
            std::fs::read(dir.join(path)).ok(),
            std::fs::read(dir.join("starter").join(path)).ok(),
        );
        if working.is_some() && starter.is_some() && working != starter {
            findings.problems.push(format!(
                "{id}: {path} differs from starter/{path}; the course must ship the starter"
            ));
        }
    }
}

/// Copies the course to a temp folder with the solutions of `exercises` in place.
fn solved_copy(course: &Course, exercises: &[&Exercise]) -> io::Result<TempDir> {
    let installs: Vec<(&Exercise, PathBuf)> = exercises
        .iter()
        .map(|e| {
            (
                *e,
                course.root.join("exercises").join(&e.id).join("solution"),
            )
        })
        .collect();
    copy_with(course, &installs)
}

/// Copies the course to a temp folder with each exercise's editable files
/// taken from the folder given for it (its solution, a mistake, a variant).
pub(super) fn copy_with(course: &Course, installs: &[(&Exercise, PathBuf)]) -> io::Result<TempDir> {
    let dir = TempDir::new("verify")?;
    let root = std::fs::canonicalize(&course.root)
        .map_err(|e| failed(e, FileAction::Open, &course.root))?;
    copy_tree(&root, dir.path(), &|_| true)?;
    for (exercise, source) in installs {
        let root = dir.path().join("exercises").join(&exercise.id);
        for path in &exercise.editable {
            paths::copy(&paths::inside(source, path)?, &paths::inside(&root, path)?)?;
        }
        // Cargo names a workspace member's artifacts by its path relative to
        // the workspace, so the copy's would overwrite the course's in the
        // shared target folder (and mtime fingerprints could not tell them
        // apart). Another version gives them other names; dependencies stay shared.
        let manifest = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| failed(e, FileAction::Read, &manifest))?;
        std::fs::write(&manifest, with_version_suffix(&text, "verify"))
            .map_err(|e| failed(e, FileAction::Write, &manifest))?;
    }
    Ok(dir)
}

/// The check ids a built check binary declares (`--list`).
fn listed_checks(binary: &Path, dir: &Path) -> Option<BTreeSet<String>> {
    let output = std::process::Command::new(binary)
        .arg("--list")
        .current_dir(dir)
        .output()
        .ok()?;
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.strip_suffix(": test").map(str::to_owned))
            .collect(),
    )
}

/// How many data seeds each reference solution is run with.
const SOLUTION_SEEDS: usize = 3;

/// Runs every exercise check of the course (or of the exercises in `only`).
pub async fn verify(
    course: &Course,
    only: &[String],
    progress: Reporter,
) -> Result<Findings, Error> {
    let mut findings = Findings::default();
    super::authoring::check(course, &mut findings);
    // Only exercises whose files are all there can be built and run.
    let complete: Vec<&Exercise> = course
        .exercises
        .iter()
        .filter(|e| only.is_empty() || only.contains(&e.id))
        .filter(|e| {
            let before = findings.problems.len();
            structure(course, e, &mut findings);
            findings.problems.len() == before
        })
        .collect();
    if complete.is_empty() {
        return Ok(findings);
    }
    let needs_postgres = complete
        .iter()
        .any(|e| e.backends.contains(&Backend::Postgres));
    let server = if needs_postgres {
        Some(Server::start().await.map_err(Error::Postgres)?)
    } else {
        None
    };
    let databases = server.as_ref().map(|s| Arc::new(Databases::new(s)));
    let ids: Vec<String> = complete.iter().map(|e| e.id.clone()).collect();

    listed_match(course, &complete, &ids, &mut findings).await?;
    let runs = Runs {
        exercises: &complete,
        databases: databases.clone(),
        progress,
    };
    // The starters, as shipped.
    for (backend, run) in runs.all(&course.root, None).await? {
        starter_finding(&run, backend, &mut findings);
    }
    // The solutions, in a copy of the course; the shared target folder keeps
    // the dependencies from being compiled again.
    let copy = solved_copy(course, &complete)?;
    let target_dir = runner::build::target_dir(&course.root);
    // Several data seeds: a solution must pass whatever the data.
    for _ in 0..SOLUTION_SEEDS {
        let seed = workbook_support::seed::Seed::from_env().value();
        let options = RunOptions {
            seed: Some(seed),
            ..RunOptions::default()
        };
        for (backend, run) in runs
            .all_with(copy.path(), Some(&target_dir), &options)
            .await?
        {
            solution_finding(&run, backend, seed, &mut findings);
        }
        if std::env::var_os(workbook_support::seed::SEED_VAR).is_some() {
            break; // a fixed seed gives the same data every time
        }
    }
    clippy(copy.path(), &target_dir, &ids, &mut findings).await?;
    super::fixtures::verify(course, &complete, &runs, &target_dir, &mut findings).await?;
    drop(databases);
    drop(server);
    Ok(findings)
}

/// Runs of the same exercises on every backend each declares.
pub(super) struct Runs<'a> {
    pub(super) exercises: &'a [&'a Exercise],
    pub(super) databases: Option<Arc<Databases>>,
    pub(super) progress: Reporter,
}

impl Runs<'_> {
    pub(super) async fn all(
        &self,
        root: &Path,
        target_dir: Option<&Path>,
    ) -> Result<Vec<(Backend, crate::runner::ExerciseRun)>, Error> {
        self.all_with(root, target_dir, &RunOptions::default())
            .await
    }

    /// [`Runs::all`] with the given run options (a data seed).
    pub(super) async fn all_with(
        &self,
        root: &Path,
        target_dir: Option<&Path>,
        options: &RunOptions,
    ) -> Result<Vec<(Backend, crate::runner::ExerciseRun)>, Error> {
        let mut all = Vec::new();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let exercises: Vec<&Exercise> = self
                .exercises
                .iter()
                .copied()
                .filter(|e| e.backends.contains(&backend))
                .collect();
            if exercises.is_empty() {
                continue;
            }
            let targets = runner::targets(root, &exercises);
            let runs = runner::check_with(
                root,
                target_dir,
                &targets,
                backend,
                self.databases.clone(),
                &self.progress,
                options,
            )
            .await?;
            all.extend(runs.into_iter().map(|r| (backend, r)));
        }
        Ok(all)
    }
}

/// The checks a binary lists must be the ones `exercise.yaml` declares.
async fn listed_match(
    course: &Course,
    exercises: &[&Exercise],
    ids: &[String],
    findings: &mut Findings,
) -> Result<(), Error> {
    let built = build(&course.root, ids, None, Reuse::Never, |_| {}).await?;
    for exercise in exercises {
        let dir = std::fs::canonicalize(course.root.join("exercises").join(&exercise.id))
            .unwrap_or_default();
        let declared: BTreeSet<String> = exercise.checks.iter().map(|c| c.id.clone()).collect();
        if let Some(listed) = built
            .binaries
            .get(&dir)
            .and_then(|b| listed_checks(b, &dir))
            && listed != declared
        {
            findings.problems.push(format!(
                "{}: the checks in tests/checks.rs ({}) differ from exercise.yaml ({})",
                exercise.id,
                listed.into_iter().collect::<Vec<_>>().join(", "),
                declared.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Ok(())
}

fn first_error(errors: &[crate::runner::CompileError]) -> String {
    errors
        .first()
        .map(|e| format!("{}:{}: {}", e.file, e.line, e.message))
        .unwrap_or_default()
}

fn starter_finding(run: &crate::runner::ExerciseRun, backend: Backend, findings: &mut Findings) {
    match &run.outcome {
        Outcome::CompileError { errors } => {
            findings.problems.push(format!(
                "{}: the starter does not compile on {backend}: {}",
                run.exercise,
                first_error(errors)
            ));
        }
        Outcome::Checked { checks } => {
            for broken in checks.iter().filter(|c| c.status == Status::Error) {
                findings.problems.push(format!(
                    "{}: on {backend} the starter's check {} could not run: {}",
                    run.exercise, broken.id, broken.message
                ));
            }
            let failing = checks.iter().filter(|c| c.status != Status::Pass).count();
            if failing == 0 {
                findings.problems.push(format!(
                    "{}: the starter passes every check on {backend}; it must leave work to do",
                    run.exercise
                ));
            } else {
                findings.passed.push(format!(
                    "{}: the starter compiles and fails {failing} of {} checks on {backend}",
                    run.exercise,
                    checks.len()
                ));
            }
        }
    }
}

fn solution_finding(
    run: &crate::runner::ExerciseRun,
    backend: Backend,
    seed: u64,
    findings: &mut Findings,
) {
    match &run.outcome {
        Outcome::CompileError { errors } => {
            findings.problems.push(format!(
                "{}: the solution does not compile: {}",
                run.exercise,
                first_error(errors)
            ));
        }
        Outcome::Checked { checks } => {
            let failing: Vec<String> = checks
                .iter()
                .filter(|c| c.status != Status::Pass)
                .map(|c| format!("{} ({})", c.id, c.message))
                .collect();
            if failing.is_empty() {
                findings.passed.push(format!(
                    "{}: the solution passes all {} checks on {backend} (seed {seed})",
                    run.exercise,
                    checks.len()
                ));
            } else {
                findings.problems.push(format!(
                    "{}: on {backend} (seed {seed}) the solution fails {}",
                    run.exercise,
                    failing.join("; ")
                ));
            }
        }
    }
}

/// Reference solutions (and their checks) must be clippy-clean.
async fn clippy(
    root: &Path,
    target_dir: &PathBuf,
    ids: &[String],
    findings: &mut Findings,
) -> Result<(), Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = tokio::process::Command::new(cargo);
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["clippy", "--all-targets", "--quiet"]);
    for id in ids {
        command.arg("-p").arg(id);
    }
    let output = command
        .args(["--", "-D", "warnings"])
        .output()
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run `cargo clippy`: {e}")))?;
    if output.status.success() {
        findings
            .passed
            .push("the reference solutions are clippy-clean".to_owned());
    } else {
        let text = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = text.lines().take(30).collect();
        findings.problems.push(format!(
            "clippy finds problems in the reference solutions:\n{}",
            tail.join("\n")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn reads_the_package_name() {
        assert_eq!(
            package_name("[package]\nname = \"eager-tags\"\nversion = \"0.1.0\"\n"),
            Some("eager-tags".into())
        );
        assert_eq!(
            package_name("[lib]\nname = \"x\"\n[package]\nname=\"y\"\n"),
            Some("y".into())
        );
        assert_eq!(package_name("[workspace]\n"), None);
    }
}
