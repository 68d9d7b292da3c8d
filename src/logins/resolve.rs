//! The one resolver: which credentials a client would use for a registry or
//! an image, and the trace of every source it tried on the way.
//!
//! A [`Query`] names what is looked up (an image reference, or a registry in
//! any spelling) and how keys are matched ([`Lookup`]); [`trace`] walks the
//! sources by the rules of the file's flavor ([`super::rules`](mod@super::rules): docker's
//! order is DOCKER_AUTH_CONFIG, credHelpers, credsStore, the file;
//! containers/image's is credHelpers, the auth.json keys most specific
//! first, then podman's fallback files) and returns a [`Trace`]: the
//! [`Answer`], each [`Step`] (source, key, outcome, detail, and the helper
//! asked with its raw error), the problems seen, and the warnings a command
//! should print. `get`, `export`, `exec` and `sync` use the answer, `explain`
//! prints the trace, `doctor` diagnoses it. Helpers are asked with `get` (as
//! the client would); nothing here prints, and a secret never reaches a
//! step, a problem or a warning.

use std::path::PathBuf;

use anyhow::{anyhow, Result};
use serde::{Serialize, Serializer};

use crate::auth::{AuthEntry, Kind};
use crate::config::Config;
use crate::context::Context;
use crate::envauth::EnvAuth;
use crate::helper::{Credentials, GetDetails, GetReport, HelperError};
use crate::reference::ImageRef;
use crate::Secret;

/// What is looked up.
#[derive(Debug, Clone)]
pub enum Target {
    /// An image reference: the registry and repository a pull or push uses.
    Image(ImageRef),
    /// A registry (or, for a containers auth.json, a namespace or
    /// repository key), spelled as the user or a file spells it.
    Registry(String),
}

/// How keys are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly as the client does: docker's exact key (then the file's
    /// host-only keys), containers/image's keys most specific first (then
    /// the keys whose host is the registry), and podman's fallback files
    /// after its default auth.json. What `explain` shows.
    Client,
    /// Any spelling of the registry, dockercfg's own lookup for commands
    /// given a registry name (`get`, `export`, `exec`, `sync`): keys are
    /// compared normalised, a helper is asked by the file's key and then by
    /// the keys its `list` gives for the registry, and only the named file
    /// is read.
    AnySpelling,
}

/// One lookup: what, how, and with which `DOCKER_AUTH_CONFIG`.
#[derive(Debug, Clone)]
pub struct Query {
    pub target: Target,
    pub lookup: Lookup,
    /// `DOCKER_AUTH_CONFIG` as docker reads it, in front of every other
    /// source; `None`: the config's own sources only. containers/image never
    /// reads it.
    pub env: Option<EnvAuth>,
}

impl Query {
    /// What the client would send for `image`: client lookup, with this
    /// process's `DOCKER_AUTH_CONFIG`.
    pub fn image(image: ImageRef) -> Query {
        Query {
            target: Target::Image(image),
            lookup: Lookup::Client,
            env: Some(EnvAuth::from_env()),
        }
    }

    /// The credentials held for `registry` in any spelling, with this
    /// process's `DOCKER_AUTH_CONFIG`.
    pub fn registry(registry: &str) -> Query {
        Query {
            target: Target::Registry(registry.to_string()),
            lookup: Lookup::AnySpelling,
            env: Some(EnvAuth::from_env()),
        }
    }

    /// The same query with `env` as `DOCKER_AUTH_CONFIG` (`None`: not read).
    pub fn with_env(mut self, env: Option<EnvAuth>) -> Query {
        self.env = env;
        self
    }

    /// The same query with keys matched by `lookup`.
    pub fn with_lookup(mut self, lookup: Lookup) -> Query {
        self.lookup = lookup;
        self
    }
}

/// A place the client looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `DOCKER_AUTH_CONFIG`.
    Env,
    /// A helper named by `credHelpers` for the registry.
    CredHelpers,
    /// The `credsStore` helper.
    CredsStore,
    /// An `auths` entry in a file.
    File,
}

impl Source {
    /// `env`, `credHelpers`, `credsStore` or `file`: the names of
    /// `explain --json` and `list --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Env => "env",
            Source::CredHelpers => "credHelpers",
            Source::CredsStore => "credsStore",
            Source::File => "file",
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What happened at one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// This source answered: its credential is the one sent.
    Used,
    /// Asked, and it holds nothing for the key.
    NotFound,
    /// Asked, and it failed (a helper error, an entry that cannot be
    /// decoded, a file that cannot be read, an undecodable variable).
    Error,
    /// Configured, but an earlier rule decides for this registry.
    PassedOver,
    /// Not configured for this registry.
    NotConfigured,
    /// Not looked at: an earlier source answered.
    NotConsulted,
}

impl Outcome {
    /// `used`, `not-found`, `error`, `passed-over`, `not-configured`,
    /// `not-consulted`: the names of `explain --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Used => "used",
            Outcome::NotFound => "not-found",
            Outcome::Error => "error",
            Outcome::PassedOver => "passed-over",
            Outcome::NotConfigured => "not-configured",
            Outcome::NotConsulted => "not-consulted",
        }
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A helper asked at a step: its name, the server URL it was asked for,
/// and its error when it failed or held nothing (the raw error, for a
/// diagnosis), with how the call went: `doctor` shows these rather than
/// asking the helper again.
#[derive(Debug)]
pub struct HelperAsk {
    /// The helper's name (`pass`; the program is `docker-credential-pass`).
    pub name: String,
    /// What was written to its stdin for `get`.
    pub server_url: String,
    /// `None` when it answered.
    pub error: Option<HelperError>,
    /// The username it answered with (`<token>` for an identity token).
    pub username: Option<String>,
    /// Time taken, exit status, stderr (secrets cut out).
    pub details: GetDetails,
}

impl HelperAsk {
    /// `docker-credential-<name>`.
    pub fn program(&self) -> String {
        crate::helper::program_name(&self.name)
    }
}

/// One place looked at. Serialises as `explain --json`'s step
/// (`source`, `outcome`, `key`, `detail`).
#[derive(Debug, Serialize)]
pub struct Step {
    pub source: Source,
    pub outcome: Outcome,
    /// The key looked up or found, if one applies.
    pub key: Option<String>,
    /// One line for a person; never a secret.
    pub detail: String,
    /// The helper asked at this step, if one was.
    #[serde(skip)]
    pub helper: Option<HelperAsk>,
    /// The file this step read, if it read one.
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl Step {
    pub(crate) fn new(source: Source, outcome: Outcome, key: Option<&str>, detail: String) -> Step {
        Step {
            source,
            outcome,
            key: key.map(str::to_string),
            detail,
            helper: None,
            file: None,
        }
    }

    pub(crate) fn in_file(mut self, path: &std::path::Path) -> Step {
        self.file = Some(path.to_path_buf());
        self
    }
}

/// The source that decides, described without its secret.
#[derive(Debug)]
pub struct Answer {
    pub source: Source,
    /// The entry key, or the server URL the helper answered for.
    pub key: String,
    pub helper: Option<String>,
    /// The file that answered (file source).
    pub file: Option<PathBuf>,
    /// The user, when the entry or the helper names one (not for an
    /// identity token from a helper).
    pub username: Option<String>,
    pub kind: Kind,
    /// The source decides but holds an empty entry (DOCKER_AUTH_CONFIG):
    /// the client sends nothing and looks nowhere else.
    pub empty: bool,
    /// What is sent, as the helper protocol carries it; `None` when the
    /// entry holds nothing the protocol can carry (empty, a registry token
    /// alone).
    pub credentials: Option<Credentials>,
}

/// The walk for one query.
#[derive(Debug)]
pub struct Trace {
    /// `docker` or `containers`: whose rules were applied.
    pub rules: &'static str,
    /// The key(s) looked up, in order.
    pub keys: Vec<String>,
    /// The source that decides, if any.
    pub answer: Option<Answer>,
    /// Every place looked at, in the client's order.
    pub steps: Vec<Step>,
    /// What is wrong on the way, one line each (what `explain` prints).
    pub problems: Vec<String>,
    /// What a command that does not print the problems should still say on
    /// stderr (DOCKER_AUTH_CONFIG cannot be decoded, so it is ignored).
    pub warnings: Vec<String>,
    /// Why the client gets no credentials because something failed, as
    /// `get` reports it: a helper's error, an entry that cannot be decoded.
    pub failure: Option<String>,
    /// Only the answer, its failure and the warnings are wanted
    /// ([`Detail::Answer`]): steps and problems are not written down.
    quiet: bool,
}

/// How much of the walk a caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every step and problem: `explain`, `doctor`.
    Full,
    /// The answer, the failure and the warnings only: `get`, `export`,
    /// `exec`, `sync`. Describing each step (a few strings per login) was a
    /// third of an `export --all` (#17).
    Answer,
}

impl Trace {
    pub(crate) fn new(rules: &'static str, keys: Vec<String>) -> Trace {
        Trace {
            rules,
            keys,
            answer: None,
            steps: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            failure: None,
            quiet: false,
        }
    }

    /// The trace for a walk with `detail`.
    pub(crate) fn with_detail(mut self, detail: Detail) -> Trace {
        self.quiet = detail == Detail::Answer;
        self
    }

    /// Write down a step, unless only the answer is wanted (then `step` is
    /// not even described).
    pub(crate) fn step(&mut self, step: impl FnOnce() -> Step) {
        if !self.quiet {
            self.steps.push(step());
        }
    }

    /// Write down a problem, unless only the answer is wanted.
    pub(crate) fn problem(&mut self, problem: impl FnOnce() -> String) {
        if !self.quiet {
            self.problems.push(problem());
        }
    }

    /// Whether steps and problems are written down.
    pub(crate) fn detailed(&self) -> bool {
        !self.quiet
    }

    /// The credentials the client sends, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.answer.as_ref()?.credentials.as_ref()
    }

    /// The answer's credentials; the failure as an error when nothing
    /// answered because a helper failed or an entry cannot be decoded.
    pub fn into_credentials(self) -> Result<Option<Credentials>> {
        if let Some(c) = self.answer.and_then(|a| a.credentials) {
            return Ok(Some(c));
        }
        match self.failure {
            Some(f) => Err(anyhow!(f)),
            None => Ok(None),
        }
    }

    /// The step whose helper failed or held nothing, with its error: what
    /// `doctor` diagnoses.
    pub fn helper_errors(&self) -> impl Iterator<Item = (&Step, &HelperAsk, &HelperError)> {
        self.steps.iter().filter_map(|s| {
            let ask = s.helper.as_ref()?;
            Some((s, ask, ask.error.as_ref()?))
        })
    }
}

/// Walk the sources for `query` in `config` by the rules of `ctx.flavor`.
/// Errors only for a query the rules refuse (a containers key with a tag or
/// digest); everything that goes wrong on the way is in the trace.
pub fn trace(query: &Query, config: &Config, ctx: &Context) -> Result<Trace> {
    super::rules(ctx.flavor).walk(query, config, ctx, Detail::Full)
}

/// [`trace`] for a caller that uses only the answer, the failure and the
/// warnings: the trace's `steps` and `problems` are not all written down
/// (the file's steps and the problems found on the way are left out).
pub fn answer(query: &Query, config: &Config, ctx: &Context) -> Result<Trace> {
    super::rules(ctx.flavor).walk(query, config, ctx, Detail::Answer)
}

/// The credentials a client would use for `registry` (any spelling):
/// `DOCKER_AUTH_CONFIG` first for docker (exact key, as docker/cli looks it
/// up), then the store the config names. The trace's `warnings` are for the
/// caller to print; [`Trace::into_credentials`] gives the answer.
pub fn resolve(config: &Config, ctx: &Context, registry: &str) -> Result<Trace> {
    let env = (!ctx.is_containers()).then(EnvAuth::from_env);
    resolve_with_env(config, ctx, registry, env)
}

/// [`resolve`] with `env` as `DOCKER_AUTH_CONFIG` (read once by a caller
/// resolving many registries; `None` for a containers auth.json).
pub fn resolve_with_env(
    config: &Config,
    ctx: &Context,
    registry: &str,
    env: Option<EnvAuth>,
) -> Result<Trace> {
    let query = Query {
        target: Target::Registry(registry.to_string()),
        lookup: Lookup::AnySpelling,
        env,
    };
    answer(&query, config, ctx)
}

/// `resolve` without `DOCKER_AUTH_CONFIG`: the config's own store.
pub fn resolve_in_config(
    config: &Config,
    ctx: &Context,
    registry: &str,
) -> Result<Option<Credentials>> {
    resolve_with_env(config, ctx, registry, None)?.into_credentials()
}

/// A decoded entry as the protocol's credentials: an identity token goes
/// as username `<token>`, as docker stores it in helpers.
pub fn credentials_of(key: String, entry: &AuthEntry) -> Option<Credentials> {
    let (username, secret) = match (&entry.identity_token, &entry.username, &entry.password) {
        (Some(t), _, _) => (crate::auth::TOKEN_USERNAME.to_string(), t.clone()),
        (None, Some(u), Some(p)) => (u.clone(), p.clone()),
        _ => return None,
    };
    Some(Credentials {
        server_url: key,
        username,
        secret: secret.clone(),
    })
}

/// docker's (and containers/image's) file form of a credential:
/// `{"auth": base64(user:password)}`, or `{"identitytoken": T}` for an
/// identity token (username `<token>` in a helper).
pub fn file_entry(c: &Credentials) -> serde_json::Value {
    let (field, value) = file_field(c);
    serde_json::json!({ field: value })
}

/// [`file_entry`]'s one member, (`auth` or `identitytoken`, its value),
/// for a caller that writes it out without building a JSON value.
pub fn file_field(c: &Credentials) -> (&'static str, String) {
    if c.username == crate::auth::TOKEN_USERNAME {
        ("identitytoken", c.secret.expose().to_string())
    } else {
        ("auth", crate::auth::encode_auth(&c.username, &c.secret))
    }
}

// ---------------------------------------------------------------------------
// Shared by both walkers.

/// The user an entry names, as `explain` shows it: `<token>` only when an
/// identity token goes with it.
pub(crate) fn entry_user(entry: &AuthEntry) -> Option<String> {
    entry
        .username
        .clone()
        .filter(|u| u != crate::auth::TOKEN_USERNAME || entry.identity_token.is_some())
}

/// Problems for each secret of `entry` that has expired.
pub(crate) fn check_secrets(entry: &AuthEntry, key: &str, problems: &mut Vec<String>) {
    for s in entry.secrets() {
        check_secret(s, key, problems);
    }
}

/// A problem if `secret` says it has expired.
pub(crate) fn check_secret(secret: &Secret, key: &str, problems: &mut Vec<String>) {
    if let Some((kind, exp)) = super::expiry::expiry(secret.expose()) {
        let left = exp - super::expiry::now();
        if left <= 0 {
            problems.push(format!(
                "the {} for {key} expired {} ago: the registry will refuse it",
                kind.label(),
                super::expiry::human(left)
            ));
        }
    }
}

/// An entry's answer from a file (or DOCKER_AUTH_CONFIG).
pub(crate) fn entry_answer(
    source: Source,
    key: &str,
    entry: &AuthEntry,
    file: Option<PathBuf>,
) -> Answer {
    Answer {
        source,
        key: key.to_string(),
        helper: None,
        file,
        username: entry_user(entry),
        kind: entry.kind(),
        empty: false,
        credentials: credentials_of(key.to_string(), entry),
    }
}

/// Ask helper `name` for `server`, as the client does: the step, and the
/// answer when it has one. Not found and errors add a problem; an error
/// sets the trace's failure.
pub(crate) fn ask_helper(
    source: Source,
    name: &str,
    server: &str,
    ctx: &Context,
    config: &Config,
    t: &mut Trace,
) -> (Step, Option<Answer>) {
    let program = crate::helper::program_name(name);
    let GetReport { details, result } = ctx
        .helper_for(name, config, Some(server))
        .get_report(server);
    let asked = |error, username| HelperAsk {
        name: name.to_string(),
        server_url: server.to_string(),
        error,
        username,
        details,
    };
    match result {
        Ok(c) => {
            check_secret(&c.secret, server, &mut t.problems);
            let (username, kind) = if c.username == crate::auth::TOKEN_USERNAME {
                (None, Kind::IdentityToken)
            } else {
                (Some(c.username.clone()), Kind::Basic)
            };
            let mut step = Step::new(
                source,
                Outcome::Used,
                Some(server),
                format!("{program} holds {server}"),
            );
            step.helper = Some(asked(None, Some(c.username.clone())));
            let answer = Answer {
                source,
                key: server.to_string(),
                helper: Some(name.to_string()),
                file: None,
                username,
                kind,
                empty: false,
                credentials: Some(c),
            };
            (step, Some(answer))
        }
        Err(err @ HelperError::NotFound { .. }) => {
            let mut step = Step::new(
                source,
                Outcome::NotFound,
                Some(server),
                format!("{program} has nothing for {server}"),
            );
            step.helper = Some(asked(Some(err), None));
            (step, None)
        }
        Err(err) => {
            t.problems
                .push(format!("{err}: docker gets no credentials for {server}"));
            t.failure = Some(err.to_string());
            let mut step = Step::new(source, Outcome::Error, Some(server), err.to_string());
            step.helper = Some(asked(Some(err), None));
            (step, None)
        }
    }
}

/// The problem when the one helper asked has nothing: the client sends no
/// credentials, whatever the file holds.
pub(crate) fn helper_has_nothing(name: &str, server: &str) -> String {
    format!(
        "{} has no credentials for {server}: docker sends none (it does not fall back to the file)",
        crate::helper::program_name(name)
    )
}
