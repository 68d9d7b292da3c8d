//! Which JSON object keys Go's encoding/json decodes into a struct field:
//! the rule docker (docker/cli's `configfile`) and podman, skopeo and
//! buildah (containers/image) read config.json and auth.json with.
//!
//! Go (`decode.go`, `object()`) looks a key up by the field's exact name
//! first, else by its folded name (`fold.go`, `foldName`, Go >= 1.21; the Go
//! 1.19 `bytes.EqualFold` it replaced matches the same keys): ASCII letters
//! upper-cased, every other rune folded to the smallest rune of its Unicode
//! simple-fold orbit. The field names dockercfg reads are all ASCII letters,
//! so a key matches one exactly when, rune by rune, an ASCII rune equals the
//! name's letter in any case, or the rune is one of the only two non-ASCII
//! runes whose fold orbit holds an ASCII letter: U+017F `ſ` (with s, S) and
//! U+212A, the Kelvin sign (with k, K). (Checked over every rune with Go's
//! `unicode.SimpleFold`; see docs/COMPAT-DECODING.md, rule 11.) A key that
//! is not UTF-8 (a lone surrogate escape, which Go reads as U+FFFD) never
//! matches. This module knows nothing of config.json's layout.

/// Whether Go decodes the key `key` (unescaped, as bytes) into the struct
/// field named `field` (ASCII letters). The exact name costs one compare.
#[inline]
pub fn is_field(key: &[u8], field: &str) -> bool {
    key == field.as_bytes() || folds_to(key, field)
}

/// `is_field` for a key that is not `field` exactly: the case-insensitive
/// match alone. Kept out of line: docker writes the exact names, and the
/// readers of a 10,000-entry file must cost what they did before (#17).
#[cold]
#[inline(never)]
pub fn folds_to(key: &[u8], field: &str) -> bool {
    let mut want = field.bytes();
    let mut i = 0;
    while i < key.len() {
        let Some(w) = want.next() else { return false };
        let (folded, width) = match key[i..] {
            [c, ..] if c.is_ascii() => (c.to_ascii_uppercase(), 1),
            // U+017F LATIN SMALL LETTER LONG S: s, S, ſ.
            [0xC5, 0xBF, ..] => (b'S', 2),
            // U+212A KELVIN SIGN: k, K, K.
            [0xE2, 0x84, 0xAA, ..] => (b'K', 3),
            _ => return false,
        };
        if folded != w.to_ascii_uppercase() {
            return false;
        }
        i += width;
    }
    want.next().is_none()
}

/// Whether `key` matches `field` only by Go's folding, not as written: a
/// spelling that tools comparing keys exactly (jq, Python's json) miss.
pub fn is_variant(key: &str, field: &str) -> bool {
    key != field && folds_to(key.as_bytes(), field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_any_letter_case_match() {
        for key in [
            "auths",
            "Auths",
            "AUTHS",
            "aUtHs",
            "Auth\u{17F}",
            "AUTH\u{17F}",
        ] {
            assert!(is_field(key.as_bytes(), "auths"), "{key}");
        }
        for key in ["credsStore", "credsstore", "CREDSSTORE", "cred\u{17F}Store"] {
            assert!(is_field(key.as_bytes(), "credsStore"), "{key}");
        }
        assert!(is_field("identitytoKen".as_bytes(), "identitytoken"));
        assert!(is_field("IdentityToken".as_bytes(), "identitytoken"));
        assert!(is_field("\u{212A}".as_bytes(), "k"));
        assert!(is_variant("Auths", "auths"));
        assert!(!is_variant("auths", "auths"));
    }

    #[test]
    fn near_misses_do_not_match() {
        for key in [
            "auth s",
            "autHs2",
            "auth",
            "authss",
            "auths ",
            " auths",
            "",
            "a\u{17F}ths",
            // U+0130 and U+0131 (dotted/dotless i) have no simple fold onto
            // ASCII i, nor does a fullwidth S.
            "cred\u{FF33}Store",
            "credsStore\u{0}",
        ] {
            assert!(!is_field(key.as_bytes(), "auths"), "{key:?}");
            assert!(!is_field(key.as_bytes(), "credsStore"), "{key:?}");
        }
        assert!(!is_field("\u{130}dentitytoken".as_bytes(), "identitytoken"));
        assert!(!is_field("\u{131}dentitytoken".as_bytes(), "identitytoken"));
        // The Kelvin sign folds with k only, the long s with s only.
        assert!(!is_field("\u{212A}".as_bytes(), "s"));
        assert!(!is_field("\u{17F}".as_bytes(), "k"));
        // Not UTF-8 (a lone surrogate as serde hands it over): no match.
        assert!(!is_field(b"auth\xed\xa0\x80", "auths"));
        assert!(!is_field(b"\xc5", "s"));
    }
}
