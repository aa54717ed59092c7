//! What more than one command writes to the progress store: check runs
//! (`check` and `watch`) and hint tiers (`hint` and `watch`). It lives here,
//! not in `commands`, so the interactive `watch` needs nothing from them.

use workbook_support::report::Status;

use crate::course::{Course, Exercise};
use crate::error::Error;
use crate::runner::summary::check_points;
use crate::runner::{ExerciseRun, Outcome};
use crate::store::{CheckRun, CheckStatus, Store};

/// Records every check of `runs`: its status and points (a compile error
/// fails every check of its exercise).
pub async fn check_runs(store: &Store, course: &Course, runs: &[ExerciseRun]) -> Result<(), Error> {
    for run in runs {
        match &run.outcome {
            Outcome::Checked { checks } => {
                for report in checks {
                    let possible = course
                        .exercise(&run.exercise)
                        .and_then(|e| e.checks.iter().find(|c| c.id == report.id))
                        .map_or(0, |c| c.points);
                    store
                        .record_check_run(&CheckRun {
                            exercise: &run.exercise,
                            check: &report.id,
                            backend: run.backend.name(),
                            status: match report.status {
                                Status::Pass => CheckStatus::Pass,
                                Status::Fail => CheckStatus::Fail,
                                Status::Error => CheckStatus::Error,
                            },
                            points: check_points(possible, report.status),
                            max_points: possible,
                            message: &report.message,
                        })
                        .await?;
                }
            }
            Outcome::CompileError { .. } => {
                if let Some(exercise) = course.exercise(&run.exercise) {
                    for check in &exercise.checks {
                        store
                            .record_check_run(&CheckRun {
                                exercise: &run.exercise,
                                check: &check.id,
                                backend: run.backend.name(),
                                status: CheckStatus::Error,
                                points: 0,
                                max_points: check.points,
                                message: "does not compile",
                            })
                            .await?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Which hint tiers a student asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintAsk {
    /// One tier more than seen so far (the last one again once all are seen).
    Next,
    /// This tier again: one seen already, or the next one.
    Tier(u32),
    /// Every tier seen so far (the first one when none is).
    Seen,
}

/// The hint tiers to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hints {
    /// These tiers (from 1), in order; the highest seen so far is `seen`.
    Shown {
        /// The tiers to show.
        tiers: Vec<u32>,
        /// The highest tier seen, this one included.
        seen: u32,
    },
    /// The tier asked for is further than the next one, or does not exist.
    Refused {
        /// The tier asked for.
        asked: u32,
        /// The highest tier seen so far.
        seen: u32,
    },
}

/// Decides which tiers of `exercise` to show for `ask`, and records the
/// newest as seen.
pub async fn hints(store: &Store, exercise: &Exercise, ask: HintAsk) -> Result<Hints, Error> {
    let snapshot = store.snapshot().await?;
    let count = u32::try_from(exercise.hints.len()).unwrap_or(u32::MAX);
    let seen = snapshot.hints.get(&exercise.id).copied().unwrap_or(0);
    let mut tiers: Vec<u32> = match ask {
        HintAsk::Next => vec![(seen + 1).min(count)],
        HintAsk::Tier(asked) if asked == 0 || asked > count || asked > seen + 1 => {
            return Ok(Hints::Refused { asked, seen });
        }
        HintAsk::Tier(asked) => vec![asked],
        HintAsk::Seen => (1..=seen.max(1).min(count)).collect(),
    };
    // An exercise without hints has no tier 0 to show.
    tiers.retain(|tier| *tier >= 1);
    let newest = tiers.iter().copied().max().unwrap_or(0);
    if newest > seen {
        store.record_hint(&exercise.id, newest).await?;
    }
    Ok(Hints::Shown {
        tiers,
        seen: seen.max(newest),
    })
}
