//! `logout`'s selectors (#14): --all stands alone; --match with --expired
//! means both; a --match that finds nothing says so; globs match hosts
//! case-insensitively, with or without a scheme; -q is silent; a dry run's
//! JSON says it is one.
mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{auth, TestEnv};
use serde_json::{json, Value};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn ecr(exp: i64) -> String {
    STANDARD.encode(
        json!({"payload": "p", "datakey": "d", "version": "2", "type": "DATA_KEY", "expiration": exp})
            .to_string(),
    )
}

const OLD_ECR: &str = "111111111111.dkr.ecr.eu-west-1.amazonaws.com";
const NEW_ECR: &str = "222222222222.dkr.ecr.eu-west-1.amazonaws.com";

fn env_with_tokens() -> TestEnv {
    let env = TestEnv::new();
    let t = now();
    env.write_config(
        &json!({ "auths": {
            OLD_ECR: { "auth": auth("AWS", &ecr(t - 3600)) },
            NEW_ECR: { "auth": auth("AWS", &ecr(t + 3600)) },
            "ghcr.io": { "auth": auth("octo", "pw") },
            "https://Quay.IO": { "auth": auth("q", "pw") },
        }})
        .to_string(),
    );
    // Private, so that no mode warning is part of what -q must silence.
    common::set_mode(&env.config_dir(), 0o700);
    common::set_mode(&env.config_path(), 0o600);
    env
}

fn keys(env: &TestEnv) -> Vec<String> {
    env.config_json()["auths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn all_with_match_or_expired_is_a_usage_error() {
    let env = env_with_tokens();
    let before = env.read_config();
    for extra in [&["--match", "*"][..], &["--expired"][..], &["ghcr.io"][..]] {
        let out = env
            .cmd()
            .args(["logout", "--all"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--all {extra:?}");
    }
    assert_eq!(env.read_config(), before);
}

#[test]
fn match_with_expired_means_both() {
    let env = env_with_tokens();
    let out = env
        .cmd()
        .args(["logout", "--match", "*.dkr.ecr.*", "--expired"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = keys(&env);
    assert!(!left.contains(&OLD_ECR.to_string()), "{left:?}");
    assert!(
        left.contains(&NEW_ECR.to_string()),
        "the unexpired ECR login went: {left:?}"
    );
    assert!(left.contains(&"ghcr.io".to_string()), "{left:?}");
}

#[test]
fn a_match_that_finds_nothing_says_so_and_changes_nothing() {
    let env = env_with_tokens();
    let before = env.read_config();
    let out = env
        .cmd()
        .args(["logout", "--match", "*.gcr.io"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no login matches --match '*.gcr.io'"), "{err}");
    assert_eq!(env.read_config(), before);
    // -q: not even that.
    let out = env
        .cmd()
        .args(["logout", "-q", "--match", "*.gcr.io"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}

#[test]
fn globs_ignore_case_and_scheme() {
    let env = env_with_tokens();
    // The key is https://Quay.IO; the glob is lower case without a scheme.
    let out = env
        .cmd()
        .args(["logout", "--match", "quay.io"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !keys(&env).contains(&"https://Quay.IO".to_string()),
        "{:?}",
        keys(&env)
    );
    // A glob with a scheme finds a key without one.
    let out = env
        .cmd()
        .args(["logout", "--match", "https://GHCR.*"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !keys(&env).contains(&"ghcr.io".to_string()),
        "{:?}",
        keys(&env)
    );
}

#[test]
fn quiet_prints_nothing_even_when_not_logged_in() {
    let env = env_with_tokens();
    let out = env
        .cmd()
        .args(["logout", "-q", "nowhere.example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    let out = env
        .cmd()
        .args(["logout", "-q", "ghcr.io"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}

#[test]
fn a_dry_run_json_marks_itself() {
    let env = env_with_tokens();
    let before = env.read_config();
    let out = env
        .cmd()
        .args(["logout", "--dry-run", "--json", "ghcr.io"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["registry"], "ghcr.io");
    assert_eq!(rows[0]["dry_run"], true, "{rows}");
    assert_eq!(env.read_config(), before);
    let out = env
        .cmd()
        .args(["logout", "--json", "ghcr.io"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["dry_run"], false, "{rows}");
    assert_ne!(env.read_config(), before);
}
