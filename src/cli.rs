//! The command line: clap derive types and help texts only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  failure (for `audit` and `fix-perms --check`: findings)
  2  usage error";

#[derive(Debug, Parser)]
#[command(
    name = "dockercfg",
    version,
    about = "Audit and manage the Docker client's credential file (~/.docker/config.json)",
    long_about = "Audit and manage the Docker client's credential file (~/.docker/config.json).\n\n\
        dockercfg lists the registries you are logged in to and where each secret really \
        lives (plaintext in the file, a keychain, a per-registry helper). It keeps every key \
        and byte of the file it does not need to change, locks against concurrent writers and \
        never prints a secret unless a command made for that is asked to.",
    after_help = EXIT_CODES,
)]
pub struct Cli {
    /// Directory holding config.json (as `docker --config`), or a path to a .json file
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Seconds to wait for a credential helper before giving up
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        env = "DOCKERCFG_HELPER_TIMEOUT",
        default_value = "30",
        value_parser = parse_seconds
    )]
    pub helper_timeout: f64,

    /// Seconds to wait for another dockercfg to finish writing the file
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        env = "DOCKERCFG_LOCK_TIMEOUT",
        default_value = "10",
        value_parser = parse_seconds
    )]
    pub lock_timeout: f64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every registry you are logged in to, and where each secret lives
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Log in to a registry (Docker Hub if none), storing the secret where docker would
    Login(LoginArgs),
    /// Log out of registries: remove their logins from config.json and from helpers
    Logout(LogoutArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print a JSON array: registry, username, source, helper, kind, error
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  echo \"$TOKEN\" | dockercfg login -u me --password-stdin ghcr.io\n  dockercfg login                # Docker Hub, prompts on a terminal"
)]
pub struct LoginArgs {
    /// Registry host[:port]; docker.io and its aliases mean Docker Hub
    pub registry: Option<String>,
    /// Username
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password or token (insecure: visible to other users; prefer --password-stdin)
    #[arg(short, long)]
    pub password: Option<String>,
    /// Read the password or token from one line of stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Store without asking the registry whether the credentials work
    #[arg(long)]
    pub no_verify: bool,
    /// Allow plain HTTP and unverified TLS when verifying
    #[arg(long)]
    pub insecure: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dockercfg logout docker.io ghcr.io\n  dockercfg logout --match '*.dkr.ecr.*.amazonaws.com'\n  dockercfg logout --all --dry-run"
)]
pub struct LogoutArgs {
    /// Registries to log out of (default: Docker Hub)
    pub registries: Vec<String>,
    /// Log out of every login that `list` shows
    #[arg(long, conflicts_with = "registries")]
    pub all: bool,
    /// Log out of every login whose registry matches this glob (repeatable)
    #[arg(long = "match", value_name = "GLOB")]
    pub matches: Vec<String>,
    /// Show what would be removed, change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print a JSON array of the logins removed
    #[arg(long)]
    pub json: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of seconds between 0 and 86400"
        )),
    }
}
