//! Running one check process and judging how it ended: the code shared by
//! `workbook check` and by the harness under plain `cargo test`.
//!
//! The child gets a fresh secret on standard input (see [`crate::seal`]), a
//! reduced environment, its own process group (and cgroup and sandbox where
//! available), and a time limit. Its verdict is the sealed report it leaves in
//! its scratch folder, if the seal verifies and the report is about the check
//! and backend asked for; anything else — no report, a forged one, an early
//! exit, a crash, a time-out, running out of memory — is a failed check with a
//! message that says what happened. Points are not decided here: callers take
//! them from the course.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::backend::Backend;
use crate::cgroup::{Cgroup, Limits};
use crate::report::{self, CheckReport, Status};
use crate::sandbox::{Confinement, Sandbox};
use crate::seal::{MAX_SEALED_LEN, SUPERVISED_VAR, Secret};

/// How much of a check's output is kept; the rest is read and dropped, so a
/// check printing megabytes neither blocks nor floods the supervisor.
pub const OUTPUT_CAP: usize = 16 * 1024;
/// Time a check process gets beyond its limit to report before it is killed
/// (the harness enforces the limit itself and reports a time-out).
pub const GRACE: Duration = Duration::from_secs(3);
/// How long output pipes are read after the check ended: a process that left
/// the group and still holds them is not waited for.
const DRAIN: Duration = Duration::from_millis(300);

/// One check process to run.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The exercise's check binary.
    pub binary: PathBuf,
    /// The check's id.
    pub check: String,
    /// The exercise's folder (the working folder).
    pub exercise_dir: PathBuf,
    /// The course root (hidden by the sandbox, except the exercise).
    pub course_root: PathBuf,
    /// The backend.
    pub backend: Backend,
    /// The check's own folder: scratch files and its report. Must exist.
    pub scratch_dir: PathBuf,
    /// The check's Postgres database, made for it.
    pub database_url: Option<String>,
    /// The exercise's time limit.
    pub time_limit: Duration,
    /// Isolation, when wanted and available.
    pub sandbox: Option<Sandbox>,
    /// Folders the sandbox hides besides the course.
    pub hide: Vec<PathBuf>,
    /// Resource limits (applied through a cgroup where one can be made).
    pub limits: Limits,
    /// More environment for the check (e.g. the data seed).
    pub env: Vec<(String, String)>,
}

/// How a check process ended, before points.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The verdict (points left at zero).
    pub report: CheckReport,
    /// Whether the report came sealed from the harness (otherwise the
    /// supervisor wrote it about a process that could not report).
    pub sealed: bool,
}

/// Runs one check process and judges it.
pub async fn run(spec: &Spec) -> Judged {
    let began = Instant::now();
    let broken = |why: Why, evidence: Vec<String>| Judged {
        report: why.report(spec, evidence, began.elapsed()),
        sealed: false,
    };
    let secret = match Secret::generate() {
        Ok(s) => s,
        Err(e) => return broken(Why::Start(e.to_string()), vec![]),
    };
    let report_file = spec.scratch_dir.join(report::file_name(&spec.check));
    let _ = std::fs::remove_file(&report_file);

    let mut command = command(spec);
    let cgroup = Cgroup::create(
        &format!(
            "workbook-{}-{}",
            std::process::id(),
            SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ),
        spec.limits,
    );
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let program = command
                .as_std()
                .get_program()
                .to_string_lossy()
                .into_owned();
            return broken(Why::Start(format!("{program}: {e}")), vec![]);
        }
    };
    let pid = child.id();
    // Limits apply before the secret is given, so before any student code runs.
    if let (Some(group), Some(pid)) = (&cgroup, pid) {
        let _ = group.adopt_tree(pid);
    }
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(secret.to_line().as_bytes()).await;
        let _ = stdin.shutdown().await;
    }
    let stdout = tokio::spawn(read_capped(child.stdout.take(), OUTPUT_CAP));
    let stderr = tokio::spawn(read_capped(child.stderr.take(), OUTPUT_CAP));

    let waited = tokio::time::timeout(spec.time_limit + GRACE, child.wait()).await;
    // Whatever the check started goes with it, however it ended.
    kill_group(pid);
    if let Some(group) = &cgroup {
        group.kill_all();
    }
    let timed_out = waited.is_err();
    let status = if let Ok(status) = waited {
        status.ok()
    } else {
        let _ = child.kill().await;
        None
    };
    let out = drain(stdout).await;
    let err = drain(stderr).await;
    let tail = Tail::new(&out, &err);
    let out_of_memory = cgroup.as_ref().is_some_and(Cgroup::memory_exhausted);
    drop(cgroup);

    match read_sealed(&report_file, &secret) {
        Sealed::Report(report) if report.id == spec.check && report.backend == spec.backend => {
            Judged {
                report,
                sealed: true,
            }
        }
        Sealed::Report(_) | Sealed::Forged => broken(Why::Forged, tail.evidence()),
        Sealed::Missing => {
            let why = if timed_out {
                Why::TimedOut(spec.time_limit)
            } else {
                Why::from_ending(status, &err, out_of_memory, spec.limits)
            };
            broken(why, tail.evidence())
        }
    }
}

static SEQUENCE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The command: the binary (inside `bwrap` when sandboxed), the check id,
/// a reduced environment, a process group of its own.
fn command(spec: &Spec) -> tokio::process::Command {
    let check_args: [OsString; 3] = [spec.check.clone().into(), "--exact".into(), "-q".into()];
    let mut command = if let Some(sandbox) = &spec.sandbox {
        let mut c = tokio::process::Command::new(sandbox.program());
        c.args(
            sandbox.args(&Confinement {
                course_root: spec.course_root.clone(),
                exercise_dir: spec.exercise_dir.clone(),
                binary: spec.binary.clone(),
                scratch_dir: spec.scratch_dir.clone(),
                hide: spec.hide.clone(),
                show: spec
                    .database_url
                    .as_deref()
                    .and_then(crate::sandbox::socket_folder)
                    .into_iter()
                    .collect(),
                network: spec
                    .database_url
                    .as_deref()
                    .is_some_and(|url| crate::sandbox::socket_folder(url).is_none()),
            }),
        );
        c.args(&check_args);
        c
    } else {
        let mut c = tokio::process::Command::new(&spec.binary);
        c.args(&check_args);
        c
    };
    command
        .current_dir(&spec.exercise_dir)
        .env_clear()
        .envs(base_env(spec))
        .envs(spec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(url) = &spec.database_url {
        command.env("WORKBOOK_CHECK_DATABASE_URL", url);
    }
    command
}

/// The environment a check gets: no tokens, no database admin URL, nothing
/// of the caller's but the locale.
fn base_env(spec: &Spec) -> Vec<(String, OsString)> {
    let mut env: Vec<(String, OsString)> = vec![
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ("HOME".into(), spec.scratch_dir.clone().into()),
        ("TMPDIR".into(), spec.scratch_dir.clone().into()),
        (SUPERVISED_VAR.into(), "1".into()),
        ("WORKBOOK_BACKEND".into(), spec.backend.name().into()),
        (
            report::REPORT_DIR_VAR.into(),
            spec.scratch_dir.clone().into(),
        ),
        (
            "WORKBOOK_SCRATCH_DIR".into(),
            spec.scratch_dir.clone().into(),
        ),
        ("INSTA_UPDATE".into(), "no".into()),
        ("RUST_BACKTRACE".into(), "0".into()),
        ("NO_COLOR".into(), "1".into()),
    ];
    for name in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "WORKBOOK_LANG",
        "WORKBOOK_SEED",
    ] {
        if let Some(value) = std::env::var_os(name) {
            env.push((name.into(), value));
        }
    }
    env
}

fn kill_group(pid: Option<u32>) {
    if let Some(pgid) = pid.and_then(|p| i32::try_from(p).ok()) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pgid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// Reads a stream to its end, keeping at most `cap` bytes.
async fn read_capped(reader: Option<impl AsyncRead + Unpin>, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut truncated = false;
    let Some(mut reader) = reader else {
        return (kept, truncated);
    };
    let mut buffer = [0u8; 8192];
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                if n > room {
                    truncated = true;
                }
                kept.extend_from_slice(&buffer[..n.min(room)]);
            }
        }
    }
    (kept, truncated)
}

/// The output read so far; a reader still blocked after [`DRAIN`] (a process
/// outside the group holds the pipe) is abandoned.
async fn drain(reader: tokio::task::JoinHandle<(Vec<u8>, bool)>) -> (String, bool) {
    let abort = reader.abort_handle();
    if let Ok(Ok((bytes, cut))) = tokio::time::timeout(DRAIN, reader).await {
        (String::from_utf8_lossy(&bytes).into_owned(), cut)
    } else {
        abort.abort();
        (String::new(), true)
    }
}

enum Sealed {
    Report(CheckReport),
    Forged,
    Missing,
}

/// Reads the report file without following links or blocking on a FIFO, and
/// never more than [`MAX_SEALED_LEN`] bytes.
fn read_sealed(path: &Path, secret: &Secret) -> Sealed {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((nix::fcntl::OFlag::O_NOFOLLOW | nix::fcntl::OFlag::O_NONBLOCK).bits())
        .open(path);
    let Ok(file) = file else {
        return if path.symlink_metadata().is_ok() {
            Sealed::Forged
        } else {
            Sealed::Missing
        };
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Sealed::Forged;
    }
    let mut text = String::new();
    if file.take(MAX_SEALED_LEN).read_to_string(&mut text).is_err() {
        return Sealed::Forged;
    }
    secret.open(&text).map_or(Sealed::Forged, Sealed::Report)
}

/// The last lines of a check's output, for the evidence.
struct Tail(Vec<String>);

impl Tail {
    fn new(out: &(String, bool), err: &(String, bool)) -> Tail {
        let mut evidence = Vec::new();
        let text = format!("{}\n{}", out.0.trim_end(), err.0.trim_end());
        let lines: Vec<&str> = text.trim().lines().collect();
        if !lines.is_empty() {
            let start = lines.len().saturating_sub(15);
            evidence.push(lines[start..].join("\n"));
        }
        if out.1 || err.1 {
            evidence.push(format!(
                "(output cut at {} KiB / вывод обрезан на {} КиБ)",
                OUTPUT_CAP / 1024,
                OUTPUT_CAP / 1024
            ));
        }
        Tail(evidence)
    }

    fn evidence(self) -> Vec<String> {
        self.0
    }
}

/// Why a check process left no valid report.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// It could not be started.
    Start(String),
    /// It outlived its limit and was killed.
    TimedOut(Duration),
    /// A report was there but not sealed by the harness, or about another check.
    Forged,
    /// Rust's stack-overflow abort.
    StackOverflow,
    /// An allocation failed, or the memory limit (in bytes, when it was the
    /// cgroup's) killed it.
    OutOfMemory(Option<u64>),
    /// It exited with a status before the harness reported.
    Exited(i32),
    /// A signal ended it.
    Signalled(String),
}

impl Why {
    fn from_ending(
        status: Option<ExitStatus>,
        stderr: &(String, bool),
        oom: bool,
        limits: Limits,
    ) -> Why {
        use std::os::unix::process::ExitStatusExt;
        if stderr.0.contains("has overflowed its stack") {
            return Why::StackOverflow;
        }
        if oom {
            return Why::OutOfMemory(Some(limits.memory));
        }
        if stderr.0.contains("memory allocation of") {
            return Why::OutOfMemory(None);
        }
        match status {
            Some(s) if s.code().is_some() => Why::Exited(s.code().unwrap_or_default()),
            Some(s) => Why::Signalled(s.signal().map_or_else(
                || "unknown".to_owned(),
                |n| {
                    nix::sys::signal::Signal::try_from(n)
                        .map_or_else(|_| n.to_string(), |s| s.as_str().to_owned())
                },
            )),
            None => Why::Signalled("unknown".to_owned()),
        }
    }

    fn messages(&self) -> (String, String) {
        match self {
            Why::Start(e) => (
                format!("cannot start the check: {e}"),
                format!("не удалось запустить проверку: {e}"),
            ),
            Why::TimedOut(limit) => {
                let s = limit.as_secs();
                (
                    format!("did not finish within {s} s and was stopped: look for a loop that never ends, a lock or transaction held while waiting for another, or a pool with no free connection"),
                    format!("не завершилась за {s} с и была остановлена: ищите бесконечный цикл, блокировку или транзакцию, удерживаемую в ожидании другой, или пул без свободных соединений"),
                )
            }
            Why::Forged => (
                "the check's result was not written by the checker (its seal does not verify), so it counts as failed: only the checks decide a verdict".to_owned(),
                "результат проверки записан не проверяющей программой (печать не сходится), поэтому проверка не пройдена: вердикт выносят только проверки".to_owned(),
            ),
            Why::StackOverflow => (
                "the code overflowed its stack: look for recursion that never reaches its base case".to_owned(),
                "код переполнил стек: ищите рекурсию, которая не доходит до базового случая".to_owned(),
            ),
            Why::OutOfMemory(limit) => {
                let (en, ru) = limit.map_or_else(
                    || (String::new(), String::new()),
                    |bytes| {
                        let mib = bytes / (1024 * 1024);
                        (format!(" (limit {mib} MiB)"), format!(" (предел {mib} МиБ)"))
                    },
                );
                (
                    format!("the code ran out of memory{en}: look for a collection or a query result that grows without end, or one huge allocation"),
                    format!("коду не хватило памяти{ru}: ищите коллекцию или результат запроса, который растёт без конца, или одно огромное выделение памяти"),
                )
            }
            Why::Exited(code) => (
                format!("the check process exited with status {code} before the check could report: does the code call `std::process::exit`?"),
                format!("процесс проверки завершился с кодом {code} раньше, чем проверка сообщила результат: не вызывает ли код `std::process::exit`?"),
            ),
            Why::Signalled(signal) => (
                format!("the check process was ended by signal {signal} before the check could report: does the code call `std::process::abort`, or crash?"),
                format!("процесс проверки завершён сигналом {signal} раньше, чем проверка сообщила результат: не вызывает ли код `std::process::abort`, нет ли падения?"),
            ),
        }
    }

    fn report(&self, spec: &Spec, evidence: Vec<String>, took: Duration) -> CheckReport {
        let (message, message_ru) = self.messages();
        CheckReport {
            id: spec.check.clone(),
            status: if matches!(self, Why::Start(_)) {
                Status::Error
            } else {
                Status::Fail
            },
            points: 0,
            max_points: 0,
            message,
            message_ru: Some(message_ru),
            evidence,
            hint: None,
            backend: spec.backend,
            duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        }
    }
}
