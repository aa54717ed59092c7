//! The protected checks of the `eager-tags` exercise.

use eager_tags::{FoundItemWithTags, Tag, found_items_with_tags};
use workbook_support::queries::numbered;
use workbook_support::sqlx::{self, AnyPool, AssertSqlSafe};
use workbook_support::{Ctx, Failure, QueryLog, Statement, fail};

workbook_support::checks! {
    "right-items-and-tags" => right_items_and_tags,
    "constant-query-count" => constant_query_count,
    "empty-table" => empty_table,
}

const SCHEMA: &str = "
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE found_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (found_item_id, tag_id)
);
INSERT INTO tags (id, name) VALUES (1, 'valuable'), (2, 'documents'), (3, 'electronics');
";

async fn setup(pool: &AnyPool) -> Result<(), Failure> {
    sqlx::raw_sql(AssertSqlSafe(SCHEMA)).execute(pool).await?;
    Ok(())
}

/// Adds items `first..first + count`; item ids ending in 0 get no tags, the
/// others share `valuable` and alternate between `documents` and `electronics`.
async fn add_items(
    pool: &AnyPool,
    first: i64,
    count: i64,
) -> Result<Vec<FoundItemWithTags>, Failure> {
    let mut expected = Vec::new();
    for id in first..first + count {
        let (name, location) = (format!("item {id}"), format!("shelf {}", id % 7));
        sqlx::query("INSERT INTO found_items (id, name, location) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&name)
            .bind(&location)
            .execute(pool)
            .await?;
        let mut tags = Vec::new();
        if id % 10 != 0 {
            let other = if id % 2 == 0 {
                (2, "documents")
            } else {
                (3, "electronics")
            };
            for (tag, tag_name) in [(1, "valuable"), other] {
                sqlx::query("INSERT INTO founditem_tag (found_item_id, tag_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag)
                    .execute(pool)
                    .await?;
                tags.push(Tag {
                    id: tag,
                    name: tag_name.to_owned(),
                });
            }
            tags.sort_by(|a, b| a.name.cmp(&b.name));
        }
        expected.push(FoundItemWithTags {
            id,
            name,
            location,
            tags,
        });
    }
    Ok(expected)
}

/// Runs the student's function, recording its statements.
async fn load(pool: &AnyPool) -> Result<(Vec<FoundItemWithTags>, Vec<Statement>), Failure> {
    let log = QueryLog::start();
    let result = found_items_with_tags(pool).await;
    if result.is_err() {
        // SQLite's worker records a statement just after sending its result:
        // wait for the record, so the statement that failed can be named.
        workbook_support::tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let statements = log.stop();
    let items = result.map_err(|error| {
        Failure::database(
            [
                "`found_items_with_tags` returned an error",
                "`found_items_with_tags` вернула ошибку",
            ],
            statements.last().map(|s| s.sql.as_str()),
            &error,
        )
    })?;
    Ok((items, statements))
}

fn compare(
    what: [&str; 2],
    expected: &[FoundItemWithTags],
    actual: &[FoundItemWithTags],
) -> Result<(), Failure> {
    if expected == actual {
        return Ok(());
    }
    if expected.len() != actual.len() {
        return Err(fail(format!(
            "{}: expected {} items, got {}",
            what[0],
            expected.len(),
            actual.len()
        ))
        .ru(format!(
            "{}: ожидалось вещей: {}, получено: {}",
            what[1],
            expected.len(),
            actual.len()
        ))
        .hint(1));
    }
    let (want, got) = expected
        .iter()
        .zip(actual)
        .find(|(want, got)| want != got)
        .expect("the lists differ somewhere");
    Err(fail(format!("{}: item {} is not right", what[0], want.id))
        .ru(format!("{}: вещь {} неверна", what[1], want.id))
        .evidence(format!("  expected: {want:?}\n  got:      {got:?}"))
        .hint(1))
}

async fn right_items_and_tags(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    // Item 10 has no tags; `valuable` is shared by every other item.
    let expected = add_items(&ctx.pool, 7, 5).await?;
    let (items, _) = load(&ctx.pool).await?;
    compare(["with 5 items", "при 5 вещах"], &expected, &items)
}

async fn constant_query_count(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    let mut expected = add_items(&ctx.pool, 1, 3).await?;
    let (items, few) = load(&ctx.pool).await?;
    compare(["with 3 items", "при 3 вещах"], &expected, &items)?;
    expected.extend(add_items(&ctx.pool, 4, 27).await?);
    let (items, many) = load(&ctx.pool).await?;
    compare(["with 30 items", "при 30 вещах"], &expected, &items)?;
    if few.len() == many.len() && many.len() <= 2 {
        return Ok(());
    }
    let (message, message_ru) = if many.len() > few.len() {
        (
            format!(
                "loading 3 items ran {} statements, loading 30 ran {}: the count grows with the items, one more query per item (N+1). \
             Fetch the tags of all items at once: one query with a JOIN, or one `WHERE found_item_id IN (…)`, then group the rows in Rust.",
                few.len(),
                many.len()
            ),
            format!(
                "загрузка 3 вещей выполнила запросов: {}, загрузка 30 — {}: число растёт вместе с вещами, по запросу на вещь (N+1). \
             Получите теги всех вещей сразу: одним запросом с JOIN или одним `WHERE found_item_id IN (…)`, затем сгруппируйте строки в Rust.",
                few.len(),
                many.len()
            ),
        )
    } else {
        (
            format!(
                "loading the items ran {} statements; one query (JOIN) or two (items, then all their tags) are enough",
                many.len()
            ),
            format!(
                "загрузка вещей выполнила запросов: {}; достаточно одного (JOIN) или двух (вещи, затем все их теги)",
                many.len()
            ),
        )
    };
    Err(fail(message)
        .ru(message_ru)
        .evidence(format!(
            "the statements for 30 items / запросы для 30 вещей:\n{}",
            numbered(&many, 8)
        ))
        .hint(2))
}

async fn empty_table(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    let (items, statements) = load(&ctx.pool).await?;
    if !items.is_empty() {
        return Err(fail(format!(
            "with no found items, expected an empty list, got {} items",
            items.len()
        ))
        .ru(format!(
            "без найденных вещей ожидался пустой список, получено вещей: {}",
            items.len()
        )));
    }
    if statements.len() > 2 {
        return Err(fail(format!(
            "with no items, {} statements ran; at most 2 are needed",
            statements.len()
        ))
        .ru(format!(
            "без вещей выполнено запросов: {}; нужно не больше 2",
            statements.len()
        ))
        .evidence(numbered(&statements, 8))
        .hint(2));
    }
    Ok(())
}
