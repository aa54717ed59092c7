//! The two kinds of file `workbook grade --batch DIR --out OUT` writes, as the
//! gradebook reads them back: a student's result (`OUT/<student>.json`, the
//! document of `grade --format json`, or a short `status: error` document
//! when the submission could not be graded at all) and a shard manifest
//! (`OUT/_shard-K-of-N.json`).
//!
//! The types here mirror [`crate::grade::model`] but are read leniently: a
//! field the gradebook does not use may be missing, and an empty translation
//! is not an error. Everything in a result file is untrusted text (the
//! student id is a folder name the student chose; check messages quote the
//! student's code), so [`parse`] bounds what it accepts and every renderer
//! escapes what it shows.

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::cli::Letter;
use crate::grade::model::GRADE_FORMAT;
use crate::lang::Lang;

use super::notice::FileProblem;

/// The longest student id accepted, in characters.
pub const MAX_ID_CHARS: usize = 200;
/// The most shards a manifest may announce.
pub const MAX_SHARDS: u32 = 1000;
/// The most checks one result may hold (a course has dozens).
pub const MAX_CHECKS: usize = 5000;
/// The most modules one result may hold.
pub const MAX_MODULES: usize = 200;

/// A text in both languages, either of which may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Bilingual {
    /// English.
    pub en: String,
    /// Russian.
    pub ru: String,
}

impl Bilingual {
    /// The text in `lang`, or in the other language when that one is blank.
    pub fn get(&self, lang: Lang) -> &str {
        let text = lang.pick(&self.en, &self.ru);
        if text.trim().is_empty() {
            lang.pick(&self.ru, &self.en)
        } else {
            text
        }
    }
}

/// What one file holds.
#[derive(Debug, Clone)]
pub enum Document {
    /// One student's result.
    Result(Box<StudentResult>),
    /// A shard manifest.
    Manifest(Manifest),
}

/// One student's result file.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentResult {
    /// The student id: the `submission` field (the submission folder's name).
    pub student: String,
    /// What grading gave, if it got that far.
    pub outcome: Outcome,
}

/// Whether a result holds a grade.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Graded.
    Graded(Box<Graded>),
    /// The submission could not be graded at all; why, as the grader said it.
    NotGraded {
        /// The grader's message (untrusted text).
        message: String,
    },
}

/// The grade of one student, as much of it as the gradebook shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// Exercism's run status: `pass`, `fail` or `error` (nothing could run).
    pub status: Option<Status>,
    /// The total, 0–100.
    pub score: f64,
    /// The letter.
    pub letter: Letter,
    /// Why the letter is not S although the score reaches it.
    pub capped: Option<String>,
    /// The rubric's parts.
    pub parts: Option<Parts>,
    /// Every module, in course order.
    pub modules: Vec<Module>,
    /// rustfmt and clippy findings.
    pub style: Option<Style>,
    /// Files that differ from the pristine course.
    pub tampering: Vec<Tampering>,
}

/// [`Graded`] as written, before its letter is known to be one.
#[derive(Deserialize)]
struct RawGraded {
    #[serde(default)]
    status: Option<Status>,
    score: f64,
    letter: String,
    #[serde(default)]
    capped: Option<String>,
    #[serde(default)]
    parts: Option<Parts>,
    #[serde(default)]
    modules: Vec<Module>,
    #[serde(default)]
    style: Option<Style>,
    #[serde(default)]
    tampering: Vec<Tampering>,
}

impl RawGraded {
    fn validate(self) -> Result<Graded, FileProblem> {
        let letter = match self.letter.as_str() {
            "S" => Letter::S,
            "A" => Letter::A,
            "B" => Letter::B,
            "C" => Letter::C,
            other => return Err(FileProblem::UnknownLetter(short(other))),
        };
        if !(0.0..=100.0).contains(&self.score) {
            return Err(FileProblem::ScoreOutOfRange(self.score));
        }
        let graded = Graded {
            status: self.status,
            score: self.score,
            letter,
            capped: self.capped,
            parts: self.parts,
            modules: self.modules,
            style: self.style,
            tampering: self.tampering,
        };
        let checks = graded.checks().count();
        if graded.modules.len() > MAX_MODULES || checks > MAX_CHECKS {
            return Err(FileProblem::TooBig {
                modules: graded.modules.len(),
                checks,
            });
        }
        Ok(graded)
    }
}

impl Graded {
    /// Every check with its exercise.
    pub fn checks(&self) -> impl Iterator<Item = (&Exercise, &Check)> {
        self.modules
            .iter()
            .flat_map(|m| m.exercises.iter())
            .flat_map(|e| e.checks.iter().map(move |c| (e, c)))
    }

    /// The quiz part's percentage, when quizzes count.
    pub fn quiz_percent(&self) -> Option<f64> {
        self.parts
            .and_then(|p| p.quiz)
            .filter(|p| p.weight > 0)
            .map(|p| p.percent)
    }

    /// The style part's percentage, when style counts.
    pub fn style_percent(&self) -> Option<f64> {
        self.parts
            .and_then(|p| p.style)
            .filter(|p| p.weight > 0)
            .map(|p| p.percent)
    }
}

/// Exercism's status of a run, and of a check (`verdict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Green.
    Pass,
    /// Not green.
    Fail,
    /// Could not run.
    Error,
}

impl Status {
    /// The code as written in the documents.
    pub fn code(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

/// The rubric's parts; each may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Parts {
    /// Exercise checks.
    pub exercises: Option<Part>,
    /// Quizzes.
    pub quiz: Option<Part>,
    /// Style.
    pub style: Option<Part>,
}

/// One part of the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Part {
    /// Its weight in the total.
    pub weight: u32,
    /// How much of it was earned, 0–100.
    pub percent: f64,
}

/// One module's grade.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Module {
    /// The module id.
    pub id: String,
    /// Its title.
    #[serde(default)]
    pub title: Bilingual,
    /// Its score, 0–100.
    #[serde(default)]
    pub score: f64,
    /// Its exercises.
    #[serde(default)]
    pub exercises: Vec<Exercise>,
    /// Its quiz.
    #[serde(default)]
    pub quiz: Option<Quiz>,
}

/// One exercise's grade.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Exercise {
    /// The exercise id.
    pub id: String,
    /// Its title.
    #[serde(default)]
    pub title: Bilingual,
    /// Whether it compiled.
    #[serde(default = "yes")]
    pub compiled: bool,
    /// The first compiler errors, when it did not.
    #[serde(default)]
    pub compile_errors: Vec<CompileError>,
    /// Its checks.
    #[serde(default)]
    pub checks: Vec<Check>,
}

/// A compiler error in a student's code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct CompileError {
    /// The file (untrusted).
    pub file: String,
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
    /// The compiler's one-line message (untrusted).
    pub message: String,
}

/// One check's grade.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Check {
    /// The check id.
    pub id: String,
    /// What it proves.
    #[serde(default)]
    pub title: Bilingual,
    /// How it ended.
    pub verdict: Status,
    /// Points earned.
    #[serde(default)]
    pub points: u32,
    /// Points possible.
    #[serde(default)]
    pub max_points: u32,
    /// What went wrong (untrusted).
    #[serde(default)]
    pub message: Bilingual,
    /// Supporting detail (untrusted).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The lesson step that teaches it.
    #[serde(default)]
    pub remedy: Option<Remedy>,
}

/// A lesson step to go back to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Remedy {
    /// The step's title.
    #[serde(default)]
    pub title: Bilingual,
    /// The command that opens it.
    pub command: String,
}

/// One module's quiz.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Quiz {
    /// 0–100.
    #[serde(default)]
    pub percent: f64,
    /// The pass mark.
    #[serde(default)]
    pub pass_percent: u32,
    /// Whether it reached the pass mark.
    #[serde(default)]
    pub passed: bool,
    /// Why nothing could be scored.
    #[serde(default)]
    pub problem: Option<Bilingual>,
    /// Questions not fully earned.
    #[serde(default)]
    pub missed: Vec<Missed>,
}

/// A quiz question not fully earned.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Missed {
    /// The question id.
    pub id: String,
    /// Where it is taught.
    #[serde(default)]
    pub remedy: Option<Remedy>,
}

/// rustfmt and clippy on the student's files.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct Style {
    /// Whether the tools ran.
    pub measured: bool,
    /// Files rustfmt would change.
    pub unformatted: Vec<String>,
    /// Clippy warnings.
    pub warnings: Vec<IgnoredAnyEq>,
}

/// A value whose content does not matter, only that it is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(from = "IgnoredAny")]
pub struct IgnoredAnyEq;

impl From<IgnoredAny> for IgnoredAnyEq {
    fn from(_: IgnoredAny) -> Self {
        IgnoredAnyEq
    }
}

/// A file that differs from the pristine course.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tampering {
    /// Its path in the course (untrusted).
    pub path: String,
    /// `modified`, `removed`, `added`, `copies_solution`, `includes_outside`
    /// (kept as written: a newer grader may know more kinds).
    pub kind: String,
}

/// A shard manifest: which submissions one `grade --batch --shard K/N` run graded.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Manifest {
    /// K, from 1.
    pub shard: u32,
    /// N.
    pub of: u32,
    /// The student ids of the shard.
    #[serde(default)]
    pub submissions: Vec<String>,
}

fn yes() -> bool {
    true
}

/// The fields that tell the kinds of file apart.
#[derive(Deserialize)]
struct Probe {
    format_version: Option<serde_json::Value>,
    shard: Option<IgnoredAny>,
    submission: Option<serde_json::Value>,
    score: Option<IgnoredAny>,
    status: Option<serde_json::Value>,
    message: Option<serde_json::Value>,
}

/// Reads one file's bytes; `stem` (the file name without `.json`) stands in
/// for the student id when a result does not name it.
pub fn parse(bytes: &[u8], stem: &str) -> Result<Document, FileProblem> {
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => FileProblem::NotWorkbook,
        _ => FileProblem::Syntax(e.to_string()),
    })?;
    match &probe.format_version {
        None => return Err(FileProblem::NotWorkbook),
        Some(v) if v.as_u64() != Some(u64::from(GRADE_FORMAT)) => {
            return Err(FileProblem::FormatVersion(short(&v.to_string())));
        }
        Some(_) => {}
    }
    if probe.shard.is_some() {
        return parse_manifest(bytes).map(Document::Manifest);
    }
    let student = match &probe.submission {
        None | Some(serde_json::Value::Null) => stem.to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err(FileProblem::SubmissionNotText),
    };
    check_id(&student)?;
    let outcome = if probe.score.is_none() {
        if probe.status.as_ref().and_then(|s| s.as_str()) != Some("error") {
            return Err(FileProblem::NotWorkbook);
        }
        let message = match probe.message {
            Some(serde_json::Value::String(m)) => m,
            _ => String::new(),
        };
        Outcome::NotGraded { message }
    } else {
        let graded: RawGraded =
            serde_json::from_slice(bytes).map_err(|e| FileProblem::Shape(e.to_string()))?;
        Outcome::Graded(Box::new(graded.validate()?))
    };
    Ok(Document::Result(Box::new(StudentResult {
        student,
        outcome,
    })))
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, FileProblem> {
    let manifest: Manifest =
        serde_json::from_slice(bytes).map_err(|e| FileProblem::Shape(e.to_string()))?;
    if manifest.shard == 0 || manifest.shard > manifest.of || manifest.of > MAX_SHARDS {
        return Err(FileProblem::BadShard {
            shard: manifest.shard,
            of: manifest.of,
        });
    }
    for id in &manifest.submissions {
        check_id(id)?;
    }
    Ok(manifest)
}

/// A student id is a folder name: not blank, not huge.
fn check_id(id: &str) -> Result<(), FileProblem> {
    if id.trim().is_empty() {
        return Err(FileProblem::EmptyId);
    }
    let length = id.chars().count();
    if length > MAX_ID_CHARS {
        return Err(FileProblem::LongId(length));
    }
    Ok(())
}

/// At most 40 characters of a value quoted in a problem.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
