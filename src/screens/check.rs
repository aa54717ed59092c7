//! The results of `workbook check`: a table per exercise, the failure
//! messages with their evidence, and which hint to read.
//!
//! Check messages, evidence, output tails and compile errors come from the
//! check process, where student code runs, so they may hold anything: all of
//! it goes through [`sanitize`] (escape sequences shown, lines a CI runner
//! would take for workflow commands neutralised, length capped) before it is
//! written.

use std::fmt::Write as _;

use workbook_support::report::{CheckReport, Status};
use workbook_support::sanitize;

use crate::course::Course;
use crate::lang::Lang;
use crate::runner::summary::{RunSummary, Totals};
use crate::runner::{ExerciseRun, Outcome};
use crate::style;

/// The most characters shown of one message, piece of evidence or compiler
/// rendering: enough for a schema diff, not a flood.
const SHOWN_CHARS: usize = 8_000;

/// Renders every exercise's results and the total; the numbers come from
/// the run's [`RunSummary`].
pub fn render(course: &Course, runs: &[ExerciseRun], lang: Lang) -> String {
    let mut out = String::new();
    let summary = RunSummary::new(course, runs);
    for run in runs {
        let (Some(exercise), Some(totals)) = (
            course.exercise(&run.exercise),
            summary.of(&run.exercise, run.backend),
        ) else {
            continue;
        };
        let _ = writeln!(
            out,
            "{}",
            style::heading(&format!(
                "{} · {} · {}",
                exercise.id,
                exercise.title.get(lang),
                run.backend
            ))
        );
        match &run.outcome {
            Outcome::CompileError { errors } => {
                let _ = writeln!(
                    out,
                    "  {}",
                    style::bad(lang.pick("does not compile:", "не компилируется:"))
                );
                for error in errors {
                    let _ = writeln!(
                        out,
                        "  {}:{}:{}: {}",
                        sanitize::inline(&error.file),
                        error.line,
                        error.column,
                        sanitize::inline(&error.message)
                    );
                    // The first line repeats the message above.
                    let rendered = error.rendered.split_once('\n').map_or("", |(_, rest)| rest);
                    for line in sanitize::capped(rendered, SHOWN_CHARS).lines() {
                        let _ = writeln!(out, "    {line}");
                    }
                }
            }
            Outcome::Checked { checks } => {
                let width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
                for report in checks {
                    let title = exercise
                        .checks
                        .iter()
                        .find(|c| c.id == report.id)
                        .map_or("", |c| c.title.get(lang));
                    row(
                        &mut out,
                        report,
                        title,
                        width,
                        exercise.hints.len(),
                        &exercise.id,
                        lang,
                    );
                }
            }
        }
        let Totals {
            points,
            max_points: max,
            passed: passing,
            checks: check_count,
        } = totals.totals;
        let _ = writeln!(
            out,
            "  {}\n",
            style::dim(&lang.pick(
                format!("{points}/{max} points · {passing} of {check_count} checks pass"),
                format!("{points}/{max} баллов · пройдено проверок: {passing} из {check_count}"),
            ))
        );
    }
    let Totals {
        points: earned,
        max_points: possible,
        passed,
        checks: total,
    } = summary.totals;
    let _ = writeln!(
        out,
        "{}",
        style::heading(&lang.pick(
            format!("Total: {earned}/{possible} points · {passed} of {total} checks pass"),
            format!("Итого: {earned}/{possible} баллов · пройдено проверок: {passed} из {total}"),
        ))
    );
    out
}

fn row(
    out: &mut String,
    report: &CheckReport,
    title: &str,
    width: usize,
    hints: usize,
    exercise: &str,
    lang: Lang,
) {
    let mark = match report.status {
        Status::Pass => style::good("✓"),
        Status::Fail => style::bad("✗"),
        Status::Error => style::warn("!"),
    };
    let _ = writeln!(
        out,
        "  {mark} {:width$}  {:>5}  {title}",
        sanitize::inline(&report.id),
        format!("{}/{}", report.points, report.max_points)
    );
    if report.status == Status::Pass {
        return;
    }
    let message = match lang {
        Lang::Ru => report.message_ru.as_deref().unwrap_or(&report.message),
        Lang::En => &report.message,
    };
    for line in sanitize::capped(message, SHOWN_CHARS).lines() {
        let _ = writeln!(out, "      {line}");
    }
    for evidence in &report.evidence {
        for line in sanitize::capped(evidence, SHOWN_CHARS).lines() {
            let _ = writeln!(out, "      {}", style::dim(line));
        }
    }
    if let Some(tier) = report.hint.filter(|t| (*t as usize) <= hints) {
        let _ = writeln!(
            out,
            "      {}",
            style::code(&lang.pick(
                format!("hint: workbook hint {exercise} (tier {tier} of {hints} helps here)"),
                format!(
                    "подсказка: workbook hint {exercise} (здесь поможет уровень {tier} из {hints})"
                ),
            ))
        );
    }
}
