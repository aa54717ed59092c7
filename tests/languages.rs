//! Every word in the student's language: errors from the real binary, clap's
//! own messages and answers-file problems, in Russian.

mod common;

use common::{course, fixtures, run, workbook};

fn russian(dir: &std::path::Path, args: &[&str]) -> String {
    run(workbook(dir).args(["--lang", "ru"]).args(args), dir)
}

#[test]
fn unknown_ids_name_their_kind_in_russian() {
    let dir = course(None);
    assert_eq!(
        russian(dir.path(), &["check", "nosuch"]),
        "exit: 2\n--- stderr\nошибка: неизвестное упражнение `nosuch`\nподсказка: допустимые: `ex-one`\n"
    );
    assert_eq!(
        russian(dir.path(), &["lesson", "basic"]),
        "exit: 2\n--- stderr\nошибка: неизвестный урок `basic`\nподсказка: может быть, `basics`?\n"
    );
}

#[test]
fn clap_errors_read_in_russian() {
    let dir = course(None);
    assert_eq!(
        russian(dir.path(), &["nosuch"]),
        "exit: 2\n--- stderr\nошибка: неизвестная команда `nosuch`\n\nИспользование: workbook [ПАРАМЕТРЫ] [КОМАНДА]\n\nПодробнее: `--help`.\n"
    );
    let output = run(
        workbook(dir.path())
            .env("WORKBOOK_LANG", "ru")
            .args(["check", "--db", "mysql"]),
        dir.path(),
    );
    assert!(
        output.contains("ошибка: недопустимое значение `mysql` для `--db <БАЗА>`"),
        "{output}"
    );
    assert!(
        output.contains("[возможные значения: sqlite, postgres]"),
        "{output}"
    );
    let help = russian(dir.path(), &["check", "--help"]);
    assert!(help.starts_with("exit: 0\n--- stdout\n"), "{help}");
    assert!(help.contains("[по умолчанию: sqlite]"), "{help}");
    assert!(!help.contains("[default"), "{help}");
}

#[test]
fn answers_file_problems_read_in_russian() {
    let dir = course(Some(&fixtures().join("with-quiz")));
    std::fs::write(
        dir.path().join("bad.yaml"),
        "format_version: 1\nmodule: first\nanswers:\n  pick-one: nope\n  truth: maybe\n  metod: begin\n",
    )
    .unwrap();
    let output = russian(dir.path(), &["quiz", "first", "--answers", "bad.yaml"]);
    assert_eq!(
        output,
        "exit: 2\n--- stderr\nошибка: в файле ответов есть ошибки:\n\
         bad.yaml:4:13: answers.pick-one: вопрос `pick-one` (тип `single`): `nope` — не вариант этого вопроса (варианты: `right`, `wrong`, `other`)\n\
         bad.yaml:5:10: answers.truth: вопрос `truth` (тип `true_false`): ожидается `true` или `false`\n\
         bad.yaml:6:10: answers.metod: в квизе нет вопроса `metod` (может быть, `method`?)\n"
    );
    std::fs::write(
        dir.path().join("bad.yaml"),
        "format_version: 1\nmodul: first\n",
    )
    .unwrap();
    let output = russian(dir.path(), &["quiz", "first", "--answers", "bad.yaml"]);
    assert!(
        output.contains("неизвестный ключ `modul` (может быть, `module`?)"),
        "{output}"
    );
}
