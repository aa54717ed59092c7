//! Marking answers: a share of each question's points, summed, against the
//! module's pass mark.

use std::collections::{BTreeMap, HashSet};

use regex::Regex;

use super::answer::Answer;
use super::draw::Attempt;
use crate::course::bank::{Correct, Matching, Question, QuestionType, Scoring};
use crate::course::compare;
use crate::course::seal::Accepted;

/// Rounding slack for sums of partial points (thirds and the like).
const EPSILON: f64 = 1e-9;

/// The share of a question's points that `answer` earns, from 0 to 1. The
/// answer is expected to fit the question (see [`Answer::fit`]); one that does
/// not earns nothing.
pub fn fraction(question: &Question, answer: &Answer) -> f64 {
    if let Some(Correct::Sealed(sealed)) = &question.correct {
        return super::sealed::fraction(question, sealed, answer);
    }
    let partial = question.scoring == Some(Scoring::Partial);
    match (question.kind, answer) {
        (QuestionType::Single, Answer::One(id)) => {
            score(matches!(&question.correct, Some(Correct::One(c)) if c == id))
        }
        (QuestionType::TrueFalse, Answer::Truth(t)) => {
            score(matches!(&question.correct, Some(Correct::Truth(c)) if c == t))
        }
        (QuestionType::Multiple, Answer::Many(chosen)) => {
            let Some(Correct::Many(correct)) = &question.correct else {
                return 0.0;
            };
            let correct: HashSet<&str> = correct.iter().map(String::as_str).collect();
            let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
            if partial {
                // Each right pick earns a share; each wrong pick takes one back, so
                // ticking every box is never worth more than ticking none.
                let right = chosen.intersection(&correct).count();
                let wrong = chosen.difference(&correct).count();
                ratio(right.saturating_sub(wrong), correct.len())
            } else {
                score(chosen == correct)
            }
        }
        (QuestionType::Short, Answer::One(text)) => {
            let matching = question.matching.unwrap_or_default();
            score(match &question.answers {
                Accepted::Plain(answers) => answers
                    .iter()
                    .any(|accepted| short_matches(matching, accepted, text)),
                Accepted::Sealed(sealed) => {
                    short_form(matching, text).is_some_and(|form| sealed.holds(&form))
                }
            })
        }
        (QuestionType::Fill, Answer::Blanks(given)) => {
            let right = question
                .blanks
                .iter()
                .filter(|blank| given.get(&blank.id).is_some_and(|text| blank.accepts(text)))
                .count();
            if partial {
                ratio(right, question.blanks.len())
            } else {
                score(right == question.blanks.len())
            }
        }
        (QuestionType::Order, Answer::Many(order)) => {
            let in_place = question
                .options
                .iter()
                .zip(order)
                .filter(|(option, given)| &option.id == *given)
                .count();
            if partial {
                ratio(in_place, question.options.len())
            } else {
                score(in_place == question.options.len() && order.len() == question.options.len())
            }
        }
        _ => 0.0,
    }
}

pub(super) fn score(right: bool) -> f64 {
    if right { 1.0 } else { 0.0 }
}

pub(super) fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    let (part, whole) = (
        u32::try_from(part).unwrap_or(u32::MAX),
        u32::try_from(whole).unwrap_or(u32::MAX),
    );
    f64::from(part) / f64::from(whole)
}

/// Whether a short answer matches one accepted answer.
pub fn short_matches(matching: Matching, accepted: &str, given: &str) -> bool {
    match short_form(matching, given) {
        Some(given) => short_form(matching, accepted).is_some_and(|accepted| accepted == given),
        // The whole answer must match, not a part of it: `pool` must not accept
        // `whirlpool`. An invalid pattern is a content error caught at load time.
        None => Regex::new(&format!("^(?:{accepted})$")).is_ok_and(|re| re.is_match(given.trim())),
    }
}

/// The form in which short answers are compared: two answers match when their
/// forms are equal. `None` for a regular expression, which has no such form.
/// The student edition digests this form of each accepted answer.
pub fn short_form(matching: Matching, text: &str) -> Option<String> {
    match matching {
        Matching::Exact => Some(compare::exact(text)),
        Matching::CaseInsensitive => Some(compare::folded(text)),
        Matching::Number => Some(compare::number(text)),
        Matching::Code => Some(compare::code(text)),
        Matching::Sql => Some(compare::sql(text)),
        Matching::Regex => None,
    }
}

/// One question's result.
#[derive(Debug, Clone)]
pub struct QuestionResult<'a> {
    /// The question.
    pub question: &'a Question,
    /// The options in the order they were shown.
    pub order: Vec<usize>,
    /// The answer given, if any.
    pub answer: Option<Answer>,
    /// Points earned.
    pub earned: f64,
    /// Points possible.
    pub points: f64,
}

impl QuestionResult<'_> {
    /// Full points.
    pub fn is_right(&self) -> bool {
        self.earned + EPSILON >= self.points
    }

    /// Some but not all points.
    pub fn is_partial(&self) -> bool {
        self.earned > EPSILON && !self.is_right()
    }
}

/// A marked attempt.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// Each question, in the order shown.
    pub results: Vec<QuestionResult<'a>>,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max: f64,
    /// The pass mark in percent.
    pub pass_percent: u32,
    /// The seed of the attempt.
    pub seed: u64,
}

impl Outcome<'_> {
    /// The score in percent.
    pub fn percent(&self) -> f64 {
        if self.max > 0.0 {
            self.score / self.max * 100.0
        } else {
            0.0
        }
    }

    /// Whether the score reaches the pass mark: exactly 80 % of 80 % passes.
    pub fn passed(&self) -> bool {
        passes(self.score, self.max, self.pass_percent)
    }
}

/// Whether `score` out of `max` reaches `pass_percent`, compared without
/// dividing so that 8 of 10 at 80 % passes exactly.
pub fn passes(score: f64, max: f64, pass_percent: u32) -> bool {
    max > 0.0 && score * 100.0 + EPSILON >= f64::from(pass_percent) * max
}

/// Marks every question of an attempt; a question without an answer earns nothing.
pub fn mark_attempt<'a>(
    attempt: &Attempt<'a>,
    answers: &BTreeMap<String, Answer>,
    pass_percent: u32,
) -> Outcome<'a> {
    let results: Vec<QuestionResult<'a>> = attempt
        .questions
        .iter()
        .map(|drawn| {
            let answer = answers.get(&drawn.question.id).cloned();
            let points = f64::from(drawn.question.points);
            let earned = answer
                .as_ref()
                .map_or(0.0, |a| fraction(drawn.question, a) * points);
            QuestionResult {
                question: drawn.question,
                order: drawn.order.clone(),
                answer,
                earned,
                points,
            }
        })
        .collect();
    let score = results.iter().map(|r| r.earned).sum();
    let max = results.iter().map(|r| r.points).sum();
    Outcome {
        results,
        score,
        max,
        pass_percent,
        seed: attempt.seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::bank::Choice;
    use crate::course::lesson::{Blank, Compare};
    use crate::course::text::Text;

    fn question(kind: QuestionType) -> Question {
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
            scoring: None,
            explanation: Text::new("Because", "Потому что"),
        }
    }

    fn many(ids: &[&str]) -> Answer {
        Answer::Many(ids.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn single_choice() {
        let mut q = question(QuestionType::Single);
        q.correct = Some(Correct::One("b".into()));
        assert!((fraction(&q, &Answer::One("b".into())) - 1.0).abs() < EPSILON);
        assert!(fraction(&q, &Answer::One("a".into())).abs() < EPSILON);
        assert!(
            fraction(&q, &many(&["b"])).abs() < EPSILON,
            "a wrong shape earns nothing"
        );
    }

    #[test]
    fn true_false() {
        let mut q = question(QuestionType::TrueFalse);
        q.correct = Some(Correct::Truth(false));
        assert!((fraction(&q, &Answer::Truth(false)) - 1.0).abs() < EPSILON);
        assert!(fraction(&q, &Answer::Truth(true)).abs() < EPSILON);
    }

    #[test]
    fn multiple_all_or_nothing() {
        let mut q = question(QuestionType::Multiple);
        q.correct = Some(Correct::Many(vec!["a".into(), "c".into()]));
        assert!(
            (fraction(&q, &many(&["c", "a"])) - 1.0).abs() < EPSILON,
            "order does not matter"
        );
        assert!(fraction(&q, &many(&["a"])).abs() < EPSILON);
        assert!(fraction(&q, &many(&["a", "c", "d"])).abs() < EPSILON);
    }

    #[test]
    fn multiple_partial_credit() {
        let mut q = question(QuestionType::Multiple);
        q.correct = Some(Correct::Many(vec!["a".into(), "b".into(), "c".into()]));
        q.scoring = Some(Scoring::Partial);
        assert!((fraction(&q, &many(&["a", "b", "c"])) - 1.0).abs() < EPSILON);
        assert!((fraction(&q, &many(&["a", "b"])) - 2.0 / 3.0).abs() < EPSILON);
        assert!(
            (fraction(&q, &many(&["a", "b", "d"])) - 1.0 / 3.0).abs() < EPSILON,
            "a wrong pick cancels a right one"
        );
        assert!(
            fraction(&q, &many(&["a", "b", "c", "d"])) < 1.0,
            "ticking everything is not full marks"
        );
        assert!(
            fraction(&q, &many(&["d"])).abs() < EPSILON,
            "never below zero"
        );
        assert!(fraction(&q, &many(&[])).abs() < EPSILON);
    }

    #[test]
    fn short_answers_exact_case_insensitive_and_regex() {
        let mut q = question(QuestionType::Short);
        q.answers = Accepted::Plain(vec!["fetch_optional".into(), "fetch_optional()".into()]);
        assert!((fraction(&q, &Answer::One("  fetch_optional ".into())) - 1.0).abs() < EPSILON);
        assert!(
            (fraction(&q, &Answer::One("fetch_optional()".into())) - 1.0).abs() < EPSILON,
            "alternatives"
        );
        assert!(
            fraction(&q, &Answer::One("Fetch_Optional".into())).abs() < EPSILON,
            "exact is case-sensitive"
        );
        q.matching = Some(Matching::CaseInsensitive);
        assert!((fraction(&q, &Answer::One("FETCH_OPTIONAL".into())) - 1.0).abs() < EPSILON);
        q.answers = Accepted::Plain(vec!["max lifetime".into()]);
        assert!(
            (fraction(&q, &Answer::One("Max   Lifetime".into())) - 1.0).abs() < EPSILON,
            "spaces fold"
        );
    }

    #[test]
    fn short_answers_by_number_take_the_words_too() {
        let mut q = question(QuestionType::Short);
        q.answers = Accepted::Plain(vec!["51".into()]);
        q.matching = Some(Matching::Number);
        for given in ["51", "51 запрос", "51 запросов", "51 queries", "1 + 50"] {
            assert!(
                (fraction(&q, &Answer::One(given.into())) - 1.0).abs() < EPSILON,
                "{given}"
            );
        }
        assert!(fraction(&q, &Answer::One("50".into())).abs() < EPSILON);
        assert!(fraction(&q, &Answer::One("51 or 50".into())).abs() < EPSILON);
    }

    #[test]
    fn regex_must_match_the_whole_answer() {
        assert!(short_matches(Matching::Regex, r"pool(ed)?", "pool"));
        assert!(short_matches(Matching::Regex, r"pool(ed)?", " pooled "));
        assert!(
            !short_matches(Matching::Regex, r"pool", "whirlpool"),
            "anchored at the start"
        );
        assert!(
            !short_matches(Matching::Regex, r"pool", "pools"),
            "anchored at the end"
        );
        assert!(
            short_matches(Matching::Regex, r"a|b", "b"),
            "alternation is grouped before anchoring"
        );
        assert!(!short_matches(Matching::Regex, r"a|b", "ab"));
        assert!(short_matches(
            Matching::Regex,
            r"(?i)max_connections\(\s*15\s*\)",
            "MAX_CONNECTIONS( 15 )"
        ));
        assert!(
            !short_matches(Matching::Regex, r"(unclosed", "(unclosed"),
            "an invalid pattern accepts nothing"
        );
        assert!(short_matches(Matching::Regex, r"пул", "пул"), "unicode");
    }

    #[test]
    fn fill_blanks_all_or_nothing_and_partial() {
        let mut q = question(QuestionType::Fill);
        q.blanks = ["ONE", "TWO"]
            .iter()
            .map(|id| Blank {
                id: (*id).into(),
                answers: Accepted::Plain(vec![format!("{}()", id.to_lowercase())]),
                compare: Compare::Code,
                hint: None,
            })
            .collect();
        let both = Answer::Blanks(BTreeMap::from([
            ("ONE".into(), "one( )".into()),
            ("TWO".into(), "two()".into()),
        ]));
        let half = Answer::Blanks(BTreeMap::from([
            ("ONE".into(), "one()".into()),
            ("TWO".into(), "nope".into()),
        ]));
        assert!((fraction(&q, &both) - 1.0).abs() < EPSILON);
        assert!(fraction(&q, &half).abs() < EPSILON);
        q.scoring = Some(Scoring::Partial);
        assert!((fraction(&q, &half) - 0.5).abs() < EPSILON);
    }

    #[test]
    fn ordering_all_or_nothing_and_partial() {
        let mut q = question(QuestionType::Order);
        assert!((fraction(&q, &many(&["a", "b", "c", "d"])) - 1.0).abs() < EPSILON);
        assert!(fraction(&q, &many(&["a", "b", "d", "c"])).abs() < EPSILON);
        q.scoring = Some(Scoring::Partial);
        assert!((fraction(&q, &many(&["a", "b", "d", "c"])) - 0.5).abs() < EPSILON);
        assert!(fraction(&q, &many(&["d", "c", "b", "a"])).abs() < EPSILON);
    }

    #[test]
    fn the_pass_mark_is_inclusive() {
        assert!(passes(8.0, 10.0, 80), "exactly 80 % passes");
        assert!(!passes(7.999, 10.0, 80), "just below fails");
        assert!(!passes(7.5, 10.0, 80));
        assert!(passes(4.0, 5.0, 80));
        assert!(!passes(3.9, 5.0, 80));
        // Partial points that add up to exactly the mark pass despite float rounding.
        let eight: f64 = (0..24).map(|_| 1.0 / 3.0).sum();
        assert!(eight < 8.0, "the float sum falls just short: {eight}");
        assert!(passes(eight, 10.0, 80));
        assert!(!passes(0.0, 0.0, 80), "an empty quiz never passes");
        assert!(passes(10.0, 10.0, 100));
    }
}
