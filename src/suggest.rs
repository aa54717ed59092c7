//! "Did you mean …?" suggestions for mistyped names.

/// The candidate closest to `word`, if it is close enough to be a likely typo:
/// at most a third of the word's length in edits (at least one), or the same
/// word in another case or with `-`/`_` swapped.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let distance = if fold(c) == folded { 0 } else { edit_distance(word, c) };
            (distance, c)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn fold(word: &str) -> String {
    word.to_lowercase().replace('-', "_")
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_typo() {
        assert_eq!(did_you_mean("titel", ["id", "title", "body"]), Some("title"));
        assert_eq!(did_you_mean("basci", ["basic", "advanced"]), Some("basic"));
    }

    #[test]
    fn ignores_case_and_dashes() {
        assert_eq!(did_you_mean("Format-Version", ["format_version"]), Some("format_version"));
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
    }
}
