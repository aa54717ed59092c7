//! Reading a YAML file's bytes into text the parser can trust.
//!
//! The parser sees only what passes here: at most [`MAX_FILE_BYTES`], valid
//! UTF-8 (a leading byte-order mark dropped, as editors on Windows write one),
//! and no NUL byte, which yaml-rust2 would take for the end of the file and so
//! silently drop the rest. Each refusal says where in the file it is.

use std::fmt;
use std::io::Read;
use std::path::Path;

use super::node::{self, Mark, Node, SyntaxError};

/// The largest file read: ten times the largest course file and far beyond any
/// answers file, small enough that a hostile one costs little memory.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Why a YAML file could not be turned into a tree.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read; the caller names the path in its message.
    Io(std::io::Error),
    /// The file is too large to be read at all.
    TooLarge,
    /// The content is not YAML the loader accepts, at a place in the file.
    Syntax(SyntaxError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(error) => write!(f, "cannot read the file: {error}"),
            LoadError::TooLarge => write!(
                f,
                "the file is larger than {} MB, the most a course or answers file may be",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            LoadError::Syntax(error) => f.write_str(&error.message),
        }
    }
}

impl LoadError {
    /// Where in the file the problem is, if it is at one place.
    pub fn mark(&self) -> Option<Mark> {
        match self {
            LoadError::Syntax(error) => Some(error.mark),
            LoadError::Io(_) | LoadError::TooLarge => None,
        }
    }
}

/// Reads and parses a YAML file, refusing one larger than [`MAX_FILE_BYTES`]
/// without reading more than that.
pub fn load(path: &Path) -> Result<Node, LoadError> {
    let file = std::fs::File::open(path).map_err(LoadError::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(LoadError::Io)?;
    parse_bytes(&bytes)
}

/// Checks and parses the bytes of a YAML file.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let before = std::str::from_utf8(valid).unwrap_or_default();
            return Err(LoadError::Syntax(SyntaxError {
                mark: end_of(before),
                message: format!(
                    "the file is not UTF-8 text (byte 0x{:02x} here); save it as UTF-8",
                    bytes[error.valid_up_to()]
                ),
            }));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = text.find('\0') {
        return Err(LoadError::Syntax(SyntaxError {
            mark: end_of(&text[..at]),
            message: "a NUL byte (\\0) in the file; YAML is text, is this a binary file?"
                .to_owned(),
        }));
    }
    node::parse(text).map_err(LoadError::Syntax)
}

/// The position just after `text`, counted the way the parser counts: lines from
/// 1, columns in characters from 1.
fn end_of(text: &str) -> Mark {
    let line = text.matches('\n').count() + 1;
    let last = text.rfind('\n').map_or(text, |at| &text[at + 1..]);
    Mark {
        line,
        col: last.chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(bytes: &[u8]) -> (Option<Mark>, String) {
        let error = parse_bytes(bytes).unwrap_err();
        (error.mark(), error.to_string())
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let node = parse_bytes("\u{feff}a: 1\n".as_bytes()).unwrap();
        let super::super::node::Kind::Map(entries) = &node.kind else {
            panic!("not a map: {node:?}")
        };
        assert_eq!(entries[0].0.as_scalar(), Some("a"));
        assert_eq!(entries[0].0.mark, Mark { line: 1, col: 1 });
    }

    #[test]
    fn a_nul_byte_is_reported_where_it_is() {
        let (mark, message) = error(b"a: 1\nb: x\0y\nc: 3\n");
        assert_eq!(mark, Some(Mark { line: 2, col: 5 }));
        assert!(message.contains("NUL"), "{message}");
    }

    #[test]
    fn bad_utf8_is_reported_where_it_is() {
        let (mark, message) = error(b"a: 1\nb: \xc3\xa9\xff\n");
        assert_eq!(mark, Some(Mark { line: 2, col: 5 }));
        assert!(message.contains("0xff"), "{message}");
    }

    #[test]
    fn an_oversized_file_is_refused_before_parsing() {
        let big = vec![b'#'; MAX_FILE_BYTES + 1];
        let (mark, message) = error(&big);
        assert_eq!(mark, None);
        assert!(message.contains("larger than 4 MB"), "{message}");
        assert!(parse_bytes(&vec![b'#'; MAX_FILE_BYTES]).is_ok());
    }
}
