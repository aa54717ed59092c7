//! `workbook lesson`: the viewer in a terminal, plain text otherwise, and
//! scripted answers to blanks.

use std::io::Write;

use crate::cli::LessonArgs;
use crate::config::Config;
use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX};
use crate::course::{Course, Lesson, Level, SectionKind, StepRef};
use crate::error::{Error, IdKind};
use crate::exit;
use crate::lang::Lang;
use crate::screens::lesson::{Reader, StepScreen, revealed, step, stopped, verdict, whole};
use crate::standing::{DEFAULT_TRACK, Standing};
use crate::store::Store;
use crate::term::Tty;
use crate::viewer;

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
    let scripted_answers = !args.answer.is_empty() || !args.reveal.is_empty();
    let start = match &args.step {
        Some(id) => step_index(course, lesson, &steps, id, lang)?,
        // Blank names are unique in a lesson: an answer finds its step.
        None if scripted_answers => step_of_blanks(lesson, &steps, args, lang)?,
        None => snapshot
            .positions
            .get(&lesson.id)
            .and_then(|id| steps.iter().position(|s| &s.step.id == id))
            .unwrap_or(0),
    };
    if args.solution {
        store.record_solution_reveal(&lesson.id).await?;
    }

    if scripted_answers {
        return scripted(store, steps[start], args, config, out).await;
    }

    if config.interactive {
        let outcome = {
            // The terminal is restored when this block ends, before printing.
            let mut terminal = Tty::enter()?;
            viewer::run(course, store, &steps, start, lang, &mut terminal).await?
        };
        let snapshot = store.snapshot().await?;
        let standing = Standing::new(course, &snapshot);
        write!(
            out,
            "{}",
            stopped(
                steps[outcome.index],
                outcome.index,
                steps.len(),
                &standing.next,
                outcome.lang
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
            Error::unknown(
                IdKind::Lesson,
                id,
                course.lessons.iter().map(|l| l.id.as_str()),
            )
        }),
        None => Ok(last
            .and_then(|id| course.lesson(id))
            .unwrap_or(&course.lessons[0])),
    }
}

/// The step `--step` names: its id, or its number as the viewer shows it
/// (`step 5/18` → `--step 5`).
fn step_index(
    course: &Course,
    lesson: &Lesson,
    steps: &[StepRef<'_>],
    id: &str,
    lang: Lang,
) -> Result<usize, Error> {
    if let Some(index) = steps.iter().position(|s| s.step.id == id) {
        return Ok(index);
    }
    if let Ok(number) = id.trim().parse::<usize>() {
        if (1..=steps.len()).contains(&number) {
            return Ok(number - 1);
        }
        return Err(Error::Usage(lang.pick(
            format!(
                "there is no step {number}: this lesson has steps 1 to {}",
                steps.len()
            ),
            format!(
                "шага {number} нет: в этом уроке шаги с 1 по {}",
                steps.len()
            ),
        )));
    }
    let all = course.steps(lesson, Level::Advanced);
    if all.iter().any(|s| s.step.id == id) {
        return Err(Error::Usage(lang.pick(
            format!("step `{id}` is an Advanced step; add `--level advanced` to see it"),
            format!(
                "шаг `{id}` относится к продвинутому уровню; добавьте `--level advanced`, чтобы его увидеть"
            ),
        )));
    }
    Err(Error::unknown(
        IdKind::Step,
        id,
        all.iter().map(|s| s.step.id.as_str()),
    ))
}

/// A blank's name as given: `NAME` or the whole marker `___FILL_NAME___`.
fn blank_name(given: &str) -> &str {
    given
        .trim()
        .trim_start_matches(BLANK_PREFIX)
        .trim_end_matches(BLANK_SUFFIX)
}

/// The step holding the blanks `--answer` and `--reveal` name, when no
/// `--step` is given (blank names are unique in a lesson).
fn step_of_blanks(
    lesson: &Lesson,
    steps: &[StepRef<'_>],
    args: &LessonArgs,
    lang: Lang,
) -> Result<usize, Error> {
    let names = args
        .answer
        .iter()
        .map(|pair| pair.split_once('=').map_or(pair.as_str(), |(name, _)| name))
        .chain(args.reveal.iter().map(String::as_str))
        .map(blank_name);
    let mut found: Option<usize> = None;
    for name in names {
        let holders: Vec<usize> = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.step.blanks.iter().any(|b| b.id == name))
            .map(|(i, _)| i)
            .collect();
        let index = match holders.as_slice() {
            [index] => *index,
            [] => {
                let every = steps
                    .iter()
                    .flat_map(|s| s.step.blanks.iter().map(|b| b.id.as_str()));
                return Err(Error::unknown(IdKind::Blank, name, every));
            }
            _ => {
                return Err(Error::Usage(lang.pick(
                    format!(
                        "several steps of `{}` have a blank `{name}`; name the step with --step",
                        lesson.id
                    ),
                    format!(
                        "пропуск `{name}` есть в нескольких шагах урока `{}`; укажите шаг через --step",
                        lesson.id
                    ),
                )));
            }
        };
        match found {
            Some(other) if other != index => {
                return Err(Error::Usage(lang.pick(
                    "these blanks are in different steps; answer one step at a time, or name it with --step".to_owned(),
                    "эти пропуски в разных шагах; отвечайте по одному шагу или укажите шаг через --step".to_owned(),
                )));
            }
            _ => found = Some(index),
        }
    }
    found.ok_or_else(|| Error::Usage("no blank named".to_owned()))
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
        let name = blank_name(name);
        at.step.blanks.iter().find(|b| b.id == name).ok_or_else(|| {
            Error::unknown(
                IdKind::Blank,
                name,
                at.step.blanks.iter().map(|b| b.id.as_str()),
            )
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
        let wrong_before = store
            .snapshot()
            .await?
            .blank(lesson, &at.step.id, &blank.id)
            .attempts;
        store
            .record_blank_attempt(lesson, &at.step.id, &blank.id, answer.trim(), correct)
            .await?;
        if !correct {
            code = exit::NOT_PASSED;
        }
        writeln!(
            out,
            "{}",
            verdict(blank, answer, wrong_before, correct, Reader::Plain, lang)
        )?;
    }
    for name in &args.reveal {
        let blank = find(name)?;
        if blank.shown().is_some() {
            store
                .record_blank_reveal(lesson, &at.step.id, &blank.id)
                .await?;
        }
        writeln!(out, "{}", revealed(blank, lang))?;
    }
    Ok(code)
}
