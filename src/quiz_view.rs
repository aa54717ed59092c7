//! The quiz in a terminal: one question at a time, options picked with arrow
//! keys or letters, every answer confirmed before it counts, and keys typed
//! ahead thrown away between questions so one press never answers two.
//!
//! Each screen is one [`Frame`] for the terminal's size: the question's
//! header on top, the prompt re-wrapped to the width, notes and the line being
//! typed above a key legend that fits; a resize draws again at once. Ctrl-C
//! leaves at once (exit 130); q and Esc ask first.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};

use crate::course::bank::QuestionType;
use crate::error::Error;
use crate::lang::Lang;
use crate::quiz::input::{self, letter_index, option_count};
use crate::quiz::{Answer, Attempt, Drawn};
use crate::screens::layout::{self, Key};
use crate::screens::quiz::{self as screen, Mode};
use crate::style;
use crate::term::{Edit, Frame, Input, LineInput, Terminal, is_ctrl_c};

/// How the quiz ended.
pub enum Ending {
    /// Every question was answered (or skipped): the answers by question id.
    Finished(BTreeMap<String, Answer>),
    /// The student left before the end (and confirmed it); nothing is saved.
    Quit,
    /// Ctrl-C: left at once; nothing is saved.
    Interrupted,
}

/// Runs an attempt in `terminal`.
pub fn run(
    attempt: &Attempt<'_>,
    lang: Lang,
    terminal: &mut dyn Terminal,
) -> Result<Ending, Error> {
    let mut answers = BTreeMap::new();
    let total = attempt.questions.len();
    for (index, drawn) in attempt.questions.iter().enumerate() {
        let mut asking = Asking {
            drawn,
            number: index + 1,
            total,
            lang,
            cursor: 0,
            chosen: Vec::new(),
            input: LineInput::default(),
            given: Vec::new(),
            notes: Vec::new(),
            confirm: None,
            scroll: 0,
            follow: true,
        };
        match asking.ask(terminal)? {
            Step::Answer(answer) => {
                answers.insert(drawn.question.id.clone(), answer);
            }
            Step::Quit => return Ok(Ending::Quit),
            Step::Interrupted => return Ok(Ending::Interrupted),
        }
        terminal.discard_pending()?;
    }
    Ok(Ending::Finished(answers))
}

enum Step {
    Answer(Answer),
    Quit,
    Interrupted,
}

/// A yes/no question waiting for its key.
enum Confirm {
    Submit(Answer),
    Leave,
}

/// One question being answered.
struct Asking<'a, 'b> {
    drawn: &'a Drawn<'b>,
    number: usize,
    total: usize,
    lang: Lang,
    /// The highlighted option.
    cursor: usize,
    /// The picked options' positions, in order.
    chosen: Vec<usize>,
    /// The line being typed (short answers and blanks).
    input: LineInput,
    /// The blanks of a fill-in question answered so far.
    given: Vec<(String, String)>,
    notes: Vec<String>,
    confirm: Option<Confirm>,
    scroll: usize,
    /// Whether the view follows the highlighted option (until Page Up or Page Down).
    follow: bool,
}

impl Asking<'_, '_> {
    fn typed(&self) -> bool {
        matches!(
            self.drawn.question.kind,
            QuestionType::Short | QuestionType::Fill
        )
    }

    fn ask(&mut self, terminal: &mut dyn Terminal) -> Result<Step, Error> {
        loop {
            terminal.draw(&self.frame(terminal.size()))?;
            let Some(Input::Key(key)) = terminal.read(None)? else {
                continue;
            };
            if let Some(step) = self.key(key) {
                return Ok(step);
            }
        }
    }

    /// The screen for a terminal of `width` × `height`.
    fn frame(&mut self, (width, height): (usize, usize)) -> Frame {
        let lang = self.lang;
        let drawn = self.drawn;
        let header = style::dim(&layout::truncate(
            &screen::question_header(drawn, self.number, self.total, lang),
            width,
        ));
        let mode = Mode::Keys {
            cursor: self.cursor,
            chosen: &self.chosen,
        };
        let body = layout::fit(&screen::question_body(drawn, mode, lang), width);
        let mut footer: Vec<String> = self
            .notes
            .iter()
            .flat_map(|note| layout::fit(&style::warn(note), width))
            .collect();
        let mut cursor = None;
        // A typed answer stays in view while it is confirmed.
        if self.typed() {
            for (id, given) in &self.given {
                footer.extend(layout::fit(&screen::blank_given(id, given), width));
            }
            let kind = drawn.question.kind;
            let prompt = match (kind, drawn.question.blanks.get(self.given.len())) {
                (QuestionType::Fill, Some(blank)) => Some(screen::blank_prompt(&blank.id)),
                (QuestionType::Fill, None) => None,
                _ => Some(screen::answer_prompt(lang)),
            };
            // While a question waits, a short answer stays shown; a blank's
            // prompt does not.
            let waiting = self.confirm.is_some();
            if let Some(prompt) = prompt.filter(|_| !waiting || kind == QuestionType::Short) {
                let (line, column) = self.input.line(&prompt, width);
                footer.push(line);
                cursor = (!waiting).then(|| (column, height.saturating_sub(2)));
            }
        }
        let keys: Vec<Key> = match &self.confirm {
            Some(Confirm::Submit(_)) => {
                footer.extend(layout::fit(
                    &style::heading(screen::submit_question(lang)),
                    width,
                ));
                screen::submit_keys(lang)
            }
            Some(Confirm::Leave) => {
                footer.extend(layout::fit(
                    &style::heading(screen::leave_question(lang)),
                    width,
                ));
                screen::leave_keys(lang)
            }
            None if self.typed() => screen::typing_keys(lang),
            None => screen::question_keys(drawn.question.kind, lang),
        };
        // A question longer than the screen scrolls to keep the highlighted
        // option in view; PgUp and PgDn scroll by hand.
        let room = height.saturating_sub(2 + footer.len()).max(1);
        if self.follow
            && let Some(at) = body
                .iter()
                .position(|line| layout::visible(line).starts_with('›'))
        {
            self.scroll = self.scroll.min(at).max((at + 1).saturating_sub(room));
        }
        let lines = layout::compose(header, &body, &mut self.scroll, footer, height, |window| {
            let mut keys = keys;
            if let Some(w) = window {
                keys.push(screen::scroll_key(w, lang));
            }
            style::dim(&layout::legend(&keys, width.saturating_sub(1)))
        });
        Frame { lines, cursor }
    }

    /// Applies a key; `Some` when the question is done with.
    fn key(&mut self, key: KeyEvent) -> Option<Step> {
        if is_ctrl_c(key) {
            return Some(Step::Interrupted);
        }
        if let Some(confirm) = self.confirm.take() {
            let yes = matches!(key.code, KeyCode::Char('y' | 'Y' | 'д' | 'Д'));
            return match (confirm, yes) {
                (Confirm::Submit(answer), true) => Some(Step::Answer(answer)),
                (Confirm::Leave, true) => Some(Step::Quit),
                // "Change it": a fill-in question starts again at its first blank.
                (Confirm::Submit(_), false) => {
                    self.given.clear();
                    None
                }
                (Confirm::Leave, false) => None,
            };
        }
        self.notes.clear();
        match key.code {
            KeyCode::PageDown => {
                self.scroll += 3;
                self.follow = false;
                return None;
            }
            KeyCode::PageUp => {
                self.scroll = self.scroll.saturating_sub(3);
                self.follow = false;
                return None;
            }
            _ => self.follow = true,
        }
        if self.typed() {
            self.type_key(key);
        } else {
            self.pick_key(key);
        }
        None
    }

    /// A key on a question answered by typing.
    fn type_key(&mut self, key: KeyEvent) {
        let line = match self.input.key(key) {
            Edit::Typing => return,
            Edit::Cancel | Edit::Interrupt => {
                self.confirm = Some(Confirm::Leave);
                return;
            }
            Edit::Submit(line) => line,
        };
        let drawn = self.drawn;
        if drawn.question.kind == QuestionType::Fill {
            if let Some(blank) = drawn.question.blanks.get(self.given.len()) {
                self.given.push((blank.id.clone(), line.trim().to_owned()));
            }
            if self.given.len() == drawn.question.blanks.len() {
                self.confirm = Some(Confirm::Submit(input::blanks(self.given.clone())));
            }
            return;
        }
        // The text stays: shown while confirming, and there to edit after "change it".
        self.input.text.clone_from(&line);
        match input::parse(drawn, &line, self.lang) {
            Ok(answer) => self.confirm = Some(Confirm::Submit(answer)),
            Err(message) => self.notes.push(message),
        }
    }

    /// A key on a question with options: move, pick, submit.
    fn pick_key(&mut self, key: KeyEvent) {
        let count = option_count(self.drawn);
        let kind = self.drawn.question.kind;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.confirm = Some(Confirm::Leave),
            KeyCode::Up => self.cursor = self.cursor.checked_sub(1).unwrap_or(count - 1),
            KeyCode::Down | KeyCode::Tab => self.cursor = (self.cursor + 1) % count,
            KeyCode::Char(' ') => self.pick(self.cursor),
            KeyCode::Backspace => {
                self.chosen.pop();
            }
            KeyCode::Enter => {
                let complete = match kind {
                    QuestionType::Order => self.chosen.len() == count,
                    _ => !self.chosen.is_empty(),
                };
                if !complete {
                    self.notes
                        .push(screen::incomplete(kind, self.lang).to_owned());
                    return;
                }
                let mut positions = self.chosen.clone();
                if kind == QuestionType::Multiple {
                    positions.sort_unstable();
                }
                if let Some(answer) = input::from_positions(self.drawn, &positions) {
                    self.confirm = Some(Confirm::Submit(answer));
                }
            }
            KeyCode::Char(c) => match letter_index(c).filter(|p| *p < count) {
                Some(position) => {
                    self.cursor = position;
                    self.pick(position);
                }
                None => self.notes.push(screen::not_an_option(c, self.lang)),
            },
            _ => {}
        }
    }

    fn pick(&mut self, position: usize) {
        match self.drawn.question.kind {
            QuestionType::Multiple => {
                if let Some(i) = self.chosen.iter().position(|p| *p == position) {
                    self.chosen.remove(i);
                } else {
                    self.chosen.push(position);
                }
            }
            QuestionType::Order => {
                if !self.chosen.contains(&position) {
                    self.chosen.push(position);
                }
            }
            _ => self.chosen = vec![position],
        }
    }
}
