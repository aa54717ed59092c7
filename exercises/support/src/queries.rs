//! Counting the statements a piece of code runs, exactly and alike on `SQLite`
//! and Postgres.
//!
//! sqlx emits one `tracing` event per executed statement (target `sqlx::query`;
//! `summary` holds the first four words, `db.statement` the full text when it is
//! longer). `SQLite` emits it on its worker thread, so only a global subscriber
//! sees every event: [`install`] sets one that records nothing but these events.
//! Connection set-up (`PRAGMA …`) and transaction control (`BEGIN`, `COMMIT`,
//! `ROLLBACK`, `SAVEPOINT`, `RELEASE`) are left out, so that the same code gives
//! the same count on both backends.

use std::sync::{Mutex, MutexGuard, OnceLock};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber, span};

/// One statement that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL, as sent.
    pub sql: String,
}

/// `None` while nothing records; the statements since [`QueryLog::start`] otherwise.
static LOG: Mutex<Option<Vec<Statement>>> = Mutex::new(None);

fn log() -> MutexGuard<'static, Option<Vec<Statement>>> {
    // A panic while holding the lock leaves plain data behind; keep using it.
    LOG.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether a statement counts as the code's own work.
pub fn counts(sql: &str) -> bool {
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    !matches!(
        first.trim_end_matches(';'),
        "" | "PRAGMA" | "BEGIN" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "RELEASE" | "END"
    )
}

struct Counter;

#[derive(Default)]
struct Fields {
    summary: String,
    statement: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => value.clone_into(&mut self.summary),
            "db.statement" => value.clone_into(&mut self.statement),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if matches!(field.name(), "summary" | "db.statement") {
            let text = format!("{value:?}");
            let text = text
                .trim_matches('"')
                .replace("\\n", "\n")
                .replace("\\\"", "\"");
            self.record_str(field, &text);
        }
    }
}

fn is_query(metadata: &Metadata<'_>) -> bool {
    metadata.target() == "sqlx::query"
}

impl Subscriber for Counter {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if is_query(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        is_query(metadata)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }

    fn new_span(&self, _span: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _span: &span::Id, _values: &span::Record<'_>) {}

    fn record_follows_from(&self, _span: &span::Id, _follows: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        if !is_query(event.metadata()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        // Short statements come in `summary` alone; longer ones in full in `db.statement`.
        let sql = if fields.statement.trim().is_empty() {
            fields.summary
        } else {
            fields.statement
        };
        let sql = sql.trim().to_owned();
        if counts(&sql)
            && let Some(statements) = log().as_mut()
        {
            statements.push(Statement { sql });
        }
    }

    fn enter(&self, _span: &span::Id) {}

    fn exit(&self, _span: &span::Id) {}
}

/// Installs the counting subscriber for the whole process (once).
pub fn install() {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(Counter).is_ok());
}

/// Records the statements run between [`QueryLog::start`] and [`QueryLog::stop`].
/// Checks run one at a time per process, so one global log is exact.
#[derive(Debug)]
pub struct QueryLog(());

impl QueryLog {
    /// Starts recording (installing the subscriber if needed).
    pub fn start() -> QueryLog {
        install();
        *log() = Some(Vec::new());
        QueryLog(())
    }

    /// Stops recording and returns what ran, in order.
    pub fn stop(self) -> Vec<Statement> {
        log().take().unwrap_or_default()
    }
}

impl Drop for QueryLog {
    fn drop(&mut self) {
        log().take();
    }
}

/// Statements numbered for a failure message, like Django's `assertNumQueries`.
pub fn numbered(statements: &[Statement], limit: usize) -> String {
    let mut lines: Vec<String> = statements
        .iter()
        .take(limit)
        .enumerate()
        .map(|(i, s)| {
            format!(
                "  {}. {}",
                i + 1,
                s.sql.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    if statements.len() > limit {
        lines.push(format!("  … and {} more", statements.len() - limit));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn setup_and_transaction_control_do_not_count() {
        for sql in [
            "PRAGMA foreign_keys = ON",
            "BEGIN",
            "begin immediate",
            "COMMIT;",
            "ROLLBACK",
            "SAVEPOINT _sqlx_savepoint_1",
            "RELEASE SAVEPOINT x",
            "",
        ] {
            assert!(!counts(sql), "{sql}");
        }
        for sql in [
            "SELECT 1",
            "INSERT INTO t VALUES (1)",
            "with x as (select 1) select * from x",
            "CREATE TABLE t (id int)",
        ] {
            assert!(counts(sql), "{sql}");
        }
    }
}
