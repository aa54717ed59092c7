//! Upper-case SQL, grouped in a BTreeMap.

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
        "SELECT ITEM.ID, ITEM.NAME, ITEM.LOCATION, TAG.ID, TAG.NAME FROM FOUND_ITEMS AS ITEM \
         LEFT OUTER JOIN FOUNDITEM_TAG AS LINK ON LINK.FOUND_ITEM_ID = ITEM.ID \
         LEFT OUTER JOIN TAGS AS TAG ON TAG.ID = LINK.TAG_ID",
    )
    .fetch_all(pool)
    .await?;
    let mut by_id: std::collections::BTreeMap<i64, FoundItemWithTags> = std::collections::BTreeMap::new();
    for (id, name, location, tag_id, tag_name) in rows {
        let item = by_id
            .entry(id)
            .or_insert_with(|| FoundItemWithTags { id, name, location, tags: Vec::new() });
        if let (Some(id), Some(name)) = (tag_id, tag_name) {
            item.tags.push(Tag { id, name });
        }
    }
    Ok(by_id
        .into_values()
        .map(|mut item| {
            item.tags.sort_by(|a, b| a.name.cmp(&b.name));
            item
        })
        .collect())
}
