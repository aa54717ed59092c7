//! What the student edition digests for each kind of question, and how an
//! answer is marked against a sealed key: one place for both, so sealing and
//! marking always agree and a right answer earns the same in both editions.
//!
//! | question | digested (each in its own digest unless said) |
//! |---|---|
//! | `single` | the option id |
//! | `true_false` | `true` or `false` |
//! | `multiple`, all or nothing | the set of ids, as one text ([`set_text`]) |
//! | `multiple`, partial | each correct id |
//! | `order`, all or nothing | the ids in order, as one text ([`sequence_text`]) |
//! | `order`, partial | each id with its place ([`position_text`]) |
//! | `short` | each accepted answer in its compared form ([`short_form`]) |
//! | `fill` | each blank's answers in the blank's compared form |
//!
//! A `short` question compared by regular expression has no compared form; the
//! export lists what a finite pattern accepts instead, or keeps it in the clear.

use std::collections::HashSet;

use super::answer::Answer;
use super::score::{ratio, score, short_form};
use crate::course::bank::{Correct, Question, QuestionType, Scoring};
use crate::course::seal::{Sealed, position_text, sequence_text, set_text};

/// The texts whose digests seal the `correct` key of an option question
/// (`single`, `multiple`, `true_false`, `order`) written in the clear; `None`
/// for other kinds, or when there is no plain key.
pub fn key_texts(question: &Question) -> Option<Vec<String>> {
    let partial = question.scoring == Some(Scoring::Partial);
    let ids = || question.options.iter().map(|o| o.id.as_str());
    match (question.kind, &question.correct) {
        (QuestionType::Single, Some(Correct::One(id))) => Some(vec![id.clone()]),
        (QuestionType::TrueFalse, Some(Correct::Truth(truth))) => Some(vec![truth.to_string()]),
        (QuestionType::Multiple, Some(Correct::Many(correct))) if partial => Some(correct.clone()),
        (QuestionType::Multiple, Some(Correct::Many(correct))) => {
            Some(vec![set_text(correct.iter().map(String::as_str))])
        }
        // An ordering's options are written in the right order.
        (QuestionType::Order, None) if partial => Some(
            ids()
                .enumerate()
                .map(|(index, id)| position_text(index, id))
                .collect(),
        ),
        (QuestionType::Order, None) => Some(vec![sequence_text(ids())]),
        _ => None,
    }
}

/// How many digests a sealed `correct` key of `question` has; `None` when any
/// number above zero will do (the correct options of a partial `multiple`).
pub fn expected_digests(question: &Question) -> Option<usize> {
    let partial = question.scoring == Some(Scoring::Partial);
    match question.kind {
        QuestionType::Multiple if partial => None,
        QuestionType::Order if partial => Some(question.options.len()),
        _ => Some(1),
    }
}

/// The share of the points `answer` earns against the sealed `correct` key of
/// an option question; the same as [`super::score::fraction`] gives against
/// the key in the clear.
pub fn fraction(question: &Question, sealed: &Sealed, answer: &Answer) -> f64 {
    let partial = question.scoring == Some(Scoring::Partial);
    match (question.kind, answer) {
        (QuestionType::Single, Answer::One(id)) => score(sealed.holds(id)),
        (QuestionType::TrueFalse, Answer::Truth(truth)) => score(sealed.holds(&truth.to_string())),
        (QuestionType::Multiple, Answer::Many(chosen)) if partial => {
            let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
            let right = chosen.iter().filter(|id| sealed.holds(id)).count();
            let wrong = chosen.len() - right;
            ratio(right.saturating_sub(wrong), sealed.sha256.len())
        }
        (QuestionType::Multiple, Answer::Many(chosen)) => {
            score(sealed.holds(&set_text(chosen.iter().map(String::as_str))))
        }
        (QuestionType::Order, Answer::Many(order)) if partial => {
            let in_place = order
                .iter()
                .enumerate()
                .filter(|(index, id)| sealed.holds(&position_text(*index, id)))
                .count();
            ratio(in_place, question.options.len())
        }
        (QuestionType::Order, Answer::Many(order)) => {
            score(sealed.holds(&sequence_text(order.iter().map(String::as_str))))
        }
        _ => 0.0,
    }
}

/// The compared forms of a `short` question's plain answers, to be digested;
/// `None` when they are compared by regular expression.
pub fn short_texts(question: &Question) -> Option<Vec<String>> {
    let matching = question.matching.unwrap_or_default();
    question
        .answers
        .plain()
        .iter()
        .map(|answer| short_form(matching, answer))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::course::bank::{Choice, Matching};
    use crate::course::lesson::{Blank, Compare};
    use crate::course::seal::{Accepted, salt};
    use crate::course::text::Text;
    use crate::quiz::score::fraction as plain_fraction;

    fn question(kind: QuestionType, scoring: Option<Scoring>) -> Question {
        Question {
            id: "q".into(),
            kind,
            points: 1,
            teaches: "l#s".into(),
            prompt: Text::new("Q", "В"),
            code: None,
            options: ["a", "b", "c", "d"]
                .iter()
                .map(|id| Choice {
                    id: (*id).into(),
                    text: Text::new(*id, *id),
                })
                .collect(),
            correct: None,
            answers: Accepted::default(),
            matching: None,
            blanks: Vec::new(),
            scoring,
            explanation: Text::new("Because", "Потому что"),
        }
    }

    /// The question with its key sealed the way the export seals it.
    fn sealed(plain: &Question) -> Question {
        let mut q = plain.clone();
        let salt = salt(&["quiz", "bank", &q.id]);
        if let Some(texts) = key_texts(plain) {
            q.correct = Some(Correct::Sealed(Sealed::seal(
                salt.clone(),
                texts.iter().map(String::as_str),
            )));
        }
        if let Some(texts) = short_texts(plain).filter(|_| q.kind == QuestionType::Short) {
            q.answers =
                Accepted::Sealed(Sealed::seal(salt.clone(), texts.iter().map(String::as_str)));
        }
        for blank in &mut q.blanks {
            let texts: Vec<String> = blank
                .answers
                .plain()
                .iter()
                .map(|a| blank.compare.normalise(a))
                .collect();
            blank.answers =
                Accepted::Sealed(Sealed::seal(salt.clone(), texts.iter().map(String::as_str)));
        }
        q
    }

    fn many(ids: &[&str]) -> Answer {
        Answer::Many(ids.iter().map(|s| (*s).to_owned()).collect())
    }

    /// Every answer earns exactly as much against the sealed key as against the plain one.
    fn same_marks(plain: &Question, answers: &[Answer]) {
        let sealed = sealed(plain);
        assert!(sealed.is_sealed(), "{:?} was sealed", plain.kind);
        for answer in answers {
            let (p, s) = (
                plain_fraction(plain, answer),
                plain_fraction(&sealed, answer),
            );
            assert!((p - s).abs() < 1e-9, "{answer:?}: plain {p}, sealed {s}");
        }
    }

    #[test]
    fn option_questions_mark_the_same_sealed() {
        let mut single = question(QuestionType::Single, None);
        single.correct = Some(Correct::One("b".into()));
        same_marks(&single, &[Answer::One("b".into()), Answer::One("a".into())]);

        let mut truth = question(QuestionType::TrueFalse, None);
        truth.options.clear();
        truth.correct = Some(Correct::Truth(false));
        same_marks(&truth, &[Answer::Truth(false), Answer::Truth(true)]);

        let picks = [
            many(&["a", "c"]),
            many(&["c", "a", "a"]),
            many(&["a"]),
            many(&["a", "c", "d"]),
            many(&["d"]),
            many(&[]),
        ];
        for scoring in [None, Some(Scoring::Partial)] {
            let mut multiple = question(QuestionType::Multiple, scoring);
            multiple.correct = Some(Correct::Many(vec!["a".into(), "c".into()]));
            same_marks(&multiple, &picks);
        }
    }

    #[test]
    fn orderings_mark_the_same_sealed() {
        let orders = [
            many(&["a", "b", "c", "d"]),
            many(&["a", "b", "d", "c"]),
            many(&["d", "c", "b", "a"]),
            many(&["b", "a", "c", "d"]),
        ];
        for scoring in [None, Some(Scoring::Partial)] {
            let order = question(QuestionType::Order, scoring);
            same_marks(&order, &orders);
            assert_eq!(
                expected_digests(&order),
                Some(if scoring.is_some() { 4 } else { 1 })
            );
        }
    }

    #[test]
    fn short_answers_mark_the_same_sealed_in_each_mode() {
        let typed = [
            "fetch_optional",
            "  fetch_optional ",
            "Fetch_Optional",
            "FETCH_OPTIONAL",
            "max   Lifetime",
            "max lifetime",
            "maxlifetime",
            "",
            "51",
            "51 запрос",
            "1 + 50",
            "FETCH_OPTIONAL ;",
        ];
        for matching in [
            None,
            Some(Matching::Exact),
            Some(Matching::CaseInsensitive),
            Some(Matching::Number),
            Some(Matching::Code),
            Some(Matching::Sql),
        ] {
            let mut short = question(QuestionType::Short, None);
            short.options.clear();
            short.matching = matching;
            short.answers = Accepted::Plain(vec![
                "fetch_optional".into(),
                "Max Lifetime".into(),
                "51".into(),
            ]);
            let answers: Vec<Answer> = typed.iter().map(|t| Answer::One((*t).into())).collect();
            same_marks(&short, &answers);
        }
        let mut regex = question(QuestionType::Short, None);
        regex.matching = Some(Matching::Regex);
        regex.answers = Accepted::Plain(vec!["a+".into()]);
        assert_eq!(short_texts(&regex), None, "a pattern has no compared form");
    }

    #[test]
    fn sql_number_and_arithmetic_blanks_mark_the_same_sealed() {
        let mut fill = question(QuestionType::Fill, Some(Scoring::Partial));
        fill.options.clear();
        fill.blanks = [
            ("KEY", Compare::Sql, "PRIMARY KEY (a, b)"),
            ("COUNT", Compare::Number, "51"),
            ("LIFETIME", Compare::Code, "from_secs(1800)"),
        ]
        .iter()
        .map(|(id, compare, answer)| Blank {
            id: (*id).into(),
            answers: Accepted::Plain(vec![(*answer).into()]),
            compare: *compare,
            hint: None,
        })
        .collect();
        let given = |key: &str, count: &str, lifetime: &str| {
            Answer::Blanks(BTreeMap::from([
                ("KEY".into(), key.into()),
                ("COUNT".into(), count.into()),
                ("LIFETIME".into(), lifetime.into()),
            ]))
        };
        same_marks(
            &fill,
            &[
                given("primary key (a,b)", "51 запрос", "from_secs(30 * 60)"),
                given("PRIMARY KEY(a, b);", "1 + 50", "from_secs(1_800)"),
                given("primary key (b, a)", "52", "from_secs(30 * 61)"),
            ],
        );
    }

    #[test]
    fn blanks_mark_the_same_sealed_in_each_mode() {
        for scoring in [None, Some(Scoring::Partial)] {
            let mut fill = question(QuestionType::Fill, scoring);
            fill.options.clear();
            fill.blanks = [("ONE", Compare::Code), ("TWO", Compare::Exact)]
                .iter()
                .map(|(id, compare)| Blank {
                    id: (*id).into(),
                    answers: Accepted::Plain(vec![
                        format!("{}( x )", id.to_lowercase()),
                        "let mut tx".into(),
                    ]),
                    compare: *compare,
                    hint: None,
                })
                .collect();
            let given = |one: &str, two: &str| {
                Answer::Blanks(BTreeMap::from([
                    ("ONE".into(), one.into()),
                    ("TWO".into(), two.into()),
                ]))
            };
            same_marks(
                &fill,
                &[
                    given("one(x)", "two( x )"),
                    given(" one ( x ) ", " two( x )\n"),
                    given("let  mut\ttx", "let  mut tx"),
                    given("letmut tx", "two(x)"),
                    given("nope", "let mut tx"),
                ],
            );
        }
    }
}
