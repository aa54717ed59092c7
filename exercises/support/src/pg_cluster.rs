//! A throwaway `PostgreSQL` cluster, started from the installed binaries when no
//! server is given (`WORKBOOK_DATABASE_URL` / `DATABASE_URL`).
//!
//! `initdb` into a temp folder, the server listening only on a unix socket in
//! that folder's `socket/`, durability off (`fsync`, `synchronous_commit`,
//! `full_page_writes`): it lives for one run and is thrown away. `initdb` and
//! `postgres` refuse to run as root, so as root they run as the `postgres` user
//! (present wherever Debian's package is installed).
//!
//! Nobody but the runner gets in. The folder and its `socket/` are `0700` and
//! belong to the user the server runs as: the invoking user, or `postgres` when
//! the runner is root (root still connects, and so do the checks it runs, as
//! root). The socket has a folder of its own so that a sandbox can show a check
//! the socket without the server's files. Every login needs a password
//! (`scram-sha-256`, no `trust` line in `pg_hba.conf`): the superuser's is
//! random, lives in this process's memory only (initdb reads its verifier from
//! a `0600` file removed as soon as initdb ends) and is part of
//! [`Cluster::admin_url`], which is never handed to a check. Checks log in as
//! their own role, and `pg_hba.conf` lets a role other than `postgres` into the
//! database of its own name only (`sameuser`): see
//! [`crate::scratch::create_database`].
//!
//! Each cluster folder holds a marker, `workbook.owner` (`0600`, written by the
//! user who started the cluster: `<pid> <uid>`), and [`clean_orphans`] stops and
//! removes only clusters with such a marker whose process is gone.

use std::fmt::Write as _;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) mod scram;
mod sweep;

pub use sweep::{clean_orphans, clean_orphans_in};

/// Folder names of clusters start with this, under the temp folder.
const PREFIX: &str = "workbook-pg-";
/// The file in a cluster's folder that says who started it: `<pid> <uid>`.
const MARKER: &str = "workbook.owner";
/// The port only names the socket file; nothing listens on TCP.
const PORT: u16 = 5432;
/// The cluster's superuser.
const ADMIN: &str = "postgres";
/// Who may log in, and how: the superuser everywhere, any other role only into
/// the database of its own name; a password always, over the socket only.
const PG_HBA: &str = "\
# Written by workbook: password (SCRAM) logins over the unix socket only.
# Check roles reach only the database named after them (`sameuser`).
# TYPE  DATABASE  USER      METHOD
local   all       postgres  scram-sha-256
local   sameuser  all       scram-sha-256
";

/// Why no cluster could be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    /// No `PostgreSQL` server binaries were found.
    NotInstalled {
        /// Where they were looked for.
        searched: Vec<String>,
    },
    /// `WORKBOOK_PG_BINDIR` names a folder without the server programs.
    BinDir {
        /// The folder it names.
        dir: PathBuf,
        /// The program that is not there (`initdb` or `postgres`).
        missing: &'static str,
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
            ClusterError::BinDir { dir, missing } => write!(
                f,
                "WORKBOOK_PG_BINDIR is {}, which has no `{missing}`: point it at the folder \
                 with PostgreSQL's server programs (e.g. /usr/lib/postgresql/15/bin), or unset it",
                dir.display()
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
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    server: Option<Child>,
    user: Option<(u32, u32)>,
    /// The superuser's password: in memory only.
    password: String,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.dir)
            .field("bin", &self.bin)
            .field("server", &self.server.as_ref().map(Child::id))
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The folder holding `initdb` and `postgres`: `PATH`, then `pg_config --bindir`,
/// then Debian's and the source build's usual places.
pub fn find_binaries() -> Result<PathBuf, ClusterError> {
    // An explicit choice (a particular version) is the only place looked at.
    if let Some(dir) = std::env::var_os("WORKBOOK_PG_BINDIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return match ["initdb", "postgres"]
            .into_iter()
            .find(|program| !dir.join(program).is_file())
        {
            None => Ok(dir),
            Some(missing) => Err(ClusterError::BinDir { dir, missing }),
        };
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

/// The effective uid of a process (`None` when it is gone or unreadable).
fn process_uid(pid: &str) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// This process's effective uid: the owner of the files it creates.
fn current_uid() -> u32 {
    // `/proc/self` always exists on Linux; were it unreadable, assuming root
    // only makes the sweep stricter (folders must then be root's or postgres').
    process_uid("self").unwrap_or(0)
}

fn running_as_root() -> bool {
    current_uid() == 0
}

/// Whether `pid` runs: it exists and is not a zombie (a child that ended but
/// was not waited for yet).
fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // `pid (name) state …`; the name may hold spaces and parentheses.
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

/// `n` random bytes from the kernel.
pub(crate) fn random_bytes(n: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut buffer = vec![0_u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buffer)?;
    Ok(buffer)
}

/// `bytes` random bytes from the kernel, as lowercase hex: passwords and names.
pub(crate) fn random_hex(bytes: usize) -> std::io::Result<String> {
    Ok(random_bytes(bytes)?
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        }))
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
        let password = random_hex(24)
            .map_err(|e| ClusterError::Failed(format!("cannot read /dev/urandom: {e}")))?;
        let dir = unique_dir()?;
        // From here on, dropping `cluster` removes the folder.
        let mut cluster = Cluster {
            dir,
            bin,
            server: None,
            user,
            password,
        };
        let marker = format!("{} {}\n", std::process::id(), current_uid());
        write_private(&cluster.dir.join(MARKER), marker.as_bytes()).map_err(|e| {
            ClusterError::Failed(format!("cannot write in {}: {e}", cluster.dir.display()))
        })?;
        cluster.hand_over(&cluster.dir)?;
        let socket_dir = cluster.socket_dir();
        private_dir(&socket_dir).map_err(|e| {
            ClusterError::Failed(format!("cannot create {}: {e}", socket_dir.display()))
        })?;
        cluster.hand_over(&socket_dir)?;
        cluster.initdb()?;
        // `initdb --auth` writes password lines, but also for TCP and replication;
        // only what is needed stays.
        std::fs::write(cluster.data().join("pg_hba.conf"), PG_HBA)
            .map_err(|e| ClusterError::Failed(format!("cannot write pg_hba.conf: {e}")))?;
        cluster.launch()?;
        Ok(cluster)
    }

    /// Gives `path` to the user the server runs as (when that is not us).
    fn hand_over(&self, path: &Path) -> Result<(), ClusterError> {
        if let Some((uid, gid)) = self.user {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| {
                ClusterError::Failed(format!(
                    "cannot hand {} to the postgres user: {e}",
                    path.display()
                ))
            })?;
        }
        Ok(())
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.user {
            std::os::unix::process::CommandExt::uid(&mut command, uid);
            std::os::unix::process::CommandExt::gid(&mut command, gid);
        }
        // Nothing of the runner's environment (tokens, the student's locale, PG*
        // settings) reaches the server.
        command.env_clear().env("LC_ALL", "C");
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        command.current_dir(&self.dir);
        command
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The folder of the server's unix socket (`0700`, the server user's).
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.join("socket")
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        // initdb reads the superuser's password from a file: readable by the
        // server's user alone, in a folder only that user enters, and gone as
        // soon as initdb ends. It holds the password's verifier (see `scram`),
        // which Postgres stores as it is, rather than the password.
        let pwfile = self.dir.join("pwfile");
        let written = random_bytes(16)
            .and_then(|salt| {
                let verifier = scram::verifier(&self.password, &salt);
                write_private(&pwfile, format!("{verifier}\n").as_bytes())
            })
            .map_err(|e| ClusterError::Failed(format!("cannot write {}: {e}", pwfile.display())))
            .and_then(|()| self.hand_over(&pwfile));
        let output = written.and_then(|()| {
            self.command("initdb")
                .arg("-D")
                .arg(self.data())
                .args(["-U", ADMIN, "--auth=scram-sha-256"])
                .arg(format!("--pwfile={}", pwfile.display()))
                .args(["-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| ClusterError::Failed(format!("cannot run initdb: {e}")))
        });
        let _ = std::fs::remove_file(&pwfile);
        let output = output?;
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
            .arg(self.socket_dir())
            .args(["-p", &PORT.to_string()])
            .args([
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "password_encryption=scram-sha-256",
            ])
            .args(["-c", "full_page_writes=off", "-c", "max_connections=200"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| ClusterError::Failed(format!("cannot run postgres: {e}")))?;
        self.server = Some(child);
        let socket = self.socket_dir().join(format!(".s.PGSQL.{PORT}"));
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

    /// A URL for the `postgres` superuser, over the cluster's socket, with its
    /// password: for the runner alone, never for a check.
    pub fn admin_url(&self) -> String {
        format!(
            "postgres://{ADMIN}:{}@localhost:{PORT}/postgres?host={}",
            self.password,
            self.socket_dir().display()
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

/// Creates `path` (which must not exist) readable and writable by its owner only.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .write_all(contents)
}

/// Creates the folder `dir` (which must not exist) for its owner only,
/// whatever the umask.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// A new `0700` folder for a cluster, under a name nobody could have taken first.
fn unique_dir() -> Result<PathBuf, ClusterError> {
    let base = std::env::temp_dir();
    for _ in 0..100 {
        let suffix = random_hex(6)
            .map_err(|e| ClusterError::Failed(format!("cannot read /dev/urandom: {e}")))?;
        let dir = base.join(format!("{PREFIX}{}-{suffix}", std::process::id()));
        match private_dir(&dir) {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn random_hex_is_random_and_hex() {
        let (a, b) = (random_hex(16).unwrap(), random_hex(16).unwrap());
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn pg_hba_has_no_trust() {
        assert!(!PG_HBA.contains("trust"));
        assert!(
            PG_HBA
                .lines()
                .filter(|l| !l.starts_with('#'))
                .all(|l| l.starts_with("local") && l.ends_with("scram-sha-256"))
        );
    }
}
