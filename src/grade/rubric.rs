//! The rubric as arithmetic: parts, weights, letters. Pure, so every boundary
//! is unit-tested; `course.yaml` and the README state the same rules.
//!
//! - Exercises: points earned over points possible, over the whole course
//!   (partial credit: each check's points count).
//! - Quiz: the mean of the modules' quiz percentages (a module without an
//!   answers file scores 0).
//! - Style: 100, minus 25 per editable file rustfmt would change and 10 per
//!   clippy warning in the editable files, never below 0; 0 when it could not
//!   be measured.
//! - A part with nothing to measure (a course without quizzes) gives its
//!   weight to the others in proportion.
//! - Letters: S ≥ 90, A ≥ 80, B ≥ 70, else C (thresholds from the course);
//!   S also needs every check green and clean style, otherwise the best is A.

use crate::cli::Letter;
use crate::course::manifest::Rubric;

use super::model::{Capped, Part, Parts};

/// Floating-point slack so that exactly 90 is 90.
const EPSILON: f64 = 1e-9;

/// Style points lost per file rustfmt would change.
pub const UNFORMATTED_PENALTY: f64 = 25.0;
/// Style points lost per clippy warning.
pub const WARNING_PENALTY: f64 = 10.0;

/// What the rubric is computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// Exercise points earned and possible over the course.
    pub points: (u32, u32),
    /// Each quizzed module's percentage, summed, and how many modules have a quiz.
    pub quiz: (f64, usize),
    /// The style percentage, 0–100.
    pub style: f64,
    /// Whether every check is green.
    pub all_green: bool,
    /// Whether rustfmt and clippy found nothing.
    pub style_clean: bool,
}

/// The total and the letter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Each part.
    pub parts: Parts,
    /// 0–100.
    pub total: f64,
    /// The letter.
    pub letter: Letter,
    /// Why not S, when the total reaches it.
    pub capped: Option<Capped>,
}

/// The style percentage from what rustfmt and clippy found.
pub fn style_percent(measured: bool, unformatted: usize, warnings: usize) -> f64 {
    if !measured {
        return 0.0;
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts of files and warnings are small"
    )]
    let lost = UNFORMATTED_PENALTY * unformatted as f64 + WARNING_PENALTY * warnings as f64;
    (100.0 - lost).max(0.0)
}

/// `earned` of `possible` in percent; nothing possible is 0 %.
pub fn percent(earned: f64, possible: f64) -> f64 {
    if possible > 0.0 {
        earned / possible * 100.0
    } else {
        0.0
    }
}

/// Scores `measured` by `rubric`.
pub fn score(rubric: &Rubric, measured: &Measured) -> Scored {
    let weights = rubric.weights;
    let has_exercises = measured.points.1 > 0;
    let has_quiz = measured.quiz.1 > 0;
    let exercises = percent(f64::from(measured.points.0), f64::from(measured.points.1));
    #[expect(clippy::cast_precision_loss, reason = "a handful of modules")]
    let quiz = if has_quiz {
        measured.quiz.0 / measured.quiz.1 as f64
    } else {
        0.0
    };
    // Weights of parts that exist; an absent part's weight goes to the others.
    let present = [
        (weights.exercises, has_exercises),
        (weights.quiz, has_quiz),
        (weights.style, true),
    ];
    let live: u32 = present.iter().filter(|(_, on)| *on).map(|(w, _)| w).sum();
    let scale = |weight: u32, on: bool| {
        if on && live > 0 {
            f64::from(weight) * 100.0 / f64::from(live)
        } else {
            0.0
        }
    };
    let part = |weight: u32, on: bool, percent: f64| Part {
        weight,
        percent: round2(percent),
        contributes: round2(scale(weight, on) * percent / 100.0),
    };
    let total = scale(weights.exercises, has_exercises) * exercises / 100.0
        + scale(weights.quiz, has_quiz) * quiz / 100.0
        + scale(weights.style, true) * measured.style / 100.0;
    let (letter, capped) = letter(rubric, total, measured.all_green, measured.style_clean);
    Scored {
        parts: Parts {
            exercises: part(weights.exercises, has_exercises, exercises),
            quiz: part(weights.quiz, has_quiz, quiz),
            style: part(weights.style, true, measured.style),
        },
        total: round2(total),
        letter,
        capped,
    }
}

/// The letter for `total`, and why it is not S when the total reaches S.
pub fn letter(
    rubric: &Rubric,
    total: f64,
    all_green: bool,
    style_clean: bool,
) -> (Letter, Option<Capped>) {
    let at_least = |threshold: u32| total + EPSILON >= f64::from(threshold);
    let grades = rubric.grades;
    if at_least(grades.s) {
        return match (all_green, style_clean) {
            (true, true) => (Letter::S, None),
            (false, true) => (Letter::A, Some(Capped::FailingChecks)),
            (true, false) => (Letter::A, Some(Capped::StyleNotClean)),
            (false, false) => (Letter::A, Some(Capped::FailingChecksAndStyle)),
        };
    }
    let letter = if at_least(grades.a) {
        Letter::A
    } else if at_least(grades.b) {
        Letter::B
    } else {
        Letter::C
    };
    (letter, None)
}

/// A module's score: its exercises and quiz weighted as the rubric weighs them.
pub fn module_score(rubric: &Rubric, points: (u32, u32), quiz: Option<f64>) -> f64 {
    let weights = rubric.weights;
    let mut sum = 0.0;
    let mut weight = 0.0;
    if points.1 > 0 {
        sum += f64::from(weights.exercises) * percent(f64::from(points.0), f64::from(points.1));
        weight += f64::from(weights.exercises);
    }
    if let Some(quiz) = quiz {
        sum += f64::from(weights.quiz) * quiz;
        weight += f64::from(weights.quiz);
    }
    round2(if weight > 0.0 { sum / weight } else { 0.0 })
}

/// Rounded to two decimals, for display and JSON.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        Rubric::default()
    }

    fn measured(points: (u32, u32), quiz: f64, style: f64) -> Measured {
        Measured {
            points,
            quiz: (quiz, 1),
            style,
            all_green: points.0 == points.1,
            style_clean: style >= 100.0,
        }
    }

    #[test]
    fn letters_at_the_boundaries() {
        let r = rubric();
        assert_eq!(letter(&r, 90.0, true, true), (Letter::S, None));
        assert_eq!(letter(&r, 89.99, true, true), (Letter::A, None));
        assert_eq!(letter(&r, 80.0, true, true), (Letter::A, None));
        assert_eq!(letter(&r, 79.99, true, true), (Letter::B, None));
        assert_eq!(letter(&r, 70.0, false, false), (Letter::B, None));
        assert_eq!(letter(&r, 69.99, true, true), (Letter::C, None));
        assert_eq!(letter(&r, 0.0, true, true), (Letter::C, None));
    }

    #[test]
    fn s_needs_green_checks_and_clean_style() {
        let r = rubric();
        assert_eq!(
            letter(&r, 99.0, false, true),
            (Letter::A, Some(Capped::FailingChecks))
        );
        assert_eq!(
            letter(&r, 99.0, true, false),
            (Letter::A, Some(Capped::StyleNotClean))
        );
        assert_eq!(
            letter(&r, 95.0, false, false),
            (Letter::A, Some(Capped::FailingChecksAndStyle))
        );
    }

    #[test]
    fn weights_and_partial_credit() {
        // 7 of 10 points (70 %), quiz 80 %, style 100 %: 0.7·70 + 0.2·80 + 0.1·100.
        let scored = score(&rubric(), &measured((7, 10), 80.0, 100.0));
        assert!((scored.total - 75.0).abs() < 1e-9, "{}", scored.total);
        assert_eq!(scored.letter, Letter::B);
        assert!((scored.parts.exercises.contributes - 49.0).abs() < 1e-9);
        assert!((scored.parts.quiz.contributes - 16.0).abs() < 1e-9);
        assert!((scored.parts.style.contributes - 10.0).abs() < 1e-9);
    }

    #[test]
    fn everything_right_is_s_and_nothing_is_c() {
        let best = score(&rubric(), &measured((10, 10), 100.0, 100.0));
        assert!((best.total - 100.0).abs() < 1e-9);
        assert_eq!(best.letter, Letter::S);
        let none = score(&rubric(), &measured((0, 10), 0.0, 0.0));
        assert!(none.total.abs() < 1e-9);
        assert_eq!(none.letter, Letter::C);
    }

    #[test]
    fn an_absent_part_gives_its_weight_to_the_others() {
        // No quiz anywhere: exercises 70/80 of the total, style 10/80.
        let mut m = measured((10, 10), 0.0, 0.0);
        m.quiz = (0.0, 0);
        let scored = score(&rubric(), &m);
        assert!((scored.total - 87.5).abs() < 1e-9, "{}", scored.total);
        assert!(scored.parts.quiz.contributes.abs() < 1e-9);
    }

    #[test]
    fn style_loses_points_per_finding_and_never_goes_negative() {
        assert!((style_percent(true, 0, 0) - 100.0).abs() < 1e-9);
        assert!((style_percent(true, 1, 2) - 55.0).abs() < 1e-9);
        assert!(style_percent(true, 3, 9).abs() < 1e-9);
        assert!(style_percent(false, 0, 0).abs() < 1e-9);
    }

    #[test]
    fn module_scores_weigh_exercises_and_quiz() {
        let r = rubric();
        // (70·50 + 20·100) / 90
        assert!((module_score(&r, (1, 2), Some(100.0)) - 61.11).abs() < 1e-9);
        assert!((module_score(&r, (0, 0), Some(40.0)) - 40.0).abs() < 1e-9);
        assert!((module_score(&r, (3, 4), None) - 75.0).abs() < 1e-9);
    }
}
