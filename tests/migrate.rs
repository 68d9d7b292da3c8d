//! `migrate`: plaintext logins move into helpers, verified, without ever
//! losing one: fault injection with fake helpers, SIGKILL at random points,
//! the flags, the JSON schema, secrets, and real `pass` / Secret Service
//! stores with the docker client.
mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::real::{docker, docker_client, require, PassStore, Registry, SecretService};
use common::{auth, mode_of, TestEnv};
use predicates::prelude::*;
use serde_json::{json, Value};

const SENTINEL: &str = "S3NT1NEL-migrate:pw";
const TIMEOUT: Duration = Duration::from_secs(120);

/// The common fake helper, made safe for parallel calls: its `store` is a
/// read-modify-write of one JSON file through one fixed temp name, so two
/// at once lose an update (a real store keeps each login apart). The
/// wrapper takes a lock for `store` and `erase` and then execs the fake, so
/// the lock lives and dies with the helper's own process (a helper killed
/// on timeout releases it).
fn fake(env: &TestEnv, name: &str) {
    let bin = env.fake_helper(name);
    let script = env.home().join(format!("fake-{name}.py"));
    std::fs::rename(&bin, &script).unwrap();
    env.script_helper(
        name,
        &format!(
            "#!/bin/sh\ncase \"$1\" in store|erase) exec 9>>'{lock}'; /usr/bin/flock 9 ;; esac\n\
             exec /usr/bin/python3 '{script}' \"$@\"\n",
            lock = env.home().join(format!("fake-{name}.lock")).display(),
            script = script.display(),
        ),
    );
}

/// A config with these plaintext logins plus things migrate must not touch.
fn config_with(logins: &[(&str, &str, &str)], extra: &str) -> String {
    let auths: Vec<String> = logins
        .iter()
        .map(|(k, u, p)| {
            format!(
                "\t\t\"{k}\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}",
                auth(u, p)
            )
        })
        .collect();
    format!(
        "{{\n\t\"auths\": {{\n{}\n\t}},{extra}\n\t\"psFormat\": \"table {{{{.ID}}}}\",\n\t\"x-other-tool\": {{\"keep\": [1, 2.50, \"\\u00e9\"]}}\n}}",
        auths.join(",\n")
    )
}

fn migrate(env: &TestEnv, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .arg("migrate")
        .args(args)
        .timeout(TIMEOUT)
        .assert()
}

/// Every login is retrievable: plaintext in the file, or a placeholder in
/// the file and the same username and secret in the helper.
fn assert_retrievable(env: &TestEnv, helper: &str, logins: &[(&str, &str, &str)]) {
    let config = env.config_json();
    let db = env.fake_db(helper);
    for (key, user, pass) in logins {
        let entry = &config["auths"][*key];
        if let Some(a) = entry["auth"].as_str() {
            assert_eq!(a, auth(user, pass), "{key}: plaintext changed");
        } else {
            assert_eq!(
                entry,
                &json!({}),
                "{key}: neither plaintext nor placeholder"
            );
            assert_eq!(
                db[*key],
                json!([user, pass]),
                "{key}: placeholder, not in helper"
            );
        }
    }
}

fn plaintext_keys(env: &TestEnv) -> Vec<String> {
    let config = env.config_json();
    config["auths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v.get("auth").is_some())
        .map(|(k, _)| k.clone())
        .collect()
}

fn actions(log: &str) -> Vec<String> {
    log.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["argv"][1]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

const THREE: &[(&str, &str, &str)] = &[
    ("a.io", "alice", "pw-a"),
    ("b.io:5000", "bob", "pw:b"),
    ("https://index.docker.io/v1/", "carol", "pw-c"),
];

#[test]
fn moves_plaintext_into_the_store_and_keeps_everything_else() {
    let env = TestEnv::new();
    fake(&env, "fake");
    let before = config_with(THREE, "");
    env.write_config(&before);
    let out = migrate(&env, &["--store", "fake"])
        .success()
        .stdout(predicate::str::contains("a.io").and(predicate::str::contains("migrated")))
        .stderr(predicate::str::contains("Set credsStore = \"fake\""));
    // In a pipe each login appears once: in the report, not also on stderr.
    let o = out.get_output();
    let both = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(both.matches("b.io:5000").count(), 1, "{both}");
    let db = env.fake_db("fake");
    for (k, u, p) in THREE {
        assert_eq!(db[*k], json!([u, p]));
    }
    // Each entry became `{}` in place; credsStore went in sorted; the other
    // keys kept their bytes.
    let mut want = before.clone();
    for (k, u, p) in THREE {
        want = want.replace(
            &format!("\"{k}\": {{\n\t\t\t\"auth\": \"{}\"\n\t\t}}", auth(u, p)),
            &format!("\"{k}\": {{}}"),
        );
    }
    want = want.replace(
        "\n\t\"psFormat\"",
        "\n\t\"credsStore\": \"fake\",\n\t\"psFormat\"",
    );
    assert_eq!(env.read_config(), want);
    // Done is done: a second run finds nothing and changes nothing.
    migrate(&env, &["--store", "fake"])
        .success()
        .stderr(predicate::str::contains("Nothing to migrate"));
    migrate(&env, &[]).success();
    assert_eq!(env.read_config(), want);
}

#[test]
fn configured_store_is_used_and_a_login_already_there_is_only_verified() {
    let env = TestEnv::new();
    fake(&env, "fake");
    // The common mess: credsStore set, the old plaintext still in the file.
    env.write_config(&config_with(THREE, "\n\t\"credsStore\": \"fake\","));
    env.fake_seed("fake", json!({"a.io": ["alice", "pw-a"]}));
    migrate(&env, &[]).success();
    assert_retrievable(&env, "fake", THREE);
    assert!(plaintext_keys(&env).is_empty());
    let stores = env
        .fake_log("fake")
        .lines()
        .filter(|l| l.contains("\"store\""))
        .count();
    assert_eq!(
        stores, 2,
        "a.io was already there: verified, not stored again"
    );
}

#[test]
fn a_different_secret_in_the_store_is_skipped_unless_overwrite() {
    // No credsStore yet: docker reads the plaintext now, so the store's
    // different login is the one to replace, and --overwrite is the hint.
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    env.fake_seed("fake", json!({"b.io:5000": ["bob", "older-pw"]}));
    migrate(&env, &["--store", "fake"]).code(1).stderr(
        predicate::str::contains("b.io:5000")
            .and(predicate::str::contains("--overwrite"))
            .and(predicate::str::contains("--drop-stale").not())
            .and(predicate::str::contains(
                "1 of 3 login(s) stay in plaintext",
            )),
    );
    assert_eq!(plaintext_keys(&env), ["b.io:5000"]);
    assert_eq!(env.fake_db("fake")["b.io:5000"], json!(["bob", "older-pw"]));
    // --drop-stale does not apply: that plaintext is what docker uses.
    migrate(&env, &["--store", "fake", "--drop-stale"])
        .code(1)
        .stderr(predicate::str::contains("--overwrite"));
    assert_eq!(plaintext_keys(&env), ["b.io:5000"]);
    migrate(&env, &["--store", "fake", "--overwrite"]).success();
    assert_eq!(env.fake_db("fake")["b.io:5000"], json!(["bob", "pw:b"]));
    assert_retrievable(&env, "fake", THREE);
}

#[test]
fn a_stale_copy_is_dropped_with_drop_stale_and_the_store_keeps_its_login() {
    // credsStore set, the old plaintext still in the file, and a newer
    // token in the store: docker sends the store's, the file copy is stale.
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, "\n\t\"credsStore\": \"fake\","));
    env.fake_seed("fake", json!({"b.io:5000": ["bob", "newer-token"]}));
    migrate(&env, &[]).code(1).stderr(
        predicate::str::contains("stale copy")
            .and(predicate::str::contains("--drop-stale"))
            .and(predicate::str::contains("--overwrite").not()),
    );
    assert_eq!(plaintext_keys(&env), ["b.io:5000"]);
    migrate(&env, &["--drop-stale", "--dry-run"])
        .success()
        .stdout(predicate::str::contains("stale copy; fake's login is kept"))
        .stderr(predicate::str::contains("drop 1 stale plaintext copy"));
    assert_eq!(plaintext_keys(&env), ["b.io:5000"]);
    let out = env
        .cmd()
        .args(["migrate", "--drop-stale", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["registry"] == "b.io:5000")
        .unwrap();
    assert_eq!(
        (&b["status"], &b["action"]),
        (&json!("dropped"), &json!("drop-stale"))
    );
    assert!(plaintext_keys(&env).is_empty());
    assert_eq!(env.config_json()["auths"]["b.io:5000"], json!({}));
    // The store's newer login is untouched; the others moved.
    assert_eq!(
        env.fake_db("fake")["b.io:5000"],
        json!(["bob", "newer-token"])
    );
    assert_eq!(env.fake_db("fake")["a.io"], json!(["alice", "pw-a"]));
    // Nothing left: a second run has nothing to do.
    migrate(&env, &["--drop-stale"]).success();
}

#[test]
fn helper_globs_set_cred_helpers_for_each_matched_registry() {
    let env = TestEnv::new();
    fake(&env, "fake");
    fake(&env, "gcloud");
    let logins = [
        ("eu.gcr.io", "_json_key", "k1"),
        ("https://us.gcr.io", "_json_key", "k2"),
        ("ghcr.io", "me", "k3"),
    ];
    env.write_config(&config_with(&logins, ""));
    migrate(&env, &["--helper", "*.gcr.io=gcloud", "--store", "fake"]).success();
    let v = env.config_json();
    assert_eq!(
        v["credHelpers"],
        json!({"eu.gcr.io": "gcloud", "us.gcr.io": "gcloud"})
    );
    assert_eq!(v["credsStore"], "fake");
    // The helper gets the name docker asks for: `us.gcr.io`, not the old
    // `https://` key, which stays as written in the file.
    assert_eq!(
        env.fake_db("gcloud"),
        json!({"eu.gcr.io": ["_json_key", "k1"], "us.gcr.io": ["_json_key", "k2"]})
    );
    assert_eq!(env.fake_db("fake"), json!({"ghcr.io": ["me", "k3"]}));
    assert_eq!(v["auths"]["https://us.gcr.io"], json!({}));
    // A glob matching nothing says so; only --helper given and nothing for
    // the rest: they stay, reported, and that is not a failure.
    let env = TestEnv::new();
    fake(&env, "gcloud");
    env.write_config(&config_with(&logins, ""));
    migrate(
        &env,
        &[
            "--helper",
            "*.nothing.io=gcloud",
            "--helper",
            "eu.gcr.io=gcloud",
        ],
    )
    .success()
    .stderr(predicate::str::contains("matches no plaintext login"))
    .stderr(predicate::str::contains("2 other logins not selected"))
    .stdout(predicate::str::contains("eu.gcr.io"))
    .stdout(predicate::str::contains("ghcr.io").not())
    .stdout(predicate::str::contains("no credential store is set").not());
    assert_eq!(plaintext_keys(&env), ["https://us.gcr.io", "ghcr.io"]);
    assert_eq!(
        env.config_json()["credHelpers"],
        json!({"eu.gcr.io": "gcloud"})
    );
}

#[test]
fn identity_tokens_go_in_as_docker_stores_them() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&format!(
        r#"{{"auths": {{"id.io": {{"auth": "{}", "identitytoken": "tok-1", "email": "e@x.io"}}, "bare.io": {{"identitytoken": "tok-2"}}}}}}"#,
        auth("me", "unused")
    ));
    migrate(&env, &["--store", "fake"]).success();
    assert_eq!(
        env.fake_db("fake"),
        json!({"id.io": ["<token>", "tok-1"], "bare.io": ["<token>", "tok-2"]})
    );
    let v = env.config_json();
    // docker keeps email in the file.
    assert_eq!(
        v["auths"],
        json!({"id.io": {"email": "e@x.io"}, "bare.io": {}})
    );
}

/// Five logins into a faulty helper: the failed ones stay in plaintext, the
/// rest move, every credential is retrievable, exit 1 naming the failures.
fn faulty_run(faults: Value, extra: &[&str], failed: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    fake(&env, "fake");
    let logins = [
        ("r1.io", "u1", "p1"),
        ("r2.io", "u2", "p2"),
        ("r3.io", "u3", "p3"),
        ("r4.io", "u4", "p4"),
        ("r5.io", "u5", "p5"),
    ];
    env.write_config(&config_with(&logins, "\n\t\"credsStore\": \"fake\","));
    env.fake_faults("fake", faults.clone());
    let mut stderr = predicate::str::contains("stay in plaintext").boxed();
    for f in failed {
        stderr = stderr
            .and(predicate::str::contains(format!("  {f}: ")))
            .boxed();
    }
    migrate(&env, extra).code(1).stderr(stderr);
    assert_retrievable(&env, "fake", &logins);
    let mut left = plaintext_keys(&env);
    left.sort();
    assert_eq!(left, failed, "{faults}");
    // Fixed, a second run finishes the job.
    env.fake_faults("fake", json!({}));
    migrate(&env, &[]).success();
    assert_retrievable(&env, "fake", &logins);
    assert!(plaintext_keys(&env).is_empty());
    env
}

#[test]
fn a_helper_that_refuses_some_registries() {
    faulty_run(
        json!({"refuse": ["r2.io", "r4.io"]}),
        &[],
        &["r2.io", "r4.io"],
    );
}

#[test]
fn a_helper_that_crashes_after_two_stores() {
    let env = TestEnv::new();
    fake(&env, "fake");
    let logins: Vec<(String, String, String)> = (1..=5)
        .map(|i| (format!("r{i}.io"), format!("u{i}"), format!("p{i}")))
        .collect();
    let logins: Vec<(&str, &str, &str)> = logins
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    env.write_config(&config_with(&logins, ""));
    env.fake_faults("fake", json!({"crash_after": 2}));
    // Which two get in depends on the parallel order; three are killed.
    migrate(&env, &["--store", "fake"]).code(1).stderr(
        predicate::str::contains("3 of 5 login(s) stay in plaintext").and(
            predicate::str::contains("docker-credential-fake store failed"),
        ),
    );
    assert_retrievable(&env, "fake", &logins);
    assert_eq!(plaintext_keys(&env).len(), 3);
    // credsStore would send docker to the helper for the three left in
    // plaintext: only the two moved ones are routed there (#12).
    let v = env.config_json();
    assert_eq!(v.get("credsStore"), None, "{v}");
    assert_eq!(v["credHelpers"].as_object().unwrap().len(), 2, "{v}");
    std::fs::remove_file(env.home().join("fake-fake.json.count")).unwrap();
    env.fake_faults("fake", json!({}));
    migrate(&env, &["--store", "fake"]).success();
    assert_eq!(env.config_json()["credsStore"], "fake");
    assert!(plaintext_keys(&env).is_empty());
    assert_retrievable(&env, "fake", &logins);
}

#[test]
fn a_helper_that_hangs_is_timed_out_and_a_new_store_is_not_set() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    let before = env.read_config();
    env.fake_faults("fake", json!({"hang": "store"}));
    let t = Instant::now();
    migrate(&env, &["--helper-timeout", "1", "--store", "fake"])
        .code(1)
        .stderr(
            predicate::str::contains("timed out after 1s")
                .and(predicate::str::contains("  a.io: "))
                .and(predicate::str::contains("  b.io:5000: "))
                .and(predicate::str::contains("  https://index.docker.io/v1/: ")),
        );
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    // Nothing moved, so credsStore is not set: it would only hide the
    // plaintext logins from docker.
    assert_eq!(env.read_config(), before);
    assert_retrievable(&env, "fake", THREE);
}

#[test]
fn a_helper_that_reads_back_another_secret() {
    let env = faulty_run(
        json!({"wrong_secret": true}),
        &[],
        &["r1.io", "r2.io", "r3.io", "r4.io", "r5.io"],
    );
    assert!(env.fake_log("fake").contains("\"store\""));
}

#[test]
fn a_hanging_or_missing_helper_stops_everything_before_a_change() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    let before = env.read_config();
    let backup = env.home().join("backup.json");
    migrate(
        &env,
        &["--store", "nothere", "--backup", backup.to_str().unwrap()],
    )
    .code(1)
    .stderr(
        predicate::str::contains("docker-credential-nothere is not installed")
            .and(predicate::str::contains("nothing was changed")),
    );
    env.fake_faults("fake", json!({"hang": "list"}));
    migrate(&env, &["--helper-timeout", "1", "--store", "fake"])
        .code(1)
        .stderr(predicate::str::contains(
            "docker-credential-fake list timed out",
        ));
    env.fake_faults("fake", json!({"garbage": "list"}));
    migrate(&env, &["--store", "fake", "--helper", "a.io=nothere"])
        .code(1)
        .stderr(predicate::str::contains("docker-credential-"));
    assert_eq!(env.read_config(), before);
    assert_eq!(actions(&env.fake_log("fake")), ["list", "list"]);
    assert!(!backup.exists());
}

#[test]
fn no_store_anywhere_says_what_to_install() {
    let env = TestEnv::new();
    env.write_config(&config_with(THREE, ""));
    let before = env.read_config();
    migrate(&env, &[]).code(1).stderr(
        predicate::str::contains("no credential store to migrate to")
            .and(predicate::str::contains(
                "apt install golang-docker-credential-helpers pass",
            ))
            .and(predicate::str::contains("pass init"))
            .and(predicate::str::contains("secretservice")),
    );
    assert_eq!(env.read_config(), before);
}

#[test]
fn docker_default_store_is_detected_and_pass_must_be_initialised() {
    let env = TestEnv::new();
    let store = env.home().join("password-store");
    std::fs::create_dir(&store).unwrap();
    env.script_helper("pass-dummy", "#!/bin/sh\nexit 0\n");
    std::fs::rename(
        env.bin_dir().join("docker-credential-pass-dummy"),
        env.bin_dir().join("pass"),
    )
    .unwrap();
    fake(&env, "pass");
    env.write_config(&config_with(THREE, ""));
    let before = env.read_config();
    let run = |env: &TestEnv| {
        env.cmd()
            .env("PASSWORD_STORE_DIR", &store)
            .arg("migrate")
            .timeout(TIMEOUT)
            .assert()
    };
    run(&env)
        .code(1)
        .stderr(predicate::str::contains("pass init"));
    assert_eq!(env.read_config(), before);
    std::fs::write(store.join(".gpg-id"), "ABC\n").unwrap();
    run(&env).success();
    assert_eq!(env.config_json()["credsStore"], "pass");
    assert_retrievable(&env, "pass", THREE);
    assert!(plaintext_keys(&env).is_empty());
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    env.fake_seed("fake", json!({"other.io": ["x", "y"]}));
    let before = env.read_config();
    migrate(&env, &["--dry-run", "--store", "fake"])
        .success()
        .stdout(
            predicate::str::contains("REGISTRY")
                .and(predicate::str::contains("b.io:5000"))
                .and(predicate::str::contains("bob"))
                .and(predicate::str::contains("file"))
                .and(predicate::str::contains("planned")),
        )
        .stderr(predicate::str::contains("Nothing was changed"));
    assert_eq!(env.read_config(), before);
    assert_eq!(env.fake_db("fake"), json!({"other.io": ["x", "y"]}));
    // It asks (list, then get per login), never writes.
    let mut asked = actions(&env.fake_log("fake"));
    asked.sort();
    asked.dedup();
    assert_eq!(asked, ["get", "list"]);
    // --dry-run with --backup is a usage error.
    migrate(&env, &["--dry-run", "--backup", "x"]).code(2);
}

#[test]
fn json_schema_for_plan_and_result() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}, "bad.io": {{"auth": "!!"}}, "done.io": {{}}, "tok.io": {{"identitytoken": "T"}}, "rt.io": {{"registrytoken": "R"}}, "no.io": {{"auth": "{}"}}}}}}"#,
        auth("alice", SENTINEL),
        auth("nob", "x")
    ));
    env.fake_faults("fake", json!({"refuse": ["no.io"]}));
    let row = |registry: &str, user: Value, status: &str, error: Value| {
        let action = match status {
            "planned" | "migrated" => json!("store"),
            _ => Value::Null,
        };
        json!({"registry": registry, "username": user, "from": "file", "to": "fake",
               "status": status, "action": action, "error": error})
    };
    let rows = |statuses: [&str; 5], no_error: Value| {
        json!([
            row("a.io", json!("alice"), statuses[0], Value::Null),
            row(
                "bad.io",
                Value::Null,
                "skipped",
                json!("cannot be decoded: `auth` is not valid base64")
            ),
            row("tok.io", json!("<token>"), statuses[2], Value::Null),
            row(
                "rt.io",
                Value::Null,
                "skipped",
                json!("holds a registry token, which credential helpers cannot keep")
            ),
            row("no.io", json!("nob"), statuses[4], no_error),
        ])
    };
    let out = env
        .cmd()
        .args(["migrate", "--json", "--dry-run", "--store", "fake"])
        .output()
        .unwrap();
    // The dry run predicts the real run: its exit status, and no.io's
    // failure (the helper refuses even to say what it holds).
    assert_eq!(out.status.code(), Some(1));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        plan,
        rows(
            ["planned", "", "planned", "", "failed"],
            json!("docker-credential-fake get failed: refusing to get no.io")
        )
    );
    let out = env
        .cmd()
        .args(["migrate", "--json", "-q", "--store", "fake"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        result,
        rows(
            ["migrated", "", "migrated", "", "failed"],
            json!("docker-credential-fake get failed: refusing to get no.io")
        )
    );
    // What cannot move still fails the run, and no credsStore hides it:
    // the moved logins were routed one by one.
    env.fake_faults("fake", json!({}));
    migrate(&env, &["-q", "--store", "fake"]).code(1);
    let v = env.config_json();
    assert_eq!(v.get("credsStore"), None, "{v}");
    assert_eq!(
        v["credHelpers"],
        json!({"a.io": "fake", "tok.io": "fake", "no.io": "fake"})
    );
    let out = env
        .cmd()
        .args(["migrate", "--json", "--config"])
        .arg(env.home().join("missing"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[]\n");
}

#[test]
fn backup_is_a_new_0600_file_with_the_original_text() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    common::set_mode(&env.config_path(), 0o644);
    let original = env.read_config();
    let backup = env.home().join("config.bak");
    migrate(
        &env,
        &["--store", "fake", "--backup", backup.to_str().unwrap()],
    )
    .success();
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert_eq!(mode_of(&backup), 0o600);
    assert_ne!(env.read_config(), original);
    // An existing file is never overwritten, and then nothing changes.
    env.write_config(&config_with(&[("z.io", "z", "z")], ""));
    let before = env.read_config();
    migrate(
        &env,
        &["--store", "fake", "--backup", backup.to_str().unwrap()],
    )
    .code(1)
    .stderr(predicate::str::contains("never overwrites"));
    assert_eq!(env.read_config(), before);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert_eq!(env.fake_db("fake").get("z.io"), None);
}

#[test]
fn secrets_never_reach_output_argv_or_helper_environment() {
    let env = TestEnv::new();
    fake(&env, "fake");
    let logins = [
        ("s1.io", "me", SENTINEL),
        ("s2.io", "me", SENTINEL),
        ("s3.io", "me", SENTINEL),
    ];
    env.write_config(&config_with(&logins, ""));
    let mut outputs = String::new();
    let mut run = |faults: Value, args: &[&str]| {
        env.fake_faults("fake", faults);
        let out = env.cmd().arg("migrate").args(args).output().unwrap();
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    };
    run(json!({}), &["--store", "fake", "--dry-run"]);
    run(json!({}), &["--store", "fake", "--dry-run", "--json"]);
    run(json!({"wrong_secret": true}), &["--store", "fake"]);
    run(json!({"garbage": "get"}), &["--store", "fake", "--json"]);
    run(
        json!({"refuse": ["s1.io"]}),
        &["--store", "fake", "--overwrite"],
    );
    run(json!({}), &["--store", "fake", "--overwrite", "--json"]);
    assert!(!outputs.contains(SENTINEL), "{outputs}");
    assert!(plaintext_keys(&env).is_empty(), "{outputs}");
    let log = env.fake_log("fake");
    assert!(log.contains("\"store\""), "the helper was not used: {log}");
    assert!(
        !log.contains(SENTINEL),
        "a secret reached a helper's argv or environment"
    );
}

#[test]
fn an_entry_changed_during_the_migration_is_left_as_it_is() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(&[("a.io", "alice", "old")], ""));
    env.fake_faults("fake", json!({"slow": 0.7}));
    let child = env
        .std_cmd()
        .args(["migrate", "--store", "fake"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the helper is storing, log in again (plaintext) behind its back.
    let t = Instant::now();
    while !env.fake_log("fake").contains("\"store\"") {
        assert!(t.elapsed() < Duration::from_secs(30), "no store call");
        std::thread::sleep(Duration::from_millis(10));
    }
    let new = config_with(&[("a.io", "alice", "new")], "");
    env.write_config(&new);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("changed during the migration"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The new login stands, and no credsStore hides it from docker.
    assert_eq!(env.read_config(), new);
}

/// xorshift64*: enough randomness for kill delays, reproducible by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Counts the lines of a growing file, reading only what was added.
struct LineCounter {
    path: std::path::PathBuf,
    offset: u64,
    lines: usize,
}

impl LineCounter {
    fn new(path: std::path::PathBuf) -> Self {
        LineCounter {
            path,
            offset: 0,
            lines: 0,
        }
    }

    fn count(&mut self) -> usize {
        use std::io::{Read, Seek, SeekFrom};
        if let Ok(mut f) = std::fs::File::open(&self.path) {
            let mut buf = Vec::new();
            if f.seek(SeekFrom::Start(self.offset)).is_ok() && f.read_to_end(&mut buf).is_ok() {
                self.offset += buf.len() as u64;
                self.lines += buf.iter().filter(|b| **b == b'\n').count();
            }
        }
        self.lines
    }
}

#[test]
fn sigkill_at_random_points_never_loses_a_credential() {
    let env = TestEnv::new();
    fake(&env, "slow");
    env.fake_faults("slow", json!({"slow": 0.005}));
    let owned: Vec<(String, String, String)> = (0..200)
        .map(|i| {
            (
                format!("r{i:03}.example.com"),
                format!("user{i}"),
                format!("pw-{i}:{}", i * 7919),
            )
        })
        .collect();
    let logins: Vec<(&str, &str, &str)> = owned
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    env.write_config(&config_with(&logins, ""));

    let seed = std::env::var("MIGRATE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill points from MIGRATE_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let mut log = LineCounter::new(env.home().join("fake-slow.log"));
    let (mut before_rewrite, mut after_rewrite) = (0, 0);
    for round in 0..15 {
        // Kill once a random number of helper calls have started, of what
        // this run needs (list, then get for a login the helper has,
        // get+store+get for one it lacks), plus 0-50 ms: in about 2 of 5 rounds
        // at the last call or past it, so that kills land around the
        // rewrite and after it as well as in the plan and among the calls.
        let db = env.fake_db("slow");
        let config = env.config_json();
        let needed: u64 = 1 + logins
            .iter()
            .filter(|(k, _, _)| config["auths"][*k].get("auth").is_some())
            .map(|(k, u, p)| if db[*k] == json!([u, p]) { 1 } else { 3 })
            .sum::<u64>();
        let nth = if rng.next() % 5 < 2 {
            needed - 1 + rng.next() % 3
        } else {
            rng.next() % needed
        };
        let kill_at = log.count() + nth as usize;
        let jitter = Duration::from_millis(rng.next() % 50);
        let text_before = env.read_config();
        let t = Instant::now();
        let mut child = env
            .std_cmd()
            .args(["migrate", "--store", "slow", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() && log.count() < kill_at {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(jitter);
        let _ = child.kill();
        child.wait().unwrap();
        // The config parses, and every login is in the file or the helper.
        assert_retrievable(&env, "slow", &logins);
        let left = plaintext_keys(&env).len();
        eprintln!(
            "round {round}: killed {:?} in, at call {nth} of {needed}; {left} in plaintext",
            t.elapsed()
        );
        if env.read_config() == text_before {
            before_rewrite += 1;
        } else {
            after_rewrite += 1;
            // Done: log a random half in again with the same passwords
            // (plaintext, as docker without a store would), so that the next
            // round has work and starts from a mixed file.
            let mut auths = serde_json::Map::new();
            for (k, u, p) in &logins {
                let v = if rng.next().is_multiple_of(2) {
                    json!({ "auth": auth(u, p) })
                } else {
                    json!({})
                };
                auths.insert(k.to_string(), v);
            }
            let text = serde_json::to_string_pretty(&json!({"auths": auths, "credsStore": "slow"}));
            env.write_config(&text.unwrap());
        }
    }
    eprintln!("{before_rewrite} kills before the rewrite, {after_rewrite} after it");
    migrate(&env, &["--store", "slow", "-q"]).success();
    let config = env.config_json();
    assert_eq!(config["credsStore"], "slow");
    let auths = config["auths"].as_object().unwrap();
    assert_eq!(auths.len(), 200);
    assert!(auths.values().all(|v| v == &json!({})));
    assert_retrievable(&env, "slow", &logins);
}

// ---------------------------------------------------------------------------
// Real stores

fn real_env(part_env: Vec<(String, String)>) -> TestEnv {
    let mut env = TestEnv::new();
    let path = env.system_path();
    env.add_env(vec![("PATH".into(), path)]);
    env.add_env(part_env);
    env
}

fn helper_get(out: (bool, String, String)) -> Value {
    assert!(out.0, "get failed: {} {}", out.1, out.2);
    serde_json::from_str(out.1.trim()).unwrap()
}

const REAL: &[(&str, &str, &str)] = &[
    ("https://index.docker.io/v1/", "hubuser", "hub-pw:1"),
    ("127.0.0.1:5000", "alice", "local-pw"),
    ("quay.io", "<token>", "id-token-xyz"),
];

fn check_real_store(env: &TestEnv, get: impl Fn(&str) -> (bool, String, String), store: &str) {
    env.write_config(&config_with(REAL, ""));
    migrate(env, &["--store", store]).success();
    for (k, u, p) in REAL {
        assert_eq!(
            helper_get(get(k)),
            json!({"ServerURL": k, "Username": u, "Secret": p}),
            "{k}"
        );
    }
    let v = env.config_json();
    assert_eq!(v["credsStore"], store);
    assert!(plaintext_keys(env).is_empty());
    assert!(!env.read_config().contains(&auth("alice", "local-pw")));
    // Running again finds nothing to do.
    migrate(env, &[])
        .success()
        .stderr(predicate::str::contains("Nothing to migrate"));
}

#[test]
fn real_pass_receives_plaintext_logins() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let env = real_env(pass.env());
    check_real_store(&env, |k| pass.helper("get", k), "pass");
}

#[test]
fn real_secretservice_receives_plaintext_logins() {
    let Some(ss) = require(SecretService::start()) else {
        return;
    };
    let env = real_env(ss.env());
    check_real_store(&env, |k| ss.helper("get", k), "secretservice");
}

#[test]
fn docker_still_pulls_after_its_plaintext_login_moves_into_pass() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("mig", "mig-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let env = real_env(pass.env());
    let cfg: &Path = &env.config_dir();
    std::fs::create_dir_all(cfg).unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let out = docker(
        cfg,
        &["login", "-u", "mig", "--password-stdin", &reg.addr],
        &[],
        "mig-s3cret\n",
    );
    assert!(out.status.success(), "login: {}", text(&out.stderr));
    assert!(env.config_json()["auths"][&reg.addr]["auth"].is_string());

    migrate(&env, &["--store", "pass"]).success();
    assert_eq!(
        env.config_json(),
        json!({"auths": {reg.addr.clone(): {}}, "credsStore": "pass"})
    );
    assert!(!env.read_config().contains(&auth("mig", "mig-s3cret")));
    let image = format!("{}/team/app:v1", reg.addr);
    let out = docker(
        cfg,
        &["manifest", "inspect", "--insecure", &image],
        &pass.env(),
        "",
    );
    assert!(
        out.status.success(),
        "inspect after migrate: {}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["schemaVersion"],
        2
    );
}

// ---------------------------------------------------------------------------
// Routing: a registry goes to a helper only when its login moved there (#12)

#[test]
fn skipped_logins_keep_their_routing_and_fail_the_run() {
    let env = TestEnv::new();
    fake(&env, "fake");
    // rt.io (a registry token) and bad.io (not base64 even for Go) cannot
    // move: credsStore would send docker to the helper for them, where
    // there is nothing. So the moved login gets a credHelpers key instead.
    let text = format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}, "rt.io": {{"registrytoken": "R"}}, "bad.io": {{"auth": "!!"}}}}}}"#,
        auth("alice", "pw-a")
    );
    env.write_config(&text);
    migrate(&env, &["--store", "fake", "--dry-run"])
        .code(1)
        .stderr(
            predicate::str::contains("credHelpers[\"a.io\"] = \"fake\"")
                .and(predicate::str::contains("credsStore").not()),
        );
    assert_eq!(env.read_config(), text);
    migrate(&env, &["--store", "fake"]).code(1).stderr(
        predicate::str::contains("2 of 3 login(s) stay in plaintext").and(
            predicate::str::contains("Set credHelpers[\"a.io\"] = \"fake\""),
        ),
    );
    let v = env.config_json();
    assert_eq!(v.get("credsStore"), None, "{v}");
    assert_eq!(v["credHelpers"], json!({"a.io": "fake"}));
    assert_eq!(
        v["auths"],
        json!({"a.io": {}, "rt.io": {"registrytoken": "R"}, "bad.io": {"auth": "!!"}})
    );
    assert_eq!(env.fake_db("fake"), json!({"a.io": ["alice", "pw-a"]}));
}

#[test]
fn nothing_movable_sets_no_store_and_changes_nothing() {
    let env = TestEnv::new();
    fake(&env, "fake");
    let text = r#"{"auths": {"bad.io": {"auth": "!!"}, "rt.io": {"registrytoken": "R"}}}"#;
    env.write_config(text);
    migrate(&env, &["--store", "fake"])
        .code(1)
        .stderr(predicate::str::contains(
            "2 of 2 login(s) stay in plaintext",
        ));
    assert_eq!(env.read_config(), text);
}

#[test]
fn a_conflict_at_run_time_keeps_credsstore_unset() {
    let env = TestEnv::new();
    fake(&env, "fake");
    env.write_config(&config_with(THREE, ""));
    // The store holds another secret for b.io:5000: it stays in plaintext,
    // and credsStore would hand docker the store's secret instead.
    env.fake_seed("fake", json!({"b.io:5000": ["bob", "other"]}));
    migrate(&env, &["--store", "fake"])
        .code(1)
        .stderr(predicate::str::contains(
            "1 of 3 login(s) stay in plaintext",
        ));
    let v = env.config_json();
    assert_eq!(v.get("credsStore"), None, "{v}");
    assert_eq!(
        v["credHelpers"],
        json!({"a.io": "fake", "https://index.docker.io/v1/": "fake"})
    );
    assert_eq!(plaintext_keys(&env), ["b.io:5000"]);
    assert_retrievable(&env, "fake", THREE);
}

#[test]
fn two_spellings_of_a_registry_share_a_route_and_one_stays() {
    let env = TestEnv::new();
    fake(&env, "fake");
    // Both keys are ghcr.io to docker; one cannot move, so ghcr.io is
    // routed nowhere and both stay as they were.
    let text = format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}, "https://ghcr.io": {{"registrytoken": "R"}}}}}}"#,
        auth("me", "pw")
    );
    env.write_config(&text);
    migrate(&env, &["--store", "fake"])
        .code(1)
        .stdout(predicate::str::contains(
            "another login for ghcr.io stays in plaintext",
        ));
    assert_eq!(env.read_config(), text);
}

#[test]
fn docker_keeps_every_login_when_one_cannot_move_into_real_pass() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (Some(r1), Some(r2), Some(pass)) = (
        require(Registry::start("one", "one-s3cret")),
        require(Registry::start("two", "two-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    r1.push_image("team/app", "v1").unwrap();
    r2.push_image("team/app", "v1").unwrap();
    let env = real_env(pass.env());
    let cfg: &Path = &env.config_dir();
    std::fs::create_dir_all(cfg).unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (reg, user, pw) in [(&r1, "one", "one-s3cret"), (&r2, "two", "two-s3cret")] {
        let out = docker(
            cfg,
            &["login", "-u", user, "--password-stdin", &reg.addr],
            &[],
            &format!("{pw}\n"),
        );
        assert!(out.status.success(), "login: {}", text(&out.stderr));
    }
    // pass already holds a stale secret for r2: migrate must skip r2, and
    // credsStore = pass would make docker send that stale secret.
    let (ok, o, e) = pass.helper(
        "store",
        &json!({"ServerURL": r2.addr, "Username": "two", "Secret": "stale"}).to_string(),
    );
    assert!(ok, "{o} {e}");
    migrate(&env, &["--store", "pass"]).code(1);
    let v = env.config_json();
    assert_eq!(v.get("credsStore"), None, "{v}");
    assert_eq!(v["credHelpers"], json!({r1.addr.clone(): "pass"}));
    assert!(v["auths"][&r2.addr]["auth"].is_string());
    for reg in [&r1, &r2] {
        let image = format!("{}/team/app:v1", reg.addr);
        let out = docker(
            cfg,
            &["manifest", "inspect", "--insecure", &image],
            &pass.env(),
            "",
        );
        assert!(
            out.status.success(),
            "inspect {} after migrate: {}\n{}",
            reg.addr,
            text(&out.stderr),
            reg.log_tail()
        );
    }
}

// ---------------------------------------------------------------------------
// The dry run predicts the real run (#13)

/// `migrate --json ARGS`: (exit code, rows, the routing keys it names on
/// stderr: "set K" in a dry run, "Set K." after a real one).
fn migrate_json(env: &TestEnv, args: &[&str]) -> (i32, Vec<Value>, Vec<String>) {
    let out = env
        .cmd()
        .arg("migrate")
        .arg("--json")
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut keys: Vec<String> = Vec::new();
    for line in err.lines() {
        if let Some(k) = line.strip_prefix("Set ") {
            keys.push(k.trim_end_matches('.').to_string());
        } else if let Some((_, k)) = line.split_once(" and set ") {
            let k = k.split(". Nothing was changed").next().unwrap();
            keys.extend(k.split(", ").map(str::to_string));
        }
    }
    keys.sort();
    (
        out.status.code().unwrap(),
        rows.as_array().unwrap().clone(),
        keys,
    )
}

#[test]
fn dry_run_predicts_exactly_what_the_real_run_does() {
    let ab = &[("a.io", "alice", "pw-a"), ("b.io", "bob", "pw-b")];
    let store = "\n\t\"credsStore\": \"fake\",";
    // (name, config text, what the helper holds, its faults, flags)
    let states: Vec<(&str, String, Value, Value, Vec<&str>)> = vec![
        (
            "fresh store",
            config_with(ab, ""),
            json!({}),
            json!({}),
            vec!["--store", "fake"],
        ),
        (
            "already there",
            config_with(ab, store),
            json!({"a.io": ["alice", "pw-a"]}),
            json!({}),
            vec![],
        ),
        (
            "stale copy",
            config_with(ab, store),
            json!({"b.io": ["bob", "newer"]}),
            json!({}),
            vec![],
        ),
        (
            "stale copy dropped",
            config_with(ab, store),
            json!({"b.io": ["bob", "newer"]}),
            json!({}),
            vec!["--drop-stale"],
        ),
        (
            "stale copy overwritten",
            config_with(ab, store),
            json!({"b.io": ["bob", "newer"]}),
            json!({}),
            vec!["--overwrite"],
        ),
        (
            "store holds another",
            config_with(ab, ""),
            json!({"b.io": ["bob", "other"]}),
            json!({}),
            vec!["--store", "fake"],
        ),
        (
            "helper refuses one",
            config_with(ab, ""),
            json!({}),
            json!({"refuse": ["b.io"]}),
            vec!["--store", "fake"],
        ),
        (
            "cannot move",
            format!(
                r#"{{"auths": {{"a.io": {{"auth": "{}"}}, "rt.io": {{"registrytoken": "R"}}, "bad.io": {{"auth": "!!"}}}}}}"#,
                auth("alice", "pw-a")
            ),
            json!({}),
            json!({}),
            vec!["--store", "fake"],
        ),
        (
            "two spellings, two logins",
            config_with(
                &[("ghcr.io", "u", "one"), ("https://ghcr.io", "u", "two")],
                "",
            ),
            json!({}),
            json!({}),
            vec!["--store", "fake"],
        ),
        (
            "per-registry helper",
            config_with(ab, ""),
            json!({}),
            json!({}),
            vec!["--helper", "b.io=fake"],
        ),
    ];
    for (name, text, db, faults, flags) in states {
        let env = TestEnv::new();
        fake(&env, "fake");
        env.write_config(&text);
        env.fake_seed("fake", db.clone());
        env.fake_faults("fake", faults);
        let mut dry_args = flags.clone();
        dry_args.push("--dry-run");
        let (dry_code, dry_rows, dry_keys) = migrate_json(&env, &dry_args);
        assert_eq!(env.read_config(), text, "{name}: the dry run wrote");
        assert_eq!(env.fake_db("fake"), db, "{name}: the dry run stored");
        let (code, rows, keys) = migrate_json(&env, &flags);
        assert_eq!(dry_code, code, "{name}: exit codes differ");
        assert_eq!(dry_keys, keys, "{name}: routing keys differ");
        assert_eq!(dry_rows.len(), rows.len(), "{name}");
        for (d, r) in dry_rows.iter().zip(&rows) {
            for field in ["registry", "username", "from", "to", "action"] {
                assert_eq!(d[field], r[field], "{name}: {field} of {d} vs {r}");
            }
            let want = match (d["status"].as_str().unwrap(), d["action"].as_str()) {
                ("planned", Some("drop-stale")) => "dropped",
                ("planned", _) => "migrated",
                (other, _) => other,
            };
            assert_eq!(r["status"], want, "{name}: {d} predicted, {r} happened");
            if want != "migrated" && want != "dropped" {
                assert_eq!(d["error"], r["error"], "{name}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// podman, skopeo and buildah never read credsStore (#13)

#[test]
fn store_breaks_skopeo_so_migrate_warns_and_the_credhelpers_form_keeps_it_working() {
    use common::real::{skopeo_client, skopeo_env};
    let Some(_) = require(skopeo_client()) else {
        return;
    };
    let (Some(reg), Some(pass)) = (
        require(Registry::start("sko", "sko-s3cret")),
        require(PassStore::start()),
    ) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let image = format!("docker://{}/team/app:v1", reg.addr);
    let plaintext =
        json!({"auths": {reg.addr.clone(): {"auth": auth("sko", "sko-s3cret")}}}).to_string();
    // skopeo with HOME here and no auth.json of its own: it falls back to
    // ~/.docker/config.json, with pass's environment and PATH.
    let inspect = |env: &TestEnv| {
        let mut vars = pass.env();
        vars.push(("PATH".into(), env.system_path()));
        skopeo_env(
            env.home(),
            &["inspect", "--raw", "--tls-verify=false", &image],
            "",
            &vars,
        )
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();

    let env = real_env(pass.env());
    env.write_config(&plaintext);
    let out = inspect(&env);
    assert!(out.status.success(), "before: {}", text(&out.stderr));

    // --store: the warning comes before anything is written, with the fix.
    let fix = "dockercfg migrate --helper '*=pass'";
    let out = env
        .cmd()
        .args(["migrate", "--store", "pass"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let warned = err
        .find("skopeo")
        .unwrap_or_else(|| panic!("no warning: {err}"));
    assert!(err.contains(fix), "{err}");
    assert!(warned < err.find("Set credsStore").unwrap(), "{err}");
    assert_eq!(env.config_json()["credsStore"], "pass");
    let out = inspect(&env);
    assert!(!out.status.success(), "skopeo read credsStore after all");
    let why = text(&out.stderr).to_lowercase();
    assert!(
        why.contains("unauthorized") || why.contains("authentication required"),
        "{why}"
    );

    // The credHelpers form, as printed, keeps skopeo (and docker) working.
    let env = real_env(pass.env());
    env.write_config(&plaintext);
    let out = env
        .cmd()
        .args(["migrate", "--helper", "*=pass"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains(fix), "{}", text(&out.stderr));
    assert_eq!(
        env.config_json(),
        json!({"auths": {reg.addr.clone(): {}}, "credHelpers": {reg.addr.clone(): "pass"}})
    );
    let out = inspect(&env);
    assert!(
        out.status.success(),
        "after --helper: {}",
        text(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// podman's auth.json: the error says what works for that file (#13)

#[test]
fn podman_migrate_without_helper_prints_the_command_that_works_for_the_file() {
    let env = TestEnv::new();
    fake(&env, "secretservice");
    let f = env.home().join("auth.json");
    let text = json!({"auths": {
        "ghcr.io": {"auth": auth("octo", "pw-g")},
        "quay.io": {"auth": auth("top", "pw-q")},
        "quay.io/org/repo": {"auth": auth("repo", "pw-r")},
        "docker.io": {"auth": auth("hub", "pw-h")},
    }})
    .to_string();
    std::fs::write(&f, &text).unwrap();
    let mut printed = None;
    for args in [&["migrate"][..], &["migrate", "--store", "secretservice"]] {
        let out = env
            .cmd()
            .arg("--authfile")
            .arg(&f)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("quay.io, quay.io/org/repo") && err.contains("docker.io (Docker Hub)"),
            "{err}"
        );
        let cmd = err
            .split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("no command in {err}"))
            .to_string();
        printed = Some(cmd);
    }
    assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
    let cmd = printed.unwrap();
    assert_eq!(
        cmd,
        format!(
            "dockercfg --authfile {} migrate --helper ghcr.io=secretservice",
            f.display()
        )
    );
    // As pasted, it works: ghcr.io moves, the rest stays.
    let bin = env.home().join("realbin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        bin.join("dockercfg"),
    )
    .unwrap();
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(&cmd)
        .env("HOME", env.home())
        .env(
            "PATH",
            format!(
                "{}:{}:/usr/bin:/bin",
                bin.display(),
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
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(v["auths"]["ghcr.io"], json!({}));
    assert_eq!(v["credHelpers"], json!({"ghcr.io": "secretservice"}));
    assert!(v["auths"]["quay.io/org/repo"]["auth"].is_string());
    assert_eq!(
        env.fake_db("secretservice")["ghcr.io"],
        json!(["octo", "pw-g"])
    );
}

/// On an 80-column terminal, migrate's warning for podman, skopeo and
/// buildah, its progress and its report fit, and the `--helper` command
/// the warning prints is whole on one line, ready to copy.
#[test]
fn podman_warning_and_report_fit_80_columns_on_a_terminal() {
    let env = TestEnv::new();
    fake(&env, "vault");
    for tool in ["podman", "skopeo", "buildah"] {
        let p = env.bin_dir().join(tool);
        std::fs::write(&p, "#!/bin/sh\nexit 0\n").unwrap();
        common::set_mode(&p, 0o755);
    }
    env.write_config(&config_with(
        &[
            ("ghcr.io", "octo", "pw-1"),
            (
                "a-rather-long-registry-name.example.com:5000",
                "someone",
                "pw-2",
            ),
        ],
        "",
    ));
    let mut cmd = env.std_cmd();
    cmd.env("NO_COLOR", "1")
        .args(["migrate", "--store", "vault"]);
    let out = common::pty::run(cmd, 80, 24);
    assert_eq!(out.status.code(), Some(0), "{}", out.text);
    assert!(
        out.text.replace('\n', " ").contains("never credsStore"),
        "{}",
        out.text
    );
    common::pty::assert_fits(
        &common::pty::visible(&out.text),
        80,
        &["dockercfg migrate --helper '*=vault'"],
    );
    assert!(!out.text.contains("pw-1"), "{}", out.text);
}

// ---------------------------------------------------------------------------
// Docker Hub through credHelpers: docker and podman/skopeo use other keys

const HUB: &str = "https://index.docker.io/v1/";

/// After `migrate --helper '*=vault'`, the Hub login is where docker looks
/// (credHelpers["https://index.docker.io/v1/"], helper asked for that URL)
/// and where podman, skopeo and buildah look (credHelpers["docker.io"],
/// helper asked for `docker.io`): checked with the real skopeo, the real
/// docker client, and dockercfg's resolver under both rules. The Hub is not
/// reachable here, so the clients are stopped where they would go online:
/// skopeo's `login --get-login` reads credentials only, and `docker pull`
/// asks the helper before it finds no daemon.
#[test]
fn hub_login_is_found_by_docker_and_skopeo_through_credhelpers() {
    use common::real::skopeo_client;
    let env = TestEnv::new();
    fake(&env, "vault");
    env.write_config(&config_with(
        &[(HUB, "hubber", "hub-S3cret"), ("ghcr.io", "octo", "pw-g")],
        "",
    ));
    migrate(&env, &["--helper", "*=vault"]).success();
    let v = env.config_json();
    assert_eq!(
        v["credHelpers"],
        json!({HUB: "vault", "docker.io": "vault", "ghcr.io": "vault"})
    );
    assert_eq!(v["auths"][HUB], json!({}));
    let db = env.fake_db("vault");
    assert_eq!(db[HUB], json!(["hubber", "hub-S3cret"]));
    assert_eq!(db["docker.io"], json!(["hubber", "hub-S3cret"]));

    // dockercfg's resolver, docker's rules and containers' (the latter
    // reading docker's file as podman's last fallback): each finds the
    // login under its own key.
    let out = env.cmd().args(["get", "docker.io"]).output().unwrap();
    assert!(out.status.success());
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&got["ServerURL"], &got["Username"]),
        (&json!(HUB), &json!("hubber"))
    );
    let out = env
        .cmd()
        .env("XDG_RUNTIME_DIR", env.home())
        .args(["--podman", "explain", "docker.io/library/alpine", "--json"])
        .output()
        .unwrap();
    let ex: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&ex["source"], &ex["key"], &ex["username"]),
        (&json!("credHelpers"), &json!("docker.io"), &json!("hubber")),
        "{ex}"
    );

    // Log which server URL each client asks the helper for.
    let asked = env.home().join("asked.log");
    let script = env.home().join("fake-vault.py");
    env.script_helper(
        "vault",
        &format!(
            "#!/bin/sh\nif [ \"$1\" = get ]; then read -r url; echo \"$url\" >> '{log}'; \
             printf '%s\\n' \"$url\" | /usr/bin/python3 '{script}' get; exit $?; fi\n\
             exec /usr/bin/python3 '{script}' \"$@\"\n",
            log = asked.display(),
            script = script.display()
        ),
    );
    let asked_since = |before: usize| -> Vec<String> {
        std::fs::read_to_string(&asked)
            .unwrap_or_default()
            .lines()
            .skip(before)
            .map(str::to_string)
            .collect()
    };

    if require(skopeo_client()).is_some() {
        let out = common::real::skopeo_env(
            env.home(),
            &["login", "--get-login", "docker.io"],
            "",
            &[("PATH".into(), env.system_path())],
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.trim() == "hubber",
            "skopeo: {said} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(asked_since(0), ["docker.io"]);
        // The key is what decides: with docker's key alone (what migrate
        // used to write), skopeo finds the `{}` placeholder and no login.
        let mut only_docker = env.config_json();
        only_docker["credHelpers"]
            .as_object_mut()
            .unwrap()
            .remove("docker.io");
        let saved = env.read_config();
        env.write_config(&only_docker.to_string());
        let out = common::real::skopeo_env(
            env.home(),
            &["login", "--get-login", "docker.io"],
            "",
            &[("PATH".into(), env.system_path())],
        );
        assert!(!out.status.success(), "skopeo found it by docker's key");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not logged into docker.io"));
        assert_eq!(asked_since(0), ["docker.io"], "skopeo asked the helper");
        env.write_config(&saved);
    }
    // audit agrees: nothing to say about Hub's two keys or its login.
    let out = env.cmd().args(["audit", "--json"]).output().unwrap();
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in findings.as_array().unwrap() {
        let text = f.to_string();
        assert!(
            !text.contains("docker.io") && !text.contains("hubber"),
            "audit: {text}"
        );
    }
    if require(docker_client()).is_some() {
        let before = asked_since(0).len();
        let out = docker(
            &env.config_dir(),
            &["pull", "alpine"],
            &[
                ("PATH".into(), env.system_path()),
                (
                    "DOCKER_HOST".into(),
                    format!("unix://{}/no.sock", env.home().display()),
                ),
            ],
            "",
        );
        assert!(!out.status.success(), "no daemon here");
        assert_eq!(
            asked_since(before),
            [HUB],
            "docker: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // logout erases both copies.
    let out = env.cmd().args(["logout", "docker.io"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = env.fake_db("vault");
    assert!(
        db.get(HUB).is_none() && db.get("docker.io").is_none(),
        "{db}"
    );
}

/// podman may keep its own Hub login under `docker.io` in the same helper:
/// it is not replaced unasked (the dry run says so first), and
/// `--overwrite` replaces it.
#[test]
fn a_different_podman_hub_login_in_the_helper_is_kept_unless_overwrite() {
    let env = TestEnv::new();
    fake(&env, "vault");
    env.fake_seed("vault", json!({"docker.io": ["podman-user", "other"]}));
    let text = config_with(&[(HUB, "hubber", "hub-S3cret")], "");
    env.write_config(&text);
    for args in [
        &["--helper", "*=vault", "--dry-run"][..],
        &["--helper", "*=vault"],
    ] {
        let out = env.cmd().arg("migrate").args(args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(
            all.contains("holds a different login for docker.io"),
            "{args:?}: {all}"
        );
        assert_eq!(env.read_config(), text);
    }
    assert_eq!(
        env.fake_db("vault")["docker.io"],
        json!(["podman-user", "other"])
    );
    migrate(&env, &["--helper", "*=vault", "--overwrite"]).success();
    let db = env.fake_db("vault");
    assert_eq!(db["docker.io"], json!(["hubber", "hub-S3cret"]));
    assert_eq!(db[HUB], json!(["hubber", "hub-S3cret"]));
    assert_eq!(env.config_json()["credHelpers"]["docker.io"], "vault");
}
