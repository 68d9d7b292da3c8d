//! Property tests of the config parser and editor, and of the `auth` codec.
//!
//! The strategies generate a *model* of a config.json (unknown top-level keys
//! with nested values, `auths` entries of every kind, credsStore/credHelpers)
//! and a *layout* (tabs as docker writes, 2/4 spaces, compact, CRLF, spaces
//! before colons, `{}` or `{ }`, trailing newline or not), and render the text
//! here, so each property knows the exact text and meaning it expects.
//!
//! Case counts keep the file under ~20 s in a debug build on 2 cores: 256
//! cases per library property, 32 for the one that runs the binary.
//! `PROPTEST_CASES=N` sets every property's count, for a longer hunt.
mod common;

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use dockercfg::auth::{decode_auth, encode_auth, Kind};
use dockercfg::config::Config;
use dockercfg::helper::{parse_get_output, parse_list_output};
use dockercfg::Secret;
use proptest::prelude::*;
use proptest::test_runner::Config as PtConfig;
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------
// Model

/// A JSON string as written (`raw`, between the quotes) and as meant.
#[derive(Debug, Clone)]
struct JStr {
    raw: String,
    value: String,
}

#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    /// A number as spelled (`-2.5E-3`, `1e10`, `0`).
    Num(String),
    Str(JStr),
    Arr(Vec<Json>),
    Obj(Vec<(JStr, Json)>),
}

/// What the parser must see in one `auths` entry.
#[derive(Debug, Clone, PartialEq)]
struct Expect {
    kind: Kind,
    username: Option<String>,
    problem: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    key: JStr,
    value: Json,
    expect: Expect,
}

#[derive(Debug, Clone)]
enum Auths {
    Absent,
    Null,
    Object(Vec<Entry>),
}

#[derive(Debug, Clone)]
struct Model {
    /// Unknown keys, credsStore and credHelpers, in file order.
    settings: Vec<(JStr, Json)>,
    auths: Auths,
    /// Where `auths` goes among the settings.
    auths_at: usize,
}

#[derive(Debug, Clone, Copy)]
enum Indent {
    Tab,
    Two,
    Four,
    Compact,
}

#[derive(Debug, Clone)]
struct Layout {
    indent: Indent,
    crlf: bool,
    trailing_newline: bool,
    /// `": "`, `" : "`, `":"`.
    colon: &'static str,
    /// How an empty object is written: `{}` or `{ }`.
    empty: &'static str,
}

// ---------------------------------------------------------------------------
// Rendering

impl Layout {
    fn nl(&self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }
    fn unit(&self) -> &'static str {
        match self.indent {
            Indent::Tab => "\t",
            Indent::Two => "  ",
            Indent::Four => "    ",
            Indent::Compact => "",
        }
    }
    fn compact(&self) -> bool {
        matches!(self.indent, Indent::Compact)
    }
}

fn quote(s: &JStr) -> String {
    format!("\"{}\"", s.raw)
}

/// Members or items in the layout's style. `empty` overrides how an empty
/// container is written.
fn render_seq(
    items: Vec<String>,
    open: &str,
    close: &str,
    depth: usize,
    l: &Layout,
    empty: &str,
) -> String {
    if items.is_empty() {
        return if open == "{" {
            empty.to_string()
        } else {
            "[]".to_string()
        };
    }
    if l.compact() {
        return format!("{open}{}{close}", items.join(","));
    }
    let inner = l.unit().repeat(depth + 1);
    let outer = l.unit().repeat(depth);
    let sep = format!(",{}{inner}", l.nl());
    format!(
        "{open}{}{inner}{}{}{outer}{close}",
        l.nl(),
        items.join(&sep),
        l.nl()
    )
}

fn render_json(v: &Json, depth: usize, l: &Layout) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Num(n) => n.clone(),
        Json::Str(s) => quote(s),
        Json::Arr(items) => render_seq(
            items.iter().map(|i| render_json(i, depth + 1, l)).collect(),
            "[",
            "]",
            depth,
            l,
            l.empty,
        ),
        Json::Obj(members) => render_members(members, depth, l, l.empty),
    }
}

fn render_members(members: &[(JStr, Json)], depth: usize, l: &Layout, empty: &str) -> String {
    render_seq(
        members
            .iter()
            .map(|(k, v)| format!("{}{}{}", quote(k), l.colon, render_json(v, depth + 1, l)))
            .collect(),
        "{",
        "}",
        depth,
        l,
        empty,
    )
}

/// The whole file. `empty_auths` is how an empty `auths` object is written
/// (the layout's style, or `{}` after the editor removed its last member).
fn render_with(m: &Model, l: &Layout, empty_auths: &str) -> String {
    let mut members: Vec<String> = m
        .settings
        .iter()
        .map(|(k, v)| format!("{}{}{}", quote(k), l.colon, render_json(v, 1, l)))
        .collect();
    let auths = match &m.auths {
        Auths::Absent => None,
        Auths::Null => Some("null".to_string()),
        Auths::Object(entries) => {
            let pairs: Vec<(JStr, Json)> = entries
                .iter()
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect();
            Some(render_members(&pairs, 1, l, empty_auths))
        }
    };
    if let Some(a) = auths {
        members.insert(
            m.auths_at.min(members.len()),
            format!("\"auths\"{}{a}", l.colon),
        );
    }
    let mut text = render_seq(members, "{", "}", 0, l, l.empty);
    if l.trailing_newline {
        text.push_str(l.nl());
    }
    text
}

fn render(m: &Model, l: &Layout) -> String {
    render_with(m, l, l.empty)
}

fn entries(m: &Model) -> &[Entry] {
    match &m.auths {
        Auths::Object(e) => e,
        _ => &[],
    }
}

// ---------------------------------------------------------------------------
// Strategies

/// One piece of a JSON string: (as written, as meant).
fn piece() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ._/:@{}\\[\\],-]{1,6}".prop_map(|s| (s.clone(), s)),
        1 => Just(("é日本".to_string(), "é日本".to_string())),
        1 => Just(("😀".to_string(), "😀".to_string())),
        1 => Just(("\\u00e9".to_string(), "é".to_string())),
        1 => Just(("\\\"".to_string(), "\"".to_string())),
        1 => Just(("\\\\".to_string(), "\\".to_string())),
        1 => Just(("\\n".to_string(), "\n".to_string())),
        1 => Just(("\\t".to_string(), "\t".to_string())),
        1 => Just(("\\/".to_string(), "/".to_string())),
        1 => Just(("\\ud83d\\ude00".to_string(), "😀".to_string())),
        1 => Just(("\\u0000".to_string(), "\0".to_string())),
        1 => Just(("\\u007B\\u007d".to_string(), "{}".to_string())),
    ]
}

fn jstr(max_pieces: usize) -> impl Strategy<Value = JStr> {
    prop::collection::vec(piece(), 0..max_pieces).prop_map(|ps| {
        let (raw, value) = ps.into_iter().unzip();
        JStr { raw, value }
    })
}

fn plain(s: &str) -> JStr {
    JStr {
        raw: s.to_string(),
        value: s.to_string(),
    }
}

/// A string value written plainly or with `/` escaped as `\/` (both mean
/// the same; base64 has slashes).
fn maybe_escaped(s: String) -> impl Strategy<Value = JStr> {
    any::<bool>().prop_map(move |esc| JStr {
        raw: if esc {
            s.replace('/', "\\/")
        } else {
            s.clone()
        },
        value: s.clone(),
    })
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i32>().prop_map(|n| n.to_string()),
        Just("0".to_string()),
        Just("-0.5E-3".to_string()),
        Just("1e10".to_string()),
        Just("3.14".to_string()),
        Just("12345678901234567890".to_string()),
    ]
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number().prop_map(Json::Num),
        jstr(5).prop_map(Json::Str),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Arr),
            prop::collection::vec((member_key(), inner), 0..4).prop_map(|ms| Json::Obj(dedup(ms))),
        ]
    })
}

/// Keys of nested objects, sometimes names dockercfg cares about at the top
/// level, to check that only the top-level ones count.
fn member_key() -> impl Strategy<Value = JStr> {
    prop_oneof![
        3 => jstr(3),
        1 => Just(plain("auths")),
        1 => Just(plain("credsStore")),
    ]
}

/// Drop later members whose key means the same as an earlier one (JSON
/// allows repeats, but then "the value" is ambiguous for the properties).
fn dedup<T>(ms: Vec<(JStr, T)>) -> Vec<(JStr, T)> {
    let mut seen = std::collections::HashSet::new();
    ms.into_iter()
        .filter(|(k, _)| seen.insert(k.value.clone()))
        .collect()
}

fn user() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9._-]{0,8}",
        Just("AWS".to_string()),
        Just("ü-ser".to_string()),
        Just("日本".to_string()),
    ]
}

/// Passwords with colons, unicode, NULs (inside and at the end).
fn password() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-zA-Z0-9!$%&*+=?^_~-]{1,6}",
            1 => Just(":".to_string()),
            1 => Just("::".to_string()),
            1 => Just("é😀".to_string()),
            1 => Just("\0".to_string()),
            1 => Just(" ".to_string()),
        ],
        0..6,
    )
    .prop_map(|ps| ps.concat())
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._/+=-]{1,24}"
}

fn b64(s: &[u8]) -> String {
    STANDARD.encode(s)
}

fn str_json(s: JStr) -> Json {
    Json::Str(s)
}

/// The fields of an entry with what the parser must make of them.
fn entry_value() -> impl Strategy<Value = (Vec<(JStr, Json)>, Expect)> {
    let basic = (user(), password()).prop_flat_map(|(u, p)| {
        let auth = b64(format!("{u}:{p}").as_bytes());
        maybe_escaped(auth).prop_map(move |a| {
            (
                vec![(plain("auth"), str_json(a))],
                Expect {
                    kind: Kind::Basic,
                    username: Some(u.clone()),
                    problem: false,
                },
            )
        })
    });
    let identity = (user(), password(), token()).prop_flat_map(|(u, p, t)| {
        let auth = b64(format!("{u}:{p}").as_bytes());
        (maybe_escaped(auth), maybe_escaped(t)).prop_map(move |(a, t)| {
            (
                vec![
                    (plain("auth"), str_json(a)),
                    (plain("identitytoken"), str_json(t)),
                ],
                Expect {
                    kind: Kind::IdentityToken,
                    username: Some(u.clone()),
                    problem: false,
                },
            )
        })
    });
    let token_user = token().prop_map(|t| {
        (
            vec![(
                plain("auth"),
                str_json(plain(&b64(format!("<token>:{t}").as_bytes()))),
            )],
            Expect {
                kind: Kind::IdentityToken,
                username: Some("<token>".into()),
                problem: false,
            },
        )
    });
    let registry_token = token().prop_flat_map(|t| {
        maybe_escaped(t).prop_map(|t| {
            (
                vec![(plain("registrytoken"), str_json(t))],
                Expect {
                    kind: Kind::RegistryToken,
                    username: None,
                    problem: false,
                },
            )
        })
    });
    let email = "[a-z]{1,5}@[a-z]{1,5}\\.io".prop_map(|e| {
        (
            vec![(plain("email"), str_json(plain(&e)))],
            Expect {
                kind: Kind::None,
                username: None,
                problem: false,
            },
        )
    });
    let placeholder = Just((
        vec![],
        Expect {
            kind: Kind::None,
            username: None,
            problem: false,
        },
    ));
    let undecodable = prop_oneof![
        Just("!!not base64".to_string()),
        Just(b64(b"nocolon")),
        Just(b64(b":emptyuser")),
        Just(b64(&[0xff, b':', b'x'])),
    ]
    .prop_map(|a| {
        (
            vec![(plain("auth"), str_json(plain(&a)))],
            Expect {
                kind: Kind::None,
                username: None,
                problem: true,
            },
        )
    });
    // Written by other tools instead of `auth`.
    let user_pass = (user(), "[a-z0-9:]{1,8}").prop_map(|(u, p)| {
        (
            vec![
                (plain("username"), str_json(plain(&u))),
                (plain("password"), str_json(plain(&p))),
            ],
            Expect {
                kind: Kind::Basic,
                username: Some(u),
                problem: false,
            },
        )
    });
    let kinds = prop_oneof![
        3 => basic,
        1 => identity,
        1 => token_user,
        1 => registry_token,
        1 => email,
        2 => placeholder,
        1 => undecodable,
        1 => user_pass,
    ];
    // Unknown fields, before or after the known ones.
    let extra = prop::collection::vec(
        (
            prop_oneof![Just("serveraddress"), Just("x-note"), Just("x-é")],
            json_value(),
        ),
        0..2,
    );
    (kinds, extra, any::<bool>()).prop_map(|((mut fields, expect), extra, before)| {
        let extra: Vec<(JStr, Json)> = extra.into_iter().map(|(k, v)| (plain(k), v)).collect();
        if before {
            fields.splice(0..0, extra);
        } else {
            fields.extend(extra);
        }
        (dedup(fields), expect)
    })
}

fn registry_key() -> impl Strategy<Value = JStr> {
    prop_oneof![
        4 => "[a-z]{1,8}\\.(io|com|example)(:[0-9]{2,5})?".prop_map(|s| plain(&s)),
        1 => "https://[a-z]{1,8}\\.io(/v[12]/)?".prop_flat_map(maybe_escaped),
        1 => Just(plain("https://index.docker.io/v1/")),
        1 => Just(plain("localhost:5000")),
        1 => Just(plain("[::1]:5000")),
        1 => Just(JStr { raw: "r\\u00e9g.example".into(), value: "rég.example".into() }),
        1 => Just(plain("日本.example")),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    (registry_key(), entry_value()).prop_map(|(key, (fields, expect))| Entry {
        key,
        value: Json::Obj(fields),
        expect,
    })
}

fn auths() -> impl Strategy<Value = Auths> {
    prop_oneof![
        1 => Just(Auths::Absent),
        1 => Just(Auths::Null),
        8 => prop::collection::vec(entry(), 0..6).prop_map(|es| {
            let mut seen = std::collections::HashSet::new();
            Auths::Object(es.into_iter().filter(|e| seen.insert(e.key.value.clone())).collect())
        }),
    ]
}

fn settings() -> impl Strategy<Value = Vec<(JStr, Json)>> {
    let unknown = prop::collection::vec((jstr(4), json_value()), 0..4);
    let store = prop::option::of(prop_oneof![Just("pass"), Just("secretservice"), Just("")]);
    let helpers = prop::option::of(prop::collection::vec(
        (
            registry_key(),
            prop_oneof![Just("gcloud"), Just("ecr-login")],
        ),
        0..3,
    ));
    (unknown, store, helpers, any::<prop::sample::Index>()).prop_map(
        |(unknown, store, helpers, at)| {
            let mut out: Vec<(JStr, Json)> = unknown
                .into_iter()
                .filter(|(k, _)| {
                    // Any letter case: docker and dockercfg read `AUTHS` as
                    // `auths` (docs/COMPAT-DECODING.md rule 11).
                    !["auths", "credsStore", "credHelpers"]
                        .iter()
                        .any(|f| k.value.eq_ignore_ascii_case(f))
                })
                .collect();
            let mut known = Vec::new();
            if let Some(s) = store {
                known.push((plain("credsStore"), Json::Str(plain(s))));
            }
            if let Some(h) = helpers {
                let members = h
                    .into_iter()
                    .map(|(k, v)| (k, Json::Str(plain(v))))
                    .collect();
                known.push((plain("credHelpers"), Json::Obj(dedup(members))));
            }
            for k in known {
                let i = at.index(out.len() + 1);
                out.insert(i, k);
            }
            dedup(out)
        },
    )
}

fn model() -> impl Strategy<Value = Model> {
    (settings(), auths(), 0usize..6).prop_map(|(settings, auths, auths_at)| Model {
        settings,
        auths,
        auths_at,
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop_oneof![
            3 => Just(Indent::Tab),
            1 => Just(Indent::Two),
            1 => Just(Indent::Four),
            2 => Just(Indent::Compact),
        ],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(": "), Just(" : "), Just(":")],
        prop_oneof![Just("{}"), Just("{ }")],
    )
        .prop_map(|(indent, crlf, trailing_newline, colon, empty)| Layout {
            indent,
            crlf,
            trailing_newline,
            colon,
            empty,
        })
}

// ---------------------------------------------------------------------------
// Helpers for the properties

fn parse(text: &str) -> Config {
    Config::parse(Path::new("/prop/config.json"), text.to_string(), true)
        .unwrap_or_else(|e| panic!("{e:#}\n--- text ---\n{text}"))
}

fn root(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m,
        other => panic!("not a JSON object: {other:?}\n--- text ---\n{text}"),
    }
}

fn auths_map(root: &Map<String, Value>) -> Map<String, Value> {
    root.get("auths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Top-level members other than `auths`, in order.
fn others(root: &Map<String, Value>) -> Vec<(String, Value)> {
    root.iter()
        .filter(|(k, _)| k.as_str() != "auths")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The differing middle of two texts: (removed from `old`, inserted in `new`).
fn diff<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str) {
    let p = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let (o, n) = (&old[p..], &new[p..]);
    let s = o
        .chars()
        .rev()
        .zip(n.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (&o[..o.len() - s], &n[..n.len() - s])
}

fn a_new_key(m: &Model) -> impl Strategy<Value = String> {
    let taken: Vec<String> = entries(m).iter().map(|e| e.key.value.clone()).collect();
    prop_oneof![
        "[a-z]{1,8}\\.new(:[0-9]{2,4})?",
        Just("0-first.example".to_string()),
        Just("zzz-last.example".to_string()),
        Just("nouveau-é\"\\.example".to_string()),
    ]
    .prop_filter("key already present", move |k| !taken.contains(k))
}

fn new_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(serde_json::json!({})),
        (user(), password())
            .prop_map(|(u, p)| { serde_json::json!({"auth": encode_auth(&u, &Secret::new(p))}) }),
        token().prop_map(|t| serde_json::json!({"identitytoken": t, "x": [1, null]})),
    ]
}

// ---------------------------------------------------------------------------
// Properties

/// `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(PtConfig::with_cases(cases(256)))]

    /// Parse then write, without edits, gives back the very same bytes, and
    /// the text is the JSON the model describes.
    #[test]
    fn parse_then_write_is_byte_identical(m in model(), l in layout()) {
        let text = render(&m, &l);
        let c = parse(&text);
        prop_assert_eq!(c.text(), text.as_str());
        // The renderer itself is checked: keys as meant, in order.
        let r = root(&text);
        let want: Vec<String> = entries(&m).iter().map(|e| e.key.value.clone()).collect();
        prop_assert_eq!(auths_map(&r).keys().cloned().collect::<Vec<_>>(), want);
    }

    /// The parser sees exactly the generated `auths` keys, in order, with
    /// their kinds, usernames and problems.
    #[test]
    fn parse_sees_every_entry(m in model(), l in layout()) {
        let text = render(&m, &l);
        let c = parse(&text);
        let got: Vec<(String, Expect)> = c
            .auths()
            .map(|(k, e)| {
                (k.to_string(), Expect { kind: e.kind(), username: e.username.clone(), problem: e.problem.is_some() })
            })
            .collect();
        let want: Vec<(String, Expect)> = entries(&m)
            .iter()
            .map(|e| (e.key.value.clone(), e.expect.clone()))
            .collect();
        prop_assert_eq!(got, want);
        let store = m.settings.iter().find(|(k, _)| k.value == "credsStore").and_then(|(_, v)| match v {
            Json::Str(s) if !s.value.is_empty() => Some(s.value.clone()),
            _ => None,
        });
        prop_assert_eq!(c.creds_store().map(str::to_string), store);
    }

    /// Removing one entry gives exactly the text rendered without it: the
    /// rest keeps every byte (an `auths` left empty is written `{}`).
    #[test]
    fn remove_one_changes_only_that_entry(
        (m, i) in model().prop_filter("needs an entry", |m| !entries(m).is_empty())
            .prop_flat_map(|m| { let n = entries(&m).len(); (Just(m), 0..n) }),
        l in layout(),
    ) {
        let text = render(&m, &l);
        let mut c = parse(&text);
        let key = entries(&m)[i].key.value.clone();
        prop_assert!(c.remove_auth(&key));
        let mut without = m.clone();
        if let Auths::Object(es) = &mut without.auths {
            es.remove(i);
        }
        let want = render_with(&without, &l, "{}");
        prop_assert_eq!(c.text(), want.as_str());
        // And the model agrees with the text.
        let keys: Vec<String> = c.auths().map(|(k, _)| k.to_string()).collect();
        let want_keys: Vec<String> = entries(&without).iter().map(|e| e.key.value.clone()).collect();
        prop_assert_eq!(keys, want_keys);
        prop_assert!(!c.remove_auth(&key), "removed twice");
    }

    /// Adding one entry: valid JSON, every old value unchanged and in order,
    /// the new entry present, and the text changed in one inserted region
    /// (which may replace the blank inside an empty `{ }`, or `null`).
    #[test]
    fn add_one_inserts_only_that_entry(
        (m, key) in model().prop_flat_map(|m| { let k = a_new_key(&m); (Just(m), k) }),
        value in new_value(),
        l in layout(),
    ) {
        let text = render(&m, &l);
        let mut c = parse(&text);
        c.set_auth(&key, value.clone());
        let new_text = c.text().to_string();
        let (old_root, new_root) = (root(&text), root(&new_text));
        prop_assert_eq!(others(&new_root), others(&old_root));
        let mut new_auths = auths_map(&new_root);
        prop_assert_eq!(new_auths.shift_remove(&key), Some(value));
        let old_auths = auths_map(&old_root);
        prop_assert_eq!(
            new_auths.iter().collect::<Vec<_>>(),
            old_auths.iter().collect::<Vec<_>>()
        );
        let (removed, inserted) = diff(&text, &new_text);
        // Only blank inside an empty object, or an `auths: null` (which
        // becomes the object holding the entry), may be replaced.
        let null_auths = matches!(m.auths, Auths::Null) && removed == "null";
        prop_assert!(
            removed.trim().is_empty() || null_auths,
            "replaced {:?} with {:?}", removed, inserted
        );
        // The region may be shifted along repeated text (`"},\n\t\t"`), so
        // look for the key in the whole text: exactly once more than before.
        let key_json = serde_json::to_string(&key).unwrap();
        prop_assert_eq!(
            new_text.matches(&key_json).count(),
            text.matches(&key_json).count() + 1,
            "{} not inserted", key_json
        );
        prop_assert_eq!(new_text.len() - inserted.len() + removed.len(), text.len());
        // The edited text parses again, to the same model.
        let again = parse(&new_text);
        prop_assert_eq!(again.text(), new_text.as_str());
        prop_assert_eq!(again.auths().count(), c.auths().count());
        // A CRLF file gets no bare LF from the insert.
        if l.crlf {
            let bare = |t: &str| t.match_indices('\n').filter(|(i, _)| *i == 0 || t.as_bytes()[i - 1] != b'\r').count();
            prop_assert_eq!(bare(&new_text), bare(&text), "bare LF inserted: {:?}", inserted);
        }
    }

    /// Repeated `auths` objects and keys (with `null` between): the entries
    /// are Go's map (objects merged, a later copy wins, `null` empties it);
    /// logout removes every copy everywhere; set leaves exactly one.
    #[test]
    fn repeated_auths_objects_and_keys(
        objects in proptest::collection::vec(
            prop_oneof![
                1 => Just(None),
                4 => proptest::collection::vec((0..4usize, 0..3usize), 0..5).prop_map(Some),
            ],
            1..4,
        ),
        target in 0..4usize,
    ) {
        const KEYS: [&str; 4] = ["a.io", "b.io", "c.io", "d.io"];
        const USERS: [&str; 3] = ["u0", "u1", "u2"];
        let mut parts = Vec::new();
        let mut want: Vec<(String, String)> = Vec::new();
        for o in &objects {
            match o {
                None => {
                    parts.push("\"auths\": null".to_string());
                    want.clear();
                }
                Some(members) => {
                    let body: Vec<String> = members.iter().map(|(k, u)| {
                        let a = STANDARD.encode(format!("{}:pw", USERS[*u]));
                        format!("\"{}\": {{\"auth\": \"{a}\"}}", KEYS[*k])
                    }).collect();
                    parts.push(format!("\"auths\": {{{}}}", body.join(", ")));
                    for (k, u) in members {
                        match want.iter_mut().find(|(have, _)| have == KEYS[*k]) {
                            Some(slot) => slot.1 = USERS[*u].to_string(),
                            None => want.push((KEYS[*k].to_string(), USERS[*u].to_string())),
                        }
                    }
                }
            }
        }
        let text = format!("{{{}}}", parts.join(", \"x\": 1, "));
        let c = parse(&text);
        let got: Vec<(String, String)> = c.auths().map(|(k, e)| (k.to_string(), e.username.unwrap())).collect();
        prop_assert_eq!(&got, &want);
        let key = KEYS[target];
        let quoted = format!("\"{key}\"");
        let mut gone = parse(&text);
        gone.remove_auth(key);
        prop_assert!(!gone.text().contains(&quoted), "{}", gone.text());
        let mut set = parse(&text);
        set.set_auth(key, serde_json::json!({}));
        prop_assert_eq!(set.text().matches(&quoted).count(), 1, "{}", set.text());
        let again = parse(set.text());
        prop_assert!(again.auths().any(|(k, e)| k == key && e.is_placeholder()));
        // Every other key keeps docker's value.
        let others: Vec<(String, String)> = again.auths().filter(|(k, _)| *k != key).map(|(k, e)| (k.to_string(), e.username.unwrap())).collect();
        let want_others: Vec<(String, String)> = want.iter().filter(|(k, _)| k != key).cloned().collect();
        prop_assert_eq!(others, want_others);
    }

    /// Remove after add gives back the original bytes, whenever `auths` was
    /// already an object. (Exception, by design of the editor: an empty
    /// `auths` written `{ }` comes back as `{}`.)
    #[test]
    fn remove_after_add_restores_the_bytes(
        (m, key) in model()
            .prop_filter("auths must exist", |m| matches!(m.auths, Auths::Object(_)))
            .prop_flat_map(|m| { let k = a_new_key(&m); (Just(m), k) }),
        value in new_value(),
        l in layout(),
    ) {
        let text = render(&m, &l);
        let mut c = parse(&text);
        c.set_auth(&key, value);
        prop_assert!(c.remove_auth(&key));
        let want = if entries(&m).is_empty() { render_with(&m, &l, "{}") } else { text.clone() };
        prop_assert_eq!(c.text(), want.as_str());
    }

    /// decode(encode(user, password)) gives the user back, and the password
    /// with NULs trimmed from both ends, as docker does (docs/COMPAT-DECODING.md);
    /// colons, unicode and inner NULs survive. `\r` and `\n` anywhere in the
    /// value are skipped (Go's base64), any other whitespace is an error.
    #[test]
    fn auth_round_trips(
        u in prop_oneof!["[^:\x00]{1,12}", user()],
        p in prop_oneof![password(), any::<String>()],
        breaks in proptest::collection::vec((any::<prop::sample::Index>(), prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]), 0..4),
        pad in prop_oneof![Just(" "), Just("\t")],
    ) {
        let enc = encode_auth(&u, &Secret::new(p.clone()));
        prop_assert_eq!(&enc, &STANDARD.encode(format!("{u}:{p}")));
        let mut wrapped = enc.clone();
        for (at, nl) in &breaks {
            let i = at.index(wrapped.len() + 1);
            wrapped.insert_str(i, nl);
        }
        let (du, dp) = decode_auth(&wrapped).unwrap();
        prop_assert_eq!(du, u);
        prop_assert_eq!(dp.expose(), p.trim_matches('\0'));
        let padded = format!("{pad}{enc}");
        prop_assert!(decode_auth(&padded).is_err());
    }

    /// Any bytes for a password come back exactly (docker's strings are
    /// bytes), minus the NULs at its ends.
    #[test]
    fn any_password_bytes_round_trip(p in proptest::collection::vec(any::<u8>(), 0..40)) {
        let (_, dp) = decode_auth(&STANDARD.encode([b"me:".as_slice(), &p].concat())).unwrap();
        let start = p.iter().position(|b| *b != 0).unwrap_or(p.len());
        let end = p.iter().rposition(|b| *b != 0).map_or(start, |i| i + 1);
        prop_assert_eq!(dp.expose_bytes(), &p[start..end]);
        prop_assert_eq!(dp.is_text(), std::str::from_utf8(&p[start..end]).is_ok());
        let again = encode_auth("me", &dp);
        prop_assert_eq!(again, STANDARD.encode([b"me:".as_slice(), &p[start..end]].concat()));
    }

    /// A username with a colon cannot round-trip: the split is at the first
    /// colon, the rest belongs to the password.
    #[test]
    fn decode_splits_at_the_first_colon(raw in any::<String>()) {
        let got = decode_auth(&STANDARD.encode(&raw)).map(|(u, p)| (u, p.expose().to_string()));
        match raw.split_once(':') {
            Some((u, p)) if !u.is_empty() => {
                prop_assert_eq!(got, Ok((u.to_string(), p.trim_matches('\0').to_string())));
            }
            _ => prop_assert!(got.is_err()),
        }
    }
}

proptest! {
    #![proptest_config(PtConfig::with_cases(cases(256)))]

    /// A helper's `get` answer parses to what it says; an empty Username and
    /// Secret is "not found" (Debian's pass helper, COMPAT.md); `list` parses
    /// to the map it printed, blank output to an empty map.
    #[test]
    fn helper_outputs_parse(
        server in any::<String>(),
        username in prop_oneof![Just(String::new()), any::<String>()],
        secret in prop_oneof![Just(String::new()), any::<String>()],
        list in prop::collection::btree_map(any::<String>(), any::<String>(), 0..5),
        blank in "[ \t\r\n]{0,4}",
    ) {
        let wire = serde_json::json!({"ServerURL": server, "Username": username, "Secret": secret});
        let got = parse_get_output(wire.to_string().as_bytes()).unwrap();
        if username.is_empty() && secret.is_empty() {
            prop_assert!(got.is_none());
        } else {
            let c = got.unwrap();
            prop_assert_eq!((c.server_url, c.username), (server, username));
            prop_assert_eq!(c.secret.expose(), secret.as_str());
        }
        let text = format!("{blank}{}{blank}", serde_json::to_string(&list).unwrap());
        prop_assert_eq!(parse_list_output(text.as_bytes()).unwrap(), list);
        prop_assert!(parse_list_output(blank.as_bytes()).unwrap().is_empty());
        // Errors are fixed texts, never the output (which may hold a secret).
        let bad = format!("not json {secret}");
        prop_assert!(!parse_get_output(bad.as_bytes()).unwrap_err().contains(&bad));
        prop_assert!(!parse_list_output(bad.as_bytes()).unwrap_err().contains(&bad));
    }
}

proptest! {
    // Each case runs the binary: fewer cases.
    #![proptest_config(PtConfig::with_cases(cases(32)))]

    /// Through the real binary: a logout that finds nothing leaves the file
    /// byte-identical, and a logout of one entry's registry gives exactly
    /// the library's text with that registry's keys removed (kept when its
    /// helper cannot be asked).
    #[test]
    fn binary_writes_preserve_bytes(
        (m, pick) in model().prop_flat_map(|m| { let n = entries(&m).len().max(1); (Just(m), 0..n) }),
        l in layout(),
    ) {
        let text = render(&m, &l);
        let env = common::TestEnv::new();
        env.write_config(&text);
        // No helper is on PATH, so a credsStore makes logout fail (exit 1);
        // either way the bytes must not change.
        let out = env.cmd().args(["logout", "--", "not-logged-in.example"]).output().unwrap();
        prop_assert!(out.status.code().is_some_and(|c| c <= 1), "{:?}", out);
        prop_assert_eq!(env.read_config(), text.clone());

        let Some(e) = entries(&m).get(pick) else { return Ok(()) };
        let key = e.key.value.clone();
        let mut c = parse(&text);
        let name = dockercfg::registry::normalize(&key);
        let keys = c.auth_keys_for(&name);
        // A registry whose helper (none is on PATH) cannot be asked keeps
        // its entry; the others lose theirs.
        let store = dockercfg::logins::store::store_in(&c, &name, dockercfg::context::Flavor::Docker);
        if store.helper().is_none() {
            c.remove_auths(&keys);
        }
        let out = env.cmd().args(["logout", "--", key.as_str()]).output().unwrap();
        prop_assert!(out.status.code().is_some_and(|c| c <= 1), "{:?}", out);
        prop_assert_eq!(env.read_config(), c.text().to_string(), "logout {:?}", key);
    }
}

#[test]
fn decode_trims_nuls_at_both_ends_of_the_password() {
    // docker/cli decodeAuth: strings.Trim(password, "\x00").
    for (raw, user, pass) in [
        ("me:pw\0\0", "me", "pw"),
        ("me:\0pw\0", "me", "pw"),
        ("me:p\0w", "me", "p\0w"),
        ("me:\0\0", "me", ""),
        ("me:", "me", ""),
        ("me\0:pw", "me\0", "pw"),
    ] {
        let (u, p) = decode_auth(&STANDARD.encode(raw)).unwrap();
        assert_eq!((u.as_str(), p.expose()), (user, pass), "{raw:?}");
    }
    // So encode -> decode loses exactly the NULs at the ends.
    let (_, p) = decode_auth(&encode_auth("u", &Secret::new("\0a:b\0"))).unwrap();
    assert_eq!(p.expose(), "a:b");
}

/// The renderer writes docker's own layout for the tab case (checked against
/// a file as docker writes it), so the other layouts are variations of it.
#[test]
fn renderer_matches_docker_layout() {
    let m = Model {
        settings: vec![(plain("psFormat"), Json::Str(plain("x")))],
        auths: Auths::Object(vec![
            Entry {
                key: plain("a.io"),
                value: Json::Obj(vec![(plain("auth"), Json::Str(plain("YTpi")))]),
                expect: Expect {
                    kind: Kind::Basic,
                    username: Some("a".into()),
                    problem: false,
                },
            },
            Entry {
                key: plain("b.io"),
                value: Json::Obj(vec![]),
                expect: Expect {
                    kind: Kind::None,
                    username: None,
                    problem: false,
                },
            },
        ]),
        auths_at: 0,
    };
    let l = Layout {
        indent: Indent::Tab,
        crlf: false,
        trailing_newline: false,
        colon: ": ",
        empty: "{}",
    };
    assert_eq!(
        render(&m, &l),
        "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t},\n\t\t\"b.io\": {}\n\t},\n\t\"psFormat\": \"x\"\n}"
    );
}

/// Found by fuzz/config_parse: Config::parse accepts a lone surrogate escape
/// in a value (`"\ud800"`; Go's encoding/json, so docker, accepts it too)
/// where serde_json's Value refuses it. Such a file must still read, and
/// edit without touching that value. A lone surrogate in a key reads too; the
/// key is kept as written.
#[test]
fn lone_surrogate_escapes_in_values_are_tolerated() {
    let text = "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"\\ud800\"\n\t\t},\n\t\t\"b.io\": {\"x\": [\"\\udc00\"]},\n\t\t\"c.io\": {}\n\t},\n\t\"x\": \"\\ude01\"\n}";
    assert!(serde_json::from_str::<Value>(text).is_err());
    let mut c = parse(text);
    assert_eq!(c.text(), text);
    let got: Vec<(String, Kind, bool)> = c
        .auths()
        .map(|(k, e)| (k.to_string(), e.kind(), e.problem.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("a.io".to_string(), Kind::None, true),
            ("b.io".to_string(), Kind::None, false),
            ("c.io".to_string(), Kind::None, false),
        ]
    );
    assert!(c.remove_auth("b.io"));
    c.set_auth("d.io", serde_json::json!({}));
    assert_eq!(
        c.text(),
        "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"\\ud800\"\n\t\t},\n\t\t\"c.io\": {},\n\t\t\"d.io\": {}\n\t},\n\t\"x\": \"\\ude01\"\n}"
    );
    // In keys too, top-level and in auths, as Go reads them.
    let keys = "{\"\\ud800\": 1, \"auths\": {\"\\udc00.io\": {}}}";
    let c = Config::parse(Path::new("/p"), keys.into(), true).unwrap();
    assert_eq!(c.text(), keys);
    assert_eq!(c.auth_keys().collect::<Vec<_>>(), ["\\udc00.io"]);
}
