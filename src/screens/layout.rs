//! Fitting text to a terminal: widths measured in display columns (colour
//! escapes take none), prose re-wrapped at word boundaries with the hanging
//! indent of its list marker, code never re-wrapped (a long code line goes on
//! after a continuation marker), and key legends that shrink to the width.
//!
//! Pure: the interactive views and the printed screens both use it, and tests
//! call it with any width.

/// What starts the rest of a code line that did not fit.
pub const CONTINUED: &str = "↪ ";

/// What ends a line cut short.
pub const CUT: char = '…';

/// How many columns a character takes: none for combining marks and
/// zero-width joiners, two for East Asian wide characters and most emoji.
fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0x2060..=0x206F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => usize::from(!c.is_control()),
    }
}

/// The pieces of a line: escape sequences (no width) and visible characters.
fn pieces(line: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        let len = if c == '\u{1b}' {
            // CSI (`ESC [ … letter`) or a two-character escape.
            let bytes = rest.as_bytes();
            if bytes.get(1) == Some(&b'[') {
                rest[2..]
                    .find(|c: char| c.is_ascii_alphabetic())
                    .map_or(rest.len(), |end| end + 3)
            } else {
                1 + rest[1..].chars().next().map_or(0, char::len_utf8)
            }
        } else {
            c.len_utf8()
        };
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        let width = if c == '\u{1b}' { 0 } else { char_width(c) };
        Some((piece, width))
    })
}

/// The number of terminal columns `text` takes (one line; escapes take none).
pub fn width_of(text: &str) -> usize {
    pieces(text).map(|(_, w)| w).sum()
}

/// `text` without colour escapes.
pub fn visible(text: &str) -> String {
    pieces(text)
        .filter(|(p, _)| !p.starts_with('\u{1b}'))
        .map(|(p, _)| p)
        .collect()
}

/// Cuts one line to at most `width` columns, ending it with `…` when cut.
pub fn truncate(line: &str, width: usize) -> String {
    if width_of(line) <= width {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for (piece, w) in pieces(line) {
        if w == 0 {
            out.push_str(piece);
            continue;
        }
        if used + w + 1 > width {
            break;
        }
        out.push_str(piece);
        used += w;
    }
    if width > 0 {
        out.push(CUT);
    }
    if out.contains('\u{1b}') {
        out.push_str("\u{1b}[0m");
    }
    out
}

/// Breaks a line into pieces of at most `width` columns, wherever the width
/// runs out (for code and for words longer than a line).
fn hard_break(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for (piece, w) in pieces(line) {
        if used + w > width && used > 0 {
            out.push(String::new());
            used = 0;
        }
        out.last_mut().expect("never empty").push_str(piece);
        used += w;
    }
    out
}

/// A code line that does not fit: the first `width` columns, then the rest
/// after [`CONTINUED`], so it is never mistaken for two lines of code.
pub fn wrap_code(line: &str, width: usize) -> Vec<String> {
    if width_of(line) <= width || width <= width_of(CONTINUED) {
        return vec![line.to_owned()];
    }
    let first = hard_break(line, width);
    let head = first[0].clone();
    let rest: String = first[1..].concat();
    let mut out = vec![head];
    for piece in hard_break(&rest, width - width_of(CONTINUED)) {
        out.push(format!("{CONTINUED}{piece}"));
    }
    out
}

/// Whether a token opens a list item or a status line: `-`, `*`, `•`, `1.`,
/// `A)`, `[x]`, `(•)`, `✓`, `›` and the like.
fn is_marker(token: &str) -> bool {
    let count = token.chars().count();
    if token.is_empty() || count > 4 {
        return false;
    }
    let bracketed = (token.starts_with('[') && token.ends_with(']'))
        || (token.starts_with('(') && token.ends_with(')'));
    if bracketed {
        return true;
    }
    if let Some(body) = token.strip_suffix(['.', ')'])
        && !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_digit())
            || (body.chars().count() == 1 && body.chars().all(char::is_alphabetic)))
    {
        return true;
    }
    token
        .chars()
        .all(|c| !c.is_alphanumeric() && !"`'\"«(".contains(c))
}

/// The columns a wrapped line's continuation starts at: its leading spaces,
/// plus the markers that open it (`  - `, `✓ `, `› [x] A) `).
pub fn hanging_indent(line: &str) -> usize {
    let text = visible(line);
    let spaces = text.len() - text.trim_start_matches(' ').len();
    let mut indent = spaces;
    let mut rest = &text[spaces..];
    loop {
        // `[ ]` and `( )` hold a space; take them whole.
        let token_len = if rest.starts_with("[ ]") || rest.starts_with("( )") {
            3
        } else {
            rest.find(' ').unwrap_or(rest.len())
        };
        let token = &rest[..token_len];
        if token_len == rest.len() || !is_marker(token) {
            break;
        }
        indent += width_of(token) + 1;
        rest = &rest[token_len + 1..];
        // Markers are followed by one space; more would be alignment.
        let extra = rest.len() - rest.trim_start_matches(' ').len();
        indent += extra;
        rest = &rest[extra..];
    }
    indent
}

/// Wraps one line of prose at word boundaries; the continuation lines start at
/// the line's [`hanging_indent`]. A word longer than a line is broken.
pub fn wrap_line(line: &str, width: usize) -> Vec<String> {
    if width_of(line) <= width {
        return vec![line.to_owned()];
    }
    let width = width.max(2);
    let mut indent = hanging_indent(line);
    if indent > width / 2 {
        indent = 0;
    }
    let pad = " ".repeat(indent);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    // Leading spaces belong to the first line.
    let leading = line.len() - line.trim_start_matches(' ').len();
    current.push_str(&line[..leading]);
    used += leading;
    let mut first_word = true;
    for word in line[leading..].split(' ') {
        let w = width_of(word);
        let space = usize::from(!first_word);
        if used + space + w <= width {
            if !first_word {
                current.push(' ');
            }
            current.push_str(word);
            used += space + w;
            first_word = false;
            continue;
        }
        // The word does not fit here: start a new line, unless this line has
        // nothing but its indent.
        let has_text = used > if out.is_empty() { leading } else { indent };
        if has_text {
            out.push(std::mem::take(&mut current));
            current.push_str(&pad);
            used = indent;
        } else if !first_word {
            current.push(' ');
            used += 1;
        }
        if used + w <= width {
            current.push_str(word);
            used += w;
        } else {
            // Longer than a whole line: break it where the width runs out.
            let room = width - used;
            let head = hard_break(word, room.max(1));
            let first = head[0].clone();
            let rest: String = head[1..].concat();
            current.push_str(&first);
            for piece in hard_break(&rest, width - indent) {
                out.push(std::mem::take(&mut current));
                current = format!("{pad}{piece}");
            }
            used = width_of(&current);
        }
        first_word = false;
    }
    out.push(current);
    out
}

/// Whether a line opens or closes a fenced code block.
fn is_fence(line: &str) -> bool {
    visible(line).trim_start().starts_with("```")
}

/// Fits a whole text to `width` columns: prose wrapped at word boundaries,
/// lines inside ```` ``` ```` fences wrapped as code.
pub fn fit(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if is_fence(line) {
            in_code = !in_code;
            out.push(truncate(line, width));
        } else if in_code {
            out.extend(wrap_code(line, width));
        } else {
            out.extend(wrap_line(line, width));
        }
    }
    out
}

/// Whether a line of prose starts a list item (`- `, `* `, `+ `, `1. `, `1) `).
fn opens_item(line: &str) -> bool {
    let text = line.trim_start();
    if ["- ", "* ", "+ ", "• "].iter().any(|m| text.starts_with(m)) {
        return true;
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (text[digits..].starts_with(". ") || text[digits..].starts_with(") "))
}

/// Joins the soft line breaks of prose (as written in YAML), so it can be
/// wrapped to any width: lines of a paragraph, and the continuation lines of
/// a list item, become one line. Blank lines, list items, headings, tables
/// and fenced code keep their own lines; code is left exactly as it is.
pub fn unfold(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_code = false;
    // Whether the last line out may take the next one.
    let mut open = false;
    for line in text.lines() {
        if is_fence(line) {
            in_code = !in_code;
            out.push(line.to_owned());
            open = false;
            continue;
        }
        let trimmed = line.trim();
        let standalone = in_code
            || trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('|')
            || trimmed.starts_with('>');
        if standalone {
            out.push(line.to_owned());
            open = false;
            continue;
        }
        if opens_item(line) || !open {
            out.push(line.trim_end().to_owned());
            open = !line.ends_with("  ");
            continue;
        }
        let last = out.last_mut().expect("open implies a line");
        last.push(' ');
        last.push_str(trimmed);
        open = !line.ends_with("  ");
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// One entry of a key legend: its long and short forms, and how much it
/// matters (entries that matter least are left out first when space runs out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The full form, e.g. `→ n next`.
    pub long: String,
    /// The short form, e.g. `n next`.
    pub short: String,
    /// Higher stays longer.
    pub priority: u8,
}

impl Key {
    /// An entry.
    pub fn new(long: impl Into<String>, short: impl Into<String>, priority: u8) -> Key {
        Key {
            long: long.into(),
            short: short.into(),
            priority,
        }
    }
}

/// The longest legend that fits `width`: every entry in its long form, then in
/// its short form, then without the entries that matter least; cut with `…`
/// only when even the most important entry does not fit.
pub fn legend(keys: &[Key], width: usize) -> String {
    const SEPARATOR: &str = " · ";
    let join = |keys: &[&Key], short: bool| -> String {
        keys.iter()
            .map(|k| {
                if short {
                    k.short.as_str()
                } else {
                    k.long.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(SEPARATOR)
    };
    let mut shown: Vec<&Key> = keys.iter().collect();
    let long = join(&shown, false);
    if width_of(&long) <= width {
        return long;
    }
    loop {
        let short = join(&shown, true);
        if width_of(&short) <= width || shown.len() <= 1 {
            return truncate(&short, width);
        }
        // Leave out the entry that matters least (the last of equals).
        let least = shown
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|(_, k)| k.priority)
            .map_or(0, |(i, _)| i);
        shown.remove(least);
    }
}

/// One whole screen: exactly the lines to show, top to bottom, and where the
/// cursor goes while text is typed (hidden otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The lines, each no wider than the terminal.
    pub lines: Vec<String>,
    /// The cursor's column and row, when it is shown.
    pub cursor: Option<(usize, usize)>,
}

impl Frame {
    /// The frame as plain text, one line each, trailing spaces removed (what
    /// snapshots hold).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Which lines of a scrolled body are in view: the first and last (from 1)
/// and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first line shown, from 1.
    pub first: usize,
    /// The last line shown.
    pub last: usize,
    /// Lines in all.
    pub total: usize,
}

/// Lays out a screen of `height` rows: `header` on top, as much of `body` as
/// fits from line `scroll` (clamped, so scrolling past the end stops there),
/// `footer` above the bottom row, and the legend on the bottom row, built once
/// it is known whether the body scrolls.
pub fn compose(
    header: String,
    body: &[String],
    scroll: &mut usize,
    mut footer: Vec<String>,
    height: usize,
    legend: impl FnOnce(Option<Window>) -> String,
) -> Vec<String> {
    // The body keeps at least two rows, whatever the notes.
    footer.truncate(height.saturating_sub(4));
    let room = height.saturating_sub(2 + footer.len()).max(1);
    let max_scroll = body.len().saturating_sub(room);
    *scroll = (*scroll).min(max_scroll);
    let end = (*scroll + room).min(body.len());
    let mut lines = vec![header];
    lines.extend(body[*scroll..end].iter().cloned());
    lines.resize(
        height.saturating_sub(1 + footer.len()).max(lines.len()),
        String::new(),
    );
    lines.extend(footer);
    let window = (max_scroll > 0).then(|| Window {
        first: *scroll + 1,
        last: end,
        total: body.len(),
    });
    lines.push(legend(window));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_skip_escapes_and_count_wide_characters() {
        assert_eq!(width_of("шаг"), 3);
        assert_eq!(width_of("\u{1b}[1mab\u{1b}[0m"), 2);
        assert_eq!(width_of("日本"), 4);
        assert_eq!(width_of("e\u{301}"), 1);
    }

    #[test]
    fn prose_wraps_at_words_never_inside_them() {
        assert_eq!(
            wrap_line("Подсказка: спросите пул соединений", 12),
            vec!["Подсказка:", "спросите пул", "соединений"]
        );
        assert_eq!(
            wrap_line("opens a connection to the database", 10),
            vec!["opens a", "connection", "to the", "database"]
        );
        // A word longer than the line is broken where the width runs out.
        assert_eq!(wrap_line("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap_line("", 4), vec![""]);
    }

    #[test]
    fn list_items_and_status_lines_keep_their_hanging_indent() {
        assert_eq!(
            wrap_line("  - a junction table with a composite key", 20),
            vec!["  - a junction table", "    with a composite", "    key"]
        );
        assert_eq!(
            wrap_line("  ✗ BEGIN: не совсем, попробуйте ещё раз", 22),
            vec!["  ✗ BEGIN: не совсем,", "    попробуйте ещё раз"]
        );
        assert_eq!(hanging_indent("› [x] A) text"), 9);
        assert_eq!(hanging_indent("  [ ] item"), 6);
        assert_eq!(hanging_indent("12. step"), 4);
        assert_eq!(hanging_indent("Plain text"), 0);
        assert_eq!(hanging_indent("`code` here"), 0);
    }

    #[test]
    fn colour_survives_wrapping() {
        let line = "\u{1b}[2mone two three\u{1b}[0m";
        let wrapped = wrap_line(line, 8);
        assert_eq!(wrapped.len(), 2);
        assert_eq!(visible(&wrapped.concat()), "one twothree");
        assert!(wrapped.iter().all(|l| width_of(l) <= 8), "{wrapped:?}");
    }

    #[test]
    fn code_is_never_rewrapped_only_continued() {
        let text = "Text that wraps here\n```rust\nlet x = some_function(argument);\n```";
        let lines = fit(text, 16);
        assert_eq!(
            lines,
            vec![
                "Text that wraps",
                "here",
                "```rust",
                "let x = some_fun",
                "↪ ction(argument",
                "↪ );",
                "```"
            ]
        );
    }

    #[test]
    fn soft_breaks_are_joined_and_structure_kept() {
        let yaml = "The lesson builds it. Your task:\nbuild the same.\n- A table\n  with a key.\n- Endpoints.\n\nNext paragraph\nhere.\n```sql\nSELECT 1\n  FROM t;\n```\n";
        assert_eq!(
            unfold(yaml),
            "The lesson builds it. Your task: build the same.\n- A table with a key.\n- Endpoints.\n\nNext paragraph here.\n```sql\nSELECT 1\n  FROM t;\n```\n"
        );
    }

    #[test]
    fn legends_shrink_to_the_width() {
        let keys = [
            Key::new("→ n next", "n next", 9),
            Key::new("← p back", "p back", 5),
            Key::new("l язык", "l ru", 1),
            Key::new("q quit", "q quit", 9),
        ];
        assert_eq!(legend(&keys, 80), "→ n next · ← p back · l язык · q quit");
        assert_eq!(legend(&keys, 31), "n next · p back · l ru · q quit");
        assert_eq!(legend(&keys, 24), "n next · p back · q quit");
        assert_eq!(legend(&keys, 16), "n next · q quit");
        assert_eq!(legend(&keys, 5), "n ne…");
    }

    #[test]
    fn a_composed_screen_has_every_row_and_keeps_the_legend() {
        let body: Vec<String> = (1..=10).map(|n| format!("line {n}")).collect();
        let mut scroll = 99;
        let lines = compose(
            "head".into(),
            &body,
            &mut scroll,
            vec!["note".into()],
            6,
            |w| format!("{w:?}"),
        );
        assert_eq!(scroll, 7);
        assert_eq!(
            lines,
            vec![
                "head",
                "line 8",
                "line 9",
                "line 10",
                "note",
                "Some(Window { first: 8, last: 10, total: 10 })"
            ]
        );
        let mut scroll = 0;
        let short = compose("head".into(), &body[..1], &mut scroll, vec![], 4, |w| {
            format!("{w:?}")
        });
        assert_eq!(short, vec!["head", "line 1", "", "None"]);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("Многие-ко-многим", 8), "Многие-…");
        assert_eq!(truncate("short", 8), "short");
    }
}
