//! Commands printed for the user to run (audit's fixes, hints in errors and
//! warnings), quoted for a POSIX shell. Every argument that came from
//! outside (a registry key, a path, a helper's `list`) goes through
//! [`quote`], so a key such as `x.io; touch /tmp/owned #` is one argument of
//! the printed command and never a second command.
//!
//! This module owns the quoting only; which command fixes what is the
//! caller's business.

use std::borrow::Cow;

use crate::output::is_unsafe_char;

/// `s` as one POSIX shell word:
/// - bare when every byte is one a shell never treats specially
///   (`[A-Za-z0-9]` and `-_./:@%+=,~`), and `s` does not start with `~`
///   (tilde expansion) and is not empty;
/// - else in single quotes, each `'` written `'\''`: inside single quotes
///   a POSIX shell takes every byte literally;
/// - if `s` holds characters that [`crate::output::escape`] would escape
///   (control characters, bidi overrides), as `"$(printf 'FMT')"` with those
///   bytes as octal escapes, so the printed command holds no raw control
///   character (a terminal would act on it) and still gives the exact bytes.
///   Command substitution drops trailing newlines, so a string ending in a
///   newline is single-quoted with its raw bytes instead (exact for the
///   shell; a terminal view escapes it). A NUL cannot be an argument at all:
///   see [`has_nul`].
pub fn quote(s: &str) -> Cow<'_, str> {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-_./:@%+=,~".contains(&b);
    if !s.is_empty() && !s.starts_with('~') && s.bytes().all(safe) {
        return Cow::Borrowed(s);
    }
    if s.chars().any(is_unsafe_char) && !s.ends_with('\n') {
        return Cow::Owned(printf_word(s));
    }
    Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")))
}

/// `"$(printf 'FMT')"`, where FMT gives back `s` exactly: printable
/// characters as they are (`%` doubled, `\` doubled, `'` as `\047`, a
/// leading `-` as `\055`), the
/// rest as octal escapes of their UTF-8 bytes.
fn printf_word(s: &str) -> String {
    let mut fmt = String::with_capacity(s.len() + 16);
    for (i, c) in s.chars().enumerate() {
        match c {
            // A format starting with `-` would be read as an option.
            '-' if i == 0 => fmt.push_str(r"\055"),
            '%' => fmt.push_str("%%"),
            '\\' => fmt.push_str(r"\\"),
            '\'' => fmt.push_str(r"\047"),
            c if is_unsafe_char(c) => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    fmt.push_str(&format!("\\{b:03o}"));
                }
            }
            c => fmt.push(c),
        }
    }
    format!("\"$(printf '{fmt}')\"")
}

/// A command line: every word quoted, joined by spaces.
pub fn command<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether any word holds a NUL byte, which no command argument can carry
/// (argv is NUL-terminated): a command with one cannot be printed honestly.
pub fn has_nul<S: AsRef<str>>(words: &[S]) -> bool {
    words.iter().any(|w| w.as_ref().contains('\0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("/home/me/.docker"), "/home/me/.docker");
        assert_eq!(quote("ghcr.io:5000"), "ghcr.io:5000");
        assert_eq!(quote("/tmp/my dir"), "'/tmp/my dir'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("~root"), "'~root'");
        assert_eq!(
            quote("x.io; touch /tmp/owned #"),
            "'x.io; touch /tmp/owned #'"
        );
        assert_eq!(quote("a$(id)`id`"), "'a$(id)`id`'");
    }

    #[test]
    fn control_characters_become_printf_escapes() {
        assert_eq!(quote("a\x1b[2Jb"), r#""$(printf 'a\033[2Jb')""#);
        assert_eq!(quote("a\r\nb%'\\"), r#""$(printf 'a\015\012b%%\047\\')""#);
        // U+202E RIGHT-TO-LEFT OVERRIDE, as its UTF-8 bytes.
        assert_eq!(quote("a\u{202e}"), r#""$(printf 'a\342\200\256')""#);
        // A trailing newline would be lost to $(...): raw bytes instead.
        assert_eq!(quote("a\x1b\n"), "'a\x1b\n'");
        assert_eq!(quote("-\x07"), r#""$(printf '\055\007')""#);
    }

    #[test]
    fn command_joins_quoted_words() {
        assert_eq!(
            command(&["dockercfg", "--config", "/a b", "logout", "x;y"]),
            "dockercfg --config '/a b' logout 'x;y'"
        );
        assert!(has_nul(&["a", "b\0"]));
        assert!(!has_nul(&["a", "b"]));
    }
}
