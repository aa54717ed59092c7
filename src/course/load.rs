//! Reading the course files from disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::exercise::{EXERCISE_FILE, Exercise};
use super::lesson::Lesson;
use super::manifest::{MANIFEST_FILE, Manifest};
use super::validate::Validator;
use super::{ContentErrors, Course};
use crate::diagnostic::Diagnostic;
use crate::suggest;
use crate::yaml::{self, Mark};

/// Where each YAML path of one file starts.
pub(super) type Marks = HashMap<String, Mark>;

/// A decoded file and where its values are.
pub(super) struct Loaded<T> {
    pub value: T,
    pub file: PathBuf,
    pub marks: Marks,
}

pub(super) fn load(root: &Path) -> Result<Course, ContentErrors> {
    let mut diagnostics = Vec::new();
    let Some(manifest) = read::<Manifest>(root, Path::new(MANIFEST_FILE), &mut diagnostics) else {
        return Err(ContentErrors(diagnostics));
    };

    let mut lessons = Vec::new();
    let mut exercises = Vec::new();
    // Files that exist but could not be decoded: links into them are not
    // reported, since their own errors already are.
    let mut unreadable = Vec::new();
    let lesson_files = file_stems(&root.join("lessons"), "yaml");
    let exercise_dirs = dir_names(&root.join("exercises"));
    for (m, module) in manifest.value.modules.iter().enumerate() {
        for (l, id) in module.lessons.iter().enumerate() {
            let file = Path::new("lessons").join(format!("{id}.yaml"));
            if !root.join(&file).is_file() {
                diagnostics.push(missing(
                    &manifest,
                    &format!("modules[{m}].lessons[{l}]"),
                    &file,
                    id,
                    &lesson_files,
                ));
                continue;
            }
            match read::<Lesson>(root, &file, &mut diagnostics) {
                Some(mut lesson) => {
                    lesson.value.id.clone_from(id);
                    lessons.push(lesson);
                }
                None => unreadable.push(id.clone()),
            }
        }
        for (e, id) in module.exercises.iter().enumerate() {
            let file = Path::new("exercises").join(id).join(EXERCISE_FILE);
            if !root.join(&file).is_file() {
                diagnostics.push(missing(
                    &manifest,
                    &format!("modules[{m}].exercises[{e}]"),
                    &file,
                    id,
                    &exercise_dirs,
                ));
                continue;
            }
            match read::<Exercise>(root, &file, &mut diagnostics) {
                Some(mut exercise) => {
                    exercise.value.id.clone_from(id);
                    exercises.push(exercise);
                }
                None => unreadable.push(id.clone()),
            }
        }
        if let Some(quiz) = &module.quiz {
            let file = Path::new("quiz").join(format!("{quiz}.yaml"));
            if !root.join(&file).is_file() {
                let banks = file_stems(&root.join("quiz"), "yaml");
                diagnostics.push(missing(
                    &manifest,
                    &format!("modules[{m}].quiz"),
                    &file,
                    quiz,
                    &banks,
                ));
            }
        }
    }
    // A lesson file nobody lists would never be shown: almost always a forgotten line.
    let listed: Vec<&String> = manifest
        .value
        .modules
        .iter()
        .flat_map(|m| &m.lessons)
        .collect();
    for stem in &lesson_files {
        if !listed.contains(&stem) {
            diagnostics.push(Diagnostic::file(
                Path::new("lessons").join(format!("{stem}.yaml")),
                format!("this lesson is not listed in any module of {MANIFEST_FILE}; add `{stem}` to a module's `lessons`"),
            ));
        }
    }

    Validator::new(
        &manifest,
        &lessons,
        &exercises,
        &unreadable,
        &mut diagnostics,
    )
    .run();

    if diagnostics.is_empty() {
        Ok(Course {
            root: root.to_path_buf(),
            manifest: manifest.value,
            lessons: lessons.into_iter().map(|l| l.value).collect(),
            exercises: exercises.into_iter().map(|e| e.value).collect(),
        })
    } else {
        diagnostics.sort_by(|a, b| {
            (&a.file, a.mark.map(|m| (m.line, m.col)))
                .cmp(&(&b.file, b.mark.map(|m| (m.line, m.col))))
        });
        diagnostics.dedup();
        Err(ContentErrors(diagnostics))
    }
}

/// Reads and decodes one YAML file, adding its problems to `diagnostics`.
fn read<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let text = match std::fs::read(root.join(file)) {
        Ok(bytes) => {
            if let Ok(text) = String::from_utf8(bytes) {
                text
            } else {
                diagnostics.push(Diagnostic::file(file, "the file is not UTF-8 text"));
                return None;
            }
        }
        Err(error) => {
            let message = if error.kind() == std::io::ErrorKind::NotFound {
                format!("no such file; is this the course folder? (it holds {MANIFEST_FILE})")
            } else {
                format!("cannot read the file: {error}")
            };
            diagnostics.push(Diagnostic::file(file, message));
            return None;
        }
    };
    let node = match yaml::node::parse(&text) {
        Ok(node) => node,
        Err(error) => {
            diagnostics.push(Diagnostic {
                file: file.to_path_buf(),
                mark: Some(error.mark),
                path: String::new(),
                message: format!("invalid YAML: {}", error.message),
            });
            return None;
        }
    };
    let decoded = yaml::decode::<T>(&node);
    diagnostics.extend(decoded.problems.into_iter().map(|p| Diagnostic {
        file: file.to_path_buf(),
        mark: Some(p.mark),
        path: p.path,
        message: p.message,
    }));
    decoded.value.map(|value| Loaded {
        value,
        file: file.to_path_buf(),
        marks: decoded.marks,
    })
}

fn missing(
    manifest: &Loaded<Manifest>,
    path: &str,
    file: &Path,
    id: &str,
    existing: &[String],
) -> Diagnostic {
    let shown = file.to_string_lossy().replace('\\', "/");
    let message = format!(
        "`{id}` has no file {shown}{}",
        suggest::suffix(id, existing.iter().map(String::as_str))
    );
    Diagnostic {
        file: manifest.file.clone(),
        mark: manifest.marks.get(path).copied(),
        path: path.to_owned(),
        message,
    }
}

/// The names of the files in `dir` with extension `ext`, without it, sorted.
fn file_stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// The names of the folders in `dir`, sorted.
fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
