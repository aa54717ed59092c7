//! `workbook`: an interactive teaching workbook and exercise checker for a course
//! on async database programming with sqlx and tokio.
//!
//! The binary is a thin shell around [`run`]. Content is loaded by [`course`],
//! what a student did lives in [`store`], [`standing`] combines the two, and
//! [`screens`] renders everything a student reads; only [`commands`] and the
//! [`viewer`] write to the terminal.

pub mod cli;
pub mod commands;
pub mod config;
pub mod course;
pub mod diagnostic;
pub mod error;
pub mod exit;
pub mod export;
pub mod grade;
pub mod gradebook;
pub mod lang;
pub mod quiz;
pub mod quiz_view;
pub mod record;
pub mod runner;
pub mod scaffold;
pub mod screens;
pub mod standing;
pub mod store;
pub mod style;
pub mod suggest;
pub mod term;
pub mod verify;
pub mod viewer;
pub mod watch;
pub mod yaml;

use std::io::{IsTerminal, Write};

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::config::{Config, Env};
use crate::lang::Lang;

/// Parses the command line, runs the command and returns the exit code.
pub fn run() -> u8 {
    let env = match Env::current() {
        Ok(env) => env,
        Err(error) => {
            eprintln!("error: cannot read the working directory: {error}");
            return exit::ENVIRONMENT;
        }
    };
    let args: Vec<OsString> = std::env::args_os().collect();
    // The language is needed before parsing, so `--help` and usage errors read
    // in it; the parsed `--lang` decides it again below, identically.
    let help_lang = Lang::detect(
        lang_flag(&args),
        env.workbook_lang.as_deref(),
        env.lang.as_deref(),
    );
    let mut command = Cli::command();
    if help_lang == Lang::Ru {
        command = cli::russian::localize(command);
    }
    let cli = match command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => {
            if help_lang == Lang::Ru {
                print_russian(&error, &env);
            } else {
                let _ = error.print();
            }
            return u8::try_from(error.exit_code()).unwrap_or(exit::USAGE);
        }
    };
    let lang = Config::lang(&cli, &env);
    let result = Config::new(&cli, &env).and_then(|config| {
        style::set_color(config.color);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        // On a terminal, printed text is fitted to its width, so the terminal
        // never cuts a word at its edge.
        let stdout = std::io::stdout();
        let width = stdout.is_terminal().then(|| term::size().0);
        let mut out = term::Fitted::new(stdout.lock(), width);
        runtime.block_on(commands::run(cli, &config, &mut out))
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = std::io::stdout().flush();
            eprint!("{}", error.render(lang));
            error.exit_code()
        }
    }
}

/// A clap error, or the help or version asked for, in Russian, to where clap
/// would print it; the help keeps clap's colours on a terminal.
fn print_russian(error: &clap::Error, env: &Env) {
    let (to_stderr, tty) = if error.use_stderr() {
        (true, std::io::stderr().is_terminal())
    } else {
        (false, env.stdout_tty)
    };
    let ansi = tty && !env.no_color && !env.dumb_term;
    let text = cli::russian::render_error(error, ansi);
    if to_stderr {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
}

/// The value of `--lang` in raw arguments, if valid (`--lang ru` or `--lang=ru`).
fn lang_flag(args: &[OsString]) -> Option<Lang> {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(value) = value {
            return Lang::from_locale(value);
        }
    }
    None
}
