//! What every command needs to know about this run, resolved once in main.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::helper::HelperClient;

/// Which kind of credential file this run works on. The `auths` format is
/// the same; the rules around it differ (containers-auth.json(5),
/// containers/image pkg/docker/config):
///
/// - `Docker`: `~/.docker/config.json`. Keys are `host[:port]` (Docker Hub:
///   `https://index.docker.io/v1/`); `credHelpers`, then `credsStore`.
/// - `Containers`: podman, skopeo and buildah's `auth.json`. Keys may be
///   namespaced (`quay.io/org/repo`, each its own login; Docker Hub is
///   `docker.io`); `credHelpers` is honoured, `credsStore` is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavor {
    #[default]
    Docker,
    Containers,
}

#[derive(Debug, Clone)]
pub struct Context {
    /// The credential file as the user named it (resolved from --config,
    /// DOCKER_CONFIG or ~/.docker; or --authfile / --podman).
    pub config_path: PathBuf,
    /// Docker's config.json or a containers auth.json.
    pub flavor: Flavor,
    pub helper_timeout: Duration,
    pub lock_timeout: Duration,
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// Colour on stdout: a terminal, and NO_COLOR unset or empty.
    pub color: bool,
    /// The terminal's width in columns when stdout is a terminal; None on
    /// a pipe (tables then keep their stable, unwrapped form).
    pub width: Option<usize>,
    /// How to run dockercfg on this same file, for commands shown to the
    /// user (audit's fixes), unquoted: `dockercfg`, or with the global
    /// option that chose the file (`dockercfg --config DIR`). See
    /// [`Context::command`].
    pub invocation: Vec<String>,
}

impl Context {
    /// A context for a Docker config.json; see [`Context::with_flavor`].
    pub fn new(config_path: PathBuf, helper_timeout: Duration, lock_timeout: Duration) -> Self {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Context {
            config_path,
            flavor: Flavor::Docker,
            helper_timeout,
            lock_timeout,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            color: stdout_is_terminal && !no_color,
            width: stdout_is_terminal.then(|| terminal_width(false)),
            invocation: vec!["dockercfg".into()],
        }
    }

    /// The same context, shown to the user as run with `option` (the global
    /// option that chose the file and its value, as separate words).
    pub fn with_invocation(mut self, option: Vec<String>) -> Self {
        self.invocation = std::iter::once("dockercfg".to_string())
            .chain(option)
            .collect();
        self
    }

    /// The command line that runs dockercfg with `args` on this run's file,
    /// every word quoted for a POSIX shell (`dockercfg --config '/my dir'
    /// logout 'x.io; y'`): what to print for the user to run.
    pub fn command<S: AsRef<str>>(&self, args: &[S]) -> String {
        let words: Vec<&str> = self
            .invocation
            .iter()
            .map(String::as_str)
            .chain(args.iter().map(AsRef::as_ref))
            .collect();
        crate::shell::command(&words)
    }

    /// The same context for a file of `flavor`.
    pub fn with_flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// Whether the file is a containers auth.json (podman, skopeo, buildah).
    pub fn is_containers(&self) -> bool {
        self.flavor == Flavor::Containers
    }

    /// The file's name for messages: `config.json` or `auth.json`.
    pub fn file_label(&self) -> &'static str {
        match self.flavor {
            Flavor::Docker => "config.json",
            Flavor::Containers => "auth.json",
        }
    }

    /// A client for helper `name` with this run's timeout.
    pub fn helper(&self, name: &str) -> HelperClient {
        HelperClient::new(name, self.helper_timeout)
    }

    /// A client for helper `name` about `registry` (every registry when
    /// `None`) that cuts the secrets `config` holds for it out of the
    /// helper's messages.
    pub fn helper_for(
        &self,
        name: &str,
        config: &crate::config::Config,
        registry: Option<&str>,
    ) -> HelperClient {
        self.helper(name)
            .redacting(crate::logins::store::file_secrets(config, registry))
    }
}

/// The width of the terminal on stdout (on stderr when `stderr`), asked of
/// the terminal itself (TIOCGWINSZ), as `ls` and `git` do; 80 when it will
/// not say.
pub(crate) fn terminal_width(stderr: bool) -> usize {
    #[cfg(unix)]
    {
        let fd = if stderr {
            libc::STDERR_FILENO
        } else {
            libc::STDOUT_FILENO
        };
        // SAFETY: TIOCGWINSZ writes one winsize into the struct we own.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 {
            return usize::from(ws.ws_col);
        }
    }
    #[cfg(not(unix))]
    let _ = stderr;
    80
}
