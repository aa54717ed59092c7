//! Lesson steps as text: one step for the viewer, or a whole lesson for a pipe.

use std::fmt::Write as _;

use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX, Level};
use crate::course::{Course, Lesson, SectionKind, StepRef};
use crate::lang::Lang;
use crate::store::Snapshot;
use crate::style;

/// How the reader reveals a hidden solution, shown where the solution would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The interactive viewer (a key press).
    Viewer,
    /// Plain text (a flag).
    Plain,
}

/// Everything needed to draw one step.
#[derive(Debug, Clone, Copy)]
pub struct StepScreen<'a> {
    /// The course (for exercise titles in checklist links).
    pub course: &'a Course,
    /// The steps of the lesson on the current track.
    pub steps: &'a [StepRef<'a>],
    /// Which one to draw.
    pub index: usize,
    /// What the student has done.
    pub snapshot: &'a Snapshot,
    /// The language.
    pub lang: Lang,
    /// Whether the Solution section may be shown.
    pub show_solution: bool,
    /// Where the text goes.
    pub reader: Reader,
}

/// Renders one step: a header line, the title, the body, the code and its blanks,
/// or the checklist with its ticks.
pub fn step(screen: StepScreen<'_>) -> String {
    let StepScreen {
        course,
        steps,
        index,
        snapshot,
        lang,
        show_solution,
        reader,
    } = screen;
    let at = steps[index];
    let lesson_id = &at.lesson.id;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style::dim(&format!(
            "{} › {} · {} {}/{} · {} · {lesson_id}#{}",
            at.lesson.title.get(lang),
            at.section.title(lang),
            lang.pick("step", "шаг"),
            index + 1,
            steps.len(),
            at.step.level.label(lang),
            at.step.id,
        ))
    );
    let _ = writeln!(out, "{}\n", style::heading(at.step.title.get(lang)));

    if at.section == SectionKind::Solution && !show_solution {
        let how = match reader {
            Reader::Viewer => lang.pick(
                "press s to show it".to_owned(),
                "нажмите s, чтобы показать".to_owned(),
            ),
            Reader::Plain => lang.pick(
                format!("run `workbook lesson {lesson_id} --solution` to show it"),
                format!("чтобы показать, выполните `workbook lesson {lesson_id} --solution`"),
            ),
        };
        let _ = writeln!(
            out,
            "{}",
            style::warn(&lang.pick(
                format!("The solution is hidden: try the task first, then {how}."),
                format!("Решение скрыто: сначала попробуйте сами, затем {how}."),
            ))
        );
        return out;
    }

    let _ = writeln!(out, "{}", at.step.body.get(lang).trim_end());
    snippet(&mut out, at, snapshot, lang, reader);
    checklist(&mut out, course, at, snapshot, lang);
    out
}

/// The step's code, answered blanks filled in, and the state of each blank.
fn snippet(out: &mut String, at: StepRef<'_>, snapshot: &Snapshot, lang: Lang, reader: Reader) {
    let lesson_id = &at.lesson.id;
    if let Some(code) = &at.step.code {
        let mut text = code.text.trim_end().to_owned();
        for blank in &at.step.blanks {
            let state = snapshot.blank(lesson_id, &at.step.id, &blank.id);
            // A sealed answer (student edition) cannot be shown: the marker stays.
            if let Some(answer) = blank.shown()
                && (state.solved || state.revealed)
            {
                let marker = format!("{BLANK_PREFIX}{}{BLANK_SUFFIX}", blank.id);
                text = text.replace(&marker, answer);
            }
        }
        let _ = writeln!(out, "\n```{}\n{text}\n```", code.lang);
    }
    if !at.step.blanks.is_empty() {
        let _ = writeln!(out, "\n{}", style::heading(lang.pick("Blanks", "Пропуски")));
        for blank in &at.step.blanks {
            let state = snapshot.blank(lesson_id, &at.step.id, &blank.id);
            let (mark, status) = if state.solved {
                (
                    style::good("✓"),
                    lang.pick("answered".to_owned(), "заполнен".to_owned()),
                )
            } else if state.revealed {
                (
                    style::warn("!"),
                    lang.pick("answer revealed".to_owned(), "ответ подсмотрен".to_owned()),
                )
            } else if state.attempts > 0 {
                (
                    style::bad("✗"),
                    lang.pick(
                        format!("not yet: {} tries", state.attempts),
                        format!("пока нет: попыток {}", state.attempts),
                    ),
                )
            } else {
                (
                    style::dim("?"),
                    lang.pick("not answered".to_owned(), "не заполнен".to_owned()),
                )
            };
            let _ = writeln!(
                out,
                "  {mark} {BLANK_PREFIX}{}{BLANK_SUFFIX}  {}",
                blank.id,
                style::dim(&status)
            );
        }
        let pending = at
            .step
            .blanks
            .iter()
            .any(|b| !snapshot.blank(lesson_id, &at.step.id, &b.id).solved);
        if pending {
            let how = match reader {
                Reader::Viewer => lang.pick(
                    "Press a to answer, r to reveal an answer.".to_owned(),
                    "Нажмите a, чтобы ответить, r — чтобы подсмотреть ответ.".to_owned(),
                ),
                Reader::Plain => lang.pick(
                    format!(
                        "Answer: workbook lesson {lesson_id} --step {} --answer NAME=ANSWER",
                        at.step.id
                    ),
                    format!(
                        "Ответить: workbook lesson {lesson_id} --step {} --answer ИМЯ=ОТВЕТ",
                        at.step.id
                    ),
                ),
            };
            let _ = writeln!(out, "{}", style::dim(&how));
        }
    }
}

/// The step's checklist items, ticked when the checks that prove them pass.
fn checklist(out: &mut String, course: &Course, at: StepRef<'_>, snapshot: &Snapshot, lang: Lang) {
    if !at.step.items.is_empty() {
        out.push('\n');
        for item in &at.step.items {
            let proven = !item.proved_by.is_empty()
                && item.proved_by.iter().all(|link| {
                    let (exercise, check) = link.split_once('#').unwrap_or((link, ""));
                    snapshot.check_passed(exercise, check)
                });
            let tick = if proven {
                style::good("[x]")
            } else {
                "[ ]".to_owned()
            };
            let _ = writeln!(out, "  {tick} {}", item.text.get(lang));
            if !item.proved_by.is_empty() {
                let names: Vec<String> = item
                    .proved_by
                    .iter()
                    .map(|link| {
                        let exercise = link.split('#').next().unwrap_or(link);
                        match course.exercise(exercise) {
                            Some(e) => format!("{link} ({})", e.title.get(lang)),
                            None => link.clone(),
                        }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "      {}",
                    style::dim(&lang.pick(
                        format!("ticked when these checks pass: {}", names.join(", ")),
                        format!("отмечается, когда проходят проверки: {}", names.join(", ")),
                    ))
                );
            }
        }
    }
}

/// The viewer's key legend; `scrolled` is the first and last line shown and the
/// number of lines, when the step is longer than the screen.
pub fn keys(lang: Lang, scrolled: Option<(usize, usize, usize)>) -> String {
    let mut keys = lang
        .pick(
            "→ n next · ← p back · a answer · r reveal · s solution · l язык · q quit",
            "→ n далее · ← p назад · a ответить · r подсмотреть · s решение · l language · q выход",
        )
        .to_owned();
    if let Some((first, last, total)) = scrolled {
        keys.push_str(&lang.pick(
            format!(" · ↑↓ scroll {first}–{last}/{total}"),
            format!(" · ↑↓ прокрутка {first}–{last}/{total}"),
        ));
    }
    keys
}

/// Renders a whole lesson for reading without the viewer.
pub fn whole(
    course: &Course,
    lesson: &Lesson,
    steps: &[StepRef<'_>],
    track: Level,
    snapshot: &Snapshot,
    lang: Lang,
    show_solution: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::heading(lesson.title.get(lang)));
    if let Some(module) = course.module_of(&lesson.id) {
        let track_label = match track {
            Level::Basic => lang.pick("Basic steps only", "только базовые шаги"),
            Level::Advanced => lang.pick("Basic and Advanced steps", "базовые и продвинутые шаги"),
        };
        let _ = writeln!(
            out,
            "{}",
            style::dim(&format!("{} · {track_label}", module.title.get(lang)))
        );
    }
    let mut section = None;
    for index in 0..steps.len() {
        if section != Some(steps[index].section) {
            section = Some(steps[index].section);
            let _ = writeln!(
                out,
                "\n{}",
                style::heading(&format!("== {} ==", steps[index].section.title(lang)))
            );
        }
        out.push('\n');
        out.push_str(&step(StepScreen {
            course,
            steps,
            index,
            snapshot,
            lang,
            show_solution,
            reader: Reader::Plain,
        }));
    }
    out
}
