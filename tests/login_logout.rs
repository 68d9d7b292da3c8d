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
        .code(2) // a usage error (#13), as the README's exit-status table says
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

// ---- login at a terminal: a real pseudo-terminal, typed into ----

/// `dockercfg login ARGS` on an 80x24 pseudo-terminal.
fn on_terminal(env: &TestEnv, args: &[&str]) -> common::pty::Session {
    let mut cmd = env.std_cmd();
    cmd.env_remove("REGISTRY_AUTH_FILE")
        .env_remove("DOCKERCFG_LOCK_TIMEOUT")
        .env_remove("NO_COLOR")
        .arg("login")
        .args(args);
    common::pty::Session::spawn(cmd, 80, 24)
}

/// What a terminal would show last on each line: a prompt redrawn after
/// `\r` or a clear-line (`ESC [2K`) replaces what was there.
fn screen_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.rsplit('\r').next().unwrap_or("");
            let l = l.rsplit("\x1b[2K").next().unwrap_or("");
            l.trim_end().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The one error line a failed login printed, checked to be the only one
/// after the last prompt.
fn one_error(text: &str) -> String {
    let lines = screen_lines(text);
    let after: Vec<&String> = lines
        .iter()
        .skip_while(|l| !l.starts_with("dockercfg: error: ") && l.contains(": "))
        .collect();
    assert_eq!(after.len(), 1, "not one error line: {lines:?}");
    assert!(after[0].starts_with("dockercfg: error: "), "{lines:?}");
    after[0].clone()
}

/// A store that cannot take the login is reported before anything is
/// asked: a missing credsStore helper, a credHelpers helper that fails
/// `list`, and (below, as an unprivileged user) a file that cannot be
/// written. The file is untouched.
#[test]
fn a_store_that_cannot_work_is_named_before_any_prompt() {
    let env = TestEnv::new();
    env.faulty_helper("broken", common::HelperFault::Crash, &[]);
    for (config, needle) in [
        (
            r#"{"auths": {"ghcr.io": {}}, "credsStore": "nope"}"#,
            "docker-credential-nope is not installed",
        ),
        (
            r#"{"credHelpers": {"ghcr.io": "broken"}}"#,
            "docker-credential-broken list failed",
        ),
    ] {
        env.write_config(config);
        let out = on_terminal(&env, &["--no-verify", "ghcr.io"]).finish();
        assert_eq!(out.status.code(), Some(1), "{}", out.text);
        let e = one_error(&out.text);
        assert!(
            e.contains("cannot store the credentials for ghcr.io") && e.contains(needle),
            "{}",
            out.text
        );
        assert!(!out.text.contains("Username"), "{}", out.text);
        assert_eq!(env.read_config(), config);
    }
    // The same for an auth.json and its credHelpers.
    let authfile = env.home().join("auth.json");
    let config = r#"{"credHelpers": {"quay.io": "broken"}}"#;
    std::fs::write(&authfile, config).unwrap();
    let a = authfile.to_str().unwrap();
    let out = on_terminal(&env, &["--no-verify", "quay.io", "--authfile", a]).finish();
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    assert!(one_error(&out.text).contains("docker-credential-broken list failed"));
    assert_eq!(std::fs::read_to_string(&authfile).unwrap(), config);
}

#[test]
fn a_file_that_cannot_be_written_is_named_before_any_prompt() {
    if !common::require_root("an unwritable directory for an unprivileged user") {
        return;
    }
    let env = TestEnv::new();
    common::set_mode(env.home(), 0o755);
    let dir = env.home().join("ro");
    std::fs::create_dir(&dir).unwrap();
    let text = "{\n\t\"auths\": {}\n}";
    std::fs::write(dir.join("config.json"), text).unwrap();
    common::set_mode(&dir.join("config.json"), 0o644);
    common::set_mode(&dir, 0o555); // root's: nobody may read, not write
    let mut cmd = common::as_nobody(&env);
    cmd.arg("--config")
        .arg(&dir)
        .args(["login", "--no-verify", "x.io"]);
    let out = common::pty::Session::spawn(cmd, 80, 24).finish();
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    let e = one_error(&out.text);
    assert!(
        e.contains(&format!(
            "cannot write {}",
            dir.join("config.json").display()
        )),
        "{e}"
    );
    assert!(!out.text.contains("Username"), "{}", out.text);
    assert_eq!(
        std::fs::read_to_string(dir.join("config.json")).unwrap(),
        text
    );
}

/// The prompts say which registry they are for: "Docker Hub" with none.
#[test]
fn the_prompts_name_the_registry_or_docker_hub() {
    let env = TestEnv::new();
    env.write_config("{}");
    for (args, shown, key) in [
        (
            vec!["--no-verify"],
            "Docker Hub",
            "https://index.docker.io/v1/",
        ),
        (vec!["--no-verify", "GHCR.io"], "ghcr.io", "ghcr.io"),
    ] {
        let mut s = on_terminal(&env, &args);
        s.expect(&format!("Username for {shown}: "));
        s.send("me\r");
        s.expect(&format!("Password for {shown}: "));
        s.send("pw-typed\r");
        let out = s.finish();
        assert_eq!(out.status.code(), Some(0), "{}", out.text);
        assert!(out.text.contains("Login Succeeded"), "{}", out.text);
        assert!(!out.text.contains("pw-typed"), "echoed: {}", out.text);
        assert_eq!(
            env.config_json()["auths"][key]["auth"],
            auth("me", "pw-typed")
        );
    }
}

/// Logged in already, the username is offered; Enter keeps it. It comes
/// from the file, or from the helper's `list` when a helper holds the
/// login (never its `get`: no secret is read to show a default).
#[test]
fn the_current_username_is_offered_and_enter_keeps_it() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("olduser", "oldpw")
    ));
    let mut s = on_terminal(&env, &["--no-verify", "ghcr.io"]);
    s.expect("Username for ghcr.io [olduser]: ");
    s.send("\r");
    s.expect("Password for ghcr.io: ");
    s.send("newpw\r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(0), "{}", out.text);
    assert_eq!(
        env.config_json()["auths"]["ghcr.io"]["auth"],
        auth("olduser", "newpw")
    );

    // In a helper: the username from `list`.
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"quay.io": ["helperuser", "s3cret"]}));
    env.write_config(r#"{"auths": {"quay.io": {}}, "credsStore": "fake"}"#);
    let mut s = on_terminal(&env, &["--no-verify", "quay.io"]);
    s.expect("Username for quay.io [helperuser]: ");
    s.send("\r");
    s.expect("Password for quay.io: ");
    s.send("newpw\r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(0), "{}", out.text);
    assert_eq!(
        env.fake_db("fake")["quay.io"],
        json!(["helperuser", "newpw"])
    );
    let log = env.fake_log("fake");
    assert!(!log.contains("\"get\""), "a secret was read: {log}");

    // Typing another name replaces the default.
    let mut s = on_terminal(&env, &["--no-verify", "quay.io"]);
    s.expect("[helperuser]: ");
    s.send("other\r");
    s.expect("Password for quay.io: ");
    s.send("pw2\r");
    assert_eq!(s.finish().status.code(), Some(0));
    assert_eq!(env.fake_db("fake")["quay.io"], json!(["other", "pw2"]));
}

/// An empty answer is an error (exit 1, one line), not the same question
/// again; the file is untouched. The same for an empty password.
#[test]
fn an_empty_username_or_password_is_an_error_not_a_new_prompt() {
    let env = TestEnv::new();
    let before = "{\n\t\"auths\": {}\n}";
    env.write_config(before);
    let mut s = on_terminal(&env, &["--no-verify", "ghcr.io"]);
    s.expect("Username for ghcr.io: ");
    s.send("   \r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    assert_eq!(
        screen_lines(&out.text),
        [
            "Username for ghcr.io:",
            "dockercfg: error: the username is empty"
        ],
        "{:?}",
        out.text
    );
    assert!(!out.text.contains("Password"), "{}", out.text);
    assert_eq!(env.read_config(), before);

    let mut s = on_terminal(&env, &["--no-verify", "ghcr.io"]);
    s.expect("Username for ghcr.io: ");
    s.send("me\r");
    s.expect("Password for ghcr.io: ");
    s.send("\r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    assert!(
        out.text.contains("dockercfg: error: the password is empty"),
        "{}",
        out.text
    );
    assert_eq!(env.read_config(), before);
}

/// Ctrl-C at either prompt ends login at once as SIGINT ends a program (a
/// shell reports 130), stores nothing, and leaves the terminal echoing
/// (the password prompt turns echo off).
#[test]
fn ctrl_c_at_either_prompt_stores_nothing_and_restores_the_terminal() {
    use std::os::unix::process::ExitStatusExt;
    let env = TestEnv::new();
    let before = "{\n\t\"auths\": {}\n}";
    env.write_config(before);
    let mut s = on_terminal(&env, &["--no-verify", "ghcr.io"]);
    s.expect("Username for ghcr.io: ");
    s.send("\x03");
    let out = s.finish();
    assert_eq!(out.status.signal(), Some(libc::SIGINT), "{}", out.text);
    assert!(!out.text.contains("Password"), "{}", out.text);
    assert_eq!(env.read_config(), before);

    let mut s = on_terminal(&env, &["--no-verify", "ghcr.io"]);
    s.expect("Username for ghcr.io: ");
    s.send("me\r");
    s.expect("Password for ghcr.io: ");
    s.send("half-typed\x03");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let echoes = s.echoes();
    let out = s.finish();
    assert_eq!(out.status.signal(), Some(libc::SIGINT), "{}", out.text);
    assert!(!out.text.contains("Login Succeeded"), "{}", out.text);
    assert!(!out.text.contains("half-typed"), "{}", out.text);
    assert!(echoes, "echo left off after Ctrl-C: {}", out.text);
    assert_eq!(env.read_config(), before);
}

/// With the credentials on the command line or stdin nothing is asked on
/// the terminal, and the store is checked when written to, as before.
#[test]
fn password_stdin_on_a_terminal_asks_nothing() {
    let env = TestEnv::new();
    env.write_config("{}");
    let mut s = on_terminal(
        &env,
        &["--no-verify", "-u", "me", "--password-stdin", "ghcr.io"],
    );
    s.send("from-stdin\r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(0), "{}", out.text);
    assert!(!out.text.contains("Username for") && !out.text.contains("Password for"));
    assert_eq!(
        env.config_json()["auths"]["ghcr.io"]["auth"],
        auth("me", "from-stdin")
    );
    // A missing helper: the same error as ever, after reading stdin.
    let config = r#"{"auths": {}, "credsStore": "nope"}"#;
    env.write_config(config);
    let mut s = on_terminal(
        &env,
        &["--no-verify", "-u", "me", "--password-stdin", "ghcr.io"],
    );
    s.send("from-stdin\r");
    let out = s.finish();
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    assert!(out.text.contains("docker-credential-nope"), "{}", out.text);
    assert_eq!(env.read_config(), config);
}
