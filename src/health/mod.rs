//! The health of the credential stores behind the helpers, probed the way
//! the helper itself would meet them: `pass` (gpg, the store's recipients,
//! a passphrase prompt with no terminal) and `secretservice` (a session
//! bus, a keyring answering, its collection unlocked). The other stores
//! are recognised and their known failure modes named.
//!
//! Every probe runs its tools through `helper::run_with_deadline` with the
//! helper timeout, and none reads a stored secret: pass's check decrypts a
//! probe it encrypted itself. What the probes find is data; `doctor`
//! decides how it looks.

mod pass;
mod secretservice;

pub use secretservice::session_bus_available;

use std::time::Duration;

use serde::Serialize;

use crate::hints::FixCommand;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Fails: the client will not get a credential this way.
    Fail,
    /// Works, but something is worth knowing (or could not be checked).
    Warn,
    Ok,
}

/// One finding about a store.
#[derive(Debug, Clone)]
pub struct Probe {
    pub status: Status,
    pub message: String,
    pub fix: Option<FixCommand>,
}

impl Probe {
    pub fn ok(message: impl Into<String>) -> Probe {
        Probe {
            status: Status::Ok,
            message: message.into(),
            fix: None,
        }
    }

    pub fn warn(message: impl Into<String>) -> Probe {
        Probe {
            status: Status::Warn,
            ..Probe::ok(message)
        }
    }

    pub fn fail(message: impl Into<String>) -> Probe {
        Probe {
            status: Status::Fail,
            ..Probe::ok(message)
        }
    }

    pub fn with_fix(mut self, fix: FixCommand) -> Probe {
        self.fix = Some(fix);
        self
    }
}

/// What the probes may use: the time each tool may take, and whether a
/// person could answer a prompt (a terminal on stdin).
#[derive(Debug, Clone, Copy)]
pub struct ProbeEnv {
    pub timeout: Duration,
    pub terminal: bool,
}

/// The health of the store behind helper `name` (as the config names it).
pub fn probe_store(name: &str, env: &ProbeEnv) -> Vec<Probe> {
    match name {
        "pass" => pass::probe(env),
        "secretservice" => secretservice::probe(env),
        "osxkeychain" => vec![Probe::ok(
            "the macOS login keychain; over SSH or while it is locked it fails with \
             \"User interaction is not allowed\" (unlock it with security unlock-keychain)",
        )],
        "wincred" => vec![Probe::ok(
            "Windows Credential Manager; over SSH or from a service it fails with \
             \"A specified logon session does not exist\"",
        )],
        "desktop" | "desktop.exe" => vec![Probe::ok(format!(
            "Docker Desktop's helper, which hands each call to the platform's keychain; \
             a config copied from a Desktop machine keeps it with no helper installed{}",
            if name == "desktop.exe" {
                "; in WSL it fails with \"Invalid argument\" when WSL interop or Desktop's integration is off"
            } else {
                ""
            }
        ))],
        "ecr-login" => vec![Probe::ok(
            "keeps no secrets; it makes a 12-hour token from your AWS credentials on each get",
        )],
        // No store check is known: the helper's answer to `get` is the test.
        _ => Vec::new(),
    }
}

/// Where `program` is on PATH, or why not, for a message.
fn tool(program: &str) -> Option<std::path::PathBuf> {
    crate::helper::find_program(program)
}

/// The first line of a tool's stderr, trimmed, for a message.
fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}
