//! `workbook watch`: re-check an exercise whenever its files are saved.
//!
//! Changes are found by polling the exercise's files twice a second. Polling
//! works everywhere (network drives, containers, editors that replace files),
//! where file-system events sometimes never arrive, and at this size costs
//! nothing. A change is acted on once the files have been quiet for 300 ms, so an
//! editor that writes in several steps triggers one run. Keys: `h` the next hint,
//! `n` the next exercise, `r` run again, `q` quit.

use std::io::{self};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use workbook_support::Backend;

use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::lang::Lang;
use crate::runner::postgres::Databases;
use crate::runner::summary::RunSummary;
use crate::runner::{self, ExerciseRun};
use crate::screens::check::render;
use crate::store::Store;
use crate::style;
use crate::term::TerminalGuard;

const POLL: Duration = Duration::from_millis(500);
const QUIET: Duration = Duration::from_millis(300);

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

/// What the student asked for.
enum Key {
    Hint,
    Next,
    Again,
    Quit,
}

/// Waits for a key or a change; `None` means the files changed.
fn wait(dir: &Path, since: Option<SystemTime>) -> io::Result<Option<Key>> {
    loop {
        if event::poll(POLL)? {
            if let Event::Key(key) = event::read()? {
                if key.kind == KeyEventKind::Release {
                    continue;
                }
                let ctrl_c =
                    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
                match key.code {
                    _ if ctrl_c => return Ok(Some(Key::Quit)),
                    KeyCode::Char('q') | KeyCode::Esc => return Ok(Some(Key::Quit)),
                    KeyCode::Char('h') => return Ok(Some(Key::Hint)),
                    KeyCode::Char('n') => return Ok(Some(Key::Next)),
                    KeyCode::Char('r') | KeyCode::Enter => return Ok(Some(Key::Again)),
                    _ => {}
                }
            }
            continue;
        }
        if newest(dir) > since {
            // Let the editor finish writing.
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
            return Ok(None);
        }
    }
}

fn show(lines: &str) -> io::Result<()> {
    crate::term::redraw(lines.lines())
}

fn keys(lang: Lang) -> String {
    style::dim(lang.pick(
        "Watching for changes · h hint · n next exercise · r run again · q quit",
        "Слежу за изменениями · h подсказка · n следующее упражнение · r запустить снова · q выход",
    ))
}

/// Runs the watch loop, starting at `start`.
pub async fn run(
    course: &Course,
    store: &Store,
    start: usize,
    backend: Backend,
    databases: Option<std::sync::Arc<Databases>>,
    lang: Lang,
) -> Result<(), Error> {
    let _guard = TerminalGuard::enter()?;
    let mut index = start;
    let mut note = String::new();
    loop {
        let exercise: &Exercise = &course.exercises[index];
        let dir = course.root.join("exercises").join(&exercise.id);
        show(&format!(
            "{}\n",
            lang.pick(
                format!("Checking {}…", exercise.id),
                format!("Проверяю {}…", exercise.id)
            )
        ))?;
        let started = newest(&dir);
        let targets = runner::targets(&course.root, &[exercise]);
        let runs: Vec<ExerciseRun> = runner::check(
            &course.root,
            None,
            &targets,
            backend,
            databases.clone(),
            &crate::runner::events::silent(),
        )
        .await?;
        crate::commands::record_runs(store, course, &runs).await?;
        let mut screen = render(course, &runs, lang);
        if RunSummary::new(course, &runs).all_passed() {
            screen.push_str(&style::good(&lang.pick(
                "\nAll checks pass. Press n for the next exercise.\n".to_owned(),
                "\nВсе проверки пройдены. Нажмите n для следующего упражнения.\n".to_owned(),
            )));
        }
        loop {
            show(&format!("{screen}{note}\n{}", keys(lang)))?;
            note.clear();
            let key = tokio::task::block_in_place(|| wait(&dir, started))?;
            match key {
                None | Some(Key::Again) => break,
                Some(Key::Quit) => return Ok(()),
                Some(Key::Next) => {
                    index = (index + 1) % course.exercises.len();
                    break;
                }
                Some(Key::Hint) => {
                    let text = crate::commands::next_hint(store, exercise, lang).await?;
                    note = format!("\n{text}\n");
                }
            }
        }
    }
}
