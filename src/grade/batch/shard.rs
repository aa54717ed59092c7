//! Which share of a batch a submission belongs to, and the file name of its
//! result. The share depends on the student's id alone (a hash), so it is
//! the same on every runner and stays put when submissions are added.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// The share (1-based) of `count` that the submission `id` belongs to.
pub fn shard_of(id: &str, count: u32) -> u32 {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let hash = u64::from_be_bytes(first);
    u32::try_from(hash % u64::from(count.max(1))).unwrap_or(0) + 1
}

/// A file name for `id`'s result: the id itself when it is plain (letters,
/// digits, `.`, `_`, `-`, not starting with `.` or `_`), else its characters
/// with every other byte written as `%XX`, so any folder name maps to one
/// safe, distinct file name.
pub fn file_stem(id: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if plain(c) && !(i == 0 && matches!(c, '.' | '_')) {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    if out.is_empty() { "%".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("student-{i:04}")).collect()
    }

    #[test]
    fn shares_are_disjoint_and_complete() {
        let all = ids(500);
        for count in [1, 2, 3, 4, 7, 256] {
            let mut seen = 0;
            for index in 1..=count {
                let share: Vec<&String> = all
                    .iter()
                    .filter(|id| shard_of(id, count) == index)
                    .collect();
                seen += share.len();
            }
            assert_eq!(seen, all.len(), "count {count}");
            assert!(
                all.iter()
                    .all(|id| (1..=count).contains(&shard_of(id, count)))
            );
        }
    }

    #[test]
    fn a_new_submission_moves_nobody() {
        let before: Vec<u32> = ids(100).iter().map(|id| shard_of(id, 4)).collect();
        let mut more = ids(100);
        more.push("newcomer".into());
        let after: Vec<u32> = more.iter().take(100).map(|id| shard_of(id, 4)).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn shares_are_roughly_even() {
        let all = ids(1000);
        for index in 1..=4 {
            let n = all.iter().filter(|id| shard_of(id, 4) == index).count();
            assert!((180..=320).contains(&n), "share {index}: {n}");
        }
    }

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(file_stem("alice"), "alice");
        assert_eq!(file_stem("bob.smith-2"), "bob.smith-2");
        assert_eq!(file_stem("../etc"), "%2E.%2Fetc");
        assert_eq!(file_stem("_shard-1-of-1"), "%5Fshard-1-of-1");
        assert_eq!(file_stem("Иван"), "%D0%98%D0%B2%D0%B0%D0%BD");
        assert_ne!(file_stem("a b"), file_stem("a_b"));
        assert_ne!(file_stem("a%20b"), file_stem("a b"));
    }
}
