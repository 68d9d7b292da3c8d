//! Platform rules testable on Linux. WSL: Docker Desktop's WSL integration
//! writes `"credsStore": "desktop.exe"`, and the helper is the Windows
//! program `docker-credential-desktop.exe`, run from Linux through WSL's
//! interop; it must be found on PATH under that exact name and used like any
//! other helper. (Windows and macOS themselves are checked by ci/cross.sh.)
mod common;

use common::TestEnv;
use predicates::prelude::*;
use serde_json::json;

#[test]
fn wsl_desktop_exe_store_is_a_helper_found_by_its_exe_name() {
    let env = TestEnv::new();
    let helper = env.fake_helper("desktop.exe");
    assert!(helper.ends_with("docker-credential-desktop.exe"));
    env.write_config(r#"{"auths": {}, "credsStore": "desktop.exe"}"#);

    env.cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "wsluser",
            "--password-stdin",
            "w.io",
        ])
        .write_stdin("wsl-secret\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "stored in docker-credential-desktop.exe",
        ));
    assert_eq!(
        env.fake_db("desktop.exe"),
        json!({"w.io": ["wsluser", "wsl-secret"]})
    );
    assert_eq!(env.config_json()["auths"], json!({"w.io": {}}));
    assert!(!env.read_config().contains("wsl-secret"));

    let out = env.cmd().args(["get", "w.io"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["Secret"], "wsl-secret");

    env.cmd()
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("w.io").and(predicate::str::contains("desktop.exe")))
        .stdout(predicate::str::contains("not installed").not());

    env.cmd()
        .args(["logout", "w.io"])
        .assert()
        .success()
        .stdout(predicate::str::contains("docker-credential-desktop.exe"));
    assert_eq!(env.fake_db("desktop.exe"), json!({}));
    assert_eq!(env.config_json()["auths"], json!({}));
}

#[test]
fn wsl_desktop_exe_missing_is_named_by_its_exe_name() {
    // A config copied from a WSL machine to a Linux box without Docker
    // Desktop: the missing program is named as PATH would have to hold it.
    let env = TestEnv::new();
    env.write_config(r#"{"auths": {"w.io": {}}, "credsStore": "desktop.exe"}"#);
    env.cmd()
        .args(["get", "w.io"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "docker-credential-desktop.exe is not installed",
        ));
}
