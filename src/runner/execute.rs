//! Running check binaries: one supervised process per check (see
//! `workbook_support::supervise`), in parallel up to a bound, each with its
//! own scratch folder and, on Postgres, its own database.
//!
//! The verdict of a check is its sealed report; the points are the course's.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use workbook_support::Backend;
use workbook_support::cgroup::Limits;
use workbook_support::report::{CheckReport, Status};
use workbook_support::sandbox::Sandbox;
use workbook_support::supervise::{self, Spec};

use super::Target;
use super::postgres::Databases;

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

impl Job {
    /// The points this check is worth, from the course.
    fn max_points(&self) -> u32 {
        self.target
            .checks
            .iter()
            .position(|c| c == &self.check)
            .and_then(|i| self.target.points.get(i).copied())
            .unwrap_or(0)
    }

    /// A failed report written by the runner about this job.
    fn broken(&self, message: String, message_ru: String, began: Instant) -> CheckReport {
        CheckReport {
            id: self.check.clone(),
            status: Status::Error,
            points: 0,
            max_points: self.max_points(),
            message,
            message_ru: Some(message_ru),
            evidence: vec![],
            hint: None,
            backend: self.backend,
            duration_ms: u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// The verdict, with the points decided here from the course: a report
    /// never chooses its own points.
    fn scored(&self, mut report: CheckReport) -> CheckReport {
        report.id.clone_from(&self.check);
        report.backend = self.backend;
        report.max_points = self.max_points();
        report.points = if report.status == Status::Pass {
            report.max_points
        } else {
            0
        };
        report
    }
}

/// How check processes run: isolated or not, and on which data seed.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The sandbox, when one is used.
    pub sandbox: Option<Sandbox>,
    /// More folders the sandbox hides (besides the course's own).
    pub hide: Vec<PathBuf>,
    /// The data seed every check draws from (`WORKBOOK_SEED`); each check
    /// draws its own at random when none is given.
    pub seed: Option<u64>,
    /// Whether a build of a copy may be reused when nothing changed.
    pub reuse: super::build::Reuse,
}

/// Runs one check process and returns its report.
pub async fn run_job(
    job: &Job,
    root: &Path,
    reports: &Path,
    databases: Option<&Databases>,
    options: &RunOptions,
) -> CheckReport {
    let began = Instant::now();
    let dir = reports.join(format!("{}-{}-{}", job.target.id, job.backend, job.check));
    // Not `create_dir_all`: once the run's folder is gone (the run was
    // interrupted) a late task must not bring it back.
    if let Err(e) = std::fs::create_dir(&dir) {
        return job.broken(
            format!("cannot create {}: {e}", dir.display()),
            format!("не удалось создать {}: {e}", dir.display()),
            began,
        );
    }
    let mut database = None;
    if job.backend == Backend::Postgres {
        let Some(databases) = databases else {
            return job.broken(
                "no Postgres server for this run".into(),
                "нет сервера Postgres для этого запуска".into(),
                began,
            );
        };
        match databases.create().await {
            Ok(created) => database = Some(created),
            Err(e) => {
                return job.broken(
                    format!("cannot create the check's database: {e}"),
                    format!("не удалось создать базу для проверки: {e}"),
                    began,
                );
            }
        }
    }
    let spec = Spec {
        binary: job.binary.clone(),
        check: job.check.clone(),
        exercise_dir: job.target.dir.clone(),
        course_root: root.to_path_buf(),
        backend: job.backend,
        scratch_dir: dir.clone(),
        database_url: database.as_ref().map(|(_, url)| url.clone()),
        time_limit: job.target.time_limit,
        sandbox: options.sandbox.clone(),
        hide: options.hide.clone(),
        limits: Limits::default(),
        env: options
            .seed
            .map(|seed| {
                (
                    workbook_support::seed::SEED_VAR.to_owned(),
                    seed.to_string(),
                )
            })
            .into_iter()
            .collect(),
    };
    let judged = supervise::run(&spec).await;
    if let (Some((name, _)), Some(databases)) = (database, databases) {
        databases.drop_database(&name).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    job.scored(judged.report)
}

/// Removes a folder when dropped.
struct RemoveOnDrop(PathBuf);

/// Aborts the run's tasks when dropped, so an interrupted run stops them
/// before its folder is removed.
struct AbortOnDrop(Vec<tokio::task::AbortHandle>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        // An aborted task stops at its next await, and a check being killed
        // may write one last file: a removal racing them can find the folder
        // not empty, so try again briefly.
        for _ in 0..10 {
            let _ = std::fs::remove_dir_all(&self.0);
            if !self.0.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// Runs every job, at most `parallel` at a time; `done` is told after each.
/// Every job gets a report, even when the task running it failed.
pub async fn run_all(
    jobs: Vec<Job>,
    root: &Path,
    databases: Option<Arc<Databases>>,
    options: &RunOptions,
    parallel: usize,
    reporter: super::events::Reporter,
) -> Vec<(Job, CheckReport)> {
    // One folder per run, not per process: a batch grades several
    // submissions at once in one process, with the same check ids.
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    workbook_support::scratch::sweep_orphans();
    workbook_support::cgroup::sweep_orphans();
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let reports = workbook_support::scratch::scratch_base()
        .join(format!("workbook-run-{}-{run}", std::process::id()));
    // Removed at the end, and also when the run is dropped half-way (Ctrl-C).
    let _cleanup = RemoveOnDrop(reports.clone());
    if let Err(e) = std::fs::create_dir_all(&reports) {
        return jobs
            .into_iter()
            .map(|job| {
                let report = job.broken(
                    format!("cannot create {}: {e}", reports.display()),
                    format!("не удалось создать {}: {e}", reports.display()),
                    Instant::now(),
                );
                (job, report)
            })
            .collect();
    }
    let semaphore = Arc::new(Semaphore::new(parallel.max(1)));
    let total = jobs.len();
    let finished = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::new();
    // Dropped before `_cleanup` (declared later): tasks stop, then the folder goes.
    let mut running = AbortOnDrop(Vec::new());
    for job in jobs {
        let semaphore = semaphore.clone();
        let databases = databases.clone();
        let reports = reports.clone();
        let reporter = reporter.clone();
        let finished = finished.clone();
        let root = root.to_path_buf();
        let options = options.clone();
        let task_job = job.clone();
        let handle = tokio::spawn(async move {
            let _permit = semaphore.acquire_owned().await.expect("never closed");
            let report = run_job(&task_job, &root, &reports, databases.as_deref(), &options).await;
            let n = finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            reporter(&super::events::Event::CheckFinished {
                exercise: &task_job.target.id,
                check: &task_job.check,
                status: report.status,
                done: n,
                total,
            });
            report
        });
        running.0.push(handle.abort_handle());
        handles.push((job, handle));
    }
    let mut results = Vec::new();
    for (job, handle) in handles {
        let report = match handle.await {
            Ok(report) => report,
            // A runner fault is never a pass: the check counts as failed.
            Err(e) => job.broken(
                format!("the runner failed while running this check: {e}"),
                format!("программа проверки сбилась при запуске этой проверки: {e}"),
                Instant::now(),
            ),
        };
        results.push((job, report));
    }
    results
}
