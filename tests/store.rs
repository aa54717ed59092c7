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

/// `workbook ARGS` run in `dir` with that folder mounted read-only by
/// bubblewrap (a mount flag holds even for root, where file permissions do
/// not); `env` is added to the usual clean environment. `None`, with a note,
/// where bubblewrap is missing or cannot make a mount namespace.
fn read_only(dir: &Path, env: &[(&str, &Path)], args: &[&str]) -> Option<std::process::Output> {
    let d = dir.to_str().unwrap();
    let probe = std::process::Command::new("bwrap")
        .args(["--dev-bind", "/", "/", "--ro-bind", d, d, "touch"])
        .arg(dir.join("probe"))
        .output();
    match probe {
        Ok(probe) if !probe.status.success() && !dir.join("probe").exists() => {}
        _ => {
            eprintln!("skipped: bubblewrap cannot mount the course read-only here");
            return None;
        }
    }
    let mut cmd = std::process::Command::new("bwrap");
    cmd.args([
        "--dev-bind",
        "/",
        "/",
        "--ro-bind",
        d,
        d,
        "--chdir",
        d,
        "--",
    ])
    .arg(env!("CARGO_BIN_EXE_workbook"))
    .args(["--color", "never"])
    .args(args)
    .env_remove("WORKBOOK_LANG")
    .env_remove("WORKBOOK_STATE_DIR")
    .env_remove("LC_ALL")
    .env_remove("LC_MESSAGES")
    .env("LANG", "C.UTF-8")
    .env("TERM", "xterm");
    for (key, value) in env {
        cmd.env(key, value);
    }
    Some(cmd.output().unwrap())
}

const ANSWERS: &str = "format_version: 1\nmodule: first\nanswers:\n  truth: true\n";

#[test]
fn a_read_only_course_reads_and_says_once_that_progress_is_not_saved() {
    let dir = course(Some(&common::fixtures().join("with-quiz")));
    std::fs::write(dir.path().join("answers.yaml"), ANSWERS).unwrap();
    let commands: [&[&str]; 5] = [
        &["list"],
        &["progress"],
        &["lesson", "basics", "--step", "story"],
        &[
            "lesson",
            "basics",
            "--step",
            "fill",
            "--answer",
            "BEGIN=nope",
        ],
        &["quiz", "first", "--answers", "answers.yaml"],
    ];
    // Without a store yet, and then with one written before the folder became read-only.
    for has_store in [false, true] {
        if has_store {
            let output = workbook(dir.path())
                .args(["lesson", "basics", "--step", "story"])
                .output()
                .unwrap();
            assert_eq!(code(&output), 0);
        }
        let before = std::fs::read(store_path(dir.path())).ok();
        for args in commands {
            for (lang, note) in [
                ("en", "progress is not saved in this run"),
                ("ru", "прогресс в этом запуске не сохраняется"),
            ] {
                let args: Vec<&str> = ["--lang", lang].iter().chain(args).copied().collect();
                let Some(output) = read_only(dir.path(), &[], &args) else {
                    return;
                };
                let stderr = String::from_utf8_lossy(&output.stderr);
                let stdout = String::from_utf8_lossy(&output.stdout);
                assert!(
                    matches!(code(&output), 0 | 1),
                    "{args:?} works:\n{stdout}{stderr}"
                );
                assert_eq!(
                    stderr.matches(note).count(),
                    1,
                    "{args:?}, said once:\n{stderr}"
                );
                assert!(
                    stderr.contains("WORKBOOK_STATE_DIR"),
                    "{args:?} says how to keep it:\n{stderr}"
                );
                for raw in ["SQLite", "sqlite", "database", "error"] {
                    assert!(!stderr.contains(raw), "{args:?}: {raw} in\n{stderr}");
                }
                assert!(!stdout.is_empty(), "{args:?} shows its screen");
            }
        }
        assert_eq!(
            std::fs::read(store_path(dir.path())).ok(),
            before,
            "nothing was written into the read-only course"
        );
    }
    let listed = read_only(dir.path(), &[], &["progress"]).unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("1/"),
        "what was saved before is read: {}",
        String::from_utf8_lossy(&listed.stdout)
    );
}

#[test]
fn workbook_state_dir_puts_the_store_elsewhere() {
    let dir = course(None);
    let state = tempfile::tempdir().unwrap();
    let in_state = |args: &[&str]| {
        let output = workbook(dir.path())
            .env("WORKBOOK_STATE_DIR", state.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            code(&output),
            0,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    in_state(&["lesson", "basics", "--step", "story"]);
    assert!(state.path().join("progress.db").is_file());
    assert!(
        !dir.path().join(".workbook").exists(),
        "the course folder is left alone"
    );
    let progress = in_state(&["progress"]);
    let plain = workbook(dir.path()).arg("progress").output().unwrap();
    assert_ne!(
        progress.stdout, plain.stdout,
        "the store in WORKBOOK_STATE_DIR is the one read"
    );
    // A read-only course with the store elsewhere saves, and says nothing about it.
    if let Some(output) = read_only(
        dir.path(),
        &[("WORKBOOK_STATE_DIR", state.path())],
        &["lesson", "basics", "--step", "task"],
    ) {
        assert_eq!(code(&output), 0);
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let snapshot = tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = Store::open_in(state.path()).await.unwrap();
            store.snapshot().await.unwrap()
        });
        assert!(snapshot.has_read("basics", "task"));
    }
    // Starting over moves the store in WORKBOOK_STATE_DIR aside.
    let output = in_state(&["progress", "--start-over"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains(&state.path().display().to_string()));
    assert!(!state.path().join("progress.db").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_deleted_mid_run_is_written_back_with_everything() {
    let dir = course(None);
    let store = Store::open(dir.path()).await.unwrap();
    store.visit_step("basics", "story").await.unwrap();
    assert!(store.take_notices().is_empty());
    std::fs::remove_dir_all(dir.path().join(".workbook")).unwrap();
    store
        .record_blank_attempt("basics", "fill", "BEGIN", "x", false)
        .await
        .unwrap();
    assert_eq!(
        store.take_notices(),
        vec![workbook::store::Notice::Restored {
            path: store_path(dir.path())
        }],
        "the student is told"
    );
    store.visit_step("basics", "task").await.unwrap();
    assert!(store.take_notices().is_empty(), "told once");
    store.close().await;
    let store = Store::open(dir.path()).await.unwrap();
    let snapshot = store.snapshot().await.unwrap();
    assert!(
        snapshot.has_read("basics", "story"),
        "from before the deletion"
    );
    assert_eq!(snapshot.blank("basics", "fill", "BEGIN").attempts, 1);
    assert!(snapshot.has_read("basics", "task"), "from after it");
    store.close().await;
    assert!(dir.path().join(".workbook/.gitignore").is_file());
}

#[tokio::test(flavor = "multi_thread")]
async fn starting_over_mid_run_is_respected() {
    let dir = course(None);
    let store = Store::open(dir.path()).await.unwrap();
    store.visit_step("basics", "story").await.unwrap();
    let backup = workbook::store::start_over(dir.path()).unwrap().unwrap();
    store.visit_step("basics", "task").await.unwrap();
    assert!(store.take_notices().is_empty(), "nothing was lost");
    store.close().await;
    let fresh = Store::open(dir.path()).await.unwrap();
    let snapshot = fresh.snapshot().await.unwrap();
    assert!(snapshot.has_read("basics", "task"));
    assert!(
        !snapshot.has_read("basics", "story"),
        "the old progress stays in the backup"
    );
    fresh.close().await;
    assert!(backup.is_file());
}
