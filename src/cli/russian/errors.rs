//! clap's own messages in Russian: the usage errors it finds while parsing
//! (an unknown command, a bad value) are written here from the error's kind
//! and context, the way clap writes them in English, and the help it prints
//! gets the few words clap keeps to itself (`[OPTIONS]`, `Usage:`).

use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The text clap would print for `error`, in Russian: a usage error on
/// standard error, or the help or version the student asked for (see
/// [`clap::Error::use_stderr`] for where it goes). `ansi` keeps clap's colours
/// in the help, for a terminal.
pub fn render_error(error: &clap::Error, ansi: bool) -> String {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let help = error.render();
            let text = if ansi {
                help.ansi().to_string()
            } else {
                help.to_string()
            };
            usage_words(&text)
        }
        ErrorKind::DisplayVersion => error.render().to_string(),
        _ => usage_error(error),
    }
}

/// The words clap writes into usage lines itself.
fn usage_words(text: &str) -> String {
    text.replace("Usage:", "Использование:")
        .replace("[OPTIONS]", "[ПАРАМЕТРЫ]")
}

/// `value` as text: a list joined with commas.
fn text(value: &ContextValue) -> String {
    match value {
        ContextValue::Strings(values) => values.join(", "),
        ContextValue::StyledStrs(values) => values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// `ошибка: …` with hints, the usage line and where to read more.
fn usage_error(error: &clap::Error) -> String {
    let get = |kind: ContextKind| error.get(kind).map(text);
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let message = match error.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "неизвестная команда `{}`",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("неизвестный параметр `{arg}`"),
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("для `{arg}` нужно значение, а оно не указано")
        }
        ErrorKind::InvalidValue => {
            let mut message = format!("недопустимое значение `{value}` для `{arg}`");
            if let Some(valid) = get(ContextKind::ValidValue) {
                let _ = write!(message, "\n  [возможные значения: {valid}]");
            }
            message
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(error)
                .map(|source| format!(": «{source}»"))
                .unwrap_or_default();
            format!("недопустимое значение `{value}` для `{arg}`{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(args)) => args.clone(),
                Some(other) => vec![other.to_string()],
                None => Vec::new(),
            };
            let mut message = "не указаны обязательные аргументы:".to_owned();
            for arg in missing {
                let _ = write!(message, "\n  {arg}");
            }
            message
        }
        ErrorKind::MissingSubcommand => {
            let mut message = format!(
                "`{}` требует команду, а она не указана",
                get(ContextKind::InvalidSubcommand).unwrap_or_default()
            );
            if let Some(valid) = get(ContextKind::ValidSubcommand) {
                let _ = write!(message, "\n  [команды: {valid}]");
            }
            message
        }
        ErrorKind::ArgumentConflict => match get(ContextKind::PriorArg) {
            Some(prior) if prior == arg => {
                format!("параметр `{arg}` нельзя указывать несколько раз")
            }
            Some(prior) => format!("`{arg}` нельзя использовать вместе с `{prior}`"),
            None => format!("`{arg}` нельзя использовать вместе с другими указанными параметрами"),
        },
        ErrorKind::NoEquals => format!("значение для `{arg}` указывается через `=`"),
        ErrorKind::TooManyValues => {
            format!("лишнее значение `{value}` для `{arg}`: больше значений не ожидалось")
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "для `{arg}` нужно значений: {}, а указано: {}",
            get(ContextKind::MinValues)
                .or_else(|| get(ContextKind::ExpectedNumValues))
                .unwrap_or_default(),
            get(ContextKind::ActualNumValues).unwrap_or_default()
        ),
        ErrorKind::InvalidUtf8 => "аргумент не в кодировке UTF-8".to_owned(),
        _ => {
            // A kind this table does not know: clap's own words, quoted.
            let english = error.render().to_string();
            let first = english.lines().next().unwrap_or_default();
            format!("«{}»", first.trim_start_matches("error: "))
        }
    };
    let mut out = format!("ошибка: {message}\n");
    let mut tips = Vec::new();
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "команда"),
        (ContextKind::SuggestedArg, "параметр"),
        (ContextKind::SuggestedValue, "значение"),
    ] {
        if let Some(near) = get(kind) {
            let near: Vec<String> = near.split(", ").map(|n| format!("`{n}`")).collect();
            tips.push(format!("может быть, {what} {}?", near.join(" или ")));
        }
    }
    if let Some(ContextValue::StyledStrs(suggestions)) = error.get(ContextKind::Suggested) {
        tips.extend(suggestions.iter().map(|tip| tip_words(&tip.to_string())));
    }
    if !tips.is_empty() {
        out.push('\n');
        for tip in tips {
            let _ = writeln!(out, "  подсказка: {tip}");
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        out.push('\n');
        out.push_str(&usage_words(&usage.to_string()));
        out.push('\n');
    }
    out.push_str("\nПодробнее: `--help`.\n");
    out
}

/// clap's tips, in Russian where their wording is known.
fn tip_words(tip: &str) -> String {
    // "to pass '--x' as a value, use '-- --x'"
    if let Some(rest) = tip.strip_prefix("to pass '")
        && let Some((value, _)) = rest.split_once("' as a value")
    {
        return format!("чтобы передать `{value}` как значение, напишите `-- {value}`");
    }
    // "to pass 'x' as a value, use 'x'" has other forms in other cases; keep them quoted.
    format!("«{tip}»")
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;
    use crate::cli::Cli;

    fn russian(args: &[&str]) -> String {
        let command = super::super::localize(Cli::command());
        let mut all = vec!["workbook"];
        all.extend(args);
        match command
            .try_get_matches_from(all)
            .and_then(|m| Cli::from_arg_matches(&m))
        {
            Ok(_) => panic!("{args:?} parsed"),
            Err(error) => render_error(&error, false),
        }
    }

    /// The Latin words left once code, flags and value names are set aside.
    fn english(text: &str) -> Vec<String> {
        let mut plain = String::new();
        let mut in_code = false;
        // The usage line names commands, which are words of the program.
        let text: String = text
            .lines()
            .filter(|line| !line.starts_with("Использование:"))
            .collect::<Vec<_>>()
            .join("\n");
        for c in text.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                plain.push(c);
            }
        }
        plain
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '[' | ']' | '.'))
            .filter(|w| w.chars().any(|c| c.is_ascii_lowercase()))
            .filter(|w| !w.starts_with('-') && !w.starts_with('<') && *w != "workbook")
            .filter(|w| !matches!(*w, "sqlite" | "postgres" | "human" | "json"))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn clap_errors_read_in_russian() {
        let unknown = russian(&["nosuch"]);
        assert_eq!(
            unknown,
            "ошибка: неизвестная команда `nosuch`\n\nИспользование: workbook [ПАРАМЕТРЫ] [КОМАНДА]\n\nПодробнее: `--help`.\n"
        );
        let near = russian(&["chek"]);
        assert!(
            near.contains("подсказка: может быть, команда `check`?"),
            "{near}"
        );
        let flag = russian(&["check", "--nope"]);
        assert!(flag.contains("неизвестный параметр `--nope`"), "{flag}");
        assert!(
            flag.contains("чтобы передать `--nope` как значение, напишите `-- --nope`"),
            "{flag}"
        );
        assert!(
            flag.contains("Использование: workbook check [ПАРАМЕТРЫ] [УПРАЖНЕНИЯ]..."),
            "{flag}"
        );
        let value = russian(&["check", "--db", "sqlit"]);
        assert!(
            value.starts_with("ошибка: недопустимое значение `sqlit` для `--db <БАЗА>`\n  [возможные значения: sqlite, postgres]"),
            "{value}"
        );
        assert!(value.contains("может быть, значение `sqlite`?"), "{value}");
        let missing = russian(&["lesson", "--step"]);
        assert!(
            missing.starts_with("ошибка: для `--step <ШАГ>` нужно значение, а оно не указано"),
            "{missing}"
        );
        for case in [
            unknown,
            near,
            flag,
            value,
            missing,
            russian(&["grade", "--batch", "x"]),
            russian(&["reset"]),
            russian(&["check", "--format", "json", "--format", "human"]),
        ] {
            assert!(
                english(&case).is_empty(),
                "{:?} in:\n{case}",
                english(&case)
            );
        }
    }

    #[test]
    fn help_reads_in_russian() {
        let help = russian(&["check", "--help"]);
        assert!(
            help.contains("Использование: workbook check [ПАРАМЕТРЫ] [УПРАЖНЕНИЯ]..."),
            "{help}"
        );
        assert!(help.contains("--db <БАЗА>"), "{help}");
        assert!(help.contains("[по умолчанию: sqlite]"), "{help}");
        assert!(!help.contains("[default:"), "{help}");
        assert!(!help.contains("[possible values:"), "{help}");
        let top = russian(&["--help"]);
        assert!(
            top.contains("Использование: workbook [ПАРАМЕТРЫ] [КОМАНДА]"),
            "{top}"
        );
        assert!(top.contains("--course <ПАПКА>"), "{top}");
    }
}
