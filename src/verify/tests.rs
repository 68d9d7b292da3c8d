//! Unit tests of the /v2/ login flow against small in-process servers and
//! the real docker-registry.

use super::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Instant;

const USER: &str = "alice";
const PASS: &str = "s3cr3t-Pa55word";

fn basic(user: &str, pass: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    format!("Basic {b64}")
}

fn opts(ms: u64) -> VerifyOptions {
    VerifyOptions {
        trust: TrustOptions::default(),
        timeout: Duration::from_millis(ms),
        connect_timeout: crate::verify::CONNECT_TIMEOUT,
    }
}

/// No error's Display or Debug may carry the password or the header.
fn assert_clean(e: &VerifyError) {
    let text = format!("{e} {e:?}");
    assert!(!text.contains(PASS), "secret leaked: {text}");
    assert!(
        !text.contains(&basic(USER, PASS)[6..]),
        "header leaked: {text}"
    );
}

#[derive(Debug, Clone)]
struct Req {
    target: String,
    headers: Vec<(String, String)>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        let h = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name));
        h.map(|(_, v)| v.as_str())
    }
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }
    fn query(&self, key: &str) -> Vec<String> {
        let q = self.target.split_once('?').map(|(_, q)| q).unwrap_or("");
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| percent_decode(v))
            .collect()
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    Reply {
        status,
        headers: headers.collect(),
        body: body.to_string(),
    }
}

const DENIED: &str =
    r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#;

/// A one-request-per-connection HTTP/1.1 server on 127.0.0.1:0 that lives
/// until the test binary exits. `handler` gets the request and the
/// server's "host:port". A connection opening with a TLS handshake byte
/// (0x16, the client's https attempt) is closed unanswered, so the client
/// takes its loopback http fallback, as against a plain-http registry.
fn serve<F>(handler: F) -> (String, Arc<Mutex<Vec<Req>>>)
where
    F: Fn(&Req, &str) -> Reply + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let log = Arc::new(Mutex::new(Vec::new()));
    let (me, seen) = (host.clone(), log.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut first = [0u8; 1];
            if !matches!(stream.peek(&mut first), Ok(1)) || first[0] == 0x16 {
                continue;
            }
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.trim_end().split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            let req = Req { target, headers };
            let r = handler(&req, &me);
            seen.lock().unwrap().push(req);
            let mut out = format!("HTTP/1.1 {} Test\r\n", r.status);
            for (k, v) in &r.headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
                r.body.len(),
                r.body
            ));
            stream.write_all(out.as_bytes()).ok();
        }
    });
    (host, log)
}

/// distribution with htpasswd auth: Basic challenge, errors JSON on 401.
fn basic_registry(req: &Req, _host: &str) -> Reply {
    if req.path() != "/v2/" {
        return reply(404, &[], "");
    }
    if req.header("authorization") == Some(basic(USER, PASS).as_str()) {
        return reply(200, &[("Content-Type", "application/json")], "{}");
    }
    let challenge = [("WWW-Authenticate", r#"Basic realm="Registry Realm""#)];
    reply(401, &challenge, DENIED)
}

/// A token-auth registry whose realm is /token on the same server; the
/// token service answers `token_body` to good credentials.
fn bearer_registry(token_body: &'static str) -> impl Fn(&Req, &str) -> Reply {
    move |req: &Req, host: &str| match req.path() {
        "/v2/" if req.header("authorization") == Some("Bearer tok-123") => reply(200, &[], "{}"),
        "/v2/" => {
            let c = format!(
                r#"Bearer realm="http://{host}/token?client=x",service="test registry",scope="registry:catalog:*""#
            );
            reply(401, &[("WWW-Authenticate", &c)], DENIED)
        }
        "/token" if req.header("authorization") == Some(basic(USER, PASS).as_str()) => {
            reply(200, &[("Content-Type", "application/json")], token_body)
        }
        "/token" => reply(401, &[], r#"{"details":"incorrect username or password"}"#),
        _ => reply(404, &[], ""),
    }
}

#[test]
fn basic_success() {
    let (host, log) = serve(basic_registry);
    verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].header("authorization"), None, "ping is anonymous");
    assert_eq!(
        log[1].header("authorization"),
        Some(basic(USER, PASS).as_str())
    );
    assert!(log[1]
        .header("user-agent")
        .unwrap()
        .starts_with("dockercfg/"));
}

#[test]
fn basic_wrong_password_is_unauthorized() {
    let (host, _) = serve(basic_registry);
    let err = verify_login(&host, USER, &Secret::new("wrong"), &opts(5000)).unwrap_err();
    match &err {
        VerifyError::Unauthorized {
            registry,
            status,
            detail,
        } => {
            assert_eq!((registry.as_str(), *status), (host.as_str(), 401));
            assert_eq!(detail, "authentication required");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("HTTP 401"), "{err}");
    assert!(!format!("{err} {err:?}").contains("wrong"));
}

#[test]
fn bearer_success_sends_basic_service_scope_account() {
    let (host, log) = serve(bearer_registry(r#"{"token":"tok-123","expires_in":300}"#));
    verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap();
    let log = log.lock().unwrap();
    let paths: Vec<&str> = log.iter().map(|r| r.path()).collect();
    assert_eq!(paths, ["/v2/", "/token", "/v2/"]);
    let token = &log[1];
    assert_eq!(
        token.header("authorization"),
        Some(basic(USER, PASS).as_str())
    );
    assert_eq!(token.query("service"), ["test registry"]);
    assert_eq!(token.query("scope"), ["registry:catalog:*"]);
    assert_eq!(token.query("account"), [USER]);
    assert_eq!(token.query("client"), ["x"], "realm's own query kept");
    assert_eq!(log[2].header("authorization"), Some("Bearer tok-123"));
}

#[test]
fn bearer_access_token_is_accepted() {
    let body = r#"{"access_token":"tok-123","token":""}"#;
    let (host, _) = serve(bearer_registry(body));
    verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap();
}

#[test]
fn bearer_refused_is_unauthorized() {
    let (host, log) = serve(bearer_registry(r#"{"token":"tok-123"}"#));
    let err = verify_login(&host, USER, &Secret::new("nope-nope"), &opts(5000)).unwrap_err();
    match &err {
        VerifyError::Unauthorized { status, detail, .. } => {
            assert_eq!(*status, 401);
            assert_eq!(detail, "incorrect username or password");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        log.lock().unwrap().len(),
        2,
        "no /v2/ retry without a token"
    );
}

#[test]
fn token_without_token_is_protocol_error() {
    let (host, _) = serve(bearer_registry(r#"{"token":"","expires_in":60}"#));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert!(
        matches!(&err, VerifyError::Protocol { detail, .. } if detail.contains("without a token")),
        "{err:?}"
    );
    assert_clean(&err);
    let (host, _) = serve(bearer_registry("not json"));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert!(matches!(err, VerifyError::Protocol { .. }), "{err:?}");
}

#[test]
fn token_rejected_by_registry_is_unauthorized() {
    let (host, _) = serve(bearer_registry(r#"{"token":"not-the-right-one"}"#));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert!(
        matches!(err, VerifyError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert_clean(&err);
}

#[test]
fn open_registry_still_sends_credentials() {
    let (host, log) = serve(|_: &Req, _: &str| reply(200, &[], "{}"));
    verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].header("authorization"),
        Some(basic(USER, PASS).as_str())
    );
}

#[test]
fn odd_answers_are_protocol_errors() {
    let (host, _) = serve(|_: &Req, _: &str| reply(404, &[], "404 page not found\n"));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    let VerifyError::Protocol { detail, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains("HTTP 404: 404 page not found"), "{detail}");

    let (host, _) = serve(|_: &Req, _: &str| reply(401, &[], DENIED));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert!(
        err.to_string().contains("without a WWW-Authenticate"),
        "{err}"
    );

    let weird = [("WWW-Authenticate", r#"Bearer realm="unterminated"#)];
    let (host, _) = serve(move |_: &Req, _: &str| reply(401, &weird, ""));
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert!(
        err.to_string().contains("unparsable WWW-Authenticate"),
        "{err}"
    );

    let err = verify_login("bad/host", USER, &Secret::new(PASS), &opts(500)).unwrap_err();
    assert!(matches!(err, VerifyError::Protocol { .. }), "{err:?}");
}

#[test]
fn echoed_secret_is_scrubbed() {
    let (host, _) = serve(|_: &Req, _: &str| {
        let body = format!(r#"{{"errors":[{{"message":"bad password {PASS} for alice"}}]}}"#);
        reply(401, &[("WWW-Authenticate", "Basic realm=r")], &body)
    });
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(5000)).unwrap_err();
    assert_clean(&err);
    assert!(
        err.to_string()
            .contains("bad password <redacted> for alice"),
        "{err}"
    );
}

#[test]
fn closed_port_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let host = format!("127.0.0.1:{port}");
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(2000)).unwrap_err();
    let VerifyError::Unreachable { detail, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        detail.contains("https://") && detail.contains("http://"),
        "{detail}"
    );
    eprintln!("closed port: {err}");
    assert_clean(&err);
}

#[test]
fn silent_server_times_out() {
    // The kernel completes the TCP handshake from the backlog; nobody
    // ever reads or answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let start = Instant::now();
    let err = verify_login(&host, USER, &Secret::new(PASS), &opts(300)).unwrap_err();
    let elapsed = start.elapsed();
    let VerifyError::Unreachable { detail, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains("300 ms timeout"), "{detail}");
    assert!(err.to_string().contains("--no-verify"), "{err}");
    eprintln!("silent server: {err} after {elapsed:?}");
    // https attempt + http fallback share the one 300 ms budget.
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_clean(&err);
    drop(listener);
}

#[test]
fn realm_scheme_rules() {
    assert!(check_realm("https://auth.docker.io/token", false).is_ok());
    assert!(check_realm("HTTPS://auth.example/token", false).is_ok());
    assert!(check_realm("http://auth.example/token", true).is_ok());
    let e = check_realm("http://auth.example/token", false).unwrap_err();
    assert!(e.contains("plain http"), "{e}");
    assert!(check_realm("/token", true).is_err());
    assert!(check_realm("ftp://x/token", true).is_err());
    assert!(check_realm("", true).is_err());
}

#[test]
fn reasons_are_one_line() {
    assert_eq!(one_line_reason(DENIED), "authentication required");
    assert_eq!(
        one_line_reason(r#"{"details":"incorrect username or password"}"#),
        "incorrect username or password"
    );
    let oauth = r#"{"error":"invalid_grant","error_description":"bad creds"}"#;
    assert_eq!(one_line_reason(oauth), "bad creds");
    assert_eq!(one_line_reason("\nline one\nline two"), "line one");
    assert_eq!(one_line_reason("<html><body>nginx</body></html>"), "");
    assert_eq!(one_line_reason(""), "");
    assert_eq!(one_line_reason(&"x".repeat(500)).len(), DETAIL_MAX + 3);
}

#[test]
fn loopback_hosts() {
    for h in [
        "localhost",
        "LocalHost:5000",
        "127.0.0.1",
        "127.0.0.1:5000",
        "127.1.2.3:80",
        "::1",
        "[::1]",
        "[::1]:5000",
        "[::ffff:127.0.0.1]:5000",
    ] {
        assert!(is_loopback(h), "{h}");
    }
    for h in [
        "",
        "registry-1.docker.io",
        "10.0.0.1:5000",
        "128.0.0.1",
        "localhost.example.com",
        "127.0.0.1:",
        "127.0.0.1:abc",
        "127.0.0.1:99999",
        "127.0.0.1:+80",
        "[::1",
        "[::1]x",
        "[127.0.0.1]",
        "::2",
        "[::]:5000",
        "localhost:5000:1",
        "mylocalhost",
    ] {
        assert!(!is_loopback(h), "{h}");
    }
}

fn ch(scheme: &str, params: &[(&str, &str)]) -> Option<Challenge> {
    let params = params.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    Some(Challenge {
        scheme: scheme.into(),
        params: params.collect(),
    })
}

#[test]
fn parses_docker_hub_challenge() {
    let v = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push""#;
    let c = parse_www_authenticate(v).unwrap();
    assert_eq!(c.scheme, "bearer");
    assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
    assert_eq!(c.param("service"), Some("registry.docker.io"));
    assert_eq!(
        c.param("scope"),
        Some("repository:library/alpine:pull,push")
    );
    assert_eq!(c.param("missing"), None);
}

#[test]
fn parses_case_escapes_spacing_and_tokens() {
    assert_eq!(
        parse_www_authenticate(r#"BASIC Realm="a \"quoted\" \\ realm""#),
        ch("basic", &[("realm", r#"a "quoted" \ realm"#)])
    );
    assert_eq!(parse_www_authenticate("Basic"), ch("basic", &[]));
    assert_eq!(parse_www_authenticate("  basic   "), ch("basic", &[]));
    assert_eq!(
        parse_www_authenticate(r#"Bearer  realm = "r" ,, service=svc ,scope="""#),
        ch(
            "bearer",
            &[("realm", "r"), ("service", "svc"), ("scope", "")]
        )
    );
    assert_eq!(
        parse_www_authenticate("Bearer realm=https://h/token,service=s"),
        ch("bearer", &[("realm", "https://h/token"), ("service", "s")])
    );
    // A second challenge in the same value ends the first.
    assert_eq!(
        parse_www_authenticate(r#"Bearer realm="r", Basic realm="b""#),
        ch("bearer", &[("realm", "r")])
    );
    // No realm is a parse success; the caller reports it.
    assert_eq!(
        parse_www_authenticate(r#"Bearer service="s""#)
            .unwrap()
            .param("realm"),
        None
    );
}

#[test]
fn rejects_garbage_challenges() {
    for v in [
        "",
        "   ",
        "=x",
        "\"Basic\"",
        r#"Bearer realm="unterminated"#,
        r#"Bearer realm="x\"#,
        "Bearer realm=",
        "Bearer realm",
        r#"Bearer realm="a"junk"#,
        "Bearer, realm=x",
        "Negotiate abc==",
        "Bearer =x",
    ] {
        assert_eq!(parse_www_authenticate(v), None, "{v:?}");
    }
}

/// Kills the registry process when the test ends, however it ends.
struct Registry {
    child: std::process::Child,
    host: String,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Skip (or in CI, fail) when a tool a real-registry test needs is absent.
fn missing(what: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is required in CI");
    }
    eprintln!("skipping real registry test: {what} is missing");
}

const REGISTRY: &str = "/usr/bin/docker-registry";
/// `htpasswd -Bbn user pass`: user "user", password "pass".
const HTPASSWD: &str = "user:$2y$05$R6ljHcOtq35Ze.3THQxvlO3DAUrTGJX35Dc/p/CdwbAx2tl/fpJdm\n";

/// Debian's docker/distribution on a free loopback port with htpasswd
/// auth, optionally serving TLS with a self-signed certificate made by
/// `openssl` (None: the caller skips).
fn start_registry(tls: bool) -> Option<Registry> {
    use std::process::{Command, Stdio};
    if !std::path::Path::new(REGISTRY).exists() {
        missing(REGISTRY);
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    std::fs::write(path("htpasswd"), HTPASSWD).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut yaml = format!(
        "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
         auth:\n  htpasswd:\n    realm: test-realm\n    path: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
        path("data"),
        path("htpasswd")
    );
    if tls {
        let made = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args(["-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .args(["-keyout", &path("key.pem"), "-out", &path("cert.pem")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipping TLS registry test: openssl could not make a certificate");
            return None;
        }
        let (cert, key) = (path("cert.pem"), path("key.pem"));
        yaml.push_str(&format!(
            "  tls:\n    certificate: {cert}\n    key: {key}\n"
        ));
    }
    std::fs::write(path("config.yml"), yaml).unwrap();
    let log = std::fs::File::create(path("registry.log")).unwrap();
    let child = Command::new(REGISTRY)
        .arg("serve")
        .arg(path("config.yml"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let host = format!("127.0.0.1:{port}");
    let mut reg = Registry {
        child,
        host,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&reg.host).is_err() {
        let exited = reg.child.try_wait().unwrap();
        if exited.is_some() || Instant::now() > deadline {
            let log = std::fs::read_to_string(reg._dir.path().join("registry.log"));
            panic!("registry did not start ({exited:?}): {log:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(reg)
}

#[test]
fn real_distribution_registry_with_htpasswd() {
    let Some(reg) = start_registry(false) else {
        return;
    };
    verify_login(&reg.host, "user", &Secret::new("pass"), &opts(10_000)).unwrap();
    let err =
        verify_login(&reg.host, "user", &Secret::new("wrong-pass"), &opts(10_000)).unwrap_err();
    assert!(
        matches!(err, VerifyError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("wrong-pass"));
    eprintln!("real registry said: {err}");
}

#[test]
fn real_registry_self_signed_tls_needs_insecure() {
    let Some(reg) = start_registry(true) else {
        return;
    };
    let pass = Secret::new("pass");
    // Loopback alone only allows the http fallback, which a TLS-only
    // server refuses; the certificate failure must be in the message.
    let err = verify_login(&reg.host, "user", &pass, &opts(10_000)).unwrap_err();
    assert!(err.to_string().contains("certificate"), "{err}");
    eprintln!("self-signed, not insecure: {err}");
    let insecure = VerifyOptions {
        trust: TrustOptions {
            insecure: true,
            ..TrustOptions::default()
        },
        ..opts(10_000)
    };
    verify_login(&reg.host, "user", &pass, &insecure).unwrap();
    let err = verify_login(&reg.host, "user", &Secret::new("nope"), &insecure).unwrap_err();
    assert!(
        matches!(err, VerifyError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
}
