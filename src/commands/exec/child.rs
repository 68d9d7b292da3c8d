//! Running the command of `dockercfg exec` with signals handled, so the
//! private directory is removed however the run ends (short of SIGKILL,
//! which the next run cleans up after, see `private_dir`).
//!
//! SIGINT, SIGTERM and SIGHUP are blocked in every thread from the start
//! (threads inherit the mask; the command gets them unblocked again) and
//! taken by one thread with `sigwait`, a self-pipe without the
//! pipe. Before the command runs, such a signal removes the directory and
//! ends dockercfg with 128+N. While it runs, the signal is forwarded to it
//! and dockercfg waits: the command decides how to end, and its status is
//! passed on. A signal the terminal sent (Ctrl-C) reached the command
//! already, since it shares dockercfg's process group; only signals sent by
//! a process (`kill`, a CI runner) are forwarded, so the command never gets
//! Ctrl-C twice (Linux tells the two apart by `si_code`).

use std::path::PathBuf;
use std::process::{Command, ExitCode, ExitStatus};
use std::sync::{Arc, Mutex};

/// What the signal thread must know to act.
#[derive(Default)]
struct State {
    /// The private directory, once made.
    dir: Option<PathBuf>,
    /// The running command's pid.
    child: Option<libc::pid_t>,
    /// The command has ended: dockercfg is finishing on its own.
    done: bool,
}

/// The signals taken over.
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Signal handling for one run; made before anything else happens.
pub struct Guard {
    state: Arc<Mutex<State>>,
}

impl Guard {
    /// Block the signals in this (the main) thread and start the thread
    /// that waits for them.
    pub fn install() -> Guard {
        let set = signal_set();
        // SAFETY: `set` is a valid, initialised sigset_t.
        unsafe {
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        }
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || loop {
            let (sig, from_terminal) = wait_signal(&set);
            let st = shared.lock().unwrap_or_else(|e| e.into_inner());
            match (st.child, st.done) {
                (_, true) => {}
                (Some(pid), false) => {
                    if !from_terminal {
                        // SAFETY: plain kill(2) on the pid we spawned and
                        // have not reaped (`done` is set before reaping).
                        unsafe {
                            libc::kill(pid, sig);
                        }
                    }
                }
                (None, false) => {
                    if let Some(d) = &st.dir {
                        let _ = std::fs::remove_dir_all(d);
                    }
                    std::process::exit(128 + sig);
                }
            }
        });
        Guard { state }
    }

    /// The private directory exists: a signal from now on removes it.
    pub fn set_dir(&self, dir: PathBuf) {
        self.lock().dir = Some(dir);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Run `cmd` to its end and give its status. The spawn happens under
    /// the state's lock, so a signal is either handled before (dockercfg
    /// ends, nothing runs) or forwarded to the command.
    pub fn run(&self, cmd: &mut Command) -> std::io::Result<ExitStatus> {
        let mut child = {
            let mut st = self.lock();
            let child = cmd.spawn()?;
            st.child = libc::pid_t::try_from(child.id()).ok();
            child
        };
        // A signal between the end of `wait` and this point would be sent
        // to a reaped pid, perhaps reused: `try_wait` polling would not fix
        // that either, so mark done before reaping with waitid(WNOWAIT).
        wait_exited(child.id());
        self.lock().done = true;
        child.wait()
    }
}

/// Wait until process `pid` has ended, without reaping it (so its pid
/// stays ours until `Child::wait`).
fn wait_exited(pid: u32) {
    loop {
        // SAFETY: a zeroed siginfo_t is a valid out-parameter for waitid.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return;
        }
    }
}

/// The exit status to pass on: the command's code, or 128+N for a
/// command ended by signal N, as a shell reports it.
pub fn exit_code(status: ExitStatus) -> ExitCode {
    use std::os::unix::process::ExitStatusExt;
    let code = match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, Some(s)) => 128 + s,
        (None, None) => 1,
    };
    ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1))
}

fn signal_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the set; sigaddset takes valid signals.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in SIGNALS {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// The next of the blocked signals, and whether the terminal sent it.
#[cfg(target_os = "linux")]
fn wait_signal(set: &libc::sigset_t) -> (libc::c_int, bool) {
    loop {
        // SAFETY: `set` is initialised; `info` is a valid out-parameter.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let sig = unsafe { libc::sigwaitinfo(set, &mut info) };
        if sig > 0 {
            return (sig, info.si_code == libc::SI_KERNEL);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn wait_signal(set: &libc::sigset_t) -> (libc::c_int, bool) {
    loop {
        let mut sig: libc::c_int = 0;
        // SAFETY: `set` is initialised; `sig` is a valid out-parameter.
        if unsafe { libc::sigwait(set, &mut sig) } == 0 {
            return (sig, false);
        }
    }
}

/// Give the command a clean signal state: the blocked signals unblocked
/// (std's spawn keeps the parent's mask), and SIGXFSZ back to its default
/// (main ignores it for dockercfg's own writes; an ignored signal is
/// inherited across exec).
pub fn reset_signals_in_child(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let set = signal_set();
    // SAFETY: between fork and exec only async-signal-safe calls are made:
    // pthread_sigmask and signal, on a set built before the fork.
    unsafe {
        cmd.pre_exec(move || {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
            Ok(())
        });
    }
}

/// The error to report for a command that could not be started, and the
/// exit code a shell (and env(1), timeout(1)) would give: 127 for a
/// command not found, 126 for one that cannot be run.
pub fn spawn_failure(program: &std::ffi::OsStr, e: &std::io::Error) -> (String, u8) {
    let code = if e.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    };
    (
        format!(
            "cannot run {}: {}",
            program.to_string_lossy(),
            crate::config::describe_io(e)
        ),
        code,
    )
}
