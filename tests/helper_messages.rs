//! What dockercfg passes on from a failing helper (#12): never a secret it
//! holds for the registry, even outside a `"Secret"` field, never more than
//! a capped line; and a helper whose interpreter is missing is reported as
//! such, not as "not installed".
mod common;

use common::{auth, TestEnv};
use serde_json::json;

const FILE_SECRET: &str = "file-S3cret%with spaces";
const LOGIN_SECRET: &str = "login-S3cret\"quoted\\";

/// `docker-credential-leaky`: `list` answers `{}` unless `fail_list`; every
/// other action (and then `list`) fails quoting each of `secrets` in free
/// text, as it is and as JSON escapes it, on two lines.
fn leaky_helper(env: &TestEnv, fail_list: bool, secrets: &[&str]) {
    let list = if fail_list {
        String::new()
    } else {
        "[ \"$1\" = list ] && { echo '{}'; exit 0; }\n".into()
    };
    let mut lines = String::new();
    for s in secrets {
        let json = serde_json::to_string(s).unwrap();
        // The first line is what is passed on: the cap falls inside a secret.
        lines.push_str(&format!(
            " 'boom: {} last secret was {s}, stored as {json}'",
            "x".repeat(260)
        ));
        lines.push_str(&format!(" 'second line {s}'"));
    }
    let body =
        format!("#!/bin/sh\nwhile read -r _; do :; done\n{list}printf '%s\\n'{lines}\nexit 1\n");
    env.script_helper("leaky", &body);
}

fn assert_no_secret(what: &str, out: &std::process::Output, secrets: &[&str]) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for s in secrets {
        let escaped = serde_json::to_string(s).unwrap();
        for s in [*s, &escaped[1..escaped.len() - 1]] {
            assert!(!text.contains(s), "{what} shows a secret: {text}");
        }
    }
    // Nor a piece of one cut by the length cap or a line break.
    assert!(!text.contains("S3cret"), "{what}: {text}");
    assert!(text.contains("<redacted>"), "{what}: {text}");
}

#[test]
fn login_into_a_store_redacts_the_sent_and_the_file_secret() {
    let env = TestEnv::new();
    leaky_helper(&env, false, &[FILE_SECRET, LOGIN_SECRET]);
    // A stale plaintext entry for the same registry behind credsStore.
    env.write_config(
        &json!({ "auths": { "r.io": { "auth": auth("u", FILE_SECRET) } }, "credsStore": "leaky" })
            .to_string(),
    );
    let before = env.read_config();
    let out = env
        .cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "u",
            "--password-stdin",
            "r.io",
        ])
        .write_stdin(format!("{LOGIN_SECRET}\n"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_no_secret("login", &out, &[FILE_SECRET, LOGIN_SECRET]);
    assert_eq!(env.read_config(), before);
}

#[test]
fn get_and_logout_redact_the_file_secret() {
    let env = TestEnv::new();
    leaky_helper(&env, false, &[FILE_SECRET]);
    env.write_config(
        &json!({ "auths": { "r.io": { "auth": auth("u", FILE_SECRET) } }, "credsStore": "leaky" })
            .to_string(),
    );
    let out = env.cmd().args(["get", "r.io"]).output().unwrap();
    assert!(!out.status.success());
    assert_no_secret("get", &out, &[FILE_SECRET]);

    leaky_helper(&env, true, &[FILE_SECRET]);
    let out = env.cmd().args(["logout", "r.io"]).output().unwrap();
    assert!(!out.status.success());
    assert_no_secret("logout", &out, &[FILE_SECRET]);
    let out = env.cmd().args(["list"]).output().unwrap();
    assert_no_secret("list", &out, &[FILE_SECRET]);
}

#[test]
fn migrate_redacts_the_secret_it_moves() {
    for fail_list in [false, true] {
        let env = TestEnv::new();
        leaky_helper(&env, fail_list, &[FILE_SECRET]);
        env.write_config(
            &json!({ "auths": { "r.io": { "auth": auth("u", FILE_SECRET) } } }).to_string(),
        );
        let out = env
            .cmd()
            .args(["migrate", "--store", "leaky"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "fail_list {fail_list}");
        assert_no_secret(
            &format!("migrate (list fails: {fail_list})"),
            &out,
            &[FILE_SECRET],
        );
    }
}

#[test]
fn a_long_helper_message_is_capped() {
    let env = TestEnv::new();
    env.script_helper(
        "chatty",
        &format!(
            "#!/bin/sh\nwhile read -r _; do :; done\necho 'chatty: {}END'\nexit 1\n",
            "x".repeat(2000)
        ),
    );
    env.write_config(r#"{"auths": {"r.io": {}}, "credsStore": "chatty"}"#);
    let out = env.cmd().args(["get", "r.io"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("chatty: xxx") && stderr.contains('…'),
        "{stderr}"
    );
    assert!(!stderr.contains("END") && stderr.len() < 600, "{stderr}");
}

#[test]
fn a_helper_whose_interpreter_is_missing_is_not_called_missing() {
    let env = TestEnv::new();
    let path = env.script_helper("broken", "#!/nonexistent/python\nprint('hi')\n");
    env.write_config(r#"{"auths": {"r.io": {}}, "credsStore": "broken"}"#);
    let want = format!(
        "docker-credential-broken exists at {} but cannot run: its interpreter /nonexistent/python is missing",
        path.display()
    );
    let out = env.cmd().args(["get", "r.io"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&want), "{stderr}");
    assert!(!stderr.contains("not installed"), "{stderr}");

    let out = env.cmd().args(["audit", "--json"]).output().unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains(&want))
        .expect("a finding names the interpreter");
    assert_eq!(f["code"], "helper-error");

    // A helper that is really absent is still "not installed".
    env.write_config(r#"{"auths": {"r.io": {}}, "credsStore": "absent"}"#);
    let out = env.cmd().args(["get", "r.io"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("docker-credential-absent is not installed"),
        "{stderr}"
    );
}
