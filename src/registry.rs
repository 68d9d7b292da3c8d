//! Registry names: what a user types, what docker stores, and when two
//! spellings mean the same registry.
//!
//! Docker stores Docker Hub under `https://index.docker.io/v1/` and every
//! other registry as `host[:port]` with scheme and path stripped. Its logout
//! does not treat `docker.io`, `index.docker.io` or `registry-1.docker.io` as
//! Hub (COMPAT.md, seen); dockercfg does.

/// The key docker uses for Docker Hub in `auths` and in helpers.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Host names that all mean Docker Hub.
const HUB_HOSTS: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

/// The storage key for what the user typed (or what a file or helper holds):
/// Docker Hub's URL for any Hub alias, else `host[:port]` without scheme,
/// path or trailing slash. Host names are lower-cased (DNS is case-blind).
pub fn normalize(input: &str) -> String {
    normalize_cow(input).into_owned()
}

/// `normalize` without allocating when the input is already normal (a
/// lower-case `host[:port]`), which is what almost every key is.
pub fn normalize_cow(input: &str) -> std::borrow::Cow<'_, str> {
    let s = input.trim();
    let rest = strip_scheme(s);
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || HUB_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return std::borrow::Cow::Borrowed(DOCKER_HUB_KEY);
    }
    if host.bytes().any(|c| c.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(host.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(host)
    }
}

/// Whether `a` and `b` name the same registry.
pub fn same_registry(a: &str, b: &str) -> bool {
    a == b || normalize_cow(a) == normalize_cow(b)
}

/// Whether a key names Docker Hub.
pub fn is_docker_hub(key: &str) -> bool {
    normalize_cow(key) == DOCKER_HUB_KEY
}

fn strip_scheme(s: &str) -> &str {
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_aliases() {
        for a in [
            "",
            "docker.io",
            "index.docker.io",
            "registry-1.docker.io",
            "https://index.docker.io/v1/",
            "https://docker.io",
            "http://registry-1.docker.io/v2/",
            "Docker.IO",
        ] {
            assert_eq!(normalize(a), DOCKER_HUB_KEY, "{a:?}");
        }
    }

    #[test]
    fn other_registries() {
        assert_eq!(normalize("https://quay.io"), "quay.io");
        assert_eq!(normalize("ghcr.io/"), "ghcr.io");
        assert_eq!(normalize("http://127.0.0.1:5000/v2/x"), "127.0.0.1:5000");
        assert_eq!(normalize("GHCR.io"), "ghcr.io");
        assert!(same_registry("https://ghcr.io", "ghcr.io"));
        assert!(!same_registry("ghcr.io", "quay.io"));
    }
}
