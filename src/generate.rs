//! Shell completions and man pages, rendered from the clap definition.
//!
//! The checked-in copies in completions/ and man/ are compared with these by
//! tests/generated.rs; `UPDATE_GENERATED=1 cargo test --test generated`
//! rewrites them.

use clap_complete::Shell;

/// The shells completions are shipped for, with their file names.
pub const SHELLS: &[(Shell, &str)] = &[
    (Shell::Bash, "dockercfg.bash"),
    (Shell::Zsh, "_dockercfg"),
    (Shell::Fish, "dockercfg.fish"),
    (Shell::PowerShell, "_dockercfg.ps1"),
    (Shell::Elvish, "dockercfg.elv"),
];

/// The completion script for `shell`: clap_complete's registration, which
/// calls `dockercfg` (on PATH) back with `COMPLETE=SHELL` for every
/// completion, so values that depend on the machine (the file's registries,
/// the stores on PATH; see `complete`) are current, and the script never
/// goes stale when the CLI changes.
pub fn completions(shell: Shell) -> Vec<u8> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        _ => &Bash,
    };
    let mut out = Vec::new();
    completer
        .write_registration(
            COMPLETE_VAR,
            "dockercfg",
            "dockercfg",
            "dockercfg",
            &mut out,
        )
        .expect("writing to memory cannot fail");
    out
}

/// The environment variable the registration scripts set to ask dockercfg
/// for completions.
pub const COMPLETE_VAR: &str = "COMPLETE";

const EXIT_STATUS: &str = "\
.SH EXIT STATUS
.TP
\\fB0\\fR
Success. For \\fBlist\\fR: the file was read, even if some entries have problems.
.TP
\\fB1\\fR
Failure: bad input, a helper failure during login, logout or migrate, wrong
credentials. For \\fBaudit\\fR: a finding at \\fB\\-\\-fail\\-on\\fR or worse;
for \\fBfix\\-perms \\-\\-check\\fR: something would change.
.TP
\\fB2\\fR
Usage error.
";

const ENVIRONMENT: &str = "\
.SH ENVIRONMENT
.TP
\\fBDOCKER_CONFIG\\fR
Directory holding config.json, when \\fB\\-\\-config\\fR is not given.
.TP
\\fBDOCKERCFG_HELPER_TIMEOUT\\fR
Seconds a credential helper call may take (default 30).
.TP
\\fBDOCKERCFG_LOCK_TIMEOUT\\fR
Seconds to wait for another dockercfg writing the file (default 10).
.TP
\\fBREGISTRY_AUTH_FILE\\fR
The containers auth.json used by podman, skopeo and buildah. Read only with
\\fB\\-\\-podman\\fR (where it comes before
\\fI$XDG_RUNTIME_DIR/containers/auth.json\\fR), so a variable set for podman
does not change which file the other commands use; \\fB\\-\\-authfile\\fR
overrides it.
.TP
\\fBXDG_RUNTIME_DIR\\fR
With \\fB\\-\\-podman\\fR and no REGISTRY_AUTH_FILE, the auth.json is
\\fI$XDG_RUNTIME_DIR/containers/auth.json\\fR (else
\\fI/run/containers/UID/auth.json\\fR, as in containers/image).
.TP
\\fBNO_COLOR\\fR
When set and not empty, no colour.
.TP
\\fBSSL_CERT_FILE\\fR, \\fBSSL_CERT_DIR\\fR
On Linux, the CA bundle and the colon\\-separated CA directories that
\\fBlogin\\fR trusts instead of the system's, each replacing its own half,
as Go (and so docker and podman) reads them.
.TP
\\fBDOCKERCFG_CERTS_ROOT\\fR
A directory that stands in for \\fI/\\fR when looking for
\\fI/etc/docker/certs.d\\fR and \\fI/etc/containers/certs.d\\fR.
.TP
\\fBHTTPS_PROXY\\fR, \\fBHTTP_PROXY\\fR, \\fBNO_PROXY\\fR
Proxies for \\fBlogin\\fR's registry check (lower case too), read as Go's
ProxyFromEnvironment reads them; loopback registries are never proxied.
";

const FILES: &str = "\
.SH FILES
.TP
\\fI~/.docker/config.json\\fR
The Docker client's config and credential file.
.TP
\\fI~/.dockercfg\\fR
The legacy credential file, reported by \\fBaudit\\fR.
.TP
\\fI$XDG_RUNTIME_DIR/containers/auth.json\\fR
The containers auth.json that podman, skopeo and buildah log in to
(\\fB\\-\\-podman\\fR); see containers\\-auth.json(5).
.TP
\\fI/etc/docker/certs.d/HOST[:PORT]/\\fR, \\fI~/.config/docker/certs.d/HOST[:PORT]/\\fR
A registry's extra CAs (\\fI*.crt\\fR) and client certificate
(\\fINAME.cert\\fR + \\fINAME.key\\fR), trusted by \\fBlogin\\fR as by docker.
.TP
\\fI/etc/containers/certs.d/HOST[:PORT]/\\fR, \\fI~/.config/containers/certs.d/HOST[:PORT]/\\fR
The same for an auth.json (\\fB\\-\\-authfile\\fR, \\fB\\-\\-podman\\fR), as podman
reads them: the first that exists, then docker's.
";

const EXAMPLES: &str = "\
.SH EXAMPLES
.nf
dockercfg list
dockercfg audit \\-\\-json \\-\\-fail\\-on medium
echo \"$TOKEN\" | dockercfg login ghcr.io \\-u me \\-\\-password\\-stdin
dockercfg logout \\-\\-match '*.dkr.ecr.*.amazonaws.com'
dockercfg migrate \\-\\-store pass
dockercfg fix\\-perms \\-\\-check
dockercfg \\-\\-podman list
dockercfg \\-\\-authfile auth.json logout quay.io/org/repo
.fi
";

/// Man pages: `dockercfg.1` and `dockercfg-<sub>.1` for each subcommand.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let cmd = crate::cli::command();
    let mut pages = vec![("dockercfg.1".to_string(), render(cmd.clone()))];
    for sub in cmd.get_subcommands() {
        let name = format!("dockercfg-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        pages.push((format!("{name}.1"), render(sub)));
    }
    pages
}

fn render(cmd: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .expect("rendering to memory cannot fail");
    for section in [EXIT_STATUS, ENVIRONMENT, FILES, EXAMPLES] {
        out.extend_from_slice(section.as_bytes());
    }
    out
}
