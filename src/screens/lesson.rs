//! Lesson steps as text: one step for the viewer, or a whole lesson for a pipe.

use std::fmt::Write as _;

use super::layout;
use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX, Blank, Level};
use crate::course::{Course, Lesson, SectionKind, StepRef};
use crate::lang::Lang;
use crate::standing::Next;
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

/// Renders one step: a header line, then its [`content`].
pub fn step(screen: StepScreen<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style::dim(
            &header_parts(
                screen.steps[screen.index],
                screen.index,
                screen.steps.len(),
                screen.lang
            )
            .join(" · ")
        )
    );
    out.push_str(&content(screen));
    out
}

/// The header's parts: where the step is (`lesson › section`), its number,
/// its level and its link.
fn header_parts(at: StepRef<'_>, index: usize, total: usize, lang: Lang) -> [String; 4] {
    [
        format!("{} › {}", at.lesson.title.get(lang), at.section.title(lang)),
        format!("{} {}/{total}", lang.pick("step", "шаг"), index + 1),
        at.step.level.label(lang).to_owned(),
        format!("{}#{}", at.lesson.id, at.step.id),
    ]
}

/// The header line of a step in at most `width` columns: the step's link,
/// then its level are left out when they do not fit, then the lesson title is
/// shortened; the section and the step number always stay.
pub fn header(at: StepRef<'_>, index: usize, total: usize, lang: Lang, width: usize) -> String {
    let [place, number, level, link] = header_parts(at, index, total, lang);
    for parts in [
        vec![&place, &number, &level, &link],
        vec![&place, &number, &level],
        vec![&place, &number],
    ] {
        let joined = parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        if layout::width_of(&joined) <= width {
            return joined;
        }
    }
    let tail = format!(" › {} · {number}", at.section.title(lang));
    let room = width.saturating_sub(layout::width_of(&tail));
    if room >= 4 {
        format!(
            "{}{tail}",
            layout::truncate(at.lesson.title.get(lang), room)
        )
    } else {
        layout::truncate(&format!("{} · {number}", at.section.title(lang)), width)
    }
}

/// A step without its header line: the title, the body, the code and its
/// blanks, or the checklist with its ticks.
pub fn content(screen: StepScreen<'_>) -> String {
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

    let body = at.step.body.get(lang).trim_end();
    // The viewer re-wraps prose to the terminal; plain text keeps the YAML's lines.
    let body = match reader {
        Reader::Viewer => layout::unfold(body),
        Reader::Plain => body.to_owned(),
    };
    let _ = writeln!(out, "{body}");
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
                        format!("не решено, попыток: {}", state.attempts),
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

/// What the viewer's key legend offers: only the keys that do something on
/// this step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offer {
    /// What can be done with the step's blanks (`a`, `r`).
    pub blanks: BlankKeys,
    /// The step is the hidden solution (`s`).
    pub solution: bool,
    /// The step is longer than the screen: the first and last line shown and
    /// the number of lines.
    pub scrolled: Option<(usize, usize, usize)>,
    /// A blank's answer is being typed.
    pub typing: bool,
}

/// What the keys for blanks can do on a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BlankKeys {
    /// Nothing: no blanks, or all answered.
    #[default]
    None,
    /// `a`: some are not answered, and their answers are sealed.
    Answer,
    /// `a` and `r`: some are not answered, and can be revealed.
    AnswerOrReveal,
}

/// The viewer's key legend in at most `width` columns.
pub fn keys(lang: Lang, offer: Offer, width: usize) -> String {
    use layout::Key;
    if offer.typing {
        let keys = [
            Key::new(
                lang.pick("Enter confirms", "Enter — ответить"),
                lang.pick("Enter ok", "Enter — ответ"),
                9,
            ),
            Key::new(
                lang.pick("empty Enter skips", "пустой Enter — пропустить"),
                lang.pick("empty skips", "пусто — пропуск"),
                5,
            ),
            Key::new(
                lang.pick("Esc cancels", "Esc — отмена"),
                lang.pick("Esc cancel", "Esc — отмена"),
                8,
            ),
        ];
        return layout::legend(&keys, width);
    }
    let mut keys = vec![
        Key::new(
            lang.pick("→ n next", "→ n далее"),
            lang.pick("n next", "n далее"),
            9,
        ),
        Key::new(
            lang.pick("← p back", "← p назад"),
            lang.pick("p back", "p назад"),
            5,
        ),
    ];
    if let Some((first, last, total)) = offer.scrolled {
        keys.push(Key::new(
            lang.pick(
                format!("↑↓ scroll {first}–{last}/{total}"),
                format!("↑↓ прокрутка {first}–{last}/{total}"),
            ),
            format!("↑↓ {first}–{last}/{total}"),
            8,
        ));
    }
    if offer.blanks != BlankKeys::None {
        keys.push(Key::new(
            lang.pick("a answer", "a ответить"),
            lang.pick("a answer", "a ответ"),
            7,
        ));
    }
    if offer.blanks == BlankKeys::AnswerOrReveal {
        keys.push(Key::new(
            lang.pick("r reveal", "r подсмотреть"),
            lang.pick("r reveal", "r подсмотреть"),
            3,
        ));
    }
    if offer.solution {
        keys.push(Key::new(
            lang.pick("s solution", "s решение"),
            lang.pick("s solution", "s решение"),
            7,
        ));
    }
    keys.push(Key::new(
        lang.pick("l язык", "l language"),
        lang.pick("l ru", "l en"),
        2,
    ));
    keys.push(Key::new(
        lang.pick("q quit", "q выход"),
        lang.pick("q quit", "q выход"),
        10,
    ));
    layout::legend(&keys, width)
}

/// What revealing a sealed blank (a student edition) says instead.
pub fn sealed_blank(lang: Lang) -> &'static str {
    lang.pick(
        "The student edition does not show blank answers: reread the step, or answer with the hint after a wrong try.",
        "В студенческой версии ответы на пропуски не показываются: перечитайте шаг или ответьте с подсказкой после неверной попытки.",
    )
}

/// The verdict on `given`, an answer to a blank: `✓ NAME: correct`, or
/// `✗ NAME:` with where it departs and the hint the first time
/// ([`super::blank::wrong`], after `wrong_before` wrong answers), then how to
/// go on in the viewer (`reader`).
pub fn verdict(
    blank: &Blank,
    given: &str,
    wrong_before: u32,
    correct: bool,
    reader: Reader,
    lang: Lang,
) -> String {
    if correct {
        return format!(
            "{} {}: {}",
            style::good("✓"),
            blank.id,
            lang.pick("correct", "верно")
        );
    }
    let mut line = format!(
        "{} {}: {}",
        style::bad("✗"),
        blank.id,
        super::blank::wrong(blank, given, wrong_before, lang)
    );
    let how = match (reader, blank.shown().is_some()) {
        (Reader::Viewer, true) => lang.pick(
            " Try again, or press Enter to skip (r reveals the answer).",
            " Попробуйте ещё раз или нажмите Enter, чтобы пропустить (r покажет ответ).",
        ),
        (Reader::Viewer, false) => lang.pick(
            " Try again, or press Enter to skip.",
            " Попробуйте ещё раз или нажмите Enter, чтобы пропустить.",
        ),
        (Reader::Plain, _) => "",
    };
    line.push_str(how);
    line
}

/// A blank's answer, revealed on request (or why it cannot be).
pub fn revealed(blank: &Blank, lang: Lang) -> String {
    let answer = blank.shown().unwrap_or_else(|| sealed_blank(lang));
    format!(
        "{} {BLANK_PREFIX}{}{BLANK_SUFFIX}: {answer}",
        lang.pick("Answer for", "Ответ для"),
        blank.id,
    )
}

/// What the viewer says when a key has nothing to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nothing {
    /// `a` or `r` on a step without blanks.
    NoBlanks,
    /// `a` with every blank answered.
    AllAnswered,
    /// `r` with nothing left to reveal.
    NothingToReveal,
    /// `p` on the first step.
    FirstStep,
    /// `s` outside the Solution section.
    SolutionElsewhere,
}

/// The note for a key with nothing to act on.
pub fn nothing(what: Nothing, lang: Lang) -> &'static str {
    match what {
        Nothing::NoBlanks => lang.pick(
            "This step has no blanks to answer or reveal.",
            "В этом шаге нет пропусков: отвечать и подсматривать нечего.",
        ),
        Nothing::AllAnswered => lang.pick(
            "Every blank here is answered.",
            "Все пропуски здесь заполнены.",
        ),
        Nothing::NothingToReveal => lang.pick(
            "Nothing to reveal here: every blank is answered or revealed.",
            "Здесь нечего подсматривать: все пропуски заполнены или открыты.",
        ),
        Nothing::FirstStep => lang.pick("This is the first step.", "Это первый шаг."),
        Nothing::SolutionElsewhere => lang.pick(
            "The solution is the last section of the lesson; s shows it there.",
            "Решение — последний раздел урока; там его показывает s.",
        ),
    }
}

/// The prompt for typing a blank's answer.
pub fn blank_prompt(blank: &Blank) -> String {
    format!("{BLANK_PREFIX}{}{BLANK_SUFFIX} > ", blank.id)
}

/// What the viewer says at the last step when `n` is pressed: the lesson is
/// over, and what to do next.
pub fn last_step(next: &Next, lang: Lang) -> String {
    let (label, command) = super::status::next(next, lang);
    lang.pick(
        format!("This is the last step of the lesson. {label} {command} · q quits."),
        format!("Это последний шаг урока. {label} {command} · q — выход."),
    )
}

/// The line printed when the viewer closes: where the student stopped, and
/// what to do next unless it is to come back here.
pub fn stopped(at: StepRef<'_>, index: usize, total: usize, next: &Next, lang: Lang) -> String {
    let title = at.lesson.title.get(lang);
    let mut out = lang.pick(
        format!(
            "Stopped at step {}/{total} of “{title}”. `workbook lesson` brings you back here.",
            index + 1
        ),
        format!(
            "Остановились на шаге {}/{total} урока «{title}». `workbook lesson` вернёт вас сюда.",
            index + 1
        ),
    );
    // Coming back here is said already; a step skipped in this lesson is not.
    let here = matches!(
        next,
        Next::Continue { lesson, resumes: true, .. } if *lesson == at.lesson.id
    );
    if !here {
        let (label, command) = super::status::next(next, lang);
        let _ = write!(out, "\n{label} {}", style::code(&command));
    }
    out.push('\n');
    out
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
