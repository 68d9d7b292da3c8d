//! Completions, man pages and help texts are generated from the clap
//! definition; the checked-in copies must match. To rewrite them after a
//! change to the CLI: `UPDATE_GENERATED=1 cargo test --test generated`.
mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some()
}

/// Compare `path` with `want`, or rewrite it when updating. Returns a
/// description of the mismatch.
fn check(path: &Path, want: &[u8]) -> Option<String> {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
        return None;
    }
    match std::fs::read(path) {
        Ok(have) if have == want => None,
        Ok(_) => Some(format!("{} is out of date", path.display())),
        Err(_) => Some(format!("{} is missing", path.display())),
    }
}

fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{}\nrun: UPDATE_GENERATED=1 cargo test --test generated",
        problems.join("\n")
    );
}

#[test]
fn completions_are_current() {
    let problems = dockercfg::generate::SHELLS
        .iter()
        .filter_map(|(shell, file)| {
            check(
                &root().join("completions").join(file),
                &dockercfg::generate::completions(*shell),
            )
        })
        .collect();
    report(problems);
}

#[test]
fn man_pages_are_current_and_carry_the_extra_sections() {
    let pages = dockercfg::generate::man_pages();
    assert!(
        pages.len() >= 8,
        "one page per subcommand plus the main one"
    );
    for (name, body) in &pages {
        let text = String::from_utf8_lossy(body);
        for section in [
            ".SH EXIT STATUS",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
            "DOCKERCFG_HELPER_TIMEOUT",
            "NO_COLOR",
        ] {
            assert!(text.contains(section), "{name} lacks {section}");
        }
    }
    let problems = pages
        .iter()
        .filter_map(|(name, body)| check(&root().join("man").join(name), body))
        .collect();
    report(problems);
}

#[test]
fn completions_command_prints_the_same_scripts() {
    let env = common::TestEnv::new();
    for (shell, name) in [
        ("bash", clap_complete::Shell::Bash),
        ("zsh", clap_complete::Shell::Zsh),
    ] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, dockercfg::generate::completions(name));
    }
}

/// `--help` of each command, as a reviewed snapshot in tests/snapshots/.
#[test]
fn help_texts_match_their_snapshots() {
    let env = common::TestEnv::new();
    let mut problems = Vec::new();
    let subs = [
        "",
        "list",
        "login",
        "logout",
        "migrate",
        "audit",
        "fix-perms",
        "get",
        "completions",
        "explain",
        "doctor",
        "export",
        "exec",
        "sync",
        "version",
    ];
    for sub in subs {
        let mut cmd = env.cmd();
        if !sub.is_empty() {
            cmd.arg(sub);
        }
        let out = cmd.arg("--help").env("COLUMNS", "100").output().unwrap();
        assert!(out.status.success(), "{sub} --help");
        let name = if sub.is_empty() {
            "dockercfg".to_string()
        } else {
            format!("dockercfg-{sub}")
        };
        if let Some(p) = check(
            &root()
                .join("tests/snapshots")
                .join(format!("{name}.help.txt")),
            &out.stdout,
        ) {
            problems.push(p);
        }
    }
    report(problems);
}
