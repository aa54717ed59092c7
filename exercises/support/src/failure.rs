//! Why a check did not pass, written for the student.

use std::fmt;

/// A failed check: what was expected and what happened, the evidence (captured
/// statements, a diff), and which hint tier helps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failure {
    /// What is wrong, in a sentence or two (English).
    pub message: String,
    /// The same in Russian; students reading Russian get it, else the English.
    pub message_ru: Option<String>,
    /// Supporting detail: numbered statements, a snapshot diff, values.
    pub evidence: Vec<String>,
    /// The hint tier (1-based) that addresses this failure, if one does.
    pub hint: Option<u32>,
}

/// A failure with a message.
pub fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        ..Failure::default()
    }
}

impl Failure {
    /// Gives the message in Russian.
    #[must_use]
    pub fn ru(mut self, message: impl Into<String>) -> Self {
        self.message_ru = Some(message.into());
        self
    }

    /// Adds a piece of evidence.
    #[must_use]
    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence.push(evidence.into());
        self
    }

    /// Names the hint tier that helps.
    #[must_use]
    pub fn hint(mut self, tier: u32) -> Self {
        self.hint = Some(tier);
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for evidence in &self.evidence {
            write!(f, "\n{evidence}")?;
        }
        Ok(())
    }
}

/// A database error in the student's code becomes a failure that quotes it.
impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        fail(format!("the database returned an error: {error}"))
            .ru(format!("база данных вернула ошибку: {error}"))
    }
}
