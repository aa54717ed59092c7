//! Quiz banks, `quiz/<id>.yaml`: one per module, questions of six kinds.
//!
//! Every question is written as one flat record whose `type` says which of the
//! other keys it uses; the loader checks that each type has what it needs and
//! nothing it would ignore. Keeping the record flat keeps unknown-key errors,
//! with their suggestions, exact for every question type.

use serde::Deserialize;

use super::lesson::{Blank, Snippet};
use super::seal::{Accepted, Sealed};
use super::text::Text;
use crate::yaml::de::list;

/// A question bank as written.
#[derive(Debug, Clone, Deserialize)]
pub struct Bank {
    /// The content format this bank is written in.
    pub format_version: u32,
    /// The bank's title.
    pub title: Text,
    /// How many questions one attempt draws (default: all of them).
    #[serde(default)]
    pub draw: Option<usize>,
    /// The questions.
    #[serde(deserialize_with = "list")]
    pub questions: Vec<Question>,
    /// The bank's id: its file name without `.yaml`.
    #[serde(skip)]
    pub id: String,
}

impl Bank {
    /// How many questions an attempt shows.
    pub fn drawn(&self) -> usize {
        self.draw
            .unwrap_or(self.questions.len())
            .min(self.questions.len())
    }

    /// A question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// One correct option among several.
    Single,
    /// Several correct options.
    Multiple,
    /// A statement that is true or false.
    TrueFalse,
    /// A typed answer, compared exactly, ignoring case, or by regex.
    Short,
    /// Blanks in a code snippet.
    Fill,
    /// Options to put in order (written in the correct order).
    Order,
}

impl QuestionType {
    /// The key used in YAML.
    pub fn key(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "true_false",
            QuestionType::Short => "short",
            QuestionType::Fill => "fill",
            QuestionType::Order => "order",
        }
    }

    /// Whether the type shows a list of options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionType::Single | QuestionType::Multiple | QuestionType::Order
        )
    }
}

/// One question as written.
#[derive(Debug, Clone, Deserialize)]
pub struct Question {
    /// Stable id, unique in the bank; answers files refer to it.
    pub id: String,
    /// What kind of question this is.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// Points for a full answer.
    #[serde(default = "one")]
    pub points: u32,
    /// The lesson step that teaches it, as `lesson#step`: shown after a wrong answer.
    pub teaches: String,
    /// The question.
    pub prompt: Text,
    /// Code shown with the prompt; for `fill`, it holds the `___FILL_NAME___` blanks.
    #[serde(default)]
    pub code: Option<Snippet>,
    /// Options (`single`, `multiple`; for `order`, in the correct order).
    #[serde(default, deserialize_with = "list")]
    pub options: Vec<Choice>,
    /// The correct option (`single`), options (`multiple`), or truth
    /// (`true_false`); in a student edition, sealed (also for `order`).
    #[serde(default)]
    pub correct: Option<Correct>,
    /// Accepted answers (`short`); in a student edition, maybe sealed.
    #[serde(default)]
    pub answers: Accepted,
    /// How a `short` answer is compared.
    #[serde(default, rename = "match")]
    pub matching: Option<Matching>,
    /// The blanks of the code and their answers (`fill`).
    #[serde(default, deserialize_with = "list")]
    pub blanks: Vec<Blank>,
    /// Whether part of the answer earns part of the points (`multiple`, `fill`, `order`).
    #[serde(default)]
    pub scoring: Option<Scoring>,
    /// Why the answer is what it is; shown after answering.
    pub explanation: Text,
}

fn one() -> u32 {
    1
}

impl Question {
    /// Whether the question's key is sealed (a student edition): its right
    /// answer can be checked but not shown.
    pub fn is_sealed(&self) -> bool {
        matches!(self.correct, Some(Correct::Sealed(_)))
            || matches!(self.answers, Accepted::Sealed(_))
            || self
                .blanks
                .iter()
                .any(|b| matches!(b.answers, Accepted::Sealed(_)))
    }
}

/// An option of a question.
#[derive(Debug, Clone, Deserialize)]
pub struct Choice {
    /// Stable id, unique in the question; answers refer to it.
    pub id: String,
    /// What the student reads.
    pub text: Text,
}

/// The `correct` key: an option id, a list of them, a truth value, or (in a
/// student edition) a sealed key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Correct {
    /// `true_false`.
    Truth(bool),
    /// `single`.
    One(String),
    /// `multiple`.
    Many(Vec<String>),
    /// Any option type, sealed; see `quiz::sealed` for what is digested.
    Sealed(Sealed),
}

/// How a short answer is compared with the accepted ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Matching {
    /// Character for character, after trimming.
    #[default]
    Exact,
    /// Ignoring case and runs of spaces.
    CaseInsensitive,
    /// Each accepted answer is a regular expression that must match the whole answer.
    Regex,
    /// A number, with or without words after it (`51`, `51 запрос`), or as
    /// integer arithmetic (`1 + 50`); see [`super::compare::number`].
    Number,
    /// Code, as a blank's `compare: code` compares it.
    Code,
    /// SQL, as a blank's `compare: sql` compares it.
    Sql,
}

/// All or nothing, or a share of the points for a share of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// Full points only for a fully correct answer.
    #[default]
    AllOrNothing,
    /// Points in proportion to what is right.
    Partial,
}
