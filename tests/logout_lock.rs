//! `logout` reads the file under the write lock when the lock is free and
//! no helper is to be run, and writes from that one read (#17). These pin
//! down what that must not change: helpers never run under the lock, a busy
//! lock is waited for only when there is something to write, a killed
//! writer's temp file is still cleaned up, and the mode is still 0600 under
//! any umask.
#![cfg(unix)]
mod common;

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use common::{auth, mode_of, TestEnv};

fn config_with(keys: &[&str], extra: &str) -> String {
    let auths: Vec<String> = keys
        .iter()
        .map(|k| format!("\"{k}\": {{\"auth\": \"{}\"}}", auth("u", "p")))
        .collect();
    format!("{{\"auths\": {{{}}}{extra}}}", auths.join(", "))
}

#[test]
fn helpers_run_without_the_lock_and_the_file_is_still_written() {
    let env = TestEnv::new();
    env.write_config(&format!(
        "{{\"auths\": {{\"reg.example.com\": {{}}, \"other.io\": {{\"auth\": \"{}\"}}}}, \"credsStore\": \"lockcheck\"}}",
        auth("u", "p")
    ));
    let log = env.home().join("lockcheck.log");
    // Each call notes whether the config directory's lock was free.
    env.script_helper(
        "lockcheck",
        &format!(
            "#!/bin/sh\nif flock -n '{dir}' true; then echo \"$1 free\"; else echo \"$1 held\"; fi >> '{log}'\ncat >/dev/null\ncase \"$1\" in\nlist) echo '{{\"reg.example.com\": \"u\"}}' ;;\nerase) ;;\n*) exit 1 ;;\nesac\n",
            dir = env.config_dir().display(),
            log = log.display()
        ),
    );
    env.cmd()
        .env("PATH", format!("{}:/usr/bin:/bin", env.path_var()))
        .args(["logout", "reg.example.com"])
        .assert()
        .success();
    let calls = fs::read_to_string(&log).unwrap();
    assert_eq!(calls, "list free\nerase free\n");
    let v = env.config_json();
    assert!(v["auths"].get("reg.example.com").is_none(), "{v}");
    assert!(v["auths"].get("other.io").is_some(), "{v}");
    assert_eq!(v["credsStore"], "lockcheck");
}

#[test]
fn a_busy_lock_is_waited_for_then_the_entry_removed() {
    let env = TestEnv::new();
    env.write_config(&config_with(&["a.io", "b.io"], ""));
    let lock = File::open(env.config_dir()).unwrap();
    lock.lock().unwrap();
    let mut child = env
        .std_cmd()
        .args(["--lock-timeout", "20", "logout", "a.io"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "logout finished while another process held the lock"
    );
    assert!(env.read_config().contains("a.io"));
    drop(lock);
    assert!(child.wait().unwrap().success());
    let v = env.config_json();
    assert!(v["auths"].get("a.io").is_none(), "{v}");
    assert!(v["auths"].get("b.io").is_some(), "{v}");
}

#[test]
fn nothing_to_remove_does_not_wait_for_a_busy_lock() {
    let env = TestEnv::new();
    let text = config_with(&["a.io"], "");
    env.write_config(&text);
    let lock = File::open(env.config_dir()).unwrap();
    lock.lock().unwrap();
    let start = Instant::now();
    env.cmd()
        .args(["--lock-timeout", "10", "logout", "not-there.io"])
        .assert()
        .success()
        .stderr(predicates::str::contains("Not logged in to not-there.io"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "waited {:?} for a lock it did not need",
        start.elapsed()
    );
    assert_eq!(env.read_config(), text);
}

#[test]
fn a_killed_writers_temp_file_is_removed_by_logout() {
    let env = TestEnv::new();
    env.write_config(&config_with(&["a.io", "b.io"], ""));
    let stale = env.config_dir().join(".config.json.dockercfg-killed.tmp");
    fs::write(&stale, "half a file").unwrap();
    env.cmd().args(["logout", "a.io"]).assert().success();
    assert!(!stale.exists());
    assert!(env.config_json()["auths"].get("a.io").is_none());
}

#[test]
fn the_file_stays_0600_under_a_umask_that_takes_owner_bits() {
    let env = TestEnv::new();
    env.write_config(&config_with(&["a.io", "b.io"], ""));
    common::set_mode(&env.config_path(), 0o600);
    let mut c = env.std_cmd();
    c.args(["logout", "a.io"])
        .stdout(std::process::Stdio::null());
    // SAFETY: umask is async-signal-safe and touches no memory.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0o277);
            Ok(())
        });
    }
    assert!(c.status().unwrap().success());
    assert_eq!(mode_of(&env.config_path()), 0o600);
    assert!(env.config_json()["auths"].get("a.io").is_none());
}
