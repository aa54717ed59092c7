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
