//! The one write path, seen from outside: bytes kept, symlinks followed,
//! modes and owners kept, concurrent writers serialised, failures harmless.
mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::process::Stdio;

use common::{auth, mode_of, TestEnv};
use predicates::prelude::*;

/// A config as docker writes it (tabs, sorted auths, no final newline),
/// with keys docker does not know and would drop.
fn docker_style(n: usize) -> String {
    let mut s = String::from("{\n\t\"auths\": {");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "\n\t\t\"r{i:03}.io\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}",
            auth(&format!("u{i}"), &format!("p{i}"))
        ));
    }
    s.push_str("\n\t},\n\t\"zUnknown\": {\"keep\": [1, 2.50, \"\\u00e9\"]},\n\t\"aliases\": {\"builder\": \"buildx\"},\n\t\"psFormat\": \"table {{.ID}}\"\n}");
    s
}

fn login(env: &TestEnv, registry: &str) -> assert_cmd::assert::Assert {
    env.cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "someone",
            "--password-stdin",
            registry,
        ])
        .write_stdin("secret\n")
        .assert()
}

#[test]
fn login_then_logout_gives_back_the_same_bytes() {
    let env = TestEnv::new();
    let original = docker_style(5);
    env.write_config(&original);
    login(&env, "r002b.io").success();
    let with = env.read_config();
    assert!(
        with.contains("\t\t\"r002b.io\": {\n\t\t\t\"auth\": "),
        "{with}"
    );
    env.cmd().args(["logout", "r002b.io"]).assert().success();
    assert_eq!(env.read_config(), original);
}

#[test]
fn removing_one_entry_changes_only_its_lines() {
    let env = TestEnv::new();
    let original = docker_style(5);
    env.write_config(&original);
    env.cmd().args(["logout", "r003.io"]).assert().success();
    let entry = format!(
        ",\n\t\t\"r003.io\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}",
        auth("u3", "p3")
    );
    assert_eq!(env.read_config(), original.replacen(&entry, "", 1));
}

#[test]
fn a_command_that_changes_nothing_does_not_write() {
    let env = TestEnv::new();
    let original = docker_style(3);
    env.write_config(&original);
    let before = fs::metadata(env.config_path()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.cmd()
        .args(["logout", "not-there.io"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Not logged in to not-there.io"));
    let after = fs::metadata(env.config_path()).unwrap();
    assert_eq!(before.ino(), after.ino(), "the file was replaced");
    assert_eq!(env.read_config(), original);
}

#[test]
fn a_new_file_is_0600_in_a_0700_directory() {
    let env = TestEnv::new();
    // PATH without `pass` or any docker-credential-*, so docker's default
    // store rule picks the file.
    env.cmd()
        .env("PATH", env.bin_dir())
        .args([
            "login",
            "--no-verify",
            "-u",
            "someone",
            "--password-stdin",
            "new.io",
        ])
        .write_stdin("secret\n")
        .assert()
        .success();
    assert_eq!(mode_of(&env.config_dir()), 0o700);
    assert_eq!(mode_of(&env.config_path()), 0o600);
    let v = env.config_json();
    assert_eq!(v["auths"]["new.io"]["auth"], auth("someone", "secret"));
    // Docker's layout: tab indentation.
    assert!(env
        .read_config()
        .contains("\n\t\"auths\": {\n\t\t\"new.io\""));
}

#[test]
fn mode_and_owner_are_kept() {
    let env = TestEnv::new();
    env.write_config(&docker_style(2));
    // A stricter mode than 0600 is kept; a looser one is tightened
    // (faults.rs: existing_0644_file_is_tightened_to_0600_on_write).
    common::set_mode(&env.config_path(), 0o400);
    let is_root = fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(1) == 0;
    if is_root {
        std::os::unix::fs::chown(env.config_path(), Some(65534), Some(65534)).unwrap();
    }
    login(&env, "x.io").success();
    assert_eq!(mode_of(&env.config_path()), 0o400);
    if is_root {
        let m = fs::metadata(env.config_path()).unwrap();
        assert_eq!((m.uid(), m.gid()), (65534, 65534));
    }
}

#[test]
fn a_symlinked_config_has_its_target_written_and_the_link_kept() {
    let env = TestEnv::new();
    let real = env.home().join("dotfiles");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("docker.json"), docker_style(2)).unwrap();
    fs::create_dir(env.config_dir()).unwrap();
    // Relative, as dotfile managers make them.
    std::os::unix::fs::symlink("../dotfiles/docker.json", env.config_path()).unwrap();
    login(&env, "linked.io").success();
    let meta = fs::symlink_metadata(env.config_path()).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let target = fs::read_to_string(real.join("docker.json")).unwrap();
    assert!(target.contains("linked.io"));
    // A loop is refused, not followed forever.
    fs::remove_file(env.config_path()).unwrap();
    std::os::unix::fs::symlink("config.json", env.config_path()).unwrap();
    env.cmd()
        .args(["logout", "x.io"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("symbolic links"));
}

#[test]
fn fifty_concurrent_logouts_of_distinct_entries_lose_nothing() {
    let env = TestEnv::new();
    env.write_config(&docker_style(100));
    let children: Vec<_> = (0..50)
        .map(|i| {
            env.std_cmd()
                .args(["logout", &format!("r{:03}.io", i * 2)])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v = env.config_json();
    let auths = v["auths"].as_object().unwrap();
    assert_eq!(auths.len(), 50);
    for i in 0..100 {
        assert_eq!(
            auths.contains_key(&format!("r{i:03}.io")),
            i % 2 == 1,
            "r{i:03}.io"
        );
    }
    assert!(v["zUnknown"].is_object() && v["psFormat"].is_string());
}

#[test]
fn fifty_concurrent_logins_to_distinct_registries_keep_all() {
    let env = TestEnv::new();
    env.write_config(&docker_style(3));
    let children: Vec<_> = (0..50)
        .map(|i| {
            let mut c = env
                .std_cmd()
                .args([
                    "login",
                    "--no-verify",
                    "-u",
                    "u",
                    "--password-stdin",
                    &format!("c{i}.io"),
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"pw\n").unwrap();
            c
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v = env.config_json();
    assert_eq!(v["auths"].as_object().unwrap().len(), 53);
}

#[test]
fn stale_temp_files_are_cleaned_and_none_are_left() {
    let env = TestEnv::new();
    env.write_config(&docker_style(2));
    let stale = env.config_dir().join(".config.json.dockercfg-dead01.tmp");
    fs::write(&stale, "half").unwrap();
    let unrelated = env.config_dir().join("notes.tmp");
    fs::write(&unrelated, "mine").unwrap();
    login(&env, "y.io").success();
    assert!(!stale.exists());
    assert!(unrelated.exists());
    let names: Vec<String> = fs::read_dir(env.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_held_lock_times_out_with_a_clear_error_and_nothing_changes() {
    let env = TestEnv::new();
    let original = docker_style(2);
    env.write_config(&original);
    // flock(1) holds the same kind of lock on the directory.
    let mut holder = std::process::Command::new("flock")
        .arg("-o") // the lock stays with flock itself, so kill() frees it
        .arg(env.config_dir())
        .args(["sleep", "5"])
        .spawn()
        .expect("flock(1) from util-linux");
    std::thread::sleep(std::time::Duration::from_millis(300));
    env.cmd()
        .args(["--lock-timeout", "0.5", "logout", "r000.io"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("timed out").and(predicate::str::contains("lock")));
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(env.read_config(), original);
}

#[test]
fn disk_full_leaves_the_original_intact_with_a_clear_error() {
    let env = TestEnv::new();
    let original = docker_style(40); // well over the 1-block limit below
    env.write_config(&original);
    let bin = assert_cmd::cargo::cargo_bin("dockercfg");
    // RLIMIT_FSIZE makes the temp-file write fail (EFBIG); SIGXFSZ is
    // ignored so the error reaches dockercfg instead of killing it.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1; exec '{}' logout r001.io",
            bin.display()
        ))
        .env("HOME", env.home())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot write") && err.contains("too large"),
        "{err}"
    );
    assert_eq!(env.read_config(), original);
    let leftovers = fs::read_dir(env.config_dir()).unwrap().count();
    assert_eq!(leftovers, 1, "a temp file was left behind");
}

#[test]
fn a_failed_command_leaves_the_file_as_it_was() {
    let env = TestEnv::new();
    let original = format!("{{\"credsStore\": \"broken\", {}", &docker_style(2)[1..]);
    env.write_config(&original);
    env.script_helper("broken", "#!/bin/sh\necho 'store exploded'; exit 1\n");
    env.cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "z.io",
        ])
        .write_stdin("pw\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "docker-credential-broken store failed: store exploded",
        ));
    assert_eq!(env.read_config(), original);
}
