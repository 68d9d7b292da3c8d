//! Format-preserving edits of a JSON document's text.
//!
//! serde_json tells us what the document *means*; this module knows where
//! things *are*: the byte spans of an object's members. Every edit is a splice
//! of the original text, so whatever an edit does not touch keeps its bytes:
//! unknown keys, key order, indentation, spacing, escapes, number spellings.
//! (Docker rewrites the whole file and drops keys it does not know; see
//! shared/COMPAT.md.)
//!
//! The scanner assumes the text is valid JSON: callers validate with
//! serde_json first, which also gives the user line and column on errors.

use serde_json::Value;

use crate::jsonkey::is_field;

/// One `"key": value` member of an object, as byte offsets into the text.
#[derive(Debug, Clone)]
pub(super) struct Member {
    /// The decoded key.
    key: MemberKey,
    /// Just after the `{` or `,` that precedes this member.
    lead: usize,
    /// Start of the key's opening quote.
    key_start: usize,
    /// Start and end of the value.
    pub(super) value_start: usize,
    pub(super) value_end: usize,
}

/// A key as written when it has no escapes (a span of the text: no
/// allocation per member), else decoded.
#[derive(Debug, Clone)]
enum MemberKey {
    Span(usize, usize),
    Decoded(String),
}

impl Member {
    /// The decoded key; `text` is the text this member was scanned from.
    pub(super) fn key<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.key {
            MemberKey::Span(s, e) => &text[*s..*e],
            MemberKey::Decoded(k) => k,
        }
    }
}

/// An object's members and the position of its braces.
#[derive(Debug, Clone)]
pub(super) struct Object {
    open: usize,
    pub(super) close: usize,
    pub(super) members: Vec<Member>,
}

/// A JSON text that can be edited in place.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    /// Whether an edit changed the text since `new` (the write path skips
    /// writing otherwise, without keeping a copy of the text to compare).
    changed: bool,
    /// The lowest byte offset an edit changed since `take_edited_from`:
    /// what lies before it kept its place.
    edited_from: usize,
}

impl Document {
    /// Wrap a text already known to be a JSON object, or empty/whitespace
    /// (which is an empty config, as docker treats it).
    pub fn new(text: String) -> Self {
        Document {
            text,
            changed: false,
            edited_from: usize::MAX,
        }
    }

    /// Whether the text differs from the one `new` was given: an edit that
    /// wrote the same bytes back (a value set to what it was) is no change.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// The lowest byte offset changed since the last call (usize::MAX:
    /// none), and start counting again.
    pub(super) fn take_edited_from(&mut self) -> usize {
        std::mem::replace(&mut self.edited_from, usize::MAX)
    }

    fn edited_at(&mut self, pos: usize) {
        self.changed = true;
        self.edited_from = self.edited_from.min(pos);
    }

    /// Replace `range` with `new`, noting whether that changed anything.
    fn splice(&mut self, range: std::ops::Range<usize>, new: &str) {
        if self.text[range.clone()] != *new {
            self.edited_at(range.start);
            self.text.replace_range(range, new);
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// Set `path... / key` to `value`. Objects on the path are created when
    /// missing. An existing member keeps its place and only its value's bytes
    /// change; a new member goes where it keeps sorted keys sorted (docker
    /// sorts `auths`), else at the end.
    pub fn set(&mut self, path: &[&str], key: &str, value: &Value) {
        self.ensure_root();
        let obj = self.object_at_or_create(path);
        self.set_in(&obj, key, value);
    }

    /// `set` on an object the caller has already scanned (and that this text
    /// still holds unchanged).
    pub(super) fn set_in(&mut self, obj: &Object, key: &str, value: &Value) {
        if let Some(m) = obj.members.iter().rev().find(|m| m.key(&self.text) == key) {
            let indent = self.line_indent(m.key_start);
            let new = self.render(value, &indent);
            self.splice(m.value_start..m.value_end, &new);
            return;
        }
        self.insert_member(obj, key, value);
    }

    /// Remove every member named `key` from the object at `path` (JSON may
    /// repeat a key; serde and docker take the last, so all must go).
    /// Returns whether anything was removed.
    pub fn remove(&mut self, path: &[&str], key: &str) -> bool {
        self.remove_many(path, std::slice::from_ref(&key.to_string())) > 0
    }

    /// Remove every member whose key is in `keys`, in one pass over the text.
    /// Returns how many members were removed.
    pub fn remove_many(&mut self, path: &[&str], keys: &[String]) -> usize {
        match self.object_at(path) {
            Some(obj) => self.remove_in(&obj, keys),
            None => 0,
        }
    }

    /// `remove_many` on an object the caller has already scanned.
    pub(super) fn remove_in(&mut self, obj: &Object, keys: &[String]) -> usize {
        let gone = self.members_named(obj, keys);
        self.remove_members(obj, &gone)
    }

    /// Which members of `obj` have a key in `keys`.
    fn members_named(&self, obj: &Object, keys: &[String]) -> Vec<bool> {
        // A logout removes one or a few keys: a hash set only pays for many.
        let wanted: std::collections::HashSet<&str> = if keys.len() > 8 {
            keys.iter().map(String::as_str).collect()
        } else {
            Default::default()
        };
        let text = &self.text;
        let gone: Vec<bool> = obj
            .members
            .iter()
            .map(|m| {
                let k = m.key(text);
                if keys.len() > 8 {
                    wanted.contains(k)
                } else {
                    keys.iter().any(|w| w == k)
                }
            })
            .collect();
        gone
    }

    /// Remove the members of `obj` (scanned from this text) marked in `gone`.
    /// Returns how many were removed.
    pub(super) fn remove_members(&mut self, obj: &Object, gone: &[bool]) -> usize {
        let count = gone.iter().filter(|g| **g).count();
        if count == 0 {
            return 0;
        }
        let mut ranges = Vec::new();
        match gone.iter().rposition(|g| !g) {
            // Nothing kept: the object becomes `{}`.
            None => ranges.push(obj.open + 1..obj.close),
            Some(last_kept) => {
                // A removed member before the last kept one goes from its key
                // to the next key: its comma and the next member's leading
                // whitespace go, its own leading whitespace stays for the
                // next member (so `{"a": 1, "b": 2}` becomes `{"b": 2}`).
                for (i, m) in obj.members.iter().enumerate().take(last_kept) {
                    if gone[i] {
                        ranges.push(m.key_start..obj.members[i + 1].key_start);
                    }
                }
                // Removed members after it go from its end, comma included.
                if last_kept + 1 < obj.members.len() {
                    let end = obj.members.last().expect("non-empty").value_end;
                    ranges.push(obj.members[last_kept].value_end..end);
                }
            }
        }
        self.edited_at(ranges.first().map_or(0, |r| r.start));
        // A few cuts (a logout) move the text in place: no second buffer of
        // the whole file. Many (a logout of thousands) build the result in
        // one pass instead of moving the tail once per cut.
        if ranges.len() <= 8 {
            for r in ranges.into_iter().rev() {
                self.text.replace_range(r, "");
            }
            return count;
        }
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for r in ranges {
            out.push_str(&self.text[at..r.start]);
            at = r.end;
        }
        out.push_str(&self.text[at..]);
        self.text = out;
        count
    }

    /// An empty or whitespace-only text becomes an empty object laid out as
    /// docker writes (tab-indented, no final newline).
    fn ensure_root(&mut self) {
        if self.text.trim().is_empty() {
            self.text = "{\n}".to_string();
            self.edited_at(0);
        }
    }

    /// Every root member that Go decodes into the field `field` (its name
    /// in any letter case, `crate::jsonkey`), in text order: its object, or
    /// None when its value is not an object (`null`), in one pass over the
    /// text. Empty when the text is empty or not an object. (JSON may repeat
    /// a key; Go decodes each repeat of an object into the same map.)
    pub(super) fn scan_root_all(&self, field: &str) -> Vec<Option<Object>> {
        let t = self.text.as_str();
        let b = t.as_bytes();
        let mut found = Vec::new();
        scan_object_with(t, skip_ws(b, 0), &mut |k, start| {
            if !is_field(k.as_bytes(), field) {
                return None;
            }
            let obj = if b.get(start) == Some(&b'{') {
                scan_object(t, start)
            } else {
                None
            };
            let end = obj.as_ref().map(|o: &Object| o.close + 1);
            found.push(obj);
            end
        });
        found
    }

    /// The root members Go decodes into the field `field` (any letter
    /// case), in text order.
    fn root_fields(&self, field: &str) -> (Option<Object>, Vec<bool>) {
        let t = self.text.as_str();
        let Some(root) = scan_object(t, skip_ws(t.as_bytes(), 0)) else {
            return (None, Vec::new());
        };
        let hits = root
            .members
            .iter()
            .map(|m| is_field(m.key(t).as_bytes(), field))
            .collect();
        (Some(root), hits)
    }

    /// How many root members are written `key` exactly.
    pub(super) fn root_key_count(&self, key: &str) -> usize {
        let t = self.text.as_str();
        scan_object(t, skip_ws(t.as_bytes(), 0)).map_or(0, |root| {
            root.members.iter().filter(|m| m.key(t) == key).count()
        })
    }

    /// Set every root member Go decodes into the string field `field` (any
    /// letter case: docker takes the last one that is not `null`) to
    /// `value`, each in its place; with none, add `field` as `set` does.
    pub(super) fn set_root_field(&mut self, field: &str, value: &Value) {
        let (root, hits) = self.root_fields(field);
        let Some(root) = root.filter(|_| hits.contains(&true)) else {
            return self.set(&[], field, value);
        };
        let mut edits: Vec<(&Member, &Value)> = root
            .members
            .iter()
            .zip(&hits)
            .filter(|(_, hit)| **hit)
            .map(|(m, _)| (m, value))
            .collect();
        self.replace_values(&mut edits);
    }

    /// Remove every root member Go decodes into `field` (any letter case).
    /// Returns whether there was one.
    pub(super) fn remove_root_field(&mut self, field: &str) -> bool {
        match self.root_fields(field) {
            (Some(root), hits) => self.remove_members(&root, &hits) > 0,
            (None, _) => false,
        }
    }

    /// Add `key: value` as the root object's last member, after any member
    /// with the same key or a variant of it (`"credHelpers": null` must not
    /// follow the new one and empty it again).
    pub(super) fn append_root(&mut self, key: &str, value: &Value) {
        self.ensure_root();
        let t = self.text.as_str();
        let root = scan_object(t, skip_ws(t.as_bytes(), 0)).expect("a JSON object");
        match root.members.last() {
            Some(last) => {
                let key_json = serde_json::to_string(key).expect("a string serialises");
                let sep = self.key_value_separator(&root);
                self.append_after(last, &key_json, &sep, value);
            }
            None => self.insert_member(&root, key, value),
        }
    }

    fn object_at(&self, path: &[&str]) -> Option<Object> {
        let t = self.text.as_str();
        let mut obj = scan_object(t, skip_ws(t.as_bytes(), 0))?;
        for seg in path {
            let m = obj.members.iter().rev().find(|m| m.key(t) == *seg)?;
            obj = scan_object(t, m.value_start)?;
        }
        Some(obj)
    }

    /// The object at `path`, creating (or replacing a non-object with) empty
    /// objects along the way.
    fn object_at_or_create(&mut self, path: &[&str]) -> Object {
        for depth in 0..path.len() {
            let parent = &path[..depth];
            let seg = path[depth];
            let parent_obj = self.object_at(parent).expect("parent object exists");
            let is_object = parent_obj
                .members
                .iter()
                .rev()
                .find(|m| m.key(&self.text) == seg)
                .is_some_and(|m| self.text.as_bytes()[m.value_start] == b'{');
            if !is_object {
                self.set(parent, seg, &Value::Object(Default::default()));
            }
        }
        self.object_at(path).expect("object was just created")
    }

    fn insert_member(&mut self, obj: &Object, key: &str, value: &Value) {
        let key_json = serde_json::to_string(key).expect("a string serialises");
        let sep = self.key_value_separator(obj);
        if obj.members.is_empty() {
            let (open_nl, indent, close_indent) = if self.is_compact() {
                (String::new(), String::new(), String::new())
            } else {
                let base = self.line_indent(obj.open);
                let unit = self.indent_unit();
                let nl = self.newline();
                (
                    nl.to_string(),
                    format!("{base}{unit}"),
                    format!("{nl}{base}"),
                )
            };
            let rendered = self.render(value, &indent);
            let body = format!("{open_nl}{indent}{key_json}{sep}{rendered}{close_indent}");
            self.splice(obj.open + 1..obj.close, &body);
            return;
        }
        let t = &self.text;
        let sorted = obj.members.windows(2).all(|w| w[0].key(t) <= w[1].key(t));
        let before = if sorted {
            obj.members.iter().find(|m| m.key(t) > key)
        } else {
            None
        };
        match before {
            // Insert ahead of `m`, copying the whitespace that leads it.
            Some(m) => {
                let new = format!("{},", self.member_like(m, &key_json, &sep, value));
                self.text.insert_str(m.lead, &new);
                self.edited_at(m.lead);
            }
            // Append after the last member, with the same leading whitespace.
            None => {
                let last = obj.members.last().expect("non-empty");
                self.append_after(last, &key_json, &sep, value);
            }
        }
    }

    /// Insert `key_json: value` after the member `last`, led by the same
    /// whitespace and indented as it is.
    fn append_after(&mut self, last: &Member, key_json: &str, sep: &str, value: &Value) {
        let new = format!(",{}", self.member_like(last, key_json, sep, value));
        self.text.insert_str(last.value_end, &new);
        self.edited_at(last.value_end);
    }

    /// `key_json: value` written as the member `like` is: led by the same
    /// whitespace, the value indented as its line is.
    fn member_like(&self, like: &Member, key_json: &str, sep: &str, value: &Value) -> String {
        let lead_ws = &self.text[like.lead..like.key_start];
        let rendered = self.render(value, &self.line_indent(like.key_start));
        format!("{lead_ws}{key_json}{sep}{rendered}")
    }

    /// The line ending of the document: `\r\n` when its first line break is
    /// one (a file edited on Windows), else `\n`, so new lines match old.
    fn newline(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if i > 0 && self.text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// `": "` as docker writes it, or whatever the object's first member uses.
    fn key_value_separator(&self, obj: &Object) -> String {
        let bytes = self.text.as_bytes();
        match obj.members.first() {
            Some(m) => {
                let key_end = skip_string(bytes, m.key_start);
                self.text[key_end..m.value_start].to_string()
            }
            None if self.is_compact() => ":".to_string(),
            None => ": ".to_string(),
        }
    }

    /// A document with no newline at all is written compactly, like `{"auths":{}}`.
    fn is_compact(&self) -> bool {
        !self.text.trim().is_empty() && !self.text.trim().contains('\n')
    }

    /// The unit of indentation: what the first indented line uses, else a tab
    /// (docker's choice).
    fn indent_unit(&self) -> String {
        for line in self.text.lines().skip(1) {
            let ws: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            if !ws.is_empty() && ws.len() < line.len() {
                return ws;
            }
        }
        "\t".to_string()
    }

    /// The leading whitespace of the line holding byte `pos`.
    fn line_indent(&self, pos: usize) -> String {
        let line_start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        self.text[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }

    /// Replace the values of several members at once, as `set_in` would one
    /// by one, in one pass over the text (one `set_in` per member rescans
    /// and moves the whole text: quadratic for a migrate of thousands,
    /// #17). The members must be from this text and distinct.
    pub(super) fn replace_values(&mut self, edits: &mut [(&Member, &Value)]) {
        if edits.is_empty() {
            return;
        }
        edits.sort_by_key(|(m, _)| m.value_start);
        let compact = self.is_compact();
        let unit = self.indent_unit();
        let nl = self.newline();
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        // One buffer for every value (most are the same small `{}`).
        let mut buf = Vec::new();
        for (m, value) in edits.iter() {
            out.push_str(&self.text[at..m.value_start]);
            let before = out.len();
            buf.clear();
            if compact {
                serde_json::to_writer(&mut buf, value).expect("a Value serialises");
            } else {
                let fmt = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                serde::Serialize::serialize(*value, &mut ser).expect("a Value serialises");
            }
            let pretty = std::str::from_utf8(&buf).expect("serde_json writes UTF-8");
            if compact || !pretty.contains('\n') {
                out.push_str(pretty);
            } else {
                let indent = self.line_indent(m.key_start);
                out.push_str(&pretty.replace('\n', &format!("{nl}{indent}")));
            }
            if out[before..] != self.text[m.value_start..m.value_end] {
                self.changed = true;
                self.edited_from = self.edited_from.min(m.value_start);
            }
            at = m.value_end;
        }
        out.push_str(&self.text[at..]);
        self.text = out;
    }

    /// Render `value` for a member whose line is indented by `indent`.
    fn render(&self, value: &Value, indent: &str) -> String {
        if self.is_compact() {
            return serde_json::to_string(value).expect("a Value serialises");
        }
        let unit = self.indent_unit();
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        serde::Serialize::serialize(value, &mut ser).expect("a Value serialises");
        let pretty = String::from_utf8(out).expect("serde_json writes UTF-8");
        pretty.replace('\n', &format!("{}{indent}", self.newline()))
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `i` is at a `"`; returns the index just past the closing quote.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while let Some(at) = memchr::memchr2(b'"', b'\\', &b[i.min(b.len())..]) {
        i += at;
        if b[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    b.len()
}

/// Index just past the value that starts at `i`.
fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{') | Some(b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            j
        }
    }
}

/// Scan the object starting at `open` (which must be `{`).
fn scan_object(t: &str, open: usize) -> Option<Object> {
    scan_object_with(t, open, &mut |_, _| None)
}

/// `scan_object`, letting `visit(key, value_start)` scan a member's value
/// itself: when it returns the value's end, the value is not skipped again.
fn scan_object_with(
    t: &str,
    open: usize,
    visit: &mut dyn FnMut(&str, usize) -> Option<usize>,
) -> Option<Object> {
    let b = t.as_bytes();
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut lead = open + 1;
    let mut i = skip_ws(b, lead);
    if b.get(i) == Some(&b'}') {
        return Some(Object {
            open,
            close: i,
            members,
        });
    }
    loop {
        let key_start = i;
        let key_end = skip_string(b, key_start);
        let (s, e) = (key_start + 1, key_end.saturating_sub(1).max(key_start + 1));
        // Most keys have no escapes: take them as they are.
        let key = if b[s..e].contains(&b'\\') {
            // A lone surrogate escape (valid JSON, which Go reads) is not a
            // Rust string: keep such a key as written rather than lose the
            // whole object.
            let quoted = t.get(key_start..key_end)?;
            MemberKey::Decoded(
                serde_json::from_str(quoted)
                    .unwrap_or_else(|_| quoted[1..quoted.len() - 1].to_string()),
            )
        } else {
            t.get(s..e)?;
            MemberKey::Span(s, e)
        };
        let key_text = match &key {
            MemberKey::Span(s, e) => &t[*s..*e],
            MemberKey::Decoded(k) => k.as_str(),
        };
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, i + 1);
        let value_end = match visit(key_text, value_start) {
            Some(end) => end,
            None => skip_value(b, value_start),
        };
        members.push(Member {
            key,
            lead,
            key_start,
            value_start,
            value_end,
        });
        i = skip_ws(b, value_end);
        match b.get(i) {
            Some(b',') => {
                lead = i + 1;
                i = skip_ws(b, lead);
            }
            Some(b'}') => {
                return Some(Object {
                    open,
                    close: i,
                    members,
                })
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(s: &str) -> Document {
        Document::new(s.to_string())
    }

    const DOCKER: &str = "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t},\n\t\t\"b.io\": {},\n\t\t\"c.io\": {\n\t\t\t\"auth\": \"Yzpk\"\n\t\t}\n\t},\n\t\"psFormat\": \"x\"\n}";

    #[test]
    fn remove_middle_first_last_only() {
        let mut d = doc(DOCKER);
        assert!(d.remove(&["auths"], "b.io"));
        assert_eq!(d.text(), DOCKER.replace("\n\t\t\"b.io\": {},", ""));
        let mut d = doc(DOCKER);
        d.remove(&["auths"], "a.io");
        assert_eq!(
            d.text(),
            DOCKER.replace("\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t},", "")
        );
        let mut d = doc(DOCKER);
        d.remove(&["auths"], "c.io");
        assert_eq!(
            d.text(),
            DOCKER.replace(",\n\t\t\"c.io\": {\n\t\t\t\"auth\": \"Yzpk\"\n\t\t}", "")
        );
        let mut d = doc("{\"auths\": {\"x\": {}}, \"k\": 1}");
        d.remove(&["auths"], "x");
        assert_eq!(d.text(), "{\"auths\": {}, \"k\": 1}");
        assert!(!d.remove(&["auths"], "x"));
        assert!(!d.remove(&["nothing"], "x"));
    }

    #[test]
    fn remove_duplicate_keys_all() {
        let mut d = doc("{\"a\": 1, \"b\": 2, \"a\": 3}");
        d.remove(&[], "a");
        assert_eq!(d.text(), "{\"b\": 2}");
    }

    #[test]
    fn insert_sorted_with_docker_indentation() {
        let mut d = doc(DOCKER);
        d.set(&["auths"], "bb.io", &json!({"auth": "eDp5"}));
        let want = DOCKER.replace(
            "\n\t\t\"c.io\"",
            "\n\t\t\"bb.io\": {\n\t\t\t\"auth\": \"eDp5\"\n\t\t},\n\t\t\"c.io\"",
        );
        assert_eq!(d.text(), want);
        let mut d = doc(DOCKER);
        d.set(&["auths"], "z.io", &json!({}));
        assert!(d.text().contains("\t\t},\n\t\t\"z.io\": {}\n\t},"));
        serde_json::from_str::<Value>(d.text()).unwrap();
    }

    #[test]
    fn replace_value_in_place() {
        let mut d = doc(DOCKER);
        d.set(&["auths"], "a.io", &json!({}));
        assert_eq!(
            d.text(),
            DOCKER.replace(
                "\"a.io\": {\n\t\t\t\"auth\": \"YTpi\"\n\t\t}",
                "\"a.io\": {}"
            )
        );
        d.set(&[], "psFormat", &json!("y"));
        assert!(d.text().ends_with("\"psFormat\": \"y\"\n}"));
    }

    #[test]
    fn create_path_in_empty_and_compact_docs() {
        let mut d = doc("");
        d.set(&["auths"], "r.io", &json!({"auth": "eDp5"}));
        assert_eq!(
            d.text(),
            "{\n\t\"auths\": {\n\t\t\"r.io\": {\n\t\t\t\"auth\": \"eDp5\"\n\t\t}\n\t}\n}"
        );
        let mut d = doc("{\"auths\":{}}");
        d.set(&["auths"], "r.io", &json!({"auth": "eDp5"}));
        assert_eq!(d.text(), "{\"auths\":{\"r.io\":{\"auth\":\"eDp5\"}}}");
        let mut d = doc("{\n    \"credsStore\": \"pass\"\n}");
        d.set(&["auths"], "r.io", &json!({}));
        assert_eq!(
            d.text(),
            "{\n    \"auths\": {\n        \"r.io\": {}\n    },\n    \"credsStore\": \"pass\"\n}"
        );
        let mut d = doc("{\n\t\"auths\": {}\n}");
        d.set(&["auths"], "r.io", &json!({"auth": "eDp5"}));
        assert_eq!(
            d.text(),
            "{\n\t\"auths\": {\n\t\t\"r.io\": {\n\t\t\t\"auth\": \"eDp5\"\n\t\t}\n\t}\n}"
        );
    }

    #[test]
    fn crlf_documents_get_crlf_in_new_lines() {
        let mut d = doc("{\r\n\t\"auths\": {\r\n\t\t\"a.io\": {}\r\n\t}\r\n}");
        d.set(&["auths"], "b.io", &json!({"auth": "eDp5"}));
        d.set(&[], "credsStore", &json!("pass"));
        let mut e = doc("{\r\n\t\"x\": 1\r\n}");
        e.set(&["auths"], "r.io", &json!({"auth": "eDp5"}));
        for t in [d.text(), e.text()] {
            assert!(t.contains("eDp5"), "{t}");
            assert!(!t.replace("\r\n", "").contains('\n'), "a bare LF in {t:?}");
        }
    }

    #[test]
    fn changed_says_whether_the_bytes_changed() {
        let mut d = doc(DOCKER);
        assert!(!d.changed());
        // The same value written back, alone or in bulk: no change.
        d.set(&["auths"], "b.io", &json!({}));
        d.set(&[], "psFormat", &json!("x"));
        let root = scan_object(DOCKER, 0).unwrap();
        let auths = scan_object(DOCKER, root.members[0].value_start).unwrap();
        let v = json!({"auth": "YTpi"});
        d.replace_values(&mut [(&auths.members[0], &v)]);
        assert!(!d.changed());
        assert!(!d.remove(&["auths"], "nothing.io"));
        assert!(!d.changed());
        assert_eq!(d.text(), DOCKER);
        for edit in [
            |d: &mut Document| d.set(&["auths"], "b.io", &json!({"email": "e"})),
            |d: &mut Document| d.set(&["auths"], "new.io", &json!({})),
            |d: &mut Document| {
                d.remove(&["auths"], "b.io");
            },
            |d: &mut Document| d.set(&["credHelpers"], "a.io", &json!("pass")),
        ] {
            let mut d = doc(DOCKER);
            edit(&mut d);
            assert!(d.changed());
            assert_ne!(d.text(), DOCKER);
        }
        let mut d = doc(" ");
        d.set(&["auths"], "a.io", &json!({}));
        assert!(d.changed());
    }

    #[test]
    fn many_removals_in_one_pass() {
        // More cuts than are made in place: the one-pass path.
        let keys: Vec<String> = (0..20).map(|i| format!("r{i:02}.io")).collect();
        let body: Vec<String> = keys
            .iter()
            .map(|k| format!("\n\t\t\"{k}\": {{}}"))
            .collect();
        let text = format!("{{\n\t\"auths\": {{{}\n\t}}\n}}", body.join(","));
        let gone: Vec<String> = keys.iter().step_by(2).cloned().collect();
        let kept: Vec<String> = keys.iter().skip(1).step_by(2).cloned().collect();
        let mut d = doc(&text);
        assert_eq!(d.remove_many(&["auths"], &gone), 10);
        let body: Vec<String> = kept
            .iter()
            .map(|k| format!("\n\t\t\"{k}\": {{}}"))
            .collect();
        assert_eq!(
            d.text(),
            format!("{{\n\t\"auths\": {{{}\n\t}}\n}}", body.join(","))
        );
        // And in place, one by one, to the same text.
        let mut one = doc(&text);
        for k in &gone {
            one.remove(&["auths"], k);
        }
        assert_eq!(one.text(), d.text());
    }

    #[test]
    fn non_object_on_path_is_replaced() {
        let mut d = doc("{\"auths\": null}");
        d.set(&["auths"], "r", &json!(1));
        assert_eq!(d.text(), "{\"auths\": {\"r\":1}}");
    }

    #[test]
    fn keys_with_escapes_and_strings_with_braces() {
        let src = "{\"a\\\"b\": \"}{,\", \"auths\": {\"x\\u0041\": {}}}";
        let mut d = doc(src);
        assert!(d.remove(&["auths"], "xA"));
        assert_eq!(d.text(), "{\"a\\\"b\": \"}{,\", \"auths\": {}}");
    }
}
