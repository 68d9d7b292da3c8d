//! One `auths` entry: decoding and encoding the `auth` field, and what kind
//! of credential an entry holds.
//!
//! Decoding follows docker/cli exactly (see [`decode_auth`] and
//! docs/COMPAT-DECODING.md): Go's padded base64 of `user:password`, `\r` and
//! `\n` skipped, split at the first colon (passwords may contain colons), an
//! empty user is invalid, NUL bytes trimmed from both ends of the password,
//! which may be any bytes. An entry that fails to decode is reported on that
//! entry and never rewritten.

use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
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
        let parsed = serde_json::from_str::<RawEntry>(raw);
        // A lone surrogate escape (`"\ud800"`) is valid JSON that Go reads
        // as U+FFFD and serde refuses: read such an entry as Go does.
        let fixed;
        let parsed = match parsed {
            Err(_) if raw.contains("\\u") => {
                fixed = go_surrogates(raw);
                serde_json::from_str::<RawEntry>(&fixed)
            }
            other => other,
        };
        let Ok(RawEntry(fields)) = parsed else {
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

    /// The secrets the entry holds in the file: password, identity token,
    /// registry token, those present.
    pub fn secrets(&self) -> impl Iterator<Item = &Secret> + Clone {
        [&self.password, &self.identity_token, &self.registry_token]
            .into_iter()
            .flatten()
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

/// Go's `base64.StdEncoding`, which docker decodes `auth` with: padding
/// required and canonical, but bits after the last full byte ignored
/// (`YTpiYx==` is `a:bc`, which the base64 crate's STANDARD refuses).
pub(crate) const GO_STD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Decode an `auth` value into username and password exactly as docker/cli
/// does (`configfile.decodeAuth`; the rules, each with its test, are in
/// docs/COMPAT-DECODING.md):
///
/// 1. base64 as Go's `StdEncoding` decodes it: `\r` and `\n` anywhere are
///    skipped (coreutils `base64` wraps at 76 columns); any other character
///    outside the alphabet, a space included, is an error;
/// 2. split at the first `:`; no colon or an empty username is an error;
/// 3. NUL bytes are trimmed from both ends of the password (docker decodes
///    into a zeroed buffer of the maximum length and `strings.Trim`s it);
/// 4. the password may be any bytes: one that is not UTF-8 is kept exactly
///    (see [`Secret::from_bytes`]). A username that is not UTF-8 is refused:
///    it could not be shown, stored or sent unchanged.
///
/// The error never contains the value.
pub fn decode_auth(auth: &str) -> Result<(String, Secret), String> {
    // Line ends are dropped (a copy) only when there are any: decoding every
    // login of a large file made that copy a third of the work (#17).
    let cleaned: zeroize::Zeroizing<Vec<u8>>;
    let input: &[u8] = if memchr::memchr2(b'\r', b'\n', auth.as_bytes()).is_none() {
        auth.as_bytes()
    } else {
        cleaned = zeroize::Zeroizing::new(
            auth.bytes()
                .filter(|b| !matches!(b, b'\r' | b'\n'))
                .collect(),
        );
        &cleaned
    };
    let bytes = zeroize::Zeroizing::new(
        GO_STD
            .decode(input)
            .map_err(|_| "`auth` is not valid base64".to_string())?,
    );
    let colon = bytes
        .iter()
        .position(|b| *b == b':')
        .ok_or_else(|| "`auth` has no ':' between username and password".to_string())?;
    let (user, pass) = (&bytes[..colon], &bytes[colon + 1..]);
    if user.is_empty() {
        return Err("`auth` has an empty username".into());
    }
    let user = std::str::from_utf8(user)
        .map_err(|_| "the username in `auth` is not UTF-8 text".to_string())?;
    let start = pass.iter().position(|b| *b != 0).unwrap_or(pass.len());
    let end = pass.iter().rposition(|b| *b != 0).map_or(start, |i| i + 1);
    Ok((
        user.to_string(),
        Secret::from_bytes(pass[start..end].to_vec()),
    ))
}

/// Encode a username and password as docker's `auth` value (the password's
/// exact bytes, as docker keeps them).
pub fn encode_auth(username: &str, password: &Secret) -> String {
    let mut joined = zeroize::Zeroizing::new(Vec::with_capacity(
        username.len() + 1 + password.expose_bytes().len(),
    ));
    joined.extend_from_slice(username.as_bytes());
    joined.push(b':');
    joined.extend_from_slice(password.expose_bytes());
    STANDARD.encode(&*joined)
}

/// `text` (JSON) with every `\\u` escape of a lone surrogate replaced by
/// `\\ufffd`, as Go's encoding/json decodes it; a valid pair is kept.
fn go_surrogates(text: &str) -> String {
    let b = text.as_bytes();
    let hex = |i: usize| {
        text.get(i..i + 4)
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(u) = hex(i + 2) else {
            i += 2;
            continue;
        };
        let is_pair = (0xD800..0xDC00).contains(&u)
            && text.get(i + 6..i + 8) == Some("\\u")
            && hex(i + 8).is_some_and(|l| (0xDC00..0xE000).contains(&l));
        if is_pair {
            i += 12;
        } else if (0xD800..0xE000).contains(&u) {
            out.push_str(&text[copied..i]);
            out.push_str("\\ufffd");
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A string field borrowed from the text (owned when it had escapes), or
/// some other non-null value.
enum Field<'a> {
    Str(std::borrow::Cow<'a, str>),
    Other,
}

/// The six fields an entry can use, in the order `FIELDS` names them, each
/// key in any letter case (`crate::jsonkey`, docs/COMPAT-DECODING.md rule
/// 11); a repeated field keeps its last value that is not `null`, as Go
/// decodes into docker's struct.
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
                        // The exact name first (docker writes those), else
                        // any letter case, as Go matches keys to fields.
                        Ok(Key(match FIELDS.iter().position(|f| *f == v) {
                            Some(i) => Some(i),
                            None => FIELDS
                                .iter()
                                .position(|f| crate::jsonkey::folds_to(v.as_bytes(), f)),
                        }))
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
                        // Go leaves a string field as it was on `null`.
                        Some(i) => {
                            if let Some(v) = a.next_value::<Val>()?.0 {
                                fields[i] = Some(v);
                            }
                        }
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

    /// Go's `base64.StdEncoding.EncodeToString`, for the tests.
    fn b64(b: &[u8]) -> String {
        STANDARD.encode(b)
    }

    // One test per rule of docs/COMPAT-DECODING.md (rules 1-6).

    #[test]
    fn rule1_cr_and_lf_anywhere_are_skipped() {
        let a = b64(b"me:a-long-password-that-wraps");
        for wrapped in [
            format!("{}\n{}", &a[..8], &a[8..]),
            format!("{}\r\n{}\r\n", &a[..5], &a[5..]),
            format!("\n{a}"),
            format!("{}=\n=", &b64(b"a:bc")[..6]),
        ] {
            let (u, p) = decode_auth(&wrapped).unwrap();
            assert!(u == "me" || u == "a", "{wrapped:?}");
            assert!(matches!(p.expose(), "a-long-password-that-wraps" | "bc"));
        }
    }

    #[test]
    fn rule2_other_whitespace_is_an_error() {
        let a = b64(b"me:pw");
        for bad in [
            format!(" {a}"),
            format!("{a} "),
            format!("{a}\t"),
            format!("{}\u{b}{}", &a[..4], &a[4..]),
        ] {
            assert_eq!(
                decode_auth(&bad).unwrap_err(),
                "`auth` is not valid base64",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rule3_padding_required_trailing_bits_ignored() {
        assert!(decode_auth("YTpiYw").is_err());
        assert!(decode_auth("YTpiYw=").is_err());
        assert!(decode_auth("YQ==YTpi").is_err());
        let (u, p) = decode_auth("YTpiYx==").unwrap();
        assert_eq!((u.as_str(), p.expose()), ("a", "bc"));
    }

    #[test]
    fn rule4_first_colon_and_a_username() {
        let (u, p) = decode_auth(&b64(b"me:a:b")).unwrap();
        assert_eq!((u.as_str(), p.expose()), ("me", "a:b"));
        assert!(decode_auth(&b64(b"nocolon")).is_err());
        assert!(decode_auth(&b64(b":pw")).is_err());
        assert!(decode_auth("\r\n").is_err());
    }

    #[test]
    fn rule5_nul_trimmed_from_both_ends_of_the_password_only() {
        let (u, p) = decode_auth(&b64(b"\0me:\0\0p\0w\0\0")).unwrap();
        assert_eq!((u.as_str(), p.expose()), ("\0me", "p\0w"));
        let (_, p) = decode_auth(&b64(b"me:\0\0")).unwrap();
        assert!(p.is_empty());
    }

    #[test]
    fn rule6_a_password_of_any_bytes_is_kept_exactly() {
        let (u, p) = decode_auth(&b64(b"me:pa\xffss")).unwrap();
        assert_eq!(u, "me");
        assert!(!p.is_text());
        assert_eq!(p.expose_bytes(), b"pa\xffss");
        // Encoding gives back the same bytes, as docker writes them.
        assert_eq!(encode_auth(&u, &p), b64(b"me:pa\xffss"));
        // A username that is not UTF-8 is refused.
        assert!(decode_auth(&b64(b"m\xffe:pw")).is_err());
    }

    #[test]
    fn rule7_lone_surrogates_read_as_go_reads_them() {
        let a = b64(b"me:pw");
        let e = AuthEntry::from_json(&format!(
            r#"{{"auth": "{a}", "email": "\ud800", "x": "\udc00\ud83d\ude00"}}"#
        ));
        assert!(e.problem.is_none(), "{:?}", e.problem);
        assert_eq!(e.username.as_deref(), Some("me"));
        assert_eq!(e.email.as_deref(), Some("\u{FFFD}"));
        // In a token docker reads it as U+FFFD too; a pair stays a pair.
        let e = AuthEntry::from_json(r#"{"identitytoken": "t\ud800\u0041\ud83d\ude00"}"#);
        assert_eq!(e.identity_token.unwrap().expose(), "t\u{FFFD}A😀");
        // In `auth` it cannot be base64, as for docker.
        assert!(AuthEntry::from_json(r#"{"auth": "YTpi\ud800"}"#)
            .problem
            .is_some());
        // An escaped backslash before `u` is no escape.
        assert_eq!(go_surrogates(r#""\\ud800""#), r#""\\ud800""#);
    }

    #[test]
    fn rule11_entry_fields_in_any_letter_case() {
        // YTpi = a:b, Yzpk = c:d
        let e = AuthEntry::from_json(r#"{"Auth": "YTpi", "IdentityToken": "t"}"#);
        assert_eq!(e.username.as_deref(), Some("a"));
        assert_eq!(e.identity_token.unwrap().expose(), "t");
        // The last copy wins, whatever its case; `null` leaves the earlier.
        let e = AuthEntry::from_json(r#"{"auth": "YTpi", "AUTH": "Yzpk", "aUTH": null}"#);
        assert_eq!(e.username.as_deref(), Some("c"));
        let e = AuthEntry::from_json(r#"{"auth": "YTpi", "auth": null}"#);
        assert_eq!(e.username.as_deref(), Some("a"));
        // username/password, the long s and the Kelvin sign.
        let e = AuthEntry::from_json(
            "{\"Username\": \"me\", \"PA\\u017fSWORD\": \"pw\", \"registrytoKen\": \"r\", \"identitytoken\": null}",
        );
        assert_eq!(e.username.as_deref(), Some("me"));
        assert_eq!(e.password.unwrap().expose(), "pw");
        assert_eq!(e.registry_token.unwrap().expose(), "r");
        assert!(e.identity_token.is_none());
        // A wrong type is a problem in any case, as for docker.
        assert!(AuthEntry::from_json(r#"{"AUTH": 1}"#).problem.is_some());
        // Near misses are other keys, ignored.
        let e = AuthEntry::from_json(r#"{"auth ": "YTpi", "auths": "YTpi", "Auth2": "YTpi"}"#);
        assert!(e.is_placeholder(), "{e:?}");
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
