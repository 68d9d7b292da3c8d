//! `dockercfg export`: a login held in the real pass store, exported to a
//! standalone config.json, lets the real docker client read a manifest from
//! the local registry (and an empty config does not); the Kubernetes
//! Secret decodes to the same bytes; 0600 files, no overwrite without
//! --force, no secrets on a terminal, unresolvable logins refused.
mod common;

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::real::{docker, docker_client, require, PassStore, Registry};
use common::{auth, mode_of, TestEnv};
use serde_json::{json, Value};

fn run(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd().arg("export").args(args).output().unwrap()
}

fn show(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn export_from_pass_is_read_by_docker() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let Some(reg) = require(Registry::start("exporter", "exp-S3cret:1")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let creds = json!({"ServerURL": reg.addr, "Username": reg.user, "Secret": reg.password});
    let (ok, out, err) = pass.helper("store", &creds.to_string());
    assert!(ok, "pass store: {out} {err}");

    let mut env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"{}": {{}}}}, "credsStore": "pass"}}"#,
        reg.addr
    ));
    let mut vars = pass.env();
    vars.push(("PATH".into(), env.system_path()));
    env.add_env(vars);

    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("config.json");
    let o = run(
        &env,
        &["--registry", &reg.addr, "-o", file.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", show(&o));
    assert_eq!(mode_of(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v,
        json!({"auths": {reg.addr.clone(): {"auth": auth(&reg.user, &reg.password)}}})
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains(&reg.password));

    // The real docker client, with nothing but the exported file.
    let image = format!("{}/team/app:v1", reg.addr);
    let inspect = |dir: &Path| docker(dir, &["manifest", "inspect", "--insecure", &image], &[], "");
    let o = inspect(out_dir.path());
    assert!(
        o.status.success(),
        "docker could not use the export: {}\n{}",
        show(&o),
        reg.log_tail()
    );
    let manifest: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(manifest["schemaVersion"], 2);
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("config.json"), "{}").unwrap();
    assert!(
        !inspect(empty.path()).status.success(),
        "an empty config worked too"
    );

    // The Secret holds exactly the exported bytes.
    let o = run(
        &env,
        &[
            "--registry",
            &reg.addr,
            "--format",
            "k8s-secret",
            "--name",
            "regcred",
            "--namespace",
            "ci",
        ],
    );
    assert!(o.status.success(), "{}", show(&o));
    let yaml = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = yaml.lines().collect();
    assert_eq!(
        &lines[..7],
        &[
            "apiVersion: v1",
            "kind: Secret",
            "metadata:",
            "  name: regcred",
            "  namespace: ci",
            "type: kubernetes.io/dockerconfigjson",
            "data:",
        ]
    );
    let b64 = lines[7].strip_prefix("  .dockerconfigjson: ").expect(&yaml);
    assert_eq!(STANDARD.decode(b64).unwrap(), text.as_bytes());
}

#[test]
fn all_includes_every_source_and_identity_tokens() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed(
        "store",
        json!({"h.io": ["helperuser", "hs"], "tok.io": ["<token>", "REFRESH"]}),
    );
    env.write_config(&format!(
        r#"{{"auths": {{"https://plain.io": {{"auth": "{}"}}, "h.io": {{}}, "tok.io": {{}}}},
            "credHelpers": {{"h.io": "store", "tok.io": "store"}}}}"#,
        auth("pu", "ps")
    ));
    let var = json!({"auths": {"env.io": {"auth": auth("eu", "es")}}}).to_string();
    let o = env
        .cmd()
        .args(["export", "--all"])
        .env("DOCKER_AUTH_CONFIG", &var)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        json!({"auths": {
            "env.io": {"auth": auth("eu", "es")},
            "plain.io": {"auth": auth("pu", "ps")},
            "h.io": {"auth": auth("helperuser", "hs")},
            "tok.io": {"identitytoken": "REFRESH"},
        }})
    );
}

#[test]
fn unresolvable_login_is_an_error_unless_skipped() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed("store", json!({"ok.io": ["u", "s"]}));
    env.write_config(r#"{"auths": {"ok.io": {}, "lost.io": {}}, "credsStore": "store"}"#);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let f = file.to_str().unwrap();
    let o = run(&env, &["--all", "-o", f]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("dockercfg: error: ") && err.contains("lost.io"),
        "{err}"
    );
    assert!(!file.exists(), "something was written");

    let o = run(&env, &["--all", "--skip-unresolved", "-o", f]);
    assert!(o.status.success(), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("left out lost.io"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v, json!({"auths": {"ok.io": {"auth": auth("u", "s")}}}));

    // Not logged in at all to a named registry.
    let o = run(&env, &["--registry", "nowhere.io"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

#[test]
fn file_is_new_and_private_unless_forced() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    std::fs::write(&file, "keep").unwrap();
    common::set_mode(&file, 0o644);
    let f = file.to_str().unwrap();
    let o = run(&env, &["--registry", "ghcr.io", "-o", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");

    let o = run(&env, &["--registry", "ghcr.io", "-o", f, "--force"]);
    assert!(o.status.success(), "{}", show(&o));
    assert_eq!(mode_of(&file), 0o600);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains(&auth("u", "p")));
}

/// `--force` replaces regular files only: a FIFO, a symlink (and what it
/// points to) and, as root, a character device like /dev/null are left
/// exactly as they were, with one error line naming the path.
#[test]
fn force_replaces_regular_files_only() {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    ));
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let target = dir.path().join("target.json");
    std::fs::write(&target, "keep").unwrap();
    common::set_mode(&target, 0o644);
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut cases = vec![(fifo.clone(), "a FIFO"), (link.clone(), "a symbolic link")];
    // A stand-in for /dev/null: the same device (1, 3), in a temp dir.
    let null = dir.path().join("null");
    if common::is_root() {
        let made = std::process::Command::new("mknod")
            .arg(&null)
            .args(["c", "1", "3"])
            .status()
            .unwrap();
        assert!(made.success());
        cases.push((null.clone(), "a device"));
    }
    for (path, kind) in &cases {
        let before = std::fs::symlink_metadata(path).unwrap();
        for extra in [&["--force"][..], &[]] {
            let f = path.to_str().unwrap();
            let o = run(
                &env,
                &[&["--registry", "ghcr.io", "-o", f][..], extra].concat(),
            );
            assert_eq!(o.status.code(), Some(1), "{kind} {extra:?}: {}", show(&o));
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.starts_with("dockercfg: error: ") && err.contains(f) && err.contains(kind),
                "{err}"
            );
            let after = std::fs::symlink_metadata(path).unwrap();
            assert_eq!(
                (after.ino(), after.mode(), after.file_type().is_fifo()),
                (before.ino(), before.mode(), before.file_type().is_fifo()),
                "{kind} was replaced"
            );
        }
    }
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert_eq!(mode_of(&target), 0o644);
    if common::is_root() {
        let m = std::fs::symlink_metadata(&null).unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!(m.rdev(), std::fs::metadata("/dev/null").unwrap().rdev());
    }
    // No temp file left beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want = vec!["fifo", "link.json", "target.json"];
    if common::is_root() {
        want.insert(2, "null");
    }
    assert_eq!(names, want);
}

#[test]
fn bad_names_and_missing_flags_are_usage_errors() {
    let env = TestEnv::new();
    env.write_config("{}");
    let o = run(
        &env,
        &["--all", "--format", "k8s-secret", "--name", "Bad_Name"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a valid Kubernetes name"));
    // clap: --name is required for a Secret, and a registry or --all.
    assert_eq!(
        run(&env, &["--all", "--format", "k8s-secret"])
            .status
            .code(),
        Some(2)
    );
    let o = run(&env, &[]);
    assert_eq!(o.status.code(), Some(2));
    // No selection: the error names both ways to choose, --all included.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--all") && err.contains("--registry"), "{err}");
    assert_eq!(
        run(&env, &["--all", "--registry", "x.io"]).status.code(),
        Some(2)
    );
}

/// On a terminal (a pty from `script`), export refuses to print.
#[test]
fn refuses_a_terminal() {
    let Ok(script) = which("script") else {
        if std::env::var_os("CI").is_some() {
            panic!("script (util-linux) not found");
        }
        return;
    };
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "TerminalS3cret")
    ));
    let bin = assert_cmd::cargo::cargo_bin("dockercfg");
    let o = std::process::Command::new(script)
        .args(["-qec"])
        .arg(format!("{} export --registry ghcr.io", bin.display()))
        .arg("/dev/null")
        .env("HOME", env.home())
        .env_remove("DOCKER_CONFIG")
        .env_remove("DOCKER_AUTH_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("-o FILE"), "{text}");
    assert!(!text.contains("TerminalS3cret"), "{text}");
    assert!(!text.contains(&auth("u", "TerminalS3cret")), "{text}");
}

fn which(tool: &str) -> Result<std::path::PathBuf, ()> {
    std::env::split_paths(&std::env::var("PATH").unwrap_or_default())
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
        .ok_or(())
}
