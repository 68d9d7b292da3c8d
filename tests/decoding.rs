//! The file read exactly as docker reads it (docs/COMPAT-DECODING.md), each
//! rule checked against the real docker client: what docker sends to a
//! registry is what dockercfg lists, exports and migrates.
//!
//! The registry here is a stand-in on 127.0.0.1 that challenges with Basic
//! auth and records the exact bytes of each credential docker sends (a
//! password need not be UTF-8, which htpasswd and docker-registry cannot be
//! given). `docker manifest inspect --insecure` needs no daemon.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::real::{docker, docker_client, require};
use common::TestEnv;
use serde_json::{json, Value};

/// A Basic-auth registry stand-in recording every credential it is sent.
struct Capture {
    addr: String,
    got: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Capture {
    fn start() -> Capture {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        // The thread ends with the test binary; it holds no process.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = answer(stream, &sink);
            }
        });
        Capture { addr, got }
    }

    /// The credentials docker sent (`user:password` bytes), deduplicated.
    fn sent(&self) -> Vec<Vec<u8>> {
        let mut v = self.got.lock().unwrap().clone();
        v.dedup();
        v
    }
}

fn answer(mut stream: TcpStream, sink: &Mutex<Vec<Vec<u8>>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut first = [0u8; 1];
    stream.peek(&mut first)?;
    if first[0] == 0x16 {
        // A TLS hello: answer as Go's http server does, so docker falls back
        // to plain HTTP for this insecure registry.
        stream.write_all(
            b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n",
        )?;
        return Ok(());
    }
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut auth = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("authorization") {
                auth = value.trim().strip_prefix("Basic ").map(str::to_string);
            }
        }
    }
    match auth {
        Some(b) => {
            sink.lock().unwrap().push(STANDARD.decode(b).unwrap_or_default());
            stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
        None => stream.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"t\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
    }
}

/// What docker sends to `cap` with config.json `text` in `env`'s config dir.
fn docker_sends(env: &TestEnv, cap: &Capture, text: &str) -> (Vec<Vec<u8>>, Output) {
    env.write_config(text);
    let image = format!("{}/team/app:v1", cap.addr);
    cap.got.lock().unwrap().clear();
    let out = docker(
        &env.config_dir(),
        &["manifest", "inspect", "--insecure", &image],
        &[],
        "",
    );
    (cap.sent(), out)
}

fn dcfg(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd().args(args).output().unwrap()
}

/// `user:password` of `registry` as `dockercfg export` writes it.
fn exported(env: &TestEnv, registry: &str) -> Option<Vec<u8>> {
    let out = dcfg(env, &["export", "--registry", registry]);
    if !out.status.success() {
        return None;
    }
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let auth = v["auths"].as_object()?.values().next()?["auth"]
        .as_str()?
        .to_string();
    Some(STANDARD.decode(auth).unwrap())
}

fn list(env: &TestEnv) -> Vec<Value> {
    let out = dcfg(env, &["list", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn b64(b: &[u8]) -> String {
    STANDARD.encode(b)
}

fn entry(addr: &str, auth: &str) -> String {
    format!(r#"{{"auths": {{"{addr}": {{"auth": "{auth}"}}}}}}"#)
}

/// For each config: docker sends `want` (None: nothing), and dockercfg
/// exports exactly that and lists the username (or reports the entry).
fn agree(cases: &[(&str, String, Option<&[u8]>)]) {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let cap = Capture::start();
    for (name, text, want) in cases {
        let env = TestEnv::new();
        let text = text.replace("ADDR", &cap.addr);
        let (sent, out) = docker_sends(&env, &cap, &text);
        let docker_err = String::from_utf8_lossy(&out.stderr).to_string();
        match want {
            Some(w) => assert_eq!(sent, [w.to_vec()], "{name}: docker sent\n{docker_err}"),
            None => assert!(sent.is_empty(), "{name}: docker sent {sent:?}"),
        }
        let ours = exported(&env, &cap.addr);
        assert_eq!(ours.as_deref(), *want, "{name}: dockercfg export");
        let rows = list(&env);
        let row = rows.iter().find(|r| r["registry"] == cap.addr.as_str());
        match want {
            Some(w) => {
                let user = w.split(|b| *b == b':').next().unwrap();
                let row = row.unwrap_or_else(|| panic!("{name}: not listed: {rows:?}"));
                assert_eq!(
                    row["username"],
                    String::from_utf8_lossy(user).as_ref(),
                    "{name}"
                );
                assert_eq!(row["error"], Value::Null, "{name}");
            }
            None => {
                let row = row.unwrap_or_else(|| panic!("{name}: not listed: {rows:?}"));
                assert!(row["error"].is_string(), "{name}: {row}");
            }
        }
    }
}

/// Rule 1: `\r` and `\n` anywhere in `auth` are skipped.
#[test]
fn rule1_wrapped_base64_is_read_as_docker_reads_it() {
    let a = b64(b"wrapuser:a-long-password-pasted-by-a-script-that-wraps");
    agree(&[
        (
            "crlf",
            entry("ADDR", &format!("{}\\r\\n{}", &a[..12], &a[12..])),
            Some(b"wrapuser:a-long-password-pasted-by-a-script-that-wraps"),
        ),
        (
            "lf-at-end",
            entry("ADDR", &format!("{a}\\n")),
            Some(b"wrapuser:a-long-password-pasted-by-a-script-that-wraps"),
        ),
    ]);
}

/// Rule 2: any other whitespace is an error, for docker and for dockercfg.
#[test]
fn rule2_spaces_around_auth_are_refused_as_docker_refuses_them() {
    let a = b64(b"me:pw");
    agree(&[
        ("leading space", entry("ADDR", &format!(" {a}")), None),
        ("trailing tab", entry("ADDR", &format!("{a}\\t")), None),
    ]);
}

/// Rule 3: padding is required, bits after the last byte are ignored.
#[test]
fn rule3_padding_and_trailing_bits_as_go() {
    agree(&[
        ("no padding", entry("ADDR", "YTpiYw"), None),
        ("trailing bits", entry("ADDR", "YTpiYx=="), Some(b"a:bc")),
    ]);
}

/// Rule 5: NULs are trimmed from both ends of the password.
#[test]
fn rule5_nul_bytes_trimmed_from_both_ends() {
    agree(&[(
        "nul",
        entry("ADDR", &b64(b"nuluser:\0\0p\0w\0")),
        Some(b"nuluser:p\0w"),
    )]);
}

/// Rule 6: a password of any bytes reaches the registry exactly; migrate
/// refuses to move it (a helper would get it changed) and keeps the
/// routing, so docker still sends it.
#[test]
fn rule6_a_password_that_is_not_utf8_is_kept_and_never_migrated() {
    let want: &[u8] = b"binuser:pa\xff\xfess";
    agree(&[("binary", entry("ADDR", &b64(want)), Some(want))]);
    let Some(_) = require(docker_client()) else {
        return;
    };
    let cap = Capture::start();
    let env = TestEnv::new();
    // A store that would accept anything: the fake helper of tests/common.
    env.fake_helper("fake");
    let text = entry(&cap.addr, &b64(want));
    env.write_config(&text);
    let out = dcfg(&env, &["migrate", "--store", "fake"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("not UTF-8"));
    assert_eq!(env.read_config(), text, "the file is unchanged");
    assert_eq!(env.fake_db("fake"), json!({}));
    let (sent, _) = docker_sends(&env, &cap, &text);
    assert_eq!(sent, [want.to_vec()]);
    // get cannot print it in JSON unchanged: it says so.
    let out = dcfg(&env, &["get", &cap.addr]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    assert!(out.stdout.is_empty());
}

/// Rule 7: a lone surrogate escape in a field docker ignores is accepted.
#[test]
fn rule7_lone_surrogate_in_an_ignored_field() {
    let a = b64(b"suruser:pw");
    agree(&[(
        "surrogate",
        format!(r#"{{"auths": {{"ADDR": {{"auth": "{a}", "email": "\ud800"}}}}, "x": "\udc00"}}"#),
        Some(b"suruser:pw"),
    )]);
}

/// Rule 1 with migrate: a wrapped `auth` moves into the store (it was
/// skipped, and credsStore set anyway, before #12).
#[test]
fn wrapped_auth_migrates_and_docker_sends_the_same() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let cap = Capture::start();
    let env = TestEnv::new();
    env.fake_helper("fake");
    let a = b64(b"wrapuser:wrapped-secret-0123456789");
    let text = entry(&cap.addr, &format!("{}\\n{}", &a[..10], &a[10..]));
    env.write_config(&text);
    let out = dcfg(&env, &["migrate", "--store", "fake"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        env.fake_db("fake"),
        json!({cap.addr.clone(): ["wrapuser", "wrapped-secret-0123456789"]})
    );
    assert_eq!(env.config_json()["credsStore"], "fake");
}

// ---------------------------------------------------------------------------
// Rule 8: repeated keys and objects, as Go decodes them into one map

/// Two top-level `auths` objects merge; within the merge the last value of
/// a key wins; `"auths": null` empties what came before.
#[test]
fn rule8_repeated_auths_objects_merge_as_docker_reads_them() {
    let x = b64(b"dupuser:first");
    let y = b64(b"dupuser:second");
    agree(&[
        (
            "two objects",
            format!(
                r#"{{"auths": {{"ADDR": {{"auth": "{x}"}}}}, "psFormat": "x", "auths": {{"other.io": {{}}}}}}"#
            ),
            Some(b"dupuser:first"),
        ),
        (
            "repeated across objects",
            format!(
                r#"{{"auths": {{"ADDR": {{"auth": "{x}"}}}}, "auths": {{"ADDR": {{"auth": "{y}"}}}}}}"#
            ),
            Some(b"dupuser:second"),
        ),
        (
            "repeated in one object",
            format!(
                r#"{{"auths": {{"ADDR": {{"auth": "{y}"}}, "b.io": {{}}, "ADDR": {{"auth": "{x}"}}}}}}"#
            ),
            Some(b"dupuser:first"),
        ),
    ]);
}

/// A config whose registry is written three times in two `auths` objects.
fn duplicated(addr: &str) -> String {
    let x = b64(b"dupuser:first");
    let y = b64(b"dupuser:second");
    format!(
        "{{\n\t\"auths\": {{\n\t\t\"{addr}\": {{\"auth\": \"{x}\"}},\n\t\t\"keep.io\": {{}},\n\t\t\"{addr}\": {{\"auth\": \"{y}\"}}\n\t}},\n\t\"auths\": {{\n\t\t\"{addr}\": {{\"auth\": \"{x}\"}}\n\t}}\n}}"
    )
}

/// logout (one registry, and --all) removes every copy: docker then sends
/// nothing, and no copy of the secret is left in the file.
#[test]
fn rule8_logout_removes_every_duplicate() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let cap = Capture::start();
    for args in [vec!["logout", cap.addr.as_str()], vec!["logout", "--all"]] {
        let env = TestEnv::new();
        env.write_config(&duplicated(&cap.addr));
        let out = dcfg(&env, &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = env.read_config();
        assert!(!text.contains(&cap.addr), "{args:?}: {text}");
        let (sent, _) = docker_sends(&env, &cap, &text);
        assert!(sent.is_empty(), "{args:?}: docker still sends {sent:?}");
    }
}

/// migrate replaces every copy: no plaintext is left behind the helper.
#[test]
fn rule8_migrate_replaces_every_duplicate() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    env.write_config(&duplicated("dup.io"));
    let out = dcfg(&env, &["migrate", "--store", "fake"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.fake_db("fake"), json!({"dup.io": ["dupuser", "first"]}));
    let text = env.read_config();
    assert!(!text.contains("auth\""), "{text}");
    assert_eq!(text.matches("dup.io").count(), 1, "{text}");
    // list sees what docker sees: one row each.
    let rows = list(&env);
    assert_eq!(rows.len(), 2, "{rows:?}");
}

/// audit reports repeated keys and objects, and its fix works.
#[test]
fn rule8_audit_reports_duplicates_with_a_working_fix() {
    let env = TestEnv::new();
    env.write_config(&duplicated("dup.io"));
    let out = dcfg(&env, &["audit", "--json"]);
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let dups: Vec<&Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "duplicate-key")
        .collect();
    assert_eq!(dups.len(), 2, "{findings}");
    let key = dups
        .iter()
        .find(|f| f["registry"] == "dup.io")
        .expect("dup.io");
    assert!(
        key["message"].as_str().unwrap().contains("3 times"),
        "{key}"
    );
    let fix = key["fix"].as_str().unwrap();
    let fix = fix.split("   #").next().unwrap();
    let run = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .env("HOME", env.home())
        .env(
            "PATH",
            format!(
                "{}:{}",
                assert_cmd::cargo::cargo_bin("dockercfg")
                    .parent()
                    .unwrap()
                    .display(),
                env.path_var()
            ),
        )
        .env_remove("DOCKER_CONFIG")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{fix}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = dcfg(&env, &["audit", "--json"]);
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "duplicate-key" && f["registry"] == "dup.io"),
        "{findings}"
    );
}

// ---------------------------------------------------------------------------
// Rule 9: what follows the JSON value; rule 10: CRLF files

/// docker reads the first JSON value and ignores the bytes after it.
#[test]
fn rule9_trailing_bytes_after_the_json_value_are_ignored() {
    let a = b64(b"tailuser:pw");
    agree(&[(
        "garbage after",
        format!("{{\"auths\": {{\"ADDR\": {{\"auth\": \"{a}\"}}}}}}\n}} garbage {{"),
        Some(b"tailuser:pw"),
    )]);
    // An edit keeps them as they are (dockercfg changes only what it must).
    let env = TestEnv::new();
    let text = format!("{{\"auths\": {{\"a.io\": {{\"auth\": \"{a}\"}}}}}}\n}} garbage {{");
    env.write_config(&text);
    let out = dcfg(&env, &["logout", "a.io"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.read_config(), "{\"auths\": {}}\n} garbage {");
}

/// A file with CRLF line endings gets CRLF in what dockercfg inserts.
#[test]
fn rule10_crlf_files_keep_crlf_for_new_entries() {
    let env = TestEnv::new();
    env.write_config(
        "{\r\n\t\"auths\": {\r\n\t\t\"a.io\": {}\r\n\t},\r\n\t\"psFormat\": \"x\"\r\n}\r\n",
    );
    let out = env
        .cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "me",
            "--password-stdin",
            "b.io",
        ])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let env2 = TestEnv::new();
    env2.write_config("{\r\n\t\"psFormat\": \"x\"\r\n}");
    let out = env2
        .cmd()
        .args([
            "login",
            "--no-verify",
            "-u",
            "me",
            "--password-stdin",
            "c.io",
        ])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for e in [&env, &env2] {
        let text = e.read_config();
        assert!(text.contains("\"auth\""), "{text}");
        let bare = text
            .match_indices('\n')
            .filter(|(i, _)| text.as_bytes()[i - 1] != b'\r')
            .count();
        assert_eq!(bare, 0, "a bare LF in {text:?}");
    }
}

// ---------------------------------------------------------------------------
// Rule 11: keys in any letter case, as Go matches keys to struct fields

/// Configs whose only login for `addr` (alice / s3cret-pw) is under keys
/// that are not written as docker writes them.
fn case_variants(addr: &str) -> Vec<(&'static str, String)> {
    let good = common::auth("alice", "s3cret-pw");
    let wrong = common::auth("alice", "wrong-pw");
    vec![
        (
            "Auths and Auth",
            format!(r#"{{"Auths": {{"{addr}": {{"Auth": "{good}"}}}}, "psFormat": "x"}}"#),
        ),
        (
            // U+017F, the long s, folds onto s in Go's encoding/json.
            "long s, Username and PASSWORD",
            format!(
                r#"{{"AUTH\u017f": {{"{addr}": {{"Username": "alice", "PASSWORD": "s3cret-pw"}}}}}}"#
            ),
        ),
        (
            // Merged with `auths`, the last copy wins; `null` leaves a field.
            "auths then AUTHS",
            format!(
                r#"{{"auths": {{"{addr}": {{"auth": "{wrong}"}}, "keep.io": {{}}}}, "AUTHS": {{"{addr}": {{"auth": "{good}", "AUTH": null}}}}}}"#
            ),
        ),
    ]
}

/// docker pulls from the real registry with a login it finds under `Auths`,
/// `AUTHſ` or an entry's `Auth` / `Username`; dockercfg `get` and `list`
/// report that login, and `dockercfg logout` leaves docker logged out.
#[test]
fn rule11_keys_in_any_letter_case_are_read_as_docker_reads_them() {
    if require(docker_client()).is_none() {
        return;
    }
    let Some(reg) = require(common::real::Registry::start("alice", "s3cret-pw")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let image = format!("{}/team/app:v1", reg.addr);
    let inspect = |env: &TestEnv| {
        docker(
            &env.config_dir(),
            &["manifest", "inspect", "--insecure", &image],
            &[],
            "",
        )
    };
    for (name, text) in case_variants(&reg.addr) {
        let env = TestEnv::new();
        env.write_config(&text);
        common::set_mode(&env.config_path(), 0o600);
        common::set_mode(&env.config_dir(), 0o700);
        let out = inspect(&env);
        assert!(out.status.success(), "{name}: docker refused: {out:?}");

        let got = dcfg(&env, &["get", &reg.addr]);
        assert!(got.status.success(), "{name}: get: {got:?}");
        let v: Value = serde_json::from_slice(&got.stdout).unwrap();
        assert_eq!(
            (v["Username"].as_str(), v["Secret"].as_str()),
            (Some("alice"), Some("s3cret-pw")),
            "{name}"
        );
        let rows = list(&env);
        let row = rows
            .iter()
            .find(|r| r["registry"] == reg.addr.as_str())
            .unwrap_or_else(|| panic!("{name}: not listed: {rows:?}"));
        assert_eq!(row["username"], "alice", "{name}: {row}");
        assert_eq!(row["error"], Value::Null, "{name}: {row}");

        let out = dcfg(&env, &["logout", &reg.addr]);
        assert!(out.status.success(), "{name}: logout: {out:?}");
        let after = env.read_config();
        assert!(!after.contains(&reg.addr), "{name}: {after}");
        // Everything else is kept as it was.
        if name == "auths then AUTHS" {
            assert!(
                after.contains("\"keep.io\": {}") && after.contains("\"AUTHS\""),
                "{after}"
            );
        }
        let out = inspect(&env);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success()
                && (err.contains("no basic auth credentials") || err.contains("unauthorized")),
            "{name}: docker still logged in after dockercfg logout: {out:?}"
        );

        // A login goes into the object docker reads: no second `auths`
        // beside `Auths`.
        let out = env
            .cmd()
            .args([
                "login",
                "--no-verify",
                "-u",
                "alice",
                "--password-stdin",
                &reg.addr,
            ])
            .write_stdin("s3cret-pw\n")
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: login: {out:?}");
        let text = env.read_config();
        if name == "Auths and Auth" {
            assert!(!text.contains("\"auths\""), "{name}: {text}");
        }
        let out = inspect(&env);
        assert!(
            out.status.success(),
            "{name}: docker refused after login: {out:?}\n{text}"
        );
    }
}

/// `credsstore` and `CredHelpers` route as `credsStore` and `credHelpers`
/// do for docker: `get` asks their helper, `logout` erases from it, and
/// `store set` / `store clear` edit the key docker reads, not a new one.
#[test]
fn rule11_store_keys_in_any_letter_case_route_and_are_edited_in_place() {
    let env = TestEnv::new();
    for name in ["fake", "other"] {
        env.fake_helper(name);
    }
    std::fs::write(
        env.home().join("fake-fake.json"),
        json!({"a.io": ["u", "p"], "b.io": ["v", "q"]}).to_string(),
    )
    .unwrap();
    env.write_config(
        r#"{"Auths": {"a.io": {}}, "credsstore": "fake", "x": 1, "CredHelpers": {"b.io": "fake"}}"#,
    );
    for (reg, user) in [("a.io", "u"), ("b.io", "v")] {
        let got = dcfg(&env, &["get", reg]);
        let v: Value = serde_json::from_slice(&got.stdout).unwrap_or_else(|_| panic!("{got:?}"));
        assert_eq!(v["Username"], user, "{reg}: {v}");
    }
    let out = dcfg(&env, &["store", "set", "--registry", "b.io", "other"]);
    assert!(out.status.success(), "{out:?}");
    let out = dcfg(&env, &["store", "set", "other"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        env.read_config(),
        r#"{"Auths": {"a.io": {}}, "credsstore": "other", "x": 1, "CredHelpers": {"b.io": "other"}}"#
    );
    assert_eq!(env.fake_db("other")["a.io"], json!(["u", "p"]));
    let out = dcfg(&env, &["logout", "a.io"]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        env.fake_db("other").get("a.io").is_none(),
        "{}",
        env.fake_db("other")
    );
    let out = dcfg(&env, &["store", "clear"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        env.read_config(),
        r#"{"Auths": {}, "x": 1, "CredHelpers": {"b.io": "other"}}"#
    );
}

/// containers/image (skopeo here) reads `Auths` and an entry's `Auth` too,
/// and so does `dockercfg --authfile`; its logout leaves skopeo logged out.
#[test]
fn rule11_skopeo_reads_keys_in_any_letter_case() {
    if require(common::real::skopeo_client()).is_none() {
        return;
    }
    let Some(reg) = require(common::real::Registry::start("alice", "s3cret-pw")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let env = TestEnv::new();
    let file = env.home().join("auth.json");
    let good = common::auth("alice", "s3cret-pw");
    std::fs::write(
        &file,
        format!(r#"{{"Auths": {{"{}": {{"Auth": "{good}"}}}}}}"#, reg.addr),
    )
    .unwrap();
    let authfile = file.display().to_string();
    let image = format!("docker://{}/team/app:v1", reg.addr);
    let inspect = || {
        common::real::skopeo(
            env.home(),
            &[
                "inspect",
                "--raw",
                "--tls-verify=false",
                "--authfile",
                &authfile,
                &image,
            ],
            "",
        )
    };
    let out = inspect();
    assert!(out.status.success(), "skopeo refused: {out:?}");
    let got = dcfg(&env, &["--authfile", &authfile, "get", &reg.addr]);
    let v: Value = serde_json::from_slice(&got.stdout).unwrap_or_else(|_| panic!("{got:?}"));
    assert_eq!(v["Secret"], "s3cret-pw", "{v}");
    let out = dcfg(&env, &["--authfile", &authfile, "logout", &reg.addr]);
    assert!(out.status.success(), "{out:?}");
    let out = inspect();
    assert!(!out.status.success(), "skopeo still logged in: {out:?}");
}
