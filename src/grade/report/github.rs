//! The grade as GitHub Actions workflow commands, printed to standard output
//! in a workflow step: the runner turns them into annotations on the run's
//! page and on the pull request's files, which is where the student looks.
//! `::error` for each failing check (on the exercise's `src/lib.rs`) and each
//! compiler error (on its own file and line), `::warning` for style findings
//! and ignored changes, `::notice` for the letter and total.
//!
//! GitHub shows at most 10 errors and 10 warnings of a step, so at most that
//! many of each are written, then one notice says how many more there are.
//! Values are escaped as the runner unescapes them (`%`, CR, LF in the
//! message; also `:` and `,` in properties), and student-originated text is
//! first sanitised one line at a time, so none of it can start a workflow
//! command of its own.

use std::fmt::Write as _;

use workbook_support::sanitize;

use super::{check_message, exercises, letter, number, parts, tamper_words};
use crate::grade::model::{CheckGrade, ExerciseGrade, Grade, Verdict};
use crate::lang::Lang;

/// GitHub's limit on annotations of one kind per step.
const LIMIT: usize = 10;

/// One annotation.
struct Annotation {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    title: String,
    message: String,
}

/// The workflow commands, one per line.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let errors = errors(grade, lang);
    let warnings = warnings(grade, lang);
    let mut out = String::new();
    for error in errors.iter().take(LIMIT) {
        command(&mut out, "error", error);
    }
    for warning in warnings.iter().take(LIMIT) {
        command(&mut out, "warning", warning);
    }
    let (more_errors, more_warnings) = (
        errors.len().saturating_sub(LIMIT),
        warnings.len().saturating_sub(LIMIT),
    );
    if more_errors + more_warnings > 0 {
        let text = lang.pick(
            format!(
                "{more_errors} more errors and {more_warnings} more warnings are not shown as annotations; see the job's output or summary"
            ),
            format!(
                "Не показано аннотациями: ещё ошибок — {more_errors}, предупреждений — {more_warnings}; смотрите вывод или сводку задания"
            ),
        );
        let _ = writeln!(out, "::notice::{}", data(&text));
    }
    let _ = writeln!(
        out,
        "::notice title={}::{}",
        property(&format!(
            "{} {}",
            lang.pick("Grade", "Оценка"),
            letter(grade.letter)
        )),
        data(&totals(grade, lang))
    );
    out
}

/// `54 of 100: exercises 38.5, quiz 9, style 6.5`.
fn totals(grade: &Grade, lang: Lang) -> String {
    let parts: Vec<String> = parts(grade, lang)
        .iter()
        .map(|(name, part)| format!("{name} {}", number(part.contributes, lang)))
        .collect();
    format!(
        "{} {} 100: {}",
        number(grade.score, lang),
        lang.pick("of", "из"),
        parts.join(", ")
    )
}

fn errors(grade: &Grade, lang: Lang) -> Vec<Annotation> {
    let mut errors = Vec::new();
    for (_, _, exercise) in exercises(grade) {
        if exercise.compiled {
            let failing = exercise
                .checks
                .iter()
                .filter(|c| c.verdict != Verdict::Pass);
            errors.extend(failing.map(|check| check_error(exercise, check, lang)));
            continue;
        }
        let title = format!(
            "{}: {}",
            exercise.id,
            lang.pick("does not compile", "не компилируется")
        );
        for error in &exercise.compile_errors {
            errors.push(Annotation {
                file: sanitize::inline(&error.file),
                line: Some(error.line),
                column: Some(error.column),
                title: title.clone(),
                message: lines(&error.rendered),
            });
        }
        if exercise.compile_errors.is_empty() {
            errors.push(Annotation {
                file: lib_rs(exercise),
                line: None,
                column: None,
                message: title.clone(),
                title,
            });
        }
    }
    errors
}

/// The file a failing check is shown on: the model does not know which
/// editable file is at fault, and `src/lib.rs` is where every exercise starts.
fn lib_rs(exercise: &ExerciseGrade) -> String {
    format!("exercises/{}/src/lib.rs", exercise.id)
}

fn check_error(exercise: &ExerciseGrade, check: &CheckGrade, lang: Lang) -> Annotation {
    let mut message = lines(check_message(check, lang));
    for evidence in &check.evidence {
        message.push('\n');
        message.push_str(&lines(evidence));
    }
    if let Some(remedy) = &check.remedy {
        let _ = write!(
            message,
            "\n{} {}",
            lang.pick("Review:", "Повторите:"),
            remedy.command
        );
    }
    Annotation {
        file: lib_rs(exercise),
        line: None,
        column: None,
        title: format!("{} › {}: {}", exercise.id, check.id, check.title.get(lang)),
        message,
    }
}

fn warnings(grade: &Grade, lang: Lang) -> Vec<Annotation> {
    let mut warnings = Vec::new();
    for file in &grade.style.unformatted {
        warnings.push(Annotation {
            file: sanitize::inline(file),
            line: None,
            column: None,
            title: "rustfmt".to_owned(),
            message: lang
                .pick(
                    "rustfmt would reformat this file: run cargo fmt",
                    "rustfmt переформатирует этот файл: запустите cargo fmt",
                )
                .to_owned(),
        });
    }
    for warning in &grade.style.warnings {
        warnings.push(Annotation {
            file: sanitize::inline(&warning.file),
            line: Some(warning.line),
            column: None,
            title: sanitize::inline(&warning.lint),
            message: sanitize::inline(&warning.message),
        });
    }
    for change in &grade.tampering {
        warnings.push(Annotation {
            file: sanitize::inline(&change.path),
            line: None,
            column: None,
            title: lang
                .pick("Ignored when grading", "При оценке не учтено")
                .to_owned(),
            message: tamper_words(change.kind, lang).to_owned(),
        });
    }
    warnings
}

/// Student text sanitised one line at a time, joined by newlines (which the
/// runner shows as line breaks once escaped).
fn lines(s: &str) -> String {
    s.lines()
        .map(sanitize::inline)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `::kind file=…,line=…,col=…,title=…::message`.
fn command(out: &mut String, kind: &str, annotation: &Annotation) {
    let _ = write!(out, "::{kind} file={}", property(&annotation.file));
    if let Some(line) = annotation.line {
        let _ = write!(out, ",line={line}");
    }
    if let Some(column) = annotation.column {
        let _ = write!(out, ",col={column}");
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        property(&annotation.title),
        data(&annotation.message)
    );
}

/// A command's message, escaped as the runner unescapes it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, escaped as the runner unescapes it.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::model::{StyleWarning, Tampering};
    use crate::grade::report::sample;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::grade(), Lang::En));
    }

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(data("100%\r\n::error::pwned"), "100%25%0D%0A::error::pwned");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn student_text_cannot_start_a_command() {
        let out = render(&sample::hostile(), Lang::En);
        // 2 errors (a compile error, a failing check), 4 warnings, the total.
        assert_eq!(out.lines().count(), 7, "{out}");
        for line in out.lines() {
            assert!(
                line.starts_with("::error file=")
                    || line.starts_with("::warning file=")
                    || line.starts_with("::notice title="),
                "{line:?}"
            );
            assert!(!line.contains('\x1b') && !line.contains('\r'), "{line:?}");
        }
        assert!(
            out.contains("::50%25 done | really, yes: <script>"),
            "{out}"
        );
        assert!(
            out.contains("%0A‖ ::error::pwned%0A\\u{1b}[2Jcleared"),
            "{out}"
        );
        assert!(
            out.contains("%0A##‖[error]legacy%0A‖ ::add-mask::secret"),
            "{out}"
        );
        assert!(
            out.contains("file=exercises/x|y/<script>%2Ca%3Ab%25.rs,title="),
            "{out}"
        );
    }

    #[test]
    fn at_most_ten_of_each_then_a_notice() {
        let mut grade = sample::grade();
        let warning = grade.style.warnings[0].clone();
        grade.style.warnings = (1..=12)
            .map(|line| StyleWarning {
                line,
                ..warning.clone()
            })
            .collect();
        let exercise = &mut grade.modules[1].exercises[1];
        let failing = exercise.checks[1].clone();
        exercise.checks = (0..14).map(|_| failing.clone()).collect();
        grade.tampering.push(Tampering {
            path: "extra.rs".to_owned(),
            kind: crate::grade::model::TamperKind::Added,
        });
        let out = render(&grade, Lang::En);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("::error ")).count(),
            10
        );
        assert_eq!(
            out.lines().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        // 14 checks and 1 compile error; 1 unformatted, 12 warnings, 2 changes.
        assert!(
            out.contains("::notice::5 more errors and 5 more warnings are not shown"),
            "{out}"
        );
    }
}
