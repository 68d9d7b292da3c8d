//! `dockercfg list`: every source of logins, every kind of bad input, every
//! helper failure mode. Runs the real binary in a temp HOME.
mod common;

use common::{auth, TestEnv};
use predicates::prelude::*;
use serde_json::{json, Value};

fn list_json(env: &TestEnv) -> Vec<Value> {
    let out = env.cmd().args(["list", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn row<'a>(rows: &'a [Value], registry: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["registry"] == registry)
        .unwrap_or_else(|| panic!("no row for {registry} in {rows:?}"))
}

#[test]
fn missing_and_empty_files_are_empty_configs_and_nothing_is_created() {
    let env = TestEnv::new();
    env.cmd()
        .arg("list")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("no logins in"));
    assert!(
        !env.config_dir().exists(),
        "a read-only command created the directory"
    );
    env.write_config("");
    assert_eq!(list_json(&env), Vec::<Value>::new());
    env.write_config("  \n");
    assert_eq!(list_json(&env), Vec::<Value>::new());
}

#[test]
fn json_has_exactly_the_documented_keys_and_no_secret() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"r.io": {{"auth": "{}"}}, "t.io": {{"auth": "{}", "identitytoken": "IDTOKEN-SECRET"}}, "g.io": {{"registrytoken": "REGTOKEN-SECRET"}}}}}}"#,
        auth("me", "PASSWORD-SECRET"),
        auth("tok", "x")
    ));
    let out = env.cmd().args(["list", "--json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for s in ["PASSWORD-SECRET", "IDTOKEN-SECRET", "REGTOKEN-SECRET"] {
        assert!(!text.contains(s));
    }
    let rows: Vec<Value> = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["registry", "username", "source", "helper", "kind", "token", "expires", "error"]
    );
    assert_eq!(
        rows[0],
        json!({"registry": "r.io", "username": "me", "source": "file", "helper": null, "kind": "basic", "token": null, "expires": null, "error": null})
    );
    assert_eq!(row(&rows, "t.io")["kind"], "identity-token");
    assert_eq!(row(&rows, "g.io")["kind"], "registry-token");
    // The table does not show them either.
    let table = env.cmd().arg("ls").output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("r.io") && table.contains("me"));
    assert!(!table.contains("PASSWORD-SECRET") && !table.contains("IDTOKEN-SECRET"));
}

#[test]
fn undecodable_entries_are_flagged_and_the_rest_still_show() {
    let env = TestEnv::new();
    let not_utf8 = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode([0xff, b':', b'p'])
    };
    env.write_config(&format!(
        r#"{{"auths": {{
            "bad64.io": {{"auth": "%%%"}},
            "nocolon.io": {{"auth": "{}"}},
            "nouser.io": {{"auth": "{}"}},
            "notutf8.io": {{"auth": "{not_utf8}"}},
            "notobj.io": 42,
            "good.io": {{"auth": "{}"}}
        }}}}"#,
        auth("x", "y").replace("eDp5", "bm9jb2xvbg=="),
        auth("", "pw"),
        auth("ok", "pw")
    ));
    let rows = list_json(&env);
    assert_eq!(rows.len(), 6);
    for r in [
        "bad64.io",
        "nocolon.io",
        "nouser.io",
        "notutf8.io",
        "notobj.io",
    ] {
        let e = row(&rows, r)["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{r} has no error"));
        assert!(!e.contains('\n'));
    }
    assert!(row(&rows, "bad64.io")["error"]
        .as_str()
        .unwrap()
        .contains("base64"));
    assert_eq!(row(&rows, "good.io")["username"], "ok");
    assert_eq!(row(&rows, "good.io")["error"], Value::Null);
}

#[test]
fn malformed_json_is_one_line_with_path_line_and_column_and_file_untouched() {
    let env = TestEnv::new();
    let bad = "{\n\t\"auths\": {\n\t\t\"a\" {}\n\t}\n}";
    env.write_config(bad);
    let out = env.cmd().arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("dockercfg: error: cannot parse "), "{err}");
    assert!(
        err.contains(&env.config_path().display().to_string()),
        "{err}"
    );
    assert!(err.contains("line 3 column"), "{err}");
    assert_eq!(env.read_config(), bad);
}

#[test]
fn wrong_shapes_non_utf8_directory_and_fifo_are_clear_errors() {
    let env = TestEnv::new();
    for (text, needle) in [
        ("[]", "not a JSON object"),
        (r#"{"auths": "x"}"#, "`auths` is not a JSON object"),
        (r#"{"credsStore": 5}"#, "`credsStore` is not a string"),
        (
            r#"{"credHelpers": {"a": 1}}"#,
            "`credHelpers.a` is not a string",
        ),
    ] {
        env.write_config(text);
        env.cmd()
            .arg("list")
            .assert()
            .code(1)
            .stderr(predicate::str::contains(needle).and(predicate::str::contains("config.json")));
    }
    std::fs::write(env.config_path(), b"{\"auths\": {\"\xff\": {}}}").unwrap();
    env.cmd()
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not UTF-8"));
    std::fs::remove_file(env.config_path()).unwrap();
    std::fs::create_dir(env.config_path()).unwrap();
    env.cmd()
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a directory"));
    std::fs::remove_dir(env.config_path()).unwrap();
    let st = std::process::Command::new("mkfifo")
        .arg(env.config_path())
        .status()
        .unwrap();
    assert!(st.success());
    env.cmd()
        .arg("list")
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
}

#[test]
fn unreadable_file_is_a_clear_error_for_an_unprivileged_user() {
    // Root ignores modes, so run as nobody when we are root.
    let env = TestEnv::new();
    let dir = env.home().join("shared");
    std::fs::create_dir(&dir).unwrap();
    common::set_mode(env.home(), 0o755);
    common::set_mode(&dir, 0o755);
    std::fs::write(dir.join("config.json"), "{}").unwrap();
    common::set_mode(&dir.join("config.json"), 0o600);
    let bin = assert_cmd::cargo::cargo_bin("dockercfg");
    let is_root = unsafe_geteuid() == 0;
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        common::set_mode(&dir.join("config.json"), 0o000);
        std::process::Command::new(&bin)
    };
    let out = cmd.arg("--config").arg(&dir).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot read") && err.contains("permission denied"),
        "{err}"
    );
}

fn unsafe_geteuid() -> u32 {
    // No libc in dev-dependencies: ask id(1).
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn config_flag_takes_a_dir_or_a_json_file_and_docker_config_env_is_honoured() {
    let env = TestEnv::new();
    let other = env.home().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("config.json"),
        format!(
            r#"{{"auths":{{"dir.io":{{"auth":"{}"}}}}}}"#,
            auth("d", "p")
        ),
    )
    .unwrap();
    std::fs::write(
        other.join("auth.json"),
        format!(
            r#"{{"auths":{{"file.io":{{"auth":"{}"}}}}}}"#,
            auth("f", "p")
        ),
    )
    .unwrap();
    env.cmd()
        .arg("--config")
        .arg(&other)
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dir.io"));
    env.cmd()
        .arg("--config")
        .arg(other.join("auth.json"))
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("file.io"));
    env.cmd()
        .env("DOCKER_CONFIG", &other)
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("dir.io"));
}

#[test]
fn placeholders_are_backed_by_the_store_list_and_helper_only_logins_show() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.fake_helper("other");
    env.fake_seed("fake", json!({"a.io": ["alice", "S1"], "https://index.docker.io/v1/": ["hub", "S2"], "extra.io": ["<token>", "S3"], "routed.io": ["nobody", "S4"]}));
    env.fake_seed(
        "other",
        json!({"https://routed.io": ["rita", "S5"], "unrelated.io": ["u", "S6"]}),
    );
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{}}, "docker.io": {{}}, "gone.io": {{}}, "stale.io": {{"auth": "{}"}}}},
            "credsStore": "fake", "credHelpers": {{"routed.io": "other"}}}}"#,
        auth("old", "OLDSECRET")
    ));
    let rows = list_json(&env);
    assert_eq!(row(&rows, "a.io")["username"], "alice");
    assert_eq!(row(&rows, "a.io")["source"], "credsStore");
    assert_eq!(row(&rows, "a.io")["helper"], "fake");
    // The file says docker.io, the helper https://index.docker.io/v1/: one login.
    assert_eq!(row(&rows, "docker.io")["username"], "hub");
    assert!(!rows
        .iter()
        .any(|r| r["registry"] == "https://index.docker.io/v1/"));
    assert!(row(&rows, "gone.io")["error"]
        .as_str()
        .unwrap()
        .contains("no credentials in docker-credential-fake"));
    assert!(row(&rows, "stale.io")["error"]
        .as_str()
        .unwrap()
        .contains("plaintext"));
    assert_eq!(row(&rows, "extra.io")["kind"], "identity-token");
    // credHelpers routes routed.io to `other`, so the credsStore's copy is not what docker uses.
    assert_eq!(row(&rows, "https://routed.io")["username"], "rita");
    assert_eq!(row(&rows, "https://routed.io")["source"], "credHelpers");
    assert!(!rows.iter().any(|r| r["registry"] == "routed.io"));
    assert!(!rows.iter().any(|r| r["registry"] == "unrelated.io"));
    // list asks each helper once, with `list`, never `get`.
    for h in ["fake", "other"] {
        let log = env.fake_log(h);
        assert_eq!(log.lines().count(), 1, "{h}: {log}");
        assert!(
            log.contains(r#""argv": [""#) && log.contains(r#", "list"]"#),
            "{log}"
        );
    }
}

#[test]
fn helper_failures_are_named_on_the_rows_and_exit_is_zero() {
    let env = TestEnv::new();
    env.script_helper("crash", "#!/bin/sh\necho 'keyring is locked' ; exit 3\n");
    env.script_helper("garbage", "#!/bin/sh\necho '<html>'\n");
    env.script_helper("hang", "#!/bin/sh\nexec /bin/sleep 60\n");
    env.script_helper("silent", "#!/bin/sh\nexit 1\n");
    env.write_config(
        r#"{"auths": {"c.io": {}, "g.io": {}, "h.io": {}, "m.io": {}, "s.io": {}},
            "credHelpers": {"c.io": "crash", "g.io": "garbage", "h.io": "hang", "m.io": "missing", "s.io": "silent"}}"#,
    );
    let start = std::time::Instant::now();
    let out = env
        .cmd()
        .args(["--helper-timeout", "1", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        start.elapsed() < std::time::Duration::from_secs(8),
        "helpers were not run in parallel with a timeout"
    );
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let err = |r: &str| row(&rows, r)["error"].as_str().unwrap().to_string();
    assert!(
        err("c.io").contains("docker-credential-crash list failed: keyring is locked"),
        "{}",
        err("c.io")
    );
    assert!(
        err("g.io").contains("docker-credential-garbage list gave an unusable answer"),
        "{}",
        err("g.io")
    );
    assert!(
        err("h.io").contains("docker-credential-hang list timed out"),
        "{}",
        err("h.io")
    );
    assert!(
        err("m.io").contains("docker-credential-missing is not installed"),
        "{}",
        err("m.io")
    );
    assert!(
        err("s.io").contains("docker-credential-silent list failed: exited with"),
        "{}",
        err("s.io")
    );
}

#[test]
fn helper_timeout_comes_from_the_environment_too() {
    let env = TestEnv::new();
    env.script_helper("hang", "#!/bin/sh\nexec /bin/sleep 60\n");
    env.write_config(r#"{"credsStore": "hang"}"#);
    env.cmd()
        .env("DOCKERCFG_HELPER_TIMEOUT", "0.5")
        .args(["list"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "docker-credential-hang list timed out after 0.5s",
        ));
    env.cmd()
        .args(["--helper-timeout", "-1", "list"])
        .assert()
        .code(2);
}

#[test]
fn no_colour_off_a_terminal() {
    let env = TestEnv::new();
    env.write_config(r#"{"auths": {"x.io": {"auth": "%%"}}}"#);
    let out = env.cmd().arg("list").output().unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn the_shipped_demo_lists() {
    let env = TestEnv::new();
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = env
        .cmd()
        .arg("--config")
        .arg(&demo)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row(&rows, "ghcr.io")["username"], "octocat");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ghp_demo"));
}

/// The STORE, KIND and EXPIRES columns (on a pipe, so stable columns).
fn table(env: &TestEnv, args: &[&str]) -> String {
    let out = env.cmd().arg("list").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn jwt(exp: i64) -> String {
    use base64::Engine;
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        e.encode(br#"{"alg":"none"}"#),
        e.encode(json!({"exp": exp}).to_string())
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn store_says_env_for_docker_auth_config_logins() {
    let mut env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"file.io": {{"auth": "{}"}}}}}}"#,
        auth("me", "pw")
    ));
    env.add_env(vec![(
        "DOCKER_AUTH_CONFIG".into(),
        format!(
            r#"{{"auths": {{"env.io": {{"auth": "{}"}}}}}}"#,
            auth("ci", "pw")
        ),
    )]);
    let t = table(&env, &[]);
    let line = t.lines().find(|l| l.starts_with("env.io")).unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("env"), "{t}");
    let line = t.lines().find(|l| l.starts_with("file.io")).unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("file"), "{t}");
}

#[test]
fn kind_tells_tokens_from_passwords_by_their_shape_without_printing_them() {
    let env = TestEnv::new();
    let secrets = [
        ("hub.io", "dckr_pat_SECRETPART", "Docker PAT", "docker-pat"),
        ("gh.io", "ghp_SECRETPART", "GitHub PAT", "github-pat"),
        (
            "gh2.io",
            "github_pat_SECRETPART",
            "GitHub PAT",
            "github-pat",
        ),
        ("gl.io", "glpat-SECRETPART", "GitLab PAT", "gitlab-pat"),
        ("jwt.io", &jwt(now() + 7200), "JWT", "jwt"),
        ("pw.io", "SECRETPART-hunter2", "password", ""),
    ];
    let auths: Vec<String> = secrets
        .iter()
        .map(|(r, s, _, _)| format!(r#""{r}": {{"auth": "{}"}}"#, auth("me", s)))
        .collect();
    env.write_config(&format!(r#"{{"auths": {{{}}}}}"#, auths.join(",")));
    let t = table(&env, &[]);
    assert!(!t.contains("SECRETPART"), "{t}");
    let rows = list_json(&env);
    for (reg, _, label, token) in secrets {
        let line = t.lines().find(|l| l.starts_with(reg)).unwrap();
        assert!(line.contains(label), "{reg}: {line}");
        let want = if token.is_empty() {
            Value::Null
        } else {
            json!(token)
        };
        assert_eq!(row(&rows, reg)["token"], want, "{reg}");
    }
    let json_text = serde_json::to_string(&rows).unwrap();
    assert!(!json_text.contains("SECRETPART"));
}

#[test]
fn expires_shows_jwt_and_ecr_lifetimes() {
    use base64::Engine;
    let env = TestEnv::new();
    let t0 = now();
    let ecr = base64::engine::general_purpose::STANDARD.encode(
        json!({"payload": "p", "datakey": "d", "version": "2", "type": "DATA_KEY", "expiration": t0 - 3 * 3600 - 60})
            .to_string(),
    );
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}, "ecr.io": {{"auth": "{}"}}, "p.io": {{"auth": "{}"}}}}}}"#,
        auth("me", &jwt(t0 + 5 * 3600 + 600)),
        auth("AWS", &ecr),
        auth("me", "pw"),
    ));
    let t = table(&env, &[]);
    assert!(t.lines().next().unwrap().contains("EXPIRES"), "{t}");
    let line = |r: &str| t.lines().find(|l| l.starts_with(r)).unwrap().to_string();
    assert!(
        line("a.io").contains("in 5h 9m") || line("a.io").contains("in 5h 10m"),
        "{t}"
    );
    assert!(line("ecr.io").contains("expired 3h 1m ago"), "{t}");
    assert!(line("ecr.io").contains("ECR token"), "{t}");
    let rows = list_json(&env);
    assert_eq!(row(&rows, "ecr.io")["expires"], json!(t0 - 3 * 3600 - 60));
    assert_eq!(row(&rows, "p.io")["expires"], Value::Null);
}

#[test]
fn registries_filter_by_any_spelling_and_missing_ones_exit_1() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{0}"}}, "ghcr.io": {{"auth": "{0}"}}, "quay.io": {{"auth": "{0}"}}}}}}"#,
        auth("me", "pw")
    ));
    let out = table(&env, &["-q", "docker.io", "https://ghcr.io"]);
    assert_eq!(out, "https://index.docker.io/v1/\nghcr.io\n");
    env.cmd()
        .args(["list", "-q", "nothere.io"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("Not logged in to nothere.io"));
    assert_eq!(table(&env, &["-q"]).lines().count(), 3);
}

#[test]
fn format_templates_as_docker_does() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}, "quay.io": {{"auth": "{}"}}}}}}"#,
        auth("octo", "ghp_x"),
        auth("robot", "pw")
    ));
    assert_eq!(
        table(&env, &["--format", r"{{.Registry}}\t{{.Username}}"]),
        "ghcr.io\tocto\nquay.io\trobot\n"
    );
    assert_eq!(
        table(&env, &["--format", r"table {{.Registry}}\t{{.Kind}}"]),
        "REGISTRY  KIND\nghcr.io   GitHub PAT\nquay.io   password\n"
    );
    let lines = table(&env, &["--format", "json"]);
    let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(first["registry"], "ghcr.io");
    assert_eq!(lines.lines().count(), 2);
    assert_eq!(table(&env, &["--format", "table"]), table(&env, &[]));
}

#[test]
fn a_bad_template_is_a_usage_error() {
    let env = TestEnv::new();
    for bad in ["{{.Nope}}", "{{.Registry", "{{json .}}"] {
        env.cmd()
            .args(["list", "--format", bad])
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains("{{.Registry}}")
                    .or(predicate::str::contains("never closed")),
            );
    }
}

#[test]
fn version_subcommand_says_version_commit_and_target() {
    let env = TestEnv::new();
    let out = env.cmd().args(["version", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["version", "commit", "target"]);
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert!(v["target"].as_str().unwrap().contains("linux"), "{v}");
    assert!(v["commit"].is_null() || v["commit"].is_string());
    let text = env.cmd().arg("version").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with(&format!("dockercfg {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // No credential file is read, not even a broken one named by --config.
    env.cmd()
        .args(["--config", "/nonexistent/dir", "version"])
        .assert()
        .success();
}
