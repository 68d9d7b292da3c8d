//! Which proxy a request to a registry goes through: `HTTPS_PROXY`,
//! `HTTP_PROXY` and `NO_PROXY` (and their lower-case forms) read exactly as
//! Go's `http.ProxyFromEnvironment` reads them, since docker and podman both
//! use it (golang.org/x/net/http/httpproxy). ureq's own reading differs
//! (it honours `ALL_PROXY` and uses one proxy for both schemes), so it is
//! switched off and this decides per request.
//!
//! Go's rules: the upper-case name wins over the lower-case one; https URLs
//! use `HTTPS_PROXY`, http URLs `HTTP_PROXY`; a proxy without a scheme is
//! `http://`; `localhost` and loopback addresses are never proxied;
//! `NO_PROXY` is a comma list of `*`, IP addresses, CIDR ranges and domain
//! names, each optionally with `:PORT`, where `example.com` covers the
//! domain and its subdomains and `.example.com` or `*.example.com` only
//! the subdomains.

use std::net::IpAddr;

/// The proxy settings of this process, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    pub https_proxy: Option<String>,
    pub http_proxy: Option<String>,
    pub no_proxy: String,
}

impl ProxyEnv {
    /// Read the environment as Go does (upper case first).
    pub fn from_env() -> ProxyEnv {
        let get = |upper: &str, lower: &str| {
            [upper, lower]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        };
        ProxyEnv {
            https_proxy: get("HTTPS_PROXY", "https_proxy"),
            http_proxy: get("HTTP_PROXY", "http_proxy"),
            no_proxy: get("NO_PROXY", "no_proxy").unwrap_or_default(),
        }
    }

    /// The proxy URL for a request to `url` (absolute http or https), or
    /// None to connect directly.
    pub fn proxy_for(&self, url: &str) -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let proxy = match scheme.as_str() {
            "https" => self.https_proxy.as_ref()?,
            "http" => self.http_proxy.as_ref()?,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let default_port = if scheme == "https" { "443" } else { "80" };
        let (host, port) = split_host_port(authority).unwrap_or((authority, default_port));
        if !use_proxy(host, port, &self.no_proxy) {
            return None;
        }
        Some(if proxy.contains("://") {
            proxy.clone()
        } else {
            format!("http://{proxy}")
        })
    }
}

/// "host:port", "[v6]:port" -> (host without brackets, port); None when
/// there is no port.
fn split_host_port(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = after.strip_prefix(':')?;
        return Some((host, port));
    }
    let (host, port) = s.rsplit_once(':')?;
    if host.contains(':') {
        return None; // a bare IPv6 address
    }
    Some((host, port))
}

/// httpproxy's `useProxy`.
fn use_proxy(host: &str, port: &str, no_proxy: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return false;
    }
    let ip: Option<IpAddr> = host.parse().ok();
    if ip.is_some_and(|ip| ip.is_loopback()) {
        return false;
    }
    for entry in no_proxy.split(',') {
        let entry = entry.trim().to_ascii_lowercase();
        if entry.is_empty() {
            continue;
        }
        if entry == "*" {
            return false;
        }
        if let Some(net) = parse_cidr(&entry) {
            if ip.is_some_and(|ip| net.contains(ip)) {
                return false;
            }
            continue;
        }
        let (phost, pport) = match split_host_port(&entry) {
            Some((h, p)) if !h.is_empty() => (h.to_string(), p),
            Some(_) => continue, // ":80" alone: malformed, ignored by Go
            None => (entry.clone(), ""),
        };
        let port_ok = pport.is_empty() || pport == port;
        if let Ok(pip) = phost
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            if ip == Some(pip) && port_ok {
                return false;
            }
            continue;
        }
        let phost = phost.strip_prefix('*').unwrap_or(&phost);
        let (suffix, match_host) = match phost.strip_prefix('.') {
            Some(_) => (phost.to_string(), false),
            None => (format!(".{phost}"), true),
        };
        if (host.ends_with(&suffix) || (match_host && host == &suffix[1..])) && port_ok {
            return false;
        }
    }
    true
}

struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - self.bits as u32).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - self.bits as u32).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

fn parse_cidr(s: &str) -> Option<Cidr> {
    let (net, bits) = s.split_once('/')?;
    let net: IpAddr = net.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let max = if net.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some(Cidr { net, bits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(no_proxy: &str) -> ProxyEnv {
        ProxyEnv {
            https_proxy: Some("proxy.corp:3128".into()),
            http_proxy: Some("http://plain.corp:80".into()),
            no_proxy: no_proxy.into(),
        }
    }

    #[test]
    fn scheme_picks_the_variable_and_a_bare_proxy_is_http() {
        let e = env("");
        assert_eq!(
            e.proxy_for("https://reg.example/v2/").as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(
            e.proxy_for("http://reg.example/v2/").as_deref(),
            Some("http://plain.corp:80")
        );
        let only_http = ProxyEnv {
            https_proxy: None,
            ..env("")
        };
        assert_eq!(only_http.proxy_for("https://reg.example/v2/"), None);
    }

    #[test]
    fn loopback_is_never_proxied() {
        let e = env("");
        for url in [
            "https://localhost:5000/v2/",
            "https://127.0.0.1:5000/v2/",
            "https://127.8.9.1/v2/",
            "https://[::1]:5000/v2/",
        ] {
            assert_eq!(e.proxy_for(url), None, "{url}");
        }
    }

    #[test]
    fn no_proxy_as_go_reads_it() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "https://reg.example/v2/", false),
            ("reg.example", "https://reg.example/v2/", false),
            ("reg.example", "https://a.reg.example:5000/v2/", false),
            ("reg.example", "https://xreg.example/v2/", true),
            (".reg.example", "https://reg.example/v2/", true),
            (".reg.example", "https://a.reg.example/v2/", false),
            ("*.reg.example", "https://a.reg.example/v2/", false),
            ("reg.example:5000", "https://reg.example:5000/v2/", false),
            ("reg.example:5000", "https://reg.example/v2/", true),
            ("reg.example:443", "https://reg.example/v2/", false),
            ("10.0.0.0/8", "https://10.1.2.3:5000/v2/", false),
            ("10.0.0.0/8", "https://11.1.2.3:5000/v2/", true),
            ("192.0.2.1", "https://192.0.2.1:5000/v2/", false),
            ("192.0.2.1:6000", "https://192.0.2.1:5000/v2/", true),
            (
                " other.example , REG.EXAMPLE ",
                "https://reg.example/v2/",
                false,
            ),
            ("fd00::/8", "https://[fd00::1]:5000/v2/", false),
            (":80", "https://reg.example/v2/", true),
        ];
        for (no_proxy, url, proxied) in cases {
            assert_eq!(
                env(no_proxy).proxy_for(url).is_some(),
                *proxied,
                "NO_PROXY={no_proxy:?} {url}"
            );
        }
    }

    #[test]
    fn host_port_splitting() {
        assert_eq!(split_host_port("a:1"), Some(("a", "1")));
        assert_eq!(split_host_port("[::1]:5"), Some(("::1", "5")));
        assert_eq!(split_host_port("::1"), None);
        assert_eq!(split_host_port("a"), None);
    }
}
