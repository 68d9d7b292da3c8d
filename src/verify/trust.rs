//! What a connection to one registry trusts, and which client certificate it
//! shows: built from the same places docker and podman read, in one function
//! ([`build_trust`]) that `login` calls and that a future `doctor --online`
//! can call too. This module reads files only; it does no network I/O.
//!
//! The sources, as the Go clients use them (docker/docker registry
//! `ReadCertsDirectory`, containers/image `dockerCertDir`, Go's
//! crypto/x509 `root_unix.go`):
//! - the system store. On Linux and other Unix it is read as Go reads it:
//!   the first bundle file that exists (`/etc/ssl/certs/ca-certificates.crt`
//!   on Debian, ...) or `$SSL_CERT_FILE` instead, plus every file in
//!   `/etc/ssl/certs` and `/etc/pki/tls/certs` or `$SSL_CERT_DIR` (a
//!   colon-separated list) instead. On macOS and Windows it is the platform's
//!   own store (keychain, CryptoAPI), as Go uses there.
//! - the registry's certs.d directory, `HOST[:PORT]/` under
//!   `~/.config/docker/certs.d` (docker rootless) and `/etc/docker/certs.d`
//!   for config.json; for a containers auth.json the first of
//!   `~/.config/containers/certs.d`, `/etc/containers/certs.d` and
//!   `/etc/docker/certs.d` that has one, as containers/image picks. In it,
//!   `*.crt` are extra CAs and each `NAME.cert` + `NAME.key` pair is a client
//!   certificate (mutual TLS). `--cert-dir DIR` replaces the lookup (podman's
//!   flag); `DOCKERCFG_CERTS_ROOT` moves the `/etc` ones under another root
//!   (containers/image's `RootForImplicitAbsolutePaths`), for tests and
//!   chroots.
//! - `--ca-file FILE`: extra CAs for this run.
//!
//! Extra CAs are added to the system store, never instead of it: a token
//! service on a public host keeps working while the registry uses a private
//! CA, as with docker.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ureq::tls::{Certificate, ClientCert, PemItem, RootCerts, TlsConfig};

/// Environment variable: a directory that stands in for `/` when looking
/// for `/etc/docker/certs.d` and `/etc/containers/certs.d`.
pub const CERTS_ROOT_ENV: &str = "DOCKERCFG_CERTS_ROOT";

/// Whose certs.d directories to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CertsLayout {
    /// docker: `~/.config/docker/certs.d` and `/etc/docker/certs.d`, both read.
    #[default]
    Docker,
    /// podman/skopeo/buildah: the first of the user's, containers' and
    /// docker's certs.d that has a directory for the registry.
    Containers,
}

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct TrustOptions {
    pub layout: CertsLayout,
    /// `--cert-dir DIR`: this directory instead of the certs.d lookup.
    pub cert_dir: Option<PathBuf>,
    /// `--ca-file FILE`: extra CAs.
    pub ca_files: Vec<PathBuf>,
    /// `--insecure`: no certificate verification at all.
    pub insecure: bool,
}

/// The TLS settings for one registry and where each part came from.
#[derive(Debug, Clone)]
pub struct Trust {
    pub tls: TlsConfig,
    /// The system store as read: what was loaded, from where.
    pub system: String,
    /// Files whose CAs were added to the system store, in order.
    pub extra_ca_files: Vec<PathBuf>,
    /// The client certificate and key presented, if any.
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// The certs.d directories for this registry, in the order they are
    /// looked at, whether they exist or not (for "put the CA here" hints).
    pub host_dirs: Vec<PathBuf>,
    /// Problems that do not stop the login (a `.crt` holding no certificate).
    pub warnings: Vec<String>,
}

/// A file the user put in place for trust could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TrustError(String);

/// Build the TLS settings for `host` ("host[:port]", as in certs.d names).
pub fn build_trust(host: &str, opts: &TrustOptions) -> Result<Trust, TrustError> {
    let host_dirs = host_dirs(host, opts);
    let mut extra: Vec<Certificate<'static>> = Vec::new();
    let mut extra_ca_files = Vec::new();
    let mut warnings = Vec::new();
    let mut client_cert = None;
    let mut client: Option<ClientCert> = None;

    let dirs: Vec<&PathBuf> = match (opts.layout, &opts.cert_dir) {
        (_, Some(_)) | (CertsLayout::Containers, None) => {
            // containers/image uses the first directory that exists.
            host_dirs.iter().filter(|d| d.is_dir()).take(1).collect()
        }
        (CertsLayout::Docker, None) => host_dirs.iter().filter(|d| d.is_dir()).collect(),
    };
    for dir in dirs {
        let found = read_certs_dir(dir)?;
        for (path, certs) in found.cas {
            if certs.is_empty() {
                warnings.push(format!(
                    "{} holds no PEM certificate; it was ignored",
                    path.display()
                ));
            } else {
                extra.extend(certs);
                extra_ca_files.push(path);
            }
        }
        // The first pair found is the one presented (Go offers its first
        // certificate that suits the server's request; registries take one).
        if client.is_none() {
            if let Some((cert, key, pair)) = found.client {
                client = Some(pair);
                client_cert = Some((cert, key));
            }
        }
    }
    for file in &opts.ca_files {
        let certs = read_pem_certs(file)?;
        if certs.is_empty() {
            return Err(TrustError(format!(
                "{}: no PEM certificate in it (--ca-file wants the CA's certificate in PEM form)",
                file.display()
            )));
        }
        extra.extend(certs);
        extra_ca_files.push(file.clone());
    }

    let (roots, system) = roots_with(extra, &mut warnings);
    let builder = TlsConfig::builder()
        .root_certs(roots)
        .client_cert(client)
        // Docker sets InsecureSkipVerify for insecure registries, and uses
        // the same transport for the token realm.
        .disable_verification(opts.insecure);
    #[cfg(any(target_os = "macos", windows))]
    let builder = builder.provider(ureq::tls::TlsProvider::NativeTls);
    Ok(Trust {
        tls: builder.build(),
        system,
        extra_ca_files,
        client_cert,
        host_dirs,
        warnings,
    })
}

/// What to tell a user whose registry's certificate chains to an unknown CA:
/// the ways to trust that CA, for this registry (`registry`, host[:port]),
/// with `host_dirs` from [`Trust::host_dirs`]. `invocation` is how the user
/// runs dockercfg on this file (`dockercfg`, `dockercfg --podman`, ...);
/// every command shown is quoted for a POSIX shell, CA.pem standing for the
/// CA's certificate file.
pub fn untrusted_hint(registry: &str, host_dirs: &[PathBuf], invocation: &str) -> String {
    use crate::shell::quote as shell_quote;
    let mut out = String::from(
        "Trust the registry's CA certificate (a PEM file, here CA.pem) in one of these ways:\n",
    );
    if let Some((first, rest)) = host_dirs.split_first() {
        out.push_str(&format!(
            "  - as docker and podman do, in this registry's certs.d directory: {}",
            first.join("ca.crt").display()
        ));
        for d in rest {
            out.push_str(&format!(" or {}", d.join("ca.crt").display()));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "  - for this login only: {invocation} login --ca-file CA.pem {}\n",
        shell_quote(registry)
    ));
    out.push_str(
        "  - for every program: add it to the system store (Debian: copy it to \
         /usr/local/share/ca-certificates/NAME.crt and run update-ca-certificates), \
         or point SSL_CERT_FILE at it",
    );
    out
}

/// What to tell a user whose mutual-TLS registry refused the connection:
/// where the client certificate and key go (docker's names).
pub fn client_cert_hint(host_dirs: &[PathBuf]) -> String {
    let dirs: Vec<String> = host_dirs.iter().map(|d| d.display().to_string()).collect();
    format!(
        "Put the client certificate and its key (PEM) in this registry's certs.d directory \
         as client.cert and client.key, with the registry's CA as ca.crt: {}",
        dirs.join(" or ")
    )
}

/// The certs.d directories for `host`, in lookup order.
pub fn host_dirs(host: &str, opts: &TrustOptions) -> Vec<PathBuf> {
    if let Some(dir) = &opts.cert_dir {
        return vec![dir.clone()];
    }
    let root = std::env::var_os(CERTS_ROOT_ENV)
        .filter(|r| !r.is_empty())
        .map(PathBuf::from);
    let etc = |p: &str| match &root {
        Some(r) => r.join(p.trim_start_matches('/')),
        None => PathBuf::from(p),
    };
    let home = dirs::home_dir();
    let roots: Vec<PathBuf> = match opts.layout {
        CertsLayout::Docker => {
            // docker rootless: $XDG_CONFIG_HOME/docker/certs.d.
            let config_home = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.map(|h| h.join(".config")));
            let user = config_home.map(|c| c.join("docker/certs.d"));
            user.into_iter()
                .chain([etc("/etc/docker/certs.d")])
                .collect()
        }
        CertsLayout::Containers => {
            // containers/image: homedir.Get()/.config, not XDG_CONFIG_HOME.
            let user = home.map(|h| h.join(".config/containers/certs.d"));
            user.into_iter()
                .chain([etc("/etc/containers/certs.d"), etc("/etc/docker/certs.d")])
                .collect()
        }
    };
    roots.into_iter().map(|r| r.join(host)).collect()
}

struct CertsDir {
    /// Each `*.crt` with the certificates in it.
    cas: Vec<(PathBuf, Vec<Certificate<'static>>)>,
    /// The first `NAME.cert` + `NAME.key` pair.
    client: Option<(PathBuf, PathBuf, ClientCert)>,
}

/// docker's `ReadCertsDirectory`: `*.crt` are CAs; `NAME.cert` needs
/// `NAME.key` and the other way round (the same errors docker gives, so a
/// misnamed CA, `ca.cert`, is caught rather than silently unused).
fn read_certs_dir(dir: &Path) -> Result<CertsDir, TrustError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| TrustError(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let has = |n: &str| names.iter().any(|x| x == n);
    let mut out = CertsDir {
        cas: Vec::new(),
        client: None,
    };
    for name in &names {
        let path = dir.join(name);
        if name.ends_with(".crt") {
            out.cas.push((path.clone(), read_pem_certs(&path)?));
        } else if let Some(stem) = name.strip_suffix(".cert") {
            let key = format!("{stem}.key");
            if !has(&key) {
                return Err(TrustError(format!(
                    "{}: missing key {key} for client certificate {name} \
                     (CA certificates must use the extension .crt)",
                    dir.display()
                )));
            }
            if out.client.is_none() {
                let key = dir.join(key);
                let pair = load_client_cert(&path, &key)?;
                out.client = Some((path, key, pair));
            }
        } else if let Some(stem) = name.strip_suffix(".key") {
            let cert = format!("{stem}.cert");
            if !has(&cert) {
                return Err(TrustError(format!(
                    "{}: missing client certificate {cert} for key {name}",
                    dir.display()
                )));
            }
        }
    }
    Ok(out)
}

fn read_file(path: &Path) -> Result<Vec<u8>, TrustError> {
    std::fs::read(path).map_err(|e| TrustError(format!("cannot read {}: {e}", path.display())))
}

/// Every PEM certificate in `path` (other PEM blocks are skipped, as Go's
/// `AppendCertsFromPEM` does).
fn read_pem_certs(path: &Path) -> Result<Vec<Certificate<'static>>, TrustError> {
    Ok(pem_certs(&read_file(path)?))
}

fn pem_certs(data: &[u8]) -> Vec<Certificate<'static>> {
    ureq::tls::parse_pem(data)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect()
}

/// A client certificate chain and its key, checked to belong together so a
/// wrong pair is a clear error here rather than a failure inside the TLS
/// library.
fn load_client_cert(cert: &Path, key: &Path) -> Result<ClientCert, TrustError> {
    let chain = read_pem_certs(cert)?;
    if chain.is_empty() {
        return Err(TrustError(format!(
            "{}: no PEM certificate in it",
            cert.display()
        )));
    }
    let key_pem = zeroize::Zeroizing::new(read_file(key)?);
    let private = ureq::tls::parse_pem(&key_pem).find_map(|item| match item {
        Ok(PemItem::PrivateKey(k)) => Some(k),
        _ => None,
    });
    let Some(private) = private else {
        return Err(TrustError(format!(
            "{}: no PEM private key in it (PKCS#8, RSA or EC)",
            key.display()
        )));
    };
    check_pair(&chain, &key_pem).map_err(|e| {
        TrustError(format!(
            "client certificate {} and key {} cannot be used together: {e}",
            cert.display(),
            key.display()
        ))
    })?;
    Ok(ClientCert::new_with_certs(&chain, private))
}

#[cfg(not(any(target_os = "macos", windows)))]
fn check_pair(chain: &[Certificate<'static>], key_pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| format!("{e:?}"))?;
    let chain = chain
        .iter()
        .map(|c| CertificateDer::from(c.der().to_vec()))
        .collect();
    let provider = rustls::crypto::ring::default_provider();
    rustls::sign::CertifiedKey::from_der(chain, key, &provider)
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(any(target_os = "macos", windows))]
fn check_pair(_chain: &[Certificate<'static>], key_pem: &[u8]) -> Result<(), String> {
    // native-tls takes PKCS#8 keys only (Identity::from_pkcs8).
    if key_pem.windows(21).any(|w| w == b"BEGIN PRIVATE KEY----") {
        Ok(())
    } else {
        Err(
            "on this platform the key must be PKCS#8 (-----BEGIN PRIVATE KEY-----); \
             convert it with `openssl pkcs8 -topk8 -nocrypt`"
                .into(),
        )
    }
}

/// The roots to verify with: the system store plus `extra`.
#[cfg(not(any(target_os = "macos", windows)))]
fn roots_with(extra: Vec<Certificate<'static>>, warnings: &mut Vec<String>) -> (RootCerts, String) {
    let (system, described) = system_roots();
    if system.is_empty() && extra.is_empty() {
        // No ca-certificates installed: the roots built into dockercfg
        // (Mozilla's, as curl and browsers ship) rather than trusting nothing.
        warnings.push(format!(
            "no system trust store found ({described}); using dockercfg's built-in roots"
        ));
        return (RootCerts::WebPki, "dockercfg's built-in roots".into());
    }
    let mut seen = HashSet::new();
    let all: Vec<Certificate<'static>> = system
        .into_iter()
        .chain(extra)
        .filter(|c| seen.insert(c.der().to_vec()))
        .collect();
    (RootCerts::from(all), described)
}

#[cfg(any(target_os = "macos", windows))]
fn roots_with(extra: Vec<Certificate<'static>>, warnings: &mut Vec<String>) -> (RootCerts, String) {
    if extra.is_empty() {
        return (
            RootCerts::PlatformVerifier,
            "the platform's trust store".into(),
        );
    }
    // native-tls drops the platform's roots once any are given, so the
    // platform's store is read and given along with the extra CAs.
    let native = rustls_native_certs::load_native_certs();
    for e in native.errors.iter().take(3) {
        warnings.push(format!("reading the platform's trust store: {e}"));
    }
    let mut seen = HashSet::new();
    let all: Vec<Certificate<'static>> = native
        .certs
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .chain(extra)
        .filter(|c| seen.insert(c.der().to_vec()))
        .collect();
    (RootCerts::from(all), "the platform's trust store".into())
}

/// Go's `certFiles` for Linux and the BSDs: the first one that can be read
/// is the bundle.
#[cfg(not(any(target_os = "macos", windows)))]
const CERT_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL 6
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/pki/tls/cacert.pem",            // OpenELEC
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
    "/etc/ssl/cert.pem",                  // Alpine, the BSDs
];
/// Go's `certDirectories`: every file in them is read.
#[cfg(not(any(target_os = "macos", windows)))]
const CERT_DIRS: &[&str] = &["/etc/ssl/certs", "/etc/pki/tls/certs"];

/// The system store as Go's crypto/x509 reads it on Unix: `SSL_CERT_FILE`
/// replaces the bundle list, `SSL_CERT_DIR` (colon-separated) the directory
/// list; each replaces its own half only.
#[cfg(not(any(target_os = "macos", windows)))]
fn system_roots() -> (Vec<Certificate<'static>>, String) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let file_env = env("SSL_CERT_FILE");
    let files: Vec<String> = match &file_env {
        Some(f) => vec![f.clone()],
        None => CERT_FILES.iter().map(|s| s.to_string()).collect(),
    };
    let dir_env = env("SSL_CERT_DIR");
    let dirs: Vec<String> = match &dir_env {
        Some(d) => d.split(':').map(str::to_string).collect(),
        None => CERT_DIRS.iter().map(|s| s.to_string()).collect(),
    };
    let mut certs = Vec::new();
    let mut used = Vec::new();
    if let Some((file, data)) = files
        .iter()
        .find_map(|f| std::fs::read(f).ok().map(|d| (f, d)))
    {
        certs.extend(pem_certs(&data));
        used.push(file.clone());
    }
    for dir in &dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let before = certs.len();
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            // Go skips links to a file in the same directory (the
            // c_rehash `HASH.0` links) so each CA is read once.
            if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                if let Ok(target) = std::fs::read_link(&path) {
                    if !target.to_string_lossy().contains('/') {
                        continue;
                    }
                }
            }
            if let Ok(data) = std::fs::read(&path) {
                certs.extend(pem_certs(&data));
            }
        }
        if certs.len() > before {
            used.push(dir.clone());
        }
    }
    let described = if used.is_empty() {
        let tried: Vec<&str> = files.iter().chain(&dirs).map(String::as_str).collect();
        format!("nothing readable in {}", tried.join(", "))
    } else {
        format!("{} certificates from {}", certs.len(), used.join(", "))
    };
    (certs, described)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(layout: CertsLayout) -> TrustOptions {
        TrustOptions {
            layout,
            ..TrustOptions::default()
        }
    }

    #[test]
    fn cert_dir_replaces_the_lookup() {
        let o = TrustOptions {
            cert_dir: Some("/x/y".into()),
            ..opts(CertsLayout::Containers)
        };
        assert_eq!(host_dirs("reg:5000", &o), vec![PathBuf::from("/x/y")]);
    }

    #[test]
    fn certs_d_order_per_layout() {
        let d = host_dirs("reg.example:5000", &opts(CertsLayout::Docker));
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].ends_with("docker/certs.d/reg.example:5000"), "{d:?}");
        let c = host_dirs("reg.example:5000", &opts(CertsLayout::Containers));
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(c[0].ends_with(".config/containers/certs.d/reg.example:5000"));
        assert!(c[1].ends_with("etc/containers/certs.d/reg.example:5000"));
        assert!(c[2].ends_with("etc/docker/certs.d/reg.example:5000"));
    }

    #[test]
    fn misnamed_pairs_are_errors_as_in_docker() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.cert"), "x").unwrap();
        let e = read_certs_dir(dir.path()).err().unwrap().to_string();
        assert!(
            e.contains("missing key ca.key") && e.contains(".crt"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("client.key"), "x").unwrap();
        let e = read_certs_dir(dir.path()).err().unwrap().to_string();
        assert!(e.contains("missing client certificate client.cert"), "{e}");
    }

    #[test]
    fn empty_crt_is_a_warning_and_empty_ca_file_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.crt"), "not pem").unwrap();
        let o = TrustOptions {
            cert_dir: Some(dir.path().to_path_buf()),
            ..TrustOptions::default()
        };
        let t = build_trust("h:1", &o).unwrap();
        assert!(t.warnings.iter().any(|w| w.contains("ca.crt")), "{t:?}");
        assert!(t.extra_ca_files.is_empty());
        let o = TrustOptions {
            ca_files: vec![dir.path().join("ca.crt")],
            ..TrustOptions::default()
        };
        let e = build_trust("h:1", &o).unwrap_err().to_string();
        assert!(e.contains("no PEM certificate"), "{e}");
    }
}
