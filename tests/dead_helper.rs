//! Issue #13: a helper that cannot run (or cannot erase) never strands a
//! login.
//!
//! - `logout_file_only_drops_logins_of_a_dead_helper`: a Docker Desktop
//!   config on Linux (`credsStore: desktop`, not installed) and an ECR entry
//!   whose `ecr-login` is missing: `logout --all` fails, leaves the file
//!   byte-identical and names `--file-only` as the way out; the printed
//!   command, run by `sh -c` with the real binary, removes them, says the
//!   helper's secrets are not touched, never spawns a helper, and a second
//!   run changes nothing and exits 0.
//! - `logout_file_only_never_spawns_a_helper`: with every selector.
//! - `helper_missing_names_stranded_logins_and_its_fix_clears_it`: one
//!   `helper-missing` per stranded login (registry set); each fix, run by
//!   `sh -c`, removes that finding and no other appears.
//! - `logout_of_a_helper_that_cannot_erase_succeeds_every_run`: a stand-in
//!   for amazon-ecr-credential-helper (`erase` -> `not implemented`, exit 1):
//!   `logout --match '*.dkr.ecr.*'` exits 0 twice, saying so once per run.
//! - `list_merges_helper_rows_that_differ_only_by_scheme`: one row for the
//!   stand-in's `https://` and bare spellings.
mod common;

use std::fs;
use std::process::Command;

use common::TestEnv;
use serde_json::Value;

const DESKTOP: &str = r#"{
	"auths": {
		"https://index.docker.io/v1/": {},
		"ghcr.io": {},
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com": {}
	},
	"credsStore": "desktop",
	"credHelpers": {
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"
	}
}"#;

/// PATH for printed commands: the real binary (as `dockercfg`) first, then
/// the test's helpers, then the system's.
fn real_path(env: &TestEnv) -> String {
    let bin = env.home().join("realbin");
    fs::create_dir_all(&bin).unwrap();
    let link = bin.join("dockercfg");
    if !link.exists() {
        std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("dockercfg"), &link).unwrap();
    }
    format!(
        "{}:{}:/usr/bin:/bin",
        bin.display(),
        env.bin_dir().display()
    )
}

/// Run a printed command with `sh -c`: (success, stdout, stderr).
fn sh(env: &TestEnv, cmd: &str) -> (bool, String, String) {
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(env.home())
        .env("HOME", env.home())
        .env("PATH", real_path(env))
        .env_remove("DOCKER_CONFIG")
        .env_remove("DOCKER_AUTH_CONFIG")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The line of `stderr` after `run: `, the command dockercfg printed.
fn printed_command(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.contains("run: "))
        .unwrap_or_else(|| panic!("no command printed in {stderr}"));
    line.split_once("run: ").unwrap().1.to_string()
}

#[test]
fn logout_file_only_drops_logins_of_a_dead_helper() {
    let env = TestEnv::new();
    env.write_config(DESKTOP);
    let before = env.read_config();

    let out = env.cmd().args(["logout", "--all"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(env.read_config(), before, "a failed logout changes nothing");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cmd = printed_command(&stderr);
    assert!(cmd.starts_with("dockercfg logout --file-only "), "{cmd}");

    // The dry run changes nothing and says what it would leave alone.
    let out = env
        .cmd()
        .args(["logout", "--file-only", "--all", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(env.read_config(), before);

    let (ok, stdout, stderr) = sh(&env, &cmd);
    assert!(ok, "{cmd}: {stderr}");
    assert!(stdout.contains("Removing login credentials for ghcr.io (config.json)"));
    assert!(
        stderr.contains("left in docker-credential-desktop is not touched")
            && stderr.contains("left in docker-credential-ecr-login is not touched"),
        "{stderr}"
    );
    let v: Value = env.config_json();
    assert_eq!(v["auths"], serde_json::json!({}));
    // Only the logins go: the store settings are the user's to change.
    assert_eq!(v["credsStore"], "desktop");

    // Safe to re-run: nothing left, exit 0, file untouched.
    let after = env.read_config();
    let (ok, _, stderr) = sh(&env, &cmd);
    assert!(ok, "{stderr}");
    assert_eq!(env.read_config(), after);
}

#[test]
fn logout_file_only_never_spawns_a_helper() {
    let env = TestEnv::new();
    let marker = env.home().join("spawned");
    env.script_helper(
        "desktop",
        &format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    );
    env.write_config(DESKTOP);
    for args in [
        &["logout", "--file-only", "ghcr.io"][..],
        &["logout", "--file-only", "--match", "*.dkr.ecr.*"],
        &["logout", "--file-only", "--expired"],
        &["logout", "--file-only", "--all"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    assert!(!marker.exists(), "--file-only called the helper");
    assert_eq!(env.config_json()["auths"], serde_json::json!({}));
}

fn audit_json(env: &TestEnv) -> Vec<Value> {
    let out = env.cmd().args(["audit", "--json"]).output().unwrap();
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn code_registry(f: &Value) -> (String, Value) {
    (
        f["code"].as_str().unwrap().to_string(),
        f["registry"].clone(),
    )
}

/// `helper-missing` names each login a dead helper strands, and its fix,
/// run as printed, removes exactly that finding and adds none.
#[test]
fn helper_missing_names_stranded_logins_and_its_fix_clears_it() {
    let env = TestEnv::new();
    env.write_config(DESKTOP);
    common::set_mode(&env.config_path(), 0o600);
    common::set_mode(&env.config_dir(), 0o700);
    let before = audit_json(&env);
    let stranded: Vec<&Value> = before
        .iter()
        .filter(|f| f["code"] == "helper-missing" && !f["registry"].is_null())
        .collect();
    let mut regs: Vec<&str> = stranded
        .iter()
        .map(|f| f["registry"].as_str().unwrap())
        .collect();
    regs.sort();
    assert_eq!(
        regs,
        [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "ghcr.io",
            "https://index.docker.io/v1/"
        ],
        "{before:?}"
    );
    let mut remaining: Vec<(String, Value)> = before.iter().map(code_registry).collect();
    for f in stranded {
        let fix = f["fix"].as_str().expect("a fix");
        assert!(fix.starts_with("dockercfg logout --file-only "), "{fix}");
        let (ok, _, stderr) = sh(&env, fix);
        assert!(ok, "{fix}: {stderr}");
        let gone = code_registry(f);
        remaining.retain(|c| *c != gone);
        let after: Vec<(String, Value)> = audit_json(&env).iter().map(code_registry).collect();
        assert_eq!(after, remaining, "after {fix}");
    }
}

/// A stand-in for amazon-ecr-credential-helper: `list` gives each registry
/// with and without `https://`, `erase` answers `not implemented` on stdout
/// with exit 1, as the real one does.
const ECR_STANDIN: &str = r#"#!/bin/sh
case "$1" in
list) printf '%s' '{"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com":"AWS","123456789012.dkr.ecr.eu-west-1.amazonaws.com":"AWS"}' ;;
get) cat >/dev/null; printf '%s' '{"ServerURL":"123456789012.dkr.ecr.eu-west-1.amazonaws.com","Username":"AWS","Secret":"tok"}' ;;
erase) cat >/dev/null; echo 'not implemented'; exit 1 ;;
*) exit 1 ;;
esac
"#;

#[test]
fn logout_of_a_helper_that_cannot_erase_succeeds_every_run() {
    let env = TestEnv::new();
    env.script_helper("ecr-login", ECR_STANDIN);
    env.write_config(
        r#"{"auths": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": {}},
            "credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}}"#,
    );
    common::set_mode(&env.config_path(), 0o600);
    for run in 0..2 {
        let out = env
            .cmd()
            .args(["logout", "--match", "*.dkr.ecr.*"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "run {run}: {stderr}");
        assert_eq!(
            stderr.matches("does not implement erase").count(),
            1,
            "said once per helper: {stderr}"
        );
        assert!(!stderr.contains("warning"), "{stderr}");
    }
    assert_eq!(env.config_json()["auths"], serde_json::json!({}));
}

/// `list` shows one row for the stand-in's two spellings of a registry.
#[test]
fn list_merges_helper_rows_that_differ_only_by_scheme() {
    let env = TestEnv::new();
    env.script_helper("ecr-login", ECR_STANDIN);
    env.write_config(
        r#"{"credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}}"#,
    );
    common::set_mode(&env.config_path(), 0o600);
    let out = env.cmd().args(["list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let regs: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["registry"].as_str().unwrap())
        .collect();
    assert_eq!(regs, ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
}
