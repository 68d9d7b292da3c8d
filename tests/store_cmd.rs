//! Issue #13: `dockercfg store set|clear [--registry REG]`, the way out of a
//! store that is dead, unwanted or rewritten by Docker Desktop.
//!
//! - `desktop_leftover_switches_to_real_pass_and_reruns_say_already`: a
//!   Docker Desktop config on Linux (`desktop` not installed): `store set
//!   pass` (real pass) drops the placeholders only desktop could answer, says
//!   desktop's secrets are not touched, keeps the ECR route; the re-run says
//!   "already" with the file byte-identical; after Desktop writes
//!   `credsStore` back, a re-run switches again.
//! - `logins_of_a_running_helper_are_copied_into_real_pass_verified`: the
//!   old helper holds two logins: dry run changes nothing anywhere; the real
//!   run copies both into real pass, keeps the placeholders, and the old
//!   helper keeps its copies.
//! - `real_pass_to_real_secretservice_and_back`: two real stores; each
//!   login is readable from the new one, and going back finds them there.
//! - `one_failed_copy_changes_nothing_in_the_file`, `a_different_login_in_the_target_is_refused`.
//! - `a_crashing_old_helper_counts_as_dead`: placeholders dropped, secrets
//!   not touched.
//! - `missing_target_is_refused_with_its_name`: exit 1, file unchanged.
//! - `plaintext_is_not_hidden_and_the_printed_migrate_works`: `store set`
//!   refuses, prints `migrate --store pass`; that command (via sh) moves the
//!   login into real pass.
//! - `clear_refuses_to_strand_logins_a_running_helper_holds`, `clear_of_a_dead_helper_drops_its_placeholders`.
//! - `registry_scope_sets_and_clears_one_credhelpers_entry`: ECR with
//!   `ecr-login` missing; per-registry set copies only that registry.
//! - `usage_errors_exit_2`: ecr-login as credsStore, bad names, globs,
//!   credsStore in an auth.json.
mod common;

use std::fs;
use std::process::Command;

use common::real::{require, PassStore, SecretService};
use common::{auth, HelperFault, TestEnv};
use serde_json::{json, Value};

const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

fn desktop_config() -> String {
    format!(
        r#"{{
	"auths": {{
		"https://index.docker.io/v1/": {{}},
		"ghcr.io": {{}},
		"{ECR}": {{}}
	}},
	"credsStore": "desktop",
	"credHelpers": {{
		"{ECR}": "ecr-login"
	}},
	"currentContext": "desktop-linux"
}}"#
    )
}

fn real_env(part_env: Vec<(String, String)>) -> TestEnv {
    let mut env = TestEnv::new();
    let path = env.system_path();
    env.add_env(vec![("PATH".into(), path)]);
    env.add_env(part_env);
    env
}

fn store(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = env.cmd().arg("store").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.stdout.is_empty(),
        "store printed data: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    (out.status.code().unwrap(), stderr)
}

fn pass_get(pass: &PassStore, server: &str) -> Value {
    let (ok, out, err) = pass.helper("get", server);
    assert!(ok, "pass get {server}: {out} {err}");
    serde_json::from_str(out.trim()).unwrap()
}

#[test]
fn desktop_leftover_switches_to_real_pass_and_reruns_say_already() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let env = real_env(pass.env());
    env.write_config(&desktop_config());

    let (code, err) = store(&env, &["set", "pass", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.read_config(), desktop_config(), "dry run wrote");
    assert!(err.contains("Would drop 2 placeholder(s)"), "{err}");

    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("docker-credential-desktop cannot run here")
            && err.contains("any secret left in that store is not touched"),
        "{err}"
    );
    assert!(
        err.contains("Set credsStore to \"pass\" (was \"desktop\")"),
        "{err}"
    );
    // Only the registries desktop answered for lose their placeholder; the
    // ECR route (credHelpers) and every other key stay.
    assert_eq!(
        env.config_json(),
        json!({"auths": {ECR: {}}, "credsStore": "pass",
               "credHelpers": {ECR: "ecr-login"}, "currentContext": "desktop-linux"})
    );
    // Docker's tab indentation is kept.
    assert!(env.read_config().contains("\n\t\"credsStore\": \"pass\""));

    let written = env.read_config();
    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("credsStore is already \"pass\""), "{err}");
    assert_eq!(env.read_config(), written);

    // Docker Desktop writes credsStore back: the same command fixes it again.
    env.write_config(&desktop_config());
    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json()["credsStore"], "pass");
}

#[test]
fn logins_of_a_running_helper_are_copied_into_real_pass_verified() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let env = real_env(pass.env());
    env.fake_helper("desktop");
    env.fake_seed(
        "desktop",
        json!({"ghcr.io": ["octo", "ghp_S3cret"], "quay.io": ["q", "quay-S3cret"]}),
    );
    let text =
        r#"{"auths": {"ghcr.io": {}, "quay.io": {}, "gone.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);

    let (code, err) = store(&env, &["set", "pass", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Would copy 2 login(s)"), "{err}");
    assert!(err.contains("Would drop 1 placeholder(s) no store will answer for: gone.io"));
    assert_eq!(env.read_config(), text);
    let (ok, out, _) = pass.helper("list", "");
    assert!(ok && out.trim() == "{}", "dry run stored into pass: {out}");

    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("S3cret"), "{err}");
    assert!(
        err.contains("Copied 2 login(s) from docker-credential-desktop to docker-credential-pass, each read back and compared: ghcr.io, quay.io"),
        "{err}"
    );
    assert_eq!(
        env.config_json(),
        json!({"auths": {"ghcr.io": {}, "quay.io": {}}, "credsStore": "pass"})
    );
    let got = pass_get(&pass, "ghcr.io");
    assert_eq!(
        (got["Username"].as_str(), got["Secret"].as_str()),
        (Some("octo"), Some("ghp_S3cret"))
    );
    let got = pass_get(&pass, "quay.io");
    assert_eq!(got["Secret"], "quay-S3cret");
    // Nothing erased from the old store.
    assert_eq!(
        env.fake_db("desktop")["ghcr.io"],
        json!(["octo", "ghp_S3cret"])
    );
    // No secret on any helper's argv or environment.
    assert!(!env.fake_log("desktop").contains("S3cret"));

    // Back again: pass's logins go into desktop, which already has them.
    let (code, err) = store(&env, &["set", "desktop"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("already holds the same login(s) for ghcr.io, quay.io"),
        "{err}"
    );
    assert_eq!(env.config_json()["credsStore"], "desktop");
}

#[test]
fn one_failed_copy_changes_nothing_in_the_file() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_helper("vault");
    env.fake_seed(
        "desktop",
        json!({"a.io": ["u", "a-S3cret"], "b.io": ["u", "b-S3cret"]}),
    );
    env.fake_faults("vault", json!({"crash_after": 1}));
    let text = r#"{"auths": {"a.io": {}, "b.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);
    let (code, err) = store(&env, &["set", "vault"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot copy the login for b.io into docker-credential-vault"),
        "{err}"
    );
    assert!(err.contains("config.json was not changed"), "{err}");
    assert_eq!(env.read_config(), text);
    // Re-run once the cause is gone: a.io is already there, b.io goes in.
    env.fake_faults("vault", json!({}));
    let (code, err) = store(&env, &["set", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("already holds the same login(s) for a.io"),
        "{err}"
    );
    assert_eq!(env.fake_db("vault")["b.io"], json!(["u", "b-S3cret"]));
}

#[test]
fn a_different_login_in_the_target_is_refused() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_helper("vault");
    env.fake_seed("desktop", json!({"a.io": ["u", "old"]}));
    env.fake_seed("vault", json!({"a.io": ["u", "new"]}));
    let text = r#"{"auths": {"a.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);
    for dry in [true, false] {
        let args: &[&str] = if dry {
            &["set", "vault", "--dry-run"]
        } else {
            &["set", "vault"]
        };
        let (code, err) = store(&env, args);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("docker-credential-vault already holds a different login for a.io")
                && err.contains("`dockercfg logout a.io`"),
            "{err}"
        );
        assert_eq!(env.read_config(), text);
    }
    assert_eq!(env.fake_db("vault")["a.io"], json!(["u", "new"]));
}

#[test]
fn a_crashing_old_helper_counts_as_dead() {
    let env = TestEnv::new();
    env.faulty_helper("desktop", HelperFault::Crash, &[]);
    env.fake_helper("vault");
    env.write_config(r#"{"auths": {"a.io": {}, "b.io": {"auth": "x"}}, "credsStore": "desktop"}"#);
    // b.io's entry is undecodable, not a placeholder: it stays.
    let (code, err) = store(&env, &["set", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("docker-credential-desktop cannot run here"),
        "{err}"
    );
    assert_eq!(
        env.config_json(),
        json!({"auths": {"b.io": {"auth": "x"}}, "credsStore": "vault"})
    );
}

#[test]
fn missing_target_is_refused_with_its_name() {
    let env = TestEnv::new();
    let text = desktop_config();
    env.write_config(&text);
    let (code, err) = store(&env, &["set", "nosuch"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "docker-credential-nosuch is not installed (not found on PATH); nothing was changed"
        ),
        "{err}"
    );
    assert_eq!(env.read_config(), text);
}

#[test]
fn plaintext_is_not_hidden_and_the_printed_migrate_works() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let env = real_env(pass.env());
    let text = json!({"auths": {"ghcr.io": {"auth": auth("octo", "ghp_S3cret")}}}).to_string();
    env.write_config(&text);
    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(env.read_config(), text);
    let fix = err
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command in {err}"));
    assert_eq!(fix, "dockercfg migrate --store pass");
    let bin = env.home().join("realbin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        bin.join("dockercfg"),
    )
    .unwrap();
    let mut sh = Command::new("/bin/sh");
    sh.arg("-c")
        .arg(fix)
        .env("HOME", env.home())
        .env_remove("DOCKER_CONFIG");
    for (k, v) in env.env_vars() {
        sh.env(k, v);
    }
    sh.env("PATH", format!("{}:{}", bin.display(), env.system_path()));
    let out = sh.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        env.config_json(),
        json!({"auths": {"ghcr.io": {}}, "credsStore": "pass"})
    );
    assert_eq!(pass_get(&pass, "ghcr.io")["Secret"], "ghp_S3cret");
}

#[test]
fn clear_refuses_to_strand_logins_a_running_helper_holds() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_seed("desktop", json!({"a.io": ["u", "a-S3cret"]}));
    let text = r#"{"auths": {"a.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);
    let (code, err) = store(&env, &["clear"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("docker-credential-desktop holds 1 login that docker would no longer find")
            && err.contains("`dockercfg logout a.io`"),
        "{err}"
    );
    assert!(!err.contains("S3cret"));
    assert_eq!(env.read_config(), text);
    // After the logout it suggests, clear goes through.
    let out = env.cmd().args(["logout", "a.io"]).output().unwrap();
    assert!(out.status.success());
    let (code, err) = store(&env, &["clear"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json(), json!({"auths": {}}));
    let (code, err) = store(&env, &["clear"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("credsStore is already unset"), "{err}");
}

#[test]
fn clear_of_a_dead_helper_drops_its_placeholders() {
    let env = TestEnv::new();
    env.write_config(&desktop_config());
    let (code, err) = store(&env, &["clear"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("any secret left in that store is not touched"),
        "{err}"
    );
    assert_eq!(
        env.config_json(),
        json!({"auths": {ECR: {}}, "credHelpers": {ECR: "ecr-login"}, "currentContext": "desktop-linux"})
    );
    // Then the ECR route, whose helper is missing too.
    let (code, err) = store(&env, &["clear", "--registry", ECR]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        env.config_json(),
        json!({"auths": {}, "credHelpers": {}, "currentContext": "desktop-linux"})
    );
    // An empty credsStore (a mistake people make) is a key clear removes.
    env.write_config(r#"{"auths": {}, "credsStore": ""}"#);
    let (code, err) = store(&env, &["clear"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json(), json!({"auths": {}}));
}

#[test]
fn registry_scope_sets_and_clears_one_credhelpers_entry() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_helper("vault");
    env.fake_seed(
        "desktop",
        json!({"a.io": ["u", "a-S3cret"], "b.io": ["u", "b-S3cret"]}),
    );
    let text = r#"{"auths": {"a.io": {}, "b.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);
    let (code, err) = store(&env, &["set", "--registry", "https://a.io", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        env.config_json(),
        json!({"auths": {"a.io": {}, "b.io": {}}, "credsStore": "desktop", "credHelpers": {"a.io": "vault"}})
    );
    assert_eq!(env.fake_db("vault"), json!({"a.io": ["u", "a-S3cret"]}));
    let (code, err) = store(&env, &["set", "--registry", "a.io", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("credHelpers[\"a.io\"] is already \"vault\""),
        "{err}"
    );
    // Clearing it routes a.io back to desktop, which still has the login.
    let (code, err) = store(&env, &["clear", "--registry", "a.io"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json()["auths"], json!({"a.io": {}, "b.io": {}}));
    assert!(env.config_json()["credHelpers"]
        .as_object()
        .unwrap()
        .is_empty());

    // ecr-login keeps no secrets: set per registry, nothing to copy.
    env.write_config(&format!(
        r#"{{"auths": {{"{ECR}": {{}}}}, "credsStore": "desktop"}}"#
    ));
    env.script_helper("ecr-login", "#!/bin/sh\necho '{}'\n");
    let (code, err) = store(&env, &["set", "--registry", ECR, "ecr-login"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json()["credHelpers"][ECR], "ecr-login");
    assert_eq!(env.config_json()["auths"], json!({}), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let text = desktop_config();
    env.write_config(&text);
    for (args, says) in [
        (
            &["set", "ecr-login"][..],
            "ecr-login cannot be the global credsStore",
        ),
        (&["set", "a b"], "is not a helper name"),
        (&["set", "../x"], "is not a helper name"),
        (
            &["set", "--registry", "*.gcr.io", "gcloud"],
            "globs are not accepted",
        ),
        (&["clear", "--registry", ""], "not a registry name"),
        (&["set"], "NAME"),
        (&["frobnicate"], "unrecognized subcommand"),
    ] {
        let (code, err) = store(&env, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let f = env.home().join("auth.json");
    fs::write(&f, r#"{"auths": {"quay.io/org/repo": {"auth": "eDp5"}}}"#).unwrap();
    for (args, says) in [
        (
            &["store", "set", "pass"][..],
            "podman, skopeo and buildah ignore credsStore",
        ),
        (
            &["store", "set", "--registry", "quay.io/org", "pass"],
            "holds whole registries",
        ),
    ] {
        let out = env
            .cmd()
            .arg("--authfile")
            .arg(&f)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(env.read_config(), text);
}

#[test]
fn real_pass_to_real_secretservice_and_back() {
    let (Some(pass), Some(ss)) = (require(PassStore::start()), require(SecretService::start()))
    else {
        return;
    };
    let mut vars = pass.env();
    vars.extend(ss.env());
    let env = real_env(vars);
    for (server, user, secret) in [
        ("ghcr.io", "octo", "ghp_S3cret"),
        ("reg.io", "<token>", "idtok-S3cret"),
    ] {
        let (ok, out, err) = pass.helper(
            "store",
            &json!({"ServerURL": server, "Username": user, "Secret": secret}).to_string(),
        );
        assert!(ok, "{out} {err}");
    }
    let text = r#"{"auths": {"ghcr.io": {}, "reg.io": {}}, "credsStore": "pass"}"#;
    env.write_config(text);
    let (code, err) = store(&env, &["set", "secretservice"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("S3cret"), "{err}");
    assert_eq!(
        env.config_json(),
        json!({"auths": {"ghcr.io": {}, "reg.io": {}}, "credsStore": "secretservice"})
    );
    let (ok, out, _) = ss.helper("get", "ghcr.io");
    assert!(ok, "{out}");
    let got: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (got["Username"].as_str(), got["Secret"].as_str()),
        (Some("octo"), Some("ghp_S3cret"))
    );
    // An identity token keeps docker's <token> username.
    let (ok, out, _) = ss.helper("get", "reg.io");
    assert!(ok, "{out}");
    let got: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (got["Username"].as_str(), got["Secret"].as_str()),
        (Some("<token>"), Some("idtok-S3cret"))
    );
    // docker's own lookup agrees: `get` resolves through the new store.
    let out = env.cmd().args(["get", "ghcr.io"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ghp_S3cret"));
    // Back to pass: both are there already, nothing is stored twice.
    let (code, err) = store(&env, &["set", "pass"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("already holds the same login(s) for ghcr.io, reg.io"),
        "{err}"
    );
    assert_eq!(env.config_json()["credsStore"], "pass");
}

/// `store ARGS --json`: (exit code, the parsed stdout, stderr).
fn store_json(env: &TestEnv, args: &[&str]) -> (i32, Value, String) {
    let out = env
        .cmd()
        .arg("store")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {:?}; stderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap(), v, stderr)
}

#[test]
fn json_says_what_changed_for_set_clear_dry_run_and_already() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_helper("vault");
    env.fake_seed(
        "desktop",
        json!({"a.io": ["u", "a-S3cret"], "b.io": ["u", "b-S3cret"]}),
    );
    let text = r#"{"auths": {"a.io": {}, "b.io": {}, "gone.io": {}}, "credsStore": "desktop"}"#;
    env.write_config(text);

    let (code, v, err) = store_json(&env, &["set", "vault", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        v,
        json!({"key": "credsStore", "registry": null, "old": "desktop", "new": "vault",
               "changed": true, "copied": ["a.io", "b.io"], "dropped": ["gone.io"],
               "dry_run": true})
    );
    // The data is on stdout; the notes that repeat it are not printed.
    assert!(!err.contains("Would copy"), "{err}");
    assert_eq!(env.read_config(), text);
    assert_eq!(env.fake_db("vault"), json!({}));

    let (code, v, err) = store_json(&env, &["set", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        v,
        json!({"key": "credsStore", "registry": null, "old": "desktop", "new": "vault",
               "changed": true, "copied": ["a.io", "b.io"], "dropped": ["gone.io"],
               "dry_run": false})
    );
    assert!(!v.to_string().contains("S3cret"));
    assert_eq!(env.config_json()["credsStore"], "vault");

    // Again: already so.
    let (code, v, _) = store_json(&env, &["set", "vault"]);
    assert_eq!(code, 0);
    assert_eq!(v["changed"], false);
    assert_eq!((&v["old"], &v["new"]), (&json!("vault"), &json!("vault")));
    assert_eq!(v["copied"], json!([]));

    // One registry's credHelpers entry, set then cleared.
    let (code, v, err) = store_json(&env, &["set", "--registry", "https://a.io", "desktop"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        v,
        json!({"key": "credHelpers", "registry": "a.io", "old": null, "new": "desktop",
               "changed": true, "copied": [], "dropped": [], "dry_run": false})
    );
    let (code, v, err) = store_json(&env, &["clear", "--registry", "a.io"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (&v["key"], &v["old"], &v["new"], &v["changed"]),
        (
            &json!("credHelpers"),
            &json!("desktop"),
            &json!(null),
            &json!(true)
        )
    );

    // A refusal prints no JSON: the error is on stderr, exit 1.
    let out = env
        .cmd()
        .args(["store", "set", "nosuch", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

/// `store ARGS` on an 80-column pseudo-terminal: what it showed.
fn store_on_terminal(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let mut cmd = env.std_cmd();
    cmd.env("NO_COLOR", "1").arg("store").args(args);
    let out = common::pty::run(cmd, 80, 24);
    (out.status.code().unwrap_or(-1), out.text)
}

#[test]
fn output_fits_80_columns_on_a_terminal_with_each_command_whole() {
    let env = TestEnv::new();
    env.fake_helper("desktop");
    env.fake_helper("vault");
    env.fake_seed(
        "desktop",
        json!({"ghcr.io": ["u", "g-S3cret"], "registry.example.com": ["u", "r-S3cret"]}),
    );
    let text = r#"{"auths": {"ghcr.io": {}, "registry.example.com": {}, "gone.example.org": {}, "old.example.net": {}}, "credsStore": "desktop"}"#;

    // Every note of a dry run and of the real switch.
    for args in [&["set", "vault", "--dry-run"][..], &["set", "vault"]] {
        env.write_config(text);
        let _ = std::fs::remove_file(env.home().join("fake-vault.json"));
        let (code, shown) = store_on_terminal(&env, args);
        assert_eq!(code, 0, "{shown}");
        assert!(shown.contains("registry.example.com"), "{shown}");
        assert!(!shown.contains("S3cret"), "{shown}");
        common::pty::assert_fits(&shown, 80, &[]);
    }

    // The warning for podman, skopeo and buildah (all three on PATH), with
    // the command that keeps their logins visible.
    for tool in ["podman", "skopeo", "buildah"] {
        env.script_helper("x", "#!/bin/sh\nexit 0\n");
        std::fs::rename(
            env.bin_dir().join("docker-credential-x"),
            env.bin_dir().join(tool),
        )
        .unwrap();
    }
    env.write_config(r#"{"auths": {"ghcr.io": {}}}"#);
    let (code, shown) = store_on_terminal(&env, &["set", "vault"]);
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.replace('\n', " ").contains("never credsStore"),
        "{shown}"
    );
    common::pty::assert_fits(
        &shown,
        80,
        &["dockercfg store set --registry REGISTRY vault"],
    );
}

/// Docker Hub has two credHelpers keys: docker's
/// (`https://index.docker.io/v1/`, helper asked for that URL) and the one
/// podman, skopeo and buildah read (`docker.io`, helper asked for
/// `docker.io`). `store set --registry docker.io` (audit's fix for
/// `podman-ignores-store`) sets both and gives the helper the login under
/// both names; the real skopeo then finds it. `store clear` removes both.
#[test]
fn hub_registry_scope_sets_both_keys_and_skopeo_finds_the_login() {
    const HUB: &str = "https://index.docker.io/v1/";
    let env = TestEnv::new();
    env.fake_helper("vault");
    env.fake_seed(
        "vault",
        json!({HUB: ["hubber", "hub-S3cret"], "ghcr.io": ["octo", "g"]}),
    );
    let text = format!(r#"{{"auths": {{"{HUB}": {{}}, "ghcr.io": {{}}}}, "credsStore": "vault"}}"#);
    env.write_config(&text);
    let (code, err) = store(
        &env,
        &["set", "--registry", "docker.io", "vault", "--dry-run"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Would store the Docker Hub login"), "{err}");
    assert_eq!(env.read_config(), text);
    assert!(env.fake_db("vault").get("docker.io").is_none());

    let (code, err) = store(&env, &["set", "--registry", "docker.io", "vault"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("S3cret"), "{err}");
    assert_eq!(
        env.config_json()["credHelpers"],
        json!({HUB: "vault", "docker.io": "vault"})
    );
    assert_eq!(
        env.fake_db("vault")["docker.io"],
        json!(["hubber", "hub-S3cret"])
    );
    if require(common::real::skopeo_client()).is_some() {
        let out = common::real::skopeo_env(
            env.home(),
            &["login", "--get-login", "docker.io"],
            "",
            &[("PATH".into(), env.system_path())],
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "hubber",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Only docker's key left (set by hand, or by an older dockercfg): not
    // "already", podman's key is added.
    let mut v = env.config_json();
    v["credHelpers"]
        .as_object_mut()
        .unwrap()
        .remove("docker.io");
    env.write_config(&v.to_string());
    let (code, err) = store(&env, &["set", "--registry", HUB, "vault"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("already"), "{err}");
    assert_eq!(env.config_json()["credHelpers"]["docker.io"], "vault");

    let (code, err) = store(&env, &["clear", "--registry", "docker.io"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.config_json()["credHelpers"], json!({}));

    // A different login under docker.io (podman's own) is not replaced.
    env.fake_seed(
        "vault",
        json!({HUB: ["hubber", "hub-S3cret"], "docker.io": ["podman-user", "other"]}),
    );
    let before = env.read_config();
    let (code, err) = store(&env, &["set", "--registry", "docker.io", "vault"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("already holds a different login for docker.io"),
        "{err}"
    );
    assert_eq!(env.read_config(), before);
    assert_eq!(
        env.fake_db("vault")["docker.io"],
        json!(["podman-user", "other"])
    );
}
