//! dockercfg against the real thing: docker's own client, Debian's
//! docker-registry with htpasswd auth, docker-credential-pass with a
//! throwaway GPG key and docker-credential-secretservice on a private
//! gnome-keyring. Logins made by one side must be read, listed and removed
//! by the other. Every test starts its own parts (see `common::real`), so
//! they run in parallel; off CI a missing part skips, on CI it fails.
mod common;

use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::real::{docker, docker_client, require, PassStore, Registry, SecretService};
use common::{auth, TestEnv};
use serde_json::{json, Value};

/// Generous: verification is a few local HTTP requests, a helper call is a
/// GPG operation. Only here so a hang fails instead of blocking the run.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

/// The helper protocol's `store` input.
fn creds(url: &str, user: &str, secret: &str) -> String {
    json!({ "ServerURL": url, "Username": user, "Secret": secret }).to_string()
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// `dockercfg ARGS` with `stdin`, in `env`.
fn dcfg(env: &TestEnv, args: &[&str], stdin: &str) -> Output {
    env.cmd()
        .args(args)
        .write_stdin(stdin.to_string())
        .timeout(RUN_TIMEOUT)
        .output()
        .expect("run dockercfg")
}

/// `dockercfg login ADDR -u USER --password-stdin` (verified: no --no-verify).
fn dcfg_login(env: &TestEnv, addr: &str, user: &str, password: &str) -> Output {
    dcfg(
        env,
        &["login", addr, "-u", user, "--password-stdin"],
        &format!("{password}\n"),
    )
}

/// `dockercfg list --json`, which must succeed.
fn list_json(env: &TestEnv) -> Vec<Value> {
    let out = dcfg(env, &["list", "--json"], "");
    assert!(out.status.success(), "list --json failed: {}", show(&out));
    match parse(&text(&out.stdout)) {
        Value::Array(rows) => rows,
        other => panic!("list --json is not an array: {other}"),
    }
}

/// The rows of `rows` for `registry`.
fn rows_for<'a>(rows: &'a [Value], registry: &str) -> Vec<&'a Value> {
    rows.iter().filter(|r| r["registry"] == registry).collect()
}

/// `docker login` into `config_dir`, which must succeed.
fn docker_login(config_dir: &Path, reg: &Registry, env: &[(String, String)]) {
    let out = docker(
        config_dir,
        &["login", "-u", &reg.user, "--password-stdin", &reg.addr],
        env,
        &format!("{}\n", reg.password),
    );
    assert!(
        out.status.success(),
        "docker login failed: {}\nregistry log:\n{}",
        show(&out),
        reg.log_tail()
    );
}

/// `docker manifest inspect --insecure ADDR/IMAGE` with `config_dir`.
fn docker_inspect(
    config_dir: &Path,
    reg: &Registry,
    image: &str,
    env: &[(String, String)],
) -> Output {
    let image = format!("{}/{image}", reg.addr);
    docker(
        config_dir,
        &["manifest", "inspect", "--insecure", &image],
        env,
        "",
    )
}

/// The keys of a helper's `list`, which must succeed.
fn helper_keys(list: (bool, String, String)) -> Value {
    let (ok, out, err) = list;
    assert!(ok, "helper list failed: {out} {err}");
    parse(&out)
}

/// A 127.0.0.1 port nothing listens on: port 1 (tcpmux), which no
/// unprivileged process (such as a parallel test's registry) can take; if
/// something does listen there, a port bound and released.
fn closed_port() -> u16 {
    if std::net::TcpStream::connect_timeout(&"127.0.0.1:1".parse().unwrap(), Duration::from_secs(1))
        .is_err()
    {
        return 1;
    }
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A bin dir holding symlinks to just these host tools, for PATHs that
/// decide docker's default store; Err names a missing tool.
fn bin_with(tools: &[&str]) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for tool in tools {
        let found = std::env::split_paths(&std::env::var("PATH").unwrap_or_default())
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
            .ok_or_else(|| format!("{tool} not found on PATH"))?;
        std::os::unix::fs::symlink(found, dir.path().join(tool)).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// Every `*.gpg` file under `dir` (pass keeps one per secret), recursively.
fn gpg_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "gpg") {
                found.push(path);
            }
        }
    }
    found
}

fn with_system_path(env: &TestEnv, mut vars: Vec<(String, String)>) -> Vec<(String, String)> {
    vars.push(("PATH".into(), env.system_path()));
    vars
}

// ---------------------------------------------------------------------------
// list

#[test]
fn list_shows_a_docker_login_stored_in_pass() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("listuser", "list-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    let mut env = TestEnv::new();
    env.write_config(r#"{"credsStore":"pass"}"#);
    let vars = with_system_path(&env, pass.env());
    docker_login(&env.config_dir(), &reg, &vars);
    // What docker did: a placeholder in the file, the secret in pass.
    assert_eq!(env.config_json()["auths"], json!({ reg.addr.clone(): {} }));
    assert_eq!(
        helper_keys(pass.helper("list", "")),
        json!({ reg.addr.clone(): "listuser" })
    );

    env.add_env(vars);
    let rows = list_json(&env);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0],
        json!({
            "registry": reg.addr,
            "username": "listuser",
            "source": "credsStore",
            "helper": "pass",
            "kind": "basic",
            "token": null,
            "expires": null,
            "error": null,
        })
    );
    // The human table says the same, without the secret.
    let out = dcfg(&env, &["list"], "");
    assert!(out.status.success(), "{}", show(&out));
    let table = text(&out.stdout);
    assert!(
        table.contains(&reg.addr) && table.contains("listuser"),
        "{table}"
    );
    assert!(!table.contains("list-S3cret") && !text(&out.stderr).contains("list-S3cret"));
}

#[test]
fn list_shows_logins_in_secretservice_via_cred_helpers() {
    let Some(ss) = require(SecretService::start()) else {
        return;
    };
    let (ok, out, err) = ss.helper("store", &creds("sec.example.com", "sam", "ss-S3cret"));
    assert!(ok, "seeding secretservice failed: {out} {err}");

    let mut env = TestEnv::new();
    env.write_config(
        r#"{"auths":{"sec.example.com":{}},"credHelpers":{"sec.example.com":"secretservice"}}"#,
    );
    env.add_env(with_system_path(&env, ss.env()));
    let rows = list_json(&env);
    assert_eq!(
        rows,
        vec![json!({
            "registry": "sec.example.com",
            "username": "sam",
            "source": "credHelpers",
            "helper": "secretservice",
            "kind": "basic",
            "token": null,
            "expires": null,
            "error": null,
        })]
    );
}

// ---------------------------------------------------------------------------
// dockercfg login -> docker reads it -> dockercfg logout -> docker cannot

/// Where `dockercfg_login_is_read_by_docker_*` keeps the secret.
enum Storage {
    Plaintext,
    Pass(PassStore),
    SecretService(SecretService),
}

impl Storage {
    fn env(&self) -> Vec<(String, String)> {
        match self {
            Storage::Plaintext => vec![],
            Storage::Pass(p) => p.env(),
            Storage::SecretService(s) => s.env(),
        }
    }

    fn helper(&self, action: &str, stdin: &str) -> (bool, String, String) {
        match self {
            Storage::Plaintext => unreachable!("no helper for plaintext"),
            Storage::Pass(p) => p.helper(action, stdin),
            Storage::SecretService(s) => s.helper(action, stdin),
        }
    }
}

fn login_is_read_by_docker(storage: Option<Storage>, user: &str, password: &str) {
    let Some(storage) = storage else {
        return;
    };
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start(user, password)) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let addr = reg.addr.clone();

    let mut env = TestEnv::new();
    let seed = auth("seed", "seed-pw");
    match &storage {
        // An existing login means no default store is chosen, even with
        // pass on PATH: plaintext, as docker would do.
        Storage::Plaintext => env.write_config(&format!(
            r#"{{"auths":{{"seed.invalid":{{"auth":"{seed}"}}}}}}"#
        )),
        Storage::Pass(_) => env.write_config(r#"{"credsStore":"pass"}"#),
        Storage::SecretService(_) => env.write_config(&format!(
            r#"{{"credHelpers":{{"{addr}":"secretservice"}}}}"#
        )),
    }
    env.add_env(with_system_path(&env, storage.env()));
    // docker gets PATH only when the config names a helper (see `docker`).
    let docker_env = storage.env();
    let inspect = || docker_inspect(&env.config_dir(), &reg, "team/app:v1", &docker_env);

    let out = inspect();
    assert!(
        !out.status.success(),
        "inspect worked before any login: {}",
        show(&out)
    );

    let out = dcfg_login(&env, &addr, user, password);
    assert!(
        out.status.success(),
        "dockercfg login failed: {}\nregistry log:\n{}",
        show(&out),
        reg.log_tail()
    );
    assert!(
        text(&out.stdout).contains("Login Succeeded"),
        "{}",
        show(&out)
    );

    let config = env.config_json();
    match &storage {
        Storage::Plaintext => {
            assert_eq!(
                config,
                json!({ "auths": {
                    "seed.invalid": { "auth": seed },
                    addr.clone(): { "auth": auth(user, password) },
                }})
            );
        }
        _ => {
            assert_eq!(config["auths"], json!({ addr.clone(): {} }), "{config}");
            assert_eq!(
                helper_keys(storage.helper("list", "")),
                json!({ addr.clone(): user })
            );
            let (ok, out, err) = storage.helper("get", &addr);
            assert!(ok, "helper get failed: {out} {err}");
            assert_eq!(parse(&out), parse(&creds(&addr, user, password)));
            assert!(!env.read_config().contains(password));
        }
    }

    let out = inspect();
    assert!(
        out.status.success(),
        "docker could not use dockercfg's login: {}\nregistry log:\n{}",
        show(&out),
        reg.log_tail()
    );
    let manifest = parse(&text(&out.stdout));
    assert_eq!(manifest["schemaVersion"], 2, "{manifest}");

    let out = dcfg(&env, &["logout", &addr], "");
    assert!(
        out.status.success(),
        "dockercfg logout failed: {}",
        show(&out)
    );
    assert!(
        text(&out.stdout).contains(&addr),
        "logout did not say what it removed: {}",
        show(&out)
    );

    let config = env.config_json();
    assert!(
        config["auths"].get(&addr).is_none(),
        "{addr} still in config.json: {config}"
    );
    match &storage {
        Storage::Plaintext => {
            assert_eq!(config["auths"], json!({ "seed.invalid": { "auth": seed } }))
        }
        _ => {
            let keys = helper_keys(storage.helper("list", ""));
            assert!(
                keys.get(&addr).is_none(),
                "{addr} still in the helper: {keys}"
            );
        }
    }

    let out = inspect();
    assert!(
        !out.status.success(),
        "docker still logged in after dockercfg logout: {}",
        show(&out)
    );
}

#[test]
fn dockercfg_login_is_read_by_docker_plaintext() {
    login_is_read_by_docker(Some(Storage::Plaintext), "plainuser", "plain-S3cret:x");
}

#[test]
fn dockercfg_login_is_read_by_docker_pass() {
    login_is_read_by_docker(
        require(PassStore::start()).map(Storage::Pass),
        "passuser",
        "pass-S3cret",
    );
}

#[test]
fn dockercfg_login_is_read_by_docker_secretservice() {
    login_is_read_by_docker(
        require(SecretService::start()).map(Storage::SecretService),
        "ssuser",
        "ss-S3cret",
    );
}

// ---------------------------------------------------------------------------
// docker login -> dockercfg logout

#[test]
fn dockercfg_logout_removes_what_docker_stored() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("outuser", "out-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("lib/tiny", "latest").unwrap();
    let mut env = TestEnv::new();
    env.write_config(r#"{"credsStore":"pass"}"#);
    let vars = with_system_path(&env, pass.env());
    docker_login(&env.config_dir(), &reg, &vars);
    assert_eq!(env.config_json()["auths"], json!({ reg.addr.clone(): {} }));
    assert_eq!(
        helper_keys(pass.helper("list", "")),
        json!({ reg.addr.clone(): "outuser" })
    );
    let out = docker_inspect(&env.config_dir(), &reg, "lib/tiny:latest", &pass.env());
    assert!(
        out.status.success(),
        "docker login did not work: {}",
        show(&out)
    );

    assert!(!gpg_files(pass.store_dir()).is_empty());

    env.add_env(vars);
    let out = dcfg(&env, &["logout", &reg.addr], "");
    assert!(
        out.status.success(),
        "dockercfg logout failed: {}",
        show(&out)
    );
    let said = text(&out.stdout);
    assert!(
        said.contains(&reg.addr)
            && said.contains("config.json")
            && said.contains("docker-credential-pass"),
        "{}",
        show(&out)
    );

    // The placeholder is gone, the rest of the file stays.
    assert_eq!(
        env.config_json(),
        json!({ "auths": {}, "credsStore": "pass" })
    );
    // The secret is gone from pass: not listed, and `get` has nothing
    // (Debian's helper answers an unknown server with empty fields).
    assert_eq!(helper_keys(pass.helper("list", "")), json!({}));
    let (ok, out, _) = pass.helper("get", &reg.addr);
    if ok {
        assert_eq!(parse(&out), parse(&creds(&reg.addr, "", "")));
    } else {
        assert!(out.contains("credentials not found"), "{out}");
    }
    let left = gpg_files(&pass.store_dir().join("docker-credential-helpers"));
    assert!(left.is_empty(), "secrets still in the pass store: {left:?}");

    // docker agrees: nothing left to use.
    let out = docker_inspect(&env.config_dir(), &reg, "lib/tiny:latest", &pass.env());
    assert!(
        !out.status.success(),
        "docker still logged in: {}",
        show(&out)
    );
    // A second logout finds nothing and still succeeds.
    let out = dcfg(&env, &["logout", &reg.addr], "");
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("Not logged in"),
        "{}",
        show(&out)
    );
}

// ---------------------------------------------------------------------------
// failures

#[test]
fn wrong_password_is_refused_and_nothing_written() {
    let (Some(reg), Some(pass)) = (
        require(Registry::start("wronguser", "right-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    let wrong = "wr0ng-Passw0rd";
    let check_refused = |out: &Output| {
        assert_eq!(out.status.code(), Some(1), "{}", show(out));
        let err = text(&out.stderr);
        assert!(err.contains("401"), "{}", show(out));
        assert!(
            !text(&out.stdout).contains("Login Succeeded"),
            "{}",
            show(out)
        );
        for secret in [wrong, "right-S3cret"] {
            assert!(
                !err.contains(secret) && !text(&out.stdout).contains(secret),
                "{}",
                show(out)
            );
        }
    };

    // No config yet: still none afterwards (no dir either).
    let env = TestEnv::new();
    check_refused(&dcfg_login(&env, &reg.addr, "wronguser", wrong));
    assert!(!env.config_path().exists());
    assert!(!env.config_dir().exists());

    // An existing file stays byte-identical.
    let env = TestEnv::new();
    let original = format!(
        "{{\n    \"auths\": {{\n        \"other.io\": {{ \"auth\": \"{}\" }}\n    }},\n    \"x-custom\": [1, 2]\n}}",
        auth("o", "p")
    );
    env.write_config(&original);
    check_refused(&dcfg_login(&env, &reg.addr, "wronguser", wrong));
    assert_eq!(env.read_config(), original);

    // A real store receives nothing.
    let mut env = TestEnv::new();
    let original = r#"{"credsStore":"pass"}"#;
    env.write_config(original);
    env.add_env(with_system_path(&env, pass.env()));
    check_refused(&dcfg_login(&env, &reg.addr, "wronguser", wrong));
    assert_eq!(env.read_config(), original);
    assert_eq!(helper_keys(pass.helper("list", "")), json!({}));

    // A wrong user is refused the same way.
    check_refused(&dcfg_login(&env, &reg.addr, "nobody", "right-S3cret"));
    assert_eq!(env.read_config(), original);
}

#[test]
fn unreachable_registry_fails_clearly() {
    let addr = format!("127.0.0.1:{}", closed_port());
    let env = TestEnv::new();
    let started = Instant::now();
    let out = dcfg_login(&env, &addr, "me", "unreach-S3cret");
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = text(&out.stderr);
    assert!(err.contains("cannot reach"), "{}", show(&out));
    assert!(err.contains(&addr), "{}", show(&out));
    assert!(!err.contains("unreach-S3cret"), "{}", show(&out));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(!env.config_path().exists());

    // The same with a file: untouched.
    let original = "{\n  \"auths\": {}\n}\n";
    env.write_config(original);
    let started = Instant::now();
    let out = dcfg_login(&env, &addr, "me", "unreach-S3cret");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(text(&out.stderr).contains("cannot reach"), "{}", show(&out));
    assert_eq!(env.read_config(), original);
}

// ---------------------------------------------------------------------------
// docker's default store

#[test]
fn docker_default_store_detection_matches() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("defuser", "def-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };

    // A fresh config dir, pass and its helper on PATH, the store set up.
    let mut env = TestEnv::new();
    let vars = with_system_path(&env, pass.env());
    env.add_env(vars.clone());
    let out = dcfg_login(&env, &reg.addr, "defuser", "def-S3cret");
    assert!(
        out.status.success(),
        "dockercfg login failed: {}\nregistry log:\n{}",
        show(&out),
        reg.log_tail()
    );
    assert!(text(&out.stdout).contains("Login Succeeded"));
    let ours = env.config_json();
    assert_eq!(
        ours,
        json!({ "auths": { reg.addr.clone(): {} }, "credsStore": "pass" })
    );
    assert!(!env.read_config().contains("def-S3cret"));
    assert_eq!(
        helper_keys(pass.helper("list", "")),
        json!({ reg.addr.clone(): "defuser" })
    );
    let (ok, out, _) = pass.helper("get", &reg.addr);
    assert!(ok);
    assert_eq!(
        parse(&out),
        parse(&creds(&reg.addr, "defuser", "def-S3cret"))
    );

    // docker uses it.
    reg.push_image("team/app", "v1").unwrap();
    let out = docker_inspect(&env.config_dir(), &reg, "team/app:v1", &vars);
    assert!(out.status.success(), "docker cannot use it: {}", show(&out));

    // docker, in the same situation, writes the same file.
    let theirs = tempfile::tempdir().unwrap();
    docker_login(theirs.path(), &reg, &vars);
    let theirs: Value = parse(&fs::read_to_string(theirs.path().join("config.json")).unwrap());
    assert_eq!(ours, theirs);

    // An uninitialised store: docker would pick pass and fail to store;
    // dockercfg says to run `pass init` and writes nothing.
    let empty = tempfile::tempdir().unwrap();
    let mut env = TestEnv::new();
    env.add_env(vars.clone());
    env.add_env(vec![(
        "PASSWORD_STORE_DIR".into(),
        empty.path().display().to_string(),
    )]);
    let out = dcfg_login(&env, &reg.addr, "defuser", "def-S3cret");
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(text(&out.stderr).contains("pass init"), "{}", show(&out));
    assert!(!text(&out.stderr).contains("def-S3cret"));
    assert!(!env.config_path().exists());
    assert_eq!(fs::read_dir(empty.path()).unwrap().count(), 0);

    let theirs = tempfile::tempdir().unwrap();
    let mut docker_env = vars.clone();
    docker_env.push((
        "PASSWORD_STORE_DIR".into(),
        empty.path().display().to_string(),
    ));
    let out = docker(
        theirs.path(),
        &["login", "-u", "defuser", "--password-stdin", &reg.addr],
        &docker_env,
        "def-S3cret\n",
    );
    assert!(
        !out.status.success(),
        "docker stored into an uninitialised pass: {}",
        show(&out)
    );
}

// ---------------------------------------------------------------------------
// identity tokens and placeholders

#[test]
fn identity_token_and_placeholder_interop() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    // docker keeps an identity token in a helper under the user "<token>".
    let (ok, out, err) = pass.helper("store", &creds("tok.example.com", "<token>", "id-T0ken"));
    assert!(ok, "seeding pass failed: {out} {err}");

    let mut env = TestEnv::new();
    env.write_config(
        r#"{"auths":{"tok.example.com":{},"gone.example.com":{}},"credsStore":"pass"}"#,
    );
    env.add_env(with_system_path(&env, pass.env()));
    let out = dcfg(&env, &["list", "--json"], "");
    assert!(out.status.success(), "{}", show(&out));
    assert!(!text(&out.stdout).contains("id-T0ken"));
    let rows = list_json(&env);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let tok = rows_for(&rows, "tok.example.com");
    assert_eq!(tok.len(), 1, "{rows:?}");
    assert_eq!(tok[0]["kind"], "identity-token", "{rows:?}");
    assert_eq!(tok[0]["source"], "credsStore");
    assert_eq!(tok[0]["helper"], "pass");
    assert_eq!(tok[0]["error"], Value::Null);
    // A placeholder whose secret is not in pass: listed, with the problem.
    let gone = rows_for(&rows, "gone.example.com");
    assert_eq!(gone.len(), 1, "{rows:?}");
    assert_eq!(gone[0]["kind"], "none", "{rows:?}");
    assert!(
        gone[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("docker-credential-pass")),
        "{rows:?}"
    );

    // Logging out of both clears the file and the token in pass.
    let out = dcfg(&env, &["logout", "tok.example.com", "gone.example.com"], "");
    assert!(out.status.success(), "{}", show(&out));
    assert!(!text(&out.stdout).contains("id-T0ken"));
    assert_eq!(env.config_json()["auths"], json!({}));
    assert_eq!(helper_keys(pass.helper("list", "")), json!({}));
}

// ---------------------------------------------------------------------------
// secrets

#[test]
fn secrets_never_in_output_with_real_helpers() {
    let password = "Zq9-n3ver-SH0WN-pw";
    let (Some(reg), Some(pass)) = (
        require(Registry::start("quietuser", password)),
        require(PassStore::start()),
    ) else {
        return;
    };
    let mut env = TestEnv::new();
    env.write_config(r#"{"credsStore":"pass"}"#);
    env.add_env(with_system_path(&env, pass.env()));
    let encoded = auth("quietuser", password);

    let mut outputs = vec![dcfg_login(&env, &reg.addr, "quietuser", password)];
    assert!(outputs[0].status.success(), "{}", show(&outputs[0]));
    assert_eq!(
        helper_keys(pass.helper("list", "")),
        json!({ reg.addr.clone(): "quietuser" })
    );
    // Logging in again replaces, and a wrong password is refused: both quiet.
    outputs.push(dcfg_login(&env, &reg.addr, "quietuser", password));
    outputs.push(dcfg_login(
        &env,
        &reg.addr,
        "quietuser",
        &format!("{password}x"),
    ));
    assert_eq!(outputs[2].status.code(), Some(1), "{}", show(&outputs[2]));
    outputs.push(dcfg(&env, &["list"], ""));
    outputs.push(dcfg(&env, &["list", "--json"], ""));
    outputs.push(dcfg(
        &env,
        &["logout", "--dry-run", "--json", &reg.addr],
        "",
    ));
    outputs.push(dcfg(&env, &["logout", "--json", &reg.addr], ""));
    for (i, out) in outputs.iter().enumerate() {
        if i != 2 {
            assert!(out.status.success(), "command {i}: {}", show(out));
        }
        for s in [&out.stdout, &out.stderr] {
            let s = text(s);
            assert!(
                !s.contains(password) && !s.contains(&encoded),
                "command {i} printed the secret: {}",
                show(out)
            );
        }
    }
    assert_eq!(helper_keys(pass.helper("list", "")), json!({}));
    assert!(!env.read_config().contains(password));
    assert!(!env.read_config().contains(&encoded));
}

// ---------------------------------------------------------------------------
// more of docker's default-store rule

/// Log in with dockercfg and with docker from fresh config dirs, both with
/// `path` as PATH (plus `vars`); return both config.json files.
fn both_fresh_logins(reg: &Registry, path: &str, vars: &[(String, String)]) -> (Value, Value) {
    let mut env = TestEnv::new();
    env.add_env(vars.to_vec());
    env.add_env(vec![("PATH".into(), path.to_string())]);
    let out = dcfg_login(&env, &reg.addr, &reg.user, &reg.password);
    assert!(
        out.status.success(),
        "dockercfg login failed: {}",
        show(&out)
    );
    let theirs = tempfile::tempdir().unwrap();
    let mut docker_env = vars.to_vec();
    docker_env.push(("PATH".into(), path.to_string()));
    docker_login(theirs.path(), reg, &docker_env);
    let theirs = parse(&fs::read_to_string(theirs.path().join("config.json")).unwrap());
    (env.config_json(), theirs)
}

#[test]
fn default_store_is_secretservice_without_pass_like_docker() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(ss)) = (
        require(Registry::start("ssdef", "ssdef-S3cret")),
        require(SecretService::start()),
    ) else {
        return;
    };
    // `pass` not on PATH, docker-credential-secretservice is.
    let Some(bin) = require(bin_with(&["docker-credential-secretservice"])) else {
        return;
    };
    let path = bin.path().display().to_string();
    let (ours, theirs) = both_fresh_logins(&reg, &path, &ss.env());
    assert_eq!(
        ours,
        json!({ "auths": { reg.addr.clone(): {} }, "credsStore": "secretservice" })
    );
    assert_eq!(ours, theirs);
    assert_eq!(
        helper_keys(ss.helper("list", "")),
        json!({ reg.addr.clone(): "ssdef" })
    );
}

#[test]
fn default_store_is_plaintext_when_pass_has_no_helper_like_docker() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(ss)) = (
        require(Registry::start("nodef", "nodef-S3cret")),
        require(SecretService::start()),
    ) else {
        return;
    };
    // `pass` is on PATH, so docker's candidate is pass; its helper is not,
    // so docker stores plaintext even though secretservice would work.
    let Some(bin) = require(bin_with(&["pass", "docker-credential-secretservice"])) else {
        return;
    };
    let path = bin.path().display().to_string();
    let (ours, theirs) = both_fresh_logins(&reg, &path, &ss.env());
    assert_eq!(
        ours,
        json!({ "auths": { reg.addr.clone(): { "auth": auth("nodef", "nodef-S3cret") } } })
    );
    assert_eq!(ours, theirs);
    assert_eq!(helper_keys(ss.helper("list", "")), json!({}));
}

#[test]
fn default_pass_store_that_cannot_encrypt_writes_nothing() {
    let (Some(reg), Some(a), Some(b)) = (
        require(Registry::start("gpguser", "gpg-S3cret")),
        require(PassStore::start()),
        require(PassStore::start()),
    ) else {
        return;
    };
    // A's store (initialised for A's key) with B's keyring: `.gpg-id` is
    // there, but gpg cannot encrypt to a key it does not have.
    let mut env = TestEnv::new();
    env.add_env(vec![
        ("GNUPGHOME".into(), b.gnupg_home().display().to_string()),
        (
            "PASSWORD_STORE_DIR".into(),
            a.store_dir().display().to_string(),
        ),
        ("PATH".into(), env.system_path()),
    ]);
    let out = dcfg_login(&env, &reg.addr, "gpguser", "gpg-S3cret");
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = text(&out.stderr);
    assert!(err.contains("docker-credential-pass"), "{}", show(&out));
    assert!(!err.contains("gpg-S3cret"), "{}", show(&out));
    assert!(!env.config_path().exists(), "{}", env.read_config());
    // No encrypted secret landed in the store. (Debian's helper leaves an
    // empty per-server dir behind, after which its `list` fails with "no
    // usernames for ...": a helper quirk, not dockercfg's doing.)
    let stored = gpg_files(&a.store_dir().join("docker-credential-helpers"));
    assert!(stored.is_empty(), "a secret was stored: {stored:?}");
}

// ---------------------------------------------------------------------------
// registry spellings

#[test]
fn registry_spellings_are_stored_where_docker_looks() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("spell", "sp ell:Pä55 ")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let port = reg.addr.rsplit(':').next().unwrap();
    let local = format!("localhost:{port}");

    // A scheme, a path and upper case: docker looks the login up as
    // `localhost:PORT`. The password ends in a space and has a colon and
    // non-ASCII: it must be stored byte for byte.
    let env = TestEnv::new();
    let out = dcfg(
        &env,
        &[
            "login",
            &format!("http://LOCALHOST:{port}/v2/"),
            "-u",
            "spell",
            "--password-stdin",
        ],
        "sp ell:Pä55 \n",
    );
    assert!(
        out.status.success(),
        "login failed: {}\nregistry log:\n{}",
        show(&out),
        reg.log_tail()
    );
    assert_eq!(
        env.config_json(),
        json!({ "auths": { local.clone(): { "auth": auth("spell", "sp ell:Pä55 ") } } })
    );
    let image = format!("{local}/team/app:v1");
    let inspect = || {
        docker(
            &env.config_dir(),
            &["manifest", "inspect", "--insecure", &image],
            &[],
            "",
        )
    };
    let out = inspect();
    assert!(
        out.status.success(),
        "docker could not use it: {}",
        show(&out)
    );

    // Logout by another spelling finds it.
    let out = dcfg(&env, &["logout", &format!("https://{local}")], "");
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(env.config_json()["auths"], json!({}));
    assert!(!inspect().status.success());
}

#[test]
fn login_over_a_legacy_scheme_key_is_read_by_docker_plaintext() {
    // Old docker versions kept the spelling typed at login (`https://HOST`);
    // docker still finds such a key for HOST in the file.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("legacy", "legacy-S3cret")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let env = TestEnv::new();
    let legacy = format!("https://{}", reg.addr);
    env.write_config(&format!(
        r#"{{"auths":{{"{legacy}":{{"auth":"{}"}}}}}}"#,
        auth("legacy", "old-password")
    ));
    let out = dcfg_login(&env, &reg.addr, "legacy", "legacy-S3cret");
    assert!(out.status.success(), "{}", show(&out));
    let auths = env.config_json()["auths"].clone();
    assert_eq!(auths.as_object().unwrap().len(), 1, "{auths}");
    let out = docker_inspect(&env.config_dir(), &reg, "team/app:v1", &[]);
    assert!(
        out.status.success(),
        "docker could not use it: {}",
        show(&out)
    );
}

// ---------------------------------------------------------------------------
// Where dockercfg and docker disagree on the store (see the report): each of
// these logs in with dockercfg ("Login Succeeded") and then asks the real
// docker to use the login.

/// Runs a helper action with stdin: (success, stdout, stderr).
type HelperCall<'a> = dyn Fn(&str, &str) -> (bool, String, String) + 'a;

/// dockercfg login into `config` (ADDR replaced), then docker must be able
/// to pull the manifest with it; and it must be where docker's own login
/// from the same config puts it. `vars`: helper env.
fn dockercfg_login_then_docker_uses_it(
    reg: &Registry,
    config: &str,
    vars: &[(String, String)],
    helpers: &[&HelperCall<'_>],
) {
    reg.push_image("team/app", "v1").unwrap();
    let config = config.replace("ADDR", &reg.addr);
    let mut env = TestEnv::new();
    env.write_config(&config);
    env.add_env(with_system_path(&env, vars.to_vec()));
    let out = dcfg_login(&env, &reg.addr, &reg.user, &reg.password);
    assert!(
        out.status.success(),
        "dockercfg login failed: {}",
        show(&out)
    );
    let ours = env.config_json();
    let ours_helpers: Vec<Value> = helpers.iter().map(|h| helper_keys(h("list", ""))).collect();

    let mut docker_env = vars.to_vec();
    docker_env.push(("PATH".into(), std::env::var("PATH").unwrap()));
    let out = docker_inspect(&env.config_dir(), reg, "team/app:v1", &docker_env);
    assert!(
        out.status.success(),
        "dockercfg said \"Login Succeeded\", but docker cannot use the login:\n\
         {}\nconfig.json: {ours}\nhelpers' lists: {ours_helpers:?}",
        show(&out)
    );

    // Where docker itself stores it, from the same starting config.
    for h in helpers {
        let _ = h("erase", &reg.addr);
    }
    let theirs = tempfile::tempdir().unwrap();
    fs::write(theirs.path().join("config.json"), &config).unwrap();
    docker_login(theirs.path(), reg, &docker_env);
    let theirs: Value = parse(&fs::read_to_string(theirs.path().join("config.json")).unwrap());
    let theirs_helpers: Vec<Value> = helpers.iter().map(|h| helper_keys(h("list", ""))).collect();
    assert_eq!(
        (&ours["auths"][&reg.addr], &ours_helpers),
        (&theirs["auths"][&reg.addr], &theirs_helpers),
        "dockercfg stored the login elsewhere than docker does\nours: {ours}\ntheirs: {theirs}"
    );
}

#[test]
fn cred_helpers_keys_match_exactly_as_in_docker() {
    // docker looks up credHelpers by the exact registry host: a key
    // `https://HOST` is not used for HOST.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(ss)) = (
        require(Registry::start("exact", "exact-S3cret")),
        require(SecretService::start()),
    ) else {
        return;
    };
    dockercfg_login_then_docker_uses_it(
        &reg,
        r#"{"credHelpers":{"https://ADDR":"secretservice"}}"#,
        &ss.env(),
        &[&|a: &str, i: &str| ss.helper(a, i)],
    );
}

#[test]
fn empty_cred_helper_means_the_file_as_in_docker() {
    // docker: a credHelpers entry that exists but names no helper means the
    // file, even when credsStore is set.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("optout", "optout-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    dockercfg_login_then_docker_uses_it(
        &reg,
        r#"{"credsStore":"pass","credHelpers":{"ADDR":""}}"#,
        &pass.env(),
        &[&|a: &str, i: &str| pass.helper(a, i)],
    );
}

#[test]
fn login_over_a_legacy_scheme_key_with_creds_store_is_read_by_docker() {
    // docker asks the helper for HOST, never for a legacy `https://HOST`.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("legacyp", "legacyp-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let mut env = TestEnv::new();
    let legacy = format!("https://{}", reg.addr);
    env.write_config(&format!(
        r#"{{"credsStore":"pass","auths":{{"{legacy}":{{"auth":"{}"}}}}}}"#,
        auth("legacyp", "old-password")
    ));
    env.add_env(with_system_path(&env, pass.env()));
    let out = dcfg_login(&env, &reg.addr, "legacyp", "legacyp-S3cret");
    assert!(out.status.success(), "{}", show(&out));
    let config = env.config_json();
    let in_pass = helper_keys(pass.helper("list", ""));
    let out = docker_inspect(&env.config_dir(), &reg, "team/app:v1", &pass.env());
    assert!(
        out.status.success(),
        "dockercfg said \"Login Succeeded\", but docker cannot use the login:\n\
         {}\nconfig.json: {config}\npass: {in_pass}",
        show(&out)
    );
    // As docker's own login would: the secret in pass under HOST.
    assert_eq!(in_pass, json!({ reg.addr.clone(): "legacyp" }));
}

#[test]
fn list_reports_the_store_docker_uses() {
    // The same two configs as above, logged in by docker itself: docker
    // keeps (and uses) plaintext, so `list` must not call it ignored.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass), Some(ss)) = (
        require(Registry::start("where", "where-S3cret")),
        require(PassStore::start()),
        require(SecretService::start()),
    ) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let mut vars = pass.env();
    vars.extend(ss.env());
    for config in [
        r#"{"credHelpers":{"https://ADDR":"secretservice"}}"#,
        r#"{"credsStore":"pass","credHelpers":{"ADDR":""}}"#,
    ] {
        let config = config.replace("ADDR", &reg.addr);
        let mut env = TestEnv::new();
        env.write_config(&config);
        let mut docker_env = vars.clone();
        docker_env.push(("PATH".into(), env.system_path()));
        docker_login(&env.config_dir(), &reg, &docker_env);
        assert_eq!(
            env.config_json()["auths"][&reg.addr],
            json!({ "auth": auth("where", "where-S3cret") }),
            "docker stored plaintext for {config}"
        );
        let out = docker_inspect(&env.config_dir(), &reg, "team/app:v1", &docker_env);
        assert!(out.status.success(), "docker uses it: {}", show(&out));

        env.add_env(docker_env);
        let rows = list_json(&env);
        let row = rows_for(&rows, &reg.addr);
        assert_eq!(
            row,
            vec![&json!({
                "registry": reg.addr,
                "username": "where",
                "source": "file",
                "helper": null,
                "kind": "basic",
                "token": null,
                "expires": null,
                "error": null,
            })],
            "config {config}: docker uses the plaintext login in the file"
        );
    }
}
