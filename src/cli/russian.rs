//! The command-line help in Russian. The derive in `cli.rs` holds the English
//! texts; this lays Russian ones over the built command when the student's
//! language is Russian, so `--help` reads in the same language as the rest.

mod errors;

pub use errors::render_error;

use clap::{Arg, Command};

/// clap's layout with Russian headings.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}";

/// The exit codes, as in [`crate::exit::HELP`].
const EXIT_CODES: &str = "\
Коды завершения:
  0    всё в порядке
  1    не сдано (проверки не пройдены, квиз ниже порога, неверный ответ)
  2    ошибка в командной строке или в материалах курса
  3    проблема окружения (нечитаемые файлы, повреждённый файл прогресса, нет базы данных)
  129  терминал закрыт (SIGHUP)
  130  прервано (Ctrl-C)
  143  остановлено (SIGTERM)";

/// Applies the Russian texts to `command` and every subcommand: help texts,
/// headings, value names (`<ПАПКА>`), defaults and possible values.
pub fn localize(command: Command) -> Command {
    finish(texts(command))
}

/// The help texts of every command and argument.
fn texts(command: Command) -> Command {
    let command = common(command)
        .about("Интерактивный учебник по асинхронной работе с базами данных на Rust (sqlx и tokio)")
        .after_help(EXIT_CODES)
        .subcommand_help_heading("Команды")
        .mut_arg("course", |a| {
            a.help("Папка курса (по умолчанию: ближайшая папка вверх, где есть course.yaml)")
        })
        .mut_arg("lang", |a| {
            a.help("Язык (по умолчанию: $WORKBOOK_LANG, затем $LANG, затем английский): ru или en")
                .hide_possible_values(true)
        })
        .mut_arg("color", |a| {
            a.help("Когда использовать цвет (NO_COLOR учитывается): auto, always или never")
                .hide_possible_values(true)
        })
        .mut_arg("version", |a| a.help("Показать версию"))
        // Global, so subcommands inherit this text when the command is built.
        .mut_arg("help", |a| a.help("Показать справку"));
    command
        .mut_subcommand("list", |s| common(s).about("Модули, уроки, упражнения и квизы со статусом"))
        .mut_subcommand("lesson", |s| {
            common(s)
                .about("Читать урок: по шагу в терминале, простым текстом при выводе в канал")
                .mut_arg("id", |a| a.help("Идентификатор урока (по умолчанию: где вы остановились или первый урок)"))
                .mut_arg("step", |a| a.help("Начать с этого шага, по id или номеру (по умолчанию: где вы остановились в этом уроке)"))
                .mut_arg("level", |a| {
                    a.help("basic — основные шаги; advanced — все шаги").hide_possible_values(true)
                })
                .mut_arg("solution", |a| a.help("Показать раздел «Решение» (он скрыт, пока вы не попросите)"))
                .mut_arg("answer", |a| {
                    a.help("Ответить на пропуск без интерактивного режима: ИМЯ=ОТВЕТ (шаг находится по имени пропуска; можно указать --step); можно повторять")
                })
                .mut_arg("reveal", |a| a.help("Показать ответ пропуска (шаг находится по имени пропуска)"))
        })
        .mut_subcommand("progress", |s| {
            common(s)
                .about("Что сделано в каждом модуле")
                .mut_arg("start_over", |a| {
                    a.help("Переложить файл прогресса в резервную копию и начать заново")
                })
        })
        .mut_subcommand("quiz", |s| {
            common(s)
                .about("Пройти квиз модуля: в терминале, построчно из канала или из файла ответов")
                .mut_arg("module", |a| {
                    a.help("Идентификатор модуля (по умолчанию: модуль, который вы изучаете, или первый с квизом)")
                })
                .mut_arg("seed", |a| a.help("Выбрать и перемешать вопросы с этим зерном (по умолчанию: новое)"))
                .mut_arg("answers", |a| {
                    a.help("Оценить сохранённый файл ответов вместо вопросов (YAML, ответы по id вопроса)")
                })
        })
        .mut_subcommand("check", |s| {
            common(s)
                .about("Запустить проверки упражнений на временной базе данных")
                .mut_arg("exercises", |a| a.help("Идентификаторы упражнений (по умолчанию: все упражнения курса)"))
                .mut_arg("all", |a| a.help("Проверить все упражнения (так и есть, если ни одно не названо)"))
                .mut_arg("db", |a| {
                    a.help("База: встроенная SQLite или Postgres (WORKBOOK_DATABASE_URL, иначе временный локальный сервер): sqlite или postgres")
                        .hide_possible_values(true)
                })
                .mut_arg("format", |a| a.help("Формат вывода: human (таблица) или json").hide_possible_values(true))
                .mut_arg("sandbox", |a| {
                    a.help("Изолировать каждый процесс проверки через bubblewrap (`bwrap`): без сети, курс скрыт, запись только во временную папку")
                })
        })
        .mut_subcommand("hint", |s| {
            common(s)
                .about("Показать следующую подсказку к упражнению (каждый раз на уровень больше) или снова уже виденные")
                .mut_arg("exercise", |a| a.help("Идентификатор упражнения (по умолчанию: первое ещё не сданное)"))
                .mut_arg("tier", |a| a.help("Показать снова этот уровень подсказки (уже виденный или следующий)"))
                .mut_arg("all", |a| a.help("Показать все уже виденные уровни подсказки"))
        })
        .mut_subcommand("solution", |s| {
            common(s)
                .about("Показать эталонное решение упражнения (после сдачи или с подтверждением)")
                .mut_arg("exercise", |a| a.help("Идентификатор упражнения (по умолчанию: первое ещё не сданное)"))
                .mut_arg("yes", |a| a.help("Показать, даже если упражнение ещё не сдано, без вопроса"))
        })
        .mut_subcommand("reset", |s| {
            common(s)
                .about("Вернуть исходный код упражнения (ваша версия сохраняется в резервной копии)")
                .mut_arg("exercise", |a| a.help("Идентификатор упражнения"))
                .mut_arg("yes", |a| a.help("Вернуть исходный код без вопроса"))
                .mut_arg("restore", |a| {
                    a.help("Вместо этого вернуть последнюю резервную копию (текущая версия тоже сохраняется)")
                })
        })
        .mut_subcommand("watch", |s| {
            common(s)
                .about("Перепроверять упражнение при каждом сохранении (в терминале)")
                .mut_arg("exercise", |a| a.help("Идентификатор упражнения (по умолчанию: первое ещё не сданное)"))
                .mut_arg("db", |a| a.help("База данных, как в `workbook check`: sqlite или postgres").hide_possible_values(true))
        })
        .mut_subcommand("grade", grade)
        .mut_subcommand("gradebook", gradebook)
        .mut_subcommand("dev", dev)
}

/// `workbook grade`.
fn grade(s: Command) -> Command {
    common(s)
            .about("Оценить рабочую копию или сданную работу по эталонному курсу: баллы, оценка, что повторить")
            .mut_arg("submission", |a| a.help("Папка со сданной работой (копия курса); по умолчанию — рабочая копия"))
            .mut_arg("db", |a| {
                a.help("База данных: встроенная SQLite или Postgres (WORKBOOK_DATABASE_URL, иначе временный локальный сервер)")
                    .hide_possible_values(true)
            })
            .mut_arg("format", |a| {
                a.help("Отчёт: ФОРМАТ на стандартный вывод или ФОРМАТ=ФАЙЛ (human, json, junit, markdown, github, gradescope); можно повторять")
            })
            .mut_arg("out", |a| a.help("Записать отчёт без `=ФАЙЛ` в этот файл, а не на стандартный вывод"))
            .mut_arg("no_sandbox", |a| a.help("Запускать проверки без bubblewrap (по умолчанию оценка идёт в песочнице)"))
            .mut_arg("require", |a| {
                a.help("Наименьшая оценка с кодом выхода 0 (S, A, B, C); ниже — код 1").hide_possible_values(true)
            })
}

/// `workbook gradebook`.
fn gradebook(s: Command) -> Command {
    common(s)
        .about("Свести результаты оценки группы (одного запуска или его частей) в CSV и HTML-ведомость")
        .mut_arg("results", |a| {
            a.help("Файлы результатов или папки с ними (что пишет `grade --batch --out ПАПКА`, с одной машины или по частям)")
        })
        .mut_arg("csv", |a| a.help("Записать CSV в этот файл (строка на студента)"))
        .mut_arg("html", |a| a.help("Записать в этот файл самодостаточную HTML-ведомость"))
}

/// `workbook dev` and its subcommands, for course authors.
fn dev(s: Command) -> Command {
    common(s)
        .about("Инструменты для авторов курса")
        .subcommand_help_heading("Команды")
        .mut_subcommand("verify", |v| {
            common(v)
                .about("Проверить весь курс: материалы, ссылки, переводы (запускается в CI)")
                .mut_arg("exercises", |a| {
                    a.help("Собрать и запустить только эти упражнения (по умолчанию все; материалы проверяются целиком всегда)")
                })
        })
        .mut_subcommand("export", |v| {
            common(v)
                .about("Записать студенческую версию курса: без решений, ключи квизов скрыты")
                .mut_arg("dir", |a| a.help("Папка для студенческой версии (создаётся; если есть, должна быть пустой)"))
        })
        .mut_subcommand("new", |v| {
            common(v)
                .about("Создать новое упражнение по шаблону и добавить его в модуль")
                .mut_arg("id", |a| {
                    a.help("Идентификатор нового упражнения: строчные слова через дефис (имя папки и пакета)")
                })
                .mut_arg("module", |a| a.help("Модуль, в который оно входит"))
                .mut_arg("backend", |a| {
                    a.help("Базы данных, на которых оно запускается, через запятую: sqlite, postgres")
                        .hide_possible_values(true)
                })
                .mut_arg("http", |a| {
                    a.help("Студент строит роутер axum; проверки шлют ему настоящие HTTP-запросы")
                })
        })
}

/// What every (sub)command shares: the template and the headings.
fn common(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .next_help_heading("Параметры")
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("Аргументы")
            } else {
                a.help_heading("Параметры")
            }
        })
}

/// What clap writes itself, in Russian, on `command` and every subcommand:
/// value names, `[default: …]` and `[possible values: …]` (clap's own words
/// for these would stay English), and `COMMAND` in usage lines.
fn finish(command: Command) -> Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut command = command.mut_args(russian_arg);
    if command.has_subcommands() {
        command = command.subcommand_value_name("КОМАНДА");
    }
    for name in names {
        command = command.mut_subcommand(name, finish);
    }
    command
}

/// One argument's value names, default and possible values in Russian.
fn russian_arg(arg: Arg) -> Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    let names: Option<Vec<&'static str>> = match arg.get_value_names() {
        Some(names) => names.iter().map(|n| value_name(n.as_str())).collect(),
        None => value_name(&arg.get_id().as_str().to_uppercase()).map(|n| vec![n]),
    };
    let mut extra = Vec::new();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !arg.is_hide_possible_values_set() && !possible.is_empty() {
        extra.push(format!("[возможные значения: {}]", possible.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !arg.is_hide_default_value_set() && !defaults.is_empty() {
        extra.push(format!("[по умолчанию: {}]", defaults.join(", ")));
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = std::iter::once(help)
        .chain(extra)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let arg = match names {
        Some(names) => arg.value_names(names),
        None => arg,
    };
    arg.hide_possible_values(true)
        .hide_default_value(true)
        .help(help)
}

/// A value name in Russian (`DIR` → `ПАПКА`); `None` for one that reads the
/// same in both (`N`, `K/N`, `ID`) or is not known.
fn value_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "DIR" | "SUBMISSION" | "BATCH" => "ПАПКА",
        "FILE" | "ANSWERS" | "OUT" | "CSV" | "HTML" => "ФАЙЛ",
        "FILE|DIR" => "ФАЙЛ|ПАПКА",
        "FORMAT" => "ФОРМАТ",
        "FORMAT[=FILE]" => "ФОРМАТ[=ФАЙЛ]",
        "NAME" => "ИМЯ",
        "NAME=ANSWER" => "ИМЯ=ОТВЕТ",
        "RESULTS" => "РЕЗУЛЬТАТЫ",
        "STEP" => "ШАГ",
        "LANG" => "ЯЗЫК",
        "COLOR" => "ЦВЕТ",
        "DB" | "BACKEND" => "БАЗА",
        "MODULE" => "МОДУЛЬ",
        "EXERCISE" => "УПРАЖНЕНИЕ",
        "EXERCISES" => "УПРАЖНЕНИЯ",
        "LEVEL" | "TIER" => "УРОВЕНЬ",
        "SEED" => "ЗЕРНО",
        "REQUIRE" => "ОЦЕНКА",
        "LESSON" => "УРОК",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_names_read_in_russian() {
        assert_eq!(value_name("DIR"), Some("ПАПКА"));
        assert_eq!(value_name("FORMAT[=FILE]"), Some("ФОРМАТ[=ФАЙЛ]"));
        assert_eq!(value_name("NAME=ANSWER"), Some("ИМЯ=ОТВЕТ"));
        assert_eq!(value_name("K/N"), None, "reads the same");
    }
}
