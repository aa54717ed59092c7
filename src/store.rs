//! The progress store: what a student has done, in `.workbook/progress.db`
//! (or in `WORKBOOK_STATE_DIR`).
//!
//! A `SQLite` database through sqlx, in the course root's git-ignored `.workbook/`
//! folder. WAL journaling and a busy timeout let two workbook processes (a lesson
//! in one terminal, `workbook check` in another) write at once; every write is
//! one statement or one transaction, so a crash never leaves half a record.
//! A damaged file, or one from a newer workbook, is never touched: opening it
//! fails with a clear error, and [`start_over`] moves it aside. A folder that
//! cannot be written, and a file deleted while workbook runs, are handled in
//! [`place`].

mod grades;
pub mod place;
pub mod schema;

pub use grades::GradeRecord;
pub use place::Notice;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row};

use crate::course::paths::{FileAction, failed};

/// The folder, under the course root, that holds the store.
pub const STORE_DIR: &str = ".workbook";
/// The store's file name.
pub const STORE_FILE: &str = "progress.db";

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a readable `SQLite` database, or fails its integrity check.
    #[error("the progress store {} is damaged: {detail}", path.display())]
    Corrupt {
        /// The store's path.
        path: PathBuf,
        /// What `SQLite` said.
        detail: String,
    },
    /// The file is a `SQLite` database but not a workbook progress store.
    #[error("{} is a SQLite database but not a workbook progress store", path.display())]
    Foreign {
        /// The store's path.
        path: PathBuf,
    },
    /// A newer workbook wrote this store; this one would misread it.
    #[error("the progress store {} was written by a newer workbook (schema {found}; this workbook knows up to {known})", path.display())]
    TooNew {
        /// The store's path.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this workbook knows.
        known: i64,
    },
    /// The folder or file could not be created or opened.
    #[error("cannot open the progress store {}: {source}", path.display())]
    Open {
        /// The store's path.
        path: PathBuf,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A read or write failed.
    #[error("the progress store {} failed: {source}", path.display())]
    Query {
        /// The store's path.
        path: PathBuf,
        /// What `SQLite` said.
        source: sqlx::Error,
    },
}

/// An open progress store. Clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Swapped when the file is written back after a deletion.
    pool: Mutex<SqlitePool>,
    /// The store's file, as the student knows it.
    path: PathBuf,
    /// The file opened, by device and inode; `None` when nothing is saved.
    opened: Mutex<Option<(u64, u64)>>,
    /// The temp copy used when the store's folder cannot be written.
    copy: Option<place::TempCopy>,
    /// Serialises writing the file back, so two writers never both do it.
    recovering: tokio::sync::Mutex<()>,
    /// What the student should be told, taken by [`Store::take_notices`].
    notices: Mutex<Vec<Notice>>,
}

/// The store's path for a course root, in its default place.
pub fn store_path(course_root: &Path) -> PathBuf {
    course_root.join(STORE_DIR).join(STORE_FILE)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `SQLite`'s primary result code of an error, if it has one.
fn sqlite_code(error: &sqlx::Error) -> Option<i64> {
    match error {
        sqlx::Error::Database(db) => db.code()?.parse::<i64>().ok().map(|code| code & 0xff),
        _ => None,
    }
}

/// `SQLite`'s codes for "not a database" and "database disk image is malformed".
fn is_damage(error: &sqlx::Error) -> bool {
    matches!(sqlite_code(error), Some(26 | 11))
}

/// Why the store's place cannot be written, if that is what `error` says:
/// permission denied or a read-only file system, from the folder, the file
/// or `SQLite` (`READONLY`, `CANTOPEN`, `PERM`).
fn unwritable(error: &StoreError) -> Option<std::io::ErrorKind> {
    use std::io::ErrorKind;
    let StoreError::Open { source, .. } = error else {
        return None;
    };
    let io_kind = |io: &std::io::Error| match io.kind() {
        kind @ (ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => Some(kind),
        _ => None,
    };
    if let Some(io) = source.downcast_ref::<std::io::Error>() {
        return io_kind(io);
    }
    let sqlx = source.downcast_ref::<sqlx::Error>()?;
    if let sqlx::Error::Io(io) = sqlx {
        return io_kind(io);
    }
    matches!(sqlite_code(sqlx), Some(8 | 14 | 3)).then_some(ErrorKind::PermissionDenied)
}

/// Opens (creating if needed) the database `file` in `dir`, bringing its
/// schema up to date; errors name `shown`, the store as the student knows it.
async fn connect(dir: &Path, file: &Path, shown: &Path) -> Result<SqlitePool, StoreError> {
    let open_error = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
        path: shown.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| open_error(e.into()))?;
    // Ignored even where the course's own .gitignore doesn't mention it.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "*\n").map_err(|e| open_error(e.into()))?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| open_error(e.into()))?
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let damaged = |e: sqlx::Error| {
        if is_damage(&e) {
            StoreError::Corrupt {
                path: shown.to_path_buf(),
                detail: e.to_string(),
            }
        } else {
            open_error(e.into())
        }
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(damaged)?;
    if let Err(error) = check_and_migrate(&pool, shown).await {
        pool.close().await;
        return Err(match error {
            StoreError::Query { source, .. } => damaged(source),
            other => other,
        });
    }
    Ok(pool)
}

impl Store {
    /// Opens (creating if needed) the store of the course at `course_root`
    /// in its default place, `.workbook/` (see [`Store::open_in`]).
    pub async fn open(course_root: &Path) -> Result<Store, StoreError> {
        Store::open_in(&course_root.join(STORE_DIR)).await
    }

    /// Opens (creating if needed) the store in the folder `dir`, bringing its
    /// schema up to date. A folder that cannot be written gives a store that
    /// reads what is there and saves nothing, with a [`Notice::NotSaved`].
    pub async fn open_in(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(STORE_FILE);
        let error = match connect(dir, &path, &path).await {
            Ok(pool) => {
                let opened = place::identity(&path);
                return Ok(Store::new(pool, path, opened, None, Vec::new()));
            }
            Err(error) => error,
        };
        let Some(reason) = unwritable(&error) else {
            return Err(error);
        };
        let copy = place::TempCopy::of(&path).map_err(|e| StoreError::Open {
            path: path.clone(),
            source: e.into(),
        })?;
        let file = copy.dir().join(STORE_FILE);
        let pool = connect(copy.dir(), &file, &path).await?;
        let notice = Notice::NotSaved {
            dir: dir.to_path_buf(),
            reason,
        };
        Ok(Store::new(pool, path, None, Some(copy), vec![notice]))
    }

    fn new(
        pool: SqlitePool,
        path: PathBuf,
        opened: Option<(u64, u64)>,
        copy: Option<place::TempCopy>,
        notices: Vec<Notice>,
    ) -> Store {
        Store {
            inner: Arc::new(Inner {
                pool: Mutex::new(pool),
                path,
                opened: Mutex::new(opened),
                copy,
                recovering: tokio::sync::Mutex::new(()),
                notices: Mutex::new(notices),
            }),
        }
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether what is recorded outlives this run (false when the store's
    /// folder cannot be written).
    pub fn is_saved(&self) -> bool {
        self.inner.copy.is_none()
    }

    /// What the student should be told about where progress goes, each once.
    pub fn take_notices(&self) -> Vec<Notice> {
        std::mem::take(
            &mut *self
                .inner
                .notices
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// The pool, for reading.
    fn pool(&self) -> SqlitePool {
        self.inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A failed query, named by the store's path.
    fn failed(&self, source: sqlx::Error) -> StoreError {
        StoreError::Query {
            path: self.inner.path.clone(),
            source,
        }
    }

    /// The pool, for writing: first makes sure the file opened is still the
    /// store's file, so nothing is written into a deleted one.
    async fn writer(&self) -> Result<SqlitePool, StoreError> {
        let opened = *self
            .inner
            .opened
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if opened.is_none() || place::identity(&self.inner.path) == opened {
            return Ok(self.pool());
        }
        let _one = self.inner.recovering.lock().await;
        let opened = *self
            .inner
            .opened
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = place::identity(&self.inner.path);
        if now == opened {
            return Ok(self.pool());
        }
        let old = self.pool();
        let path = &self.inner.path;
        let dir = path.parent().unwrap_or(Path::new("."));
        if now.is_none() && !place::moved_aside(path, opened) {
            // Deleted: write the open copy back, with everything in it.
            std::fs::create_dir_all(dir)
                .map_err(|e| self.open_error(failed(e, FileAction::Create, dir)))?;
            let target = path.to_string_lossy().replace('\'', "''");
            sqlx::raw_sql(AssertSqlSafe(format!("VACUUM INTO '{target}'")))
                .execute(&old)
                .await
                .map_err(|e| self.failed(e))?;
            self.inner
                .notices
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Notice::Restored { path: path.clone() });
        }
        // Moved aside by `--start-over`, replaced by another process, or just
        // written back: from now on, the file in the store's place.
        let pool = connect(dir, path, path).await?;
        *self
            .inner
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = pool.clone();
        *self
            .inner
            .opened
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = place::identity(path);
        old.close().await;
        Ok(pool)
    }

    fn open_error(&self, source: std::io::Error) -> StoreError {
        StoreError::Open {
            path: self.inner.path.clone(),
            source: source.into(),
        }
    }

    /// Closes the store, checkpointing the WAL.
    pub async fn close(self) {
        self.pool().close().await;
    }
}

/// Checks the file's integrity and kind, and applies the migrations it lacks.
async fn check_and_migrate(pool: &SqlitePool, shown: &Path) -> Result<(), StoreError> {
    let query = |source: sqlx::Error| StoreError::Query {
        path: shown.to_path_buf(),
        source,
    };
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(pool)
        .await
        .map_err(query)?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: shown.to_path_buf(),
            detail: check,
        });
    }
    // Immediate: the write lock is taken before the version is read, so two
    // processes never both decide to apply the same migration.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(query)?;
    let app: i64 = sqlx::query_scalar("PRAGMA application_id")
        .fetch_one(&mut *tx)
        .await
        .map_err(query)?;
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut *tx)
        .await
        .map_err(query)?;
    if app != schema::APPLICATION_ID {
        let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
            .fetch_one(&mut *tx)
            .await
            .map_err(query)?;
        if app != 0 || tables > 0 || version != 0 {
            return Err(StoreError::Foreign {
                path: shown.to_path_buf(),
            });
        }
    }
    if version > schema::latest() {
        return Err(StoreError::TooNew {
            path: shown.to_path_buf(),
            found: version,
            known: schema::latest(),
        });
    }
    let start = usize::try_from(version).unwrap_or(0);
    for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(start) {
        sqlx::raw_sql(AssertSqlSafe(*migration))
            .execute(&mut *tx)
            .await
            .map_err(query)?;
        let pragma = format!("PRAGMA user_version = {}", index + 1);
        sqlx::raw_sql(AssertSqlSafe(pragma))
            .execute(&mut *tx)
            .await
            .map_err(query)?;
    }
    if app != schema::APPLICATION_ID {
        let pragma = format!("PRAGMA application_id = {}", schema::APPLICATION_ID);
        sqlx::raw_sql(AssertSqlSafe(pragma))
            .execute(&mut *tx)
            .await
            .map_err(query)?;
    }
    tx.commit().await.map_err(query)?;
    Ok(())
}

impl Store {
    /// Records that a step was shown, and makes it the lesson's current step.
    pub async fn visit_step(&self, lesson: &str, step: &str) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        let at = now();
        let mut tx = pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.failed(e))?;
        sqlx::query(
            "INSERT INTO steps_read (lesson_id, step_id, first_read_at, last_read_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (lesson_id, step_id) DO UPDATE SET last_read_at = excluded.last_read_at",
        )
        .bind(lesson)
        .bind(step)
        .bind(at)
        .execute(&mut *tx)
        .await.map_err(|e| self.failed(e))?;
        // `seq` orders positions even within one second, so "where the student is"
        // is the step visited last, not one of several visited in the same second.
        sqlx::query(
            "INSERT INTO lesson_positions (lesson_id, step_id, updated_at, seq)
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(seq), 0) + 1 FROM lesson_positions))
             ON CONFLICT (lesson_id) DO UPDATE SET step_id = excluded.step_id,
                 updated_at = excluded.updated_at, seq = excluded.seq",
        )
        .bind(lesson)
        .bind(step)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.failed(e))?;
        tx.commit().await.map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records an answer to a blank.
    pub async fn record_blank_attempt(
        &self,
        lesson: &str,
        step: &str,
        blank: &str,
        answer: &str,
        correct: bool,
    ) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query(
            "INSERT INTO blank_attempts (lesson_id, step_id, blank_id, answer, correct, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(lesson)
        .bind(step)
        .bind(blank)
        .bind(answer)
        .bind(correct)
        .bind(now())
        .execute(&pool)
        .await
        .map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records that a blank's answer was revealed.
    pub async fn record_blank_reveal(
        &self,
        lesson: &str,
        step: &str,
        blank: &str,
    ) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query(
            "INSERT INTO blank_reveals (lesson_id, step_id, blank_id, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )
        .bind(lesson)
        .bind(step)
        .bind(blank)
        .bind(now())
        .execute(&pool)
        .await
        .map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records that a lesson's solution was shown.
    pub async fn record_solution_reveal(&self, lesson: &str) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query(
            "INSERT INTO solution_reveals (lesson_id, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )
        .bind(lesson)
        .bind(now())
        .execute(&pool)
        .await
        .map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records the result of one check run (written by the exercise checker).
    pub async fn record_check_run(&self, run: &CheckRun<'_>) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query(
            "INSERT INTO check_runs (exercise_id, check_id, backend, status, points, max_points, message, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(run.exercise)
        .bind(run.check)
        .bind(run.backend)
        .bind(run.status.as_str())
        .bind(run.points)
        .bind(run.max_points)
        .bind(run.message)
        .bind(now())
        .execute(&pool)
        .await.map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records one quiz attempt (written by the quiz).
    pub async fn record_quiz_attempt(&self, attempt: &QuizAttempt<'_>) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query(
            "INSERT INTO quiz_attempts (module_id, at, seed, answers, score, max_score, passed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(attempt.module)
        .bind(now())
        .bind(attempt.seed)
        .bind(attempt.answers)
        .bind(attempt.score)
        .bind(attempt.max_score)
        .bind(attempt.passed)
        .execute(&pool)
        .await
        .map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records that a hint tier of an exercise was shown.
    pub async fn record_hint(&self, exercise: &str, tier: u32) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query("INSERT INTO hints_used (exercise_id, tier, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
            .bind(exercise)
            .bind(tier)
            .bind(now())
            .execute(&pool)
            .await.map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Records that an exercise's reference solution was shown.
    pub async fn record_exercise_solution(&self, exercise: &str) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query("INSERT INTO exercise_solutions (exercise_id, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
            .bind(exercise)
            .bind(now())
            .execute(&pool)
            .await.map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// Everything recorded, for the status, list and progress screens.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let pool = self.pool();
        let mut snapshot = read_snapshot(&pool).await.map_err(|e| self.failed(e))?;
        snapshot.grade = self.last_grade(&pool).await.map_err(|e| self.failed(e))?;
        Ok(snapshot)
    }
}

/// Everything recorded but the grade.
async fn read_snapshot(pool: &SqlitePool) -> Result<Snapshot, sqlx::Error> {
    let mut snapshot = Snapshot::default();
    for row in sqlx::query("SELECT lesson_id, step_id FROM steps_read")
        .fetch_all(pool)
        .await?
    {
        snapshot.read.insert((row.get(0), row.get(1)));
    }
    for row in sqlx::query("SELECT lesson_id, step_id FROM lesson_positions ORDER BY seq")
        .fetch_all(pool)
        .await?
    {
        let (lesson, step): (String, String) = (row.get(0), row.get(1));
        snapshot.last_position = Some((lesson.clone(), step.clone()));
        snapshot.positions.insert(lesson, step);
    }
    for row in sqlx::query(
        "SELECT lesson_id, step_id, blank_id, count(*), max(correct) FROM blank_attempts
             GROUP BY lesson_id, step_id, blank_id",
    )
    .fetch_all(pool)
    .await?
    {
        let key = BlankKey::new(
            row.get::<String, _>(0),
            row.get::<String, _>(1),
            row.get::<String, _>(2),
        );
        let attempts: i64 = row.get(3);
        let solved: bool = row.get(4);
        let state = snapshot.blanks.entry(key).or_default();
        state.attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
        state.solved = solved;
    }
    for row in sqlx::query("SELECT lesson_id, step_id, blank_id FROM blank_reveals")
        .fetch_all(pool)
        .await?
    {
        let key = BlankKey::new(
            row.get::<String, _>(0),
            row.get::<String, _>(1),
            row.get::<String, _>(2),
        );
        snapshot.blanks.entry(key).or_default().revealed = true;
    }
    for row in sqlx::query("SELECT exercise_id, max(tier) FROM hints_used GROUP BY exercise_id")
        .fetch_all(pool)
        .await?
    {
        snapshot
            .hints
            .insert(row.get(0), u32::try_from(row.get::<i64, _>(1)).unwrap_or(0));
    }
    for row in sqlx::query("SELECT exercise_id FROM exercise_solutions")
        .fetch_all(pool)
        .await?
    {
        snapshot.exercise_solutions.insert(row.get(0));
    }
    for row in sqlx::query("SELECT lesson_id FROM solution_reveals")
        .fetch_all(pool)
        .await?
    {
        snapshot.solutions_revealed.insert(row.get(0));
    }
    // The latest run of each check decides its status.
    for row in sqlx::query(
        "SELECT exercise_id, check_id, status FROM check_runs
             WHERE id IN (SELECT max(id) FROM check_runs GROUP BY exercise_id, check_id)",
    )
    .fetch_all(pool)
    .await?
    {
        let status: String = row.get(2);
        snapshot
            .checks
            .insert((row.get(0), row.get(1)), status == "pass");
    }
    for row in
        sqlx::query("SELECT module_id, score, max_score, passed FROM quiz_attempts ORDER BY id")
            .fetch_all(pool)
            .await?
    {
        let module: String = row.get(0);
        let (score, max): (f64, f64) = (row.get(1), row.get(2));
        let percent = if max > 0.0 { score / max * 100.0 } else { 0.0 };
        let entry = snapshot.quiz.entry(module).or_default();
        entry.attempts += 1;
        entry.last_percent = Some(percent);
        entry.best_percent = Some(entry.best_percent.map_or(percent, |b: f64| b.max(percent)));
        entry.passed |= row.get::<bool, _>(3);
    }
    Ok(snapshot)
}

/// Moves the store aside (never deletes it) so the next run starts fresh.
/// Returns where the old file went, or `None` when there was no store.
pub fn start_over(course_root: &Path) -> std::io::Result<Option<PathBuf>> {
    start_over_in(&course_root.join(STORE_DIR))
}

/// [`start_over`] for the store in the folder `dir`.
pub fn start_over_in(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let path = dir.join(STORE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let mut stamp = now();
    let backup = loop {
        let candidate = path.with_file_name(format!("{STORE_FILE}.{stamp}.bak"));
        if !candidate.exists() {
            break candidate;
        }
        stamp += 1;
    };
    std::fs::rename(&path, &backup).map_err(|e| failed(e, FileAction::Move, &path))?;
    // The WAL and shared-memory files belong to the old database; keep them with it.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            std::fs::rename(
                &side,
                PathBuf::from(format!("{}{suffix}", backup.display())),
            )
            .map_err(|e| failed(e, FileAction::Move, &side))?;
        }
    }
    Ok(Some(backup))
}

/// How a check run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    /// The check passed.
    Pass,
    /// The check ran and found the work wrong.
    Fail,
    /// The check could not run (compile error, time limit, crash).
    Error,
}

impl CheckStatus {
    fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Error => "error",
        }
    }
}

/// One check's result, as the checker records it.
#[derive(Debug, Clone, Copy)]
pub struct CheckRun<'a> {
    /// The exercise.
    pub exercise: &'a str,
    /// The check.
    pub check: &'a str,
    /// `sqlite` or `postgres`.
    pub backend: &'a str,
    /// How it ended.
    pub status: CheckStatus,
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max_points: u32,
    /// The message shown to the student.
    pub message: &'a str,
}

/// One quiz attempt, as the quiz records it.
#[derive(Debug, Clone, Copy)]
pub struct QuizAttempt<'a> {
    /// The module whose quiz was taken.
    pub module: &'a str,
    /// The shuffle seed.
    pub seed: i64,
    /// The answers, as JSON.
    pub answers: &'a str,
    /// Points scored.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// Whether the attempt reached the pass mark.
    pub passed: bool,
}

/// A blank, by lesson, step and blank id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlankKey {
    /// The lesson.
    pub lesson: String,
    /// The step.
    pub step: String,
    /// The blank.
    pub blank: String,
}

impl BlankKey {
    /// Builds a key.
    pub fn new(
        lesson: impl Into<String>,
        step: impl Into<String>,
        blank: impl Into<String>,
    ) -> Self {
        BlankKey {
            lesson: lesson.into(),
            step: step.into(),
            blank: blank.into(),
        }
    }
}

/// What is known about one blank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlankState {
    /// Answers given.
    pub attempts: u32,
    /// Answered correctly at least once.
    pub solved: bool,
    /// The answer was shown on request.
    pub revealed: bool,
}

/// Quiz results for one module.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QuizSummary {
    /// Attempts made.
    pub attempts: u32,
    /// The best score, in percent.
    pub best_percent: Option<f64>,
    /// The latest score, in percent.
    pub last_percent: Option<f64>,
    /// Whether any attempt passed.
    pub passed: bool,
}

/// Everything in the store, read at once.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// `(lesson, step)` pairs read.
    pub read: HashSet<(String, String)>,
    /// Each lesson's current step.
    pub positions: HashMap<String, String>,
    /// The step visited last, anywhere.
    pub last_position: Option<(String, String)>,
    /// Blanks answered or revealed.
    pub blanks: HashMap<BlankKey, BlankState>,
    /// Lessons whose solution was shown.
    pub solutions_revealed: HashSet<String>,
    /// The highest hint tier shown per exercise.
    pub hints: HashMap<String, u32>,
    /// Exercises whose reference solution was shown.
    pub exercise_solutions: HashSet<String>,
    /// Each check's latest result: `(exercise, check)` → passed.
    pub checks: HashMap<(String, String), bool>,
    /// Quiz results per module.
    pub quiz: HashMap<String, QuizSummary>,
    /// The latest grade of the working copy.
    pub grade: Option<GradeRecord>,
}

impl Snapshot {
    /// Whether a step was read.
    pub fn has_read(&self, lesson: &str, step: &str) -> bool {
        self.read.contains(&(lesson.to_owned(), step.to_owned()))
    }

    /// What is known about a blank.
    pub fn blank(&self, lesson: &str, step: &str, blank: &str) -> BlankState {
        self.blanks
            .get(&BlankKey::new(lesson, step, blank))
            .copied()
            .unwrap_or_default()
    }

    /// Whether an exercise check passed on its latest run.
    pub fn check_passed(&self, exercise: &str, check: &str) -> bool {
        self.checks
            .get(&(exercise.to_owned(), check.to_owned()))
            .copied()
            .unwrap_or(false)
    }
}
