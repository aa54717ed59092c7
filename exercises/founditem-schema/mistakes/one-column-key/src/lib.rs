//! A key over one column only.

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
    found_item_id INTEGER PRIMARY KEY REFERENCES found_items (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE
);
";
