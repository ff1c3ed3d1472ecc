//! The canonical form of a knowledge base.
//!
//! Every type here serialises to the public JSON shape described in DESIGN ("Canonical form"):
//! field names and nesting are a public interface read by other tools, so they never change
//! meaning. Spans are `[start, end)` byte offsets into the original file.
//!
//! This crate does no I/O.

mod line_index;
mod span;

pub use line_index::{LineCol, LineIndex};
pub use span::Span;

use serde::{Deserialize, Serialize};

/// The version of kb that wrote a document, stamped into every export.
pub const KB_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the canonical JSON shape; bumped only on an incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Nested list items deeper than this are reported at this depth, so that any export can be
/// read back by ordinary JSON parsers and the numbers stay meaningful.
pub const MAX_DEPTH: u32 = 32;

/// A whole knowledge base: every note kb read, in path order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeBase {
    pub kb_version: String,
    pub schema_version: u32,
    pub notes: Vec<Note>,
}

impl KnowledgeBase {
    pub fn new(notes: Vec<Note>) -> Self {
        KnowledgeBase {
            kb_version: KB_VERSION.to_owned(),
            schema_version: SCHEMA_VERSION,
            notes,
        }
    }
}

/// One markdown file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The path as the user named it or as it was found under a named folder, with `/`.
    pub path: String,
    /// The front matter `title`, else the first heading, else the file stem.
    pub title: Option<String>,
    /// The front matter as JSON; `null` when the note has none or it could not be parsed.
    pub front_matter: Option<serde_json::Value>,
    pub entries: Vec<Entry>,
}

impl Note {
    /// The first entry of each service the note describes, with the service's id, in file
    /// order; comparison entries (one side of "ECS vs EKS") left out. What "a service described
    /// in several notes" counts: rule KB302 and the report.
    pub fn service_entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        let mut seen: Vec<&str> = Vec::new();
        self.entries.iter().filter_map(move |entry| {
            let id = entry.id.as_deref()?;
            if entry.comparison || seen.contains(&id) {
                return None;
            }
            seen.push(id);
            Some((id, entry))
        })
    }
}

/// One place where a note introduces a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The vocabulary id, `null` when the name does not resolve.
    pub id: Option<String>,
    /// The name as written (markup removed).
    pub name: String,
    /// The canonical name the written name resolves to.
    pub canonical: Option<String>,
    pub name_problem: Option<NameProblem>,
    /// An expansion written next to the name: `EC2 (Elastic Compute Cloud)`.
    pub expansion: Option<String>,
    /// The nearest enclosing heading that is not itself an entry.
    pub category: Option<String>,
    pub kind: EntryKind,
    /// Whether the entry is one side of an "A vs B" comparison section.
    pub comparison: bool,
    pub summary: Option<TextItem>,
    pub features: Vec<Item>,
    pub sections: Vec<Section>,
    pub tags: Vec<String>,
    pub source: Source,
}

/// What is wrong with a written name that still resolves (or nearly resolves) to a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameProblem {
    pub kind: NameProblemKind,
    pub suggestion: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameProblemKind {
    /// A near miss of a vocabulary name: `Segemaker`.
    Misspelled,
    /// Recognisably the service but not an accepted spelling: `Cloud Search`, a wrong prefix.
    NonCanonical,
    /// A former name of a service.
    Outdated,
    /// A correct spelling in the wrong case.
    Casing,
}

impl NameProblemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameProblemKind::Misspelled => "misspelled",
            NameProblemKind::NonCanonical => "non_canonical",
            NameProblemKind::Outdated => "outdated",
            NameProblemKind::Casing => "casing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A heading names the service.
    Heading,
    /// A list item's label names the service.
    ListItem,
    /// The file (its name or front matter title) is the service.
    File,
}

/// A piece of text with the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextItem {
    pub text: String,
    pub span: Span,
}

/// A feature line: a list item or a paragraph, with its nesting depth under the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub text: String,
    pub depth: u32,
    pub span: Span,
}

/// A named group of items inside an entry: `- 특징`, `#### POINT`, `장점`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub span: Span,
    pub items: Vec<Item>,
}

/// Where an entry stands in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    /// 1-based line of the entry's name.
    pub line: u32,
    /// 1-based column of the entry's name, in Unicode code points.
    pub column: u32,
    /// 1-based line of the last byte of the entry.
    pub end_line: u32,
    /// The written name.
    pub name_span: Span,
    /// The whole entry: its heading or label and everything that belongs to it.
    pub span: Span,
}
