//! Comparing the rows a student's code returned with the rows expected, and
//! saying what is wrong the way a teacher would: which rows are missing,
//! which should not be there, which came twice, whether only the order is
//! off, and which row differs in what — never just "expected 5, got 4".

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::failure::{Failure, fail};

/// What is wrong with a list of rows, first thing first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// Rows that came more than once: `(id, times)`.
    Duplicated(Vec<(i64, usize)>),
    /// Expected rows that are not there.
    Missing(Vec<i64>),
    /// Rows that should not be there.
    Extra(Vec<i64>),
    /// The right rows in the wrong order.
    Order {
        /// The ids in the expected order.
        expected: Vec<i64>,
        /// The ids as returned.
        got: Vec<i64>,
    },
    /// A row with the right id and something else wrong.
    Differs(i64),
}

/// The names of the rows in a message: `["item", "вещь"]`.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    /// English, singular.
    pub en: &'static str,
    /// Russian, singular nominative ("вещь").
    pub ru: &'static str,
}

/// How many ids a message lists before "…".
const SHOWN: usize = 6;

/// The first mismatch between `expected` and `actual`, rows told apart by `id`.
pub fn diff<T: PartialEq>(
    expected: &[T],
    actual: &[T],
    id: impl Fn(&T) -> i64,
) -> Option<Mismatch> {
    if expected == actual {
        return None;
    }
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for row in actual {
        *counts.entry(id(row)).or_default() += 1;
    }
    let duplicated: Vec<(i64, usize)> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(i, n)| (*i, *n))
        .collect();
    if !duplicated.is_empty() {
        return Some(Mismatch::Duplicated(duplicated));
    }
    let wanted: Vec<i64> = expected.iter().map(&id).collect();
    let got: Vec<i64> = actual.iter().map(&id).collect();
    let missing: Vec<i64> = wanted
        .iter()
        .copied()
        .filter(|i| !counts.contains_key(i))
        .collect();
    if !missing.is_empty() {
        return Some(Mismatch::Missing(missing));
    }
    let extra: Vec<i64> = got
        .iter()
        .copied()
        .filter(|i| !wanted.contains(i))
        .collect();
    if !extra.is_empty() {
        return Some(Mismatch::Extra(extra));
    }
    if wanted != got {
        return Some(Mismatch::Order {
            expected: wanted,
            got,
        });
    }
    expected
        .iter()
        .zip(actual)
        .find(|(e, a)| e != a)
        .map(|(e, _)| Mismatch::Differs(id(e)))
}

fn list(ids: &[i64]) -> String {
    let mut shown: Vec<String> = ids.iter().take(SHOWN).map(ToString::to_string).collect();
    if ids.len() > SHOWN {
        shown.push(format!("… (+{})", ids.len() - SHOWN));
    }
    shown.join(", ")
}

impl Mismatch {
    /// The failure, with `context` (`["with 12 items", "при 12 вещах"]`) in
    /// front and the rows concerned shown with `show`.
    pub fn failure<T: Debug>(
        &self,
        context: [&str; 2],
        noun: Noun,
        expected: &[T],
        actual: &[T],
        id: impl Fn(&T) -> i64,
    ) -> Failure {
        let find = |rows: &[T], wanted: i64| {
            rows.iter()
                .find(|r| id(r) == wanted)
                .map(|r| format!("{r:?}"))
        };
        let [c_en, c_ru] = context;
        let (n_en, n_ru) = (noun.en, noun.ru);
        match self {
            Mismatch::Duplicated(rows) => {
                let ids: Vec<i64> = rows.iter().map(|(i, _)| *i).collect();
                let (first, times) = rows[0];
                fail(format!(
                    "{c_en}: some {n_en} ids come more than once ({}); {n_en} {first} comes {times} times. Each {n_en} must appear once: rows repeated by a JOIN have to be grouped",
                    list(&ids)
                ))
                .ru(format!(
                    "{c_ru}: некоторые id ({n_ru}) встречаются больше одного раза ({}); id {first} — {times} раз(а). Каждая запись должна встречаться один раз: строки, размноженные JOIN, нужно сгруппировать",
                    list(&ids)
                ))
            }
            Mismatch::Missing(ids) => {
                let mut failure = fail(format!("{c_en}: missing {n_en} ids: {}", list(ids)))
                    .ru(format!("{c_ru}: не хватает ({n_ru}), id: {}", list(ids)));
                for wanted in ids.iter().take(3) {
                    if let Some(row) = find(expected, *wanted) {
                        failure = failure.evidence(format!("  missing / нет: {row}"));
                    }
                }
                failure
            }
            Mismatch::Extra(ids) => {
                let mut failure = fail(format!(
                    "{c_en}: {n_en} ids that should not be there: {}",
                    list(ids)
                ))
                .ru(format!("{c_ru}: лишние ({n_ru}), id: {}", list(ids)));
                for extra in ids.iter().take(3) {
                    if let Some(row) = find(actual, *extra) {
                        failure = failure.evidence(format!("  extra / лишнее: {row}"));
                    }
                }
                failure
            }
            Mismatch::Order { expected, got } => fail(format!(
                "{c_en}: the right {n_en} rows, in the wrong order: an `ORDER BY` is missing or sorts by something else"
            ))
            .ru(format!(
                "{c_ru}: строки верные, но не в том порядке: не хватает `ORDER BY` или сортировка не по тому"
            ))
            .evidence(format!("  expected ids / ожидались id: {}", list(expected)))
            .evidence(format!("  got ids / получены id:       {}", list(got))),
            Mismatch::Differs(wanted) => fail(format!("{c_en}: {n_en} {wanted} is not right"))
                .ru(format!("{c_ru}: {n_ru} с id {wanted}: данные неверны"))
                .evidence(format!(
                    "  expected / ожидалось: {}\n  got / получено:       {}",
                    find(expected, *wanted).unwrap_or_default(),
                    find(actual, *wanted).unwrap_or_default()
                )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(row: &(i64, &str)) -> i64 {
        row.0
    }

    #[test]
    fn the_first_thing_wrong_is_named() {
        let expected = [(1, "a"), (5, "b"), (9, "c")];
        assert_eq!(diff(&expected, &expected, id), None);
        assert_eq!(
            diff(&expected, &[(1, "a"), (5, "b"), (5, "b"), (9, "c")], id),
            Some(Mismatch::Duplicated(vec![(5, 2)]))
        );
        assert_eq!(
            diff(&expected, &[(1, "a"), (9, "c")], id),
            Some(Mismatch::Missing(vec![5]))
        );
        assert_eq!(
            diff(&expected, &[(1, "a"), (5, "b"), (7, "x"), (9, "c")], id),
            Some(Mismatch::Extra(vec![7]))
        );
        assert_eq!(
            diff(&expected, &[(9, "c"), (5, "b"), (1, "a")], id),
            Some(Mismatch::Order {
                expected: vec![1, 5, 9],
                got: vec![9, 5, 1]
            })
        );
        assert_eq!(
            diff(&expected, &[(1, "a"), (5, "B"), (9, "c")], id),
            Some(Mismatch::Differs(5))
        );
    }

    #[test]
    fn messages_name_the_rows() {
        let expected = [(1, "a"), (5, "b")];
        let actual = [(1, "a")];
        let noun = Noun {
            en: "item",
            ru: "вещь",
        };
        let failure = diff(&expected, &actual, id).unwrap().failure(
            ["with 2 items", "при 2 вещах"],
            noun,
            &expected,
            &actual,
            id,
        );
        assert_eq!(failure.message, "with 2 items: missing item ids: 5");
        assert_eq!(
            failure.evidence,
            vec!["  missing / нет: (5, \"b\")".to_owned()]
        );
        assert!(failure.message_ru.unwrap().contains("не хватает"));
    }
}
