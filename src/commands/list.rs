//! `dockercfg list`: every login docker would find, and where its secret lives.
//!
//! Rows come from the `auths` entries and from each configured helper's
//! `list`, called once per distinct helper, all helpers in parallel. No `get`
//! is made: usernames come from `list`, so no secret is ever fetched.
//!
//! `DOCKER_AUTH_CONFIG` logins (see `envauth`) come first, with source
//! `env`; a file or helper login whose key docker would find there instead
//! says so in its `error`.

use crate::auth::Kind;
use crate::config::Config;
use crate::context::{Context, Flavor};
use crate::envauth::EnvAuth;
use crate::logins::inventory::{add_env_logins, inventory, Login, FIELDS};
use crate::registry::normalize;

/// A login's field as `list` shows it to a person.
fn field(l: &Login, name: &str, now: i64) -> String {
    match name {
        "Registry" => l.registry.clone(),
        "Username" => l.username.clone().unwrap_or_else(|| "-".into()),
        "Store" => match (&l.helper, l.source) {
            (Some(h), _) => h.clone(),
            (None, "env") => "env".into(),
            (None, _) => "file".into(),
        },
        "Kind" => match (l.kind, l.token) {
            (Kind::Basic, Some(shape)) => shape.label().into(),
            (kind, _) => kind.label().into(),
        },
        "Expires" => match l.expires {
            None => "-".into(),
            Some(e) if e <= now => format!("expired {} ago", crate::logins::expiry::human(e - now)),
            Some(e) => format!("in {}", crate::logins::expiry::human(e - now)),
        },
        "Problem" => l.error.clone().unwrap_or_default(),
        "Source" => l.source.into(),
        _ => String::new(),
    }
}

/// Whether `login` is one of the registries named on the command line, by
/// any spelling of them (`docker.io` finds the Hub login).
fn selected(login: &Login, wanted: &[String], flavor: Flavor) -> bool {
    let name = |r: &str| match flavor {
        Flavor::Docker => normalize(r),
        Flavor::Containers => crate::registry::normalize_containers(r),
    };
    wanted.is_empty() || wanted.iter().any(|w| name(w) == name(&login.registry))
}

/// Run `list`: read the config and print every login (or those named).
pub fn run(args: &crate::cli::ListArgs, ctx: &Context) -> anyhow::Result<std::process::ExitCode> {
    use crate::output;
    use crate::template::{self, Format};

    let config = Config::load(&ctx.config_path)?;
    let mut inv = inventory(&config, ctx);
    if !ctx.is_containers() {
        // podman, skopeo and buildah do not read DOCKER_AUTH_CONFIG.
        add_env_logins(&mut inv, &EnvAuth::from_env());
    }
    for w in &inv.warnings {
        output::warn(w);
    }
    inv.logins
        .retain(|l| selected(l, &args.registries, ctx.flavor));
    // A registry named but not logged in to: said on stderr, exit 1, so
    // `dockercfg list -q ghcr.io` can answer "am I logged in?".
    let missing: Vec<&String> = args
        .registries
        .iter()
        .filter(|r| {
            !inv.logins
                .iter()
                .any(|l| selected(l, std::slice::from_ref(*r), ctx.flavor))
        })
        .collect();
    for r in &missing {
        output::note(&format!("Not logged in to {r}"));
    }
    let now = crate::logins::expiry::now();
    let format = if args.json { None } else { args.format.clone() };
    if args.json {
        output::print_json(&inv.logins)?;
    } else if args.quiet {
        let lines: Vec<String> = inv.logins.iter().map(|l| l.registry.clone()).collect();
        output::print_lines(&lines);
    } else if let Some(Format::Json) = format {
        let lines = inv
            .logins
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()?;
        output::print_lines(&lines);
    } else if let Some(Format::Lines(pieces)) = format {
        let text: String = inv
            .logins
            .iter()
            .map(|l| {
                let line = template::render(&pieces, |f| field(l, f, now));
                // Raw for scripts (as docker's --format); on a terminal,
                // control characters from the file are shown, not obeyed.
                if ctx.stdout_is_terminal {
                    output::escape(&line).into_owned() + "\n"
                } else {
                    line + "\n"
                }
            })
            .collect();
        use std::io::Write;
        std::io::stdout().write_all(text.as_bytes())?;
    } else if inv.logins.is_empty() && args.registries.is_empty() {
        output::note(&format!("no logins in {}", config.path().display()));
    } else if !inv.logins.is_empty() {
        let columns: Vec<Vec<template::Piece>> = match format {
            Some(Format::Table(Some(cols))) => cols,
            _ => FIELDS[..6]
                .iter()
                .map(|f| vec![template::Piece::Field(f)])
                .collect(),
        };
        let headers: Vec<String> = columns.iter().map(|c| template::header(c)).collect();
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut t = output::table(ctx, &headers);
        for l in &inv.logins {
            t.add_row(
                columns
                    .iter()
                    .map(|c| {
                        // One field (the default columns): its text as is,
                        // not copied again by a template (#17).
                        let text = match c.as_slice() {
                            [template::Piece::Field(f)] => field(l, f, now),
                            _ => template::render(c, |f| field(l, f, now)),
                        };
                        let expired = c == &[template::Piece::Field("Expires")]
                            && l.expires.is_some_and(|e| e <= now);
                        let mut cell = output::cell_owned(text);
                        cell.problem = expired || c == &[template::Piece::Field("Problem")];
                        cell
                    })
                    .collect(),
            );
        }
        output::print_table(&t);
    }
    Ok(if missing.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}
