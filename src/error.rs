//! The errors a command can end with, how they are shown and their exit codes.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::course::{ContentErrors, MANIFEST_FILE};
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::lang::Lang;
use crate::store::StoreError;

/// Why a command could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No course manifest where one was looked for.
    #[error("no course found")]
    NoCourse {
        /// Where the search started.
        start: PathBuf,
        /// Whether the folder was given with `--course`.
        explicit: bool,
    },
    /// The course content has errors.
    #[error(transparent)]
    Content(#[from] ContentErrors),
    /// No Postgres could be had for `--db postgres`.
    #[error("{0}")]
    Postgres(workbook_support::pg_cluster::ClusterError),
    /// `dev new` could not create the exercise.
    #[error(transparent)]
    Scaffold(crate::scaffold::ScaffoldError),
    /// `dev export` could not write the student edition.
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// A program workbook runs is not there (cargo).
    #[error("cannot run `{program}`: {source}")]
    MissingTool {
        /// The program, as it was looked for.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// `--sandbox` was asked for and bubblewrap cannot provide one.
    #[error("{0}")]
    Sandbox(workbook_support::sandbox::SandboxError),
    /// Cargo could not build the exercises (not a compile error in them).
    #[error("cargo could not build the exercises")]
    Build(String),
    /// The run was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP); everything it
    /// started was cleaned up.
    #[error("interrupted by {0}")]
    Interrupted(workbook_support::signals::Stop),
    /// A quiz answers file has errors.
    #[error("the answers file has errors")]
    Answers(Vec<Diagnostic>),
    /// The progress store cannot be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An id given on the command line does not exist.
    #[error("unknown {kind} `{id}`")]
    UnknownId {
        /// What kind of thing (`lesson`, `step`, `blank`), in English.
        kind: &'static str,
        /// The id given.
        id: String,
        /// The nearest existing id.
        suggestion: Option<String>,
        /// Every valid id, for the message.
        valid: Vec<String>,
    },
    /// A command-line value is malformed.
    #[error("{0}")]
    Usage(String),
    /// Terminal or file input/output failed.
    #[error("{0}")]
    Io(std::io::Error),
}

impl Error {
    /// An unknown id, with the nearest valid one suggested or all of them listed.
    pub fn unknown<'a>(
        kind: &'static str,
        id: &str,
        valid: impl IntoIterator<Item = &'a str>,
    ) -> Error {
        let valid: Vec<&str> = valid.into_iter().collect();
        Error::UnknownId {
            kind,
            id: id.to_owned(),
            suggestion: crate::suggest::did_you_mean(id, valid.iter().copied()).map(str::to_owned),
            valid: valid.into_iter().map(str::to_owned).collect(),
        }
    }

    /// The exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_)
            | Error::Answers(_)
            | Error::UnknownId { .. }
            | Error::Usage(_)
            | Error::NoCourse { .. }
            | Error::Scaffold(_) => exit::USAGE,
            Error::Store(_)
            | Error::Io(_)
            | Error::Postgres(_)
            | Error::Build(_)
            | Error::Sandbox(_)
            | Error::MissingTool { .. } => exit::ENVIRONMENT,
            Error::Interrupted(stop) => stop.exit_code(),
            Error::Export(error) => error.exit_code(),
        }
    }

    /// The full message for a student, in their language: `error: …` lines and,
    /// where there is a way out, a `hint: …` line.
    pub fn render(&self, lang: Lang) -> String {
        let (message, hint) = self.parts(lang);
        let mut out = format!("{}: {message}\n", lang.pick("error", "ошибка"));
        if let Some(hint) = hint {
            let _ = writeln!(out, "{}: {hint}", lang.pick("hint", "подсказка"));
        }
        out
    }

    fn parts(&self, lang: Lang) -> (String, Option<String>) {
        match self {
            Error::NoCourse { start, explicit } => {
                let start = start.display();
                let message = if *explicit {
                    lang.pick(
                        format!("{start} is not a course folder: it has no {MANIFEST_FILE}"),
                        format!("{start} — не папка курса: в ней нет {MANIFEST_FILE}"),
                    )
                } else {
                    lang.pick(
                        format!("no {MANIFEST_FILE} in {start} or any folder above it"),
                        format!("нет {MANIFEST_FILE} ни в {start}, ни в папках выше"),
                    )
                };
                let hint = lang.pick(
                    "run workbook inside the course folder, or pass --course DIR".to_owned(),
                    "запустите workbook в папке курса или укажите --course ПАПКА".to_owned(),
                );
                (message, Some(hint))
            }
            Error::Content(errors) => (
                format!(
                    "{}\n{errors}",
                    lang.pick(
                        "the course content has errors:",
                        "в материалах курса есть ошибки:"
                    )
                ),
                None,
            ),
            Error::Answers(problems) => {
                let mut message = lang
                    .pick(
                        "the answers file has errors:",
                        "в файле ответов есть ошибки:",
                    )
                    .to_owned();
                for problem in problems {
                    let _ = write!(message, "\n{problem}");
                }
                (message, None)
            }
            Error::Store(error) => store_parts(error, lang),
            Error::Postgres(error) => postgres_parts(error, lang),
            Error::Sandbox(error) => sandbox_parts(error, lang),
            Error::MissingTool { program, source } => missing_tool_parts(program, source, lang),
            // Author-facing, like the content errors: English.
            Error::Scaffold(error) => (error.to_string(), None),
            Error::Export(error) => error.parts(lang),
            Error::Build(output) => (
                format!(
                    "{}\n{output}",
                    lang.pick("cargo could not build the exercises:", "cargo не смог собрать упражнения:")
                ),
                None,
            ),
            Error::Interrupted(stop) => (
                lang.pick(
                    format!("interrupted by {stop}; the check processes, scratch databases and any throwaway server were cleaned up"),
                    format!("прервано сигналом {stop}; процессы проверок, временные базы и временный сервер удалены"),
                ),
                None,
            ),
            Error::UnknownId {
                kind,
                id,
                suggestion,
                valid,
            } => {
                let kind_ru = match *kind {
                    "lesson" => "урок",
                    "step" => "шаг",
                    "blank" => "пропуск",
                    "module" => "модуль",
                    "question" => "вопрос",
                    other => other,
                };
                let message = lang.pick(
                    format!("unknown {kind} `{id}`"),
                    format!("неизвестный {kind_ru} `{id}`"),
                );
                let hint = match suggestion {
                    Some(near) => lang.pick(
                        format!("did you mean `{near}`?"),
                        format!("может быть, `{near}`?"),
                    ),
                    None => lang.pick(
                        format!("valid: {}", valid.join(", ")),
                        format!("допустимые: {}", valid.join(", ")),
                    ),
                };
                (message, Some(hint))
            }
            Error::Usage(message) => (message.clone(), None),
            Error::Io(error) => (error.to_string(), None),
        }
    }
}

fn postgres_parts(
    error: &workbook_support::pg_cluster::ClusterError,
    lang: Lang,
) -> (String, Option<String>) {
    use workbook_support::pg_cluster::ClusterError;
    let set_url = lang.pick(
        "or set WORKBOOK_DATABASE_URL to a server where workbook may create databases, e.g. postgres://postgres:secret@localhost:5432/postgres",
        "или задайте WORKBOOK_DATABASE_URL — сервер, где workbook может создавать базы, например postgres://postgres:secret@localhost:5432/postgres",
    );
    match error {
        ClusterError::NotInstalled { .. } => (
            lang.pick(
                "PostgreSQL is not installed, and WORKBOOK_DATABASE_URL is not set",
                "PostgreSQL не установлен, и WORKBOOK_DATABASE_URL не задан",
            )
            .to_owned(),
            Some(format!(
                "{} {set_url}",
                lang.pick(
                    "install it (Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql`),",
                    "установите его (Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql`),",
                )
            )),
        ),
        ClusterError::BinDir { dir, missing } => (
            lang.pick(
                format!("WORKBOOK_PG_BINDIR is {}, which has no `{missing}`", dir.display()),
                format!("WORKBOOK_PG_BINDIR указывает на {}, а там нет `{missing}`", dir.display()),
            ),
            Some(lang.pick(
                "point it at the folder with PostgreSQL's server programs (e.g. /usr/lib/postgresql/15/bin), or unset it to let workbook look in the usual places".to_owned(),
                "укажите папку с серверными программами PostgreSQL (например, /usr/lib/postgresql/15/bin) или уберите переменную, чтобы workbook искал в обычных местах".to_owned(),
            )),
        ),
        ClusterError::NoUser => (
            lang.pick(
                "PostgreSQL refuses to run as root and there is no `postgres` user to run it as",
                "PostgreSQL не запускается от root, а пользователя `postgres` нет",
            )
            .to_owned(),
            Some(format!("{} {set_url}", lang.pick("create one (`useradd --system postgres`),", "создайте его (`useradd --system postgres`),"))),
        ),
        ClusterError::Failed(message) => (
            format!("{}: {message}", lang.pick("could not start a throwaway PostgreSQL", "не удалось запустить временный PostgreSQL")),
            Some(set_url.to_owned()),
        ),
    }
}

fn store_parts(error: &StoreError, lang: Lang) -> (String, Option<String>) {
    let start_over = lang.pick(
        "run `workbook progress --start-over` to keep the old file as a backup and begin a fresh one",
        "выполните `workbook progress --start-over`: старый файл сохранится как резервная копия, начнётся новый",
    );
    match error {
        StoreError::Corrupt { path, detail } => (
            lang.pick(
                format!("the progress store {} is damaged ({detail}); it was left untouched", path.display()),
                format!("файл прогресса {} повреждён ({detail}); он не изменён", path.display()),
            ),
            Some(start_over.to_owned()),
        ),
        StoreError::Foreign { path } => (
            lang.pick(
                format!("{} is not a workbook progress store; it was left untouched", path.display()),
                format!("{} — не файл прогресса workbook; он не изменён", path.display()),
            ),
            Some(start_over.to_owned()),
        ),
        StoreError::TooNew { path, found, known } => (
            lang.pick(
                format!(
                    "the progress store {} was written by a newer workbook (schema {found}, this one knows {known}); it was left untouched",
                    path.display()
                ),
                format!(
                    "файл прогресса {} записан более новой версией workbook (схема {found}, эта знает {known}); он не изменён",
                    path.display()
                ),
            ),
            Some(
                lang.pick(
                    format!("update workbook (git pull, then cargo build), or {start_over}"),
                    format!("обновите workbook (git pull, затем cargo build) или {start_over}"),
                ),
            ),
        ),
        StoreError::Open { .. } | StoreError::Query(_) => (error.to_string(), None),
    }
}

/// `--sandbox` without a working bubblewrap: what is missing and how to get it.
fn sandbox_parts(
    error: &workbook_support::sandbox::SandboxError,
    lang: Lang,
) -> (String, Option<String>) {
    use workbook_support::sandbox::SandboxError;
    match error {
        SandboxError::Missing => (
            lang.pick(
                "--sandbox needs bubblewrap (`bwrap`), which is not installed",
                "для --sandbox нужен bubblewrap (`bwrap`), а он не установлен",
            )
            .to_owned(),
            Some(
                lang.pick(
                    "install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`), or run without --sandbox (check processes are then not isolated)",
                    "установите его (Debian/Ubuntu: `sudo apt-get install bubblewrap`) или запустите без --sandbox (тогда процессы проверок не изолированы)",
                )
                .to_owned(),
            ),
        ),
        SandboxError::Broken(why) => (
            lang.pick(
                format!("bubblewrap (`bwrap`) cannot make a sandbox here: {why}"),
                format!("bubblewrap (`bwrap`) не может создать песочницу здесь: {why}"),
            ),
            Some(
                lang.pick(
                    "unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone); run without --sandbox, or where they are allowed",
                    "возможно, отключены непривилегированные пространства имён (sysctl kernel.unprivileged_userns_clone); запустите без --sandbox или там, где они разрешены",
                )
                .to_owned(),
            ),
        ),
    }
}

/// I/O errors become [`Error::Io`], except a cargo that could not be started,
/// which is named as the missing tool it is.
impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        use crate::runner::build::MissingCargo;
        if error
            .get_ref()
            .is_some_and(<dyn std::error::Error + Send + Sync>::is::<MissingCargo>)
        {
            let kind = error.kind();
            if let Some(inner) = error.into_inner()
                && let Ok(missing) = inner.downcast::<MissingCargo>()
            {
                return Error::MissingTool {
                    program: missing.program,
                    source: missing.source,
                };
            }
            return Error::Io(std::io::Error::from(kind));
        }
        Error::Io(error)
    }
}

/// A program workbook runs could not be started: which, and how to get it.
fn missing_tool_parts(
    program: &str,
    source: &std::io::Error,
    lang: Lang,
) -> (String, Option<String>) {
    (
        lang.pick(
            format!("cannot run `{program}`: {source}"),
            format!("не удалось запустить `{program}`: {source}"),
        ),
        Some(
            lang.pick(
                "workbook builds exercises with cargo: install Rust (https://rustup.rs, or your system's `cargo` package) and make sure `cargo` is on PATH, or set CARGO to its full path",
                "workbook собирает упражнения через cargo: установите Rust (https://rustup.rs или пакет `cargo` вашей системы) и добавьте `cargo` в PATH или укажите полный путь в CARGO",
            )
            .to_owned(),
        ),
    )
}
