//! Modes and owners of config.json and its directory: what is wrong, and
//! the changes that fix it (0600 file, 0700 directory, and under sudo, files
//! that root took over given back to the invoking user).
//!
//! This looks only at the file system, never at the JSON, so it works on a
//! config that does not parse. A symlinked config.json is judged and fixed
//! through its target; the link itself is kept.
//!
//! Run as root, changing a mode or an owner is a privilege a user can try to
//! borrow: a `config.json` (or `~/.docker`) that is a symlink to `/etc/shadow`
//! must not become the user's. The rules (README, "Privileges"):
//! - An owner is changed only under sudo (root, with `SUDO_UID`), only back
//!   to that user, only for a root-owned config file or directory inside the
//!   user's home as the password database has it (never `$HOME`, which sudo
//!   may leave as root's), and never through a symlink.
//! - A file or directory reached through a symlink that leads out of the
//!   config directory is changed only if it belongs to the user (and the
//!   user is not root, who owns every system file); otherwise it is refused
//!   and reported.
//! - Each change is made through a descriptor: every directory on the path
//!   is opened with `O_NOFOLLOW`, the file relative to it, `fstat` checked
//!   against the plan, then `fchmod`/`fchown`. A symlink swapped in between
//!   the check and the change makes the open fail instead of redirecting it.

use std::path::{Path, PathBuf};

use anyhow::Result;

/// What one change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Mode { from: u32, to: u32 },
    Owner { from: (u32, u32), to: (u32, u32) },
}

/// One change to make, on the file the plan looked at (device and inode,
/// checked again on the descriptor before the change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub kind: Kind,
    is_dir: bool,
    id: (u64, u64),
    uid: u32,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Mode { from, to } => {
                write!(f, "{}: mode {from:04o} -> {to:04o}", self.path.display())
            }
            Kind::Owner { from, to } => write!(
                f,
                "{}: owner {}:{} -> {}:{}",
                self.path.display(),
                from.0,
                from.1,
                to.0,
                to.1
            ),
        }
    }
}

/// What `plan` found: the changes to make, what it will not touch, and
/// notes for stderr (the sudo hint).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// One sentence per refused file or directory, naming it and why.
    pub refused: Vec<String>,
    pub notes: Vec<String>,
    /// Whose config this is by the rules above: the sudo user's inside
    /// their home, else the user running dockercfg (root's own config under
    /// sudo stays root's). `audit` judges owners against it.
    pub owner: (u32, u32),
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
    // SAFETY: geteuid/getegid cannot fail and touch no memory.
    let (euid, egid) = unsafe { (libc::geteuid(), libc::getegid()) };
    match sudo_ids() {
        Some(ids) => ids,
        None => (euid, egid),
    }
}

/// Whether we run under sudo (root, with SUDO_UID set).
#[cfg(unix)]
pub fn under_sudo() -> bool {
    sudo_ids().is_some()
}

/// `(SUDO_UID, SUDO_GID)` when we are root and they are set; SUDO_GID
/// defaults to the user's group in the password database.
#[cfg(unix)]
fn sudo_ids() -> Option<(u32, u32)> {
    // SAFETY: as above.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let env_id = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u32>().ok());
    let uid = env_id("SUDO_UID")?;
    let gid = env_id("SUDO_GID").or_else(|| passwd_entry(uid).map(|p| p.gid))?;
    Some((uid, gid))
}

/// A user as the password database has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: PathBuf,
}

/// `getpwuid_r(uid)`: the user's name, primary group and home directory.
#[cfg(unix)]
pub fn passwd_entry(uid: u32) -> Option<PasswdEntry> {
    use std::ffi::{CStr, OsStr};
    use std::os::unix::ffi::OsStrExt;
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: a zeroed passwd is a valid out-parameter; getpwuid_r
        // fills it with pointers into `buf`, which outlives their use below.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < (1 << 20) {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() || pwd.pw_dir.is_null() {
            return None;
        }
        // SAFETY: non-null, NUL-terminated strings in `buf`.
        let (name, dir) = unsafe { (CStr::from_ptr(pwd.pw_name), CStr::from_ptr(pwd.pw_dir)) };
        return Some(PasswdEntry {
            name: name.to_string_lossy().into_owned(),
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
            home: PathBuf::from(OsStr::from_bytes(dir.to_bytes())),
        });
    }
}

/// A user's name for messages: `alice`, or `uid 1234` when unknown.
#[cfg(unix)]
pub fn user_label(uid: u32) -> String {
    match passwd_entry(uid) {
        Some(p) => format!("{} (uid {uid})", p.name),
        None => format!("uid {uid}"),
    }
}

/// The note for a run under sudo on a config outside the sudo user's home
/// (sudo kept root's HOME): whose file this is, and how to name theirs.
#[cfg(unix)]
fn sudo_hint(config_path: &Path, uid: u32, entry: Option<&PasswdEntry>, command: &str) -> String {
    use crate::shell::quote as shell_quote;
    let who = entry.map_or_else(|| format!("uid {uid}"), |e| e.name.clone());
    let mut note = format!(
        "running under sudo on {}, which is not in {who}'s home directory: this works on it as root's config and gives nothing to {who}",
        config_path.display()
    );
    if let Some(e) = entry {
        let cmd = if config_path.file_name() == Some("config.json".as_ref()) {
            format!(
                "sudo dockercfg --config {} {command}",
                shell_quote(&e.home.join(".docker").to_string_lossy())
            )
        } else {
            format!(
                "sudo -u {} dockercfg --podman {command}",
                shell_quote(&e.name)
            )
        };
        note.push_str(&format!("; for {who}'s config run: {cmd}"));
    }
    note
}

/// The home of the user under sudo, if it is a real directory that can
/// hold a config: canonical, and not `/` (some system users have `/`).
#[cfg(unix)]
fn usable_home(p: &PasswdEntry) -> Option<PathBuf> {
    let home = std::fs::canonicalize(&p.home).ok()?;
    (home.is_absolute() && home != Path::new("/") && home.is_dir()).then_some(home)
}

#[cfg(unix)]
fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// The changes that would make the config private to its user, and what
/// is refused. `command` is how the caller was run (`fix-perms`,
/// `audit --fix`), for the hint shown under sudo.
#[cfg(unix)]
pub fn plan(config_path: &Path, command: &str) -> Result<Plan> {
    let mut out = Plan::default();
    let dir_named = parent_dir(config_path);
    let Ok(dir_real) = std::fs::canonicalize(&dir_named) else {
        return Ok(out);
    };
    let file_real = std::fs::canonicalize(config_path).ok();
    let file_link = is_symlink(config_path);
    let dir_link = is_symlink(&dir_named);
    // A config.json linking out of its directory, or a directory that is
    // itself a link: what it leads to is not the user's config directory.
    let file_leaves = file_link
        && file_real
            .as_deref()
            .is_some_and(|f| !f.starts_with(&dir_real));
    let dir_target = match &file_real {
        Some(f) => parent_dir(f),
        None => dir_real.clone(),
    };

    // SAFETY: geteuid/getegid cannot fail and touch no memory.
    let me = unsafe { (libc::geteuid(), libc::getegid()) };
    // Whose config this is, and whether root's takeover may be undone.
    let (owner, may_chown) = match sudo_ids() {
        None | Some((0, _)) => (me, false),
        Some((uid, gid)) => {
            let entry = passwd_entry(uid);
            let home = entry.as_ref().and_then(usable_home);
            let inside = |p: &Path| home.as_deref().is_some_and(|h| p.starts_with(h));
            if inside(&dir_real) && inside(&dir_target) {
                ((uid, gid), true)
            } else {
                out.notes
                    .push(sudo_hint(config_path, uid, entry.as_ref(), command));
                (me, false)
            }
        }
    };
    out.owner = owner;

    let file = file_real.map(|f| (f, 0o600, file_leaves || dir_link, false));
    let dir = Some((dir_target, 0o700, file_leaves || dir_link, true));
    for (path, want, via_link, is_dir) in [file, dir].into_iter().flatten() {
        // Not even opened unless it is a file or directory (opening a
        // device can act on it); the descriptor's fstat below decides.
        let looks_right = std::fs::symlink_metadata(&path).is_ok_and(|m| {
            if is_dir {
                m.is_dir()
            } else {
                m.is_file()
            }
        });
        if !looks_right {
            out.refused.push(format!(
                "{} is not a {}; left as it is",
                path.display(),
                if is_dir { "directory" } else { "regular file" }
            ));
            continue;
        }
        let handle = match open_nofollow(&path, is_dir) {
            Ok(h) => h,
            Err(e) => {
                out.refused.push(format!(
                    "{}: cannot open it without following links ({}); left as it is",
                    path.display(),
                    crate::config::describe_io(&e)
                ));
                continue;
            }
        };
        let st = handle.stat()?;
        let kind_ok = if is_dir {
            st.st_mode & libc::S_IFMT == libc::S_IFDIR
        } else {
            st.st_mode & libc::S_IFMT == libc::S_IFREG
        };
        if !kind_ok {
            out.refused.push(format!(
                "{} is not a {}; left as it is",
                path.display(),
                if is_dir { "directory" } else { "regular file" }
            ));
            continue;
        }
        let (uid, gid, mode) = (st.st_uid, st.st_gid, st.st_mode as u32 & 0o7777);
        if via_link && (uid != owner.0 || owner.0 == 0) {
            let link = if dir_link && !file_leaves {
                &dir_named
            } else {
                config_path
            };
            let why = if owner.0 == 0 {
                "run as root, dockercfg changes nothing that a link leads it to outside the config directory".to_string()
            } else {
                format!(
                    "it belongs to {}, not to {}",
                    user_label(uid),
                    user_label(owner.0)
                )
            };
            out.refused.push(format!(
                "{} is reached through the symbolic link {}, which leads out of {}: left as it is (mode {mode:04o}, owner {}): {why}",
                path.display(),
                link.display(),
                dir_named.display(),
                user_label(uid),
            ));
            continue;
        }
        let id = (st.st_dev as u64, st.st_ino as u64);
        if mode & 0o777 != want {
            out.changes.push(Change {
                path: path.clone(),
                kind: Kind::Mode {
                    from: mode,
                    to: want,
                },
                is_dir,
                id,
                uid,
            });
        }
        // Only root's takeover is undone, and only for the sudo user: after
        // `sudo docker login` the file is root's and the user gets
        // "permission denied".
        if may_chown && !via_link && uid == 0 && owner.0 != 0 {
            out.changes.push(Change {
                path,
                kind: Kind::Owner {
                    from: (uid, gid),
                    to: owner,
                },
                is_dir,
                id,
                uid,
            });
        }
    }
    Ok(out)
}

#[cfg(any(windows, test))]
mod acl;
#[cfg(windows)]
mod windows;

/// On Windows there are no modes to fix: [`windows::plan`] reads the ACLs
/// and reports who else can get in, with the `icacls` commands that fix it.
#[cfg(windows)]
pub fn plan(config_path: &Path, _command: &str) -> Result<Plan> {
    windows::plan(config_path)
}

#[cfg(not(any(unix, windows)))]
pub fn plan(_config_path: &Path, _command: &str) -> Result<Plan> {
    anyhow::bail!("fixing permissions is not supported on this platform")
}

/// Apply `changes`, each with an error naming the path. Each is made on a
/// descriptor opened without following links, after checking that it is
/// still the file the plan looked at, with the same owner.
pub fn apply(changes: &[Change]) -> Result<()> {
    #[cfg(unix)]
    for c in changes {
        use anyhow::Context as _;
        let what = match c.kind {
            Kind::Mode { .. } => "mode",
            Kind::Owner { .. } => "owner",
        };
        let ctx = || format!("cannot change the {what} of {}", c.path.display());
        let handle = open_nofollow(&c.path, c.is_dir)
            .map_err(|e| anyhow::anyhow!(crate::config::describe_io(&e)))
            .with_context(ctx)?;
        let st = handle.stat().with_context(ctx)?;
        if (st.st_dev as u64, st.st_ino as u64) != c.id || st.st_uid != c.uid {
            return Err(anyhow::anyhow!(
                "it was replaced or changed owner while dockercfg was checking it; nothing changed"
            ))
            .with_context(ctx);
        }
        match c.kind {
            Kind::Mode { to, .. } => handle.chmod(to),
            Kind::Owner { to, .. } => handle.chown(to),
        }
        .map_err(|e| anyhow::anyhow!(crate::config::describe_io(&e)))
        .with_context(ctx)?;
    }
    #[cfg(not(unix))]
    if !changes.is_empty() {
        anyhow::bail!("fixing permissions is not supported on this platform")
    }
    Ok(())
}

/// A descriptor for one file or directory, opened without following links.
#[cfg(unix)]
struct Handle {
    fd: std::os::fd::OwnedFd,
    /// Opened with O_PATH (we may not read it): fchmod cannot use it.
    path_only: bool,
}

#[cfg(unix)]
impl Handle {
    fn stat(&self) -> std::io::Result<libc::stat> {
        use std::os::fd::AsRawFd;
        // SAFETY: a zeroed stat is a valid out-parameter for fstat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstat(self.fd.as_raw_fd(), &mut st) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(st)
    }

    fn chmod(&self, mode: u32) -> std::io::Result<()> {
        use std::os::fd::AsRawFd;
        let fd = self.fd.as_raw_fd();
        let rc = if self.path_only {
            // Linux cannot fchmod an O_PATH descriptor; its /proc magic
            // link names exactly the file opened, never a swapped one.
            let p = std::ffi::CString::new(format!("/proc/self/fd/{fd}")).expect("no NUL");
            // SAFETY: a valid C string.
            unsafe { libc::chmod(p.as_ptr(), mode as libc::mode_t) }
        } else {
            // SAFETY: fd is open for the lifetime of self.
            unsafe { libc::fchmod(fd, mode as libc::mode_t) }
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    fn chown(&self, (uid, gid): (u32, u32)) -> std::io::Result<()> {
        std::os::unix::fs::fchown(&self.fd, Some(uid), Some(gid))
    }
}

/// Open the absolute, symlink-free `path` one component at a time, each
/// with O_NOFOLLOW, so that no link anywhere on it is followed.
#[cfg(unix)]
fn open_nofollow(path: &Path, is_dir: bool) -> std::io::Result<Handle> {
    use std::ffi::CString;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Component;

    #[cfg(any(target_os = "linux", target_os = "android"))]
    const SEARCH: libc::c_int = libc::O_PATH;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const SEARCH: libc::c_int = libc::O_RDONLY;

    let invalid = || std::io::Error::from(std::io::ErrorKind::InvalidInput);
    let open_at = |dir: Option<&OwnedFd>, name: &[u8], flags: libc::c_int| {
        let c = CString::new(name).map_err(|_| invalid())?;
        let at = dir.map_or(libc::AT_FDCWD, |d| d.as_raw_fd());
        // SAFETY: a valid C string and directory descriptor.
        let fd = unsafe { libc::openat(at, c.as_ptr(), flags | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a new descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    };

    let mut comps = path.components();
    if comps.next() != Some(Component::RootDir) {
        return Err(invalid());
    }
    let names: Vec<&[u8]> = comps
        .map(|c| match c {
            Component::Normal(n) => Ok(n.as_bytes()),
            _ => Err(invalid()),
        })
        .collect::<std::io::Result<_>>()?;
    let mut dir = open_at(None, b"/", SEARCH | libc::O_DIRECTORY)?;
    let Some((last, parents)) = names.split_last() else {
        return Err(invalid());
    };
    for name in parents {
        dir = open_at(
            Some(&dir),
            name,
            SEARCH | libc::O_DIRECTORY | libc::O_NOFOLLOW,
        )?;
    }
    // O_NONBLOCK: a FIFO swapped in must not block the open; O_NOCTTY: a
    // terminal must not become ours.
    let kind = if is_dir { libc::O_DIRECTORY } else { 0 };
    let flags = kind | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY;
    match open_at(Some(&dir), last, flags | libc::O_RDONLY) {
        Ok(fd) => Ok(Handle {
            fd,
            path_only: false,
        }),
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Err(e) if e.raw_os_error() == Some(libc::EACCES) => Ok(Handle {
            fd: open_at(Some(&dir), last, kind | libc::O_NOFOLLOW | libc::O_PATH)?,
            path_only: true,
        }),
        Err(e) => Err(e),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    fn set(p: &Path, m: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    }

    /// A file and its directory, 0644 in 0755, and a victim elsewhere.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("docker");
        std::fs::create_dir(&dir).unwrap();
        set(&dir, 0o755);
        let cfg = dir.join("config.json");
        std::fs::write(&cfg, "{}").unwrap();
        set(&cfg, 0o644);
        let victim = t.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        std::fs::write(victim.join("config.json"), "x").unwrap();
        set(&victim.join("config.json"), 0o644);
        set(&victim, 0o755);
        (t, cfg, victim)
    }

    #[test]
    fn a_file_swapped_for_a_link_after_the_plan_is_not_changed() {
        let (_t, cfg, victim) = setup();
        let plan = plan(&cfg, "fix-perms").unwrap();
        assert_eq!(plan.changes.len(), 2, "{plan:?}");
        std::fs::remove_file(&cfg).unwrap();
        symlink(victim.join("config.json"), &cfg).unwrap();
        let err = apply(&plan.changes).unwrap_err();
        assert!(
            format!("{err:#}").contains("cannot change the mode"),
            "{err:#}"
        );
        assert_eq!(mode(&victim.join("config.json")), 0o644);
    }

    #[test]
    fn a_directory_swapped_for_a_link_after_the_plan_is_not_changed() {
        let (_t, cfg, victim) = setup();
        let plan = plan(&cfg, "fix-perms").unwrap();
        let dir = cfg.parent().unwrap();
        std::fs::rename(dir, dir.with_extension("old")).unwrap();
        symlink(&victim, dir).unwrap();
        assert!(apply(&plan.changes).is_err());
        assert_eq!(mode(&victim), 0o755);
        assert_eq!(mode(&victim.join("config.json")), 0o644);
    }

    #[test]
    fn a_file_replaced_by_another_after_the_plan_is_not_changed() {
        let (_t, cfg, _victim) = setup();
        let plan = plan(&cfg, "fix-perms").unwrap();
        let new = cfg.with_extension("new");
        std::fs::write(&new, "{}").unwrap();
        set(&new, 0o644);
        std::fs::rename(&new, &cfg).unwrap();
        let err = apply(&plan.changes).unwrap_err();
        assert!(format!("{err:#}").contains("replaced"), "{err:#}");
        assert_eq!(mode(&cfg), 0o644);
    }
}
