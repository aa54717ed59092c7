//! Building the exercises' check binaries in one cargo invocation, reading
//! cargo's JSON messages for the executables and the compiler errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use super::CompileError;

/// What the build produced.
#[derive(Debug, Default)]
pub struct Built {
    /// Exercise folder → its check binary.
    pub binaries: HashMap<PathBuf, PathBuf>,
    /// How many units cargo reported (compiled or already fresh).
    pub units: usize,
    /// Exercise folder → its compiler errors.
    pub errors: HashMap<PathBuf, Vec<CompileError>>,
    /// Cargo's own error output, when the build failed without compiler messages
    /// (a broken `Cargo.toml`, no network for a new dependency).
    pub cargo_failure: Option<String>,
}

/// One line of cargo's JSON output (the fields used here).
#[derive(Deserialize)]
struct CargoLine {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Diagnostic {
    message: String,
    level: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
}

/// Removes ANSI colour sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What the last successful build of a set of exercises produced, so a warm
/// `workbook check` with nothing changed need not ask cargo (its no-op check
/// alone costs over 100 ms).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Cache {
    packages: Vec<String>,
    binaries: HashMap<PathBuf, PathBuf>,
    /// When that build started, in nanoseconds since the epoch.
    started: u128,
}

/// Whether a build of a copy of the course may skip cargo when nothing
/// changed since its last build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reuse {
    /// Always ask cargo (copies whose crates share versions with others:
    /// another copy may have rebuilt the binaries since).
    #[default]
    Never,
    /// The copy's crates build under versions no other copy uses, so its
    /// binaries are its own until it rebuilds them.
    OwnVersions,
}

fn cache_file(course_root: &Path) -> PathBuf {
    course_root
        .join(crate::store::STORE_DIR)
        .join("build-cache.json")
}

fn nanos(time: std::time::SystemTime) -> u128 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Whether any file under `dir` (build output aside) changed after `since`.
fn changed_since(dir: &Path, since: u128) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    for entry in entries.flatten() {
        if entry.file_name() == "target" {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            return true;
        };
        if meta.modified().map_or(true, |m| nanos(m) >= since)
            || (meta.is_dir() && changed_since(&entry.path(), since))
        {
            return true;
        }
    }
    false
}

/// The cached binaries, when nothing cargo would compile has changed since
/// they were built: the exercise folders, the support crate, the workspace
/// manifest and lock file. Anything else (a newer file, a missing binary) asks
/// cargo, which decides as it always does.
fn cached(course_root: &Path, packages: &[String]) -> Option<Built> {
    let text = std::fs::read_to_string(cache_file(course_root)).ok()?;
    let cache: Cache = serde_json::from_str(&text).ok()?;
    if cache.packages != packages
        || cache.binaries.len() != packages.len()
        || cache.binaries.values().any(|b| !b.is_file())
    {
        return None;
    }
    let newer = |path: &Path| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map_or(true, |t| nanos(t) >= cache.started)
    };
    if newer(&course_root.join("Cargo.toml")) || newer(&course_root.join("Cargo.lock")) {
        return None;
    }
    let mut dirs: Vec<PathBuf> = packages
        .iter()
        .map(|p| course_root.join("exercises").join(p))
        .collect();
    dirs.push(course_root.join("exercises").join("support"));
    if dirs.iter().any(|d| changed_since(d, cache.started)) {
        return None;
    }
    Some(Built {
        binaries: cache.binaries,
        ..Built::default()
    })
}

/// Takes one line of cargo's JSON output into `built`.
fn take(line: &str, built: &mut Built, progress: &mut impl FnMut(&str)) {
    let Ok(message) = serde_json::from_str::<CargoLine>(line) else {
        return;
    };
    let dir = message
        .manifest_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    match message.reason.as_str() {
        "compiler-artifact" => {
            if let Some(target) = &message.target {
                built.units += 1;
                progress(&target.name);
                if target.name == "checks"
                    && target.kind.iter().any(|k| k == "test")
                    && let (Some(dir), Some(exe)) = (dir, message.executable)
                {
                    built.binaries.insert(dir, exe);
                }
            }
        }
        "compiler-message" => {
            let (Some(dir), Some(diagnostic)) = (dir, message.message) else {
                return;
            };
            if diagnostic.level != "error" && diagnostic.level != "error: internal compiler error" {
                return;
            }
            let span = diagnostic
                .spans
                .iter()
                .find(|s| s.is_primary)
                .or(diagnostic.spans.first());
            built.errors.entry(dir).or_default().push(CompileError {
                file: span.map(|s| s.file_name.clone()).unwrap_or_default(),
                line: span.map_or(0, |s| s.line_start),
                column: span.map_or(0, |s| s.column_start),
                message: diagnostic.message,
                rendered: strip_ansi(diagnostic.rendered.as_deref().unwrap_or_default())
                    .trim_end()
                    .to_owned(),
            });
        }
        _ => {}
    }
}

fn units_file(course_root: &Path) -> PathBuf {
    course_root
        .join(crate::store::STORE_DIR)
        .join("build-units")
}

/// How many units the last build of the course reported: the progress bar's
/// total (builds of the same exercises report about as many). `None` before
/// the first build.
pub fn estimate_units(course_root: &Path) -> Option<usize> {
    std::fs::read_to_string(units_file(course_root))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Builds the `checks` test binary of every package in `packages` at once.
/// `progress` is called with each compiled unit's name.
pub async fn build(
    course_root: &Path,
    packages: &[String],
    target_dir: Option<&Path>,
    reuse: Reuse,
    mut progress: impl FnMut(&str),
) -> std::io::Result<Built> {
    // The course's own build is cached, and a copy's when its crates build
    // under versions of its own; `dev verify`'s copies share versions.
    let cacheable = target_dir.is_none() || reuse == Reuse::OwnVersions;
    if cacheable && let Some(built) = cached(course_root, packages) {
        return Ok(built);
    }
    let started = nanos(std::time::SystemTime::now());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = tokio::process::Command::new(cargo);
    command
        .current_dir(course_root)
        // Keep going: one exercise that does not compile must not keep the others from running.
        .args([
            "build",
            "--keep-going",
            "--message-format=json",
            "--test",
            "checks",
        ])
        .arg("--manifest-path")
        .arg(course_root.join("Cargo.toml"));
    for package in packages {
        command.arg("-p").arg(package);
    }
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|source| {
        std::io::Error::new(
            source.kind(),
            MissingCargo {
                program: command
                    .as_std()
                    .get_program()
                    .to_string_lossy()
                    .into_owned(),
                source,
            },
        )
    })?;
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    // Cargo's stderr is its progress noise; keep it only to explain a failure.
    let stderr_task = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let mut built = Built::default();
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        take(&line, &mut built, &mut progress);
    }
    let status = child.wait().await?;
    let stderr = stderr_task.await.unwrap_or_default();
    if cacheable && built.units > 0 {
        let _ = std::fs::create_dir_all(course_root.join(crate::store::STORE_DIR));
        let _ = std::fs::write(units_file(course_root), built.units.to_string());
    }
    if cacheable && status.success() && built.binaries.len() == packages.len() {
        let cache = Cache {
            packages: packages.to_vec(),
            binaries: built.binaries.clone(),
            started,
        };
        if let Ok(json) = serde_json::to_string(&cache) {
            let _ = std::fs::create_dir_all(course_root.join(crate::store::STORE_DIR));
            let _ = std::fs::write(cache_file(course_root), json);
        }
    } else if cacheable {
        let _ = std::fs::remove_file(cache_file(course_root));
    }
    if !status.success() && built.errors.is_empty() {
        let tail: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim_start().starts_with("Compiling"))
            .collect();
        built.cargo_failure = Some(tail[tail.len().saturating_sub(20)..].join("\n"));
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::strip_ansi;

    #[test]
    fn colour_codes_are_removed() {
        assert_eq!(
            strip_ansi("\u{1b}[1m\u{1b}[38;5;9merror\u{1b}[0m: x"),
            "error: x"
        );
    }
}

/// Why cargo could not be started, carried inside an I/O error so that the
/// command can name the program.
#[derive(Debug)]
pub struct MissingCargo {
    /// The program, as it was looked for (`cargo`, or `$CARGO`).
    pub program: String,
    /// The error starting it.
    pub source: std::io::Error,
}

impl std::fmt::Display for MissingCargo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot run `{}`: {}", self.program, self.source)
    }
}

impl std::error::Error for MissingCargo {}

/// Where builds of copies of the course at `course_root` go: `CARGO_TARGET_DIR`
/// when set, else the course's own `target` folder when it can be written
/// (dependencies are then compiled once for the course and every copy), else
/// a folder in the temp directory that later runs reuse.
pub fn target_dir(course_root: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let own = course_root.join("target");
    let probe = own.join(format!(".workbook-probe-{}", std::process::id()));
    let writable = std::fs::create_dir_all(&own).is_ok() && std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    if writable {
        own
    } else {
        std::env::temp_dir().join("workbook-target")
    }
}
