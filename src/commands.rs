//! One module per subcommand; this one dispatches.

mod check;
mod dev;
mod exercise;
mod grade;
mod gradebook;
mod lesson;
mod progress;
mod quiz;

pub(crate) use quiz::from_file as quiz_answers;

use std::io::Write;

use crate::cli::{Cli, Command, DevCommand};
use crate::config::Config;
use crate::course::Course;
use crate::error::Error;
use crate::exit;
use crate::screens;
use crate::standing::Standing;
use crate::store::Store;

/// Runs the command `cli` asks for; returns the exit code.
pub async fn run(cli: Cli, config: &Config, out: &mut dyn Write) -> Result<u8, Error> {
    // Starting over must work when the store can't be opened, and even when the
    // content has errors, so it runs before anything is loaded.
    if let Some(Command::Progress(args)) = &cli.command
        && args.start_over
    {
        return progress::start_over(config, out);
    }
    // The self-check reports content errors itself and needs no progress store.
    if let Some(Command::Dev(DevCommand::Verify(args))) = &cli.command {
        return dev::verify(config, args, out).await;
    }
    if let Some(Command::Dev(DevCommand::New(args))) = &cli.command {
        return dev::new(config, args, out);
    }
    if let Some(Command::Dev(DevCommand::Export(args))) = &cli.command {
        return dev::export(config, args, out);
    }
    // Grading reads the course and writes nothing into it: no progress store.
    if let Some(Command::Grade(args)) = &cli.command {
        return grade::run(config, args, out).await;
    }
    // The gradebook reads result files only: no course, no store.
    if let Some(Command::Gradebook(args)) = &cli.command {
        return gradebook::run(config, args, out);
    }
    let course = Course::load(&config.course_root)?;
    let store = Store::open_in(&config.store_dir).await?;
    tell(&store, config);
    let code = match cli.command {
        None => {
            let snapshot = store.snapshot().await?;
            let standing = Standing::new(&course, &snapshot);
            write!(
                out,
                "{}",
                screens::status::render(&course, &standing, config.lang)
            )?;
            exit::OK
        }
        Some(Command::List) => {
            let snapshot = store.snapshot().await?;
            let standing = Standing::new(&course, &snapshot);
            write!(
                out,
                "{}",
                screens::list::render(&course, &standing, config.lang)
            )?;
            exit::OK
        }
        Some(Command::Progress(_)) => {
            let snapshot = store.snapshot().await?;
            let standing = Standing::new(&course, &snapshot);
            write!(
                out,
                "{}",
                screens::progress::render(&course, &standing, config.lang)
            )?;
            exit::OK
        }
        Some(Command::Lesson(args)) => lesson::run(&course, &store, config, &args, out).await?,
        Some(Command::Quiz(args)) => quiz::run(&course, &store, config, &args, out).await?,
        Some(Command::Check(args)) => check::run(&course, &store, config, &args, out).await?,
        Some(Command::Hint(args)) => exercise::hint(&course, &store, config, &args, out).await?,
        Some(Command::Solution(args)) => {
            exercise::solution(&course, &store, config, &args, out).await?
        }
        Some(Command::Watch(args)) => exercise::watch(&course, &store, config, &args).await?,
        Some(Command::Reset(args)) => exercise::reset(&course, config, &args, out)?,
        Some(Command::Dev(_) | Command::Grade(_) | Command::Gradebook(_)) => {
            unreachable!("handled before the store is opened")
        }
    };
    tell(&store, config);
    store.close().await;
    Ok(code)
}

/// Says, on standard error and once each, what the student should know about
/// where progress goes (not saved in a read-only course, written back after
/// being deleted).
fn tell(store: &Store, config: &Config) {
    for notice in store.take_notices() {
        eprint!("{}", screens::notice::render(&notice, config.lang));
    }
}
