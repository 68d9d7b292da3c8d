//! Crash and fault safety of every write, and of every helper call (issue
//! #7): SIGKILL at random moments of many writes, a file size limit, an
//! unprivileged user against files it cannot change, helpers that crash,
//! hang, flood or babble, config paths that are FIFOs, devices or symlink
//! loops, and the modes of what is written whatever the umask.
//!
//! tests/write_path.rs covers the happy write path, the lock timeout and a
//! size limit with SIGXFSZ ignored by the shell; these go further.
mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{auth, mode_of, set_mode, HelperFault, TestEnv};

/// xorshift64*: reproducible random delays from a printed seed, std only.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn seed(var: &str) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        })
}

/// A config as benches/run.sh generates it: `n` entries `regNNNNN.example.com`,
/// sorted, tab-indented as docker writes, plus settings and a key docker
/// does not know.
fn bench_config(n: usize) -> String {
    let mut s = String::from("{\n\t\"auths\": {");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "\n\t\t\"reg{i:05}.example.com\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}",
            auth(&format!("user{i}"), &format!("password{i}"))
        ));
    }
    s.push_str(
        "\n\t},\n\t\"psFormat\": \"table {{.ID}}\\t{{.Image}}\\t{{.Names}}\",\n\t\"detachKeys\": \"ctrl-e,e\",\n\t\"currentContext\": \"default\",\n\t\"experimental\": \"enabled\",\n\t\"dockercfgBenchUnknown\": {\n\t\t\"note\": \"not a docker key\",\n\t\t\"n\": 1\n\t}\n}",
    );
    s
}

/// Our temp files beside the config (`.config.json.dockercfg-*.tmp`).
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(".config.json.dockercfg-") && n.ends_with(".tmp")
        })
        .collect()
}

/// A std Command for dockercfg in `env`, with umask 000 in the child so
/// that any mode we see is the one dockercfg chose, not the umask's.
fn cmd_umask0(env: &TestEnv) -> Command {
    let mut c = env.std_cmd();
    c.env_remove("DOCKERCFG_LOCK_TIMEOUT");
    // SAFETY: umask is async-signal-safe and touches no memory.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    c
}

fn stderr_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run to completion with `stdin`, killing it (and failing) after `limit`.
fn run_with_timeout(mut c: Command, stdin: &[u8], limit: Duration) -> Output {
    use std::io::Write;
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{c:?} still running after {limit:?}; stderr: {}",
                stderr_of(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = feeder.join();
    child.wait_with_output().unwrap()
}

// ---------------------------------------------------------------------------
// SIGKILL during 1,000 writes of a 10,000-entry file
// ---------------------------------------------------------------------------

const KILL_REGISTRIES: usize = 8;

/// `login` of a new registry with the password on stdin ("pw").
const LOGIN_NEW: &[&str] = &[
    "login",
    "--no-verify",
    "-u",
    "u",
    "--password-stdin",
    "new.io",
];

fn login_cmd(env: &TestEnv, registry: &str) -> Command {
    let mut c = cmd_umask0(env);
    c.args([
        "login",
        "-q",
        "--no-verify",
        "-u",
        "u",
        "--password-stdin",
        registry,
    ]);
    c
}

fn logout_cmd(env: &TestEnv, registry: &str) -> Command {
    let mut c = cmd_umask0(env);
    c.args(["logout", "-q", registry]);
    c
}

/// Spawn `c` (a login gets its password on stdin) and SIGKILL it after
/// `delay`. Returns whether it was still running when killed, and its exit
/// status otherwise.
fn spawn_and_kill(mut c: Command, login: bool, delay: Duration) -> (bool, Option<i32>) {
    use std::io::Write;
    c.stdout(Stdio::null()).stderr(Stdio::null());
    if login {
        c.stdin(Stdio::piped());
    } else {
        c.stdin(Stdio::null());
    }
    let start = Instant::now();
    let mut child = c.spawn().unwrap();
    if login {
        // The pipe buffer takes it without blocking; ignore EPIPE from an
        // early kill.
        let _ = child.stdin.take().unwrap().write_all(b"pw\n");
    }
    let left = delay.saturating_sub(start.elapsed());
    // Sleep most of the delay, then poll, so a run that ends early is seen.
    let until = start + left;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return (false, st.code());
        }
        let now = Instant::now();
        if now >= until {
            break;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(2)));
    }
    let _ = child.kill();
    let st = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    if st.signal() == Some(libc::SIGKILL) {
        (true, None)
    } else {
        (false, st.code())
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn kill_during_1000_writes() {
    let kills: usize = std::env::var("FAULTS_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let env = TestEnv::new();
    let base = bench_config(10_000);
    env.write_config(&base);
    set_mode(&env.config_path(), 0o600);
    set_mode(&env.config_dir(), 0o700);
    let dir = env.config_dir();

    // The content after each login, found by one unkilled login; its logout
    // must give back the base bytes. The same runs time a whole login and
    // a whole logout, over which the kill delays are spread.
    let regs: Vec<String> = (0..KILL_REGISTRIES)
        .map(|i| format!("kill{i}.example.org"))
        .collect();
    let mut after_login = Vec::new();
    let (mut t_login, mut t_logout) = (Vec::new(), Vec::new());
    for r in &regs {
        let start = Instant::now();
        let out = run_with_timeout(login_cmd(&env, r), b"pw\n", Duration::from_secs(30));
        t_login.push(start.elapsed());
        assert!(out.status.success(), "{}", stderr_of(&out));
        let new = env.read_config();
        assert_ne!(new, base);
        serde_json::from_str::<serde_json::Value>(&new).unwrap();
        after_login.push(new);
        let start = Instant::now();
        let out = run_with_timeout(logout_cmd(&env, r), b"", Duration::from_secs(30));
        t_logout.push(start.elapsed());
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert_eq!(env.read_config(), base, "logout {r} did not undo its login");
    }
    let (t_login, t_logout) = (median(t_login), median(t_logout));

    let seed = seed("FAULTS_KILL_SEED");
    eprintln!(
        "kill_during_1000_writes: FAULTS_KILL_SEED={seed}, {kills} kills; an unkilled login takes {t_login:?}, a logout {t_logout:?}"
    );
    let mut rng = Rng(seed);
    // Which registry is logged in now (None: the file is `base`).
    let mut state: Option<usize> = None;
    let (mut old, mut new, mut finished, mut leftovers) = (0, 0, 0, 0);
    let mut next_reg = 0;
    let started = Instant::now();
    for k in 0..kills {
        let (c, is_login, run_time, old_text, new_text, new_state) = match state {
            None => {
                let r = next_reg;
                next_reg = (next_reg + 1) % KILL_REGISTRIES;
                (
                    login_cmd(&env, &regs[r]),
                    true,
                    t_login,
                    &base,
                    &after_login[r],
                    Some(r),
                )
            }
            Some(r) => (
                logout_cmd(&env, &regs[r]),
                false,
                t_logout,
                &after_login[r],
                &base,
                None,
            ),
        };
        // The delay, as a fraction of a whole run: most are log-uniform
        // over (0.01%, 110%] of the run, so every phase from start-up to
        // exit is hit while the average stays short (1,000 kills of a
        // ~0.2 s debug-build run must fit in about a minute); one in eight
        // is uniform over the last quarter of the run and a bit past it,
        // where the temp file is written, synced and renamed.
        let frac = if rng.unit() < 0.125 {
            0.75 + 0.4 * rng.unit()
        } else {
            (0.0001f64).powf(1.0 - rng.unit()) * 1.1
        };
        let delay = run_time.mul_f64(frac);
        let (killed, code) = spawn_and_kill(c, is_login, delay);
        if !killed {
            assert_eq!(code, Some(0), "kill {k}: an unkilled run failed");
            finished += 1;
        }
        let now = fs::read_to_string(env.config_path()).unwrap();
        if now == *old_text {
            old += 1;
            assert!(
                killed,
                "kill {k}: the run finished but the file is unchanged"
            );
        } else if now == *new_text {
            new += 1;
            state = new_state;
        } else {
            let parses = serde_json::from_str::<serde_json::Value>(&now).is_ok();
            panic!(
                "kill {k} (seed {seed}, delay {delay:?}): the file is neither the old nor the new content (parses: {parses}, {} bytes)",
                now.len()
            );
        }
        let temps = temp_files(&dir);
        if !killed {
            assert!(
                temps.is_empty(),
                "kill {k}: a finished run left temp files: {temps:?}"
            );
        }
        for t in &temps {
            // A temp file holds secrets: never more than 0600, even with
            // umask 000.
            if let Ok(m) = fs::symlink_metadata(t) {
                assert_eq!(m.mode() & 0o077, 0, "{t:?} is mode {:o}", m.mode());
                leftovers += 1;
            }
        }
    }
    // The file parses (it is byte-equal to a content that parsed above).
    let final_text = env.read_config();
    serde_json::from_str::<serde_json::Value>(&final_text).unwrap();
    let leftover_now = temp_files(&dir);
    eprintln!(
        "kill_during_1000_writes: {old} ended with the old content, {new} with the new ({finished} of them finished before the kill); {leftovers} temp-file sightings, {} left at the end; {:?} in all",
        leftover_now.len(),
        started.elapsed()
    );
    let few = (kills / 100).clamp(1, 5);
    assert!(
        old >= few && new >= few,
        "the kill delays hit only one side: {old} old, {new} new"
    );

    // The next successful write removes every temp file a kill left behind.
    let stale = dir.join(".config.json.dockercfg-killed.tmp");
    fs::write(&stale, "half a file").unwrap();
    let out = run_with_timeout(
        login_cmd(&env, "after.example.org"),
        b"pw\n",
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(temp_files(&dir), Vec::<PathBuf>::new());
    assert_eq!(mode_of(&env.config_path()), 0o600);
}

// ---------------------------------------------------------------------------
// A file size limit (RLIMIT_FSIZE), with SIGXFSZ left at its default
// ---------------------------------------------------------------------------

#[test]
fn file_too_large_is_a_clear_error_and_the_original_is_intact() {
    let env = TestEnv::new();
    let original = bench_config(200); // ~15 kB
    env.write_config(&original);
    let limit: libc::rlim_t = 4096;
    assert!(original.len() as u64 > limit);
    for (args, stdin) in [
        (
            vec![
                "login",
                "--no-verify",
                "-u",
                "u",
                "--password-stdin",
                "big.io",
            ],
            &b"pw\n"[..],
        ),
        (vec!["logout", "reg00007.example.com"], &b""[..]),
    ] {
        let mut c = env.std_cmd();
        c.args(&args);
        // SAFETY: setrlimit is async-signal-safe. SIGXFSZ keeps whatever
        // disposition the test runner has (the default: kill), as a user's
        // shell would: dockercfg must cope with it itself.
        unsafe {
            c.pre_exec(move || {
                let r = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
                Ok(())
            });
        }
        let out = run_with_timeout(c, stdin, Duration::from_secs(30));
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            out.status.signal(),
            None,
            "{args:?}: dockercfg was killed by a signal (SIGXFSZ is 25) instead of reporting the error"
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        let path = env.config_path().display().to_string();
        assert_eq!(err.lines().count(), 1, "{args:?}: not one line: {err}");
        assert!(
            err.starts_with("dockercfg: error: ")
                && err.contains(&format!("cannot write {path}"))
                && err.contains("too large"),
            "{args:?}: {err}"
        );
        assert_eq!(env.read_config(), original, "{args:?}");
        assert_eq!(
            temp_files(&env.config_dir()),
            Vec::<PathBuf>::new(),
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Helper faults across every command that calls a helper
// ---------------------------------------------------------------------------

/// The commands that call a helper, each set up so its helper is `f`.
const HELPER_COMMANDS: [&[&str]; 6] = [
    &["list", "--json"],
    LOGIN_NEW,
    &["logout", "x.io"],
    &["get", "x.io"],
    &["migrate"],
    &["audit", "--deep"],
];

#[test]
fn helper_faults_give_a_clear_error_naming_the_helper_for_every_command() {
    let config = format!(
        r#"{{"auths": {{"x.io": {{}}, "plain.io": {{"auth": "{}"}}}}, "credsStore": "f"}}"#,
        auth("pu", "plain-pw")
    );
    let mut cases = Vec::new();
    // First every action fails; then only the ones that touch a secret
    // (list and version answer as an empty store), so commands get past
    // their first call.
    for healthy in [&[][..], &["list", "version"][..]] {
        for fault in HelperFault::ALL {
            for args in HELPER_COMMANDS {
                if args[0] == "list" && !healthy.is_empty() {
                    continue; // list calls nothing but `list`
                }
                cases.push((healthy, fault, args));
            }
        }
    }
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&(healthy, fault, args)) = cases.get(i) else {
                    break;
                };
                if let Err(e) = helper_fault_case(&config, healthy, fault, args) {
                    failures.lock().unwrap().push(format!(
                        "{args:?} with {fault:?} (healthy: {healthy:?}): {e}"
                    ));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn helper_fault_case(
    config: &str,
    healthy: &[&str],
    fault: HelperFault,
    args: &[&str],
) -> Result<(), String> {
    let env = TestEnv::new();
    env.write_config(config);
    set_mode(&env.config_path(), 0o600);
    set_mode(&env.config_dir(), 0o700);
    env.faulty_helper("f", fault, healthy);
    // Only the hang needs the short limit. The others must fail on their own
    // merits, not on the clock: a 20 MB write through python missed a 1 s
    // limit on a loaded 2-core machine and the test blamed the wrong fault.
    let limit = if matches!(fault, HelperFault::Hang) {
        "1"
    } else {
        "10"
    };
    let mut c = env.std_cmd();
    c.args(["--helper-timeout", limit]).args(args);
    let start = Instant::now();
    let out = run_with_timeout(c, b"pw\n", Duration::from_secs(30));
    let took = start.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let err = stderr_of(&out);
    let program = "docker-credential-f";
    if out.stdout.len() + out.stderr.len() > 64 * 1024 {
        return Err(format!(
            "{} bytes of output: the helper's output was passed on",
            out.stdout.len() + out.stderr.len()
        ));
    }
    if took > Duration::from_secs(15) {
        return Err(format!("took {took:?} with --helper-timeout {limit}"));
    }
    for raw in ["<html>", "xxxxxxxx", "\u{fffd}"] {
        if stdout.contains(raw) || err.contains(raw) {
            return Err(format!(
                "the helper's raw output ({raw:?}) was passed on: {err}"
            ));
        }
    }
    // `store` and `erase` answer only with their exit status: what they
    // print on exit 0 is not read (docker does the same), so a helper that
    // exits 0 has stored or erased, whatever it says. Only output past the
    // cap is an error there.
    let writes = match args[0] {
        "login" => Some("store"),
        "logout" if healthy.contains(&"list") => Some("erase"),
        _ => None,
    };
    let exit0 = matches!(
        fault,
        HelperFault::Garbage | HelperFault::NonUtf8 | HelperFault::Exit0Error
    );
    if let (Some(action), true) = (writes, exit0) {
        if out.status.code() != Some(0) {
            return Err(format!(
                "{action} exited 0, so the command should succeed: exit {:?}, {err}",
                out.status.code()
            ));
        }
        return Ok(());
    }
    let want_code = if args[0] == "list" { 0 } else { 1 };
    if out.status.code() != Some(want_code) {
        return Err(format!(
            "exit {:?}, want {want_code}; {stdout}{err}",
            out.status.code()
        ));
    }
    // Every line that names the helper is one whole message: where the
    // command reports (list's JSON rows, audit's findings) or on stderr.
    let says_what = |l: &String| {
        ["failed", "timed out", "unusable answer"]
            .iter()
            .any(|w| l.contains(w))
    };
    let naming: Vec<String> = if args[0] == "list" {
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&stdout).map_err(|e| format!("{e}: {stdout}"))?;
        rows.iter()
            .filter_map(|r| r["error"].as_str().map(str::to_string))
            .filter(|e| e.contains(program))
            .collect()
    } else {
        stdout
            .lines()
            .chain(err.lines())
            .filter(|l| l.contains(program))
            .map(str::to_string)
            .collect()
    };
    let naming: Vec<String> = naming.into_iter().filter(says_what).collect();
    if naming.is_empty() {
        return Err(format!(
            "nothing names {program} and says what went wrong: {stdout}{err}"
        ));
    }
    if args[0] == "logout" {
        // logout goes on with the other registries and reports each
        // failure as one line naming the registry and the helper (README).
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(program)).collect();
        if lines.len() != 1 || !lines[0].contains("x.io") {
            return Err(format!("want one line naming x.io and {program}: {err:?}"));
        }
    } else if !matches!(args[0], "list" | "audit" | "migrate") {
        let errors: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("dockercfg: error: "))
            .collect();
        if errors.len() != 1 || !errors[0].contains(program) {
            return Err(format!("want one error line naming {program}: {err:?}"));
        }
    }
    if args[0] != "list" && env.read_config() != config {
        return Err(format!(
            "the command failed but changed the file:\n{}",
            env.read_config()
        ));
    }
    let want = match fault {
        HelperFault::Hang => Some("timed out"),
        HelperFault::Huge => Some("more than 16 MiB"),
        _ => None,
    };
    if let Some(w) = want {
        if !naming.iter().any(|l| l.contains(w)) {
            return Err(format!("no message says {w:?}: {naming:?}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// config.json that is a FIFO, a device, or a symlink loop
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Special {
    Fifo,
    DevNull,
    DevZero,
    SymlinkLoop,
}

/// Make config.json `kind`; returns the path of the special file itself.
/// As root, devices are made with mknod in the test's own directory, so a
/// command that wrongly changes them (a chmod through the link) cannot
/// damage the machine's /dev/null.
fn make_special(env: &TestEnv, kind: Special) -> PathBuf {
    fs::create_dir_all(env.config_dir()).unwrap();
    set_mode(&env.config_dir(), 0o700);
    let cfg = env.config_path();
    let mknod = |name: &str, minor: u32, system: &str| -> PathBuf {
        if common::is_root() {
            let p = env.home().join(name);
            let c = std::ffi::CString::new(p.as_os_str().to_str().unwrap()).unwrap();
            // SAFETY: a valid C string; mknod touches no memory of ours.
            let r =
                unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, minor)) };
            assert_eq!(r, 0, "mknod: {}", std::io::Error::last_os_error());
            std::os::unix::fs::symlink(&p, &cfg).unwrap();
            p
        } else {
            std::os::unix::fs::symlink(system, &cfg).unwrap();
            PathBuf::from(system)
        }
    };
    match kind {
        Special::Fifo => {
            let c = std::ffi::CString::new(cfg.as_os_str().to_str().unwrap()).unwrap();
            // SAFETY: as above.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            cfg
        }
        Special::DevNull => mknod("null", 3, "/dev/null"),
        Special::DevZero => mknod("zero", 5, "/dev/zero"),
        Special::SymlinkLoop => {
            std::os::unix::fs::symlink("a", &cfg).unwrap();
            std::os::unix::fs::symlink("config.json", env.config_dir().join("a")).unwrap();
            cfg
        }
    }
}

/// What a special file looks like, to check nothing changed it.
fn snapshot(p: &Path) -> (u32, u64, bool) {
    let m = fs::symlink_metadata(p).unwrap();
    (m.mode(), m.rdev(), m.file_type().is_symlink())
}

#[test]
fn fifo_device_and_symlink_loop_are_refused_by_every_command() {
    let commands: [&[&str]; 11] = [
        &["list"],
        &[
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "x.io",
        ],
        &["logout", "x.io"],
        &["logout", "--all"],
        &["audit"],
        &["audit", "--deep"],
        &["get", "x.io"],
        &["fix-perms"],
        &["fix-perms", "--check"],
        &["migrate"],
        &["migrate", "--dry-run"],
    ];
    let mut failures = Vec::new();
    for kind in [
        Special::Fifo,
        Special::DevNull,
        Special::DevZero,
        Special::SymlinkLoop,
    ] {
        for args in commands {
            let env = TestEnv::new();
            let special = make_special(&env, kind);
            let before = (
                snapshot(&special),
                snapshot(&env.config_path()),
                mode_of(&env.config_dir()),
            );
            let mut c = env.std_cmd();
            c.args(args);
            let out = run_with_timeout(c, b"pw\n", Duration::from_secs(10));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let err = stderr_of(&out);
            let path = env.config_path().display().to_string();
            let why = match kind {
                Special::SymlinkLoop => "symbolic links",
                _ => "not a regular file",
            };
            let after = (
                snapshot(&special),
                snapshot(&env.config_path()),
                mode_of(&env.config_dir()),
            );
            let mut problems = Vec::new();
            if out.status.success() {
                problems.push("exit 0".to_string());
            }
            if before != after {
                problems.push(format!(
                    "it changed the file system: {before:?} -> {after:?}"
                ));
            }
            if args[0] == "audit" {
                // A report: the finding names the path and the problem.
                if !stdout.lines().any(|l| l.contains(&path) && l.contains(why)) {
                    problems.push(format!("no finding names {path} and {why:?}"));
                }
            } else {
                let errors: Vec<&str> = err
                    .lines()
                    .filter(|l| l.starts_with("dockercfg: error: "))
                    .collect();
                if errors.len() != 1 || !errors[0].contains(&path) || !errors[0].contains(why) {
                    problems.push(format!("want one error line with {path} and {why:?}"));
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{kind:?} {args:?}: {}; stdout {stdout:?}, stderr {err:?}",
                    problems.join("; ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// An unprivileged user against files it may not change
// ---------------------------------------------------------------------------

fn nobody_owns(p: &Path) {
    std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
}

/// A config with one plaintext login, as nobody's 0600 file in nobody's
/// 0700 directory `name` under HOME (HOME opened to others): the directory
/// and the file's text.
fn nobodys_config(env: &TestEnv, name: &str) -> (PathBuf, String) {
    set_mode(env.home(), 0o755);
    let text = format!(
        "{{\n\t\"auths\": {{\n\t\t\"x.io\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}\n\t}}\n}}",
        auth("u", "p")
    );
    let dir = env.home().join(name);
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("config.json"), &text).unwrap();
    nobody_owns(&dir);
    nobody_owns(&dir.join("config.json"));
    set_mode(&dir.join("config.json"), 0o600);
    set_mode(&dir, 0o700);
    (dir, text)
}

fn nobody_run(env: &TestEnv, dir: &Path, args: &[&str]) -> Output {
    let mut c = common::as_nobody(env);
    c.arg("--config").arg(dir).args(args);
    run_with_timeout(c, b"pw\n", Duration::from_secs(30))
}

fn one_error_line(out: &Output) -> String {
    let err = stderr_of(out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {err}");
    assert!(lines[0].starts_with("dockercfg: error: "), "{err}");
    lines[0].to_string()
}

#[test]
fn read_only_directory_unreadable_and_foreign_files_are_clear_errors_for_an_unprivileged_user() {
    if !common::require_root("the unprivileged-user fault tests") {
        return;
    }
    let env = TestEnv::new();

    // 1. nobody's own file in nobody's directory, but the directory is
    //    read-only: the temp file cannot be made.
    let (ro, text) = nobodys_config(&env, "ro");
    set_mode(&ro, 0o500);
    let path = ro.join("config.json").display().to_string();
    for args in [LOGIN_NEW, &["logout", "x.io"][..]] {
        let out = nobody_run(&env, &ro, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let e = one_error_line(&out);
        assert!(
            e.contains(&format!("cannot write {path}")) && e.contains("permission denied"),
            "{args:?}: {e}"
        );
        assert_eq!(fs::read_to_string(ro.join("config.json")).unwrap(), text);
        assert_eq!(temp_files(&ro), Vec::<PathBuf>::new());
    }
    // list still works: reading needs no write access.
    let out = nobody_run(&env, &ro, &["list", "--json"]);
    assert!(out.status.success(), "{out:?}");

    // 2. root's 0600 file in nobody's directory: unreadable.
    let theirs = env.home().join("theirs");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("config.json"), &text).unwrap();
    set_mode(&theirs.join("config.json"), 0o600);
    nobody_owns(&theirs);
    set_mode(&theirs, 0o700);
    let path = theirs.join("config.json").display().to_string();
    for args in [&["list"][..], &["logout", "x.io"][..], LOGIN_NEW] {
        let out = nobody_run(&env, &theirs, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let e = one_error_line(&out);
        assert!(
            e.contains(&format!("cannot read {path}")) && e.contains("permission denied"),
            "{args:?}: {e}"
        );
        let m = fs::metadata(theirs.join("config.json")).unwrap();
        assert_eq!((m.uid(), m.mode() & 0o777), (0, 0o600), "{args:?}");
        assert_eq!(
            fs::read_to_string(theirs.join("config.json")).unwrap(),
            text
        );
    }

    // 3. root's 0644 file in root's 0755 directory (a --config pointing at
    //    another user's config): readable, never writable.
    let shared = env.home().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::write(shared.join("config.json"), &text).unwrap();
    set_mode(&shared.join("config.json"), 0o644);
    set_mode(&shared, 0o755);
    let path = shared.join("config.json").display().to_string();
    let out = nobody_run(&env, &shared, &["list", "--json"]);
    assert!(out.status.success(), "{out:?}");
    for args in [&["logout", "x.io"][..], LOGIN_NEW] {
        let out = nobody_run(&env, &shared, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let e = one_error_line(&out);
        assert!(
            e.contains(&path) && e.contains("permission denied"),
            "{args:?}: {e}"
        );
        assert_eq!(
            fs::read_to_string(shared.join("config.json")).unwrap(),
            text
        );
        assert_eq!(temp_files(&shared), Vec::<PathBuf>::new());
    }
}

// ---------------------------------------------------------------------------
// Modes of what is written, whatever the umask
// ---------------------------------------------------------------------------

#[test]
fn under_umask_000_a_new_config_is_0600_in_a_0700_directory() {
    let env = TestEnv::new();
    let mut c = cmd_umask0(&env);
    c.args(LOGIN_NEW);
    let out = run_with_timeout(c, b"pw\n", Duration::from_secs(30));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(mode_of(&env.config_dir()), 0o700);
    assert_eq!(mode_of(&env.config_path()), 0o600);
    assert_eq!(
        env.config_json()["auths"]["new.io"]["auth"],
        auth("u", "pw")
    );
    // And a rewrite keeps it so.
    let mut c = cmd_umask0(&env);
    c.args(["logout", "new.io"]);
    let out = run_with_timeout(c, b"", Duration::from_secs(30));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(mode_of(&env.config_path()), 0o600);
}

/// The lead's change to write.rs: a written file is never more permissive
/// than 0600; group and other bits are dropped, with a warning.
#[test]
fn existing_0644_file_is_tightened_to_0600_on_write() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"x.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    ));
    set_mode(&env.config_path(), 0o644);
    let mut c = cmd_umask0(&env);
    c.args(LOGIN_NEW);
    let out = run_with_timeout(c, b"pw\n", Duration::from_secs(30));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(mode_of(&env.config_path()), 0o600);
    let err = stderr_of(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("dockercfg: warning:") && l.contains("0644")),
        "no warning about the mode: {err}"
    );
    assert!(env.config_json()["auths"]["x.io"].is_object());
}

#[test]
fn a_lock_held_longer_than_the_timeout_is_a_clear_error_for_an_unprivileged_user() {
    if !common::require_root("the unprivileged-user fault tests") {
        return;
    }
    let env = TestEnv::new();
    let (dir, text) = nobodys_config(&env, "locked");
    // Another process (here root's flock(1)) holds the directory's lock for
    // far longer than the timeout.
    let mut holder = std::process::Command::new("flock")
        .arg("-o") // the lock stays with flock itself, so kill() frees it
        .arg(&dir)
        .args(["sleep", "30"])
        .spawn()
        .expect("flock(1) from util-linux");
    std::thread::sleep(Duration::from_millis(300));
    for args in [&["logout", "x.io"][..], LOGIN_NEW] {
        let args = [&["--lock-timeout", "0.5"][..], args].concat();
        let args = args.as_slice();
        let start = Instant::now();
        let out = nobody_run(&env, &dir, args);
        assert!(start.elapsed() < Duration::from_secs(10), "{args:?} waited");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let e = one_error_line(&out);
        assert!(
            e.contains("lock") && e.contains("timed out"),
            "{args:?}: {e}"
        );
        assert_eq!(fs::read_to_string(dir.join("config.json")).unwrap(), text);
        assert_eq!(temp_files(&dir), Vec::<PathBuf>::new());
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
}
