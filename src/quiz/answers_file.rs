//! The answers file: what a student hands in, `quiz/answers/<module>.yaml`.
//!
//! Written after every attempt (interactive or typed line by line) so the
//! student can commit it; read by `workbook quiz MODULE --answers FILE`, which
//! re-draws the same attempt from the seed and scores it the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use crate::diagnostic::Diagnostic;
use crate::yaml;

/// The format version of answers files.
pub const ANSWERS_FORMAT: u32 = 1;

/// An answers file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswersFile {
    /// The answers format.
    pub format_version: u32,
    /// The module whose quiz this answers.
    pub module: String,
    /// The seed of the attempt; without one, every question of the bank is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Answers by question id.
    #[serde(default, deserialize_with = "crate::yaml::de::map")]
    pub answers: BTreeMap<String, Answer>,
}

/// Where the interactive quiz saves a module's answers, relative to the course root.
pub fn default_path(module: &str) -> PathBuf {
    Path::new("quiz")
        .join("answers")
        .join(format!("{module}.yaml"))
}

/// Reads an answers file; problems name the file, line and question.
/// `shown` is how the file is named in messages.
pub fn read(path: &Path, shown: &Path) -> Result<(AnswersFile, yaml::de::Marks), Vec<Diagnostic>> {
    // Answers files come from students: the same limits as course files apply
    // (size, nesting, aliases, encoding), each reported at its place.
    let node = yaml::load(path).map_err(|e| {
        let message = match &e {
            yaml::LoadError::Io(error) => format!("cannot read the answers file: {error}"),
            other => other.to_string(),
        };
        vec![Diagnostic {
            file: shown.to_path_buf(),
            mark: e.mark(),
            path: String::new(),
            message,
        }]
    })?;
    let decoded = yaml::decode::<AnswersFile>(&node);
    let problems: Vec<Diagnostic> = decoded
        .problems
        .into_iter()
        .map(|p| Diagnostic {
            file: shown.to_path_buf(),
            mark: Some(p.mark),
            path: p.path,
            message: p.message,
        })
        .collect();
    match decoded.value {
        Some(file) if problems.is_empty() => {
            if file.format_version == ANSWERS_FORMAT {
                Ok((file, decoded.marks))
            } else {
                Err(vec![Diagnostic {
                    file: shown.to_path_buf(),
                    mark: decoded.marks.get("format_version").copied(),
                    path: "format_version".to_owned(),
                    message: format!(
                        "answers format {} is not supported; this workbook reads {ANSWERS_FORMAT}",
                        file.format_version
                    ),
                }])
            }
        }
        _ => Err(problems),
    }
}

/// Writes an answers file with a comment saying what it is.
pub fn write(path: &Path, file: &AnswersFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::course::paths::with_path(&e, "cannot create", dir))?;
    }
    let body = serde_yaml::to_string(file).map_err(std::io::Error::other)?;
    let text = format!(
        "# Quiz answers for module `{}`. Commit this file to hand in the quiz;\n# `workbook quiz {} --answers {}` scores it again.\n{body}",
        file.module,
        file.module,
        path.file_name().map_or_else(String::new, |n| format!(
            "quiz/answers/{}",
            n.to_string_lossy()
        ))
    );
    // Written aside and renamed, so an interrupted write never leaves half a file.
    // A link left where the temp file goes would be written through; the
    // rename itself replaces a link at `path` rather than following it.
    let temp = path.with_extension("yaml.tmp");
    let _ = std::fs::remove_file(&temp);
    std::fs::write(&temp, text)
        .map_err(|e| crate::course::paths::with_path(&e, "cannot write", &temp))?;
    std::fs::rename(&temp, path)
        .map_err(|e| crate::course::paths::with_path(&e, "cannot write", path))
}
