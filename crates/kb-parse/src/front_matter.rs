//! Splitting and reading YAML front matter.
//!
//! kb splits front matter itself (DESIGN, "Pipeline and layering"): only when the file starts,
//! after an optional BOM, with a `---` line, closed by the next `---` or `...` line. A blank first
//! line means no front matter, as in Obsidian and Jekyll. An unclosed block is reported and the
//! whole file stays the body.

use std::collections::BTreeMap;
use std::fmt;

use kb_model::Span;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// Where the front matter block is, once split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The whole block, fences included.
    pub block: Span,
    /// The YAML between the fences.
    pub yaml: Span,
    /// Where the markdown body starts.
    pub body_start: usize,
}

/// The outcome of looking for front matter at the start of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Splitting {
    /// The file does not start with a `---` line.
    None,
    Closed(Split),
    /// A `---` line opens a block that never closes: the span of that opening line.
    Unclosed(Span),
}

const BOM: &str = "\u{FEFF}";

/// Each line of `text` from `from`, as (start, content end, next line start).
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
        let mut next = end;
        if next < bytes.len() && bytes[next] == b'\r' {
            next += 1;
        }
        if next < bytes.len() && bytes[next] == b'\n' && (next == end || bytes[next - 1] == b'\r') {
            next += 1;
        }
        pos = next;
        Some((start, end, next))
    })
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches([' ', '\t']);
    line == "---" || (closing && line == "...")
}

/// Find the front matter block at the start of `text`.
pub fn split(text: &str) -> Splitting {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = lines(text, start);
    let Some((open_start, open_end, yaml_start)) = lines.next() else {
        return Splitting::None;
    };
    if !is_fence(&text[open_start..open_end], false) {
        return Splitting::None;
    }
    for (line_start, line_end, next) in lines {
        if is_fence(&text[line_start..line_end], true) {
            return Splitting::Closed(Split {
                block: Span::new(open_start, line_end),
                yaml: Span::new(yaml_start, line_start),
                body_start: next,
            });
        }
    }
    Splitting::Unclosed(Span::new(open_start, open_end))
}

/// Front matter read into JSON, with the byte span of every value and key.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// The whole block, fences included.
    pub block: Span,
    pub value: serde_json::Value,
    /// JSON pointer (`/tags/0`) → byte span of that value in the file.
    pub values: BTreeMap<String, Span>,
    /// JSON pointer → byte span of the key that names it (maps only).
    pub keys: BTreeMap<String, Span>,
}

/// Why front matter could not be read, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// A YAML node with its location; `Deserialize` goes through `deserialize_any`, so every value
/// and key keeps the span serde-saphyr recorded.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        // NaN and infinities have no JSON form: keep them as text.
        Ok(serde_json::Number::from_f64(v).map_or_else(|| Node::String(v.to_string()), Node::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Read the YAML of a split block. `base` is the byte offset of `yaml` in the file.
pub fn read(yaml: &str, base: usize) -> Result<FrontMatter, YamlError> {
    let yaml_len = yaml.len();
    // An empty block (`---` then `---`) is an empty map, not an error.
    if yaml.trim().is_empty() {
        return Ok(FrontMatter {
            block: Span::new(base, base + yaml_len),
            value: serde_json::Value::Object(serde_json::Map::new()),
            values: BTreeMap::new(),
            keys: BTreeMap::new(),
        });
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
    };
    let root: Spanned<Node> = serde_saphyr::from_str_with_options(yaml, options).map_err(|error| {
        let span = error
            .location()
            .map(|location| span_at_line_col(yaml, location.line(), location.column()))
            .unwrap_or(Span::new(0, 0));
        YamlError {
            message: plain_message(&error),
            span: Span::new(base + span.start, base + span.end),
        }
    })?;
    let mut out = FrontMatter {
        block: Span::new(base, base + yaml_len),
        value: serde_json::Value::Null,
        values: BTreeMap::new(),
        keys: BTreeMap::new(),
    };
    out.value = convert(
        &root,
        String::new(),
        base,
        yaml_len,
        &mut out.values,
        &mut out.keys,
    );
    Ok(out)
}

/// The error text without serde-saphyr's own location suffix or snippet (kb prints its own).
fn plain_message(error: &serde_saphyr::Error) -> String {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = error.render_with_options(options);
    let first = rendered.lines().next().unwrap_or_default().trim();
    // "message at line 2, column 3" → "message"
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
}

/// A one-character span at a 1-based line and column (in characters) of `text`.
fn span_at_line_col(text: &str, line: u64, column: u64) -> Span {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if (i as u64) + 1 == line {
            let col = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
            let within = l.char_indices().nth(col).map_or(l.trim_end().len(), |(b, _)| b);
            let start = offset + within;
            let end = text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            return Span::new(start, end);
        }
        offset += l.len();
    }
    Span::new(text.len(), text.len())
}

fn node_span<T>(node: &Spanned<T>, base: usize, limit: usize) -> Option<Span> {
    let span = node.referenced.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
    let end = start.checked_add(len)?;
    (end <= limit).then(|| Span::new(base + start, base + end))
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn convert(
    node: &Spanned<Node>,
    pointer: String,
    base: usize,
    limit: usize,
    values: &mut BTreeMap<String, Span>,
    keys: &mut BTreeMap<String, Span>,
) -> serde_json::Value {
    if let Some(span) = node_span(node, base, limit) {
        values.insert(pointer.clone(), span);
    }
    match &node.value {
        Node::Null => serde_json::Value::Null,
        Node::Bool(b) => serde_json::Value::Bool(*b),
        Node::Number(n) => serde_json::Value::Number(n.clone()),
        Node::String(s) => serde_json::Value::String(s.clone()),
        Node::Seq(items) => serde_json::Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert(item, format!("{pointer}/{i}"), base, limit, values, keys))
                .collect(),
        ),
        Node::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, value) in entries {
                let name = match &key.value {
                    Node::String(s) => s.clone(),
                    Node::Null => "null".to_owned(),
                    Node::Bool(b) => b.to_string(),
                    Node::Number(n) => n.to_string(),
                    // A sequence or map used as a key has no JSON form: name it by position.
                    Node::Seq(_) | Node::Map(_) => format!("#{}", map.len()),
                };
                let child = format!("{pointer}/{}", escape_pointer(&name));
                if let Some(span) = node_span(key, base, limit) {
                    keys.insert(child.clone(), span);
                }
                let converted = convert(value, child, base, limit, values, keys);
                map.insert(name, converted);
            }
            serde_json::Value::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_at_the_very_start() {
        let text = "---\ntitle: x\n---\n# Body\n";
        let Splitting::Closed(split) = split(text) else {
            panic!()
        };
        assert_eq!(&text[split.yaml.as_range()], "title: x\n");
        assert_eq!(&text[split.body_start..], "# Body\n");
        assert_eq!(super::split("\n---\ntitle: x\n---\n"), Splitting::None);
        assert_eq!(super::split("# no\n---\n"), Splitting::None);
    }

    #[test]
    fn bom_crlf_and_dots_close() {
        let text = "\u{FEFF}---\r\ntitle: x\r\n...\r\nbody";
        let Splitting::Closed(split) = split(text) else {
            panic!()
        };
        assert_eq!(&text[split.yaml.as_range()], "title: x\r\n");
        assert_eq!(&text[split.body_start..], "body");
    }

    #[test]
    fn unclosed_blocks_do_not_swallow_the_note() {
        let text = "---\ntitle: x\n# Heading\n";
        assert_eq!(split(text), Splitting::Unclosed(Span::new(0, 3)));
    }

    #[test]
    fn values_keep_their_spans_and_strict_booleans() {
        let text = "---\ntitle: \"Amazon S3\"\ncountry: NO\non: true\ntags: [a, b]\ndate: 2024-05-01 09:00:00 +0900\n---\n";
        let Splitting::Closed(split) = split(text) else {
            panic!()
        };
        let fm = read(&text[split.yaml.as_range()], split.yaml.start).unwrap();
        assert_eq!(fm.value["country"], "NO");
        assert_eq!(fm.value["on"], true);
        assert_eq!(fm.value["date"], "2024-05-01 09:00:00 +0900");
        assert_eq!(&text[fm.values["/tags/1"].as_range()], "b");
        assert_eq!(&text[fm.keys["/country"].as_range()], "country");
        assert!(text[fm.values["/title"].as_range()].contains("Amazon S3"));
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "---\ntitle: x\n  bad: [\n---\n";
        let Splitting::Closed(split) = split(text) else {
            panic!()
        };
        let error = read(&text[split.yaml.as_range()], split.yaml.start).unwrap_err();
        assert!(error.span.start >= split.yaml.start, "{error:?}");
        assert!(!error.message.is_empty());
    }
}
