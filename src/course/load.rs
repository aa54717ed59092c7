//! Reading the course files from disk.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::bank::Bank;
use super::exercise::{EXERCISE_FILE, Exercise};
use super::lesson::Lesson;
use super::loaded::Loaded;
use super::manifest::{MANIFEST_FILE, Manifest};
use super::validate::{Validator, valid_id};
use super::{ContentErrors, Course};
use crate::diagnostic::Diagnostic;
use crate::suggest;
use crate::yaml::{self, LoadError};

pub(super) fn load(root: &Path) -> Result<Course, ContentErrors> {
    let mut diagnostics = Vec::new();
    let Some(manifest) = read::<Manifest>(root, Path::new(MANIFEST_FILE), &mut diagnostics) else {
        return Err(ContentErrors(diagnostics));
    };

    let lesson_files = file_stems(&root.join("lessons"), "yaml");
    let exercise_dirs = dir_names(&root.join("exercises"));
    let mut listed = Listing {
        root,
        manifest: &manifest,
        diagnostics: &mut diagnostics,
        unreadable: Vec::new(),
    };
    let mut lessons = Vec::new();
    let mut exercises = Vec::new();
    let mut banks = Vec::new();
    let bank_files = file_stems(&root.join("quiz"), "yaml");
    for (m, module) in manifest.value.modules.iter().enumerate() {
        for (l, id) in module.lessons.iter().enumerate() {
            let file = Path::new("lessons").join(format!("{id}.yaml"));
            let path = format!("modules[{m}].lessons[{l}]");
            lessons.extend(listed.read::<Lesson>(&path, &file, id, &lesson_files));
        }
        for (e, id) in module.exercises.iter().enumerate() {
            let file = Path::new("exercises").join(id).join(EXERCISE_FILE);
            let path = format!("modules[{m}].exercises[{e}]");
            exercises.extend(listed.read::<Exercise>(&path, &file, id, &exercise_dirs));
        }
        if let Some(quiz) = &module.quiz {
            let file = Path::new("quiz").join(format!("{quiz}.yaml"));
            let path = format!("modules[{m}].quiz");
            banks.extend(listed.read::<Bank>(&path, &file, quiz, &bank_files));
        }
    }
    let unreadable = listed.unreadable;
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

    let quizzes: Vec<&String> = manifest
        .value
        .modules
        .iter()
        .filter_map(|m| m.quiz.as_ref())
        .collect();
    for stem in &bank_files {
        if !quizzes.contains(&stem) {
            diagnostics.push(Diagnostic::file(
                Path::new("quiz").join(format!("{stem}.yaml")),
                format!("this quiz bank is not the `quiz` of any module in {MANIFEST_FILE}"),
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
    .run(&banks);

    if diagnostics.is_empty() {
        Ok(Course {
            root: root.to_path_buf(),
            manifest: manifest.value,
            lessons: lessons.into_iter().map(|l| l.value).collect(),
            exercises: exercises.into_iter().map(|e| e.value).collect(),
            banks: banks.into_iter().map(|b| b.value).collect(),
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

/// Something a manifest lists by id and that lives in a file of its own.
trait Listed {
    fn set_id(&mut self, id: &str);
}

impl Listed for Lesson {
    fn set_id(&mut self, id: &str) {
        id.clone_into(&mut self.id);
    }
}

impl Listed for Bank {
    fn set_id(&mut self, id: &str) {
        id.clone_into(&mut self.id);
    }
}

impl Listed for Exercise {
    fn set_id(&mut self, id: &str) {
        id.clone_into(&mut self.id);
    }
}

/// Reads the files the manifest lists.
struct Listing<'a> {
    root: &'a Path,
    manifest: &'a Loaded<Manifest>,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Ids whose files exist but could not be decoded: links into them are not
    /// reported, since their own errors already are.
    unreadable: Vec<String>,
}

impl Listing<'_> {
    /// Reads the file of `id`, listed at `path` in the manifest; a missing file is
    /// reported there, with the nearest of `existing` suggested.
    fn read<T: Listed + DeserializeOwned>(
        &mut self,
        path: &str,
        file: &Path,
        id: &str,
        existing: &[String],
    ) -> Option<Loaded<T>> {
        // An id becomes a path: one that is not a plain id (`../x`, `/etc/x`)
        // could name a file outside the course, so it is never read. The
        // validator reports the id itself.
        if !valid_id(id) {
            self.unreadable.push(id.to_owned());
            return None;
        }
        if !self.root.join(file).is_file() {
            self.diagnostics
                .push(missing(self.manifest, path, file, id, existing));
            return None;
        }
        let Some(mut loaded) = read::<T>(self.root, file, self.diagnostics) else {
            self.unreadable.push(id.to_owned());
            return None;
        };
        loaded.value.set_id(id);
        Some(loaded)
    }
}

/// Reads and decodes one YAML file, adding its problems to `diagnostics`.
fn read<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let path = root.join(file);
    // Through a link, a listed file could be any file on the machine.
    if let (Ok(real), Ok(base)) = (std::fs::canonicalize(&path), std::fs::canonicalize(root))
        && !real.starts_with(&base)
    {
        diagnostics.push(Diagnostic::file(
            file,
            format!(
                "this is a link to {}, outside the course folder; course files must be inside it",
                real.display()
            ),
        ));
        return None;
    }
    let node = match yaml::load(&path) {
        Ok(node) => node,
        Err(LoadError::Io(error)) => {
            let message = if error.kind() == std::io::ErrorKind::NotFound {
                format!("no such file; is this the course folder? (it holds {MANIFEST_FILE})")
            } else {
                format!("cannot read the file: {error}")
            };
            diagnostics.push(Diagnostic::file(file, message));
            return None;
        }
        Err(error) => {
            diagnostics.push(Diagnostic {
                file: file.to_path_buf(),
                mark: error.mark(),
                path: String::new(),
                message: error.to_string(),
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
