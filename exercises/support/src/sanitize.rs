//! Student-originated text made safe for a terminal and for CI logs.
//!
//! Student code runs inside the check process, so a panic message, a line of
//! its output, a value quoted in evidence or a database error can hold
//! anything. Written raw, an escape sequence clears the screen, moves the
//! cursor, writes the clipboard (OSC 52) or hides a link, with colour off just
//! as well; a bidi override makes a line read differently from what it holds;
//! and the GitHub Actions runner reads a line that starts with `::name …::`
//! (after its leading whitespace) as a workflow command (`::add-mask::`,
//! `::stop-commands::`, `::error::`), and `##[name]` anywhere in a line as the
//! legacy form of one. Everything here makes such text inert and visible:
//!
//! - Control characters other than newline and tab (C0, DEL, C1), bidi
//!   overrides, isolates and marks, line and paragraph separators, and the
//!   invisible characters a culture-aware string comparison skips (the runner
//!   compares with `StartsWith("::")` and `IndexOf("##[")`, culture-aware on
//!   .NET unless told otherwise) are written as Rust escapes — `\u{1b}`,
//!   `\r`, `\0` — the form `{:?}` shows, so a Rust student reads them at once.
//!   A CRLF line end becomes a plain newline.
//! - A line that would start with `::` gets [`MARK`] and a space after its
//!   indentation, and every `##[` becomes `##‖[`.
//! - [`capped`] and [`tail`] cut long text with a notice in both languages.
//!
//! Everything is done in one pass over the text. JSON needs none of this
//! (serde escapes every control character); this is for text that reaches a
//! terminal or a log.

use std::fmt::Write as _;

/// Put before a line that a CI runner would otherwise read as a command.
pub const MARK: char = '‖';

/// `s` made safe to print: see the module documentation. Newlines and tabs
/// stay; nothing is cut.
pub fn text(s: &str) -> String {
    let mut writer = Writer::new(false, usize::MAX, s.len());
    writer.push(s);
    writer.out
}

/// `s` made safe to print inside one line: like [`text`], and newlines are
/// shown as `\n` too, so a value cannot start a line of its own (a typed
/// answer, an id).
pub fn inline(s: &str) -> String {
    let mut writer = Writer::new(true, usize::MAX, s.len());
    writer.push(s);
    writer.out
}

/// [`text`] with at most about `max_chars` characters kept from the start,
/// then a notice saying how many were cut. An escape is never split, so the
/// result may run a few characters over before the notice.
pub fn capped(s: &str, max_chars: usize) -> String {
    let mut writer = Writer::new(false, max_chars, s.len().min(max_chars * 4));
    let rest = writer.push(s);
    if !rest.is_empty() {
        let cut = rest.chars().count();
        let _ = write!(
            writer.out,
            "… [cut: {cut} more {} / обрезано ещё символов: {cut}]",
            plural(cut, "character", "characters")
        );
    }
    writer.out
}

/// The end of `s` made safe to print: its last `max_lines` lines, and of
/// those at most `max_chars` characters, after a notice line saying what was
/// cut. For the tail of a program's output. A final newline does not count as
/// an empty last line.
pub fn tail(s: &str, max_lines: usize, max_chars: usize) -> String {
    let body = s.strip_suffix('\n').unwrap_or(s);
    let mut start = 0;
    let mut notice = None;
    if let Some((newline, _)) = body.rmatch_indices('\n').nth(max_lines.saturating_sub(1)) {
        start = newline + 1;
        let cut = body[..start].matches('\n').count();
        notice = Some(format!(
            "[cut: {cut} earlier {} / обрезано строк в начале: {cut}]",
            plural(cut, "line", "lines")
        ));
    }
    let mut ellipsis = "";
    if max_chars == 0 {
        start = s.len();
    } else if let Some((from, _)) = s[start..].char_indices().rev().nth(max_chars - 1)
        && from > 0
    {
        start += from;
        let cut = s[..start].chars().count();
        notice = Some(format!(
            "[cut: {cut} earlier {} / обрезано символов в начале: {cut}]",
            plural(cut, "character", "characters")
        ));
        ellipsis = "…";
    }
    let kept = &s[start..];
    let mut writer = Writer::new(false, usize::MAX, kept.len() + 80);
    if let Some(notice) = notice {
        writer.out.push_str(&notice);
        writer.out.push('\n');
        writer.push(ellipsis);
    }
    writer.push(kept);
    writer.out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The output being built, and where in a line it is.
struct Writer {
    out: String,
    /// Newlines are escaped too.
    inline: bool,
    /// Characters written, and how many may be before the rest is left.
    written: usize,
    limit: usize,
    /// Only whitespace so far on this line: where `::` would make a command.
    leading: bool,
    /// The previous input character, which decides whether a joiner is shown.
    previous: Option<char>,
}

impl Writer {
    fn new(inline: bool, limit: usize, capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            inline,
            written: 0,
            limit,
            leading: true,
            previous: None,
        }
    }

    /// Writes `s`; returns the part left out once the limit was reached.
    fn push<'a>(&mut self, s: &'a str) -> &'a str {
        let mut chars = s.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if self.written >= self.limit {
                return &s[at..];
            }
            let next = chars.peek().map(|&(_, n)| n);
            self.char(c, next);
            self.previous = Some(c);
        }
        ""
    }

    fn char(&mut self, c: char, next: Option<char>) {
        match c {
            // A CRLF line end is a line end; a lone CR (which moves the cursor
            // back, and which the runner reads as a line break) is shown.
            '\r' if !self.inline && next == Some('\n') => {}
            '\n' if !self.inline => {
                self.put('\n');
                self.leading = true;
            }
            '\n' => {
                self.escape(c);
                self.leading = false;
            }
            _ if hidden(c, self.previous) => {
                self.escape(c);
                self.leading = false;
            }
            _ if self.leading && c.is_whitespace() => self.put(c),
            ':' if self.leading && next == Some(':') => {
                self.put(MARK);
                self.put(' ');
                self.put(':');
                self.leading = false;
            }
            '[' if self.out.ends_with("##") => {
                self.put(MARK);
                self.put('[');
                self.leading = false;
            }
            _ => {
                self.put(c);
                self.leading = false;
            }
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.written += 1;
    }

    /// Writes `c` as Rust writes it in a string literal.
    fn escape(&mut self, c: char) {
        let before = self.out.len();
        match c {
            '\0' => self.out.push_str("\\0"),
            '\t' => self.out.push_str("\\t"),
            '\n' => self.out.push_str("\\n"),
            '\r' => self.out.push_str("\\r"),
            _ => {
                let _ = write!(self.out, "\\u{{{:x}}}", u32::from(c));
            }
        }
        // Escapes are ASCII: bytes are characters.
        self.written += self.out.len() - before;
    }
}

/// Whether `c` must be shown as an escape rather than written: it acts on a
/// terminal, changes how the line reads, or is skipped by a culture-aware
/// comparison. `previous` decides for joiners and variation selectors, which
/// emoji need and which are kept after a visible non-ASCII character.
fn hidden(c: char, previous: Option<char>) -> bool {
    if c == '\t' || c == '\n' {
        return false;
    }
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    if c.is_control() {
        // C1 controls, U+0080–U+009F (CSI, OSC, NEL…).
        return true;
    }
    let code = u32::from(c);
    if in_ranges(code, JOINERS) {
        return !previous.is_some_and(|p| !p.is_ascii() && !p.is_whitespace() && !p.is_control());
    }
    in_ranges(code, INVISIBLE)
}

fn in_ranges(code: u32, ranges: &[(u32, u32)]) -> bool {
    ranges
        .binary_search_by(|&(low, high)| {
            if high < code {
                std::cmp::Ordering::Less
            } else if low > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Zero-width joiners and variation selectors: part of emoji sequences, so
/// kept after a visible non-ASCII character and shown anywhere else.
const JOINERS: &[(u32, u32)] = &[
    (0x200C, 0x200D),   // zero-width non-joiner, joiner
    (0xFE00, 0xFE0F),   // variation selectors
    (0xE0100, 0xE01EF), // variation selectors supplement
];

/// Format characters and the other default-ignorable code points (Unicode
/// 15), sorted: bidi marks, embeddings, overrides and isolates, invisible
/// operators, line and paragraph separators, byte order mark, tags.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),   // soft hyphen
    (0x034F, 0x034F),   // combining grapheme joiner
    (0x0600, 0x0605),   // Arabic number signs
    (0x061C, 0x061C),   // Arabic letter mark
    (0x06DD, 0x06DD),   // Arabic end of ayah
    (0x070F, 0x070F),   // Syriac abbreviation mark
    (0x0890, 0x0891),   // Arabic pound and piastre marks above
    (0x08E2, 0x08E2),   // Arabic disputed end of ayah
    (0x115F, 0x1160),   // Hangul fillers
    (0x17B4, 0x17B5),   // Khmer inherent vowels
    (0x180B, 0x180F),   // Mongolian variation selectors and vowel separator
    (0x200B, 0x200B),   // zero-width space
    (0x200E, 0x200F),   // left-to-right and right-to-left marks
    (0x2028, 0x2029),   // line and paragraph separators
    (0x202A, 0x202E),   // bidi embeddings and overrides
    (0x2060, 0x206F),   // word joiner, invisible operators, bidi isolates
    (0x3164, 0x3164),   // Hangul filler
    (0xFEFF, 0xFEFF),   // zero-width no-break space, byte order mark
    (0xFFA0, 0xFFA0),   // halfwidth Hangul filler
    (0xFFF0, 0xFFFB),   // unassigned specials, interlinear annotation
    (0x110BD, 0x110BD), // Kaithi number sign
    (0x110CD, 0x110CD), // Kaithi number sign above
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0000, 0xE00FF), // tags
    (0xE01F0, 0xE0FFF), // reserved default-ignorable
];

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::{INVISIBLE, JOINERS, capped, in_ranges, inline, tail, text};

    #[test]
    fn plain_text_is_unchanged() {
        for s in [
            "",
            "expected 3 items, got 2",
            "line one\n\tindented\nпо-русски: «ёлка» ✓ 🦀\n",
            "a: b :: c",
            "10 :: 20",
            "# heading ## more [link]",
        ] {
            assert_eq!(text(s), s);
        }
    }

    #[test]
    fn escape_sequences_cannot_act() {
        assert_eq!(text("\x1b[2Jcleared"), "\\u{1b}[2Jcleared");
        assert_eq!(
            text("\x1b]52;c;ZXZpbA==\x07"),
            "\\u{1b}]52;c;ZXZpbA==\\u{7}"
        );
        assert_eq!(
            text("\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\"),
            "\\u{1b}]8;;https://evil\\u{1b}\\link\\u{1b}]8;;\\u{1b}\\"
        );
        assert_eq!(text("ok\rFAKE"), "ok\\rFAKE");
        assert_eq!(text("a\x08\x08b\x7f"), "a\\u{8}\\u{8}b\\u{7f}");
        assert_eq!(text("nul\0"), "nul\\0");
        assert_eq!(text("\x0b\x0c"), "\\u{b}\\u{c}");
    }

    #[test]
    fn c1_controls_are_shown() {
        // CSI, OSC, NEL, ST as single code points.
        assert_eq!(
            text("\u{9b}2J\u{9d}52\u{85}x\u{9c}"),
            "\\u{9b}2J\\u{9d}52\\u{85}x\\u{9c}"
        );
        for code in 0x80..=0x9f {
            let c = char::from_u32(code).unwrap();
            assert_eq!(text(&c.to_string()), format!("\\u{{{code:x}}}"));
        }
    }

    #[test]
    fn bidi_controls_are_shown() {
        assert_eq!(
            text("let access = \"user\u{202e} \u{2066}// admin\u{2069}\u{2066}\""),
            "let access = \"user\\u{202e} \\u{2066}// admin\\u{2069}\\u{2066}\""
        );
        for code in (0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .chain([0x200E, 0x200F, 0x061C])
        {
            let c = char::from_u32(code).unwrap();
            assert_eq!(text(&format!("a{c}b")), format!("a\\u{{{code:x}}}b"));
        }
    }

    #[test]
    fn crlf_is_a_newline_and_a_lone_cr_is_shown() {
        assert_eq!(text("one\r\ntwo\r\n"), "one\ntwo\n");
        assert_eq!(text("one\r\r\ntwo"), "one\\r\ntwo");
    }

    #[test]
    fn workflow_commands_at_a_line_start_are_marked() {
        assert_eq!(text("::error::owned"), "‖ ::error::owned");
        assert_eq!(text("  ::add-mask::x"), "  ‖ ::add-mask::x");
        assert_eq!(
            text("ok\n\t::set-output name=a::b\nfine"),
            "ok\n\t‖ ::set-output name=a::b\nfine"
        );
        assert_eq!(
            text("::stop-commands::token\n::token::"),
            "‖ ::stop-commands::token\n‖ ::token::"
        );
        // The runner trims Unicode whitespace too.
        assert_eq!(
            text("\u{a0}\u{3000}::error::x"),
            "\u{a0}\u{3000}‖ ::error::x"
        );
        // CRLF ends a line like LF does.
        assert_eq!(text("a\r\n::warning::w"), "a\n‖ ::warning::w");
        // Not at a line start: not a command.
        assert_eq!(text("see ::error::"), "see ::error::");
    }

    #[test]
    fn a_line_break_the_runner_sees_cannot_start_a_command() {
        // The runner splits lines at CR, NEL and the Unicode separators too:
        // shown as escapes, they leave nothing that starts a line.
        for brk in ["\r", "\u{85}", "\u{2028}", "\u{2029}", "\x0b", "\x0c"] {
            let out = text(&format!("ok{brk}::error::x"));
            assert!(!out.contains(brk), "{out:?}");
            assert!(out.starts_with("ok\\"), "{out:?}");
        }
    }

    #[test]
    fn legacy_commands_are_broken_anywhere() {
        assert_eq!(text("##[error]owned"), "##‖[error]owned");
        assert_eq!(
            text("x ##[set-output name=a;]b"),
            "x ##‖[set-output name=a;]b"
        );
        assert_eq!(text("###[group]"), "###‖[group]");
        assert_eq!(text("## [ok] #[ok]"), "## [ok] #[ok]");
    }

    #[test]
    fn invisible_characters_cannot_hide_a_command() {
        // A culture-aware comparison skips these, so `:\u{200b}:` may compare
        // equal to `::`: shown, they make the line start with `\`.
        for hidden in [
            "\u{200b}", "\u{ad}", "\u{2060}", "\u{feff}", "\u{200d}", "\u{fe0f}",
        ] {
            let out = text(&format!(
                "{hidden}::error::x\n:{hidden}:error::x\n#{hidden}#[error]x"
            ));
            for line in out.lines() {
                assert!(!line.trim_start().starts_with("::"), "{out:?}");
                assert!(!line.contains("##["), "{out:?}");
                assert!(!line.contains(hidden), "{out:?}");
            }
        }
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        for emoji in ["❤️", "👩‍💻", "🏳️‍🌈", "☕︎"] {
            assert_eq!(text(emoji), emoji);
        }
        // After ASCII or whitespace a joiner joins nothing visible: shown.
        assert_eq!(text("a\u{200d}b"), "a\\u{200d}b");
        assert_eq!(text(" \u{fe0f}"), " \\u{fe0f}");
    }

    #[test]
    fn inline_shows_newlines_too() {
        assert_eq!(inline("a\nScore: 100%\r\n\tb"), "a\\nScore: 100%\\r\\n\tb");
        assert_eq!(inline("::error::x"), "‖ ::error::x");
    }

    #[test]
    fn capped_cuts_with_a_notice_in_both_languages() {
        assert_eq!(capped("short", 10), "short");
        assert_eq!(capped("exactly10!", 10), "exactly10!");
        assert_eq!(
            capped("0123456789abc", 10),
            "0123456789… [cut: 3 more characters / обрезано ещё символов: 3]"
        );
        assert_eq!(
            capped("йцукенгшщзх", 10),
            "йцукенгшщз… [cut: 1 more character / обрезано ещё символов: 1]"
        );
        // An escape counts by what it shows, and is never split.
        assert_eq!(
            capped("ab\x1b[2J", 3),
            "ab\\u{1b}… [cut: 3 more characters / обрезано ещё символов: 3]"
        );
        // What is kept is still sanitised.
        assert_eq!(capped("::error::x", 100), "‖ ::error::x");
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let output: String = (1..=20).fold(String::new(), |mut out, i| {
            let _ = writeln!(out, "line {i}");
            out
        });
        assert_eq!(
            tail(&output, 3, 1000),
            "[cut: 17 earlier lines / обрезано строк в начале: 17]\nline 18\nline 19\nline 20\n"
        );
        assert_eq!(tail("a\nb\n", 3, 1000), "a\nb\n");
        assert_eq!(tail("a\nb", 2, 1000), "a\nb");
        assert_eq!(
            tail("a\nb\nc", 2, 1000),
            "[cut: 1 earlier line / обрезано строк в начале: 1]\nb\nc"
        );
        assert_eq!(tail("", 3, 10), "");
    }

    #[test]
    fn tail_caps_characters_too() {
        let long = format!("first\n{}", "x".repeat(50));
        assert_eq!(
            tail(&long, 5, 10),
            format!(
                "[cut: 46 earlier characters / обрезано символов в начале: 46]\n…{}",
                "x".repeat(10)
            )
        );
        assert_eq!(
            tail("ёёё\nжжж", 5, 3),
            "[cut: 4 earlier characters / обрезано символов в начале: 4]\n…жжж"
        );
    }

    #[test]
    fn a_tail_cannot_start_with_a_command() {
        // Cut in the middle of a line, the kept part starts a line of output.
        let out = tail("garbage ::error::owned", 5, 14);
        assert!(out.ends_with("\n…::error::owned"), "{out}");
        let out = tail("x\n::error::owned", 1, 100);
        assert!(out.ends_with("\n‖ ::error::owned"), "{out}");
        let out = tail("\x1b[2J\n\x1b]52;c;ZXZpbA==\x07", 1, 100);
        assert!(out.ends_with("\n\\u{1b}]52;c;ZXZpbA==\\u{7}"), "{out}");
    }

    #[test]
    fn no_output_line_is_a_command_or_holds_a_control() {
        // Every character below U+3000 and the special ranges, around the
        // characters commands are made of, in every position of a line.
        let specials = (0..0x3000u32)
            .chain(0xFE00..0x10000)
            .chain(0xE0000..0xE0200)
            .filter_map(char::from_u32);
        for c in specials {
            let input = format!("{c}::error::x\n:{c}:e::x\n#{c}#[e]\n##{c}[e]\n {c}::e::x\n");
            let out = text(&input);
            for line in out.split('\n') {
                // As a culture-aware comparison reads it: ignorables skipped.
                let skeleton: String = line
                    .chars()
                    .filter(|&o| {
                        !in_ranges(u32::from(o), INVISIBLE) && !in_ranges(u32::from(o), JOINERS)
                    })
                    .collect();
                let trimmed = skeleton.trim_start();
                assert!(
                    !trimmed.starts_with("::") && !skeleton.contains("##["),
                    "U+{:04X}: {line:?}",
                    u32::from(c)
                );
                assert!(
                    line.chars().all(|o| o == '\t' || !o.is_control()),
                    "U+{:04X}: {line:?}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn the_tables_are_sorted_and_apart() {
        for table in [INVISIBLE, JOINERS] {
            for pair in table.windows(2) {
                assert!(pair[0].1 < pair[1].0, "{pair:x?}");
            }
            assert!(table.iter().all(|(low, high)| low <= high));
        }
    }
}
