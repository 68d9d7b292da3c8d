//! Image references (`nginx`, `ghcr.io/org/app:1.2`,
//! `localhost:5000/x@sha256:...`): which registry they name, and the key
//! docker looks up credentials by. It does not resolve credentials (that is
//! `logins::resolve`).
//!
//! The rules are distribution/reference's `ParseNormalizedNamed`, which the
//! docker client uses: the part before the first `/` is a registry only if
//! it contains `.` or `:`, is `localhost`, or has an upper-case letter;
//! otherwise the name is on Docker Hub (`docker.io`), and a one-component
//! Hub name gets the `library/` prefix. `index.docker.io` is read as
//! `docker.io`. The repository path must be lower case; the registry may not
//! be (docker keeps its case, and so looks up `GHCR.io` case-sensitively).
//! docker/cli then looks credentials up under `https://index.docker.io/v1/`
//! for Docker Hub and under the registry `host[:port]` for anything else
//! (`registry-1.docker.io` included: docker does not treat it as Hub there).

use crate::registry::DOCKER_HUB_KEY;

/// distribution/reference's `NameTotalLengthMax`.
const NAME_MAX: usize = 255;

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry `host[:port]` as written (`docker.io` for Hub names).
    pub domain: String,
    /// The repository path (`library/nginx`, `org/app`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse `input` as docker does, or say why it is not a reference.
    pub fn parse(input: &str) -> Result<ImageRef, String> {
        parse(input)
    }

    /// Whether this is a Docker Hub image.
    pub fn is_docker_hub(&self) -> bool {
        self.domain == "docker.io"
    }

    /// The key docker/cli looks credentials up by: Hub's
    /// `https://index.docker.io/v1/`, else the registry as written.
    pub fn auth_key(&self) -> String {
        if self.is_docker_hub() {
            DOCKER_HUB_KEY.to_string()
        } else {
            self.domain.clone()
        }
    }

    /// `domain/path`, without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }
}

fn parse(input: &str) -> Result<ImageRef, String> {
    let bad = |why: &str| Err(format!("`{input}` is not an image reference: {why}"));
    if input.is_empty() {
        return bad("it is empty");
    }
    if input.len() == 64
        && input
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return bad("a 64-character hexadecimal string is an image ID, not a name");
    }
    // A character no part of the grammar allows: name it and where it is,
    // rather than blaming case or a component for it.
    if let Some((i, c)) = input.char_indices().find(|&(_, c)| {
        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/' | '@' | '[' | ']'))
    }) {
        let shown = match c {
            ' ' => "a space".to_string(),
            c if c.is_control() => format!("{:?}", c),
            c => format!("'{c}'"),
        };
        let at = input[..i].chars().count() + 1;
        return bad(&format!(
            "{shown} (character {at}) is not allowed; a reference is [REGISTRY/]PATH[:TAG][@DIGEST], \
             its path lower-case letters and digits separated by '.', '_', '__', '-' or '/'"
        ));
    }
    let (domain, remainder) = split_domain(input);
    let remote = remainder.split(':').next().unwrap_or("");
    if remote.bytes().any(|b| b.is_ascii_uppercase()) {
        return bad("the repository name must be lower case");
    }

    // domain/remainder must now match `name[:tag][@digest]`.
    let (rest, digest) = match remainder.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (remainder.as_str(), None),
    };
    let (path, tag) = match rest.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (rest, None),
    };
    if !valid_domain(&domain) {
        return bad("the registry is not a valid host[:port]");
    }
    if let Some(c) = path.split('/').find(|c| !valid_path_component(c)) {
        return bad(&if c.is_empty() {
            "the repository path has an empty component (`//`, or `/` at an end)".to_string()
        } else {
            format!(
                "`{c}` in the repository path: a component is lower-case letters and digits, \
                 separated by one '.', one '_', '__' or dashes, and starts and ends with a letter or digit"
            )
        });
    }
    if domain.len() + 1 + path.len() > NAME_MAX {
        return bad("the name is longer than 255 characters");
    }
    if let Some(t) = tag {
        if !valid_tag(t) {
            return bad("the tag is invalid");
        }
    }
    if let Some(d) = digest {
        if let Err(why) = valid_digest(d) {
            return bad(why);
        }
    }
    Ok(ImageRef {
        domain,
        path: path.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

/// distribution/reference's `splitDockerDomain`.
fn split_domain(name: &str) -> (String, String) {
    let Some((first, rest)) = name.split_once('/') else {
        return ("docker.io".into(), format!("library/{name}"));
    };
    let (domain, remote) = if first == "localhost"
        || first.contains(['.', ':'])
        || first.bytes().any(|b| b.is_ascii_uppercase())
    {
        (first, rest.to_string())
    } else {
        ("docker.io", name.to_string())
    };
    let domain = if domain == "index.docker.io" {
        "docker.io"
    } else {
        domain
    };
    let remote = if domain == "docker.io" && !remote.contains('/') {
        format!("library/{remote}")
    } else {
        remote
    };
    (domain.to_string(), remote)
}

/// `host[:port]`: DNS-like labels of `[A-Za-z0-9-]` (no dash at either
/// end) joined by dots, or a bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        if v6.is_empty() || !v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        if after.is_empty() {
            return true;
        }
        // The address is checked; what is left must be `:port`.
        ("v6", Some(after.strip_prefix(':').unwrap_or("")))
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// `[a-z0-9]+` joined by one `.`, one `_`, `__` or any run of `-`.
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn valid_tag(t: &str) -> bool {
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

/// `algorithm:hex`, with the length go-digest requires for the algorithm.
fn valid_digest(d: &str) -> Result<(), &'static str> {
    let (alg, hex) = d.split_once(':').ok_or("the digest has no algorithm")?;
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm"),
    };
    if hex.len() != len || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err("the digest is not valid for its algorithm");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, domain, path, tag, digest, credential key)
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
    );

    const SHA: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// (input, domain, path, tag, digest, credential key), from
    /// distribution/reference's normalize tests and docker's lookup.
    #[test]
    fn normalises_like_docker() {
        let hub = DOCKER_HUB_KEY;
        let with_digest = format!("localhost:5000/x@{SHA}");
        let tag_and_digest = format!("ghcr.io/org/app:1.2@{SHA}");
        let table: &[Row] = &[
            ("nginx", "docker.io", "library/nginx", None, None, hub),
            (
                "nginx:1.25",
                "docker.io",
                "library/nginx",
                Some("1.25"),
                None,
                hub,
            ),
            (
                "library/nginx",
                "docker.io",
                "library/nginx",
                None,
                None,
                hub,
            ),
            (
                "docker.io/nginx",
                "docker.io",
                "library/nginx",
                None,
                None,
                hub,
            ),
            (
                "index.docker.io/nginx",
                "docker.io",
                "library/nginx",
                None,
                None,
                hub,
            ),
            ("docker.io/org/app", "docker.io", "org/app", None, None, hub),
            ("org/app:v1", "docker.io", "org/app", Some("v1"), None, hub),
            ("a/b/c", "docker.io", "a/b/c", None, None, hub),
            (
                "ghcr.io/org/app:1.2",
                "ghcr.io",
                "org/app",
                Some("1.2"),
                None,
                "ghcr.io",
            ),
            ("localhost/app", "localhost", "app", None, None, "localhost"),
            (
                "localhost:5000/x",
                "localhost:5000",
                "x",
                None,
                None,
                "localhost:5000",
            ),
            (
                &with_digest,
                "localhost:5000",
                "x",
                None,
                Some(SHA),
                "localhost:5000",
            ),
            (
                &tag_and_digest,
                "ghcr.io",
                "org/app",
                Some("1.2"),
                Some(SHA),
                "ghcr.io",
            ),
            // A bare name with a colon is a Hub image with a tag, not a host.
            (
                "localhost:5000",
                "docker.io",
                "library/localhost",
                Some("5000"),
                None,
                hub,
            ),
            (
                "myhost:5000/app",
                "myhost:5000",
                "app",
                None,
                None,
                "myhost:5000",
            ),
            (
                "127.0.0.1:5000/team/app",
                "127.0.0.1:5000",
                "team/app",
                None,
                None,
                "127.0.0.1:5000",
            ),
            (
                "[::1]:5000/app",
                "[::1]:5000",
                "app",
                None,
                None,
                "[::1]:5000",
            ),
            // docker keeps these as their own keys: not Hub for credentials.
            (
                "registry-1.docker.io/library/x",
                "registry-1.docker.io",
                "library/x",
                None,
                None,
                "registry-1.docker.io",
            ),
            // An upper-case first component is a registry, kept as written.
            (
                "GHCR.io/org/app",
                "GHCR.io",
                "org/app",
                None,
                None,
                "GHCR.io",
            ),
            ("Foo/app", "Foo", "app", None, None, "Foo"),
            (
                "quay.io/a_b/c-d.e__f---g",
                "quay.io",
                "a_b/c-d.e__f---g",
                None,
                None,
                "quay.io",
            ),
        ];
        for (input, domain, path, tag, digest, key) in table {
            let r = ImageRef::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(r.domain, *domain, "{input}");
            assert_eq!(r.path, *path, "{input}");
            assert_eq!(r.tag.as_deref(), *tag, "{input}");
            assert_eq!(r.digest.as_deref(), *digest, "{input}");
            assert_eq!(r.auth_key(), *key, "{input}");
        }
    }

    #[test]
    fn rejects_what_docker_rejects() {
        for bad in [
            "",
            "Nginx",
            "ghcr.io/Org/app",
            "ghcr.io/org/app:",
            "ghcr.io/org//app",
            "ghcr.io/org/app/",
            "-host.io/app",
            "host-.io/app",
            "ghcr.io/_app",
            "ghcr.io/a...b",
            "ghcr.io/app:-tag",
            "ghcr.io/app@sha256:abc",
            "ghcr.io/app@md5:d41d8cd98f00b204e9800998ecf8427e",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "a:b:c/app",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?} was accepted");
        }
        // The message names the real problem, not case or "a component".
        let e = ImageRef::parse("Bad Ref!!").unwrap_err();
        assert!(e.contains("a space (character 4) is not allowed"), "{e}");
        let e = ImageRef::parse("ghcr.io/app!").unwrap_err();
        assert!(e.contains("'!' (character 12) is not allowed"), "{e}");
        let e = ImageRef::parse("ghcr.io/a...b").unwrap_err();
        assert!(e.contains("`a...b` in the repository path"), "{e}");
        let e = ImageRef::parse("ghcr.io/org//app").unwrap_err();
        assert!(e.contains("empty component"), "{e}");
        let long = format!("ghcr.io/{}", "a".repeat(250));
        assert!(ImageRef::parse(&long).is_err());
        let tag = format!("app:{}", "t".repeat(129));
        assert!(ImageRef::parse(&tag).is_err());
    }
}
