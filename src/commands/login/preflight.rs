//! What `login` checks before it asks anything: that the login can be
//! stored, and which username is logged in already (the prompt's default).

use anyhow::{Context as _, Result};

use super::check_default_store;
use crate::config::Config;
use crate::context::Context;
use crate::logins::store::Store;

/// The username the file holds for `key` in plaintext (not an identity
/// token's `<token>`): the prompt's default.
pub(super) fn file_username(config: &Config, key: &str) -> Option<String> {
    config
        .auths()
        .find(|(k, _)| *k == key)
        .and_then(|(_, e)| e.username)
        .filter(|u| !u.is_empty() && u != crate::auth::TOKEN_USERNAME)
}

/// Where a login would be stored, for [`check_store`].
pub(super) struct StoreCheck<'a> {
    pub store: &'a Store,
    /// The helper docker would pick for a file with no logins (it becomes
    /// credsStore), if that is where the login goes.
    pub default_store: Option<&'static str>,
    /// The registry as the helper is asked about it.
    pub registry: &'a str,
    /// Whether a server URL the helper lists is this registry.
    pub same: &'a dyn Fn(&str) -> bool,
}

/// Before any prompt, that the login can be stored: the file can be
/// written (it is, even when a helper holds the secret) and the helper
/// runs and answers `list`. Nobody should type a password only to be told
/// the keychain is missing. Returns the username the helper holds for the
/// registry (`list` gives usernames, never secrets): the prompt's default.
///
/// Only before prompts: with every credential on the command line or on
/// stdin, `login` runs as it always has (the store is checked when it is
/// written to, under the lock).
pub(super) fn check_store(
    ctx: &Context,
    config: &Config,
    check: &StoreCheck,
) -> Result<Option<String>> {
    check_writable(&ctx.config_path)?;
    if let Some(name) = check.default_store {
        check_default_store(ctx, name)?;
        return Ok(None);
    }
    let Some(h) = check.store.helper() else {
        return Ok(None);
    };
    let listed = ctx
        .helper_for(h, config, Some(check.registry))
        .list()
        .with_context(|| format!("cannot store the credentials for {}", check.registry))?;
    Ok(listed
        .into_iter()
        .find(|(url, _)| (check.same)(url))
        .map(|(_, user)| user)
        .filter(|u| !u.is_empty() && u != crate::auth::TOKEN_USERNAME))
}

/// Whether the write path could replace `path`: it writes a temporary file
/// beside the file it points to and renames it over, so that directory (or,
/// when it does not exist yet, the nearest one that does, where it will be
/// created) must be writable. Root passes, as it would when writing.
fn check_writable(path: &std::path::Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        while !dir.exists() {
            match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => dir = p.to_path_buf(),
                _ => break,
            }
        }
        let c =
            std::ffi::CString::new(dir.as_os_str().as_bytes()).context("a path with a NUL byte")?;
        // SAFETY: a valid NUL-terminated path; access only reads it.
        if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
            let e = std::io::Error::last_os_error();
            anyhow::bail!(
                "cannot write {}: cannot create files in {} ({e})",
                path.display(),
                dir.display()
            );
        }
    }
    // Elsewhere the write itself says what is wrong (Windows ACLs are not
    // worth guessing from here).
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
