//! `Secret`: a password or token held in memory.
//!
//! It owns the bytes, wipes them on drop (zeroize), and refuses to show them:
//! `Debug` and `Display` print `<redacted>`. The only way to the text is
//! [`Secret::expose`], so every place that hands a secret on (a helper's
//! stdin, an `auth` value, `dockercfg get`) is one grep away.

use std::fmt;
use zeroize::Zeroizing;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret {
    /// The secret as text. For a secret that is not UTF-8 (a password
    /// decoded from `auth` may be any bytes), its rendering by Go's
    /// encoding/json: U+FFFD for each invalid byte, which is what docker
    /// would hand a credential helper.
    text: Zeroizing<String>,
    /// The exact bytes, only when they are not the text.
    raw: Option<Zeroizing<Vec<u8>>>,
}

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret {
            text: Zeroizing::new(s.into()),
            raw: None,
        }
    }

    /// A secret of any bytes (docker's strings are bytes).
    pub fn from_bytes(b: Vec<u8>) -> Self {
        match String::from_utf8(b) {
            Ok(s) => Secret::new(s),
            Err(e) => {
                let raw = Zeroizing::new(e.into_bytes());
                Secret {
                    text: Zeroizing::new(go_json_text(&raw)),
                    raw: Some(raw),
                }
            }
        }
    }

    /// The secret text. Call only to hand it to its destination. For a
    /// secret that is not UTF-8 this is Go's JSON rendering of it, not the
    /// secret: check [`Secret::is_text`] where that matters.
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The exact bytes: what docker sends to a registry.
    pub fn expose_bytes(&self) -> &[u8] {
        match &self.raw {
            Some(r) => r,
            None => self.text.as_bytes(),
        }
    }

    /// Whether the secret is UTF-8 text, so JSON (the helper protocol) can
    /// carry it unchanged.
    pub fn is_text(&self) -> bool {
        self.raw.is_none()
    }

    pub fn is_empty(&self) -> bool {
        self.expose_bytes().is_empty()
    }
}

/// `bytes` as Go's encoding/json writes a string: each byte that does not
/// start a valid UTF-8 sequence becomes U+FFFD, one per byte (Go's
/// `utf8.DecodeRuneInString` gives up one byte at a time), so a secret
/// docker hands a helper through JSON is changed.
pub fn go_json_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let ok = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..ok]).expect("valid prefix"));
                out.push('\u{FFFD}');
                rest = &rest[ok + 1..];
            }
        }
    }
    out
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
        assert_eq!(s.expose(), "hunter2");
        let b = Secret::from_bytes(b"pa\xffss".to_vec());
        assert_eq!(format!("{b:?} {b}"), "<redacted> <redacted>");
    }

    #[test]
    fn bytes_keep_exactly_and_render_as_go_json() {
        let b = Secret::from_bytes(b"pa\xffss".to_vec());
        assert!(!b.is_text());
        assert_eq!(b.expose_bytes(), b"pa\xffss");
        assert_eq!(b.expose(), "pa\u{FFFD}ss");
        assert!(Secret::from_bytes(b"ok".to_vec()).is_text());
        // One U+FFFD per invalid byte, as Go (Rust's lossy would give one
        // for the truncated sequence E2 82), surrogates included.
        assert_eq!(go_json_text(b"\xe2\x82A"), "\u{FFFD}\u{FFFD}A");
        assert_eq!(go_json_text(b"\xed\xa0\x80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(go_json_text("é€".as_bytes()), "é€");
    }
}
