//! `workbook gradebook RESULTS…`: graded results merged into a CSV and an HTML report.
//!
//! Notices (unreadable files, duplicates, missing shards) go to standard
//! error and into every output; the files asked for are written even then,
//! so that they show the notices too. Exit code 0, or 1 when a notice is a
//! problem (the gradebook may be incomplete or ambiguous: a CI job that
//! merges shards fails loudly); 3 when an output cannot be written.

use std::io::Write;
use std::path::Path;

use workbook_support::sanitize;

use crate::cli::GradebookArgs;
use crate::config::Config;
use crate::error::Error;
use crate::exit;
use crate::gradebook::stats::Stats;
use crate::gradebook::{Gradebook, csv, html, summary};

pub(super) fn run(config: &Config, args: &GradebookArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = config.lang;
    let book = Gradebook::load(&args.results);
    let stats = Stats::of(&book);
    {
        let mut stderr = std::io::stderr().lock();
        for notice in &book.notices {
            let _ = writeln!(stderr, "{}", sanitize::inline(&notice.line(lang)));
        }
    }
    if let Some(file) = &args.csv {
        write(file, &csv::render(&book, &stats, lang), config)?;
    }
    if let Some(file) = &args.html {
        write(file, &html::render(&book, &stats, lang), config)?;
    }
    if args.csv.is_none() && args.html.is_none() {
        out.write_all(summary::render(&book, &stats, lang).as_bytes())?;
    } else {
        for file in args.csv.iter().chain(&args.html) {
            writeln!(
                out,
                "{} {}",
                lang.pick("written:", "записано:"),
                file.display()
            )?;
        }
    }
    Ok(if book.has_problems() {
        exit::NOT_PASSED
    } else {
        exit::OK
    })
}

/// Writes an output file; an error names it, in the user's language.
fn write(file: &Path, text: &str, config: &Config) -> Result<(), Error> {
    std::fs::write(file, text).map_err(|e| {
        let message = config.lang.pick(
            format!("cannot write {}: {e}", file.display()),
            format!("не удалось записать {}: {e}", file.display()),
        );
        Error::Io(std::io::Error::new(e.kind(), message))
    })
}
