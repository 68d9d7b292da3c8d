//! How results look: tables for people, JSON for scripts, and the one style
//! for warnings and notes on stderr. Commands return data; this decides the
//! rendering, so `--json` and the table cannot drift apart.

use std::io::Write;

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::commands::list::Login;
use crate::context::Context;

/// `dockercfg: warning: ...` on stderr.
pub fn warn(msg: &str) {
    eprintln!("dockercfg: warning: {msg}");
}

/// A plain informational line on stderr (never data).
pub fn note(msg: &str) {
    eprintln!("{msg}");
}

/// Pretty JSON on stdout, with a final newline.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    // Into memory first: the pretty printer makes many tiny writes, which a
    // Vec takes faster than a BufWriter (10,000 logins are ~2 MB).
    let mut buf = Vec::with_capacity(4096);
    serde_json::to_writer_pretty(&mut buf, value)?;
    buf.push(b'\n');
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(())
}

/// A table with docker's plain column look, fitted to the terminal.
pub fn table(ctx: &Context, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    if ctx.stdout_is_terminal {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
    }
    if ctx.color {
        t.enforce_styling();
    }
    t.set_header(header.iter().map(Cell::new));
    for c in t.column_iter_mut() {
        c.set_padding((0, 2));
    }
    t
}

/// Print a table and a final newline, trimming the padding at line ends.
pub fn print_table(t: &Table) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in t.lines() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// A cell that is red on a colour terminal.
pub fn problem_cell(text: &str, ctx: &Context) -> Cell {
    let c = Cell::new(text);
    if ctx.color && !text.is_empty() {
        c.fg(Color::Red)
    } else {
        c
    }
}

pub fn print_logins(logins: &[Login], ctx: &Context) {
    let mut t = table(ctx, &["REGISTRY", "USERNAME", "STORE", "KIND", "PROBLEM"]);
    for l in logins {
        t.add_row(vec![
            Cell::new(&l.registry),
            Cell::new(l.username.as_deref().unwrap_or("-")),
            Cell::new(l.helper.as_deref().unwrap_or("file")),
            Cell::new(l.kind.label()),
            problem_cell(l.error.as_deref().unwrap_or(""), ctx),
        ]);
    }
    print_table(&t);
}
