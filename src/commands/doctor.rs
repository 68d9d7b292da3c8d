//! `dockercfg doctor [REGISTRY|IMAGE_REF]`: why a pull, push or login
//! fails, end to end. The checks run in the order a client fails, and none
//! stops the others:
//! 1. the file as docker and podman read it (`file`);
//! 2. the source that wins for each registry, and those passed over (`route`);
//! 3. the helper: on PATH, runnable, answering `get` in time (`helper`);
//! 4. the store behind it (`crate::health`);
//! 5. the credential: decodes, not expired, and with `--online` accepted
//!    (`credential`).
//!
//! Known helper messages get their cause and fix from `crate::hints`. No
//! secret is printed: helpers' stderr is captured with secrets cut out, and
//! the credential is only decoded, dated and (with --online) sent to its
//! registry.

mod credential;
mod file;
mod helper;
mod report;
mod route;

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::DoctorArgs;
use crate::config::Config;
use crate::context::Context;
use crate::envauth::EnvAuth;
use crate::health::{self, ProbeEnv};
use crate::reference::ImageRef;
use crate::registry;
use report::{Check, Status, HELPER, STORE};
use route::Answer;

pub fn run(args: &DoctorArgs, ctx: &Context) -> Result<ExitCode> {
    let target = match &args.target {
        Some(t) => Some(target_registry(t, ctx)?),
        None => None,
    };
    let env = if ctx.is_containers() {
        EnvAuth::default()
    } else {
        EnvAuth::from_env()
    };
    let (mut checks, config) = file::check(ctx, &env);
    let mut listing_checks = Vec::new();
    let registries = match target {
        Some(t) => vec![t],
        None => configured(&config, ctx, &env, &mut listing_checks),
    };
    checks.extend(listing_checks);
    let probe_env = ProbeEnv {
        timeout: ctx.helper_timeout,
        terminal: ctx.stdin_is_terminal,
    };
    let mut probed: BTreeSet<String> = BTreeSet::new();
    if registries.is_empty() {
        checks.push(Check::new(
            None,
            report::SOURCE,
            Status::Warn,
            format!("no registry is configured in {}", ctx.config_path.display()),
        ));
    }
    for reg in &registries {
        let (route_checks, answer) = route::route(reg, &config, ctx, &env);
        checks.extend(route_checks);
        match answer {
            Answer::None => {}
            Answer::Entry { key, entry, .. } => {
                checks.extend(credential::check(
                    reg,
                    &key,
                    credential::Given::Entry(&entry),
                    args.online,
                    ctx,
                ));
            }
            Answer::Helper {
                name,
                key,
                store_wide,
            } => {
                let (helper_checks, creds) =
                    helper::check(reg, &name, &key, store_wide, &config, ctx);
                checks.extend(helper_checks);
                if probed.insert(name.clone()) {
                    checks.extend(store_checks(&name, &probe_env, ctx));
                }
                if let Some(c) = creds {
                    checks.extend(credential::check(
                        reg,
                        &key,
                        credential::Given::Pair {
                            username: &c.username,
                            secret: &c.secret,
                        },
                        args.online,
                        ctx,
                    ));
                }
            }
        }
    }
    // A credsStore no registry led to is still checked: the next login goes there.
    if let Some(s) = crate::store::creds_store(&config, ctx.flavor) {
        if args.target.is_none() && probed.insert(s.to_string()) {
            checks.extend(store_checks(s, &probe_env, ctx));
        }
    }
    if args.json {
        report::print_json(&checks)?;
    } else {
        report::print_human(&checks, ctx);
    }
    Ok(if checks.iter().any(|c| c.status == Status::Fail) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn store_checks(name: &str, env: &ProbeEnv, ctx: &Context) -> Vec<Check> {
    health::probe_store(name, env)
        .into_iter()
        .map(|p| {
            Check::new(None, STORE, p.status, format!("{name}: {}", p.message))
                .fix(p.fix.map(|f| f.render(ctx)))
        })
        .collect()
}

/// The registry the argument names: a registry (`ghcr.io`, `localhost:5000`,
/// `https://quay.io`, `docker.io`) as it is, an image reference as its
/// registry (`nginx` is Docker Hub's).
fn target_registry(arg: &str, ctx: &Context) -> Result<String> {
    let arg = arg.trim();
    let bare = registry::strip_scheme_any_case(arg);
    let first = bare.split('/').next().unwrap_or(bare);
    let looks_like_host = arg.len() != bare.len()
        || (!bare.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost"));
    if looks_like_host {
        return Ok(if ctx.is_containers() {
            registry::normalize_containers(arg)
        } else {
            first.to_string()
        });
    }
    let image = ImageRef::parse(arg).map_err(anyhow::Error::msg)?;
    // containers/image looks an image up by its name, most specific key
    // first (`quay.io/org/app`, `quay.io/org`, `quay.io`).
    Ok(if ctx.is_containers() {
        image.name()
    } else if image.is_docker_hub() {
        "docker.io".to_string()
    } else {
        image.domain
    })
}

/// Every registry the configuration names: the file's logins, credHelpers,
/// DOCKER_AUTH_CONFIG's, and what the credsStore lists; one spelling each.
fn configured(
    config: &Config,
    ctx: &Context,
    env: &EnvAuth,
    checks: &mut Vec<Check>,
) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let norm = |k: &str| {
        if ctx.is_containers() {
            registry::normalize_containers(k)
        } else {
            registry::normalize(k)
        }
    };
    let mut add = |k: &str| {
        if seen.insert(norm(k)) {
            out.push(k.to_string());
        }
    };
    for (k, _) in env.entries() {
        add(&k);
    }
    for k in config.auth_keys() {
        add(k);
    }
    for (k, h) in config.cred_helpers() {
        if !h.is_empty() {
            add(k);
        }
    }
    if let Some(s) = crate::store::creds_store(config, ctx.flavor) {
        match ctx.helper_for(s, config, None).list() {
            Ok(list) => list.keys().for_each(|k| add(k)),
            Err(e) => checks.push(Check::new(
                None,
                HELPER,
                Status::Warn,
                format!("the logins kept in credsStore {s} cannot be listed: {e}"),
            )),
            // `e`'s text already carries the one-line hint of a known message.
        }
    }
    out
}
