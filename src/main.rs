//! argv -> library -> exit code. Nothing else lives here.

use std::process::ExitCode;
use std::time::Duration;

use dockercfg::cli::{Cli, Command};
use dockercfg::config::locate;
use dockercfg::context::Flavor;
use dockercfg::{commands, Context};

fn main() -> ExitCode {
    ignore_file_size_signal();
    // `COMPLETE=bash dockercfg -- WORDS...`: the shell asking for
    // completions (see generate::completions); answers and exits.
    clap_complete::CompleteEnv::with_factory(dockercfg::cli::command)
        .var(dockercfg::generate::COMPLETE_VAR)
        .completer("dockercfg")
        .complete();
    let cli = dockercfg::cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            dockercfg::output::error(&e);
            // A mistake in the command line found after clap (a bad
            // registry name, a flag that does not fit the file): exit 2,
            // as clap's own usage errors.
            if e.downcast_ref::<dockercfg::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The global option that chose the file, for commands shown to the user
/// (unquoted words; `Context::command` quotes them).
fn chosen_by(cli: &Cli) -> Vec<String> {
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    if let Some(p) = &cli.authfile {
        vec!["--authfile".into(), path(p)]
    } else if cli.podman {
        vec!["--podman".into()]
    } else {
        match cli.config.as_deref() {
            Some(p) => vec!["--config".into(), path(p)],
            None => Vec::new(),
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // These never read a credential file: answered before one is located.
    match &cli.command {
        Command::Completions(args) => {
            use std::io::Write;
            std::io::stdout().write_all(&dockercfg::generate::completions(args.shell))?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Version(args) => return commands::version::run(args),
        _ => {}
    }
    // --authfile / --podman: a containers auth.json; else docker's config.json.
    let (path, flavor) = if cli.authfile.is_some() || cli.podman {
        let env = locate::PodmanEnv::from_process();
        let path = locate::locate_authfile(cli.authfile.as_deref(), &env)?;
        (path, Flavor::Containers)
    } else {
        let env_dir = std::env::var_os("DOCKER_CONFIG").map(std::path::PathBuf::from);
        let path = locate::locate(cli.config.as_deref(), env_dir.as_deref())?;
        if let Some(flag) = &cli.config {
            missing_config_dir(flag, &path, &cli.command)?;
        }
        (path, Flavor::Docker)
    };
    let ctx = Context::new(
        path,
        Duration::from_secs_f64(cli.helper_timeout),
        Duration::from_secs_f64(cli.lock_timeout),
    )
    .with_flavor(flavor)
    .with_invocation(chosen_by(&cli));
    match &cli.command {
        Command::List(args) => commands::list::run(args, &ctx),
        Command::Login(args) => commands::login::run(args, &ctx),
        Command::Logout(args) => commands::logout::run(args, &ctx),
        Command::Audit(args) => commands::audit::run(args, &ctx),
        Command::FixPerms(args) => commands::fix_perms::run(args, &ctx),
        Command::Get(args) => commands::get::run(args, &ctx),
        Command::Completions(_) | Command::Version(_) => {
            unreachable!("answered before the file is located")
        }
        Command::Migrate(args) => commands::migrate::run(args, &ctx),
        Command::Store(args) => commands::store::run(args, &ctx),
        Command::Explain(args) => commands::explain::run(args, &ctx),
        Command::Doctor(args) => commands::doctor::run(args, &ctx),
        Command::Export(args) => commands::export::run(args, &ctx),
        Command::Exec(args) => commands::exec::run(args, &ctx),
        Command::Sync(args) => commands::sync::run(args, &ctx),
    }
}

/// `--config DIR` naming a directory that does not exist is almost always a
/// typo: a command that only reads the file says so rather than "no logins"
/// (docker would read nothing there too; `login` creates the directory).
fn missing_config_dir(
    flag: &std::path::Path,
    path: &std::path::Path,
    command: &Command,
) -> anyhow::Result<()> {
    let reads_only = matches!(
        command,
        Command::List(_)
            | Command::Get(_)
            | Command::Explain(_)
            | Command::Doctor(_)
            | Command::Export(_)
            | Command::Audit(_)
    );
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    match dir {
        Some(d) if reads_only && !d.exists() => anyhow::bail!(
            "--config {}: the directory {} does not exist (nothing to read there)",
            flag.display(),
            d.display()
        ),
        _ => Ok(()),
    }
}

/// Under a file size limit (`ulimit -f`, RLIMIT_FSIZE), a write past it
/// raises SIGXFSZ, whose default action kills the process with no message.
/// Ignored, the write fails with EFBIG instead, and the write path reports
/// "cannot write <file>: file too large" with the original intact.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists;
    // SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
