//! Which store holds a registry's secret, by docker's rule:
//! `credHelpers[registry]`, else `credsStore`, else the `auths` entry in the
//! file (plaintext).
//!
//! A containers auth.json has its own rule (containers/image
//! `findCredentialsInFile`): `credHelpers[host]`, else the file; podman,
//! skopeo and buildah never read `credsStore`. [`store_in`] applies the rule
//! of the file's [`Flavor`] (both rules live in [`super::rules`](mod@super::rules));
//! [`store_for`] is docker's. This module says where a secret lives; it
//! never asks a helper.

use crate::auth::AuthEntry;
use crate::config::Config;
use crate::context::Flavor;
use crate::{registry, Secret};

/// Where docker would keep (and look for) a registry's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    /// Plaintext in config.json.
    File,
    /// A helper named by `credHelpers` for this registry.
    CredHelper(String),
    /// The `credsStore` helper.
    CredsStore(String),
}

impl Store {
    /// The helper's name, if the secret lives in one.
    pub fn helper(&self) -> Option<&str> {
        match self {
            Store::File => None,
            Store::CredHelper(h) | Store::CredsStore(h) => Some(h),
        }
    }

    /// `file`, `credsStore` or `credHelpers`: the `source` of `--json`.
    pub fn source(&self) -> &'static str {
        match self {
            Store::File => "file",
            Store::CredHelper(_) => "credHelpers",
            Store::CredsStore(_) => "credsStore",
        }
    }

    /// What a person reads: `file`, or the helper's name.
    pub fn label(&self) -> &str {
        self.helper().unwrap_or("file")
    }
}

/// The store for `registry` (any spelling) in `config`, as docker picks it:
/// `credHelpers` is looked up by the registry's normalised key *exactly*
/// (`ghcr.io`, or `https://index.docker.io/v1/` for Hub), so a key written
/// `https://ghcr.io` in credHelpers is one docker never uses; a present but
/// empty helper name means the file, even when `credsStore` is set.
pub fn store_for(config: &Config, registry: &str) -> Store {
    store_in(config, registry, Flavor::Docker)
}

/// The store for `registry` in a file of `flavor`, by the rules of the
/// tools that read it ([`super::rules`](mod@super::rules)): docker looks `credHelpers` up by
/// the registry's normalised key; a containers auth.json by the key's
/// registry (`host[:port]`, `docker.io` for Hub) exactly, as containers/image
/// does (helpers hold no namespaced keys), and ignores `credsStore`.
pub fn store_in(config: &Config, registry: &str, flavor: Flavor) -> Store {
    super::rules(flavor).store(config, registry)
}

/// The store named for lookup key `key` (compared exactly with the
/// `credHelpers` keys), else `creds_store`, else the file. A present but
/// empty helper name means the file, even when `creds_store` is set.
pub(crate) fn pick(config: &Config, key: &str, creds_store: Option<&str>) -> Store {
    let by_helper = config
        .cred_helpers()
        .find(|(k, _)| *k == key)
        .map(|(_, h)| h);
    match (by_helper, creds_store) {
        (Some(""), _) => Store::File,
        (Some(h), _) => Store::CredHelper(h.to_string()),
        (None, Some(s)) => Store::CredsStore(s.to_string()),
        (None, None) => Store::File,
    }
}

/// The `credsStore` the tools reading a file of `flavor` honour: docker's
/// only; podman, skopeo and buildah ignore the key.
pub fn creds_store(config: &Config, flavor: Flavor) -> Option<&str> {
    super::rules(flavor).creds_store(config)
}

/// The secrets the file holds for `registry` (any spelling, namespaced
/// keys of its host included), or for every registry when `None`: what a
/// helper's messages about it must not show (`HelperClient::redacting`).
pub fn file_secrets(config: &Config, registry: Option<&str>) -> Vec<Secret> {
    let wanted = registry.map(registry::normalize);
    config
        .auth_raw()
        .filter(|(k, _)| {
            wanted
                .as_deref()
                .is_none_or(|w| registry::normalize_cow(k) == w)
        })
        .flat_map(|(_, raw)| {
            let e = AuthEntry::from_json(raw);
            [e.password, e.identity_token, e.registry_token]
        })
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn cred_helpers_beat_creds_store_beat_file() {
        let c = Config::parse(
            Path::new("c.json"),
            r#"{"credsStore":"pass","credHelpers":{"gcr.io":"gcloud","https://quay.io":"x","e.io":""}}"#
                .into(),
            true,
        )
        .unwrap();
        assert_eq!(store_for(&c, "gcr.io"), Store::CredHelper("gcloud".into()));
        assert_eq!(
            store_for(&c, "https://gcr.io/v2/"),
            Store::CredHelper("gcloud".into())
        );
        assert_eq!(store_for(&c, "ghcr.io"), Store::CredsStore("pass".into()));
        // docker looks up the normalised key exactly, and "" means the file.
        assert_eq!(store_for(&c, "quay.io"), Store::CredsStore("pass".into()));
        assert_eq!(store_for(&c, "e.io"), Store::File);
        let c = Config::parse(Path::new("c.json"), "{}".into(), true).unwrap();
        assert_eq!(store_for(&c, "ghcr.io"), Store::File);
    }

    #[test]
    fn containers_ignore_creds_store_and_look_helpers_up_by_host() {
        let c = Config::parse(
            Path::new("auth.json"),
            r#"{"credsStore":"pass","credHelpers":{"quay.io":"q","docker.io":"hub","https://index.docker.io/v1/":"x"}}"#
                .into(),
            true,
        )
        .unwrap();
        let s = |r| store_in(&c, r, Flavor::Containers);
        assert_eq!(s("ghcr.io"), Store::File);
        assert_eq!(s("quay.io"), Store::CredHelper("q".into()));
        // A namespaced key is served by its registry's helper, if any.
        assert_eq!(s("quay.io/org/repo"), Store::CredHelper("q".into()));
        assert_eq!(s("https://docker.io"), Store::CredHelper("hub".into()));
        assert_eq!(s("index.docker.io/me/app"), Store::CredHelper("hub".into()));
        assert_eq!(creds_store(&c, Flavor::Containers), None);
        // Docker's rule is untouched.
        assert_eq!(store_for(&c, "ghcr.io"), Store::CredsStore("pass".into()));
        assert_eq!(store_for(&c, "docker.io"), Store::CredHelper("x".into()));
    }
}
