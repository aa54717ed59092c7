//! Two queries: the items, then all their tags with IN.

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
pub async fn found_items_with_tags(pool: &AnyPool) -> Result<Vec<FoundItemWithTags>, sqlx::Error> {
    let items: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, location FROM found_items ORDER BY id")
            .fetch_all(pool)
            .await?;
    let mut result: Vec<FoundItemWithTags> = items
        .into_iter()
        .map(|(id, name, location)| FoundItemWithTags { id, name, location, tags: Vec::new() })
        .collect();
    if result.is_empty() {
        return Ok(result);
    }
    let placeholders: Vec<String> = (1..=result.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT ft.found_item_id, t.id, t.name FROM founditem_tag ft JOIN tags t ON t.id = ft.tag_id \
         WHERE ft.found_item_id IN ({}) ORDER BY t.name",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, i64, String)>(sqlx::AssertSqlSafe(sql));
    for item in &result {
        query = query.bind(item.id);
    }
    for (item_id, id, name) in query.fetch_all(pool).await? {
        if let Some(item) = result.iter_mut().find(|i| i.id == item_id) {
            item.tags.push(Tag { id, name });
        }
    }
    Ok(result)
}
