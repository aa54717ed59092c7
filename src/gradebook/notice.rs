//! What the gradebook found wrong with its input while merging: unreadable
//! or foreign files, a student graded twice, shards that never arrived. Each
//! notice is a typed value; its words, in both languages, are here and only
//! here, and every output (standard error, the CSV, the HTML) shows the same
//! text, escaped for itself.

use std::path::{Path, PathBuf};

use crate::grade::model::GRADE_FORMAT;
use crate::lang::Lang;

use super::read::MAX_FILE_BYTES;
use super::result::{MAX_CHECKS, MAX_ID_CHARS, MAX_MODULES, MAX_SHARDS};

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The gradebook may be incomplete or ambiguous: exit code 1.
    Problem,
    /// Worth knowing; the gradebook is still whole.
    Note,
}

/// One thing found while reading and merging results.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A file that could not be used.
    Unreadable {
        /// The file, as given or found in a folder given.
        file: PathBuf,
        /// What is wrong with it.
        problem: FileProblem,
    },
    /// A second result for a student; the first was kept.
    Duplicate {
        /// The student id.
        student: String,
        /// The result kept.
        kept: PathBuf,
        /// The result ignored.
        ignored: PathBuf,
        /// Whether the two files hold the same bytes.
        identical: bool,
    },
    /// Shards of a batch with no manifest among the results.
    ShardsMissing {
        /// How many shards the batch had.
        of: u32,
        /// The shards missing, ascending.
        missing: Vec<u32>,
    },
    /// Manifests that do not agree on how many shards there are.
    ShardCounts {
        /// Each count with the manifests that say it.
        counts: Vec<(u32, Vec<PathBuf>)>,
    },
    /// Two manifests for the same shard; the first was kept.
    ShardTwice {
        /// K.
        shard: u32,
        /// N.
        of: u32,
        /// The manifest kept.
        kept: PathBuf,
        /// The one ignored.
        ignored: PathBuf,
    },
    /// A student a manifest lists, without a result file.
    ResultMissing {
        /// The student id.
        student: String,
        /// The manifest that lists the student.
        manifest: PathBuf,
    },
    /// A result no manifest lists, although manifests were found.
    NotListed {
        /// The student id.
        student: String,
        /// The result file.
        file: PathBuf,
    },
    /// Results without any shard manifest: completeness could not be checked.
    NoManifest,
    /// Nothing at all was found.
    NoResults,
}

/// Why a file could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum FileProblem {
    /// No such file or folder.
    NotFound,
    /// A folder inside a folder, a FIFO, a device.
    NotAFile,
    /// Larger than [`MAX_FILE_BYTES`]; its size in bytes.
    TooLarge(u64),
    /// The operating system's error.
    Io(String),
    /// Not JSON; serde's message.
    Syntax(String),
    /// JSON, but a field has the wrong type; serde's message.
    Shape(String),
    /// JSON without the marks of a result or a manifest.
    NotWorkbook,
    /// Another `format_version`.
    FormatVersion(String),
    /// `submission` is not a string.
    SubmissionNotText,
    /// A blank student id.
    EmptyId,
    /// A student id over [`MAX_ID_CHARS`] characters; its length.
    LongId(usize),
    /// A letter other than S, A, B, C.
    UnknownLetter(String),
    /// A score outside 0–100.
    ScoreOutOfRange(f64),
    /// More modules or checks than any course has.
    TooBig {
        /// Modules in the file.
        modules: usize,
        /// Checks in the file.
        checks: usize,
    },
    /// A shard that is not `1 ≤ K ≤ N ≤` [`MAX_SHARDS`].
    BadShard {
        /// K.
        shard: u32,
        /// N.
        of: u32,
    },
}

impl Notice {
    /// Whether it makes the gradebook incomplete or ambiguous.
    pub fn severity(&self) -> Severity {
        match self {
            Notice::NotListed { .. } | Notice::NoManifest => Severity::Note,
            _ => Severity::Problem,
        }
    }

    /// The student it is about, if one.
    pub fn student(&self) -> Option<&str> {
        match self {
            Notice::Duplicate { student, .. }
            | Notice::ResultMissing { student, .. }
            | Notice::NotListed { student, .. } => Some(student),
            _ => None,
        }
    }

    /// The label before the text: `problem` or `note`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self.severity() {
            Severity::Problem => lang.pick("problem", "проблема"),
            Severity::Note => lang.pick("note", "замечание"),
        }
    }

    /// The notice in words, not yet escaped for any output (it quotes
    /// student ids and paths as they are).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Unreadable { file, problem } => {
                format!("{}: {}", file.display(), problem.text(lang))
            }
            Notice::Duplicate {
                student,
                kept,
                ignored,
                identical,
            } => duplicate(student, kept, ignored, *identical, lang),
            Notice::ShardsMissing { of, missing } => lang.pick(
                format!(
                    "shards missing (of {of}): {}; no _shard-K-of-{of}.json among the results",
                    ranges(missing)
                ),
                format!(
                    "не хватает частей (из {of}): {}; среди результатов нет их _shard-K-of-{of}.json",
                    ranges(missing)
                ),
            ),
            Notice::ShardCounts { counts } => {
                let list: Vec<String> = counts
                    .iter()
                    .map(|(of, files)| format!("{of} ({})", files_list(files, lang)))
                    .collect();
                lang.pick(
                    format!("the manifests disagree on the number of shards: {}", list.join(", ")),
                    format!("манифесты расходятся в числе частей: {}", list.join(", ")),
                )
            }
            Notice::ShardTwice {
                shard,
                of,
                kept,
                ignored,
            } => lang.pick(
                format!("shard {shard} of {of} has two manifests: {} is used, {} is ignored", kept.display(), ignored.display()),
                format!("у части {shard} из {of} два манифеста: взят {}, {} не учтён", kept.display(), ignored.display()),
            ),
            Notice::ResultMissing { student, manifest } => lang.pick(
                format!("{student}: listed in {} but has no result file", manifest.display()),
                format!("{student}: есть в {}, но файла с результатом нет", manifest.display()),
            ),
            Notice::NotListed { student, file } => lang.pick(
                format!("{student}: {} is in no shard manifest (graded in another batch?)", file.display()),
                format!("{student}: {} нет ни в одном манифесте частей (оценён в другом запуске?)", file.display()),
            ),
            Notice::NoManifest => lang.pick(
                "no shard manifest (_shard-K-of-N.json) among the results: whether any are missing cannot be told",
                "среди результатов нет манифестов частей (_shard-K-of-N.json): нельзя проверить, все ли на месте",
            )
            .to_owned(),
            Notice::NoResults => lang.pick(
                "no results found: give the folders `workbook grade --batch DIR --out OUT` wrote",
                "результатов не найдено: укажите папки, в которые писал `workbook grade --batch ПАПКА --out ВЫВОД`",
            )
            .to_owned(),
        }
    }

    /// `label: text`, one line, not yet escaped.
    pub fn line(&self, lang: Lang) -> String {
        format!("{}: {}", self.label(lang), self.text(lang))
    }
}

fn duplicate(student: &str, kept: &Path, ignored: &Path, identical: bool, lang: Lang) -> String {
    let (kept, ignored) = (kept.display(), ignored.display());
    match (identical, lang) {
        (true, Lang::En) => {
            format!("{student}: graded twice: {kept} is used, {ignored} (the same) is ignored")
        }
        (false, Lang::En) => {
            format!("{student}: graded twice: {kept} is used, {ignored} (different) is ignored")
        }
        (true, Lang::Ru) => {
            format!("{student}: оценён дважды: взят {kept}, {ignored} (такой же) не учтён")
        }
        (false, Lang::Ru) => {
            format!("{student}: оценён дважды: взят {kept}, {ignored} (другой) не учтён")
        }
    }
}

impl FileProblem {
    /// What is wrong, in words.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FileProblem::NotFound => lang.pick("not found", "не найден").to_owned(),
            FileProblem::NotAFile => lang.pick("not a regular file", "не обычный файл").to_owned(),
            FileProblem::TooLarge(bytes) => lang.pick(
                format!("too large ({}); at most {} is read", mebibytes(*bytes, lang), mebibytes(MAX_FILE_BYTES, lang)),
                format!("слишком большой ({}); читается не больше {}", mebibytes(*bytes, lang), mebibytes(MAX_FILE_BYTES, lang)),
            ),
            FileProblem::Io(error) => lang.pick(format!("cannot be read: {error}"), format!("не читается: {error}")),
            FileProblem::Syntax(error) => lang.pick(format!("not valid JSON: {error}"), format!("некорректный JSON: {error}")),
            FileProblem::Shape(error) => lang.pick(
                format!("not a workbook result: {error}"),
                format!("не результат workbook: {error}"),
            ),
            FileProblem::NotWorkbook => lang.pick(
                "not a workbook result: neither a grade (`format_version`, `score`) nor a shard manifest (`shard`, `of`)",
                "не результат workbook: ни оценка (`format_version`, `score`), ни манифест части (`shard`, `of`)",
            )
            .to_owned(),
            FileProblem::FormatVersion(version) => lang.pick(
                format!("format_version {version}, but this workbook reads {GRADE_FORMAT}: use the workbook that graded it"),
                format!("format_version {version}, а эта версия workbook читает {GRADE_FORMAT}: возьмите ту, что оценивала"),
            ),
            FileProblem::SubmissionNotText => lang
                .pick("`submission` is not a string", "`submission` — не строка")
                .to_owned(),
            FileProblem::EmptyId => lang.pick("the student id is empty", "пустой идентификатор студента").to_owned(),
            FileProblem::LongId(length) => lang.pick(
                format!("a student id of {length} characters; at most {MAX_ID_CHARS} are accepted"),
                format!("идентификатор студента длиной {length} символов; допускается не больше {MAX_ID_CHARS}"),
            ),
            FileProblem::UnknownLetter(letter) => lang.pick(
                format!("unknown letter `{letter}`: expected S, A, B or C"),
                format!("неизвестная оценка `{letter}`: ожидается S, A, B или C"),
            ),
            FileProblem::ScoreOutOfRange(score) => lang.pick(
                format!("score {score} is not between 0 and 100"),
                format!("баллы {score} не в пределах от 0 до 100"),
            ),
            FileProblem::TooBig { modules, checks } => lang.pick(
                format!("{modules} modules and {checks} checks: at most {MAX_MODULES} and {MAX_CHECKS} are accepted"),
                format!("модулей {modules}, проверок {checks}: допускается не больше {MAX_MODULES} и {MAX_CHECKS}"),
            ),
            FileProblem::BadShard { shard, of } => lang.pick(
                format!("shard {shard} of {of} is not a share: 1 ≤ K ≤ N ≤ {MAX_SHARDS}"),
                format!("часть {shard} из {of} не бывает: 1 ≤ K ≤ N ≤ {MAX_SHARDS}"),
            ),
        }
    }
}

/// Bytes as mebibytes with one decimal.
fn mebibytes(bytes: u64, lang: Lang) -> String {
    #[expect(
        clippy::cast_precision_loss,
        reason = "a file size shown with one decimal"
    )]
    let value = bytes as f64 / 1_048_576.0;
    let text = format!("{value:.1}");
    lang.pick(
        format!("{text} MiB"),
        format!("{} МиБ", text.replace('.', ",")),
    )
}

/// At most three files, then how many more.
fn files_list(files: &[PathBuf], lang: Lang) -> String {
    let mut shown: Vec<String> = files
        .iter()
        .take(3)
        .map(|f| f.display().to_string())
        .collect();
    if files.len() > 3 {
        let more = files.len() - 3;
        shown.push(lang.pick(format!("{more} more"), format!("ещё {more}")));
    }
    shown.join(", ")
}

/// Ascending numbers as runs: `1, 3–5, 9`.
pub fn ranges(numbers: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(n) => *end = n,
            _ => runs.push((n, n)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(start, end)| match end - start {
            0 => start.to_string(),
            1 => format!("{start}, {end}"),
            _ => format!("{start}–{end}"),
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_join_runs() {
        assert_eq!(ranges(&[1, 3, 4, 5, 9]), "1, 3–5, 9");
        assert_eq!(ranges(&[2, 3]), "2, 3");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn sizes_read_in_both_languages() {
        let problem = FileProblem::TooLarge(50 * 1_048_576);
        assert_eq!(
            problem.text(Lang::En),
            "too large (50.0 MiB); at most 8.0 MiB is read"
        );
        assert_eq!(
            problem.text(Lang::Ru),
            "слишком большой (50,0 МиБ); читается не больше 8,0 МиБ"
        );
    }

    #[test]
    fn only_unlisted_results_and_no_manifest_are_notes() {
        assert_eq!(Notice::NoManifest.severity(), Severity::Note);
        assert_eq!(Notice::NoResults.severity(), Severity::Problem);
        let missing = Notice::ResultMissing {
            student: "bob".to_owned(),
            manifest: PathBuf::from("_shard-1-of-2.json"),
        };
        assert_eq!(missing.student(), Some("bob"));
        assert_eq!(
            missing.line(Lang::En),
            "problem: bob: listed in _shard-1-of-2.json but has no result file"
        );
    }
}
