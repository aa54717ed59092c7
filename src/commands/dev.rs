//! `workbook dev verify`: the course self-check.

use std::io::Write;

use crate::config::Config;
use crate::course::Course;
use crate::error::Error;
use crate::exit;
use crate::style;
use crate::verify::verify as check_course;

pub(super) fn verify(config: &Config, out: &mut dyn Write) -> Result<u8, Error> {
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
    if report.problems.is_empty() {
        writeln!(
            out,
            "{} {} texts match across Russian and English",
            style::good("✓"),
            c.texts
        )?;
        return Ok(exit::OK);
    }
    for problem in &report.problems {
        writeln!(out, "{} {problem}", style::bad("✗"))?;
    }
    writeln!(
        out,
        "{} in the course",
        count(report.problems.len(), "problem")
    )?;
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
