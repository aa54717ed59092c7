//! The role under plain `cargo test`: run each selected check in a child
//! process of this very binary and judge the child's sealed report, so that
//! the verdicts are those of `workbook check`. No student code runs in this
//! process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::{Check, Manifest, exercise_dir, list, parse_args};
use crate::backend::Backend;
use crate::report::{CheckReport, Status};
use crate::sanitize;
use crate::scratch::{self, PgSource};
use crate::supervise::{self, Spec};

pub(super) fn run(manifest_dir: &str, checks: &[Check]) -> ExitCode {
    let dir = exercise_dir(manifest_dir);
    let args = parse_args();
    let manifest = match Manifest::read(&dir) {
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
    let binary = match std::env::current_exe() {
        Ok(binary) => binary,
        Err(e) => {
            eprintln!("error: cannot find this check binary: {e}");
            return ExitCode::from(101);
        }
    };
    let selected: Vec<&Check> = checks.iter().filter(|c| args.selects(c.id)).collect();
    let filtered_out = checks.len() - selected.len();
    let backend = Backend::from_env();
    println!(
        "\nrunning {} test{} ({backend})",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" }
    );
    let started = Instant::now();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(101);
        }
    };
    let run = Run {
        dir: &dir,
        binary: &binary,
        backend,
        manifest: &manifest,
        folder: scratch::scratch_base().join(format!("workbook-run-{}", std::process::id())),
    };
    let work = runtime.block_on(async {
        tokio::select! {
            reports = run.all(&selected, args.quiet) => Some(reports),
            signal = crate::signals::interrupted() => {
                eprintln!("\ninterrupted by {signal}: cleaning up");
                None
            }
        }
    });
    let _ = std::fs::remove_dir_all(&run.folder);
    let Some(reports) = work else {
        drop(runtime);
        return ExitCode::from(101);
    };
    summary(&reports, filtered_out, started)
}

struct Run<'a> {
    dir: &'a Path,
    binary: &'a Path,
    backend: Backend,
    manifest: &'a Manifest,
    folder: PathBuf,
}

impl Run<'_> {
    async fn all(&self, selected: &[&Check], quiet: bool) -> Vec<CheckReport> {
        // One Postgres source for the whole run: a throwaway cluster starts once.
        let source = if self.backend == Backend::Postgres && !selected.is_empty() {
            match tokio::task::spawn_blocking(PgSource::from_env).await {
                Ok(Ok(source)) => Some(source),
                Ok(Err(error)) => {
                    return selected
                        .iter()
                        .map(|c| self.error(c.id, error.to_string()))
                        .collect();
                }
                Err(error) => {
                    return selected
                        .iter()
                        .map(|c| self.error(c.id, error.to_string()))
                        .collect();
                }
            }
        } else {
            None
        };
        let mut reports = Vec::new();
        for check in selected {
            let report = self.one(check.id, source.as_ref()).await;
            let mut out = std::io::stdout().lock();
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
                let verdict = if report.status == Status::Pass {
                    "ok"
                } else {
                    "FAILED"
                };
                let _ = writeln!(out, "test {} ... {verdict}", report.id);
            }
            let _ = out.flush();
            reports.push(report);
        }
        reports
    }

    async fn one(&self, id: &str, source: Option<&PgSource>) -> CheckReport {
        let scratch_dir = self.folder.join(id);
        if let Err(e) = std::fs::create_dir_all(&scratch_dir) {
            return self.error(id, format!("cannot create {}: {e}", scratch_dir.display()));
        }
        let mut database = None;
        let database_url = match source {
            None => None,
            Some(PgSource::Given(url)) => Some(url.clone()),
            Some(source) => {
                let Some(admin) = source.admin_url() else {
                    return self.error(id, "no Postgres server".to_owned());
                };
                let name = scratch::database_name();
                match scratch::create_database(&admin, &name).await {
                    Ok(url) => {
                        database = Some((admin, name));
                        Some(url)
                    }
                    Err(e) => return self.error(id, e.to_string()),
                }
            }
        };
        let spec = Spec {
            binary: self.binary.to_path_buf(),
            check: id.to_owned(),
            exercise_dir: self.dir.to_path_buf(),
            course_root: self.dir.to_path_buf(),
            backend: self.backend,
            scratch_dir: scratch_dir.clone(),
            database_url,
            time_limit: self.manifest.time_limit(),
            sandbox: None,
            hide: Vec::new(),
            limits: crate::cgroup::Limits::default(),
            env: Vec::new(),
        };
        let judged = supervise::run(&spec).await;
        if let Some((admin, name)) = database {
            let _ = scratch::drop_database(&admin, &name).await;
        }
        let _ = std::fs::remove_dir_all(&scratch_dir);
        judged.report
    }

    fn error(&self, id: &str, message: String) -> CheckReport {
        CheckReport {
            id: id.to_owned(),
            status: Status::Error,
            points: 0,
            max_points: self.manifest.max_points(id),
            message,
            message_ru: None,
            evidence: Vec::new(),
            hint: None,
            backend: self.backend,
            duration_ms: 0,
        }
    }
}

/// libtest's failure list and result line; student text made safe first.
fn summary(reports: &[CheckReport], filtered_out: usize, started: Instant) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let failed: Vec<&CheckReport> = reports
        .iter()
        .filter(|r| r.status != Status::Pass)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:\n");
        for report in &failed {
            let _ = writeln!(
                out,
                "---- {} ----\n{}",
                report.id,
                sanitize::text(&report.message)
            );
            for evidence in &report.evidence {
                let _ = writeln!(out, "{}", sanitize::text(evidence));
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
