//! `dockercfg migrate`: move plaintext credentials from config.json into
//! credential helpers, verifying each one, without ever losing one.
//!
//! Setting `credsStore` moves nothing: docker keeps the old base64 secrets in
//! the file until each registry is logged in again (its docs say: log out,
//! log in). This command does the move, in this order:
//!
//! 1. Plan from a snapshot of config.json: every `auths` entry holding a
//!    secret, and the helper docker will ask for it once the new `credsStore`
//!    / `credHelpers` keys are set. Placeholders (`{}`) are done already;
//!    undecodable entries and registry tokens are skipped with the reason.
//! 2. Every target helper must be on PATH and answer `list`; otherwise stop
//!    with nothing changed. If the plan sets `credsStore` and podman, skopeo
//!    or buildah is installed, warn (they never read it) and print the
//!    `--helper '*=NAME'` form they do read.
//! 3. Per entry, in parallel (`--jobs`): `get` from its target, and decide
//!    (`decide`): the same login there already needs no store (`stored`);
//!    none: `store`; a different one: for a stale copy (docker already asks
//!    that helper) `--drop-stale` drops the file copy and keeps the store's,
//!    else skipped (exit 1) unless `--overwrite`. `--dry-run` stops here,
//!    printing these decisions with the exit status the real run will have.
//! 4. `--backup FILE`: the snapshot, created 0600 and fsynced. Then each
//!    `store`: put it in, `get` again, compare username and secret. Nothing
//!    is written to the file yet, so a kill leaves every plaintext.
//! 5. One `write::update`, under the lock: re-read, set the new routing keys,
//!    and turn each verified entry into docker's placeholder if it is still
//!    the plaintext that was migrated and docker will look it up in the helper
//!    that was verified to hold it. One atomic rename: before it the file has
//!    the secret, after it the helper has it (and had it before).
//!
//! A registry is routed to a helper only when its login moved there and was
//! verified: docker ignores the file for registries routed to a helper, so a
//! key that re-routed a login left in plaintext would hide it from docker
//! (#12: `--store pass` with an undecodable login set credsStore, moved
//! nothing, exited 0, and docker lost the login). A new `credsStore` that
//! would re-route such a login is replaced by one `credHelpers` key per
//! moved login (see `routing`).
//!
//! The helper is given the registry under the name docker asks for when it
//! pulls (`registry::normalize`: an old `https://ghcr.io` key is asked for as
//! `ghcr.io`); the file keeps its key spelling. A Docker Hub login routed by
//! `--helper` also goes in as `docker.io`, with a second key of that name:
//! the ones podman, skopeo and buildah use (`Edit::is_hub`). Identity
//! tokens go in as username `<token>` with the token as secret, as docker
//! stores them.
//!
//! `--json` prints, for the plan and for the result, an array in file order:
//!
//! ```text
//! [{ "registry": "ghcr.io",        // the auths key as written
//!    "username": "me",             // null if unknown (undecodable entry)
//!    "from": "file",
//!    "to": "pass",                 // helper name; null if no store
//!    "status": "planned" | "migrated" | "dropped" | "skipped" | "failed",
//!    "action": "store" | "stored" | "drop-stale" | null,
//!    "error": null }]              // why, for skipped and failed
//! ```
//!
//! Exit status: 1 when an entry failed or was skipped (its store holds a
//! different secret, or it cannot be moved) so its plaintext stays, or when
//! the run could not start; 2 when the flags do not fit an auth.json; 0
//! otherwise, including when there was nothing to do or no store was named
//! for an entry. `--dry-run` exits as the real run would.

mod apply;
mod plan;
mod report;

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use crate::cli::MigrateArgs;
use crate::config::Config;
use crate::context::Context;
use crate::helper::Credentials;
use crate::output;
use crate::transfer::Probe;

use apply::{probe_all, rewrite, store_all, write_backup, Outcome};
use plan::{check_helpers, plan};
use report::{progress, report};

/// What happened to one plaintext login. A stable part of `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Planned,
    Migrated,
    /// A stale file copy removed; the store's login kept (`--drop-stale`).
    Dropped,
    Skipped,
    Failed,
}

/// What the run does with a login, decided from what its helper holds
/// (the same decision for `--dry-run` and the real run). A stable part of
/// `--json` (`action`: `store`, `stored`, `drop-stale`; null when skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Put it into the helper, read it back, then drop the file copy.
    Store,
    /// The helper already holds exactly this login: drop the file copy.
    Stored,
    /// The helper holds another login, the one docker uses: drop the stale
    /// file copy and keep the store's.
    DropStale,
}

/// One plaintext login, as `migrate --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub registry: String,
    pub username: Option<String>,
    pub from: &'static str,
    pub to: Option<String>,
    pub status: Status,
    pub action: Option<Action>,
    pub error: Option<String>,
}

/// A `credsStore` or `credHelpers[registry]` key that migrate will set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    /// None for `credsStore`, else the `credHelpers` registry.
    registry: Option<String>,
    helper: String,
    /// Docker Hub routed by `--helper`: podman's key too (`is_hub`).
    hub_alias: bool,
}

impl Edit {
    fn describe(&self) -> String {
        match &self.registry {
            None => format!("credsStore = \"{}\"", self.helper),
            Some(r) if self.is_hub() => format!(
                "credHelpers[\"{r}\"] and credHelpers[\"{}\"] = \"{}\"",
                crate::registry::CONTAINERS_HUB_KEY,
                self.helper
            ),
            Some(r) => format!("credHelpers[\"{r}\"] = \"{}\"", self.helper),
        }
    }

    /// Docker Hub's `credHelpers` key. Docker looks up only
    /// `https://index.docker.io/v1/` and asks the helper for that URL;
    /// podman, skopeo and buildah reading this file look up only
    /// `docker.io` and ask the helper for `docker.io` (docker/cli
    /// `configfile.GetCredentialsStore`; containers/image
    /// `findCredentialsInFile`; both checked with docker 28.2 and skopeo
    /// 1.9). So a Hub edit sets both keys, and the login goes into the
    /// helper under both names (`Item::alias`).
    fn is_hub(&self) -> bool {
        self.hub_alias && self.registry.as_deref() == Some(crate::registry::DOCKER_HUB_KEY)
    }

    /// The value the key has in `c`, if set.
    fn current<'c>(&self, c: &'c Config) -> Option<&'c str> {
        match &self.registry {
            None => c.creds_store(),
            Some(r) => c.cred_helpers().find(|(k, _)| k == r).map(|(_, h)| h),
        }
    }

    fn apply(&self, c: &mut Config) {
        match &self.registry {
            None => c.set_creds_store(&self.helper),
            Some(r) => c.set_cred_helper(r, &self.helper),
        }
        // podman's key for Hub, unless it already names a helper (plan
        // refuses another one; one set meanwhile stands).
        let podman_key = crate::registry::CONTAINERS_HUB_KEY;
        if self.is_hub() && !c.cred_helpers().any(|(k, _)| k == podman_key) {
            c.set_cred_helper(podman_key, &self.helper);
        }
    }
}

/// One plaintext entry and what to do with it.
struct Item {
    row: Row,
    /// The entry's value when planned; it is only replaced if still equal.
    raw: Value,
    /// What goes to the helper; None when the entry is skipped.
    creds: Option<Credentials>,
    /// The same login under the name podman, skopeo and buildah ask the
    /// helper for, when it differs from docker's: `docker.io` for a Docker
    /// Hub login routed by a new `credHelpers` key (see `Edit::is_hub`).
    alias: Option<Credentials>,
    /// What to do with `alias`, decided with `action`.
    alias_action: Option<Action>,
    /// The index in `Plan::edits` of the key that routes it, if new.
    edit: Option<usize>,
    /// It stays in plaintext though a store was to take it (exit 1): the
    /// store holds a different secret, or the entry cannot be moved as it is.
    /// A login that no store routes (`--helper` named others) is not stuck.
    stuck: bool,
    /// Docker already looks this registry up in the target helper, so the
    /// file copy is one it ignores (audit's `stale-plaintext`).
    stale: bool,
    /// Decided once the helper has been asked (`decide`).
    action: Option<Action>,
}

struct Plan {
    items: Vec<Item>,
    edits: Vec<Edit>,
}

pub fn run(args: &MigrateArgs, ctx: &Context) -> Result<ExitCode> {
    let config = Config::load(&ctx.config_path)?;
    if ctx.is_containers() {
        check_containers(args, &config, ctx)?;
    }
    let planned = plan(args, &config)?.filter(|p| !p.items.is_empty() || !p.edits.is_empty());
    let Some(mut plan) = planned else {
        if args.json {
            output::print_json(&Vec::<Row>::new())?;
        } else if !args.quiet {
            output::note(&format!(
                "Nothing to migrate: {} holds no plaintext credentials.",
                ctx.config_path.display()
            ));
        }
        return Ok(ExitCode::SUCCESS);
    };
    check_helpers(&plan, ctx)?;
    warn_containers_tools(&plan, ctx);

    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    // Ask every target what it holds first, then decide: the dry run and
    // the real run act on the same decisions, so the plan predicts the run.
    let probes = probe_all(&plan.items, ctx, jobs);
    decide(&mut plan, probes, args);
    // A login whose key would route another that stays in plaintext is
    // not routed (see `routing`): say so now, as the rewrite will.
    let staying = |i: usize| plan.items[i].row.status != Status::Planned;
    let (_, unrouted) = routing(&plan.edits, &plan.items, &staying);
    for i in unrouted {
        let item = &mut plan.items[i];
        let why = unrouted_error(&item.row.registry, item.row.to.as_deref());
        set(item, Status::Failed, Some(why), false);
    }
    if args.dry_run {
        report(args, ctx, &plan, None)?;
        return Ok(exit_code(&plan));
    }
    if let Some(path) = &args.backup {
        write_backup(path, config.text())?;
    }

    let outcomes = store_all(&plan.items, ctx, jobs, &progress(args, ctx));
    for (item, outcome) in plan.items.iter_mut().zip(outcomes) {
        if let Some(Outcome::Failed(why)) = outcome {
            set(item, Status::Failed, Some(why), false);
        }
    }
    let done = rewrite(&mut plan, ctx)?;
    report(args, ctx, &plan, Some(&done))?;
    Ok(exit_code(&plan))
}

/// 1 when a login that a store was to take stays in plaintext.
fn exit_code(plan: &Plan) -> ExitCode {
    let failed = plan
        .items
        .iter()
        .any(|i| i.row.status == Status::Failed || i.stuck);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Each planned login's action, from what its helper holds (`probes`, one
/// per item). A helper holding a different login: a stale file copy (docker
/// already asks that helper) is dropped with `--drop-stale`; otherwise the
/// login is skipped unless `--overwrite`. Two spellings of one registry go
/// to the helper under one name: after the first, a different login is
/// skipped rather than stored over it.
fn decide(plan: &mut Plan, probes: Vec<Option<apply::Probes>>, args: &MigrateArgs) {
    let mut first: std::collections::HashMap<(String, String), Credentials> =
        std::collections::HashMap::new();
    for (item, probe) in plan.items.iter_mut().zip(probes) {
        let (Some((probe, alias_probe)), Some(creds), Some(to)) =
            (probe, &item.creds, &item.row.to)
        else {
            continue;
        };
        let program = crate::helper::program_name(to);
        let target = (to.clone(), creds.server_url.clone());
        if let Some(before) = first.get(&target) {
            if before.username != creds.username || before.secret != creds.secret {
                set(
                    item,
                    Status::Skipped,
                    Some(format!(
                        "another key for {} earlier in the file holds a different login, and \
                         {program} keeps one per registry: log out of the one you do not want",
                        creds.server_url
                    )),
                    true,
                );
                continue;
            }
        }
        first.entry(target).or_insert_with(|| creds.clone());
        let action = match probe {
            Err(why) => {
                set(item, Status::Failed, Some(why), false);
                continue;
            }
            Ok(Probe::Same) => Action::Stored,
            Ok(Probe::Absent) => Action::Store,
            Ok(Probe::Different) if item.stale && args.drop_stale => Action::DropStale,
            Ok(Probe::Different) if args.overwrite => Action::Store,
            Ok(Probe::Different) if item.stale => {
                set(
                    item,
                    Status::Skipped,
                    Some(format!(
                        "stale copy: docker uses the different login {program} holds for {}; \
                         --drop-stale removes this copy and keeps that one",
                        creds.server_url
                    )),
                    true,
                );
                continue;
            }
            Ok(Probe::Different) => {
                set(
                    item,
                    Status::Skipped,
                    Some(format!(
                        "{program} already holds a different login for {}; --overwrite replaces \
                         it with this one (the one docker uses now)",
                        creds.server_url
                    )),
                    true,
                );
                continue;
            }
        };
        // The Hub login's copy under podman's name (`Item::alias`), by the
        // same rules: a login podman keeps there already is not replaced
        // unasked. A dropped stale copy moves nothing, so needs none.
        let alias_url = item.alias.as_ref().map(|a| a.server_url.clone());
        if let (Some(url), Some(p), false) = (alias_url, alias_probe, action == Action::DropStale) {
            item.alias_action = Some(match p {
                Err(why) => {
                    set(item, Status::Failed, Some(why), false);
                    continue;
                }
                Ok(Probe::Same) => Action::Stored,
                Ok(Probe::Absent) => Action::Store,
                Ok(Probe::Different) if args.overwrite => Action::Store,
                Ok(Probe::Different) => {
                    set(
                        item,
                        Status::Skipped,
                        Some(format!(
                            "{program} holds a different login for {url}, the name podman,                              skopeo and buildah ask it for Docker Hub; --overwrite replaces it                              with this one"
                        )),
                        true,
                    );
                    continue;
                }
            });
        }
        item.action = Some(action);
        item.row.action = Some(action);
    }
}

/// podman, skopeo and buildah read docker's config.json when their own
/// auth.json has no login for a registry, but never its `credsStore`
/// (containers/image): a login moved behind a new `credsStore` is gone for
/// them ("unauthorized"). Said before anything is written, with the form
/// they do read: one `credHelpers` key per registry.
fn warn_containers_tools(plan: &Plan, ctx: &Context) {
    let Some(store) = plan.edits.iter().find(|e| e.registry.is_none()) else {
        return;
    };
    if ctx.is_containers() {
        return;
    }
    let tools = crate::transfer::containers_tools_on_path();
    if tools.is_empty() {
        return;
    }
    output::warn(&format!(
        "{} on this machine read{} config.json but never credsStore: after this, the logins \
         moved into {} are invisible to {} (\"unauthorized\"). To keep them working, give each \
         registry its own credHelpers key instead: `{}`",
        tools.join(", "),
        if tools.len() == 1 { "s" } else { "" },
        crate::helper::program_name(&store.helper),
        if tools.len() == 1 { "it" } else { "them" },
        ctx.command(&["migrate", "--helper", &format!("*={}", store.helper)])
    ));
}

/// What migrate can do in a containers auth.json: podman, skopeo and
/// buildah read `credHelpers` but never `credsStore`, and a helper holds
/// whole registries only (containers/image), so each move needs
/// `--helper REGISTRY=NAME` for a registry without namespaced logins. Docker
/// Hub is left out: its `credHelpers` key differs between the two (`docker.io`
/// vs `https://index.docker.io/v1/`).
fn check_containers(args: &MigrateArgs, config: &Config, ctx: &Context) -> Result<()> {
    use crate::registry::{containers_host, is_namespaced, normalize_containers};
    if args.store.is_some() || args.helpers.is_empty() {
        let what = if args.store.is_some() {
            "--store sets credsStore, which podman, skopeo and buildah ignore"
        } else {
            "podman, skopeo and buildah ignore credsStore"
        };
        return crate::usage(format!(
            "{what}: with --authfile or --podman, name a helper per registry with --helper \
             REGISTRY=NAME (credHelpers).{}",
            containers_advice(config, ctx)
        ));
    }
    if config.creds_store().is_some() {
        anyhow::bail!(
            "{} sets credsStore, which podman, skopeo and buildah ignore; remove that key first: \
             `{}`",
            config.path().display(),
            ctx.command(&["store", "clear"])
        );
    }
    for t in &args.helpers {
        let pattern = glob::Pattern::new(&t.registry).ok();
        let target = normalize_containers(&t.registry);
        for key in config.auth_keys() {
            let name = normalize_containers(key);
            let host = containers_host(&name);
            let hit = host == target
                || pattern
                    .as_ref()
                    .is_some_and(|p| p.matches(key) || p.matches(host));
            if !hit {
                continue;
            }
            if host == crate::registry::CONTAINERS_HUB_KEY {
                return crate::usage(format!(
                    "--helper {}={}: migrating Docker Hub in an auth.json is not supported{}",
                    t.registry,
                    t.helper,
                    containers_advice(config, ctx)
                ));
            }
            if is_namespaced(key) {
                return crate::usage(format!(
                    "--helper {}={}: {key} is a namespaced login, which a helper cannot hold; \
                     credHelpers for {host} would hide it from podman.{}",
                    t.registry,
                    t.helper,
                    containers_advice(config, ctx)
                ));
            }
        }
    }
    Ok(())
}

/// Why a login that could move stays in plaintext: another login for its
/// registry stays, and the key routing it would hide that one.
fn unrouted_error(key: &str, helper: Option<&str>) -> String {
    format!(
        "another login for {} stays in plaintext, so it is not routed to {}; left in plaintext",
        crate::registry::normalize(key),
        helper.unwrap_or("a helper")
    )
}

/// What works for this auth.json: the exact `migrate` for the logins
/// that can move, and what to do about those that cannot.
fn containers_advice(config: &Config, ctx: &Context) -> String {
    let m = crate::transfer::containers_migrate(config, ctx);
    let mut out = String::new();
    match &m.command {
        Some(c) => out.push_str(&format!("\nFor {}: `{c}`", ctx.file_label())),
        None => out.push_str(&format!(
            "\nNo plaintext login in {} can go to a helper.",
            ctx.file_label()
        )),
    }
    if !m.namespaced.is_empty() {
        out.push_str(&format!(
            "\nThese stay in plaintext, since a helper holds whole registries and credHelpers for \
             their registry would hide the namespaced ones from podman: {}. Keep the file private \
             (`{}`), or replace them with one login per registry (`podman login REGISTRY`, then \
             `{}`).",
            m.namespaced.join(", "),
            ctx.command(&["fix-perms"]),
            ctx.command(&["logout", "KEY"])
        ));
    }
    if let Some(hub) = &m.hub {
        out.push_str(&format!(
            "\n{hub} (Docker Hub) stays in plaintext: its credHelpers key differs between docker \
             and podman, so migrate leaves it."
        ));
    }
    out
}

fn set(item: &mut Item, status: Status, error: Option<String>, stuck: bool) {
    item.row.status = status;
    item.row.error = error;
    item.stuck = stuck;
}

/// The routing keys to write, given which items stay in plaintext.
///
/// The rule: a registry is routed to a helper only when its login was moved
/// and verified there. A key that would route a login left in plaintext is
/// not written: docker would stop reading that login from the file and find
/// nothing (or something else) in the helper. For `credsStore`, the moved
/// logins get `credHelpers` keys of their own instead, so every login keeps
/// working (and podman/skopeo, which ignore `credsStore`, read them too).
/// Returns the keys, and the moved items left without a route.
fn routing(
    edits: &[Edit],
    items: &[Item],
    stays: &dyn Fn(usize) -> bool,
) -> (Vec<Edit>, std::collections::BTreeSet<usize>) {
    let mut out: Vec<Edit> = Vec::new();
    let mut unrouted = std::collections::BTreeSet::new();
    for (n, e) in edits.iter().enumerate() {
        let routed: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].edit == Some(n))
            .collect();
        let staying: Vec<String> = routed
            .iter()
            .filter(|&&i| stays(i))
            .map(|&i| crate::registry::normalize(&items[i].row.registry))
            .collect();
        if staying.is_empty() {
            out.push(e.clone());
            continue;
        }
        for &i in routed.iter().filter(|&&i| !stays(i)) {
            let name = crate::registry::normalize(&items[i].row.registry);
            if e.registry.is_some() || staying.contains(&name) {
                // Its own key would route a login that stays: leave it.
                unrouted.insert(i);
                continue;
            }
            // No podman key for Hub here: its login went in under
            // docker's name only (the route was to be credsStore).
            let own = Edit {
                registry: Some(name),
                helper: e.helper.clone(),
                hub_alias: false,
            };
            if !out.contains(&own) {
                out.push(own);
            }
        }
    }
    (out, unrouted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    /// `dockercfg migrate EXTRA...` parsed.
    pub(super) fn args(extra: &[&str]) -> MigrateArgs {
        let mut argv = vec!["dockercfg", "migrate"];
        argv.extend(extra);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Migrate(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn flags_parse_and_reject_bad_helper_names() {
        let a = args(&["--helper", "*.gcr.io=gcloud", "-j", "3", "--store", "pass"]);
        assert_eq!(a.helpers[0].registry, "*.gcr.io");
        assert_eq!(a.helpers[0].helper, "gcloud");
        assert_eq!((a.jobs, a.store.as_deref()), (Some(3), Some("pass")));
        let argv = |x: &[&str]| {
            let mut v = vec!["dockercfg", "migrate"];
            v.extend(x);
            Cli::try_parse_from(v)
        };
        assert!(argv(&["--helper", "gcr.io"]).is_err());
        assert!(argv(&["--helper", "gcr.io=../x"]).is_err());
        assert!(argv(&["--store", "a b"]).is_err());
        assert!(argv(&["--jobs", "0"]).is_err());
        assert!(argv(&["--dry-run", "--backup", "f"]).is_err());
    }
}
