//! `kb check --write-baseline FILE` and `--baseline FILE`: adopting kb on a vault with many
//! findings. A baseline records each finding by rule, note and the text it points at, not by
//! line, so that editing elsewhere in a note does not bring its recorded findings back. A note
//! with the same finding more often than recorded reports the later ones.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use kb_check::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::excerpt::Excerpt;
use crate::files::{self, display_path, Failure};

/// The file (fixed field names: other tools may read it).
#[derive(Serialize, Deserialize)]
struct File {
    kb_version: String,
    findings: Vec<Recorded>,
}

#[derive(Serialize, Deserialize)]
struct Recorded {
    code: String,
    /// The note, relative to the baseline's folder, with `/`.
    path: String,
    /// The text the finding points at (its first line, at most [`TEXT_LIMIT`] bytes), or its
    /// message when it points at no text.
    text: String,
    count: usize,
}

const TEXT_LIMIT: usize = 200;

type Key = (String, String, String);

pub struct Baseline {
    /// The baseline's folder, absolute: note paths are recorded relative to it.
    base: PathBuf,
    counts: HashMap<Key, usize>,
}

impl Baseline {
    /// An empty baseline for a file at `path`.
    pub fn new(path: &Path) -> Baseline {
        Baseline {
            base: folder_of(path),
            counts: HashMap::new(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, Failure> {
        let failure = |message: String| Failure::Baseline {
            path: display_path(path),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| failure(e.to_string()))?;
        let file: File = serde_json::from_str(&text).map_err(|e| failure(e.to_string()))?;
        let mut baseline = Baseline::new(path);
        for r in file.findings {
            *baseline.counts.entry((r.code, r.path, r.text)).or_default() += r.count;
        }
        Ok(baseline)
    }

    /// The keys of one note's findings (the note's path is worked out once).
    fn keys(&self, diagnostics: &[Diagnostic], excerpt: Option<&Excerpt>) -> Vec<Key> {
        let mut path: Option<(&str, String)> = None;
        diagnostics
            .iter()
            .map(|d| {
                let relative = match &path {
                    Some((of, relative)) if *of == d.path => relative.clone(),
                    _ => {
                        let relative = relative(&self.base, &d.path);
                        path = Some((&d.path, relative.clone()));
                        relative
                    }
                };
                (d.code.to_owned(), relative, pointed_at(d, excerpt))
            })
            .collect()
    }

    /// The findings of one note that the baseline does not hold.
    pub fn new_findings(&self, diagnostics: Vec<Diagnostic>, excerpt: Option<&Excerpt>) -> Vec<Diagnostic> {
        if self.counts.is_empty() {
            return diagnostics;
        }
        let keys = self.keys(&diagnostics, excerpt);
        let mut seen: HashMap<Key, usize> = HashMap::new();
        diagnostics
            .into_iter()
            .zip(keys)
            .filter(|(_, key)| {
                let recorded = self.counts.get(key).copied().unwrap_or(0);
                let n = seen.entry(key.clone()).or_default();
                *n += 1;
                *n > recorded
            })
            .map(|(d, _)| d)
            .collect()
    }

    /// Record the findings of one note.
    pub fn add(&mut self, diagnostics: &[Diagnostic], excerpt: Option<&Excerpt>) {
        for key in self.keys(diagnostics, excerpt) {
            *self.counts.entry(key).or_default() += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Write the baseline to `path` (sorted, so that it diffs well), whole or not at all.
    pub fn write(&self, path: &Path) -> Result<(), Failure> {
        let sorted: BTreeMap<&Key, usize> = self.counts.iter().map(|(k, n)| (k, *n)).collect();
        let file = File {
            kb_version: kb_model::KB_VERSION.to_owned(),
            findings: sorted
                .into_iter()
                .map(|((code, path, text), count)| Recorded {
                    code: code.clone(),
                    path: path.clone(),
                    text: text.clone(),
                    count,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
        files::write_atomic(path, text.as_bytes()).map_err(|source| Failure::Write {
            path: display_path(path),
            source,
        })
    }
}

/// `path` without `.`, `..` or symbolic links, when it exists.
fn resolved(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn folder_of(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    resolved(parent)
}

/// `note` relative to `base` when it is below it, else as given; with `/`.
fn relative(base: &Path, note: &str) -> String {
    let absolute = resolved(Path::new(note));
    let shown = absolute
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or(absolute);
    display_path(&shown)
}

/// What a finding points at: the text of its span on its first line, or its message.
fn pointed_at(d: &Diagnostic, excerpt: Option<&Excerpt>) -> String {
    let text = excerpt
        .and_then(|e| {
            let (start, line) = e.source_line(e.line(d.span.start))?;
            let from = d.span.start.checked_sub(start)?;
            let to = d.span.end.saturating_sub(start).min(line.len());
            line.get(from..to.max(from))
        })
        .unwrap_or_default();
    let mut text = if text.trim().is_empty() {
        d.message.clone()
    } else {
        text.to_owned()
    };
    if text.len() > TEXT_LIMIT {
        let mut end = TEXT_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}
