//! Why a check did not pass, written for the student.

use std::fmt;

/// A failed check: what was expected and what happened, the evidence (captured
/// statements, a diff), and which hint tier helps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failure {
    /// What is wrong, in a sentence or two (English).
    pub message: String,
    /// The same in Russian; students reading Russian get it, else the English.
    pub message_ru: Option<String>,
    /// Supporting detail: numbered statements, a snapshot diff, values.
    pub evidence: Vec<String>,
    /// The hint tier (1-based) that addresses this failure, if one does.
    pub hint: Option<u32>,
}

/// A failure with a message.
pub fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        ..Failure::default()
    }
}

impl Failure {
    /// Gives the message in Russian.
    #[must_use]
    pub fn ru(mut self, message: impl Into<String>) -> Self {
        self.message_ru = Some(message.into());
        self
    }

    /// Adds a piece of evidence.
    #[must_use]
    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence.push(evidence.into());
        self
    }

    /// Names the hint tier that helps.
    #[must_use]
    pub fn hint(mut self, tier: u32) -> Self {
        self.hint = Some(tier);
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for evidence in &self.evidence {
            write!(f, "\n{evidence}")?;
        }
        Ok(())
    }
}

/// A database error in the student's code becomes a failure that quotes it;
/// [`Failure::database`] says more when the statement is known.
impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::database(
            [
                "the database returned an error",
                "база данных вернула ошибку",
            ],
            None,
            &error,
        )
    }
}

impl Failure {
    /// A database error met while doing `what` (`[English, Russian]`, e.g.
    /// ``["`SCHEMA` did not run on sqlite", "`SCHEMA` не выполнилась на sqlite"]``)
    /// by running `statement`, when it is known.
    ///
    /// The message is `what` and the database's own words with their code
    /// (SQLSTATE on Postgres); the evidence names the statement that failed
    /// (in a script of several, the one the error points to when that can be
    /// told), shortened to a line, and Postgres's detail and hint. sqlx's
    /// "at line N", a line of Postgres's C source, is left out. A NULL read
    /// into a type that cannot hold it says to decode into `Option<…>`.
    pub fn database(what: [&str; 2], statement: Option<&str>, error: &sqlx::Error) -> Failure {
        let described = describe(error);
        let mut failure = fail(format!("{}: {}", what[0], described.message[0]))
            .ru(format!("{}: {}", what[1], described.message[1]));
        if let Some(statement) = statement {
            failure = failure.evidence(database::statement(
                statement,
                described.position,
                &described.words,
            ));
        }
        for extra in described.evidence {
            failure = failure.evidence(extra);
        }
        failure
    }
}

/// The database's own words for `error` on one line, with its code and
/// without sqlx's "at line N" (a line of Postgres's C source): for text about
/// a database error that is not a [`Failure`].
pub fn database_message(error: &sqlx::Error) -> String {
    describe(error).words
}

/// An error taken apart for a student.
struct Described {
    /// The database's words (or sqlx's), with the code.
    words: String,
    /// What to say after `what`, in English and Russian.
    message: [String; 2],
    /// Lines of evidence besides the statement.
    evidence: Vec<String>,
    /// Where Postgres says the error is: a character of the statement, from 1.
    position: Option<usize>,
}

fn describe(error: &sqlx::Error) -> Described {
    use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
    use sqlx::sqlite::SqliteError;

    let mut evidence = Vec::new();
    let mut position = None;
    let words = match error {
        sqlx::Error::Database(db) => {
            let message = db.message().trim();
            if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
                if let Some(detail) = pg.detail() {
                    evidence.push(format!("detail / подробности: {detail}"));
                }
                if let Some(hint) = pg.hint() {
                    evidence.push(format!(
                        "the database's hint / подсказка базы данных: {hint}"
                    ));
                }
                if let Some(PgErrorPosition::Original(at)) = pg.position() {
                    position = Some(at);
                }
                format!("{message} (SQLSTATE {})", pg.code())
            } else if db.try_downcast_ref::<SqliteError>().is_some() {
                match db.code() {
                    Some(code) => format!("{message} (SQLite code {code})"),
                    None => message.to_owned(),
                }
            } else {
                match db.code() {
                    Some(code) => format!("{message} (code {code})"),
                    None => message.to_owned(),
                }
            }
        }
        sqlx::Error::ColumnDecode { index, source } => {
            if is_unexpected_null(source.as_ref()) {
                let words = format!("column {index} is NULL ({source})");
                return Described {
                    message: [
                        format!(
                            "column {index} is NULL, and the type it is decoded into cannot hold NULL. \
                             The column can be NULL: decode it into `Option<…>`"
                        ),
                        format!(
                            "в столбце {index} — NULL, а тип, в который он декодируется, не может его хранить. \
                             Столбец может быть NULL: декодируйте его в `Option<…>`"
                        ),
                    ],
                    evidence: vec![format!("sqlx: {source}")],
                    words,
                    position: None,
                };
            }
            format!("column {index} could not be decoded: {source}")
        }
        other => other.to_string(),
    };
    Described {
        message: [words.clone(), words.clone()],
        words,
        evidence,
        position,
    }
}

/// Whether a decoding error is a NULL met by a type that cannot hold it: sqlx
/// says so with its own error, or, through `AnyPool`, as "got Null(…)".
fn is_unexpected_null(source: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    if source.is::<sqlx::error::UnexpectedNullError>() {
        return true;
    }
    let text = source.to_string();
    text.contains("unexpected null") || text.contains("got Null")
}

/// Statements shown to students.
mod database {
    /// How many characters of a statement are shown.
    const SHOWN: usize = 300;

    /// The evidence line naming the statement that failed: the one of a
    /// script that `position` (Postgres) or the token in a "near "…"" message
    /// (`SQLite`) points to, shortened to one line.
    pub(super) fn statement(sql: &str, position: Option<usize>, words: &str) -> String {
        let pieces = split(sql);
        let found = position
            .and_then(|at| sql.char_indices().nth(at.saturating_sub(1)))
            .and_then(|(byte, _)| pieces.iter().position(|p| p.start <= byte && byte < p.end))
            .or_else(|| {
                let token = near_token(words)?;
                let mut holding = pieces
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| contains_word(&p.shown, token));
                match (holding.next(), holding.next()) {
                    (Some((index, _)), None) => Some(index),
                    _ => None,
                }
            });
        match (found, pieces.len()) {
            (_, 0) => format!("the statement / запрос: {}", shorten(sql)),
            (_, 1) => format!("the statement / запрос: {}", shorten(&pieces[0].shown)),
            (Some(index), count) => format!(
                "statement {n} of {count} / запрос {n} из {count}: {}",
                shorten(&pieces[index].shown),
                n = index + 1
            ),
            (None, count) => format!(
                "the statements ({count}) / запросы ({count}): {}",
                shorten(
                    &pieces
                        .iter()
                        .map(|p| p.shown.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            ),
        }
    }

    /// The token `SQLite` names in `near "TOKEN": syntax error`.
    fn near_token(words: &str) -> Option<&str> {
        let (_, rest) = words.split_once("near \"")?;
        let (token, _) = rest.split_once('"')?;
        (!token.is_empty()).then_some(token)
    }

    /// Whether `token` is in `text` on its own, not inside a longer word
    /// (`REFERENCE` is not in `REFERENCES`).
    fn contains_word(text: &str, token: &str) -> bool {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let starts_word = word(token.chars().next());
        let ends_word = word(token.chars().next_back());
        text.match_indices(token).any(|(at, _)| {
            let glued_before = starts_word && word(text[..at].chars().next_back());
            let glued_after = ends_word && word(text[at + token.len()..].chars().next());
            !glued_before && !glued_after
        })
    }

    /// On one line, whitespace collapsed, at most [`SHOWN`] characters.
    fn shorten(sql: &str) -> String {
        let line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        match line.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("{} …", line[..cut].trim_end()),
            None => line,
        }
    }

    /// One statement of a script: its byte range, and its text without
    /// comments or the closing semicolon.
    #[derive(Debug)]
    pub(super) struct Piece {
        pub(super) start: usize,
        pub(super) end: usize,
        pub(super) shown: String,
    }

    /// The statements of a script, split at semicolons outside quotes and
    /// comments. Good enough to point at one (a trigger body with semicolons
    /// splits in parts, which only makes the excerpt shorter).
    pub(super) fn split(sql: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut shown = String::new();
        let mut start = 0;
        let mut chars = sql.char_indices().peekable();
        let mut close = |end: usize, shown: &mut String, start: &mut usize| {
            let text = shown.trim();
            if !text.is_empty() {
                pieces.push(Piece {
                    start: *start,
                    end,
                    shown: text.to_owned(),
                });
            }
            shown.clear();
            *start = end + 1;
        };
        while let Some((at, c)) = chars.next() {
            match c {
                ';' => close(at, &mut shown, &mut start),
                '\'' | '"' => {
                    shown.push(c);
                    for (_, inner) in chars.by_ref() {
                        shown.push(inner);
                        // A doubled quote inside is read as two quoted parts.
                        if inner == c {
                            break;
                        }
                    }
                }
                '-' if chars.peek().is_some_and(|&(_, n)| n == '-') => {
                    for (_, inner) in chars.by_ref() {
                        if inner == '\n' {
                            break;
                        }
                    }
                    shown.push(' ');
                }
                '/' if chars.peek().is_some_and(|&(_, n)| n == '*') => {
                    chars.next();
                    let mut previous = ' ';
                    for (_, inner) in chars.by_ref() {
                        if previous == '*' && inner == '/' {
                            break;
                        }
                        previous = inner;
                    }
                    shown.push(' ');
                }
                _ => shown.push(c),
            }
        }
        close(sql.len(), &mut shown, &mut start);
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::database::{split, statement};
    use super::{Failure, database_message};

    const SCHEMA: &str = "
-- tags; with a semicolon in a comment
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x;y');
/* links; below */
CREATE TABLE found_items (id INTEGER PRIMARY KEY, tag INTEGER REFERENCES tags (id));
CREATE TABLE founditem_tag (found_item_id INTEGER REFERENCE found_items (id));
";

    #[test]
    fn scripts_split_at_semicolons_outside_quotes_and_comments() {
        let pieces: Vec<String> = split(SCHEMA).into_iter().map(|p| p.shown).collect();
        assert_eq!(
            pieces,
            [
                "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x;y')",
                "CREATE TABLE found_items (id INTEGER PRIMARY KEY, tag INTEGER REFERENCES tags (id))",
                "CREATE TABLE founditem_tag (found_item_id INTEGER REFERENCE found_items (id))",
            ]
        );
        assert!(split("  ; -- nothing\n ;").is_empty());
        assert_eq!(split("SELECT 1").len(), 1);
    }

    #[test]
    fn the_statement_is_found_by_position_or_token() {
        let third = "statement 3 of 3 / запрос 3 из 3: CREATE TABLE founditem_tag \
                     (found_item_id INTEGER REFERENCE found_items (id))";
        // Postgres: a character position, from 1.
        let at = SCHEMA.chars().count() - 10;
        assert_eq!(statement(SCHEMA, Some(at), "syntax error"), third);
        // SQLite: the token, as a word (`REFERENCES` in the second does not count).
        assert_eq!(
            statement(
                SCHEMA,
                None,
                "near \"REFERENCE\": syntax error (SQLite code 1)"
            ),
            third
        );
        // A token in two statements tells nothing: all are shown.
        let all = statement(SCHEMA, None, "near \"CREATE\": syntax error");
        assert!(
            all.starts_with("the statements (3) / запросы (3): CREATE TABLE tags"),
            "{all}"
        );
        assert!(all.ends_with("REFERENCE found_items (id))"), "{all}");
        // One statement is the statement, whatever the message.
        assert_eq!(
            statement("  SELECT *\n  FROM t;\n", None, "no such table: t"),
            "the statement / запрос: SELECT * FROM t"
        );
    }

    #[test]
    fn long_statements_are_shortened() {
        let long = format!("INSERT INTO t VALUES {}", "(1), ".repeat(200));
        let shown = statement(&long, None, "");
        assert!(shown.ends_with(" …"), "{shown}");
        assert_eq!(
            shown.chars().count(),
            "the statement / запрос: ".chars().count() + 300 + 2
        );
    }

    #[test]
    fn other_errors_keep_sqlx_words() {
        let failure = Failure::database(
            ["loading failed", "загрузка не удалась"],
            Some("SELECT 1"),
            &sqlx::Error::RowNotFound,
        );
        assert_eq!(
            failure.message,
            "loading failed: no rows returned by a query that expected to return at least one row"
        );
        assert_eq!(
            failure.message_ru.as_deref(),
            Some(
                "загрузка не удалась: no rows returned by a query that expected to return at least one row"
            )
        );
        assert_eq!(failure.evidence, ["the statement / запрос: SELECT 1"]);
        assert_eq!(
            database_message(&sqlx::Error::PoolTimedOut),
            sqlx::Error::PoolTimedOut.to_string()
        );
    }

    #[test]
    fn a_null_decode_suggests_option() {
        let error = sqlx::Error::ColumnDecode {
            index: "\"name\"".to_owned(),
            source: Box::new(sqlx::error::UnexpectedNullError),
        };
        let failure = Failure::from(error);
        assert!(
            failure
                .message
                .starts_with("the database returned an error: column \"name\" is NULL"),
            "{}",
            failure.message
        );
        assert!(failure.message.ends_with("decode it into `Option<…>`"));
        assert!(
            failure
                .message_ru
                .unwrap()
                .ends_with("декодируйте его в `Option<…>`")
        );
    }
}
