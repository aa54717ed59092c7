//! The interactive lesson viewer: one step at a time in a terminal.
//!
//! Keys: → n space next, ← p back, ↑↓ j k scroll, a answer blanks, r reveal
//! an answer, s show the solution, l switch language, q Esc quit. Every step shown
//! is recorded at once, so quitting any way (even closing the terminal) resumes
//! at the same step next time. The terminal is restored by a guard on every exit
//! path, panics included.

use std::fmt::Write as _;
use std::io::{self, Write};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use crossterm::{cursor, execute};

use crate::course::lesson::{BLANK_PREFIX, BLANK_SUFFIX};
use crate::course::{Course, SectionKind, StepRef};
use crate::error::Error;
use crate::lang::Lang;
use crate::screens;
use crate::screens::lesson::{Reader, StepScreen, step};
use crate::store::Store;
use crate::style;
use crate::term::{TerminalGuard, read_key, read_line, wrap};

/// What the student did on the last key.
enum Action {
    Next,
    Back,
    ScrollDown,
    ScrollUp,
    Answer,
    Reveal,
    Solution,
    Language,
    Quit,
    Nothing,
}

fn action(key: KeyEvent) -> Action {
    if key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c' | 'd'))
    {
        return Action::Quit;
    }
    match key.code {
        KeyCode::Right | KeyCode::Char('n' | ' ') | KeyCode::Enter | KeyCode::PageDown => {
            Action::Next
        }
        KeyCode::Left | KeyCode::Char('p') | KeyCode::Backspace | KeyCode::PageUp => Action::Back,
        KeyCode::Down | KeyCode::Char('j') => Action::ScrollDown,
        KeyCode::Up | KeyCode::Char('k') => Action::ScrollUp,
        KeyCode::Char('a') => Action::Answer,
        KeyCode::Char('r') => Action::Reveal,
        KeyCode::Char('s') => Action::Solution,
        KeyCode::Char('l') => Action::Language,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        _ => Action::Nothing,
    }
}

/// Where the viewer ended, for the line printed after it closes.
pub struct Outcome {
    /// The index of the step the student left on.
    pub index: usize,
    /// The language at the end (the student may have switched).
    pub lang: Lang,
}

/// Runs the viewer on `steps`, starting at `start`.
pub async fn run(
    course: &Course,
    store: &Store,
    steps: &[StepRef<'_>],
    start: usize,
    lang: Lang,
) -> Result<Outcome, Error> {
    let _guard = TerminalGuard::enter()?;
    let mut viewer = Viewer {
        course,
        store,
        steps,
        index: start,
        lang,
        scroll: 0,
        notes: Vec::new(),
    };
    viewer.visit().await?;
    loop {
        let mut snapshot = store.snapshot().await?;
        viewer.draw(&snapshot)?;
        match action(read_key()?) {
            Action::Quit => break,
            Action::Next if viewer.index + 1 < steps.len() => {
                viewer.index += 1;
                viewer.visit().await?;
            }
            Action::Next => viewer.notes.push(lang_pair(
                viewer.lang,
                "This is the last step of the lesson. q quits.",
                "Это последний шаг урока. q — выход.",
            )),
            Action::Back if viewer.index > 0 => {
                viewer.index -= 1;
                viewer.visit().await?;
            }
            Action::Back => viewer.notes.push(lang_pair(
                viewer.lang,
                "This is the first step.",
                "Это первый шаг.",
            )),
            Action::ScrollDown => viewer.scroll += 3,
            Action::ScrollUp => viewer.scroll = viewer.scroll.saturating_sub(3),
            Action::Answer => {
                viewer.answer(&mut snapshot).await?;
            }
            Action::Reveal => viewer.reveal(&snapshot).await?,
            Action::Solution => viewer.solution().await?,
            Action::Language => viewer.lang = viewer.lang.pick(Lang::Ru, Lang::En),
            Action::Nothing => {}
        }
    }
    Ok(Outcome {
        index: viewer.index,
        lang: viewer.lang,
    })
}

/// What revealing a sealed blank (a student edition) says instead, in English and Russian.
pub(crate) const SEALED_BLANK: (&str, &str) = (
    "The student edition does not show blank answers: reread the step, or answer with the hint after a wrong try.",
    "В студенческой версии ответы на пропуски не показываются: перечитайте шаг или ответьте с подсказкой после неверной попытки.",
);

fn lang_pair(lang: Lang, en: &str, ru: &str) -> String {
    lang.pick(en, ru).to_owned()
}

struct Viewer<'a> {
    course: &'a Course,
    store: &'a Store,
    steps: &'a [StepRef<'a>],
    index: usize,
    lang: Lang,
    scroll: usize,
    /// Messages under the step until the next key.
    notes: Vec<String>,
}

impl<'a> Viewer<'a> {
    fn current(&self) -> StepRef<'a> {
        self.steps[self.index]
    }

    async fn visit(&mut self) -> Result<(), Error> {
        self.scroll = 0;
        let at = self.current();
        self.store.visit_step(&at.lesson.id, &at.step.id).await?;
        Ok(())
    }

    fn draw(&mut self, snapshot: &crate::store::Snapshot) -> Result<(), Error> {
        let at = self.current();
        let show_solution = snapshot.solutions_revealed.contains(&at.lesson.id);
        let body = step(StepScreen {
            course: self.course,
            steps: self.steps,
            index: self.index,
            snapshot,
            lang: self.lang,
            show_solution,
            reader: Reader::Viewer,
        });
        let (width, height) = crate::term::size();
        let mut lines: Vec<String> = body.lines().flat_map(|l| wrap(l, width)).collect();
        for note in self.notes.drain(..) {
            lines.push(String::new());
            lines.extend(wrap(&style::warn(&note), width));
        }
        let room = height - 2;
        let max_scroll = lines.len().saturating_sub(room);
        self.scroll = self.scroll.min(max_scroll);
        let shown = &lines[self.scroll..(self.scroll + room).min(lines.len())];

        crate::term::redraw(shown.iter().map(String::as_str))?;
        let mut out = io::stdout().lock();
        let scrolled =
            (max_scroll > 0).then(|| (self.scroll + 1, self.scroll + shown.len(), lines.len()));
        let keys = screens::lesson::keys(self.lang, scrolled);
        let row = u16::try_from(height - 1).unwrap_or(u16::MAX);
        execute!(out, cursor::MoveTo(0, row))?;
        write!(out, "{}", style::dim(&keys))?;
        out.flush()?;
        Ok(())
    }

    /// Asks for each blank of the step not yet answered; a wrong answer may be retried.
    async fn answer(&mut self, snapshot: &mut crate::store::Snapshot) -> Result<(), Error> {
        let at = self.current();
        let lesson = &at.lesson.id;
        let pending: Vec<_> = at
            .step
            .blanks
            .iter()
            .filter(|b| !snapshot.blank(lesson, &at.step.id, &b.id).solved)
            .collect();
        if pending.is_empty() {
            let note = if at.step.blanks.is_empty() {
                lang_pair(
                    self.lang,
                    "This step has no blanks.",
                    "В этом шаге нет пропусков.",
                )
            } else {
                lang_pair(
                    self.lang,
                    "Every blank here is answered.",
                    "Все пропуски здесь заполнены.",
                )
            };
            self.notes.push(note);
            return Ok(());
        }
        for blank in pending {
            loop {
                *snapshot = self.store.snapshot().await?;
                self.draw(snapshot)?;
                let prompt = format!("{BLANK_PREFIX}{}{BLANK_SUFFIX} > ", blank.id);
                let Some(answer) = read_line(&prompt, self.lang)? else {
                    return Ok(());
                };
                if answer.trim().is_empty() {
                    break;
                }
                let correct = blank.accepts(&answer);
                self.store
                    .record_blank_attempt(lesson, &at.step.id, &blank.id, answer.trim(), correct)
                    .await?;
                if correct {
                    self.notes.push(format!(
                        "✓ {}: {}",
                        blank.id,
                        lang_pair(self.lang, "correct", "верно")
                    ));
                    break;
                }
                let retry = if blank.shown().is_some() {
                    lang_pair(
                        self.lang,
                        "not quite. Try again, or press Enter to skip (r reveals the answer).",
                        "не совсем. Попробуйте ещё раз или нажмите Enter, чтобы пропустить (r покажет ответ).",
                    )
                } else {
                    lang_pair(
                        self.lang,
                        "not quite. Try again, or press Enter to skip.",
                        "не совсем. Попробуйте ещё раз или нажмите Enter, чтобы пропустить.",
                    )
                };
                let mut note = format!("✗ {}: {retry}", blank.id);
                if let Some(hint) = &blank.hint {
                    let _ = write!(
                        note,
                        " {}: {}",
                        lang_pair(self.lang, "Hint", "Подсказка"),
                        hint.get(self.lang)
                    );
                }
                self.notes.push(note);
            }
        }
        Ok(())
    }

    /// Shows the answers of the step's unanswered blanks, on request only.
    async fn reveal(&mut self, snapshot: &crate::store::Snapshot) -> Result<(), Error> {
        let at = self.current();
        let lesson = &at.lesson.id;
        let (mut any, mut told_sealed) = (false, false);
        for blank in &at.step.blanks {
            if snapshot.blank(lesson, &at.step.id, &blank.id).solved {
                continue;
            }
            any = true;
            let Some(answer) = blank.shown() else {
                if !told_sealed {
                    let (en, ru) = SEALED_BLANK;
                    self.notes.push(lang_pair(self.lang, en, ru));
                    told_sealed = true;
                }
                continue;
            };
            self.store
                .record_blank_reveal(lesson, &at.step.id, &blank.id)
                .await?;
            self.notes.push(format!(
                "{} {BLANK_PREFIX}{}{BLANK_SUFFIX}: {answer}",
                lang_pair(self.lang, "Answer for", "Ответ для"),
                blank.id,
            ));
        }
        if !any {
            self.notes.push(lang_pair(
                self.lang,
                "Nothing to reveal here.",
                "Здесь нечего подсматривать.",
            ));
        }
        Ok(())
    }

    async fn solution(&mut self) -> Result<(), Error> {
        let at = self.current();
        if at.section == SectionKind::Solution {
            self.store.record_solution_reveal(&at.lesson.id).await?;
        } else {
            self.notes.push(lang_pair(
                self.lang,
                "The solution is the last section of the lesson; s shows it there.",
                "Решение — последний раздел урока; там его показывает s.",
            ));
        }
        Ok(())
    }
}
