//! Check data the student cannot predict, and can replay.
//!
//! A check that judges returned data must not use data that follows a
//! formula (`item {id}`, tags from `id % 10`): a solution could then read the
//! ids and rebuild the rest. Each check process draws a seed — from
//! `WORKBOOK_SEED` when it is set, so a failure can be replayed, otherwise at
//! random — and derives every value from it. A failed check that drew from
//! the seed shows it in its evidence with the command that replays it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable that fixes the seed.
pub const SEED_VAR: &str = "WORKBOOK_SEED";

/// A check's data seed.
#[derive(Debug, Clone)]
pub struct Seed {
    value: u64,
    used: Arc<AtomicBool>,
}

impl Seed {
    /// `WORKBOOK_SEED` when set to a number, otherwise a fresh random seed.
    pub fn from_env() -> Seed {
        let fixed = std::env::var(SEED_VAR)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok());
        Seed::new(fixed.unwrap_or_else(random))
    }

    /// A given seed.
    pub fn new(value: u64) -> Seed {
        Seed {
            value,
            used: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The seed's value.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// An independent stream of numbers for one purpose (`"items"`, `"tags"`):
    /// adding a stream never changes what another one draws.
    pub fn rng(&self, purpose: &str) -> Rng {
        self.used.store(true, Ordering::Relaxed);
        let mut state = self.value ^ 0x9e37_79b9_7f4a_7c15;
        for byte in purpose.bytes() {
            state = splitmix(&mut state) ^ u64::from(byte);
        }
        Rng { state }
    }

    /// Whether any data was drawn from the seed.
    pub fn used(&self) -> bool {
        self.used.load(Ordering::Relaxed)
    }

    /// The evidence line a failure carries: the seed and how to replay it.
    pub fn evidence(&self, exercise: &str) -> String {
        format!(
            "data seed {v} · replay / повторить: {SEED_VAR}={v} workbook check {exercise}",
            v = self.value
        )
    }
}

fn random() -> u64 {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    let from_kernel =
        std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if from_kernel.is_ok() {
        // Keep seeds short enough to type.
        u64::from_le_bytes(bytes) % 1_000_000_000
    } else {
        u64::from(std::process::id())
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| u64::from(d.subsec_nanos()))
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A deterministic stream of numbers (`SplitMix64`).
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        splitmix(&mut self.state)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.below(span))
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[index]
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = usize::try_from(self.below(i as u64 + 1)).unwrap_or(0);
            items.swap(i, j);
        }
    }

    /// `count` distinct ids with irregular gaps, in random order, all ≥ 1.
    pub fn ids(&mut self, count: usize) -> Vec<i64> {
        let mut next = self.between(1, 40);
        let mut ids: Vec<i64> = (0..count)
            .map(|_| {
                let id = next;
                next += self.between(1, 9);
                id
            })
            .collect();
        self.shuffle(&mut ids);
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_values() {
        let a: Vec<u64> = {
            let mut r = Seed::new(7).rng("items");
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Seed::new(7).rng("items");
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        let other = Seed::new(8).rng("items").next_u64();
        assert_ne!(a[0], other);
        let stream = Seed::new(7).rng("tags").next_u64();
        assert_ne!(a[0], stream, "purposes are independent streams");
    }

    #[test]
    fn ids_are_distinct_positive_and_irregular() {
        let mut rng = Seed::new(42).rng("ids");
        let ids = rng.ids(200);
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 200);
        assert!(sorted[0] >= 1);
        assert_ne!(ids, sorted, "not in order");
        let gaps: std::collections::BTreeSet<i64> =
            sorted.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.len() > 3, "gaps vary: {gaps:?}");
    }

    #[test]
    fn between_and_below_stay_in_range() {
        let mut rng = Seed::new(1).rng("range");
        for _ in 0..1000 {
            let n = rng.between(-3, 3);
            assert!((-3..=3).contains(&n));
            assert!(rng.below(5) < 5);
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn use_is_recorded_and_evidence_names_the_replay() {
        let seed = Seed::new(123);
        assert!(!seed.used());
        let _ = seed.rng("x");
        assert!(seed.used());
        assert_eq!(
            seed.evidence("eager-tags"),
            "data seed 123 · replay / повторить: WORKBOOK_SEED=123 workbook check eager-tags"
        );
    }
}
