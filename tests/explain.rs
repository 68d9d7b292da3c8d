//! `dockercfg explain IMAGE_REF`: the credential docker (or podman) would
//! use, and why; a table of references whose keys follow docker's
//! normalisation; every source's precedence; problems on the way; the real
//! pass helper; never a secret in the output.
mod common;

use common::real::{require, PassStore};
use common::{auth, TestEnv};
use serde_json::{json, Value};

const HUB: &str = "https://index.docker.io/v1/";
/// (reference, registry, repository, key looked up, auths key used, user)
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

const SHA: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn explain(env: &TestEnv, args: &[&str], extra_env: &[(&str, &str)]) -> Value {
    let mut cmd = env.cmd();
    cmd.arg("explain").args(args).arg("--json");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "explain {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn outcome(e: &Value, source: &str) -> String {
    e["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == source)
        .map(|s| s["outcome"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {source} step in {e}"))
}

#[test]
fn references_resolve_to_dockers_keys() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{
            "{HUB}": {{"auth": "{}"}},
            "docker.io": {{"auth": "{}"}},
            "https://ghcr.io": {{"auth": "{}"}},
            "localhost:5000": {{"auth": "{}"}},
            "registry-1.docker.io": {{"auth": "{}"}},
            "127.0.0.1:5001": {{"auth": "{}"}}
        }}}}"#,
        auth("hub", "p1"),
        auth("never", "p2"),
        auth("gh", "p3"),
        auth("lh", "p4"),
        auth("r1", "p5"),
        auth("ip", "p6"),
    ));
    let with_digest = format!("localhost:5000/x@{SHA}");
    // (reference, registry, repository, key looked up, auths key used, user)
    let table: &[Row] = &[
        (
            "nginx",
            "docker.io",
            "library/nginx",
            HUB,
            Some(HUB),
            Some("hub"),
        ),
        (
            "nginx:1.25",
            "docker.io",
            "library/nginx",
            HUB,
            Some(HUB),
            Some("hub"),
        ),
        (
            "docker.io/library/nginx",
            "docker.io",
            "library/nginx",
            HUB,
            Some(HUB),
            Some("hub"),
        ),
        (
            "index.docker.io/me/app:v1",
            "docker.io",
            "me/app",
            HUB,
            Some(HUB),
            Some("hub"),
        ),
        ("me/app", "docker.io", "me/app", HUB, Some(HUB), Some("hub")),
        // The file store matches `https://ghcr.io` by its host.
        (
            "ghcr.io/org/app:1.2",
            "ghcr.io",
            "org/app",
            "ghcr.io",
            Some("https://ghcr.io"),
            Some("gh"),
        ),
        (
            &with_digest,
            "localhost:5000",
            "x",
            "localhost:5000",
            Some("localhost:5000"),
            Some("lh"),
        ),
        // A bare name with a colon is a Hub image tagged 5000.
        (
            "localhost:5000",
            "docker.io",
            "library/localhost",
            HUB,
            Some(HUB),
            Some("hub"),
        ),
        (
            "registry-1.docker.io/library/x",
            "registry-1.docker.io",
            "library/x",
            "registry-1.docker.io",
            Some("registry-1.docker.io"),
            Some("r1"),
        ),
        (
            "127.0.0.1:5001/team/app",
            "127.0.0.1:5001",
            "team/app",
            "127.0.0.1:5001",
            Some("127.0.0.1:5001"),
            Some("ip"),
        ),
        (
            "quay.io/org/app",
            "quay.io",
            "org/app",
            "quay.io",
            None,
            None,
        ),
    ];
    for (reference, registry, repo, lookup, used, user) in table {
        let e = explain(&env, &[reference], &[]);
        assert_eq!(e["reference"], *reference);
        assert_eq!(e["registry"], *registry, "{reference}: {e}");
        assert_eq!(e["repository"], *repo, "{reference}: {e}");
        assert_eq!(e["keys"], json!([lookup]), "{reference}: {e}");
        assert_eq!(e["key"], json!(used), "{reference}: {e}");
        assert_eq!(e["username"], json!(user), "{reference}: {e}");
        let source = if used.is_some() {
            json!("file")
        } else {
            json!(null)
        };
        assert_eq!(e["source"], source, "{reference}: {e}");
        assert_eq!(e["rules"], "docker");
    }
}

#[test]
fn invalid_references_are_refused() {
    let env = TestEnv::new();
    env.write_config("{}");
    for bad in [
        "Nginx",
        "ghcr.io/Org/app",
        "ghcr.io/app:",
        "ghcr.io/app@sha256:12",
    ] {
        let out = env.cmd().args(["explain", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("dockercfg: error: ") && err.contains("not an image reference"),
            "{bad}: {err}"
        );
    }
}

/// env > credHelpers > credsStore > file, each shown as used or passed over.
#[test]
fn precedence_env_then_cred_helpers_then_creds_store_then_file() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_helper("per");
    env.fake_seed(
        "store",
        json!({"ghcr.io": ["from-store", "s1"], "quay.io": ["q-store", "s2"]}),
    );
    env.fake_seed("per", json!({"ghcr.io": ["from-per", "s3"]}));
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}, "quay.io": {{}}, "plain.io": {{"auth": "{}"}}}},
            "credsStore": "store", "credHelpers": {{"ghcr.io": "per", "plain.io": ""}}}}"#,
        auth("stale", "old"),
        auth("plainuser", "pp"),
    ));

    // credHelpers beats credsStore; the file's plaintext is ignored.
    let e = explain(&env, &["ghcr.io/org/app"], &[]);
    assert_eq!(e["source"], "credHelpers", "{e}");
    assert_eq!(e["helper"], "per");
    assert_eq!(e["username"], "from-per");
    assert_eq!(outcome(&e, "credHelpers"), "used");
    assert_eq!(outcome(&e, "credsStore"), "passed-over");
    assert_eq!(outcome(&e, "file"), "passed-over");
    assert!(
        e["problems"].to_string().contains("ignores"),
        "stale plaintext not flagged: {e}"
    );

    // credsStore when no credHelpers entry.
    let e = explain(&env, &["quay.io/x"], &[]);
    assert_eq!(e["source"], "credsStore", "{e}");
    assert_eq!(e["username"], "q-store");
    assert_eq!(outcome(&e, "credHelpers"), "not-configured");

    // An empty credHelpers entry means the file, even with credsStore.
    let e = explain(&env, &["plain.io/x"], &[]);
    assert_eq!(e["source"], "file", "{e}");
    assert_eq!(e["username"], "plainuser");

    // DOCKER_AUTH_CONFIG beats them all, by exact key; helpers not asked.
    std::fs::remove_file(env.home().join("fake-per.log")).ok();
    let var = json!({"auths": {"ghcr.io": {"auth": auth("from-env", "e1")}}}).to_string();
    let e = explain(&env, &["ghcr.io/org/app"], &[("DOCKER_AUTH_CONFIG", &var)]);
    assert_eq!(e["source"], "env", "{e}");
    assert_eq!(e["username"], "from-env");
    assert_eq!(outcome(&e, "env"), "used");
    assert_eq!(outcome(&e, "credHelpers"), "not-consulted");
    assert!(
        !env.fake_log("per").contains("\"get\""),
        "helper asked although env answered"
    );

    // A spelling docker does not look up is passed over.
    let var = json!({"auths": {"https://ghcr.io": {"auth": auth("from-env", "e1")}}}).to_string();
    let e = explain(&env, &["ghcr.io/org/app"], &[("DOCKER_AUTH_CONFIG", &var)]);
    assert_eq!(e["source"], "credHelpers", "{e}");
    assert_eq!(outcome(&e, "env"), "not-found");

    // A malformed variable is ignored, as docker does, with a problem.
    let e = explain(
        &env,
        &["ghcr.io/org/app"],
        &[("DOCKER_AUTH_CONFIG", "{\"auths\":")],
    );
    assert_eq!(e["source"], "credHelpers", "{e}");
    assert_eq!(outcome(&e, "env"), "error");

    // No secret anywhere in the output.
    let text = e.to_string();
    for s in ["s1", "s3", "e1", "old", "pp"] {
        assert!(!text.contains(&format!("\"{s}\"")), "secret {s} in {text}");
    }
}

#[test]
fn problems_helper_missing_undecodable_expired_not_found() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed("store", json!({}));
    let expired = jwt(1_000_000_000);
    env.write_config(&format!(
        r#"{{"auths": {{"bad.io": {{"auth": "!!notbase64"}}, "old.io": {{"auth": "{}"}}, "gone.io": {{}}}},
            "credHelpers": {{"missing.io": "nosuchhelper", "gone.io": "store"}}}}"#,
        auth("u", &expired),
    ));
    let e = explain(&env, &["missing.io/a"], &[]);
    assert_eq!(e["source"], Value::Null, "{e}");
    assert_eq!(outcome(&e, "credHelpers"), "error");
    assert!(e["problems"].to_string().contains("not installed"), "{e}");

    let e = explain(&env, &["bad.io/a"], &[]);
    assert_eq!(outcome(&e, "file"), "error");
    assert!(
        e["problems"].to_string().contains("cannot be decoded"),
        "{e}"
    );

    let e = explain(&env, &["old.io/a"], &[]);
    assert_eq!(e["source"], "file");
    assert!(e["problems"].to_string().contains("expired"), "{e}");
    assert!(!e.to_string().contains(&expired));

    let e = explain(&env, &["gone.io/a"], &[]);
    assert_eq!(e["source"], Value::Null);
    assert_eq!(outcome(&e, "credHelpers"), "not-found");

    // A clean login has no problems.
    let e = explain(&env, &["nginx"], &[]);
    assert_eq!(e["problems"], json!([]), "{e}");
}

#[test]
fn human_output_names_the_winner_and_hides_the_secret() {
    let env = TestEnv::new();
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        auth("octocat", "Sup3rSecret")
    ));
    let out = env
        .cmd()
        .args(["explain", "ghcr.io/o/a:1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("uses        file, key ghcr.io, user octocat"),
        "{text}"
    );
    assert!(!text.contains("Sup3rSecret"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Sup3rSecret"));
}

/// containers-auth.json: most specific key first, credsStore ignored,
/// credHelpers by registry.
#[test]
fn containers_order_most_specific_first() {
    let env = TestEnv::new();
    env.fake_helper("store");
    env.fake_seed(
        "store",
        json!({"quay.io": ["from-store", "x"], "h.io": ["from-helper", "y"]}),
    );
    let authfile = env.home().join("auth.json");
    std::fs::write(
        &authfile,
        format!(
            r#"{{"auths": {{"quay.io": {{"auth": "{}"}}, "quay.io/org": {{"auth": "{}"}}, "quay.io/org/app": {{"auth": "{}"}}, "docker.io": {{"auth": "{}"}}}},
                "credsStore": "store", "credHelpers": {{"h.io": "store"}}}}"#,
            auth("reg", "1"),
            auth("ns", "2"),
            auth("repo", "3"),
            auth("hub", "4"),
        ),
    )
    .unwrap();
    let a = authfile.to_str().unwrap();
    let cases = [
        ("quay.io/org/app:1", Some("quay.io/org/app"), Some("repo")),
        ("quay.io/org/other", Some("quay.io/org"), Some("ns")),
        ("quay.io/else/x", Some("quay.io"), Some("reg")),
        ("nginx", Some("docker.io"), Some("hub")),
        ("h.io/x", Some("h.io"), Some("from-helper")),
        ("ghcr.io/x", None, None),
    ];
    for (reference, key, user) in cases {
        let e = explain(&env, &["--authfile", a, reference], &[]);
        assert_eq!(e["rules"], "containers", "{e}");
        assert_eq!(e["key"], json!(key), "{reference}: {e}");
        assert_eq!(e["username"], json!(user), "{reference}: {e}");
        assert_eq!(outcome(&e, "credsStore"), "passed-over", "{e}");
    }
    let e = explain(&env, &["--authfile", a, "quay.io/org/app"], &[]);
    assert_eq!(
        e["keys"],
        json!(["quay.io/org/app", "quay.io/org", "quay.io"])
    );
}

/// A login made in the real docker-credential-pass is explained with its
/// user, and the secret never shows.
#[test]
fn real_pass_login_is_explained() {
    let Some(pass) = require(PassStore::start()) else {
        return;
    };
    let mut env = TestEnv::new();
    let store =
        json!({"ServerURL": "reg.example.com", "Username": "passuser", "Secret": "pass-S3cret"});
    let (ok, out, err) = pass.helper("store", &store.to_string());
    assert!(ok, "pass store failed: {out} {err}");
    env.write_config(r#"{"auths": {"reg.example.com": {}}, "credsStore": "pass"}"#);
    let path = env.system_path();
    let mut vars = pass.env();
    vars.push(("PATH".into(), path));
    env.add_env(vars);
    let e = explain(&env, &["reg.example.com/team/app:1"], &[]);
    assert_eq!(e["source"], "credsStore", "{e}");
    assert_eq!(e["helper"], "pass");
    assert_eq!(e["username"], "passuser");
    assert_eq!(e["kind"], "basic");
    assert!(!e.to_string().contains("pass-S3cret"));
    // And one it does not hold.
    let e = explain(&env, &["other.example.com/x"], &[]);
    assert_eq!(e["source"], Value::Null, "{e}");
    assert_eq!(outcome(&e, "credsStore"), "not-found");
}

fn jwt(exp: i64) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        b.encode(r#"{"alg":"none"}"#),
        b.encode(format!(r#"{{"exp":{exp}}}"#))
    )
}
