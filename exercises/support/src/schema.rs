//! A database's tables read into one normalised model, the same for `SQLite` and
//! Postgres, so that equivalent schemas compare equal and different ones don't.
//!
//! Ignored, because they don't change meaning: column order, constraint and
//! index names, how a type is spelled (`INT`, `INTEGER`, `BIGINT`, `int8`,
//! `SERIAL` are all `integer`; `VARCHAR(80)` and `TEXT` are `text`), the order
//! of a primary key's columns, and a foreign key written without its target
//! column (it targets the primary key). Kept, because they do: tables, column
//! types and nullability (primary-key columns are never null), the primary key,
//! each foreign key with its target and `ON DELETE` action (`RESTRICT` and the
//! default `NO ACTION` both read `no action`), and unique constraints and unique
//! indexes (one notion; partial and expression indexes are left out).
//!
//! Identifier case is folded where the database folds it: `SQLite` compares
//! every identifier without regard to case (`FOUNDITEM_TAG` *is*
//! `founditem_tag`), so its names are read in lower case; Postgres folds
//! unquoted names itself and keeps quoted ones, which are then different names.
//! A unique set that the primary key or a smaller unique set already implies
//! (the same columns in any order, or more) adds nothing and is left out. A
//! table without a primary key whose unique set has only `NOT NULL` columns
//! has that set as its key, and reads as if it were declared `PRIMARY KEY`:
//! the two give the same guarantee.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use sqlx::{AnyPool, Row};

use crate::backend::Backend;

/// A whole schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
}

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Columns by name.
    pub columns: BTreeMap<String, Column>,
    /// Primary-key columns, sorted.
    pub primary_key: Vec<String>,
    /// Foreign keys.
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// Unique column sets, each sorted.
    pub unique: BTreeSet<Vec<String>>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The normalised type.
    pub ty: String,
    /// Whether it rejects NULL.
    pub not_null: bool,
}

/// One foreign key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    /// The referencing columns, in key order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub table: String,
    /// The referenced columns, in key order.
    pub references: Vec<String>,
    /// What deleting the referenced row does.
    pub on_delete: String,
}

/// Spells a column type the way the model compares it.
pub fn normalise_type(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    let base = lower
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    match base.as_str() {
        "" => "any",
        "int" | "integer" | "int2" | "int4" | "int8" | "smallint" | "bigint" | "tinyint"
        | "mediumint" | "serial" | "serial4" | "serial8" | "bigserial" | "smallserial"
        | "unsigned big int" => "integer",
        "text" | "varchar" | "character varying" | "char" | "character" | "nchar" | "nvarchar"
        | "clob" | "varying character" | "native character" => "text",
        "real" | "double" | "double precision" | "float" | "float4" | "float8" => "real",
        "numeric" | "decimal" => "numeric",
        "bool" | "boolean" => "boolean",
        "blob" | "bytea" => "blob",
        "date" => "date",
        b if b.starts_with("timestamp") || b == "datetime" => "timestamp",
        other => return other.to_owned(),
    }
    .to_owned()
}

fn on_delete(action: &str) -> String {
    match action.trim().to_ascii_lowercase().as_str() {
        "cascade" | "c" => "cascade",
        "set null" | "n" => "set null",
        "set default" | "d" => "set default",
        _ => "no action",
    }
    .to_owned()
}

impl Table {
    /// Makes the smallest all-`NOT NULL` unique set the primary key of a
    /// table that has none.
    fn promote_unique_key(&mut self) {
        if !self.primary_key.is_empty() {
            return;
        }
        let key = self
            .unique
            .iter()
            .filter(|set| {
                set.iter()
                    .all(|c| self.columns.get(c).is_some_and(|c| c.not_null))
            })
            .min_by_key(|set| set.len())
            .cloned();
        if let Some(key) = key {
            self.unique.remove(&key);
            self.primary_key = key;
        }
    }

    /// Leaves out unique sets that the primary key or another unique set
    /// already implies: a set of columns containing a unique set is unique.
    fn drop_implied_unique(&mut self) {
        let mut keys: Vec<BTreeSet<&String>> =
            self.unique.iter().map(|u| u.iter().collect()).collect();
        if !self.primary_key.is_empty() {
            keys.push(self.primary_key.iter().collect());
        }
        let implied = |set: &Vec<String>| {
            let set: BTreeSet<&String> = set.iter().collect();
            keys.iter().any(|key| *key != set && key.is_subset(&set))
                || (!self.primary_key.is_empty()
                    && self.primary_key.iter().collect::<BTreeSet<_>>() == set)
        };
        let kept: BTreeSet<Vec<String>> = self
            .unique
            .iter()
            .filter(|u| !implied(u))
            .cloned()
            .collect();
        self.unique = kept;
    }
}

impl Schema {
    /// Reads every user table of the database behind `pool`.
    pub async fn read(pool: &AnyPool, backend: Backend) -> Result<Schema, sqlx::Error> {
        let mut schema = match backend {
            Backend::Sqlite => read_sqlite(pool).await?,
            Backend::Postgres => read_postgres(pool).await?,
        };
        for table in schema.tables.values_mut() {
            table.promote_unique_key();
            table.drop_implied_unique();
        }
        Ok(schema)
    }

    /// Only the named tables (the ones an exercise is about).
    #[must_use]
    pub fn only(mut self, tables: &[&str]) -> Schema {
        self.tables
            .retain(|name, _| tables.contains(&name.as_str()));
        self
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for (name, table) in &self.tables {
            let _ = writeln!(out, "table {name}");
            for (column, spec) in &table.columns {
                let null = if spec.not_null { " not null" } else { "" };
                let _ = writeln!(out, "  column {column} {}{null}", spec.ty);
            }
            if !table.primary_key.is_empty() {
                let _ = writeln!(out, "  primary key ({})", table.primary_key.join(", "));
            }
            for fk in &table.foreign_keys {
                let _ = writeln!(
                    out,
                    "  foreign key ({}) references {} ({}) on delete {}",
                    fk.columns.join(", "),
                    fk.table,
                    fk.references.join(", "),
                    fk.on_delete
                );
            }
            for unique in &table.unique {
                let _ = writeln!(out, "  unique ({})", unique.join(", "));
            }
        }
        f.write_str(out.trim_end())
    }
}

async fn read_sqlite(pool: &AnyPool) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    for name in &names {
        let mut table = Table::default();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for row in sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(name)
            .fetch_all(pool)
            .await?
        {
            let column = fold(&row.try_get::<String, _>(0)?);
            let ty: String = row.try_get(1)?;
            let not_null: i64 = row.try_get(2)?;
            let position: i64 = row.try_get(3)?;
            if position > 0 {
                pk.push((position, column.clone()));
            }
            table.columns.insert(
                column,
                Column {
                    ty: normalise_type(&ty),
                    not_null: not_null != 0 || position > 0,
                },
            );
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        table.primary_key.sort();

        let mut keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        let mut unresolved: Vec<i64> = Vec::new();
        for row in sqlx::query("SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq")
            .bind(name)
            .fetch_all(pool)
            .await?
        {
            let id: i64 = row.try_get(0)?;
            let target = fold(&row.try_get::<String, _>(2)?);
            let from = fold(&row.try_get::<String, _>(3)?);
            let to = row.try_get::<Option<String>, _>(4)?.map(|c| fold(&c));
            let action: String = row.try_get(5)?;
            let key = keys.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: target,
                references: Vec::new(),
                on_delete: on_delete(&action),
            });
            key.columns.push(from);
            match to {
                Some(to) => key.references.push(to),
                None => unresolved.push(id),
            }
        }
        for id in unresolved {
            // `REFERENCES tags` without a column targets the primary key.
            if let Some(key) = keys.get_mut(&id) {
                key.references = sqlite_primary_key(pool, &key.table).await?;
            }
        }
        table.foreign_keys = keys.into_values().collect();

        for row in
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(name)
                .fetch_all(pool)
                .await?
        {
            let index: String = row.try_get(0)?;
            let unique: i64 = row.try_get(1)?;
            let origin: String = row.try_get(2)?;
            let partial: i64 = row.try_get(3)?;
            if unique == 0 || origin == "pk" || partial != 0 {
                continue;
            }
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await?;
            if columns.iter().any(Option::is_none) {
                continue; // an expression index
            }
            let mut columns: Vec<String> = columns.iter().flatten().map(|c| fold(c)).collect();
            columns.sort();
            table.unique.insert(columns);
        }
        schema.tables.insert(fold(name), table);
    }
    Ok(schema)
}

async fn sqlite_primary_key(pool: &AnyPool, table: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT name, pk FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk")
        .bind(table)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map(|c| fold(&c)))
        .collect()
}

/// An `SQLite` identifier as the database compares it: without regard to case.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

async fn read_postgres(pool: &AnyPool) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'
          ORDER BY 1",
    )
    .fetch_all(pool)
    .await?;
    for name in &names {
        let mut table = Table::default();
        let qualified = format!("public.\"{}\"", name.replace('"', "\"\""));
        table.primary_key = index_columns(pool, &qualified, true)
            .await?
            .into_values()
            .next()
            .unwrap_or_default();
        table.primary_key.sort();
        for row in sqlx::query(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(name)
        .fetch_all(pool)
        .await?
        {
            let column: String = row.try_get(0)?;
            let ty: String = row.try_get(1)?;
            let nullable: String = row.try_get(2)?;
            let in_pk = table.primary_key.contains(&column);
            table.columns.insert(
                column,
                Column {
                    ty: normalise_type(&ty),
                    not_null: nullable == "NO" || in_pk,
                },
            );
        }
        let mut keys: BTreeMap<String, ForeignKey> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT con.conname::text, ref.relname::text, con.confdeltype::text, a.attname::text, af.attname::text
               FROM pg_constraint con
               JOIN pg_class ref ON ref.oid = con.confrelid
              CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
               JOIN pg_attribute af ON af.attrelid = con.confrelid AND af.attnum = k.refnum
              WHERE con.contype = 'f' AND con.conrelid = $1::text::regclass
              ORDER BY 1, k.ord",
        )
        .bind(&qualified)
        .fetch_all(pool)
        .await?
        {
            let constraint: String = row.try_get(0)?;
            let target: String = row.try_get(1)?;
            let action: String = row.try_get(2)?;
            let key = keys.entry(constraint).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: target,
                references: Vec::new(),
                on_delete: on_delete(&action),
            });
            key.columns.push(row.try_get(3)?);
            key.references.push(row.try_get(4)?);
        }
        table.foreign_keys = keys.into_values().collect();
        for (_, mut columns) in index_columns(pool, &qualified, false).await? {
            columns.sort();
            table.unique.insert(columns);
        }
        schema.tables.insert(name.clone(), table);
    }
    Ok(schema)
}

/// The columns of a table's primary-key index, or of its other unique indexes
/// (unique constraints included; partial and expression indexes left out).
async fn index_columns(
    pool: &AnyPool,
    table: &str,
    primary: bool,
) -> Result<BTreeMap<String, Vec<String>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT ic.relname::text, a.attname::text
           FROM pg_index i
           JOIN pg_class ic ON ic.oid = i.indexrelid
          CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE i.indrelid = $1::text::regclass AND i.indisunique AND i.indisprimary = $2
            AND i.indpred IS NULL AND i.indexprs IS NULL
          ORDER BY 1, k.ord",
    )
    .bind(table)
    .bind(primary)
    .fetch_all(pool)
    .await?;
    let mut indexes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        indexes
            .entry(row.try_get(0)?)
            .or_default()
            .push(row.try_get(1)?);
    }
    Ok(indexes)
}

#[cfg(test)]
mod tests {
    use super::normalise_type;

    #[test]
    fn type_spellings_normalise() {
        for t in [
            "INT",
            "integer",
            "BIGINT",
            "int8",
            "serial",
            "BIGSERIAL",
            "smallint",
        ] {
            assert_eq!(normalise_type(t), "integer", "{t}");
        }
        for t in ["TEXT", "varchar(80)", "character varying", "CHAR(2)"] {
            assert_eq!(normalise_type(t), "text", "{t}");
        }
        assert_eq!(normalise_type("timestamp with time zone"), "timestamp");
        assert_eq!(normalise_type("BOOLEAN"), "boolean");
        assert_eq!(normalise_type("bytea"), "blob");
        assert_eq!(normalise_type("uuid"), "uuid");
        assert_eq!(normalise_type(""), "any");
    }
}
