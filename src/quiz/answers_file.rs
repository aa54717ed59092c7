//! The answers file: what a student hands in, `quiz/answers/<module>.yaml`.
//!
//! Written after every attempt (interactive or typed line by line) so the
//! student can commit it; read by `workbook quiz MODULE --answers FILE`, which
//! re-draws the same attempt from the seed and scores it the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::answer::{Answer, AnswerError};
use crate::course::paths::{FileAction, failed};
use crate::diagnostic::Diagnostic;
use crate::lang::Lang;
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

/// What can be wrong with an answers file, each shown in the student's
/// language by [`Problem::describe`].
#[derive(Debug)]
pub enum Problem {
    /// The file could not be read.
    Unreadable(std::io::Error),
    /// The file is not YAML the reader accepts, or not shaped like an answers
    /// file; the reader's own message.
    Yaml(String),
    /// A `format_version` this workbook does not read.
    Format(u32),
    /// The file answers another module's quiz.
    OtherModule {
        /// The module the file names.
        found: String,
        /// The module being scored.
        expected: String,
    },
    /// No seed, though the quiz draws only some of its questions.
    NoSeed {
        /// Questions drawn per attempt.
        drawn: usize,
        /// Questions in the bank.
        total: usize,
    },
    /// No question of this id.
    UnknownQuestion {
        /// The id given.
        id: String,
        /// The nearest id, if one is close.
        near: Option<String>,
    },
    /// A question the seed did not draw.
    NotDrawn {
        /// The question.
        id: String,
        /// The attempt's seed.
        seed: u64,
    },
    /// An answer that does not fit its question.
    Misfit {
        /// The question.
        id: String,
        /// The question's type, as written in the bank.
        kind: &'static str,
        /// What is wrong.
        error: AnswerError,
    },
}

impl Problem {
    /// What is wrong, as a sentence fragment in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Problem::Unreadable(error) => lang.pick(
                format!("cannot read the answers file: {error}"),
                format!(
                    "не удалось прочитать файл ответов: {}",
                    crate::error::io_error(error, lang)
                ),
            ),
            Problem::Yaml(message) => match lang {
                Lang::En => message.clone(),
                Lang::Ru => crate::yaml::russian::message(message),
            },
            Problem::Format(found) => lang.pick(
                format!("answers format {found} is not supported; this workbook reads {ANSWERS_FORMAT}"),
                format!("формат ответов {found} не поддерживается; эта версия workbook читает {ANSWERS_FORMAT}"),
            ),
            Problem::OtherModule { found, expected } => lang.pick(
                format!("these are answers for module `{found}`, not `{expected}`"),
                format!("это ответы для модуля `{found}`, а не `{expected}`"),
            ),
            Problem::NoSeed { drawn, total } => lang.pick(
                format!(
                    "no `seed`: this quiz draws {drawn} of {total} questions, and the seed says which; add `seed:` or pass --seed"
                ),
                format!(
                    "нет `seed`: этот квиз выбирает {drawn} вопросов из {total}, а какие — задаёт зерно; добавьте `seed:` или укажите --seed"
                ),
            ),
            Problem::UnknownQuestion { id, near } => {
                let near = near.as_ref().map_or_else(String::new, |near| {
                    lang.pick(
                        format!(" (did you mean `{near}`?)"),
                        format!(" (может быть, `{near}`?)"),
                    )
                });
                lang.pick(
                    format!("the quiz has no question `{id}`{near}"),
                    format!("в квизе нет вопроса `{id}`{near}"),
                )
            }
            Problem::NotDrawn { id, seed } => lang.pick(
                format!("question `{id}` is not in the attempt drawn with seed {seed}"),
                format!("вопроса `{id}` нет в попытке, выбранной с зерном {seed}"),
            ),
            Problem::Misfit { id, kind, error } => lang.pick(
                format!("question `{id}` ({kind}): {}", error.describe(lang)),
                format!("вопрос `{id}` (тип `{kind}`): {}", error.describe(lang)),
            ),
        }
    }
}

/// Reads an answers file; problems name the file, line and question, in
/// `lang`. `shown` is how the file is named in messages.
pub fn read(
    path: &Path,
    shown: &Path,
    lang: Lang,
) -> Result<(AnswersFile, yaml::de::Marks), Vec<Diagnostic>> {
    // Answers files come from students: the same limits as course files apply
    // (size, nesting, aliases, encoding), each reported at its place.
    let node = yaml::load(path).map_err(|e| {
        let mark = e.mark();
        let problem = match e {
            yaml::LoadError::Io(error) => Problem::Unreadable(error),
            other => Problem::Yaml(other.to_string()),
        };
        vec![Diagnostic {
            file: shown.to_path_buf(),
            mark,
            path: String::new(),
            message: problem.describe(lang),
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
            message: Problem::Yaml(p.message).describe(lang),
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
                    message: Problem::Format(file.format_version).describe(lang),
                }])
            }
        }
        _ => Err(problems),
    }
}

/// Writes an answers file with a comment saying what it is.
pub fn write(path: &Path, file: &AnswersFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| failed(e, FileAction::Create, dir))?;
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
    std::fs::write(&temp, text).map_err(|e| failed(e, FileAction::Write, &temp))?;
    std::fs::rename(&temp, path).map_err(|e| failed(e, FileAction::Write, path))
}
