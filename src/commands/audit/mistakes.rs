//! Config mistakes people make (#13), each with what docker really does and
//! a fix that works when pasted (or, where no command can, the words):
//!
//! - `key-case`: `credsstore`, `CredHelpers`, `Auths`: Go's encoding/json
//!   matches struct fields in any letter case, so docker, podman and
//!   dockercfg (docs/COMPAT-DECODING.md rule 11) *use* these keys, while
//!   tools that compare keys exactly (jq, Python's json, dockercfg before
//!   rule 11) do not see them (seen with docker 28.2.2: `credsstore` sends
//!   every logout to that helper). Low alone; medium beside another
//!   spelling of the same key, a hidden duplicate: docker merges or takes
//!   the last, those tools see only the exact one.
//! - `ignored-key`: near misses such as `credStore`, `credHelper`, `auth`:
//!   docker ignores them (people misspell on purpose to disable a store).
//! - `helper-prefix`: a helper written `docker-credential-pass`: docker runs
//!   `docker-credential-docker-credential-pass`.
//! - `empty-creds-store`: `"credsStore": ""` is no store at all.
//! - `ecr-creds-store`: `ecr-login` as the global store answers only for
//!   ECR registries, so every other registry's login fails.
//! - `podman-ignores-store`: logins in the `credsStore` helper, podman,
//!   skopeo or buildah on PATH: they read this file but not `credsStore`
//!   (seen with skopeo 1.9.3: "unauthorized"), so they need `credHelpers`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::fixes::{containers_tool_on_path, store_clear, store_set};
use super::{finding, Finding};
use crate::config::{Config, AUTHS, CREDS_STORE, CRED_HELPERS};
use crate::context::Context;
use crate::helper::{on_path, program_name};
use crate::jsonkey;
use crate::logins::findings::Severity;
use crate::logins::store::{store_in, Store};

/// The prefix every helper program has; docker adds it to the name.
const PREFIX: &str = "docker-credential-";

/// ECR's helper, which serves `*.dkr.ecr.*.amazonaws.com` only.
const ECR_HELPER: &str = "ecr-login";

/// A top-level member: its key, and its value when that is a string.
struct Member {
    key: String,
    string: Option<String>,
}

/// The top-level members in file order (values other than strings are
/// skipped unread). Empty if the text does not parse, which `Config::load`
/// has already reported.
fn members(text: &str) -> Vec<Member> {
    struct Members(Vec<Member>);
    struct V;
    enum Val {
        Str(String),
        Other,
    }
    impl<'de> Deserialize<'de> for Val {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct VV;
            impl<'de> Visitor<'de> for VV {
                type Value = Val;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any value")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Val, E> {
                    Ok(Val::Str(v.to_string()))
                }
                fn visit_unit<E: de::Error>(self) -> Result<Val, E> {
                    Ok(Val::Other)
                }
                fn visit_bool<E: de::Error>(self, _: bool) -> Result<Val, E> {
                    Ok(Val::Other)
                }
                fn visit_i64<E: de::Error>(self, _: i64) -> Result<Val, E> {
                    Ok(Val::Other)
                }
                fn visit_u64<E: de::Error>(self, _: u64) -> Result<Val, E> {
                    Ok(Val::Other)
                }
                fn visit_f64<E: de::Error>(self, _: f64) -> Result<Val, E> {
                    Ok(Val::Other)
                }
                fn visit_seq<A: de::SeqAccess<'de>>(self, mut s: A) -> Result<Val, A::Error> {
                    while s.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Val::Other)
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Val, A::Error> {
                    while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(Val::Other)
                }
            }
            d.deserialize_any(VV)
        }
    }
    impl<'de> Visitor<'de> for V {
        type Value = Members;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Members, A::Error> {
            let mut out = Vec::new();
            while let Some(key) = m.next_key::<String>()? {
                let string = match m.next_value::<Val>()? {
                    Val::Str(s) => Some(s),
                    Val::Other => None,
                };
                out.push(Member { key, string });
            }
            Ok(Members(out))
        }
    }
    impl<'de> Deserialize<'de> for Members {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(V)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    Members::deserialize(&mut de)
        .map(|m| m.0)
        .unwrap_or_default()
}

/// Letters and digits only, lower case: `cred_store` and `Cred-Store` meet.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What `key` is to docker, if it is one of the three credential keys
/// misspelled: `Ok(real)` docker reads it as `real` (letter case),
/// `Err(real)` docker ignores it but it looks meant as `real`.
fn classify(key: &str) -> Option<Result<&'static str, &'static str>> {
    const REAL: [&str; 3] = [AUTHS, CREDS_STORE, CRED_HELPERS];
    if REAL.contains(&key) {
        return None;
    }
    if let Some(real) = REAL.iter().find(|r| jsonkey::is_field(key.as_bytes(), r)) {
        return Some(Ok(real));
    }
    let k = squash(key);
    // Spelled-out forms people write from memory.
    let spelled = [
        ("credentialsstore", CREDS_STORE),
        ("credentialstore", CREDS_STORE),
        ("credentialsstores", CREDS_STORE),
        ("credentialhelpers", CRED_HELPERS),
        ("credentialshelpers", CRED_HELPERS),
        ("credentialhelper", CRED_HELPERS),
    ];
    if let Some((_, real)) = spelled.iter().find(|(s, _)| *s == k) {
        return Some(Err(real));
    }
    let near = |real: &str, max: usize| edit_distance(&k, &squash(real)) <= max;
    if k.len() >= 7 && near(CREDS_STORE, 2) {
        return Some(Err(CREDS_STORE));
    }
    if k.len() >= 7 && near(CRED_HELPERS, 2) {
        return Some(Err(CRED_HELPERS));
    }
    if (3..=7).contains(&k.len()) && near(AUTHS, 1) {
        return Some(Err(AUTHS));
    }
    None
}

pub(super) fn mistake_findings(config: &Config, ctx: &Context, out: &mut Vec<Finding>) {
    let file = config.path().display().to_string();
    let members = members(config.text());

    for m in &members {
        match classify(&m.key) {
            Some(Ok(real)) => out.push(key_case_finding(config, &file, m, real, &members)),
            Some(Err(real)) => {
                let effect = match real {
                    CREDS_STORE => match config.creds_store() {
                        Some(s) => format!("docker uses credsStore `{s}`"),
                        None => format!(
                            "no credential store is set, so docker keeps new logins in {file} in plaintext"
                        ),
                    },
                    CRED_HELPERS => "no registry in it is sent to its helper".to_string(),
                    _ => "the logins in it are not used".to_string(),
                };
                let what = match (real, &m.string) {
                    (CREDS_STORE, Some(v)) if !v.is_empty() && on_path(&program_name(v)) => {
                        format!(
                            "to use it, run `{}` and delete `{}`; left to disable a store, just delete it",
                            store_set(ctx, None, v).unwrap_or_default(),
                            m.key
                        )
                    }
                    _ => format!(
                        "delete `{}` (or rename it to `{real}` if it was meant)",
                        m.key
                    ),
                };
                out.push(finding(
                    "ignored-key",
                    Severity::Medium,
                    None,
                    format!(
                        "{file} has `{}`, which docker ignores (it reads `{real}`, in any letter case): {effect}; {what}",
                        m.key
                    ),
                    None,
                ));
            }
            None => {}
        }
    }

    // `"credsStore": ""` (in any letter case: docker reads it).
    if !ctx.is_containers() && config.has_creds_store_key() && config.creds_store().is_none() {
        out.push(finding(
            "empty-creds-store",
            Severity::Low,
            None,
            format!(
                "credsStore is empty, which docker reads as no store: logins go into {file} in plaintext \
                 (and while it holds none, `docker login` picks its default store)"
            ),
            store_clear(ctx, None),
        ));
    }

    prefix_findings(config, ctx, out);

    if ctx.is_containers() {
        return;
    }
    if let Some(store) = config.creds_store() {
        let name = store.strip_prefix(PREFIX).unwrap_or(store);
        if name == ECR_HELPER {
            out.push(ecr_store_finding(config, ctx, store));
        } else if let Some(tool) = containers_tool_on_path() {
            podman_store_finding(config, ctx, store, tool, out);
        }
    }
}

/// `key-case` for top-level member `m`, a variant of `real`. Docker,
/// podman and dockercfg read it; tools comparing keys exactly do not.
fn key_case_finding(
    config: &Config,
    file: &str,
    m: &Member,
    real: &'static str,
    members: &[Member],
) -> Finding {
    // Other spellings of the same key: docker reads them all.
    let others: Vec<&str> = members
        .iter()
        .filter(|o| o.key != m.key && jsonkey::is_field(o.key.as_bytes(), real))
        .map(|o| o.key.as_str())
        .collect();
    let uses = match (real, &m.string) {
        (CREDS_STORE, Some(v)) if !v.is_empty() && config.creds_store() == Some(v.as_str()) => {
            format!(", so docker uses docker-credential-{v}")
        }
        _ => String::new(),
    };
    let (severity, message) = if others.is_empty() {
        (
            Severity::Low,
            format!(
                "{file} has `{}`: docker, podman and dockercfg read it as `{real}` (Go matches keys in any letter case){uses}, \
                 but tools that compare keys exactly (jq, Python's json, older dockercfg) do not see it; rename the key to `{real}`",
                m.key
            ),
        )
    } else {
        let how = if real == CREDS_STORE {
            "docker uses the last one's value"
        } else {
            "docker merges them"
        };
        (
            Severity::Medium,
            format!(
                "{file} has `{}` beside `{}`: both are `{real}` to docker, podman and dockercfg ({how}){uses}, \
                 but tools that compare keys exactly (jq, Python's json, older dockercfg) see only a key written `{real}` \
                 and miss what `{}` holds; merge them into one `{real}`",
                m.key,
                others.join("`, `"),
                m.key
            ),
        )
    };
    finding("key-case", severity, None, message, None)
}

/// Whether helper `name` is written with its prefix and the helper it
/// means is installed: `helper-prefix` then carries the fix, and
/// `helper-missing` (whose fix drops the logins) is left out.
pub(super) fn prefix_fixable(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .is_some_and(|n| !n.is_empty() && on_path(&program_name(n)))
}

fn prefix_findings(config: &Config, ctx: &Context, out: &mut Vec<Finding>) {
    let mut named: Vec<(Option<&str>, &str)> = Vec::new();
    if let Some(s) = config.creds_store().filter(|_| !ctx.is_containers()) {
        named.push((None, s));
    }
    named.extend(config.cred_helpers().map(|(k, h)| (Some(k), h)));
    for (reg, helper) in named {
        let Some(meant) = helper.strip_prefix(PREFIX).filter(|n| !n.is_empty()) else {
            continue;
        };
        let place = match reg {
            Some(r) => format!("credHelpers names the helper for {r}"),
            None => "credsStore names the helper".to_string(),
        };
        let base = format!(
            "{place} `{helper}`: docker adds `{PREFIX}` itself and runs `{PREFIX}{helper}`, which does not exist"
        );
        let (fix, message) = if on_path(&program_name(meant)) {
            let mut steps: Vec<String> = store_set(ctx, reg, meant).into_iter().collect();
            // A credsStore podman, skopeo or buildah would ignore gets the
            // credHelpers entries too (else podman-ignores-store follows).
            if reg.is_none() && containers_tool_on_path().is_some() && !ctx.is_containers() {
                steps.extend(credhelper_steps(config, ctx, helper, meant));
            }
            (Some(steps.join(" && ")), base)
        } else {
            (
                None,
                format!(
                    "{base}; install {} and then run `{}`",
                    program_name(meant),
                    store_set(ctx, reg, meant).unwrap_or_default()
                ),
            )
        };
        out.push(finding("helper-prefix", Severity::High, reg, message, fix));
    }
}

/// `ecr-login` as credsStore: every ECR login moves to a credHelpers entry
/// (which is how AWS documents the helper), then credsStore goes.
fn ecr_store_finding(config: &Config, ctx: &Context, store: &str) -> Finding {
    let steps: Vec<String> = crate::hints::ecr_store_fix(config.auth_keys())
        .iter()
        .map(|c| c.render(ctx))
        .collect();
    finding(
        "ecr-creds-store",
        Severity::High,
        None,
        format!(
            "credsStore is `{store}`: docker asks docker-credential-{ECR_HELPER} for every registry, and it answers only for ECR \
             (*.dkr.ecr.*.amazonaws.com), so logins to every other registry fail; AWS documents it as a credHelpers entry per ECR registry"
        ),
        Some(steps.join(" && ")),
    )
}

/// Logins in the credsStore helper that podman, skopeo and buildah cannot
/// see: each gets a credHelpers entry naming the same helper (no secret
/// moves; docker's answer does not change).
fn podman_store_finding(
    config: &Config,
    ctx: &Context,
    store: &str,
    tool: &str,
    out: &mut Vec<Finding>,
) {
    let routed = routed_to(config, ctx, store);
    if routed.is_empty() || !on_path(&program_name(store)) {
        return;
    }
    let steps = credhelper_steps(config, ctx, store, store);
    out.push(finding(
        "podman-ignores-store",
        Severity::Medium,
        None,
        format!(
            "{tool} is installed and reads this file when it has no auth.json login, but never credsStore: it cannot use the logins kept in docker-credential-{store} ({}); \
             a credHelpers entry per registry naming the same helper serves docker and it alike",
            routed.join(", ")
        ),
        Some(steps.join(" && ")),
    ));
}

/// The registries whose logins docker keeps in credsStore `store`.
fn routed_to(config: &Config, ctx: &Context, store: &str) -> Vec<String> {
    // In file order, each once (a set: a Vec search per key is quadratic, #17).
    let mut seen = std::collections::HashSet::new();
    let want = Store::CredsStore(store.to_string());
    config
        .auth_keys()
        .filter(|k| store_in(config, k, ctx.flavor) == want)
        .map(crate::registry::normalize)
        .filter(|r| seen.insert(r.clone()))
        .collect()
}

/// `store set --registry R NAME` for each registry credsStore `store`
/// serves: the credHelpers form, which podman, skopeo and buildah read.
fn credhelper_steps(config: &Config, ctx: &Context, store: &str, name: &str) -> Vec<String> {
    routed_to(config, ctx, store)
        .iter()
        .filter_map(|r| store_set(ctx, Some(r), name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_case(text: &str) -> Vec<(Severity, String)> {
        let c = Config::parse(std::path::Path::new("c.json"), text.into(), true).unwrap();
        let members = members(text);
        members
            .iter()
            .filter_map(|m| match classify(&m.key) {
                Some(Ok(real)) => {
                    let f = key_case_finding(&c, "c.json", m, real, &members);
                    Some((f.severity, f.message))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn key_case_is_low_alone_and_medium_beside_the_exact_key() {
        let alone = key_case(r#"{"Auths": {}, "credsstore": "pass"}"#);
        assert_eq!(alone.len(), 2);
        assert!(alone.iter().all(|(s, _)| *s == Severity::Low), "{alone:?}");
        assert!(
            alone[1].1.contains("so docker uses docker-credential-pass"),
            "{alone:?}"
        );
        assert!(
            alone[0].1.contains("dockercfg read it as `auths`"),
            "{alone:?}"
        );
        let beside = key_case(
            r#"{"auths": {}, "AUTHS": {}, "credsStore": "pass", "credsstore": "secretservice"}"#,
        );
        assert_eq!(beside.len(), 2);
        assert!(
            beside.iter().all(|(s, _)| *s == Severity::Medium),
            "{beside:?}"
        );
        assert!(beside[0].1.contains("`AUTHS` beside `auths`"), "{beside:?}");
        assert!(
            beside[1].1.contains("docker-credential-secretservice"),
            "{beside:?}"
        );
        // The value docker does not use is not named as the one it uses.
        let shadowed = key_case(r#"{"credsstore": "pass", "credsStore": "secretservice"}"#);
        assert!(
            !shadowed[0].1.contains("docker-credential-pass"),
            "{shadowed:?}"
        );
    }

    #[test]
    fn near_misses_and_case_variants() {
        assert_eq!(classify("credsstore"), Some(Ok(CREDS_STORE)));
        assert_eq!(classify("CredHelpers"), Some(Ok(CRED_HELPERS)));
        assert_eq!(classify("AUTHS"), Some(Ok(AUTHS)));
        assert_eq!(classify("cred\u{17F}Store"), Some(Ok(CREDS_STORE)));
        assert_eq!(classify("credStore"), Some(Err(CREDS_STORE)));
        assert_eq!(classify("credsStores"), Some(Err(CREDS_STORE)));
        assert_eq!(classify("credentialsStore"), Some(Err(CREDS_STORE)));
        assert_eq!(classify("credHelper"), Some(Err(CRED_HELPERS)));
        assert_eq!(classify("cred_helpers"), Some(Err(CRED_HELPERS)));
        assert_eq!(classify("auth"), Some(Err(AUTHS)));
        for fine in [
            "auths",
            "credsStore",
            "credHelpers",
            "aliases",
            "proxies",
            "plugins",
            "psFormat",
            "HttpHeaders",
            "currentContext",
            "features",
            "detachKeys",
            "experimental",
            "imagesFormat",
            "stackOrchestrator",
            "cliPluginsExtraDirs",
            "kubernetes",
        ] {
            assert_eq!(classify(fine), None, "{fine}");
        }
    }
}
