//! What every command needs to know about this run, resolved once in main.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::helper::HelperClient;

#[derive(Debug, Clone)]
pub struct Context {
    /// config.json as the user named it (resolved from --config,
    /// DOCKER_CONFIG or ~/.docker).
    pub config_path: PathBuf,
    pub helper_timeout: Duration,
    pub lock_timeout: Duration,
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// Colour on stdout: a terminal, and NO_COLOR unset or empty.
    pub color: bool,
}

impl Context {
    pub fn new(config_path: PathBuf, helper_timeout: Duration, lock_timeout: Duration) -> Self {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Context {
            config_path,
            helper_timeout,
            lock_timeout,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            color: stdout_is_terminal && !no_color,
        }
    }

    /// A client for helper `name` with this run's timeout.
    pub fn helper(&self, name: &str) -> HelperClient {
        HelperClient::new(name, self.helper_timeout)
    }
}
