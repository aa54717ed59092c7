//! The protected checks of the `founditem-schema` exercise. Rows and ids come
//! from the check's seed; a schema that falls short is explained in words
//! before any diff.

use founditem_schema::SCHEMA;
use workbook_support::catalog::{Catalog, FOUND};
use workbook_support::junction::{Junction, Side};
use workbook_support::seed::Rng;
use workbook_support::sqlx::{self, AnyPool, AssertSqlSafe};
use workbook_support::{Ctx, Failure, fail};

workbook_support::checks! {
    "schema-applies" => schema_applies,
    "junction-schema" => junction_schema,
    "links-are-unique" => links_are_unique,
    "delete-cascades" => delete_cascades,
}

const TABLES: [&str; 3] = ["tags", "found_items", "founditem_tag"];

/// Runs `SCHEMA` in one transaction, as a migration would.
async fn apply(ctx: &Ctx) -> Result<(), Failure> {
    let mut tx = ctx.pool.begin().await?;
    if let Err(error) = sqlx::raw_sql(AssertSqlSafe(SCHEMA)).execute(&mut *tx).await {
        return Err(Failure::database(
            [
                &format!("`SCHEMA` did not run on {}", ctx.backend),
                &format!("`SCHEMA` не выполнилась на {}", ctx.backend),
            ],
            Some(SCHEMA),
            &error,
        )
        .hint(1));
    }
    tx.commit().await?;
    Ok(())
}

async fn schema_applies(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    let schema = ctx.schema().await?;
    for table in TABLES {
        if !schema.tables.contains_key(table) {
            return Err(
                fail(format!("after `SCHEMA` ran, there is no table `{table}`"))
                    .ru(format!("после выполнения `SCHEMA` нет таблицы `{table}`"))
                    .hint(1),
            );
        }
    }
    Ok(())
}

const JUNCTION: Junction<'static> = Junction {
    table: "founditem_tag",
    sides: [
        Side {
            column: "found_item_id",
            table: "found_items",
        },
        Side {
            column: "tag_id",
            table: "tags",
        },
    ],
    key_hint: 2,
    reference_hint: 3,
};

/// What is missing is said in words first; only a schema right in those
/// respects is compared with the reference, where the diff is small.
async fn junction_schema(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    let schema = ctx.schema().await?.only(&TABLES);
    if let Some(failure) = JUNCTION.explain(&schema) {
        return Err(failure);
    }
    ctx.snapshot("schema", ["the schema", "схема"], &schema.to_string())
        .map_err(|f| f.hint(3))
}

/// Test rows drawn from the check's seed: items and tags with irregular ids.
async fn fill(ctx: &Ctx, rng: &mut Rng, items: usize, links: bool) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::generate(rng, items);
    if !links {
        catalog.links.clear();
    }
    catalog
        .insert(&ctx.pool, rng, &FOUND)
        .await
        .map_err(|error| {
            Failure::database(
                [
                    "adding test rows after `SCHEMA` ran failed",
                    "добавление тестовых строк после `SCHEMA` не удалось",
                ],
                None,
                &error,
            )
        })?;
    Ok(catalog)
}

/// An id no row of `ids` has.
fn absent(rng: &mut Rng, ids: impl Iterator<Item = i64>) -> i64 {
    ids.max().unwrap_or(0) + rng.between(1, 50)
}

const LINK: &str = "INSERT INTO founditem_tag (found_item_id, tag_id) VALUES ($1, $2)";

async fn link(pool: &AnyPool, item: i64, tag: i64) -> Result<(), sqlx::Error> {
    sqlx::query(LINK)
        .bind(item)
        .bind(tag)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Links an item to a tag where that must work.
async fn must_link(pool: &AnyPool, item: i64, tag: i64) -> Result<(), Failure> {
    link(pool, item, tag).await.map_err(|error| {
        Failure::database(
            [
                &format!("attaching tag {tag} to item {item} failed"),
                &format!("привязка тега {tag} к вещи {item} не удалась"),
            ],
            Some(LINK),
            &error,
        )
    })
}

const LINKS: &str =
    "SELECT found_item_id, tag_id FROM founditem_tag ORDER BY found_item_id, tag_id";

async fn links(pool: &AnyPool) -> Result<Vec<(i64, i64)>, Failure> {
    sqlx::query_as(LINKS)
        .fetch_all(pool)
        .await
        .map_err(|error| {
            Failure::database(
                ["reading the links back failed", "чтение связей не удалось"],
                Some(LINKS),
                &error,
            )
        })
}

async fn links_are_unique(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    let mut rng = ctx.seed.rng("links");
    let catalog = fill(&ctx, &mut rng, 5, false).await?;
    let (item, other) = (catalog.items[0].id, catalog.items[1].id);
    let tag = rng.pick(&catalog.tags).id;
    must_link(&ctx.pool, item, tag).await?;
    // The same tag on another item is fine: that is what many-to-many means.
    link(&ctx.pool, other, tag).await.map_err(|error| {
        Failure::database(
            [
                &format!("attaching tag {tag} to a second item ({other}) failed, yet a tag may belong to many items"),
                &format!("привязка тега {tag} ко второй вещи ({other}) не удалась, а тег может принадлежать многим вещам"),
            ],
            Some(LINK),
            &error,
        )
        .hint(2)
    })?;
    if link(&ctx.pool, item, tag).await.is_ok() {
        return Err(fail(format!("attaching tag {tag} to item {item} a second time was accepted: the table now holds the same link twice"))
            .ru(format!("повторная привязка тега {tag} к вещи {item} прошла: теперь в таблице одна и та же связь дважды"))
            .evidence(format!("rows / строки: {:?}", links(&ctx.pool).await?))
            .hint(2));
    }
    let missing_tag = absent(&mut rng, catalog.tags.iter().map(|t| t.id));
    if link(&ctx.pool, item, missing_tag).await.is_ok() {
        return Err(fail(format!("a link to tag {missing_tag}, which does not exist, was accepted: `tag_id` needs a foreign key to `tags`"))
            .ru(format!("связь с несуществующим тегом {missing_tag} принята: `tag_id` нужен внешний ключ на `tags`")).hint(3));
    }
    let missing_item = absent(&mut rng, catalog.items.iter().map(|i| i.id));
    if link(&ctx.pool, missing_item, tag).await.is_ok() {
        return Err(fail(format!("a link from item {missing_item}, which does not exist, was accepted: `found_item_id` needs a foreign key to `found_items`"))
            .ru(format!("связь от несуществующей вещи {missing_item} принята: `found_item_id` нужен внешний ключ на `found_items`")).hint(3));
    }
    let mut want = vec![(item, tag), (other, tag)];
    want.sort_unstable();
    let rows = links(&ctx.pool).await?;
    if rows != want {
        return Err(fail(format!("expected the links {want:?}, found {rows:?}"))
            .ru(format!("ожидались связи {want:?}, найдено {rows:?}")));
    }
    Ok(())
}

/// Deletes one row; a failure says the links should have gone with it.
async fn delete(pool: &AnyPool, table: &str, id: i64, what: [&str; 2]) -> Result<(), Failure> {
    let sql = format!("DELETE FROM {table} WHERE id = $1");
    sqlx::query(AssertSqlSafe(sql.clone()))
        .bind(id)
        .execute(pool)
        .await
        .map_err(|error| Failure::database(what, Some(&sql), &error).hint(3))?;
    Ok(())
}

async fn delete_cascades(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    let mut rng = ctx.seed.rng("cascade");
    let catalog = fill(&ctx, &mut rng, 6, true).await?;
    let mut want: Vec<(i64, i64)> = catalog.links.iter().copied().collect();
    let linked: Vec<i64> = catalog
        .items
        .iter()
        .map(|i| i.id)
        .filter(|i| want.iter().any(|(x, _)| x == i))
        .collect();
    let item = if linked.is_empty() {
        catalog.items[0].id
    } else {
        *rng.pick(&linked)
    };
    delete(
        &ctx.pool,
        "found_items",
        item,
        [
            &format!("deleting item {item}, which has tags, failed; its links should go with it (`ON DELETE CASCADE`)"),
            &format!("удаление вещи {item} с тегами не удалось; её связи должны удаляться вместе с ней (`ON DELETE CASCADE`)"),
        ],
    )
    .await?;
    want.retain(|(i, _)| *i != item);
    let rows = links(&ctx.pool).await?;
    if rows != want {
        return Err(fail(format!(
            "after deleting item {item}, its links should be gone and the others left"
        ))
        .ru(format!(
            "после удаления вещи {item} её связи должны исчезнуть, а остальные — остаться"
        ))
        .evidence(format!(
            "  expected / ожидались: {want:?}\n  found / найдены:      {rows:?}"
        ))
        .hint(3));
    }
    let used: Vec<i64> = want.iter().map(|(_, t)| *t).collect();
    let tag = if used.is_empty() {
        catalog.tags[0].id
    } else {
        *rng.pick(&used)
    };
    delete(
        &ctx.pool,
        "tags",
        tag,
        [
            &format!("deleting tag {tag}, which is attached, failed; its links should go with it"),
            &format!("удаление привязанного тега {tag} не удалось; его связи должны удаляться вместе с ним"),
        ],
    )
    .await?;
    want.retain(|(_, t)| *t != tag);
    let rows = links(&ctx.pool).await?;
    if rows != want {
        return Err(fail(format!(
            "after deleting tag {tag}, its links should be gone and the others left"
        ))
        .ru(format!(
            "после удаления тега {tag} его связи должны исчезнуть, а остальные — остаться"
        ))
        .evidence(format!(
            "  expected / ожидались: {want:?}\n  found / найдены:      {rows:?}"
        ))
        .hint(3));
    }
    let mut counts = [0_i64; 2];
    for (count, sql) in counts.iter_mut().zip([
        "SELECT count(*) FROM found_items",
        "SELECT count(*) FROM tags",
    ]) {
        *count = sqlx::query_scalar(sql)
            .fetch_one(&ctx.pool)
            .await
            .map_err(|error| {
                Failure::database(
                    ["counting the rows failed", "подсчёт строк не удался"],
                    Some(sql),
                    &error,
                )
            })?;
    }
    let left = (
        catalog.items.len() as i64 - 1,
        catalog.tags.len() as i64 - 1,
    );
    if (counts[0], counts[1]) != left {
        return Err(fail(format!(
            "deleting must not touch other rows: expected {} items and {} tags left, found {} and {}",
            left.0, left.1, counts[0], counts[1]
        ))
        .ru(format!(
            "удаление не должно затрагивать другие строки: ожидалось вещей {} и тегов {}, найдено {} и {}",
            left.0, left.1, counts[0], counts[1]
        )));
    }
    Ok(())
}
