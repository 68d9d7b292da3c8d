//! Putting a login into a credential helper without ever losing it: the
//! verify-then-write rules `migrate` (file -> helper) and `store` (helper ->
//! helper) share.
//!
//! The order is the safety argument: first ask the target what it already
//! holds ([`probe`]); store only what it lacks, then read it back and compare
//! username and secret ([`store_verified`]); only after that may the caller
//! drop the old copy. A kill at any moment leaves the login in the old place,
//! the new one, or both. Helpers must answer before anything starts
//! ([`check_runs`]). This module spawns through `helper` only and never
//! touches config.json: the callers write it, once, under the lock.

use anyhow::{bail, Result};
use serde_json::Value;

use crate::context::Context;
use crate::helper::{self, Credentials, HelperClient, HelperError};
use crate::Secret;

/// What a target helper holds for a login about to go into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// Exactly this username and secret: nothing to store.
    Same,
    /// Another username or secret for the same server.
    Different,
    /// Nothing for that server.
    Absent,
}

/// Ask `client` what it holds for `want.server_url`. An error is the
/// helper's message with `want`'s secret cut out.
pub fn probe(client: &HelperClient, want: &Credentials) -> Result<Probe, String> {
    match client.get(&want.server_url) {
        Ok(have) if same(&have, want) => Ok(Probe::Same),
        Ok(_) => Ok(Probe::Different),
        Err(e) if e.is_not_found() => Ok(Probe::Absent),
        Err(e) => Err(scrub(e.to_string(), &want.secret)),
    }
}

/// Store `want` in `client`, read it back and compare. Ok only when the
/// helper gave back exactly what was stored.
pub fn store_verified(client: &HelperClient, want: &Credentials) -> Result<(), String> {
    let program = client.program();
    if let Err(e) = client.store(want) {
        return Err(scrub(e.to_string(), &want.secret));
    }
    match client.get(&want.server_url) {
        Ok(have) if same(&have, want) => Ok(()),
        Ok(have) if have.username != want.username => Err(format!(
            "{program} gave back another username after the store"
        )),
        Ok(_) => Err(format!(
            "{program} gave back a different secret after the store"
        )),
        Err(e) => Err(scrub(format!("cannot read it back: {e}"), &want.secret)),
    }
}

fn same(a: &Credentials, b: &Credentials) -> bool {
    a.username == b.username && a.secret == b.secret
}

/// A helper's message must not carry the secret on to the terminal.
pub fn scrub(msg: String, secret: &Secret) -> String {
    if secret.is_empty() {
        msg
    } else {
        msg.replace(secret.expose(), "<redacted>")
    }
}

/// The entry without its secrets: docker's `{}`, keeping `email` and any
/// other field it may hold. A secret's key in any letter case (`"Auth"`)
/// goes too: docker reads it as the field (docs/COMPAT-DECODING.md rule 11).
pub fn placeholder(raw: &Value) -> Value {
    let mut v = raw.clone();
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, _| {
            !["auth", "identitytoken", "username", "password"]
                .iter()
                .any(|f| crate::jsonkey::is_field(k.as_bytes(), f))
        });
    }
    v
}

/// Helper `name` is on PATH, answers `list`, and (for `pass`) can store:
/// else an error ending "nothing was changed", with how to install it.
/// `secrets` are cut out of the helper's messages.
pub fn check_runs(ctx: &Context, name: &str, secrets: &[Secret]) -> Result<()> {
    let client = ctx.helper(name).redacting(secrets.iter().cloned());
    check_answer(name, client.list().map(|_| ()))
}

/// `check_runs`' verdict on a `list` answer already in hand (callers that
/// ask several helpers at once).
pub fn check_answer(name: &str, answer: Result<(), HelperError>) -> Result<()> {
    let program = helper::program_name(name);
    match answer {
        Err(HelperError::Missing { .. }) => bail!(
            "{program} is not installed (not found on PATH); nothing was changed{}",
            install_hint(name).map_or(String::new(), |h| format!("\n{h}"))
        ),
        Err(e) => bail!("{e}; nothing was changed"),
        Ok(()) if name == "pass" && !helper::pass_initialised() => bail!(
            "{program} cannot store anything yet: pass is not initialised; nothing was \
             changed\nSet it up with `gpg --quick-gen-key 'Your Name <you@example.com>'` (if \
             you have no GPG key) and `pass init GPG-ID`"
        ),
        Ok(()) => Ok(()),
    }
}

/// How to install helper `name` on this OS, for the known ones.
pub fn install_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "pass" | "secretservice" if cfg!(target_os = "linux") => {
            "Install a credential helper (a keychain for docker):\n  \
             Debian/Ubuntu: apt install golang-docker-credential-helpers pass\n                 \
             gpg --quick-gen-key 'Your Name <you@example.com>'   # if you have no GPG key\n                 \
             pass init GPG-ID          # docker-credential-pass then works\n  \
             With a desktop keyring (GNOME Keyring, KeePassXC): docker-credential-secretservice, \
             in the same package\n  \
             Elsewhere: docker-credential-pass or -secretservice from \
             https://github.com/docker/docker-credential-helpers/releases"
        }
        "osxkeychain" => {
            "Install docker-credential-osxkeychain: brew install docker-credential-helper \
             (Docker Desktop ships it too)"
        }
        "wincred" => {
            "Install docker-credential-wincred: download it from \
             https://github.com/docker/docker-credential-helpers/releases and put it on PATH \
             (Docker Desktop ships it too)"
        }
        "pass" | "secretservice" => {
            "Install docker-credential-pass or -secretservice from \
             https://github.com/docker/docker-credential-helpers/releases"
        }
        _ => return None,
    })
}

/// The tools that read docker's config.json as a fallback but never its
/// `credsStore` (containers/image): podman, skopeo, buildah. Those on PATH.
pub fn containers_tools_on_path() -> Vec<&'static str> {
    ["podman", "skopeo", "buildah"]
        .into_iter()
        .filter(|t| helper::on_path(t))
        .collect()
}

/// What `migrate` can do with a containers auth.json, where every move
/// needs its own `credHelpers` key (podman, skopeo and buildah ignore
/// `credsStore`) and a helper holds whole registries only.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ContainersMigrate {
    /// The command that moves every plaintext login that can move, quoted;
    /// None when none can.
    pub command: Option<String>,
    /// Plaintext logins no helper can take: namespaced keys, and the
    /// registries they belong to (a helper for `quay.io` would hide
    /// `quay.io/org/repo` from podman).
    pub namespaced: Vec<String>,
    /// Docker Hub's key, if it holds plaintext: its `credHelpers` key
    /// differs between docker and podman, so migrate leaves it.
    pub hub: Option<String>,
}

/// The `migrate` that works for the auth.json `config` (see
/// [`ContainersMigrate`]), naming the helper docker would pick here
/// (`pass` when none is installed).
pub fn containers_migrate(config: &crate::config::Config, ctx: &Context) -> ContainersMigrate {
    use crate::registry::{
        containers_host, is_namespaced, normalize_containers, CONTAINERS_HUB_KEY,
    };
    let plaintext: Vec<(&str, String)> = config
        .auths()
        .filter(|(_, e)| e.has_secret())
        .map(|(k, _)| (k, containers_host(&normalize_containers(k)).to_string()))
        .collect();
    let crowded: std::collections::BTreeSet<String> = config
        .auth_keys()
        .filter(|k| is_namespaced(k))
        .map(|k| containers_host(&normalize_containers(k)).to_string())
        .collect();
    let name = helper::default_store().unwrap_or("pass");
    let mut out = ContainersMigrate::default();
    let mut words: Vec<String> = vec!["migrate".into()];
    for (key, host) in plaintext {
        if host == CONTAINERS_HUB_KEY {
            out.hub = Some(key.to_string());
        } else if is_namespaced(key) || crowded.contains(&host) {
            out.namespaced.push(key.to_string());
        } else {
            let w = format!("{host}={name}");
            if !words.contains(&w) {
                words.push("--helper".into());
                words.push(w);
            }
        }
    }
    if words.len() > 1 {
        out.command = Some(ctx.command(&words));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholder_drops_only_secrets() {
        assert_eq!(
            placeholder(&json!({"auth": "x", "identitytoken": "t", "email": "e"})),
            json!({"email": "e"})
        );
        assert_eq!(
            placeholder(&json!({"username": "u", "password": "p"})),
            json!({})
        );
        // Keys docker reads in any letter case (rule 11).
        assert_eq!(
            placeholder(
                &json!({"Auth": "x", "EMAIL": "e", "IdentityToken": "t", "PASSWORD": "p", "auth s": 1})
            ),
            json!({"EMAIL": "e", "auth s": 1})
        );
    }

    #[test]
    fn scrub_hides_the_secret() {
        let s = Secret::new("hunter2");
        assert_eq!(scrub("bad hunter2!".into(), &s), "bad <redacted>!");
        assert_eq!(scrub("x".into(), &Secret::new("")), "x");
    }
}
