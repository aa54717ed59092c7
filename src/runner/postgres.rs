//! Postgres for a check run: a server from `WORKBOOK_DATABASE_URL` (or a
//! Postgres `DATABASE_URL`), or a throwaway cluster started for this run; one
//! database per check, created before it runs and dropped after it, and any
//! left over dropped on Ctrl-C.

use std::collections::HashSet;
use std::sync::Mutex;

use workbook_support::pg_cluster::{Cluster, ClusterError};
use workbook_support::scratch::{self, ScratchError};

/// Where check databases are created.
#[derive(Debug)]
pub enum Server {
    /// A server the student gave.
    Given(String),
    /// A cluster started for this run; stopped when dropped.
    Throwaway(Cluster),
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

    /// A superuser URL.
    pub fn admin_url(&self) -> String {
        match self {
            Server::Given(url) => url.clone(),
            Server::Throwaway(cluster) => cluster.admin_url(),
        }
    }
}

/// The databases made for checks that are still there.
#[derive(Debug)]
pub struct Databases {
    admin: String,
    live: Mutex<HashSet<String>>,
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

    /// Creates a database for one check; returns its name and URL.
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

    /// Drops a check's database.
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
