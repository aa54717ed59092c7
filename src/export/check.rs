//! The export's own check of what it wrote: every answer the course's keys
//! accept is accepted by the edition's sealed keys, and the wrong answers tried
//! earn as little there, so a student gets the verdicts the full course gives.

use std::collections::BTreeMap;

use crate::course::bank::{Question, QuestionType};
use crate::course::{Course, Lesson};
use crate::quiz::Answer;
use crate::quiz::score::fraction;
use crate::screens::quiz::right_answer;

/// Whether `edition` marks answers as `course` does; the first difference otherwise.
pub fn same_verdicts(course: &Course, edition: &Course) -> Result<(), String> {
    for bank in &course.banks {
        let Some(sealed) = edition.banks.iter().find(|b| b.id == bank.id) else {
            return Err(format!("quiz/{}.yaml is missing", bank.id));
        };
        for question in &bank.questions {
            let Some(other) = sealed.question(&question.id) else {
                return Err(format!(
                    "quiz/{}.yaml lost question {}",
                    bank.id, question.id
                ));
            };
            for answer in candidates(question) {
                let (full, student) = (fraction(question, &answer), fraction(other, &answer));
                if (full - student).abs() > 1e-9 {
                    return Err(format!(
                        "quiz/{}.yaml question {}: {answer:?} earns {full} in the course but {student} in the edition",
                        bank.id, question.id
                    ));
                }
            }
        }
    }
    for lesson in &course.lessons {
        let Some(sealed) = edition.lesson(&lesson.id) else {
            return Err(format!("lessons/{}.yaml is missing", lesson.id));
        };
        same_blanks(lesson, sealed)?;
    }
    Ok(())
}

/// Every answer of every blank is accepted by the sealed blank; a blank answer is not.
fn same_blanks(lesson: &Lesson, sealed: &Lesson) -> Result<(), String> {
    let steps = |l: &'_ Lesson| {
        l.sections
            .in_order()
            .into_iter()
            .flat_map(|(_, steps)| steps.iter().cloned())
            .collect::<Vec<_>>()
    };
    let sealed_steps = steps(sealed);
    for step in steps(lesson) {
        for blank in &step.blanks {
            let Some(other) = sealed_steps
                .iter()
                .find(|s| s.id == step.id)
                .and_then(|s| s.blanks.iter().find(|b| b.id == blank.id))
            else {
                return Err(format!(
                    "lessons/{}.yaml lost blank {}#{}",
                    lesson.id, step.id, blank.id
                ));
            };
            let mut tried: Vec<String> = blank.answers.plain().to_vec();
            tried.extend(
                tried
                    .clone()
                    .iter()
                    .map(|a| format!(" {} ", a.to_uppercase())),
            );
            tried.push(String::new());
            for answer in tried {
                if blank.accepts(&answer) != other.accepts(&answer) {
                    return Err(format!(
                        "lessons/{}.yaml blank {}#{}: `{answer}` gets another verdict in the edition",
                        lesson.id, step.id, blank.id
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The right answer and a few others, right and wrong, for a question.
fn candidates(question: &Question) -> Vec<Answer> {
    let ids: Vec<String> = question.options.iter().map(|o| o.id.clone()).collect();
    let mut out: Vec<Answer> = right_answer(question).into_iter().collect();
    match question.kind {
        QuestionType::Single => out.extend(ids.iter().cloned().map(Answer::One)),
        QuestionType::TrueFalse => out.extend([Answer::Truth(true), Answer::Truth(false)]),
        QuestionType::Multiple => {
            out.extend(ids.iter().map(|id| Answer::Many(vec![id.clone()])));
            out.push(Answer::Many(ids.clone()));
            out.push(Answer::Many(Vec::new()));
        }
        QuestionType::Order => {
            let mut reversed = ids.clone();
            reversed.reverse();
            let mut rotated = ids.clone();
            rotated.rotate_left(1);
            let mut swapped = ids.clone();
            if swapped.len() > 1 {
                swapped.swap(0, 1);
            }
            out.extend([reversed, rotated, swapped].map(Answer::Many));
        }
        QuestionType::Short => {
            for answer in question.answers.plain() {
                out.push(Answer::One(answer.clone()));
                out.push(Answer::One(format!("  {}  ", answer.to_uppercase())));
            }
            out.push(Answer::One(String::new()));
        }
        QuestionType::Fill => {
            let most = question
                .blanks
                .iter()
                .map(|b| b.answers.plain().len())
                .max();
            for k in 0..most.unwrap_or(0) {
                let given: BTreeMap<String, String> = question
                    .blanks
                    .iter()
                    .map(|b| {
                        let plain = b.answers.plain();
                        (
                            b.id.clone(),
                            plain.get(k).or(plain.first()).cloned().unwrap_or_default(),
                        )
                    })
                    .collect();
                out.push(Answer::Blanks(given));
            }
            out.push(Answer::Blanks(BTreeMap::new()));
        }
    }
    out
}
