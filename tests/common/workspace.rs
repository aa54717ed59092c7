//! Small exercise courses made in temp folders for tests that build real
//! exercise crates. They build into the repository's target folder and use its
//! lock file, so dependencies are compiled only once.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target folder these tests were built into (`target/`, or wherever
/// `CARGO_TARGET_DIR` put it): test courses build there too, so dependencies
/// are compiled once, and two checkouts building into different folders
/// never touch each other's binaries.
pub fn target_dir() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_workbook"));
    binary
        .parent()
        .and_then(|profile| profile.parent())
        .map_or_else(|| repo().join("target"), PathBuf::from)
}

/// The `[workspace.package]` and `[workspace.dependencies]` tables of the
/// repository, so the test crates resolve exactly the same dependencies.
fn workspace_tables() -> String {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let mut out = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line == "[workspace.dependencies]" || line == "[workspace.package]";
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes a file, making its folders.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An exercise crate's manifest, as the course's own are: unsafe code is
/// forbidden from outside the student's files.
fn crate_manifest(name: &str) -> String {
    static COURSES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let support = repo().join("exercises/support");
    // Test courses share the repository's target folder, and cargo names a
    // workspace member's binary by its name, version and path *within* the
    // workspace: two courses running at once would overwrite each other's
    // check binaries. A version of its own per course keeps them apart (test
    // binaries run one after another, so a count per process is enough).
    let course = COURSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let version = format!("0.0.{course}");
    format!(
        "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition.workspace = true\npublish = false\n\n\
         [dependencies]\nsqlx = {{ workspace = true }}\n\n[dev-dependencies]\nworkbook-support = {{ path = \"{}\" }}\n\n\
         [lints.rust]\nunsafe_code = \"forbid\"\n\n\
         [[test]]\nname = \"checks\"\npath = \"tests/checks.rs\"\nharness = false\n",
        support.display()
    )
}

/// An `exercise.yaml` with one point per check.
pub fn exercise_yaml(checks: &[&str], time_limit_secs: u32) -> String {
    let mut text = format!(
        "format_version: 1\ntitle: {{en: Faults, ru: Сбои}}\npractises: basics#fill\nbackends: [sqlite, postgres]\neditable: [src/lib.rs]\ntime_limit_secs: {time_limit_secs}\nchecks:\n",
    );
    for check in checks {
        let _ = writeln!(
            text,
            "  - {{id: {check}, points: 1, title: {{en: Check {check}, ru: Проверка {check}}}}}"
        );
    }
    text.push_str("hints:\n  - {en: Look closer., ru: Посмотрите внимательнее.}\n");
    text
}

/// One exercise of a test course.
pub struct TestExercise<'a> {
    /// Its id (and crate name).
    pub id: &'a str,
    /// `src/lib.rs`.
    pub lib: &'a str,
    /// `tests/checks.rs`.
    pub checks: &'a str,
    /// `exercise.yaml`.
    pub manifest: String,
}

/// A course of `exercises` in one module, in a temp folder.
pub fn course_of(exercises: &[TestExercise<'_>]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let members: Vec<String> = exercises
        .iter()
        .map(|e| format!("\"exercises/{}\"", e.id))
        .collect();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [{}]\nresolver = \"3\"\n\n{}",
            members.join(", "),
            workspace_tables()
        ),
    );
    std::fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    // The fixture lesson's checklist links to a check: the first one here.
    let first = exercises.first().map_or_else(String::new, |e| {
        let checks = e.manifest.split("checks:").nth(1).unwrap_or_default();
        let check = checks
            .split("id:")
            .nth(1)
            .and_then(|rest| rest.split([',', '}', '\n']).next())
            .map_or("fine", str::trim);
        format!("{}#{check}", e.id)
    });
    let lesson = std::fs::read_to_string(super::fixtures().join("base/lessons/basics.yaml"))
        .unwrap()
        .replace("ex-one#check-a", &first);
    write(&root.join("lessons/basics.yaml"), &lesson);
    let ids: Vec<&str> = exercises.iter().map(|e| e.id).collect();
    write(
        &root.join("course.yaml"),
        &format!(
            "format_version: 1\ntitle: {{en: Faults, ru: Сбои}}\nmodules:\n  - id: first\n    title: {{en: First, ru: Первый}}\n    lessons: [basics]\n    exercises: [{}]\n",
            ids.join(", ")
        ),
    );
    for exercise in exercises {
        let folder = root.join("exercises").join(exercise.id);
        write(&folder.join("Cargo.toml"), &crate_manifest(exercise.id));
        write(&folder.join("exercise.yaml"), &exercise.manifest);
        write(&folder.join("src/lib.rs"), exercise.lib);
        write(&folder.join("tests/checks.rs"), exercise.checks);
    }
    dir
}

/// The binary in a test course, building into the repository's target folder,
/// with no Postgres server given.
pub fn workbook_in(dir: &Path) -> std::process::Command {
    let mut cmd = super::workbook(dir);
    cmd.env("CARGO_TARGET_DIR", target_dir())
        .env_remove("WORKBOOK_DATABASE_URL")
        .env_remove("DATABASE_URL");
    cmd
}

/// `cargo test -p <package>` in a test course.
pub fn cargo_test_in(dir: &Path, package: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO"))
        .args(["test", "-q", "-p", package])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("WORKBOOK_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("WORKBOOK_SUPERVISED")
        .output()
        .unwrap()
}

/// Processes whose command line mentions `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle))
        .collect()
}
