//! The course this repository ships: it loads, passes its self-check, and every
//! lesson reads in both languages on both tracks.

mod common;

use common::{code, course, fixtures, run, shipped_course, workbook};

#[test]
fn the_shipped_course_passes_its_self_check() {
    // The course as it is in the repository: its exercises build in the
    // repository's workspace (a copy would need a second build of every dependency).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = workbook(root).args(["dev", "verify"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        code(&output),
        0,
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("texts match across Russian and English"),
        "{stdout}"
    );
}

#[test]
fn every_shipped_lesson_reads_in_both_languages() {
    let dir = shipped_course();
    let course = workbook::course::Course::load(dir.path()).unwrap();
    assert!(
        course.modules().len() >= 2,
        "one lesson per module at least"
    );
    for module in course.modules() {
        assert!(!module.lessons.is_empty(), "{} has a lesson", module.id);
    }
    for lesson in &course.lessons {
        for lang in ["en", "ru"] {
            for level in ["basic", "advanced"] {
                let output = workbook(dir.path())
                    .args(["--lang", lang, "lesson", &lesson.id, "--level", level])
                    .output()
                    .unwrap();
                assert_eq!(code(&output), 0, "{} {lang} {level}", lesson.id);
                let text = String::from_utf8_lossy(&output.stdout);
                assert!(
                    text.contains(
                        lesson
                            .title
                            .get(workbook::lang::Lang::from_locale(lang).unwrap())
                    )
                );
                assert!(
                    text.contains("___FILL_"),
                    "{}: practice blanks are shown unanswered",
                    lesson.id
                );
            }
        }
    }
}

#[test]
fn every_blank_in_the_shipped_course_accepts_its_answers_and_not_the_marker() {
    let dir = shipped_course();
    let course = workbook::course::Course::load(dir.path()).unwrap();
    let mut blanks = 0;
    for at in course.all_steps() {
        for blank in &at.step.blanks {
            blanks += 1;
            for answer in blank.answers.plain() {
                assert!(
                    blank.accepts(answer),
                    "{}#{}: {answer}",
                    at.lesson.id,
                    at.step.id
                );
            }
            assert!(!blank.accepts(&format!("___FILL_{}___", blank.id)));
            assert!(!blank.accepts(""));
        }
    }
    assert!(blanks >= 4, "the practice sections hold blanks");
}

#[test]
fn verify_catches_english_pasted_into_russian() {
    let dir = course(Some(&fixtures().join("verify-english-in-russian")));
    insta::assert_snapshot!(
        "verify-translation",
        run(workbook(dir.path()).args(["dev", "verify"]), dir.path())
    );
}
