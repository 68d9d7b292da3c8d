//! The one path that changes a config file on disk.
//!
//! `update` takes an exclusive lock, re-reads the file under it, applies the
//! caller's edit, and replaces the file atomically: a temp file beside the
//! target, fsync, rename, fsync of the directory. A symlinked config.json has
//! its target replaced and the link kept (as docker does); the old file's owner
//! is kept, and its mode too but never looser than 0600 (a warning says when
//! bits were dropped); a new file is 0600 in a 0700 directory.
//!
//! Docker neither locks nor fsyncs: 50 concurrent `docker logout`s lose most
//! of their removals (COMPAT.md). Here every writer waits for the lock, and
//! reads what the previous writer left before changing it.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};

use super::{describe_io, Config};

/// Temp files are named `.<file>.dockercfg-XXXXXX.tmp`; one left behind by a
/// killed process is removed by the next writer, under the lock.
const TEMP_MARK: &str = ".dockercfg-";
const TEMP_SUFFIX: &str = ".tmp";

/// What `update` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The edit changed nothing, so the file was not touched.
    Unchanged,
    Written,
}

/// Lock the config at `path`, re-read it, let `edit` change it, and write the
/// result if it differs. If `edit` fails, nothing is written.
pub fn update<T>(
    path: &Path,
    lock_timeout: Duration,
    edit: impl FnOnce(&mut Config) -> Result<T>,
) -> Result<(T, Written)> {
    update_inner(path, None, lock_timeout, |c, _| edit(c))
}

/// `update`, for a caller that already read the config: if the file under
/// the lock still has the same text, that parse is used instead of parsing
/// it again (the parse is most of the cost on a large file).
pub fn update_from<T>(
    known: Config,
    lock_timeout: Duration,
    edit: impl FnOnce(&mut Config) -> Result<T>,
) -> Result<(T, Written)> {
    update_known(known, lock_timeout, |c, _| edit(c))
}

/// `update_from`, telling `edit` whether the config it is given is `known`
/// itself (true: the file under the lock still holds the text `known` was
/// parsed from), so that what the caller worked out from `known` still
/// holds and need not be worked out again on 100,000 keys.
pub fn update_known<T>(
    known: Config,
    lock_timeout: Duration,
    edit: impl FnOnce(&mut Config, bool) -> Result<T>,
) -> Result<(T, Written)> {
    let path = known.path.clone();
    update_inner(&path, Some(known), lock_timeout, edit)
}

/// The write lock, taken when it was free, with the config read under it
/// (`try_lock_and_load`). While it is held no other dockercfg writes the
/// file, so `update` edits and writes the config read here without reading
/// the file a second time.
pub struct Held {
    _lock: DirLock,
    target: PathBuf,
}

/// Take the write lock on the config at `path` if it is free right now, and
/// read the file under it: a caller that may write it (logout) then reads
/// it once instead of before and again under the lock (#17).
///
/// `Ok(None)`, with nothing created or read, when the lock is held by
/// another process (the caller waits for it later, as `update` does, and
/// does not block meanwhile), when the directory does not exist or cannot
/// be locked, or when the file cannot be read or parsed (the caller's own
/// read and `update` say why, as before).
pub fn try_lock_and_load(path: &Path) -> Option<(Held, Config)> {
    let target = resolve_symlinks(path).ok()?;
    let dir = parent_dir(&target);
    let lock = DirLock::try_acquire(&dir, &target)?;
    // A file that cannot be read or parsed: the caller's own read says so,
    // naming the path as the user gave it.
    let mut config = Config::load(&target).ok()?;
    config.path = path.to_path_buf();
    Some((
        Held {
            _lock: lock,
            target,
        },
        config,
    ))
}

impl Held {
    /// `update` under this lock: `edit` changes `config` (the one
    /// `try_lock_and_load` read: the file cannot have changed since), and
    /// the result is written if it differs. If `edit` fails, nothing is
    /// written. The lock is let go when this returns.
    pub fn update<T>(
        self,
        mut config: Config,
        edit: impl FnOnce(&mut Config) -> Result<T>,
    ) -> Result<(T, Written)> {
        let out = edit(&mut config)?;
        let written = write_if_changed(&parent_dir(&self.target), &self.target, &config)?;
        Ok((out, written))
    }
}

/// Under the lock: write `config` to `target` if an edit changed it, first
/// removing the temp files a killed writer left.
fn write_if_changed(dir: &Path, target: &Path, config: &Config) -> Result<Written> {
    if !config.doc.changed() {
        return Ok(Written::Unchanged);
    }
    remove_stale_temp_files(dir, target);
    replace_file(target, config.text().as_bytes())
        .with_context(|| format!("cannot write {}", config.path.display()))?;
    Ok(Written::Written)
}

fn update_inner<T>(
    path: &Path,
    known: Option<Config>,
    lock_timeout: Duration,
    edit: impl FnOnce(&mut Config, bool) -> Result<T>,
) -> Result<(T, Written)> {
    let target = resolve_symlinks(path)?;
    let dir = parent_dir(&target);
    if !dir.exists() {
        create_private_dir(&dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    let _lock = DirLock::acquire(&dir, &target, lock_timeout)?;

    // Re-read under the lock: another writer may have changed the file
    // since the caller read it.
    let (mut config, same) = match known {
        Some(k) if k.exists && !k.doc.changed() && reads_the_same(&target, k.text()) => (k, true),
        _ => (Config::load(&target)?, false),
    };
    config.path = path.to_path_buf();
    let out = edit(&mut config, same)?;
    let written = write_if_changed(&dir, &target, &config)?;
    Ok((out, written))
}

/// Whether the file at `target` holds exactly `text`, compared piece by
/// piece: a second buffer of the whole file was a third of a logout's
/// memory on a 10 MB config (#17).
fn reads_the_same(target: &Path, text: &str) -> bool {
    use std::io::Read;
    // Not opened unless it is a regular file (opening a FIFO would block).
    if fs::metadata(target).map_or(true, |m| !m.is_file() || m.len() != text.len() as u64) {
        return false;
    }
    let Ok(mut f) = File::open(target) else {
        return false;
    };
    let mut want = text.as_bytes();
    let mut buf = vec![0u8; (256 * 1024).min(want.len() + 1)];
    loop {
        let n = match f.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if n == 0 {
            return want.is_empty();
        }
        if n > want.len() || buf[..n] != want[..n] {
            return false;
        }
        want = &want[n..];
    }
}

/// Follow a chain of symlinks to the file that is really written. A missing
/// final target is fine (it will be created); a loop is an error.
fn resolve_symlinks(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)
                    .with_context(|| format!("cannot read link {}", p.display()))?;
                p = parent_dir(&p).join(link);
            }
            _ => return Ok(p),
        }
    }
    bail!(
        "cannot write {}: too many levels of symbolic links",
        path.display()
    )
}

fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// An exclusive lock that lives as long as this value.
///
/// On Unix the lock is taken on the directory itself: the directory is never
/// replaced (the file is, by rename, so a lock on the file would not exclude a
/// writer that opened the new one) and no lock file is left in ~/.docker.
/// Elsewhere a `<file>.lock` beside the target serves.
struct DirLock {
    _file: File,
}

impl DirLock {
    /// The file the lock is taken on, and the path named in messages: the
    /// directory itself on Unix, `NAME.lock` beside the file elsewhere.
    fn open(dir: &Path, target: &Path) -> (std::io::Result<File>, PathBuf) {
        #[cfg(unix)]
        {
            let _ = target;
            (File::open(dir), dir.to_path_buf())
        }
        #[cfg(not(unix))]
        {
            let mut name = target.file_name().unwrap_or_default().to_os_string();
            name.push(".lock");
            let p = dir.join(name);
            (
                // The lock file's content is never used: keep it.
                fs::OpenOptions::new()
                    .create(true)
                    .write(true)
                    .truncate(false)
                    .open(&p),
                p,
            )
        }
    }

    /// The lock if it is free now; None if it is held or cannot be taken.
    fn try_acquire(dir: &Path, target: &Path) -> Option<DirLock> {
        // A missing directory: the open fails, and nothing is created.
        let file = Self::open(dir, target).0.ok()?;
        file.try_lock().ok()?;
        Some(DirLock { _file: file })
    }

    fn acquire(dir: &Path, target: &Path, timeout: Duration) -> Result<DirLock> {
        let (file, what) = Self::open(dir, target);
        let file = file
            .map_err(|e| anyhow!(describe_io(&e)))
            .with_context(|| format!("cannot lock {}", what.display()))?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(DirLock { _file: file }),
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => {
                    return Err(anyhow!(describe_io(&e)))
                        .with_context(|| format!("cannot lock {}", what.display()))
                }
            }
            if start.elapsed() >= timeout {
                bail!(
                    "timed out after {}s waiting for the lock on {}: {}",
                    timeout.as_secs_f32(),
                    what.display(),
                    who_holds(&file, target)
                );
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(25));
        }
    }
}

/// Who holds the lock on `file`, as far as the system tells: the process
/// and its user from /proc/locks (Linux), and what to do about it. A user
/// who can open a 0755 directory can hold its lock forever; that is not
/// "another dockercfg", and the way out is a private directory.
fn who_holds(file: &File, target: &Path) -> String {
    const DEFAULT: &str = "another process holds it (another dockercfg writing, or a process of another user who can open the directory); see --lock-timeout";
    #[cfg(target_os = "linux")]
    {
        use crate::perms::user_label;
        use crate::shell::quote as shell_quote;
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = file.metadata() else {
            return DEFAULT.into();
        };
        let Some(pid) = lock_pid(meta.dev(), meta.ino()) else {
            return DEFAULT.into();
        };
        let proc_dir = PathBuf::from(format!("/proc/{pid}"));
        let comm = fs::read_to_string(proc_dir.join("comm"))
            .map(|c| c.trim().to_string())
            .unwrap_or_default();
        let comm: String = comm.chars().filter(|c| !c.is_control()).collect();
        let process = if comm.is_empty() {
            format!("process {pid}")
        } else {
            format!("process {pid} ({comm})")
        };
        let Some(uid) = fs::metadata(&proc_dir).ok().map(|m| m.uid()) else {
            return format!("{process} holds it; see --lock-timeout");
        };
        // SAFETY: geteuid cannot fail and touches no memory.
        let me = unsafe { libc::geteuid() };
        if uid == me {
            return format!("{process} holds it; see --lock-timeout");
        }
        let who = user_label(uid);
        let dir = parent_dir(target);
        let mut msg = format!("it is held by {process} of user {who}, which is not you");
        if meta.uid() == me && meta.mode() & 0o044 != 0 {
            let fix = if target.file_name() == Some("config.json".as_ref()) {
                format!(
                    "dockercfg --config {} fix-perms",
                    shell_quote(&dir.to_string_lossy())
                )
            } else {
                format!(
                    "dockercfg --authfile {} fix-perms",
                    shell_quote(&target.to_string_lossy())
                )
            };
            msg.push_str(&format!(
                ": the directory is mode {:04o}, so other users can open and lock it; run `{fix}` to make it 0700, then end process {pid} (or ask its owner or an administrator to)",
                meta.mode() & 0o7777
            ));
        } else {
            msg.push_str(&format!(
                "; wait for process {pid} to end, or ask its owner or an administrator to end it"
            ));
        }
        msg
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, target);
        DEFAULT.into()
    }
}

/// The pid holding a lock on the inode (`dev`, `ino`), from /proc/locks
/// (`1: FLOCK  ADVISORY  WRITE 1234 fe:00:10019668 0 EOF`; waiters are
/// marked `->` and skipped). None when no line names it, or the holder's
/// pid is not visible here (another pid namespace shows 0, OFD locks -1).
#[cfg(target_os = "linux")]
fn lock_pid(dev: u64, ino: u64) -> Option<u32> {
    let (major, minor) = (libc::major(dev) as u64, libc::minor(dev) as u64);
    let text = fs::read_to_string("/proc/locks").ok()?;
    text.lines().find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.get(1) == Some(&"->") || f.len() < 6 {
            return None;
        }
        let mut id = f[5].split(':');
        let maj = u64::from_str_radix(id.next()?, 16).ok()?;
        let min = u64::from_str_radix(id.next()?, 16).ok()?;
        let i: u64 = id.next()?.parse().ok()?;
        let pid: i64 = f[4].parse().ok()?;
        ((maj, min, i) == (major, minor, ino) && pid > 0).then_some(pid as u32)
    })
}

/// Remove temp files of ours left by a killed writer (they may hold
/// secrets). Only called under the lock, so no live writer owns them, and
/// only before a write: an edit that changes nothing lists nothing.
fn remove_stale_temp_files(dir: &Path, target: &Path) {
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}{TEMP_MARK}");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if n.starts_with(&prefix) && n.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Write `bytes` to a temp file beside `target` and rename it over `target`.
fn replace_file(target: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = fs::metadata(target).ok();
    // tempfile creates the file 0600 whatever the umask, so the secret is
    // never readable by others, even for an instant.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}{TEMP_MARK}"))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)
        .map_err(|e| anyhow!(describe_io(&e)))
        .context("cannot create a temporary file")?;
    tmp.write_all(bytes)
        .map_err(|e| anyhow!(describe_io(&e)))
        .context("cannot write the temporary file")?;
    #[cfg(unix)]
    if let Some(old) = &old {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let f = tmp.as_file();
        // Keep the old mode, but never looser than 0600: a config holding
        // secrets that others can read is a finding, not a choice to keep.
        let was = old.mode() & 0o7777;
        let mode = was & 0o600;
        if mode != was {
            crate::output::warn(&format!(
                "{} was mode {was:04o}; written as {mode:04o} so that only its owner can read it",
                target.display()
            ));
        }
        // The temp file is 0600 already unless the umask took bits away:
        // no chmod then (one system call fewer on every write, #17).
        let mine = f.metadata()?;
        if mine.mode() & 0o7777 != mode {
            f.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| anyhow!(describe_io(&e)))
                .context("cannot set the file mode")?;
        }
        if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
            // Keep the owner when we may (root editing a user's file); an
            // unprivileged user cannot give files away, and the file is
            // then theirs, as with docker.
            let _ = std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid()));
        }
    }
    let _ = old;
    tmp.as_file()
        .sync_all()
        .map_err(|e| anyhow!(describe_io(&e)))
        .context("cannot flush the temporary file to disk")?;
    persist(tmp, target)
        .map_err(|e| anyhow!(describe_io(&e)))
        .context("cannot replace the file")?;
    sync_dir(&dir);
    Ok(())
}

/// Rename the temp file over `target`.
///
/// On Windows the rename fails with "access denied" (or a sharing
/// violation) while any process has `target` open, even for a moment: a
/// dockercfg or docker reading it without the lock, an indexer, a virus
/// scanner. We hold the lock, so no writer is in the way and the reader
/// will close the file shortly; retry for up to 2 s, as Go's own tool does
/// for the same reason (cmd/go/internal/robustio). Seen under wine: 3 of 8
/// concurrent logins failed with "access denied" without this.
fn persist(tmp: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        let start = Instant::now();
        let mut tmp = tmp;
        loop {
            match tmp.persist(target) {
                Ok(_) => return Ok(()),
                Err(e)
                    if is_transient_rename_error(&e.error)
                        && start.elapsed() < Duration::from_secs(2) =>
                {
                    tmp = e.file;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(e.error),
            }
        }
    }
    #[cfg(not(windows))]
    tmp.persist(target).map(|_| ()).map_err(|e| e.error)
}

/// ERROR_ACCESS_DENIED (5) and ERROR_SHARING_VIOLATION (32).
#[cfg(windows)]
fn is_transient_rename_error(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(5) | Some(32))
}

/// fsync the directory so the rename itself survives a crash.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t}\n\t}\n}";

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, TEXT).unwrap();
        (dir, path)
    }

    #[test]
    fn update_known_says_whether_the_file_is_as_read() {
        let (_dir, path) = setup();
        let t = Duration::from_secs(5);
        let known = Config::load(&path).unwrap();
        let (same, w) = update_known(known, t, |_, same| Ok(same)).unwrap();
        assert!(same);
        assert_eq!(w, Written::Unchanged);
        // Changed on disk after the read, to a text of the same length: the
        // config under the lock is the new one.
        let known = Config::load(&path).unwrap();
        fs::write(&path, TEXT.replace("a.io", "b.io")).unwrap();
        let (same, w) = update_known(known, t, |c, same| {
            assert!(c.text().contains("b.io"));
            assert!(c.remove_auth("b.io"));
            Ok(same)
        })
        .unwrap();
        assert!(!same);
        assert_eq!(w, Written::Written);
        assert!(!fs::read_to_string(&path).unwrap().contains("b.io"));
        // Longer, and shorter.
        for text in [
            format!("{TEXT}\n"),
            TEXT[..TEXT.len() - 1].to_string() + " }",
        ] {
            fs::write(&path, TEXT).unwrap();
            let known = Config::load(&path).unwrap();
            fs::write(&path, &text).unwrap();
            let (same, _) = update_known(known, t, |c, same| {
                assert_eq!(c.text(), text);
                Ok(same)
            })
            .unwrap();
            assert!(!same);
        }
    }

    #[test]
    fn try_lock_and_load_takes_only_a_free_lock_and_writes_under_it() {
        let (dir, path) = setup();
        let (held, config) = try_lock_and_load(&path).expect("the lock is free");
        assert_eq!(config.text(), TEXT);
        // Held: neither a second try nor a waiting writer gets it.
        assert!(try_lock_and_load(&path).is_none());
        let err = update(&path, Duration::from_millis(50), |_| Ok(())).unwrap_err();
        assert!(format!("{err:#}").contains("timed out"), "{err:#}");
        let (n, w) = held
            .update(config, |c| Ok(c.remove_auths(&["a.io".to_string()])))
            .unwrap();
        assert_eq!((n, w), (1, Written::Written));
        assert!(!fs::read_to_string(&path).unwrap().contains("a.io"));
        // Let go once written.
        let (held, config) = try_lock_and_load(&path).expect("free again");
        let before = fs::metadata(&path).unwrap();
        let (_, w) = held.update(config, |_| Ok(())).unwrap();
        assert_eq!(w, Written::Unchanged);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&path).unwrap().ino(), before.ino());
        }
        let _ = (before, dir);
    }

    #[test]
    fn try_lock_and_load_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-yet");
        assert!(try_lock_and_load(&missing.join("config.json")).is_none());
        assert!(!missing.exists());
        // A directory without the file: locked, an empty config.
        let (held, config) = try_lock_and_load(&dir.path().join("config.json")).unwrap();
        assert!(!config.exists());
        drop(held);
        // A file that does not parse: None, for the caller's own read to
        // report with the path as the user gave it.
        fs::write(dir.path().join("bad.json"), "{").unwrap();
        assert!(try_lock_and_load(&dir.path().join("bad.json")).is_none());
    }

    #[test]
    fn an_edit_that_writes_the_same_bytes_leaves_the_file_alone() {
        let (_dir, path) = setup();
        let before = fs::metadata(&path).unwrap();
        let (_, w) = update(&path, Duration::from_secs(5), |c| {
            c.set_auth("a.io", serde_json::json!({"auth": "YTpi"}));
            c.set_auths(vec![("a.io".into(), serde_json::json!({"auth": "YTpi"}))]);
            Ok(())
        })
        .unwrap();
        assert_eq!(w, Written::Unchanged);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&path).unwrap().ino(), before.ino());
        }
        let _ = before;
        assert_eq!(fs::read_to_string(&path).unwrap(), TEXT);
    }
}
