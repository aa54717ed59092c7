//! What a check can and cannot do with its Postgres database, on a real
//! throwaway cluster: its own role owns its own database and nothing more; the
//! cluster lets no one in without a password; the sweep of leftover clusters
//! never signals a process it cannot prove is one of our postmasters.
//!
//! Needs the Postgres server binaries (`initdb`, `postgres`).

use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions as _, Connection, PgConnection, Row};
use workbook_support::Backend;
use workbook_support::pg_cluster::{self, Cluster};
use workbook_support::scratch::{self, PgSource, Scratch};

fn cluster() -> Cluster {
    Cluster::start().unwrap_or_else(|e| panic!("a throwaway cluster: {e}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The SQLSTATE of a failed query or connection.
fn code(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(e) => e
            .code()
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        other => panic!("not a database error: {other}"),
    }
}

async fn connect(url: &str) -> Result<PgConnection, sqlx::Error> {
    PgConnection::connect(url).await
}

/// `url` with another database.
fn to_database(url: &str, database: &str) -> PgConnectOptions {
    PgConnectOptions::from_str(url).unwrap().database(database)
}

fn user_of(url: &str) -> String {
    PgConnectOptions::from_str(url)
        .unwrap()
        .get_username()
        .to_owned()
}

/// The admin password, read back from the admin URL.
fn admin_password(admin: &str) -> String {
    let after = admin.split_once("postgres:").unwrap().1;
    after.split_once('@').unwrap().0.to_owned()
}

/// Whether `sql` fails for the check with "insufficient privilege".
async fn refused(conn: &mut PgConnection, sql: &'static str) {
    let error = sqlx::raw_sql(sql).execute(&mut *conn).await.expect_err(sql);
    assert_eq!(code(&error), "42501", "{sql}: {error}");
}

/// Tables, rows and queries in its own database, through the check's pool.
async fn works_in_its_own_database(scratch: &Scratch) {
    let pool = scratch.pool().await.expect("the check's pool");
    sqlx::raw_sql(
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO tags VALUES (1, 'rust'), (2, 'sql')",
    )
    .execute(&pool)
    .await
    .expect("the role creates and fills tables in its own database");
    let count: i64 = sqlx::query("SELECT count(*) AS n FROM tags")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, 2);
    pool.close().await;
}

/// No superuser's powers, no new databases or roles.
async fn has_no_more_rights(url: &str) {
    let mut conn = connect(url).await.unwrap();
    let superuser: bool = sqlx::query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert!(!superuser);
    refused(&mut conn, "COPY (SELECT 1) TO PROGRAM 'true'").await;
    refused(&mut conn, "CREATE DATABASE wb_stolen").await;
    refused(&mut conn, "CREATE ROLE wb_stolen").await;
    refused(&mut conn, "SELECT pg_read_file('/etc/passwd')").await;
    refused(&mut conn, "ALTER ROLE current_user SUPERUSER").await;
    conn.close().await.unwrap();
}

/// A wrong or missing password gets nobody in, the admin included.
async fn needs_the_password(check: &str, admin: &str) {
    for url in [check, admin] {
        let wrong = PgConnectOptions::from_str(url)
            .unwrap()
            .password("not-the-password");
        let error = PgConnection::connect_with(&wrong).await.unwrap_err();
        assert_eq!(code(&error), "28P01", "{error}");
        let none = PgConnectOptions::from_str(url).unwrap().password("");
        let error = PgConnection::connect_with(&none).await.unwrap_err();
        assert!(matches!(error, sqlx::Error::Database(_)), "{error}");
    }
}

async fn one_value<T>(conn: &mut PgConnection, sql: &'static str, binds: &[&str]) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.fetch_one(conn).await.unwrap().get(0)
}

#[test]
fn a_check_role_owns_its_database_and_nothing_more() {
    let source = PgSource::Cluster(cluster());
    let PgSource::Cluster(cluster) = &source else {
        unreachable!()
    };
    let admin = cluster.admin_url();
    runtime().block_on(async {
        let mine = Scratch::create(Backend::Postgres, Some(&source))
            .await
            .expect("a scratch database");
        let theirs = Scratch::create(Backend::Postgres, Some(&source))
            .await
            .expect("another scratch database");

        // The check's URL carries its own role, never the admin.
        let (role, other) = (user_of(&mine.url), user_of(&theirs.url));
        assert_ne!(role, "postgres");
        assert_ne!(role, other);
        assert!(!mine.url.contains(&admin_password(&admin)));
        assert!(!format!("{source:?}").contains(&admin_password(&admin)));

        works_in_its_own_database(&mine).await;
        has_no_more_rights(&mine.url).await;
        needs_the_password(&mine.url, &admin).await;

        // Another check's database, and the server's own, are out of reach.
        for database in [other.as_str(), "postgres", "template1"] {
            let error = PgConnection::connect_with(&to_database(&mine.url, database))
                .await
                .expect_err(database);
            assert_eq!(code(&error), "28000", "{database}: {error}");
        }
        let mut admin_conn = connect(&admin).await.unwrap();
        let may: bool = one_value(
            &mut admin_conn,
            "SELECT has_database_privilege($1, $2, 'CONNECT')",
            &[&role, &other],
        )
        .await;
        assert!(!may, "CONNECT on another check's database");
        let stored: String = one_value(
            &mut admin_conn,
            "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
            &[&role],
        )
        .await;
        assert!(stored.starts_with("SCRAM-SHA-256$"), "{stored}");

        // Dropping takes the role too, even with a session still open.
        let mut lingering = connect(&mine.url).await.unwrap();
        mine.finish().await;
        theirs.finish().await;
        let left: i64 = one_value(
            &mut admin_conn,
            "SELECT (SELECT count(*) FROM pg_roles WHERE rolname IN ($1, $2))
                  + (SELECT count(*) FROM pg_database WHERE datname IN ($1, $2))",
            &[&role, &other],
        )
        .await;
        assert_eq!(left, 0, "roles or databases left");
        let after = sqlx::raw_sql("SELECT 1").execute(&mut lingering).await;
        assert!(after.is_err(), "the role's session outlived its role");
        admin_conn.close().await.unwrap();
    });
}

#[test]
fn on_a_server_with_its_own_pg_hba() {
    // A given server's pg_hba.conf may let anyone try any database, and its
    // admin may not be a superuser.
    let cluster = cluster();
    let admin = cluster.admin_url();
    std::fs::write(
        cluster.dir().join("data/pg_hba.conf"),
        "local all all scram-sha-256\n",
    )
    .unwrap();
    runtime().block_on(async {
        let mut admin_conn = connect(&admin).await.unwrap();
        sqlx::raw_sql(
            "CREATE ROLE wb_teacher LOGIN CREATEDB CREATEROLE PASSWORD 'teacher';
             SELECT pg_reload_conf()",
        )
        .execute(&mut admin_conn)
        .await
        .unwrap();
        // The reload takes effect shortly.
        let teacher = PgConnectOptions::from_str(&admin)
            .unwrap()
            .username("wb_teacher")
            .password("teacher");
        let mut reloaded = false;
        for _ in 0..100 {
            if PgConnection::connect_with(&teacher).await.is_ok() {
                reloaded = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(reloaded, "the relaxed pg_hba.conf was not loaded");
        checks_kept_apart_by_connect(&admin).await;
        // Not a superuser, but CREATEDB and CREATEROLE: enough.
        checks_kept_apart_by_connect(teacher.to_url_lossy().as_ref()).await;
        admin_conn.close().await.unwrap();
    });
}

/// `CONNECT` taken from `PUBLIC` is what stops a check from entering another
/// check's database, and everything is gone after dropping.
async fn checks_kept_apart_by_connect(admin: &str) {
    let mine_name = scratch::database_name();
    let theirs_name = scratch::database_name();
    let mine = scratch::create_database(admin, &mine_name).await.unwrap();
    let theirs = scratch::create_database(admin, &theirs_name).await.unwrap();
    let error = PgConnection::connect_with(&to_database(&mine, &theirs_name))
        .await
        .unwrap_err();
    assert_eq!(code(&error), "42501", "{error}");
    for url in [&mine, &theirs] {
        let mut conn = connect(url).await.expect("the check's own database");
        sqlx::raw_sql("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1)")
            .execute(&mut conn)
            .await
            .expect("the role creates tables");
        conn.close().await.unwrap();
    }
    scratch::drop_database(admin, &mine_name).await.unwrap();
    scratch::drop_database(admin, &theirs_name).await.unwrap();
    let mut conn = connect(admin).await.unwrap();
    let left: i64 = one_value(
        &mut conn,
        "SELECT (SELECT count(*) FROM pg_roles WHERE rolname IN ($1, $2))
              + (SELECT count(*) FROM pg_database WHERE datname IN ($1, $2))",
        &[&mine_name, &theirs_name],
    )
    .await;
    assert_eq!(left, 0, "roles or databases left");
    conn.close().await.unwrap();
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            found.extend(files(&entry.path()));
        } else if kind.is_file() {
            found.push(entry.path());
        }
    }
    found
}

#[test]
fn the_throwaway_cluster_is_private() {
    let cluster = cluster();
    let dir = cluster.dir();
    let folder = std::fs::metadata(dir).unwrap();
    let server = std::fs::metadata(dir.join("data")).unwrap();
    let socket = std::fs::metadata(cluster.socket_dir()).unwrap();
    for (what, meta) in [
        ("the cluster's folder", &folder),
        ("the socket folder", &socket),
    ] {
        assert_eq!(meta.permissions().mode() & 0o777, 0o700, "{what}");
        assert_eq!(meta.uid(), server.uid(), "{what} is the server user's");
    }
    assert!(
        cluster.socket_dir().join(".s.PGSQL.5432").exists(),
        "the socket is in its folder"
    );
    assert!(
        cluster
            .admin_url()
            .contains(&format!("host={}", cluster.socket_dir().display())),
        "the admin URL names the socket folder"
    );

    let hba = std::fs::read_to_string(dir.join("data/pg_hba.conf")).unwrap();
    assert!(!hba.contains("trust"), "{hba}");
    let rules: Vec<&str> = hba
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    assert!(!rules.is_empty());
    for rule in rules {
        let fields: Vec<&str> = rule.split_whitespace().collect();
        assert_eq!(fields.first(), Some(&"local"), "{rule}");
        assert_eq!(fields.last(), Some(&"scram-sha-256"), "{rule}");
    }

    // The admin password is in memory only: no file in the folder holds it
    // (initdb's password file included).
    let password = admin_password(&cluster.admin_url());
    assert!(!dir.join("pwfile").exists());
    for file in files(dir) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "{} holds the admin password",
            file.display()
        );
    }
    assert!(!format!("{cluster:?}").contains(&password));
}

/// A pid far above any real one: its process is gone.
const GONE: u64 = 4_000_000_001;

fn sleeper() -> Child {
    Command::new("sleep").arg("30").spawn().unwrap()
}

/// A folder named like a cluster, in a base of its own (so that no other
/// test's sweep meets it), whose `postmaster.pid` names `pid`.
fn planted(base: &Path, name: &str, pid: u32) -> PathBuf {
    let dir = base.join(format!("workbook-pg-{name}"));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("data/postmaster.pid"),
        format!("{pid}\n{}\n", dir.join("data").display()),
    )
    .unwrap();
    dir
}

/// Writes the marker a cluster's starter leaves (`<pid> <uid>`, `0600`).
fn mark(dir: &Path, owner: u64, uid: u32) {
    let marker = dir.join("workbook.owner");
    let _ = std::fs::remove_file(&marker);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(marker)
        .unwrap();
    std::io::Write::write_all(&mut file, format!("{owner} {uid}\n").as_bytes()).unwrap();
}

fn my_uid() -> u32 {
    std::fs::metadata("/proc/self").unwrap().uid()
}

fn base(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!(
        "workbook-pg-isolation-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    base
}

#[test]
fn a_planted_cluster_folder_never_gets_a_process_signalled() {
    let base = base("planted");
    let mut sleep = sleeper();
    // Planted by anyone: no marker.
    let foreign = planted(&base, "foreign", sleep.id());
    std::fs::write(foreign.join("owner.pid"), GONE.to_string()).unwrap();
    // Looks like ours in every way, but its "postmaster" is `sleep`.
    let lookalike = planted(&base, "lookalike", sleep.id());
    mark(&lookalike, GONE, my_uid());
    // Someone else's folder (when we are root, so we can make one).
    let someone_else = planted(&base, "someone-else", sleep.id());
    mark(&someone_else, GONE, my_uid());
    let root = my_uid() == 0;
    if root {
        std::os::unix::fs::chown(&someone_else, Some(65534), Some(65534)).unwrap();
    }

    let cleaned = pg_cluster::clean_orphans_in(&base);
    assert!(
        sleep.try_wait().unwrap().is_none(),
        "the unrelated process was signalled"
    );
    assert!(
        foreign.exists(),
        "a folder without our marker is left alone"
    );
    assert!(!lookalike.exists(), "our orphan is removed, not signalled");
    if root {
        assert!(someone_else.exists(), "another user's folder is left alone");
        assert_eq!(cleaned, 1);
    }
    let _ = sleep.kill();
    let _ = sleep.wait();
    std::fs::remove_dir_all(base).unwrap();
}

#[test]
fn an_orphaned_cluster_is_stopped_and_removed() {
    let cluster = cluster();
    let dir = cluster.dir().to_path_buf();
    let postmaster: u32 = std::fs::read_to_string(dir.join("data/postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Its run is gone, as far as the marker says.
    mark(&dir, GONE, my_uid());
    pg_cluster::clean_orphans();
    let state = std::fs::read_to_string(format!("/proc/{postmaster}/stat")).unwrap_or_default();
    let state = state
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    assert!(
        matches!(state, None | Some('Z')),
        "the postmaster still runs: {state:?}"
    );
    assert!(!dir.exists(), "the folder is removed");
    drop(cluster);
}
