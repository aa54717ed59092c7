//! The class in numbers, computed once for every output: letters, the spread
//! of totals, the modules seen, and how often each check passed.

use std::collections::{BTreeMap, HashMap};

use crate::cli::Letter;

use super::Gradebook;
use super::result::{Bilingual, Remedy, Status};
use super::words::{LETTERS, percent};

/// How many bins the histogram of totals has: 0–9, 10–19, …, 90–100.
pub const BINS: usize = 10;

/// The numbers of a class.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Students, graded or not.
    pub students: usize,
    /// How many got each letter, best first.
    pub letters: Vec<(Letter, usize)>,
    /// Students without a grade (not graded, or their result missing).
    pub ungraded: usize,
    /// The mean total of those graded.
    pub mean: Option<f64>,
    /// The median total of those graded.
    pub median: Option<f64>,
    /// Graded students per band of ten points.
    pub histogram: [usize; BINS],
    /// Every module id seen, in the order first seen, with its title.
    pub modules: Vec<(String, Bilingual)>,
    /// Every check seen, in the order first seen.
    pub checks: Vec<CheckRate>,
}

/// How one check went across the class.
#[derive(Debug, Clone)]
pub struct CheckRate {
    /// The exercise id.
    pub exercise: String,
    /// The check id.
    pub check: String,
    /// Its title.
    pub title: Bilingual,
    /// Graded students whose result has it.
    pub graded: usize,
    /// Of those, how many passed it.
    pub passed: usize,
    /// The lesson step that teaches it, as the first result naming one said.
    pub remedy: Option<Remedy>,
}

impl CheckRate {
    /// The pass rate in percent.
    pub fn rate(&self) -> f64 {
        percent(self.passed, self.graded)
    }
}

impl Stats {
    /// Counts everything once.
    pub fn of(book: &Gradebook) -> Stats {
        let mut stats = Stats {
            students: book.students.len(),
            ..Stats::default()
        };
        let mut letters = BTreeMap::new();
        let mut scores = Vec::new();
        let mut modules: HashMap<String, usize> = HashMap::new();
        let mut checks: HashMap<(String, String), usize> = HashMap::new();
        for student in &book.students {
            let Some(graded) = student.graded() else {
                stats.ungraded += 1;
                continue;
            };
            *letters.entry(graded.letter).or_insert(0) += 1;
            scores.push(graded.score);
            stats.histogram[bin(graded.score)] += 1;
            for module in &graded.modules {
                if !modules.contains_key(&module.id) {
                    modules.insert(module.id.clone(), stats.modules.len());
                    stats
                        .modules
                        .push((module.id.clone(), module.title.clone()));
                }
            }
            for (exercise, check) in graded.checks() {
                let key = (exercise.id.clone(), check.id.clone());
                let index = *checks.entry(key).or_insert_with(|| {
                    stats.checks.push(CheckRate {
                        exercise: exercise.id.clone(),
                        check: check.id.clone(),
                        title: check.title.clone(),
                        graded: 0,
                        passed: 0,
                        remedy: None,
                    });
                    stats.checks.len() - 1
                });
                let rate = &mut stats.checks[index];
                rate.graded += 1;
                rate.passed += usize::from(check.verdict == Status::Pass);
                if rate.remedy.is_none() {
                    rate.remedy.clone_from(&check.remedy);
                }
            }
        }
        stats.letters = LETTERS
            .iter()
            .map(|l| (*l, letters.get(l).copied().unwrap_or(0)))
            .collect();
        stats.mean = mean(&scores);
        stats.median = median(&mut scores);
        stats
    }

    /// Students with a grade.
    pub fn graded(&self) -> usize {
        self.students - self.ungraded
    }

    /// The checks not everyone passed, hardest first (lowest pass rate, then
    /// more students, then course order); at most `limit`.
    pub fn hardest(&self, limit: usize) -> Vec<&CheckRate> {
        let mut hard: Vec<&CheckRate> =
            self.checks.iter().filter(|c| c.passed < c.graded).collect();
        // Stable: ties keep the course order.
        hard.sort_by(|a, b| a.rate().total_cmp(&b.rate()).then(b.graded.cmp(&a.graded)));
        hard.truncate(limit);
        hard
    }
}

/// The histogram bin of a total: tens, with 100 in the last.
pub fn bin(score: f64) -> usize {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "scores are checked to be within 0–100 when read"
    )]
    let tens = (score.clamp(0.0, 100.0) / 10.0).floor() as usize;
    tens.min(BINS - 1)
}

fn mean(scores: &[f64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "a class is far below 2^52")]
    let count = scores.len() as f64;
    Some(scores.iter().sum::<f64>() / count)
}

fn median(scores: &mut [f64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    scores.sort_by(f64::total_cmp);
    let middle = scores.len() / 2;
    Some(if scores.len().is_multiple_of(2) {
        f64::midpoint(scores[middle - 1], scores[middle])
    } else {
        scores[middle]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_tens_with_100_in_the_last() {
        assert_eq!(bin(0.0), 0);
        assert_eq!(bin(9.99), 0);
        assert_eq!(bin(10.0), 1);
        assert_eq!(bin(90.0), 9);
        assert_eq!(bin(100.0), 9);
    }

    #[test]
    fn mean_and_median() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[50.0, 100.0]), Some(75.0));
        assert_eq!(median(&mut [90.0, 10.0, 50.0]), Some(50.0));
        assert_eq!(median(&mut [90.0, 10.0, 50.0, 60.0]), Some(55.0));
    }
}
