//! The layers hold (ARCHITECTURE.md): no command module reaches into
//! another command's module, `output`, `cli` and `layout` know no command,
//! and the domain (`src/logins/`) neither knows the commands nor prints.
//! The source is read as text, so adding such a path back fails here.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The code of a line, without a trailing `//` comment (doc comments may
/// name other modules).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// Each `prefix<name>` in `text`, with the line number.
fn paths_after<'a>(text: &'a str, prefix: &str) -> Vec<(usize, &'a str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = code(line);
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            found.push((n + 1, &rest[..end]));
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The command modules: `src/commands/<name>.rs` or `src/commands/<name>/`.
fn commands() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(src().join("commands"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .filter(|n| n != "mod")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Where `text` (the file `file` of command `own`) names another command.
fn cross_command_paths(own: &str, top_level: bool, file: &str, text: &str) -> Vec<String> {
    let commands = commands();
    let mut bad = Vec::new();
    for (n, name) in paths_after(text, "crate::commands::") {
        if name != own {
            bad.push(format!("{file}:{n}: crate::commands::{name}"));
        }
    }
    for (n, _) in paths_after(text, "super::super") {
        bad.push(format!("{file}:{n}: super::super (the commands module)"));
    }
    if top_level {
        // In src/commands/<own>.rs, `super` is the commands module itself.
        for (n, name) in paths_after(text, "super::") {
            if commands.iter().any(|c| c == name) {
                bad.push(format!("{file}:{n}: super::{name}"));
            }
        }
    }
    bad
}

#[test]
fn no_command_module_imports_another() {
    let root = src().join("commands");
    let mut bad = Vec::new();
    for path in rust_files(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        let own = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap()
            .trim_end_matches(".rs");
        if own == "mod" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let file = path.display().to_string();
        bad.extend(cross_command_paths(
            own,
            rel.components().count() == 1,
            &file,
            &text,
        ));
    }
    assert!(
        bad.is_empty(),
        "command modules reach into other commands (move the shared code \
         into src/logins/ or another lower module):\n{}",
        bad.join("\n")
    );
}

#[test]
fn lower_modules_know_no_command() {
    let mut files = vec![
        src().join("output.rs"),
        src().join("cli.rs"),
        src().join("layout.rs"),
    ];
    files.extend(rust_files(&src().join("logins")));
    let mut bad = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (n, name) in paths_after(&text, "commands::") {
            bad.push(format!("{}:{n}: commands::{name}", path.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "lower modules name a command:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_domain_never_prints() {
    let mut bad = Vec::new();
    for path in rust_files(&src().join("logins")) {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let c = code(line);
            if ["output::", "println!", "eprintln!", "print!(", "eprint!("]
                .iter()
                .any(|p| c.contains(p))
            {
                bad.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "src/logins/ prints (return warnings instead):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checks_catch_what_they_look_for() {
    // The scanner itself, on text that breaks each rule.
    let bad = cross_command_paths(
        "audit",
        true,
        "audit.rs",
        "use crate::commands::list::Login;\nuse super::get::x; // fine: super::list in a comment\nuse crate::commands::audit::y;\n",
    );
    assert_eq!(
        bad,
        [
            "audit.rs:1: crate::commands::list",
            "audit.rs:2: super::get"
        ]
    );
    let bad = cross_command_paths(
        "migrate",
        false,
        "migrate/plan.rs",
        "use super::super::list;\nuse super::Plan;\n",
    );
    assert_eq!(
        bad,
        ["migrate/plan.rs:1: super::super (the commands module)"]
    );
}
