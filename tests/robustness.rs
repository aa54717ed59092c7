//! No input makes the loader panic: every line of the course files deleted in
//! turn, or its value replaced by something of the wrong shape, gives content
//! errors (or a valid course), never a crash.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::course;
use workbook::course::Course;

const FILES: [&str; 3] = [
    "course.yaml",
    "lessons/basics.yaml",
    "exercises/ex-one/exercise.yaml",
];
const REPLACEMENTS: [&str; 7] = ["", "[]", "{}", "~", "-1", "\"\"", "[a, {b: c}]"];

fn load_without_panic(dir: &std::path::Path, what: &str) {
    let result = catch_unwind(AssertUnwindSafe(|| Course::load(dir)));
    match result {
        Ok(Ok(_)) => {}
        Ok(Err(errors)) => {
            assert!(
                !errors.0.is_empty(),
                "{what}: an error result lists its errors"
            );
            for diagnostic in &errors.0 {
                assert!(!diagnostic.message.is_empty(), "{what}: {diagnostic}");
            }
        }
        Err(payload) => panic!(
            "the loader panicked on: {what}: {:?}",
            payload.downcast_ref::<String>()
        ),
    }
}

#[test]
fn every_line_deleted_or_mangled_never_panics() {
    let dir = course(None);
    let mut cases = 0;
    for file in FILES {
        let path = dir.path().join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = original.lines().collect();
        for i in 0..lines.len() {
            let mut without = lines.clone();
            without.remove(i);
            std::fs::write(&path, without.join("\n")).unwrap();
            load_without_panic(dir.path(), &format!("{file} without line {}", i + 1));
            cases += 1;
            if let Some((key, _)) = lines[i].split_once(": ") {
                for replacement in REPLACEMENTS {
                    let mut mangled = lines.clone();
                    let line = format!("{key}: {replacement}");
                    mangled[i] = &line;
                    std::fs::write(&path, mangled.join("\n")).unwrap();
                    load_without_panic(dir.path(), &format!("{file} line {} as `{line}`", i + 1));
                    cases += 1;
                }
            }
        }
        std::fs::write(&path, &original).unwrap();
    }
    assert!(cases > 300, "{cases} cases");
}

#[test]
fn odd_yaml_never_panics() {
    let dir = course(None);
    let path = dir.path().join("lessons/basics.yaml");
    for text in [
        "",
        "---",
        "...",
        "[",
        "{{{",
        "- - - -",
        "format_version: 1\ntitle: &a {en: x, ru: *a}",
        "format_version: *nowhere",
        "? [complex, key]\n: value",
        "format_version: !!binary aGVsbG8=",
        "\u{feff}format_version: 1",
        "format_version: 99999999999999999999999",
        "\t- tab",
        "a: b: c",
    ] {
        std::fs::write(&path, text).unwrap();
        load_without_panic(dir.path(), &format!("lesson text {text:?}"));
    }
}
