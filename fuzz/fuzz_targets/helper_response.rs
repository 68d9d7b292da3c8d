//! The parsers for a credential helper's `get` and `list` stdout, on
//! arbitrary bytes: no panic, and what they accept survives a round trip.
#![no_main]

use dockercfg::helper::{parse_get_output, parse_list_output};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_get_output(data) {
        Ok(Some(c)) => {
            assert!(!c.username.is_empty() || !c.secret.is_empty());
            let wire = serde_json::json!({
                "ServerURL": c.server_url,
                "Username": c.username,
                "Secret": c.secret.expose(),
            });
            let again = parse_get_output(wire.to_string().as_bytes())
                .expect("re-serialised credential parses")
                .expect("and is found");
            assert_eq!(again, c);
        }
        Ok(None) => {}
        Err(detail) => {
            // The detail is fixed text, never the helper's output.
            assert!(detail.len() < 80);
        }
    }
    match parse_list_output(data) {
        Ok(map) => {
            let text = serde_json::to_string(&map).expect("serialises");
            assert_eq!(parse_list_output(text.as_bytes()).expect("re-parses"), map);
            if data.iter().all(u8::is_ascii_whitespace) {
                assert!(map.is_empty());
            }
        }
        Err(detail) => assert!(detail.len() < 80),
    }
});
