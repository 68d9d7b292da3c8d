//! `dockercfg doctor` (#15): each failure a client meets, made for real
//! where this machine can (pass with a throwaway GPG key, a keyring on a
//! private D-Bus, docker-registry with htpasswd), and with a stand-in
//! helper printing each known message. Each test asserts the step, the
//! status and the fix, and that no secret appears in the output.
mod common;

use std::process::Output;

use common::real::{self, PassStore, Registry, SecretService};
use common::{auth, HelperFault, TestEnv};
use serde_json::{json, Value};

const SECRET: &str = "Sup3r-s3cret-pw";

/// `doctor ARGS --json` in `env`: (exit code, checks, the whole output).
fn doctor(env: &TestEnv, args: &[&str]) -> (i32, Vec<Value>, Output) {
    let out = env
        .cmd()
        .arg("doctor")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let checks = v["checks"].as_array().expect("checks").clone();
    (out.status.code().unwrap_or(-1), checks, out)
}

/// The one check of `step` with `status` whose message has `needle`.
fn find<'a>(checks: &'a [Value], step: &str, status: &str, needle: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| {
            c["step"] == step
                && c["status"] == status
                && c["message"].as_str().unwrap_or("").contains(needle)
        })
        .unwrap_or_else(|| {
            panic!(
                "no {status} {step} check saying {needle:?} in:\n{}",
                serde_json::to_string_pretty(checks).unwrap()
            )
        })
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_secret(out: &Output, secret: &str) {
    let t = text(out);
    assert!(!t.contains(secret), "a secret in the output: {t}");
}

/// A real helper's environment: system PATH (with the test's bin first).
fn with_system_path(env: &mut TestEnv, mut vars: Vec<(String, String)>) {
    vars.push(("PATH".into(), env.system_path()));
    env.add_env(vars);
}

// ---------------------------------------------------------------------------
// pass

/// credsStore pass with a login for x.io stored by the real helper.
fn pass_env(store: &PassStore) -> TestEnv {
    let mut env = TestEnv::new();
    with_system_path(&mut env, store.env());
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"pass"}"#);
    let (ok, out, err) = store.helper(
        "store",
        &json!({"ServerURL":"x.io","Username":"u","Secret":SECRET}).to_string(),
    );
    assert!(ok, "pass store: {out} {err}");
    env
}

#[test]
fn pass_uninitialised_names_pass_init_with_the_key_and_the_fix_works() {
    let Some(store) = real::require(PassStore::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    let empty = env.home().join("empty-store");
    std::fs::create_dir(&empty).unwrap();
    let vars: Vec<(String, String)> = store
        .env()
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "PASSWORD_STORE_DIR" => (k, empty.display().to_string()),
            _ => (k, v),
        })
        .collect();
    with_system_path(&mut env, vars);
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"pass"}"#);

    let (code, checks, out) = doctor(&env, &[]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(&checks, "store", "fail", "is not initialised");
    let fix = c["fix"].as_str().expect("a fix");
    assert_eq!(fix, format!("pass init {}", store.fingerprint()));
    // Debian's docker-credential-pass answers exit 0 with an empty secret.
    let h = find(
        &checks,
        "helper",
        "fail",
        "empty username and secret (exit 0)",
    );
    assert_eq!(h["registry"], "x.io");
    assert!(h["fix"].as_str().unwrap().ends_with("login x.io"), "{h}");

    // The fix, run as printed, initialises the store.
    let ran = std::process::Command::new("sh")
        .args(["-c", fix])
        .env("PATH", env.system_path())
        .envs(env.env_vars().iter().cloned())
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", text(&ran));
    let (_, checks, _) = doctor(&env, &[]);
    find(&checks, "store", "ok", "is initialised");
    find(
        &checks,
        "store",
        "ok",
        "decrypts the store's entries without a prompt",
    );
}

#[test]
fn pass_with_its_secret_key_removed() {
    let Some(store) = real::require(PassStore::start()) else {
        return;
    };
    let env = pass_env(&store);
    store.remove_secret_key().unwrap();
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(&checks, "store", "fail", "gpg has no secret key for");
    assert!(
        c["message"].as_str().unwrap().contains(store.fingerprint()),
        "{c}"
    );
    // The helper itself fails: its message is passed on, with the cause.
    find(
        &checks,
        "helper",
        "fail",
        "docker-credential-pass get for x.io failed",
    );
    assert_no_secret(&out, SECRET);
}

#[test]
fn pass_whose_key_needs_a_passphrase_with_no_terminal() {
    let Some(store) = real::require(PassStore::start_with_passphrase("key-passphrase-1")) else {
        return;
    };
    let env = pass_env(&store);
    let (code, checks, out) = doctor(&env, &[]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(&checks, "store", "fail", "needs its passphrase");
    let fix = c["fix"].as_str().expect("a fix that caches the passphrase");
    assert!(
        fix.starts_with("sh -c ") && fix.contains("gpg --decrypt"),
        "{fix}"
    );
    assert!(fix.contains(store.fingerprint()), "{fix}");
    find(
        &checks,
        "helper",
        "fail",
        "docker-credential-pass get for x.io failed",
    );
    assert_no_secret(&out, SECRET);
    assert!(!text(&out).contains("key-passphrase-1"));
}

#[test]
fn pass_that_works_passes_every_step() {
    let Some(store) = real::require(PassStore::start()) else {
        return;
    };
    let env = pass_env(&store);
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 0, "{}", text(&out));
    find(
        &checks,
        "source",
        "ok",
        "credsStore x.io decides: the client asks docker-credential-pass",
    );
    find(&checks, "helper", "ok", "answered get for x.io");
    find(&checks, "store", "ok", "without a prompt");
    find(&checks, "credential", "ok", "user u: decodes");
    assert_no_secret(&out, SECRET);
    // The human checklist: ✓ lines and a summary, still no secret.
    let human = env.cmd().args(["doctor", "x.io"]).output().unwrap();
    assert!(human.status.success());
    let t = text(&human);
    assert!(t.contains("✓ helper x.io: "), "{t}");
    assert!(t.contains("no failures, 1 warning(s)"), "{t}");
    assert_no_secret(&human, SECRET);
}

// ---------------------------------------------------------------------------
// secretservice

#[test]
fn secretservice_without_a_session_bus() {
    let installed = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .any(|d| d.join("docker-credential-secretservice").is_file());
    let why = "docker-credential-secretservice not on PATH (golang-docker-credential-helpers)";
    if real::require(installed.then_some(()).ok_or(why.to_string())).is_none() {
        return;
    }
    let mut env = TestEnv::new();
    with_system_path(&mut env, vec![]);
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"secretservice"}"#);
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    let c = find(checks, "store", "fail", "no D-Bus session bus");
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("on a headless machine use pass"),
        "{c}"
    );
    assert_eq!(c["fix"], "dockercfg store set pass");
    // The real helper's own message, with its cause.
    let h = find(checks, "helper", "fail", "Cannot autolaunch D-Bus");
    assert_eq!(h["fix"], "dockercfg store set pass");
    assert!(
        h["message"]
            .as_str()
            .unwrap()
            .contains("cause: no D-Bus session bus or keyring"),
        "{h}"
    );

    // #14: the same hint, one line, wherever a helper error is shown.
    for args in [&["get", "x.io"][..], &["list"][..]] {
        let out = env
            .cmd()
            .args(args)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("DISPLAY")
            .output()
            .unwrap();
        // get's error is on stderr; list shows it in its PROBLEM column.
        let all = text(&out);
        let line = all
            .lines()
            .find(|l| l.contains("docker-credential-secretservice"))
            .unwrap_or_else(|| panic!("{args:?}: {all}"));
        assert!(
            line.contains("(hint: no D-Bus session bus or keyring")
                && line.contains("on a headless machine use pass"),
            "{args:?}: {line}"
        );
    }

    // The fix, run as printed with a working pass: credsStore becomes pass.
    let Some(pass) = real::require(PassStore::start()) else {
        return;
    };
    let words: Vec<&str> = "store set pass".split(' ').collect();
    let out = env
        .cmd()
        .args(&words)
        .envs(pass.env())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(env.config_json()["credsStore"], "pass");
}

#[test]
fn secretservice_with_a_locked_keyring() {
    let Some(ss) = real::require(SecretService::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    with_system_path(&mut env, ss.env());
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"secretservice"}"#);
    let (ok, o, e) = ss.helper(
        "store",
        &json!({"ServerURL":"x.io","Username":"u","Secret":SECRET}).to_string(),
    );
    assert!(ok, "{o} {e}");
    // Unlocked first: the store check passes.
    let (_, checks, out) = doctor(&env, &["x.io"]);
    find(&checks, "store", "ok", "is unlocked");
    find(&checks, "store", "ok", "a keyring answers on the bus");
    assert_no_secret(&out, SECRET);

    ss.lock().unwrap();
    let (code, checks, out) = doctor(&env, &["x.io", "--helper-timeout", "5"]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(&checks, "store", "fail", "is locked");
    assert!(
        c["message"].as_str().unwrap().contains("unlock prompt"),
        "{c}"
    );
    assert_no_secret(&out, SECRET);
}

// ---------------------------------------------------------------------------
// --online against the real docker-registry

#[test]
fn online_good_then_revoked_password() {
    let Some(mut reg) = real::require(Registry::start("alice", SECRET)) else {
        return;
    };
    let env = TestEnv::new();
    env.write_config(
        &json!({"auths": {reg.addr.clone(): {"auth": auth("alice", SECRET)}}}).to_string(),
    );
    let (code, checks, out) = doctor(&env, &[&reg.addr, "--online"]);
    assert_eq!(code, 0, "{}", text(&out));
    find(&checks, "credential", "ok", "accepts the credential");
    assert_no_secret(&out, SECRET);

    reg.change_password("a-new-password").unwrap();
    let (code, checks, out) = doctor(&env, &[&reg.addr, "--online"]);
    assert_eq!(code, 1, "{}\n{}", text(&out), reg.log_tail());
    let c = find(&checks, "credential", "fail", "credentials refused");
    assert_eq!(c["fix"], format!("dockercfg login {}", reg.addr));
    assert_no_secret(&out, SECRET);
    // Without --online nothing asks the registry: the credential decodes.
    let (code, checks, _) = doctor(&env, &[&reg.addr]);
    assert_eq!(code, 0);
    find(
        &checks,
        "credential",
        "ok",
        "--online also asks the registry",
    );
}

// ---------------------------------------------------------------------------
// helpers that are missing, not executable, hang

#[test]
fn missing_helper_fix_drops_the_login_from_the_file() {
    let env = TestEnv::new();
    env.write_config(
        r#"{"auths":{"x.io":{},"y.io":{"auth":"dTpw"}},"credHelpers":{"x.io":"gone"}}"#,
    );
    let (code, checks, out) = doctor(&env, &[]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(
        &checks,
        "helper",
        "fail",
        "docker-credential-gone is not on PATH",
    );
    assert_eq!(c["registry"], "x.io");
    let fix = c["fix"].as_str().unwrap();
    assert_eq!(fix, "dockercfg logout --file-only x.io");
    // The rest is still checked: y.io's plaintext login.
    find(&checks, "credential", "ok", "user u: decodes");
    let words: Vec<&str> = fix.split(' ').skip(1).collect();
    env.cmd().args(&words).assert().success();
    assert!(env.config_json()["auths"].get("x.io").is_none());
}

#[test]
fn helper_that_is_not_executable() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"noexec"}"#);
    let p = env.fake_helper("noexec");
    env.fake_seed("noexec", json!({"x.io": ["u", SECRET]}));
    common::set_mode(&p, 0o644);
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1, "{}", text(&out));
    let c = find(&checks, "helper", "fail", "is on PATH but not executable");
    let fix = c["fix"].as_str().unwrap();
    assert_eq!(fix, format!("chmod +x {}", p.display()));
    let ran = std::process::Command::new("sh")
        .args(["-c", fix])
        .output()
        .unwrap();
    assert!(ran.status.success());
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 0, "{}", text(&out));
    find(&checks, "helper", "ok", "answered get for x.io");
    assert_no_secret(&out, SECRET);
}

#[test]
fn helper_that_hangs_is_cut_off_at_the_timeout() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{"x.io":{}},"credHelpers":{"x.io":"stuck"}}"#);
    env.faulty_helper("stuck", HelperFault::Hang, &[]);
    let started = std::time::Instant::now();
    let (code, checks, out) = doctor(&env, &["--helper-timeout", "1"]);
    assert!(
        started.elapsed().as_secs() < 20,
        "doctor waited for the hang"
    );
    assert_eq!(code, 1, "{}", text(&out));
    find(
        &checks,
        "helper",
        "fail",
        "did not answer get for x.io within 1s",
    );
}

#[test]
fn windows_helper_in_wsl_needs_the_exe_name() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"desktop"}"#);
    env.script_helper("desktop.exe", "#!/bin/sh\nexit 1\n");
    let (code, checks, _) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1);
    find(
        &checks,
        "helper",
        "fail",
        "docker-credential-desktop.exe is",
    );
    find(&checks, "helper", "fail", "(desktop.exe)");
}

// ---------------------------------------------------------------------------
// one stand-in per known message

/// A helper `name` whose `get` prints `message` and exits `code`; `list`
/// answers `{}`.
fn says(env: &TestEnv, name: &str, message: &str, code: i32) {
    let body = format!(
        "#!/bin/sh\nread -r _\n[ \"$1\" = list ] && {{ echo '{{}}'; exit 0; }}\nprintf '%s\\n' '{}'\nexit {code}\n",
        message.replace('\'', "'\\''")
    );
    env.script_helper(name, &body);
}

#[test]
fn each_known_message_gets_its_cause() {
    let cases: &[(&str, &str, i32, &str)] = &[
        (
            "osxkeychain",
            "User interaction is not allowed.",
            1,
            "macOS keychain is locked, or this is an SSH session",
        ),
        (
            "wincred",
            "A specified logon session does not exist. It may already have been terminated.",
            1,
            "not available in this logon session",
        ),
        (
            "secretservice",
            "The name org.freedesktop.secrets was not provided by any .service files",
            1,
            "no D-Bus session bus or keyring",
        ),
        (
            "secretservice",
            "Cannot autolaunch D-Bus without X11 $DISPLAY",
            1,
            "no D-Bus session bus or keyring",
        ),
        (
            "pass",
            "pass store is uninitialized",
            1,
            "the pass store is not initialised",
        ),
        (
            "pass",
            "exit status 2: gpg: decryption failed: No secret key",
            1,
            "gpg has no secret key for the pass store's recipients",
        ),
        (
            "desktop.exe",
            "docker-credential-desktop.exe: Invalid argument",
            1,
            "WSL could not start the Windows helper",
        ),
        (
            "ecr-login",
            "not implemented",
            1,
            "ecr-login is the credsStore",
        ),
    ];
    for (name, message, code, cause) in cases {
        let env = TestEnv::new();
        env.write_config(&json!({"auths": {"x.io": {}}, "credsStore": name}).to_string());
        says(&env, name, message, *code);
        let (exit, checks, out) = doctor(&env, &["x.io"]);
        assert_eq!(exit, 1, "{name}: {}", text(&out));
        let c = find(&checks, "helper", "fail", cause);
        assert!(
            c["message"]
                .as_str()
                .unwrap()
                .contains(message.trim_end_matches('.')),
            "{name}: the helper's own words are kept: {c}"
        );
    }
}

#[test]
fn not_found_and_pass_empty_answer_are_told_apart() {
    // The protocol's not-found message.
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"nf"}"#);
    says(&env, "nf", "credentials not found in native keychain", 1);
    let (code, checks, _) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1);
    let c = find(
        &checks,
        "helper",
        "fail",
        "\"credentials not found in native keychain\" (exit 1)",
    );
    assert!(c["message"]
        .as_str()
        .unwrap()
        .contains("does not fall back to the file"));
    assert_eq!(c["fix"], "dockercfg login x.io");

    // pass's exit 0 with an empty secret.
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"pass"}"#);
    says(
        &env,
        "pass",
        r#"{"ServerURL":"x.io","Username":"","Secret":""}"#,
        0,
    );
    let (code, checks, _) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1);
    find(
        &checks,
        "helper",
        "fail",
        "docker-credential-pass answered with an empty secret (exit 0)",
    );
}

#[test]
fn helper_stderr_is_captured_without_the_secret() {
    let env = TestEnv::new();
    env.write_config(
        &json!({"auths": {"x.io": {"auth": auth("u", SECRET)}}, "credHelpers": {"x.io": "leaky"}})
            .to_string(),
    );
    env.script_helper(
        "leaky",
        &format!(
            "#!/bin/sh\nread -r _\necho 'warning: last secret was {SECRET}' >&2\necho 'boom {SECRET}'\nexit 3\n"
        ),
    );
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 1);
    let c = find(
        &checks,
        "helper",
        "fail",
        "failed (exit 3): boom <redacted>",
    );
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("stderr: warning: last secret was <redacted>"),
        "{c}"
    );
    assert_no_secret(&out, SECRET);
}

// ---------------------------------------------------------------------------
// the file, the source, the output

#[test]
fn an_undecodable_entry_poisons_the_rest_and_its_fix_removes_it() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths":{{"bad.io":{{"auth":"!!notbase64"}},"ok.io":{{"auth":"{}"}}}}}}"#,
        auth("u", SECRET)
    ));
    let (code, checks, out) = doctor(&env, &[]);
    assert_eq!(code, 1);
    let c = find(
        &checks,
        "file",
        "fail",
        "the entry for bad.io cannot be decoded",
    );
    assert!(c["message"]
        .as_str()
        .unwrap()
        .contains("no basic auth credentials"));
    assert_eq!(c["registry"], Value::Null);
    let fix = c["fix"].as_str().unwrap();
    assert_eq!(fix, "dockercfg logout --file-only bad.io");
    find(&checks, "credential", "ok", "user u: decodes");
    assert_no_secret(&out, SECRET);
    let words: Vec<&str> = fix.split(' ').skip(1).collect();
    env.cmd().args(&words).assert().success();
    let (code, _, out) = doctor(&env, &[]);
    assert_eq!(code, 0, "{}", text(&out));
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_rest_still_runs() {
    let env = TestEnv::new();
    env.write_config("{\"auths\": {,}}");
    let before = env.read_config();
    let (code, checks, _) = doctor(&env, &["ghcr.io"]);
    assert_eq!(code, 1);
    let c = find(
        &checks,
        "file",
        "fail",
        "WARNING: Error parsing config file",
    );
    assert!(c["message"].as_str().unwrap().contains("line 1"), "{c}");
    find(
        &checks,
        "source",
        "fail",
        "no source holds a login for ghcr.io",
    );
    assert_eq!(env.read_config(), before, "doctor changes nothing");
}

#[test]
fn sudo_reads_roots_file_not_the_users() {
    if !common::require_root("the sudo check (SUDO_UID only counts for root)") {
        return;
    }
    let env = TestEnv::new();
    env.write_config("{}");
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .env("SUDO_UID", "65534")
        .env("SUDO_GID", "65534")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = find(
        v["checks"].as_array().unwrap(),
        "file",
        "warn",
        "running under sudo",
    );
    assert!(c["message"].as_str().unwrap().contains("nobody"), "{c}");
    // Without sudo, no such warning.
    let (_, checks, _) = doctor(&env, &[]);
    assert!(!checks
        .iter()
        .any(|c| c["message"].as_str().unwrap().contains("under sudo")));
}

#[test]
fn source_trace_names_what_is_passed_over() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths":{{"x.io":{{"auth":"{}"}}}},"credsStore":"st","credHelpers":{{"x.io":"hx"}}}}"#,
        auth("u", SECRET)
    ));
    env.fake_helper("hx");
    env.fake_seed("hx", json!({"x.io": ["u", "helper-secret-1"]}));
    env.fake_helper("st");
    let (code, checks, out) = doctor(&env, &["x.io"]);
    find(
        &checks,
        "source",
        "ok",
        "credHelpers x.io decides: the client asks docker-credential-hx",
    );
    find(
        &checks,
        "source",
        "ok",
        "credsStore is passed over: credsStore is st",
    );
    find(&checks, "source", "warn", "still holds plaintext for x.io");
    find(&checks, "helper", "ok", "answered get for x.io");
    // podman never reads credsStore.
    find(&checks, "file", "warn", "never read credsStore");
    assert_eq!(code, 0, "warnings only: {}", text(&out));
    assert_no_secret(&out, SECRET);
    assert_no_secret(&out, "helper-secret-1");
}

#[test]
fn image_reference_and_expired_token() {
    // A JWT that expired an hour ago, as a password.
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 3600;
    let jwt = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"none"}"#),
        b64(&format!(r#"{{"exp":{exp}}}"#)),
        b64("sig")
    );
    let env = TestEnv::new();
    env.write_config(&json!({"auths": {"ghcr.io": {"auth": auth("u", &jwt)}}}).to_string());
    let (code, checks, out) = doctor(&env, &["ghcr.io/org/app:1"]);
    assert_eq!(code, 1);
    let c = find(&checks, "credential", "fail", "the JWT expired 1h");
    assert_eq!(c["registry"], "ghcr.io");
    assert_eq!(c["fix"], "dockercfg login ghcr.io");
    assert_no_secret(&out, &jwt);
}

#[test]
fn json_schema_and_exit_codes() {
    let env = TestEnv::new();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    let (code, checks, _) = doctor(&env, &[]);
    assert_eq!(code, 0);
    for c in &checks {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{c}");
        for k in ["registry", "step", "status", "message", "fix"] {
            assert!(c.get(k).is_some(), "{k} missing: {c}");
        }
        assert!(["ok", "warn", "fail"].contains(&c["status"].as_str().unwrap()));
        assert!(["file", "source", "helper", "store", "credential"]
            .contains(&c["step"].as_str().unwrap()));
    }
    // Usage errors are 2.
    env.cmd()
        .args(["doctor", "--no-such-flag"])
        .assert()
        .code(2);
}

#[test]
fn human_checklist_puts_the_failure_first_with_its_fix() {
    let env = TestEnv::new();
    env.write_config(
        r#"{"auths":{"a.io":{"auth":"dTpw"},"x.io":{}},"credHelpers":{"x.io":"gone"}}"#,
    );
    let out = env.cmd().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let t = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].starts_with("✗ helper x.io: "), "{t}");
    assert_eq!(
        lines[1], "    fix: dockercfg logout --file-only x.io",
        "{t}"
    );
    assert!(t.contains("✓ credential a.io: user u: decodes"), "{t}");
    assert!(lines.last().unwrap().contains("1 failure(s)"), "{t}");
}

#[test]
fn what_podman_reads_instead() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths":{},"credsStore":"ecr-login"}"#);
    let other = env.home().join("podman-auth.json");
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .env("REGISTRY_AUTH_FILE", &other)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    let c = find(checks, "file", "warn", "REGISTRY_AUTH_FILE is");
    assert!(c["message"].as_str().unwrap().contains("never this one"));
    // A global ecr-login cannot store anything; the fix removes credsStore.
    let c = find(checks, "file", "warn", "ecr-login is the credsStore");
    assert_eq!(c["fix"], "dockercfg store clear");
    // Without the variable: podman's own files come first.
    let (_, checks, _) = doctor(&env, &[]);
    find(
        checks.as_slice(),
        "file",
        "ok",
        "podman, skopeo and buildah look in",
    );
    find(checks.as_slice(), "file", "ok", "then in this file");
    // With --config elsewhere, podman still reads docker's usual file.
    let other_dir = env.home().join("elsewhere");
    std::fs::create_dir(&other_dir).unwrap();
    let out = env
        .cmd()
        .arg("--config")
        .arg(&other_dir)
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    find(
        v["checks"].as_array().unwrap(),
        "file",
        "ok",
        ".docker/config.json (not this file)",
    );

    // The ecr-login fix, run as printed (a stand-in that lists nothing).
    says(&env, "ecr-login", "not implemented", 1);
    env.cmd().args(["store", "clear"]).assert().success();
    assert!(env.config_json().get("credsStore").is_none());
    let (_, checks, _) = doctor(&env, &[]);
    assert!(!checks
        .iter()
        .any(|c| c["message"].as_str().unwrap().contains("ecr-login")));
}

#[test]
fn containers_rules_with_authfile() {
    let env = TestEnv::new();
    let file = env.home().join("auth.json");
    std::fs::write(
        &file,
        json!({"auths": {"quay.io/org": {"auth": auth("robot", SECRET)}}, "credsStore": "pass"})
            .to_string(),
    )
    .unwrap();
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&file)
        .args(["doctor", "quay.io/org/app:1", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    find(checks, "source", "ok", "file quay.io/org is used");
    find(checks, "credential", "ok", "user robot: decodes");
    find(checks, "file", "warn", "never read");
    assert_no_secret(&out, SECRET);
}

/// `name` on the test process's PATH.
fn system_tool(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[test]
fn secretservice_asked_with_gdbus_and_unknown_with_no_bus_client() {
    let Some(ss) = real::require(SecretService::start()) else {
        return;
    };
    let Some(gdbus) =
        real::require(system_tool("gdbus").ok_or("gdbus not on PATH (libglib2.0-bin)".to_string()))
    else {
        return;
    };
    let helper = system_tool("docker-credential-secretservice").unwrap();
    let mut env = TestEnv::new();
    env.add_env(ss.env());
    // PATH is the test's bin dir alone: the helper, and gdbus but no dbus-send.
    std::os::unix::fs::symlink(
        &helper,
        env.bin_dir().join("docker-credential-secretservice"),
    )
    .unwrap();
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"secretservice"}"#);
    let (ok, o, e) = ss.helper(
        "store",
        &json!({"ServerURL":"x.io","Username":"u","Secret":SECRET}).to_string(),
    );
    assert!(ok, "{o} {e}");
    ss.lock().unwrap();

    // Neither dbus-send nor gdbus: the keyring's state is unknown, said so.
    let (_, checks, out) = doctor(&env, &["x.io", "--helper-timeout", "5"]);
    find(
        &checks,
        "store",
        "warn",
        "unknown whether a keyring answers",
    );
    assert_no_secret(&out, SECRET);

    std::os::unix::fs::symlink(&gdbus, env.bin_dir().join("gdbus")).unwrap();
    let (code, checks, out) = doctor(&env, &["x.io", "--helper-timeout", "5"]);
    assert_eq!(code, 1, "{}", text(&out));
    find(&checks, "store", "ok", "a keyring answers on the bus");
    find(&checks, "store", "fail", "is locked");
    assert_no_secret(&out, SECRET);
}

#[test]
fn podman_default_file_falls_back_to_dockers_config() {
    let mut env = TestEnv::new();
    let run = env.home().join("run");
    std::fs::create_dir(&run).unwrap();
    env.add_env(vec![("XDG_RUNTIME_DIR".into(), run.display().to_string())]);
    // podman's own file is empty; docker's config.json has the login.
    std::fs::create_dir_all(run.join("containers")).unwrap();
    std::fs::write(run.join("containers/auth.json"), "{}").unwrap();
    env.write_config(&json!({"auths": {"ghcr.io": {"auth": auth("u", SECRET)}}}).to_string());
    let out = env
        .cmd()
        .args(["--podman", "doctor", "ghcr.io/org/app", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    let c = find(checks, "source", "ok", "file ghcr.io is used");
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains(".docker/config.json"),
        "{c}"
    );
    find(checks, "credential", "ok", "user u: decodes");
    assert_no_secret(&out, SECRET);
}

#[test]
fn checklist_under_an_80_column_terminal_keeps_each_fix_whole() {
    let env = TestEnv::new();
    env.write_config(
        r#"{"auths":{"a-rather-long-registry-name.example.com":{},"b.io":{"auth":"!!"}},"credHelpers":{"a-rather-long-registry-name.example.com":"a-helper-that-is-not-installed"}}"#,
    );
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("dockercfg"));
    c.arg("doctor")
        .env_clear()
        .env("HOME", env.home())
        .env("PATH", env.bin_dir())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let out = common::pty::run(c, 80, 24);
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    let fix = "fix: dockercfg logout --file-only a-rather-long-registry-name.example.com";
    let lines: Vec<&str> = out.text.lines().collect();
    assert!(
        lines.iter().any(|l| l.trim() == fix),
        "the fix is whole on its own line:\n{}",
        out.text
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim() == "fix: dockercfg logout --file-only b.io"),
        "{}",
        out.text
    );
    for l in &lines {
        let w = unicode_width::UnicodeWidthStr::width(*l);
        assert!(
            w <= 80 || l.trim_start().starts_with("fix: ") || !l.trim().contains(' '),
            "a line wider than the terminal: {l:?}\n{}",
            out.text
        );
    }
    assert!(lines[0].starts_with("✗ "), "failures first: {}", out.text);
}

#[test]
fn global_ecr_login_fix_keeps_each_ecr_registry_on_its_helper() {
    // The same fix audit's ecr-creds-store prints: each ECR registry gets
    // its own credHelpers entry, then credsStore goes.
    let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths":{{"{ecr}":{{}},"ghcr.io":{{}}}},"credsStore":"ecr-login"}}"#
    ));
    says(&env, "ecr-login", "not implemented", 1);
    let (_, checks, _) = doctor(&env, &[]);
    let c = find(&checks, "file", "warn", "ecr-login is the credsStore");
    let fix = c["fix"].as_str().unwrap();
    assert_eq!(
        fix,
        format!("dockercfg store set --registry {ecr} ecr-login && dockercfg store clear")
    );
    let audit = env.cmd().args(["audit", "--json"]).output().unwrap();
    let findings: Value = serde_json::from_slice(&audit.stdout).unwrap();
    let same = findings
        .as_array()
        .into_iter()
        .flatten()
        .chain(findings["findings"].as_array().into_iter().flatten())
        .any(|f| f["code"] == "ecr-creds-store" && f["fix"] == fix);
    assert!(same, "audit prints another fix: {findings}");
    // Run as printed, step by step.
    for step in fix.split(" && ") {
        let words: Vec<&str> = step.split(' ').skip(1).collect();
        env.cmd().args(&words).assert().success();
    }
    let cfg = env.config_json();
    assert!(cfg.get("credsStore").is_none(), "{cfg}");
    assert_eq!(cfg["credHelpers"][ecr], "ecr-login", "{cfg}");
    let (_, checks, _) = doctor(&env, &[]);
    assert!(!checks.iter().any(|c| c["message"]
        .as_str()
        .unwrap()
        .contains("ecr-login is the credsStore")));
}

// ---------------------------------------------------------------------------
// one ask per registry

/// Asserts the fake helper `name` was asked `get` exactly once (its log
/// has a line per call).
fn asked_get_once(env: &TestEnv, name: &str) {
    let actions: Vec<String> = env
        .fake_log(name)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["argv"][1].as_str().unwrap_or("").to_string()
        })
        .collect();
    let gets = actions.iter().filter(|a| *a == "get").count();
    assert_eq!(gets, 1, "calls to docker-credential-{name}: {actions:?}");
}

#[test]
fn doctor_asks_the_helper_once_per_registry() {
    // A credsStore that answers, a credHelpers entry that holds nothing, and
    // one that fails: each is asked for exactly one `get`, and what the
    // check shows (user, exit status, stderr) comes from that one call.
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"x.io": ["alice", SECRET]}));
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"fake"}"#);
    let (code, checks, out) = doctor(&env, &["x.io"]);
    assert_eq!(code, 0, "{}", text(&out));
    find(&checks, "helper", "ok", "answered get for x.io");
    find(&checks, "helper", "ok", "(exit 0), user alice");
    asked_get_once(&env, "fake");
    assert_no_secret(&out, SECRET);

    let env = TestEnv::new();
    env.fake_helper("fake");
    env.write_config(r#"{"credHelpers":{"y.io":"fake"}}"#);
    let (code, checks, _) = doctor(&env, &["y.io"]);
    assert_eq!(code, 1);
    find(&checks, "helper", "fail", "(exit 1)");
    asked_get_once(&env, "fake");

    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_faults("fake", json!({"refuse": ["z.io"]}));
    env.write_config(r#"{"credHelpers":{"z.io":"fake"}}"#);
    let (code, checks, _) = doctor(&env, &["z.io"]);
    assert_eq!(code, 1);
    find(
        &checks,
        "helper",
        "fail",
        "get for z.io failed (exit 1): refusing to get z.io",
    );
    asked_get_once(&env, "fake");

    // The human checklist too.
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"x.io": ["alice", SECRET]}));
    env.write_config(r#"{"auths":{"x.io":{}},"credsStore":"fake"}"#);
    let out = env.cmd().args(["doctor", "x.io"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    asked_get_once(&env, "fake");
    assert_no_secret(&out, SECRET);
}
