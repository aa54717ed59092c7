//! A student's answer to one question, and how typed text becomes one.

use std::collections::BTreeMap;

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::course::bank::{Question, QuestionType};
use crate::lang::Lang;

/// An answer, in the shape the question's type expects. Option answers name
/// option ids (not the letters shown), so shuffling never changes their meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// `true_false`.
    Truth(bool),
    /// `single` (an option id) or `short` (the text).
    One(String),
    /// `multiple` (option ids) or `order` (option ids in order).
    Many(Vec<String>),
    /// `fill`: blank name → text.
    Blanks(BTreeMap<String, String>),
}

/// Answers are read by hand rather than as an untagged enum, so that numbers
/// count as text (`n-plus-one: 51`) and a wrong shape gets a message that says
/// what an answer can look like.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Answer, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Answer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer: an option id or text, a list of option ids, `true`/`false`, or `BLANK: answer` lines")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Answer, E> {
        Ok(Answer::Truth(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Answer, E> {
        Ok(Answer::One(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Answer, E> {
        Ok(Answer::One(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Answer, E> {
        Ok(Answer::One(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Answer, E> {
        Ok(Answer::One(v.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Scalar>()? {
            items.push(item.0);
        }
        Ok(Answer::Many(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
        let mut blanks = BTreeMap::new();
        while let Some((name, text)) = map.next_entry::<String, Scalar>()? {
            blanks.insert(name, text.0);
        }
        Ok(Answer::Blanks(blanks))
    }
}

/// A text, number or truth value, as text.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an option id or a text")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// Why an answer does not fit its question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The answer has the wrong shape for the question's type.
    #[error("expected {}", expected.describe(Lang::En))]
    Shape {
        /// What the question takes.
        expected: Shape,
    },
    /// An option id that the question does not have.
    #[error("`{given}` is not an option of this question (options: {valid})")]
    UnknownOption {
        /// The id given.
        given: String,
        /// The valid ids.
        valid: String,
    },
    /// A blank name that the question does not have.
    #[error("`{given}` is not a blank of this question (blanks: {valid})")]
    UnknownBlank {
        /// The name given.
        given: String,
        /// The valid names.
        valid: String,
    },
    /// An ordering that repeats or leaves out options.
    #[error("an order must name every option exactly once ({valid})")]
    NotAPermutation {
        /// The valid ids.
        valid: String,
    },
}

/// The shape of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `true` or `false`.
    Truth,
    /// One option id.
    Option,
    /// A list of option ids.
    Options,
    /// A text.
    Text,
    /// Every option id, in order.
    Order,
    /// Blank names mapped to answers.
    Blanks,
}

impl Shape {
    /// The shape, in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Shape::Truth => lang.pick("`true` or `false`", "`true` или `false`"),
            Shape::Option => lang.pick("one option id", "один id варианта"),
            Shape::Options => lang.pick("a list of option ids", "список id вариантов"),
            Shape::Text => lang.pick("a text", "текст"),
            Shape::Order => lang.pick(
                "a list of every option id, in order",
                "список всех id вариантов по порядку",
            ),
            Shape::Blanks => lang.pick(
                "a mapping of blank names to answers",
                "отображение имён пропусков в ответы",
            ),
        }
    }
}

impl AnswerError {
    /// What is wrong, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        // Ids are code: in Russian they stand out in backticks.
        let quoted = |ids: &str| {
            ids.split(", ")
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (lang, self) {
            (Lang::En, _) => self.to_string(),
            (Lang::Ru, AnswerError::Shape { expected }) => {
                format!("ожидается {}", expected.describe(lang))
            }
            (Lang::Ru, AnswerError::UnknownOption { given, valid }) => format!(
                "`{given}` — не вариант этого вопроса (варианты: {})",
                quoted(valid)
            ),
            (Lang::Ru, AnswerError::UnknownBlank { given, valid }) => format!(
                "`{given}` — не пропуск этого вопроса (пропуски: {})",
                quoted(valid)
            ),
            (Lang::Ru, AnswerError::NotAPermutation { valid }) => format!(
                "порядок должен назвать каждый вариант ровно один раз ({})",
                quoted(valid)
            ),
        }
    }
}

fn ids(question: &Question) -> String {
    question
        .options
        .iter()
        .map(|o| o.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Answer {
    /// Checks that the answer fits the question and returns it in its canonical
    /// shape (a lone option for `multiple` becomes a list, a lone text for a
    /// one-blank `fill` becomes that blank's answer).
    pub fn fit(self, question: &Question) -> Result<Answer, AnswerError> {
        let option = |id: &String| -> Result<(), AnswerError> {
            if question.options.iter().any(|o| &o.id == id) {
                Ok(())
            } else {
                Err(AnswerError::UnknownOption {
                    given: id.clone(),
                    valid: ids(question),
                })
            }
        };
        match (question.kind, self) {
            (QuestionType::TrueFalse, Answer::Truth(t)) => Ok(Answer::Truth(t)),
            (QuestionType::TrueFalse, _) => Err(AnswerError::Shape {
                expected: Shape::Truth,
            }),
            (QuestionType::Single, Answer::One(id)) => option(&id).map(|()| Answer::One(id)),
            (QuestionType::Single, _) => Err(AnswerError::Shape {
                expected: Shape::Option,
            }),
            (QuestionType::Multiple, Answer::One(id)) => {
                option(&id).map(|()| Answer::Many(vec![id]))
            }
            (QuestionType::Multiple, Answer::Many(list)) => {
                list.iter().try_for_each(option)?;
                Ok(Answer::Many(list))
            }
            (QuestionType::Multiple, _) => Err(AnswerError::Shape {
                expected: Shape::Options,
            }),
            (QuestionType::Short, Answer::One(text)) => Ok(Answer::One(text)),
            (QuestionType::Short, Answer::Truth(t)) => Ok(Answer::One(t.to_string())),
            (QuestionType::Short, _) => Err(AnswerError::Shape {
                expected: Shape::Text,
            }),
            (QuestionType::Order, Answer::Many(list)) => {
                list.iter().try_for_each(option)?;
                let mut sorted = list.clone();
                sorted.sort();
                sorted.dedup();
                if sorted.len() != list.len() || list.len() != question.options.len() {
                    return Err(AnswerError::NotAPermutation {
                        valid: ids(question),
                    });
                }
                Ok(Answer::Many(list))
            }
            (QuestionType::Order, _) => Err(AnswerError::Shape {
                expected: Shape::Order,
            }),
            (QuestionType::Fill, Answer::One(text)) if question.blanks.len() == 1 => Ok(
                Answer::Blanks(BTreeMap::from([(question.blanks[0].id.clone(), text)])),
            ),
            (QuestionType::Fill, Answer::Blanks(map)) => {
                for name in map.keys() {
                    if !question.blanks.iter().any(|b| &b.id == name) {
                        return Err(AnswerError::UnknownBlank {
                            given: name.clone(),
                            valid: question
                                .blanks
                                .iter()
                                .map(|b| b.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                }
                Ok(Answer::Blanks(map))
            }
            (QuestionType::Fill, _) => Err(AnswerError::Shape {
                expected: Shape::Blanks,
            }),
        }
    }
}
