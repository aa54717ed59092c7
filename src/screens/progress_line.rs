//! The one-line progress display on stderr while building and checking: the
//! only code that draws it. A reporter of the runner's events.
//!
//! While checks run, the line is drawn again every second with the time
//! since they started, so a check that hangs shows a clock that keeps going
//! instead of a count that stays put.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use crate::lang::Lang;
use crate::runner::events::{Event, Reporter, silent};
use crate::style;

/// How often the line is drawn again while checks run.
const TICK: Duration = Duration::from_secs(1);

/// What the line shows while checks run.
#[derive(Debug, Default)]
struct State {
    /// When the checks started (the build was over), and how many of how
    /// many are done; `None` outside the checks.
    checks: Option<(Instant, Option<(usize, usize)>)>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Clears the line when the reporter is dropped in the middle of the checks
/// (a build that failed, an interrupted run), so no clock is left behind.
struct Stop(Arc<Mutex<State>>);

impl Drop for Stop {
    fn drop(&mut self) {
        if lock(&self.0).checks.take().is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

/// A reporter that draws the progress line when `enabled` (stderr is a
/// terminal), in `lang`; silent otherwise.
pub fn reporter(enabled: bool, lang: Lang) -> Reporter {
    if !enabled {
        return silent();
    }
    let state = Arc::new(Mutex::new(State::default()));
    tick(Arc::downgrade(&state), lang);
    let stop = Stop(state);
    Arc::new(move |event| {
        let mut state = lock(&stop.0);
        match *event {
            Event::Built => state.checks = Some((Instant::now(), None)),
            Event::CheckFinished { done, total, .. } => {
                let started = state.checks.map_or_else(Instant::now, |(at, _)| at);
                state.checks = Some((started, Some((done, total))));
            }
            Event::Finished => state.checks = None,
            Event::Compiled { .. } => {}
        }
        let text = match state.checks {
            Some((started, done)) => checks(done, started.elapsed(), lang),
            None => line(event, lang),
        };
        eprint!("\r\x1b[2K{text}");
    })
}

/// Draws the line again every [`TICK`] while checks run; ends when the
/// reporter is gone.
fn tick(state: Weak<Mutex<State>>, lang: Lang) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(TICK);
            let Some(state) = state.upgrade() else {
                return;
            };
            let state = lock(&state);
            if let Some((started, done)) = state.checks {
                eprint!("\r\x1b[2K{}", checks(done, started.elapsed(), lang));
            }
        }
    });
}

/// The line while checks run: how many are done, and for how long they have
/// been running.
pub fn checks(done: Option<(usize, usize)>, elapsed: Duration, lang: Lang) -> String {
    let label = lang.pick("Checks", "Проверки");
    let clock = clock(elapsed, lang);
    match done {
        Some((done, total)) => format!("{label} {done}/{total} · {clock}"),
        None => format!("{label}: {} · {clock}", lang.pick("running", "идут")),
    }
}

/// `7 s`, `1 min 05 s`.
fn clock(elapsed: Duration, lang: Lang) -> String {
    let seconds = elapsed.as_secs();
    if seconds < 60 {
        lang.pick(format!("{seconds} s"), format!("{seconds} с"))
    } else {
        let (minutes, seconds) = (seconds / 60, seconds % 60);
        lang.pick(
            format!("{minutes} min {seconds:02} s"),
            format!("{minutes} мин {seconds:02} с"),
        )
    }
}

/// The line for one event outside the checks; empty clears it.
pub fn line(event: &Event<'_>, lang: Lang) -> String {
    match *event {
        Event::Compiled {
            count,
            estimate,
            unit,
        } => {
            let label = lang.pick("Compiling", "Сборка");
            match estimate {
                // An estimate: never show a full bar before cargo is done.
                Some(total) if total > 0 => {
                    let shown = count.min(total.saturating_sub(1));
                    format!(
                        "{label} {} {shown}/{total} {unit}",
                        style::bar(shown, total, 24)
                    )
                }
                _ => format!("{label} {count}: {unit}"),
            }
        }
        Event::CheckFinished { done, total, .. } => {
            format!("{} {done}/{total}", lang.pick("Checks", "Проверки"))
        }
        Event::Built | Event::Finished => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_never_looks_full_before_cargo_is_done() {
        crate::style::set_color(false);
        let event = Event::Compiled {
            count: 12,
            estimate: Some(10),
            unit: "sqlx",
        };
        let text = line(&event, Lang::En);
        assert!(
            text.starts_with("Compiling ") && text.ends_with(" 9/10 sqlx"),
            "{text}"
        );
        let counted = Event::Compiled {
            count: 3,
            estimate: None,
            unit: "tokio",
        };
        assert_eq!(line(&counted, Lang::Ru), "Сборка 3: tokio");
        assert_eq!(line(&Event::Finished, Lang::En), "");
    }

    #[test]
    fn running_checks_show_a_clock() {
        assert_eq!(
            checks(Some((2, 3)), Duration::from_secs(7), Lang::En),
            "Checks 2/3 · 7 s"
        );
        assert_eq!(
            checks(Some((2, 3)), Duration::from_secs(65), Lang::Ru),
            "Проверки 2/3 · 1 мин 05 с"
        );
        assert_eq!(
            checks(None, Duration::from_secs(3), Lang::Ru),
            "Проверки: идут · 3 с"
        );
    }

    #[test]
    fn a_reporter_dropped_during_the_checks_stops_its_clock() {
        let state = Arc::new(Mutex::new(State {
            checks: Some((Instant::now(), Some((1, 2)))),
        }));
        let weak = Arc::downgrade(&state);
        drop(Stop(state));
        assert!(
            weak.upgrade().is_none(),
            "the ticker ends with the reporter"
        );
    }
}
