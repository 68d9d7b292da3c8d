//! `dockercfg list`: every login docker would find, and where its secret lives.
//!
//! Rows come from the `auths` entries and from each configured helper's
//! `list`, called once per distinct helper, all helpers in parallel. No `get`
//! is made: usernames come from `list`, so no secret is ever fetched.
//!
//! `DOCKER_AUTH_CONFIG` logins (see `envauth`) come first, with source
//! `env`; a file or helper login whose key docker would find there instead
//! says so in its `error`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::auth::{Kind, TOKEN_USERNAME};
use crate::config::Config;
use crate::context::{Context, Flavor};
use crate::envauth::{EnvAuth, VAR};
use crate::helper::HelperError;
use crate::registry::{self, normalize};
use crate::store::store_in;
use crate::token::Shape;

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
    let mut names: Vec<&str> = crate::store::creds_store(config, ctx.flavor)
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
        crate::store::file_secrets(config, None)
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

    for (key, entry) in config.auths() {
        let store = store_in(config, key, flavor);
        let mut login = Login {
            registry: key.to_string(),
            username: entry.username.clone(),
            source: store.source(),
            helper: store.helper().map(str::to_string),
            kind: entry.kind(),
            error: entry.problem.clone(),
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
        .and_then(|s| crate::token::shape(s.expose()));
    let expires = present.find_map(|s| crate::token::expiry(s.expose()).map(|(_, e)| e));
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

/// A login's field as `list` shows it to a person.
fn field(l: &Login, name: &str, now: i64) -> String {
    match name {
        "Registry" => l.registry.clone(),
        "Username" => l.username.clone().unwrap_or_else(|| "-".into()),
        "Store" => match (&l.helper, l.source) {
            (Some(h), _) => h.clone(),
            (None, "env") => "env".into(),
            (None, _) => "file".into(),
        },
        "Kind" => match (l.kind, l.token) {
            (Kind::Basic, Some(shape)) => shape.label().into(),
            (kind, _) => kind.label().into(),
        },
        "Expires" => match l.expires {
            None => "-".into(),
            Some(e) if e <= now => format!("expired {} ago", crate::token::human(e - now)),
            Some(e) => format!("in {}", crate::token::human(e - now)),
        },
        "Problem" => l.error.clone().unwrap_or_default(),
        "Source" => l.source.into(),
        _ => String::new(),
    }
}

/// Whether `login` is one of the registries named on the command line, by
/// any spelling of them (`docker.io` finds the Hub login).
fn selected(login: &Login, wanted: &[String], flavor: Flavor) -> bool {
    let name = |r: &str| match flavor {
        Flavor::Docker => normalize(r),
        Flavor::Containers => crate::registry::normalize_containers(r),
    };
    wanted.is_empty() || wanted.iter().any(|w| name(w) == name(&login.registry))
}

/// Run `list`: read the config and print every login (or those named).
pub fn run(args: &crate::cli::ListArgs, ctx: &Context) -> anyhow::Result<std::process::ExitCode> {
    use crate::output::{self, Cell};
    use crate::template::{self, Format};

    let config = Config::load(&ctx.config_path)?;
    let mut inv = inventory(&config, ctx);
    if !ctx.is_containers() {
        // podman, skopeo and buildah do not read DOCKER_AUTH_CONFIG.
        add_env_logins(&mut inv, &EnvAuth::from_env());
    }
    for w in &inv.warnings {
        output::warn(w);
    }
    inv.logins
        .retain(|l| selected(l, &args.registries, ctx.flavor));
    // A registry named but not logged in to: said on stderr, exit 1, so
    // `dockercfg list -q ghcr.io` can answer "am I logged in?".
    let missing: Vec<&String> = args
        .registries
        .iter()
        .filter(|r| {
            !inv.logins
                .iter()
                .any(|l| selected(l, std::slice::from_ref(*r), ctx.flavor))
        })
        .collect();
    for r in &missing {
        output::note(&format!("Not logged in to {r}"));
    }
    let now = crate::token::now();
    let format = if args.json { None } else { args.format.clone() };
    if args.json {
        output::print_json(&inv.logins)?;
    } else if args.quiet {
        let lines: Vec<String> = inv.logins.iter().map(|l| l.registry.clone()).collect();
        output::print_lines(&lines);
    } else if let Some(Format::Json) = format {
        let lines = inv
            .logins
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()?;
        output::print_lines(&lines);
    } else if let Some(Format::Lines(pieces)) = format {
        let text: String = inv
            .logins
            .iter()
            .map(|l| {
                let line = template::render(&pieces, |f| field(l, f, now));
                // Raw for scripts (as docker's --format); on a terminal,
                // control characters from the file are shown, not obeyed.
                if ctx.stdout_is_terminal {
                    output::escape(&line).into_owned() + "\n"
                } else {
                    line + "\n"
                }
            })
            .collect();
        use std::io::Write;
        std::io::stdout().write_all(text.as_bytes())?;
    } else if inv.logins.is_empty() && args.registries.is_empty() {
        output::note(&format!("no logins in {}", config.path().display()));
    } else if !inv.logins.is_empty() {
        let columns: Vec<Vec<template::Piece>> = match format {
            Some(Format::Table(Some(cols))) => cols,
            _ => FIELDS[..6]
                .iter()
                .map(|f| vec![template::Piece::Field(f)])
                .collect(),
        };
        let headers: Vec<String> = columns.iter().map(|c| template::header(c)).collect();
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut t = output::table(ctx, &headers);
        for l in &inv.logins {
            t.add_row(
                columns
                    .iter()
                    .map(|c| {
                        let text = template::render(c, |f| field(l, f, now));
                        let expired = c == &[template::Piece::Field("Expires")]
                            && l.expires.is_some_and(|e| e <= now);
                        if expired || c == &[template::Piece::Field("Problem")] {
                            Cell::problem(output::escape(&text))
                        } else {
                            output::cell(&text)
                        }
                    })
                    .collect(),
            );
        }
        output::print_table(&t);
    }
    Ok(if missing.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}
