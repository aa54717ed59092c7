//! The course: its manifest, lessons and exercise metadata, loaded and checked.
//!
//! [`Course::load`] either returns a course whose every link resolves, or every
//! content error it found, each naming the file, line, column and YAML path.

pub mod bank;
pub mod compare;
pub mod copy;
pub mod exercise;
pub mod lesson;
mod load;
mod loaded;
pub mod manifest;
pub mod paths;
pub mod seal;
pub mod text;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use bank::Bank;
pub use exercise::Exercise;
pub use lesson::{Lesson, Level, SectionKind, Step};
pub use manifest::{Edition, MANIFEST_FILE, Manifest, Module, Rubric};
pub use text::Text;

use crate::diagnostic::Diagnostic;

/// The content format this workbook reads.
pub const FORMAT_VERSION: u32 = 1;

/// A loaded, validated course.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder holding `course.yaml`.
    pub root: PathBuf,
    /// The manifest.
    pub manifest: Manifest,
    /// Every lesson, in course order.
    pub lessons: Vec<Lesson>,
    /// Every exercise, in course order.
    pub exercises: Vec<Exercise>,
    /// Every quiz bank, in course order.
    pub banks: Vec<Bank>,
}

/// A step found by its link, with where it sits in its lesson.
#[derive(Debug, Clone, Copy)]
pub struct StepRef<'a> {
    /// The lesson's module.
    pub module: &'a Module,
    /// The lesson.
    pub lesson: &'a Lesson,
    /// The step's section.
    pub section: SectionKind,
    /// The step.
    pub step: &'a Step,
}

impl Course {
    /// Loads and validates the course at `root`.
    pub fn load(root: &Path) -> Result<Course, ContentErrors> {
        load::load(root)
    }

    /// The modules in study order.
    pub fn modules(&self) -> &[Module] {
        &self.manifest.modules
    }

    /// A lesson by id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The module that holds a lesson.
    pub fn module_of(&self, lesson_id: &str) -> Option<&Module> {
        self.modules()
            .iter()
            .find(|m| m.lessons.iter().any(|l| l == lesson_id))
    }

    /// The lessons of a module, in order.
    pub fn lessons_of<'a>(&'a self, module: &'a Module) -> impl Iterator<Item = &'a Lesson> + 'a {
        module.lessons.iter().filter_map(|id| self.lesson(id))
    }

    /// A module by id.
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules().iter().find(|m| m.id == id)
    }

    /// A module's quiz bank.
    pub fn bank_of(&self, module: &Module) -> Option<&Bank> {
        let id = module.quiz.as_deref()?;
        self.banks.iter().find(|b| b.id == id)
    }

    /// A step by its link, `lesson#step`.
    pub fn step(&self, link: &str) -> Option<StepRef<'_>> {
        let (lesson, step) = link.split_once('#')?;
        let lesson = self.lesson(lesson)?;
        self.steps(lesson, Level::Advanced)
            .into_iter()
            .find(|s| s.step.id == step)
    }

    /// An exercise by id.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// The steps of a lesson in reading order, on a track.
    pub fn steps<'a>(&'a self, lesson: &'a Lesson, track: Level) -> Vec<StepRef<'a>> {
        let Some(module) = self.module_of(&lesson.id) else {
            return Vec::new();
        };
        lesson
            .sections
            .in_order()
            .into_iter()
            .flat_map(|(section, steps)| {
                steps
                    .iter()
                    .filter(move |s| s.level.shown_on(track))
                    .map(move |step| StepRef {
                        module,
                        lesson,
                        section,
                        step,
                    })
            })
            .collect()
    }

    /// Every step of every lesson, in course order.
    pub fn all_steps(&self) -> Vec<StepRef<'_>> {
        self.lessons
            .iter()
            .flat_map(|l| self.steps(l, Level::Advanced))
            .collect()
    }
}

/// Every content error found while loading, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<Diagnostic>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} {} in the course content",
            if n == 1 { "error" } else { "errors" }
        )
    }
}

impl std::error::Error for ContentErrors {}
