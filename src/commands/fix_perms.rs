//! `dockercfg fix-perms`: config.json to 0600, its directory to 0700, and
//! under sudo, files root took over given back to the invoking user. Works
//! on a config whose JSON is broken: it is about the file, not its content.

use std::process::ExitCode;

use crate::cli::FixPermsArgs;
use crate::context::Context;
use crate::{output, perms};

pub fn run(args: &FixPermsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let changes = perms::plan(&ctx.config_path)?;
    if changes.is_empty() {
        if !args.quiet {
            output::note(&format!("nothing to fix for {}", ctx.config_path.display()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        for c in &changes {
            println!("would change {c}");
        }
        return Ok(ExitCode::FAILURE);
    }
    perms::apply(&changes)?;
    if !args.quiet {
        for c in &changes {
            println!("{c}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
