//! `dockercfg version`: the version, the commit it was built from (when the
//! build knew it) and the target, as `docker version` and `gh version` say.

use std::process::ExitCode;

use serde::Serialize;

use crate::cli::VersionArgs;

/// What `version --json` prints. The keys are a stable interface.
#[derive(Debug, Serialize)]
pub struct Version {
    pub version: &'static str,
    pub commit: Option<&'static str>,
    pub target: &'static str,
}

pub fn current() -> Version {
    Version {
        version: env!("CARGO_PKG_VERSION"),
        commit: option_env!("DOCKERCFG_COMMIT"),
        target: env!("DOCKERCFG_TARGET"),
    }
}

pub fn run(args: &VersionArgs) -> anyhow::Result<ExitCode> {
    let v = current();
    if args.json {
        crate::output::print_json(&v)?;
    } else {
        let commit = v.commit.map(|c| format!(" ({c})")).unwrap_or_default();
        println!("dockercfg {}{commit} {}", v.version, v.target);
    }
    Ok(ExitCode::SUCCESS)
}
