//! The protected checks of the `founditem-schema` exercise.

use founditem_schema::SCHEMA;
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

async fn junction_schema(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    let schema = ctx.schema().await?.only(&TABLES);
    ctx.snapshot("schema", ["the schema", "схема"], &schema.to_string())
        .map_err(|f| f.hint(2))
}

/// Runs one of the checks' own statements; a failure names it.
async fn run(pool: &AnyPool, what: [&str; 2], sql: &'static str) -> Result<(), Failure> {
    sqlx::query(sql)
        .execute(pool)
        .await
        .map_err(|error| Failure::database(what, Some(sql), &error))?;
    Ok(())
}

async fn seed(pool: &AnyPool) -> Result<(), Failure> {
    for sql in [
        "INSERT INTO found_items (id, name, location) VALUES (1, 'Passport', 'Hall'), (2, 'Umbrella', 'Cafe')",
        "INSERT INTO tags (id, name) VALUES (10, 'documents'), (11, 'valuable')",
    ] {
        run(
            pool,
            [
                "adding test rows after `SCHEMA` ran failed",
                "добавление тестовых строк после `SCHEMA` не удалось",
            ],
            sql,
        )
        .await?;
    }
    Ok(())
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
    seed(&ctx.pool).await?;
    must_link(&ctx.pool, 1, 10).await?;
    // The same tag on another item is fine: that is what many-to-many means.
    link(&ctx.pool, 2, 10).await.map_err(|error| {
        Failure::database(
            [
                "attaching tag 10 to a second item failed, yet a tag may belong to many items",
                "привязка тега 10 ко второй вещи не удалась, а тег может принадлежать многим вещам",
            ],
            Some(LINK),
            &error,
        )
        .hint(2)
    })?;
    if link(&ctx.pool, 1, 10).await.is_ok() {
        return Err(fail("attaching tag 10 to item 1 a second time was accepted: the table now holds the same link twice")
            .ru("повторная привязка тега 10 к вещи 1 прошла: теперь в таблице одна и та же связь дважды")
            .evidence(format!("rows: {:?}", links(&ctx.pool).await?))
            .hint(2));
    }
    if link(&ctx.pool, 1, 99).await.is_ok() {
        return Err(fail("a link to tag 99, which does not exist, was accepted: `tag_id` needs a foreign key to `tags`")
            .ru("связь с несуществующим тегом 99 принята: `tag_id` нужен внешний ключ на `tags`").hint(3));
    }
    if link(&ctx.pool, 42, 11).await.is_ok() {
        return Err(fail("a link from item 42, which does not exist, was accepted: `found_item_id` needs a foreign key to `found_items`")
            .ru("связь от несуществующей вещи 42 принята: `found_item_id` нужен внешний ключ на `found_items`").hint(3));
    }
    let rows = links(&ctx.pool).await?;
    if rows != [(1, 10), (2, 10)] {
        return Err(fail(format!(
            "expected the links [(1, 10), (2, 10)], found {rows:?}"
        ))
        .ru(format!(
            "ожидались связи [(1, 10), (2, 10)], найдено {rows:?}"
        )));
    }
    Ok(())
}

async fn delete_cascades(ctx: Ctx) -> Result<(), Failure> {
    apply(&ctx).await?;
    seed(&ctx.pool).await?;
    for (item, tag) in [(1, 10), (1, 11), (2, 11)] {
        must_link(&ctx.pool, item, tag).await?;
    }
    run(
        &ctx.pool,
        [
            "deleting item 1, which has tags, failed; its links should go with it (`ON DELETE CASCADE`)",
            "удаление вещи 1 с тегами не удалось; её связи должны удаляться вместе с ней (`ON DELETE CASCADE`)",
        ],
        "DELETE FROM found_items WHERE id = 1",
    )
    .await
    .map_err(|f| f.hint(3))?;
    let rows = links(&ctx.pool).await?;
    if rows != [(2, 11)] {
        return Err(fail(format!(
            "after deleting item 1, the links should be [(2, 11)], found {rows:?}"
        ))
        .ru(format!(
            "после удаления вещи 1 должны остаться связи [(2, 11)], найдено {rows:?}"
        ))
        .hint(3));
    }
    run(
        &ctx.pool,
        [
            "deleting tag 11, which is attached, failed; its links should go with it",
            "удаление привязанного тега 11 не удалось; его связи должны удаляться вместе с ним",
        ],
        "DELETE FROM tags WHERE id = 11",
    )
    .await
    .map_err(|f| f.hint(3))?;
    let rows = links(&ctx.pool).await?;
    if !rows.is_empty() {
        return Err(fail(format!(
            "after deleting tag 11, no links should remain, found {rows:?}"
        ))
        .ru(format!(
            "после удаления тега 11 связей остаться не должно, найдено {rows:?}"
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
    let [items, tags] = counts;
    if (items, tags) != (1, 1) {
        return Err(fail(format!("deleting must not touch other rows: expected 1 item and 1 tag left, found {items} and {tags}"))
            .ru(format!("удаление не должно затрагивать другие строки: ожидалось 1 вещь и 1 тег, найдено {items} и {tags}")));
    }
    Ok(())
}
