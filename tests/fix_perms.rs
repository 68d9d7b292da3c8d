//! `fix-perms` and `audit --fix` against symlinks, sudo and plain root
//! (#12): what may be chmodded or chowned. System files are stand-ins
//! (root-owned temp files), checked before and after; the real /etc is never
//! the target.
//!
//! The sudo cases need a user whose home is in the password database, since
//! the rule reads the home from there and not from $HOME: `dockercfg-test`,
//! created once with useradd if it is missing (home /home/dockercfg-test,
//! no login shell). Each test works in its own temp directory inside that
//! home. Tests that need root fail on CI without it and skip elsewhere.
mod common;

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{set_mode, TestEnv};
use tempfile::TempDir;

const TEST_USER: &str = "dockercfg-test";

struct SudoUser {
    name: String,
    uid: u32,
    gid: u32,
    home: PathBuf,
}

fn lookup(name: &str) -> Option<SudoUser> {
    let out = Command::new("getent")
        .args(["passwd", name])
        .output()
        .ok()?;
    let line = String::from_utf8(out.stdout).ok()?;
    let f: Vec<&str> = line.trim_end().split(':').collect();
    (f.len() >= 7).then(|| SudoUser {
        name: f[0].to_string(),
        uid: f[2].parse().unwrap(),
        gid: f[3].parse().unwrap(),
        home: PathBuf::from(f[5]),
    })
}

/// The unprivileged user who "ran sudo", created once (idempotent: a
/// concurrent useradd that finds it already there is fine).
fn sudo_user() -> Option<SudoUser> {
    if !common::require_root("the sudo and root fix-perms tests") {
        return None;
    }
    static CREATE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = CREATE.lock().unwrap_or_else(|e| e.into_inner());
    if lookup(TEST_USER).is_none() {
        let _ = Command::new("useradd")
            .args(["--create-home", "--home-dir"])
            .arg(format!("/home/{TEST_USER}"))
            .args(["--shell", "/usr/sbin/nologin", "--user-group", TEST_USER])
            .status()
            .expect("useradd (passwd package)");
    }
    let u = lookup(TEST_USER).expect("the test user exists after useradd");
    fs::create_dir_all(&u.home).unwrap();
    Some(u)
}

/// (mode, uid, gid) of what `p` names, links followed.
fn state(p: &Path) -> (u32, u32, u32) {
    let m = fs::metadata(p).unwrap();
    (m.mode() & 0o7777, m.uid(), m.gid())
}

fn chown(p: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::lchown(p, Some(uid), Some(gid)).unwrap();
}

/// A root-owned 0755 directory in /tmp holding a root-owned file `name`
/// of `mode`: the stand-in for /etc and /etc/shadow or /etc/passwd.
fn system_standin(name: &str, mode: u32) -> (TempDir, PathBuf) {
    let sys = tempfile::Builder::new()
        .prefix("dcfg-sys")
        .tempdir()
        .unwrap();
    set_mode(sys.path(), 0o755);
    let f = sys.path().join(name);
    fs::write(&f, "root:$6$secret-hash:19000:0:99999:7:::\n").unwrap();
    set_mode(&f, mode);
    (sys, f)
}

/// A directory inside the sudo user's home, for one test's config.
fn in_users_home(u: &SudoUser) -> TempDir {
    let d = tempfile::Builder::new()
        .prefix("dcfg")
        .tempdir_in(&u.home)
        .unwrap();
    chown(d.path(), u.uid, u.gid);
    set_mode(d.path(), 0o755);
    d
}

/// The binary as root with HOME as given, under sudo for `sudo`.
fn dcfg(home: &Path, sudo: Option<&SudoUser>, args: &[&str]) -> Output {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("dockercfg"));
    c.args(args)
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env_remove("DOCKER_CONFIG")
        .env_remove("DOCKER_AUTH_CONFIG")
        .env_remove("SUDO_UID")
        .env_remove("SUDO_GID")
        .env_remove("SUDO_USER");
    if let Some(u) = sudo {
        c.env("SUDO_UID", u.uid.to_string())
            .env("SUDO_GID", u.gid.to_string())
            .env("SUDO_USER", &u.name);
    }
    c.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const RUNS: [&[&str]; 3] = [
    &["fix-perms", "--check"],
    &["fix-perms"],
    &["audit", "--fix"],
];

/// Each of fix-perms --check, fix-perms and audit --fix leaves `kept`
/// exactly as they were, says so on stderr naming `named`, and (fix-perms)
/// exits 1 for the refusal.
fn assert_refused(run: impl Fn(&[&str]) -> Output, kept: &[&Path], named: &Path) {
    let before: Vec<_> = kept.iter().map(|p| state(p)).collect();
    for args in RUNS {
        let out = run(args);
        let after: Vec<_> = kept.iter().map(|p| state(p)).collect();
        assert_eq!(after, before, "{args:?} changed it: {out:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&named.display().to_string()) && err.contains("left as it is"),
            "{args:?}: not reported: {err}"
        );
        assert!(!err.contains("cannot change"), "{args:?}: {err}");
        // No change planned or made on it (changes print as `PATH: mode`
        // or `PATH: owner`; audit's own findings may name it).
        let all = stdout(&out) + &err;
        for p in kept {
            for what in ["mode", "owner"] {
                let change = format!("{}: {what}", p.display());
                assert!(!all.contains(&change), "{args:?} planned `{change}`: {all}");
            }
        }
        if args[0] == "fix-perms" {
            assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        }
    }
}

#[test]
fn under_sudo_a_config_json_linked_to_a_root_file_is_left_alone_and_reported() {
    let Some(u) = sudo_user() else { return };
    let h = in_users_home(&u);
    let docker = h.path().join(".docker");
    fs::create_dir(&docker).unwrap();
    chown(&docker, u.uid, u.gid);
    set_mode(&docker, 0o700);
    let (sys, shadow) = system_standin("shadow", 0o640);
    let link = docker.join("config.json");
    symlink(&shadow, &link).unwrap();
    chown(&link, u.uid, u.gid);
    assert_refused(
        |args| dcfg(h.path(), Some(&u), args),
        &[&shadow, sys.path()],
        &shadow,
    );
    assert_eq!(fs::read_link(&link).unwrap(), shadow);
}

#[test]
fn under_sudo_a_docker_dir_linked_to_a_root_dir_is_left_alone_and_reported() {
    let Some(u) = sudo_user() else { return };
    let h = in_users_home(&u);
    let (sys, _) = system_standin("unused", 0o644);
    let rootdir = sys.path().join("docker");
    fs::create_dir(&rootdir).unwrap();
    set_mode(&rootdir, 0o755);
    fs::write(rootdir.join("config.json"), "{}").unwrap();
    set_mode(&rootdir.join("config.json"), 0o644);
    let link = h.path().join(".docker");
    symlink(&rootdir, &link).unwrap();
    chown(&link, u.uid, u.gid);
    assert_refused(
        |args| dcfg(h.path(), Some(&u), args),
        &[&rootdir, &rootdir.join("config.json")],
        &rootdir,
    );
}

#[test]
fn as_plain_root_a_link_to_a_system_file_plans_nothing_on_it() {
    if !common::require_root("the plain-root fix-perms test") {
        return;
    }
    let env = TestEnv::new();
    fs::create_dir(env.config_dir()).unwrap();
    set_mode(&env.config_dir(), 0o700);
    let (sys, passwd) = system_standin("passwd", 0o644);
    symlink(&passwd, env.config_path()).unwrap();
    assert_refused(
        |args| dcfg(env.home(), None, args),
        &[&passwd, sys.path()],
        &passwd,
    );
}

#[test]
fn under_sudo_with_roots_home_roots_config_stays_roots_and_the_hint_names_the_users() {
    let Some(u) = sudo_user() else { return };
    // sudo kept HOME as root's: a root home outside the user's.
    let root_home = tempfile::Builder::new()
        .prefix("dcfg-roothome")
        .tempdir()
        .unwrap();
    let docker = root_home.path().join(".docker");
    fs::create_dir(&docker).unwrap();
    set_mode(&docker, 0o755);
    let cfg = docker.join("config.json");
    fs::write(&cfg, r#"{"auths": {"x.io": {"auth": "cm9vdDpzM2NyZXQ="}}}"#).unwrap();
    set_mode(&cfg, 0o644);

    let users_docker = u.home.join(".docker");
    let hint = format!(
        "sudo dockercfg --config {}/.docker fix-perms",
        u.home.display()
    );
    for args in [&["audit", "--fix"][..], &["fix-perms"]] {
        set_mode(&cfg, 0o644);
        set_mode(&docker, 0o755);
        let out = dcfg(root_home.path(), Some(&u), args);
        // Root's own config is made private, and stays root's.
        assert_eq!(state(&cfg), (0o600, 0, 0), "{args:?}: {out:?}");
        assert_eq!(state(&docker), (0o700, 0, 0), "{args:?}: {out:?}");
        let err = stderr(&out);
        assert!(
            err.contains("root's config") && err.contains(&format!("gives nothing to {}", u.name)),
            "{args:?}: {err}"
        );
        let cmd = if args[0] == "fix-perms" {
            hint.clone()
        } else {
            hint.replace("fix-perms", "audit --fix")
        };
        assert!(err.contains(&cmd), "{args:?}: no `{cmd}` in {err}");
        if args[0] == "fix-perms" {
            assert!(out.status.success(), "{out:?}");
        }
    }

    // The hint works: run it through sh (sudo stood in by a script that
    // keeps the SUDO_ variables) on a config root took over in the user's
    // real home.
    let bin = tempfile::tempdir().unwrap();
    fs::write(bin.path().join("sudo"), "#!/bin/sh\nexec \"$@\"\n").unwrap();
    set_mode(&bin.path().join("sudo"), 0o755);
    symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        bin.path().join("dockercfg"),
    )
    .unwrap();
    let _ = fs::remove_dir_all(&users_docker);
    fs::create_dir(&users_docker).unwrap();
    fs::write(users_docker.join("config.json"), "{}").unwrap();
    set_mode(&users_docker.join("config.json"), 0o644);
    let out = Command::new("sh")
        .arg("-c")
        .arg(&hint)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display()))
        .env("HOME", root_home.path())
        .env("SUDO_UID", u.uid.to_string())
        .env("SUDO_GID", u.gid.to_string())
        .env("SUDO_USER", &u.name)
        .output()
        .unwrap();
    let fixed = (
        state(&users_docker.join("config.json")),
        state(&users_docker),
    );
    fs::remove_dir_all(&users_docker).unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        fixed,
        ((0o600, u.uid, u.gid), (0o700, u.uid, u.gid)),
        "{out:?}"
    );
}

#[test]
fn under_sudo_the_users_config_is_fixed_and_roots_takeover_given_back() {
    let Some(u) = sudo_user() else { return };
    for args in [&["fix-perms"][..], &["audit", "--fix"]] {
        // After `sudo docker login`: root's files in the user's home.
        let h = in_users_home(&u);
        let docker = h.path().join(".docker");
        fs::create_dir(&docker).unwrap();
        set_mode(&docker, 0o755);
        fs::write(docker.join("config.json"), "{}").unwrap();
        set_mode(&docker.join("config.json"), 0o644);
        let out = dcfg(h.path(), Some(&u), args);
        assert_eq!(
            state(&docker.join("config.json")),
            (0o600, u.uid, u.gid),
            "{args:?}: {out:?}"
        );
        assert_eq!(state(&docker), (0o700, u.uid, u.gid), "{args:?}: {out:?}");
        let owner_line = format!("owner 0:0 -> {}:{}", u.uid, u.gid);
        let all = stdout(&out) + &stderr(&out);
        assert!(all.contains(&owner_line), "{args:?}: {all}");
        assert!(!all.contains("left as it is"), "{args:?}: {all}");

        // The user's own 0644 file: the mode is fixed, the owner kept.
        let h = in_users_home(&u);
        let docker = h.path().join(".docker");
        fs::create_dir(&docker).unwrap();
        chown(&docker, u.uid, u.gid);
        fs::write(docker.join("config.json"), "{}").unwrap();
        chown(&docker.join("config.json"), u.uid, u.gid);
        set_mode(&docker.join("config.json"), 0o644);
        let out = dcfg(h.path(), Some(&u), args);
        assert_eq!(
            state(&docker.join("config.json")),
            (0o600, u.uid, u.gid),
            "{args:?}: {out:?}"
        );
        assert!(!stdout(&out).contains("owner"), "{args:?}: {out:?}");
    }
}

#[test]
fn as_an_unprivileged_user_a_link_out_is_followed_only_to_its_own_files() {
    if !common::require_root("the unprivileged-user fix-perms test") {
        return;
    }
    let env = TestEnv::new();
    set_mode(env.home(), 0o755);
    let nobody = |p: &Path| chown(p, 65534, 65534);

    // nobody's config.json links to root's 0640 file: refused and said,
    // not a "permission denied" from a chmod it tried.
    let (sys, shadow) = system_standin("shadow", 0o640);
    let dir = env.home().join("linked-out");
    fs::create_dir(&dir).unwrap();
    nobody(&dir);
    set_mode(&dir, 0o700);
    symlink(&shadow, dir.join("config.json")).unwrap();
    nobody(&dir.join("config.json"));
    let run = |dir: &Path, args: &[&str]| {
        let mut c = common::as_nobody(&env);
        c.arg("--config").arg(dir).args(args);
        c.output().unwrap()
    };
    assert_refused(|args| run(&dir, args), &[&shadow, sys.path()], &shadow);

    // nobody's config.json links to nobody's own file elsewhere: fixed
    // through the link, which is kept.
    let real = env.home().join("real");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("config.json"), "{ broken json").unwrap();
    nobody(&real);
    nobody(&real.join("config.json"));
    set_mode(&real.join("config.json"), 0o644);
    set_mode(&real, 0o755);
    let dir = env.home().join("linked-own");
    fs::create_dir(&dir).unwrap();
    nobody(&dir);
    set_mode(&dir, 0o700);
    symlink("../real/config.json", dir.join("config.json")).unwrap();
    nobody(&dir.join("config.json"));
    let out = run(&dir, &["fix-perms"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(state(&real.join("config.json")), (0o600, 65534, 65534));
    assert_eq!(state(&real), (0o700, 65534, 65534));
    assert!(fs::symlink_metadata(dir.join("config.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(real.join("config.json")).unwrap(),
        "{ broken json"
    );
}
