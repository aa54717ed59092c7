//! A hand-built [`Grade`] for the report tests, unit and integration alike:
//! two modules, a passing exercise, a failing one with a remedy, one that
//! does not compile, a quiz passed and one without answers, style findings
//! and one tampered file. Its numbers add up the way the rubric adds them
//! (weights 70/20/10). [`hostile`] is the same grade with student-originated
//! text that tries to break every format.

use workbook_support::Backend;

use crate::cli::Letter;
use crate::course::text::Text;
use crate::grade::model::{
    CheckGrade, ExerciseGrade, GRADE_FORMAT, Grade, MissedQuestion, ModuleGrade, Part, Parts,
    QuizGrade, Remedy, Style, StyleWarning, TamperKind, Tampering, Verdict,
};
use crate::runner::CompileError;

/// The sample grade: 54 of 100, a C.
pub fn grade() -> Grade {
    Grade {
        format_version: GRADE_FORMAT,
        course: Text::new(
            "Async databases in Rust with sqlx and tokio",
            "Асинхронная работа с базами данных на Rust (sqlx и tokio)",
        ),
        submission: "alice".to_owned(),
        backend: Backend::Sqlite,
        score: 54.0,
        letter: Letter::C,
        capped: None,
        parts: Parts {
            exercises: part(70, 55.0, 38.5),
            quiz: part(20, 45.0, 9.0),
            style: part(10, 65.0, 6.5),
        },
        modules: vec![async_basics(), relations()],
        style: Style {
            measured: true,
            unformatted: vec!["exercises/eager-tags/src/lib.rs".to_owned()],
            warnings: vec![StyleWarning {
                file: "exercises/founditem-schema/src/lib.rs".to_owned(),
                line: 23,
                lint: "clippy::needless_return".to_owned(),
                message: "unneeded `return` statement".to_owned(),
            }],
            problem: None,
        },
        tampering: vec![Tampering {
            path: "exercises/eager-tags/tests/checks.rs".to_owned(),
            kind: TamperKind::Modified,
        }],
    }
}

/// [`grade`] with hostile text where students control it: a check message
/// and evidence that try to start workflow commands, break out of a table
/// cell, inject HTML and move the cursor; a submitted file named like a
/// table row; a clippy message with pipes and backticks.
pub fn hostile() -> Grade {
    let mut grade = grade();
    let attack = "50% done | really, yes: <script>alert(1)</script> `rm -rf /`\n\
                  ::error::pwned\n\x1b[2Jcleared **bold** [link](http://x) # not a heading";
    let check = &mut grade.modules[1].exercises[1].checks[1];
    check.message = Text::new(attack, attack);
    check.evidence = vec!["##[error]legacy\r\n::add-mask::secret".to_owned()];
    "a | b `c` <d>".clone_into(&mut grade.style.warnings[0].message);
    grade.tampering.push(Tampering {
        path: "exercises/x|y/<script>,a:b%.rs".to_owned(),
        kind: TamperKind::Added,
    });
    grade
}

fn part(weight: u32, percent: f64, contributes: f64) -> Part {
    Part {
        weight,
        percent,
        contributes,
    }
}

fn async_basics() -> ModuleGrade {
    ModuleGrade {
        id: "async-basics".to_owned(),
        title: Text::new(
            "Async engine, connections and transactions",
            "Асинхронный движок, соединения и транзакции",
        ),
        score: 58.89,
        exercises: vec![
            ExerciseGrade {
                id: "pool-basics".to_owned(),
                title: Text::new("A shared pool", "Общий пул"),
                points: 5,
                max_points: 5,
                compiled: true,
                compile_errors: vec![],
                checks: vec![
                    pass(
                        "connects",
                        ("Connects to the database", "Подключается к базе"),
                        2,
                    ),
                    pass(
                        "reuses-pool",
                        ("Reuses one pool", "Переиспользует один пул"),
                        3,
                    ),
                ],
            },
            ExerciseGrade {
                id: "transfer".to_owned(),
                title: Text::new(
                    "Money transfer in a transaction",
                    "Перевод денег в транзакции",
                ),
                points: 0,
                max_points: 5,
                compiled: false,
                compile_errors: vec![CompileError {
                    file: "exercises/transfer/src/lib.rs".to_owned(),
                    line: 14,
                    column: 9,
                    message: "mismatched types".to_owned(),
                    rendered: "error[E0308]: mismatched types\n  \
                               --> exercises/transfer/src/lib.rs:14:9\n   |\n\
                               14 |         tx.commit()\n   |         \
                               ^^^^^^^^^^^ expected `Result<(), Error>`, found future\n"
                        .to_owned(),
                }],
                checks: vec![
                    not_built(
                        "commits",
                        ("Commits both updates", "Фиксирует оба изменения"),
                        3,
                    ),
                    not_built(
                        "rolls-back",
                        ("Rolls back on error", "Откатывается при ошибке"),
                        2,
                    ),
                ],
            },
        ],
        quiz: Some(QuizGrade {
            bank: "async-basics".to_owned(),
            file: "quiz/async-basics.answers.yaml".to_owned(),
            score: 9.0,
            max: 10.0,
            percent: 90.0,
            pass_percent: 80,
            passed: true,
            problem: None,
            missed: vec![MissedQuestion {
                id: "pool-size".to_owned(),
                remedy: Some(remedy(
                    "pool-and-transactions",
                    "pool-size",
                    Text::new("How big a pool", "Размер пула"),
                )),
            }],
        }),
    }
}

fn relations() -> ModuleGrade {
    ModuleGrade {
        id: "relations-performance".to_owned(),
        title: Text::new(
            "Advanced: relations and performance",
            "Продвинутый уровень: связи и производительность",
        ),
        score: 46.67,
        exercises: vec![
            ExerciseGrade {
                id: "founditem-schema".to_owned(),
                title: Text::new("Schema for found items", "Схема для найденных вещей"),
                points: 4,
                max_points: 4,
                compiled: true,
                compile_errors: vec![],
                checks: vec![
                    pass("creates-table", ("Creates the table", "Создаёт таблицу"), 2),
                    pass("unique-code", ("Codes are unique", "Коды уникальны"), 2),
                ],
            },
            ExerciseGrade {
                id: "eager-tags".to_owned(),
                title: Text::new("Tags without N+1", "Теги без N+1"),
                points: 2,
                max_points: 6,
                compiled: true,
                compile_errors: vec![],
                checks: vec![
                    pass(
                        "loads-tags",
                        ("Loads every post's tags", "Загружает теги каждого поста"),
                        2,
                    ),
                    n_plus_one(),
                ],
            },
        ],
        quiz: Some(QuizGrade {
            bank: "relations-performance".to_owned(),
            file: "quiz/relations-performance.answers.yaml".to_owned(),
            score: 0.0,
            max: 8.0,
            percent: 0.0,
            pass_percent: 80,
            passed: false,
            problem: Some(Text::new(
                "no answers file: take the quiz with `workbook quiz relations-performance`",
                "нет файла ответов: пройдите квиз командой `workbook quiz relations-performance`",
            )),
            missed: vec![],
        }),
    }
}

fn n_plus_one() -> CheckGrade {
    CheckGrade {
        id: "no-n-plus-one".to_owned(),
        title: Text::new("Tags load in one query", "Теги загружаются одним запросом"),
        verdict: Verdict::Fail,
        points: 0,
        max_points: 4,
        message: Text::new(
            "11 queries for 10 posts; expected at most 2",
            "11 запросов на 10 постов; ожидалось не больше 2",
        ),
        evidence: vec![
            "1: SELECT id, title FROM posts".to_owned(),
            "2: SELECT name FROM tags WHERE post_id = ?  (×10)".to_owned(),
        ],
        remedy: Some(remedy(
            "many-to-many-tags",
            "batch-loading",
            Text::new("Loading tags in one query", "Теги одним запросом"),
        )),
    }
}

/// A green check; `title` in English and Russian.
fn pass(id: &str, title: (&str, &str), points: u32) -> CheckGrade {
    CheckGrade {
        id: id.to_owned(),
        title: Text::new(title.0, title.1),
        verdict: Verdict::Pass,
        points,
        max_points: points,
        message: Text::new("", ""),
        evidence: vec![],
        remedy: None,
    }
}

fn not_built(id: &str, title: (&str, &str), max_points: u32) -> CheckGrade {
    CheckGrade {
        verdict: Verdict::Error,
        points: 0,
        max_points,
        message: Text::new(
            "the exercise does not compile",
            "упражнение не компилируется",
        ),
        ..pass(id, title, max_points)
    }
}

fn remedy(lesson: &str, step: &str, title: Text) -> Remedy {
    Remedy {
        lesson: lesson.to_owned(),
        step: step.to_owned(),
        title,
        command: format!("workbook lesson {lesson} --step {step}"),
    }
}
