//! Exercise: tags for found items.
//! Упражнение: теги для найденных вещей.
//!
//! `lost_items` already have their tags through `lostitem_tag`. Give
//! `found_items` theirs: finish `founditem_tag` below so that each link is
//! stored once, points at a real item and a real tag, and disappears with them.
//! The same SQL must run on SQLite and on Postgres.
//!
//! У `lost_items` уже есть теги через `lostitem_tag`. Дайте их и `found_items`:
//! допишите `founditem_tag`, чтобы каждая связь хранилась один раз, указывала на
//! существующие вещь и тег и удалялась вместе с ними. Один и тот же SQL должен
//! работать в SQLite и в Postgres.

/// The schema: run as one transaction by the checks.
/// Схема: проверки выполняют её одной транзакцией.
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

-- TODO: a primary key and a foreign key for each column.
-- TODO: первичный ключ и внешний ключ для каждого столбца.
CREATE TABLE founditem_tag (
    found_item_id INTEGER NOT NULL,
    tag_id        INTEGER NOT NULL
);
";
