//! Sealed reports: a check's result that student code cannot forge.
//!
//! Student code is linked into the check binary and runs in the same process
//! as the harness, so anything that process writes — a report file, a line on
//! stdout, its exit status — could come from the student. The supervisor (the
//! `workbook` runner, or the harness itself under plain `cargo test`) makes a
//! fresh random secret for each check process and writes it to the child's
//! standard input, which the harness reads to the end before any student code
//! runs; the secret is never in the environment, on the command line or on
//! disk. The harness seals its report with HMAC-SHA256 under that secret, and
//! the supervisor accepts only a report whose seal verifies.
//!
//! What remains possible is stated in the README: code that reads its own
//! process memory (`/proc/self/mem`) could find the secret while it is there.

use std::io::Read;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::report::CheckReport;

/// The environment variable telling the harness that a supervisor started it
/// and writes the secret on standard input.
pub const SUPERVISED_VAR: &str = "WORKBOOK_SUPERVISED";

/// The longest sealed report file accepted, so that a file grown by student
/// code cannot exhaust the supervisor.
pub const MAX_SEALED_LEN: u64 = 1024 * 1024;

/// A per-process secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Why a secret or a sealed report was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// No randomness to be had.
    Random(String),
    /// The secret on standard input was missing or malformed.
    BadSecret,
    /// The file is not a sealed report.
    Malformed(String),
    /// The seal does not match: the report was written or changed by someone
    /// without the secret.
    Forged,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealError::Random(e) => write!(f, "cannot read random bytes: {e}"),
            SealError::BadSecret => f.write_str("no valid secret on standard input"),
            SealError::Malformed(e) => write!(f, "not a sealed report: {e}"),
            SealError::Forged => f.write_str("the report's seal does not verify"),
        }
    }
}

impl std::error::Error for SealError {}

impl Secret {
    /// A fresh secret from the kernel's random source.
    pub fn generate() -> Result<Secret, SealError> {
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .map_err(|e| SealError::Random(e.to_string()))?;
        Ok(Secret(bytes))
    }

    /// The secret as the line written to the child's standard input.
    pub fn to_line(&self) -> String {
        let mut line = hex(&self.0);
        line.push('\n');
        line
    }

    /// Reads the secret line from `input` (the harness's standard input) and
    /// then everything after it, so that nothing is left for student code.
    pub fn read_from(mut input: impl Read) -> Result<Secret, SealError> {
        let mut text = Vec::new();
        // The supervisor writes 65 bytes and closes the pipe; more is not a secret.
        input
            .by_ref()
            .take(4096)
            .read_to_end(&mut text)
            .map_err(|_| SealError::BadSecret)?;
        let text = std::str::from_utf8(&text).map_err(|_| SealError::BadSecret)?;
        let line = text.lines().next().unwrap_or("").trim();
        let bytes = unhex(line).ok_or(SealError::BadSecret)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadSecret)?;
        Ok(Secret(bytes))
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any length");
        mac.update(body.as_bytes());
        mac
    }

    /// Seals a report: the text of the report file.
    pub fn seal(&self, report: &CheckReport) -> String {
        let body = serde_json::to_string(report).expect("a report always serialises");
        let seal = hex(&self.mac(&body).finalize().into_bytes());
        serde_json::to_string_pretty(&Sealed { body, seal }).expect("strings serialise")
    }

    /// Opens a sealed report, verifying its seal in constant time.
    pub fn open(&self, text: &str) -> Result<CheckReport, SealError> {
        let sealed: Sealed =
            serde_json::from_str(text).map_err(|e| SealError::Malformed(e.to_string()))?;
        let tag = unhex(&sealed.seal).ok_or(SealError::Forged)?;
        self.mac(&sealed.body)
            .verify_slice(&tag)
            .map_err(|_| SealError::Forged)?;
        serde_json::from_str(&sealed.body).map_err(|e| SealError::Malformed(e.to_string()))
    }
}

/// The file format: the report's JSON text and its seal.
#[derive(Serialize, Deserialize)]
struct Sealed {
    body: String,
    seal: String,
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::report::Status;

    fn report(status: Status) -> CheckReport {
        CheckReport {
            id: "a-check".into(),
            status,
            points: 0,
            max_points: 0,
            message: String::new(),
            message_ru: None,
            evidence: vec![],
            hint: None,
            backend: Backend::Sqlite,
            duration_ms: 3,
        }
    }

    #[test]
    fn a_sealed_report_opens_with_its_secret_only() {
        let secret = Secret::generate().unwrap();
        let text = secret.seal(&report(Status::Fail));
        assert_eq!(secret.open(&text).unwrap(), report(Status::Fail));
        let other = Secret::generate().unwrap();
        assert_eq!(other.open(&text), Err(SealError::Forged));
    }

    #[test]
    fn a_changed_report_is_rejected() {
        let secret = Secret::generate().unwrap();
        let text = secret.seal(&report(Status::Fail));
        let changed = text.replace(r#"\"fail\""#, r#"\"pass\""#);
        assert_ne!(changed, text);
        assert_eq!(secret.open(&changed), Err(SealError::Forged));
    }

    #[test]
    fn an_unsealed_report_is_rejected() {
        let secret = Secret::generate().unwrap();
        let plain = serde_json::to_string(&report(Status::Pass)).unwrap();
        assert!(matches!(secret.open(&plain), Err(SealError::Malformed(_))));
        let no_seal = r#"{"body": "{}", "seal": ""}"#;
        assert_eq!(secret.open(no_seal), Err(SealError::Forged));
    }

    #[test]
    fn the_secret_travels_as_one_line_and_the_rest_is_drained() {
        let secret = Secret::generate().unwrap();
        let mut input = secret.to_line().into_bytes();
        input.extend_from_slice(b"more");
        assert_eq!(Secret::read_from(&input[..]).unwrap(), secret);
        assert_eq!(Secret::read_from(&b""[..]), Err(SealError::BadSecret));
        assert_eq!(Secret::read_from(&b"zz\n"[..]), Err(SealError::BadSecret));
    }
}
