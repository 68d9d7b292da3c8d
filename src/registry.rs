//! Registry names: what a user types, what docker stores, and when two
//! spellings mean the same registry.
//!
//! Docker stores Docker Hub under `https://index.docker.io/v1/` and every
//! other registry as `host[:port]` with scheme and path stripped. Its logout
//! does not treat `docker.io`, `index.docker.io` or `registry-1.docker.io` as
//! Hub (COMPAT.md, seen); dockercfg does.
//!
//! A containers auth.json (podman, skopeo, buildah) keys logins differently
//! (`normalize_containers`): a key may name a namespace or repository
//! (`quay.io/org/repo`), which is a login of its own, and Docker Hub is
//! `docker.io`. containers/image looks a key up exactly, then by
//! `normalizeAuthFileKey`: a key with a scheme counts as its host only.

/// The key docker uses for Docker Hub in `auths` and in helpers.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Host names that all mean Docker Hub.
const HUB_HOSTS: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

/// The storage key for what the user typed (or what a file or helper holds):
/// Docker Hub's URL for any Hub alias, else `host[:port]` without scheme,
/// path or trailing slash. Host names are lower-cased (DNS is case-blind).
/// An Amazon ECR registry host (`ACCOUNT.dkr.ecr.REGION.amazonaws.com`, or
/// `.amazonaws.com.cn`), the hosts `docker-credential-ecr-login` answers for.
pub fn is_ecr(key: &str) -> bool {
    let host = key.split(':').next().unwrap_or(key);
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 6
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !labels[0].is_empty()
        && labels[0].bytes().all(|b| b.is_ascii_digit())
        && labels[1] == "dkr"
        && labels[2] == "ecr"
        && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"))
}

pub fn normalize(input: &str) -> String {
    normalize_cow(input).into_owned()
}

/// `normalize` without allocating when the input is already normal (a
/// lower-case `host[:port]`), which is what almost every key is.
pub fn normalize_cow(input: &str) -> std::borrow::Cow<'_, str> {
    // Keys are rarely padded: skip trim's char-by-char scan when they are not.
    let padded = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let s = if padded(input.chars().next()) || padded(input.chars().next_back()) {
        input.trim()
    } else {
        input
    };
    let rest = strip_scheme(s);
    let host = match memchr::memchr(b'/', rest.as_bytes()) {
        // Trimmed again so that normalising is idempotent (`a.io /x` and
        // `https:// a.io` give `a.io`): logout normalises both the name it
        // is given and each key, and they must meet.
        Some(i) => rest[..i].trim(),
        None => rest.trim(),
    };
    if host.is_empty() || HUB_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return std::borrow::Cow::Borrowed(DOCKER_HUB_KEY);
    }
    if host.bytes().any(|c| c.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(host.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(host)
    }
}

/// Tests keys against one registry as `normalize_cow(key) == normalize(name)`
/// does, without normalising each key: a logout or a login looks for every
/// spelling of one registry among 100,000 keys once, and building the
/// normalised form of each was most of its cost (#17).
#[derive(Debug, Clone)]
pub struct SameRegistry {
    wanted: String,
    /// `wanted` is a lower-case host that no key's host becomes by a rule
    /// other than lower-casing (Hub's aliases): a key matches when its host
    /// equals it, ignoring ASCII case.
    plain_host: bool,
}

impl SameRegistry {
    pub fn new(name: &str) -> SameRegistry {
        let wanted = normalize(name);
        SameRegistry {
            plain_host: wanted != DOCKER_HUB_KEY,
            wanted,
        }
    }

    /// The registry, normalised.
    pub fn name(&self) -> &str {
        &self.wanted
    }

    pub fn matches(&self, key: &str) -> bool {
        if !self.plain_host {
            return normalize_cow(key) == self.wanted.as_str();
        }
        // The host is part of the key, and lower-casing keeps its length.
        if key.len() < self.wanted.len() {
            return false;
        }
        // Most keys start with their host (no padding, no scheme): its first
        // bytes then tell, before any trimming (the trims were most of a
        // 100,000-key logout's lookup, #17).
        let b = key.as_bytes();
        if b[0].is_ascii_alphanumeric()
            && !key.starts_with("http://")
            && !key.starts_with("https://")
            && !b[..self.wanted.len()].eq_ignore_ascii_case(self.wanted.as_bytes())
        {
            return false;
        }
        let rest = strip_scheme(key.trim());
        let host = match memchr::memchr(b'/', rest.as_bytes()) {
            Some(i) => rest[..i].trim(),
            None => rest.trim(),
        };
        // An empty host or a Hub alias normalises to Hub's key, which is
        // not `wanted`; neither can equal `wanted` (normalised, not Hub).
        host.eq_ignore_ascii_case(&self.wanted)
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

/// The key docker.io logins have in a containers auth.json (`podman login
/// docker.io` writes it; containers/image looks Hub images up as
/// `docker.io/<repo>`, then `docker.io`).
pub const CONTAINERS_HUB_KEY: &str = "docker.io";

/// The auth.json key for what the user typed, as `podman login` forms it
/// (containers/common `parseCredentialsKey`): a URL (`https://quay.io/v2/`)
/// counts as its host only; anything else keeps its path, so
/// `quay.io/org/repo` stays a namespaced key. Host names are lower-cased and
/// every Docker Hub alias (and no name at all) becomes `docker.io`; a
/// trailing `/` goes.
pub fn normalize_containers(input: &str) -> String {
    let s = input.trim();
    let rest = strip_scheme(s);
    let rest = if rest.len() != s.len() {
        rest.split('/').next().unwrap_or("")
    } else {
        rest.trim_end_matches('/')
    };
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host = if host.is_empty() || HUB_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        CONTAINERS_HUB_KEY.to_string()
    } else {
        host.to_ascii_lowercase()
    };
    match path {
        Some(p) if !p.is_empty() => format!("{host}/{p}"),
        _ => host,
    }
}

/// The registry part (`host[:port]`) of a containers key: what
/// `credHelpers` is looked up by (helpers hold no namespaced keys).
pub fn containers_host(key: &str) -> &str {
    key.split('/').next().unwrap_or(key)
}

/// Whether a containers key names a namespace or repository, not a whole
/// registry.
pub fn is_namespaced(key: &str) -> bool {
    normalize_containers(key).contains('/')
}

/// Why a containers key cannot be used, if it cannot: containers/image
/// rejects a tag or digest (`quay.io/org/repo:1`, `...@sha256:...`).
pub fn check_containers_key(key: &str) -> Result<(), String> {
    let k = normalize_containers(key);
    if k.contains('@') {
        return Err(format!(
            "`{key}` contains a digest; name a registry, namespace or repository"
        ));
    }
    if let Some((_, path)) = k.split_once('/') {
        if path.contains(':') {
            return Err(format!(
                "`{key}` contains a tag; name a registry, namespace or repository"
            ));
        }
    }
    Ok(())
}

/// docker/cli's `ConvertToHostname`: the key without its scheme and path,
/// case and Hub aliases kept.
pub fn docker_hostname(key: &str) -> &str {
    let s = strip_scheme(key);
    s.split('/').next().unwrap_or(s)
}

/// The key docker's file store picks among `keys` for lookup key `name`:
/// the exact key, else the first whose [`docker_hostname`] is `name` (Go's
/// map order makes "first" arbitrary when there are several).
pub fn docker_file_key<'a>(keys: impl IntoIterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    let mut by_host = None;
    for k in keys {
        if k == name {
            return Some(k);
        }
        if by_host.is_none() && docker_hostname(k) == name {
            by_host = Some(k);
        }
    }
    by_host
}

pub(crate) fn strip_scheme(s: &str) -> &str {
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
}

/// [`strip_scheme`] ignoring the scheme's case (`HTTPS://Quay.io` ->
/// `Quay.io`): for matching what a person typed (globs, list rows), never
/// for docker's own key lookup, which is case-sensitive.
pub(crate) fn strip_scheme_any_case(s: &str) -> &str {
    let lower = s.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_hosts() {
        assert!(is_ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
        assert!(is_ecr("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"));
        assert!(is_ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com:443"));
        assert!(!is_ecr("ghcr.io"));
        assert!(!is_ecr("ecr.example.com"));
        assert!(!is_ecr("acct.dkr.ecr.eu-west-1.amazonaws.com"));
        assert!(!is_ecr("1.dkr.ecr.eu\0west.amazonaws.com"));
    }

    #[test]
    fn docker_file_store_lookup() {
        assert_eq!(docker_hostname("https://ghcr.io"), "ghcr.io");
        assert_eq!(docker_hostname("http://a.io:5000/v2/"), "a.io:5000");
        assert_eq!(
            docker_hostname("https://index.docker.io/v1/"),
            "index.docker.io"
        );
        let keys = ["https://ghcr.io/v2/", "ghcr.io", "a.io"];
        assert_eq!(docker_file_key(keys, "ghcr.io"), Some("ghcr.io"));
        assert_eq!(
            docker_file_key(keys[..1].iter().copied(), "ghcr.io"),
            Some("https://ghcr.io/v2/")
        );
        assert_eq!(docker_file_key(keys, "b.io"), None);
    }

    proptest::proptest! {
        #[test]
        fn same_registry_is_normalize_then_compare(
            name in "(https?://)?([ Aa]|docker|io|DOCKER|index|registry-1|[./:-]){0,8}",
            key in "(https?://)?( |a|A|docker|Docker|io|index|registry-1|[./:-]){0,8}",
        ) {
            for k in [key.as_str(), name.as_str()] {
                let want = normalize_cow(k) == normalize(&name);
                proptest::prop_assert_eq!(SameRegistry::new(&name).matches(k), want, "{:?} {:?}", k, name);
            }
        }

        #[test]
        fn same_registry_fast_rejection_is_normalize_then_compare(
            name in "(https?://)?[abh]{1,3}(\\.io)?(:5000)?(/v2/)?",
            key in "(\u{a0}|\u{3000}| |\t)?(https?://|HTTP://|h| )?[abhAB]{1,3}(\\.io)?(:5000)?( |\u{a0})?(/v2/)?",
        ) {
            let want = normalize_cow(&key) == normalize(&name);
            proptest::prop_assert_eq!(SameRegistry::new(&name).matches(&key), want, "{:?} {:?}", key, name);
        }

        #[test]
        fn normalize_is_idempotent(s in "[ a/:\\n]{0,6}|\\PC*") {
            let once = normalize(&s);
            proptest::prop_assert_eq!(normalize(&once), once);
        }
    }

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
        assert_eq!(normalize("x.io; touch /tmp/a #"), "x.io; touch");
        assert_eq!(normalize("https:// a.io"), "a.io");
        assert_eq!(normalize("ghcr.io/"), "ghcr.io");
        assert_eq!(normalize("http://127.0.0.1:5000/v2/x"), "127.0.0.1:5000");
        assert_eq!(normalize("GHCR.io"), "ghcr.io");
        assert!(same_registry("https://ghcr.io", "ghcr.io"));
        assert!(!same_registry("ghcr.io", "quay.io"));
    }

    #[test]
    fn containers_keys() {
        for a in [
            "",
            "docker.io",
            "Docker.IO",
            "index.docker.io",
            "registry-1.docker.io",
            "https://index.docker.io/v1/",
            "https://docker.io",
        ] {
            assert_eq!(normalize_containers(a), CONTAINERS_HUB_KEY, "{a:?}");
        }
        // Namespaces stay; a URL is its host only, as podman login takes it.
        assert_eq!(normalize_containers("quay.io/org/repo"), "quay.io/org/repo");
        assert_eq!(normalize_containers("Quay.IO/org/"), "quay.io/org");
        assert_eq!(normalize_containers("https://quay.io/org/repo"), "quay.io");
        assert_eq!(
            normalize_containers("docker.io/library/nginx"),
            "docker.io/library/nginx"
        );
        assert_eq!(
            normalize_containers("index.docker.io/me/app"),
            "docker.io/me/app"
        );
        assert_eq!(
            normalize_containers("127.0.0.1:5000/ns/r"),
            "127.0.0.1:5000/ns/r"
        );
        assert_eq!(containers_host("127.0.0.1:5000/ns/r"), "127.0.0.1:5000");
        assert!(is_namespaced("quay.io/org"));
        assert!(!is_namespaced("https://quay.io/org"));
        assert!(check_containers_key("localhost:5000/x").is_ok());
        assert!(check_containers_key("quay.io/org/repo:1").is_err());
        assert!(check_containers_key("quay.io/org/repo@sha256:00").is_err());
        // Docker-flavour normalisation is unchanged by all this.
        assert_eq!(normalize("quay.io/org/repo"), "quay.io");
    }
}
