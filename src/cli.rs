//! The command line: clap derive types and help texts only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;

const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  failure (for `audit` and `fix-perms --check`: findings)
  2  usage error";

/// The heading global options are listed under, after a command's own.
pub const GLOBAL: &str = "Global options";

/// The command line: clap's definition, with the dynamic completers
/// attached (see `complete`). main and the man/completion generator use it.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    hide_unused_globals(Cli::command())
}

/// The global options a command has no use for, by command name. A command
/// not named here shows every global option (a new command needs no line
/// here unless it wants some hidden). Hidden options are still accepted
/// (`dockercfg completions bash --config X` parses), only not shown in its
/// help, man page and completions.
const UNUSED_GLOBALS: &[(&str, &[&str])] = &[
    // Answered before a file is located: no file, helper or lock.
    (
        "completions",
        &[
            "config",
            "authfile",
            "podman",
            "helper_timeout",
            "lock_timeout",
        ],
    ),
    (
        "version",
        &[
            "config",
            "authfile",
            "podman",
            "helper_timeout",
            "lock_timeout",
        ],
    ),
    // Modes and owners only: no helper is run and the file is not rewritten.
    ("fix-perms", &["helper_timeout", "lock_timeout"]),
    // Read only (helpers asked, the file never written).
    ("list", &["lock_timeout"]),
    ("get", &["lock_timeout"]),
    ("explain", &["lock_timeout"]),
    ("export", &["lock_timeout"]),
    ("audit", &["lock_timeout"]),
    ("doctor", &["lock_timeout"]),
];

/// Global options are listed under their own heading (GLOBAL), after each
/// command's own, and only on commands that use them (UNUSED_GLOBALS).
///
/// clap copies each global option into every subcommand when the command
/// is built, skipping a subcommand that already has an option of that id.
/// So, before anything is built, a subcommand that has no use for one gets
/// its own copy with `hide` set: the same option (same id, default, env,
/// parser, `global`), parsed and propagated to the top as clap's own copy
/// would be, only not shown. Changing a built command instead broke the
/// parse of the defaults.
fn hide_unused_globals(cmd: clap::Command) -> clap::Command {
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    UNUSED_GLOBALS.iter().fold(cmd, |cmd, (name, unused)| {
        let hidden: Vec<clap::Arg> = globals
            .iter()
            .filter(|g| unused.contains(&g.get_id().as_str()))
            .map(|g| g.clone().hide(true))
            .collect();
        cmd.mut_subcommand(*name, |sub| sub.args(hidden))
    })
}

/// Parse the process's arguments (usage errors exit 2, as clap's do).
///
/// The command and the matches are not freed: the process ends soon after,
/// and freeing them was a fifth of a one-entry logout's own instructions
/// (#17). Taking the fields out of the matches (`from_arg_matches_mut`)
/// spares a clone of them.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = plain_logout(&args, |v| std::env::var_os(v).is_some()) {
        return cli;
    }
    let mut cmd = command();
    let mut matches = cmd
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.exit());
    std::mem::forget(matches);
    std::mem::forget(cmd);
    cli
}

/// `[--config DIR] logout REGISTRY...`, the form scripts run, read without
/// building clap's command: building it for every subcommand (and its help
/// texts) was a third of a one-entry logout's instructions, the process's
/// start aside (#17). Anything else (another option, an option-like or
/// empty word, a word that is not UTF-8, a DOCKERCFG_* variable that sets
/// an option) is None and goes to clap; `plain_logout_is_what_clap_parses`
/// checks that what it takes gives clap's own answer.
fn plain_logout(args: &[std::ffi::OsString], env_set: impl Fn(&str) -> bool) -> Option<Cli> {
    if env_set("DOCKERCFG_HELPER_TIMEOUT") || env_set("DOCKERCFG_LOCK_TIMEOUT") {
        return None;
    }
    let words: Vec<&str> = args
        .get(1..)?
        .iter()
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let (config, rest) = match words.as_slice() {
        ["--config", dir, rest @ ..] => (Some(*dir), rest),
        rest => (None, rest),
    };
    let ["logout", registries @ ..] = rest else {
        return None;
    };
    let plain = |w: &&str| !w.is_empty() && !w.starts_with('-');
    if registries.is_empty() || !registries.iter().chain(config.iter()).all(plain) {
        return None;
    }
    Some(Cli {
        config: config.map(PathBuf::from),
        authfile: None,
        podman: false,
        helper_timeout: 30.0,
        lock_timeout: 10.0,
        command: Command::Logout(LogoutArgs {
            registries: registries.iter().map(|r| r.to_string()).collect(),
            all: false,
            matches: Vec::new(),
            expired: false,
            file_only: false,
            dry_run: false,
            json: false,
            quiet: false,
        }),
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "dockercfg",
    version,
    about = "Audit and manage the Docker client's credential file (~/.docker/config.json)",
    long_about = "Audit and manage the Docker client's credential file (~/.docker/config.json).\n\n\
        dockercfg lists the registries you are logged in to and where each secret really \
        lives (plaintext in the file, a keychain, a per-registry helper). It keeps every key \
        and byte of the file it does not need to change, locks against concurrent writers and \
        never prints a secret unless a command made for that is asked to.\n\n\
        With --authfile PATH or --podman it works on a containers auth.json instead (podman, \
        skopeo, buildah), with their rules: namespaced keys such as quay.io/org/repo are \
        logins of their own, Docker Hub is docker.io, and credsStore is not used.",
    after_help = EXIT_CODES,
)]
pub struct Cli {
    /// Directory holding config.json (as `docker --config`), or a path to a .json file
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,

    /// Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json
    #[arg(long, global = true, value_name = "PATH", conflicts_with = "config", help_heading = GLOBAL)]
    pub authfile: Option<PathBuf>,

    /// Work on podman's auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json
    ///
    /// The file `podman login`, `skopeo login` and `buildah login` write. Without
    /// XDG_RUNTIME_DIR it is /run/containers/UID/auth.json, as in containers/image.
    /// REGISTRY_AUTH_FILE is read only with --podman: a variable set for podman does
    /// not change which file the other commands use. --authfile overrides both.
    #[arg(long, global = true, conflicts_with = "config", help_heading = GLOBAL)]
    pub podman: bool,

    /// Seconds to wait for a credential helper before giving up
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
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
        help_heading = GLOBAL,
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
    #[command(long_about = LOGIN_ABOUT)]
    Login(LoginArgs),
    /// Log out of registries: remove their logins from config.json and from helpers
    Logout(LogoutArgs),
    /// Move plaintext credentials from config.json into a credential store, verifying each
    #[command(long_about = MIGRATE_ABOUT)]
    Migrate(MigrateArgs),
    /// Switch or clear the credential store (credsStore, or one registry's credHelpers entry)
    #[command(long_about = STORE_ABOUT)]
    Store(StoreArgs),
    /// Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens
    Audit(AuditArgs),
    /// Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)
    #[command(visible_alias = "fix-permissions")]
    FixPerms(FixPermsArgs),
    /// Print a registry's credentials as the helper protocol's JSON (prints a secret)
    Get(GetArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Say which credential a client would use for an image, and why (never prints the secret)
    #[command(long_about = EXPLAIN_ABOUT)]
    Explain(ExplainArgs),
    /// Find out why a pull, push or login fails: the file, the source, the helper, its store and the credential
    #[command(long_about = DOCTOR_ABOUT)]
    Doctor(DoctorArgs),
    /// Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)
    #[command(long_about = EXPORT_ABOUT)]
    Export(ExportArgs),
    /// Run a command with a private, temporary config holding only the logins named
    #[command(long_about = EXEC_ABOUT)]
    Exec(ExecArgs),
    /// Copy logins between docker's config.json and podman's auth.json, with each side's key rules
    #[command(long_about = SYNC_ABOUT)]
    Sync(SyncArgs),
    /// Print dockercfg's version (with --json: version, commit, target)
    Version(VersionArgs),
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Print JSON: version, commit (null when unknown), target
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Fields for --format: {{.Registry}} {{.Username}} {{.Store}} {{.Kind}} {{.Expires}} {{.Problem}} {{.Source}}\n\n\
        Exit status: 1 when a REGISTRY named is not logged in to.\n\n\
        Examples:\n  dockercfg list\n  dockercfg list -q ghcr.io        # exit 1 when not logged in\n  \
        dockercfg list --format '{{.Registry}}\\t{{.Expires}}'\n  dockercfg list --format 'table {{.Registry}}\\t{{.Kind}}'"
)]
pub struct ListArgs {
    /// Only these registries (any spelling: docker.io, https://ghcr.io)
    #[arg(value_name = "REGISTRY", add = ArgValueCompleter::new(crate::complete::registries))]
    pub registries: Vec<String>,
    /// Print only the registries, one per line
    #[arg(short, long, conflicts_with = "format")]
    pub quiet: bool,
    /// Format the output: 'table', 'table TEMPLATE', 'json' (one object per line) or a TEMPLATE per login, as docker's --format
    #[arg(long, value_name = "FORMAT", value_parser = parse_list_format)]
    pub format: Option<crate::template::Format>,
    /// Print a JSON array: registry, username, source, helper, kind, token, expires, error
    #[arg(long, conflicts_with_all = ["quiet", "format"])]
    pub json: bool,
}

fn parse_list_format(s: &str) -> Result<crate::template::Format, String> {
    crate::template::Format::parse(s, crate::logins::inventory::FIELDS)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  echo \"$TOKEN\" | dockercfg login -u me --password-stdin ghcr.io\n  dockercfg login                # Docker Hub, prompts on a terminal\n  dockercfg login --ca-file company-ca.pem registry.corp.example:5000"
)]
pub struct LoginArgs {
    /// Registry host[:port]; docker.io and its aliases mean Docker Hub
    #[arg(add = ArgValueCompleter::new(crate::complete::registries))]
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
    #[command(flatten)]
    pub verify: VerifyArgs,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

/// How `login` and `exec --login` check credentials with the registry
/// (GET /v2/): one definition, so both take the same flags with the same
/// meaning. Each command declares its own `--no-verify` (the help differs),
/// which `--timeout` conflicts with.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Seconds the whole check with the registry may take (each connect: at most 5)
    #[arg(
        long,
        value_name = "SECS",
        default_value = "30",
        value_parser = parse_seconds,
        conflicts_with = "no_verify"
    )]
    pub timeout: f64,
    /// Allow plain HTTP and unverified TLS when verifying
    #[arg(long)]
    pub insecure: bool,
    /// Also trust the CA certificates in FILE (PEM) when verifying (repeatable)
    #[arg(long, value_name = "FILE")]
    pub ca_file: Vec<PathBuf>,
    /// Read the registry's CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
}

impl VerifyArgs {
    /// The check these flags ask for, trusting certs.d as `layout` lays it out.
    pub fn options(&self, layout: crate::verify::CertsLayout) -> crate::verify::VerifyOptions {
        crate::verify::VerifyOptions {
            trust: crate::verify::TrustOptions {
                layout,
                cert_dir: self.cert_dir.clone(),
                ca_files: self.ca_file.clone(),
                insecure: self.insecure,
            },
            timeout: std::time::Duration::from_secs_f64(self.timeout),
            ..crate::verify::VerifyOptions::default()
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dockercfg logout docker.io ghcr.io\n  dockercfg logout --match '*.dkr.ecr.*.amazonaws.com'\n  dockercfg logout --all --dry-run"
)]
pub struct LogoutArgs {
    /// Registries to log out of (default: Docker Hub)
    #[arg(value_name = "REGISTRY", add = ArgValueCompleter::new(crate::complete::registries))]
    pub registries: Vec<String>,
    /// Log out of every login that `list` shows
    #[arg(long, conflicts_with_all = ["registries", "matches", "expired"])]
    pub all: bool,
    /// Log out of every login whose registry matches this glob (repeatable; case-insensitive, with or without https://)
    ///
    /// With --expired, only the expired logins that match.
    #[arg(long = "match", value_name = "GLOB", value_parser = parse_glob)]
    pub matches: Vec<String>,
    /// Log out of every login whose token has expired (JWT `exp`, AWS ECR `expiration`)
    ///
    /// With --match, only the expired logins that match.
    #[arg(long)]
    pub expired: bool,
    /// Remove the logins from the file only, never calling a credential helper
    ///
    /// The way out when a helper cannot run (a Docker Desktop config copied to
    /// another machine, an uninstalled docker-credential-ecr-login): any secret
    /// left in that store is not touched. Combines with REGISTRY, --all, --match
    /// and --expired (which then judges only the file's tokens).
    #[arg(long)]
    pub file_only: bool,
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

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dockercfg migrate --dry-run\n  dockercfg migrate --store pass --backup ~/docker-config.bak\n  dockercfg migrate --helper '*.gcr.io=gcloud' --store secretservice\n\n\
        Exit status: 0 when every plaintext login moved (or there was none, or no store was \
        named for it); 1 when one failed or was skipped (its store holds a different secret, \
        or it cannot be moved as it is) and so stays in plaintext, or when nothing could start \
        (a helper missing or not answering: nothing is changed then); 2 for a usage error (with \
        --authfile or --podman: no --helper, or --store). --dry-run exits as the real run would."
)]
pub struct MigrateArgs {
    /// Move every plaintext login into this store and set "credsStore" (pass, secretservice, osxkeychain, wincred, ...)
    #[arg(long, value_name = "NAME", value_parser = parse_helper_name, add = ArgValueCompleter::new(crate::complete::stores))]
    pub store: Option<String>,
    /// Move REGISTRY's login into helper NAME and set "credHelpers" for it; a glob such as '*.gcr.io' is matched against the plaintext logins (repeatable)
    #[arg(long = "helper", value_name = "REGISTRY=NAME", value_parser = parse_helper_target, add = ArgValueCompleter::new(crate::complete::helper_targets))]
    pub helpers: Vec<HelperTarget>,
    /// Replace a different secret that the store already holds for a registry
    #[arg(long)]
    pub overwrite: bool,
    /// Where docker already uses the store's login, remove the stale plaintext copy left in the file and keep the store's
    ///
    /// A registry routed to a helper that holds a different login than the
    /// file's: docker sends the helper's, and the file's copy only leaks.
    /// Without this flag such a login is skipped (exit 1); --overwrite would
    /// replace the store's login, likely the newer one, with the old copy.
    #[arg(long)]
    pub drop_stale: bool,
    /// Print the plan and change nothing (helpers are only read: `list`, and `get` per login), with the exit status the real run would have
    #[arg(long)]
    pub dry_run: bool,
    /// Print a JSON array: registry, username, from, to, status, action, error
    #[arg(long)]
    pub json: bool,
    /// How many helper calls to run at once [default: the number of CPUs]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Copy config.json to FILE (mode 0600; FILE must not exist) before changing anything
    #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
    pub backup: Option<PathBuf>,
    /// Print nothing but warnings and errors
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--helper REGISTRY=NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperTarget {
    /// A registry name or a glob.
    pub registry: String,
    /// The helper's name (`gcloud` for docker-credential-gcloud).
    pub helper: String,
}

fn parse_helper_target(s: &str) -> Result<HelperTarget, String> {
    let (registry, helper) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not REGISTRY=NAME"))?;
    if registry.trim().is_empty() {
        return Err(format!("`{s}` names no registry"));
    }
    Ok(HelperTarget {
        registry: registry.trim().to_string(),
        helper: parse_helper_name(helper)?,
    })
}

/// A glob as `--match` takes it: a bad one is a usage error (exit 2),
/// found before anything is read.
fn parse_glob(s: &str) -> Result<String, String> {
    glob::Pattern::new(s)
        .map(|_| s.to_string())
        .map_err(|e| format!("`{s}` is not a glob: {e}"))
}

/// A duration such as 24h, 90m, 2d or 30s: a bad one is a usage error.
fn parse_duration_arg(s: &str) -> Result<String, String> {
    crate::logins::expiry::parse_duration(s).map(|_| s.to_string())
}

/// A helper name becomes part of a program name: no path, no spaces.
fn parse_helper_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not a helper name (like `pass` for docker-credential-pass)"
        ))
    }
}

const STORE_ABOUT: &str = "Switch or clear the credential store: credsStore, or with --registry \
one registry's credHelpers entry.

Logins the old helper holds are copied into the new one first, each stored, read back and \
compared (as migrate does); only then is config.json rewritten, once, under the lock. If one \
login cannot be copied, config.json is not changed. A helper that cannot run here (a Docker \
Desktop config copied to Linux, an uninstalled docker-credential-ecr-login) has its `{}` \
placeholders dropped: any secret left in that store is not touched. Plaintext logins are \
migrate's job: store refuses to hide them behind a helper.

Safe to re-run (Docker Desktop writes credsStore back): when the key already says what you \
asked for, it prints \"already ...\" and exits 0.";

#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub action: StoreAction,
}

#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Set credsStore (with --registry: credHelpers[REGISTRY]) to helper NAME, copying the old store's logins
    #[command(
        after_help = "Exit status: 0 when done or already so; 1 when NAME is not installed or does not \
            answer, or a login could not be copied (nothing is changed then); 2 for a usage error.\n\n\
            Examples:\n  dockercfg store set pass\n  dockercfg store set --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com ecr-login\n  \
            dockercfg store set pass --dry-run"
    )]
    Set(StoreSetArgs),
    /// Remove credsStore (with --registry: credHelpers[REGISTRY])
    #[command(
        after_help = "Exit status: 0 when done or already so; 1 when the old helper still holds logins that \
            docker would no longer find (nothing is changed then); 2 for a usage error.\n\n\
            Examples:\n  dockercfg store clear\n  dockercfg store clear --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    )]
    Clear(StoreClearArgs),
}

#[derive(Debug, Args)]
pub struct StoreSetArgs {
    /// The helper: pass for docker-credential-pass (secretservice, osxkeychain, wincred, ...)
    #[arg(value_name = "NAME", value_parser = parse_helper_name, add = ArgValueCompleter::new(crate::complete::stores))]
    pub name: String,
    /// Set credHelpers[REGISTRY] instead of credsStore (any spelling: https://ghcr.io, docker.io)
    #[arg(long, value_name = "REGISTRY", add = ArgValueCompleter::new(crate::complete::registries))]
    pub registry: Option<String>,
    #[command(flatten)]
    pub run: StoreRunArgs,
}

#[derive(Debug, Args)]
pub struct StoreClearArgs {
    /// Remove credHelpers[REGISTRY] instead of credsStore (any spelling)
    #[arg(long, value_name = "REGISTRY", add = ArgValueCompleter::new(crate::complete::registries))]
    pub registry: Option<String>,
    #[command(flatten)]
    pub run: StoreRunArgs,
}

/// How `store set` and `store clear` run and report: one definition, so
/// the two cannot drift apart.
#[derive(Debug, Args)]
pub struct StoreRunArgs {
    /// Say what would change; change nothing (helpers are asked, never written to)
    #[arg(long)]
    pub dry_run: bool,
    /// Print nothing but warnings and errors
    #[arg(short, long)]
    pub quiet: bool,
    /// Print JSON: key, registry, old, new, changed, copied, dropped, dry_run
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 1 when a finding at --fail-on or worse exists, else 0.\n\nExamples:\n  dockercfg audit\n  dockercfg audit --json --fail-on medium   # in CI"
)]
pub struct AuditArgs {
    /// Print a JSON array of findings: code, severity, registry, message, fix
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when a finding of this severity or worse exists
    #[arg(long, value_enum, default_value = "high", value_name = "SEVERITY")]
    pub fail_on: crate::logins::findings::Severity,
    /// Warn about tokens that expire within this time (e.g. 24h, 90m, 2d)
    #[arg(long, default_value = "24h", value_name = "DURATION", value_parser = parse_duration_arg)]
    pub expiry_warning: String,
    /// Also read secrets from helpers (`get`) to check their expiry; never prints them
    #[arg(long)]
    pub deep: bool,
    /// Apply the safe fixes (permissions and owner) first, then report the rest
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Exit status with --check: 1 when something would change, else 0.")]
pub struct FixPermsArgs {
    /// Change nothing; list what would change and exit 1 if anything would
    #[arg(long)]
    pub check: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 1 when not logged in.\n\nExamples:\n  dockercfg get ghcr.io | jq -r .Secret\n  dockercfg get --username docker.io"
)]
pub struct GetArgs {
    /// Registry host[:port]; docker.io and its aliases mean Docker Hub
    #[arg(add = ArgValueCompleter::new(crate::complete::registries))]
    pub registry: String,
    /// Print only the username
    #[arg(long)]
    pub username: bool,
    /// Allow printing the secret to a terminal
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  eval \"$(dockercfg completions bash)\"\n  dockercfg completions fish > ~/.config/fish/completions/dockercfg.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of seconds between 0 and 86400"
        )),
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when explained (also when no credential would be sent); 1 for an invalid reference or an unreadable file.\n\nExamples:\n  dockercfg explain nginx\n  dockercfg explain ghcr.io/org/app:1.2 --json\n  dockercfg --podman explain quay.io/org/app"
)]
pub struct ExplainArgs {
    /// The image reference (nginx, ghcr.io/org/app:1.2, localhost:5000/x@sha256:...)
    #[arg(value_name = "IMAGE_REF", add = ArgValueCompleter::new(crate::complete::registries))]
    pub reference: String,
    /// Print JSON: reference, registry, repository, rules, keys, source, key, helper, file, username, kind, steps, problems
    #[arg(long)]
    pub json: bool,
}

const DOCTOR_ABOUT: &str = "\
Find out why a pull, push or login fails, checking each link in the order a client meets it: \
the file (which one docker and podman read, parse errors, entries that poison the rest), the \
source that wins for the registry and those passed over, the credential helper (on PATH, \
runnable, answering get in time), its store (pass: gpg, keys, a passphrase prompt with no \
terminal; secretservice: session bus, keyring, lock) and the credential itself (decodes, not \
expired; with --online, accepted by the registry). No check stops the others. Each problem comes \
with its fix as a command where one exists.";

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when nothing fails (warnings allowed), 1 when a check fails, 2 usage error."
)]
pub struct DoctorArgs {
    /// A registry (ghcr.io, docker.io) or an image reference; default: every configured registry and store
    #[arg(value_name = "REGISTRY|IMAGE_REF", add = ArgValueCompleter::new(crate::complete::registries))]
    pub target: Option<String>,
    /// Also ask each registry whether it accepts the credential (the check `login` makes)
    #[arg(long)]
    pub online: bool,
    /// Print JSON: {"checks": [{registry, step, status (ok|warn|fail), message, fix}]}
    #[arg(long)]
    pub json: bool,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A config.json holding only `auths` with `auth` values
    ConfigJson,
    /// A Kubernetes Secret of type kubernetes.io/dockerconfigjson (YAML)
    K8sSecret,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when written; 1 when a login cannot be resolved (nothing is written) or the output cannot be written.\n\nExamples:\n  dockercfg export --registry ghcr.io -o ci/config.json\n  dockercfg export --all --format k8s-secret --name regcred --namespace ci | kubectl apply -f -"
)]
#[command(group(
    clap::ArgGroup::new("selection")
        .required(true)
        .args(["registries", "all"])
))]
pub struct ExportArgs {
    /// A registry to export (repeatable); any spelling (docker.io, https://ghcr.io)
    #[arg(long = "registry", value_name = "REGISTRY")]
    pub registries: Vec<String>,
    /// Export every login that `list` shows
    #[arg(long)]
    pub all: bool,
    /// Write to FILE (created 0600) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "config-json")]
    pub format: ExportFormat,
    /// The Secret's name (a DNS-1123 subdomain); required with --format k8s-secret
    #[arg(long, value_name = "NAME", required_if_eq("format", "k8s-secret"))]
    pub name: Option<String>,
    /// The Secret's namespace
    #[arg(long, value_name = "NS", requires = "name")]
    pub namespace: Option<String>,
    /// Leave out logins that cannot be resolved, with a warning, instead of failing
    #[arg(long)]
    pub skip_unresolved: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: the command's own; 128+N when signal N ended it (as a shell reports it); 127 when the command is not found, 126 when it cannot be run (as env(1)); 1 when dockercfg fails before running it.\n\n\
        Examples:\n  dockercfg exec --inherit ghcr.io -- docker push ghcr.io/me/app:1.0\n  \
        dockercfg exec --login ghcr.io --username me --password-env GHCR_TOKEN -- docker buildx build --push .\n  \
        echo \"$TOKEN\" | dockercfg exec --login quay.io -u bot --password-stdin -- skopeo copy docker://a docker://quay.io/org/a"
)]
pub struct ExecArgs {
    /// Copy your current login for REGISTRY into the private config (repeatable)
    #[arg(long, value_name = "REGISTRY")]
    pub inherit: Vec<String>,
    /// Log in to REGISTRY in the private config only (repeatable; needs --username and a password)
    #[arg(long = "login", value_name = "REGISTRY", requires = "username")]
    pub logins: Vec<String>,
    /// The username for each --login, in order
    #[arg(short, long = "username", value_name = "USER", requires = "logins")]
    pub username: Vec<String>,
    /// Read the password or token of the one --login from one line of stdin
    #[arg(long, requires = "logins")]
    pub password_stdin: bool,
    /// Take the password or token of each --login, in order, from environment variable VAR
    #[arg(long = "password-env", value_name = "VAR", requires = "logins")]
    pub password_env: Vec<String>,
    /// Use --login credentials without asking the registry whether they work
    #[arg(long)]
    pub no_verify: bool,
    #[command(flatten)]
    pub verify: VerifyArgs,
    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// Which side `sync` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SyncTarget {
    /// podman's auth.json (--authfile, else $REGISTRY_AUTH_FILE, else podman's default)
    Podman,
    /// docker's config.json ($DOCKER_CONFIG or ~/.docker; --config without --authfile/--podman)
    Docker,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when every login was synced or already was; 1 when one was refused or failed (the others are still synced).\n\n\
        Examples:\n  dockercfg sync --to podman --dry-run\n  dockercfg sync --to docker --registry quay.io\n  dockercfg --authfile ./auth.json sync --to podman --plaintext"
)]
pub struct SyncArgs {
    /// The side to write: podman or docker
    #[arg(long, value_enum, value_name = "SIDE")]
    pub to: SyncTarget,
    /// Sync only this registry (repeatable; any spelling); default: every login of the other side
    #[arg(long = "registry", value_name = "REGISTRY")]
    pub registries: Vec<String>,
    /// Say what would change and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Copy secrets held in a helper into the file as plaintext instead of referencing the helper
    #[arg(long)]
    pub plaintext: bool,
}

const EXEC_ABOUT: &str =
    "Run a command with a private, temporary config holding only the logins named.\n\n\
        A new directory (mode 0700, under $XDG_RUNTIME_DIR when it exists, else the temp dir) \
        gets a config.json and an auth.json (mode 0600) with the logins, and the command runs \
        with DOCKER_CONFIG and REGISTRY_AUTH_FILE pointing at them, so docker, podman, skopeo \
        and buildah use those logins and nothing else. --inherit copies a login you already \
        have (resolved as `get` does, helpers included); --login makes a fresh one, verified \
        with the registry unless --no-verify. Both repeat and combine: the n-th --username \
        and the n-th --password-env belong to the n-th --login; --password-stdin gives the \
        password of a single --login.\n\n\
        No credential helper is asked to store anything and your own config is never \
        changed. The directory is removed when the command ends, when dockercfg gets \
        SIGINT, SIGTERM or SIGHUP (forwarded to the command, which is waited for), and, if \
        dockercfg was killed outright, by the next `dockercfg exec`. The variables named by \
        --password-env are removed from the command's environment.";

const SYNC_ABOUT: &str = "Copy logins between docker's config.json and podman's auth.json, with each side's key rules.\n\n\
        Docker Hub is https://index.docker.io/v1/ in docker's file and docker.io in podman's. \
        A namespaced key (quay.io/org/repo) is refused for docker's file, which keys logins by \
        registry only. A secret kept in a credential helper is referenced through the other \
        side's credHelpers (podman never reads credsStore) instead of being copied into a \
        file, unless --plaintext; a secret copied into docker's file goes to the helper docker \
        would store it in, as `docker login` does. Running sync again changes nothing.\n\n\
        docker's file is the one --config, DOCKER_CONFIG or ~/.docker names; podman's is \
        --authfile, else $REGISTRY_AUTH_FILE, else podman's primary auth.json.";

// A long_about must be set on the variant: the variant's doc comment is
// applied after the Args struct's attributes and resets it.
const LOGIN_ABOUT: &str =
    "Log in to a registry (Docker Hub if none), storing the secret where docker would.\n\n\
        The credentials are checked with the registry first (GET /v2/, Basic or a Bearer \
        token), over TLS verified as docker and podman verify it: the system trust store \
        (with SSL_CERT_FILE and SSL_CERT_DIR on Linux), the registry's certs.d directory \
        (HOST[:PORT]/ under ~/.config/docker/certs.d and /etc/docker/certs.d; for an \
        auth.json, ~/.config/containers/certs.d, /etc/containers/certs.d, /etc/docker/certs.d) \
        with *.crt as extra CAs and NAME.cert + NAME.key as a client certificate, and \
        --ca-file. DOCKERCFG_CERTS_ROOT=DIR reads the /etc directories under DIR instead. \
        HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower case) are honoured as Go reads them; \
        loopback registries are never proxied.";

const MIGRATE_ABOUT: &str =
    "Move plaintext credentials from config.json into a credential store.\n\n\
        Each login is stored in its helper, read back and compared before its plaintext \
        is replaced by docker's `{}` placeholder; config.json is rewritten once, under the lock. \
        A login that fails stays in plaintext and the rest go on; killed at any moment, every \
        credential is still in the file or in the store, and running migrate again finishes \
        the job. Without --store or --helper, the store and helpers config.json already names \
        are used, else the one docker would pick.\n\n\
        A registry is routed to a helper only when its login moved there and was verified: \
        a login that stays in plaintext (it failed, cannot be moved, or the store holds a \
        different secret) keeps its routing. When a new credsStore would re-route such a \
        login, credsStore is not set and each moved login gets a credHelpers key instead, so \
        docker (and podman, which ignores credsStore) still finds every login; run migrate \
        --store again once the rest can move.";

const EXPLAIN_ABOUT: &str = "Say which credential a client would use for an image, and why.\n\n\
        The reference is normalised as docker does (Docker Hub for bare names, `library/` \
        for official images, tag and digest dropped). Docker's order: DOCKER_AUTH_CONFIG \
        (exact key), then credHelpers (exact key), else credsStore, else the file. With \
        --authfile or --podman, containers-auth.json's order: per file, credHelpers, then \
        the most specific key first (registry/namespace/repo, registry/namespace, registry), \
        then the fallback files. Helpers are asked with `get`, as the client would; the \
        secret is never printed.";

const EXPORT_ABOUT: &str =
    "Resolve credentials, helpers and DOCKER_AUTH_CONFIG included, into a standalone \
        config.json (`auths` with `auth` values) or a Kubernetes Secret of type \
        kubernetes.io/dockerconfigjson.\n\n\
        This prints secrets: it refuses to write them to a terminal (use -o FILE or a pipe). \
        -o FILE is created with mode 0600 and never replaces an existing file unless --force. \
        A login that cannot be resolved (a helper fails or has nothing, an entry cannot be \
        decoded) is an error naming the registry and nothing is written, unless \
        --skip-unresolved, which leaves it out with a warning.";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        let m = command()
            .try_get_matches_from(std::iter::once("dockercfg").chain(args.iter().copied()))?;
        Cli::from_arg_matches(&m)
    }

    /// `plain_logout` gives clap's answer, or leaves the words to clap.
    #[test]
    fn plain_logout_is_what_clap_parses() {
        let taken: &[&[&str]] = &[
            &["logout", "a.io"],
            &["logout", "a.io", "https://b.io/v2/", "help", "logout"],
            &["--config", "/tmp/x", "logout", "docker.io"],
            &["--config", "logout", "logout", "ghcr.io"],
            &["logout", "a b", "ünï.io"],
        ];
        for args in taken {
            let argv: Vec<std::ffi::OsString> = std::iter::once("dockercfg")
                .chain(args.iter().copied())
                .map(Into::into)
                .collect();
            let fast = plain_logout(&argv, |_| false).unwrap_or_else(|| panic!("{args:?}"));
            let clap = parse(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{args:?}");
        }
        let left: &[&[&str]] = &[
            &[],
            &["logout"],
            &["list", "a.io"],
            &["logout", "-q", "a.io"],
            &["logout", "a.io", "--dry-run"],
            &["logout", "--", "a.io"],
            &["logout", ""],
            &["--config", "", "logout", "a.io"],
            &["--config", "--podman", "logout", "a.io"],
            &["--config=/tmp/x", "logout", "a.io"],
            &["--authfile", "/tmp/a.json", "logout", "a.io"],
            &["--podman", "logout", "a.io"],
            &["logout", "a.io", "--config", "/tmp/x"],
            &["--lock-timeout", "1", "logout", "a.io"],
            &["--config", "/tmp/x", "--config", "/tmp/y", "logout", "a.io"],
        ];
        for args in left {
            let argv: Vec<std::ffi::OsString> = std::iter::once("dockercfg")
                .chain(args.iter().copied())
                .map(Into::into)
                .collect();
            assert!(plain_logout(&argv, |_| false).is_none(), "{args:?}");
        }
        // A variable that sets an option: clap reads it.
        let argv: Vec<std::ffi::OsString> = ["dockercfg", "logout", "a.io"]
            .into_iter()
            .map(Into::into)
            .collect();
        assert!(plain_logout(&argv, |_| false).is_some());
        for var in ["DOCKERCFG_HELPER_TIMEOUT", "DOCKERCFG_LOCK_TIMEOUT"] {
            assert!(plain_logout(&argv, |v| v == var).is_none(), "{var}");
        }
        // Not UTF-8: clap's to judge.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let argv = vec![
                "dockercfg".into(),
                "logout".into(),
                std::ffi::OsString::from_vec(vec![0xff, b'a']),
            ];
            assert!(plain_logout(&argv, |_| false).is_none());
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }

    /// Each name in UNUSED_GLOBALS is a global option (a typo would hide
    /// nothing); each command is checked by mut_subcommand, which panics.
    #[test]
    fn unused_globals_name_real_options() {
        let cmd = <Cli as clap::CommandFactory>::command();
        let globals: Vec<String> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        for (sub, ids) in UNUSED_GLOBALS {
            assert!(cmd.find_subcommand(sub).is_some(), "{sub}");
            for id in *ids {
                assert!(globals.iter().any(|g| g == id), "{sub}: {id}");
            }
        }
    }

    /// Hidden or not, a global option parses before or after the command,
    /// and its default and environment variable still apply.
    #[test]
    fn global_options_parse_anywhere_with_their_defaults() {
        for args in [
            vec!["--config", "X", "list"],
            vec!["list", "--config", "X"],
            vec!["completions", "bash", "--config", "X"],
            vec!["--config", "X", "completions", "bash"],
            vec!["--config", "X", "version"],
            vec!["fix-perms", "--config", "X"],
        ] {
            let cli = parse(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(
                cli.config.as_deref(),
                Some(std::path::Path::new("X")),
                "{args:?}"
            );
            assert_eq!(cli.helper_timeout, 30.0, "{args:?}");
            assert_eq!(cli.lock_timeout, 10.0, "{args:?}");
        }
        let cli = parse(&["completions", "bash"]).unwrap();
        assert!(cli.config.is_none() && !cli.podman);
        assert!(matches!(cli.command, Command::Completions(_)));
        for args in [
            vec!["fix-perms", "--lock-timeout", "3", "--helper-timeout", "4"],
            vec!["--lock-timeout", "3", "--helper-timeout", "4", "fix-perms"],
            vec!["list", "--lock-timeout", "3", "--helper-timeout", "4"],
            vec!["version", "--lock-timeout", "3", "--helper-timeout", "4"],
        ] {
            let cli = parse(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(
                (cli.lock_timeout, cli.helper_timeout),
                (3.0, 4.0),
                "{args:?}"
            );
        }
        // A bad value is still a usage error where the option is hidden.
        let e = parse(&["version", "--helper-timeout", "0"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(parse(&["completions", "bash", "--config", "X", "--podman"]).is_err());
    }

    /// Help shows a global option only where it does something.
    #[test]
    fn help_shows_global_options_only_where_they_apply() {
        let mut cmd = command();
        cmd.build();
        let help = |sub: &str| {
            cmd.clone()
                .find_subcommand_mut(sub)
                .unwrap()
                .render_long_help()
                .to_string()
        };
        for sub in ["completions", "version"] {
            let h = help(sub);
            assert!(!h.contains(GLOBAL) && !h.contains("--config"), "{sub}: {h}");
        }
        let h = help("fix-perms");
        assert!(
            h.contains("--config")
                && !h.contains("--helper-timeout")
                && !h.contains("--lock-timeout"),
            "{h}"
        );
        let h = help("list");
        assert!(
            h.contains("--helper-timeout") && !h.contains("--lock-timeout"),
            "{h}"
        );
        let h = help("login");
        assert!(h.contains("--lock-timeout"), "{h}");
        // Own options first, the global ones after under their heading.
        let own = h.find("--username").unwrap();
        let heading = h.find(&format!("{GLOBAL}:")).unwrap();
        assert!(
            own < heading && heading < h.find("--config").unwrap(),
            "{h}"
        );
    }

    /// A long_about on an Args struct is reset by the variant's doc comment.
    #[test]
    fn long_help_reaches_the_commands() {
        let cmd = command();
        for (sub, needle) in [
            ("login", "certs.d"),
            ("migrate", "read back"),
            ("explain", "most specific"),
            ("export", "--skip-unresolved"),
            ("exec", "--inherit"),
            ("sync", "--plaintext"),
        ] {
            let about = cmd.find_subcommand(sub).unwrap().get_long_about();
            assert!(
                about.is_some_and(|a| a.to_string().contains(needle)),
                "{sub}"
            );
        }
    }
}
