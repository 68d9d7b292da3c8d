//! `dockercfg fix-perms`: config.json to 0600, its directory to 0700, and
//! under sudo, files root took over given back to the invoking user. Works
//! on a config whose JSON is broken: it is about the file, not its content.
//! The same rule holds for a containers auth.json (`--authfile`, `--podman`):
//! podman creates it 0600 in a 0700 directory.

use std::process::ExitCode;

use crate::cli::FixPermsArgs;
use crate::context::Context;
use crate::{output, perms};

pub fn run(args: &FixPermsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // A config.json (or auth.json) that is a FIFO or a device, or a link to
    // one, is not ours to chmod: /dev/null's mode belongs to the system.
    match std::fs::metadata(&ctx.config_path) {
        Ok(meta) if !meta.is_file() => anyhow::bail!(
            "{} is not a regular file; fix-perms changes nothing",
            ctx.config_path.display()
        ),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => anyhow::bail!(
            "cannot read {}: {}",
            ctx.config_path.display(),
            crate::config::describe_io(&e)
        ),
        _ => {}
    }
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
