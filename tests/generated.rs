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

/// Every command clap knows, as the words that run it (`["store", "set"]`),
/// nested ones included and clap's own `help` left out; the first is
/// dockercfg itself (no words).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&dockercfg::cli::command(), Vec::new(), &mut out);
    out
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
fn man_pages_are_current() {
    let pages = dockercfg::generate::man_pages();
    let problems = pages
        .iter()
        .filter_map(|(name, body)| check(&root().join("man").join(name), body))
        .collect();
    report(problems);
}

/// The `.SH` headings of a page, in order, without quotes.
fn sections(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect()
}

/// The text of section `name` (up to the next `.SH`).
fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let starts: Vec<usize> = text.match_indices("\n.SH ").map(|(i, _)| i + 1).collect();
    for (n, &i) in starts.iter().enumerate() {
        let line = text[i..].lines().next().unwrap();
        if line[4..].trim().trim_matches('"') == name {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            return &text[i..end];
        }
    }
    ""
}

/// roff back to plain text: font changes dropped, escapes undone.
fn plain(roff: &str) -> String {
    roff.replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\ ", " ")
        .replace("\\e", "\\")
}

/// Every page, for every command clap knows (new ones included): the
/// synopsis is the command as typed (`dockercfg logout`, not
/// `dockercfg-logout`) with each option's value name (`--match GLOB`); no
/// section appears twice (the help's "Exit status" and "Examples" become
/// the EXIT STATUS and EXAMPLES sections, not an EXTRA one beside them);
/// the global options are described on dockercfg(1) only, and a
/// subcommand's page names those it takes and points there.
#[test]
fn man_pages_show_the_command_as_typed_and_each_section_once() {
    let pages: std::collections::BTreeMap<String, Vec<u8>> =
        dockercfg::generate::man_pages().into_iter().collect();
    let mut cli = dockercfg::cli::command();
    cli.build();
    let paths = command_paths();
    assert_eq!(pages.len(), paths.len(), "one page per command");
    let globals: Vec<String> = cli
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| format!("--{}", a.get_long().unwrap()))
        .collect();
    for path in &paths {
        let name = format!(
            "{}.1",
            std::iter::once("dockercfg")
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("-")
        );
        let body = pages.get(&name).unwrap_or_else(|| panic!("no {name}"));
        let sub = (!path.is_empty()).then(|| path.join(" "));
        let mut page_cmd = cli.clone();
        for word in path {
            page_cmd = page_cmd.find_subcommand(word).unwrap().clone();
        }
        let text = String::from_utf8(body.clone()).unwrap();
        let heads = sections(&text);
        let mut seen = std::collections::HashSet::new();
        for h in &heads {
            assert!(
                seen.insert(h.to_uppercase()),
                "{name}: {h} twice: {heads:?}"
            );
        }
        for h in ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS"] {
            assert!(heads.iter().any(|x| x == h), "{name} lacks {h}: {heads:?}");
        }
        assert!(!heads.iter().any(|h| h == "EXTRA"), "{name}: {heads:?}");
        // The exit statuses are given in their section only (an option's
        // help may still mention "the exit status").
        let outside: String = heads
            .iter()
            .filter(|h| *h != "EXIT STATUS")
            .map(|h| section(&text, h))
            .collect();
        for line in outside.lines() {
            assert!(
                !line.trim_start().starts_with("Exit status") && !line.contains("Exit status:"),
                "{name}: exit statuses outside their section: {line}"
            );
        }
        let synopsis = plain(section(&text, "SYNOPSIS"));
        let typed = match &sub {
            Some(s) => format!("dockercfg {s}"),
            None => "dockercfg ".to_string(),
        };
        assert!(
            synopsis.lines().nth(3).unwrap().starts_with(&typed),
            "{name}: {synopsis}"
        );
        let own = |a: &&clap::Arg| !a.is_hide_set() && (sub.is_none() || !a.is_global_set());
        for a in page_cmd.get_arguments().filter(own) {
            let (Some(long), Some(values)) = (a.get_long(), a.get_value_names()) else {
                continue;
            };
            if !a.get_num_args().unwrap().takes_values() {
                continue;
            }
            let want = format!("--{long} {}", values.join(" "));
            assert!(
                synopsis.contains(&want),
                "{name}: no `{want}` in {synopsis}"
            );
        }
        let options = plain(section(&text, "OPTIONS"));
        match &sub {
            None => {
                let global = plain(section(&text, "GLOBAL OPTIONS"));
                for g in &globals {
                    assert!(
                        global.contains(&format!("\n{g}")),
                        "{name}: {g} not described"
                    );
                    assert!(!options.contains(g.as_str()), "{name}: {g} in OPTIONS");
                }
            }
            Some(_) => {
                for g in &globals {
                    assert!(
                        !options.contains(&format!("\n{g}")),
                        "{name}: {g} described again"
                    );
                }
                let reference = plain(section(&text, "GLOBAL OPTIONS"));
                assert!(
                    reference.is_empty() || reference.contains("dockercfg(1)"),
                    "{name}: {reference}"
                );
                assert!(
                    plain(section(&text, "SEE ALSO")).contains("dockercfg(1)"),
                    "{name}"
                );
                // The page names the global options its help shows.
                let help = page_cmd.clone().render_long_help().to_string();
                for g in &globals {
                    let shown = help.contains(&format!("      {g}"));
                    assert_eq!(
                        reference.contains(g.as_str()),
                        shown,
                        "{name}: {g} in the help {shown}, on the page {}",
                        !shown
                    );
                }
            }
        }
    }
}

/// Pages render without warnings, where man(1) is installed.
#[test]
fn man_pages_render_with_man() {
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: man is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pages: std::collections::BTreeMap<String, Vec<u8>> =
        dockercfg::generate::man_pages().into_iter().collect();
    for words in command_paths() {
        let typed = std::iter::once("dockercfg")
            .chain(words.iter().map(String::as_str))
            .collect::<Vec<_>>();
        let name = format!("{}.1", typed.join("-"));
        let body = &pages[&name];
        let path = dir.path().join(&name);
        std::fs::write(&path, body).unwrap();
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("MAN_KEEP_FORMATTING", "0")
            .env_remove("MANROFFOPT")
            .output()
            .unwrap();
        // Bold and underline come as overstrikes (`N\x08N`): drop them.
        let mut text = String::new();
        for c in String::from_utf8_lossy(&out.stdout).chars() {
            if c == '\x08' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "{name}: {err}"
        );
        let synopsis = text.split("SYNOPSIS").nth(1).expect(&text);
        assert!(
            synopsis.trim_start().starts_with(&typed.join(" ")),
            "{name}: {synopsis}"
        );
    }
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
    // Every command clap knows, so a new one gets its snapshot.
    for path in command_paths() {
        let mut cmd = env.cmd();
        cmd.args(&path);
        let out = cmd.arg("--help").env("COLUMNS", "100").output().unwrap();
        assert!(out.status.success(), "{path:?} --help");
        let name = std::iter::once("dockercfg")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("-");
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

/// Hiding global options from a command's help changes no parse: the
/// binary takes them before or after the command, hidden or not.
#[test]
fn global_options_parse_before_and_after_any_command() {
    let env = common::TestEnv::new();
    let dir = env.home().join("other");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"auths": {"only-here.io": {"auth": "dTpw"}}}"#,
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let before = env
        .cmd()
        .args(["--config", d, "list", "-q"])
        .output()
        .unwrap();
    let after = env
        .cmd()
        .args(["list", "-q", "--config", d])
        .output()
        .unwrap();
    assert!(before.status.success(), "{before:?}");
    assert_eq!(String::from_utf8_lossy(&before.stdout), "only-here.io\n");
    assert_eq!(before.stdout, after.stdout);
    for args in [
        vec!["completions", "bash"],
        vec!["completions", "bash", "--config", d],
        vec![
            "--config",
            d,
            "--helper-timeout",
            "5",
            "completions",
            "bash",
        ],
        vec!["version", "--lock-timeout", "3"],
    ] {
        let o = env.cmd().args(&args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {o:?}");
    }
    let o = env
        .cmd()
        .args(["version", "--helper-timeout", "0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
