//! Three whole-table queries, joined in Rust.

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
    let items: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, name, location FROM found_items")
        .fetch_all(pool)
        .await?;
    let links: Vec<(i64, i64)> = sqlx::query_as("SELECT found_item_id, tag_id FROM founditem_tag")
        .fetch_all(pool)
        .await?;
    let tags: std::collections::HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM tags")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    let mut result: Vec<FoundItemWithTags> = items
        .into_iter()
        .map(|(id, name, location)| {
            let mut item_tags: Vec<Tag> = links
                .iter()
                .filter(|(item, _)| *item == id)
                .filter_map(|(_, tag)| tags.get(tag).map(|name| Tag { id: *tag, name: name.clone() }))
                .collect();
            item_tags.sort_by(|a, b| a.name.cmp(&b.name));
            FoundItemWithTags { id, name, location, tags: item_tags }
        })
        .collect();
    result.sort_by_key(|item| item.id);
    Ok(result)
}
