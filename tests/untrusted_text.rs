//! Text from outside reaches the terminal escaped (#12): keys and usernames
//! from the file in list, audit, explain and logout, a registry's error body
//! in login's error. `--json` stays exact.
mod common;

use common::http::{http, registry};
use common::{auth, TestEnv};
use serde_json::json;

fn assert_no_raw_controls(what: &str, text: &str) {
    assert!(
        !text.contains('\x1b') && !text.contains('\r') && !text.contains('\u{9b}'),
        "{what} carries raw control characters: {text:?}"
    );
}

const EVIL_KEY: &str = "evil.io\x1b[2J\r\nforged.io";
/// A username that would retitle the terminal, then forge a line.
const EVIL_USER: &str = "u\x1b]0;pwned\x07\r\nLogin Succeeded";

fn evil_env() -> TestEnv {
    let env = TestEnv::new();
    env.write_config(
        &json!({ "auths": {
            EVIL_KEY: { "auth": auth("plain", "pw") },
            "ok.io": { "auth": auth(EVIL_USER, "pw") },
            "bad\u{9b}31m.io\u{202e}": { "auth": "!!" },
        }})
        .to_string(),
    );
    env
}

#[test]
fn list_escapes_keys_and_usernames_and_json_stays_exact() {
    let env = evil_env();
    let out = env.cmd().arg("list").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_raw_controls("list", &stdout);
    // One header and three rows: no row forged by a CRLF.
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stdout.contains(r"evil.io\x1b[2J\r\nforged.io"), "{stdout}");
    assert!(
        stdout.contains(r"u\x1b]0;pwned\x07\r\nLogin Succeeded"),
        "{stdout}"
    );
    assert!(stdout.contains(r"bad\u{9b}31m.io\u{202e}"), "{stdout}");

    let out = env.cmd().args(["list", "--json"]).output().unwrap();
    let logins: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let regs: Vec<&str> = logins
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["registry"].as_str().unwrap())
        .collect();
    assert!(regs.contains(&EVIL_KEY), "{regs:?}");
    assert!(logins
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["username"] == EVIL_USER));
}

#[test]
fn audit_and_explain_escape_what_the_file_holds() {
    let env = evil_env();
    let out = env.cmd().arg("audit").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_no_raw_controls("audit", &stdout);
    assert_no_raw_controls("audit's stderr", &stderr);
    assert!(stdout.contains(r"evil.io\x1b[2J\r\nforged.io"), "{stdout}");

    let out = env.cmd().args(["explain", "ok.io/app"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_raw_controls("explain", &stdout);
    assert!(
        stdout.contains(r"user u\x1b]0;pwned\x07\r\nLogin Succeeded"),
        "{stdout}"
    );
}

#[test]
fn logout_escapes_the_key_it_removes() {
    let env = evil_env();
    let out = env.cmd().args(["logout", EVIL_KEY]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_raw_controls("logout", &stdout);
    assert!(
        stdout.starts_with(r"Removing login credentials for evil.io\x1b[2j\r\nforged.io"),
        "{stdout}"
    );
    assert!(!env.read_config().contains("evil.io"));

    let out = env
        .cmd()
        .args(["logout", "gone.io\x1b[1A"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_no_raw_controls("logout's note", &stderr);
    assert!(
        stderr.contains(r"Not logged in to gone.io\x1b[1a"),
        "{stderr}"
    );
}

#[test]
fn a_registry_error_body_cannot_fake_login_succeeded() {
    let env = TestEnv::new();
    let body = json!({ "errors": [{ "code": "UNAUTHORIZED",
        "message": "\x1b[1A\x1b[2K\rLogin Succeeded\x1b]0;x\x07" }] })
    .to_string();
    let (host, _) = registry(
        || true,
        move |_| {
            http(
                "401 Unauthorized",
                &["WWW-Authenticate: Basic realm=\"r\""],
                &body,
            )
        },
    );
    let out = env
        .cmd()
        .args(["login", "-u", "me", "--password-stdin", &host])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_no_raw_controls("login's error", &stderr);
    assert!(
        stderr.contains(r"\x1b[1A\x1b[2K\rLogin Succeeded"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn fix_perms_escapes_the_paths_it_prints() {
    let env = TestEnv::new();
    let dir = env.home().join("cfg\x1b[2J\r\nforged");
    std::fs::create_dir_all(&dir).unwrap();
    common::set_mode(&dir, 0o700);
    let file = dir.join("config.json");
    std::fs::write(&file, "{}").unwrap();
    common::set_mode(&file, 0o644);
    for args in [&["fix-perms", "--check"][..], &["fix-perms"][..]] {
        let out = env
            .cmd()
            .arg("--config")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_no_raw_controls("fix-perms", &stdout);
        assert!(stdout.contains(r"cfg\x1b[2J\r\nforged"), "{stdout}");
    }
    assert_eq!(common::mode_of(&file), 0o600);
}

#[test]
fn sync_escapes_keys_including_bidi_overrides() {
    let env = TestEnv::new();
    let key = "bidi\u{202e}oi.evil";
    env.write_config(&json!({ "auths": { key: { "auth": auth("u", "pw") } } }).to_string());
    let authfile = env.home().join("auth.json");
    let out = env
        .cmd()
        .env("REGISTRY_AUTH_FILE", &authfile)
        .args(["sync", "--to", "podman", "--dry-run"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains('\u{202e}') && !all.contains('\u{9b}'),
        "{all:?}"
    );
    assert!(all.contains(r"\u{202e}"), "{all}");
}
