//! `workbook hint`, `workbook solution` and `workbook reset`: the help around
//! an exercise.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use workbook_support::Backend;

use crate::cli::{HintArgs, ResetArgs, SolutionArgs, WatchArgs};
use crate::config::Config;
use crate::course::paths::FileAction;
use crate::course::{Course, Edition, Exercise, paths};
use crate::error::{Error, IdKind};
use crate::exit;
use crate::record::{self, HintAsk, Hints};
use crate::runner;
use crate::runner::postgres::{Databases, Server};
use crate::screens;
use crate::screens::exercise::HintsIn;
use crate::store::{STORE_DIR, Snapshot, Store};
use crate::term::Tty;

/// Whether every check of an exercise passed on its latest run.
fn passed(snapshot: &Snapshot, exercise: &Exercise) -> bool {
    exercise
        .checks
        .iter()
        .all(|c| snapshot.check_passed(&exercise.id, &c.id))
}

/// The exercise named, or the first one not passed yet.
fn pick<'a>(
    course: &'a Course,
    snapshot: &Snapshot,
    id: Option<&str>,
    config: &Config,
) -> Result<&'a Exercise, Error> {
    if let Some(id) = id {
        return named(course, id);
    }
    course
        .exercises
        .iter()
        .find(|e| !passed(snapshot, e))
        .ok_or_else(|| Error::Usage(screens::exercise::every_exercise_passes(config.lang)))
}

fn named<'a>(course: &'a Course, id: &str) -> Result<&'a Exercise, Error> {
    course.exercise(id).ok_or_else(|| {
        Error::unknown(
            IdKind::Exercise,
            id,
            course.exercises.iter().map(|e| e.id.as_str()),
        )
    })
}

/// Asks a yes/no question on the terminal; only `y`/`yes`/`д`/`да` is yes.
fn confirmed(question: &str, out: &mut dyn Write) -> Result<bool, Error> {
    write!(out, "{question}")?;
    out.flush()?;
    let mut line = String::new();
    tokio::task::block_in_place(|| std::io::stdin().lock().read_line(&mut line))?;
    Ok(matches!(
        line.trim().to_lowercase().as_str(),
        "y" | "yes" | "д" | "да"
    ))
}

pub(super) async fn hint(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &HintArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let snapshot = store.snapshot().await?;
    let exercise = pick(course, &snapshot, args.exercise.as_deref(), config)?;
    let ask = match (args.tier, args.all) {
        (Some(tier), _) => HintAsk::Tier(tier),
        (None, true) => HintAsk::Seen,
        (None, false) => HintAsk::Next,
    };
    match record::hints(store, exercise, ask).await? {
        Hints::Shown { tiers, seen } => {
            write!(
                out,
                "{}",
                screens::exercise::hints(exercise, &tiers, seen, HintsIn::Command, lang)
            )?;
            Ok(exit::OK)
        }
        Hints::Refused { asked, seen } => Err(Error::Usage(screens::exercise::tier_refused(
            exercise, asked, seen, lang,
        ))),
    }
}

/// `workbook watch`: needs a terminal for its keys.
pub(super) async fn watch(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &WatchArgs,
) -> Result<u8, Error> {
    let lang = config.lang;
    if !config.interactive {
        return Err(Error::Usage(screens::exercise::watch_needs_terminal(lang)));
    }
    let snapshot = store.snapshot().await?;
    let exercise = pick(course, &snapshot, args.exercise.as_deref(), config)?;
    let start = course
        .exercises
        .iter()
        .position(|e| e.id == exercise.id)
        .unwrap_or(0);
    let backend = args.db.backend();
    let server = if backend == Backend::Postgres {
        Some(Server::start().await.map_err(Error::Postgres)?)
    } else {
        None
    };
    let databases = server.as_ref().map(|s| Arc::new(Databases::new(s)));
    let _cleanup = super::check::DropDatabases(databases.clone());
    let mut terminal = Tty::enter()?;
    let root = course.root.clone();
    let check = async |exercise: &Exercise| {
        let targets = runner::targets(&root, &[exercise]);
        runner::check(
            &root,
            None,
            &targets,
            backend,
            databases.clone(),
            &runner::events::silent(),
        )
        .await
    };
    let watching = crate::watch::run(course, store, start, backend, lang, &mut terminal, check);
    tokio::pin!(watching);
    let result = tokio::select! {
        result = &mut watching => result,
        stop = workbook_support::signals::interrupted() => Err(Error::Interrupted(stop)),
    };
    result.map(|()| exit::OK)
}

pub(super) async fn solution(
    course: &Course,
    store: &Store,
    config: &Config,
    args: &SolutionArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let snapshot = store.snapshot().await?;
    let exercise = pick(course, &snapshot, args.exercise.as_deref(), config)?;
    if course.manifest.edition == Edition::Student {
        write!(
            out,
            "{}",
            screens::exercise::solution_elsewhere(exercise, lang)
        )?;
        return Ok(exit::OK);
    }
    if !passed(&snapshot, exercise) && !args.yes {
        if !config.interactive {
            return Err(Error::Usage(screens::exercise::solution_needs_yes(
                exercise, lang,
            )));
        }
        if !confirmed(&screens::exercise::solution_question(exercise, lang), out)? {
            writeln!(out, "{}", screens::exercise::not_shown(lang))?;
            return Ok(exit::OK);
        }
    }
    store.record_exercise_solution(&exercise.id).await?;
    let dir = course.root.join("exercises").join(&exercise.id);
    for path in &exercise.editable {
        let file = paths::inside(&dir.join("solution"), path)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| paths::failed(e, FileAction::Read, &file))?;
        writeln!(out, "{}", screens::exercise::solution_file(exercise, path))?;
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(exit::OK)
}

/// `workbook reset`: the starter code back (after asking), the student's
/// version kept in a backup named by exercise and time; `--restore` puts the
/// latest backup back.
pub(super) fn reset(
    course: &Course,
    config: &Config,
    args: &ResetArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let exercise = named(course, &args.exercise)?;
    let dir = course.root.join("exercises").join(&exercise.id);
    let backups = course.root.join(STORE_DIR).join("backups");
    let shown = |path: &Path| {
        path.strip_prefix(&course.root)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
            .display()
            .to_string()
    };
    // Every path is checked before anything is written: relative, and inside
    // the exercise even through links (a link planted in place of an editable
    // file must not make reset overwrite its target).
    let mut current = Vec::new();
    for path in &exercise.editable {
        current.push((paths::inside(&dir, path)?, path));
    }
    if args.restore {
        let Some(latest) = latest_backup(&backups, &exercise.id) else {
            return Err(Error::Usage(screens::exercise::no_backup(exercise, lang)));
        };
        let mut sources = Vec::new();
        for (target, path) in &current {
            let source = paths::inside(&latest, path)?;
            if source.exists() {
                sources.push((source, target));
            }
        }
        let kept = back_up(&course.root, &exercise.id, &current)?;
        for (source, target) in sources {
            paths::copy(&source, target)?;
        }
        writeln!(
            out,
            "{}",
            screens::exercise::restored(
                exercise,
                &shown(&latest),
                kept.as_deref().map(shown).as_deref(),
                lang
            )
        )?;
        return Ok(exit::OK);
    }
    let mut starters = Vec::new();
    for (target, path) in &current {
        starters.push((paths::inside(&dir.join("starter"), path)?, target));
    }
    if !args.yes {
        if !config.interactive {
            return Err(Error::Usage(screens::exercise::reset_needs_yes(
                exercise, lang,
            )));
        }
        if !confirmed(&screens::exercise::reset_question(exercise, lang), out)? {
            writeln!(out, "{}", screens::exercise::not_done(lang))?;
            return Ok(exit::OK);
        }
    }
    // Everything is copied aside before anything is overwritten: nothing is lost.
    let kept = back_up(&course.root, &exercise.id, &current)?;
    for (starter, target) in starters {
        paths::copy(&starter, target)?;
    }
    writeln!(
        out,
        "{}",
        screens::exercise::reset_done(exercise, kept.as_deref().map(shown).as_deref(), lang)
    )?;
    Ok(exit::OK)
}

/// Copies the files that exist among `files` into a new backup folder
/// `.workbook/backups/<exercise>-<date>_<time>-utc` of the course at `root` (a
/// counter added when that exists); `None` when there was nothing to keep.
fn back_up(
    root: &Path,
    exercise: &str,
    files: &[(PathBuf, &String)],
) -> Result<Option<PathBuf>, Error> {
    if !files.iter().any(|(file, _)| file.exists()) {
        return Ok(None);
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = format!("{exercise}-{}", utc_stamp(stamp));
    let backups = root.join(STORE_DIR).join("backups");
    let mut name = base.clone();
    let mut n = 1;
    while backups.join(&name).exists() {
        n += 1;
        name = format!("{base}-{n}");
    }
    // Checked like every path written: inside the course, even through links.
    let backup = paths::inside(root, &format!("{STORE_DIR}/backups/{name}"))?;
    std::fs::create_dir_all(&backup).map_err(|e| paths::failed(e, FileAction::Create, &backup))?;
    for (file, path) in files {
        if file.exists() {
            paths::copy(file, &paths::inside(&backup, path)?)?;
        }
    }
    Ok(Some(backup))
}

/// The newest backup of `exercise` in `backups`, by the time in its name
/// (the readable `2026-11-23_14-05-09-utc`, or the seconds older versions used).
fn latest_backup(backups: &Path, exercise: &str) -> Option<PathBuf> {
    let prefix = format!("{exercise}-");
    std::fs::read_dir(backups)
        .ok()?
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?;
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            // Older backups were named by seconds: compare them as dates too.
            let key = match rest.parse::<u64>() {
                Ok(seconds) => utc_stamp(seconds),
                Err(_) => rest.to_owned(),
            };
            Some((key, entry.path()))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, path)| path)
}

/// Seconds since 1970 as `YYYY-MM-DD_HH-MM-SS-utc`, which sorts by time.
fn utc_stamp(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}_{:02}-{:02}-{:02}-utc",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_named_by_a_readable_time() {
        assert_eq!(utc_stamp(0), "1970-01-01_00-00-00-utc");
        assert_eq!(utc_stamp(1_795_440_944), "2026-11-23_13-35-44-utc");
        assert_eq!(utc_stamp(951_782_400), "2000-02-29_00-00-00-utc");
    }

    #[test]
    fn the_latest_backup_is_found_among_old_and_new_names() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "eager-tags-1795440944",
            "eager-tags-2026-11-23_14-15-45-utc",
            "eager-tags-2026-11-23_14-15-45-utc-2",
            "eager-tags-pg-2030-01-01_00-00-00-utc",
            "other-2031-01-01_00-00-00-utc",
        ] {
            std::fs::create_dir_all(dir.path().join(name)).unwrap();
        }
        let latest = latest_backup(dir.path(), "eager-tags").unwrap();
        assert!(latest.ends_with("eager-tags-2026-11-23_14-15-45-utc-2"));
    }
}
