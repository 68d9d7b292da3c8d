//! End-to-end checks of the real parts in `common::real`: each starts for
//! real and does what the other tests rely on. Off CI a missing part skips.

mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

use common::real::{docker, docker_client, require, PassStore, Registry, SecretService};
use serde_json::{json, Value};

fn parse(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

fn creds(url: &str, user: &str, secret: &str) -> String {
    json!({ "ServerURL": url, "Username": user, "Secret": secret }).to_string()
}

fn read_config(dir: &Path) -> Value {
    parse(&fs::read_to_string(dir.join("config.json")).expect("config.json"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn pass_helper_round_trip() {
    let t = Instant::now();
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    eprintln!("pass store started in {:?}", t.elapsed());
    let url = "https://registry.example.test";

    assert_eq!(
        pass.helper("list", ""),
        (true, "{}\n".into(), String::new())
    );

    let (ok, out, err) = pass.helper("store", &creds(url, "alice", "s3cret-pass"));
    assert!(ok, "store failed: {out} {err}");

    let (ok, out, err) = pass.helper("get", url);
    assert!(ok, "get failed: {out} {err}");
    assert_eq!(parse(&out), parse(&creds(url, "alice", "s3cret-pass")));

    let (ok, out, _) = pass.helper("list", "");
    assert!(ok);
    assert_eq!(parse(&out), json!({ url: "alice" }));

    // The secret is stored GPG-encrypted, never in the clear.
    let stored = files(pass.store_dir());
    assert!(
        stored
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "gpg")),
        "{stored:?}"
    );
    for p in &stored {
        assert!(
            !text(&fs::read(p).unwrap()).contains("s3cret-pass"),
            "plaintext secret in {p:?}"
        );
    }

    let (ok, out, err) = pass.helper("erase", url);
    assert!(ok, "erase failed: {out} {err}");
    assert_eq!(pass.helper("list", "").1.trim(), "{}");

    // Debian's 0.6.4 answers an unknown server with exit 0 and empty fields.
    let (ok, out, _) = pass.helper("get", url);
    assert!(ok);
    assert_eq!(parse(&out), parse(&creds(url, "", "")));
    // ...but erasing one fails.
    let (ok, out, _) = pass.helper("erase", url);
    assert!(!ok);
    assert!(out.contains("is not in the password store"), "{out}");
}

#[test]
fn pass_stores_are_isolated() {
    let (Some(a), Some(b)) = (require(PassStore::start()), require(PassStore::start())) else {
        return;
    };
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert!(
        a.helper("store", &creds("https://a.test", "a", "secret-a"))
            .0
    );
    assert_eq!(
        parse(&a.helper("list", "").1),
        json!({ "https://a.test": "a" })
    );
    assert_eq!(parse(&b.helper("list", "").1), json!({}));
    // Each store is bound to its own throwaway key.
    let gpg_id = fs::read_to_string(a.store_dir().join(".gpg-id")).unwrap();
    assert_eq!(gpg_id.trim(), a.fingerprint());
}

#[test]
fn secretservice_helper_round_trip() {
    let t = Instant::now();
    let Some(ss) = require(SecretService::start()) else {
        return;
    };
    eprintln!("secret service started in {:?}", t.elapsed());
    let url = "https://registry.example.test";

    assert_eq!(parse(&ss.helper("list", "").1), json!({}));

    let (ok, out, err) = ss.helper("store", &creds(url, "bob", "s3cret-ss"));
    assert!(ok, "store failed: {out} {err}");

    let (ok, out, err) = ss.helper("get", url);
    assert!(ok, "get failed: {out} {err}");
    assert_eq!(parse(&out), parse(&creds(url, "bob", "s3cret-ss")));
    assert_eq!(parse(&ss.helper("list", "").1), json!({ url: "bob" }));

    // The keyring is the private one, on disk under the instance's own dir.
    let keyrings = files(&ss.dir().join("home"));
    assert!(
        keyrings
            .iter()
            .any(|p| p.ends_with("keyrings/login.keyring")),
        "{keyrings:?}"
    );

    let (ok, out, err) = ss.helper("erase", url);
    assert!(ok, "erase failed: {out} {err}");
    assert_eq!(parse(&ss.helper("list", "").1), json!({}));

    let (ok, out, _) = ss.helper("get", url);
    assert!(!ok);
    assert!(
        out.contains("credentials not found in native keychain"),
        "{out}"
    );
}

#[test]
fn secretservice_instances_are_isolated() {
    let (Some(a), Some(b)) = (
        require(SecretService::start()),
        require(SecretService::start()),
    ) else {
        return;
    };
    assert!(
        a.helper("store", &creds("https://a.test", "a", "secret-a"))
            .0
    );
    assert_eq!(
        parse(&a.helper("list", "").1),
        json!({ "https://a.test": "a" })
    );
    assert_eq!(parse(&b.helper("list", "").1), json!({}));
}

#[test]
fn registry_push_docker_login_inspect_logout() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let t = Instant::now();
    let Some(reg) = require(Registry::start("alice", "reg-s3cret")) else {
        return;
    };
    eprintln!("registry started in {:?}", t.elapsed());
    let t = Instant::now();
    reg.push_image("team/app", "v1").unwrap();
    eprintln!("image pushed in {:?}", t.elapsed());

    let cfg = tempfile::tempdir().unwrap();
    let image = format!("{}/team/app:v1", reg.addr);
    let inspect = || {
        docker(
            cfg.path(),
            &["manifest", "inspect", "--insecure", &image],
            &[],
            "",
        )
    };

    let out = inspect();
    assert!(
        !out.status.success(),
        "inspect without login worked: {}",
        text(&out.stdout)
    );

    let out = docker(
        cfg.path(),
        &["login", "-u", "alice", "--password-stdin", &reg.addr],
        &[],
        "wrong\n",
    );
    assert!(!out.status.success(), "login with a wrong password worked");

    let out = docker(
        cfg.path(),
        &["login", "-u", "alice", "--password-stdin", &reg.addr],
        &[],
        "reg-s3cret\n",
    );
    assert!(
        out.status.success(),
        "login failed: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );
    assert_eq!(
        read_config(cfg.path()),
        json!({ "auths": { reg.addr.clone(): { "auth": "YWxpY2U6cmVnLXMzY3JldA==" } } }),
        "plaintext login: base64(alice:reg-s3cret) under the bare host:port, no credsStore"
    );

    let out = inspect();
    assert!(
        out.status.success(),
        "inspect failed: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );
    let manifest = parse(&text(&out.stdout));
    assert_eq!(manifest["schemaVersion"], 2, "{manifest}");
    assert_eq!(
        manifest["layers"].as_array().map(Vec::len),
        Some(1),
        "{manifest}"
    );

    let out = docker(cfg.path(), &["logout", &reg.addr], &[], "");
    assert!(out.status.success(), "logout failed: {}", text(&out.stderr));
    assert_eq!(read_config(cfg.path())["auths"], json!({}));
    assert!(!inspect().status.success(), "inspect worked after logout");
}

#[test]
fn docker_login_with_creds_store_pass() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("carol", "pass-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("lib/tiny", "latest").unwrap();
    let cfg = tempfile::tempdir().unwrap();
    fs::write(cfg.path().join("config.json"), r#"{"credsStore":"pass"}"#).unwrap();

    let out = docker(
        cfg.path(),
        &["login", "-u", "carol", "--password-stdin", &reg.addr],
        &pass.env(),
        "pass-s3cret\n",
    );
    assert!(
        out.status.success(),
        "login failed: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );

    // Only a placeholder in config.json; the secret lives in pass.
    let config = read_config(cfg.path());
    assert_eq!(
        config,
        json!({ "auths": { reg.addr.clone(): {} }, "credsStore": "pass" })
    );
    assert!(!fs::read_to_string(cfg.path().join("config.json"))
        .unwrap()
        .contains("pass-s3cret"));
    assert_eq!(
        parse(&pass.helper("list", "").1),
        json!({ reg.addr.clone(): "carol" })
    );
    let (ok, out, _) = pass.helper("get", &reg.addr);
    assert!(ok);
    assert_eq!(
        parse(&out),
        parse(&creds(&reg.addr, "carol", "pass-s3cret"))
    );

    // docker reads the credentials back through the helper.
    let image = format!("{}/lib/tiny:latest", reg.addr);
    let out = docker(
        cfg.path(),
        &["manifest", "inspect", "--insecure", &image],
        &pass.env(),
        "",
    );
    assert!(
        out.status.success(),
        "inspect failed: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );

    let out = docker(cfg.path(), &["logout", &reg.addr], &pass.env(), "");
    assert!(out.status.success(), "logout failed: {}", text(&out.stderr));
    assert_eq!(parse(&pass.helper("list", "").1), json!({}));
}

#[test]
fn docker_without_creds_store_stays_plaintext_even_with_pass_env() {
    // docker would pick pass by itself if it were on docker's PATH; `docker()`
    // withholds PATH when config.json names no helper, so this stays plaintext.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("dave", "plain-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    let cfg = tempfile::tempdir().unwrap();
    let out = docker(
        cfg.path(),
        &["login", "-u", "dave", "--password-stdin", &reg.addr],
        &pass.env(),
        "plain-s3cret\n",
    );
    assert!(out.status.success(), "login failed: {}", text(&out.stderr));
    assert!(read_config(cfg.path())["auths"][&reg.addr]["auth"].is_string());
    assert_eq!(parse(&pass.helper("list", "").1), json!({}));
}

#[test]
fn docker_picks_pass_itself_when_it_is_on_path() {
    // The real-world default this module works around: a fresh config, no
    // credsStore, but `pass` and its helper on PATH => docker uses pass.
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("erin", "auto-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    let cfg = tempfile::tempdir().unwrap();
    let mut env = pass.env();
    env.push(("PATH".into(), std::env::var("PATH").unwrap()));
    let out = docker(
        cfg.path(),
        &["login", "-u", "erin", "--password-stdin", &reg.addr],
        &env,
        "auto-s3cret\n",
    );
    assert!(out.status.success(), "login failed: {}", text(&out.stderr));
    // ...and records its choice in config.json.
    assert_eq!(
        read_config(cfg.path()),
        json!({ "auths": { reg.addr.clone(): {} }, "credsStore": "pass" })
    );
    assert_eq!(
        parse(&pass.helper("list", "").1),
        json!({ reg.addr.clone(): "erin" })
    );
}
