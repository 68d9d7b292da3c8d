//! `login`'s questions: username and password from the flags, stdin, or
//! prompts on the terminal, and what Ctrl-C at a prompt does.

use std::io::BufRead;

use anyhow::{bail, Context as _, Result};

use crate::cli::LoginArgs;
use crate::context::Context;
use crate::{output, Secret};

/// Flags that cannot go together, refused before anything is asked.
pub(super) fn check_flags(args: &LoginArgs) -> Result<()> {
    if args.password_stdin && args.password.is_some() {
        bail!("--password and --password-stdin are mutually exclusive");
    }
    if args.password_stdin && args.username.is_none() {
        bail!("--password-stdin needs --username");
    }
    Ok(())
}

/// Whether `login` will prompt on the terminal for the username or the
/// password.
pub(super) fn prompts(args: &LoginArgs, ctx: &Context) -> bool {
    let asks_username = args.username.is_none();
    let asks_password = args.password.is_none() && !args.password_stdin;
    ctx.stdin_is_terminal && (asks_username || asks_password)
}

/// Username and password from the flags, stdin, or prompts on a terminal
/// that name the registry (`shown`: "Docker Hub" or the host) and offer
/// `current`, the username already logged in, as the default.
pub(super) fn credentials(
    args: &LoginArgs,
    ctx: &Context,
    shown: &str,
    current: Option<String>,
) -> Result<(String, Secret)> {
    let shown = output::escape(shown);
    // Ctrl-C at a prompt ends login with the terminal as it was.
    let _guard = ctx.stdin_is_terminal.then(interrupt::Guard::install);
    let username = match &args.username {
        Some(u) => u.trim().to_string(),
        None if ctx.stdin_is_terminal => {
            // Enter takes the default; with none, an empty answer is an
            // error below rather than the same question again.
            let mut p = dialoguer::Input::<String>::new()
                .with_prompt(format!("Username for {shown}"))
                .allow_empty(true);
            if let Some(u) = current {
                p = p.default(u);
            }
            let typed =
                interrupt::on_ctrl_c(p.interact_text()).context("cannot read the username")?;
            typed.trim().to_string()
        }
        None => bail!(
            "no credentials given and stdin is not a terminal: pass --username and --password-stdin"
        ),
    };
    if username.is_empty() {
        bail!("the username is empty");
    }
    let secret = if let Some(p) = &args.password {
        output::warn("using --password on the command line is insecure (other users can see it in the process list); use --password-stdin");
        Secret::new(p.clone())
    } else if args.password_stdin {
        let mut line = zeroize::Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        // One line; only its ending goes (a password may end in spaces).
        Secret::new(line.trim_end_matches(['\n', '\r']).to_string())
    } else if ctx.stdin_is_terminal {
        let prompt = dialoguer::Password::new()
            .with_prompt(format!("Password for {shown}"))
            .allow_empty_password(true);
        Secret::new(interrupt::on_ctrl_c(prompt.interact()).context("cannot read the password")?)
    } else {
        bail!("no password given and stdin is not a terminal: pass --password-stdin");
    };
    if secret.is_empty() {
        bail!("the password is empty");
    }
    Ok((username, secret))
}

/// Ctrl-C at a prompt ends login as it ends any program: killed by SIGINT
/// (a shell reports 130), nothing stored, nothing more printed. Before it
/// dies the terminal is put back as it was: the password prompt turns echo
/// off, and a SIGINT while it is off would otherwise leave the user's
/// terminal not showing what they type. At the username prompt the
/// terminal is in raw mode, where Ctrl-C is read as a key and the prompt
/// returns "interrupted": the same ending is given to it.
#[cfg(unix)]
mod interrupt {
    use std::os::fd::IntoRawFd;
    use std::sync::OnceLock;

    /// The terminal's fd and its settings before any prompt.
    static SAVED: OnceLock<(i32, libc::termios)> = OnceLock::new();

    /// While alive, SIGINT restores the terminal before it ends the process.
    pub struct Guard(());

    impl Guard {
        pub fn install() -> Guard {
            if SAVED.get().is_none() {
                if let Ok(tty) = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open("/dev/tty")
                {
                    let fd = tty.into_raw_fd(); // kept open for the handler
                    let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
                    // SAFETY: tcgetattr fills `t` when it returns 0.
                    if unsafe { libc::tcgetattr(fd, t.as_mut_ptr()) } == 0 {
                        // SAFETY: initialised by the successful tcgetattr.
                        let _ = SAVED.set((fd, unsafe { t.assume_init() }));
                    }
                }
            }
            // SAFETY: the handler only makes async-signal-safe calls.
            unsafe {
                libc::signal(
                    libc::SIGINT,
                    on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t,
                );
            }
            Guard(())
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            // SAFETY: back to the default action; no handler code involved.
            unsafe {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
            }
        }
    }

    extern "C" fn on_sigint(_: libc::c_int) {
        die();
    }

    /// Restore the terminal, end the line the prompt was on, and die of
    /// SIGINT. Only async-signal-safe calls: it runs in the handler.
    fn die() {
        // SAFETY: tcsetattr, write, signal and raise are async-signal-safe;
        // SAVED was set before the handler was installed.
        unsafe {
            if let Some((fd, t)) = SAVED.get() {
                libc::tcsetattr(*fd, libc::TCSANOW, t);
            }
            libc::write(2, b"\n".as_ptr().cast(), 1);
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::raise(libc::SIGINT);
        }
    }

    /// A prompt's result; Ctrl-C read as a key (raw mode) ends the process
    /// as SIGINT would.
    pub fn on_ctrl_c<T>(r: dialoguer::Result<T>) -> dialoguer::Result<T> {
        if let Err(dialoguer::Error::IO(e)) = &r {
            if e.kind() == std::io::ErrorKind::Interrupted {
                die();
            }
        }
        r
    }
}

#[cfg(not(unix))]
mod interrupt {
    /// Elsewhere Ctrl-C keeps the console's own behaviour.
    pub struct Guard(());

    impl Guard {
        pub fn install() -> Guard {
            Guard(())
        }
    }

    pub fn on_ctrl_c<T>(r: dialoguer::Result<T>) -> dialoguer::Result<T> {
        r
    }
}
