//! The grade for people at a terminal (the student, or a teacher reading a
//! CI log): the letter and total, the three parts, each module with its
//! exercises and quiz, what failed and which lesson step to go back to, style
//! findings and ignored changes. In the reader's language, coloured through
//! [`crate::style`] (plain when colour is off), and within 80 columns except
//! for an unbreakable word.

use std::fmt::Write as _;

use workbook_support::sanitize;

use super::{capped_reason, check_message, letter, number, parts, tamper_words};
use crate::grade::model::{
    CheckGrade, ExerciseGrade, Grade, ModuleGrade, QuizGrade, Style, Tampering, Verdict,
};
use crate::lang::Lang;
use crate::style;

/// The width everything is laid out for.
const WIDTH: usize = 80;
/// Evidence lines shown per check; `workbook check` shows them all.
const EVIDENCE_LINES: usize = 4;

/// The whole report.
pub(super) fn render(grade: &Grade, lang: Lang) -> String {
    let mut out = String::new();
    summary(&mut out, grade, lang);
    for module in &grade.modules {
        module_section(&mut out, module, lang);
    }
    style_section(&mut out, grade, lang);
    tampering_section(&mut out, &grade.tampering, lang);
    out
}

/// The letter, the total, why it is capped, and the parts.
fn summary(out: &mut String, grade: &Grade, lang: Lang) {
    let (letter, score) = (letter(grade.letter), number(grade.score, lang));
    let headline = lang.pick(
        format!("Grade {letter} · {score} of 100"),
        format!("Оценка {letter} · {score} из 100"),
    );
    let _ = writeln!(out, "{}", style::heading(&headline));
    let about = format!(
        "{} · {} · {}",
        grade.course.get(lang),
        sanitize::inline(&grade.submission),
        grade.backend.name()
    );
    para(out, &about, 0, style::dim);
    if let Some(capped) = grade.capped {
        let text = format!(
            "{}: {}",
            lang.pick("At most A", "Не выше A"),
            capped_reason(capped, lang)
        );
        para(out, &text, 0, style::warn);
    }
    let _ = writeln!(
        out,
        "\n  {:12}{:>8}{:>9}{:>8}",
        "",
        lang.pick("weight", "вес"),
        lang.pick("earned", "набрано"),
        lang.pick("adds", "в итог")
    );
    for (name, part) in parts(grade, lang) {
        let _ = writeln!(
            out,
            "  {name:12}{:>8}{:>9}{:>8}",
            format!("{} %", part.weight),
            format!("{} %", number(part.percent, lang)),
            number(part.contributes, lang)
        );
    }
}

/// A module: its score, its exercises with what failed, its quiz.
fn module_section(out: &mut String, module: &ModuleGrade, lang: Lang) {
    let _ = writeln!(
        out,
        "\n{} · {} %",
        style::heading(module.title.get(lang)),
        number(module.score, lang)
    );
    let quiz_label = lang.pick("quiz", "квиз");
    let width = module
        .exercises
        .iter()
        .map(|e| e.id.chars().count())
        .chain([quiz_label.chars().count()])
        .max()
        .unwrap_or(0);
    for exercise in &module.exercises {
        exercise_rows(out, exercise, width, lang);
    }
    if let Some(quiz) = &module.quiz {
        quiz_rows(out, quiz, quiz_label, width, lang);
    }
}

fn exercise_rows(out: &mut String, exercise: &ExerciseGrade, width: usize, lang: Lang) {
    let done = exercise.compiled && exercise.points == exercise.max_points;
    let mark = if done {
        style::good("✓")
    } else {
        style::bad("✗")
    };
    let points = format!("{}/{}", exercise.points, exercise.max_points);
    let mut row = format!("  {mark} {:width$}  {points:>5}", exercise.id);
    if !exercise.compiled {
        let _ = write!(
            row,
            "  {}",
            style::bad(lang.pick("does not compile", "не компилируется"))
        );
    }
    let _ = writeln!(out, "{row}");
    if !exercise.compiled {
        // Its checks could not run: the compiler's errors say why, once.
        for error in &exercise.compile_errors {
            let text = format!(
                "{}:{}:{}: {}",
                sanitize::inline(&error.file),
                error.line,
                error.column,
                sanitize::inline(&error.message)
            );
            para(out, &text, 6, str::to_owned);
        }
        let details = lang.pick("the compiler's output: ", "вывод компилятора: ");
        let command = format!("workbook check {}", exercise.id);
        let _ = writeln!(
            out,
            "      {}{}",
            style::dim(details),
            style::code(&command)
        );
        return;
    }
    for check in exercise
        .checks
        .iter()
        .filter(|c| c.verdict != Verdict::Pass)
    {
        check_rows(out, exercise, check, lang);
    }
}

/// A check that is not green: its message, some evidence, the remedy.
fn check_rows(out: &mut String, exercise: &ExerciseGrade, check: &CheckGrade, lang: Lang) {
    let mark = match check.verdict {
        Verdict::Error => style::warn("!"),
        _ => style::bad("✗"),
    };
    let row = format!("{}  {}/{}  ", check.id, check.points, check.max_points);
    let title = clip(
        check.title.get(lang),
        (WIDTH - 8).saturating_sub(row.chars().count()),
    );
    let _ = writeln!(out, "      {mark} {row}{title}");
    para(
        out,
        &sanitize::text(check_message(check, lang)),
        8,
        str::to_owned,
    );
    let evidence = sanitize::text(&check.evidence.join("\n"));
    let lines: Vec<&str> = evidence.lines().collect();
    for line in lines.iter().take(EVIDENCE_LINES) {
        let _ = writeln!(out, "        {}", style::dim(&clip(line, WIDTH - 8)));
    }
    if lines.len() > EVIDENCE_LINES {
        let more = lines.len() - EVIDENCE_LINES;
        let text = lang.pick(
            format!("… {more} more: workbook check {}", exercise.id),
            format!("… ещё строк: {more}; workbook check {}", exercise.id),
        );
        let _ = writeln!(out, "        {}", style::dim(&text));
    }
    if let Some(remedy) = &check.remedy {
        let _ = writeln!(
            out,
            "        {} {}",
            lang.pick("review:", "повторите:"),
            style::code(&remedy.command)
        );
    }
}

fn quiz_rows(out: &mut String, quiz: &QuizGrade, label: &str, width: usize, lang: Lang) {
    let mark = if quiz.passed {
        style::good("✓")
    } else {
        style::bad("✗")
    };
    let verdict = if quiz.passed {
        lang.pick("passed", "сдан")
    } else {
        lang.pick("not passed", "не сдан")
    };
    let text = match &quiz.problem {
        Some(problem) => format!("{verdict}: {}", problem.get(lang)),
        None => format!(
            "{} % · {verdict} ({} {} %)",
            number(quiz.percent, lang),
            lang.pick("pass mark", "порог"),
            quiz.pass_percent
        ),
    };
    let indent = 2 + 2 + width + 2;
    let lines = wrap(&text, WIDTH - indent);
    let _ = writeln!(out, "  {mark} {label:width$}  {}", lines[0]);
    for line in &lines[1..] {
        let _ = writeln!(out, "{:indent$}{line}", "");
    }
    for missed in &quiz.missed {
        let remedy = missed
            .remedy
            .as_ref()
            .map(|r| format!(" → {}", style::code(&r.command)))
            .unwrap_or_default();
        let _ = writeln!(out, "      {} {}{remedy}", style::bad("✗"), missed.id);
    }
}

fn style_section(out: &mut String, grade: &Grade, lang: Lang) {
    let Style {
        measured,
        unformatted,
        warnings,
        problem,
    } = &grade.style;
    let title = style::heading(lang.pick("Style", "Стиль"));
    if !measured {
        let problem = problem
            .as_ref()
            .map(|p| sanitize::inline(p.get(lang)))
            .unwrap_or_default();
        let text = format!("{}: {problem}", lang.pick("not measured", "не измерен"));
        let _ = writeln!(out, "\n{title} · {}", style::bad(&text));
        return;
    }
    if grade.style.is_clean() {
        let clean = lang.pick("no findings", "замечаний нет");
        let _ = writeln!(out, "\n{title} · {}", style::good(clean));
        return;
    }
    let _ = writeln!(
        out,
        "\n{title} · {} %",
        number(grade.parts.style.percent, lang)
    );
    for file in unformatted {
        let text = format!(
            "{} {}",
            lang.pick("rustfmt would reformat", "rustfmt переформатирует"),
            sanitize::inline(file)
        );
        para(out, &text, 2, style::warn);
    }
    for warning in warnings {
        let place = format!("{}:{}", sanitize::inline(&warning.file), warning.line);
        let _ = writeln!(
            out,
            "  {}  {}",
            style::warn(&place),
            style::dim(&warning.lint)
        );
        para(out, &sanitize::inline(&warning.message), 4, str::to_owned);
    }
}

fn tampering_section(out: &mut String, tampering: &[Tampering], lang: Lang) {
    if tampering.is_empty() {
        return;
    }
    let title = lang.pick(
        "Changes outside your files (ignored when grading)",
        "Изменения вне ваших файлов (при оценке не учтены)",
    );
    let _ = writeln!(out, "\n{}", style::heading(title));
    for change in tampering {
        let _ = writeln!(out, "  {}", style::warn(&sanitize::inline(&change.path)));
        para(out, tamper_words(change.kind, lang), 4, style::dim);
    }
}

/// Writes `text` wrapped to [`WIDTH`] at `indent`, each line through `paint`.
fn para(out: &mut String, text: &str, indent: usize, paint: impl Fn(&str) -> String) {
    for source in text.lines() {
        for line in wrap(source, WIDTH - indent) {
            let _ = writeln!(out, "{:indent$}{}", "", paint(&line));
        }
    }
}

/// `text` broken at spaces into lines of at most `width` characters; a word
/// longer than that gets a line of its own. Always at least one line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if used > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// `line` cut to `width` characters, with `…` where it was cut.
fn clip(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_owned();
    }
    let mut kept: String = line.chars().take(width.saturating_sub(1)).collect();
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::model::Capped;
    use crate::grade::report::sample;

    #[test]
    fn snapshot_en() {
        style::set_color(false);
        insta::assert_snapshot!(render(&sample::grade(), Lang::En));
    }

    #[test]
    fn snapshot_ru() {
        style::set_color(false);
        insta::assert_snapshot!(render(&sample::grade(), Lang::Ru));
    }

    #[test]
    fn everything_fits_in_80_columns() {
        style::set_color(false);
        for lang in Lang::ALL {
            let mut grade = sample::hostile();
            grade.capped = Some(Capped::FailingChecksAndStyle);
            for line in render(&grade, lang).lines() {
                assert!(line.chars().count() <= WIDTH, "{line:?}");
            }
        }
    }

    #[test]
    fn a_capped_letter_says_why() {
        style::set_color(false);
        let mut grade = sample::grade();
        grade.letter = crate::cli::Letter::A;
        grade.capped = Some(Capped::StyleNotClean);
        let out = render(&grade, Lang::En);
        assert!(
            out.contains("At most A: the total reaches S, but rustfmt or clippy found something"),
            "{out}"
        );
        let out = render(&grade, Lang::Ru);
        assert!(out.contains("Не выше A: баллов хватает на S"), "{out}");
    }

    #[test]
    fn hostile_text_is_shown_not_obeyed() {
        style::set_color(false);
        let out = render(&sample::hostile(), Lang::En);
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.contains("\\u{1b}[2Jcleared"), "{out}");
        for line in out.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line:?}");
            assert!(!line.contains("##["), "{line:?}");
        }
    }

    #[test]
    fn long_text_wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("toolongword x", 4), ["toolongword", "x"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
