//! Which store holds a registry's secret, by docker's rule:
//! `credHelpers[registry]`, else `credsStore`, else the `auths` entry in the
//! file (plaintext).

use crate::config::Config;
use crate::registry;

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

/// The store for `registry` (any spelling) in `config`. A `credHelpers` key
/// matches exactly, or else by normalised name (`https://ghcr.io` and
/// `ghcr.io` are one registry).
pub fn store_for(config: &Config, registry: &str) -> Store {
    let helpers: Vec<(&str, &str)> = config.cred_helpers().collect();
    let by_helper = helpers.iter().find(|(k, _)| *k == registry).or_else(|| {
        helpers
            .iter()
            .find(|(k, _)| registry::same_registry(k, registry))
    });
    match (by_helper, config.creds_store()) {
        (Some((_, h)), _) if !h.is_empty() => Store::CredHelper(h.to_string()),
        (_, Some(s)) => Store::CredsStore(s.to_string()),
        _ => Store::File,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn cred_helpers_beat_creds_store_beat_file() {
        let c = Config::parse(
            Path::new("c.json"),
            r#"{"credsStore":"pass","credHelpers":{"https://gcr.io":"gcloud"}}"#.into(),
            true,
        )
        .unwrap();
        assert_eq!(store_for(&c, "gcr.io"), Store::CredHelper("gcloud".into()));
        assert_eq!(store_for(&c, "ghcr.io"), Store::CredsStore("pass".into()));
        let c = Config::parse(Path::new("c.json"), "{}".into(), true).unwrap();
        assert_eq!(store_for(&c, "ghcr.io"), Store::File);
    }
}
