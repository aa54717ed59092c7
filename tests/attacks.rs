//! Attacks on the verdict, on real cargo builds: student code that forges its
//! report (a plain file, a fake seal, libtest's text, a FIFO, a file rewritten
//! from a thread), ends the process early, leaves processes behind or holds
//! the output pipe, reads the environment, injects workflow commands and
//! escape sequences, uses `unsafe` for a constructor before `main`; and, with
//! `--sandbox`, reads the solution, writes outside its folder or uses the
//! network. Each ends as a failed check (or a pass that proves the attack was
//! blocked), under `workbook check` and under plain `cargo test` alike, with
//! nothing left behind.

mod common;

use std::path::Path;

use common::workspace::{
    TestExercise, cargo_test_in, course_of, exercise_yaml, processes_mentioning, workbook_in,
};
use common::{code, render};

const ATTACKS_LIB: &str = r##"
use std::io::Write;

fn report_path(check: &str) -> std::path::PathBuf {
    let dir = std::env::var("WORKBOOK_REPORT_DIR").unwrap_or_else(|_| ".".into());
    std::path::Path::new(&dir).join(format!("{check}.json"))
}

const PASS: &str = r#"{"id":"ID","status":"pass","points":3000,"max_points":1,"message":"","evidence":[],"hint":null,"backend":"sqlite","duration_ms":1}"#;

pub fn forge_file() -> u32 {
    let _ = std::fs::write(report_path("forge-file"), PASS.replace("ID", "forge-file"));
    std::process::exit(0)
}

pub fn forge_seal() -> u32 {
    let body = PASS.replace("ID", "forge-seal");
    let sealed = format!("{{\"body\": {:?}, \"seal\": \"{}\"}}", body, "0".repeat(64));
    let _ = std::fs::write(report_path("forge-seal"), sealed);
    std::process::exit(0)
}

pub fn forge_libtest() -> u32 {
    println!("test forge-libtest ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s");
    let _ = std::io::stdout().flush();
    std::process::exit(0)
}

pub fn forge_fifo() -> u32 {
    let path = report_path("forge-fifo");
    let _ = std::fs::remove_file(&path);
    let _ = std::process::Command::new("mkfifo").arg(&path).status();
    std::process::exit(0)
}

/// Keeps rewriting the report with a pass while the check fails.
pub fn forge_later() -> u32 {
    std::thread::spawn(|| loop {
        let _ = std::fs::write(report_path("forge-later"), PASS.replace("ID", "forge-later"));
        std::thread::sleep(std::time::Duration::from_millis(1));
    });
    std::thread::sleep(std::time::Duration::from_millis(20));
    0
}

/// Starts a process that leaves the check's process group.
pub fn orphan() -> u32 {
    use std::os::unix::process::CommandExt;
    let _ = std::process::Command::new("sleep")
        .arg("1234.5")
        .process_group(0)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    0
}

/// Starts a process that keeps the check's output pipe open.
pub fn holds_pipe() -> u32 {
    let _ = std::process::Command::new("sleep").arg("1235.5").spawn();
    0
}

pub fn token() -> Option<String> {
    std::env::var("WORKBOOK_TEST_TOKEN").ok()
}

#[allow(unconditional_recursion)]
pub fn overflows(depth: u64) -> u64 {
    let padding = [depth; 64];
    overflows(depth + 1) + padding[(depth % 64) as usize]
}

pub fn hogs() -> u32 {
    let huge: Vec<u8> = Vec::with_capacity(1 << 42);
    u32::try_from(huge.capacity() % 2).unwrap_or(0)
}

pub fn injects() -> u32 {
    panic!("::error::owned\n  ::add-mask::secret\n::set-output name=a::b\n\x1b[2Jcleared \x1b]52;c;ZXZpbA==\x07 \u{202e}desrever")
}
"##;

const ATTACKS_CHECKS: &str = r#"
use workbook_support::{Ctx, Failure, fail};

workbook_support::checks! {
    "forge-file" => forge_file,
    "forge-seal" => forge_seal,
    "forge-libtest" => forge_libtest,
    "forge-fifo" => forge_fifo,
    "forge-later" => forge_later,
    "orphan" => orphan,
    "holds-pipe" => holds_pipe,
    "env-hidden" => env_hidden,
    "injects" => injects,
    "overflows" => overflows,
    "hogs" => hogs,
}

fn one(value: u32) -> Result<(), Failure> {
    if value == 1 { Ok(()) } else { Err(fail(format!("expected 1, got {value}"))) }
}

async fn forge_file(_ctx: Ctx) -> Result<(), Failure> { one(attacks::forge_file()) }
async fn forge_seal(_ctx: Ctx) -> Result<(), Failure> { one(attacks::forge_seal()) }
async fn forge_libtest(_ctx: Ctx) -> Result<(), Failure> { one(attacks::forge_libtest()) }
async fn forge_fifo(_ctx: Ctx) -> Result<(), Failure> { one(attacks::forge_fifo()) }
async fn forge_later(_ctx: Ctx) -> Result<(), Failure> { one(attacks::forge_later()) }
async fn orphan(_ctx: Ctx) -> Result<(), Failure> { one(attacks::orphan()) }
async fn holds_pipe(_ctx: Ctx) -> Result<(), Failure> { one(attacks::holds_pipe()) }
async fn env_hidden(_ctx: Ctx) -> Result<(), Failure> {
    match attacks::token() {
        None => Ok(()),
        Some(token) => Err(fail(format!("the check process sees the runner's environment: {token}"))),
    }
}
async fn injects(_ctx: Ctx) -> Result<(), Failure> { one(attacks::injects()) }
async fn overflows(_ctx: Ctx) -> Result<(), Failure> { one(u32::try_from(attacks::overflows(0)).unwrap_or(0)) }
async fn hogs(_ctx: Ctx) -> Result<(), Failure> { one(attacks::hogs()) }
"#;

const ATTACK_IDS: [&str; 11] = [
    "forge-file",
    "forge-seal",
    "forge-libtest",
    "forge-fifo",
    "forge-later",
    "orphan",
    "holds-pipe",
    "env-hidden",
    "injects",
    "overflows",
    "hogs",
];

/// A constructor that would run before `main`, and an attempt to lift the
/// workspace's ban on `unsafe` from inside the editable file.
const CTOR_LIB: &str = r#"
#![allow(unsafe_code)]
#[used]
#[unsafe(link_section = ".init_array")]
static BEFORE_MAIN: extern "C" fn() = before_main;
extern "C" fn before_main() {
    std::process::exit(0);
}
pub fn fine() -> u32 { 0 }
"#;

const CTOR_CHECKS: &str = r#"
use workbook_support::{Ctx, Failure, fail};
workbook_support::checks! { "fine" => fine }
async fn fine(_ctx: Ctx) -> Result<(), Failure> {
    if ctor::fine() == 1 { Ok(()) } else { Err(fail("not 1")) }
}
"#;

fn attack_course() -> tempfile::TempDir {
    course_of(&[
        TestExercise {
            id: "attacks",
            lib: ATTACKS_LIB,
            checks: ATTACKS_CHECKS,
            manifest: exercise_yaml(&ATTACK_IDS, 5),
        },
        TestExercise {
            id: "ctor",
            lib: CTOR_LIB,
            checks: CTOR_CHECKS,
            manifest: exercise_yaml(&["fine"], 5),
        },
    ])
}

/// The status of every check of `exercise` in a `--format json` run.
fn statuses(json: &[u8], exercise: &str) -> Vec<(String, String, u64)> {
    let document: serde_json::Value = serde_json::from_slice(json).unwrap();
    let run = document["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["exercise"] == exercise)
        .unwrap();
    run["outcome"]["checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .map(|c| {
                    (
                        c["id"].as_str().unwrap().to_owned(),
                        c["status"].as_str().unwrap().to_owned(),
                        c["points"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn assert_nothing_left(course: &Path) {
    std::thread::sleep(std::time::Duration::from_millis(200));
    for needle in ["sleep 1234.5", "sleep 1235.5"] {
        let left = processes_mentioning(needle);
        assert!(left.is_empty(), "a process outlived the run: {left:?}");
    }
    let course_text = course.display().to_string();
    let left: Vec<String> = processes_mentioning(&course_text)
        .into_iter()
        .filter(|c| c.contains("checks"))
        .collect();
    assert!(left.is_empty(), "check processes are stopped: {left:?}");
}

/// No line a CI log or terminal would act on.
fn assert_inert(text: &str) {
    assert!(
        !text.contains('\u{1b}'),
        "an escape character got through:\n{text}"
    );
    assert!(!text.contains('\u{7}'), "a BEL got through:\n{text}");
    assert!(
        !text.contains('\u{202e}'),
        "a bidi override got through:\n{text}"
    );
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "a workflow command got through: {line}"
        );
    }
}

#[test]
fn no_attack_changes_a_verdict_under_workbook_check() {
    let dir = attack_course();
    let output = workbook_in(dir.path())
        .env("WORKBOOK_TEST_TOKEN", "ghp_secret")
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "{}", render(&output, dir.path()));
    let attacks = statuses(&output.stdout, "attacks");
    let got: Vec<(&str, &str, u64)> = attacks
        .iter()
        .map(|(id, status, points)| (id.as_str(), status.as_str(), *points))
        .collect();
    assert_eq!(
        got,
        [
            ("forge-file", "fail", 0),
            ("forge-seal", "fail", 0),
            ("forge-libtest", "fail", 0),
            ("forge-fifo", "fail", 0),
            ("forge-later", "fail", 0),
            ("orphan", "fail", 0),
            ("holds-pipe", "fail", 0),
            ("env-hidden", "pass", 1),
            ("injects", "fail", 0),
            ("overflows", "fail", 0),
            ("hogs", "fail", 0),
        ]
    );
    // The constructor never compiles: `unsafe` is forbidden from Cargo.toml.
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ctor = &document["runs"][1]["outcome"];
    assert_eq!(ctor["status"], "compile_error", "{ctor}");
    assert!(ctor.to_string().contains("unsafe_code"), "{ctor}");
    assert_nothing_left(dir.path());

    // The human report names what happened and lets nothing act on the terminal.
    let human = workbook_in(dir.path())
        .args(["check", "attacks"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert_inert(&text);
    assert!(text.contains("seal does not verify"), "{text}");
    assert!(text.contains("exited with status 0"), "{text}");
    assert!(text.contains("overflowed its stack"), "{text}");
    assert!(text.contains("ran out of memory"), "{text}");
    assert!(text.contains("0/1"), "{text}");
    assert!(!text.contains("3000"), "{text}");
    assert_nothing_left(dir.path());
    let russian = workbook_in(dir.path())
        .args(["--lang", "ru", "check", "attacks"])
        .output()
        .unwrap();
    let russian = String::from_utf8_lossy(&russian.stdout);
    assert_inert(&russian);
    let mut settings = insta::Settings::clone_current();
    // Thread ids in Rust's abort messages change from run to run.
    settings.add_filter(r"thread '([^']*)' \(\d+\)", "thread '$1' (TID)");
    settings.bind(|| {
        insta::assert_snapshot!("attacks-en", without_forge_later(&text));
        insta::assert_snapshot!("attacks-ru", without_forge_later(&russian));
    });
}

/// The report without `forge-later`, whose message depends on a race (the
/// student's thread rewrites the file before or after the harness's last
/// write): failed either way, but not always in the same words.
fn without_forge_later(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("  ✓ ") || line.starts_with("  ✗ ") || !line.starts_with("  ") {
            skipping = line.contains("forge-later");
        }
        if !skipping {
            out.push(line);
        }
    }
    out.join("\n")
}

#[test]
fn plain_cargo_test_gives_the_same_verdicts() {
    let dir = attack_course();
    let output = cargo_test_in(dir.path(), "attacks");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(101), "{stdout}");
    assert!(
        stdout.contains("test result: FAILED. 1 passed; 10 failed"),
        "{stdout}"
    );
    assert!(stdout.contains("exited with status 0"), "{stdout}");
    assert_inert(&stdout);
    assert_nothing_left(dir.path());
}

const ESCAPE_LIB: &str = r#"
/// What the check process could reach that it should not.
pub fn reached(port: u16) -> Vec<String> {
    let mut reached = Vec::new();
    for path in ["solution/src/lib.rs", "tests/checks.rs", "../../course.yaml", "../../.git/HEAD"] {
        if std::fs::read(path).is_ok() {
            reached.push(format!("read {path}"));
        }
    }
    if std::fs::write("../../pwned", "x").is_ok() {
        reached.push("wrote ../../pwned".to_owned());
    }
    if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        reached.push(format!("connected to 127.0.0.1:{port}"));
    }
    reached
}
"#;

fn escape_checks(port: u16) -> String {
    format!(
        r#"
use workbook_support::{{Ctx, Failure, fail}};
workbook_support::checks! {{ "confined" => confined }}
async fn confined(_ctx: Ctx) -> Result<(), Failure> {{
    let reached = escape::reached({port});
    if reached.is_empty() {{ Ok(()) }} else {{ Err(fail(reached.join(", "))) }}
}}
"#
    )
}

#[test]
fn the_sandbox_hides_the_course_and_the_network() {
    if workbook_support::sandbox::Sandbox::detect().is_err() {
        eprintln!("skipped: bubblewrap is not installed");
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let checks = escape_checks(port);
    let dir = course_of(&[TestExercise {
        id: "escape",
        lib: ESCAPE_LIB,
        checks: &checks,
        manifest: exercise_yaml(&["confined"], 10),
    }]);
    common::workspace::write(
        &dir.path().join("exercises/escape/solution/src/lib.rs"),
        "// the reference\n",
    );
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();

    // Without the sandbox the check sees everything: it can fail.
    let open = workbook_in(dir.path()).args(["check"]).output().unwrap();
    let text = String::from_utf8_lossy(&open.stdout);
    assert_eq!(code(&open), 1, "{text}");
    for reached in [
        "read solution/src/lib.rs",
        "read tests/checks.rs",
        "read ../../course.yaml",
        "wrote ../../pwned",
        "connected to 127.0.0.1",
    ] {
        assert!(text.contains(reached), "{reached}: {text}");
    }
    std::fs::remove_file(dir.path().join("pwned")).unwrap();

    // With it, nothing is reached and nothing is written.
    let sandboxed = workbook_in(dir.path())
        .args(["check", "--sandbox"])
        .output()
        .unwrap();
    assert_eq!(code(&sandboxed), 0, "{}", render(&sandboxed, dir.path()));
    assert!(!dir.path().join("pwned").exists());
    // On Postgres too: the socket folder is the only way to the server.
    let postgres = workbook_in(dir.path())
        .args(["check", "--sandbox", "--db", "postgres"])
        .output()
        .unwrap();
    assert_eq!(code(&postgres), 0, "{}", render(&postgres, dir.path()));
    assert!(!dir.path().join("pwned").exists());
    drop(listener);
}

const LIMITS_LIB: &str = r#"
/// Starts `n` processes that sleep; returns how many started.
pub fn spawn_many(n: usize) -> usize {
    let mut children = Vec::new();
    for _ in 0..n {
        match std::process::Command::new("sleep").arg("1236.5").spawn() {
            Ok(child) => children.push(child),
            Err(_) => break,
        }
    }
    children.len()
}

/// Touches `mib` MiB of memory, 64 MiB at a time; returns how many it holds.
pub fn fill_memory(mib: usize) -> usize {
    let mut held: Vec<Vec<u8>> = Vec::new();
    for _ in 0..mib / 64 {
        held.push(vec![7u8; 64 << 20]);
    }
    held.len() * 64
}
"#;

const LIMITS_CHECKS: &str = r#"
use workbook_support::{Ctx, Failure, fail};
workbook_support::checks! { "forks" => forks, "fills-memory" => fills_memory }
async fn forks(_ctx: Ctx) -> Result<(), Failure> {
    let started = limits::spawn_many(400);
    if started == 400 { Ok(()) } else { Err(fail(format!("only {started} of 400 processes started"))) }
}
async fn fills_memory(_ctx: Ctx) -> Result<(), Failure> {
    let held = limits::fill_memory(2048);
    if held == 2048 { Ok(()) } else { Err(fail(format!("held {held} MiB"))) }
}
"#;

/// Where this user may create cgroups (as root here, and on CI), a check
/// process tree gets 256 tasks and 1 GiB: a fork bomb and a memory hog end
/// as failed checks with messages that say so, and nothing is left running.
#[test]
fn cgroups_limit_processes_and_memory() {
    use workbook_support::cgroup::{Cgroup, Limits};
    let probe = format!("workbook-{}-probe", std::process::id());
    if Cgroup::create(&probe, Limits::default()).is_none() {
        eprintln!("skipped: this user may not create cgroups");
        return;
    }
    let dir = course_of(&[TestExercise {
        id: "limits",
        lib: LIMITS_LIB,
        checks: LIMITS_CHECKS,
        manifest: exercise_yaml(&["forks", "fills-memory"], 20),
    }]);
    let output = workbook_in(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let got = statuses(&output.stdout, "limits");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let checks = &document["runs"][0]["outcome"]["checks"];
    assert_eq!(got[0].1, "fail", "{checks}");
    assert!(
        checks[0]["message"]
            .as_str()
            .unwrap()
            .contains("of 400 processes started"),
        "{checks}"
    );
    assert_eq!(got[1].1, "fail", "{checks}");
    assert!(
        checks[1]["message"]
            .as_str()
            .unwrap()
            .contains("ran out of memory (limit 1024 MiB)"),
        "{checks}"
    );
    let left = processes_mentioning("sleep 1236.5");
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}
