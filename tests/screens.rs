//! Every screen a student reads, from the real binary, in both languages,
//! colour off and temp paths redacted.

mod common;

use std::path::Path;

use common::{code, course, fixtures, run, workbook, workbook_coloured};
use workbook::store::{CheckRun, CheckStatus, QuizAttempt, Store};

const LANGS: [&str; 2] = ["en", "ru"];

fn screen(dir: &Path, lang: &str, args: &[&str]) -> String {
    run(workbook(dir).args(["--lang", lang]).args(args), dir)
}

#[test]
fn fresh_course_screens() {
    let dir = course(None);
    for lang in LANGS {
        insta::assert_snapshot!(
            format!("fresh-status-{lang}"),
            screen(dir.path(), lang, &[])
        );
        insta::assert_snapshot!(
            format!("fresh-list-{lang}"),
            screen(dir.path(), lang, &["list"])
        );
        insta::assert_snapshot!(
            format!("fresh-progress-{lang}"),
            screen(dir.path(), lang, &["progress"])
        );
    }
}

#[test]
fn lesson_as_plain_text() {
    for lang in LANGS {
        let dir = course(None);
        insta::assert_snapshot!(
            format!("lesson-whole-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics"])
        );
        insta::assert_snapshot!(
            format!("lesson-basic-track-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics", "--level", "basic"])
        );
        insta::assert_snapshot!(
            format!("lesson-step-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics", "--step", "fill"])
        );
        insta::assert_snapshot!(
            format!("lesson-solution-hidden-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics", "--step", "answer"])
        );
        insta::assert_snapshot!(
            format!("lesson-solution-shown-{lang}"),
            screen(
                dir.path(),
                lang,
                &["lesson", "basics", "--step", "answer", "--solution"]
            )
        );
    }
}

#[test]
fn answering_blanks_by_flag() {
    for lang in LANGS {
        let dir = course(None);
        let wrong = screen(
            dir.path(),
            lang,
            &[
                "lesson",
                "basics",
                "--step",
                "fill",
                "--answer",
                "BEGIN=pool.begin()",
            ],
        );
        insta::assert_snapshot!(format!("answer-wrong-{lang}"), wrong);
        let right = screen(
            dir.path(),
            lang,
            &[
                "lesson",
                "basics",
                "--step",
                "fill",
                "--answer",
                "___FILL_BEGIN___= pool.begin( ).await? ",
            ],
        );
        insta::assert_snapshot!(format!("answer-right-{lang}"), right);
        insta::assert_snapshot!(
            format!("answer-step-after-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics", "--step", "fill"])
        );
        let reveal = screen(
            dir.path(),
            lang,
            &["lesson", "basics", "--step", "fill", "--reveal", "BEGIN"],
        );
        insta::assert_snapshot!(format!("reveal-{lang}"), reveal);
    }
}

#[test]
fn answer_flag_errors() {
    let dir = course(None);
    let bad_pair = screen(
        dir.path(),
        "en",
        &["lesson", "basics", "--step", "fill", "--answer", "BEGIN"],
    );
    insta::assert_snapshot!("answer-without-equals", bad_pair);
    let unknown = screen(
        dir.path(),
        "ru",
        &["lesson", "basics", "--step", "fill", "--answer", "BEGN=x"],
    );
    insta::assert_snapshot!("answer-unknown-blank-ru", unknown);
    // Blank names are unique in a lesson: the blank finds its step.
    let no_step = screen(
        dir.path(),
        "en",
        &["lesson", "basics", "--answer", "BEGIN=x"],
    );
    assert!(
        no_step.starts_with("exit: 1\n") && no_step.contains("✗ BEGIN: not quite"),
        "{no_step}"
    );
    let right = screen(
        dir.path(),
        "ru",
        &["lesson", "basics", "--answer", "BEGIN=pool.begin().await?"],
    );
    assert!(
        right.starts_with("exit: 0\n") && right.contains("✓ BEGIN: верно"),
        "{right}"
    );
    let unknown = screen(dir.path(), "en", &["lesson", "basics", "--reveal", "BEGN"]);
    assert!(
        unknown.starts_with("exit: 2\n") && unknown.contains("BEGIN"),
        "{unknown}"
    );
}

/// `--step` takes the number the viewer shows (`step 6/9`) as well as the id.
#[test]
fn steps_by_number() {
    let dir = course(None);
    let by_number = screen(dir.path(), "en", &["lesson", "basics", "--step", "6"]);
    let by_id = screen(dir.path(), "en", &["lesson", "basics", "--step", "fill"]);
    assert!(by_number.contains("step 6/9"), "{by_number}");
    assert_eq!(by_number, by_id);
    let answered = screen(
        dir.path(),
        "en",
        &[
            "lesson",
            "basics",
            "--step",
            "6",
            "--answer",
            "BEGIN=pool.begin().await?",
        ],
    );
    assert!(answered.starts_with("exit: 0\n"), "{answered}");
    let too_far = screen(dir.path(), "ru", &["lesson", "basics", "--step", "10"]);
    assert!(
        too_far.starts_with("exit: 2\n")
            && too_far.contains("шага 10 нет: в этом уроке шаги с 1 по 9"),
        "{too_far}"
    );
}

/// What next follows the course: the next unread step, a failing exercise,
/// a quiz not passed, then blanks skipped; every percentage is rounded the
/// same way.
#[tokio::test(flavor = "multi_thread")]
async fn what_next_follows_the_course_and_percentages_agree() {
    let dir = course(Some(&fixtures().join("with-quiz")));
    let path = dir.path().to_path_buf();
    let lesson = |args: &[&str]| {
        let output = workbook(&path).arg("lesson").args(args).output().unwrap();
        assert_eq!(
            code(&output),
            0,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // Read on from the start, jump to the Fill step, read to the end: one
    // step was skipped, and that is what comes next.
    for step in ["story", "task", "fill", "check", "trouble", "answer"] {
        lesson(&["basics", "--step", step]);
    }
    let status = screen(&path, "en", &[]);
    assert!(
        status.contains("Read the step you skipped:\n  workbook lesson basics --step target"),
        "{status}"
    );
    // Everything read, the exercise passed, the quiz failed at 75 %: the quiz.
    lesson(&["basics", "--solution"]);
    lesson(&["more", "--solution"]);
    let store = Store::open(&path).await.unwrap();
    store
        .record_check_run(&CheckRun {
            exercise: "ex-one",
            check: "check-a",
            backend: "sqlite",
            status: CheckStatus::Pass,
            points: 5,
            max_points: 5,
            message: "",
        })
        .await
        .unwrap();
    let attempt = |score: f64, passed: bool| QuizAttempt {
        module: "first",
        seed: 1,
        answers: "{}",
        score,
        max_score: 10.0,
        passed,
    };
    store
        .record_quiz_attempt(&attempt(7.5, false))
        .await
        .unwrap();
    let status = screen(&path, "ru", &[]);
    assert!(
        status.contains("сдайте квиз модуля:\n  workbook quiz first")
            && !status.contains("workbook lesson"),
        "{status}"
    );
    // 8.67 of 10 is 86 % on every screen.
    store
        .record_quiz_attempt(&attempt(8.67, true))
        .await
        .unwrap();
    store.close().await;
    for args in [&["progress"][..], &["list"]] {
        let text = screen(&path, "en", args);
        assert!(text.contains("best 86%") && !text.contains("87%"), "{text}");
    }
    // Only the skipped blank is left.
    let status = screen(&path, "en", &[]);
    assert!(
        status.contains("answer the blanks you skipped:\n  workbook lesson basics --step fill"),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn screens_after_progress() {
    let dir = course(Some(&fixtures().join("with-quiz")));
    let path = dir.path().to_path_buf();
    for args in [
        vec!["lesson", "basics", "--step", "story"],
        vec!["lesson", "basics", "--step", "task"],
        vec![
            "lesson",
            "basics",
            "--step",
            "fill",
            "--answer",
            "BEGIN=pool.begin().await?",
        ],
        vec!["lesson", "more", "--step", "m-context"],
        vec!["lesson", "basics", "--step", "idea"],
    ] {
        let output = workbook(&path).args(&args).output().unwrap();
        assert_eq!(
            code(&output),
            0,
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let store = Store::open(&path).await.unwrap();
    store
        .record_check_run(&CheckRun {
            exercise: "ex-one",
            check: "check-a",
            backend: "sqlite",
            status: CheckStatus::Pass,
            points: 5,
            max_points: 5,
            message: "",
        })
        .await
        .unwrap();
    for (score, passed) in [(6.0, false), (9.0, true), (7.0, false)] {
        store
            .record_quiz_attempt(&QuizAttempt {
                module: "first",
                seed: 1,
                answers: "{}",
                score,
                max_score: 10.0,
                passed,
            })
            .await
            .unwrap();
    }
    store.close().await;
    for lang in LANGS {
        insta::assert_snapshot!(format!("later-status-{lang}"), screen(&path, lang, &[]));
        insta::assert_snapshot!(format!("later-list-{lang}"), screen(&path, lang, &["list"]));
        insta::assert_snapshot!(
            format!("later-progress-{lang}"),
            screen(&path, lang, &["progress"])
        );
        insta::assert_snapshot!(
            format!("later-checklist-{lang}"),
            screen(&path, lang, &["lesson", "basics", "--step", "check"])
        );
    }
}

#[test]
fn a_finished_course_says_so() {
    let dir = course(None);
    for lesson in ["basics", "more"] {
        let output = workbook(dir.path())
            .args(["lesson", lesson, "--solution"])
            .output()
            .unwrap();
        assert_eq!(code(&output), 0);
    }
    let output = workbook(dir.path())
        .args(["lesson", "basics", "--step", "fill", "--reveal", "BEGIN"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("done-status-en", screen(dir.path(), "en", &[]));
    insta::assert_snapshot!("done-status-ru", screen(dir.path(), "ru", &[]));
}

#[test]
fn usage_errors_in_both_languages() {
    let dir = course(None);
    for lang in LANGS {
        insta::assert_snapshot!(
            format!("unknown-lesson-{lang}"),
            screen(dir.path(), lang, &["lesson", "basic"])
        );
        insta::assert_snapshot!(
            format!("unknown-step-{lang}"),
            screen(dir.path(), lang, &["lesson", "basics", "--step", "zzz"])
        );
        insta::assert_snapshot!(
            format!("advanced-step-on-basic-track-{lang}"),
            screen(
                dir.path(),
                lang,
                &["lesson", "basics", "--step", "deeper", "--level", "basic"]
            )
        );
    }
}

#[test]
fn no_course_found() {
    let empty = tempfile::tempdir().unwrap();
    for lang in LANGS {
        insta::assert_snapshot!(
            format!("no-course-{lang}"),
            screen(empty.path(), lang, &["list"])
        );
        insta::assert_snapshot!(
            format!("not-a-course-{lang}"),
            screen(empty.path(), lang, &["--course", ".", "list"])
        );
    }
}

#[test]
fn the_course_is_found_from_a_subfolder() {
    let dir = course(None);
    let sub = dir.path().join("lessons");
    let output = workbook(&sub).arg("list").output().unwrap();
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join(".workbook/progress.db").is_file());
}

#[test]
fn help_lists_commands_and_exit_codes() {
    let dir = course(None);
    insta::assert_snapshot!("help", run(workbook(dir.path()).arg("--help"), dir.path()));
    insta::assert_snapshot!(
        "help-ru",
        run(
            workbook(dir.path()).args(["--lang", "ru", "--help"]),
            dir.path()
        )
    );
    insta::assert_snapshot!(
        "help-lesson-en",
        run(workbook(dir.path()).args(["lesson", "--help"]), dir.path())
    );
    insta::assert_snapshot!(
        "help-lesson-ru",
        run(
            workbook(dir.path())
                .env("WORKBOOK_LANG", "ru")
                .args(["lesson", "--help"]),
            dir.path()
        )
    );
    insta::assert_snapshot!(
        "help-quiz-ru",
        run(
            workbook(dir.path()).args(["--lang", "ru", "quiz", "--help"]),
            dir.path()
        )
    );
    insta::assert_snapshot!(
        "help-progress-ru",
        run(
            workbook(dir.path()).args(["--lang=ru", "progress", "-h"]),
            dir.path()
        )
    );
    let unknown = workbook(dir.path()).arg("frobnicate").output().unwrap();
    assert_eq!(code(&unknown), 2);
}

#[test]
fn language_comes_from_the_environment() {
    let dir = course(None);
    let by_lang = workbook(dir.path())
        .env("LANG", "ru_RU.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_lang.stdout).contains("Модуль"));
    let by_workbook_lang = workbook(dir.path())
        .env("LANG", "ru_RU.UTF-8")
        .env("WORKBOOK_LANG", "en")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_workbook_lang.stdout).contains("Module"));
    let by_flag = workbook(dir.path())
        .env("WORKBOOK_LANG", "en")
        .args(["--lang", "ru"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_flag.stdout).contains("Модуль"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = course(None);
    let always = workbook_coloured(dir.path())
        .args(["--color", "always", "list"])
        .output()
        .unwrap();
    assert!(always.stdout.contains(&0x1b), "--color always colours");
    // Not a terminal: auto means no colour.
    let auto = workbook_coloured(dir.path())
        .args(["--color", "auto", "list"])
        .output()
        .unwrap();
    assert!(!auto.stdout.contains(&0x1b), "auto off a terminal is plain");
}

/// Text from a check process (a panic message, output, evidence, a compiler
/// error quoting the student's source) cannot act on the terminal or pass for
/// a GitHub Actions workflow command: escapes are shown, command lines
/// marked, colour off or not.
#[test]
fn hostile_check_text_is_neutralised() {
    use workbook::course::Course;
    use workbook::lang::Lang;
    use workbook::runner::{CompileError, ExerciseRun, Outcome};
    use workbook_support::Backend;
    use workbook_support::report::{CheckReport, Status};

    workbook::style::set_color(false);
    let dir = course(None);
    let course = Course::load(dir.path()).unwrap();
    let hostile = "::error::owned\n  ::add-mask::x\n::set-output name=a::b\n\
                   \x1b[2Jcleared\x1b]52;c;ZXZpbA==\x07\n\
                   access = \"user\u{202e} \u{2066}// admin\u{2069}\u{2066}\"\n\
                   ##[warning]legacy\rok\r\n::stop-commands::token";
    let report = CheckReport {
        id: "check-a".to_owned(),
        status: Status::Fail,
        points: 0,
        max_points: 5,
        message: format!("the check panicked: {hostile}"),
        message_ru: Some(format!("проверка упала: {hostile}")),
        evidence: vec![format!("output / вывод:\n{hostile}")],
        hint: Some(1),
        backend: Backend::Sqlite,
        duration_ms: 3,
    };
    let compile_error = CompileError {
        file: "exercises/ex-one/src/lib.rs".to_owned(),
        line: 3,
        column: 5,
        message: "mismatched types\x1b[2J".to_owned(),
        rendered: "error[E0308]: mismatched types\n --> src/lib.rs:3:5\n  |\n\
                   3 | ::error::\"\x1b]8;;https://evil\x07link\x1b]8;;\x07\"\n"
            .to_owned(),
    };
    let runs = [
        ExerciseRun {
            exercise: "ex-one".to_owned(),
            backend: Backend::Sqlite,
            outcome: Outcome::Checked {
                checks: vec![report],
            },
        },
        ExerciseRun {
            exercise: "ex-one".to_owned(),
            backend: Backend::Sqlite,
            outcome: Outcome::CompileError {
                errors: vec![compile_error],
            },
        },
    ];
    for lang in [Lang::En, Lang::Ru] {
        let screen = workbook::screens::check::render(&course, &runs, lang);
        for line in screen.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line}");
            assert!(!line.contains("##["), "{line}");
            assert!(
                line.chars().all(|c| c == '\t' || !c.is_control()),
                "{line:?}"
            );
            assert!(
                !line.contains(['\u{202e}', '\u{2066}', '\u{2069}']),
                "{line:?}"
            );
        }
        insta::assert_snapshot!(format!("check-hostile-{lang}"), screen);
    }
}
