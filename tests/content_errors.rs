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
