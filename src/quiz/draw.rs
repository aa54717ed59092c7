//! Drawing an attempt: which questions, in which order, with options in which
//! order. Seeded, so the same seed gives the same attempt on every machine: a
//! grader re-draws a handed-in attempt from its seed.

use crate::course::bank::{Bank, Question, QuestionType};

/// `SplitMix64`: small, fast, and fully determined by its seed; enough for
/// shuffling (nothing here needs cryptographic randomness).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (`bound` > 0), without modulo bias.
    pub fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let n = self.next_u64();
            if n < zone {
                return usize::try_from(n % bound).unwrap_or(0);
            }
        }
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// One question of an attempt, with its options in the order shown.
#[derive(Debug, Clone)]
pub struct Drawn<'a> {
    /// The question.
    pub question: &'a Question,
    /// Indices into `question.options`, in display order (empty for types
    /// without options).
    pub order: Vec<usize>,
}

/// The questions of one attempt, in display order.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    /// The bank.
    pub bank: &'a Bank,
    /// The seed that drew it.
    pub seed: u64,
    /// The questions, in order.
    pub questions: Vec<Drawn<'a>>,
}

impl<'a> Attempt<'a> {
    /// Draws `bank.draw` questions (or all) in a shuffled order, shuffling each
    /// question's options; `true_false` keeps true before false.
    pub fn draw(bank: &'a Bank, seed: u64) -> Attempt<'a> {
        let mut rng = Rng::new(seed);
        let mut picked: Vec<usize> = (0..bank.questions.len()).collect();
        rng.shuffle(&mut picked);
        picked.truncate(bank.drawn());
        let questions = picked
            .into_iter()
            .map(|index| {
                let question = &bank.questions[index];
                let mut order: Vec<usize> = (0..question.options.len()).collect();
                if question.kind != QuestionType::TrueFalse {
                    rng.shuffle(&mut order);
                }
                Drawn { question, order }
            })
            .collect();
        Attempt {
            bank,
            seed,
            questions,
        }
    }

    /// Whether the attempt includes a question.
    pub fn includes(&self, id: &str) -> bool {
        self.questions.iter().any(|d| d.question.id == id)
    }
}

/// A seed from the clock, for attempts that don't ask for one.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Keep seeds short enough to type back in.
    u64::try_from(nanos % 1_000_000_000).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(8).next_u64(), xs[0]);
    }

    #[test]
    fn shuffles_are_permutations_and_vary() {
        let mut rng = Rng::new(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let mut items: Vec<u8> = (0..6).collect();
            rng.shuffle(&mut items);
            let mut sorted = items.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..6).collect::<Vec<u8>>());
            seen.insert(items);
        }
        assert!(seen.len() > 20, "shuffles differ: {}", seen.len());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(3);
        for bound in 1..20 {
            for _ in 0..50 {
                assert!(rng.below(bound) < bound);
            }
        }
    }
}
