//! The tag columns of a LEFT JOIN decoded as if they were never NULL.

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

type Row = (i64, String, String, i64, String);

/// Every found item, by id, each with its tags sorted by name.
pub async fn found_items_with_tags(pool: &AnyPool) -> Result<Vec<FoundItemWithTags>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.name, i.location, t.id, t.name FROM found_items i LEFT JOIN founditem_tag ft ON ft.found_item_id = i.id LEFT JOIN tags t ON t.id = ft.tag_id ORDER BY i.id, t.name",
    )
    .fetch_all(pool)
    .await?;
    let mut items: Vec<FoundItemWithTags> = Vec::new();
    for (id, name, location, tag_id, tag_name) in rows {
        if items.last().is_none_or(|item| item.id != id) {
            items.push(FoundItemWithTags { id, name, location, tags: Vec::new() });
        }
        if let Some(item) = items.last_mut() {
            item.tags.push(Tag { id: tag_id, name: tag_name });
        }
    }
    Ok(items)
}
