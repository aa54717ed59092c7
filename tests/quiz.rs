//! The quiz end to end: typed answers from a pipe, the same answers from a
//! file, the pass mark, bad answers files, and the interactive quiz in a
//! pseudo-terminal.

mod common;

use std::path::Path;

use common::{code, course, expect, fixtures, key, run, shipped_course, workbook};
use rexpect::session::{Options, PtySession, spawn_with_options};

/// The base course with the six-question bank of `with-quiz`.
fn quiz_course() -> tempfile::TempDir {
    course(Some(&fixtures().join("with-quiz")))
}

/// With seed 3 the questions come as: order (A Third, B First, C Second),
/// single (B right), true/false, fill, multiple (B 4, C 2), short.
const SEED: &str = "3";
const ALL_RIGHT: &str = "B C A\nB\ntrue\nbegin()\nB C\nBEGIN\n";

fn typed(dir: &Path, lang: &str, input: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = workbook(dir)
        .args(["--lang", lang, "quiz", "first", "--seed", SEED])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn score_line(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("Score:") || l.starts_with("Результат:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn typed_answers_in_both_languages() {
    for lang in ["en", "ru"] {
        let dir = quiz_course();
        // One wrong try (`Z`), a partial multiple (only `C`), a skipped short answer.
        let output = typed(dir.path(), lang, "Z\nB C A\nA\ntrue\nbegin( )\nC\n\n");
        assert_eq!(code(&output), 1, "not passed");
        insta::assert_snapshot!(format!("typed-{lang}"), common::render(&output, dir.path()));
    }
}

#[test]
fn the_saved_answers_score_the_same_from_a_file() {
    let dir = quiz_course();
    let output = typed(dir.path(), "en", ALL_RIGHT);
    let typed_text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(code(&output), 0, "{typed_text}");
    assert!(
        typed_text.contains("Score: 7 of 7 points (100%) · pass mark 80% · PASSED"),
        "{typed_text}"
    );
    let saved = dir.path().join("quiz/answers/first.yaml");
    let text = std::fs::read_to_string(&saved).unwrap();
    insta::assert_snapshot!("saved-answers", text);

    let again = workbook(dir.path())
        .args(["quiz", "first", "--answers", "quiz/answers/first.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&again), 0);
    assert_eq!(
        score_line(&String::from_utf8_lossy(&again.stdout)),
        score_line(&typed_text)
    );

    // Both attempts are in the progress store.
    let progress = workbook(dir.path()).arg("progress").output().unwrap();
    let progress = String::from_utf8_lossy(&progress.stdout);
    assert!(
        progress.contains("best 100%, last 100%, 2 attempts, passed"),
        "{progress}"
    );
}

/// A worse or empty attempt never replaces a better hand-in: the file stays,
/// and the screen says why (the attempt itself is still recorded).
#[test]
fn a_worse_or_empty_attempt_keeps_the_better_hand_in() {
    let dir = quiz_course();
    assert_eq!(code(&typed(dir.path(), "en", ALL_RIGHT)), 0);
    let saved = dir.path().join("quiz/answers/first.yaml");
    let best = std::fs::read_to_string(&saved).unwrap();
    for (lang, input) in [("en", ""), ("ru", "A B C\nA\nfalse\nx\nA\nno\n")] {
        let output = typed(dir.path(), lang, input);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(code(&output), 1, "{text}");
        assert_eq!(
            std::fs::read_to_string(&saved).unwrap(),
            best,
            "{lang}: the hand-in is kept"
        );
        let kept = if lang == "en" {
            "The answers already in quiz/answers/first.yaml score 100%, better than this attempt: they were kept"
        } else {
            "Ответы, уже сохранённые в quiz/answers/first.yaml, дают 100% — больше, чем эта попытка"
        };
        assert!(text.contains(kept), "{text}");
    }
    // An attempt as good as the hand-in replaces it (the newer one).
    assert_eq!(code(&typed(dir.path(), "en", ALL_RIGHT)), 0);
    let progress = workbook(dir.path()).arg("progress").output().unwrap();
    assert!(
        String::from_utf8_lossy(&progress.stdout).contains("4 attempts"),
        "every attempt is recorded"
    );
}

#[test]
fn a_partly_wrong_file_lists_what_to_reread() {
    let dir = quiz_course();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "format_version: 1\nmodule: first\nanswers:\n  pick-one: wrong\n  pick-many: [two, three]\n  truth: false\n  method: BEGIN()\n  blanks: begin()\n  steps: [first, third, second]\n",
    )
    .unwrap();
    for lang in ["en", "ru"] {
        let output = run(
            workbook(dir.path()).args([
                "--lang",
                lang,
                "quiz",
                "first",
                "--answers",
                "answers.yaml",
            ]),
            dir.path(),
        );
        insta::assert_snapshot!(format!("file-result-{lang}"), output);
    }
}

#[test]
fn exactly_the_pass_mark_passes_and_just_below_fails() {
    let dir = course(Some(&fixtures().join("quiz-boundary")));
    let write = |body: &str| {
        std::fs::write(
            dir.path().join("a.yaml"),
            format!("format_version: 1\nmodule: first\nanswers:\n{body}"),
        )
        .unwrap();
        let output = workbook(dir.path())
            .args(["quiz", "first", "--answers", "a.yaml"])
            .output()
            .unwrap();
        (
            code(&output),
            score_line(&String::from_utf8_lossy(&output.stdout)),
        )
    };
    let (exit, line) = write("  t1: true\n  t2: true\n  t3: true\n  t4: true\n  m: []\n");
    assert_eq!(exit, 0, "{line}");
    assert!(
        line.contains("4 of 5 points (80%)") && line.contains("PASSED"),
        "{line}"
    );
    let (exit, line) = write("  t1: true\n  t2: true\n  t3: true\n  t4: false\n  m: [a, b]\n");
    assert_eq!(exit, 1, "{line}");
    assert!(
        line.contains("3.67 of 5 points (73%)") && line.contains("NOT PASSED"),
        "{line}"
    );
}

#[test]
fn bad_answers_files_say_what_and_where() {
    let dir = quiz_course();
    let cases = [
        (
            "many-problems",
            "format_version: 1\nmodule: first\nanswers:\n  pick-one: nope\n  pick-many: {a: b}\n  truth: maybe\n  metod: begin\n  steps: [first, first, third]\n  blanks: {BEGN: x}\n",
        ),
        (
            "syntax",
            "format_version: 1\nmodule: first\nanswers: [unclosed\n",
        ),
        (
            "wrong-module",
            "format_version: 1\nmodule: second\nanswers: {}\n",
        ),
        (
            "unknown-key",
            "format_version: 1\nmodul: first\nanswers: {}\n",
        ),
        (
            "newer-format",
            "format_version: 9\nmodule: first\nanswers: {}\n",
        ),
    ];
    for (name, text) in cases {
        std::fs::write(dir.path().join("bad.yaml"), text).unwrap();
        let output = run(
            workbook(dir.path()).args(["quiz", "first", "--answers", "bad.yaml"]),
            dir.path(),
        );
        assert!(output.starts_with("exit: 2\n"), "{name}: {output}");
        insta::assert_snapshot!(format!("bad-answers-{name}"), output);
    }
    let missing = run(
        workbook(dir.path()).args(["quiz", "first", "--answers", "nowhere.yaml"]),
        dir.path(),
    );
    assert!(
        missing.starts_with("exit: 2\n") && missing.contains("nowhere.yaml"),
        "{missing}"
    );
}

#[test]
fn a_drawn_quiz_needs_its_seed() {
    let dir = shipped_course();
    std::fs::write(
        dir.path().join("a.yaml"),
        "format_version: 1\nmodule: async-basics\nanswers: {}\n",
    )
    .unwrap();
    let output = run(
        workbook(dir.path()).args(["quiz", "async-basics", "--answers", "a.yaml"]),
        dir.path(),
    );
    insta::assert_snapshot!("needs-seed", output);
    std::fs::write(
        dir.path().join("a.yaml"),
        "format_version: 1\nmodule: async-basics\nseed: 5\nanswers: {}\n",
    )
    .unwrap();
    let output = run(
        workbook(dir.path()).args(["quiz", "async-basics", "--answers", "a.yaml", "--seed", "6"]),
        dir.path(),
    );
    assert!(
        output.starts_with("exit: 2\n") && output.contains("--seed 6"),
        "{output}"
    );
    // With the seed, unanswered questions simply earn nothing.
    let output = workbook(dir.path())
        .args(["quiz", "async-basics", "--answers", "a.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 of 8 answers right"));
}

#[test]
fn the_same_seed_draws_the_same_attempt() {
    let dir = shipped_course();
    let questions = |seed: &str| {
        let output = workbook(dir.path())
            .args(["quiz", "async-basics", "--seed", seed])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.lines()
            .filter(|l| l.starts_with("  A)"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(questions("11"), questions("11"));
}

#[test]
fn module_errors() {
    let dir = course(None);
    let no_quiz = run(
        workbook(dir.path()).args(["--lang", "ru", "quiz", "second"]),
        dir.path(),
    );
    insta::assert_snapshot!("module-without-quiz-ru", no_quiz);
    let unknown = run(workbook(dir.path()).args(["quiz", "frist"]), dir.path());
    insta::assert_snapshot!("unknown-module", unknown);
}

fn quiz_in_pty(dir: &Path, lang: &str) -> PtySession {
    let mut cmd = workbook(dir);
    cmd.args(["--lang", lang, "quiz", "first", "--seed", SEED]);
    let options = Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).unwrap()
}

#[test]
fn the_interactive_quiz_with_keys_and_confirmation() {
    let dir = quiz_course();
    let mut p = quiz_in_pty(dir.path(), "en");
    // 1. Order: pick B, C, A with letters; Backspace undoes the last pick.
    expect(&mut p, "Question 1/6");
    key(&mut p, "b");
    key(&mut p, "a");
    expect(&mut p, "[2] A) Third");
    key(&mut p, "\u{7f}");
    key(&mut p, "c");
    key(&mut p, "a");
    expect(&mut p, "[3] A) Third");
    key(&mut p, "\r");
    expect(&mut p, "Submit this answer?");
    key(&mut p, "y");
    // 2. Single: arrows and space; Enter asks first, `n` goes back to change it.
    expect(&mut p, "Question 2/6");
    key(&mut p, "\u{1b}[B");
    key(&mut p, " ");
    expect(&mut p, "(•) B) The right one");
    key(&mut p, "\r");
    expect(&mut p, "Submit this answer?");
    key(&mut p, "n");
    expect(&mut p, "(•) B) The right one");
    key(&mut p, "\r");
    expect(&mut p, "Submit this answer?");
    key(&mut p, "y");
    // 3. True/false: Enter without a pick is refused.
    expect(&mut p, "Question 3/6");
    key(&mut p, "\r");
    expect(&mut p, "Pick an answer first.");
    key(&mut p, "a");
    key(&mut p, "\r");
    key(&mut p, "y");
    // 4. Fill: typed, then confirmed.
    expect(&mut p, "Question 4/6");
    expect(&mut p, "___FILL_BEGIN___ > ");
    key(&mut p, "begin()\r");
    expect(&mut p, "Submit this answer?");
    key(&mut p, "y");
    // 5. Multiple: tick B and C (letters toggle).
    expect(&mut p, "Question 5/6");
    key(&mut p, "b");
    key(&mut p, "a");
    key(&mut p, "a");
    key(&mut p, "c");
    expect(&mut p, "[x] C) 2");
    key(&mut p, "\r");
    key(&mut p, "y");
    // 6. Short answer, on the Russian keyboard layout `y` is `н`: not a yes.
    expect(&mut p, "Question 6/6");
    expect(&mut p, "Answer > ");
    key(&mut p, "Begin\r");
    expect(&mut p, "Submit this answer?");
    key(&mut p, "y");
    expect(
        &mut p,
        "Score: 7 of 7 points (100%) · pass mark 80% · PASSED",
    );
    expect(&mut p, "Your answers are saved in quiz/answers/first.yaml");
    p.exp_eof().unwrap();
    assert!(dir.path().join("quiz/answers/first.yaml").is_file());
}

#[test]
fn leaving_the_quiz_asks_first_and_saves_nothing() {
    let dir = quiz_course();
    let mut p = quiz_in_pty(dir.path(), "ru");
    expect(&mut p, "Вопрос 1/6");
    key(&mut p, "q");
    expect(&mut p, "Выйти из квиза?");
    key(&mut p, "x");
    expect(&mut p, "Вопрос 1/6");
    key(&mut p, "q");
    expect(&mut p, "Выйти из квиза?");
    key(&mut p, "д");
    expect(
        &mut p,
        "Вы вышли из квиза; ничего не сохранено и не оценено.",
    );
    p.exp_eof().unwrap();
    assert!(!dir.path().join("quiz/answers/first.yaml").exists());
    let progress = workbook(dir.path()).arg("progress").output().unwrap();
    assert!(String::from_utf8_lossy(&progress.stdout).contains("not taken yet"));
}

#[test]
fn ctrl_c_leaves_the_quiz_at_once_with_exit_130() {
    use rexpect::process::WaitStatus;

    let dir = quiz_course();
    let mut p = quiz_in_pty(dir.path(), "ru");
    expect(&mut p, "Вопрос 1/6");
    p.send_control('c').unwrap();
    p.flush().unwrap();
    expect(
        &mut p,
        "Прервано: квиз остановлен, ничего не сохранено и не оценено.",
    );
    p.exp_eof().unwrap();
    let status = p.process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    assert!(!dir.path().join("quiz/answers/first.yaml").exists());
}

/// On a terminal, the result is wrapped at its width (80 columns when the
/// terminal reports none) at word boundaries: no line is longer, and the
/// long answers read whole once the lines are joined.
#[test]
fn printed_reviews_fit_the_terminal() {
    let dir = course(Some(&fixtures().join("long-text")));
    std::fs::write(
        dir.path().join("answers.yaml"),
        "format_version: 1\nmodule: first\nanswers:\n  pick-one: wrong\n  method: commit\n",
    )
    .unwrap();
    let mut cmd = workbook(dir.path());
    cmd.args(["--lang", "ru", "quiz", "first", "--answers", "answers.yaml"]);
    let options = Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(true);
    let mut p = spawn_with_options(cmd, options).unwrap();
    // rexpect hands the bytes over one char each.
    let bytes: Vec<u8> = p
        .exp_eof()
        .unwrap()
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let text = String::from_utf8(bytes).unwrap().replace('\r', "");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?} in\n{text}");
    }
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains(
            ") Соединения в пуле закончатся, и новые запросы будут ждать до таймаута получения соединения"
        ),
        "{text}"
    );
}
