//! The private config directory of one `dockercfg exec` run: where it goes,
//! how it is made (0700, files 0600), who owns it, and how a directory left
//! by a killed run is found and removed.
//!
//! Each directory holds a marker file, `owner`, with the owning process's
//! pid and start time (`/proc/PID/stat` field 22 on Linux). A later run
//! removes a directory whose owner is gone, or whose pid now belongs to a
//! process that started at another time (the pid was reused, so the owner
//! is gone too). A directory without a marker is one whose run died between
//! `mkdir` and writing the marker; it is removed once it is a minute old.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

/// Directory names start with this, so a scan touches nothing else.
pub const PREFIX: &str = "dockercfg-exec.";
/// The marker file naming the owner.
pub const MARKER: &str = "owner";
/// How old a directory without a marker must be before it counts as left.
const UNMARKED_GRACE: Duration = Duration::from_secs(60);

/// Where private directories go: `$XDG_RUNTIME_DIR` (a per-user tmpfs on
/// systemd machines, emptied at logout) when set and a directory, else the
/// temp directory.
pub fn base_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(d) if !d.as_os_str().is_empty() && d.is_dir() => d,
        _ => std::env::temp_dir(),
    }
}

/// A new private directory under `base`, marked as this process's.
/// Directories left by killed runs are removed first.
pub fn create(base: &Path) -> Result<PathBuf> {
    remove_stale(base);
    #[cfg(unix)]
    let perms = {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o700)
    };
    let mut b = tempfile::Builder::new();
    b.prefix(PREFIX);
    #[cfg(unix)]
    b.permissions(perms);
    let dir = b
        .tempdir_in(base)
        .with_context(|| format!("cannot create a private directory in {}", base.display()))?
        .keep();
    let marked = (|| {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(dir.join(MARKER))?;
        f.write_all(owner_line(std::process::id()).as_bytes())?;
        f.sync_all()
    })();
    if let Err(e) = marked {
        let _ = fs::remove_dir_all(&dir);
        return Err(e).with_context(|| format!("cannot write {}", dir.join(MARKER).display()));
    }
    Ok(dir)
}

/// The marker's text for process `pid`: `PID START\n`.
fn owner_line(pid: u32) -> String {
    format!("{pid} {}\n", start_time(pid).unwrap_or(0))
}

/// Remove every directory under `base` left by a run that is gone.
/// Errors are ignored: another run may be removing the same one.
pub fn remove_stale(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let path = e.path();
        // Never follow a link, and never remove another user's directory.
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_dir() || !owned_by_me(&meta) {
            continue;
        }
        if is_stale(&path, &meta) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn is_stale(dir: &Path, meta: &fs::Metadata) -> bool {
    match fs::read_to_string(dir.join(MARKER)) {
        Ok(text) => match parse_owner(&text) {
            Some((pid, start)) => !is_alive(pid, start),
            None => true,
        },
        Err(_) => meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > UNMARKED_GRACE),
    }
}

fn parse_owner(text: &str) -> Option<(u32, u64)> {
    let mut it = text.split_whitespace();
    let pid = it.next()?.parse().ok()?;
    let start = it.next()?.parse().ok()?;
    Some((pid, start))
}

/// Whether process `pid`, started at `start` (0: unknown), still runs.
fn is_alive(pid: u32, start: u64) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let exists = unsafe { libc::kill(p, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        if !exists {
            return false;
        }
    }
    // Same pid, other start time: the pid was reused after the owner died.
    match start_time(pid) {
        Some(now) if start != 0 => now == start,
        _ => true,
    }
}

/// A process's start time in clock ticks since boot (`/proc/PID/stat`
/// field 22), where /proc has it.
fn start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 2 (the command name) is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(unix)]
fn owned_by_me(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail and touches no memory.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned_by_me(_meta: &fs::Metadata) -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_and_this_process_is_alive() {
        let line = owner_line(std::process::id());
        let (pid, start) = parse_owner(&line).unwrap();
        assert_eq!(pid, std::process::id());
        assert!(is_alive(pid, start));
        if Path::new("/proc/self/stat").exists() {
            assert!(start > 0);
            // Our pid with another start time is a reused pid: gone.
            let parent = std::os::unix::process::parent_id();
            let pstart = start_time(parent).unwrap();
            assert!(is_alive(parent, pstart));
            assert!(!is_alive(parent, pstart + 1));
        }
        assert_eq!(parse_owner("x y"), None);
    }

    #[test]
    fn stale_dirs_go_live_and_foreign_ones_stay() {
        let base = tempfile::tempdir().unwrap();
        let mine = create(base.path()).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&mine).unwrap().permissions().mode() & 0o7777;
            assert_eq!(mode, 0o700);
        }
        // A dead owner: a child that has exited (its pid is free).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let left = base.path().join(format!("{PREFIX}left"));
        fs::create_dir(&left).unwrap();
        fs::write(left.join(MARKER), format!("{dead} 1\n")).unwrap();
        fs::write(left.join("config.json"), "{}").unwrap();
        // Not ours by name, and a fresh unmarked one (a run starting now).
        let other = base.path().join("something-else");
        fs::create_dir(&other).unwrap();
        let fresh = base.path().join(format!("{PREFIX}fresh"));
        fs::create_dir(&fresh).unwrap();
        remove_stale(base.path());
        assert!(!left.exists());
        assert!(mine.exists() && other.exists() && fresh.exists());
    }
}
