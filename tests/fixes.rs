//! Commands dockercfg prints for the user to run (audit's fixes) are quoted
//! for a POSIX shell (#12): whatever a registry key or the --config path
//! holds, a fix run with `sh -c` runs dockercfg once, with that key as one
//! argument byte for byte, and nothing else.
//!
//! - `fix_passes_any_key_as_one_argument` (proptest): any key (quotes, `;`,
//!   `$`, backticks, newlines, ESC, bidi overrides, any unicode but NUL, which
//!   no argument can carry) and a hostile --config path, against a stub
//!   `dockercfg` that records its argv; PATH holds nothing else.
//! - `printed_fixes_run_for_real_and_clear_their_findings`: the real binary,
//!   a config of hostile keys, every fix run by `sh -c` as printed (JSON and
//!   the table), then a second audit: the findings are gone, a login the
//!   fixes do not name is still there, and no marker file was created.
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestEnv;
use dockercfg::commands::audit::audit;
use dockercfg::output::escape;
use dockercfg::Context;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A stub `dockercfg` that writes its argv (NUL-separated) to a new file
/// `call<N>` in `$STUB_DIR`, using shell builtins only.
const STUB: &str = r#"#!/bin/sh
n=0
while [ -e "$STUB_DIR/call$n" ]; do n=$((n+1)); done
for a in "$@"; do printf '%s\000' "$a"; done > "$STUB_DIR/call$n"
"#;

fn stub_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let bin = d.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let stub = bin.join("dockercfg");
    fs::write(&stub, STUB).unwrap();
    common::set_mode(&stub, 0o755);
    fs::create_dir(d.path().join("calls")).unwrap();
    fs::create_dir(d.path().join("cwd")).unwrap();
    d
}

/// Run `fix` with `sh -c` in `stub`'s empty cwd, PATH only the stub: the
/// argv of each dockercfg call, and sh's (stdout, stderr, success).
fn run_with_stub(stub: &Path, fix: &str) -> (Vec<Vec<String>>, String, String, bool) {
    let calls = stub.join("calls");
    for e in fs::read_dir(&calls).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .current_dir(stub.join("cwd"))
        .env_clear()
        .env("PATH", stub.join("bin"))
        .env("STUB_DIR", &calls)
        .output()
        .unwrap();
    let mut n = 0;
    let mut argvs = Vec::new();
    while let Ok(bytes) = fs::read(calls.join(format!("call{n}"))) {
        let text = String::from_utf8(bytes).expect("argv is the UTF-8 we gave");
        let mut words: Vec<String> = text.split('\0').map(str::to_string).collect();
        words.pop(); // after the last NUL
        argvs.push(words);
        n += 1;
    }
    (
        argvs,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

/// Keys made mostly of what a shell or a terminal treats specially.
fn hostile_key() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        4 => prop::sample::select(vec![
            '\'', '"', ';', '$', '`', '\\', '|', '&', '<', '>', '(', ')', '*', '?', '[', '#',
            '~', '-', '%', '!', '{', '}', '=', ' ', '\t', '\n', '\r', '\x1b', '\x07', '\x7f',
            '\u{85}', '\u{9b}', '\u{202e}', '\u{2066}', 'é', '日',
        ]),
        2 => prop::char::range('a', 'z'),
        1 => any::<char>(),
    ];
    prop_oneof![
        3 => prop::collection::vec(special, 1..24).prop_map(|v| v.into_iter().collect()),
        1 => any::<String>(),
    ]
    .prop_map(|s: String| s.replace('\0', ""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fix_passes_any_key_as_one_argument(key in hostile_key(), dir_name in hostile_key()) {
        let home = tempfile::tempdir().unwrap();
        // The --config directory is named by the user: hostile too.
        let dir_name = dir_name.replace('/', "_");
        let dir = home.path().join(format!("d{dir_name}"));
        fs::create_dir(&dir).unwrap();
        let path = dir.join("config.json");
        let config = json!({ "auths": { &key: { "auth": "!!not base64" } } });
        fs::write(&path, config.to_string()).unwrap();
        common::set_mode(&path, 0o600);
        common::set_mode(&dir, 0o700);
        let ctx = Context::new(path.clone(), std::time::Duration::from_secs(5), std::time::Duration::from_secs(5))
            .with_invocation(vec!["--config".into(), dir.to_string_lossy().into_owned()]);

        let findings = audit(&ctx, 0, false);
        let f = findings
            .iter()
            .find(|f| f.code == "undecodable-entry" && f.registry.as_deref() == Some(key.as_str()))
            .unwrap_or_else(|| panic!("no undecodable-entry for {key:?}: {findings:?}"));
        let fix = f.fix.as_deref().expect("a fix");

        let stub = stub_dir();
        let (argvs, stdout, stderr, ok) = run_with_stub(stub.path(), fix);
        let mut want = vec!["--config".to_string(), dir.to_string_lossy().into_owned(), "logout".into()];
        if key.starts_with('-') {
            want.push("--".into());
        }
        want.push(key.clone());
        prop_assert_eq!(argvs, vec![want], "fix: {}", fix);
        prop_assert!(ok && stdout.is_empty() && stderr.is_empty(), "fix {:?}: {} {}", fix, stdout, stderr);
        // Nothing else happened: no file appeared where sh ran.
        prop_assert_eq!(fs::read_dir(stub.path().join("cwd")).unwrap().count(), 0);
        // What the table shows is the same command, with no raw control
        // character, unless a word ends in a newline (which only raw bytes
        // in quotes can give; `audit --json` carries it exactly).
        if !key.ends_with('\n') && !dir.to_string_lossy().ends_with('\n') {
            prop_assert_eq!(escape(fix), fix);
        }
    }
}

/// What each hostile key's entry is, and a marker any injected command
/// would create.
fn hostile_config(marker: &Path) -> (Value, Vec<String>) {
    let m = marker.display();
    let keys: Vec<String> = vec![
        format!("x.io; touch {m} #"),
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("a'b; touch {m}; '"),
        format!("q.io\"; touch {m}; \""),
        "--all".into(),
        format!("esc.io\x1b[2J\r\n$(touch {m})"),
        format!("nl.io\n; touch {m}\n"),
        format!("-rf $(touch {m})"),
    ];
    let mut auths = serde_json::Map::new();
    for k in &keys {
        auths.insert(k.clone(), json!({ "auth": "!!not base64" }));
    }
    auths.insert(
        "good.io".into(),
        json!({ "auth": common::auth("u", "p"), "identitytoken": expired_jwt() }),
    );
    (json!({ "auths": auths }), keys)
}

/// A JWT whose `exp` has passed (audit's expired-token, fix: logout).
fn expired_jwt() -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.sig",
        part(json!({"alg": "none"})),
        part(json!({"exp": 1_000_000_000}))
    )
}

fn audit_json(env: &TestEnv, dir: &Path) -> Vec<Value> {
    let out = env
        .cmd()
        .arg("--config")
        .arg(dir)
        .args(["audit", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// PATH for the fixes: the real binary (as `dockercfg`) first, then the
/// system's, so an injected `touch` would really run.
fn real_path(env: &TestEnv) -> String {
    let bin = env.home().join("realbin");
    fs::create_dir_all(&bin).unwrap();
    let link = bin.join("dockercfg");
    if !link.exists() {
        std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("dockercfg"), &link).unwrap();
    }
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn run_fix(env: &TestEnv, fix: &str) {
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .current_dir(env.home())
        .env("HOME", env.home())
        .env("PATH", real_path(env))
        .env_remove("DOCKER_CONFIG")
        .env_remove("DOCKER_AUTH_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fix {fix:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn printed_fixes_run_for_real_and_clear_their_findings() {
    let env = TestEnv::new();
    let marker: PathBuf = env.home().join("owned");
    // The --config directory's name is hostile too.
    // (`touch owned` would create the marker: fixes run in HOME.)
    let dir = env.home().join("cfg dir; touch owned #");
    fs::create_dir(&dir).unwrap();
    common::set_mode(&dir, 0o700);
    let (config, keys) = hostile_config(&marker);
    let path = dir.join("config.json");
    fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    common::set_mode(&path, 0o600);

    let findings = audit_json(&env, &dir);
    let ours = |f: &&Value| {
        f["registry"]
            .as_str()
            .is_some_and(|r| keys.iter().any(|k| k == r))
    };
    let hostile: Vec<&Value> = findings.iter().filter(ours).collect();
    assert_eq!(hostile.len(), keys.len(), "{findings:#?}");

    // The escape-sequence key's fix as the table prints it (no raw control
    // character in it), the others as --json gives them.
    let esc_key = keys.iter().find(|k| k.contains('\x1b')).unwrap();
    let table = env
        .cmd()
        .arg("--config")
        .arg(&dir)
        .arg("audit")
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(!table.contains('\x1b') && !table.contains('\r'), "{table}");
    let printed = table
        .lines()
        .find(|l| l.contains("undecodable-entry") && l.contains("esc.io"))
        .expect("the escape key's row");
    let from = printed.find("dockercfg --config").unwrap();
    let table_fix = &printed[from..];
    assert!(table_fix.contains("\"$(printf '"), "{table_fix}");
    run_fix(&env, table_fix);
    assert!(!audit_json(&env, &dir)
        .iter()
        .any(|f| f["registry"].as_str() == Some(esc_key.as_str())));

    for f in &hostile {
        if f["registry"].as_str() == Some(esc_key.as_str()) {
            continue;
        }
        run_fix(&env, f["fix"].as_str().expect("a fix"));
    }
    let after = audit_json(&env, &dir);
    assert!(!after.iter().any(|f| ours(&f)), "{after:#?}");
    assert!(!marker.exists(), "an injected command ran");
    // `--all` as a key was logged out as that key, not as the option.
    let left: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let left: Vec<&String> = left["auths"].as_object().unwrap().keys().collect();
    assert_eq!(left, vec!["good.io"]);

    // The expired token's fix (logout good.io, then log in again) too.
    let expired = after
        .iter()
        .find(|f| f["code"] == "expired-token")
        .expect("good.io's token expired");
    run_fix(&env, expired["fix"].as_str().unwrap());
    assert!(!marker.exists());
    assert!(!audit_json(&env, &dir)
        .iter()
        .any(|f| f["code"] == "expired-token"));
}
