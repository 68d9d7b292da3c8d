//! dockercfg: audit and manage the Docker client's credential file.
//!
//! The library holds everything; `main.rs` only parses arguments and maps
//! errors to exit codes. `config` reads and edits config.json without losing
//! a byte and owns the only write path; `helper` is the only code that runs
//! credential helpers; `logins` is the domain (the one resolver and its
//! trace, the inventory of logins, where a secret lives, token expiry,
//! severities); `commands` has one thin module per subcommand over it, and
//! `output` renders results. ARCHITECTURE.md draws the layers.
pub mod auth;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod config;
pub mod context;
pub mod envauth;
pub mod generate;
pub mod health;
pub mod helper;
pub mod hints;
pub mod jsonkey;
pub mod layout;
pub mod logins;
pub mod output;
pub mod perms;
pub mod reference;
pub mod registry;
pub mod secret;
pub mod shell;
pub mod template;
pub mod transfer;
pub mod verify;

pub use context::Context;
pub use secret::Secret;

/// A command line that clap accepted but that does not make sense (a bad
/// registry name, a flag that does not fit the file): main exits 2 for it,
/// as for clap's own usage errors. Raise it with `anyhow::Error::new`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// `Err(UsageError(msg))` as an `anyhow::Result`.
pub fn usage<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(anyhow::Error::new(UsageError(msg.into())))
}
