//! `workbook grade`: grade the working copy or a submission against the
//! pristine course, write each report asked for, exit by the letter.

use std::io::{IsTerminal, Write};
use std::path::Path;

use workbook_support::sandbox::Sandbox;

use crate::cli::{GradeArgs, ReportFormat, Shard};
use crate::config::Config;
use crate::course::Course;
use crate::error::Error;
use crate::exit;
use crate::grade::batch::Batch;
use crate::grade::{self, Grade, Options, report};
use crate::store::Store;

pub(super) async fn run(
    config: &Config,
    args: &GradeArgs,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let bare: Vec<_> = args.format.iter().filter(|t| t.file.is_none()).collect();
    if bare.len() > 1 {
        return Err(Error::Usage(config.lang.pick(
            "only one --format may go to standard output; give the others a file: --format junit=grade.xml".to_owned(),
            "на стандартный вывод может идти только один --format; остальным укажите файл: --format junit=grade.xml".to_owned(),
        )));
    }
    let course = Course::load(&config.course_root)?;
    if let Some(dir) = &args.submission
        && !dir.is_dir()
    {
        return Err(Error::Usage(config.lang.pick(
            format!("the submission folder {} does not exist", dir.display()),
            format!("папки с работой {} нет", dir.display()),
        )));
    }
    // Graded runs are isolated unless the grader says otherwise.
    let sandbox = if args.no_sandbox {
        None
    } else {
        Some(Sandbox::detect().map_err(Error::Sandbox)?)
    };
    let options = Options::new(
        args.db.backend(),
        sandbox,
        crate::screens::progress_line::reporter(std::io::stderr().is_terminal(), config.lang),
    );
    if let (Some(dir), Some(results)) = (&args.batch, &args.out) {
        return batch(&course, dir, results, args, options, config, out).await;
    }
    let work = grade::grade(&course, args.submission.as_deref(), config, &options);
    tokio::pin!(work);
    let graded = tokio::select! {
        result = &mut work => result?,
        stop = workbook_support::signals::interrupted() => return Err(Error::Interrupted(stop)),
    };
    if args.submission.is_none() {
        remember(config, &graded).await;
    }
    for target in &args.format {
        let text = report::render(&graded, target.format, config.lang);
        match target.file.as_deref().or(args.out.as_deref()) {
            Some(file) => write_report(file, &text, target.format)?,
            None => out.write_all(text.as_bytes())?,
        }
    }
    Ok(if graded.letter >= args.require {
        exit::OK
    } else {
        exit::NOT_PASSED
    })
}

/// Writes one report file; the step summary of GitHub Actions is appended to,
/// as GitHub expects of every step that writes it.
fn write_report(file: &Path, text: &str, format: ReportFormat) -> Result<(), Error> {
    let appends = format == ReportFormat::Markdown
        && std::env::var_os("GITHUB_STEP_SUMMARY").is_some_and(|s| Path::new(&s) == file);
    let result = if appends {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(text.as_bytes()))
    } else {
        std::fs::write(file, text)
    };
    result.map_err(|e| {
        Error::from(crate::course::paths::failed(
            e,
            crate::course::paths::FileAction::Write,
            file,
        ))
    })
}

/// Records a grade of the working copy in the progress store, so `workbook
/// progress` shows the same numbers. Grading needs no store: when there is
/// none (a read-only course), the grade is simply not remembered.
async fn remember(config: &Config, graded: &Grade) {
    let Ok(store) = Store::open_in(&config.store_dir).await else {
        return;
    };
    let letter = format!("{:?}", graded.letter);
    if let Ok(document) = serde_json::to_string(graded) {
        let _ = store.record_grade(&letter, graded.score, &document).await;
    }
    store.close().await;
}

/// `grade --batch DIR --out OUT`: every submission of the share, results to OUT.
async fn batch(
    course: &Course,
    dir: &Path,
    results: &Path,
    args: &GradeArgs,
    options: Options,
    config: &Config,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(config.lang.pick(
            format!("the batch folder {} does not exist", dir.display()),
            format!("папки с работами {} нет", dir.display()),
        )));
    }
    let shard = args.shard.unwrap_or(Shard { index: 1, count: 1 });
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get));
    let work = Batch {
        course,
        dir,
        out: results,
        jobs,
        shard,
        options,
        progress: std::io::stderr().is_terminal(),
    }
    .run(config);
    tokio::pin!(work);
    let done = tokio::select! {
        result = &mut work => result?,
        stop = workbook_support::signals::interrupted() => return Err(Error::Interrupted(stop)),
    };
    let lang = config.lang;
    writeln!(
        out,
        "{}",
        lang.pick(
            format!(
                "Share {}/{}: {} submissions; graded {}, unchanged since their last result {}, could not be graded {}. Results: {}",
                shard.index, shard.count, done.total, done.graded, done.unchanged, done.failed.len(), results.display()
            ),
            format!(
                "Доля {}/{}: работ {}; оценено {}, не менялись с прошлого результата {}, не удалось оценить {}. Результаты: {}",
                shard.index, shard.count, done.total, done.graded, done.unchanged, done.failed.len(), results.display()
            ),
        )
    )?;
    for id in &done.failed {
        writeln!(
            out,
            "  {} {}",
            crate::style::bad("✗"),
            workbook_support::sanitize::inline(id)
        )?;
    }
    Ok(if done.failed.is_empty() {
        exit::OK
    } else {
        exit::NOT_PASSED
    })
}
