//! Sealing the course files for the student edition: quiz keys and blank
//! answers become salted digests (see `course::seal` and `quiz::sealed`), the
//! options of an ordering are put out of order, the lessons' Solution steps say
//! where solutions come from, and `course.yaml` is marked `edition: student`.
//! Everything else in each file stays byte for byte (see [`super::edit`]).

use crate::course::bank::{Bank, Question, QuestionType};
use crate::course::lesson::{Blank, Lesson, SectionKind, Step};
use crate::course::seal::{Sealed, digest, salt};
use crate::quiz::sealed::{key_texts, short_texts};
use crate::yaml::node::{Node, parse};

use super::SOLUTIONS_ELSEWHERE;
use super::edit::{EditError, Editor, entry, items, scalar};
use super::finite::accepted_strings;

/// A sealed file and what sealing did to it.
#[derive(Debug, Clone)]
pub struct SealedFile {
    /// The new text.
    pub text: String,
    /// What changed.
    pub report: FileReport,
}

/// What sealing did to one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// Quiz keys sealed (one per question; a `fill` question counts its blanks).
    pub keys: usize,
    /// Blank answers sealed, in a lesson.
    pub blanks: usize,
    /// Questions whose regular expressions were replaced by the list of what
    /// they accept (then sealed).
    pub listed: Vec<String>,
    /// Questions whose regular expressions are kept in the clear.
    pub kept: Vec<String>,
    /// Solution steps whose text and code were withheld.
    pub withheld: Vec<String>,
}

/// The text of a course file, parsed.
fn tree(text: &str) -> Result<Node, EditError> {
    parse(text).map_err(|error| EditError {
        line: error.mark.line,
        message: error.message,
    })
}

/// `course.yaml` marked as the student edition.
pub fn manifest(text: &str) -> Result<String, EditError> {
    let root = tree(text)?;
    let mut editor = Editor::new(text);
    let line = "edition: student  # written by `workbook dev export`";
    match (entry(&root, "edition"), entry(&root, "format_version")) {
        (Some(edition), _) => editor.replace(edition, line)?,
        (None, Some(version)) => editor.insert_after(version, line)?,
        (None, None) => {
            return Err(EditError {
                line: 1,
                message: "no `format_version` to put the edition after".to_owned(),
            });
        }
    }
    Ok(editor.finish())
}

/// A quiz bank with its keys sealed.
pub fn bank(quiz: &Bank, text: &str) -> Result<SealedFile, EditError> {
    let root = tree(text)?;
    let mut editor = Editor::new(text);
    let mut report = FileReport::default();
    let questions = entry(&root, "questions").map_or(&[][..], |(_, list)| items(list));
    for node in questions {
        let Some(question) = scalar(node, "id").and_then(|id| quiz.question(id)) else {
            continue;
        };
        let question_salt = salt(&["quiz", &quiz.id, &question.id]);
        match question.kind {
            QuestionType::Single | QuestionType::Multiple | QuestionType::TrueFalse => {
                if let (Some(texts), Some(correct)) = (key_texts(question), entry(node, "correct"))
                {
                    let sealed = Sealed::seal(question_salt, texts.iter().map(String::as_str));
                    editor.replace(correct, &format!("correct: {}", sealed.to_yaml()))?;
                    report.keys += 1;
                }
            }
            QuestionType::Order => {
                order(&mut editor, node, question, question_salt)?;
                report.keys += 1;
            }
            QuestionType::Short => short(&mut editor, node, question, question_salt, &mut report)?,
            QuestionType::Fill => {
                for blank_node in entry(node, "blanks").map_or(&[][..], |(_, list)| items(list)) {
                    let Some(blank) = scalar(blank_node, "id")
                        .and_then(|id| question.blanks.iter().find(|b| b.id == id))
                    else {
                        continue;
                    };
                    let blank_salt = salt(&["quiz", &quiz.id, &question.id, &blank.id]);
                    seal_blank(&mut editor, blank_node, blank, blank_salt)?;
                    report.keys += 1;
                }
            }
        }
    }
    Ok(SealedFile {
        text: editor.finish(),
        report,
    })
}

/// An ordering: its options put in an order that says nothing (by digest),
/// and the right order sealed in a `correct` key after them.
fn order(
    editor: &mut Editor<'_>,
    node: &Node,
    question: &Question,
    salt: String,
) -> Result<(), EditError> {
    let Some(options) = entry(node, "options") else {
        return Ok(());
    };
    let Some(texts) = key_texts(question) else {
        return Ok(());
    };
    let mut shuffled: Vec<usize> = (0..question.options.len()).collect();
    shuffled.sort_by_cached_key(|&i| digest(&salt, &question.options[i].id));
    // An order that happens to be the right one would give it away.
    if shuffled.iter().enumerate().all(|(place, &i)| place == i) {
        shuffled.rotate_left(1);
    }
    editor.reorder(options, &shuffled)?;
    let sealed = Sealed::seal(salt, texts.iter().map(String::as_str));
    editor.insert_after(options, &format!("correct: {}", sealed.to_yaml()))
}

/// A `short` question: its answers sealed in their compared form; a regular
/// expression that accepts only a few strings is replaced by them (compared
/// exactly); any other is kept in the clear and reported.
fn short(
    editor: &mut Editor<'_>,
    node: &Node,
    question: &Question,
    salt: String,
    report: &mut FileReport,
) -> Result<(), EditError> {
    let Some(answers) = entry(node, "answers") else {
        return Ok(());
    };
    let forms = if let Some(forms) = short_texts(question) {
        forms
    } else {
        // Under `match: regex` the scorer matches the trimmed answer against the
        // whole pattern, so a listed string with spaces at its ends never matched.
        let listed: Option<Vec<Vec<String>>> = question
            .answers
            .plain()
            .iter()
            .map(|pattern| accepted_strings(pattern))
            .collect();
        let forms: Vec<String> = listed
            .into_iter()
            .flatten()
            .flatten()
            .filter(|s| s.trim() == s)
            .collect();
        match entry(node, "match") {
            Some(matching) if !forms.is_empty() => {
                editor.replace(matching, "match: exact")?;
                report.listed.push(question.id.clone());
            }
            _ => {
                report.kept.push(question.id.clone());
                return Ok(());
            }
        }
        forms
    };
    let sealed = Sealed::seal(salt, forms.iter().map(String::as_str));
    editor.replace(answers, &format!("answers: {}", sealed.to_yaml()))?;
    report.keys += 1;
    Ok(())
}

/// A blank's answers, sealed in the form its `compare` mode compares.
fn seal_blank(
    editor: &mut Editor<'_>,
    node: &Node,
    blank: &Blank,
    salt: String,
) -> Result<(), EditError> {
    let Some(answers) = entry(node, "answers") else {
        return Ok(());
    };
    let forms: Vec<String> = blank
        .answers
        .plain()
        .iter()
        .map(|answer| blank.compare.normalise(answer))
        .collect();
    let sealed = Sealed::seal(salt, forms.iter().map(String::as_str));
    editor.replace(answers, &format!("answers: {}", sealed.to_yaml()))
}

/// A lesson with its blanks sealed and its Solution steps withheld.
pub fn lesson(lesson: &Lesson, text: &str) -> Result<SealedFile, EditError> {
    let root = tree(text)?;
    let mut editor = Editor::new(text);
    let mut report = FileReport::default();
    let Some((_, sections)) = entry(&root, "sections") else {
        return Ok(SealedFile {
            text: text.to_owned(),
            report,
        });
    };
    for (kind, steps) in lesson.sections.in_order() {
        let nodes = entry(sections, kind.key()).map_or(&[][..], |(_, list)| items(list));
        for node in nodes {
            let Some(step) = scalar(node, "id").and_then(|id| steps.iter().find(|s| s.id == id))
            else {
                continue;
            };
            for blank_node in entry(node, "blanks").map_or(&[][..], |(_, list)| items(list)) {
                let Some(blank) =
                    scalar(blank_node, "id").and_then(|id| step.blanks.iter().find(|b| b.id == id))
                else {
                    continue;
                };
                let blank_salt = salt(&["lesson", &lesson.id, &step.id, &blank.id]);
                seal_blank(&mut editor, blank_node, blank, blank_salt)?;
                report.blanks += 1;
            }
            if kind == SectionKind::Solution {
                withhold(&mut editor, node, step)?;
                report.withheld.push(step.id.clone());
            }
        }
    }
    Ok(SealedFile {
        text: editor.finish(),
        report,
    })
}

/// A Solution step's text replaced by where solutions come from, its code removed.
fn withhold(editor: &mut Editor<'_>, node: &Node, step: &Step) -> Result<(), EditError> {
    let (en, ru) = SOLUTIONS_ELSEWHERE;
    // JSON strings are YAML double-quoted scalars.
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    if let Some(body) = entry(node, "body") {
        editor.replace(
            body,
            &format!("body: {{en: {}, ru: {}}}", quote(en), quote(ru)),
        )?;
    }
    if step.code.is_some()
        && let Some(code) = entry(node, "code")
    {
        editor.remove(code)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::bank::Correct;
    use crate::course::seal::Accepted;
    use crate::quiz::Answer;
    use crate::quiz::score::fraction;

    const BANK: &str = "\
format_version: 1
title: {en: T, ru: Т}
questions:
  - id: listed
    type: short
    match: regex
    teaches: l#s
    prompt: {en: P, ru: П}
    answers: ['pool(ed)?']   # a finite pattern
    explanation: {en: E, ru: О}
  - id: steps
    type: order
    scoring: partial
    teaches: l#s
    prompt: {en: P, ru: П}
    options:
      - id: first
        text: {en: '1', ru: '1'}
      - id: second
        text: {en: '2', ru: '2'}
      - id: third
        text: {en: '3', ru: '3'}
    explanation: {en: E, ru: О}
";

    fn decoded(text: &str) -> Bank {
        let node = parse(text).unwrap();
        let decoded = crate::yaml::decode::<Bank>(&node);
        assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
        let mut bank = decoded.value.unwrap();
        bank.id = "b".into();
        bank
    }

    #[test]
    fn finite_patterns_are_listed_and_orderings_shuffled() {
        let plain = decoded(BANK);
        let file = bank(&plain, BANK).unwrap();
        assert_eq!(file.report.listed, ["listed"]);
        assert_eq!(file.report.keys, 2);
        assert!(file.text.contains("    match: exact\n"), "{}", file.text);
        let sealed = decoded(&file.text);
        let listed = sealed.question("listed").unwrap();
        assert!(matches!(listed.answers, Accepted::Sealed(_)));
        for (given, right) in [("pool", 1.0), (" pooled ", 1.0), ("pools", 0.0)] {
            let answer = Answer::One(given.into());
            assert!((fraction(listed, &answer) - right).abs() < 1e-9, "{given}");
        }
        let steps = sealed.question("steps").unwrap();
        assert!(matches!(steps.correct, Some(Correct::Sealed(_))));
        let order = |ids: &[&str]| Answer::Many(ids.iter().map(|s| (*s).to_owned()).collect());
        let right = order(&["first", "second", "third"]);
        assert!((fraction(steps, &right) - 1.0).abs() < 1e-9);
        let half = order(&["first", "third", "second"]);
        assert!((fraction(steps, &half) - 1.0 / 3.0).abs() < 1e-9);
        let shown: Vec<&str> = steps.options.iter().map(|o| o.id.as_str()).collect();
        assert_ne!(
            shown,
            ["first", "second", "third"],
            "not in the right order"
        );
    }

    #[test]
    fn open_patterns_and_inline_blanks() {
        let open = BANK.replace("'pool(ed)?'", "'pool.*'");
        let file = bank(&decoded(&open), &open).unwrap();
        assert_eq!(file.report.kept, ["listed"]);
        assert!(file.text.contains("answers: ['pool.*']"));
        let inline = "\
format_version: 1
title: {en: T, ru: Т}
questions:
  - id: gap
    type: fill
    teaches: l#s
    prompt: {en: P, ru: П}
    code: {text: 'a ___FILL_X___'}
    blanks: [{id: X, answers: [b]}]
    explanation: {en: E, ru: О}
";
        let error = bank(&decoded(inline), inline).unwrap_err();
        assert_eq!(error.line, 9);
        assert!(error.message.contains("block style"), "{error}");
    }
}
