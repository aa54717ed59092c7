//! The grade report formats, read by the programs that consume them rather
//! than by our own eyes: the `JUnit` XML by Python's `junitparser`, the JSON by
//! a checker of the Exercism test-runner results (version 3), the Markdown by
//! `markdown-it-py` with GitHub's tables. Python packages live in a venv under
//! `target/pyenv`, made and filled once; without `python3`, its venv module
//! or access to the Python package index these tests fail and say what to
//! install.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use workbook::cli::ReportFormat;
use workbook::grade::model::{Grade, Verdict};
use workbook::grade::report::{render, sample};
use workbook::lang::Lang;

/// The consumers, pinned so that a new release cannot change a verdict.
const PACKAGES: [&str; 2] = ["junitparser==5.0.3", "markdown-it-py==4.3.0"];

/// The venv's Python, made on first use.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(setup)
}

fn setup() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder");
    let venv = target.join("pyenv");
    let python = venv.join("bin").join("python");
    // Another test process, or .ci/lint-workflows (which shares the venv and
    // this lock), may be installing too.
    let lock = File::create(target.join("pyenv.lock")).expect("create target/pyenv.lock");
    lock.lock().expect("lock target/pyenv.lock");
    if ready(&python).is_ok() {
        return python;
    }
    if !python.exists() {
        match Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .output()
        {
            Err(error) => panic!(
                "these tests need python3 ({error}); install it with its venv module \
                 (Debian: apt-get install python3 python3-venv)"
            ),
            Ok(out) if !out.status.success() => panic!(
                "`python3 -m venv {}` failed: install Python's venv module (Debian: apt-get \
                 install python3-venv), then remove {0}\n{}",
                venv.display(),
                String::from_utf8_lossy(&out.stderr)
            ),
            Ok(_) => {}
        }
    }
    let out = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
        ])
        .args(PACKAGES)
        .output()
        .expect("run the venv's python");
    assert!(
        out.status.success(),
        "pip could not install {}: it needs access to PyPI, and a venv with pip \
         (Debian: apt-get install python3-venv, then remove {})\n{}",
        PACKAGES.join(" "),
        venv.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Err(error) = ready(&python) {
        panic!(
            "{} cannot import what pip installed:\n{error}",
            python.display()
        );
    }
    python
}

/// Whether the venv has the pinned packages and can import them; why not,
/// if not.
fn ready(python: &Path) -> Result<(), String> {
    let pins: Vec<String> = PACKAGES
        .iter()
        .map(|p| {
            let (name, version) = p.split_once("==").expect("pinned");
            format!("({name:?}, {version:?})")
        })
        .collect();
    let script = format!(
        "import importlib.metadata as m, junitparser, markdown_it\n\
         for name, version in [{}]:\n    \
         assert m.version(name) == version, (name, m.version(name))",
        pins.join(", ")
    );
    let out = Command::new(python)
        .args(["-c", &script])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Runs `script` on `input`; its standard output, parsed as JSON.
fn run(script: &str, input: &str) -> Value {
    let mut child = Command::new(python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to python");
    let out = child.wait_with_output().expect("wait for python");
    assert!(
        out.status.success(),
        "the consumer rejected:\n{input}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python prints JSON")
}

/// What `junitparser` reads: counts, and each suite's properties and cases.
const JUNIT: &str = r#"
import json, sys
from junitparser import JUnitXml
xml = JUnitXml.fromstring(sys.stdin.buffer.read())
suites = []
for suite in xml:
    cases = [
        {
            "classname": case.classname,
            "name": case.name,
            "results": [type(r).__name__.lower() + ": " + (r.message or "") for r in case.result],
        }
        for case in suite
    ]
    properties = {p.name: p.value for p in suite.properties()}
    suites.append({"name": suite.name, "properties": properties, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "suites": suites}))
"#;

#[test]
fn junit_is_read_by_junitparser() {
    let parsed = run(
        JUNIT,
        &render(&sample::grade(), ReportFormat::Junit, Lang::En),
    );
    assert_eq!(
        (&parsed["tests"], &parsed["failures"], &parsed["errors"]),
        (&12.into(), &4.into(), &2.into())
    );
    let suites = parsed["suites"].as_array().unwrap();
    let names: Vec<&str> = suites.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "pool-basics",
            "transfer",
            "founditem-schema",
            "eager-tags",
            "quiz",
            "style"
        ]
    );
    for suite in suites {
        assert_eq!(suite["properties"]["score"], "54");
        assert_eq!(suite["properties"]["letter"], "C");
    }
    assert_eq!(
        suites[3]["cases"],
        serde_json::json!([
            {"classname": "eager-tags", "name": "loads-tags", "results": []},
            {
                "classname": "eager-tags",
                "name": "no-n-plus-one",
                "results": ["failure: 11 queries for 10 posts; expected at most 2"]
            }
        ])
    );
    assert_eq!(
        suites[1]["cases"][0]["results"],
        serde_json::json!(["error: the exercise does not compile"])
    );
    assert_eq!(suites[4]["cases"][1]["name"], "relations-performance");
    assert_eq!(suites[5]["cases"].as_array().unwrap().len(), 2);

    // Hostile text comes back as the text it was (sanitised), not as markup.
    let parsed = run(
        JUNIT,
        &render(&sample::hostile(), ReportFormat::Junit, Lang::En),
    );
    let failure = parsed["suites"][3]["cases"][1]["results"][0]
        .as_str()
        .unwrap();
    assert!(
        failure.starts_with("failure: 50% done | really, yes: <script>alert(1)</script>"),
        "{failure}"
    );
    assert!(
        failure.contains("\\n::error::pwned\\n\\u{1b}[2Jcleared"),
        "{failure}"
    );
}

/// Checks a document against the Exercism test-runner interface, version 3,
/// and prints its status.
const EXERCISM_V3: &str = r#"
import json, sys
doc = json.load(sys.stdin)
def need(ok, what):
    if not ok:
        raise SystemExit("not Exercism v3: " + what)
need(type(doc.get("version")) is int and doc["version"] == 3, "version must be the integer 3")
need(doc.get("status") in ("pass", "fail", "error"), "status must be pass, fail or error")
if doc["status"] == "error":
    need(isinstance(doc.get("message"), str) and doc["message"], "an error needs a message")
else:
    need(doc.get("message") is None, "message is only for error")
need(isinstance(doc.get("tests"), list), "tests must be a list")
for test in doc["tests"]:
    name = test.get("name")
    need(isinstance(name, str) and name, "a test needs a name")
    need(test.get("status") in ("pass", "fail", "error"), name + ": status")
    message = test.get("message")
    if test["status"] == "pass":
        need(message is None, name + ": a passing test has no message")
    else:
        need(isinstance(message, str) and message, name + ": a failing test needs a message")
    output = test.get("output")
    need(output is None or isinstance(output, str), name + ": output must be a string or null")
    need(output is None or len(output) <= 500, name + ": output over 500 characters")
    if "task_id" in test:
        need(type(test["task_id"]) is int and test["task_id"] >= 1, name + ": task_id")
    if "test_code" in test:
        need(isinstance(test["test_code"], str), name + ": test_code")
statuses = [t["status"] for t in doc["tests"]]
if doc["status"] == "pass":
    need(all(s == "pass" for s in statuses), "pass with a test that is not")
print(json.dumps({"status": doc["status"], "tests": len(doc["tests"])}))
"#;

fn exercism(grade: &Grade) -> Value {
    run(EXERCISM_V3, &render(grade, ReportFormat::Json, Lang::Ru))
}

#[test]
fn json_is_exercism_v3() {
    let checked = exercism(&sample::grade());
    assert_eq!(checked, serde_json::json!({"status": "fail", "tests": 8}));
    assert_eq!(exercism(&sample::hostile())["status"], "fail");

    let mut long = sample::grade();
    long.modules[1].exercises[1].checks[1].evidence = vec!["ы\x1b".repeat(2_000)];
    long.modules[0].exercises[1].compile_errors[0].rendered = "error: ".repeat(1_000);
    assert_eq!(exercism(&long)["status"], "fail");

    let mut nothing_built = sample::grade();
    for exercise in nothing_built
        .modules
        .iter_mut()
        .flat_map(|m| &mut m.exercises)
    {
        exercise.compiled = false;
        for check in &mut exercise.checks {
            check.verdict = Verdict::Error;
        }
    }
    assert_eq!(exercism(&nothing_built)["status"], "error");

    let mut all_green = sample::grade();
    for exercise in all_green.modules.iter_mut().flat_map(|m| &mut m.exercises) {
        exercise.compiled = true;
        for check in &mut exercise.checks {
            check.verdict = Verdict::Pass;
        }
    }
    assert_eq!(exercism(&all_green)["status"], "pass");
}

/// Renders Markdown as GitHub does (tables on, raw HTML allowed) and prints
/// the tables' cells and whether any `<script>` element came out.
const MARKDOWN: &str = r#"
import json, sys
from html.parser import HTMLParser
from markdown_it import MarkdownIt
html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(sys.stdin.read())
class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.script = [], None, False
    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.script = True
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self.cell)
            self.cell = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
parser = Tables()
parser.feed(html)
print(json.dumps({"tables": parser.tables, "script": parser.script}))
"#;

#[test]
fn markdown_tables_render_as_tables() {
    let rendered = run(
        MARKDOWN,
        &render(&sample::grade(), ReportFormat::Markdown, Lang::En),
    );
    let tables = rendered["tables"].as_array().unwrap();
    assert_eq!(
        tables.len(),
        4,
        "parts, modules, style, tampering: {tables:?}"
    );
    assert_eq!(
        tables[0],
        serde_json::json!([
            ["Part", "Weight", "Earned", "Adds"],
            ["Exercises", "70 %", "55 %", "38.5"],
            ["Quiz", "20 %", "45 %", "9"],
            ["Style", "10 %", "65 %", "6.5"],
            ["Total", "", "", "54"]
        ])
    );
    assert_eq!(
        tables[1],
        serde_json::json!([
            ["Module", "Score", "Exercises", "Quiz"],
            [
                "Async engine, connections and transactions",
                "58.89 %",
                "5/10",
                "✅ 90 %"
            ],
            [
                "Advanced: relations and performance",
                "46.67 %",
                "6/10",
                "❌ no score"
            ]
        ])
    );

    let rendered = run(
        MARKDOWN,
        &render(&sample::hostile(), ReportFormat::Markdown, Lang::En),
    );
    assert_eq!(rendered["script"], false);
    let tables = rendered["tables"].as_array().unwrap();
    assert_eq!(
        tables[2][2],
        serde_json::json!([
            "exercises/founditem-schema/src/lib.rs:23",
            "clippy::needless_return: a | b `c` <d>"
        ])
    );
    assert_eq!(
        tables[3],
        serde_json::json!([
            ["Path", "What"],
            [
                "exercises/eager-tags/tests/checks.rs",
                "a course file was changed; the course's version was used"
            ],
            [
                "exercises/x|y/<script>,a:b%.rs",
                "a file added outside the editable files; ignored"
            ]
        ])
    );
}
