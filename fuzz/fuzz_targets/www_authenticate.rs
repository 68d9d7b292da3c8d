//! parse_www_authenticate on arbitrary UTF-8: no panic, names are lowercase
//! tokens, and a parsed challenge written back out (values quoted and
//! escaped) parses to the same challenge.
#![no_main]

use dockercfg::verify::parse_www_authenticate;
use libfuzzer_sys::fuzz_target;

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
        && !s.chars().any(|c| c.is_ascii_uppercase())
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let Some(ch) = parse_www_authenticate(value) else {
        return;
    };
    assert!(is_token(&ch.scheme), "scheme {:?}", ch.scheme);
    let mut out = ch.scheme.clone();
    for (i, (k, v)) in ch.params.iter().enumerate() {
        assert!(is_token(k), "param name {k:?}");
        assert!(ch.param(k).is_some());
        let quoted: String = v
            .chars()
            .flat_map(|c| match c {
                '"' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        out.push_str(if i == 0 { " " } else { ", " });
        out.push_str(&format!("{k}=\"{quoted}\""));
    }
    let again = parse_www_authenticate(&out).expect("a written-out challenge parses");
    assert_eq!(again.scheme, ch.scheme);
    assert_eq!(again.params, ch.params, "round trip of {out:?}");
});
