//! containers/image's rules (podman, skopeo, buildah), in one place
//! (`findCredentialsInFile`, `GetCredentials`).
//!
//! Per file: `credHelpers[registry]` first (never `credsStore`): the helper
//! is asked and its answer, found or not, ends the file; then the keys
//! `reg/ns/repo`, `reg/ns`, `reg` exactly (most specific first), then any
//! key whose host is the registry. With podman's default file (not
//! `--authfile` or `$REGISTRY_AUTH_FILE`) the next files are tried in turn:
//! `$XDG_CONFIG_HOME/containers/auth.json`, docker's config.json and
//! `~/.dockercfg` (COMPAT.md).
//!
//! With [`Lookup::AnySpelling`] (a registry or namespace named by the user)
//! only the named file is read and each key is compared normalised
//! (`normalize_containers`).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::resolve::{
    ask_helper, check_secrets, entry_answer, helper_has_nothing, Detail, Lookup, Outcome, Query,
    Source, Step, Target, Trace,
};
use super::rules::Rules;
use super::store::{pick, Store};
use crate::config::Config;
use crate::context::Context;
use crate::reference::ImageRef;
use crate::registry;

/// containers/image's rules.
pub struct Containers;

impl Rules for Containers {
    fn name(&self) -> &'static str {
        "containers"
    }

    fn login_key(&self, name: &str) -> String {
        registry::normalize_containers(name)
    }

    fn helper_key(&self, name: &str) -> String {
        registry::containers_host(&registry::normalize_containers(name)).to_string()
    }

    /// `credHelpers` is looked up by the key's registry (`host[:port]`,
    /// `docker.io` for Hub) exactly, as containers/image does (helpers hold
    /// no namespaced keys); `credsStore` is never read.
    fn store(&self, config: &Config, registry: &str) -> Store {
        pick(config, &self.helper_key(registry), None)
    }

    fn creds_store<'c>(&self, _config: &'c Config) -> Option<&'c str> {
        None
    }

    fn walk(
        &self,
        query: &Query,
        config: &Config,
        ctx: &Context,
        _detail: Detail,
    ) -> Result<Trace> {
        let (keys, host) = match &query.target {
            Target::Image(image) => (containers_keys(image), image.domain.clone()),
            Target::Registry(r) => {
                registry::check_containers_key(r).map_err(anyhow::Error::msg)?;
                let mut key = self.login_key(r);
                let host = self.helper_key(r);
                let mut keys = vec![key.clone()];
                while let Some((parent, _)) = key.rsplit_once('/') {
                    keys.push(parent.to_string());
                    key = parent.to_string();
                }
                (keys, host)
            }
        };
        // Every step is written down whatever the detail: an auth.json
        // rarely holds thousands of logins.
        Ok(walk(query.lookup, keys, &host, config, ctx))
    }
}

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

fn walk(lookup: Lookup, keys: Vec<String>, host: &str, config: &Config, ctx: &Context) -> Trace {
    let mut t = Trace::new("containers", keys.clone());
    let mut files: Vec<(PathBuf, bool)> = vec![(config.path().to_path_buf(), false)];
    if lookup == Lookup::Client {
        if is_default_podman_file(config.path()) {
            files.extend(fallback_files());
        } else {
            t.steps.push(Step::new(
                Source::File,
                Outcome::NotConfigured,
                None,
                "a file named with --authfile or $REGISTRY_AUTH_FILE is the only one read".into(),
            ));
        }
    }
    let mut answered = false;
    for (i, (path, legacy)) in files.iter().enumerate() {
        // The named file is the one already parsed: borrowed, not copied
        // (a copy of the whole text per login made `export --all` of an
        // auth.json quadratic, #17).
        let loaded = if i == 0 {
            Ok(std::borrow::Cow::Borrowed(config))
        } else {
            load_any(path, *legacy).map(std::borrow::Cow::Owned)
        };
        let config = match loaded {
            Ok(c) => c,
            Err(err) => {
                t.problems.push(format!("{err:#}"));
                t.steps.push(
                    Step::new(Source::File, Outcome::Error, None, format!("{err:#}")).in_file(path),
                );
                continue;
            }
        };
        if !config.exists() && i > 0 {
            t.steps.push(
                Step::new(
                    Source::File,
                    Outcome::NotFound,
                    None,
                    format!("{} does not exist", path.display()),
                )
                .in_file(path),
            );
            continue;
        }
        let file = File {
            config: &config,
            legacy: *legacy,
            lookup,
        };
        if file.walk(&keys, host, answered, ctx, &mut t) {
            answered = true;
        }
    }
    t
}

/// One file, by containers/image's `findCredentialsInFile`.
struct File<'a> {
    config: &'a Config,
    /// A `~/.dockercfg`: a bare map, keys counted as their host.
    legacy: bool,
    lookup: Lookup,
}

impl File<'_> {
    /// Add this file's steps; true when it answered.
    fn walk(
        &self,
        keys: &[String],
        registry: &str,
        answered: bool,
        ctx: &Context,
        t: &mut Trace,
    ) -> bool {
        let config = self.config;
        let p = config.path();
        let path = p.display().to_string();
        if let Some(s) = config.creds_store() {
            t.steps.push(
                Step::new(
                    Source::CredsStore,
                    Outcome::PassedOver,
                    None,
                    format!(
                        "{path} names credsStore {s}, which podman, skopeo and buildah never read"
                    ),
                )
                .in_file(p),
            );
        }
        if let Store::CredHelper(h) = Containers.store(config, registry) {
            if answered {
                t.steps.push(
                    Step::new(
                        Source::CredHelpers,
                        Outcome::NotConsulted,
                        Some(registry),
                        format!("{path}: an earlier file answered"),
                    )
                    .in_file(p),
                );
                return false;
            }
            // containers/image asks the helper and stops there, found or not.
            let (mut step, answer) = ask_helper(Source::CredHelpers, &h, registry, ctx, config, t);
            if step.outcome == Outcome::NotFound {
                t.problems.push(helper_has_nothing(&h, registry));
            }
            step.detail = format!("{path}: {}", step.detail);
            t.steps.push(step.in_file(p));
            let found = answer.is_some();
            if found {
                t.answer = answer;
            }
            return found;
        }
        let tried: Vec<String> = if self.legacy {
            vec![registry.to_string()]
        } else {
            keys.to_vec()
        };
        let step = |outcome, k: Option<&str>, detail| {
            Step::new(Source::File, outcome, k, detail).in_file(p)
        };
        let Some(k) = self.find(&tried, registry) else {
            let outcome = if answered {
                Outcome::NotConsulted
            } else {
                Outcome::NotFound
            };
            t.steps.push(step(
                outcome,
                None,
                format!("{path} has none of {}", tried.join(", ")),
            ));
            return false;
        };
        if answered {
            t.steps.push(step(
                Outcome::NotConsulted,
                Some(&k),
                format!("{path} also has {k}, but an earlier file answered"),
            ));
            return false;
        }
        let entry = config.auth_entry(&k).unwrap_or_default();
        if let Some(pr) = &entry.problem {
            let why = format!("the entry for {k} in {path} cannot be decoded: {pr}");
            t.problems.push(why.clone());
            t.failure = Some(why);
            t.steps.push(step(
                Outcome::Error,
                Some(&k),
                format!("{path}: cannot decode: {pr}"),
            ));
            return false;
        }
        if !entry.has_secret() {
            t.steps.push(step(
                Outcome::NotFound,
                Some(&k),
                format!("{path}: {k} is empty"),
            ));
            return false;
        }
        check_secrets(&entry, &k, &mut t.problems);
        t.answer = Some(entry_answer(
            Source::File,
            &k,
            &entry,
            Some(p.to_path_buf()),
        ));
        let more_specific: Vec<&str> = keys
            .iter()
            .take_while(|x| **x != k)
            .map(String::as_str)
            .collect();
        let detail = if more_specific.is_empty() {
            format!("plaintext in {path}")
        } else {
            format!(
                "plaintext in {path} (no entry for the more specific {})",
                more_specific.join(", ")
            )
        };
        t.steps.push(step(Outcome::Used, Some(&k), detail));
        true
    }

    /// The `auths` key that answers for `tried` (most specific first).
    fn find(&self, tried: &[String], registry: &str) -> Option<String> {
        let config = self.config;
        match self.lookup {
            // Exact keys first, then any key whose host is the registry.
            Lookup::Client => tried
                .iter()
                .find(|k| config.auth_entry(k).is_some())
                .cloned()
                .or_else(|| {
                    config
                        .auth_keys()
                        .find(|k| auth_file_key_host(k, self.legacy) == registry)
                        .map(str::to_string)
                }),
            // Keys compared without decoding; only the match is decoded.
            Lookup::AnySpelling => tried
                .iter()
                .find_map(|want| config.find_containers_key(want).map(str::to_string)),
        }
    }
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
