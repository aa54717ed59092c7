//! The one-line progress display on stderr while building and checking: the
//! only code that draws it. A reporter of the runner's events.

use crate::lang::Lang;
use crate::runner::events::{Event, Reporter, silent};
use crate::style;

/// A reporter that draws the progress line when `enabled` (stderr is a
/// terminal), in `lang`; silent otherwise.
pub fn reporter(enabled: bool, lang: Lang) -> Reporter {
    if !enabled {
        return silent();
    }
    std::sync::Arc::new(move |event| {
        let text = line(event, lang);
        eprint!("\r\x1b[2K{text}");
    })
}

/// The line for one event; empty clears it.
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
}
