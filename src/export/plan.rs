//! What becomes of each path of the course in the student edition: copied as
//! it is, sealed, or left out, and why.

use std::path::{Component, Path, PathBuf};

use crate::course::{Course, MANIFEST_FILE};

/// Where the teacher keeps the students' CI workflow in the course.
pub const STUDENT_WORKFLOW: &str = ".github/student-workflow.yml";
/// Where the student edition has it.
pub const EXPORTED_WORKFLOW: &str = ".github/workflows/workbook.yml";

/// What the export does with one path of the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Copied byte for byte.
    Copied,
    /// Rewritten with its keys sealed.
    Sealed(CourseFile),
    /// Left out.
    Skipped(Skip),
}

/// A course file the export rewrites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseFile {
    /// `course.yaml`, marked as the student edition.
    Manifest,
    /// `quiz/<id>.yaml`.
    Bank(String),
    /// `lessons/<id>.yaml`.
    Lesson(String),
}

/// Why a path is left out of the student edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// `exercises/<id>/solution/`: the reference solutions.
    Solutions,
    /// `exercises/<id>/mistakes/`: typical mistakes, which show what passes by contrast.
    Mistakes,
    /// `exercises/<id>/variants/`: other right solutions.
    Variants,
    /// `quiz/answers/`: the teacher's own handed-in answers.
    QuizAnswers,
    /// `tests/` (but `tests/benches/`): workbook's own test suite, which runs
    /// the reference solutions and needs the full course.
    ToolTests,
    /// `.ci/`: the authors' CI, which runs that suite and `dev verify`.
    AuthorCi,
    /// `.github/workflows/`: the teacher's workflows; the students get theirs.
    TeacherWorkflows,
    /// `.github/student-workflow.yml`, which becomes the edition's workflow.
    WorkflowSource,
    /// `target/`, `.git/`, `.workbook/` anywhere: builds, history, progress.
    Local,
}

/// The fate of `relative`, a path in the course.
pub fn fate(course: &Course, relative: &Path) -> Fate {
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str().unwrap_or("\u{fffd}"),
            _ => "",
        })
        .collect();
    if parts
        .iter()
        .any(|p| matches!(*p, "target" | ".git" | ".workbook"))
    {
        return Fate::Skipped(Skip::Local);
    }
    let skip = match parts.as_slice() {
        ["exercises", _, "solution", ..] => Some(Skip::Solutions),
        ["exercises", _, "mistakes", ..] => Some(Skip::Mistakes),
        ["exercises", _, "variants", ..] => Some(Skip::Variants),
        ["quiz", "answers", ..] => Some(Skip::QuizAnswers),
        ["tests", "benches", ..] | ["tests"] => None,
        ["tests", ..] => Some(Skip::ToolTests),
        [".ci", ..] => Some(Skip::AuthorCi),
        [".github", "workflows", ..] => Some(Skip::TeacherWorkflows),
        _ if relative == Path::new(STUDENT_WORKFLOW) => Some(Skip::WorkflowSource),
        _ => None,
    };
    if let Some(skip) = skip {
        return Fate::Skipped(skip);
    }
    match parts.as_slice() {
        [file] if *file == MANIFEST_FILE => Fate::Sealed(CourseFile::Manifest),
        ["quiz", file] => stem(file)
            .filter(|id| course.banks.iter().any(|b| b.id == *id))
            .map_or(Fate::Copied, |id| {
                Fate::Sealed(CourseFile::Bank(id.to_owned()))
            }),
        ["lessons", file] => stem(file)
            .filter(|id| course.lesson(id).is_some())
            .map_or(Fate::Copied, |id| {
                Fate::Sealed(CourseFile::Lesson(id.to_owned()))
            }),
        _ => Fate::Copied,
    }
}

fn stem(file: &str) -> Option<&str> {
    file.strip_suffix(".yaml")
}

/// Where the file the export writes at `relative` (a path in the edition)
/// comes from in the course, and what is done to it; `None` when the edition
/// has nothing there.
pub fn source(course: &Course, relative: &Path) -> Option<(PathBuf, Fate)> {
    if relative == Path::new(EXPORTED_WORKFLOW) {
        return Some((PathBuf::from(STUDENT_WORKFLOW), Fate::Copied));
    }
    match fate(course, relative) {
        Fate::Skipped(_) => None,
        fate => Some((relative.to_path_buf(), fate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Course::load(root).expect("the shipped course loads")
    }

    #[test]
    fn what_students_do_not_get() {
        let course = course();
        for (path, skip) in [
            ("exercises/eager-tags/solution/src/lib.rs", Skip::Solutions),
            ("exercises/eager-tags/mistakes", Skip::Mistakes),
            (
                "exercises/founditem-schema/variants/unique-pair/src/lib.rs",
                Skip::Variants,
            ),
            ("quiz/answers/async-basics.yaml", Skip::QuizAnswers),
            ("tests/checker.rs", Skip::ToolTests),
            ("tests/fixtures", Skip::ToolTests),
            (".ci/run", Skip::AuthorCi),
            (".github/workflows/grade.yml", Skip::TeacherWorkflows),
            (".github/student-workflow.yml", Skip::WorkflowSource),
            ("exercises/eager-tags/target", Skip::Local),
            (".workbook/progress.sqlite", Skip::Local),
        ] {
            assert_eq!(
                fate(&course, Path::new(path)),
                Fate::Skipped(skip),
                "{path}"
            );
            assert_eq!(source(&course, Path::new(path)), None, "{path}");
        }
    }

    #[test]
    fn what_students_get() {
        let course = course();
        for path in [
            "Cargo.toml",
            "src/export.rs",
            "tests",
            "tests/benches/yaml_load_bench.rs",
            "exercises/eager-tags/src/lib.rs",
            "exercises/eager-tags/starter/src/lib.rs",
            "exercises/eager-tags/tests/checks.rs",
            "quiz/README.md",
            "lessons/notes.yaml",
        ] {
            assert_eq!(fate(&course, Path::new(path)), Fate::Copied, "{path}");
        }
        assert_eq!(
            fate(&course, Path::new("quiz/async-basics.yaml")),
            Fate::Sealed(CourseFile::Bank("async-basics".into()))
        );
        assert_eq!(
            fate(&course, Path::new("lessons/many-to-many-tags.yaml")),
            Fate::Sealed(CourseFile::Lesson("many-to-many-tags".into()))
        );
        assert_eq!(
            fate(&course, Path::new("course.yaml")),
            Fate::Sealed(CourseFile::Manifest)
        );
        assert_eq!(
            source(&course, Path::new(EXPORTED_WORKFLOW)),
            Some((PathBuf::from(STUDENT_WORKFLOW), Fate::Copied))
        );
    }
}
