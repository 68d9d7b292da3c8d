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
///
/// Built from the same clap definition as `--help`, so a new command or
/// flag gets its page with nothing to add here. Each page has:
/// - SYNOPSIS as typed: `dockercfg logout [--match GLOB]... [REGISTRY]...`,
///   every option with its value name;
/// - OPTIONS: the command's own. The global options (--config, timeouts…)
///   are documented once, in dockercfg(1); a subcommand's page names the
///   ones that apply to it (as its `--help` shows them) and points there;
/// - the command's `after_help` split into sections: its "Exit status…"
///   paragraph goes into EXIT STATUS, its "Examples:" into EXAMPLES, the
///   rest into NOTES, so no section is printed twice;
/// - ENVIRONMENT and FILES where the command reads a credential file.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    // Built, so that each subcommand holds the global options it shows and
    // knows its bin name (`dockercfg logout`); clap's `help` subcommand has
    // no page.
    let mut cmd = crate::cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![("dockercfg.1".to_string(), render(&cmd, true))];
    add_pages(&cmd, "dockercfg", &mut pages);
    pages
}

/// A page for each subcommand of `cmd`, and of theirs (`dockercfg-store-set`
/// for `dockercfg store set`), as the SUBCOMMANDS sections name them.
fn add_pages(cmd: &clap::Command, prefix: &str, pages: &mut Vec<(String, Vec<u8>)>) {
    let subs = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help");
    for sub in subs {
        let name = format!("{prefix}-{}", sub.get_name());
        let sub = sub.clone().display_name(name.clone());
        pages.push((format!("{name}.1"), render(&sub, false)));
        add_pages(&sub, &name, pages);
    }
}

fn render(cmd: &clap::Command, main: bool) -> Vec<u8> {
    // The global options a subcommand shows, named on its page and
    // documented on dockercfg(1) only.
    let globals: Vec<&clap::Arg> = if main {
        Vec::new()
    } else {
        cmd.get_arguments()
            .filter(|a| a.is_global_set() && !a.is_hide_set())
            .collect()
    };
    let own = cmd.clone().mut_args(|a| {
        if a.is_global_set() && !main {
            a.hide(true)
        } else {
            a
        }
    });
    let source = format!(
        "dockercfg {}",
        cmd.get_version().unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    let man = clap_mangen::Man::new(own.clone()).source(source);
    let mut out = Vec::new();
    let mut put = |f: &dyn Fn(&clap_mangen::Man, &mut Vec<u8>) -> std::io::Result<()>| {
        let mut section = Vec::new();
        f(&man, &mut section).expect("rendering to memory cannot fail");
        append(&mut out, &section);
    };
    put(&|m, w| m.render_title(w));
    put(&|m, w| m.render_name_section(w));
    put(&|_, w| {
        w.extend_from_slice(synopsis(&own).as_bytes());
        Ok(())
    });
    put(&|m, w| m.render_description_section(w));
    if own.get_arguments().any(|a| !a.is_hide_set()) {
        put(&|m, w| m.render_options_section(w));
    }
    if own.get_subcommands().any(|s| !s.is_hide_set()) {
        put(&|m, w| m.render_subcommands_section(w));
    }
    let after = after_help(cmd);
    if !globals.is_empty() {
        out.extend_from_slice(global_options_reference(cmd, &globals).as_bytes());
    }
    if !after.notes.is_empty() {
        out.extend_from_slice(b".SH NOTES\n");
        for p in &after.notes {
            out.extend_from_slice(paragraph(p).as_bytes());
        }
    }
    out.extend_from_slice(EXIT_STATUS.as_bytes());
    if let Some(p) = &after.exit_status {
        out.extend_from_slice(b".PP\n");
        out.extend_from_slice(paragraph(p).as_bytes());
    }
    // The file's environment and paths matter where a file is read: the
    // main page and every command that shows --config.
    let reads_file = main || globals.iter().any(|a| a.get_id() == "config");
    if reads_file {
        out.extend_from_slice(ENVIRONMENT.as_bytes());
        out.extend_from_slice(FILES.as_bytes());
    }
    match (&after.examples, main) {
        (_, true) => out.extend_from_slice(EXAMPLES.as_bytes()),
        (Some(lines), false) => {
            out.extend_from_slice(b".SH EXAMPLES\n.nf\n");
            for l in lines {
                out.extend_from_slice(escape_line(l).as_bytes());
                out.push(b'\n');
            }
            out.extend_from_slice(b".fi\n");
        }
        (None, false) => {}
    }
    if main {
        if cmd.get_version().is_some() {
            let mut section = Vec::new();
            man.render_version_section(&mut section)
                .expect("rendering to memory cannot fail");
            append(&mut out, &section);
        }
    } else {
        out.extend_from_slice(b".SH SEE ALSO\n\\fBdockercfg\\fR(1)\n");
    }
    out
}

/// Add one of clap_mangen's sections to the page. Each comes with roff's
/// preamble (the definition of `\*(Aq`), which the page needs once, before
/// its title.
fn append(out: &mut Vec<u8>, section: &[u8]) {
    let titled = out.windows(4).any(|w| w == b".TH ");
    let text = String::from_utf8_lossy(section);
    for line in text.split_inclusive('\n') {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !(preamble && titled) {
            out.extend_from_slice(line.as_bytes());
        }
    }
}

/// A command's `after_help`, by what each paragraph is.
#[derive(Default)]
struct AfterHelp {
    exit_status: Option<String>,
    examples: Option<Vec<String>>,
    notes: Vec<String>,
}

fn after_help(cmd: &clap::Command) -> AfterHelp {
    let mut out = AfterHelp::default();
    let Some(text) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) else {
        return out;
    };
    for p in text.to_string().split("\n\n") {
        let p = p.trim_end();
        if p.is_empty() {
            continue;
        }
        if let Some(rest) = p.strip_prefix("Examples:") {
            let lines = rest
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            out.examples = Some(lines);
        } else if let Some(after) = p.strip_prefix("Exit status") {
            // The main page's "Exit status:" list is the EXIT STATUS
            // section itself; a command's own sentence adds to it.
            let specific = p
                .split_once(':')
                .map(|(_, rest)| rest.trim())
                .filter(|rest| !rest.is_empty() && !rest.starts_with('0'));
            if specific.is_some() {
                // "Exit status: 1 when…" under EXIT STATUS reads "1 when…";
                // "Exit status with --check: …" reads "With --check: …".
                let rest = after.trim_start();
                let text = match rest.strip_prefix(':') {
                    Some(r) => r.trim_start().to_string(),
                    None => {
                        let mut c = rest.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect())
                            .unwrap_or_default()
                    }
                };
                out.exit_status = Some(text);
            }
        } else {
            out.notes.push(p.to_string());
        }
    }
    out
}

/// The SYNOPSIS section: the command as typed, options with their value
/// names (`[--match GLOB]...`), then the positional arguments.
fn synopsis(cmd: &clap::Command) -> String {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut words = vec![name.split(' ').map(bold).collect::<Vec<_>>().join("\\ ")];
    let shown = |a: &&clap::Arg| !a.is_hide_set();
    // A required group (export's --registry or --all) is one choice.
    let groups: Vec<Vec<&clap::Arg>> = cmd
        .get_groups()
        .filter(|g| g.is_required_set())
        .map(|g| {
            g.get_args()
                .filter_map(|id| cmd.get_arguments().find(|a| a.get_id() == id))
                .collect()
        })
        .collect();
    let in_group = |a: &clap::Arg| groups.iter().flatten().any(|g| g.get_id() == a.get_id());
    let mut opts: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(shown)
        .filter(|a| !a.is_positional() && !in_group(a))
        .collect();
    opts.sort_by_key(|a| a.get_display_order());
    for a in &opts {
        words.push(optional(a, option_words(a)));
    }
    for g in &groups {
        let alts: Vec<String> = g
            .iter()
            .map(|a| format!("{}{}", option_words(a), if repeats(a) { "..." } else { "" }))
            .collect();
        words.push(format!("{{{}}}", alts.join("|")));
    }
    for a in cmd.get_positionals().filter(shown) {
        let value = a
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
        let mut w = italic(&value);
        if a.is_last_set() {
            w = format!("\\-\\-\\ {w}");
        }
        words.push(optional(a, w));
    }
    if cmd.has_subcommands() {
        words.push(format!("{}\\ [{}]", italic("COMMAND"), italic("ARGS")));
    }
    // Left-adjusted and never hyphenated: a line is broken only between
    // the words above, never inside one (`\ ` holds `--match GLOB` together).
    format!(".SH SYNOPSIS\n.nh\n.ad l\n{}\n.ad\n.hy\n", words.join(" "))
}

/// `--match GLOB`, `-q|--quiet`: an option as typed, with its value name.
fn option_words(a: &clap::Arg) -> String {
    let flag = match (a.get_short(), a.get_long()) {
        (Some(s), Some(l)) => format!("{}|{}", bold(&format!("-{s}")), bold(&format!("--{l}"))),
        (Some(s), None) => bold(&format!("-{s}")),
        (None, Some(l)) => bold(&format!("--{l}")),
        (None, None) => String::new(),
    };
    let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
    match a.get_value_names() {
        Some(names) if takes_value => {
            let v: Vec<String> = names.iter().map(|n| italic(n)).collect();
            format!("{flag}\\ {}", v.join("\\ "))
        }
        _ => flag,
    }
}

/// In brackets unless required; `...` when it repeats.
fn optional(a: &clap::Arg, word: String) -> String {
    let dots = if repeats(a) { "..." } else { "" };
    if a.is_required_set() {
        format!("{word}{dots}")
    } else {
        format!("[{word}]{dots}")
    }
}

/// Whether an argument may be given more than once (or take many values).
fn repeats(a: &clap::Arg) -> bool {
    matches!(
        a.get_action(),
        clap::ArgAction::Append | clap::ArgAction::Count
    ) || a.get_num_args().is_some_and(|n| n.max_values() > 1)
}

/// A subcommand's page names the global options it takes, documented in
/// dockercfg(1).
fn global_options_reference(cmd: &clap::Command, globals: &[&clap::Arg]) -> String {
    let names: Vec<String> = globals.iter().map(|a| option_words(a)).collect();
    let typed = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    format!(
        ".SH GLOBAL OPTIONS\n{}\n.PP\nThese options of \\fBdockercfg\\fR(1) apply to \\fB{}\\fR too and are described there; they may come anywhere on its command line.\n",
        names.join(", "),
        escape(typed),
    )
}

/// A paragraph of help text: its lines as text lines (indented lines kept
/// as they are, in no-fill mode).
fn paragraph(p: &str) -> String {
    let mut out = String::new();
    let indented = p.lines().skip(1).any(|l| l.starts_with("  "));
    if indented {
        out.push_str(".nf\n");
    }
    for l in p.lines() {
        out.push_str(&escape_line(if indented { l } else { l.trim() }));
        out.push('\n');
    }
    if indented {
        out.push_str(".fi\n");
    }
    out
}

fn bold(s: &str) -> String {
    format!("\\fB{}\\fR", escape(s))
}

fn italic(s: &str) -> String {
    format!("\\fI{}\\fR", escape(s))
}

/// Text for roff: backslashes and hyphens escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\e").replace('-', "\\-")
}

/// A line of text for roff: escaped, and never read as a request (a line
/// starting with `.` or `'`).
fn escape_line(s: &str) -> String {
    let e = escape(s).replace('\'', "\\*(Aq");
    if e.starts_with('.') {
        format!("\\&{e}")
    } else {
        e
    }
}
