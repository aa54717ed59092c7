//! Memory and process-count limits for one check process tree, through Linux
//! control groups where this user may create them (v2, or v1's `pids` and
//! `memory` hierarchies).
//!
//! Resource limits (`setrlimit`) alone cannot stop a fork bomb run by root,
//! which `RLIMIT_NPROC` exempts; a cgroup's `pids.max` can. A cgroup also lets
//! the supervisor kill every process of a check, even one that left its
//! process group. Where no cgroup can be made (an unprivileged user without
//! delegation), checks run without one and the run says so.

use std::path::{Path, PathBuf};

/// Limits for one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Resident memory, in bytes.
    pub memory: u64,
    /// Processes and threads.
    pub tasks: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            memory: 1024 * 1024 * 1024,
            tasks: 256,
        }
    }
}

/// One check's control group(s); removed (after killing what is left) on drop.
#[derive(Debug)]
pub struct Cgroup {
    /// One folder per hierarchy (v2: one; v1: `pids` and `memory`).
    dirs: Vec<PathBuf>,
    /// The folder holding the memory controller's files.
    memory_events: Option<PathBuf>,
}

const ROOT: &str = "/sys/fs/cgroup";

fn writable(dir: &Path) -> bool {
    nix::unistd::access(dir, nix::unistd::AccessFlags::W_OK).is_ok()
}

fn v2_root() -> Option<PathBuf> {
    [PathBuf::from(ROOT), PathBuf::from(ROOT).join("unified")]
        .into_iter()
        .find(|root| {
            std::fs::read_to_string(root.join("cgroup.controllers"))
                .is_ok_and(|c| c.contains("pids") && c.contains("memory"))
                && writable(root)
        })
}

impl Cgroup {
    /// Makes a cgroup named `name` under this process's parent group, or
    /// `None` where that is not allowed.
    pub fn create(name: &str, limits: Limits) -> Option<Cgroup> {
        if let Some(root) = v2_root() {
            let dir = root.join(name);
            std::fs::create_dir(&dir).ok()?;
            let group = Cgroup {
                memory_events: Some(dir.clone()),
                dirs: vec![dir.clone()],
            };
            let ok = std::fs::write(dir.join("pids.max"), limits.tasks.to_string()).is_ok()
                && std::fs::write(dir.join("memory.max"), limits.memory.to_string()).is_ok();
            let _ = std::fs::write(dir.join("memory.swap.max"), "0");
            return ok.then_some(group);
        }
        let pids = Path::new(ROOT).join("pids");
        let memory = Path::new(ROOT).join("memory");
        if !(writable(&pids) && writable(&memory)) {
            return None;
        }
        let mut group = Cgroup {
            dirs: Vec::new(),
            memory_events: None,
        };
        let pids = pids.join(name);
        std::fs::create_dir(&pids).ok()?;
        group.dirs.push(pids.clone());
        std::fs::write(pids.join("pids.max"), limits.tasks.to_string()).ok()?;
        let memory = memory.join(name);
        std::fs::create_dir(&memory).ok()?;
        group.dirs.push(memory.clone());
        std::fs::write(
            memory.join("memory.limit_in_bytes"),
            limits.memory.to_string(),
        )
        .ok()?;
        let _ = std::fs::write(
            memory.join("memory.memsw.limit_in_bytes"),
            limits.memory.to_string(),
        );
        group.memory_events = Some(memory);
        Some(group)
    }

    /// Moves process `pid` and all its descendants into the group.
    pub fn adopt_tree(&self, pid: u32) -> std::io::Result<()> {
        for pid in descendants(pid) {
            for dir in &self.dirs {
                // A process that has just ended cannot be moved; that is fine.
                let _ = std::fs::write(dir.join("cgroup.procs"), pid.to_string());
            }
        }
        // The root of the tree must be in: otherwise the limits do not apply.
        let inside = std::fs::read_to_string(self.dirs[0].join("cgroup.procs"))?;
        if inside.lines().any(|l| l.trim() == pid.to_string()) {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "process {pid} did not join {}",
                self.dirs[0].display()
            )))
        }
    }

    /// Whether the memory limit was reached: the kernel's out-of-memory
    /// killer acted in the group, or memory (or memory and swap) could not be
    /// charged to it.
    pub fn memory_exhausted(&self) -> bool {
        let Some(events) = &self.memory_events else {
            return false;
        };
        let counted = |name: &str, key: Option<&str>| {
            let text = std::fs::read_to_string(events.join(name)).unwrap_or_default();
            text.lines().any(|line| {
                let mut words = line.split_whitespace();
                let number = match key {
                    Some(key) => (words.next() == Some(key)).then(|| words.next()).flatten(),
                    None => words.next(),
                };
                number.and_then(|n| n.parse::<u64>().ok()) > Some(0)
            })
        };
        // v2: `memory.events`; v1: `memory.oom_control` and the fail counters.
        counted("memory.events", Some("oom_kill"))
            || counted("memory.events", Some("oom"))
            || counted("memory.oom_control", Some("oom_kill"))
            || counted("memory.failcnt", None)
            || counted("memory.memsw.failcnt", None)
    }

    /// Kills every process still in the group.
    pub fn kill_all(&self) {
        for _ in 0..50 {
            let pids: Vec<i32> = self
                .dirs
                .iter()
                .filter_map(|d| std::fs::read_to_string(d.join("cgroup.procs")).ok())
                .flat_map(|t| {
                    t.lines()
                        .filter_map(|l| l.trim().parse().ok())
                        .collect::<Vec<i32>>()
                })
                .collect();
            if pids.is_empty() {
                return;
            }
            for pid in pids {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        self.kill_all();
        for dir in &self.dirs {
            // A group empties a moment after its last process is reaped.
            for _ in 0..100 {
                if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

/// `pid` and every process below it, parents first.
fn descendants(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let tasks = Path::new("/proc").join(all[i].to_string()).join("task");
        for task in std::fs::read_dir(tasks).into_iter().flatten().flatten() {
            let children =
                std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            all.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
        i += 1;
    }
    all
}

/// Removes groups named `workbook-<pid>-…` whose process is gone (after a
/// crash), killing anything left in them.
pub fn sweep_orphans() {
    let mut roots: Vec<PathBuf> = v2_root().into_iter().collect();
    roots.extend(["pids", "memory"].map(|h| Path::new(ROOT).join(h)));
    for root in roots {
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix("workbook-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if !Path::new(&format!("/proc/{pid}")).exists() {
                drop(Cgroup {
                    dirs: vec![entry.path()],
                    memory_events: None,
                });
            }
        }
    }
}
