//! The protected checks of the `eager-tags` exercise.
//!
//! The data comes from the check's seed (irregular ids, a repeated name,
//! untagged items, a shared and an unused tag, rows stored out of id order);
//! query counts are taken on a sealed pool, so queries run on a pool or
//! connection of the code's own cannot hide from the count.

use eager_tags::{FoundItemWithTags, Tag, found_items_with_tags};
use workbook_support::catalog::{Catalog, FOUND};
use workbook_support::queries::numbered;
use workbook_support::rows::{Mismatch, Noun, diff};
use workbook_support::sealed_pool::SealedPool;
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
";

const ITEM: Noun = Noun {
    en: "item",
    ru: "вещь",
};

async fn setup(pool: &AnyPool) -> Result<(), Failure> {
    sqlx::raw_sql(AssertSqlSafe(SCHEMA)).execute(pool).await?;
    Ok(())
}

/// What the function should return for the items of `catalog` with these ids.
fn expected(catalog: &Catalog, ids: &[i64]) -> Vec<FoundItemWithTags> {
    catalog
        .items_by_id()
        .into_iter()
        .filter(|item| ids.contains(&item.id))
        .map(|item| FoundItemWithTags {
            id: item.id,
            name: item.name.clone(),
            location: item.location.clone(),
            tags: catalog
                .tags_of(item.id)
                .into_iter()
                .map(|t| Tag {
                    id: t.id,
                    name: t.name.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Runs the student's function on `pool`, recording its statements.
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
        SealedPool::explain(&error).unwrap_or_else(|| {
            Failure::database(
                [
                    "`found_items_with_tags` returned an error",
                    "`found_items_with_tags` вернула ошибку",
                ],
                statements.last().map(|s| s.sql.as_str()),
                &error,
            )
        })
    })?;
    Ok((items, statements))
}

/// Runs the function on a sealed pool, so every statement it runs is counted.
async fn load_counted(ctx: &Ctx) -> Result<(Vec<FoundItemWithTags>, Vec<Statement>), Failure> {
    let sealed = SealedPool::open(&ctx.url, ctx.backend).await?;
    let loaded = load(sealed.pool()).await;
    sealed.close().await?;
    loaded
}

/// A teaching failure when the lists differ.
fn compare(
    context: [&str; 2],
    expected: &[FoundItemWithTags],
    actual: &[FoundItemWithTags],
) -> Result<(), Failure> {
    let Some(mismatch) = diff(expected, actual, |i| i.id) else {
        return Ok(());
    };
    let failure = mismatch.failure(context, ITEM, expected, actual, |i| i.id);
    Err(match &mismatch {
        Mismatch::Missing(ids)
            if ids
                .iter()
                .all(|id| expected.iter().any(|e| e.id == *id && e.tags.is_empty())) =>
        {
            failure
                .evidence(
                    "every missing item has no tags: an inner JOIN drops them; a LEFT JOIN keeps them (their tag columns are NULL)\n\
                     у всех пропавших вещей нет тегов: внутренний JOIN их теряет, LEFT JOIN сохраняет (столбцы тега — NULL)",
                )
                .hint(3)
        }
        Mismatch::Duplicated(_) => failure.hint(2),
        Mismatch::Differs(id) => tags_failure(context, expected, actual, *id).unwrap_or(failure.hint(1)),
        _ => failure.hint(1),
    })
}

/// The same item with other tags: which tags are missing, extra, or out of order.
fn tags_failure(
    context: [&str; 2],
    expected: &[FoundItemWithTags],
    actual: &[FoundItemWithTags],
    id: i64,
) -> Option<Failure> {
    let want = expected.iter().find(|i| i.id == id)?;
    let got = actual.iter().find(|i| i.id == id)?;
    if (&want.name, &want.location) != (&got.name, &got.location) {
        return None;
    }
    let names = |tags: &[Tag]| {
        tags.iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let [c_en, c_ru] = context;
    let mut sorted = got.tags.clone();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let (en, ru) = if sorted == want.tags {
        (
            format!("{c_en}: the tags of item {id} are not sorted by name"),
            format!("{c_ru}: теги вещи {id} не отсортированы по имени"),
        )
    } else {
        (
            format!("{c_en}: item {id} has the wrong tags"),
            format!("{c_ru}: у вещи {id} не те теги"),
        )
    };
    Some(
        fail(en)
            .ru(ru)
            .evidence(format!(
                "  expected / ожидались: [{}]\n  got / получены:       [{}]",
                names(&want.tags),
                names(&got.tags)
            ))
            .hint(1),
    )
}

async fn right_items_and_tags(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    let mut rng = ctx.seed.rng("catalog");
    let count = usize::try_from(rng.between(8, 20)).unwrap_or(8);
    let catalog = Catalog::generate(&mut rng, count);
    catalog.insert(&ctx.pool, &mut rng, &FOUND).await?;
    let ids: Vec<i64> = catalog.items.iter().map(|i| i.id).collect();
    let (items, _) = load(&ctx.pool).await?;
    compare(
        [
            &format!("with {count} items"),
            &format!("при {count} вещах"),
        ],
        &expected(&catalog, &ids),
        &items,
    )
}

async fn constant_query_count(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    let mut rng = ctx.seed.rng("catalog");
    let (few, many) = (
        usize::try_from(rng.between(2, 4)).unwrap_or(3),
        usize::try_from(rng.between(20, 35)).unwrap_or(30),
    );
    let catalog = Catalog::generate(&mut rng, many);
    catalog.insert_tags(&ctx.pool).await?;
    let ids: Vec<i64> = catalog.items.iter().map(|i| i.id).collect();
    let (first, rest) = ids.split_at(few);
    catalog
        .insert_items(&ctx.pool, &mut rng, first, &FOUND)
        .await?;
    let (items, with_few) = load_counted(&ctx).await?;
    compare(
        [&format!("with {few} items"), &format!("при {few} вещах")],
        &expected(&catalog, first),
        &items,
    )?;
    catalog
        .insert_items(&ctx.pool, &mut rng, rest, &FOUND)
        .await?;
    let (items, with_many) = load_counted(&ctx).await?;
    compare(
        [&format!("with {many} items"), &format!("при {many} вещах")],
        &expected(&catalog, &ids),
        &items,
    )?;
    if with_few.len() == with_many.len() {
        return Ok(());
    }
    let (a, b) = (with_few.len(), with_many.len());
    let (message, message_ru) = if b > a {
        (
            format!(
                "loading {few} items ran {a} statements, loading {many} ran {b}: the count grows with the items (N+1: one more query per item). \
                 Fetch the tags of all items at once: one query with a JOIN, or one `WHERE found_item_id IN (…)`, then group the rows in Rust."
            ),
            format!(
                "загрузка {few} вещей выполнила запросов: {a}, загрузка {many} — {b}: число растёт вместе с вещами (N+1: по запросу на вещь). \
                 Получите теги всех вещей сразу: одним запросом с JOIN или одним `WHERE found_item_id IN (…)`, затем сгруппируйте строки в Rust."
            ),
        )
    } else {
        (
            format!(
                "loading {few} items ran {a} statements, loading {many} ran {b}: the number of queries must be the same however many items there are"
            ),
            format!(
                "загрузка {few} вещей выполнила запросов: {a}, загрузка {many} — {b}: число запросов должно быть одним и тем же при любом числе вещей"
            ),
        )
    };
    Err(fail(message)
        .ru(message_ru)
        .evidence(format!(
            "statements for {many} items / запросы для {many} вещей:\n{}",
            numbered(&with_many, 8)
        ))
        .hint(2))
}

async fn empty_table(ctx: Ctx) -> Result<(), Failure> {
    setup(&ctx.pool).await?;
    let mut rng = ctx.seed.rng("catalog");
    // Tags, and no items at all.
    Catalog::generate(&mut rng, 0)
        .insert_tags(&ctx.pool)
        .await?;
    let (items, _) = load(&ctx.pool).await?;
    if items.is_empty() {
        return Ok(());
    }
    Err(fail(format!(
        "with no found items, expected an empty list, got {} items",
        items.len()
    ))
    .ru(format!(
        "без найденных вещей ожидался пустой список, получено вещей: {}",
        items.len()
    ))
    .evidence(format!("  got / получено: {:?}", items.first()))
    .hint(1))
}
