//! Checking credentials against a registry before they are stored.
//!
//! This module owns the network half of `dockercfg login`: it talks to a
//! registry's `/v2/` endpoint the way `docker login` (docker/distribution's
//! client) and `podman login` do, and answers "would these credentials work?"
//! without storing anything. It also owns the parsing of `WWW-Authenticate`
//! challenges and the "is this registry on loopback" rule that decides when
//! plain http may be tried.
//!
//! The flow, as in Docker:
//! 1. `GET https://HOST/v2/` without credentials (the "ping").
//! 2. 200: the registry needs no auth; the credentials are still sent once
//!    with Basic auth and a 2xx is success (Docker reports success here too).
//! 3. 401 + `Basic`: `GET /v2/` again with Basic auth.
//! 4. 401 + `Bearer realm=..,service=..,scope=..`: fetch a token from the
//!    realm with Basic auth and `service`/`scope`/`account` in the query, then
//!    `GET /v2/` with that token, as Docker's token handler does.
//!
//! The secret only ever goes into an `Authorization` header. Every error
//! detail is built from status codes, the registry's own one-line reason and
//! transport errors, and is scrubbed of the secret anyway in case a registry
//! echoes it back.
//!
//! `insecure` means what `--insecure-registry` means to Docker: https with
//! certificate verification disabled, then plain http if https cannot connect.
//! Loopback registries get the http fallback without `insecure` (Docker puts
//! 127.0.0.0/8 in its insecure list by default) but keep certificate checks.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use base64::Engine as _;
use ureq::http::Response;
use ureq::Body;

use crate::Secret;

const USER_AGENT: &str = concat!("dockercfg/", env!("CARGO_PKG_VERSION"));
/// Bodies we read are error JSON or a token; anything bigger is not ours.
const BODY_LIMIT: u64 = 256 * 1024;
/// Longest registry-supplied reason kept in an error.
const DETAIL_MAX: usize = 200;

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Skip TLS certificate verification and allow the plain-http fallback
    /// (Docker's `insecure-registries`).
    pub insecure: bool,
    /// Limit for each HTTP request, including reading its body.
    pub timeout: Duration,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            insecure: false,
            timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The registry refused the credentials.
    #[error("{registry}: credentials refused (HTTP {status}){}", suffix(.detail))]
    Unauthorized {
        registry: String,
        status: u16,
        detail: String,
    },
    /// Could not talk to the registry at all (DNS, connect, TLS, timeout).
    #[error("cannot reach registry {registry}: {detail}")]
    Unreachable { registry: String, detail: String },
    /// The registry answered, but not as a registry should.
    #[error("unexpected answer from registry {registry}: {detail}")]
    Protocol { registry: String, detail: String },
}

fn suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

/// One parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lowercased, e.g. "basic" or "bearer".
    pub scheme: String,
    /// Parameter names lowercased, values unquoted, in header order.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The first value of parameter `name` (give it lowercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Check `username`/`secret` against the registry at `host` ("host[:port]",
/// already normalised; Docker Hub's API host is "registry-1.docker.io").
pub fn verify_login(
    host: &str,
    username: &str,
    secret: &Secret,
    opts: &VerifyOptions,
) -> Result<(), VerifyError> {
    let v = Verifier::new(host, username, secret, opts);
    if host.is_empty()
        || host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/@?#\\".contains(c))
    {
        return Err(v.protocol(format!("{host:?} is not a host[:port]")));
    }
    let https = format!("https://{host}/v2/");
    let err = match v.get(&https, None) {
        Ok(resp) => return v.flow(&https, resp),
        Err(e) => e,
    };
    // Docker falls back to plain http only for registries it treats as
    // insecure (its default list is 127.0.0.0/8), and only when https could
    // not be spoken at all; an HTTP answer over https is never retried.
    let first = v.transport(&https, err);
    if !v.allow_http {
        return Err(first);
    }
    let (VerifyError::Unreachable { detail: first, .. }
    | VerifyError::Protocol { detail: first, .. }
    | VerifyError::Unauthorized { detail: first, .. }) = first;
    let http = format!("http://{host}/v2/");
    let mut result = (v.get(&http, None).map_err(|e| v.transport(&http, e)))
        .and_then(|resp| v.flow(&http, resp));
    // Keep the https failure in view: with a TLS-only server on loopback the
    // http answer alone would be misleading.
    if let Err(VerifyError::Unreachable { detail, .. } | VerifyError::Protocol { detail, .. }) =
        &mut result
    {
        *detail = format!("{first}; then {detail}");
    }
    result
}

struct Verifier<'a> {
    agent: ureq::Agent,
    host: &'a str,
    username: &'a str,
    secret: &'a Secret,
    basic: String,
    allow_http: bool,
    timeout: Duration,
}

impl<'a> Verifier<'a> {
    fn new(host: &'a str, username: &'a str, secret: &'a Secret, opts: &VerifyOptions) -> Self {
        let mut config = ureq::Agent::config_builder()
            // 401/403/404 are answers we interpret, not transport errors.
            .http_status_as_error(false)
            .timeout_global(Some(opts.timeout))
            .user_agent(USER_AGENT)
            // A same-host https redirect (e.g. /v2 -> /v2/) keeps the
            // credentials; any other redirect drops them.
            .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost);
        if opts.insecure {
            // Docker sets InsecureSkipVerify for insecure registries, and uses
            // the same transport for the token realm.
            let tls = ureq::tls::TlsConfig::builder()
                .disable_verification(true)
                .build();
            config = config.tls_config(tls);
        }
        let pair = format!("{username}:{}", secret.expose());
        let basic = base64::engine::general_purpose::STANDARD.encode(pair);
        Verifier {
            agent: config.build().into(),
            host,
            username,
            secret,
            basic: format!("Basic {basic}"),
            allow_http: opts.insecure || is_loopback(host),
            timeout: opts.timeout,
        }
    }

    fn get(&self, url: &str, auth: Option<&str>) -> Result<Response<Body>, ureq::Error> {
        let mut req = self.agent.get(url);
        if let Some(auth) = auth {
            req = req.header("Authorization", auth);
        }
        req.call()
    }

    /// Interpret the unauthenticated ping of `v2` and finish the login.
    fn flow(&self, v2: &str, ping: Response<Body>) -> Result<(), VerifyError> {
        let status = ping.status().as_u16();
        if ping.status().is_success() {
            // No auth needed; Docker still sends the credentials and reports
            // success on 200, so do the same.
            let resp = self.get(v2, Some(&self.basic));
            return self.expect_ok(v2, resp);
        }
        if status != 401 {
            let reason = self.reason(ping);
            return Err(self.protocol(format!("GET {v2}: HTTP {status}{}", suffix(&reason))));
        }
        let raw: Vec<String> = ping
            .headers()
            .get_all("www-authenticate")
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        let challenges: Vec<Challenge> = raw
            .iter()
            .filter_map(|v| parse_www_authenticate(v))
            .collect();
        // Prefer a token service when both are offered, as Docker does.
        if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
            self.bearer(v2, bearer)
        } else if challenges.iter().any(|c| c.scheme == "basic") {
            let resp = self.get(v2, Some(&self.basic));
            self.expect_ok(v2, resp)
        } else if raw.is_empty() {
            Err(self.protocol(format!("GET {v2}: 401 without a WWW-Authenticate header")))
        } else {
            let shown: String = raw.join(" | ").chars().take(DETAIL_MAX).collect();
            Err(self.protocol(format!(
                "unsupported or unparsable WWW-Authenticate: {shown}"
            )))
        }
    }

    /// Docker's token handler: GET realm?service=..&scope=..&account=USER
    /// with Basic auth, take `token` (or `access_token`), then retry /v2/.
    fn bearer(&self, v2: &str, challenge: &Challenge) -> Result<(), VerifyError> {
        let realm = challenge.param("realm").unwrap_or("");
        check_realm(realm, self.allow_http).map_err(|d| self.protocol(d))?;
        let mut req = self.agent.get(realm).header("Authorization", &self.basic);
        if let Some(service) = challenge.param("service") {
            req = req.query("service", service);
        }
        if let Some(scope) = challenge.param("scope") {
            req = req.query("scope", scope);
        }
        if !self.username.is_empty() {
            req = req.query("account", self.username);
        }
        let resp = req.call().map_err(|e| self.transport(realm, e))?;
        let status = resp.status().as_u16();
        if status == 401 || status == 403 {
            return Err(self.unauthorized(status, self.reason(resp)));
        }
        if !resp.status().is_success() {
            let reason = self.reason(resp);
            let detail = format!("token service {realm}: HTTP {status}{}", suffix(&reason));
            return Err(self.protocol(detail));
        }
        let body = self.body(resp, realm)?;
        let token = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|json| {
                ["token", "access_token"].iter().find_map(|k| {
                    json.get(k)
                        .and_then(|t| t.as_str())
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                })
            });
        let Some(token) = token else {
            let d = format!("token service {realm} answered without a token");
            return Err(self.protocol(d));
        };
        // Docker's authorizer now repeats GET /v2/ with the token and reports
        // success only on 200; a token the registry then rejects is a refusal.
        let resp = self.get(v2, Some(&format!("Bearer {token}")));
        self.expect_ok(v2, resp)
    }

    fn expect_ok(
        &self,
        url: &str,
        resp: Result<Response<Body>, ureq::Error>,
    ) -> Result<(), VerifyError> {
        let resp = resp.map_err(|e| self.transport(url, e))?;
        let status = resp.status().as_u16();
        match status {
            200..=299 => Ok(()),
            401 | 403 => Err(self.unauthorized(status, self.reason(resp))),
            _ => {
                let reason = self.reason(resp);
                Err(self.protocol(format!("GET {url}: HTTP {status}{}", suffix(&reason))))
            }
        }
    }

    fn body(&self, mut resp: Response<Body>, url: &str) -> Result<String, VerifyError> {
        let body = resp.body_mut().with_config().limit(BODY_LIMIT);
        body.read_to_string().map_err(|e| self.transport(url, e))
    }

    /// The registry's one-line reason from an error body, or "".
    fn reason(&self, mut resp: Response<Body>) -> String {
        let body = resp.body_mut().with_config().limit(BODY_LIMIT);
        body.read_to_string()
            .map(|b| one_line_reason(&b))
            .unwrap_or_default()
    }

    /// Map a ureq failure to Unreachable (could not talk) or Protocol.
    fn transport(&self, url: &str, e: ureq::Error) -> VerifyError {
        use ureq::Error as E;
        let timed_out = format!("timed out after {} ms", self.timeout.as_millis());
        let (unreachable, what) = match &e {
            E::Timeout(_) => (true, timed_out),
            E::Io(io) if matches!(io.kind(), std::io::ErrorKind::TimedOut) => (true, timed_out),
            E::HostNotFound => (true, "host not found (DNS lookup failed)".into()),
            E::Io(io) => (true, format!("connection failed: {io}")),
            E::Rustls(_) | E::Tls(_) | E::Pem(_) => (true, format!("TLS failed: {e}")),
            E::ConnectionFailed | E::ConnectProxyFailed(_) => (true, e.to_string()),
            _ => (false, e.to_string()),
        };
        let detail = format!("{url}: {}", what.replace(['\r', '\n'], " "));
        if unreachable {
            VerifyError::Unreachable {
                registry: self.host.to_string(),
                detail: self.scrub(detail),
            }
        } else {
            self.protocol(detail)
        }
    }

    fn unauthorized(&self, status: u16, detail: String) -> VerifyError {
        VerifyError::Unauthorized {
            registry: self.host.to_string(),
            status,
            detail: self.scrub(detail),
        }
    }

    fn protocol(&self, detail: String) -> VerifyError {
        VerifyError::Protocol {
            registry: self.host.to_string(),
            detail: self.scrub(detail),
        }
    }

    /// Belt and braces: a registry that echoes the password (or our header)
    /// back in its error text must not put it on the user's screen.
    fn scrub(&self, mut text: String) -> String {
        let header = &self.basic["Basic ".len()..];
        for s in [self.secret.expose(), header] {
            if !s.is_empty() && text.contains(s) {
                text = text.replace(s, "<redacted>");
            }
        }
        text
    }
}

/// Where a token may be fetched from: an absolute https URL, or http only
/// when the registry itself may be spoken to over http.
fn check_realm(realm: &str, allow_http: bool) -> Result<(), String> {
    let lower = realm.to_ascii_lowercase();
    if realm.is_empty() {
        Err("Bearer challenge without a realm".into())
    } else if lower.starts_with("https://") || (lower.starts_with("http://") && allow_http) {
        Ok(())
    } else if lower.starts_with("http://") {
        Err(format!(
            "token realm {realm} is plain http; refusing to send credentials \
             (allowed only for loopback or insecure registries)"
        ))
    } else {
        Err(format!(
            "token realm {realm:?} is not an absolute http(s) URL"
        ))
    }
}

/// One line out of a registry or token-service error body: distribution's
/// `errors[0].message`, a token server's `details`, OAuth's
/// `error_description`/`error`, or short plain text.
fn one_line_reason(body: &str) -> String {
    let text = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(json) => {
            let first = json.pointer("/errors/0");
            let candidates = [
                first.and_then(|e| e.get("message")),
                first.and_then(|e| e.get("detail")),
                json.get("details"),
                json.get("error_description"),
                json.get("error"),
                json.get("message"),
            ];
            candidates
                .iter()
                .flatten()
                .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))
                .unwrap_or("")
                .to_string()
        }
        // Plain text is kept only if it looks like a sentence, not a page.
        Err(_) if !body.trim_start().starts_with('<') => body.to_string(),
        Err(_) => String::new(),
    };
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim();
    if line.chars().count() > DETAIL_MAX {
        let cut: String = line.chars().take(DETAIL_MAX).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}

/// True for 127.0.0.0/8, ::1 (also `[::1]`, and v4-mapped 127/8) and
/// `localhost`, each with an optional `:port`.
pub fn is_loopback(host: &str) -> bool {
    let (name, port, bracketed) = match host.strip_prefix('[').map(|r| r.split_once(']')) {
        Some(Some((inner, ""))) => (inner, None, true),
        Some(Some((inner, after))) => match after.strip_prefix(':') {
            Some(port) => (inner, Some(port), true),
            None => return false,
        },
        Some(None) => return false,
        None if host.matches(':').count() > 1 => (host, None, false), // bare IPv6
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port), false),
            None => (host, None, false),
        },
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if port.is_some_and(|p| !digits(p) || p.parse::<u16>().is_err()) {
        return false;
    }
    match name.parse::<Ipv6Addr>() {
        Ok(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Err(_) if bracketed => false,
        Err(_) => {
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<Ipv4Addr>().is_ok_and(|v4| v4.is_loopback())
        }
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Parse one `WWW-Authenticate` value: `scheme [param=value *(, param=value)]`
/// where a value is a token or a quoted string with `\` escapes. Like
/// docker/distribution's parser, one challenge is read per header value; a
/// following challenge (`..., Basic realm=..`) ends it. Returns `None` for a
/// value that has no scheme or whose parameters are malformed.
pub fn parse_www_authenticate(value: &str) -> Option<Challenge> {
    let s = value.trim_start();
    let end = s.find(|c: char| !is_tchar(c)).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let scheme = s[..end].to_ascii_lowercase();
    let mut rest = &s[end..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| !is_tchar(c)).unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        let key = rest[..end].to_ascii_lowercase();
        let after = rest[end..].trim_start_matches([' ', '\t']);
        let Some(after) = after.strip_prefix('=') else {
            // A token that is not a parameter starts the next challenge.
            if !params.is_empty() {
                break;
            }
            return None;
        };
        let after = after.trim_start_matches([' ', '\t']);
        let (val, tail) = if let Some(q) = after.strip_prefix('"') {
            let mut val = String::new();
            let mut chars = q.char_indices();
            let mut close = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => val.push(chars.next()?.1),
                    '"' => {
                        close = Some(i + 1);
                        break;
                    }
                    _ => val.push(c),
                }
            }
            (val, &q[close?..])
        } else {
            // Lenient like Docker: an unquoted value runs to `,` or space, so
            // an unquoted URL realm still works.
            let end = after.find([',', ' ', '\t']).unwrap_or(after.len());
            if end == 0 || after.starts_with('=') || after[..end].contains('"') {
                return None; // empty, token68 padding (`abc==`), stray quote
            }
            (after[..end].to_string(), &after[end..])
        };
        let tail = tail.trim_start_matches([' ', '\t']);
        if !tail.is_empty() && !tail.starts_with(',') {
            return None;
        }
        params.push((key, val));
        rest = tail;
    }
    Some(Challenge { scheme, params })
}

#[cfg(test)]
mod tests {
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
            insecure: false,
            timeout: Duration::from_millis(ms),
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
            "/v2/" if req.header("authorization") == Some("Bearer tok-123") => {
                reply(200, &[], "{}")
            }
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
        assert!(detail.contains("timed out"), "{detail}");
        assert!(err.to_string().contains("timed out"), "{err}");
        eprintln!("silent server: {err} after {elapsed:?}");
        // https attempt + http fallback, 300 ms each.
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
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
            insecure: true,
            ..opts(10_000)
        };
        verify_login(&reg.host, "user", &pass, &insecure).unwrap();
        let err = verify_login(&reg.host, "user", &Secret::new("nope"), &insecure).unwrap_err();
        assert!(
            matches!(err, VerifyError::Unauthorized { status: 401, .. }),
            "{err:?}"
        );
    }
}
