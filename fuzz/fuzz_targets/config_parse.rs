//! Config::parse on arbitrary UTF-8; when it parses, the text must come back
//! unchanged, and removing or setting an `auths` entry must give valid JSON
//! that keeps every other entry and every other top-level value, in order.
#![no_main]

use std::path::Path;

use dockercfg::config::Config;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

const NEW_KEY: &str = "fuzz.example:5000";

fn root_of(text: &str) -> Map<String, Value> {
    if text.trim().is_empty() {
        return Map::new();
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m,
        Ok(other) => panic!("edited text is not an object: {other}"),
        Err(e) => panic!("edited text is not JSON ({e}):\n{text}"),
    }
}

fn auths_of(root: &Map<String, Value>) -> Map<String, Value> {
    root.get("auths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Every top-level member but `auths`, in order.
fn others(root: &Map<String, Value>) -> Vec<(String, Value)> {
    root.iter()
        .filter(|(k, _)| k.as_str() != "auths")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/fuzz/config.json");
    let Ok(config) = Config::parse(path, text.to_string(), true) else {
        return;
    };
    assert_eq!(config.text(), text, "parse changed the text");
    // serde_json's Value refuses a lone surrogate escape (`"\ud800"`) that
    // Config::parse accepts (Go's encoding/json, so docker, accepts it too).
    // Such a text has no Value to compare with: only check that edits keep
    // it parseable and do not panic.
    if serde_json::from_str::<Value>(text).is_err() && !text.trim().is_empty() {
        let keys: Vec<String> = config.auths().map(|(k, _)| k.to_string()).collect();
        for key in &keys {
            let mut c = config.clone();
            c.remove_auth(key);
            Config::parse(path, c.text().to_string(), true).expect("edited text parses");
        }
        let mut c = config.clone();
        c.set_auth(NEW_KEY, json!({}));
        Config::parse(path, c.text().to_string(), true).expect("edited text parses");
        return;
    }
    let root = root_of(text);
    let auths = auths_of(&root);
    let keys: Vec<String> = config.auths().map(|(k, _)| k.to_string()).collect();
    assert_eq!(
        keys,
        auths.keys().cloned().collect::<Vec<_>>(),
        "auths() disagrees with serde_json"
    );

    for key in &keys {
        let mut c = config.clone();
        assert!(c.remove_auth(key), "remove_auth({key:?}) found nothing");
        let new_root = root_of(c.text());
        let mut want = auths.clone();
        want.shift_remove(key);
        assert_eq!(
            auths_of(&new_root),
            want,
            "remove {key:?}: other entries changed"
        );
        assert_eq!(
            others(&new_root),
            others(&root),
            "remove {key:?}: settings changed"
        );
        Config::parse(path, c.text().to_string(), true).expect("edited text parses");
    }

    let value = json!({"auth": "ZnV6ejpwdw==", "x": [1, {"y": null}]});
    let mut c = config.clone();
    c.set_auth(NEW_KEY, value.clone());
    let new_root = root_of(c.text());
    let new_auths = auths_of(&new_root);
    assert_eq!(
        new_auths.get(NEW_KEY),
        Some(&value),
        "set: new entry missing"
    );
    let mut old_kept = auths.clone();
    old_kept.shift_remove(NEW_KEY);
    let mut new_kept = new_auths.clone();
    new_kept.shift_remove(NEW_KEY);
    assert_eq!(new_kept, old_kept, "set: other entries changed");
    assert_eq!(
        new_kept.keys().collect::<Vec<_>>(),
        old_kept.keys().collect::<Vec<_>>(),
        "set: order of other entries changed"
    );
    assert_eq!(others(&new_root), others(&root), "set: settings changed");
    let reparsed = Config::parse(path, c.text().to_string(), true).expect("edited text parses");
    assert_eq!(reparsed.text(), c.text());
});
