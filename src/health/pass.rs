//! `pass`: what docker-credential-pass needs to answer `get` with no
//! terminal. It runs `pass show docker-credential-helpers/<base64 url>/<user>`,
//! which runs `gpg --decrypt` of a file encrypted to the recipients in the
//! store's `.gpg-id`. So: `pass` and `gpg` on PATH, the store initialised,
//! a secret key for every recipient, and a decryption that needs no
//! passphrase prompt (the key unprotected, or its passphrase cached by
//! gpg-agent): docker runs the helper with no terminal, and a pinentry
//! there fails or waits for a window nobody sees.

use std::path::PathBuf;
use std::process::Command;

use super::{first_line, tool, Probe, ProbeEnv};
use crate::helper::{run_with_deadline, RawOutput, RunError};
use crate::hints::FixCommand;

/// The store's root as pass finds it: `$PASSWORD_STORE_DIR`, else
/// `~/.password-store`.
fn store_dir() -> Option<PathBuf> {
    std::env::var_os("PASSWORD_STORE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::config::locate::home_dir().map(|h| h.join(".password-store")))
}

/// The `.gpg-id` that decides the recipients of the helper's entries: pass
/// uses the nearest one above the entry, so the helpers' own folder first.
fn gpg_id_file(store: &std::path::Path) -> Option<PathBuf> {
    [
        store.join("docker-credential-helpers/.gpg-id"),
        store.join(".gpg-id"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

pub(super) fn probe(env: &ProbeEnv) -> Vec<Probe> {
    let mut out = Vec::new();
    if tool("pass").is_none() {
        out.push(Probe::fail(
            "pass is not on PATH: docker-credential-pass runs it for every call (install pass)",
        ));
    }
    let Some(gpg) = tool("gpg").or_else(|| tool("gpg2")) else {
        out.push(Probe::fail(
            "gpg is not on PATH: pass cannot encrypt or decrypt anything (install gnupg)",
        ));
        return out;
    };
    out.push(Probe::ok(format!("gpg is {}", gpg.display())));
    let Some(store) = store_dir() else {
        out.push(Probe::fail(
            "cannot find the home directory for ~/.password-store",
        ));
        return out;
    };
    let Some(id_file) = gpg_id_file(&store) else {
        let mut p = Probe::fail(format!(
            "the pass store {} is not initialised (no .gpg-id): docker-credential-pass \
             fails every store with \"pass not initialized\" and finds nothing",
            store.display()
        ));
        // A key to initialise with, when there is exactly one candidate.
        if let Some(fpr) = only_secret_key(&gpg, env) {
            p = p.with_fix(FixCommand::Shell(vec!["pass".into(), "init".into(), fpr]));
        } else {
            p.message
                .push_str("; run `pass init` with your GPG key's id (gpg --list-secret-keys)");
        }
        out.push(p);
        return out;
    };
    let recipients: Vec<String> = std::fs::read_to_string(&id_file)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if recipients.is_empty() {
        out.push(Probe::fail(format!(
            "{} names no GPG key: pass cannot encrypt to anyone",
            id_file.display()
        )));
        return out;
    }
    out.push(Probe::ok(format!(
        "the pass store {} is initialised for {}",
        store.display(),
        recipients.join(", ")
    )));
    let mut missing = Vec::new();
    for r in &recipients {
        let listed = gpg_run(
            &gpg,
            &["--batch", "--with-colons", "--list-secret-keys", "--", r],
            b"",
            env,
        );
        let has_key = matches!(&listed, Ok(o) if o.status.success()
            && String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("sec:")));
        if !has_key {
            missing.push(r.clone());
        }
    }
    if !missing.is_empty() {
        out.push(Probe::fail(format!(
            "gpg has no secret key for {} (the recipients in {}): pass cannot decrypt, \
             and the helper fails with \"gpg: decryption failed: No secret key\"; import the \
             secret key (gpg --import) or check GNUPGHOME",
            missing.join(", "),
            id_file.display()
        )));
        return out;
    }
    out.push(decrypt_probe(&gpg, &recipients, env));
    out
}

/// Encrypt a probe to `recipients` and decrypt it as the helper's gpg
/// would, with no way to ask for a passphrase (`--pinentry-mode error`):
/// that tells whether a `get` with no terminal can decrypt.
fn decrypt_probe(gpg: &std::path::Path, recipients: &[String], env: &ProbeEnv) -> Probe {
    let mut args = vec!["--batch", "--trust-model", "always", "--encrypt"];
    for r in recipients {
        args.extend(["--recipient", r.as_str()]);
    }
    let sealed = match gpg_run(gpg, &args, b"dockercfg doctor probe\n", env) {
        Ok(o) if o.status.success() => o.stdout,
        Ok(o) => {
            return Probe::fail(format!(
                "gpg cannot encrypt to the store's recipients: {}",
                first_line(&o.stderr)
            ))
        }
        Err(e) => return Probe::warn(format!("could not check gpg: {}", run_error(&e))),
    };
    let opened = gpg_run(
        gpg,
        &["--batch", "--pinentry-mode", "error", "--decrypt"],
        &sealed,
        env,
    );
    match opened {
        Ok(o) if o.status.success() => Probe::ok(
            "gpg decrypts the store's entries without a prompt (no passphrase, or gpg-agent has it cached)",
        ),
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr).to_string();
            let prompt = ["No pinentry", "Operation cancelled", "Bad passphrase", "Inappropriate ioctl", "Timeout"]
                .iter()
                .any(|m| err.to_ascii_lowercase().contains(&m.to_ascii_lowercase()));
            if prompt {
                let first = recipients[0].clone();
                let cache = FixCommand::Shell(vec![
                    "sh".into(),
                    "-c".into(),
                    format!(
                        "echo probe | gpg --trust-model always --encrypt --recipient {} | gpg --decrypt",
                        crate::shell::quote(&first)
                    ),
                ]);
                let message = "the store's GPG key needs its passphrase and gpg-agent has not cached it: \
                     docker runs docker-credential-pass with no terminal, so decryption fails \
                     (or waits for a pinentry nobody sees); enter the passphrase once in a terminal \
                     so gpg-agent caches it";
                if env.terminal {
                    Probe::warn(format!(
                        "{message} (this session has a terminal, so a pinentry may ask here)"
                    ))
                    .with_fix(cache)
                } else {
                    Probe::fail(message).with_fix(cache)
                }
            } else if err.contains("No secret key") {
                Probe::fail(
                    "gpg cannot decrypt the store's entries: decryption failed: No secret key",
                )
            } else {
                Probe::fail(format!(
                    "gpg cannot decrypt the store's entries: {}",
                    first_line(&o.stderr)
                ))
            }
        }
        Err(e) => Probe::warn(format!("could not check gpg: {}", run_error(&e))),
    }
}

/// The fingerprint of the only secret key gpg has, if it has exactly one.
fn only_secret_key(gpg: &std::path::Path, env: &ProbeEnv) -> Option<String> {
    let o = gpg_run(
        gpg,
        &["--batch", "--with-colons", "--list-secret-keys"],
        b"",
        env,
    )
    .ok()?;
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    // The fingerprint line that follows each `sec` line.
    let mut fprs = Vec::new();
    let mut after_sec = false;
    for line in text.lines() {
        if line.starts_with("sec:") {
            after_sec = true;
        } else if after_sec && line.starts_with("fpr:") {
            fprs.extend(line.split(':').nth(9).map(str::to_string));
            after_sec = false;
        }
    }
    (fprs.len() == 1).then(|| fprs.remove(0))
}

fn gpg_run(
    gpg: &std::path::Path,
    args: &[&str],
    input: &[u8],
    env: &ProbeEnv,
) -> Result<RawOutput, RunError> {
    run_with_deadline(Command::new(gpg).args(args), input, env.timeout)
}

fn run_error(e: &RunError) -> String {
    match e {
        RunError::NotFound => "gpg not found".into(),
        RunError::Spawn(d) => d.clone(),
        RunError::TimedOut => "gpg did not answer in time".into(),
        RunError::TooMuch => "gpg printed too much".into(),
    }
}
