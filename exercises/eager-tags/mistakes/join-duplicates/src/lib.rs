//! One item per row of the JOIN.

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

type Row = (i64, String, String, Option<i64>, Option<String>);

/// Every found item, by id, each with its tags sorted by name.
pub async fn found_items_with_tags(pool: &AnyPool) -> Result<Vec<FoundItemWithTags>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.name, i.location, t.id, t.name FROM found_items i LEFT JOIN founditem_tag ft ON ft.found_item_id = i.id LEFT JOIN tags t ON t.id = ft.tag_id ORDER BY i.id, t.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, location, tag_id, tag_name)| FoundItemWithTags {
            id,
            name,
            location,
            tags: tag_id.zip(tag_name).map(|(id, name)| Tag { id, name }).into_iter().collect(),
        })
        .collect())
}
