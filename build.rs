//! Build facts for `dockercfg version`: the target triple, and the git
//! commit when building from a checkout (packagers may set DOCKERCFG_COMMIT
//! instead; a source tarball has neither, and `version` says null).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DOCKERCFG_COMMIT");
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=DOCKERCFG_TARGET={target}");
    let commit = std::env::var("DOCKERCFG_COMMIT").ok().or_else(|| {
        let out = Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()?;
        let s = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !s.trim().is_empty()).then(|| s.trim().to_string())
    });
    if let Some(c) = commit {
        println!("cargo:rustc-env=DOCKERCFG_COMMIT={c}");
    }
    // A new commit moves HEAD (or the branch it names): look again then.
    if let Ok(out) = Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .output()
    {
        if let Ok(dir) = String::from_utf8(out.stdout) {
            let dir = dir.trim();
            if !dir.is_empty() {
                println!("cargo:rerun-if-changed={dir}/HEAD");
                if let Ok(head) = std::fs::read_to_string(format!("{dir}/HEAD")) {
                    if let Some(r) = head.trim().strip_prefix("ref: ") {
                        println!("cargo:rerun-if-changed={dir}/{r}");
                    }
                }
            }
        }
    }
}
