//! A problem in the course content, pointing at the exact place.

use std::fmt;
use std::path::PathBuf;

use crate::yaml::Mark;

/// One content error, shown as
/// `lessons/pool.yaml:14:7: sections.task[0].title: missing the English translation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the course root.
    pub file: PathBuf,
    /// Where in the file; `None` for a problem with the file as a whole.
    pub mark: Option<Mark>,
    /// The YAML path of the offending value; empty for the whole document.
    pub path: String,
    /// What is wrong, as a lowercase sentence fragment.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a file as a whole (missing, unreadable).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            mark: None,
            path: String::new(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes, so the text is the same on every platform and in snapshots.
        let file = self.file.to_string_lossy().replace('\\', "/");
        write!(f, "{file}")?;
        if let Some(mark) = self.mark {
            write!(f, ":{}:{}", mark.line, mark.col)?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}
