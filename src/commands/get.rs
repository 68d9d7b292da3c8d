//! `dockercfg get REGISTRY`: the credentials for a registry, as the helper
//! protocol's JSON: the resolver's answer (`logins::resolve`). The one command made to
//! print a secret: to a terminal it needs `--reveal`, so a secret is not left
//! on screen by accident; `--username` prints only the user.

use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};

use crate::cli::GetArgs;
use crate::config::Config;
use crate::context::Context;
use crate::logins::resolve::resolve;
use crate::output;
use crate::registry::normalize;

pub fn run(args: &GetArgs, ctx: &Context) -> Result<ExitCode> {
    let config = Config::load(&ctx.config_path)?;
    let name = normalize(&args.registry);
    let trace = resolve(&config, ctx, &args.registry)?;
    for w in &trace.warnings {
        output::warn(w);
    }
    let creds = trace
        .into_credentials()?
        .ok_or_else(|| anyhow!("not logged in to {name}"))?;
    if args.username {
        // Exact bytes for a script; a terminal is shown control characters
        // escaped (a username may come from a file or a helper).
        if ctx.stdout_is_terminal {
            println!("{}", output::escape(&creds.username));
        } else {
            println!("{}", creds.username);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !creds.secret.is_text() {
        bail!(
            "the password for {name} is not UTF-8 text, which the helper protocol's JSON cannot \
             carry unchanged; `dockercfg export` writes it exactly"
        );
    }
    if ctx.stdout_is_terminal && !args.reveal {
        bail!("this prints a secret: pass --reveal to show it on the terminal, or send it to a pipe or file");
    }
    let json = zeroize::Zeroizing::new(
        serde_json::json!({
            "ServerURL": creds.server_url,
            "Username": creds.username,
            "Secret": creds.secret.expose(),
        })
        .to_string(),
    );
    println!("{}", json.as_str());
    Ok(ExitCode::SUCCESS)
}
