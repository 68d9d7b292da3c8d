//! Completions that know the data (#14), driven through bash itself: the
//! script `dockercfg completions bash` prints is sourced, COMP_WORDS and
//! COMP_CWORD are set as bash sets them on <TAB>, and the function it
//! registered fills COMPREPLY by calling the binary back.
mod common;

use common::{auth, TestEnv};
use serde_json::json;

/// COMPREPLY for `words` with the cursor on the last word.
fn complete(env: &TestEnv, words: &[&str]) -> Vec<String> {
    let script = env.home().join("dockercfg.bash");
    let out = env.cmd().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    std::fs::write(&script, &out.stdout).unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("dockercfg")
        .parent()
        .unwrap()
        .to_path_buf();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let body = format!(
        r#"source {script}
fn=$(complete -p dockercfg | sed -E 's/.*-F ([^ ]+) .*/\1/')
COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_TYPE=9
COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}
"$fn" dockercfg "${{COMP_WORDS[$COMP_CWORD]}}" "${{COMP_WORDS[$COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script = script.display(),
        words = quoted.join(" "),
    );
    let out = std::process::Command::new("/bin/bash")
        .args(["--norc", "--noprofile", "-c", &body])
        .env("HOME", env.home())
        .env_remove("DOCKER_CONFIG")
        .env(
            "PATH",
            format!(
                "{}:{}:/usr/bin:/bin",
                bin_dir.display(),
                env.bin_dir().display()
            ),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn env_with_logins() -> TestEnv {
    let env = TestEnv::new();
    env.write_config(
        &json!({ "auths": {
            "ghcr.io": { "auth": auth("octo", "pw") },
            "gitlab.example.com:5050": { "auth": auth("g", "pw") },
            "quay.io": { "auth": auth("q", "pw") },
        }})
        .to_string(),
    );
    env
}

#[test]
fn subcommands_complete() {
    let env = env_with_logins();
    let got = complete(&env, &["dockercfg", "lo"]);
    assert!(got.contains(&"login".to_string()), "{got:?}");
    assert!(got.contains(&"logout".to_string()), "{got:?}");
}

#[test]
fn logout_get_and_explain_complete_the_files_registries() {
    let env = env_with_logins();
    for cmd in ["logout", "get", "explain", "login"] {
        let got = complete(&env, &["dockercfg", cmd, "g"]);
        assert!(got.contains(&"ghcr.io".to_string()), "{cmd}: {got:?}");
        assert!(
            got.contains(&"gitlab.example.com:5050".to_string()),
            "{cmd}: {got:?}"
        );
        assert!(!got.contains(&"quay.io".to_string()), "{cmd}: {got:?}");
    }
}

#[test]
fn store_names_include_every_helper_on_path() {
    let env = env_with_logins();
    env.fake_helper("acme-vault");
    let got = complete(&env, &["dockercfg", "migrate", "--store", ""]);
    for want in [
        "pass",
        "secretservice",
        "osxkeychain",
        "wincred",
        "desktop",
        "acme-vault",
    ] {
        assert!(got.contains(&want.to_string()), "{want}: {got:?}");
    }
    // Not file names from the current directory.
    assert!(!got.iter().any(|g| g.contains('/')), "{got:?}");
}
