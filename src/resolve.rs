//! Which credentials a client would use for a registry: docker's order
//! (`DOCKER_AUTH_CONFIG`, then the store the config names) or, for a
//! containers auth.json, containers/image's (the registry's credHelper, else
//! the most specific key). `get` prints the answer; `export`, `exec` and
//! `sync` hand it on. This module asks helpers with `get` but never prints.

use anyhow::{bail, Result};

use crate::config::Config;
use crate::context::Context;
use crate::helper::Credentials;
use crate::registry::{self, normalize};
use crate::store::store_in;

/// The credentials docker would use for `registry`, if any:
/// `DOCKER_AUTH_CONFIG` first (exact key, as docker/cli looks it up), then
/// the store the config names.
pub fn resolve(config: &Config, ctx: &Context, registry: &str) -> Result<Option<Credentials>> {
    if !ctx.is_containers() {
        let env = crate::envauth::EnvAuth::from_env();
        if let Some(w) = &env.warning {
            crate::output::warn(w);
        }
        let docker_key = normalize(registry);
        if let Some(entry) = env.lookup(&docker_key) {
            // Found there, docker looks nowhere else, even for an empty entry.
            return Ok(credentials_of(docker_key, &entry));
        }
    }
    resolve_in_config(config, ctx, registry)
}

/// A decoded entry as the protocol's credentials: an identity token goes
/// as username `<token>`, as docker stores it in helpers.
pub fn credentials_of(key: String, entry: &crate::auth::AuthEntry) -> Option<Credentials> {
    let (username, secret) = match (&entry.identity_token, &entry.username, &entry.password) {
        (Some(t), _, _) => (crate::auth::TOKEN_USERNAME.to_string(), t.clone()),
        (None, Some(u), Some(p)) => (u.clone(), p.clone()),
        _ => return None,
    };
    Some(Credentials {
        server_url: key,
        username,
        secret: secret.clone(),
    })
}

/// `resolve` without `DOCKER_AUTH_CONFIG`: the config's own store.
pub fn resolve_in_config(
    config: &Config,
    ctx: &Context,
    registry: &str,
) -> Result<Option<Credentials>> {
    if ctx.is_containers() {
        return resolve_containers(config, ctx, registry);
    }
    let store = store_in(config, registry, ctx.flavor);
    let key = config.find_auth_key(registry).map(str::to_string);
    if let Some(h) = store.helper() {
        let client = ctx.helper_for(h, config, Some(registry));
        // Ask for the key as stored, then the normalised name, as docker
        // asks by the key it was given.
        let mut asks = vec![key.clone().unwrap_or_else(|| normalize(registry))];
        if let Ok(list) = client.list() {
            asks.extend(
                list.into_keys()
                    .filter(|k| normalize(k) == normalize(registry)),
            );
        }
        asks.dedup();
        for server in asks {
            match client.get(&server) {
                Ok(c) => return Ok(Some(c)),
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
        return Ok(None);
    }
    let Some(key) = key else { return Ok(None) };
    let entry = config.auth_entry(&key).expect("key came from auths");
    if let Some(p) = &entry.problem {
        bail!(
            "the entry for {key} in {} cannot be decoded: {p}",
            config.path().display()
        );
    }
    Ok(credentials_of(key, &entry))
}

/// An auth.json's answer, as containers/image gives it: the registry's
/// credential helper if `credHelpers` names one, else the most specific key
/// (`quay.io/org/repo`, then `quay.io/org`, then `quay.io`).
fn resolve_containers(config: &Config, ctx: &Context, wanted: &str) -> Result<Option<Credentials>> {
    registry::check_containers_key(wanted).map_err(anyhow::Error::msg)?;
    let mut key = registry::normalize_containers(wanted);
    let host = registry::containers_host(&key).to_string();
    if let Some(h) = store_in(config, &host, ctx.flavor).helper() {
        return match ctx.helper_for(h, config, Some(&host)).get(&host) {
            Ok(c) => Ok(Some(c)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        };
    }
    loop {
        // Keys compared without decoding; only the match is decoded.
        let found = config
            .auth_keys()
            .find(|k| registry::normalize_containers(k) == key)
            .and_then(|k| Some((k, config.auth_entry(k)?)));
        if let Some((k, entry)) = found {
            if let Some(p) = &entry.problem {
                bail!(
                    "the entry for {k} in {} cannot be decoded: {p}",
                    config.path().display()
                );
            }
            return Ok(credentials_of(k.to_string(), &entry));
        }
        match key.rsplit_once('/') {
            Some((parent, _)) => key = parent.to_string(),
            None => return Ok(None),
        }
    }
}

/// docker's (and containers/image's) file form of a credential:
/// `{"auth": base64(user:password)}`, or `{"identitytoken": T}` for an
/// identity token (username `<token>` in a helper).
pub fn file_entry(c: &Credentials) -> serde_json::Value {
    if c.username == crate::auth::TOKEN_USERNAME {
        serde_json::json!({ "identitytoken": c.secret.expose() })
    } else {
        serde_json::json!({ "auth": crate::auth::encode_auth(&c.username, &c.secret) })
    }
}
