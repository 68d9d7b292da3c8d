//! `secretservice`: docker-credential-secretservice talks to the Secret
//! Service (org.freedesktop.secrets, gnome-keyring or KeePassXC) through
//! libsecret on the D-Bus session bus. With no session bus libsecret tries
//! to autolaunch one, which needs X11 ("Cannot autolaunch D-Bus without X11
//! $DISPLAY"); with no keyring on the bus the call fails with
//! "org.freedesktop.secrets was not provided by any .service files"; with
//! the collection locked the keyring shows an unlock prompt, and over SSH
//! nobody sees it. The bus is asked with `dbus-send` or `gdbus`, when one
//! is installed; with neither, the keyring's state is "unknown".

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{first_line, tool, Probe, ProbeEnv};
use crate::helper::run_with_deadline;

const HEADLESS: &str =
    "on a headless machine use pass (dockercfg store set pass switches credsStore to it)";

/// Whether libsecret would find a session bus: DBUS_SESSION_BUS_ADDRESS,
/// or GLib's fallback `$XDG_RUNTIME_DIR/bus`.
pub fn session_bus_available() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
        || runtime_bus().is_some()
}

fn runtime_bus() -> Option<PathBuf> {
    std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join("bus"))
        .filter(|p| is_socket(p))
}

pub(super) fn probe(env: &ProbeEnv) -> Vec<Probe> {
    let mut out = Vec::new();
    let var = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    // GLib (libsecret's D-Bus) falls back to $XDG_RUNTIME_DIR/bus.
    let runtime_bus = runtime_bus();
    match (var.is_empty(), &runtime_bus) {
        (false, _) => out.push(Probe::ok(format!(
            "a D-Bus session bus is set: DBUS_SESSION_BUS_ADDRESS={var}"
        ))),
        (true, Some(p)) => out.push(Probe::ok(format!(
            "a D-Bus session bus is at {} (XDG_RUNTIME_DIR)",
            p.display()
        ))),
        (true, None) => {
            out.push(
                Probe::fail(format!(
                    "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset and there is no \
                     $XDG_RUNTIME_DIR/bus, so the helper fails with \"Cannot autolaunch D-Bus \
                     without X11 $DISPLAY\" (no session bus or keyring); {HEADLESS}"
                ))
                .with_fix(use_pass()),
            );
            return out;
        }
    }
    let Some(bus) = BusClient::find() else {
        out.push(Probe::warn(
            "unknown whether a keyring answers: neither dbus-send (package dbus) nor gdbus \
             (libglib2.0-bin) is installed to ask the bus",
        ));
        return out;
    };
    let alias = match bus.call(
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.ReadAlias",
        &[("string", "default")],
        env,
    ) {
        Ok(Ok(reply)) => reply,
        Ok(Err(err)) => {
            let msg = if err.contains("was not provided") || err.contains("ServiceUnknown") {
                format!(
                    "no keyring answers on the session bus: {err} (the helper fails with the same); \
                     start gnome-keyring-daemon (or another Secret Service), or {HEADLESS}"
                )
            } else {
                format!("the session bus does not answer: {err}; {HEADLESS}")
            };
            out.push(Probe::fail(msg).with_fix(use_pass()));
            return out;
        }
        Err(()) => {
            out.push(Probe::fail(format!(
                "the keyring did not answer within {}s: the helper would hang the same way",
                env.timeout.as_secs_f64()
            )));
            return out;
        }
    };
    let Some(collection) = object_path(&alias).filter(|p| p != "/") else {
        out.push(Probe::warn(
            "the keyring answers but has no default collection: the helper's first store will ask to create one (a prompt)",
        ));
        return out;
    };
    out.push(Probe::ok(format!(
        "a keyring answers on the bus (org.freedesktop.secrets), default collection {collection}"
    )));
    let locked = bus.call(
        &collection,
        "org.freedesktop.DBus.Properties.Get",
        &[
            ("string", "org.freedesktop.Secret.Collection"),
            ("string", "Locked"),
        ],
        env,
    );
    match locked
        .ok()
        .and_then(Result::ok)
        .as_deref()
        .and_then(boolean)
    {
        Some(true) => {
            out.push(Probe::fail(format!(
            "the keyring's collection {collection} is locked: the helper would wait for an unlock \
             prompt{}; unlock it (log in to the desktop session, or unlock it with seahorse)",
            if env.terminal { "" } else { " that nobody sees" }
        )))
        }
        Some(false) => out.push(Probe::ok(format!(
            "the collection {collection} is unlocked"
        ))),
        None => out.push(Probe::warn(format!(
            "unknown whether {collection} is locked: the keyring did not say"
        ))),
    }
    out
}

/// The way off secretservice on a headless machine: `store set pass`
/// (only offered where secretservice is the credsStore; see `doctor`).
fn use_pass() -> crate::hints::FixCommand {
    crate::hints::FixCommand::Dockercfg(vec!["store".into(), "set".into(), "pass".into()])
}

/// The command-line D-Bus client found on PATH: dbus-send, else gdbus.
enum BusClient {
    DbusSend(PathBuf),
    Gdbus(PathBuf),
}

impl BusClient {
    fn find() -> Option<BusClient> {
        tool("dbus-send")
            .map(BusClient::DbusSend)
            .or_else(|| tool("gdbus").map(BusClient::Gdbus))
    }

    /// Call `method` of org.freedesktop.secrets at `object` with typed
    /// string `args` on the session bus: `Ok(Ok(reply))`, `Ok(Err(first
    /// line of the error))`, or `Err(())` when it did not answer in time.
    fn call(
        &self,
        object: &str,
        method: &str,
        args: &[(&str, &str)],
        env: &ProbeEnv,
    ) -> Result<Result<String, String>, ()> {
        let mut cmd = match self {
            BusClient::DbusSend(p) => {
                let mut c = Command::new(p);
                c.args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.secrets",
                ])
                .args([object, method])
                .args(args.iter().map(|(t, v)| format!("{t}:{v}")));
                c
            }
            BusClient::Gdbus(p) => {
                let mut c = Command::new(p);
                c.args(["call", "--session", "--dest", "org.freedesktop.secrets"])
                    .args(["--object-path", object, "--method", method])
                    .args(args.iter().map(|(_, v)| *v));
                c
            }
        };
        match run_with_deadline(&mut cmd, b"", env.timeout) {
            Ok(o) if o.status.success() => Ok(Ok(String::from_utf8_lossy(&o.stdout).to_string())),
            Ok(o) => Ok(Err(first_line(&o.stderr))),
            Err(_) => Err(()),
        }
    }
}

/// A boolean in either client's reply: dbus-send's `boolean true`,
/// gdbus's `(<true>,)`.
fn boolean(reply: &str) -> Option<bool> {
    if reply.contains("boolean true") || reply.contains("<true>") {
        Some(true)
    } else if reply.contains("boolean false") || reply.contains("<false>") {
        Some(false)
    } else {
        None
    }
}

/// The object path in a reply: dbus-send's `object path "/org/..."`,
/// gdbus's `(objectpath '/org/...',)`.
fn object_path(reply: &str) -> Option<String> {
    for (open, close) in [("object path \"", '"'), ("objectpath '", '\'')] {
        if let Some(at) = reply.find(open) {
            let rest = &reply[at + open.len()..];
            return Some(rest[..rest.find(close)?].to_string());
        }
    }
    None
}

#[cfg(unix)]
fn is_socket(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    p.metadata().is_ok_and(|m| m.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(_: &Path) -> bool {
    false
}
