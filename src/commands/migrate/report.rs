//! What migrate shows: progress on stderr while helpers run, then the plan
//! or the result (a table, or `--json`) and a summary naming what failed.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::apply::{Outcome, Rewritten};
use super::{Action, Edit, Item, Plan, Row, Status};
use crate::cli::MigrateArgs;
use crate::context::Context;
use crate::output;

/// Progress on stderr: a bar on a terminal, a line per login on a pipe,
/// nothing with --quiet.
pub(super) enum Progress {
    Bar(ProgressBar),
    Lines {
        done: AtomicUsize,
        total: AtomicUsize,
    },
    Off,
}

pub(super) fn progress(args: &MigrateArgs, ctx: &Context) -> Progress {
    // In a pipe the report on stdout lists every login with its status:
    // a line per login on stderr too would show each one twice (#14).
    if args.quiet || !ctx.stderr_is_terminal {
        Progress::Off
    } else if ctx.stderr_is_terminal {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("migrating {bar:30} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress::Bar(bar)
    } else {
        Progress::Lines {
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }
}

impl Progress {
    pub(super) fn start(&self, total: usize) {
        match self {
            Progress::Bar(b) => b.set_length(total as u64),
            Progress::Lines { total: t, .. } => t.store(total, Ordering::Relaxed),
            Progress::Off => {}
        }
    }

    pub(super) fn finished(&self, registry: &str, outcome: &Outcome) {
        match self {
            Progress::Bar(b) => {
                b.set_message(output::escape(registry).into_owned());
                b.inc(1);
            }
            Progress::Lines { done, total } => {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let what = match outcome {
                    Outcome::Verified => "moved",
                    Outcome::Failed(_) => "failed",
                };
                output::note(&format!(
                    "[{n}/{}] {}: {what}",
                    total.load(Ordering::Relaxed),
                    output::escape(registry)
                ));
            }
            Progress::Off => {}
        }
    }

    pub(super) fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

pub(super) fn report(
    args: &MigrateArgs,
    ctx: &Context,
    plan: &Plan,
    done: Option<&Rewritten>,
) -> Result<()> {
    let rows: Vec<&Row> = plan.items.iter().map(|i| &i.row).collect();
    // Logins no flag chose (no store routes them): counted, not listed.
    let unselected = |r: &Row| r.status == Status::Skipped && r.to.is_none();
    let others = rows.iter().filter(|r| unselected(r)).count();
    if args.json {
        output::print_json(&rows)?;
    } else if !args.quiet && rows.len() > others {
        let mut t = output::table(
            ctx,
            &["REGISTRY", "USERNAME", "FROM", "TO", "STATUS", "NOTE"],
        );
        for r in rows.iter().filter(|r| !unselected(r)) {
            let status = match r.status {
                Status::Planned => "planned",
                Status::Migrated => "migrated",
                Status::Dropped => "dropped",
                Status::Skipped => "skipped",
                Status::Failed => "failed",
            };
            let to = r.to.as_deref().unwrap_or("the store");
            let note = match (r.status, r.action) {
                (Status::Planned | Status::Dropped, Some(Action::DropStale)) => {
                    format!("stale copy; {to}'s login is kept")
                }
                (Status::Planned | Status::Migrated, Some(Action::Stored)) => {
                    format!("already in {to}")
                }
                _ => r.error.clone().unwrap_or_default(),
            };
            t.add_row(vec![
                output::cell(&r.registry),
                output::cell(r.username.as_deref().unwrap_or("-")),
                output::cell(r.from),
                output::cell(r.to.as_deref().unwrap_or("-")),
                output::cell(status),
                output::problem_cell(&note, ctx),
            ]);
        }
        output::print_table(&t);
    }
    if !args.json && !args.quiet && others > 0 {
        output::note(&format!(
            "{others} other login{} not selected (left in plaintext; --store NAME moves every login)",
            if others == 1 { "" } else { "s" }
        ));
    }

    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    let dry = done.is_none();
    if !args.quiet {
        if let Some(done) = done {
            for e in &done.applied {
                output::note(&format!("Set {}.", e.describe()));
            }
            output::note(&format!(
                "Moved {} login(s) out of {}.",
                count(Status::Migrated),
                ctx.config_path.display()
            ));
            if count(Status::Dropped) > 0 {
                output::note(&format!(
                    "Dropped {} stale plaintext cop{} (the store's login is kept).",
                    count(Status::Dropped),
                    if count(Status::Dropped) == 1 {
                        "y"
                    } else {
                        "ies"
                    }
                ));
            }
        } else {
            let staying = |i: usize| plan.items[i].row.status != Status::Planned;
            let (edits, _) = super::routing(&plan.edits, &plan.items, &staying);
            let keys: Vec<String> = edits.iter().map(Edit::describe).collect();
            let then = if keys.is_empty() {
                String::new()
            } else {
                format!(" and set {}", keys.join(", "))
            };
            let planned = |a: Action| {
                rows.iter()
                    .filter(|r| r.status == Status::Planned && r.action == Some(a))
                    .count()
            };
            let drops = match planned(Action::DropStale) {
                0 => String::new(),
                1 => ", drop 1 stale plaintext copy".to_string(),
                n => format!(", drop {n} stale plaintext copies"),
            };
            output::note(&format!(
                "Dry run: would move {} login(s) into their stores{drops}{then}. Nothing was \
                 changed.",
                planned(Action::Store) + planned(Action::Stored)
            ));
        }
    }
    let stuck: Vec<&Item> = plan
        .items
        .iter()
        .filter(|i| i.row.status == Status::Failed || i.stuck)
        .collect();
    if !stuck.is_empty() {
        let list: Vec<String> = stuck
            .iter()
            .map(|i| {
                format!(
                    "  {}: {}",
                    output::escape(&i.row.registry),
                    output::escape(i.row.error.as_deref().unwrap_or("failed"))
                )
            })
            .collect();
        output::warn(&format!(
            "{} of {} login(s) {} in plaintext in {}:\n{}",
            stuck.len(),
            rows.len(),
            if dry { "would stay" } else { "stay" },
            ctx.file_label(),
            list.join("\n")
        ));
        if let Some(done) = done.filter(|d| !d.hidden.is_empty()) {
            output::warn(&format!(
                "{} looks up {} in a credential helper, not in {}, so it does not use that \
                 plaintext: fix the cause and run `{}` again",
                match ctx.flavor {
                    crate::context::Flavor::Docker => "docker",
                    crate::context::Flavor::Containers => "podman",
                },
                done.hidden.join(", "),
                ctx.file_label(),
                ctx.command(&["migrate"])
            ));
        }
    }
    Ok(())
}
