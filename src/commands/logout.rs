//! `dockercfg logout`: remove logins from config.json and from the helper
//! that holds them, by any spelling of the registry, one or many at once.
//!
//! Unlike `docker logout`, `docker.io` finds the Hub login, a key written
//! `https://ghcr.io` is found by `ghcr.io`, and a helper failure is an exit 1
//! (after removing everything else) so scripts notice. A registry whose
//! helper failed keeps its file entry, as with docker, so that nothing points
//! at a secret left in the helper without `list` seeing it.
//!
//! In a containers auth.json (`--authfile`, `--podman`) a namespaced key is
//! a login of its own, as `podman logout` treats it: `quay.io/org/repo`
//! removes exactly that key and `quay.io` leaves it alone. Spellings that
//! containers/image reads as the same key (`https://quay.io`, Hub aliases
//! for `docker.io`) are removed together. A helper is only asked to erase the
//! registry's exact key (containers keep no namespaced keys in helpers), so
//! docker's own login in a shared keychain is left alone.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::cli::LogoutArgs;
use crate::config::{write, Config};
use crate::context::{Context, Flavor};
use crate::logins::inventory::{
    expired_registries, inventory_from, list_helpers, no_listings, Listings,
};
use crate::logins::store::store_in;
use crate::output;
use crate::registry;
use crate::shell;

/// One registry's logout, as `logout --json` prints it.
#[derive(Debug, Serialize)]
pub struct Removal {
    /// The registry, normalised (Docker Hub is `https://index.docker.io/v1/`;
    /// in an auth.json, `docker.io`, and a namespaced key stays namespaced).
    pub registry: String,
    /// The file's keys removed (or that would be, with --dry-run).
    pub file_keys: Vec<String>,
    /// The helper it was erased from, if any.
    pub helper: Option<String>,
    /// The helper's server keys erased.
    pub helper_keys: Vec<String>,
    /// Why the helper erase failed, if it did.
    pub error: Option<String>,
    /// true with --dry-run: nothing was removed, this is what would be.
    pub dry_run: bool,
}

impl Removal {
    fn found(&self) -> bool {
        !self.file_keys.is_empty() || !self.helper_keys.is_empty() || self.error.is_some()
    }
}

pub fn run(args: &LogoutArgs, ctx: &Context) -> Result<ExitCode> {
    // The file is read under the write lock when the lock is free: if no
    // helper is to be run, the removal is written under that same lock
    // from that one read (a logout read the file twice, #17).
    let (mut held, config) = match (!args.dry_run)
        .then(|| write::try_lock_and_load(&ctx.config_path))
        .flatten()
    {
        Some((held, config)) => (Some(held), config),
        None => (None, Config::load(&ctx.config_path)?),
    };
    // --file-only never spawns a helper: not even to list it.
    let listings = if args.file_only {
        no_listings(&config, ctx)
    } else {
        let helpers = no_listings(&config, ctx);
        if helpers.is_empty() {
            helpers
        } else {
            // Helpers are never run under the lock (one may take up to
            // --helper-timeout, and other writers wait): it is let go, and
            // taken again to write, the file then compared with this read.
            held = None;
            list_helpers(&config, ctx)
        }
    };
    let targets = targets(args, ctx, &config, &listings)?;
    let flavor = ctx.flavor;
    // --file-only: the helper each registry's secret may still be in.
    let mut left_in: std::collections::BTreeMap<String, String> = Default::default();

    let mut removals: Vec<Removal> = targets
        .iter()
        .map(|name| {
            // A namespaced auth.json key never lives in a helper.
            let store = match flavor {
                Flavor::Containers if registry::is_namespaced(name) => {
                    crate::logins::store::Store::File
                }
                _ => store_in(&config, name, flavor),
            };
            if args.file_only {
                if let Some(h) = store.helper() {
                    left_in.insert(name.clone(), h.to_string());
                }
            }
            let store = if args.file_only {
                crate::logins::store::Store::File
            } else {
                store
            };
            let file_keys = match flavor {
                Flavor::Docker => config.auth_keys_for(name),
                Flavor::Containers => config
                    .auth_keys()
                    .filter(|k| registry::normalize_containers(k) == *name)
                    .map(str::to_string)
                    .collect(),
            };
            let mut r = Removal {
                registry: name.clone(),
                file_keys,
                helper: store.helper().map(str::to_string),
                helper_keys: Vec::new(),
                error: None,
                dry_run: args.dry_run,
            };
            if let Some(h) = store.helper() {
                // Erase what `list` shows: a key it does not hold is not
                // there (and pass answers such an erase with an error). A
                // helper that cannot list is not touched: the registry
                // fails and keeps its file entry.
                match (&listings[h], flavor) {
                    (Ok(l), Flavor::Docker) => r.helper_keys = l.keys_for(name).to_vec(),
                    (Ok(l), Flavor::Containers) => {
                        r.helper_keys = l
                            .entries
                            .get_key_value(name)
                            .map(|(k, _)| k.clone())
                            .into_iter()
                            .collect()
                    }
                    (Err(e), _) => r.error = Some(e.to_string()),
                }
            }
            r
        })
        .collect();

    // Helpers that answered erase with "not implemented".
    let mut no_erase: BTreeSet<String> = BTreeSet::new();
    if !args.dry_run {
        // Erase from helpers first. A failure is reported and the rest still
        // goes: the secret left in the helper is still found by `list` and
        // by a second `logout`, which can finish the job.
        for r in &mut removals {
            if let Some(h) = &r.helper {
                let client = ctx.helper_for(h, &config, Some(&r.registry));
                let mut erased = Vec::new();
                for k in &r.helper_keys {
                    match client.erase(k) {
                        Ok(()) => erased.push(k.clone()),
                        Err(e) if e.is_not_found() => {}
                        // Nothing to erase (ECR's helper keeps no state):
                        // said once per helper below, not a failure.
                        Err(e) if e.is_erase_unsupported() => {
                            no_erase.insert(h.clone());
                        }
                        Err(e) => {
                            r.error = Some(e.to_string());
                        }
                    }
                }
                r.helper_keys = erased;
            }
        }
        // A registry whose helper failed keeps its file entry, as docker
        // keeps it: the placeholder is what lets `list`, `audit` and a
        // second `logout` find the secret still in the helper.
        let ok: Vec<&Removal> = removals.iter().filter(|r| r.error.is_none()).collect();
        // Nothing in the file to remove: no lock, no write, and no directory
        // created (podman's /run/containers/UID may not even exist yet). A
        // login racing with this logout simply happened after it.
        let in_file = ok.iter().any(|r| !r.file_keys.is_empty());
        let names: BTreeSet<String> = ok.iter().map(|r| r.registry.clone()).collect();
        let planned: Vec<String> = ok.iter().flat_map(|r| r.file_keys.clone()).collect();
        let removed: Vec<String> = if !in_file {
            drop(held);
            Vec::new()
        } else if let Some(held) = held {
            // Read under this lock: what was found above is what is there.
            held.update(config, |c| {
                c.remove_auths(&planned);
                Ok(planned)
            })?
            .0
        } else {
            write::update_known(config, ctx.lock_timeout, |c, same| {
                // Re-read under the lock: remove what is there now. When
                // the file is as it was read, that is what was found above
                // (not normalising 100,000 keys a second time, #17).
                let keys: Vec<String> = if same {
                    planned
                } else {
                    c.auth_keys()
                        .filter(|k| names.contains(key_name(k, flavor).as_ref()))
                        .map(str::to_string)
                        .collect()
                };
                c.remove_auths(&keys);
                Ok(keys)
            })?
            .0
        };
        for r in &mut removals {
            if r.error.is_some() {
                r.file_keys.clear();
                continue;
            }
            r.file_keys = removed
                .iter()
                .filter(|k| key_name(k, flavor) == r.registry)
                .cloned()
                .collect();
        }
    }

    for h in &no_erase {
        output::note(&format!(
            "docker-credential-{} does not implement erase (it keeps no secrets): nothing to erase there",
            output::escape(h)
        ));
    }
    report(args, ctx, &removals, &left_in)?;
    let failed = removals.iter().any(|r| r.error.is_some());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The name a key or argument stands for in a file of `flavor`: docker's
/// normalised registry, or the containers key (namespaces kept).
fn key_name(key: &str, flavor: Flavor) -> std::borrow::Cow<'_, str> {
    match flavor {
        Flavor::Docker => registry::normalize_cow(key),
        Flavor::Containers => registry::normalize_containers(key).into(),
    }
}

/// The normalised registries to log out of.
fn targets(
    args: &LogoutArgs,
    ctx: &Context,
    config: &Config,
    listings: &Listings,
) -> Result<BTreeSet<String>> {
    let name = |r: &str| key_name(r, ctx.flavor).into_owned();
    if ctx.flavor == Flavor::Containers {
        for r in &args.registries {
            registry::check_containers_key(r).map_err(anyhow::Error::msg)?;
        }
    }
    let mut names: BTreeSet<String> = args.registries.iter().map(|r| name(r)).collect();
    let patterns = args
        .matches
        .iter()
        .map(|g| {
            glob::Pattern::new(registry::strip_scheme_any_case(g))
                .map_err(|e| anyhow::anyhow!("--match {}: {e}", shell::quote(g)))
        })
        .collect::<Result<Vec<_>>>()?;
    // Host names are case-insensitive, and a key may carry a scheme
    // (`https://quay.io`): match either way.
    let opts = glob::MatchOptions {
        case_sensitive: false,
        ..glob::MatchOptions::new()
    };
    let matched = |key: &str, norm: &str| {
        patterns.iter().any(|p| {
            p.matches_with(norm, opts)
                || p.matches_with(key, opts)
                || p.matches_with(registry::strip_scheme_any_case(key), opts)
        })
    };
    if args.expired {
        // --expired with --match: only the expired logins that match.
        let expired = expired_registries(config, ctx, listings);
        for (registry, e) in &expired.unchecked {
            output::warn(&format!(
                "{}: cannot check its expiry: {e}",
                output::escape(registry)
            ));
        }
        names.extend(
            expired
                .registries
                .iter()
                .filter(|r| patterns.is_empty() || matched(r, &name(r)))
                .map(|r| name(r)),
        );
    } else if args.all || !patterns.is_empty() {
        let before = names.len();
        for l in inventory_from(config, listings, ctx.flavor).logins {
            let n = name(&l.registry);
            if args.all || matched(&l.registry, &n) {
                names.insert(n);
            }
        }
        if !args.all && names.len() == before && !args.quiet {
            let globs: Vec<String> = args
                .matches
                .iter()
                .map(|g| shell::quote(g).into_owned())
                .collect();
            output::note(&format!(
                "no login matches --match {}",
                globs.join(" --match ")
            ));
        }
    } else if names.is_empty() {
        names.insert(name(""));
    }
    Ok(names)
}

fn report(
    args: &LogoutArgs,
    ctx: &Context,
    removals: &[Removal],
    left_in: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    let mut stuck: Vec<&str> = Vec::new();
    for r in removals {
        if let (Some(h), Some(e)) = (&r.helper, &r.error) {
            output::warn(&format!(
                "{}: could not erase from docker-credential-{}: {e}",
                output::escape(&r.registry),
                output::escape(h)
            ));
            stuck.push(&r.registry);
        } else if !r.found() && !args.json && !args.quiet {
            output::note(&format!("Not logged in to {}", output::escape(&r.registry)));
        }
    }
    if !stuck.is_empty() {
        // The way out when the helper cannot run: the file entry goes, the
        // helper is never called.
        let mut words = vec!["logout", "--file-only"];
        words.extend(stuck.iter().copied());
        output::note(&format!(
            "to remove {} from {} only, leaving any secret in the helper untouched, run: {}",
            if stuck.len() == 1 {
                "this login"
            } else {
                "these logins"
            },
            ctx.file_label(),
            output::escape(&ctx.command(&words))
        ));
    }
    // --file-only: say once per helper that its secrets were not touched.
    let mut by_helper: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for r in removals.iter().filter(|r| !r.file_keys.is_empty()) {
        if let Some(h) = left_in.get(&r.registry) {
            by_helper.entry(h).or_default().push(&r.registry);
        }
    }
    for (h, regs) in by_helper {
        let regs: Vec<String> = regs
            .iter()
            .map(|r| output::escape(r).into_owned())
            .collect();
        output::note(&format!(
            "{} {} from {} only: any secret for {} left in docker-credential-{} is not touched",
            if args.dry_run {
                "would remove"
            } else {
                "removed"
            },
            if regs.len() == 1 {
                "the login"
            } else {
                "the logins"
            },
            ctx.file_label(),
            regs.join(", "),
            output::escape(h)
        ));
    }
    if args.json {
        let shown: Vec<&Removal> = removals.iter().filter(|r| r.found()).collect();
        return output::print_json(&shown);
    }
    if args.quiet {
        return Ok(());
    }
    for r in removals.iter().filter(|r| r.found()) {
        let mut from: Vec<String> = Vec::new();
        if !r.file_keys.is_empty() {
            from.push(ctx.file_label().into());
        }
        if let (Some(h), false) = (&r.helper, r.helper_keys.is_empty()) {
            from.push(format!("docker-credential-{}", output::escape(h)));
        }
        if from.is_empty() {
            continue;
        }
        let verb = if args.dry_run {
            "Would remove"
        } else {
            "Removing"
        };
        println!(
            "{verb} login credentials for {} ({})",
            output::escape(&r.registry),
            from.join(", ")
        );
    }
    Ok(())
}
