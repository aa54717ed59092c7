//! The quiz in a terminal: one question at a time, options picked with arrow
//! keys or letters, every answer confirmed before it counts, and keys typed
//! ahead thrown away between questions so one press never answers two.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crossterm::event::{KeyCode, KeyModifiers};

use crate::course::bank::QuestionType;
use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX};
use crate::error::Error;
use crate::lang::Lang;
use crate::quiz::input::{self, letter_index, option_count};
use crate::quiz::{Answer, Attempt, Drawn};
use crate::screens::quiz::{Mode, question};
use crate::style;
use crate::term::{TerminalGuard, discard_pending_keys, read_key, read_line, wrap};

/// How the quiz ended.
pub enum Ending {
    /// Every question was answered (or skipped): the answers by question id.
    Finished(BTreeMap<String, Answer>),
    /// The student left before the end; nothing is saved.
    Quit,
}

/// Runs an attempt in the terminal.
pub fn run(attempt: &Attempt<'_>, lang: Lang) -> Result<Ending, Error> {
    let _guard = TerminalGuard::enter()?;
    let mut answers = BTreeMap::new();
    let total = attempt.questions.len();
    for (index, drawn) in attempt.questions.iter().enumerate() {
        let answer = match drawn.question.kind {
            QuestionType::Short | QuestionType::Fill => typed(drawn, index + 1, total, lang)?,
            _ => picked(drawn, index + 1, total, lang)?,
        };
        match answer {
            Step::Answer(answer) => {
                answers.insert(drawn.question.id.clone(), answer);
            }
            Step::Quit => return Ok(Ending::Quit),
        }
        discard_pending_keys()?;
    }
    Ok(Ending::Finished(answers))
}

enum Step {
    Answer(Answer),
    Quit,
}

fn draw(text: &str, notes: &[String]) -> Result<(), Error> {
    let (width, _) = crate::term::size();
    let lines: Vec<String> = text.lines().flat_map(|l| wrap(l, width)).collect();
    crate::term::redraw(lines.iter().map(String::as_str))?;
    let mut out = io::stdout().lock();
    for note in notes {
        write!(out, "\r\n{}\r\n", style::warn(note))?;
    }
    out.flush()?;
    Ok(())
}

/// Asks a yes/no question on the screen; `y` (or `д`) is yes, anything else no.
fn confirm(prompt: &str) -> Result<bool, Error> {
    let mut out = io::stdout().lock();
    write!(out, "\r\n{}", style::heading(prompt))?;
    out.flush()?;
    drop(out);
    let key = read_key()?;
    Ok(matches!(key.code, KeyCode::Char('y' | 'Y' | 'д' | 'Д')))
}

fn quit_confirmed(lang: Lang) -> Result<bool, Error> {
    confirm(lang.pick(
        "Leave the quiz? Your answers are not saved or scored. y — leave, any other key — stay",
        "Выйти из квиза? Ответы не сохранятся и не будут оценены. д или y — выйти, любая другая клавиша — остаться",
    ))
}

fn submit_confirmed(lang: Lang) -> Result<bool, Error> {
    confirm(lang.pick(
        "Submit this answer? y — submit, any other key — change it",
        "Ответить так? д или y — ответить, любая другая клавиша — изменить",
    ))
}

/// A question with options: move, pick, confirm.
fn picked(drawn: &Drawn<'_>, number: usize, total: usize, lang: Lang) -> Result<Step, Error> {
    let count = option_count(drawn);
    let kind = drawn.question.kind;
    let mut cursor = 0;
    let mut chosen: Vec<usize> = Vec::new();
    let mut notes = Vec::new();
    loop {
        let mode = Mode::Keys {
            cursor,
            chosen: &chosen,
        };
        draw(&question(drawn, number, total, mode, lang), &notes)?;
        notes.clear();
        let key = read_key()?;
        let mut pick = |position: usize| match kind {
            QuestionType::Multiple => {
                if let Some(i) = chosen.iter().position(|p| *p == position) {
                    chosen.remove(i);
                } else {
                    chosen.push(position);
                }
            }
            QuestionType::Order => {
                if !chosen.contains(&position) {
                    chosen.push(position);
                }
            }
            _ => chosen = vec![position],
        };
        let ctrl_c =
            key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        if ctrl_c || matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) {
            if quit_confirmed(lang)? {
                return Ok(Step::Quit);
            }
            continue;
        }
        match key.code {
            KeyCode::Up => cursor = cursor.checked_sub(1).unwrap_or(count - 1),
            KeyCode::Down | KeyCode::Tab => cursor = (cursor + 1) % count,
            KeyCode::Char(' ') => pick(cursor),
            KeyCode::Backspace => {
                chosen.pop();
            }
            KeyCode::Enter => {
                let complete = match kind {
                    QuestionType::Order => chosen.len() == count,
                    _ => !chosen.is_empty(),
                };
                if !complete {
                    notes.push(
                        if kind == QuestionType::Order {
                            lang.pick(
                                "Put every option in order first.",
                                "Сначала расставьте все варианты.",
                            )
                        } else {
                            lang.pick("Pick an answer first.", "Сначала выберите ответ.")
                        }
                        .to_owned(),
                    );
                    continue;
                }
                let mode = Mode::Keys {
                    cursor,
                    chosen: &chosen,
                };
                draw(&question(drawn, number, total, mode, lang), &[])?;
                if submit_confirmed(lang)? {
                    let mut positions = chosen.clone();
                    if kind == QuestionType::Multiple {
                        positions.sort_unstable();
                    }
                    if let Some(answer) = input::from_positions(drawn, &positions) {
                        return Ok(Step::Answer(answer));
                    }
                }
            }
            KeyCode::Char(c) => match letter_index(c).filter(|p| *p < count) {
                Some(position) => {
                    cursor = position;
                    pick(position);
                }
                None => notes.push(lang.pick(
                    format!("`{c}` is not an option here."),
                    format!("`{c}` — здесь нет такого варианта."),
                )),
            },
            _ => {}
        }
    }
}

/// A question answered by typing: the whole answer, or each blank in turn.
fn typed(drawn: &Drawn<'_>, number: usize, total: usize, lang: Lang) -> Result<Step, Error> {
    let mut notes: Vec<String> = Vec::new();
    loop {
        let screen = question(
            drawn,
            number,
            total,
            Mode::Keys {
                cursor: 0,
                chosen: &[],
            },
            lang,
        );
        let answer = if drawn.question.kind == QuestionType::Fill {
            let mut pairs = Vec::new();
            for blank in &drawn.question.blanks {
                draw(&screen, &notes)?;
                notes.clear();
                for (name, given) in &pairs {
                    let mut out = io::stdout().lock();
                    write!(out, "\r\n{BLANK_PREFIX}{name}{BLANK_SUFFIX} = {given}")?;
                }
                let prompt = format!("{BLANK_PREFIX}{}{BLANK_SUFFIX} > ", blank.id);
                let Some(line) = read_line(&prompt, lang)? else {
                    if quit_confirmed(lang)? {
                        return Ok(Step::Quit);
                    }
                    break;
                };
                pairs.push((blank.id.clone(), line.trim().to_owned()));
            }
            if pairs.len() < drawn.question.blanks.len() {
                continue;
            }
            input::blanks(pairs)
        } else {
            draw(&screen, &notes)?;
            notes.clear();
            let prompt = format!("{} > ", lang.pick("Answer", "Ответ"));
            let Some(line) = read_line(&prompt, lang)? else {
                if quit_confirmed(lang)? {
                    return Ok(Step::Quit);
                }
                continue;
            };
            match input::parse(drawn, &line, lang) {
                Ok(answer) => answer,
                Err(message) => {
                    notes.push(message);
                    continue;
                }
            }
        };
        if submit_confirmed(lang)? {
            return Ok(Step::Answer(answer));
        }
    }
}
