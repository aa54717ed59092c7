//! Remediation: every failure points to the lesson step that teaches it, as
//! the command that opens that step.

use crate::course::Course;

use super::model::Remedy;

/// The step behind the link `lesson#step`, as a remedy; `None` when the link
/// leads nowhere (the loader rejects such links, so only a damaged course).
pub fn to_step(course: &Course, link: &str) -> Option<Remedy> {
    let found = course.step(link)?;
    Some(Remedy {
        lesson: found.lesson.id.clone(),
        step: found.step.id.clone(),
        title: found.step.title.clone(),
        command: format!(
            "workbook lesson {} --step {}",
            found.lesson.id, found.step.id
        ),
    })
}

/// Where a failing check of `exercise` sends the student.
pub fn for_check(course: &Course, exercise: &str, check: &str) -> Option<Remedy> {
    let exercise = course.exercise(exercise)?;
    to_step(course, exercise.teaching_step(check))
}
