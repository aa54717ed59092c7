//! The course manifest, `course.yaml`: modules in order and the rubric.

use serde::Deserialize;

use super::text::Text;
use crate::yaml::de::list;

/// The file name that marks a course root.
pub const MANIFEST_FILE: &str = "course.yaml";

/// `course.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// The content format this course is written in.
    pub format_version: u32,
    /// The course title.
    pub title: Text,
    /// Modules in the order they are studied.
    #[serde(deserialize_with = "list")]
    pub modules: Vec<Module>,
    /// How scores become letters; the defaults are the course's published rubric.
    #[serde(default)]
    pub rubric: Rubric,
    /// Which edition this is: the full course, or what students get.
    #[serde(default)]
    pub edition: Edition,
}

/// The full course (authors, teachers) or the student edition written by
/// `workbook dev export`: no reference solutions, quiz keys and blank answers sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Everything, keys in the clear.
    #[default]
    Full,
    /// What students get.
    Student,
}

impl Edition {
    /// The key used in YAML.
    pub fn key(self) -> &'static str {
        match self {
            Edition::Full => "full",
            Edition::Student => "student",
        }
    }
}

/// One module: its lessons, exercises and quiz bank.
#[derive(Debug, Clone, Deserialize)]
pub struct Module {
    /// Stable id (`async-basics`).
    pub id: String,
    /// The module's title.
    pub title: Text,
    /// Lesson ids, each a file `lessons/<id>.yaml`, in study order.
    #[serde(deserialize_with = "list")]
    pub lessons: Vec<String>,
    /// Exercise ids, each a crate `exercises/<id>/` with an `exercise.yaml`.
    #[serde(default, deserialize_with = "list")]
    pub exercises: Vec<String>,
    /// The quiz bank id, a file `quiz/<id>.yaml`.
    #[serde(default)]
    pub quiz: Option<String>,
}

/// Weights and thresholds for grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Rubric {
    /// How much each part counts, in percent; they add up to 100.
    pub weights: Weights,
    /// The lowest score for each letter; below `B` is `C`.
    pub grades: Grades,
    /// The share of quiz points needed to pass a module's quiz, in percent.
    pub quiz_pass_percent: u32,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            weights: Weights {
                exercises: 70,
                quiz: 20,
                style: 10,
            },
            grades: Grades {
                s: 90,
                a: 80,
                b: 70,
            },
            quiz_pass_percent: 80,
        }
    }
}

/// Rubric weights in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Weights {
    /// Exercise checks.
    pub exercises: u32,
    /// Quiz scores.
    pub quiz: u32,
    /// Clippy and rustfmt on the student's files.
    pub style: u32,
}

/// Letter thresholds in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Grades {
    /// Lowest score for S.
    #[serde(rename = "S")]
    pub s: u32,
    /// Lowest score for A.
    #[serde(rename = "A")]
    pub a: u32,
    /// Lowest score for B; anything below is C.
    #[serde(rename = "B")]
    pub b: u32,
}
