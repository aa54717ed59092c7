//! Postgres for a check run: a server from `WORKBOOK_DATABASE_URL` (or a
//! Postgres `DATABASE_URL`), or a throwaway cluster started for this run; one
//! database per check, created before it runs and dropped after it, and any
//! left over dropped on Ctrl-C.
//!
//! Each check's database belongs to a role made for that check alone (not a
//! superuser, no `CREATEDB`, no way into another check's database), and the
//! URL the check is given carries that role. The admin URL stays in this
//! process: it is never passed to a check nor written anywhere, and `Debug`
//! hides its password.

use std::collections::HashSet;
use std::sync::Mutex;

use workbook_support::pg_cluster::{Cluster, ClusterError};
use workbook_support::scratch::{self, ScratchError};

/// Where check databases are created.
pub enum Server {
    /// A server the student gave.
    Given(String),
    /// A cluster started for this run; stopped when dropped.
    Throwaway(Cluster),
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Server::Given(url) => f.debug_tuple("Given").field(&scratch::redact(url)).finish(),
            Server::Throwaway(cluster) => f.debug_tuple("Throwaway").field(cluster).finish(),
        }
    }
}

impl Server {
    /// The server from the environment, or a new throwaway cluster.
    pub async fn start() -> Result<Server, ClusterError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(url) = var("WORKBOOK_DATABASE_URL")
            .or_else(|| var("DATABASE_URL").filter(|u| u.starts_with("postgres")))
        {
            return Ok(Server::Given(url));
        }
        tokio::task::spawn_blocking(Cluster::start)
            .await
            .map_err(|e| ClusterError::Failed(e.to_string()))?
            .map(Server::Throwaway)
    }

    /// A URL for creating databases and roles (a superuser's, on the
    /// throwaway cluster), password included: never for a check.
    pub fn admin_url(&self) -> String {
        match self {
            Server::Given(url) => url.clone(),
            Server::Throwaway(cluster) => cluster.admin_url(),
        }
    }
}

/// The databases made for checks that are still there.
pub struct Databases {
    admin: String,
    live: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Databases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Databases")
            .field("admin", &scratch::redact(&self.admin))
            .field("live", &self.live())
            .finish()
    }
}

impl Databases {
    /// Databases on `server`.
    pub fn new(server: &Server) -> Databases {
        Databases {
            admin: server.admin_url(),
            live: Mutex::new(HashSet::new()),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Creates a database and its own role for one check; returns its name and
    /// the URL the check connects with (as that role).
    pub async fn create(&self) -> Result<(String, String), ScratchError> {
        let name = scratch::database_name();
        self.live().insert(name.clone());
        match scratch::create_database(&self.admin, &name).await {
            Ok(url) => Ok((name, url)),
            Err(e) => {
                self.live().remove(&name);
                Err(e)
            }
        }
    }

    /// Drops a check's database and its role (ending its connections first).
    pub async fn drop_database(&self, name: &str) {
        let _ = scratch::drop_database(&self.admin, name).await;
        self.live().remove(name);
    }

    /// Drops every database still there (after an interruption).
    pub async fn drop_all(&self) {
        let names: Vec<String> = self.live().iter().cloned().collect();
        for name in names {
            self.drop_database(&name).await;
        }
    }
}
