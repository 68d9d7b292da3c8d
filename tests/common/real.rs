//! Real external parts for integration tests: a `pass` credential store with a
//! throwaway GPG key, a Secret Service (gnome-keyring on a private D-Bus session
//! bus), Debian's `docker-registry` with htpasswd auth, and the real `docker`
//! client.
//!
//! Every part lives in its own temp dir under /tmp with its own processes, so
//! any number of tests can run in parallel in one test binary. Nothing here
//! reads or writes the real home directory, the real keyring or a fixed port.
//! Processes are started with a cleared environment plus exactly the variables
//! each part needs, so the developer's DOCKER_*, GNUPGHOME, D-Bus session etc.
//! cannot leak in. Each part stops its processes and removes its dir on Drop.
//!
//! Starting a part returns `Err(reason)` when a tool is missing or broken; pass
//! it through [`require`] to skip off CI and fail on CI.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;
use tempfile::TempDir;

/// How long one helper/client command may run before it is killed. Generous:
/// it only exists so a process waiting for a prompt (pinentry, a keyring
/// unlock dialog) fails the test instead of hanging it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a daemon may take to become ready.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// On CI (env CI == "true") a missing real part is a failure: panic with the reason.
/// Elsewhere print "skipping: {reason}" to stderr and return None.
#[track_caller]
pub fn require<T>(r: Result<T, String>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(reason) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("real part unavailable on CI: {reason}")
        }
        Err(reason) => {
            eprintln!("skipping: {reason}");
            None
        }
    }
}

// ---------------------------------------------------------------------------
// pass

/// docker-credential-pass with a throwaway GPG key (no passphrase).
pub struct PassStore {
    gnupg_home: PathBuf,
    store_dir: PathBuf,
    helper: PathBuf,
    fingerprint: String,
    _dir: TempDir,
}

impl PassStore {
    pub fn start() -> Result<PassStore, String> {
        PassStore::start_with_passphrase("")
    }

    /// A store whose key is protected by `passphrase` (empty: none). The
    /// passphrase is given once, to make the key; gpg-agent is stopped
    /// afterwards so nothing is cached: decrypting then needs a pinentry.
    pub fn start_with_passphrase(passphrase: &str) -> Result<PassStore, String> {
        let helper = find_tool("docker-credential-pass", "golang-docker-credential-helpers")?;
        let gpg = find_tool("gpg", "gnupg")?;
        let pass = find_tool("pass", "pass")?;
        find_tool("gpgconf", "gnupg")?;

        // gpg-agent puts its sockets in GNUPGHOME when /run/user/UID is absent,
        // and a unix socket path must stay under ~100 bytes: keep it short.
        let dir = short_tempdir("dcfg-pass.")?;
        let gnupg_home = dir.path().join("gnupg");
        let store_dir = dir.path().join("store");
        fs::create_dir(&gnupg_home).map_err(|e| format!("create {}: {e}", gnupg_home.display()))?;
        // gpg warns ("unsafe permissions on homedir") unless it is 0700.
        set_mode(&gnupg_home, 0o700)?;

        let mut store = PassStore {
            gnupg_home,
            store_dir,
            helper,
            fingerprint: String::new(),
            _dir: dir,
        };

        // `future-default` is ed25519/cv25519: ~40 ms, against seconds for the
        // `default` rsa3072. An empty passphrase means no pinentry is ever asked.
        let out = store.run(Command::new(&gpg).args([
            "--batch",
            "--quiet",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-gen-key",
            "dockercfg test <test@dockercfg.invalid>",
            "future-default",
            "default",
            "never",
        ]));
        check(&out, "gpg --quick-gen-key")?;

        let out =
            store.run(Command::new(&gpg).args(["--batch", "--with-colons", "--list-secret-keys"]));
        check(&out, "gpg --list-secret-keys")?;
        store.fingerprint = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_string())
            })
            .filter(|f| !f.is_empty())
            .ok_or("gpg listed no fingerprint for the new key")?;

        // docker-credential-pass refuses to work until `pass init` wrote .gpg-id.
        let out = store.run(Command::new(&pass).args(["init", &store.fingerprint]));
        check(&out, "pass init")?;
        if !passphrase.is_empty() {
            // The agent may have cached the passphrase while making the key.
            let out = store.run(Command::new("gpgconf").args(["--kill", "gpg-agent"]));
            check(&out, "gpgconf --kill gpg-agent")?;
        }
        Ok(store)
    }

    /// Delete the key's secret part from GNUPGHOME (the public key stays, so
    /// pass can still encrypt but nothing can decrypt).
    pub fn remove_secret_key(&self) -> Result<(), String> {
        let out = self.run(Command::new("gpg").args([
            "--batch",
            "--yes",
            "--delete-secret-keys",
            &self.fingerprint,
        ]));
        check(&out, "gpg --delete-secret-keys")
    }

    /// Env vars for any process that should use this store. With these and
    /// the usual PATH (`pass` is a shell script needing gpg and coreutils) the
    /// helper works; nothing else is needed: no HOME, no GPG_TTY (the key has
    /// no passphrase). PATH is not included so callers keep their own.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("GNUPGHOME".into(), self.gnupg_home.display().to_string()),
            (
                "PASSWORD_STORE_DIR".into(),
                self.store_dir.display().to_string(),
            ),
        ]
    }

    /// Run `docker-credential-pass <action>` with stdin, using env(); returns (exit ok, stdout, stderr).
    ///
    /// Quirks of Debian's 0.6.4: `get` of an unknown server exits 0 with
    /// `{"ServerURL":"x","Username":"","Secret":""}`; `erase` of an unknown
    /// server exits 1. Errors are printed on stdout, as the protocol says.
    pub fn helper(&self, action: &str, stdin: &str) -> (bool, String, String) {
        helper_result(self.run_with_stdin(Command::new(&self.helper).arg(action), stdin))
    }

    /// The password store (holds `.gpg-id` and `docker-credential-helpers/`).
    pub fn store_dir(&self) -> &Path {
        &self.store_dir
    }

    pub fn gnupg_home(&self) -> &Path {
        &self.gnupg_home
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn run(&self, cmd: &mut Command) -> Output {
        self.run_with_stdin(cmd, "")
    }

    fn run_with_stdin(&self, cmd: &mut Command, stdin: &str) -> Output {
        run(
            cmd.env_clear().env("PATH", host_path()).envs(self.env()),
            stdin,
            COMMAND_TIMEOUT,
        )
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        // gpg autostarted a gpg-agent for this GNUPGHOME; it outlives us otherwise.
        let _ = Command::new("gpgconf")
            .args(["--kill", "all"])
            .env_clear()
            .env("PATH", host_path())
            .envs(self.env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

// ---------------------------------------------------------------------------
// Secret Service

/// docker-credential-secretservice on a private D-Bus session bus with an unlocked gnome-keyring.
pub struct SecretService {
    bus_address: String,
    helper: PathBuf,
    keyring: Child,
    bus: Child,
    dir: TempDir,
}

impl SecretService {
    pub fn start() -> Result<SecretService, String> {
        let helper = find_tool(
            "docker-credential-secretservice",
            "golang-docker-credential-helpers",
        )?;
        let dbus_daemon = find_tool("dbus-daemon", "dbus")?;
        let keyring_daemon = find_tool("gnome-keyring-daemon", "gnome-keyring")?;
        let dbus_send = find_tool("dbus-send", "dbus")?;

        let dir = short_tempdir("dcfg-ss.")?;
        let home = dir.path().join("home");
        let runtime = dir.path().join("run");
        for d in [&home, &runtime] {
            fs::create_dir(d).map_err(|e| format!("create {}: {e}", d.display()))?;
            set_mode(d, 0o700)?;
        }
        // The keyring daemon gets a private HOME, keyring dir and runtime dir:
        // it writes keyrings/login.keyring under XDG_DATA_HOME and its control
        // socket under XDG_RUNTIME_DIR.
        let daemon_env = [
            ("PATH".to_string(), host_path()),
            ("HOME".to_string(), home.display().to_string()),
            (
                "XDG_DATA_HOME".to_string(),
                home.join("data").display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                home.join("config").display().to_string(),
            ),
            (
                "XDG_CACHE_HOME".to_string(),
                home.join("cache").display().to_string(),
            ),
            ("XDG_RUNTIME_DIR".to_string(), runtime.display().to_string()),
        ];

        // Our own bus config rather than --session: it lists no service dirs,
        // so nothing can be D-Bus-activated behind our back (the system's
        // org.freedesktop.secrets.service would start an untracked keyring).
        let socket = dir.path().join("bus");
        let conf = dir.path().join("bus.conf");
        write_file(
            &conf,
            &format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )?;
        // --nofork keeps it our child (so Drop can kill and reap it); it prints
        // the address once it accepts connections: that is the readiness signal.
        let addr_file = dir.path().join("bus.address");
        let bus_log = dir.path().join("dbus.log");
        let mut bus = Command::new(&dbus_daemon)
            .arg(format!("--config-file={}", conf.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .env_clear()
            .envs(daemon_env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(create_file(&addr_file)?)
            .stderr(create_file(&bus_log)?)
            .spawn()
            .map_err(|e| format!("spawn dbus-daemon: {e}"))?;
        let bus_address = wait_until(
            &mut bus,
            &bus_log,
            "dbus-daemon to print its address",
            || {
                let text = fs::read_to_string(&addr_file).unwrap_or_default();
                text.ends_with('\n').then(|| text.trim().to_string())
            },
        );
        let bus_address = match bus_address {
            Ok(a) => a,
            Err(e) => {
                kill(&mut bus);
                return Err(e);
            }
        };

        // --foreground keeps it our child; --unlock reads the login keyring's
        // password from stdin (until EOF) and creates/unlocks that keyring,
        // which becomes the default collection the helper stores into.
        let keyring_log = dir.path().join("gnome-keyring.log");
        let log_file = create_file(&keyring_log)?;
        let spawned = Command::new(&keyring_daemon)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env_clear()
            .envs(daemon_env.iter().cloned())
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn();
        let mut keyring = match spawned {
            Ok(k) => k,
            Err(e) => {
                kill(&mut bus);
                return Err(format!("spawn gnome-keyring-daemon: {e}"));
            }
        };
        if let Some(mut stdin) = keyring.stdin.take() {
            let _ = stdin.write_all(b"dockercfg-test-keyring");
        }

        let mut ss = SecretService {
            bus_address: bus_address.clone(),
            helper,
            keyring,
            bus,
            dir,
        };
        // Ready once the "default" alias resolves to a collection (it is "/"
        // while there is none): that collection is where the helper stores.
        let ready = wait_until(
            &mut ss.keyring,
            &keyring_log,
            "gnome-keyring's default collection",
            || {
                let out = run(
                    Command::new(&dbus_send)
                        .args([
                            "--session",
                            "--print-reply",
                            "--dest=org.freedesktop.secrets",
                            "/org/freedesktop/secrets",
                            "org.freedesktop.Secret.Service.ReadAlias",
                            "string:default",
                        ])
                        .env_clear()
                        .env("DBUS_SESSION_BUS_ADDRESS", &bus_address),
                    "",
                    COMMAND_TIMEOUT,
                );
                let text = String::from_utf8_lossy(&out.stdout);
                (out.status.success() && text.contains("/org/freedesktop/secrets/collection/"))
                    .then_some(())
            },
        );
        ready.map(|()| ss)
    }

    /// Just DBUS_SESSION_BUS_ADDRESS: libsecret reaches the keyring only over
    /// the bus, so clients need no HOME or XDG dirs (only the daemon does).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address.clone())]
    }

    /// Run `docker-credential-secretservice <action>` with stdin, using env();
    /// returns (exit ok, stdout, stderr). `get` of an unknown server exits 1
    /// with "credentials not found in native keychain" on stdout.
    pub fn helper(&self, action: &str, stdin: &str) -> (bool, String, String) {
        helper_result(run(
            Command::new(&self.helper)
                .arg(action)
                .env_clear()
                .env("PATH", host_path())
                .envs(self.env()),
            stdin,
            COMMAND_TIMEOUT,
        ))
    }

    /// Lock the keyring's default collection over D-Bus, as a screen lock
    /// or `seahorse` would (gnome-keyring locks without a prompt).
    pub fn lock(&self) -> Result<(), String> {
        let dbus_send = find_tool("dbus-send", "dbus")?;
        let ask = |args: &[&str]| {
            run(
                Command::new(&dbus_send)
                    .args([
                        "--session",
                        "--print-reply",
                        "--dest=org.freedesktop.secrets",
                    ])
                    .args(args)
                    .env_clear()
                    .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address),
                "",
                COMMAND_TIMEOUT,
            )
        };
        let out = ask(&[
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.ReadAlias",
            "string:default",
        ]);
        check(&out, "ReadAlias default")?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let path = text
            .split('"')
            .find(|p| p.starts_with("/org/freedesktop/secrets/collection/"))
            .ok_or_else(|| format!("no default collection: {text}"))?;
        let out = ask(&[
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            &format!("array:objpath:{path}"),
        ]);
        check(&out, "Secret.Service.Lock")
    }

    /// The temp dir holding the bus socket, logs and the keyring's private HOME.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        kill(&mut self.keyring);
        kill(&mut self.bus);
    }
}

// ---------------------------------------------------------------------------
// Registry

/// Debian's docker-registry on 127.0.0.1:<free port> with htpasswd (bcrypt) auth, storage in a temp dir.
pub struct Registry {
    /// "127.0.0.1:PORT"
    pub addr: String,
    pub user: String,
    pub password: String,
    child: Child,
    log: PathBuf,
    dir: TempDir,
}

/// How to serve a [`Registry`]: plain http on 127.0.0.1 by default.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// Serve TLS with this certificate and key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Require a client certificate signed by this CA (`http.tls.clientcas`).
    pub client_ca: Option<PathBuf>,
    /// Run inside this network namespace, on this address of its `lo`.
    pub netns: Option<(PathBuf, String)>,
}

impl Registry {
    /// Start it and wait until GET /v2/ answers 401 with this instance's realm.
    pub fn start(user: &str, password: &str) -> Result<Registry, String> {
        Registry::start_with(user, password, &RegistryOptions::default())
    }

    /// Start it as `opts` says. A TLS or namespaced registry is ready when
    /// its log says it is listening (the plain-http probe cannot ask it).
    pub fn start_with(
        user: &str,
        password: &str,
        opts: &RegistryOptions,
    ) -> Result<Registry, String> {
        let registry = find_tool("docker-registry", "docker-registry")?;
        let htpasswd = find_tool("htpasswd", "apache2-utils")?;
        let dir = short_tempdir("dcfg-reg.")?;

        // docker-registry only accepts bcrypt entries (-B).
        let out = run(
            Command::new(&htpasswd)
                .args(["-Bbn", user, password])
                .env_clear()
                .env("PATH", host_path()),
            "",
            COMMAND_TIMEOUT,
        );
        check(&out, "htpasswd -Bbn")?;
        let htpasswd_file = dir.path().join("htpasswd");
        write_file(&htpasswd_file, String::from_utf8_lossy(&out.stdout).trim())?;

        // A realm unique to this instance lets the readiness probe tell our
        // registry from anything else that might answer on the port.
        let realm = format!(
            "dockercfg-test-{}",
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let log = dir.path().join("registry.log");
        let config = dir.path().join("config.yml");

        // The free port is found by binding :0 and releasing it, so another
        // process may grab it first: retry with a fresh port if so.
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let ip = opts
                .netns
                .as_ref()
                .map_or("127.0.0.1", |(_, ip)| ip.as_str());
            let addr = format!("{ip}:{port}");
            let mut tls = String::new();
            if let Some((cert, key)) = &opts.tls {
                tls = format!(
                    "  tls:\n    certificate: {}\n    key: {}\n",
                    cert.display(),
                    key.display()
                );
                if let Some(ca) = &opts.client_ca {
                    tls.push_str(&format!("    clientcas:\n      - {}\n", ca.display()));
                }
            }
            write_file(
                &config,
                &format!(
                    "version: 0.1\n\
                     log:\n  level: info\n\
                     storage:\n  filesystem:\n    rootdirectory: {data}\n  delete:\n    enabled: true\n\
                     http:\n  addr: {addr}\n  secret: dockercfg-test\n{tls}\
                     auth:\n  htpasswd:\n    realm: {realm}\n    path: {htpasswd}\n",
                    data = dir.path().join("data").display(),
                    htpasswd = htpasswd_file.display(),
                ),
            )?;
            let log_file = create_file(&log)?;
            let mut command = match &opts.netns {
                Some((ns, _)) => {
                    let mut c = Command::new(find_tool("nsenter", "util-linux")?);
                    c.arg(format!("--net={}", ns.display())).arg(&registry);
                    c
                }
                None => Command::new(&registry),
            };
            let plain = opts.tls.is_none() && opts.netns.is_none();
            let listening = format!("listening on {addr}");
            let mut child = command
                .arg("serve")
                .arg(&config)
                .env_clear()
                .env("PATH", host_path())
                .env("HOME", dir.path())
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
                .stderr(log_file)
                .spawn()
                .map_err(|e| format!("spawn docker-registry: {e}"))?;
            let ready = wait_until(
                &mut child,
                &log,
                "docker-registry to answer GET /v2/ with 401",
                || {
                    if !plain {
                        let text = fs::read_to_string(&log).unwrap_or_default();
                        return text.contains(&listening).then_some(());
                    }
                    let head = http_get_head(&addr, "/v2/")?;
                    (head.split_whitespace().nth(1) == Some("401") && head.contains(&realm))
                        .then_some(())
                },
            );
            match ready {
                Ok(()) => {
                    return Ok(Registry {
                        addr,
                        user: user.to_string(),
                        password: password.to_string(),
                        child,
                        log,
                        dir,
                    })
                }
                Err(e) => {
                    kill(&mut child);
                    if !e.contains("address already in use") {
                        return Err(e);
                    }
                    last_err = e;
                }
            }
        }
        Err(last_err)
    }

    /// Push a tiny single-layer OCI image to ADDR/REPO:TAG with skopeo, using
    /// the registry's own credentials.
    pub fn push_image(&self, repo: &str, tag: &str) -> Result<(), String> {
        let skopeo = find_tool("skopeo", "skopeo")?;
        let layout = short_tempdir("dcfg-oci.")?;
        write_oci_layout(
            layout.path(),
            tag,
            &format!("dockercfg test image {repo}:{tag}\n"),
        )?;
        let out = run(
            Command::new(&skopeo)
                // The policy file is host configuration we should not depend on.
                .args([
                    "--insecure-policy",
                    "copy",
                    "--quiet",
                    "--dest-tls-verify=false",
                    "--dest-creds",
                ])
                .arg(format!("{}:{}", self.user, self.password))
                .arg(format!("oci:{}:{tag}", layout.path().display()))
                .arg(format!("docker://{}/{repo}:{tag}", self.addr))
                .env_clear()
                .env("PATH", host_path())
                // skopeo would otherwise look at ~/.docker and $XDG_RUNTIME_DIR auth files.
                .env("HOME", layout.path())
                .env("TMPDIR", layout.path()),
            "",
            COMMAND_TIMEOUT,
        );
        check(&out, "skopeo copy")
            .map_err(|e| format!("{e}\nregistry log tail:\n{}", self.log_tail()))
    }

    /// Change the user's password in htpasswd (the registry rereads the
    /// file when it changes): the old password is refused from then on.
    pub fn change_password(&mut self, password: &str) -> Result<(), String> {
        let htpasswd = find_tool("htpasswd", "apache2-utils")?;
        let out = run(
            Command::new(&htpasswd)
                .args(["-Bbn", &self.user, password])
                .env_clear()
                .env("PATH", host_path()),
            "",
            COMMAND_TIMEOUT,
        );
        check(&out, "htpasswd -Bbn")?;
        write_file(
            &self.dir.path().join("htpasswd"),
            String::from_utf8_lossy(&out.stdout).trim(),
        )?;
        self.password = password.to_string();
        Ok(())
    }

    /// The last lines of the registry's log, for assertion messages.
    pub fn log_tail(&self) -> String {
        tail(&self.log, 20)
    }

    /// The temp dir holding config.yml, htpasswd, registry.log and data/.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

/// A minimal OCI image layout: one uncompressed tar layer holding `hello.txt`,
/// an image config, a manifest and index.json naming it `tag`.
fn write_oci_layout(dir: &Path, tag: &str, content: &str) -> Result<(), String> {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).map_err(|e| format!("create {}: {e}", blobs.display()))?;
    let add_blob = |bytes: &[u8]| -> Result<(String, usize), String> {
        let tmp = blobs.join("incoming");
        fs::write(&tmp, bytes).map_err(|e| format!("write {}: {e}", tmp.display()))?;
        let hex = sha256_hex(&tmp)?;
        fs::rename(&tmp, blobs.join(&hex)).map_err(|e| format!("rename blob: {e}"))?;
        Ok((format!("sha256:{hex}"), bytes.len()))
    };

    let (layer, layer_size) = add_blob(&tar_one_file("hello.txt", content.as_bytes()))?;
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        // Uncompressed layer: its diff_id is its digest.
        "rootfs": { "type": "layers", "diff_ids": [layer] },
    });
    let (config, config_size) = add_blob(config.to_string().as_bytes())?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config,
            "size": config_size,
        },
        "layers": [{
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": layer,
            "size": layer_size,
        }],
    });
    let (manifest, manifest_size) = add_blob(manifest.to_string().as_bytes())?;
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest,
            "size": manifest_size,
            "annotations": { "org.opencontainers.image.ref.name": tag },
        }],
    });
    write_file(&dir.join("index.json"), &index.to_string())?;
    write_file(&dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#)
}

/// A ustar archive with one regular file.
fn tar_one_file(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = [0u8; 512];
    let mut put =
        |offset: usize, field: &[u8]| header[offset..offset + field.len()].copy_from_slice(field);
    put(0, name.as_bytes());
    put(100, b"0000644\0"); // mode
    put(108, b"0000000\0"); // uid
    put(116, b"0000000\0"); // gid
    put(124, format!("{:011o}\0", data.len()).as_bytes()); // size
    put(136, b"00000000000\0"); // mtime
    put(148, b"        "); // checksum is computed with this field as spaces
    put(156, b"0"); // regular file
    put(257, b"ustar\0");
    put(263, b"00");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());

    let mut tar = header.to_vec();
    tar.extend_from_slice(data);
    tar.resize(tar.len().next_multiple_of(512), 0);
    tar.resize(tar.len() + 1024, 0); // end-of-archive marker
    tar
}

fn sha256_hex(path: &Path) -> Result<String, String> {
    let out = run(Command::new("sha256sum").arg(path), "", COMMAND_TIMEOUT);
    check(&out, "sha256sum")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let hex = text.split_whitespace().next().unwrap_or_default();
    if hex.len() == 64 {
        Ok(hex.to_string())
    } else {
        Err(format!("sha256sum printed {text:?}"))
    }
}

/// The status line and headers of `GET path`, or None if nothing answered.
fn http_get_head(addr: &str, path: &str) -> Option<String> {
    let mut stream =
        TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    // HTTP/1.0 so the server closes the connection after answering.
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    (!head.is_empty()).then(|| head.to_string())
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind 127.0.0.1:0: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// TLS: a CA made with openssl, and a network namespace

/// A throwaway CA with a server certificate and a client certificate signed
/// by it (EC P-256 keys, PKCS#8 PEM, valid for two days), made with openssl.
pub struct Pki {
    pub ca_cert: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    dir: TempDir,
}

impl Pki {
    /// `sans`: the server certificate's subjectAltName, e.g.
    /// "IP:127.0.0.1,DNS:registry.test".
    pub fn new(sans: &str) -> Result<Pki, String> {
        let openssl = find_tool("openssl", "openssl")?;
        let dir = short_tempdir("dcfg-pki.")?;
        let p = |n: &str| dir.path().join(n);
        let ssl = |args: &[&str]| -> Result<(), String> {
            let out = run(
                Command::new(&openssl)
                    .args(args)
                    .current_dir(dir.path())
                    .env_clear()
                    .env("PATH", host_path())
                    .env("HOME", dir.path()),
                "",
                COMMAND_TIMEOUT,
            );
            check(&out, &format!("openssl {}", args.join(" ")))
        };
        let newkey = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        // A CA name unique to this instance.
        let ca_subj = format!(
            "/CN=dockercfg test CA {}",
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let mut ca = vec!["req", "-x509"];
        ca.extend(newkey);
        ca.extend([
            "-days", "2", "-subj", &ca_subj, "-keyout", "ca.key", "-out", "ca.crt",
        ]);
        ssl(&ca)?;
        for (name, ext) in [
            (
                "server",
                format!("subjectAltName={sans}\nextendedKeyUsage=serverAuth\n"),
            ),
            ("client", "extendedKeyUsage=clientAuth\n".to_string()),
        ] {
            write_file(&p(&format!("{name}.ext")), &ext)?;
            let subj = format!("/CN=dockercfg test {name}");
            let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
            let mut req = vec!["req"];
            req.extend(newkey);
            req.extend(["-subj", &subj, "-keyout", &key, "-out", &csr]);
            ssl(&req)?;
            let (ext, crt) = (format!("{name}.ext"), format!("{name}.crt"));
            ssl(&[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &ext,
                "-out",
                &crt,
            ])?;
        }
        Ok(Pki {
            ca_cert: p("ca.crt"),
            server_cert: p("server.crt"),
            server_key: p("server.key"),
            client_cert: p("client.crt"),
            client_key: p("client.key"),
            dir,
        })
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server side for [`RegistryOptions::tls`].
    pub fn server(&self) -> Option<(PathBuf, PathBuf)> {
        Some((self.server_cert.clone(), self.server_key.clone()))
    }
}

/// A network namespace of its own (root only) whose `lo` also carries
/// `ip`, a documentation address (192.0.2.0/24) that is not loopback: the
/// docker client skips certificate checks and certs.d for loopback
/// registries (127.0.0.0/8 is always in its insecure list), so comparing
/// trust with docker needs a registry on an address docker treats as secure.
/// Nothing leaves the namespace. Removed on drop.
pub struct NetNs {
    pub file: PathBuf,
    pub ip: String,
    nsenter: PathBuf,
    _dir: TempDir,
}

impl NetNs {
    pub fn start(ip: &str) -> Result<NetNs, String> {
        if unsafe { libc::geteuid() } != 0 {
            return Err("a network namespace needs root".into());
        }
        let unshare = find_tool("unshare", "util-linux")?;
        let nsenter = find_tool("nsenter", "util-linux")?;
        let ip_tool = find_tool("ip", "iproute2")?;
        let dir = short_tempdir("dcfg-ns.")?;
        let file = dir.path().join("net");
        write_file(&file, "")?;
        let out = run(
            Command::new(unshare)
                .arg(format!("--net={}", file.display()))
                .arg("true"),
            "",
            COMMAND_TIMEOUT,
        );
        check(&out, "unshare --net")?;
        let ns = NetNs {
            file,
            ip: ip.to_string(),
            nsenter,
            _dir: dir,
        };
        for args in [
            vec!["link", "set", "lo", "up"],
            vec!["addr", "add", &format!("{ip}/32"), "dev", "lo"],
        ] {
            let out = run(ns.command(&ip_tool).args(&args), "", COMMAND_TIMEOUT);
            check(&out, &format!("ip {}", args.join(" ")))?;
        }
        Ok(ns)
    }

    /// `program` run inside the namespace (nsenter execs it: same pid).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(&self.nsenter);
        c.arg(format!("--net={}", self.file.display())).arg(program);
        c
    }

    /// For [`RegistryOptions::netns`].
    pub fn for_registry(&self) -> Option<(PathBuf, String)> {
        Some((self.file.clone(), self.ip.clone()))
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.file).status();
    }
}

/// Run `cmd` to completion with `stdin` (killed after a minute).
pub fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    run(cmd, stdin, COMMAND_TIMEOUT)
}

// ---------------------------------------------------------------------------
// docker

/// The docker client binary, or why it is unusable. Check it with [`require`]
/// before calling [`docker`].
pub fn docker_client() -> Result<PathBuf, String> {
    find_tool("docker", "docker client (docker-ce-cli)")
}

/// Run the real docker client: `docker --config DIR <args>` with extra env, stdin given; returns std::process::Output.
///
/// The environment is cleared first, so the developer's DOCKER_HOST,
/// DOCKER_CONFIG, DOCKER_AUTH_CONFIG, ... cannot interfere; HOME is set to
/// `config_dir`; then `env` is applied (e.g. a part's env()).
///
/// PATH: when config.json has no `credsStore`, `credHelpers` or `auths`,
/// docker (on Linux) picks a store itself: `pass` if `pass` and
/// `docker-credential-pass` are on PATH, else `secretservice` if that helper
/// is. With the host PATH a "plaintext" login into a fresh config dir would
/// therefore land in pass. So PATH is set only when config.json names a
/// `credsStore` or `credHelpers` (docker then runs that helper and detects
/// nothing); otherwise docker gets no PATH and stores plaintext. Put PATH in
/// `env` to get docker's own detection.
///
/// Daemonless use is fine for login/logout/manifest: with an explicit
/// registry they never contact the daemon. For 127.0.0.1 docker tries https
/// first, logs "Error logging in to endpoint, trying next endpoint" on stderr,
/// then falls back to http; `manifest inspect` needs `--insecure` for that.
pub fn docker(config_dir: &Path, args: &[&str], env: &[(String, String)], stdin: &str) -> Output {
    let bin = docker_client().unwrap_or_else(|e| panic!("{e}"));
    run(
        Command::new(bin)
            .arg("--config")
            .arg(config_dir)
            .args(args)
            .env_clear()
            .env("HOME", config_dir)
            .envs(names_credential_helper(config_dir).then(|| ("PATH", host_path())))
            .envs(env.iter().map(|(k, v)| (k, v))),
        stdin,
        COMMAND_TIMEOUT,
    )
}

/// Whether DIR/config.json sets a non-empty `credsStore` or `credHelpers`.
fn names_credential_helper(config_dir: &Path) -> bool {
    let text = fs::read_to_string(config_dir.join("config.json")).unwrap_or_default();
    let config: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    config["credsStore"].as_str().is_some_and(|s| !s.is_empty())
        || config["credHelpers"]
            .as_object()
            .is_some_and(|h| !h.is_empty())
}

// ---------------------------------------------------------------------------
// plumbing

/// Run to completion with `stdin` written and closed; killed after `timeout`.
fn run(cmd: &mut Command, stdin: &str, timeout: Duration) -> Output {
    let mut child = match cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("spawn {:?}: {e}", cmd.get_program()),
    };
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    if let Some(mut input) = child.stdin.take() {
        // A child that never reads stdin (e.g. `list`) may have exited already.
        let _ = input.write_all(stdin.as_bytes());
    }
    let deadline = Instant::now() + timeout;
    let (status, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status, false),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                break (child.wait().expect("wait for killed child"), true);
            }
        }
    };
    // A daemon the child started may hold the pipes open; don't wait for it forever.
    let collect =
        |rx: mpsc::Receiver<Vec<u8>>| rx.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let mut output = Output {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    };
    if timed_out {
        output
            .stderr
            .extend_from_slice(format!("\n[killed after {timeout:?}]").as_bytes());
    }
    output
}

fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    rx
}

fn helper_result(out: Output) -> (bool, String, String) {
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check(out: &Output, what: &str) -> Result<(), String> {
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Poll `probe` until it yields a value, `child` exits, or START_TIMEOUT passes.
fn wait_until<T>(
    child: &mut Child,
    log: &Path,
    what: &str,
    mut probe: impl FnMut() -> Option<T>,
) -> Result<T, String> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(v) = probe() {
            return Ok(v);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "{what}: process exited ({status}); log tail:\n{}",
                tail(log, 20)
            ));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "timed out waiting for {what}; log tail:\n{}",
                tail(log, 20)
            ));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn find_tool(name: &str, package: &str) -> Result<PathBuf, String> {
    std::env::split_paths(&host_path())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{name} not found on PATH (install {package})"))
}

fn host_path() -> String {
    std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into())
}

/// A temp dir directly under /tmp (not $TMPDIR, which may be long) so unix
/// socket paths inside it stay well under the ~108 byte limit.
fn short_tempdir(prefix: &str) -> Result<TempDir, String> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in("/tmp")
        .map_err(|e| format!("create temp dir in /tmp: {e}"))
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| format!("chmod {}: {e}", path.display()))
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

fn create_file(path: &Path) -> Result<File, String> {
    File::create(path).map_err(|e| format!("create {}: {e}", path.display()))
}

fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

// ---------------------------------------------------------------------------
// skopeo with an explicit auth file

/// The skopeo binary, or why it is unusable. Check it with [`require`]
/// before calling [`skopeo`].
pub fn skopeo_client() -> Result<PathBuf, String> {
    find_tool("skopeo", "skopeo")
}

/// Run the real skopeo: `skopeo --insecure-policy <args>` with stdin given.
///
/// The environment is cleared and HOME, XDG_RUNTIME_DIR and TMPDIR point at
/// `home`, so the only credentials skopeo can find are those in the
/// `--authfile` the caller passes (or files the caller put under `home`).
pub fn skopeo(home: &Path, args: &[&str], stdin: &str) -> Output {
    skopeo_env(home, args, stdin, &[])
}

/// [`skopeo`] with `env` added (a real helper's, such as
/// [`PassStore::env`], and a PATH holding its program).
pub fn skopeo_env(home: &Path, args: &[&str], stdin: &str, env: &[(String, String)]) -> Output {
    let bin = skopeo_client().unwrap_or_else(|e| panic!("{e}"));
    run(
        Command::new(bin)
            .arg("--insecure-policy")
            .args(args)
            .env_clear()
            .env("PATH", host_path())
            .env("HOME", home)
            .env("XDG_RUNTIME_DIR", home)
            .env("TMPDIR", home)
            .envs(env.iter().map(|(k, v)| (k, v))),
        stdin,
        COMMAND_TIMEOUT,
    )
}
