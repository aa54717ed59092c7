//! `workbook dev verify`: the course author's self-check, run in CI.
//!
//! Loading already validates structure and links; this adds what only a look
//! across languages shows: each Russian text is Russian and each English text
//! English (a common copy-paste slip), and both translations have the same
//! shape (paragraphs, list items, code spans), so students in either language
//! read the same lesson. Exercise checks join here with the exercise checker.

pub mod authoring;
pub mod exercises;
pub mod fixtures;

use std::collections::BTreeMap;

use crate::course::{Course, Text};
use crate::lang::Lang;

/// What the self-check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Modules, lessons, steps and blanks checked.
    pub counts: Counts,
    /// Every problem, as `lesson#step: field: what is wrong`.
    pub problems: Vec<String>,
}

/// How much content was checked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Modules.
    pub modules: usize,
    /// Lessons.
    pub lessons: usize,
    /// Steps.
    pub steps: usize,
    /// Fill-in blanks.
    pub blanks: usize,
    /// Quiz questions.
    pub questions: usize,
    /// Texts compared across languages.
    pub texts: usize,
}

/// Runs every content check on a loaded course.
pub fn verify(course: &Course) -> Report {
    let mut report = Report::default();
    report.counts.modules = course.modules().len();
    report.counts.lessons = course.lessons.len();
    for module in course.modules() {
        check_text(
            &mut report,
            &format!("module {}", module.id),
            "title",
            &module.title,
        );
    }
    check_text(&mut report, "course", "title", &course.manifest.title);
    for at in course.all_steps() {
        report.counts.steps += 1;
        report.counts.blanks += at.step.blanks.len();
        let place = format!("{}#{}", at.lesson.id, at.step.id);
        check_text(&mut report, &place, "title", &at.step.title);
        check_text(&mut report, &place, "body", &at.step.body);
        for (i, item) in at.step.items.iter().enumerate() {
            check_text(&mut report, &place, &format!("items[{i}]"), &item.text);
        }
        for blank in &at.step.blanks {
            if let Some(hint) = &blank.hint {
                check_text(
                    &mut report,
                    &place,
                    &format!("blank {} hint", blank.id),
                    hint,
                );
            }
        }
    }
    for lesson in &course.lessons {
        check_text(&mut report, &lesson.id, "title", &lesson.title);
    }
    for exercise in &course.exercises {
        let place = format!("exercise {}", exercise.id);
        check_text(&mut report, &place, "title", &exercise.title);
        for (i, hint) in exercise.hints.iter().enumerate() {
            check_text(&mut report, &place, &format!("hints[{i}]"), hint);
        }
    }
    for bank in &course.banks {
        let place = format!("quiz {}", bank.id);
        check_text(&mut report, &place, "title", &bank.title);
        for question in &bank.questions {
            report.counts.questions += 1;
            let place = format!("quiz {}#{}", bank.id, question.id);
            check_text(&mut report, &place, "prompt", &question.prompt);
            check_text(&mut report, &place, "explanation", &question.explanation);
            for option in &question.options {
                check_text(
                    &mut report,
                    &place,
                    &format!("option {}", option.id),
                    &option.text,
                );
            }
            for blank in &question.blanks {
                if let Some(hint) = &blank.hint {
                    check_text(
                        &mut report,
                        &place,
                        &format!("blank {} hint", blank.id),
                        hint,
                    );
                }
            }
        }
    }
    report
}

fn check_text(report: &mut Report, place: &str, field: &str, text: &Text) {
    report.counts.texts += 1;
    let (ru, en) = (text.get(Lang::Ru), text.get(Lang::En));
    if !ru.chars().any(is_cyrillic) && has_words(ru) {
        report.problems.push(format!(
            "{place}: {field}: the Russian text has no Russian letters; was the English pasted in?"
        ));
    }
    if let Some(c) = en.chars().find(|c| is_cyrillic(*c)) {
        report.problems.push(format!(
            "{place}: {field}: the English text contains Cyrillic (`{c}`); translate it"
        ));
    }
    let (shape_ru, shape_en) = (Shape::of(ru), Shape::of(en));
    for (what, ru_n, en_n) in [
        ("paragraphs", shape_ru.paragraphs, shape_en.paragraphs),
        ("list items", shape_ru.list_items, shape_en.list_items),
        ("code blocks", shape_ru.fences, shape_en.fences),
    ] {
        if ru_n != en_n {
            report.problems.push(format!(
                "{place}: {field}: {ru_n} {what} in Russian but {en_n} in English"
            ));
        }
    }
    if shape_ru.code_spans != shape_en.code_spans {
        let only_ru: Vec<&str> = difference(&shape_ru.code_spans, &shape_en.code_spans);
        let only_en: Vec<&str> = difference(&shape_en.code_spans, &shape_ru.code_spans);
        report.problems.push(format!(
            "{place}: {field}: code differs between translations (only in Russian: {}; only in English: {})",
            shown(&only_ru),
            shown(&only_en)
        ));
    }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Whether a text has a word of two or more letters outside code spans: a
/// title that is only code (`PoolTimedOut`) needs no translation.
fn has_words(text: &str) -> bool {
    text.split('`').step_by(2).any(|prose| {
        prose
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.chars().count() > 1)
    })
}

/// The parts of a text that must match across translations.
#[derive(Debug, Default)]
struct Shape {
    paragraphs: usize,
    list_items: usize,
    fences: usize,
    /// Inline code, counted: code is not translated.
    code_spans: BTreeMap<String, usize>,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let mut shape = Shape::default();
        let mut in_paragraph = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("```") {
                shape.fences += 1;
            }
            if trimmed.starts_with("- ") || trimmed.starts_with("* ") {
                shape.list_items += 1;
            }
            if trimmed.is_empty() {
                in_paragraph = false;
            } else if !in_paragraph {
                in_paragraph = true;
                shape.paragraphs += 1;
            }
        }
        for span in text.split('`').skip(1).step_by(2) {
            *shape.code_spans.entry(span.to_owned()).or_default() += 1;
        }
        shape
    }
}

fn difference<'a>(a: &'a BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Vec<&'a str> {
    a.iter()
        .filter(|(span, n)| b.get(*span).copied().unwrap_or(0) < **n)
        .map(|(span, _)| span.as_str())
        .collect()
}

fn shown(spans: &[&str]) -> String {
    if spans.is_empty() {
        "nothing".to_owned()
    } else {
        spans
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(en: &str, ru: &str) -> Vec<String> {
        let mut report = Report::default();
        check_text(&mut report, "l#s", "body", &Text::new(en, ru));
        report.problems
    }

    #[test]
    fn matching_translations_pass() {
        assert!(
            problems(
                "Use `pool.begin()`.\n\n- one\n- two",
                "Вызовите `pool.begin()`.\n\n- раз\n- два"
            )
            .is_empty()
        );
        assert!(
            problems("`PoolTimedOut`", "`PoolTimedOut`").is_empty(),
            "code-only titles need no letters"
        );
    }

    #[test]
    fn english_pasted_into_russian_is_caught() {
        let found = problems("Create the pool", "Create the pool");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("no Russian letters"));
    }

    #[test]
    fn cyrillic_in_english_is_caught() {
        let found = problems("Create the пул", "Создайте пул");
        assert!(
            found.iter().any(|p| p.contains("contains Cyrillic (`п`)")),
            "{found:?}"
        );
    }

    #[test]
    fn different_shapes_are_caught() {
        let found = problems("- a\n- b", "- а");
        assert!(found.iter().any(
            |p| p.contains("2 list items in Russian") || p.contains("1 list items in Russian")
        ));
        let found = problems("Call `connect(&url)`.", "Вызовите `connect(url)`.");
        assert!(
            found
                .iter()
                .any(|p| p.contains("only in Russian: `connect(url)`")),
            "{found:?}"
        );
        let found = problems("One.\n\nTwo.", "Один. Два.");
        assert!(found.iter().any(|p| p.contains("paragraphs")), "{found:?}");
    }
}
