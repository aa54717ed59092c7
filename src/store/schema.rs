//! The progress store's schema, as numbered migrations.
//!
//! The schema version lives in `SQLite`'s `user_version`; `application_id` marks
//! the file as ours. A migration is applied once, inside the same immediate
//! transaction that bumps the version, so two processes opening a new store at
//! the same moment cannot both apply it.

/// `application_id` of a workbook progress store: "WBK1".
pub const APPLICATION_ID: i64 = 0x5742_4B31;

/// The migrations in order; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: everything the workbook records about a student.
    "
    CREATE TABLE steps_read (
        lesson_id     TEXT NOT NULL,
        step_id       TEXT NOT NULL,
        first_read_at INTEGER NOT NULL,
        last_read_at  INTEGER NOT NULL,
        PRIMARY KEY (lesson_id, step_id)
    );
    CREATE TABLE lesson_positions (
        lesson_id  TEXT PRIMARY KEY,
        step_id    TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        seq        INTEGER NOT NULL
    );
    CREATE TABLE blank_attempts (
        id        INTEGER PRIMARY KEY,
        lesson_id TEXT NOT NULL,
        step_id   TEXT NOT NULL,
        blank_id  TEXT NOT NULL,
        answer    TEXT NOT NULL,
        correct   INTEGER NOT NULL CHECK (correct IN (0, 1)),
        at        INTEGER NOT NULL
    );
    CREATE INDEX blank_attempts_by_blank ON blank_attempts (lesson_id, step_id, blank_id);
    CREATE TABLE blank_reveals (
        lesson_id TEXT NOT NULL,
        step_id   TEXT NOT NULL,
        blank_id  TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (lesson_id, step_id, blank_id)
    );
    CREATE TABLE solution_reveals (
        lesson_id TEXT PRIMARY KEY,
        at        INTEGER NOT NULL
    );
    CREATE TABLE check_runs (
        id          INTEGER PRIMARY KEY,
        exercise_id TEXT NOT NULL,
        check_id    TEXT NOT NULL,
        backend     TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error')),
        points      INTEGER NOT NULL,
        max_points  INTEGER NOT NULL,
        message     TEXT NOT NULL DEFAULT '',
        at          INTEGER NOT NULL
    );
    CREATE INDEX check_runs_by_check ON check_runs (exercise_id, check_id, id);
    CREATE TABLE hints_used (
        exercise_id TEXT NOT NULL,
        tier        INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (exercise_id, tier)
    );
    CREATE TABLE quiz_attempts (
        id        INTEGER PRIMARY KEY,
        module_id TEXT NOT NULL,
        at        INTEGER NOT NULL,
        seed      INTEGER NOT NULL,
        answers   TEXT NOT NULL,
        score     REAL NOT NULL,
        max_score REAL NOT NULL,
        passed    INTEGER NOT NULL CHECK (passed IN (0, 1))
    );
    CREATE INDEX quiz_attempts_by_module ON quiz_attempts (module_id, id);
    ",
    // 2: reference solutions shown before (or after) an exercise passed.
    "
    CREATE TABLE exercise_solutions (
        exercise_id TEXT PRIMARY KEY,
        at          INTEGER NOT NULL
    );
    ",
    // 3: grades of the working copy, as `workbook grade` computed them.
    "
    CREATE TABLE grades (
        id       INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,
        letter   TEXT NOT NULL,
        score    REAL NOT NULL,
        document TEXT NOT NULL
    );
    ",
];

/// The schema version this workbook writes.
pub fn latest() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}
