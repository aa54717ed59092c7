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
pub mod lang;
pub mod screens;
pub mod standing;
pub mod store;
pub mod style;
pub mod suggest;
pub mod verify;
pub mod viewer;
pub mod yaml;

use std::io::Write;

use clap::Parser;

use crate::cli::Cli;
use crate::config::{Config, Env};

/// Parses the command line, runs the command and returns the exit code.
pub fn run() -> u8 {
    let cli = Cli::parse();
    let env = match Env::current() {
        Ok(env) => env,
        Err(error) => {
            eprintln!("error: cannot read the working directory: {error}");
            return exit::ENVIRONMENT;
        }
    };
    let lang = Config::lang(&cli, &env);
    let result = Config::new(&cli, &env).and_then(|config| {
        style::set_color(config.color);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let mut stdout = std::io::stdout().lock();
        runtime.block_on(commands::run(cli, &config, &mut stdout))
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
