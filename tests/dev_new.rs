//! `workbook dev new` on a real course: the scaffold builds, is listed in its
//! module and the workspace, and `dev verify` rejects it until its solution is
//! written, then accepts it (starter failing, solution passing on seeds, the
//! first mistake failing as it says).

mod common;

use common::code;
use common::workspace::{TestExercise, course_of, exercise_yaml, workbook_in, write};

const LIB: &str = "pub fn fine() -> u32 { 1 }\n";
const CHECKS: &str = r#"
use workbook_support::{Ctx, Failure, fail};
workbook_support::checks! { "fine" => fine }
async fn fine(_ctx: Ctx) -> Result<(), Failure> {
    if present::fine() == 1 { Ok(()) } else { Err(fail("not 1")) }
}
"#;

const SOLUTION: &str = r#"//! The reference solution.

use sqlx::AnyPool;

/// The number stored in the table `numbers`.
pub async fn stored_number(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT n FROM numbers").fetch_one(pool).await
}
"#;

#[test]
fn a_new_exercise_is_rejected_until_its_solution_is_written() {
    let dir = course_of(&[TestExercise {
        id: "present",
        lib: LIB,
        checks: CHECKS,
        manifest: exercise_yaml(&["fine"], 10),
    }]);
    let root = dir.path();
    let made = workbook_in(root)
        .args([
            "dev",
            "new",
            "stored-number",
            "--module",
            "first",
            "--backend",
            "sqlite",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&made.stdout);
    assert_eq!(
        code(&made),
        0,
        "{text}{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(
        text.contains("exercises/stored-number/tests/checks.rs"),
        "{text}"
    );
    assert!(text.contains("workbook dev verify stored-number"), "{text}");
    let course = std::fs::read_to_string(root.join("course.yaml")).unwrap();
    assert!(
        course.contains("exercises: [present, stored-number]"),
        "{course}"
    );
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        workspace.contains("\"exercises/stored-number\""),
        "{workspace}"
    );
    let yaml = std::fs::read_to_string(root.join("exercises/stored-number/exercise.yaml")).unwrap();
    assert!(yaml.contains("backends: [sqlite]"), "{yaml}");

    // The same id again, or an unknown module: refused, nothing changed.
    let again = workbook_in(root)
        .args(["dev", "new", "stored-number", "--module", "first"])
        .output()
        .unwrap();
    assert_eq!(code(&again), 2);
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let unknown = workbook_in(root)
        .args(["dev", "new", "other", "--module", "frist"])
        .output()
        .unwrap();
    assert_eq!(code(&unknown), 2);
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("did you mean `first`"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );

    // Before its solution is written, the self-check says what is missing.
    let before = workbook_in(root)
        .args(["dev", "verify", "stored-number"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&before.stdout);
    assert_ne!(code(&before), 0, "{report}");
    assert!(
        report.contains("stored-number: on sqlite") && report.contains("the solution fails"),
        "{report}"
    );

    write(
        &root.join("exercises/stored-number/solution/src/lib.rs"),
        SOLUTION,
    );
    let after = workbook_in(root)
        .args(["dev", "verify", "stored-number"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&after.stdout);
    assert!(
        report.contains("stored-number: the starter compiles and fails 1 of 1 checks on sqlite"),
        "{report}"
    );
    assert!(
        report.contains("stored-number: the solution passes all 1 checks on sqlite"),
        "{report}"
    );
    assert!(
        report.contains(
            "stored-number: mistake constant fails returns-the-stored-number as it should on sqlite"
        ),
        "{report}"
    );
    assert!(!report.contains("stored-number: on"), "{report}");
}

const HTTP_SOLUTION: &str = r#"//! The reference solution.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use sqlx::AnyPool;

/// The app: `GET /number` answers `{"n": <the number stored in `numbers`>}`.
pub fn router(pool: AnyPool) -> Router {
    Router::new().route("/number", get(number)).with_state(pool)
}

async fn number(State(pool): State<AnyPool>) -> Json<serde_json::Value> {
    let n: i64 = sqlx::query_scalar("SELECT n FROM numbers")
        .fetch_one(&pool)
        .await
        .unwrap_or_default();
    Json(serde_json::json!({ "n": n }))
}
"#;

/// `--http`: the student builds an axum router and the checks send it real
/// requests; the template builds, and passes once its solution is written.
#[test]
fn a_new_http_exercise_builds_and_verifies() {
    let dir = course_of(&[TestExercise {
        id: "present",
        lib: LIB,
        checks: CHECKS,
        manifest: exercise_yaml(&["fine"], 10),
    }]);
    let root = dir.path();
    let made = workbook_in(root)
        .args([
            "dev",
            "new",
            "web-number",
            "--module",
            "first",
            "--backend",
            "sqlite",
            "--http",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&made), 0, "{}", String::from_utf8_lossy(&made.stderr));
    write(
        &root.join("exercises/web-number/solution/src/lib.rs"),
        HTTP_SOLUTION,
    );
    let verified = workbook_in(root)
        .args(["dev", "verify", "web-number"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(
        report.contains("web-number: the starter compiles and fails 1 of 1 checks on sqlite")
            && report.contains("web-number: the solution passes all 1 checks on sqlite")
            && report.contains("web-number: mistake constant fails returns-the-stored-number as it should on sqlite"),
        "{report}"
    );
    assert!(!report.contains("web-number: on"), "{report}");
}
