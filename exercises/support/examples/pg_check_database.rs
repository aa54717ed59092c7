//! Measures what one Postgres check pays for its database on a throwaway
//! cluster: creating it, the first connection with the URL the check is given,
//! and dropping it (median of N rounds, 20 by default). Each round also makes
//! a bare database the way it was done before checks had roles of their own
//! (admin-owned, the check connecting as the admin), so the cost of the role
//! is seen under the same load.
//!
//! `cargo run -p workbook-support --example pg_check_database [ROUNDS]`
//! (add `--release` for optimised dependencies; checks run in the dev profile).

use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use workbook_support::pg_cluster::Cluster;
use workbook_support::scratch::{create_database, database_name, drop_database};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A database without a role of its own: create, connect as the admin, drop.
async fn bare_round(admin: &str, name: &str) -> Duration {
    let began = Instant::now();
    let options: PgConnectOptions = admin.parse().expect("the admin URL");
    let mut conn = PgConnection::connect_with(&options).await.expect("admin");
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE template0");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .expect("create");
    conn.close().await.expect("close");
    let check = PgConnection::connect_with(&options.clone().database(name))
        .await
        .expect("connect");
    check.close().await.expect("close");
    let mut conn = PgConnection::connect_with(&options).await.expect("admin");
    let sql = format!("DROP DATABASE \"{name}\" WITH (FORCE)");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .expect("drop");
    conn.close().await.expect("close");
    began.elapsed()
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20)
        .max(1);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let began = Instant::now();
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("no cluster: {e}"));
    let start = began.elapsed();
    let admin = cluster.admin_url();
    let (mut creates, mut connects, mut drops, mut totals) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bare = Vec::new();
    runtime.block_on(async {
        for round in 0..rounds {
            // Alternate which goes first, so neither always meets a warmer server.
            if round % 2 == 0 {
                bare.push(bare_round(&admin, &database_name()).await);
            }
            let name = database_name();
            let began = Instant::now();
            let url = create_database(&admin, &name).await.expect("create");
            let create = began.elapsed();
            let began = Instant::now();
            let conn = PgConnection::connect(&url).await.expect("connect");
            let connect = began.elapsed();
            conn.close().await.expect("close");
            let began = Instant::now();
            drop_database(&admin, &name).await.expect("drop");
            let drop = began.elapsed();
            creates.push(create);
            connects.push(connect);
            drops.push(drop);
            totals.push(create + connect + drop);
            if round % 2 == 1 {
                bare.push(bare_round(&admin, &database_name()).await);
            }
        }
    });
    drop(cluster);
    println!("cluster ready:                      {:>7.1} ms", ms(start));
    println!(
        "create database (median of {rounds:>3}):   {:>7.1} ms",
        ms(median(creates))
    );
    println!(
        "first connection (median of {rounds:>3}):  {:>7.1} ms",
        ms(median(connects))
    );
    println!(
        "drop database (median of {rounds:>3}):     {:>7.1} ms",
        ms(median(drops))
    );
    println!(
        "per check, all three (median):       {:>7.1} ms",
        ms(median(totals))
    );
    println!(
        "  the same without a role (median):  {:>7.1} ms",
        ms(median(bare))
    );
}
