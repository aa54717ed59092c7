//! The interactive lesson viewer, driven through a pseudo-terminal the way a
//! student uses it: read, answer a blank (wrong, then right), quit, come back
//! to the same step, switch language, reveal the solution.

mod common;

use std::path::Path;

use common::{course, expect, key, workbook};
use rexpect::session::{Options, PtySession, spawn_with_options};

fn viewer(dir: &Path, args: &[&str]) -> PtySession {
    let mut cmd = workbook(dir);
    cmd.args(args);
    let options = Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("spawn the viewer in a pty")
}

fn plain(dir: &Path, args: &[&str]) -> String {
    let output = workbook(dir).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn read_answer_quit_and_resume() {
    let dir = course(None);
    let mut p = viewer(dir.path(), &["--lang", "en", "lesson", "basics"]);
    expect(&mut p, "step 1/9");
    expect(&mut p, "Story step");
    expect(&mut p, "q quit");
    for title in [
        "Task step",
        "Target step",
        "Idea step",
        "Deeper step",
        "Fill step",
    ] {
        key(&mut p, "n");
        expect(&mut p, title);
    }
    expect(&mut p, "___FILL_BEGIN___  not answered");

    // A wrong answer may be retried; the hint is shown.
    key(&mut p, "a");
    expect(&mut p, "___FILL_BEGIN___ > ");
    key(&mut p, "pool.begin()\r");
    expect(&mut p, "not quite");
    expect(&mut p, "Ask the pool.");
    expect(&mut p, "___FILL_BEGIN___ > ");
    key(&mut p, "pool.begin( ).await?\r");
    // The redrawn step shows the answer in the code, then the verdict below it.
    expect(&mut p, "let mut tx = pool.begin().await?;");
    expect(&mut p, "BEGIN: correct");

    key(&mut p, "q");
    expect(&mut p, "Stopped at step 6/9");
    p.exp_eof().unwrap();

    // The rest of the program sees it.
    let status = plain(dir.path(), &["--lang", "en"]);
    assert!(
        status.contains("Step: 6/9 · Practice · Fill step"),
        "{status}"
    );
    let list = plain(dir.path(), &["--lang", "en", "list"]);
    assert!(list.contains("in progress, read 6/9, blanks 1/1"), "{list}");
    let progress = plain(dir.path(), &["--lang", "ru", "progress"]);
    assert!(progress.contains("6/9"), "{progress}");

    // Coming back resumes at the same step, with the answer in place.
    let mut p = viewer(dir.path(), &["--lang", "en", "lesson"]);
    expect(&mut p, "step 6/9");
    expect(&mut p, "Fill step");
    expect(&mut p, "___FILL_BEGIN___  answered");
    // Switch to Russian and go back one step.
    key(&mut p, "l");
    expect(&mut p, "Шаг «Fill»");
    key(&mut p, "p");
    expect(&mut p, "Шаг «Deeper»");
    key(&mut p, "q");
    expect(&mut p, "Остановились на шаге 5/9");
    p.exp_eof().unwrap();
}

#[test]
fn the_solution_stays_hidden_until_asked_for() {
    let dir = course(None);
    let mut p = viewer(
        dir.path(),
        &["--lang", "ru", "lesson", "basics", "--step", "answer"],
    );
    expect(&mut p, "Решение скрыто");
    expect(&mut p, "нажмите s");
    key(&mut p, "s");
    expect(&mut p, "let mut tx = pool.begin().await?;");
    // At the last step, next explains instead of moving.
    key(&mut p, "n");
    expect(&mut p, "Это последний шаг урока");
    p.send_control('c').unwrap();
    p.flush().unwrap();
    expect(&mut p, "Остановились на шаге 9/9");
    p.exp_eof().unwrap();
    // Now the plain text shows it too: it was asked for once.
    let text = plain(dir.path(), &["lesson", "basics", "--step", "answer"]);
    assert!(text.contains("let mut tx = pool.begin().await?;"), "{text}");
}

#[test]
fn reveal_shows_the_answer_and_records_it() {
    let dir = course(None);
    let mut p = viewer(
        dir.path(),
        &["--lang", "en", "lesson", "basics", "--step", "fill"],
    );
    expect(&mut p, "Fill step");
    key(&mut p, "r");
    expect(&mut p, "answer revealed");
    expect(&mut p, "Answer for ___FILL_BEGIN___: pool.begin().await?");
    key(&mut p, "\u{1b}");
    p.exp_eof().unwrap();
    let list = plain(dir.path(), &["--lang", "en", "list"]);
    assert!(list.contains("blanks 1/1"), "{list}");
}

#[test]
fn escape_cancels_an_answer() {
    let dir = course(None);
    let mut p = viewer(
        dir.path(),
        &["--lang", "en", "lesson", "basics", "--step", "fill"],
    );
    expect(&mut p, "Fill step");
    key(&mut p, "a");
    expect(&mut p, "___FILL_BEGIN___ > ");
    key(&mut p, "half an ans");
    key(&mut p, "\u{1b}");
    expect(&mut p, "q quit");
    key(&mut p, "q");
    p.exp_eof().unwrap();
    let step = plain(
        dir.path(),
        &["--lang", "en", "lesson", "basics", "--step", "fill"],
    );
    assert!(
        step.contains("not answered"),
        "a cancelled answer is not recorded: {step}"
    );
}

#[test]
fn quitting_says_what_comes_next() {
    let dir = course(None);
    // Straight to the last step: the earlier ones are still unread.
    let mut p = viewer(
        dir.path(),
        &["--lang", "en", "lesson", "basics", "--step", "answer"],
    );
    expect(&mut p, "step 9/9");
    key(&mut p, "n");
    expect(&mut p, "This is the last step of the lesson.");
    key(&mut p, "q");
    expect(&mut p, "Stopped at step 9/9");
    expect(&mut p, "Read the step you skipped:");
    expect(&mut p, "workbook lesson basics --step story");
    p.exp_eof().unwrap();
}
