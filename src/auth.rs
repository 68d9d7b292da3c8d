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
        AuthEntry::from_json(&v.to_string())
    }

    /// Decode an entry from its JSON text (valid JSON, as the config parse
    /// checked). Never fails: problems are recorded. The fields are read in
    /// one pass into borrowed strings; no tree is built.
    pub fn from_json(raw: &str) -> AuthEntry {
        let Ok(RawEntry(fields)) = serde_json::from_str::<RawEntry>(raw) else {
            return AuthEntry {
                problem: Some("entry is not a JSON object".into()),
                ..Default::default()
            };
        };
        let text = |f: &Option<Field<'_>>| match f {
            Some(Field::Str(s)) if !s.is_empty() => Some(s.to_string()),
            _ => None,
        };
        let [auth, identity, registry, email, user, pass] = &fields;
        let mut e = AuthEntry {
            identity_token: text(identity).map(Secret::new),
            registry_token: text(registry).map(Secret::new),
            email: text(email),
            ..Default::default()
        };
        for (name, f) in [
            ("auth", auth),
            ("identitytoken", identity),
            ("registrytoken", registry),
        ] {
            if matches!(f, Some(Field::Other)) {
                e.problem = Some(format!("`{name}` is not a string"));
            }
        }
        if let Some(Field::Str(auth)) = auth
            .as_ref()
            .filter(|f| matches!(f, Field::Str(s) if !s.is_empty()))
        {
            match decode_auth(auth) {
                Ok((u, p)) => {
                    e.username = Some(u);
                    e.password = Some(p);
                }
                Err(why) => e.problem = Some(why),
            }
        } else if let Some(u) = text(user) {
            // Written by some other tools instead of `auth`.
            e.username = Some(u);
            e.password = text(pass).map(Secret::new);
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

/// A string field borrowed from the text (owned when it had escapes), or
/// some other non-null value.
enum Field<'a> {
    Str(std::borrow::Cow<'a, str>),
    Other,
}

/// The six fields an entry can use, in the order `FIELDS` names them; a
/// repeated field keeps its last value, as a JSON object does.
struct RawEntry<'a>([Option<Field<'a>>; 6]);

const FIELDS: [&str; 6] = [
    "auth",
    "identitytoken",
    "registrytoken",
    "email",
    "username",
    "password",
];

impl<'de> serde::Deserialize<'de> for RawEntry<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, IgnoredAny, MapAccess, Visitor};
        use std::borrow::Cow;
        use std::fmt;

        /// A key: the index of a field we read, or None.
        struct Key(Option<usize>);
        impl<'de> serde::Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = Key;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a key")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                        Ok(Key(FIELDS.iter().position(|f| *f == v)))
                    }
                }
                d.deserialize_str(V)
            }
        }

        /// A field value: string, null (None) or anything else.
        struct Val<'a>(Option<Field<'a>>);
        impl<'de> serde::Deserialize<'de> for Val<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Val<'de>;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("any value")
                    }
                    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Str(Cow::Borrowed(v)))))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Str(Cow::Owned(v.to_string())))))
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<Val<'de>, E> {
                        Ok(Val(None))
                    }
                    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Other)))
                    }
                    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Other)))
                    }
                    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Other)))
                    }
                    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Val<'de>, E> {
                        Ok(Val(Some(Field::Other)))
                    }
                    fn visit_seq<A: de::SeqAccess<'de>>(
                        self,
                        mut a: A,
                    ) -> Result<Val<'de>, A::Error> {
                        while a.next_element::<IgnoredAny>()?.is_some() {}
                        Ok(Val(Some(Field::Other)))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Val<'de>, A::Error> {
                        while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        Ok(Val(Some(Field::Other)))
                    }
                }
                d.deserialize_any(V)
            }
        }

        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = RawEntry<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawEntry<'de>, A::Error> {
                let mut fields: [Option<Field<'de>>; 6] = Default::default();
                while let Some(Key(k)) = a.next_key()? {
                    match k {
                        Some(i) => fields[i] = a.next_value::<Val>()?.0,
                        None => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RawEntry(fields))
            }
        }
        d.deserialize_map(EntryVisitor)
    }
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
