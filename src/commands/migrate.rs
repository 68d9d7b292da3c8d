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
//!    with nothing changed (`--dry-run` stops after this, printing the plan).
//! 3. `--backup FILE`: the snapshot, created 0600 and fsynced.
//! 4. Per entry, in parallel (`--jobs`): `get` (the same login there already:
//!    it only needs verifying; a different one: skipped unless
//!    `--overwrite`), `store`, `get` again, compare username and secret.
//!    Nothing is written to the file yet, so a kill leaves every plaintext.
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
//! `ghcr.io`); the file keeps its key spelling. Identity tokens go in as
//! username `<token>` with the token as secret, as docker stores them.
//!
//! `--json` prints, for the plan and for the result, an array in file order:
//!
//! ```text
//! [{ "registry": "ghcr.io",        // the auths key as written
//!    "username": "me",             // null if unknown (undecodable entry)
//!    "from": "file",
//!    "to": "pass",                 // helper name; null if no store
//!    "status": "planned" | "migrated" | "skipped" | "failed",
//!    "error": null }]              // why, for skipped and failed
//! ```
//!
//! Exit status: 1 when an entry failed or was skipped (its store holds a
//! different secret, or it cannot be moved) so its plaintext stays, or when
//! the run could not start; 0 otherwise, including when there was nothing to
//! do or no store was named for an entry.

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

use apply::{execute, rewrite, write_backup, Outcome};
use plan::{check_helpers, plan};
use report::{progress, report};

/// What happened to one plaintext login. A stable part of `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Planned,
    Migrated,
    Skipped,
    Failed,
}

/// One plaintext login, as `migrate --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub registry: String,
    pub username: Option<String>,
    pub from: &'static str,
    pub to: Option<String>,
    pub status: Status,
    pub error: Option<String>,
}

/// A `credsStore` or `credHelpers[registry]` key that migrate will set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    /// None for `credsStore`, else the `credHelpers` registry.
    registry: Option<String>,
    helper: String,
}

impl Edit {
    fn describe(&self) -> String {
        match &self.registry {
            None => format!("credsStore = \"{}\"", self.helper),
            Some(r) => format!("credHelpers[\"{r}\"] = \"{}\"", self.helper),
        }
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
    }
}

/// One plaintext entry and what to do with it.
struct Item {
    row: Row,
    /// The entry's value when planned; it is only replaced if still equal.
    raw: Value,
    /// What goes to the helper; None when the entry is skipped.
    creds: Option<Credentials>,
    /// The index in `Plan::edits` of the key that routes it, if new.
    edit: Option<usize>,
    /// It stays in plaintext though a store was to take it (exit 1): the
    /// store holds a different secret, or the entry cannot be moved as it is.
    /// A login that no store routes (`--helper` named others) is not stuck.
    stuck: bool,
}

struct Plan {
    items: Vec<Item>,
    edits: Vec<Edit>,
}

pub fn run(args: &MigrateArgs, ctx: &Context) -> Result<ExitCode> {
    let config = Config::load(&ctx.config_path)?;
    if ctx.is_containers() {
        check_containers(args, &config)?;
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

    if args.dry_run {
        report(args, ctx, &plan, None)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &args.backup {
        write_backup(path, config.text())?;
    }

    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let outcomes = execute(&plan.items, ctx, jobs, args.overwrite, progress(args, ctx));
    for (item, outcome) in plan.items.iter_mut().zip(outcomes) {
        match outcome {
            None => {}
            Some(Outcome::Verified) => {}
            Some(Outcome::Conflict(why)) => set(item, Status::Skipped, Some(why), true),
            Some(Outcome::Failed(why)) => set(item, Status::Failed, Some(why), false),
        }
    }
    let done = rewrite(&mut plan, ctx)?;
    report(args, ctx, &plan, Some(&done))?;
    let failed = plan
        .items
        .iter()
        .any(|i| i.row.status == Status::Failed || i.stuck);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What migrate can do in a containers auth.json: podman, skopeo and
/// buildah read `credHelpers` but never `credsStore`, and a helper holds
/// whole registries only (containers/image), so each move needs
/// `--helper REGISTRY=NAME` for a registry without namespaced logins. Docker
/// Hub is left out: its `credHelpers` key differs between the two (`docker.io`
/// vs `https://index.docker.io/v1/`).
fn check_containers(args: &MigrateArgs, config: &Config) -> Result<()> {
    use crate::registry::{containers_host, is_namespaced, normalize_containers};
    if args.store.is_some() {
        anyhow::bail!(
            "--store sets credsStore, which podman, skopeo and buildah ignore; \
             with --authfile or --podman use --helper REGISTRY=NAME (credHelpers)"
        );
    }
    if args.helpers.is_empty() {
        anyhow::bail!(
            "with --authfile or --podman, name a helper per registry with --helper REGISTRY=NAME: \
             podman, skopeo and buildah ignore credsStore"
        );
    }
    if config.creds_store().is_some() {
        anyhow::bail!(
            "{} sets credsStore, which podman, skopeo and buildah ignore; remove that key first",
            config.path().display()
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
                anyhow::bail!(
                    "--helper {}={}: migrating Docker Hub in an auth.json is not supported",
                    t.registry,
                    t.helper
                );
            }
            if is_namespaced(key) {
                anyhow::bail!(
                    "--helper {}={}: {key} is a namespaced login, which a helper cannot hold; \
                     credHelpers for {host} would hide it from podman",
                    t.registry,
                    t.helper
                );
            }
        }
    }
    Ok(())
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
            let own = Edit {
                registry: Some(name),
                helper: e.helper.clone(),
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
