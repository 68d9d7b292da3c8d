//! Checking credentials against a registry before they are stored.
//!
//! This module owns the network half of `dockercfg login`: it talks to a
//! registry's `/v2/` endpoint the way `docker login` (docker/distribution's
//! client) and `podman login` do, and answers "would these credentials work?"
//! without storing anything, and the "is this registry on loopback" rule
//! that decides when plain http may be tried. `WWW-Authenticate` parsing is
//! in [`challenge`].
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
//! 127.0.0.0/8 in its insecure list by default) but keep certificate checks;
//! a certificate that fails them is reported, not retried over http.
//!
//! What is trusted (system store, certs.d, `--ca-file`, client certificates)
//! is [`trust`]'s business; which proxy a request takes, [`proxy`]'s.

mod challenge;
pub mod proxy;
pub mod trust;

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use base64::Engine as _;
use ureq::http::Response;
use ureq::Body;

use crate::Secret;
pub use challenge::{parse_www_authenticate, Challenge};
use proxy::ProxyEnv;
pub use trust::{build_trust, CertsLayout, Trust, TrustError, TrustOptions};

const USER_AGENT: &str = concat!("dockercfg/", env!("CARGO_PKG_VERSION"));
/// Bodies we read are error JSON or a token; anything bigger is not ours.
const BODY_LIMIT: u64 = 256 * 1024;
/// Longest registry-supplied reason kept in an error.
const DETAIL_MAX: usize = 200;

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// What to trust; its `insecure` skips TLS certificate verification and
    /// allows the plain-http fallback (Docker's `insecure-registries`).
    pub trust: TrustOptions,
    /// Limit for the whole check (every request, the token fetch and the
    /// http fallback together), bodies included.
    pub timeout: Duration,
    /// Limit for each TCP connect.
    pub connect_timeout: Duration,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trust: TrustOptions::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: CONNECT_TIMEOUT,
        }
    }
}

/// A registry that does not accept a connection within this is down or
/// firewalled; waiting for the whole timeout would only hide that.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

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
    #[error("cannot reach registry {registry}: {detail}; --no-verify skips this check")]
    Unreachable { registry: String, detail: String },
    /// The registry answered, but not as a registry should.
    #[error("unexpected answer from registry {registry}: {detail}")]
    Protocol { registry: String, detail: String },
    /// The registry's certificate chains to no CA we trust (rustls'
    /// `UnknownIssuer`): the private-CA case, fixed by trusting the CA (see
    /// [`trust::untrusted_hint`]), not by turning verification off.
    #[error(
        "the certificate of registry {registry} is signed by an unknown authority \
         (its CA is not in the system store, certs.d or --ca-file): {detail}"
    )]
    UntrustedCertificate {
        registry: String,
        detail: String,
        /// The certs.d directories that were looked at for this registry.
        host_dirs: Vec<std::path::PathBuf>,
    },
    /// The registry ended the handshake over our client certificate (none
    /// given, or one it does not accept): a mutual-TLS registry.
    #[error(
        "registry {registry} refused the TLS connection: it wants a client certificate \
         it accepts ({}): {detail}",
        if *.presented { "the one in certs.d was refused" } else { "none was found in certs.d" }
    )]
    ClientCertificate {
        registry: String,
        detail: String,
        presented: bool,
        host_dirs: Vec<std::path::PathBuf>,
    },
    /// A trust file (certs.d, --ca-file, --cert-dir) cannot be used.
    #[error("{0}")]
    Trust(#[from] TrustError),
}

/// "30 s", "1.5 s", "250 ms".
fn show_duration(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

/// A successful check, with what the user should still hear about.
#[derive(Debug, Default)]
pub struct Verified {
    /// Trust files that were skipped (see [`Trust::warnings`]).
    pub warnings: Vec<String>,
}

/// Check `username`/`secret` against the registry at `host` ("host[:port]",
/// already normalised; Docker Hub's API host is "registry-1.docker.io").
pub fn verify_login(
    host: &str,
    username: &str,
    secret: &Secret,
    opts: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let v = Verifier::new(host, username, secret, opts)?;
    let warnings = v.trust.warnings.clone();
    check_login(&v, host).map(|()| Verified { warnings })
}

fn check_login(v: &Verifier, host: &str) -> Result<(), VerifyError> {
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
    let first = match first {
        VerifyError::Unreachable { detail, .. } | VerifyError::Protocol { detail, .. }
            if v.allow_http =>
        {
            detail
        }
        // Not retried over http: the server speaks TLS, and its certificate
        // is the problem to report.
        other => return Err(other),
    };
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
    proxies: ProxyEnv,
    trust: Trust,
    host: &'a str,
    username: &'a str,
    secret: &'a Secret,
    basic: String,
    allow_http: bool,
    timeout: Duration,
    connect_timeout: Duration,
    /// When the whole check must be over: each request gets what is left.
    deadline: std::time::Instant,
}

impl<'a> Verifier<'a> {
    fn new(
        host: &'a str,
        username: &'a str,
        secret: &'a Secret,
        opts: &VerifyOptions,
    ) -> Result<Self, VerifyError> {
        // One trust for the registry and its token realm, as Docker's
        // transport is shared by both.
        let trust = build_trust(host, &opts.trust)?;
        let config = ureq::Agent::config_builder()
            // 401/403/404 are answers we interpret, not transport errors.
            .http_status_as_error(false)
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.connect_timeout.min(opts.timeout)))
            .user_agent(USER_AGENT)
            // A same-host https redirect (e.g. /v2 -> /v2/) keeps the
            // credentials; any other redirect drops them.
            .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost)
            .tls_config(trust.tls.clone())
            // Proxies are chosen per request by `proxy` (Go's rules).
            .proxy(None);
        let pair = format!("{username}:{}", secret.expose());
        let basic = base64::engine::general_purpose::STANDARD.encode(pair);
        Ok(Verifier {
            agent: config.build().into(),
            proxies: ProxyEnv::from_env(),
            trust,
            host,
            username,
            secret,
            basic: format!("Basic {basic}"),
            allow_http: opts.trust.insecure || is_loopback(host),
            timeout: opts.timeout,
            connect_timeout: opts.connect_timeout.min(opts.timeout),
            deadline: std::time::Instant::now() + opts.timeout,
        })
    }

    /// A GET of `url` through the proxy Go would pick for it.
    fn request(
        &self,
        url: &str,
    ) -> Result<ureq::RequestBuilder<ureq::typestate::WithoutBody>, ureq::Error> {
        let proxy = match self.proxies.proxy_for(url) {
            Some(p) => Some(ureq::Proxy::new(&p)?),
            None => None,
        };
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now())
            .max(Duration::from_millis(1));
        Ok(self
            .agent
            .get(url)
            .config()
            .proxy(proxy)
            .timeout_global(Some(left))
            .build())
    }

    fn get(&self, url: &str, auth: Option<&str>) -> Result<Response<Body>, ureq::Error> {
        let mut req = self.request(url)?;
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
        let req = self.request(realm).map_err(|e| self.transport(realm, e))?;
        let mut req = req.header("Authorization", &self.basic);
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
        if let Some(problem) = tls_problem(&e) {
            let registry = self.host.to_string();
            let detail = format!("{url}: {}", e.to_string().replace(['\r', '\n'], " "));
            let detail = self.scrub(detail);
            let host_dirs = self.trust.host_dirs.clone();
            return match problem {
                TlsProblem::UnknownIssuer => VerifyError::UntrustedCertificate {
                    registry,
                    detail,
                    host_dirs,
                },
                TlsProblem::ClientCertRefused => VerifyError::ClientCertificate {
                    registry,
                    detail,
                    presented: self.trust.client_cert.is_some(),
                    host_dirs,
                },
            };
        }
        let timed_out = format!(
            "no answer within the {} timeout (--timeout SECS)",
            show_duration(self.timeout)
        );
        let (unreachable, what) = match &e {
            E::Timeout(ureq::Timeout::Connect) => (
                true,
                format!(
                    "no connection within {} (is the registry up?)",
                    show_duration(self.connect_timeout)
                ),
            ),
            E::Timeout(_) => (true, timed_out),
            E::Io(io) if matches!(io.kind(), std::io::ErrorKind::TimedOut) => (true, timed_out),
            E::HostNotFound => (true, "host not found (DNS lookup failed)".into()),
            E::Io(io) => (true, format!("connection failed: {io}")),
            E::Tls(_) | E::Pem(_) => (true, format!("TLS failed: {e}")),
            #[cfg(not(any(target_os = "macos", windows)))]
            E::Rustls(_) => (true, format!("TLS failed: {e}")),
            #[cfg(any(target_os = "macos", windows))]
            E::NativeTls(_) => (true, format!("TLS failed: {e}")),
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

/// TLS failures that a user fixes by trusting or presenting certificates.
enum TlsProblem {
    /// The server's certificate chains to no trusted CA.
    UnknownIssuer,
    /// The server rejected (or missed) our client certificate.
    ClientCertRefused,
}

#[cfg(not(any(target_os = "macos", windows)))]
fn tls_problem(e: &ureq::Error) -> Option<TlsProblem> {
    use rustls::{AlertDescription as A, CertificateError, Error as R};
    let inner = match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => io.get_ref().and_then(|i| i.downcast_ref::<R>()),
        _ => None,
    };
    match inner? {
        R::InvalidCertificate(CertificateError::UnknownIssuer) => Some(TlsProblem::UnknownIssuer),
        // Go's server answers a missing or unverifiable client certificate
        // with bad_certificate (TLS 1.2) or certificate_required (1.3).
        R::AlertReceived(A::BadCertificate | A::CertificateRequired | A::UnknownCA) => {
            Some(TlsProblem::ClientCertRefused)
        }
        _ => None,
    }
}

/// The platform libraries give text only: SecureTransport "not trusted",
/// SChannel "untrusted root" / "not trusted by the trust provider".
#[cfg(any(target_os = "macos", windows))]
fn tls_problem(e: &ureq::Error) -> Option<TlsProblem> {
    let text = e.to_string().to_ascii_lowercase();
    let any = |p: &[&str]| p.iter().any(|p| text.contains(p));
    if any(&[
        "not trusted",
        "untrusted root",
        "unknown issuer",
        "unknown authority",
    ]) {
        Some(TlsProblem::UnknownIssuer)
    } else if any(&["bad certificate", "certificate required"]) {
        Some(TlsProblem::ClientCertRefused)
    } else {
        None
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

#[cfg(test)]
mod tests;
