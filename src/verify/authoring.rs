//! What an exercise's files must agree on, read without building anything:
//! every hint tier a check names exists, every snapshot is used by some check,
//! and every exercise is listed in exactly one module.

use std::collections::BTreeMap;

use super::exercises::Findings;
use crate::course::{Course, Exercise};

/// Runs the agreement checks for every exercise of `course`.
pub fn check(course: &Course, findings: &mut Findings) {
    let mut listed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for module in course.modules() {
        for id in &module.exercises {
            listed
                .entry(id.as_str())
                .or_default()
                .push(module.id.as_str());
        }
    }
    for exercise in &course.exercises {
        match listed.get(exercise.id.as_str()).map(Vec::as_slice) {
            Some([_]) => {}
            Some(modules) => findings.problems.push(format!(
                "{}: listed in {} modules ({}); list it in exactly one",
                exercise.id,
                modules.len(),
                modules.join(", ")
            )),
            None => findings
                .problems
                .push(format!("{}: no module lists it", exercise.id)),
        }
        let dir = course.root.join("exercises").join(&exercise.id);
        let Ok(checks) = std::fs::read_to_string(dir.join("tests/checks.rs")) else {
            continue;
        };
        hint_tiers(exercise, &checks, findings);
        snapshots_used(exercise, &dir, &checks, findings);
    }
}

/// The tiers named by `.hint(N)` in the checks' source.
fn named_tiers(source: &str) -> Vec<u32> {
    source
        .match_indices(".hint(")
        .filter_map(|(at, call)| {
            let rest = &source[at + call.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (rest[digits.len()..].starts_with(')'))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

fn hint_tiers(exercise: &Exercise, source: &str, findings: &mut Findings) {
    let tiers = u32::try_from(exercise.hints.len()).unwrap_or(u32::MAX);
    let mut missing: Vec<u32> = named_tiers(source)
        .into_iter()
        .filter(|t| *t == 0 || *t > tiers)
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().map(ToString::to_string).collect();
        findings.problems.push(format!(
            "{}: tests/checks.rs points to hint tier {} but exercise.yaml has {tiers} (tiers count from 1)",
            exercise.id,
            shown.join(", ")
        ));
    }
}

fn snapshots_used(
    exercise: &Exercise,
    dir: &std::path::Path,
    source: &str,
    findings: &mut Findings,
) {
    let Ok(entries) = std::fs::read_dir(dir.join("snapshots")) else {
        return;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".snap"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    for name in names {
        if !source.contains(&format!("\"{name}\"")) {
            findings.problems.push(format!(
                "{}: snapshots/{name}.snap is used by no check (no \"{name}\" in tests/checks.rs); remove it or compare with it",
                exercise.id
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::named_tiers;

    #[test]
    fn hint_tiers_are_read_from_calls_with_a_number() {
        let source = "fail(x).hint(2)\n.map_err(|f| f.hint(3))\n.hint(tier)\n.hint( 4)";
        assert_eq!(named_tiers(source), vec![2, 3]);
    }
}
