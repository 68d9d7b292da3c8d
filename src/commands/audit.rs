//! `dockercfg audit`: a security report on the config, for people (a table)
//! and for CI (`--json`, exit 1 at `--fail-on` or worse).
//!
//! `--json` prints an array of findings, each exactly
//! `{code, severity, registry, message, fix}`: `severity` is `high`,
//! `medium`, `low` or `info`; `registry` and `fix` may be null; `fix` is a
//! command that fixes the finding. Codes: `invalid-config`,
//! `plaintext-credentials`, `stale-plaintext`, `file-permissions`,
//! `dir-permissions`, `wrong-owner`, `helper-missing`, `helper-error`,
//! `expired-token`, `expiring-token`, `docker-hub-password`,
//! `undecodable-entry`, `legacy-email`, `legacy-dockercfg`,
//! `orphan-placeholder`, `untracked-helper-entry`, `duplicate-login`,
//! `store-changed`, `env-shadows-login`, `env-auth-config-ignored`,
//! `duplicate-key`, `key-case`, `ignored-key`, `helper-prefix`,
//! `empty-creds-store`, `ecr-creds-store`, `podman-ignores-store`,
//! `sudo-root-config`.
//!
//! Every fix works when pasted on the audited file (#13; tests/fixloop.rs
//! runs them): where no command can fix a finding, `fix` is null and the
//! message says what to do.
//!
//! Secrets are only read from helpers (`get`) with `--deep`, and never shown.

use std::process::ExitCode;

use serde::Serialize;

use crate::cli::AuditArgs;
use crate::config::Config;
use crate::context::Context;
use crate::helper::HelperError;
use crate::logins::expiry::{self as token, expiry};
use crate::logins::findings::Severity;
use crate::logins::inventory::{inventory_from, list_helpers};
use crate::logins::store::store_in;
use crate::{output, registry, Secret};

mod fixes;
mod mistakes;
mod perms;
mod routing;
use perms::permission_findings;
use routing::routing_findings;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub registry: Option<String>,
    pub message: String,
    pub fix: Option<String>,
}

/// A dockercfg command for the user to run on the audited file (the
/// option that chose it included), quoted for a POSIX shell, with an
/// optional `# comment`. None when an argument holds a NUL, which no command
/// can pass.
pub(crate) fn fix(ctx: &Context, args: &[&str], comment: Option<&str>) -> Option<String> {
    if crate::shell::has_nul(args) {
        return None;
    }
    let mut cmd = ctx.command(args);
    if let Some(c) = comment {
        cmd.push_str("   # ");
        cmd.push_str(c);
    }
    Some(cmd)
}

/// `dockercfg logout KEY`, with `--` before a key that starts with `-` so
/// that a key such as `--all` stays a registry name.
pub(crate) fn logout_fix(ctx: &Context, key: &str, comment: Option<&str>) -> Option<String> {
    let dashes: &[&str] = if key.starts_with('-') { &["--"] } else { &[] };
    let args: Vec<&str> = ["logout"]
        .iter()
        .chain(dashes)
        .copied()
        .chain([key])
        .collect();
    fix(ctx, &args, comment)
}

/// `dockercfg logout --file-only KEY`: removes a login from the file without
/// calling its helper.
fn file_only_fix(ctx: &Context, key: &str) -> Option<String> {
    let dashes: &[&str] = if key.starts_with('-') { &["--"] } else { &[] };
    let args: Vec<&str> = ["logout", "--file-only"]
        .iter()
        .chain(dashes)
        .copied()
        .chain([key])
        .collect();
    fix(
        ctx,
        &args,
        Some("any secret left in that store is not touched"),
    )
}

fn finding(
    code: &'static str,
    severity: Severity,
    registry: Option<&str>,
    message: String,
    fix: Option<String>,
) -> Finding {
    Finding {
        code,
        severity,
        registry: registry.map(str::to_string),
        message,
        fix,
    }
}

pub fn run(args: &AuditArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.fix {
        let plan = crate::perms::plan(&ctx.config_path, "audit --fix")?;
        for n in plan.notes.iter().chain(&plan.refused) {
            output::warn(n);
        }
        crate::perms::apply(&plan.changes)?;
        for c in &plan.changes {
            output::note(&format!("fixed {c}"));
        }
    }
    let warn_secs = token::parse_duration(&args.expiry_warning).map_err(anyhow::Error::msg)?;
    let findings = audit(ctx, warn_secs, args.deep);
    if args.json {
        output::print_json(&findings)?;
    } else if findings.is_empty() {
        output::note(&format!("no findings for {}", ctx.config_path.display()));
    } else if let Some(width) = ctx.width {
        output::print_lines(&blocks(&findings, width, ctx.color));
    } else {
        let mut t = output::table(ctx, &["SEVERITY", "CODE", "REGISTRY", "MESSAGE", "FIX"]);
        for f in &findings {
            let sev = if f.severity >= Severity::Medium {
                output::problem_cell(f.severity.label(), ctx)
            } else {
                output::cell(f.severity.label())
            };
            t.add_row(vec![
                sev,
                output::cell(f.code),
                output::cell(f.registry.as_deref().unwrap_or("-")),
                output::cell(&f.message),
                output::cell(f.fix.as_deref().unwrap_or("")),
            ]);
        }
        output::print_table(&t);
    }
    let failing = findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// On a terminal, one block per finding, as compilers print diagnostics:
/// `severity[code]: registry`, the message wrapped to the width, and the fix
/// on a line of its own, never wrapped, ready to copy.
fn blocks(findings: &[Finding], width: usize, color: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let sev = match (color, f.severity >= Severity::Medium) {
            (true, true) => format!("\x1b[1;31m{}\x1b[0m", f.severity.label()),
            (true, false) => format!("\x1b[1m{}\x1b[0m", f.severity.label()),
            _ => f.severity.label().to_string(),
        };
        let head = match &f.registry {
            Some(r) => format!("{sev}[{}]: {}", f.code, output::escape(r)),
            None => format!("{sev}[{}]", f.code),
        };
        let block = output::Block {
            head,
            text: output::escape(&f.message).into_owned(),
            whole: f
                .fix
                .iter()
                .map(|c| format!("fix: {}", output::escape(c)))
                .collect(),
        };
        lines.extend(block.lines(width));
    }
    lines
}

/// Every finding for the config in `ctx`, most severe first (stable within
/// a severity: file checks, then entries in file order).
pub fn audit(ctx: &Context, warn_secs: i64, deep: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    permission_findings(ctx, &mut out);
    if let Some(home) = crate::config::locate::home_dir() {
        let legacy = home.join(".dockercfg");
        if legacy.is_file() {
            out.push(finding(
                "legacy-dockercfg",
                Severity::Medium,
                None,
                format!("{} exists: the pre-2015 credential file, still read by podman's tools; it likely holds plaintext secrets", legacy.display()),
                Some(crate::shell::command(&["rm", &legacy.to_string_lossy()])),
            ));
        }
    }
    match Config::load(&ctx.config_path) {
        Ok(config) => config_findings(&config, ctx, warn_secs, deep, &mut out),
        Err(e) => out.push(finding(
            "invalid-config",
            Severity::High,
            None,
            format!("{e:#}"),
            None,
        )),
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Who besides the owner can read or change a file of this mode, in words:
/// "every user on this machine can read it", "its group can read and change
/// it; every other user can read it".
#[cfg(unix)]
pub(super) fn who_can(mode: u32) -> String {
    let what = |bits: u32| match (bits & 0o4 != 0, bits & 0o2 != 0) {
        (true, true) => Some("read and change it"),
        (true, false) => Some("read it"),
        (false, true) => Some("change it (but not read it)"),
        (false, false) => None,
    };
    let (group, other) = (what((mode >> 3) & 0o7), what(mode & 0o7));
    match (group, other) {
        (Some(g), Some(o)) if g == o => format!("every user on this machine can {o}"),
        (Some(g), Some(o)) => {
            format!("its group can {g}; every other user on this machine can {o}")
        }
        (None, Some(o)) => format!("every user outside its group can {o}"),
        (Some(g), None) => format!("the users in its group can {g}"),
        (None, None) => "only its owner can use it".to_string(),
    }
}

/// Keys written more than once (`duplicate-key`): docker merges repeated
/// `auths` / `credHelpers` objects and takes the last copy of a key, so an
/// earlier copy is a secret nobody sees (`list` shows what docker uses).
fn duplicate_findings(config: &Config, ctx: &Context, out: &mut Vec<Finding>) {
    for d in config.duplicates() {
        let f = match (&d.key, d.section) {
            (None, section) => finding(
                "duplicate-key",
                Severity::Low,
                None,
                format!(
                    "config.json has {} top-level \"{section}\" objects: docker merges them, \
                     but tools that read JSON otherwise (jq, Python) see only the last",
                    d.count
                ),
                None,
            ),
            (Some(key), crate::config::AUTHS) => finding(
                "duplicate-key",
                Severity::Medium,
                Some(key),
                format!(
                    "\"auths\" holds {key} {} times: docker uses the last copy, the others \
                     are hidden and may keep an old secret",
                    d.count
                ),
                logout_fix(ctx, key, Some("removes every copy; then log in again")),
            ),
            (Some(key), section) => finding(
                "duplicate-key",
                Severity::Low,
                Some(key),
                format!(
                    "\"{section}\" names a helper for {key} {} times: docker uses the last",
                    d.count
                ),
                None,
            ),
        };
        out.push(f);
    }
}

fn config_findings(
    config: &Config,
    ctx: &Context,
    warn_secs: i64,
    deep: bool,
    out: &mut Vec<Finding>,
) {
    // Every entry is read here, by the routing checks and by the resolver
    // (Hub logins): decoded once.
    config.decode_all();
    // Helpers: asked once each, with `list`.
    let listings = list_helpers(config, ctx);
    let mut names: Vec<&String> = listings.keys().collect();
    names.sort();
    for name in names {
        if mistakes::prefix_fixable(name) {
            continue; // helper-prefix carries the fix
        }
        if let Err(e) = &listings[name.as_str()] {
            let (code, sev) = match e {
                HelperError::Missing { .. } => ("helper-missing", Severity::High),
                _ => ("helper-error", Severity::High),
            };
            let way_out = (code == "helper-missing")
                .then(|| fixes::clear_dead_helper(config, ctx, name))
                .flatten();
            out.push(finding(
                code,
                sev,
                None,
                format!("{e}; docker cannot pull from the registries it serves"),
                way_out,
            ));
            if code == "helper-missing" {
                // Each login the dead helper strands, with the way out:
                // drop it from the file only (nothing can reach the store).
                for key in config.auth_keys() {
                    if store_in(config, key, ctx.flavor).helper() != Some(name.as_str()) {
                        continue;
                    }
                    out.push(finding(
                        code,
                        sev,
                        Some(key),
                        format!(
                            "the login is kept in docker-credential-{name}, which is not installed: \
                             docker cannot use it, and logout cannot erase it"
                        ),
                        file_only_fix(ctx, key),
                    ));
                }
            }
        }
    }

    routing_findings(config, ctx, &listings, deep, out);
    duplicate_findings(config, ctx, out);
    mistakes::mistake_findings(config, ctx, out);

    let mut checker = Expiry {
        ctx,
        now: token::now(),
        warn_secs,
        out: Vec::new(),
    };
    // Built once, on the first plaintext login (a lookup per login would be
    // quadratic, #17).
    let mut namespaced: Option<fixes::Namespaced> = None;
    for (key, entry) in config.entries() {
        let store = store_in(config, key, ctx.flavor);
        if let Some(problem) = &entry.problem {
            out.push(finding(
                "undecodable-entry",
                Severity::High,
                Some(key),
                undecodable_message(ctx, problem),
                logout_fix(ctx, key, None),
            ));
        }
        if entry.email.is_some() {
            out.push(finding(
                "legacy-email",
                Severity::Low,
                Some(key),
                "the entry has an `email` field, unused since docker 1.11".into(),
                None,
            ));
        }
        if entry.has_secret() {
            let namespaced = namespaced.get_or_insert_with(|| fixes::Namespaced::of(config, ctx));
            out.push(fixes::plaintext_finding(
                config, ctx, key, &store, &listings, namespaced,
            ));
        }
        for s in entry.secrets() {
            checker.check(key, s);
        }
    }
    hub_findings(config, ctx, deep, out);

    if deep {
        for login in inventory_from(config, &listings, ctx.flavor).logins {
            let (Some(h), None) = (&login.helper, &login.error) else {
                continue;
            };
            match ctx
                .helper_for(h, config, Some(&login.registry))
                .get(&login.registry)
            {
                Ok(creds) => checker.check(&login.registry, &creds.secret),
                Err(e) if e.is_not_found() => {}
                Err(e) => out.push(get_failed(&login.registry, &e)),
            }
        }
    }
    out.extend(checker.out);
}

/// `--deep` could not read a login from its helper.
fn get_failed(registry: &str, e: &HelperError) -> Finding {
    finding(
        "helper-error",
        Severity::High,
        Some(registry),
        format!("{e}; docker cannot read this login either"),
        None,
    )
}

/// What docker does with an undecodable entry (seen with docker 28.2.2,
/// tests/fixloop.rs `undecodable_entry_poisons_docker_logins`): Go's decoder
/// stops at the first bad entry in map order, which is random, so the
/// file's logins after it are left undecoded. containers/image decodes only
/// the entry it looks up, so an auth.json is not poisoned.
fn undecodable_message(ctx: &Context, problem: &str) -> String {
    if ctx.is_containers() {
        format!("cannot decode the entry: {problem}; podman, skopeo and buildah fail every pull from this registry")
    } else {
        format!(
            "cannot decode the entry: {problem}; docker warns `Error parsing config file` on every command \
             and {} (it stops decoding at this entry, in random order: pulls fail with `no basic auth credentials`)",
            crate::logins::docker::UNDECODABLE_POISONS.trim_start_matches("docker ")
        )
    }
}

/// Docker Hub logins with the account password rather than a personal
/// access token, judged on the secret the client would send
/// (`resolve_in_config`, the resolver `get` uses): a stale file copy of a
/// registry whose store is a helper is not it. A helper's secret is read
/// only with `--deep`.
fn hub_findings(config: &Config, ctx: &Context, deep: bool, out: &mut Vec<Finding>) {
    let mut asked: std::collections::HashSet<String> = Default::default();
    for key in config.auth_keys() {
        let hub = if ctx.is_containers() {
            is_containers_hub(key)
        } else {
            registry::is_docker_hub(key)
        };
        if !hub {
            continue;
        }
        // Docker asks once for Hub (whichever key); podman per key.
        let wanted = if ctx.is_containers() {
            key.to_string()
        } else {
            registry::DOCKER_HUB_KEY.to_string()
        };
        if !asked.insert(wanted.clone()) {
            continue;
        }
        if store_in(config, &wanted, ctx.flavor).helper().is_some() && !deep {
            continue;
        }
        let Ok(Some(creds)) = crate::logins::resolve_in_config(config, ctx, &wanted) else {
            continue;
        };
        if is_hub_password(&creds.username, &creds.secret) {
            out.push(finding(
                "docker-hub-password",
                Severity::Medium,
                Some(&creds.server_url),
                "the Docker Hub login uses the account password, not a personal access token (dckr_pat_...)".into(),
                fix(ctx, &["login", "-u", "USER", "--password-stdin"], Some("with a token from Docker Hub's security settings")),
            ));
        }
    }
}

fn is_containers_hub(key: &str) -> bool {
    registry::containers_host(&registry::normalize_containers(key)) == registry::CONTAINERS_HUB_KEY
}

fn is_hub_password(user: &str, secret: &Secret) -> bool {
    user != crate::auth::TOKEN_USERNAME
        && !secret.expose().starts_with("dckr_pat_")
        && expiry(secret.expose()).is_none()
}

struct Expiry<'a> {
    ctx: &'a Context,
    now: i64,
    warn_secs: i64,
    out: Vec<Finding>,
}

impl Expiry<'_> {
    fn check(&mut self, key: &str, secret: &Secret) {
        let Some((kind, exp)) = expiry(secret.expose()) else {
            return;
        };
        let left = exp - self.now;
        let fix = logout_fix(self.ctx, key, Some("then log in again"));
        if left <= 0 {
            self.out.push(finding(
                "expired-token",
                Severity::High,
                Some(key),
                format!("the {} expired {} ago", kind.label(), token::human(left)),
                fix,
            ));
        } else if left < self.warn_secs {
            self.out.push(finding(
                "expiring-token",
                Severity::Medium,
                Some(key),
                format!("the {} expires in {}", kind.label(), token::human(left)),
                fix,
            ));
        }
    }
}
