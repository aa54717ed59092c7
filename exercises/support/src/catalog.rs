//! Check data in the course's domain — lost or found items and their tags —
//! drawn from a [`Seed`](crate::seed::Seed): irregular ids, names that do not
//! follow the ids (one name may even repeat), items without tags, tags shared
//! by many items, a tag nobody uses; rows inserted in random order, so that
//! the table's physical order is not the id order.

use std::collections::BTreeSet;

use sqlx::AnyPool;

use crate::seed::Rng;

const THINGS: [&str; 24] = [
    "umbrella",
    "house keys",
    "wallet",
    "backpack",
    "scarf",
    "phone",
    "glasses",
    "notebook",
    "glove",
    "water bottle",
    "headphones",
    "passport",
    "bicycle lock",
    "hat",
    "charger",
    "book",
    "watch",
    "ring",
    "student card",
    "camera",
    "jacket",
    "thermos",
    "laptop",
    "badge",
];
const COLOURS: [&str; 10] = [
    "blue", "red", "black", "green", "grey", "yellow", "striped", "old", "small", "brown",
];
const PLACES: [&str; 12] = [
    "library, 2nd floor",
    "bus 42",
    "main hall",
    "cafeteria",
    "gym locker room",
    "reception",
    "platform 3",
    "parking lot B",
    "room 101",
    "garden bench",
    "lecture hall A",
    "elevator",
];
const TAG_NAMES: [&str; 14] = [
    "valuable",
    "documents",
    "electronics",
    "clothing",
    "keys",
    "fragile",
    "urgent",
    "returned",
    "bulky",
    "personal",
    "sports",
    "books",
    "jewellery",
    "unclaimed",
];

/// One item row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Where it was lost or found.
    pub location: String,
}

/// One tag row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TagRow {
    /// Its id.
    pub id: i64,
    /// Its unique name.
    pub name: String,
}

/// Items, tags and the links between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Items, in the random order they are inserted.
    pub items: Vec<Item>,
    /// Tags, in the random order they are inserted.
    pub tags: Vec<TagRow>,
    /// `(item id, tag id)` links, each once.
    pub links: BTreeSet<(i64, i64)>,
}

impl Catalog {
    /// A catalog of `items` items (and 4–8 tags when there are items).
    pub fn generate(rng: &mut Rng, items: usize) -> Catalog {
        let mut catalog = Catalog::default();
        let tag_count = 4 + usize::try_from(rng.below(5)).unwrap_or(0);
        let mut names: Vec<&str> = TAG_NAMES.to_vec();
        rng.shuffle(&mut names);
        let tag_ids = rng.ids(tag_count);
        catalog.tags = tag_ids
            .iter()
            .zip(names)
            .map(|(id, name)| TagRow {
                id: *id,
                name: name.to_owned(),
            })
            .collect();
        let item_ids = rng.ids(items);
        for (n, id) in item_ids.iter().enumerate() {
            // One name repeats on purpose: items are told apart by id only.
            let name = if n == 3 && items > 4 {
                catalog.items[0].name.clone()
            } else {
                format!("{} {}", rng.pick(&COLOURS), rng.pick(&THINGS))
            };
            catalog.items.push(Item {
                id: *id,
                name,
                location: (*rng.pick(&PLACES)).to_owned(),
            });
        }
        // Rows are never stored in id order, and the first two tags sort one
        // way by id and the other way by name.
        if catalog.items.len() > 1 && catalog.items[0].id < catalog.items[1].id {
            catalog.items.swap(0, 1);
            if catalog.items.len() > 4 {
                let name = catalog.items[0].name.clone();
                catalog.items[3].name = name;
            }
        }
        let (a, b) = (&catalog.tags[0], &catalog.tags[1]);
        if (a.id < b.id) == (a.name < b.name) {
            let (first, second) = (catalog.tags[0].id, catalog.tags[1].id);
            catalog.tags[0].id = second;
            catalog.tags[1].id = first;
        }
        // The last tag is never used; the first is shared by about half the items.
        let usable = catalog.tags.len().saturating_sub(1);
        for item in &catalog.items {
            if rng.chance(20) || usable == 0 {
                continue; // an item without tags
            }
            if rng.chance(50) {
                catalog.links.insert((item.id, catalog.tags[0].id));
            }
            for _ in 0..rng.below(3) {
                let tag = &catalog.tags[usize::try_from(rng.below(usable as u64)).unwrap_or(0)];
                catalog.links.insert((item.id, tag.id));
            }
        }
        // One item has the first two tags, whose id and name orders differ.
        if let Some(item) = catalog.items.get(1) {
            catalog.links.insert((item.id, catalog.tags[0].id));
            catalog.links.insert((item.id, catalog.tags[1].id));
        }
        catalog
    }

    /// The tags of an item, sorted by name.
    pub fn tags_of(&self, item: i64) -> Vec<&TagRow> {
        let mut tags: Vec<&TagRow> = self
            .links
            .iter()
            .filter(|(i, _)| *i == item)
            .filter_map(|(_, t)| self.tags.iter().find(|tag| tag.id == *t))
            .collect();
        tags.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        tags
    }

    /// Items sorted by id.
    pub fn items_by_id(&self) -> Vec<&Item> {
        let mut items: Vec<&Item> = self.items.iter().collect();
        items.sort_by_key(|i| i.id);
        items
    }

    /// Inserts every tag, item and link.
    pub async fn insert(
        &self,
        pool: &AnyPool,
        rng: &mut Rng,
        table: &LinkTable,
    ) -> Result<(), sqlx::Error> {
        self.insert_tags(pool).await?;
        let ids: Vec<i64> = self.items.iter().map(|i| i.id).collect();
        self.insert_items(pool, rng, &ids, table).await
    }

    /// Inserts the tags.
    pub async fn insert_tags(&self, pool: &AnyPool) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        for tag in &self.tags {
            sqlx::query("INSERT INTO tags (id, name) VALUES ($1, $2)")
                .bind(tag.id)
                .bind(&tag.name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Inserts the items with the given ids and their links (links in random
    /// order); the tags must be there already.
    pub async fn insert_items(
        &self,
        pool: &AnyPool,
        rng: &mut Rng,
        ids: &[i64],
        table: &LinkTable,
    ) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        let insert_item = format!(
            "INSERT INTO {} (id, name, location) VALUES ($1, $2, $3)",
            table.items
        );
        for item in self.items.iter().filter(|i| ids.contains(&i.id)) {
            sqlx::query(sqlx::AssertSqlSafe(insert_item.clone()))
                .bind(item.id)
                .bind(&item.name)
                .bind(&item.location)
                .execute(&mut *tx)
                .await?;
        }
        let mut links: Vec<(i64, i64)> = self
            .links
            .iter()
            .copied()
            .filter(|(item, _)| ids.contains(item))
            .collect();
        rng.shuffle(&mut links);
        let insert_link = format!(
            "INSERT INTO {} ({}, tag_id) VALUES ($1, $2)",
            table.link, table.item_column
        );
        for (item, tag) in links {
            sqlx::query(sqlx::AssertSqlSafe(insert_link.clone()))
                .bind(item)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}

/// Where one kind of item and its links live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkTable {
    /// The items' table.
    pub items: &'static str,
    /// The junction table.
    pub link: &'static str,
    /// The junction table's column naming the item.
    pub item_column: &'static str,
}

/// Found items and `founditem_tag`.
pub const FOUND: LinkTable = LinkTable {
    items: "found_items",
    link: "founditem_tag",
    item_column: "found_item_id",
};

/// Lost items and `lostitem_tag`.
pub const LOST: LinkTable = LinkTable {
    items: "lost_items",
    link: "lostitem_tag",
    item_column: "lost_item_id",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    #[test]
    fn catalogs_have_the_awkward_cases_a_check_needs() {
        for seed in 0..50 {
            let mut rng = Seed::new(seed).rng("catalog");
            let catalog = Catalog::generate(&mut rng, 30);
            assert_eq!(catalog.items.len(), 30);
            let ids: BTreeSet<i64> = catalog.items.iter().map(|i| i.id).collect();
            assert_eq!(ids.len(), 30, "ids are distinct");
            let names: BTreeSet<&str> = catalog.tags.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(names.len(), catalog.tags.len(), "tag names are unique");
            let unused = catalog.tags.last().unwrap().id;
            assert!(catalog.links.iter().all(|(_, t)| *t != unused));
            assert_eq!(catalog.items[3].name, catalog.items[0].name);
            assert!(
                catalog.items[0].id > catalog.items[1].id,
                "not stored in id order"
            );
            let both = catalog.tags_of(catalog.items[1].id);
            let mut by_id = both.clone();
            by_id.sort_by_key(|t| t.id);
            assert_ne!(both, by_id, "seed {seed}: name order differs from id order");
            let untagged = catalog
                .items
                .iter()
                .filter(|i| catalog.tags_of(i.id).is_empty())
                .count();
            assert!(untagged > 0, "seed {seed}: some item has no tags");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_catalog() {
        let a = Catalog::generate(&mut Seed::new(9).rng("c"), 12);
        let b = Catalog::generate(&mut Seed::new(9).rng("c"), 12);
        let c = Catalog::generate(&mut Seed::new(10).rng("c"), 12);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
