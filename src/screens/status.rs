//! The screen of `workbook` without a command: where you are, and what next.

use std::fmt::Write as _;

use crate::course::Course;
use crate::lang::Lang;
use crate::standing::{Next, Standing};
use crate::style;

/// Renders the status screen.
pub fn render(course: &Course, standing: &Standing, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::heading(course.manifest.title.get(lang)));
    let (done, total) = standing.overall();
    let _ = writeln!(
        out,
        "{} {:>3}%  {}",
        style::bar(done, total, 30),
        style::percent(done, total),
        style::dim(&lang.pick(
            format!("{done} of {total}: steps read, blanks answered, checks passed, quizzes passed"),
            format!("{done} из {total}: прочитанные шаги, заполненные пропуски, пройденные проверки и квизы"),
        )),
    );
    out.push('\n');

    // Where the student is: where they stopped when reading on continues the
    // lesson, else the step to go back to.
    let position = match &standing.next {
        Next::Continue {
            lesson,
            step,
            resumes,
        } => {
            let stopped = standing.lesson(lesson).and_then(|l| l.current.as_ref());
            Some((lesson, if *resumes { stopped } else { Some(step) }))
        }
        Next::Start { lesson } | Next::NextLesson { lesson } => Some((lesson, None)),
        Next::Blanks { lesson, step } => Some((lesson, Some(step))),
        Next::Exercise { .. } | Next::Quiz { .. } | Next::AllDone => None,
    };
    if let Some((lesson_id, step_id)) = position
        && let (Some(lesson), Some(module)) =
            (course.lesson(lesson_id), course.module_of(lesson_id))
    {
        let number = course
            .modules()
            .iter()
            .position(|m| m.id == module.id)
            .unwrap_or(0)
            + 1;
        let _ = writeln!(
            out,
            "{} {number}/{}: {}",
            lang.pick("Module", "Модуль"),
            course.modules().len(),
            module.title.get(lang)
        );
        let _ = writeln!(
            out,
            "{}: {}",
            lang.pick("Lesson", "Урок"),
            lesson.title.get(lang)
        );
        if let Some(step_id) = step_id {
            let steps = course.steps(lesson, crate::standing::DEFAULT_TRACK);
            if let Some(index) = steps.iter().position(|s| &s.step.id == step_id) {
                let step = steps[index];
                let _ = writeln!(
                    out,
                    "{}: {}/{} · {} · {}",
                    lang.pick("Step", "Шаг"),
                    index + 1,
                    steps.len(),
                    step.section.title(lang),
                    step.step.title.get(lang)
                );
            }
        }
        out.push('\n');
    }

    let (label, command) = next(&standing.next, lang);
    let _ = writeln!(out, "{label}\n  {}", style::code(&command));
    let _ = writeln!(
        out,
        "{}",
        style::dim(lang.pick(
            "More: workbook list · workbook progress · workbook --help",
            "Ещё: workbook list · workbook progress · workbook --help",
        ))
    );
    out
}

/// What to do next, and the command that does it: the one wording of
/// [`Next`], shared by this screen, the viewer and `watch`.
pub fn next(next: &Next, lang: Lang) -> (&'static str, String) {
    match next {
        Next::Start { lesson } => (
            lang.pick("Start with the first lesson:", "Начните с первого урока:"),
            format!("workbook lesson {lesson}"),
        ),
        Next::Continue {
            lesson,
            resumes: true,
            ..
        } => (
            lang.pick(
                "Continue where you stopped:",
                "Продолжите с места, где остановились:",
            ),
            format!("workbook lesson {lesson}"),
        ),
        Next::Continue {
            lesson,
            step,
            resumes: false,
        } => (
            lang.pick("Read the step you skipped:", "Прочитайте пропущенный шаг:"),
            format!("workbook lesson {lesson} --step {step}"),
        ),
        Next::NextLesson { lesson } => (
            lang.pick("Next lesson:", "Следующий урок:"),
            format!("workbook lesson {lesson}"),
        ),
        Next::Exercise { exercise } => (
            lang.pick(
                "Next, make this exercise pass:",
                "Дальше — добейтесь, чтобы прошло упражнение:",
            ),
            format!("workbook check {exercise}"),
        ),
        Next::Quiz { module } => (
            lang.pick(
                "Next, pass the module's quiz:",
                "Дальше — сдайте квиз модуля:",
            ),
            format!("workbook quiz {module}"),
        ),
        Next::Blanks { lesson, step } => (
            lang.pick(
                "Everything else is done; answer the blanks you skipped:",
                "Всё остальное сделано; осталось заполнить пропуски в коде:",
            ),
            format!("workbook lesson {lesson} --step {step}"),
        ),
        Next::AllDone => (
            lang.pick(
                "Everything is done: lessons, blanks, exercises and quizzes. See the details:",
                "Всё пройдено: уроки, пропуски, упражнения и квизы. Подробности:",
            ),
            "workbook progress".to_owned(),
        ),
    }
}
