//! `dockercfg explain IMAGE_REF`: which credential a client would send for
//! an image, and why. It never prints a secret.
//!
//! Docker (docker/cli `ResolveAuthConfig` + `configfile.GetCredentialsStore`):
//! the reference is normalised (`reference`), the lookup key is
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
//! containers/image (`--authfile`/`--podman`, `findCredentialsInFile`): per
//! file, `credHelpers[registry]` first (never credsStore), then the keys
//! `reg/ns/repo`, `reg/ns`, `reg` exactly (most specific first), then any
//! key whose host is the registry. With podman's default file (not
//! `--authfile` or `$REGISTRY_AUTH_FILE`) the next files are tried in turn:
//! `$XDG_CONFIG_HOME/containers/auth.json`, docker's config.json and
//! `~/.dockercfg` (COMPAT.md).
//!
//! Helpers are asked with `get`, as the client would; the secret stays in a
//! `Secret` and only its expiry is read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::auth::{AuthEntry, Kind, TOKEN_USERNAME};
use crate::cli::ExplainArgs;
use crate::config::Config;
use crate::context::Context;
use crate::envauth::{EnvAuth, VAR};
use crate::helper::HelperError;
use crate::reference::ImageRef;
use crate::{output, registry, token, Secret};

/// What `explain --json` prints. The keys are a stable interface.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The reference as given.
    pub reference: String,
    /// The registry `host[:port]` (`docker.io` for Docker Hub).
    pub registry: String,
    /// The repository path (`library/nginx`).
    pub repository: String,
    /// `docker` or `containers`: whose rules were applied.
    pub rules: &'static str,
    /// The key(s) looked up, in order.
    pub keys: Vec<String>,
    /// Where the credential comes from (`env`, `credHelpers`, `credsStore`,
    /// `file`), or null when none would be sent.
    pub source: Option<&'static str>,
    /// The entry or helper server key that answered.
    pub key: Option<String>,
    pub helper: Option<String>,
    /// The file that answered (file source), or null.
    pub file: Option<String>,
    pub username: Option<String>,
    pub kind: Kind,
    /// Every place looked at, in the client's order.
    pub steps: Vec<Step>,
    /// What is wrong on the way, one line each.
    pub problems: Vec<String>,
}

/// One place the client looks.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `env`, `credHelpers`, `credsStore` or `file`.
    pub source: &'static str,
    /// `used`, `not-found`, `error`, `passed-over` (configured, but an
    /// earlier rule wins), `not-configured`, or `not-consulted` (an earlier
    /// source answered).
    pub outcome: &'static str,
    pub key: Option<String>,
    pub detail: String,
}

fn step(source: &'static str, outcome: &'static str, key: Option<&str>, detail: String) -> Step {
    Step {
        source,
        outcome,
        key: key.map(str::to_string),
        detail,
    }
}

/// A credential found, described without its secret.
struct Found {
    source: &'static str,
    key: String,
    helper: Option<String>,
    file: Option<String>,
    username: Option<String>,
    kind: Kind,
}

pub fn run(args: &ExplainArgs, ctx: &Context) -> Result<ExitCode> {
    let image = ImageRef::parse(args.reference.trim()).map_err(anyhow::Error::msg)?;
    let config = Config::load(&ctx.config_path)?;
    let e = if ctx.is_containers() {
        explain_containers(&args.reference, &image, &config, ctx)
    } else {
        explain_docker(&args.reference, &image, &config, ctx, &EnvAuth::from_env())
    };
    if args.json {
        output::print_json(&e)?;
    } else {
        print_human(&e, ctx);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(e: &Explanation, ctx: &Context) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let answer = match e.source {
        Some(src) => {
            let via = e
                .helper
                .as_deref()
                .map(|h| format!(" (docker-credential-{h})"))
                .unwrap_or_default();
            format!(
                "{src}{via}, key {}, user {}",
                e.key.as_deref().unwrap_or("-"),
                e.username.as_deref().unwrap_or("-")
            )
        }
        None => "no credentials: the pull is anonymous".to_string(),
    };
    let esc = output::escape;
    let _ = writeln!(out, "reference   {}", esc(&e.reference));
    let _ = writeln!(out, "registry    {}", esc(&e.registry));
    let _ = writeln!(out, "repository  {}", esc(&e.repository));
    let _ = writeln!(out, "looked up   {}", esc(&e.keys.join(", ")));
    let _ = writeln!(out, "uses        {}", esc(&answer));
    let _ = writeln!(out);
    drop(out);
    let mut t = output::table(ctx, &["SOURCE", "OUTCOME", "KEY", "DETAIL"]);
    for s in &e.steps {
        t.add_row(vec![
            output::cell(s.source),
            output::cell(s.outcome),
            output::cell(s.key.as_deref().unwrap_or("-")),
            output::cell(&s.detail),
        ]);
    }
    output::print_table(&t);
    for p in &e.problems {
        output::warn(p);
    }
}

fn new_explanation(
    reference: &str,
    image: &ImageRef,
    rules: &'static str,
    keys: Vec<String>,
) -> Explanation {
    Explanation {
        reference: reference.to_string(),
        registry: image.domain.clone(),
        repository: image.path.clone(),
        rules,
        keys,
        source: None,
        key: None,
        helper: None,
        file: None,
        username: None,
        kind: Kind::None,
        steps: Vec::new(),
        problems: Vec::new(),
    }
}

fn settle(e: &mut Explanation, f: Found) {
    e.source = Some(f.source);
    e.key = Some(f.key);
    e.helper = f.helper;
    e.file = f.file;
    e.username = f.username;
    e.kind = f.kind;
}

/// Docker's lookup for `image`, with `env` as `DOCKER_AUTH_CONFIG`.
pub fn explain_docker(
    reference: &str,
    image: &ImageRef,
    config: &Config,
    ctx: &Context,
    env: &EnvAuth,
) -> Explanation {
    let key = image.auth_key();
    let mut e = new_explanation(reference, image, "docker", vec![key.clone()]);
    if image.domain.bytes().any(|b| b.is_ascii_uppercase()) {
        e.problems.push(format!(
            "the registry is written with upper case: docker looks up `{key}` exactly, and a login stored as `{}` is not used",
            key.to_ascii_lowercase()
        ));
    }

    // 1. DOCKER_AUTH_CONFIG.
    let mut answered = false;
    if let Some(w) = &env.warning {
        e.problems.push(w.clone());
        e.steps.push(step("env", "error", None, w.clone()));
    } else if !env.is_active() {
        e.steps.push(step(
            "env",
            "not-configured",
            None,
            format!("{VAR} is not set"),
        ));
    } else if let Some(entry) = env.lookup(&key) {
        answered = true;
        if entry.has_secret() {
            e.steps.push(step(
                "env",
                "used",
                Some(&key),
                format!("{VAR} holds {key}"),
            ));
            check_secrets(&entry, &key, &mut e.problems);
        } else {
            e.steps.push(step(
                "env",
                "used",
                Some(&key),
                format!("{VAR} holds an empty entry for {key}"),
            ));
            e.problems.push(format!(
                "the entry for {key} in {VAR} is empty: docker sends no credentials and looks nowhere else"
            ));
        }
        settle(
            &mut e,
            Found {
                source: "env",
                key: key.clone(),
                helper: None,
                file: None,
                username: entry_user(&entry),
                kind: entry.kind(),
            },
        );
        if !entry.has_secret() {
            e.source = None;
            e.kind = Kind::None;
        }
    } else {
        let near = env.near_misses(&key);
        let detail = if near.is_empty() {
            format!("{VAR} has no entry for {key}")
        } else {
            format!(
                "{VAR} has {}, but docker looks up {key} exactly",
                near.join(", ")
            )
        };
        e.steps.push(step("env", "not-found", Some(&key), detail));
    }

    // 2. credHelpers, credsStore, file: exactly one is the store.
    let by_helper = config
        .cred_helpers()
        .find(|(k, _)| *k == key)
        .map(|(_, h)| h.to_string());
    let creds_store = config.creds_store().map(str::to_string);
    let near_helpers: Vec<String> = config
        .cred_helpers()
        .filter(|(k, _)| *k != key && crate::registry::same_registry(k, &key))
        .map(|(k, _)| k.to_string())
        .collect();
    let wait = |answered: bool, o: &'static str| if answered { "not-consulted" } else { o };

    let helper: Option<(&'static str, String)> = match (&by_helper, &creds_store) {
        (Some(h), _) if !h.is_empty() => Some(("credHelpers", h.clone())),
        (Some(_), _) => None,
        (None, Some(s)) => Some(("credsStore", s.clone())),
        (None, None) => None,
    };

    // The credHelpers step.
    match &by_helper {
        Some(h) if h.is_empty() => e.steps.push(step(
            "credHelpers",
            wait(answered, "passed-over"),
            Some(&key),
            "credHelpers names an empty helper for it: docker uses the file".into(),
        )),
        Some(_) => {}
        None => {
            let detail = if near_helpers.is_empty() {
                format!("no credHelpers entry for {key}")
            } else {
                format!(
                    "credHelpers has {}, but docker looks up {key} exactly",
                    near_helpers.join(", ")
                )
            };
            e.steps
                .push(step("credHelpers", "not-configured", None, detail));
        }
    }
    // The credsStore step, when credHelpers decided.
    if let Some(s) = &creds_store {
        if by_helper.is_some() {
            e.steps.push(step(
                "credsStore",
                wait(answered, "passed-over"),
                None,
                format!("credsStore is {s}, but credHelpers decides for {key}"),
            ));
        }
    } else if by_helper.is_none() {
        e.steps.push(step(
            "credsStore",
            "not-configured",
            None,
            "credsStore is not set".into(),
        ));
    }

    if let Some((source, name)) = &helper {
        let env_answered = answered;
        if env_answered {
            e.steps.push(step(
                source,
                "not-consulted",
                Some(&key),
                format!("docker-credential-{name} is not asked: {VAR} answered"),
            ));
        } else {
            let (s, found) = ask_helper(source, name, &key, ctx, config, &mut e.problems);
            if let Some(found) = found {
                settle(&mut e, found);
            }
            e.steps.push(s);
        }
        // The file, which docker does not read for this registry.
        let file_key = file_match(config, &key);
        let detail = match file_key.as_ref().map(|k| (k, entry_of(config, k))) {
            Some((k, entry)) if entry.has_secret() => {
                e.problems.push(format!(
                    "{} still holds plaintext for {k}, which docker ignores because it asks docker-credential-{name}",
                    config.path().display()
                ));
                format!("plaintext under {k} is ignored: docker asks docker-credential-{name}")
            }
            Some((k, _)) => format!("{k} is docker's placeholder: the secret is in the helper"),
            None => format!("docker asks docker-credential-{name} instead"),
        };
        let outcome = if env_answered {
            "not-consulted"
        } else {
            "passed-over"
        };
        e.steps
            .push(step("file", outcome, file_key.as_deref(), detail));
    } else {
        let s = look_in_file(config, &key, "file", answered, &mut e.problems);
        if let Some(found) = s.1 {
            settle(&mut e, found);
        }
        e.steps.push(s.0);
    }
    e
}

/// Ask helper `name` for `key`, as docker does.
fn ask_helper(
    source: &'static str,
    name: &str,
    key: &str,
    ctx: &Context,
    config: &Config,
    problems: &mut Vec<String>,
) -> (Step, Option<Found>) {
    let program = crate::helper::program_name(name);
    match ctx.helper_for(name, config, Some(key)).get(key) {
        Ok(c) => {
            check_secret(&c.secret, key, problems);
            let (username, kind) = if c.username == TOKEN_USERNAME {
                (None, Kind::IdentityToken)
            } else {
                (Some(c.username.clone()), Kind::Basic)
            };
            (
                step(source, "used", Some(key), format!("{program} holds {key}")),
                Some(Found {
                    source,
                    key: key.to_string(),
                    helper: Some(name.to_string()),
                    file: None,
                    username,
                    kind,
                }),
            )
        }
        Err(HelperError::NotFound { .. }) => {
            problems.push(format!(
                "{program} has no credentials for {key}: docker sends none (it does not fall back to the file)"
            ));
            (
                step(
                    source,
                    "not-found",
                    Some(key),
                    format!("{program} has nothing for {key}"),
                ),
                None,
            )
        }
        Err(err) => {
            problems.push(format!("{err}: docker gets no credentials for {key}"));
            (step(source, "error", Some(key), err.to_string()), None)
        }
    }
}

/// The `auths` key docker's file store finds for `key`.
fn file_match(config: &Config, key: &str) -> Option<String> {
    registry::docker_file_key(config.auth_keys(), key).map(str::to_string)
}

/// containers/image's `normalizeAuthFileKey`: a key with a scheme (or any
/// key of a legacy file) counts as its host; `index.docker.io` is
/// `docker.io`. A namespaced key without a scheme stays as it is.
fn auth_file_key_host(k: &str, legacy: bool) -> &str {
    let stripped = registry::strip_scheme(k);
    let host = if legacy || stripped.len() != k.len() {
        stripped.split('/').next().unwrap_or(stripped)
    } else {
        stripped
    };
    if host == "index.docker.io" {
        "docker.io"
    } else {
        host
    }
}

fn entry_of(config: &Config, key: &str) -> AuthEntry {
    config.auth_entry(key).unwrap_or_default()
}

fn entry_user(entry: &AuthEntry) -> Option<String> {
    entry
        .username
        .clone()
        .filter(|u| u != TOKEN_USERNAME || entry.identity_token.is_some())
}

/// Docker's file store for `key` in `config`.
fn look_in_file(
    config: &Config,
    key: &str,
    source: &'static str,
    answered: bool,
    problems: &mut Vec<String>,
) -> (Step, Option<Found>) {
    let path = config.path().display().to_string();
    let Some(k) = file_match(config, key) else {
        return (
            step(
                source,
                if answered {
                    "not-consulted"
                } else {
                    "not-found"
                },
                None,
                format!("no entry for {key} in {path}"),
            ),
            None,
        );
    };
    let entry = entry_of(config, &k);
    if answered {
        let detail = if entry.has_secret() {
            format!("{path} also holds {k}, but an earlier source answered")
        } else {
            format!("{path} has {k}")
        };
        return (step(source, "not-consulted", Some(&k), detail), None);
    }
    if let Some(p) = &entry.problem {
        problems.push(format!(
            "the entry for {k} in {path} cannot be decoded: {p}"
        ));
        return (
            step(source, "error", Some(&k), format!("cannot decode: {p}")),
            None,
        );
    }
    if !entry.has_secret() {
        problems.push(format!(
            "{k} in {path} is an empty placeholder and no credential helper is configured: docker sends no credentials"
        ));
        return (
            step(source, "not-found", Some(&k), "empty placeholder".into()),
            None,
        );
    }
    check_secrets(&entry, &k, problems);
    (
        step(source, "used", Some(&k), format!("plaintext in {path}")),
        Some(Found {
            source,
            key: k.clone(),
            helper: None,
            file: Some(path),
            username: entry_user(&entry),
            kind: entry.kind(),
        }),
    )
}

fn check_secrets(entry: &AuthEntry, key: &str, problems: &mut Vec<String>) {
    for s in [
        &entry.password,
        &entry.identity_token,
        &entry.registry_token,
    ]
    .into_iter()
    .flatten()
    {
        check_secret(s, key, problems);
    }
}

fn check_secret(secret: &Secret, key: &str, problems: &mut Vec<String>) {
    if let Some((kind, exp)) = token::expiry(secret.expose()) {
        let left = exp - token::now();
        if left <= 0 {
            problems.push(format!(
                "the {} for {key} expired {} ago: the registry will refuse it",
                kind.label(),
                token::human(left)
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// containers-auth.json

/// The keys containers/image tries for `image`, most specific first:
/// `reg/ns/repo`, `reg/ns`, `reg`.
pub fn containers_keys(image: &ImageRef) -> Vec<String> {
    let mut keys = Vec::new();
    let mut name = image.name();
    keys.push(name.clone());
    while let Some((parent, _)) = name.rsplit_once('/') {
        keys.push(parent.to_string());
        name = parent.to_string();
    }
    keys
}

fn explain_containers(
    reference: &str,
    image: &ImageRef,
    config: &Config,
    ctx: &Context,
) -> Explanation {
    let keys = containers_keys(image);
    let mut e = new_explanation(reference, image, "containers", keys.clone());
    let mut files: Vec<(PathBuf, bool)> = vec![(ctx.config_path.clone(), false)];
    if is_default_podman_file(&ctx.config_path) {
        files.extend(fallback_files());
    } else {
        e.steps.push(step(
            "file",
            "not-configured",
            None,
            "a file named with --authfile or $REGISTRY_AUTH_FILE is the only one read".into(),
        ));
    }
    let mut answered = false;
    for (i, (path, legacy)) in files.iter().enumerate() {
        let loaded = if i == 0 {
            Ok(config.clone())
        } else {
            load_any(path, *legacy)
        };
        let config = match loaded {
            Ok(c) => c,
            Err(err) => {
                e.problems.push(format!("{err:#}"));
                e.steps
                    .push(step("file", "error", None, format!("{err:#}")));
                continue;
            }
        };
        if !config.exists() && i > 0 {
            e.steps.push(step(
                "file",
                "not-found",
                None,
                format!("{} does not exist", path.display()),
            ));
            continue;
        }
        let (s, found) = containers_file(
            &config,
            image,
            &keys,
            *legacy,
            answered,
            ctx,
            &mut e.problems,
        );
        e.steps.extend(s);
        if let Some(f) = found {
            answered = true;
            settle(&mut e, f);
        }
    }
    e
}

/// One file by containers/image's `findCredentialsInFile`.
fn containers_file(
    config: &Config,
    image: &ImageRef,
    keys: &[String],
    legacy: bool,
    answered: bool,
    ctx: &Context,
    problems: &mut Vec<String>,
) -> (Vec<Step>, Option<Found>) {
    let path = config.path().display().to_string();
    let registry = image.domain.as_str();
    let mut steps = Vec::new();
    if let Some(s) = config.creds_store() {
        steps.push(step(
            "credsStore",
            "passed-over",
            None,
            format!("{path} names credsStore {s}, which podman, skopeo and buildah never read"),
        ));
    }
    if let Some((_, h)) = config.cred_helpers().find(|(k, _)| *k == registry) {
        if answered {
            steps.push(step(
                "credHelpers",
                "not-consulted",
                Some(registry),
                format!("{path}: an earlier file answered"),
            ));
            return (steps, None);
        }
        // containers/image asks the helper and stops there, found or not.
        let (mut s, found) = ask_helper("credHelpers", h, registry, ctx, config, problems);
        s.detail = format!("{path}: {}", s.detail);
        steps.push(s);
        if found.is_none() {
            return (steps, None);
        }
        return (steps, found);
    }
    let tried: Vec<String> = if legacy {
        vec![registry.to_string()]
    } else {
        keys.to_vec()
    };
    let hit = tried
        .iter()
        .find(|k| config.auth_entry(k).is_some())
        .cloned()
        .or_else(|| {
            config
                .auth_keys()
                .find(|k| auth_file_key_host(k, legacy) == registry)
                .map(str::to_string)
        });
    let Some(k) = hit else {
        steps.push(step(
            "file",
            if answered {
                "not-consulted"
            } else {
                "not-found"
            },
            None,
            format!("{path} has none of {}", tried.join(", ")),
        ));
        return (steps, None);
    };
    if answered {
        steps.push(step(
            "file",
            "not-consulted",
            Some(&k),
            format!("{path} also has {k}, but an earlier file answered"),
        ));
        return (steps, None);
    }
    let entry = entry_of(config, &k);
    if let Some(p) = &entry.problem {
        problems.push(format!(
            "the entry for {k} in {path} cannot be decoded: {p}"
        ));
        steps.push(step(
            "file",
            "error",
            Some(&k),
            format!("{path}: cannot decode: {p}"),
        ));
        return (steps, None);
    }
    if !entry.has_secret() {
        steps.push(step(
            "file",
            "not-found",
            Some(&k),
            format!("{path}: {k} is empty"),
        ));
        return (steps, None);
    }
    check_secrets(&entry, &k, problems);
    let found = Found {
        source: "file",
        key: k.clone(),
        helper: None,
        file: Some(path.clone()),
        username: entry_user(&entry),
        kind: entry.kind(),
    };
    let more_specific: Vec<&String> = keys.iter().take_while(|x| **x != k).collect();
    let detail = if more_specific.is_empty() {
        format!("plaintext in {path}")
    } else {
        format!(
            "plaintext in {path} (no entry for the more specific {})",
            more_specific
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    steps.push(step("file", "used", Some(&k), detail));
    (steps, Some(found))
}

/// Whether `path` is podman's default auth.json (not chosen with
/// `--authfile` or `$REGISTRY_AUTH_FILE`): only then does containers/image
/// read the fallback files.
fn is_default_podman_file(path: &Path) -> bool {
    let mut env = crate::config::locate::PodmanEnv::from_process();
    if env.registry_auth_file.is_some() {
        return false;
    }
    env.registry_auth_file = None;
    crate::config::locate::podman_auth_file(&env).is_ok_and(|p| p == path)
}

/// containers/image's fallbacks after the primary file: (path, legacy).
fn fallback_files() -> Vec<(PathBuf, bool)> {
    let home = crate::config::locate::home_dir().unwrap_or_default();
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    let docker = std::env::var_os("DOCKER_CONFIG")
        .filter(|v| !v.is_empty())
        .map(|d| PathBuf::from(d).join("config.json"))
        .unwrap_or_else(|| home.join(".docker/config.json"));
    vec![
        (xdg.join("containers/auth.json"), false),
        (docker, false),
        (home.join(".dockercfg"), true),
    ]
}

/// Load a file; a legacy `~/.dockercfg` (a bare map of registry -> entry)
/// is read as if it were wrapped in `auths`.
fn load_any(path: &Path, legacy: bool) -> Result<Config> {
    if !legacy {
        return Config::load(path);
    }
    match std::fs::read_to_string(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Config::parse(path, String::new(), false)
        }
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        Ok(text) => {
            let wrapped = format!("{{\"auths\": {text}}}");
            Config::parse(path, wrapped, true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_keys_most_specific_first() {
        let i = ImageRef::parse("quay.io/org/team/app:1").unwrap();
        assert_eq!(
            containers_keys(&i),
            [
                "quay.io/org/team/app",
                "quay.io/org/team",
                "quay.io/org",
                "quay.io"
            ]
        );
        let i = ImageRef::parse("nginx").unwrap();
        assert_eq!(
            containers_keys(&i),
            ["docker.io/library/nginx", "docker.io/library", "docker.io"]
        );
    }
}
