//! The test harness of exercise checks.
//!
//! Output is libtest's (`running 3 tests`, `test id ... ok`, `test result: …`),
//! so a plain `cargo test -p <exercise>` works and reads as usual; filters,
//! `--exact` and `--list` are understood. Each check gets its own scratch
//! database, runs under the exercise's time limit, and has panics in student
//! code turned into a failed check with the panic message. With
//! `WORKBOOK_REPORT_DIR` set, each check's result is also written as JSON for
//! `workbook check`, which runs one check per process.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;
use sqlx::AnyPool;

use crate::backend::Backend;
use crate::failure::{Failure, fail};
use crate::report::{CheckReport, REPORT_DIR_VAR, Status, file_name};
use crate::schema::Schema;
use crate::scratch::{PgSource, Scratch};

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

/// The message of the last panic, kept by a quiet panic hook so that a panic in
/// student code becomes a readable failure instead of noise on stderr.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *LAST_PANIC
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(format!("{message}{place}"));
    }));
}

/// `--list`, as libtest prints it.
fn list(checks: &[Check], args: &Args) {
    for check in checks.iter().filter(|c| args.selects(c.id)) {
        println!("{}: test", check.id);
    }
}

/// Runs the checks; the exit code is libtest's (0 all passed, 101 otherwise).
pub fn run(manifest_dir: &str, checks: &[Check]) -> ExitCode {
    // Cargo and `workbook check` start check binaries in the exercise's folder.
    // That folder wins over the one compiled in: a binary built from a copy of
    // the course (`workbook dev verify`) must read the exercise it runs in.
    let dir = std::env::current_dir()
        .ok()
        .filter(|d| d.join("exercise.yaml").is_file())
        .unwrap_or_else(|| PathBuf::from(manifest_dir));
    let args = parse_args();
    let manifest = match read_manifest(&dir) {
        Ok(m) => m,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(101);
        }
    };
    if args.list {
        list(checks, &args);
        return ExitCode::SUCCESS;
    }
    let selected: Vec<&Check> = checks.iter().filter(|c| args.selects(c.id)).collect();
    let filtered_out = checks.len() - selected.len();
    let backend = Backend::from_env();
    println!(
        "\nrunning {} test{} ({backend})",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" }
    );
    let started = Instant::now();
    let report_dir = std::env::var_os(REPORT_DIR_VAR).map(PathBuf::from);
    install_panic_hook();
    crate::queries::install();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => std::sync::Arc::new(rt),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(101);
        }
    };
    // One Postgres source for the whole run: a throwaway cluster starts once.
    let source = if backend == Backend::Postgres && !selected.is_empty() {
        match PgSource::from_env() {
            Ok(source) => Some(std::sync::Arc::new(source)),
            Err(error) => {
                let failure = fail(error.to_string());
                let reports = all_with(&selected, &manifest, backend, &failure);
                return finish(
                    &reports,
                    report_dir.as_deref(),
                    args.quiet,
                    filtered_out,
                    started,
                );
            }
        }
    } else {
        None
    };

    let limit = Duration::from_secs(manifest.time_limit_secs.max(1));
    let mut reports = Vec::new();
    for check in selected {
        let began = Instant::now();
        let (status, failure, stuck) = if manifest.backends.contains(&backend) {
            run_one(check, &dir, backend, source.clone(), &runtime, limit)
        } else {
            let failure = fail(format!("this exercise does not run on {backend}"))
                .ru(format!("это упражнение не запускается на {backend}"));
            (Status::Error, failure, false)
        };
        let report = report(
            check.id,
            &manifest,
            backend,
            status,
            &failure,
            began.elapsed(),
        );
        if stuck {
            // The check's thread is stuck; report everything so far and leave.
            reports.push(report);
            let code = finish(
                &reports,
                report_dir.as_deref(),
                args.quiet,
                filtered_out,
                started,
            );
            drop(source);
            crate::scratch::remove_live_folders();
            std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 101 });
        }
        reports.push(report);
    }
    drop(source);
    finish(
        &reports,
        report_dir.as_deref(),
        args.quiet,
        filtered_out,
        started,
    )
}

/// The same error for every selected check (no database to run them on).
fn all_with(
    selected: &[&Check],
    manifest: &Manifest,
    backend: Backend,
    failure: &Failure,
) -> Vec<CheckReport> {
    selected
        .iter()
        .map(|c| {
            report(
                c.id,
                manifest,
                backend,
                Status::Error,
                failure,
                Duration::ZERO,
            )
        })
        .collect()
}

fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join("exercise.yaml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run_one(
    check: &Check,
    dir: &Path,
    backend: Backend,
    source: Option<std::sync::Arc<PgSource>>,
    runtime: &std::sync::Arc<tokio::runtime::Runtime>,
    limit: Duration,
) -> (Status, Failure, bool) {
    let (tx, rx) = std::sync::mpsc::channel();
    let run = check.run;
    let dir = dir.to_path_buf();
    let rt = runtime.clone();
    // The check runs on its own thread, so that even code that blocks forever
    // (a deadlock on the pool, a busy loop) cannot stop the time limit.
    std::thread::spawn(move || {
        let outcome = rt.block_on(async move {
            let scratch = match Scratch::create(backend, source.as_deref()).await {
                Ok(s) => s,
                Err(e) => return (Status::Error, fail(e.to_string())),
            };
            let pool = match scratch.pool().await {
                Ok(p) => p,
                Err(e) => {
                    scratch.finish().await;
                    return (
                        Status::Error,
                        fail(format!("cannot connect to the scratch database: {e}")),
                    );
                }
            };
            let ctx = Ctx {
                backend,
                pool: pool.clone(),
                url: scratch.url.clone(),
                exercise_dir: dir,
            };
            let joined = tokio::spawn(run(ctx)).await;
            pool.close().await;
            scratch.finish().await;
            match joined {
                Ok(Ok(())) => (Status::Pass, Failure::default()),
                Ok(Err(failure)) => (Status::Fail, failure),
                Err(e) if e.is_panic() => {
                    let message = LAST_PANIC
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .take()
                        .unwrap_or_else(|| "(no message)".to_owned());
                    (
                        Status::Fail,
                        fail(format!("the code panicked: {message}"))
                            .ru(format!("код запаниковал: {message}")),
                    )
                }
                Err(e) => (
                    Status::Error,
                    fail(format!("the check was cancelled: {e}"))
                        .ru(format!("проверка прервана: {e}")),
                ),
            }
        });
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(limit) {
        Ok((status, failure)) => (status, failure, false),
        Err(_) => (
            Status::Error,
            fail(format!(
                "did not finish within {} s: look for a loop that never ends, a lock or transaction held while waiting for another, or a pool with no free connection",
                limit.as_secs()
            ))
            .ru(format!(
                "не завершилась за {} с: ищите бесконечный цикл, блокировку или транзакцию, удерживаемую в ожидании другой, или пул без свободных соединений",
                limit.as_secs()
            )),
            true,
        ),
    }
}

fn report(
    id: &str,
    manifest: &Manifest,
    backend: Backend,
    status: Status,
    failure: &Failure,
    took: Duration,
) -> CheckReport {
    let max_points = manifest
        .checks
        .iter()
        .find(|c| c.id == id)
        .map_or(0, |c| c.points);
    CheckReport {
        id: id.to_owned(),
        status,
        points: if status == Status::Pass {
            max_points
        } else {
            0
        },
        max_points,
        message: failure.message.clone(),
        message_ru: failure.message_ru.clone(),
        evidence: failure.evidence.clone(),
        hint: failure.hint,
        backend,
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
    }
}

fn finish(
    reports: &[CheckReport],
    report_dir: Option<&Path>,
    quiet: bool,
    filtered_out: usize,
    started: Instant,
) -> ExitCode {
    let mut out = std::io::stdout().lock();
    for report in reports {
        let verdict = if report.status == Status::Pass {
            "ok"
        } else {
            "FAILED"
        };
        if quiet {
            let _ = write!(
                out,
                "{}",
                if report.status == Status::Pass {
                    "."
                } else {
                    "F"
                }
            );
        } else {
            let _ = writeln!(out, "test {} ... {verdict}", report.id);
        }
        if let Some(dir) = report_dir {
            let _ = std::fs::create_dir_all(dir);
            if let Ok(json) = serde_json::to_string_pretty(report) {
                let _ = std::fs::write(dir.join(file_name(&report.id)), json);
            }
        }
    }
    let failed: Vec<&CheckReport> = reports
        .iter()
        .filter(|r| r.status != Status::Pass)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:\n");
        for report in &failed {
            let _ = writeln!(out, "---- {} ----\n{}", report.id, report.message);
            for evidence in &report.evidence {
                let _ = writeln!(out, "{evidence}");
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "failures:");
        for report in &failed {
            let _ = writeln!(out, "    {}", report.id);
        }
    }
    let passed = reports.len() - failed.len();
    let _ = writeln!(
        out,
        "\ntest result: {}. {passed} passed; {} failed; 0 ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = out.flush();
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}
