//! Text styles for screens. Colour is decided once at start-up (`--color`,
//! `NO_COLOR`, terminal or not) through `colored`'s global switch; with colour
//! off these return the text unchanged, which is what snapshots see.

use colored::Colorize;

/// Turns colour on or off for the whole process.
pub fn set_color(enabled: bool) {
    colored::control::set_override(enabled);
}

/// A heading.
pub fn heading(text: &str) -> String {
    text.bold().to_string()
}

/// Secondary text.
pub fn dim(text: &str) -> String {
    text.dimmed().to_string()
}

/// Something done or correct.
pub fn good(text: &str) -> String {
    text.green().to_string()
}

/// Something wrong or failed.
pub fn bad(text: &str) -> String {
    text.red().to_string()
}

/// A command or id to type.
pub fn code(text: &str) -> String {
    text.cyan().to_string()
}

/// Something in progress.
pub fn warn(text: &str) -> String {
    text.yellow().to_string()
}

/// A progress bar of `width` cells.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        (done * width).div_ceil(total).min(width)
    };
    // Never show a full bar before everything is done.
    let filled = if done < total {
        filled.min(width - 1)
    } else {
        filled
    };
    format!(
        "{}{}",
        good(&"█".repeat(filled)),
        dim(&"░".repeat(width - filled))
    )
}

/// A whole percentage, rounded down so 79.9 never shows as 80.
pub fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(0)
}

/// A share as a whole percentage, rounded down like [`percent`]: the one
/// rounding of every score shown, so 8.67 of 10 is 86 % on every screen.
pub fn percent_of(part: f64, whole: f64) -> u32 {
    if whole > 0.0 {
        whole_percent(part / whole * 100.0)
    } else {
        0
    }
}

/// A percentage as a whole number, rounded down (a hair of floating-point
/// error aside, so 0.7 × 100 is 70, not 69).
pub fn whole_percent(percent: f64) -> u32 {
    let floored = (percent + 1e-9).floor();
    if floored.is_finite() && floored >= 0.0 {
        // Through text rather than a cast: the value is whole and small.
        format!("{floored:.0}").parse().unwrap_or(0)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_proportionally_and_only_when_done() {
        set_color(false);
        assert_eq!(bar(0, 10, 10), "░░░░░░░░░░");
        assert_eq!(bar(5, 10, 10), "█████░░░░░");
        assert_eq!(bar(99, 100, 10), "█████████░");
        assert_eq!(bar(10, 10, 10), "██████████");
        assert_eq!(bar(0, 0, 4), "░░░░");
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(percent(799, 1000), 79);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent_of(8.67, 10.0), 86);
        assert_eq!(whole_percent(86.7), 86);
        assert_eq!(percent_of(0.7, 1.0), 70);
        assert_eq!(percent_of(1.0, 0.0), 0);
        assert_eq!(whole_percent(f64::NAN), 0);
    }
}
