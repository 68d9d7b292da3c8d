//! Known credential-helper failures: the message a helper prints (or the
//! way it answers), mapped to its cause and the fix. `doctor` shows the
//! cause and the fix as a command; every other helper error message
//! (`login`, `get`, `list`, ...) gets the one-line form through
//! `HelperError`'s text ([`one_line`]).
//!
//! The messages are the ones the helpers really print (docker/
//! docker-credential-helpers, amazon-ecr-credential-helper, and the shell
//! in WSL); each is matched case-insensitively as a substring, since
//! helpers wrap them ("pass not initialized: exit status 1: ...").
//! This module knows no command; a fix that is a dockercfg command is
//! given as its words, for `Context::command` to quote.

/// A command that fixes the cause, as unquoted words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixCommand {
    /// `dockercfg [global option] WORDS...` (see `Context::command`).
    Dockercfg(Vec<String>),
    /// Another program's command line.
    Shell(Vec<String>),
}

impl FixCommand {
    /// The command as the user should type it, every word quoted.
    pub fn render(&self, ctx: &crate::Context) -> String {
        match self {
            FixCommand::Dockercfg(words) => ctx.command(words),
            FixCommand::Shell(words) => crate::shell::command(words),
        }
    }
}

/// Why a helper failed, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// What is wrong, in a few words.
    pub cause: String,
    /// What to do, in a sentence (the command, when there is one, too).
    pub advice: String,
    /// A command that fixes it, when one does.
    pub command: Option<FixCommand>,
}

impl Hint {
    fn new(cause: &str, advice: &str) -> Hint {
        Hint {
            cause: cause.into(),
            advice: advice.into(),
            command: None,
        }
    }

    fn with(mut self, command: FixCommand) -> Hint {
        self.command = Some(command);
        self
    }
}

fn shell(words: &[&str]) -> FixCommand {
    FixCommand::Shell(words.iter().map(|w| w.to_string()).collect())
}

fn has(message: &str, needle: &str) -> bool {
    message
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// The hint for `message`, printed by helper `helper` (its name as the
/// config says: `pass`, `desktop.exe`), if the message is a known one.
/// `store_wide` says the helper is the `credsStore` (asked for every
/// registry), which changes what "not implemented" means.
pub fn for_message(helper: &str, message: &str, store_wide: bool) -> Option<Hint> {
    let m = message;
    if has(m, "User interaction is not allowed") {
        return Some(
            Hint::new(
                "the macOS keychain is locked, or this is an SSH session that cannot unlock it",
                "unlock the login keychain first (security unlock-keychain), or log in at the Mac",
            )
            .with(shell(&["security", "unlock-keychain", "login.keychain"])),
        );
    }
    if has(m, "A specified logon session does not exist") {
        return Some(Hint::new(
            "Windows Credential Manager is not available in this logon session (SSH, a service or a scheduled task)",
            "log in interactively (RDP or the console), or use a credential store that works without a logon session",
        ));
    }
    if has(m, "org.freedesktop.secrets was not provided")
        || has(m, "Cannot autolaunch D-Bus without X11")
        || (helper == "secretservice" && has(m, "Could not connect"))
    {
        let hint = no_session_bus();
        // Where secretservice is the credsStore, switching it is one command.
        return Some(if store_wide {
            hint.with(FixCommand::Dockercfg(vec![
                "store".into(),
                "set".into(),
                "pass".into(),
            ]))
        } else {
            hint
        });
    }
    if has(m, "pass store is uninitialized") || has(m, "pass not initialized") {
        return Some(Hint::new(
            "the pass store is not initialised (no .gpg-id)",
            "run `pass init` with your GPG key's id (gpg --list-secret-keys shows it)",
        ));
    }
    if has(m, "decryption failed: No secret key") || has(m, "No secret key") {
        return Some(Hint::new(
            "gpg has no secret key for the pass store's recipients (.gpg-id): the key was removed or GNUPGHOME points elsewhere",
            "import the secret key (gpg --import), or re-initialise pass with a key you have and log in again",
        ));
    }
    if has(m, crate::helper::NOT_FOUND_MESSAGE) {
        let advice = if store_wide {
            "log in again: the credsStore holds nothing for this registry, and docker does not fall back to the file"
        } else {
            "log in again to put the credential in the store"
        };
        return Some(Hint::new(
            "the store holds no credential for this registry",
            advice,
        ));
    }
    if has(m, "Invalid argument") && helper.to_ascii_lowercase().ends_with(".exe") {
        return Some(Hint::new(
            "WSL could not start the Windows helper (WSL interop is off, or Docker Desktop's integration for this distribution is disabled)",
            "enable WSL integration in Docker Desktop and restart WSL (wsl.exe --shutdown); without Docker Desktop, remove credsStore",
        ).with(shell(&["wsl.exe", "--shutdown"])));
    }
    if has(m, "not implemented") && helper == "ecr-login" && store_wide {
        return Some(Hint::new(
            "ecr-login is the credsStore, so it is asked for every registry, but it only makes ECR tokens and cannot store or erase",
            "remove credsStore (dockercfg store clear) and name ecr-login for each ECR registry in credHelpers (dockercfg store set --registry REGISTRY ecr-login)",
        )
        .with(FixCommand::Dockercfg(vec!["store".into(), "clear".into()])));
    }
    None
}

/// The way out of `ecr-login` as the global credsStore, as AWS documents the
/// helper: each ECR registry in the file gets its own credHelpers entry,
/// then credsStore goes, so ECR keeps working and every other registry
/// gets its logins back. `audit` and `doctor` print these same commands.
pub fn ecr_store_fix<'a>(auth_keys: impl Iterator<Item = &'a str>) -> Vec<FixCommand> {
    let mut seen = std::collections::HashSet::new();
    let mut steps: Vec<FixCommand> = auth_keys
        .map(crate::registry::normalize)
        .filter(|k| crate::registry::is_ecr(k) && seen.insert(k.clone()))
        .map(|r| {
            FixCommand::Dockercfg(vec![
                "store".into(),
                "set".into(),
                "--registry".into(),
                r,
                "ecr-login".into(),
            ])
        })
        .collect();
    steps.push(FixCommand::Dockercfg(vec!["store".into(), "clear".into()]));
    steps
}

fn no_session_bus() -> Hint {
    Hint::new(
        "no D-Bus session bus or keyring (org.freedesktop.secrets)",
        "on a headless machine use pass, or start a session bus and gnome-keyring",
    )
}

/// The hint for a helper that answered `get` with exit 0 and an empty
/// Username and Secret (Debian's docker-credential-pass 0.6.4 does so for a
/// server it does not hold, and an uninitialised pass answers so too).
pub fn empty_answer(helper: &str) -> Hint {
    if helper == "pass" {
        Hint::new(
            "docker-credential-pass answered with an empty secret (exit 0): it holds no entry for this server, or its store is not initialised",
            "log in again so pass stores the credential",
        )
    } else {
        Hint::new(
            "the helper answered with an empty secret (exit 0): it holds nothing for this server",
            "log in again so the helper stores the credential",
        )
    }
}

/// The one-line form for error messages: ` (hint: CAUSE; ADVICE)`, or
/// nothing for a message that is not a known one.
pub fn one_line(helper: &str, message: &str) -> String {
    // Without a session bus every secretservice call fails, some with a
    // message that says nothing of D-Bus ("Error from list function in
    // secretservice_linux.c"): the cause is the missing bus all the same.
    let hint = for_message(helper, message, false).or_else(|| {
        (helper == "secretservice" && !crate::health::session_bus_available()).then(no_session_bus)
    });
    match hint {
        Some(h) if !has(message, crate::helper::NOT_FOUND_MESSAGE) => {
            format!(" (hint: {}; {})", h.cause, h.advice)
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_have_causes() {
        let h = for_message(
            "secretservice",
            "Cannot autolaunch D-Bus without X11 $DISPLAY",
            true,
        )
        .unwrap();
        assert!(h.cause.contains("D-Bus"), "{h:?}");
        assert!(h.advice.contains("headless machine use pass"), "{h:?}");
        let h = for_message(
            "pass",
            "pass not initialized: exit status 1: Error: password store is empty.",
            true,
        )
        .unwrap();
        assert!(h.cause.contains("not initialised"));
        assert!(for_message("pass", "something else", true).is_none());
        // "Invalid argument" only means WSL interop for a Windows helper.
        assert!(for_message("desktop", "Invalid argument", true).is_none());
        assert!(for_message("desktop.exe", "fork/exec: invalid argument", true).is_some());
        // "not implemented" is a hint only for a store-wide ecr-login.
        assert!(for_message("ecr-login", "not implemented", false).is_none());
        assert!(for_message("ecr-login", "not implemented", true).is_some());
    }

    #[test]
    fn one_line_is_one_line_and_skips_not_found() {
        let s = one_line(
            "secretservice",
            "org.freedesktop.secrets was not provided by any .service files",
        );
        assert!(s.starts_with(" (hint: ") && !s.contains('\n'), "{s}");
        assert_eq!(
            one_line("pass", "credentials not found in native keychain"),
            ""
        );
        assert_eq!(one_line("pass", "boom"), "");
    }

    #[test]
    fn a_windows_helper_that_cannot_start_says_why_in_its_error() {
        let e = crate::helper::HelperError::Spawn {
            program: "docker-credential-desktop.exe".into(),
            detail: "Invalid argument (os error 22)".into(),
        };
        let text = e.to_string();
        assert!(
            text.contains("(hint: WSL could not start the Windows helper"),
            "{text}"
        );
    }
}
