//! Every command-line type, in one place.

pub mod russian;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::course::Level;
use crate::lang::Lang;

/// An interactive workbook for async database programming with sqlx and tokio.
#[derive(Debug, Parser)]
#[command(
    name = "workbook",
    version,
    about,
    after_help = crate::exit::HELP,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// The course folder (default: the nearest folder upwards holding course.yaml).
    #[arg(long, global = true, value_name = "DIR")]
    pub course: Option<PathBuf>,
    #[expect(
        missing_docs,
        reason = "the help text names environment variables, which doc comments would mangle"
    )]
    #[arg(
        long,
        global = true,
        value_enum,
        help = "Language of everything shown (default: $WORKBOOK_LANG, then $LANG, then English)"
    )]
    pub lang: Option<Lang>,
    #[expect(
        missing_docs,
        reason = "the help text names environment variables, which doc comments would mangle"
    )]
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        help = "When to use colour (NO_COLOR is honoured)"
    )]
    pub color: ColorChoice,
    /// Print help.
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Print version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    /// What to do; without a command, shows where you are and what to do next.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Colour output choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[expect(
        missing_docs,
        reason = "the help text names an environment variable, which doc comments would mangle"
    )]
    #[value(help = "Colour when writing to a terminal and NO_COLOR is unset")]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Modules, lessons, exercises and quizzes, each with its status.
    List,
    /// Read a lesson: step by step in a terminal, as plain text when piped.
    Lesson(LessonArgs),
    /// What is done in each module.
    Progress(ProgressArgs),
    /// Take a module's quiz: in a terminal, line by line from a pipe, or from an answers file.
    Quiz(QuizArgs),
    /// Run exercise checks against a scratch database.
    Check(CheckArgs),
    /// Show the next hint of an exercise (one tier more each time), or again the ones seen.
    Hint(HintArgs),
    /// Show an exercise's reference solution (after it passes, or when you confirm).
    Solution(SolutionArgs),
    /// Put an exercise's starter code back (your version is kept as a backup).
    Reset(ResetArgs),
    /// Re-check an exercise every time you save it (in a terminal).
    Watch(WatchArgs),
    /// Grade the working copy or a submission against the pristine course: score, letter, remediation.
    Grade(GradeArgs),
    /// Merge graded results (of a batch or of its shards) into a CSV and an HTML gradebook.
    Gradebook(GradebookArgs),
    /// Tools for course authors.
    #[command(subcommand)]
    Dev(DevCommand),
}

/// `workbook dev …`.
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Check the whole course: content, links, translations (run in CI).
    Verify(VerifyArgs),
    /// Create a new exercise crate from a template and list it in its module.
    New(NewArgs),
    /// Write the student edition of the course: no solutions, quiz keys hashed.
    Export(ExportArgs),
}

/// Arguments of `workbook dev export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The folder to write the student edition to (created; must be empty if it exists).
    pub dir: PathBuf,
}

/// Arguments of `workbook grade`.
#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// A student's submission folder (a copy of the course); default: the working copy.
    #[arg(long, value_name = "DIR", conflicts_with = "batch")]
    pub submission: Option<PathBuf>,
    /// Grade every submission in DIR (one subfolder per student, named by the student's id); results go to --out DIR.
    #[arg(long, value_name = "DIR", requires = "out")]
    pub batch: Option<PathBuf>,
    /// With --batch: how many submissions are graded at once (default: the number of cores).
    #[arg(long, value_name = "N", requires = "batch")]
    pub jobs: Option<usize>,
    /// With --batch: grade only share K of N (1-based), chosen by a stable hash of each student's id.
    #[arg(long, value_name = "K/N", requires = "batch")]
    pub shard: Option<Shard>,
    /// The database: embedded `SQLite`, or Postgres (`WORKBOOK_DATABASE_URL`, else a throwaway local server).
    #[arg(long, value_enum, default_value_t = Db::Sqlite)]
    pub db: Db,
    /// A report to write: FORMAT to standard output, or FORMAT=FILE. May be repeated.
    #[arg(long, value_name = "FORMAT[=FILE]", default_value = "human")]
    pub format: Vec<ReportTarget>,
    /// Write the one report given without `=FILE` to this file instead of standard output;
    /// with --batch, the folder for one result file per submission.
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// Run checks without bubblewrap (graded runs are sandboxed by default).
    #[arg(long)]
    pub no_sandbox: bool,
    /// The lowest letter that exits 0; below it the exit code is 1.
    #[arg(long, value_enum, ignore_case = true, default_value_t = Letter::B)]
    pub require: Letter,
}

/// Arguments of `workbook gradebook`.
#[derive(Debug, clap::Args)]
pub struct GradebookArgs {
    /// Result files or folders of them (what `grade --batch --out DIR` writes, from one machine or many shards).
    #[arg(required = true, value_name = "RESULTS")]
    pub results: Vec<PathBuf>,
    /// Write the CSV here (one row per student).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// A share of a batch: `K/N`, 1 ≤ K ≤ N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This share, from 1.
    pub index: u32,
    /// How many shares.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let parsed = text.split_once('/').and_then(|(k, n)| {
            Some((k.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?))
        });
        match parsed {
            Some((index, count)) if index >= 1 && index <= count => Ok(Shard { index, count }),
            _ => Err(format!(
                "`{text}` is not a share: write K/N with 1 ≤ K ≤ N, e.g. 2/4"
            )),
        }
    }
}

/// A grade letter on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum, serde::Serialize)]
pub enum Letter {
    /// Below B.
    #[value(name = "C")]
    C,
    /// At least the rubric's B threshold.
    #[value(name = "B")]
    B,
    /// At least the rubric's A threshold.
    #[value(name = "A")]
    A,
    /// At least the S threshold, every check green and clean style.
    #[value(name = "S")]
    S,
}

/// A grade report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Scores, letter and remediation, for people.
    Human,
    /// workbook's versioned JSON (a superset of the Exercism test-runner results v3).
    Json,
    /// `JUnit` XML, one test case per check.
    Junit,
    /// Markdown, for `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// GitHub Actions annotations (`::error file=…::`).
    Github,
    /// Gradescope's `results.json`.
    Gradescope,
}

/// Where one report goes: `FORMAT` (standard output) or `FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    /// The format.
    pub format: ReportFormat,
    /// The file, or standard output.
    pub file: Option<PathBuf>,
}

impl std::str::FromStr for ReportTarget {
    type Err = String;

    fn from_str(text: &str) -> Result<ReportTarget, String> {
        let (name, file) = match text.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some(_) => return Err(format!("`{text}`: no file after `=`")),
            None => (text, None),
        };
        let format = ReportFormat::from_str(name, true).map_err(|_| {
            let names: Vec<String> = ReportFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
                .collect();
            format!("`{name}` is not a format; one of: {}", names.join(", "))
        })?;
        Ok(ReportTarget { format, file })
    }
}

/// Arguments of `workbook dev verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Build and run only these exercises (default: all; the content is always checked whole).
    pub exercises: Vec<String>,
}

/// Arguments of `workbook dev new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new exercise's id: lowercase words and dashes (its folder and crate name).
    pub id: String,
    /// The module that lists it.
    #[arg(long)]
    pub module: String,
    /// The databases it runs on, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Db::Sqlite, Db::Postgres])]
    pub backend: Vec<Db>,
    /// The student builds an axum router; the checks send real HTTP requests to it.
    #[arg(long)]
    pub http: bool,
}

/// Arguments of `workbook lesson`.
#[derive(Debug, clap::Args)]
pub struct LessonArgs {
    /// The lesson id (default: where you stopped, or the first lesson).
    pub id: Option<String>,
    /// Start at this step, by id or by number (default: where you stopped in this lesson).
    #[arg(long, value_name = "STEP")]
    pub step: Option<String>,
    /// Basic shows the core steps; Advanced shows every step.
    #[arg(long, value_enum)]
    pub level: Option<Level>,
    /// Include the Solution section (it is hidden until you ask).
    #[arg(long)]
    pub solution: bool,
    /// Answer a blank without the interactive viewer: NAME=ANSWER (the blank's
    /// name finds its step; `--step` may name it). May be repeated.
    #[arg(long, value_name = "NAME=ANSWER")]
    pub answer: Vec<String>,
    /// Show the answer of a blank (the blank's name finds its step).
    #[arg(long, value_name = "NAME")]
    pub reveal: Vec<String>,
}

/// An optional exercise id.
#[derive(Debug, clap::Args)]
pub struct ExerciseArg {
    /// The exercise id (default: the first exercise not passed yet).
    pub exercise: Option<String>,
}

/// Arguments of `workbook hint`.
#[derive(Debug, clap::Args)]
pub struct HintArgs {
    /// The exercise id (default: the first exercise not passed yet).
    pub exercise: Option<String>,
    /// Show this tier again (one already seen, or the next one).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub tier: Option<u32>,
    /// Show every tier seen so far.
    #[arg(long)]
    pub all: bool,
}

/// Arguments of `workbook solution`.
#[derive(Debug, clap::Args)]
pub struct SolutionArgs {
    /// The exercise id (default: the first exercise not passed yet).
    pub exercise: Option<String>,
    /// Show it even though the exercise has not passed yet, without asking.
    #[arg(long)]
    pub yes: bool,
}

/// Arguments of `workbook watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The exercise id (default: the first exercise not passed yet).
    pub exercise: Option<String>,
    /// The database, as for `workbook check`.
    #[arg(long, value_enum, default_value_t = Db::Sqlite)]
    pub db: Db,
}

/// Arguments of `workbook reset`.
#[derive(Debug, clap::Args)]
pub struct ResetArgs {
    /// The exercise id.
    pub exercise: String,
    /// Reset without asking.
    #[arg(long)]
    pub yes: bool,
    /// Put back the latest backup instead (your current version is backed up first).
    #[arg(long)]
    pub restore: bool,
}

/// Arguments of `workbook check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Exercise ids (default: every exercise of the course).
    pub exercises: Vec<String>,
    /// Check every exercise (the default when none is named).
    #[arg(long, conflicts_with = "exercises")]
    pub all: bool,
    /// The database: embedded `SQLite`, or Postgres (`WORKBOOK_DATABASE_URL`, else a throwaway local server).
    #[arg(long, value_enum, default_value_t = Db::Sqlite)]
    pub db: Db,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Isolate each check process with bubblewrap (`bwrap`): no network, the course hidden, only its scratch folder writable.
    #[arg(long)]
    pub sandbox: bool,
}

/// A database choice on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Db {
    /// Embedded `SQLite`, a temp file per check.
    Sqlite,
    /// `PostgreSQL`, a database per check.
    Postgres,
}

impl Db {
    /// The backend chosen.
    pub fn backend(self) -> workbook_support::Backend {
        match self {
            Db::Sqlite => workbook_support::Backend::Sqlite,
            Db::Postgres => workbook_support::Backend::Postgres,
        }
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table per exercise, for people.
    Human,
    /// One JSON document, for tools.
    Json,
}

/// Arguments of `workbook quiz`.
#[derive(Debug, clap::Args)]
pub struct QuizArgs {
    /// The module id (default: the module you are studying, or the first with a quiz).
    pub module: Option<String>,
    /// Draw the questions and shuffle them with this seed (default: a new one).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Score a saved answers file instead of asking (YAML, answers by question id).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
}

/// Arguments of `workbook progress`.
#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    /// Move the progress store aside (kept as a backup) and start with a fresh one.
    #[arg(long)]
    pub start_over: bool,
}
