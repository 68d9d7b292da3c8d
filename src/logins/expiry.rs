//! What a secret says about its own expiry, read without the network.
//!
//! - JWTs (three base64url parts) carry `exp` (Unix seconds) in the payload:
//!   identity tokens, registry tokens, and many registries' passwords.
//! - AWS ECR passwords are standard base64 of a JSON object whose
//!   `expiration` is a Unix time; they last 12 hours.
//!
//! Nothing here ever includes the secret in what it returns.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;

/// Where an expiry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Jwt,
    Ecr,
}

impl TokenKind {
    pub fn label(self) -> &'static str {
        match self {
            TokenKind::Jwt => "JWT",
            TokenKind::Ecr => "AWS ECR token",
        }
    }
}

/// What a secret's shape says it is, read from its prefix or structure.
/// Registries issue these instead of an account password; telling them
/// apart says which logins are tokens a person can revoke on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Docker Hub personal access token, `dckr_pat_...`.
    DockerPat,
    /// GitHub personal access token, `ghp_...` or `github_pat_...`.
    GithubPat,
    /// GitLab personal access token, `glpat-...`.
    GitlabPat,
    /// A JWT (three base64url parts with a JSON payload).
    Jwt,
    /// An AWS ECR authorization token.
    Ecr,
}

impl Shape {
    /// The short name `list` shows in KIND.
    pub fn label(self) -> &'static str {
        match self {
            Shape::DockerPat => "Docker PAT",
            Shape::GithubPat => "GitHub PAT",
            Shape::GitlabPat => "GitLab PAT",
            Shape::Jwt => "JWT",
            Shape::Ecr => "ECR token",
        }
    }
}

/// The shape of `secret`, if it has a recognisable one. The secret itself
/// is never part of the answer.
pub fn shape(secret: &str) -> Option<Shape> {
    if secret.starts_with("dckr_pat_") {
        Some(Shape::DockerPat)
    } else if secret.starts_with("ghp_") || secret.starts_with("github_pat_") {
        Some(Shape::GithubPat)
    } else if secret.starts_with("glpat-") {
        Some(Shape::GitlabPat)
    } else if jwt_payload(secret).is_some() {
        Some(Shape::Jwt)
    } else if ecr_expiration(secret).is_some() {
        Some(Shape::Ecr)
    } else {
        None
    }
}

/// The expiry (Unix seconds) that `secret` carries, if it carries one.
pub fn expiry(secret: &str) -> Option<(TokenKind, i64)> {
    jwt_exp(secret)
        .map(|e| (TokenKind::Jwt, e))
        .or_else(|| ecr_expiration(secret).map(|e| (TokenKind::Ecr, e)))
}

fn jwt_exp(s: &str) -> Option<i64> {
    number(jwt_payload(s)?.get("exp")?)
}

fn jwt_payload(s: &str) -> Option<Value> {
    let mut parts = s.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v.is_object().then_some(v)
}

fn ecr_expiration(s: &str) -> Option<i64> {
    if s.len() < 40 {
        return None;
    }
    let bytes = STANDARD.decode(s).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    // Only ECR's own shape counts; any other base64 JSON is not a token.
    v.get("payload")?;
    number(v.get("expiration")?)
}

fn number(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// "3h 12m", "2d 4h", "45s": a short human duration.
pub fn human(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, s / 3_600 % 24, s / 60 % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// Parse "24h", "90m", "2d", "30s" or plain seconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: i64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 24h, 90m, 2d or 30s"))?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("`{s}` is not a duration like 24h, 90m, 2d or 30s")),
    };
    Ok(n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub fn jwt(exp: i64) -> String {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let p = URL_SAFE_NO_PAD.encode(json!({"sub": "x", "exp": exp}).to_string());
        format!("{h}.{p}.sig")
    }

    #[test]
    fn reads_jwt_and_ecr_expiry() {
        assert_eq!(
            expiry(&jwt(1_700_000_000)),
            Some((TokenKind::Jwt, 1_700_000_000))
        );
        let ecr = STANDARD.encode(
            json!({"payload": "abc", "datakey": "def", "version": "2", "type": "DATA_KEY", "expiration": 1_700_000_123})
                .to_string(),
        );
        assert_eq!(expiry(&ecr), Some((TokenKind::Ecr, 1_700_000_123)));
    }

    #[test]
    fn ordinary_passwords_have_no_expiry() {
        for s in [
            "hunter2",
            "a.b.c",
            "dckr_pat_abcdef",
            "",
            "x.eyJleHAiOiJzb29uIn0.y",
        ] {
            assert_eq!(expiry(s), None, "{s}");
        }
        let other =
            STANDARD.encode(json!({"expiration": 5, "note": "not ecr, long enough"}).to_string());
        assert_eq!(expiry(&other), None);
    }

    #[test]
    fn shapes_of_tokens() {
        assert_eq!(shape("dckr_pat_abc"), Some(Shape::DockerPat));
        assert_eq!(shape("ghp_abc"), Some(Shape::GithubPat));
        assert_eq!(shape("github_pat_abc"), Some(Shape::GithubPat));
        assert_eq!(shape("glpat-abc"), Some(Shape::GitlabPat));
        assert_eq!(shape(&jwt(5)), Some(Shape::Jwt));
        for plain in ["hunter2", "a.b.c", "ghp", "correct horse battery staple"] {
            assert_eq!(shape(plain), None, "{plain}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h"), Ok(86_400));
        assert_eq!(parse_duration("90m"), Ok(5_400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("15"), Ok(15));
        assert!(parse_duration("soon").is_err());
        assert_eq!(human(3 * 3600 + 12 * 60), "3h 12m");
        assert_eq!(human(-90), "1m");
    }
}
