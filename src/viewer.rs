//! The interactive lesson viewer: one step at a time in a terminal.
//!
//! Keys: → n space next, ← p back, ↑↓ j k scroll, a answer blanks, r reveal
//! an answer, s show the solution, l switch language, q Esc quit. Every step shown
//! is recorded at once, so quitting any way (even closing the terminal) resumes
//! at the same step next time.
//!
//! Each screen is one [`Frame`] built for the terminal's size: the header on
//! top, the step re-wrapped to the width and scrolled, the notes and the
//! line being typed above a key legend that fits. A resize draws again at
//! once. The viewer reads and draws through a [`Terminal`], so tests drive it
//! with a scripted one and snapshot its frames.

use std::collections::VecDeque;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::course::{Course, SectionKind, StepRef};
use crate::error::Error;
use crate::lang::Lang;
use crate::screens::layout;
use crate::screens::lesson::{self, BlankKeys, Nothing, Offer, Reader, StepScreen};
use crate::standing::Standing;
use crate::store::{Snapshot, Store};
use crate::style;
use crate::term::{Edit, Frame, Input, LineInput, Terminal};

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

/// Runs the viewer on `steps`, starting at `start`, in `terminal`.
pub async fn run(
    course: &Course,
    store: &Store,
    steps: &[StepRef<'_>],
    start: usize,
    lang: Lang,
    terminal: &mut dyn Terminal,
) -> Result<Outcome, Error> {
    let mut viewer = Viewer {
        course,
        store,
        steps,
        index: start,
        lang,
        scroll: 0,
        notes: Vec::new(),
        typing: None,
    };
    viewer.visit().await?;
    loop {
        let snapshot = store.snapshot().await?;
        let frame = viewer.frame(&snapshot, terminal.size());
        terminal.draw(&frame)?;
        // A resize only needs the frame drawn again, at the new size.
        let Some(Input::Key(key)) = terminal.read(None)? else {
            continue;
        };
        if viewer.typing.is_some() {
            viewer.typed(key).await?;
            continue;
        }
        viewer.notes.clear();
        match action(key) {
            Action::Quit => break,
            Action::Next if viewer.index + 1 < steps.len() => {
                viewer.index += 1;
                viewer.visit().await?;
            }
            Action::Next => {
                let standing = Standing::new(course, &snapshot);
                viewer
                    .notes
                    .push(style::warn(&lesson::last_step(&standing.next, viewer.lang)));
            }
            Action::Back if viewer.index > 0 => {
                viewer.index -= 1;
                viewer.visit().await?;
            }
            Action::Back => viewer.note(Nothing::FirstStep),
            Action::ScrollDown => viewer.scroll += 3,
            Action::ScrollUp => viewer.scroll = viewer.scroll.saturating_sub(3),
            Action::Answer => viewer.start_answer(&snapshot),
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

struct Viewer<'a> {
    course: &'a Course,
    store: &'a Store,
    steps: &'a [StepRef<'a>],
    index: usize,
    lang: Lang,
    scroll: usize,
    /// Messages above the key legend until the next key.
    notes: Vec<String>,
    /// The answer being typed, if any.
    typing: Option<Typing>,
}

/// Answering a step's blanks: the ones still to ask (indices into the step's
/// blanks), and the line being typed for the first of them.
struct Typing {
    pending: VecDeque<usize>,
    input: LineInput,
}

impl<'a> Viewer<'a> {
    fn current(&self) -> StepRef<'a> {
        self.steps[self.index]
    }

    fn note(&mut self, what: Nothing) {
        self.notes
            .push(style::warn(lesson::nothing(what, self.lang)));
    }

    async fn visit(&mut self) -> Result<(), Error> {
        self.scroll = 0;
        let at = self.current();
        self.store.visit_step(&at.lesson.id, &at.step.id).await?;
        Ok(())
    }

    /// The screen for a terminal of `width` × `height`.
    fn frame(&mut self, snapshot: &Snapshot, (width, height): (usize, usize)) -> Frame {
        let at = self.current();
        let lang = self.lang;
        let show_solution = snapshot.solutions_revealed.contains(&at.lesson.id);
        let screen = StepScreen {
            course: self.course,
            steps: self.steps,
            index: self.index,
            snapshot,
            lang,
            show_solution,
            reader: Reader::Viewer,
        };
        let header = style::dim(&lesson::header(
            at,
            self.index,
            self.steps.len(),
            lang,
            width,
        ));
        let body = layout::fit(&lesson::content(screen), width);

        // Notes and the line being typed sit above the legend, so they are
        // seen however far down the step goes.
        let mut footer: Vec<String> = self
            .notes
            .iter()
            .flat_map(|note| layout::fit(note, width))
            .collect();
        footer.truncate(height.saturating_sub(5));
        let mut cursor = None;
        if let Some(typing) = &self.typing
            && let Some(blank) = typing.pending.front().map(|&i| &at.step.blanks[i])
        {
            let (line, column) = typing.input.line(&lesson::blank_prompt(blank), width);
            footer.push(line);
            cursor = Some((column, height.saturating_sub(2)));
        }

        let open: Vec<_> = at
            .step
            .blanks
            .iter()
            .filter(|b| !snapshot.blank(&at.lesson.id, &at.step.id, &b.id).solved)
            .collect();
        let typing = self.typing.is_some();
        let lines = layout::compose(header, &body, &mut self.scroll, footer, height, |window| {
            let blanks = if open.iter().any(|b| b.shown().is_some()) {
                BlankKeys::AnswerOrReveal
            } else if open.is_empty() {
                BlankKeys::None
            } else {
                BlankKeys::Answer
            };
            let offer = Offer {
                blanks,
                solution: at.section == SectionKind::Solution && !show_solution,
                scrolled: window.map(|w| (w.first, w.last, w.total)),
                typing,
            };
            // One column spare: writing the last column of the last row
            // scrolls some terminals.
            style::dim(&lesson::keys(lang, offer, width.saturating_sub(1)))
        });
        Frame { lines, cursor }
    }

    /// Starts answering the step's blanks not answered yet.
    fn start_answer(&mut self, snapshot: &Snapshot) {
        let at = self.current();
        if at.step.blanks.is_empty() {
            self.note(Nothing::NoBlanks);
            return;
        }
        let pending: VecDeque<usize> = (0..at.step.blanks.len())
            .filter(|&i| {
                !snapshot
                    .blank(&at.lesson.id, &at.step.id, &at.step.blanks[i].id)
                    .solved
            })
            .collect();
        if pending.is_empty() {
            self.note(Nothing::AllAnswered);
            return;
        }
        self.typing = Some(Typing {
            pending,
            input: LineInput::default(),
        });
    }

    /// A key while an answer is typed: Enter checks it (a wrong answer may be
    /// retried, an empty one skips the blank), Esc stops answering.
    async fn typed(&mut self, key: KeyEvent) -> Result<(), Error> {
        let Some(mut typing) = self.typing.take() else {
            return Ok(());
        };
        let answer = match typing.input.key(key) {
            Edit::Typing => {
                self.typing = Some(typing);
                return Ok(());
            }
            Edit::Cancel | Edit::Interrupt => return Ok(()),
            Edit::Submit(answer) => answer,
        };
        let at = self.current();
        let Some(&index) = typing.pending.front() else {
            return Ok(());
        };
        let blank = &at.step.blanks[index];
        if answer.trim().is_empty() {
            typing.pending.pop_front();
        } else {
            let correct = blank.accepts(&answer);
            let wrong_before = self
                .store
                .snapshot()
                .await?
                .blank(&at.lesson.id, &at.step.id, &blank.id)
                .attempts;
            self.store
                .record_blank_attempt(
                    &at.lesson.id,
                    &at.step.id,
                    &blank.id,
                    answer.trim(),
                    correct,
                )
                .await?;
            self.notes.clear();
            self.notes.push(lesson::verdict(
                blank,
                &answer,
                wrong_before,
                correct,
                Reader::Viewer,
                self.lang,
            ));
            if correct {
                typing.pending.pop_front();
            }
        }
        if !typing.pending.is_empty() {
            self.typing = Some(typing);
        }
        Ok(())
    }

    /// Shows the answers of the step's unanswered blanks, on request only.
    async fn reveal(&mut self, snapshot: &Snapshot) -> Result<(), Error> {
        let at = self.current();
        if at.step.blanks.is_empty() {
            self.note(Nothing::NoBlanks);
            return Ok(());
        }
        let lesson = &at.lesson.id;
        let (mut any, mut told_sealed) = (false, false);
        for blank in &at.step.blanks {
            if snapshot.blank(lesson, &at.step.id, &blank.id).solved {
                continue;
            }
            any = true;
            if blank.shown().is_none() {
                if !told_sealed {
                    self.notes
                        .push(style::warn(lesson::sealed_blank(self.lang)));
                    told_sealed = true;
                }
                continue;
            }
            self.store
                .record_blank_reveal(lesson, &at.step.id, &blank.id)
                .await?;
            self.notes.push(lesson::revealed(blank, self.lang));
        }
        if !any {
            self.note(Nothing::NothingToReveal);
        }
        Ok(())
    }

    async fn solution(&mut self) -> Result<(), Error> {
        let at = self.current();
        if at.section == SectionKind::Solution {
            self.store.record_solution_reveal(&at.lesson.id).await?;
        } else {
            self.note(Nothing::SolutionElsewhere);
        }
        Ok(())
    }
}
