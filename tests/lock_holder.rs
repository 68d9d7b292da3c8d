//! A lock held by a process of another user (#12): anyone who can open a
//! 0755 config directory can lock it for ever. The timeout error says who
//! holds it (process and user, from /proc/locks) and, when the directory is
//! ours and open to others, the fix-perms command that closes it, which is
//! run here. Beside faults.rs's `a_lock_held_longer_than_the_timeout_...`.
mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output};

use common::{auth, mode_of, set_mode, TestEnv};

/// flock(1) holding `dir`'s lock, as `uid` (setpriv), for 30 s. `-o`: the
/// lock stays with flock itself, so it is the pid /proc/locks shows and
/// kill() frees it.
fn hold(dir: &Path, uid: u32) -> Child {
    let mut c = Command::new("setpriv");
    c.arg(format!("--reuid={uid}"))
        .arg(format!("--regid={uid}"))
        .arg("--clear-groups")
        .args(["flock", "-o"])
        .arg(dir)
        .args(["sleep", "30"]);
    let child = c.spawn().expect("setpriv and flock (util-linux)");
    // Wait until the lock is taken (it shows in /proc/locks).
    for _ in 0..100 {
        if fs::read_to_string("/proc/locks")
            .unwrap()
            .lines()
            .any(|l| l.contains(&format!(" {} ", child.id())))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

fn config_in(env: &TestEnv, name: &str) -> std::path::PathBuf {
    let dir = env.home().join(name);
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("config.json"),
        format!(
            r#"{{"auths": {{"x.io": {{"auth": "{}"}}}}}}"#,
            auth("u", "p")
        ),
    )
    .unwrap();
    set_mode(&dir.join("config.json"), 0o600);
    dir
}

fn one_error_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {err}");
    assert!(lines[0].starts_with("dockercfg: error: "), "{err}");
    lines[0].to_string()
}

#[test]
fn a_lock_held_by_another_users_process_names_that_user_and_the_fix() {
    if !common::require_root("the other-user lock test") {
        return;
    }
    let env = TestEnv::new();
    set_mode(env.home(), 0o755);
    // Root's config in a 0755 directory: nobody can open it, so lock it.
    let dir = config_in(&env, "open-docker");
    set_mode(&dir, 0o755);
    let before = fs::read_to_string(dir.join("config.json")).unwrap();
    let mut holder = hold(&dir, 65534);
    let out = env
        .cmd()
        .arg("--config")
        .arg(&dir)
        .args(["--lock-timeout", "0.5", "logout", "x.io"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let e = one_error_line(&out);
    let pid = holder.id().to_string();
    for want in [
        "timed out",
        &format!("process {pid} (flock)"),
        "user nobody (uid 65534), which is not you",
        "mode 0755",
    ] {
        assert!(e.contains(want), "no `{want}` in: {e}");
    }
    assert!(!e.contains("another dockercfg"), "{e}");
    assert_eq!(fs::read_to_string(dir.join("config.json")).unwrap(), before);

    // The command it names, run as printed, makes the directory 0700.
    let cmd = e
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command in: {e}"));
    assert!(cmd.starts_with("dockercfg --config "), "{cmd}");
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env(
            "PATH",
            format!(
                "{}:/usr/bin:/bin",
                assert_cmd::cargo::cargo_bin("dockercfg")
                    .parent()
                    .unwrap()
                    .display()
            ),
        )
        .env("HOME", env.home())
        .env_remove("SUDO_UID")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode_of(&dir), 0o700);

    holder.kill().unwrap();
    holder.wait().unwrap();
    env.cmd()
        .arg("--config")
        .arg(&dir)
        .args(["logout", "x.io"])
        .assert()
        .success();
}

#[test]
fn a_lock_held_by_root_is_named_for_an_unprivileged_user() {
    if !common::require_root("the other-user lock test") {
        return;
    }
    let env = TestEnv::new();
    set_mode(env.home(), 0o755);
    let dir = config_in(&env, "nobodys-docker");
    for p in [&dir, &dir.join("config.json")] {
        std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
    }
    set_mode(&dir, 0o700);
    let mut holder = hold(&dir, 0);
    let mut c = common::as_nobody(&env);
    c.arg("--config")
        .arg(&dir)
        .args(["--lock-timeout", "0.5", "logout", "x.io"]);
    let out = c.output().unwrap();
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let e = one_error_line(&out);
    let pid = holder.id().to_string();
    for want in [
        &format!("process {pid} (flock)"),
        "user root (uid 0), which is not you",
        "ask its owner or an administrator",
    ] {
        assert!(e.contains(want), "no `{want}` in: {e}");
    }
    // A 0700 directory of ours: fix-perms would not help, so not offered.
    assert!(!e.contains("fix-perms"), "{e}");
}

#[test]
fn a_lock_held_by_our_own_process_names_it() {
    let env = TestEnv::new();
    let dir = config_in(&env, "mine");
    let mut holder = Command::new("flock")
        .arg("-o")
        .arg(&dir)
        .args(["sleep", "30"])
        .spawn()
        .expect("flock(1)");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = env
        .cmd()
        .arg("--config")
        .arg(&dir)
        .args(["--lock-timeout", "0.3", "logout", "x.io"])
        .output()
        .unwrap();
    holder.kill().unwrap();
    holder.wait().unwrap();
    let e = one_error_line(&out);
    assert!(
        e.contains(&format!("process {} (flock) holds it", holder.id())),
        "{e}"
    );
    assert!(!e.contains("not you"), "{e}");
}
