//! Human output under a real pseudo-terminal (80x24 and 120x40, set with
//! TIOCSWINSZ on a pty the binary owns as its controlling terminal) over the
//! messy-config corpus in tests/corpus/: no registry, username, finding code
//! or fix command is ever split across lines, and the 80-column output is a
//! reviewed snapshot in tests/snapshots/terminal/
//! (`UPDATE_GENERATED=1 cargo test --test terminal` rewrites it).
mod common;

use std::path::{Path, PathBuf};

use common::pty;
use common::tokens::{ecr, jwt, now};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus file with its time placeholders filled in relative to now.
/// The extra 30 s keep "2d 5h" and "11h 30m" stable while the test runs.
fn corpus(name: &str) -> String {
    let t = now();
    std::fs::read_to_string(root().join("tests/corpus").join(name))
        .unwrap()
        .replace(
            "@AUTH_JWT_EXPIRED@",
            &common::auth("ci-bot", &jwt(t - (2 * 86_400 + 5 * 3_600) - 30)),
        )
        .replace("@JWT_VALID@", &jwt(t + 11 * 3_600 + 30 * 60 + 30))
        .replace(
            "@AUTH_ECR_EXPIRED@",
            &common::auth("AWS", &ecr(t - 3 * 3_600 - 30)),
        )
        .replace(
            "@AUTH_ECR_VALID@",
            &common::auth("AWS", &ecr(t + 11 * 3_600 + 30)),
        )
}

fn corpus_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/corpus"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.ends_with(".json").then_some(n)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 6, "the corpus is in tests/corpus/");
    names
}

/// A HOME of fixed length (/tmp/dcfg-pty-XXXXXX), so paths in messages
/// wrap the same way on every machine; shown as `~` in snapshots.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(config: &str) -> Home {
        let dir = tempfile::Builder::new()
            .prefix("dcfg-pty-")
            .rand_bytes(6)
            .tempdir_in("/tmp")
            .unwrap();
        let cfg = dir.path().join(".docker");
        std::fs::create_dir(&cfg).unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        common::set_mode(&cfg, 0o700);
        std::fs::write(cfg.join("config.json"), config).unwrap();
        common::set_mode(&cfg.join("config.json"), 0o600);
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("dockercfg"));
        c.args(args)
            .env_clear()
            .env("HOME", self.path())
            .env("PATH", self.path().join("bin"))
            .env("TERM", "xterm-256color")
            .env("NO_COLOR", "1")
            .env("LANG", "C.UTF-8");
        c
    }

    /// The command's output under a `cols`-wide terminal.
    fn pty(&self, args: &[&str], cols: u16, rows: u16) -> String {
        pty::run(self.cmd(args), cols, rows).text
    }

    /// The command's stdout on a pipe.
    fn pipe(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    }
}

/// `needle` appears whole within one line of `text`.
fn on_one_line(text: &str, needle: &str) -> bool {
    text.lines().any(|l| l.contains(needle))
}

fn check_whole(what: &str, text: &str, needles: &[String]) {
    for n in needles {
        assert!(
            on_one_line(text, n),
            "{what}: {n:?} is not whole on one line in:\n{text}"
        );
    }
}

/// Registries and usernames of `list --json`, fixes and codes of `audit --json`.
fn facts(home: &Home) -> (Vec<String>, Vec<String>) {
    let list: Value = serde_json::from_str(&home.pipe(&["list", "--json"])).unwrap();
    let mut keys = Vec::new();
    for l in list.as_array().unwrap() {
        keys.push(l["registry"].as_str().unwrap().to_string());
        if let Some(u) = l["username"].as_str() {
            keys.push(u.to_string());
        }
    }
    let audit: Value = serde_json::from_str(&home.pipe(&["audit", "--json"])).unwrap();
    let mut fixes = Vec::new();
    for f in audit.as_array().unwrap() {
        fixes.push(f["code"].as_str().unwrap().to_string());
        if let Some(r) = f["registry"].as_str() {
            fixes.push(r.to_string());
        }
        if let Some(fix) = f["fix"].as_str() {
            fixes.push(fix.to_string());
        }
    }
    (keys, fixes)
}

#[test]
fn the_pty_reports_the_size_it_was_given() {
    // The harness itself: `stty size` reads the same ioctl dockercfg does.
    let home = Home::new("{}");
    let mut c = std::process::Command::new("stty");
    c.arg("size");
    let out = pty::run(c, 80, 24);
    assert_eq!(out.text.trim(), "24 80");
    let _ = home;
}

#[test]
fn no_key_is_split_at_80_or_120_columns() {
    for name in corpus_names() {
        let home = Home::new(&corpus(&name));
        let (keys, fixes) = facts(&home);
        assert!(
            !keys.is_empty() || !fixes.is_empty(),
            "{name}: nothing to check"
        );
        for (cols, rows) in [(80, 24), (120, 40)] {
            let list = home.pty(&["list"], cols, rows);
            check_whole(&format!("{name} list at {cols}"), &list, &keys);
            let audit = home.pty(&["audit"], cols, rows);
            check_whole(&format!("{name} audit at {cols}"), &audit, &fixes);
            // Each fix is on a line of its own, ready to copy.
            for l in audit
                .lines()
                .filter(|l| l.trim_start().starts_with("fix: "))
            {
                let fix = l.trim_start().trim_start_matches("fix: ");
                assert!(
                    fixes.iter().any(|f| f == fix),
                    "{name}: fix line {l:?} is not a whole fix"
                );
            }
        }
    }
}

#[test]
fn free_text_never_pushes_a_line_past_the_terminal() {
    // A line may only be wider than the terminal because of a key too long
    // for it; a login's problem text never makes it so.
    for name in corpus_names() {
        let home = Home::new(&corpus(&name));
        let list: Value = serde_json::from_str(&home.pipe(&["list", "--json"])).unwrap();
        let problems: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["error"].as_str())
            .collect();
        for cols in [80usize, 120] {
            let out = home.pty(&["list"], cols as u16, 24);
            for l in out.lines().filter(|l| l.chars().count() > cols) {
                if l.starts_with("dockercfg: ") {
                    continue; // a warning on stderr, one line by design
                }
                for p in &problems {
                    let start: String = p.chars().take(12).collect();
                    assert!(
                        !l.contains(&start),
                        "{name} at {cols}: free text overflows: {l:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn keys_wider_than_80_columns_become_one_record_per_login() {
    let home = Home::new(&corpus("long-names.json"));
    let out = home.pty(&["list"], 80, 24);
    assert!(out.contains("\nlocalhost:5000\n  USERNAME  me\n"), "{out}");
    // At 200 columns the same logins fit as a table.
    let wide = home.pty(&["list"], 200, 24);
    assert!(wide.starts_with("REGISTRY "), "{wide}");
}

#[test]
fn audit_on_a_terminal_is_one_block_per_finding_and_a_table_on_a_pipe() {
    let home = Home::new(&corpus("long-names.json"));
    let term = home.pty(&["audit"], 80, 24);
    assert!(
        term.contains("high[plaintext-credentials]: localhost:5000\n"),
        "{term}"
    );
    // A fix is one line of its own, never wrapped.
    assert!(
        term.contains("\n  fix: dockercfg login -u USER --password-stdin   # with a token from Docker Hub's security settings\n"),
        "{term}"
    );
    let pipe = home.pipe(&["audit"]);
    assert!(pipe.starts_with("SEVERITY  CODE"), "{pipe}");
}

fn normalise(text: &str, home: &Path) -> String {
    text.replace(&home.display().to_string(), "~")
}

#[test]
fn output_at_80_columns_matches_the_snapshots() {
    let mut problems = Vec::new();
    for name in corpus_names() {
        let home = Home::new(&corpus(&name));
        let mut text = String::new();
        let list: Value = serde_json::from_str(&home.pipe(&["list", "--json"])).unwrap();
        let mut commands = vec![vec!["list".to_string()], vec!["audit".to_string()]];
        if let Some(first) = list.as_array().unwrap().iter().find_map(|l| {
            l["registry"]
                .as_str()
                .filter(|r| !r.starts_with("https://"))
                .map(str::to_string)
        }) {
            commands.push(vec!["explain".into(), format!("{first}/team/app:1.0")]);
        }
        for args in &commands {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            text.push_str(&format!("$ dockercfg {}\n", args.join(" ")));
            text.push_str(&normalise(&home.pty(&args, 80, 24), home.path()));
            text.push('\n');
        }
        let path = root()
            .join("tests/snapshots/terminal")
            .join(name.replace(".json", ".80.txt"));
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(have) if have == text => {}
            Ok(have) => problems.push(format!(
                "{} differs:\n--- snapshot\n{have}\n--- now\n{text}",
                path.display()
            )),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun: UPDATE_GENERATED=1 cargo test --test terminal",
        problems.join("\n")
    );
}
