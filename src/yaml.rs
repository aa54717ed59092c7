//! Reading course YAML with exact positions and every error collected.
//!
//! `serde_yaml` stops at the first problem and forgets where values came from,
//! but course authors need *all* problems, each pointing at a line, a column and
//! a YAML path (`sections.practice[2].blanks[0].answers`). So content files go
//! through small layers: [`source`] reads a file's bytes into checked text
//! (size, encoding, NUL bytes), [`node`] parses YAML into a tree whose nodes
//! carry their position, and [`de`] is a serde deserializer over that tree that
//! records problems instead of giving up (unknown keys, bad list elements) and
//! remembers where every path is, so later semantic checks can point at the
//! right place. Quiz answers files, which students hand in, take the same path,
//! so every limit against hostile input applies to them too. `serde_yaml` stays
//! the writer for files the program produces.

pub mod de;
pub mod node;
pub mod russian;
pub mod source;

pub use de::{Decoded, decode};
pub use node::{Mark, Node};
pub use source::{LoadError, load};
