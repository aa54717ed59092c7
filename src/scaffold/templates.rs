//! The files of a new exercise. The template's task — return a number the
//! check stored, drawn from its seed — is a placeholder to replace, but it is
//! a working example of the parts every exercise has: a seeded check, a
//! teaching failure with a hint tier, a starter that compiles and fails, and a
//! mistake fixture.

use workbook_support::Backend;

use super::NewExercise;

/// `(path inside the exercise, content)` for every file.
pub fn files(spec: &NewExercise, practises: &str, support: &str) -> Vec<(String, String)> {
    let starter = if spec.http { HTTP_STARTER } else { STARTER };
    let checks = if spec.http { HTTP_CHECKS } else { CHECKS };
    let crate_name = spec.id.replace('-', "_");
    vec![
        ("Cargo.toml".into(), cargo_toml(spec, support)),
        ("exercise.yaml".into(), exercise_yaml(spec, practises)),
        ("src/lib.rs".into(), starter.to_owned()),
        ("starter/src/lib.rs".into(), starter.to_owned()),
        ("solution/src/lib.rs".into(), starter.to_owned()),
        (
            "tests/checks.rs".into(),
            checks.replace("EXERCISE_CRATE", &crate_name),
        ),
        (
            "mistakes/constant/src/lib.rs".into(),
            if spec.http {
                HTTP_MISTAKE.to_owned()
            } else {
                MISTAKE.to_owned()
            },
        ),
        (
            "mistakes/constant/mistake.yaml".into(),
            MISTAKE_YAML.to_owned(),
        ),
    ]
}

fn cargo_toml(spec: &NewExercise, support: &str) -> String {
    let http = if spec.http {
        "axum = { workspace = true }\nserde_json = { workspace = true }\n"
    } else {
        ""
    };
    format!(
        "[package]\n\
         name = \"{id}\"\n\
         version = \"0.1.0\"\n\
         description = \"Exercise: TODO say what the student builds\"\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         sqlx = {{ workspace = true }}\n\
         {http}\
         \n\
         [dev-dependencies]\n\
         {support}\n\
         \n\
         # Student code may not use `unsafe` (a constructor before `main`, raw file\n\
         # descriptors): forbidden here, where an editable file cannot lower it.\n\
         [lints.rust]\n\
         unsafe_code = \"forbid\"\n\
         \n\
         [[test]]\n\
         name = \"checks\"\n\
         path = \"tests/checks.rs\"\n\
         harness = false\n",
        id = spec.id
    )
}

fn exercise_yaml(spec: &NewExercise, practises: &str) -> String {
    let backends: Vec<&str> = spec.backends.iter().map(|b: &Backend| b.name()).collect();
    format!(
        "format_version: 1\n\
         title:\n  en: \"TODO: what the student builds\"\n  ru: \"TODO: что строит студент\"\n\
         practises: {practises}\n\
         backends: [{}]\n\
         editable: [src/lib.rs]\n\
         time_limit_secs: 30\n\
         checks:\n\
         \x20 - id: returns-the-stored-number\n\
         \x20   points: 1\n\
         \x20   title:\n\
         \x20     en: The number stored in the database comes back\n\
         \x20     ru: Возвращается число, сохранённое в базе\n\
         hints:\n\
         \x20 - en: \"Read the number from the table `numbers` instead of computing it.\"\n\
         \x20   ru: \"Прочитайте число из таблицы `numbers`, а не вычисляйте его.\"\n\
         \x20 - en: \"One row holds it: `SELECT n FROM numbers`, fetched with `fetch_one`.\"\n\
         \x20   ru: \"Оно в единственной строке: `SELECT n FROM numbers`, получите её через `fetch_one`.\"\n\
         \x20 - en: \"`sqlx::query_scalar(\\\"SELECT n FROM numbers\\\").fetch_one(pool).await`\"\n\
         \x20   ru: \"`sqlx::query_scalar(\\\"SELECT n FROM numbers\\\").fetch_one(pool).await`\"\n",
        backends.join(", ")
    )
}

const STARTER: &str = r#"//! Exercise: TODO say what the student builds.
//! Упражнение: TODO скажите, что строит студент.

use sqlx::AnyPool;

/// The number stored in the table `numbers`.
/// Число из таблицы `numbers`.
pub async fn stored_number(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    let _ = pool;
    todo!("read the number from the table `numbers`")
}
"#;

const MISTAKE: &str = r"//! A plausible mistake: a constant instead of a query.

use sqlx::AnyPool;

/// The number stored in the table `numbers`.
pub async fn stored_number(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    let _ = pool;
    Ok(42)
}
";

const MISTAKE_YAML: &str = "about:\n  en: \"A constant instead of reading the table\"\n  ru: \"Константа вместо чтения таблицы\"\nfails:\n  returns-the-stored-number: \"expected\"\n";

const CHECKS: &str = r#"//! The protected checks of this exercise.

use EXERCISE_CRATE::stored_number;
use workbook_support::sqlx;
use workbook_support::{Ctx, Failure, fail};

workbook_support::checks! {
    "returns-the-stored-number" => returns_the_stored_number,
}

async fn returns_the_stored_number(ctx: Ctx) -> Result<(), Failure> {
    // Data from the check's seed: a solution cannot guess it.
    let expected = ctx.seed.rng("number").between(1, 1_000_000);
    sqlx::query("CREATE TABLE numbers (n BIGINT NOT NULL)")
        .execute(&ctx.pool)
        .await?;
    sqlx::query("INSERT INTO numbers (n) VALUES ($1)")
        .bind(expected)
        .execute(&ctx.pool)
        .await?;
    let got = stored_number(&ctx.pool).await.map_err(|error| {
        Failure::database(
            ["`stored_number` returned an error", "`stored_number` вернула ошибку"],
            None,
            &error,
        )
    })?;
    if got == expected {
        return Ok(());
    }
    Err(fail(format!("expected {expected}, the number stored, got {got}"))
        .ru(format!("ожидалось {expected} — сохранённое число, получено {got}"))
        .hint(1))
}
"#;

const HTTP_STARTER: &str = r#"//! Exercise: TODO say what the student builds.
//! Упражнение: TODO скажите, что строит студент.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use sqlx::AnyPool;

/// The app: `GET /number` answers `{"n": <the number stored in `numbers`>}`.
/// Приложение: `GET /number` отвечает `{"n": <число из `numbers`>}`.
pub fn router(pool: AnyPool) -> Router {
    Router::new().route("/number", get(number)).with_state(pool)
}

async fn number(State(pool): State<AnyPool>) -> Json<serde_json::Value> {
    let _ = pool;
    todo!("read the number from the table `numbers`")
}
"#;

const HTTP_MISTAKE: &str = r#"//! A plausible mistake: a constant instead of a query.

use axum::routing::get;
use axum::{Json, Router};
use sqlx::AnyPool;

/// The app.
pub fn router(pool: AnyPool) -> Router {
    let _ = pool;
    Router::new().route("/number", get(|| async { Json(serde_json::json!({"n": 42})) }))
}
"#;

const HTTP_CHECKS: &str = r#"//! The protected checks of this exercise: real HTTP requests to the
//! student's router on 127.0.0.1.

use EXERCISE_CRATE::router;
use workbook_support::http::Server;
use workbook_support::sqlx;
use workbook_support::{Ctx, Failure, fail};

workbook_support::checks! {
    "returns-the-stored-number" => returns_the_stored_number,
}

async fn returns_the_stored_number(ctx: Ctx) -> Result<(), Failure> {
    let expected = ctx.seed.rng("number").between(1, 1_000_000);
    sqlx::query("CREATE TABLE numbers (n BIGINT NOT NULL)")
        .execute(&ctx.pool)
        .await?;
    sqlx::query("INSERT INTO numbers (n) VALUES ($1)")
        .bind(expected)
        .execute(&ctx.pool)
        .await?;
    let server = Server::start(router(ctx.pool.clone())).await?;
    let response = server.get("/number").await?;
    response.expect_status(200)?;
    let got = response.json()?["n"].as_i64();
    if got == Some(expected) {
        return Ok(());
    }
    Err(fail(format!("GET /number: expected {{\"n\": {expected}}}, the number stored, got {got:?}"))
        .ru(format!("GET /number: ожидалось {{\"n\": {expected}}} — сохранённое число, получено {got:?}"))
        .hint(1))
}
"#;
