//! A course file as read: its decoded value, and where each of its values is.
//! What loading produces and validation checks, in a module of its own so the
//! two depend on it and not on each other.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::yaml::Mark;

/// Where each YAML path of one file starts.
pub(super) type Marks = HashMap<String, Mark>;

/// A decoded file and where its values are.
pub(super) struct Loaded<T> {
    pub value: T,
    pub file: PathBuf,
    pub marks: Marks,
}
