//! `workbook check` against real cargo builds of exercise crates that misbehave
//! in every way a student's code can: a panic, an endless loop, a deadlock on
//! the pool, an early `process::exit`, megabytes of output, code that does not
//! compile. In every case the runner finishes, says what happened, and the
//! progress store stays usable. Also: Postgres missing, and Ctrl-C mid-run.
//!
//! The fault course is a small workspace made in a temp folder; it builds into
//! the repository's target folder, so the dependencies are compiled only once.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::workspace::{
    TestExercise, course_of, exercise_yaml, processes_mentioning, workbook_in, write,
};
use common::{code, latin1, run};

const FAULTS_LIB: &str = r#"
use std::time::Duration;
use sqlx::any::AnyPoolOptions;

pub fn fine() -> u32 { 42 }

pub fn panics() -> u32 {
    let items: Vec<u32> = Vec::new();
    items[3]
}

#[allow(clippy::empty_loop)]
pub fn loops() -> u32 {
    loop {}
}

/// Holds the only connection of a one-connection pool and asks for another.
pub async fn deadlocks(url: &str) -> Result<(), sqlx::Error> {
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(3600))
        .connect(url)
        .await?;
    let _first = pool.acquire().await?;
    let _second = pool.acquire().await?;
    Ok(())
}

pub fn exits() -> u32 {
    std::process::exit(0)
}

pub fn floods() -> u32 {
    for i in 0..100_000 {
        println!("line {i}: all work and no play makes a dull check, all work and no play");
    }
    7
}
"#;

const FAULTS_CHECKS: &str = r#"
use workbook_support::{Ctx, Failure, fail};

workbook_support::checks! {
    "fine" => fine,
    "panics" => panics,
    "loops" => loops,
    "deadlock" => deadlock,
    "exits" => exits,
    "floods" => floods,
}

async fn fine(_ctx: Ctx) -> Result<(), Failure> {
    if faults::fine() == 42 { Ok(()) } else { Err(fail("not 42")) }
}
async fn panics(_ctx: Ctx) -> Result<(), Failure> {
    faults::panics();
    Ok(())
}
async fn loops(_ctx: Ctx) -> Result<(), Failure> {
    faults::loops();
    Ok(())
}
async fn deadlock(ctx: Ctx) -> Result<(), Failure> {
    faults::deadlocks(&ctx.url).await?;
    Ok(())
}
async fn exits(_ctx: Ctx) -> Result<(), Failure> {
    faults::exits();
    Ok(())
}
async fn floods(_ctx: Ctx) -> Result<(), Failure> {
    if faults::floods() == 7 { Ok(()) } else { Err(fail("not 7")) }
}
"#;

/// A course with two exercises: `faults` (six checks, five of them sabotaged)
/// and `broken` (does not compile).
fn fault_course() -> tempfile::TempDir {
    course_of(&[
        TestExercise {
            id: "faults",
            lib: FAULTS_LIB,
            checks: FAULTS_CHECKS,
            manifest: exercise_yaml(
                &["fine", "panics", "loops", "deadlock", "exits", "floods"],
                3,
            ),
        },
        TestExercise {
            id: "broken",
            lib: "pub fn fine() -> u32 {\n    let answer: u32 = \"forty-two\";\n    answer\n}\n",
            checks: "use workbook_support::{Ctx, Failure};\nworkbook_support::checks! { \"fine\" => fine }\nasync fn fine(_ctx: Ctx) -> Result<(), Failure> { let _ = broken::fine(); Ok(()) }\n",
            manifest: exercise_yaml(&["fine"], 3)
                .replace("Faults", "Broken")
                .replace("Сбои", "Сломано"),
        },
    ])
}

/// Output with the parts that change from run to run made stable.
fn stable(text: &str) -> String {
    text.lines()
        .map(|line| {
            // Panic messages name the source line; keep them, drop column noise.
            if let Some(at) = line.find(" at exercises/") {
                line[..at].to_owned() + " at [SOURCE]"
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fault_becomes_a_readable_result() {
    let dir = fault_course();
    let output = workbook_in(dir.path())
        .args(["check", "--db", "sqlite"])
        .output()
        .unwrap();
    let text = run_output(&output, dir.path());
    assert_eq!(code(&output), 1, "{text}");
    insta::assert_snapshot!("faults-sqlite", stable(&text));
    // Finishing at all is the point: nothing waits for the 3600 s acquire
    // time-out or for the endless loop; their 3 s limits end them.

    // Nothing is left behind, even by checks that were stopped or exited early:
    // no scratch or run folder of a process that is gone.
    let leaked = leftovers();
    assert!(leaked.is_empty(), "left behind: {leaked:?}");

    // The progress store is intact and knows the results.
    let list = workbook_in(dir.path()).arg("list").output().unwrap();
    assert_eq!(code(&list), 0);
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("2/6 checks pass"),
        "{}",
        String::from_utf8_lossy(&list.stdout)
    );

    // The same in Russian, as JSON for tools.
    let json = workbook_in(dir.path())
        .args(["check", "faults", "--format", "json"])
        .output()
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(document["format_version"], 1);
    let checks = document["runs"][0]["outcome"]["checks"].as_array().unwrap();
    let status: Vec<&str> = checks
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["pass", "fail", "fail", "fail", "fail", "pass"]);
    // The totals are in the document, decided by the runner's summary.
    let totals = &document["summary"]["totals"];
    assert_eq!(
        (&totals["points"], &totals["max_points"]),
        (&2.into(), &6.into()),
        "{totals}"
    );
    assert_eq!(
        (&totals["passed"], &totals["checks"]),
        (&2.into(), &6.into()),
        "{totals}"
    );
}

/// Scratch and run folders whose process no longer runs.
fn leftovers() -> Vec<PathBuf> {
    [PathBuf::from("/dev/shm"), std::env::temp_dir()]
        .iter()
        .flat_map(|base| std::fs::read_dir(base).into_iter().flatten().flatten())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name
                .strip_prefix("workbook-sqlite-")
                .or_else(|| name.strip_prefix("workbook-run-"));
            rest.and_then(|r| r.split('-').next()?.parse::<u32>().ok())
                .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        })
        .map(|entry| entry.path())
        .collect()
}

fn run_output(output: &std::process::Output, dir: &Path) -> String {
    common::render(output, dir)
}

#[test]
fn the_checks_say_it_in_russian() {
    let dir = fault_course();
    let output = workbook_in(dir.path())
        .args(["--lang", "ru", "check", "faults", "fine", "--db", "sqlite"])
        .output();
    // `fine` is not an exercise: a usage error, with the valid ids.
    let output = output.unwrap();
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("неизвестное упражнение") && stderr.contains("faults"),
        "{stderr}"
    );
    let output = workbook_in(dir.path())
        .args(["--lang", "ru", "check", "faults"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("код запаниковал"), "{text}");
    assert!(text.contains("не завершилась за 3 с"), "{text}");
    assert!(text.contains("завершился с кодом 0 раньше"), "{text}");
}

#[test]
fn no_postgres_says_how_to_get_one() {
    let dir = fault_course();
    let empty = tempfile::tempdir().unwrap();
    for lang in ["en", "ru"] {
        let output = run(
            workbook_in(dir.path())
                .env("WORKBOOK_PG_BINDIR", empty.path())
                .args(["--lang", lang, "check", "faults", "--db", "postgres"]),
            dir.path(),
        );
        let output = output.replace(&empty.path().display().to_string(), "[EMPTY]");
        insta::assert_snapshot!(format!("no-postgres-{lang}"), output);
    }
}

#[test]
fn ctrl_c_leaves_no_server_database_or_process_behind() {
    interrupt_leaves_nothing_behind("INT", 130);
}

/// Without cargo the error names the program and how to get it, in the
/// student's language.
#[test]
fn a_missing_cargo_is_named() {
    let dir = fault_course();
    for (lang, says) in [
        ("en", "cannot run `/nowhere/cargo`"),
        ("ru", "не удалось запустить `/nowhere/cargo`"),
    ] {
        let output = workbook_in(dir.path())
            .env("CARGO", "/nowhere/cargo")
            .args(["--lang", lang, "check", "broken"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code(&output), 3, "{stderr}");
        assert!(
            stderr.contains(says) && stderr.contains("rustup.rs"),
            "{stderr}"
        );
    }
}

/// What `timeout`, `kill` and a cancelled CI job send: handled like Ctrl-C.
#[test]
fn sigterm_leaves_no_server_database_or_process_behind() {
    interrupt_leaves_nothing_behind("TERM", 143);
}

fn interrupt_leaves_nothing_behind(signal: &str, exit_code: i32) {
    let dir = fault_course();
    // Build first, so that the interruption lands while checks run.
    let warm = workbook_in(dir.path())
        .args(["check", "broken"])
        .output()
        .unwrap();
    assert_eq!(code(&warm), 1);
    let child = workbook_in(dir.path())
        .args(["check", "faults", "--db", "postgres"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let cluster_prefix = format!("workbook-pg-{pid}-");
    let find_cluster = || {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&cluster_prefix)
            })
    };
    let deadline = Instant::now() + Duration::from_mins(4);
    let cluster = loop {
        if let Some(cluster) = find_cluster().filter(|c| c.join("data/postmaster.pid").exists()) {
            break cluster;
        }
        assert!(
            Instant::now() < deadline,
            "the throwaway cluster never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // Let the checks start (two of them hang until their limit).
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(exit_code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert!(!cluster.exists(), "the cluster folder is removed");
    let ours = format!("workbook-run-{pid}-");
    let left: Vec<_> = std::fs::read_dir(workbook_support::scratch::scratch_base())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&ours))
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "the run's folders are removed: {left:?}");
    std::thread::sleep(Duration::from_millis(500));
    let cluster_text = cluster.display().to_string();
    assert!(
        processes_mentioning(&cluster_text).is_empty(),
        "the server is stopped"
    );
    let course_text = dir.path().display().to_string();
    let left: Vec<String> = processes_mentioning(&course_text)
        .into_iter()
        .filter(|c| c.contains("checks"))
        .collect();
    assert!(left.is_empty(), "check processes are stopped: {left:?}");
}

#[test]
fn an_edit_after_a_warm_run_is_always_checked() {
    let dir = fault_course();
    let first = workbook_in(dir.path())
        .args(["check", "broken"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&first.stdout).contains("does not compile"));
    // Fix the compile error: the next run must build again, not reuse anything.
    write(
        &dir.path().join("exercises/broken/src/lib.rs"),
        "pub fn fine() -> u32 {\n    42\n}\n",
    );
    let fixed = workbook_in(dir.path())
        .args(["check", "broken"])
        .output()
        .unwrap();
    assert_eq!(
        code(&fixed),
        0,
        "{}",
        String::from_utf8_lossy(&fixed.stdout)
    );
    // A warm run with nothing changed gives the same result.
    let warm = workbook_in(dir.path())
        .args(["check", "broken"])
        .output()
        .unwrap();
    assert_eq!(code(&warm), 0);
    // And a one-line edit that breaks it again is seen at once.
    write(
        &dir.path().join("exercises/broken/src/lib.rs"),
        "pub fn fine() -> u32 {\n    panic!(\"changed my mind\")\n}\n",
    );
    let edited = workbook_in(dir.path())
        .args(["check", "broken"])
        .output()
        .unwrap();
    assert_eq!(code(&edited), 1);
    assert!(
        String::from_utf8_lossy(&edited.stdout).contains("changed my mind"),
        "{}",
        String::from_utf8_lossy(&edited.stdout)
    );
}

#[test]
fn watch_rechecks_on_save_and_answers_keys() {
    use rexpect::session::{Options, spawn_with_options};

    let dir = fault_course();
    let mut cmd = workbook_in(dir.path());
    cmd.args(["--lang", "en", "watch", "broken"]);
    let options = Options::new()
        .timeout_ms(Some(240_000))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).unwrap();
    p.exp_string("does not compile").unwrap();
    p.exp_string("watching for saves").unwrap();
    // Saving a fix re-runs the checks by itself.
    write(
        &dir.path().join("exercises/broken/src/lib.rs"),
        "pub fn fine() -> u32 {\n    42\n}\n",
    );
    p.exp_string("1/1 points").unwrap();
    // A pass moves on to the next failing exercise unless the student stays.
    p.exp_string(&latin1("Every check of broken passes. Moving on to faults"))
        .unwrap();
    p.send("s").unwrap();
    p.flush().unwrap();
    p.exp_string("Staying here").unwrap();
    p.send("h").unwrap();
    p.flush().unwrap();
    p.exp_string("Hint 1 of 1 for broken").unwrap();
    p.send("q").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    let list = workbook_in(dir.path()).arg("list").output().unwrap();
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("all checks pass"),
        "the result is recorded"
    );
}

#[test]
fn watch_needs_a_terminal() {
    let dir = fault_course();
    let output = workbook_in(dir.path())
        .args(["watch", "broken"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a terminal"));
}
