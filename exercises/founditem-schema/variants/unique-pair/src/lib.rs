//! A unique pair of NOT NULL columns instead of a primary key.

/// The schema: run as one transaction by the checks.
pub const SCHEMA: &str = r"
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE found_items (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    location TEXT NOT NULL
);

CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    UNIQUE (found_item_id, tag_id)
);
";
