//! `dockercfg doctor [REGISTRY|IMAGE_REF]`: why a pull, push or login
//! fails, end to end. The checks run in the order a client fails, and none
//! stops the others:
//! 1. the file as docker and podman read it (`file`);
//! 2. the source that wins for each registry, and those passed over: the
//!    resolver's trace (`logins::trace`), read by `route`;
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
use crate::hints::FixCommand;
use crate::logins::Target;
use crate::reference::ImageRef;
use crate::registry;
use report::{Check, Status, HELPER, STORE};

pub fn run(args: &DoctorArgs, ctx: &Context) -> Result<ExitCode> {
    let target = match &args.target {
        Some(t) => Some(target_of(t, ctx)?),
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
    for (reg, target) in registries {
        let reg = reg.as_str();
        let t = match route::trace(target, &config, ctx, &env) {
            Ok(t) => t,
            Err(e) => {
                checks.push(Check::new(
                    Some(reg),
                    report::SOURCE,
                    Status::Fail,
                    format!("{e:#}"),
                ));
                continue;
            }
        };
        let (source_checks, asked) = route::checks(reg, &t, ctx);
        checks.extend(source_checks);
        for a in &asked {
            checks.extend(helper::check(reg, a, ctx));
            if probed.insert(a.name.to_string()) {
                checks.extend(store_checks(a.name, &probe_env, ctx, &config));
            }
        }
        if let Some(answer) = t.answer.as_ref().filter(|a| !a.empty) {
            if let Some(c) = &answer.credentials {
                checks.extend(credential::check(reg, &answer.key, c, args.online, ctx));
            }
        }
    }
    // A credsStore no registry led to is still checked: the next login goes there.
    if let Some(s) = crate::logins::rules(ctx.flavor).creds_store(&config) {
        if args.target.is_none() && probed.insert(s.to_string()) {
            checks.extend(store_checks(s, &probe_env, ctx, &config));
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

/// Step 4 for the store behind helper `name`. A dockercfg fix (switching
/// the credsStore) is kept only when `name` is the credsStore.
fn store_checks(name: &str, env: &ProbeEnv, ctx: &Context, config: &Config) -> Vec<Check> {
    let is_creds_store = crate::logins::rules(ctx.flavor).creds_store(config) == Some(name);
    health::probe_store(name, env)
        .into_iter()
        .map(|p| {
            let fix = p
                .fix
                .filter(|f| is_creds_store || !matches!(f, FixCommand::Dockercfg(_)))
                .map(|f| f.render(ctx));
            Check::new(None, STORE, p.status, format!("{name}: {}", p.message)).fix(fix)
        })
        .collect()
}

/// What the argument names, with the registry to show for it: a registry
/// (`ghcr.io`, `localhost:5000`, `https://quay.io`, `docker.io`; for an
/// auth.json also a namespace such as `quay.io/org`), or an image reference,
/// looked up as the client looks up the image (`nginx` is Docker Hub's).
fn target_of(arg: &str, ctx: &Context) -> Result<(String, Target)> {
    let arg = arg.trim();
    let bare = registry::strip_scheme_any_case(arg);
    let first = bare.split('/').next().unwrap_or(bare);
    let host_like = first.contains('.') || first.contains(':') || first == "localhost";
    let is_registry = arg.len() != bare.len()
        || (host_like && !bare.contains('/'))
        || (ctx.is_containers() && host_like && ImageRef::parse(arg).is_err());
    if is_registry {
        let name = if ctx.is_containers() {
            registry::normalize_containers(arg)
        } else {
            first.to_string()
        };
        return Ok((name.clone(), Target::Registry(name)));
    }
    let image = match ImageRef::parse(arg) {
        Ok(i) => i,
        Err(e) => return crate::usage(format!("{arg}: not a registry or an image reference: {e}")),
    };
    let shown = if image.is_docker_hub() && !ctx.is_containers() {
        "docker.io".to_string()
    } else {
        image.domain.clone()
    };
    Ok((shown, Target::Image(image)))
}

/// Every registry the configuration names: the file's logins, credHelpers,
/// DOCKER_AUTH_CONFIG's, and what the credsStore lists; one spelling each.
fn configured(
    config: &Config,
    ctx: &Context,
    env: &EnvAuth,
    checks: &mut Vec<Check>,
) -> Vec<(String, Target)> {
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
            out.push((k.to_string(), Target::Registry(k.to_string())));
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
    if let Some(s) = crate::logins::rules(ctx.flavor).creds_store(config) {
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
