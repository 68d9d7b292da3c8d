//! Docker's rules, in one place (docker/cli `ResolveAuthConfig` +
//! `configfile.GetCredentialsStore`).
//!
//! An image reference is normalised (`reference`); the lookup key is
//! `https://index.docker.io/v1/` for Docker Hub, else the registry as
//! written. Then, in order:
//! 1. `DOCKER_AUTH_CONFIG` (`envauth`), by exact key; found there, nothing
//!    else is asked, even for an empty entry.
//! 2. exactly ONE of: `credHelpers[key]` (exact key; `""` means the file),
//!    else `credsStore`, else the file. A helper that has nothing means no
//!    credentials: docker does not fall back to the file's plaintext.
//! 3. the file store: the exact key, else any key whose host is the lookup
//!    key (`https://ghcr.io` for `ghcr.io`).
//!
//! With [`Lookup::AnySpelling`] (a registry named by the user) the lookup key
//! is the registry's normalised key, the file's key is found whatever its
//! spelling, and a helper is asked by the file's key and then by the keys its
//! `list` gives for the registry.

use anyhow::Result;

use super::resolve::{
    ask_helper, check_secrets, entry_answer, helper_has_nothing, Detail, Lookup, Outcome, Query,
    Source, Step, Target, Trace,
};
use super::rules::Rules;
use super::store::{pick, Store};
use crate::auth::{AuthEntry, Kind};
use crate::config::Config;
use crate::context::Context;
use crate::envauth::VAR;
use crate::registry::{self, normalize};

/// Docker's rules.
pub struct Docker;

impl Rules for Docker {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn login_key(&self, name: &str) -> String {
        normalize(name)
    }

    fn helper_key(&self, name: &str) -> String {
        normalize(name)
    }

    /// `credHelpers` is looked up by the registry's normalised key *exactly*
    /// (`ghcr.io`, or `https://index.docker.io/v1/` for Hub), so a key
    /// written `https://ghcr.io` in credHelpers is one docker never uses.
    fn store(&self, config: &Config, registry: &str) -> Store {
        // `helper_key`, without a copy of a key that is normal already.
        pick(
            config,
            &registry::normalize_cow(registry),
            config.creds_store(),
        )
    }

    fn creds_store<'c>(&self, config: &'c Config) -> Option<&'c str> {
        config.creds_store()
    }

    fn walk(&self, query: &Query, config: &Config, ctx: &Context, detail: Detail) -> Result<Trace> {
        Ok(walk(query, config, ctx, detail))
    }
}

fn walk(query: &Query, config: &Config, ctx: &Context, detail: Detail) -> Trace {
    let (key, raw) = match &query.target {
        Target::Image(image) => (image.auth_key(), None),
        Target::Registry(r) => (normalize(r), Some(r.as_str())),
    };
    let mut t = Trace::new("docker", vec![key.clone()]).with_detail(detail);
    if let Target::Image(image) = &query.target {
        if image.domain.bytes().any(|b| b.is_ascii_uppercase()) {
            t.problem(|| format!(
                "the registry is written with upper case: docker looks up `{key}` exactly, and a login stored as `{}` is not used",
                key.to_ascii_lowercase()
            ));
        }
    }

    // 1. DOCKER_AUTH_CONFIG.
    let mut answered = false;
    if let Some(env) = &query.env {
        if let Some(w) = &env.warning {
            t.problem(|| w.clone());
            t.warnings.push(w.clone());
            t.step(|| Step::new(Source::Env, Outcome::Error, None, w.clone()));
        } else if !env.is_active() {
            t.step(|| {
                Step::new(
                    Source::Env,
                    Outcome::NotConfigured,
                    None,
                    format!("{VAR} is not set"),
                )
            });
        } else if let Some(entry) = env.lookup(&key) {
            answered = true;
            if entry.has_secret() {
                t.step(|| {
                    Step::new(
                        Source::Env,
                        Outcome::Used,
                        Some(&key),
                        format!("{VAR} holds {key}"),
                    )
                });
                if t.detailed() {
                    check_secrets(&entry, &key, &mut t.problems);
                }
            } else {
                t.step(|| {
                    Step::new(
                        Source::Env,
                        Outcome::Used,
                        Some(&key),
                        format!("{VAR} holds an empty entry for {key}"),
                    )
                });
                t.problem(|| format!(
                    "the entry for {key} in {VAR} is empty: docker sends no credentials and looks nowhere else"
                ));
            }
            let mut answer = entry_answer(Source::Env, &key, &entry, None);
            if !entry.has_secret() {
                answer.empty = true;
                answer.kind = Kind::None;
            }
            t.answer = Some(answer);
        } else {
            t.step(|| {
                let near = env.near_misses(&key);
                let detail = if near.is_empty() {
                    format!("{VAR} has no entry for {key}")
                } else {
                    format!(
                        "{VAR} has {}, but docker looks up {key} exactly",
                        near.join(", ")
                    )
                };
                Step::new(Source::Env, Outcome::NotFound, Some(&key), detail)
            });
        }
    }

    // 2. credHelpers, credsStore, file: exactly one is the store.
    let by_helper = config
        .cred_helpers()
        .find(|(k, _)| *k == key)
        .map(|(_, h)| h.to_string());
    let creds_store = config.creds_store().map(str::to_string);
    let wait = |answered: bool, o: Outcome| {
        if answered {
            Outcome::NotConsulted
        } else {
            o
        }
    };
    let store = pick(config, &key, creds_store.as_deref());

    // The credHelpers step.
    match &by_helper {
        Some(h) if h.is_empty() => t.step(|| {
            Step::new(
                Source::CredHelpers,
                wait(answered, Outcome::PassedOver),
                Some(&key),
                "credHelpers names an empty helper for it: docker uses the file".into(),
            )
        }),
        Some(_) => {}
        None => t.step(|| {
            let near_helpers: Vec<&str> = config
                .cred_helpers()
                .filter(|(k, _)| *k != key && registry::same_registry(k, &key))
                .map(|(k, _)| k)
                .collect();
            let detail = if near_helpers.is_empty() {
                format!("no credHelpers entry for {key}")
            } else {
                format!(
                    "credHelpers has {}, but docker looks up {key} exactly",
                    near_helpers.join(", ")
                )
            };
            Step::new(Source::CredHelpers, Outcome::NotConfigured, None, detail)
        }),
    }
    // The credsStore step, when credHelpers decided.
    if let Some(s) = &creds_store {
        if by_helper.is_some() {
            t.step(|| {
                Step::new(
                    Source::CredsStore,
                    wait(answered, Outcome::PassedOver),
                    None,
                    format!("credsStore is {s}, but credHelpers decides for {key}"),
                )
            });
        }
    } else if by_helper.is_none() {
        t.step(|| {
            Step::new(
                Source::CredsStore,
                Outcome::NotConfigured,
                None,
                "credsStore is not set".into(),
            )
        });
    }

    let file_key = |config: &Config| match (query.lookup, raw) {
        (Lookup::AnySpelling, Some(raw)) => config.find_auth_key(raw).map(str::to_string),
        _ => registry::docker_file_key(config.auth_keys(), &key).map(str::to_string),
    };
    let Some(name) = store.helper() else {
        look_in_file(config, &key, file_key(config), answered, &mut t);
        return t;
    };
    let source = match store {
        Store::CredHelper(_) => Source::CredHelpers,
        _ => Source::CredsStore,
    };
    if answered {
        t.step(|| {
            Step::new(
                source,
                Outcome::NotConsulted,
                Some(&key),
                format!("docker-credential-{name} is not asked: {VAR} answered"),
            )
        });
    } else {
        ask_store(source, name, &key, raw, query.lookup, config, ctx, &mut t);
    }
    // The file, which docker does not read for this registry.
    if !t.detailed() {
        return t;
    }
    let file_key = file_key(config);
    let detail = match file_key.as_ref().map(|k| (k, entry_of(config, k))) {
        Some((k, entry)) if entry.has_secret() => {
            t.problems.push(format!(
                "{} still holds plaintext for {k}, which docker ignores because it asks docker-credential-{name}",
                config.path().display()
            ));
            format!("plaintext under {k} is ignored: docker asks docker-credential-{name}")
        }
        Some((k, _)) => format!("{k} is docker's placeholder: the secret is in the helper"),
        None => format!("docker asks docker-credential-{name} instead"),
    };
    t.steps.push(
        Step::new(
            Source::File,
            wait(answered, Outcome::PassedOver),
            file_key.as_deref(),
            detail,
        )
        .in_file(config.path()),
    );
    t
}

/// Ask the store's helper `name`: by the lookup key, as docker does; or,
/// for any spelling, by the file's key (else the lookup key) and then by
/// every key the helper's `list` gives for the registry, until one answers
/// or one fails.
#[allow(clippy::too_many_arguments)]
fn ask_store(
    source: Source,
    name: &str,
    key: &str,
    raw: Option<&str>,
    lookup: Lookup,
    config: &Config,
    ctx: &Context,
    t: &mut Trace,
) {
    let asks = match (lookup, raw) {
        (Lookup::AnySpelling, Some(raw)) => {
            let mut asks = vec![config
                .find_auth_key(raw)
                .map(str::to_string)
                .unwrap_or_else(|| key.to_string())];
            if let Ok(list) = ctx.helper_for(name, config, Some(raw)).list() {
                asks.extend(list.into_keys().filter(|k| normalize(k) == key));
            }
            asks.dedup();
            asks
        }
        _ => vec![key.to_string()],
    };
    for server in &asks {
        let (step, answer) = ask_helper(source, name, server, ctx, config, t);
        let failed = step.outcome == Outcome::Error;
        t.steps.push(step);
        if answer.is_some() {
            t.answer = answer;
            return;
        }
        if failed {
            return;
        }
    }
    t.problems.push(helper_has_nothing(name, &asks[0]));
}

/// What an undecodable `auths` entry does to docker (seen with docker
/// 28.2.2, tests/fixloop.rs): it decodes the entries in Go's random map
/// order and stops at the bad one, so the ones after it are not used.
pub const UNDECODABLE_POISONS: &str = "docker may ignore the file's other logins until it is fixed";

/// Another `auths` key than `key` whose entry cannot be decoded.
fn undecodable_other<'a>(config: &'a Config, key: &str) -> Option<&'a str> {
    config.undecodable_keys().find(|k| *k != key)
}

fn entry_of<'c>(config: &'c Config, key: &str) -> std::borrow::Cow<'c, AuthEntry> {
    config.entry(key).unwrap_or_default()
}

/// Docker's file store: `found` is the `auths` key it picks for `key`.
/// Writes its step (and problems) down in `t`.
fn look_in_file(config: &Config, key: &str, found: Option<String>, answered: bool, t: &mut Trace) {
    let path = || config.path().display().to_string();
    let step = |outcome, k: Option<&str>, detail| {
        Step::new(Source::File, outcome, k, detail).in_file(config.path())
    };
    let Some(k) = found else {
        let outcome = if answered {
            Outcome::NotConsulted
        } else {
            Outcome::NotFound
        };
        t.step(|| step(outcome, None, format!("no entry for {key} in {}", path())));
        return;
    };
    let entry = entry_of(config, &k);
    if answered {
        t.step(|| {
            let detail = if entry.has_secret() {
                format!("{} also holds {k}, but an earlier source answered", path())
            } else {
                format!("{} has {k}", path())
            };
            step(Outcome::NotConsulted, Some(&k), detail)
        });
        return;
    }
    if let Some(p) = &entry.problem {
        let why = format!("the entry for {k} in {} cannot be decoded: {p}", path());
        t.problem(|| why.clone());
        t.failure = Some(why);
        t.step(|| step(Outcome::Error, Some(&k), format!("cannot decode: {p}")));
        return;
    }
    if !entry.has_secret() {
        t.problem(|| format!(
            "{k} in {} is an empty placeholder and no credential helper is configured: docker sends no credentials",
            path()
        ));
        t.step(|| step(Outcome::NotFound, Some(&k), "empty placeholder".into()));
        return;
    }
    if t.detailed() {
        check_secrets(&entry, &k, &mut t.problems);
        if let Some(bad) = undecodable_other(config, &k) {
            t.problems.push(format!(
                "the entry for {bad} in {} cannot be decoded: {UNDECODABLE_POISONS}, this one included \
                 (it stops decoding at that entry, in random order)",
                path()
            ));
        }
    }
    t.answer = Some(entry_answer(
        Source::File,
        &k,
        &entry,
        Some(config.path().to_path_buf()),
    ));
    t.step(|| step(Outcome::Used, Some(&k), format!("plaintext in {}", path())));
}
