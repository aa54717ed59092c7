//! `workbook lesson`: the viewer in a terminal, plain text otherwise, and
//! scripted answers to blanks.

use std::io::Write;

use crate::cli::LessonArgs;
use crate::config::Config;
use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX};
use crate::course::{Course, Lesson, Level, SectionKind, StepRef};
use crate::error::Error;
use crate::exit;
use crate::screens::lesson::{Reader, StepScreen, step, whole};
use crate::standing::DEFAULT_TRACK;
use crate::store::Store;
use crate::{style, viewer};

pub(super) async fn run(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &LessonArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let snapshot = store.snapshot().await?;
    let lesson = pick_lesson(
        course,
        args.id.as_deref(),
        snapshot.last_position.as_ref().map(|p| p.0.as_str()),
    )?;
    let track = args.level.unwrap_or(DEFAULT_TRACK);
    let steps = course.steps(lesson, track);
    let start = match &args.step {
        Some(id) => step_index(course, lesson, &steps, id)?,
        None => snapshot
            .positions
            .get(&lesson.id)
            .and_then(|id| steps.iter().position(|s| &s.step.id == id))
            .unwrap_or(0),
    };
    if args.solution {
        store.record_solution_reveal(&lesson.id).await?;
    }

    if !args.answer.is_empty() || !args.reveal.is_empty() {
        return scripted(store, steps[start], args, config, out).await;
    }

    if config.interactive {
        let outcome = viewer::run(course, store, &steps, start, lang).await?;
        let at = steps[outcome.index];
        let lang = outcome.lang;
        writeln!(
            out,
            "{}",
            lang.pick(
                format!(
                    "Stopped at step {}/{} of “{}”. `workbook lesson` brings you back here.",
                    outcome.index + 1,
                    steps.len(),
                    at.lesson.title.get(lang)
                ),
                format!(
                    "Остановились на шаге {}/{} урока «{}». `workbook lesson` вернёт вас сюда.",
                    outcome.index + 1,
                    steps.len(),
                    at.lesson.title.get(lang)
                ),
            )
        )?;
        return Ok(exit::OK);
    }

    // Plain text for a pipe: one step when asked for, else the whole lesson.
    // What is printed counts as read.
    let snapshot = store.snapshot().await?;
    let show_solution = snapshot.solutions_revealed.contains(&lesson.id);
    if args.step.is_some() {
        store.visit_step(&lesson.id, &steps[start].step.id).await?;
        let screen = StepScreen {
            course,
            steps: &steps,
            index: start,
            snapshot: &snapshot,
            lang,
            show_solution,
            reader: Reader::Plain,
        };
        write!(out, "{}", step(screen))?;
    } else {
        write!(
            out,
            "{}",
            whole(
                course,
                lesson,
                &steps,
                track,
                &snapshot,
                lang,
                show_solution
            )
        )?;
        for at in &steps {
            if at.section != SectionKind::Solution || show_solution {
                store.visit_step(&lesson.id, &at.step.id).await?;
            }
        }
    }
    Ok(exit::OK)
}

fn pick_lesson<'a>(
    course: &'a Course,
    id: Option<&str>,
    last: Option<&str>,
) -> Result<&'a Lesson, Error> {
    match id {
        Some(id) => course.lesson(id).ok_or_else(|| {
            Error::unknown("lesson", id, course.lessons.iter().map(|l| l.id.as_str()))
        }),
        None => Ok(last
            .and_then(|id| course.lesson(id))
            .unwrap_or(&course.lessons[0])),
    }
}

fn step_index(
    course: &Course,
    lesson: &Lesson,
    steps: &[StepRef<'_>],
    id: &str,
) -> Result<usize, Error> {
    if let Some(index) = steps.iter().position(|s| s.step.id == id) {
        return Ok(index);
    }
    let all = course.steps(lesson, Level::Advanced);
    if all.iter().any(|s| s.step.id == id) {
        return Err(Error::Usage(format!(
            "step `{id}` is an Advanced step; add `--level advanced` to see it"
        )));
    }
    Err(Error::unknown(
        "step",
        id,
        all.iter().map(|s| s.step.id.as_str()),
    ))
}

/// `--answer NAME=ANSWER` and `--reveal NAME`: the viewer's blanks for scripts.
async fn scripted(
    store: &Store,
    at: StepRef<'_>,
    args: &LessonArgs,
    config: &Config,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let lesson = &at.lesson.id;
    let find = |name: &str| {
        let name = name
            .trim()
            .trim_start_matches(BLANK_PREFIX)
            .trim_end_matches(BLANK_SUFFIX)
            .to_owned();
        at.step.blanks.iter().find(|b| b.id == name).ok_or_else(|| {
            Error::unknown("blank", &name, at.step.blanks.iter().map(|b| b.id.as_str()))
        })
    };
    store.visit_step(lesson, &at.step.id).await?;
    let mut code = exit::OK;
    for pair in &args.answer {
        let Some((name, answer)) = pair.split_once('=') else {
            return Err(Error::Usage(lang.pick(
                format!("--answer takes NAME=ANSWER, got `{pair}`"),
                format!("--answer ожидает ИМЯ=ОТВЕТ, получено `{pair}`"),
            )));
        };
        let blank = find(name)?;
        let correct = blank.accepts(answer);
        store
            .record_blank_attempt(lesson, &at.step.id, &blank.id, answer.trim(), correct)
            .await?;
        if correct {
            writeln!(
                out,
                "{} {}: {}",
                style::good("✓"),
                blank.id,
                lang.pick("correct", "верно")
            )?;
        } else {
            code = exit::NOT_PASSED;
            let mut line = format!(
                "{} {}: {}",
                style::bad("✗"),
                blank.id,
                lang.pick("not quite; try again", "не совсем; попробуйте ещё раз")
            );
            if let Some(hint) = &blank.hint {
                line = format!(
                    "{line} ({}: {})",
                    lang.pick("hint", "подсказка"),
                    hint.get(lang)
                );
            }
            writeln!(out, "{line}")?;
        }
    }
    for name in &args.reveal {
        let blank = find(name)?;
        let Some(answer) = blank.shown() else {
            let (en, ru) = crate::viewer::SEALED_BLANK;
            writeln!(
                out,
                "{} {BLANK_PREFIX}{}{BLANK_SUFFIX}: {}",
                lang.pick("Answer for", "Ответ для"),
                blank.id,
                lang.pick(en, ru)
            )?;
            continue;
        };
        store
            .record_blank_reveal(lesson, &at.step.id, &blank.id)
            .await?;
        writeln!(
            out,
            "{} {BLANK_PREFIX}{}{BLANK_SUFFIX}: {answer}",
            lang.pick("Answer for", "Ответ для"),
            blank.id,
        )?;
    }
    Ok(code)
}
