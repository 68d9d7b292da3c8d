//! The client for `docker-credential-<name>` helpers, and the one place that
//! spawns them.
//!
//! Protocol (docker-credential-helpers): the action is the only argument;
//! `store` reads `{"ServerURL","Username","Secret"}` on stdin, `get` and
//! `erase` read the server URL, `list` prints `{"<url>":"<user>"}`, `version`
//! prints a string. Errors are a non-zero exit with the message on stdout
//! (some helpers use stderr). Secrets travel on stdin and stdout only, never
//! argv or the environment. Every call has a deadline: a hung helper (a
//! keyring waiting for an unlock prompt nobody sees) must not hang dockercfg.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::Secret;

/// The message helpers print when they hold nothing for a server.
pub const NOT_FOUND_MESSAGE: &str = "credentials not found in native keychain";

/// The most a helper may print before we stop reading: a helper that floods
/// stdout is broken, and memory is not the place to find out.
const MAX_OUTPUT: u64 = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum HelperError {
    #[error("credential helper {program} is not installed (not found on PATH)")]
    Missing { program: String },
    #[error("no credentials for {server} in {program}")]
    NotFound { program: String, server: String },
    #[error("{program} {action} timed out after {secs}s (see --helper-timeout)")]
    TimedOut {
        program: String,
        action: &'static str,
        secs: f64,
    },
    /// A known message gets its cause and fix on the same line (`hints`).
    #[error(
        "{program} {action} failed: {message}{}",
        crate::hints::one_line(helper_name(program), message)
    )]
    Failed {
        program: String,
        action: &'static str,
        message: String,
    },
    /// The helper keeps no secrets to erase: amazon-ecr-credential-helper
    /// answers `erase` with `not implemented` (exit 1).
    #[error("{program} does not implement erase (it keeps no secrets to erase)")]
    EraseUnsupported { program: String },
    #[error("{program} {action} gave an unusable answer: {detail}")]
    BadOutput {
        program: String,
        action: &'static str,
        detail: String,
    },
    #[error(
        "cannot run {program}: {detail}{}",
        crate::hints::one_line(helper_name(program), detail)
    )]
    Spawn { program: String, detail: String },
    /// The program is on PATH but exec says "not found": its `#!`
    /// interpreter (or an ELF binary's loader) is missing.
    #[error("{program} exists at {path} but cannot run: {detail}")]
    Unrunnable {
        program: String,
        path: String,
        detail: String,
    },
}

impl HelperError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, HelperError::NotFound { .. })
    }

    pub fn is_erase_unsupported(&self) -> bool {
        matches!(self, HelperError::EraseUnsupported { .. })
    }

    /// A short label for tables: what went wrong, without the details.
    pub fn label(&self) -> &'static str {
        match self {
            HelperError::Missing { .. } => "helper missing",
            HelperError::NotFound { .. } => "not in helper",
            HelperError::TimedOut { .. } => "helper timed out",
            _ => "helper failed",
        }
    }
}

/// A credential as the protocol carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub server_url: String,
    pub username: String,
    pub secret: Secret,
}

#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    #[serde(rename = "ServerURL", default)]
    server_url: std::borrow::Cow<'a, str>,
    #[serde(rename = "Username", default)]
    username: std::borrow::Cow<'a, str>,
    #[serde(rename = "Secret", default)]
    secret: std::borrow::Cow<'a, str>,
}

/// A client for one helper.
#[derive(Debug, Clone)]
pub struct HelperClient {
    name: String,
    timeout: Duration,
    /// Secrets dockercfg holds that this helper's messages must not show
    /// (the file's for the registries asked about); see [`Self::redacting`].
    known: Vec<Secret>,
}

impl HelperClient {
    /// `name` is what the config says (`pass`), not the program name.
    pub fn new(name: &str, timeout: Duration) -> Self {
        HelperClient {
            name: name.to_string(),
            timeout,
            known: Vec::new(),
        }
    }

    /// The same client, with `secrets` cut out of any message it passes on
    /// from the helper (besides the secret it sends with `store`, which is
    /// always cut): a helper's failure text may quote a secret it was given
    /// earlier ("last secret was X") without a `"Secret"` field around it.
    pub fn redacting(mut self, secrets: impl IntoIterator<Item = Secret>) -> Self {
        self.known
            .extend(secrets.into_iter().filter(|s| !s.is_empty()));
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `docker-credential-<name>`.
    pub fn program(&self) -> String {
        program_name(&self.name)
    }

    pub fn store(&self, creds: &Credentials) -> Result<(), HelperError> {
        let body = Zeroizing::new(
            serde_json::to_vec(&Wire {
                server_url: creds.server_url.as_str().into(),
                username: creds.username.as_str().into(),
                secret: creds.secret.expose().into(),
            })
            .expect("serialises"),
        );
        self.call("store", &body, Some(&creds.secret)).map(|_| ())
    }

    /// The credentials stored for `server`. An empty username and secret
    /// with exit 0 counts as not found (Debian's docker-credential-pass 0.6.4
    /// answers so for unknown servers).
    pub fn get(&self, server: &str) -> Result<Credentials, HelperError> {
        let out = self
            .call("get", server.as_bytes(), None)
            .map_err(|e| match e {
                HelperError::Failed { message, .. } if is_not_found_message(&message) => {
                    self.not_found(server)
                }
                e => e,
            })?;
        parse_get_output(&out)
            .map_err(|detail| self.bad("get", detail))?
            .ok_or_else(|| self.not_found(server))
    }

    /// Erase `server`'s credentials. Not found is reported as such, so a
    /// caller that only wants them gone can accept it.
    pub fn erase(&self, server: &str) -> Result<(), HelperError> {
        match self.call("erase", server.as_bytes(), None) {
            Ok(_) => Ok(()),
            Err(HelperError::Failed { message, .. }) if is_not_found_message(&message) => {
                Err(self.not_found(server))
            }
            Err(HelperError::Failed { message, .. })
                if message.trim().eq_ignore_ascii_case("not implemented") =>
            {
                Err(HelperError::EraseUnsupported {
                    program: self.program(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Every server the helper holds, with its username, sorted by server.
    pub fn list(&self) -> Result<BTreeMap<String, String>, HelperError> {
        let out = self.call("list", b"", None)?;
        parse_list_output(&out).map_err(|detail| self.bad("list", detail))
    }

    pub fn version(&self) -> Result<String, HelperError> {
        let out = self.call("version", b"", None)?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    fn not_found(&self, server: &str) -> HelperError {
        HelperError::NotFound {
            program: self.program(),
            server: server.to_string(),
        }
    }

    fn bad(&self, action: &'static str, detail: &str) -> HelperError {
        HelperError::BadOutput {
            program: self.program(),
            action,
            detail: detail.to_string(),
        }
    }

    /// Run the helper with `action`, feed it `input`, and return its stdout.
    /// `secret`, if given, is scrubbed from any message we pass on.
    fn call(
        &self,
        action: &'static str,
        input: &[u8],
        secret: Option<&Secret>,
    ) -> Result<Zeroizing<Vec<u8>>, HelperError> {
        let out = self.call_raw(action, input)?;
        if !out.status.success() {
            let secrets: Vec<&Secret> = secret.into_iter().chain(&self.known).collect();
            let message = failure_message(&out.stdout, &out.stderr, out.status, &secrets);
            return Err(HelperError::Failed {
                program: self.program(),
                action,
                message,
            });
        }
        Ok(out.stdout)
    }

    /// Run the helper with `action` and `input` under the timeout: what it
    /// printed and how it ended, whatever the exit status.
    fn call_raw(&self, action: &'static str, input: &[u8]) -> Result<RawOutput, HelperError> {
        let program = self.program();
        // On Windows, find the file ourselves (PATH x PATHEXT, as docker's Go
        // does): std's own search would also look beside dockercfg.exe and
        // in the system directories, and only for `.exe`.
        #[cfg(windows)]
        let exe = find_program(&program).ok_or_else(|| HelperError::Missing {
            program: program.clone(),
        })?;
        #[cfg(not(windows))]
        let exe = &program;
        let mut cmd = Command::new(exe);
        cmd.arg(action);
        run_with_deadline(&mut cmd, input, self.timeout).map_err(|e| match e {
            RunError::NotFound => match find_program(&program) {
                // exec gives ENOENT for a file that exists when its
                // interpreter does not (`#!/nonexistent/python`).
                Some(path) => HelperError::Unrunnable {
                    program: program.clone(),
                    detail: why_not_runnable(&path),
                    path: path.display().to_string(),
                },
                None => HelperError::Missing {
                    program: program.clone(),
                },
            },
            RunError::Spawn(detail) => HelperError::Spawn {
                program: program.clone(),
                detail,
            },
            RunError::TimedOut => HelperError::TimedOut {
                program: program.clone(),
                action,
                secs: self.timeout.as_secs_f64(),
            },
            RunError::TooMuch => self.bad(action, "more than 16 MiB of output"),
        })
    }

    /// `get` for `server`, with everything a diagnosis needs: how long it
    /// took, the exit status, what it said on stderr (secrets cut out), and
    /// whether "nothing" was an empty answer with exit 0 rather than the
    /// protocol's not-found message. The result is what [`Self::get`] gives,
    /// so the resolver asks this way and `doctor` reads the details off its
    /// trace instead of asking the helper a second time.
    pub fn get_report(&self, server: &str) -> GetReport {
        let started = Instant::now();
        let raw = self.call_raw("get", server.as_bytes());
        let mut details = GetDetails {
            elapsed: started.elapsed(),
            ..GetDetails::default()
        };
        let out = match raw {
            Ok(out) => out,
            Err(e) => {
                return GetReport {
                    details,
                    result: Err(e),
                }
            }
        };
        // What stdout holds on success is the credential: its secret must
        // not show in stderr's text either.
        let parsed = out.status.success().then(|| parse_get_output(&out.stdout));
        let answered: Option<&Secret> = match &parsed {
            Some(Ok(Some(c))) => Some(&c.secret),
            _ => None,
        };
        let secrets: Vec<&Secret> = answered.into_iter().chain(&self.known).collect();
        details.stderr = captured_text(&out.stderr, &secrets);
        details.exit_code = out.status.code();
        let result = match parsed {
            None => {
                let message = failure_message(&out.stdout, &out.stderr, out.status, &secrets);
                if is_not_found_message(&message) {
                    Err(self.not_found(server))
                } else {
                    Err(HelperError::Failed {
                        program: self.program(),
                        action: "get",
                        message,
                    })
                }
            }
            Some(Err(detail)) => Err(self.bad("get", detail)),
            Some(Ok(None)) => {
                details.empty_answer = true;
                Err(self.not_found(server))
            }
            Some(Ok(Some(c))) => Ok(c),
        };
        GetReport { details, result }
    }
}

/// What [`HelperClient::get_report`] found out.
#[derive(Debug)]
pub struct GetReport {
    pub details: GetDetails,
    pub result: Result<Credentials, HelperError>,
}

/// How a `get` went, beyond its result; never a secret.
#[derive(Debug, Clone, Default)]
pub struct GetDetails {
    pub elapsed: Duration,
    /// The exit status, when the helper ran to its end.
    pub exit_code: Option<i32>,
    /// Its stderr, secrets cut out, at most [`MAX_MESSAGE`] characters.
    pub stderr: String,
    /// Exit 0 with an empty Username and Secret (Debian's pass for a server
    /// it does not hold), reported as not found in `result`.
    pub empty_answer: bool,
}

/// What a program printed and how it ended.
#[derive(Debug)]
pub struct RawOutput {
    pub status: std::process::ExitStatus,
    pub stdout: Zeroizing<Vec<u8>>,
    pub stderr: Vec<u8>,
}

/// Why [`run_with_deadline`] got no [`RawOutput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// exec said "not found" (no such program, or its interpreter missing).
    NotFound,
    /// Any other reason it could not start, described.
    Spawn(String),
    /// Killed at the deadline.
    TimedOut,
    /// More than 16 MiB on stdout or stderr.
    TooMuch,
}

/// Run `cmd` with `input` on its stdin and both outputs captured, killed
/// if it has not finished within `timeout`: the one deadline rule for every
/// process dockercfg starts (helpers, and the store probes of `doctor`).
pub fn run_with_deadline(
    cmd: &mut Command,
    input: &[u8],
    timeout: Duration,
) -> Result<RawOutput, RunError> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound,
            _ => RunError::Spawn(crate::config::describe_io(&e)),
        })?;

    // Feed stdin and drain both pipes on their own threads, so a child
    // that writes before it reads, or floods stderr, cannot deadlock us.
    let (tx, rx) = mpsc::channel::<(u8, std::io::Result<Vec<u8>>)>();
    let mut stdin = child.stdin.take().expect("piped");
    let input = Zeroizing::new(input.to_vec());
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    for (id, pipe) in [
        (
            1u8,
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            2u8,
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ] {
        let tx = tx.clone();
        let pipe = pipe.expect("piped");
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let r = pipe.take(MAX_OUTPUT + 1).read_to_end(&mut buf).map(|_| buf);
            let _ = tx.send((id, r));
        });
    }
    drop(tx);

    let deadline = Instant::now() + timeout;
    let mut stdout = Zeroizing::new(Vec::new());
    let mut stderr = Vec::new();
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((1, r)) => *stdout = r.unwrap_or_default(),
            Ok((_, r)) => stderr = r.unwrap_or_default(),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut);
            }
        }
    }
    // Both pipes are closed; the process is exiting or has exited.
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut);
            }
        }
    };
    if stdout.len() as u64 > MAX_OUTPUT || stderr.len() as u64 > MAX_OUTPUT {
        return Err(RunError::TooMuch);
    }
    Ok(RawOutput {
        status,
        stdout,
        stderr,
    })
}

/// A helper's stderr as passed on by `doctor`: `secrets` and any JSON
/// `"Secret"` value cut out, control characters left for the printer to
/// escape, at most [`MAX_MESSAGE`] characters.
fn captured_text(bytes: &[u8], secrets: &[&Secret]) -> String {
    let text = redact(String::from_utf8_lossy(bytes).into_owned(), secrets);
    let mut text = redact_secret_fields(text.trim());
    if text.chars().count() > MAX_MESSAGE {
        text = text.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    text
}

/// Parse what a helper's `get` printed (after a zero exit): `Ok(None)` when
/// it holds nothing (an empty Username and Secret), `Err` with a short detail
/// (never the output, which may hold a secret) when it is not a credential.
/// Separate from [`HelperClient::get`] so it can be fuzzed without a process.
pub fn parse_get_output(stdout: &[u8]) -> Result<Option<Credentials>, &'static str> {
    let wire: Wire = serde_json::from_slice(stdout).map_err(|_| "not the JSON of a credential")?;
    if wire.username.is_empty() && wire.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        server_url: wire.server_url.into_owned(),
        username: wire.username.into_owned(),
        secret: Secret::new(wire.secret.into_owned()),
    }))
}

/// Parse what a helper's `list` printed: server URL -> username, sorted.
/// Blank output is an empty list. `Err` is a short detail, as for `get`.
pub fn parse_list_output(stdout: &[u8]) -> Result<BTreeMap<String, String>, &'static str> {
    let text = std::str::from_utf8(stdout).map_err(|_| "not UTF-8")?;
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    serde_json::from_str(text).map_err(|_| "not a JSON object of server URLs to usernames")
}

/// The helper's name in a program name: `pass` for `docker-credential-pass`.
pub fn helper_name(program: &str) -> &str {
    program
        .strip_prefix("docker-credential-")
        .unwrap_or(program)
}

pub fn program_name(helper: &str) -> String {
    format!("docker-credential-{helper}")
}

fn is_not_found_message(m: &str) -> bool {
    m.to_ascii_lowercase().contains(NOT_FOUND_MESSAGE)
}

/// The longest helper message passed on, in characters (then "…").
const MAX_MESSAGE: usize = 300;

/// One line of what the helper said, or its exit status if it said nothing,
/// with every one of `secrets` cut out. The cut is made on the whole output
/// before a line is picked and shortened, so a secret that spans lines or
/// the length cap cannot leave a piece behind.
fn failure_message(
    stdout: &[u8],
    stderr: &[u8],
    status: std::process::ExitStatus,
    secrets: &[&Secret],
) -> String {
    let pick = |b: &[u8]| {
        let text = redact(String::from_utf8_lossy(b).into_owned(), secrets);
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    };
    let mut msg = pick(stdout)
        .or_else(|| pick(stderr))
        .unwrap_or_else(|| format!("exited with {status}"));
    // A helper that prints a credential and then fails (or a `get` whose
    // secret we cannot know beforehand) must not have it passed on.
    msg = redact_secret_fields(&msg);
    if msg.chars().count() > MAX_MESSAGE {
        msg = msg.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    msg
}

/// `text` with each secret replaced by `<redacted>`, as it is and as JSON
/// escapes it (a helper that echoes its `store` input shows `"` as `\"`).
fn redact(mut text: String, secrets: &[&Secret]) -> String {
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(s.expose(), "<redacted>");
        let json = serde_json::to_string(s.expose()).expect("serialises");
        let escaped = &json[1..json.len() - 1];
        if !escaped.is_empty() {
            text = text.replace(escaped, "<redacted>");
        }
    }
    text
}

/// `msg` with the value of every JSON `"Secret"` field (any case) replaced
/// by `<redacted>`; an unterminated value is redacted to the end.
fn redact_secret_fields(msg: &str) -> String {
    const KEY: &str = "\"secret\"";
    let lower = msg.to_ascii_lowercase();
    let mut out = String::with_capacity(msg.len());
    let mut from = 0;
    while let Some(at) = lower[from..].find(KEY).map(|i| from + i + KEY.len()) {
        let rest = &msg[at..];
        let after_colon = rest
            .trim_start()
            .strip_prefix(':')
            .map(str::trim_start)
            .and_then(|v| v.strip_prefix('"'));
        let Some(value) = after_colon else {
            out.push_str(&msg[from..at]);
            from = at;
            continue;
        };
        let start = msg.len() - value.len();
        let mut end = msg.len();
        let mut escaped = false;
        for (i, c) in value.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = start + i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&msg[from..start]);
        out.push_str("<redacted>");
        from = end;
    }
    out.push_str(&msg[from..]);
    out
}

/// Whether `program` is an executable file in a directory of PATH.
pub fn on_path(program: &str) -> bool {
    find_program(program).is_some()
}

/// Where `program` is on PATH, as docker (Go's `exec.LookPath`) finds it: on
/// Unix an executable file of that name; on Windows a file named by
/// [`windows_candidates`] (`docker-credential-wincred` is found as
/// `docker-credential-wincred.exe`, or `.cmd` if PATHEXT says so).
pub fn find_program(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    #[cfg(windows)]
    let names = windows_candidates(program, std::env::var_os("PATHEXT").as_deref());
    #[cfg(not(windows))]
    let names = [program];
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &std::path::Path) -> bool {
    p.is_file()
}

/// The file names Windows tries for `program`, in order (Go's
/// `exec.LookPath`): the name as given if it already ends in one of the
/// PATHEXT extensions (a WSL config copied over says `desktop.exe`), then the
/// name with each extension appended. PATHEXT unset or empty means
/// `.com;.exe;.bat;.cmd`, as in Go.
#[cfg_attr(not(windows), allow(dead_code))]
pub fn windows_candidates(program: &str, pathext: Option<&std::ffi::OsStr>) -> Vec<String> {
    let pathext = pathext
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| ".com;.exe;.bat;.cmd".to_string());
    let exts: Vec<String> = pathext
        .split(';')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .map(|e| {
            if e.starts_with('.') {
                e
            } else {
                format!(".{e}")
            }
        })
        .collect();
    let lower = program.to_ascii_lowercase();
    let mut out = Vec::new();
    if exts.iter().any(|e| lower.ends_with(e.as_str())) {
        out.push(program.to_string());
    }
    out.extend(exts.iter().map(|e| format!("{program}{e}")));
    out
}

/// Why exec said "not found" for `path`, a file that exists: its `#!`
/// interpreter is missing, or (no `#!`) an ELF binary's dynamic loader.
fn why_not_runnable(path: &std::path::Path) -> String {
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    if let Some(line) = head.strip_prefix(b"#!") {
        let line = line.split(|&b| b == b'\n').next().unwrap_or(line);
        let line = String::from_utf8_lossy(line);
        if let Some(interp) = line.split_whitespace().next() {
            if !std::path::Path::new(interp).exists() {
                return format!("its interpreter {interp} is missing");
            }
            return format!("its interpreter {interp} cannot be run");
        }
    }
    "exec says not found (a missing interpreter or dynamic loader)".into()
}

/// The store `docker login` picks when a config holds no auth at all:
/// `osxkeychain` on macOS, `wincred` on Windows, and on Linux `pass` when the
/// `pass` program is on PATH, else `secretservice`, each only if its
/// `docker-credential-` program is on PATH (docker/cli's default store).
pub fn default_store() -> Option<&'static str> {
    let candidate = if cfg!(target_os = "macos") {
        "osxkeychain"
    } else if cfg!(windows) {
        "wincred"
    } else if on_path("pass") {
        "pass"
    } else {
        "secretservice"
    };
    on_path(&program_name(candidate)).then_some(candidate)
}

/// Whether the `pass` store is set up. `pass init` writes `.gpg-id` at the
/// store's root ($PASSWORD_STORE_DIR, else ~/.password-store); before that,
/// docker-credential-pass answers `list` with `{}` but every `store` fails.
pub fn pass_initialised() -> bool {
    let dir = std::env::var_os("PASSWORD_STORE_DIR")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".password-store")));
    dir.is_some_and(|d| d.join(".gpg-id").is_file())
}

#[cfg(test)]
mod platform_tests {
    use super::windows_candidates;
    use std::ffi::OsStr;

    #[test]
    fn windows_names_follow_pathext_as_go_does() {
        // No PATHEXT: Go's default list.
        assert_eq!(
            windows_candidates("docker-credential-wincred", None),
            [
                "docker-credential-wincred.com",
                "docker-credential-wincred.exe",
                "docker-credential-wincred.bat",
                "docker-credential-wincred.cmd"
            ]
        );
        // PATHEXT as Windows sets it (upper case, no trailing dot rules).
        assert_eq!(
            windows_candidates("docker-credential-pass", Some(OsStr::new(".EXE;.CMD;;PS1"))),
            [
                "docker-credential-pass.exe",
                "docker-credential-pass.cmd",
                "docker-credential-pass.ps1"
            ]
        );
        // A name that already has an extension (WSL's `desktop.exe`) is tried
        // as given first.
        assert_eq!(
            windows_candidates("docker-credential-desktop.EXE", Some(OsStr::new(".exe"))),
            [
                "docker-credential-desktop.EXE",
                "docker-credential-desktop.EXE.exe"
            ]
        );
        assert_eq!(
            windows_candidates("x", Some(OsStr::new(" "))).len(),
            4,
            "a blank PATHEXT is the default"
        );
    }
}
