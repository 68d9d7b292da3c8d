//! How results look: tables for people, JSON for scripts, and the one style
//! for warnings and notes on stderr. Commands return data; this decides the
//! rendering, so `--json` and the table cannot drift apart.
//!
//! Text from outside (registry keys, usernames, helper messages, registry
//! error bodies) may hold control characters: an escape sequence could fake
//! "Login Succeeded" or clear the screen, a `\r\n` in a key could forge a
//! row of `list`. [`escape`] renders them visibly; every table cell goes
//! through it ([`cell`]), and warnings, notes and errors through
//! [`escape_message`]. JSON output is left exact (JSON escapes them itself).

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::context::Context;
pub use crate::layout::{Block, Cell, Table};

/// Whether a terminal could act on `c` rather than show it: C0 controls
/// (tab and newline included), DEL, C1 controls, and the invisible
/// direction marks and overrides that reorder what is shown (U+061C,
/// U+200E/F, U+202A-E, U+2066-9), and the line/paragraph separators.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_unsafe_char`] written out: `\n`, `\r`, `\t`, `\x1b`
/// for C0 and DEL, `\u{85}` for the rest. Printable text is untouched, so
/// escaping twice is escaping once.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_but(s, None)
}

/// [`escape`], keeping `\n`: for messages whose own lines are deliberate
/// (outside text in them should be [`escape`]d where it is put in).
pub fn escape_message(s: &str) -> Cow<'_, str> {
    escape_but(s, Some('\n'))
}

fn escape_but(s: &str, keep: Option<char>) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe_char(c) && Some(c) != keep;
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !bad(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `dockercfg: warning: ...` on stderr, fitted to the terminal when stderr
/// is one (see [`fit`]).
pub fn warn(msg: &str) {
    fitted(&format!("dockercfg: warning: {}", escape_message(msg)));
}

/// A plain informational line on stderr (never data), fitted to the
/// terminal when stderr is one (see [`fit`]).
pub fn note(msg: &str) {
    fitted(&escape_message(msg));
}

fn fitted(text: &str) {
    match stderr_width() {
        Some(width) => eprintln!("{}", fit(text, width)),
        None => eprintln!("{text}"),
    }
}

/// The width of the terminal on stderr; None when stderr is not a
/// terminal, where lines stay whole for grep.
fn stderr_width() -> Option<usize> {
    use std::io::IsTerminal;
    std::io::stderr()
        .is_terminal()
        .then(|| crate::context::terminal_width(true))
}

/// `text` for a terminal `width` columns wide: a line wider than that is
/// broken at spaces, keeping its indent on the lines it continues on. A
/// `command in backticks` is never broken (it is there to be copied), nor
/// is a word (a registry name, a path); one wider than the terminal gets a
/// line of its own. The terminal would otherwise break lines mid-word.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    for line in text.split('\n') {
        if line.width() <= width {
            out.push(line.to_string());
            continue;
        }
        let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
        let mut current = indent.to_string();
        for piece in unbreakable(line.trim_start_matches(' ')) {
            let fresh = current.len() == indent.len();
            if !fresh && current.width() + 1 + piece.width() > width {
                out.push(std::mem::replace(&mut current, indent.to_string()));
            } else if !fresh {
                current.push(' ');
            }
            current.push_str(piece);
        }
        out.push(current);
    }
    out.join("\n")
}

/// The pieces of `line` that may not be broken: words, and spans in
/// backticks (with whatever is glued to them, such as a final period).
fn unbreakable(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut start, mut quoted) = (None, false);
    for (i, c) in line.char_indices() {
        match c {
            '`' => quoted = !quoted,
            ' ' if !quoted => {
                if let Some(s) = start.take() {
                    pieces.push(&line[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        pieces.push(&line[s..]);
    }
    pieces
}

/// `dockercfg: error: ...` on stderr, for main: always one line (the
/// README promises a single line that scripts can grep), never fitted.
pub fn error(e: &anyhow::Error) {
    eprintln!("dockercfg: error: {}", escape_message(&format!("{e:#}")));
}

/// A table cell holding `text` with control characters escaped.
pub fn cell(text: &str) -> Cell {
    Cell::new(escape(text))
}

/// [`cell`] of a text already owned: no copy unless it needs escaping.
pub fn cell_owned(text: String) -> Cell {
    match escape(&text) {
        Cow::Borrowed(_) => Cell::new(text),
        Cow::Owned(e) => Cell::new(e),
    }
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

/// A table with docker's plain column look, fitted to the terminal: key
/// columns whole, the last (free text) column truncated or moved under its
/// row on a terminal; the stable columnar form on a pipe (see `layout`).
pub fn table(ctx: &Context, header: &[&str]) -> Table {
    Table::new(header, ctx.width, ctx.color)
}

/// Print a table's lines on stdout.
pub fn print_table(t: &Table) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(t.text().as_bytes());
    let _ = out.flush();
}

/// Print lines on stdout, each with a line end, in one write.
pub fn print_lines(lines: &[String]) {
    let mut buf = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        buf.push_str(l);
        buf.push('\n');
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(buf.as_bytes());
    let _ = out.flush();
}

/// A cell that is red on a colour terminal.
pub fn problem_cell(text: &str, _ctx: &Context) -> Cell {
    Cell::problem(escape(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_breaks_at_spaces_and_never_inside_a_quoted_command() {
        let cmd = "`dockercfg store set --registry REGISTRY pass`";
        let text = format!("dockercfg: warning: podman reads config.json but never credsStore: name the helper per registry instead: {cmd}.");
        let fitted = fit(&text, 40);
        for l in fitted.lines() {
            assert!(l.len() <= 40 || l.contains(cmd), "{l:?} in {fitted}");
        }
        assert!(fitted.lines().any(|l| l == format!("{cmd}.")), "{fitted}");
        assert_eq!(fitted.replace('\n', " "), text);
        // Short lines, and their spacing, are left alone; an indent is kept.
        assert_eq!(fit("a  b\n  c", 40), "a  b\n  c");
        assert_eq!(fit("  one two three", 9), "  one two\n  three");
        // A word wider than the terminal stays whole on its own line.
        assert_eq!(
            fit("see registry.example.com now", 10),
            "see\nregistry.example.com\nnow"
        );
    }

    #[test]
    fn escape_shows_control_characters() {
        assert_eq!(escape("ghcr.io"), "ghcr.io");
        assert_eq!(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape("a\r\nb\t"), "a\\r\\nb\\t");
        assert_eq!(escape("\0\x7f"), "\\x00\\x7f");
        assert_eq!(escape("\u{9b}31m\u{202e}x"), "\\u{9b}31m\\u{202e}x");
        assert_eq!(escape("é ü 日本"), "é ü 日本");
        let once = escape("k\x1b\n").into_owned();
        assert_eq!(escape(&once), once);
        assert_eq!(escape_message("a\nb\rc"), "a\nb\\rc");
    }
}
