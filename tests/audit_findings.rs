//! The routing findings of `audit` (orphan-placeholder,
//! untracked-helper-entry, duplicate-login, store-changed) and the
//! DOCKER_AUTH_CONFIG ones (env-shadows-login, env-auth-config-ignored):
//! each with a config that triggers it and one that does not, with the
//! real docker-credential-pass where a store's contents matter, and fake
//! helpers for the rest.
mod common;

use common::real::{require, PassStore};
use common::{auth, set_mode, TestEnv};
use serde_json::{json, Value};

fn private(env: &TestEnv, text: &str) {
    env.write_config(text);
    set_mode(&env.config_dir(), 0o700);
    set_mode(&env.config_path(), 0o600);
}

fn audit(env: &TestEnv, extra_env: &[(&str, &str)]) -> (i32, Vec<Value>) {
    let mut cmd = env.cmd();
    cmd.args(["audit", "--json", "--fail-on", "low"]);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
    (out.status.code().unwrap(), v)
}

fn with_code<'a>(v: &'a [Value], code: &str) -> Vec<&'a Value> {
    v.iter().filter(|f| f["code"] == code).collect()
}

#[test]
fn orphan_placeholder() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed("store", json!({"held.io": ["u", "s"]}));
    private(
        &env,
        r#"{"auths": {"held.io": {}, "lost.io": {}}, "credsStore": "store"}"#,
    );
    let (code, v) = audit(&env, &[]);
    let f = with_code(&v, "orphan-placeholder");
    assert_eq!(f.len(), 1, "{v:?}");
    assert_eq!(f[0]["registry"], "lost.io");
    assert_eq!(f[0]["severity"], "medium");
    assert_eq!(
        f[0]["fix"],
        "dockercfg logout lost.io   # then log in again"
    );
    assert_eq!(code, 1);

    // The helper holds it: nothing to report.
    env.fake_seed(
        "store",
        json!({"held.io": ["u", "s"], "lost.io": ["v", "t"]}),
    );
    let (code, v) = audit(&env, &[]);
    assert!(with_code(&v, "orphan-placeholder").is_empty(), "{v:?}");
    assert_eq!(code, 0, "{v:?}");
}

#[test]
fn untracked_helper_entry() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed(
        "store",
        json!({"indexed.io": ["u", "s"], "stray.io": ["ghost", "s2"]}),
    );
    private(
        &env,
        r#"{"auths": {"indexed.io": {}}, "credsStore": "store"}"#,
    );
    let (_, v) = audit(&env, &[]);
    let f = with_code(&v, "untracked-helper-entry");
    assert_eq!(f.len(), 1, "{v:?}");
    assert_eq!(f[0]["registry"], "stray.io");
    assert_eq!(f[0]["severity"], "low");
    assert!(f[0]["message"].as_str().unwrap().contains("ghost"));
    assert!(!serde_json::to_string(&v).unwrap().contains("s2"));

    private(
        &env,
        r#"{"auths": {"indexed.io": {}, "stray.io": {}}, "credsStore": "store"}"#,
    );
    let (code, v) = audit(&env, &[]);
    assert!(with_code(&v, "untracked-helper-entry").is_empty(), "{v:?}");
    assert_eq!(code, 0, "{v:?}");
}

#[test]
fn duplicate_login_names_the_key_docker_uses() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed(
        "store",
        json!({"https://index.docker.io/v1/": ["hub", "s"]}),
    );
    // ghcr.io twice in plaintext (the exact key wins), Hub twice behind a
    // helper. Plaintext findings are expected too; only duplicates matter.
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://ghcr.io": {{"auth": "{}"}}, "ghcr.io": {{"auth": "{}"}},
                "docker.io": {{}}, "https://index.docker.io/v1/": {{}}, "quay.io": {{"auth": "{}"}}}},
                "credHelpers": {{"https://index.docker.io/v1/": "store"}}}}"#,
            auth("a", "1"),
            auth("b", "2"),
            auth("c", "3")
        ),
    );
    let (_, v) = audit(&env, &[]);
    let f = with_code(&v, "duplicate-login");
    assert_eq!(f.len(), 2, "{v:?}");
    let gh = f.iter().find(|x| x["registry"] == "ghcr.io").unwrap();
    let msg = gh["message"].as_str().unwrap();
    assert!(msg.contains("docker uses `ghcr.io`"), "{msg}");
    assert_eq!(gh["severity"], "low");
    assert_eq!(
        gh["fix"],
        "dockercfg logout ghcr.io && dockercfg login ghcr.io"
    );
    let hub = f
        .iter()
        .find(|x| x["registry"] == "https://index.docker.io/v1/")
        .unwrap();
    assert!(
        hub["message"]
            .as_str()
            .unwrap()
            .contains("docker-credential-store"),
        "{hub}"
    );
    assert_eq!(
        hub["fix"],
        "dockercfg logout docker.io && dockercfg login docker.io"
    );

    // Without https://ghcr.io, the host match picks it.
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://ghcr.io": {{"auth": "{}"}}, "http://ghcr.io/v2/": {{"auth": "{}"}}}}}}"#,
            auth("a", "1"),
            auth("b", "2")
        ),
    );
    let (_, v) = audit(&env, &[]);
    let f = with_code(&v, "duplicate-login");
    assert_eq!(f.len(), 1, "{v:?}");
    assert!(f[0]["message"]
        .as_str()
        .unwrap()
        .contains("docker uses `https://ghcr.io`"));

    // One key per registry: none.
    private(
        &env,
        &format!(
            r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}, "quay.io": {{"auth": "{}"}}}}}}"#,
            auth("a", "1"),
            auth("b", "2")
        ),
    );
    let (_, v) = audit(&env, &[]);
    assert!(with_code(&v, "duplicate-login").is_empty(), "{v:?}");
}

/// credsStore was switched to `desktop` while the secrets stayed in the real
/// pass store: store-changed names pass and the moving command; once
/// desktop holds them, nothing is reported.
#[test]
fn store_changed_with_real_pass() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    for reg in ["a.example.com", "b.example.com"] {
        let creds = json!({"ServerURL": reg, "Username": "u", "Secret": "pass-S3cret"});
        let (ok, out, err) = pass.helper("store", &creds.to_string());
        assert!(ok, "pass store: {out} {err}");
    }
    env.fake_helper("desktop");
    env.fake_seed("desktop", json!({}));
    private(
        &env,
        r#"{"auths": {"a.example.com": {}, "b.example.com": {}, "c.example.com": {}}, "credsStore": "desktop"}"#,
    );
    let mut vars = pass.env();
    vars.push(("PATH".into(), env.system_path()));
    // No session bus: a secretservice on PATH fails fast instead.
    vars.push((
        "DBUS_SESSION_BUS_ADDRESS".into(),
        "unix:path=/nonexistent".into(),
    ));
    env.add_env(vars);

    let (code, v) = audit(&env, &[]);
    let f = with_code(&v, "store-changed");
    assert_eq!(f.len(), 1, "{v:?}");
    assert_eq!(f[0]["severity"], "high");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("a.example.com, b.example.com"), "{msg}");
    assert!(msg.contains("docker-credential-pass"), "{msg}");
    let fix = f[0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("for r in a.example.com b.example.com; do printf '%s\\n' \"$r\" | docker-credential-pass get | docker-credential-desktop store; done"),
        "{fix}"
    );
    // c.example.com is nowhere: an orphan, not a moved login.
    let o = with_code(&v, "orphan-placeholder");
    assert_eq!(o.len(), 1, "{v:?}");
    assert_eq!(o[0]["registry"], "c.example.com");
    assert_eq!(code, 1);
    assert!(!serde_json::to_string(&v).unwrap().contains("pass-S3cret"));

    // Run the fix as printed (a shell), then audit again: no store-changed.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(fix.split("   #").next().unwrap())
        .env("PATH", env.system_path())
        .envs(pass.env())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        env.fake_db("desktop")["a.example.com"],
        json!(["u", "pass-S3cret"])
    );
    let (_, v) = audit(&env, &[]);
    assert!(with_code(&v, "store-changed").is_empty(), "{v:?}");
    assert_eq!(with_code(&v, "orphan-placeholder").len(), 1, "{v:?}");
}

#[test]
fn env_shadows_login_and_ignored_variable() {
    let env = TestEnv::new();
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://ghcr.io": {{"auth": "{}"}}}}, "credsStore": ""}}"#,
            auth("fileuser", "f")
        ),
    );
    let var = json!({"auths": {"ghcr.io": {"auth": auth("envuser", "e")}}}).to_string();
    let (_, v) = audit(&env, &[("DOCKER_AUTH_CONFIG", &var)]);
    let f = with_code(&v, "env-shadows-login");
    assert_eq!(f.len(), 1, "{v:?}");
    assert_eq!(f[0]["registry"], "https://ghcr.io");
    assert_eq!(f[0]["severity"], "low");

    // The variable holds another registry: no shadowing.
    let var = json!({"auths": {"quay.io": {"auth": auth("envuser", "e")}}}).to_string();
    let (_, v) = audit(&env, &[("DOCKER_AUTH_CONFIG", &var)]);
    assert!(with_code(&v, "env-shadows-login").is_empty(), "{v:?}");
    assert!(with_code(&v, "env-auth-config-ignored").is_empty(), "{v:?}");

    // Undecodable: docker ignores it, audit says so without the value.
    let bad = r#"{"auths": {"ghcr.io": {"auth": "bm9jb2xvbi1zZWNyZXQ="}}}"#;
    let (_, v) = audit(&env, &[("DOCKER_AUTH_CONFIG", bad)]);
    let f = with_code(&v, "env-auth-config-ignored");
    assert_eq!(f.len(), 1, "{v:?}");
    assert_eq!(f[0]["severity"], "medium");
    assert!(with_code(&v, "env-shadows-login").is_empty(), "{v:?}");
    assert!(!serde_json::to_string(&v).unwrap().contains("bm9jb2xvbi"));
}

/// `list` shows DOCKER_AUTH_CONFIG logins with source `env`, and the file
/// login it shadows says so.
#[test]
fn list_shows_env_logins() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("fileuser", "f")
    ));
    let var = json!({"auths": {"ghcr.io": {"auth": auth("envuser", "e")}, "https://quay.io": {"auth": auth("q", "e2")}}}).to_string();
    let out = env
        .cmd()
        .args(["list", "--json"])
        .env("DOCKER_AUTH_CONFIG", &var)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[0],
        json!({"registry": "ghcr.io", "username": "envuser", "source": "env", "helper": null, "kind": "basic", "token": null, "expires": null, "error": null})
    );
    assert_eq!(rows[1]["source"], "env");
    assert!(rows[1]["error"].as_str().unwrap().contains("never used"));
    assert_eq!(rows[2]["source"], "file");
    assert!(rows[2]["error"].as_str().unwrap().contains("shadowed"));

    // get follows docker: the variable first.
    let out = env
        .cmd()
        .args(["get", "--username", "ghcr.io"])
        .env("DOCKER_AUTH_CONFIG", &var)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "envuser\n");
    let out = env
        .cmd()
        .args(["get", "--username", "ghcr.io"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "fileuser\n");

    // Malformed: one warning line, the file's logins still listed.
    let out = env
        .cmd()
        .args(["list", "--json"])
        .env("DOCKER_AUTH_CONFIG", "{not json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("dockercfg: warning: ") && err.contains("DOCKER_AUTH_CONFIG"),
        "{err}"
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
}
