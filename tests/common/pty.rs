//! Run a command under a real pseudo-terminal of a given size (openpty,
//! then TIOCSWINSZ through openpty's winsize), as a person's terminal runs
//! it: stdin, stdout and stderr are the pty, and it is the child's
//! controlling terminal, so `/dev/tty` is it too. Nothing mocks the width.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

/// What a command wrote to its terminal, line ends as `\n`, and its exit.
pub struct PtyOutput {
    pub text: String,
    pub status: std::process::ExitStatus,
}

/// Run `cmd` under a `cols` x `rows` pseudo-terminal and collect
/// everything it writes there (stdout and stderr both, as a terminal
/// shows them).
pub fn run(mut cmd: Command, cols: u16, rows: u16) -> PtyOutput {
    let (master, slave) = open(cols, rows);
    let slave_fd = {
        use std::os::fd::AsRawFd;
        slave.as_raw_fd()
    };
    cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave.try_clone().unwrap()));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // stdin is the slave: make it the controlling terminal.
            if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let _ = slave_fd;
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn under a pty");
    drop(cmd);
    drop(slave);
    let mut out = Vec::new();
    let mut file = std::fs::File::from(master);
    let mut buf = [0u8; 4096];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            // Linux answers EIO once the last slave fd is closed.
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("reading the pty: {e}"),
        }
    }
    let status = child.wait().unwrap();
    PtyOutput {
        text: String::from_utf8_lossy(&out).replace("\r\n", "\n"),
        status,
    }
}

fn open(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two fds; the name buffer is null (unused).
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty returned two fresh fds that we now own.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}
