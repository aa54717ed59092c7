//! A throwaway `PostgreSQL` cluster, started from the installed binaries when no
//! server is given (`WORKBOOK_DATABASE_URL` / `DATABASE_URL`).
//!
//! `initdb` into a temp folder, the server listening only on a unix socket in
//! that folder, durability off (`fsync`, `synchronous_commit`,
//! `full_page_writes`): it lives for one run and is thrown away. `initdb` and
//! `postgres` refuse to run as root, so as root they run as the `postgres` user
//! (present wherever Debian's package is installed). Each cluster folder holds
//! the pid of the process that owns it; [`clean_orphans`] stops and removes
//! clusters whose owner is gone (a run that crashed or was killed).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Folder names of clusters start with this, under the temp folder.
const PREFIX: &str = "workbook-pg-";
/// The port only names the socket file; nothing listens on TCP.
const PORT: u16 = 5432;

/// Why no cluster could be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    /// No `PostgreSQL` server binaries were found.
    NotInstalled {
        /// Where they were looked for.
        searched: Vec<String>,
    },
    /// Running as root without an unprivileged user to run the server as.
    NoUser,
    /// A step failed; the message includes the server's own words.
    Failed(String),
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClusterError::NotInstalled { searched } => write!(
                f,
                "PostgreSQL is not installed (looked for `initdb` in {}). Install it (Debian/Ubuntu: \
                 `sudo apt-get install postgresql`; macOS: `brew install postgresql`), or set \
                 WORKBOOK_DATABASE_URL to a server where workbook may create databases, e.g. \
                 postgres://postgres:secret@localhost:5432/postgres",
                searched.join(", ")
            ),
            ClusterError::NoUser => f.write_str(
                "PostgreSQL refuses to run as root and there is no `postgres` user to run it as; \
                 create one (`useradd --system postgres`) or set WORKBOOK_DATABASE_URL",
            ),
            ClusterError::Failed(message) => {
                write!(f, "could not start a throwaway PostgreSQL: {message}")
            }
        }
    }
}

impl std::error::Error for ClusterError {}

/// A running throwaway cluster; stopped and removed on drop.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    server: Option<Child>,
    user: Option<(u32, u32)>,
}

/// The folder holding `initdb` and `postgres`: `PATH`, then `pg_config --bindir`,
/// then Debian's and the source build's usual places.
pub fn find_binaries() -> Result<PathBuf, ClusterError> {
    // An explicit choice (a particular version) is the only place looked at.
    if let Some(dir) = std::env::var_os("WORKBOOK_PG_BINDIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
            return Ok(dir);
        }
        return Err(ClusterError::NotInstalled {
            searched: vec![format!("WORKBOOK_PG_BINDIR ({})", dir.display())],
        });
    }
    let mut searched = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
                return Ok(dir);
            }
        }
        searched.push("PATH".to_owned());
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").is_file() {
            return Ok(dir);
        }
    }
    searched.push("pg_config --bindir".to_owned());
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .collect();
    // The newest version first.
    candidates.sort_by(|a, b| b.cmp(a));
    candidates.push(PathBuf::from("/usr/local/pgsql/bin"));
    for dir in candidates {
        if dir.join("initdb").is_file() {
            return Ok(dir);
        }
    }
    searched.push("/usr/lib/postgresql/*/bin".to_owned());
    searched.push("/usr/local/pgsql/bin".to_owned());
    Err(ClusterError::NotInstalled { searched })
}

/// The uid and gid of the `postgres` user, read from `/etc/passwd`.
fn postgres_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres") && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Cluster {
    /// Starts a cluster; takes about a second (mostly `initdb`).
    pub fn start() -> Result<Cluster, ClusterError> {
        clean_orphans();
        let bin = find_binaries()?;
        let user = if running_as_root() {
            Some(postgres_user().ok_or(ClusterError::NoUser)?)
        } else {
            None
        };
        let dir = unique_dir()?;
        let mut cluster = Cluster {
            dir,
            bin,
            server: None,
            user,
        };
        std::fs::write(
            cluster.dir.join("owner.pid"),
            std::process::id().to_string(),
        )
        .map_err(|e| {
            ClusterError::Failed(format!("cannot write in {}: {e}", cluster.dir.display()))
        })?;
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&cluster.dir, Some(uid), Some(gid)).map_err(|e| {
                ClusterError::Failed(format!(
                    "cannot hand {} to the postgres user: {e}",
                    cluster.dir.display()
                ))
            })?;
        }
        cluster.initdb()?;
        cluster.launch()?;
        Ok(cluster)
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.user {
            std::os::unix::process::CommandExt::uid(&mut command, uid);
            std::os::unix::process::CommandExt::gid(&mut command, gid);
        }
        // Keep the student's locale and PG* settings out of the throwaway server.
        command
            .env("LC_ALL", "C")
            .env_remove("PGDATA")
            .env_remove("PGHOST")
            .env_remove("PGPORT");
        command.current_dir(&self.dir);
        command
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        let output = self
            .command("initdb")
            .arg("-D")
            .arg(self.data())
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| ClusterError::Failed(format!("cannot run initdb: {e}")))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(ClusterError::Failed(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }

    fn launch(&mut self) -> Result<(), ClusterError> {
        let log = std::fs::File::create(self.dir.join("server.log"))
            .map_err(|e| ClusterError::Failed(format!("cannot create the server log: {e}")))?;
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .arg("-k")
            .arg(&self.dir)
            .args(["-p", &PORT.to_string()])
            .args([
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
            ])
            .args(["-c", "full_page_writes=off", "-c", "max_connections=200"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| ClusterError::Failed(format!("cannot run postgres: {e}")))?;
        self.server = Some(child);
        let socket = self.dir.join(format!(".s.PGSQL.{PORT}"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self
                .server
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                return Err(ClusterError::Failed(format!(
                    "the server stopped ({status}): {}",
                    log.trim()
                )));
            }
            // The socket appears before the server accepts connections; the
            // status line of `postmaster.pid` says `ready` once it does.
            if socket.exists() && server_ready(&self.data()) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(ClusterError::Failed(
            "the server did not start within 30 s".to_owned(),
        ))
    }

    /// A URL for the `postgres` superuser, over the cluster's socket.
    pub fn admin_url(&self) -> String {
        format!(
            "postgres://postgres@localhost:{PORT}/postgres?host={}",
            self.dir.display()
        )
    }

    /// The cluster's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stops the server and removes the folder.
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let stopped = self
                .command("pg_ctl")
                .arg("stop")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "-t", "10"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !stopped {
                let _ = server.kill();
            }
            let _ = server.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether the server of `data` accepts connections: line 8 of its
/// `postmaster.pid` reads `ready` (it reads `starting` before).
fn server_ready(data: &Path) -> bool {
    std::fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|pid| pid.lines().nth(7).map(|status| status.trim() == "ready"))
        .unwrap_or(false)
}

fn unique_dir() -> Result<PathBuf, ClusterError> {
    let base = std::env::temp_dir();
    for n in 0..1000 {
        let dir = base.join(format!("{PREFIX}{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(ClusterError::Failed(format!(
                    "cannot create {}: {e}",
                    dir.display()
                )));
            }
        }
    }
    Err(ClusterError::Failed(
        "no free folder name for the cluster".to_owned(),
    ))
}

/// Stops and removes clusters left by runs that are gone; returns how many.
/// A cluster whose owner still runs is left alone.
pub fn clean_orphans() -> usize {
    let mut cleaned = 0;
    for entry in std::fs::read_dir(std::env::temp_dir())
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        let owner = std::fs::read_to_string(dir.join("owner.pid"))
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok());
        if owner.is_some_and(process_alive) {
            continue;
        }
        // The server's own pid file names its postmaster; stop it if it runs.
        let server = std::fs::read_to_string(dir.join("data/postmaster.pid"))
            .ok()
            .and_then(|p| p.lines().next().and_then(|l| l.trim().parse::<u32>().ok()));
        if let Some(pid) = server.filter(|p| process_alive(*p)) {
            let _ = Command::new("kill")
                .args(["-QUIT", &pid.to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while process_alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        if std::fs::remove_dir_all(&dir).is_ok() {
            cleaned += 1;
        }
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orphans_are_removed_and_live_clusters_kept() {
        let base = std::env::temp_dir();
        // A pid far above any real one: its owner is gone.
        let orphan = base.join(format!("{PREFIX}4000000001-{}", std::process::id()));
        let live = base.join(format!("{PREFIX}{}-live", std::process::id()));
        for (dir, owner) in [
            (&orphan, 4_000_000_001_u64),
            (&live, u64::from(std::process::id())),
        ] {
            std::fs::create_dir_all(dir.join("data")).unwrap();
            std::fs::write(dir.join("owner.pid"), owner.to_string()).unwrap();
        }
        assert!(clean_orphans() >= 1);
        assert!(!orphan.exists(), "the orphan is removed");
        assert!(live.exists(), "a cluster whose owner runs stays");
        std::fs::remove_dir_all(live).unwrap();
    }

    #[test]
    fn not_installed_says_how_to_get_postgres() {
        let error = {
            let dir = std::env::temp_dir().join("workbook-no-postgres-here");
            let searched = vec![format!("WORKBOOK_PG_BINDIR ({})", dir.display())];
            ClusterError::NotInstalled { searched }
        };
        let text = error.to_string();
        assert!(
            text.contains("apt-get install postgresql") && text.contains("WORKBOOK_DATABASE_URL"),
            "{text}"
        );
    }
}
