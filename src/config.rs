//! Arguments and environment, turned once into a validated configuration.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, ColorChoice};
use crate::course::MANIFEST_FILE;
use crate::error::Error;
use crate::lang::Lang;
use crate::store::STORE_DIR;

/// What every command needs to know about how it was started.
#[derive(Debug, Clone)]
pub struct Config {
    /// The course root (holds `course.yaml`).
    pub course_root: PathBuf,
    /// The folder of the progress store: `WORKBOOK_STATE_DIR`, else the
    /// course's `.workbook/`.
    pub store_dir: PathBuf,
    /// The language of everything shown.
    pub lang: Lang,
    /// Whether standard output gets colour.
    pub color: bool,
    /// Whether standard input and output are a terminal (interactive screens).
    pub interactive: bool,
}

/// The parts of the environment the configuration depends on, read in one place
/// so tests can supply their own.
#[derive(Debug, Clone, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about the environment, read once"
)]
pub struct Env {
    /// The working directory.
    pub cwd: PathBuf,
    /// `WORKBOOK_LANG`.
    pub workbook_lang: Option<String>,
    /// `WORKBOOK_STATE_DIR`: where the progress store goes instead of the
    /// course's `.workbook/` (for a course folder the student cannot write).
    pub state_dir: Option<PathBuf>,
    /// `LANG`.
    pub lang: Option<String>,
    /// Whether `NO_COLOR` is set to something non-empty.
    pub no_color: bool,
    /// Whether `TERM` is `dumb`.
    pub dumb_term: bool,
    /// Whether stdout is a terminal.
    pub stdout_tty: bool,
    /// Whether stdin is a terminal.
    pub stdin_tty: bool,
}

impl Env {
    /// Reads the real environment.
    pub fn current() -> std::io::Result<Env> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Ok(Env {
            cwd: std::env::current_dir()?,
            workbook_lang: var("WORKBOOK_LANG"),
            state_dir: var("WORKBOOK_STATE_DIR").map(PathBuf::from),
            lang: var("LC_ALL")
                .or_else(|| var("LC_MESSAGES"))
                .or_else(|| var("LANG")),
            no_color: var("NO_COLOR").is_some(),
            dumb_term: var("TERM").as_deref() == Some("dumb"),
            stdout_tty: std::io::stdout().is_terminal(),
            stdin_tty: std::io::stdin().is_terminal(),
        })
    }
}

impl Config {
    /// The language, decided before anything else so even errors finding the
    /// course are shown in it.
    pub fn lang(cli: &Cli, env: &Env) -> Lang {
        Lang::detect(cli.lang, env.workbook_lang.as_deref(), env.lang.as_deref())
    }

    /// Builds the configuration from arguments and environment.
    pub fn new(cli: &Cli, env: &Env) -> Result<Config, Error> {
        let lang = Config::lang(cli, env);
        let course_root = match &cli.course {
            Some(dir) => {
                let dir = env.cwd.join(dir);
                if !dir.join(MANIFEST_FILE).is_file() {
                    return Err(Error::NoCourse {
                        start: dir,
                        explicit: true,
                    });
                }
                dir
            }
            None => match find_course_root(&env.cwd) {
                Some(root) => root,
                // The gradebook reads result files only: a CI job merging
                // shards needs no course checkout.
                None if matches!(cli.command, Some(crate::cli::Command::Gradebook(_))) => {
                    env.cwd.clone()
                }
                None => {
                    return Err(Error::NoCourse {
                        start: env.cwd.clone(),
                        explicit: false,
                    });
                }
            },
        };
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.stdout_tty && !env.no_color && !env.dumb_term,
        };
        let store_dir = match &env.state_dir {
            Some(dir) => env.cwd.join(dir),
            None => course_root.join(STORE_DIR),
        };
        Ok(Config {
            course_root,
            store_dir,
            lang,
            color,
            interactive: env.stdout_tty && env.stdin_tty && !env.dumb_term,
        })
    }
}

/// The nearest folder, from `start` upwards, holding the course manifest.
pub fn find_course_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(MANIFEST_FILE).is_file())
        .map(Path::to_path_buf)
}
