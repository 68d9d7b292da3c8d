//! Shared test support: a `TestEnv` per test (temp HOME, its own config
//! dir, its own PATH entry for fake helpers), so no test touches the
//! developer's files or another test's.
#![allow(dead_code)]

pub mod http;
pub mod pty;
pub mod real;
pub mod tokens;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    pub home: TempDir,
    env: Vec<(String, String)>,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    pub fn new() -> Self {
        let home = tempfile::Builder::new()
            .prefix("dcfg")
            .tempdir()
            .expect("temp home");
        fs::create_dir(home.path().join("bin")).unwrap();
        TestEnv {
            home,
            env: Vec::new(),
        }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Where fake helpers go; it is first on the binary's PATH.
    pub fn bin_dir(&self) -> PathBuf {
        self.home().join("bin")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home().join(".docker")
    }

    pub fn config_path(&self) -> PathBuf {
        self.config_dir().join("config.json")
    }

    /// Add environment for every process this env runs (a real helper's).
    pub fn add_env(&mut self, vars: Vec<(String, String)>) {
        self.env.extend(vars);
    }

    pub fn env_vars(&self) -> &[(String, String)] {
        &self.env
    }

    pub fn write_config(&self, text: &str) {
        fs::create_dir_all(self.config_dir()).unwrap();
        fs::write(self.config_path(), text).unwrap();
    }

    pub fn read_config(&self) -> String {
        fs::read_to_string(self.config_path()).unwrap()
    }

    pub fn config_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.read_config()).unwrap()
    }

    /// Only the test's own bin dir: which helpers (and whether `pass`)
    /// are on PATH decides docker's default store, so tests must choose.
    /// Tests of real helpers add the system PATH with `add_env`.
    pub fn path_var(&self) -> String {
        self.bin_dir().display().to_string()
    }

    /// PATH with the system's directories too, for real helpers.
    pub fn system_path(&self) -> String {
        format!(
            "{}:{}",
            self.bin_dir().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// The dockercfg binary with HOME here, no DOCKER_CONFIG or colour.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("dockercfg").unwrap();
        c.env("HOME", self.home())
            .env("PATH", self.path_var())
            .env_remove("DOCKER_CONFIG")
            .env_remove("DOCKER_AUTH_CONFIG")
            .env_remove("REGISTRY_AUTH_FILE")
            .env_remove("DOCKERCFG_HELPER_TIMEOUT")
            .env_remove("DOCKERCFG_LOCK_TIMEOUT")
            .env_remove("NO_COLOR");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Same as `cmd`, as a std Command (for spawning many at once).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("dockercfg"));
        c.env("HOME", self.home())
            .env("PATH", self.path_var())
            .env_remove("DOCKER_CONFIG")
            .env_remove("DOCKER_AUTH_CONFIG")
            .env_remove("DOCKERCFG_HELPER_TIMEOUT");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Write an executable `docker-credential-<name>` with this body.
    pub fn script_helper(&self, name: &str, body: &str) -> PathBuf {
        let p = self.bin_dir().join(format!("docker-credential-{name}"));
        fs::write(&p, body).unwrap();
        set_mode(&p, 0o755);
        p
    }

    /// A working fake helper that keeps its credentials in a JSON file in
    /// HOME, and can be told to misbehave through `fake-<name>.faults`
    /// (see `FAKE_HELPER`). Every call's argv and environment are appended
    /// to `fake-<name>.log`, so tests can prove no secret reached them.
    pub fn fake_helper(&self, name: &str) -> PathBuf {
        let body = FAKE_HELPER
            .replace(
                "@DB@",
                &self
                    .home()
                    .join(format!("fake-{name}.json"))
                    .display()
                    .to_string(),
            )
            .replace(
                "@FAULTS@",
                &self
                    .home()
                    .join(format!("fake-{name}.faults"))
                    .display()
                    .to_string(),
            )
            .replace(
                "@LOG@",
                &self
                    .home()
                    .join(format!("fake-{name}.log"))
                    .display()
                    .to_string(),
            );
        self.script_helper(name, &body)
    }

    /// Set the fake helper's faults, e.g. `{"refuse": ["bad.io"], "hang": "list"}`.
    pub fn fake_faults(&self, name: &str, faults: serde_json::Value) {
        fs::write(
            self.home().join(format!("fake-{name}.faults")),
            faults.to_string(),
        )
        .unwrap();
    }

    /// The fake helper's stored credentials: url -> [username, secret].
    pub fn fake_db(&self, name: &str) -> serde_json::Value {
        match fs::read_to_string(self.home().join(format!("fake-{name}.json"))) {
            Ok(s) => serde_json::from_str(&s).unwrap(),
            Err(_) => serde_json::json!({}),
        }
    }

    pub fn fake_seed(&self, name: &str, db: serde_json::Value) {
        fs::write(
            self.home().join(format!("fake-{name}.json")),
            db.to_string(),
        )
        .unwrap();
    }

    pub fn fake_log(&self, name: &str) -> String {
        fs::read_to_string(self.home().join(format!("fake-{name}.log"))).unwrap_or_default()
    }
}

pub fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

pub fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// base64 of `user:pass`, as docker's `auth`.
pub fn auth(user: &str, pass: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}

/// The fake helper: the protocol of docker-credential-helpers, in Python,
/// with faults. `faults` keys: "refuse": [urls] (exit 1 for those),
/// "crash_after": N (exit 1 after N stores), "hang": action, "garbage": action,
/// "wrong_secret": true (get returns another secret), "slow": seconds per call,
/// "not_found_style": "empty" (answer unknown servers with empty fields, as
/// Debian's docker-credential-pass does).
const FAKE_HELPER: &str = r#"#!/usr/bin/python3
import fcntl, json, os, sys, time
DB, FAULTS, LOG = "@DB@", "@FAULTS@", "@LOG@"

action = sys.argv[1] if len(sys.argv) > 1 else ""
with open(LOG, "a") as f:
    f.write(json.dumps({"argv": sys.argv, "env": dict(os.environ)}) + "\n")
faults = json.load(open(FAULTS)) if os.path.exists(FAULTS) else {}
def load():
    return json.load(open(DB)) if os.path.exists(DB) else {}
def save(db):
    tmp = "%s.%d.tmp" % (DB, os.getpid())
    json.dump(db, open(tmp, "w")); os.replace(tmp, DB)
def fail(msg):
    print(msg); sys.exit(1)
if faults.get("slow"):
    time.sleep(float(faults["slow"]))
if faults.get("hang") == action:
    time.sleep(3600)
if faults.get("garbage") == action:
    print("<html>this is not json"); sys.exit(0)
data = sys.stdin.read()
# Callers run helpers in parallel: a lock (released when the process dies,
# even by SIGKILL) makes each call's read-modify-write of the file whole.
_lock = open(DB + ".lock", "a")
fcntl.flock(_lock, fcntl.LOCK_EX)
db = load()
if action == "store":
    c = json.loads(data)
    if c["ServerURL"] in faults.get("refuse", []):
        fail("refusing to store " + c["ServerURL"])
    n = faults.get("crash_after")
    if n is not None:
        count = int(open(DB + ".count").read()) if os.path.exists(DB + ".count") else 0
        if count >= n:
            os.kill(os.getpid(), 9)
        open(DB + ".count", "w").write(str(count + 1))
    db[c["ServerURL"]] = [c["Username"], c["Secret"]]
    save(db)
elif action == "get":
    url = data.strip()
    if url in faults.get("refuse", []):
        fail("refusing to get " + url)
    if url not in db:
        if faults.get("not_found_style") == "empty":
            print(json.dumps({"ServerURL": url, "Username": "", "Secret": ""})); sys.exit(0)
        fail("credentials not found in native keychain")
    user, secret = db[url]
    if faults.get("wrong_secret"):
        secret = secret + "-different"
    print(json.dumps({"ServerURL": url, "Username": user, "Secret": secret}))
elif action == "erase":
    url = data.strip()
    if url in faults.get("refuse", []):
        fail("refusing to erase " + url)
    if url not in db:
        fail("credentials not found in native keychain")
    del db[url]; save(db)
elif action == "list":
    print(json.dumps({k: v[0] for k, v in db.items()}))
elif action == "version":
    print("fake 1.0")
else:
    fail("unknown action " + action)
"#;

/// Whether the tests run as root (CI does): root ignores file modes, so
/// permission tests switch to nobody with [`as_nobody`].
pub fn is_root() -> bool {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() == 0 }
}

/// For a test that needs root: `true` to go on; off CI without root it
/// prints why it skips, and on CI (`CI=true`) it fails instead.
pub fn require_root(what: &str) -> bool {
    if is_root() {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} needs root (to switch to an unprivileged user), and CI=true");
    }
    eprintln!("skipping {what}: needs root to switch to an unprivileged user");
    false
}

/// The dockercfg binary run as nobody (65534:65534, no groups) through
/// setpriv, with HOME here and the hermetic PATH.
pub fn as_nobody(env: &TestEnv) -> std::process::Command {
    // Found on the test's PATH: the child's PATH below is the hermetic one.
    let setpriv = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("setpriv"))
        .find(|p| p.is_file())
        .expect("setpriv (util-linux) on PATH");
    let mut c = std::process::Command::new(setpriv);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("dockercfg"))
        .env("HOME", env.home())
        .env("PATH", env.path_var())
        .env_remove("DOCKER_CONFIG")
        .env_remove("DOCKER_AUTH_CONFIG")
        .env_remove("DOCKERCFG_HELPER_TIMEOUT")
        .env_remove("DOCKERCFG_LOCK_TIMEOUT")
        .env_remove("SUDO_UID")
        .env_remove("SUDO_GID");
    c
}

/// How a [`TestEnv::faulty_helper`] misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperFault {
    /// Exit 1 and print nothing.
    Crash,
    /// Never answer (sleeps an hour).
    Hang,
    /// Exit 0 with text that is not JSON.
    Garbage,
    /// Exit 0 after 20 MB on stdout (more than dockercfg will read).
    Huge,
    /// Exit 0 with bytes that are not UTF-8.
    NonUtf8,
    /// Exit 0 with an error message on stdout and no JSON.
    Exit0Error,
}

impl HelperFault {
    pub const ALL: [HelperFault; 6] = [
        HelperFault::Crash,
        HelperFault::Hang,
        HelperFault::Garbage,
        HelperFault::Huge,
        HelperFault::NonUtf8,
        HelperFault::Exit0Error,
    ];
}

impl TestEnv {
    /// A `docker-credential-<name>` that answers every action with `fault`,
    /// except the actions in `healthy`, which answer as a store holding a
    /// login for `x.io` whose secret cannot be read (`list` ->
    /// `{"x.io": "u"}`, `version` -> a version, `store`/`erase` -> ok, `get`
    /// -> not found). Each call appends its argv to `faulty-<name>.log`.
    pub fn faulty_helper(&self, name: &str, fault: HelperFault, healthy: &[&str]) -> PathBuf {
        let misbehave = match fault {
            HelperFault::Crash => "sys.exit(1)",
            HelperFault::Hang => "time.sleep(3600)",
            HelperFault::Garbage => "print('<html>this is not json'); sys.exit(0)",
            HelperFault::Huge => "out.write(b'x' * 20_000_000); out.flush(); sys.exit(0)",
            HelperFault::NonUtf8 => "out.write(b'\\xff\\xfe\\x80 {\\xc3\\x28}\\n'); sys.exit(0)",
            HelperFault::Exit0Error => {
                "print('error: the keyring is locked, unlock it first'); sys.exit(0)"
            }
        };
        let log = self.home().join(format!("faulty-{name}.log"));
        let healthy: Vec<String> = healthy.iter().map(|a| format!("{a:?}")).collect();
        let body = format!(
            r#"#!/usr/bin/python3
import json, sys, time
out = sys.stdout.buffer
action = sys.argv[1] if len(sys.argv) > 1 else ""
with open({log:?}, "a") as f:
    f.write(json.dumps(sys.argv) + "\n")
if action in [{healthy}]:
    sys.stdin.read()
    if action == "list": print('{{"x.io": "u"}}')
    elif action == "version": print("faulty 1.0")
    elif action == "get": print("credentials not found in native keychain"); sys.exit(1)
    sys.exit(0)
{misbehave}
"#,
            log = log.display().to_string(),
            healthy = healthy.join(", "),
        );
        self.script_helper(name, &body)
    }
}
