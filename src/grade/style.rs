//! The style part of a grade: rustfmt and clippy on the student's editable
//! Rust files only (the course's own files are not the student's to fix),
//! run in the graded copy of the course.

use std::path::{Path, PathBuf};

use tokio::process::Command;

use super::model::{Style, StyleWarning};
use crate::course::text::Text;

/// Measures style in the course copy at `root` for the installed editable
/// files `files` (relative to `root`) of the exercises `packages` that compiled.
pub async fn measure(
    root: &Path,
    target_dir: &Path,
    files: &[PathBuf],
    packages: &[String],
) -> Style {
    let rust: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .collect();
    let mut style = Style {
        measured: true,
        ..Style::default()
    };
    if rust.is_empty() {
        return style;
    }
    match unformatted(root, &rust).await {
        Ok(files) => style.unformatted = files,
        Err(problem) => {
            style.measured = false;
            style.problem = Some(problem);
            return style;
        }
    }
    if !packages.is_empty() {
        match clippy(root, target_dir, packages, &rust).await {
            Ok(warnings) => style.warnings = warnings,
            Err(problem) => {
                style.measured = false;
                style.problem = Some(problem);
            }
        }
    }
    style
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The files rustfmt would change (`rustfmt --check`, with the course's
/// `rustfmt.toml` if it has one, found from each file upwards).
async fn unformatted(root: &Path, files: &[&PathBuf]) -> Result<Vec<String>, Text> {
    let mut found = Vec::new();
    for file in files {
        let output = Command::new("rustfmt")
            .current_dir(root)
            .args(["--check", "--edition", "2024"])
            .arg(file)
            .output()
            .await
            .map_err(|e| {
                Text::new(
                    format!("cannot run rustfmt ({e}): install it with `rustup component add rustfmt`"),
                    format!("не удалось запустить rustfmt ({e}): установите его командой `rustup component add rustfmt`"),
                )
            })?;
        // 1 with a diff: it would reformat. Anything else: formatted, or it
        // could not parse the file, which the compile error already reports.
        if output.status.code() == Some(1) && !output.stdout.is_empty() {
            found.push(shown(file));
        }
    }
    Ok(found)
}

/// Clippy's warnings whose primary place is one of `files`.
async fn clippy(
    root: &Path,
    target_dir: &Path,
    packages: &[String],
    files: &[&PathBuf],
) -> Result<Vec<StyleWarning>, Text> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["clippy", "--quiet", "--message-format=json"]);
    for package in packages {
        command.arg("-p").arg(package);
    }
    let output = command.output().await.map_err(|e| {
        Text::new(
            format!("cannot run `cargo clippy` ({e}): install it with `rustup component add clippy`"),
            format!("не удалось запустить `cargo clippy` ({e}): установите его командой `rustup component add clippy`"),
        )
    })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() && !stdout.contains("\"reason\":\"compiler-message\"") {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail = workbook_support::sanitize::capped(stderr.trim(), 300);
        return Err(Text::new(
            format!("`cargo clippy` failed: {tail}"),
            format!("`cargo clippy` завершился с ошибкой: {tail}"),
        ));
    }
    let wanted: Vec<String> = files.iter().map(|f| shown(f)).collect();
    let mut warnings = Vec::new();
    for line in stdout.lines() {
        if let Some(warning) = warning_in(line, root, &wanted)
            && !warnings.contains(&warning)
        {
            warnings.push(warning);
        }
    }
    Ok(warnings)
}

/// A clippy warning from one line of cargo's JSON, if it is one and its
/// primary span is in one of `wanted` (relative to `root`).
fn warning_in(line: &str, root: &Path, wanted: &[String]) -> Option<StyleWarning> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    if value["reason"] != "compiler-message" {
        return None;
    }
    let message = &value["message"];
    if message["level"] != "warning" {
        return None;
    }
    let code = message["code"]["code"].as_str()?;
    if !code.starts_with("clippy::") {
        return None;
    }
    let span = message["spans"]
        .as_array()?
        .iter()
        .find(|s| s["is_primary"] == true)?;
    let file = span["file_name"].as_str()?;
    // Cargo gives paths relative to the workspace root, or absolute.
    let file = Path::new(file)
        .strip_prefix(root)
        .map_or_else(|_| file.to_owned(), shown);
    if !wanted.contains(&file) {
        return None;
    }
    Some(StyleWarning {
        file,
        line: usize::try_from(span["line_start"].as_u64()?).ok()?,
        lint: code.to_owned(),
        message: workbook_support::sanitize::inline(message["message"].as_str().unwrap_or("")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clippy_warnings_in_editable_files_count() {
        let line = |file: &str, code: &str, level: &str| {
            serde_json::json!({
                "reason": "compiler-message",
                "message": {
                    "level": level,
                    "message": "this `return` is needless",
                    "code": {"code": code},
                    "spans": [{"file_name": file, "line_start": 7, "is_primary": true}]
                }
            })
            .to_string()
        };
        let root = Path::new("/course");
        let wanted = vec!["exercises/x/src/lib.rs".to_owned()];
        let found = warning_in(
            &line(
                "exercises/x/src/lib.rs",
                "clippy::needless_return",
                "warning",
            ),
            root,
            &wanted,
        )
        .unwrap();
        assert_eq!(found.line, 7);
        assert_eq!(found.lint, "clippy::needless_return");
        assert!(
            warning_in(
                &line("/course/exercises/x/src/lib.rs", "clippy::x", "warning"),
                root,
                &wanted
            )
            .is_some()
        );
        assert!(
            warning_in(
                &line("exercises/x/tests/checks.rs", "clippy::x", "warning"),
                root,
                &wanted
            )
            .is_none()
        );
        assert!(
            warning_in(
                &line("exercises/x/src/lib.rs", "unused_variables", "warning"),
                root,
                &wanted
            )
            .is_none()
        );
        assert!(
            warning_in(
                &line("exercises/x/src/lib.rs", "clippy::x", "error"),
                root,
                &wanted
            )
            .is_none()
        );
    }
}
