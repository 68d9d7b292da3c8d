//! The closed audit → fix loop (#13), and the real docker client confirming
//! what audit claims.
//!
//! - `undecodable_entry_poisons_docker_logins`: the real docker 28 and
//!   docker-registry: one undecodable entry makes docker drop other logins
//!   of the file at random; audit rates it high and says so; its fix, run
//!   as printed, makes every pull work again.
mod common;

use std::process::Output;

use common::real::{self, docker, Registry};
use common::{auth, TestEnv};
use serde_json::{json, Value};

fn audit_json(env: &TestEnv) -> Vec<Value> {
    let out = env.cmd().args(["audit", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
}

fn inspect(env: &TestEnv, image: &str) -> Output {
    docker(
        &env.config_dir(),
        &["manifest", "inspect", "--insecure", image],
        &[],
        "",
    )
}

#[test]
fn undecodable_entry_poisons_docker_logins() {
    if real::require(real::docker_client()).is_none() {
        return;
    }
    let Some(reg) = real::require(Registry::start("alice", "s3cret-pw")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let image = format!("{}/team/app:v1", reg.addr);
    let env = TestEnv::new();
    let config = json!({"auths": {
        &reg.addr: {"auth": auth("alice", "s3cret-pw")},
        "broken.example.com": {"auth": "!!not base64"},
    }});
    env.write_config(&serde_json::to_string_pretty(&config).unwrap());
    common::set_mode(&env.config_path(), 0o600);
    common::set_mode(&env.config_dir(), 0o700);

    // docker decodes the entries in Go's random map order and stops at the
    // bad one: our registry's login is sometimes left undecoded.
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..40 {
        let out = inspect(&env, &image);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Error parsing config file"), "{err}");
        if out.status.success() {
            ok += 1;
        } else {
            assert!(
                err.contains("no basic auth credentials") || err.contains("unauthorized"),
                "{err}"
            );
            refused += 1;
        }
        if ok > 0 && refused > 0 {
            break;
        }
    }
    assert!(
        refused > 0,
        "docker never dropped the good login ({ok} pulls worked)"
    );
    assert!(
        ok > 0,
        "docker never used the good login ({refused} refused)"
    );

    let findings = audit_json(&env);
    let f = findings
        .iter()
        .find(|f| f["code"] == "undecodable-entry")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(f["severity"], "high", "{f}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("may ignore the file's other logins until it is fixed"),
        "{f}"
    );
    let fix = f["fix"].as_str().unwrap();
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .env("HOME", env.home())
        .env("PATH", format!("{}:{}", bin_dir(), env.path_var()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{fix}: {out:?}");
    for _ in 0..10 {
        let out = inspect(&env, &image);
        assert!(out.status.success(), "{out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("Error parsing"));
    }
}

/// The directory holding the dockercfg binary under test, for fixes run
/// with `sh -c` exactly as printed (`dockercfg ...`).
fn bin_dir() -> String {
    assert_cmd::cargo::cargo_bin("dockercfg")
        .parent()
        .unwrap()
        .display()
        .to_string()
}
