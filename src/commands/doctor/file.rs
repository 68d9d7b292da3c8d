//! Step 1: the file as docker and podman read it: which file each client
//! actually reads, parse errors, and entries that poison the rest.

use std::path::PathBuf;

use super::report::{Check, Status, FILE};
use crate::config::Config;
use crate::context::{Context, Flavor};
use crate::envauth::{EnvAuth, VAR};

/// The checks of the file, and the config to go on with (an empty one when
/// it cannot be read, as docker carries on with no credentials).
pub fn check(ctx: &Context, env: &EnvAuth) -> (Vec<Check>, Config) {
    let mut out = Vec::new();
    let path = ctx.config_path.clone();
    let shown = path.display().to_string();
    let client = match ctx.flavor {
        Flavor::Docker => "docker reads",
        Flavor::Containers => "podman, skopeo and buildah read",
    };
    let file_check = |status, message: String| Check::new(None, FILE, status, message);
    let config = match Config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            let what = match ctx.flavor {
                Flavor::Docker => "docker prints \"WARNING: Error parsing config file\" and carries on with no credentials at all",
                Flavor::Containers => "podman, skopeo and buildah refuse to read it",
            };
            out.push(file_check(Status::Fail, format!("{e:#}: {what}")));
            let empty = Config::parse(&path, String::new(), false).expect("an empty config parses");
            return (out, empty);
        }
    };
    let origin = origin(ctx);
    if config.exists() {
        out.push(file_check(
            Status::Ok,
            format!("{client} {shown} ({origin}); it parses"),
        ));
    } else {
        out.push(file_check(
            Status::Ok,
            format!("{client} {shown} ({origin}); it does not exist, so it holds no logins"),
        ));
    }
    if ctx.flavor == Flavor::Docker {
        if let Some(c) = sudo_check(&path) {
            out.push(c);
        }
        out.push(podman_view(&path));
        if let Some(s) = config.creds_store() {
            out.push(file_check(
                Status::Warn,
                format!(
                    "credsStore is {s}: podman, skopeo and buildah never read credsStore, so they \
                     find none of the logins kept there (credHelpers entries they do honour)"
                ),
            ));
            if s == "ecr-login" {
                let h =
                    crate::hints::for_message(s, "not implemented", true).expect("a known case");
                // The same commands as audit's ecr-creds-store: ECR logins
                // keep their helper, then credsStore goes.
                let fix: Vec<String> = crate::hints::ecr_store_fix(config.auth_keys())
                    .iter()
                    .map(|c| c.render(ctx))
                    .collect();
                out.push(
                    file_check(
                        Status::Warn,
                        format!(
                            "{}: docker login to any registry fails with \"not implemented\"; {}",
                            h.cause, h.advice
                        ),
                    )
                    .fix(Some(fix.join(" && "))),
                );
            }
        }
        if let Some(w) = &env.warning {
            out.push(file_check(Status::Warn, format!("{VAR}: {w}")));
        } else if env.is_active() {
            out.push(file_check(
                Status::Ok,
                format!("{VAR} is set: docker takes its logins before the file's"),
            ));
        }
    } else if let Some(s) = config.creds_store() {
        out.push(file_check(
            Status::Warn,
            format!("{shown} names credsStore {s}, which podman, skopeo and buildah never read"),
        ));
    }
    for d in config.duplicates() {
        let what = match &d.key {
            Some(k) => format!("{}.{k} is written {} times: docker uses the last, the others are hidden from it", d.section, d.count),
            None => format!("the {} object is written {} times: docker merges them, most other tools read only the last", d.section, d.count),
        };
        out.push(file_check(Status::Warn, what));
    }
    for (key, entry) in config.auths() {
        if let Some(problem) = &entry.problem {
            out.push(
                file_check(
                    Status::Fail,
                    format!(
                        "the entry for {key} cannot be decoded ({problem}): docker prints \
                         \"WARNING: Error parsing config file\" on every command and, depending on \
                         Go's map order, pulls from other registries fail with \"no basic auth \
                         credentials\"; remove it and log in again"
                    ),
                )
                .fix(Some(ctx.command(&["logout", "--file-only", key]))),
            );
        }
    }
    (out, config)
}

/// What podman, skopeo and buildah read instead of (or before) docker's
/// file: `$REGISTRY_AUTH_FILE` alone when it is set, else their own
/// auth.json files first (containers/image's order, COMPAT.md).
fn podman_view(path: &std::path::Path) -> Check {
    let env = crate::config::locate::PodmanEnv::from_process();
    if let Some(f) = &env.registry_auth_file {
        return Check::new(
            None,
            FILE,
            Status::Warn,
            format!(
                "REGISTRY_AUTH_FILE is {}: podman, skopeo and buildah read only that file, never this one",
                f.display()
            ),
        );
    }
    let mut files: Vec<String> = Vec::new();
    if let Ok(p) = crate::config::locate::podman_auth_file(&env) {
        files.push(p.display().to_string());
    }
    let home = crate::config::locate::home_dir().unwrap_or_default();
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    files.push(xdg.join("containers/auth.json").display().to_string());
    let existing: Vec<&String> = files
        .iter()
        .filter(|f| std::path::Path::new(f.as_str()).exists())
        .collect();
    // Then docker's config.json, where containers/image looks for it.
    let docker = std::env::var_os("DOCKER_CONFIG")
        .filter(|v| !v.is_empty())
        .map(|d| PathBuf::from(d).join("config.json"))
        .unwrap_or_else(|| home.join(".docker/config.json"));
    let then = if docker == path {
        "then in this file".to_string()
    } else {
        format!("then in {} (not this file)", docker.display())
    };
    let message = if existing.is_empty() {
        format!(
            "podman, skopeo and buildah look in {} first (none exists), {then}",
            files.join(" and ")
        )
    } else {
        format!(
            "podman, skopeo and buildah look in {} first: a login there for a registry wins; {then}",
            existing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        )
    };
    Check::new(None, FILE, Status::Ok, message)
}

/// Why this file: the option or variable that chose it.
fn origin(ctx: &Context) -> String {
    let chosen = ctx.invocation.get(1).map(String::as_str);
    match (ctx.flavor, chosen) {
        (_, Some("--config")) => "chosen with --config".into(),
        (_, Some("--authfile")) => "chosen with --authfile".into(),
        (Flavor::Containers, _) if std::env::var_os("REGISTRY_AUTH_FILE").is_some_and(|v| !v.is_empty()) => {
            "REGISTRY_AUTH_FILE".into()
        }
        (Flavor::Containers, _) => {
            "podman's primary file; then $XDG_CONFIG_HOME/containers/auth.json, docker's config.json and ~/.dockercfg are tried in turn".into()
        }
        (Flavor::Docker, _) if std::env::var_os("DOCKER_CONFIG").is_some_and(|v| !v.is_empty()) => {
            "DOCKER_CONFIG".into()
        }
        (Flavor::Docker, _) => "$HOME/.docker".into(),
    }
}

/// Under sudo, docker reads root's HOME (current Debian and Ubuntu sudo
/// set HOME to root's), not the invoking user's file.
fn sudo_check(path: &std::path::Path) -> Option<Check> {
    #[cfg(unix)]
    {
        if !crate::perms::under_sudo() {
            return None;
        }
        let (uid, _) = crate::perms::invoking_user();
        let user = crate::perms::passwd_entry(uid)?;
        let theirs: PathBuf = user.home.join(".docker/config.json");
        if theirs == path {
            return None;
        }
        let holds = Config::load(&theirs)
            .map(|c| c.auth_keys().count() + c.cred_helpers().count())
            .unwrap_or(0);
        Some(Check::new(
            None,
            FILE,
            Status::Warn,
            format!(
                "running under sudo: docker reads {} (this HOME), not {}'s {}{}; a \
                 `sudo docker login` stores there too",
                path.display(),
                user.name,
                theirs.display(),
                if holds > 0 {
                    format!(", which has {holds} login(s)")
                } else {
                    String::new()
                }
            ),
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
