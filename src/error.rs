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
    #[error("unknown {} `{id}`", kind.name(Lang::En))]
    UnknownId {
        /// What kind of thing the id names.
        kind: IdKind,
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
    /// Reading or writing a file or folder failed; the path is named.
    #[error("{0}")]
    File(crate::course::paths::PathError),
    /// Terminal or file input/output failed.
    #[error("{0}")]
    Io(std::io::Error),
}

/// What kind of thing an id on the command line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A lesson (`lessons/<id>.yaml`).
    Lesson,
    /// A step of a lesson.
    Step,
    /// A fill-in blank of a step.
    Blank,
    /// A module of `course.yaml`.
    Module,
    /// A quiz question.
    Question,
    /// An exercise crate.
    Exercise,
}

impl IdKind {
    /// The kind's name: `lesson`, `урок`.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            IdKind::Lesson => lang.pick("lesson", "урок"),
            IdKind::Step => lang.pick("step", "шаг"),
            IdKind::Blank => lang.pick("blank", "пропуск"),
            IdKind::Module => lang.pick("module", "модуль"),
            IdKind::Question => lang.pick("question", "вопрос"),
            IdKind::Exercise => lang.pick("exercise", "упражнение"),
        }
    }

    /// "unknown lesson", with the adjective agreeing in Russian
    /// ("неизвестный урок", "неизвестное упражнение").
    pub fn unknown(self, lang: Lang) -> String {
        let adjective = match (lang, self) {
            (Lang::En, _) => "unknown",
            (Lang::Ru, IdKind::Exercise) => "неизвестное",
            (Lang::Ru, _) => "неизвестный",
        };
        format!("{adjective} {}", self.name(lang))
    }
}

impl Error {
    /// An unknown id, with the nearest valid one suggested or all of them listed.
    pub fn unknown<'a>(kind: IdKind, id: &str, valid: impl IntoIterator<Item = &'a str>) -> Error {
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
            | Error::File(_)
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
            Error::Scaffold(error) => (error.parts(lang), None),
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
                let message = format!("{} `{id}`", kind.unknown(lang));
                let hint = if let Some(near) = suggestion {
                    lang.pick(
                        format!("did you mean `{near}`?"),
                        format!("может быть, `{near}`?"),
                    )
                } else {
                    let valid: Vec<String> = valid.iter().map(|v| format!("`{v}`")).collect();
                    lang.pick(
                        format!("valid: {}", valid.join(", ")),
                        format!("допустимые: {}", valid.join(", ")),
                    )
                };
                (message, Some(hint))
            }
            Error::Usage(message) => (message.clone(), None),
            Error::File(error) => (path_error(error, lang), None),
            Error::Io(error) => (describe_io(error, lang), None),
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
        ClusterError::NotInstalled { searched } => (
            lang.pick(
                format!(
                    "PostgreSQL is not installed (no `initdb` in {}), and WORKBOOK_DATABASE_URL is not set",
                    searched.join(", ")
                ),
                format!(
                    "PostgreSQL не установлен (`initdb` нет в {}), и WORKBOOK_DATABASE_URL не задан",
                    searched.join(", ")
                ),
            ),
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
                "PostgreSQL не запускается от имени `root`, а пользователя `postgres` нет",
            )
            .to_owned(),
            Some(format!("{} {set_url}", lang.pick("create one (`useradd --system postgres`),", "создайте его (`useradd --system postgres`),"))),
        ),
        ClusterError::Failed(message) => (
            format!(
                "{}: {}",
                lang.pick("could not start a throwaway PostgreSQL", "не удалось запустить временный PostgreSQL"),
                quoted(message, lang)
            ),
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
                format!("файл прогресса {} повреждён (SQLite сообщает {}); он не изменён", path.display(), quoted(detail, lang)),
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
        StoreError::Open { path, source } => {
            let why = source
                .downcast_ref::<std::io::Error>()
                .map_or_else(|| quoted(&source.to_string(), lang), |io| io_error(io, lang));
            (
                lang.pick(
                    format!("cannot open the progress store {}: {source}", path.display()),
                    format!("не удалось открыть файл прогресса {}: {why}", path.display()),
                ),
                Some(lang.pick(
                    "if the course folder is read-only, set WORKBOOK_STATE_DIR to a folder you can write to".to_owned(),
                    "если папка курса только для чтения, задайте в WORKBOOK_STATE_DIR папку, куда можно писать".to_owned(),
                )),
            )
        }
        StoreError::Query { path, source } => (
            lang.pick(
                format!("the progress store {} failed: {source}", path.display()),
                format!(
                    "сбой файла прогресса {}: SQLite сообщает {}",
                    path.display(),
                    quoted(&source.to_string(), lang)
                ),
            ),
            None,
        ),
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
                format!("bubblewrap (`bwrap`) не может создать песочницу здесь: {}", quoted(why, lang)),
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

/// I/O errors become [`Error::Io`], except those that name their path
/// ([`Error::File`]) and a cargo that could not be started, which is named as
/// the missing tool it is.
impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        use crate::course::paths::PathError;
        use crate::runner::build::MissingCargo;
        if error
            .get_ref()
            .is_some_and(<dyn std::error::Error + Send + Sync>::is::<PathError>)
        {
            let kind = error.kind();
            if let Some(inner) = error.into_inner()
                && let Ok(named) = inner.downcast::<PathError>()
            {
                return Error::File(*named);
            }
            return Error::Io(std::io::Error::from(kind));
        }
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
            format!("не удалось запустить `{program}`: {}", io_error(source, lang)),
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

/// `cannot read /x/y: No such file or directory`, in `lang`.
fn path_error(error: &crate::course::paths::PathError, lang: Lang) -> String {
    use crate::course::paths::FileAction;
    let path = error.path.display();
    match lang {
        Lang::En => error.to_string(),
        Lang::Ru => {
            let action = match error.action {
                FileAction::Read => "прочитать",
                FileAction::Write => "записать",
                FileAction::Create => "создать",
                FileAction::Open => "открыть",
                FileAction::Move => "переместить",
            };
            format!(
                "не удалось {action} {path}: {}",
                io_error(&error.source, lang)
            )
        }
    }
}

/// An I/O error as a whole message in `lang`: one that names its path
/// (`cannot read /x: …`), or what the system said.
pub fn describe_io(error: &std::io::Error, lang: Lang) -> String {
    use crate::course::paths::PathError;
    if let Some(named) = error.get_ref().and_then(|e| e.downcast_ref::<PathError>()) {
        return path_error(named, lang);
    }
    match lang {
        Lang::En => error.to_string(),
        Lang::Ru => format!("сбой ввода-вывода: {}", io_error(error, lang)),
    }
}

/// What the system said about an I/O error, in `lang`: the English text is
/// the system's own; in Russian the common kinds are translated and anything
/// else is quoted as it came.
pub fn io_error(error: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::Ru => {
            let reason = io_reason(error.kind(), lang);
            if reason.is_empty() {
                match error.raw_os_error() {
                    Some(code) => format!("системная ошибка {code}"),
                    None => quoted(&error.to_string(), lang),
                }
            } else {
                reason
            }
        }
    }
}

/// A short reason for an I/O error kind ("permission denied"); empty when
/// there is no translation for the kind.
pub fn io_reason(kind: std::io::ErrorKind, lang: Lang) -> String {
    use std::io::ErrorKind;
    let (en, ru) = match kind {
        ErrorKind::NotFound => ("no such file or folder", "нет такого файла или папки"),
        ErrorKind::PermissionDenied => ("permission denied", "нет прав доступа"),
        ErrorKind::ReadOnlyFilesystem => (
            "read-only file system",
            "файловая система только для чтения",
        ),
        ErrorKind::AlreadyExists => ("it exists already", "уже существует"),
        ErrorKind::IsADirectory => ("it is a folder", "это папка"),
        ErrorKind::NotADirectory => (
            "a part of the path is not a folder",
            "часть пути — не папка",
        ),
        ErrorKind::DirectoryNotEmpty => ("the folder is not empty", "папка не пуста"),
        ErrorKind::StorageFull => ("no space left on the device", "на диске нет места"),
        ErrorKind::QuotaExceeded => ("the disk quota is exceeded", "превышена дисковая квота"),
        ErrorKind::FileTooLarge => ("the file is too large", "файл слишком большой"),
        ErrorKind::InvalidData => (
            "the data is not valid (not UTF-8?)",
            "данные повреждены или не в UTF-8",
        ),
        ErrorKind::BrokenPipe => ("the output was closed", "вывод закрыт"),
        ErrorKind::UnexpectedEof => ("the input ended early", "ввод закончился раньше времени"),
        ErrorKind::Interrupted => ("interrupted", "прервано"),
        ErrorKind::TimedOut => ("timed out", "истекло время ожидания"),
        ErrorKind::OutOfMemory => ("out of memory", "не хватило памяти"),
        ErrorKind::ResourceBusy => ("the resource is busy", "ресурс занят"),
        _ => ("", ""),
    };
    lang.pick(en, ru).to_owned()
}

/// A message from another program (the system, `SQLite`) that has no
/// translation, marked as quoted in Russian so it reads as a citation.
fn quoted(message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => message.to_owned(),
        Lang::Ru => format!("«{}»", message.trim()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::path::{Path, PathBuf};

    use workbook_support::pg_cluster::ClusterError;
    use workbook_support::sandbox::SandboxError;
    use workbook_support::signals::Stop;

    use super::*;
    use crate::course::paths::{FileAction, failed};
    use crate::diagnostic::Diagnostic;
    use crate::export::ExportError;
    use crate::export::edit::EditError;
    use crate::quiz::answer::{AnswerError, Shape};
    use crate::quiz::answers_file::Problem;
    use crate::scaffold::{EditProblem, ScaffoldError};

    /// Names every variant, with no catch-all: a new variant does not compile
    /// until it is added to [`samples`] too.
    fn variant(error: &Error) -> &'static str {
        match error {
            Error::NoCourse { .. } => "NoCourse",
            Error::Content(_) => "Content",
            Error::Postgres(_) => "Postgres",
            Error::Scaffold(_) => "Scaffold",
            Error::Export(_) => "Export",
            Error::MissingTool { .. } => "MissingTool",
            Error::Sandbox(_) => "Sandbox",
            Error::Build(_) => "Build",
            Error::Interrupted(_) => "Interrupted",
            Error::Answers(_) => "Answers",
            Error::Store(_) => "Store",
            Error::UnknownId { .. } => "UnknownId",
            Error::Usage(_) => "Usage",
            Error::File(_) => "File",
            Error::Io(_) => "Io",
        }
    }

    fn os(code: i32) -> std::io::Error {
        std::io::Error::from_raw_os_error(code)
    }

    /// Every variant, and every inner kind a student can meet, built as the
    /// program builds them; messages chosen by language are built in `lang`.
    fn samples(lang: Lang) -> Vec<Error> {
        let path = PathBuf::from("/home/ann/course/.workbook/progress.db");
        let answers = |problem: Problem| Diagnostic {
            file: PathBuf::from("quiz/answers/async-basics.yaml"),
            mark: Some(crate::yaml::Mark { line: 3, col: 5 }),
            path: "answers.pool-from-url".to_owned(),
            message: problem.describe(lang),
        };
        let mut samples = vec![
            Error::NoCourse {
                start: PathBuf::from("/home/ann"),
                explicit: false,
            },
            Error::NoCourse {
                start: PathBuf::from("/home/ann/course"),
                explicit: true,
            },
            Error::Content(ContentErrors(vec![Diagnostic::file(
                "lessons/a.yaml",
                "missing key `title`",
            )])),
            Error::Postgres(ClusterError::NotInstalled {
                searched: vec![
                    "PATH".into(),
                    "pg_config --bindir".into(),
                    "/usr/lib/postgresql/*/bin".into(),
                ],
            }),
            Error::Postgres(ClusterError::BinDir {
                dir: PathBuf::from("/nonexistent"),
                missing: "initdb",
            }),
            Error::Postgres(ClusterError::NoUser),
            Error::Postgres(ClusterError::Failed("initdb exited with status 1".into())),
            Error::Scaffold(ScaffoldError::BadId("Bad_Id".into())),
            Error::Scaffold(ScaffoldError::Taken("eager-tags".into())),
            Error::Scaffold(ScaffoldError::UnknownModule {
                id: "relations".into(),
                near: Some("relations-performance".into()),
            }),
            Error::Scaffold(ScaffoldError::NoStep("async-basics".into())),
            Error::Scaffold(ScaffoldError::Io {
                path: PathBuf::from("exercises/new-one"),
                source: os(13),
            }),
            Error::Export(ExportError::NotEmpty(PathBuf::from("/tmp/student"))),
            Error::Export(ExportError::InsideCourse(PathBuf::from(
                "/home/ann/course/out",
            ))),
            Error::Export(ExportError::AlreadyStudent),
            Error::Export(ExportError::Unsealable {
                file: "quiz/a.yaml".into(),
                error: EditError {
                    line: 4,
                    message: "answers written over several lines".into(),
                },
            }),
            Error::Export(ExportError::Io(failed(os(28), FileAction::Write, &path))),
            Error::Export(ExportError::SelfCheck(
                "quiz `a` marks a right answer wrong".into(),
            )),
            Error::MissingTool {
                program: "cargo".into(),
                source: os(2),
            },
            Error::Sandbox(SandboxError::Missing),
            Error::Sandbox(SandboxError::Broken(
                "setting up uid map: Permission denied".into(),
            )),
            Error::Build("error: failed to parse manifest".into()),
            Error::Interrupted(Stop::Interrupt),
            Error::Store(StoreError::Corrupt {
                path: path.clone(),
                detail: "file is not a database".into(),
            }),
            Error::Store(StoreError::Foreign { path: path.clone() }),
            Error::Store(StoreError::TooNew {
                path: path.clone(),
                found: 9,
                known: 3,
            }),
            Error::Store(StoreError::Open {
                path: path.clone(),
                source: os(13).into(),
            }),
            Error::Store(StoreError::Query {
                path: path.clone(),
                source: sqlx::Error::PoolTimedOut,
            }),
            Error::Usage(
                lang.pick("the course has no modules", "в курсе нет модулей")
                    .into(),
            ),
            Error::Io(std::io::Error::from(ErrorKind::BrokenPipe)),
            Error::Io(os(5)),
            Error::Io(std::io::Error::other("something odd")),
        ];
        for kind in [
            IdKind::Lesson,
            IdKind::Step,
            IdKind::Blank,
            IdKind::Module,
            IdKind::Question,
            IdKind::Exercise,
        ] {
            samples.push(Error::unknown(kind, "nosuch", ["one", "two"]));
            samples.push(Error::unknown(kind, "onee", ["one", "two"]));
        }
        for action in [
            FileAction::Read,
            FileAction::Write,
            FileAction::Create,
            FileAction::Open,
            FileAction::Move,
        ] {
            samples.push(Error::from(failed(os(30), action, &path)));
        }
        for problem in [
            Problem::Unreadable(os(2)),
            Problem::Yaml("missing key `module`".into()),
            Problem::Yaml("unknown key `sed` (did you mean `seed`?)".into()),
            Problem::Yaml("expected a whole number, 0 or more, found `abc`".into()),
            Problem::Format(2),
            Problem::OtherModule {
                found: "a".into(),
                expected: "b".into(),
            },
            Problem::NoSeed {
                drawn: 8,
                total: 10,
            },
            Problem::UnknownQuestion {
                id: "pool".into(),
                near: Some("pool-from-url".into()),
            },
            Problem::NotDrawn {
                id: "pool".into(),
                seed: 7,
            },
            Problem::Misfit {
                id: "pool".into(),
                kind: "single",
                error: AnswerError::Shape {
                    expected: Shape::Option,
                },
            },
            Problem::Misfit {
                id: "pool".into(),
                kind: "single",
                error: AnswerError::UnknownOption {
                    given: "x".into(),
                    valid: "a, b".into(),
                },
            },
            Problem::Misfit {
                id: "order".into(),
                kind: "order",
                error: AnswerError::NotAPermutation {
                    valid: "a, b".into(),
                },
            },
            Problem::Misfit {
                id: "fill".into(),
                kind: "fill",
                error: AnswerError::UnknownBlank {
                    given: "X".into(),
                    valid: "BEGIN".into(),
                },
            },
        ] {
            samples.push(Error::Answers(vec![answers(problem)]));
        }
        samples.push(Error::Scaffold(ScaffoldError::Edit {
            path: PathBuf::from("course.yaml"),
            why: EditProblem::ExercisesNotAList("a".into()),
        }));
        samples
    }

    /// Words a Russian text may keep in Latin letters: names of programs,
    /// systems and formats.
    const NAMES: [&str; 22] = [
        "workbook",
        "cargo",
        "PostgreSQL",
        "Postgres",
        "SQLite",
        "bubblewrap",
        "Rust",
        "Debian",
        "Ubuntu",
        "macOS",
        "git",
        "pull",
        "build",
        "sysctl",
        "YAML",
        "UTF",
        "null",
        "MB",
        "ID",
        "id",
        "sudo",
        "apt",
    ];

    /// The Latin words of `text` that are not code, a path, a flag, a
    /// variable, a quotation or a name: what a Russian reader should not meet.
    fn stray_latin(text: &str) -> Vec<String> {
        // Code in backticks and quotations of other programs' words are kept as they are.
        let mut plain = String::new();
        let mut closing: Option<char> = None;
        for c in text.chars() {
            match (closing, c) {
                (None, '`') => closing = Some('`'),
                (None, '«') => closing = Some('»'),
                (Some(end), c) if c == end => closing = None,
                (None, c) => plain.push(c),
                _ => {}
            }
        }
        plain
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '?' | '!'))
            .map(|word| word.trim_matches(|c: char| matches!(c, '.' | ':' | '—' | '\'' | '"')))
            .filter(|word| word.chars().any(|c| c.is_ascii_alphabetic()))
            .filter(|word| {
                let path = word.contains('/') || word.contains("://") || word.contains('.');
                let flag = word.starts_with('-');
                let variable = word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '=');
                let identifier = word.contains('_') || word.contains('-') && word.is_ascii();
                !(path || flag || variable || identifier || NAMES.contains(word))
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_error_reads_in_russian_without_stray_english() {
        let samples = samples(Lang::Ru);
        let mut seen: Vec<&str> = samples.iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 15, "every variant has a sample: {seen:?}");
        for error in &samples {
            let text = error.render(Lang::Ru);
            // Content errors and build output are for authors and come from
            // other programs: only their headings are translated.
            let checked = match error {
                Error::Content(_) | Error::Build(_) => text.lines().next().unwrap_or_default(),
                _ => &text,
            };
            let stray = stray_latin(checked);
            assert!(stray.is_empty(), "{stray:?} in:\n{text}");
            assert!(text.starts_with("ошибка: "), "{text}");
        }
    }

    #[test]
    fn every_error_reads_in_english_and_names_what_failed() {
        for error in samples(Lang::En) {
            let text = error.render(Lang::En);
            assert!(text.starts_with("error: "), "{text}");
            assert!(!text.contains("ошибка"), "{text}");
            assert!(
                !text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я')),
                "Cyrillic in English: {text}"
            );
        }
        let named = Error::from(failed(os(2), FileAction::Read, Path::new("/x/y.yaml")));
        assert_eq!(
            named.render(Lang::En),
            "error: cannot read /x/y.yaml: No such file or directory (os error 2)\n"
        );
        assert_eq!(
            named.render(Lang::Ru),
            "ошибка: не удалось прочитать /x/y.yaml: нет такого файла или папки\n"
        );
    }

    #[test]
    fn unknown_ids_agree_in_gender() {
        let exercise = Error::unknown(IdKind::Exercise, "nosuch", ["eager-tags"]);
        assert_eq!(
            exercise.render(Lang::Ru),
            "ошибка: неизвестное упражнение `nosuch`\nподсказка: допустимые: `eager-tags`\n"
        );
        let lesson = Error::unknown(IdKind::Lesson, "basic", ["basics"]);
        assert_eq!(
            lesson.render(Lang::Ru),
            "ошибка: неизвестный урок `basic`\nподсказка: может быть, `basics`?\n"
        );
        assert_eq!(
            lesson.render(Lang::En),
            "error: unknown lesson `basic`\nhint: did you mean `basics`?\n"
        );
    }
}
