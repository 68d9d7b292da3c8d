//! A secret never leaves the places made for it (issue #7, security
//! review): one sentinel secret sits in plaintext entries, an identity
//! token, a recording helper and `--password-stdin`; every command and flag
//! runs over it, failing ones too, and the sentinel (or the base64 that
//! carries it) must not appear in any output, nor in any helper's argv or
//! environment. `get` to a pipe, the one command made to print a secret,
//! must print it: that proves the sentinel is where the others could leak it.
//!
//! `Secret`'s redacted Debug/Display are unit-tested in src/secret.rs.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::{auth, TestEnv};

/// A fresh sentinel per run, so a leak cannot match a stale file.
fn sentinel() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("S3NT1NEL-{:x}{:x}", nanos, std::process::id())
}

/// Everything a command printed, with what ran.
struct Run {
    what: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

struct Leaks {
    /// Strings that must never appear: the sentinels and their base64.
    forbidden: Vec<String>,
    runs: Vec<Run>,
}

impl Leaks {
    fn run(&mut self, env: &TestEnv, args: &[&str], stdin: &str) -> &Run {
        let out = env
            .cmd()
            .args(["--helper-timeout", "5"])
            .args(args)
            .write_stdin(stdin)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        self.runs.push(Run {
            what: args.join(" "),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
        self.runs.last().unwrap()
    }

    fn leaks_in(&self, text: &str) -> Vec<&str> {
        self.forbidden
            .iter()
            .filter(|f| text.contains(f.as_str()))
            .map(String::as_str)
            .collect()
    }
}

/// A registry on 127.0.0.1 that rejects every login, and echoes what it
/// was sent (the Authorization header, which carries the secret) in its
/// challenge and its body, as a hostile or chatty registry could.
fn rejecting_registry() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut sent = String::new();
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return, // not HTTP (a TLS hello)
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {
                            if line.to_ascii_lowercase().starts_with("authorization:") {
                                sent = line.trim_end().to_string();
                            }
                        }
                    }
                }
                let body = format!("{{\"errors\":[{{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials: {sent}\"}}]}}");
                let _ = write!(
                    conn,
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"{sent}\"\r\nDocker-Distribution-Api-Version: registry/2.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

/// A helper that logs its argv and environment like the fake helper, and
/// fails every call by echoing what it was given: its stdin (the JSON that
/// holds the secret, for `store`), or for `get` the credential it holds,
/// printed in full before exiting 1.
fn echoing_helper(env: &TestEnv, name: &str, secret: &str) {
    let log = env.home().join(format!("fake-{name}.log"));
    env.script_helper(
        name,
        &format!(
            r#"#!/usr/bin/python3
import json, os, sys
with open({log:?}, "a") as f:
    f.write(json.dumps({{"argv": sys.argv, "env": dict(os.environ)}}) + "\n")
action = sys.argv[1]
data = sys.stdin.read()
if action == "get":
    print(json.dumps({{"ServerURL": data.strip(), "Username": "eu", "Secret": {secret:?}}}))
    sys.exit(1)
if action == "list":
    print(json.dumps({{"echo-get.io": "eu"}})); sys.exit(0)
print("cannot " + action + ": " + data)
sys.stderr.write("stderr says: " + data + "\n")
sys.exit(1)
"#,
            log = log.display().to_string(),
        ),
    );
}

#[test]
fn a_sentinel_secret_never_reaches_output_argv_or_environment() {
    let env = TestEnv::new();
    let s = sentinel();
    // A second secret for the echoing helper, with characters JSON escapes,
    // so an echo of the escaped form is caught by its distinctive prefix.
    let s_quoted = format!("{s}-Q\"uo\\ted");
    env.fake_helper("rec");
    env.fake_seed("rec", serde_json::json!({"helper.io": ["hu", s]}));
    echoing_helper(&env, "echo", &s);
    let port = rejecting_registry();
    let rejecting = format!("127.0.0.1:{port}");
    let config = format!(
        r#"{{
	"auths": {{
		"plain.io": {{
			"auth": "{plain}"
		}},
		"tok.io": {{
			"auth": "{tok}",
			"identitytoken": "{s}"
		}},
		"https://index.docker.io/v1/": {{
			"auth": "{hub}"
		}},
		"helper.io": {{}},
		"echo-get.io": {{}}
	}},
	"credHelpers": {{
		"helper.io": "rec",
		"helper2.io": "rec",
		"echo.io": "echo",
		"echo-get.io": "echo"
	}}
}}"#,
        plain = auth("pu", &s),
        tok = auth("<token>", &s),
        hub = auth("hubuser", &s),
    );
    env.write_config(&config);
    common::set_mode(&env.config_path(), 0o600);
    common::set_mode(&env.config_dir(), 0o700);

    let mut forbidden = vec![s.clone()];
    for user in ["pu", "<token>", "hubuser", "hu", "u", "eu"] {
        forbidden.push(auth(user, &s));
        forbidden.push(auth(user, &s_quoted));
    }
    let mut l = Leaks {
        forbidden,
        runs: Vec::new(),
    };

    // Read-only commands, every output flag.
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["audit"],
        &["audit", "--json"],
        &["audit", "--deep"],
        &["audit", "--deep", "--json"],
        &["fix-perms", "--check"],
        &["fix-perms"],
        &["get", "plain.io", "--username"],
        &["get", "helper.io", "--username"],
        &["completions", "bash"],
        &["migrate", "--dry-run"],
        &["migrate", "--dry-run", "--json"],
        &["logout", "--all", "--dry-run", "--json"],
    ] {
        l.run(&env, args, "");
    }
    // The commands made to print a secret, to a pipe: they must.
    for reg in ["plain.io", "helper.io"] {
        let out = env.cmd().args(["get", reg]).output().unwrap();
        assert!(out.status.success(), "get {reg}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&s),
            "get {reg} to a pipe did not print the secret: {text}"
        );
    }

    // Logins: into the file, into a helper, and failing ones.
    let pw = format!("{s}\n");
    let r = l.run(
        &env,
        &[
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "new.io",
        ],
        &pw,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = l.run(
        &env,
        &[
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "helper2.io",
        ],
        &pw,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // The recording helper got the secret (on stdin): a leak into its argv
    // or environment would be seen.
    let db = env.fake_db("rec");
    assert_eq!(db["helper2.io"], serde_json::json!(["u", s]), "{db}");
    let r = l.run(
        &env,
        &["login", "-u", "u", "--password-stdin", &rejecting],
        &pw,
    );
    assert_eq!(
        r.code,
        Some(1),
        "the registry rejects every login: {}",
        r.stderr
    );
    let r = l.run(
        &env,
        &[
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "echo.io",
        ],
        &format!("{s_quoted}\n"),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("docker-credential-echo store failed"),
        "{}",
        r.stderr
    );
    // A helper that fails `get` while printing the credential it holds.
    let r = l.run(&env, &["get", "echo-get.io"], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let r = l.run(&env, &["get", "echo-get.io", "--username"], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    l.run(&env, &["audit", "--deep"], "");
    l.run(&env, &["list", "--json"], "");

    // Moving the plaintext into the recording helper, then logging out.
    let r = l.run(&env, &["migrate", "--store", "rec", "--json"], "");
    assert!(r.code.is_some(), "{}", r.stderr);
    l.run(&env, &["list", "--json"], "");
    l.run(&env, &["audit", "--deep", "--json"], "");
    l.run(&env, &["logout", "new.io"], "");
    l.run(&env, &["logout", "--all", "--json"], "");
    l.run(&env, &["list"], "");

    let mut found = Vec::new();
    for r in &l.runs {
        for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            let leaks = l.leaks_in(text);
            if !leaks.is_empty() {
                found.push(format!(
                    "`dockercfg {}` (exit {:?}) {name} has {leaks:?}: {text}",
                    r.what, r.code
                ));
            }
        }
    }
    // Every helper call's argv and environment, as the helpers logged them.
    let mut calls = 0;
    for helper in ["rec", "echo"] {
        for line in env.fake_log(helper).lines() {
            calls += 1;
            let leaks = l.leaks_in(line);
            if !leaks.is_empty() {
                found.push(format!(
                    "docker-credential-{helper}'s argv or environment has {leaks:?}: {line}"
                ));
            }
        }
    }
    assert!(calls >= 10, "the helpers were hardly called ({calls})");
    assert!(found.is_empty(), "the secret leaked:\n{}", found.join("\n"));
}
