//! `dockercfg login`: verify credentials with the registry, then store them
//! where docker would (credHelpers > credsStore > plaintext, or docker's
//! default store for a config with no auth at all).
//!
//! In a containers auth.json (`--authfile`, `--podman`) the key is formed as
//! `podman login` forms it (`registry::normalize_containers`: Docker Hub is
//! `docker.io`, a namespace such as `quay.io/org/repo` is a key of its own),
//! the secret goes to `credHelpers[host]` or the file (containers/image never
//! reads `credsStore`, so no default store is picked), and no `{}`
//! placeholder is written: podman does not write one.

use std::process::ExitCode;

use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::json;

use crate::auth::encode_auth;
use crate::cli::LoginArgs;
use crate::config::{write, Config};
use crate::context::{Context, Flavor};
use crate::helper::{self, Credentials};
use crate::logins::store::{store_for, store_in, Store};
use crate::registry::{self, DOCKER_HUB_KEY};
use crate::verify::trust::{client_cert_hint, untrusted_hint};
use crate::verify::{verify_login, CertsLayout, VerifyError};
use crate::{output, Secret};

mod preflight;
mod prompt;
use preflight::{check_store, file_username, StoreCheck};
use prompt::{check_flags, credentials, prompts};

pub fn run(args: &LoginArgs, ctx: &Context) -> Result<ExitCode> {
    if ctx.flavor == Flavor::Containers {
        return run_containers(args, ctx);
    }
    let normalized = registry::normalize(args.registry.as_deref().unwrap_or(""));
    let config = Config::load(&ctx.config_path)?;
    check_flags(args)?;
    let shown = if normalized == DOCKER_HUB_KEY {
        "Docker Hub".to_string()
    } else {
        normalized.clone()
    };
    // Read now only to check the store before prompting and for the
    // prompt's default username: where the secret goes is decided under
    // the lock, below.
    let mut current = file_username(&config, &login_key(&config, &normalized));
    if prompts(args, ctx) {
        let store = store_for(&config, &normalized);
        let default_store = match store {
            Store::File if config.has_no_auth() => helper::default_store(),
            _ => None,
        };
        let same = |url: &str| registry::normalize(url) == normalized;
        let check = StoreCheck {
            store: &store,
            default_store,
            registry: &normalized,
            same: &same,
        };
        if let Some(u) = check_store(ctx, &config, &check)? {
            current = Some(u);
        }
    }
    let (username, secret) = credentials(args, ctx, &shown, current)?;
    if !args.no_verify {
        let host = if normalized == DOCKER_HUB_KEY {
            "registry-1.docker.io"
        } else {
            normalized.as_str()
        };
        verify(args, ctx, host, &username, &secret)?;
    }

    // The store is decided under the lock, on the file as it is now: the
    // check above can take 30 s, and a `migrate` (or another login) in that
    // time may have set credsStore; a decision taken before it would leave
    // a plaintext secret behind a helper that docker asks instead. The
    // helper's `store` runs under the lock too (bounded by --helper-timeout),
    // so no writer can change the routing between the store and the write.
    // The file read above is used again under the lock if it is unchanged:
    // parsed once, not twice (#17).
    let (stored_in, _) = write::update_from(config, ctx.lock_timeout, |c| {
        let (store, set_default) = match store_for(c, &normalized) {
            Store::File if c.has_no_auth() => match helper::default_store() {
                Some(name) => {
                    check_default_store(ctx, name)?;
                    (Store::CredsStore(name.to_string()), Some(name))
                }
                None => (Store::File, None),
            },
            s => (s, None),
        };
        let key = match store {
            Store::File => login_key(c, &normalized),
            // docker asks a helper for the normalised key exactly.
            _ => normalized.clone(),
        };
        let Some(h) = store.helper() else {
            c.set_auth(&key, json!({ "auth": encode_auth(&username, &secret) }));
            return Ok(None);
        };
        let client = ctx.helper_for(h, c, Some(&key));
        let stored = client.store(&Credentials {
            server_url: key.clone(),
            username: username.clone(),
            secret: secret.clone(),
        });
        match (stored, set_default) {
            (Ok(()), _) => {}
            (Err(e), Some(name)) => return Err(default_store_error(name, &e.to_string())),
            (Err(e), None) => {
                return Err(e).with_context(|| format!("cannot store the credentials for {key}"))
            }
        }
        // The placeholder tells docker which registries to ask the helper
        // about; plaintext left from before must go.
        let others: Vec<String> = c
            .auth_keys_for(&key)
            .into_iter()
            .filter(|k| *k != key)
            .collect();
        c.remove_auths(&others);
        c.set_auth(&key, json!({}));
        if let Some(name) = set_default {
            c.set_creds_store(name);
        }
        Ok(Some(client.program()))
    })?;

    if !args.quiet {
        match stored_in {
            Some(program) => output::note(&format!("Credentials stored in {program}.")),
            None => output::warn(&format!(
                "your password is stored unencrypted in {} (base64 is not encryption).\n\
                 Move it to a keychain with: {}\n\
                 See https://docs.docker.com/go/credential-store/",
                ctx.config_path.display(),
                ctx.command(&["migrate"])
            )),
        }
        println!("Login Succeeded");
    }
    Ok(ExitCode::SUCCESS)
}

/// The `auths` key a plaintext login for `normalized` is written under: the
/// spelling already in the file, so a login replaces rather than adds
/// (docker finds legacy keys in the file), else the normalised key.
fn login_key(config: &Config, normalized: &str) -> String {
    match store_for(config, normalized) {
        Store::File => config
            .find_auth_key(normalized)
            .unwrap_or(normalized)
            .to_string(),
        _ => normalized.to_string(),
    }
}

/// `login` into a containers auth.json.
fn run_containers(args: &LoginArgs, ctx: &Context) -> Result<ExitCode> {
    let typed = args.registry.as_deref().unwrap_or("");
    registry::check_containers_key(typed).map_err(anyhow::Error::msg)?;
    let key = registry::normalize_containers(typed);
    let host = registry::containers_host(&key).to_string();
    let config = Config::load(&ctx.config_path)?;
    let store = store_in(&config, &key, Flavor::Containers);
    if let (Some(h), true) = (store.helper(), registry::is_namespaced(&key)) {
        // As containers/image: helpers hold whole registries only.
        bail!(
            "{key} is a namespaced key, and credHelpers sends {host} to {}, which cannot hold one; log in to {host} instead",
            helper::program_name(h)
        );
    }
    check_flags(args)?;
    let mut current = file_username(&config, &key);
    if prompts(args, ctx) {
        let same = |url: &str| registry::normalize_containers(url) == host;
        let check = StoreCheck {
            store: &store,
            default_store: None,
            registry: &key,
            same: &same,
        };
        if let Some(u) = check_store(ctx, &config, &check)? {
            current = Some(u);
        }
    }
    let shown = if key == registry::CONTAINERS_HUB_KEY {
        "Docker Hub".to_string()
    } else {
        key.clone()
    };
    let (username, secret) = credentials(args, ctx, &shown, current)?;
    if !args.no_verify {
        let verify_host = if host == registry::CONTAINERS_HUB_KEY {
            "registry-1.docker.io"
        } else {
            host.as_str()
        };
        verify(args, ctx, verify_host, &username, &secret)?;
    }
    // Other spellings of the same key (`https://quay.io`) go: containers/image
    // would read the exact key first, leaving them stale.
    let same = |c: &Config| -> Vec<String> {
        c.auth_keys()
            .filter(|k| *k != key && registry::normalize_containers(k) == key)
            .map(str::to_string)
            .collect()
    };
    // As for docker's file: the store is decided again under the lock, after
    // the check (a `migrate --helper` may have set credHelpers meanwhile).
    // The file read above is used again under the lock if it is unchanged:
    // parsed once, not twice (#17).
    let (stored_in, _) = write::update_from(config, ctx.lock_timeout, |c| {
        let store = store_in(c, &key, Flavor::Containers);
        let Some(h) = store.helper() else {
            let old = same(c);
            c.remove_auths(&old);
            c.set_auth(&key, json!({ "auth": encode_auth(&username, &secret) }));
            return Ok(None);
        };
        if registry::is_namespaced(&key) {
            bail!(
                "{key} is a namespaced key, and credHelpers now sends {host} to {}, which cannot hold one; log in to {host} instead",
                helper::program_name(h)
            );
        }
        let client = ctx.helper_for(h, c, Some(&key));
        client
            .store(&Credentials {
                server_url: host.clone(),
                username: username.clone(),
                secret: secret.clone(),
            })
            .with_context(|| format!("cannot store the credentials for {key}"))?;
        // Plaintext left from before must go; podman writes no placeholder.
        let mut old = same(c);
        if c.auth_keys().any(|k| k == key) {
            old.push(key.clone());
        }
        c.remove_auths(&old);
        Ok(Some(client.program()))
    })?;
    if !args.quiet {
        match stored_in {
            Some(program) => output::note(&format!("Credentials stored in {program}.")),
            None => {
                let mut msg = format!(
                    "your password is stored unencrypted in {} (base64 is not encryption).",
                    ctx.config_path.display()
                );
                if !registry::is_namespaced(&key) && host != registry::CONTAINERS_HUB_KEY {
                    let helper = format!("{host}=pass");
                    msg.push_str(&format!(
                        "\nMove it to a keychain with: {}",
                        ctx.command(&["migrate", "--helper", &helper])
                    ));
                }
                output::warn(&msg);
            }
        }
    }
    if !args.quiet {
        println!("Login Succeeded");
    }
    Ok(ExitCode::SUCCESS)
}

/// Ask the registry at `host` whether the credentials work, trusting what
/// the client of this file (docker, or podman for an auth.json) trusts.
fn verify(args: &LoginArgs, ctx: &Context, host: &str, user: &str, secret: &Secret) -> Result<()> {
    let layout = match ctx.flavor {
        Flavor::Docker => CertsLayout::Docker,
        Flavor::Containers => CertsLayout::Containers,
    };
    let opts = args.verify.options(layout);
    // A word while the registry is asked (it can take the whole --timeout),
    // only where a person is watching.
    if ctx.stderr_is_terminal {
        output::note(&format!("verifying with {}…", output::escape(host)));
    }
    match verify_login(host, user, secret, &opts) {
        Ok(done) => {
            for w in done.warnings {
                output::warn(&w);
            }
            Ok(())
        }
        Err(e) => {
            let mut msg = format!("login failed: {e}");
            match &e {
                VerifyError::UntrustedCertificate {
                    registry,
                    host_dirs,
                    ..
                } => {
                    msg.push('\n');
                    msg.push_str(&untrusted_hint(
                        registry,
                        host_dirs,
                        &ctx.command::<&str>(&[]),
                    ));
                }
                VerifyError::ClientCertificate { host_dirs, .. } => {
                    msg.push('\n');
                    msg.push_str(&client_cert_hint(host_dirs));
                }
                _ => {}
            }
            Err(anyhow!(msg))
        }
    }
}

/// Docker picks `pass` even when the store was never set up, then fails
/// with a bare `pass not initialized`. Check first and say what to do.
fn check_default_store(ctx: &Context, name: &str) -> Result<()> {
    let client = ctx.helper(name);
    let problem = match client.list() {
        Err(e) => Some(e.to_string()),
        // `list` on an uninitialised pass store answers `{}`; `store` then
        // fails. pass keeps its recipients in .gpg-id at the store's root.
        Ok(_) if name == "pass" && !helper::pass_initialised() => {
            Some("pass is not initialised".into())
        }
        Ok(_) => None,
    };
    match problem {
        Some(p) => Err(default_store_error(name, &p)),
        None => Ok(()),
    }
}

fn default_store_error(name: &str, problem: &str) -> anyhow::Error {
    let hint = match name {
        "pass" => "set up pass first (`gpg --quick-gen-key YOU` then `pass init YOUR-GPG-ID`), or set \"credsStore\" in config.json",
        "secretservice" => "start and unlock a keyring (gnome-keyring or KeePassXC), or set \"credsStore\" in config.json",
        _ => "set \"credsStore\" in config.json to a helper that works",
    };
    anyhow!(
        "the default credential store {} does not work ({problem}); {hint}",
        helper::program_name(name)
    )
}
