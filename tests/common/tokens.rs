//! Tokens whose lifetime dockercfg reads (a JWT's `exp`, an ECR token's
//! `expiration`), made relative to now for the corpus configs.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::json;

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A JWT (unsigned in substance) that expires at `exp`.
pub fn jwt(exp: i64) -> String {
    let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let p = URL_SAFE_NO_PAD.encode(json!({"sub": "ci", "exp": exp}).to_string());
    format!("{h}.{p}.c2lnbmF0dXJl")
}

/// An ECR authorization token (as the ECR helper and `aws ecr` hand out)
/// that expires at `expiration`.
pub fn ecr(expiration: i64) -> String {
    STANDARD.encode(
        json!({"payload": "cGF5bG9hZA==", "datakey": "ZGF0YWtleQ==", "version": "2",
               "type": "DATA_KEY", "expiration": expiration})
        .to_string(),
    )
}
