//! A YAML document as a tree of nodes that remember where they start.
//!
//! Course files come from authors and answers files from students, so the tree is
//! built to survive hostile input. The parser is driven one event at a time
//! (yaml-rust2's own loader recurses once per nesting level, and 4,000 nested
//! `- ` overflow the stack); nesting deeper than [`MAX_DEPTH`] is refused;
//! aliases are expanded by replaying the events recorded under their anchor,
//! within a budget of [`MAX_ALIAS_EXPANSION`] (a kilobyte of nested aliases, a
//! "billion laughs", would otherwise expand to gigabytes); and all bookkeeping is
//! linear in the size of the file.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Line, counted from 1.
    pub line: usize,
    /// Column, counted from 1.
    pub col: usize,
}

impl From<Marker> for Mark {
    fn from(m: Marker) -> Self {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Mark {
            line: m.line(),
            col: m.col() + 1,
        }
    }
}

/// One YAML value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: Kind,
    /// Where it starts in the file.
    pub mark: Mark,
    /// Whether a mapping or list was written inline, `{a: 1}` or `[1, 2]`.
    pub flow: bool,
}

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar; `plain` is false when it was quoted or a block scalar, which
    /// makes it a string whatever it looks like (`"80"` is text, `80` a number).
    Scalar {
        /// The scalar's text.
        value: String,
        /// Whether it was written without quotes.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order; keys are kept as nodes for their positions.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// Whether this is `null`, `~` or nothing at all.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The text of a scalar key or value.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A short description of the value's shape for error messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            _ if self.is_null() => "nothing (null)".to_owned(),
            Kind::Scalar { value, .. } => {
                let shown: String = value.chars().take(40).collect();
                if shown.len() < value.len() {
                    format!("`{shown}…`")
                } else {
                    format!("`{shown}`")
                }
            }
            Kind::Seq(_) => "a list".to_owned(),
            Kind::Map(_) => "a mapping".to_owned(),
        }
    }
}

/// How deeply lists and mappings may nest. Course files need about ten levels;
/// the limit keeps the decoder's recursion far from the end of the stack.
pub const MAX_DEPTH: usize = 64;

/// How much aliases may add to a document, counted as one per value plus the
/// length of each copied text. Course and answers files need no aliases at all;
/// this leaves room for a few shared snippets and stops an alias bomb early.
pub const MAX_ALIAS_EXPANSION: usize = 100_000;

/// A problem that stops a file from being read as YAML, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub mark: Mark,
    /// What is wrong, as a full message (`invalid YAML: …`).
    pub message: String,
}

/// Parses one YAML document. An empty file is a null node.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, marker) = parser.next_token().map_err(|e| SyntaxError {
            mark: (*e.marker()).into(),
            message: format!("invalid YAML: {}", e.info()),
        })?;
        if event == Event::StreamEnd {
            break;
        }
        builder.take(event, marker)?;
    }
    Ok(builder.document.unwrap_or(Node {
        kind: Kind::Scalar {
            value: String::new(),
            plain: true,
        },
        mark: Mark { line: 1, col: 1 },
        flow: false,
    }))
}

/// An open list or mapping; a mapping collects keys and values alternately.
struct Open {
    node: Node,
    pending_key: Option<Node>,
    /// The anchor on this collection and where its events start in the record.
    anchor: Option<(usize, usize)>,
}

/// One event as recorded under an anchor, for replaying at its aliases.
struct Recorded {
    event: Event,
    mark: Mark,
    /// Whether a collection starting here is written inline.
    flow: bool,
}

/// Collects parser events into nodes.
struct Builder<'t> {
    /// The source, to tell `[…]` and `{…}` from block collections.
    text: &'t str,
    /// A char index and its byte offset in `text`: markers count chars, and
    /// walking on from the last one keeps the lookups linear in the file size.
    cursor: (usize, usize),
    document: Option<Node>,
    stack: Vec<Open>,
    /// The events under open or finished anchors; only they can be replayed.
    record: Vec<Recorded>,
    /// How many anchors are open, so events are recorded only while one is.
    recording: usize,
    /// Finished anchors: the range of their events in `record`.
    anchors: HashMap<usize, (usize, usize)>,
    /// How much aliases have added so far, against [`MAX_ALIAS_EXPANSION`].
    expanded: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            cursor: (0, 0),
            document: None,
            stack: Vec::new(),
            record: Vec::new(),
            recording: 0,
            anchors: HashMap::new(),
            expanded: 0,
        }
    }

    /// Whether the collection starting at char `index` is written inline.
    fn is_flow(&mut self, index: usize) -> bool {
        if index < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (mut chars, mut bytes) = self.cursor;
        let rest = &self.text[bytes..];
        let mut found = None;
        for c in rest.chars() {
            if chars == index {
                found = Some(c);
                break;
            }
            chars += 1;
            bytes += c.len_utf8();
        }
        self.cursor = (chars, bytes);
        matches!(found, Some('{' | '['))
    }

    /// Takes one event from the parser.
    fn take(&mut self, event: Event, marker: Marker) -> Result<(), SyntaxError> {
        let mark = Mark::from(marker);
        let opens = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
        let flow = opens && self.is_flow(marker.index());
        let anchor = match &event {
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _) => *anchor,
            _ => 0,
        };
        let start = self.record.len();
        // The anchor a closing event finishes, read before the collection leaves the stack.
        let closing = match event {
            Event::SequenceEnd | Event::MappingEnd => self.stack.last().and_then(|o| o.anchor),
            _ => None,
        };
        match event {
            Event::Alias(id) => self.alias(id, mark)?,
            _ => self.apply(&event, mark, flow)?,
        }
        if opens
            && anchor > 0
            && let Some(open) = self.stack.last_mut()
        {
            open.anchor = Some((anchor, start));
            self.recording += 1;
        }
        if self.recording > 0 || anchor > 0 {
            self.record.push(Recorded { event, mark, flow });
        }
        if let Some((id, from)) = closing {
            self.anchors.insert(id, (from, self.record.len()));
            self.recording -= 1;
        } else if anchor > 0 && !opens {
            self.anchors.insert(anchor, (start, start + 1));
        }
        Ok(())
    }

    /// Expands an alias by replaying its anchor's events, within the budget.
    fn alias(&mut self, id: usize, mark: Mark) -> Result<(), SyntaxError> {
        let Some(&(start, end)) = self.anchors.get(&id) else {
            return Err(SyntaxError {
                mark,
                message: "invalid YAML: an alias inside the very value its anchor names".to_owned(),
            });
        };
        // A stack of ranges rather than recursion: aliases inside the replayed
        // events are expanded in turn, however long the chain. The copy points
        // at the alias, so errors inside it are found where it is used: each
        // range carries the mark for its first event.
        let mut ranges = vec![(start, end, Some(mark))];
        while let Some((from, to, first)) = ranges.pop() {
            if from == to {
                continue;
            }
            ranges.push((from + 1, to, None));
            let recorded = &self.record[from];
            let at = first.unwrap_or(recorded.mark);
            if let Event::Alias(inner) = recorded.event {
                if let Some(&(start, end)) = self.anchors.get(&inner) {
                    ranges.push((start, end, Some(at)));
                }
                continue;
            }
            self.expanded += 1 + match &recorded.event {
                Event::Scalar(value, ..) => value.len(),
                _ => 0,
            };
            if self.expanded > MAX_ALIAS_EXPANSION {
                return Err(SyntaxError {
                    mark,
                    message: format!(
                        "aliases expand this file by more than {MAX_ALIAS_EXPANSION} values and characters (an alias bomb?); write the values out instead"
                    ),
                });
            }
            let (event, flow) = (recorded.event.clone(), recorded.flow);
            self.apply(&event, at, flow)?;
        }
        Ok(())
    }

    /// Adds an event's value to the tree.
    fn apply(&mut self, event: &Event, mark: Mark, flow: bool) -> Result<(), SyntaxError> {
        let kind = match event {
            Event::Scalar(value, style, ..) => Kind::Scalar {
                value: value.clone(),
                plain: *style == TScalarStyle::Plain,
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        mark,
                        message: format!(
                            "lists and mappings nest more than {MAX_DEPTH} levels deep here; flatten the file"
                        ),
                    });
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    Kind::Seq(Vec::new())
                } else {
                    Kind::Map(Vec::new())
                };
                self.stack.push(Open {
                    node: Node { kind, mark, flow },
                    pending_key: None,
                    anchor: None,
                });
                return Ok(());
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(open) => return self.push_value(open.node),
                None => return Ok(()),
            },
            Event::Alias(_)
            | Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => return Ok(()),
        };
        self.push_value(Node {
            kind,
            mark,
            flow: false,
        })
    }

    fn push_value(&mut self, node: Node) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            None => {
                if self.document.is_some() {
                    return Err(SyntaxError {
                        mark: node.mark,
                        message: "invalid YAML: a course file holds one YAML document; remove the extra `---`".to_owned(),
                    });
                }
                self.document = Some(node);
            }
            Some(open) => match &mut open.node.kind {
                Kind::Seq(items) => items.push(node),
                Kind::Map(entries) => match open.pending_key.take() {
                    None => open.pending_key = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                Kind::Scalar { .. } => unreachable!("scalars are never pushed on the stack"),
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn positions_are_one_based() {
        let node = parse("a: 1\nb:\n  - x\n  - 'y'\n").unwrap();
        let Kind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.mark, Mark { line: 1, col: 1 });
        assert_eq!(entries[1].0.mark, Mark { line: 2, col: 1 });
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items[1].mark, Mark { line: 4, col: 5 });
        assert!(matches!(&items[1].kind, Kind::Scalar { plain: false, .. }));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.mark.line >= 1, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn two_documents_are_refused() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.mark.line, 3);
    }

    #[test]
    fn aliases_copy_the_anchored_value() {
        let node = parse("a: &x {k: v}\nb: *x\n").unwrap();
        let Kind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        assert!(matches!(entries[1].1.kind, Kind::Map(_)));
        assert_eq!(entries[1].1.mark.line, 2);
    }

    #[test]
    fn inline_collections_are_marked() {
        let node = parse("a: {k: v}\nb:\n  k: v\nc: [1]\n").unwrap();
        let Kind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        let flows: Vec<bool> = entries.iter().map(|(_, v)| v.flow).collect();
        assert_eq!(flows, vec![true, false, true]);
        assert!(!node.flow);
    }

    #[test]
    fn empty_text_is_null() {
        assert!(parse("").unwrap().is_null());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let ok = "- ".repeat(MAX_DEPTH - 1) + "x\n";
        assert!(parse(&ok).is_ok());
        let deep = "- ".repeat(4000) + "x\n";
        let err = parse(&deep).unwrap_err();
        assert_eq!(
            err.mark,
            Mark {
                line: 1,
                col: 2 * MAX_DEPTH + 1
            }
        );
        assert!(err.message.contains("more than 64 levels"), "{err:?}");
        let flow = "[".repeat(200);
        assert!(parse(&flow).is_err());
    }

    #[test]
    fn an_alias_bomb_stops_at_the_budget() {
        let mut text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_owned();
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 9].join(", ");
            writeln!(text, "a{i}: &a{i} [{items}]").unwrap();
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err:?}");
        assert!(err.mark.line >= 2, "{err:?}");
    }

    #[test]
    fn a_long_text_copied_many_times_counts_its_length() {
        let text = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(10_000),
            vec!["*a"; 20].join(", ")
        );
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err:?}");
    }

    #[test]
    fn nested_anchors_and_aliases_replay_in_order() {
        let node = parse("a: &x {k: &y [1, 2], j: *y}\nb: *x\nc: *y\n").unwrap();
        let Kind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        assert_eq!(
            entries[1].1,
            Node {
                mark: Mark { line: 2, col: 4 },
                ..entries[0].1.clone()
            }
        );
        let Kind::Seq(items) = &entries[2].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items.len(), 2);
        assert!(entries[2].1.flow);
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        let err = parse("a: &x [1, *x]\n").unwrap_err();
        assert_eq!(err.mark, Mark { line: 1, col: 11 });
    }
}
