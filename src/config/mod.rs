//! The config.json model: read, validate, query and edit, keeping every byte
//! that an edit does not touch.
//!
//! `Config` pairs the parsed JSON (for reading) with the original text (for
//! editing, see `edit`). It owns no I/O beyond reading one file: writing goes
//! through [`write::update`], the only path that changes a config on disk.

mod edit;
pub mod locate;
pub mod write;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::{Map, Value};

use crate::auth::AuthEntry;
use crate::registry;
pub use edit::Document;

pub const AUTHS: &str = "auths";
pub const CREDS_STORE: &str = "credsStore";
pub const CRED_HELPERS: &str = "credHelpers";

/// A parsed config file with its original text.
#[derive(Debug, Clone)]
pub struct Config {
    path: PathBuf,
    exists: bool,
    doc: Document,
    root: Map<String, Value>,
}

impl Config {
    /// Read the config at `path`. A missing file or an empty one is an empty
    /// config; nothing is created. Anything else that is wrong is an error
    /// naming the path (and line and column for JSON).
    pub fn load(path: &Path) -> Result<Config> {
        let text = match read_text(path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => {
                return Err(anyhow!(describe_io(&e)))
                    .with_context(|| format!("cannot read {}", path.display()))
            }
        };
        let exists = text.is_some();
        Config::parse(path, text.unwrap_or_default(), exists)
    }

    /// Parse `text` as the content of `path`.
    pub fn parse(path: &Path, text: String, exists: bool) -> Result<Config> {
        let ctx = || format!("cannot parse {}", path.display());
        let root = if text.trim().is_empty() {
            Map::new()
        } else {
            match serde_json::from_str::<Value>(&text).with_context(ctx)? {
                Value::Object(m) => m,
                _ => {
                    return Err(anyhow!("the top-level value is not a JSON object"))
                        .with_context(ctx)
                }
            }
        };
        check_shape(&root).with_context(ctx)?;
        Ok(Config {
            path: path.to_path_buf(),
            exists,
            doc: Document::new(text),
            root,
        })
    }

    /// The path as the user named it (not the symlink target).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when it was read.
    pub fn exists(&self) -> bool {
        self.exists
    }

    /// The text as it is now, with any edits applied.
    pub fn text(&self) -> &str {
        self.doc.text()
    }

    /// The `auths` entries, in file order, with their keys as written.
    pub fn auths(&self) -> impl Iterator<Item = (&str, AuthEntry)> {
        self.auth_values()
            .map(|(k, v)| (k.as_str(), AuthEntry::from_value(v)))
    }

    /// The raw `auths` values, in file order.
    pub fn auth_values(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.root
            .get(AUTHS)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }

    /// The `auths` key that holds `registry` (any spelling), if any: the
    /// exact key first, else the first key that normalises the same.
    pub fn find_auth_key(&self, registry: &str) -> Option<&str> {
        let keys: Vec<&String> = self.auth_values().map(|(k, _)| k).collect();
        keys.iter()
            .find(|k| k.as_str() == registry)
            .or_else(|| keys.iter().find(|k| registry::same_registry(k, registry)))
            .map(|k| k.as_str())
    }

    /// Every `auths` key that names `registry`, whatever its spelling.
    pub fn auth_keys_for(&self, registry: &str) -> Vec<String> {
        let wanted = registry::normalize_cow(registry);
        self.auth_values()
            .map(|(k, _)| k)
            .filter(|k| k.as_str() == registry || registry::normalize_cow(k) == wanted)
            .cloned()
            .collect()
    }

    pub fn creds_store(&self) -> Option<&str> {
        self.root
            .get(CREDS_STORE)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// `credHelpers` as (registry, helper name), in file order.
    pub fn cred_helpers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.root
            .get(CRED_HELPERS)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
    }

    /// Docker's test for "the config holds no auth at all", which decides
    /// whether `docker login` picks a default credential store.
    pub fn has_no_auth(&self) -> bool {
        self.auth_values().next().is_none()
            && self.creds_store().is_none()
            && self.cred_helpers().next().is_none()
    }

    /// Set `auths[key]` to `value`.
    pub fn set_auth(&mut self, key: &str, value: Value) {
        self.doc.set(&[AUTHS], key, &value);
        self.object_mut(AUTHS).insert(key.to_string(), value);
    }

    /// Remove `auths[key]`; returns whether it was there.
    pub fn remove_auth(&mut self, key: &str) -> bool {
        self.remove_auths(std::slice::from_ref(&key.to_string())) > 0
    }

    /// Remove several `auths` keys in one pass over the text (logout of
    /// thousands stays linear). Returns how many members were removed.
    pub fn remove_auths(&mut self, keys: &[String]) -> usize {
        let n = self.doc.remove_many(&[AUTHS], keys);
        if let Some(m) = self.root.get_mut(AUTHS).and_then(Value::as_object_mut) {
            for k in keys {
                m.shift_remove(k);
            }
        }
        n
    }

    pub fn set_creds_store(&mut self, name: &str) {
        let v = Value::String(name.to_string());
        self.doc.set(&[], CREDS_STORE, &v);
        self.root.insert(CREDS_STORE.to_string(), v);
    }

    pub fn set_cred_helper(&mut self, registry: &str, helper: &str) {
        let v = Value::String(helper.to_string());
        self.doc.set(&[CRED_HELPERS], registry, &v);
        self.object_mut(CRED_HELPERS)
            .insert(registry.to_string(), v);
    }

    fn object_mut(&mut self, key: &str) -> &mut Map<String, Value> {
        let slot = self
            .root
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot.as_object_mut().expect("just made an object")
    }
}

/// The keys dockercfg interprets must have the types docker gives them;
/// anything else is left alone, whatever it holds.
fn check_shape(root: &Map<String, Value>) -> Result<()> {
    match root.get(AUTHS) {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => bail!("`{AUTHS}` is not a JSON object"),
    }
    match root.get(CREDS_STORE) {
        None | Some(Value::Null) | Some(Value::String(_)) => {}
        Some(_) => bail!("`{CREDS_STORE}` is not a string"),
    }
    match root.get(CRED_HELPERS) {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if let Some((k, _)) = m.iter().find(|(_, v)| !v.is_string()) {
                bail!("`{CRED_HELPERS}.{k}` is not a string");
            }
        }
        Some(_) => bail!("`{CRED_HELPERS}` is not a JSON object"),
    }
    Ok(())
}

/// Read a regular file as UTF-8. A FIFO or device is refused before it is
/// opened (opening a FIFO would block).
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::other("it is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a FIFO, socket or device)",
        ));
    }
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// An io::Error as one lower-case line, without Rust's "(os error N)".
pub(crate) fn describe_io(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config> {
        Config::parse(Path::new("/t/config.json"), s.to_string(), true)
    }

    #[test]
    fn empty_and_whitespace_are_empty_configs() {
        assert!(parse("").unwrap().has_no_auth());
        assert!(parse(" \n").unwrap().has_no_auth());
        assert!(parse("{\"auths\": null}").unwrap().has_no_auth());
    }

    #[test]
    fn errors_name_path_line_and_column() {
        let e = format!("{:#}", parse("{\n\t\"auths\": {\n\t\"a\" {}").unwrap_err());
        assert!(e.starts_with("cannot parse /t/config.json: "), "{e}");
        assert!(e.contains("line 3 column"), "{e}");
        for bad in [
            "[]",
            "{\"auths\": []}",
            "{\"credsStore\": 1}",
            "{\"credHelpers\": {\"a\": 1}}",
        ] {
            let e = format!("{:#}", parse(bad).unwrap_err());
            assert!(e.starts_with("cannot parse /t/config.json: "), "{e}");
        }
    }

    #[test]
    fn edits_keep_model_and_text_in_step() {
        let mut c = parse("{\"auths\": {\"b\": {}, \"a\": {}}, \"x\": [1]}").unwrap();
        c.set_auth("c", serde_json::json!({}));
        assert!(c.remove_auth("b"));
        let keys: Vec<_> = c.auths().map(|(k, _)| k.to_string()).collect();
        assert_eq!(keys, ["a", "c"]);
        let reparsed = parse(c.text()).unwrap();
        let keys2: Vec<_> = reparsed.auths().map(|(k, _)| k.to_string()).collect();
        assert_eq!(keys, keys2);
        assert!(c.text().contains("\"x\": [1]"));
    }

    #[test]
    fn find_auth_key_prefers_exact_then_alias() {
        let c =
            parse("{\"auths\": {\"https://ghcr.io\": {}, \"https://index.docker.io/v1/\": {}}}")
                .unwrap();
        assert_eq!(c.find_auth_key("ghcr.io"), Some("https://ghcr.io"));
        assert_eq!(
            c.find_auth_key("docker.io"),
            Some("https://index.docker.io/v1/")
        );
        assert_eq!(c.find_auth_key("quay.io"), None);
    }
}
