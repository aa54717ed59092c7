//! The GitHub Actions workflows: `.ci/lint-workflows` (actionlint, with
//! shellcheck on the `run:` scripts) finds nothing, and the grading workflow
//! keeps what grading needs: the student's work graded against a pristine
//! checkout of the course, sandboxed by bubblewrap (with Ubuntu 24.04's
//! `AppArmor` switch), on `SQLite` and on the Postgres service, with every report
//! kept. The student edition's template carries the same grading jobs.

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

const GRADE: &str = ".github/workflows/grade.yml";
const STUDENT: &str = ".github/student-workflow.yml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(file: &str) -> Value {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The value at `path` (mapping keys), or a panic naming the path.
fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |value, key| {
        value
            .get(*key)
            .unwrap_or_else(|| panic!("no `{}`", path.join(".")))
    })
}

fn text<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    at(value, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{}` is not a string", path.join(".")))
}

fn steps(job: &Value) -> &[Value] {
    at(job, &["steps"]).as_sequence().expect("steps is a list")
}

fn step_name(step: &Value) -> String {
    step.get("name")
        .or_else(|| step.get("uses"))
        .and_then(Value::as_str)
        .unwrap_or("(unnamed step)")
        .to_owned()
}

/// The commands of a `run:` script, each split into words as the shell would
/// (continued lines joined, quotes removed; good enough for these scripts).
fn commands(script: &str) -> Vec<Vec<String>> {
    script
        .replace("\\\n", " ")
        .lines()
        .map(words)
        .filter(|words| !words.is_empty() && !words[0].starts_with('#'))
        .collect()
}

fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Every command of the job's `run:` steps, with the index and the step.
fn job_commands(job: &Value) -> Vec<(usize, &Value, Vec<String>)> {
    let mut all = Vec::new();
    for (index, step) in steps(job).iter().enumerate() {
        if let Some(script) = step.get("run").and_then(Value::as_str) {
            for command in commands(script) {
                all.push((index, step, command));
            }
        }
    }
    all
}

/// The arguments after `workbook … SUBCOMMAND`, when the command runs workbook.
fn workbook_args<'a>(command: &'a [String], subcommand: &str) -> Option<&'a [String]> {
    let program = command
        .iter()
        .position(|w| w == "workbook" || w.ends_with("/workbook"))?;
    let sub = command[program..].iter().position(|w| w == subcommand)? + program;
    Some(&command[sub + 1..])
}

/// The values of a repeatable flag, as `--flag VALUE` or `--flag=VALUE`.
fn flag_values(args: &[String], flag: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == flag {
            values.extend(iter.next().cloned());
        } else if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
            values.push(value.to_owned());
        }
    }
    values
}

fn grade_job(workflow: &Value) -> &Value {
    at(workflow, &["jobs", "grade"])
}

#[test]
fn the_workflow_lint_passes_and_ci_runs_it() {
    let output = Command::new("bash")
        .arg(root().join(".ci/lint-workflows"))
        .current_dir(root())
        .output()
        .expect("bash runs .ci/lint-workflows");
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        ".ci/lint-workflows failed:\n{shown}"
    );
    assert!(shown.contains("no findings"), "{shown}");
    for file in [GRADE, STUDENT] {
        assert!(shown.contains(file), "{file} is not linted:\n{shown}");
    }

    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let lints = ci.find("== lints").expect(".ci/run has a lints section");
    let workflows = ci
        .find(".ci/lint-workflows")
        .expect(".ci/run runs .ci/lint-workflows");
    assert!(lints < workflows, "the workflow lint comes after the lints");
}

#[test]
fn the_grade_workflow_runs_on_push_pull_request_and_by_hand() {
    let workflow = load(GRADE);
    for event in ["push", "pull_request", "workflow_dispatch"] {
        at(&workflow, &["on", event]);
    }
    // Least privilege: the token only reads.
    let permissions = at(&workflow, &["permissions"])
        .as_mapping()
        .expect("permissions: a mapping");
    assert!(!permissions.is_empty());
    for (scope, level) in permissions {
        assert!(
            matches!(level.as_str(), Some("read" | "none")),
            "permission {scope:?} is {level:?}"
        );
    }
    assert!(text(&workflow, &["concurrency", "group"]).contains("github.ref"));
    // The pristine course is configurable, with this repository as the default.
    assert!(text(&workflow, &["env", "COURSE_REPOSITORY"]).contains("github.repository"));
    at(&workflow, &["env", "COURSE_REF"]);
}

/// The index of the checkout step into `path`, which must leave no token behind.
fn checkout(steps: &[Value], path: &str) -> usize {
    let (index, step) = steps
        .iter()
        .enumerate()
        .find(|(_, s)| {
            uses(s, "actions/checkout@")
                && s.get("with")
                    .and_then(|w| w.get("path"))
                    .and_then(Value::as_str)
                    == Some(path)
        })
        .unwrap_or_else(|| panic!("no checkout into {path}/"));
    // Student code runs in this job: no token left in .git/config.
    assert_eq!(
        at(step, &["with", "persist-credentials"]).as_bool(),
        Some(false),
        "checkout into {path}/ persists credentials"
    );
    index
}

fn uses(step: &Value, action: &str) -> bool {
    step.get("uses")
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with(action))
}

/// The index of the first step with a command holding all of `words`.
fn step_running(job: &Value, words: &[&str]) -> usize {
    job_commands(job)
        .iter()
        .find_map(|(index, _, c)| {
            words
                .iter()
                .all(|w| c.iter().any(|x| x == w))
                .then_some(*index)
        })
        .unwrap_or_else(|| panic!("no step runs {words:?}"))
}

/// The `workbook grade` commands of the job: step index, step, whole command.
fn grade_passes(job: &Value) -> Vec<(usize, &Value, Vec<String>)> {
    job_commands(job)
        .into_iter()
        .filter(|(_, _, c)| workbook_args(c, "grade").is_some())
        .collect()
}

#[test]
fn the_grade_job_sets_up_the_course_the_sandbox_and_postgres_first() {
    let workflow = load(GRADE);
    let job = grade_job(&workflow);
    let steps = steps(job);

    let course = checkout(steps, "course");
    assert!(text(&steps[course], &["with", "repository"]).contains("COURSE_REPOSITORY"));
    assert!(text(&steps[course], &["with", "token"]).contains("secrets.COURSE_TOKEN"));
    let build = step_running(job, &["cargo", "build", "--locked"]);
    assert_eq!(
        text(&steps[build], &["working-directory"]),
        "course",
        "workbook is built from the course"
    );
    let setup = [
        checkout(steps, "submission"),
        course,
        step_running(job, &["apt-get", "install", "bubblewrap"]),
        step_running(
            job,
            &[
                "sysctl",
                "-w",
                "kernel.apparmor_restrict_unprivileged_userns=0",
            ],
        ),
        build,
    ];
    let passes = grade_passes(job);
    assert!(!passes.is_empty(), "no step runs `workbook grade`");
    for (index, step, _) in &passes {
        assert!(
            setup.iter().all(|before| before < index),
            "{} runs before its setup",
            step_name(step)
        );
    }

    let postgres = at(job, &["services", "postgres"]);
    assert!(text(postgres, &["image"]).starts_with("postgres:16"));
    assert!(
        text(postgres, &["options"]).contains("--health-cmd"),
        "the service has a health check"
    );
}

#[test]
fn the_grade_job_grades_every_backend_sandboxed_into_every_report() {
    let workflow = load(GRADE);
    let job = grade_job(&workflow);
    let upload = steps(job)
        .iter()
        .find(|s| uses(s, "actions/upload-artifact@"))
        .expect("the reports are uploaded");
    assert_eq!(
        text(upload, &["if"]),
        "always()",
        "the reports are uploaded whatever the grade"
    );
    let uploaded: Vec<&str> = text(upload, &["with", "path"])
        .lines()
        .map(str::trim)
        .collect();

    let mut backends = Vec::new();
    for (_, step, command) in grade_passes(job) {
        let name = step_name(step);
        let args = workbook_args(&command, "grade").unwrap();
        assert_eq!(flag_values(&command, "--course"), ["course"], "{name}");
        assert_eq!(flag_values(args, "--submission"), ["submission"], "{name}");
        assert!(
            !args.iter().any(|a| a == "--no-sandbox"),
            "{name} turns the sandbox off"
        );
        let formats = flag_values(args, "--format");
        for wanted in ["github", "markdown=$GITHUB_STEP_SUMMARY"] {
            assert!(
                formats.iter().any(|f| f == wanted),
                "{name}: no --format {wanted} in {formats:?}"
            );
        }
        for (format, extension) in [("junit", ".xml"), ("json", ".json")] {
            let file = formats
                .iter()
                .find_map(|f| f.strip_prefix(&format!("{format}=")))
                .unwrap_or_else(|| panic!("{name}: no --format {format}=FILE in {formats:?}"));
            assert!(file.ends_with(extension), "{name}: {format} report {file}");
            assert!(uploaded.contains(&file), "{name}: {file} is not uploaded");
        }
        let db = flag_values(args, "--db");
        if db == ["postgres"] {
            assert!(
                [step, job].iter().any(|v| v
                    .get("env")
                    .and_then(|e| e.get("WORKBOOK_DATABASE_URL"))
                    .is_some()),
                "{name}: no WORKBOOK_DATABASE_URL"
            );
        }
        backends.extend(db);
    }
    backends.sort();
    assert_eq!(
        backends,
        ["postgres", "sqlite"],
        "one grading pass per backend"
    );
}

#[test]
fn the_student_workflow_checks_and_carries_the_same_grading() {
    let student = load(STUDENT);
    let grade = load(GRADE);
    at(&student, &["on", "push"]);

    let check = at(&student, &["jobs", "check"]);
    let commands = job_commands(check);
    let (_, step, _) = commands
        .iter()
        .find(|(_, _, c)| {
            workbook_args(c, "check").is_some_and(|args| args.iter().any(|a| a == "--all"))
        })
        .expect("a step runs `workbook check --all`");
    let script = text(step, &["run"]);
    assert!(
        script.contains("$GITHUB_STEP_SUMMARY"),
        "the check writes a step summary"
    );

    // Equal, so that a change to grading reaches the student edition too.
    for path in [
        &["jobs", "submission"][..],
        &["jobs", "grade"],
        &["env"],
        &["permissions"],
        &["defaults"],
        &["concurrency"],
        &["on", "workflow_dispatch"],
    ] {
        assert_eq!(
            at(&student, path),
            at(&grade, path),
            "`{}` differs from {GRADE}",
            path.join(".")
        );
    }
}

#[test]
fn words_split_as_the_shell_would() {
    assert_eq!(
        commands("a \\\n  --format markdown=\"$X\" 'b c'\n# note\n\nd"),
        [vec!["a", "--format", "markdown=$X", "b c"], vec!["d"]]
    );
}
