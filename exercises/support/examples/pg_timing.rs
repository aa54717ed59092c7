//! Measures the throwaway Postgres: how long the cluster takes to be ready,
//! and the median time to create (and drop) a per-check database.
//!
//! `cargo run --release -p workbook-support --example pg_timing [ROUNDS]`

use std::time::{Duration, Instant};

use workbook_support::pg_cluster::Cluster;
use workbook_support::scratch::{create_database, database_name, drop_database};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let mut starts = Vec::new();
    let mut creates = Vec::new();
    let mut drops = Vec::new();
    for round in 0..3 {
        let began = Instant::now();
        let cluster = Cluster::start().unwrap_or_else(|e| panic!("no cluster: {e}"));
        starts.push(began.elapsed());
        if round == 0 {
            let admin = cluster.admin_url();
            runtime.block_on(async {
                for _ in 0..rounds {
                    let name = database_name();
                    let began = Instant::now();
                    create_database(&admin, &name).await.expect("create");
                    creates.push(began.elapsed());
                    let began = Instant::now();
                    drop_database(&admin, &name).await.expect("drop");
                    drops.push(began.elapsed());
                }
            });
        }
        drop(cluster);
    }
    println!(
        "cluster ready (median of 3):     {:>6.0} ms",
        median(starts).as_secs_f64() * 1000.0
    );
    println!(
        "create database (median of {rounds}): {:>6.0} ms",
        median(creates).as_secs_f64() * 1000.0
    );
    println!(
        "drop database (median of {rounds}):   {:>6.0} ms",
        median(drops).as_secs_f64() * 1000.0
    );
}
