//! `login` against the real docker-registry served over TLS with a CA made
//! here with openssl: which trust makes it work (SSL_CERT_FILE, SSL_CERT_DIR,
//! certs.d, --ca-file, --cert-dir, client certificates), the message when
//! nothing does, proxies from the environment, and the docker client side
//! by side with the same trust.
//!
//! Every dockercfg run gets DOCKERCFG_CERTS_ROOT pointing at a root of the
//! test's own, so the machine's /etc/docker/certs.d never decides a result;
//! the one test that uses the real /etc (as root) makes and removes a
//! directory named after its own registry's unique address.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread;

use common::real::{self, require, NetNs, Pki, Registry, RegistryOptions};
use common::TestEnv;

const USER: &str = "tlsuser";
const PASS: &str = "tls-Pa55-word";

/// A TLS registry on 127.0.0.1 with a fresh CA, and a TestEnv with an empty
/// certs root. None: skipped (off CI) for want of a real part.
struct Setup {
    env: TestEnv,
    pki: Pki,
    reg: Registry,
    root: tempfile::TempDir,
}

impl Setup {
    fn new(sans: &str, mtls: bool) -> Option<Setup> {
        let pki = require(Pki::new(sans))?;
        let opts = RegistryOptions {
            tls: pki.server(),
            client_ca: mtls.then(|| pki.ca_cert.clone()),
            netns: None,
        };
        let reg = require(Registry::start_with(USER, PASS, &opts))?;
        Some(Setup {
            env: TestEnv::new(),
            pki,
            reg,
            root: tempfile::tempdir().unwrap(),
        })
    }

    fn port(&self) -> &str {
        self.reg.addr.rsplit(':').next().unwrap()
    }

    /// DOCKERCFG_CERTS_ROOT/etc/<client>/certs.d/HOST, created.
    fn certs_d(&self, client: &str, host: &str) -> PathBuf {
        let d = self
            .root
            .path()
            .join("etc")
            .join(client)
            .join("certs.d")
            .join(host);
        fs::create_dir_all(&d).unwrap();
        d
    }

    /// `dockercfg [global] login -u USER --password-stdin [args] HOST` with
    /// `vars`, no trust or proxy variables from the developer's shell.
    fn login(&self, global: &[&str], args: &[&str], host: &str, vars: &[(&str, &str)]) -> Output {
        let mut c = self.env.cmd();
        clean_env(&mut c);
        c.env("DOCKERCFG_CERTS_ROOT", self.root.path());
        c.args(global)
            .args(["login", "-u", USER, "--password-stdin"])
            .args(args)
            .arg(host)
            .envs(vars.iter().copied())
            .write_stdin(format!("{PASS}\n"))
            .output()
            .unwrap()
    }
}

fn clean_env(c: &mut assert_cmd::Command) {
    for k in TRUST_VARS {
        c.env_remove(k);
    }
}

const TRUST_VARS: &[&str] = &[
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "DOCKERCFG_CERTS_ROOT",
];

#[track_caller]
fn assert_ok(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: {stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Login Succeeded"),
        "{what}"
    );
    assert!(!stderr.contains(PASS), "{what}: secret on stderr");
}

#[track_caller]
fn assert_failed(out: &Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{what}: succeeded unexpectedly");
    assert!(!stderr.contains(PASS), "{what}: secret on stderr");
    stderr
}

#[test]
fn unknown_ca_fails_naming_the_ca_and_its_fixes_and_the_fix_works() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    s.env.write_config("{\n  \"auths\": {}\n}");
    let before = s.env.read_config();
    let err = assert_failed(&s.login(&[], &[], &host, &[]), "no trust");
    assert!(err.contains("unknown authority"), "{err}");
    assert!(err.contains("UnknownIssuer"), "{err}");
    let certs_d = s
        .root
        .path()
        .join(format!("etc/docker/certs.d/{host}/ca.crt"));
    assert!(err.contains(&certs_d.display().to_string()), "{err}");
    let user_d = s
        .env
        .home()
        .join(format!(".config/docker/certs.d/{host}/ca.crt"));
    assert!(err.contains(&user_d.display().to_string()), "{err}");
    assert!(err.contains("SSL_CERT_FILE"), "{err}");
    assert!(
        !err.contains("--insecure"),
        "must not teach --insecure: {err}"
    );
    // Not retried over plain http on loopback: the certificate is the news.
    assert!(!err.contains("http://"), "{err}");
    assert_eq!(
        s.env.read_config(),
        before,
        "a failed login changed the file"
    );

    // The --ca-file command it prints works, run by a shell as printed.
    let line = err
        .lines()
        .find_map(|l| l.split_once("for this login only: ").map(|(_, c)| c))
        .unwrap_or_else(|| panic!("no --ca-file command in: {err}"));
    assert_eq!(line, format!("dockercfg login --ca-file CA.pem {host}"));
    // Run it as printed, with `dockercfg` on PATH and the CA for CA.pem.
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("dockercfg"),
        s.env.bin_dir().join("dockercfg"),
    )
    .unwrap();
    let ca = s.pki.ca_cert.display().to_string();
    let command = line.replacen("CA.pem", &ca, 1);
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "{command} -u {USER} --password-stdin <<'EOF'\n{PASS}\nEOF"
        ))
        .env_clear()
        .env("HOME", s.env.home())
        .env("PATH", s.env.path_var())
        .env("DOCKERCFG_CERTS_ROOT", s.root.path())
        .output()
        .unwrap();
    assert_ok(&out, "the printed --ca-file command");
    assert!(s.env.config_json()["auths"][&host]["auth"].is_string());
}

#[test]
fn ssl_cert_file_and_ssl_cert_dir_are_trusted() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    let ca = s.pki.ca_cert.display().to_string();
    assert_ok(
        &s.login(&[], &[], &host, &[("SSL_CERT_FILE", &ca)]),
        "SSL_CERT_FILE",
    );
    // SSL_CERT_DIR: every file in the listed directories (colon-separated).
    let dir = tempfile::tempdir().unwrap();
    fs::copy(&s.pki.ca_cert, dir.path().join("company.pem")).unwrap();
    let dirs = format!("/nonexistent:{}", dir.path().display());
    assert_ok(
        &s.login(&[], &[], &host, &[("SSL_CERT_DIR", &dirs)]),
        "SSL_CERT_DIR",
    );
    // A CA that is not the registry's does not help.
    let other = require(Pki::new("IP:127.0.0.1")).unwrap();
    let other_ca = other.ca_cert.display().to_string();
    let err = assert_failed(
        &s.login(&[], &[], &host, &[("SSL_CERT_FILE", &other_ca)]),
        "another CA",
    );
    assert!(err.contains("unknown authority"), "{err}");
}

#[test]
fn docker_certs_d_is_trusted_under_the_certs_root_and_in_the_user_dir() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    // containers' directory is not docker's: a config.json login ignores it.
    let containers = s.certs_d("containers", &host);
    fs::copy(&s.pki.ca_cert, containers.join("ca.crt")).unwrap();
    assert_failed(
        &s.login(&[], &[], &host, &[]),
        "containers certs.d for docker",
    );

    let d = s.certs_d("docker", &host);
    fs::copy(&s.pki.ca_cert, d.join("ca.crt")).unwrap();
    assert_ok(&s.login(&[], &[], &host, &[]), "/etc/docker/certs.d (root)");
    fs::remove_dir_all(&d).unwrap();

    // docker rootless: ~/.config/docker/certs.d/HOST.
    let user = s.env.home().join(".config/docker/certs.d").join(&host);
    fs::create_dir_all(&user).unwrap();
    fs::copy(&s.pki.ca_cert, user.join("registry-ca.crt")).unwrap();
    assert_ok(&s.login(&[], &[], &host, &[]), "~/.config/docker/certs.d");
}

#[test]
fn podman_reads_containers_certs_d_and_cert_dir() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    let authfile = s.env.home().join("auth.json");
    let file = authfile.display().to_string();
    let global = ["--authfile", file.as_str()];
    assert_failed(&s.login(&global, &[], &host, &[]), "no trust");
    let d = s.certs_d("containers", &host);
    fs::copy(&s.pki.ca_cert, d.join("ca.crt")).unwrap();
    assert_ok(
        &s.login(&global, &[], &host, &[]),
        "/etc/containers/certs.d",
    );
    fs::remove_dir_all(&d).unwrap();
    // containers/image falls back to docker's directory.
    let d = s.certs_d("docker", &host);
    fs::copy(&s.pki.ca_cert, d.join("ca.crt")).unwrap();
    assert_ok(&s.login(&global, &[], &host, &[]), "/etc/docker/certs.d");
    fs::remove_dir_all(&d).unwrap();

    // --cert-dir replaces the lookup, for either kind of file.
    let cert_dir = tempfile::tempdir().unwrap();
    fs::copy(&s.pki.ca_cert, cert_dir.path().join("ca.crt")).unwrap();
    let flag = cert_dir.path().display().to_string();
    assert_ok(
        &s.login(&global, &["--cert-dir", &flag], &host, &[]),
        "--authfile --cert-dir",
    );
    assert_ok(
        &s.login(&[], &["--cert-dir", &flag], &host, &[]),
        "--cert-dir",
    );
    let auth: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&authfile).unwrap()).unwrap();
    assert!(auth["auths"][&host]["auth"].is_string(), "{auth}");
}

#[test]
fn ca_file_is_trusted_and_a_wrong_one_is_a_clear_error() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    let ca = s.pki.ca_cert.display().to_string();
    assert_ok(&s.login(&[], &["--ca-file", &ca], &host, &[]), "--ca-file");
    // A key is not a CA certificate.
    let key = s.pki.server_key.display().to_string();
    let err = assert_failed(&s.login(&[], &["--ca-file", &key], &host, &[]), "key");
    assert!(err.contains("no PEM certificate"), "{err}");
    assert!(err.contains(&key), "{err}");
    let key_text = fs::read_to_string(&s.pki.server_key).unwrap();
    let key_body = key_text.lines().nth(1).unwrap();
    assert!(
        !err.contains(key_body),
        "key material in the message: {err}"
    );
}

#[test]
fn mutual_tls_needs_the_client_certificate_in_certs_d() {
    let Some(s) = Setup::new("IP:127.0.0.1", true) else {
        return;
    };
    let host = s.reg.addr.clone();
    let d = s.certs_d("docker", &host);
    fs::copy(&s.pki.ca_cert, d.join("ca.crt")).unwrap();
    let err = assert_failed(&s.login(&[], &[], &host, &[]), "no client certificate");
    assert!(err.contains("wants a client certificate"), "{err}");
    assert!(err.contains("none was found"), "{err}");
    assert!(err.contains(&d.display().to_string()), "{err}");
    assert!(!err.contains("http://"), "retried over http: {err}");

    // A CA misnamed .cert is caught as docker catches it.
    fs::copy(&s.pki.client_cert, d.join("client.cert")).unwrap();
    let err = assert_failed(&s.login(&[], &[], &host, &[]), "client.cert alone");
    assert!(err.contains("missing key client.key"), "{err}");
    // A key that is not the certificate's.
    fs::copy(&s.pki.server_key, d.join("client.key")).unwrap();
    let err = assert_failed(&s.login(&[], &[], &host, &[]), "mismatched key");
    assert!(err.contains("cannot be used together"), "{err}");

    fs::copy(&s.pki.client_key, d.join("client.key")).unwrap();
    assert_ok(&s.login(&[], &[], &host, &[]), "client.cert + client.key");
    assert!(s.env.config_json()["auths"][&host]["auth"].is_string());
}

/// A loopback HTTP proxy that answers CONNECT by tunnelling to 127.0.0.1 at
/// the requested port (whatever the host name), and records each target.
struct ConnectProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let log = log.clone();
                thread::spawn(move || tunnel(client, &log));
            }
        });
        ConnectProxy { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn tunnel(client: TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap_or_default();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    log.lock().unwrap().push(format!("{method} {target}"));
    let mut client = client;
    let port = target.rsplit(':').next().unwrap_or("");
    let Ok(upstream) = TcpStream::connect(format!("127.0.0.1:{port}")) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
        return;
    };
    if method != "CONNECT" {
        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n");
        return;
    }
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    let (mut up_read, mut up_write) = (upstream.try_clone().unwrap(), upstream);
    let mut client_write = client.try_clone().unwrap();
    let pump = thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut up_write);
        let _ = up_write.shutdown(std::net::Shutdown::Write);
    });
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = up_read.read(&mut buf) {
        if n == 0 || client_write.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = client_write.shutdown(std::net::Shutdown::Both);
    let _ = pump.join();
}

#[test]
fn https_proxy_is_used_and_no_proxy_and_loopback_bypass_it() {
    // The registry's certificate names registry.test, a name no resolver
    // knows: only a proxy can reach it, so a success proves the tunnel.
    let Some(s) = Setup::new("DNS:registry.test,IP:127.0.0.1", false) else {
        return;
    };
    let proxy = ConnectProxy::start();
    let ca = s.pki.ca_cert.display().to_string();
    let named = format!("registry.test:{}", s.port());
    let target = format!("CONNECT {named}");

    for var in ["HTTPS_PROXY", "https_proxy"] {
        let before = proxy.seen().len();
        let out = s.login(&[], &["--ca-file", &ca], &named, &[(var, &proxy.url)]);
        assert_ok(&out, var);
        let seen = proxy.seen()[before..].to_vec();
        assert!(
            !seen.is_empty() && seen.iter().all(|t| *t == target),
            "{var}: {seen:?}"
        );
    }
    // HTTP_PROXY is for http:// URLs only, as in Go: https goes direct
    // (and cannot resolve registry.test).
    let before = proxy.seen().len();
    let out = s.login(
        &[],
        &["--ca-file", &ca],
        &named,
        &[("HTTP_PROXY", &proxy.url)],
    );
    assert_failed(&out, "HTTP_PROXY for https");
    assert_eq!(proxy.seen().len(), before, "HTTP_PROXY used for https");

    for no_proxy in [
        "registry.test",
        ".test",
        "*",
        &format!("other.example, {named}"),
    ] {
        let before = proxy.seen().len();
        let out = s.login(
            &[],
            &["--ca-file", &ca],
            &named,
            &[("HTTPS_PROXY", &proxy.url), ("NO_PROXY", no_proxy)],
        );
        let err = assert_failed(&out, no_proxy);
        // Direct: registry.test resolves nowhere.
        assert!(err.contains("lookup address"), "NO_PROXY={no_proxy}: {err}");
        assert_eq!(
            proxy.seen().len(),
            before,
            "NO_PROXY={no_proxy} was proxied"
        );
    }
    // no_proxy in lower case, and NO_PROXY for another port, does not match.
    let before = proxy.seen().len();
    let out = s.login(
        &[],
        &["--ca-file", &ca],
        &named,
        &[("https_proxy", &proxy.url), ("no_proxy", "registry.test")],
    );
    assert_failed(&out, "no_proxy");
    assert_eq!(proxy.seen().len(), before);
    let out = s.login(
        &[],
        &["--ca-file", &ca],
        &named,
        &[("HTTPS_PROXY", &proxy.url), ("NO_PROXY", "registry.test:1")],
    );
    assert_ok(&out, "NO_PROXY for another port");
    assert!(
        proxy.seen().len() > before,
        "NO_PROXY for another port was not proxied"
    );

    // Loopback is never proxied (Go's rule), whatever NO_PROXY says.
    let before = proxy.seen().len();
    let host = s.reg.addr.clone();
    let out = s.login(
        &[],
        &["--ca-file", &ca],
        &host,
        &[("HTTPS_PROXY", &proxy.url)],
    );
    assert_ok(&out, "loopback with HTTPS_PROXY");
    assert_eq!(
        proxy.seen().len(),
        before,
        "loopback went through the proxy"
    );
}

/// A directory made in the real /etc for one test: it and the parents the
/// test had to create (/etc/docker, /etc/docker/certs.d) go when it ends.
struct EtcDir {
    dir: PathBuf,
    created_parents: Vec<PathBuf>,
}

impl EtcDir {
    fn create(dir: PathBuf) -> EtcDir {
        assert!(!dir.exists(), "{} exists already", dir.display());
        let created_parents = dir
            .ancestors()
            .skip(1)
            .take_while(|p| !p.exists())
            .map(PathBuf::from)
            .collect();
        fs::create_dir_all(&dir).unwrap();
        EtcDir {
            dir,
            created_parents,
        }
    }
}

impl Drop for EtcDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
        // Innermost first; remove_dir leaves a parent someone else filled.
        for p in &self.created_parents {
            let _ = fs::remove_dir(p);
        }
    }
}

/// dockercfg and the docker client, side by side, in a network namespace
/// where the registries are on 192.0.2.1 (docker would skip every
/// certificate check on loopback): the same trust gives the same answer.
/// Uses the real /etc/docker/certs.d (root only; required on CI).
#[test]
fn docker_and_dockercfg_trust_the_same_with_the_real_etc_docker_certs_d() {
    let Some(docker) = require(real::docker_client()) else {
        return;
    };
    let Some(ns) = require(NetNs::start("192.0.2.1")) else {
        return;
    };
    let Some(pki) = require(Pki::new("IP:192.0.2.1")) else {
        return;
    };
    let start = |mtls: bool| {
        let opts = RegistryOptions {
            tls: pki.server(),
            client_ca: mtls.then(|| pki.ca_cert.clone()),
            netns: ns.for_registry(),
        };
        require(Registry::start_with(USER, PASS, &opts))
    };
    let (Some(reg), Some(mtls)) = (start(false), start(true)) else {
        return;
    };
    let env = TestEnv::new();
    let docker_home = tempfile::tempdir().unwrap();
    let dockercfg = assert_cmd::cargo::cargo_bin("dockercfg");
    let ca = pki.ca_cert.display().to_string();

    // Both log in with --password-stdin, in the namespace, with only `vars`
    // (and HOME) in their environment: no PATH, so both store plaintext.
    let both = |host: &str, vars: &[(&str, &str)]| -> (Output, Output) {
        let login = ["login", "-u", USER, "--password-stdin", host];
        let mut d = ns.command(&docker);
        d.arg("--config")
            .arg(docker_home.path())
            .args(login)
            .env_clear()
            .env("HOME", docker_home.path())
            .envs(vars.iter().copied());
        let mut c = ns.command(&dockercfg);
        c.args(login)
            .env_clear()
            .env("HOME", env.home())
            .envs(vars.iter().copied());
        let stdin = format!("{PASS}\n");
        (
            real::run_with_stdin(&mut d, &stdin),
            real::run_with_stdin(&mut c, &stdin),
        )
    };
    let same = |host: &str, vars: &[(&str, &str)], ok: bool, what: &str| {
        let (d, c) = both(host, vars);
        let show = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(d.status.success(), ok, "docker, {what}: {}", show(&d));
        assert_eq!(c.status.success(), ok, "dockercfg, {what}: {}", show(&c));
        eprintln!(
            "{what}: docker: {}\n  dockercfg: {}",
            show(&d).trim(),
            show(&c).trim()
        );
        show(&c)
    };

    let err = same(&reg.addr, &[], false, "no trust");
    assert!(err.contains("unknown authority"), "{err}");
    same(&reg.addr, &[("SSL_CERT_FILE", &ca)], true, "SSL_CERT_FILE");

    let etc = EtcDir::create(PathBuf::from("/etc/docker/certs.d").join(&reg.addr));
    fs::copy(&pki.ca_cert, etc.dir.join("ca.crt")).unwrap();
    same(&reg.addr, &[], true, "/etc/docker/certs.d CA");

    // Mutual TLS: the CA alone is not enough, client.cert + client.key are.
    let metc = EtcDir::create(PathBuf::from("/etc/docker/certs.d").join(&mtls.addr));
    let mdir = &metc.dir;
    fs::copy(&pki.ca_cert, mdir.join("ca.crt")).unwrap();
    same(&mtls.addr, &[], false, "mTLS without a client certificate");
    fs::copy(&pki.client_cert, mdir.join("client.cert")).unwrap();
    fs::copy(&pki.client_key, mdir.join("client.key")).unwrap();
    same(&mtls.addr, &[], true, "mTLS with client.cert + client.key");

    let cfg = env.config_json();
    assert!(cfg["auths"][&mtls.addr]["auth"].is_string(), "{cfg}");
    let docker_cfg: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(docker_home.path().join("config.json")).unwrap())
            .unwrap();
    assert_eq!(
        docker_cfg["auths"][&mtls.addr]["auth"],
        cfg["auths"][&mtls.addr]["auth"]
    );
}

/// `exec --login` verifies as `login` does: the same --ca-file and --cert-dir.
#[test]
fn exec_login_trusts_ca_file_and_cert_dir_as_login_does() {
    let Some(s) = Setup::new("IP:127.0.0.1", false) else {
        return;
    };
    let host = s.reg.addr.clone();
    let exec = |trust: &[&str]| {
        let mut c = s.env.cmd();
        clean_env(&mut c);
        c.env("DOCKERCFG_CERTS_ROOT", s.root.path())
            .env("PW", PASS)
            .args([
                "exec",
                "--login",
                &host,
                "--username",
                USER,
                "--password-env",
                "PW",
            ])
            .args(trust)
            .args(["--", "/usr/bin/true"])
            .output()
            .unwrap()
    };
    let err = assert_failed(&exec(&[]), "exec without trust");
    assert!(err.contains("--ca-file"), "{err}");
    let ca = s.pki.ca_cert.display().to_string();
    let out = exec(&["--ca-file", &ca]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    fs::copy(&s.pki.ca_cert, dir.path().join("ca.crt")).unwrap();
    let out = exec(&["--cert-dir", &dir.path().display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
