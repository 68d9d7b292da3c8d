//! One `auths` entry: decoding and encoding the `auth` field, and what kind
//! of credential an entry holds.
//!
//! Decoding follows docker/cli: standard padded base64 of `user:password`,
//! split at the first colon (passwords may contain colons), an empty user is
//! invalid, trailing NUL bytes are trimmed from the password. An entry that
//! fails to decode is reported on that entry and never rewritten.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use crate::Secret;

/// The username docker uses in a helper for an identity token.
pub const TOKEN_USERNAME: &str = "<token>";

/// What kind of credential an entry or helper record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Basic,
    IdentityToken,
    RegistryToken,
    /// A `{}` placeholder or nothing usable.
    None,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Basic => "password",
            Kind::IdentityToken => "identity token",
            Kind::RegistryToken => "registry token",
            Kind::None => "-",
        }
    }
}

/// A decoded `auths` entry.
#[derive(Debug, Clone, Default)]
pub struct AuthEntry {
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub identity_token: Option<Secret>,
    pub registry_token: Option<Secret>,
    pub email: Option<String>,
    /// Why the entry could not be decoded; the rest of it is still shown.
    pub problem: Option<String>,
}

impl AuthEntry {
    /// Decode an entry's JSON value. Never fails: problems are recorded.
    pub fn from_value(v: &Value) -> AuthEntry {
        let Some(obj) = v.as_object() else {
            return AuthEntry {
                problem: Some("entry is not a JSON object".into()),
                ..Default::default()
            };
        };
        // One pass over the fields (no hashing per field: a config may hold
        // thousands of entries).
        let (mut auth, mut user, mut pass) = (None, None, None);
        let mut e = AuthEntry::default();
        for (k, v) in obj {
            let text = v.as_str().filter(|s| !s.is_empty());
            match k.as_str() {
                "auth" => auth = text,
                "identitytoken" => e.identity_token = text.map(Secret::new),
                "registrytoken" => e.registry_token = text.map(Secret::new),
                "email" => e.email = text.map(str::to_string),
                "username" => user = text,
                "password" => pass = text,
                _ => continue,
            }
            if matches!(k.as_str(), "auth" | "identitytoken" | "registrytoken")
                && !v.is_string()
                && !v.is_null()
            {
                e.problem = Some(format!("`{k}` is not a string"));
            }
        }
        if let Some(auth) = auth {
            match decode_auth(auth) {
                Ok((u, p)) => {
                    e.username = Some(u);
                    e.password = Some(p);
                }
                Err(why) => e.problem = Some(why),
            }
        } else if let Some(u) = user {
            // Written by some other tools instead of `auth`.
            e.username = Some(u.to_string());
            e.password = pass.map(Secret::new);
        }
        e
    }

    /// The kind of credential this entry holds, as docker would use it.
    pub fn kind(&self) -> Kind {
        if self.identity_token.is_some() {
            Kind::IdentityToken
        } else if self.registry_token.is_some() {
            Kind::RegistryToken
        } else if self.password.is_some() {
            if self.username.as_deref() == Some(TOKEN_USERNAME) {
                Kind::IdentityToken
            } else {
                Kind::Basic
            }
        } else {
            Kind::None
        }
    }

    /// True when the entry holds a secret in the file itself.
    pub fn has_secret(&self) -> bool {
        self.password.is_some() || self.identity_token.is_some() || self.registry_token.is_some()
    }

    /// True for docker's `{}` placeholder (or an entry holding only `email`).
    pub fn is_placeholder(&self) -> bool {
        !self.has_secret() && self.problem.is_none() && self.username.is_none()
    }
}

/// Decode an `auth` value into username and password. The error never
/// contains the value.
pub fn decode_auth(auth: &str) -> Result<(String, Secret), String> {
    let bytes = zeroize::Zeroizing::new(
        STANDARD
            .decode(auth.trim())
            .map_err(|_| "`auth` is not valid base64".to_string())?,
    );
    let text = std::str::from_utf8(&bytes).map_err(|_| "`auth` is not UTF-8 text".to_string())?;
    let (user, pass) = text
        .split_once(':')
        .ok_or_else(|| "`auth` has no ':' between username and password".to_string())?;
    if user.is_empty() {
        return Err("`auth` has an empty username".into());
    }
    Ok((
        user.to_string(),
        Secret::new(pass.trim_end_matches('\0').to_string()),
    ))
}

/// Encode a username and password as docker's `auth` value.
pub fn encode_auth(username: &str, password: &Secret) -> String {
    let joined = zeroize::Zeroizing::new(format!("{username}:{}", password.expose()));
    STANDARD.encode(joined.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decode_splits_at_first_colon_and_trims_nul() {
        let (u, p) = decode_auth(&STANDARD.encode("me:a:b\0\0")).unwrap();
        assert_eq!(u, "me");
        assert_eq!(p.expose(), "a:b");
        let enc = encode_auth("ü", &Secret::new("p:w"));
        let (u, p) = decode_auth(&enc).unwrap();
        assert_eq!((u.as_str(), p.expose()), ("ü", "p:w"));
    }

    #[test]
    fn decode_errors_do_not_leak() {
        for bad in [
            "%%%".to_string(),
            STANDARD.encode("nocolon"),
            STANDARD.encode(":pw"),
            STANDARD.encode([0xff, b':', b'x']),
        ] {
            let err = decode_auth(&bad).unwrap_err();
            assert!(!err.contains(&bad), "{err}");
        }
    }

    #[test]
    fn kinds() {
        let basic = AuthEntry::from_value(&json!({"auth": encode_auth("u", &"p".into())}));
        assert_eq!(basic.kind(), Kind::Basic);
        let idt = AuthEntry::from_value(
            &json!({"auth": encode_auth("u", &"p".into()), "identitytoken": "t"}),
        );
        assert_eq!(idt.kind(), Kind::IdentityToken);
        let tok = AuthEntry::from_value(&json!({"auth": encode_auth("<token>", &"t".into())}));
        assert_eq!(tok.kind(), Kind::IdentityToken);
        assert_eq!(
            AuthEntry::from_value(&json!({"registrytoken": "t"})).kind(),
            Kind::RegistryToken
        );
        let ph = AuthEntry::from_value(&json!({}));
        assert!(ph.is_placeholder());
        assert_eq!(ph.kind(), Kind::None);
        let bad = AuthEntry::from_value(&json!({"auth": "!!"}));
        assert!(bad.problem.is_some() && !bad.is_placeholder());
        assert!(AuthEntry::from_value(&json!("x")).problem.is_some());
    }
}
