//! The GitHub Actions workflows: `.ci/lint-workflows` (actionlint, with
//! shellcheck on the `run:` scripts) finds nothing, and the grading workflow
//! keeps what grading needs: the student's work graded against a pristine
//! checkout of the course, sandboxed by bubblewrap (with Ubuntu 24.04's
//! `AppArmor` switch), on `SQLite` and on the Postgres service, with every report
//! kept. The student edition's template carries the same grading jobs.
//!
//! The class workflow grades shares of a class on a matrix and merges them
//! into one gradebook; the Kubernetes example does the same with an Indexed
//! Job (`.ci/lint-workflows` validates it against the Kubernetes schemas).

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

const GRADE: &str = ".github/workflows/grade.yml";
const STUDENT: &str = ".github/student-workflow.yml";
const CLASS: &str = ".github/workflows/grade-class.yml";
const K8S: &str = ".ci/k8s/grade-class-job.yaml";

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
    for file in [GRADE, STUDENT, CLASS, K8S] {
        assert!(shown.contains(file), "{file} is not linted:\n{shown}");
    }
    assert!(
        shown.contains("kubernetes-validate"),
        "the Kubernetes example is not validated:\n{shown}"
    );

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

/// The permissions are all read (or none).
fn assert_reads_only(workflow: &Value) {
    let permissions = at(workflow, &["permissions"])
        .as_mapping()
        .expect("permissions: a mapping");
    assert!(!permissions.is_empty());
    for (scope, level) in permissions {
        assert!(
            matches!(level.as_str(), Some("read" | "none")),
            "permission {scope:?} is {level:?}"
        );
    }
}

/// The steps of `job` that use `action`.
fn steps_using<'a>(job: &'a Value, action: &str) -> Vec<(usize, &'a Value)> {
    steps(job)
        .iter()
        .enumerate()
        .filter(|(_, s)| uses(s, action))
        .collect()
}

/// The lines of a multi-line `path:` of an upload step.
fn uploaded_paths(step: &Value) -> Vec<String> {
    text(step, &["with", "path"])
        .lines()
        .map(|l| l.trim().trim_end_matches('/').to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_class_workflow_is_run_by_hand_on_a_folder_or_repositories() {
    let workflow = load(CLASS);
    let inputs = at(&workflow, &["on", "workflow_dispatch", "inputs"]);
    for input in ["submissions-path", "repositories"] {
        assert_eq!(text(inputs, &[input, "type"]), "string", "{input}");
    }
    assert_eq!(text(inputs, &["shards", "type"]), "number");
    assert_eq!(at(inputs, &["shards", "default"]).as_u64(), Some(4));
    let dbs: Vec<&str> = at(inputs, &["db", "options"])
        .as_sequence()
        .expect("db: a choice")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(dbs, ["sqlite", "postgres"]);
    assert_reads_only(&workflow);
    at(&workflow, &["concurrency", "group"]);

    // The plan checks the shard count against GitHub's limit of 256 jobs.
    let plan = at(&workflow, &["jobs", "plan"]);
    for output in ["shards", "count", "repositories"] {
        assert!(
            text(plan, &["outputs", output]).contains("steps."),
            "plan output {output}"
        );
    }
    let script = steps(plan)
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .collect::<String>();
    assert!(script.contains("256"), "the plan does not check the limit");
    // Inputs reach scripts through the environment, never pasted into them.
    for job in at(&workflow, &["jobs"]).as_mapping().unwrap().values() {
        for step in steps(job) {
            if let Some(script) = step.get("run").and_then(Value::as_str) {
                assert!(
                    !script.contains("inputs.") && !script.contains("secrets."),
                    "{}: an input or secret pasted into its script",
                    step_name(step)
                );
            }
        }
    }
}

/// The class grade job's setup: checkout of the course, dependency cache,
/// build, submissions, database URL, bubblewrap and its `AppArmor` switch;
/// their step indices.
fn class_grade_setup(job: &Value) -> [usize; 7] {
    let steps = steps(job);
    let course = checkout(steps, "course");
    let (cache, cached) = steps_using(job, "Swatinem/rust-cache@")
        .into_iter()
        .next()
        .expect("a dependency cache");
    assert_eq!(text(cached, &["with", "workspaces"]), "course");
    let build = step_running(job, &["cargo", "build", "--locked"]);
    assert_eq!(text(&steps[build], &["working-directory"]), "course");
    let fetch = steps
        .iter()
        .position(|s| s.get("id").and_then(Value::as_str) == Some("fetch"))
        .expect("a step fetches the submissions");
    let fetching = text(&steps[fetch], &["run"]);
    assert!(fetching.contains("git clone"), "repositories are cloned");
    assert!(
        text(&steps[fetch], &["env", "SUBMISSION_TOKEN"]).contains("secrets.SUBMISSION_TOKEN"),
        "private repositories need SUBMISSION_TOKEN"
    );
    let database_url = job_commands(job)
        .iter()
        .find_map(|(index, _, c)| {
            c.iter()
                .any(|w| w.starts_with("WORKBOOK_DATABASE_URL=postgres://"))
                .then_some(*index)
        })
        .expect("a step sets WORKBOOK_DATABASE_URL");
    assert!(
        text(&steps[database_url], &["run"]).contains("$GITHUB_ENV"),
        "WORKBOOK_DATABASE_URL reaches the grading step"
    );
    [
        course,
        cache,
        build,
        fetch,
        database_url,
        step_running(job, &["apt-get", "install", "bubblewrap"]),
        step_running(
            job,
            &[
                "sysctl",
                "-w",
                "kernel.apparmor_restrict_unprivileged_userns=0",
            ],
        ),
    ]
}

#[test]
fn the_class_workflow_grades_one_share_per_matrix_job() {
    let workflow = load(CLASS);
    let job = grade_job(&workflow);
    let needs = at(job, &["needs"]);
    assert!(
        needs.as_str() == Some("plan")
            || needs
                .as_sequence()
                .is_some_and(|n| n.iter().any(|x| x.as_str() == Some("plan"))),
        "grade needs plan"
    );
    assert_eq!(
        text(job, &["strategy", "matrix", "shard"]),
        "${{ fromJSON(needs.plan.outputs.shards) }}",
        "the matrix is the plan's list of shares"
    );
    assert_eq!(
        at(job, &["strategy", "fail-fast"]).as_bool(),
        Some(false),
        "one failed share stops the others"
    );

    let postgres = at(job, &["services", "postgres"]);
    assert!(text(postgres, &["image"]).starts_with("postgres:16"));
    assert!(text(postgres, &["options"]).contains("--health-cmd"));

    let setup = class_grade_setup(job);

    let passes = grade_passes(job);
    assert_eq!(passes.len(), 1, "one `workbook grade --batch` per share");
    let (index, step, command) = &passes[0];
    assert!(
        setup.iter().all(|before| before < index),
        "grading before its setup"
    );
    let args = workbook_args(command, "grade").unwrap();
    assert_eq!(flag_values(command, "--course"), ["course"]);
    assert_eq!(flag_values(args, "--batch"), ["submissions"]);
    assert_eq!(
        flag_values(args, "--shard"),
        ["${{ matrix.shard }}/${{ needs.plan.outputs.count }}"]
    );
    assert_eq!(flag_values(args, "--db"), ["$DB"]);
    assert!(text(step, &["env", "DB"]).contains("inputs.db"));
    assert!(
        !args.iter().any(|a| a == "--no-sandbox"),
        "the class is graded without the sandbox"
    );
    let out = flag_values(args, "--out");
    assert_eq!(out.len(), 1, "--out RESULTS");

    let (upload, uploaded) = steps_using(job, "actions/upload-artifact@")
        .into_iter()
        .next()
        .expect("the share's results are uploaded");
    assert!(upload > *index);
    assert_eq!(
        text(uploaded, &["if"]),
        "always()",
        "uploaded whatever happened"
    );
    assert_eq!(
        text(uploaded, &["with", "name"]),
        "results-${{ matrix.shard }}",
        "one artifact per share"
    );
    assert_eq!(
        uploaded_paths(uploaded),
        out,
        "the share's --out is uploaded"
    );
}

#[test]
fn the_gradebook_job_merges_every_share_into_csv_html_and_the_summary() {
    let workflow = load(CLASS);
    let job = at(&workflow, &["jobs", "gradebook"]);
    let needs: Vec<&str> = at(job, &["needs"])
        .as_sequence()
        .expect("needs: a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        needs.contains(&"grade"),
        "the gradebook waits for the shares"
    );
    let condition = text(job, &["if"]);
    assert!(
        condition.contains("!cancelled()") || condition.contains("always()"),
        "the gradebook runs after failed shares too: {condition}"
    );

    let (download, downloaded) = steps_using(job, "actions/download-artifact@")
        .into_iter()
        .next()
        .expect("the shares' results are downloaded");
    assert_eq!(text(downloaded, &["with", "pattern"]), "results-*");
    assert!(
        downloaded
            .get("with")
            .and_then(|w| w.get("merge-multiple"))
            .and_then(Value::as_bool)
            != Some(true),
        "merged into one folder, a student graded twice would be overwritten, not reported"
    );
    let into = text(downloaded, &["with", "path"]);

    let merges: Vec<_> = job_commands(job)
        .into_iter()
        .filter(|(_, _, c)| workbook_args(c, "gradebook").is_some())
        .collect();
    let (index, step, command) = merges
        .iter()
        .find(|(_, _, c)| {
            workbook_args(c, "gradebook")
                .unwrap()
                .iter()
                .any(|a| a == "--csv")
        })
        .expect("a step runs `workbook gradebook --csv`");
    assert!(index > &download);
    let args = workbook_args(command, "gradebook").unwrap();
    let csv = flag_values(args, "--csv");
    let html = flag_values(args, "--html");
    assert_eq!((csv.len(), html.len()), (1, 1), "--csv FILE --html FILE");
    let script = text(step, &["run"]);
    assert!(
        script.contains(&format!("{into}/results-*")),
        "every downloaded share is merged"
    );
    assert!(
        !command.iter().any(|w| w == "true"),
        "the merge's exit code is thrown away"
    );
    assert!(
        script.contains("exit \"$status\""),
        "the merge's exit code is the step's"
    );
    assert!(
        merges.iter().any(|(i, s, c)| i == index
            && text(s, &["run"]).contains("$GITHUB_STEP_SUMMARY")
            && !c.iter().any(|w| w == "--csv" || w == "--html")),
        "the gradebook's summary goes to the step summary"
    );

    let (upload, uploaded) = steps_using(job, "actions/upload-artifact@")
        .into_iter()
        .next()
        .expect("the gradebook is uploaded");
    assert!(upload > *index);
    assert_eq!(text(uploaded, &["if"]), "always()");
    let paths = uploaded_paths(uploaded);
    for file in csv.iter().chain(&html) {
        assert!(paths.contains(file), "{file} is not uploaded");
    }
}

/// The documents of a multi-document YAML file.
fn load_all(file: &str) -> Vec<Value> {
    use serde::Deserialize as _;
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_yaml::Deserializer::from_str(&text)
        .map(|doc| Value::deserialize(doc).unwrap_or_else(|e| panic!("{file}: {e}")))
        .filter(|v| !v.is_null())
        .collect()
}

/// The Job of `documents` whose pod template runs a container named `container`.
fn k8s_job<'a>(documents: &'a [Value], container: &str) -> (&'a Value, &'a Value) {
    documents
        .iter()
        .filter(|d| d.get("kind").and_then(Value::as_str) == Some("Job"))
        .find_map(|job| {
            at(job, &["spec", "template", "spec", "containers"])
                .as_sequence()?
                .iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(container))
                .map(|c| (job, c))
        })
        .unwrap_or_else(|| panic!("no Job runs a container `{container}`"))
}

/// A container's `sh -c` script.
fn k8s_script(container: &Value) -> &str {
    let command: Vec<&str> = at(container, &["command"])
        .as_sequence()
        .expect("command: a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(command, ["/bin/sh", "-c"]);
    at(container, &["args"])
        .as_sequence()
        .expect("args: a list")[0]
        .as_str()
        .expect("args: a script")
}

fn k8s_env<'a>(container: &'a Value, name: &str) -> &'a Value {
    at(container, &["env"])
        .as_sequence()
        .expect("env: a list")
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no {name} in the environment"))
}

/// The claim a volume mount of `container` reads, in the pod `spec`.
fn k8s_claim<'a>(spec: &'a Value, container: &Value, mount_path: &str) -> &'a str {
    let mount = at(container, &["volumeMounts"])
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m.get("mountPath").and_then(Value::as_str) == Some(mount_path))
        .unwrap_or_else(|| panic!("nothing mounted at {mount_path}"));
    let name = text(mount, &["name"]);
    let volume = at(spec, &["volumes"])
        .as_sequence()
        .unwrap()
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no volume {name}"));
    text(volume, &["persistentVolumeClaim", "claimName"])
}

#[test]
fn the_kubernetes_job_grades_share_index_plus_one_of_its_completions() {
    let documents = load_all(K8S);
    let (job, container) = k8s_job(&documents, "grade");
    assert_eq!(text(job, &["spec", "completionMode"]), "Indexed");
    let completions = at(job, &["spec", "completions"])
        .as_u64()
        .expect("completions: N");
    let parallelism = at(job, &["spec", "parallelism"])
        .as_u64()
        .expect("parallelism");
    assert!((1..=completions).contains(&parallelism));
    let spec = at(job, &["spec", "template", "spec"]);
    assert_eq!(text(spec, &["restartPolicy"]), "Never");

    let shards: u64 = text(k8s_env(container, "SHARDS"), &["value"])
        .parse()
        .expect("SHARDS is a number");
    assert_eq!(shards, completions, "SHARDS and completions differ");

    let script = k8s_script(container);
    assert!(
        script.contains("shard=$((JOB_COMPLETION_INDEX + 1))"),
        "the share is the index (from 0) plus one"
    );
    let passes: Vec<Vec<String>> = commands(script)
        .into_iter()
        .filter(|c| workbook_args(c, "grade").is_some())
        .collect();
    assert_eq!(passes.len(), 1, "one `workbook grade --batch` per pod");
    let args = workbook_args(&passes[0], "grade").unwrap();
    assert_eq!(flag_values(args, "--shard"), ["$shard/$SHARDS"]);
    assert_eq!(flag_values(args, "--batch"), ["/submissions"]);
    let out = flag_values(args, "--out");
    assert_eq!(out.len(), 1);
    assert!(
        out[0].contains("$shard"),
        "each share writes a folder of its own"
    );
    assert!(
        !args.iter().any(|a| a == "--no-sandbox"),
        "the example turns the sandbox off"
    );

    // What bubblewrap needs in a pod, without a privileged container.
    assert_eq!(at(spec, &["hostUsers"]).as_bool(), Some(false));
    assert_eq!(
        text(container, &["securityContext", "procMount"]),
        "Unmasked"
    );
    assert!(
        container
            .get("securityContext")
            .and_then(|s| s.get("privileged"))
            .is_none()
    );
    let database = at(
        k8s_env(container, "WORKBOOK_DATABASE_URL"),
        &["valueFrom", "secretKeyRef"],
    );
    assert_eq!(at(database, &["optional"]).as_bool(), Some(true));

    let submissions = k8s_claim(spec, container, "/submissions");
    let results = k8s_claim(spec, container, "/results");
    assert_ne!(submissions, results);
    assert!(out[0].starts_with("/results/"));

    // The gradebook reads every share's folder from the same claim.
    let (gradebook, book_container) = k8s_job(&documents, "gradebook");
    let gradebook_spec = at(gradebook, &["spec", "template", "spec"]);
    assert_eq!(
        k8s_claim(gradebook_spec, book_container, "/results"),
        results
    );
    let merges: Vec<Vec<String>> = commands(k8s_script(book_container))
        .into_iter()
        .filter(|c| workbook_args(c, "gradebook").is_some())
        .collect();
    let every_share = out[0].replace("$shard", "*");
    let merge = merges
        .iter()
        .find(|c| c.iter().any(|w| w == "--csv"))
        .expect("the gradebook writes a CSV");
    let args = workbook_args(merge, "gradebook").unwrap();
    assert!(
        args.contains(&every_share),
        "{every_share} is not merged: {args:?}"
    );
    assert_eq!(flag_values(args, "--html").len(), 1);
}

#[test]
fn words_split_as_the_shell_would() {
    assert_eq!(
        commands("a \\\n  --format markdown=\"$X\" 'b c'\n# note\n\nd"),
        [vec!["a", "--format", "markdown=$X", "b c"], vec!["d"]]
    );
}
