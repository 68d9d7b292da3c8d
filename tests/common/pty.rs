//! Run a command under a real pseudo-terminal of a given size (openpty,
//! then TIOCSWINSZ through openpty's winsize), as a person's terminal runs
//! it: stdin, stdout and stderr are the pty, and it is the child's
//! controlling terminal, so `/dev/tty` is it too. Nothing mocks the width.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a command wrote to its terminal, line ends as `\n`, and its exit.
pub struct PtyOutput {
    pub text: String,
    pub status: std::process::ExitStatus,
}

/// Run `cmd` under a `cols` x `rows` pseudo-terminal and collect
/// everything it writes there (stdout and stderr both, as a terminal
/// shows them).
pub fn run(cmd: Command, cols: u16, rows: u16) -> PtyOutput {
    let (master, mut child) = spawn(cmd, cols, rows);
    let out = read_all(std::fs::File::from(master));
    let status = child.wait().unwrap();
    PtyOutput {
        text: String::from_utf8_lossy(&out).replace("\r\n", "\n"),
        status,
    }
}

/// Start `cmd` with a pty as stdin, stdout, stderr and controlling
/// terminal; the master side is returned.
fn spawn(mut cmd: Command, cols: u16, rows: u16) -> (OwnedFd, Child) {
    let (master, slave) = open(cols, rows);
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
            Ok(())
        });
    }
    let child = cmd.spawn().expect("spawn under a pty");
    drop(cmd);
    drop(slave);
    (master, child)
}

/// Read the master until the last slave fd is closed.
fn read_all(mut file: std::fs::File) -> Vec<u8> {
    let mut out = Vec::new();
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
    out
}

/// A command on a pseudo-terminal that a test types into, as a person
/// would: wait for a prompt, type a line, press Ctrl-C.
pub struct Session {
    master: std::fs::File,
    seen: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    child: Child,
}

impl Session {
    pub fn spawn(cmd: Command, cols: u16, rows: u16) -> Session {
        let (master, child) = spawn(cmd, cols, rows);
        let master = std::fs::File::from(master);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (reading, sink) = (master.try_clone().unwrap(), Arc::clone(&seen));
        let reader = std::thread::spawn(move || {
            let mut file = reading;
            let mut buf = [0u8; 4096];
            loop {
                match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break, // EIO: the last slave fd is closed
                }
            }
        });
        Session {
            master,
            seen,
            reader: Some(reader),
            child,
        }
    }

    /// Everything shown so far, line ends as `\n`.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen.lock().unwrap()).replace("\r\n", "\n")
    }

    /// Wait (at most 20 s) until the terminal shows `needle`.
    pub fn expect(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "waited 20 s for {needle:?}; the terminal shows:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Type `text` (`\r` is Enter, `\x03` is Ctrl-C).
    pub fn send(&mut self, text: &str) {
        // Give the program time to switch the terminal's mode after showing
        // its prompt (a prompt is written before the mode is set).
        std::thread::sleep(Duration::from_millis(150));
        self.master.write_all(text.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Whether the terminal echoes what is typed now (the program may have
    /// turned echo off for a password and must turn it back on).
    pub fn echoes(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills the termios on success; the fd is open.
        let rc = unsafe { libc::tcgetattr(self.master.as_raw_fd(), t.as_mut_ptr()) };
        assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        // SAFETY: initialised by the successful tcgetattr.
        let t = unsafe { t.assume_init() };
        t.c_lflag & libc::ECHO != 0
    }

    /// Wait (at most 20 s) for the program to end; all it showed and how it
    /// ended.
    pub fn finish(mut self) -> PtyOutput {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "still running after 20 s; the terminal shows:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        PtyOutput {
            text: self.text(),
            status,
        }
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

/// What a terminal shows of `text`: escape sequences (CSI, such as a
/// progress bar's clear-line) take no room, and after a carriage return
/// a line is drawn again from its start.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, then one final byte @..~.
            for f in chars.by_ref() {
                if ('@'..='~').contains(&f) {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out.lines()
        .map(|l| l.rsplit('\r').next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts every line of `text` (what a `cols`-wide terminal was sent)
/// fits in `cols` columns, and each of `commands` is whole on one line,
/// ready to copy.
pub fn assert_fits(text: &str, cols: usize, commands: &[&str]) {
    for l in text.lines() {
        let w = unicode_width::UnicodeWidthStr::width(l);
        assert!(
            w <= cols,
            "a line of {w} columns on a {cols}-column terminal: {l:?}\n{text}"
        );
    }
    for c in commands {
        assert!(
            text.lines().any(|l| l.contains(c)),
            "{c:?} is not whole on one line:\n{text}"
        );
    }
}
