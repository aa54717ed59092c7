//! Exercise metadata, `exercises/<id>/exercise.yaml`: what the loader needs to
//! resolve links to exercises and their checks. The checker reads the rest.

use serde::Deserialize;

use super::text::Text;
use crate::yaml::de::list;

/// The metadata file inside each exercise crate.
pub const EXERCISE_FILE: &str = "exercise.yaml";

/// An exercise's metadata as written.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    /// The content format this file is written in.
    pub format_version: u32,
    /// The exercise's title.
    pub title: Text,
    /// The lesson step it practises, as `lesson#step`.
    pub practises: String,
    /// The databases it runs against.
    #[serde(deserialize_with = "list")]
    pub backends: Vec<Backend>,
    /// Paths, relative to the exercise folder, that the student may edit.
    #[serde(deserialize_with = "list")]
    pub editable: Vec<String>,
    /// The checks and their points.
    #[serde(deserialize_with = "list")]
    pub checks: Vec<Check>,
    /// Hints, from a gentle nudge to nearly the answer.
    #[serde(deserialize_with = "list")]
    pub hints: Vec<Text>,
    /// How long one check may run, in seconds.
    #[serde(default = "default_time_limit")]
    pub time_limit_secs: u32,
    /// The exercise's id: its folder name.
    #[serde(skip)]
    pub id: String,
}

fn default_time_limit() -> u32 {
    30
}

/// The databases are the checker's own type: one name for them everywhere.
pub use workbook_support::Backend;

/// One protected check of an exercise.
#[derive(Debug, Clone, Deserialize)]
pub struct Check {
    /// Stable id, unique in the exercise; linked as `exercise#check`.
    pub id: String,
    /// Points for passing.
    pub points: u32,
    /// What the check proves.
    pub title: Text,
    /// The lesson step that teaches what the check proves (`lesson#step`),
    /// where a failure sends the student; default: the exercise's `practises`.
    #[serde(default)]
    pub teaches: Option<String>,
}

impl Exercise {
    /// The step that teaches what `check` proves: its own `teaches`, else the
    /// step the exercise practises.
    pub fn teaching_step(&self, check: &str) -> &str {
        self.checks
            .iter()
            .find(|c| c.id == check)
            .and_then(|c| c.teaches.as_deref())
            .unwrap_or(&self.practises)
    }
}
