//! The screen of `workbook list`: modules, lessons, exercises and quizzes with status.

use std::fmt::Write as _;

use crate::course::Course;
use crate::lang::Lang;
use crate::standing::{LessonStanding, ModuleStanding, Standing};
use crate::style;

/// Renders the course outline with a status per item.
pub fn render(course: &Course, standing: &Standing, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::heading(course.manifest.title.get(lang)));
    for (number, (module, counts)) in course.modules().iter().zip(&standing.modules).enumerate() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            style::heading(&format!(
                "{} {}. {}  ({})",
                lang.pick("Module", "Модуль"),
                number + 1,
                module.title.get(lang),
                module.id
            ))
        );
        let _ = writeln!(out, "  {}", lang.pick("Lessons", "Уроки"));
        let width = module.lessons.iter().map(String::len).max().unwrap_or(0);
        for (lesson, counts) in course.lessons_of(module).zip(&counts.lessons) {
            let _ = writeln!(
                out,
                "    {} {:width$}  {}  {}",
                lesson_mark(counts),
                lesson.id,
                lesson.title.get(lang),
                style::dim(&lesson_status(counts, lang)),
            );
        }
        exercises(&mut out, course, counts, lang);
        quiz(&mut out, counts, lang);
    }
    out
}

/// The exercises of a module, each with its status.
fn exercises(out: &mut String, course: &Course, counts: &ModuleStanding, lang: Lang) {
    let _ = writeln!(out, "  {}", lang.pick("Exercises", "Упражнения"));
    if counts.exercises.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            style::dim(lang.pick("none in this module", "в этом модуле нет"))
        );
    }
    for exercise in &counts.exercises {
        let title = course
            .exercise(&exercise.id)
            .map(|e| e.title.get(lang))
            .unwrap_or_default();
        let (mark, status) = if !exercise.ran {
            (
                style::dim("·"),
                lang.pick(
                    "not checked yet".to_owned(),
                    "ещё не проверялось".to_owned(),
                ),
            )
        } else if exercise.passed == exercise.checks {
            (
                style::good("✓"),
                lang.pick(
                    "all checks pass".to_owned(),
                    "все проверки пройдены".to_owned(),
                ),
            )
        } else {
            (
                style::warn("▸"),
                lang.pick(
                    format!("{}/{} checks pass", exercise.passed, exercise.checks),
                    format!("пройдено проверок: {}/{}", exercise.passed, exercise.checks),
                ),
            )
        };
        let _ = writeln!(
            out,
            "    {mark} {}  {title}  {}",
            exercise.id,
            style::dim(&status)
        );
    }
}

/// The quiz of a module and its best result.
fn quiz(out: &mut String, counts: &ModuleStanding, lang: Lang) {
    let _ = writeln!(out, "  {}", lang.pick("Quiz", "Квиз"));
    match &counts.quiz {
        None => {
            let _ = writeln!(
                out,
                "    {}",
                style::dim(lang.pick("none in this module", "в этом модуле нет"))
            );
        }
        Some((id, quiz)) => {
            let (mark, status) = match quiz.best_percent {
                None => (
                    style::dim("·"),
                    lang.pick("not taken yet".to_owned(), "ещё не пройден".to_owned()),
                ),
                Some(best) if quiz.passed => (
                    style::good("✓"),
                    lang.pick(
                        format!("passed, best {}%", style::whole_percent(best)),
                        format!("сдан, лучший результат {}%", style::whole_percent(best)),
                    ),
                ),
                Some(best) => (
                    style::warn("▸"),
                    lang.pick(
                        format!("not passed yet, best {}%", style::whole_percent(best)),
                        format!(
                            "пока не сдан, лучший результат {}%",
                            style::whole_percent(best)
                        ),
                    ),
                ),
            };
            let _ = writeln!(out, "    {mark} {id}  {}", style::dim(&status));
        }
    }
}

fn lesson_mark(counts: &LessonStanding) -> String {
    if counts.is_done() {
        style::good("✓")
    } else if counts.is_untouched() {
        style::dim("·")
    } else {
        style::warn("▸")
    }
}

fn lesson_status(counts: &LessonStanding, lang: Lang) -> String {
    let blanks = if counts.blanks == 0 {
        String::new()
    } else {
        lang.pick(
            format!(
                ", blanks {}/{}",
                counts.solved + counts.revealed,
                counts.blanks
            ),
            format!(
                ", пропуски {}/{}",
                counts.solved + counts.revealed,
                counts.blanks
            ),
        )
    };
    if counts.is_done() {
        lang.pick(format!("done{blanks}"), format!("пройден{blanks}"))
    } else if counts.is_untouched() {
        lang.pick(
            format!("not started, {} steps", counts.steps),
            format!("не начат, шагов: {}", counts.steps),
        )
    } else {
        lang.pick(
            format!("in progress, read {}/{}{blanks}", counts.read, counts.steps),
            format!(
                "в процессе, прочитано {}/{}{blanks}",
                counts.read, counts.steps
            ),
        )
    }
}
