//! The reader's messages in Russian, for the files students hand in (quiz
//! answers files). Course files are for authors and keep the English
//! messages; a student reading in Russian gets these instead.
//!
//! The decoder's messages follow a handful of fixed phrasings (see [`super::de`]
//! and [`super::node`]); each is translated here with the names and values in
//! it kept as they are. A message this table does not know is quoted as it is,
//! so nothing is ever lost.

/// `message` from the YAML reader, in Russian.
pub fn message(message: &str) -> String {
    let message = message.trim();
    if let Some(key) = between(message, "missing key `", "`") {
        return format!("нет ключа `{key}`");
    }
    if let Some(key) = between(message, "key `", "` appears twice") {
        return format!("ключ `{key}` указан дважды");
    }
    if let Some(rest) = message.strip_prefix("unknown key `")
        && let Some((key, after)) = rest.split_once('`')
    {
        return match after {
            "" => format!("неизвестный ключ `{key}`"),
            after if after.starts_with(": inside `{…}` a comma") => format!(
                "неизвестный ключ `{key}`: внутри `{{…}}` запятая начинает новый ключ; возьмите текст в кавычки"
            ),
            after => match after.strip_prefix(", expected ") {
                Some(choices) => format!("неизвестный ключ `{key}`; допустимые: {}", or(choices)),
                None => format!("неизвестный ключ `{key}`{}", did_you_mean(after)),
            },
        };
    }
    if let Some(rest) = message.strip_prefix("unknown value `")
        && let Some((value, after)) = rest.split_once('`')
        && let Some(choices) = after.strip_prefix(", expected ")
    {
        let (choices, near) = match choices.split_once(" (did you mean") {
            Some((choices, near)) => (choices, did_you_mean(&format!(" (did you mean{near}"))),
            None => (choices, String::new()),
        };
        return format!(
            "неизвестное значение `{value}`; допустимые: {}{near}",
            or(choices)
        );
    }
    if let Some(rest) = message.strip_prefix("expected ")
        && let Some((wanted, found)) = rest.rsplit_once(", found ")
    {
        return format!("ожидается {}, а здесь {}", shape(wanted), shape(found));
    }
    if message == "keys must be plain words" {
        return "ключи должны быть простыми словами".to_owned();
    }
    if let Some(detail) = message.strip_prefix("invalid YAML: ") {
        return format!("неверный YAML: «{detail}»");
    }
    format!("«{message}»")
}

/// The text between `start` and the next `end`, when `text` begins with `start`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(start)?;
    let (inside, after) = rest.split_once(end)?;
    after.is_empty().then_some(inside)
}

/// " (did you mean `x`?)" → " (может быть, `x`?)".
fn did_you_mean(text: &str) -> String {
    text.replace("(did you mean ", "(может быть, ")
}

/// "`a`, `b` or `c`" → "`a`, `b` или `c`".
fn or(choices: &str) -> String {
    choices.replace(" or ", " или ")
}

/// A shape the decoder names: what was expected or found.
fn shape(text: &str) -> String {
    let known = [
        (
            "a mapping (`key: value` lines)",
            "отображение (строки `ключ: значение`)",
        ),
        (
            "a text in both languages (`ru:` and `en:` lines)",
            "текст на двух языках (строки `ru:` и `en:`)",
        ),
        ("a mapping", "отображение"),
        ("a list", "список"),
        ("nothing (null)", "пусто (null)"),
        ("text", "текст"),
        ("a number", "число"),
        ("a whole number", "целое число"),
        ("a whole number, 0 or more", "целое число, 0 или больше"),
        ("`true` or `false`", "`true` или `false`"),
        (
            "an answer: an option id or text, a list of option ids, `true`/`false`, or `BLANK: answer` lines",
            "ответ: id варианта или текст, список id вариантов, `true`/`false` или строки `ПРОПУСК: ответ`",
        ),
        ("an option id or a text", "id варианта или текст"),
    ];
    if let Some((_, ru)) = known.iter().find(|(en, _)| *en == text) {
        return (*ru).to_owned();
    }
    if let Some(choices) = text.strip_prefix("one of ") {
        return format!("одно из: {}", or(choices));
    }
    // A value as written (`abc`) stays as it is.
    if text.starts_with('`') && text.ends_with('`') {
        return text.to_owned();
    }
    format!("«{text}»")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoders_phrasings_read_in_russian() {
        assert_eq!(message("missing key `module`"), "нет ключа `module`");
        assert_eq!(
            message("key `seed` appears twice"),
            "ключ `seed` указан дважды"
        );
        assert_eq!(
            message("unknown key `sed` (did you mean `seed`?)"),
            "неизвестный ключ `sed` (может быть, `seed`?)"
        );
        assert_eq!(
            message("unknown key `x`, expected `format_version`, `module` or `seed`"),
            "неизвестный ключ `x`; допустимые: `format_version`, `module` или `seed`"
        );
        assert_eq!(
            message("expected a whole number, 0 or more, found `abc`"),
            "ожидается целое число, 0 или больше, а здесь `abc`"
        );
        assert_eq!(
            message("expected a mapping (`key: value` lines), found a list"),
            "ожидается отображение (строки `ключ: значение`), а здесь список"
        );
        assert_eq!(
            message("invalid YAML: did not find expected key"),
            "неверный YAML: «did not find expected key»"
        );
        assert_eq!(message("something new"), "«something new»");
    }
}
