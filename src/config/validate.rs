//! One serde pass over a config text: it must be JSON, a JSON object, and the
//! keys dockercfg interprets must have the types docker gives them. The small
//! settings (`credsStore`, `credHelpers`) are kept; nothing else is built.
//! `auths` is only checked here; its entries are read later from their spans
//! in the text, one at a time, so a 10,000-entry file never becomes a tree.

use std::fmt;

use anyhow::{bail, Result};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{AUTHS, CREDS_STORE, CRED_HELPERS};
use crate::jsonkey::is_field;

/// The settings dockercfg reads from the top level.
#[derive(Debug, Clone, Default)]
pub(super) struct Settings {
    /// `credsStore` as docker reads it (possibly empty): the last string
    /// of every key that is `credsStore` in any letter case.
    pub creds_store: Option<String>,
    /// `credHelpers` as (registry, helper), in file order, last value of a
    /// repeated key winning in the first key's place. Go decodes a repeated
    /// `credHelpers` object into the same map (merged; `null` empties it).
    pub cred_helpers: Vec<(String, String)>,
    /// How many top-level members are written `credHelpers` exactly (the
    /// variants in other letter cases are audit's `key-case`).
    pub helper_objects: usize,
    /// `credHelpers` keys written more than once, with their counts.
    pub helper_repeats: Vec<(String, usize)>,
}

/// Check `text` (not blank) and return its settings.
pub(super) fn validate(text: &str) -> Result<Settings> {
    // Docker reads the first JSON value (`json.NewDecoder(r).Decode`) and
    // never looks at what follows it: so does this (no `end()` check).
    let mut de = serde_json::Deserializer::from_str(text);
    let first = text.bytes().find(|b| !b.is_ascii_whitespace());
    if first != Some(b'{') {
        // A syntax error is the better message when there is one.
        IgnoredAny::deserialize(&mut de)?;
        bail!("the top-level value is not a JSON object");
    }
    Ok(Root::deserialize(&mut de)?.0)
}

struct Root(Settings);

impl<'de> Deserialize<'de> for Root {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RootVisitor)
    }
}

struct RootVisitor;

impl<'de> Visitor<'de> for RootVisitor {
    type Value = Root;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root, A::Error> {
        let mut s = Settings::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Auths => match map.next_value::<Shape>()? {
                    Shape::Object | Shape::Null => {}
                    _ => return Err(de::Error::custom(format!("`{AUTHS}` is not a JSON object"))),
                },
                Key::CredsStore => {
                    // Go leaves a string field as it was on `null`: an
                    // earlier `credsStore` (any letter case) stays.
                    match map.next_value::<Shape>()? {
                        Shape::Str(v) => s.creds_store = Some(v),
                        Shape::Null => {}
                        _ => {
                            return Err(de::Error::custom(format!(
                                "`{CREDS_STORE}` is not a string"
                            )))
                        }
                    }
                }
                Key::CredHelpers { exact } => {
                    // A variant (`CredHelpers`) next to `credHelpers` is
                    // audit's `key-case`, not a repeat of the object.
                    s.helper_objects += usize::from(exact);
                    match map.next_value::<Helpers>()?.0 {
                        None => s.cred_helpers.clear(),
                        Some(pairs) => {
                            for (k, v) in pairs {
                                match s.cred_helpers.iter_mut().find(|(have, _)| *have == k) {
                                    Some(slot) => {
                                        slot.1 = v;
                                        match s.helper_repeats.iter_mut().find(|(r, _)| *r == k) {
                                            Some(r) => r.1 += 1,
                                            None => s.helper_repeats.push((k, 2)),
                                        }
                                    }
                                    None => s.cred_helpers.push((k, v)),
                                }
                            }
                        }
                    }
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Root(s))
    }
}

/// A top-level key: only three matter, each in any letter case, as Go
/// matches keys to fields (`crate::jsonkey`).
enum Key {
    Auths,
    CredsStore,
    /// `exact`: written `credHelpers`, not a variant of it.
    CredHelpers {
        exact: bool,
    },
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key, E> {
                Ok(match v {
                    b if is_field(b, AUTHS) => Key::Auths,
                    b if is_field(b, CREDS_STORE) => Key::CredsStore,
                    b if is_field(b, CRED_HELPERS) => Key::CredHelpers {
                        exact: b == CRED_HELPERS.as_bytes(),
                    },
                    _ => Key::Other,
                })
            }
        }
        // Bytes, not str: a key with a lone surrogate escape (`"\ud800"`) is
        // accepted, as Go's encoding/json accepts it.
        d.deserialize_bytes(V)
    }
}

/// Any object key, lone surrogates included; its value is not kept.
struct AnyKey;

// `inline(always)` here and on `Shape`: `auths` holds every entry, and this
// keeps its loop as tight as before rule 11 (the compiler stopped inlining
// it once the root's key matching grew: 18 instructions per entry, #17).
impl<'de> Deserialize<'de> for AnyKey {
    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AnyKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            #[inline(always)]
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<AnyKey, E> {
                Ok(AnyKey)
            }
        }
        d.deserialize_bytes(V)
    }
}

/// What a value is, keeping it only when it is a string.
enum Shape {
    Object,
    Null,
    Str(String),
    Other,
}

impl<'de> Deserialize<'de> for Shape {
    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape, E> {
        Ok(Shape::Str(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Other)
    }
    #[inline(always)]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        while map.next_entry::<AnyKey, IgnoredAny>()?.is_some() {}
        Ok(Shape::Object)
    }
}

/// `credHelpers`: an object of strings (every pair as written, repeats
/// included), or null (None).
struct Helpers(Option<Vec<(String, String)>>);

impl<'de> Deserialize<'de> for Helpers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Helpers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Helpers, E> {
                Ok(Helpers(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Helpers, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let Shape::Str(v) = map.next_value::<Shape>()? else {
                        return Err(de::Error::custom(format!(
                            "`{CRED_HELPERS}.{k}` is not a string"
                        )));
                    };
                    out.push((k, v));
                }
                Ok(Helpers(Some(out)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Helpers, A::Error> {
                Err(not_object())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Helpers, E> {
                Err(not_object())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Helpers, E> {
                Err(not_object())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Helpers, E> {
                Err(not_object())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Helpers, E> {
                Err(not_object())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Helpers, E> {
                Err(not_object())
            }
        }
        fn not_object<E: de::Error>() -> E {
            E::custom(format!("`{CRED_HELPERS}` is not a JSON object"))
        }
        d.deserialize_any(V)
    }
}
