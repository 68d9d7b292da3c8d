//! decode_auth on arbitrary input. The first byte picks the mode: the input
//! as an `auth` value, or the input's bytes base64-encoded (so the fuzzer
//! reaches the user:password split, not only base64 errors) and compared
//! with docker's rule written out here.
#![no_main]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use dockercfg::auth::{decode_auth, encode_auth};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let auth = if mode & 1 == 0 {
        match std::str::from_utf8(rest) {
            Ok(s) => s.to_string(),
            Err(_) => return,
        }
    } else {
        let encoded = STANDARD.encode(rest);
        // docker's rule: UTF-8, split at the first colon, non-empty user,
        // trailing NULs trimmed from the password.
        let want = std::str::from_utf8(rest)
            .ok()
            .and_then(|t| t.split_once(':'))
            .filter(|(u, _)| !u.is_empty())
            .map(|(u, p)| (u.to_string(), p.trim_end_matches('\0').to_string()));
        let got = decode_auth(&encoded)
            .ok()
            .map(|(u, p)| (u, p.expose().to_string()));
        assert_eq!(got, want, "decode disagrees with docker's rule");
        encoded
    };
    if let Ok((user, pass)) = decode_auth(&auth) {
        assert!(!user.is_empty() && !user.contains(':'), "bad username");
        assert!(!pass.expose().ends_with('\0'), "trailing NUL kept");
        let again = encode_auth(&user, &pass);
        let (u2, p2) = decode_auth(&again).expect("re-encoded auth decodes");
        assert_eq!(u2, user);
        assert_eq!(p2.expose(), pass.expose());
    } else if let Err(e) = decode_auth(&auth) {
        // Errors are fixed texts: they never carry the value.
        assert!(
            [
                "`auth` is not valid base64",
                "`auth` is not UTF-8 text",
                "`auth` has no ':' between username and password",
                "`auth` has an empty username",
            ]
            .contains(&e.as_str()),
            "unexpected error text {e:?}"
        );
    }
});
