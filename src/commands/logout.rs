//! `dockercfg logout`: remove logins from config.json and from the helper
//! that holds them, by any spelling of the registry, one or many at once.
//!
//! Unlike `docker logout`, `docker.io` finds the Hub login, a key written
//! `https://ghcr.io` is found by `ghcr.io`, and a helper failure is an exit 1
//! (after removing everything else) so scripts notice.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::cli::LogoutArgs;
use crate::commands::list::{inventory_from, list_helpers, Listings};
use crate::config::{write, Config};
use crate::context::Context;
use crate::output;
use crate::registry::normalize;
use crate::store::store_for;

/// One registry's logout, as `logout --json` prints it.
#[derive(Debug, Serialize)]
pub struct Removal {
    /// The registry, normalised (Docker Hub is `https://index.docker.io/v1/`).
    pub registry: String,
    /// The config.json keys removed (or that would be, with --dry-run).
    pub file_keys: Vec<String>,
    /// The helper it was erased from, if any.
    pub helper: Option<String>,
    /// The helper's server keys erased.
    pub helper_keys: Vec<String>,
    /// Why the helper erase failed, if it did.
    pub error: Option<String>,
}

impl Removal {
    fn found(&self) -> bool {
        !self.file_keys.is_empty() || !self.helper_keys.is_empty() || self.error.is_some()
    }
}

pub fn run(args: &LogoutArgs, ctx: &Context) -> Result<ExitCode> {
    let config = Config::load(&ctx.config_path)?;
    let listings = list_helpers(&config, ctx);
    let targets = targets(args, ctx, &config, &listings)?;

    let mut removals: Vec<Removal> = targets
        .iter()
        .map(|name| {
            let store = store_for(&config, name);
            let mut r = Removal {
                registry: name.clone(),
                file_keys: config.auth_keys_for(name),
                helper: store.helper().map(str::to_string),
                helper_keys: Vec::new(),
                error: None,
            };
            if let Some(h) = store.helper() {
                match &listings[h] {
                    Ok(l) => r.helper_keys = l.keys_for(name).to_vec(),
                    Err(e) => r.error = Some(e.to_string()),
                }
            }
            r
        })
        .collect();

    if !args.dry_run {
        // Erase from helpers first. A failure is reported and the rest still
        // goes: the secret left in the helper is still found by `list` and
        // by a second `logout`, which can finish the job.
        for r in &mut removals {
            if let Some(h) = &r.helper {
                let client = ctx.helper(h);
                let mut erased = Vec::new();
                for k in &r.helper_keys {
                    match client.erase(k) {
                        Ok(()) => erased.push(k.clone()),
                        Err(e) if e.is_not_found() => {}
                        Err(e) => {
                            r.error = Some(e.to_string());
                        }
                    }
                }
                r.helper_keys = erased;
            }
        }
        let names: BTreeSet<String> = removals.iter().map(|r| r.registry.clone()).collect();
        let (removed, _) = write::update_from(config, ctx.lock_timeout, |c| {
            // Re-read under the lock: remove what is there now.
            let keys: Vec<String> = c
                .auth_values()
                .map(|(k, _)| k)
                .filter(|k| names.contains(crate::registry::normalize_cow(k).as_ref()))
                .cloned()
                .collect();
            c.remove_auths(&keys);
            Ok(keys)
        })?;
        for r in &mut removals {
            r.file_keys = removed
                .iter()
                .filter(|k| normalize(k) == r.registry)
                .cloned()
                .collect();
        }
    }

    report(args, &removals)?;
    let failed = removals.iter().any(|r| r.error.is_some());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The normalised registries to log out of.
fn targets(
    args: &LogoutArgs,
    ctx: &Context,
    config: &Config,
    listings: &Listings,
) -> Result<BTreeSet<String>> {
    let mut names: BTreeSet<String> = args.registries.iter().map(|r| normalize(r)).collect();
    if args.expired {
        names.extend(
            crate::commands::audit::expired_registries(config, ctx, listings)
                .iter()
                .map(|r| normalize(r)),
        );
    }
    if args.all || !args.matches.is_empty() {
        let patterns = args
            .matches
            .iter()
            .map(|g| glob::Pattern::new(g).map_err(|e| anyhow::anyhow!("--match {g:?}: {e}")))
            .collect::<Result<Vec<_>>>()?;
        for l in inventory_from(config, listings).logins {
            let name = normalize(&l.registry);
            let hit = args.all
                || patterns
                    .iter()
                    .any(|p| p.matches(&name) || p.matches(&l.registry));
            if hit {
                names.insert(name);
            }
        }
    } else if names.is_empty() && !args.expired {
        names.insert(normalize(""));
    }
    Ok(names)
}

fn report(args: &LogoutArgs, removals: &[Removal]) -> Result<()> {
    for r in removals {
        if let (Some(h), Some(e)) = (&r.helper, &r.error) {
            output::warn(&format!(
                "{}: could not erase from docker-credential-{h}: {e}",
                r.registry
            ));
        } else if !r.found() && !args.json {
            output::note(&format!("Not logged in to {}", r.registry));
        }
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
            from.push("config.json".into());
        }
        if let (Some(h), false) = (&r.helper, r.helper_keys.is_empty()) {
            from.push(format!("docker-credential-{h}"));
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
            r.registry,
            from.join(", ")
        );
    }
    Ok(())
}
