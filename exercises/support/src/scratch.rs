//! A fresh database for one check: a temp `SQLite` file (not `:memory:`, since
//! student code may open several connections), or a new Postgres database.
//!
//! Postgres comes, in order, from `WORKBOOK_CHECK_DATABASE_URL` (a database
//! `workbook check` made for this very check), from an admin URL in
//! `WORKBOOK_DATABASE_URL` or `DATABASE_URL` (a database is created and dropped
//! here), or from a throwaway [`Cluster`] started for this process.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection, PgConnection};

use crate::backend::Backend;
use crate::pg_cluster::{Cluster, ClusterError};

/// Why no scratch database could be made: the environment, not the student.
#[derive(Debug)]
pub enum ScratchError {
    /// No Postgres to be had.
    Cluster(ClusterError),
    /// Creating, connecting or dropping failed.
    Database(String),
}

impl std::fmt::Display for ScratchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScratchError::Cluster(e) => e.fmt(f),
            ScratchError::Database(message) => f.write_str(message),
        }
    }
}

/// Where Postgres databases come from in this process.
#[derive(Debug)]
pub enum PgSource {
    /// A database made for us; used as it is.
    Given(String),
    /// A server where we may create databases.
    Admin(String),
    /// Our own throwaway cluster.
    Cluster(Cluster),
}

impl PgSource {
    /// Looks at the environment, starting a cluster if nothing is given.
    pub fn from_env() -> Result<PgSource, ClusterError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(url) = var("WORKBOOK_CHECK_DATABASE_URL") {
            return Ok(PgSource::Given(url));
        }
        if let Some(url) = var("WORKBOOK_DATABASE_URL")
            .or_else(|| var("DATABASE_URL").filter(|u| u.starts_with("postgres")))
        {
            return Ok(PgSource::Admin(url));
        }
        Cluster::start().map(PgSource::Cluster)
    }

    fn admin_url(&self) -> Option<String> {
        match self {
            PgSource::Given(_) => None,
            PgSource::Admin(url) => Some(url.clone()),
            PgSource::Cluster(cluster) => Some(cluster.admin_url()),
        }
    }
}

/// A scratch database.
#[derive(Debug)]
pub struct Scratch {
    /// Its backend.
    pub backend: Backend,
    /// A URL for it.
    pub url: String,
    /// What to remove afterwards.
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(std::path::PathBuf),
    Database { admin: String, name: String },
    Nothing,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Where scratch `SQLite` files go: memory-backed `/dev/shm` where there is one,
/// since nothing about a check's database needs to survive a crash (sqlx's
/// default `synchronous = FULL` makes every commit wait for the disk otherwise).
pub fn scratch_base() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    let writable =
        shm.is_dir() && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly());
    if writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Scratch folders of this process not yet removed.
fn live_folders() -> std::sync::MutexGuard<'static, Vec<std::path::PathBuf>> {
    static LIVE: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every scratch folder this process made and has not removed yet:
/// for a harness about to exit with a check still stuck.
pub fn remove_live_folders() {
    for dir in live_folders().drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Removes scratch and run folders (`workbook-sqlite-<pid>-…`,
/// `workbook-run-<pid>`) whose process is gone; returns how many.
pub fn sweep_orphans() -> usize {
    let mut removed = 0;
    for base in [scratch_base(), std::env::temp_dir()] {
        for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name
                .strip_prefix("workbook-sqlite-")
                .or_else(|| name.strip_prefix("workbook-run-"))
            else {
                continue;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
                && std::fs::remove_dir_all(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// A Postgres database name unique to this process and call.
pub fn database_name() -> String {
    format!(
        "wb_check_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates a database on the server behind `admin` (from the empty `template0`,
/// the fastest copy).
pub async fn create_database(admin: &str, name: &str) -> Result<String, ScratchError> {
    let options = PgConnectOptions::from_str(admin)
        .map_err(|e| ScratchError::Database(format!("invalid Postgres URL: {e}")))?;
    let mut conn = PgConnection::connect_with(&options.clone().disable_statement_logging())
        .await
        .map_err(|e| {
            ScratchError::Database(format!("cannot connect to Postgres at {admin}: {e}"))
        })?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{name}\" TEMPLATE template0"
    )))
    .execute(&mut conn)
    .await
    .map_err(|e| ScratchError::Database(format!("cannot create a scratch database: {e}")))?;
    let _ = conn.close().await;
    Ok(options.database(name).to_url_lossy().to_string())
}

/// Drops a database made by [`create_database`], even if connections linger.
pub async fn drop_database(admin: &str, name: &str) -> Result<(), ScratchError> {
    let options =
        PgConnectOptions::from_str(admin).map_err(|e| ScratchError::Database(e.to_string()))?;
    let mut conn = PgConnection::connect_with(&options.disable_statement_logging())
        .await
        .map_err(|e| ScratchError::Database(e.to_string()))?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .map_err(|e| ScratchError::Database(e.to_string()))?;
    let _ = conn.close().await;
    Ok(())
}

impl Scratch {
    /// Makes a fresh database for one check.
    pub async fn create(
        backend: Backend,
        source: Option<&PgSource>,
    ) -> Result<Scratch, ScratchError> {
        match backend {
            Backend::Sqlite => {
                // `workbook check` gives each check a folder it removes however the
                // check ends (even by `process::exit`); alone, the harness makes its own.
                let base = std::env::var_os("WORKBOOK_SCRATCH_DIR")
                    .map_or_else(scratch_base, std::path::PathBuf::from);
                let dir = base.join(format!(
                    "workbook-sqlite-{}-{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                ));
                live_folders().push(dir.clone());
                std::fs::create_dir_all(&dir).map_err(|e| {
                    ScratchError::Database(format!("cannot create {}: {e}", dir.display()))
                })?;
                let url = format!("sqlite://{}?mode=rwc", dir.join("check.db").display());
                Ok(Scratch {
                    backend,
                    url,
                    cleanup: Cleanup::Folder(dir),
                })
            }
            Backend::Postgres => {
                let source = source
                    .ok_or_else(|| ScratchError::Database("no Postgres source".to_owned()))?;
                match (source, source.admin_url()) {
                    (PgSource::Given(url), _) => Ok(Scratch {
                        backend,
                        url: url.clone(),
                        cleanup: Cleanup::Nothing,
                    }),
                    (_, Some(admin)) => {
                        let name = database_name();
                        let url = create_database(&admin, &name).await?;
                        Ok(Scratch {
                            backend,
                            url,
                            cleanup: Cleanup::Database { admin, name },
                        })
                    }
                    (_, None) => Err(ScratchError::Database("no Postgres server".to_owned())),
                }
            }
        }
    }

    /// A pool on the scratch database: the `Any` driver, so one piece of student
    /// code runs on both backends.
    pub async fn pool(&self) -> Result<AnyPool, sqlx::Error> {
        sqlx::any::install_default_drivers();
        AnyPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(Duration::from_secs(10))
            .connect(&self.url)
            .await
    }

    /// Removes the database.
    pub async fn finish(self) {
        match self.cleanup {
            Cleanup::Folder(dir) => {
                let _ = std::fs::remove_dir_all(&dir);
                live_folders().retain(|d| *d != dir);
            }
            Cleanup::Database { admin, name } => {
                let _ = drop_database(&admin, &name).await;
            }
            Cleanup::Nothing => {}
        }
    }
}
