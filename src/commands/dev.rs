//! `workbook dev verify`, the course self-check, `workbook dev new`, a new
//! exercise from a template, and `workbook dev export`, the student edition.

use std::io::{IsTerminal, Write};

use crate::cli::{ExportArgs, NewArgs, VerifyArgs};
use crate::config::Config;
use crate::course::{Course, Edition};
use crate::error::{Error, IdKind};
use crate::exit;
use crate::style;
use crate::verify::verify as check_course;

pub(super) async fn verify(
    config: &Config,
    args: &VerifyArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
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
    if course.manifest.edition == Edition::Student {
        // The exercise half runs the reference solutions, mistakes and
        // variants, none of which a student edition has.
        writeln!(
            out,
            "{} {}",
            style::warn("!"),
            config.lang.pick(
                "this is the student edition: it has no reference solutions, mistakes or variants, so the exercises are not run (run `workbook dev verify` in the full course; `workbook check` checks your own work)",
                "это студенческая версия: в ней нет эталонных решений, ошибок и вариантов, поэтому упражнения не запускаются (запустите `workbook dev verify` в полном курсе; `workbook check` проверяет вашу работу)",
            )
        )?;
    } else if !course.exercises.is_empty() {
        let progress =
            crate::screens::progress_line::reporter(std::io::stderr().is_terminal(), config.lang);
        for id in &args.exercises {
            if course.exercise(id).is_none() {
                return Err(Error::unknown(
                    IdKind::Exercise,
                    id,
                    course.exercises.iter().map(|e| e.id.as_str()),
                ));
            }
        }
        let findings = crate::verify::exercises::verify(&course, &args.exercises, progress).await?;
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

/// `workbook dev new`: writes the exercise and says what to do next.
pub(super) fn new(config: &Config, args: &NewArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let course = Course::load(&config.course_root)?;
    let spec = crate::scaffold::NewExercise {
        id: args.id.clone(),
        module: args.module.clone(),
        backends: args.backend.iter().map(|b| b.backend()).collect(),
        http: args.http,
    };
    let written = crate::scaffold::create(&course, &spec).map_err(Error::Scaffold)?;
    writeln!(
        out,
        "{} created exercise {} in module {}:",
        style::good("✓"),
        spec.id,
        spec.module
    )?;
    for path in &written {
        writeln!(out, "  {}", path.display())?;
    }
    let id = &spec.id;
    writeln!(
        out,
        "\nNext (exercises/README.md explains each step):\n  \
         1. write the task: exercise.yaml (title, `practises`, checks, hints) and the starter in src/lib.rs (copy it to starter/src/lib.rs)\n  \
         2. write the reference solution in exercises/{id}/solution/src/lib.rs\n  \
         3. write the checks in exercises/{id}/tests/checks.rs, on data from `ctx.seed`\n  \
         4. add mistakes/ a student would make and variants/ that must pass\n  \
         5. run `workbook dev verify {id}` until it is green"
    )?;
    Ok(exit::OK)
}

/// `workbook dev export DIR`: the student edition of the course.
pub(super) fn export(config: &Config, args: &ExportArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let course = Course::load(&config.course_root)?;
    let summary = crate::export::export(&course, &args.dir)?;
    write!(
        out,
        "{}",
        crate::export::summary::render(&summary, config.lang)
    )?;
    Ok(exit::OK)
}
