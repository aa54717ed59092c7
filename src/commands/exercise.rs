//! `workbook hint`, `workbook solution` and `workbook reset`: the help around
//! an exercise.

use std::io::{BufRead, Write};
use std::path::Path;

use std::sync::Arc;

use workbook_support::Backend;

use crate::cli::{SolutionArgs, WatchArgs};
use crate::config::Config;
use crate::course::{Course, Edition, Exercise, paths};
use crate::error::Error;
use crate::exit;
use crate::lang::Lang;
use crate::runner::postgres::{Databases, Server};
use crate::store::{STORE_DIR, Snapshot, Store};
use crate::style;

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
        return course.exercise(id).ok_or_else(|| {
            Error::unknown(
                "exercise",
                id,
                course.exercises.iter().map(|e| e.id.as_str()),
            )
        });
    }
    course.exercises.iter().find(|e| !passed(snapshot, e)).ok_or_else(|| {
        Error::Usage(config.lang.pick(
            "every exercise passes; name one to see its hints or solution".to_owned(),
            "все упражнения сданы; назовите упражнение, чтобы увидеть его подсказки или решение".to_owned(),
        ))
    })
}

pub(super) async fn hint(
    course: &Course,
    store: &Store,
    config: &Config,
    id: Option<&str>,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let snapshot = store.snapshot().await?;
    let exercise = pick(course, &snapshot, id, config)?;
    write!(out, "{}", next_hint(store, exercise, config.lang).await?)?;
    Ok(exit::OK)
}

/// Records and renders the next hint tier of `exercise` (the last one again
/// once all are seen).
pub(crate) async fn next_hint(
    store: &Store,
    exercise: &Exercise,
    lang: Lang,
) -> Result<String, Error> {
    let snapshot = store.snapshot().await?;
    let count = u32::try_from(exercise.hints.len()).unwrap_or(u32::MAX);
    let seen = snapshot.hints.get(&exercise.id).copied().unwrap_or(0);
    let tier = (seen + 1).min(count);
    store.record_hint(&exercise.id, tier).await?;
    let text = exercise.hints[(tier - 1) as usize].get(lang);
    let (id, title) = (&exercise.id, exercise.title.get(lang));
    let heading = lang.pick(
        format!("Hint {tier} of {count} for {id} ({title}):"),
        format!("Подсказка {tier} из {count} к {id} ({title}):"),
    );
    let next = if tier < count {
        lang.pick(
            format!("Run `workbook hint {id}` again for the next one."),
            format!("Запустите `workbook hint {id}` ещё раз, чтобы увидеть следующую."),
        )
    } else {
        lang.pick(
            format!(
                "That is the last hint. `workbook solution {id}` shows the reference solution."
            ),
            format!("Это последняя подсказка. `workbook solution {id}` покажет эталонное решение."),
        )
    };
    Ok(format!(
        "{}\n{}\n{}\n",
        style::heading(&heading),
        text.trim_end(),
        style::dim(&next)
    ))
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
        return Err(Error::Usage(lang.pick(
            "workbook watch needs a terminal; use `workbook check` in scripts".to_owned(),
            "workbook watch работает только в терминале; в скриптах используйте `workbook check`".to_owned(),
        )));
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
    let watching = crate::watch::run(course, store, start, backend, databases.clone(), lang);
    tokio::pin!(watching);
    let result = tokio::select! {
        result = &mut watching => result,
        stop = workbook_support::signals::interrupted() => Err(Error::Interrupted(stop)),
    };
    let _cleanup = super::check::DropDatabases(databases);
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
        let (en, ru) = crate::export::SOLUTIONS_ELSEWHERE;
        writeln!(out, "{}", lang.pick(en, ru))?;
        writeln!(
            out,
            "{}",
            lang.pick(
                format!("`workbook hint {}` shows the next hint.", exercise.id),
                format!(
                    "`workbook hint {}` покажет следующую подсказку.",
                    exercise.id
                ),
            )
        )?;
        return Ok(exit::OK);
    }
    if !passed(&snapshot, exercise) && !args.yes {
        let question = lang.pick(
            format!(
                "{} has not passed yet. Show the reference solution anyway? [y/N] ",
                exercise.id
            ),
            format!(
                "{} ещё не сдано. Всё равно показать эталонное решение? [y/N] ",
                exercise.id
            ),
        );
        let confirmed = if config.interactive {
            write!(out, "{question}")?;
            out.flush()?;
            let mut line = String::new();
            tokio::task::block_in_place(|| std::io::stdin().lock().read_line(&mut line))?;
            matches!(
                line.trim().to_lowercase().as_str(),
                "y" | "yes" | "д" | "да"
            )
        } else {
            return Err(Error::Usage(lang.pick(
                format!(
                    "{} has not passed yet; add --yes to see its solution anyway",
                    exercise.id
                ),
                format!(
                    "{} ещё не сдано; добавьте --yes, чтобы всё равно увидеть решение",
                    exercise.id
                ),
            )));
        };
        if !confirmed {
            writeln!(out, "{}", lang.pick("Not shown.", "Не показано."))?;
            return Ok(exit::OK);
        }
    }
    store.record_exercise_solution(&exercise.id).await?;
    let dir = course.root.join("exercises").join(&exercise.id);
    for path in &exercise.editable {
        let file = paths::inside(&dir.join("solution"), path)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| paths::with_path(&e, "cannot read the reference solution", &file))?;
        writeln!(
            out,
            "{}",
            style::heading(&format!("--- exercises/{}/{path} ---", exercise.id))
        )?;
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(exit::OK)
}

pub(super) fn reset(
    course: &Course,
    config: &Config,
    id: &str,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let lang = config.lang;
    let exercise = course.exercise(id).ok_or_else(|| {
        Error::unknown(
            "exercise",
            id,
            course.exercises.iter().map(|e| e.id.as_str()),
        )
    })?;
    let dir = course.root.join("exercises").join(&exercise.id);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = paths::inside(
        &course.root,
        &format!("{STORE_DIR}/backups/{}-{stamp}", exercise.id),
    )?;
    // Every path is checked before anything is written: relative, and inside
    // the exercise even through links (a link planted in place of an editable
    // file must not make reset overwrite its target).
    let mut copies = Vec::new();
    for path in &exercise.editable {
        copies.push((
            paths::inside(&dir.join("starter"), path)?,
            paths::inside(&dir, path)?,
            path,
        ));
    }
    // Everything is copied aside before anything is overwritten: nothing is lost.
    for (_, current, path) in &copies {
        if current.exists() {
            std::fs::create_dir_all(&backup)
                .map_err(|e| paths::with_path(&e, "cannot create", &backup))?;
            paths::copy(current, &paths::inside(&backup, path)?)?;
        }
    }
    for (starter, current, _) in &copies {
        paths::copy(starter, current)?;
    }
    let shown = backup
        .strip_prefix(&course.root)
        .map_or_else(|_| backup.clone(), Path::to_path_buf);
    writeln!(
        out,
        "{}",
        lang.pick(
            format!(
                "The starter code of {} is back. Your version is kept in {}.",
                exercise.id,
                shown.display()
            ),
            format!(
                "Исходный код {} восстановлен. Ваша версия сохранена в {}.",
                exercise.id,
                shown.display()
            ),
        )
    )?;
    Ok(exit::OK)
}
