//! Shell completion values that depend on the machine: registry names from
//! the credential file, credential store names from PATH. The shell's
//! registration script (`dockercfg completions SHELL`, clap_complete's
//! dynamic completion) calls back into the binary with `COMPLETE=SHELL`,
//! and clap asks these functions for an argument's candidates.
//!
//! Completion must never prompt, hang or print an error: only the file is
//! read (no helper is asked, so no keychain or GPG prompt), and any failure
//! is simply no candidates.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

use crate::config::{locate, Config};
use crate::registry;

/// The stores docker and its helpers know by name, offered even when not
/// installed (`migrate --store pass` on a machine about to get pass).
const KNOWN_STORES: &[&str] = &[
    "pass",
    "secretservice",
    "osxkeychain",
    "wincred",
    "desktop",
    "ecr-login",
    "gcloud",
];

/// Registry names from the file chosen by the command line being completed
/// (`--config`, `--authfile`, `--podman`, else DOCKER_CONFIG or ~/.docker).
pub fn registries(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    registry_names()
        .into_iter()
        .filter(|r| r.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// Credential store names: the known ones and every
/// `docker-credential-NAME` on PATH.
pub fn stores(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    store_names()
        .into_iter()
        .filter(|s| s.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// `--helper REGISTRY=NAME`: registries (with `=`) until there is an `=`,
/// then store names after it.
pub fn helper_targets(current: &OsStr) -> Vec<CompletionCandidate> {
    let cur = current.to_string_lossy();
    match cur.split_once('=') {
        Some((reg, name)) => store_names()
            .into_iter()
            .filter(|s| s.starts_with(name))
            .map(|s| CompletionCandidate::new(format!("{reg}={s}")))
            .collect(),
        None => registry_names()
            .into_iter()
            .filter(|r| r.starts_with(cur.as_ref()))
            .map(|r| CompletionCandidate::new(format!("{r}=")))
            .collect(),
    }
}

fn store_names() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = KNOWN_STORES.iter().map(|s| s.to_string()).collect();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                let file = e.file_name();
                let file = file.to_string_lossy();
                if let Some(name) = file.strip_prefix("docker-credential-") {
                    if !name.is_empty() && !name.contains('.') {
                        names.insert(name.to_string());
                    }
                }
            }
        }
    }
    names
}

/// The file's registries as a person types them: without `https://`, and
/// Docker Hub as `docker.io`.
fn registry_names() -> BTreeSet<String> {
    let Some(config) = chosen_file().and_then(|p| Config::load(&p).ok()) else {
        return BTreeSet::new();
    };
    let keys = config
        .auth_keys()
        .map(str::to_string)
        .chain(config.cred_helpers().map(|(k, _)| k.to_string()));
    keys.map(|k| {
        if registry::is_docker_hub(&k) {
            "docker.io".to_string()
        } else {
            k.trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string()
        }
    })
    .filter(|k| !k.is_empty())
    .collect()
}

/// The credential file the command line being completed names. The words
/// come after `--` in this process's arguments (clap_complete's protocol).
fn chosen_file() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let words = match args.iter().position(|a| a == "--") {
        Some(i) => &args[i + 1..],
        None => &args[..],
    };
    let value = |flag: &str| {
        let eq = format!("{flag}=");
        words.iter().enumerate().find_map(|(i, w)| {
            if w == flag {
                words.get(i + 1).cloned()
            } else {
                w.strip_prefix(&eq).map(str::to_string)
            }
        })
    };
    let authfile = value("--authfile");
    if authfile.is_some() || words.iter().any(|w| w == "--podman") {
        let env = locate::PodmanEnv::from_process();
        return locate::locate_authfile(authfile.map(PathBuf::from).as_deref(), &env).ok();
    }
    let env_dir = std::env::var_os("DOCKER_CONFIG").map(PathBuf::from);
    locate::locate(
        value("--config").map(PathBuf::from).as_deref(),
        env_dir.as_deref(),
    )
    .ok()
}
