//! Running check binaries: one process per check, in parallel up to a bound,
//! each killed if it outlives its time limit, its output capped.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::Semaphore;
use workbook_support::Backend;
use workbook_support::report::{self, CheckReport, Status};

use super::Target;
use super::postgres::Databases;

/// How much of a check's output is kept; the rest is read and dropped, so a
/// check printing megabytes neither blocks nor floods the runner.
pub const OUTPUT_CAP: usize = 16 * 1024;
/// Time a check process gets beyond its limit to report before it is killed
/// (the harness enforces the limit itself and reports a time-out).
const GRACE: Duration = Duration::from_secs(10);

/// One check to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The exercise.
    pub target: Arc<Target>,
    /// The backend.
    pub backend: Backend,
    /// The check id.
    pub check: String,
    /// The exercise's check binary.
    pub binary: PathBuf,
}

/// Reads a stream to its end, keeping at most `cap` bytes.
async fn read_capped(mut reader: impl AsyncRead + Unpin, cap: usize) -> (String, bool) {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 8192];
    let mut truncated = false;
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
    (String::from_utf8_lossy(&kept).into_owned(), truncated)
}

/// A report for a check that could not report itself.
fn broken(
    job: &Job,
    message: String,
    message_ru: String,
    evidence: Vec<String>,
    took: Duration,
) -> CheckReport {
    let index = job
        .target
        .checks
        .iter()
        .position(|c| c == &job.check)
        .unwrap_or(0);
    CheckReport {
        id: job.check.clone(),
        status: Status::Error,
        points: 0,
        max_points: job.target.points.get(index).copied().unwrap_or(0),
        message,
        message_ru: Some(message_ru),
        evidence,
        hint: None,
        backend: job.backend,
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
    }
}

/// Runs one check process and returns its report.
pub async fn run_job(job: &Job, reports: &Path, databases: Option<&Databases>) -> CheckReport {
    let began = Instant::now();
    let dir = reports.join(format!("{}-{}-{}", job.target.id, job.backend, job.check));
    let _ = std::fs::create_dir_all(&dir);
    let mut database = None;
    let mut command = tokio::process::Command::new(&job.binary);
    command
        .arg(&job.check)
        .args(["--exact", "-q"])
        .current_dir(&job.target.dir)
        .env("WORKBOOK_BACKEND", job.backend.name())
        .env(report::REPORT_DIR_VAR, &dir)
        .env("WORKBOOK_SCRATCH_DIR", &dir)
        .env("INSTA_UPDATE", "no")
        .env("RUST_BACKTRACE", "0")
        .env("NO_COLOR", "1")
        .env_remove("WORKBOOK_BLESS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if job.backend == Backend::Postgres {
        let Some(databases) = databases else {
            return broken(
                job,
                "no Postgres server for this run".into(),
                "нет сервера Postgres для этого запуска".into(),
                vec![],
                began.elapsed(),
            );
        };
        match databases.create().await {
            Ok((name, url)) => {
                command.env("WORKBOOK_CHECK_DATABASE_URL", url);
                database = Some(name);
            }
            Err(e) => {
                return broken(
                    job,
                    format!("cannot create the check's database: {e}"),
                    format!("не удалось создать базу для проверки: {e}"),
                    vec![],
                    began.elapsed(),
                );
            }
        }
    }
    let report = run_process(job, command, &dir, began).await;
    if let (Some(name), Some(databases)) = (database, databases) {
        databases.drop_database(&name).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    report
}

async fn run_process(
    job: &Job,
    mut command: tokio::process::Command,
    dir: &Path,
    began: Instant,
) -> CheckReport {
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return broken(
                job,
                format!("cannot start the check: {e}"),
                format!("не удалось запустить проверку: {e}"),
                vec![],
                began.elapsed(),
            );
        }
    };
    let stdout = tokio::spawn(read_capped(child.stdout.take().expect("piped"), OUTPUT_CAP));
    let stderr = tokio::spawn(read_capped(child.stderr.take().expect("piped"), OUTPUT_CAP));
    let limit = job.target.time_limit + GRACE;
    let status = if let Ok(status) = tokio::time::timeout(limit, child.wait()).await {
        status.ok()
    } else {
        let _ = child.kill().await;
        let seconds = job.target.time_limit.as_secs();
        return broken(
            job,
            format!(
                "did not finish within {seconds} s and was stopped: look for a loop that never ends or a wait that never returns"
            ),
            format!(
                "не завершилась за {seconds} с и была остановлена: ищите бесконечный цикл или ожидание, которое не заканчивается"
            ),
            vec![],
            began.elapsed(),
        );
    };
    let (out, out_cut) = stdout.await.unwrap_or_default();
    let (err, err_cut) = stderr.await.unwrap_or_default();
    if let Ok(text) = std::fs::read_to_string(dir.join(report::file_name(&job.check)))
        && let Ok(report) = serde_json::from_str::<CheckReport>(&text)
    {
        return report;
    }
    // No report: the process ended before the harness could write one.
    let code = status.map_or_else(|| "unknown".to_owned(), |s| s.to_string());
    let mut evidence = Vec::new();
    let output = format!(
        "{}{}",
        out.trim_end(),
        if err.trim().is_empty() {
            String::new()
        } else {
            format!("\n{}", err.trim_end())
        }
    );
    let output = output.trim();
    if !output.is_empty() {
        let tail: Vec<&str> = output
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        evidence.push(tail.join("\n"));
    }
    if out_cut || err_cut {
        evidence.push(format!(
            "(output cut at {} KiB / вывод обрезан на {} КиБ)",
            OUTPUT_CAP / 1024,
            OUTPUT_CAP / 1024
        ));
    }
    broken(
        job,
        format!(
            "the check ended without reporting a result ({code}): does the code call `std::process::exit` or abort?"
        ),
        format!(
            "проверка завершилась, не сообщив результат ({code}): не вызывает ли код `std::process::exit` или abort?"
        ),
        evidence,
        began.elapsed(),
    )
}

/// Removes a folder when dropped.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs every job, at most `parallel` at a time; `done` is told after each.
pub async fn run_all(
    jobs: Vec<Job>,
    databases: Option<Arc<Databases>>,
    parallel: usize,
    done: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Vec<(Job, CheckReport)> {
    workbook_support::scratch::sweep_orphans();
    let reports = workbook_support::scratch::scratch_base()
        .join(format!("workbook-run-{}", std::process::id()));
    // Removed at the end, and also when the run is dropped half-way (Ctrl-C).
    let _cleanup = RemoveOnDrop(reports.clone());
    let semaphore = Arc::new(Semaphore::new(parallel.max(1)));
    let total = jobs.len();
    let done = Arc::new(done);
    let finished = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::new();
    for job in jobs {
        let semaphore = semaphore.clone();
        let databases = databases.clone();
        let reports = reports.clone();
        let done = done.clone();
        let finished = finished.clone();
        handles.push(tokio::spawn(async move {
            let _permit = semaphore.acquire_owned().await.expect("never closed");
            let report = run_job(&job, &reports, databases.as_deref()).await;
            let n = finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            done(n, total);
            (job, report)
        }));
    }
    let mut results = Vec::new();
    for handle in handles {
        if let Ok(result) = handle.await {
            results.push(result);
        }
    }
    results
}
