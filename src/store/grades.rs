//! Grades of the working copy in the progress store: `workbook grade`
//! records the whole grade document, so `workbook progress` shows exactly
//! the numbers and letter that `grade` gave, and says when work done since
//! makes them stale.

use sqlx::{Row, SqlitePool};

use super::{Store, StoreError, now};

/// The latest recorded grade.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeRecord {
    /// When it was recorded (seconds since the Unix epoch).
    pub at: i64,
    /// The grade document (`workbook grade --format json`'s model, as JSON).
    pub document: String,
    /// Whether checks ran or a quiz was taken after it.
    pub stale: bool,
}

impl Store {
    /// Records a grade of the working copy.
    pub async fn record_grade(
        &self,
        letter: &str,
        score: f64,
        document: &str,
    ) -> Result<(), StoreError> {
        let pool = self.writer().await?;
        sqlx::query("INSERT INTO grades (at, letter, score, document) VALUES (?1, ?2, ?3, ?4)")
            .bind(now())
            .bind(letter)
            .bind(score)
            .bind(document)
            .execute(&pool)
            .await
            .map_err(|e| self.failed(e))?;
        Ok(())
    }

    /// The latest grade, if any.
    pub(super) async fn last_grade(
        &self,
        pool: &SqlitePool,
    ) -> Result<Option<GradeRecord>, sqlx::Error> {
        let Some(row) = sqlx::query("SELECT at, document FROM grades ORDER BY id DESC LIMIT 1")
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let at: i64 = row.get(0);
        let later: i64 = sqlx::query(
            "SELECT (SELECT count(*) FROM check_runs WHERE at > ?1)
                  + (SELECT count(*) FROM quiz_attempts WHERE at > ?1)",
        )
        .bind(at)
        .fetch_one(pool)
        .await?
        .get(0);
        Ok(Some(GradeRecord {
            at,
            document: row.get(1),
            stale: later > 0,
        }))
    }
}
