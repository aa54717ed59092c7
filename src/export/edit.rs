//! Line edits to a YAML file that keep everything else byte for byte: the
//! student edition's course files differ from the author's only where keys are
//! sealed, so their comments and layout survive and a diff shows exactly what
//! sealing changed.
//!
//! An edit works on a mapping entry written in block style (its key first on
//! its line, after indentation or `- `); the entry's value, in any style, ends
//! before the next line that is indented no deeper than the key and is not a
//! blank or comment line. Entries inside inline (flow) mappings are refused
//! with the line they are on, since their extent is not a set of lines.

use std::fmt;
use std::ops::Range;

use crate::yaml::node::{Kind, Node};

/// An entry that cannot be edited by lines, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// The entry's line, counted from 1.
    pub line: usize,
    /// What is wrong, as a sentence fragment.
    pub message: String,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A mapping entry: its key and value nodes.
pub type Entry<'a> = (&'a Node, &'a Node);

/// The entry `key` of a mapping node, if it has one.
pub fn entry<'a>(map: &'a Node, key: &str) -> Option<Entry<'a>> {
    let Kind::Map(entries) = &map.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.as_scalar() == Some(key))
        .map(|(k, v)| (k, v))
}

/// The text of a mapping's scalar entry `key`.
pub fn scalar<'a>(map: &'a Node, key: &str) -> Option<&'a str> {
    entry(map, key).and_then(|(_, value)| value.as_scalar())
}

/// The items of a sequence node (none for anything else).
pub fn items(node: &Node) -> &[Node] {
    match &node.kind {
        Kind::Seq(items) => items,
        _ => &[],
    }
}

/// Edits collected against one text, applied together by [`Editor::finish`].
pub struct Editor<'a> {
    /// The lines, each with its line break.
    lines: Vec<&'a str>,
    /// Line ranges and what replaces them, in the order they were asked for.
    edits: Vec<(Range<usize>, String)>,
}

impl<'a> Editor<'a> {
    /// An editor over `text`.
    pub fn new(text: &'a str) -> Editor<'a> {
        Editor {
            lines: text.split_inclusive('\n').collect(),
            edits: Vec::new(),
        }
    }

    /// Replaces the entry with `new`, a whole entry (`key: value`) on one line.
    pub fn replace(&mut self, (key, value): Entry<'_>, new: &str) -> Result<(), EditError> {
        let (lines, prefix) = self.extent(key, value)?;
        let text = format!("{prefix}{new}{}", self.break_at(lines.start));
        self.edits.push((lines, text));
        Ok(())
    }

    /// Removes the entry; one that opens a list item (`- key: …`) becomes
    /// `key: ~` instead, so the item keeps its dash.
    pub fn remove(&mut self, (key, value): Entry<'_>) -> Result<(), EditError> {
        let (lines, prefix) = self.extent(key, value)?;
        let text = if prefix.contains('-') {
            let name = key.as_scalar().unwrap_or_default();
            format!("{prefix}{name}: ~{}", self.break_at(lines.start))
        } else {
            String::new()
        };
        self.edits.push((lines, text));
        Ok(())
    }

    /// Adds `new`, a whole entry on one line, right after the entry given, as
    /// its sibling.
    pub fn insert_after(&mut self, (key, value): Entry<'_>, new: &str) -> Result<(), EditError> {
        let (lines, prefix) = self.extent(key, value)?;
        let indent = " ".repeat(prefix.chars().count());
        let text = format!("{indent}{new}{}", self.break_at(lines.start));
        self.edits.push((lines.end..lines.end, text));
        Ok(())
    }

    /// Puts the items of the entry's block list in a new order: `order[k]` is
    /// the index of the item that goes to place `k`. Blank and comment lines
    /// between items stay where they are.
    pub fn reorder(&mut self, (key, value): Entry<'_>, order: &[usize]) -> Result<(), EditError> {
        let (lines, _) = self.extent(key, value)?;
        let count = items(value).len();
        let refuse = |message: &str| EditError {
            line: key.mark.line,
            message: message.to_owned(),
        };
        if value.flow || count != order.len() {
            return Err(refuse(
                "write this list as a block list (`- ` items) to export it",
            ));
        }
        let starts = self.item_starts(lines.start + 1..lines.end);
        if starts.len() != count {
            return Err(refuse(
                "the list's items could not be told apart by their lines",
            ));
        }
        // Each item's own lines, without the blank and comment lines after it.
        let cores: Vec<Range<usize>> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let next = starts.get(i + 1).copied().unwrap_or(lines.end);
                start..self.last_content(start, next)
            })
            .collect();
        let mut text = String::new();
        for (place, &item) in order.iter().enumerate() {
            if place > 0 {
                text.push_str(&self.lines[cores[place - 1].end..cores[place].start].concat());
            }
            let core = self.lines[cores[item].clone()].concat();
            text.push_str(&core);
            if !core.ends_with('\n') {
                text.push('\n');
            }
        }
        let span = cores[0].start..cores[count - 1].end;
        if !self.lines[span.end - 1].ends_with('\n') {
            text.pop();
        }
        self.edits.push((span, text));
        Ok(())
    }

    /// The text with every edit applied.
    pub fn finish(mut self) -> String {
        self.edits
            .sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::new();
        let mut at = 0;
        for (range, text) in &self.edits {
            // Edits never overlap: each touches its own entry.
            let start = range.start.max(at);
            out.push_str(&self.lines[at..start].concat());
            out.push_str(text);
            at = range.end.max(start);
        }
        out.push_str(&self.lines[at..].concat());
        out
    }

    /// The lines of the entry and the text before its key on its first line.
    fn extent(&self, key: &Node, value: &Node) -> Result<(Range<usize>, String), EditError> {
        let first = key.mark.line.saturating_sub(1);
        let column = key.mark.col.saturating_sub(1);
        let line = self.lines.get(first).copied().unwrap_or_default();
        let prefix: String = line.chars().take(column).collect();
        if !prefix.chars().all(|c| c == ' ' || c == '-') {
            return Err(EditError {
                line: key.mark.line,
                message: format!(
                    "`{}` is inside an inline mapping; write it in block style to export it",
                    key.as_scalar().unwrap_or_default()
                ),
            });
        }
        let block_list = matches!(value.kind, Kind::Seq(_)) && !value.flow;
        let mut end = first + 1;
        for (index, line) in self.lines.iter().enumerate().skip(first + 1) {
            let trimmed = line.trim_start_matches(' ');
            if is_neutral(trimmed) {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let deeper = indent > column;
            // A block list may sit at its key's own indentation.
            let list_item = block_list && indent == column && is_dash(trimmed);
            if !(deeper || list_item) {
                break;
            }
            end = index + 1;
        }
        Ok((first..end, prefix))
    }

    /// Where the `- ` items of a block list start, within `lines`: at the
    /// indentation of the first one.
    fn item_starts(&self, lines: Range<usize>) -> Vec<usize> {
        let mut indent = None;
        lines
            .filter(|&index| {
                let line = self.lines[index];
                let trimmed = line.trim_start_matches(' ');
                if is_neutral(trimmed) || !is_dash(trimmed) {
                    return false;
                }
                let at = line.len() - trimmed.len();
                *indent.get_or_insert(at) == at
            })
            .collect()
    }

    /// The end of the last line in `start..end` that is not blank or a comment.
    fn last_content(&self, start: usize, end: usize) -> usize {
        (start..end)
            .rev()
            .find(|&index| !is_neutral(self.lines[index].trim_start_matches(' ')))
            .map_or(start + 1, |index| index + 1)
    }

    /// The line break the line at `index` uses (`\n` when it has none).
    fn break_at(&self, index: usize) -> &'static str {
        if self.lines.get(index).is_some_and(|l| l.ends_with("\r\n")) {
            "\r\n"
        } else {
            "\n"
        }
    }
}

/// A blank line or a comment line, after its indentation.
fn is_neutral(trimmed: &str) -> bool {
    let rest = trimmed.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

/// A list item's line, after its indentation.
fn is_dash(trimmed: &str) -> bool {
    trimmed == "-"
        || trimmed.starts_with("- ")
        || trimmed.starts_with("-\n")
        || trimmed.starts_with("-\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::parse;

    const TEXT: &str = "\
# a comment
top: 1
questions:
  - id: one   # first
    correct: [a,
      b]
    answers:
      - x

      # between
      - y
    options:
    - id: p
      text: P
    # about q
    - id: q
      text: Q

    - id: r
      text: R
    after: |
      text

      more
  - id: two
    inline: {correct: a}
end: 2
";

    fn question(root: &Node) -> &Node {
        &items(entry(root, "questions").unwrap().1)[0]
    }

    #[test]
    fn entries_are_replaced_removed_and_added_by_lines() {
        let root = parse(TEXT).unwrap();
        let q = question(&root);
        let mut editor = Editor::new(TEXT);
        editor
            .replace(entry(q, "correct").unwrap(), "correct: sealed")
            .unwrap();
        editor.remove(entry(q, "answers").unwrap()).unwrap();
        editor
            .insert_after(entry(q, "options").unwrap(), "added: yes")
            .unwrap();
        editor
            .replace(entry(q, "after").unwrap(), "after: ~")
            .unwrap();
        editor.replace(entry(q, "id").unwrap(), "id: uno").unwrap();
        let out = editor.finish();
        assert_eq!(
            out,
            TEXT.replace("  - id: one   # first\n", "  - id: uno\n")
                .replace("    correct: [a,\n      b]\n", "    correct: sealed\n")
                .replace(
                    "    answers:\n      - x\n\n      # between\n      - y\n",
                    ""
                )
                .replace("      text: R\n", "      text: R\n    added: yes\n")
                .replace("    after: |\n      text\n\n      more\n", "    after: ~\n")
        );
        let again = parse(&out).unwrap();
        assert_eq!(scalar(question(&again), "correct"), Some("sealed"));
    }

    #[test]
    fn block_list_items_are_reordered_with_their_lines() {
        let root = parse(TEXT).unwrap();
        let q = question(&root);
        let mut editor = Editor::new(TEXT);
        editor
            .reorder(entry(q, "options").unwrap(), &[2, 0, 1])
            .unwrap();
        let out = editor.finish();
        assert!(
            out.contains(
                "    options:\n    - id: r\n      text: R\n    # about q\n    - id: p\n      text: P\n\n    - id: q\n      text: Q\n    after: |\n"
            ),
            "{out}"
        );
        let again = parse(&out).unwrap();
        let ids: Vec<&str> = items(entry(question(&again), "options").unwrap().1)
            .iter()
            .filter_map(|item| scalar(item, "id"))
            .collect();
        assert_eq!(ids, ["r", "p", "q"]);
    }

    #[test]
    fn inline_mappings_are_refused_with_their_line() {
        let root = parse(TEXT).unwrap();
        let two = &items(entry(&root, "questions").unwrap().1)[1];
        let inline = entry(two, "inline").unwrap().1;
        let error = Editor::new(TEXT)
            .replace(entry(inline, "correct").unwrap(), "correct: x")
            .unwrap_err();
        assert_eq!(error.line, 26);
        assert!(error.message.contains("block style"), "{error}");
        let q = question(&root);
        let error = Editor::new(TEXT)
            .reorder(entry(q, "correct").unwrap(), &[1, 0])
            .unwrap_err();
        assert!(error.message.contains("block list"), "{error}");
    }

    #[test]
    fn a_first_key_keeps_its_dash_when_removed() {
        let text = "list:\n  - code: x\n    id: a\n";
        let root = parse(text).unwrap();
        let item = &items(entry(&root, "list").unwrap().1)[0];
        let mut editor = Editor::new(text);
        editor.remove(entry(item, "code").unwrap()).unwrap();
        assert_eq!(editor.finish(), "list:\n  - code: ~\n    id: a\n");
    }
}
