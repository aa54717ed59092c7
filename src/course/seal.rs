//! Sealed keys: quiz keys and blank answers stored as salted SHA-256 digests,
//! the way the student edition (`workbook dev export`) writes them.
//!
//! A sealed key holds the salt and `sha256(salt ‖ normalised answer)` in hex
//! for every accepted answer. An answer is checked by normalising it exactly as
//! its question or blank compares answers and looking its digest up, so it gets
//! the same verdict as against the plain key. The salt is derived from the
//! item's ids ([`salt`]), so an export is reproducible byte for byte; it keeps
//! equal answers of different items from having equal digests. Sealing keeps a
//! key from being read, not from being searched for: a question with four
//! options has four digests to try.

use std::fmt;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use sha2::{Digest, Sha256};

use crate::yaml::de::list;

/// What every salt is derived from, with the item's ids: changing it changes
/// every digest of every student edition.
pub const SALT_DOMAIN: &str = "workbook-v1";

/// A key sealed for the student edition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    /// The item's salt: 16 hex digits.
    pub salt: String,
    /// The digests of the accepted answers, sorted: 64 hex digits each.
    #[serde(deserialize_with = "list")]
    pub sha256: Vec<String>,
}

impl Sealed {
    /// Seals already normalised answers; equal ones give one digest.
    pub fn seal<'a>(salt: String, normalised: impl IntoIterator<Item = &'a str>) -> Sealed {
        let mut sha256: Vec<String> = normalised.into_iter().map(|n| digest(&salt, n)).collect();
        sha256.sort_unstable();
        sha256.dedup();
        Sealed { salt, sha256 }
    }

    /// Whether `normalised` is one of the sealed answers.
    pub fn holds(&self, normalised: &str) -> bool {
        let wanted = digest(&self.salt, normalised);
        self.sha256.contains(&wanted)
    }

    /// What is wrong with the key's form, if anything: the salt and digests
    /// must be lowercase hex of the right length, and there must be a digest.
    pub fn malformed(&self) -> Option<&'static str> {
        let hex = |text: &str, len: usize| {
            text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        if !hex(&self.salt, 16) {
            Some("its `salt` must be 16 lowercase hex digits")
        } else if self.sha256.is_empty() {
            Some("it needs at least one digest in `sha256`")
        } else if !self.sha256.iter().all(|d| hex(d, 64)) {
            Some("each digest in `sha256` must be 64 lowercase hex digits")
        } else {
            None
        }
    }

    /// The key as one line of YAML flow, the way the export writes it.
    pub fn to_yaml(&self) -> String {
        let digests: Vec<String> = self.sha256.iter().map(|d| format!("\"{d}\"")).collect();
        format!(
            "{{salt: \"{}\", sha256: [{}]}}",
            self.salt,
            digests.join(", ")
        )
    }
}

/// The salt of one item, from its ids (`["quiz", bank, question]`): the first
/// 16 hex digits of `sha256("workbook-v1:" + ids joined by ":")`.
pub fn salt(ids: &[&str]) -> String {
    let text = format!("{SALT_DOMAIN}:{}", ids.join(":"));
    let mut salt = hex(&Sha256::digest(text.as_bytes()));
    salt.truncate(16);
    salt
}

/// `sha256(salt ‖ normalised)` in lowercase hex.
pub fn digest(salt: &str, normalised: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(normalised.as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The accepted answers of a `short` question or a blank: the list as written,
/// or, in a student edition, sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// The answers as written; the first is the one shown on request.
    Plain(Vec<String>),
    /// The normalised answers' digests.
    Sealed(Sealed),
}

impl Default for Accepted {
    fn default() -> Self {
        Accepted::Plain(Vec::new())
    }
}

impl Accepted {
    /// The plain answers; none when sealed.
    pub fn plain(&self) -> &[String] {
        match self {
            Accepted::Plain(answers) => answers,
            Accepted::Sealed(_) => &[],
        }
    }

    /// The answer shown on request (the first written); `None` when sealed.
    pub fn shown(&self) -> Option<&str> {
        self.plain().first().map(String::as_str)
    }

    /// Whether there is no answer at all (or only blank ones).
    pub fn is_blank(&self) -> bool {
        match self {
            Accepted::Plain(answers) => answers.iter().all(|a| a.trim().is_empty()),
            Accepted::Sealed(sealed) => sealed.sha256.is_empty(),
        }
    }

    /// Whether the key is absent: no answers written.
    pub fn is_empty(&self) -> bool {
        match self {
            Accepted::Plain(answers) => answers.is_empty(),
            Accepted::Sealed(_) => false,
        }
    }

    /// Whether `given` is accepted, both being compared after `normalise`.
    pub fn accepts(&self, given: &str, normalise: impl Fn(&str) -> String) -> bool {
        let given = normalise(given);
        match self {
            Accepted::Plain(answers) => answers.iter().any(|a| normalise(a) == given),
            Accepted::Sealed(sealed) => sealed.holds(&given),
        }
    }
}

/// A list of answers, or a mapping with `salt` and `sha256`.
impl<'de> Deserialize<'de> for Accepted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Accepted, D::Error> {
        struct AcceptedVisitor;

        impl<'de> Visitor<'de> for AcceptedVisitor {
            type Value = Accepted;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of answers, or a sealed key `{salt: …, sha256: […]}`")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Accepted, A::Error> {
                list(SeqAccessDeserializer::new(seq)).map(Accepted::Plain)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Accepted, A::Error> {
                Sealed::deserialize(MapAccessDeserializer::new(map)).map(Accepted::Sealed)
            }
        }

        deserializer.deserialize_any(AcceptedVisitor)
    }
}

/// How the student edition writes a set of option ids before digesting it:
/// sorted, each once, one per line (option ids hold no line breaks).
pub fn set_text<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join("\n")
}

/// A sequence of option ids, in order, one per line.
pub fn sequence_text<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter().collect::<Vec<_>>().join("\n")
}

/// An option id at a place in an ordering (counted from 0).
pub fn position_text(index: usize, id: &str) -> String {
    format!("{index}\n{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_are_derived_from_the_ids() {
        assert_eq!(salt(&["quiz", "a", "q1"]), salt(&["quiz", "a", "q1"]));
        assert_ne!(salt(&["quiz", "a", "q1"]), salt(&["quiz", "a", "q2"]));
        assert_eq!(salt(&["x"]).len(), 16);
        // sha256("workbook-v1:x"), checked with `printf %s workbook-v1:x | sha256sum`.
        let full = digest("", "workbook-v1:x");
        assert!(full.starts_with(&salt(&["x"])));
    }

    #[test]
    fn a_digest_is_sha256_of_salt_and_answer() {
        // `printf %s abc | sha256sum`
        assert_eq!(
            digest("a", "bc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn sealed_answers_are_found_by_their_normalised_text() {
        let sealed = Sealed::seal(salt(&["t"]), ["b", "a", "a"]);
        assert_eq!(sealed.sha256.len(), 2, "equal answers give one digest");
        assert!(sealed.sha256.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(sealed.holds("a") && sealed.holds("b") && !sealed.holds("c"));
        assert_eq!(sealed.malformed(), None);
        let accepted = Accepted::Sealed(sealed);
        assert!(accepted.accepts("  A ", |t| t.trim().to_lowercase()));
        assert_eq!(accepted.shown(), None);
    }

    #[test]
    fn malformed_keys_are_named() {
        let mut sealed = Sealed::seal(salt(&["t"]), ["a"]);
        sealed.salt = "XYZ".into();
        assert!(sealed.malformed().unwrap().contains("salt"));
        sealed.salt = salt(&["t"]);
        sealed.sha256 = vec!["abc".into()];
        assert!(sealed.malformed().unwrap().contains("64"));
        sealed.sha256.clear();
        assert!(sealed.malformed().unwrap().contains("at least one"));
    }

    #[derive(Deserialize)]
    struct Holder {
        answers: Accepted,
    }

    #[test]
    fn the_yaml_form_reads_back() {
        let sealed = Sealed::seal(salt(&["t"]), ["a", "b"]);
        let text = format!("answers: {}\n", sealed.to_yaml());
        let node = crate::yaml::node::parse(&text).unwrap();
        let decoded: crate::yaml::Decoded<Holder> = crate::yaml::decode(&node);
        assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
        assert_eq!(decoded.value.unwrap().answers, Accepted::Sealed(sealed));
        let node = crate::yaml::node::parse("answers: [a, 15]\n").unwrap();
        let decoded: crate::yaml::Decoded<Holder> = crate::yaml::decode(&node);
        assert_eq!(
            decoded.value.unwrap().answers,
            Accepted::Plain(vec!["a".into(), "15".into()])
        );
    }

    #[test]
    fn texts_of_option_answers() {
        assert_eq!(set_text(["c", "a", "c"]), "a\nc");
        assert_eq!(sequence_text(["c", "a"]), "c\na");
        assert_eq!(position_text(2, "x"), "2\nx");
    }
}
