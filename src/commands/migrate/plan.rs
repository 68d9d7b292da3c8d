//! Planning: which registries move where, which `credsStore` / `credHelpers`
//! keys that takes, and whether every helper involved answers. Nothing here
//! changes anything; `apply` does.

use std::collections::BTreeSet;

use anyhow::{anyhow, bail, Result};
use serde_json::Value;

use super::{Edit, Item, Plan, Row, Status};
use crate::auth::{AuthEntry, TOKEN_USERNAME};
use crate::cli::MigrateArgs;
use crate::config::Config;
use crate::context::Context;
use crate::helper::{self, Credentials};
use crate::logins::store::store_for;
use crate::output;
use crate::registry::{normalize, same_registry};
use crate::transfer;
use crate::Secret;

/// The plan, or None when there is nothing to do at all.
pub(super) fn plan(args: &MigrateArgs, config: &Config) -> Result<Option<Plan>> {
    let plaintext: Vec<(String, Value, AuthEntry)> = config
        .auth_raw()
        .map(|(k, raw)| {
            let v = serde_json::from_str(raw).unwrap_or(Value::Null);
            (k.to_string(), v, AuthEntry::from_json(raw))
        })
        .filter(|(_, _, e)| e.has_secret() || e.problem.is_some())
        .collect();
    let flags = args.store.is_some() || !args.helpers.is_empty();
    if plaintext.is_empty() && !flags {
        return Ok(None);
    }

    let mut edits = Vec::new();
    if let Some(store) = &args.store {
        match config.creds_store() {
            Some(cur) if cur == store => {}
            Some(cur) => bail!(
                "config.json already sets credsStore to \"{cur}\"; migrate moves plaintext \
                 credentials and does not move logins between stores (use --store {cur})"
            ),
            None => edits.push(Edit {
                registry: None,
                helper: store.clone(),
                hub_alias: false,
            }),
        }
    }
    for (registry, helper) in helper_targets(args, &plaintext)? {
        if let Some(e) = edits
            .iter()
            .find(|e| e.registry.as_deref() == Some(registry.as_str()))
        {
            if e.helper != helper {
                bail!(
                    "--helper gives {registry} two helpers: {} and {helper}",
                    e.helper
                );
            }
            continue;
        }
        let existing = config
            .cred_helpers()
            .find(|(k, _)| same_registry(k, &registry));
        match existing {
            Some((_, h)) if h == helper => continue,
            Some((k, h)) => bail!(
                "config.json already sends {k} to helper \"{h}\" (credHelpers); migrate does \
                 not move logins between stores"
            ),
            None => {}
        }
        // A placeholder whose secret a helper holds would be hidden from
        // docker by a new credHelpers key pointing elsewhere.
        for (k, e) in config.auths() {
            let store = store_for(config, k);
            if same_registry(k, &registry) && e.is_placeholder() {
                if let Some(h) = store.helper().filter(|h| *h != helper) {
                    bail!(
                        "{k} is logged in with docker-credential-{h}; setting credHelpers for it \
                         to \"{helper}\" would hide that login from docker"
                    );
                }
            }
        }
        edits.push(Edit {
            hub_alias: registry == crate::registry::DOCKER_HUB_KEY,
            registry: Some(registry),
            helper,
        });
    }
    // Docker's default store only if something can move: an undecodable
    // entry alone is no reason to ask for a keychain.
    let movable_any = plaintext.iter().any(|(_, _, e)| movable(e).is_ok());
    if !flags
        && movable_any
        && config.creds_store().is_none()
        && config.cred_helpers().next().is_none()
    {
        let name = helper::default_store().ok_or_else(no_store_error)?;
        edits.push(Edit {
            registry: None,
            helper: name.to_string(),
            hub_alias: false,
        });
    }

    let mut future = config.clone();
    for e in &edits {
        e.apply(&mut future);
    }
    let items = plaintext
        .into_iter()
        .map(|(key, raw, entry)| plan_item(config, &future, &edits, key, raw, &entry))
        .collect();
    Ok(Some(Plan { items, edits }))
}

/// `--helper` flags as (normalised registry, helper), globs expanded over
/// the plaintext entries' keys.
fn helper_targets(
    args: &MigrateArgs,
    plaintext: &[(String, Value, AuthEntry)],
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for t in &args.helpers {
        if !t.registry.contains(['*', '?', '[']) {
            out.push((normalize(&t.registry), t.helper.clone()));
            continue;
        }
        let pattern = glob::Pattern::new(&t.registry)
            .map_err(|e| anyhow!("--helper {:?}: {e}", t.registry))?;
        let before = out.len();
        let mut seen = BTreeSet::new();
        for (key, _, _) in plaintext {
            let name = normalize(key);
            if (pattern.matches(key) || pattern.matches(&name)) && seen.insert(name.clone()) {
                out.push((name, t.helper.clone()));
            }
        }
        if out.len() == before {
            output::warn(&format!(
                "--helper {}={} matches no plaintext login in config.json",
                t.registry, t.helper
            ));
        }
    }
    Ok(out)
}

fn plan_item(
    now: &Config,
    future: &Config,
    edits: &[Edit],
    key: String,
    raw: Value,
    e: &AuthEntry,
) -> Item {
    let store = store_for(future, &key);
    let to = store.helper().map(str::to_string);
    let stale = to.is_some() && store_for(now, &key).helper() == to.as_deref();
    let edit = to.as_ref().and_then(|h| {
        edits.iter().position(|ed| match &ed.registry {
            Some(r) => same_registry(r, &key) && ed.helper == *h,
            None => store.source() == "credsStore",
        })
    });
    let username = e.username.clone().or_else(|| {
        e.identity_token
            .as_ref()
            .map(|_| TOKEN_USERNAME.to_string())
    });
    let (creds, skip) = match movable(e) {
        Ok(_) if to.is_none() => (
            None,
            Some("no credential store is set for this registry (pass --store NAME)".to_string()),
        ),
        Ok((username, secret)) => (
            Some(Credentials {
                server_url: normalize(&key),
                username,
                secret,
            }),
            None,
        ),
        Err(why) => (None, Some(why)),
    };
    let mut row = Row {
        registry: key,
        username,
        from: "file",
        to,
        status: Status::Planned,
        action: None,
        error: None,
    };
    // A login a store was to take but that cannot move stays in plaintext
    // and fails the run; one that no store routes was not asked for.
    let stuck = skip.is_some() && row.to.is_some();
    if skip.is_some() {
        row.status = Status::Skipped;
        row.error = skip;
    }
    let alias = creds
        .as_ref()
        .filter(|_| edit.is_some_and(|i| edits[i].is_hub()))
        .map(|c| Credentials {
            server_url: crate::registry::CONTAINERS_HUB_KEY.to_string(),
            ..c.clone()
        });
    Item {
        row,
        raw,
        creds,
        alias,
        alias_action: None,
        edit,
        stuck,
        stale,
        action: None,
    }
}

/// What goes to the helper for entry `e` (username, secret), or why it
/// cannot move. Identity tokens go in as username `<token>`, as docker
/// stores them.
fn movable(e: &AuthEntry) -> Result<(String, Secret), String> {
    if let Some(p) = &e.problem {
        return Err(format!("cannot be decoded: {p}"));
    }
    if e.registry_token.is_some() {
        return Err("holds a registry token, which credential helpers cannot keep".to_string());
    }
    match (&e.identity_token, &e.password, &e.username) {
        (Some(token), _, _) => Ok((TOKEN_USERNAME.to_string(), token.clone())),
        // docker hands a helper the password in JSON, which turns each
        // byte that is not UTF-8 into U+FFFD: the helper would keep another
        // password. It stays in the file, where docker sends it exactly.
        (None, Some(pw), Some(_)) if !pw.is_text() => Err(
            "its password is not UTF-8 text, which a credential helper would store changed \
             (JSON turns each invalid byte into U+FFFD)"
                .to_string(),
        ),
        (None, Some(pw), Some(user)) => Ok((user.clone(), pw.clone())),
        _ => Err("holds no username and secret to move".to_string()),
    }
}

/// Every target helper is on PATH and answers `list`, or nothing starts.
pub(super) fn check_helpers(plan: &Plan, ctx: &Context) -> Result<()> {
    let mut names: BTreeSet<&str> = plan.edits.iter().map(|e| e.helper.as_str()).collect();
    names.extend(
        plan.items
            .iter()
            .filter(|i| i.creds.is_some())
            .filter_map(|i| i.row.to.as_deref()),
    );
    // A helper's failure text must not show a secret being moved.
    let secrets: Vec<crate::Secret> = plan
        .items
        .iter()
        .filter_map(|i| i.creds.as_ref())
        .map(|c| c.secret.clone())
        .collect();
    let answers: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|n| {
                let client = ctx.helper(n).redacting(secrets.iter().cloned());
                (*n, s.spawn(move || client.list().map(|_| ())))
            })
            .collect();
        handles
            .into_iter()
            .map(|(n, h)| (n, h.join().expect("helper thread panicked")))
            .collect()
    });
    for (name, answer) in answers {
        transfer::check_answer(name, answer)?;
    }
    Ok(())
}

fn no_store_error() -> anyhow::Error {
    let name = if cfg!(target_os = "macos") {
        "osxkeychain"
    } else if cfg!(windows) {
        "wincred"
    } else {
        "pass"
    };
    anyhow!(
        "no credential store to migrate to: config.json sets no credsStore or credHelpers, and \
         no credential helper docker would pick was found on PATH; nothing was changed\n{}\n\
         Then run `dockercfg migrate` again, or name a store with --store NAME.",
        transfer::install_hint(name).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::migrate::tests::args;
    use serde_json::json;
    use std::path::Path;

    fn config(v: Value) -> Config {
        Config::parse(Path::new("/t/config.json"), v.to_string(), true).unwrap()
    }

    fn auth(u: &str, p: &str) -> String {
        crate::auth::encode_auth(u, &crate::Secret::new(p))
    }

    #[test]
    fn plan_routes_by_glob_then_store_and_skips_what_cannot_move() {
        let c = config(json!({"auths": {
            "eu.gcr.io": {"auth": auth("g", "1")},
            "https://ghcr.io": {"auth": auth("me", "2"), "email": "e@x"},
            "tok.io": {"identitytoken": "T", "auth": auth("me", "3")},
            "bad.io": {"auth": "!!"},
            "rt.io": {"registrytoken": "R"},
            "done.io": {},
        }}));
        let p = plan(
            &args(&["--helper", "*.gcr.io=gcloud", "--store", "pass"]),
            &c,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            p.edits,
            [
                Edit {
                    registry: None,
                    helper: "pass".into(),
                    hub_alias: false,
                },
                Edit {
                    registry: Some("eu.gcr.io".into()),
                    helper: "gcloud".into(),
                    hub_alias: false,
                }
            ]
        );
        let got: Vec<(&str, Option<&str>, Status, Option<usize>)> = p
            .items
            .iter()
            .map(|i| {
                (
                    i.row.registry.as_str(),
                    i.row.to.as_deref(),
                    i.row.status,
                    i.edit,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("eu.gcr.io", Some("gcloud"), Status::Planned, Some(1)),
                ("https://ghcr.io", Some("pass"), Status::Planned, Some(0)),
                ("tok.io", Some("pass"), Status::Planned, Some(0)),
                ("bad.io", Some("pass"), Status::Skipped, Some(0)),
                ("rt.io", Some("pass"), Status::Skipped, Some(0)),
            ]
        );
        // The helper gets docker's lookup name; tokens go in as <token>.
        let c1 = p.items[1].creds.as_ref().unwrap();
        assert_eq!(
            (c1.server_url.as_str(), c1.username.as_str()),
            ("ghcr.io", "me")
        );
        let c2 = p.items[2].creds.as_ref().unwrap();
        assert_eq!((c2.username.as_str(), c2.secret.expose()), ("<token>", "T"));
        assert!(p.items[3].creds.is_none() && p.items[4].creds.is_none());
        assert!(p.items[3].row.error.as_deref().unwrap().contains("base64"));
    }

    #[test]
    fn plan_refuses_to_hide_logins_held_by_another_store() {
        let c = config(
            json!({"auths": {"a.io": {"auth": auth("u", "p")}, "b.io": {}},
                              "credsStore": "desktop", "credHelpers": {"c.io": "ecr"}}),
        );
        for flags in [
            &["--store", "pass"][..],
            &["--helper", "c.io=other"],
            &["--helper", "b.io=other"],
        ] {
            assert!(plan(&args(flags), &c).is_err(), "{flags:?}");
        }
        // Already configured: used as they are, no new keys.
        let p = plan(&args(&[]), &c).unwrap().unwrap();
        assert!(p.edits.is_empty());
        assert_eq!(p.items[0].row.to.as_deref(), Some("desktop"));
        // Only undecodable plaintext: reported, and no store is looked for
        // (none is on this test's PATH, which would be an error).
        let only_bad = config(json!({"auths": {"bad.io": {"auth": "!!"}}}));
        let p = plan(&args(&[]), &only_bad).unwrap().unwrap();
        assert!(p.edits.is_empty());
        assert_eq!(p.items[0].row.status, Status::Skipped);
        // Nothing in plaintext and no flags: nothing to do.
        assert!(plan(&args(&[]), &config(json!({"auths": {"b.io": {}}})))
            .unwrap()
            .is_none());
    }
}
