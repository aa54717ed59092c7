//! Terminal plumbing shared by the interactive screens (lesson viewer, quiz):
//! raw mode restored on every exit path, key reading that does not block the
//! async runtime, line input with echo, and wrapping that ignores colour codes.

use std::io::{self, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};

use crate::error::Error;
use crate::lang::Lang;
use crate::style;

/// Raw mode and the alternate screen, undone on drop.
pub struct TerminalGuard;

impl TerminalGuard {
    /// Enters raw mode and the alternate screen.
    pub fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

/// Reads one key press, without holding up the async runtime's other workers.
pub fn read_key() -> io::Result<KeyEvent> {
    loop {
        let event = tokio::task::block_in_place(event::read)?;
        if let Event::Key(key) = event
            && key.kind != KeyEventKind::Release
        {
            return Ok(key);
        }
    }
}

/// Clears the screen and writes `lines` from the top (raw mode needs `\r\n`).
pub fn redraw<'a>(lines: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    execute!(
        out,
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0)
    )?;
    for line in lines {
        write!(out, "{line}\r\n")?;
    }
    out.flush()
}

/// Throws away keys typed ahead (a held Enter, a double press), so that one
/// press can never answer two questions.
pub fn discard_pending_keys() -> io::Result<()> {
    while event::poll(std::time::Duration::ZERO)? {
        let _ = event::read()?;
    }
    Ok(())
}

/// The terminal's size, or the classic 80×24 where it reports none (some
/// pseudo-terminals).
pub fn size() -> (usize, usize) {
    let (width, height) = match terminal::size() {
        Ok((w, h)) if w > 0 && h > 0 => (w, h),
        _ => (80, 24),
    };
    (usize::from(width.max(20)), usize::from(height.max(8)))
}

/// Reads a line in raw mode, echoing it; Esc cancels (`None`).
pub fn read_line(prompt: &str, lang: Lang) -> Result<Option<String>, Error> {
    let mut out = io::stdout().lock();
    let hint = lang.pick(
        "(Enter to confirm, Esc to cancel)",
        "(Enter — подтвердить, Esc — отмена)",
    );
    write!(out, "\r\n{} \r\n{prompt}", style::dim(hint))?;
    execute!(out, cursor::Show)?;
    out.flush()?;
    drop(out);
    let mut line = String::new();
    let result = loop {
        let key = read_key()?;
        let mut out = io::stdout().lock();
        match key.code {
            KeyCode::Enter => break Some(line),
            KeyCode::Esc => break None,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => break None,
            KeyCode::Backspace if line.pop().is_some() => {
                write!(out, "\u{8} \u{8}")?;
            }
            KeyCode::Char(c) => {
                line.push(c);
                write!(out, "{c}")?;
            }
            _ => {}
        }
        out.flush()?;
    };
    execute!(io::stdout(), cursor::Hide)?;
    Ok(result)
}

/// Splits a line into pieces of at most `width` visible characters; colour
/// escape sequences take no room.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut visible = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            let last = pieces.last_mut().expect("never empty");
            last.push(c);
            for e in chars.by_ref() {
                last.push(e);
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        if visible == width {
            pieces.push(String::new());
            visible = 0;
        }
        pieces.last_mut().expect("never empty").push(c);
        visible += 1;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_counts_visible_characters_only() {
        assert_eq!(wrap("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(
            wrap("\u{1b}[1mab\u{1b}[0m", 2),
            vec!["\u{1b}[1mab\u{1b}[0m"]
        );
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(wrap("шагшаг", 3), vec!["шаг", "шаг"]);
    }
}
