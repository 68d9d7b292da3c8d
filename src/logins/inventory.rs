//! The inventory of logins: every login a client would find (file entries,
//! each helper's `list`, DOCKER_AUTH_CONFIG), where its secret lives, and
//! which have expired. `list`, `audit`, `export` and `logout` read it; no
//! command owns it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::expiry::Shape;
use super::store::store_in;
use crate::auth::{Kind, TOKEN_USERNAME};
use crate::config::Config;
use crate::context::{Context, Flavor};
use crate::envauth::{EnvAuth, VAR};
use crate::helper::HelperError;
use crate::registry::{self, normalize};

/// One login, as `list --json` prints it. The keys are a stable interface.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Login {
    /// The key as written in the file, or as the helper returned it.
    pub registry: String,
    pub username: Option<String>,
    /// `env`, `file`, `credsStore` or `credHelpers`.
    pub source: &'static str,
    pub helper: Option<String>,
    pub kind: Kind,
    /// What the secret's shape says it is (a personal access token, a JWT,
    /// an ECR token), when the secret is in the file or DOCKER_AUTH_CONFIG.
    pub token: Option<Shape>,
    /// When the secret expires (Unix seconds), if it says: a JWT's `exp`,
    /// an ECR token's `expiration`.
    pub expires: Option<i64>,
    /// One line saying what is wrong with this login, if anything.
    pub error: Option<String>,
    /// Whether config.json itself holds a secret for it (plaintext).
    #[serde(skip)]
    pub plaintext: bool,
    /// Whether the `auths` key exists in config.json.
    #[serde(skip)]
    pub in_file: bool,
}

/// Every login, plus warnings about helpers whose `list` failed.
#[derive(Debug, Default)]
pub struct Inventory {
    pub logins: Vec<Login>,
    pub warnings: Vec<String>,
}

/// One helper's `list`, indexed by exact and by normalised server name.
pub struct Listing {
    pub entries: BTreeMap<String, String>,
    by_name: HashMap<String, Vec<String>>,
}

impl Listing {
    pub(crate) fn new(entries: BTreeMap<String, String>) -> Self {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for url in entries.keys() {
            by_name.entry(normalize(url)).or_default().push(url.clone());
        }
        Listing { entries, by_name }
    }

    /// Every server key in the helper that names `registry`.
    pub fn keys_for(&self, registry: &str) -> &[String] {
        self.by_name
            .get(&normalize(registry))
            .map_or(&[], Vec::as_slice)
    }

    /// The helper's server key for `registry`: exact, else any alias.
    fn find(&self, registry: &str) -> Option<&str> {
        if let Some((k, _)) = self.entries.get_key_value(registry) {
            return Some(k);
        }
        self.by_name
            .get(&normalize(registry))
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

/// Each configured helper's `list`, by helper name.
pub type Listings = HashMap<String, Result<Listing, HelperError>>;

/// Ask every configured helper for its list, in parallel.
pub fn list_helpers(config: &Config, ctx: &Context) -> Listings {
    list_helpers_with(config, ctx, true)
}

/// The helpers `list_helpers` would ask, each with an empty listing and
/// none spawned (`logout --file-only`: only the file's logins exist).
pub fn no_listings(config: &Config, ctx: &Context) -> Listings {
    list_helpers_with(config, ctx, false)
}

fn list_helpers_with(config: &Config, ctx: &Context, ask: bool) -> Listings {
    // A containers auth.json's credsStore is ignored by podman: not asked.
    let mut names: Vec<&str> = super::store::creds_store(config, ctx.flavor)
        .into_iter()
        .collect();
    names.extend(
        config
            .cred_helpers()
            .map(|(_, h)| h)
            .filter(|h| !h.is_empty()),
    );
    let mut seen = HashSet::new();
    names.retain(|n| seen.insert(*n));
    if !ask {
        return names
            .iter()
            .map(|n| (n.to_string(), Ok(Listing::new(BTreeMap::new()))))
            .collect();
    }
    // Decoded only when a helper is asked: a failing `list` must not show
    // a secret the file holds.
    let secrets = if names.is_empty() {
        Vec::new()
    } else {
        super::store::file_secrets(config, None)
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|n| {
                let client = ctx.helper(n).redacting(secrets.iter().cloned());
                (
                    n.to_string(),
                    s.spawn(move || client.list().map(Listing::new)),
                )
            })
            .collect();
        handles
            .into_iter()
            .map(|(n, h)| (n, h.join().expect("helper thread panicked")))
            .collect()
    })
}

/// Collect every login docker would find for `config`.
pub fn inventory(config: &Config, ctx: &Context) -> Inventory {
    inventory_from(config, &list_helpers(config, ctx), ctx.flavor)
}

/// `inventory` from listings already fetched, so a command that needs both
/// asks each helper only once. `flavor` picks the store rule (a containers
/// auth.json ignores credsStore).
pub fn inventory_from(config: &Config, listings: &Listings, flavor: Flavor) -> Inventory {
    let mut inv = Inventory::default();
    let mut claimed: HashSet<(String, String)> = HashSet::new();

    for (key, entry) in config.entries() {
        let store = store_in(config, key, flavor);
        let mut login = Login {
            registry: key.to_string(),
            username: entry.username.clone(),
            source: store.source(),
            helper: store.helper().map(str::to_string),
            kind: entry.kind(),
            error: entry.problem.as_ref().map(|p| match flavor {
                // containers/image decodes only the entry it looks up.
                Flavor::Containers => p.clone(),
                Flavor::Docker => format!("{p}; {}", super::docker::UNDECODABLE_POISONS),
            }),
            token: None,
            expires: None,
            plaintext: entry.has_secret(),
            in_file: true,
        };
        if store.helper().is_none() {
            (login.token, login.expires) = secret_facts(&entry);
        }
        if let Some(h) = store.helper() {
            let program = crate::helper::program_name(h);
            match &listings[h] {
                Err(e) => {
                    login.error.get_or_insert_with(|| e.to_string());
                }
                Ok(listing) => match listing.find(key) {
                    Some(url) => {
                        claimed.insert((h.to_string(), url.to_string()));
                        let user = &listing.entries[url];
                        login.username = Some(user.clone());
                        login.kind = helper_kind(user);
                        if entry.has_secret() {
                            login.error = Some(format!(
                                "stale plaintext in config.json (docker uses {program})"
                            ));
                        }
                    }
                    None => {
                        login.kind = Kind::None;
                        login.error.get_or_insert_with(|| {
                            if entry.has_secret() {
                                format!("not in {program}; the plaintext in config.json is ignored")
                            } else {
                                format!("no credentials in {program}")
                            }
                        });
                    }
                },
            }
        } else if entry.is_placeholder() {
            login.error = Some("empty entry, and no credential helper is configured".into());
        }
        inv.logins.push(login);
    }

    // Logins that only a helper knows of, where docker would route them to
    // that helper.
    let mut names: Vec<&String> = listings.keys().collect();
    names.sort();
    for name in names {
        match &listings[name.as_str()] {
            Err(e) => {
                // Said once on stderr, unless a row already says it.
                let shown = inv
                    .logins
                    .iter()
                    .any(|l| l.helper.as_deref() == Some(name.as_str()));
                if !shown {
                    inv.warnings.push(format!("{e}; its logins are not listed"));
                }
            }
            Ok(listing) => {
                for (url, user) in &listing.entries {
                    if claimed.contains(&(name.clone(), url.clone())) {
                        continue;
                    }
                    // One row for keys that differ only by scheme
                    // (amazon-ecr-credential-helper lists each registry
                    // with and without `https://`): the bare key stands
                    // for both.
                    let bare = registry::strip_scheme_any_case(url);
                    if bare != url && listing.entries.get(bare) == Some(user) {
                        continue;
                    }
                    if bare == url
                        && ["https://", "http://"].iter().any(|s| {
                            let twin = format!("{s}{url}");
                            listing.entries.get(&twin) == Some(user)
                                && claimed.contains(&(name.clone(), twin))
                        })
                    {
                        continue;
                    }
                    let store = store_in(config, url, flavor);
                    if store.helper() != Some(name.as_str()) {
                        continue;
                    }
                    inv.logins.push(Login {
                        registry: url.clone(),
                        username: Some(user.clone()),
                        source: store.source(),
                        helper: Some(name.clone()),
                        kind: helper_kind(user),
                        error: None,
                        token: None,
                        expires: None,
                        plaintext: false,
                        in_file: false,
                    });
                }
            }
        }
    }
    inv
}

/// Put the `DOCKER_AUTH_CONFIG` logins first (source `env`), and flag the
/// logins they shadow: docker looks a registry up in the variable first, by
/// its exact key, and only then in credHelpers, credsStore or the file.
pub fn add_env_logins(inv: &mut Inventory, env: &EnvAuth) {
    if let Some(w) = &env.warning {
        inv.warnings.push(w.clone());
    }
    if !env.is_active() {
        return;
    }
    for login in &mut inv.logins {
        let key = normalize(&login.registry);
        if env.lookup(&key).is_some() {
            login.error = Some(format!("shadowed by {VAR}, which docker reads first"));
        }
    }
    let mut rows: Vec<Login> = env
        .entries()
        .into_iter()
        .map(|(key, entry)| env_login(key, &entry))
        .collect();
    rows.append(&mut inv.logins);
    inv.logins = rows;
}

fn env_login(key: String, entry: &crate::auth::AuthEntry) -> Login {
    let docker_key = normalize(&key);
    let error = if docker_key != key {
        Some(format!(
            "docker looks this registry up as {docker_key}, exactly, so this key in {VAR} is never used"
        ))
    } else if !entry.has_secret() {
        Some(format!(
            "empty entry in {VAR}: docker sends no credentials to this registry"
        ))
    } else {
        None
    };
    let (token, expires) = secret_facts(entry);
    Login {
        registry: key,
        username: entry.username.clone(),
        source: "env",
        helper: None,
        kind: entry.kind(),
        error,
        token,
        expires,
        plaintext: false,
        in_file: false,
    }
}

/// What an entry's secrets say about themselves: the shape of the one
/// docker sends, and the first expiry any of them carries.
fn secret_facts(entry: &crate::auth::AuthEntry) -> (Option<Shape>, Option<i64>) {
    let secrets = [
        &entry.identity_token,
        &entry.registry_token,
        &entry.password,
    ];
    let mut present = secrets.into_iter().flatten();
    let token = present
        .clone()
        .next()
        .and_then(|s| super::expiry::shape(s.expose()));
    let expires = present.find_map(|s| super::expiry::expiry(s.expose()).map(|(_, e)| e));
    (token, expires)
}

fn helper_kind(user: &str) -> Kind {
    if user == TOKEN_USERNAME {
        Kind::IdentityToken
    } else {
        Kind::Basic
    }
}

/// The fields `list --format` knows, in the default table's order.
pub const FIELDS: &[&str] = &[
    "Registry", "Username", "Store", "Kind", "Expires", "Problem", "Source",
];

/// What `logout --expired` removes, and what it could not check.
#[derive(Debug, Default)]
pub struct Expired {
    /// Registries whose stored secret has expired.
    pub registries: Vec<String>,
    /// Helper logins whose `get` failed: not known to be expired, so not
    /// removed; the command says so.
    pub unchecked: Vec<(String, HelperError)>,
}

/// Registries whose stored secret has expired (file, and helpers via
/// `get`): what `logout --expired` removes.
pub fn expired_registries(config: &Config, ctx: &Context, listings: &Listings) -> Expired {
    let now = super::expiry::now();
    let expired =
        |s: &crate::Secret| super::expiry::expiry(s.expose()).is_some_and(|(_, exp)| exp <= now);
    let mut out = Expired::default();
    let regs = &mut out.registries;
    for (key, entry) in config.auths() {
        if store_in(config, key, ctx.flavor) == super::store::Store::File
            && entry.secrets().any(expired)
        {
            regs.push(key.to_string());
        }
    }
    for login in inventory_from(config, listings, ctx.flavor).logins {
        let (Some(h), None) = (&login.helper, &login.error) else {
            continue;
        };
        match ctx
            .helper_for(h, config, Some(&login.registry))
            .get(&login.registry)
        {
            Ok(creds) if expired(&creds.secret) => regs.push(login.registry),
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            // Not removed: an unreadable login is not known to be expired.
            Err(e) => out.unchecked.push((login.registry, e)),
        }
    }
    regs.dedup();
    out
}
