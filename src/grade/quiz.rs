//! The quiz part of a grade: each module's answers file re-scored against the
//! pristine bank, drawn again from the seed the file names. A missing or
//! malformed file scores 0 and says why.

use std::path::Path;

use crate::config::Config;
use crate::course::text::Text;
use crate::course::{Course, Module};
use crate::error::Error;
use crate::quiz::answers_file;
use crate::quiz::mark_attempt;

use super::model::{MissedQuestion, QuizGrade};
use super::remedy;
use super::rubric::{percent, round2};
use super::submission::read_regular;

/// The quiz grade of `module`, whose answers file is looked for under `source`.
pub fn grade(
    course: &Course,
    module: &Module,
    source: &Path,
    config: &Config,
) -> Option<QuizGrade> {
    let bank = course.bank_of(module)?;
    let pass_percent = course.manifest.rubric.quiz_pass_percent;
    let relative = answers_file::default_path(&module.id);
    let file = relative.to_string_lossy().replace('\\', "/");
    let empty = |problem: Text| QuizGrade {
        bank: bank.id.clone(),
        file: file.clone(),
        score: 0.0,
        max: 0.0,
        percent: 0.0,
        pass_percent,
        passed: false,
        problem: Some(problem),
        missed: Vec::new(),
    };
    let path = source.join(&relative);
    // Untrusted: a regular file of sane size, never a link.
    if read_regular(&path).is_none() {
        return Some(empty(if path.exists() || path.is_symlink() {
            Text::new(
                format!("{file} is not a regular file of at most 1 MiB"),
                format!("{file} — не обычный файл размером до 1 МиБ"),
            )
        } else {
            Text::new(
                format!(
                    "no answers file {file}: take the quiz with `workbook quiz {}`",
                    module.id
                ),
                format!(
                    "нет файла ответов {file}: пройдите квиз командой `workbook quiz {}`",
                    module.id
                ),
            )
        }));
    }
    let (attempt, answers) = match crate::commands::quiz_answers(module, bank, &path, None, config)
    {
        Ok(read) => read,
        Err(error) => {
            let text = match &error {
                Error::Answers(problems) => problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            }
            // Messages name the file as the course does, not where it was read.
            .replace(&path.display().to_string(), &file);
            let text = workbook_support::sanitize::capped(&text, 500);
            return Some(empty(Text::new(
                format!("the answers file cannot be scored: {text}"),
                format!("файл ответов не удаётся оценить: {text}"),
            )));
        }
    };
    let outcome = mark_attempt(&attempt, &answers, pass_percent);
    let missed = outcome
        .results
        .iter()
        .filter(|r| !r.is_right())
        .map(|r| MissedQuestion {
            id: r.question.id.clone(),
            remedy: remedy::to_step(course, &r.question.teaches),
        })
        .collect();
    Some(QuizGrade {
        bank: bank.id.clone(),
        file,
        score: round2(outcome.score),
        max: round2(outcome.max),
        percent: round2(percent(outcome.score, outcome.max)),
        pass_percent,
        passed: outcome.passed(),
        problem: None,
        missed,
    })
}
