//! Doing it: the backup, the helper calls in parallel (get, store, get,
//! compare), and the one rewrite of config.json under the lock. The order is
//! what makes a kill at any instant safe; see the parent module.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Result};
use serde_json::Value;

use super::report::Progress;
use super::{routing, set, unrouted_error, Action, Item, Plan, Status};
use crate::config::{describe_io, write, Config};
use crate::context::Context;
use crate::helper::{Credentials, HelperClient};
use crate::logins::store::store_for;
use crate::transfer::{self, Probe};

/// Write the original text to `path`: a new file (never an existing one),
/// 0600 from its creation, flushed to disk before anything else changes.
pub(super) fn write_backup(path: &Path, text: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = opts.open(path).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written {
        let why = match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                "it exists, and migrate never overwrites a file".to_string()
            }
            _ => describe_io(&e),
        };
        bail!(
            "cannot write the backup {}: {why}; nothing was changed",
            path.display()
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// What became of one login at its helper.
pub(super) enum Outcome {
    /// The helper holds exactly this login.
    Verified,
    Failed(String),
}

/// Run `f` on every item with credentials that `select` picks, `jobs` at a
/// time, with a client for its helper. Items bound for the same helper and
/// server run one after the other, so two spellings of one registry cannot
/// race. Returns one result per item (None for items not run), in item
/// order; `done` is told of each as it finishes.
pub(super) fn execute<T: Send>(
    items: &[Item],
    ctx: &Context,
    jobs: usize,
    select: impl Fn(&Item) -> bool,
    f: impl Fn(&HelperClient, &Item, &Credentials) -> T + Sync,
    done: impl Fn(&str, &T) + Sync,
) -> Vec<Option<T>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_target: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, item) in items.iter().enumerate().filter(|(_, item)| select(item)) {
        if let (Some(c), Some(h)) = (&item.creds, &item.row.to) {
            let g = *by_target
                .entry((h.as_str(), c.server_url.as_str()))
                .or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
            groups[g].push(i);
        }
    }
    let results: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, groups.len().max(1)) {
            s.spawn(|| loop {
                let g = next.fetch_add(1, Ordering::Relaxed);
                let Some(group) = groups.get(g) else { break };
                for &i in group {
                    let item = &items[i];
                    let (Some(creds), Some(h)) = (&item.creds, &item.row.to) else {
                        continue;
                    };
                    // Redacted by the client, before the message is cut
                    // to length (a cut secret would escape `scrub`).
                    let client = ctx.helper(h).redacting([creds.secret.clone()]);
                    let result = f(&client, item, creds);
                    done(&item.row.registry, &result);
                    *results[i].lock().expect("no panics while held") = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().expect("no panics while held"))
        .collect()
}

/// What each target helper holds for a login (`transfer::probe`), and for
/// its alias if it has one, asked before anything is decided: the dry run
/// and the real run decide from the same answers.
pub(super) type Probes = (Result<Probe, String>, Option<Result<Probe, String>>);

pub(super) fn probe_all(items: &[Item], ctx: &Context, jobs: usize) -> Vec<Option<Probes>> {
    execute(
        items,
        ctx,
        jobs,
        |_| true,
        |client, item, creds| {
            let main = transfer::probe(client, creds);
            let alias = item.alias.as_ref().map(|a| transfer::probe(client, a));
            (main, alias)
        },
        |_, _| {},
    )
}

/// Store every item planned for it and read it back (`transfer`'s rules,
/// shared with `store`).
pub(super) fn store_all(
    items: &[Item],
    ctx: &Context,
    jobs: usize,
    progress: &Progress,
) -> Vec<Option<Outcome>> {
    let store = Some(Action::Store);
    let selected = |i: &Item| {
        (i.action == store || i.alias_action == store) && i.row.status == Status::Planned
    };
    progress.start(items.iter().filter(|i| selected(i)).count());
    let out = execute(
        items,
        ctx,
        jobs,
        selected,
        |client, item, creds| {
            let main = if item.action == store {
                transfer::store_verified(client, creds)
            } else {
                Ok(())
            };
            let both = main.and_then(|()| match (&item.alias, item.alias_action) {
                (Some(alias), Some(Action::Store)) => transfer::store_verified(client, alias)
                    .map_err(|e| format!("as {}: {e}", alias.server_url)),
                _ => Ok(()),
            });
            match both {
                Ok(()) => Outcome::Verified,
                Err(e) => Outcome::Failed(e),
            }
        },
        |registry, outcome| progress.finished(registry, outcome),
    );
    progress.finish();
    out
}

/// What the rewrite did beyond the entries' statuses.
#[derive(Default)]
pub(super) struct Rewritten {
    /// The routing keys now set.
    pub(super) applied: Vec<super::Edit>,
    /// Logins still in plaintext that docker now looks up in a helper.
    pub(super) hidden: Vec<String>,
}

/// Rewrite config.json once, under the lock.
pub(super) fn rewrite(plan: &mut Plan, ctx: &Context) -> Result<Rewritten> {
    let items = &plan.items;
    let edits = &plan.edits;
    let verified: BTreeSet<usize> = (0..items.len())
        .filter(|&i| items[i].row.status == Status::Planned && items[i].creds.is_some())
        .collect();
    // Still the plaintext that was migrated? (A login or logout may have
    // happened meanwhile: then the entry is not ours to replace.) Asked of
    // every entry, so asked before the lock, on the file as it is now: under
    // the lock only if the file changed since. The placeholders too are made
    // before: a `logout` waits while the lock is held (#17).
    let unchanged_in = |c: &Config| -> BTreeSet<usize> {
        let now: HashMap<&str, Value> = c.auth_values().collect();
        verified
            .iter()
            .copied()
            .filter(|&i| now.get(items[i].row.registry.as_str()) == Some(&items[i].raw))
            .collect()
    };
    let mut placeholder_of: Vec<Option<Value>> = (0..items.len())
        .map(|i| {
            verified
                .contains(&i)
                .then(|| transfer::placeholder(&items[i].raw))
        })
        .collect();
    let known = Config::load(&ctx.config_path).ok();
    let unchanged_before = known.as_ref().map(unchanged_in);
    let edit = |c: &mut Config, same: bool| {
        let unchanged = match unchanged_before {
            Some(u) if same => u,
            _ => unchanged_in(c),
        };
        // A routing key is set only for logins moved and verified; one that
        // would re-route a login staying in plaintext is not (see `routing`).
        let (final_edits, unrouted) = routing(edits, items, &|i| !unchanged.contains(&i));
        let mut done = Rewritten::default();
        for e in final_edits {
            match e.current(c) {
                None => {
                    e.apply(c);
                    done.applied.push(e);
                }
                Some(h) if h == e.helper => done.applied.push(e),
                // Set by someone else meanwhile: theirs stands, and the route
                // check below keeps any plaintext it would hide.
                Some(_) => {}
            }
        }
        let mut results = Vec::new();
        // Every placeholder in one bulk edit: the lock is held for one pass
        // over the text, not one per login (#17).
        let mut placeholders = Vec::new();
        for &i in &verified {
            let item = &items[i];
            let key = &item.row.registry;
            let helper = item.row.to.as_deref();
            let result = if unrouted.contains(&i) {
                Err(unrouted_error(key, helper))
            } else if !unchanged.contains(&i) {
                Err(
                    "its entry in config.json changed during the migration; left as it is \
                     (run migrate again)"
                        .to_string(),
                )
            } else if store_for(c, key).helper() != helper {
                Err(format!(
                    "config.json no longer sends it to {}; left in plaintext",
                    helper.unwrap_or("a helper")
                ))
            } else {
                let value = placeholder_of[i].take().expect("one per verified login");
                placeholders.push((key.clone(), value));
                Ok(())
            };
            results.push((i, result));
        }
        c.set_auths(placeholders);
        let placed: BTreeSet<usize> = results
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(i, _)| *i)
            .collect();
        done.hidden = (0..items.len())
            .filter(|i| items[*i].creds.is_some() && !placed.contains(i))
            .map(|i| items[i].row.registry.clone())
            .filter(|k| store_for(c, k).helper().is_some())
            .collect();
        Ok((done, results))
    };
    let (results, _) = match known {
        Some(k) => write::update_known(k, ctx.lock_timeout, edit),
        None => write::update(&ctx.config_path, ctx.lock_timeout, |c| edit(c, false)),
    }
    .map_err(|e| {
        e.context(
            "the credentials are in their stores, but config.json could not be rewritten, \
             so it still holds them in plaintext (run migrate again)",
        )
    })?;
    let (done, results) = results;
    for (i, result) in results {
        let item = &mut plan.items[i];
        match result {
            Ok(()) if item.action == Some(Action::DropStale) => item.row.status = Status::Dropped,
            Ok(()) => item.row.status = Status::Migrated,
            Err(why) => set(item, Status::Failed, Some(why), false),
        }
    }
    Ok(done)
}
