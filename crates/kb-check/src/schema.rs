//! The policy schemas and the routing of their errors to rule codes.
//!
//! Three schemas, each compiled once: the entry policy (validated per entry, null fields left
//! out), the front matter policy, and the note facts (names resolve, entries unique). Every error
//! is routed by its keyword and instance path to a rule and a span in the markdown.

use std::path::Path;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Keyword, ValidationError, Validator};
use kb_model::{Entry, Note, Span};
use kb_parse::Parsed;
use kb_vocab::Vocabulary;
use serde_json::{Map, Value};

use crate::rules::names::entry_name_diagnostic;
use crate::rules::schema::unknown_front_matter_field::UnknownFrontMatterField;
use crate::rules::schema::{invalid_value::InvalidValue, missing_field::MissingField};
use crate::rules::{names::unknown_service::UnknownService, structure::duplicate_entry};
use crate::Diagnostic;

pub const ENTRY_SCHEMA: &str = include_str!("../../../schema/policy/entry.schema.json");
pub const FRONT_MATTER_SCHEMA: &str = include_str!("../../../schema/policy/front-matter.schema.json");
pub const NOTE_SCHEMA: &str = include_str!("../../../schema/policy/note.schema.json");

/// The file names of the policy schemas, in a schema folder.
pub const FILE_NAMES: [&str; 3] = [
    "entry.schema.json",
    "front-matter.schema.json",
    "note.schema.json",
];

/// Why a policy schema could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PolicyError {
    #[error("`{name}` is not valid JSON: {message}")]
    #[diagnostic(code(kb::schema::json))]
    Json { name: String, message: String },
    #[error("`{name}` is not a valid JSON Schema: {message}")]
    #[diagnostic(code(kb::schema::invalid))]
    Schema { name: String, message: String },
}

/// The compiled policy schemas.
pub struct Policy {
    entry: Validator,
    /// The entry fields the entry schema can see, when it names them all (`properties`,
    /// `required`): only those are turned into JSON for each entry. `None`: every field.
    entry_fields: Option<Vec<String>>,
    /// The same for the entries the note schema sees (its `entries` items).
    note_entry_fields: Option<Vec<String>>,
    /// List fields the entry schema only counts (`type`, `minItems`, `maxItems`): each item
    /// is projected as `true`, not turned into JSON with all its text.
    entry_counted: Vec<String>,
    front_matter: Validator,
    note: Validator,
    /// Whether the entry and note schemas are the ones kb ships. An entry or a note is then
    /// first asked whether it is valid directly (those schemas' few constraints, compared with
    /// the validator by a test), and only one that is not is turned into JSON to find its
    /// errors: building JSON for every entry cost more than the rest of the policy check.
    shipped_entry: bool,
    shipped_note: bool,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Policy { .. }")
    }
}

/// kb's own keyword: `"uniqueBy": "id"` on an array of objects fails when two items share a
/// non-null value of that property.
struct UniqueBy {
    property: String,
}

impl UniqueBy {
    fn first_repeat<'a>(&self, instance: &'a Value) -> Option<(usize, usize, &'a Value)> {
        /// A value compared as its JSON text; a string (nearly always: ids) as it stands.
        #[derive(PartialEq, Eq, Hash)]
        enum Key<'a> {
            Str(&'a str),
            Json(String),
        }
        let items = instance.as_array()?;
        let keyed = items.iter().enumerate().filter_map(|(i, item)| {
            let value = item.get(&self.property).filter(|v| !v.is_null())?;
            let key = match value {
                Value::String(s) => Key::Str(s),
                other => Key::Json(other.to_string()),
            };
            Some((i, key, value))
        });
        // A note's few entries are compared pairwise; a long list through a map.
        if items.len() <= 32 {
            let mut seen: Vec<(usize, Key<'a>)> = Vec::with_capacity(items.len());
            for (i, key, value) in keyed {
                if let Some((first, _)) = seen.iter().find(|(_, k)| *k == key) {
                    return Some((*first, i, value));
                }
                seen.push((i, key));
            }
            return None;
        }
        let mut first_of: std::collections::HashMap<Key<'a>, usize, foldhash::fast::RandomState> =
            Default::default();
        for (i, key, value) in keyed {
            if let Some(&first) = first_of.get(&key) {
                return Some((first, i, value));
            }
            first_of.insert(key, i);
        }
        None
    }
}

impl<'i> Keyword<'i> for UniqueBy {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match self.first_repeat(instance) {
            None => Ok(()),
            Some((first, second, value)) => Err(ValidationError::custom(format!(
                "items {first} and {second} share {} {value}",
                self.property
            ))),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.first_repeat(instance).is_none()
    }
}

fn compile(name: &str, text: &str) -> Result<Validator, PolicyError> {
    let schema: Value = serde_json::from_str(text).map_err(|e| PolicyError::Json {
        name: name.to_owned(),
        message: e.to_string(),
    })?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_keyword(
            "uniqueBy",
            |_parent: &Map<String, Value>, value: &Value, _location| {
                let property = value
                    .as_str()
                    .ok_or_else(|| ValidationError::custom("`uniqueBy` takes a property name"))?;
                Ok(Box::new(UniqueBy {
                    property: property.to_owned(),
                }) as Box<dyn for<'i> Keyword<'i>>)
            },
        )
        .build(&schema)
        .map_err(|e| PolicyError::Schema {
            name: name.to_owned(),
            message: e.to_string(),
        })
}

impl Policy {
    /// The schemas shipped with kb.
    pub fn builtin() -> Policy {
        match Policy::from_texts(ENTRY_SCHEMA, FRONT_MATTER_SCHEMA, NOTE_SCHEMA) {
            Ok(policy) => policy,
            Err(error) => unreachable!("the built-in policy schemas are invalid: {error}"),
        }
    }

    pub fn from_texts(entry: &str, front_matter: &str, note: &str) -> Result<Policy, PolicyError> {
        Ok(Policy {
            entry: compile(FILE_NAMES[0], entry)?,
            entry_fields: serde_json::from_str(entry).ok().as_ref().and_then(fields_seen),
            entry_counted: serde_json::from_str(entry)
                .ok()
                .as_ref()
                .map(counted_fields)
                .unwrap_or_default(),
            note_entry_fields: serde_json::from_str(note)
                .ok()
                .as_ref()
                .and_then(entry_fields_seen),
            front_matter: compile(FILE_NAMES[1], front_matter)?,
            note: compile(FILE_NAMES[2], note)?,
            shipped_entry: same_json(entry, ENTRY_SCHEMA),
            shipped_note: same_json(note, NOTE_SCHEMA),
        })
    }

    /// The file names a folder of policy schemas must hold.
    pub fn paths_in(dir: &Path) -> [std::path::PathBuf; 3] {
        FILE_NAMES.map(|name| dir.join(name))
    }

    /// Validate one parsed note and route every error to a finding.
    pub fn check(&self, parsed: &Parsed, text: &str, vocab: &Vocabulary) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let note = &parsed.note;
        for entry in &note.entries {
            self.check_entry(note, entry, &mut out);
        }
        if let Some(fm) = &parsed.front_matter {
            self.check_front_matter(note, fm, &mut out);
        }
        self.check_facts(note, text, vocab, &mut out);
        out
    }

    /// The entry as the entry schema sees it: null fields are missing fields.
    fn entry_instance(&self, entry: &Entry) -> Option<Value> {
        match &self.entry_fields {
            Some(fields) => entry_projection(entry, fields, &self.entry_counted, Nulls::Left),
            None => serde_json::to_value(entry).ok().map(without_nulls),
        }
    }

    /// The note as the note schema sees it: its entries, nulls kept.
    fn note_instance(&self, note: &Note) -> Value {
        match &self.note_entry_fields {
            Some(fields) => {
                let entries: Option<Vec<Value>> = note
                    .entries
                    .iter()
                    .map(|e| entry_projection(e, fields, &[], Nulls::Kept))
                    .collect();
                // Moved in: `json!` would serialise (copy) every projected entry again.
                let mut instance = Map::new();
                instance.insert("entries".to_owned(), entries.map_or(Value::Null, Value::Array));
                Value::Object(instance)
            }
            None => serde_json::json!({ "entries": &note.entries }),
        }
    }

    fn check_entry(&self, note: &Note, entry: &Entry, out: &mut Vec<Diagnostic>) {
        if self.shipped_entry && shipped_entry_is_valid(entry) {
            return;
        }
        let Some(instance) = self.entry_instance(entry) else {
            return;
        };
        if self.entry.is_valid(&instance) {
            return;
        }
        let name = &entry.name;
        // Missing fields of one entry make one finding: `Amazon Macie` has no summary and no
        // features.
        let mut missing: Vec<String> = Vec::new();
        for error in self.entry.iter_errors(&instance) {
            let pointer = error.instance_path().as_str().to_owned();
            match error.kind() {
                ValidationErrorKind::Required { property } => {
                    missing.push(property.as_str().unwrap_or_default().to_owned());
                }
                ValidationErrorKind::MinItems { .. } => {
                    missing.push(pointer.trim_start_matches('/').to_owned());
                }
                _ => {
                    let span = entry_value_span(entry, &pointer).unwrap_or(entry.source.name_span);
                    out.push(
                        Diagnostic::new(
                            &InvalidValue::META,
                            &note.path,
                            span,
                            format!("`{name}`: {} {}", describe_pointer(&pointer), error_text(&error)),
                        )
                        .with_label(error.kind().keyword().to_owned()),
                    );
                }
            }
        }
        if !missing.is_empty() {
            let nouns: Vec<&str> = missing.iter().map(|f| field_noun(f)).collect();
            let label = format!("no {}", nouns.join(", no "));
            let help = if missing.len() > 1 {
                "Add a line under the name saying what the service is, then bullets with its features"
            } else {
                missing_help(&missing[0])
            };
            out.push(
                Diagnostic::new(
                    &MissingField::META,
                    &note.path,
                    entry.source.name_span,
                    missing_message(name, &missing),
                )
                .with_label(label)
                .with_help(help),
            );
        }
    }

    fn check_front_matter(&self, note: &Note, fm: &kb_parse::FrontMatter, out: &mut Vec<Diagnostic>) {
        let block = fm.block;
        for error in self.front_matter.iter_errors(&fm.value) {
            let pointer = error.instance_path().as_str().to_owned();
            match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for key in unexpected {
                        let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                        let span = fm.keys.get(&child).copied().unwrap_or(block);
                        out.push(
                            Diagnostic::new(
                                &UnknownFrontMatterField::META,
                                &note.path,
                                span,
                                format!("Front matter key `{key}` is not in the front matter schema"),
                            )
                            .with_label("unknown key")
                            .with_help("Add it to `front-matter.schema.json`, or check its spelling"),
                        );
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let key = property.as_str().unwrap_or_default();
                    out.push(
                        Diagnostic::new(
                            &MissingField::META,
                            &note.path,
                            first_line(block),
                            format!("Front matter has no `{key}`"),
                        )
                        .with_label(format!("`{key}` is required"))
                        .with_help(format!("Add a `{key}:` line to the front matter")),
                    );
                }
                _ => {
                    let span = fm.values.get(&pointer).copied().unwrap_or(block);
                    out.push(
                        Diagnostic::new(
                            &InvalidValue::META,
                            &note.path,
                            span,
                            format!(
                                "Front matter `{}` {}",
                                pointer.trim_start_matches('/'),
                                error_text(&error)
                            ),
                        )
                        .with_label(error.kind().keyword().to_owned()),
                    );
                }
            }
        }
    }

    fn check_facts(&self, note: &Note, text: &str, vocab: &Vocabulary, out: &mut Vec<Diagnostic>) {
        if self.shipped_note && shipped_note_is_valid(note) {
            return;
        }
        let instance = self.note_instance(note);
        let mut duplicates = false;
        let mut named: Vec<usize> = Vec::new();
        for error in self.note.iter_errors(&instance) {
            let pointer = error.instance_path().as_str().to_owned();
            if matches!(error.kind(), ValidationErrorKind::Custom { .. }) && pointer == "/entries" {
                duplicates = true;
                continue;
            }
            // `/entries/3/canonical` or `/entries/3/name_problem`.
            let mut parts = pointer.trim_start_matches('/').split('/');
            let (Some("entries"), Some(index), Some(field)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Some(entry) = index.parse::<usize>().ok().and_then(|i| note.entries.get(i)) else {
                continue;
            };
            match field {
                "name_problem" => {
                    if let Some(diagnostic) = entry_name_diagnostic(entry, text, vocab) {
                        named.push(index.parse().unwrap_or_default());
                        out.push(diagnostic);
                    }
                }
                "canonical" => out.push(
                    Diagnostic::new(
                        &UnknownService::META,
                        &note.path,
                        entry.source.name_span,
                        format!("`{}` is not in the vocabulary", entry.name),
                    )
                    .with_label("unknown service")
                    .with_help(
                        "Add it to the vocabulary, or as an alias in `kb.toml`, if it is a real service",
                    ),
                ),
                _ => {}
            }
        }
        if duplicates {
            out.extend(duplicate_entry::diagnostics(note));
        }
    }
}

/// Whether two schema texts are the same JSON (formatting aside).
fn same_json(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether `entry` is valid under the shipped entry schema (`ENTRY_SCHEMA`): a summary with
/// text (`minLength` 1) and at least one feature.
fn shipped_entry_is_valid(entry: &Entry) -> bool {
    entry.summary.as_ref().is_some_and(|s| !s.text.is_empty()) && !entry.features.is_empty()
}

/// Whether `note` is valid under the shipped note schema (`NOTE_SCHEMA`): every entry has a
/// canonical name and no name problem, and no two entries share an id.
fn shipped_note_is_valid(note: &Note) -> bool {
    if !note
        .entries
        .iter()
        .all(|e| e.canonical.is_some() && e.name_problem.is_none())
    {
        return false;
    }
    let mut ids: Vec<&str> = note.entries.iter().filter_map(|e| e.id.as_deref()).collect();
    ids.sort_unstable();
    ids.windows(2).all(|pair| pair[0] != pair[1])
}

/// The top-level properties a schema looks at, when it looks at nothing else: a root with only
/// annotations, `type`, `properties` and `required`. Anything that can see other properties
/// (`additionalProperties`, `$ref`, `allOf`, …) means every field.
fn fields_seen(schema: &Value) -> Option<Vec<String>> {
    const PLAIN: &[&str] = &[
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "type",
        "properties",
        "required",
        "examples",
        "default",
    ];
    let root = schema.as_object()?;
    if root.keys().any(|k| !PLAIN.contains(&k.as_str())) {
        return None;
    }
    let mut fields: Vec<String> = root
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for name in root
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        fields.push(name.as_str()?.to_owned());
    }
    fields.sort();
    fields.dedup();
    Some(fields)
}

/// The entry fields a note schema sees: a plain root whose only property is `entries`, an
/// array whose items schema is plain (see [`fields_seen`]), plus kb's `uniqueBy` property.
fn entry_fields_seen(schema: &Value) -> Option<Vec<String>> {
    const ARRAY: &[&str] = &[
        "$comment",
        "title",
        "description",
        "type",
        "items",
        "uniqueBy",
        "minItems",
        "maxItems",
    ];
    let mut root = schema.as_object()?.clone();
    let properties = root.remove("properties")?;
    let properties = properties.as_object()?;
    if properties.len() != 1 || root.contains_key("required") || fields_seen(&Value::Object(root)).is_none() {
        return None;
    }
    let entries = properties.get("entries")?.as_object()?;
    if entries.keys().any(|k| !ARRAY.contains(&k.as_str())) {
        return None;
    }
    let mut fields = match entries.get("items") {
        Some(items) => fields_seen(items)?,
        None => Vec::new(),
    };
    if let Some(by) = entries.get("uniqueBy") {
        fields.push(by.as_str()?.to_owned());
    }
    fields.sort();
    fields.dedup();
    Some(fields)
}

/// The list fields whose subschema looks only at the list's type and length.
fn counted_fields(schema: &Value) -> Vec<String> {
    const COUNTING: &[&str] = &["$comment", "title", "description", "type", "minItems", "maxItems"];
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(name, _)| matches!(name.as_str(), "features" | "sections" | "tags"))
        .filter(|(_, sub)| {
            sub.as_object()
                .is_some_and(|o| o.keys().all(|k| COUNTING.contains(&k.as_str())))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// What a projection does with null values: the entry schema sees an entry with its null
/// fields left out (`required` means present and not null); the note schema sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nulls {
    Kept,
    Left,
}

/// The entry as JSON with only `fields` (each as the whole entry would write it, nulls as
/// `nulls` says); `None` when a field cannot be projected, so that the caller falls back to
/// the whole entry. The fields most schemas name are built directly: serialising them through
/// serde cost more than validating them.
fn entry_projection(entry: &Entry, fields: &[String], counted: &[String], nulls: Nulls) -> Option<Value> {
    let mut map = Map::with_capacity(fields.len());
    let text = |t: &Option<String>| t.as_ref().map_or(Value::Null, |t| Value::String(t.clone()));
    for field in fields {
        if counted.contains(field) {
            let len = match field.as_str() {
                "features" => entry.features.len(),
                "sections" => entry.sections.len(),
                _ => entry.tags.len(),
            };
            map.insert(field.clone(), Value::Array(vec![Value::Bool(true); len]));
            continue;
        }
        let mut value = match field.as_str() {
            "summary" => entry.summary.as_ref().map_or(Value::Null, |summary| {
                let mut object = Map::with_capacity(2);
                object.insert("text".to_owned(), Value::String(summary.text.clone()));
                object.insert("span".to_owned(), span_value(summary.span));
                Value::Object(object)
            }),
            "id" => text(&entry.id),
            "name" => Value::String(entry.name.clone()),
            "canonical" => text(&entry.canonical),
            "expansion" => text(&entry.expansion),
            "category" => text(&entry.category),
            "comparison" => Value::Bool(entry.comparison),
            "name_problem" if entry.name_problem.is_none() => Value::Null,
            "name_problem" => serde_json::to_value(&entry.name_problem).ok()?,
            "features" => serde_json::to_value(&entry.features).ok()?,
            "kind" => serde_json::to_value(entry.kind).ok()?,
            "sections" => serde_json::to_value(&entry.sections).ok()?,
            "tags" => serde_json::to_value(&entry.tags).ok()?,
            "source" => serde_json::to_value(&entry.source).ok()?,
            _ => {
                let whole = serde_json::to_value(entry).ok()?;
                return Some(match nulls {
                    Nulls::Kept => whole,
                    Nulls::Left => without_nulls(whole),
                });
            }
        };
        if nulls == Nulls::Left {
            if value.is_null() {
                continue;
            }
            strip_nulls(&mut value);
        }
        map.insert(field.clone(), value);
    }
    Some(Value::Object(map))
}

/// A span as serde writes it: `[start, end]`.
fn span_value(span: Span) -> Value {
    Value::Array(vec![Value::from(span.start), Value::from(span.end)])
}

fn without_nulls(mut value: Value) -> Value {
    strip_nulls(&mut value);
    value
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// The span of the value at `pointer` inside an entry (`/summary/text`, `/features/2/text`).
fn entry_value_span(entry: &Entry, pointer: &str) -> Option<Span> {
    let mut parts = pointer.trim_start_matches('/').split('/');
    match parts.next()? {
        "summary" => entry.summary.as_ref().map(|s| s.span),
        "features" => {
            let index: usize = parts.next()?.parse().ok()?;
            entry.features.get(index).map(|f| f.span)
        }
        "sections" => {
            let index: usize = parts.next()?.parse().ok()?;
            let section = entry.sections.get(index)?;
            match (parts.next(), parts.next().and_then(|i| i.parse::<usize>().ok())) {
                (Some("items"), Some(item)) => section.items.get(item).map(|i| i.span),
                _ => Some(section.span),
            }
        }
        "name" | "id" | "canonical" | "name_problem" => Some(entry.source.name_span),
        "expansion" | "category" | "kind" | "tags" | "comparison" | "source" => Some(entry.source.span),
        _ => None,
    }
}

fn field_noun(field: &str) -> &str {
    match field {
        "summary" => "summary",
        "features" => "features",
        other => other,
    }
}

fn missing_message(name: &str, fields: &[String]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|field| match field.as_str() {
            "summary" | "features" => format!("no {field}"),
            other => format!("no `{other}`"),
        })
        .collect();
    format!("`{name}` has {}", parts.join(" and "))
}

fn missing_help(field: &str) -> &'static str {
    match field {
        "summary" => "Add a line under the name saying what the service is",
        "features" => "Add a bullet with a capability, a use case or an example",
        _ => "Add the field, or relax `entry.schema.json`",
    }
}

fn describe_pointer(pointer: &str) -> String {
    let path = pointer.trim_start_matches('/');
    if path.is_empty() {
        "the entry".to_owned()
    } else {
        format!("`{path}`")
    }
}

/// jsonschema's message without the instance it repeats: "is longer than 120 characters".
fn error_text(error: &ValidationError<'_>) -> String {
    if let ValidationErrorKind::Pattern { pattern } = error.kind() {
        return format!("is not in the expected form (`{pattern}`)");
    }
    let message = error.to_string();
    let instance = error.instance().to_string();
    match message.strip_prefix(&instance) {
        Some(rest) => rest.trim().to_owned(),
        None => message,
    }
}

fn first_line(span: Span) -> Span {
    Span::new(span.start, span.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unique_by_finds_the_first_repeat_in_short_and_long_lists() {
        let by = UniqueBy {
            property: "id".to_owned(),
        };
        for len in [5usize, 40] {
            let mut items: Vec<Value> = (0..len).map(|i| json!({ "id": format!("s{i}") })).collect();
            assert_eq!(by.first_repeat(&Value::Array(items.clone())), None, "{len}");
            items.push(json!({ "id": null }));
            items.push(json!({ "id": null }));
            assert_eq!(
                by.first_repeat(&Value::Array(items.clone())),
                None,
                "nulls, {len}"
            );
            items.push(json!({ "id": 7 }));
            items.push(json!({ "id": "s3" }));
            items.push(json!({ "id": 7 }));
            let list = Value::Array(items.clone());
            assert_eq!(by.first_repeat(&list), Some((3, len + 3, &json!("s3"))), "{len}");
            items.remove(len + 3);
            let list = Value::Array(items.clone());
            assert_eq!(
                by.first_repeat(&list),
                Some((len + 2, len + 3, &json!(7))),
                "numbers, {len}"
            );
        }
    }

    fn codes(policy: &Policy, text: &str) -> Vec<&'static str> {
        let vocab = Vocabulary::builtin();
        let parsed = kb_parse::parse("note.md", text, &vocab);
        let mut codes: Vec<&str> = policy
            .check(&parsed, text, &vocab)
            .iter()
            .map(|d| d.code)
            .collect();
        codes.sort_unstable();
        codes
    }

    #[test]
    fn plain_schemas_are_projected_and_others_see_the_whole_entry() {
        let builtin = Policy::builtin();
        assert_eq!(
            builtin.entry_fields.as_deref(),
            Some(&["features".to_owned(), "summary".to_owned()][..])
        );
        assert_eq!(
            builtin.note_entry_fields.as_deref(),
            Some(&["canonical".to_owned(), "id".to_owned(), "name_problem".to_owned()][..])
        );
        assert_eq!(builtin.entry_counted, ["features"]);
        let open = r#"{"type": "object", "required": ["summary"], "additionalProperties": true}"#;
        let policy = Policy::from_texts(open, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        assert_eq!(policy.entry_fields, None);
    }

    #[test]
    fn a_projected_schema_finds_what_the_whole_entry_would() {
        let note = "## Amazon S3\n- 객체 스토리지\n- 버킷\n\n## AWS Lambda\n- 서버리스 함수\n- 이벤트\n";
        // Tags required: projected (`properties`, `required`) and whole (`allOf`) agree.
        let projected = r#"{"type": "object", "required": ["tags", "summary"], "properties": {"tags": {"type": "array", "minItems": 1}}}"#;
        let whole = r#"{"allOf": [{"type": "object", "required": ["tags", "summary"], "properties": {"tags": {"type": "array", "minItems": 1}}}]}"#;
        let a = Policy::from_texts(projected, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        let b = Policy::from_texts(whole, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        assert!(a.entry_fields.is_some() && b.entry_fields.is_none());
        assert_eq!(codes(&a, note), ["KB101", "KB101"]);
        assert_eq!(codes(&a, note), codes(&b, note));
        // A duplicate in a note is seen through the projected note schema too.
        let twice = "## Amazon S3\n- 객체 스토리지\n- 버킷\n\n## Amazon S3\n- 다시\n- 또\n";
        assert!(codes(&Policy::builtin(), twice).contains(&"KB301"));
    }

    #[test]
    fn projected_fields_are_what_serde_writes_of_the_whole_entry() {
        let vocab = Vocabulary::builtin();
        // Entries with and without a summary, a misspelled name, an expansion, sections and
        // tags.
        let text = "---\ntags: [storage]\n---\n# Amazon S3\n객체 스토리지.\n- 버킷\n\n## Amazon Segemaker\n- 학습\n\n## Amazon EC2\n\n## Identity and Access Management(IAM)\n권한.\n- 정책\n\n### 특징\n- 역할\n";
        let parsed = kb_parse::parse("s3.md", text, &vocab);
        let entries = &parsed.note.entries;
        assert_eq!(entries.len(), 4, "{entries:#?}");
        assert!(entries.iter().any(|e| e.name_problem.is_some()));
        assert!(entries.iter().any(|e| e.summary.is_none()));
        assert!(entries
            .iter()
            .any(|e| e.expansion.is_some() || !e.sections.is_empty()));
        const FIELDS: &[&str] = &[
            "id",
            "name",
            "canonical",
            "name_problem",
            "expansion",
            "category",
            "kind",
            "comparison",
            "summary",
            "features",
            "sections",
            "tags",
            "source",
        ];
        for entry in &parsed.note.entries {
            let whole = serde_json::to_value(entry).unwrap();
            for field in FIELDS {
                let fields = [(*field).to_owned()];
                let mut kept = Map::new();
                kept.insert((*field).to_owned(), whole[*field].clone());
                let kept = Value::Object(kept);
                assert_eq!(
                    entry_projection(entry, &fields, &[], Nulls::Kept),
                    Some(kept.clone()),
                    "{field} of {}",
                    entry.name
                );
                assert_eq!(
                    entry_projection(entry, &fields, &[], Nulls::Left),
                    Some(without_nulls(kept)),
                    "{field} of {}",
                    entry.name
                );
            }
            // A field no projection knows: the whole entry.
            let unknown = ["frobs".to_owned()];
            assert_eq!(
                entry_projection(entry, &unknown, &[], Nulls::Kept),
                Some(whole.clone())
            );
            assert_eq!(
                entry_projection(entry, &unknown, &[], Nulls::Left),
                Some(without_nulls(whole))
            );
        }
    }

    fn entry(
        summary: Option<&str>,
        features: usize,
        canonical: bool,
        problem: bool,
        id: Option<&str>,
    ) -> Entry {
        let span = Span::new(0, 1);
        Entry {
            id: id.map(str::to_owned),
            name: "Amazon S3".to_owned(),
            canonical: canonical.then(|| "Amazon S3".to_owned()),
            name_problem: problem.then(|| kb_model::NameProblem {
                kind: kb_model::NameProblemKind::Misspelled,
                suggestion: "Amazon S3".to_owned(),
            }),
            expansion: None,
            category: None,
            kind: kb_model::EntryKind::Heading,
            comparison: false,
            summary: summary.map(|text| kb_model::TextItem {
                text: text.to_owned(),
                span,
            }),
            features: (0..features)
                .map(|_| kb_model::Item {
                    text: "버킷".to_owned(),
                    depth: 0,
                    span,
                })
                .collect(),
            sections: Vec::new(),
            tags: Vec::new(),
            source: kb_model::Source {
                path: "s3.md".to_owned(),
                line: 1,
                column: 1,
                end_line: 1,
                name_span: span,
                span,
            },
        }
    }

    proptest::proptest! {
        /// The shipped schemas' validity, decided without JSON, is the validator's.
        #[test]
        fn shipped_schemas_are_decided_as_the_validator_decides(
            entries in proptest::collection::vec(
                (
                    proptest::option::of(proptest::sample::select(vec!["", " ", "객체 스토리지.", "x"])),
                    0usize..3,
                    proptest::bool::weighted(0.9),
                    proptest::bool::weighted(0.1),
                    proptest::option::of(proptest::sample::select(vec!["amazon-s3", "aws-lambda", "amazon-ec2"])),
                ),
                0..6,
            )
        ) {
            let policy = Policy::builtin();
            proptest::prop_assert!(policy.shipped_entry && policy.shipped_note);
            let entries: Vec<Entry> = entries
                .iter()
                .map(|(summary, features, canonical, problem, id)| {
                    entry(*summary, *features, *canonical, *problem, *id)
                })
                .collect();
            for e in &entries {
                let instance = policy.entry_instance(e).unwrap();
                proptest::prop_assert_eq!(shipped_entry_is_valid(e), policy.entry.is_valid(&instance), "{:?}", e);
            }
            let note = Note {
                path: "s3.md".to_owned(),
                title: None,
                front_matter: None,
                entries,
            };
            let instance = policy.note_instance(&note);
            proptest::prop_assert_eq!(shipped_note_is_valid(&note), policy.note.is_valid(&instance));
        }
    }

    #[test]
    fn only_the_shipped_schemas_are_decided_without_the_validator() {
        let reformatted =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(ENTRY_SCHEMA).unwrap()).unwrap();
        let policy = Policy::from_texts(&reformatted, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        assert!(policy.shipped_entry && policy.shipped_note);
        // A stricter schema is asked of every entry: two features required.
        let stricter = ENTRY_SCHEMA.replace(r#""minItems": 1"#, r#""minItems": 2"#);
        assert_ne!(stricter, ENTRY_SCHEMA);
        let policy = Policy::from_texts(&stricter, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        assert!(!policy.shipped_entry);
        let note = "## Amazon S3\n객체 스토리지.\n- 버킷\n";
        assert_eq!(codes(&policy, note), ["KB101"]);
        assert!(codes(&Policy::builtin(), note).is_empty());
    }

    #[test]
    fn counted_lists_give_the_findings_of_whole_lists() {
        let note =
            "## Amazon S3\n객체 스토리지.\n- 버킷\n- 키\n- 버전\n\n## AWS Lambda\n서버리스 함수.\n- 이벤트\n";
        // Only the length matters: counted. Items constrained: seen whole.
        let counted = r#"{"type": "object", "required": ["features"], "properties": {"features": {"type": "array", "minItems": 2, "maxItems": 2}}}"#;
        let items = r#"{"type": "object", "required": ["features"], "properties": {"features": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "object"}}}}"#;
        let whole = format!(r#"{{"allOf": [{counted}]}}"#);
        let a = Policy::from_texts(counted, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        let b = Policy::from_texts(items, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        let c = Policy::from_texts(&whole, FRONT_MATTER_SCHEMA, NOTE_SCHEMA).unwrap();
        assert_eq!(a.entry_counted, ["features"]);
        assert!(b.entry_counted.is_empty() && c.entry_fields.is_none());
        // Three features: too many (KB102 at the list); one: too few (KB101).
        assert_eq!(codes(&a, note), ["KB101", "KB102"]);
        assert_eq!(codes(&a, note), codes(&b, note));
        assert_eq!(codes(&a, note), codes(&c, note));
    }
}
