//! `dockercfg sync`: logins copied between docker's config.json and
//! podman's auth.json with each side's key rules, read by the real skopeo
//! and docker afterwards; a second run changes nothing; namespaced keys are
//! refused for docker's file; a login held in pass is referenced through
//! credHelpers, not copied, unless --plaintext.
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::real::{docker, docker_client, require, skopeo, skopeo_client, PassStore, Registry};
use common::{auth, TestEnv};
use serde_json::{json, Value};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The auth.json of the test: REGISTRY_AUTH_FILE, as podman takes it.
fn setup() -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new();
    let authfile = env.home().join("containers").join("auth.json");
    env.add_env(vec![(
        "REGISTRY_AUTH_FILE".into(),
        authfile.display().to_string(),
    )]);
    (env, authfile)
}

fn sync(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd().arg("sync").args(args).output().unwrap()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap()
}

/// skopeo reading `authfile` only: its HOME is an empty directory, so
/// containers/image's fallback to ~/.docker/config.json finds nothing.
fn skopeo_inspect(home: &Path, authfile: &Path, image: &str) -> Output {
    let home = home.join("skopeo-home");
    fs::create_dir_all(&home).unwrap();
    skopeo(
        &home,
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
fn hub_keys_are_translated_both_ways_and_a_second_run_changes_nothing() {
    let (env, authfile) = setup();
    env.write_config(
        &json!({"auths": {
            "https://index.docker.io/v1/": {"auth": auth("hubber", "pw1")},
            "https://ghcr.io": {"auth": auth("gh", "pw2")},
        }, "psFormat": "x"})
        .to_string(),
    );
    let docker_before = env.read_config();
    let out = sync(&env, &["--to", "podman", "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("https://index.docker.io/v1/ -> docker.io: would copy"));
    assert!(!authfile.exists());

    let out = sync(&env, &["--to", "podman"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        read_json(&authfile),
        json!({"auths": {"docker.io": {"auth": auth("hubber", "pw1")}, "ghcr.io": {"auth": auth("gh", "pw2")}}})
    );
    assert_eq!(common::mode_of(&authfile), 0o600);
    let written = fs::read(&authfile).unwrap();
    let out = sync(&env, &["--to", "podman"]);
    assert!(out.status.success());
    assert_eq!(
        fs::read(&authfile).unwrap(),
        written,
        "a second run rewrote auth.json"
    );
    assert!(
        text(&out.stdout)
            .lines()
            .all(|l| l.ends_with(": unchanged")),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(env.read_config(), docker_before, "the source was changed");

    // And back: podman's docker.io is docker's Hub key; a new password for
    // it replaces docker's entry, the rest of docker's file stays.
    fs::write(
        &authfile,
        json!({"auths": {"docker.io": {"auth": auth("hubber", "new-pw")}}}).to_string(),
    )
    .unwrap();
    let out = sync(&env, &["--to", "docker"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let c = env.config_json();
    assert_eq!(
        c["auths"]["https://index.docker.io/v1/"]["auth"],
        auth("hubber", "new-pw")
    );
    assert_eq!(c["auths"]["https://ghcr.io"]["auth"], auth("gh", "pw2"));
    assert_eq!(c["psFormat"], "x");
    assert!(c["auths"].get("docker.io").is_none());
    let written = env.read_config();
    assert!(sync(&env, &["--to", "docker"]).status.success());
    assert_eq!(env.read_config(), written);
}

#[test]
fn namespaced_keys_are_refused_for_dockers_file_with_the_reason() {
    let (env, authfile) = setup();
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    fs::write(
        &authfile,
        json!({"auths": {
            "quay.io/org/repo": {"auth": auth("robot", "pw")},
            "ghcr.io": {"auth": auth("gh", "pw2")},
        }})
        .to_string(),
    )
    .unwrap();
    let out = sync(&env, &["--to", "docker"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("quay.io/org/repo -> quay.io: not synced: a namespaced key: docker's config.json keys logins by registry only"),
        "{stdout}"
    );
    // The rest is still synced, and the namespaced secret did not go in.
    assert!(env.config_path().exists());
    let c = env.config_json();
    assert_eq!(c["auths"], json!({"ghcr.io": {"auth": auth("gh", "pw2")}}));
    // Asking for the registry brings the namespaced key and its reason.
    let out = sync(&env, &["--to", "docker", "--registry", "quay.io"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("namespaced key"),
        "{}",
        text(&out.stdout)
    );
    let out = sync(&env, &["--to", "docker", "--registry", "ghcr.io"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Only refusals: docker's directory is not even created.
    let (env, authfile) = setup();
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    fs::write(
        &authfile,
        json!({"auths": {"quay.io/org/repo": {"auth": auth("r", "p")}}}).to_string(),
    )
    .unwrap();
    assert_eq!(sync(&env, &["--to", "docker"]).status.code(), Some(1));
    assert!(!env.config_dir().exists());
}

#[test]
fn after_sync_to_podman_skopeo_reads_the_manifest() {
    let (Some(_), Some(reg)) = (
        require(skopeo_client()),
        require(Registry::start("syncuser", "sync-S3cret")),
    ) else {
        return;
    };
    reg.push_image("ns/app", "v1").unwrap();
    let (env, authfile) = setup();
    env.write_config(
        &json!({"auths": {reg.addr.clone(): {"auth": auth(&reg.user, &reg.password)}}}).to_string(),
    );
    let image = format!("{}/ns/app:v1", reg.addr);
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    fs::write(&authfile, "{}").unwrap();
    assert!(!skopeo_inspect(env.home(), &authfile, &image)
        .status
        .success());

    let out = sync(&env, &["--to", "podman"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains(&reg.password));
    let out = skopeo_inspect(env.home(), &authfile, &image);
    assert!(out.status.success(), "skopeo: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("schemaVersion"));
    let written = fs::read(&authfile).unwrap();
    assert!(sync(&env, &["--to", "podman"]).status.success());
    assert_eq!(fs::read(&authfile).unwrap(), written);
}

#[test]
fn after_sync_to_docker_the_docker_client_reads_the_manifest() {
    let (Some(_), Some(reg)) = (
        require(docker_client()),
        require(Registry::start("syncdocker", "syncd-S3cret")),
    ) else {
        return;
    };
    reg.push_image("ns/app", "v1").unwrap();
    let (env, authfile) = setup();
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    // What `podman login` writes, plus a namespaced key docker cannot take.
    fs::write(
        &authfile,
        json!({"auths": {
            reg.addr.clone(): {"auth": auth(&reg.user, &reg.password)},
            format!("{}/other/repo", reg.addr): {"auth": auth("x", "y")},
        }})
        .to_string(),
    )
    .unwrap();
    let image = format!("{}/ns/app:v1", reg.addr);
    let inspect = ["manifest", "inspect", "--insecure", image.as_str()];
    assert!(!docker(&env.config_dir(), &inspect, &[], "")
        .status
        .success());
    let out = sync(&env, &["--to", "docker", "--registry", &reg.addr]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = docker(&env.config_dir(), &inspect, &[], "");
    assert!(
        out.status.success(),
        "docker: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );
    assert!(text(&out.stdout).contains("schemaVersion"));
    let written = env.read_config();
    let out = sync(&env, &["--to", "docker", "--registry", &reg.addr]);
    assert!(out.status.success());
    assert_eq!(env.read_config(), written);
}

/// skopeo with pass's environment, so a credHelpers entry naming pass works.
fn skopeo_with(pass: &PassStore, home: &Path, authfile: &Path, image: &str) -> Output {
    let bin = skopeo_client().unwrap();
    let home = home.join("skopeo-home");
    fs::create_dir_all(&home).unwrap();
    Command::new(bin)
        .args([
            "--insecure-policy",
            "inspect",
            "--raw",
            "--tls-verify=false",
            "--authfile",
        ])
        .arg(authfile)
        .arg(format!("docker://{image}"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &home)
        .env("TMPDIR", &home)
        .envs(pass.env())
        .output()
        .unwrap()
}

#[test]
fn a_login_in_pass_is_referenced_through_credhelpers_not_copied() {
    let (Some(_), Some(reg), Some(pass)) = (
        require(skopeo_client()),
        require(Registry::start("passsync", "pass-sync-S3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("ns/app", "v1").unwrap();
    let (mut env, authfile) = setup();
    let mut vars = pass.env();
    vars.push(("PATH".into(), env.system_path()));
    env.add_env(vars);
    env.write_config(r#"{"credsStore": "pass"}"#);
    // The login goes into pass, as docker's would.
    let out = env
        .cmd()
        .args(["login", "--password-stdin", "-u", &reg.user, &reg.addr])
        .write_stdin(format!("{}\n", reg.password))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let image = format!("{}/ns/app:v1", reg.addr);
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    fs::write(&authfile, "{}").unwrap();
    assert!(!skopeo_with(&pass, env.home(), &authfile, &image)
        .status
        .success());

    let out = sync(&env, &["--to", "podman"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("reference docker-credential-pass through credHelpers"),
        "{}",
        text(&out.stdout)
    );
    let written = fs::read_to_string(&authfile).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&written).unwrap(),
        json!({"credHelpers": {reg.addr.clone(): "pass"}})
    );
    assert!(!written.contains(&auth(&reg.user, &reg.password)));
    let out = skopeo_with(&pass, env.home(), &authfile, &image);
    assert!(
        out.status.success(),
        "skopeo through pass: {}",
        text(&out.stderr)
    );
    assert!(sync(&env, &["--to", "podman"]).status.success());
    assert_eq!(fs::read_to_string(&authfile).unwrap(), written);

    // --plaintext copies the secret out of pass into a file instead.
    let other = env.home().join("plain.json");
    let out = env
        .cmd()
        .arg("--authfile")
        .arg(&other)
        .args(["sync", "--to", "podman", "--plaintext"])
        .env_remove("REGISTRY_AUTH_FILE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        read_json(&other),
        json!({"auths": {reg.addr.clone(): {"auth": auth(&reg.user, &reg.password)}}})
    );
    assert!(skopeo_inspect(env.home(), &other, &image).status.success());
}

#[test]
fn a_helper_that_holds_hub_under_dockers_key_is_not_referenced_for_podman() {
    let (env, authfile) = setup();
    env.fake_helper("vault");
    env.fake_seed(
        "vault",
        json!({"https://index.docker.io/v1/": ["hubber", "hub-pw"], "ghcr.io": ["gh", "gh-pw"]}),
    );
    env.write_config(
        r#"{"auths": {"https://index.docker.io/v1/": {}, "ghcr.io": {}}, "credsStore": "vault"}"#,
    );
    let out = sync(&env, &["--to", "podman"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("https://index.docker.io/v1/ -> docker.io: not synced: docker-credential-vault holds this login as https://index.docker.io/v1/, but podman asks it for docker.io; pass --plaintext"),
        "{stdout}"
    );
    // One `list` for the run, not one per login.
    assert_eq!(env.fake_log("vault").matches("\"list\"").count(), 1);
    // ghcr.io is held under the name podman asks for: referenced.
    assert_eq!(
        read_json(&authfile),
        json!({"credHelpers": {"ghcr.io": "vault"}})
    );
    assert!(!stdout.contains("hub-pw") && !text(&out.stderr).contains("hub-pw"));

    let out = sync(
        &env,
        &["--to", "podman", "--plaintext", "--registry", "docker.io"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        read_json(&authfile),
        json!({"credHelpers": {"ghcr.io": "vault"}, "auths": {"docker.io": {"auth": auth("hubber", "hub-pw")}}})
    );
    assert!(!text(&out.stdout).contains("hub-pw"));
}

#[test]
fn a_secret_synced_to_docker_goes_into_the_store_docker_would_use() {
    let (env, authfile) = setup();
    env.fake_helper("vault");
    env.write_config(r#"{"credsStore": "vault"}"#);
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    fs::write(
        &authfile,
        json!({"auths": {"docker.io": {"auth": auth("hubber", "pw")}}}).to_string(),
    )
    .unwrap();
    let out = sync(&env, &["--to", "docker"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("store the secret in docker-credential-vault"));
    assert_eq!(
        env.fake_db("vault"),
        json!({"https://index.docker.io/v1/": ["hubber", "pw"]})
    );
    // docker's placeholder, no plaintext.
    assert_eq!(
        env.config_json()["auths"],
        json!({"https://index.docker.io/v1/": {}})
    );
    let written = env.read_config();
    let stores = |env: &TestEnv| env.fake_log("vault").matches("\"store\"").count();
    let before = stores(&env);
    let out = sync(&env, &["--to", "docker"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains(": unchanged"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(env.read_config(), written);
    assert_eq!(stores(&env), before, "the second run stored again");
}

#[test]
fn a_per_registry_helper_that_lists_nothing_is_still_referenced() {
    // ecr-login and gcloud make credentials up on `get` and list nothing:
    // the reference is made by name, as both sides ask by the host.
    let (env, authfile) = setup();
    env.script_helper("ecr-login", "#!/bin/sh\ncat >/dev/null\necho '{}'\n");
    env.write_config(
        r#"{"credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}}"#,
    );
    let out = sync(&env, &["--to", "podman"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(
        read_json(&authfile),
        json!({"credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}})
    );
    let written = fs::read(&authfile).unwrap();
    assert!(sync(&env, &["--to", "podman"]).status.success());
    assert_eq!(fs::read(&authfile).unwrap(), written);
}

/// A password that is not UTF-8 would reach a helper changed (JSON turns
/// each invalid byte into U+FFFD): sync refuses to store it there, as
/// migrate does, and changes nothing.
#[test]
fn a_password_that_is_not_utf8_is_not_stored_in_a_helper() {
    use base64::Engine;
    let (env, authfile) = setup();
    env.fake_helper("vault");
    env.write_config(r#"{"credsStore": "vault"}"#);
    let before = env.read_config();
    fs::create_dir_all(authfile.parent().unwrap()).unwrap();
    let raw = base64::engine::general_purpose::STANDARD.encode(b"bin:\xff\xfepw");
    fs::write(
        &authfile,
        json!({"auths": {"ghcr.io": {"auth": raw}}}).to_string(),
    )
    .unwrap();
    let out = sync(&env, &["--to", "docker"]);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("not UTF-8"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(env.fake_db("vault"), json!({}), "stored in the helper");
    assert_eq!(env.read_config(), before);
}
