//! Foreign keys that do not follow deletions.

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
    found_item_id INTEGER NOT NULL REFERENCES found_items (id),
    tag_id        INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (found_item_id, tag_id)
);
";
