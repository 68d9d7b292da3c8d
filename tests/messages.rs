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

/// A registry that accepts the connection and never answers: `--timeout`
/// bounds the whole check (https, then loopback's http fallback), the error
/// names the timeout and --no-verify, and the file is untouched.
#[test]
fn login_against_a_silent_registry_stops_at_the_timeout() {
    let env = TestEnv::new();
    let before = "{\n\t\"auths\": {\n\t\t\"other.io\": {}\n\t}\n}";
    env.write_config(before);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s); // accepted, never read, never answered
        }
    });
    let start = std::time::Instant::now();
    let o = env
        .cmd()
        .args([
            "login",
            "--timeout",
            "2",
            "-u",
            "me",
            "--password-stdin",
            &host,
        ])
        .write_stdin("pw\n")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        took < std::time::Duration::from_secs(5),
        "took {took:?}: {err}"
    );
    assert!(
        took >= std::time::Duration::from_secs(2),
        "took {took:?}: {err}"
    );
    assert!(
        err.contains("2 s timeout") && err.contains("--no-verify"),
        "{err}"
    );
    // Not a terminal: no progress line.
    assert!(!err.contains("verifying with"), "{err}");
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), before);
    // A bad value is a usage error.
    let o = env
        .cmd()
        .args(["login", "--timeout", "0", &host])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// On a terminal, one line says which registry is being asked.
#[test]
fn login_on_a_terminal_says_which_registry_it_is_verifying_with() {
    let env = TestEnv::new();
    env.write_config("{}");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    drop(listener); // nothing listens: refused at once
    let mut cmd = env.std_cmd();
    cmd.args(["login", "-u", "me", "-p", "pw", &host]);
    let out = common::pty::run(cmd, 80, 24);
    assert_eq!(out.status.code(), Some(1), "{}", out.text);
    assert!(
        out.text.contains(&format!("verifying with {host}…")),
        "{}",
        out.text
    );
    assert!(out.text.contains("--no-verify"), "{}", out.text);
}
