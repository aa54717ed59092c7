//! Where a student stands: the course and the progress store combined into
//! counts per lesson and module, and the next thing to do. Pure: no IO.

use crate::course::lesson::Level;
use crate::course::{Course, Lesson, Module, SectionKind};
use crate::store::Snapshot;

/// Counts for one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonStanding {
    /// The lesson id.
    pub id: String,
    /// Steps in the lesson (the Solution section included).
    pub steps: usize,
    /// Steps read.
    pub read: usize,
    /// Blanks in the lesson.
    pub blanks: usize,
    /// Blanks answered correctly.
    pub solved: usize,
    /// Blanks whose answer was revealed without a correct answer.
    pub revealed: usize,
    /// The step the student was last on, if any.
    pub current: Option<String>,
}

impl LessonStanding {
    /// Every step read and every blank answered or revealed.
    pub fn is_done(&self) -> bool {
        self.read == self.steps && self.solved + self.revealed == self.blanks
    }

    /// Nothing read yet.
    pub fn is_untouched(&self) -> bool {
        self.read == 0 && self.solved == 0 && self.revealed == 0
    }
}

/// Counts for one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExerciseStanding {
    /// The exercise id.
    pub id: String,
    /// Checks in the exercise.
    pub checks: usize,
    /// Checks whose latest run passed.
    pub passed: usize,
    /// Whether any check has been run.
    pub ran: bool,
}

/// Counts for one module.
#[derive(Debug, Clone, Default)]
pub struct ModuleStanding {
    /// The module id.
    pub id: String,
    /// Each lesson.
    pub lessons: Vec<LessonStanding>,
    /// Each exercise.
    pub exercises: Vec<ExerciseStanding>,
    /// The quiz bank id, and the results so far.
    pub quiz: Option<(String, crate::store::QuizSummary)>,
}

impl ModuleStanding {
    /// Steps read and steps in all.
    pub fn steps(&self) -> (usize, usize) {
        sum(self.lessons.iter().map(|l| (l.read, l.steps)))
    }

    /// Blanks answered, blanks revealed, blanks in all.
    pub fn blanks(&self) -> (usize, usize, usize) {
        let (solved, total) = sum(self.lessons.iter().map(|l| (l.solved, l.blanks)));
        (solved, self.lessons.iter().map(|l| l.revealed).sum(), total)
    }

    /// Exercises whose every check passed, and exercises in all.
    pub fn exercises_passed(&self) -> (usize, usize) {
        let passed = self
            .exercises
            .iter()
            .filter(|e| e.checks > 0 && e.passed == e.checks)
            .count();
        (passed, self.exercises.len())
    }
}

fn sum(pairs: impl Iterator<Item = (usize, usize)>) -> (usize, usize) {
    pairs.fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
}

/// The next thing a student should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Nothing read yet: start the first lesson.
    Start {
        /// The first lesson.
        lesson: String,
    },
    /// Go on with a lesson from where the student stopped.
    Continue {
        /// The lesson.
        lesson: String,
        /// The step the student was on.
        step: String,
    },
    /// The lesson where the student was is finished; open the next unfinished one.
    NextLesson {
        /// The lesson.
        lesson: String,
    },
    /// The lessons are done; an exercise does not pass yet.
    Exercise {
        /// The exercise.
        exercise: String,
    },
    /// The lessons and exercises are done; a module's quiz is not passed yet.
    Quiz {
        /// The module.
        module: String,
    },
    /// Every step is read, every blank answered, every check and quiz passed.
    AllDone,
}

/// The whole course.
#[derive(Debug, Clone)]
pub struct Standing {
    /// Each module, in order.
    pub modules: Vec<ModuleStanding>,
    /// What to do next.
    pub next: Next,
    /// The latest `workbook grade` of the working copy.
    pub grade: Option<crate::store::GradeRecord>,
}

impl Standing {
    /// Computes the standing from the course and the store's contents.
    pub fn new(course: &Course, snapshot: &Snapshot) -> Standing {
        let modules: Vec<ModuleStanding> = course
            .modules()
            .iter()
            .map(|module| module_standing(course, module, snapshot))
            .collect();
        let next = next_action(&modules, snapshot);
        Standing {
            modules,
            next,
            grade: snapshot.grade.clone(),
        }
    }

    /// Finished items and all items, over steps, blanks, exercise checks and quizzes:
    /// the numbers behind the progress bar.
    pub fn overall(&self) -> (usize, usize) {
        let mut done = 0;
        let mut total = 0;
        for module in &self.modules {
            let (read, steps) = module.steps();
            let (solved, revealed, blanks) = module.blanks();
            done += read + solved + revealed;
            total += steps + blanks;
            for exercise in &module.exercises {
                done += exercise.passed;
                total += exercise.checks;
            }
            if let Some((_, quiz)) = &module.quiz {
                done += usize::from(quiz.passed);
                total += 1;
            }
        }
        (done, total)
    }

    /// A lesson's counts.
    pub fn lesson(&self, id: &str) -> Option<&LessonStanding> {
        self.modules
            .iter()
            .flat_map(|m| &m.lessons)
            .find(|l| l.id == id)
    }
}

fn module_standing(course: &Course, module: &Module, snapshot: &Snapshot) -> ModuleStanding {
    let lessons = course
        .lessons_of(module)
        .map(|lesson| lesson_standing(lesson, snapshot))
        .collect();
    let exercises = module
        .exercises
        .iter()
        .filter_map(|id| course.exercise(id))
        .map(|exercise| {
            let passed = exercise
                .checks
                .iter()
                .filter(|c| snapshot.check_passed(&exercise.id, &c.id))
                .count();
            let ran = exercise.checks.iter().any(|c| {
                snapshot
                    .checks
                    .contains_key(&(exercise.id.clone(), c.id.clone()))
            });
            ExerciseStanding {
                id: exercise.id.clone(),
                checks: exercise.checks.len(),
                passed,
                ran,
            }
        })
        .collect();
    let quiz = module.quiz.as_ref().map(|id| {
        (
            id.clone(),
            snapshot.quiz.get(&module.id).copied().unwrap_or_default(),
        )
    });
    ModuleStanding {
        id: module.id.clone(),
        lessons,
        exercises,
        quiz,
    }
}

fn lesson_standing(lesson: &Lesson, snapshot: &Snapshot) -> LessonStanding {
    let mut standing = LessonStanding {
        id: lesson.id.clone(),
        current: snapshot.positions.get(&lesson.id).cloned(),
        ..LessonStanding::default()
    };
    for (section, steps) in lesson.sections.in_order() {
        for step in steps {
            standing.steps += 1;
            standing.read += usize::from(snapshot.has_read(&lesson.id, &step.id));
            // Blanks only count in practice steps; validation keeps them there.
            if section == SectionKind::Practice {
                for blank in &step.blanks {
                    let state = snapshot.blank(&lesson.id, &step.id, &blank.id);
                    standing.blanks += 1;
                    standing.solved += usize::from(state.solved);
                    standing.revealed += usize::from(state.revealed && !state.solved);
                }
            }
        }
    }
    standing
}

fn next_action(modules: &[ModuleStanding], snapshot: &Snapshot) -> Next {
    let lessons: Vec<&LessonStanding> = modules.iter().flat_map(|m| &m.lessons).collect();
    if let Some((lesson, step)) = &snapshot.last_position
        && let Some(current) = lessons.iter().find(|l| &l.id == lesson)
        && !current.is_done()
    {
        return Next::Continue {
            lesson: lesson.clone(),
            step: step.clone(),
        };
    }
    match lessons.iter().find(|l| !l.is_done()) {
        Some(lesson) if lessons.iter().all(|l| l.is_untouched()) => Next::Start {
            lesson: lesson.id.clone(),
        },
        Some(lesson) => Next::NextLesson {
            lesson: lesson.id.clone(),
        },
        None => {
            let exercise = modules
                .iter()
                .flat_map(|m| &m.exercises)
                .find(|e| e.passed < e.checks);
            let quiz = modules
                .iter()
                .find(|m| m.quiz.as_ref().is_some_and(|(_, q)| !q.passed));
            match (exercise, quiz) {
                (Some(e), _) => Next::Exercise {
                    exercise: e.id.clone(),
                },
                (None, Some(m)) => Next::Quiz {
                    module: m.id.clone(),
                },
                (None, None) => Next::AllDone,
            }
        }
    }
}

/// The default track when none is asked for: everything.
pub const DEFAULT_TRACK: Level = Level::Advanced;
