//! The normalised schema on real `SQLite` and Postgres databases: equivalent
//! schemas read the same, schemas that differ in meaning do not, and both
//! backends read alike.

use workbook_support::Backend;
use workbook_support::schema::Schema;
use workbook_support::scratch::{PgSource, Scratch};
use workbook_support::sqlx::{self, AssertSqlSafe};

const REFERENCE: &str = "
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE found_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (found_item_id, tag_id)
);";

/// Written differently, meaning the same.
const EQUIVALENT: &[(&str, &str)] = &[
    (
        "columns in another order, named constraints, a unique index, other integer spellings",
        "
CREATE TABLE tags (name VARCHAR(80) NOT NULL, id BIGINT NOT NULL, CONSTRAINT tags_pk PRIMARY KEY (id));
CREATE UNIQUE INDEX tags_by_name ON tags (name);
CREATE TABLE found_items (location TEXT NOT NULL, name TEXT NOT NULL, id INT PRIMARY KEY);
CREATE TABLE founditem_tag (
    tag_id INT NOT NULL,
    found_item_id INT NOT NULL,
    CONSTRAINT link_pk PRIMARY KEY (tag_id, found_item_id),
    CONSTRAINT to_item FOREIGN KEY (found_item_id) REFERENCES found_items (id) ON DELETE CASCADE,
    CONSTRAINT to_tag FOREIGN KEY (tag_id) REFERENCES tags ON DELETE CASCADE
);",
    ),
    (
        "identifiers in upper and mixed case (unquoted: both databases fold them)",
        "
CREATE TABLE TAGS (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL UNIQUE);
CREATE TABLE Found_Items (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Location TEXT NOT NULL);
CREATE TABLE FOUNDITEM_TAG (
    FOUND_ITEM_ID INTEGER NOT NULL REFERENCES Found_Items (Id) ON DELETE CASCADE,
    Tag_Id INTEGER NOT NULL REFERENCES TAGS (ID) ON DELETE CASCADE,
    PRIMARY KEY (Found_Item_Id, TAG_ID)
);",
    ),
    (
        "a unique constraint and a unique index repeating the primary key, in either order",
        "
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, UNIQUE (name, id));
CREATE TABLE found_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (found_item_id, tag_id),
    UNIQUE (tag_id, found_item_id)
);
CREATE UNIQUE INDEX links_once ON founditem_tag (found_item_id, tag_id);",
    ),
    (
        "a unique pair of NOT NULL columns instead of the primary key",
        "
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE found_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    UNIQUE (tag_id, found_item_id)
);",
    ),
];

/// Each differs from the reference in meaning: what, and the text replaced.
const DIFFERENT: &[(&str, &str, &str)] = &[
    (
        "no cascade on the tag side",
        "tags (id) ON DELETE CASCADE,",
        "tags (id),",
    ),
    (
        "a one-column key",
        "PRIMARY KEY (found_item_id, tag_id)",
        "UNIQUE (found_item_id)",
    ),
    (
        "a unique pair where a column may be NULL",
        "tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n    PRIMARY KEY (found_item_id, tag_id)",
        "tag_id INTEGER REFERENCES tags (id) ON DELETE CASCADE,\n    UNIQUE (found_item_id, tag_id)",
    ),
    (
        "a tag name that may repeat",
        "name TEXT NOT NULL UNIQUE",
        "name TEXT NOT NULL",
    ),
    (
        "a nullable location",
        "location TEXT NOT NULL",
        "location TEXT",
    ),
];

async fn read(backend: Backend, source: Option<&PgSource>, ddl: &str) -> String {
    let scratch = Scratch::create(backend, source)
        .await
        .expect("a scratch database");
    let pool = scratch.pool().await.expect("a pool");
    sqlx::raw_sql(AssertSqlSafe(ddl.to_owned()))
        .execute(&pool)
        .await
        .expect("the DDL runs");
    let schema = Schema::read(&pool, backend)
        .await
        .expect("the schema reads")
        .to_string();
    pool.close().await;
    scratch.finish().await;
    schema
}

async fn both_backends() {
    let source = PgSource::from_env()
        .expect("Postgres for the tests (installed binaries or WORKBOOK_DATABASE_URL)");
    let mut reference_text = None;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let reference = read(backend, Some(&source), REFERENCE).await;
        match &reference_text {
            None => reference_text = Some(reference.clone()),
            Some(sqlite) => assert_eq!(
                &reference, sqlite,
                "SQLite and Postgres read the same schema alike"
            ),
        }
        for (what, ddl) in EQUIVALENT {
            assert_eq!(
                read(backend, Some(&source), ddl).await,
                reference,
                "{backend}: {what} must read the same"
            );
        }
        for (what, from, to) in DIFFERENT {
            let ddl = REFERENCE.replacen(from, to, 1);
            assert_ne!(ddl, REFERENCE, "{what}: the change applies");
            assert_ne!(
                read(backend, Some(&source), &ddl).await,
                reference,
                "{backend}: {what} must read differently"
            );
        }
    }
}

#[test]
fn equivalent_schemas_read_alike_and_different_ones_do_not() {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(both_backends());
}
