//! A primary key and a unique index repeating it.

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
    found_item_id BIGINT NOT NULL,
    tag_id        BIGINT NOT NULL,
    PRIMARY KEY (found_item_id, tag_id),
    UNIQUE (tag_id, found_item_id),
    FOREIGN KEY (found_item_id) REFERENCES found_items ON DELETE CASCADE,
    FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX founditem_tag_once ON founditem_tag (found_item_id, tag_id);
";
