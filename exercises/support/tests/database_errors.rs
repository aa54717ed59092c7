//! Database errors as students read them, from real `SQLite` and Postgres
//! databases: a syntax error names the statement of a script that failed and
//! carries no line of Postgres's C source, a unique violation gives the
//! database's words and code (and Postgres's detail), a NULL read into a
//! plain type says to use `Option`, and the query log holds the statement
//! that failed (what `eager-tags` shows when the student's function fails).

use workbook_support::scratch::{PgSource, Scratch};
use workbook_support::sqlx::{self, AnyPool, AssertSqlSafe};
use workbook_support::{Backend, Failure, QueryLog};

const SCRIPT: &str = "
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
-- the mistake: REFERENCE for REFERENCES
CREATE TABLE founditem_tag (
    tag_id INTEGER NOT NULL REFERENCE tags (id),
    note TEXT DEFAULT 'a; b'
);
CREATE TABLE found_items (id INTEGER PRIMARY KEY);
";

/// Everything a student reads of a failure, both languages.
fn shown(failure: &Failure) -> String {
    format!(
        "{}\n{}\n{}",
        failure.message,
        failure.message_ru.as_deref().unwrap_or_default(),
        failure.evidence.join("\n")
    )
}

async fn check(backend: Backend, source: Option<&PgSource>) {
    let scratch = Scratch::create(backend, source)
        .await
        .expect("a scratch database");
    let pool = scratch.pool().await.expect("a pool");
    syntax_error(backend, &pool).await;
    unique_violation(backend, &pool).await;
    null_decode(&pool).await;
    failing_statement_is_logged(&pool).await;
    pool.close().await;
    scratch.finish().await;
}

async fn syntax_error(backend: Backend, pool: &AnyPool) {
    let error = sqlx::raw_sql(AssertSqlSafe(SCRIPT))
        .execute(pool)
        .await
        .expect_err("the script has a syntax error");
    if backend == Backend::Postgres {
        // What the failure leaves out: a line of Postgres's C source.
        assert!(error.to_string().contains(" at line "), "{error}");
    }
    let failure = Failure::database(
        [
            &format!("`SCHEMA` did not run on {backend}"),
            &format!("`SCHEMA` не выполнилась на {backend}"),
        ],
        Some(SCRIPT),
        &error,
    );
    let text = shown(&failure);
    assert!(
        failure
            .message
            .starts_with(&format!("`SCHEMA` did not run on {backend}: ")),
        "{text}"
    );
    assert!(
        failure
            .message_ru
            .as_ref()
            .unwrap()
            .starts_with("`SCHEMA` не выполнилась")
    );
    assert!(text.contains("syntax error"), "{text}");
    assert!(!text.contains(" at line "), "{text}");
    assert!(!text.contains("(code: "), "{text}");
    let code = match backend {
        Backend::Sqlite => "(SQLite code 1)",
        Backend::Postgres => "(SQLSTATE 42601)",
    };
    assert!(failure.message.contains(code), "{text}");
    assert_eq!(
        failure.evidence[0],
        "statement 2 of 3 / запрос 2 из 3: CREATE TABLE founditem_tag ( \
         tag_id INTEGER NOT NULL REFERENCE tags (id), note TEXT DEFAULT 'a; b' )",
        "{text}"
    );
}

async fn unique_violation(backend: Backend, pool: &AnyPool) {
    sqlx::raw_sql("CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        .execute(pool)
        .await
        .unwrap();
    let insert = "INSERT INTO labels (id, name) VALUES ($1, $2)";
    sqlx::query(insert)
        .bind(1_i64)
        .bind("lost")
        .execute(pool)
        .await
        .unwrap();
    let error = sqlx::query(insert)
        .bind(2_i64)
        .bind("lost")
        .execute(pool)
        .await
        .expect_err("the name is taken");
    let failure = Failure::database(
        [
            "adding a second label `lost`",
            "добавление второй метки `lost`",
        ],
        Some(insert),
        &error,
    );
    let text = shown(&failure);
    let expected = match backend {
        Backend::Sqlite => {
            "adding a second label `lost`: UNIQUE constraint failed: labels.name (SQLite code 2067)"
        }
        Backend::Postgres => {
            "adding a second label `lost`: duplicate key value violates unique constraint \
             \"labels_name_key\" (SQLSTATE 23505)"
        }
    };
    assert_eq!(failure.message, expected, "{text}");
    assert_eq!(
        failure.evidence[0],
        "the statement / запрос: INSERT INTO labels (id, name) VALUES ($1, $2)"
    );
    if backend == Backend::Postgres {
        assert_eq!(
            failure.evidence[1],
            "detail / подробности: Key (name)=(lost) already exists."
        );
    }
    assert!(!text.contains(" at line "), "{text}");
}

async fn null_decode(pool: &AnyPool) {
    sqlx::raw_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .execute(pool)
        .await
        .unwrap();
    sqlx::raw_sql("INSERT INTO notes (id, body) VALUES (1, NULL)")
        .execute(pool)
        .await
        .unwrap();
    let select = "SELECT id, body FROM notes";
    let error = sqlx::query_as::<_, (i64, String)>(select)
        .fetch_all(pool)
        .await
        .expect_err("body is NULL");
    let failure = Failure::database(
        ["reading the notes", "чтение заметок"],
        Some(select),
        &error,
    );
    let text = shown(&failure);
    assert!(
        failure
            .message
            .starts_with("reading the notes: column 1 is NULL"),
        "{text}"
    );
    assert!(
        failure
            .message
            .ends_with("The column can be NULL: decode it into `Option<…>`"),
        "{text}"
    );
    assert!(
        failure
            .message_ru
            .as_ref()
            .unwrap()
            .ends_with("Столбец может быть NULL: декодируйте его в `Option<…>`"),
        "{text}"
    );
    assert!(
        text.contains("the statement / запрос: SELECT id, body FROM notes"),
        "{text}"
    );
    // The plain conversion says the same.
    let plain = Failure::from(error);
    assert!(plain.message.contains("`Option<…>`"), "{}", plain.message);
}

async fn failing_statement_is_logged(pool: &AnyPool) {
    let log = QueryLog::start();
    let good = sqlx::query("SELECT id, body FROM notes")
        .fetch_all(pool)
        .await;
    let bad = sqlx::query("SELECT id, nonsense FROM notes WHERE id = $1")
        .bind(1_i64)
        .fetch_all(pool)
        .await;
    // SQLite's worker records a statement after it has sent the result: give
    // it a moment, as `eager-tags` does on an error.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let statements = log.stop();
    assert!(good.is_ok() && bad.is_err());
    assert_eq!(
        statements.last().map(|s| s.sql.as_str()),
        Some("SELECT id, nonsense FROM notes WHERE id = $1"),
        "{statements:?}"
    );
}

#[test]
fn database_errors_read_well_on_both_backends() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(check(Backend::Sqlite, None));
    let source = PgSource::from_env()
        .expect("Postgres for the tests (installed binaries or WORKBOOK_DATABASE_URL)");
    runtime.block_on(check(Backend::Postgres, Some(&source)));
}
