//! The closed audit → fix loop (#13), and the real docker client confirming
//! what audit claims.
//!
//! - `undecodable_entry_poisons_docker_logins`: the real docker 28 and
//!   docker-registry: one undecodable entry makes docker drop other logins
//!   of the file at random; audit rates it high and says so; its fix, run
//!   as printed, makes every pull work again.
//! - `every_fix_works_when_pasted` (table-driven over tests/corpus/fixloop/):
//!   audit, run each printed fix with `sh -c`, audit again: the finding is
//!   gone, no other appeared, and every login `dockercfg get` read before
//!   reads the same after (the real pass and secretservice where a store is
//!   involved), unless the fix is a logout of it.
//! - `a_root_owned_config_gets_the_sudo_fix`: after `sudo docker login`
//!   (a root-owned file in the user's home), audit run by the user prints
//!   `sudo dockercfg --config FILE fix-perms`, which gives it back.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output};

use common::real::{self, docker, PassStore, Registry, SecretService};
use common::tokens::{ecr, jwt, now};
use common::{auth, TestEnv};
use serde_json::{json, Value};

fn audit_json(env: &TestEnv) -> Vec<Value> {
    let out = env.cmd().args(["audit", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
}

fn inspect(env: &TestEnv, image: &str) -> Output {
    docker(
        &env.config_dir(),
        &["manifest", "inspect", "--insecure", image],
        &[],
        "",
    )
}

#[test]
fn undecodable_entry_poisons_docker_logins() {
    if real::require(real::docker_client()).is_none() {
        return;
    }
    let Some(reg) = real::require(Registry::start("alice", "s3cret-pw")) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let image = format!("{}/team/app:v1", reg.addr);
    let env = TestEnv::new();
    let config = json!({"auths": {
        &reg.addr: {"auth": auth("alice", "s3cret-pw")},
        "broken.example.com": {"auth": "!!not base64"},
    }});
    env.write_config(&serde_json::to_string_pretty(&config).unwrap());
    common::set_mode(&env.config_path(), 0o600);
    common::set_mode(&env.config_dir(), 0o700);

    // docker decodes the entries in Go's random map order and stops at the
    // bad one: our registry's login is sometimes left undecoded.
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..40 {
        let out = inspect(&env, &image);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Error parsing config file"), "{err}");
        if out.status.success() {
            ok += 1;
        } else {
            assert!(
                err.contains("no basic auth credentials") || err.contains("unauthorized"),
                "{err}"
            );
            refused += 1;
        }
        if ok > 0 && refused > 0 {
            break;
        }
    }
    assert!(
        refused > 0,
        "docker never dropped the good login ({ok} pulls worked)"
    );
    assert!(
        ok > 0,
        "docker never used the good login ({refused} refused)"
    );

    let findings = audit_json(&env);
    let f = findings
        .iter()
        .find(|f| f["code"] == "undecodable-entry")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(f["severity"], "high", "{f}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("may ignore the file's other logins until it is fixed"),
        "{f}"
    );
    // list and explain say it too.
    let list = env.cmd().args(["list", "--json"]).output().unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&list.stdout).unwrap();
    let bad = rows
        .iter()
        .find(|r| r["registry"] == "broken.example.com")
        .unwrap();
    assert!(
        bad["error"]
            .as_str()
            .unwrap()
            .contains("docker may ignore the file's other logins until it is fixed"),
        "{bad}"
    );
    let explain = env.cmd().args(["explain", &image]).output().unwrap();
    // explain prints the trace's problems as warnings, on stderr.
    let text = String::from_utf8_lossy(&explain.stderr);
    assert!(
        text.contains("broken.example.com")
            && text.contains("docker may ignore the file's other logins"),
        "{text}"
    );
    let fix = f["fix"].as_str().unwrap();
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .env("HOME", env.home())
        .env("PATH", format!("{}:{}", bin_dir(), env.path_var()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{fix}: {out:?}");
    for _ in 0..10 {
        let out = inspect(&env, &image);
        assert!(out.status.success(), "{out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("Error parsing"));
    }
}

/// The directory holding the dockercfg binary under test, for fixes run
/// with `sh -c` exactly as printed (`dockercfg ...`).
fn bin_dir() -> String {
    assert_cmd::cargo::cargo_bin("dockercfg")
        .parent()
        .unwrap()
        .display()
        .to_string()
}

/// A corpus file with its placeholders filled in (README.md there).
fn corpus(name: &str) -> String {
    let t = now();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/fixloop")
        .join(name);
    let mut text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (k, v) in [
        (
            "@AUTH_HUB_OLD_PASSWORD@",
            auth("alice", "hunter2-old-password"),
        ),
        ("@AUTH_GHCR_OLD@", auth("octocat", "ghp_oldtoken")),
        ("@AUTH_GHCR@", auth("octocat", "ghp_filetoken")),
        ("@AUTH_QUAY@", auth("acme+ci", "QUAYCI")),
        ("@AUTH_QUAY_APP@", auth("acme+app", "QUAYAPP")),
        ("@AUTH_REGISTRY@", auth("deploy", "r3g-pw")),
        ("@AUTH_HUB_TOKEN@", auth("alice", "dckr_pat_filetoken")),
        ("@AUTH_ECR_EXPIRED@", auth("AWS", &ecr(t - 3 * 3_600))),
        (
            "@AUTH_JWT_EXPIRING@",
            auth("gitlab-ci-token", &jwt(t + 2 * 3_600)),
        ),
    ] {
        text = text.replace(k, &v);
    }
    assert!(!text.contains("@AUTH"), "{name}: unfilled placeholder");
    text
}

/// A stand-in for amazon-ecr-credential-helper as measured: `get` answers
/// an ECR registry with user AWS and a 12-hour token (its cached one,
/// `@EXP@` filled in at setup), `erase` and `store` say `not implemented`, `list` gives each
/// registry with and without `https://`.
const ECR_STANDIN: &str = r#"#!/bin/sh
read -r url || true
case "$1" in
get)
    case "$url" in
    *.dkr.ecr.*.amazonaws.com|https://*.dkr.ecr.*.amazonaws.com)
        exp=@EXP@
        tok=$(printf '{"payload":"cA==","datakey":"ZA==","version":"2","type":"DATA_KEY","expiration":%s}' "$exp" | /usr/bin/base64 -w0)
        printf '{"ServerURL":"%s","Username":"AWS","Secret":"%s"}\n' "$url" "$tok" ;;
    *) echo "docker-credential-ecr-login can only be used with Amazon Elastic Container Registry."; exit 1 ;;
    esac ;;
list)
    printf '{"123456789012.dkr.ecr.eu-west-1.amazonaws.com":"AWS","https://123456789012.dkr.ecr.eu-west-1.amazonaws.com":"AWS"}\n' ;;
erase|store) echo "not implemented"; exit 1 ;;
version) echo "0.7.1" ;;
*) exit 1 ;;
esac
"#;

/// The real stores a case uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Real {
    /// Hermetic PATH: only the case's fakes (none of pass, skopeo, ...).
    None,
    /// The real docker-credential-pass with a throwaway key; system PATH.
    Pass,
    /// The real docker-credential-secretservice on a private bus; system PATH.
    SecretService,
}

/// One config of the corpus and the world around it.
struct Case {
    file: &'static str,
    /// Replace `pass` by the real store's name in the text.
    real: Real,
    /// `--podman`-style: audit with `--authfile FILE` (a containers auth.json).
    authfile: bool,
    /// Seed the real store: (server URL, username, secret).
    seed: &'static [(&'static str, &'static str, &'static str)],
    /// Fake or stand-in helpers to install: (name, script body), "" for a
    /// working fake (tests/common's FAKE_HELPER).
    helpers: &'static [(&'static str, &'static str)],
    /// Mode of the file (0600 unless a case says).
    mode: u32,
    /// Findings (code, registry or "-") the first audit must hold.
    expect: &'static [(&'static str, &'static str)],
    /// Findings that must be fixed by running a printed command.
    fixed_by_command: &'static [&'static str],
    /// Findings that must not appear at all.
    absent: &'static [&'static str],
}

/// The world a case runs in: HOME, PATH, the real store's env.
struct Lab {
    env: TestEnv,
    path: String,
    extra: Vec<(String, String)>,
    global: Vec<String>,
    _pass: Option<PassStore>,
    _ss: Option<SecretService>,
}

impl Lab {
    fn dockercfg(&self) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("dockercfg"));
        self.prepare(&mut c);
        c.args(&self.global);
        c
    }

    fn prepare(&self, c: &mut Command) {
        c.env_clear()
            .env("HOME", self.env.home())
            .env("PATH", &self.path)
            .env("LANG", "C.UTF-8")
            // gpg and the keyring are slow on a loaded CI machine: a helper
            // timing out would look like a lost login.
            .env("DOCKERCFG_HELPER_TIMEOUT", "60")
            .envs(self.extra.iter().map(|(k, v)| (k, v)));
    }

    fn audit(&self) -> Vec<Value> {
        let out = self.dockercfg().args(["audit", "--json"]).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("audit: {out:?}"))
    }

    /// Every login `list` shows, with what `get` answers for it (None when
    /// it cannot be read).
    fn reachable(&self) -> BTreeMap<String, Value> {
        let out = self.dockercfg().args(["list", "--json"]).output().unwrap();
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let mut map = BTreeMap::new();
        for r in rows {
            let reg = r["registry"].as_str().unwrap().to_string();
            let got = self.dockercfg().args(["get", &reg]).output().unwrap();
            if got.status.success() {
                let v: Value = serde_json::from_slice(&got.stdout).unwrap();
                map.insert(reg, json!([v["Username"], v["Secret"]]));
            }
        }
        map
    }

    /// Run a fix as the user would paste it: `sh -c FIX`, with dockercfg
    /// (and the case's helpers) on PATH.
    fn run_fix(&self, fix: &str) -> Output {
        let mut c = Command::new("/bin/sh");
        self.prepare(&mut c);
        c.arg("-c").arg(fix).current_dir(self.env.home());
        c.output().unwrap()
    }
}

fn setup(case: &Case) -> Option<Lab> {
    let mut env = TestEnv::new();
    // dockercfg itself on PATH, so fixes run as printed.
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        env.bin_dir().join("dockercfg"),
    )
    .unwrap();
    let (mut pass, mut ss) = (None, None);
    let mut extra = Vec::new();
    let store_name = match case.real {
        Real::None => "pass",
        Real::Pass => {
            let p = real::require(PassStore::start())?;
            extra.extend(p.env());
            for (url, user, secret) in case.seed {
                let (ok, out, err) = p.helper(
                    "store",
                    &json!({"ServerURL": url, "Username": user, "Secret": secret}).to_string(),
                );
                assert!(ok, "seed pass: {out} {err}");
            }
            pass = Some(p);
            "pass"
        }
        Real::SecretService => {
            let s = real::require(SecretService::start())?;
            extra.extend(s.env());
            for (url, user, secret) in case.seed {
                let (ok, out, err) = s.helper(
                    "store",
                    &json!({"ServerURL": url, "Username": user, "Secret": secret}).to_string(),
                );
                assert!(ok, "seed secretservice: {out} {err}");
            }
            ss = Some(s);
            "secretservice"
        }
    };
    for (name, body) in case.helpers {
        if body.is_empty() {
            env.fake_helper(name);
        } else {
            env.script_helper(name, &body.replace("@EXP@", &(now() + 43_200).to_string()));
        }
    }
    let path = match case.real {
        Real::None => env.path_var(),
        _ => env.system_path(),
    };
    let text = corpus(case.file).replace("\"pass\"", &format!("\"{store_name}\""));
    let mut global = Vec::new();
    if case.authfile {
        let f = env.home().join("auth.json");
        std::fs::write(&f, &text).unwrap();
        common::set_mode(&f, case.mode);
        global = vec!["--authfile".into(), f.display().to_string()];
    } else {
        env.write_config(&text);
        common::set_mode(&env.config_path(), case.mode);
        common::set_mode(&env.config_dir(), 0o700);
    }
    env.add_env(extra.clone());
    Some(Lab {
        env,
        path,
        extra,
        global,
        _pass: pass,
        _ss: ss,
    })
}

fn key(f: &Value) -> (String, String) {
    (
        f["code"].as_str().unwrap().to_string(),
        f["registry"].as_str().unwrap_or("-").to_string(),
    )
}

/// Fixes that need the user at the keyboard (a new token, a password):
/// run by a person, not by this loop.
fn interactive(fix: &str) -> bool {
    fix.split("&&")
        .any(|c| c.split_whitespace().nth(1) == Some("login") || c.contains(" login "))
}

/// The loop for one case; returns the codes fixed by a command.
fn close_the_loop(case: &Case, lab: &Lab) -> BTreeSet<String> {
    let name = case.file;
    let mut findings = lab.audit();
    let have: BTreeSet<(String, String)> = findings.iter().map(key).collect();
    for (c, r) in case.expect {
        assert!(
            have.contains(&(c.to_string(), r.to_string())),
            "{name}: expected {c} for {r} in {findings:#?}"
        );
    }
    for c in case.absent {
        assert!(
            !findings.iter().any(|f| f["code"] == *c),
            "{name}: {c} in {findings:#?}"
        );
    }
    let mut reach = lab.reachable();
    let mut fixed = BTreeSet::new();
    let mut ran: Vec<String> = Vec::new();
    for _round in 0..30 {
        let next = findings.iter().find(|f| {
            f["fix"]
                .as_str()
                .is_some_and(|x| !interactive(x) && !ran.contains(&x.to_string()))
        });
        let Some(f) = next.cloned() else { break };
        let fix = f["fix"].as_str().unwrap().to_string();
        ran.push(fix.clone());
        let out = lab.run_fix(&fix);
        assert!(
            out.status.success(),
            "{name}: the fix for {} failed when pasted: {fix}\n{}\n{}",
            key(&f).0,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let after = lab.audit();
        let before: BTreeSet<(String, String)> = findings.iter().map(key).collect();
        let now: BTreeSet<(String, String)> = after.iter().map(key).collect();
        assert!(
            !now.contains(&key(&f)),
            "{name}: `{fix}` left its finding {:?}: {after:#?}",
            key(&f)
        );
        let new: Vec<_> = now.difference(&before).collect();
        assert!(
            new.is_empty(),
            "{name}: `{fix}` brought new findings {new:?}: {after:#?}"
        );
        // Every login read before reads the same, unless this fix logs out
        // of it.
        let removes = fix.split_whitespace().any(|w| w == "logout");
        let reach_after = lab.reachable();
        for (reg, creds) in &reach {
            if removes && fix.contains(reg.as_str()) {
                continue;
            }
            assert_eq!(
                reach_after.get(reg),
                Some(creds),
                "{name}: `{fix}` lost the login for {reg}; before {reach:?}, after {reach_after:?}"
            );
        }
        fixed.insert(key(&f).0);
        reach = reach_after;
        findings = after;
    }
    for c in case.fixed_by_command {
        assert!(
            fixed.contains(*c),
            "{name}: no command fixed {c}; ran {ran:#?}; left {findings:#?}"
        );
    }
    fixed
}

const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const HUB: &str = "https://index.docker.io/v1/";

const NO_SEED: &[(&str, &str, &str)] = &[];

fn case(file: &'static str, real: Real) -> Case {
    Case {
        file,
        real,
        authfile: false,
        seed: NO_SEED,
        helpers: &[],
        mode: 0o600,
        expect: &[],
        fixed_by_command: &[],
        absent: &[],
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            expect: &[
                ("helper-missing", "-"),
                ("helper-missing", HUB),
                ("helper-missing", "ghcr.io"),
            ],
            fixed_by_command: &["helper-missing"],
            ..case("desktop-leftover-linux.json", Real::None)
        },
        Case {
            expect: &[
                ("helper-missing", "-"),
                ("helper-missing", "registry.gitlab.com"),
            ],
            fixed_by_command: &["helper-missing"],
            ..case("desktop-wsl.json", Real::None)
        },
        Case {
            seed: &[("ghcr.io", "octocat", "ghp_storetoken")],
            expect: &[("helper-missing", ECR)],
            fixed_by_command: &["helper-missing"],
            ..case("ecr-helper-missing.json", Real::Pass)
        },
        Case {
            helpers: &[("ecr-login", ECR_STANDIN)],
            absent: &[
                "helper-missing",
                "helper-error",
                "orphan-placeholder",
                "duplicate-login",
            ],
            ..case("ecr-standin.json", Real::None)
        },
        Case {
            seed: &[
                (HUB, "alice", "dckr_pat_storetoken"),
                ("ghcr.io", "octocat", "ghp_newtoken"),
                ("quay.io", "acme+ci", "QUAYSTORE"),
            ],
            expect: &[("stale-plaintext", HUB), ("stale-plaintext", "ghcr.io")],
            fixed_by_command: &["stale-plaintext"],
            // docker sends the store's token, not the stale password.
            absent: &["docker-hub-password"],
            ..case("stale-plaintext-newer-store.json", Real::Pass)
        },
        Case {
            authfile: true,
            expect: &[
                ("plaintext-credentials", "quay.io/acme/private-app"),
                ("plaintext-credentials", "quay.io"),
                ("plaintext-credentials", "ghcr.io"),
                ("plaintext-credentials", "docker.io"),
            ],
            fixed_by_command: &["plaintext-credentials"],
            ..case("podman-namespaced.json", Real::Pass)
        },
        Case {
            expect: &[("undecodable-entry", "old-nexus.corp.example:8443")],
            fixed_by_command: &["undecodable-entry"],
            ..case("undecodable-entry.json", Real::None)
        },
        Case {
            seed: &[("quay.io", "acme+ci", "QUAYSTORE")],
            mode: 0o644,
            expect: &[("file-permissions", "-")],
            fixed_by_command: &["file-permissions"],
            ..case("loose-mode.json", Real::Pass)
        },
        Case {
            expect: &[
                ("helper-missing", "europe-west4-docker.pkg.dev"),
                ("helper-missing", "us-docker.pkg.dev"),
            ],
            fixed_by_command: &["helper-missing"],
            ..case("gcloud-credhelpers.json", Real::None)
        },
        Case {
            seed: &[("ghcr.io", "octocat", "ghp_storetoken")],
            expect: &[("key-case", "-")],
            // dockercfg reads `credsstore` as docker does (rule 11): the
            // placeholder's secret is found in pass.
            absent: &["orphan-placeholder", "helper-missing"],
            ..case("key-case.json", Real::Pass)
        },
        Case {
            // `Auths` beside `auths`, with an `Auth` login in plaintext that
            // docker ignores for credsStore's: the move into pass reaches it
            // and leaves no secret behind (stale-plaintext is gone).
            seed: &[("ghcr.io", "octocat", "ghp_storetoken")],
            expect: &[("key-case", "-"), ("stale-plaintext", "quay.io")],
            fixed_by_command: &["stale-plaintext"],
            absent: &["orphan-placeholder"],
            ..case("key-case-beside.json", Real::Pass)
        },
        Case {
            expect: &[("ignored-key", "-")],
            ..case("ignored-key.json", Real::None)
        },
        Case {
            seed: &[("ghcr.io", "octocat", "ghp_storetoken")],
            expect: &[
                ("helper-prefix", "-"),
                ("helper-prefix", "registry.example.com"),
            ],
            fixed_by_command: &["helper-prefix"],
            // helper-prefix carries the fix; helper-missing's would drop the logins.
            absent: &["helper-missing"],
            ..case("helper-prefix.json", Real::Pass)
        },
        Case {
            expect: &[("empty-creds-store", "-")],
            fixed_by_command: &["empty-creds-store"],
            ..case("empty-creds-store.json", Real::None)
        },
        Case {
            seed: &[("registry.example.com", "deploy", "r3g-newer")],
            expect: &[("stale-plaintext", "registry.example.com")],
            fixed_by_command: &["stale-plaintext"],
            ..case("auths-and-credhelpers.json", Real::SecretService)
        },
        Case {
            // The store lacks it: the file's copy is the login, moved there.
            expect: &[("stale-plaintext", "registry.example.com")],
            fixed_by_command: &["stale-plaintext"],
            ..case("auths-and-credhelpers.json", Real::Pass)
        },
        Case {
            helpers: &[("ecr-login", ECR_STANDIN)],
            expect: &[("ecr-creds-store", "-")],
            fixed_by_command: &["ecr-creds-store"],
            ..case("ecr-global-store.json", Real::None)
        },
        Case {
            expect: &[
                ("expired-token", ECR),
                ("expiring-token", "registry.gitlab.com"),
            ],
            fixed_by_command: &["expired-token", "expiring-token"],
            ..case("expired-and-expiring.json", Real::None)
        },
    ]
}

#[test]
fn every_fix_works_when_pasted() {
    let only = std::env::var("FIXLOOP_CASE").ok();
    let mut failures = Vec::new();
    for case in cases() {
        if only.as_deref().is_some_and(|o| !case.file.contains(o)) {
            continue;
        }
        let Some(lab) = setup(&case) else { continue };
        let r =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| close_the_loop(&case, &lab)));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{} ({:?}): {msg}", case.file, case.real));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Usage errors exit 2 before anything is read or written, as the README's
/// exit-status table promises: a bad duration, a bad glob, a bad helper name.
#[test]
fn usage_errors_exit_2_and_change_nothing() {
    let env = TestEnv::new();
    let text = format!(
        r#"{{"auths": {{"x.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    );
    env.write_config(&text);
    for args in [
        &["audit", "--expiry-warning", "3x"][..],
        &["audit", "--expiry-warning", "h"],
        &["logout", "--match", "["],
        &["logout", "--match", "*.io", "--match", "x[a-"],
        &["logout", "--expired", "--match", "["],
        &["migrate", "--store", "a/b"],
        &["migrate", "--helper", "x.io=../pass"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(env.read_config(), text, "{args:?} changed the file");
    }
}

/// docker-hub-password is judged on the secret docker sends: with
/// `credsStore`, the store's (read with --deep), never the stale file copy.
#[test]
fn docker_hub_password_is_judged_on_what_docker_sends() {
    let env = TestEnv::new();
    env.fake_helper("fake");
    let hub = |file_secret: &str, store_secret: &str| {
        env.write_config(&format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}}}, "credsStore": "fake"}}"#,
            auth("alice", file_secret)
        ));
        common::set_mode(&env.config_path(), 0o600);
        common::set_mode(&env.config_dir(), 0o700);
        env.fake_seed("fake", json!({HUB: ["alice", store_secret]}));
        let codes = |deep: bool| -> Vec<(String, String)> {
            let mut c = env.cmd();
            c.args(["audit", "--json"]);
            if deep {
                c.arg("--deep");
            }
            let out = c.output().unwrap();
            let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            v.iter()
                .map(key)
                .filter(|k| k.0 == "docker-hub-password")
                .collect()
        };
        (codes(false), codes(true))
    };
    // A stale password in the file, a token in the store: docker sends the
    // token, so no finding (before #13 the stale copy raised one).
    assert_eq!(hub("hunter2", "dckr_pat_abc"), (vec![], vec![]));
    // A stale token in the file, the password in the store: --deep finds it.
    let (plain, deep) = hub("dckr_pat_abc", "hunter2");
    assert_eq!(plain, vec![]);
    assert_eq!(
        deep,
        vec![("docker-hub-password".to_string(), HUB.to_string())]
    );
    // Without a store, the file's secret is the one sent.
    env.write_config(&format!(
        r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{}"}}}}}}"#,
        auth("alice", "hunter2")
    ));
    let v = audit_json(&env);
    assert!(
        v.iter().any(|f| f["code"] == "docker-hub-password"),
        "{v:?}"
    );
}

/// After `sudo docker login` the config in the user's home is root's. The
/// user's audit names the fix that works: fix-perms under sudo on that very
/// file (sudo sets HOME to root's). A stand-in `sudo` does what sudo does
/// here (root, SUDO_UID/SUDO_GID, HOME=/root); the user is `dockercfg-test`.
#[test]
fn a_root_owned_config_gets_the_sudo_fix() {
    use std::os::unix::fs::MetadataExt;
    if !common::require_root("the root-owned config test") {
        return;
    }
    let (uid, gid, home) = test_user();
    let base = tempfile::Builder::new()
        .prefix("fixloop")
        .tempdir_in(&home)
        .unwrap();
    let user_home = base.path().to_path_buf();
    std::os::unix::fs::chown(&user_home, Some(uid), Some(gid)).unwrap();
    let dir = user_home.join(".docker");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    common::set_mode(&dir, 0o700);
    let file = dir.join("config.json");
    std::fs::write(&file, corpus("root-owned-after-sudo.json")).unwrap();
    common::set_mode(&file, 0o644); // as root's umask left it; owner root
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        bin.path().join("dockercfg"),
    )
    .unwrap();
    let sudo = bin.path().join("sudo");
    std::fs::write(
        &sudo,
        format!("#!/bin/sh\nexport SUDO_UID={uid} SUDO_GID={gid} SUDO_USER=dockercfg-test HOME=/root\nexec \"$@\"\n"),
    )
    .unwrap();
    common::set_mode(&sudo, 0o755);
    common::set_mode(bin.path(), 0o755);
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let audit_as_user = || -> Vec<Value> {
        let out = Command::new("setpriv")
            .args([
                format!("--reuid={uid}"),
                format!("--regid={gid}"),
                "--clear-groups".into(),
            ])
            .arg(assert_cmd::cargo::cargo_bin("dockercfg"))
            .args(["audit", "--json"])
            .env_clear()
            .env("HOME", &user_home)
            .env("PATH", &path)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
    };
    let before = audit_as_user();
    let want = format!("sudo dockercfg --config {} fix-perms", file.display());
    for code in ["wrong-owner", "file-permissions"] {
        let f = before
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("{code}: {before:#?}"));
        assert_eq!(f["fix"], want.as_str(), "{f}");
    }
    // Pasted as printed (the user's shell runs sudo, which runs it as root).
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(&want)
        .env_clear()
        .env("PATH", &path)
        .env("HOME", &user_home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let m = std::fs::metadata(&file).unwrap();
    assert_eq!((m.uid(), m.gid(), m.mode() & 0o777), (uid, gid, 0o600));
    let after = audit_as_user();
    assert!(
        !after
            .iter()
            .any(|f| ["wrong-owner", "file-permissions", "dir-permissions"]
                .contains(&f["code"].as_str().unwrap())),
        "{after:#?}"
    );
}

/// A config fix-perms refuses (config.json a symlink to a file outside the
/// config directory that belongs to someone else) gets no `fix-perms` fix:
/// the message says what fix-perms says instead.
#[test]
fn a_config_fix_perms_refuses_gets_its_words_not_a_command() {
    if !common::require_root("the refused fix-perms test") {
        return;
    }
    let env = TestEnv::new();
    std::fs::create_dir(env.config_dir()).unwrap();
    common::set_mode(&env.config_dir(), 0o700);
    // A stand-in for a system file: root's, 0644, outside the config dir.
    let sys = tempfile::tempdir().unwrap();
    let target = sys.path().join("shared-config.json");
    std::fs::write(&target, "{}").unwrap();
    common::set_mode(&target, 0o644);
    std::os::unix::fs::symlink(&target, env.config_path()).unwrap();
    // The home belongs to nobody, who runs the audit.
    for p in [env.home().to_path_buf(), env.config_dir()] {
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
    }
    let out = common::as_nobody(&env)
        .args(["audit", "--json"])
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
    for f in v
        .iter()
        .filter(|f| f["code"] == "file-permissions" || f["code"] == "wrong-owner")
    {
        assert_eq!(f["fix"], Value::Null, "{f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("fix-perms leaves it"),
            "{f}"
        );
        assert!(
            f["message"].as_str().unwrap().contains("symbolic link"),
            "{f}"
        );
    }
    assert!(v.iter().any(|f| f["code"] == "file-permissions"), "{v:#?}");
    // fix-perms itself indeed refuses and changes nothing.
    let _ = common::as_nobody(&env).arg("fix-perms").output().unwrap();
    assert_eq!(common::mode_of(&target), 0o644);
}

/// The unprivileged user the sudo cases need (home in the password
/// database), created once as tests/fix_perms.rs does.
fn test_user() -> (u32, u32, PathBuf) {
    static CREATE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = CREATE.lock().unwrap_or_else(|e| e.into_inner());
    let lookup = || {
        let out = Command::new("getent")
            .args(["passwd", "dockercfg-test"])
            .output()
            .ok()?;
        let line = String::from_utf8(out.stdout).ok()?;
        let f: Vec<String> = line.trim_end().split(':').map(str::to_string).collect();
        (f.len() >= 7).then(|| {
            (
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                PathBuf::from(&f[5]),
            )
        })
    };
    if lookup().is_none() {
        let _ = Command::new("useradd")
            .args([
                "--create-home",
                "--home-dir",
                "/home/dockercfg-test",
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                "dockercfg-test",
            ])
            .status();
    }
    let u: (u32, u32, PathBuf) = lookup().expect("the test user exists after useradd");
    std::fs::create_dir_all(&u.2).unwrap();
    u
}

/// `migrate --store` leaves podman, skopeo and buildah without the logins
/// (they read config.json but never credsStore). The real skopeo and
/// docker against the real registry and pass: skopeo is refused, audit
/// reports `podman-ignores-store`, its fix run as printed makes skopeo work
/// and docker still works.
#[test]
fn podman_ignores_store_fix_lets_skopeo_use_the_logins() {
    if real::require(real::skopeo_client()).is_none()
        || real::require(real::docker_client()).is_none()
    {
        return;
    }
    let Some(reg) = real::require(Registry::start("alice", "s3cret-pw")) else {
        return;
    };
    let Some(pass) = real::require(PassStore::start()) else {
        return;
    };
    reg.push_image("team/app", "v1").unwrap();
    let (ok, out, err) = pass.helper(
        "store",
        &json!({"ServerURL": reg.addr, "Username": "alice", "Secret": "s3cret-pw"}).to_string(),
    );
    assert!(ok, "{out} {err}");
    let mut env = TestEnv::new();
    env.add_env(pass.env());
    env.add_env(vec![("PATH".into(), env.system_path())]);
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        env.bin_dir().join("dockercfg"),
    )
    .unwrap();
    env.write_config(&json!({"auths": {&reg.addr: {}}, "credsStore": "pass"}).to_string());
    common::set_mode(&env.config_path(), 0o600);
    common::set_mode(&env.config_dir(), 0o700);
    let image = format!("docker://{}/team/app:v1", reg.addr);
    let skopeo = |env: &TestEnv| {
        Command::new(real::skopeo_client().unwrap())
            .args(["--insecure-policy", "inspect", "--tls-verify=false", &image])
            .env_clear()
            .env("PATH", env.system_path())
            .env("HOME", env.home())
            .env("XDG_RUNTIME_DIR", env.home())
            .env("TMPDIR", env.home())
            .envs(pass.env())
            .output()
            .unwrap()
    };
    let out = skopeo(&env);
    assert!(
        !out.status.success(),
        "skopeo read it through credsStore? {out:?}"
    );

    let findings = audit_json(&env);
    let f = findings
        .iter()
        .find(|f| f["code"] == "podman-ignores-store")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    let fix = f["fix"].as_str().unwrap();
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(fix)
        .env_clear()
        .env("HOME", env.home())
        .env("PATH", env.system_path())
        .envs(pass.env())
        .output()
        .unwrap();
    assert!(out.status.success(), "{fix}: {out:?}");
    let out = skopeo(&env);
    assert!(out.status.success(), "skopeo after `{fix}`: {out:?}");
    let out = docker(
        &env.config_dir(),
        &[
            "manifest",
            "inspect",
            "--insecure",
            &format!("{}/team/app:v1", reg.addr),
        ],
        &pass.env(),
        "",
    );
    assert!(out.status.success(), "docker after `{fix}`: {out:?}");
    let after = audit_json(&env);
    assert!(
        !after.iter().any(|f| f["code"] == "podman-ignores-store"),
        "{after:#?}"
    );
}

/// `sudo dockercfg audit` with sudo's HOME=/root audits root's config: a
/// root-owned file there is not `wrong-owner` (fix-perms would not give it
/// to the user either), and audit says what fix-perms says: whose config
/// this is and the command for the user's own. A temp dir stands in for
/// /root.
#[test]
fn under_sudo_roots_own_config_is_roots() {
    if !common::require_root("the sudo audit test") {
        return;
    }
    let (uid, gid, _) = test_user();
    let env = TestEnv::new();
    env.write_config("{}");
    common::set_mode(&env.config_path(), 0o644);
    common::set_mode(&env.config_dir(), 0o700);
    let out = env
        .cmd()
        .args(["audit", "--json"])
        .env("SUDO_UID", uid.to_string())
        .env("SUDO_GID", gid.to_string())
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
    assert!(!v.iter().any(|f| f["code"] == "wrong-owner"), "{v:#?}");
    let note = v
        .iter()
        .find(|f| f["code"] == "sudo-root-config")
        .unwrap_or_else(|| panic!("{v:#?}"));
    assert_eq!(note["severity"], "info");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("sudo dockercfg --config /home/dockercfg-test/.docker fix-perms"),
        "{note}"
    );
    // fix-perms makes root's file private and gives it to no one.
    let f = v.iter().find(|f| f["code"] == "file-permissions").unwrap();
    assert_eq!(f["fix"], "dockercfg fix-perms");
}
