use std::collections::BTreeMap;

use kb_model::{Entry, Note};

use crate::diagnostic::Related;
use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a service that has an entry in more than one note, listing the other notes.
    /// Comparison entries (one side of "ECS와 EKS의 차이") do not count.
    ///
    /// ## Why is this bad?
    /// What you know about the service is split across notes that drift apart; a flash-card
    /// export merges them, but a reader of the vault finds only one.
    ///
    /// ## Example
    /// `compute.md` and `serverless.md` both have `## AWS Lambda` with its own bullets.
    ///
    /// ## Fix safety
    /// There is no fix: which note should keep the entry is the author's call.
    DuplicateAcrossNotes { code: "KB302", name: "duplicate-across-notes", severity: Warning, default_on: true, fix: Never }
}

/// For every service with entries in several notes, one finding per note after the first
/// (in path order), each listing the others.
pub fn diagnostics(notes: &[&Note]) -> Vec<Diagnostic> {
    let mut by_id: BTreeMap<&str, Vec<(&str, &Entry)>> = BTreeMap::new();
    for note in notes {
        let mut seen = Vec::new();
        for entry in &note.entries {
            let Some(id) = entry.id.as_deref() else { continue };
            if entry.comparison || seen.contains(&id) {
                continue;
            }
            seen.push(id);
            by_id.entry(id).or_default().push((&note.path, entry));
        }
    }
    let mut out = Vec::new();
    for places in by_id.values() {
        if places.len() < 2 {
            continue;
        }
        for (i, (path, entry)) in places.iter().enumerate().skip(1) {
            let canonical = entry.canonical.as_deref().unwrap_or_default();
            // The first few other places, in path order: a service described in thousands of
            // notes must not make every finding list all of them.
            let others: Vec<&(&str, &Entry)> = places
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, place)| place)
                .take(SHOWN)
                .collect();
            let paths: Vec<&str> = others.iter().map(|(p, _)| *p).collect();
            let mut diagnostic = Diagnostic::new(
                &DuplicateAcrossNotes::META,
                path,
                entry.source.name_span,
                format!(
                    "`{canonical}` also has an entry in {}",
                    list(&paths, places.len() - 1)
                ),
            )
            .with_label("entry here")
            .with_help("Keep one entry per service and link to it from the other notes");
            for (other_path, other) in others {
                diagnostic = diagnostic.with_related(Related {
                    path: (*other_path).to_owned(),
                    span: other.source.name_span,
                    line: other.source.line,
                    column: other.source.column,
                    message: "another entry".to_owned(),
                });
            }
            out.push(diagnostic);
        }
    }
    out
}

/// How many other notes a finding names.
const SHOWN: usize = 3;

/// `a`, `b`, `c` and `total - shown` more.
fn list(shown: &[&str], total: usize) -> String {
    let mut names: Vec<String> = shown.iter().map(|p| format!("`{p}`")).collect();
    if total > shown.len() {
        names.push(format!("{} more", total - shown.len()));
    }
    names.join(", ")
}
