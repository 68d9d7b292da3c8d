//! `dockercfg fix-perms`: config.json to 0600, its directory to 0700, and
//! under sudo, files root took over given back to the invoking user. Works
//! on a config whose JSON is broken: it is about the file, not its content.
//! The same rule holds for a containers auth.json (`--authfile`, `--podman`):
//! podman creates it 0600 in a 0700 directory. What it may change, as root
//! and through symlinks, is `perms`' rule; what it refuses is said on stderr
//! and makes the exit status 1.

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
    let plan = perms::plan(&ctx.config_path, "fix-perms")?;
    for n in &plan.notes {
        output::warn(n);
    }
    for r in &plan.refused {
        output::warn(r);
    }
    let refused = !plan.refused.is_empty();
    let changes = plan.changes;
    if changes.is_empty() {
        if !args.quiet && !refused {
            output::note(&format!("nothing to fix for {}", ctx.config_path.display()));
        }
        return Ok(if refused {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    if args.check {
        for c in &changes {
            println!("would change {}", output::escape(&c.to_string()));
        }
        return Ok(ExitCode::FAILURE);
    }
    perms::apply(&changes)?;
    if !args.quiet {
        for c in &changes {
            println!("{}", output::escape(&c.to_string()));
        }
    }
    Ok(if refused {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
