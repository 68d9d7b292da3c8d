//! `login` and `logout` with fake helpers (storage rules, names, bulk
//! logout, failures, secrets). Real helpers, registry and docker are in
//! tests/interop.rs.
mod common;

use common::{auth, TestEnv};
use predicates::prelude::*;
use serde_json::{json, Value};

const SENTINEL: &str = "S3NT1NEL-pw:with:colons";

fn login(env: &TestEnv, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .arg("login")
        .arg("--no-verify")
        .args(args)
        .write_stdin(format!("{SENTINEL}\n"))
        .assert()
}

fn keys(v: &Value) -> Vec<String> {
    v["auths"]
        .as_object()
        .map_or(vec![], |m| m.keys().cloned().collect())
}

#[test]
fn plaintext_login_warns_and_points_to_migrate() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths": {}}"#);
    login(
        &env,
        &["-u", "me", "--password-stdin", "https://Quay.io/some/path"],
    )
    .success()
    .stdout("Login Succeeded\n")
    .stderr(
        predicate::str::contains("stored unencrypted")
            .and(predicate::str::contains("dockercfg migrate")),
    );
    let v = env.config_json();
    assert_eq!(v["auths"]["quay.io"]["auth"], auth("me", SENTINEL));
    // -q: nothing at all on success.
    login(&env, &["-q", "-u", "me", "--password-stdin", "b.io"])
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn every_docker_hub_alias_is_one_registry() {
    for alias in [
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "https://index.docker.io/v1/",
        "https://docker.io",
    ] {
        let env = TestEnv::new();
        env.write_config(r#"{"auths": {}}"#);
        login(&env, &["-u", "me", "--password-stdin", alias]).success();
        assert_eq!(
            keys(&env.config_json()),
            ["https://index.docker.io/v1/"],
            "{alias}"
        );
        env.cmd()
            .args(["logout", alias])
            .assert()
            .success()
            .stdout(predicate::str::contains("https://index.docker.io/v1/"));
        assert!(keys(&env.config_json()).is_empty(), "logout {alias}");
    }
    // No registry means Docker Hub, for both.
    let env = TestEnv::new();
    env.write_config(r#"{"auths": {}}"#);
    login(&env, &["-u", "me", "--password-stdin"]).success();
    assert_eq!(keys(&env.config_json()), ["https://index.docker.io/v1/"]);
    env.cmd().arg("logout").assert().success();
    assert!(keys(&env.config_json()).is_empty());
}

#[test]
fn login_replaces_an_existing_spelling_and_logout_finds_scheme_keys() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"https://ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("old", "x")
    ));
    login(&env, &["-u", "new", "--password-stdin", "ghcr.io"]).success();
    assert_eq!(keys(&env.config_json()), ["https://ghcr.io"]);
    env.cmd().args(["logout", "ghcr.io"]).assert().success();
    assert!(keys(&env.config_json()).is_empty());
}

#[test]
fn creds_store_gets_the_secret_and_the_file_a_placeholder() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.write_config(&format!(
        r#"{{"auths": {{"https://r.io": {{"auth": "{}"}}}}, "credsStore": "fake"}}"#,
        auth("old", "OLD")
    ));
    login(&env, &["-u", "me", "--password-stdin", "r.io"])
        .success()
        .stderr(predicate::str::contains("stored in docker-credential-fake"));
    // docker asks the helper for the normalised key, so that is what is
    // stored, and the plaintext under the old spelling goes.
    assert_eq!(env.fake_db("fake"), json!({"r.io": ["me", SENTINEL]}));
    let v = env.config_json();
    assert_eq!(v["auths"], json!({"r.io": {}}));
    // credHelpers beats credsStore.
    env.fake_helper("per");
    env.write_config(r#"{"auths": {}, "credsStore": "fake", "credHelpers": {"p.io": "per"}}"#);
    login(&env, &["-u", "me", "--password-stdin", "p.io"]).success();
    assert_eq!(env.fake_db("per"), json!({"p.io": ["me", SENTINEL]}));
    assert_eq!(env.config_json()["auths"], json!({"p.io": {}}));
    // Logout erases from the helper that holds it, and the placeholder.
    env.cmd()
        .args(["logout", "p.io"])
        .assert()
        .success()
        .stdout(predicate::str::contains("docker-credential-per"));
    assert_eq!(env.fake_db("per"), json!({}));
    assert!(keys(&env.config_json()).is_empty());
}

#[test]
fn default_store_is_detected_and_checked() {
    let env = TestEnv::new();
    let store = env.home().join("password-store");
    std::fs::create_dir(&store).unwrap();
    env.script_helper("pass-dummy", "#!/bin/sh\nexit 0\n");
    std::fs::rename(
        env.bin_dir().join("docker-credential-pass-dummy"),
        env.bin_dir().join("pass"),
    )
    .unwrap();
    env.fake_helper("pass");
    let run = |env: &TestEnv| {
        env.cmd()
            .env("PATH", env.bin_dir())
            .env("PASSWORD_STORE_DIR", &store)
            .args([
                "login",
                "--no-verify",
                "-u",
                "me",
                "--password-stdin",
                "d.io",
            ])
            .write_stdin("pw\n")
            .assert()
    };
    // Not initialised: a hint, and nothing written.
    run(&env)
        .code(1)
        .stderr(predicate::str::contains("pass init"));
    assert!(!env.config_path().exists());
    std::fs::write(store.join(".gpg-id"), "ABC\n").unwrap();
    run(&env).success();
    let v = env.config_json();
    assert_eq!(v["credsStore"], "pass");
    assert_eq!(v["auths"], json!({"d.io": {}}));
    assert_eq!(env.fake_db("pass")["d.io"][0], "me");
}

#[test]
fn no_terminal_and_no_credentials_is_an_error_naming_the_flags() {
    let env = TestEnv::new();
    env.cmd()
        .args(["login", "r.io"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("--username")
                .and(predicate::str::contains("--password-stdin")),
        );
    env.cmd()
        .args(["login", "--password-stdin", "r.io"])
        .write_stdin("x\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--password-stdin needs --username",
        ));
    assert!(!env.config_path().exists());
}

#[test]
fn password_flag_works_with_a_warning() {
    let env = TestEnv::new();
    env.write_config("{}");
    env.cmd()
        .args(["login", "--no-verify", "-u", "me", "-p", "pw", "r.io"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "--password on the command line is insecure",
        ));
    assert_eq!(env.config_json()["auths"]["r.io"]["auth"], auth("me", "pw"));
}

#[test]
fn password_stdin_strips_only_the_line_ending() {
    let env = TestEnv::new();
    env.write_config("{}");
    env.cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "me",
            "--password-stdin",
            "r.io",
        ])
        .write_stdin("  spaced pw  \r\nsecond line\n")
        .assert()
        .success();
    assert_eq!(
        env.config_json()["auths"]["r.io"]["auth"],
        auth("me", "  spaced pw  ")
    );
}

#[test]
fn not_logged_in_is_exit_zero_so_cleanup_can_run_twice() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    ));
    env.cmd().args(["logout", "a.io"]).assert().success();
    env.cmd()
        .args(["logout", "a.io"])
        .assert()
        .success()
        .stderr("Not logged in to a.io\n");
}

fn many(env: &TestEnv) {
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"111.dkr.ecr.us-east-1.amazonaws.com": ["AWS", "t1"], "only-helper.io": ["h", "t2"]}));
    env.write_config(&format!(
        r#"{{"auths": {{"222.dkr.ecr.eu-west-1.amazonaws.com": {{"auth": "{a}"}}, "ghcr.io": {{"auth": "{a}"}}, "111.dkr.ecr.us-east-1.amazonaws.com": {{}}}},
            "credHelpers": {{"111.dkr.ecr.us-east-1.amazonaws.com": "fake", "only-helper.io": "fake"}}, "other": true}}"#,
        a = auth("u", "p")
    ));
}

#[test]
fn match_removes_every_matching_login_from_file_and_helpers() {
    let env = TestEnv::new();
    many(&env);
    env.cmd()
        .args(["logout", "--match", "*.dkr.ecr.*.amazonaws.com"])
        .assert()
        .success();
    let v = env.config_json();
    assert_eq!(keys(&v), ["ghcr.io"]);
    assert_eq!(env.fake_db("fake"), json!({"only-helper.io": ["h", "t2"]}));
    assert_eq!(v["other"], true);
}

#[test]
fn all_removes_everything_list_shows_and_dry_run_nothing() {
    let env = TestEnv::new();
    many(&env);
    let before = env.read_config();
    env.cmd()
        .args(["logout", "--all", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Would remove login credentials for only-helper.io (docker-credential-fake)",
        ));
    assert_eq!(env.read_config(), before);
    assert_eq!(env.fake_db("fake").as_object().unwrap().len(), 2);
    let out = env
        .cmd()
        .args(["logout", "--all", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let removed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = removed
        .iter()
        .map(|r| r["registry"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(keys(&env.config_json()).is_empty());
    assert_eq!(env.fake_db("fake"), json!({}));
}

#[test]
fn a_helper_erase_failure_is_named_the_rest_is_removed_and_exit_is_one() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"bad.io": ["u", "x"], "good.io": ["u", "y"]}));
    env.fake_faults("fake", json!({"refuse": ["bad.io"]}));
    env.write_config(r#"{"auths": {"bad.io": {}, "good.io": {}}, "credsStore": "fake"}"#);
    env.cmd()
        .args(["logout", "bad.io", "good.io"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad.io").and(predicate::str::contains(
                "docker-credential-fake erase failed: refusing to erase bad.io",
            )),
        );
    assert_eq!(env.fake_db("fake"), json!({"bad.io": ["u", "x"]}));
    // The secret left in the helper is still visible, so nothing is lost track of.
    env.cmd()
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("bad.io"));
}

#[test]
fn secrets_never_reach_output_argv_or_helper_environment() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.write_config(r#"{"credsStore": "fake", "auths": {"seed.io": {}}}"#);
    let mut outputs = String::new();
    for args in [
        vec![
            "login",
            "--no-verify",
            "-u",
            "me",
            "--password-stdin",
            "s.io",
        ],
        vec!["list"],
        vec!["list", "--json"],
        vec!["logout", "--dry-run", "s.io"],
        vec!["logout", "s.io"],
    ] {
        let out = env
            .cmd()
            .args(&args)
            .write_stdin(format!("{SENTINEL}\n"))
            .output()
            .unwrap();
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(!outputs.contains(SENTINEL), "{outputs}");
    let log = env.fake_log("fake");
    assert!(log.contains("\"store\""), "the helper was not used: {log}");
    assert!(
        !log.contains(SENTINEL),
        "a secret reached a helper's argv or environment"
    );
}

#[test]
fn bad_glob_is_a_clear_error() {
    let env = TestEnv::new();
    env.write_config("{}");
    env.cmd()
        .args(["logout", "--match", "[x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--match"));
}

/// #12: a `migrate` that sets credsStore while `login` waits for the
/// registry: the login must land in the store the file names when it is
/// written, not in plaintext decided before the wait.
#[test]
fn login_decides_the_store_after_a_slow_registry_check() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.write_config(&json!({ "auths": { "b.io": { "auth": auth("bob", "bpw") } } }).to_string());
    let config = env.config_path();
    let (host, requests) = common::http::registry(
        move || std::fs::read_to_string(&config).is_ok_and(|t| t.contains("credsStore")),
        |_| common::http::http("200 OK", &[], "{}"),
    );

    use std::io::Write;
    use std::process::Stdio;
    use std::time::Duration;
    let mut login = env
        .std_cmd()
        .args(["login", "-u", "me", "--password-stdin", &host])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    login
        .stdin
        .take()
        .unwrap()
        .write_all(b"s3cret-login\n")
        .unwrap();
    // The login is now waiting for the registry's answer.
    requests.recv_timeout(Duration::from_secs(20)).unwrap();
    env.cmd()
        .args(["migrate", "--store", "fake"])
        .assert()
        .success();

    let out = login.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Login Succeeded\n");
    let c = env.config_json();
    assert_eq!(c["credsStore"], "fake");
    assert_eq!(
        c["auths"][&host],
        json!({}),
        "plaintext behind a helper: {c}"
    );
    assert!(!env.read_config().contains(&auth("me", "s3cret-login")));
    let db = env.fake_db("fake");
    assert_eq!(db[&host], json!(["me", "s3cret-login"]), "{db}");
}

/// The hint after a plaintext login is a command for the same file,
/// quoted: a --config path with a space and a quote stays one argument.
#[test]
fn plaintext_hint_names_the_file_quoted() {
    let env = TestEnv::new();
    let dir = env.home().join("my 'cfg'");
    let out = env
        .cmd()
        .arg("--config")
        .arg(&dir)
        .args([
            "login",
            "--no-verify",
            "-u",
            "me",
            "--password-stdin",
            "a.io",
        ])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let want = format!(
        r"Move it to a keychain with: dockercfg --config '{}/my '\''cfg'\''' migrate",
        env.home().display()
    );
    assert!(stderr.contains(&want), "{stderr}");
}
