//! Inspecting a connection pool: its settings through sqlx's getters (to
//! compare with a snapshot), and its behaviour, which is the stronger proof: with
//! every connection lent out, one more `acquire` must fail with `PoolTimedOut`
//! after the acquire timeout, neither at once nor never.

use std::fmt;
use std::time::{Duration, Instant};

use sqlx::{Database, Pool};

use crate::failure::{Failure, fail};

/// A pool's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// `max_connections`.
    pub max_connections: u32,
    /// `min_connections`.
    pub min_connections: u32,
    /// `acquire_timeout`.
    pub acquire_timeout: Duration,
    /// `max_lifetime`.
    pub max_lifetime: Option<Duration>,
    /// `idle_timeout`.
    pub idle_timeout: Option<Duration>,
    /// `test_before_acquire`.
    pub test_before_acquire: bool,
}

impl PoolSettings {
    /// Reads the settings of `pool`.
    pub fn of<DB: Database>(pool: &Pool<DB>) -> PoolSettings {
        let options = pool.options();
        PoolSettings {
            max_connections: options.get_max_connections(),
            min_connections: options.get_min_connections(),
            acquire_timeout: options.get_acquire_timeout(),
            max_lifetime: options.get_max_lifetime(),
            idle_timeout: options.get_idle_timeout(),
            test_before_acquire: options.get_test_before_acquire(),
        }
    }
}

fn seconds(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "none".to_owned(), |d| format!("{}s", d.as_secs_f64()))
}

impl fmt::Display for PoolSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "max_connections {}", self.max_connections)?;
        writeln!(f, "min_connections {}", self.min_connections)?;
        writeln!(f, "acquire_timeout {}", seconds(Some(self.acquire_timeout)))?;
        writeln!(f, "max_lifetime {}", seconds(self.max_lifetime))?;
        writeln!(f, "idle_timeout {}", seconds(self.idle_timeout))?;
        write!(f, "test_before_acquire {}", self.test_before_acquire)
    }
}

/// Takes every connection of `pool`, then asks for one more: it must fail with
/// `PoolTimedOut` about `acquire_timeout` later. Returns how long the refusal took.
pub async fn exhaustion<DB: Database>(pool: &Pool<DB>) -> Result<Duration, Failure> {
    let settings = PoolSettings::of(pool);
    let mut held = Vec::new();
    for n in 0..settings.max_connections {
        match pool.acquire().await {
            Ok(connection) => held.push(connection),
            Err(error) => {
                return Err(fail(format!(
                    "only {n} of max_connections = {} connections could be opened: {error}",
                    settings.max_connections
                ))
                .ru(format!(
                    "удалось открыть только {n} из max_connections = {} соединений: {error}",
                    settings.max_connections
                )));
            }
        }
    }
    let limit = settings.acquire_timeout;
    // Never wait much longer than promised, even if the pool would.
    let began = Instant::now();
    let attempt = tokio::time::timeout(limit + Duration::from_secs(2), pool.acquire()).await;
    let took = began.elapsed();
    drop(held);
    match attempt {
        Ok(Err(sqlx::Error::PoolTimedOut)) if took + Duration::from_millis(50) >= limit => Ok(took),
        Ok(Err(sqlx::Error::PoolTimedOut)) => Err(fail(format!(
            "with every connection lent out, acquire gave up after {took:?}, before acquire_timeout ({limit:?})"
        ))
        .ru(format!("когда все соединения выданы, acquire сдался через {took:?}, раньше acquire_timeout ({limit:?})"))),
        Ok(Ok(_)) => Err(fail(format!(
            "a connection beyond max_connections = {} was handed out: the pool is not bounded",
            settings.max_connections
        ))
        .ru(format!("выдано соединение сверх max_connections = {}: пул не ограничен", settings.max_connections))),
        Ok(Err(error)) => Err(fail(format!("acquire failed with {error} instead of PoolTimedOut"))
            .ru(format!("acquire завершился ошибкой {error} вместо PoolTimedOut"))),
        Err(_) => Err(fail(format!("with every connection lent out, acquire was still waiting {took:?} later, past acquire_timeout ({limit:?})"))
            .ru(format!("когда все соединения выданы, acquire всё ещё ждал через {took:?}, дольше acquire_timeout ({limit:?})"))),
    }
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    use super::*;

    fn options() -> SqliteConnectOptions {
        let dir = std::env::temp_dir().join(format!("workbook-pool-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        SqliteConnectOptions::new()
            .filename(dir.join("pool.db"))
            .create_if_missing(true)
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn settings_are_read_through_the_getters() {
        let pool = SqlitePoolOptions::new()
            .max_connections(15)
            .min_connections(5)
            .acquire_timeout(Duration::from_secs(30))
            .max_lifetime(Duration::from_mins(30))
            .idle_timeout(None)
            .test_before_acquire(true)
            .connect_lazy_with(options());
        let text = PoolSettings::of(&pool).to_string();
        assert_eq!(
            text,
            "max_connections 15\nmin_connections 5\nacquire_timeout 30s\nmax_lifetime 1800s\nidle_timeout none\ntest_before_acquire true"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_bounded_pool_refuses_after_its_timeout() {
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_millis(300))
            .connect_with(options())
            .await
            .unwrap();
        let took = exhaustion(&pool).await.unwrap();
        assert!(took >= Duration::from_millis(250), "{took:?}");
        pool.close().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_pool_already_in_use_is_reported() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_millis(100))
            .connect_with(options())
            .await
            .unwrap();
        // Hold the only connection elsewhere, beyond what exhaustion() takes.
        let held = pool.acquire().await.unwrap();
        let failure = exhaustion(&pool).await.unwrap_err();
        assert!(
            failure.message.contains("only 0 of max_connections = 1"),
            "{failure}"
        );
        drop(held);
        pool.close().await;
    }
}
