//! A pool that is the only way into the scratch database while it is open, so
//! that counting its statements counts everything the code under test ran.
//!
//! The statement counter listens to sqlx's log, which code can dodge: by
//! opening a pool or connection of its own (`pool.connect_options()` holds the
//! URL) or by turning statement logging off on it. While a [`SealedPool`] is
//! open, no other connection can reach the database:
//!
//! - `SQLite`: the pool's one connection runs in `PRAGMA locking_mode =
//!   EXCLUSIVE` and writes once, which takes a lock it keeps until it closes;
//!   any other connection gets "database is locked", even to read.
//! - Postgres: the check's role owns its database and revokes its own
//!   `CONNECT` privilege on it (nobody else has it); connections already open
//!   (the pool's) stay, any new one gets "permission denied for database" at
//!   once (a connection limit would do too, but sqlx retries "too many
//!   connections" until its acquire time-out, which teaches nothing). The
//!   privilege is given back on [`SealedPool::close`]. Sessions of the role
//!   opened earlier (by code that ran before) are ended. Code that gives the
//!   privilege back earlier has to do so through the pool itself:
//!   [`SealedPool::close`] fails the check when it finds it already back.
//!
//! [`SealedPool::explain`] turns the error a dodging connection gets into a
//! message that says what happened.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::backend::Backend;
use crate::failure::{Failure, fail};

/// Connections a sealed Postgres pool keeps open (code under test may run two
/// queries at once; more would only cost time).
const PG_CONNECTIONS: u32 = 2;

/// A pool that alone can reach the scratch database while it is open.
#[derive(Debug)]
pub struct SealedPool {
    pool: AnyPool,
    backend: Backend,
    database: Option<String>,
}

fn setup_failure(error: &sqlx::Error) -> Failure {
    fail(format!(
        "the checker could not prepare its counting connection: {error}"
    ))
    .ru(format!(
        "проверка не смогла подготовить своё считающее соединение: {error}"
    ))
}

impl SealedPool {
    /// Opens the pool on the database at `url` and shuts every other way in.
    pub async fn open(url: &str, backend: Backend) -> Result<SealedPool, Failure> {
        sqlx::any::install_default_drivers();
        match backend {
            Backend::Sqlite => {
                let pool = AnyPoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(20))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA reverse_unordered_selects = ON")
                                .await?;
                            conn.execute("PRAGMA locking_mode = EXCLUSIVE").await?;
                            // The first write takes the exclusive lock for good.
                            let version: i64 = sqlx::query_scalar("PRAGMA user_version")
                                .fetch_one(&mut *conn)
                                .await?;
                            conn.execute(sqlx::AssertSqlSafe(format!(
                                "PRAGMA user_version = {version}"
                            )))
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await
                    .map_err(|e| setup_failure(&e))?;
                Ok(SealedPool {
                    pool,
                    backend,
                    database: None,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(PG_CONNECTIONS)
                    .min_connections(PG_CONNECTIONS)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(20))
                    .connect(url)
                    .await
                    .map_err(|e| setup_failure(&e))?;
                // Every connection open before the door shuts.
                let mut held = Vec::new();
                let mut ours: Vec<i32> = Vec::new();
                for _ in 0..PG_CONNECTIONS {
                    let mut conn = pool.acquire().await.map_err(|e| setup_failure(&e))?;
                    ours.push(
                        sqlx::query_scalar("SELECT pg_backend_pid()")
                            .fetch_one(&mut *conn)
                            .await
                            .map_err(|e| setup_failure(&e))?,
                    );
                    held.push(conn);
                }
                drop(held);
                let database: String = sqlx::query_scalar("SELECT current_database()::text")
                    .fetch_one(&pool)
                    .await
                    .map_err(|e| setup_failure(&e))?;
                pool.execute(sqlx::AssertSqlSafe(format!(
                    "REVOKE CONNECT ON DATABASE {} FROM PUBLIC, CURRENT_USER",
                    quote(&database)
                )))
                .await
                .map_err(|e| setup_failure(&e))?;
                // A connection opened earlier (by code that ran before) is
                // ended too: the role may end its own sessions.
                let list: Vec<String> = ours.iter().map(ToString::to_string).collect();
                pool.execute(sqlx::AssertSqlSafe(format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                      WHERE usename = current_user AND datname = current_database() \
                        AND pid NOT IN ({})",
                    list.join(", ")
                )))
                .await
                .map_err(|e| setup_failure(&e))?;
                Ok(SealedPool {
                    pool,
                    backend,
                    database: Some(database),
                })
            }
        }
    }

    /// The pool to give the code under test.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens the database to other connections again; fails when the code
    /// under test changed the limit.
    pub async fn close(self) -> Result<(), Failure> {
        let mut result = Ok(());
        if let (Backend::Postgres, Some(database)) = (self.backend, &self.database) {
            let reopened: Option<bool> = sqlx::query_scalar(
                "SELECT has_database_privilege(current_user, current_database(), 'CONNECT')",
            )
            .fetch_optional(&self.pool)
            .await
            .unwrap_or(None);
            if reopened != Some(false) {
                result = Err(fail(
                    "the code gave the database's CONNECT privilege back while it was being counted: run the queries on the pool you are given, without opening connections of your own",
                )
                .ru("код вернул право CONNECT на базу, пока его запросы считались: выполняйте запросы в выданном пуле, не открывая своих соединений"));
            }
            let _ = self
                .pool
                .execute(sqlx::AssertSqlSafe(format!(
                    "GRANT CONNECT ON DATABASE {} TO CURRENT_USER",
                    quote(database)
                )))
                .await;
        }
        self.pool.close().await;
        result
    }

    /// A teaching failure when `error` is what a connection of the code's own
    /// gets while the pool is sealed.
    pub fn explain(error: &sqlx::Error) -> Option<Failure> {
        let text = error.to_string();
        let dodged = text.contains("database is locked")
            || text.contains("permission denied for database")
            || text.contains("too many connections for database");
        dodged.then(|| {
            fail(
                "the code opened a connection of its own instead of using the pool it was given, so its queries could not be counted: run every query on the given pool",
            )
            .ru("код открыл собственное соединение вместо выданного пула, поэтому его запросы нельзя сосчитать: выполняйте все запросы в выданном пуле")
        })
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
