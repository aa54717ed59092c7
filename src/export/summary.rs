//! What an export did, and how it reads: files written, what was left out,
//! what was sealed, and what is kept in the clear, in English or Russian.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::plan::{EXPORTED_WORKFLOW, STUDENT_WORKFLOW, Skip};
use super::sealing::FileReport;
use crate::lang::Lang;
use crate::style;

/// What an export wrote and left out.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The edition's folder.
    pub dir: PathBuf,
    /// How many files it holds.
    pub files: usize,
    /// What was left out, by why, as paths in the course.
    pub skipped: BTreeMap<Skip, BTreeSet<String>>,
    /// What sealing did, by file (files it did nothing to left out).
    pub sealed: Vec<(String, FileReport)>,
    /// Whether the students' workflow was written.
    pub workflow: bool,
}

impl Summary {
    /// Every `file question q: …` line about keys kept in the clear.
    pub fn kept_in_clear(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sealed
            .iter()
            .flat_map(|(file, report)| report.kept.iter().map(move |q| (file.as_str(), q.as_str())))
    }
}

/// What a kind of left-out path is, for the summary.
fn label(skip: Skip, lang: Lang) -> Option<&'static str> {
    Some(match skip {
        Skip::Solutions => lang.pick("reference solutions", "эталонные решения"),
        Skip::Mistakes => lang.pick("typical mistakes", "типичные ошибки"),
        Skip::Variants => lang.pick("solution variants", "варианты решений"),
        Skip::QuizAnswers => lang.pick("handed-in quiz answers", "сданные ответы на квизы"),
        Skip::ToolTests => lang.pick(
            "workbook's own tests (they run the solutions)",
            "собственные тесты workbook (они запускают решения)",
        ),
        Skip::AuthorCi => lang.pick("the authors' CI", "CI авторов"),
        Skip::TeacherWorkflows => lang.pick("the teacher's workflows", "workflow преподавателя"),
        Skip::WorkflowSource | Skip::Local => return None,
    })
}

/// "a, b, c" or "a, b, c and 4 more".
fn some_of(paths: &BTreeSet<String>, lang: Lang) -> String {
    let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
    let rest = paths.len() - shown.len();
    if rest == 0 {
        shown.join(", ")
    } else {
        lang.pick(
            format!("{} and {rest} more", shown.join(", ")),
            format!("{} и ещё {rest}", shown.join(", ")),
        )
    }
}

/// The summary for the author who ran the export.
pub fn render(summary: &Summary, lang: Lang) -> String {
    let mut out = String::new();
    let (dir, files) = (summary.dir.display(), summary.files);
    let _ = writeln!(
        out,
        "{} {}",
        style::good("✓"),
        lang.pick(
            format!("Student edition written to {dir}: {files} files."),
            format!("Студенческая версия записана в {dir}, файлов: {files}."),
        )
    );
    let left_out: Vec<(&str, &BTreeSet<String>)> = summary
        .skipped
        .iter()
        .filter_map(|(skip, paths)| label(*skip, lang).map(|l| (l, paths)))
        .collect();
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style::heading(lang.pick("Left out:", "Не вошло:"))
        );
        for (label, paths) in left_out {
            let _ = writeln!(out, "  {label}: {}", some_of(paths, lang));
        }
    }
    sealed(&mut out, summary, lang);
    let kept: Vec<(&str, &str)> = summary.kept_in_clear().collect();
    if !kept.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style::heading(lang.pick("Kept in clear:", "Оставлено открытым:"))
        );
        for (file, question) in kept {
            let _ = writeln!(
                out,
                "  {}",
                style::warn(&lang.pick(
                    format!("{file} question {question}: regex answer kept in clear (it accepts too many answers to list)"),
                    format!("{file}, вопрос {question}: ответ-регулярное выражение оставлен открытым (он принимает слишком много ответов, чтобы их перечислить)"),
                ))
            );
        }
    }
    let workflow = if summary.workflow {
        lang.pick(
            format!("CI workflow: {EXPORTED_WORKFLOW} (from {STUDENT_WORKFLOW})."),
            format!("CI: {EXPORTED_WORKFLOW} (из {STUDENT_WORKFLOW})."),
        )
    } else {
        lang.pick(
            format!("No {STUDENT_WORKFLOW} in the course: the edition has no CI workflow."),
            format!("В курсе нет {STUDENT_WORKFLOW}: в этой версии нет CI."),
        )
    };
    let _ = writeln!(out, "{workflow}");
    out
}

/// The "Sealed" part: per file, keys and blanks sealed, patterns listed,
/// Solution steps withheld.
fn sealed(out: &mut String, summary: &Summary, lang: Lang) {
    if summary.sealed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        style::heading(lang.pick(
            "Sealed as salted SHA-256 digests:",
            "Запечатано солёными хешами SHA-256:",
        ))
    );
    for (file, report) in &summary.sealed {
        let mut parts = Vec::new();
        if report.keys > 0 {
            parts.push(lang.pick(
                format!("{} quiz keys", report.keys),
                format!("ключей квиза: {}", report.keys),
            ));
        }
        if report.blanks > 0 {
            parts.push(lang.pick(
                format!("{} blanks", report.blanks),
                format!("пропусков: {}", report.blanks),
            ));
        }
        if !report.listed.is_empty() {
            let ids = report.listed.join(", ");
            parts.push(lang.pick(
                format!("patterns replaced by what they accept: {ids}"),
                format!("регулярные выражения заменены списком ответов: {ids}"),
            ));
        }
        if !report.withheld.is_empty() {
            let ids = report.withheld.join(", ");
            parts.push(lang.pick(
                format!("Solution steps withheld: {ids}"),
                format!("шаги решения скрыты: {ids}"),
            ));
        }
        let _ = writeln!(out, "  {file}: {}", parts.join("; "));
    }
}
