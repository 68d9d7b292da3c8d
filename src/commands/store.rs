//! `dockercfg store set|clear [--registry REG]`: switch or clear the
//! credential store docker uses, `credsStore` or one `credHelpers` entry.
//!
//! Setting the key by hand strands logins: docker asks the new helper,
//! which holds nothing, and the old `{}` placeholders point at a store that
//! is no longer asked (or, for a Docker Desktop config copied to Linux, at a
//! helper that is not even installed). This command does the switch whole:
//!
//! 1. Work out which registries change route (the scope's registries that
//!    no other key routes) and what each holds: a plaintext login docker
//!    would stop reading (refused: that is `migrate`'s job), a login in the
//!    old helper (copied, if the old helper runs), a placeholder.
//! 2. The new helper must be installed and answer; the old one is asked
//!    for its logins. One that cannot run keeps whatever it holds: nothing
//!    there is touched, and its placeholders are dropped.
//! 3. Each login the old helper holds goes into the new one with the
//!    verify-then-write rules of `transfer` (store, read back, compare). One
//!    failure and config.json is not changed at all.
//! 4. One `write::update` under the lock: the key is set or removed, and
//!    the placeholders no store will answer for are dropped.
//!
//! Re-running is safe (Docker Desktop writes `credsStore` back): a key that
//! already says what was asked for gives "already ...", exit 0. `--dry-run`
//! asks the helpers the same questions and stops before any write.
//!
//! Nothing is erased from the old helper: its copies stay where they were,
//! and `store set OLD` goes back.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::{StoreAction, StoreArgs};
use crate::config::{write, Config};
use crate::context::{Context, Flavor};
use crate::helper::{self, Credentials};
use crate::logins::store::{creds_store, store_in, Store};
use crate::registry;
use crate::transfer::{self, Probe};
use crate::{output, usage};

/// Which key the command changes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// `credsStore`.
    Global,
    /// `credHelpers[key]`, the key as docker (or podman) looks it up.
    Registry(String),
}

/// The key, and the helper it should name (None: remove it).
#[derive(Debug, Clone)]
struct Change {
    scope: Scope,
    to: Option<String>,
}

impl Change {
    /// The key as the file has it now (Some("") for a key set empty).
    fn current(&self, c: &Config) -> Option<String> {
        match &self.scope {
            Scope::Global if c.has_creds_store_key() => {
                Some(c.creds_store().unwrap_or_default().to_string())
            }
            Scope::Global => None,
            Scope::Registry(r) => c
                .cred_helpers()
                .find(|(k, _)| k == r)
                .map(|(_, h)| h.to_string()),
        }
    }

    fn apply(&self, c: &mut Config) {
        match (&self.scope, &self.to) {
            (Scope::Global, Some(h)) => c.set_creds_store(h),
            (Scope::Global, None) => {
                c.remove_creds_store();
            }
            (Scope::Registry(r), Some(h)) => c.set_cred_helper(r, h),
            (Scope::Registry(r), None) => {
                c.remove_cred_helper(r);
            }
        }
        // Docker Hub's other key, podman's, goes along (`is_hub`).
        if self.is_hub() {
            let podman_key = registry::CONTAINERS_HUB_KEY;
            match &self.to {
                Some(h) => c.set_cred_helper(podman_key, h),
                None => {
                    c.remove_cred_helper(podman_key);
                }
            }
        }
    }

    /// Docker Hub's docker key already says what was asked, podman's not.
    fn hub_half_set(&self, c: &Config) -> bool {
        let podman = c
            .cred_helpers()
            .find(|(k, _)| *k == registry::CONTAINERS_HUB_KEY)
            .map(|(_, h)| h);
        self.is_hub() && podman != self.to.as_deref()
    }

    /// Docker Hub in docker's config.json. Docker looks up only
    /// `credHelpers["https://index.docker.io/v1/"]` and asks the helper for
    /// that URL; podman, skopeo and buildah reading the file look up only
    /// `credHelpers["docker.io"]` and ask for `docker.io` (docker/cli's
    /// configfile; containers/image's `findCredentialsInFile`), so both
    /// keys are set or removed together, and the helper is given the login
    /// under both names (`Plan::alias`), as `migrate --helper` does.
    fn is_hub(&self) -> bool {
        matches!(&self.scope, Scope::Registry(r) if r == registry::DOCKER_HUB_KEY)
    }

    /// `credsStore` or `credHelpers["ghcr.io"]`, for messages.
    fn key(&self) -> String {
        match &self.scope {
            Scope::Global => "credsStore".to_string(),
            Scope::Registry(r) => format!("credHelpers[\"{r}\"]"),
        }
    }
}

/// One login the old helper holds that goes into the new one.
struct Copy {
    /// The registry's route name (`ghcr.io`).
    name: String,
    creds: Credentials,
    /// What the new helper already holds for it.
    probe: Probe,
}

/// Everything the change does, worked out before anything is written.
struct Plan {
    change: Change,
    before: Option<String>,
    old: Option<String>,
    new: Option<String>,
    copies: Vec<Copy>,
    /// `auths` keys (placeholders) to drop: no store will answer for them.
    drop: Vec<String>,
    /// Why the old helper was not asked, when it cannot run here.
    old_dead: Option<String>,
    /// Stale plaintext copies that docker will read again (the route goes
    /// back to the file).
    revived: Vec<String>,
    /// Docker Hub's login under `docker.io`, the name podman and skopeo
    /// ask the new helper for, when it does not hold it yet (`is_hub`).
    alias: Option<Credentials>,
}

pub fn run(args: &StoreArgs, ctx: &Context) -> Result<ExitCode> {
    let (to, registry, run) = match &args.action {
        StoreAction::Set(a) => (Some(a.name.clone()), a.registry.as_deref(), &a.run),
        StoreAction::Clear(a) => (None, a.registry.as_deref(), &a.run),
    };
    let (dry_run, json) = (run.dry_run, run.json);
    // With --json the result is on stdout: the notes would only repeat it.
    let quiet = run.quiet || json;
    let scope = scope(registry, to.as_deref(), ctx)?;
    let change = Change { scope, to };
    let config = Config::load(&ctx.config_path)?;
    let before = change.current(&config);
    if before == change.to && !change.hub_half_set(&config) {
        if !quiet {
            output::note(&match &change.to {
                Some(h) => format!("{} is already \"{h}\"; nothing to do.", change.key()),
                None => format!("{} is already unset; nothing to do.", change.key()),
            });
        }
        if json {
            output::print_json(&Outcome::unchanged(&change, before, dry_run))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let plan = plan(change, before, &config, ctx)?;
    if !run.quiet && change_hides_from_containers(&plan, ctx) {
        warn_containers(&plan, ctx);
    }
    if dry_run {
        if !quiet {
            report(&plan, ctx, true);
        }
        if json {
            output::print_json(&Outcome::of(&plan, true))?;
        }
        return Ok(ExitCode::SUCCESS);
    }

    // Copy first: nothing in the file changes until every login the old
    // helper holds is verified in the new one.
    if let Some(new) = &plan.new {
        for c in plan.copies.iter().filter(|c| c.probe == Probe::Absent) {
            let client = ctx.helper(new).redacting([c.creds.secret.clone()]);
            if let Err(e) = transfer::store_verified(&client, &c.creds) {
                bail!(
                    "cannot copy the login for {} into {}: {e}; config.json was not changed \
                     (logins already copied stay in both stores; run the command again once \
                     the cause is fixed)",
                    c.name,
                    helper::program_name(new)
                );
            }
        }
    }

    if let (Some(new), Some(alias)) = (&plan.new, &plan.alias) {
        let client = ctx.helper(new).redacting([alias.secret.clone()]);
        if let Err(e) = transfer::store_verified(&client, alias) {
            bail!(
                "cannot store the Docker Hub login as docker.io in {}: {e}; config.json was not \
                 changed",
                helper::program_name(new)
            );
        }
    }

    write::update(&ctx.config_path, ctx.lock_timeout, |c| {
        if plan.change.current(c) != plan.before {
            bail!(
                "{} changed while dockercfg was working (another program wrote the file); \
                 nothing was changed: run the command again",
                plan.change.key()
            );
        }
        let mut future = c.clone();
        plan.change.apply(&mut future);
        if let Some(key) = hidden_plaintext(c, &future, ctx.flavor).first() {
            bail!("{key} was logged in meanwhile with a plaintext login; nothing was changed: run the command again");
        }
        plan.change.apply(c);
        let drop: Vec<String> = plan
            .drop
            .iter()
            .filter(|k| c.auth_entry(k).is_some_and(|e| e.is_placeholder()))
            .cloned()
            .collect();
        c.remove_auths(&drop);
        Ok(())
    })?;
    if !quiet {
        report(&plan, ctx, false);
    }
    if json {
        output::print_json(&Outcome::of(&plan, false))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `store --json` prints: one object, the README's schema. `key` is
/// `credsStore` or `credHelpers` (then `registry` names the entry); `old`
/// and `new` are the key's value before and after (null: unset); `copied`
/// the registries whose login was (or, with `dry_run`, would be) copied
/// into the new helper; `dropped` the `{}` placeholders removed.
#[derive(serde::Serialize)]
struct Outcome<'a> {
    key: &'static str,
    registry: Option<&'a str>,
    old: Option<String>,
    new: Option<&'a str>,
    changed: bool,
    copied: Vec<&'a str>,
    dropped: Vec<&'a str>,
    dry_run: bool,
}

impl<'a> Outcome<'a> {
    fn of(plan: &'a Plan, dry_run: bool) -> Outcome<'a> {
        Outcome {
            copied: plan
                .copies
                .iter()
                .filter(|c| c.probe == Probe::Absent)
                .map(|c| c.name.as_str())
                .collect(),
            dropped: plan.drop.iter().map(String::as_str).collect(),
            ..Outcome::unchanged(&plan.change, plan.before.clone(), dry_run)
        }
        .changed()
    }

    /// The key already says what was asked: nothing to do.
    fn unchanged(change: &'a Change, before: Option<String>, dry_run: bool) -> Outcome<'a> {
        let (key, registry) = match &change.scope {
            Scope::Global => ("credsStore", None),
            Scope::Registry(r) => ("credHelpers", Some(r.as_str())),
        };
        Outcome {
            key,
            registry,
            old: before,
            new: change.to.as_deref(),
            changed: false,
            copied: Vec::new(),
            dropped: Vec::new(),
            dry_run,
        }
    }

    fn changed(mut self) -> Self {
        self.changed = true;
        self
    }
}

/// The key to change, or a usage error.
fn scope(registry: Option<&str>, to: Option<&str>, ctx: &Context) -> Result<Scope> {
    let Some(reg) = registry else {
        if ctx.is_containers() && to.is_some() {
            return usage(
                "podman, skopeo and buildah ignore credsStore, so it cannot be set in an \
                 auth.json; name the registry: store set --registry REGISTRY NAME (credHelpers)",
            );
        }
        if to == Some("ecr-login") {
            return usage(
                "ecr-login cannot be the global credsStore: it answers only for ECR registries \
                 (*.dkr.ecr.*.amazonaws.com), so every other registry's login would fail; set it \
                 per registry: store set --registry ACCOUNT.dkr.ecr.REGION.amazonaws.com ecr-login",
            );
        }
        return Ok(Scope::Global);
    };
    let bad = reg.trim().is_empty()
        || reg
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '*' | '?' | '[' | '"'));
    if bad {
        return usage(format!(
            "--registry {}: not a registry name (host[:port], such as ghcr.io; globs are not \
             accepted)",
            output::escape(reg)
        ));
    }
    Ok(Scope::Registry(match ctx.flavor {
        Flavor::Docker => registry::normalize(reg),
        Flavor::Containers => {
            if let Err(why) = registry::check_containers_key(reg) {
                return usage(format!("--registry {why}"));
            }
            let key = registry::normalize_containers(reg);
            if registry::is_namespaced(&key) {
                return usage(format!(
                    "--registry {}: a credential helper holds whole registries, not a namespace; \
                     name the registry ({})",
                    output::escape(reg),
                    registry::containers_host(&key)
                ));
            }
            key
        }
    }))
}

/// The name a key is routed by: docker's normalised key, or for an
/// auth.json the registry host (helpers hold no namespaced keys).
fn route_name(key: &str, flavor: Flavor) -> String {
    crate::logins::rules(flavor).helper_key(key)
}

/// `auths` keys holding a secret that docker reads now (the file is their
/// store) but would look up in a helper after the change.
fn hidden_plaintext(now: &Config, future: &Config, flavor: Flavor) -> Vec<String> {
    now.auths()
        .filter(|(_, e)| e.has_secret())
        .filter(|(k, _)| {
            store_in(now, k, flavor) == Store::File && store_in(future, k, flavor) != Store::File
        })
        .map(|(k, _)| k.to_string())
        .collect()
}

fn plan(change: Change, before: Option<String>, config: &Config, ctx: &Context) -> Result<Plan> {
    let flavor = ctx.flavor;
    let mut future = config.clone();
    change.apply(&mut future);

    // Plaintext logins are migrate's to move, verified one by one; a store
    // switch would only hide them from docker.
    let hidden = hidden_plaintext(config, &future, flavor);
    if !hidden.is_empty() {
        let fix = match (&change.scope, &change.to) {
            (Scope::Global, Some(h)) => ctx.command(&["migrate", "--store", h]),
            (Scope::Registry(r), Some(h)) => {
                ctx.command(&["migrate", "--helper", &format!("{r}={h}")])
            }
            (_, None) => unreachable!("removing a key never routes a login to a helper"),
        };
        bail!(
            "{} hold{} a plaintext login in {} that docker would stop reading once {} is set; \
             nothing was changed. Move {} into the store with `{fix}`",
            hidden.join(", "),
            if hidden.len() == 1 { "s" } else { "" },
            ctx.file_label(),
            change.key(),
            if hidden.len() == 1 { "it" } else { "them" },
        );
    }
    if flavor == Flavor::Containers {
        if let (Scope::Registry(r), Some(_)) = (&change.scope, &change.to) {
            let ns: Vec<&str> = config
                .auth_keys()
                .filter(|k| registry::is_namespaced(k) && route_name(k, flavor) == *r)
                .collect();
            if !ns.is_empty() {
                bail!(
                    "{} {} namespaced login{} of {r}, which a helper cannot hold: credHelpers for \
                     {r} would hide {} from podman; nothing was changed",
                    ns.join(", "),
                    if ns.len() == 1 { "is a" } else { "are" },
                    if ns.len() == 1 { "" } else { "s" },
                    if ns.len() == 1 { "it" } else { "them" },
                );
            }
        }
    }

    // The helpers the scope's registries are routed to, before and after.
    let (old, new) = match &change.scope {
        Scope::Global => (
            creds_store(config, flavor).map(str::to_string),
            creds_store(&future, flavor).map(str::to_string),
        ),
        Scope::Registry(r) => (
            store_in(config, r, flavor).helper().map(str::to_string),
            store_in(&future, r, flavor).helper().map(str::to_string),
        ),
    };
    let moves = |name: &str| store_in(config, name, flavor) != store_in(&future, name, flavor);

    // The new helper must run before anything else is asked.
    let new_listing = match &new {
        Some(n) => {
            let client = ctx.helper_for(n, config, None);
            let answer = client.list();
            let listing = answer.as_ref().ok().cloned();
            transfer::check_answer(n, answer.map(|_| ()))?;
            listing.unwrap_or_default()
        }
        None => BTreeMap::new(),
    };
    let new_holds: BTreeSet<String> = new_listing.keys().map(|u| route_name(u, flavor)).collect();

    // The logins the old helper holds for registries that change route.
    let mut copies = Vec::new();
    let mut old_dead = None;
    let mut held: BTreeSet<String> = BTreeSet::new();
    match &old {
        // Same helper both sides, or amazon-ecr-credential-helper, which
        // keeps no secrets (it makes tokens from AWS credentials): nothing
        // to copy.
        Some(o) if Some(o) == new.as_ref() || o == "ecr-login" => {}
        Some(o) => {
            let client = ctx.helper_for(o, config, None);
            match client.list() {
                Err(e) => old_dead = Some(e.to_string()),
                Ok(listing) => {
                    let mut seen = BTreeSet::new();
                    for url in listing.keys() {
                        let name = route_name(url, flavor);
                        if let Scope::Registry(r) = &change.scope {
                            if name != *r {
                                continue;
                            }
                        }
                        if !moves(&name) || !seen.insert(name.clone()) {
                            continue;
                        }
                        let creds = match client.get(url) {
                            Ok(c) => c,
                            // Listed but not readable: nothing to copy.
                            Err(e) if e.is_not_found() => continue,
                            Err(e) => bail!(
                                "cannot read the login for {name} from {}: {e}; nothing was changed",
                                client.program()
                            ),
                        };
                        held.insert(name.clone());
                        copies.push(Copy {
                            name: name.clone(),
                            creds: Credentials {
                                server_url: name,
                                ..creds
                            },
                            probe: Probe::Absent,
                        });
                    }
                }
            }
        }
        None => {}
    }
    match &new {
        None if !copies.is_empty() => {
            let names: Vec<&str> = copies.iter().map(|c| c.name.as_str()).collect();
            let o = old.as_deref().unwrap_or_default();
            let words: Vec<&str> = std::iter::once("logout")
                .chain(names.iter().copied())
                .collect();
            bail!(
                "{} holds {} login{} that docker would no longer find once {} is removed: {}; \
                 nothing was changed. Move them to another store with `{}`, or log out of them \
                 with `{}`",
                helper::program_name(o),
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                change.key(),
                names.join(", "),
                ctx.command(&["store", "set", "NAME"]),
                ctx.command(&words),
            );
        }
        None => {}
        Some(n) => {
            for c in &mut copies {
                let client = ctx.helper(n).redacting([c.creds.secret.clone()]);
                c.probe = transfer::probe(&client, &c.creds)
                    .map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))?;
                if c.probe == Probe::Different {
                    bail!(
                        "{} already holds a different login for {}; nothing was changed. Keep \
                         one: `{}` removes the one in {} (then run this again), or log out of \
                         the other store",
                        helper::program_name(n),
                        c.name,
                        ctx.command(&["logout", &c.name]),
                        helper::program_name(old.as_deref().unwrap_or_default()),
                    );
                }
            }
        }
    }

    // Placeholders of registries that change route stay only where the new
    // helper will answer for them.
    let mut drop = Vec::new();
    let mut revived = Vec::new();
    for (key, entry) in config.auths() {
        let name = route_name(key, flavor);
        if !moves(&name) {
            continue;
        }
        if entry.is_placeholder() {
            let answered = new.is_some() && (held.contains(&name) || new_holds.contains(&name));
            if !answered {
                drop.push(key.to_string());
            }
        } else if entry.has_secret() && store_in(&future, key, flavor) == Store::File {
            revived.push(key.to_string());
        }
    }
    let alias = hub_alias(&change, new.as_deref(), &copies, config, ctx)?;
    Ok(Plan {
        change,
        before,
        old,
        new,
        copies,
        drop,
        old_dead,
        revived,
        alias,
    })
}

/// For Docker Hub (`Change::is_hub`): the login that goes into `new` under
/// `docker.io`, the copied one or the one `new` holds under docker's URL;
/// None when `new` already holds it there, or holds no Hub login at all.
/// A different login under `docker.io` (podman's own) is refused.
fn hub_alias(
    change: &Change,
    new: Option<&str>,
    copies: &[Copy],
    config: &Config,
    ctx: &Context,
) -> Result<Option<Credentials>> {
    let (true, Some(n)) = (change.is_hub(), new) else {
        return Ok(None);
    };
    let client = ctx.helper_for(n, config, None);
    let login = match copies.iter().find(|c| c.name == registry::DOCKER_HUB_KEY) {
        Some(c) => c.creds.clone(),
        None => match client.get(registry::DOCKER_HUB_KEY) {
            Ok(c) => c,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => bail!("{e}; nothing was changed"),
        },
    };
    let want = Credentials {
        server_url: registry::CONTAINERS_HUB_KEY.to_string(),
        ..login
    };
    let client = client.redacting([want.secret.clone()]);
    match transfer::probe(&client, &want)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))?
    {
        Probe::Same => Ok(None),
        Probe::Absent => Ok(Some(want)),
        Probe::Different => bail!(
            "{} already holds a different login for docker.io, the name podman and skopeo ask \
             it for Docker Hub; nothing was changed. Keep one: erase the other from the helper \
             (`{}` erases both), then run this again",
            helper::program_name(n),
            ctx.command(&["logout", "docker.io"]),
        ),
    }
}

/// Whether podman, skopeo or buildah (which read docker's config.json but
/// never its credsStore) lose logins by this change, and one is installed.
fn change_hides_from_containers(plan: &Plan, ctx: &Context) -> bool {
    ctx.flavor == Flavor::Docker
        && plan.change.scope == Scope::Global
        && plan.change.to.is_some()
        && plan.before.as_deref().is_none_or(str::is_empty)
        && !transfer::containers_tools_on_path().is_empty()
}

fn warn_containers(plan: &Plan, ctx: &Context) {
    let tools = transfer::containers_tools_on_path().join(", ");
    let h = plan.change.to.as_deref().unwrap_or_default();
    output::warn(&format!(
        "{tools} read{} config.json but never credsStore: logins docker keeps in {} are \
         invisible to {}. For them, name the helper per registry instead: `{}`",
        if tools.contains(',') { "" } else { "s" },
        helper::program_name(h),
        if tools.contains(',') { "them" } else { "it" },
        ctx.command(&["store", "set", "--registry", "REGISTRY", h]),
    ));
}

fn report(plan: &Plan, ctx: &Context, dry: bool) {
    let would = |now: &str, then: &str| {
        if dry {
            then.to_string()
        } else {
            now.to_string()
        }
    };
    let key = plan.change.key();
    let was = match plan.before.as_deref() {
        None => "unset".to_string(),
        Some(b) => format!("\"{b}\""),
    };
    if let (Some(o), Some(why)) = (&plan.old, &plan.old_dead) {
        output::note(&format!(
            "{} cannot run here ({why}): any secret left in that store is not touched.",
            helper::program_name(o)
        ));
    }
    let copied: Vec<&str> = plan
        .copies
        .iter()
        .filter(|c| c.probe == Probe::Absent)
        .map(|c| c.name.as_str())
        .collect();
    let there: Vec<&str> = plan
        .copies
        .iter()
        .filter(|c| c.probe == Probe::Same)
        .map(|c| c.name.as_str())
        .collect();
    if let (Some(o), Some(n)) = (&plan.old, &plan.new) {
        if !copied.is_empty() {
            output::note(&format!(
                "{} {} login(s) from {} to {}{}: {}. The copies in {o} are left as they are.",
                would("Copied", "Would copy"),
                copied.len(),
                helper::program_name(o),
                helper::program_name(n),
                if dry {
                    ""
                } else {
                    ", each read back and compared"
                },
                copied.join(", ")
            ));
        }
        if !there.is_empty() {
            output::note(&format!(
                "{} already holds the same login(s) for {}.",
                helper::program_name(n),
                there.join(", ")
            ));
        }
    }
    if !plan.drop.is_empty() {
        output::note(&format!(
            "{} {} placeholder(s) no store will answer for: {}.",
            would("Dropped", "Would drop"),
            plan.drop.len(),
            plan.drop
                .iter()
                .map(|k| output::escape(k).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !plan.revived.is_empty() {
        output::note(&format!(
            "docker {} the plaintext in {} for {} again (it was a copy docker ignored).",
            would("now reads", "would read"),
            ctx.file_label(),
            plan.revived.join(", ")
        ));
    }
    if let (Some(n), Some(_)) = (&plan.new, &plan.alias) {
        output::note(&format!(
            "{} the Docker Hub login in {} as docker.io too, the name podman and skopeo ask for.",
            would("Stored", "Would store"),
            helper::program_name(n)
        ));
    }
    output::note(&match &plan.change.to {
        Some(h) => format!(
            "{} {key} to \"{h}\" (was {was}).",
            would("Set", "Would set")
        ),
        None => format!("{} {key} (was {was}).", would("Removed", "Would remove")),
    });
    if dry {
        output::note("Dry run: nothing was changed.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    fn ctx(flavor: Flavor) -> Context {
        Context::new(
            PathBuf::from("/t/config.json"),
            Duration::from_secs(1),
            Duration::from_secs(1),
        )
        .with_flavor(flavor)
    }

    #[test]
    fn scope_normalises_and_refuses_what_cannot_work() {
        let d = ctx(Flavor::Docker);
        assert_eq!(
            scope(Some("https://GHCR.io/x"), Some("pass"), &d).unwrap(),
            Scope::Registry("ghcr.io".into())
        );
        assert_eq!(
            scope(Some("docker.io"), None, &d).unwrap(),
            Scope::Registry(registry::DOCKER_HUB_KEY.into())
        );
        assert_eq!(scope(None, Some("pass"), &d).unwrap(), Scope::Global);
        assert_eq!(scope(None, None, &d).unwrap(), Scope::Global);
        let usage_error =
            |r: Result<Scope>| r.unwrap_err().downcast_ref::<crate::UsageError>().is_some();
        assert!(usage_error(scope(None, Some("ecr-login"), &d)));
        assert!(usage_error(scope(Some("*.gcr.io"), Some("gcloud"), &d)));
        assert!(usage_error(scope(Some(" "), None, &d)));
        let p = ctx(Flavor::Containers);
        assert!(usage_error(scope(None, Some("pass"), &p)));
        assert_eq!(scope(None, None, &p).unwrap(), Scope::Global);
        assert!(usage_error(scope(Some("quay.io/org"), Some("pass"), &p)));
        assert_eq!(
            scope(Some("https://quay.io"), Some("pass"), &p).unwrap(),
            Scope::Registry("quay.io".into())
        );
    }

    #[test]
    fn change_sets_and_removes_its_key_only() {
        let text =
            r#"{"auths":{"a.io":{}},"credsStore":"desktop","credHelpers":{"b.io":"ecr-login"}}"#;
        let c = Config::parse(Path::new("/t/config.json"), text.to_string(), true).unwrap();
        let clear = Change {
            scope: Scope::Registry("b.io".into()),
            to: None,
        };
        assert_eq!(clear.current(&c).as_deref(), Some("ecr-login"));
        let mut c2 = c.clone();
        clear.apply(&mut c2);
        assert_eq!(clear.current(&c2), None);
        assert_eq!(c2.creds_store(), Some("desktop"));
        let set = Change {
            scope: Scope::Global,
            to: Some("pass".into()),
        };
        set.apply(&mut c2);
        assert_eq!(c2.creds_store(), Some("pass"));
        let mut c3 = c2.clone();
        Change {
            scope: Scope::Global,
            to: None,
        }
        .apply(&mut c3);
        assert!(!c3.has_creds_store_key());
        let v: serde_json::Value = serde_json::from_str(c3.text()).unwrap();
        assert_eq!(v, serde_json::json!({"auths":{"a.io":{}},"credHelpers":{}}));
    }
}
