//! The JSON report a check writes for `workbook check`: one file per check.

use serde::{Deserialize, Serialize};

use crate::backend::Backend;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The work is right.
    Pass,
    /// The check ran and found the work wrong (a panic in student code included).
    Fail,
    /// The check could not run: no database, a time-out, a crash.
    Error,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The check's id.
    pub id: String,
    /// How it ended.
    pub status: Status,
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max_points: u32,
    /// What happened, for the student; empty on a pass.
    pub message: String,
    /// The same in Russian, when the check gives it.
    #[serde(default)]
    pub message_ru: Option<String>,
    /// Supporting detail.
    pub evidence: Vec<String>,
    /// The hint tier that helps, if any.
    pub hint: Option<u32>,
    /// The database it ran against.
    pub backend: Backend,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
}

/// The environment variable naming the folder where reports go.
pub const REPORT_DIR_VAR: &str = "WORKBOOK_REPORT_DIR";

/// The report file of a check inside the report folder.
pub fn file_name(check: &str) -> String {
    format!("{check}.json")
}
