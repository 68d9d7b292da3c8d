//! `audit`, `fix-perms` and `logout --expired`: each finding with a config
//! that triggers it and one that does not; permissions also checked as an
//! unprivileged user, since root ignores modes.
mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{auth, mode_of, set_mode, TestEnv};
use predicates::prelude::*;
use serde_json::{json, Value};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn jwt(exp: i64) -> String {
    let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    let p = URL_SAFE_NO_PAD.encode(json!({"sub": "x", "exp": exp}).to_string());
    format!("{h}.{p}.sig")
}

fn ecr(exp: i64) -> String {
    STANDARD.encode(json!({"payload": "p", "datakey": "d", "version": "2", "type": "DATA_KEY", "expiration": exp}).to_string())
}

/// A private config (0600 in 0700) with this text.
fn private(env: &TestEnv, text: &str) {
    env.write_config(text);
    set_mode(&env.config_dir(), 0o700);
    set_mode(&env.config_path(), 0o600);
}

fn findings(env: &TestEnv, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = env
        .cmd()
        .args(["audit", "--json"])
        .args(extra)
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
    (out.status.code().unwrap(), v)
}

fn codes(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["code"].as_str().unwrap(),
                f["registry"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn a_clean_config_has_no_findings_and_exits_zero() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    private(&env, r#"{"auths": {"a.io": {}}, "credsStore": "fake"}"#);
    env.fake_seed("fake", json!({"a.io": ["u", "p"]}));
    let (code, v) = findings(&env, &[]);
    assert_eq!((code, v), (0, vec![]));
    env.cmd()
        .arg("audit")
        .assert()
        .success()
        .stderr(predicate::str::contains("no findings"));
}

#[test]
fn json_schema_is_pinned() {
    let env = TestEnv::new();
    // The store migrate would pick (docker's default: secretservice when
    // `pass` is not on PATH) is named in the fix.
    env.fake_helper("secretservice");
    private(
        &env,
        &format!(
            r#"{{"auths": {{"p.io": {{"auth": "{}"}}}}}}"#,
            auth("u", "pw")
        ),
    );
    let (code, v) = findings(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        v,
        vec![json!({
            "code": "plaintext-credentials", "severity": "high", "registry": "p.io",
            "message": format!("the secret is stored in {} as base64, which is not encryption", env.config_path().display()),
            "fix": "dockercfg migrate --store secretservice"
        })]
    );
}

#[test]
fn plaintext_and_stale_plaintext() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    private(
        &env,
        &format!(
            r#"{{"auths": {{"s.io": {{"auth": "{}"}}}}, "credHelpers": {{"s.io": "fake"}}}}"#,
            auth("u", "pw")
        ),
    );
    let (_, v) = findings(&env, &[]);
    assert_eq!(codes(&v), ["stale-plaintext:s.io"]);
}

#[test]
fn file_and_dir_permissions() {
    let env = TestEnv::new();
    private(&env, "{}");
    set_mode(&env.config_path(), 0o644);
    let (code, v) = findings(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v), ["file-permissions:-"]);
    assert_eq!(v[0]["severity"], "high");
    assert_eq!(v[0]["fix"], "dockercfg fix-perms");
    let msg = v[0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("mode 0644: every user on this machine can read it"),
        "{msg}"
    );
    set_mode(&env.config_path(), 0o640);
    let (code, v) = findings(&env, &[]);
    assert_eq!((code, v[0]["severity"].as_str()), (0, Some("medium")));
    let msg = v[0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("mode 0640: the users in its group can read it"),
        "{msg}"
    );
    set_mode(&env.config_path(), 0o662);
    let (_, v) = findings(&env, &[]);
    let msg = v[0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("its group can read and change it; every other user on this machine can change it (but not read it)"),
        "{msg}"
    );
    assert_eq!(findings(&env, &["--fail-on", "medium"]).0, 1);
    set_mode(&env.config_path(), 0o600);
    set_mode(&env.config_dir(), 0o777);
    let (_, v) = findings(&env, &[]);
    assert_eq!(codes(&v), ["dir-permissions:-"]);
    assert_eq!(v[0]["severity"], "high");
    set_mode(&env.config_dir(), 0o755);
    let (code, v) = findings(&env, &[]);
    assert_eq!((code, v[0]["severity"].as_str()), (0, Some("low")));
}

#[test]
fn helper_missing_and_helper_error() {
    let env = TestEnv::new();
    env.script_helper("broken", "#!/bin/sh\necho locked; exit 1\n");
    private(
        &env,
        r#"{"credsStore": "nothere", "credHelpers": {"b.io": "broken"}}"#,
    );
    let (code, v) = findings(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v), ["helper-error:-", "helper-missing:-"]);
    assert!(v[1]["message"]
        .as_str()
        .unwrap()
        .contains("docker-credential-nothere"));
}

#[test]
fn expired_and_expiring_tokens_in_file_and_with_deep_in_helpers() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"h.io": ["u", jwt(now() - 60)]}));
    private(
        &env,
        &format!(
            r#"{{"auths": {{"1.dkr.ecr.us-east-1.amazonaws.com": {{"auth": "{}"}}, "j.io": {{"identitytoken": "{}"}}, "ok.io": {{"registrytoken": "{}"}}, "h.io": {{}}}},
                "credHelpers": {{"h.io": "fake"}}}}"#,
            auth("AWS", &ecr(now() - 3600)),
            jwt(now() + 3600),
            jwt(now() + 10 * 86400)
        ),
    );
    let (_, v) = findings(&env, &[]);
    let c = codes(&v);
    assert!(
        c.contains(&"expired-token:1.dkr.ecr.us-east-1.amazonaws.com".to_string()),
        "{c:?}"
    );
    assert!(c.contains(&"expiring-token:j.io".to_string()), "{c:?}");
    assert!(
        !c.iter()
            .any(|x| x.ends_with(":ok.io") && x.contains("token")),
        "{c:?}"
    );
    assert!(
        !c.iter().any(|x| x.ends_with(":h.io")),
        "without --deep no helper secret is read"
    );
    assert!(!env.fake_log("fake").contains("\"get\""));
    let (_, v) = findings(&env, &["--deep"]);
    assert!(codes(&v).contains(&"expired-token:h.io".to_string()));
    // A shorter warning window drops the expiring one.
    let (_, v) = findings(&env, &["--expiry-warning", "30m"]);
    assert!(!codes(&v).contains(&"expiring-token:j.io".to_string()));
}

#[test]
fn docker_hub_password_but_not_a_token() {
    let env = TestEnv::new();
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}}}}}"#,
            auth("me", "hunter2")
        ),
    );
    let (_, v) = findings(&env, &[]);
    assert!(codes(&v).contains(&"docker-hub-password:https://index.docker.io/v1/".to_string()));
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}}}}}"#,
            auth("me", "dckr_pat_abc")
        ),
    );
    let (_, v) = findings(&env, &[]);
    assert!(!codes(&v)
        .iter()
        .any(|c| c.starts_with("docker-hub-password")));
}

#[test]
fn undecodable_legacy_email_legacy_dockercfg_and_invalid_config() {
    let env = TestEnv::new();
    private(
        &env,
        r#"{"auths": {"u.io": {"auth": "%%%"}, "e.io": {"email": "a@b.c"}}}"#,
    );
    let (_, v) = findings(&env, &[]);
    assert_eq!(codes(&v), ["undecodable-entry:u.io", "legacy-email:e.io"]);
    std::fs::write(env.home().join(".dockercfg"), "{}").unwrap();
    private(&env, "{\"auths\": {");
    let (code, v) = findings(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v), ["invalid-config:-", "legacy-dockercfg:-"]);
}

#[test]
fn audit_fix_repairs_permissions_and_reports_the_rest() {
    let env = TestEnv::new();
    private(
        &env,
        &format!(
            r#"{{"auths": {{"p.io": {{"auth": "{}"}}}}}}"#,
            auth("u", "pw")
        ),
    );
    set_mode(&env.config_path(), 0o644);
    let (_, v) = findings(&env, &["--fix"]);
    assert_eq!(codes(&v), ["plaintext-credentials:p.io"]);
    assert_eq!(mode_of(&env.config_path()), 0o600);
}

#[test]
fn no_secret_in_any_output_deep_included() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    let secret = "SENTINEL-hub-pw";
    env.fake_seed("fake", json!({"h.io": ["u", secret]}));
    private(
        &env,
        &format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}, "h.io": {{}}}}, "credHelpers": {{"h.io": "fake"}}}}"#,
            auth("me", secret)
        ),
    );
    for args in [
        vec!["audit"],
        vec!["audit", "--json"],
        vec!["audit", "--deep"],
        vec!["audit", "--deep", "--json"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(secret), "{args:?}: {all}");
        assert!(all.contains("docker-hub-password"), "{args:?}");
    }
}

#[test]
fn fix_perms_check_fix_and_symlink() {
    let env = TestEnv::new();
    let real = env.home().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("config.json"), "{ broken json").unwrap();
    set_mode(&real.join("config.json"), 0o644);
    set_mode(&real, 0o755);
    std::fs::create_dir(env.config_dir()).unwrap();
    set_mode(&env.config_dir(), 0o700);
    std::os::unix::fs::symlink("../real/config.json", env.config_path()).unwrap();
    if is_root() {
        // As root, a link out of the config directory is never followed:
        // root owns every system file, so owning the target proves nothing.
        // (tests/fix_perms.rs follows one as an unprivileged user.)
        env.cmd()
            .args(["fix-perms", "--check"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("left as it is"));
        env.cmd().arg("fix-perms").assert().code(1);
        assert_eq!(mode_of(&real.join("config.json")), 0o644);
        assert_eq!(mode_of(&real), 0o755);
        return;
    }
    env.cmd()
        .args(["fix-perms", "--check"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("mode 0644 -> 0600")
                .and(predicate::str::contains("mode 0755 -> 0700")),
        );
    assert_eq!(mode_of(&real.join("config.json")), 0o644);
    env.cmd()
        .arg("fix-permissions")
        .assert()
        .success()
        .stdout(predicate::str::contains("0644 -> 0600"));
    assert_eq!(mode_of(&real.join("config.json")), 0o600);
    assert_eq!(mode_of(&real), 0o700);
    assert!(std::fs::symlink_metadata(env.config_path())
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(real.join("config.json")).unwrap(),
        "{ broken json"
    );
    env.cmd().args(["fix-perms", "--check"]).assert().success();
}

fn is_root() -> bool {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Root ignores modes and owns everything it may chown, so these run the
/// binary as nobody (65534) with setpriv, on files nobody owns.
#[test]
fn as_an_unprivileged_user_permissions_and_owner_are_judged_and_fixed() {
    if !is_root() {
        eprintln!("skipping: needs root to switch to an unprivileged user");
        return;
    }
    let env = TestEnv::new();
    set_mode(env.home(), 0o755);
    let dir = env.home().join("nobody-docker");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("config.json"), "{}").unwrap();
    set_mode(&dir, 0o755);
    set_mode(&dir.join("config.json"), 0o644);
    let bin = assert_cmd::cargo::cargo_bin("dockercfg");
    let as_nobody = |args: &[&str]| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--config")
            .arg(&dir)
            .args(args)
            .env("HOME", env.home())
            .env_remove("SUDO_UID")
            .output()
            .unwrap()
    };
    // Root's file, read by nobody: wrong owner.
    let out = as_nobody(&["audit", "--json"]);
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(codes(&v).contains(&"wrong-owner:-".to_string()), "{v:?}");
    // nobody's own files: modes judged and fixed by nobody.
    std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
    std::os::unix::fs::chown(dir.join("config.json"), Some(65534), Some(65534)).unwrap();
    let out = as_nobody(&["audit", "--json"]);
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        codes(&v),
        ["file-permissions:-", "dir-permissions:-"],
        "{v:?}"
    );
    let out = as_nobody(&["fix-perms"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode_of(&dir.join("config.json")), 0o600);
    assert_eq!(mode_of(&dir), 0o700);
    let out = as_nobody(&["audit", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

/// Under sudo the owner goes back only inside the user's home as the
/// password database has it; nobody's is /nonexistent, so nothing is given
/// (tests/fix_perms.rs gives root's takeover back to a user with a home).
#[test]
fn under_sudo_a_user_without_a_home_is_given_nothing() {
    if !is_root() {
        eprintln!("skipping: needs root to act as sudo");
        return;
    }
    let env = TestEnv::new();
    private(&env, "{}");
    env.cmd()
        .env("SUDO_UID", "65534")
        .env("SUDO_GID", "65534")
        .arg("fix-perms")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("gives nothing to nobody"));
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(env.config_path()).unwrap().uid(), 0);
    assert_eq!(std::fs::metadata(env.config_dir()).unwrap().uid(), 0);
}

#[test]
fn logout_expired_drops_only_expired_logins() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"old-helper.io": ["u", jwt(now() - 5)], "fresh-helper.io": ["u", jwt(now() + 3600)]}));
    private(
        &env,
        &format!(
            r#"{{"auths": {{"1.dkr.ecr.us-east-1.amazonaws.com": {{"auth": "{}"}}, "2.dkr.ecr.us-east-1.amazonaws.com": {{"auth": "{}"}}, "plain.io": {{"auth": "{}"}}, "old-helper.io": {{}}, "fresh-helper.io": {{}}}},
                "credHelpers": {{"old-helper.io": "fake", "fresh-helper.io": "fake"}}}}"#,
            auth("AWS", &ecr(now() - 60)),
            auth("AWS", &ecr(now() + 3600)),
            auth("u", "p")
        ),
    );
    env.cmd().args(["logout", "--expired"]).assert().success();
    let v = env.config_json();
    let keys: Vec<&String> = v["auths"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "2.dkr.ecr.us-east-1.amazonaws.com",
            "plain.io",
            "fresh-helper.io"
        ]
    );
    assert_eq!(env.fake_db("fake").as_object().unwrap().len(), 1);
    // Nothing expired: nothing to do, exit 0, and not Docker Hub by default.
    env.cmd()
        .args(["logout", "--expired"])
        .assert()
        .success()
        .stdout("");
}

/// What the real `docker login` writes into `pass`, kept private, audits
/// clean; the same login in plaintext does not.
#[test]
fn a_real_docker_login_into_pass_has_no_high_finding() {
    use common::real::{docker, docker_client, require, PassStore, Registry};
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("auditor", "audit-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    let mut env = TestEnv::new();
    env.write_config(r#"{"credsStore":"pass"}"#);
    let mut vars = pass.env();
    vars.push(("PATH".into(), env.system_path()));
    let out = docker(
        &env.config_dir(),
        &["login", "-u", "auditor", "--password-stdin", &reg.addr],
        &vars,
        "audit-S3cret\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    set_mode(&env.config_dir(), 0o700);
    set_mode(&env.config_path(), 0o600);
    env.add_env(vars);
    let out = env
        .cmd()
        .args(["audit", "--json", "--deep"])
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v.iter().any(|f| f["severity"] == "high"), "{v:?}");
    assert_eq!(out.status.code(), Some(0), "{v:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("audit-S3cret"));

    // docker login into the file: plaintext-credentials, exit 1.
    let plain = TestEnv::new();
    plain.write_config(r#"{"auths": {"seed.invalid": {}}}"#);
    let out = docker(
        &plain.config_dir(),
        &["login", "-u", "auditor", "--password-stdin", &reg.addr],
        &[],
        "audit-S3cret\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    set_mode(&plain.config_dir(), 0o700);
    set_mode(&plain.config_path(), 0o600);
    let (code, v) = findings(&plain, &[]);
    assert_eq!(code, 1);
    assert!(
        codes(&v).contains(&format!("plaintext-credentials:{}", reg.addr)),
        "{v:?}"
    );
}

#[test]
fn each_helper_is_listed_once_by_audit_deep_and_bulk_logout() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed(
        "fake",
        json!({"a.io": ["u", "p"], "b.io": ["u", jwt(now() - 5)]}),
    );
    private(
        &env,
        r#"{"auths": {"a.io": {}, "b.io": {}}, "credsStore": "fake"}"#,
    );
    let lists = |env: &TestEnv| {
        env.fake_log("fake")
            .lines()
            .filter(|l| l.contains(r#", "list"]"#))
            .count()
    };
    // b.io's token has expired: a high finding, exit 1.
    env.cmd().args(["audit", "--deep"]).assert().code(1);
    assert_eq!(lists(&env), 1, "audit --deep: {}", env.fake_log("fake"));
    // (--all with --expired is a usage error since #14: each on its own.)
    for (n, args) in [(2, "--expired"), (3, "--all")] {
        env.cmd()
            .args(["logout", args, "--dry-run"])
            .assert()
            .success();
        assert_eq!(lists(&env), n, "logout {args}: {}", env.fake_log("fake"));
    }
}

#[test]
fn fixes_name_the_file_that_was_audited() {
    // A config chosen by --config or --authfile gets fixes that act on that
    // same file, not on the default one.
    let env = TestEnv::new();
    env.fake_helper("secretservice");
    let dir = env.home().join("my cfg");
    std::fs::create_dir(&dir).unwrap();
    let text = format!(
        r#"{{"auths": {{"x.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    );
    std::fs::write(dir.join("config.json"), &text).unwrap();
    let authfile = env.home().join("auth.json");
    std::fs::write(&authfile, &text).unwrap();
    let fix_of = |global: &[&str]| -> Vec<String> {
        let out = env
            .cmd()
            .args(global)
            .args(["audit", "--json"])
            .output()
            .unwrap();
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter()
            .filter(|f| f["code"] == "plaintext-credentials")
            .map(|f| f["fix"].as_str().unwrap().to_string())
            .collect()
    };
    let d = dir.to_str().unwrap();
    assert_eq!(
        fix_of(&["--config", d]),
        [format!(
            "dockercfg --config '{d}' migrate --store secretservice"
        )]
    );
    let a = authfile.to_str().unwrap();
    assert_eq!(
        fix_of(&["--authfile", a]),
        [format!(
            "dockercfg --authfile {a} migrate --helper x.io=secretservice"
        )]
    );
    env.write_config(&text);
    assert_eq!(fix_of(&[]), ["dockercfg migrate --store secretservice"]);
}
