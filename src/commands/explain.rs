//! `dockercfg explain IMAGE_REF`: which credential a client would send for
//! an image, and why: the resolver's trace (`logins::resolve`), printed. The
//! rules themselves are docker's (`logins::docker`) or containers/image's
//! (`logins::containers`). It never prints a secret.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::auth::Kind;
use crate::cli::ExplainArgs;
use crate::config::Config;
use crate::context::Context;
use crate::logins::{self, Query, Step, Trace};
use crate::output;
use crate::reference::ImageRef;

/// What `explain --json` prints. The keys are a stable interface.
#[derive(Debug, Serialize)]
pub struct Explanation {
    /// The reference as given.
    pub reference: String,
    /// The registry `host[:port]` (`docker.io` for Docker Hub).
    pub registry: String,
    /// The repository path (`library/nginx`).
    pub repository: String,
    /// `docker` or `containers`: whose rules were applied.
    pub rules: &'static str,
    /// The key(s) looked up, in order.
    pub keys: Vec<String>,
    /// Where the credential comes from (`env`, `credHelpers`, `credsStore`,
    /// `file`), or null when none would be sent.
    pub source: Option<&'static str>,
    /// The entry or helper server key that answered.
    pub key: Option<String>,
    pub helper: Option<String>,
    /// The file that answered (file source), or null.
    pub file: Option<String>,
    pub username: Option<String>,
    pub kind: Kind,
    /// Every place looked at, in the client's order: `source` (`env`,
    /// `credHelpers`, `credsStore` or `file`), `outcome` (`used`,
    /// `not-found`, `error`, `passed-over` (configured, but an earlier rule
    /// wins), `not-configured`, or `not-consulted` (an earlier source
    /// answered)), `key`, `detail`.
    pub steps: Vec<Step>,
    /// What is wrong on the way, one line each.
    pub problems: Vec<String>,
}

impl Explanation {
    /// The trace for `image`, as `explain` shows it.
    pub fn new(reference: &str, image: &ImageRef, trace: Trace) -> Explanation {
        let answer = trace.answer;
        Explanation {
            reference: reference.to_string(),
            registry: image.domain.clone(),
            repository: image.path.clone(),
            rules: trace.rules,
            keys: trace.keys,
            source: answer
                .as_ref()
                .filter(|a| !a.empty)
                .map(|a| a.source.as_str()),
            key: answer.as_ref().map(|a| a.key.clone()),
            helper: answer.as_ref().and_then(|a| a.helper.clone()),
            file: answer
                .as_ref()
                .and_then(|a| a.file.as_ref())
                .map(|p| p.display().to_string()),
            username: answer.as_ref().and_then(|a| a.username.clone()),
            kind: answer.as_ref().map_or(Kind::None, |a| a.kind),
            steps: trace.steps,
            problems: trace.problems,
        }
    }
}

pub fn run(args: &ExplainArgs, ctx: &Context) -> Result<ExitCode> {
    let image = ImageRef::parse(args.reference.trim()).map_err(anyhow::Error::msg)?;
    let config = Config::load(&ctx.config_path)?;
    let trace = logins::trace(&Query::image(image.clone()), &config, ctx)?;
    let e = Explanation::new(&args.reference, &image, trace);
    if args.json {
        output::print_json(&e)?;
    } else {
        print_human(&e, ctx);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(e: &Explanation, ctx: &Context) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let answer = match e.source {
        Some(src) => {
            let via = e
                .helper
                .as_deref()
                .map(|h| format!(" (docker-credential-{h})"))
                .unwrap_or_default();
            format!(
                "{src}{via}, key {}, user {}",
                e.key.as_deref().unwrap_or("-"),
                e.username.as_deref().unwrap_or("-")
            )
        }
        None => "no credentials: the pull is anonymous".to_string(),
    };
    let esc = output::escape;
    let _ = writeln!(out, "reference   {}", esc(&e.reference));
    let _ = writeln!(out, "registry    {}", esc(&e.registry));
    let _ = writeln!(out, "repository  {}", esc(&e.repository));
    let _ = writeln!(out, "looked up   {}", esc(&e.keys.join(", ")));
    let _ = writeln!(out, "uses        {}", esc(&answer));
    let _ = writeln!(out);
    drop(out);
    let mut t = output::table(ctx, &["SOURCE", "OUTCOME", "KEY", "DETAIL"]);
    for s in &e.steps {
        t.add_row(vec![
            output::cell(s.source.as_str()),
            output::cell(s.outcome.as_str()),
            output::cell(s.key.as_deref().unwrap_or("-")),
            output::cell(&s.detail),
        ]);
    }
    output::print_table(&t);
    for p in &e.problems {
        output::warn(p);
    }
}
