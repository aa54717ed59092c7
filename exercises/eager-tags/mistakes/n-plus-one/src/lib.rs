//! Exercise: found items with their tags, without N+1.
//! Упражнение: найденные вещи с тегами без N+1.
//!
//! `found_items_with_tags` below returns the right data, but it runs one query
//! for the items and then one more per item: 31 queries for 30 items. Make the
//! number of queries the same however many items there are. The pool is
//! `AnyPool`, so the same code runs on SQLite and on Postgres (`$1` placeholders
//! work on both).
//!
//! `found_items_with_tags` ниже возвращает верные данные, но выполняет один
//! запрос за вещами и ещё по одному на каждую: 31 запрос для 30 вещей. Сделайте
//! так, чтобы число запросов не зависело от числа вещей. Пул — `AnyPool`, поэтому
//! один и тот же код работает в SQLite и Postgres (`$1` работает в обоих).

use sqlx::AnyPool;

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's id.
    pub id: i64,
    /// The tag's name.
    pub name: String,
}

/// A found item with its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundItemWithTags {
    /// The item's id.
    pub id: i64,
    /// What it is.
    pub name: String,
    /// Where it was found.
    pub location: String,
    /// Its tags, sorted by name.
    pub tags: Vec<Tag>,
}

/// Every found item, by id, each with its tags sorted by name.
/// Все найденные вещи по id, у каждой — теги, отсортированные по имени.
pub async fn found_items_with_tags(pool: &AnyPool) -> Result<Vec<FoundItemWithTags>, sqlx::Error> {
    let items: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, location FROM found_items ORDER BY id")
            .fetch_all(pool)
            .await?;
    let mut result = Vec::new();
    for (id, name, location) in items {
        // TODO: one query per item: this is the N+1 pattern.
        // TODO: по запросу на каждую вещь — это шаблон N+1.
        let tags: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.id, t.name FROM founditem_tag ft JOIN tags t ON t.id = ft.tag_id
              WHERE ft.found_item_id = $1 ORDER BY t.name",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let tags = tags
            .into_iter()
            .map(|(id, name)| Tag { id, name })
            .collect();
        result.push(FoundItemWithTags {
            id,
            name,
            location,
            tags,
        });
    }
    Ok(result)
}
