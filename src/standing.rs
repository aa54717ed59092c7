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
    /// The steps not read yet, in reading order.
    pub unread: Vec<String>,
    /// The first unread step after [`current`](Self::current), if any.
    pub unread_after_current: Option<String>,
    /// The first step with a blank neither answered nor revealed.
    pub open_blank: Option<String>,
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

impl ExerciseStanding {
    /// Whether every check passed on its latest run.
    pub fn is_passed(&self) -> bool {
        self.checks > 0 && self.passed == self.checks
    }
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
        let passed = self.exercises.iter().filter(|e| e.is_passed()).count();
        (passed, self.exercises.len())
    }
}

fn sum(pairs: impl Iterator<Item = (usize, usize)>) -> (usize, usize) {
    pairs.fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
}

/// The next thing a student should do: one definition for the status screen,
/// the viewer's last step and `watch`. See [`Standing::new`] for the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Nothing read yet: start the first lesson.
    Start {
        /// The first lesson.
        lesson: String,
    },
    /// Read on in a lesson already opened, at its next unread step.
    Continue {
        /// The lesson.
        lesson: String,
        /// The next unread step.
        step: String,
        /// Whether reading on from where the student stopped reaches it (the
        /// viewer reopens there); otherwise it was skipped and the command
        /// names the step.
        resumes: bool,
    },
    /// Open a lesson not started yet.
    NextLesson {
        /// The lesson.
        lesson: String,
    },
    /// An exercise does not pass yet.
    Exercise {
        /// The exercise.
        exercise: String,
    },
    /// A module's quiz is not passed yet.
    Quiz {
        /// The module.
        module: String,
    },
    /// Everything is read, checked and passed, but blanks were skipped.
    Blanks {
        /// The lesson.
        lesson: String,
        /// The first step with a skipped blank.
        step: String,
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

    /// The first exercise after `current` (in course order, starting over at
    /// the beginning) whose checks do not all pass: where `watch` moves on to.
    pub fn next_exercise(&self, current: &str) -> Option<&str> {
        let exercises: Vec<&ExerciseStanding> =
            self.modules.iter().flat_map(|m| &m.exercises).collect();
        let at = exercises.iter().position(|e| e.id == current).unwrap_or(0);
        let (before, after) = exercises.split_at((at + 1).min(exercises.len()));
        after
            .iter()
            .chain(before)
            .find(|e| e.id != current && !e.is_passed())
            .map(|e| e.id.as_str())
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
    let mut past_current = false;
    for (section, steps) in lesson.sections.in_order() {
        for step in steps {
            standing.steps += 1;
            if snapshot.has_read(&lesson.id, &step.id) {
                standing.read += 1;
            } else {
                if past_current && standing.unread_after_current.is_none() {
                    standing.unread_after_current = Some(step.id.clone());
                }
                standing.unread.push(step.id.clone());
            }
            past_current |= standing.current.as_ref() == Some(&step.id);
            // Blanks only count in practice steps; validation keeps them there.
            if section == SectionKind::Practice {
                for blank in &step.blanks {
                    let state = snapshot.blank(&lesson.id, &step.id, &blank.id);
                    standing.blanks += 1;
                    standing.solved += usize::from(state.solved);
                    standing.revealed += usize::from(state.revealed && !state.solved);
                    if !state.solved && !state.revealed && standing.open_blank.is_none() {
                        standing.open_blank = Some(step.id.clone());
                    }
                }
            }
        }
    }
    standing
}

/// What next, in this order:
/// 1. the next unread step of the lesson the student is reading (after where
///    they stopped, else the first unread one);
/// 2. in course order, module by module: the first unread step of its
///    lessons, then an exercise that does not pass, then its quiz if not
///    passed;
/// 3. a blank skipped, neither answered nor revealed;
/// 4. nothing: all done.
fn next_action(modules: &[ModuleStanding], snapshot: &Snapshot) -> Next {
    let lessons: Vec<&LessonStanding> = modules.iter().flat_map(|m| &m.lessons).collect();
    if lessons.iter().all(|l| l.is_untouched())
        && let Some(first) = lessons.first()
    {
        return Next::Start {
            lesson: first.id.clone(),
        };
    }
    if let Some((lesson, _)) = &snapshot.last_position
        && let Some(current) = lessons.iter().find(|l| &l.id == lesson)
        && let Some(next) = continue_in(current)
    {
        return next;
    }
    for module in modules {
        for lesson in &module.lessons {
            if lesson.current.is_some()
                && let Some(next) = continue_in(lesson)
            {
                return next;
            }
            if lesson.current.is_none() && !lesson.unread.is_empty() {
                return Next::NextLesson {
                    lesson: lesson.id.clone(),
                };
            }
        }
        if let Some(exercise) = module.exercises.iter().find(|e| !e.is_passed()) {
            return Next::Exercise {
                exercise: exercise.id.clone(),
            };
        }
        if let Some((_, quiz)) = &module.quiz
            && !quiz.passed
        {
            return Next::Quiz {
                module: module.id.clone(),
            };
        }
    }
    if let Some(lesson) = lessons.iter().find(|l| l.open_blank.is_some()) {
        return Next::Blanks {
            lesson: lesson.id.clone(),
            step: lesson.open_blank.clone().unwrap_or_default(),
        };
    }
    Next::AllDone
}

/// The next unread step of a lesson opened before: after where the student
/// stopped if there is one (reading on from there reaches it), else the
/// first unread one (a step skipped).
fn continue_in(lesson: &LessonStanding) -> Option<Next> {
    let (step, resumes) = match &lesson.unread_after_current {
        Some(step) => (step, true),
        None => (lesson.unread.first()?, false),
    };
    Some(Next::Continue {
        lesson: lesson.id.clone(),
        step: step.clone(),
        resumes,
    })
}

/// The default track when none is asked for: everything.
pub const DEFAULT_TRACK: Level = Level::Advanced;
