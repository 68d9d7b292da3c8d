//! The fixes `audit` prints for secrets in the file (`plaintext-credentials`,
//! `stale-plaintext`) and the `store` command forms the config-key findings
//! use. Each fix is a command that works on this file as it is, or, where
//! no command does, None with what to do in words in the message: a fix
//! that fails when pasted strands the user (#13).

use super::{finding, fix, Finding};
use crate::config::Config;
use crate::context::Context;
use crate::helper;
use crate::logins::findings::Severity;
use crate::logins::inventory::Listings;
use crate::logins::Store;
use crate::registry;

/// podman, skopeo or buildah, when one is on PATH: they read docker's
/// config.json when they have no auth.json entry, but never `credsStore`.
pub(super) fn containers_tool_on_path() -> Option<&'static str> {
    ["podman", "skopeo", "buildah"]
        .into_iter()
        .find(|p| helper::on_path(p))
}

/// The store `migrate` would move a plaintext login into: docker's default
/// (`pass` if the pass program is on PATH, else `secretservice`), if its
/// helper is installed; Err with what to do first otherwise.
fn target_store(ctx: &Context, then: &[&str]) -> Result<&'static str, String> {
    // Asked once per run: each plaintext finding needs it, and a PATH
    // search per finding was most of an audit of 10,000 logins (#17).
    static DEFAULT: std::sync::OnceLock<(Option<&'static str>, bool)> = std::sync::OnceLock::new();
    let (store, pass_ready) = *DEFAULT.get_or_init(|| {
        let store = helper::default_store();
        (store, store == Some("pass") && helper::pass_initialised())
    });
    match store {
        Some("pass") if !pass_ready => Err(format!(
            "pass is not initialised: run `pass init GPG-KEY-ID` first, then `{}`",
            ctx.command(&then.iter().map(|w| w.replace("NAME", "pass")).collect::<Vec<_>>())
        )),
        Some(name) => Ok(name),
        None => Err(format!(
            "install a credential helper first (Debian: golang-docker-credential-helpers), then run `{}`",
            ctx.command(then)
        )),
    }
}

/// What the plaintext findings of one audit share, worked out once: an
/// auth.json's namespaced logins by registry (`quay.io` -> its
/// `quay.io/org/repo` keys; empty for docker's config.json), and where
/// `migrate` would move docker's logins (building that advice per finding
/// was a sixth of an `audit --json` of 10,000 logins, #17).
pub(super) struct Namespaced(
    std::collections::HashMap<String, Vec<String>>,
    DockerTarget,
    /// "the secret is stored in FILE as base64, ...", the start of every
    /// `plaintext-credentials` message.
    String,
);

/// `target_store` for `migrate --store NAME`, and the containers tool on
/// PATH when there is a store to move to.
type DockerTarget = std::cell::OnceCell<(Result<&'static str, String>, Option<&'static str>)>;

impl Namespaced {
    pub(super) fn of(config: &Config, ctx: &Context) -> Namespaced {
        let mut map: std::collections::HashMap<String, Vec<String>> = Default::default();
        if ctx.is_containers() {
            for k in config.auth_keys().filter(|k| registry::is_namespaced(k)) {
                let host =
                    registry::containers_host(&registry::normalize_containers(k)).to_string();
                map.entry(host).or_default().push(k.to_string());
            }
        }
        let base = format!(
            "the secret is stored in {} as base64, which is not encryption",
            config.path().display()
        );
        Namespaced(map, DockerTarget::new(), base)
    }
}

/// `plaintext-credentials` or `stale-plaintext` for `key`, whose store is
/// `store`, with the fix that works for this file.
pub(super) fn plaintext_finding(
    config: &Config,
    ctx: &Context,
    key: &str,
    store: &Store,
    listings: &Listings,
    namespaced: &Namespaced,
) -> Finding {
    match store {
        Store::File => {
            let base = &namespaced.2;
            let (fix, words) = if ctx.is_containers() {
                containers_migrate_fix(config, ctx, key, namespaced)
            } else {
                docker_migrate_fix(config, ctx, key, &namespaced.1)
            };
            let message = match words {
                Some(w) => [base.as_str(), "; ", &w].concat(),
                None => base.clone(),
            };
            finding(
                "plaintext-credentials",
                Severity::High,
                Some(key),
                message,
                fix,
            )
        }
        s => {
            let h = s.label();
            let held = listings
                .get(h)
                .and_then(|l| l.as_ref().ok())
                .map(|l| !l.keys_for(key).is_empty() || l.entries.contains_key(key));
            let both = matches!(s, Store::CredHelper(_));
            let why = if both {
                format!(
                    "{key} is in both `auths` and `credHelpers`: docker uses docker-credential-{h} and never this copy, \
                     and `docker logout` reports success while the copy stays (docker/cli#2605)"
                )
            } else {
                format!("plaintext is still stored for a registry that uses docker-credential-{h}: docker ignores it, but it still leaks")
            };
            let (fix, words) = match held {
                // The store has its own (newer) secret: drop only the copy.
                Some(true) => (drop_stale_fix(ctx, key), None),
                // The store lacks it: the copy is the login; move it there.
                Some(false) if !ctx.is_containers() => (fix(ctx, &["migrate"], None), None),
                Some(false) => (
                    None,
                    Some(format!(
                        "move it with `dockercfg --podman migrate --helper {}={h}` after removing the credHelpers entry, or log in again",
                        registry::containers_host(&registry::normalize_containers(key))
                    )),
                ),
                None => (
                    None,
                    Some(format!("docker-credential-{h} cannot run (see helper-missing)")),
                ),
            };
            let message = match words {
                Some(w) => format!("{why}; {w}"),
                None => why,
            };
            finding("stale-plaintext", Severity::High, Some(key), message, fix)
        }
    }
}

/// `migrate --store NAME` (one command for every plaintext login), or
/// per registry `migrate --helper REG=NAME` when podman, skopeo or buildah
/// is on PATH (they ignore credsStore: the credHelpers form keeps them
/// working, #13).
fn docker_migrate_fix(
    config: &Config,
    ctx: &Context,
    key: &str,
    target: &DockerTarget,
) -> (Option<String>, Option<String>) {
    if let Some(current) = config.creds_store() {
        // Not reached for a store-routed key; a registry opted out with
        // credHelpers "" keeps the file by choice.
        return (
            None,
            Some(format!(
                "credHelpers sends it to the file although credsStore is `{current}`: remove that credHelpers entry to move it with `dockercfg migrate`"
            )),
        );
    }
    let (name, tool) = target.get_or_init(|| {
        let name = target_store(ctx, &["migrate", "--store", "NAME"]);
        let tool = name.as_ref().ok().and_then(|_| containers_tool_on_path());
        (name, tool)
    });
    let name = match name {
        Ok(n) => *n,
        Err(w) => return (None, Some(w.clone())),
    };
    if let Some(tool) = tool {
        let target = format!("{}={name}", registry::normalize(key));
        return (
            fix(
                ctx,
                &["migrate", "--helper", &target],
                Some(&format!("credHelpers, which {tool} reads too")),
            ),
            None,
        );
    }
    (fix(ctx, &["migrate", "--store", name], None), None)
}

/// For an auth.json: `--podman migrate --helper HOST=NAME`, where migrate
/// can do it (not Hub, no namespaced login of that registry, no
/// credsStore); else what to do first, in words.
fn containers_migrate_fix(
    config: &Config,
    ctx: &Context,
    key: &str,
    namespaced: &Namespaced,
) -> (Option<String>, Option<String>) {
    let name = registry::normalize_containers(key);
    let host = registry::containers_host(&name).to_string();
    let then = format!("{host}=NAME");
    let move_cmd = ctx.command(&["migrate", "--helper", &then]);
    if host == registry::CONTAINERS_HUB_KEY {
        return (
            None,
            Some(
                "podman and docker name Docker Hub differently in credHelpers, so dockercfg does not move it: \
                 add a credHelpers entry for docker.io, then log in again with podman"
                    .into(),
            ),
        );
    }
    let namespaced: &[String] = namespaced.0.get(&host).map_or(&[], Vec::as_slice);
    if !namespaced.is_empty() {
        let logouts: Vec<String> = namespaced
            .iter()
            .map(|k| ctx.command(&["logout", k]))
            .collect();
        return (
            None,
            Some(format!(
                "a credential helper holds one login per registry, and {host} has namespaced logins that podman uses for those repositories only: \
                 keep them in the file, or first log out of them (`{}`), then run `{move_cmd}`",
                logouts.join(" && ")
            )),
        );
    }
    if config.creds_store().is_some() {
        return (
            None,
            Some(format!(
                "the file sets credsStore, which podman ignores and migrate refuses: remove that key, then run `{move_cmd}`"
            )),
        );
    }
    match target_store(ctx, &["migrate", "--helper", &then]) {
        Ok(store) => {
            let target = format!("{host}={store}");
            (fix(ctx, &["migrate", "--helper", &target], None), None)
        }
        Err(w) => (None, Some(w)),
    }
}

/// Drop the stale file copy of `key`, keeping the store's secret.
fn drop_stale_fix(ctx: &Context, key: &str) -> Option<String> {
    fix(
        ctx,
        &["migrate", "--drop-stale"],
        Some(&format!("keeps the store's secret for {key}")),
    )
}

/// `dockercfg store set [--registry REG] NAME`.
pub(super) fn store_set(ctx: &Context, registry: Option<&str>, name: &str) -> Option<String> {
    match registry {
        Some(r) => fix(ctx, &["store", "set", "--registry", r, name], None),
        None => fix(ctx, &["store", "set", name], None),
    }
}

/// `dockercfg store clear [--registry REG]`.
pub(super) fn store_clear(ctx: &Context, registry: Option<&str>) -> Option<String> {
    match registry {
        Some(r) => fix(ctx, &["store", "clear", "--registry", r], None),
        None => fix(ctx, &["store", "clear"], None),
    }
}

/// The way out of a helper that is not installed (#13): `store clear` for
/// the credsStore and each credHelpers entry naming it, which drops its
/// placeholders from the file and leaves any secret in that store alone.
pub(super) fn clear_dead_helper(config: &Config, ctx: &Context, name: &str) -> Option<String> {
    let mut steps: Vec<String> = Vec::new();
    if crate::logins::store::creds_store(config, ctx.flavor) == Some(name) {
        steps.extend(store_clear(ctx, None));
    }
    for (reg, h) in config.cred_helpers() {
        if h == name {
            steps.extend(store_clear(ctx, Some(reg)));
        }
    }
    if steps.is_empty() {
        return None;
    }
    Some(format!(
        "{}   # or install {}; any secret left in that store is not touched",
        steps.join(" && "),
        helper::program_name(name)
    ))
}
