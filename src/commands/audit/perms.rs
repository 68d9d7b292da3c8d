//! `audit`'s permission findings (`file-permissions`, `dir-permissions`,
//! `wrong-owner`), judged and fixed by fix-perms' own rules (src/perms.rs):
//! the fix is `dockercfg fix-perms` only where fix-perms, run as the same
//! user, would make that change. Elsewhere it is what fix-perms itself says:
//! the `sudo` form for a file root took over inside the user's home, the
//! refusal for a file a symlink leads to outside the config directory, and,
//! for root's own config under sudo, the command for the user's config.
//! Elsewhere than Unix there are no modes or owners to judge.
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use std::path::{Path, PathBuf};

use super::{finding, fix, Finding};
use crate::context::{Context, Flavor};
use crate::logins::findings::Severity;
use crate::perms::{self, Kind, Plan};

/// What fix-perms does about one file or directory: a command that fixes
/// it, or fix-perms' own words on why it will not (for the message).
struct Remedy {
    fix: Option<String>,
    why_not: Option<String>,
}

#[cfg(unix)]
pub(super) fn permission_findings(ctx: &Context, out: &mut Vec<Finding>) {
    use std::os::unix::fs::MetadataExt;
    let (file, dir) = perms::targets(&ctx.config_path);
    let plan = perms::plan(&ctx.config_path, "fix-perms").unwrap_or_default();
    // Under sudo on a config outside the sudo user's home (sudo set HOME
    // to root's): this is root's config, and fix-perms says so and names
    // the command for the user's own; audit says the same.
    for note in &plan.notes {
        out.push(finding(
            "sudo-root-config",
            Severity::Info,
            None,
            note.clone(),
            None,
        ));
    }
    // Whose config this is: fix-perms' owner (root's own config under sudo
    // stays root's; under sudo in the user's home it is the user's).
    let owner = plan.owner;
    if let Some(meta) = file.as_ref().and_then(|f| std::fs::metadata(f).ok()) {
        let path = file.as_deref().expect("checked");
        let mode = meta.mode() & 0o777;
        let sev = if mode & 0o026 != 0 {
            Some(Severity::High)
        } else if mode & 0o040 != 0 {
            Some(Severity::Medium)
        } else {
            None
        };
        if let Some(sev) = sev {
            let r = remedy(ctx, &plan, path, meta.uid(), false);
            out.push(finding(
                "file-permissions",
                sev,
                None,
                with_why(
                    format!(
                        "{} is mode {mode:04o}: {}",
                        path.display(),
                        super::who_can(mode)
                    ),
                    &r,
                ),
                r.fix,
            ));
        }
        if meta.uid() != owner.0 {
            let r = remedy(ctx, &plan, path, meta.uid(), true);
            out.push(finding(
                "wrong-owner",
                Severity::High,
                None,
                with_why(format!(
                    "{} belongs to {}, not to {} (after `sudo docker login`, docker then fails with permission denied)",
                    path.display(),
                    perms::user_label(meta.uid()),
                    perms::user_label(owner.0)
                ), &r),
                r.fix,
            ));
        }
    }
    if let Some(meta) = dir.as_ref().and_then(|d| std::fs::metadata(d).ok()) {
        let path = dir.as_deref().expect("checked");
        let mode = meta.mode() & 0o777;
        let sev = if mode & 0o022 != 0 {
            Some((Severity::High, "other users can replace config.json"))
        } else if mode & 0o055 != 0 {
            Some((Severity::Low, "other users can list it"))
        } else {
            None
        };
        if let Some((sev, why)) = sev {
            let r = remedy(ctx, &plan, path, meta.uid(), false);
            out.push(finding(
                "dir-permissions",
                sev,
                None,
                with_why(format!("{} is mode {mode:04o}: {why}", path.display()), &r),
                r.fix,
            ));
        }
        if meta.uid() != owner.0 && file.is_some() {
            let r = remedy(ctx, &plan, path, meta.uid(), true);
            out.push(finding(
                "wrong-owner",
                Severity::High,
                None,
                with_why(
                    format!(
                        "{} belongs to {}, not to {}",
                        path.display(),
                        perms::user_label(meta.uid()),
                        perms::user_label(owner.0)
                    ),
                    &r,
                ),
                r.fix,
            ));
        }
    }
}

#[cfg(not(unix))]
pub(super) fn permission_findings(_ctx: &Context, _out: &mut Vec<Finding>) {}

fn with_why(message: String, r: &Remedy) -> String {
    match &r.why_not {
        Some(w) => format!("{message}; fix-perms leaves it: {w}"),
        None => message,
    }
}

/// How `path` (owned by `uid`) gets fixed, by fix-perms' rules: its plan
/// holds the change and this user may make it; else, for a file root took
/// over in this user's home, fix-perms under sudo on this file; else what
/// fix-perms says instead (a refusal, or under sudo the command for the
/// user's own config).
#[cfg(unix)]
fn remedy(ctx: &Context, plan: &Plan, path: &Path, uid: u32, owner: bool) -> Remedy {
    // SAFETY: geteuid cannot fail and touches no memory.
    let euid = unsafe { libc::geteuid() };
    let planned = plan.changes.iter().any(|c| {
        c.path == path
            && match c.kind {
                Kind::Owner { .. } => owner,
                Kind::Mode { .. } => !owner,
            }
    });
    if planned && (euid == 0 || uid == euid) {
        return Remedy {
            fix: fix(ctx, &["fix-perms"], None),
            why_not: None,
        };
    }
    if let Some(refused) = plan
        .refused
        .iter()
        .find(|r| r.starts_with(&path.display().to_string()))
    {
        return Remedy {
            fix: None,
            why_not: Some(refused.clone()),
        };
    }
    if let Some(note) = plan.notes.first() {
        return Remedy {
            fix: None,
            why_not: Some(note.clone()),
        };
    }
    // Not ours and we are not root: root took it over (`sudo docker
    // login`). fix-perms gives it back when run under sudo on this file,
    // if it is inside our home as the password database has it.
    if euid != 0 && uid == 0 && in_own_home(euid, path) {
        return Remedy {
            fix: sudo_fix(ctx),
            why_not: None,
        };
    }
    Remedy {
        fix: None,
        why_not: Some(format!(
            "it belongs to {}, and fix-perms changes an owner only under sudo, back to the user who ran sudo, for a root-owned file in that user's home",
            perms::user_label(uid)
        )),
    }
}

#[cfg(unix)]
fn in_own_home(euid: u32, path: &Path) -> bool {
    let Some(home) = perms::passwd_entry(euid).and_then(|p| std::fs::canonicalize(p.home).ok())
    else {
        return false;
    };
    home != Path::new("/") && path.starts_with(home)
}

/// `sudo dockercfg --config FILE fix-perms` (or `--authfile FILE`): sudo
/// sets HOME to root's, so the file is named by its absolute path.
#[cfg(unix)]
fn sudo_fix(ctx: &Context) -> Option<String> {
    let abs: PathBuf = std::path::absolute(&ctx.config_path).ok()?;
    let opt = match ctx.flavor {
        Flavor::Docker => "--config",
        Flavor::Containers => "--authfile",
    };
    let target = abs.to_string_lossy().into_owned();
    let words = ["sudo", "dockercfg", opt, &target, "fix-perms"];
    if crate::shell::has_nul(&words) {
        return None;
    }
    Some(crate::shell::command(&words))
}
