//! Where config.json is: `--config`, else `$DOCKER_CONFIG`, else `~/.docker`.
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
    match dirs::home_dir() {
        Some(home) => Ok(home.join(".docker").join(FILE_NAME)),
        None => bail!("cannot find the home directory; pass --config or set DOCKER_CONFIG"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
