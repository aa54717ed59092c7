//! `workbook dev export DIR`: the student edition of the course, the
//! repository students get.
//!
//! The edition is a copy of the course without what would hand students the
//! answers or cannot run without them (see [`plan::Skip`]): reference
//! solutions, typical mistakes and variants, the teacher's handed-in quiz
//! answers, workbook's own test suite and the authors' CI. Quiz keys and blank
//! answers are sealed as salted digests ([`crate::course::seal`]), the lessons'
//! Solution steps say where solutions come from, `course.yaml` says
//! `edition: student`, and the teacher's `.github/student-workflow.yml` becomes
//! the edition's CI workflow. Students answer quizzes and blanks in the edition
//! and get the same verdicts as in the full course; the teacher grades their
//! work against the full course.
//!
//! The export is reproducible byte for byte: salts come from the items' ids,
//! and [`exported_bytes`] gives what it writes at any path, so a grader can
//! tell a file the edition changed from one a student changed.

mod check;
pub mod edit;
mod finite;
pub mod plan;
pub mod sealing;
pub mod summary;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use crate::course::copy::copy_tree;
use crate::course::paths::{FileAction, failed};
use crate::course::{Course, Edition, paths};
use crate::lang::Lang;

pub use plan::{EXPORTED_WORKFLOW, STUDENT_WORKFLOW, Skip};
pub use summary::Summary;

use edit::EditError;
use plan::{CourseFile, Fate};
use sealing::{FileReport, SealedFile};

/// Where solutions come from in the student edition, in English and Russian:
/// what `workbook solution` says there, and what the lessons' Solution steps read.
pub const SOLUTIONS_ELSEWHERE: (&str, &str) = (
    "The reference solutions are not part of the student edition: your teacher shares them (ask them, or see the course page).",
    "Эталонных решений нет в студенческой версии курса: их даёт преподаватель (спросите его или загляните на страницу курса).",
);

/// Why the student edition could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The folder given exists and holds something.
    #[error("{} is not empty", .0.display())]
    NotEmpty(PathBuf),
    /// The folder given is inside the course, which the copy would then copy.
    #[error("{} is inside the course", .0.display())]
    InsideCourse(PathBuf),
    /// The course is a student edition already.
    #[error("this course is a student edition already")]
    AlreadyStudent,
    /// A course file is written in a way that cannot be sealed line by line.
    #[error("{file}: {error}")]
    Unsealable {
        /// The file, relative to the course.
        file: String,
        /// Where and why.
        error: EditError,
    },
    /// Reading the course or writing the edition failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The written edition does not load, or marks a right answer wrong: a bug.
    #[error("the written edition fails its own check: {0}")]
    SelfCheck(String),
}

impl ExportError {
    /// The message and, where there is a way out, a hint, in `lang`.
    pub fn parts(&self, lang: Lang) -> (String, Option<String>) {
        match self {
            ExportError::NotEmpty(dir) => (
                lang.pick(
                    format!("{} is not empty", dir.display()),
                    format!("папка {} не пуста", dir.display()),
                ),
                Some(lang.pick(
                    "name a new or empty folder; the export never writes over files".to_owned(),
                    "укажите новую или пустую папку: экспорт никогда не пишет поверх файлов".to_owned(),
                )),
            ),
            ExportError::InsideCourse(dir) => (
                lang.pick(
                    format!("{} is inside the course", dir.display()),
                    format!("папка {} находится внутри курса", dir.display()),
                ),
                Some(lang.pick(
                    "write the student edition outside the course folder, e.g. ../course-student".to_owned(),
                    "запишите студенческую версию вне папки курса, например ../course-student".to_owned(),
                )),
            ),
            ExportError::AlreadyStudent => (
                lang.pick(
                    "this course is a student edition already (course.yaml says `edition: student`)",
                    "этот курс уже студенческая версия (в course.yaml указано `edition: student`)",
                )
                .to_owned(),
                Some(lang.pick(
                    "export from the full course".to_owned(),
                    "экспортируйте из полного курса".to_owned(),
                )),
            ),
            ExportError::Unsealable { file, error } => (
                lang.pick(
                    format!("cannot seal {file}, {error}"),
                    format!(
                        "не удаётся запечатать {file}, строка {}: «{}»",
                        error.line, error.message
                    ),
                ),
                None,
            ),
            ExportError::Io(error) => (crate::error::describe_io(error, lang), None),
            ExportError::SelfCheck(why) => (
                lang.pick(
                    format!("the written student edition fails its own check: {why}"),
                    format!("записанная студенческая версия не проходит собственную проверку: «{why}»"),
                ),
                None,
            ),
        }
    }

    /// The exit code: a refusal is a usage error, a failure the environment's.
    pub fn exit_code(&self) -> u8 {
        match self {
            ExportError::Io(_) | ExportError::SelfCheck(_) => crate::exit::ENVIRONMENT,
            _ => crate::exit::USAGE,
        }
    }
}

/// Writes the student edition of `course` to `dir`, which must be new or
/// empty and outside the course; on failure nothing is left in it.
pub fn export(course: &Course, dir: &Path) -> Result<Summary, ExportError> {
    if course.manifest.edition == Edition::Student {
        return Err(ExportError::AlreadyStudent);
    }
    let root = std::fs::canonicalize(&course.root)
        .map_err(|e| failed(e, FileAction::Open, &course.root))?;
    let existed = refuse(&root, dir)?;
    // Everything is sealed before anything is written.
    let sealed = seal_all(course, &root)?;
    std::fs::create_dir_all(dir).map_err(|e| failed(e, FileAction::Create, dir))?;
    let written = write(course, &root, dir, &sealed).and_then(|summary| {
        check(course, dir)?;
        Ok(summary)
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(dir);
        if existed {
            let _ = std::fs::create_dir(dir);
        }
    }
    written
}

/// Refuses a folder that holds something or lies inside the course. Whether
/// it exists.
fn refuse(root: &Path, dir: &Path) -> Result<bool, ExportError> {
    let existed = dir.exists();
    if existed {
        let mut entries = std::fs::read_dir(dir).map_err(|e| failed(e, FileAction::Read, dir))?;
        if entries.next().is_some() {
            return Err(ExportError::NotEmpty(dir.to_path_buf()));
        }
    }
    // The nearest folder that exists, resolved, with the rest of the path.
    let mut existing = dir.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        let Some(name) = existing.file_name() else {
            break;
        };
        rest.push(name.to_owned());
        existing.pop();
    }
    let base = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &existing
    };
    let mut resolved =
        std::fs::canonicalize(base).map_err(|e| failed(e, FileAction::Open, base))?;
    resolved.extend(rest.iter().rev());
    if resolved.starts_with(root) {
        return Err(ExportError::InsideCourse(dir.to_path_buf()));
    }
    Ok(existed)
}

/// Every course file the export rewrites, rewritten, by its path in the course.
fn seal_all(course: &Course, root: &Path) -> Result<BTreeMap<PathBuf, SealedFile>, ExportError> {
    let mut files = vec![PathBuf::from(crate::course::MANIFEST_FILE)];
    files.extend(
        course
            .banks
            .iter()
            .map(|b| Path::new("quiz").join(format!("{}.yaml", b.id))),
    );
    files.extend(
        course
            .lessons
            .iter()
            .map(|l| Path::new("lessons").join(format!("{}.yaml", l.id))),
    );
    let mut sealed = BTreeMap::new();
    for relative in files {
        if let Fate::Sealed(what) = plan::fate(course, &relative) {
            let file = seal_file(course, root, &relative, &what)?;
            sealed.insert(relative, file);
        }
    }
    Ok(sealed)
}

/// One course file, rewritten.
fn seal_file(
    course: &Course,
    root: &Path,
    relative: &Path,
    what: &CourseFile,
) -> Result<SealedFile, ExportError> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).map_err(|e| failed(e, FileAction::Read, &path))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let unsealable = |error| ExportError::Unsealable {
        file: relative.display().to_string(),
        error,
    };
    match what {
        CourseFile::Manifest => sealing::manifest(text)
            .map(|text| SealedFile {
                text,
                report: FileReport::default(),
            })
            .map_err(unsealable),
        CourseFile::Bank(id) => match course.banks.iter().find(|b| &b.id == id) {
            Some(bank) => sealing::bank(bank, text).map_err(unsealable),
            None => Err(ExportError::SelfCheck(format!("no bank `{id}`"))),
        },
        CourseFile::Lesson(id) => match course.lesson(id) {
            Some(lesson) => sealing::lesson(lesson, text).map_err(unsealable),
            None => Err(ExportError::SelfCheck(format!("no lesson `{id}`"))),
        },
    }
}

/// Copies the course to `dir` without what is skipped, then writes the
/// sealed files and the workflow.
fn write(
    course: &Course,
    root: &Path,
    dir: &Path,
    sealed: &BTreeMap<PathBuf, SealedFile>,
) -> Result<Summary, ExportError> {
    let skipped: RefCell<BTreeMap<Skip, BTreeSet<String>>> = RefCell::default();
    copy_tree(root, dir, &|relative| match plan::fate(course, relative) {
        Fate::Skipped(skip) => {
            let shown = relative.to_string_lossy().replace('\\', "/");
            skipped.borrow_mut().entry(skip).or_default().insert(shown);
            false
        }
        _ => true,
    })?;
    for (relative, file) in sealed {
        let path = dir.join(relative);
        std::fs::write(&path, &file.text).map_err(|e| failed(e, FileAction::Write, &path))?;
    }
    let source = root.join(STUDENT_WORKFLOW);
    let workflow = source.is_file();
    if workflow {
        let to = dir.join(EXPORTED_WORKFLOW);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| failed(e, FileAction::Create, parent))?;
        }
        paths::copy(&source, &to)?;
    }
    Ok(Summary {
        dir: dir.to_path_buf(),
        files: count_files(dir)?,
        skipped: skipped.into_inner(),
        sealed: sealed
            .iter()
            .map(|(path, file)| {
                (
                    path.to_string_lossy().replace('\\', "/"),
                    file.report.clone(),
                )
            })
            .filter(|(_, report)| *report != FileReport::default())
            .collect(),
        workflow,
    })
}

/// How many files are under `dir`.
fn count_files(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| failed(e, FileAction::Read, dir))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            count += count_files(&entry.path())?;
        } else {
            count += 1;
        }
    }
    Ok(count)
}

/// The written edition loads, and every right answer of the course is still
/// right in it, every wrong one still wrong.
fn check(course: &Course, dir: &Path) -> Result<(), ExportError> {
    let edition = Course::load(dir).map_err(|e| ExportError::SelfCheck(e.to_string()))?;
    if edition.manifest.edition != Edition::Student {
        return Err(ExportError::SelfCheck(
            "course.yaml is not marked `edition: student`".into(),
        ));
    }
    check::same_verdicts(course, &edition).map_err(ExportError::SelfCheck)
}

/// What the export writes at `relative`, a path in the student edition; `None`
/// when the edition has nothing there. The same bytes as [`export`] writes, so
/// a file of a student's repository that differs from them was changed after
/// the export.
pub fn exported_bytes(course: &Course, relative: &Path) -> io::Result<Option<Vec<u8>>> {
    let Some((source, fate)) = plan::source(course, relative) else {
        return Ok(None);
    };
    let root = std::fs::canonicalize(&course.root)?;
    let path = root.join(&source);
    // Like the copy: a link is followed only inside the course.
    let resolved = match std::fs::canonicalize(&path) {
        Ok(resolved) if resolved.is_file() => resolved,
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !resolved.starts_with(&root) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is a link outside the course folder", source.display()),
        ));
    }
    match fate {
        Fate::Sealed(what) => seal_file(course, &root, &source, &what)
            .map(|file| Some(file.text.into_bytes()))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
        _ => std::fs::read(&resolved).map(Some),
    }
}
