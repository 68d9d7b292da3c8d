//! `audit`'s routing findings: where docker would look for each login and
//! whether a secret is there (`orphan-placeholder`, `untracked-helper-entry`,
//! `duplicate-login`, `store-changed`, `env-shadows-login`,
//! `env-auth-config-ignored`).

use super::{finding, fix, get_failed, logout_fix, Finding, Severity};
use crate::config::Config;
use crate::context::Context;
use crate::logins::inventory::Listings;
use crate::logins::store::{store_in, Store};
use crate::registry;

/// Stores docker users commonly have, checked for `store-changed`.
const KNOWN_STORES: &[&str] = &["pass", "secretservice", "desktop", "osxkeychain", "wincred"];

/// How logins are routed: placeholders with no secret behind them, helper
/// logins config.json does not index, one registry under two keys, a
/// `credsStore` that no longer names the store holding the secrets, and
/// DOCKER_AUTH_CONFIG. Uses the helpers' `list` only, and with `--deep` a
/// `get` for a placeholder that `list` lacks (the secret is not kept).
pub(super) fn routing_findings(
    config: &Config,
    ctx: &Context,
    listings: &Listings,
    deep: bool,
    out: &mut Vec<Finding>,
) {
    let file = config.path().display().to_string();

    // Placeholders whose helper's list lacks them.
    let mut orphans: Vec<(String, String)> = Vec::new();
    for (key, entry) in config.entries() {
        if !entry.is_placeholder() {
            continue;
        }
        let store = store_in(config, key, ctx.flavor);
        let Some(h) = store.helper() else { continue };
        if let Some(Ok(listing)) = listings.get(h) {
            if listing.keys_for(key).is_empty() && !listing.entries.contains_key(key) {
                // Some helpers list only what they stored themselves: with
                // --deep, `get` has the last word.
                if deep {
                    match ctx.helper_for(h, config, Some(key)).get(key) {
                        Ok(_) => continue,
                        Err(e) if e.is_not_found() => {}
                        Err(e) => {
                            out.push(get_failed(key, &e));
                            continue;
                        }
                    }
                }
                orphans.push((key.to_string(), h.to_string()));
            }
        }
    }

    // store-changed: the credsStore's placeholders are in another store.
    let mut moved: std::collections::HashSet<String> = std::collections::HashSet::new();
    if let Some(current) = config.creds_store().filter(|_| !ctx.is_containers()) {
        let missing: Vec<&String> = orphans
            .iter()
            .filter(|(k, h)| {
                h == current && store_in(config, k, ctx.flavor) == Store::CredsStore(h.clone())
            })
            .map(|(k, _)| k)
            .collect();
        if !missing.is_empty() {
            // A short deadline: a keychain that needs unlocking must not
            // stall an audit over a store it was not asked about.
            let timeout = ctx.helper_timeout.min(std::time::Duration::from_secs(5));
            for other in KNOWN_STORES.iter().filter(|s| **s != current) {
                if !crate::helper::on_path(&crate::helper::program_name(other)) {
                    continue;
                }
                let Ok(list) = crate::helper::HelperClient::new(other, timeout).list() else {
                    continue;
                };
                let there: Vec<&String> = missing
                    .iter()
                    .filter(|k| list.keys().any(|u| registry::same_registry(u, k)))
                    .copied()
                    .collect();
                if there.is_empty() {
                    continue;
                }
                let names: Vec<String> = there.iter().map(|k| k.to_string()).collect();
                moved.extend(names.iter().cloned());
                out.push(finding(
                    "store-changed",
                    Severity::High,
                    None,
                    format!(
                        "credsStore is `{current}`, but the secrets for {} are in docker-credential-{other}: credsStore was changed (Docker Desktop rewrites it to `desktop`), so docker cannot find these logins",
                        names.join(", ")
                    ),
                    copy_fix(&names, other, current),
                ));
            }
        }
    }

    for (key, h) in &orphans {
        if moved.contains(key) {
            continue;
        }
        out.push(finding(
            "orphan-placeholder",
            Severity::Medium,
            Some(key),
            format!(
                "{file} has docker's `{{}}` placeholder for {key}, but docker-credential-{h} holds no secret for it: docker then fails the pull with an unhelpful error"
            ),
            logout_fix(ctx, key, Some("then log in again")),
        ));
    }

    // Helper logins that auths does not index (docker still uses them).
    let mut names: Vec<&String> = listings.keys().collect();
    names.sort();
    for name in names {
        let Ok(listing) = &listings[name.as_str()] else {
            continue;
        };
        for (url, user) in &listing.entries {
            if store_in(config, url, ctx.flavor).helper() != Some(name.as_str()) {
                continue;
            }
            if config.find_auth_key(url).is_some() {
                continue;
            }
            out.push(finding(
                "untracked-helper-entry",
                Severity::Low,
                Some(url),
                format!(
                    "docker-credential-{name} holds a login for {url} (user {user}) that {file} does not list in `auths`: docker still sends it, but tools that read `auths` do not see it"
                ),
                logout_fix(ctx, url, Some("if it is not wanted")),
            ));
        }
    }

    // One registry under several keys.
    // In first-seen order; a map finds the group (a Vec search per key was
    // quadratic, #17).
    // Names are borrowed from the keys when already normal (almost every
    // key), and only a repeated name's keys are copied.
    let keys: Vec<&str> = config.auth_keys().collect();
    let names: Vec<std::borrow::Cow<'_, str>> = keys
        .iter()
        .map(|k| {
            if ctx.is_containers() {
                registry::normalize_containers(k).into()
            } else {
                registry::normalize_cow(k)
            }
        })
        .collect();
    let mut first_of: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(keys.len());
    // The first key of each repeated name -> the later keys.
    let mut later: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, n) in names.iter().enumerate() {
        match first_of.get(n.as_ref()) {
            Some(&first) => later.entry(first).or_default().push(i),
            None => {
                first_of.insert(n, i);
            }
        }
    }
    let groups: Vec<(&str, Vec<&str>)> = (0..keys.len())
        .filter_map(|first| {
            let rest = later.get(&first)?;
            let group = std::iter::once(first).chain(rest.iter().copied());
            Some((names[first].as_ref(), group.map(|i| keys[i]).collect()))
        })
        .collect();
    for (name, keys) in &groups {
        let name = *name;
        let used = match store_in(config, name, ctx.flavor).helper() {
            Some(h) => format!(
                "docker asks docker-credential-{h} for {name} and uses none of these entries"
            ),
            None => match registry::docker_file_key(keys.iter().copied(), name) {
                Some(k) => format!("docker uses `{k}`"),
                None => "docker uses none of them".to_string(),
            },
        };
        let shown = if registry::is_docker_hub(name) && !ctx.is_containers() {
            "docker.io"
        } else {
            name
        };
        out.push(finding(
            "duplicate-login",
            Severity::Low,
            Some(name),
            format!(
                "{name} is stored under {} keys ({}); {used}",
                keys.len(),
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            logout_fix(ctx, shown, None)
                .zip(fix(ctx, &["login", shown], None))
                .map(|(out, back)| format!("{out} && {back}")),
        ));
    }

    // DOCKER_AUTH_CONFIG (docker only; podman does not read it).
    if ctx.is_containers() {
        return;
    }
    let env = crate::envauth::EnvAuth::from_env();
    if let Some(w) = &env.warning {
        out.push(finding(
            "env-auth-config-ignored",
            Severity::Medium,
            None,
            w.clone(),
            None,
        ));
    }
    // Unset (the usual case): no key can be shadowed.
    let keys = config.auth_keys().filter(|_| env.is_active());
    for key in keys {
        let dk = registry::normalize(key);
        if env.lookup(&dk).is_some() {
            out.push(finding(
                "env-shadows-login",
                Severity::Low,
                Some(key),
                format!(
                    "DOCKER_AUTH_CONFIG holds {dk}, which docker reads first: the login stored for {key} in {file} is not used while it is set"
                ),
                None,
            ));
        }
    }
}

/// The shell loop that copies `names` from docker-credential-`from` into
/// docker-credential-`to` (`get` prints the JSON that `store` reads). Every
/// word quoted: the names are config keys, `to` is the config's credsStore.
fn copy_fix(names: &[String], from: &str, to: &str) -> Option<String> {
    use crate::helper::program_name;
    use crate::shell::{has_nul, quote};
    if has_nul(names) || has_nul(&[to]) {
        return None;
    }
    let list: Vec<_> = names.iter().map(|n| quote(n)).collect();
    Some(format!(
        "for r in {}; do printf '%s\\n' \"$r\" | {} get | {} store; done   # or set \"credsStore\": \"{from}\" again",
        list.join(" "),
        quote(&program_name(from)),
        quote(&program_name(to)),
    ))
}
