//! `dockercfg sync --to podman|docker`: copy logins between docker's
//! config.json and podman's auth.json, each written by its own side's rules.
//!
//! The two files share the `auths` format and differ in everything around
//! it (COMPAT.md; podman#18617, containers/image#2173):
//! - Docker Hub is `https://index.docker.io/v1/` for docker, `docker.io`
//!   for podman (`registry::normalize` / `normalize_containers`);
//! - podman's namespaced keys (`quay.io/org/repo`) have no docker form:
//!   docker keys logins by registry, so such a login is refused for
//!   docker's file, with the reason;
//! - podman never reads `credsStore`: a secret in docker's store is
//!   referenced through podman's `credHelpers[host]` (by host, as
//!   containers/image asks helpers), and the other way round through
//!   docker's `credHelpers`, unless `--plaintext` copies it. A reference
//!   is made only when the helper holds the login under the key the other
//!   side will ask for (it does not for Docker Hub, whose keys differ);
//! - a secret copied to a side whose rules send that registry to a helper
//!   goes into that helper (as that side's `login` would put it), since
//!   the file would not be read.
//!
//! Every login is planned first (helpers asked with `list`/`get` only);
//! then helper stores, then one locked write of the destination file.
//! Nothing is written for a login already in place, so a second run
//! changes nothing. The source file is only read.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::cli::{SyncArgs, SyncTarget};
use crate::config::{locate, write, Config};
use crate::context::{Context, Flavor};
use crate::helper::{self, Credentials};
use crate::logins;
use crate::logins::resolve::{credentials_of, file_entry, resolve_in_config};
use crate::logins::store::{store_in, Store};
use crate::output::escape;
use crate::registry;

/// What happens to one login.
enum Action {
    /// Already in place.
    Unchanged,
    /// Write this entry under the key (plaintext in the file).
    Copy(serde_json::Value),
    /// Point the destination's `credHelpers[host]` at this helper.
    Reference(String),
    /// Store in the helper the destination's rules name, then note it.
    Store(String, Credentials),
    /// Not synced, and why.
    Refused(String),
}

struct Item {
    /// The key in the source file (or its helper).
    from: String,
    /// The key in the destination.
    to: String,
    action: Action,
}

/// One side: its file and its rules.
struct Side {
    config: Config,
    ctx: Context,
}

impl Side {
    fn flavor(&self) -> Flavor {
        self.ctx.flavor
    }

    /// The key this side stores `key` under.
    fn key(&self, key: &str) -> String {
        logins::rules(self.flavor()).login_key(key)
    }

    /// The name its client asks a helper for (and keys credHelpers by).
    fn helper_key(&self, key: &str) -> String {
        logins::rules(self.flavor()).helper_key(key)
    }

    fn name(&self) -> &'static str {
        match self.flavor() {
            Flavor::Docker => "docker",
            Flavor::Containers => "podman",
        }
    }

    /// Keys in the file that name `key` in another spelling.
    fn aliases(&self, config: &Config, key: &str) -> Vec<String> {
        config
            .auth_keys()
            .filter(|k| *k != key && self.key(k) == key)
            .map(str::to_string)
            .collect()
    }
}

pub fn run(args: &SyncArgs, ctx: &Context) -> Result<ExitCode> {
    let (docker_path, podman_path) = if ctx.is_containers() {
        let env_dir = std::env::var_os("DOCKER_CONFIG").map(std::path::PathBuf::from);
        (
            locate::locate(None, env_dir.as_deref())?,
            ctx.config_path.clone(),
        )
    } else {
        let env = locate::PodmanEnv::from_process();
        (ctx.config_path.clone(), locate::podman_auth_file(&env)?)
    };
    let side = |path: std::path::PathBuf, flavor: Flavor| -> Result<Side> {
        let mut c = ctx.clone().with_flavor(flavor);
        c.config_path = path;
        Ok(Side {
            config: Config::load(&c.config_path)?,
            ctx: c,
        })
    };
    let docker = side(docker_path, Flavor::Docker)?;
    let podman = side(podman_path, Flavor::Containers)?;
    let (src, dst) = match args.to {
        SyncTarget::Podman => (docker, podman),
        SyncTarget::Docker => (podman, docker),
    };

    // One `list` per helper, however many logins it holds.
    let mut lists = Lists::new();
    let (keys, mut problems) = source_keys(&src, &args.registries, &mut lists);
    let mut items: Vec<Item> = keys
        .iter()
        .map(|k| plan(k, &src, &dst, args.plaintext, &mut lists))
        .collect();
    problems.extend(
        items
            .iter()
            .filter(|i| matches!(i.action, Action::Refused(_)))
            .map(|i| i.from.clone()),
    );

    if !args.dry_run {
        // Helper stores first: a failed one is left out of the file edit.
        for item in &mut items {
            if let Action::Store(h, creds) = &item.action {
                if let Err(e) = dst.ctx.helper(h).store(creds) {
                    problems.push(item.from.clone());
                    item.action = Action::Refused(e.to_string());
                }
            }
        }
        let edits = items
            .iter()
            .any(|i| !matches!(i.action, Action::Unchanged | Action::Refused(_)));
        // Nothing to write: the file (and its directory) is not touched.
        if edits {
            write::update(&dst.ctx.config_path, dst.ctx.lock_timeout, |c| {
                for item in &items {
                    edit(c, &dst, item);
                }
                Ok(())
            })?;
        }
    }
    for item in &items {
        println!("{}", line(item, args.dry_run));
    }
    if items.is_empty() && problems.is_empty() {
        crate::output::note(&format!(
            "no logins in {} to sync",
            src.ctx.config_path.display()
        ));
    }
    if args.dry_run {
        crate::output::note("dry run: nothing was changed");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The source's logins, one key per registry (or namespace), in file
/// order: `auths`, then `credHelpers`, then the `credsStore`'s `list`
/// (docker's side only). With `--registry`, only those; a name with no
/// login is a problem reported on stderr.
fn source_keys(src: &Side, wanted: &[String], lists: &mut Lists) -> (Vec<String>, Vec<String>) {
    let mut all: Vec<String> = src.config.auth_keys().map(str::to_string).collect();
    all.extend(
        src.config
            .cred_helpers()
            .filter(|(_, h)| !h.is_empty())
            .map(|(k, _)| k.to_string()),
    );
    let mut problems = Vec::new();
    if let Some(store) = crate::logins::store::creds_store(&src.config, src.flavor()) {
        let listed = lists
            .entry(store.to_string())
            .or_insert_with(|| src.ctx.helper(store).list().map_err(|e| e.to_string()));
        match listed {
            Ok(list) => all.extend(list.keys().cloned()),
            Err(e) => {
                crate::output::warn(&format!(
                    "cannot list the logins in {}: {e}",
                    helper::program_name(store)
                ));
                problems.push(store.to_string());
            }
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for k in all {
        if !keys.iter().any(|seen| src.key(seen) == src.key(&k)) {
            keys.push(k);
        }
    }
    if !wanted.is_empty() {
        // A registry named matches its own key; a registry with no login of
        // its own brings its namespaced keys (refused for docker, with why).
        let exact = |k: &str, w: &str| src.key(k) == src.key(w);
        let under = |k: &str, w: &str| {
            !registry::is_namespaced(w)
                && registry::is_namespaced(k)
                && registry::containers_host(&registry::normalize_containers(k))
                    == registry::containers_host(&registry::normalize_containers(w))
        };
        let mut chosen: Vec<String> = Vec::new();
        for w in wanted {
            let mut found: Vec<&String> = keys.iter().filter(|k| exact(k, w)).collect();
            if found.is_empty() {
                found = keys.iter().filter(|k| under(k, w)).collect();
            }
            if found.is_empty() {
                crate::output::warn(&format!(
                    "no login for {} in {}",
                    escape(w),
                    src.ctx.config_path.display()
                ));
                problems.push(w.clone());
            }
            for k in found {
                if !chosen.contains(k) {
                    chosen.push(k.clone());
                }
            }
        }
        keys = chosen;
    }
    (keys, problems)
}

/// Each source helper's `list` (or why it failed), by helper name.
type Lists = std::collections::HashMap<String, Result<BTreeMap<String, String>, String>>;

/// What to do with source login `key`.
fn plan(key: &str, src: &Side, dst: &Side, plaintext: bool, lists: &mut Lists) -> Item {
    let refuse = |to: String, why: String| Item {
        from: key.to_string(),
        to,
        action: Action::Refused(why),
    };
    if dst.flavor() == Flavor::Docker && registry::is_namespaced(key) {
        let host = registry::containers_host(&registry::normalize_containers(key)).to_string();
        return refuse(
            registry::normalize(key),
            format!(
                "a namespaced key: docker's config.json keys logins by registry only, so docker would send it for every repository on {host}; sync --registry {host} if podman has a login for {host} itself"
            ),
        );
    }
    let to = dst.key(key);
    let ask = dst.helper_key(key);
    let item = |action| Item {
        from: key.to_string(),
        to: to.clone(),
        action,
    };
    let dst_store = store_in(&dst.config, &to, dst.flavor());

    let src_store = store_in(&src.config, key, src.flavor());
    if let (Some(h), false) = (src_store.helper(), plaintext) {
        // The other side will ask `h` for `ask`. When that is the name this
        // side asks by too (every registry but Docker Hub), the reference
        // works as well as the login does here, and helpers that make
        // credentials up on `get` (ecr-login, gcloud) list nothing. Hub's
        // names differ: reference it only if `h` holds `ask` as well.
        if src.helper_key(key) != ask {
            let listed = match lists
                .entry(h.to_string())
                .or_insert_with(|| src.ctx.helper(h).list().map_err(|e| e.to_string()))
            {
                Ok(l) => l,
                Err(e) => return refuse(to, e.clone()),
            };
            if !listed.contains_key(&ask) {
                let held: Vec<String> = listed
                    .keys()
                    .filter(|k| registry::same_registry(k, &ask) || src.key(k) == src.key(key))
                    .map(|k| escape(k).into_owned())
                    .collect();
                let held = if held.is_empty() {
                    "nothing".to_string()
                } else {
                    held.join(", ")
                };
                return refuse(
                    to,
                    format!(
                        "{} holds this login as {held}, but {} asks it for {}; pass --plaintext to copy the secret instead",
                        helper::program_name(h),
                        dst.name(),
                        escape(&ask)
                    ),
                );
            }
        }
        return match &dst_store {
            Store::CredHelper(g) if g != h => refuse(
                to,
                format!(
                    "credHelpers in {} already sends {} to {}",
                    dst.ctx.config_path.display(),
                    escape(&ask),
                    helper::program_name(g)
                ),
            ),
            Store::CredsStore(g) if g == h => item(Action::Unchanged),
            _ => item(unless_unchanged(dst, key, Action::Reference(h.to_string()))),
        };
    }

    // Copy the secret itself.
    let creds = match resolve_in_config(&src.config, &src.ctx, key) {
        Ok(Some(c)) => c,
        Ok(None) => {
            return refuse(
                to,
                format!(
                    "{} holds no credentials for it",
                    src.ctx.config_path.display()
                ),
            )
        }
        Err(e) => return refuse(to, format!("{e:#}")),
    };
    match dst_store.helper() {
        // A helper is handed the secret in JSON, which turns each byte that
        // is not UTF-8 into U+FFFD: it would keep another password (as
        // migrate refuses, see docs/COMPAT-DECODING.md rule 6).
        Some(g) if !creds.secret.is_text() => refuse(
            to,
            format!(
                "its password is not UTF-8 text, which {} would store changed \
                 (JSON turns each invalid byte into U+FFFD); use --plaintext",
                helper::program_name(g)
            ),
        ),
        Some(g) => {
            let client = dst.ctx.helper(g);
            let same = client
                .get(&ask)
                .is_ok_and(|c| c.username == creds.username && c.secret == creds.secret);
            let creds = Credentials {
                server_url: ask.clone(),
                ..creds
            };
            let action = if same {
                unless_unchanged(dst, key, Action::Store(g.to_string(), creds))
            } else {
                Action::Store(g.to_string(), creds)
            };
            item(action)
        }
        None => {
            let held = dst
                .config
                .auth_entry(&to)
                .and_then(|e| credentials_of(to.to_string(), &e));
            let same =
                held.is_some_and(|c| c.username == creds.username && c.secret == creds.secret);
            let action = Action::Copy(file_entry(&creds));
            item(if same {
                unless_unchanged(dst, key, action)
            } else {
                action
            })
        }
    }
}

/// `action`, or `Unchanged` when its file edit would change nothing (a
/// helper store is then skipped too: the helper already holds the same).
fn unless_unchanged(dst: &Side, key: &str, action: Action) -> Action {
    let mut probe = dst.config.clone();
    let item = Item {
        from: key.to_string(),
        to: dst.key(key),
        action,
    };
    let before = probe.text().to_string();
    match &item.action {
        // Same secret already at the key: only leftovers in other
        // spellings would change.
        Action::Copy(_) => {
            if dst.aliases(&probe, &item.to).is_empty() {
                return Action::Unchanged;
            }
        }
        _ => edit(&mut probe, dst, &item),
    }
    if probe.text() == before {
        Action::Unchanged
    } else {
        item.action
    }
}

/// Apply one planned login to the destination file.
fn edit(c: &mut Config, dst: &Side, item: &Item) {
    let key = &item.to;
    let mut aliases = dst.aliases(c, key);
    match &item.action {
        Action::Unchanged | Action::Refused(_) => return,
        Action::Copy(v) => {
            c.remove_auths(&aliases);
            c.set_auth(key, v.clone());
            return;
        }
        Action::Reference(h) => {
            let host = dst.helper_key(key);
            if !c.cred_helpers().any(|(k, v)| k == host && v == h) {
                c.set_cred_helper(&host, h);
            }
        }
        Action::Store(..) => {}
    }
    // The secret now lives in a helper: plaintext copies must go. docker
    // keeps a `{}` placeholder (as its login does); podman writes none.
    match dst.flavor() {
        Flavor::Docker => {
            c.remove_auths(&aliases);
            let placeholder = c.auth_raw().any(|(k, v)| k == key && v.trim() == "{}");
            if !placeholder {
                c.set_auth(key, json!({}));
            }
        }
        Flavor::Containers => {
            if c.auth_keys().any(|k| k == key) {
                aliases.push(key.clone());
            }
            c.remove_auths(&aliases);
        }
    }
}

/// One line per login on stdout.
fn line(item: &Item, dry_run: bool) -> String {
    let would = |s: &str| {
        if dry_run {
            format!("would {s}")
        } else {
            s.to_string()
        }
    };
    let what = match &item.action {
        Action::Unchanged => "unchanged".to_string(),
        Action::Copy(_) => would("copy the secret (plaintext)"),
        Action::Reference(h) => would(&format!(
            "reference {} through credHelpers",
            helper::program_name(h)
        )),
        Action::Store(h, _) => would(&format!("store the secret in {}", helper::program_name(h))),
        Action::Refused(why) => format!("not synced: {why}"),
    };
    format!("{} -> {}: {what}", escape(&item.from), escape(&item.to))
}
