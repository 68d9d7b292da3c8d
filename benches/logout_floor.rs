//! The floor for a one-entry logout (#17): the same safe steps dockercfg
//! takes, written plainly, with nothing else. `benches/logout.sh` compares
//! `dockercfg logout` with it.
//!
//!   logout_floor DIR KEY    # removes auths[KEY] from DIR/config.json
//!
//! 1. lock: an exclusive flock on DIR (dockercfg's lock);
//! 2. read DIR/config.json into one buffer;
//! 3. validate: one serde_json pass that builds nothing (`IgnoredAny`);
//! 4. splice: find the `auths` member KEY with a plain byte scanner, and
//!    write the text before and after it (no second buffer);
//! 5. a temp file beside it (0600, created exclusively), fsync, rename,
//!    fsync of DIR.
//!
//! It does less than dockercfg on purpose: no helper, no key normalisation
//! (KEY must be written exactly so, once), no symlink, mode or owner care.
//! Build: `cargo build --release --example logout_floor` (logout.sh uses a
//! target directory of its own, target/bench-floor).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, key] = &args[..] else {
        eprintln!("usage: logout_floor DIR KEY");
        return ExitCode::from(2);
    };
    match logout(Path::new(dir), key) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("logout_floor: {key} not found");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("logout_floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn logout(dir: &Path, key: &str) -> std::io::Result<bool> {
    let lock = File::open(dir)?;
    lock.lock()?;
    let path = dir.join("config.json");
    let text = fs::read_to_string(&path)?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text).map_err(std::io::Error::other)?;
    let Some((cut_start, cut_end)) = find_member(text.as_bytes(), key) else {
        return Ok(false);
    };
    let tmp = dir.join(".config.json.floor.tmp");
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(&tmp)?;
    f.write_all(&text.as_bytes()[..cut_start])?;
    f.write_all(&text.as_bytes()[cut_end..])?;
    f.sync_all()?;
    fs::rename(&tmp, &path)?;
    File::open(dir)?.sync_all()?;
    Ok(true)
}

/// The span to cut to remove `auths[key]`: from its key to the next key, or,
/// for the last member, from the end of the previous value (its comma).
fn find_member(b: &[u8], key: &str) -> Option<(usize, usize)> {
    let root = skip_ws(b, 0);
    let auths = members(b, root)?
        .into_iter()
        .find(|m| &b[m.0 + 1..m.1 - 1] == b"auths")?;
    let list = members(b, auths.2)?;
    let i = list
        .iter()
        .position(|m| &b[m.0 + 1..m.1 - 1] == key.as_bytes())?;
    Some(match (list.get(i + 1), i.checked_sub(1)) {
        (Some(next), _) => (list[i].0, next.0),
        (None, Some(prev)) => (list[prev].3, list[i].3),
        // The only member: the object becomes `{}`.
        (None, None) => (auths.2 + 1, skip_ws(b, list[i].3)),
    })
}

/// The members of the object at `open`: (key start, key end, value start,
/// value end).
fn members(b: &[u8], open: usize) -> Option<Vec<(usize, usize, usize, usize)>> {
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = skip_ws(b, open + 1);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        let key_end = skip_string(b, i);
        let value = skip_ws(b, skip_ws(b, key_end) + 1);
        let value_end = skip_value(b, value);
        out.push((i, key_end, value, value_end));
        i = skip_ws(b, value_end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return Some(out),
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while let Some(at) = memchr::memchr2(b'"', b'\\', &b[i.min(b.len())..]) {
        i += at;
        if b[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    b.len()
}

fn skip_value(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            j
        }
    }
}
