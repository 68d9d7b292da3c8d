//! dockercfg on a containers auth.json (podman, skopeo, buildah):
//! `--authfile` / `--podman` resolution, namespaced keys listed and removed
//! exactly, credsStore ignored as containers/image ignores it, and interop
//! with the real skopeo against Debian's docker-registry on loopback.
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::real::{require, skopeo, skopeo_client, Registry};
use common::{auth, TestEnv};
use serde_json::{json, Value};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn parse(out: &[u8]) -> Value {
    let t = text(out);
    serde_json::from_str(t.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {t:?}"))
}

/// `list --json` rows as (registry, username, source).
fn rows(v: &Value) -> Vec<(String, Option<String>, String)> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["registry"].as_str().unwrap().to_string(),
                r["username"].as_str().map(str::to_string),
                r["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn auth_keys(path: &Path) -> Vec<String> {
    let v: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    v["auths"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// An auth.json in its own dir under HOME, like podman's.
fn write_authfile(env: &TestEnv, text: &str) -> PathBuf {
    let dir = env.home().join("run").join("containers");
    fs::create_dir_all(&dir).unwrap();
    let f = dir.join("auth.json");
    fs::write(&f, text).unwrap();
    f
}

fn namespaced_file() -> String {
    json!({"auths": {
        "quay.io": {"auth": auth("top", "p1")},
        "quay.io/org": {"auth": auth("orguser", "p2")},
        "quay.io/org/repo": {"auth": auth("repouser", "p3")},
        "docker.io": {"auth": auth("hubuser", "p4")},
    }})
    .to_string()
}

#[test]
fn podman_flag_uses_xdg_runtime_dir_and_registry_auth_file_only_with_podman() {
    let env = TestEnv::new();
    // A docker config that must NOT be read when --podman is given.
    env.write_config(
        &json!({"auths": {"docker-only.example": {"auth": auth("d", "x")}}}).to_string(),
    );
    let f = write_authfile(
        &env,
        &json!({"auths": {"xdg.example": {"auth": auth("x", "y")}}}).to_string(),
    );
    let xdg = env.home().join("run");

    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", &xdg)
        .args(["--podman", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r = rows(&parse(&out.stdout));
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "xdg.example");

    // REGISTRY_AUTH_FILE beats XDG_RUNTIME_DIR with --podman ...
    let other = env.home().join("other-auth.json");
    fs::write(
        &other,
        json!({"auths": {"env.example": {"auth": auth("e", "y")}}}).to_string(),
    )
    .unwrap();
    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", &xdg)
        .env("REGISTRY_AUTH_FILE", &other)
        .args(["--podman", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(rows(&parse(&out.stdout))[0].0, "env.example");

    // ... --authfile beats both ...
    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", &xdg)
        .env("REGISTRY_AUTH_FILE", &other)
        .args(["--podman", "--authfile"])
        .arg(&f)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert_eq!(rows(&parse(&out.stdout))[0].0, "xdg.example");

    // ... and without --podman/--authfile the variable changes nothing:
    // docker's config.json is used.
    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", &xdg)
        .env("REGISTRY_AUTH_FILE", &other)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(rows(&parse(&out.stdout))[0].0, "docker-only.example");
}

#[test]
fn podman_flag_with_a_missing_xdg_runtime_dir_is_a_clear_error() {
    let env = TestEnv::new();
    let missing = env.home().join("no-such-runtime-dir");
    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", &missing)
        .args(["--podman", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("dockercfg: error: "), "{err}");
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("XDG_RUNTIME_DIR"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn config_conflicts_with_authfile_and_podman() {
    let env = TestEnv::new();
    for extra in [&["--authfile", "a.json"][..], &["--podman"][..]] {
        let out = env
            .cmd()
            .args(["--config", "x"])
            .args(extra)
            .arg("list")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            text(&out.stderr).contains("cannot be used with"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn logout_with_nothing_to_remove_creates_no_file_or_directory() {
    // A provisioning script runs `dockercfg --podman logout --match ...` on
    // machines where podman never logged in: /run/containers/UID may not
    // exist, and must not be created.
    let env = TestEnv::new();
    let dir = env.home().join("never-made");
    let f = dir.join("auth.json");
    for args in [
        &["logout", "--match", "*.dkr.ecr.*.amazonaws.com", "-q"][..],
        &["logout", "quay.io"][..],
        &["logout", "--all"][..],
    ] {
        let out = env
            .cmd()
            .arg("--authfile")
            .arg(&f)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(!dir.exists(), "{args:?} created {}", dir.display());
    }
}

#[test]
fn namespaced_keys_are_listed_as_written() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut r = rows(&parse(&out.stdout));
    r.sort();
    let want: Vec<(String, Option<String>, String)> = [
        ("docker.io", "hubuser"),
        ("quay.io", "top"),
        ("quay.io/org", "orguser"),
        ("quay.io/org/repo", "repouser"),
    ]
    .iter()
    .map(|(k, u)| (k.to_string(), Some(u.to_string()), "file".to_string()))
    .collect();
    assert_eq!(r, want);
}

#[test]
fn logout_removes_exactly_the_named_namespaced_key() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    let run = |args: &[&str]| {
        env.cmd()
            .arg("--authfile")
            .arg(&f)
            .args(args)
            .output()
            .unwrap()
    };

    let out = run(&["logout", "quay.io/org/repo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("quay.io/org/repo (auth.json)"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(auth_keys(&f), ["quay.io", "quay.io/org", "docker.io"]);

    // `quay.io` is the registry key only; the namespace stays.
    let out = run(&["logout", "quay.io"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(auth_keys(&f), ["quay.io/org", "docker.io"]);

    // Any Hub alias finds podman's docker.io key.
    let out = run(&["logout", "https://index.docker.io/v1/"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(auth_keys(&f), ["quay.io/org"]);

    // A repository with a tag is not a key (containers/image refuses it).
    let out = run(&["logout", "quay.io/org:1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("tag"), "{}", text(&out.stderr));
    assert_eq!(auth_keys(&f), ["quay.io/org"]);
}

#[test]
fn logout_match_and_all_use_namespaced_keys() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["logout", "--match", "quay.io/org*", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut removed: Vec<String> = parse(&out.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["registry"].as_str().unwrap().to_string())
        .collect();
    removed.sort();
    assert_eq!(removed, ["quay.io/org", "quay.io/org/repo"]);
    assert_eq!(auth_keys(&f), ["quay.io", "docker.io"]);

    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["logout", "--all", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(auth_keys(&f).is_empty());
}

#[test]
fn login_writes_podman_keys_and_ignores_creds_store() {
    let env = TestEnv::new();
    // A fake helper named by credsStore must never be used for auth.json.
    env.fake_helper("fake");
    let f = write_authfile(
        &env,
        r#"{"credsStore": "fake", "auths": {"https://quay.io": {"auth": "eDp5"}}}"#,
    );
    let login = |reg: &str, user: &str| {
        env.cmd()
            .arg("--authfile")
            .arg(&f)
            .args(["login", "--no-verify", "--password-stdin", "-u", user, reg])
            .write_stdin("s3cret\n")
            .output()
            .unwrap()
    };
    let out = login("docker.io", "hub");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = login("quay.io/org/repo", "ns");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The old URL spelling of quay.io is replaced by podman's form.
    let out = login("QUAY.io", "top");
    assert!(out.status.success(), "{}", text(&out.stderr));

    let v: Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
    let mut keys = auth_keys(&f);
    keys.sort();
    assert_eq!(keys, ["docker.io", "quay.io", "quay.io/org/repo"], "{v}");
    assert_eq!(v["auths"]["docker.io"]["auth"], auth("hub", "s3cret"));
    assert_eq!(v["auths"]["quay.io/org/repo"]["auth"], auth("ns", "s3cret"));
    assert_eq!(v["credsStore"], "fake", "unknown keys are kept");
    assert_eq!(env.fake_db("fake"), json!({}), "credsStore helper was used");

    // list does not claim a credsStore login for an auth.json.
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["list", "--json"])
        .output()
        .unwrap();
    for row in parse(&out.stdout).as_array().unwrap() {
        assert_eq!(row["source"], "file", "{row}");
        assert_eq!(row["helper"], Value::Null, "{row}");
    }
}

#[test]
fn login_uses_cred_helpers_by_registry_host() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    let f = write_authfile(&env, r#"{"credHelpers": {"docker.io": "fake"}}"#);
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["login", "--no-verify", "--password-stdin", "-u", "me"])
        .write_stdin("hub-secret\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Stored under podman's Hub key, and no placeholder in the file.
    let db = env.fake_db("fake");
    assert_eq!(db["docker.io"][0], "me", "{db:?}");
    assert!(auth_keys(&f).is_empty());

    // A namespaced key cannot go to a helper: refused, nothing written.
    let before = fs::read_to_string(&f).unwrap();
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args([
            "login",
            "--no-verify",
            "--password-stdin",
            "-u",
            "me",
            "docker.io/me/app",
        ])
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("namespaced"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), before);
}

#[test]
fn migrate_refuses_store_with_authfile() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    let before = fs::read_to_string(&f).unwrap();
    for args in [
        &["migrate", "--store", "pass"][..],
        &["migrate"][..],
        &["migrate", "--helper", "quay.io=pass"][..],
    ] {
        let out = env
            .cmd()
            .arg("--authfile")
            .arg(&f)
            .args(args)
            .output()
            .unwrap();
        // A flag that does not fit the file: a usage error (#13).
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("dockercfg: error: "), "{err}");
        assert!(
            err.contains("credsStore") || err.contains("namespaced"),
            "{err}"
        );
    }
    assert_eq!(fs::read_to_string(&f).unwrap(), before);
}

#[test]
fn audit_and_fix_perms_check_the_auth_json_and_its_dir() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    common::set_mode(&f, 0o644);
    common::set_mode(f.parent().unwrap(), 0o755);
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["audit", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = parse(&out.stdout);
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"file-permissions"), "{codes:?}");
    assert!(codes.contains(&"plaintext-credentials"), "{codes:?}");
    assert!(text(&out.stdout).contains("auth.json"));

    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["fix-perms", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(common::mode_of(&f), 0o600);
    assert_eq!(common::mode_of(f.parent().unwrap()), 0o700);
}

// ---------------------------------------------------------------------------
// The real skopeo against Debian's docker-registry on 127.0.0.1.

fn inspect(home: &Path, authfile: &Path, image: &str) -> std::process::Output {
    skopeo(
        home,
        &[
            "inspect",
            "--raw",
            "--tls-verify=false",
            "--authfile",
            &authfile.display().to_string(),
            &format!("docker://{image}"),
        ],
        "",
    )
}

#[test]
fn skopeo_uses_what_dockercfg_writes_into_an_auth_json() {
    let Some(_) = require(skopeo_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("podu", "podman-S3cret")) else {
        return;
    };
    reg.push_image("ns/repo", "v1").unwrap();
    let env = TestEnv::new();
    let f = env.home().join("containers").join("auth.json");
    let image = format!("{}/ns/repo:v1", reg.addr);

    // Without a login the registry refuses skopeo: the test can fail.
    fs::create_dir_all(f.parent().unwrap()).unwrap();
    let out = inspect(env.home(), &f, &image);
    assert!(
        !out.status.success(),
        "anonymous inspect worked: the registry has no auth"
    );

    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["login", "--password-stdin", "-u", &reg.user, &reg.addr])
        .write_stdin(format!("{}\n", reg.password))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(auth_keys(&f), vec![reg.addr.as_str()]);
    assert_eq!(common::mode_of(&f), 0o600);
    let out = inspect(env.home(), &f, &image);
    assert!(
        out.status.success(),
        "skopeo inspect: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("schemaVersion"),
        "{}",
        text(&out.stdout)
    );

    // A namespaced key, written by hand: skopeo uses it for that repository
    // (most specific first), and a wrong password on the registry key does
    // not matter then.
    let f2 = env.home().join("ns-auth.json");
    fs::write(
        &f2,
        json!({"auths": {
            reg.addr.clone(): {"auth": auth(&reg.user, "wrong")},
            format!("{}/ns/repo", reg.addr): {"auth": auth(&reg.user, &reg.password)},
        }})
        .to_string(),
    )
    .unwrap();
    let out = inspect(env.home(), &f2, &image);
    assert!(
        out.status.success(),
        "skopeo with namespaced key: {}",
        text(&out.stderr)
    );
    // dockercfg lists both keys as written, and removing the namespaced one
    // leaves skopeo with the wrong password.
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f2)
        .args(["logout", &format!("{}/ns/repo", reg.addr)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(auth_keys(&f2), vec![reg.addr.as_str()]);
    let out = inspect(env.home(), &f2, &image);
    assert!(
        !out.status.success(),
        "inspect worked with the wrong password"
    );
}

#[test]
fn dockercfg_lists_and_removes_what_skopeo_login_writes() {
    let Some(_) = require(skopeo_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("skou", "skopeo-S3cret")) else {
        return;
    };
    reg.push_image("lib/tiny", "latest").unwrap();
    let env = TestEnv::new();
    let f = env.home().join("containers").join("auth.json");
    let fs_ = f.display().to_string();
    let out = skopeo(
        env.home(),
        &[
            "login",
            "--tls-verify=false",
            "--authfile",
            &fs_,
            "-u",
            &reg.user,
            "--password-stdin",
            &reg.addr,
        ],
        &format!("{}\n", reg.password),
    );
    assert!(out.status.success(), "skopeo login: {}", text(&out.stderr));
    let image = format!("{}/lib/tiny:latest", reg.addr);
    let out = inspect(env.home(), &f, &image);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        rows(&parse(&out.stdout)),
        [(reg.addr.clone(), Some(reg.user.clone()), "file".to_string())]
    );
    assert!(!text(&out.stdout).contains(&reg.password));

    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&f)
        .args(["logout", &reg.addr])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(auth_keys(&f).is_empty());
    let out = inspect(env.home(), &f, &image);
    assert!(!out.status.success(), "inspect still worked after logout");
    let err = text(&out.stderr).to_lowercase();
    assert!(
        err.contains("unauthorized") || err.contains("authentication required"),
        "not an auth error: {err}"
    );
}

#[test]
fn get_uses_the_most_specific_key_as_containers_image_does() {
    let env = TestEnv::new();
    let f = write_authfile(&env, &namespaced_file());
    let user = |reg: &str| -> (Option<i32>, String) {
        let out = env
            .cmd()
            .args(["--authfile", f.to_str().unwrap(), "get", "--username", reg])
            .output()
            .unwrap();
        (out.status.code(), text(&out.stdout).trim().to_string())
    };
    assert_eq!(user("quay.io/org/repo"), (Some(0), "repouser".into()));
    assert_eq!(user("quay.io/org/other"), (Some(0), "orguser".into()));
    assert_eq!(user("quay.io/elsewhere/x"), (Some(0), "top".into()));
    assert_eq!(user("https://quay.io"), (Some(0), "top".into()));
    assert_eq!(user("docker.io/library/nginx"), (Some(0), "hubuser".into()));
    assert_eq!(user("ghcr.io/org"), (Some(1), String::new()));
    // The whole JSON names the key that answered.
    let out = env
        .cmd()
        .args(["--authfile", f.to_str().unwrap(), "get", "quay.io/org/x"])
        .output()
        .unwrap();
    let v = parse(&out.stdout);
    assert_eq!(v["ServerURL"], "quay.io/org");
    assert_eq!(v["Secret"], "p2");
}
