//! Step 3: the helper: on PATH (and a Windows `.exe` in WSL), runnable,
//! answering `get` within the timeout; its exit status and stderr as
//! captured by `HelperClient::get_report` (secrets cut out) when the
//! resolver's trace asked it: the helper is asked once, not again here.

use std::path::PathBuf;

use super::report::{Check, Status, HELPER};
use super::route::Asked;
use crate::context::Context;
use crate::helper::{find_program, program_name, HelperError};
use crate::hints;

/// Step 3 for a helper the trace asked, from what that one `get` gave:
/// its result, exit status, stderr and timing. Asking again would double
/// the wait on a slow store, prompt twice for an unlock, and could report
/// a different answer than the one the trace judged.
pub fn check(reg: &str, asked: &Asked, ctx: &Context) -> Vec<Check> {
    let label = Some(reg);
    let (name, key, store_wide) = (asked.name, asked.server_url, asked.store_wide);
    let program = program_name(name);
    let fail = |message: String| Check::new(label, HELPER, Status::Fail, message);
    let Some(path) = find_program(&program) else {
        return vec![not_on_path(reg, &program, ctx)];
    };
    let report = asked.details;
    let took = format!("{:.2}s", report.elapsed.as_secs_f64());
    let exit = match report.exit_code {
        Some(c) => format!("exit {c}"),
        None => "killed by a signal".into(),
    };
    let stderr = if report.stderr.is_empty() {
        String::new()
    } else {
        format!("; stderr: {}", report.stderr)
    };
    let shown = path.display();
    let check = match asked.error {
        None => Check::new(
            label,
            HELPER,
            Status::Ok,
            format!(
                "{shown} answered get for {key} in {took} ({exit}), user {}{stderr}",
                asked.username.unwrap_or_default()
            ),
        ),
        Some(HelperError::NotFound { .. }) => {
            let (said, hint) = if report.empty_answer {
                (
                    "an empty username and secret (exit 0)".to_string(),
                    hints::empty_answer(name),
                )
            } else {
                (
                    format!("\"{}\" ({exit})", crate::helper::NOT_FOUND_MESSAGE),
                    hints::for_message(name, crate::helper::NOT_FOUND_MESSAGE, store_wide)
                        .expect("the not-found message is known"),
                )
            };
            fail(format!(
                "{program} has nothing for {key}: it answered {said}{stderr}; {}: docker sends no \
                 credentials (it does not fall back to the file); {}",
                hint.cause, hint.advice
            ))
            .fix(Some(ctx.command(&["login", reg])))
        }
        Some(HelperError::TimedOut { secs, .. }) => timed_out(reg, &program, key, *secs),
        Some(HelperError::Failed { message, .. }) => {
            let mut text = format!("{program} get for {key} failed ({exit}): {message}{stderr}");
            let hint = hints::for_message(name, message, store_wide)
                .or_else(|| hints::for_message(name, &report.stderr, store_wide));
            let fix = match hint {
                Some(h) => {
                    text.push_str(&format!("; cause: {}; {}", h.cause, h.advice));
                    h.command.map(|c| c.render(ctx))
                }
                None => None,
            };
            fail(text).fix(fix)
        }
        Some(HelperError::Unrunnable { path, detail, .. }) => {
            fail(format!("{program} is at {path} but cannot run: {detail}"))
        }
        Some(e @ HelperError::Spawn { detail, .. }) => {
            let mut text = e.to_string();
            if let Some(h) = hints::for_message(name, detail, store_wide) {
                text.push_str(&format!("; cause: {}; {}", h.cause, h.advice));
            }
            fail(text)
        }
        Some(e) => fail(format!("{e} ({exit}){stderr}")),
    };
    vec![check]
}

fn timed_out(reg: &str, program: &str, key: &str, secs: f64) -> Check {
    Check::new(
        Some(reg),
        HELPER,
        Status::Fail,
        format!(
            "{program} did not answer get for {key} within {secs}s (killed): a store waiting for an \
             unlock prompt or a passphrase nobody sees hangs docker the same way (--helper-timeout \
             sets the wait)"
        ),
    )
}

/// The helper is not an executable on PATH: say what is there instead.
fn not_on_path(reg: &str, program: &str, ctx: &Context) -> Check {
    let label = Some(reg);
    if let Some(p) = on_path_not_executable(program) {
        let shown = p.display().to_string();
        return Check::new(
            label,
            HELPER,
            Status::Fail,
            format!("{shown} is on PATH but not executable: docker cannot run it"),
        )
        .fix(Some(crate::shell::command(&["chmod", "+x", &shown])));
    }
    // In WSL, Docker Desktop's helpers are Windows programs: the config
    // must name `desktop.exe`, and docker looks for exactly that name.
    let exe = format!("{program}.exe");
    if find_program(&exe).is_some() {
        return Check::new(
            label,
            HELPER,
            Status::Fail,
            format!(
                "{program} is not on PATH, but {exe} is: in WSL the config must name the helper \
                 with .exe ({}.exe), as Docker Desktop writes it",
                crate::helper::helper_name(program)
            ),
        );
    }
    Check::new(
        label,
        HELPER,
        Status::Fail,
        format!(
            "{program} is not on PATH: docker fails every pull and push of {reg} with \"executable \
             file not found\"; install it, or drop the login from the file"
        ),
    )
    .fix(Some(ctx.command(&["logout", "--file-only", reg])))
}

/// A file named `program` in a PATH directory that has no execute bit.
fn on_path_not_executable(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}
