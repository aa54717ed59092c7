//! What a many-to-many junction table must have, checked on the normalised
//! [`Schema`] and explained in words: which key or constraint is missing and
//! what it protects, before any diff is shown.
//!
//! A junction table links two tables through one column per side. It needs:
//! each link stored once (a primary key over both columns — or, equally, a
//! unique constraint over both with neither column nullable), each column
//! pointing at an existing row (a foreign key to its side's primary key), and
//! links that go when either side is deleted (`ON DELETE CASCADE`).

use crate::failure::{Failure, fail};
use crate::schema::{Schema, Table};

/// One side of a junction: the junction's column and the table it points at.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The junction table's column (`found_item_id`).
    pub column: &'a str,
    /// The table it references (`found_items`).
    pub table: &'a str,
}

/// A junction table to check.
#[derive(Debug, Clone, Copy)]
pub struct Junction<'a> {
    /// The junction table (`founditem_tag`).
    pub table: &'a str,
    /// Its two sides.
    pub sides: [Side<'a>; 2],
    /// The hint tier that teaches the key.
    pub key_hint: u32,
    /// The hint tier that teaches the foreign keys.
    pub reference_hint: u32,
}

impl Junction<'_> {
    /// The first thing missing from the junction table in `schema`, in words.
    pub fn explain(&self, schema: &Schema) -> Option<Failure> {
        let Some(table) = schema.tables.get(self.table) else {
            return Some(
                fail(format!("there is no table `{}`", self.table))
                    .ru(format!("нет таблицы `{}`", self.table))
                    .hint(1),
            );
        };
        for side in self.sides {
            if !table.columns.contains_key(side.column) {
                return Some(
                    fail(format!("`{}` has no column `{}`", self.table, side.column))
                        .ru(format!("в `{}` нет столбца `{}`", self.table, side.column))
                        .hint(1),
                );
            }
        }
        self.explain_key(table).or_else(|| {
            self.sides
                .iter()
                .find_map(|side| self.explain_reference(schema, table, *side))
        })
    }

    fn explain_key(&self, table: &Table) -> Option<Failure> {
        let mut pair = vec![
            self.sides[0].column.to_owned(),
            self.sides[1].column.to_owned(),
        ];
        pair.sort();
        let not_null = pair
            .iter()
            .all(|c| table.columns.get(c).is_some_and(|c| c.not_null));
        if table.primary_key == pair || (table.unique.contains(&pair) && not_null) {
            return None;
        }
        let (a, b) = (self.sides[0].column, self.sides[1].column);
        let found = if table.primary_key.is_empty() {
            ("it has none".to_owned(), "его нет".to_owned())
        } else {
            let key = table.primary_key.join(", ");
            (format!("it is ({key})"), format!("сейчас он ({key})"))
        };
        Some(
            fail(format!(
                "`{}` needs a primary key over both columns, ({a}, {b}), and {}: without it the same link can be stored twice, and a one-column key would allow only one link per row of a side",
                self.table, found.0
            ))
            .ru(format!(
                "таблице `{}` нужен первичный ключ по обоим столбцам, ({a}, {b}), а {}: без него одну и ту же связь можно сохранить дважды, а ключ по одному столбцу разрешит лишь одну связь на строку стороны",
                self.table, found.1
            ))
            .hint(self.key_hint),
        )
    }

    fn explain_reference(&self, schema: &Schema, table: &Table, side: Side<'_>) -> Option<Failure> {
        let target_key = schema
            .tables
            .get(side.table)
            .map(|t| t.primary_key.clone())
            .unwrap_or_default();
        let key = table
            .foreign_keys
            .iter()
            .find(|fk| fk.columns == [side.column] && fk.table == side.table);
        let Some(key) = key else {
            return Some(
                fail(format!(
                    "`{}.{}` has no foreign key to `{}`: a link could point at a row that does not exist; add `REFERENCES {} ({})`",
                    self.table,
                    side.column,
                    side.table,
                    side.table,
                    target_key.join(", ")
                ))
                .ru(format!(
                    "у `{}.{}` нет внешнего ключа на `{}`: связь может указывать на несуществующую строку; добавьте `REFERENCES {} ({})`",
                    self.table,
                    side.column,
                    side.table,
                    side.table,
                    target_key.join(", ")
                ))
                .hint(self.reference_hint),
            );
        };
        if !target_key.is_empty() && key.references != target_key {
            return Some(
                fail(format!(
                    "`{}.{}` references `{}` ({}), not its primary key ({})",
                    self.table,
                    side.column,
                    side.table,
                    key.references.join(", "),
                    target_key.join(", ")
                ))
                .ru(format!(
                    "`{}.{}` ссылается на `{}` ({}), а не на его первичный ключ ({})",
                    self.table,
                    side.column,
                    side.table,
                    key.references.join(", "),
                    target_key.join(", ")
                ))
                .hint(self.reference_hint),
            );
        }
        if key.on_delete != "cascade" {
            return Some(
                fail(format!(
                    "the foreign key `{}.{}` → `{}` is `ON DELETE {}`: deleting a row of `{}` that has links would then fail; with `ON DELETE CASCADE` its links go with it",
                    self.table,
                    side.column,
                    side.table,
                    key.on_delete.to_uppercase(),
                    side.table
                ))
                .ru(format!(
                    "внешний ключ `{}.{}` → `{}` задан как `ON DELETE {}`: тогда удалить строку `{}`, у которой есть связи, не получится; с `ON DELETE CASCADE` её связи удаляются вместе с ней",
                    self.table,
                    side.column,
                    side.table,
                    key.on_delete.to_uppercase(),
                    side.table
                ))
                .hint(self.reference_hint),
            );
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ForeignKey};

    const JUNCTION: Junction<'static> = Junction {
        table: "founditem_tag",
        sides: [
            Side {
                column: "found_item_id",
                table: "found_items",
            },
            Side {
                column: "tag_id",
                table: "tags",
            },
        ],
        key_hint: 2,
        reference_hint: 3,
    };

    fn column() -> Column {
        Column {
            ty: "integer".into(),
            not_null: true,
        }
    }

    fn schema(edit: impl FnOnce(&mut Table)) -> Schema {
        let mut schema = Schema::default();
        for side in ["found_items", "tags"] {
            let mut table = Table::default();
            table.columns.insert("id".into(), column());
            table.primary_key = vec!["id".into()];
            schema.tables.insert(side.into(), table);
        }
        let mut table = Table::default();
        table.columns.insert("found_item_id".into(), column());
        table.columns.insert("tag_id".into(), column());
        table.primary_key = vec!["found_item_id".into(), "tag_id".into()];
        for (col, target) in [("found_item_id", "found_items"), ("tag_id", "tags")] {
            table.foreign_keys.insert(ForeignKey {
                columns: vec![col.into()],
                table: target.into(),
                references: vec!["id".into()],
                on_delete: "cascade".into(),
            });
        }
        edit(&mut table);
        schema.tables.insert("founditem_tag".into(), table);
        schema
    }

    #[test]
    fn a_complete_junction_passes_and_a_unique_pair_counts_as_a_key() {
        assert!(JUNCTION.explain(&schema(|_| {})).is_none());
        let unique = schema(|t| {
            t.primary_key.clear();
            t.unique
                .insert(vec!["found_item_id".into(), "tag_id".into()]);
        });
        assert!(JUNCTION.explain(&unique).is_none());
    }

    #[test]
    fn each_gap_is_named_with_what_it_protects() {
        let no_key = JUNCTION
            .explain(&schema(|t| t.primary_key.clear()))
            .unwrap();
        assert!(
            no_key.message.contains("stored twice"),
            "{}",
            no_key.message
        );
        assert_eq!(no_key.hint, Some(2));
        let one_column = JUNCTION
            .explain(&schema(|t| t.primary_key = vec!["tag_id".into()]))
            .unwrap();
        assert!(
            one_column.message.contains("it is (tag_id)"),
            "{}",
            one_column.message
        );
        let no_fk = JUNCTION
            .explain(&schema(|t| t.foreign_keys.retain(|fk| fk.table != "tags")))
            .unwrap();
        assert!(
            no_fk
                .message
                .contains("`founditem_tag.tag_id` has no foreign key to `tags`")
        );
        assert_eq!(no_fk.hint, Some(3));
        let no_cascade = JUNCTION
            .explain(&schema(|t| {
                t.foreign_keys = t
                    .foreign_keys
                    .iter()
                    .cloned()
                    .map(|mut fk| {
                        fk.on_delete = "no action".into();
                        fk
                    })
                    .collect();
            }))
            .unwrap();
        assert!(
            no_cascade.message.contains("ON DELETE NO ACTION"),
            "{}",
            no_cascade.message
        );
        assert!(no_cascade.message_ru.unwrap().contains("ON DELETE CASCADE"));
    }
}
