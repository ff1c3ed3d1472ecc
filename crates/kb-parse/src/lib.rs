//! Markdown notes to the canonical model.
//!
//! [`parse`] splits front matter, parses the markdown with pulldown-cmark (byte offsets), decides
//! with the vocabulary which headings and labels introduce a service, and collects each entry's
//! summary, features and sections.
//!
//! **Architecture Invariant:** parsing never fails and does no I/O. Whatever the input, it
//! returns a note and the problems it met.

mod entries;
pub mod front_matter;
mod labels;
pub mod markdown;
pub mod prose;

use kb_model::{Entry, EntryKind, LineIndex, NameProblem, Note, Source, Span};
use kb_vocab::{Found, Vocabulary};

pub use front_matter::FrontMatter;
pub use markdown::{Heading, Link, LinkKind};

/// A note and what went wrong while reading it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub note: Note,
    /// Front matter with the spans of its keys and values, when it could be read.
    pub front_matter: Option<FrontMatter>,
    pub problems: Vec<Problem>,
    pub line_index: LineIndex,
    /// Every link, image and embed, in file order.
    pub links: Vec<Link>,
    /// Every heading outside code, in file order.
    pub headings: Vec<Heading>,
    /// The runs of text where names are checked ([`prose::note_runs`]), from the same pass.
    pub runs: Vec<prose::Run>,
}

/// Something in the file that kept it from being read as intended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A `---` line opens front matter that never closes.
    UnclosedFrontMatter,
    /// The front matter is not valid YAML.
    InvalidFrontMatter,
}

/// Parse the note at `path` (used for the file-name entry and in every `source`) whose text is
/// `text`.
pub fn parse(path: &str, text: &str, vocab: &Vocabulary) -> Parsed {
    let line_index = LineIndex::new(text);
    let mut problems = Vec::new();
    let mut front_matter = None;
    let mut body_start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    match front_matter::split(text) {
        front_matter::Splitting::None => {}
        front_matter::Splitting::Unclosed(span) => problems.push(Problem {
            kind: ProblemKind::UnclosedFrontMatter,
            message: "front matter opened here is never closed with `---`".to_owned(),
            span,
        }),
        front_matter::Splitting::Closed(split) => {
            body_start = split.body_start;
            match front_matter::read(&text[split.yaml.as_range()], split.yaml.start) {
                Ok(fm) => {
                    front_matter = Some(FrontMatter {
                        block: split.block,
                        ..fm
                    })
                }
                Err(error) => problems.push(Problem {
                    kind: ProblemKind::InvalidFrontMatter,
                    message: error.message,
                    span: error.span,
                }),
            }
        }
    }

    let mut runs = prose::Runs::new(text);
    let (blocks, links) = markdown::parse_blocks_with(text, body_start, Some(&mut runs));
    let runs = runs.finish();
    let headings = markdown::headings(&blocks);
    let fm_title = front_matter
        .as_ref()
        .and_then(|fm| fm.value.get("title"))
        .and_then(|t| t.as_str())
        .map(str::to_owned);
    let stem = file_stem(path);
    let mut builder = entries::Builder::new(text, path, vocab, &line_index);
    let own = file_entry(
        path,
        text,
        body_start,
        vocab,
        &line_index,
        front_matter.as_ref(),
        &stem,
    );
    if let Some((entry, service)) = own {
        builder.open_file_entry(entry, service);
    }
    builder.run(&blocks);
    let mut entries = builder.entries;
    if let Some(entry) = entries.iter_mut().find(|e| e.kind == EntryKind::File) {
        add_front_matter_tags(entry, front_matter.as_ref());
    }
    let title = fm_title
        .or_else(|| {
            blocks.iter().find_map(|b| match b {
                markdown::Block::Heading { level: 1, inline, .. } if !inline.text.trim().is_empty() => {
                    Some(inline.text.trim().to_owned())
                }
                _ => None,
            })
        })
        .or_else(|| (!stem.is_empty()).then_some(stem));

    Parsed {
        note: Note {
            path: path.to_owned(),
            title,
            front_matter: front_matter.as_ref().map(|fm| fm.value.clone()),
            entries,
        },
        front_matter,
        problems,
        line_index,
        links,
        headings,
        runs,
    }
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_owned(),
        _ => name.to_owned(),
    }
}

/// The name in a file stem or title: `AWS Key Management Service (KMS)`, `EBS - Elastic Bloc
/// Store` (either side may be the name), `lambda_edge`.
fn resolve_title(title: &str, vocab: &Vocabulary) -> Option<(String, Option<String>, kb_vocab::NameMatch)> {
    if let Found::Match(m) = vocab.resolve_name(title) {
        return Some((title.trim().to_owned(), None, m));
    }
    let inline = markdown::Inline {
        text: title.to_owned(),
        ..markdown::Inline::default()
    };
    let label = labels::split_label(&inline);
    let name = &title[label.name.clone()];
    let expansion = label.expansion.map(|r| title[r].to_owned());
    if let Found::Match(m) = vocab.resolve_name(name) {
        return Some((name.to_owned(), expansion, m));
    }
    let expansion = expansion?;
    match vocab.resolve_name(&expansion) {
        Found::Match(m) if m.problem.is_none() => Some((expansion, Some(name.to_owned()), m)),
        _ => None,
    }
}

/// A file stem that is a slug (`cloudformation`, `media_convert`, `lambdaedge`), not a name
/// as a writer spells it: its spelling is no name problem.
fn is_slug(stem: &str) -> bool {
    !stem.chars().any(char::is_uppercase) || stem.contains('_') && !stem.contains(' ')
}

/// An Obsidian-style note about one service: the file name (or front matter title) is the
/// service. Its entry holds everything that is not an entry of its own.
fn file_entry(
    path: &str,
    text: &str,
    body_start: usize,
    vocab: &Vocabulary,
    lines: &LineIndex,
    front_matter: Option<&FrontMatter>,
    stem: &str,
) -> Option<(Entry, kb_vocab::ServiceId)> {
    let title =
        front_matter.and_then(|fm| Some((fm.value.get("title")?.as_str()?, fm.values.get("/title")?)));
    let (name, expansion, name_span, found) =
        match title.and_then(|(t, span)| Some((resolve_title(t, vocab)?, *span))) {
            Some(((name, expansion, m), span)) => (name, expansion, span, m),
            None => {
                let (name, expansion, mut m) = resolve_title(stem, vocab)?;
                if is_slug(stem) {
                    m.problem = None;
                }
                (name, expansion, Span::new(body_start, body_start), m)
            }
        };
    let service = vocab.service(found.service);
    let at = lines.line_col(text, name_span.start);
    let end = text.trim_end().len().max(body_start);
    let entry = Entry {
        id: Some(service.id.clone()),
        name,
        canonical: Some(service.name.clone()),
        name_problem: found
            .problem
            .clone()
            .map(|(kind, suggestion)| NameProblem { kind, suggestion }),
        expansion,
        category: None,
        kind: EntryKind::File,
        comparison: false,
        summary: None,
        features: Vec::new(),
        sections: Vec::new(),
        tags: Vec::new(),
        source: Source {
            path: path.to_owned(),
            line: at.line,
            column: at.column,
            end_line: lines.line(end.saturating_sub(1).max(body_start)),
            name_span,
            span: Span::new(body_start.min(name_span.start), body_start.max(name_span.end)),
        },
    };
    Some((entry, found.service))
}

fn add_front_matter_tags(entry: &mut Entry, front_matter: Option<&FrontMatter>) {
    if let Some(tags) = front_matter.and_then(|fm| fm.value.get("tags")) {
        let list: Vec<String> = match tags {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            serde_json::Value::String(s) => s
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        for tag in list {
            if !entry.tags.contains(&tag) {
                entry.tags.push(tag);
            }
        }
    }
}
