//! The grade as GitHub-flavoured Markdown, for a CI job summary
//! (`$GITHUB_STEP_SUMMARY`) that the student and the teacher read on the
//! run's page: the letter and total, tables of parts and modules, what
//! failed with the command that reopens the lesson step, the quiz, style and
//! ignored changes. In the language asked for.
//!
//! Student-originated text is sanitised and then escaped so that it stays
//! text: Markdown punctuation is backslash-escaped (a pipe cannot end a table
//! cell), `<`, `>` and `&` become entities (no HTML), newlines become `<br>`
//! (a cell stays one row), and evidence goes into a fenced block whose fence
//! is longer than any run of backticks in it.

use std::fmt::Write as _;

use workbook_support::sanitize;

use super::{capped_reason, check_message, letter, module_points, number, parts, tamper_words};
use crate::grade::model::{ExerciseGrade, Grade, QuizGrade, Verdict};
use crate::lang::Lang;

/// The whole summary.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let mut out = String::new();
    summary(&mut out, grade, lang);
    modules(&mut out, grade, lang);
    failures(&mut out, grade, lang);
    quizzes(&mut out, grade, lang);
    style(&mut out, grade, lang);
    tampering(&mut out, grade, lang);
    out
}

fn summary(out: &mut String, grade: &Grade, lang: Lang) {
    let (letter, score) = (letter(grade.letter), number(grade.score, lang));
    let _ = writeln!(
        out,
        "## {}\n",
        lang.pick(
            format!("Grade {letter} · {score} of 100"),
            format!("Оценка {letter} · {score} из 100"),
        )
    );
    let _ = writeln!(
        out,
        "{} · {} · {}\n",
        text(grade.course.get(lang)),
        text(&grade.submission),
        grade.backend.name()
    );
    if let Some(capped) = grade.capped {
        let at_most = lang.pick("At most A", "Не выше A");
        let _ = writeln!(out, "> **{at_most}:** {}\n", capped_reason(capped, lang));
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|:--|--:|--:|--:|",
        lang.pick("Part", "Часть"),
        lang.pick("Weight", "Вес"),
        lang.pick("Earned", "Набрано"),
        lang.pick("Adds", "В итог")
    );
    for (name, part) in parts(grade, lang) {
        let _ = writeln!(
            out,
            "| {} | {} % | {} % | {} |",
            capitalised(name),
            part.weight,
            number(part.percent, lang),
            number(part.contributes, lang)
        );
    }
    let _ = writeln!(
        out,
        "| **{}** | | | **{score}** |",
        lang.pick("Total", "Итого")
    );
}

fn modules(out: &mut String, grade: &Grade, lang: Lang) {
    let _ = writeln!(
        out,
        "\n### {}\n\n| {} | {} | {} | {} |\n|:--|--:|--:|:--|",
        lang.pick("Modules", "Модули"),
        lang.pick("Module", "Модуль"),
        lang.pick("Score", "Балл"),
        lang.pick("Exercises", "Упражнения"),
        lang.pick("Quiz", "Квиз")
    );
    for module in &grade.modules {
        let (earned, possible) = module_points(module);
        let quiz = module
            .quiz
            .as_ref()
            .map_or_else(|| "—".to_owned(), |q| quiz_cell(q, lang));
        let _ = writeln!(
            out,
            "| {} | {} % | {earned}/{possible} | {quiz} |",
            text(module.title.get(lang)),
            number(module.score, lang)
        );
    }
}

fn quiz_cell(quiz: &QuizGrade, lang: Lang) -> String {
    match (&quiz.problem, quiz.passed) {
        (Some(_), _) => format!("❌ {}", lang.pick("no score", "нет оценки")),
        (None, true) => format!("✅ {} %", number(quiz.percent, lang)),
        (None, false) => format!("❌ {} %", number(quiz.percent, lang)),
    }
}

/// Failing checks with their messages, evidence and remedies, and the
/// exercises that do not compile.
fn failures(out: &mut String, grade: &Grade, lang: Lang) {
    if grade.all_green() {
        return;
    }
    let _ = writeln!(out, "\n### {}\n", lang.pick("What to fix", "Что исправить"));
    for (_, _, exercise) in super::exercises(grade) {
        if !exercise.compiled {
            not_built(out, exercise, lang);
            continue;
        }
        for check in exercise
            .checks
            .iter()
            .filter(|c| c.verdict != Verdict::Pass)
        {
            let mark = if check.verdict == Verdict::Error {
                "⚠️"
            } else {
                "❌"
            };
            let _ = writeln!(
                out,
                "- {mark} **{} › {}** ({}/{}): {}  \n  {}",
                text(&exercise.id),
                text(&check.id),
                check.points,
                check.max_points,
                text(check.title.get(lang)),
                text(check_message(check, lang))
            );
            if !check.evidence.is_empty() {
                fenced(out, &sanitize::text(&check.evidence.join("\n")), "  ");
            }
            if let Some(remedy) = &check.remedy {
                let _ = writeln!(
                    out,
                    "\n  {} {}",
                    lang.pick("Review:", "Повторите:"),
                    code(&remedy.command)
                );
            }
        }
    }
}

fn not_built(out: &mut String, exercise: &ExerciseGrade, lang: Lang) {
    let _ = writeln!(
        out,
        "- ❌ **{}** ({}/{}): {}",
        text(&exercise.id),
        exercise.points,
        exercise.max_points,
        lang.pick("does not compile", "не компилируется")
    );
    for error in &exercise.compile_errors {
        let place = format!(
            "{}:{}:{}",
            sanitize::inline(&error.file),
            error.line,
            error.column
        );
        let _ = writeln!(out, "  - {}: {}", code(&place), text(&error.message));
    }
}

fn quizzes(out: &mut String, grade: &Grade, lang: Lang) {
    if grade.modules.iter().all(|m| m.quiz.is_none()) {
        return;
    }
    let _ = writeln!(out, "\n### {}\n", lang.pick("Quiz", "Квизы"));
    for module in &grade.modules {
        let Some(quiz) = &module.quiz else { continue };
        let mark = if quiz.passed { "✅" } else { "❌" };
        let about = match &quiz.problem {
            Some(problem) => text(problem.get(lang)),
            None => format!(
                "{} % ({} {} %)",
                number(quiz.percent, lang),
                lang.pick("pass mark", "порог"),
                quiz.pass_percent
            ),
        };
        let _ = writeln!(out, "- {mark} **{}**: {about}", text(&module.id));
        for missed in &quiz.missed {
            let remedy = missed
                .remedy
                .as_ref()
                .map(|r| format!(" → {}", code(&r.command)))
                .unwrap_or_default();
            let _ = writeln!(out, "  - {}{remedy}", code(&missed.id));
        }
    }
}

fn style(out: &mut String, grade: &Grade, lang: Lang) {
    let style = &grade.style;
    let title = lang.pick("Style", "Стиль");
    if !style.measured {
        let problem = style
            .problem
            .as_ref()
            .map(|p| text(p.get(lang)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n### {title}\n\n❌ {}: {problem}",
            lang.pick("not measured", "не измерен")
        );
        return;
    }
    if style.is_clean() {
        let _ = writeln!(
            out,
            "\n### {title}\n\n✅ {}",
            lang.pick("no findings", "замечаний нет")
        );
        return;
    }
    let _ = writeln!(
        out,
        "\n### {title} · {} %\n\n| {} | {} |\n|:--|:--|",
        number(grade.parts.style.percent, lang),
        lang.pick("File", "Файл"),
        lang.pick("Finding", "Замечание")
    );
    for file in &style.unformatted {
        let finding = lang.pick("rustfmt would reformat it", "rustfmt переформатирует его");
        let _ = writeln!(out, "| {} | {finding} |", text(file));
    }
    for warning in &style.warnings {
        let _ = writeln!(
            out,
            "| {}:{} | {}: {} |",
            text(&warning.file),
            warning.line,
            text(&warning.lint),
            text(&warning.message)
        );
    }
}

fn tampering(out: &mut String, grade: &Grade, lang: Lang) {
    if grade.tampering.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n### {}\n\n| {} | {} |\n|:--|:--|",
        lang.pick(
            "Changes outside your files (ignored when grading)",
            "Изменения вне ваших файлов (при оценке не учтены)"
        ),
        lang.pick("Path", "Путь"),
        lang.pick("What", "Что")
    );
    for change in &grade.tampering {
        let _ = writeln!(
            out,
            "| {} | {} |",
            text(&change.path),
            tamper_words(change.kind, lang)
        );
    }
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `s` sanitised and escaped to stay plain text anywhere inline, a table
/// cell included: one line, lines joined by `<br>`.
fn text(s: &str) -> String {
    let clean = sanitize::text(s);
    let mut out = String::with_capacity(clean.len());
    for (i, line) in clean.trim().lines().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        let line = line.trim();
        let mut chars = line.chars().peekable();
        if i == 0 {
            // What would start a block at the start of a line: a heading, a
            // list item, a setext underline, an ordered list number.
            let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
            let after = line[digits.len()..].chars().next();
            if matches!(line.chars().next(), Some('#' | '-' | '+' | '=')) {
                out.push('\\');
            } else if !digits.is_empty() && matches!(after, Some('.' | ')')) {
                out.push_str(&digits);
                out.push('\\');
                chars = line[digits.len()..].chars().peekable();
            }
        }
        for c in chars {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
    }
    out
}

/// `s` (one line) as a code span, its delimiters longer than any run of
/// backticks inside. Not for table cells: a pipe would still split the cell.
fn code(s: &str) -> String {
    let s = sanitize::inline(s);
    let fence = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// `body` as a fenced block indented by `indent`, after a blank line.
fn fenced(out: &mut String, body: &str, indent: &str) {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    let _ = writeln!(out, "\n{indent}{fence}text");
    for line in body.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(out, "{indent}{fence}");
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::report::sample;

    #[test]
    fn snapshot_en() {
        insta::assert_snapshot!(render(&sample::grade(), Lang::En));
    }

    #[test]
    fn snapshot_ru() {
        insta::assert_snapshot!(render(&sample::grade(), Lang::Ru));
    }

    #[test]
    fn student_text_stays_text() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(text("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(text("one\ntwo\r\n::error::x"), "one<br>two<br>‖ ::error::x");
        assert_eq!(
            text("`rm` *b* [l](u) ~s~ $x$"),
            "\\`rm\\` \\*b\\* \\[l\\](u) \\~s\\~ \\$x\\$"
        );
        assert_eq!(text("# h"), "\\# h");
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("12. item"), "12\\. item");
        assert_eq!(text("a &amp; \\"), "a &amp;amp; \\\\");
        assert_eq!(text("\x1b[2J"), "\\\\u{1b}\\[2J");
    }

    #[test]
    fn code_spans_and_fences_outlast_backticks() {
        assert_eq!(code("cargo test"), "`cargo test`");
        assert_eq!(code("a ``b`` c"), "```a ``b`` c```");
        assert_eq!(code("`x"), "`` `x ``");
        let mut out = String::new();
        fenced(&mut out, "```\nx", "");
        assert_eq!(out, "\n````text\n```\nx\n````\n");
    }

    #[test]
    fn hostile_rows_stay_rows() {
        let out = render(&sample::hostile(), Lang::En);
        assert!(!out.contains("<script>"), "{out}");
        let row = out
            .lines()
            .find(|l| l.contains("x\\|y"))
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(row.matches(" | ").count(), 1, "{row}");
        assert!(
            row.starts_with("| exercises/x\\|y/&lt;script&gt;,a:b%.rs | "),
            "{row}"
        );
    }
}
