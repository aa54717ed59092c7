//! Mistake and variant fixtures in `workbook dev verify`.
//!
//! `exercises/<id>/mistakes/<name>/` holds a wrong version of the exercise's
//! editable files that a student would really write, and `mistake.yaml`
//! naming the checks it must fail, each with a phrase its message (or
//! evidence) must contain, so that the failure teaches. `variants/<name>/`
//! holds a correct answer written differently, and `variant.yaml`; it must
//! pass every check. Each fixture runs on every backend of its exercise, in a
//! copy of the course, with a fresh data seed; the fixtures of different
//! exercises share rounds, so a course with N fixtures per exercise costs N
//! builds, not N per exercise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use workbook_support::Backend;
use workbook_support::report::{CheckReport, Status};

use super::exercises::{Findings, Runs, copy_with};
use crate::course::{Exercise, Text, paths};
use crate::error::Error;
use crate::runner::{ExerciseRun, Outcome, RunOptions};
use crate::yaml::de::decode;

/// Which kind of fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Must fail the named checks, and only those.
    Mistake,
    /// Must pass every check.
    Variant,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Mistake => "mistakes",
            Kind::Variant => "variants",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Kind::Mistake => "mistake.yaml",
            Kind::Variant => "variant.yaml",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Mistake => "mistake",
            Kind::Variant => "variant",
        }
    }
}

/// `mistake.yaml` or `variant.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    /// What the fixture is, for people.
    #[allow(dead_code, reason = "read by people; decoded so that it is validated")]
    about: Text,
    /// Check id → a phrase its failure must contain (mistakes only).
    #[serde(default)]
    fails: BTreeMap<String, String>,
}

/// One fixture, validated.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Its exercise.
    pub exercise: String,
    /// Its folder name.
    pub name: String,
    /// Mistake or variant.
    pub kind: Kind,
    /// Its folder, holding the editable files.
    pub dir: PathBuf,
    /// The checks it must fail, each with the phrase its failure must say.
    pub fails: BTreeMap<String, String>,
}

impl Fixture {
    fn label(&self) -> String {
        format!("{}: {} {}", self.exercise, self.kind.name(), self.name)
    }
}

/// The fixtures of `exercise`; problems with their files go to `findings`.
pub fn discover(root: &Path, exercise: &Exercise, findings: &mut Findings) -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    let dir = root.join("exercises").join(&exercise.id);
    for kind in [Kind::Mistake, Kind::Variant] {
        let Ok(entries) = std::fs::read_dir(dir.join(kind.folder())) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let folder = dir.join(kind.folder()).join(&name);
            if let Some(fixture) = read(exercise, kind, &name, &folder, findings) {
                fixtures.push(fixture);
            }
        }
    }
    fixtures
}

fn read(
    exercise: &Exercise,
    kind: Kind,
    name: &str,
    folder: &Path,
    findings: &mut Findings,
) -> Option<Fixture> {
    let label = format!("{}: {} {name}", exercise.id, kind.name());
    let file = folder.join(kind.file());
    let shown = format!(
        "exercises/{}/{}/{name}/{}",
        exercise.id,
        kind.folder(),
        kind.file()
    );
    let node = match crate::yaml::source::load(&file) {
        Ok(node) => node,
        Err(error) => {
            findings.problems.push(format!("{shown}: {error}"));
            return None;
        }
    };
    let decoded = decode::<FixtureFile>(&node);
    if let Some(problem) = decoded.problems.first() {
        findings.problems.push(format!(
            "{shown}:{}:{}: {}: {}",
            problem.mark.line, problem.mark.col, problem.path, problem.message
        ));
        return None;
    }
    let parsed = decoded.value?;
    let mut ok = true;
    for path in &exercise.editable {
        if !paths::inside(folder, path).is_ok_and(|p| p.is_file()) {
            findings
                .problems
                .push(format!("{label}: the file {path} is missing"));
            ok = false;
        }
    }
    let known: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
    for check in parsed.fails.keys() {
        if !known.contains(&check.as_str()) {
            findings.problems.push(format!(
                "{shown}: fails: no check `{check}` in this exercise{}",
                crate::suggest::suffix(check, known.iter().copied())
            ));
            ok = false;
        }
    }
    match (kind, parsed.fails.is_empty()) {
        (Kind::Mistake, true) => {
            findings.problems.push(format!(
                "{shown}: a mistake names the checks it must fail under `fails`"
            ));
            ok = false;
        }
        (Kind::Variant, false) => {
            findings.problems.push(format!(
                "{shown}: a variant must pass every check; `fails` belongs in a mistake"
            ));
            ok = false;
        }
        _ => {}
    }
    ok.then(|| Fixture {
        exercise: exercise.id.clone(),
        name: name.to_owned(),
        kind,
        dir: folder.to_path_buf(),
        fails: parsed.fails,
    })
}

/// Runs every fixture of `exercises` on every backend and judges it.
pub(super) async fn verify(
    course: &crate::course::Course,
    exercises: &[&Exercise],
    runs: &Runs<'_>,
    target_dir: &Path,
    findings: &mut Findings,
) -> Result<(), Error> {
    let per_exercise: Vec<(&Exercise, Vec<Fixture>)> = exercises
        .iter()
        .map(|e| (*e, discover(&course.root, e, findings)))
        .collect();
    let rounds = per_exercise.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    for round in 0..rounds {
        let chosen: Vec<(&Exercise, &Fixture)> = per_exercise
            .iter()
            .filter_map(|(e, fixtures)| fixtures.get(round).map(|f| (*e, f)))
            .collect();
        let installs: Vec<(&Exercise, PathBuf)> =
            chosen.iter().map(|(e, f)| (*e, f.dir.clone())).collect();
        let copy = copy_with(course, &installs)?;
        let these: Vec<&Exercise> = chosen.iter().map(|(e, _)| *e).collect();
        let round_runs = Runs {
            exercises: &these,
            databases: runs.databases.clone(),
            progress: runs.progress.clone(),
        };
        let seed = workbook_support::seed::Seed::from_env().value();
        let options = RunOptions {
            seed: Some(seed),
            ..RunOptions::default()
        };
        for (backend, run) in round_runs
            .all_with(copy.path(), Some(target_dir), &options)
            .await?
        {
            if let Some((_, fixture)) = chosen.iter().find(|(e, _)| e.id == run.exercise) {
                judge(fixture, backend, seed, &run, findings);
            }
        }
    }
    Ok(())
}

/// Whether a failure says `phrase` (in its English message or evidence).
fn says(report: &CheckReport, phrase: &str) -> bool {
    let phrase = phrase.to_lowercase();
    report.message.to_lowercase().contains(&phrase)
        || report
            .evidence
            .iter()
            .any(|e| e.to_lowercase().contains(&phrase))
}

fn judge(
    fixture: &Fixture,
    backend: Backend,
    seed: u64,
    run: &ExerciseRun,
    findings: &mut Findings,
) {
    let label = fixture.label();
    let at = format!("on {backend} (seed {seed})");
    let checks = match &run.outcome {
        Outcome::CompileError { errors } => {
            let first = errors
                .first()
                .map(|e| format!("{}:{}: {}", e.file, e.line, e.message))
                .unwrap_or_default();
            findings
                .problems
                .push(format!("{label} does not compile {at}: {first}"));
            return;
        }
        Outcome::Checked { checks } => checks,
    };
    let mut wrong = Vec::new();
    for report in checks {
        let expected = fixture.fails.get(&report.id);
        let passed = report.status == Status::Pass;
        match (expected, passed) {
            (None, false) => wrong.push(format!("it fails {} too: {}", report.id, report.message)),
            (Some(_), true) => wrong.push(format!("it passes {}, which it must fail", report.id)),
            (Some(phrase), false) if !says(report, phrase) => wrong.push(format!(
                "it fails {} without saying \"{phrase}\": {}",
                report.id, report.message
            )),
            _ => {}
        }
    }
    if wrong.is_empty() {
        let what = if fixture.kind == Kind::Mistake {
            let names: Vec<&str> = fixture.fails.keys().map(String::as_str).collect();
            format!("fails {} as it should", names.join(", "))
        } else {
            format!("passes all {} checks", checks.len())
        };
        findings.passed.push(format!("{label} {what} {at}"));
    } else {
        findings
            .problems
            .push(format!("{label} {at}: {}", wrong.join("; ")));
    }
}
