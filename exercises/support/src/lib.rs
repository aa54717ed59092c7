//! `workbook-support`: what exercise checks are written with.
//!
//! A check is an async function that gets a fresh scratch database ([`Ctx`])
//! and returns `Ok(())` or a [`Failure`] written for the student. The
//! [`harness`] runs checks with libtest-compatible output (so a plain
//! `cargo test -p <exercise>` works) and writes a JSON [`report`] per check for
//! `workbook check`. [`queries`] counts statements exactly on both backends,
//! [`schema`] reads a database's tables into one normalised model, [`snapshot`]
//! compares text with committed insta-format snapshots, [`pool`] inspects a
//! connection pool's settings and behaviour, [`http`] sends real HTTP
//! requests to a student's axum router, without ever writing
//! pending files, and [`pg_cluster`] starts a throwaway Postgres when no server
//! is given.

pub mod backend;
pub mod catalog;
pub mod cgroup;
pub mod failure;
pub mod harness;
pub mod http;
pub mod junction;
pub mod pg_cluster;
pub mod pool;
pub mod queries;
pub mod report;
pub mod rows;
pub mod sandbox;
pub mod sanitize;
pub mod schema;
pub mod scratch;
pub mod seal;
pub mod sealed_pool;
pub mod seed;
pub mod signals;
pub mod snapshot;
pub mod supervise;

pub use backend::Backend;
pub use failure::{Failure, fail};
pub use harness::{Check, Ctx};
pub use queries::{QueryLog, Statement};
pub use sqlx;
pub use tokio;

/// Declares an exercise's checks and makes them the test binary's `main`:
///
/// ```text
/// workbook_support::checks! {
///     "schema-applies" => schema_applies,
///     "schema-matches" => schema_matches,
/// }
/// ```
///
/// Each id must match a check in the exercise's `exercise.yaml`, which gives
/// its points; each function is `async fn(Ctx) -> Result<(), Failure>`.
#[macro_export]
macro_rules! checks {
    ($($id:literal => $check:path),* $(,)?) => {
        fn main() -> ::std::process::ExitCode {
            $crate::harness::run(
                env!("CARGO_MANIFEST_DIR"),
                &[$($crate::harness::Check::new($id, |ctx| ::std::boxed::Box::pin($check(ctx)))),*],
            )
        }
    };
}
