//! "Did you mean …?" suggestions for mistyped names.

/// The candidate closest to `word`, if it is close enough to be a likely typo:
/// at most a third of the word's length in edits (at least one), or the same
/// word in another case or with `-`/`_` swapped.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold(word);
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let distance = if fold(c) == folded {
                0
            } else {
                edit_distance(word, c)
            };
            (distance, c)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// `" (did you mean `x`?)"` when a close candidate exists, else nothing: the
/// one wording every message uses.
pub fn suffix<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"))
}

fn fold(word: &str) -> String {
    word.to_lowercase().replace('-', "_")
}

/// Edit distance over characters where swapping two neighbours counts as one
/// edit (optimal string alignment), since `levle` for `level` is a typical typo.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_typo() {
        assert_eq!(
            did_you_mean("titel", ["id", "title", "body"]),
            Some("title")
        );
        assert_eq!(did_you_mean("basci", ["basic", "advanced"]), Some("basic"));
    }

    #[test]
    fn ignores_case_and_dashes() {
        assert_eq!(
            did_you_mean("Format-Version", ["format_version"]),
            Some("format_version")
        );
    }

    #[test]
    fn refuses_far_guesses() {
        assert_eq!(did_you_mean("zzz", ["title", "body"]), None);
        assert_eq!(did_you_mean("x", ["id"]), None);
    }

    #[test]
    fn distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("шаг", "шаги"), 1);
        assert_eq!(edit_distance("levle", "level"), 1);
    }
}
