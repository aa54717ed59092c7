//! Merging what was read into one class: one entry per student, and every
//! inconsistency as a [`Notice`].
//!
//! - **Duplicates.** A student with several results keeps the first one read
//!   (the RESULTS arguments in the order given, each folder's files by name);
//!   each other file is reported, saying whether it is the same bytes.
//! - **Shards.** Every manifest `_shard-K-of-N.json` says its batch had N
//!   shards; each K in 1..=N without a manifest is reported, and so are
//!   manifests that disagree on N and two manifests for one K.
//! - **Listed students.** A student a manifest lists without a result file is
//!   reported and gets an entry marked missing; a result no manifest lists is
//!   noted (when there are manifests at all).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use super::notice::Notice;
use super::read::Loaded;
use super::result::{Document, Manifest, Outcome};
use super::{Gradebook, Record, Student};

/// The class from the files read; `notices` holds what reading found.
pub fn merge(loaded: Vec<Loaded>, mut notices: Vec<Notice>) -> Gradebook {
    let files = loaded.len();
    let mut students: BTreeMap<String, (Student, [u8; 32])> = BTreeMap::new();
    let mut manifests = Vec::new();
    for one in loaded {
        match one.document {
            Document::Manifest(manifest) => manifests.push((one.file, manifest)),
            Document::Result(result) => {
                if let Some((kept, digest)) = students.get(&result.student) {
                    notices.push(Notice::Duplicate {
                        student: result.student.clone(),
                        kept: kept.file.clone().unwrap_or_default(),
                        ignored: one.file,
                        identical: *digest == one.digest,
                    });
                    continue;
                }
                let record = match result.outcome {
                    Outcome::Graded(graded) => Record::Graded(graded),
                    Outcome::NotGraded { message } => Record::NotGraded { message },
                };
                let student = Student {
                    id: result.student.clone(),
                    file: Some(one.file),
                    record,
                };
                students.insert(result.student, (student, one.digest));
            }
        }
    }
    let mut students: BTreeMap<String, Student> =
        students.into_iter().map(|(id, (s, _))| (id, s)).collect();
    let (shards, kept) = shards(&manifests, &mut notices);
    listed(&kept, &mut students, &mut notices);
    if students.is_empty() && manifests.is_empty() {
        notices.push(Notice::NoResults);
    } else if manifests.is_empty() {
        notices.push(Notice::NoManifest);
    }
    // Problems first, each kind in the order found.
    notices.sort_by_key(Notice::severity);
    Gradebook {
        students: students.into_values().collect(),
        notices,
        files,
        shards,
    }
}

/// For each shard count, the shards found.
type Found = BTreeMap<u32, BTreeSet<u32>>;

/// Checks the manifests against each other: which shards of each count are
/// there, and the manifests kept (one per shard), in shard order.
fn shards<'a>(
    manifests: &'a [(PathBuf, Manifest)],
    notices: &mut Vec<Notice>,
) -> (Found, Vec<&'a (PathBuf, Manifest)>) {
    let mut counts: BTreeMap<u32, Vec<PathBuf>> = BTreeMap::new();
    let mut kept: BTreeMap<(u32, u32), &(PathBuf, Manifest)> = BTreeMap::new();
    for entry in manifests {
        let (file, manifest) = entry;
        counts.entry(manifest.of).or_default().push(file.clone());
        if let Some((first, _)) = kept.get(&(manifest.of, manifest.shard)) {
            notices.push(Notice::ShardTwice {
                shard: manifest.shard,
                of: manifest.of,
                kept: first.clone(),
                ignored: file.clone(),
            });
        } else {
            kept.insert((manifest.of, manifest.shard), entry);
        }
    }
    if counts.len() > 1 {
        notices.push(Notice::ShardCounts {
            counts: counts.clone().into_iter().collect(),
        });
    }
    let mut present = Found::new();
    for &(of, shard) in kept.keys() {
        present.entry(of).or_default().insert(shard);
    }
    for (&of, found) in &present {
        let missing: Vec<u32> = (1..=of).filter(|k| !found.contains(k)).collect();
        if !missing.is_empty() {
            notices.push(Notice::ShardsMissing { of, missing });
        }
    }
    (present, kept.into_values().collect())
}

/// Students the manifests list without a result, and results they do not list.
fn listed(
    manifests: &[&(PathBuf, Manifest)],
    students: &mut BTreeMap<String, Student>,
    notices: &mut Vec<Notice>,
) {
    let mut listed = HashSet::new();
    let mut missing: HashMap<String, PathBuf> = HashMap::new();
    for (file, manifest) in manifests {
        for id in &manifest.submissions {
            listed.insert(id.as_str());
            if !students.contains_key(id) && !missing.contains_key(id) {
                notices.push(Notice::ResultMissing {
                    student: id.clone(),
                    manifest: file.clone(),
                });
                missing.insert(id.clone(), file.clone());
            }
        }
    }
    if !manifests.is_empty() {
        for student in students.values() {
            if !listed.contains(student.id.as_str())
                && let Some(file) = &student.file
            {
                notices.push(Notice::NotListed {
                    student: student.id.clone(),
                    file: file.clone(),
                });
            }
        }
    }
    for (id, _) in missing {
        students.insert(
            id.clone(),
            Student {
                id,
                file: None,
                record: Record::Missing,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradebook::result::StudentResult;

    fn result(student: &str, file: &str, digest: u8) -> Loaded {
        Loaded {
            file: PathBuf::from(file),
            document: Document::Result(Box::new(StudentResult {
                student: student.to_owned(),
                outcome: Outcome::NotGraded {
                    message: String::new(),
                },
            })),
            digest: [digest; 32],
        }
    }

    fn manifest(shard: u32, of: u32, students: &[&str]) -> Loaded {
        Loaded {
            file: PathBuf::from(format!("_shard-{shard}-of-{of}.json")),
            document: Document::Manifest(Manifest {
                shard,
                of,
                submissions: students.iter().map(|s| (*s).to_owned()).collect(),
            }),
            digest: [0; 32],
        }
    }

    #[test]
    fn the_first_result_is_kept() {
        let book = merge(
            vec![
                result("ann", "a/ann.json", 1),
                result("ann", "b/ann.json", 1),
                result("ann", "c/ann.json", 2),
            ],
            Vec::new(),
        );
        assert_eq!(book.students.len(), 1);
        assert_eq!(book.students[0].file, Some(PathBuf::from("a/ann.json")));
        let identical: Vec<bool> = book
            .notices
            .iter()
            .filter_map(|n| match n {
                Notice::Duplicate { identical, .. } => Some(*identical),
                _ => None,
            })
            .collect();
        assert_eq!(identical, [true, false]);
        assert_eq!(book.notices.last(), Some(&Notice::NoManifest));
    }

    #[test]
    fn shards_that_disagree_or_repeat_are_reported() {
        let book = merge(
            vec![
                manifest(1, 2, &["ann"]),
                manifest(1, 2, &["ann"]),
                manifest(2, 3, &[]),
                result("ann", "ann.json", 1),
            ],
            Vec::new(),
        );
        let counts = Notice::ShardCounts {
            counts: vec![
                (
                    2,
                    vec![
                        PathBuf::from("_shard-1-of-2.json"),
                        PathBuf::from("_shard-1-of-2.json"),
                    ],
                ),
                (3, vec![PathBuf::from("_shard-2-of-3.json")]),
            ],
        };
        assert!(book.notices.contains(&counts), "{:?}", book.notices);
        assert!(book.notices.iter().any(|n| matches!(
            n,
            Notice::ShardTwice {
                shard: 1,
                of: 2,
                ..
            }
        )));
        assert!(book.notices.contains(&Notice::ShardsMissing {
            of: 2,
            missing: vec![2]
        }));
        assert!(book.notices.contains(&Notice::ShardsMissing {
            of: 3,
            missing: vec![1, 3]
        }));
        assert_eq!(book.shards.len(), 2);
    }

    #[test]
    fn nothing_at_all_is_a_problem_and_an_empty_shard_is_not() {
        assert_eq!(merge(Vec::new(), Vec::new()).notices, [Notice::NoResults]);
        let book = merge(vec![manifest(1, 1, &[])], Vec::new());
        assert!(book.notices.is_empty(), "{:?}", book.notices);
        assert!(!book.has_problems());
    }
}
