//! Modes and owners of config.json and its directory: what is wrong, and
//! the changes that fix it (0600 file, 0700 directory, and under sudo, files
//! that root took over given back to the invoking user).
//!
//! This looks only at the file system, never at the JSON, so it works on a
//! config that does not parse. A symlinked config.json is judged and fixed
//! through its target; the link itself is kept.

use std::path::{Path, PathBuf};

use anyhow::Result;

/// One change to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Mode {
        path: PathBuf,
        from: u32,
        to: u32,
    },
    Owner {
        path: PathBuf,
        from: (u32, u32),
        to: (u32, u32),
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Mode { path, from, to } => {
                write!(f, "{}: mode {from:04o} -> {to:04o}", path.display())
            }
            Change::Owner { path, from, to } => write!(
                f,
                "{}: owner {}:{} -> {}:{}",
                path.display(),
                from.0,
                from.1,
                to.0,
                to.1
            ),
        }
    }
}

/// The file and directory that really hold the config (symlinks followed).
/// The file is `None` when it does not exist.
#[cfg(unix)]
pub fn targets(config_path: &Path) -> (Option<PathBuf>, Option<PathBuf>) {
    match std::fs::canonicalize(config_path) {
        Ok(file) => {
            let dir = file.parent().map(Path::to_path_buf);
            (Some(file), dir)
        }
        Err(_) => {
            let dir = config_path
                .parent()
                .and_then(|d| std::fs::canonicalize(d).ok());
            (None, dir)
        }
    }
}

/// The user who should own the files: the one who ran `sudo`, else us.
#[cfg(unix)]
pub fn invoking_user() -> (u32, u32) {
    let env_id = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u32>().ok());
    // SAFETY: getuid/getgid/geteuid cannot fail and touch no memory.
    let (euid, egid) = unsafe { (libc::geteuid(), libc::getegid()) };
    match (euid, env_id("SUDO_UID"), env_id("SUDO_GID")) {
        (0, Some(u), Some(g)) => (u, g),
        _ => (euid, egid),
    }
}

/// Whether we run under sudo (root, with SUDO_UID set).
#[cfg(unix)]
pub fn under_sudo() -> bool {
    // SAFETY: as above.
    let euid = unsafe { libc::geteuid() };
    euid == 0 && std::env::var_os("SUDO_UID").is_some()
}

/// The changes that would make the config private to its user.
#[cfg(unix)]
pub fn plan(config_path: &Path) -> Result<Vec<Change>> {
    use std::os::unix::fs::MetadataExt;
    let (file, dir) = targets(config_path);
    let mut changes = Vec::new();
    let owner = invoking_user();
    for (path, want) in [(file, 0o600), (dir, 0o700)] {
        let Some(path) = path else { continue };
        let meta = std::fs::metadata(&path)?;
        let mode = meta.mode() & 0o7777;
        if mode & 0o777 != want {
            changes.push(Change::Mode {
                path: path.clone(),
                from: mode,
                to: want,
            });
        }
        // Only root's takeover is undone, and only for the sudo user: after
        // `sudo docker login` the file is root's and the user gets
        // "permission denied".
        if under_sudo() && meta.uid() == 0 && owner.0 != 0 {
            changes.push(Change::Owner {
                path,
                from: (meta.uid(), meta.gid()),
                to: owner,
            });
        }
    }
    Ok(changes)
}

#[cfg(not(unix))]
pub fn plan(_config_path: &Path) -> Result<Vec<Change>> {
    anyhow::bail!("fixing permissions is not supported on this platform")
}

/// Apply `changes`, each with an error naming the path.
pub fn apply(changes: &[Change]) -> Result<()> {
    use anyhow::Context as _;
    for c in changes {
        match c {
            #[cfg(unix)]
            Change::Mode { path, to, .. } => {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(*to))
                    .with_context(|| format!("cannot change the mode of {}", path.display()))?;
            }
            #[cfg(unix)]
            Change::Owner { path, to, .. } => {
                std::os::unix::fs::chown(path, Some(to.0), Some(to.1))
                    .with_context(|| format!("cannot change the owner of {}", path.display()))?;
            }
            #[cfg(not(unix))]
            _ => anyhow::bail!("fixing permissions is not supported on this platform"),
        }
    }
    Ok(())
}
