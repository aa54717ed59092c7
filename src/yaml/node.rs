//! A YAML document as a tree of nodes that remember where they start.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
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

/// A YAML syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub mark: Mark,
    /// What the parser said.
    pub message: String,
}

/// Parses one YAML document. An empty file is a null node.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder {
        text,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        mark: (*e.marker()).into(),
        message: e.info().to_owned(),
    })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    match builder.documents.len() {
        0 => Ok(Node {
            kind: Kind::Scalar {
                value: String::new(),
                plain: true,
            },
            mark: Mark { line: 1, col: 1 },
            flow: false,
        }),
        1 => Ok(builder.documents.remove(0)),
        _ => Err(SyntaxError {
            mark: builder.second_document.unwrap_or_default(),
            message: "a course file holds one YAML document; remove the extra `---`".to_owned(),
        }),
    }
}

/// Collects parser events into nodes.
#[derive(Default)]
struct Builder<'t> {
    text: &'t str,
    documents: Vec<Node>,
    second_document: Option<Mark>,
    /// Open sequences and mappings; a mapping collects keys and values alternately.
    stack: Vec<(Node, Option<Node>)>,
    anchors: HashMap<usize, Node>,
    anchor_of: Vec<usize>,
    error: Option<SyntaxError>,
}

impl Builder<'_> {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if !self.documents.is_empty() && self.second_document.is_none() {
                    self.second_document = Some(node.mark);
                }
                self.documents.push(node);
            }
            Some((parent, pending_key)) => match &mut parent.kind {
                Kind::Seq(items) => items.push(node),
                Kind::Map(entries) => match pending_key.take() {
                    None => *pending_key = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                Kind::Scalar { .. } => unreachable!("scalars are never pushed on the stack"),
            },
        }
    }
}

impl Builder<'_> {
    /// Whether the collection starting at `marker` is written inline.
    fn is_flow(&self, marker: Marker) -> bool {
        self.text
            .char_indices()
            .nth(marker.index())
            .is_some_and(|(_, c)| c == '{' || c == '[')
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, marker: Marker) {
        let mark = Mark::from(marker);
        match event {
            Event::Scalar(value, style, anchor, _tag) => {
                let node = Node {
                    kind: Kind::Scalar {
                        value,
                        plain: style == TScalarStyle::Plain,
                    },
                    mark,
                    flow: false,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_value(node);
            }
            Event::SequenceStart(anchor, _) => {
                self.anchor_of.push(anchor);
                let flow = self.is_flow(marker);
                self.stack.push((
                    Node {
                        kind: Kind::Seq(Vec::new()),
                        mark,
                        flow,
                    },
                    None,
                ));
            }
            Event::MappingStart(anchor, _) => {
                self.anchor_of.push(anchor);
                let flow = self.is_flow(marker);
                self.stack.push((
                    Node {
                        kind: Kind::Map(Vec::new()),
                        mark,
                        flow,
                    },
                    None,
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let (Some((node, _)), Some(anchor)) = (self.stack.pop(), self.anchor_of.pop()) {
                    if anchor > 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    self.push_value(node);
                }
            }
            Event::Alias(anchor) => {
                if let Some(node) = self.anchors.get(&anchor).cloned() {
                    // The copy points at the alias, so errors inside it are found where it is used.
                    self.push_value(Node { mark, ..node });
                } else if self.error.is_none() {
                    self.error = Some(SyntaxError {
                        mark,
                        message: "alias to an unknown anchor".to_owned(),
                    });
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
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
}
