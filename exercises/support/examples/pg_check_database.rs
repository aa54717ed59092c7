//! Measures what one Postgres check pays for its database on a throwaway
//! cluster: creating it, the first connection with the URL the check is given,
//! and dropping it (median of N rounds, 20 by default).
//!
//! `cargo run -p workbook-support --example pg_check_database [ROUNDS]`
//! (add `--release` for optimised dependencies; checks run in the dev profile).

use std::time::{Duration, Instant};

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
    runtime.block_on(async {
        for _ in 0..rounds {
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
}
