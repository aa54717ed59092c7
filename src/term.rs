//! Terminal plumbing shared by the interactive views (lesson viewer, quiz,
//! watch): frames drawn whole, keys and resizes read through one [`Terminal`]
//! trait (the real terminal, or a [`Scripted`] one in tests, so frames can be
//! snapshotted without a pseudo-terminal), line input edited inside a frame,
//! and printed output fitted to the terminal's width.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, queue, terminal};

use crate::screens::layout;
pub use crate::screens::layout::Frame;

/// The smallest size drawn for; smaller terminals get the same frame, cut.
const MIN_SIZE: (usize, usize) = (20, 8);

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

/// What an interactive view reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal changed size ([`Terminal::size`] has the new one): draw again.
    Resize,
}

/// Whether a key is Ctrl-C.
pub fn is_ctrl_c(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// Draws a frame over the previous one on a terminal in raw mode, without
/// clearing the screen first (no flicker): each line overwrites its row and
/// clears the rest of it.
pub fn write_frame(frame: &Frame, out: &mut impl Write) -> io::Result<()> {
    queue!(out, cursor::Hide, cursor::MoveTo(0, 0))?;
    write!(out, "\u{1b}[0m")?;
    for (row, line) in frame.lines.iter().enumerate() {
        if row > 0 {
            write!(out, "\r\n")?;
        }
        write!(out, "{line}")?;
        queue!(out, terminal::Clear(terminal::ClearType::UntilNewLine))?;
    }
    write!(out, "\u{1b}[0m")?;
    queue!(out, terminal::Clear(terminal::ClearType::FromCursorDown))?;
    if let Some((col, row)) = frame.cursor {
        let at = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        queue!(out, cursor::MoveTo(at(col), at(row)), cursor::Show)?;
    }
    out.flush()
}

/// Where an interactive view draws and reads.
pub trait Terminal {
    /// The size to draw for: columns and rows.
    fn size(&self) -> (usize, usize);
    /// Shows a frame.
    fn draw(&mut self, frame: &Frame) -> io::Result<()>;
    /// The next key press or resize; with a `timeout`, `None` when nothing
    /// came in time.
    fn read(&mut self, timeout: Option<Duration>) -> io::Result<Option<Input>>;
    /// Throws away keys typed ahead (a held Enter, a double press), so that
    /// one press can never answer two questions.
    fn discard_pending(&mut self) -> io::Result<()>;
}

/// The real terminal, in raw mode on the alternate screen until dropped.
pub struct Tty {
    _guard: TerminalGuard,
    size: (usize, usize),
}

impl Tty {
    /// Enters raw mode and the alternate screen.
    pub fn enter() -> io::Result<Tty> {
        Ok(Tty {
            _guard: TerminalGuard::enter()?,
            size: size(),
        })
    }
}

fn clamp((width, height): (usize, usize)) -> (usize, usize) {
    (width.max(MIN_SIZE.0), height.max(MIN_SIZE.1))
}

impl Terminal for Tty {
    fn size(&self) -> (usize, usize) {
        self.size
    }

    fn draw(&mut self, frame: &Frame) -> io::Result<()> {
        write_frame(frame, &mut io::stdout().lock())
    }

    fn read(&mut self, timeout: Option<Duration>) -> io::Result<Option<Input>> {
        // Reading blocks; the async runtime's other workers go on meanwhile.
        tokio::task::block_in_place(|| {
            loop {
                if let Some(timeout) = timeout
                    && !event::poll(timeout)?
                {
                    return Ok(None);
                }
                match event::read()? {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        return Ok(Some(Input::Key(key)));
                    }
                    Event::Resize(width, height) => {
                        self.size = clamp((usize::from(width), usize::from(height)));
                        return Ok(Some(Input::Resize));
                    }
                    _ if timeout.is_some() => return Ok(None),
                    _ => {}
                }
            }
        })
    }

    fn discard_pending(&mut self) -> io::Result<()> {
        while event::poll(Duration::ZERO)? {
            if let Event::Resize(width, height) = event::read()? {
                self.size = clamp((usize::from(width), usize::from(height)));
            }
        }
        Ok(())
    }
}

/// One scripted input.
#[derive(Debug, Clone, Copy)]
enum Scripted1 {
    Key(KeyEvent),
    Resize(usize, usize),
}

/// A terminal for tests: a fixed size, inputs given in advance, every frame
/// kept. When the inputs run out, reading fails (a view never waits forever).
#[derive(Debug, Default)]
pub struct Scripted {
    size: (usize, usize),
    inputs: VecDeque<Scripted1>,
    /// Every frame drawn, in order.
    pub frames: Vec<Frame>,
}

impl Scripted {
    /// A terminal of `width` columns and `height` rows, with no input yet.
    pub fn new(width: usize, height: usize) -> Scripted {
        Scripted {
            size: (width, height),
            ..Scripted::default()
        }
    }

    /// Types `text`: one key per character (`\r` is Enter, `\u{1b}` Esc,
    /// `\u{7f}` Backspace).
    #[must_use]
    pub fn keys(mut self, text: &str) -> Scripted {
        for c in text.chars() {
            let code = match c {
                '\r' | '\n' => KeyCode::Enter,
                '\u{1b}' => KeyCode::Esc,
                '\u{7f}' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            self = self.key(code);
        }
        self
    }

    /// Presses one key.
    #[must_use]
    pub fn key(mut self, code: KeyCode) -> Scripted {
        self.inputs
            .push_back(Scripted1::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self
    }

    /// Presses Ctrl and a letter.
    #[must_use]
    pub fn ctrl(mut self, c: char) -> Scripted {
        self.inputs.push_back(Scripted1::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
        self
    }

    /// Resizes the terminal.
    #[must_use]
    pub fn resize(mut self, width: usize, height: usize) -> Scripted {
        self.inputs.push_back(Scripted1::Resize(width, height));
        self
    }

    /// The last frame drawn, as text.
    pub fn last(&self) -> String {
        self.frames.last().map(Frame::text).unwrap_or_default()
    }
}

impl Terminal for Scripted {
    fn size(&self) -> (usize, usize) {
        self.size
    }

    fn draw(&mut self, frame: &Frame) -> io::Result<()> {
        self.frames.push(frame.clone());
        Ok(())
    }

    fn read(&mut self, _timeout: Option<Duration>) -> io::Result<Option<Input>> {
        match self.inputs.pop_front() {
            Some(Scripted1::Key(key)) => Ok(Some(Input::Key(key))),
            Some(Scripted1::Resize(width, height)) => {
                self.size = (width, height);
                Ok(Some(Input::Resize))
            }
            None => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the scripted terminal ran out of input",
            )),
        }
    }

    fn discard_pending(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The terminal's size, or the classic 80×24 where it reports none (some
/// pseudo-terminals).
pub fn size() -> (usize, usize) {
    let (width, height) = match terminal::size() {
        Ok((w, h)) if w > 0 && h > 0 => (w, h),
        _ => (80, 24),
    };
    clamp((usize::from(width), usize::from(height)))
}

/// A line being typed inside a frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    /// What is typed so far.
    pub text: String,
}

/// What a key did to a [`LineInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// The text changed, or the key did nothing.
    Typing,
    /// Enter: the text, taken.
    Submit(String),
    /// Esc: typing is abandoned.
    Cancel,
    /// Ctrl-C.
    Interrupt,
}

impl LineInput {
    /// Applies a key.
    pub fn key(&mut self, key: KeyEvent) -> Edit {
        if is_ctrl_c(key) {
            return Edit::Interrupt;
        }
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => Edit::Submit(std::mem::take(&mut self.text)),
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Backspace => {
                self.text.pop();
                Edit::Typing
            }
            KeyCode::Char('u') if control => {
                self.text.clear();
                Edit::Typing
            }
            KeyCode::Char(c) if !control => {
                self.text.push(c);
                Edit::Typing
            }
            _ => Edit::Typing,
        }
    }

    /// The prompt and the text as one line of at most `width` columns (the
    /// end of a long text stays in view), and the cursor's column.
    pub fn line(&self, prompt: &str, width: usize) -> (String, usize) {
        let prompt_width = layout::width_of(prompt);
        let room = width.saturating_sub(prompt_width + 1).max(1);
        let chars: Vec<char> = self.text.chars().collect();
        let shown: String = if chars.len() > room {
            std::iter::once(layout::CUT)
                .chain(chars[chars.len() + 1 - room..].iter().copied())
                .collect()
        } else {
            self.text.clone()
        };
        let line = format!("{prompt}{shown}");
        let column = layout::width_of(&line).min(width.saturating_sub(1));
        (line, column)
    }
}

/// A writer that fits printed text to a terminal's width: each whole line is
/// wrapped at word boundaries (code between ```` ``` ```` fences is continued
/// with a marker instead), so the terminal never cuts a word. Without a width
/// (not a terminal) it passes everything through untouched.
pub struct Fitted<W: Write> {
    inner: W,
    width: Option<usize>,
    pending: Vec<u8>,
    in_code: bool,
}

impl<W: Write> Fitted<W> {
    /// Wraps `inner`; `width` is the terminal's, or `None` for a pipe or file.
    pub fn new(inner: W, width: Option<usize>) -> Fitted<W> {
        Fitted {
            inner,
            width,
            pending: Vec::new(),
            in_code: false,
        }
    }

    fn emit(&mut self, line: &str, newline: bool) -> io::Result<()> {
        let Some(width) = self.width else {
            self.inner.write_all(line.as_bytes())?;
            if newline {
                self.inner.write_all(b"\n")?;
            }
            return Ok(());
        };
        let fence = line.trim_start().starts_with("```");
        let pieces = if fence {
            self.in_code = !self.in_code;
            vec![line.to_owned()]
        } else if self.in_code {
            layout::wrap_code(line, width)
        } else {
            layout::wrap_line(line, width)
        };
        let last = pieces.len() - 1;
        for (i, piece) in pieces.iter().enumerate() {
            self.inner.write_all(piece.as_bytes())?;
            if i < last || newline {
                self.inner.write_all(b"\n")?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Fitted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.width.is_none() {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let text = String::from_utf8_lossy(&line[..end]).into_owned();
            self.emit(&text, true)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A prompt waiting for an answer goes out as it is.
        if !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.emit(&text, false)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Fitted<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn printed_text_is_wrapped_at_words_and_code_continued() {
        let mut out = Vec::new();
        {
            let mut fitted = Fitted::new(&mut out, Some(12));
            write!(
                fitted,
                "  ✗ check: не совсем так\n```\nlet value = 1;\n```\nend"
            )
            .unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "  ✗ check:\n    не\n    совсем\n    так\n```\nlet value = \n↪ 1;\n```\nend"
        );
        let mut raw = Vec::new();
        writeln!(Fitted::new(&mut raw, None), "a long line").unwrap();
        assert_eq!(raw, b"a long line\n");
    }

    #[test]
    fn a_long_typed_line_keeps_its_end_in_view() {
        let input = LineInput {
            text: "abcdefghij".to_owned(),
        };
        assert_eq!(input.line("> ", 8), ("> …ghij".to_owned(), 7));
        let short = LineInput {
            text: "ab".to_owned(),
        };
        assert_eq!(short.line("> ", 8), ("> ab".to_owned(), 4));
    }
}
