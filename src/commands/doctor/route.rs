//! Step 2: the source that wins for a registry, and each one passed over:
//! the resolver's trace (`logins::trace`, the client's own order and key
//! matching), turned into checks. The helper a step asked is handed on to
//! step 3 with what it answered.

use super::report::{Check, Status, SOURCE};
use crate::config::Config;
use crate::context::Context;
use crate::envauth::EnvAuth;
use crate::helper::{GetDetails, HelperError};
use crate::logins::{self, Lookup, Outcome, Query, Source, Target, Trace};

/// A helper the trace asked, for step 3.
pub struct Asked<'t> {
    pub name: &'t str,
    pub server_url: &'t str,
    /// Named by credsStore (asked for every registry).
    pub store_wide: bool,
    /// What it answered in the trace: `None` when it gave a credential.
    pub error: Option<&'t HelperError>,
    /// The username it gave, when it gave a credential.
    pub username: Option<&'t str>,
    /// How that one call went (time, exit status, stderr): step 3 shows
    /// these, so the helper is asked once per registry, as the client asks.
    pub details: &'t GetDetails,
}

/// Walk the sources for `target` as the client does.
pub fn trace(
    target: Target,
    config: &Config,
    ctx: &Context,
    env: &EnvAuth,
) -> anyhow::Result<Trace> {
    let env = (!ctx.is_containers()).then(|| env.clone());
    let query = Query {
        target,
        lookup: Lookup::Client,
        env,
    };
    logins::trace(&query, config, ctx)
}

/// The source checks for `reg` from its trace, and the helpers it asked.
pub fn checks<'t>(reg: &str, t: &'t Trace, ctx: &Context) -> (Vec<Check>, Vec<Asked<'t>>) {
    let label = Some(reg);
    let mut out = Vec::new();
    let mut asked = Vec::new();
    let check = |status, message: String| Check::new(label, SOURCE, status, message);
    for s in &t.steps {
        let name = s.source.as_str();
        let key = s
            .key
            .as_deref()
            .map(|k| format!(" {k}"))
            .unwrap_or_default();
        if let Some(ask) = &s.helper {
            out.push(check(
                Status::Ok,
                format!(
                    "{name}{key} decides: the client asks {} for {}",
                    ask.program(),
                    ask.server_url
                ),
            ));
            asked.push(Asked {
                name: &ask.name,
                server_url: &ask.server_url,
                store_wide: s.source == Source::CredsStore,
                error: ask.error.as_ref(),
                username: ask.username.as_deref(),
                details: &ask.details,
            });
            continue;
        }
        match s.outcome {
            Outcome::NotConfigured => {}
            Outcome::Used => out.push(check(
                Status::Ok,
                format!("{name}{key} is used: {}", s.detail),
            )),
            Outcome::PassedOver | Outcome::NotConsulted => out.push(check(
                Status::Ok,
                format!("{name}{key} is passed over: {}", s.detail),
            )),
            Outcome::NotFound => out.push(check(Status::Ok, format!("{name}: {}", s.detail))),
            Outcome::Error => {
                let fix = match (&s.source, &s.key, &s.file) {
                    // An entry that cannot be decoded, in the file dockercfg works on.
                    (Source::File, Some(k), Some(f)) if *f == ctx.config_path => {
                        Some(ctx.command(&["logout", "--file-only", k]))
                    }
                    _ => None,
                };
                out.push(check(Status::Fail, format!("{name}{key}: {}", s.detail)).fix(fix));
            }
        }
    }
    for p in t.problems.iter().filter(|p| !covered_elsewhere(p, t)) {
        out.push(check(Status::Warn, p.clone()));
    }
    let sends = t
        .answer
        .as_ref()
        .is_some_and(|a| !a.empty && a.credentials.is_some());
    let failed = t.steps.iter().any(|s| s.outcome == Outcome::Error);
    if !sends && asked.is_empty() && !failed {
        let why = match &t.answer {
            Some(a) if a.empty => {
                format!("{} holds an empty entry for {}", a.source.as_str(), a.key)
            }
            Some(a) => format!(
                "{} holds nothing the client can send for {}",
                a.source.as_str(),
                a.key
            ),
            None => format!(
                "no source holds a login for {reg} (looked up as {})",
                t.keys.join(", ")
            ),
        };
        out.push(
            check(
                Status::Fail,
                format!("{why}: the client sends no credentials"),
            )
            .fix(Some(ctx.command(&["login", reg]))),
        );
    }
    (out, asked)
}

/// Problems another step reports with more to say: a helper's failure
/// (step 3), an expired token (step 5), an entry that cannot be decoded
/// (its step's error, and step 1).
fn covered_elsewhere(p: &str, t: &Trace) -> bool {
    t.failure.as_deref() == Some(p)
        || p.starts_with("docker-credential-")
        || p.starts_with("credential helper ")
        || p.contains("docker gets no credentials")
        || p.contains(" expired ")
        || p.contains("cannot be decoded")
}
