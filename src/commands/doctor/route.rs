//! Step 2: the source that wins for a registry, and each one passed over,
//! by the client's rules (docker: DOCKER_AUTH_CONFIG, then exactly one of
//! credHelpers / credsStore / the file; containers: credHelpers for the
//! host, else the most specific key).

use super::report::{Check, Status, SOURCE};
use crate::auth::AuthEntry;
use crate::config::Config;
use crate::context::Context;
use crate::envauth::{EnvAuth, VAR};
use crate::registry;
use crate::store::{store_in, Store};

/// What the winning source hands over, for the later steps.
#[derive(Debug, Clone)]
pub enum Answer {
    /// No source has anything: the client sends no credentials.
    None,
    /// An entry in the file or in DOCKER_AUTH_CONFIG.
    Entry { key: String, entry: AuthEntry },
    /// A helper is asked for `key`.
    Helper {
        name: String,
        key: String,
        /// Named by credsStore (asked for every registry).
        store_wide: bool,
    },
}

/// Step 2 for `reg` (as the user wrote it, `label` as shown).
pub fn route(reg: &str, config: &Config, ctx: &Context, env: &EnvAuth) -> (Vec<Check>, Answer) {
    if ctx.is_containers() {
        return route_containers(reg, config, ctx);
    }
    let key = registry::normalize(reg);
    let label = Some(reg);
    let mut out = Vec::new();
    let path = config.path().display().to_string();
    let login_fix = Some(ctx.command(&["login", reg]));
    if let Some(entry) = env.lookup(&key) {
        if entry.has_secret() {
            out.push(Check::new(label, SOURCE, Status::Ok, format!(
                "{VAR} holds {key}: docker uses it and asks nothing else (credHelpers, credsStore and {path} are not consulted)"
            )));
            return (out, Answer::Entry { key, entry });
        }
        out.push(Check::new(label, SOURCE, Status::Fail, format!(
            "{VAR} holds an empty entry for {key}: docker sends no credentials and looks nowhere else"
        )));
        return (out, Answer::None);
    }
    if env.is_active() {
        out.push(Check::new(
            label,
            SOURCE,
            Status::Ok,
            format!("{VAR} has no entry for {key}: passed over"),
        ));
    }
    let file_key = registry::docker_file_key(config.auth_keys(), &key).map(str::to_string);
    match store_in(config, &key, ctx.flavor) {
        Store::CredHelper(name) | Store::CredsStore(name) if !name.is_empty() => {
            let by_helper = config.cred_helpers().any(|(k, _)| k == key);
            let store_wide = !by_helper;
            let (what, msg) = if by_helper {
                (
                    "credHelpers",
                    format!("credHelpers sends {key} to docker-credential-{name}"),
                )
            } else {
                (
                    "credsStore",
                    format!("credsStore {name}: docker asks docker-credential-{name} for {key}"),
                )
            };
            let _ = what;
            out.push(Check::new(label, SOURCE, Status::Ok, msg));
            if by_helper {
                if let Some(s) = config.creds_store() {
                    out.push(Check::new(
                        label,
                        SOURCE,
                        Status::Ok,
                        format!("credsStore {s} is passed over: credHelpers decides for {key}"),
                    ));
                }
            }
            if let Some(k) = &file_key {
                let entry = config.auth_entry(k).unwrap_or_default();
                if entry.has_secret() {
                    out.push(Check::new(label, SOURCE, Status::Warn, format!(
                        "{path} still holds plaintext under {k}, which docker ignores: it asks docker-credential-{name}"
                    )).fix(Some(ctx.command(&["audit"]))));
                }
            }
            (
                out,
                Answer::Helper {
                    name,
                    key,
                    store_wide,
                },
            )
        }
        _ => {
            let Some(k) = file_key else {
                out.push(Check::new(label, SOURCE, Status::Fail, format!(
                    "no login for {key} in {path} and no credential helper for it: docker sends no credentials"
                )).fix(login_fix));
                return (out, Answer::None);
            };
            let entry = config.auth_entry(&k).unwrap_or_default();
            if entry.problem.is_none() && !entry.has_secret() {
                out.push(Check::new(label, SOURCE, Status::Fail, format!(
                    "{k} in {path} is an empty placeholder and no credential helper is configured: docker sends no credentials"
                )).fix(login_fix));
                return (out, Answer::None);
            }
            out.push(Check::new(
                label,
                SOURCE,
                Status::Ok,
                format!("{path} holds {k} (no credential helper for it)"),
            ));
            (out, Answer::Entry { key: k, entry })
        }
    }
}

/// containers/image's order in the chosen file: credHelpers for the host
/// (never credsStore), else `reg/ns/repo`, `reg/ns`, `reg`.
fn route_containers(reg: &str, config: &Config, ctx: &Context) -> (Vec<Check>, Answer) {
    let label = Some(reg);
    let mut out = Vec::new();
    let path = config.path().display().to_string();
    let mut key = registry::normalize_containers(reg);
    let host = registry::containers_host(&key).to_string();
    if let Some(name) = store_in(config, &host, ctx.flavor).helper() {
        out.push(Check::new(
            label,
            SOURCE,
            Status::Ok,
            format!("credHelpers sends {host} to docker-credential-{name}"),
        ));
        return (
            out,
            Answer::Helper {
                name: name.to_string(),
                key: host,
                store_wide: false,
            },
        );
    }
    loop {
        let found = config
            .auth_keys()
            .find(|k| registry::normalize_containers(k) == key)
            .map(str::to_string);
        if let Some(k) = found {
            let entry = config.auth_entry(&k).unwrap_or_default();
            out.push(Check::new(
                label,
                SOURCE,
                Status::Ok,
                format!("{path} holds {k}"),
            ));
            return (out, Answer::Entry { key: k, entry });
        }
        match key.rsplit_once('/') {
            Some((parent, _)) => key = parent.to_string(),
            None => break,
        }
    }
    out.push(
        Check::new(
            label,
            SOURCE,
            Status::Fail,
            format!("no login for {reg} in {path}: podman sends no credentials"),
        )
        .fix(Some(ctx.command(&["login", reg]))),
    );
    (out, Answer::None)
}
