//! `dockercfg get`: the one command that prints a secret, for plaintext,
//! helper-held (fake, pass, secretservice) and Docker Hub logins.
mod common;

use common::real::{require, PassStore, SecretService};
use common::{auth, TestEnv};
use predicates::prelude::*;
use serde_json::{json, Value};

fn get(env: &TestEnv, args: &[&str]) -> Value {
    let out = env.cmd().arg("get").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn plaintext_identity_token_and_hub_aliases() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}, "https://ghcr.io": {{"auth": "{}"}}, "t.io": {{"auth": "{}", "identitytoken": "REFRESH"}}}}}}"#,
        auth("hubby", "pw:1"),
        auth("gh", "pw2"),
        auth("x", "y")
    ));
    for alias in [
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "https://index.docker.io/v1/",
    ] {
        assert_eq!(
            get(&env, &[alias]),
            json!({"ServerURL": "https://index.docker.io/v1/", "Username": "hubby", "Secret": "pw:1"}),
            "{alias}"
        );
    }
    assert_eq!(get(&env, &["ghcr.io"])["Secret"], "pw2");
    assert_eq!(
        get(&env, &["t.io"]),
        json!({"ServerURL": "t.io", "Username": "<token>", "Secret": "REFRESH"})
    );
    env.cmd()
        .args(["get", "--username", "docker.io"])
        .assert()
        .success()
        .stdout("hubby\n");
}

#[test]
fn not_logged_in_is_exit_one() {
    let env = TestEnv::new();
    env.write_config("{}");
    env.cmd()
        .args(["get", "quay.io"])
        .assert()
        .code(1)
        .stderr("dockercfg: error: not logged in to quay.io\n");
    env.fake_helper("fake");
    env.fake_faults("fake", json!({"not_found_style": "empty"}));
    env.write_config(r#"{"credsStore": "fake"}"#);
    env.cmd()
        .args(["get", "quay.io"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not logged in to quay.io"));
}

#[test]
fn helper_logins_are_fetched_from_the_helper() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"https://r.io": ["u", "from-helper"]}));
    env.write_config(r#"{"auths": {"r.io": {}}, "credsStore": "fake"}"#);
    assert_eq!(get(&env, &["r.io"])["Secret"], "from-helper");
}

#[test]
fn a_terminal_needs_reveal() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"r.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "TTYSECRET")
    ));
    // script(1) gives the command a pseudo-terminal.
    let bin = assert_cmd::cargo::cargo_bin("dockercfg");
    let run = |extra: &str| {
        std::process::Command::new("script")
            .args([
                "-qec",
                &format!("'{}' get {extra} r.io", bin.display()),
                "/dev/null",
            ])
            .env("HOME", env.home())
            .output()
            .expect("script(1) from util-linux")
    };
    let out = run("");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("--reveal") && !text.contains("TTYSECRET"),
        "{text}"
    );
    let out = run("--reveal");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("TTYSECRET"));
}

#[test]
fn real_pass_and_secretservice() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    env.add_env(pass.env());
    env.add_env(vec![("PATH".into(), env.system_path())]);
    let (ok, _, err) = pass.helper(
        "store",
        r#"{"ServerURL":"p.io","Username":"pu","Secret":"pass-secret"}"#,
    );
    assert!(ok, "{err}");
    env.write_config(r#"{"auths": {"p.io": {}}, "credsStore": "pass"}"#);
    assert_eq!(
        get(&env, &["p.io"]),
        json!({"ServerURL": "p.io", "Username": "pu", "Secret": "pass-secret"})
    );
    // Debian's docker-credential-pass answers unknown servers with empty fields.
    env.cmd()
        .args(["get", "nothere.io"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not logged in"));

    let Some(ss) = require(SecretService::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    env.add_env(ss.env());
    env.add_env(vec![("PATH".into(), env.system_path())]);
    let (ok, _, err) = ss.helper(
        "store",
        r#"{"ServerURL":"s.io","Username":"su","Secret":"ss-secret"}"#,
    );
    assert!(ok, "{err}");
    env.write_config(r#"{"auths": {"s.io": {}}, "credHelpers": {"s.io": "secretservice"}}"#);
    assert_eq!(get(&env, &["s.io"])["Secret"], "ss-secret");
    env.cmd()
        .args(["get", "--username", "s.io"])
        .assert()
        .success()
        .stdout("su\n");
}
