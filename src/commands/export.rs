//! `dockercfg export`: resolve credentials (DOCKER_AUTH_CONFIG, helpers and
//! plaintext, as `get` does) into a standalone config.json, or a Kubernetes
//! Secret of type `kubernetes.io/dockerconfigjson`.
//!
//! The output holds secrets, so it never goes to a terminal: `-o FILE` (new
//! file, created 0600 with O_EXCL so it is never readable by others, not even
//! for a moment; `--force` writes a 0600 temp file beside it and renames it
//! over a regular file, never a device, FIFO or symlink) or a pipe. Every registry is resolved before anything is written: a
//! login that cannot be resolved is an error naming it and nothing is
//! written, unless `--skip-unresolved` leaves it out with a warning.
//!
//! The config.json has docker's keys (`https://index.docker.io/v1/` for Hub,
//! `host[:port]` else; a containers auth.json keeps its namespaced keys),
//! `{"auth": base64(user:password)}` per registry, and
//! `{"identitytoken": T}` for identity tokens (docker's file form). The
//! Secret is YAML as `kubectl create secret docker-registry --dry-run=client
//! -o yaml` prints it, with the exported JSON base64-encoded in
//! `data[.dockerconfigjson]`, so decoding it gives the exported file's bytes.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

use crate::cli::{ExportArgs, ExportFormat};
use crate::config::Config;
use crate::context::Context;
use crate::envauth::EnvAuth;
use crate::logins::inventory::{add_env_logins, inventory};
use crate::logins::resolve::{file_field, resolve_with_env};
use crate::{output, registry};

pub fn run(args: &ExportArgs, ctx: &Context) -> Result<ExitCode> {
    if args.output.is_none() && ctx.stdout_is_terminal {
        bail!("this prints secrets: write them to a file with -o FILE, or send them to a pipe, not to the terminal");
    }
    if let Some(n) = &args.name {
        check_dns1123(n, 253, "--name")?;
    }
    if let Some(ns) = &args.namespace {
        check_dns1123(ns, 63, "--namespace")?;
        if ns.contains('.') {
            bail!("--namespace `{ns}` is not a DNS-1123 label (no dots)");
        }
    }
    let config = Config::load(&ctx.config_path)?;
    // Read once for the run (podman, skopeo and buildah do not read it).
    let env = (!ctx.is_containers()).then(EnvAuth::from_env);
    let wanted = if args.all {
        // Every entry is read by the inventory and again by the resolver.
        config.decode_all();
        every_login(&config, ctx, env.as_ref())
    } else {
        let mut seen = std::collections::HashSet::new();
        let mut v: Vec<String> = Vec::new();
        for r in &args.registries {
            let k = storage_key(r, ctx);
            if seen.insert(k.clone()) {
                v.push(k);
            }
        }
        v
    };

    let mut auths: Vec<(String, FileField)> = Vec::with_capacity(wanted.len());
    let mut failed = Vec::new();
    for key in &wanted {
        let resolved = resolve_with_env(&config, ctx, key, env.clone()).and_then(|t| {
            for w in &t.warnings {
                output::warn(w);
            }
            t.into_credentials()
        });
        match resolved {
            Ok(Some(c)) => {
                // `wanted` holds each key once.
                auths.push((key.clone(), FileField(file_field(&c))));
            }
            Ok(None) => failed.push(format!("{key}: not logged in")),
            Err(e) => failed.push(format!("{key}: {e:#}")),
        }
    }
    if !failed.is_empty() {
        if !args.skip_unresolved {
            bail!(
                "cannot resolve {}; nothing written (--skip-unresolved leaves such logins out)",
                failed.join("; ")
            );
        }
        for f in &failed {
            output::warn(&format!("left out {f}"));
        }
    }
    if auths.is_empty() && args.all {
        output::warn(&format!(
            "no logins to export in {}",
            config.path().display()
        ));
    }

    let json = Zeroizing::new(pretty_auths(&auths));
    let text = match args.format {
        ExportFormat::ConfigJson => json,
        ExportFormat::K8sSecret => Zeroizing::new(k8s_secret(
            args.name.as_deref().expect("clap requires --name"),
            args.namespace.as_deref(),
            &json,
        )),
    };
    match &args.output {
        Some(path) => write_new(path, text.as_bytes(), args.force)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .context("cannot write to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An exported entry, `{FIELD: VALUE}` ([`file_field`]), serialised as
/// `file_entry`'s JSON value is, without building one (#17).
struct FileField((&'static str, String));

impl Serialize for FileField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0 .0, &self.0 .1)?;
        m.end()
    }
}

impl Drop for FileField {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0 .1);
    }
}

/// `{"auths": {KEY: ENTRY, ...}}` and a newline, as
/// `serde_json::to_string_pretty` writes it, from the list itself: no map of
/// every login is built first (#17). The keys must be distinct.
fn pretty_auths<E: Serialize>(auths: &[(String, E)]) -> String {
    struct Entries<'a, E>(&'a [(String, E)]);
    impl<E: Serialize> Serialize for Entries<'_, E> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    struct Root<'a, E>(&'a [(String, E)]);
    impl<E: Serialize> Serialize for Root<'_, E> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(std::iter::once(("auths", Entries(self.0))))
        }
    }
    let size: usize = auths.iter().map(|(k, _)| k.len() + 80).sum();
    let mut buf = Vec::with_capacity(size + 32);
    serde_json::to_writer_pretty(&mut buf, &Root(auths)).expect("serialises");
    buf.push(b'\n');
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

fn storage_key(r: &str, ctx: &Context) -> String {
    if ctx.is_containers() {
        registry::normalize_containers(r)
    } else {
        registry::normalize(r)
    }
}

/// Every registry `list` shows, by storage key, in list order.
fn every_login(config: &Config, ctx: &Context, env: Option<&EnvAuth>) -> Vec<String> {
    let mut inv = inventory(config, ctx);
    if let Some(env) = env {
        add_env_logins(&mut inv, env);
    }
    for w in &inv.warnings {
        output::warn(w);
    }
    let mut seen = std::collections::HashSet::new();
    let mut keys: Vec<String> = Vec::new();
    for l in &inv.logins {
        let k = storage_key(&l.registry, ctx);
        if seen.insert(k.clone()) {
            keys.push(k);
        }
    }
    keys
}

/// The Secret as YAML. Every value is either validated (name, namespace) or
/// base64, so none needs quoting.
fn k8s_secret(name: &str, namespace: Option<&str>, json: &str) -> String {
    let mut y = String::from("apiVersion: v1\nkind: Secret\nmetadata:\n");
    y.push_str(&format!("  name: {name}\n"));
    if let Some(ns) = namespace {
        y.push_str(&format!("  namespace: {ns}\n"));
    }
    y.push_str("type: kubernetes.io/dockerconfigjson\ndata:\n");
    y.push_str(&format!("  .dockerconfigjson: {}\n", STANDARD.encode(json)));
    y
}

/// Kubernetes' DNS-1123 subdomain: lower-case alphanumerics, `-` and `.`,
/// starting and ending alphanumeric, at most `max` characters.
fn check_dns1123(s: &str, max: usize, flag: &str) -> Result<()> {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = !s.is_empty()
        && s.len() <= max
        && s.chars().all(|c| alnum(c) || c == '-' || c == '.')
        && s.starts_with(alnum)
        && s.ends_with(alnum)
        && s.split('.')
            .all(|l| l.starts_with(alnum) && l.ends_with(alnum));
    if !ok {
        bail!("{flag} `{s}` is not a valid Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most {max} characters");
    }
    Ok(())
}

/// Write `bytes` to a new file at `path`, mode 0600 from its creation.
/// With `force`, an existing file is replaced atomically (0600 temp file in
/// the same directory, fsynced, renamed over it).
fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let shown = path.display();
    // --force replaces a regular file only: renamed over a device, a FIFO
    // or a symlink, the secrets would take the place of /dev/null (as root,
    // breaking the system) or of a link the user meant to keep. lstat, so a
    // link is judged itself, not its target.
    let not_regular = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| !m.file_type().is_file())
        .map(|m| describe_kind(&m.file_type()));
    if let Some(kind) = not_regular {
        bail!("{shown} is {kind}, not a regular file; export writes a new file or, with --force, replaces a regular one; nothing written");
    }
    if force {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // tempfile creates its files 0600.
        let mut tmp = tempfile::Builder::new()
            .prefix(".dockercfg-export")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write {shown}"))?;
        tmp.write_all(bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .with_context(|| format!("cannot write {shown}"))?;
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {shown}"))?;
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{shown} already exists; pass --force to replace it")
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {shown}")),
    };
    let written = f.write_all(bytes).and_then(|_| f.sync_all());
    if let Err(e) = written {
        // Leave no partial secret file behind.
        let _ = std::fs::remove_file(path);
        return Err(e).with_context(|| format!("cannot write {shown}"));
    }
    Ok(())
}

/// "a symbolic link", "a FIFO", ... for the refusal above.
fn describe_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else {
        "something else"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn pretty_auths_is_the_pretty_map() {
        let entries: Vec<(String, Value)> = vec![
            ("b.io".into(), serde_json::json!({"auth": "YTpi"})),
            (
                "a.io:5000".into(),
                serde_json::json!({"identitytoken": "t\"\n\u{1b}"}),
            ),
            ("h\u{e9}.io".into(), serde_json::json!({})),
        ];
        for n in 0..=entries.len() {
            let map: serde_json::Map<String, Value> = entries[..n].iter().cloned().collect();
            let want =
                serde_json::to_string_pretty(&serde_json::json!({ "auths": map })).unwrap() + "\n";
            assert_eq!(pretty_auths(&entries[..n]), want);
        }
    }

    #[test]
    fn file_fields_print_as_file_entries() {
        use crate::helper::Credentials;
        let creds = [
            ("a.io", "me", "pw\"\n\u{1b}"),
            ("b.io:5000", crate::auth::TOKEN_USERNAME, "tok\u{e9}"),
        ];
        let (mut fields, mut values) = (Vec::new(), Vec::new());
        for (server, user, secret) in creds {
            let c = Credentials {
                server_url: server.into(),
                username: user.into(),
                secret: secret.into(),
            };
            fields.push((server.to_string(), FileField(file_field(&c))));
            values.push((server.to_string(), crate::logins::resolve::file_entry(&c)));
        }
        assert_eq!(pretty_auths(&fields), pretty_auths(&values));
        assert!(pretty_auths(&fields).contains("\"identitytoken\": \"tok\u{e9}\""));
    }

    #[test]
    fn dns1123() {
        for ok in ["regcred", "a", "my-secret.v1", "0abc"] {
            assert!(check_dns1123(ok, 253, "--name").is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Reg",
            "-a",
            "a-",
            "a..b",
            "a_b",
            "a/b",
            &"a".repeat(254),
        ] {
            assert!(check_dns1123(bad, 253, "--name").is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_yaml_holds_the_json() {
        let y = k8s_secret("regcred", Some("ci"), "{}\n");
        assert_eq!(
            y,
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: ci\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30K\n"
        );
    }
}
