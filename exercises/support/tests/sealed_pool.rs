//! The sealed pool on real `SQLite` and Postgres: while it is open, a pool or
//! connection of the code's own cannot reach the database (so statements
//! cannot be hidden from the counter), the error it gets is explained, and
//! afterwards the database is open again.

use std::time::Duration;

use workbook_support::Backend;
use workbook_support::scratch::{PgSource, Scratch};
use workbook_support::sealed_pool::SealedPool;
use workbook_support::sqlx::any::AnyPoolOptions;
use workbook_support::sqlx::{self, ConnectOptions, Executor};

async fn dodge(pool: &sqlx::AnyPool) -> Result<i64, sqlx::Error> {
    // What a submission did: its own pool, statement logging off.
    let options = pool
        .connect_options()
        .as_ref()
        .clone()
        .disable_statement_logging();
    let own = AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(8))
        .connect_with(options)
        .await?;
    let n = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(&own)
        .await?;
    own.close().await;
    Ok(n)
}

async fn sealed(backend: Backend, source: Option<&PgSource>) {
    let scratch = Scratch::create(backend, source).await.expect("scratch");
    let pool = scratch.pool().await.expect("pool");
    pool.execute("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2)")
        .await
        .expect("setup");
    // A connection of the code's own, opened before the seal, kept open.
    let early = AnyPoolOptions::new()
        .max_connections(1)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .expect("before sealing, a pool of one's own works");
    let _ = sqlx::query("SELECT 1").execute(&early).await;
    let before = dodge(&pool)
        .await
        .expect("before sealing, a pool of one's own works");
    assert_eq!(before, 2);

    let seal = SealedPool::open(&scratch.url, backend)
        .await
        .expect("sealed");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(seal.pool())
        .await
        .expect("the sealed pool works");
    assert_eq!(n, 2);
    let error = dodge(seal.pool())
        .await
        .expect_err("{backend}: a pool of one's own is refused");
    let failure =
        SealedPool::explain(&error).unwrap_or_else(|| panic!("{backend}: not explained: {error}"));
    assert!(
        failure.message.contains("connection of its own"),
        "{failure:?}"
    );
    seal.close().await.expect("nothing was changed");

    assert_eq!(dodge(&pool).await.expect("open again after closing"), 2);
    pool.close().await;
    scratch.finish().await;
}

async fn lifting_the_limit_is_caught(source: &PgSource) {
    let scratch = Scratch::create(Backend::Postgres, Some(source))
        .await
        .expect("scratch");
    let seal = SealedPool::open(&scratch.url, Backend::Postgres)
        .await
        .expect("sealed");
    let database: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(seal.pool())
        .await
        .unwrap();
    seal.pool()
        .execute(sqlx::AssertSqlSafe(format!(
            "GRANT CONNECT ON DATABASE \"{database}\" TO CURRENT_USER"
        )))
        .await
        .expect("the owner may");
    let failure = seal
        .close()
        .await
        .expect_err("a changed limit fails the check");
    assert!(failure.message.contains("CONNECT privilege"), "{failure:?}");
    scratch.finish().await;
}

#[test]
fn nothing_reaches_the_database_around_a_sealed_pool() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        sealed(Backend::Sqlite, None).await;
        let source = PgSource::from_env().expect("Postgres for the tests");
        sealed(Backend::Postgres, Some(&source)).await;
        lifting_the_limit_is_caught(&source).await;
    });
}
