//! The progress store: concurrent processes, damaged and foreign files, newer
//! schemas, and starting over without losing anything.

mod common;

use std::path::Path;
use std::sync::{Arc, Barrier};

use common::{code, course, run, workbook};
use workbook::store::{Store, store_path};

/// Answers a blank `times` times from separate processes, in a thread.
fn answer_repeatedly(
    dir: &Path,
    times: usize,
    start: Arc<Barrier>,
) -> std::thread::JoinHandle<Vec<String>> {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        start.wait();
        let mut failures = Vec::new();
        for i in 0..times {
            let answer = format!("BEGIN=wrong-{i}");
            let output = workbook(&dir)
                .args(["lesson", "basics", "--step", "fill", "--answer", &answer])
                .output()
                .unwrap();
            // Exit 1 is a wrong answer, as intended; anything else is a failure.
            if code(&output) != 1 {
                failures.push(String::from_utf8_lossy(&output.stderr).into_owned());
            }
        }
        failures
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_write_at_once_without_losing_anything() {
    let dir = course(None);
    // No store yet: both processes race to create it and apply the migrations.
    let start = Arc::new(Barrier::new(2));
    let a = answer_repeatedly(dir.path(), 20, start.clone());
    let b = answer_repeatedly(dir.path(), 20, start);
    let failures: Vec<String> = a
        .join()
        .unwrap()
        .into_iter()
        .chain(b.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");

    let store = Store::open(dir.path()).await.unwrap();
    let snapshot = store.snapshot().await.unwrap();
    let state = snapshot.blank("basics", "fill", "BEGIN");
    assert_eq!(
        state.attempts, 40,
        "every answer from both processes is recorded"
    );
    assert!(!state.solved);
    assert!(snapshot.has_read("basics", "fill"));
    store.close().await;
}

#[test]
fn a_damaged_store_is_reported_kept_and_can_be_moved_aside() {
    let dir = course(None);
    let path = store_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage = b"this is not a database, it is a shopping list\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();

    let output = run(workbook(dir.path()).arg("list"), dir.path());
    insta::assert_snapshot!("damaged-en", output);
    let output = run(
        workbook(dir.path()).args(["--lang", "ru", "progress"]),
        dir.path(),
    );
    insta::assert_snapshot!("damaged-ru", output);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the damaged file is left untouched"
    );

    let moved = workbook(dir.path())
        .args(["progress", "--start-over"])
        .output()
        .unwrap();
    assert_eq!(code(&moved), 0);
    let message = String::from_utf8_lossy(&moved.stdout).into_owned();
    assert!(message.contains("progress.db."), "{message}");
    let backups: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read(&backups[0]).unwrap(),
        garbage,
        "the backup holds the old bytes"
    );

    let fresh = workbook(dir.path()).arg("list").output().unwrap();
    assert_eq!(
        code(&fresh),
        0,
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );
}

#[test]
fn a_truncated_store_is_reported() {
    let dir = course(None);
    for step in ["story", "task", "target", "idea"] {
        let output = workbook(dir.path())
            .args(["lesson", "basics", "--step", step])
            .output()
            .unwrap();
        assert_eq!(code(&output), 0);
    }
    let path = store_path(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let output = workbook(dir.path()).arg("progress").output().unwrap();
    assert_eq!(
        code(&output),
        3,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(stderr.contains("--start-over"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_from_a_newer_workbook_is_left_alone() {
    let dir = course(None);
    assert_eq!(code(&workbook(dir.path()).arg("list").output().unwrap()), 0);
    let path = store_path(dir.path());
    {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query("PRAGMA user_version = 99")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    let before = std::fs::read(&path).unwrap();
    insta::assert_snapshot!(
        "newer-en",
        run(workbook(dir.path()).arg("list"), dir.path())
    );
    insta::assert_snapshot!(
        "newer-ru",
        run(
            workbook(dir.path()).args(["--lang", "ru", "list"]),
            dir.path()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_programs_database_is_not_taken_over() {
    let dir = course(None);
    let path = store_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    insta::assert_snapshot!(
        "foreign-en",
        run(workbook(dir.path()).arg("list"), dir.path())
    );
}

#[test]
fn start_over_without_a_store_says_so() {
    let dir = course(None);
    insta::assert_snapshot!(
        "start-over-empty",
        run(
            workbook(dir.path()).args(["progress", "--start-over"]),
            dir.path()
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reopening_keeps_everything_and_migrates_once() {
    let dir = course(None);
    let store = Store::open(dir.path()).await.unwrap();
    store.visit_step("basics", "story").await.unwrap();
    store
        .record_blank_attempt("basics", "fill", "BEGIN", "x", false)
        .await
        .unwrap();
    store
        .record_blank_reveal("basics", "fill", "BEGIN")
        .await
        .unwrap();
    store.record_solution_reveal("basics").await.unwrap();
    store.close().await;
    let store = Store::open(dir.path()).await.unwrap();
    let snapshot = store.snapshot().await.unwrap();
    assert!(snapshot.has_read("basics", "story"));
    assert_eq!(
        snapshot.last_position,
        Some(("basics".to_owned(), "story".to_owned()))
    );
    let blank = snapshot.blank("basics", "fill", "BEGIN");
    assert_eq!(
        (blank.attempts, blank.solved, blank.revealed),
        (1, false, true)
    );
    assert!(snapshot.solutions_revealed.contains("basics"));
    store.close().await;
    assert!(
        dir.path().join(".workbook/.gitignore").is_file(),
        "the store folder ignores itself"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_visited_step_wins_within_one_second() {
    let dir = course(None);
    let store = Store::open(dir.path()).await.unwrap();
    for (lesson, step) in [
        ("basics", "story"),
        ("more", "m-task"),
        ("basics", "idea"),
        ("more", "m-theory"),
    ] {
        store.visit_step(lesson, step).await.unwrap();
    }
    let snapshot = store.snapshot().await.unwrap();
    assert_eq!(
        snapshot.last_position,
        Some(("more".to_owned(), "m-theory".to_owned()))
    );
    assert_eq!(
        snapshot.positions.get("basics").map(String::as_str),
        Some("idea")
    );
    store.close().await;
}
