//! The few strings a regular expression accepts, when they are few: a `short`
//! answer compared by a pattern like `pool(ed)?` or `fetch_(one|all)` is the
//! same as the list of what it accepts, compared exactly, and a list can be
//! sealed where a pattern cannot.

use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor, Literal};

/// The most strings a pattern may stand for and still be listed.
const MOST: usize = 64;

/// Every string `pattern` accepts as a whole answer (the way the scorer
/// anchors it), if there are at most [`MOST`] of them; `None` when there are
/// more, infinitely many, none, or the pattern looks around (`\b`, `^`), which
/// a list cannot express.
pub fn accepted_strings(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set().is_empty() {
        return None;
    }
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(MOST);
    let seq = extractor.extract(&hir);
    // Exact literals without look-around are whole matches of the pattern, and
    // a finite sequence of them is all of its matches.
    let literals = seq.literals()?;
    if literals.is_empty() || !literals.iter().all(Literal::is_exact) {
        return None;
    }
    let strings: Vec<String> = literals
        .iter()
        .map(|l| String::from_utf8(l.as_bytes().to_vec()).ok())
        .collect::<Option<_>>()?;
    // Belt and braces: each really is accepted by the scorer's own pattern.
    let anchored = Regex::new(&format!("^(?:{pattern})$")).ok()?;
    strings
        .iter()
        .all(|s| anchored.is_match(s))
        .then_some(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(pattern: &str) -> Option<Vec<String>> {
        accepted_strings(pattern).map(|mut strings| {
            strings.sort();
            strings
        })
    }

    #[test]
    fn finite_patterns_become_lists() {
        assert_eq!(listed("pool(ed)?").unwrap(), ["pool", "pooled"]);
        assert_eq!(listed("a|ab").unwrap(), ["a", "ab"]);
        assert_eq!(
            listed(r"fetch_(one|all)\(\)").unwrap(),
            ["fetch_all()", "fetch_one()"]
        );
        assert_eq!(listed("51").unwrap(), ["51"]);
        assert_eq!(listed("(?i)ab").unwrap(), ["AB", "Ab", "aB", "ab"]);
        assert_eq!(listed("x{3}").unwrap(), ["xxx"]);
        assert_eq!(listed("пул|pool").unwrap(), ["pool", "пул"]);
    }

    #[test]
    fn open_or_looking_patterns_stay_patterns() {
        for pattern in [
            r"\.?fetch_optional(\(.*\))?",
            r"(?i).*\bruntime\b.*",
            "a+",
            "a*b",
            r"\bpool\b",
            "^pool$",
            "[a-z]{3}",
            "(?i)abcdefghij",
            "[^\\s\\S]",
            "(unclosed",
        ] {
            assert_eq!(accepted_strings(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn lists_accept_exactly_what_the_pattern_accepts() {
        let pattern = "(max|min)_connections\\((5|15)\\)";
        let strings = listed(pattern).unwrap();
        assert_eq!(strings.len(), 4);
        let anchored = Regex::new(&format!("^(?:{pattern})$")).unwrap();
        for candidate in [
            "max_connections(15)",
            "min_connections(5)",
            "max_connections(1)",
            "max_connections(15) ",
        ] {
            assert_eq!(
                anchored.is_match(candidate),
                strings.iter().any(|s| s == candidate),
                "{candidate}"
            );
        }
    }
}
