//! `dockercfg exec`: run a command with a private, temporary config that
//! holds only the logins named, and leave nothing behind.
//!
//! CI jobs and provisioning scripts `docker login`, work, and leave the
//! secret on disk for whatever runs next (or race each other on one
//! config.json). Here the logins go into a fresh directory (`private_dir`),
//! as a config.json for docker and an auth.json for podman, skopeo and
//! buildah (`DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`), and the directory goes
//! when the command ends (`child` handles the signals). Logins come from the
//! user's own config (`--inherit`, resolved as `get` resolves them) or from
//! the command line (`--login`, verified as `login` verifies). Both files
//! are written through the one write path; no helper is asked to store,
//! and the user's config is only read.
//!
//! This module owns the flags' rules and the run's order; it does not
//! resolve, verify or write files itself.

// Off Unix, `run` refuses (no signals to forward, no sigwait): the rest
// is unused there.
#![cfg_attr(not(unix), allow(dead_code))]

#[cfg(unix)]
mod child;
pub mod private_dir;

use std::process::ExitCode;

use anyhow::{anyhow, bail, Context as _, Result};

use crate::cli::ExecArgs;
use crate::config::{write, Config};
use crate::context::Context;
use crate::helper::Credentials;
use crate::logins::resolve::{file_entry, resolve};
use crate::registry::{self, DOCKER_HUB_KEY};
use crate::verify::{verify_login, CertsLayout};
use crate::Secret;

/// One login for the private config.
struct Entry {
    /// What the user typed, for messages.
    given: String,
    /// Its key in docker's config.json.
    docker_key: String,
    /// Its key in the containers auth.json.
    containers_key: String,
    creds: Credentials,
}

#[cfg(not(unix))]
pub fn run(_args: &ExecArgs, _ctx: &Context) -> Result<ExitCode> {
    bail!("dockercfg exec needs a Unix system (signals and a private directory)")
}

#[cfg(unix)]
pub fn run(args: &ExecArgs, ctx: &Context) -> Result<ExitCode> {
    check_pairing(args)?;
    // First, before any thread or helper: a Ctrl-C from here on is ours
    // to clean up after.
    let guard = child::Guard::install();

    let entries = collect(args, ctx)?;
    if std::env::var_os(crate::envauth::VAR).is_some_and(|v| !v.is_empty()) {
        crate::output::warn(&format!(
            "{} is set: docker reads its logins before the private config's, so the command may not use the logins given here (unset it for the command to be sure)",
            crate::envauth::VAR
        ));
    }

    let dir = private_dir::create(&private_dir::base_dir())?;
    guard.set_dir(dir.clone());
    let remove_dir = || {
        let _ = std::fs::remove_dir_all(&dir);
    };
    if let Err(e) = write_files(&dir, &entries, ctx) {
        remove_dir();
        return Err(e);
    }
    drop(entries);

    let (program, rest) = args.command.split_first().expect("clap requires a command");
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest)
        .env("DOCKER_CONFIG", &dir)
        .env("REGISTRY_AUTH_FILE", dir.join("auth.json"));
    for var in &args.password_env {
        cmd.env_remove(var);
    }
    child::reset_signals_in_child(&mut cmd);
    let status = guard.run(&mut cmd);
    remove_dir();
    match status {
        Ok(s) => Ok(child::exit_code(s)),
        Err(e) => {
            let (msg, code) = child::spawn_failure(program, &e);
            eprintln!("dockercfg: error: {msg}");
            Ok(ExitCode::from(code))
        }
    }
}

/// `--login`, `--username` and the password flags pair up by position.
fn check_pairing(args: &ExecArgs) -> Result<()> {
    if args.inherit.is_empty() && args.logins.is_empty() {
        bail!("name the logins the command gets: --inherit REGISTRY or --login REGISTRY --username USER --password-env VAR");
    }
    let n = args.logins.len();
    if args.username.len() != n {
        bail!(
            "{n} --login but {} --username: give each --login its --username, in the same order",
            args.username.len()
        );
    }
    if args.password_stdin {
        if n != 1 || !args.password_env.is_empty() {
            bail!("--password-stdin gives the password of a single --login; with several, give each its --password-env VAR, in order");
        }
    } else if args.password_env.len() != n {
        bail!(
            "{n} --login but {} --password-env: give each --login a password (--password-env VAR, or --password-stdin for one)",
            args.password_env.len()
        );
    }
    Ok(())
}

/// Every login for the private config, resolved and verified, before
/// anything is written. Two logins for one key are refused.
fn collect(args: &ExecArgs, ctx: &Context) -> Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    if !args.inherit.is_empty() {
        let config = Config::load(&ctx.config_path)?;
        for r in &args.inherit {
            if ctx.is_containers() {
                registry::check_containers_key(r).map_err(anyhow::Error::msg)?;
            }
            let trace = resolve(&config, ctx, r)?;
            for w in &trace.warnings {
                crate::output::warn(w);
            }
            let creds = trace.into_credentials()?.ok_or_else(|| {
                anyhow!(
                    "not logged in to {} in {}; nothing was run",
                    registry::normalize(r),
                    ctx.config_path.display()
                )
            })?;
            entries.push(entry(r, creds));
        }
    }
    for (i, r) in args.logins.iter().enumerate() {
        registry::check_containers_key(r).map_err(anyhow::Error::msg)?;
        let username = args.username[i].trim().to_string();
        if username.is_empty() {
            bail!("the username for --login {r} is empty");
        }
        let secret = match args.password_env.get(i) {
            Some(var) => password_from_env(var)?,
            None => password_from_stdin(ctx, r)?,
        };
        if secret.is_empty() {
            bail!("the password for --login {r} is empty");
        }
        let e = entry(
            r,
            Credentials {
                server_url: registry::normalize(r),
                username,
                secret,
            },
        );
        if !args.no_verify {
            let key = &e.docker_key;
            let host = if key == DOCKER_HUB_KEY {
                "registry-1.docker.io".to_string()
            } else {
                key.clone()
            };
            // login's options: --timeout for the whole check (30 s unless
            // given), plain http only for loopback.
            // Trust as docker does (system store, certs.d; verify::trust).
            // The private config is docker's config.json: docker's certs.d.
            let opts = args.verify.options(CertsLayout::Docker);
            verify_login(&host, &e.creds.username, &e.creds.secret, &opts)
                .map_err(|err| anyhow!("login to {r} failed: {err}; nothing was run"))?;
        }
        entries.push(e);
    }
    for (i, a) in entries.iter().enumerate() {
        for b in &entries[..i] {
            if a.docker_key == b.docker_key || a.containers_key == b.containers_key {
                bail!(
                    "{} and {} are the same registry: give each registry once",
                    a.given,
                    b.given
                );
            }
        }
    }
    Ok(entries)
}

fn entry(given: &str, creds: Credentials) -> Entry {
    Entry {
        given: given.to_string(),
        docker_key: registry::normalize(given),
        containers_key: registry::normalize_containers(given),
        creds,
    }
}

/// The password in environment variable `var`; never shown.
fn password_from_env(var: &str) -> Result<Secret> {
    match std::env::var(var) {
        Ok(v) => Ok(Secret::new(v)),
        Err(std::env::VarError::NotPresent) => {
            bail!("--password-env {var}: the variable is not set")
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("--password-env {var}: the value is not UTF-8 text")
        }
    }
}

/// One line of stdin (a hidden prompt on a terminal). Read a byte at a
/// time from the descriptor, so nothing after the line is taken from the
/// command, which reads the same stdin.
fn password_from_stdin(ctx: &Context, registry: &str) -> Result<Secret> {
    if ctx.stdin_is_terminal {
        return Ok(Secret::new(
            dialoguer::Password::new()
                .with_prompt(format!("Password for {registry}"))
                .interact()
                .context("cannot read the password")?,
        ));
    }
    use std::io::Read;
    #[cfg(unix)]
    // SAFETY: fd 0 stays open for the whole run; ManuallyDrop never closes it.
    let mut stdin = std::mem::ManuallyDrop::new(unsafe {
        <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(0)
    });
    #[cfg(not(unix))]
    let mut stdin = std::io::stdin();
    let mut line = zeroize::Zeroizing::new(Vec::new());
    let mut byte = [0u8; 1];
    loop {
        match stdin.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).context("cannot read the password from stdin"),
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let text = String::from_utf8(line.to_vec())
        .map_err(|_| anyhow!("the password on stdin is not UTF-8 text"))?;
    Ok(Secret::new(text))
}

/// config.json (docker's keys) and auth.json (containers' keys), each
/// 0600 in the 0700 directory, through the one write path.
fn write_files(dir: &std::path::Path, entries: &[Entry], ctx: &Context) -> Result<()> {
    let docker: Vec<(String, serde_json::Value)> = entries
        .iter()
        .map(|e| (e.docker_key.clone(), file_entry(&e.creds)))
        .collect();
    let containers: Vec<(String, serde_json::Value)> = entries
        .iter()
        .map(|e| (e.containers_key.clone(), file_entry(&e.creds)))
        .collect();
    let plugins = user_plugin_dir(ctx);
    for (name, list) in [("config.json", docker), ("auth.json", containers)] {
        write::update(&dir.join(name), ctx.lock_timeout, |c| {
            for (k, v) in &list {
                c.set_auth(k, v.clone());
            }
            if let (Some(p), "config.json") = (&plugins, name) {
                c.set_other("cliPluginsExtraDirs", serde_json::json!([p]));
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The user's own docker CLI plugins (`~/.docker/cli-plugins`, where
/// docker's docs install buildx and compose by hand), if there are any.
/// docker looks for plugins under `$DOCKER_CONFIG/cli-plugins`, so with the
/// private config they would vanish; `cliPluginsExtraDirs` brings them
/// back. The directory is only named, never copied.
fn user_plugin_dir(ctx: &Context) -> Option<String> {
    let config = if ctx.is_containers() {
        let env_dir = std::env::var_os("DOCKER_CONFIG").map(std::path::PathBuf::from);
        crate::config::locate::locate(None, env_dir.as_deref()).ok()?
    } else {
        ctx.config_path.clone()
    };
    let dir = config.parent()?.join("cli-plugins");
    let dir = std::path::absolute(&dir).ok()?;
    dir.is_dir().then(|| dir.to_string_lossy().into_owned())
}
