//! Every kind of content error, one fixture each under
//! `tests/fixtures/content-errors/<kind>/` (files laid over the base course),
//! with the message the real binary prints snapshotted.

mod common;

use common::{course, fixtures, run, workbook};

#[test]
fn every_content_error_points_at_its_place() {
    let root = fixtures().join("content-errors");
    let mut kinds: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    assert!(
        kinds.len() >= 25,
        "expected a fixture per kind of error, found {}",
        kinds.len()
    );
    for kind in kinds {
        let dir = course(Some(&root.join(&kind)));
        let output = run(workbook(dir.path()).arg("list"), dir.path());
        assert!(output.starts_with("exit: 2\n"), "{kind}: {output}");
        assert!(!output.contains("panicked"), "{kind}: {output}");
        insta::assert_snapshot!(kind.clone(), output);
    }
}

#[test]
fn the_base_fixture_is_valid() {
    let dir = course(None);
    let output = run(workbook(dir.path()).arg("list"), dir.path());
    assert!(output.starts_with("exit: 0\n"), "{output}");
}

#[test]
fn errors_are_reported_in_russian_headings_too() {
    let dir = course(Some(&fixtures().join("content-errors/missing-translation")));
    let output = run(
        workbook(dir.path()).args(["--lang", "ru", "list"]),
        dir.path(),
    );
    assert!(
        output.contains("ошибка: в материалах курса есть ошибки:"),
        "{output}"
    );
    assert!(output.contains("lessons/basics.yaml:"), "{output}");
}

#[test]
fn an_oversized_file_is_refused_with_its_limit() {
    // Generated rather than checked in: the fixture would be 5 MB.
    let dir = course(None);
    let lesson = dir.path().join("lessons/basics.yaml");
    let mut text = std::fs::read_to_string(&lesson).unwrap();
    while text.len() <= 5 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&lesson, text).unwrap();
    let output = run(workbook(dir.path()).arg("list"), dir.path());
    assert!(output.starts_with("exit: 2\n"), "{output}");
    insta::assert_snapshot!("oversized-file", output);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let plain = course(None);
    let expected = run(workbook(plain.path()).arg("list"), plain.path());
    let dir = course(None);
    for file in [
        "course.yaml",
        "lessons/basics.yaml",
        "lessons/more.yaml",
        "exercises/ex-one/exercise.yaml",
    ] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    }
    let output = run(workbook(dir.path()).arg("list"), dir.path());
    assert!(output.starts_with("exit: 0\n"), "{output}");
    assert_eq!(output, expected);
}

#[test]
fn a_byte_order_mark_does_not_shift_positions() {
    let dir = course(Some(&fixtures().join("content-errors/unknown-key")));
    let expected = run(workbook(dir.path()).arg("list"), dir.path());
    for file in ["course.yaml", "lessons/basics.yaml"] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    }
    let output = run(workbook(dir.path()).arg("list"), dir.path());
    assert_eq!(output, expected);
}
