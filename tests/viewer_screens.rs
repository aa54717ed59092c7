//! The viewer's screens as a student sees them (the pty test drives the keys;
//! this pins the text): a step with blanks, the hidden solution, and the key
//! legend, in both languages.

mod common;

use common::course;
use workbook::course::{Course, Level};
use workbook::lang::Lang;
use workbook::screens::lesson::{Reader, StepScreen, keys, step};
use workbook::store::Snapshot;

#[test]
fn viewer_screens_in_both_languages() {
    workbook::style::set_color(false);
    let dir = course(None);
    let course = Course::load(dir.path()).unwrap();
    let lesson = course.lesson("basics").unwrap();
    let steps = course.steps(lesson, Level::Advanced);
    let snapshot = Snapshot::default();
    for lang in [Lang::En, Lang::Ru] {
        for id in ["fill", "check", "answer"] {
            let index = steps.iter().position(|s| s.step.id == id).unwrap();
            let screen = step(StepScreen {
                course: &course,
                steps: &steps,
                index,
                snapshot: &snapshot,
                lang,
                show_solution: false,
                reader: Reader::Viewer,
            });
            insta::assert_snapshot!(
                format!("viewer-{id}-{lang}"),
                format!("{screen}\n{}", keys(lang, None))
            );
        }
        insta::assert_snapshot!(
            format!("viewer-keys-scrolled-{lang}"),
            keys(lang, Some((4, 24, 60)))
        );
    }
}

#[test]
fn quiz_screens_with_keys_in_both_languages() {
    use workbook::quiz::Attempt;
    use workbook::screens::quiz::{Mode, question};

    workbook::style::set_color(false);
    let dir = course(Some(&common::fixtures().join("with-quiz")));
    let course = Course::load(dir.path()).unwrap();
    let bank = course.banks.iter().find(|b| b.id == "first").unwrap();
    let attempt = Attempt::draw(bank, 3);
    for lang in [Lang::En, Lang::Ru] {
        let mut screens = String::new();
        for (index, drawn) in attempt.questions.iter().enumerate() {
            // The cursor on the second option, the first one picked.
            let mode = Mode::Keys {
                cursor: 1,
                chosen: &[0],
            };
            screens.push_str(&question(
                drawn,
                index + 1,
                attempt.questions.len(),
                mode,
                lang,
            ));
            screens.push_str("\n-----\n");
        }
        insta::assert_snapshot!(format!("quiz-keys-{lang}"), screens);
    }
}
