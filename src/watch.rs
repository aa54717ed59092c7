//! `workbook watch`: re-check an exercise whenever its files are saved, and
//! move on to the next one once it passes (as rustlings does; `s` stays).
//!
//! Changes are found by polling the exercise's files twice a second. Polling
//! works everywhere (network drives, containers, editors that replace files),
//! where file-system events sometimes never arrive, and at this size costs
//! nothing. A change is acted on once the files have been quiet for 300 ms, so an
//! editor that writes in several steps triggers one run. Keys: `h` the next hint,
//! `n` the next exercise, `s` stay after a pass, `r` run again, ↑↓ scroll, `q` quit.
//!
//! Each screen is a [`Frame`] for the terminal's size, drawn through a
//! [`Terminal`]; how an exercise is checked is passed in, so tests drive the
//! loop with a scripted terminal and made-up results.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use crossterm::event::KeyCode;
use workbook_support::Backend;

use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::lang::Lang;
use crate::record::{self, HintAsk, Hints};
use crate::runner::ExerciseRun;
use crate::runner::summary::RunSummary;
use crate::screens::exercise::HintsIn;
use crate::screens::{self, layout};
use crate::standing::Standing;
use crate::store::Store;
use crate::style;
use crate::term::{Frame, Input, Terminal, is_ctrl_c};

const POLL: Duration = Duration::from_millis(500);
const QUIET: Duration = Duration::from_millis(300);
/// How long a pass is shown before moving on.
const MOVE_ON: Duration = Duration::from_secs(3);

/// The newest modification time under `dir` (build output aside).
pub fn newest(dir: &Path) -> Option<SystemTime> {
    let mut latest = std::fs::metadata(dir).and_then(|m| m.modified()).ok();
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        if entry.file_name() == "target" {
            continue;
        }
        let time = if entry.path().is_dir() {
            newest(&entry.path())
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        latest = latest.max(time);
    }
    latest
}

/// Waits until the files under `dir` have been quiet for a moment, so an
/// editor that writes in several steps triggers one run.
fn settle(dir: &Path) {
    let mut seen = newest(dir);
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < QUIET {
        std::thread::sleep(Duration::from_millis(50));
        let now = newest(dir);
        if now != seen {
            seen = now;
            quiet_since = Instant::now();
        }
    }
}

/// What the loop does after a screen.
enum Then {
    /// Check this exercise (again).
    Check(usize),
    /// Leave.
    Quit,
}

/// One exercise's results on screen.
struct Shown<'a> {
    course: &'a Course,
    index: usize,
    backend: Backend,
    lang: Lang,
    results: String,
    scroll: usize,
    notes: Vec<String>,
    /// After a pass: the exercise to move on to, and when.
    moving: Option<(usize, Instant)>,
    /// Whether `n` on the last exercise was explained already.
    told_last: bool,
}

impl Shown<'_> {
    fn frame(&mut self, (width, height): (usize, usize)) -> Frame {
        let exercise = &self.course.exercises[self.index];
        let header = style::dim(&layout::truncate(
            &screens::watch::header(
                &exercise.id,
                self.index + 1,
                self.course.exercises.len(),
                self.backend.name(),
                self.lang,
            ),
            width,
        ));
        let body = layout::fit(&self.results, width);
        let footer: Vec<String> = self
            .notes
            .iter()
            .flat_map(|note| layout::fit(note, width))
            .collect();
        let (lang, moving) = (self.lang, self.moving.is_some());
        let lines = layout::compose(header, &body, &mut self.scroll, footer, height, |window| {
            style::dim(&screens::watch::keys(
                lang,
                window,
                moving,
                width.saturating_sub(1),
            ))
        });
        Frame {
            lines,
            cursor: None,
        }
    }
}

/// Runs the watch loop, starting at exercise `start`; `check` builds and
/// checks one exercise.
pub async fn run<F>(
    course: &Course,
    store: &Store,
    start: usize,
    backend: Backend,
    lang: Lang,
    terminal: &mut dyn Terminal,
    mut check: F,
) -> Result<(), Error>
where
    F: AsyncFnMut(&Exercise) -> Result<Vec<ExerciseRun>, Error>,
{
    let mut index = start;
    loop {
        let exercise = &course.exercises[index];
        let dir = course.root.join("exercises").join(&exercise.id);
        let mut checking = Shown {
            course,
            index,
            backend,
            lang,
            results: screens::watch::checking(&exercise.id, lang),
            scroll: 0,
            notes: Vec::new(),
            moving: None,
            told_last: false,
        };
        terminal.draw(&checking.frame(terminal.size()))?;
        let started = newest(&dir);
        let runs = check(exercise).await?;
        record::check_runs(store, course, &runs).await?;
        let snapshot = store.snapshot().await?;
        let standing = Standing::new(course, &snapshot);
        let mut shown = Shown {
            results: screens::check::render(course, &runs, lang),
            notes: Vec::new(),
            ..checking
        };
        if RunSummary::new(course, &runs).all_passed() {
            let next = standing
                .next_exercise(&exercise.id)
                .and_then(|id| course.exercises.iter().position(|e| e.id == id));
            match next {
                Some(next) => {
                    let id = &course.exercises[next].id;
                    shown.notes.push(style::good(&screens::watch::moving_on(
                        &exercise.id,
                        id,
                        lang,
                    )));
                    shown.moving = Some((next, Instant::now() + MOVE_ON));
                }
                None => shown.notes.push(style::good(&screens::watch::all_pass(
                    &exercise.id,
                    &standing.next,
                    lang,
                ))),
            }
        }
        match watch(&mut shown, store, terminal, &dir, started).await? {
            Then::Check(next) => index = next,
            Then::Quit => return Ok(()),
        }
    }
}

/// Shows one exercise's results until a key, a save, or the move after a pass.
async fn watch(
    shown: &mut Shown<'_>,
    store: &Store,
    terminal: &mut dyn Terminal,
    dir: &Path,
    started: Option<SystemTime>,
) -> Result<Then, Error> {
    let course = shown.course;
    let index = shown.index;
    let exercise = &course.exercises[index];
    let lang = shown.lang;
    loop {
        terminal.draw(&shown.frame(terminal.size()))?;
        let input = terminal.read(Some(POLL))?;
        let key = match input {
            Some(Input::Key(key)) => key,
            Some(Input::Resize) => continue,
            None => {
                if let Some((next, at)) = shown.moving
                    && Instant::now() >= at
                {
                    return Ok(Then::Check(next));
                }
                if newest(dir) > started {
                    tokio::task::block_in_place(|| settle(dir));
                    return Ok(Then::Check(index));
                }
                continue;
            }
        };
        if is_ctrl_c(key) {
            return Ok(Then::Quit);
        }
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Then::Quit),
            KeyCode::Char('r') | KeyCode::Enter => return Ok(Then::Check(index)),
            KeyCode::Down | KeyCode::Char('j') => shown.scroll += 3,
            KeyCode::Up | KeyCode::Char('k') => shown.scroll = shown.scroll.saturating_sub(3),
            KeyCode::Char('s') => {
                if let Some((next, _)) = shown.moving.take() {
                    shown.notes.clear();
                    shown.notes.push(style::good(&screens::watch::staying(
                        &exercise.id,
                        &course.exercises[next].id,
                        lang,
                    )));
                }
            }
            KeyCode::Char('n') => {
                if let Some((next, _)) = shown.moving {
                    return Ok(Then::Check(next));
                }
                // On the last exercise, the first `n` says so; the second
                // goes back to the first exercise.
                if index + 1 == course.exercises.len() && !shown.told_last {
                    shown.told_last = true;
                    shown.notes.push(style::warn(&screens::watch::last_exercise(
                        &exercise.id,
                        &course.exercises[0].id,
                        lang,
                    )));
                    continue;
                }
                return Ok(Then::Check((index + 1) % course.exercises.len()));
            }
            KeyCode::Char('h') => {
                if let Hints::Shown { tiers, seen } =
                    record::hints(store, exercise, HintAsk::Next).await?
                {
                    shown.notes.push(screens::exercise::hints(
                        exercise,
                        &tiers,
                        seen,
                        HintsIn::Watch,
                        lang,
                    ));
                }
            }
            _ => {}
        }
    }
}
