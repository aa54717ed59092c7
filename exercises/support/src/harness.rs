//! The test harness of exercise checks.
//!
//! Output is libtest's (`running 3 tests`, `test id ... ok`, `test result: …`),
//! so a plain `cargo test -p <exercise>` works and reads as usual; filters,
//! `--exact` and `--list` are understood.
//!
//! A check binary runs in one of two roles. Started by a supervisor (the
//! `workbook` runner, or this harness itself) with [`SUPERVISED_VAR`] set, it
//! is the [`child`]: it reads its secret from standard input before any
//! student code runs, runs the one check asked for against a scratch database
//! under the exercise's time limit, and leaves a sealed report. Started any
//! other way (`cargo test`), it is the [`parent`]: it runs each selected check
//! in a child process of itself and judges the child's sealed report, so an
//! early `exit(0)`, an abort or a crash in student code is a failed check
//! there too, exactly as under `workbook check`.

mod child;
mod parent;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;

use serde::Deserialize;
use sqlx::AnyPool;

use crate::backend::Backend;
use crate::failure::{Failure, fail};
use crate::schema::Schema;
use crate::seal::SUPERVISED_VAR;

/// The future a check returns.
pub type CheckFuture = Pin<Box<dyn Future<Output = Result<(), Failure>> + Send>>;

/// One check: an id from `exercise.yaml` and the function that runs it.
pub struct Check {
    id: &'static str,
    run: fn(Ctx) -> CheckFuture,
}

impl Check {
    /// A check.
    pub fn new(id: &'static str, run: fn(Ctx) -> CheckFuture) -> Check {
        Check { id, run }
    }
}

/// What a check gets: its scratch database and where the exercise lives.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The backend it runs on.
    pub backend: Backend,
    /// A pool on the fresh database.
    pub pool: AnyPool,
    /// The database's URL, for checks that connect themselves.
    pub url: String,
    /// The exercise's folder (snapshots live there).
    pub exercise_dir: PathBuf,
    /// The seed to draw the check's data from (see [`crate::seed`]).
    pub seed: crate::seed::Seed,
}

impl Ctx {
    /// The database's schema, normalised.
    pub async fn schema(&self) -> Result<Schema, Failure> {
        Schema::read(&self.pool, self.backend)
            .await
            .map_err(|e| fail(format!("could not read the schema back: {e}")))
    }

    /// Compares text with the exercise's snapshot `name`; `what` names it in
    /// English and Russian.
    pub fn snapshot(&self, name: &str, what: [&str; 2], actual: &str) -> Result<(), Failure> {
        crate::snapshot::compare(&self.exercise_dir, name, what, actual)
    }
}

/// The parts of `exercise.yaml` the harness needs.
#[derive(Debug, Deserialize)]
struct Manifest {
    checks: Vec<CheckPoints>,
    #[serde(default = "default_limit")]
    time_limit_secs: u64,
    backends: Vec<Backend>,
}

#[derive(Debug, Deserialize)]
struct CheckPoints {
    id: String,
    points: u32,
}

fn default_limit() -> u64 {
    30
}

impl Manifest {
    fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join("exercise.yaml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn max_points(&self, id: &str) -> u32 {
        self.checks
            .iter()
            .find(|c| c.id == id)
            .map_or(0, |c| c.points)
    }

    fn time_limit(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.time_limit_secs.max(1))
    }
}

/// The command line, the libtest subset that matters.
#[derive(Debug, Default)]
struct Args {
    filters: Vec<String>,
    exact: bool,
    list: bool,
    quiet: bool,
}

fn parse_args() -> Args {
    let mut args = Args::default();
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--exact" => args.exact = true,
            "--list" => args.list = true,
            "-q" | "--quiet" => args.quiet = true,
            // Options with a value that don't apply to these checks.
            "--test-threads" | "--format" | "--color" | "--logfile" | "--skip" | "-Z" => {
                words.next();
            }
            other if other.starts_with('-') => {}
            filter => args.filters.push(filter.to_owned()),
        }
    }
    args
}

impl Args {
    fn selects(&self, id: &str) -> bool {
        self.filters.is_empty()
            || self.filters.iter().any(|f| {
                if self.exact {
                    f == id
                } else {
                    id.contains(f.as_str())
                }
            })
    }
}

/// Runs the checks; the exit code is libtest's (0 all passed, 101 otherwise).
pub fn run(manifest_dir: &str, checks: &[Check]) -> ExitCode {
    // A supervised child takes its secret before anything else happens, and
    // before any student code can run.
    if std::env::var_os(SUPERVISED_VAR).is_some() {
        return child::run(manifest_dir, checks);
    }
    parent::run(manifest_dir, checks)
}

/// The exercise's folder. Cargo and `workbook check` start check binaries in
/// it; that folder wins over the one compiled in, so that a binary built from
/// a copy of the course (`workbook dev verify`) reads the exercise it runs in.
fn exercise_dir(manifest_dir: &str) -> PathBuf {
    std::env::current_dir()
        .ok()
        .filter(|d| d.join("exercise.yaml").is_file())
        .unwrap_or_else(|| PathBuf::from(manifest_dir))
}

/// `--list`, as libtest prints it.
fn list(checks: &[Check], args: &Args) {
    for check in checks.iter().filter(|c| args.selects(c.id)) {
        println!("{}: test", check.id);
    }
}
