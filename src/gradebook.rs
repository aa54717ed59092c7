//! The gradebook of a class: the results `workbook grade --batch` wrote (from
//! one machine or from many shards) read, checked against each other and
//! merged into one [`Gradebook`], then rendered as a CSV ([`csv`]), a
//! self-contained HTML page ([`html`]) or a short summary for the terminal
//! ([`summary`]).
//!
//! Reading ([`read`]) and merging ([`merge`]) never fail: a file that cannot
//! be used, a student graded twice and a shard that never arrived become
//! [`Notice`]s, shown by every output. Everything a result file says is
//! untrusted (the student id is a folder name a student chose, check
//! messages quote the student's code); the renderers escape it for their
//! format.

pub mod csv;
pub mod html;
pub mod merge;
pub mod notice;
pub mod read;
pub mod result;
pub mod stats;
pub mod summary;
mod words;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub use notice::{Notice, Severity};
use result::Graded;

/// A class's results, merged.
#[derive(Debug, Clone)]
pub struct Gradebook {
    /// One entry per student, by id.
    pub students: Vec<Student>,
    /// What was found wrong, problems first.
    pub notices: Vec<Notice>,
    /// How many files were read and understood.
    pub files: usize,
    /// For each shard count a manifest announced, the shards found.
    pub shards: BTreeMap<u32, BTreeSet<u32>>,
}

/// One student of the class.
#[derive(Debug, Clone)]
pub struct Student {
    /// The student id (untrusted text).
    pub id: String,
    /// The result file used; `None` when it is missing.
    pub file: Option<PathBuf>,
    /// What it says.
    pub record: Record,
}

/// What is known of a student.
#[derive(Debug, Clone)]
pub enum Record {
    /// Graded.
    Graded(Box<Graded>),
    /// The grader could not grade the submission; its message (untrusted).
    NotGraded {
        /// Why, as the grader said it.
        message: String,
    },
    /// A manifest lists the student, but no result file was given.
    Missing,
}

impl Student {
    /// The grade, if there is one.
    pub fn graded(&self) -> Option<&Graded> {
        match &self.record {
            Record::Graded(graded) => Some(graded),
            _ => None,
        }
    }

    /// The status as the CSV writes it: the result's own `pass`, `fail` or
    /// `error` (Exercism's: `error` when nothing could run or nothing was
    /// graded), or `missing`.
    pub fn status_code(&self) -> &'static str {
        match &self.record {
            Record::Graded(graded) => graded.status.map_or_else(
                || {
                    if graded
                        .checks()
                        .all(|(_, c)| c.verdict == result::Status::Pass)
                    {
                        "pass"
                    } else {
                        "fail"
                    }
                },
                result::Status::code,
            ),
            Record::NotGraded { .. } => "error",
            Record::Missing => "missing",
        }
    }
}

impl Gradebook {
    /// Reads every path (files, or folders of `*.json`) and merges them.
    pub fn load(paths: &[PathBuf]) -> Gradebook {
        let mut notices = Vec::new();
        let loaded = read::read_all(paths, &mut notices);
        merge::merge(loaded, notices)
    }

    /// Whether a notice makes the gradebook incomplete or ambiguous.
    pub fn has_problems(&self) -> bool {
        self.notices
            .iter()
            .any(|n| n.severity() == Severity::Problem)
    }

    /// The notices about one student.
    pub fn notices_of<'a>(&'a self, student: &'a str) -> impl Iterator<Item = &'a Notice> {
        self.notices
            .iter()
            .filter(move |n| n.student() == Some(student))
    }

    /// The notices about no one student.
    pub fn general_notices(&self) -> impl Iterator<Item = &Notice> {
        self.notices.iter().filter(|n| n.student().is_none())
    }
}
