//! doctor's checks as data, and the two ways they are shown: a checklist a
//! person reads (the failures first, each with its fix) and `--json`.

use serde::Serialize;

use crate::context::Context;
pub use crate::health::Status;
use crate::output;

/// The steps, in the order a client meets them.
pub const FILE: &str = "file";
pub const SOURCE: &str = "source";
pub const HELPER: &str = "helper";
pub const STORE: &str = "store";
pub const CREDENTIAL: &str = "credential";

/// One check. The keys of `--json` are a stable interface.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The registry the check is about; null for the file and the stores.
    pub registry: Option<String>,
    /// `file`, `source`, `helper`, `store` or `credential`.
    pub step: &'static str,
    pub status: Status,
    pub message: String,
    /// A command that fixes it, quoted for a POSIX shell, or null.
    pub fix: Option<String>,
}

impl Check {
    pub fn new(
        registry: Option<&str>,
        step: &'static str,
        status: Status,
        message: String,
    ) -> Check {
        Check {
            registry: registry.map(str::to_string),
            step,
            status,
            message,
            fix: None,
        }
    }

    pub fn fix(mut self, fix: Option<String>) -> Check {
        self.fix = fix;
        self
    }
}

#[derive(Serialize)]
struct Json<'a> {
    checks: &'a [Check],
}

pub fn print_json(checks: &[Check]) -> anyhow::Result<()> {
    output::print_json(&Json { checks })
}

/// The checklist: failures, then warnings, then what works, each group in
/// the client's order; a fix on the line under its check.
pub fn print_human(checks: &[Check], ctx: &Context) {
    let mut order: Vec<&Check> = checks.iter().collect();
    order.sort_by_key(|c| c.status);
    let mut lines = Vec::new();
    for c in order {
        let (mark, colour) = match c.status {
            Status::Ok => ("✓", "32"),
            Status::Warn => ("!", "33"),
            Status::Fail => ("✗", "31"),
        };
        let mark = if ctx.color {
            format!("\x1b[{colour}m{mark}\x1b[0m")
        } else {
            mark.to_string()
        };
        let about = match &c.registry {
            Some(r) => format!("{} {}", c.step, output::escape(r)),
            None => c.step.to_string(),
        };
        let fix = c
            .fix
            .as_ref()
            .map(|f| format!("fix: {}", output::escape(f)));
        match ctx.width {
            // A terminal: the message wrapped under its head line, the fix
            // whole on its own line (a command is never broken).
            Some(width) => lines.extend(
                output::Block {
                    head: format!("{mark} {about}"),
                    text: output::escape(&c.message).into_owned(),
                    whole: fix.into_iter().collect(),
                }
                .lines(width),
            ),
            // A pipe: one line per check (and one per fix), stable for grep.
            None => {
                lines.push(format!("{mark} {about}: {}", output::escape(&c.message)));
                lines.extend(fix.map(|f| format!("    {f}")));
            }
        }
    }
    let (fails, warns) = (
        checks.iter().filter(|c| c.status == Status::Fail).count(),
        checks.iter().filter(|c| c.status == Status::Warn).count(),
    );
    lines.push(String::new());
    lines.push(match (fails, warns) {
        (0, 0) => format!("{} checks passed", checks.len()),
        (0, w) => format!("no failures, {w} warning(s)"),
        (f, w) => format!("{f} failure(s), {w} warning(s)"),
    });
    output::print_lines(&lines);
}
