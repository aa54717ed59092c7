//! One Postgres database per check, owned by a role made for that check alone.
//!
//! The role (named like its database, with a random part, and a random
//! password) is not a superuser and cannot create databases or roles, so a
//! check cannot run `COPY … TO PROGRAM`, read the server's files or make
//! itself more rights. It owns its database, so it may create tables (and, on
//! Postgres 15, create in the `public` schema, which belongs to the database's
//! owner). `CONNECT` on the database is taken from `PUBLIC`, so no other
//! check's role can get in; on the throwaway cluster `pg_hba.conf` also lets a
//! role into the database of its own name only. The URL a check is given
//! carries this role; the admin URL stays with whoever created the database.
//! The server gets the password's SCRAM verifier (one iteration, see
//! `pg_cluster::scram`), never the password itself.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use super::ScratchError;
use crate::pg_cluster::{random_bytes, random_hex, scram};

/// Every check database and role name starts with this.
const PREFIX: &str = "wb_check_";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A Postgres database name unique to this process and call, with a random
/// part so that nobody can guess it ahead: `wb_check_<pid>_<n>_<random>`. The
/// check's role has the same name.
pub fn database_name() -> String {
    // `/dev/urandom` is there wherever Postgres runs; without it the counter
    // and pid still make the name unique.
    let random = random_hex(6).unwrap_or_default();
    format!(
        "{PREFIX}{}_{}_{random}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with its password (user info or `password=` parameter) hidden: for
/// messages that a student may read.
pub fn redact(url: &str) -> String {
    let mut redacted = url.to_owned();
    if let Some(scheme_end) = url.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = url[authority_start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| authority_start + i);
        let authority = &url[authority_start..authority_end];
        if let Some(at) = authority.rfind('@')
            && let Some(colon) = authority[..at].find(':')
        {
            redacted = format!(
                "{}***{}",
                &url[..=authority_start + colon],
                &url[authority_start + at..]
            );
        }
    }
    if let Some(query_start) = redacted.find('?') {
        let (head, query) = redacted.split_at(query_start + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        redacted = format!("{head}{}", query.join("&"));
    }
    redacted
}

/// `name` as a quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as a quoted SQL string.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn admin_connection(admin: &str) -> Result<(PgConnection, PgConnectOptions), ScratchError> {
    let options = PgConnectOptions::from_str(admin).map_err(|e| {
        ScratchError::Database(format!("invalid Postgres URL {}: {e}", redact(admin)))
    })?;
    let conn = PgConnection::connect_with(&options.clone().disable_statement_logging())
        .await
        .map_err(|e| {
            ScratchError::Database(format!(
                "cannot connect to Postgres at {}: {e}",
                redact(admin)
            ))
        })?;
    Ok((conn, options))
}

async fn run(conn: &mut PgConnection, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await
        .map(drop)
}

/// Creates, on the server behind `admin`, the database `name` (from the empty
/// `template0`, the fastest copy) and its own role `name`; returns the URL the
/// check connects with, which carries that role and its password.
///
/// An admin that is not a superuser needs `CREATEDB` and `CREATEROLE`.
pub async fn create_database(admin: &str, name: &str) -> Result<String, ScratchError> {
    let (mut conn, options) = admin_connection(admin).await?;
    let (password, salt) = random_hex(16)
        .and_then(|password| Ok((password, random_bytes(16)?)))
        .map_err(|e| ScratchError::Database(format!("cannot read /dev/urandom: {e}")))?;
    let created = create(&mut conn, name, &scram::verifier(&password, &salt)).await;
    if created.is_err() {
        // Whatever was made before the failure goes.
        let _ = drop_with(&mut conn, name).await;
    }
    let _ = conn.close().await;
    created
        .map_err(|e| ScratchError::Database(format!("cannot create a scratch database: {e}")))?;
    Ok(options
        .username(name)
        .password(&password)
        .database(name)
        .to_url_lossy()
        .to_string())
}

/// Makes the role (with the password's `verifier`) and its database.
async fn create(conn: &mut PgConnection, name: &str, verifier: &str) -> Result<(), sqlx::Error> {
    let (role, quoted) = (ident(name), literal(name));
    // A non-superuser admin must be a member of a role to give it a database.
    run(
        conn,
        format!(
            "CREATE ROLE {role} LOGIN PASSWORD {password} NOSUPERUSER NOCREATEDB NOCREATEROLE \
             NOREPLICATION NOBYPASSRLS;
             DO $$ BEGIN
               IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                 EXECUTE format('GRANT %I TO %I', {quoted}, current_user);
               END IF;
             END $$",
            password = literal(verifier),
        ),
    )
    .await?;
    // Closed to connections until `PUBLIC` has lost `CONNECT`, so that no
    // other role slips in between.
    run(
        conn,
        format!("CREATE DATABASE {role} OWNER {role} TEMPLATE template0 ALLOW_CONNECTIONS false"),
    )
    .await?;
    run(
        conn,
        format!(
            "REVOKE CONNECT, TEMPORARY ON DATABASE {role} FROM PUBLIC;
             ALTER DATABASE {role} ALLOW_CONNECTIONS true"
        ),
    )
    .await
}

/// Drops a database made by [`create_database`], and its role: logins stop,
/// every connection the role still has is ended, and both go.
pub async fn drop_database(admin: &str, name: &str) -> Result<(), ScratchError> {
    let (mut conn, _) = admin_connection(admin).await?;
    let dropped = drop_with(&mut conn, name).await;
    let _ = conn.close().await;
    dropped.map_err(|e| ScratchError::Database(format!("cannot drop a scratch database: {e}")))
}

async fn drop_with(conn: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    let (role, quoted) = (ident(name), literal(name));
    // Only roles this module makes are ever dropped.
    let owns_role = name.starts_with(PREFIX);
    if owns_role {
        // No new session from here on (the role may be gone already).
        let _ = run(conn, format!("ALTER ROLE {role} NOLOGIN")).await;
    }
    run(conn, format!("DROP DATABASE IF EXISTS {role} WITH (FORCE)")).await?;
    if owns_role {
        run(
            conn,
            format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {quoted};
                 DROP ROLE IF EXISTS {role}"
            ),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_valid_identifiers() {
        let (a, b) = (database_name(), database_name());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() < 63, "{a}");
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'),
            "{a}"
        );
    }

    #[test]
    fn passwords_are_hidden() {
        for (url, expected) in [
            (
                "postgres://postgres:s3cret@localhost:5432/postgres?host=/tmp/x",
                "postgres://postgres:***@localhost:5432/postgres?host=/tmp/x",
            ),
            ("postgres://u:p@ss@db/x", "postgres://u:***@db/x"),
            (
                "postgres://u@db/x?sslmode=disable&password=s3cret",
                "postgres://u@db/x?sslmode=disable&password=***",
            ),
            ("postgres://u@db/x", "postgres://u@db/x"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact(url), expected);
        }
    }

    #[test]
    fn identifiers_and_strings_are_quoted() {
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("it's"), "'it''s'");
    }
}
