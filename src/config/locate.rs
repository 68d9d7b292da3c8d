//! Where config.json is: `--config`, else `$DOCKER_CONFIG`, else `~/.docker`.
//! Where a containers auth.json is: `--authfile`, else (with `--podman`)
//! `$REGISTRY_AUTH_FILE`, else podman's primary file ([`podman_auth_file`]).
//!
//! `--config` takes a directory holding config.json, as `docker --config`
//! does; a path ending in `.json` (or naming an existing file) is taken as the
//! file itself, which is handy for other tools' files.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

pub const FILE_NAME: &str = "config.json";

/// Resolve the config file path. `flag` is `--config`, `env_dir` is
/// `$DOCKER_CONFIG`.
pub fn locate(flag: Option<&Path>, env_dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        let is_file = p.extension().is_some_and(|e| e == "json") || p.is_file();
        return Ok(if is_file {
            p.to_path_buf()
        } else {
            p.join(FILE_NAME)
        });
    }
    if let Some(d) = env_dir.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(d.join(FILE_NAME));
    }
    match home_dir() {
        Some(home) => Ok(home.join(".docker").join(FILE_NAME)),
        None => bail!("cannot find the home directory; pass --config or set DOCKER_CONFIG"),
    }
}

/// The user's home directory as docker finds it. On Windows that is
/// `%USERPROFILE%` (docker/cli's `homedir.Get`, Go's `os.UserHomeDir`), which
/// a user or a test may point elsewhere; `dirs` asks the shell for the profile
/// folder and would ignore it, so it is only the fallback. Elsewhere `$HOME`,
/// as `dirs` reads it.
pub fn home_dir() -> Option<PathBuf> {
    #[cfg(windows)]
    if let Some(p) = std::env::var_os("USERPROFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::home_dir()
}

/// What podman's default auth.json depends on, read from the environment
/// once so the rule can be tested without touching it.
#[derive(Debug, Clone, Default)]
pub struct PodmanEnv {
    /// `$REGISTRY_AUTH_FILE` (podman, skopeo and buildah's `--authfile` default).
    pub registry_auth_file: Option<PathBuf>,
    /// `$XDG_RUNTIME_DIR`.
    pub xdg_runtime_dir: Option<PathBuf>,
    /// The real user id, for `/run/containers/UID/auth.json`.
    pub uid: u32,
    /// The home directory (the file's place off Linux).
    pub home: Option<PathBuf>,
    /// Whether this is Linux (elsewhere containers/image uses
    /// `~/.config/containers/auth.json`).
    pub linux: bool,
}

impl PodmanEnv {
    /// This process's environment. Empty variables count as unset, as in
    /// containers/image.
    pub fn from_process() -> Self {
        let var = |n: &str| {
            std::env::var_os(n)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        PodmanEnv {
            registry_auth_file: var("REGISTRY_AUTH_FILE"),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR"),
            uid: current_uid(),
            home: home_dir(),
            linux: cfg!(target_os = "linux"),
        }
    }
}

#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() }
}

#[cfg(not(unix))]
fn current_uid() -> u32 {
    0
}

/// The containers auth.json to work on: `--authfile` as given, else (for
/// `--podman`) podman's primary file.
pub fn locate_authfile(flag: Option<&Path>, env: &PodmanEnv) -> Result<PathBuf> {
    match flag {
        Some(p) if p.as_os_str().is_empty() => bail!("--authfile is empty; give a file path"),
        Some(p) => Ok(p.to_path_buf()),
        None => podman_auth_file(env),
    }
}

/// The file `podman login` writes (containers/image `getPathToAuthWithOS`,
/// with the `REGISTRY_AUTH_FILE` default podman's `--authfile` has):
/// `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`
/// (the directory must exist: containers/image refuses a dangling
/// XDG_RUNTIME_DIR too), else `/run/containers/UID/auth.json`; off Linux,
/// `~/.config/containers/auth.json`.
pub fn podman_auth_file(env: &PodmanEnv) -> Result<PathBuf> {
    if let Some(f) = &env.registry_auth_file {
        return Ok(f.clone());
    }
    if !env.linux {
        return match &env.home {
            Some(h) => Ok(h.join(".config/containers/auth.json")),
            None => bail!("cannot find the home directory; pass --authfile"),
        };
    }
    if let Some(d) = &env.xdg_runtime_dir {
        if !d.exists() {
            bail!(
                "{} (XDG_RUNTIME_DIR) does not exist: create it, unset XDG_RUNTIME_DIR, or pass --authfile",
                d.display()
            );
        }
        return Ok(d.join("containers").join("auth.json"));
    }
    Ok(PathBuf::from(format!(
        "/run/containers/{}/auth.json",
        env.uid
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_file_order() {
        let tmp = std::env::temp_dir();
        let mut env = PodmanEnv {
            registry_auth_file: Some("/r/auth.json".into()),
            xdg_runtime_dir: Some(tmp.clone()),
            uid: 1000,
            home: Some("/home/u".into()),
            linux: true,
        };
        assert_eq!(podman_auth_file(&env).unwrap(), Path::new("/r/auth.json"));
        assert_eq!(
            locate_authfile(Some(Path::new("/f.json")), &env).unwrap(),
            Path::new("/f.json")
        );
        env.registry_auth_file = None;
        assert_eq!(
            podman_auth_file(&env).unwrap(),
            tmp.join("containers/auth.json")
        );
        env.xdg_runtime_dir = Some("/nonexistent-dockercfg-test".into());
        let e = podman_auth_file(&env).unwrap_err().to_string();
        assert!(
            e.contains("/nonexistent-dockercfg-test") && e.contains("XDG_RUNTIME_DIR"),
            "{e}"
        );
        env.xdg_runtime_dir = None;
        assert_eq!(
            podman_auth_file(&env).unwrap(),
            Path::new("/run/containers/1000/auth.json")
        );
        env.linux = false;
        assert_eq!(
            podman_auth_file(&env).unwrap(),
            Path::new("/home/u/.config/containers/auth.json")
        );
        assert!(locate_authfile(Some(Path::new("")), &env).is_err());
    }

    #[test]
    fn order_of_precedence() {
        let f = locate(Some(Path::new("/x")), Some(Path::new("/e"))).unwrap();
        assert_eq!(f, Path::new("/x/config.json"));
        let f = locate(Some(Path::new("/x/auth.json")), None).unwrap();
        assert_eq!(f, Path::new("/x/auth.json"));
        let f = locate(None, Some(Path::new("/e"))).unwrap();
        assert_eq!(f, Path::new("/e/config.json"));
        let f = locate(None, Some(Path::new(""))).unwrap();
        assert!(f.ends_with(".docker/config.json"));
    }
}
