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

/// The hostile YAML fixtures, by name, as the loader's tests see them.
fn hostile(kind: &str) -> Vec<u8> {
    std::fs::read(
        common::fixtures()
            .join("content-errors")
            .join(kind)
            .join("lessons/basics.yaml"),
    )
    .unwrap()
}

#[test]
fn alias_bombs_and_deep_nesting_end_in_errors() {
    for kind in ["alias-bomb", "deep-nesting", "nul-byte"] {
        let dir = course(None);
        std::fs::write(dir.path().join("lessons/basics.yaml"), hostile(kind)).unwrap();
        let errors = Course::load(dir.path()).expect_err(kind);
        assert_eq!(errors.0.len(), 1, "{kind}: {errors}");
        assert!(errors.0[0].mark.is_some(), "{kind}: {errors}");
    }
}

#[test]
fn answers_files_get_the_same_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    let shown = std::path::Path::new("answers.yaml");
    let mut big = b"format_version: 1\nmodule: first\n".to_vec();
    big.resize(5 * 1024 * 1024, b'#');
    for (what, bytes) in [
        ("alias bomb", hostile("alias-bomb")),
        ("deep nesting", hostile("deep-nesting")),
        ("NUL byte", b"format_version: 1\nmodule: fi\0rst\n".to_vec()),
        ("not UTF-8", b"format_version: 1\nmodule: \xff\n".to_vec()),
        ("oversized", big),
    ] {
        std::fs::write(&path, bytes).unwrap();
        let problems = workbook::quiz::answers_file::read(&path, shown, workbook::lang::Lang::En)
            .expect_err(what);
        assert_eq!(problems.len(), 1, "{what}: {problems:?}");
        let shown = problems[0].to_string();
        assert!(shown.starts_with("answers.yaml"), "{what}: {shown}");
        assert!(
            !shown.contains("invalid YAML: invalid YAML"),
            "{what}: {shown}"
        );
    }
    std::fs::write(&path, "\u{feff}format_version: 1\nmodule: first\n").unwrap();
    let (file, _) =
        workbook::quiz::answers_file::read(&path, shown, workbook::lang::Lang::En).unwrap();
    assert_eq!(file.module, "first");
}

/// The real binary on a hostile course, with its address space capped far
/// below what the expanded alias bomb needs (about 9 GB before the limit): a
/// loader that expanded it would abort here instead of reporting an error.
#[cfg(unix)]
#[test]
fn the_binary_reports_hostile_files_within_a_memory_cap() {
    for kind in ["alias-bomb", "deep-nesting"] {
        let dir = course(Some(&common::fixtures().join("content-errors").join(kind)));
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg("ulimit -v 2000000 && exec \"$0\" --color never list")
            .arg(env!("CARGO_BIN_EXE_workbook"))
            .current_dir(dir.path())
            .env("MALLOC_ARENA_MAX", "2")
            .env("LANG", "C.UTF-8");
        let output = common::run(&mut command, dir.path());
        assert!(output.starts_with("exit: 2\n"), "{kind}: {output}");
        assert!(output.contains("lessons/basics.yaml:"), "{kind}: {output}");
    }
}

/// A course whose exercise `ex-one` has starter and reference copies of
/// `src/lib.rs`, inside `outer/course`, so files next to it are outside it.
fn course_with_files(outer: &std::path::Path) -> std::path::PathBuf {
    let root = outer.join("course");
    common::copy_dir(&common::fixtures().join("base"), &root);
    let exercise = root.join("exercises/ex-one");
    for (folder, text) in [
        ("starter", "// starter\n"),
        ("solution", "// solution\n"),
        ("", "// mine\n"),
    ] {
        let dir = exercise.join(folder).join("src");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("lib.rs"), text).unwrap();
    }
    root
}

#[test]
fn editable_paths_out_of_the_exercise_leave_their_targets_untouched() {
    let outer = tempfile::tempdir().unwrap();
    let victim = outer.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let root = course_with_files(outer.path());
    for editable in [
        victim.to_string_lossy().into_owned(),
        "../../../victim.txt".to_owned(),
    ] {
        let metadata = root.join("exercises/ex-one/exercise.yaml");
        let text =
            std::fs::read_to_string(common::fixtures().join("base/exercises/ex-one/exercise.yaml"))
                .unwrap()
                .replace(
                    "editable: [src/lib.rs]",
                    &format!("editable: [src/lib.rs, \"{editable}\"]"),
                );
        std::fs::write(&metadata, text).unwrap();
        for args in [
            &["reset", "ex-one"][..],
            &["dev", "verify"],
            &["solution", "ex-one", "--yes"],
        ] {
            let output = common::run(common::workbook(&root).args(args), &root);
            assert!(
                output.starts_with("exit: 2\n"),
                "{editable} {args:?}: {output}"
            );
            assert!(
                output.contains("editable[1]"),
                "{editable} {args:?}: {output}"
            );
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        }
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_exercise_are_never_written_through() {
    let outer = tempfile::tempdir().unwrap();
    let victim = outer.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let root = course_with_files(outer.path());
    let mine = root.join("exercises/ex-one/src/lib.rs");
    std::fs::remove_file(&mine).unwrap();
    std::os::unix::fs::symlink(&victim, &mine).unwrap();

    let output = common::run(common::workbook(&root).args(["reset", "ex-one"]), &root);
    assert!(!output.starts_with("exit: 0\n"), "{output}");
    assert!(
        output.contains("is a link to") && output.contains("outside"),
        "{output}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");

    // A linked folder: `dev verify` names the file and what is wrong with it.
    let elsewhere = outer.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("lib.rs"), "// elsewhere\n").unwrap();
    let solution = root.join("exercises/ex-one/solution/src");
    std::fs::remove_dir_all(&solution).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &solution).unwrap();
    let output = common::run(common::workbook(&root).args(["dev", "verify"]), &root);
    assert!(
        output.contains(
            "ex-one: the reference solution solution/src/lib.rs: its folder `src` is a link to"
        ),
        "{output}"
    );
    assert!(!output.contains("No such file or directory"), "{output}");

    let output = common::run(
        common::workbook(&root).args(["solution", "ex-one", "--yes"]),
        &root,
    );
    assert!(
        output.contains("is a link to") && !output.contains("elsewhere\n//"),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("lib.rs")).unwrap(),
        "// elsewhere\n"
    );
}

#[test]
fn a_missing_solution_file_is_named() {
    let outer = tempfile::tempdir().unwrap();
    let root = course_with_files(outer.path());
    std::fs::remove_file(root.join("exercises/ex-one/solution/src/lib.rs")).unwrap();
    let output = common::run(common::workbook(&root).args(["dev", "verify"]), &root);
    assert!(
        output.contains("ex-one: the reference solution solution/src/lib.rs is missing"),
        "{output}"
    );
    assert!(!output.contains("No such file or directory"), "{output}");
}
