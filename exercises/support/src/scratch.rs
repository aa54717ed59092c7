//! A fresh database for one check: a temp `SQLite` file (not `:memory:`, since
//! student code may open several connections), or a new Postgres database.
//!
//! Postgres comes, in order, from `WORKBOOK_CHECK_DATABASE_URL` (a database
//! `workbook check` made for this very check), from an admin URL in
//! `WORKBOOK_DATABASE_URL` or `DATABASE_URL` (a database is created and dropped
//! here), or from a throwaway [`Cluster`] started for this process. A database
//! made here belongs to a role made for it alone, and the scratch URL carries
//! that role, never the admin's (see [`create_database`]).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

use crate::backend::Backend;
use crate::pg_cluster::{Cluster, ClusterError};

mod pg_database;

pub use pg_database::{create_database, database_name, drop_database, redact};

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
pub enum PgSource {
    /// A database made for us; used as it is.
    Given(String),
    /// A server where we may create databases.
    Admin(String),
    /// Our own throwaway cluster.
    Cluster(Cluster),
}

impl std::fmt::Debug for PgSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PgSource::Given(url) => f.debug_tuple("Given").field(url).finish(),
            PgSource::Admin(url) => f.debug_tuple("Admin").field(&redact(url)).finish(),
            PgSource::Cluster(cluster) => f.debug_tuple("Cluster").field(cluster).finish(),
        }
    }
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

    /// The URL of a role that may create databases, if there is one.
    pub fn admin_url(&self) -> Option<String> {
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

enum Cleanup {
    Folder(std::path::PathBuf),
    /// The admin URL: never shown.
    Database {
        admin: String,
        name: String,
    },
    Nothing,
}

impl std::fmt::Debug for Cleanup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cleanup::Folder(dir) => f.debug_tuple("Folder").field(dir).finish(),
            Cleanup::Database { admin, name } => f
                .debug_struct("Database")
                .field("admin", &redact(admin))
                .field("name", name)
                .finish(),
            Cleanup::Nothing => f.write_str("Nothing"),
        }
    }
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
    ///
    /// On `SQLite` every connection reads rows in the reverse of their natural
    /// order where no `ORDER BY` decides it (`PRAGMA reverse_unordered_selects`),
    /// so a query that forgets `ORDER BY` fails here as it would on Postgres.
    pub async fn pool(&self) -> Result<AnyPool, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let mut options = AnyPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(Duration::from_secs(10));
        if self.backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::Executor::execute(&mut *conn, "PRAGMA reverse_unordered_selects = ON")
                        .await
                        .map(|_| ())
                })
            });
        }
        options.connect(&self.url).await
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
