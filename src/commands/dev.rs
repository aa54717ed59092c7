//! `workbook dev verify`: the course self-check.

use std::io::{IsTerminal, Write};

use crate::config::Config;
use crate::course::Course;
use crate::error::Error;
use crate::exit;
use crate::runner::Progress;
use crate::style;
use crate::verify::verify as check_course;

pub(super) async fn verify(config: &Config, out: &mut dyn Write) -> Result<u8, Error> {
    // Author-facing: the messages are English, like the content errors.
    let course = Course::load(&config.course_root)?;
    let report = check_course(&course);
    let c = report.counts;
    writeln!(
        out,
        "{} course loads: {}, {}, {}, {}, {}, {}",
        style::good("✓"),
        count(c.modules, "module"),
        count(c.lessons, "lesson"),
        count(c.steps, "step"),
        count(c.blanks, "blank"),
        count(course.exercises.len(), "exercise"),
        count(c.questions, "quiz question"),
    )?;
    let mut problems = report.problems;
    if problems.is_empty() {
        writeln!(
            out,
            "{} {} texts match across Russian and English",
            style::good("✓"),
            c.texts
        )?;
    }
    if !course.exercises.is_empty() {
        let progress = Progress::new(std::io::stderr().is_terminal(), config.lang);
        let findings = crate::verify::exercises::verify(&course, progress).await?;
        for line in &findings.passed {
            writeln!(out, "{} {line}", style::good("✓"))?;
        }
        problems.extend(findings.problems);
    }
    if problems.is_empty() {
        return Ok(exit::OK);
    }
    for problem in &problems {
        writeln!(out, "{} {problem}", style::bad("✗"))?;
    }
    writeln!(out, "{} in the course", count(problems.len(), "problem"))?;
    Ok(exit::USAGE)
}

/// "1 blank", "2 blanks".
fn count(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {singular}s")
    }
}
