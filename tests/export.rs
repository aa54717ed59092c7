//! `workbook dev export`: the student edition of the shipped course has no
//! solutions and sealed keys, marks answers exactly as the full course does,
//! and is written the same byte for byte every time.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::workspace::{repo, workbook_in};
use common::{code, shipped_course, workbook};
use workbook::course::bank::{Correct, QuestionType};
use workbook::course::seal::Accepted;
use workbook::course::{Course, Edition};
use workbook::quiz::{Answer, Attempt};

/// A snapshot of the repository (the course is its root), so that files
/// others change while the tests run cannot make two exports differ.
fn snapshot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(repo()).unwrap();
    workbook::course::copy::copy_tree(&root, dir.path(), &|_| true).unwrap();
    dir
}

/// Exports `course` into `to`; the summary printed.
fn export(course: &Path, to: &Path, lang: &str) -> String {
    let output = workbook(course)
        .args(["--lang", lang, "dev", "export"])
        .arg(to)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        code(&output),
        0,
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_student_edition_has_no_solutions_and_sealed_keys() {
    let course = snapshot();
    let out = tempfile::tempdir().unwrap();
    let edition = out.path().join("student");
    let summary = export(course.path(), &edition, "en");
    for line in [
        "Student edition written to",
        "reference solutions: exercises/eager-tags/solution, exercises/founditem-schema/solution",
        "quiz/async-basics.yaml question fetch-optional: regex answer kept in clear",
        "quiz/relations-performance.yaml question runtime-panic: regex answer kept in clear",
        "lessons/many-to-many-tags.yaml: 4 blanks; Solution steps withheld: reference-solution",
    ] {
        assert!(summary.contains(line), "{line}\n{summary}");
    }
    let russian = export(course.path(), &out.path().join("ru"), "ru");
    assert!(
        russian.contains("Студенческая версия записана") && russian.contains("оставлен открытым"),
        "{russian}"
    );

    let written = files(&edition);
    for path in written.keys() {
        let parts: Vec<&str> = path.iter().map(|p| p.to_str().unwrap()).collect();
        assert!(
            !matches!(
                parts.as_slice(),
                ["exercises", _, "solution" | "mistakes" | "variants", ..]
            ),
            "{}",
            path.display()
        );
        assert!(
            !matches!(
                parts.as_slice(),
                [".ci" | ".workbook" | ".git" | "target", ..]
            ),
            "{}",
            path.display()
        );
        assert!(!path.starts_with("quiz/answers"), "{}", path.display());
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "exercises/eager-tags/src/lib.rs",
        "exercises/eager-tags/starter/src/lib.rs",
        "exercises/eager-tags/tests/checks.rs",
        "exercises/support/src/lib.rs",
        "tests/benches/yaml_load_bench.rs",
    ] {
        assert!(
            written.contains_key(Path::new(needed)),
            "{needed} is exported"
        );
    }
    assert!(!written.contains_key(Path::new("tests/quiz.rs")));
    if course.path().join(".github/student-workflow.yml").is_file() {
        assert_eq!(
            written[Path::new(".github/workflows/workbook.yml")],
            std::fs::read(course.path().join(".github/student-workflow.yml")).unwrap()
        );
        assert!(!written.contains_key(Path::new(".github/student-workflow.yml")));
        assert!(!written.contains_key(Path::new(".github/workflows/grade.yml")));
    }
    let manifest = String::from_utf8_lossy(&written[Path::new("course.yaml")]).into_owned();
    assert!(manifest.contains("\nedition: student"), "{manifest}");
    sealed_content(&edition);
}

/// In the written edition, every key that can be sealed is, and no
/// Solution step shows code.
fn sealed_content(edition: &Path) {
    let course = Course::load(edition).unwrap();
    assert_eq!(course.manifest.edition, Edition::Student);
    for bank in &course.banks {
        let text = std::fs::read_to_string(edition.join(format!("quiz/{}.yaml", bank.id))).unwrap();
        for line in text
            .lines()
            .filter(|l| l.trim_start().starts_with("correct:"))
        {
            assert!(
                line.contains("{salt: "),
                "a plain key in quiz/{}.yaml: {line}",
                bank.id
            );
        }
        for question in &bank.questions {
            let id = &question.id;
            match question.kind {
                QuestionType::Short if id == "fetch-optional" || id == "runtime-panic" => {
                    assert!(matches!(question.answers, Accepted::Plain(_)), "{id}");
                }
                QuestionType::Short => {
                    assert!(matches!(question.answers, Accepted::Sealed(_)), "{id}");
                }
                QuestionType::Fill => assert!(
                    question
                        .blanks
                        .iter()
                        .all(|b| matches!(b.answers, Accepted::Sealed(_))),
                    "{id}"
                ),
                _ => assert!(matches!(question.correct, Some(Correct::Sealed(_))), "{id}"),
            }
        }
    }
    for step in course.all_steps() {
        assert!(
            step.step
                .blanks
                .iter()
                .all(|b| matches!(b.answers, Accepted::Sealed(_))),
            "{}#{}",
            step.lesson.id,
            step.step.id
        );
        if step.section == workbook::course::SectionKind::Solution {
            assert!(
                step.step.code.is_none(),
                "{}#{}",
                step.lesson.id,
                step.step.id
            );
            assert!(
                step.step
                    .body
                    .get(workbook::lang::Lang::En)
                    .contains("teacher")
            );
        }
    }
}

#[test]
fn the_export_is_the_same_byte_for_byte_and_exported_bytes_says_so() {
    let course = snapshot();
    let out = tempfile::tempdir().unwrap();
    let (one, two) = (out.path().join("one"), out.path().join("two"));
    export(course.path(), &one, "en");
    export(course.path(), &two, "en");
    let (first, second) = (files(&one), files(&two));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(&second[path] == bytes, "{} differs", path.display());
    }
    let loaded = Course::load(course.path()).unwrap();
    for (path, bytes) in &first {
        let expected = workbook::export::exported_bytes(&loaded, path).unwrap();
        assert!(
            expected.as_ref() == Some(bytes),
            "exported_bytes({})",
            path.display()
        );
    }
    let bank = Path::new("quiz/async-basics.yaml");
    let sealed = workbook::export::exported_bytes(&loaded, bank)
        .unwrap()
        .unwrap();
    assert_eq!(sealed, first[bank]);
    assert_ne!(sealed, std::fs::read(course.path().join(bank)).unwrap());
    for absent in [
        "exercises/eager-tags/solution/src/lib.rs",
        "tests/quiz.rs",
        "quiz/answers/async-basics.yaml",
        "no/such/file",
    ] {
        assert_eq!(
            workbook::export::exported_bytes(&loaded, Path::new(absent)).unwrap(),
            None,
            "{absent}"
        );
    }
}

/// The right answer to every drawn question of `module` with `seed`, from the
/// full course; `wrong` answers every other question wrongly.
fn answers_file(course: &Course, module: &str, seed: u64, wrong: bool) -> String {
    let bank = course.bank_of(course.module(module).unwrap()).unwrap();
    let attempt = Attempt::draw(bank, seed);
    let mut answers = serde_yaml::Mapping::new();
    for (index, drawn) in attempt.questions.iter().enumerate() {
        let question = drawn.question;
        let right =
            workbook::screens::quiz::right_answer(question).unwrap_or_else(|| {
                match question.id.as_str() {
                    "fetch-optional" => Answer::One("fetch_optional".into()),
                    "runtime-panic" => {
                        Answer::One("Cannot start a runtime from within a runtime".into())
                    }
                    other => panic!("no right answer for {other}"),
                }
            });
        let answer = if wrong && index % 2 == 1 {
            match right {
                Answer::Truth(t) => Answer::Truth(!t),
                Answer::One(_) if question.kind == QuestionType::Single => {
                    let Some(Correct::One(correct)) = &question.correct else {
                        unreachable!()
                    };
                    let other = question.options.iter().find(|o| &o.id != correct).unwrap();
                    Answer::One(other.id.clone())
                }
                Answer::One(text) => Answer::One(format!("{text}x")),
                Answer::Many(mut ids) if question.kind == QuestionType::Order => {
                    ids.reverse();
                    Answer::Many(ids)
                }
                Answer::Many(mut ids) => {
                    ids.pop();
                    Answer::Many(ids)
                }
                Answer::Blanks(mut map) => {
                    if let Some(first) = map.values_mut().next() {
                        first.push('x');
                    }
                    Answer::Blanks(map)
                }
            }
        } else {
            right
        };
        answers.insert(
            question.id.clone().into(),
            serde_yaml::to_value(answer).unwrap(),
        );
    }
    let mut file = serde_yaml::Mapping::new();
    file.insert("format_version".into(), 1.into());
    file.insert("module".into(), module.into());
    file.insert("seed".into(), seed.into());
    file.insert("answers".into(), answers.into());
    serde_yaml::to_string(&file).unwrap()
}

/// The result of scoring `file` in the course at `dir`: exit code and the score line.
fn scored(dir: &Path, module: &str, file: &str, lang: &str) -> (i32, String, String) {
    let path = dir.join("answers.yaml");
    std::fs::write(&path, file).unwrap();
    let output = workbook(dir)
        .args(["--lang", lang, "quiz", module, "--answers"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let score = stdout
        .lines()
        .find(|l| l.starts_with("Score:") || l.starts_with("Результат:"))
        .unwrap_or_else(|| {
            panic!(
                "no score: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .to_owned();
    (code(&output), score, stdout)
}

#[test]
fn quizzes_score_the_same_in_both_editions() {
    let full = shipped_course();
    let out = tempfile::tempdir().unwrap();
    let edition = out.path().join("student");
    export(full.path(), &edition, "en");
    let course = Course::load(full.path()).unwrap();
    for module in ["async-basics", "relations-performance"] {
        for seed in [1, 7] {
            let right = answers_file(&course, module, seed, false);
            let (code_full, score_full, _) = scored(full.path(), module, &right, "en");
            let (code_student, score_student, _) = scored(&edition, module, &right, "en");
            assert_eq!(
                (code_full, &score_full),
                (code_student, &score_student),
                "{module} {seed}"
            );
            assert_eq!(code_student, 0, "{score_student}");
            assert!(score_student.contains("(100%)"), "{score_student}");

            let wrong = answers_file(&course, module, seed, true);
            let (code_full, score_full, review_full) = scored(full.path(), module, &wrong, "en");
            let (code_student, score_student, review) = scored(&edition, module, &wrong, "en");
            assert_eq!(
                (code_full, &score_full),
                (code_student, &score_student),
                "{module} {seed}"
            );
            assert_eq!(code_student, 1, "{score_student}");
            assert!(review_full.contains("Right answer: "), "{review_full}");
            assert!(
                review.contains(
                    "Right answer: not shown in the student edition; reread the step below"
                ),
                "{review}"
            );
            assert!(review.contains("Reread: workbook lesson"), "{review}");
        }
    }
    let wrong = answers_file(&course, "async-basics", 1, true);
    let (_, _, russian) = scored(&edition, "async-basics", &wrong, "ru");
    assert!(
        russian.contains("в студенческой версии не показывается"),
        "{russian}"
    );
}

#[test]
fn lesson_blanks_in_the_student_edition() {
    let full = shipped_course();
    let out = tempfile::tempdir().unwrap();
    let edition = out.path().join("student");
    export(full.path(), &edition, "en");
    let blank = |answer: &str| {
        workbook(&edition)
            .args([
                "lesson",
                "pool-and-transactions",
                "--step",
                "ddl-create",
                "--answer",
            ])
            .arg(format!("DDL_CREATE={answer}"))
            .output()
            .unwrap()
    };
    let right = blank("pool.begin( ).await?");
    assert_eq!(
        code(&right),
        0,
        "{}",
        String::from_utf8_lossy(&right.stdout)
    );
    assert!(String::from_utf8_lossy(&right.stdout).contains("✓ DDL_CREATE: correct"));
    let wrong = blank("pool.begin()");
    assert_eq!(code(&wrong), 1);
    assert!(String::from_utf8_lossy(&wrong.stdout).contains("✗ DDL_CREATE: not quite"));
    for (lang, says) in [
        ("en", "does not show blank answers"),
        ("ru", "ответы на пропуски не показываются"),
    ] {
        let reveal = workbook(&edition)
            .args([
                "--lang",
                lang,
                "lesson",
                "pool-and-transactions",
                "--step",
                "ddl-create",
                "--reveal",
                "DDL_CREATE",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&reveal.stdout);
        assert_eq!(code(&reveal), 0);
        assert!(
            text.contains(says) && !text.contains("pool.begin().await?"),
            "{text}"
        );
    }
    let step = workbook(&edition)
        .args(["lesson", "pool-and-transactions", "--step", "ddl-create"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&step.stdout);
    assert!(
        text.contains("___FILL_DDL_CREATE___") && text.contains("answered"),
        "{text}"
    );
}

#[test]
fn solutions_hints_and_author_tools_in_the_student_edition() {
    let full = shipped_course();
    let out = tempfile::tempdir().unwrap();
    let edition = out.path().join("student");
    export(full.path(), &edition, "en");
    for (lang, says) in [
        ("en", "your teacher shares them"),
        ("ru", "их даёт преподаватель"),
    ] {
        let solution = workbook(&edition)
            .args(["--lang", lang, "solution", "eager-tags"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&solution.stdout);
        assert_eq!(code(&solution), 0, "{text}");
        assert!(
            text.contains(says) && text.contains("workbook hint eager-tags"),
            "{text}"
        );
    }
    let hint = workbook(&edition)
        .args(["hint", "eager-tags"])
        .output()
        .unwrap();
    assert_eq!(code(&hint), 0);
    assert!(String::from_utf8_lossy(&hint.stdout).contains("Hint 1 of"));
    let list = workbook(&edition).arg("list").output().unwrap();
    assert_eq!(code(&list), 0);
    assert!(String::from_utf8_lossy(&list.stdout).contains("eager-tags"));
    let verify = workbook(&edition).args(["dev", "verify"]).output().unwrap();
    let text = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(code(&verify), 0, "{text}");
    assert!(text.contains("this is the student edition"), "{text}");
    let again = workbook(&edition)
        .args(["dev", "export"])
        .arg(out.path().join("again"))
        .output()
        .unwrap();
    assert_eq!(code(&again), 2);
    assert!(String::from_utf8_lossy(&again.stderr).contains("a student edition already"));
    assert!(!out.path().join("again").exists());
}

#[test]
fn the_export_refuses_a_folder_in_use_or_inside_the_course() {
    let full = shipped_course();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("file"), "x").unwrap();
    let busy = workbook(full.path())
        .args(["dev", "export"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(code(&busy), 2);
    assert!(String::from_utf8_lossy(&busy.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "nothing written"
    );

    let inside = full.path().join("exercises/student");
    let nested = workbook(full.path())
        .args(["--lang", "ru", "dev", "export"])
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(code(&nested), 2);
    assert!(String::from_utf8_lossy(&nested.stderr).contains("находится внутри курса"));
    assert!(!inside.exists(), "nothing created");

    let empty = out.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    export(full.path(), &empty, "en");
    assert!(
        empty.join("course.yaml").is_file(),
        "an empty folder is fine"
    );
}

#[test]
fn the_student_edition_checks_exercises_with_the_tool() {
    let course = snapshot();
    let out = tempfile::tempdir().unwrap();
    let edition = out.path().join("student");
    export(course.path(), &edition, "en");
    // The edition's crates would have the names, versions and relative paths
    // of the repository's own, and so the same artifacts in the shared target
    // folder: another version keeps them apart.
    for entry in std::fs::read_dir(edition.join("exercises")).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        if manifest.is_file() {
            let text = std::fs::read_to_string(&manifest).unwrap();
            std::fs::write(
                &manifest,
                workbook::course::copy::with_version_suffix(&text, "export"),
            )
            .unwrap();
        }
    }
    let output = workbook_in(&edition)
        .args(["check", "eager-tags"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        code(&output),
        1,
        "the starter fails: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("right-items-and-tags"), "{stdout}");
}
