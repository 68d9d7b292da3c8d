//! Messages that name the real problem (#14): a `--config` directory that
//! does not exist, and so on.
mod common;

use common::TestEnv;

#[test]
fn config_naming_a_missing_directory_says_so_for_read_commands() {
    let env = TestEnv::new();
    let missing = env.home().join("no-such-dir");
    let m = missing.to_str().unwrap();
    for args in [
        vec!["list"],
        vec!["get", "ghcr.io"],
        vec!["explain", "ghcr.io"],
        vec!["audit"],
        vec!["export", "--all", "-o", "/dev/null"],
    ] {
        let o = env
            .cmd()
            .args(["--config", m])
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{m} does not exist")) && !err.contains("no logins"),
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert!(!missing.exists(), "a read-only command created it");
    // An existing directory with no config.json is still an empty config.
    std::fs::create_dir(&missing).unwrap();
    let o = env.cmd().args(["--config", m, "list"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no logins"));
}

#[test]
fn explain_a_bad_reference_names_the_character_and_the_rule() {
    let env = TestEnv::new();
    env.write_config("{}");
    let o = env.cmd().args(["explain", "Bad Ref!!"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a space (character 4) is not allowed") && !err.contains("lower case"),
        "{err}"
    );
    let o = env
        .cmd()
        .args(["explain", "ghcr.io/my__-app"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("`my__-app` in the repository path"), "{err}");
}
