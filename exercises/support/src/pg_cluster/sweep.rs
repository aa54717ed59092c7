//! Stops and removes throwaway clusters left behind by runs that are gone (a
//! crash, `kill -9`), and nothing else.
//!
//! The temp folder is shared with every local user, so a `workbook-pg-*` folder
//! proves nothing. A folder is taken for one of ours only when it belongs to us
//! (or, when we are root, to the `postgres` user our clusters run as) and holds
//! a `0600` marker written by us that names our uid; its cluster is an orphan
//! when the pid in the marker is gone. Even then, the pid in the server's
//! `postmaster.pid` is signalled only when that process is really this
//! cluster's postmaster: a `postgres` binary started with `-D` on this very data
//! folder, working in it, and running as the folder's owner.

use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{MARKER, PREFIX, current_uid, postgres_user, process_alive, process_uid};

/// Stops and removes our clusters, in the temp folder, whose run is gone;
/// returns how many were removed. Clusters still in use, and folders that are
/// not provably ours, are left alone.
pub fn clean_orphans() -> usize {
    clean_orphans_in(&std::env::temp_dir())
}

/// [`clean_orphans`] in the folder `base` rather than the temp folder.
pub fn clean_orphans_in(base: &Path) -> usize {
    let me = current_uid();
    // As root, our clusters belong to the user the server runs as.
    let server_user = (me == 0).then(postgres_user).flatten().map(|(uid, _)| uid);
    let mut cleaned = 0;
    for entry in std::fs::read_dir(base).into_iter().flatten().flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        let Some((owner, dir_uid)) = ours(&dir, me, server_user) else {
            continue;
        };
        if process_alive(owner) {
            continue;
        }
        stop_postmaster(&dir.join("data"), dir_uid);
        if std::fs::remove_dir_all(&dir).is_ok() {
            cleaned += 1;
        }
    }
    cleaned
}

/// The pid that started the cluster in `dir`, and the folder's owner, when the
/// folder is provably one of ours; `None` for anything else.
fn ours(dir: &Path, me: u32, server_user: Option<u32>) -> Option<(u32, u32)> {
    // A symlink could point anywhere; only a real folder is considered.
    let folder = std::fs::symlink_metadata(dir).ok()?;
    let dir_uid = folder.uid();
    if !folder.is_dir() || !(dir_uid == me || Some(dir_uid) == server_user) {
        return None;
    }
    // Only we can make a file that belongs to us: the server's user owns the
    // folder when we are root, but cannot create a root-owned marker in it.
    let marker_path = dir.join(MARKER);
    let marker = std::fs::symlink_metadata(&marker_path).ok()?;
    if !marker.is_file() || marker.uid() != me || marker.mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(marker_path).ok()?;
    let mut fields = text.split_whitespace();
    let owner: u32 = fields.next()?.parse().ok()?;
    let uid: u32 = fields.next()?.parse().ok()?;
    (uid == me).then_some((owner, dir_uid))
}

/// Sends `SIGQUIT` (immediate shutdown) to the postmaster of `data`, if it is
/// still running, and waits a little for it to go.
fn stop_postmaster(data: &Path, server_uid: u32) {
    let Some(pid) = std::fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|p| p.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
    else {
        return;
    };
    if !is_postmaster_of(pid, data, server_uid) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-QUIT", &pid.to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while process_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `pid` is the postmaster serving `data`: its program is `postgres`,
/// its `-D` argument is `data`, its working folder is `data` (the postmaster
/// moves there), and it runs as `uid`.
pub(super) fn is_postmaster_of(pid: u32, data: &Path, uid: u32) -> bool {
    let Ok(data) = data.canonicalize() else {
        return false;
    };
    let pid = pid.to_string();
    if process_uid(&pid) != Some(uid) {
        return false;
    }
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let program_is_postgres = args.first().is_some_and(|p| {
        Path::new(std::ffi::OsStr::from_bytes(p)).file_name() == Some("postgres".as_ref())
    });
    let serves_data = args.windows(2).any(|pair| {
        pair[0] == b"-D"
            && Path::new(std::ffi::OsStr::from_bytes(pair[1]))
                .canonicalize()
                .is_ok_and(|d| d == data)
    });
    let works_in_data = std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == data);
    program_is_postgres && serves_data && works_in_data
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::OpenOptionsExt as _;
    use std::path::PathBuf;
    use std::process::Child;

    use super::*;

    /// What `base` holds.
    fn clusters_in(base: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(base)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect()
    }

    /// A private base folder, so no other test's sweep meets these folders.
    fn base(name: &str) -> PathBuf {
        let base =
            std::env::temp_dir().join(format!("workbook-sweep-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        base
    }

    /// A cluster folder as `Cluster::start` makes it, owned by `owner`.
    fn cluster(base: &Path, name: &str, owner: u64, server_pid: Option<u32>) -> PathBuf {
        let dir = base.join(format!("{PREFIX}{name}"));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dir.join(MARKER))
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, format!("{owner} {}\n", current_uid()).as_bytes())
            })
            .unwrap();
        if let Some(pid) = server_pid {
            std::fs::write(
                dir.join("data/postmaster.pid"),
                format!("{pid}\n{}\n", dir.join("data").display()),
            )
            .unwrap();
        }
        dir
    }

    fn sleeper() -> Child {
        Command::new("sleep").arg("30").spawn().unwrap()
    }

    fn still_running(child: &mut Child) -> bool {
        child.try_wait().unwrap().is_none()
    }

    /// A pid far above any real one: its process is gone.
    const GONE: u64 = 4_000_000_001;

    #[test]
    fn orphans_are_removed_and_live_clusters_kept() {
        let base = base("live");
        let orphan = cluster(&base, "orphan", GONE, None);
        let live = cluster(&base, "live", u64::from(std::process::id()), None);
        assert_eq!(clean_orphans_in(&base), 1);
        assert!(!orphan.exists(), "the orphan is removed");
        assert!(live.exists(), "a cluster whose owner runs stays");
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn an_unrelated_process_named_by_our_orphan_is_not_signalled() {
        let base = base("unrelated");
        let mut sleep = sleeper();
        let orphan = cluster(&base, "orphan", GONE, Some(sleep.id()));
        clean_orphans_in(&base);
        assert!(still_running(&mut sleep), "`sleep` was signalled");
        assert!(!orphan.exists(), "our orphan is removed all the same");
        let _ = sleep.kill();
        let _ = sleep.wait();
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn folders_without_our_marker_are_left_alone() {
        let base = base("foreign");
        let mut sleep = sleeper();
        // No marker at all.
        let unmarked = base.join(format!("{PREFIX}unmarked"));
        std::fs::create_dir_all(unmarked.join("data")).unwrap();
        std::fs::write(
            unmarked.join("data/postmaster.pid"),
            format!("{}\n", sleep.id()),
        )
        .unwrap();
        // A marker anyone may write (0644) is not ours either.
        let loose = cluster(&base, "loose", GONE, Some(sleep.id()));
        std::fs::set_permissions(
            loose.join(MARKER),
            std::os::unix::fs::PermissionsExt::from_mode(0o644),
        )
        .unwrap();
        // A marker naming another uid.
        let other = cluster(&base, "other-uid", GONE, Some(sleep.id()));
        std::fs::remove_file(other.join(MARKER)).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(other.join(MARKER))
            .and_then(|mut f| {
                std::io::Write::write_all(
                    &mut f,
                    format!("{GONE} {}\n", current_uid() + 1).as_bytes(),
                )
            })
            .unwrap();
        // A symlink to one of ours.
        let link = base.join(format!("{PREFIX}link"));
        let target = cluster(&base.join("elsewhere"), "target", GONE, Some(sleep.id()));
        std::os::unix::fs::symlink(&target, &link).unwrap();

        assert_eq!(clean_orphans_in(&base), 0);
        assert!(still_running(&mut sleep), "`sleep` was signalled");
        for dir in [&unmarked, &loose, &other, &link, &target] {
            assert!(dir.exists(), "{} was removed", dir.display());
        }
        assert_eq!(clusters_in(&base).len(), 5);
        let _ = sleep.kill();
        let _ = sleep.wait();
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn only_a_postgres_serving_that_folder_is_a_postmaster() {
        let mut sleep = sleeper();
        let data = std::env::temp_dir();
        assert!(!is_postmaster_of(sleep.id(), &data, current_uid()));
        assert!(!is_postmaster_of(std::process::id(), &data, current_uid()));
        let _ = sleep.kill();
        let _ = sleep.wait();
    }
}
