//! The exercise half of `workbook dev verify`: every exercise is complete, its
//! starter compiles and fails, its reference solution passes every check on
//! every backend it declares, and solutions are clippy-clean.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use workbook_support::Backend;
use workbook_support::report::Status;

use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::runner::postgres::{Databases, Server};
use crate::runner::{self, Outcome, Progress, build::build};

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

/// The manifest with `-verify` added to its package version.
fn with_version_suffix(manifest: &str) -> String {
    let mut in_package = false;
    let mut out = String::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        }
        if in_package && trimmed.starts_with("version") && trimmed.ends_with('"') {
            out.push_str(line.trim_end().trim_end_matches('"'));
            out.push_str("-verify\"\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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
            ("starter/", "starter copy"),
            ("solution/", "reference solution"),
        ] {
            if !dir.join(copy).join(path).is_file() {
                findings
                    .problems
                    .push(format!("{id}: the {what} {copy}{path} is missing"));
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

/// Copies the course to a temp folder with every solution in place.
fn solved_copy(course: &Course) -> std::io::Result<tempdir::Dir> {
    let dir = tempdir::Dir::new()?;
    copy_tree(&course.root, dir.path())?;
    for exercise in &course.exercises {
        let root = dir.path().join("exercises").join(&exercise.id);
        for path in &exercise.editable {
            std::fs::copy(root.join("solution").join(path), root.join(path))?;
        }
        // Cargo names a workspace member's artifacts by its path relative to
        // the workspace, so the copy's would overwrite the course's in the
        // shared target folder (and mtime fingerprints could not tell them
        // apart). Another version gives them other names; dependencies stay shared.
        let manifest = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        std::fs::write(&manifest, with_version_suffix(&text))?;
    }
    Ok(dir)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if matches!(name.to_str(), Some("target" | ".git" | ".workbook")) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &to.join(&name))?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// A temp folder removed on drop (kept small: no extra dependency for it).
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> std::io::Result<Dir> {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let path = std::env::temp_dir()
                .join(format!("workbook-verify-{}-{stamp}", std::process::id()));
            std::fs::create_dir_all(&path)?;
            Ok(Dir(path))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
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

/// Runs every exercise check of the course.
pub async fn verify(course: &Course, progress: Progress) -> Result<Findings, Error> {
    let mut findings = Findings::default();
    // Only exercises whose files are all there can be built and run.
    let complete: Vec<&Exercise> = course
        .exercises
        .iter()
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
    let copy = solved_copy(course)?;
    let target_dir = course.root.join("target");
    for (backend, run) in runs.all(copy.path(), Some(&target_dir)).await? {
        solution_finding(&run, backend, &mut findings);
    }
    clippy(copy.path(), &target_dir, &ids, &mut findings).await?;
    drop(databases);
    drop(server);
    Ok(findings)
}

/// Runs of the same exercises on every backend each declares.
struct Runs<'a> {
    exercises: &'a [&'a Exercise],
    databases: Option<Arc<Databases>>,
    progress: Progress,
}

impl Runs<'_> {
    async fn all(
        &self,
        root: &Path,
        target_dir: Option<&Path>,
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
            let runs = runner::check(
                root,
                target_dir,
                &targets,
                backend,
                self.databases.clone(),
                self.progress,
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
    let built = build(&course.root, ids, None, |_| {}).await?;
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

fn solution_finding(run: &crate::runner::ExerciseRun, backend: Backend, findings: &mut Findings) {
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
                    "{}: the solution passes all {} checks on {backend}",
                    run.exercise,
                    checks.len()
                ));
            } else {
                findings.problems.push(format!(
                    "{}: on {backend} the solution fails {}",
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
    let output = command.args(["--", "-D", "warnings"]).output().await?;
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
    fn the_copy_gets_its_own_version() {
        let text =
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(
            super::with_version_suffix(text),
            "[package]\nname = \"x\"\nversion = \"0.1.0-verify\"\n[dependencies]\nversion = \"1\"\n"
        );
    }

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
