//! The quiz's screens: a question (interactive or typed), and the result with
//! what to reread for every answer that was not right.

use std::fmt::Write as _;

use workbook_support::sanitize;

use crate::course::bank::{Correct, Matching, Question, QuestionType};
use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX};
use crate::course::{Course, Module};
use crate::lang::Lang;
use crate::quiz::input::{letter, option_count, truth_labels};
use crate::quiz::{Answer, Drawn, Outcome, QuestionResult};
use crate::screens::layout::{self, Key};
use crate::style;

/// How a question is being answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode<'a> {
    /// Keys in a terminal: `cursor` is the highlighted option, `chosen` the
    /// picked positions (in order, for an ordering).
    Keys {
        /// The highlighted option.
        cursor: usize,
        /// The picked options' positions.
        chosen: &'a [usize],
    },
    /// A typed line.
    Typed,
}

/// The text of the option at a display position.
fn option_text<'a>(drawn: &'a Drawn<'_>, position: usize, lang: Lang) -> &'a str {
    if drawn.question.kind == QuestionType::TrueFalse {
        return truth_labels(lang)[position.min(1)];
    }
    drawn
        .order
        .get(position)
        .map_or("", |&i| drawn.question.options[i].text.get(lang))
}

/// Renders one question: its [`question_header`], its [`question_body`] and,
/// for typed answers, how to answer.
pub fn question(
    drawn: &Drawn<'_>,
    number: usize,
    total: usize,
    mode: Mode<'_>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style::dim(&question_header(drawn, number, total, lang))
    );
    out.push_str(&question_body(drawn, mode, lang));
    let how = match mode {
        Mode::Keys { .. } => {
            let keys = question_keys(drawn.question.kind, lang);
            keys.iter()
                .map(|k| k.long.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        }
        Mode::Typed => typed_how(drawn.question.kind, lang).to_owned(),
    };
    if !how.is_empty() {
        let _ = writeln!(out, "\n{}", style::dim(&how));
    }
    out
}

/// The line over a question: its number, its kind and its points.
pub fn question_header(drawn: &Drawn<'_>, number: usize, total: usize, lang: Lang) -> String {
    let q = drawn.question;
    let points = lang.pick(
        if q.points == 1 {
            "1 point".to_owned()
        } else {
            format!("{} points", q.points)
        },
        format!("баллов: {}", q.points),
    );
    let kind = match q.kind {
        QuestionType::Single => lang.pick("one answer", "один ответ"),
        QuestionType::Multiple => lang.pick("all that apply", "все верные варианты"),
        QuestionType::TrueFalse => lang.pick("true or false", "верно или неверно"),
        QuestionType::Short => lang.pick("type the answer", "введите ответ"),
        QuestionType::Fill => lang.pick("fill in the blanks", "заполните пропуски"),
        QuestionType::Order => lang.pick("put in order", "расставьте по порядку"),
    };
    format!(
        "{} {number}/{total} · {kind} · {points}",
        lang.pick("Question", "Вопрос")
    )
}

/// A question without its header: the prompt, the code, the options.
pub fn question_body(drawn: &Drawn<'_>, mode: Mode<'_>, lang: Lang) -> String {
    let q = drawn.question;
    let mut out = String::new();
    let prompt = q.prompt.get(lang).trim_end();
    // In a terminal the prompt is re-wrapped to the width.
    let prompt = match mode {
        Mode::Keys { .. } => layout::unfold(prompt),
        Mode::Typed => prompt.to_owned(),
    };
    let _ = writeln!(out, "{}", style::heading(&prompt));
    if let Some(code) = &q.code {
        let _ = writeln!(out, "\n```{}\n{}\n```", code.lang, code.text.trim_end());
    }
    let count = option_count(drawn);
    if count > 0 {
        out.push('\n');
    }
    for position in 0..count {
        let text = option_text(drawn, position, lang);
        let line = match mode {
            Mode::Typed => format!("  {}) {text}", letter(position)),
            Mode::Keys { cursor, chosen } => {
                let pointer = if position == cursor { "›" } else { " " };
                let mark = match q.kind {
                    QuestionType::Multiple => {
                        if chosen.contains(&position) {
                            "[x]".to_owned()
                        } else {
                            "[ ]".to_owned()
                        }
                    }
                    QuestionType::Order => match chosen.iter().position(|p| *p == position) {
                        Some(rank) => format!("[{}]", rank + 1),
                        None => "[ ]".to_owned(),
                    },
                    _ => {
                        if chosen.contains(&position) {
                            "(•)".to_owned()
                        } else {
                            "( )".to_owned()
                        }
                    }
                };
                let line = format!("{pointer} {mark} {}) {text}", letter(position));
                if chosen.contains(&position) {
                    style::good(&line)
                } else {
                    line
                }
            }
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// The keys of a question answered with keys, most important first kept
/// when the legend shrinks; none for typed kinds (their line says how).
pub fn question_keys(kind: QuestionType, lang: Lang) -> Vec<Key> {
    let submit = Key::new(
        lang.pick("Enter submits", "Enter — ответить"),
        lang.pick("Enter submits", "Enter — ответ"),
        9,
    );
    let quit = Key::new(
        lang.pick("q quits", "q — выйти"),
        lang.pick("q quits", "q — выход"),
        8,
    );
    let arrows = Key::new(
        lang.pick("↑↓ move", "↑↓ выбор"),
        lang.pick("↑↓ move", "↑↓ выбор"),
        4,
    );
    match kind {
        QuestionType::Multiple => vec![
            arrows,
            Key::new(
                lang.pick("letter or space ticks", "буква или пробел отмечает"),
                lang.pick("letter ticks", "буква — отметить"),
                7,
            ),
            submit,
            quit,
        ],
        QuestionType::Order => vec![
            Key::new(
                lang.pick(
                    "letters or space pick the next in order",
                    "буквы или пробел выбирают следующий по порядку",
                ),
                lang.pick("letters pick in order", "буквы — по порядку"),
                7,
            ),
            Key::new(
                lang.pick("Backspace undoes", "Backspace — отменить"),
                lang.pick("Backspace undoes", "Backspace — отмена"),
                5,
            ),
            submit,
            quit,
        ],
        QuestionType::Short | QuestionType::Fill => Vec::new(),
        QuestionType::Single | QuestionType::TrueFalse => vec![
            arrows,
            Key::new(
                lang.pick("letter or space picks", "буква или пробел выбирает"),
                lang.pick("letter picks", "буква — выбрать"),
                7,
            ),
            submit,
            quit,
        ],
    }
}

/// How a typed answer is given (in a pipe, line by line).
fn typed_how(kind: QuestionType, lang: Lang) -> &'static str {
    match kind {
        QuestionType::Single => lang.pick("Type one letter.", "Введите одну букву."),
        QuestionType::Multiple => lang.pick(
            "Type every right letter, like `A C`.",
            "Введите все верные буквы, например `A C`.",
        ),
        QuestionType::Order => lang.pick(
            "Type the letters in order, like `C A B`.",
            "Введите буквы по порядку, например `C A B`.",
        ),
        QuestionType::TrueFalse => {
            lang.pick("Type true or false.", "Введите «верно» или «неверно».")
        }
        QuestionType::Short => lang.pick("Type the answer.", "Введите ответ."),
        QuestionType::Fill => lang.pick(
            "Answer each blank in turn.",
            "Заполните пропуски по очереди.",
        ),
    }
}

/// The legend's entry for a question longer than the screen.
pub fn scroll_key(window: layout::Window, lang: Lang) -> Key {
    let layout::Window { first, last, total } = window;
    Key::new(
        lang.pick(
            format!("PgUp PgDn scroll {first}–{last}/{total}"),
            format!("PgUp PgDn прокрутка {first}–{last}/{total}"),
        ),
        format!("PgUp PgDn {first}–{last}/{total}"),
        6,
    )
}

/// The legend while an answer is typed in a terminal.
pub fn typing_keys(lang: Lang) -> Vec<Key> {
    vec![
        Key::new(
            lang.pick("Enter submits", "Enter — ответить"),
            lang.pick("Enter submits", "Enter — ответ"),
            9,
        ),
        Key::new(
            lang.pick("Esc leaves the quiz", "Esc — выйти из квиза"),
            lang.pick("Esc leaves", "Esc — выход"),
            8,
        ),
    ]
}

/// The legend while "submit this answer?" waits.
pub fn submit_keys(lang: Lang) -> Vec<Key> {
    vec![
        Key::new(
            lang.pick("y submits", "д или y — ответить"),
            lang.pick("y submits", "д/y — ответить"),
            9,
        ),
        Key::new(
            lang.pick(
                "any other key changes it",
                "любая другая клавиша — изменить",
            ),
            lang.pick("other: change", "другая — изменить"),
            8,
        ),
    ]
}

/// The legend while "leave the quiz?" waits.
pub fn leave_keys(lang: Lang) -> Vec<Key> {
    vec![
        Key::new(
            lang.pick("y leaves", "д или y — выйти"),
            lang.pick("y leaves", "д/y — выйти"),
            9,
        ),
        Key::new(
            lang.pick("any other key stays", "любая другая клавиша — остаться"),
            lang.pick("other: stay", "другая — остаться"),
            8,
        ),
    ]
}

/// The prompt for a typed answer.
pub fn answer_prompt(lang: Lang) -> String {
    format!("{} > ", lang.pick("Answer", "Ответ"))
}

/// The prompt for one blank of a fill-in question.
pub fn blank_prompt(id: &str) -> String {
    format!("{BLANK_PREFIX}{id}{BLANK_SUFFIX} > ")
}

/// A blank of a fill-in question already answered, above the next prompt.
pub fn blank_given(id: &str, given: &str) -> String {
    format!("{BLANK_PREFIX}{id}{BLANK_SUFFIX} = {given}")
}

/// The question before leaving the quiz (the legend gives the keys).
pub fn leave_question(lang: Lang) -> &'static str {
    lang.pick(
        "Leave the quiz? Your answers are not saved or scored.",
        "Выйти из квиза? Ответы не сохранятся и не будут оценены.",
    )
}

/// The question before an answer counts (the legend gives the keys).
pub fn submit_question(lang: Lang) -> &'static str {
    lang.pick("Submit this answer?", "Ответить так?")
}

/// Enter before the answer is complete.
pub fn incomplete(kind: QuestionType, lang: Lang) -> &'static str {
    if kind == QuestionType::Order {
        lang.pick(
            "Put every option in order first.",
            "Сначала расставьте все варианты.",
        )
    } else {
        lang.pick("Pick an answer first.", "Сначала выберите ответ.")
    }
}

/// A letter that names no option.
pub fn not_an_option(c: char, lang: Lang) -> String {
    lang.pick(
        format!("`{c}` is not an option here."),
        format!("`{c}` — здесь нет такого варианта."),
    )
}

/// After leaving the quiz with q or Esc.
pub fn left(lang: Lang) -> &'static str {
    lang.pick(
        "You left the quiz; nothing was saved or scored.",
        "Вы вышли из квиза; ничего не сохранено и не оценено.",
    )
}

/// After Ctrl-C in the quiz.
pub fn interrupted(lang: Lang) -> &'static str {
    lang.pick(
        "Interrupted: the quiz was left, nothing was saved or scored.",
        "Прервано: квиз остановлен, ничего не сохранено и не оценено.",
    )
}

/// Before the questions, when answering from a pipe.
pub fn typed_intro(lang: Lang) -> &'static str {
    lang.pick(
        "Answer each question on one line; an empty line skips it.",
        "Отвечайте на каждый вопрос одной строкой; пустая строка — пропустить.",
    )
}

/// How an answer reads, with the letters shown in this attempt. What the
/// student typed, or wrote in an answer file, is shown through
/// [`sanitize::inline`]: it cannot start a line, move the cursor or pass for a
/// CI command.
pub fn describe(result: &QuestionResult<'_>, answer: &Answer, lang: Lang) -> String {
    let q = result.question;
    let shown = |id: &str| -> String {
        let Some(index) = q.options.iter().position(|o| o.id == id) else {
            return format!("`{}`", sanitize::inline(id));
        };
        let position = result
            .order
            .iter()
            .position(|&i| i == index)
            .unwrap_or(index);
        format!("{}) {}", letter(position), q.options[index].text.get(lang))
    };
    match answer {
        Answer::Truth(t) => truth_labels(lang)[usize::from(!*t)].to_owned(),
        Answer::One(text) if q.kind == QuestionType::Single => shown(text),
        Answer::One(text) => format!("`{}`", sanitize::inline(text)),
        Answer::Many(ids) if ids.is_empty() => lang.pick("nothing", "ничего").to_owned(),
        Answer::Many(ids) if q.kind == QuestionType::Multiple => {
            // A set: list it in the order the options were shown.
            let mut positions: Vec<(usize, &String)> = ids
                .iter()
                .map(|id| {
                    let index = q
                        .options
                        .iter()
                        .position(|o| &o.id == id)
                        .unwrap_or(usize::MAX);
                    (
                        result
                            .order
                            .iter()
                            .position(|&i| i == index)
                            .unwrap_or(usize::MAX),
                        id,
                    )
                })
                .collect();
            positions.sort();
            positions
                .iter()
                .map(|(_, id)| shown(id))
                .collect::<Vec<_>>()
                .join(", ")
        }
        Answer::Many(ids) => ids
            .iter()
            .map(|id| shown(id))
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Blanks(map) => q
            .blanks
            .iter()
            .map(|b| {
                format!(
                    "{BLANK_PREFIX}{}{BLANK_SUFFIX} = `{}`",
                    b.id,
                    sanitize::inline(map.get(&b.id).map_or("", String::as_str))
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The right answer, as the student would have given it; `None` where it cannot
/// be shown as one answer (a regular expression) or is sealed (a student edition).
pub fn right_answer(question: &Question) -> Option<Answer> {
    if question.is_sealed() {
        return None;
    }
    match (question.kind, &question.correct) {
        (QuestionType::Single, Some(Correct::One(id))) => Some(Answer::One(id.clone())),
        (QuestionType::Multiple, Some(Correct::Many(ids))) => Some(Answer::Many(ids.clone())),
        (QuestionType::TrueFalse, Some(Correct::Truth(t))) => Some(Answer::Truth(*t)),
        (QuestionType::Short, _) if question.matching == Some(Matching::Regex) => None,
        (QuestionType::Short, _) => question.answers.shown().map(|a| Answer::One(a.to_owned())),
        (QuestionType::Fill, _) => Some(Answer::Blanks(
            question
                .blanks
                .iter()
                .map(|b| (b.id.clone(), b.shown().unwrap_or_default().to_owned()))
                .collect(),
        )),
        (QuestionType::Order, _) => Some(Answer::Many(
            question.options.iter().map(|o| o.id.clone()).collect(),
        )),
        _ => None,
    }
}

/// What happened to the hand-in file after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandIn<'a> {
    /// The attempt was written to `path`.
    Saved {
        /// The file, relative to the course.
        path: &'a str,
    },
    /// The answers already in `path` are better (or this attempt answered
    /// nothing): they were kept, and this attempt was not written.
    Kept {
        /// The file, relative to the course.
        path: &'a str,
        /// The kept answers' score, in percent.
        percent: u32,
    },
}

/// Renders the result of an attempt: score, verdict, and for each answer that
/// was not right, the right one, why, and the lesson step to reread. `seeded`
/// says whether the attempt was drawn with a seed (an answers file may have
/// none).
pub fn result(
    course: &Course,
    module: &Module,
    outcome: &Outcome<'_>,
    hand_in: Option<HandIn<'_>>,
    seeded: bool,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let bank_title = course.bank_of(module).map_or("", |b| b.title.get(lang));
    let _ = writeln!(
        out,
        "{}",
        style::heading(&format!("{}: {bank_title}", lang.pick("Quiz", "Квиз")))
    );
    let verdict = if outcome.passed() {
        style::good(lang.pick("PASSED", "СДАН"))
    } else {
        style::bad(lang.pick("NOT PASSED", "НЕ СДАН"))
    };
    let (score, max, percent) = (
        points(outcome.score),
        points(outcome.max),
        style::percent_of(outcome.score, outcome.max),
    );
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            format!(
                "Score: {score} of {max} points ({percent}%) · pass mark {}% · {verdict}",
                outcome.pass_percent
            ),
            format!(
                "Результат: {score} из {max} баллов ({percent}%) · порог {}% · {verdict}",
                outcome.pass_percent
            ),
        )
    );
    let (done, total) = ((outcome.score * 10.0).round(), (outcome.max * 10.0).round());
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "scores are small and non-negative"
    )]
    let bar = style::bar(done as usize, total as usize, 30);
    let _ = writeln!(out, "{bar}");
    // An answers file without a seed was marked without one: no seed to show.
    if seeded {
        let _ = writeln!(
            out,
            "{}",
            style::dim(&lang.pick(
                format!(
                    "Seed {} (the same seed gives the same questions in the same order)",
                    outcome.seed
                ),
                format!(
                    "Зерно {} (с тем же зерном — те же вопросы в том же порядке)",
                    outcome.seed
                ),
            ))
        );
    }

    let wrong: Vec<(usize, &QuestionResult<'_>)> = outcome
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_right())
        .collect();
    if wrong.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style::good(lang.pick("Every answer is right.", "Все ответы верны."))
        );
    } else {
        let _ = writeln!(
            out,
            "\n{}",
            style::heading(lang.pick("To review", "Что повторить"))
        );
    }
    for (index, r) in wrong {
        review(&mut out, course, index, r, lang);
    }
    let right = outcome.results.iter().filter(|r| r.is_right()).count();
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            format!("{right} of {} answers right.", outcome.results.len()),
            format!("Верных ответов: {right} из {}.", outcome.results.len()),
        )
    );
    hand_in_note(&mut out, hand_in, lang);
    out
}

/// Where the answers for hand-in are, after an attempt.
fn hand_in_note(out: &mut String, hand_in: Option<HandIn<'_>>, lang: Lang) {
    match hand_in {
        Some(HandIn::Saved { path }) => {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    format!("Your answers are saved in {path}: commit it to hand in the quiz."),
                    format!("Ваши ответы сохранены в {path}: закоммитьте файл, чтобы сдать квиз."),
                )
            );
        }
        Some(HandIn::Kept { path, percent }) => {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    format!(
                        "The answers already in {path} score {percent}%, better than this attempt: they were kept for the hand-in, and this attempt was not saved there (it is in your progress)."
                    ),
                    format!(
                        "Ответы, уже сохранённые в {path}, дают {percent}% — больше, чем эта попытка: для сдачи оставлены они, а эта попытка туда не записана (она есть в вашем прогрессе)."
                    ),
                )
            );
        }
        None => {}
    }
}

/// One answer that was not right: what was given, the right answer, why, and
/// the lesson step to reread.
fn review(out: &mut String, course: &Course, index: usize, r: &QuestionResult<'_>, lang: Lang) {
    let mark = if r.is_partial() {
        style::warn("◐")
    } else {
        style::bad("✗")
    };
    let first_line = r
        .question
        .prompt
        .get(lang)
        .lines()
        .next()
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{mark} {}. {first_line}  {}",
        index + 1,
        style::dim(&format!("{}/{}", points(r.earned), points(r.points)))
    );
    let given = r.answer.as_ref().map_or_else(
        || lang.pick("no answer", "нет ответа").to_owned(),
        |a| describe(r, a, lang),
    );
    let _ = writeln!(
        out,
        "    {}: {given}",
        lang.pick("Your answer", "Ваш ответ")
    );
    if let Some(right) = right_answer(r.question) {
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick("Right answer", "Верный ответ"),
            describe(r, &right, lang)
        );
    } else if r.question.is_sealed() {
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick("Right answer", "Верный ответ"),
            style::dim(lang.pick(
                "not shown in the student edition; reread the step below",
                "в студенческой версии не показывается; перечитайте шаг ниже",
            ))
        );
    }
    let _ = writeln!(
        out,
        "    {}: {}",
        lang.pick("Why", "Почему"),
        r.question.explanation.get(lang).trim_end()
    );
    let (lesson, step) = r
        .question
        .teaches
        .split_once('#')
        .unwrap_or((&r.question.teaches, ""));
    let place = course
        .step(&r.question.teaches)
        .map(|s| format!(" ({} · {})", s.section.title(lang), s.step.title.get(lang)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "    {}: {}{}",
        lang.pick("Reread", "Перечитайте"),
        style::code(&format!("workbook lesson {lesson} --step {step}")),
        style::dim(&place)
    );
}

/// Points without a trailing `.0`: `7.5`, `8`.
fn points(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract().abs() < f64::EPSILON {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}
