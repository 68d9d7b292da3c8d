//! `dockercfg exec`: the command gets a private config with exactly the
//! logins named, the real docker client uses it, and nothing is left on
//! disk however the run ends (normal exit, failure, SIGTERM to dockercfg,
//! and a SIGKILLed run cleaned up by the next). The user's config is only
//! read, and the secret never shows in output, argv or the command's
//! environment.
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::real::{docker_client, require, Registry};
use common::{auth, TestEnv};
use serde_json::{json, Value};

const SECRET: &str = "exec-S3cret-value";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A TestEnv whose XDG_RUNTIME_DIR is its own `run/` (where private
/// directories go), with the system PATH so real programs can be run.
fn setup() -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new();
    let run = env.home().join("run");
    fs::create_dir(&run).unwrap();
    let path = env.system_path();
    env.add_env(vec![
        ("XDG_RUNTIME_DIR".into(), run.display().to_string()),
        ("PATH".into(), path),
    ]);
    (env, run)
}

/// The private directories present under `run`.
fn leftovers(run: &Path) -> Vec<String> {
    fs::read_dir(run)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dockercfg-exec."))
        .collect()
}

fn exec(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd()
        .arg("exec")
        .args(args)
        .timeout(Duration::from_secs(90))
        .output()
        .unwrap()
}

fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_real_docker_client_reads_a_manifest_with_an_inherited_login_and_nothing_remains() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("execuser", SECRET)) else {
        return;
    };
    reg.push_image("ns/app", "v1").unwrap();
    let (env, run) = setup();
    let user_config = format!(
        "{{\n  \"auths\": {{\"{}\": {{\"auth\": \"{}\"}}}},\n  \"psFormat\": \"table {{{{.ID}}}}\"\n}}\n",
        reg.addr,
        auth(&reg.user, &reg.password)
    );
    env.write_config(&user_config);
    let image = format!("{}/ns/app:v1", reg.addr);
    let inspect = [
        "docker",
        "manifest",
        "inspect",
        "--insecure",
        image.as_str(),
    ];

    // Without a login the registry refuses docker: the test can fail.
    let mut args = vec![
        "--login",
        &reg.addr,
        "-u",
        "nobody",
        "--password-env",
        "NOPW",
        "--no-verify",
        "--",
    ];
    args.extend(inspect);
    let out = env
        .cmd()
        .arg("exec")
        .args(&args)
        .env("NOPW", "wrong")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "docker read the manifest with a wrong password"
    );

    let mut args = vec!["--inherit", reg.addr.as_str(), "--"];
    args.extend(inspect);
    let out = exec(&env, &args);
    assert!(
        out.status.success(),
        "{}\n{}\nregistry log:\n{}",
        text(&out.stdout),
        text(&out.stderr),
        reg.log_tail()
    );
    let manifest: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["schemaVersion"], 2, "{manifest}");
    assert!(!text(&out.stderr).contains(SECRET));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    // The user's own file is only read.
    assert_eq!(env.read_config(), user_config);
}

#[test]
fn a_fresh_login_is_verified_and_its_secret_stays_out_of_argv_env_and_output() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let Some(reg) = require(Registry::start("loginuser", SECRET)) else {
        return;
    };
    reg.push_image("ns/app", "v1").unwrap();
    let (env, run) = setup();
    let image = format!("{}/ns/app:v1", reg.addr);
    let probe = env.home().join("probe");
    // The command shows dockercfg's argv (its parent's), its own
    // environment, then lets docker read the manifest.
    let script = format!(
        "tr '\\0' ' ' < /proc/$PPID/cmdline > {p}; env >> {p}; docker manifest inspect --insecure {image}",
        p = probe.display()
    );
    let out = env
        .cmd()
        .args([
            "exec",
            "--login",
            &reg.addr,
            "--username",
            &reg.user,
            "--password-env",
            "REG_PW",
            "--",
            "sh",
            "-c",
            &script,
        ])
        .env("REG_PW", SECRET)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stderr),
        reg.log_tail()
    );
    assert!(text(&out.stdout).contains("schemaVersion"));
    let seen = fs::read_to_string(&probe).unwrap();
    assert!(seen.contains("DOCKER_CONFIG="), "{seen}");
    assert!(
        !seen.contains(SECRET),
        "the secret reached the command: {seen}"
    );
    assert!(!seen.contains("REG_PW="), "{seen}");
    assert!(!text(&out.stderr).contains(SECRET));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    // Nothing was stored anywhere of the user's.
    assert!(!env.config_path().exists());

    // A wrong password is refused by the registry: nothing runs.
    fs::remove_file(&probe).unwrap();
    let out = env
        .cmd()
        .args([
            "exec",
            "--login",
            &reg.addr,
            "-u",
            &reg.user,
            "--password-env",
            "REG_PW",
            "--",
            "touch",
        ])
        .arg(&probe)
        .env("REG_PW", "not-the-password")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("nothing was run"),
        "{}",
        text(&out.stderr)
    );
    assert!(!probe.exists());
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn the_private_config_holds_both_files_with_each_sides_keys_and_tight_modes() {
    let (env, run) = setup();
    env.write_config(
        &json!({"auths": {
            "https://index.docker.io/v1/": {"auth": auth("hubber", SECRET)},
            "ghcr.io": {"auth": auth("gh", SECRET)},
        }, "credHelpers": {"quay.io": "nothere"}})
        .to_string(),
    );
    let out = exec(
        &env,
        &[
            "--inherit",
            "docker.io",
            "--inherit",
            "https://ghcr.io",
            "--",
            "sh",
            "-c",
            "stat -c '%a %n' \"$DOCKER_CONFIG\" \"$DOCKER_CONFIG/config.json\" \"$REGISTRY_AUTH_FILE\"; cat \"$DOCKER_CONFIG/config.json\"; echo; cat \"$REGISTRY_AUTH_FILE\"",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    let dir = lines.next().unwrap();
    let (mode, path) = dir.split_once(' ').unwrap();
    assert_eq!(mode, "700");
    assert!(
        Path::new(path).starts_with(&run),
        "{path} not under XDG_RUNTIME_DIR"
    );
    assert!(lines.next().unwrap().starts_with("600 "));
    let auth_line = lines.next().unwrap();
    assert!(auth_line.starts_with("600 ") && auth_line.ends_with(&format!("{path}/auth.json")));
    let rest: Vec<&str> = lines.collect();
    let rest = rest.join("\n");
    let (docker, podman) = rest.split_once("}\n{").unwrap();
    let docker: Value = serde_json::from_str(&format!("{docker}}}")).unwrap();
    let podman: Value = serde_json::from_str(&format!("{{{podman}")).unwrap();
    assert_eq!(
        docker,
        json!({"auths": {"https://index.docker.io/v1/": {"auth": auth("hubber", SECRET)}, "ghcr.io": {"auth": auth("gh", SECRET)}}})
    );
    assert_eq!(
        podman,
        json!({"auths": {"docker.io": {"auth": auth("hubber", SECRET)}, "ghcr.io": {"auth": auth("gh", SECRET)}}})
    );
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn exit_status_is_passed_through_and_the_directory_goes_either_way() {
    let (env, run) = setup();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    let out = exec(&env, &["--inherit", "a.io", "--", "sh", "-c", "exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    // Death by a signal is 128+N, as a shell reports it.
    let out = exec(
        &env,
        &["--inherit", "a.io", "--", "sh", "-c", "kill -TERM $$"],
    );
    assert_eq!(out.status.code(), Some(143));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    // A command that does not exist: 127, as env(1) says; nothing left.
    let out = exec(&env, &["--inherit", "a.io", "--", "no-such-command-here"]);
    assert_eq!(out.status.code(), Some(127), "{}", text(&out.stderr));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    // Not logged in: an error, nothing run, nothing made.
    let out = exec(&env, &["--inherit", "b.io", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not logged in to b.io"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

/// Start `dockercfg exec --inherit a.io -- sh -c SCRIPT` in the background;
/// returns once the command wrote its pid to `ready`.
fn start_background(env: &TestEnv, script: &str, ready: &Path) -> std::process::Child {
    let mut c = env.std_cmd();
    for (k, v) in env.env_vars() {
        c.env(k, v);
    }
    let child = c
        .args(["exec", "--inherit", "a.io", "--", "sh", "-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(
        || fs::read_to_string(ready).is_ok_and(|s| s.ends_with('\n')),
        "the command to start",
    );
    child
}

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: kill(2) on a process this test started.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, sig) }, 0);
}

#[test]
fn sigterm_to_dockercfg_is_forwarded_and_the_directory_goes() {
    let (env, run) = setup();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    let ready = env.home().join("ready");
    // The command handles TERM itself: its exit status comes back.
    let script = format!(
        "trap 'exit 7' TERM; echo $$ > {}; while :; do sleep 0.05; done",
        ready.display()
    );
    let mut child = start_background(&env, &script, &ready);
    assert_eq!(leftovers(&run).len(), 1);
    signal(child.id(), libc::SIGTERM);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(7));
    assert_eq!(leftovers(&run), Vec::<String>::new());

    // SIGINT sent by a process (not the terminal) is forwarded too.
    fs::remove_file(&ready).unwrap();
    let script = format!(
        "trap 'exit 9' INT; echo $$ > {}; while :; do sleep 0.05; done",
        ready.display()
    );
    let mut child = start_background(&env, &script, &ready);
    signal(child.id(), libc::SIGINT);
    assert_eq!(child.wait().unwrap().code(), Some(9));
    assert_eq!(leftovers(&run), Vec::<String>::new());

    // A command that does not handle it dies of it: 128+15.
    fs::remove_file(&ready).unwrap();
    let script = format!("echo $$ > {}; exec sleep 30", ready.display());
    let mut child = start_background(&env, &script, &ready);
    signal(child.id(), libc::SIGTERM);
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert_eq!(leftovers(&run), Vec::<String>::new());
    assert!(env.read_config().contains("a.io"));
}

#[test]
fn a_sigkilled_runs_directory_is_removed_by_the_next_run() {
    let (env, run) = setup();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    let ready = env.home().join("ready");
    let script = format!("echo $$ > {}; exec sleep 30", ready.display());
    let mut child = start_background(&env, &script, &ready);
    let left = leftovers(&run);
    assert_eq!(left.len(), 1);
    signal(child.id(), libc::SIGKILL);
    child.wait().unwrap();
    // The orphaned command is stopped by its pid; the directory stays.
    let sleeper: u32 = fs::read_to_string(&ready).unwrap().trim().parse().unwrap();
    signal(sleeper, libc::SIGKILL);
    assert_eq!(leftovers(&run), left);
    let marker = fs::read_to_string(run.join(&left[0]).join("owner")).unwrap();
    assert!(marker.starts_with(&format!("{} ", child.id())), "{marker}");

    // A live run's directory is not touched by another run.
    fs::remove_file(&ready).unwrap();
    let script = format!("echo $$ > {}; exec sleep 30", ready.display());
    let mut live = start_background(&env, &script, &ready);
    let out = exec(&env, &["--inherit", "a.io", "--", "true"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let now = leftovers(&run);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, left, "the killed run's directory is still there");
    signal(live.id(), libc::SIGTERM);
    live.wait().unwrap();
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn docker_auth_config_in_the_environment_is_warned_about() {
    let (env, _run) = setup();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    let out = env
        .cmd()
        .args(["exec", "--inherit", "a.io", "--", "true"])
        .env("DOCKER_AUTH_CONFIG", r#"{"auths":{}}"#)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("DOCKER_AUTH_CONFIG is set"),
        "{}",
        text(&out.stderr)
    );
    let out = exec(&env, &["--inherit", "a.io", "--", "true"]);
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn password_stdin_takes_one_line_and_leaves_the_rest_to_the_command() {
    let (env, _run) = setup();
    let out = env
        .cmd()
        .args([
            "exec",
            "--login",
            "a.io",
            "-u",
            "me",
            "--password-stdin",
            "--no-verify",
            "--",
            "sh",
            "-c",
            "cat; cat \"$REGISTRY_AUTH_FILE\"",
        ])
        .write_stdin(format!("{SECRET}\nfor the command\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("for the command\n"), "{stdout}");
    assert!(stdout.contains(&auth("me", SECRET)), "{stdout}");
}

#[test]
fn inherited_logins_come_from_helpers_which_are_never_asked_to_store() {
    let (env, run) = setup();
    env.fake_helper("vault");
    env.fake_seed("vault", json!({"ghcr.io": ["gh", SECRET]}));
    env.write_config(r#"{"auths": {"ghcr.io": {}}, "credsStore": "vault"}"#);
    let before = env.read_config();
    let out = exec(
        &env,
        &[
            "--inherit",
            "ghcr.io",
            "--",
            "sh",
            "-c",
            "cat \"$DOCKER_CONFIG/config.json\"",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let private: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Only the login: no credsStore, so docker in the command stores nothing.
    assert_eq!(
        private,
        json!({"auths": {"ghcr.io": {"auth": auth("gh", SECRET)}}})
    );
    let actions: Vec<String> = env
        .fake_log("vault")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["argv"][1]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(actions.contains(&"get".to_string()), "{actions:?}");
    assert!(
        !actions.iter().any(|a| a == "store" || a == "erase"),
        "{actions:?}"
    );
    assert_eq!(env.read_config(), before);
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn flags_pair_up_or_are_refused_before_anything_runs() {
    let (env, run) = setup();
    let flag = env.home().join("ran");
    let touch = flag.display().to_string();
    for args in [
        vec![
            "--login",
            "a.io",
            "--login",
            "b.io",
            "-u",
            "x",
            "--password-env",
            "P",
            "--no-verify",
        ],
        vec![
            "--login",
            "a.io",
            "--login",
            "b.io",
            "-u",
            "x",
            "-u",
            "y",
            "--password-stdin",
            "--no-verify",
        ],
        vec![
            "--login",
            "a.io",
            "-u",
            "x",
            "--password-env",
            "UNSET_VAR_FOR_TEST",
            "--no-verify",
        ],
        vec![
            "--login",
            "a.io",
            "-u",
            "x",
            "--password-env",
            "P",
            "--login",
            "https://a.io/v2/",
            "-u",
            "y",
            "--password-env",
            "P",
            "--no-verify",
        ],
    ] {
        let out = env
            .cmd()
            .arg("exec")
            .args(&args)
            .args(["--", "touch", &touch])
            .env("P", SECRET)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains(SECRET));
        assert!(!flag.exists(), "{args:?} ran the command");
    }
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn a_signal_before_the_command_starts_ends_the_run_and_nothing_runs() {
    let (env, run) = setup();
    env.fake_helper("vault");
    env.fake_seed("vault", json!({"ghcr.io": ["gh", SECRET]}));
    // `get` takes 3 s: dockercfg is signalled while it waits for it.
    env.fake_faults("vault", json!({"slow": 3}));
    env.write_config(r#"{"auths": {"ghcr.io": {}}, "credsStore": "vault"}"#);
    let flag = env.home().join("ran");
    let mut c = env.std_cmd();
    for (k, v) in env.env_vars() {
        c.env(k, v);
    }
    let mut child = c
        .args(["exec", "--inherit", "ghcr.io", "--", "touch"])
        .arg(&flag)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(
        || env.fake_log("vault").contains("\"get\""),
        "the helper call",
    );
    let start = Instant::now();
    signal(child.id(), libc::SIGTERM);
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "waited for the helper"
    );
    std::thread::sleep(Duration::from_secs(3));
    assert!(!flag.exists(), "the command ran after the signal");
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

#[test]
fn the_users_own_docker_plugins_stay_available_to_the_command() {
    let Some(_) = require(docker_client()) else {
        return;
    };
    let (env, run) = setup();
    env.write_config(&json!({"auths": {"a.io": {"auth": auth("u", SECRET)}}}).to_string());
    // A CLI plugin installed the way docker's docs say: ~/.docker/cli-plugins.
    let plugins = env.config_dir().join("cli-plugins");
    fs::create_dir(&plugins).unwrap();
    let plugin = plugins.join("docker-hello");
    fs::write(
        &plugin,
        "#!/bin/sh\nif [ \"$1\" = docker-cli-plugin-metadata ]; then echo '{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"test\",\"Version\":\"1\",\"ShortDescription\":\"t\"}'; exit 0; fi\necho hello-from-plugin\n",
    )
    .unwrap();
    common::set_mode(&plugin, 0o755);
    let out = exec(&env, &["--inherit", "a.io", "--", "docker", "hello"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hello-from-plugin\n");
    assert_eq!(leftovers(&run), Vec::<String>::new());
}

/// `exec --login` checks with the registry as `login` does: `--timeout`
/// bounds the whole check against a registry that accepts and never
/// answers; the error names the timeout and nothing is run.
#[test]
fn timeout_bounds_the_check_of_a_login_as_for_login() {
    let (env, run) = setup();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s); // accepted, never read, never answered
        }
    });
    let marker = env.home().join("ran");
    let touch = format!("touch {}", marker.display());
    let start = Instant::now();
    let o = env
        .cmd()
        .args(["exec", "--timeout", "2", "--login", &host, "-u", "me"])
        .args(["--password-stdin", "--", "sh", "-c", &touch])
        .write_stdin("pw\n")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let took = start.elapsed();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "took {took:?}: {err}"
    );
    assert!(
        err.contains("2 s timeout") && err.contains("nothing was run"),
        "{err}"
    );
    assert!(!marker.exists(), "the command ran");
    assert!(leftovers(&run).is_empty());
    // As for login: a bad value or --timeout with --no-verify is a usage error.
    for args in [
        vec!["--timeout", "0"],
        vec!["--timeout", "3", "--no-verify"],
    ] {
        let o = env
            .cmd()
            .arg("exec")
            .args(&args)
            .args([
                "--login",
                &host,
                "-u",
                "me",
                "--password-stdin",
                "--",
                "true",
            ])
            .write_stdin("pw\n")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
    }
}
