//! `WWW-Authenticate` challenges as docker/distribution's client reads them
//! (RFC 7235 syntax, one challenge per header value).

/// One parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lowercased, e.g. "basic" or "bearer".
    pub scheme: String,
    /// Parameter names lowercased, values unquoted, in header order.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The first value of parameter `name` (give it lowercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Parse one `WWW-Authenticate` value: `scheme [param=value *(, param=value)]`
/// where a value is a token or a quoted string with `\` escapes. Like
/// docker/distribution's parser, one challenge is read per header value; a
/// following challenge (`..., Basic realm=..`) ends it. Returns `None` for a
/// value that has no scheme or whose parameters are malformed.
pub fn parse_www_authenticate(value: &str) -> Option<Challenge> {
    let s = value.trim_start();
    let end = s.find(|c: char| !is_tchar(c)).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let scheme = s[..end].to_ascii_lowercase();
    let mut rest = &s[end..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| !is_tchar(c)).unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        let key = rest[..end].to_ascii_lowercase();
        let after = rest[end..].trim_start_matches([' ', '\t']);
        let Some(after) = after.strip_prefix('=') else {
            // A token that is not a parameter starts the next challenge.
            if !params.is_empty() {
                break;
            }
            return None;
        };
        let after = after.trim_start_matches([' ', '\t']);
        let (val, tail) = if let Some(q) = after.strip_prefix('"') {
            let mut val = String::new();
            let mut chars = q.char_indices();
            let mut close = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => val.push(chars.next()?.1),
                    '"' => {
                        close = Some(i + 1);
                        break;
                    }
                    _ => val.push(c),
                }
            }
            (val, &q[close?..])
        } else {
            // Lenient like Docker: an unquoted value runs to `,` or space, so
            // an unquoted URL realm still works.
            let end = after.find([',', ' ', '\t']).unwrap_or(after.len());
            if end == 0 || after.starts_with('=') || after[..end].contains('"') {
                return None; // empty, token68 padding (`abc==`), stray quote
            }
            (after[..end].to_string(), &after[end..])
        };
        let tail = tail.trim_start_matches([' ', '\t']);
        if !tail.is_empty() && !tail.starts_with(',') {
            return None;
        }
        params.push((key, val));
        rest = tail;
    }
    Some(Challenge { scheme, params })
}
