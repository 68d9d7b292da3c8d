//! The config.json model: read, validate, query and edit, keeping every byte
//! that an edit does not touch.
//!
//! `Config` pairs the parsed JSON (for reading) with the original text (for
//! editing, see `edit`). It owns no I/O beyond reading one file: writing goes
//! through [`write::update`], the only path that changes a config on disk.

mod edit;
pub mod locate;
mod validate;
pub mod write;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{anyhow, Context as _, Result};
use serde_json::Value;

use crate::auth::AuthEntry;
use crate::registry;
pub use edit::Document;
use edit::Object;
use validate::Settings;

pub const AUTHS: &str = "auths";
pub const CREDS_STORE: &str = "credsStore";
pub const CRED_HELPERS: &str = "credHelpers";

/// A parsed config file with its original text.
///
/// Parsing validates the whole text in one serde pass without building a
/// tree, and indexes where each `auths` member sits in the text; an entry is
/// decoded only when asked for. (A tree of a 10,000-entry file was most of
/// the cost of a one-entry logout.)
#[derive(Debug, Clone)]
pub struct Config {
    path: PathBuf,
    exists: bool,
    doc: Document,
    settings: Settings,
    /// Where the `auths` members are; found on first use after a parse or
    /// an edit (a logout edits, then only writes the text).
    index: OnceLock<Index>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    /// Every top-level `auths` member's object, in text order (None for a
    /// `null` one): JSON may repeat the key, and edits must reach them all.
    objects: Vec<Option<Object>>,
    /// The entries docker sees, as ((object, member) of the key's first
    /// place, (object, member) of the value it takes). Go decodes every
    /// `auths` object into one map (a `null` one empties it), a later
    /// member replacing an earlier one with the same key: so a repeated key
    /// shows once, in its first place, with its last value.
    view: View,
    /// `view` slots by key as written, and by normalised key (slots in
    /// view order), built on first use: a one-registry answer costs the
    /// index plus one entry, and `export --all` stays linear (#17).
    exact: OnceLock<HashMap<String, usize>>,
    normal: OnceLock<HashMap<String, Vec<usize>>>,
    /// The first `view` slot by containers/image's normalised key
    /// ([`registry::normalize_containers`]): podman's `export --all` asked
    /// every key for every login, quadratic (#17).
    containers: OnceLock<HashMap<String, usize>>,
    /// The keys of entries docker cannot decode, in file order, found once:
    /// every resolution asks (such an entry poisons the others), and
    /// decoding the whole file per login made `export --all` quadratic.
    undecodable: OnceLock<Vec<usize>>,
    /// Every entry decoded, by view slot, when a command asked to keep them
    /// ([`Config::decode_all`]): `export --all` and `audit` read each entry
    /// several times (inventory, resolver, routing, undecodable check), and
    /// decoding it each time was a third of their work (#17). A command that
    /// reads each entry once (`list`) does not keep them.
    decoded: OnceLock<Vec<AuthEntry>>,
    /// Lookups made so far: the first few scan the keys instead of
    /// building the maps (see `SCANS_BEFORE_MAPS`).
    lookups: Lookups,
}

/// How many lookups scan the keys before the maps are built. A command that
/// asks about one registry (logout, login, get) never allocates a map of
/// every key (at 100,000 keys, that was half of a logout's instructions and
/// most of its memory); one that asks about every login (export) builds
/// them after a few scans, and stays linear (#17).
const SCANS_BEFORE_MAPS: usize = 4;

#[derive(Debug, Default)]
struct Lookups(std::sync::atomic::AtomicUsize);

impl Clone for Lookups {
    fn clone(&self) -> Self {
        Lookups(self.0.load(std::sync::atomic::Ordering::Relaxed).into())
    }
}

/// (index in `Index::objects`, index in that object's members).
type Pos = (usize, usize);

/// `Index::view`. Docker writes one `auths` object with its keys sorted:
/// then slot `s` is member `s`, and nothing is stored per entry (at 100,000
/// entries a list of pairs was 3 MB of a logout's memory, #17).
#[derive(Debug, Clone)]
enum View {
    One { object: usize, len: usize },
    Merged(Vec<(Pos, Pos)>),
}

impl Default for View {
    fn default() -> Self {
        View::Merged(Vec::new())
    }
}

impl View {
    fn len(&self) -> usize {
        match self {
            View::One { len, .. } => *len,
            View::Merged(v) => v.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, slot: usize) -> (Pos, Pos) {
        match self {
            View::One { object, len } => {
                assert!(slot < *len, "slot {slot} of {len}");
                ((*object, slot), (*object, slot))
            }
            View::Merged(v) => v[slot],
        }
    }

    fn iter(&self) -> impl Iterator<Item = (Pos, Pos)> + '_ {
        (0..self.len()).map(|s| self.get(s))
    }
}

impl Index {
    fn build(doc: &Document) -> Index {
        let objects = doc.scan_root_all(AUTHS);
        let t = doc.text();
        // Go sets the map to nil on `"auths": null`: what came before is gone.
        let first = objects
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |i| i + 1);
        let visible: Vec<(usize, &Object)> = objects
            .iter()
            .enumerate()
            .skip(first)
            .filter_map(|(i, o)| o.as_ref().map(|o| (i, o)))
            .collect();
        // Docker writes one object with keys sorted: strictly sorted keys
        // cannot repeat.
        let view = match visible[..] {
            [(o, obj)] if obj.members.windows(2).all(|w| w[0].key(t) < w[1].key(t)) => View::One {
                object: o,
                len: obj.members.len(),
            },
            _ => {
                let total = visible.iter().map(|(_, o)| o.members.len()).sum();
                let mut first: HashMap<&str, usize> = HashMap::with_capacity(total);
                let mut view: Vec<(Pos, Pos)> = Vec::with_capacity(total);
                for (o, obj) in &visible {
                    for (m, member) in obj.members.iter().enumerate() {
                        match first.get(member.key(t)) {
                            Some(&slot) => view[slot].1 = (*o, m),
                            None => {
                                first.insert(member.key(t), view.len());
                                view.push(((*o, m), (*o, m)));
                            }
                        }
                    }
                }
                View::Merged(view)
            }
        };
        Index {
            objects,
            view,
            ..Index::default()
        }
    }

    fn key_of<'a>(&'a self, slot: usize, text: &'a str) -> &'a str {
        self.member(self.view.get(slot).0).key(text)
    }

    /// Whether this lookup scans the keys (else it uses, and may build, a
    /// map). A map built already is always used.
    fn scan(&self, map_built: bool) -> bool {
        let n = self
            .lookups
            .0
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        !map_built && n < SCANS_BEFORE_MAPS
    }

    /// The slot whose key is written exactly `key`.
    fn exact_slot(&self, key: &str, text: &str) -> Option<usize> {
        if self.scan(self.exact.get().is_some()) {
            (0..self.view.len()).find(|&s| self.key_of(s, text) == key)
        } else {
            self.exact(text).get(key).copied()
        }
    }

    /// The slots of every key that names `registry`, in view order.
    fn normal_slots(&self, registry: &str, text: &str) -> Vec<usize> {
        if self.scan(self.normal.get().is_some()) {
            let same = registry::SameRegistry::new(registry);
            (0..self.view.len())
                .filter(|&s| same.matches(self.key_of(s, text)))
                .collect()
        } else {
            let wanted = registry::normalize_cow(registry);
            self.normal(text)
                .get(wanted.as_ref())
                .cloned()
                .unwrap_or_default()
        }
    }

    fn exact(&self, text: &str) -> &HashMap<String, usize> {
        self.exact.get_or_init(|| {
            let mut map = HashMap::with_capacity(self.view.len());
            for slot in 0..self.view.len() {
                map.entry(self.key_of(slot, text).to_string())
                    .or_insert(slot);
            }
            map
        })
    }

    fn normal(&self, text: &str) -> &HashMap<String, Vec<usize>> {
        self.normal.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::with_capacity(self.view.len());
            for slot in 0..self.view.len() {
                let k = registry::normalize_cow(self.key_of(slot, text));
                map.entry(k.into_owned()).or_default().push(slot);
            }
            map
        })
    }

    fn member(&self, (o, m): Pos) -> &edit::Member {
        &self.objects[o].as_ref().expect("a visible object").members[m]
    }

    /// Where `key` is written, in every `auths` object (visible or not).
    fn places(&self, key: &str, text: &str) -> Vec<Pos> {
        let mut out = Vec::new();
        for (o, obj) in self.objects.iter().enumerate() {
            if let Some(obj) = obj {
                for (m, member) in obj.members.iter().enumerate() {
                    if member.key(text) == key {
                        out.push((o, m));
                    }
                }
            }
        }
        out
    }
}

/// A key written more than once where docker reads one value: docker uses
/// the last; the others are hidden from it (and may hold a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// `auths` or `credHelpers`.
    pub section: &'static str,
    /// The repeated key, or None for the section itself repeated at the top
    /// level (docker merges the objects; most other tools read the last).
    pub key: Option<String>,
    pub count: usize,
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
        let settings = if text.trim().is_empty() {
            Settings::default()
        } else {
            validate::validate(&text).with_context(|| format!("cannot parse {}", path.display()))?
        };
        Ok(Config {
            path: path.to_path_buf(),
            exists,
            doc: Document::new(text),
            settings,
            index: OnceLock::new(),
        })
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(&self.doc))
    }

    /// The text changed: spans are found again when next needed.
    fn edited(&mut self) {
        self.index = OnceLock::new();
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
        self.auth_raw()
            .map(|(k, raw)| (k, AuthEntry::from_json(raw)))
    }

    /// The `auths` keys, in file order, without decoding any entry.
    pub fn auth_keys(&self) -> impl Iterator<Item = &str> {
        self.auth_raw().map(|(k, _)| k)
    }

    /// The `auths` keys whose entry docker cannot decode (bad base64, no
    /// colon, a wrong type), in file order. Decoded once per parse.
    pub fn undecodable_keys(&self) -> impl Iterator<Item = &str> {
        let index = self.index();
        let text = self.doc.text();
        index
            .undecodable
            .get_or_init(|| match index.decoded.get() {
                Some(all) => (0..all.len())
                    .filter(|&slot| all[slot].problem.is_some())
                    .collect(),
                None => (0..index.view.len())
                    .filter(|&slot| {
                        let m = index.member(index.view.get(slot).1);
                        undecodable(&text[m.value_start..m.value_end])
                    })
                    .collect(),
            })
            .iter()
            .map(move |&slot| index.key_of(slot, text))
    }

    /// Decode every `auths` entry now and keep them until the next edit:
    /// for a command that reads each entry more than once (through
    /// [`Config::entries`], [`Config::entry`], the resolver). Decoding is
    /// done once per parse; calling this again is free.
    pub fn decode_all(&self) {
        let index = self.index();
        let text = self.doc.text();
        index.decoded.get_or_init(|| {
            index
                .view
                .iter()
                .map(|(_, v)| {
                    let m = index.member(v);
                    AuthEntry::from_json(&text[m.value_start..m.value_end])
                })
                .collect()
        });
    }

    /// The `auths` entries, in file order, with their keys as written:
    /// borrowed when [`Config::decode_all`] kept them, else decoded one at
    /// a time (and dropped).
    pub fn entries(&self) -> impl Iterator<Item = (&str, Cow<'_, AuthEntry>)> {
        let index = self.index();
        let text = self.doc.text();
        let decoded = index.decoded.get();
        index.view.iter().enumerate().map(move |(slot, (k, v))| {
            let entry = match decoded {
                Some(all) => Cow::Borrowed(&all[slot]),
                None => {
                    let m = index.member(v);
                    Cow::Owned(AuthEntry::from_json(&text[m.value_start..m.value_end]))
                }
            };
            (index.member(k).key(text), entry)
        })
    }

    /// [`Config::auth_entry`], borrowed when [`Config::decode_all`] kept
    /// the entries.
    pub fn entry(&self, key: &str) -> Option<Cow<'_, AuthEntry>> {
        let index = self.index();
        let text = self.doc.text();
        let slot = index.exact_slot(key, text)?;
        Some(match index.decoded.get() {
            Some(all) => Cow::Borrowed(&all[slot]),
            None => {
                let m = index.member(index.view.get(slot).1);
                Cow::Owned(AuthEntry::from_json(&text[m.value_start..m.value_end]))
            }
        })
    }

    /// The `auths` entries as their JSON text, in file order.
    pub fn auth_raw(&self) -> impl Iterator<Item = (&str, &str)> {
        let index = self.index();
        let text = self.doc.text();
        index.view.iter().map(move |(k, v)| {
            let m = index.member(v);
            (index.member(k).key(text), &text[m.value_start..m.value_end])
        })
    }

    /// Keys written more than once where docker reads one value, and the
    /// `auths` / `credHelpers` objects themselves repeated.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        let index = self.index();
        let text = self.doc.text();
        let mut out = Vec::new();
        // The object repeated as `auths`; a variant beside it (`Auths`) is
        // audit's `key-case`.
        let objects = match index.objects.len() {
            n if n > 1 => self.doc.root_key_count(AUTHS),
            n => n,
        };
        if objects > 1 {
            out.push(Duplicate {
                section: AUTHS,
                key: None,
                count: objects,
            });
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        // One object with its keys strictly sorted (docker's layout) cannot
        // repeat a key: no map of every key (#17).
        let sorted_one = index.objects.len() == 1 && matches!(index.view, View::One { .. });
        for obj in index.objects.iter().flatten().filter(|_| !sorted_one) {
            for m in &obj.members {
                *seen.entry(m.key(text)).or_default() += 1;
            }
        }
        for (k, _) in index.view.iter() {
            let key = index.member(k).key(text);
            match seen.get(key) {
                Some(&n) if n > 1 => out.push(Duplicate {
                    section: AUTHS,
                    key: Some(key.to_string()),
                    count: n,
                }),
                _ => {}
            }
        }
        let helpers = &self.settings.helper_repeats;
        if self.settings.helper_objects > 1 {
            out.push(Duplicate {
                section: CRED_HELPERS,
                key: None,
                count: self.settings.helper_objects,
            });
        }
        for (k, n) in helpers {
            out.push(Duplicate {
                section: CRED_HELPERS,
                key: Some(k.clone()),
                count: *n,
            });
        }
        out
    }

    /// The `auths` entries as JSON values, in file order.
    pub fn auth_values(&self) -> impl Iterator<Item = (&str, Value)> {
        self.auth_raw()
            .map(|(k, raw)| (k, serde_json::from_str(raw).unwrap_or(Value::Null)))
    }

    /// The `auths` key that holds `registry` (any spelling), if any: the
    /// exact key first, else the first key that normalises the same.
    pub fn find_auth_key(&self, registry: &str) -> Option<&str> {
        let index = self.index();
        let text = self.doc.text();
        let slot = if index.scan(index.exact.get().is_some() && index.normal.get().is_some()) {
            // One pass: the exact key wherever it is, else the first alias.
            let same = registry::SameRegistry::new(registry);
            let mut first = None;
            for slot in 0..index.view.len() {
                let key = index.key_of(slot, text);
                if key == registry {
                    return Some(key);
                }
                if first.is_none() && same.matches(key) {
                    first = Some(slot);
                }
            }
            first?
        } else {
            index.exact(text).get(registry).copied().or_else(|| {
                let normal = index.normal(text);
                normal
                    .get(registry::normalize_cow(registry).as_ref())
                    .and_then(|v| v.first().copied())
            })?
        };
        Some(index.key_of(slot, text))
    }

    /// Every `auths` key that names `registry`, whatever its spelling, in
    /// file order.
    pub fn auth_keys_for(&self, registry: &str) -> Vec<String> {
        let index = self.index();
        let text = self.doc.text();
        index
            .normal_slots(registry, text)
            .into_iter()
            .map(|s| index.key_of(s, text).to_string())
            .collect()
    }

    /// The first `auths` key (in view order) that containers/image's
    /// normalisation turns into `want`: a few lookups scan the keys, more
    /// build a map once, so a lookup per login stays linear (#17).
    pub fn find_containers_key(&self, want: &str) -> Option<&str> {
        let index = self.index();
        let text = self.doc.text();
        let slot = if index.scan(index.containers.get().is_some()) {
            (0..index.view.len())
                .find(|&s| registry::normalize_containers(index.key_of(s, text)) == want)
        } else {
            index
                .containers
                .get_or_init(|| {
                    let mut map = HashMap::with_capacity(index.view.len());
                    for slot in 0..index.view.len() {
                        map.entry(registry::normalize_containers(index.key_of(slot, text)))
                            .or_insert(slot);
                    }
                    map
                })
                .get(want)
                .copied()
        };
        slot.map(|s| index.key_of(s, text))
    }

    /// The entry docker reads for `auths[key]` (key exactly as written),
    /// decoding that entry only.
    pub fn auth_entry(&self, key: &str) -> Option<AuthEntry> {
        self.entry(key).map(Cow::into_owned)
    }

    pub fn creds_store(&self) -> Option<&str> {
        self.settings
            .creds_store
            .as_deref()
            .filter(|s| !s.is_empty())
    }

    /// `credHelpers` as (registry, helper name), in file order.
    pub fn cred_helpers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.settings
            .cred_helpers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Docker's test for "the config holds no auth at all", which decides
    /// whether `docker login` picks a default credential store.
    pub fn has_no_auth(&self) -> bool {
        self.index().view.is_empty()
            && self.creds_store().is_none()
            && self.cred_helpers().next().is_none()
    }

    /// Set `auths[key]` to `value`. Every other place the key is written,
    /// in any `auths` object, goes: a copy docker does not read must not
    /// keep an old secret.
    pub fn set_auth(&mut self, key: &str, value: Value) {
        // One member removed per pass (rare: only repeated keys loop).
        loop {
            let index = self.index.take().unwrap_or_else(|| Index::build(&self.doc));
            let places = index.places(key, self.doc.text());
            // Keep the place docker reads (the last), if docker reads it.
            let visible_from = index
                .objects
                .iter()
                .rposition(Option::is_none)
                .map_or(0, |i| i + 1);
            let keep = places.last().filter(|(o, _)| *o >= visible_from).copied();
            let Some(&drop) = places.iter().find(|p| Some(**p) != keep) else {
                match keep {
                    Some((o, _)) => {
                        let obj = index.objects[o].as_ref().expect("object");
                        self.doc.set_in(obj, key, &value);
                    }
                    None => match index.objects.last() {
                        Some(Some(obj)) => self.doc.set_in(obj, key, &value),
                        // After `"auths": null`, an object before it would
                        // come back if the null became one: a new `auths`
                        // member after it keeps docker's view.
                        Some(None) if index.objects.iter().any(Option::is_some) => {
                            let mut one = serde_json::Map::new();
                            one.insert(key.to_string(), value);
                            self.doc.append_root(AUTHS, &Value::Object(one));
                        }
                        _ => self.doc.set(&[AUTHS], key, &value),
                    },
                }
                self.edited();
                return;
            };
            let obj = index.objects[drop.0].as_ref().expect("object");
            let mut gone = vec![false; obj.members.len()];
            gone[drop.1] = true;
            self.doc.remove_members(obj, &gone);
            self.edited();
        }
    }

    /// `set_auth` for many keys, in one pass over the text for every key
    /// written once where docker reads it (the usual case); the others
    /// (repeated, hidden or new keys) go through `set_auth` one by one.
    /// A migrate of 30,000 logins rewrote the text once per key (#17).
    pub fn set_auths(&mut self, edits: Vec<(String, Value)>) {
        let index = self.index.take().unwrap_or_else(|| Index::build(&self.doc));
        let text = self.doc.text();
        let visible_from = index
            .objects
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |i| i + 1);
        // Each key's first place and how many there are (one is the rule).
        let mut places: HashMap<&str, (Pos, usize)> = HashMap::with_capacity(index.view.len());
        for (o, obj) in index.objects.iter().enumerate() {
            for (m, member) in obj.iter().flat_map(|obj| obj.members.iter().enumerate()) {
                places
                    .entry(member.key(text))
                    .and_modify(|(_, n)| *n += 1)
                    .or_insert(((o, m), 1));
            }
        }
        // The last edit of a key wins, as with `set_auth` in turn.
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(edits.len());
        for (i, (k, _)) in edits.iter().enumerate() {
            last.insert(k.as_str(), i);
        }
        let mut bulk: Vec<(Pos, usize)> = Vec::new();
        let mut rest: Vec<usize> = Vec::new();
        for (i, (k, _)) in edits.iter().enumerate() {
            if last.get(k.as_str()) != Some(&i) {
                continue;
            }
            match places.get(k.as_str()) {
                Some(&((o, m), 1)) if o >= visible_from => bulk.push(((o, m), i)),
                _ => rest.push(i),
            }
        }
        drop(places);
        drop(last);
        let mut members: Vec<(&edit::Member, &Value)> = bulk
            .iter()
            .map(|&(p, i)| (index.member(p), &edits[i].1))
            .collect();
        self.doc.replace_values(&mut members);
        self.edited();
        let mut edits: Vec<Option<(String, Value)>> = edits.into_iter().map(Some).collect();
        for i in rest {
            let (k, v) = edits[i].take().expect("each edit once");
            self.set_auth(&k, v);
        }
    }

    /// Remove `auths[key]`; returns whether it was there.
    pub fn remove_auth(&mut self, key: &str) -> bool {
        self.remove_auths(std::slice::from_ref(&key.to_string())) > 0
    }

    /// Remove several `auths` keys, every place each is written in every
    /// `auths` object, in one pass over the text per object (logout of
    /// thousands stays linear). Returns how many members were removed.
    pub fn remove_auths(&mut self, keys: &[String]) -> usize {
        let index = self.index.take().unwrap_or_else(|| Index::build(&self.doc));
        // Last object first: an edit moves only the text after it.
        let mut n = 0;
        for obj in index.objects.iter().rev().flatten() {
            n += self.doc.remove_in(obj, keys);
        }
        if n == 0 {
            self.index = OnceLock::from(index);
        }
        n
    }

    /// Whether the file has a `credsStore` key at all, even an empty one
    /// (`creds_store` treats an empty one as none, as docker does).
    pub fn has_creds_store_key(&self) -> bool {
        self.settings.creds_store.is_some()
    }

    /// Remove `credsStore` (every place it is written, in any letter case:
    /// docker reads them all); returns whether it was there.
    pub fn remove_creds_store(&mut self) -> bool {
        let gone = self.doc.remove_root_field(CREDS_STORE);
        self.settings.creds_store = None;
        self.edited();
        gone
    }

    /// Remove `credHelpers[registry]` (the key exactly as written) from
    /// every `credHelpers` object, in any letter case (docker merges them);
    /// returns whether it was there.
    pub fn remove_cred_helper(&mut self, registry: &str) -> bool {
        let key = [registry.to_string()];
        let mut gone = 0;
        // Last object first: an edit moves only the text after it.
        for obj in self.doc.scan_root_all(CRED_HELPERS).iter().rev().flatten() {
            gone += self.doc.remove_in(obj, &key);
        }
        self.settings.cred_helpers.retain(|(k, _)| k != registry);
        self.edited();
        gone > 0
    }

    /// An edit outside `auths` is done: the index stays if every `auths`
    /// object lies before what changed (docker's layout: `auths` first), so
    /// that a migrate setting `credsStore` does not scan 30,000 entries again
    /// under the lock (#17).
    fn edited_after_auths(&mut self) {
        let from = self.doc.take_edited_from();
        let keep = self.index.get().is_some_and(|index| {
            index
                .objects
                .iter()
                .all(|o| o.as_ref().is_some_and(|o| o.close < from))
        });
        if !keep {
            self.edited();
        }
    }

    /// Set `credsStore`: every place it is written, in any letter case, so
    /// that the one docker reads (the last) is `name`; with none, a new
    /// `credsStore`.
    pub fn set_creds_store(&mut self, name: &str) {
        self.doc.take_edited_from();
        self.doc
            .set_root_field(CREDS_STORE, &Value::String(name.to_string()));
        self.settings.creds_store = Some(name.to_string());
        self.edited_after_auths();
    }

    /// Set `credHelpers[registry]` where docker reads it: every copy of the
    /// key in the `credHelpers` objects (any letter case) docker merges, or
    /// a new key in the last of them.
    pub fn set_cred_helper(&mut self, registry: &str, helper: &str) {
        self.doc.take_edited_from();
        let value = Value::String(helper.to_string());
        let objects = self.doc.scan_root_all(CRED_HELPERS);
        // Go empties the map on `"credHelpers": null`: what came before it
        // is not read.
        let visible = objects
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |i| i + 1);
        let text = self.doc.text();
        let mut copies: Vec<(&edit::Member, &Value)> = objects[visible..]
            .iter()
            .flatten()
            .flat_map(|o| o.members.iter())
            .filter(|m| m.key(text) == registry)
            .map(|m| (m, &value))
            .collect();
        if !copies.is_empty() {
            self.doc.replace_values(&mut copies);
        } else {
            match objects.last() {
                Some(Some(obj)) => self.doc.set_in(obj, registry, &value),
                // After a `null`, a new object: making the null one would
                // bring back the objects before it.
                Some(None) => {
                    let mut one = serde_json::Map::new();
                    one.insert(registry.to_string(), value);
                    self.doc.append_root(CRED_HELPERS, &Value::Object(one));
                }
                None => self.doc.set(&[CRED_HELPERS], registry, &value),
            }
        }
        let helpers = &mut self.settings.cred_helpers;
        match helpers.iter_mut().find(|(k, _)| k == registry) {
            Some(slot) => slot.1 = helper.to_string(),
            None => helpers.push((registry.to_string(), helper.to_string())),
        }
        self.edited_after_auths();
    }

    /// Set a top-level key dockercfg does not interpret (such as
    /// `cliPluginsExtraDirs`); `auths`, `credsStore` and `credHelpers` have
    /// setters of their own, which keep the parsed settings in step.
    pub fn set_other(&mut self, key: &str, value: Value) {
        assert!(
            ![AUTHS, CREDS_STORE, CRED_HELPERS].contains(&key),
            "{key} has its own setter"
        );
        self.doc.set(&[], key, &value);
        self.edited();
    }
}

/// `AuthEntry::from_json(raw).problem.is_some()`, without building the
/// entry when it is in docker's own form, `{"auth": "BASE64"}`: `explain`
/// checks every other entry for one that poisons docker's file, and
/// decoding each (three copies of its secret, freed again) made a
/// one-registry `explain` cost twice the index (#17).
fn undecodable(raw: &str) -> bool {
    match docker_form_auth(raw) {
        Some(auth) => !auth_decodes(auth),
        None => AuthEntry::from_json(raw).problem.is_some(),
    }
}

/// The `auth` value of an entry written `{"auth": "..."}` and nothing else,
/// with no escape in the value (anything else: None, decode it fully).
fn docker_form_auth(raw: &str) -> Option<&str> {
    // JSON's whitespace outside strings is ASCII whitespace less the form
    // feed, which valid JSON (as the parse checked) has nowhere there.
    let rest = raw.trim_ascii().strip_prefix('{')?.trim_ascii_start();
    let rest = rest.strip_prefix("\"auth\"")?.trim_ascii_start();
    let rest = rest
        .strip_prefix(':')?
        .trim_ascii_start()
        .strip_prefix('"')?;
    let end = memchr::memchr2(b'"', b'\\', rest.as_bytes())?;
    (rest[end..].strip_prefix('"')?.trim_ascii_start() == "}").then(|| &rest[..end])
}

/// Whether `crate::auth::decode_auth` accepts `auth` (empty is no `auth`
/// at all). The value holds no `\r` or `\n` (JSON strings cannot,
/// unescaped). The common case, canonical base64 whose username is ASCII,
/// is checked without decoding the value: one OR over a table checks the
/// characters, then only the bytes up to the first colon (the username)
/// are decoded, so no password is ever materialised;
/// anything else (a bad character, wrong padding, a non-ASCII or empty
/// username) is left to the one decoder, which decides. Decoding each value
/// into a buffer made a one-registry `explain` 1.6× the index (#17).
fn auth_decodes(auth: &str) -> bool {
    let b = auth.as_bytes();
    if b.is_empty() {
        return true;
    }
    let slow = || crate::auth::decode_auth(auth).is_ok();
    // Canonical padding: a whole number of quanta, at most two `=` at the end.
    let pad = b.iter().rev().take(3).take_while(|c| **c == b'=').count();
    if !b.len().is_multiple_of(4) || pad > 2 {
        return slow();
    }
    let body = &b[..b.len() - pad];
    // Every character in the alphabet: INVALID is the only value with its
    // top bit set, so one OR over the table values says (no branch per
    // character).
    if body.iter().fold(0, |any, c| any | B64[usize::from(*c)]) & 0x80 != 0 {
        return slow();
    }
    // Then decode only the username, up to the first colon.
    let mut user_len = 0usize;
    for quantum in body.chunks(4) {
        let mut s = [0u8; 4];
        for (s, c) in s.iter_mut().zip(quantum) {
            *s = B64[usize::from(*c)];
        }
        let bytes = [
            s[0] << 2 | s[1] >> 4,
            s[1] << 4 | s[2] >> 2,
            s[2] << 6 | s[3],
        ];
        for byte in &bytes[..quantum.len() - 1] {
            match byte {
                b':' => return user_len > 0, // an empty username is refused
                0x80.. => return slow(),     // the username's UTF-8 is the decoder's
                _ => user_len += 1,
            }
        }
    }
    false
}

const INVALID: u8 = 0xff;

/// Go's standard base64 alphabet: the value of each character, or INVALID.
const B64: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < alphabet.len() {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

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
    fn undecodable_keys_are_found_once_and_again_after_an_edit() {
        let mut c = parse(
            r#"{"auths": {"a.io": {"auth": "!!"}, "b.io": {"auth": "dTpw"}, "c.io": {"auth": "bm9jb2xvbg=="}}}"#,
        )
        .unwrap();
        let bad = |c: &Config| c.undecodable_keys().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(bad(&c), ["a.io", "c.io"]);
        assert_eq!(bad(&c), ["a.io", "c.io"]);
        assert!(c.remove_auth("a.io"));
        assert_eq!(bad(&c), ["c.io"]);
        // A removal that removes nothing keeps the index, and the answer.
        assert!(!c.remove_auth("zzz.io"));
        assert_eq!(bad(&c), ["c.io"]);
    }

    /// The one-pass check against the decoder on every base64 value of
    /// up to four characters over an alphabet that reaches each branch
    /// (colon, non-ASCII, padding, bad characters), and on encodings of
    /// generated usernames and passwords with every character replaced in
    /// turn.
    #[test]
    fn the_one_pass_auth_check_agrees_with_the_decoder() {
        use base64::Engine;
        let agree = |v: &str| {
            let want = crate::auth::decode_auth(v).is_ok() || v.is_empty();
            assert_eq!(auth_decodes(v), want, "{v:?}");
        };
        // Characters that decode to ':' and to bytes >= 0x80 in places,
        // padding, a bad one, and ordinary ones.
        let chars: Vec<char> = "Ojo6/+AQw=!-".chars().collect();
        let mut n = 0;
        for len in 0..=4u32 {
            for mut i in 0..chars.len().pow(len) {
                let v: String = (0..len)
                    .map(|_| {
                        let c = chars[i % chars.len()];
                        i /= chars.len();
                        c
                    })
                    .collect();
                agree(&v);
                n += 1;
            }
        }
        assert_eq!(n, 1 + 12 + 144 + 1728 + 20736);
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let mut seed = 0x2545_f491_u32;
        for round in 0..400 {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed
            };
            let len = (next() % 24) as usize;
            let mut raw: Vec<u8> = (0..len)
                .map(|_| match next() % 8 {
                    0 => b':',
                    1 => 0xc3,
                    2 => 0xa9,
                    3 => 0,
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            if round % 2 == 0 {
                raw.splice(0..0, *b"user:");
            }
            let v = b64(&raw);
            agree(&v);
            for at in 0..v.len() {
                for c in ['=', 'O', '6', '!', '/'] {
                    let mut w = v.clone().into_bytes();
                    w[at] = c as u8;
                    agree(std::str::from_utf8(&w).unwrap());
                }
            }
        }
    }

    #[test]
    fn the_quick_undecodable_check_agrees_with_decoding() {
        use base64::Engine;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let long = format!("u:{}", "p".repeat(2000));
        let mut values: Vec<String> = [
            &b"u:p"[..],
            b"u:",
            b":p",
            b"nocolon",
            b"",
            b"\xff\xfe:p",
            b"u:\xff",
            b"u:p:q",
            b"\0u:p\0",
            long.as_bytes(),
        ]
        .iter()
        .map(|b| b64(b))
        .collect();
        values.extend(
            [
                "YTpiYx==", "YTpiYw", "YTpiYw=", "YTpiYw==", "!!", "YT pi", "====", "Y", "dTpw\\n",
            ]
            .map(String::from),
        );
        let mut raws = Vec::new();
        for v in &values {
            for form in [
                "{\"auth\": \"V\"}",
                "{\n\t\t\t\"auth\": \"V\"\n\t\t}",
                "{\"auth\":\"V\",\"email\":\"e\"}",
                "{\"Auth\": \"V\"}",
                "{\"auth\": \"V\", \"auth\": \"dTpw\"}",
            ] {
                raws.push(form.replace('V', v));
            }
        }
        raws.extend(
            [
                "{}",
                "null",
                "[]",
                "{\"auth\": 1}",
                "{\"auth\": \"\\u0059TpiYw==\"}",
            ]
            .map(String::from),
        );
        let mut fast = 0;
        for raw in &raws {
            let want = AuthEntry::from_json(raw).problem.is_some();
            assert_eq!(undecodable(raw), want, "{raw}");
            fast += usize::from(docker_form_auth(raw).is_some());
        }
        // Docker's own form takes the quick path (two per value but the
        // one with an escape).
        assert_eq!(fast, 2 * values.len() - 2);
    }

    #[test]
    fn kept_entries_are_the_decoded_ones_until_an_edit() {
        let text = r#"{"auths": {"a.io": {"auth": "!!"}, "b.io": {"auth": "dTpw"}, "c.io": {}, "b.io": {"auth": "djp3"}}}"#;
        let shown = |c: &Config| {
            let all: Vec<String> = c
                .entries()
                .map(|(k, e)| format!("{k} {:?} {:?}", e.username, e.problem))
                .collect();
            let one = c.entry("b.io").map(|e| e.username.clone());
            (
                all,
                one,
                c.undecodable_keys().map(str::to_string).collect::<Vec<_>>(),
            )
        };
        let fresh = parse(text).unwrap();
        let kept = parse(text).unwrap();
        kept.decode_all();
        kept.decode_all();
        assert!(matches!(kept.entry("b.io"), Some(Cow::Borrowed(_))));
        assert!(matches!(fresh.entry("b.io"), Some(Cow::Owned(_))));
        assert_eq!(shown(&kept), shown(&fresh));
        assert_eq!(shown(&kept).1, Some(Some("v".to_string())));
        // An edit drops the kept entries with the index.
        let mut kept = kept;
        kept.set_auth("b.io", serde_json::json!({"auth": "eDp5"}));
        assert_eq!(kept.entry("b.io").unwrap().username.as_deref(), Some("x"));
        assert!(matches!(kept.entry("b.io"), Some(Cow::Owned(_))));
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
    fn odd_keys_never_hide_the_other_entries() {
        // Repeated keys: one row, in the first place, with the last value.
        // A lone surrogate in a key (Go accepts it): kept as written.
        let c = parse(
            "{\"auths\": {\"b.io\": {}, \"\\ud800x\": {}, \"a.io\": {\"auth\": \"YTpi\"}, \"b.io\": {\"auth\": \"YTpi\"}}}",
        )
        .unwrap();
        let got: Vec<_> = c
            .auths()
            .map(|(k, e)| (k.to_string(), e.username))
            .collect();
        assert_eq!(
            got,
            [
                ("b.io".to_string(), Some("a".to_string())),
                ("\\ud800x".to_string(), None),
                ("a.io".to_string(), Some("a".to_string())),
            ]
        );
        // Lone surrogates elsewhere (top-level and nested unknown keys) too.
        let text = "{\"\\udc00\": {\"\\ud800\": 1}, \"auths\": {}}";
        assert_eq!(parse(text).unwrap().text(), text);
    }

    fn entries(c: &Config) -> Vec<(String, Option<String>)> {
        c.auths()
            .map(|(k, e)| (k.to_string(), e.username))
            .collect()
    }

    fn e(k: &str, u: Option<&str>) -> (String, Option<String>) {
        (k.to_string(), u.map(str::to_string))
    }

    #[test]
    fn repeated_auths_objects_merge_as_go_decodes_them() {
        // YTpi = a:b, Yzpk = c:d
        let text = r#"{"auths": {"x.io": {"auth": "YTpi"}, "b.io": {}}, "k": 1, "auths": {"x.io": {"auth": "Yzpk"}, "c.io": {}}}"#;
        let c = parse(text).unwrap();
        assert_eq!(
            entries(&c),
            [e("x.io", Some("c")), e("b.io", None), e("c.io", None)]
        );
        assert_eq!(
            c.duplicates(),
            [
                Duplicate {
                    section: AUTHS,
                    key: None,
                    count: 2
                },
                Duplicate {
                    section: AUTHS,
                    key: Some("x.io".into()),
                    count: 2
                },
            ]
        );
        // `null` empties the map, as Go sets it to nil.
        let c = parse(r#"{"auths": {"a.io": {}}, "auths": null, "auths": {"b.io": {}}}"#).unwrap();
        assert_eq!(entries(&c), [e("b.io", None)]);
        let c = parse(r#"{"auths": {"a.io": {}}, "auths": null}"#).unwrap();
        assert!(c.has_no_auth());
    }

    #[test]
    fn edits_reach_every_copy_of_a_key() {
        let text = r#"{"auths": {"x.io": {"auth": "YTpi"}, "b.io": {}, "x.io": {"auth": "YTpi"}}, "auths": {"x.io": {"auth": "Yzpk"}}}"#;
        let mut c = parse(text).unwrap();
        assert!(c.remove_auth("x.io"));
        assert_eq!(c.text(), r#"{"auths": {"b.io": {}}, "auths": {}}"#);
        let mut c = parse(text).unwrap();
        c.set_auth("x.io", serde_json::json!({}));
        assert_eq!(
            c.text(),
            r#"{"auths": {"b.io": {}}, "auths": {"x.io": {}}}"#
        );
        assert_eq!(entries(&c), [e("b.io", None), e("x.io", None)]);
        // A copy hidden behind `"auths": null` goes too; the new value goes
        // where docker reads it.
        let mut c =
            parse(r#"{"auths": {"x.io": {"auth": "YTpi"}}, "auths": null, "auths": {"b.io": {}}}"#)
                .unwrap();
        c.set_auth("x.io", serde_json::json!({}));
        assert_eq!(
            c.text(),
            r#"{"auths": {}, "auths": null, "auths": {"b.io": {},"x.io": {}}}"#
        );
    }

    #[test]
    fn set_auths_is_set_auth_in_turn() {
        let texts = [
            "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t},\n\t\t\"b.io\": {}\n\t}\n}",
            r#"{"auths": {"x.io": {"auth": "YTpi"}, "b.io": {}, "x.io": {}}, "auths": {"a.io": {}}}"#,
            r#"{"auths": {"a.io": {"auth": "YTpi"}}, "auths": null, "auths": {"b.io": {}}}"#,
            "{\r\n  \"auths\": {\r\n    \"b.io\": {},\r\n    \"a.io\": {}\r\n  }\r\n}",
            "",
        ];
        let edits = [
            ("a.io", serde_json::json!({"email": "e"})),
            ("x.io", serde_json::json!({})),
            ("b.io", serde_json::json!({"k": [1, {"z": 2}]})),
            ("new.io", serde_json::json!({})),
            ("a.io", serde_json::json!({"last": true})),
        ];
        for t in texts {
            let mut one = parse(t).unwrap();
            for (k, v) in &edits {
                one.set_auth(k, v.clone());
            }
            let mut bulk = parse(t).unwrap();
            bulk.set_auths(
                edits
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            );
            assert_eq!(bulk.text(), one.text(), "from {t:?}");
            assert_eq!(entries(&bulk), entries(&one));
        }
    }

    #[test]
    fn repeated_cred_helpers_merge() {
        let c =
            parse(r#"{"credHelpers": {"a.io": "x", "b.io": "y"}, "credHelpers": {"a.io": "z"}}"#)
                .unwrap();
        let got: Vec<_> = c.cred_helpers().collect();
        assert_eq!(got, [("a.io", "z"), ("b.io", "y")]);
        assert_eq!(
            c.duplicates(),
            [
                Duplicate {
                    section: CRED_HELPERS,
                    key: None,
                    count: 2
                },
                Duplicate {
                    section: CRED_HELPERS,
                    key: Some("a.io".into()),
                    count: 2
                },
            ]
        );
        let c = parse(r#"{"credHelpers": {"a.io": "x"}, "credHelpers": null}"#).unwrap();
        assert_eq!(c.cred_helpers().count(), 0);
    }

    #[test]
    fn rule11_sections_in_any_letter_case_merge_as_go_decodes_them() {
        // YTpi = a:b, Yzpk = c:d
        let c = parse(
            "{\"Auths\": {\"x.io\": {\"Auth\": \"YTpi\"}}, \"auth s\": {\"n.io\": {}}, \"autHs2\": {\"m.io\": {}}, \"AUTH\\u017f\": {\"x.io\": {\"auth\": \"Yzpk\"}, \"b.io\": {}}, \"CREDSSTORE\": \"pass\", \"credHelpers\": {\"a.io\": \"x\"}, \"CredHelpers\": {\"b.io\": \"y\"}}",
        )
        .unwrap();
        assert_eq!(entries(&c), [e("x.io", Some("c")), e("b.io", None)]);
        assert_eq!(c.auth_entry("x.io").unwrap().username.as_deref(), Some("c"));
        assert_eq!(c.creds_store(), Some("pass"));
        let helpers: Vec<_> = c.cred_helpers().collect();
        assert_eq!(helpers, [("a.io", "x"), ("b.io", "y")]);
        // The last string wins; `null` leaves it; a null map empties it.
        let c =
            parse(r#"{"credsStore": "pass", "credsstore": "secretservice", "CREDSSTORE": null}"#)
                .unwrap();
        assert_eq!(c.creds_store(), Some("secretservice"));
        let c = parse(r#"{"credHelpers": {"a.io": "x"}, "credhelpers": null, "Auths": {"a.io": {}}, "AUTHS": null}"#)
            .unwrap();
        assert_eq!(c.cred_helpers().count(), 0);
        assert!(c.has_no_auth());
        // A key in both objects is a repeat; `Auths` beside `auths` is not
        // a repeated object (audit's key-case says that).
        let c = parse(r#"{"auths": {"x.io": {}}, "Auths": {"x.io": {}}, "credHelpers": {}, "credhelpers": {}}"#)
            .unwrap();
        assert_eq!(
            c.duplicates(),
            [Duplicate {
                section: AUTHS,
                key: Some("x.io".into()),
                count: 2
            }]
        );
        // A wrong type is an error in any case, as it is for docker.
        assert!(parse(r#"{"Auths": 5}"#).is_err());
        assert!(parse(r#"{"credsstore": 1}"#).is_err());
    }

    #[test]
    fn rule11_edits_reach_the_keys_docker_reads() {
        // login into a file whose only `auths` is `Auths`: no second object.
        let mut c = parse(r#"{"Auths": {"a.io": {}}, "k": 1}"#).unwrap();
        c.set_auth("b.io", serde_json::json!({"auth": "YTpi"}));
        assert_eq!(
            c.text(),
            r#"{"Auths": {"a.io": {},"b.io": {"auth":"YTpi"}}, "k": 1}"#
        );
        // logout: every variant's copy goes.
        let mut c =
            parse(r#"{"auths": {"x.io": {}, "y.io": {}}, "AUTHS": {"x.io": {"auth": "YTpi"}}}"#)
                .unwrap();
        assert!(c.remove_auth("x.io"));
        assert_eq!(c.text(), r#"{"auths": {"y.io": {}}, "AUTHS": {}}"#);
        // store set/clear: every variant, in its place.
        let text = r#"{"credsStore": "desktop", "x": 1, "credsstore": "pass", "CredsStore": null}"#;
        let mut c = parse(text).unwrap();
        c.set_creds_store("secretservice");
        assert_eq!(
            c.text(),
            r#"{"credsStore": "secretservice", "x": 1, "credsstore": "secretservice", "CredsStore": "secretservice"}"#
        );
        assert_eq!(
            parse(c.text()).unwrap().creds_store(),
            Some("secretservice")
        );
        let mut c = parse(text).unwrap();
        assert!(c.remove_creds_store());
        assert_eq!(c.text(), r#"{"x": 1}"#);
        let mut c =
            parse(r#"{"CredHelpers": {"a.io": "x"}, "credHelpers": {"a.io": "y", "b.io": "z"}}"#)
                .unwrap();
        c.set_cred_helper("a.io", "pass");
        c.set_cred_helper("c.io", "pass");
        assert_eq!(
            c.text(),
            r#"{"CredHelpers": {"a.io": "pass"}, "credHelpers": {"a.io": "pass", "b.io": "z", "c.io": "pass"}}"#
        );
        assert!(c.remove_cred_helper("a.io"));
        assert_eq!(
            c.text(),
            r#"{"CredHelpers": {}, "credHelpers": {"b.io": "z", "c.io": "pass"}}"#
        );
        // After a null variant, a new object (the null would empty it).
        let mut c = parse(r#"{"CredHelpers": {"a.io": "x"}, "credhelperſ": null}"#).unwrap();
        c.set_cred_helper("b.io", "pass");
        let fresh = parse(c.text()).unwrap();
        let helpers: Vec<_> = fresh.cred_helpers().collect();
        assert_eq!(helpers, [("b.io", "pass")], "{}", c.text());
        let mut c = parse(r#"{"Auths": {"a.io": {}}, "authſ": null}"#).unwrap();
        c.set_auth("b.io", serde_json::json!({}));
        assert_eq!(
            entries(&parse(c.text()).unwrap()),
            [e("b.io", None)],
            "{}",
            c.text()
        );
    }

    #[test]
    fn bytes_after_the_json_value_are_ignored_and_kept() {
        let mut c = parse("{\"auths\": {\"a.io\": {}}}\n} trailing [").unwrap();
        assert_eq!(entries(&c), [e("a.io", None)]);
        c.set_auth("b.io", serde_json::json!({}));
        assert!(c.text().ends_with("}\n} trailing ["), "{}", c.text());
        // A syntax error inside the value is still one.
        assert!(parse("{\"auths\": {} x").is_err());
        assert!(parse("[] {}").is_err());
    }

    #[test]
    fn scans_and_maps_give_the_same_answers() {
        // The first lookups scan the keys, later ones use the maps: every
        // question is asked more often than SCANS_BEFORE_MAPS, and each
        // answer must not change when the maps take over.
        let c = parse(
            r#"{"auths": {"https://Quay.io/v2/": {}, "docker.io": {"auth": "YTpi"}, "quay.io": {"auth": "Yzpk"}, " QUAY.IO ": {}, "https://index.docker.io/v1/": {}, "ghcr.io": {}, "GHCR.io": {}}}"#,
        )
        .unwrap();
        let questions = [
            "quay.io",
            "QUAY.io",
            "https://quay.io",
            "docker.io",
            "index.docker.io",
            "ghcr.io",
            "GHCR.io",
            "nothing.io",
            "",
        ];
        let answers = |c: &Config| -> Vec<String> {
            questions
                .iter()
                .map(|q| {
                    format!(
                        "{q}: {:?} {:?} {:?}",
                        c.find_auth_key(q),
                        c.auth_keys_for(q),
                        c.auth_entry(q).and_then(|e| e.username)
                    )
                })
                .collect()
        };
        let first = answers(&c);
        assert!(c.index().exact.get().is_some() && c.index().normal.get().is_some());
        assert_eq!(answers(&c), first);
        assert_eq!(
            first[0],
            r#"quay.io: Some("quay.io") ["https://Quay.io/v2/", "quay.io", " QUAY.IO "] Some("c")"#
        );
        assert_eq!(
            first[3],
            r#"docker.io: Some("docker.io") ["docker.io", "https://index.docker.io/v1/"] Some("a")"#
        );
        assert_eq!(
            first[4],
            r#"index.docker.io: Some("docker.io") ["docker.io", "https://index.docker.io/v1/"] None"#
        );
        assert_eq!(
            first[6],
            r#"GHCR.io: Some("GHCR.io") ["ghcr.io", "GHCR.io"] None"#
        );
        // A fresh parse, asked in another order, agrees too.
        let c2 = parse(c.text()).unwrap();
        let mut again: Vec<String> = questions
            .iter()
            .rev()
            .map(|q| {
                format!(
                    "{q}: {:?} {:?} {:?}",
                    c2.find_auth_key(q),
                    c2.auth_keys_for(q),
                    c2.auth_entry(q).and_then(|e| e.username)
                )
            })
            .collect();
        again.reverse();
        assert_eq!(again, first);
    }

    #[test]
    fn routing_edits_keep_or_drop_the_index_as_the_text_moved() {
        // YTpi = a:b. credsStore after `auths` (docker's order) leaves the
        // entries where they were; before it, or in a second `auths`
        // object's way, they move: every answer must follow the text.
        for text in [
            "{\n\t\"auths\": {\n\t\t\"a.io\": {\"auth\": \"YTpi\"}\n\t}\n}",
            "{\"credHelpers\": {}, \"auths\": {\"a.io\": {\"auth\": \"YTpi\"}}}",
            "{\"auths\": {\"x.io\": {}}, \"credHelpers\": {}, \"auths\": {\"a.io\": {\"auth\": \"YTpi\"}}}",
            "{\"auths\": {\"a.io\": {\"auth\": \"YTpi\"}}, \"auths\": null, \"auths\": {\"a.io\": {\"auth\": \"YTpi\"}}}",
        ] {
            let mut c = parse(text).unwrap();
            assert_eq!(c.auth_entry("a.io").unwrap().username.as_deref(), Some("a"));
            c.set_creds_store("pass");
            c.set_cred_helper("b.io", "secretservice");
            c.set_auths(vec![("a.io".into(), serde_json::json!({}))]);
            let fresh = parse(c.text()).unwrap();
            assert_eq!(entries(&c), entries(&fresh), "{text}");
            assert_eq!(c.auth_entry("a.io").unwrap().username, None, "{}", c.text());
            assert_eq!(fresh.creds_store(), Some("pass"));
            let helpers: Vec<_> = fresh.cred_helpers().collect();
            assert_eq!(helpers, [("b.io", "secretservice")]);
        }
    }

    #[test]
    fn containers_key_lookups_scan_then_map_and_agree() {
        // Scanned for the first lookups, then from the map: the same
        // answers, the first key in view order for a normalised name.
        let c = parse(
            "{\"auths\": {\"https://Quay.io/v1/\": {}, \"quay.io\": {}, \
             \"quay.io/org/repo\": {}, \"index.docker.io\": {}}}",
        )
        .unwrap();
        for _ in 0..2 * SCANS_BEFORE_MAPS {
            assert_eq!(
                c.find_containers_key("quay.io"),
                Some("https://Quay.io/v1/")
            );
            assert_eq!(
                c.find_containers_key("quay.io/org/repo"),
                Some("quay.io/org/repo")
            );
            assert_eq!(c.find_containers_key("docker.io"), Some("index.docker.io"));
            assert_eq!(c.find_containers_key("ghcr.io"), None);
        }
        assert!(c.index().containers.get().is_some());
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
