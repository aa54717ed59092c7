//! `workbook gradebook` end to end, with the real binary: results of two
//! shards of a batch plus a folder of bad files merged, duplicates and
//! missing shards reported; the CSV read by Python's `csv` module; the HTML
//! opened by a headless Chromium at phone size (a screenshot, the rendered
//! DOM and the console); snapshots of the CSV and of the summary.
//!
//! The results are the sample grade of the report tests
//! (`workbook::grade::report::sample`) rendered as `grade --format json`
//! renders it, under several students' names, some of them hostile.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workbook::cli::{Letter, ReportFormat};
use workbook::grade::model::{Grade, TamperKind, Tampering, Verdict};
use workbook::grade::report::{render, sample};
use workbook::lang::Lang;

/// A student id that tries to run script in the HTML page.
const SCRIPT_ID: &str = "<script>alert(\"id\")</script>\u{1b}[2J";
/// A student id that a spreadsheet would run as a formula.
const FORMULA_ID: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// The grade JSON of `grade` under the name `student`.
fn result(mut grade: Grade, student: &str) -> String {
    student.clone_into(&mut grade.submission);
    render(&grade, ReportFormat::Json, Lang::En)
}

/// A grade with every check green, quizzes passed, clean style: 96, an S.
fn perfect() -> Grade {
    let mut grade = sample::grade();
    grade.parts.quiz.percent = 90.0;
    grade.parts.style.percent = 100.0;
    grade.style.unformatted.clear();
    grade.style.warnings.clear();
    for module in &mut grade.modules {
        module.score = 96.0;
        if let Some(quiz) = &mut module.quiz {
            quiz.percent = 90.0;
            quiz.passed = true;
            quiz.problem = None;
            quiz.missed.clear();
        }
        for exercise in &mut module.exercises {
            exercise.compiled = true;
            exercise.compile_errors.clear();
            for check in &mut exercise.checks {
                check.verdict = Verdict::Pass;
                check.points = check.max_points;
            }
        }
    }
    grade.score = 96.0;
    grade.letter = Letter::S;
    grade.tampering.clear();
    grade
}

fn manifest(shard: u32, of: u32, students: &[&str]) -> String {
    serde_json::json!({"format_version": 1, "shard": shard, "of": of, "submissions": students})
        .to_string()
}

fn write(dir: &Path, name: &str, text: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), text).unwrap();
}

/// Two shards of three (the third never arrived) and a folder of bad files:
///
/// - `shard1/`: alice (the sample, a C), bob (an S); its manifest also
///   lists dave, who has no result;
/// - `shard2/`: carol (not graded at all), a second alice (different), two
///   hostile students, and erin, whom no manifest lists;
/// - `bad/`: invalid JSON, a 50 MB file, JSON nested 100 000 deep, a
///   foreign JSON file and one from a future workbook.
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shard1 = dir.path().join("shard1");
    write(&shard1, "alice.json", &result(sample::grade(), "alice"));
    write(&shard1, "bob.json", &result(perfect(), "bob"));
    write(
        &shard1,
        "_shard-1-of-3.json",
        &manifest(1, 3, &["alice", "bob", "dave"]),
    );
    let shard2 = dir.path().join("shard2");
    let mut again = sample::grade();
    again.score = 61.5;
    write(&shard2, "alice.json", &result(again, "alice"));
    let not_graded = serde_json::json!({
        "format_version": 1, "submission": "carol", "status": "error",
        "message": "carol: the submission has no exercises/ folder (is it a copy of the course?)",
    });
    write(&shard2, "carol.json", &not_graded.to_string());
    let mut hostile = sample::hostile();
    hostile.tampering.push(Tampering {
        path: "@SUM(1+1)*cmd|' /C calc'!A0".to_owned(),
        kind: TamperKind::Added,
    });
    write(&shard2, "hostile-script.json", &result(hostile, SCRIPT_ID));
    write(
        &shard2,
        "hostile-formula.json",
        &result(perfect(), FORMULA_ID),
    );
    write(&shard2, "erin.json", &result(sample::grade(), "erin"));
    write(
        &shard2,
        "_shard-2-of-3.json",
        &manifest(2, 3, &["carol", SCRIPT_ID, FORMULA_ID]),
    );
    let bad = dir.path().join("bad");
    write(&bad, "broken.json", "{ not json");
    write(&bad, "foreign.json", r#"{"hello": "world"}"#);
    write(
        &bad,
        "future.json",
        r#"{"format_version": 2, "submission": "x", "score": 1, "letter": "C"}"#,
    );
    write(&bad, "deep.json", &"[".repeat(100_000));
    let big = fs::File::create(bad.join("big.json")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    dir
}

/// The binary in `dir`, a folder outside any course: the gradebook needs
/// none (a CI job merging shards has no course checkout).
fn gradebook(dir: &Path, lang: &str, args: &[&str]) -> Output {
    common::workbook(dir)
        .args(["--lang", lang, "gradebook"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn shards_are_merged_and_problems_reported() {
    let dir = class();
    let started = std::time::Instant::now();
    let output = gradebook(dir.path(), "en", &["shard1", "shard2", "bad"]);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!("summary-en", common::render(&output, dir.path()));
    let output = gradebook(dir.path(), "ru", &["shard1", "shard2", "bad"]);
    insta::assert_snapshot!("summary-ru", common::render(&output, dir.path()));
}

#[test]
fn a_complete_batch_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write(&out, "alice.json", &result(sample::grade(), "alice"));
    write(&out, "bob.json", &result(perfect(), "bob"));
    write(
        &out,
        "_shard-1-of-1.json",
        &manifest(1, 1, &["alice", "bob"]),
    );
    let output = gradebook(dir.path(), "en", &["out"]);
    insta::assert_snapshot!("complete", common::render(&output, dir.path()));
}

/// Python reads the CSV; prints its rows as JSON.
const READ_CSV: &str = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps(list(csv.reader(f, strict=True))))
"#;

#[test]
fn the_csv_is_read_by_python() {
    let dir = class();
    let output = gradebook(
        dir.path(),
        "en",
        &["shard1", "shard2", "bad", "--csv", "class.csv"],
    );
    assert_eq!(
        common::code(&output),
        1,
        "{}",
        common::render(&output, dir.path())
    );
    let file = dir.path().join("class.csv");
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF rows"
    );
    insta::assert_snapshot!("csv", text.replace("\r\n", "\n"));
    let python = Command::new("python3")
        .args(["-c", READ_CSV])
        .arg(&file)
        .output()
        .expect("these tests need python3 (Debian: apt-get install python3)");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&python.stdout).unwrap();
    let header = [
        "student",
        "status",
        "async-basics",
        "relations-performance",
        "quiz %",
        "style %",
        "total",
        "letter",
        "tampering",
        "tampering kinds",
        "notes",
    ];
    assert_eq!(rows[0], header);
    assert!(rows.iter().all(|r| r.len() == header.len()), "{rows:?}");
    let students: Vec<&str> = rows[1..8].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        students,
        [
            "<script>alert(\"id\")</script>\\u{1b}[2J",
            "'=HYPERLINK(\"http://evil.example\",\"click\")",
            "alice",
            "bob",
            "carol",
            "dave",
            "erin",
        ]
    );
    let alice = &rows[3];
    assert_eq!(
        rows[2][1..9],
        ["pass", "96", "96", "90", "100", "96", "S", "0"]
    );
    assert_eq!(
        alice[1..],
        [
            "fail",
            "58.89",
            "46.67",
            "45",
            "65",
            "54",
            "C",
            "1",
            "modified",
            "alice: graded twice: shard1/alice.json is used, shard2/alice.json (different) is ignored"
        ]
    );
    assert_eq!(rows[4][7], "S");
    assert_eq!((rows[5][1].as_str(), rows[5][7].as_str()), ("error", ""));
    assert_eq!(rows[6][1], "missing");
    // No cell may start a formula.
    for cell in rows.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
    let notices: Vec<&str> = rows[8..].iter().map(|r| r[10].as_str()).collect();
    assert_eq!(notices.len(), 6, "{notices:?}");
    assert!(
        rows[8..]
            .iter()
            .all(|r| r[1] == "notice" && r[0].is_empty())
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("shards missing (of 3): 3;")),
        "{notices:?}"
    );
}

/// Chromium, or a failure saying how to get it.
fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name;
        }
    }
    panic!(
        "this test opens the HTML gradebook in a headless Chromium, which is not installed: \
         Debian: apt-get install chromium (.ci/test installs it when missing)"
    );
}

fn headless(page: &Path, args: &[&str]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--disable-extensions",
            "--disable-background-networking",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--enable-logging=stderr", "--v=0", "--window-size=390,844"])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

#[test]
fn the_html_renders_in_a_headless_browser() {
    let dir = class();
    let output = gradebook(
        dir.path(),
        "en",
        &["shard1", "shard2", "bad", "--html", "class.html"],
    );
    assert_eq!(
        common::code(&output),
        1,
        "{}",
        common::render(&output, dir.path())
    );
    let page = dir.path().join("class.html");
    let html = fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script"), "an unescaped script tag");
    assert!(!html.contains("http://evil") || html.contains("=HYPERLINK(&quot;http://evil"));

    let dom = headless(&page, &["--dump-dom"]);
    let console = String::from_utf8_lossy(&dom.stderr);
    let dom = String::from_utf8_lossy(&dom.stdout);
    for line in console.lines() {
        assert!(
            !line.contains("CONSOLE") && !line.contains("Uncaught") && !line.contains("Refused"),
            "the browser console says: {line}"
        );
    }
    // The rendered DOM: a row per student, the hostile id as text.
    assert!(dom.contains("<h1>Gradebook</h1>"), "{dom}");
    for student in ["alice", "bob", "carol", "dave", "erin"] {
        assert!(
            dom.contains(&format!("<tr><td title=\"{student}\">{student}</td>")),
            "no row for {student}"
        );
    }
    assert!(dom.contains("&lt;script&gt;alert(\"id\")&lt;/script&gt;\\u{1b}[2J</td>"));
    assert!(!dom.contains("<script"), "a script element in the DOM");
    assert!(dom.contains("shards missing (of 3): 3;"));
    assert!(dom.contains("workbook lesson many-to-many-tags --step batch-loading"));
    assert_eq!(
        dom.matches("<details>").count(),
        5,
        "failures of each student but bob and the formula"
    );
    assert!(dom.contains("<svg class=\"chart\""));

    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder");
    let screenshot = target.join("gradebook-screenshot.png");
    // Kept beside the screenshot, to look at in a browser.
    fs::copy(&page, target.join("gradebook-sample.html")).unwrap();
    let _ = fs::remove_file(&screenshot);
    let shot = headless(&page, &[&format!("--screenshot={}", screenshot.display())]);
    assert!(
        is_png(&screenshot),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    eprintln!(
        "the gradebook at phone size: {} (the page: {})",
        screenshot.display(),
        target.join("gradebook-sample.html").display()
    );
}

fn is_png(file: &PathBuf) -> bool {
    fs::read(file).is_ok_and(|bytes| bytes.starts_with(b"\x89PNG"))
}

#[test]
fn an_unwritable_output_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("out"),
        "alice.json",
        &result(sample::grade(), "alice"),
    );
    let output = gradebook(
        dir.path(),
        "en",
        &["out", "--csv", "no/such/folder/class.csv"],
    );
    assert_eq!(common::code(&output), 3);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cannot write no/such/folder/class.csv"),
        "{stderr}"
    );
}

#[test]
fn help_reads_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let output = gradebook(dir.path(), "ru", &["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Свести результаты оценки группы"), "{help}");
    assert!(help.contains("Записать CSV в этот файл"), "{help}");
}
