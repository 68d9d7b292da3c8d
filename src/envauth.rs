//! `DOCKER_AUTH_CONFIG`: logins held in an environment variable, read-only.
//!
//! docker/cli (from v28.3, docker/cli#6008; the 28.2.2 client on these
//! machines does not read it yet, seen) treats a set, non-empty
//! `DOCKER_AUTH_CONFIG` as a config.json-shaped JSON whose `auths` sit in
//! front of every other store: a registry is looked up there first, by its
//! exact key (`ghcr.io`, `https://index.docker.io/v1/`; no `https://ghcr.io`
//! aliasing as the file store has), and only if absent in credHelpers /
//! credsStore / the file (`configfile.GetCredentialsStore`, memory store with
//! a fallback). When the value cannot be decoded (bad JSON, or one `auth`
//! that does not decode), docker ignores the whole variable without a word;
//! dockercfg warns once on stderr and also ignores it. dockercfg never
//! writes it.
//!
//! This module owns reading and parsing the variable; it does not decide
//! precedence (that is `logins::docker`).

use std::path::Path;

use crate::auth::AuthEntry;
use crate::config::Config;

/// The variable's name.
pub const VAR: &str = "DOCKER_AUTH_CONFIG";

/// What the variable holds, as docker would use it.
#[derive(Debug, Clone, Default)]
pub struct EnvAuth {
    /// The parsed value, when set, non-empty and usable.
    config: Option<Config>,
    /// Why a set value is ignored (one line, never containing the value).
    pub warning: Option<String>,
}

impl EnvAuth {
    /// Read `DOCKER_AUTH_CONFIG` from this process's environment.
    pub fn from_env() -> EnvAuth {
        match std::env::var(VAR) {
            Ok(v) => EnvAuth::parse(&v),
            Err(std::env::VarError::NotPresent) => EnvAuth::default(),
            Err(std::env::VarError::NotUnicode(_)) => EnvAuth {
                config: None,
                warning: Some(format!("{VAR} is not UTF-8 text; docker ignores it")),
            },
        }
    }

    /// Interpret a value of the variable.
    pub fn parse(value: &str) -> EnvAuth {
        if value.is_empty() {
            return EnvAuth::default();
        }
        let ignored = |why: String| EnvAuth {
            config: None,
            warning: Some(format!("{why}; docker ignores the variable")),
        };
        // serde_json's messages name a position, never the text itself.
        let config = match Config::parse(Path::new(&format!("${VAR}")), value.to_string(), true) {
            Ok(c) => c,
            Err(e) => return ignored(format!("{e:#}")),
        };
        if let Some((key, problem)) = config
            .auths()
            .find_map(|(k, e)| e.problem.map(|p| (k.to_string(), p)))
        {
            return ignored(format!(
                "cannot decode the entry for {key} in ${VAR}: {problem}"
            ));
        }
        EnvAuth {
            config: Some(config),
            warning: None,
        }
    }

    /// Whether the variable holds usable logins (possibly none).
    pub fn is_active(&self) -> bool {
        self.config.is_some()
    }

    /// Every entry, in the variable's order.
    pub fn entries(&self) -> Vec<(String, AuthEntry)> {
        self.config
            .iter()
            .flat_map(|c| c.auths().map(|(k, e)| (k.to_string(), e)))
            .collect()
    }

    /// The entry docker finds for lookup key `key`: exact keys only.
    pub fn lookup(&self, key: &str) -> Option<AuthEntry> {
        let config = self.config.as_ref()?;
        config.auth_entry(key)
    }

    /// Keys that name the same registry as `key` without being spelled as
    /// docker looks it up (so docker passes them over).
    pub fn near_misses(&self, key: &str) -> Vec<String> {
        self.entries()
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k != key && crate::registry::same_registry(k, key))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::encode_auth;

    #[test]
    fn unset_or_empty_is_inactive() {
        let e = EnvAuth::parse("");
        assert!(!e.is_active() && e.warning.is_none());
    }

    #[test]
    fn exact_keys_only() {
        let a = encode_auth("me", &"pw".into());
        let e = EnvAuth::parse(&format!(
            r#"{{"auths":{{"ghcr.io":{{"auth":"{a}"}},"https://quay.io":{{"auth":"{a}"}}}}}}"#
        ));
        assert!(e.is_active());
        assert_eq!(e.lookup("ghcr.io").unwrap().username.as_deref(), Some("me"));
        assert!(e.lookup("quay.io").is_none());
        assert_eq!(e.near_misses("quay.io"), ["https://quay.io"]);
        assert_eq!(e.entries().len(), 2);
    }

    #[test]
    fn undecodable_value_is_ignored_with_a_warning_that_hides_it() {
        for bad in [
            "{\"auths\": {\"a.io\": {\"auth\": \"c2VjcmV0LXZhbHVl\"}}}", // no colon
            "{\"auths\": ",
            "[1]",
        ] {
            let e = EnvAuth::parse(bad);
            assert!(!e.is_active(), "{bad}");
            let w = e.warning.unwrap();
            assert!(w.contains("$DOCKER_AUTH_CONFIG"), "{w}");
            assert!(w.contains("docker ignores"), "{w}");
            assert!(!w.contains("c2VjcmV0"), "{w}");
        }
    }
}
