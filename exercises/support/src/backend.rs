//! The two databases a check can run against.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Embedded `SQLite`, a temp file per check.
    Sqlite,
    /// `PostgreSQL`, a database per check.
    Postgres,
}

impl Backend {
    /// The name used in `exercise.yaml`, flags and environment variables.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Parses a backend name.
    pub fn parse(name: &str) -> Option<Backend> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" | "pg" => Some(Backend::Postgres),
            _ => None,
        }
    }

    /// The backend chosen for this process: `WORKBOOK_BACKEND`, else `SQLite`.
    pub fn from_env() -> Backend {
        std::env::var("WORKBOOK_BACKEND")
            .ok()
            .and_then(|v| Backend::parse(&v))
            .unwrap_or(Backend::Sqlite)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
