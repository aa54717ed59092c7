//! The supervised role: read the secret, run the check asked for in this
//! process, leave a sealed report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Check, Ctx, Manifest, exercise_dir, list, parse_args};
use crate::backend::Backend;
use crate::failure::{Failure, fail};
use crate::report::{CheckReport, REPORT_DIR_VAR, Status, file_name};
use crate::scratch::{PgSource, Scratch};
use crate::seal::Secret;

/// Address space a check process may use when no cgroup limits its memory: far
/// above what a check needs (runtime threads reserve much more than they use),
/// low enough that a runaway allocation fails instead of swapping the machine.
const ADDRESS_SPACE: u64 = 8 * 1024 * 1024 * 1024;
/// The largest file a check process may write.
const FILE_SIZE: u64 = 256 * 1024 * 1024;

pub(super) fn run(manifest_dir: &str, checks: &[Check]) -> ExitCode {
    let secret = match Secret::read_from(std::io::stdin().lock()) {
        Ok(secret) => secret,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(101);
        }
    };
    limit_resources();
    let args = parse_args();
    if args.list {
        list(checks, &args);
        return ExitCode::SUCCESS;
    }
    let Some(report_dir) = std::env::var_os(REPORT_DIR_VAR).map(PathBuf::from) else {
        eprintln!("error: {REPORT_DIR_VAR} is not set");
        return ExitCode::from(101);
    };
    let sink = Sink {
        secret,
        dir: report_dir,
    };
    let dir = exercise_dir(manifest_dir);
    let backend = Backend::from_env();
    let manifest = match Manifest::read(&dir) {
        Ok(m) => m,
        Err(message) => {
            for id in &args.filters {
                sink.write(&errored(id, backend, &fail(message.clone())));
            }
            return ExitCode::from(101);
        }
    };
    let selected: Vec<&Check> = checks.iter().filter(|c| args.selects(c.id)).collect();
    if selected.is_empty() {
        for id in &args.filters {
            let failure = fail(format!(
                "the check binary has no check `{id}`: add it to the `checks!` list in tests/checks.rs"
            ))
            .ru(format!(
                "в программе проверок нет проверки `{id}`: добавьте её в список `checks!` в tests/checks.rs"
            ));
            sink.write(&errored(id, backend, &failure));
        }
        return ExitCode::from(101);
    }
    run_selected(&selected, &dir, backend, &manifest, &sink)
}

/// Runs the selected checks one after another, each report sealed at once.
fn run_selected(
    selected: &[&Check],
    dir: &Path,
    backend: Backend,
    manifest: &Manifest,
    sink: &Sink,
) -> ExitCode {
    install_panic_hook();
    crate::queries::install();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => Arc::new(rt),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(101);
        }
    };
    let source = if backend == crate::backend::Backend::Postgres {
        match PgSource::from_env() {
            Ok(source) => Some(Arc::new(source)),
            Err(error) => {
                for check in selected {
                    sink.write(&errored(check.id, backend, &fail(error.to_string())));
                }
                return ExitCode::from(101);
            }
        }
    } else {
        None
    };
    let mut all_passed = true;
    for check in selected {
        let began = Instant::now();
        let (status, failure, stuck) = if manifest.backends.contains(&backend) {
            run_one(
                check,
                dir,
                backend,
                source.clone(),
                &runtime,
                manifest.time_limit(),
            )
        } else {
            let failure = fail(format!("this exercise does not run on {backend}"))
                .ru(format!("это упражнение не запускается на {backend}"));
            (Status::Error, failure, false)
        };
        let report = report(
            check.id,
            manifest,
            backend,
            status,
            &failure,
            began.elapsed(),
        );
        all_passed &= status == Status::Pass;
        sink.write(&report);
        println!(
            "test {} ... {}",
            check.id,
            if status == Status::Pass {
                "ok"
            } else {
                "FAILED"
            }
        );
        if stuck {
            // The check's thread is stuck and cannot be stopped: leave now.
            drop(source);
            crate::scratch::remove_live_folders();
            std::process::exit(101);
        }
    }
    drop(source);
    if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}

/// Where sealed reports go.
struct Sink {
    secret: Secret,
    dir: PathBuf,
}

impl Sink {
    fn write(&self, report: &CheckReport) {
        let _ = std::fs::create_dir_all(&self.dir);
        let _ = std::fs::write(
            self.dir.join(file_name(&report.id)),
            self.secret.seal(report),
        );
    }
}

/// Limits this process sets on itself before student code runs. A cgroup set
/// up by the supervisor, where there is one, is the stronger limit.
fn limit_resources() {
    use nix::sys::resource::{Resource, setrlimit};
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
    let _ = setrlimit(Resource::RLIMIT_FSIZE, FILE_SIZE, FILE_SIZE);
    let _ = setrlimit(Resource::RLIMIT_AS, ADDRESS_SPACE, ADDRESS_SPACE);
}

fn errored(id: &str, backend: Backend, failure: &Failure) -> CheckReport {
    CheckReport {
        id: id.to_owned(),
        status: Status::Error,
        points: 0,
        max_points: 0,
        message: failure.message.clone(),
        message_ru: failure.message_ru.clone(),
        evidence: failure.evidence.clone(),
        hint: failure.hint,
        backend,
        duration_ms: 0,
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

fn run_one(
    check: &Check,
    dir: &Path,
    backend: Backend,
    source: Option<Arc<PgSource>>,
    runtime: &Arc<tokio::runtime::Runtime>,
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
            let seed = crate::seed::Seed::from_env();
            let exercise = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ctx = Ctx {
                backend,
                pool: pool.clone(),
                url: scratch.url.clone(),
                exercise_dir: dir,
                seed: seed.clone(),
            };
            let joined = tokio::spawn(run(ctx)).await;
            pool.close().await;
            scratch.finish().await;
            // A failure on drawn data says how to draw the same data again.
            let replay = |failure: Failure| {
                if seed.used() {
                    failure.evidence(seed.evidence(&exercise))
                } else {
                    failure
                }
            };
            match joined {
                Ok(Ok(())) => (Status::Pass, Failure::default()),
                Ok(Err(failure)) => (Status::Fail, replay(failure)),
                Err(e) if e.is_panic() => {
                    let message = LAST_PANIC
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .take()
                        .unwrap_or_else(|| "(no message)".to_owned());
                    (
                        Status::Fail,
                        replay(
                            fail(format!("the code panicked: {message}"))
                                .ru(format!("код запаниковал: {message}")),
                        ),
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
            Status::Fail,
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
    let max_points = manifest.max_points(id);
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
